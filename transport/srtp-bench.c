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

/* Not a test: prints what SRTP protection costs per packet, per profile,
 * on this machine (see docs/peer-session.md). */

#include <string.h>

#include "artic-srtp.h"

#define PAYLOAD_LEN 1200
#define PACKETS 100000

static void
bench (ArticSrtpProfile profile)
{
  ArticSrtpKey key;
  ArticSrtpSession *out, *in;
  guint8 *packets = g_malloc (
      (gsize) PACKETS * (12 + PAYLOAD_LEN + ARTIC_SRTP_MAX_TRAILER_LEN));
  gsize stride = 12 + PAYLOAD_LEN + ARTIC_SRTP_MAX_TRAILER_LEN;
  gsize *lengths = g_new (gsize, PACKETS);
  gint64 t0, t1, t2;
  guint i;

  g_assert (artic_srtp_key_generate (&key, profile, NULL));
  out = artic_srtp_session_new (ARTIC_SRTP_OUTBOUND, &key, 0, NULL);
  in = artic_srtp_session_new (ARTIC_SRTP_INBOUND, &key, 1024, NULL);
  for (i = 0; i < PACKETS; i++) {
    guint8 *p = packets + i * stride;

    memset (p, 0x42, 12 + PAYLOAD_LEN);
    p[0] = 0x80;
    p[1] = 96;
    p[2] = (i >> 8) & 0xff;
    p[3] = i & 0xff;
    p[8] = 0x12;
  }
  t0 = g_get_monotonic_time ();
  for (i = 0; i < PACKETS; i++)
    g_assert (artic_srtp_protect (out, packets + i * stride, 12 + PAYLOAD_LEN,
        stride, &lengths[i], NULL));
  t1 = g_get_monotonic_time ();
  for (i = 0; i < PACKETS; i++) {
    gsize len;

    g_assert (artic_srtp_unprotect (
        in, packets + i * stride, lengths[i], &len, NULL));
  }
  t2 = g_get_monotonic_time ();
  g_print ("%-24s protect %.2f us/packet (%.0f Mbit/s), unprotect %.2f "
           "us/packet (%.0f Mbit/s), overhead %" G_GSIZE_FORMAT
           " bytes/packet\n",
      artic_srtp_profile_name (profile), (gdouble) (t1 - t0) / PACKETS,
      PACKETS * (12.0 + PAYLOAD_LEN) * 8 / (t1 - t0),
      (gdouble) (t2 - t1) / PACKETS,
      PACKETS * (12.0 + PAYLOAD_LEN) * 8 / (t2 - t1),
      lengths[0] - 12 - PAYLOAD_LEN);
  artic_srtp_session_free (out);
  artic_srtp_session_free (in);
  artic_srtp_key_clear (&key);
  g_free (lengths);
  g_free (packets);
}

int
main (int argc, char **argv)
{
  g_print (
      "SRTP, %d packets of %d payload bytes, one core\n", PACKETS, PAYLOAD_LEN);
  bench (ARTIC_SRTP_PROFILE_AES_GCM_128);
  bench (ARTIC_SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80);
  return 0;
}
