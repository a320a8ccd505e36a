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

/* artic-netem: a UDP relay that runs datagrams through two independent link
 * models, "forward" (client -> destination, e.g. media) and "reverse"
 * (destination -> last client, e.g. feedback). */

#include <errno.h>
#include <glib-unix.h>
#include <gio/gio.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "artic-netem.h"

#define ARTIC_NETEM_MAX_DATAGRAM 65536

/* Option values are read as strings so that errors can name the option. */
typedef struct
{
  gchar *trace;
  gchar *rate;
  gchar *delay;
  gchar *jitter;
  gchar *loss;
  gchar *burst;
  gchar *queue_bytes;
  gchar *queue_packets;
  gboolean reorder;
} ArticNetemDirOptions;

typedef struct
{
  gchar *listen;
  gchar *to;
  gchar *seed;
  gchar *duration;
  gchar *stats;
  ArticNetemDirOptions forward;
  ArticNetemDirOptions reverse;
} ArticNetemOptions;

typedef struct
{
  GMainLoop *loop;
  GSocket *listen_socket;
  GSocket *upstream_socket;
  GSocketAddress *to_address;
  GSocketAddress *client_address;
  ArticNetemLink *forward;
  ArticNetemLink *reverse;
  GSource *timer;
  gint64 start_us;
  guint64 send_errors;
  guint64 no_client_drops;
} ArticNetemRelay;

static gboolean artic_netem_fail (GError **error, const gchar *format, ...)
    G_GNUC_PRINTF (2, 3);

static gboolean
artic_netem_fail (GError **error, const gchar *format, ...)
{
  va_list args;
  gchar *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (
      error, ARTIC_NETEM_ERROR, ARTIC_NETEM_ERROR_CONFIG, message);
  g_free (message);
  return FALSE;
}

static gboolean
artic_netem_parse_uint (const gchar *option, const gchar *text, guint64 max,
    guint64 *value, GError **error)
{
  GError *local = NULL;

  if (g_ascii_string_to_unsigned (text, 10, 0, max, value, &local))
    return TRUE;
  if (g_error_matches (
          local, G_NUMBER_PARSER_ERROR, G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS)) {
    g_clear_error (&local);
    return artic_netem_fail (error,
        "%s '%s' is out of range (0 to %" G_GUINT64_FORMAT ")", option, text,
        max);
  }
  g_clear_error (&local);
  return artic_netem_fail (
      error, "%s '%s' is not a whole number", option, text);
}

static gboolean
artic_netem_parse_double (const gchar *option, const gchar *text, gdouble min,
    gdouble max, gdouble *value, GError **error)
{
  gchar *end = NULL;

  errno = 0;
  *value = g_ascii_strtod (text, &end);
  if (text[0] == '\0' || end == NULL || *end != '\0' || errno != 0
      || !isfinite (*value))
    return artic_netem_fail (error, "%s '%s' is not a number", option, text);
  if (*value < min || *value > max)
    return artic_netem_fail (
        error, "%s '%s' is out of range (%g to %g)", option, text, min, max);
  return TRUE;
}

/* HOST:PORT with an IP literal; IPv6 as [::1]:PORT. */
static GSocketAddress *
artic_netem_parse_address (
    const gchar *option, const gchar *text, GError **error)
{
  const gchar *colon = strrchr (text, ':');
  GInetAddress *inet;
  GSocketAddress *address;
  gchar *host, *port_option;
  guint64 port;
  gboolean ok;

  if (colon == NULL) {
    artic_netem_fail (error, "%s '%s' is not HOST:PORT", option, text);
    return NULL;
  }
  host = g_strndup (text, colon - text);
  if (host[0] == '[' && g_str_has_suffix (host, "]")) {
    gchar *inner = g_strndup (host + 1, strlen (host) - 2);

    g_free (host);
    host = inner;
  }
  inet = g_inet_address_new_from_string (host);
  if (inet == NULL) {
    artic_netem_fail (error, "%s: '%s' is not an IP address", option, host);
    g_free (host);
    return NULL;
  }
  g_free (host);
  port_option = g_strconcat (option, " port", NULL);
  ok = artic_netem_parse_uint (port_option, colon + 1, 65535, &port, error);
  g_free (port_option);
  if (!ok) {
    g_object_unref (inet);
    return NULL;
  }
  address = g_inet_socket_address_new (inet, (guint16) port);
  g_object_unref (inet);
  return address;
}

