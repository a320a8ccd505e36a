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

/* Interop with GStreamer's srtpenc/srtpdec (the same system libsrtp2):
 * what srtpenc protects, an artic inbound session accepts, and what an
 * artic outbound session protects, srtpdec accepts - RTP and RTCP, for
 * AES-CM-128/HMAC-SHA1-80 and AEAD AES-GCM-128, with the same keys. */

#include <string.h>

#include <gst/gst.h>
#include <gst/check/gstharness.h>

#include "artic-srtp.h"

#define SSRC 0x11223344u
#define PAYLOAD_LEN 160

typedef struct
{
  ArticSrtpProfile profile;
  const gchar *cipher; /* GStreamer's names */
  const gchar *auth;
} Profile;

static const Profile profiles[] = {
  { ARTIC_SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, "aes-128-icm", "hmac-sha1-80" },
  { ARTIC_SRTP_PROFILE_AES_GCM_128, "aes-128-gcm", "null" },
};

static gsize
make_rtp (guint8 *buf, guint16 seq)
{
  guint i;

  memset (buf, 0, 12 + PAYLOAD_LEN + ARTIC_SRTP_MAX_TRAILER_LEN);
  buf[0] = 0x80;
  buf[1] = 96;
  buf[2] = seq >> 8;
  buf[3] = seq & 0xff;
  buf[7] = (guint8) (seq * 3);
  buf[8] = SSRC >> 24;
  buf[9] = (SSRC >> 16) & 0xff;
  buf[10] = (SSRC >> 8) & 0xff;
  buf[11] = SSRC & 0xff;
  for (i = 0; i < PAYLOAD_LEN; i++)
    buf[12 + i] = (guint8) (i ^ seq);
  return 12 + PAYLOAD_LEN;
}

/* A sender report (28 bytes): SSRC, NTP, RTP time, counts. */
static gsize
make_rtcp_sr (guint8 *buf, guint32 packets)
{
  memset (buf, 0, 28 + ARTIC_SRTP_MAX_TRAILER_LEN);
  buf[0] = 0x80;
  buf[1] = 200;
  buf[3] = 6;
  buf[4] = SSRC >> 24;
  buf[5] = (SSRC >> 16) & 0xff;
  buf[6] = (SSRC >> 8) & 0xff;
  buf[7] = SSRC & 0xff;
  buf[8] = 0xe0;
  buf[23] = (guint8) packets;
  buf[27] = 0x99;
  return 28;
}

static GstBuffer *
key_buffer (const ArticSrtpKey *key)
{
  return gst_buffer_new_memdup (key->bytes, key->length);
}

/* srtpenc refuses to start without its key, so it is configured before
 * the harness sets it playing. */
static GstHarness *
new_srtpenc (const Profile *p, const ArticSrtpKey *key, const gchar *sink,
    const gchar *src)
{
  GstElement *enc = gst_element_factory_make ("srtpenc", NULL);
  GstBuffer *kb = key_buffer (key);
  GstHarness *h;

  g_assert_nonnull (enc);
  g_object_set (enc, "key", kb, NULL);
  gst_buffer_unref (kb);
  gst_util_set_object_arg (G_OBJECT (enc), "rtp-cipher", p->cipher);
  gst_util_set_object_arg (G_OBJECT (enc), "rtp-auth", p->auth);
  gst_util_set_object_arg (G_OBJECT (enc), "rtcp-cipher", p->cipher);
  gst_util_set_object_arg (G_OBJECT (enc), "rtcp-auth", p->auth);
  h = gst_harness_new_with_element (enc, sink, src);
  gst_object_unref (enc);
  return h;
}

static GstCaps *
srtp_caps (const gchar *media, const Profile *p, const ArticSrtpKey *key)
{
  GstBuffer *kb = key_buffer (key);
  GstCaps *caps = gst_caps_new_simple (media, "ssrc", G_TYPE_UINT, SSRC,
      "srtp-key", GST_TYPE_BUFFER, kb, "srtp-cipher", G_TYPE_STRING, p->cipher,
      "srtp-auth", G_TYPE_STRING, p->auth, "srtcp-cipher", G_TYPE_STRING,
      p->cipher, "srtcp-auth", G_TYPE_STRING, p->auth, NULL);

  gst_buffer_unref (kb);
  return caps;
}

