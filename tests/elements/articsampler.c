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

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>

#define CAPS_30FPS "video/x-raw,format=GRAY8,width=4,height=4,framerate=30/1"
#define FRAME_30FPS (GST_SECOND / 30)

static GstHarness *
sampler_harness (const gchar *launch)
{
  GstHarness *h = gst_harness_new_parse (launch);
  GstElement *sampler = gst_harness_find_element (h, "articsampler");

  /* Properties are set on the element itself, not on the harness's bin. */
  g_object_set_data_full (
      G_OBJECT (h->element), "sampler", sampler, gst_object_unref);
  gst_harness_set_src_caps_str (h, CAPS_30FPS);
  return h;
}

static GstFlowReturn
push_frame (GstHarness *h, GstClockTime pts)
{
  GstBuffer *buffer = gst_harness_create_buffer (h, 16);

  GST_BUFFER_PTS (buffer) = pts;
  GST_BUFFER_DURATION (buffer) = FRAME_30FPS;
  return gst_harness_push (h, buffer);
}

GST_START_TEST (test_default_rate_two_per_second)
{
  GstHarness *h = sampler_harness ("articsampler");
  guint64 sampled, dropped;
  guint i;

  for (i = 0; i < 90; i++)
    fail_unless_equals_int (push_frame (h, i * FRAME_30FPS), GST_FLOW_OK);

  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 6);
  for (i = 0; i < 6; i++) {
    GstBuffer *out = gst_harness_pull (h);

    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), i * 15 * FRAME_30FPS);
    gst_buffer_unref (out);
  }
  g_object_get (g_object_get_data (G_OBJECT (h->element), "sampler"), "sampled",
      &sampled, "dropped", &dropped, NULL);
  fail_unless_equals_uint64 (sampled, 6);
  fail_unless_equals_uint64 (dropped, 84);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_rate_change_while_playing)
{
  GstHarness *h = sampler_harness ("articsampler rate=1");
  guint i;

  for (i = 0; i < 60; i++)
    push_frame (h, i * FRAME_30FPS);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 2);
  g_object_set (
      g_object_get_data (G_OBJECT (h->element), "sampler"), "rate", 10.0, NULL);
  for (i = 60; i < 90; i++)
    push_frame (h, i * FRAME_30FPS);
  /* 1 s at 10 fps after the switch: 10 more frames. */
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 12);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_sampling_follows_running_time)
{
  GstHarness *h = sampler_harness ("articsampler rate=2");
  GstSegment segment;
  guint i;

  /* A segment starting at 100 s: running time, not PTS, sets the grid. */
  gst_segment_init (&segment, GST_FORMAT_TIME);
  segment.start = 100 * GST_SECOND;
  segment.time = 0;
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  for (i = 0; i < 30; i++)
    push_frame (h, 100 * GST_SECOND + i * FRAME_30FPS);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 2);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_flush_restarts_grid)
{
  GstHarness *h = sampler_harness ("articsampler rate=1");

  push_frame (h, 0);
  push_frame (h, FRAME_30FPS);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 1);
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  gst_harness_set_src_caps_str (h, CAPS_30FPS);
  push_frame (h, 2 * FRAME_30FPS);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 2);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_absurd_rate_is_rejected)
{
  GstElement *sampler = gst_element_factory_make ("articsampler", NULL);
  gdouble rate;

  /* An out-of-range value is refused with a warning and changes nothing. */
  g_object_set (sampler, "rate", 5.0, NULL);
  g_object_get (sampler, "rate", &rate, NULL);
  fail_unless_equals_float (rate, 5.0);
  ASSERT_WARNING (g_object_set (sampler, "rate", 1e12, NULL));
  g_object_get (sampler, "rate", &rate, NULL);
  fail_unless_equals_float (rate, 5.0);
  gst_object_unref (sampler);
}

GST_END_TEST;

static Suite *
articsampler_suite (void)
{
  Suite *s = suite_create ("articsampler");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_default_rate_two_per_second);
  tcase_add_test (tc, test_rate_change_while_playing);
  tcase_add_test (tc, test_sampling_follows_running_time);
  tcase_add_test (tc, test_flush_restarts_grid);
  tcase_add_test (tc, test_absurd_rate_is_rejected);
  return s;
}

GST_CHECK_MAIN (articsampler);
