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

/* Data channels over usrsctp between two associations on loopback UDP:
 * DCEP open/ack, string/binary/empty messages both ways, clean shutdown
 * with no thread left, and reliable ordered delivery through artic-netem
 * at 20% loss in each direction (every message exactly once, in order). */

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "artic-sctp.h"

typedef struct
{
  GMutex lock;
  GCond cond;
  /* channel opens seen: stream, remote flag, label */
  guint opens;
  gint last_open_stream;
  gboolean last_open_remote;
  gchar *last_label;
  /* messages, in arrival order, as "s:<text>" or "b:<hex>" */
  GPtrArray *messages;
  ArticSctpState state;
  /* channel closes seen (stream reset) */
  guint closes;
  gint last_closed_stream;
  gboolean last_closed_remote;
} Peer;

static void
peer_init (Peer *p)
{
  memset (p, 0, sizeof (*p));
  g_mutex_init (&p->lock);
  g_cond_init (&p->cond);
  p->messages = g_ptr_array_new_with_free_func (g_free);
  p->last_open_stream = -1;
}

static void
peer_clear (Peer *p)
{
  g_ptr_array_unref (p->messages);
  g_free (p->last_label);
  g_mutex_clear (&p->lock);
  g_cond_clear (&p->cond);
}

static void
on_channel_open (ArticSctp *sctp, guint16 stream, const ArticDcepOpen *open,
    gboolean remote, gpointer user_data)
{
  Peer *p = user_data;

  g_mutex_lock (&p->lock);
  p->opens++;
  p->last_open_stream = stream;
  p->last_open_remote = remote;
  g_free (p->last_label);
  p->last_label = g_strdup (open->label);
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static void
on_message (ArticSctp *sctp, guint16 stream, gboolean is_string,
    const guint8 *data, gsize length, gpointer user_data)
{
  Peer *p = user_data;
  gchar *text;

  if (is_string) {
    text = g_strdup_printf ("s:%.*s", (gint) length, (const gchar *) data);
  } else {
    GString *hex = g_string_new ("b:");
    gsize i;

    for (i = 0; i < length; i++)
      g_string_append_printf (hex, "%02x", data[i]);
    text = g_string_free (hex, FALSE);
  }
  g_mutex_lock (&p->lock);
  g_ptr_array_add (p->messages, text);
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static void
on_state (ArticSctp *sctp, ArticSctpState state, gpointer user_data)
{
  Peer *p = user_data;

  g_mutex_lock (&p->lock);
  p->state = state;
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static void
on_channel_closed (
    ArticSctp *sctp, guint16 stream, gboolean remote, gpointer user_data)
{
  Peer *p = user_data;

  g_mutex_lock (&p->lock);
  p->closes++;
  p->last_closed_stream = stream;
  p->last_closed_remote = remote;
  g_cond_broadcast (&p->cond);
  g_mutex_unlock (&p->lock);
}

static gboolean
wait_closes (Peer *p, guint closes, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean ok;

  g_mutex_lock (&p->lock);
  while (p->closes < closes && g_cond_wait_until (&p->cond, &p->lock, deadline))
    ;
  ok = p->closes >= closes;
  g_mutex_unlock (&p->lock);
  return ok;
}

static const ArticSctpCallbacks callbacks
    = { on_channel_open, on_message, on_state, NULL, on_channel_closed };

/* Waits until @p has at least @count messages (or @opens opens). */
static gboolean
wait_for (Peer *p, guint messages, guint opens, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean ok;

  g_mutex_lock (&p->lock);
  while ((p->messages->len < messages || p->opens < opens)
         && g_cond_wait_until (&p->cond, &p->lock, deadline))
    ;
  ok = p->messages->len >= messages && p->opens >= opens;
  g_mutex_unlock (&p->lock);
  return ok;
}

static gboolean
wait_closed (Peer *p, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean ok;

  g_mutex_lock (&p->lock);
  while (p->state != ARTIC_SCTP_STATE_CLOSED
         && g_cond_wait_until (&p->cond, &p->lock, deadline))
    ;
  ok = p->state == ARTIC_SCTP_STATE_CLOSED;
  g_mutex_unlock (&p->lock);
  return ok;
}

static GSocket *
udp_socket (void)
{
  GError *error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, &error);
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *any = g_inet_socket_address_new (loopback, 0);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  g_object_unref (any);
  g_object_unref (loopback);
  return socket;
}

static GSocketAddress *
loopback_address (guint port)
{
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *address = g_inet_socket_address_new (loopback, port);

  g_object_unref (loopback);
  return address;
}

static guint
local_port (GSocket *socket)
{
  GSocketAddress *address = g_socket_get_local_address (socket, NULL);
  guint port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));

  g_object_unref (address);
  return port;
}

