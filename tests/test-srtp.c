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

/* SRTP wrapper: round trips for both profiles, RTCP, tampering, replay,
 * wrong keys, malformed input, strict key encoding, and that no key
 * material reaches the logs. */

#define _GNU_SOURCE /* memmem */
#include <string.h>

#include "artic-srtp.h"

#define PAYLOAD_LEN 200

static const ArticSrtpProfile profiles[] = {
  ARTIC_SRTP_PROFILE_AES_GCM_128,
  ARTIC_SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80,
};

/* An RTP packet (PT 96) with a recognisable payload, in a buffer with room
 * for the SRTP trailer. */
static gsize
make_rtp (guint8 *buf, guint16 seq, guint32 ssrc)
{
  guint i;

  memset (buf, 0, 12 + PAYLOAD_LEN + ARTIC_SRTP_MAX_TRAILER_LEN);
  buf[0] = 0x80;
  buf[1] = 96;
  buf[2] = seq >> 8;
  buf[3] = seq & 0xff;
  buf[4] = 0x12;
  buf[7] = seq & 0xff;
  buf[8] = ssrc >> 24;
  buf[9] = (ssrc >> 16) & 0xff;
  buf[10] = (ssrc >> 8) & 0xff;
  buf[11] = ssrc & 0xff;
  for (i = 0; i < PAYLOAD_LEN; i++)
    buf[12 + i] = (guint8) ('A' + (i + seq) % 26);
  return 12 + PAYLOAD_LEN;
}

/* An RTCP receiver report with one report block. */
static gsize
make_rtcp (guint8 *buf, guint32 ssrc)
{
  memset (buf, 0, 32 + ARTIC_SRTP_MAX_TRAILER_LEN);
  buf[0] = 0x81;
  buf[1] = 201;
  buf[3] = 7; /* length in words - 1 */
  buf[4] = ssrc >> 24;
  buf[7] = ssrc & 0xff;
  memset (buf + 8, 0x5a, 24);
  return 32;
}

static void
make_pair (
    ArticSrtpProfile profile, ArticSrtpSession **out, ArticSrtpSession **in)
{
  ArticSrtpKey key;
  GError *error = NULL;

  g_assert_true (artic_srtp_key_generate (&key, profile, &error));
  g_assert_no_error (error);
  *out = artic_srtp_session_new (ARTIC_SRTP_OUTBOUND, &key, 0, &error);
  g_assert_no_error (error);
  *in = artic_srtp_session_new (ARTIC_SRTP_INBOUND, &key, 0, &error);
  g_assert_no_error (error);
  artic_srtp_key_clear (&key);
}

