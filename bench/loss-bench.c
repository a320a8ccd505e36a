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

/* loss-bench: artic against the baseline a GStreamer user would build, over
 * the artic-netem relay on loopback, under the same seeded loss, delay and
 * capacity traces (docs/loss-bench.md). Each run is real time: the real
 * programs (artic-send, artic-netem, artic-recv; the baseline as two roles
 * of this program) run as subprocesses, so whatever the stacks do today is
 * what gets measured. */

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "artic-loss-metrics.h"
#include "loss-bench-baseline.h"

#define LOSS_BENCH_MAX_AGE_S 1.0
/* The first second is start-up (the receiver joins, the first key frame
 * travels): not scored. */
#define LOSS_BENCH_WARMUP_US G_USEC_PER_SEC
#define LOSS_BENCH_IDLE_TIMEOUT_S 4.0
#define LOSS_BENCH_WAIT_S 20.0
#define LOSS_BENCH_BASELINE_LATENCY_MS 200
#define LOSS_BENCH_TRACE_QUEUE_BYTES 90000
/* The targets, checked at 10% random loss. */
#define LOSS_BENCH_TARGET_CONDITION "loss10"
#define LOSS_BENCH_TARGET_EXTRA_MS 50.0
#define LOSS_BENCH_TARGET_FRESH_PERCENT 99.0

typedef struct
{
  const gchar *name;
  const gchar *description;
  const gchar *loss;  /* artic-netem loss options of the forward link */
  const gchar *trace; /* a file in the traces folder, or NULL */
} LossBenchCondition;

static const LossBenchCondition loss_bench_conditions[] = {
  { "loss0", "no loss", "--loss=0", NULL },
  { "loss5", "5% random loss", "--loss=5", NULL },
  { "loss10", "10% random loss", "--loss=10", NULL },
  { "loss20", "20% random loss", "--loss=20", NULL },
  { "burst", "Gilbert-Elliott p=2% r=25% (7.4% loss, mean burst 4)",
      "--burst=2,25", NULL },
  { "att", "trace ATT-LTE-driving-2016.up", NULL, "ATT-LTE-driving-2016.up" },
  { "tmobile", "trace TMobile-UMTS-driving.up", NULL,
      "TMobile-UMTS-driving.up" },
  { "verizon", "trace Verizon-LTE-short.up", NULL, "Verizon-LTE-short.up" },
};

typedef enum
{
  LOSS_BENCH_ARTIC,
  LOSS_BENCH_BASELINE,
} LossBenchStack;

static const gchar *const loss_bench_stack_names[] = { "artic", "baseline" };

typedef struct
{
  /* Bench options */
  gdouble duration_s;
  gint seed;
  gchar *conditions;
  gchar *stacks;
  gchar *output;
  gchar *clip;
  gchar *traces;
  gchar *bin_dir;
  gchar *self;
  gint bitrate_kbps;
  gchar *size;
  guint width;
  guint height;
  gint fps;
  gint keyframe_interval;
  gint delay_ms;
  gdouble sample_rate;
  /* Role options */
  gchar *role;
  ArticBaselineOptions baseline;
} LossBench;

/* Everything one run measured. */
typedef struct
{
  const LossBenchCondition *condition;
  LossBenchStack stack;
  ArticLossScore score;
  ArticLossLinkCounts link;
  gdouble media_s;
  guint frames_sent;
  guint keyframes;
  gint64 rtx_packets; /* -1: the stack has none to report */
  gint64 keyunit_requests;
  guint misses[ARTIC_LOSS_MISS_KINDS]; /* missed instants by reason */
} LossBenchResult;

/* A run's files. */
typedef struct
{
  gchar *dir;
  gint relay_port;
  gint recv_port;
} LossBenchRun;

static gchar *
loss_bench_path (const LossBenchRun *run, const gchar *name)
{
  return g_build_filename (run->dir, name, NULL);
}

static void loss_bench_add (GPtrArray *argv, const gchar *format, ...)
    G_GNUC_PRINTF (2, 3);

static void
loss_bench_add (GPtrArray *argv, const gchar *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (argv, g_strdup_vprintf (format, args));
  va_end (args);
}

static gchar *
loss_bench_program (const LossBench *bench, const gchar *name)
{
  return g_build_filename (bench->bin_dir, name, NULL);
}

/* ---- How each program is invoked: adjust flags here, in one place. ---- */

/* artic-send with its defaults, plus the bench's clip, size, rate and the
 * frame dump (the lossless reference). */
