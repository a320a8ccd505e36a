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

/* Spec tests of the link model, run in virtual time. */

#include <math.h>
#include <string.h>

#include "artic-netem.h"

#define PERCENT_TOLERANCE 5.0

static ArticNetemLink *
make_link (const ArticNetemConfig *config)
{
  GError *error = NULL;
  ArticNetemLink *link = artic_netem_link_new (config, &error);

  g_assert_no_error (error);
  g_assert_nonnull (link);
  return link;
}

static ArticNetemTrace *
load_trace (const gchar *name)
{
  const gchar *dir = g_getenv ("ARTIC_TRACE_DIR");
  gchar *path;
  GError *error = NULL;
  ArticNetemTrace *trace;

  g_assert_nonnull (dir);
  path = g_build_filename (dir, name, NULL);
  trace = artic_netem_trace_load (path, &error);
  g_assert_no_error (error);
  g_free (path);
  return trace;
}

static ArticNetemTrace *
parse_trace (const gchar *text)
{
  GError *error = NULL;
  ArticNetemTrace *trace
      = artic_netem_trace_parse (text, strlen (text), "test", &error);

  g_assert_no_error (error);
  return trace;
}

/* Offers more than the capacity: every virtual ms the queue is topped up to
 * its limit. Returns the bytes delivered in [0, duration_ms]. */
static guint64
saturate (ArticNetemLink *link, guint64 duration_ms, gsize size, guint depth)
{
  ArticNetemPacket packet;
  guint64 delivered = 0;
  guint64 ms;

  for (ms = 0; ms <= duration_ms; ms++) {
    gint64 now = (gint64) ms * 1000;

    while (artic_netem_link_pop_ready (link, now, &packet))
      delivered += packet.size;
    while (artic_netem_link_get_queue_packets (link) < depth)
      g_assert_cmpint (artic_netem_link_enqueue (link, now, size, NULL, NULL),
          ==, ARTIC_NETEM_ACCEPTED);
  }
  return delivered;
}

typedef struct
{
  const gchar *file;
  gdouble readme_kbps;
} TraceCase;

static const TraceCase trace_cases[] = {
  { "ATT-LTE-driving-2016.up", 1910 },
  { "TMobile-UMTS-driving.up", 940 },
  { "Verizon-LTE-short.up", 5950 },
};

/* A saturated link delivers the trace's mean capacity over one period. */
static void
test_trace_rate (gconstpointer data)
{
  const TraceCase *tc = data;
  ArticNetemTrace *trace = load_trace (tc->file);
  ArticNetemConfig config;
  ArticNetemLink *link;
  guint64 period_ms = artic_netem_trace_get_period_ms (trace);
  gdouble mean = artic_netem_trace_get_mean_kbps (trace), rate;
  gsize sizes[] = { 1500, 200 };
  guint i;

  /* The parser agrees with the published mean capacity. */
  g_assert_cmpfloat (
      fabs (mean - tc->readme_kbps) / tc->readme_kbps * 100, <, 1.0);
  for (i = 0; i < G_N_ELEMENTS (sizes); i++) {
    artic_netem_config_init (&config);
    config.trace = trace;
    link = make_link (&config);
    rate = saturate (link, period_ms, sizes[i], 2000) * 8.0 / period_ms;
    g_test_message ("%s: %" G_GSIZE_FORMAT "-byte packets, %" G_GUINT64_FORMAT
                    " ms: delivered %.1f kbit/s, trace mean %.1f kbit/s "
                    "(%+.3f%%)",
        tc->file, sizes[i], period_ms, rate, mean, (rate - mean) / mean * 100);
    g_assert_cmpfloat (fabs (rate - mean) / mean * 100, <, PERCENT_TOLERANCE);
    artic_netem_link_free (link);
  }
  artic_netem_trace_unref (trace);
}

