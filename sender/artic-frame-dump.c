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

#include "artic-frame-dump.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define ARTIC_IVF_HEADER_BYTES 32
#define ARTIC_IVF_FRAME_HEADER_BYTES 12
#define ARTIC_IVF_FRAME_COUNT_OFFSET 24

G_DEFINE_QUARK (artic_frame_dump_error_quark, artic_frame_dump_error)

struct _ArticFrameDump
{
  FILE *file;
  gchar *path;
  guint frames;
};

static void
artic_put_le16 (guint8 *p, guint16 v)
{
  p[0] = v & 0xff;
  p[1] = v >> 8;
}

static void
artic_put_le32 (guint8 *p, guint32 v)
{
  artic_put_le16 (p, v & 0xffff);
  artic_put_le16 (p + 2, v >> 16);
}

static void
artic_put_le64 (guint8 *p, guint64 v)
{
  artic_put_le32 (p, v & 0xffffffff);
  artic_put_le32 (p + 4, v >> 32);
}

static guint32
artic_get_le32 (const guint8 *p)
{
  return p[0] | (p[1] << 8) | (p[2] << 16) | ((guint32) p[3] << 24);
}

static guint64
artic_get_le64 (const guint8 *p)
{
  return artic_get_le32 (p) | ((guint64) artic_get_le32 (p + 4) << 32);
}

static gboolean
artic_frame_dump_io_error (GError **error, const gchar *what, const gchar *path)
{
  g_set_error (error, ARTIC_FRAME_DUMP_ERROR, ARTIC_FRAME_DUMP_ERROR_IO,
      "cannot %s '%s': %s", what, path, g_strerror (errno));
  return FALSE;
}

ArticFrameDump *
artic_frame_dump_create (const gchar *path, const gchar *fourcc, guint width,
    guint height, GError **error)
{
  guint8 header[ARTIC_IVF_HEADER_BYTES] = { 'D', 'K', 'I', 'F' };
  ArticFrameDump *dump;
  FILE *file;

  g_return_val_if_fail (path != NULL && fourcc != NULL, NULL);
  g_return_val_if_fail (strlen (fourcc) == 4, NULL);
  file = fopen (path, "wb");
  if (file == NULL) {
    artic_frame_dump_io_error (error, "write", path);
    return NULL;
  }
  artic_put_le16 (header + 4, 0); /* version */
  artic_put_le16 (header + 6, ARTIC_IVF_HEADER_BYTES);
  memcpy (header + 8, fourcc, 4);
  artic_put_le16 (header + 12, MIN (width, G_MAXUINT16));
  artic_put_le16 (header + 14, MIN (height, G_MAXUINT16));
  artic_put_le32 (header + 16, G_USEC_PER_SEC); /* time base: 1 us */
  artic_put_le32 (header + 20, 1);
  if (fwrite (header, 1, sizeof (header), file) != sizeof (header)) {
    artic_frame_dump_io_error (error, "write", path);
    fclose (file);
    return NULL;
  }
  dump = g_new0 (ArticFrameDump, 1);
  dump->file = file;
  dump->path = g_strdup (path);
  return dump;
}

gboolean
artic_frame_dump_write (ArticFrameDump *dump, guint64 capture_us,
    const guint8 *data, gsize size, GError **error)
{
  guint8 header[ARTIC_IVF_FRAME_HEADER_BYTES];

  g_return_val_if_fail (dump != NULL && (data != NULL || size == 0), FALSE);
  if (size > ARTIC_FRAME_DUMP_MAX_FRAME_BYTES) {
    g_set_error (error, ARTIC_FRAME_DUMP_ERROR, ARTIC_FRAME_DUMP_ERROR_FORMAT,
        "frame of %" G_GSIZE_FORMAT " bytes is too large to dump", size);
    return FALSE;
  }
  artic_put_le32 (header, (guint32) size);
  artic_put_le64 (header + 4, capture_us);
  if (fwrite (header, 1, sizeof (header), dump->file) != sizeof (header)
      || fwrite (data, 1, size, dump->file) != size)
    return artic_frame_dump_io_error (error, "write", dump->path);
  dump->frames++;
  return TRUE;
}

guint
artic_frame_dump_frames (const ArticFrameDump *dump)
{
  return dump->frames;
}