/* P,R[,LOSS_BAD[,LOSS_GOOD]] in percent, like netem's gemodel. */
static gboolean
artic_netem_parse_burst (const gchar *option, const gchar *text,
    ArticNetemConfig *config, GError **error)
{
  gchar **fields = g_strsplit (text, ",", -1);
  guint n = g_strv_length (fields);
  gdouble values[4] = { 0, 0, 100, 0 };
  gboolean ok = TRUE;
  guint i;

  if (n < 2 || n > 4)
    ok = artic_netem_fail (error,
        "%s '%s' must be P,R[,LOSS_BAD[,LOSS_GOOD]] in percent", option, text);
  for (i = 0; ok && i < n; i++)
    ok = artic_netem_parse_double (
        option, fields[i], 0, 100, &values[i], error);
  g_strfreev (fields);
  if (ok && values[0] > 0 && values[1] == 0)
    ok = artic_netem_fail (
        error, "%s '%s': R must be above 0 or bursts never end", option, text);
  config->ge_p = values[0] / 100;
  config->ge_r = values[1] / 100;
  config->ge_loss_bad = values[2] / 100;
  config->ge_loss_good = values[3] / 100;
  return ok;
}

static gchar *
artic_netem_option_name (const gchar *prefix, const gchar *name)
{
  return g_strconcat ("--", prefix, name, NULL);
}

static gboolean
artic_netem_parse_capacity (const gchar *prefix,
    const ArticNetemDirOptions *dir, ArticNetemConfig *config, GError **error)
{
  gboolean ok = TRUE;
  gchar *option;

  if (dir->trace != NULL && dir->rate != NULL)
    return artic_netem_fail (
        error, "give only one of --%strace and --%srate", prefix, prefix);
  if (dir->trace != NULL) {
    config->trace = artic_netem_trace_load (dir->trace, error);
    if (config->trace == NULL)
      g_prefix_error (error, "--%strace: ", prefix);
    return config->trace != NULL;
  }
  if (dir->rate != NULL) {
    option = artic_netem_option_name (prefix, "rate");
    ok = artic_netem_parse_uint (option, dir->rate,
        G_GUINT64_CONSTANT (100000000), &config->rate_kbps, error);
    if (ok && config->rate_kbps == 0)
      ok = artic_netem_fail (error, "%s must be above 0 kbit/s", option);
    g_free (option);
  }
  return ok;
}

static gboolean
artic_netem_parse_ms (const gchar *prefix, const gchar *name, const gchar *text,
    guint64 *us, GError **error)
{
  gchar *option;
  gdouble ms;
  gboolean ok;

  if (text == NULL)
    return TRUE;
  option = artic_netem_option_name (prefix, name);
  ok = artic_netem_parse_double (option, text, 0, 3600000, &ms, error);
  g_free (option);
  *us = (guint64) llround (ms * 1000);
  return ok;
}

static gboolean
artic_netem_parse_queue (const gchar *prefix, const ArticNetemDirOptions *dir,
    ArticNetemConfig *config, GError **error)
{
  guint64 value = 0;
  gchar *option;
  gboolean ok = TRUE;

  if (dir->queue_bytes != NULL && dir->queue_packets != NULL)
    return artic_netem_fail (error,
        "give only one of --%squeue-bytes and --%squeue-packets", prefix,
        prefix);
  if (dir->queue_bytes != NULL) {
    option = artic_netem_option_name (prefix, "queue-bytes");
    ok = artic_netem_parse_uint (option, dir->queue_bytes,
        G_GUINT64_CONSTANT (1) << 32, &config->queue_bytes, error);
    g_free (option);
  }
  if (dir->queue_packets != NULL) {
    option = artic_netem_option_name (prefix, "queue-packets");
    ok = artic_netem_parse_uint (
        option, dir->queue_packets, 1000000, &value, error);
    config->queue_packets = (guint) value;
    g_free (option);
  }
  return ok;
}

