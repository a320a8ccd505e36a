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

/* Media and data both ways between two processes on loopback, through
 * artic-netem at 20% loss in each direction: the session is set up over
 * the signaling server with a bearer token (fresh keys on both sides),
 * every reliable ordered data-channel message comes back exactly once and
 * in order, and the RTP echoes that survive the loss verify byte for byte
 * and are never duplicated. */

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "artic-peer-session.h"
#include "artic-signal-server.h"

#define N_MESSAGES 100
#define N_PACKETS 200
#define PAYLOAD_LEN 300
#define SSRC 0xa1a1a1a1u

typedef struct
{
  GMutex lock;
  GCond cond;
  GPtrArray *messages;
  guint8 seen[N_PACKETS];
  guint media, duplicates, mismatches;
} Local;

static gsize
make_rtp (guint8 *buf, guint16 seq)
{
  guint i;

  memset (buf, 0, 12);
  buf[0] = 0x80;
  buf[1] = 96;
  buf[2] = seq >> 8;
  buf[3] = seq & 0xff;
  buf[8] = SSRC >> 24;
  buf[9] = (SSRC >> 16) & 0xff;
  buf[10] = (SSRC >> 8) & 0xff;
  buf[11] = SSRC & 0xff;
  for (i = 0; i < PAYLOAD_LEN; i++)
    buf[12 + i] = (guint8) (seq * 31 + i);
  return 12 + PAYLOAD_LEN;
}

static void
on_media (ArticPeerSession *session, gboolean rtcp, const guint8 *packet,
    gsize length, gpointer user_data)
{
  Local *l = user_data;
  guint8 want[12 + PAYLOAD_LEN];
  guint16 seq;

  if (rtcp || length < 12)
    return;
  seq = (guint16) ((packet[2] << 8) | packet[3]);
  make_rtp (want, seq);
  want[8] ^= 0xff; /* the echo's SSRC */
  g_mutex_lock (&l->lock);
  if (seq >= N_PACKETS || length != sizeof (want)
      || memcmp (packet, want, length) != 0)
    l->mismatches++;
  else if (l->seen[seq]++)
    l->duplicates++;
  else
    l->media++;
  g_cond_broadcast (&l->cond);
  g_mutex_unlock (&l->lock);
}

static void
on_message (ArticPeerSession *session, guint16 stream, gboolean is_string,
    const guint8 *data, gsize length, gpointer user_data)
{
  Local *l = user_data;

  g_mutex_lock (&l->lock);
  g_ptr_array_add (l->messages, g_strndup ((const gchar *) data, length));
  g_cond_broadcast (&l->cond);
  g_mutex_unlock (&l->lock);
}

static const ArticPeerSessionCallbacks callbacks
    = { on_media, NULL, on_message, NULL, NULL };

static GSubprocess *
start_relay (guint to_port, const gchar *stats, guint *listen_port)
{
  gchar *to = g_strdup_printf ("127.0.0.1:%u", to_port);
  const gchar *argv[] = { g_getenv ("ARTIC_NETEM"), "--listen", "127.0.0.1:0",
    "--to", to, "--loss", "20", "--reverse-loss", "20", "--seed", "12",
    "--duration", "120", "--stats", stats, NULL };
  GSubprocess *relay;
  GDataInputStream *lines;
  gchar *line;
  GError *error = NULL;

  g_assert_nonnull (argv[0]);
  relay = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (relay));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_nonnull (line);
  g_assert_nonnull (strstr (line, "127.0.0.1:"));
  *listen_port
      = (guint) g_ascii_strtoull (strstr (line, "127.0.0.1:") + 10, NULL, 10);
  g_free (line);
  g_object_unref (lines);
  g_free (to);
  return relay;
}

static guint64
relay_losses (const gchar *summary, const gchar *direction)
{
  const gchar *line = strstr (summary, direction), *loss;

  g_assert_nonnull (line);
  loss = strstr (line, "dropped by loss ");
  g_assert_nonnull (loss);
  return g_ascii_strtoull (loss + 16, NULL, 10);
}