static GPtrArray *
loss_bench_artic_send_argv (const LossBench *bench, const LossBenchRun *run)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, loss_bench_program (bench, "artic-send"));
  /* Plain RTP: the bench measures the media path's loss behaviour; SRTP
   * and the session's signaling do not change it (docs/loss-bench.md). */
  g_ptr_array_add (argv, g_strdup ("--transport=rtp"));
  loss_bench_add (argv, "--input=%s", bench->clip);
  loss_bench_add (argv, "--host=127.0.0.1");
  loss_bench_add (argv, "--port=%d", run->relay_port);
  loss_bench_add (argv, "--duration=%g", bench->duration_s);
  loss_bench_add (argv, "--size=%ux%u", bench->width, bench->height);
  loss_bench_add (argv, "--fps=%d", bench->fps);
  loss_bench_add (argv, "--bitrate=%d", bench->bitrate_kbps);
  loss_bench_add (argv, "--keyframe-interval=%d", bench->keyframe_interval);
  loss_bench_add (argv, "--dump-frames=%s/sent.ivf", run->dir);
  loss_bench_add (argv, "--log=%s/sent.csv", run->dir);
  g_ptr_array_add (argv, g_strdup ("--quiet"));
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* artic-recv with its defaults (concealment, 50 ms jitter buffer). */
static GPtrArray *
loss_bench_artic_recv_argv (const LossBench *bench, const LossBenchRun *run)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, loss_bench_program (bench, "artic-recv"));
  g_ptr_array_add (argv, g_strdup ("--transport=rtp"));
  loss_bench_add (argv, "--address=127.0.0.1");
  loss_bench_add (argv, "--port=%d", run->recv_port);
  loss_bench_add (argv, "--output-dir=%s/recv", run->dir);
  loss_bench_add (argv, "--sample-rate=%g", bench->sample_rate);
  loss_bench_add (argv, "--idle-timeout=%g", LOSS_BENCH_IDLE_TIMEOUT_S);
  loss_bench_add (argv, "--wait=%g", LOSS_BENCH_WAIT_S);
  loss_bench_add (argv, "--handed-log=%s/handed.csv", run->dir);
  g_ptr_array_add (argv, g_strdup ("--quiet"));
  g_ptr_array_add (argv, NULL);
  return argv;
}

static GPtrArray *
loss_bench_baseline_send_argv (const LossBench *bench, const LossBenchRun *run)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (bench->self));
  loss_bench_add (argv, "--role=baseline-send");
  loss_bench_add (argv, "--clip=%s", bench->clip);
  loss_bench_add (argv, "--host=127.0.0.1");
  loss_bench_add (argv, "--port=%d", run->relay_port);
  loss_bench_add (argv, "--duration=%g", bench->duration_s);
  loss_bench_add (argv, "--size=%ux%u", bench->width, bench->height);
  loss_bench_add (argv, "--fps=%d", bench->fps);
  loss_bench_add (argv, "--bitrate=%d", bench->bitrate_kbps);
  loss_bench_add (argv, "--keyframe-interval=%d", bench->keyframe_interval);
  loss_bench_add (argv, "--dump-frames=%s/sent.ivf", run->dir);
  loss_bench_add (argv, "--stats=%s/send-stats.ini", run->dir);
  g_ptr_array_add (argv, NULL);
  return argv;
}

static GPtrArray *
loss_bench_baseline_recv_argv (const LossBench *bench, const LossBenchRun *run)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_strdup (bench->self));
  loss_bench_add (argv, "--role=baseline-recv");
  loss_bench_add (argv, "--host=127.0.0.1");
  loss_bench_add (argv, "--port=%d", run->recv_port);
  loss_bench_add (argv, "--sample-rate=%g", bench->sample_rate);
  loss_bench_add (argv, "--latency=%d", LOSS_BENCH_BASELINE_LATENCY_MS);
  loss_bench_add (argv, "--idle-timeout=%g", LOSS_BENCH_IDLE_TIMEOUT_S);
  loss_bench_add (argv, "--wait=%g", LOSS_BENCH_WAIT_S);
  loss_bench_add (argv, "--handed-log=%s/handed.csv", run->dir);
  loss_bench_add (argv, "--stats=%s/recv-stats.ini", run->dir);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* The same link for both stacks: delay both ways, the condition's loss or
 * capacity trace on the forward (media) direction, the feedback direction
 * lossless; the seed makes the two stacks meet the same loss pattern. */
static GPtrArray *
loss_bench_netem_argv (const LossBench *bench, const LossBenchRun *run,
    const LossBenchCondition *condition)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, loss_bench_program (bench, "artic-netem"));
  loss_bench_add (argv, "--listen=127.0.0.1:%d", run->relay_port);
  loss_bench_add (argv, "--to=127.0.0.1:%d", run->recv_port);
  loss_bench_add (argv, "--delay=%d", bench->delay_ms);
  loss_bench_add (argv, "--reverse-delay=%d", bench->delay_ms);
  loss_bench_add (argv, "--seed=%d", bench->seed);
  if (condition->loss != NULL)
    g_ptr_array_add (argv, g_strdup (condition->loss));
  if (condition->trace != NULL) {
    loss_bench_add (argv, "--trace=%s/%s", bench->traces, condition->trace);
    loss_bench_add (argv, "--queue-bytes=%d", LOSS_BENCH_TRACE_QUEUE_BYTES);
  }
  loss_bench_add (argv, "--stats=%s/netem.txt", run->dir);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* ---- Running the processes ---- */

static GSubprocess *
loss_bench_spawn (GPtrArray *argv, const LossBenchRun *run, const gchar *log)
{
  GSubprocessLauncher *launcher
      = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  gchar *path = loss_bench_path (run, log);
  GError *error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_stdout_file_path (launcher, path);
  process = g_subprocess_launcher_spawnv (
      launcher, (const gchar *const *) argv->pdata, &error);
  if (process == NULL) {
    fprintf (stderr, "loss-bench: error: cannot start %s: %s\n",
        (const gchar *) argv->pdata[0], error->message);
    g_clear_error (&error);
  }
  g_free (path);
  g_object_unref (launcher);
  g_ptr_array_unref (argv);
  return process;
}

