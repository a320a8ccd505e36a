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

#include "artic-capture-time.h"

#define CAPS "video/x-raw,format=GRAY8,width=4,height=4,framerate=30/1"

static GstBuffer *
frame (GstHarness *h, GstClockTime pts)
{
  GstBuffer *buffer = gst_harness_create_buffer (h, 16);

  GST_BUFFER_PTS (buffer) = pts;
  return buffer;
}

GST_START_TEST (test_stamps_wall_clock)
{
  GstHarness *h = gst_harness_new ("articstamp");
  guint64 before, after, stamped_ns, stamped;
  GstBuffer *out;

  gst_harness_set_src_caps_str (h, CAPS);
  before = (guint64) g_get_real_time () * GST_USECOND;
  out = gst_harness_push_and_pull (h, frame (h, GST_CLOCK_TIME_NONE));
  after = (guint64) g_get_real_time () * GST_USECOND;

  fail_unless (artic_capture_time_get (out, &stamped_ns));
  fail_unless (stamped_ns >= before && stamped_ns <= after);
  gst_buffer_unref (out);
  g_object_get (h->element, "stamped", &stamped, NULL);
  fail_unless_equals_uint64 (stamped, 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_age_from_running_time)
{
  GstHarness *h = gst_harness_new ("articstamp");
  GstTestClock *clock;
  guint64 now_ns, stamped_ns;
  GstBuffer *out;
  gint64 age;

  /* The harness runs on a test clock at 0; advance it to 2 s. A frame due
   * at running time 0.5 s was captured 1.5 s before it passes. */
  gst_harness_use_testclock (h);
  gst_harness_set_src_caps_str (h, CAPS);
  clock = gst_harness_get_testclock (h);
  gst_test_clock_set_time (clock, 2 * GST_SECOND);
  now_ns = (guint64) g_get_real_time () * GST_USECOND;
  out = gst_harness_push_and_pull (h, frame (h, GST_SECOND / 2));
  fail_unless (artic_capture_time_get (out, &stamped_ns));
  age = (gint64) now_ns - (gint64) stamped_ns;
  fail_unless (age > 1400 * GST_MSECOND && age < 1600 * GST_MSECOND,
      "age %" G_GINT64_FORMAT " ns", age);
  gst_buffer_unref (out);
  gst_object_unref (clock);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_keeps_upstream_time_unless_overwrite)
{
  GstHarness *h = gst_harness_new ("articstamp");
  GstBuffer *in, *out;
  guint64 stamped_ns;

  gst_harness_set_src_caps_str (h, CAPS);
  in = frame (h, GST_CLOCK_TIME_NONE);
  artic_capture_time_set (in, 42);
  out = gst_harness_push_and_pull (h, in);
  fail_unless (artic_capture_time_get (out, &stamped_ns));
  fail_unless_equals_uint64 (stamped_ns, 42);
  gst_buffer_unref (out);

  g_object_set (h->element, "overwrite", TRUE, NULL);
  in = frame (h, GST_CLOCK_TIME_NONE);
  artic_capture_time_set (in, 42);
  out = gst_harness_push_and_pull (h, in);
  fail_unless (artic_capture_time_get (out, &stamped_ns));
  fail_unless (stamped_ns > 42);
  gst_buffer_unref (out);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
articstamp_suite (void)
{
  Suite *s = suite_create ("articstamp");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_stamps_wall_clock);
  tcase_add_test (tc, test_age_from_running_time);
  tcase_add_test (tc, test_keeps_upstream_time_unless_overwrite);
  return s;
}

GST_CHECK_MAIN (articstamp);