static void
test_fixed_rate (void)
{
  ArticNetemConfig config;
  ArticNetemLink *link;
  ArticNetemPacket packet;
  gdouble rate;

  artic_netem_config_init (&config);
  config.rate_kbps = 2000;
  link = make_link (&config);
  rate = saturate (link, 10000, 1200, 50) * 8.0 / 10000;
  g_test_message ("fixed 2000 kbit/s, 10 s: delivered %.2f kbit/s", rate);
  g_assert_cmpfloat (fabs (rate - 2000) / 2000 * 100, <, 1.0);
  artic_netem_link_free (link);

  /* An idle link: the queue delay is exactly the serialization time. */
  config.rate_kbps = 1200;
  link = make_link (&config);
  g_assert_cmpint (artic_netem_link_enqueue (link, 5000, 1500, NULL, NULL), ==,
      ARTIC_NETEM_ACCEPTED);
  g_assert_cmpint (artic_netem_link_next_event_us (link), ==, 15000);
  g_assert_false (artic_netem_link_pop_ready (link, 14999, &packet));
  g_assert_true (artic_netem_link_pop_ready (link, 15000, &packet));
  g_assert_cmpint (packet.depart_us - packet.enqueue_us, ==, 10000);
  g_assert_cmpint (artic_netem_link_next_event_us (link), ==, -1);
  artic_netem_link_free (link);
}

/* Opportunities carry 1500 bytes each, shared by small packets and split
 * for large ones. */
static void
test_byte_accounting (void)
{
  ArticNetemTrace *trace = parse_trace ("1\n");
  ArticNetemConfig config;
  ArticNetemLink *link;
  ArticNetemPacket packet;
  gint64 expected[] = { 1000, 1000, 1000, 2000, 2000, 2000, 4000 };
  guint i;

  artic_netem_config_init (&config);
  config.trace = trace;
  link = make_link (&config);
  for (i = 0; i < 6; i++)
    artic_netem_link_enqueue (link, 500, 500, NULL, NULL);
  /* 2000 bytes: the rest of opportunity 3 is empty, so 3 and 4 are used. */
  artic_netem_link_enqueue (link, 500, 2000, NULL, NULL);
  for (i = 0; i < G_N_ELEMENTS (expected); i++) {
    g_assert_true (artic_netem_link_pop_ready (link, 10000, &packet));
    g_assert_cmpuint (packet.id, ==, i);
    g_assert_cmpint (packet.depart_us, ==, expected[i]);
  }
  artic_netem_link_free (link);
  artic_netem_trace_unref (trace);
}

static void
test_random_loss (void)
{
  ArticNetemConfig config;
  ArticNetemLink *link;
  ArticNetemStats stats;
  guint lost = 0, i, n = 100000;

  artic_netem_config_init (&config);
  config.loss = 0.10;
  config.seed = 42;
  link = make_link (&config);
  for (i = 0; i < n; i++)
    if (artic_netem_link_enqueue (link, i * 100, 100, NULL, NULL)
        == ARTIC_NETEM_DROPPED_LOSS)
      lost++;
  artic_netem_link_get_stats (link, &stats);
  g_test_message (
      "random loss 10%%: %.3f%% of %u packets", 100.0 * lost / n, n);
  g_assert_cmpuint (stats.packets_dropped_loss, ==, lost);
  g_assert_cmpuint (stats.packets_in, ==, n);
  g_assert_cmpfloat (fabs (100.0 * lost / n - 10.0), <, 1.0);
  artic_netem_link_free (link);
}

