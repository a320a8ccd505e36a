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

#ifndef __ARTIC_FRAME_DUMP_H__
#define __ARTIC_FRAME_DUMP_H__

#include <glib.h>

G_BEGIN_DECLS

/* The encoded frames a sender really sent, with their capture times, in an
 * IVF file (the 32-byte "DKIF" header, then per frame a 12-byte header: size,
 * 64-bit timestamp, little endian). The timestamp is the frame's capture
 * time in microseconds since the Unix epoch (time base 1/1000000), the key
 * the receivers' logs use. loss-bench decodes the dump without loss to know
 * what each frame must look like (docs/loss-bench.md). */

#define ARTIC_FRAME_DUMP_ERROR (artic_frame_dump_error_quark ())
GQuark artic_frame_dump_error_quark (void);

typedef enum
{
  ARTIC_FRAME_DUMP_ERROR_IO,
  ARTIC_FRAME_DUMP_ERROR_FORMAT,
} ArticFrameDumpError;

/* Frames larger than this are refused when reading (a corrupt size field
 * must not make the reader allocate gigabytes). */
#define ARTIC_FRAME_DUMP_MAX_FRAME_BYTES (16 * 1024 * 1024)

typedef struct _ArticFrameDump ArticFrameDump;

typedef struct
{
  guint64 capture_us;
  GBytes *data;
} ArticDumpedFrame;

typedef struct
{
  gchar fourcc[5]; /* "VP80", "VP90", "H264", NUL-terminated */
  guint width;
  guint height;
  GPtrArray *frames; /* ArticDumpedFrame, in file order */
} ArticFrameDumpContents;

/* @fourcc: 4 characters naming the codec, as IVF does ("VP80"). */
ArticFrameDump *artic_frame_dump_create (const gchar *path, const gchar *fourcc,
    guint width, guint height, GError **error);
gboolean artic_frame_dump_write (ArticFrameDump *dump, guint64 capture_us,
    const guint8 *data, gsize size, GError **error);
guint artic_frame_dump_frames (const ArticFrameDump *dump);
/* Writes the frame count into the header, closes and frees. */
gboolean artic_frame_dump_close (ArticFrameDump *dump, GError **error);

ArticFrameDumpContents *artic_frame_dump_parse (
    const guint8 *data, gsize size, GError **error);
ArticFrameDumpContents *artic_frame_dump_load (
    const gchar *path, GError **error);
void artic_frame_dump_contents_free (ArticFrameDumpContents *contents);

G_END_DECLS

#endif /* __ARTIC_FRAME_DUMP_H__ */