static gboolean
artic_netem_parse_direction (const gchar *prefix,
    const ArticNetemDirOptions *dir, guint32 seed, ArticNetemConfig *config,
    GError **error)
{
  gchar *option;
  gdouble loss = 0;
  gboolean ok = TRUE;

  artic_netem_config_init (config);
  config->seed = seed;
  config->allow_reorder = dir->reorder;
  config->data_free = (GDestroyNotify) g_bytes_unref;
  if (dir->loss != NULL) {
    option = artic_netem_option_name (prefix, "loss");
    ok = artic_netem_parse_double (option, dir->loss, 0, 100, &loss, error);
    config->loss = loss / 100;
    g_free (option);
  }
  if (ok && dir->burst != NULL) {
    option = artic_netem_option_name (prefix, "burst");
    ok = artic_netem_parse_burst (option, dir->burst, config, error);
    g_free (option);
  }
  return ok
         && artic_netem_parse_ms (
             prefix, "delay", dir->delay, &config->delay_us, error)
         && artic_netem_parse_ms (
             prefix, "jitter", dir->jitter, &config->jitter_us, error)
         && artic_netem_parse_queue (prefix, dir, config, error)
         && artic_netem_parse_capacity (prefix, dir, config, error);
}

/* ---- Relay ---- */

static gint64
artic_netem_relay_now (ArticNetemRelay *relay)
{
  return g_get_monotonic_time () - relay->start_us;
}

static void
artic_netem_relay_send (
    ArticNetemRelay *relay, GSocket *socket, GSocketAddress *to, GBytes *bytes)
{
  gsize size = 0;
  const gchar *data = g_bytes_get_data (bytes, &size);

  /* UDP: a full buffer or an ICMP error loses the datagram, as a network
   * would; count it and go on. */
  if (to == NULL || g_socket_send_to (socket, to, data, size, NULL, NULL) < 0)
    relay->send_errors++;
}

static void
artic_netem_relay_flush (ArticNetemRelay *relay)
{
  ArticNetemPacket packet;
  gint64 now = artic_netem_relay_now (relay);
  gint64 next_forward, next_reverse, next;

  while (artic_netem_link_pop_ready (relay->forward, now, &packet)) {
    artic_netem_relay_send (
        relay, relay->upstream_socket, relay->to_address, packet.data);
    g_bytes_unref (packet.data);
  }
  while (artic_netem_link_pop_ready (relay->reverse, now, &packet)) {
    artic_netem_relay_send (
        relay, relay->listen_socket, relay->client_address, packet.data);
    g_bytes_unref (packet.data);
  }
  next_forward = artic_netem_link_next_event_us (relay->forward);
  next_reverse = artic_netem_link_next_event_us (relay->reverse);
  if (next_forward < 0)
    next = next_reverse;
  else if (next_reverse < 0)
    next = next_forward;
  else
    next = MIN (next_forward, next_reverse);
  g_source_set_ready_time (
      relay->timer, next < 0 ? -1 : relay->start_us + next);
}

