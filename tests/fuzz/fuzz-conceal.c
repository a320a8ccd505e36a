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

/* libFuzzer harness: the reference-chain tracker sees every RTP packet off
 * the network, in any order, with any sequence numbers and timestamps.
 * Input: records of [seq (2 bytes), timestamp (1 byte, scaled), flags
 * (bit 0 marker, bit 1 decide this timestamp now), length (1 byte)] then
 * `length` payload bytes. */

#include "artic-conceal.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  ArticConcealTracker *tracker = artic_conceal_tracker_new ();
  gsize offset = 0;

  while (offset + 5 <= size) {
    guint16 seq = (guint16) ((data[offset] << 8) | data[offset + 1]);
    guint32 timestamp = 3000u * data[offset + 2];
    guint8 flags = data[offset + 3];
    gsize length = MIN ((gsize) data[offset + 4], size - offset - 5);
    ArticConcealVerdict verdict;

    artic_conceal_tracker_push_payload (
        tracker, seq, timestamp, flags & 1, data + offset + 5, length);
    if ((flags & 2)
        && artic_conceal_tracker_decide (tracker, timestamp, &verdict)) {
      /* An incomplete frame is never vouched for. */
      g_assert (verdict.complete || !verdict.chain_intact);
    }
    g_assert (
        artic_conceal_tracker_pending (tracker) <= ARTIC_CONCEAL_MAX_PENDING);
    offset += 5 + length;
  }
  artic_conceal_tracker_free (tracker);
  return 0;
}
