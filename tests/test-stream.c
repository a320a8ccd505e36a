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

/* End to end: artic-send streams the shipped clip to artic-recv over loopback
 * UDP for 4 s, once per codec. Frames must arrive, decode, carry increasing
 * capture times, and the sampled JPEGs must match the source frames they
 * claim to be. A last pair of runs at 200 kbps checks that --roi-boxes makes
 * the named region sharper in what the receiver hands to the model. */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <stdlib.h>

#include "artic-quality.h"
#include "artic-test-media.h"

/* The frame size of the stream under test (the ROI test uses 640x360). */
static guint stream_width = 640;
static guint stream_height = 480;
#define WIDTH stream_width
#define HEIGHT stream_height
#define FPS 30
#define SEND_SECONDS "4"
/* Measured here: sampled frames score 39-43 dB at 1500 kbps (JPEG q90
 * included); the same frames against source frames 2 s away score ~16 dB. */
#define MIN_MEAN_PSNR 35.0
#define MIN_FRAME_PSNR 30.0
/* The ROI test: the box of docs/roi-encoding.md at 640x360, 200 kbps, where
 * articenc alone measured +2.5 dB in the region with the map. */
#define ROI_BOX "[[[450,200],[750,330]]]"
/* Measured VP8 +1.8..+2.7, VP9 +2.1..+2.4, H.264 +4.1..+4.3 dB (JPEG q90
 * included; docs/sender.md). */
#define ROI_MIN_GAIN_DB 1.0

typedef struct
{
  const gchar *codec;
  const gchar *bitrate;
  gdouble min_mean_psnr;
  gdouble min_frame_psnr;
  const gchar *roi_boxes; /* NULL: no ROI */
} StreamCase;

