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

/* devibench run / summarize: the DeViBench run harness (see
 * docs/devibench.md). Each item of a lite suite or of a DeViBench CSV with
 * its videos goes through the stack under each condition and the answer of
 * an OpenAI-compatible endpoint is scored. */

#ifndef __ARTIC_DEVIBENCH_HARNESS_H__
#define __ARTIC_DEVIBENCH_HARNESS_H__

#include <glib.h>

G_BEGIN_DECLS

/* The subcommands; argv[0] is the program. Exit status 0, 1 (failure while
 * running) or 2 (bad arguments). */
int artic_devibench_cmd_run (int argc, char **argv);
int artic_devibench_cmd_summarize (int argc, char **argv);
/* lite-select: keep the items a model answers right on the clean stream. */
int artic_devibench_cmd_lite_select (int argc, char **argv);

G_END_DECLS

#endif /* __ARTIC_DEVIBENCH_HARNESS_H__ */