static void
check_gilbert (gdouble p, gdouble r, gdouble h, gdouble k)
{
  ArticNetemConfig config;
  ArticNetemLink *link;
  guint n = 1000000, lost = 0, bursts = 0, i;
  gboolean previous = FALSE;
  gdouble bad = p / (p + r), expected = bad * h + (1 - bad) * k, measured;

  artic_netem_config_init (&config);
  config.ge_p = p;
  config.ge_r = r;
  config.ge_loss_bad = h;
  config.ge_loss_good = k;
  config.seed = 7;
  link = make_link (&config);
  for (i = 0; i < n; i++) {
    gboolean dropped = artic_netem_link_enqueue (link, i * 10, 100, NULL, NULL)
                       == ARTIC_NETEM_DROPPED_LOSS;

    lost += dropped;
    bursts += dropped && !previous;
    previous = dropped;
  }
  measured = (gdouble) lost / n;
  g_test_message ("Gilbert-Elliott p=%g r=%g h=%g k=%g: loss %.4f "
                  "(analytic %.4f), mean burst %.3f",
      p, r, h, k, measured, expected, (gdouble) lost / bursts);
  g_assert_cmpfloat (fabs (measured - expected) / expected, <, 0.05);
  /* With h = 1 and k = 0 a burst is exactly a stay in the bad state. */
  if (h == 1 && k == 0)
    g_assert_cmpfloat (fabs ((gdouble) lost / bursts - 1 / r) * r, <, 0.05);
  artic_netem_link_free (link);
}

static void
test_gilbert_elliott (void)
{
  check_gilbert (0.01, 0.25, 1.0, 0.0);
  check_gilbert (0.002, 0.1, 1.0, 0.0);
  check_gilbert (0.05, 0.3, 0.5, 0.01);
}

/* Records verdicts and delivery times of a lossy, jittery run. */
static GArray *
run_sequence (guint32 seed)
{
  ArticNetemConfig config;
  ArticNetemLink *link;
  ArticNetemPacket packet;
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint i;

  artic_netem_config_init (&config);
  config.seed = seed;
  config.loss = 0.05;
  config.ge_p = 0.02;
  config.ge_r = 0.3;
  config.ge_loss_bad = 0.8;
  config.delay_us = 30000;
  config.jitter_us = 8000;
  config.allow_reorder = TRUE;
  config.rate_kbps = 3000;
  link = make_link (&config);
  for (i = 0; i < 5000; i++) {
    gint64 verdict
        = artic_netem_link_enqueue (link, i * 2000, 1000, NULL, NULL);

    g_array_append_val (out, verdict);
    while (artic_netem_link_pop_ready (link, i * 2000, &packet)) {
      gint64 id = (gint64) packet.id;

      g_array_append_val (out, id);
      g_array_append_val (out, packet.deliver_us);
    }
  }
  artic_netem_link_free (link);
  return out;
}

static void
test_seed (void)
{
  GArray *a = run_sequence (1234), *b = run_sequence (1234);
  GArray *c = run_sequence (1235);

  g_assert_cmpuint (a->len, ==, b->len);
  g_assert_cmpmem (
      a->data, a->len * sizeof (gint64), b->data, b->len * sizeof (gint64));
  g_assert_false (a->len == c->len
                  && memcmp (a->data, c->data, a->len * sizeof (gint64)) == 0);
  g_array_unref (a);
  g_array_unref (b);
  g_array_unref (c);
}

static void
check_queue_limit (
    ArticNetemConfig *config, gsize size, guint fits, gint64 first_departure_us)
{
  ArticNetemLink *link = make_link (config);
  ArticNetemStats stats;
  guint i;

  for (i = 0; i < fits; i++)
    g_assert_cmpint (artic_netem_link_enqueue (link, 0, size, NULL, NULL), ==,
        ARTIC_NETEM_ACCEPTED);
  g_assert_cmpint (artic_netem_link_enqueue (link, 0, size, NULL, NULL), ==,
      ARTIC_NETEM_DROPPED_QUEUE);
  g_assert_cmpuint (artic_netem_link_get_queue_packets (link), ==, fits);
  /* Still full just before the first departure, room again at it. */
  g_assert_cmpint (
      artic_netem_link_enqueue (link, first_departure_us - 1, size, NULL, NULL),
      ==, ARTIC_NETEM_DROPPED_QUEUE);
  g_assert_cmpint (
      artic_netem_link_enqueue (link, first_departure_us, size, NULL, NULL), ==,
      ARTIC_NETEM_ACCEPTED);
  g_assert_cmpint (
      artic_netem_link_enqueue (link, first_departure_us, size, NULL, NULL), ==,
      ARTIC_NETEM_DROPPED_QUEUE);
  artic_netem_link_get_stats (link, &stats);
  g_assert_cmpuint (stats.packets_dropped_queue, ==, 3);
  g_assert_cmpuint (stats.bytes_dropped_queue, ==, 3 * size);
  artic_netem_link_free (link);
}

