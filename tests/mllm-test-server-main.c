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

/* TEST DOUBLE as a process, for the command-line tests: runs the
 * tests/mllm-test-server.c chat server on 127.0.0.1, prints its base URL
 * for a mode ("ok" unless given) and serves until killed. */

#include <glib-unix.h>
#include <stdio.h>

#include "mllm-test-server.h"

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  ArticTestMllmServer *server = artic_test_mllm_server_start ();
  GMainLoop *loop = g_main_loop_new (NULL, FALSE);
  gchar *url = artic_test_mllm_server_url (server, argc > 1 ? argv[1] : "ok");

  printf ("%s\n", url);
  fflush (stdout);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_main_loop_run (loop);
  g_free (url);
  g_main_loop_unref (loop);
  artic_test_mllm_server_stop (server);
  return 0;
}