/* Waits up to timeout_s, then kills. TRUE if it exited with status 0. */
static gboolean
loss_bench_wait (GSubprocess *process, gdouble timeout_s, const gchar *what)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_USEC_PER_SEC;

  if (process == NULL)
    return FALSE;
  while (g_subprocess_get_identifier (process) != NULL
         && g_get_monotonic_time () < deadline)
    g_usleep (20 * G_TIME_SPAN_MILLISECOND);
  if (g_subprocess_get_identifier (process) != NULL) {
    fprintf (stderr, "loss-bench: error: %s did not finish, killed\n", what);
    g_subprocess_force_exit (process);
    g_subprocess_wait (process, NULL, NULL);
    return FALSE;
  }
  g_subprocess_wait (process, NULL, NULL);
  if (!g_subprocess_get_successful (process)) {
    fprintf (stderr, "loss-bench: error: %s failed (see its log)\n", what);
    return FALSE;
  }
  return TRUE;
}

static gint
loss_bench_free_udp_port (void)
{
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *address = g_inet_socket_address_new (loopback, 0);
  GSocketAddress *bound = NULL;
  gint port = 0;

  if (socket != NULL && g_socket_bind (socket, address, FALSE, NULL))
    bound = g_socket_get_local_address (socket, NULL);
  if (bound != NULL)
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_clear_object (&bound);
  g_clear_object (&socket);
  g_object_unref (address);
  g_object_unref (loopback);
  return port;
}

/* A rerun into the same folder must not score an earlier run's files. */
static void
loss_bench_clean_run_dir (const LossBenchRun *run)
{
  const gchar *const files[]
      = { "sent.ivf", "sent.csv", "handed.csv", "netem.txt", "send-stats.ini",
          "recv-stats.ini", "send.log", "recv.log", "netem.log" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (files); i++) {
    gchar *path = loss_bench_path (run, files[i]);

    g_unlink (path);
    g_free (path);
  }
}

/* One stack under one condition, in real time: receiver, relay, sender. */
static gboolean
loss_bench_run_processes (const LossBench *bench, LossBenchRun *run,
    const LossBenchCondition *condition, LossBenchStack stack)
{
  GSubprocess *recv, *netem, *send;
  gboolean ok;

  loss_bench_clean_run_dir (run);
  run->recv_port = loss_bench_free_udp_port ();
  do
    run->relay_port = loss_bench_free_udp_port ();
  while (run->relay_port == run->recv_port);
  recv = loss_bench_spawn (stack == LOSS_BENCH_ARTIC
                               ? loss_bench_artic_recv_argv (bench, run)
                               : loss_bench_baseline_recv_argv (bench, run),
      run, "recv.log");
  netem = loss_bench_spawn (
      loss_bench_netem_argv (bench, run, condition), run, "netem.log");
  if (recv == NULL || netem == NULL) {
    if (recv != NULL)
      g_subprocess_force_exit (recv);
    if (netem != NULL)
      g_subprocess_force_exit (netem);
    g_clear_object (&recv);
    g_clear_object (&netem);
    return FALSE;
  }
  /* Both bind their sockets at start; give them a moment. */
  g_usleep (500 * G_TIME_SPAN_MILLISECOND);
  send = loss_bench_spawn (stack == LOSS_BENCH_ARTIC
                               ? loss_bench_artic_send_argv (bench, run)
                               : loss_bench_baseline_send_argv (bench, run),
      run, "send.log");
  ok = loss_bench_wait (send, bench->duration_s + 30, "the sender");
  ok = loss_bench_wait (recv, LOSS_BENCH_IDLE_TIMEOUT_S + 30, "the receiver")
       && ok;
  g_subprocess_send_signal (netem, SIGTERM);
  ok = loss_bench_wait (netem, 10, "artic-netem") && ok;
  g_clear_object (&send);
  g_object_unref (recv);
  g_object_unref (netem);
  return ok;
}

/* ---- Scoring ---- */

static gint64
loss_bench_read_stat (const LossBenchRun *run, const gchar *file,
    const gchar *group, const gchar *key)
{
  gchar *path = loss_bench_path (run, file);
  GKeyFile *stats = g_key_file_new ();
  gint64 value = -1;

  if (g_key_file_load_from_file (stats, path, G_KEY_FILE_NONE, NULL))
    value = (gint64) g_key_file_get_uint64 (stats, group, key, NULL);
  g_key_file_free (stats);
  g_free (path);
  return value;
}

/* One line per missed instant in misses.csv (seconds from the first
 * capture, the reason, the age of the frame served, frames and key frames
 * sent in the second before), and the counts by reason in @result. */
static gboolean
loss_bench_explain_misses (const LossBenchRun *run,
    const ArticLossReference *reference, const GArray *instants,
    const ArticLossScoreParams *params, LossBenchResult *result, GError **error)
{
  GArray *misses = artic_loss_explain_misses (reference, instants, params);
  GString *csv = g_string_new (
      "instant_us,since_first_s,reason,age_ms,frames_sent,keyframes_sent\n");
  gint64 first_us = artic_loss_reference_first_capture_us (reference);
  gchar *path = loss_bench_path (run, "misses.csv");
  gboolean ok;
  guint i;

  for (i = 0; i < misses->len; i++) {
    ArticLossMiss *miss = &g_array_index (misses, ArticLossMiss, i);

    result->misses[miss->reason]++;
    g_string_append_printf (csv, "%" G_GINT64_FORMAT ",%.2f,%s,%.0f,%u,%u\n",
        miss->instant_us,
        (miss->instant_us - first_us) / (gdouble) G_USEC_PER_SEC,
        artic_loss_miss_reason_name (miss->reason),
        miss->age_us < 0 ? -1.0 : miss->age_us / 1000.0, miss->frames_sent,
        miss->keyframes_sent);
  }
  ok = g_file_set_contents (path, csv->str, csv->len, error);
  g_free (path);
  g_string_free (csv, TRUE);
  g_array_unref (misses);
  return ok;
}

