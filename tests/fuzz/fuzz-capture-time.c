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

/* libFuzzer harness: abs-capture-time extension data from the network. */

#include "artic-capture-time.h"

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
LLVMFuzzerTestOneInput (const guint8 *data, gsize size)
{
  guint64 unix_ns;
  guint8 again[ARTIC_ABS_CAPTURE_TIME_SIZE];
  guint64 round_trip;

  if (!artic_capture_time_read (data, size, &unix_ns))
    return 0;
  /* Whatever was read writes back and reads as the same time (+-1 ns). */
  g_assert (artic_capture_time_write (unix_ns, again, sizeof (again))
            == ARTIC_ABS_CAPTURE_TIME_SIZE);
  g_assert (artic_capture_time_read (again, sizeof (again), &round_trip));
  g_assert (round_trip + 1 >= unix_ns && round_trip <= unix_ns + 1);
  return 0;
}
