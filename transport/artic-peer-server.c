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

/* The receiver's side of peer sessions: signaling, one session per offer,
 * and the idle/closed reaper (see artic-peer-server.h). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#define G_LOG_DOMAIN "artic-peer-server"

#include <string.h>

#include "artic-peer-server.h"

/* How often the reaper looks at the sessions: the idle timeout is honoured
 * to within this. */
#define REAP_INTERVAL_MS 100

typedef struct
{
  ArticPeerServer *server;
  gchar *id;
  ArticPeerSession *session;
  GSocket *udp;
  gboolean primary;    /* uses the configured media port */
  gint context_stream; /* atomic; -1 until the peer opens it */
  gint closed;         /* atomic: the association closed */
} Entry;

struct _ArticPeerServer
{
  ArticPeerServerCallbacks callbacks;
  gpointer user_data;
  guint max_sessions;
  guint idle_timeout_ms;
  gchar *media_address;
  GSocket *primary_udp; /* bound at start, lent to one session at a time */
  guint media_port;
  ArticSignalServer *signal;

  GMutex lock; /* sessions, stats, stop */
  GCond cond;
  GPtrArray *sessions; /* Entry */
  ArticPeerServerStats stats;
  ArticPeerServerStats ended_stats; /* sessions already freed */
  gboolean stop;
  GThread *reaper;
};

const gchar *
artic_peer_end_reason_name (ArticPeerEndReason reason)
{
  switch (reason) {
    case ARTIC_PEER_END_IDLE:
      return "idle";
    case ARTIC_PEER_END_CLOSED:
      return "closed";
    case ARTIC_PEER_END_STOPPED:
      return "stopped";
  }
  return "unknown";
}

static GSocket *
bind_udp (const gchar *address, guint port, GError **error)
{
  GInetAddress *inet = g_inet_address_new_from_string (address);
  GSocketAddress *local;
  GSocket *udp;

  if (inet == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "media address '%s' is not an IP address", address);
    return NULL;
  }
  udp = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, error);
  local = g_inet_socket_address_new (inet, (guint16) port);
  if (udp != NULL && !g_socket_bind (udp, local, FALSE, error))
    g_clear_object (&udp);
  g_object_unref (local);
  g_object_unref (inet);
  return udp;
}

static guint
socket_port (GSocket *udp)
{
  GSocketAddress *local = g_socket_get_local_address (udp, NULL);
  guint port = 0;

  if (local != NULL) {
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
    g_object_unref (local);
  }
  return port;
}

/* Datagrams of an earlier peer still queued on a reused socket must not
 * become the first datagram the next session learns its peer from. */
static void
drain_udp (GSocket *udp)
{
  guint8 buffer[2048];

  while (g_socket_receive_with_blocking (
             udp, (gchar *) buffer, sizeof (buffer), FALSE, NULL, NULL)
         >= 0)
    ;
}

static void
on_media (ArticPeerSession *session, gboolean rtcp, const guint8 *packet,
    gsize length, gpointer user_data)
{
  Entry *e = user_data;
  ArticPeerServer *self = e->server;

  if (self->callbacks.media)
    self->callbacks.media (self, e->id, rtcp, packet, length, self->user_data);
}

static void
on_channel_open (ArticPeerSession *session, guint16 stream,
    const ArticDcepOpen *open, gboolean remote, gpointer user_data)
{
  Entry *e = user_data;

  if (remote && g_strcmp0 (open->label, ARTIC_PEER_CONTEXT_LABEL) == 0)
    g_atomic_int_set (&e->context_stream, stream);
}

static void
on_channel_closed (ArticPeerSession *session, guint16 stream, gboolean remote,
    gpointer user_data)
{
  Entry *e = user_data;

  g_atomic_int_compare_and_exchange (&e->context_stream, stream, -1);
}

static void
on_message (ArticPeerSession *session, guint16 stream, gboolean is_string,
    const guint8 *data, gsize length, gpointer user_data)
{
  Entry *e = user_data;
  ArticPeerServer *self = e->server;

  if (stream == g_atomic_int_get (&e->context_stream)
      && self->callbacks.context_message)
    self->callbacks.context_message (
        self, e->id, data, length, self->user_data);
}