static void
test_queue_limits (void)
{
  ArticNetemTrace *trace = parse_trace ("10\n");
  ArticNetemConfig config;

  /* 1000 bytes at 100 kbit/s leave after 80 ms. */
  artic_netem_config_init (&config);
  config.rate_kbps = 100;
  config.queue_packets = 5;
  check_queue_limit (&config, 1000, 5, 80000);
  config.queue_packets = 0;
  config.queue_bytes = 3000;
  check_queue_limit (&config, 1000, 3, 80000);
  config.queue_bytes = 3500;
  check_queue_limit (&config, 1000, 3, 80000);
  /* Trace: one 1500-byte opportunity every 10 ms. */
  artic_netem_config_init (&config);
  config.trace = trace;
  config.queue_packets = 4;
  check_queue_limit (&config, 1500, 4, 10000);
  config.queue_packets = 0;
  config.queue_bytes = 6000;
  check_queue_limit (&config, 1500, 4, 10000);
  artic_netem_trace_unref (trace);
}

static void
check_delay (gboolean reorder, gint64 delay_us, gint64 jitter_us)
{
  ArticNetemConfig config;
  ArticNetemLink *link;
  ArticNetemPacket packet;
  gint64 min = G_MAXINT64, max = 0, i, last_id = -1, reordered = 0;
  gint64 n = 10000;

  artic_netem_config_init (&config);
  config.delay_us = delay_us;
  config.jitter_us = jitter_us;
  config.allow_reorder = reorder;
  config.seed = 3;
  link = make_link (&config);
  for (i = 0; i <= n + 100; i++) {
    if (i < n)
      artic_netem_link_enqueue (link, i * 1000, 200, NULL, NULL);
    while (artic_netem_link_pop_ready (link, i * 1000, &packet)) {
      gint64 delay = packet.deliver_us - packet.enqueue_us;

      min = MIN (min, delay);
      max = MAX (max, delay);
      g_assert_cmpint (packet.deliver_us, <=, i * 1000);
      if ((gint64) packet.id < last_id)
        reordered++;
      last_id = MAX (last_id, (gint64) packet.id);
    }
  }
  g_test_message ("delay %" G_GINT64_FORMAT " us jitter %" G_GINT64_FORMAT
                  " us reorder %d: min %" G_GINT64_FORMAT
                  " max %" G_GINT64_FORMAT " reordered %" G_GINT64_FORMAT,
      delay_us, jitter_us, reorder, min, max, reordered);
  g_assert_cmpint (min, >=, delay_us - jitter_us);
  g_assert_cmpint (max, <=, delay_us + jitter_us);
  if (jitter_us == 0) {
    g_assert_cmpint (min, ==, delay_us);
    g_assert_cmpint (max, ==, delay_us);
  } else {
    /* The jitter is really there and spans most of its range. */
    g_assert_cmpint (max - min, >, jitter_us);
  }
  if (reorder)
    g_assert_cmpint (reordered, >, 0);
  else
    g_assert_cmpint (reordered, ==, 0);
  artic_netem_link_free (link);
}

static void
test_delay_jitter (void)
{
  check_delay (FALSE, 40000, 0);
  check_delay (FALSE, 40000, 10000);
  check_delay (TRUE, 40000, 10000);
}

