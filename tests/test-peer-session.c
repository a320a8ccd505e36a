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

/* Two peer sessions on loopback through a recording UDP forwarder (the
 * "capture"): SRTP media one way and RTCP back, the context channel both
 * ways, no RTP payload byte sequence of the media and no context text in
 * the clear on the wire, tampered and replayed SRTP rejected and counted,
 * tampered or unprotected SCTP packets dropped. */

#define _GNU_SOURCE /* memmem */
#include <poll.h>
#include <string.h>

#include <gio/gio.h>

#include "artic-context.h"
#include "artic-demux.h"
#include "artic-peer-session.h"

#define N_PACKETS 60
#define PAYLOAD_LEN 400

/* ---- the recording forwarder ---- */

typedef struct
{
  GSocket *to_a; /* A sends here; replies to A leave from here */
  GSocket *to_b; /* forwards to B from here */
  GSocketAddress *b_address;
  GSocketAddress *a_address; /* learned */
  GThread *thread;
  gint stop;
  GMutex lock;
  GPtrArray *captured; /* GBytes of every datagram, both directions */
} Forwarder;

static gpointer
forward_thread (gpointer data)
{
  Forwarder *f = data;
  gchar buf[65536];

  while (!g_atomic_int_get (&f->stop)) {
    struct pollfd fds[2] = { { g_socket_get_fd (f->to_a), POLLIN, 0 },
      { g_socket_get_fd (f->to_b), POLLIN, 0 } };
    guint i;

    if (poll (fds, 2, 50) <= 0)
      continue;
    for (i = 0; i < 2; i++) {
      GSocket *in = i == 0 ? f->to_a : f->to_b;
      GSocketAddress *from = NULL;
      gssize n;

      if (!(fds[i].revents & POLLIN))
        continue;
      n = g_socket_receive_from (in, &from, buf, sizeof (buf), NULL, NULL);
      if (n <= 0) {
        g_clear_object (&from);
        continue;
      }
      g_mutex_lock (&f->lock);
      g_ptr_array_add (f->captured, g_bytes_new (buf, n));
      if (i == 0 && f->a_address == NULL)
        f->a_address = g_object_ref (from);
      g_mutex_unlock (&f->lock);
      if (i == 0)
        g_socket_send_to (f->to_b, f->b_address, buf, n, NULL, NULL);
      else if (f->a_address != NULL)
        g_socket_send_to (f->to_a, f->a_address, buf, n, NULL, NULL);
      g_object_unref (from);
    }
  }
  return NULL;
}

static GSocket *
udp_socket (void)
{
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *any = g_inet_socket_address_new (lo, 0);

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  g_object_unref (any);
  g_object_unref (lo);
  return socket;
}

static GSocketAddress *
local_address (GSocket *socket)
{
  return g_socket_get_local_address (socket, NULL);
}

/* ---- one side ---- */

typedef struct
{
  GMutex lock;
  GCond cond;
  guint rtp, rtcp, opens;
  gboolean rtp_mismatch;
  GPtrArray *messages; /* received context messages */
} Side;

static void
side_init (Side *s)
{
  memset (s, 0, sizeof (*s));
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->messages = g_ptr_array_new_with_free_func (
      (GDestroyNotify) artic_context_message_free);
}

static void
side_clear (Side *s)
{
  g_ptr_array_unref (s->messages);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
}

static gsize
make_rtp (guint8 *buf, guint16 seq)
{
  gchar *text = g_strdup_printf ("CLIP-PAYLOAD-%04u-", seq);
  gsize tl = strlen (text), i;

  memset (buf, 0, 12);
  buf[0] = 0x80;
  buf[1] = 96;
  buf[2] = seq >> 8;
  buf[3] = seq & 0xff;
  buf[8] = 0xca;
  buf[9] = 0xfe;
  for (i = 0; i < PAYLOAD_LEN; i++)
    buf[12 + i] = (guint8) text[i % tl];
  g_free (text);
  return 12 + PAYLOAD_LEN;
}

