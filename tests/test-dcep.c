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

/* DCEP (RFC 8832) encode/parse against hand-assembled bytes, round trips
 * for every channel type, malformed inputs, and the RFC 8831 PPIDs. */

#include <string.h>

#include "artic-dcep.h"

/* OPEN, partial reliable rexmit unordered, priority 512, 3 retransmits,
 * label "ctx", protocol "artic/1" - assembled by hand from RFC 8832 5.1. */
static const guint8 open_vector[]
    = { 0x03, 0x81, 0x02, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x03, 0x00, 0x07,
        'c', 't', 'x', 'a', 'r', 't', 'i', 'c', '/', '1' };

static void
assert_parse_fails (const guint8 *data, gsize length, gint code)
{
  ArticDcepOpen open;
  GError *error = NULL;

  g_assert_false (artic_dcep_open_parse (data, length, &open, &error));
  g_assert_error (error, ARTIC_DCEP_ERROR, code);
  g_assert_null (open.label);
  g_assert_null (open.protocol);
  g_error_free (error);
}

static void
test_open_vector (void)
{
  ArticDcepOpen open = { ARTIC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED,
    ARTIC_DCEP_PRIORITY_HIGH, 3, (gchar *) "ctx", (gchar *) "artic/1" };
  ArticDcepOpen parsed;
  ArticDcepMessageType type;
  GBytes *bytes;
  GError *error = NULL;
  gsize len;
  const guint8 *data;

  bytes = artic_dcep_open_encode (&open, &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (bytes, &len);
  g_assert_cmpmem (data, len, open_vector, sizeof (open_vector));
  g_bytes_unref (bytes);

  g_assert_true (
      artic_dcep_message_type (open_vector, sizeof (open_vector), &type, NULL));
  g_assert_cmpint (type, ==, ARTIC_DCEP_MESSAGE_OPEN);
  g_assert_true (artic_dcep_open_parse (
      open_vector, sizeof (open_vector), &parsed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (parsed.channel_type, ==,
      ARTIC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED);
  g_assert_cmpuint (parsed.priority, ==, 512);
  g_assert_cmpuint (parsed.reliability, ==, 3);
  g_assert_cmpstr (parsed.label, ==, "ctx");
  g_assert_cmpstr (parsed.protocol, ==, "artic/1");
  g_assert_false (artic_dcep_channel_is_ordered (parsed.channel_type));
  g_assert_false (artic_dcep_channel_is_reliable (parsed.channel_type));
  artic_dcep_open_clear (&parsed);
  g_assert_null (parsed.label);
}

static void
test_open_round_trips (void)
{
  static const ArticDcepChannelType types[] = {
    ARTIC_DCEP_CHANNEL_RELIABLE,
    ARTIC_DCEP_CHANNEL_RELIABLE_UNORDERED,
    ARTIC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT,
    ARTIC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED,
    ARTIC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED,
    ARTIC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED,
  };
  static const gchar *labels[] = { "", "context", "√ünïcødé label 🎥" };
  guint t, l;

  for (t = 0; t < G_N_ELEMENTS (types); t++) {
    for (l = 0; l < G_N_ELEMENTS (labels); l++) {
      ArticDcepOpen open = { types[t], (guint16) (t * 100 + l), 0xdeadbeef,
        (gchar *) labels[l], l == 0 ? NULL : (gchar *) "artic-context/1" };
      ArticDcepOpen parsed;
      GBytes *bytes = artic_dcep_open_encode (&open, NULL);
      gsize len;
      const guint8 *data = g_bytes_get_data (bytes, &len);

      g_assert_cmpuint (len, ==,
          12 + strlen (labels[l]) + (l == 0 ? 0 : strlen ("artic-context/1")));
      g_assert_true (artic_dcep_open_parse (data, len, &parsed, NULL));
      g_assert_cmpint (parsed.channel_type, ==, types[t]);
      g_assert_cmpuint (parsed.priority, ==, t * 100 + l);
      /* Reliable channels send and read 0 (RFC 8832 5.1). */
      g_assert_cmpuint (parsed.reliability, ==,
          artic_dcep_channel_is_reliable (types[t]) ? 0 : 0xdeadbeef);
      g_assert_cmpuint (data[4] | data[5] | data[6] | data[7], ==,
          artic_dcep_channel_is_reliable (types[t]) ? 0 : 0xff);
      g_assert_cmpstr (parsed.label, ==, labels[l]);
      g_assert_cmpstr (parsed.protocol, ==, l == 0 ? "" : "artic-context/1");
      g_assert_cmpint (
          artic_dcep_channel_is_ordered (types[t]), ==, (types[t] & 0x80) == 0);
      artic_dcep_open_clear (&parsed);
      g_bytes_unref (bytes);
    }
  }
}

static void
test_open_malformed (void)
{
  guint8 buf[64];
  gsize i;
  GError *error = NULL;
  ArticDcepOpen bad = { 0x05, 0, 0, NULL, NULL };
  GString *huge;

  /* Every truncation of the vector. */
  for (i = 0; i < sizeof (open_vector); i++)
    assert_parse_fails (open_vector, i, ARTIC_DCEP_ERROR_TRUNCATED);
  assert_parse_fails (NULL, 0, ARTIC_DCEP_ERROR_TRUNCATED);

  /* Trailing byte. */
  memcpy (buf, open_vector, sizeof (open_vector));
  buf[sizeof (open_vector)] = 'x';
  assert_parse_fails (buf, sizeof (open_vector) + 1, ARTIC_DCEP_ERROR_TRAILING);

  /* Wrong message type, unknown channel types. */
  memcpy (buf, open_vector, sizeof (open_vector));
  buf[0] = 0x02;
  assert_parse_fails (buf, sizeof (open_vector), ARTIC_DCEP_ERROR_MESSAGE_TYPE);
  for (i = 0; i < 256; i++) {
    memcpy (buf, open_vector, sizeof (open_vector));
    buf[1] = (guint8) i;
    if (!artic_dcep_channel_type_is_valid (buf[1]))
      assert_parse_fails (
          buf, sizeof (open_vector), ARTIC_DCEP_ERROR_CHANNEL_TYPE);
  }

  /* Label length pointing past the end (0xffff). */
  memcpy (buf, open_vector, sizeof (open_vector));
  buf[8] = 0xff;
  buf[9] = 0xff;
  assert_parse_fails (buf, sizeof (open_vector), ARTIC_DCEP_ERROR_TRUNCATED);

  /* Invalid UTF-8 and an embedded NUL. */
  memcpy (buf, open_vector, sizeof (open_vector));
  buf[12] = 0xc3;
  buf[13] = 0x28;
  assert_parse_fails (buf, sizeof (open_vector), ARTIC_DCEP_ERROR_STRING);
  memcpy (buf, open_vector, sizeof (open_vector));
  buf[16] = '\0';
  assert_parse_fails (buf, sizeof (open_vector), ARTIC_DCEP_ERROR_STRING);

  /* Encoding refuses what it could not send. */
  g_assert_null (artic_dcep_open_encode (&bad, &error));
  g_assert_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_CHANNEL_TYPE);
  g_clear_error (&error);
  bad.channel_type = ARTIC_DCEP_CHANNEL_RELIABLE;
  bad.label = (gchar *) "\xff\xfe";
  g_assert_null (artic_dcep_open_encode (&bad, &error));
  g_assert_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_STRING);
  g_clear_error (&error);
  huge = g_string_new (NULL);
  for (i = 0; i < 65536; i++)
    g_string_append_c (huge, 'a');
  bad.label = huge->str;
  g_assert_null (artic_dcep_open_encode (&bad, &error));
  g_assert_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_TOO_LONG);
  g_clear_error (&error);
  /* 65535 bytes is the limit and still fine. */
  g_string_truncate (huge, 65535);
  bad.label = huge->str;
  {
    GBytes *bytes = artic_dcep_open_encode (&bad, &error);
    ArticDcepOpen parsed;
    gsize len;
    const guint8 *data = g_bytes_get_data (bytes, &len);

    g_assert_no_error (error);
    g_assert_true (artic_dcep_open_parse (data, len, &parsed, NULL));
    g_assert_cmpuint (strlen (parsed.label), ==, 65535);
    artic_dcep_open_clear (&parsed);
    g_bytes_unref (bytes);
  }
  g_string_free (huge, TRUE);
}

