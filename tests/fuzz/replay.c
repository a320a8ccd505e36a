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

/* Replays every file of a corpus directory through a fuzz harness, for
 * builds without libFuzzer. */

#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data, gsize size);

int
main (int argc, char **argv)
{
  const gchar *name;
  GDir *dir;
  guint replayed = 0;

  if (argc != 2 || (dir = g_dir_open (argv[1], 0, NULL)) == NULL) {
    g_printerr ("usage: %s CORPUS-DIR\n", argv[0]);
    return 2;
  }
  while ((name = g_dir_read_name (dir)) != NULL) {
    gchar *path = g_build_filename (argv[1], name, NULL);
    gchar *data = NULL;
    gsize size = 0;

    if (g_file_get_contents (path, &data, &size, NULL)) {
      LLVMFuzzerTestOneInput ((const guint8 *) data, size);
      replayed++;
    }
    g_free (data);
    g_free (path);
  }
  g_dir_close (dir);
  g_print ("replayed %u inputs\n", replayed);
  return replayed > 0 ? 0 : 1;
}
