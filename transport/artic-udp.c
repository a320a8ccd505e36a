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

#include "artic-udp.h"

GSocket *
artic_udp_bind (GInetAddress *address, guint port, GError **error)
{
  GSocketAddress *local;
  GSocket *socket;

  g_return_val_if_fail (address != NULL && port <= G_MAXUINT16, NULL);
  socket = g_socket_new (g_inet_address_get_family (address),
      G_SOCKET_TYPE_DATAGRAM, G_SOCKET_PROTOCOL_UDP, error);
  if (socket == NULL)
    return NULL;
  local = g_inet_socket_address_new (address, (guint16) port);
  if (!g_socket_bind (socket, local, FALSE, error))
    g_clear_object (&socket);
  g_object_unref (local);
  return socket;
}

GSocket *
artic_udp_bind_text (const gchar *address, guint port, GError **error)
{
  GInetAddress *inet = g_inet_address_new_from_string (address);
  GSocket *socket;

  if (inet == NULL) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
        "'%s' is not an IP address", address);
    return NULL;
  }
  socket = artic_udp_bind (inet, port, error);
  g_object_unref (inet);
  return socket;
}