/* Every packet is accounted for once, and the delay percentiles see the
 * queue build up on an overloaded link. */
static void
test_stats (void)
{
  ArticNetemConfig config;
  ArticNetemLink *link;
  ArticNetemPacket packet;
  ArticNetemStats stats;
  gchar *text;
  guint i;

  artic_netem_config_init (&config);
  config.rate_kbps = 800;
  config.queue_packets = 20;
  config.loss = 0.1;
  config.delay_us = 5000;
  link = make_link (&config);
  /* 1000 bytes every 5 ms is 1600 kbit/s: twice the capacity. */
  for (i = 0; i < 2000; i++) {
    artic_netem_link_enqueue (link, i * 5000, 1000, NULL, NULL);
    while (artic_netem_link_pop_ready (link, i * 5000, &packet))
      ;
  }
  while (artic_netem_link_pop_ready (link, G_MAXINT32, &packet))
    ;
  artic_netem_link_get_stats (link, &stats);
  g_assert_cmpuint (stats.packets_in, ==, 2000);
  g_assert_cmpuint (stats.packets_delivered + stats.packets_dropped_queue
                        + stats.packets_dropped_loss,
      ==, 2000);
  g_assert_cmpuint (stats.packets_dropped_queue, >, 500);
  g_assert_cmpfloat (fabs (stats.delivered_kbps - 800) / 800, <, 0.02);
  /* A full 20-packet queue at 10 ms per packet: about 200 ms of delay. */
  g_assert_cmpfloat (stats.queue_delay_p95_ms, >, 150);
  g_assert_cmpfloat (stats.queue_delay_max_ms, <=, 201);
  g_assert_cmpfloat (stats.queue_delay_p50_ms, <=, stats.queue_delay_p95_ms);
  text = artic_netem_stats_format (&stats, "test");
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "in 2000 pkts"));
  g_free (text);
  artic_netem_link_free (link);
}

static void
check_bad_trace (const gchar *text, gsize length, const gchar *expected)
{
  GError *error = NULL;
  ArticNetemTrace *trace
      = artic_netem_trace_parse (text, length, "bad", &error);

  g_assert_null (trace);
  g_assert_error (error, ARTIC_NETEM_ERROR, ARTIC_NETEM_ERROR_TRACE);
  if (strstr (error->message, expected) == NULL)
    g_error ("'%s' does not contain '%s'", error->message, expected);
  g_clear_error (&error);
}