static void
test_round_trip (void)
{
  guint p;

  for (p = 0; p < G_N_ELEMENTS (profiles); p++) {
    ArticSrtpSession *out, *in;
    ArticSrtpStats stats;
    guint8 buf[512], orig[512];
    gsize len, plen, ulen;
    guint16 seq;
    GError *error = NULL;

    make_pair (profiles[p], &out, &in);
    for (seq = 65530; seq != 10; seq++) { /* crosses the ROC wrap */
      len = make_rtp (buf, seq, 0xdecafbad);
      memcpy (orig, buf, len);
      g_assert_true (
          artic_srtp_protect (out, buf, len, sizeof (buf), &plen, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (plen, ==, len + (p == 0 ? 16 : 10));
      /* The payload is not on the wire in the clear. */
      g_assert_null (memmem (buf, plen, orig + 12, 16));
      g_assert_true (artic_srtp_unprotect (in, buf, plen, &ulen, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (buf, ulen, orig, len);
    }
    artic_srtp_session_get_stats (out, &stats);
    g_assert_cmpuint (stats.rtp_ok, ==, 16);
    artic_srtp_session_get_stats (in, &stats);
    g_assert_cmpuint (stats.rtp_ok, ==, 16);
    g_assert_cmpuint (
        stats.auth_failed + stats.replayed + stats.malformed, ==, 0);
    g_assert_cmpint (artic_srtp_session_get_profile (in), ==, profiles[p]);
    artic_srtp_session_free (out);
    artic_srtp_session_free (in);
  }
}

static void
test_rtcp_round_trip (void)
{
  guint p;

  for (p = 0; p < G_N_ELEMENTS (profiles); p++) {
    ArticSrtpSession *out, *in;
    ArticSrtpStats stats;
    guint8 buf[256], orig[256];
    gsize len, plen, ulen;
    guint i;
    GError *error = NULL;

    make_pair (profiles[p], &out, &in);
    for (i = 0; i < 5; i++) {
      len = make_rtcp (buf, 0x1234);
      memcpy (orig, buf, len);
      g_assert_true (
          artic_srtp_protect_rtcp (out, buf, len, sizeof (buf), &plen, &error));
      g_assert_no_error (error);
      /* SRTCP: E flag + index, then the tag. */
      g_assert_cmpuint (plen, ==, len + 4 + (p == 0 ? 16 : 10));
      g_assert_null (memmem (buf, plen, orig + 8, 16));
      g_assert_true (artic_srtp_unprotect_rtcp (in, buf, plen, &ulen, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (buf, ulen, orig, len);
    }
    artic_srtp_session_get_stats (in, &stats);
    g_assert_cmpuint (stats.rtcp_ok, ==, 5);
    g_assert_cmpuint (stats.rtp_ok, ==, 0);
    artic_srtp_session_free (out);
    artic_srtp_session_free (in);
  }
}

static void
test_tampered (void)
{
  guint p;

  for (p = 0; p < G_N_ELEMENTS (profiles); p++) {
    ArticSrtpSession *out, *in;
    ArticSrtpStats stats;
    guint8 buf[512];
    gsize len, plen, ulen, where[] = { 1, 30, 0 };
    guint i;
    GError *error = NULL;

    make_pair (profiles[p], &out, &in);
    for (i = 0; i < G_N_ELEMENTS (where); i++) {
      len = make_rtp (buf, 100 + i, 42);
      g_assert_true (
          artic_srtp_protect (out, buf, len, sizeof (buf), &plen, NULL));
      /* header byte, payload byte, last tag byte */
      buf[where[i] ? where[i] : plen - 1] ^= 0x01;
      g_assert_false (artic_srtp_unprotect (in, buf, plen, &ulen, &error));
      g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_AUTH);
      g_clear_error (&error);
    }
    /* SRTCP too. */
    len = make_rtcp (buf, 42);
    g_assert_true (
        artic_srtp_protect_rtcp (out, buf, len, sizeof (buf), &plen, NULL));
    buf[12] ^= 0x80;
    g_assert_false (artic_srtp_unprotect_rtcp (in, buf, plen, &ulen, &error));
    g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_AUTH);
    g_clear_error (&error);

    artic_srtp_session_get_stats (in, &stats);
    g_assert_cmpuint (stats.auth_failed, ==, 4);
    g_assert_cmpuint (stats.rtp_ok, ==, 0);
    artic_srtp_session_free (out);
    artic_srtp_session_free (in);
  }
}

static void
test_replay (void)
{
  guint p;

  for (p = 0; p < G_N_ELEMENTS (profiles); p++) {
    ArticSrtpSession *out, *in;
    ArticSrtpStats stats;
    guint8 buf[512], copy[512];
    gsize len, plen, ulen;
    guint16 seq;
    GError *error = NULL;

    make_pair (profiles[p], &out, &in);
    len = make_rtp (buf, 1000, 7);
    g_assert_true (
        artic_srtp_protect (out, buf, len, sizeof (buf), &plen, NULL));
    memcpy (copy, buf, plen);
    g_assert_true (artic_srtp_unprotect (in, buf, plen, &ulen, NULL));
    /* The same packet again. */
    memcpy (buf, copy, plen);
    g_assert_false (artic_srtp_unprotect (in, buf, plen, &ulen, &error));
    g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_REPLAY);
    g_clear_error (&error);
    /* Advance far beyond the window (default 128): the old packet is
     * now too old. */
    for (seq = 1001; seq < 1300; seq++) {
      len = make_rtp (buf, seq, 7);
      g_assert_true (
          artic_srtp_protect (out, buf, len, sizeof (buf), &plen, NULL));
      g_assert_true (artic_srtp_unprotect (in, buf, plen, &ulen, NULL));
    }
    g_assert_false (artic_srtp_unprotect (in, copy, plen - 0, &ulen, &error));
    g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_REPLAY);
    g_clear_error (&error);
    /* Protecting one sequence number twice is refused too (keystream
     * reuse). */
    len = make_rtp (buf, 1299, 7);
    g_assert_false (
        artic_srtp_protect (out, buf, len, sizeof (buf), &plen, &error));
    g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_REPLAY);
    g_clear_error (&error);

    artic_srtp_session_get_stats (in, &stats);
    g_assert_cmpuint (stats.replayed, ==, 2);
    g_assert_cmpuint (stats.rtp_ok, ==, 300);
    artic_srtp_session_free (out);
    artic_srtp_session_free (in);
  }
}

static void
test_wrong_key (void)
{
  guint p;

  for (p = 0; p < G_N_ELEMENTS (profiles); p++) {
    ArticSrtpKey k1, k2;
    ArticSrtpSession *out, *in;
    ArticSrtpStats stats;
    guint8 buf[512];
    gsize len, plen, ulen;
    GError *error = NULL;

    g_assert_true (artic_srtp_key_generate (&k1, profiles[p], NULL));
    g_assert_true (artic_srtp_key_generate (&k2, profiles[p], NULL));
    /* Two fresh keys differ. */
    g_assert_true (memcmp (k1.bytes, k2.bytes, k1.length) != 0);
    out = artic_srtp_session_new (ARTIC_SRTP_OUTBOUND, &k1, 0, NULL);
    in = artic_srtp_session_new (ARTIC_SRTP_INBOUND, &k2, 0, NULL);
    len = make_rtp (buf, 5, 9);
    g_assert_true (
        artic_srtp_protect (out, buf, len, sizeof (buf), &plen, NULL));
    g_assert_false (artic_srtp_unprotect (in, buf, plen, &ulen, &error));
    g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_AUTH);
    g_clear_error (&error);
    artic_srtp_session_get_stats (in, &stats);
    g_assert_cmpuint (stats.auth_failed, ==, 1);
    artic_srtp_session_free (out);
    artic_srtp_session_free (in);
    artic_srtp_key_clear (&k1);
    artic_srtp_key_clear (&k2);
  }
}

