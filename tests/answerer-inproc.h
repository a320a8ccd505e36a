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

/* Test helper shared by the answerer's tests: one request answered in this
 * process, through the server's own request parsing (a Chat Completions
 * body, as over HTTP) but without a server. */

#ifndef ANSWERER_INPROC_H
#define ANSWERER_INPROC_H

#include "artic-answerer.h"

/* The reply to @prompt about the @n JPEGs @images (oldest first); NULL with
 * @error set where the answerer refuses the request (an image that does not
 * decode). The body itself must parse (asserted). */
gchar *answerer_inproc_respond (ArticAnswererVision *vision,
    const gchar *prompt, GBytes *const *images, guint n, GError **error);

#endif /* ANSWERER_INPROC_H */
