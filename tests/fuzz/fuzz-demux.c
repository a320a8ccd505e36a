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

/* libFuzzer harness: the demultiplexer sees every datagram of the 5-tuple.
 * Checks that a classification's promise (the header is readable) holds. */

#include <string.h>

#include "artic-demux.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  ArticDemuxKind kind = artic_demux_classify (data, size);
  const guint8 *inner;
  gsize inner_len = 0;

  switch (kind) {
    case ARTIC_DEMUX_STUN:
      g_assert (size >= 20 && (size & 3) == 0);
      break;
    case ARTIC_DEMUX_RTP:
      g_assert (size >= 12 && data[0] >= 128 && data[0] <= 191);
      g_assert (data[1] < 192 || data[1] > 223);
      break;
    case ARTIC_DEMUX_RTCP:
      g_assert (size >= 8);
      g_assert (4 * ((gsize) ((data[2] << 8) | data[3]) + 1) <= size);
      break;
    case ARTIC_DEMUX_SCTP:
      inner = artic_demux_sctp_payload (data, size, &inner_len);
      g_assert (inner != NULL && inner_len + 1 == size && inner_len >= 12);
      break;
    default:
      break;
  }
  g_assert (strlen (artic_demux_kind_name (kind)) > 0);
  return 0;
}