static void
test_malformed (void)
{
  ArticSrtpSession *out, *in;
  ArticSrtpStats stats;
  guint8 buf[512];
  gsize len, plen, ulen;
  GError *error = NULL;

  make_pair (ARTIC_SRTP_PROFILE_DEFAULT, &out, &in);

  /* Too short, wrong version, CSRCs and extension beyond the end. */
  len = make_rtp (buf, 1, 1);
  g_assert_false (
      artic_srtp_protect (out, buf, 11, sizeof (buf), &plen, &error));
  g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_MALFORMED);
  g_clear_error (&error);
  buf[0] = 0x40;
  g_assert_false (
      artic_srtp_protect (out, buf, len, sizeof (buf), &plen, &error));
  g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_MALFORMED);
  g_clear_error (&error);
  buf[0] = 0x8f;
  g_assert_false (
      artic_srtp_protect (out, buf, 20, sizeof (buf), &plen, &error));
  g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_MALFORMED);
  g_clear_error (&error);
  buf[0] = 0x90;
  buf[14] = 0xff;
  buf[15] = 0xff;
  g_assert_false (
      artic_srtp_protect (out, buf, len, sizeof (buf), &plen, &error));
  g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_MALFORMED);
  g_clear_error (&error);

  /* No room for the trailer. */
  len = make_rtp (buf, 1, 1);
  g_assert_false (artic_srtp_protect (out, buf, len, len + 10, &plen, &error));
  g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_BUFFER);
  g_clear_error (&error);

  /* Inbound: header without a tag, empty, RTCP without index. */
  g_assert_false (artic_srtp_unprotect (in, buf, 20, &ulen, &error));
  g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_false (artic_srtp_unprotect (in, buf, 0, &ulen, &error));
  g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_MALFORMED);
  g_clear_error (&error);
  len = make_rtcp (buf, 3);
  g_assert_false (
      artic_srtp_unprotect_rtcp (in, buf, 8 + 4 + 15, &ulen, &error));
  g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_MALFORMED);
  g_clear_error (&error);

  /* Wrong direction. */
  len = make_rtp (buf, 1, 1);
  g_assert_false (
      artic_srtp_protect (in, buf, len, sizeof (buf), &plen, &error));
  g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_DIRECTION);
  g_clear_error (&error);
  g_assert_false (artic_srtp_unprotect (out, buf, len, &ulen, &error));
  g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_DIRECTION);
  g_clear_error (&error);

  artic_srtp_session_get_stats (out, &stats);
  g_assert_cmpuint (stats.malformed, ==, 4);
  g_assert_cmpuint (stats.rtp_ok, ==, 0);
  artic_srtp_session_get_stats (in, &stats);
  g_assert_cmpuint (stats.malformed, ==, 3);
  artic_srtp_session_free (out);
  artic_srtp_session_free (in);
}

