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

/* The artic-netem relay on real loopback sockets: forward loss and delay,
 * replies through the reverse link, the exit summary on SIGTERM. */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define N_PACKETS 400
#define SEND_INTERVAL_US 2000
#define FORWARD_DELAY_MS 40
#define REVERSE_DELAY_MS 20
#define LOSS_PERCENT 30

typedef struct
{
  guint32 seq;
  gint64 sent_us;
} Probe;

static GSocket *
bind_loopback (void)
{
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *address = g_inet_socket_address_new (loopback, 0);
  GError *error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_no_error (error);
  g_socket_set_blocking (socket, FALSE);
  g_object_unref (address);
  g_object_unref (loopback);
  return socket;
}

static guint
local_port (GSocket *socket)
{
  GSocketAddress *address = g_socket_get_local_address (socket, NULL);
  guint port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));

  g_object_unref (address);
  return port;
}

/* Starts the relay on an ephemeral port and reads that port back. */
static GSubprocess *
start_relay (guint to_port, const gchar *const *options, guint *listen_port)
{
  const gchar *program = g_getenv ("ARTIC_NETEM");
  gchar *to = g_strdup_printf ("127.0.0.1:%u", to_port);
  GPtrArray *args = g_ptr_array_new ();
  GError *error = NULL;
  GSubprocess *relay;
  GDataInputStream *lines;
  gchar *line;
  const gchar *port_text;

  g_assert_nonnull (program);
  g_ptr_array_add (args, (gpointer) program);
  g_ptr_array_add (args, "--listen");
  g_ptr_array_add (args, "127.0.0.1:0");
  g_ptr_array_add (args, "--to");
  g_ptr_array_add (args, to);
  /* --duration only bounds the test if something goes wrong. */
  g_ptr_array_add (args, "--duration");
  g_ptr_array_add (args, "30");
  for (; *options != NULL; options++)
    g_ptr_array_add (args, (gpointer) *options);
  g_ptr_array_add (args, NULL);
  relay = g_subprocess_newv ((const gchar *const *) args->pdata,
      G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (relay));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_test_message ("%s", line);
  port_text = strstr (line, "127.0.0.1:");
  g_assert_nonnull (port_text);
  *listen_port = (guint) g_ascii_strtoull (port_text + 10, NULL, 10);
  g_assert_cmpuint (*listen_port, >, 0);
  g_free (line);
  g_object_unref (lines);
  g_ptr_array_unref (args);
  g_free (to);
  return relay;
}

typedef struct
{
  guint forwarded;
  guint replies;
  gint64 min_forward_us;
  gint64 min_round_trip_us;
  gint64 max_forward_us;
} Results;

/* The destination echoes every datagram back to where it came from. */
static void
drain_server (GSocket *server, Results *results)
{
  Probe probe;
  GSocketAddress *from = NULL;

  while (g_socket_receive_from (
             server, &from, (gchar *) &probe, sizeof (probe), NULL, NULL)
         == sizeof (probe)) {
    gint64 delay = g_get_monotonic_time () - probe.sent_us;

    results->forwarded++;
    results->min_forward_us = MIN (results->min_forward_us, delay);
    results->max_forward_us = MAX (results->max_forward_us, delay);
    g_assert_cmpint (g_socket_send_to (server, from, (gchar *) &probe,
                         sizeof (probe), NULL, NULL),
        ==, sizeof (probe));
    g_clear_object (&from);
  }
  g_clear_object (&from);
}

static void
drain_client (GSocket *client, Results *results)
{
  Probe probe;

  while (g_socket_receive (client, (gchar *) &probe, sizeof (probe), NULL, NULL)
         == sizeof (probe)) {
    gint64 delay = g_get_monotonic_time () - probe.sent_us;

    results->replies++;
    results->min_round_trip_us = MIN (results->min_round_trip_us, delay);
  }
}

