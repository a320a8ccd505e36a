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

#include "artic-netem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Larger trace files are not traces (the biggest Mahimahi ones are ~1 MB). */
#define ARTIC_NETEM_TRACE_MAX_FILE (64 * 1024 * 1024)

G_DEFINE_QUARK (artic_netem_error_quark, artic_netem_error)

struct _ArticNetemTrace
{
  gint ref_count;
  guint64 *ms;
  guint count;
  guint64 period_ms;
};

/* A packet inside the link; remaining counts the bytes that still have to
 * cross the bottleneck (trace mode serves packets byte by byte). */
typedef struct
{
  ArticNetemPacket packet;
  gsize remaining;
} ArticNetemEntry;

struct _ArticNetemLink
{
  ArticNetemConfig config;
  GRand *rand;
  gint64 now_us;
  guint64 next_id;
  /* Waiting for (or crossing) the bottleneck. */
  GQueue queue;
  guint64 queued_bytes;
  /* Past the bottleneck, sorted by delivery time. */
  GQueue flight;
  gint64 last_deliver_us;
  /* Trace cursor: opportunity `trace_index` of repetition `trace_loop`. */
  guint64 trace_loop;
  guint trace_index;
  /* Fixed rate: when the serializer is free again, in ns for precision. */
  guint64 busy_until_ns;
  gboolean ge_bad;
  ArticNetemStats stats;
  GArray *queue_delays_ms;
  gdouble queue_delay_sum_ms;
};

/* ---- Traces ---- */

static gboolean
artic_netem_trace_fail (GError **error, const gchar *name, guint line,
    const gchar *what, const gchar *content)
{
  gchar *shown = g_strndup (content, 40);
  gchar *escaped = g_strescape (shown, NULL);

  g_set_error (error, ARTIC_NETEM_ERROR, ARTIC_NETEM_ERROR_TRACE,
      "%s:%u: %s ('%s')", name, line, what, escaped);
  g_free (escaped);
  g_free (shown);
  return FALSE;
}

/* Parses one stripped line; checks range and order against the previous. */
static gboolean
artic_netem_trace_parse_line (const gchar *name, guint line, const gchar *text,
    GArray *values, GError **error)
{
  GError *local = NULL;
  guint64 value;

  if (!g_ascii_string_to_unsigned (
          text, 10, 0, ARTIC_NETEM_TRACE_MAX_MS, &value, &local)) {
    gboolean range = g_error_matches (
        local, G_NUMBER_PARSER_ERROR, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS);

    g_clear_error (&local);
    return artic_netem_trace_fail (error, name, line,
        range ? "timestamp out of range (0 to 86400000 ms)"
              : "not a timestamp in milliseconds",
        text);
  }
  if (values->len > 0
      && value < g_array_index (values, guint64, values->len - 1))
    return artic_netem_trace_fail (
        error, name, line, "timestamps decrease", text);
  g_array_append_val (values, value);
  return TRUE;
}

static gboolean
artic_netem_trace_only_space (const gchar *p, const gchar *end)
{
  for (; p < end; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

ArticNetemTrace *
artic_netem_trace_parse (
    const gchar *text, gsize length, const gchar *name, GError **error)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (guint64));
  const gchar *p = text, *end = text + length;
  ArticNetemTrace *trace;
  guint line = 0;
  gboolean ok = TRUE;

  if (name == NULL)
    name = "trace";
  while (ok && p < end) {
    const gchar *newline = memchr (p, '\n', end - p);
    const gchar *line_end = newline != NULL ? newline : end;
    gchar *content;

    line++;
    if (memchr (p, '\0', line_end - p) != NULL) {
      ok = artic_netem_trace_fail (error, name, line, "binary data", "");
      break;
    }
    content = g_strstrip (g_strndup (p, line_end - p));
    /* Blank lines are tolerated at the end only (trailing newlines). */
    if (content[0] == '\0') {
      if (!artic_netem_trace_only_space (line_end, end))
        ok = artic_netem_trace_fail (error, name, line, "empty line", "");
      g_free (content);
      break;
    }
    ok = artic_netem_trace_parse_line (name, line, content, values, error);
    g_free (content);
    p = newline != NULL ? newline + 1 : end;
  }
  if (ok && values->len == 0) {
    g_set_error (error, ARTIC_NETEM_ERROR, ARTIC_NETEM_ERROR_TRACE,
        "%s: empty trace (no delivery opportunities)", name);
    ok = FALSE;
  }
  if (ok && g_array_index (values, guint64, values->len - 1) == 0) {
    /* The trace repeats with the last timestamp as its period. */
    g_set_error (error, ARTIC_NETEM_ERROR, ARTIC_NETEM_ERROR_TRACE,
        "%s: the last timestamp must be above 0 ms (it is the period)", name);
    ok = FALSE;
  }
  if (!ok) {
    g_array_unref (values);
    return NULL;
  }
  trace = g_new0 (ArticNetemTrace, 1);
  trace->ref_count = 1;
  trace->count = values->len;
  trace->period_ms = g_array_index (values, guint64, values->len - 1);
  trace->ms = (guint64 *) g_array_free (values, FALSE);
  return trace;
}