static guint
thread_count (void)
{
  DIR *dir = opendir ("/proc/self/task");
  struct dirent *entry;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((entry = readdir (dir)) != NULL)
    if (entry->d_name[0] != '.')
      n++;
  closedir (dir);
  return n;
}

static void
send_retrying (ArticSctp *sctp, guint16 stream, gboolean is_string,
    const guint8 *data, gsize length)
{
  GError *error = NULL;
  guint tries = 0;

  while (!artic_sctp_send (sctp, stream, is_string, data, length, &error)) {
    g_assert_error (error, ARTIC_SCTP_ERROR, ARTIC_SCTP_ERROR_WOULD_BLOCK);
    g_clear_error (&error);
    g_assert_cmpuint (++tries, <, 20000);
    g_usleep (1000);
  }
}

static void
test_loopback (void)
{
  GSocket *ua = udp_socket (), *ub = udp_socket ();
  GSocketAddress *to_b = loopback_address (local_port (ub));
  GSocketAddress *to_a = loopback_address (local_port (ua));
  ArticDcepOpen open
      = { ARTIC_DCEP_CHANNEL_RELIABLE, ARTIC_DCEP_PRIORITY_NORMAL, 0,
          (gchar *) "context", (gchar *) "artic-context/1" };
  const guint8 bin[] = { 0x00, 0xff, 0x10 };
  ArticSctpStats stats;
  ArticSctp *a, *b;
  Peer pa, pb;
  GError *error = NULL;
  gint sa, sb;
  guint threads_before;

  peer_init (&pa);
  peer_init (&pb);
  a = artic_sctp_new (
      ARTIC_SCTP_ROLE_CLIENT, ua, to_b, &callbacks, &pa, &error);
  g_assert_no_error (error);
  /* The usrsctp threads exist from now on; count ours from here. */
  threads_before = thread_count () - 1;
  b = artic_sctp_new (
      ARTIC_SCTP_ROLE_SERVER, ub, to_a, &callbacks, &pb, &error);
  g_assert_no_error (error);
  g_assert_true (artic_sctp_wait_open (a, 10000, &error));
  g_assert_no_error (error);
  g_assert_true (artic_sctp_wait_open (b, 10000, &error));
  /* usrsctp's process counters saw both ends come up. */
  {
    ArticSctpProcessStats ps;
    gchar *line = artic_sctp_describe_process ();

    artic_sctp_get_process_stats (&ps);
    g_assert_cmpuint (ps.established_active + ps.established_passive
                          + ps.established_collision,
        >=, 2);
    g_assert_nonnull (strstr (line, "SCTP set-ups"));
    g_free (line);
  }

  /* Not yet a channel: sending is refused. */
  g_assert_false (
      artic_sctp_send (a, 0, TRUE, (const guint8 *) "x", 1, &error));
  g_assert_error (error, ARTIC_SCTP_ERROR, ARTIC_SCTP_ERROR_NO_CHANNEL);
  g_clear_error (&error);

  /* Client opens an even stream, server an odd one. */
  sa = artic_sctp_open_channel (a, &open, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sa, ==, 0);
  g_assert_true (wait_for (&pb, 0, 1, 5000));
  g_assert_true (pb.last_open_remote);
  g_assert_cmpint (pb.last_open_stream, ==, 0);
  g_assert_cmpstr (pb.last_label, ==, "context");
  g_assert_true (wait_for (&pa, 0, 1, 5000)); /* the ACK */
  g_assert_false (pa.last_open_remote);
  open.label = (gchar *) "reverse";
  open.channel_type = ARTIC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED;
  open.reliability = 2;
  sb = artic_sctp_open_channel (b, &open, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sb, ==, 1);
  g_assert_true (wait_for (&pa, 0, 2, 5000));
  g_assert_cmpstr (pa.last_label, ==, "reverse");

  /* Messages of every kind, both ways. */
  send_retrying (a, sa, TRUE, (const guint8 *) "hello", 5);
  send_retrying (a, sa, FALSE, bin, sizeof (bin));
  send_retrying (a, sa, TRUE, NULL, 0);
  send_retrying (a, sa, FALSE, NULL, 0);
  send_retrying (b, sa, TRUE, (const guint8 *) "from b on a's channel", 21);
  send_retrying (b, sb, TRUE, (const guint8 *) "on b's channel", 14);
  g_assert_true (wait_for (&pb, 4, 1, 5000));
  g_assert_true (wait_for (&pa, 2, 2, 5000));
  g_assert_cmpstr (pb.messages->pdata[0], ==, "s:hello");
  g_assert_cmpstr (pb.messages->pdata[1], ==, "b:00ff10");
  g_assert_cmpstr (pb.messages->pdata[2], ==, "s:");
  g_assert_cmpstr (pb.messages->pdata[3], ==, "b:");
  g_assert_cmpstr (pa.messages->pdata[0], ==, "s:from b on a's channel");
  g_assert_cmpstr (pa.messages->pdata[1], ==, "s:on b's channel");

  /* A message larger than usrsctp's receive buffer: reassembled from
   * several usrsctp_recvv calls. */
  {
    gsize big_len = 200 * 1024, i;
    guint8 *big = g_malloc (big_len);
    gchar *want;
    GString *hex = g_string_new ("b:");

    for (i = 0; i < big_len; i++)
      big[i] = (guint8) (i * 7 + (i >> 10));
    for (i = 0; i < big_len; i++)
      g_string_append_printf (hex, "%02x", big[i]);
    send_retrying (a, sa, FALSE, big, big_len);
    g_assert_true (wait_for (&pb, 5, 1, 10000));
    want = g_string_free (hex, FALSE);
    g_assert_cmpstr (pb.messages->pdata[4], ==, want);
    g_free (want);
    g_free (big);
  }

  /* Too large; unknown stream. */
  g_assert_false (artic_sctp_send (
      a, sa, FALSE, bin, ARTIC_SCTP_MAX_MESSAGE_LEN + 1, &error));
  g_assert_error (error, ARTIC_SCTP_ERROR, ARTIC_SCTP_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (artic_sctp_send (a, 7, FALSE, bin, 1, &error));
  g_assert_error (error, ARTIC_SCTP_ERROR, ARTIC_SCTP_ERROR_NO_CHANNEL);
  g_clear_error (&error);

  artic_sctp_get_stats (b, &stats);
  g_assert_cmpuint (stats.messages_received, ==, 5);
  g_assert_cmpuint (stats.channels_opened, ==, 2);
  g_assert_cmpuint (stats.dropped, ==, 0);
  g_assert_cmpuint (stats.packets_in, >, 0);
  g_assert_cmpuint (stats.packets_out, >, 0);

  /* A closes gracefully: B sees the association end. */
  artic_sctp_free (a);
  g_assert_true (wait_closed (&pb, 5000));
  g_assert_cmpint (artic_sctp_get_state (b), ==, ARTIC_SCTP_STATE_CLOSED);
  g_assert_false (
      artic_sctp_send (b, sb, TRUE, (const guint8 *) "x", 1, &error));
  g_assert_error (error, ARTIC_SCTP_ERROR, ARTIC_SCTP_ERROR_NOT_OPEN);
  g_clear_error (&error);
  artic_sctp_free (b);
  /* Both association threads are gone. */
  g_assert_cmpuint (thread_count (), ==, threads_before);

  peer_clear (&pa);
  peer_clear (&pb);
  g_object_unref (to_a);
  g_object_unref (to_b);
  g_object_unref (ua);
  g_object_unref (ub);
}

/* Starts artic-netem between the peers and reads its listening port. */
static GSubprocess *
start_relay (guint to_port, const gchar *loss, const gchar *stats_path,
    guint *listen_port)
{
  const gchar *program = g_getenv ("ARTIC_NETEM");
  gchar *to = g_strdup_printf ("127.0.0.1:%u", to_port);
  const gchar *argv[] = { program, "--listen", "127.0.0.1:0", "--to", to,
    "--loss", loss, "--reverse-loss", loss, "--seed", "12", "--duration", "120",
    "--stats", stats_path, NULL };
  GError *error = NULL;
  GSubprocess *relay;
  GDataInputStream *lines;
  gchar *line;
  const gchar *port_text;

  g_assert_nonnull (program);
  relay = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (relay));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  port_text = strstr (line, "127.0.0.1:");
  g_assert_nonnull (port_text);
  *listen_port = (guint) g_ascii_strtoull (port_text + 10, NULL, 10);
  g_assert_cmpuint (*listen_port, >, 0);
  g_free (line);
  g_object_unref (lines);
  g_free (to);
  return relay;
}