static gboolean
loss_bench_score_run (
    const LossBench *bench, const LossBenchRun *run, LossBenchResult *result)
{
  gchar *path, *text = NULL;
  GError *error = NULL;
  ArticLossReference *reference;
  GArray *instants = NULL;
  ArticLossScoreParams params = { 0 };
  gboolean ok = FALSE;

  path = loss_bench_path (run, "sent.ivf");
  reference = artic_loss_reference_from_dump (path, &error);
  g_free (path);
  if (reference == NULL)
    goto done;
  path = loss_bench_path (run, "handed.csv");
  instants = artic_loss_handed_load (path, &error);
  g_free (path);
  if (instants == NULL)
    goto done;
  path = loss_bench_path (run, "netem.txt");
  if (!g_file_get_contents (path, &text, NULL, &error)
      || !artic_loss_netem_stats_parse (text, &result->link, &error)) {
    g_free (path);
    goto done;
  }
  g_free (path);

  params.rate = bench->sample_rate;
  params.max_age_s = LOSS_BENCH_MAX_AGE_S;
  params.window_start_us = artic_loss_reference_first_capture_us (reference)
                           + LOSS_BENCH_WARMUP_US;
  params.window_end_us = artic_loss_reference_last_capture_us (reference);
  artic_loss_score (reference, instants, &params, &result->score);
  if (!loss_bench_explain_misses (
          run, reference, instants, &params, result, &error))
    goto done;
  result->frames_sent = artic_loss_reference_frames (reference);
  result->keyframes = artic_loss_reference_keyframes (reference);
  result->media_s = (artic_loss_reference_last_capture_us (reference)
                        - artic_loss_reference_first_capture_us (reference))
                        / (gdouble) G_USEC_PER_SEC
                    + 1.0 / bench->fps;
  if (result->stack == LOSS_BENCH_BASELINE) {
    result->rtx_packets = loss_bench_read_stat (
        run, "send-stats.ini", "baseline-send", "rtx-packets");
    result->keyunit_requests = loss_bench_read_stat (
        run, "send-stats.ini", "baseline-send", "keyunit-requests");
  } else {
    result->rtx_packets = -1;
    result->keyunit_requests = -1;
  }
  ok = TRUE;

done:
  if (!ok) {
    fprintf (stderr, "loss-bench: error: %s/%s: %s\n", result->condition->name,
        loss_bench_stack_names[result->stack], error->message);
    g_clear_error (&error);
  }
  g_free (text);
  g_clear_pointer (&instants, g_array_unref);
  artic_loss_reference_free (reference);
  return ok;
}

static gdouble
loss_bench_kbps (const LossBenchResult *r, guint64 bytes)
{
  return r->media_s > 0 ? bytes * 8.0 / 1000.0 / r->media_s : 0;
}