static void
test_session_args (void)
{
  ArticSrtpKey key;
  GError *error = NULL;

  g_assert_true (
      artic_srtp_key_generate (&key, ARTIC_SRTP_PROFILE_DEFAULT, NULL));
  g_assert_null (artic_srtp_session_new (ARTIC_SRTP_INBOUND, &key, 10, &error));
  g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_null (
      artic_srtp_session_new (ARTIC_SRTP_INBOUND, &key, 40000, &error));
  g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_FAILED);
  g_clear_error (&error);
  key.length = 5;
  g_assert_null (artic_srtp_session_new (ARTIC_SRTP_INBOUND, &key, 0, &error));
  g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_KEY);
  g_clear_error (&error);
  artic_srtp_key_clear (&key);
  artic_srtp_session_free (NULL);
}

static void
test_key_base64 (void)
{
  guint p;
  ArticSrtpProfile profile;
  GError *error = NULL;

  for (p = 0; p < G_N_ELEMENTS (profiles); p++) {
    ArticSrtpKey key, back;
    gchar *b64, *bad;

    g_assert_true (artic_srtp_key_generate (&key, profiles[p], NULL));
    b64 = artic_srtp_key_to_base64 (&key);
    g_assert_cmpuint (strlen (b64), ==, 40);
    g_assert_true (
        artic_srtp_key_from_base64 (&back, profiles[p], b64, &error));
    g_assert_no_error (error);
    g_assert_cmpmem (back.bytes, back.length, key.bytes, key.length);

    /* The other profile's length is refused. */
    g_assert_false (
        artic_srtp_key_from_base64 (&back, profiles[1 - p], b64, &error));
    g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_KEY);
    /* ... and the error does not quote the key. */
    g_assert_null (strstr (error->message, b64));
    g_assert_null (strstr (error->message, "AAAA"));
    g_clear_error (&error);

    /* Bad characters, whitespace, truncation. */
    bad = g_strdup (b64);
    bad[3] = '*';
    g_assert_false (
        artic_srtp_key_from_base64 (&back, profiles[p], bad, &error));
    g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_KEY);
    g_clear_error (&error);
    bad[3] = ' ';
    g_assert_false (
        artic_srtp_key_from_base64 (&back, profiles[p], bad, &error));
    g_clear_error (&error);
    bad[39] = '\0';
    g_assert_false (
        artic_srtp_key_from_base64 (&back, profiles[p], bad, &error));
    g_clear_error (&error);
    artic_srtp_secret_free (bad);
    artic_srtp_secret_free (b64);
    artic_srtp_key_clear (&key);
    artic_srtp_key_clear (&back);
    g_assert_cmpuint (back.length, ==, 0);
  }
  /* Non-canonical: a 28-byte key ends with 2 padding characters; the
   * last data character must have zero low bits. */
  g_assert_false (artic_srtp_key_from_base64 (&(ArticSrtpKey){ 0 },
      ARTIC_SRTP_PROFILE_AES_GCM_128,
      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB==", &error));
  g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_KEY);
  g_clear_error (&error);
  g_assert_false (artic_srtp_key_from_base64 (
      &(ArticSrtpKey){ 0 }, ARTIC_SRTP_PROFILE_AES_GCM_128, NULL, &error));
  g_clear_error (&error);

  g_assert_true (
      artic_srtp_profile_from_string ("aes-gcm-128", &profile, NULL));
  g_assert_cmpint (profile, ==, ARTIC_SRTP_PROFILE_AES_GCM_128);
  g_assert_true (artic_srtp_profile_from_string (
      "AES_CM_128_HMAC_SHA1_80", &profile, NULL));
  g_assert_cmpint (profile, ==, ARTIC_SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80);
  g_assert_false (artic_srtp_profile_from_string ("rot13", &profile, &error));
  g_assert_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_KEY);
  g_clear_error (&error);
}

/* Everything logged in the artic-srtp domain while the test runs. */
static GString *captured;

static void
capture_log (const gchar *domain, GLogLevelFlags level, const gchar *message,
    gpointer user_data)
{
  g_string_append (captured, message);
  g_string_append_c (captured, '\n');
}

static gboolean
contains_key (const gchar *haystack, const ArticSrtpKey *key)
{
  gchar *b64 = artic_srtp_key_to_base64 (key);
  GString *hex = g_string_new (NULL);
  gboolean found = FALSE;
  gsize i;

  for (i = 0; i < key->length; i++)
    g_string_append_printf (hex, "%02x", key->bytes[i]);
  /* Any 8-character run of either encoding counts as a leak. */
  for (i = 0; i + 8 <= strlen (b64) && !found; i++)
    found = memmem (haystack, strlen (haystack), b64 + i, 8) != NULL;
  for (i = 0; i + 8 <= hex->len && !found; i++)
    found = memmem (haystack, strlen (haystack), hex->str + i, 8) != NULL;
  artic_srtp_secret_free (b64);
  g_string_free (hex, TRUE);
  return found;
}

