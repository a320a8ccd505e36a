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

/* Signaling messages: offer/answer round trips, invalid and hostile
 * messages, redaction of keys, bearer token checks. */

#include <string.h>

#include "artic-signal.h"

static ArticSignalMessage *
make_offer (ArticSrtpProfile profile)
{
  ArticSignalMessage *m = artic_signal_message_new (ARTIC_SIGNAL_OFFER);

  g_assert_true (artic_srtp_key_generate (&m->key, profile, NULL));
  m->session = g_strdup ("s-7f3a9c21");
  m->ssrcs[0] = 305419896;
  m->ssrcs[1] = G_MAXUINT32;
  m->n_ssrcs = 2;
  m->address = g_strdup ("127.0.0.1");
  m->port = 5004;
  return m;
}

static void
assert_fails (const gchar *json, gint code)
{
  GError *error = NULL;
  ArticSignalMessage *m = artic_signal_parse (json, strlen (json), &error);

  if (m != NULL)
    g_error ("parsed but should fail (%d): %s", code, json);
  g_assert_error (error, ARTIC_SIGNAL_ERROR, code);
  g_error_free (error);
}

static void
test_round_trip (void)
{
  ArticSrtpProfile profiles[] = { ARTIC_SRTP_PROFILE_AES_GCM_128,
    ARTIC_SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80 };
  guint p;

  for (p = 0; p < G_N_ELEMENTS (profiles); p++) {
    ArticSignalMessage *m = make_offer (profiles[p]), *back;
    GError *error = NULL;
    gchar *json, *json2;
    gsize len, len2;

    if (p == 1) {
      m->type = ARTIC_SIGNAL_ANSWER;
      g_free (m->address);
      m->address = g_strdup ("::1");
    }
    json = artic_signal_encode (m, &len, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (strlen (json), ==, len);
    back = artic_signal_parse (json, len, &error);
    g_assert_no_error (error);
    g_assert_cmpint (back->type, ==, m->type);
    g_assert_cmpstr (back->session, ==, "s-7f3a9c21");
    g_assert_cmpint (back->key.profile, ==, profiles[p]);
    g_assert_cmpmem (
        back->key.bytes, back->key.length, m->key.bytes, m->key.length);
    g_assert_cmpuint (back->n_ssrcs, ==, 2);
    g_assert_cmpuint (back->ssrcs[1], ==, G_MAXUINT32);
    g_assert_cmpstr (back->address, ==, p ? "::1" : "127.0.0.1");
    g_assert_cmpuint (back->port, ==, 5004);
    json2 = artic_signal_encode (back, &len2, NULL);
    g_assert_cmpstr (json, ==, json2);
    artic_srtp_secret_free (json);
    artic_srtp_secret_free (json2);
    artic_signal_message_free (back);
    artic_signal_message_free (m);
  }
}

static void
test_documented_example (void)
{
  GError *error = NULL;
  const gchar *json
      = "{\"v\":1,\"type\":\"offer\",\"session\":\"s-7f3a9c21\","
        "\"srtp\":{\"profile\":\"AEAD_AES_128_GCM\","
        "\"key\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw==\"},"
        "\"ssrc\":[305419896],\"udp\":{\"address\":\"192.0.2.10\","
        "\"port\":5004},\"note\":\"unknown members are ignored\"}";
  ArticSignalMessage *m = artic_signal_parse (json, strlen (json), &error);
  gchar *desc;
  guint i;

  g_assert_no_error (error);
  g_assert_cmpuint (m->key.length, ==, 28);
  for (i = 0; i < 28; i++)
    g_assert_cmpuint (m->key.bytes[i], ==, i);
  desc = artic_signal_describe (m);
  g_assert_nonnull (strstr (desc, "key=[redacted]"));
  g_assert_null (strstr (desc, "AAECAwQF"));
  g_assert_nonnull (strstr (desc, "192.0.2.10:5004"));
  g_free (desc);
  artic_signal_message_free (m);
}

static void
test_invalid (void)
{
  const gchar *key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw==";
  gchar *json;
  GString *big;
  guint i;

#define OFFER(session, profile, k, ssrc, addr, port)                   \
  g_strdup_printf ("{\"v\":1,\"type\":\"offer\",\"session\":%s,"       \
                   "\"srtp\":{\"profile\":%s,\"key\":%s},\"ssrc\":%s," \
                   "\"udp\":{\"address\":%s,\"port\":%s}}",            \
      session, profile, k, ssrc, addr, port)
  struct
  {
    gchar *json;
    gint code;
  } cases[] = {
    { OFFER ("\"short\"", "\"AEAD_AES_128_GCM\"", "\"K\"", "[1]",
          "\"127.0.0.1\"", "5004"),
        ARTIC_SIGNAL_ERROR_FIELD },
    { OFFER ("\"has space 123\"", "\"AEAD_AES_128_GCM\"", "\"K\"", "[1]",
          "\"127.0.0.1\"", "5004"),
        ARTIC_SIGNAL_ERROR_FIELD },
    { OFFER ("\"s-7f3a9c21\"", "\"NULL_CIPHER\"", "\"K\"", "[1]",
          "\"127.0.0.1\"", "5004"),
        ARTIC_SIGNAL_ERROR_KEY },
    { OFFER ("\"s-7f3a9c21\"", "\"AES_CM_128_HMAC_SHA1_80\"", "\"K\"", "[1]",
          "\"127.0.0.1\"", "5004"),
        ARTIC_SIGNAL_ERROR_KEY }, /* a 28-byte key for a 30-byte profile */
    { OFFER ("\"s-7f3a9c21\"", "\"AEAD_AES_128_GCM\"", "42", "[1]",
          "\"127.0.0.1\"", "5004"),
        ARTIC_SIGNAL_ERROR_KEY },
    { OFFER ("\"s-7f3a9c21\"", "\"AEAD_AES_128_GCM\"", "\"K\"", "[]",
          "\"127.0.0.1\"", "5004"),
        ARTIC_SIGNAL_ERROR_FIELD },
    { OFFER ("\"s-7f3a9c21\"", "\"AEAD_AES_128_GCM\"", "\"K\"", "[1,1]",
          "\"127.0.0.1\"", "5004"),
        ARTIC_SIGNAL_ERROR_FIELD },
    { OFFER ("\"s-7f3a9c21\"", "\"AEAD_AES_128_GCM\"", "\"K\"", "[4294967296]",
          "\"127.0.0.1\"", "5004"),
        ARTIC_SIGNAL_ERROR_FIELD },
    { OFFER ("\"s-7f3a9c21\"", "\"AEAD_AES_128_GCM\"", "\"K\"", "[-1]",
          "\"127.0.0.1\"", "5004"),
        ARTIC_SIGNAL_ERROR_FIELD },
    { OFFER ("\"s-7f3a9c21\"", "\"AEAD_AES_128_GCM\"", "\"K\"",
          "[1,2,3,4,5,6,7,8,9]", "\"127.0.0.1\"", "5004"),
        ARTIC_SIGNAL_ERROR_FIELD },
    { OFFER ("\"s-7f3a9c21\"", "\"AEAD_AES_128_GCM\"", "\"K\"", "[1]",
          "\"example.com\"", "5004"),
        ARTIC_SIGNAL_ERROR_FIELD },
    { OFFER ("\"s-7f3a9c21\"", "\"AEAD_AES_128_GCM\"", "\"K\"", "[1]",
          "\"127.0.0.1\"", "0"),
        ARTIC_SIGNAL_ERROR_FIELD },
    { OFFER ("\"s-7f3a9c21\"", "\"AEAD_AES_128_GCM\"", "\"K\"", "[1]",
          "\"127.0.0.1\"", "65536"),
        ARTIC_SIGNAL_ERROR_FIELD },
    { OFFER ("\"s-7f3a9c21\"", "\"AEAD_AES_128_GCM\"", "\"K\"", "[1]",
          "\"127.0.0.1\"", "\"5004\""),
        ARTIC_SIGNAL_ERROR_FIELD },
    { g_strdup ("{\"v\":2,\"type\":\"offer\"}"), ARTIC_SIGNAL_ERROR_VERSION },
    { g_strdup ("{\"type\":\"offer\"}"), ARTIC_SIGNAL_ERROR_VERSION },
    { g_strdup ("{\"v\":1,\"type\":\"hangup\"}"), ARTIC_SIGNAL_ERROR_TYPE },
    { g_strdup ("[1]"), ARTIC_SIGNAL_ERROR_SYNTAX },
    { g_strdup ("{\"v\":1,"), ARTIC_SIGNAL_ERROR_SYNTAX },
    { g_strdup ("{\"a\":[[[[1]]]]}"), ARTIC_SIGNAL_ERROR_SYNTAX },
  };

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    /* "K" stands for a valid key in the cases above. */
    gchar **parts = g_strsplit (cases[i].json, "\"K\"", -1);
    gchar *quoted = g_strdup_printf ("\"%s\"", key);
    gchar *full = g_strjoinv (quoted, parts);

    assert_fails (full, cases[i].code);
    g_free (full);
    g_free (quoted);
    g_strfreev (parts);
    g_free (cases[i].json);
  }

  big = g_string_new ("{\"v\":1,\"type\":\"offer\",\"pad\":\"");
  for (i = 0; i < ARTIC_SIGNAL_MAX_MESSAGE_LEN; i++)
    g_string_append_c (big, 'x');
  g_string_append (big, "\"}");
  assert_fails (big->str, ARTIC_SIGNAL_ERROR_TOO_LARGE);
  g_string_free (big, TRUE);

  /* Errors about a bad key never quote it. */
  json = OFFER ("\"s-7f3a9c21\"", "\"AEAD_AES_128_GCM\"",
      "\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaG*==\"", "[1]", "\"127.0.0.1\"",
      "5004");
  {
    GError *error = NULL;

    g_assert_null (artic_signal_parse (json, strlen (json), &error));
    g_assert_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_KEY);
    g_assert_null (strstr (error->message, "AAECAwQF"));
    g_error_free (error);
  }
  g_free (json);
  /* Nor does a JSON syntax error next to it. */
  json = g_strdup ("{\"v\":1,\"srtp\":{\"key\":\"AAECAwQFBgcICQoL\" x}}");
  {
    GError *error = NULL;

    g_assert_null (artic_signal_parse (json, strlen (json), &error));
    g_assert_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_SYNTAX);
    g_assert_null (strstr (error->message, "AAECAwQF"));
    g_error_free (error);
  }
  g_free (json);
