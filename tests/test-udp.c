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

/* artic_udp_bind: the programs' own sockets (a busy port is one clear
 * error; text that is not an IP address is refused before any socket). */

#include "artic-udp.h"

#include <string.h>

static void
test_bind_free_then_busy (void)
{
  GError *error = NULL;
  GSocket *first = artic_udp_bind_text ("127.0.0.1", 0, &error), *second;
  GSocketAddress *bound;
  guint port;

  g_assert_no_error (error);
  g_assert_nonnull (first);
  bound = g_socket_get_local_address (first, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_assert_cmpuint (port, >, 0);
  second = artic_udp_bind_text ("127.0.0.1", port, &error);
  g_assert_null (second);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_clear_error (&error);
  g_object_unref (bound);
  g_object_unref (first);
}

static void
test_bind_not_an_address (void)
{
  GError *error = NULL;

  g_assert_null (artic_udp_bind_text ("localhost", 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "'localhost' is not an IP"));
  g_clear_error (&error);
  g_assert_null (artic_udp_bind_text ("127.0.0.1.5", 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/udp/bind-free-then-busy", test_bind_free_then_busy);
  g_test_add_func ("/udp/bind-not-an-address", test_bind_not_an_address);
  return g_test_run ();
}
