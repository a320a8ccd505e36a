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

/* libFuzzer harness: the VP9 payload descriptor parser sees raw network
 * bytes, and so does the loss counter behind it. */

#include "artic-recv-codec.h"
#include "artic-vp9-descriptor.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  ArticVp9Descriptor descriptor;
  ArticLossCounter counter;

  if (artic_vp9_descriptor_parse (data, size, &descriptor)) {
    g_assert (descriptor.header_size < size);
    g_assert (descriptor.n_p_diff <= ARTIC_VP9_MAX_P_DIFF);
    if (descriptor.has_picture_id)
      g_assert (descriptor.picture_id < (1u << descriptor.picture_id_bits));
  }
  artic_loss_counter_init (&counter, ARTIC_RECV_CODEC_VP9);
  artic_loss_counter_add (&counter, 0, data, size);
  artic_loss_counter_add (&counter, 1, data, size);
  g_assert (counter.lost < (1u << 15));
  return 0;
}