static gchar *
loss_bench_count (gint64 value)
{
  return value < 0 ? g_strdup ("-")
                   : g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

static gchar *
loss_bench_ms (gdouble value)
{
  return isnan (value) ? g_strdup ("-") : g_strdup_printf ("%.0f", value);
}

static GString *
loss_bench_table (const GArray *results)
{
  GString *table = g_string_new (
      "| condition | stack | latency p50 / p95 / p99 ms | age p50 / p95 / max "
      "ms"
      " | correct <= 1 s | corrupted frames (instants) | unserved instants"
      " | kbps total (feedback) | RTX pkts | key frames (requests) |\n"
      "|---|---|---|---|---|---|---|---|---|---|\n");
  guint i;

  for (i = 0; i < results->len; i++) {
    const LossBenchResult *r = &g_array_index (results, LossBenchResult, i);
    const ArticLossScore *s = &r->score;
    gchar *p50 = loss_bench_ms (s->latency_p50_ms);
    gchar *p95 = loss_bench_ms (s->latency_p95_ms);
    gchar *p99 = loss_bench_ms (s->latency_p99_ms);
    gchar *a50 = loss_bench_ms (s->age_p50_ms);
    gchar *a95 = loss_bench_ms (s->age_p95_ms);
    gchar *amax = loss_bench_ms (s->age_max_ms);
    gchar *rtx = loss_bench_count (r->rtx_packets);
    gchar *requests = loss_bench_count (r->keyunit_requests);

    g_string_append_printf (table,
        "| %s | %s | %s / %s / %s | %s / %s / %s | %.1f%% (%u/%u) | %u (%u)"
        " | %u | %.0f (%.1f) | %s | %u (%s) |\n",
        r->condition->name, loss_bench_stack_names[r->stack], p50, p95, p99,
        a50, a95, amax, artic_loss_score_fresh_percent (s),
        s->instants_correct_fresh, s->instants, s->frames_corrupted,
        s->instants_corrupted, s->instants_unserved + s->instants_missing,
        loss_bench_kbps (r, r->link.forward_bytes + r->link.reverse_bytes),
        loss_bench_kbps (r, r->link.reverse_bytes), rtx, r->keyframes,
        requests);
    g_free (p50);
    g_free (p95);
    g_free (p99);
    g_free (a50);
    g_free (a95);
    g_free (amax);
    g_free (rtx);
    g_free (requests);
  }
  return table;
}

/* The missed instants of each run by reason (artic_loss_explain_misses). */
static GString *
loss_bench_miss_table (const GArray *results)
{
  GString *table = g_string_new ("| run | missed");
  guint i, k;

  for (k = 0; k < ARTIC_LOSS_MISS_KINDS; k++)
    g_string_append_printf (
        table, " | %s", artic_loss_miss_reason_name ((ArticLossMissReason) k));
  g_string_append (table, " |\n|---|---");
  for (k = 0; k < ARTIC_LOSS_MISS_KINDS; k++)
    g_string_append (table, "|---");
  g_string_append (table, "|\n");
  for (i = 0; i < results->len; i++) {
    const LossBenchResult *r = &g_array_index (results, LossBenchResult, i);

    g_string_append_printf (table, "| %s/%s | %u", r->condition->name,
        loss_bench_stack_names[r->stack],
        r->score.instants - r->score.instants_correct_fresh);
    for (k = 0; k < ARTIC_LOSS_MISS_KINDS; k++)
      g_string_append_printf (table, " | %u", r->misses[k]);
    g_string_append (table, " |\n");
  }
  return table;
}

static const gchar *
loss_bench_verdict (gboolean met)
{
  return met ? "met" : "MISSED";
}

/* The targets, printed, never turned into the exit status. */
static GString *
loss_bench_targets (const LossBench *bench, const GArray *results)
{
  GString *text = g_string_new ("");
  gdouble latency_target = bench->delay_ms + LOSS_BENCH_TARGET_EXTRA_MS;
  guint i;

  for (i = 0; i < results->len; i++) {
    const LossBenchResult *r = &g_array_index (results, LossBenchResult, i);
    const gchar *stack = loss_bench_stack_names[r->stack];

    if (g_str_equal (r->condition->name, LOSS_BENCH_TARGET_CONDITION)) {
      gchar *p95 = loss_bench_ms (r->score.latency_p95_ms);

      /* No frame handed on (NaN) misses the target too. */
      g_string_append_printf (text,
          "target %s/%s: p95 latency %s ms <= %.0f ms: %s\n",
          r->condition->name, stack, p95, latency_target,
          loss_bench_verdict (r->score.latency_p95_ms <= latency_target));
      g_free (p95);
      g_string_append_printf (text,
          "target %s/%s: %.1f%% of instants with a correct frame <= 1 s old"
          " >= %.0f%%: %s\n",
          r->condition->name, stack, artic_loss_score_fresh_percent (&r->score),
          LOSS_BENCH_TARGET_FRESH_PERCENT,
          loss_bench_verdict (artic_loss_score_fresh_percent (&r->score)
                              >= LOSS_BENCH_TARGET_FRESH_PERCENT));
    }
    if (r->stack == LOSS_BENCH_ARTIC)
      g_string_append_printf (text,
          "target %s/artic: %u corrupted frames handed on == 0: %s\n",
          r->condition->name, r->score.frames_corrupted,
          loss_bench_verdict (r->score.frames_corrupted == 0));
  }
  return text;
}

/* ---- Options ---- */

static gboolean loss_bench_fail (const gchar *format, ...) G_GNUC_PRINTF (1, 2);

static gboolean
loss_bench_fail (const gchar *format, ...)
{
  va_list args;

  fprintf (stderr, "loss-bench: error: ");
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fprintf (stderr, "\n");
  return FALSE;
}

static gboolean
loss_bench_parse_size (LossBench *bench)
{
  guint64 w, h;
  gchar **parts;
  gboolean ok;

  parts = g_strsplit (bench->size, "x", -1);
  ok = g_strv_length (parts) == 2
       && g_ascii_string_to_unsigned (parts[0], 10, 16, 3840, &w, NULL)
       && g_ascii_string_to_unsigned (parts[1], 10, 16, 2160, &h, NULL)
       && w % 2 == 0 && h % 2 == 0;
  g_strfreev (parts);
  if (!ok)
    return loss_bench_fail (
        "--size '%s' is not WxH with even sizes 16-3840 x 16-2160",
        bench->size);
  bench->width = (guint) w;
  bench->height = (guint) h;
  return TRUE;
}

static const LossBenchCondition *
loss_bench_find_condition (const gchar *name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (loss_bench_conditions); i++)
    if (g_str_equal (loss_bench_conditions[i].name, name))
      return &loss_bench_conditions[i];
  return NULL;
}

/* The conditions asked for, in the table's order; traces that are not
 * there are an error when named, skipped (with a note) under "all". */
