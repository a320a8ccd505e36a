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

/* libFuzzer harness: the sender parses every RTCP datagram that comes back
 * from the network. Input: one datagram; the first byte picks the media
 * SSRC filter (0 or a fixed one) so that both paths run. A parsed
 * acknowledgement is written back and must parse to the same ids. */

#include <string.h>

#include "artic-rtcp.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  ArticRtcpFeedback fb, again;
  ArticFrameMark mark;
  guint8 out[12 + 8 + 2 * ARTIC_RTCP_MAX_ACKED];
  guint32 media_ssrc;
  gsize n;

  if (size < 1)
    return 0;
  media_ssrc = (data[0] & 1) ? 0x11223344u : 0;
  artic_frame_mark_read (
      data + 1, MIN (size - 1, ARTIC_FRAME_MARK_SIZE), &mark);
  if (!artic_rtcp_parse (data + 1, size - 1, media_ssrc, &fb, NULL))
    return 0;
  g_assert (fb.ack.n_acked <= ARTIC_RTCP_MAX_ACKED);
  if (fb.acks == 0)
    return 0;
  n = artic_rtcp_ack_write (out, sizeof (out), 1, 0x11223344u, &fb.ack);
  g_assert (n > 0);
  g_assert (artic_rtcp_parse (out, n, 0x11223344u, &again, NULL));
  g_assert (again.acks == 1 && again.ack.n_acked == fb.ack.n_acked);
  g_assert (
      memcmp (again.ack.acked, fb.ack.acked, fb.ack.n_acked * sizeof (guint16))
      == 0);
  return 0;
}
