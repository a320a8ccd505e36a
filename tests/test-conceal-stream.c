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

/* End to end through the seeded network emulator at 10% random loss:
 * artic-send -> artic-netem -> artic-recv. With --conceal every sampled JPEG
 * must match the source frame it claims to be (no frame decoded from a
 * broken reference chain is ever handed on) and the sampling instants keep
 * being served; with --no-conceal, as a control, some sampled frame is
 * corrupted, which shows that the check can fail. */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "artic-quality.h"
#include "artic-test-media.h"

#define WIDTH 320
#define HEIGHT 240
#define FPS 30
#define SEND_SECONDS "4"
#define LOSS_PERCENT "10"
#define SEED "7"
/* A correctly decoded frame scores well above this against its source (JPEG
 * q90 included); a frame decoded from a broken chain falls below it. */
#define MIN_FRAME_PSNR 30.0
/* Columns of artic-recv's frames.csv. */
#define COL_CAPTURE 0
#define COL_SAMPLED 8
#define COL_FILE 9
#define COL_REPEATED 10
#define COL_AGE 11
#define N_COLUMNS 13

/* One run through the relay; returns artic-recv's summary. */
static gchar *
run_stream (
    const gchar *dir, const gchar *clip, gboolean conceal, const gchar *trace)
{
  guint relay_port = artic_test_free_udp_port (),
        recv_port = artic_test_free_udp_port ();
  gchar *listen = g_strdup_printf ("127.0.0.1:%u", relay_port);
  gchar *to = g_strdup_printf ("127.0.0.1:%u", recv_port);
  gchar *relay_text = g_strdup_printf ("%u", relay_port);
  gchar *recv_text = g_strdup_printf ("%u", recv_port);
  gchar *send_log = g_build_filename (dir, "sent.csv", NULL);
  gchar *stats = g_build_filename (dir, "netem.txt", NULL);
  gchar *summary = NULL, *output;
  const gchar *dropped;
  GError *error = NULL;
  GSubprocess *relay, *recv, *send;

  /* Either seeded random loss or a capacity trace (the outage; the
   * receiver's idle timeout must outlast it). */
  relay = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
      g_getenv ("ARTIC_NETEM"), "--listen", listen, "--to", to, "--seed", SEED,
      "--duration", "60", "--stats", stats,
      trace != NULL ? "--trace" : "--loss",
      trace != NULL ? trace : LOSS_PERCENT, NULL);
  g_assert_no_error (error);
  recv = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
      g_getenv ("ARTIC_RECV"), "--transport", "rtp",
      conceal ? "--conceal" : "--no-conceal", "--port", recv_text, "--address",
      "127.0.0.1", "--output-dir", dir, "--idle-timeout",
      trace != NULL ? "3" : "1", "--wait", "20", "--quiet", NULL);
  g_assert_no_error (error);
  g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  /* The receiver's concealment on its own: the sender ignores feedback
   * (--no-feedback: no recovery frames, no resilient mode, no FEC, all of
   * which keep broken chains from reaching the receiver at all, so that
   * the control below would have nothing to show), and key frames every
   * 0.5 s are how the chain comes back. The interval counts encoded frames:
   * every captured frame is encoded. */
  send = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
      g_getenv ("ARTIC_SEND"), "--transport", "rtp", "--input", clip, "--port",
      relay_text, "--bitrate", "600", "--size", "320x240",
      "--keyframe-interval", "15", "--fixed-framerate", "--no-feedback",
      "--duration", SEND_SECONDS, "--log", send_log, "--quiet", NULL);
  g_assert_no_error (error);
  g_free (artic_test_finish_process (send));
  output = artic_test_finish_process (recv);
  g_subprocess_send_signal (relay, SIGTERM);
  g_assert_true (g_subprocess_wait (relay, NULL, &error));
  g_assert_no_error (error);

  /* The relay really lost packets. */
  g_assert_true (g_file_get_contents (stats, &summary, NULL, NULL));
  dropped = strstr (summary, "dropped by loss ");
  g_assert_nonnull (dropped);
  g_test_message ("relay: %s", summary);
  if (trace == NULL)
    g_assert_cmpuint (
        g_ascii_strtoull (dropped + strlen ("dropped by loss "), NULL, 10), >,
        0);

  g_free (summary);
  g_object_unref (relay);
  g_object_unref (recv);
  g_object_unref (send);
  g_free (stats);
  g_free (send_log);
  g_free (listen);
  g_free (to);
  g_free (relay_text);
  g_free (recv_text);
  return output;
}

/* Lines are not in file order (a frame's first hand-on is logged when the
 * next frame is decoded): order the files, then count repeated runs. */