static void
report_and_check (GSubprocess *process)
{
  GError *error = NULL;
  gchar *output = NULL;
  gchar **lines;
  guint i;

  g_assert_true (g_subprocess_communicate_utf8 (
      process, NULL, NULL, &output, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (output, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_test_message ("%s", lines[i]);
  g_strfreev (lines);
  g_free (output);
  g_assert_true (g_subprocess_get_successful (process));
}

static void
run_stream (
    const gchar *dir, const gchar *clip, guint port, const StreamCase *c)
{
  gchar *port_text = g_strdup_printf ("%u", port);
  gchar *send_log = g_build_filename (dir, "sent.csv", NULL);
  gchar *size = g_strdup_printf ("%ux%u", WIDTH, HEIGHT);
  GError *error = NULL;
  GSubprocess *recv, *send;
  GPtrArray *args = g_ptr_array_new ();

  /* Their stdout goes through g_test_message: raw lines would break TAP. */
  recv = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
      g_getenv ("ARTIC_RECV"), "--transport", "rtp", "--port", port_text,
      "--address", "127.0.0.1", "--output-dir", dir, "--idle-timeout", "2",
      "--wait", "20", "--quiet", "--codec", c->codec, NULL);
  g_assert_no_error (error);
  g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  g_ptr_array_add (args, (gpointer) g_getenv ("ARTIC_SEND"));
  g_ptr_array_add (args, "--transport");
  g_ptr_array_add (args, "rtp");
  g_ptr_array_add (args, "--input");
  g_ptr_array_add (args, (gpointer) clip);
  g_ptr_array_add (args, "--port");
  g_ptr_array_add (args, port_text);
  g_ptr_array_add (args, "--codec");
  g_ptr_array_add (args, (gpointer) c->codec);
  g_ptr_array_add (args, "--bitrate");
  g_ptr_array_add (args, (gpointer) c->bitrate);
  g_ptr_array_add (args, "--size");
  g_ptr_array_add (args, size);
  g_ptr_array_add (args, "--duration");
  g_ptr_array_add (args, SEND_SECONDS);
  g_ptr_array_add (args, "--log");
  g_ptr_array_add (args, send_log);
  g_ptr_array_add (args, "--quiet");
  /* The transport is measured at the full 30 fps (the frame-rate
   * controller would send this slow clip at ~8 fps). */
  g_ptr_array_add (args, "--fixed-framerate");
  if (c->roi_boxes != NULL) {
    g_ptr_array_add (args, "--roi-boxes");
    g_ptr_array_add (args, (gpointer) c->roi_boxes);
  }
  g_ptr_array_add (args, NULL);
  send = g_subprocess_newv ((const gchar *const *) args->pdata,
      G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_ptr_array_unref (args);
  g_free (size);
  g_assert_no_error (error);
  report_and_check (send);
  report_and_check (recv);
  g_object_unref (send);
  g_object_unref (recv);
  g_free (send_log);
  g_free (port_text);
}

/* Streams one case and checks it; returns the region's mean luma PSNR over
 * the sampled frames when @region is given (x, y, w, h in pixels). */
static gdouble
check_stream (const StreamCase *c, const guint *region)
{
  const gchar *clip = g_getenv ("ARTIC_CLIP");
  gchar *dir = g_dir_make_tmp ("artic-stream-XXXXXX", NULL);
  gdouble region_sum = 0;
  gchar *path;
  GPtrArray *sent, *frames;
  GHashTable *pts_by_capture, *source;
  guint64 previous_capture = 0;
  guint i, decoded = 0, sampled = 0;
  gdouble psnr_sum = 0, psnr_min = 1000, mismatch_psnr = 1000;

  g_assert_nonnull (clip);
  run_stream (dir, clip, artic_test_free_udp_port (), c);

  path = g_build_filename (dir, "sent.csv", NULL);
  sent = artic_test_read_csv (path, 5);
  g_free (path);
  path = g_build_filename (dir, "frames.csv", NULL);
  frames = artic_test_read_csv (path, 13);
  g_free (path);

  /* At least 3 s of 30 fps video was sent and nearly all of it arrived. */
  g_assert_cmpuint (sent->len, >=, 3 * FPS);
  g_assert_cmpuint (frames->len, >=, sent->len * 95 / 100);

  pts_by_capture
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  for (i = 0; i < sent->len; i++) {
    gchar **row = g_ptr_array_index (sent, i);
    gint64 *capture = g_new (gint64, 1), *pts = g_new (gint64, 1);

    *capture = g_ascii_strtoll (row[2], NULL, 10);
    *pts = g_ascii_strtoll (row[1], NULL, 10);
    g_hash_table_insert (pts_by_capture, capture, pts);
  }

  source = artic_test_decode_source_luma (clip, WIDTH, HEIGHT, FPS);
  for (i = 0; i < frames->len; i++) {
    gchar **row = g_ptr_array_index (frames, i);
    gint64 capture = g_ascii_strtoll (row[0], NULL, 10);
    gint64 *pts, other_pts;
    guint8 *received, *reference, *other;
    gchar *jpeg;
    gdouble psnr;

    /* Capture times increase frame after frame, and every frame was sent;
     * a frame articconceal handed on again (repeated) has a line of its own
     * with the same capture time, logged when it is handed on. */
    if (atoi (row[10]) != 1) {
      g_assert_cmpint (capture, >, previous_capture);
      previous_capture = capture;
    }
    pts = g_hash_table_lookup (pts_by_capture, &capture);
    g_assert_nonnull (pts);
    g_assert_cmpfloat (g_ascii_strtod (row[2], NULL), >=, 0.0);
    decoded += atoi (row[7]);
    if (!atoi (row[8]))
      continue;

    sampled++;
    jpeg = g_build_filename (dir, row[9], NULL);
    received = artic_test_decode_jpeg_luma (jpeg, WIDTH, HEIGHT);
    g_free (jpeg);
    reference = g_hash_table_lookup (source, pts);
    g_assert_nonnull (reference);
    psnr = artic_quality_psnr_plane (
        received, WIDTH, reference, WIDTH, WIDTH, HEIGHT);
    g_test_message (
        "sampled frame pts %" G_GINT64_FORMAT ": %.2f dB", *pts, psnr);
    psnr_sum += psnr;
    psnr_min = MIN (psnr_min, psnr);
    if (region != NULL) {
      gsize offset = region[1] * WIDTH + region[0];

      region_sum += artic_quality_psnr_plane (received + offset, WIDTH,
          reference + offset, WIDTH, region[2], region[3]);
    }

    /* The same frame against a source frame 2 s away must score far lower,
     * or the check above proves nothing. */
    other_pts = *pts >= 2 * GST_SECOND ? *pts - 2 * GST_SECOND
                                       : *pts + 2 * GST_SECOND;
    other = g_hash_table_lookup (source, &other_pts);
    if (other != NULL)
      mismatch_psnr
          = MIN (mismatch_psnr, artic_quality_psnr_plane (received, WIDTH,
                                    other, WIDTH, WIDTH, HEIGHT));
    g_free (received);
  }

  g_assert_cmpuint (decoded, >=, frames->len * 95 / 100);
  /* 2 fps over about 4 s. */
  g_assert_cmpuint (sampled, >=, 6);
  g_assert_cmpuint (sampled, <=, 12);
  g_test_message ("PSNR mean %.2f dB, min %.2f dB, mismatched %.2f dB",
      psnr_sum / sampled, psnr_min, mismatch_psnr);
  g_assert_cmpfloat (psnr_sum / sampled, >=, c->min_mean_psnr);
  g_assert_cmpfloat (psnr_min, >=, c->min_frame_psnr);
  g_assert_cmpfloat (mismatch_psnr, <, psnr_min - 5.0);

  g_hash_table_unref (source);
  g_hash_table_unref (pts_by_capture);
  g_ptr_array_unref (sent);
  g_ptr_array_unref (frames);
  if (!g_getenv ("ARTIC_KEEP_OUTPUT")) {
    GDir *d = g_dir_open (dir, 0, NULL);
    const gchar *name;

    while ((name = g_dir_read_name (d)) != NULL) {
      path = g_build_filename (dir, name, NULL);
      g_unlink (path);
      g_free (path);
    }
    g_dir_close (d);
    g_rmdir (dir);
  }
  g_free (dir);
  return region_sum / sampled;
}

static void
test_stream_loopback (gconstpointer data)
{
  stream_width = 640;
  stream_height = 480;
  check_stream (data, NULL);
}

/* The sampled frames' region is sharper with the boxes than without, at
 * the same bitrate; the whole frame still matches its source, above a
 * floor per codec (@data: the codec's uniform case; the ROI run is the
 * same with the box). VP9's region boost codes the rest at its coarsest
 * step, held and low-passed: its whole frame is about 25.6 dB
 * (docs/sender.md). */
static void
test_stream_roi (gconstpointer data)
{
  /* ROI_BOX at 640x360: x 288..480, y 72..119. */
  const guint region[] = { 288, 72, 192, 47 };
  const StreamCase *uniform = data;
  StreamCase roi = *uniform;
  gdouble without, with;

  roi.roi_boxes = ROI_BOX;
  stream_width = 640;
  stream_height = 360;
  without = check_stream (uniform, region);
  with = check_stream (&roi, region);
  g_test_message ("%s: region PSNR without ROI %.2f dB, with %.2f dB (%+.2f)",
      uniform->codec, without, with, with - without);
  g_assert_cmpfloat (with - without, >=, ROI_MIN_GAIN_DB);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  static const StreamCase vp8
      = { "vp8", "1500", MIN_MEAN_PSNR, MIN_FRAME_PSNR, NULL };
  static const StreamCase vp9
      = { "vp9", "1500", MIN_MEAN_PSNR, MIN_FRAME_PSNR, NULL };
  static const StreamCase h264
      = { "h264", "1500", MIN_MEAN_PSNR, MIN_FRAME_PSNR, NULL };

  g_test_add_data_func ("/stream/loopback", &vp8, test_stream_loopback);
  g_test_add_data_func ("/stream/loopback/vp9", &vp9, test_stream_loopback);
  g_test_add_data_func ("/stream/loopback/h264", &h264, test_stream_loopback);
  static const StreamCase roi_vp8 = { "vp8", "200", 30.0, 25.0, NULL };
  static const StreamCase roi_vp9 = { "vp9", "200", 20.0, 15.0, NULL };
  static const StreamCase roi_h264 = { "h264", "200", 28.0, 25.0, NULL };

  g_test_add_data_func ("/stream/roi", &roi_vp8, test_stream_roi);
  g_test_add_data_func ("/stream/roi/vp9", &roi_vp9, test_stream_roi);
  g_test_add_data_func ("/stream/roi/h264", &roi_h264, test_stream_roi);
  return g_test_run ();
}