static void
on_state (ArticPeerSession *session, ArticSctpState state, gpointer user_data)
{
  Entry *e = user_data;

  if (state == ARTIC_SCTP_STATE_CLOSED) {
    g_atomic_int_set (&e->closed, 1);
    /* Wake the reaper; the session cannot be freed on its own thread. */
    g_mutex_lock (&e->server->lock);
    g_cond_broadcast (&e->server->cond);
    g_mutex_unlock (&e->server->lock);
  }
}

static const ArticPeerSessionCallbacks session_callbacks
    = { on_media, on_channel_open, on_message, on_state, on_channel_closed };

static void
entry_free (Entry *e)
{
  artic_peer_session_free (e->session);
  g_clear_object (&e->udp);
  g_free (e->id);
  g_free (e);
}

static gboolean
primary_in_use (ArticPeerServer *self)
{
  guint i;

  for (i = 0; i < self->sessions->len; i++)
    if (((Entry *) g_ptr_array_index (self->sessions, i))->primary)
      return TRUE;
  return FALSE;
}

static ArticSignalMessage *
on_offer (const ArticSignalMessage *offer, guint *status, GError **error,
    gpointer user_data)
{
  ArticPeerServer *self = user_data;
  ArticSignalMessage *answer = NULL;
  Entry *e;

  e = g_new0 (Entry, 1);
  e->server = self;
  e->id = g_strdup (offer->session);
  e->context_stream = -1;
  g_mutex_lock (&self->lock);
  if (self->stop || self->sessions->len >= self->max_sessions) {
    g_mutex_unlock (&self->lock);
    *status = 503;
    g_set_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_FIELD,
        "%u session(s) live, the limit", self->max_sessions);
    goto fail;
  }
  if (!primary_in_use (self)) {
    e->primary = TRUE;
    e->udp = g_object_ref (self->primary_udp);
    drain_udp (e->udp);
  } else {
    e->udp = bind_udp (self->media_address, 0, error);
    if (e->udp == NULL) {
      g_mutex_unlock (&self->lock);
      *status = 503;
      goto fail;
    }
  }
  answer = artic_signal_message_new (ARTIC_SIGNAL_ANSWER);
  answer->session = g_strdup (offer->session);
  if (!artic_srtp_key_generate (&answer->key, offer->key.profile, error)) {
    g_mutex_unlock (&self->lock);
    goto fail;
  }
  /* Our RTCP goes out with whatever SSRC the pipeline picks; the answer
   * names a random one, as the format requires one. */
  answer->ssrcs[0] = g_random_int_range (1, G_MAXINT32);
  answer->n_ssrcs = 1;
  answer->address = g_strdup (self->media_address);
  answer->port = (guint16) socket_port (e->udp);
  /* The peer is learned from its first verified-looking datagram: it may
   * be behind a NAT or a relay. */
  e->session = artic_peer_session_new (ARTIC_SCTP_ROLE_SERVER, e->udp, NULL,
      &answer->key, &offer->key, &session_callbacks, e, error);
  if (e->session == NULL) {
    g_mutex_unlock (&self->lock);
    goto fail;
  }
  g_ptr_array_add (self->sessions, e);
  self->stats.started++;
  self->stats.live = self->sessions->len;
  g_mutex_unlock (&self->lock);
  g_debug ("session %s started on UDP port %u", e->id, answer->port);
  if (self->callbacks.session_started)
    self->callbacks.session_started (self, e->id, e->session, self->user_data);
  return answer;

fail:
  artic_signal_message_free (answer);
  entry_free (e);
  return NULL;
}

/* Takes the sessions that must end out of the table (under the lock); the
 * caller frees them outside it, since freeing joins the session's thread,
 * whose callbacks may wait for the lock. */