gboolean
artic_frame_dump_close (ArticFrameDump *dump, GError **error)
{
  guint8 count[4];
  gboolean ok = TRUE;

  if (dump == NULL)
    return TRUE;
  artic_put_le32 (count, dump->frames);
  if (fseek (dump->file, ARTIC_IVF_FRAME_COUNT_OFFSET, SEEK_SET) != 0
      || fwrite (count, 1, sizeof (count), dump->file) != sizeof (count))
    ok = artic_frame_dump_io_error (error, "write", dump->path);
  if (fclose (dump->file) != 0 && ok)
    ok = artic_frame_dump_io_error (error, "close", dump->path);
  g_free (dump->path);
  g_free (dump);
  return ok;
}

static void
artic_dumped_frame_free (gpointer data)
{
  ArticDumpedFrame *frame = data;

  g_bytes_unref (frame->data);
  g_free (frame);
}

void
artic_frame_dump_contents_free (ArticFrameDumpContents *contents)
{
  if (contents == NULL)
    return;
  g_ptr_array_unref (contents->frames);
  g_free (contents);
}

static ArticFrameDumpContents *
artic_frame_dump_fail (
    ArticFrameDumpContents *contents, GError **error, const gchar *message)
{
  g_set_error_literal (
      error, ARTIC_FRAME_DUMP_ERROR, ARTIC_FRAME_DUMP_ERROR_FORMAT, message);
  artic_frame_dump_contents_free (contents);
  return NULL;
}

/* Strict: a truncated frame or header is an error, not a shorter dump, so
 * that a damaged file cannot pass for a lossless reference. The frame count
 * in the header is not trusted (a sender killed mid-run leaves it at 0). */
ArticFrameDumpContents *
artic_frame_dump_parse (const guint8 *data, gsize size, GError **error)
{
  ArticFrameDumpContents *contents;
  gsize offset, header_bytes;

  if (size < ARTIC_IVF_HEADER_BYTES || memcmp (data, "DKIF", 4) != 0)
    return artic_frame_dump_fail (NULL, error, "not an IVF frame dump");
  header_bytes = data[6] | (data[7] << 8);
  if (header_bytes < ARTIC_IVF_HEADER_BYTES || header_bytes > size)
    return artic_frame_dump_fail (NULL, error, "bad IVF header size");
  if (artic_get_le32 (data + 16) != G_USEC_PER_SEC
      || artic_get_le32 (data + 20) != 1)
    return artic_frame_dump_fail (
        NULL, error, "IVF time base is not 1/1000000 (not a frame dump)");
  contents = g_new0 (ArticFrameDumpContents, 1);
  memcpy (contents->fourcc, data + 8, 4);
  contents->width = data[12] | (data[13] << 8);
  contents->height = data[14] | (data[15] << 8);
  contents->frames = g_ptr_array_new_with_free_func (artic_dumped_frame_free);
  for (offset = header_bytes; offset < size;) {
    ArticDumpedFrame *frame;
    guint32 frame_bytes;

    if (size - offset < ARTIC_IVF_FRAME_HEADER_BYTES)
      return artic_frame_dump_fail (contents, error, "truncated frame header");
    frame_bytes = artic_get_le32 (data + offset);
    if (frame_bytes > ARTIC_FRAME_DUMP_MAX_FRAME_BYTES)
      return artic_frame_dump_fail (contents, error, "frame size too large");
    if (size - offset - ARTIC_IVF_FRAME_HEADER_BYTES < frame_bytes)
      return artic_frame_dump_fail (contents, error, "truncated frame");
    frame = g_new0 (ArticDumpedFrame, 1);
    frame->capture_us = artic_get_le64 (data + offset + 4);
    frame->data = g_bytes_new (
        data + offset + ARTIC_IVF_FRAME_HEADER_BYTES, frame_bytes);
    g_ptr_array_add (contents->frames, frame);
    offset += ARTIC_IVF_FRAME_HEADER_BYTES + frame_bytes;
  }
  return contents;
}

ArticFrameDumpContents *
artic_frame_dump_load (const gchar *path, GError **error)
{
  ArticFrameDumpContents *contents;
  GError *parse_error = NULL;
  gchar *data;
  gsize size;

  if (!g_file_get_contents (path, &data, &size, error))
    return NULL;
  contents = artic_frame_dump_parse ((const guint8 *) data, size, &parse_error);
  g_free (data);
  if (contents == NULL) {
    g_set_error (error, ARTIC_FRAME_DUMP_ERROR, ARTIC_FRAME_DUMP_ERROR_FORMAT,
        "%s: %s", path, parse_error->message);
    g_clear_error (&parse_error);
  }
  return contents;
}