static void
test_two_processes (void)
{
  const gchar *echo_path = g_getenv ("ARTIC_PEER_ECHO");
  const gchar *argv[] = { echo_path, NULL };
  GSubprocess *echo, *relay;
  GDataInputStream *echo_out;
  GOutputStream *echo_in;
  gchar *token = artic_signal_token_generate (NULL), *line, *url, *tmp,
        *stats_path, *summary = NULL;
  guint http_port, udp_port, relay_port, i;
  GSocket *udp;
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *any = g_inet_socket_address_new (lo, 0), *relay_address,
                 *local;
  ArticSignalMessage *offer, *answer;
  ArticPeerSession *session;
  ArticPeerSessionStats stats;
  ArticDcepOpen open
      = { ARTIC_DCEP_CHANNEL_RELIABLE, ARTIC_DCEP_PRIORITY_NORMAL, 0,
          (gchar *) "context", (gchar *) "artic-context/1" };
  Local l;
  GError *error = NULL;
  gint stream, status;
  gint64 start, open_us, data_us;
  gboolean done;

  memset (&l, 0, sizeof (l));
  g_mutex_init (&l.lock);
  g_cond_init (&l.cond);
  l.messages = g_ptr_array_new_with_free_func (g_free);

  /* The receiver process; the token goes through its stdin. */
  g_assert_nonnull (echo_path);
  echo = g_subprocess_newv (argv,
      G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  echo_in = g_subprocess_get_stdin_pipe (echo);
  tmp = g_strdup_printf ("%s\n", token);
  g_assert_true (g_output_stream_write_all (
      echo_in, tmp, strlen (tmp), NULL, NULL, &error));
  artic_srtp_secret_free (tmp);
  echo_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (echo));
  line = g_data_input_stream_read_line (echo_out, NULL, NULL, &error);
  g_assert_nonnull (line);
  g_assert_cmpint (sscanf (line, "ready %u %u", &http_port, &udp_port), ==, 2);
  g_free (line);

  tmp = g_dir_make_tmp ("artic-peer-XXXXXX", &error);
  g_assert_no_error (error);
  stats_path = g_build_filename (tmp, "netem.txt", NULL);
  relay = start_relay (udp_port, stats_path, &relay_port);
  relay_address = g_inet_socket_address_new (lo, relay_port);

  udp = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_true (g_socket_bind (udp, any, FALSE, &error));
  local = g_socket_get_local_address (udp, NULL);

  /* Offer / answer over HTTP with the token. */
  offer = artic_signal_message_new (ARTIC_SIGNAL_OFFER);
  g_assert_true (
      artic_srtp_key_generate (&offer->key, ARTIC_SRTP_PROFILE_DEFAULT, NULL));
  offer->session = g_strdup ("two-process-1");
  offer->ssrcs[0] = SSRC;
  offer->n_ssrcs = 1;
  offer->address = g_strdup ("127.0.0.1");
  offer->port = (guint16) g_inet_socket_address_get_port (
      G_INET_SOCKET_ADDRESS (local));
  url = g_strdup_printf ("http://127.0.0.1:%u%s", http_port, ARTIC_SIGNAL_PATH);
  answer = artic_signal_client_offer (url, token, offer, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (answer->port, ==, udp_port);

  start = g_get_monotonic_time ();
  session = artic_peer_session_new (ARTIC_SCTP_ROLE_CLIENT, udp, relay_address,
      &offer->key, &answer->key, &callbacks, &l, &error);
  g_assert_no_error (error);
  g_assert_true (artic_sctp_wait_open (
      artic_peer_session_get_sctp (session), 30000, &error));
  g_assert_no_error (error);
  stream = artic_sctp_open_channel (
      artic_peer_session_get_sctp (session), &open, &error);
  g_assert_no_error (error);
  open_us = g_get_monotonic_time () - start;

  /* Data: every message comes back, once, in order. Media alongside. */
  start = g_get_monotonic_time ();
  for (i = 0; i < N_PACKETS; i++) {
    guint8 buf[12 + PAYLOAD_LEN];
    gsize n = make_rtp (buf, (guint16) i);

    g_assert_true (artic_peer_session_send_rtp (session, buf, n, &error));
    g_assert_no_error (error);
    if (i < N_MESSAGES) {
      gchar text[32];

      g_snprintf (text, sizeof (text), "question %03u", i);
      while (!artic_sctp_send (artic_peer_session_get_sctp (session),
          (guint16) stream, TRUE, (const guint8 *) text, strlen (text),
          &error)) {
        g_assert_error (error, ARTIC_SCTP_ERROR, ARTIC_SCTP_ERROR_WOULD_BLOCK);
        g_clear_error (&error);
        g_usleep (1000);
      }
    }
    g_usleep (2000);
  }
  g_mutex_lock (&l.lock);
  {
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    while (l.messages->len < N_MESSAGES
           && g_cond_wait_until (&l.cond, &l.lock, deadline))
      ;
  }
  done = l.messages->len == N_MESSAGES;
  if (!done)
    g_printerr ("only %u of %u messages came back; association state %d\n",
        l.messages->len, N_MESSAGES,
        (gint) artic_sctp_get_state (artic_peer_session_get_sctp (session)));
  g_mutex_unlock (&l.lock);
  g_assert_true (done);
  data_us = g_get_monotonic_time () - start;
  g_usleep (500000); /* late echoes, and any duplicate */
  g_mutex_lock (&l.lock);
  for (i = 0; i < N_MESSAGES; i++) {
    gchar want[32];

    g_snprintf (want, sizeof (want), "question %03u", i);
    g_assert_cmpstr (l.messages->pdata[i], ==, want);
  }
  g_assert_cmpuint (l.messages->len, ==, N_MESSAGES);
  g_assert_cmpuint (l.mismatches, ==, 0);
  g_assert_cmpuint (l.duplicates, ==, 0);
  /* 20% each way: about 64% of the round trips survive. */
  g_assert_cmpuint (l.media, >, N_PACKETS / 3);
  g_assert_cmpuint (l.media, <, N_PACKETS);
  g_mutex_unlock (&l.lock);
  artic_peer_session_get_stats (session, &stats);
  g_assert_cmpuint (stats.receive.auth_failed, ==, 0);
  g_assert_cmpuint (stats.receive.rtp_ok, ==, l.media);

  artic_peer_session_free (session);
  /* The receiver exits cleanly when its stdin closes. */
  g_assert_true (g_output_stream_close (echo_in, NULL, &error));
  g_assert_true (g_subprocess_wait (echo, NULL, &error));
  g_assert_true (g_subprocess_get_if_exited (echo));
  status = g_subprocess_get_exit_status (echo);
  g_assert_cmpint (status, ==, 0);

  g_subprocess_send_signal (relay, SIGTERM);
  g_assert_true (g_subprocess_wait (relay, NULL, &error));
  g_assert_true (g_file_get_contents (stats_path, &summary, NULL, &error));
  g_assert_cmpuint (relay_losses (summary, "forward:"), >, 0);
  g_assert_cmpuint (relay_losses (summary, "reverse:"), >, 0);
  g_print ("# two processes, netem 20%%/20%% loss: signaling + association + "
           "channel %.0f ms; %u/%u messages echoed in order in %.0f ms; "
           "%u/%u RTP echoes verified (no duplicate); relay dropped "
           "forward %" G_GUINT64_FORMAT " reverse %" G_GUINT64_FORMAT "\n",
      open_us / 1000.0, N_MESSAGES, N_MESSAGES, data_us / 1000.0, l.media,
      N_PACKETS, relay_losses (summary, "forward:"),
      relay_losses (summary, "reverse:"));

  g_unlink (stats_path);
  g_rmdir (tmp);
  g_free (tmp);
  g_free (stats_path);
  g_free (summary);
  g_free (url);
  artic_signal_message_free (offer);
  artic_signal_message_free (answer);
  artic_srtp_secret_free (token);
  g_object_unref (echo_out);
  g_object_unref (echo);
  g_object_unref (relay);
  g_object_unref (relay_address);
  g_object_unref (local);
  g_object_unref (udp);
  g_object_unref (any);
  g_object_unref (lo);
  g_ptr_array_unref (l.messages);
  g_mutex_clear (&l.lock);
  g_cond_clear (&l.cond);
}

int
main (int argc, char **argv)
{
  gint status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/peer/two-processes-20-percent-loss", test_two_processes);
  status = g_test_run ();
  return artic_sctp_finish (10000) ? status : 1;
}
