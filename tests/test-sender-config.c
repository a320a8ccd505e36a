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

#include <string.h>

#include "artic-sender.h"

static void
test_parse_bitrate (void)
{
  guint kbps = 0;
  GError *error = NULL;
  const gchar *bad[]
      = { "", "abc", "-5", "0", "5", "1e9", "800x", "nan", "inf", "100000000" };
  guint i;

  g_assert_true (artic_sender_parse_bitrate ("800", &kbps, NULL));
  g_assert_cmpuint (kbps, ==, 800);
  g_assert_true (artic_sender_parse_bitrate ("200k", &kbps, NULL));
  g_assert_cmpuint (kbps, ==, 200);
  g_assert_true (artic_sender_parse_bitrate ("1.5M", &kbps, NULL));
  g_assert_cmpuint (kbps, ==, 1500);
  g_assert_true (artic_sender_parse_bitrate ("3150kbps", &kbps, NULL));
  g_assert_cmpuint (kbps, ==, 3150);
  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    kbps = 77;
    g_assert_false (artic_sender_parse_bitrate (bad[i], &kbps, &error));
    g_assert_error (error, ARTIC_SENDER_ERROR, ARTIC_SENDER_ERROR_INVALID);
    g_assert_cmpuint (kbps, ==, 77);
    g_clear_error (&error);
  }
}

static void
test_parse_size (void)
{
  guint w = 0, h = 0;
  const gchar *bad[] = { "", "640", "640x", "x480", "641x480", "0x0",
    "99999x480", "640x480x3", "-640x480", "axb" };
  guint i;

  g_assert_true (artic_sender_parse_size ("1280x720", &w, &h, NULL));
  g_assert_cmpuint (w, ==, 1280);
  g_assert_cmpuint (h, ==, 720);
  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (artic_sender_parse_size (bad[i], &w, &h, NULL));
}

static void
expect_invalid (ArticSenderConfig *config, const gchar *fragment)
{
  GError *error = NULL;

  g_assert_false (artic_sender_config_validate (config, &error));
  g_assert_error (error, ARTIC_SENDER_ERROR, ARTIC_SENDER_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, fragment));
  g_clear_error (&error);
  artic_sender_config_clear (config);
  artic_sender_config_init (config);
}

static void
test_validate (void)
{
  ArticSenderConfig config;

  artic_sender_config_init (&config);
  g_assert_true (artic_sender_config_validate (&config, NULL));

  config.source_kind = ARTIC_SOURCE_FILE;
  g_free (config.source);
  config.source = g_strdup ("/nonexistent/clip.mp4");
  expect_invalid (&config, "does not exist");

  config.source_kind = ARTIC_SOURCE_FILE;
  g_free (config.source);
  config.source = g_strdup ("/");
  expect_invalid (&config, "directory");

  g_free (config.source);
  config.source = g_strdup ("no-such-pattern");
  expect_invalid (&config, "unknown test pattern");

  g_free (config.codec);
  config.codec = g_strdup ("mpeg2");
  expect_invalid (&config, "unknown codec");

  config.bitrate_kbps = 0;
  expect_invalid (&config, "bitrate");

  config.fps = 1000;
  expect_invalid (&config, "frame rate");

  config.port = 70000;
  expect_invalid (&config, "port");

  g_free (config.host);
  config.host = g_strdup ("not an address");
  expect_invalid (&config, "not an IP address");

  config.duration_s = -1;
  expect_invalid (&config, "duration");

  config.mtu = 10;
  expect_invalid (&config, "MTU");

  artic_sender_config_clear (&config);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sender-config/parse-bitrate", test_parse_bitrate);
  g_test_add_func ("/sender-config/parse-size", test_parse_size);
  g_test_add_func ("/sender-config/validate", test_validate);
  return g_test_run ();
}
