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

/* SRTP/SRTCP for one peer session over the system libsrtp2 (2.5).
 *
 * A session protects one direction: the sender holds an outbound session,
 * the receiver an inbound one, each from the same master key. Keys are
 * fresh random bytes per session and travel base64-encoded in signaling;
 * they are secrets: nothing in this module logs or prints them, and the
 * buffers that held them are wiped.
 *
 * Sessions are locked internally (libsrtp's are not), so one session may be
 * used from several threads. */

#ifndef ARTIC_SRTP_H
#define ARTIC_SRTP_H

#include <glib.h>

G_BEGIN_DECLS

/* Writable bytes a caller must leave after a packet given to
 * artic_srtp_protect*() (libsrtp's SRTP_MAX_TRAILER_LEN). */
#define ARTIC_SRTP_MAX_TRAILER_LEN 144
/* The longest master key + salt of the supported profiles. */
#define ARTIC_SRTP_MAX_KEY_LEN 30
/* Packets longer than this are refused before libsrtp sees them (the
 * largest UDP payload; libsrtp takes an int length). */
#define ARTIC_SRTP_MAX_PACKET_LEN 65507

#define ARTIC_SRTP_ERROR (artic_srtp_error_quark ())

typedef enum
{
  ARTIC_SRTP_ERROR_INIT,      /* libsrtp could not be initialised */
  ARTIC_SRTP_ERROR_KEY,       /* key of the wrong length or encoding */
  ARTIC_SRTP_ERROR_MALFORMED, /* not an RTP/RTCP packet, or truncated */
  ARTIC_SRTP_ERROR_AUTH,      /* authentication tag did not verify */
  ARTIC_SRTP_ERROR_REPLAY,    /* packet index seen before or too old */
  ARTIC_SRTP_ERROR_BUFFER,    /* no room for the SRTP trailer */
  ARTIC_SRTP_ERROR_DIRECTION, /* protect on inbound, unprotect on outbound */
  ARTIC_SRTP_ERROR_FAILED,    /* any other libsrtp failure */
} ArticSrtpError;

typedef enum
{
  /* AEAD_AES_128_GCM (RFC 7714), 16-byte tag: the default. */
  ARTIC_SRTP_PROFILE_AES_GCM_128,
  /* AES_CM_128_HMAC_SHA1_80 (RFC 3711/4568), for peers without GCM. */
  ARTIC_SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80,
} ArticSrtpProfile;

#define ARTIC_SRTP_PROFILE_DEFAULT ARTIC_SRTP_PROFILE_AES_GCM_128

typedef enum
{
  ARTIC_SRTP_OUTBOUND,
  ARTIC_SRTP_INBOUND,
} ArticSrtpDirection;

/* A master key + salt. Wipe with artic_srtp_key_clear() when done. */
typedef struct
{
  ArticSrtpProfile profile;
  gsize length;
  guint8 bytes[ARTIC_SRTP_MAX_KEY_LEN];
} ArticSrtpKey;

/* Counters of one session. RTP and RTCP packets count together, except
 * the ok counters. */
typedef struct
{
  guint64 rtp_ok;
  guint64 rtcp_ok;
  guint64 auth_failed;
  guint64 replayed;
  guint64 malformed;
  guint64 other_failed;
  /* From libsrtp's (process-global) event handler. */
  guint64 key_limit_events;
  guint64 ssrc_collisions;
} ArticSrtpStats;

typedef struct _ArticSrtpSession ArticSrtpSession;

GQuark artic_srtp_error_quark (void);

/* Initialises libsrtp once per process (thread-safe; later calls return the
 * first result). Every other function calls it; call it directly to fail
 * early. */
gboolean artic_srtp_init (GError **error);

/* Master key + salt length of @profile: 28 for GCM-128, 30 for CM-128. */
gsize artic_srtp_profile_key_length (ArticSrtpProfile profile);
/* The profile's RFC 5764/7714 name ("AEAD_AES_128_GCM",
 * "AES_CM_128_HMAC_SHA1_80"). */
const gchar *artic_srtp_profile_name (ArticSrtpProfile profile);
/* Parses a profile name as written by artic_srtp_profile_name(), or the
 * short forms "aes-gcm-128" and "aes-cm-128-hmac-sha1-80". */
gboolean artic_srtp_profile_from_string (
    const gchar *name, ArticSrtpProfile *profile, GError **error);

/* Fills @key with fresh random bytes from the kernel (getrandom). */
gboolean artic_srtp_key_generate (
    ArticSrtpKey *key, ArticSrtpProfile profile, GError **error);
/* Builds a key from raw bytes; @length must match the profile. */
gboolean artic_srtp_key_set (ArticSrtpKey *key, ArticSrtpProfile profile,
    const guint8 *bytes, gsize length, GError **error);
/* Standard base64 with padding, for signaling. The result is a secret: free
 * it with artic_srtp_secret_free(). */
gchar *artic_srtp_key_to_base64 (const ArticSrtpKey *key);
/* Strict base64 import: exactly the profile's key length, canonical
 * padding, no whitespace. The error never quotes the input. */
gboolean artic_srtp_key_from_base64 (ArticSrtpKey *key,
    ArticSrtpProfile profile, const gchar *base64, GError **error);
/* Wipes the key bytes. */
void artic_srtp_key_clear (ArticSrtpKey *key);
/* Wipes and frees a secret string (NULL is fine). */
void artic_srtp_secret_free (gchar *secret);

/* A session in @direction with @key (copied). @replay_window is 0 for
 * libsrtp's default (128) or 64..32767 packets. */
ArticSrtpSession *artic_srtp_session_new (ArticSrtpDirection direction,
    const ArticSrtpKey *key, guint replay_window, GError **error);
/* Deallocates the session and wipes its key. NULL is fine. */
void artic_srtp_session_free (ArticSrtpSession *session);

/* Protect in place: @packet holds @length bytes of RTP (RTCP) and has
 * room for @capacity bytes, which must be at least @length +
 * ARTIC_SRTP_MAX_TRAILER_LEN. On success *@out_length is the SRTP
 * (SRTCP) length. */
gboolean artic_srtp_protect (ArticSrtpSession *session, guint8 *packet,
    gsize length, gsize capacity, gsize *out_length, GError **error);
gboolean artic_srtp_protect_rtcp (ArticSrtpSession *session, guint8 *packet,
    gsize length, gsize capacity, gsize *out_length, GError **error);

/* Verify and decrypt in place. Failures are counted by kind (see
 * ArticSrtpStats) and reported in the ARTIC_SRTP_ERROR domain. */
gboolean artic_srtp_unprotect (ArticSrtpSession *session, guint8 *packet,
    gsize length, gsize *out_length, GError **error);
gboolean artic_srtp_unprotect_rtcp (ArticSrtpSession *session, guint8 *packet,
    gsize length, gsize *out_length, GError **error);

void artic_srtp_session_get_stats (
    ArticSrtpSession *session, ArticSrtpStats *stats);
ArticSrtpDirection artic_srtp_session_get_direction (ArticSrtpSession *session);
ArticSrtpProfile artic_srtp_session_get_profile (ArticSrtpSession *session);

/* A one-line description for logs: direction, profile, counters and the
 * key as "[redacted]". */
gchar *artic_srtp_session_describe (ArticSrtpSession *session);

G_END_DECLS

#endif /* ARTIC_SRTP_H */