static GPtrArray *
loss_bench_select_conditions (const LossBench *bench)
{
  GPtrArray *selected = g_ptr_array_new ();
  gboolean all = g_str_equal (bench->conditions, "all");
  gchar **names = g_strsplit (bench->conditions, ",", -1);
  guint i;

  for (i = 0; !all && names[i] != NULL; i++) {
    if (loss_bench_find_condition (g_strstrip (names[i])) == NULL) {
      loss_bench_fail ("unknown condition '%s' (see --help)", names[i]);
      g_strfreev (names);
      g_ptr_array_unref (selected);
      return NULL;
    }
  }
  for (i = 0; i < G_N_ELEMENTS (loss_bench_conditions); i++) {
    const LossBenchCondition *c = &loss_bench_conditions[i];
    gchar *trace;

    if (!all && !g_strv_contains ((const gchar *const *) names, c->name))
      continue;
    if (c->trace != NULL) {
      trace = g_build_filename (bench->traces, c->trace, NULL);
      if (!g_file_test (trace, G_FILE_TEST_IS_REGULAR)) {
        if (all) {
          printf ("loss-bench: %s not found, condition %s skipped\n", trace,
              c->name);
        } else {
          loss_bench_fail ("trace %s not found", trace);
          g_free (trace);
          g_strfreev (names);
          g_ptr_array_unref (selected);
          return NULL;
        }
        g_free (trace);
        continue;
      }
      g_free (trace);
    }
    g_ptr_array_add (selected, (gpointer) c);
  }
  g_strfreev (names);
  return selected;
}

static gboolean
loss_bench_select_stacks (const LossBench *bench, gboolean stacks[2])
{
  gchar **names = g_strsplit (bench->stacks, ",", -1);
  gboolean ok = TRUE;
  guint i;

  stacks[0] = stacks[1] = FALSE;
  for (i = 0; ok && names[i] != NULL; i++) {
    g_strstrip (names[i]);
    if (g_str_equal (names[i], "artic"))
      stacks[LOSS_BENCH_ARTIC] = TRUE;
    else if (g_str_equal (names[i], "baseline"))
      stacks[LOSS_BENCH_BASELINE] = TRUE;
    else
      ok = loss_bench_fail ("unknown stack '%s' (artic, baseline)", names[i]);
  }
  g_strfreev (names);
  if (ok && !stacks[0] && !stacks[1])
    ok = loss_bench_fail ("--stacks names no stack");
  return ok;
}

static gboolean
loss_bench_check (LossBench *bench)
{
  if (!(bench->duration_s >= 1 && bench->duration_s <= 3600))
    return loss_bench_fail (
        "--duration %g is out of range (1-3600 s)", bench->duration_s);
  if (bench->bitrate_kbps < 50 || bench->bitrate_kbps > 20000)
    return loss_bench_fail (
        "--bitrate %d is out of range (50-20000 kbps)", bench->bitrate_kbps);
  if (bench->fps < 1 || bench->fps > 120)
    return loss_bench_fail ("--fps %d is out of range (1-120)", bench->fps);
  if (bench->keyframe_interval < 1 || bench->keyframe_interval > 100000)
    return loss_bench_fail ("--keyframe-interval %d is out of range "
                            "(1-100000)",
        bench->keyframe_interval);
  if (bench->delay_ms < 0 || bench->delay_ms > 10000)
    return loss_bench_fail (
        "--delay %d is out of range (0-10000 ms)", bench->delay_ms);
  if (!(bench->sample_rate >= 0.1 && bench->sample_rate <= 30))
    return loss_bench_fail (
        "--sample-rate %g is out of range (0.1-30)", bench->sample_rate);
  if (bench->seed < 0)
    return loss_bench_fail ("--seed must not be negative");
  if (!loss_bench_parse_size (bench))
    return FALSE;
  if (!g_file_test (bench->clip, G_FILE_TEST_IS_REGULAR))
    return loss_bench_fail ("clip '%s' not found", bench->clip);
  return TRUE;
}

static gboolean
loss_bench_check_role (LossBench *bench)
{
  ArticBaselineOptions *o = &bench->baseline;
  gboolean send = g_str_equal (bench->role, "baseline-send");

  if (!send && !g_str_equal (bench->role, "baseline-recv"))
    return loss_bench_fail (
        "unknown role '%s' (baseline-send, baseline-recv)", bench->role);
  if (o->port < (send ? 1 : 0) || o->port > 65535)
    return loss_bench_fail ("--port %d is out of range", o->port);
  if (send && o->dump_path == NULL)
    return loss_bench_fail ("--role baseline-send needs --dump-frames");
  if (!send && o->handed_log == NULL)
    return loss_bench_fail ("--role baseline-recv needs --handed-log");
  if (!(o->idle_timeout_s > 0 && o->idle_timeout_s <= 3600 && o->wait_s >= 0))
    return loss_bench_fail ("--idle-timeout/--wait out of range");
  if (o->latency_ms > 10000)
    return loss_bench_fail ("--latency %u is out of range", o->latency_ms);
  if (send && !loss_bench_check (bench))
    return FALSE;
  if (!(bench->sample_rate >= 0.1 && bench->sample_rate <= 30))
    return loss_bench_fail (
        "--sample-rate %g is out of range (0.1-30)", bench->sample_rate);
  o->clip = bench->clip;
  o->width = bench->width;
  o->height = bench->height;
  o->fps = (guint) bench->fps;
  o->bitrate_kbps = (guint) bench->bitrate_kbps;
  o->keyframe_interval = (guint) bench->keyframe_interval;
  o->duration_s = bench->duration_s;
  o->sample_rate = bench->sample_rate;
  if (o->host == NULL)
    o->host = g_strdup ("127.0.0.1");
  return TRUE;
}

