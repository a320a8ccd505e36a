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

/* UDP sockets the programs bind themselves: a busy port is then one clear
 * error, and no other process can take the port between a check and the
 * bind (udpsrc/udpsink get the bound socket). */

#ifndef ARTIC_UDP_H
#define ARTIC_UDP_H

#include <gio/gio.h>

G_BEGIN_DECLS

/* Binds to @address:@port (@port 0: any free port). */
GSocket *artic_udp_bind (GInetAddress *address, guint port, GError **error);

/* The same for an address in text form; anything but an IP address is a
 * G_IO_ERROR_INVALID_ARGUMENT. */
GSocket *artic_udp_bind_text (const gchar *address, guint port, GError **error);

G_END_DECLS

#endif /* ARTIC_UDP_H */
