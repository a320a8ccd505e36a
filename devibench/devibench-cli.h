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

/* The devibench program's error lines, shared by its commands (devibench
 * COMMAND and devibench run): "devibench: error: ..." on stderr. */

#ifndef DEVIBENCH_CLI_H
#define DEVIBENCH_CLI_H

#include <glib.h>

G_BEGIN_DECLS

#define DEVIBENCH_CLI_PROGRAM "devibench"
#define DEVIBENCH_CLI_EXIT_USAGE 2

/* Bad arguments: prints the line, returns DEVIBENCH_CLI_EXIT_USAGE. */
int devibench_cli_usage_error (const gchar *format, ...) G_GNUC_PRINTF (1, 2);
/* A command that could not do its work: prints the line, returns
 * EXIT_FAILURE. */
int devibench_cli_run_error (const gchar *format, ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS

#endif /* DEVIBENCH_CLI_H */
