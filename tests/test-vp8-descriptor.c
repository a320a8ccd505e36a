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

#include "artic-vp8-descriptor.h"

static void
test_minimal_descriptor (void)
{
  /* S=1, PID=0, then a key frame's first byte (P=0). */
  const guint8 payload[] = { 0x10, 0x50, 0x00 };
  ArticVp8Descriptor d;

  g_assert_true (artic_vp8_descriptor_parse (payload, sizeof (payload), &d));
  g_assert_true (d.starts_frame);
  g_assert_true (d.is_keyframe);
  g_assert_false (d.has_picture_id);
  g_assert_cmpuint (d.header_size, ==, 1);
}

static void
test_fifteen_bit_picture_id (void)
{
  /* X=1 S=1; I=1; M=1 picture id 0x1234; inter frame (P=1). */
  const guint8 payload[] = { 0x90, 0x80, 0x92, 0x34, 0x01, 0xff };
  ArticVp8Descriptor d;

  g_assert_true (artic_vp8_descriptor_parse (payload, sizeof (payload), &d));
  g_assert_true (d.has_picture_id);
  g_assert_cmpuint (d.picture_id, ==, 0x1234);
  g_assert_cmpuint (d.picture_id_bits, ==, 15);
  g_assert_cmpuint (d.header_size, ==, 4);
  g_assert_true (d.starts_frame);
  g_assert_false (d.is_keyframe);
}

static void
test_all_extensions (void)
{
  /* X, N; I (7-bit id 0x55), L (tl0 9), T/K byte; continuation packet. */
  const guint8 payload[] = { 0xa0, 0xf0, 0x55, 0x09, 0x40, 0xaa };
  ArticVp8Descriptor d;

  g_assert_true (artic_vp8_descriptor_parse (payload, sizeof (payload), &d));
  g_assert_true (d.non_reference);
  g_assert_cmpuint (d.picture_id, ==, 0x55);
  g_assert_cmpuint (d.picture_id_bits, ==, 7);
  g_assert_true (d.has_tl0picidx);
  g_assert_cmpuint (d.tl0picidx, ==, 9);
  g_assert_cmpuint (d.header_size, ==, 5);
  g_assert_false (d.starts_frame);
}

static void
test_truncated (void)
{
  const guint8 payload[] = { 0x90, 0x80, 0x92, 0x34, 0x01 };
  ArticVp8Descriptor d;
  gsize size;

  /* Every prefix that ends inside the descriptor, or right after it, is
   * rejected. */
  for (size = 0; size < 5; size++)
    g_assert_false (artic_vp8_descriptor_parse (payload, size, &d));
  g_assert_false (artic_vp8_descriptor_parse (NULL, 10, &d));
}

static void
test_random_garbage_is_safe (void)
{
  GRand *rand = g_rand_new_with_seed (7);
  guint8 payload[16];
  ArticVp8Descriptor d;
  guint i, j;

  for (i = 0; i < 100000; i++) {
    gsize size = g_rand_int_range (rand, 0, sizeof (payload) + 1);

    for (j = 0; j < size; j++)
      payload[j] = g_rand_int (rand) & 0xff;
    if (artic_vp8_descriptor_parse (payload, size, &d))
      g_assert_cmpuint (d.header_size, <, size);
  }
  g_rand_free (rand);
}

static void
test_picture_id_gap (void)
{
  g_assert_cmpuint (artic_vp8_descriptor_picture_id_gap (10, 11, 15), ==, 0);
  g_assert_cmpuint (artic_vp8_descriptor_picture_id_gap (10, 14, 15), ==, 3);
  g_assert_cmpuint (artic_vp8_descriptor_picture_id_gap (32767, 0, 15), ==, 0);
  g_assert_cmpuint (artic_vp8_descriptor_picture_id_gap (32766, 1, 15), ==, 2);
  g_assert_cmpuint (artic_vp8_descriptor_picture_id_gap (127, 0, 7), ==, 0);
  /* A repeated id (retransmitted start) is no loss. */
  g_assert_cmpuint (artic_vp8_descriptor_picture_id_gap (5, 5, 15), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vp8-descriptor/minimal", test_minimal_descriptor);
  g_test_add_func (
      "/vp8-descriptor/15-bit-picture-id", test_fifteen_bit_picture_id);
  g_test_add_func ("/vp8-descriptor/all-extensions", test_all_extensions);
  g_test_add_func ("/vp8-descriptor/truncated", test_truncated);
  g_test_add_func (
      "/vp8-descriptor/random-garbage", test_random_garbage_is_safe);
  g_test_add_func ("/vp8-descriptor/picture-id-gap", test_picture_id_gap);
  return g_test_run ();
}