static gboolean
loss_bench_parse_options (int argc, char **argv, LossBench *bench)
{
  ArticBaselineOptions *o = &bench->baseline;
  gint latency = (gint) o->latency_ms;
  GOptionEntry entries[] = {
    { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &bench->duration_s,
        "Seconds of video per run (default 20; the clip's length caps it)",
        "S" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &bench->seed,
        "Seed of the emulated link's losses (default 1)", "N" },
    { "conditions", 'c', 0, G_OPTION_ARG_STRING, &bench->conditions,
        "Comma-separated subset of loss0, loss5, loss10, loss20, burst, att, "
        "tmobile, verizon (default all)",
        "LIST" },
    { "stacks", 0, 0, G_OPTION_ARG_STRING, &bench->stacks,
        "artic, baseline or both (default artic,baseline)", "LIST" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &bench->output,
        "Folder for the raw logs and results.md (default loss-bench-out)",
        "DIR" },
    { "clip", 0, 0, G_OPTION_ARG_FILENAME, &bench->clip,
        "Video file streamed by both stacks (default "
        "data/media/vtest-20s.mp4)",
        "FILE" },
    { "traces", 0, 0, G_OPTION_ARG_FILENAME, &bench->traces,
        "Folder of the Mahimahi traces (default data/traces)", "DIR" },
    { "bitrate", 'b', 0, G_OPTION_ARG_INT, &bench->bitrate_kbps,
        "Video bitrate in kbps, both stacks (default 600)", "KBPS" },
    { "size", 's', 0, G_OPTION_ARG_STRING, &bench->size,
        "Video size (default 640x360)", "WxH" },
    { "fps", 'f', 0, G_OPTION_ARG_INT, &bench->fps, "Frame rate (default 30)",
        "N" },
    { "keyframe-interval", 0, 0, G_OPTION_ARG_INT, &bench->keyframe_interval,
        "Frames between key frames, both stacks (default 300, artic-send's)",
        "N" },
    { "delay", 0, 0, G_OPTION_ARG_INT, &bench->delay_ms,
        "One-way delay of the link, both directions (default 40 ms)", "MS" },
    { "sample-rate", 'r', 0, G_OPTION_ARG_DOUBLE, &bench->sample_rate,
        "Sampling instants per second, the model's rate (default 2)", "FPS" },
    { "bin-dir", 0, 0, G_OPTION_ARG_FILENAME, &bench->bin_dir,
        "Where artic-send, artic-recv and artic-netem are (default: beside "
        "loss-bench)",
        "DIR" },
    { "role", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &bench->role,
        "Internal: run as the baseline sender or receiver", "ROLE" },
    { "host", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &o->host, "", "" },
    { "port", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &o->port, "", "" },
    { "dump-frames", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME,
        &o->dump_path, "", "" },
    { "handed-log", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME,
        &o->handed_log, "", "" },
    { "stats", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &o->stats_path,
        "", "" },
    { "latency", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT, &latency, "", "" },
    { "idle-timeout", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE,
        &o->idle_timeout_s, "", "" },
    { "wait", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE, &o->wait_s, "",
        "" },
    { NULL }
  };
  GOptionContext *context = g_option_context_new (
      "- artic vs a GStreamer rtpbin+RTX baseline under loss");
  GError *error = NULL;
  gboolean ok;

  g_option_context_set_summary (context,
      "Streams the same clip through artic (artic-send -> artic-netem ->\n"
      "artic-recv) and through the baseline a GStreamer user would build\n"
      "(rtpbin + rtprtxsend/rtprtxreceive, NACK and key-frame requests),\n"
      "under each network condition, in real time, and prints a table:\n"
      "latency of the frames handed to the model, share of sampling\n"
      "instants served with a correct frame at most 1 s old, corrupted\n"
      "frames handed on, bitrate. See docs/loss-bench.md.");
  g_option_context_add_main_entries (context, entries, NULL);
  ok = g_option_context_parse (context, &argc, &argv, &error);
  if (!ok) {
    loss_bench_fail ("%s (see --help)", error->message);
    g_clear_error (&error);
  } else if (argc > 1) {
    ok = loss_bench_fail ("unexpected argument '%s' (see --help)", argv[1]);
  }
  g_option_context_free (context);
  if (latency < 0)
    latency = G_MAXINT;
  o->latency_ms = (guint) latency;
  return ok;
}

/* ---- The bench ---- */

static gboolean
loss_bench_one (const LossBench *bench, const LossBenchCondition *condition,
    LossBenchStack stack, guint index, guint total, GArray *results)
{
  LossBenchRun run = { 0 };
  LossBenchResult result = { 0 };
  gboolean ok;

  run.dir = g_build_filename (
      bench->output, condition->name, loss_bench_stack_names[stack], NULL);
  if (g_mkdir_with_parents (run.dir, 0755) != 0) {
    loss_bench_fail ("cannot create '%s': %s", run.dir, g_strerror (errno));
    g_free (run.dir);
    return FALSE;
  }
  printf ("loss-bench: [%u/%u] %s (%s), %s: %g s run...\n", index, total,
      condition->name, condition->description, loss_bench_stack_names[stack],
      bench->duration_s);
  fflush (stdout);
  result.condition = condition;
  result.stack = stack;
  ok = loss_bench_run_processes (bench, &run, condition, stack)
       && loss_bench_score_run (bench, &run, &result);
  if (ok) {
    gchar *p95 = loss_bench_ms (result.score.latency_p95_ms);

    printf ("loss-bench: [%u/%u] %s, %s: latency p95 %s ms, %.1f%% of "
            "instants with a correct frame <= 1 s old, %u corrupted frames "
            "handed on\n",
        index, total, condition->name, loss_bench_stack_names[stack], p95,
        artic_loss_score_fresh_percent (&result.score),
        result.score.frames_corrupted);
    g_free (p95);
    g_array_append_val (results, result);
  } else {
    fprintf (stderr, "loss-bench: error: run %s/%s failed, logs in %s\n",
        condition->name, loss_bench_stack_names[stack], run.dir);
  }
  fflush (stdout);
  g_free (run.dir);
  return ok;
}

