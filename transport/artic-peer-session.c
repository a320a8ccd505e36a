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

/* A peer session: SRTP media and SCTP data channels on one UDP socket. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "artic-demux.h"
#include "artic-peer-session.h"

/* Media packets fit one datagram; the stack buffer covers the usual MTU,
 * larger ones go to the heap. */
#define STACK_PACKET_LEN 2048

struct _ArticPeerSession
{
  ArticSctp *sctp;
  ArticSrtpSession *out;
  ArticSrtpSession *in;
  /* Separate sessions for the SCTP stream: separate counters, and the
   * reserved SSRC keeps its SRTCP index space apart from the media's. */
  ArticSrtpSession *data_out;
  ArticSrtpSession *data_in;
  ArticPeerSessionCallbacks callbacks;
  gpointer user_data;
  gint dropped_other;
  /* Monotonic time of the peer's last verified packet (session threads
   * write it, anyone reads it). */
  GMutex activity_lock;
  gint64 last_activity_us;
};

static void
mark_activity (ArticPeerSession *s)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&s->activity_lock);
  s->last_activity_us = now;
  g_mutex_unlock (&s->activity_lock);
}

gint64
artic_peer_session_get_idle_ms (ArticPeerSession *s)
{
  gint64 last;

  g_mutex_lock (&s->activity_lock);
  last = s->last_activity_us;
  g_mutex_unlock (&s->activity_lock);
  return (g_get_monotonic_time () - last) / 1000;
}

/* The association's thread may call back before artic_sctp_new_protected
 * has returned (and s->sctp is set): the first callback records it, so the
 * session's callbacks can already send. */
static void
learn_sctp (ArticPeerSession *s, ArticSctp *sctp)
{
  g_atomic_pointer_compare_and_exchange (&s->sctp, NULL, sctp);
}

static void
on_channel_open (ArticSctp *sctp, guint16 stream, const ArticDcepOpen *open,
    gboolean remote, gpointer data)
{
  ArticPeerSession *s = data;

  learn_sctp (s, sctp);
  if (s->callbacks.channel_open)
    s->callbacks.channel_open (s, stream, open, remote, s->user_data);
}

static void
on_message (ArticSctp *sctp, guint16 stream, gboolean is_string,
    const guint8 *message, gsize length, gpointer data)
{
  ArticPeerSession *s = data;

  learn_sctp (s, sctp);
  if (s->callbacks.message)
    s->callbacks.message (s, stream, is_string, message, length, s->user_data);
}

static void
on_channel_closed (
    ArticSctp *sctp, guint16 stream, gboolean remote, gpointer data)
{
  ArticPeerSession *s = data;

  learn_sctp (s, sctp);
  if (s->callbacks.channel_closed)
    s->callbacks.channel_closed (s, stream, remote, s->user_data);
}

static void
on_state (ArticSctp *sctp, ArticSctpState state, gpointer data)
{
  ArticPeerSession *s = data;

  learn_sctp (s, sctp);
  if (s->callbacks.state_changed)
    s->callbacks.state_changed (s, state, s->user_data);
}

/* Everything on the socket that is not SCTP: verify and decrypt media. */
static void
on_other_packet (
    ArticSctp *sctp, const guint8 *data, gsize length, gpointer user_data)
{
  ArticPeerSession *s = user_data;
  ArticDemuxKind kind = artic_demux_classify (data, length);
  guint8 stack[STACK_PACKET_LEN], *packet;
  gsize out_len;
  gboolean ok;

  learn_sctp (s, sctp);
  if (kind != ARTIC_DEMUX_RTP && kind != ARTIC_DEMUX_RTCP) {
    g_atomic_int_inc (&s->dropped_other);
    return;
  }
  /* libsrtp works in place; the socket buffer is not ours to change. */
  packet = length <= sizeof (stack) ? stack : g_malloc (length);
  memcpy (packet, data, length);
  /* Failures are counted by the SRTP session (auth, replay, malformed). */
  ok = kind == ARTIC_DEMUX_RTCP
           ? artic_srtp_unprotect_rtcp (s->in, packet, length, &out_len, NULL)
           : artic_srtp_unprotect (s->in, packet, length, &out_len, NULL);
  if (ok)
    mark_activity (s);
  if (ok && s->callbacks.media)
    s->callbacks.media (
        s, kind == ARTIC_DEMUX_RTCP, packet, out_len, s->user_data);
  if (packet != stack)
    g_free (packet);
}

