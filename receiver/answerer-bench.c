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

/* answerer-bench: accuracy and latency of artic-answerer over loopback HTTP,
 * on images whose text is known because the bench drew it. Prints figures;
 * not a test (docs/answerer.md has a run). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "artic-answerer-testkit.h"
#include "artic-answerer.h"

#include <gst/gst.h>
#include <stdlib.h>
#include <string.h>

#define PROGRAM "answerer-bench"
#define DEVIBENCH_PROMPT \
  "Answer the following question concisely based on the video.\nQuestion:\n"

static const gchar *const texts[] = { "CAMPRODON", "EXIT 24", "PHARMACY",
  "OPEN 9 TO 5", "PLATFORM 7", "GATE B12", "ROOM 304", "NO PARKING", "BAKERY",
  "TICKET 4471", "MUSEUM", "LIBRARY", "SALE 50%", "ROUTE 66", "HOTEL",
  "STATION", "COFFEE", "KITCHEN", "BUS 42", "DANGER", "PRIVATE", "TAXI",
  "GARDEN", "CINEMA", NULL };

static const gchar *const qr_texts[] = { "https://example.org/artic",
  "ROOM 304", "WIFI:S:artic;T:WPA;P:chat2026;;", "ORDER 58213", NULL };

typedef struct
{
  SoupSession *session;
  guint port;
  GArray *latency_ms; /* gdouble */
  guint asked, right;
} Bench;

static gchar *
norm (const gchar *text)
{
  GString *out = g_string_new (NULL);

  for (; *text; text++) {
    if (g_ascii_isalnum (*text))
      g_string_append_c (out, g_ascii_tolower (*text));
  }
  return g_string_free (out, FALSE);
}

/* Sends one question about @images; returns the reply content. */
static gchar *
ask (Bench *bench, const gchar *question, GBytes **images, guint n,
    const gchar *mime)
{
  gchar **urls = g_new0 (gchar *, n + 1);
  gchar *prompt = g_strconcat (DEVIBENCH_PROMPT, question, NULL);
  gchar *body, *response = NULL, *content;
  gint64 start;
  gdouble ms;
  guint i, status;

  for (i = 0; i < n; i++)
    urls[i] = artic_answerer_testkit_data_url (images[i], mime);
  body = artic_answerer_testkit_request (
      prompt, (const gchar *const *) urls, FALSE, FALSE);
  start = g_get_monotonic_time ();
  status = artic_answerer_testkit_post (bench->session, bench->port,
      "/v1/chat/completions", body, strlen (body), NULL, &response);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  g_array_append_val (bench->latency_ms, ms);
  content = status == 200 ? artic_answerer_testkit_content (response) : NULL;
  g_free (response);
  g_free (body);
  g_free (prompt);
  g_strfreev (urls);
  return content ? content : g_strdup_printf ("(HTTP %u)", status);
}

static gboolean
check (Bench *bench, const gchar *label, const gchar *expected, gchar *answer)
{
  gchar *a = norm (answer), *e = norm (expected);
  gboolean ok = g_str_equal (a, e);

  bench->asked++;
  bench->right += ok;
  if (!ok)
    g_print (
        "  miss %-28s expected \"%s\", got \"%s\"\n", label, expected, answer);
  g_free (a);
  g_free (e);
  g_free (answer);
  return ok;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;
  return x < y ? -1 : x > y;
}

static void
print_latency (const gchar *label, GArray *ms)
{
  gdouble sum = 0;
  guint i;

  if (ms->len == 0)
    return;
  g_array_sort (ms, compare_double);
  for (i = 0; i < ms->len; i++)
    sum += g_array_index (ms, gdouble, i);
  g_print ("%-34s n=%-3u mean %6.0f ms  p50 %6.0f ms  p90 %6.0f ms  max %6.0f "
           "ms\n",
      label, ms->len, sum / ms->len, g_array_index (ms, gdouble, ms->len / 2),
      g_array_index (ms, gdouble,
          (ms->len * 9) / 10 < ms->len ? (ms->len * 9) / 10 : ms->len - 1),
      g_array_index (ms, gdouble, ms->len - 1));
  g_array_set_size (ms, 0);
}

