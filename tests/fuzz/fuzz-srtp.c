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

/* libFuzzer harness: SRTP/SRTCP unprotect sees raw network bytes. The
 * first input byte picks RTP or RTCP and the profile; the rest is the
 * packet. Nothing may crash, and a failure must leave no output length. */

#include <string.h>

#include "artic-srtp.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

/* A fixed key, so the corpus can hold packets that authenticate. */
static const guint8 key_bytes[30] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
  14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30 };

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  static ArticSrtpSession *sessions[2];
  ArticSrtpProfile profile;
  guint8 *packet;
  gsize out_len = G_MAXSIZE;
  gboolean rtcp, ok;
  GError *error = NULL;

  if (size < 1)
    return 0;
  rtcp = data[0] & 1;
  profile = (data[0] & 2) ? ARTIC_SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80
                          : ARTIC_SRTP_PROFILE_AES_GCM_128;
  if (sessions[profile] == NULL) {
    ArticSrtpKey key;

    g_assert (artic_srtp_key_set (&key, profile, key_bytes,
        artic_srtp_profile_key_length (profile), NULL));
    /* Kept for the whole run: replay state builds up as it would. */
    sessions[profile]
        = artic_srtp_session_new (ARTIC_SRTP_INBOUND, &key, 0, NULL);
    g_assert (sessions[profile] != NULL);
  }
  /* A private copy: unprotect works in place. */
  packet = g_memdup2 (data + 1, size - 1);
  ok = rtcp ? artic_srtp_unprotect_rtcp (
           sessions[profile], packet, size - 1, &out_len, &error)
            : artic_srtp_unprotect (
                sessions[profile], packet, size - 1, &out_len, &error);
  if (ok) {
    g_assert (out_len <= size - 1);
  } else {
    g_assert (error != NULL && error->domain == ARTIC_SRTP_ERROR);
    g_assert (out_len == G_MAXSIZE);
    g_error_free (error);
  }
  g_free (packet);
  return 0;
}
