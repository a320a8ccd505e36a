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

/* Timed questions for the MLLM: a text file of lines "SECONDS<TAB>question"
 * (seconds of stream running time; blank lines and lines starting with '#'
 * are ignored). */

#ifndef __ARTIC_QUESTIONS_H__
#define __ARTIC_QUESTIONS_H__

#include <glib.h>

G_BEGIN_DECLS

#define ARTIC_QUESTIONS_MAX_BYTES (1024 * 1024)
#define ARTIC_QUESTIONS_MAX_LENGTH 4096

typedef struct
{
  gdouble time_s;
  gchar *text;
} ArticQuestion;

GArray *artic_questions_parse (const gchar *text, gsize size, GError **error);
GArray *artic_questions_load (const gchar *path, GError **error);

G_END_DECLS

#endif /* __ARTIC_QUESTIONS_H__ */