#define APP_HEADER_LEN 16 /* RTCP header, SSRC, name, SCTP length */

static gsize
protect_sctp (gpointer data, const guint8 *sctp, gsize length, guint8 *out,
    gsize capacity)
{
  ArticPeerSession *s = data;
  gsize padded = (length + 3) & ~(gsize) 3, total = APP_HEADER_LEN + padded;
  gsize out_len;
  guint32 ssrc = ARTIC_PEER_SESSION_DATA_SSRC;

  if (total / 4 - 1 > G_MAXUINT16
      || capacity < total + ARTIC_SRTP_MAX_TRAILER_LEN)
    return 0;
  out[0] = 0x80; /* V=2, no padding, subtype 0 */
  out[1] = 204;  /* APP */
  out[2] = (guint8) ((total / 4 - 1) >> 8);
  out[3] = (guint8) ((total / 4 - 1) & 0xff);
  out[4] = ssrc >> 24;
  out[5] = (ssrc >> 16) & 0xff;
  out[6] = (ssrc >> 8) & 0xff;
  out[7] = ssrc & 0xff;
  memcpy (out + 8, "SCTP", 4);
  out[12] = (guint8) (length >> 24);
  out[13] = (guint8) ((length >> 16) & 0xff);
  out[14] = (guint8) ((length >> 8) & 0xff);
  out[15] = (guint8) (length & 0xff);
  memcpy (out + APP_HEADER_LEN, sctp, length);
  memset (out + APP_HEADER_LEN + length, 0, padded - length);
  if (!artic_srtp_protect_rtcp (
          s->data_out, out, total, capacity, &out_len, NULL))
    return 0;
  return out_len;
}

static gsize
unprotect_sctp (
    gpointer data, const guint8 *in, gsize length, guint8 *out, gsize capacity)
{
  ArticPeerSession *s = data;
  gsize plain_len, sctp_len;

  if (length > capacity)
    return 0;
  memcpy (out, in, length);
  /* Verification, decryption and replay checks are SRTCP's. */
  if (!artic_srtp_unprotect_rtcp (s->data_in, out, length, &plain_len, NULL))
    return 0;
  if (plain_len < APP_HEADER_LEN || out[1] != 204 || (out[0] & 0x1f) != 0
      || memcmp (out + 8, "SCTP", 4) != 0
      || ((guint32) out[4] << 24 | (guint32) out[5] << 16
             | (guint32) out[6] << 8 | out[7])
             != ARTIC_PEER_SESSION_DATA_SSRC)
    return 0;
  sctp_len = (gsize) out[12] << 24 | (gsize) out[13] << 16
             | (gsize) out[14] << 8 | out[15];
  if (sctp_len == 0 || sctp_len > plain_len - APP_HEADER_LEN)
    return 0;
  mark_activity (s);
  memmove (out, out + APP_HEADER_LEN, sctp_len);
  return sctp_len;
}

static const ArticSctpCallbacks sctp_callbacks = { on_channel_open, on_message,
  on_state, on_other_packet, on_channel_closed };

ArticPeerSession *
artic_peer_session_new (ArticSctpRole role, GSocket *udp,
    GSocketAddress *remote, const ArticSrtpKey *send_key,
    const ArticSrtpKey *receive_key, const ArticPeerSessionCallbacks *callbacks,
    gpointer user_data, GError **error)
{
  ArticPeerSession *s;
  ArticSctp *sctp;
  ArticSctpProtection protection;

  g_return_val_if_fail (send_key != NULL && receive_key != NULL, NULL);
  s = g_new0 (ArticPeerSession, 1);
  if (callbacks)
    s->callbacks = *callbacks;
  s->user_data = user_data;
  g_mutex_init (&s->activity_lock);
  s->last_activity_us = g_get_monotonic_time ();
  /* SRTP first: the thread started by artic_sctp_new may deliver media at
   * once. */
  s->out = artic_srtp_session_new (ARTIC_SRTP_OUTBOUND, send_key, 0, error);
  if (s->out == NULL)
    goto fail;
  s->in = artic_srtp_session_new (ARTIC_SRTP_INBOUND, receive_key, 0, error);
  if (s->in == NULL)
    goto fail;
  s->data_out
      = artic_srtp_session_new (ARTIC_SRTP_OUTBOUND, send_key, 0, error);
  if (s->data_out == NULL)
    goto fail;
  s->data_in
      = artic_srtp_session_new (ARTIC_SRTP_INBOUND, receive_key, 0, error);
  if (s->data_in == NULL)
    goto fail;
  protection.protect = protect_sctp;
  protection.unprotect = unprotect_sctp;
  protection.data = s;
  sctp = artic_sctp_new_protected (
      role, udp, remote, &protection, &sctp_callbacks, s, error);
  if (sctp == NULL)
    goto fail;
  learn_sctp (s, sctp);
  return s;

fail:
  artic_peer_session_free (s);
  return NULL;
}