static void
on_media (ArticPeerSession *session, gboolean rtcp, const guint8 *packet,
    gsize length, gpointer user_data)
{
  Side *s = user_data;

  g_mutex_lock (&s->lock);
  if (rtcp) {
    s->rtcp++;
  } else {
    guint8 want[12 + PAYLOAD_LEN];
    guint16 seq = (guint16) ((packet[2] << 8) | packet[3]);
    gsize n = make_rtp (want, seq);

    if (length != n || memcmp (packet, want, n) != 0)
      s->rtp_mismatch = TRUE;
    s->rtp++;
  }
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

static void
on_open (ArticPeerSession *session, guint16 stream, const ArticDcepOpen *open,
    gboolean remote, gpointer user_data)
{
  Side *s = user_data;

  g_mutex_lock (&s->lock);
  s->opens++;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

static void
on_message (ArticPeerSession *session, guint16 stream, gboolean is_string,
    const guint8 *data, gsize length, gpointer user_data)
{
  Side *s = user_data;
  ArticContextMessage *m
      = artic_context_parse ((const gchar *) data, length, NULL);

  g_mutex_lock (&s->lock);
  if (m != NULL)
    g_ptr_array_add (s->messages, m);
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

static const ArticPeerSessionCallbacks callbacks
    = { on_media, on_open, on_message, NULL, NULL };

static gboolean
wait_until (Side *s, guint *counter, guint value)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean ok;

  g_mutex_lock (&s->lock);
  while (*counter < value && g_cond_wait_until (&s->cond, &s->lock, deadline))
    ;
  ok = *counter >= value;
  g_mutex_unlock (&s->lock);
  return ok;
}

static void
send_context (ArticPeerSession *p, guint16 stream, ArticContextMessage *m)
{
  gsize len;
  gchar *json = artic_context_encode (m, &len, NULL);
  GError *error = NULL;

  g_assert_nonnull (json);
  g_assert_true (artic_sctp_send (artic_peer_session_get_sctp (p), stream, TRUE,
      (const guint8 *) json, len, &error));
  g_assert_no_error (error);
  g_free (json);
  artic_context_message_free (m);
}

static void
test_session (void)
{
  Forwarder f = { 0 };
  GSocket *ua = udp_socket (), *ub = udp_socket ();
  GSocketAddress *fwd;
  ArticSrtpKey ka, kb;
  ArticPeerSession *a, *b;
  ArticPeerSessionStats stats;
  ArticDcepOpen open
      = { ARTIC_DCEP_CHANNEL_RELIABLE, ARTIC_DCEP_PRIORITY_NORMAL, 0,
          (gchar *) ARTIC_CONTEXT_LABEL, (gchar *) ARTIC_CONTEXT_PROTOCOL };
  ArticRoiBox box = { 120, 340, 480, 610 };
  ArticContextMessage *m;
  Side sa, sb;
  guint8 buf[12 + PAYLOAD_LEN], rr[32];
  GError *error = NULL;
  GBytes *sample = NULL, *data_sample = NULL;
  ArticSctpStats sctp_stats;
  guint i, rtp_seen = 0, sctp_seen = 0;
  gint stream;

  /* The forwarder between A and B records every datagram. */
  f.to_a = udp_socket ();
  f.to_b = udp_socket ();
  f.b_address = local_address (ub);
  f.captured = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_mutex_init (&f.lock);
  f.thread = g_thread_new ("forwarder", forward_thread, &f);
  fwd = local_address (f.to_a);

  side_init (&sa);
  side_init (&sb);
  g_assert_true (
      artic_srtp_key_generate (&ka, ARTIC_SRTP_PROFILE_DEFAULT, NULL));
  g_assert_true (
      artic_srtp_key_generate (&kb, ARTIC_SRTP_PROFILE_DEFAULT, NULL));
  a = artic_peer_session_new (
      ARTIC_SCTP_ROLE_CLIENT, ua, fwd, &ka, &kb, &callbacks, &sa, &error);
  g_assert_no_error (error);
  b = artic_peer_session_new (
      ARTIC_SCTP_ROLE_SERVER, ub, NULL, &kb, &ka, &callbacks, &sb, &error);
  g_assert_no_error (error);
  g_assert_true (
      artic_sctp_wait_open (artic_peer_session_get_sctp (a), 10000, &error));
  g_assert_no_error (error);
  g_assert_true (
      artic_sctp_wait_open (artic_peer_session_get_sctp (b), 10000, &error));

  /* The context channel: the question one way, the model's boxes back. */
  stream = artic_sctp_open_channel (
      artic_peer_session_get_sctp (a), &open, &error);
  g_assert_no_error (error);
  g_assert_true (wait_until (&sb, &sb.opens, 1));
  send_context (a, (guint16) stream,
      artic_context_question_new (1, "What does the label say?", 1000));
  g_assert_true (wait_until (&sb, &sb.messages->len, 1));
  m = artic_context_message_new (ARTIC_CONTEXT_BOXES);
  m->question_id = 1;
  artic_context_boxes_add_frame (m, 2000, &box, 1);
  send_context (b, (guint16) stream, m);
  g_assert_true (wait_until (&sa, &sa.messages->len, 1));
  g_assert_cmpint (((ArticContextMessage *) sb.messages->pdata[0])->type, ==,
      ARTIC_CONTEXT_QUESTION);
  g_assert_cmpint (((ArticContextMessage *) sa.messages->pdata[0])->type, ==,
      ARTIC_CONTEXT_BOXES);

  /* Media A -> B, RTCP B -> A. */
  for (i = 0; i < N_PACKETS; i++) {
    gsize n = make_rtp (buf, (guint16) i);

    g_assert_true (artic_peer_session_send_rtp (a, buf, n, &error));
    g_assert_no_error (error);
  }
  g_assert_true (wait_until (&sb, &sb.rtp, N_PACKETS));
  g_assert_false (sb.rtp_mismatch);
  memset (rr, 0, sizeof (rr));
  rr[0] = 0x81;
  rr[1] = 201;
  rr[3] = 7;
  g_assert_true (artic_peer_session_send_rtcp (b, rr, sizeof (rr), &error));
  g_assert_true (wait_until (&sa, &sa.rtcp, 1));

  /* The capture: media datagrams are SRTP, and no 12-byte run of any
   * payload appears in the clear in any datagram. */
  g_mutex_lock (&f.lock);
  for (i = 0; i < f.captured->len; i++) {
    gsize n;
    const guint8 *d = g_bytes_get_data (f.captured->pdata[i], &n);
    ArticDemuxKind kind = artic_demux_classify (d, n);

    g_assert_null (memmem (d, n, "CLIP-PAYLOAD", 12));
    /* The context channel is encrypted too: the question is not
     * readable, nor the DCEP label. */
    g_assert_null (memmem (d, n, "label say", 9));
    g_assert_null (memmem (d, n, ARTIC_CONTEXT_PROTOCOL, 15));
    g_assert_cmpint (kind, !=, ARTIC_DEMUX_SCTP);
    if (kind == ARTIC_DEMUX_RTP) {
      rtp_seen++;
      if (sample == NULL)
        sample = g_bytes_ref (f.captured->pdata[i]);
    } else if (kind == ARTIC_DEMUX_SCTP_ENCRYPTED) {
      sctp_seen++;
      if (data_sample == NULL)
        data_sample = g_bytes_ref (f.captured->pdata[i]);
    }
  }
  g_mutex_unlock (&f.lock);
  g_assert_cmpuint (rtp_seen, ==, N_PACKETS);
  g_assert_cmpuint (sctp_seen, >, 4);

  /* Replay a captured SRTP packet to B, then a tampered copy: both are
   * rejected and counted, and nothing reaches the media callback. */
  {
    gsize n;
    const guint8 *d = g_bytes_get_data (sample, &n);
    guint8 *tampered = g_memdup2 (d, n);
    GSocketAddress *to_b = local_address (ub);

    g_socket_send_to (f.to_b, to_b, (const gchar *) d, n, NULL, NULL);
    tampered[n / 2] ^= 0x01;
    tampered[3] ^= 0x40; /* a fresh index, so replay is not what fails */
    g_socket_send_to (f.to_b, to_b, (const gchar *) tampered, n, NULL, NULL);
    /* On the data side: a tampered encrypted SCTP packet, and a plain
     * (0x0A) one that would inject into the association. */
    g_free (tampered);
    d = g_bytes_get_data (data_sample, &n);
    tampered = g_memdup2 (d, n);
    tampered[n - 3] ^= 0x20;
    g_socket_send_to (f.to_b, to_b, (const gchar *) tampered, n, NULL, NULL);
    tampered[0] = ARTIC_DEMUX_SCTP_MARKER;
    g_socket_send_to (f.to_b, to_b, (const gchar *) tampered, n, NULL, NULL);
    g_usleep (300000);
    g_free (tampered);
    g_object_unref (to_b);
  }
  artic_sctp_get_stats (artic_peer_session_get_sctp (b), &sctp_stats);
  g_assert_cmpuint (sctp_stats.dropped, ==, 2);
  g_assert_cmpuint (sctp_stats.messages_received, ==, 1);
  g_assert_cmpint (artic_sctp_get_state (artic_peer_session_get_sctp (b)), ==,
      ARTIC_SCTP_STATE_OPEN);
  artic_peer_session_get_stats (b, &stats);
  g_assert_cmpuint (stats.receive.rtp_ok, ==, N_PACKETS);
  g_assert_cmpuint (stats.receive.replayed, ==, 1);
  g_assert_cmpuint (stats.receive.auth_failed, ==, 1);
  g_assert_cmpuint (stats.send.rtcp_ok, ==, 1);
  g_assert_cmpuint (stats.data_receive.auth_failed, ==, 1);
  g_assert_cmpuint (stats.data_receive.rtcp_ok, >, 4);
  g_assert_cmpuint (stats.data_send.rtcp_ok, >, 4);
  /* The session's copy of the association's counters. */
  g_assert_cmpuint (stats.sctp.messages_received, ==, 1);
  g_assert_cmpuint (stats.sctp.dropped, ==, 2);
  g_assert_cmpuint (stats.sctp.packets_in, >, 0);
  /* Media may not take the data stream's SSRC. */
  {
    gsize n = make_rtp (buf, 999);

    buf[8] = ARTIC_PEER_SESSION_DATA_SSRC >> 24;
    buf[9] = (ARTIC_PEER_SESSION_DATA_SSRC >> 16) & 0xff;
    buf[10] = (ARTIC_PEER_SESSION_DATA_SSRC >> 8) & 0xff;
    buf[11] = ARTIC_PEER_SESSION_DATA_SSRC & 0xff;
    g_assert_false (artic_peer_session_send_rtp (a, buf, n, &error));
    g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_MALFORMED);
    g_clear_error (&error);
  }
  g_assert_cmpuint (sb.rtp, ==, N_PACKETS);
  g_print ("# capture: %u datagrams (%u SRTP, %u encrypted SCTP), no media "
           "payload or context text in the clear; replayed 1 and tampered 1 "
           "SRTP rejected; tampered and plain SCTP dropped\n",
      f.captured->len, rtp_seen, sctp_seen);

  artic_peer_session_free (a);
  artic_peer_session_free (b);
  g_atomic_int_set (&f.stop, 1);
  g_thread_join (f.thread);
  g_bytes_unref (sample);
  g_bytes_unref (data_sample);
  g_ptr_array_unref (f.captured);
  g_mutex_clear (&f.lock);
  g_clear_object (&f.a_address);
  g_object_unref (f.b_address);
  g_object_unref (f.to_a);
  g_object_unref (f.to_b);
  g_object_unref (fwd);
  g_object_unref (ua);
  g_object_unref (ub);
  artic_srtp_key_clear (&ka);
  artic_srtp_key_clear (&kb);
  side_clear (&sa);
  side_clear (&sb);
}

int
main (int argc, char **argv)
{
  gint status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/peer-session/media-and-context", test_session);
  status = g_test_run ();
  if (!artic_sctp_finish (10000))
    return 1;
  return status;
}