static void
exchange (GSocket *client, GSocket *server, guint relay_port, Results *results)
{
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *relay = g_inet_socket_address_new (loopback, relay_port);
  struct pollfd fds[2] = {
    { g_socket_get_fd (client), POLLIN, 0 },
    { g_socket_get_fd (server), POLLIN, 0 },
  };
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + N_PACKETS * SEND_INTERVAL_US + G_USEC_PER_SEC;
  guint sent = 0;

  while (g_get_monotonic_time () < end) {
    gint64 now = g_get_monotonic_time ();

    if (sent < N_PACKETS && now >= start + (gint64) sent * SEND_INTERVAL_US) {
      Probe probe = { sent, now };

      g_assert_cmpint (g_socket_send_to (client, relay, (gchar *) &probe,
                           sizeof (probe), NULL, NULL),
          ==, sizeof (probe));
      sent++;
    }
    poll (fds, 2, 1);
    drain_server (server, results);
    drain_client (client, results);
  }
  g_object_unref (relay);
  g_object_unref (loopback);
}

static void
stop_relay (GSubprocess *relay)
{
  GError *error = NULL;

  g_subprocess_send_signal (relay, SIGTERM);
  g_assert_true (g_subprocess_wait (relay, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (relay));
  g_assert_cmpint (g_subprocess_get_exit_status (relay), ==, 0);
}

static void
test_relay (void)
{
  GSocket *client = bind_loopback (), *server = bind_loopback ();
  gchar *dir = g_dir_make_tmp ("artic-netem-XXXXXX", NULL);
  gchar *stats_path = g_build_filename (dir, "stats.txt", NULL);
  Results results = { 0, 0, G_MAXINT64, G_MAXINT64, 0 };
  GSubprocess *relay;
  guint relay_port;
  gchar *stats = NULL, *expected;
  gdouble expected_count = N_PACKETS * (100 - LOSS_PERCENT) / 100.0;

  gchar *delay = g_strdup_printf ("%d", FORWARD_DELAY_MS);
  gchar *reverse_delay = g_strdup_printf ("%d", REVERSE_DELAY_MS);
  gchar *loss = g_strdup_printf ("%d", LOSS_PERCENT);
  const gchar *options[]
      = { "--delay", delay, "--loss", loss, "--rate", "10000", "--seed", "5",
          "--reverse-delay", reverse_delay, "--stats", stats_path, NULL };

  relay = start_relay (local_port (server), options, &relay_port);
  g_free (delay);
  g_free (reverse_delay);
  g_free (loss);
  exchange (client, server, relay_port, &results);
  stop_relay (relay);
  g_test_message ("forwarded %u of %d (expected about %.0f), forward delay "
                  "min %.1f ms max %.1f ms, %u replies, round trip min %.1f ms",
      results.forwarded, N_PACKETS, expected_count,
      results.min_forward_us / 1000.0, results.max_forward_us / 1000.0,
      results.replies, results.min_round_trip_us / 1000.0);
  /* Binomial standard deviation is about 9 packets: allow 5 of them. */
  g_assert_cmpfloat (results.forwarded, >, expected_count - 46);
  g_assert_cmpfloat (results.forwarded, <, expected_count + 46);
  g_assert_cmpint (results.min_forward_us, >=, FORWARD_DELAY_MS * 1000);
  g_assert_cmpint (results.min_round_trip_us, >=,
      (FORWARD_DELAY_MS + REVERSE_DELAY_MS) * 1000);
  /* The reverse link has no loss: every echo comes back. */
  g_assert_cmpuint (results.replies, ==, results.forwarded);

  /* The exit summary agrees with what the sockets saw. */
  g_assert_true (g_file_get_contents (stats_path, &stats, NULL, NULL));
  g_test_message ("%s", stats);
  expected = g_strdup_printf ("forward: in %d pkts / %d B, delivered %u pkts",
      N_PACKETS, N_PACKETS * (gint) sizeof (Probe), results.forwarded);
  g_assert_nonnull (strstr (stats, expected));
  g_free (expected);
  expected = g_strdup_printf (
      "dropped by loss %u pkts", N_PACKETS - results.forwarded);
  g_assert_nonnull (strstr (stats, expected));
  g_free (expected);
  expected = g_strdup_printf ("reverse: in %u pkts", results.forwarded);
  g_assert_nonnull (strstr (stats, expected));
  g_free (expected);

  g_free (stats);
  g_unlink (stats_path);
  g_rmdir (dir);
  g_free (stats_path);
  g_free (dir);
  g_object_unref (relay);
  g_object_unref (client);
  g_object_unref (server);
}

#define TRACE_PACKET 1200
#define TRACE_PACKETS 300
#define TRACE_INTERVAL_US 5000

/* A trace with one 1500-byte opportunity every 10 ms (1200 kbit/s), offered
 * 1920 kbit/s: the relay delivers the trace's capacity and the drop-tail
 * queue drops the rest. */
static void
test_relay_trace (void)
{
  GSocket *client = bind_loopback (), *server = bind_loopback ();
  gchar *dir = g_dir_make_tmp ("artic-netem-XXXXXX", NULL);
  gchar *trace_path = g_build_filename (dir, "10ms.up", NULL);
  gchar *stats_path = g_build_filename (dir, "stats.txt", NULL);
  const gchar *options[] = { "--trace", trace_path, "--queue-packets", "20",
    "--stats", stats_path, NULL };
  gchar payload[TRACE_PACKET] = { 0 };
  GInetAddress *loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *relay_address;
  struct pollfd fd = { g_socket_get_fd (server), POLLIN, 0 };
  GSubprocess *relay;
  guint relay_port, sent = 0, received = 0;
  gint64 start, end, first = -1, last = -1;
  gchar *stats = NULL, *expected;
  gdouble rate;

  g_assert_true (g_file_set_contents (trace_path, "10\n", -1, NULL));
  relay = start_relay (local_port (server), options, &relay_port);
  relay_address = g_inet_socket_address_new (loopback, relay_port);
  start = g_get_monotonic_time ();
  end = start + TRACE_PACKETS * TRACE_INTERVAL_US + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end) {
    gint64 now = g_get_monotonic_time ();

    if (sent < TRACE_PACKETS
        && now >= start + (gint64) sent * TRACE_INTERVAL_US) {
      g_assert_cmpint (g_socket_send_to (client, relay_address, payload,
                           sizeof (payload), NULL, NULL),
          ==, sizeof (payload));
      sent++;
    }
    poll (&fd, 1, 1);
    while (g_socket_receive (server, payload, sizeof (payload), NULL, NULL)
           == sizeof (payload)) {
      last = g_get_monotonic_time ();
      if (first < 0)
        first = last;
      received++;
    }
  }
  stop_relay (relay);
  g_assert_cmpuint (received, >, 10);
  /* Bytes after the first datagram over the time they took. */
  rate = (received - 1) * TRACE_PACKET * 8.0 / ((last - first) / 1000.0);
  g_test_message ("trace 1200 kbit/s, offered 1920 kbit/s: received %u of %u, "
                  "%.1f kbit/s",
      received, sent, rate);
  g_assert_cmpfloat (fabs (rate - 1200) / 1200, <, 0.10);
  g_assert_true (g_file_get_contents (stats_path, &stats, NULL, NULL));
  g_test_message ("%s", stats);
  /* Nothing is lost but to the queue, which had to drop. */
  expected = g_strdup_printf (
      "delivered %u pkts / %u B", received, received * TRACE_PACKET);
  g_assert_nonnull (strstr (stats, expected));
  g_free (expected);
  expected = g_strdup_printf ("dropped by queue %u pkts", sent - received);
  g_assert_nonnull (strstr (stats, expected));
  g_assert_cmpuint (sent - received, >, 50);
  g_free (expected);

  g_free (stats);
  g_unlink (stats_path);
  g_unlink (trace_path);
  g_rmdir (dir);
  g_free (stats_path);
  g_free (trace_path);
  g_free (dir);
  g_object_unref (relay_address);
  g_object_unref (loopback);
  g_object_unref (relay);
  g_object_unref (client);
  g_object_unref (server);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/netem/relay/loopback", test_relay);
  g_test_add_func ("/netem/relay/trace", test_relay_trace);
  return g_test_run ();
}