ArticNetemTrace *
artic_netem_trace_load (const gchar *path, GError **error)
{
  ArticNetemTrace *trace;
  gchar *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  if (length > ARTIC_NETEM_TRACE_MAX_FILE) {
    g_set_error (error, ARTIC_NETEM_ERROR, ARTIC_NETEM_ERROR_TRACE,
        "%s: too large for a trace (%" G_GSIZE_FORMAT " bytes)", path, length);
    g_free (contents);
    return NULL;
  }
  trace = artic_netem_trace_parse (contents, length, path, error);
  g_free (contents);
  return trace;
}

ArticNetemTrace *
artic_netem_trace_ref (ArticNetemTrace *trace)
{
  g_atomic_int_inc (&trace->ref_count);
  return trace;
}

void
artic_netem_trace_unref (ArticNetemTrace *trace)
{
  if (trace == NULL || !g_atomic_int_dec_and_test (&trace->ref_count))
    return;
  g_free (trace->ms);
  g_free (trace);
}

guint
artic_netem_trace_get_opportunities (const ArticNetemTrace *trace)
{
  return trace->count;
}

guint64
artic_netem_trace_get_period_ms (const ArticNetemTrace *trace)
{
  return trace->period_ms;
}

/* 1500 bytes per opportunity over one period; bits per ms = kbit/s. */
gdouble
artic_netem_trace_get_mean_kbps (const ArticNetemTrace *trace)
{
  return (gdouble) trace->count * ARTIC_NETEM_MTU * 8 / trace->period_ms;
}

/* ---- Configuration ---- */

void
artic_netem_config_init (ArticNetemConfig *config)
{
  memset (config, 0, sizeof (*config));
  config->ge_loss_bad = 1.0;
}

static gboolean
artic_netem_check_probability (gdouble value, const gchar *what, GError **error)
{
  if (value >= 0.0 && value <= 1.0)
    return TRUE;
  g_set_error (error, ARTIC_NETEM_ERROR, ARTIC_NETEM_ERROR_CONFIG,
      "%s must be a probability between 0 and 1, not %g", what, value);
  return FALSE;
}

static gboolean
artic_netem_config_check (const ArticNetemConfig *config, GError **error)
{
  return artic_netem_check_probability (config->loss, "loss", error)
         && artic_netem_check_probability (config->ge_p, "burst p", error)
         && artic_netem_check_probability (config->ge_r, "burst r", error)
         && artic_netem_check_probability (
             config->ge_loss_bad, "burst loss in the bad state", error)
         && artic_netem_check_probability (
             config->ge_loss_good, "burst loss in the good state", error);
}

/* ---- Link ---- */

ArticNetemLink *
artic_netem_link_new (const ArticNetemConfig *config, GError **error)
{
  ArticNetemLink *link;

  if (!artic_netem_config_check (config, error))
    return NULL;
  link = g_new0 (ArticNetemLink, 1);
  link->config = *config;
  if (config->trace != NULL)
    artic_netem_trace_ref (config->trace);
  link->rand = g_rand_new_with_seed (config->seed);
  g_queue_init (&link->queue);
  g_queue_init (&link->flight);
  link->stats.first_in_us = -1;
  link->stats.last_out_us = -1;
  link->queue_delays_ms = g_array_new (FALSE, FALSE, sizeof (gdouble));
  return link;
}

static void
artic_netem_entry_free (ArticNetemEntry *entry, ArticNetemLink *link)
{
  if (link->config.data_free != NULL && entry->packet.data != NULL)
    link->config.data_free (entry->packet.data);
  g_free (entry);
}

