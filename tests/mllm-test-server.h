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

/* TEST DOUBLE: an OpenAI-compatible chat server for the tests, with
 * deliberately misbehaving modes for what a real server will not do on
 * request (errors, garbage, stalls, endless or huge bodies). It runs a real
 * libsoup HTTP server on 127.0.0.1 in its own thread. The mode is the first
 * path segment: http://127.0.0.1:PORT/MODE/v1/chat/completions.
 *
 * Well-formed modes echo what they received: the answer is
 * "images=N jpegs=M question=Q", N being the image parts and M those whose
 * data URL decodes to a complete JPEG. */

#ifndef __ARTIC_TEST_MLLM_SERVER_H__
#define __ARTIC_TEST_MLLM_SERVER_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ArticTestMllmServer ArticTestMllmServer;

ArticTestMllmServer *artic_test_mllm_server_start (void);
void artic_test_mllm_server_stop (ArticTestMllmServer *server);
gchar *artic_test_mllm_server_url (
    ArticTestMllmServer *server, const gchar *mode);
guint artic_test_mllm_server_requests (
    ArticTestMllmServer *server, const gchar *mode);
/* Copies of the last request's body and Authorization header (or NULL). */
gchar *artic_test_mllm_server_last_body (ArticTestMllmServer *server);
gchar *artic_test_mllm_server_last_auth (ArticTestMllmServer *server);
/* Bytes the server wrote in its endless modes: proves it really sent more
 * than the client's caps. */
guint64 artic_test_mllm_server_bytes_streamed (ArticTestMllmServer *server);

G_END_DECLS

#endif /* __ARTIC_TEST_MLLM_SERVER_H__ */