/* srtpenc -> artic inbound session. */
static void
test_srtpenc_to_artic (gconstpointer data)
{
  const Profile *p = data;
  ArticSrtpKey key;
  ArticSrtpSession *in;
  ArticSrtpStats stats;
  GstHarness *h, *hc;
  guint8 buf[512];
  guint16 seq;
  GError *error = NULL;

  g_assert_true (artic_srtp_key_generate (&key, p->profile, NULL));
  in = artic_srtp_session_new (ARTIC_SRTP_INBOUND, &key, 0, &error);
  g_assert_no_error (error);

  h = new_srtpenc (p, &key, "rtp_sink_0", "rtp_src_0");
  gst_harness_set_src_caps_str (h,
      "application/x-rtp, media=video, clock-rate=90000, "
      "encoding-name=VP8, payload=96, ssrc=(uint)287454020");
  for (seq = 100; seq < 110; seq++) {
    gsize len = make_rtp (buf, seq), olen;
    guint8 orig[512];
    GstBuffer *out;
    GstMapInfo map;

    memcpy (orig, buf, len);
    g_assert_cmpint (gst_harness_push (h, gst_buffer_new_memdup (buf, len)), ==,
        GST_FLOW_OK);
    out = gst_harness_pull (h);
    g_assert_nonnull (out);
    gst_buffer_map (out, &map, GST_MAP_READ);
    g_assert_cmpuint (map.size, >, len);
    g_assert_cmpuint (map.size, <=, sizeof (buf));
    memcpy (buf, map.data, map.size);
    g_assert_true (artic_srtp_unprotect (in, buf, map.size, &olen, &error));
    g_assert_no_error (error);
    g_assert_cmpmem (buf, olen, orig, len);
    gst_buffer_unmap (out, &map);
    gst_buffer_unref (out);
  }
  gst_harness_teardown (h);

  /* SRTCP through the RTCP pads of another srtpenc with the same key. */
  hc = new_srtpenc (p, &key, "rtcp_sink_0", "rtcp_src_0");
  gst_harness_set_src_caps_str (hc, "application/x-rtcp");
  {
    gsize len = make_rtcp_sr (buf, 10), olen;
    guint8 orig[64];
    GstBuffer *out;
    GstMapInfo map;

    memcpy (orig, buf, len);
    g_assert_cmpint (gst_harness_push (hc, gst_buffer_new_memdup (buf, len)),
        ==, GST_FLOW_OK);
    out = gst_harness_pull (hc);
    gst_buffer_map (out, &map, GST_MAP_READ);
    memcpy (buf, map.data, map.size);
    g_assert_true (
        artic_srtp_unprotect_rtcp (in, buf, map.size, &olen, &error));
    g_assert_no_error (error);
    g_assert_cmpmem (buf, olen, orig, len);
    gst_buffer_unmap (out, &map);
    gst_buffer_unref (out);
  }
  gst_harness_teardown (hc);

  artic_srtp_session_get_stats (in, &stats);
  g_assert_cmpuint (stats.rtp_ok, ==, 10);
  g_assert_cmpuint (stats.rtcp_ok, ==, 1);
  artic_srtp_session_free (in);
  artic_srtp_key_clear (&key);
}

/* artic outbound session -> srtpdec. A tampered packet is dropped. */
static void
test_artic_to_srtpdec (gconstpointer data)
{
  const Profile *p = data;
  ArticSrtpKey key;
  ArticSrtpSession *out;
  GstHarness *h, *hc;
  GstCaps *caps;
  guint8 buf[512], orig[512];
  gsize len, plen;
  guint16 seq;
  GError *error = NULL;

  g_assert_true (artic_srtp_key_generate (&key, p->profile, NULL));
  out = artic_srtp_session_new (ARTIC_SRTP_OUTBOUND, &key, 0, &error);
  g_assert_no_error (error);

  h = gst_harness_new_with_padnames ("srtpdec", "rtp_sink", "rtp_src");
  caps = srtp_caps ("application/x-srtp", p, &key);
  gst_harness_set_src_caps (h, caps);
  for (seq = 7; seq < 17; seq++) {
    GstBuffer *dec;

    len = make_rtp (buf, seq);
    memcpy (orig, buf, len);
    g_assert_true (
        artic_srtp_protect (out, buf, len, sizeof (buf), &plen, &error));
    g_assert_no_error (error);
    if (seq == 12)
      buf[plen - 2] ^= 0x10; /* tampered: srtpdec must drop it */
    g_assert_cmpint (gst_harness_push (h, gst_buffer_new_memdup (buf, plen)),
        ==, GST_FLOW_OK);
    dec = gst_harness_try_pull (h);
    if (seq == 12) {
      g_assert_null (dec);
      continue;
    }
    g_assert_nonnull (dec);
    g_assert_cmpuint (gst_buffer_get_size (dec), ==, len);
    g_assert_cmpint (gst_buffer_memcmp (dec, 0, orig, len), ==, 0);
    gst_buffer_unref (dec);
  }
  gst_harness_teardown (h);

  hc = gst_harness_new_with_padnames ("srtpdec", "rtcp_sink", "rtcp_src");
  /* The harness took the first caps. */
  gst_harness_set_src_caps (hc, srtp_caps ("application/x-srtcp", p, &key));
  {
    GstBuffer *dec;

    len = make_rtcp_sr (buf, 9);
    memcpy (orig, buf, len);
    g_assert_true (
        artic_srtp_protect_rtcp (out, buf, len, sizeof (buf), &plen, &error));
    g_assert_no_error (error);
    g_assert_cmpint (gst_harness_push (hc, gst_buffer_new_memdup (buf, plen)),
        ==, GST_FLOW_OK);
    dec = gst_harness_try_pull (hc);
    g_assert_nonnull (dec);
    g_assert_cmpuint (gst_buffer_get_size (dec), ==, len);
    g_assert_cmpint (gst_buffer_memcmp (dec, 0, orig, len), ==, 0);
    gst_buffer_unref (dec);
  }
  gst_harness_teardown (hc);

  artic_srtp_session_free (out);
  artic_srtp_key_clear (&key);
}

int
main (int argc, char **argv)
{
  guint i;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  for (i = 0; i < G_N_ELEMENTS (profiles); i++) {
    gchar *name;

    name = g_strdup_printf (
        "/srtp-interop/srtpenc-to-artic/%s", profiles[i].cipher);
    g_test_add_data_func (name, &profiles[i], test_srtpenc_to_artic);
    g_free (name);
    name = g_strdup_printf (
        "/srtp-interop/artic-to-srtpdec/%s", profiles[i].cipher);
    g_test_add_data_func (name, &profiles[i], test_artic_to_srtpdec);
    g_free (name);
  }
  return g_test_run ();
}