void
artic_netem_link_free (ArticNetemLink *link)
{
  ArticNetemEntry *entry;

  if (link == NULL)
    return;
  while ((entry = g_queue_pop_head (&link->queue)) != NULL)
    artic_netem_entry_free (entry, link);
  while ((entry = g_queue_pop_head (&link->flight)) != NULL)
    artic_netem_entry_free (entry, link);
  artic_netem_trace_unref (link->config.trace);
  g_rand_free (link->rand);
  g_array_unref (link->queue_delays_ms);
  g_free (link);
}

static gint64
artic_netem_link_opportunity_us (ArticNetemLink *link)
{
  const ArticNetemTrace *trace = link->config.trace;

  return (gint64) ((link->trace_loop * trace->period_ms
                       + trace->ms[link->trace_index])
                   * 1000);
}

static void
artic_netem_link_next_opportunity (ArticNetemLink *link)
{
  if (++link->trace_index == link->config.trace->count) {
    link->trace_index = 0;
    link->trace_loop++;
  }
}

/* Past the bottleneck: add the propagation delay and keep the flight list
 * sorted by delivery time (ties keep their order). */
static void
artic_netem_link_depart (ArticNetemLink *link, ArticNetemEntry *entry)
{
  gint64 delay = (gint64) link->config.delay_us;
  GList *after;

  if (link->config.jitter_us > 0) {
    gdouble jitter = (gdouble) link->config.jitter_us;

    delay
        += (gint64) llround (g_rand_double_range (link->rand, -jitter, jitter));
    delay = MAX (delay, 0);
  }
  entry->packet.deliver_us = entry->packet.depart_us + delay;
  if (!link->config.allow_reorder) {
    /* FIFO: a packet never overtakes the one before it. */
    entry->packet.deliver_us
        = MAX (entry->packet.deliver_us, link->last_deliver_us);
    link->last_deliver_us = entry->packet.deliver_us;
  }
  for (after = link->flight.tail; after != NULL; after = after->prev) {
    ArticNetemEntry *other = after->data;

    if (other->packet.deliver_us <= entry->packet.deliver_us)
      break;
  }
  if (after == NULL)
    g_queue_push_head (&link->flight, entry);
  else
    g_queue_insert_after (&link->flight, after, entry);
}

static void
artic_netem_link_leave_queue (ArticNetemLink *link, gint64 depart_us)
{
  ArticNetemEntry *entry = g_queue_pop_head (&link->queue);

  link->queued_bytes -= entry->packet.size;
  entry->packet.depart_us = depart_us;
  artic_netem_link_depart (link, entry);
}

/* One trace opportunity carries up to 1500 bytes, possibly from several
 * packets, and a packet larger than what is left spans several
 * opportunities: byte-accurate, like Mahimahi's link queue. */
static void
artic_netem_link_serve_opportunity (ArticNetemLink *link, gint64 at_us)
{
  gsize budget = ARTIC_NETEM_MTU;

  while (budget > 0 && !g_queue_is_empty (&link->queue)) {
    ArticNetemEntry *head = g_queue_peek_head (&link->queue);
    gsize take = MIN (budget, head->remaining);

    head->remaining -= take;
    budget -= take;
    if (head->remaining == 0)
      artic_netem_link_leave_queue (link, at_us);
  }
}

static void
artic_netem_link_advance_trace (ArticNetemLink *link, gint64 now_us)
{
  const ArticNetemTrace *trace = link->config.trace;
  guint64 now_loop = (guint64) now_us / 1000 / trace->period_ms;

  while (!g_queue_is_empty (&link->queue)
         && artic_netem_link_opportunity_us (link) <= now_us) {
    artic_netem_link_serve_opportunity (
        link, artic_netem_link_opportunity_us (link));
    artic_netem_link_next_opportunity (link);
  }
  /* An empty queue wastes opportunities; skip whole idle periods at once. */
  if (g_queue_is_empty (&link->queue) && link->trace_loop + 1 < now_loop) {
    link->trace_loop = now_loop - 1;
    link->trace_index = 0;
  }
  while (g_queue_is_empty (&link->queue)
         && artic_netem_link_opportunity_us (link) <= now_us)
    artic_netem_link_next_opportunity (link);
}

