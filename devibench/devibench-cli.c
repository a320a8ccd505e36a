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

#include "devibench-cli.h"

#include <stdlib.h>

static void
devibench_cli_print_error (const gchar *format, va_list args)
{
  gchar *message = g_strdup_vprintf (format, args);

  g_printerr (DEVIBENCH_CLI_PROGRAM ": error: %s\n", message);
  g_free (message);
}

int
devibench_cli_usage_error (const gchar *format, ...)
{
  va_list args;

  va_start (args, format);
  devibench_cli_print_error (format, args);
  va_end (args);
  return DEVIBENCH_CLI_EXIT_USAGE;
}

int
devibench_cli_run_error (const gchar *format, ...)
{
  va_list args;

  va_start (args, format);
  devibench_cli_print_error (format, args);
  va_end (args);
  return EXIT_FAILURE;
}