static guint
longest_repeat_run (GPtrArray *frames, gdouble *oldest_ms)
{
  GArray *repeated = g_array_new (FALSE, TRUE, sizeof (gint));
  GArray *ages = g_array_new (FALSE, TRUE, sizeof (gdouble));
  guint i, run = 0, longest = 0;
  gdouble run_oldest = 0;

  for (i = 0; i < frames->len; i++) {
    gchar **row = g_ptr_array_index (frames, i);
    guint index;
    gint value;

    if (!atoi (row[COL_SAMPLED]))
      continue;
    index = (guint) g_ascii_strtoull (
        row[COL_FILE] + strlen ("frame-"), NULL, 10);
    value = atoi (row[COL_REPEATED]) == 1;
    if (index >= repeated->len) {
      g_array_set_size (repeated, index + 1);
      g_array_set_size (ages, index + 1);
    }
    g_array_index (repeated, gint, index) = value;
    g_array_index (ages, gdouble, index) = g_ascii_strtod (row[COL_AGE], NULL);
  }
  /* Only runs that a fresh frame ended: not the idle tail after the
   * stream. */
  for (i = 0; i < repeated->len; i++) {
    if (g_array_index (repeated, gint, i)) {
      run++;
      run_oldest = MAX (run_oldest, g_array_index (ages, gdouble, i));
    } else {
      longest = MAX (longest, run);
      *oldest_ms = MAX (*oldest_ms, run_oldest);
      run = 0;
      run_oldest = 0;
    }
  }
  g_array_unref (repeated);
  g_array_unref (ages);
  return longest;
}

typedef struct
{
  guint sampled;
  guint repeated;
  guint longest_repeat_run; /* consecutive repeats before a fresh frame */
  gdouble oldest_repeat_ms; /* in those runs */
  gdouble max_age_ms;
  guint corrupted;
  gdouble psnr_min;
  guint max_file_index;
} StreamCheck;

static void
check_sampled (const gchar *dir, GHashTable *source, StreamCheck *check)
{
  gchar *path = g_build_filename (dir, "sent.csv", NULL);
  GPtrArray *sent = artic_test_read_csv (path, 5), *frames;
  GHashTable *pts_by_capture
      = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  guint i;

  g_free (path);
  path = g_build_filename (dir, "frames.csv", NULL);
  frames = artic_test_read_csv (path, N_COLUMNS);
  g_free (path);
  for (i = 0; i < sent->len; i++) {
    gchar **row = g_ptr_array_index (sent, i);
    gint64 *capture = g_new (gint64, 1), *pts = g_new (gint64, 1);

    *capture = g_ascii_strtoll (row[2], NULL, 10);
    *pts = g_ascii_strtoll (row[1], NULL, 10);
    g_hash_table_insert (pts_by_capture, capture, pts);
  }

  memset (check, 0, sizeof (*check));
  check->psnr_min = 1000;
  for (i = 0; i < frames->len; i++) {
    gchar **row = g_ptr_array_index (frames, i);
    gint64 capture = g_ascii_strtoll (row[COL_CAPTURE], NULL, 10);
    gint64 *pts;
    guint8 *received, *reference;
    gchar *jpeg;
    gdouble psnr;

    if (!atoi (row[COL_SAMPLED]))
      continue;
    check->sampled++;
    check->repeated += atoi (row[COL_REPEATED]) == 1;
    check->max_age_ms
        = MAX (check->max_age_ms, g_ascii_strtod (row[COL_AGE], NULL));
    pts = g_hash_table_lookup (pts_by_capture, &capture);
    g_assert_nonnull (pts);
    jpeg = g_build_filename (dir, row[COL_FILE], NULL);
    check->max_file_index = MAX (check->max_file_index,
        (guint) g_ascii_strtoull (row[COL_FILE] + strlen ("frame-"), NULL, 10));
    received = artic_test_decode_jpeg_luma (jpeg, WIDTH, HEIGHT);
    g_free (jpeg);
    reference = g_hash_table_lookup (source, pts);
    g_assert_nonnull (reference);
    psnr = artic_quality_psnr_plane (
        received, WIDTH, reference, WIDTH, WIDTH, HEIGHT);
    g_test_message ("%s: source pts %" G_GINT64_FORMAT
                    ", repeated %s, age %s ms: %.2f dB",
        row[COL_FILE], *pts, row[COL_REPEATED], row[COL_AGE], psnr);
    check->psnr_min = MIN (check->psnr_min, psnr);
    if (psnr < MIN_FRAME_PSNR)
      check->corrupted++;
    g_free (received);
  }
  check->longest_repeat_run
      = longest_repeat_run (frames, &check->oldest_repeat_ms);
  g_hash_table_unref (pts_by_capture);
  g_ptr_array_unref (sent);
  g_ptr_array_unref (frames);
}