static void
test_ack (void)
{
  GBytes *ack = artic_dcep_ack_encode ();
  gsize len;
  const guint8 *data = g_bytes_get_data (ack, &len);
  const guint8 two[] = { 0x02, 0x00 }, other = 0x04;
  ArticDcepMessageType type;
  GError *error = NULL;

  g_assert_cmpuint (len, ==, 1);
  g_assert_cmpuint (data[0], ==, 0x02);
  g_assert_true (artic_dcep_ack_parse (data, len, &error));
  g_assert_no_error (error);
  g_assert_true (artic_dcep_message_type (data, len, &type, NULL));
  g_assert_cmpint (type, ==, ARTIC_DCEP_MESSAGE_ACK);
  g_bytes_unref (ack);

  g_assert_false (artic_dcep_ack_parse (two, 2, &error));
  g_assert_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_TRAILING);
  g_clear_error (&error);
  g_assert_false (artic_dcep_ack_parse (two, 0, &error));
  g_assert_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_TRUNCATED);
  g_clear_error (&error);
  g_assert_false (artic_dcep_ack_parse (open_vector, 1, &error));
  g_assert_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_MESSAGE_TYPE);
  g_clear_error (&error);
  g_assert_false (artic_dcep_message_type (&other, 1, &type, &error));
  g_assert_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_MESSAGE_TYPE);
  g_clear_error (&error);
  g_assert_false (artic_dcep_message_type (NULL, 0, &type, &error));
  g_assert_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_TRUNCATED);
  g_clear_error (&error);
}

