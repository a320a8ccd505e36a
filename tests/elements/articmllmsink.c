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

/* articmllmsink in a GstHarness, asking the in-process test-double server
 * (tests/mllm-test-server.c) over real loopback HTTP. */

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "mllm-test-server.h"

#define W 64
#define H 48
#define CAPS "video/x-raw,format=I420,width=64,height=48,framerate=30/1"
#define FRAME (GST_SECOND / 30)

static ArticTestMllmServer *server;

/* Properties that configure the client must be set before the element
 * starts, so they go in the launch description; the element itself is
 * kept as "sink" data for the later ones. */
static GstHarness *
sink_harness_full (const gchar *mode, const gchar *extra, GstBus **bus)
{
  gchar *url = artic_test_mllm_server_url (server, mode);
  gchar *launch = g_strdup_printf (
      "articmllmsink endpoint=%s api-key-env=ARTIC_TEST_NO_SUCH_KEY %s", url,
      extra != NULL ? extra : "");
  GstHarness *h = gst_harness_new_parse (launch);
  GstElement *sink = gst_harness_find_element (h, "articmllmsink");

  g_object_set_data_full (
      G_OBJECT (h->element), "sink", sink, gst_object_unref);
  *bus = gst_bus_new ();
  gst_element_set_bus (h->element, *bus);
  gst_harness_set_src_caps_str (h, CAPS);
  g_free (launch);
  g_free (url);
  return h;
}

static GstHarness *
sink_harness (const gchar *mode, GstBus **bus)
{
  return sink_harness_full (mode, NULL, bus);
}

#define SINK(h) G_OBJECT (g_object_get_data (G_OBJECT ((h)->element), "sink"))

/* The bus's messages hold the element and the element holds the bus: break
 * the cycle before the harness goes. */
static void
sink_teardown (GstHarness *h, GstBus *bus)
{
  gst_element_set_bus (h->element, NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_harness_teardown (h);
  gst_object_unref (bus);
}

/* A frame whose bright square sits at @pos: every frame differs. */
static GstFlowReturn
push_frame (GstHarness *h, guint index, guint pos)
{
  GstBuffer *buffer = gst_buffer_new_and_alloc (W * H * 3 / 2);
  GstMapInfo map;
  gint x, y;

  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  memset (map.data, 30, W * H);
  memset (map.data + W * H, 128, W * H / 2);
  for (y = 10; y < 30; y++)
    for (x = 0; x < 12; x++)
      map.data[y * W + (pos * 7 + x) % W] = 230;
  gst_buffer_unmap (buffer, &map);
  GST_BUFFER_PTS (buffer) = index * FRAME;
  GST_BUFFER_DURATION (buffer) = FRAME;
  return gst_harness_push (h, buffer);
}

/* The next artic-mllm-answer message, with deltas counted on the way. */
static const GstStructure *
wait_answer (GstBus *bus, GstMessage **out, guint *deltas)
{
  for (;;) {
    GstMessage *msg = gst_bus_timed_pop_filtered (
        bus, 10 * GST_SECOND, GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR);
    const GstStructure *s;

    fail_unless (msg != NULL, "no answer within 10 s");
    fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR);
    s = gst_message_get_structure (msg);
    if (gst_structure_has_name (s, "artic-mllm-answer")) {
      *out = msg;
      return s;
    }
    if (gst_structure_has_name (s, "artic-mllm-delta") && deltas != NULL)
      (*deltas)++;
    gst_message_unref (msg);
  }
}

