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

/* HTTP(S) signaling for the peer session, on libsoup 3: the receiver
 * serves POST /v1/session; the sender posts its offer there with
 * "Authorization: Bearer <token>" and gets the answer back.
 *
 *   200 answer (application/json)     401 missing/wrong token
 *   400 malformed offer               405 not POST
 *   409 session id already live       413 body over the size limit
 *   other: the offer function's status (e.g. 503 when busy)
 *
 * A session id stays live until artic_signal_server_end_session(): a
 * second offer for it is refused, so it cannot hijack the session. The
 * server runs its own thread and main context. TLS is used when a
 * certificate is given. */

#ifndef ARTIC_SIGNAL_SERVER_H
#define ARTIC_SIGNAL_SERVER_H

#include <gio/gio.h>

#include "artic-signal.h"

G_BEGIN_DECLS

#define ARTIC_SIGNAL_PATH "/v1/session"

typedef struct _ArticSignalServer ArticSignalServer;

/* Called on the server thread for an authenticated, well-formed offer
 * whose session id is not live. Returns the answer (the server frees it),
 * or NULL with *@http_status set (default 500) and @error explaining. */
typedef ArticSignalMessage *(*ArticSignalOfferFunc) (
    const ArticSignalMessage *offer, guint *http_status, GError **error,
    gpointer user_data);

typedef struct
{
  guint64 answered;
  guint64 unauthorized;
  guint64 conflicts;
  guint64 bad_requests;
  guint64 refused; /* by the offer function */
} ArticSignalServerStats;

/* Listens on @address (an IP literal) and @port (0: pick one). @token is
 * copied (and wiped on free). */
ArticSignalServer *artic_signal_server_new (const gchar *address, guint port,
    const gchar *token, GTlsCertificate *certificate,
    ArticSignalOfferFunc offer_func, gpointer user_data, GError **error);
guint artic_signal_server_get_port (ArticSignalServer *server);
/* The session ended: its id may be offered again. */
void artic_signal_server_end_session (
    ArticSignalServer *server, const gchar *session);
gboolean artic_signal_server_session_is_live (
    ArticSignalServer *server, const gchar *session);
void artic_signal_server_get_stats (
    ArticSignalServer *server, ArticSignalServerStats *stats);
void artic_signal_server_free (ArticSignalServer *server);

/* Posts @offer to @url (http:// or https://) and parses the answer.
 * Non-200 replies fail with ARTIC_SIGNAL_ERROR_AUTH (401) or
 * ARTIC_SIGNAL_ERROR_FIELD (others), the status in *@http_status.
 * @tls_database: trusted CAs for https (NULL: the system's). */
ArticSignalMessage *artic_signal_client_offer (const gchar *url,
    const gchar *token, const ArticSignalMessage *offer,
    GTlsDatabase *tls_database, guint *http_status, GError **error);

G_END_DECLS

#endif /* ARTIC_SIGNAL_SERVER_H */