static void
test_ppids (void)
{
  gboolean is_string = FALSE, is_empty = FALSE;
  guint32 ppid;

  /* RFC 8831 section 8. */
  g_assert_cmpuint (ARTIC_DCEP_PPID_DCEP, ==, 50);
  g_assert_cmpuint (artic_dcep_ppid_for_message (TRUE, 5), ==, 51);
  g_assert_cmpuint (artic_dcep_ppid_for_message (FALSE, 5), ==, 53);
  g_assert_cmpuint (artic_dcep_ppid_for_message (TRUE, 0), ==, 56);
  g_assert_cmpuint (artic_dcep_ppid_for_message (FALSE, 0), ==, 57);

  g_assert_true (artic_dcep_ppid_is_user_message (56, &is_string, &is_empty));
  g_assert_true (is_string && is_empty);
  g_assert_true (artic_dcep_ppid_is_user_message (57, &is_string, &is_empty));
  g_assert_true (!is_string && is_empty);
  g_assert_true (artic_dcep_ppid_is_user_message (51, &is_string, &is_empty));
  g_assert_true (is_string && !is_empty);
  g_assert_true (artic_dcep_ppid_is_user_message (53, &is_string, &is_empty));
  g_assert_true (!is_string && !is_empty);
  for (ppid = 0; ppid < 100; ppid++)
    if (ppid != 51 && ppid != 53 && ppid != 56 && ppid != 57)
      g_assert_false (artic_dcep_ppid_is_user_message (ppid, NULL, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dcep/open-vector", test_open_vector);
  g_test_add_func ("/dcep/open-round-trips", test_open_round_trips);
  g_test_add_func ("/dcep/open-malformed", test_open_malformed);
  g_test_add_func ("/dcep/ack", test_ack);
  g_test_add_func ("/dcep/ppids", test_ppids);
  return g_test_run ();
}