GST_START_TEST (test_question_property)
{
  GstBus *bus;
  GstHarness *h = sink_harness ("ok", &bus);
  GstMessage *msg;
  const GstStructure *s;
  gdouble ttft, total;
  guint images, deltas = 0, i;
  guint64 requests;

  /* 2 s of moving video at 30 fps: sampled at 2 fps, every sample new. */
  for (i = 0; i < 60; i++)
    fail_unless_equals_int (push_frame (h, i, i), GST_FLOW_OK);
  g_object_set (SINK (h), "question", "What moves?", NULL);
  fail_unless_equals_int (push_frame (h, 60, 60), GST_FLOW_OK);
  s = wait_answer (bus, &msg, &deltas);
  fail_unless_equals_string (
      gst_structure_get_string (s, "question"), "What moves?");
  /* The server saw the 3 newest images, all complete JPEGs. */
  fail_unless_equals_string (gst_structure_get_string (s, "answer"),
      "images=3 jpegs=3 question=What moves?");
  fail_unless (gst_structure_get_uint (s, "images-sent", &images));
  fail_unless_equals_int (images, 3);
  fail_unless (gst_structure_get_double (s, "ttft", &ttft));
  fail_unless (gst_structure_get_double (s, "total-time", &total));
  fail_unless (ttft >= 0 && ttft <= total);
  fail_if (gst_structure_has_field (s, "error"));
  fail_unless (deltas >= 4);
  gst_message_unref (msg);
  g_object_get (SINK (h), "requests", &requests, NULL);
  fail_unless_equals_uint64 (requests, 1);
  sink_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_question_event_and_signal)
{
  GstBus *bus;
  GstHarness *h = sink_harness ("ok", &bus);
  GstMessage *msg;
  const GstStructure *s;

  push_frame (h, 0, 0);
  /* A serialized custom event on the sink pad. */
  fail_unless (gst_harness_push_event (
      h, gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
             gst_structure_new ("artic-mllm-question", "question",
                 G_TYPE_STRING, "From an event?", NULL))));
  push_frame (h, 1, 1);
  s = wait_answer (bus, &msg, NULL);
  fail_unless_equals_string (gst_structure_get_string (s, "answer"),
      "images=2 jpegs=2 question=From an event?");
  gst_message_unref (msg);

  /* The action signal. */
  g_signal_emit_by_name (SINK (h), "ask", "From a signal?");
  push_frame (h, 2, 2);
  s = wait_answer (bus, &msg, NULL);
  fail_unless_equals_string (gst_structure_get_string (s, "answer"),
      "images=3 jpegs=3 question=From a signal?");
  gst_message_unref (msg);
  sink_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_static_video_reuses)
{
  GstBus *bus;
  GstHarness *h = sink_harness ("ok", &bus);
  GstMessage *msg;
  guint64 skipped, reused, sent;
  guint i;

  /* 5 s of a still picture: one image at the start, the rest skipped. */
  for (i = 0; i < 150; i++)
    push_frame (h, i, 0);
  g_object_get (SINK (h), "chunks-skipped", &skipped, NULL);
  fail_unless_equals_uint64 (skipped, 9);
  g_object_set (SINK (h), "question", "Anything new?", NULL);
  push_frame (h, 150, 0);
  wait_answer (bus, &msg, NULL);
  gst_message_unref (msg);
  g_object_set (SINK (h), "question", "And now?", NULL);
  push_frame (h, 151, 0);
  wait_answer (bus, &msg, NULL);
  gst_message_unref (msg);
  g_object_get (SINK (h), "images-reused", &reused, "images-sent", &sent, NULL);
  /* The start image and the two forced by the questions are new; the
   * second question re-sent the first question's two images byte for
   * byte. */
  fail_unless_equals_uint64 (sent, 3);
  fail_unless_equals_uint64 (reused, 2);
  sink_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_questions_file)
{
  GstBus *bus;
  GstHarness *h;
  GstMessage *msg;
  const GstStructure *s;
  gchar *path;
  gint fd = g_file_open_tmp ("questions-XXXXXX", &path, NULL);
  guint i;

  fail_unless (fd >= 0);
  close (fd);
  fail_unless (g_file_set_contents (path,
      "# timed questions\n0.5\tFirst?\n\n1.5\tSecond?\n99\tAt the end?\n", -1,
      NULL));
  {
    gchar *extra
        = g_strdup_printf ("questions-file=\"%s\" frame-window=1", path);

    h = sink_harness_full ("ok", extra, &bus);
    g_free (extra);
  }
  for (i = 0; i < 60; i++)
    push_frame (h, i, i);
  s = wait_answer (bus, &msg, NULL);
  fail_unless_equals_string (
      gst_structure_get_string (s, "question"), "First?");
  fail_unless_equals_string (gst_structure_get_string (s, "answer"),
      "images=1 jpegs=1 question=First?");
  gst_message_unref (msg);
  s = wait_answer (bus, &msg, NULL);
  fail_unless_equals_string (
      gst_structure_get_string (s, "question"), "Second?");
  gst_message_unref (msg);
  /* The question due after the stream is asked at EOS, answered before
   * EOS returns. */
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  s = wait_answer (bus, &msg, NULL);
  fail_unless_equals_string (
      gst_structure_get_string (s, "question"), "At the end?");
  gst_message_unref (msg);
  sink_teardown (h, bus);
  g_unlink (path);
  g_free (path);
}

GST_END_TEST;

