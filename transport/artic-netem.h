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

#ifndef __ARTIC_NETEM_H__
#define __ARTIC_NETEM_H__

#include <glib.h>

G_BEGIN_DECLS

/* A trace-driven link model for user-space network emulation.
 *
 * Everything is driven by a caller-supplied clock in microseconds ("now_us",
 * never decreasing), so the same model runs in virtual time in tests and in
 * wall-clock time in the artic-netem relay. Packets go through, in order:
 *   1. loss (Bernoulli and/or Gilbert-Elliott), decided on arrival;
 *   2. a drop-tail queue (limit in bytes or packets);
 *   3. the bottleneck: a Mahimahi trace of 1500-byte delivery opportunities,
 *      a fixed rate, or no limit;
 *   4. a propagation delay with optional jitter (FIFO unless reordering is
 *      allowed). */

#define ARTIC_NETEM_MTU 1500
/* Trace timestamps above this (24 h) are treated as a corrupt file. */
#define ARTIC_NETEM_TRACE_MAX_MS G_GUINT64_CONSTANT (86400000)

#define ARTIC_NETEM_ERROR (artic_netem_error_quark ())
typedef enum
{
  ARTIC_NETEM_ERROR_TRACE,
  ARTIC_NETEM_ERROR_CONFIG,
} ArticNetemError;

GQuark artic_netem_error_quark (void);

/* A parsed Mahimahi trace: one opportunity per line, in ms, looping with a
 * period equal to the last timestamp. Reference counted, immutable. */
typedef struct _ArticNetemTrace ArticNetemTrace;

ArticNetemTrace *artic_netem_trace_parse (
    const gchar *text, gsize length, const gchar *name, GError **error);
ArticNetemTrace *artic_netem_trace_load (const gchar *path, GError **error);
ArticNetemTrace *artic_netem_trace_ref (ArticNetemTrace *trace);
void artic_netem_trace_unref (ArticNetemTrace *trace);
guint artic_netem_trace_get_opportunities (const ArticNetemTrace *trace);
guint64 artic_netem_trace_get_period_ms (const ArticNetemTrace *trace);
gdouble artic_netem_trace_get_mean_kbps (const ArticNetemTrace *trace);

typedef struct
{
  /* Capacity: a trace (takes precedence), else rate_kbps, else unlimited. */
  ArticNetemTrace *trace;
  guint64 rate_kbps;
  /* Drop-tail queue limits; 0 means no limit. */
  guint64 queue_bytes;
  guint queue_packets;
  /* Propagation delay; jitter is uniform in [-jitter, +jitter], clamped so
   * the delay never goes below zero. */
  guint64 delay_us;
  guint64 jitter_us;
  gboolean allow_reorder;
  /* Independent random loss, probability in [0, 1]. */
  gdouble loss;
  /* Gilbert-Elliott burst loss (enabled when ge_p > 0): per packet, good ->
   * bad with probability ge_p, bad -> good with ge_r; loss probability is
   * ge_loss_bad in the bad state and ge_loss_good in the good one. */
  gdouble ge_p;
  gdouble ge_r;
  gdouble ge_loss_bad;
  gdouble ge_loss_good;
  guint32 seed;
  /* Frees the user data of packets still inside the link when it is freed. */
  GDestroyNotify data_free;
} ArticNetemConfig;

void artic_netem_config_init (ArticNetemConfig *config);

typedef enum
{
  ARTIC_NETEM_ACCEPTED,
  ARTIC_NETEM_DROPPED_LOSS,
  ARTIC_NETEM_DROPPED_QUEUE,
} ArticNetemVerdict;

typedef struct
{
  guint64 id;
  gsize size;
  gint64 enqueue_us;
  gint64 depart_us;
  gint64 deliver_us;
  gpointer data;
} ArticNetemPacket;

typedef struct
{
  guint64 packets_in;
  guint64 bytes_in;
  guint64 packets_delivered;
  guint64 bytes_delivered;
  guint64 packets_dropped_queue;
  guint64 bytes_dropped_queue;
  guint64 packets_dropped_loss;
  guint64 bytes_dropped_loss;
  /* First arrival and last delivery, -1 when none. */
  gint64 first_in_us;
  gint64 last_out_us;
  /* bytes_delivered over [first_in_us, last_out_us]. */
  gdouble delivered_kbps;
  /* Time spent in the queue and the bottleneck, for delivered packets. */
  gdouble queue_delay_mean_ms;
  gdouble queue_delay_p50_ms;
  gdouble queue_delay_p95_ms;
  gdouble queue_delay_p99_ms;
  gdouble queue_delay_max_ms;
} ArticNetemStats;

typedef struct _ArticNetemLink ArticNetemLink;

ArticNetemLink *artic_netem_link_new (
    const ArticNetemConfig *config, GError **error);
void artic_netem_link_free (ArticNetemLink *link);
/* On ARTIC_NETEM_ACCEPTED the link owns data until the packet is popped;
 * otherwise the caller keeps it. */
ArticNetemVerdict artic_netem_link_enqueue (ArticNetemLink *link, gint64 now_us,
    gsize size, gpointer data, guint64 *id);
/* Pops one packet whose delivery time is <= now_us; FALSE when none. */
gboolean artic_netem_link_pop_ready (
    ArticNetemLink *link, gint64 now_us, ArticNetemPacket *packet);
/* When the link next needs attention (a delivery or a bottleneck event),
 * or -1 when it is empty. */
gint64 artic_netem_link_next_event_us (ArticNetemLink *link);
guint artic_netem_link_get_queue_packets (ArticNetemLink *link);
guint64 artic_netem_link_get_queue_bytes (ArticNetemLink *link);
void artic_netem_link_get_stats (ArticNetemLink *link, ArticNetemStats *stats);
gchar *artic_netem_stats_format (
    const ArticNetemStats *stats, const gchar *name);

G_END_DECLS

#endif /* __ARTIC_NETEM_H__ */
