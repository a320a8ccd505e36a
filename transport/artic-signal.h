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

/* Signaling messages of the peer session: the offer (sender -> receiver)
 * and the answer (receiver -> sender), JSON over HTTP(S) with a bearer
 * token (docs/peer-session.md). They carry each side's fresh SRTP master
 * key, so the structures hold secrets: nothing here logs them, the
 * describe function redacts them, and free wipes them.
 *
 *   {"v":1,"type":"offer","session":"s-7f3a9c21",
 *    "srtp":{"profile":"AEAD_AES_128_GCM","key":"<base64>"},
 *    "ssrc":[305419896],"udp":{"address":"192.0.2.10","port":5004}}
 *
 * The answer has the same members with the receiver's key, SSRCs and
 * address. Parsing checks size, nesting, types and ranges. */

#ifndef ARTIC_SIGNAL_H
#define ARTIC_SIGNAL_H

#include <glib.h>

#include "artic-srtp.h"

G_BEGIN_DECLS

#define ARTIC_SIGNAL_VERSION 1
#define ARTIC_SIGNAL_MAX_MESSAGE_LEN 4096
#define ARTIC_SIGNAL_MAX_DEPTH 4
#define ARTIC_SIGNAL_MAX_SSRCS 8
#define ARTIC_SIGNAL_MIN_SESSION_LEN 8
#define ARTIC_SIGNAL_MAX_SESSION_LEN 64
/* Bearer tokens: at least 128 bits in base64url. */
#define ARTIC_SIGNAL_MIN_TOKEN_LEN 22
#define ARTIC_SIGNAL_MAX_TOKEN_LEN 256

#define ARTIC_SIGNAL_ERROR (artic_signal_error_quark ())

typedef enum
{
  ARTIC_SIGNAL_ERROR_TOO_LARGE, /* over the size limit */
  ARTIC_SIGNAL_ERROR_SYNTAX,    /* not a JSON object, or nested too deep */
  ARTIC_SIGNAL_ERROR_VERSION,   /* "v" missing or not 1 */
  ARTIC_SIGNAL_ERROR_TYPE,      /* "type" missing or not offer/answer */
  ARTIC_SIGNAL_ERROR_FIELD,     /* a member missing, mistyped, out of range */
  ARTIC_SIGNAL_ERROR_KEY,       /* SRTP profile or key invalid */
  ARTIC_SIGNAL_ERROR_AUTH,      /* bearer token missing or wrong */
} ArticSignalError;

typedef enum
{
  ARTIC_SIGNAL_OFFER,
  ARTIC_SIGNAL_ANSWER,
} ArticSignalType;

typedef struct
{
  ArticSignalType type;
  gchar *session;   /* [A-Za-z0-9_-]{8,64} */
  ArticSrtpKey key; /* the author's outbound master key (secret) */
  guint32 ssrcs[ARTIC_SIGNAL_MAX_SSRCS];
  guint n_ssrcs;  /* 1..ARTIC_SIGNAL_MAX_SSRCS, distinct */
  gchar *address; /* an IPv4/IPv6 literal (no host names) */
  guint16 port;   /* 1..65535 */
} ArticSignalMessage;

GQuark artic_signal_error_quark (void);

ArticSignalMessage *artic_signal_message_new (ArticSignalType type);
/* Wipes the key and frees. NULL is fine. */
void artic_signal_message_free (ArticSignalMessage *message);

gboolean artic_signal_validate (
    const ArticSignalMessage *message, GError **error);
/* Compact JSON. The result contains the key: free it with
 * artic_srtp_secret_free(). */
gchar *artic_signal_encode (
    const ArticSignalMessage *message, gsize *length, GError **error);
ArticSignalMessage *artic_signal_parse (
    const gchar *data, gsize length, GError **error);
/* One line for logs, with the key as [redacted]. */
gchar *artic_signal_describe (const ArticSignalMessage *message);

/* A fresh bearer token: 32 random bytes in unpadded base64url (43 chars).
 * A secret: free with artic_srtp_secret_free(). */
gchar *artic_signal_token_generate (GError **error);
/* Checks an HTTP Authorization header value against @token: the scheme
 * must be "Bearer" (case-insensitive) followed by one space and the token;
 * the comparison takes the same time wherever the first difference is.
 * Errors (ARTIC_SIGNAL_ERROR_AUTH) never quote the header. */
gboolean artic_signal_check_bearer (
    const gchar *authorization, const gchar *token, GError **error);

G_END_DECLS

#endif /* ARTIC_SIGNAL_H */