static gboolean
send_media (ArticPeerSession *s, gboolean rtcp, const guint8 *data,
    gsize length, GError **error)
{
  guint8 stack[STACK_PACKET_LEN], *packet;
  gsize capacity = length + ARTIC_SRTP_MAX_TRAILER_LEN, out_len, ssrc_at;
  gboolean ok;

  g_return_val_if_fail (s != NULL && data != NULL, FALSE);
  if (length > ARTIC_SRTP_MAX_PACKET_LEN) {
    g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_MALFORMED,
        "packet longer than a UDP datagram");
    return FALSE;
  }
  /* The data SSRC's SRTCP index space belongs to the SCTP stream: a media
   * packet with it would reuse keystream. */
  ssrc_at = rtcp ? 4 : 8; /* RTCP: sender SSRC; RTP: the SSRC field */
  if (length >= ssrc_at + 4
      && ((guint32) data[ssrc_at] << 24 | (guint32) data[ssrc_at + 1] << 16
             | (guint32) data[ssrc_at + 2] << 8 | data[ssrc_at + 3])
             == ARTIC_PEER_SESSION_DATA_SSRC) {
    g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_MALFORMED,
        "SSRC 0x%08x is reserved for the data channels",
        ARTIC_PEER_SESSION_DATA_SSRC);
    return FALSE;
  }
  packet = capacity <= sizeof (stack) ? stack : g_malloc (capacity);
  memcpy (packet, data, length);
  ok = rtcp ? artic_srtp_protect_rtcp (
           s->out, packet, length, capacity, &out_len, error)
            : artic_srtp_protect (
                s->out, packet, length, capacity, &out_len, error);
  ok = ok && artic_sctp_send_datagram (s->sctp, packet, out_len, error);
  if (packet != stack)
    g_free (packet);
  return ok;
}

gboolean
artic_peer_session_send_rtp (
    ArticPeerSession *s, const guint8 *packet, gsize length, GError **error)
{
  return send_media (s, FALSE, packet, length, error);
}

gboolean
artic_peer_session_send_rtcp (
    ArticPeerSession *s, const guint8 *packet, gsize length, GError **error)
{
  return send_media (s, TRUE, packet, length, error);
}

ArticSctp *
artic_peer_session_get_sctp (ArticPeerSession *s)
{
  return s->sctp;
}

void
artic_peer_session_get_stats (ArticPeerSession *s, ArticPeerSessionStats *stats)
{
  artic_srtp_session_get_stats (s->out, &stats->send);
  artic_srtp_session_get_stats (s->in, &stats->receive);
  artic_srtp_session_get_stats (s->data_out, &stats->data_send);
  artic_srtp_session_get_stats (s->data_in, &stats->data_receive);
  stats->dropped_other = (guint64) g_atomic_int_get (&s->dropped_other);
  memset (&stats->sctp, 0, sizeof (stats->sctp));
  if (g_atomic_pointer_get (&s->sctp) != NULL)
    artic_sctp_get_stats (g_atomic_pointer_get (&s->sctp), &stats->sctp);
}

void
artic_peer_session_free (ArticPeerSession *s)
{
  if (s == NULL)
    return;
  /* The thread goes first: no callback can use the SRTP sessions after. */
  artic_sctp_free (s->sctp);
  artic_srtp_session_free (s->in);
  artic_srtp_session_free (s->out);
  artic_srtp_session_free (s->data_in);
  artic_srtp_session_free (s->data_out);
  g_mutex_clear (&s->activity_lock);
  g_free (s);
}
