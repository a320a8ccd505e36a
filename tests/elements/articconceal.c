/* artic - real-time video for AI video chat
 * Copyright (C) 2026 The artic authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Library General Public License for more details.
 *
 * You should have received a copy of the GNU Library General Public
 * License along with this library; if not, write to the
 * Free Software Foundation, Inc., 51 Franklin St, Fifth Floor,
 * Boston, MA 02110-1301, USA.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* articconceal with a test clock: the cadence through a gap, broken frames
 * never handed on, key-frame requests; and the reference-chain verdicts on
 * real VP8 packets (vp8enc ! rtpvp8pay) through rtpvp8depay ! vp8dec. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/rtp/gstrtpbuffer.h>
#include <gst/video/video.h>

#include "gstarticconceal.h"
#include "gstarticelements.h"
#include "gstarticframestatus.h"

#define MS GST_MSECOND

static GstBuffer *
make_frame (guint8 id, GstClockTime pts, gboolean intact, gboolean key)
{
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, 16, NULL);
  GstArticFrameStatusMeta *meta;

  gst_buffer_memset (buffer, 0, id, 16);
  GST_BUFFER_PTS (buffer) = pts;
  meta = gst_buffer_add_artic_frame_status_meta (buffer);
  meta->complete = intact;
  meta->chain_intact = intact;
  meta->keyframe = key;
  meta->has_picture_id = TRUE;
  meta->picture_id = id;
  return buffer;
}

static GstHarness *
conceal_harness (void)
{
  GstHarness *h = gst_harness_new ("articconceal");

  gst_harness_set_src_caps_str (
      h, "video/x-raw,format=GRAY8,width=4,height=4,framerate=30/1");
  gst_harness_play (h);
  return h;
}

/* Lets the element reach its next sampling instant and takes what it
 * pushed; checks the frame and the meta. */
static void
expect_output (GstHarness *h, guint8 id, gboolean repeated, GstClockTime age,
    gboolean stale)
{
  GstBuffer *out;
  GstArticConcealMeta *meta;
  guint8 byte;

  fail_unless (gst_harness_crank_single_clock_wait (h));
  out = gst_harness_pull (h);
  fail_unless (out != NULL);
  meta = gst_buffer_get_artic_conceal_meta (out);
  fail_unless (meta != NULL);
  gst_buffer_extract (out, 0, &byte, 1);
  fail_unless_equals_int (byte, id);
  fail_unless_equals_int (meta->picture_id, id);
  fail_unless_equals_int (meta->repeated, repeated);
  fail_unless_equals_uint64 (meta->age, age);
  fail_unless_equals_int (meta->stale, stale);
  gst_buffer_unref (out);
}

static guint64
stat (GstHarness *h, const gchar *field)
{
  GstStructure *s;
  guint64 value = 0;

  g_object_get (h->element, "stats", &s, NULL);
  fail_unless (gst_structure_get_uint64 (s, field, &value));
  gst_structure_free (s);
  return value;
}

GST_START_TEST (test_cadence_through_gap)
{
  GstHarness *h = conceal_harness ();
  GstClockTime instant;

  fail_unless_equals_int (
      gst_harness_push (h, make_frame (1, 0, TRUE, TRUE)), GST_FLOW_OK);
  expect_output (h, 1, FALSE, 0, FALSE);
  /* Two seconds without a frame: one output per instant (2 fps), all the
   * same frame, repeated, growing older; past max-age (1 s) stale. */
  for (instant = 500 * MS; instant <= 2000 * MS; instant += 500 * MS)
    expect_output (h, 1, TRUE, instant, instant > GST_SECOND);
  /* Fresh again as soon as a frame arrives. */
  gst_harness_push (h, make_frame (2, 2200 * MS, TRUE, FALSE));
  expect_output (h, 2, FALSE, 300 * MS, FALSE);
  fail_unless_equals_uint64 (stat (h, "fresh"), 2);
  fail_unless_equals_uint64 (stat (h, "repeated"), 4);
  fail_unless_equals_uint64 (stat (h, "stale"), 2);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_output_timestamps_on_grid)
{
  GstHarness *h = conceal_harness ();
  GstBuffer *out;
  guint i;

  g_object_set (h->element, "rate", 4.0, NULL);
  gst_harness_push (h, make_frame (1, 0, TRUE, TRUE));
  for (i = 0; i < 3; i++) {
    fail_unless (gst_harness_crank_single_clock_wait (h));
    out = gst_harness_pull (h);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), i * 250 * MS);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (out), 250 * MS);
    gst_buffer_unref (out);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

