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

/* libFuzzer harness: the receiver takes every RTP datagram of the network
 * into articfecdec. Input: a flags byte, then datagrams, each a length
 * byte and that many bytes. Each datagram is parsed as a repair and fed
 * to a decoder as repair (payload type 118) or media; then the datagrams
 * are protected by an encoder as one frame, the ones the flags' bits
 * name are dropped, and whatever the decoder rebuilds from the rest and
 * the repairs must be one of the datagrams, byte for byte (unless two
 * datagrams claim the same sequence number). */

#include <string.h>

#include "artic-fec.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

static gboolean
is_one_of (GBytes *packet, GPtrArray *datagrams)
{
  guint i;

  for (i = 0; i < datagrams->len; i++)
    if (g_bytes_equal (packet, datagrams->pdata[i]))
      return TRUE;
  return FALSE;
}

/* Two datagrams claiming the same sequence number and SSRC: the decoder
 * keeps the later one, and a group built from the earlier one cannot be
 * rebuilt right (a forgery, not a property of the code). */
static gboolean
has_duplicates (GPtrArray *datagrams)
{
  guint i, j;

  for (i = 0; i < datagrams->len; i++)
    for (j = i + 1; j < datagrams->len; j++) {
      gsize a, b;
      const guint8 *p = g_bytes_get_data (datagrams->pdata[i], &a);
      const guint8 *q = g_bytes_get_data (datagrams->pdata[j], &b);

      if (a >= 12 && b >= 12 && memcmp (p + 2, q + 2, 2) == 0
          && memcmp (p + 8, q + 8, 4) == 0)
        return TRUE;
    }
  return FALSE;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  GPtrArray *datagrams, *recovered, *repairs;
  ArticFecDecoder *dec;
  ArticFecEncoder *enc;
  ArticFecRepair repair;
  guint8 flags;
  gsize offset = 1;
  guint i;

  if (size < 1)
    return 0;
  flags = data[0];
  datagrams = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  recovered = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  repairs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  while (offset < size) {
    gsize n = MIN (data[offset], size - offset - 1);

    g_ptr_array_add (datagrams, g_bytes_new (data + offset + 1, n));
    offset += 1 + n;
  }

  dec = artic_fec_decoder_new ();
  for (i = 0; i < datagrams->len; i++) {
    gsize n;
    const guint8 *d = g_bytes_get_data (datagrams->pdata[i], &n);

    artic_fec_repair_parse (d, n, &repair, NULL);
    if (n >= 2 && (d[1] & 0x7f) == 118)
      artic_fec_decoder_add_repair (dec, d, n, recovered, NULL);
    else
      artic_fec_decoder_add_media (dec, d, n, recovered);
  }
  artic_fec_decoder_free (dec);
  g_ptr_array_set_size (recovered, 0);

  enc = artic_fec_encoder_new (0x55667788u, 118);
  for (i = 0; i < datagrams->len; i++) {
    gsize n;
    const guint8 *d = g_bytes_get_data (datagrams->pdata[i], &n);

    artic_fec_encoder_add (enc, d, n, TRUE, (flags >> 4) / 4.0, repairs);
  }
  /* The frame ends with anything that is not part of it. */
  artic_fec_encoder_add (enc, NULL, 0, FALSE, 0, repairs);
  dec = artic_fec_decoder_new ();
  for (i = 0; i < datagrams->len; i++) {
    gsize n;
    const guint8 *d = g_bytes_get_data (datagrams->pdata[i], &n);

    if (!(flags & (1u << (i % 4))))
      artic_fec_decoder_add_media (dec, d, n, recovered);
  }
  for (i = 0; i < repairs->len; i++) {
    gsize n;
    const guint8 *d = g_bytes_get_data (repairs->pdata[i], &n);

    g_assert (artic_fec_repair_parse (d, n, &repair, NULL));
    artic_fec_decoder_add_repair (dec, d, n, recovered, NULL);
  }
  for (i = 0; i < recovered->len && !has_duplicates (datagrams); i++)
    g_assert (is_one_of (recovered->pdata[i], datagrams));
  artic_fec_decoder_free (dec);
  artic_fec_encoder_free (enc);
  g_ptr_array_unref (repairs);
  g_ptr_array_unref (recovered);
  g_ptr_array_unref (datagrams);
  return 0;
}