#undef OFFER
}

static void
test_encode_invalid (void)
{
  ArticSignalMessage *m = make_offer (ARTIC_SRTP_PROFILE_DEFAULT);
  GError *error = NULL;

  m->ssrcs[1] = m->ssrcs[0];
  g_assert_null (artic_signal_encode (m, NULL, &error));
  g_assert_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_FIELD);
  g_clear_error (&error);
  m->n_ssrcs = 1;
  g_free (m->address);
  m->address = g_strdup ("localhost\"}");
  g_assert_null (artic_signal_encode (m, NULL, &error));
  g_assert_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_FIELD);
  g_clear_error (&error);
  g_free (m->address);
  m->address = g_strdup ("10.0.0.1");
  g_free (m->session);
  m->session = g_strdup ("inject\",\"x\":\"");
  g_assert_null (artic_signal_encode (m, NULL, &error));
  g_assert_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_FIELD);
  g_clear_error (&error);
  artic_signal_message_free (m);
}

static void
test_bearer (void)
{
  GError *error = NULL;
  gchar *token = artic_signal_token_generate (&error), *other, *header;

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (token), ==, 43);
  g_assert_null (strpbrk (token, "+/="));
  other = artic_signal_token_generate (NULL);
  g_assert_cmpstr (token, !=, other);

  header = g_strdup_printf ("Bearer %s", token);
  g_assert_true (artic_signal_check_bearer (header, token, &error));
  g_assert_no_error (error);
  g_free (header);
  header = g_strdup_printf ("bearer %s", token);
  g_assert_true (artic_signal_check_bearer (header, token, NULL));
  g_free (header);

  /* Wrong token, prefix, extension, missing, other scheme. */
  header = g_strdup_printf ("Bearer %s", other);
  g_assert_false (artic_signal_check_bearer (header, token, &error));
  g_assert_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_AUTH);
  g_assert_null (strstr (error->message, other));
  g_assert_null (strstr (error->message, token));
  g_clear_error (&error);
  g_free (header);
  header = g_strdup_printf ("Bearer %.42s", token);
  g_assert_false (artic_signal_check_bearer (header, token, NULL));
  g_free (header);
  header = g_strdup_printf ("Bearer %sx", token);
  g_assert_false (artic_signal_check_bearer (header, token, NULL));
  g_free (header);
  header = g_strdup_printf ("Basic %s", token);
  g_assert_false (artic_signal_check_bearer (header, token, &error));
  g_assert_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_AUTH);
  g_clear_error (&error);
  g_free (header);
  g_assert_false (artic_signal_check_bearer (NULL, token, &error));
  g_clear_error (&error);
  g_assert_false (artic_signal_check_bearer ("Bearer ", token, NULL));
  /* A server with a weak token refuses everyone. */
  g_assert_false (artic_signal_check_bearer ("Bearer abc", "abc", &error));
  g_assert_error (error, ARTIC_SIGNAL_ERROR, ARTIC_SIGNAL_ERROR_AUTH);
  g_clear_error (&error);
  artic_srtp_secret_free (token);
  artic_srtp_secret_free (other);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/signal/round-trip", test_round_trip);
  g_test_add_func ("/signal/documented-example", test_documented_example);
  g_test_add_func ("/signal/invalid", test_invalid);
  g_test_add_func ("/signal/encode-invalid", test_encode_invalid);
  g_test_add_func ("/signal/bearer", test_bearer);
  return g_test_run ();
}
