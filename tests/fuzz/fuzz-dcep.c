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

/* libFuzzer harness: DCEP messages arrive from the peer's SCTP stack.
 * Whatever parses must re-encode to the same bytes (reliable channels
 * excepted: their ignored reliability field is re-encoded as 0). */

#include <string.h>

#include "artic-dcep.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  ArticDcepOpen open;
  ArticDcepMessageType type;

  if (!artic_dcep_message_type (data, size, &type, NULL))
    return 0;
  if (type == ARTIC_DCEP_MESSAGE_ACK) {
    g_assert (artic_dcep_ack_parse (data, size, NULL) == (size == 1));
    return 0;
  }
  if (artic_dcep_open_parse (data, size, &open, NULL)) {
    GBytes *again = artic_dcep_open_encode (&open, NULL);
    gsize len;
    const guint8 *bytes;

    g_assert (again != NULL);
    bytes = g_bytes_get_data (again, &len);
    g_assert (len == size);
    g_assert (memcmp (bytes, data, 4) == 0);
    g_assert (memcmp (bytes + 8, data + 8, size - 8) == 0);
    if (!artic_dcep_channel_is_reliable (open.channel_type))
      g_assert (memcmp (bytes + 4, data + 4, 4) == 0);
    g_bytes_unref (again);
    artic_dcep_open_clear (&open);
  } else {
    g_assert (open.label == NULL && open.protocol == NULL);
  }
  return 0;
}