GST_START_TEST (test_bad_questions_file)
{
  GstElement *sink = gst_element_factory_make ("articmllmsink", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *error = NULL;
  gchar *debug = NULL, *path;
  gint fd = g_file_open_tmp ("questions-XXXXXX", &path, NULL);

  close (fd);
  fail_unless (g_file_set_contents (path, "1\tfine\nsoon\tbroken\n", -1, NULL));
  g_object_set (sink, "questions-file", path, NULL);
  gst_element_set_bus (sink, bus);
  fail_unless_equals_int (
      gst_element_set_state (sink, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &error, &debug);
  fail_unless (strstr (debug, "line 2") != NULL, "%s", debug);
  g_clear_error (&error);
  g_free (debug);
  gst_message_unref (msg);
  gst_element_set_state (sink, GST_STATE_NULL);
  gst_element_set_bus (sink, NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (sink);
  gst_object_unref (bus);
  g_unlink (path);
  g_free (path);
}

GST_END_TEST;

GST_START_TEST (test_bad_endpoint)
{
  GstElement *sink = gst_element_factory_make ("articmllmsink", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;

  g_object_set (sink, "endpoint", "gopher://nowhere", NULL);
  gst_element_set_bus (sink, bus);
  fail_unless_equals_int (
      gst_element_set_state (sink, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  gst_element_set_state (sink, GST_STATE_NULL);
  gst_element_set_bus (sink, NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (sink);
  gst_object_unref (bus);
}

GST_END_TEST;

GST_START_TEST (test_server_error_reported)
{
  GstBus *bus;
  GstHarness *h = sink_harness ("bad-request", &bus);
  GstMessage *msg;
  const GstStructure *s;

  push_frame (h, 0, 0);
  g_object_set (SINK (h), "question", "q", NULL);
  push_frame (h, 1, 1);
  s = wait_answer (bus, &msg, NULL);
  /* The pipeline goes on; the answer message carries the error. */
  fail_unless (strstr (gst_structure_get_string (s, "error"),
                   "Invalid image: not a JPEG")
               != NULL);
  gst_message_unref (msg);
  fail_unless_equals_int (push_frame (h, 2, 2), GST_FLOW_OK);
  sink_teardown (h, bus);
}

GST_END_TEST;

/* Each test runs in a forked child: the server thread must start there. */
static void
server_setup (void)
{
  server = artic_test_mllm_server_start ();
}

static void
server_teardown (void)
{
  artic_test_mllm_server_stop (server);
  server = NULL;
}

GST_START_TEST (test_untimed_frames)
{
  GstBus *bus;
  GstHarness *h = sink_harness ("ok", &bus);
  GstMessage *msg;
  const GstStructure *s;
  GstSegment segment;
  GstBuffer *buffer;

  /* A BYTES segment and a frame without a timestamp: sampled on arrival,
   * no critical warning (gstcheck fails the test on one). */
  gst_segment_init (&segment, GST_FORMAT_BYTES);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  g_object_set (SINK (h), "question", "Untimed?", NULL);
  buffer = gst_buffer_new_and_alloc (W * H * 3 / 2);
  gst_buffer_memset (buffer, 0, 90, W * H * 3 / 2);
  fail_unless_equals_int (gst_harness_push (h, buffer), GST_FLOW_OK);
  s = wait_answer (bus, &msg, NULL);
  fail_unless_equals_string (gst_structure_get_string (s, "answer"),
      "images=1 jpegs=1 question=Untimed?");
  gst_message_unref (msg);
  sink_teardown (h, bus);
}

GST_END_TEST;

GST_START_TEST (test_shutdown_during_stalled_answer)
{
  gchar *url = artic_test_mllm_server_url (server, "stall");
  gchar *launch = g_strdup_printf (
      "videotestsrc num-buffers=3 ! video/x-raw,width=64,height=48"
      " ! articmllmsink name=sink endpoint=%s question=Stuck?",
      url);
  GstElement *pipeline = gst_parse_launch (launch, NULL);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GstState state;
  gint64 start;

  fail_unless (pipeline != NULL);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  /* The stalled server sends one token; EOS then waits for the rest. */
  msg = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND, GST_MESSAGE_ELEMENT);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  g_usleep (200 * 1000);
  /* Stopping does not wait for the 30 s read timeout. */
  start = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_element_get_state (pipeline, &state, NULL, GST_CLOCK_TIME_NONE);
  fail_unless_equals_int (state, GST_STATE_NULL);
  fail_unless (g_get_monotonic_time () - start < 3 * G_USEC_PER_SEC);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  g_free (launch);
  g_free (url);
}

GST_END_TEST;

static Suite *
articmllmsink_suite (void)
{
  Suite *s = suite_create ("articmllmsink");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_checked_fixture (tc, server_setup, server_teardown);
  tcase_add_test (tc, test_question_property);
  tcase_add_test (tc, test_question_event_and_signal);
  tcase_add_test (tc, test_static_video_reuses);
  tcase_add_test (tc, test_questions_file);
  tcase_add_test (tc, test_bad_questions_file);
  tcase_add_test (tc, test_bad_endpoint);
  tcase_add_test (tc, test_server_error_reported);
  tcase_add_test (tc, test_untimed_frames);
  tcase_add_test (tc, test_shutdown_during_stalled_answer);
  return s;
}

GST_CHECK_MAIN (articmllmsink);
