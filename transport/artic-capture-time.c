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

/* Capture timestamps: how a frame's wall-clock capture time is carried on a
 * buffer (GstReferenceTimestampMeta) and on the wire (WebRTC abs-capture-time:
 * a 64-bit NTP timestamp, UQ32.32, big endian). */

#include "artic-capture-time.h"

#include <string.h>

static GstCaps *
artic_capture_time_reference_caps (void)
{
  static GstStaticCaps reference
      = GST_STATIC_CAPS (ARTIC_CAPTURE_TIME_REFERENCE);

  return gst_static_caps_get (&reference);
}

/* NTP seconds wrap in February 2036. A value with the top bit clear is read
 * as the next era (RFC 4330 section 3), which serves 1968 to 2104. */
#define ARTIC_NTP_ERA_SECONDS (G_GUINT64_CONSTANT (1) << 32)

guint64
artic_capture_time_unix_ns_to_ntp (guint64 unix_ns)
{
  guint64 seconds = (unix_ns / GST_SECOND + ARTIC_NTP_UNIX_OFFSET_S)
                    % ARTIC_NTP_ERA_SECONDS;
  guint64 rest_ns = unix_ns % GST_SECOND;
  /* Round to the nearest 2^-32 s so that a round trip is within 1 ns. */
  guint64 fraction = ((rest_ns << 32) + GST_SECOND / 2) / GST_SECOND;

  /* Rounding up into the next second could cross the end of the era; the
   * largest fraction is less than a nanosecond short of it. */
  return (seconds << 32) | MIN (fraction, G_MAXUINT32);
}

guint64
artic_capture_time_ntp_to_unix_ns (guint64 ntp)
{
  guint64 seconds = ntp >> 32;
  guint64 fraction = ntp & G_MAXUINT32;

  if (!(seconds & G_GUINT64_CONSTANT (0x80000000)))
    seconds += ARTIC_NTP_ERA_SECONDS;
  /* 1968-1970: representable in NTP, not in Unix time. */
  if (seconds < ARTIC_NTP_UNIX_OFFSET_S)
    return 0;
  seconds -= ARTIC_NTP_UNIX_OFFSET_S;
  /* Rounding stays inside the second, so that writing the time back gives
   * the same NTP second (the last second of an era included). */
  return seconds * GST_SECOND
         + MIN ((fraction * GST_SECOND + (1u << 31)) >> 32, GST_SECOND - 1);
}

/* Returns the number of bytes written, 0 if @size is too small. */
gsize
artic_capture_time_write (guint64 unix_ns, guint8 *data, gsize size)
{
  if (size < ARTIC_ABS_CAPTURE_TIME_SIZE)
    return 0;
  guint64 wire = GUINT64_TO_BE (artic_capture_time_unix_ns_to_ntp (unix_ns));

  /* memcpy: extension data in an RTP packet has no alignment. */
  memcpy (data, &wire, sizeof (wire));
  return ARTIC_ABS_CAPTURE_TIME_SIZE;
}

/* Accepts both wire forms (with and without the clock offset) and nothing
 * else. */
gboolean
artic_capture_time_read (const guint8 *data, gsize size, guint64 *unix_ns)
{
  guint64 ntp;

  if (size != ARTIC_ABS_CAPTURE_TIME_SIZE
      && size != ARTIC_ABS_CAPTURE_TIME_SIZE_WITH_OFFSET)
    return FALSE;
  memcpy (&ntp, data, sizeof (ntp));
  ntp = GUINT64_FROM_BE (ntp);
  if ((ntp >> 32) >= G_GUINT64_CONSTANT (0x80000000)
      && (ntp >> 32) < ARTIC_NTP_UNIX_OFFSET_S)
    return FALSE;
  *unix_ns = artic_capture_time_ntp_to_unix_ns (ntp);
  return TRUE;
}

/* Replaces any capture time already on the (writable) @buffer. */
void
artic_capture_time_set (GstBuffer *buffer, guint64 unix_ns)
{
  GstCaps *reference = artic_capture_time_reference_caps ();
  GstReferenceTimestampMeta *meta
      = gst_buffer_get_reference_timestamp_meta (buffer, reference);

  if (meta != NULL) {
    meta->timestamp = unix_ns;
  } else {
    gst_buffer_add_reference_timestamp_meta (
        buffer, reference, unix_ns, GST_CLOCK_TIME_NONE);
  }
  gst_caps_unref (reference);
}

gboolean
artic_capture_time_get (GstBuffer *buffer, guint64 *unix_ns)
{
  GstCaps *reference = artic_capture_time_reference_caps ();
  GstReferenceTimestampMeta *meta
      = gst_buffer_get_reference_timestamp_meta (buffer, reference);

  gst_caps_unref (reference);
  if (meta == NULL)
    return FALSE;
  *unix_ns = meta->timestamp;
  return TRUE;
}