static GPtrArray *
collect_ended (ArticPeerServer *self, gboolean all, GArray *reasons)
{
  GPtrArray *ended = g_ptr_array_new ();
  guint i = 0;

  while (i < self->sessions->len) {
    Entry *e = g_ptr_array_index (self->sessions, i);
    ArticPeerEndReason reason = ARTIC_PEER_END_STOPPED;
    gboolean end = all;

    if (!end && g_atomic_int_get (&e->closed)) {
      reason = ARTIC_PEER_END_CLOSED;
      end = TRUE;
    } else if (!end && self->idle_timeout_ms > 0
               && artic_peer_session_get_idle_ms (e->session)
                      >= (gint64) self->idle_timeout_ms) {
      reason = ARTIC_PEER_END_IDLE;
      end = TRUE;
    }
    if (!end) {
      i++;
      continue;
    }
    g_ptr_array_remove_index (self->sessions, i);
    g_ptr_array_add (ended, e);
    g_array_append_val (reasons, reason);
    if (reason == ARTIC_PEER_END_IDLE)
      self->stats.ended_idle++;
    else if (reason == ARTIC_PEER_END_CLOSED)
      self->stats.ended_closed++;
  }
  self->stats.live = self->sessions->len;
  return ended;
}

/* Adds one session's context-channel counters to @stats. */
static void
add_session_stats (ArticPeerServerStats *stats, ArticPeerSession *session)
{
  ArticPeerSessionStats s;

  artic_peer_session_get_stats (session, &s);
  stats->sctp_messages_sent += s.sctp.messages_sent;
  stats->sctp_messages_received += s.sctp.messages_received;
  stats->sctp_packets_out += s.sctp.packets_out;
  stats->sctp_packets_in += s.sctp.packets_in;
  stats->sctp_dropped += s.sctp.dropped;
  stats->data_auth_failed += s.data_receive.auth_failed;
}

static void
end_sessions (ArticPeerServer *self, GPtrArray *ended, GArray *reasons)
{
  guint i;

  for (i = 0; i < ended->len; i++) {
    Entry *e = g_ptr_array_index (ended, i);
    ArticPeerEndReason reason = g_array_index (reasons, ArticPeerEndReason, i);

    g_mutex_lock (&self->lock);
    add_session_stats (&self->ended_stats, e->session);
    g_mutex_unlock (&self->lock);
    artic_peer_session_free (e->session);
    e->session = NULL;
    if (self->signal != NULL)
      artic_signal_server_end_session (self->signal, e->id);
    g_debug (
        "session %s ended (%s)", e->id, artic_peer_end_reason_name (reason));
    if (self->callbacks.session_ended)
      self->callbacks.session_ended (self, e->id, reason, self->user_data);
    entry_free (e);
  }
}

static gpointer
reaper_thread (gpointer data)
{
  ArticPeerServer *self = data;

  g_mutex_lock (&self->lock);
  while (!self->stop) {
    GArray *reasons = g_array_new (FALSE, FALSE, sizeof (ArticPeerEndReason));
    GPtrArray *ended;

    g_cond_wait_until (&self->cond, &self->lock,
        g_get_monotonic_time () + REAP_INTERVAL_MS * 1000);
    if (self->stop) {
      g_array_unref (reasons);
      break;
    }
    ended = collect_ended (self, FALSE, reasons);
    g_mutex_unlock (&self->lock);
    end_sessions (self, ended, reasons);
    g_ptr_array_unref (ended);
    g_array_unref (reasons);
    g_mutex_lock (&self->lock);
  }
  g_mutex_unlock (&self->lock);
  return NULL;
}

ArticPeerServer *
artic_peer_server_new (const ArticPeerServerConfig *config,
    const ArticPeerServerCallbacks *callbacks, gpointer user_data,
    GError **error)
{
  ArticPeerServer *self;

  g_return_val_if_fail (config != NULL, NULL);
  self = g_new0 (ArticPeerServer, 1);
  if (callbacks)
    self->callbacks = *callbacks;
  self->user_data = user_data;
  self->max_sessions = MAX (config->max_sessions, 1);
  self->idle_timeout_ms = config->idle_timeout_ms;
  self->media_address
      = g_strdup (config->media_address ? config->media_address : "0.0.0.0");
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->sessions = g_ptr_array_new ();
  /* Bound now, so that "port in use" is an error at start, not at the
   * first offer. */
  self->primary_udp = bind_udp (self->media_address, config->media_port, error);
  if (self->primary_udp == NULL)
    goto fail;
  self->media_port = socket_port (self->primary_udp);
  self->signal = artic_signal_server_new (
      config->signal_address ? config->signal_address : "0.0.0.0",
      config->signal_port, config->token, config->certificate, on_offer, self,
      error);
  if (self->signal == NULL)
    goto fail;
  self->reaper = g_thread_new ("artic-peer-reaper", reaper_thread, self);
  return self;

fail:
  artic_peer_server_free (self);
  return NULL;
}