static gboolean
artic_netem_relay_on_timer (gpointer user_data)
{
  artic_netem_relay_flush (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
artic_netem_timer_dispatch (
    GSource *source, GSourceFunc callback, gpointer user_data)
{
  return callback (user_data);
}

static GSourceFuncs artic_netem_timer_funcs = {
  NULL,
  NULL,
  artic_netem_timer_dispatch,
  NULL,
  NULL,
  NULL,
};

static void
artic_netem_relay_receive (ArticNetemRelay *relay, GSocket *socket)
{
  gboolean from_client = socket == relay->listen_socket;
  gchar *buffer = g_malloc (ARTIC_NETEM_MAX_DATAGRAM);

  for (;;) {
    GSocketAddress *from = NULL;
    gssize size = g_socket_receive_from (
        socket, &from, buffer, ARTIC_NETEM_MAX_DATAGRAM, NULL, NULL);
    GBytes *bytes;

    if (size < 0)
      break;
    bytes = g_bytes_new (buffer, size);
    if (from_client) {
      /* Replies go to whoever spoke last. */
      g_clear_object (&relay->client_address);
      relay->client_address = g_object_ref (from);
    }
    if (!from_client && relay->client_address == NULL)
      relay->no_client_drops++;
    else if (artic_netem_link_enqueue (
                 from_client ? relay->forward : relay->reverse,
                 artic_netem_relay_now (relay), size, bytes, NULL)
             == ARTIC_NETEM_ACCEPTED)
      bytes = NULL;
    if (bytes != NULL)
      g_bytes_unref (bytes);
    g_clear_object (&from);
  }
  g_free (buffer);
  artic_netem_relay_flush (relay);
}

static gboolean
artic_netem_relay_on_readable (
    GSocket *socket, GIOCondition condition, gpointer user_data)
{
  artic_netem_relay_receive (user_data, socket);
  return G_SOURCE_CONTINUE;
}

static gboolean
artic_netem_relay_on_stop (gpointer user_data)
{
  ArticNetemRelay *relay = user_data;

  g_main_loop_quit (relay->loop);
  return G_SOURCE_CONTINUE;
}

static GSocket *
artic_netem_relay_bind (GSocketAddress *address, GError **error)
{
  GSocket *socket = g_socket_new (g_socket_address_get_family (address),
      G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);

  if (socket == NULL)
    return NULL;
  g_socket_set_blocking (socket, FALSE);
  if (!g_socket_bind (socket, address, FALSE, error))
    g_clear_object (&socket);
  return socket;
}

static void
artic_netem_relay_watch (ArticNetemRelay *relay, GSocket *socket)
{
  GSource *source = g_socket_create_source (socket, G_IO_IN, NULL);

  g_source_set_callback (
      source, G_SOURCE_FUNC (artic_netem_relay_on_readable), relay, NULL);
  g_source_attach (source, NULL);
  g_source_unref (source);
}

/* The upstream socket talks to the destination from an ephemeral port. */
static gboolean
artic_netem_relay_open (ArticNetemRelay *relay, GSocketAddress *listen,
    const gchar *listen_text, GError **error)
{
  GInetAddress *any = g_inet_address_new_any (
      g_socket_address_get_family (relay->to_address));
  GSocketAddress *ephemeral = g_inet_socket_address_new (any, 0);
  GError *local = NULL;

  g_object_unref (any);
  relay->listen_socket = artic_netem_relay_bind (listen, &local);
  if (relay->listen_socket == NULL) {
    artic_netem_fail (
        error, "cannot listen on %s: %s", listen_text, local->message);
    g_clear_error (&local);
    g_object_unref (ephemeral);
    return FALSE;
  }
  relay->upstream_socket = artic_netem_relay_bind (ephemeral, error);
  g_object_unref (ephemeral);
  if (relay->upstream_socket == NULL)
    return FALSE;
  artic_netem_relay_watch (relay, relay->listen_socket);
  artic_netem_relay_watch (relay, relay->upstream_socket);
  relay->timer = g_source_new (&artic_netem_timer_funcs, sizeof (GSource));
  g_source_set_callback (relay->timer, artic_netem_relay_on_timer, relay, NULL);
  g_source_attach (relay->timer, NULL);
  return TRUE;
}

static gchar *
artic_netem_relay_summary (ArticNetemRelay *relay)
{
  ArticNetemStats forward, reverse;
  gchar *forward_text, *reverse_text, *summary;

  artic_netem_link_get_stats (relay->forward, &forward);
  artic_netem_link_get_stats (relay->reverse, &reverse);
  forward_text = artic_netem_stats_format (&forward, "forward");
  reverse_text = artic_netem_stats_format (&reverse, "reverse");
  summary = g_strdup_printf ("%s\n%s\nsend errors: %" G_GUINT64_FORMAT
                             ", replies before any client: %" G_GUINT64_FORMAT
                             "\n",
      forward_text, reverse_text, relay->send_errors, relay->no_client_drops);
  g_free (forward_text);
  g_free (reverse_text);
  return summary;
}

static void
artic_netem_relay_clear (ArticNetemRelay *relay)
{
  if (relay->timer != NULL) {
    g_source_destroy (relay->timer);
    g_source_unref (relay->timer);
  }
  artic_netem_link_free (relay->forward);
  artic_netem_link_free (relay->reverse);
  g_clear_object (&relay->listen_socket);
  g_clear_object (&relay->upstream_socket);
  g_clear_object (&relay->to_address);
  g_clear_object (&relay->client_address);
  if (relay->loop != NULL)
    g_main_loop_unref (relay->loop);
}

/* ---- Command line ---- */

/* GOptionGroup keeps pointers to the names, so they must be static. */
static const gchar *artic_netem_forward_names[] = { "trace", "rate", "delay",
  "jitter", "loss", "burst", "queue-bytes", "queue-packets", "reorder" };
static const gchar *artic_netem_reverse_names[]
    = { "reverse-trace", "reverse-rate", "reverse-delay", "reverse-jitter",
        "reverse-loss", "reverse-burst", "reverse-queue-bytes",
        "reverse-queue-packets", "reverse-reorder" };

static void
artic_netem_add_direction (
    GOptionContext *context, gboolean reverse, ArticNetemDirOptions *dir)
{
  const gchar **names
      = reverse ? artic_netem_reverse_names : artic_netem_forward_names;
  const gchar *help[] = { "Mahimahi capacity trace", "Fixed capacity in kbit/s",
    "One-way delay in ms", "Jitter in ms (uniform, +/-)",
    "Random loss in percent",
    "Gilbert-Elliott burst loss P,R[,LOSS_BAD[,LOSS_GOOD]] in percent",
    "Drop-tail queue limit in bytes", "Drop-tail queue limit in packets",
    "Let jitter reorder packets" };
  const gchar *args[]
      = { "FILE", "KBPS", "MS", "MS", "PCT", "P,R[,H,K]", "N", "N", NULL };
  gpointer targets[]
      = { &dir->trace, &dir->rate, &dir->delay, &dir->jitter, &dir->loss,
          &dir->burst, &dir->queue_bytes, &dir->queue_packets, &dir->reorder };
  GOptionEntry entries[G_N_ELEMENTS (help) + 1];
  GOptionGroup *group;
  guint i;

  memset (entries, 0, sizeof (entries));
  for (i = 0; i < G_N_ELEMENTS (help); i++) {
    entries[i].long_name = names[i];
    entries[i].arg = args[i] == NULL ? G_OPTION_ARG_NONE
                     : i == 0        ? G_OPTION_ARG_FILENAME
                                     : G_OPTION_ARG_STRING;
    entries[i].arg_data = targets[i];
    entries[i].description = help[i];
    entries[i].arg_description = args[i];
  }
  if (!reverse) {
    g_option_context_add_main_entries (context, entries, NULL);
    return;
  }
  group = g_option_group_new ("reverse",
      "Reverse link (destination -> client), default: no delay, no loss, "
      "no rate limit:",
      "Show the reverse link options", NULL, NULL);
  g_option_group_add_entries (group, entries);
  g_option_context_add_group (context, group);
}

static gboolean
artic_netem_parse_args (
    ArticNetemOptions *options, gint *argc, gchar ***argv, GError **error)
{
  GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &options->listen,
        "Address to listen on (default 127.0.0.1:6000)", "HOST:PORT" },
    { "to", 't', 0, G_OPTION_ARG_STRING, &options->to,
        "Destination of the forward direction", "HOST:PORT" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &options->seed,
        "Random seed (default 1; the reverse link uses seed + 1)", "N" },
    { "duration", 'd', 0, G_OPTION_ARG_STRING, &options->duration,
        "Stop after this many seconds (default: until SIGINT/SIGTERM)", "S" },
    { "stats", 0, 0, G_OPTION_ARG_FILENAME, &options->stats,
        "Also write the exit summary to this file", "FILE" },
    G_OPTION_ENTRY_NULL,
  };
  GOptionContext *context
      = g_option_context_new ("- trace-driven UDP network emulator");
  gboolean ok;

  g_option_context_set_summary (context,
      "Relays UDP datagrams from --listen to --to through the forward link "
      "model\nand the replies back to the last client through the reverse "
      "one.\nForward link options are --trace, --rate, ...; the reverse "
      "link\ntakes the same ones prefixed with --reverse- (see "
      "--help-reverse).\nWithout capacity options a link has no rate limit.");
  g_option_context_add_main_entries (context, entries, NULL);
  artic_netem_add_direction (context, FALSE, &options->forward);
  artic_netem_add_direction (context, TRUE, &options->reverse);
  ok = g_option_context_parse (context, argc, argv, error);
  g_option_context_free (context);
  return ok;
}