static guint
count_key_unit_requests (GstHarness *h)
{
  GstEvent *event;
  guint n = 0;

  while ((event = gst_harness_try_pull_upstream_event (h)) != NULL) {
    if (gst_video_event_is_force_key_unit (event))
      n++;
    gst_event_unref (event);
  }
  return n;
}

GST_START_TEST (test_broken_never_output)
{
  GstHarness *h = conceal_harness ();

  gst_harness_push (h, make_frame (1, 0, TRUE, TRUE));
  expect_output (h, 1, FALSE, 0, FALSE);
  /* The chain breaks: frames 2 and 3 decoded from it are never handed on;
   * one key-frame request goes upstream (the next only after 1 s). */
  gst_harness_push (h, make_frame (2, 400 * MS, FALSE, FALSE));
  gst_harness_push (h, make_frame (3, 450 * MS, FALSE, FALSE));
  fail_unless_equals_int (count_key_unit_requests (h), 1);
  expect_output (h, 1, TRUE, 500 * MS, FALSE);
  gst_harness_push (h, make_frame (4, 900 * MS, FALSE, FALSE));
  fail_unless_equals_int (count_key_unit_requests (h), 0);
  expect_output (h, 1, TRUE, 1000 * MS, FALSE);
  /* Still broken a second after the first request: ask again. */
  gst_harness_push (h, make_frame (5, 1400 * MS, FALSE, FALSE));
  fail_unless_equals_int (count_key_unit_requests (h), 1);
  expect_output (h, 1, TRUE, 1500 * MS, TRUE);
  /* A complete key frame restores fresh output. */
  gst_harness_push (h, make_frame (6, 1800 * MS, TRUE, TRUE));
  expect_output (h, 6, FALSE, 200 * MS, FALSE);
  fail_unless_equals_uint64 (stat (h, "good"), 2);
  fail_unless_equals_uint64 (stat (h, "broken"), 4);
  fail_unless_equals_uint64 (stat (h, "keyframe-requests"), 2);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* request-interval: a sender that answers with recovery frames is asked
 * again after a round trip or so, not a second. */
GST_START_TEST (test_request_interval)
{
  GstHarness *h = conceal_harness ();

  g_object_set (h->element, "request-interval", (guint64) (200 * MS), NULL);
  gst_harness_push (h, make_frame (1, 0, TRUE, TRUE));
  gst_harness_push (h, make_frame (2, 100 * MS, FALSE, FALSE));
  fail_unless_equals_int (count_key_unit_requests (h), 1);
  gst_harness_push (h, make_frame (3, 250 * MS, FALSE, FALSE));
  fail_unless_equals_int (count_key_unit_requests (h), 0);
  gst_harness_push (h, make_frame (4, 300 * MS, FALSE, FALSE));
  fail_unless_equals_int (count_key_unit_requests (h), 1);
  fail_unless_equals_uint64 (stat (h, "keyframe-requests"), 2);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_nothing_before_first_good_frame)
{
  GstHarness *h = conceal_harness ();

  /* A broken frame first (joined mid-stream): no output, the instant is
   * counted as unserved, and a key frame is asked for. */
  gst_harness_push (h, make_frame (1, 0, FALSE, FALSE));
  fail_unless (gst_harness_crank_single_clock_wait (h));
  /* The next wait means the first instant has been handled. */
  fail_unless (gst_harness_crank_single_clock_wait (h));
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  fail_unless (stat (h, "unserved") >= 1);
  fail_unless_equals_int (count_key_unit_requests (h), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_eos_forwarded)
{
  GstHarness *h = conceal_harness ();
  GstEvent *event;
  gboolean eos = FALSE;

  gst_harness_push (h, make_frame (1, 0, TRUE, TRUE));
  expect_output (h, 1, FALSE, 0, FALSE);
  /* The task is waiting for the next instant: EOS must not wait for it. */
  gst_harness_wait_for_clock_id_waits (h, 1, 60);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  while (!eos && (event = gst_harness_pull_event (h)) != NULL) {
    eos = GST_EVENT_TYPE (event) == GST_EVENT_EOS;
    gst_event_unref (event);
  }
  fail_unless (eos);
  fail_unless_equals_int (
      gst_harness_push (h, make_frame (2, 600 * MS, TRUE, FALSE)),
      GST_FLOW_EOS);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_frames_without_status_pass)
{
  GstHarness *h = conceal_harness ();
  GstBuffer *buffer = gst_buffer_new_allocate (NULL, 16, NULL);
  GstBuffer *out;

  /* Without the RTP-side watcher nothing is known to be broken. */
  gst_buffer_memset (buffer, 0, 9, 16);
  GST_BUFFER_PTS (buffer) = 0;
  gst_harness_push (h, buffer);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  out = gst_harness_pull (h);
  fail_unless (gst_buffer_get_artic_conceal_meta (out) != NULL);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_flush_forgets_frames)
{
  GstHarness *h = conceal_harness ();
  GstSegment segment;

  gst_harness_push (h, make_frame (1, 0, TRUE, TRUE));
  expect_output (h, 1, FALSE, 0, FALSE);
  gst_harness_wait_for_clock_id_waits (h, 1, 60);
  /* After a flush the old picture is not repeated: the next output is the
   * first frame after it. */
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_harness_push_event (h, gst_event_new_segment (&segment));
  gst_harness_push (h, make_frame (2, 0, TRUE, TRUE));
  fail_unless (gst_harness_crank_single_clock_wait (h));
  {
    GstBuffer *out = gst_harness_pull (h);
    guint8 byte = 0;

    gst_buffer_extract (out, 0, &byte, 1);
    fail_unless_equals_int (byte, 2);
    fail_if (gst_buffer_get_artic_conceal_meta (out)->repeated);
    gst_buffer_unref (out);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

static GstPadProbeReturn
count_buffers (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  g_atomic_int_inc ((gint *) user_data);
  return GST_PAD_PROBE_OK;
}

/* A real pipeline on the system clock: pausing while the task pushes into a
 * syncing sink must not deadlock, and output resumes on PLAYING. */
GST_START_TEST (test_pause_resume_pipeline)
{
  GstElement *pipeline = gst_parse_launch (
      "videotestsrc is-live=true ! video/x-raw,width=64,height=48,"
      "framerate=30/1 ! articconceal name=c rate=20 ! fakesink name=sink "
      "sync=true",
      NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  GstPad *pad = gst_element_get_static_pad (sink, "sink");
  gint n_buffers = 0, before;
  guint i;

  gst_pad_add_probe (
      pad, GST_PAD_PROBE_TYPE_BUFFER, count_buffers, &n_buffers, NULL);
  for (i = 0; i < 3; i++) {
    before = g_atomic_int_get (&n_buffers);
    fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
                 != GST_STATE_CHANGE_FAILURE);
    fail_unless (gst_element_get_state (pipeline, NULL, NULL, 10 * GST_SECOND)
                 != GST_STATE_CHANGE_FAILURE);
    g_usleep (300 * G_TIME_SPAN_MILLISECOND);
    fail_unless (g_atomic_int_get (&n_buffers) > before);
    fail_unless (gst_element_set_state (pipeline, GST_STATE_PAUSED)
                 != GST_STATE_CHANGE_FAILURE);
    fail_unless (gst_element_get_state (pipeline, NULL, NULL, 10 * GST_SECOND)
                 != GST_STATE_CHANGE_FAILURE);
  }
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Real VP8 packets: 24 frames of 160x120, a key frame every 12, small MTU so
 * that every frame spans several packets. */
static GPtrArray *
encode_packets (void)
{
  GstHarness *h = gst_harness_new_parse (
      "vp8enc deadline=1 keyframe-max-dist=12 lag-in-frames=0 "
      "target-bitrate=400000 ! rtpvp8pay picture-id-mode=15-bit mtu=200");
  GPtrArray *packets
      = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
  GstBuffer *packet;
  guint i;

  gst_harness_add_src (h, "videotestsrc", FALSE);
  g_object_set (h->src_harness->element, "pattern", 18 /* ball */, NULL);
  gst_harness_set_sink_caps_str (h->src_harness,
      "video/x-raw,format=I420,width=160,height=120,framerate=30/1");
  for (i = 0; i < 24; i++)
    fail_unless_equals_int (gst_harness_push_from_src (h), GST_FLOW_OK);
  gst_harness_push_event (h, gst_event_new_eos ());
  while ((packet = gst_harness_try_pull (h)) != NULL)
    g_ptr_array_add (packets, packet);
  gst_harness_teardown (h);
  return packets;
}

GST_START_TEST (test_watch_real_depayloader)
{
  GPtrArray *packets = encode_packets ();
  GstHarness *h = gst_harness_new_parse ("rtpvp8depay name=depay ! vp8dec");
  GstElement *depay = gst_bin_get_by_name (GST_BIN (h->element), "depay");
  guint i, frame = 0, lost = G_MAXUINT;
  guint intact = 0, broken = 0, outputs = 0;
  GstBuffer *out;
  GstStructure *stats;
  guint64 breaks = 0;

  fail_unless (gst_artic_frame_status_watch (depay));
  fail_if (gst_artic_frame_status_watch (depay));
  gst_harness_set_src_caps_str (h,
      "application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,"
      "payload=96");
  /* Lose the first packet of frame 3 (a delta frame that frames 4..11
   * reference); frame 12 is the next key frame. */
  for (i = 0; i < packets->len; i++) {
    GstBuffer *packet = g_ptr_array_index (packets, i);
    GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
    gboolean marker;

    gst_rtp_buffer_map (packet, GST_MAP_READ, &rtp);
    marker = gst_rtp_buffer_get_marker (&rtp);
    gst_rtp_buffer_unmap (&rtp);
    if (frame == 3 && lost == G_MAXUINT) {
      lost = i;
      frame += marker;
      continue;
    }
    gst_harness_push (h, gst_buffer_ref (packet));
    frame += marker;
  }
  fail_unless (lost != G_MAXUINT);
  fail_unless_equals_int (frame, 24);
  while ((out = gst_harness_try_pull (h)) != NULL) {
    GstArticFrameStatusMeta *meta
        = gst_buffer_get_artic_frame_status_meta (out);

    /* vp8dec (GstVideoDecoder) copied the meta to the decoded picture. */
    fail_unless (meta != NULL);
    fail_unless (meta->has_picture_id);
    if (meta->chain_intact)
      intact++;
    else
      broken++;
    outputs++;
    gst_buffer_unref (out);
  }
  stats = gst_artic_frame_status_get_stats (depay);
  fail_unless (gst_structure_get_uint64 (stats, "chain-breaks", &breaks));
  fail_unless_equals_uint64 (breaks, 1);
  /* Frames 0-2 and 12-23 intact, 3-11 never. */
  GST_INFO ("outputs %u intact %u broken %u", outputs, intact, broken);
  fail_unless_equals_int (intact, 3 + 12);
  gst_structure_free (stats);
  gst_object_unref (depay);
  gst_harness_teardown (h);
  g_ptr_array_unref (packets);
}

GST_END_TEST;

static Suite *
articconceal_suite (void)
{
  Suite *s = suite_create ("articconceal");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_cadence_through_gap);
  tcase_add_test (tc, test_output_timestamps_on_grid);
  tcase_add_test (tc, test_broken_never_output);
  tcase_add_test (tc, test_request_interval);
  tcase_add_test (tc, test_nothing_before_first_good_frame);
  tcase_add_test (tc, test_eos_forwarded);
  tcase_add_test (tc, test_frames_without_status_pass);
  tcase_add_test (tc, test_flush_forgets_frames);
  tcase_add_test (tc, test_pause_resume_pipeline);
  tcase_add_test (tc, test_watch_real_depayloader);
  return s;
}

/* Links the elements for the meta API: registers them statically rather
 * than loading the plugin file (two copies of a type cannot coexist). */
int
main (int argc, char **argv)
{
  gst_check_init (&argc, &argv);
  if (!gst_artic_elements_register_static ())
    return 1;
  return gst_check_run_suite (articconceal_suite (), "articconceal", __FILE__);
}