static void
report (Bench *bench, const gchar *label)
{
  g_print ("%-34s %u/%u right (%.1f%%)\n", label, bench->right, bench->asked,
      bench->asked ? 100.0 * bench->right / bench->asked : 0.0);
  print_latency ("  latency per request", bench->latency_ms);
  bench->asked = bench->right = 0;
}

int
main (int argc, char **argv)
{
  gchar *answerer = NULL, *clip = NULL;
  gint port = 0;
  GOptionEntry entries[] = {
    { "answerer", 0, 0, G_OPTION_ARG_FILENAME, &answerer,
        "artic-answerer binary to start (default: next to this program)",
        "PATH" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port,
        "Use an answerer already listening on 127.0.0.1:PORT instead", "PORT" },
    { "clip", 0, 0, G_OPTION_ARG_FILENAME, &clip,
        "Camera clip for backgrounds (default data/media/box-10s.mp4)",
        "FILE" },
    { NULL }
  };
  GOptionContext *context = g_option_context_new ("- answerer accuracy");
  GError *error = NULL;
  Bench bench = { 0 };
  GPid pid = 0;
  guint i, clip_reads = 0, clip_frames = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)) {
    g_printerr (PROGRAM ": error: %s\n", error->message);
    return 2;
  }
  g_option_context_free (context);
  if (port < 0 || port > 65535) {
    g_printerr (PROGRAM ": error: --port must be 0..65535\n");
    return 2;
  }
  gst_init (NULL, NULL);
  if (clip == NULL)
    clip = g_strdup ("data/media/box-10s.mp4");
  if (!g_file_test (clip, G_FILE_TEST_IS_REGULAR)) {
    g_printerr (PROGRAM ": error: no clip at %s (run from the source tree "
                        "or pass --clip)\n",
        clip);
    return 2;
  }
  if (port == 0) {
    if (answerer == NULL) {
      gchar *dir = g_path_get_dirname (argv[0]);
      answerer = g_build_filename (dir, "artic-answerer", NULL);
      g_free (dir);
    }
    pid = artic_answerer_testkit_spawn (
        answerer, NULL, "/dev/null", (guint *) &port, &error);
    if (pid == 0) {
      g_printerr (PROGRAM ": error: %s\n", error->message);
      return 1;
    }
  }
  bench.port = (guint) port;
  bench.session = soup_session_new_with_options ("timeout", 120, NULL);
  bench.latency_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));

  g_print ("%u texts, 640x480 JPEG (quality 90), one image per request\n",
      g_strv_length ((gchar **) texts));
  /* 1. Clean rendered text, two questions each. */
  for (i = 0; texts[i]; i++) {
    GBytes *image = artic_answerer_testkit_render (
        texts[i], "Sans 40", 640, 480, NULL, 0, &error);
    g_assert_no_error (error);
    check (&bench, texts[i], texts[i],
        ask (&bench, "What is the text on the sign?", &image, 1, "image/jpeg"));
    check (&bench, texts[i], texts[i],
        ask (&bench, "What is written here?", &image, 1, "image/jpeg"));
    g_bytes_unref (image);
  }
  report (&bench, "white background, Sans 40");

  /* 2. The same texts on a printed label held up in the camera clip. */
  for (i = 0; texts[i]; i++) {
    guint64 t = (guint64) (i % 10) * GST_SECOND + GST_SECOND / 3;
    GBytes *image = artic_answerer_testkit_render (
        texts[i], "Sans 28", 640, 480, clip, t, &error);
    const gchar *question = strchr (texts[i], ' ')
                                ? "What does the label say?"
                                : "What is the word printed on the label?";
    g_assert_no_error (error);
    check (&bench, texts[i], texts[i],
        ask (&bench, question, &image, 1, "image/jpeg"));
    g_bytes_unref (image);
  }
  report (&bench, "label on clip frames, Sans 28");

  /* 3. Three frames a request (the ZeCoStream window), text only in the
   * newest: the cost of a realistic request. */
  for (i = 0; texts[i] && i < 8; i++) {
    GBytes *images[3];
    guint k;
    for (k = 0; k < 3; k++) {
      images[k]
          = artic_answerer_testkit_render (k == 2 ? texts[i] : NULL, "Sans 28",
              640, 480, clip, (guint64) (i + k) * GST_SECOND / 2, &error);
      g_assert_no_error (error);
    }
    check (&bench, texts[i], texts[i],
        ask (&bench, "What is written on the label?", images, 3, "image/jpeg"));
    for (k = 0; k < 3; k++)
      g_bytes_unref (images[k]);
  }
  report (&bench, "3 clip frames, label in newest");

  /* 4. The ReCapABR signal: readability and accuracy as the encoder
   * starves (JPEG quality standing in for bitrate). */
  g_print ("quality sweep, label on clip frames, Sans 22 (~16 px "
           "capitals):\n");
  {
    static const guint qualities[] = { 90, 50, 25, 12, 6, 3 };
    guint q;

    for (q = 0; q < G_N_ELEMENTS (qualities); q++) {
      gdouble sum = 0;
      gsize bytes = 0;
      for (i = 0; texts[i]; i++) {
        GBytes *clean
            = artic_answerer_testkit_render (texts[i], "Sans 22", 640, 480,
                clip, (guint64) (i % 10) * GST_SECOND + GST_SECOND / 3, &error);
        GBytes *image;
        gchar *reply;
        gdouble value;

        g_assert_no_error (error);
        image = artic_answerer_testkit_reencode (clean, qualities[q], &error);
        g_assert_no_error (error);
        bytes += g_bytes_get_size (image);
        reply = ask (&bench,
            "Rate the readability (0.0-1.0) of the region "
            "relevant to the question. Question: What is "
            "written?",
            &image, 1, "image/jpeg");
        value = g_ascii_strtod (
            strchr (reply, ':') ? strchr (reply, ':') + 1 : "0", NULL);
        sum += value;
        g_free (reply);
        bench.asked++;
        reply = ask (&bench, "What is written?", &image, 1, "image/jpeg");
        bench.asked--;
        {
          gchar *a = norm (reply), *e = norm (texts[i]);
          bench.right += g_str_equal (a, e);
          g_free (a);
          g_free (e);
        }
        g_free (reply);
        g_bytes_unref (image);
        g_bytes_unref (clean);
      }
      g_print ("  JPEG quality %2u: %5.1f KB/frame, mean readability %.2f, "
               "%u/%u answers right\n",
          qualities[q], bytes / 1000.0 / i, sum / i, bench.right, i);
      bench.right = bench.asked = 0;
    }
    g_array_set_size (bench.latency_ms, 0);
  }

  /* 5. QR codes. */
  for (i = 0; qr_texts[i]; i++) {
    GBytes *image = artic_answerer_testkit_qr (qr_texts[i], 4, &error);
    g_assert_no_error (error);
    check (&bench, "qr", qr_texts[i],
        ask (&bench, "What does the QR code say?", &image, 1, "image/png"));
    g_bytes_unref (image);
  }
  report (&bench, "QR codes, 4 px modules (PNG)");

  /* 6. The clip as shot: "CAMPRODON" is printed on the box, ~8 px tall. */
  for (i = 0; i < 10; i++) {
    GBytes *image = artic_answerer_testkit_render (NULL, NULL, 640, 480, clip,
        (guint64) i * GST_SECOND + GST_SECOND / 2, &error);
    gchar *answer, *a;
    g_assert_no_error (error);
    answer = ask (&bench, "What is the word printed on the box?", &image, 1,
        "image/jpeg");
    a = norm (answer);
    clip_frames++;
    clip_reads += strstr (a, "camprodon") != NULL;
    if (i == 0)
      g_print ("clip frame 0.5 s: \"%s\"\n", answer);
    g_free (a);
    g_free (answer);
    g_bytes_unref (image);
  }
  g_print ("%-34s %u/%u frames read \"CAMPRODON\"\n", "the clip as shot",
      clip_reads, clip_frames);
  print_latency ("  latency per request", bench.latency_ms);

  g_object_unref (bench.session);
  g_array_unref (bench.latency_ms);
  if (pid != 0)
    artic_answerer_testkit_stop (pid);
  g_free (answerer);
  g_free (clip);
  return 0;
}