static void
test_conceal_through_loss (void)
{
  const gchar *clip = g_getenv ("ARTIC_CLIP");
  gchar *dir = artic_test_make_dir ("artic-conceal-XXXXXX");
  gchar *control = artic_test_make_dir ("artic-conceal-control-XXXXXX");
  GHashTable *source;
  StreamCheck with, without;
  gchar *summary;

  g_assert_nonnull (clip);
  source = artic_test_decode_source_luma (clip, WIDTH, HEIGHT, FPS);

  summary = run_stream (dir, clip, TRUE, NULL);
  g_assert_nonnull (strstr (summary, "artic-recv: conceal: "));
  g_free (summary);
  check_sampled (dir, source, &with);
  g_test_message ("conceal: %u instants served (%u fresh, %u repeated), "
                  "%u corrupted, min %.2f dB",
      with.sampled, with.sampled - with.repeated, with.repeated, with.corrupted,
      with.psnr_min);
  /* No corrupted frame handed on. */
  g_assert_cmpuint (with.corrupted, ==, 0);
  /* Instants are served at 2 fps from the first good frame on (4 s of
   * stream, 1 s idle tail): every written file has its line. */
  g_assert_cmpuint (with.sampled, >=, 7);
  g_assert_cmpuint (with.sampled, ==, with.max_file_index + 1);
  g_assert_cmpuint (with.sampled - with.repeated, >=, 2);

  /* The control: the same seeded loss without concealment hands on frames
   * decoded from a broken chain. */
  summary = run_stream (control, clip, FALSE, NULL);
  g_free (summary);
  check_sampled (control, source, &without);
  g_test_message ("no conceal: %u sampled, %u corrupted, min %.2f dB",
      without.sampled, without.corrupted, without.psnr_min);
  g_assert_cmpuint (without.corrupted, >, 0);

  artic_test_remove_dir (dir);
  artic_test_remove_dir (control);
  g_free (dir);
  g_free (control);
  g_hash_table_unref (source);
}

/* A Mahimahi trace with ample capacity (one 1500-byte opportunity per ms)
 * except for a 2 s outage from 2.0 s to 4.0 s after the relay starts (the
 * sender starts ~0.5 s later): nothing gets through, then the queue drains
 * at once. */
static gchar *
write_outage_trace (const gchar *dir)
{
  gchar *path = g_build_filename (dir, "outage.trace", NULL);
  GString *text = g_string_new (NULL);
  guint ms;

  for (ms = 1; ms <= 12000; ms++)
    if (ms < 2000 || ms >= 4000)
      g_string_append_printf (text, "%u\n", ms);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  g_string_free (text, TRUE);
  return path;
}

static void
test_cadence_through_outage (void)
{
  const gchar *clip = g_getenv ("ARTIC_CLIP");
  gchar *dir = artic_test_make_dir ("artic-conceal-outage-XXXXXX");
  gchar *trace = write_outage_trace (dir);
  GHashTable *source;
  StreamCheck check;

  g_assert_nonnull (clip);
  source = artic_test_decode_source_luma (clip, WIDTH, HEIGHT, FPS);
  g_free (run_stream (dir, clip, TRUE, trace));
  check_sampled (dir, source, &check);
  g_test_message ("outage: %u instants served (%u repeated), longest run of "
                  "repeats %u (oldest %.0f ms) before a fresh frame, %u "
                  "corrupted",
      check.sampled, check.repeated, check.longest_repeat_run,
      check.oldest_repeat_ms, check.corrupted);
  g_assert_cmpuint (check.corrupted, ==, 0);
  /* The 2 s without packets (4 instants at 2 fps; the first may still get
   * the last frame before it, fresh) were served by repeats of that frame,
   * older and older, and then fresh frames came again: the cadence did not
   * stall. */
  g_assert_cmpuint (check.sampled, ==, check.max_file_index + 1);
  g_assert_cmpuint (check.longest_repeat_run, >=, 2);
  g_assert_cmpfloat (check.oldest_repeat_ms, >=, 900.0);

  g_free (trace);
  artic_test_remove_dir (dir);
  g_free (dir);
  g_hash_table_unref (source);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func (
      "/conceal-stream/through-10pct-loss", test_conceal_through_loss);
  g_test_add_func (
      "/conceal-stream/cadence-through-outage", test_cadence_through_outage);
  return g_test_run ();
}