static gint
loss_bench_run (LossBench *bench)
{
  GArray *results = g_array_new (FALSE, TRUE, sizeof (LossBenchResult));
  GPtrArray *conditions = loss_bench_select_conditions (bench);
  gboolean stacks[2];
  GString *table, *targets, *miss_table;
  guint i, s, index = 0, total;
  gint exit_code = 0;
  gchar *path;

  if (conditions == NULL || !loss_bench_select_stacks (bench, stacks)) {
    g_clear_pointer (&conditions, g_ptr_array_unref);
    g_array_unref (results);
    return 2;
  }
  total = conditions->len * (stacks[0] + stacks[1]);
  if (g_mkdir_with_parents (bench->output, 0755) != 0) {
    loss_bench_fail (
        "cannot create '%s': %s", bench->output, g_strerror (errno));
    g_ptr_array_unref (conditions);
    g_array_unref (results);
    return 1;
  }
  printf ("loss-bench: %u runs of %g s (%ux%u, %d fps, VP8 %d kbps, %g ms "
          "one-way delay, seed %d), logs in %s/\n",
      total, bench->duration_s, bench->width, bench->height, bench->fps,
      bench->bitrate_kbps, (gdouble) bench->delay_ms, bench->seed,
      bench->output);
  for (i = 0; i < conditions->len; i++)
    for (s = 0; s < 2; s++)
      if (stacks[s]
          && !loss_bench_one (bench, g_ptr_array_index (conditions, i), s,
              ++index, total, results))
        exit_code = 1;

  table = loss_bench_table (results);
  targets = loss_bench_targets (bench, results);
  miss_table = loss_bench_miss_table (results);
  printf ("\n%s\n%s\nWhy instants were missed (per instant: misses.csv in "
          "each run's folder):\n\n%s",
      table->str, targets->str, miss_table->str);
  path = g_build_filename (bench->output, "results.md", NULL);
  g_string_append_printf (
      table, "\n```\n%s```\n\n%s", targets->str, miss_table->str);
  if (!g_file_set_contents (path, table->str, -1, NULL)) {
    loss_bench_fail ("cannot write '%s'", path);
    exit_code = 1;
  }
  g_free (path);
  g_string_free (table, TRUE);
  g_string_free (targets, TRUE);
  g_string_free (miss_table, TRUE);
  g_ptr_array_unref (conditions);
  g_array_unref (results);
  return exit_code;
}

int
main (int argc, char **argv)
{
  LossBench bench = { 0 };
  gint exit_code = 2;

  gst_init (NULL, NULL);
  bench.duration_s = 20;
  bench.seed = 1;
  bench.bitrate_kbps = 600;
  bench.fps = 30;
  bench.keyframe_interval = 300;
  bench.delay_ms = 40;
  bench.sample_rate = 2;
  bench.baseline.latency_ms = LOSS_BENCH_BASELINE_LATENCY_MS;
  bench.baseline.idle_timeout_s = LOSS_BENCH_IDLE_TIMEOUT_S;
  bench.baseline.wait_s = LOSS_BENCH_WAIT_S;
  if (loss_bench_parse_options (argc, argv, &bench)) {
    if (bench.conditions == NULL)
      bench.conditions = g_strdup ("all");
    if (bench.stacks == NULL)
      bench.stacks = g_strdup ("artic,baseline");
    if (bench.output == NULL)
      bench.output = g_strdup ("loss-bench-out");
    if (bench.clip == NULL)
      bench.clip = g_build_filename (
          ARTIC_SOURCE_ROOT, "data", "media", "vtest-20s.mp4", NULL);
    if (bench.traces == NULL)
      bench.traces
          = g_build_filename (ARTIC_SOURCE_ROOT, "data", "traces", NULL);
    if (bench.size == NULL)
      bench.size = g_strdup ("640x360");
    bench.self = g_file_read_link ("/proc/self/exe", NULL);
    if (bench.self == NULL)
      bench.self = g_strdup (argv[0]);
    if (bench.bin_dir == NULL)
      bench.bin_dir = g_path_get_dirname (bench.self);
    if (bench.role != NULL)
      exit_code = !loss_bench_check_role (&bench) ? 2
                  : g_str_equal (bench.role, "baseline-send")
                      ? artic_baseline_send (&bench.baseline)
                      : artic_baseline_recv (&bench.baseline);
    else if (loss_bench_check (&bench))
      exit_code = loss_bench_run (&bench);
  }
  g_free (bench.conditions);
  g_free (bench.stacks);
  g_free (bench.output);
  g_free (bench.clip);
  g_free (bench.traces);
  g_free (bench.bin_dir);
  g_free (bench.self);
  g_free (bench.size);
  g_free (bench.role);
  g_free (bench.baseline.host);
  g_free (bench.baseline.dump_path);
  g_free (bench.baseline.handed_log);
  g_free (bench.baseline.stats_path);
  return exit_code;
}