static void
test_redaction (void)
{
  ArticSrtpKey key;
  ArticSrtpSession *out, *in;
  guint8 buf[512];
  gsize len, plen, ulen;
  gchar *desc;
  guint handler;

  captured = g_string_new (NULL);
  handler = g_log_set_handler ("artic-srtp",
      G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION, capture_log,
      NULL);
  g_assert_true (
      artic_srtp_key_generate (&key, ARTIC_SRTP_PROFILE_DEFAULT, NULL));
  out = artic_srtp_session_new (ARTIC_SRTP_OUTBOUND, &key, 0, NULL);
  in = artic_srtp_session_new (ARTIC_SRTP_INBOUND, &key, 0, NULL);
  len = make_rtp (buf, 1, 1);
  g_assert_true (artic_srtp_protect (out, buf, len, sizeof (buf), &plen, NULL));
  g_assert_true (artic_srtp_unprotect (in, buf, plen, &ulen, NULL));
  desc = artic_srtp_session_describe (in);
  g_string_append (captured, desc);
  g_assert_nonnull (strstr (desc, "[redacted]"));
  g_assert_nonnull (strstr (desc, "rtp_ok=1"));
  g_free (desc);
  artic_srtp_session_free (out);
  artic_srtp_session_free (in);
  g_log_remove_handler ("artic-srtp", handler);

  /* The debug output was produced, and says the key was redacted... */
  g_assert_nonnull (strstr (captured->str, "new outbound session"));
  g_assert_nonnull (strstr (captured->str, "key [redacted]"));
  /* ... and holds no part of the key in base64 or hex. */
  g_assert_false (contains_key (captured->str, &key));
  artic_srtp_key_clear (&key);
  g_string_free (captured, TRUE);
}

typedef struct
{
  ArticSrtpSession *out, *in;
  guint32 ssrc;
} ThreadArgs;

static gpointer
protect_thread (gpointer data)
{
  ThreadArgs *args = data;
  guint8 buf[512];
  gsize len, plen, ulen;
  guint16 seq;

  /* One SSRC per thread, all through the same two sessions: libsrtp's
   * stream list and key schedules are shared, which is what the session
   * lock protects. */
  for (seq = 0; seq < 500; seq++) {
    len = make_rtp (buf, seq, args->ssrc);
    g_assert_true (
        artic_srtp_protect (args->out, buf, len, sizeof (buf), &plen, NULL));
    g_assert_true (artic_srtp_unprotect (args->in, buf, plen, &ulen, NULL));
    g_assert_cmpuint (ulen, ==, len);
  }
  return NULL;
}

static void
test_threads (void)
{
  ArticSrtpSession *out, *in;
  ArticSrtpStats stats;
  ThreadArgs args[4];
  GThread *threads[4];
  guint i;

  make_pair (ARTIC_SRTP_PROFILE_DEFAULT, &out, &in);
  for (i = 0; i < G_N_ELEMENTS (threads); i++) {
    args[i].out = out;
    args[i].in = in;
    args[i].ssrc = 1000 + i;
    threads[i] = g_thread_new ("srtp", protect_thread, &args[i]);
  }
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  artic_srtp_session_get_stats (in, &stats);
  g_assert_cmpuint (stats.rtp_ok, ==, 2000);
  g_assert_cmpuint (stats.auth_failed + stats.replayed, ==, 0);
  artic_srtp_session_free (out);
  artic_srtp_session_free (in);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (artic_srtp_init (NULL));
  g_test_add_func ("/srtp/round-trip", test_round_trip);
  g_test_add_func ("/srtp/rtcp-round-trip", test_rtcp_round_trip);
  g_test_add_func ("/srtp/tampered", test_tampered);
  g_test_add_func ("/srtp/replay", test_replay);
  g_test_add_func ("/srtp/wrong-key", test_wrong_key);
  g_test_add_func ("/srtp/malformed", test_malformed);
  g_test_add_func ("/srtp/session-args", test_session_args);
  g_test_add_func ("/srtp/key-base64", test_key_base64);
  g_test_add_func ("/srtp/redaction", test_redaction);
  g_test_add_func ("/srtp/threads", test_threads);
  return g_test_run ();
}