/* Moves everything whose bottleneck event is due by now_us to the flight. */
static void
artic_netem_link_advance (ArticNetemLink *link, gint64 now_us)
{
  ArticNetemEntry *head;

  /* The clock never goes back; a late caller is treated as "now". */
  if (now_us < link->now_us)
    now_us = link->now_us;
  link->now_us = now_us;
  if (link->config.trace != NULL) {
    artic_netem_link_advance_trace (link, now_us);
    return;
  }
  while ((head = g_queue_peek_head (&link->queue)) != NULL
         && head->packet.depart_us <= now_us)
    artic_netem_link_leave_queue (link, head->packet.depart_us);
}

static gboolean
artic_netem_link_lose (ArticNetemLink *link)
{
  const ArticNetemConfig *config = &link->config;
  gboolean lost = FALSE;

  if (config->loss > 0 && g_rand_double (link->rand) < config->loss)
    lost = TRUE;
  if (config->ge_p > 0) {
    gdouble p_loss = link->ge_bad ? config->ge_loss_bad : config->ge_loss_good;

    /* Decide in the current state, then move the chain one step. */
    if (p_loss > 0 && g_rand_double (link->rand) < p_loss)
      lost = TRUE;
    if (link->ge_bad)
      link->ge_bad = !(g_rand_double (link->rand) < config->ge_r);
    else
      link->ge_bad = g_rand_double (link->rand) < config->ge_p;
  }
  return lost;
}

static gboolean
artic_netem_link_queue_full (ArticNetemLink *link, gsize size)
{
  const ArticNetemConfig *config = &link->config;

  if (config->queue_packets > 0
      && link->queue.length + 1 > config->queue_packets)
    return TRUE;
  return config->queue_bytes > 0
         && link->queued_bytes + size > config->queue_bytes;
}

/* Fixed rate: the departure time is known on arrival (serialization). */
static void
artic_netem_link_schedule_fixed (
    ArticNetemLink *link, ArticNetemEntry *entry, gint64 now_us)
{
  guint64 start_ns = MAX ((guint64) now_us * 1000, link->busy_until_ns);
  guint64 bits = (guint64) entry->packet.size * 8;

  link->busy_until_ns = start_ns
                        + (bits * 1000000 + link->config.rate_kbps - 1)
                              / link->config.rate_kbps;
  entry->packet.depart_us = (gint64) ((link->busy_until_ns + 999) / 1000);
}

ArticNetemVerdict
artic_netem_link_enqueue (
    ArticNetemLink *link, gint64 now_us, gsize size, gpointer data, guint64 *id)
{
  ArticNetemEntry *entry;

  artic_netem_link_advance (link, now_us);
  now_us = link->now_us;
  if (id != NULL)
    *id = link->next_id;
  link->next_id++;
  if (link->stats.first_in_us < 0)
    link->stats.first_in_us = now_us;
  link->stats.packets_in++;
  link->stats.bytes_in += size;
  if (artic_netem_link_lose (link)) {
    link->stats.packets_dropped_loss++;
    link->stats.bytes_dropped_loss += size;
    return ARTIC_NETEM_DROPPED_LOSS;
  }
  if (artic_netem_link_queue_full (link, size)) {
    link->stats.packets_dropped_queue++;
    link->stats.bytes_dropped_queue += size;
    return ARTIC_NETEM_DROPPED_QUEUE;
  }
  entry = g_new0 (ArticNetemEntry, 1);
  entry->packet.id = link->next_id - 1;
  entry->packet.size = size;
  entry->packet.enqueue_us = now_us;
  entry->packet.data = data;
  entry->remaining = size;
  if (link->config.trace == NULL && link->config.rate_kbps == 0) {
    /* No bottleneck at all. */
    entry->packet.depart_us = now_us;
    artic_netem_link_depart (link, entry);
    return ARTIC_NETEM_ACCEPTED;
  }
  if (link->config.trace == NULL)
    artic_netem_link_schedule_fixed (link, entry, now_us);
  g_queue_push_tail (&link->queue, entry);
  link->queued_bytes += size;
  /* A zero-byte packet needs no opportunity; let it through right away. */
  if (link->config.trace != NULL && size == 0 && link->queue.length == 1)
    artic_netem_link_leave_queue (link, now_us);
  return ARTIC_NETEM_ACCEPTED;
}

