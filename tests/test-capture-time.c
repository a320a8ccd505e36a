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

#include "artic-capture-time.h"

static void
test_ntp_round_trip (void)
{
  /* From 1970 across the 2036 NTP wrap to 2100. */
  guint64 samples[]
      = { 0, 1, 999999999, 1000000000, G_GUINT64_CONSTANT (1795756947857475123),
          G_GUINT64_CONSTANT (2085978495) * GST_SECOND + 999999999,
          G_GUINT64_CONSTANT (2085978496) * GST_SECOND,
          G_GUINT64_CONSTANT (4102444800) * GST_SECOND };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (samples); i++) {
    guint64 ntp = artic_capture_time_unix_ns_to_ntp (samples[i]);
    guint64 back = artic_capture_time_ntp_to_unix_ns (ntp);
    gint64 error = (gint64) back - (gint64) samples[i];

    g_assert_cmpint (ABS (error), <=, 1);
  }
  /* The Unix epoch is NTP second 2208988800, fraction 0. */
  g_assert_cmphex (
      artic_capture_time_unix_ns_to_ntp (0), ==, ARTIC_NTP_UNIX_OFFSET_S << 32);
  /* Half a second is fraction 2^31. */
  g_assert_cmphex (
      artic_capture_time_unix_ns_to_ntp (GST_SECOND / 2) & G_MAXUINT32, ==,
      G_GUINT64_CONSTANT (0x80000000));
}

static void
test_wire_format (void)
{
  guint8 data[16] = { 0 };
  guint64 unix_ns = G_GUINT64_CONSTANT (1700000000) * GST_SECOND + 250000000;
  guint64 read_ns = 0;

  g_assert_cmpuint (artic_capture_time_write (unix_ns, data, 7), ==, 0);
  g_assert_cmpuint (artic_capture_time_write (unix_ns, data, 8), ==, 8);
  /* Big endian: seconds 1700000000 + 2208988800 = 0xE8FD9B80 (approx). */
  g_assert_cmphex (GST_READ_UINT32_BE (data), ==,
      (guint32) (1700000000 + ARTIC_NTP_UNIX_OFFSET_S));
  g_assert_cmphex (GST_READ_UINT32_BE (data + 4), ==, 0x40000000);
  g_assert_true (artic_capture_time_read (data, 8, &read_ns));
  g_assert_cmpuint (read_ns, ==, unix_ns);
  /* The 16-byte form (with clock offset) reads the same timestamp. */
  g_assert_true (artic_capture_time_read (data, 16, &read_ns));
  g_assert_cmpuint (read_ns, ==, unix_ns);
}

static void
test_malformed (void)
{
  guint8 data[16] = { 0 };
  guint64 read_ns = 42;
  gsize size;

  for (size = 0; size <= sizeof (data); size++) {
    if (size == 8 || size == 16)
      continue;
    g_assert_false (artic_capture_time_read (data, size, &read_ns));
  }
  g_assert_cmpuint (read_ns, ==, 42);
  /* 1969 (found by the fuzzer): before the Unix epoch, rejected. */
  {
    const guint8 before_epoch[8] = { 0x80, 0x01, 0, 0, 0x26, 0, 0, 0 };

    g_assert_false (artic_capture_time_read (before_epoch, 8, &read_ns));
    g_assert_cmpuint (read_ns, ==, 42);
  }
  /* All zeros is the start of NTP era 1: 2036-02-07 06:28:16 UTC. */
  g_assert_true (artic_capture_time_read (data, 8, &read_ns));
  g_assert_cmpuint (read_ns, ==, G_GUINT64_CONSTANT (2085978496) * GST_SECOND);
}

static void
test_buffer_meta (void)
{
  GstBuffer *buffer = gst_buffer_new ();
  guint64 value = 0;
  guint n_metas = 0;
  gpointer state = NULL;

  g_assert_false (artic_capture_time_get (buffer, &value));
  artic_capture_time_set (buffer, 123456789);
  g_assert_true (artic_capture_time_get (buffer, &value));
  g_assert_cmpuint (value, ==, 123456789);
  /* Setting again replaces rather than stacking a second meta. */
  artic_capture_time_set (buffer, 987654321);
  g_assert_true (artic_capture_time_get (buffer, &value));
  g_assert_cmpuint (value, ==, 987654321);
  while (gst_buffer_iterate_meta (buffer, &state))
    n_metas++;
  g_assert_cmpuint (n_metas, ==, 1);
  gst_buffer_unref (buffer);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/capture-time/ntp-round-trip", test_ntp_round_trip);
  g_test_add_func ("/capture-time/wire-format", test_wire_format);
  g_test_add_func ("/capture-time/malformed", test_malformed);
  g_test_add_func ("/capture-time/buffer-meta", test_buffer_meta);
  return g_test_run ();
}