static void
artic_netem_dir_options_clear (ArticNetemDirOptions *dir)
{
  g_free (dir->trace);
  g_free (dir->rate);
  g_free (dir->delay);
  g_free (dir->jitter);
  g_free (dir->loss);
  g_free (dir->burst);
  g_free (dir->queue_bytes);
  g_free (dir->queue_packets);
}

static void
artic_netem_options_clear (ArticNetemOptions *options)
{
  g_free (options->listen);
  g_free (options->to);
  g_free (options->seed);
  g_free (options->duration);
  g_free (options->stats);
  artic_netem_dir_options_clear (&options->forward);
  artic_netem_dir_options_clear (&options->reverse);
}

static ArticNetemLink *
artic_netem_make_link (const gchar *prefix, const ArticNetemDirOptions *dir,
    guint32 seed, GError **error)
{
  ArticNetemConfig config;
  ArticNetemLink *link = NULL;

  if (artic_netem_parse_direction (prefix, dir, seed, &config, error))
    link = artic_netem_link_new (&config, error);
  artic_netem_trace_unref (config.trace);
  return link;
}

/* Validates everything before any socket is opened. */
static gboolean
artic_netem_setup (ArticNetemRelay *relay, ArticNetemOptions *options,
    GSocketAddress **listen, gdouble *duration, GError **error)
{
  guint64 seed = 1;

  if (options->to == NULL)
    return artic_netem_fail (error, "--to HOST:PORT is required");
  if (options->seed != NULL
      && !artic_netem_parse_uint (
          "--seed", options->seed, G_MAXUINT32 - 1, &seed, error))
    return FALSE;
  if (options->duration != NULL
      && !artic_netem_parse_double (
          "--duration", options->duration, 0.001, 1e7, duration, error))
    return FALSE;
  relay->to_address = artic_netem_parse_address ("--to", options->to, error);
  if (relay->to_address == NULL)
    return FALSE;
  *listen = artic_netem_parse_address ("--listen",
      options->listen != NULL ? options->listen : "127.0.0.1:6000", error);
  if (*listen == NULL)
    return FALSE;
  relay->forward
      = artic_netem_make_link ("", &options->forward, (guint32) seed, error);
  if (relay->forward == NULL)
    return FALSE;
  relay->reverse = artic_netem_make_link (
      "reverse-", &options->reverse, (guint32) seed + 1, error);
  return relay->reverse != NULL;
}