static void
test_parser (void)
{
  ArticNetemTrace *trace;
  GError *error = NULL;

  check_bad_trace ("", 0, "empty trace");
  check_bad_trace ("\n\n", 2, "empty trace");
  check_bad_trace ("0\n5\nabc\n", 8, "bad:3: not a timestamp");
  check_bad_trace ("1.5\n", 4, "bad:1: not a timestamp");
  check_bad_trace ("-5\n", 3, "bad:1: not a timestamp");
  check_bad_trace ("5\n3\n", 4, "bad:2: timestamps decrease");
  check_bad_trace ("1\n\n2\n", 5, "bad:2: empty line");
  check_bad_trace ("99999999999\n", 12, "bad:1: timestamp out of range");
  check_bad_trace ("0\n0\n", 4, "period");
  check_bad_trace ("1\n2\0\n", 5, "bad:2: binary data");

  /* CRLF, surrounding spaces, repeated values and no final newline. */
  trace = parse_trace ("0\r\n5\r\n5\r\n 10 \r\n");
  g_assert_cmpuint (artic_netem_trace_get_opportunities (trace), ==, 4);
  g_assert_cmpuint (artic_netem_trace_get_period_ms (trace), ==, 10);
  g_assert_cmpfloat_with_epsilon (
      artic_netem_trace_get_mean_kbps (trace), 4 * 12000 / 10.0, 1e-9);
  artic_netem_trace_unref (trace);
  trace = parse_trace ("3\n7");
  g_assert_cmpuint (artic_netem_trace_get_period_ms (trace), ==, 7);
  artic_netem_trace_unref (trace);

  g_assert_null (artic_netem_trace_load ("/nonexistent/trace.up", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
}

static void
test_bad_config (void)
{
  ArticNetemConfig config;
  GError *error = NULL;

  artic_netem_config_init (&config);
  config.loss = 1.5;
  g_assert_null (artic_netem_link_new (&config, &error));
  g_assert_error (error, ARTIC_NETEM_ERROR, ARTIC_NETEM_ERROR_CONFIG);
  g_clear_error (&error);
  config.loss = NAN;
  g_assert_null (artic_netem_link_new (&config, &error));
  g_clear_error (&error);
}

/* The trace loops: the opportunity pattern repeats every period, also
 * after the link was idle for many periods. */
static void
test_trace_loop (void)
{
  ArticNetemTrace *trace = parse_trace ("2\n5\n");
  ArticNetemConfig config;
  ArticNetemLink *link;
  ArticNetemPacket packet;

  artic_netem_config_init (&config);
  config.trace = trace;
  link = make_link (&config);
  artic_netem_link_enqueue (link, 0, 1500, NULL, NULL);
  artic_netem_link_enqueue (link, 0, 1500, NULL, NULL);
  artic_netem_link_enqueue (link, 0, 1500, NULL, NULL);
  g_assert_true (artic_netem_link_pop_ready (link, 100000, &packet));
  g_assert_cmpint (packet.depart_us, ==, 2000);
  g_assert_true (artic_netem_link_pop_ready (link, 100000, &packet));
  g_assert_cmpint (packet.depart_us, ==, 5000);
  g_assert_true (artic_netem_link_pop_ready (link, 100000, &packet));
  g_assert_cmpint (packet.depart_us, ==, 7000);
  /* Idle for 200 periods, back at 1000.003 ms: the next opportunities are
   * at 1002 ms and at 1005 ms (the end of period 201). */
  artic_netem_link_enqueue (link, 1000003, 1500, NULL, NULL);
  artic_netem_link_enqueue (link, 1000003, 1500, NULL, NULL);
  g_assert_cmpint (artic_netem_link_next_event_us (link), ==, 1002000);
  g_assert_true (artic_netem_link_pop_ready (link, 2000000, &packet));
  g_assert_cmpint (packet.depart_us, ==, 1002000);
  g_assert_true (artic_netem_link_pop_ready (link, 2000000, &packet));
  g_assert_cmpint (packet.depart_us, ==, 1005000);
  artic_netem_link_free (link);
  artic_netem_trace_unref (trace);
}

int
main (int argc, char **argv)
{
  guint i;

  g_test_init (&argc, &argv, NULL);
  for (i = 0; i < G_N_ELEMENTS (trace_cases); i++) {
    gchar *name = g_strdup_printf ("/netem/trace-rate/%s", trace_cases[i].file);

    g_test_add_data_func (name, &trace_cases[i], test_trace_rate);
    g_free (name);
  }
  g_test_add_func ("/netem/fixed-rate", test_fixed_rate);
  g_test_add_func ("/netem/byte-accounting", test_byte_accounting);
  g_test_add_func ("/netem/trace-loop", test_trace_loop);
  g_test_add_func ("/netem/random-loss", test_random_loss);
  g_test_add_func ("/netem/gilbert-elliott", test_gilbert_elliott);
  g_test_add_func ("/netem/seed", test_seed);
  g_test_add_func ("/netem/queue-limits", test_queue_limits);
  g_test_add_func ("/netem/delay-jitter", test_delay_jitter);
  g_test_add_func ("/netem/stats", test_stats);
  g_test_add_func ("/netem/parser", test_parser);
  g_test_add_func ("/netem/bad-config", test_bad_config);
  return g_test_run ();
}
