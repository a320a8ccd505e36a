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

/* Test and benchmark kit for artic-answerer: renders images with known
 * content (text drawn by GStreamer's textoverlay, QR codes by libqrencode,
 * frames of the shipped clip), builds Chat Completions requests, starts the
 * real server on a free loopback port and talks to it over HTTP. Not part of
 * the server. */

#ifndef ARTIC_ANSWERER_TESTKIT_H
#define ARTIC_ANSWERER_TESTKIT_H

#include <glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A JPEG of @text drawn in black in @font ("Sans 48") centred on a white
 * @width x @height frame, or on the frame of @clip at @time_ns when @clip is
 * not NULL (then near the bottom, where the shipped clip shows a light
 * tablecloth: text printed on it). @text NULL: the plain frame. */
GBytes *artic_answerer_testkit_render (const gchar *text, const gchar *font,
    guint width, guint height, const gchar *clip, guint64 time_ns,
    GError **error);

/* The white frame of artic_answerer_testkit_render with its @cut_left
 * leftmost and @cut_right rightmost columns cut off: the text cut at the
 * frame's edge, as when the camera turns away from a sign (the JPEG is
 * narrower by the cut). */
GBytes *artic_answerer_testkit_render_cut (const gchar *text, const gchar *font,
    guint width, guint height, guint cut_left, guint cut_right, GError **error);

/* @jpeg decoded and encoded again at JPEG @quality (1..100): the blocky,
 * smeared text of a starved encoder. */
GBytes *artic_answerer_testkit_reencode (
    GBytes *jpeg, guint quality, GError **error);

/* A PNG of the QR code of @text, @module_px pixels a module, 4 modules of
 * quiet zone. */
GBytes *artic_answerer_testkit_qr (
    const gchar *text, guint module_px, GError **error);

/* "data:image/jpeg;base64,..." */
gchar *artic_answerer_testkit_data_url (GBytes *image, const gchar *mime);

/* A Chat Completions body: one user message with @prompt and the images
 * (data URLs, oldest first). */
gchar *artic_answerer_testkit_request (const gchar *prompt,
    const gchar *const *data_urls, gboolean stream, gboolean include_usage);

/* Starts @binary (artic-answerer) on 127.0.0.1, port 0, with @extra_args
 * (NULL-terminated, may be NULL), and waits for its port file. Its stdout
 * and stderr go to @log_file (NULL: inherited). Returns the pid (0 on
 * failure) and the port. */
GPid artic_answerer_testkit_spawn (const gchar *binary,
    const gchar *const *extra_args, const gchar *log_file, guint *port,
    GError **error);
/* SIGTERM, then waits up to 10 s; returns the exit status (-1: killed). */
gint artic_answerer_testkit_stop (GPid pid);

/* POSTs @body to http://127.0.0.1:@port@path. Returns the HTTP status
 * (0 on a transport error) and the response body, NUL-terminated. */
guint artic_answerer_testkit_post (SoupSession *session, guint port,
    const gchar *path, const gchar *body, gsize length, const gchar *bearer,
    gchar **response);

/* choices[0].message.content of a chat.completion, or NULL. */
gchar *artic_answerer_testkit_content (const gchar *completion);

G_END_DECLS

#endif /* ARTIC_ANSWERER_TESTKIT_H */
