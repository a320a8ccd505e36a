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

/* The lite renderer's timing: an item is five seconds of the clip from its
 * start, at the suite's frame rate, whatever time stamps the demuxer uses
 * (vtest-20s.mp4 is a B-frame stream that qtdemux stamps 0.2 s late). */

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <string.h>

#include "artic-devibench-lite.h"
#include "artic-devibench-render.h"

#define TAIL                                   \
  "videoconvert ! video/x-raw,format=GRAY8 ! " \
  "appsink name=sink sync=false max-buffers=4"

typedef struct
{
  guint frames;
  GstClockTime first_running, last_running, last_pts;
  gboolean evenly_spaced;
} Timing;

static ArticDevibenchLiteSuite *
load_suite (void)
{
  GError *error = NULL;
  gchar *manifest = g_build_filename (
      g_getenv ("ARTIC_DEVIBENCH_DATA"), "lite3-seed1", "manifest.json", NULL);
  ArticDevibenchLiteSuite *suite
      = artic_devibench_lite_suite_load (manifest, &error);

  g_assert_no_error (error);
  g_free (manifest);
  return suite;
}

/* Renders @item and reads every frame's running time. With @dump, also
 * prints each frame's time stamp and a checksum of its luma (to compare
 * two builds of the renderer). */
static void
render_timing (const ArticDevibenchLiteItem *item, gboolean dump, Timing *t)
{
  GError *error = NULL;
  ArticDevibenchRender *render = artic_devibench_render_new (
      item, g_getenv ("ARTIC_MEDIA_DIR"), TAIL, &error);
  GstSample *sample;
  GstClockTime prev = GST_CLOCK_TIME_NONE;

  g_assert_no_error (error);
  memset (t, 0, sizeof (*t));
  t->evenly_spaced = TRUE;
  while ((sample = artic_devibench_render_pull (render, &error)) != NULL) {
    GstBuffer *buf = gst_sample_get_buffer (sample);
    GstClockTime running = gst_segment_to_running_time (
        gst_sample_get_segment (sample), GST_FORMAT_TIME, GST_BUFFER_PTS (buf));

    g_assert_true (GST_CLOCK_TIME_IS_VALID (running));
    if (t->frames == 0)
      t->first_running = running;
    else if (running - prev
             > GST_SECOND / ARTIC_DEVIBENCH_LITE_FPS + GST_MSECOND)
      t->evenly_spaced = FALSE;
    if (dump) {
      GstMapInfo map;
      guint32 sum = 0;
      gsize i;

      gst_buffer_map (buf, &map, GST_MAP_READ);
      for (i = 0; i < map.size; i++)
        sum = sum * 31 + map.data[i];
      gst_buffer_unmap (buf, &map);
      g_print ("%" GST_TIME_FORMAT " %" GST_TIME_FORMAT " %08x\n",
          GST_TIME_ARGS (GST_BUFFER_PTS (buf)), GST_TIME_ARGS (running), sum);
    }
    prev = t->last_running = running;
    t->last_pts = GST_BUFFER_PTS (buf);
    t->frames++;
    gst_sample_unref (sample);
  }
  g_assert_no_error (error);
  artic_devibench_render_free (render);
}

/* The stream ends with the item: the renderer used to hand on the demuxer's
 * segment, whose stop is the clip's end, and videorate repeated the last
 * frame up to it at EOS (171 frames instead of 150: 0.9 s of frozen
 * picture after 4.8 s of the clip). */
static void
test_five_seconds (void)
{
  ArticDevibenchLiteSuite *suite = load_suite ();
  const ArticDevibenchLiteItem *item = g_ptr_array_index (suite->items, 0);
  guint expected
      = (guint) (ARTIC_DEVIBENCH_LITE_DURATION * ARTIC_DEVIBENCH_LITE_FPS);
  Timing t;

  g_assert_cmpstr (item->clip, ==, "vtest-20s.mp4");
  render_timing (item, FALSE, &t);
  g_assert_cmpuint (t.frames, ==, expected);
  g_assert_cmpuint (t.first_running, ==, 0);
  g_assert_cmpuint (t.last_running, <,
      (GstClockTime) (ARTIC_DEVIBENCH_LITE_DURATION * GST_SECOND));
  g_assert_true (t.evenly_spaced);
  artic_devibench_lite_suite_free (suite);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  if (argc == 3 && g_str_equal (argv[1], "--dump")) {
    ArticDevibenchLiteSuite *suite = load_suite ();
    Timing t;

    render_timing (
        g_ptr_array_index (suite->items, atoi (argv[2]) - 1), TRUE, &t);
    g_print ("frames %u\n", t.frames);
    artic_devibench_lite_suite_free (suite);
    return 0;
  }
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/devibench-render/five-seconds", test_five_seconds);
  return g_test_run ();
}