guint
artic_peer_server_get_signal_port (ArticPeerServer *self)
{
  return artic_signal_server_get_port (self->signal);
}

guint
artic_peer_server_get_media_port (ArticPeerServer *self)
{
  return self->media_port;
}

guint
artic_peer_server_send_media (
    ArticPeerServer *self, gboolean rtcp, const guint8 *packet, gsize length)
{
  guint i, sent = 0;

  /* Under the lock: the reaper cannot free a session meanwhile. Sending
   * does not block (a full socket drops the packet). */
  g_mutex_lock (&self->lock);
  for (i = 0; i < self->sessions->len; i++) {
    Entry *e = g_ptr_array_index (self->sessions, i);
    gboolean ok
        = rtcp ? artic_peer_session_send_rtcp (e->session, packet, length, NULL)
               : artic_peer_session_send_rtp (e->session, packet, length, NULL);

    sent += ok;
  }
  g_mutex_unlock (&self->lock);
  return sent;
}

guint
artic_peer_server_send_context (ArticPeerServer *self, const gchar *session_id,
    const gchar *message, gsize length)
{
  guint i, sent = 0;

  g_mutex_lock (&self->lock);
  for (i = 0; i < self->sessions->len; i++) {
    Entry *e = g_ptr_array_index (self->sessions, i);
    gint stream = g_atomic_int_get (&e->context_stream);
    GError *error = NULL;

    if (stream < 0 || (session_id && strcmp (session_id, e->id) != 0))
      continue;
    if (artic_sctp_send (artic_peer_session_get_sctp (e->session),
            (guint16) stream, TRUE, (const guint8 *) message, length, &error))
      sent++;
    else
      g_debug (
          "session %s: context message not sent: %s", e->id, error->message);
    g_clear_error (&error);
  }
  g_mutex_unlock (&self->lock);
  return sent;
}

void
artic_peer_server_get_stats (ArticPeerServer *self, ArticPeerServerStats *stats)
{
  guint i;

  g_mutex_lock (&self->lock);
  *stats = self->stats;
  stats->sctp_messages_sent = self->ended_stats.sctp_messages_sent;
  stats->sctp_messages_received = self->ended_stats.sctp_messages_received;
  stats->sctp_packets_out = self->ended_stats.sctp_packets_out;
  stats->sctp_packets_in = self->ended_stats.sctp_packets_in;
  stats->sctp_dropped = self->ended_stats.sctp_dropped;
  stats->data_auth_failed = self->ended_stats.data_auth_failed;
  for (i = 0; i < self->sessions->len; i++)
    add_session_stats (
        stats, ((Entry *) g_ptr_array_index (self->sessions, i))->session);
  g_mutex_unlock (&self->lock);
}

void
artic_peer_server_free (ArticPeerServer *self)
{
  GArray *reasons;
  GPtrArray *ended;

  if (self == NULL)
    return;
  /* No new offers first, then no reaper, then end what is left. */
  artic_signal_server_free (self->signal);
  self->signal = NULL;
  g_mutex_lock (&self->lock);
  self->stop = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  if (self->reaper)
    g_thread_join (self->reaper);
  reasons = g_array_new (FALSE, FALSE, sizeof (ArticPeerEndReason));
  g_mutex_lock (&self->lock);
  ended = collect_ended (self, TRUE, reasons);
  g_mutex_unlock (&self->lock);
  end_sessions (self, ended, reasons);
  g_ptr_array_unref (ended);
  g_array_unref (reasons);
  g_ptr_array_unref (self->sessions);
  g_clear_object (&self->primary_udp);
  g_free (self->media_address);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}