static gchar *
artic_netem_address_to_string (GSocketAddress *address)
{
  GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (address);
  gchar *host
      = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
  gchar *text = g_strdup_printf (
      "%s:%u", host, (guint) g_inet_socket_address_get_port (inet));

  g_free (host);
  return text;
}

static void
artic_netem_announce (ArticNetemRelay *relay)
{
  GSocketAddress *local
      = g_socket_get_local_address (relay->listen_socket, NULL);
  gchar *listen_text = artic_netem_address_to_string (local);
  gchar *to_text = artic_netem_address_to_string (relay->to_address);

  /* Tests read the real port from this line when --listen asks for port 0. */
  printf (
      "artic-netem: listening on %s, forwarding to %s\n", listen_text, to_text);
  fflush (stdout);
  g_free (listen_text);
  g_free (to_text);
  g_object_unref (local);
}

static gint
artic_netem_run (
    ArticNetemRelay *relay, ArticNetemOptions *options, gdouble duration)
{
  FILE *stats_file = NULL;
  gchar *summary;

  if (options->stats != NULL) {
    stats_file = fopen (options->stats, "w");
    if (stats_file == NULL) {
      fprintf (stderr, "artic-netem: error: cannot write '%s': %s\n",
          options->stats, g_strerror (errno));
      return 2;
    }
  }
  relay->loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, artic_netem_relay_on_stop, relay);
  g_unix_signal_add (SIGTERM, artic_netem_relay_on_stop, relay);
  if (duration > 0)
    g_timeout_add (
        (guint) ceil (duration * 1000), artic_netem_relay_on_stop, relay);
  relay->start_us = g_get_monotonic_time ();
  artic_netem_announce (relay);
  g_main_loop_run (relay->loop);
  summary = artic_netem_relay_summary (relay);
  fputs (summary, stdout);
  if (stats_file != NULL) {
    fputs (summary, stats_file);
    fclose (stats_file);
  }
  g_free (summary);
  return 0;
}

int
main (int argc, char **argv)
{
  ArticNetemOptions options = { 0 };
  ArticNetemRelay relay = { 0 };
  GSocketAddress *listen = NULL;
  GError *error = NULL;
  gdouble duration = 0;
  gint exit_code = 2;

  if (!artic_netem_parse_args (&options, &argc, &argv, &error)) {
    fprintf (stderr, "artic-netem: error: %s (see --help)\n", error->message);
  } else if (argc > 1) {
    fprintf (stderr,
        "artic-netem: error: unexpected argument '%s' (see --help)\n", argv[1]);
  } else if (!artic_netem_setup (&relay, &options, &listen, &duration, &error)
             || !artic_netem_relay_open (&relay, listen,
                 options.listen != NULL ? options.listen : "127.0.0.1:6000",
                 &error)) {
    fprintf (stderr, "artic-netem: error: %s\n", error->message);
  } else {
    exit_code = artic_netem_run (&relay, &options, duration);
  }
  g_clear_error (&error);
  g_clear_object (&listen);
  artic_netem_relay_clear (&relay);
  artic_netem_options_clear (&options);
  return exit_code;
}