gboolean
artic_netem_link_pop_ready (
    ArticNetemLink *link, gint64 now_us, ArticNetemPacket *packet)
{
  ArticNetemEntry *head;
  gdouble queue_ms;

  artic_netem_link_advance (link, now_us);
  head = g_queue_peek_head (&link->flight);
  if (head == NULL || head->packet.deliver_us > link->now_us)
    return FALSE;
  g_queue_pop_head (&link->flight);
  *packet = head->packet;
  g_free (head);
  link->stats.packets_delivered++;
  link->stats.bytes_delivered += packet->size;
  link->stats.last_out_us = packet->deliver_us;
  queue_ms = (packet->depart_us - packet->enqueue_us) / 1000.0;
  g_array_append_val (link->queue_delays_ms, queue_ms);
  link->queue_delay_sum_ms += queue_ms;
  return TRUE;
}

gint64
artic_netem_link_next_event_us (ArticNetemLink *link)
{
  ArticNetemEntry *flight = g_queue_peek_head (&link->flight);
  ArticNetemEntry *queued = g_queue_peek_head (&link->queue);
  gint64 next = -1;

  if (queued != NULL)
    next = link->config.trace != NULL ? artic_netem_link_opportunity_us (link)
                                      : queued->packet.depart_us;
  if (flight != NULL && (next < 0 || flight->packet.deliver_us < next))
    next = flight->packet.deliver_us;
  return next;
}

guint
artic_netem_link_get_queue_packets (ArticNetemLink *link)
{
  return link->queue.length;
}

guint64
artic_netem_link_get_queue_bytes (ArticNetemLink *link)
{
  return link->queued_bytes;
}

static gint
artic_netem_compare_double (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return (x > y) - (x < y);
}

/* Linear interpolation between closest ranks, as artic_series_percentile
 * does (receiver/ builds after transport/, so it cannot be linked here). */
static gdouble
artic_netem_percentile (const gdouble *sorted, guint n, gdouble percent)
{
  gdouble rank = percent / 100.0 * (n - 1);
  guint below = (guint) floor (rank);

  if (below + 1 >= n)
    return sorted[n - 1];
  return sorted[below] + (rank - below) * (sorted[below + 1] - sorted[below]);
}

void
artic_netem_link_get_stats (ArticNetemLink *link, ArticNetemStats *stats)
{
  guint n = link->queue_delays_ms->len;
  gdouble *sorted;

  *stats = link->stats;
  if (stats->first_in_us >= 0 && stats->last_out_us > stats->first_in_us)
    stats->delivered_kbps
        = stats->bytes_delivered * 8.0
          / ((stats->last_out_us - stats->first_in_us) / 1000.0);
  if (n == 0) {
    stats->queue_delay_mean_ms = stats->queue_delay_p50_ms = NAN;
    stats->queue_delay_p95_ms = stats->queue_delay_p99_ms = NAN;
    stats->queue_delay_max_ms = NAN;
    return;
  }
  sorted = g_memdup2 (link->queue_delays_ms->data, n * sizeof (gdouble));
  qsort (sorted, n, sizeof (gdouble), artic_netem_compare_double);
  stats->queue_delay_mean_ms = link->queue_delay_sum_ms / n;
  stats->queue_delay_p50_ms = artic_netem_percentile (sorted, n, 50);
  stats->queue_delay_p95_ms = artic_netem_percentile (sorted, n, 95);
  stats->queue_delay_p99_ms = artic_netem_percentile (sorted, n, 99);
  stats->queue_delay_max_ms = sorted[n - 1];
  g_free (sorted);
}

gchar *
artic_netem_stats_format (const ArticNetemStats *stats, const gchar *name)
{
  return g_strdup_printf (
      "%s: in %" G_GUINT64_FORMAT " pkts / %" G_GUINT64_FORMAT " B, "
      "delivered %" G_GUINT64_FORMAT " pkts / %" G_GUINT64_FORMAT " B "
      "(%.1f kbit/s), dropped by queue %" G_GUINT64_FORMAT " pkts, "
      "dropped by loss %" G_GUINT64_FORMAT " pkts, queue delay ms "
      "mean %.2f p50 %.2f p95 %.2f p99 %.2f max %.2f",
      name, stats->packets_in, stats->bytes_in, stats->packets_delivered,
      stats->bytes_delivered, stats->delivered_kbps,
      stats->packets_dropped_queue, stats->packets_dropped_loss,
      stats->queue_delay_mean_ms, stats->queue_delay_p50_ms,
      stats->queue_delay_p95_ms, stats->queue_delay_p99_ms,
      stats->queue_delay_max_ms);
}