/* "dropped by loss N pkts" of the relay summary line for @direction. */
static guint64
relay_losses (const gchar *summary, const gchar *direction)
{
  const gchar *line = strstr (summary, direction), *loss;

  g_assert_nonnull (line);
  loss = strstr (line, "dropped by loss ");
  g_assert_nonnull (loss);
  return g_ascii_strtoull (loss + strlen ("dropped by loss "), NULL, 10);
}

#define N_MESSAGES 300

static void
test_netem_loss (void)
{
  GSocket *ua = udp_socket (), *ub = udp_socket ();
  GSocketAddress *to_relay;
  GSubprocess *relay;
  ArticDcepOpen open
      = { ARTIC_DCEP_CHANNEL_RELIABLE, ARTIC_DCEP_PRIORITY_NORMAL, 0,
          (gchar *) "context", (gchar *) "artic-context/1" };
  ArticSctpStats sa_stats, sb_stats;
  ArticSctp *a, *b;
  Peer pa, pb;
  GError *error = NULL;
  gchar *summary = NULL, *stats_dir, *stats_path;
  guint relay_port, i;
  gint stream;
  gint64 start, open_us, done_us;

  stats_dir = g_dir_make_tmp ("artic-sctp-XXXXXX", &error);
  g_assert_no_error (error);
  stats_path = g_build_filename (stats_dir, "netem-stats.txt", NULL);
  relay = start_relay (local_port (ub), "20", stats_path, &relay_port);
  to_relay = loopback_address (relay_port);
  peer_init (&pa);
  peer_init (&pb);
  start = g_get_monotonic_time ();
  /* A sends to the relay; B learns the relay's address from the first
   * datagram (as behind a NAT). */
  a = artic_sctp_new (
      ARTIC_SCTP_ROLE_CLIENT, ua, to_relay, &callbacks, &pa, &error);
  g_assert_no_error (error);
  b = artic_sctp_new (
      ARTIC_SCTP_ROLE_SERVER, ub, NULL, &callbacks, &pb, &error);
  g_assert_no_error (error);
  g_assert_true (artic_sctp_wait_open (a, 30000, &error));
  g_assert_no_error (error);
  g_assert_true (artic_sctp_wait_open (b, 30000, &error));
  g_assert_no_error (error);
  stream = artic_sctp_open_channel (a, &open, &error);
  g_assert_no_error (error);
  g_assert_true (wait_for (&pb, 0, 1, 30000));
  g_assert_true (wait_for (&pa, 0, 1, 30000));
  open_us = g_get_monotonic_time () - start;

  start = g_get_monotonic_time ();
  for (i = 0; i < N_MESSAGES; i++) {
    gchar text[64];

    g_snprintf (text, sizeof (text), "a->b %05u", i);
    send_retrying (
        a, (guint16) stream, TRUE, (const guint8 *) text, strlen (text));
    g_snprintf (text, sizeof (text), "b->a %05u", i);
    send_retrying (
        b, (guint16) stream, TRUE, (const guint8 *) text, strlen (text));
    if (i % 10 == 9)
      g_usleep (2000); /* a paced application, not one burst */
  }
  g_assert_true (wait_for (&pb, N_MESSAGES, 1, 90000));
  g_assert_true (wait_for (&pa, N_MESSAGES, 1, 90000));
  done_us = g_get_monotonic_time () - start;
  /* Nothing more arrives (no duplicates). */
  g_usleep (300000);
  g_assert_cmpuint (pb.messages->len, ==, N_MESSAGES);
  g_assert_cmpuint (pa.messages->len, ==, N_MESSAGES);
  for (i = 0; i < N_MESSAGES; i++) {
    gchar want[64];

    g_snprintf (want, sizeof (want), "s:a->b %05u", i);
    g_assert_cmpstr (pb.messages->pdata[i], ==, want);
    g_snprintf (want, sizeof (want), "s:b->a %05u", i);
    g_assert_cmpstr (pa.messages->pdata[i], ==, want);
  }
  artic_sctp_get_stats (a, &sa_stats);
  artic_sctp_get_stats (b, &sb_stats);

  artic_sctp_free (a);
  artic_sctp_free (b);

  /* The relay really dropped packets in both directions. */
  g_subprocess_send_signal (relay, SIGTERM);
  g_assert_true (g_subprocess_wait (relay, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (stats_path, &summary, NULL, &error));
  g_assert_no_error (error);
  g_unlink (stats_path);
  g_free (stats_path);
  g_rmdir (stats_dir);
  g_free (stats_dir);
  g_test_message ("%s", summary);
  g_assert_cmpuint (relay_losses (summary, "forward:"), >, 0);
  g_assert_cmpuint (relay_losses (summary, "reverse:"), >, 0);
  g_print ("# netem 20%%/20%% loss: association + channel open in %.0f ms; "
           "%u messages each way delivered in order in %.0f ms; "
           "SCTP packets out a=%" G_GUINT64_FORMAT " b=%" G_GUINT64_FORMAT
           "; relay dropped forward %" G_GUINT64_FORMAT
           " reverse %" G_GUINT64_FORMAT "\n",
      open_us / 1000.0, N_MESSAGES, done_us / 1000.0, sa_stats.packets_out,
      sb_stats.packets_out, relay_losses (summary, "forward:"),
      relay_losses (summary, "reverse:"));
  g_free (summary);
  g_object_unref (relay);
  peer_clear (&pa);
  peer_clear (&pb);
  g_object_unref (to_relay);
  g_object_unref (ua);
  g_object_unref (ub);
}

static void
test_garbage_input (void)
{
  GSocket *ua = udp_socket (), *ub = udp_socket ();
  GSocketAddress *to_b = loopback_address (local_port (ub));
  GSocketAddress *to_a = loopback_address (local_port (ua));
  GSocket *intruder = udp_socket ();
  ArticSctpStats stats;
  ArticSctp *b;
  Peer pb;
  GError *error = NULL;
  guint8 junk[200];
  guint i;

  peer_init (&pb);
  b = artic_sctp_new (
      ARTIC_SCTP_ROLE_SERVER, ub, to_a, &callbacks, &pb, &error);
  g_assert_no_error (error);
  /* From the expected peer: framed garbage, RTP-looking bytes, truncated
   * SCTP; from another address: a framed packet. None may crash or open
   * anything. */
  for (i = 0; i < sizeof (junk); i++)
    junk[i] = (guint8) (i * 37 + 11);
  junk[0] = 0x0a;
  for (i = 1; i < sizeof (junk); i += 17)
    g_socket_send_to (ua, to_b, (const gchar *) junk, i, NULL, NULL);
  junk[0] = 0x80;
  g_socket_send_to (ua, to_b, (const gchar *) junk, 40, NULL, NULL);
  junk[0] = 0x0a;
  g_socket_send_to (intruder, to_b, (const gchar *) junk, 60, NULL, NULL);
  g_usleep (300000);
  artic_sctp_get_stats (b, &stats);
  g_assert_cmpint (artic_sctp_get_state (b), ==, ARTIC_SCTP_STATE_CONNECTING);
  g_assert_cmpuint (stats.other_packets, >=, 1);
  g_assert_cmpuint (stats.dropped, >=, 1); /* the intruder */
  g_assert_cmpuint (pb.opens, ==, 0);
  artic_sctp_free (b);
  peer_clear (&pb);
  g_object_unref (to_a);
  g_object_unref (to_b);
  g_object_unref (ua);
  g_object_unref (ub);
  g_object_unref (intruder);
}

/* One peer vanishes (the link dies without a SHUTDOWN): freeing the other
 * side is bounded, leaves no thread, and new associations still work. */
static void
test_peer_vanishes (void)
{
  GSocket *ua = udp_socket (), *ub = udp_socket ();
  GSocketAddress *to_relay;
  GSubprocess *relay;
  ArticSctp *a, *b;
  Peer pa, pb;
  GError *error = NULL;
  gchar *stats_dir, *stats_path;
  guint relay_port, threads_before;
  gint64 start, free_us;

  stats_dir = g_dir_make_tmp ("artic-sctp-XXXXXX", &error);
  g_assert_no_error (error);
  stats_path = g_build_filename (stats_dir, "netem-stats.txt", NULL);
  relay = start_relay (local_port (ub), "0", stats_path, &relay_port);
  to_relay = loopback_address (relay_port);
  peer_init (&pa);
  peer_init (&pb);
  threads_before = thread_count ();
  a = artic_sctp_new (
      ARTIC_SCTP_ROLE_CLIENT, ua, to_relay, &callbacks, &pa, &error);
  g_assert_no_error (error);
  b = artic_sctp_new (
      ARTIC_SCTP_ROLE_SERVER, ub, NULL, &callbacks, &pb, &error);
  g_assert_no_error (error);
  g_assert_true (artic_sctp_wait_open (a, 10000, &error));
  g_assert_true (artic_sctp_wait_open (b, 10000, &error));
  g_assert_no_error (error);

  /* The link disappears. */
  g_subprocess_force_exit (relay);
  g_assert_true (g_subprocess_wait (relay, NULL, NULL));
  start = g_get_monotonic_time ();
  artic_sctp_free (a);
  free_us = g_get_monotonic_time () - start;
  /* The graceful attempt is bounded by its 1 s timeout. */
  g_assert_cmpint (free_us, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpint (artic_sctp_get_state (b), ==, ARTIC_SCTP_STATE_OPEN);
  artic_sctp_free (b);
  g_assert_cmpuint (thread_count (), ==, threads_before);
  g_print ("# vanished peer: artic_sctp_free took %.0f ms\n", free_us / 1000.0);

  g_unlink (stats_path);
  g_free (stats_path);
  g_rmdir (stats_dir);
  g_free (stats_dir);
  g_object_unref (relay);
  peer_clear (&pa);
  peer_clear (&pb);
  g_object_unref (to_relay);
  g_object_unref (ua);
  g_object_unref (ub);

  /* The stack keeps serving: a new pair comes up and talks. */
  test_loopback ();
}

/* RFC 8831 6.7: closing a channel resets its stream; both sides see the
 * close, neither can send on it afterwards, and other channels and new
 * ones keep working. */
static void
test_channel_close (void)
{
  GSocket *ua = udp_socket (), *ub = udp_socket ();
  GSocketAddress *to_b = loopback_address (local_port (ub));
  GSocketAddress *to_a = loopback_address (local_port (ua));
  ArticDcepOpen open
      = { ARTIC_DCEP_CHANNEL_RELIABLE, ARTIC_DCEP_PRIORITY_NORMAL, 0,
          (gchar *) "context", (gchar *) "artic-context/1" };
  ArticSctpStats stats;
  ArticSctp *a, *b;
  Peer pa, pb;
  GError *error = NULL;
  gint s0, s2, s1;

  peer_init (&pa);
  peer_init (&pb);
  a = artic_sctp_new (
      ARTIC_SCTP_ROLE_CLIENT, ua, to_b, &callbacks, &pa, &error);
  g_assert_no_error (error);
  b = artic_sctp_new (
      ARTIC_SCTP_ROLE_SERVER, ub, to_a, &callbacks, &pb, &error);
  g_assert_no_error (error);
  g_assert_true (artic_sctp_wait_open (a, 10000, &error));
  g_assert_true (artic_sctp_wait_open (b, 10000, &error));
  s0 = artic_sctp_open_channel (a, &open, &error);
  g_assert_no_error (error);
  s2 = artic_sctp_open_channel (a, &open, &error);
  g_assert_no_error (error);
  g_assert_true (wait_for (&pb, 0, 2, 5000));
  g_assert_true (wait_for (&pa, 0, 2, 5000));

  /* The opener closes s0: both sides see it, a (local) and b (remote). */
  g_assert_true (artic_sctp_close_channel (a, (guint16) s0, &error));
  g_assert_no_error (error);
  /* Closing is at once final for sending. */
  g_assert_false (
      artic_sctp_send (a, (guint16) s0, TRUE, (const guint8 *) "x", 1, &error));
  g_assert_error (error, ARTIC_SCTP_ERROR, ARTIC_SCTP_ERROR_NO_CHANNEL);
  g_clear_error (&error);
  g_assert_true (wait_closes (&pb, 1, 5000));
  g_assert_cmpint (pb.last_closed_stream, ==, s0);
  g_assert_true (pb.last_closed_remote);
  g_assert_true (wait_closes (&pa, 1, 5000));
  g_assert_cmpint (pa.last_closed_stream, ==, s0);
  g_assert_false (pa.last_closed_remote);
  g_assert_false (
      artic_sctp_send (b, (guint16) s0, TRUE, (const guint8 *) "x", 1, &error));
  g_assert_error (error, ARTIC_SCTP_ERROR, ARTIC_SCTP_ERROR_NO_CHANNEL);
  g_clear_error (&error);
  /* A second close of the same channel, and of one that never was. */
  g_assert_false (artic_sctp_close_channel (a, (guint16) s0, &error));
  g_assert_error (error, ARTIC_SCTP_ERROR, ARTIC_SCTP_ERROR_NO_CHANNEL);
  g_clear_error (&error);
  g_assert_false (artic_sctp_close_channel (b, 77, &error));
  g_assert_error (error, ARTIC_SCTP_ERROR, ARTIC_SCTP_ERROR_NO_CHANNEL);
  g_clear_error (&error);

  /* The other channel still carries messages. */
  send_retrying (a, (guint16) s2, TRUE, (const guint8 *) "still here", 10);
  g_assert_true (wait_for (&pb, 1, 2, 5000));
  g_assert_cmpstr (pb.messages->pdata[0], ==, "s:still here");

  /* The answering side may close too: one the peer opened... */
  g_assert_true (artic_sctp_close_channel (b, (guint16) s2, &error));
  g_assert_no_error (error);
  g_assert_true (wait_closes (&pa, 2, 5000));
  g_assert_cmpint (pa.last_closed_stream, ==, s2);
  g_assert_true (pa.last_closed_remote);
  g_assert_true (wait_closes (&pb, 2, 5000));
  g_assert_false (pb.last_closed_remote);
  /* ... and a new channel opens after the resets. */
  s1 = artic_sctp_open_channel (b, &open, &error);
  g_assert_no_error (error);
  g_assert_cmpint (s1, ==, 1);
  g_assert_true (wait_for (&pa, 0, 3, 5000));
  send_retrying (b, (guint16) s1, TRUE, (const guint8 *) "new", 3);
  g_assert_true (wait_for (&pa, 1, 3, 5000));
  g_assert_cmpstr (pa.messages->pdata[0], ==, "s:new");
  artic_sctp_get_stats (a, &stats);
  g_assert_cmpuint (stats.channels_closed, ==, 2);
  g_assert_cmpint (artic_sctp_get_state (a), ==, ARTIC_SCTP_STATE_OPEN);

  artic_sctp_free (a);
  artic_sctp_free (b);
  peer_clear (&pa);
  peer_clear (&pb);
  g_object_unref (to_a);
  g_object_unref (to_b);
  g_object_unref (ua);
  g_object_unref (ub);
}

int
main (int argc, char **argv)
{
  gint status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sctp/loopback", test_loopback);
  g_test_add_func ("/sctp/garbage-input", test_garbage_input);
  g_test_add_func ("/sctp/netem-20-percent-loss", test_netem_loss);
  g_test_add_func ("/sctp/peer-vanishes", test_peer_vanishes);
  g_test_add_func ("/sctp/channel-close", test_channel_close);
  status = g_test_run ();
  /* usrsctp is shut down once, at the end, so valgrind sees no leak. */
  if (!artic_sctp_finish (10000)) {
    g_printerr ("usrsctp_finish did not complete\n");
    return 1;
  }
  return status;
}
