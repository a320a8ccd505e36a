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

#ifndef __ARTIC_CAPTURE_TIME_H__
#define __ARTIC_CAPTURE_TIME_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* The capture time of a frame travels as a GstReferenceTimestampMeta whose
 * reference is this caps string: nanoseconds since the Unix epoch. */
#define ARTIC_CAPTURE_TIME_REFERENCE "timestamp/x-unix"

/* WebRTC's absolute capture time header extension. */
#define ARTIC_ABS_CAPTURE_TIME_URI \
  "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time"

/* Wire size of the extension without the optional clock offset. */
#define ARTIC_ABS_CAPTURE_TIME_SIZE 8
/* Wire size with the estimated capture clock offset. */
#define ARTIC_ABS_CAPTURE_TIME_SIZE_WITH_OFFSET 16

/* Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
#define ARTIC_NTP_UNIX_OFFSET_S G_GUINT64_CONSTANT (2208988800)

guint64 artic_capture_time_unix_ns_to_ntp (guint64 unix_ns);
guint64 artic_capture_time_ntp_to_unix_ns (guint64 ntp);

gsize artic_capture_time_write (guint64 unix_ns, guint8 *data, gsize size);
gboolean artic_capture_time_read (
    const guint8 *data, gsize size, guint64 *unix_ns);

void artic_capture_time_set (GstBuffer *buffer, guint64 unix_ns);
gboolean artic_capture_time_get (GstBuffer *buffer, guint64 *unix_ns);

G_END_DECLS

#endif /* __ARTIC_CAPTURE_TIME_H__ */
