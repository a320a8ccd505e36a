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

/* Wrapper over libsrtp2 2.5. What it adds: one thread-safe srtp_init per
 * process, a lock per session (libsrtp's are unlocked), bounds checks before
 * libsrtp sees a packet, per-session counters (libsrtp's event handler is
 * process-global, so events are routed through a table keyed by the srtp_t),
 * strict key import/export, and errors that never carry key material. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#define G_LOG_DOMAIN "artic-srtp"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <srtp2/srtp.h>

#include "artic-srtp.h"

#define RTP_HEADER_LEN 12
#define RTCP_HEADER_LEN 8
/* SRTCP appends the E flag + 31-bit index. */
#define SRTCP_INDEX_LEN 4

struct _ArticSrtpSession
{
  GMutex lock;
  srtp_t ctx;
  ArticSrtpDirection direction;
  ArticSrtpProfile profile;
  ArticSrtpStats stats;
};

/* Events from libsrtp's global handler, per srtp_t. Only touched under
 * event_lock. The handler runs inside srtp_protect/unprotect, i.e. with the
 * session lock held, so the order is always session lock -> event_lock. */
typedef struct
{
  guint64 key_limit_events;
  guint64 ssrc_collisions;
} EventCounters;

static GMutex event_lock;
static GHashTable *event_table; /* srtp_t -> EventCounters* */

G_DEFINE_QUARK (artic - srtp - error - quark, artic_srtp_error)

static void
on_srtp_event (srtp_event_data_t *data)
{
  EventCounters *counters;

  g_mutex_lock (&event_lock);
  counters
      = event_table ? g_hash_table_lookup (event_table, data->session) : NULL;
  if (counters != NULL) {
    switch (data->event) {
      case event_ssrc_collision:
        counters->ssrc_collisions++;
        break;
      case event_key_soft_limit:
      case event_key_hard_limit:
      case event_packet_index_limit:
        counters->key_limit_events++;
        break;
      default:
        break;
    }
  }
  g_mutex_unlock (&event_lock);
  /* The SSRC is not secret; it helps find which stream hit a limit. */
  g_debug ("libsrtp event %d on SSRC 0x%08x", (gint) data->event, data->ssrc);
}

gboolean
artic_srtp_init (GError **error)
{
  static gsize once = 0;
  static srtp_err_status_t status = srtp_err_status_ok;

  if (g_once_init_enter (&once)) {
    status = srtp_init ();
    if (status == srtp_err_status_ok) {
      g_mutex_lock (&event_lock);
      event_table = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      g_mutex_unlock (&event_lock);
      /* Process-global: another library (GStreamer's srtp plugin) that
       * installs its own handler later takes the events away from us; only
       * the event counters suffer. */
      srtp_install_event_handler (on_srtp_event);
    }
    g_once_init_leave (&once, 1);
  }
  if (status != srtp_err_status_ok) {
    g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_INIT,
        "libsrtp initialisation failed (srtp_err_status %d)", (gint) status);
    return FALSE;
  }
  return TRUE;
}

gsize
artic_srtp_profile_key_length (ArticSrtpProfile profile)
{
  /* master key 16 + salt: 12 for GCM (RFC 7714), 14 for CM (RFC 3711) */
  return profile == ARTIC_SRTP_PROFILE_AES_GCM_128 ? 28 : 30;
}

const gchar *
artic_srtp_profile_name (ArticSrtpProfile profile)
{
  return profile == ARTIC_SRTP_PROFILE_AES_GCM_128 ? "AEAD_AES_128_GCM"
                                                   : "AES_CM_128_HMAC_SHA1_80";
}

gboolean
artic_srtp_profile_from_string (
    const gchar *name, ArticSrtpProfile *profile, GError **error)
{
  if (name != NULL
      && (g_ascii_strcasecmp (name, "AEAD_AES_128_GCM") == 0
          || g_ascii_strcasecmp (name, "aes-gcm-128") == 0)) {
    *profile = ARTIC_SRTP_PROFILE_AES_GCM_128;
    return TRUE;
  }
  if (name != NULL
      && (g_ascii_strcasecmp (name, "AES_CM_128_HMAC_SHA1_80") == 0
          || g_ascii_strcasecmp (name, "aes-cm-128-hmac-sha1-80") == 0)) {
    *profile = ARTIC_SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80;
    return TRUE;
  }
  /* A profile name is not secret, but bound what we echo. */
  g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_KEY,
      "unknown SRTP profile \"%.40s\" (use AEAD_AES_128_GCM or "
      "AES_CM_128_HMAC_SHA1_80)",
      name ? name : "(null)");
  return FALSE;
}

static gboolean
profile_is_valid (ArticSrtpProfile profile)
{
  return profile == ARTIC_SRTP_PROFILE_AES_GCM_128
         || profile == ARTIC_SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80;
}

gboolean
artic_srtp_key_generate (
    ArticSrtpKey *key, ArticSrtpProfile profile, GError **error)
{
  gsize length, got = 0;

  g_return_val_if_fail (key != NULL, FALSE);
  if (!profile_is_valid (profile)) {
    g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_KEY,
        "unknown SRTP profile %d", (gint) profile);
    return FALSE;
  }
  length = artic_srtp_profile_key_length (profile);
  memset (key, 0, sizeof (*key));
  while (got < length) {
    /* Blocks only before the kernel pool is seeded at boot: acceptable for
     * a key that protects a session. */
    ssize_t n = getrandom (key->bytes + got, length - got, 0);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      gint saved = errno;

      artic_srtp_key_clear (key);
      g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_KEY,
          "getrandom failed: %s", g_strerror (saved));
      return FALSE;
    }
    got += (gsize) n;
  }
  key->profile = profile;
  key->length = length;
  return TRUE;
}

gboolean
artic_srtp_key_set (ArticSrtpKey *key, ArticSrtpProfile profile,
    const guint8 *bytes, gsize length, GError **error)
{
  g_return_val_if_fail (key != NULL, FALSE);
  if (!profile_is_valid (profile)) {
    g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_KEY,
        "unknown SRTP profile %d", (gint) profile);
    return FALSE;
  }
  if (bytes == NULL || length != artic_srtp_profile_key_length (profile)) {
    g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_KEY,
        "%s needs a %" G_GSIZE_FORMAT
        "-byte master key + salt, got %" G_GSIZE_FORMAT " bytes",
        artic_srtp_profile_name (profile),
        artic_srtp_profile_key_length (profile), bytes ? length : 0);
    return FALSE;
  }
  memset (key, 0, sizeof (*key));
  memcpy (key->bytes, bytes, length);
  key->profile = profile;
  key->length = length;
  return TRUE;
}

void
artic_srtp_key_clear (ArticSrtpKey *key)
{
  if (key != NULL)
    explicit_bzero (key, sizeof (*key));
}

void
artic_srtp_secret_free (gchar *secret)
{
  if (secret != NULL) {
    explicit_bzero (secret, strlen (secret));
    g_free (secret);
  }
}

gchar *
artic_srtp_key_to_base64 (const ArticSrtpKey *key)
{
  g_return_val_if_fail (key != NULL && key->length > 0, NULL);
  return g_base64_encode (key->bytes, key->length);
}

static gint
base64_value (gchar c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

/* Strict decoder into a caller-owned buffer: g_base64_decode skips invalid
 * characters silently and allocates (a secret copy we would have to wipe). */
static gboolean
base64_decode_exact (const gchar *in, guint8 *out, gsize out_len)
{
  gsize in_len = strlen (in), pad = 0, i, o = 0;
  guint32 acc = 0;
  gint bits = 0;

  if (in_len != 4 * ((out_len + 2) / 3))
    return FALSE;
  pad = (3 - out_len % 3) % 3;
  for (i = 0; i < in_len; i++) {
    gint v;

    if (i >= in_len - pad) {
      if (in[i] != '=')
        return FALSE;
      continue;
    }
    v = base64_value (in[i]);
    if (v < 0)
      return FALSE;
    acc = (acc << 6) | (guint32) v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (o < out_len)
        out[o++] = (guint8) (acc >> bits);
      acc &= (1u << bits) - 1;
    }
  }
  /* Non-canonical encodings (stray low bits before the padding) would let
   * two strings name one key; refuse them. */
  return o == out_len && acc == 0;
}

gboolean
artic_srtp_key_from_base64 (ArticSrtpKey *key, ArticSrtpProfile profile,
    const gchar *base64, GError **error)
{
  guint8 raw[ARTIC_SRTP_MAX_KEY_LEN];
  gsize length;
  gboolean ok;

  g_return_val_if_fail (key != NULL, FALSE);
  if (!profile_is_valid (profile)) {
    g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_KEY,
        "unknown SRTP profile %d", (gint) profile);
    return FALSE;
  }
  length = artic_srtp_profile_key_length (profile);
  if (base64 == NULL || !base64_decode_exact (base64, raw, length)) {
    explicit_bzero (raw, sizeof (raw));
    /* Never quote the input: it may be a key with one typo. */
    g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_KEY,
        "%s key must be %" G_GSIZE_FORMAT
        " bytes in canonical base64 (%" G_GSIZE_FORMAT " characters)",
        artic_srtp_profile_name (profile), length, 4 * ((length + 2) / 3));
    return FALSE;
  }
  ok = artic_srtp_key_set (key, profile, raw, length, error);
  explicit_bzero (raw, sizeof (raw));
  return ok;
}

static void
set_crypto_policy (srtp_policy_t *policy, ArticSrtpProfile profile)
{
  if (profile == ARTIC_SRTP_PROFILE_AES_GCM_128) {
    srtp_crypto_policy_set_aes_gcm_128_16_auth (&policy->rtp);
    srtp_crypto_policy_set_aes_gcm_128_16_auth (&policy->rtcp);
  } else {
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 (&policy->rtp);
    srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80 (&policy->rtcp);
  }
}

static guint
tag_length (ArticSrtpProfile profile)
{
  return profile == ARTIC_SRTP_PROFILE_AES_GCM_128 ? 16 : 10;
}

ArticSrtpSession *
artic_srtp_session_new (ArticSrtpDirection direction, const ArticSrtpKey *key,
    guint replay_window, GError **error)
{
  ArticSrtpSession *session;
  srtp_policy_t policy;
  srtp_err_status_t status;
  EventCounters *counters;

  g_return_val_if_fail (key != NULL, NULL);
  if (!artic_srtp_init (error))
    return NULL;
  if (!profile_is_valid (key->profile)
      || key->length != artic_srtp_profile_key_length (key->profile)) {
    g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_KEY,
        "invalid SRTP key (length %" G_GSIZE_FORMAT ")", key->length);
    return NULL;
  }
  if (direction != ARTIC_SRTP_OUTBOUND && direction != ARTIC_SRTP_INBOUND) {
    g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_DIRECTION,
        "invalid SRTP direction %d", (gint) direction);
    return NULL;
  }
  if (replay_window != 0 && (replay_window < 64 || replay_window > 32767)) {
    g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_FAILED,
        "replay window %u out of range (0 = default, or 64..32767)",
        replay_window);
    return NULL;
  }

  session = g_new0 (ArticSrtpSession, 1);
  g_mutex_init (&session->lock);
  session->direction = direction;
  session->profile = key->profile;

  memset (&policy, 0, sizeof (policy));
  set_crypto_policy (&policy, key->profile);
  policy.ssrc.type
      = direction == ARTIC_SRTP_OUTBOUND ? ssrc_any_outbound : ssrc_any_inbound;
  /* libsrtp copies the key into its own key schedule during srtp_create. */
  policy.key = (unsigned char *) key->bytes;
  policy.window_size = replay_window;
  policy.allow_repeat_tx = 0;
  status = srtp_create (&session->ctx, &policy);
  explicit_bzero (&policy, sizeof (policy));
  if (status != srtp_err_status_ok) {
    g_mutex_clear (&session->lock);
    g_free (session);
    g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_FAILED,
        "srtp_create failed (srtp_err_status %d)", (gint) status);
    return NULL;
  }

  counters = g_new0 (EventCounters, 1);
  g_mutex_lock (&event_lock);
  g_hash_table_insert (event_table, session->ctx, counters);
  g_mutex_unlock (&event_lock);

  g_debug ("new %s session %p, %s, key [redacted]",
      direction == ARTIC_SRTP_OUTBOUND ? "outbound" : "inbound",
      (gpointer) session, artic_srtp_profile_name (key->profile));
  return session;
}

void
artic_srtp_session_free (ArticSrtpSession *session)
{
  if (session == NULL)
    return;
  /* Out of the table first, so no event can find a freed context. */
  g_mutex_lock (&event_lock);
  g_hash_table_remove (event_table, session->ctx);
  g_mutex_unlock (&event_lock);
  /* srtp_dealloc zeroises libsrtp's key schedule. */
  srtp_dealloc (session->ctx);
  g_debug ("freed session %p", (gpointer) session);
  g_mutex_clear (&session->lock);
  explicit_bzero (session, sizeof (*session));
  g_free (session);
}

/* Header length of an RTP packet (fixed part, CSRCs, extension), or 0 if
 * @data is not a complete RTP header. */
static gsize
rtp_header_length (const guint8 *data, gsize length)
{
  gsize header;

  if (length < RTP_HEADER_LEN || (data[0] >> 6) != 2)
    return 0;
  header = RTP_HEADER_LEN + 4 * (gsize) (data[0] & 0x0f);
  if (header > length)
    return 0;
  if (data[0] & 0x10) {
    if (header + 4 > length)
      return 0;
    header += 4 + 4 * (gsize) ((data[header + 2] << 8) | data[header + 3]);
    if (header > length)
      return 0;
  }
  return header;
}

static gboolean
rtcp_header_ok (const guint8 *data, gsize length)
{
  return length >= RTCP_HEADER_LEN && (data[0] >> 6) == 2;
}

static void
set_malformed (ArticSrtpSession *session, GError **error, const gchar *what)
{
  session->stats.malformed++;
  g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_MALFORMED,
      "malformed packet: %s", what);
}

/* Maps a libsrtp status to an error and a counter. */
static void
set_status_error (ArticSrtpSession *session, srtp_err_status_t status,
    const gchar *op, GError **error)
{
  ArticSrtpError code;
  const gchar *what;

  switch (status) {
    case srtp_err_status_auth_fail:
      session->stats.auth_failed++;
      code = ARTIC_SRTP_ERROR_AUTH;
      what = "authentication failed (tampered packet or wrong key)";
      break;
    case srtp_err_status_cipher_fail:
      /* The NSS GCM backend reports a tag mismatch as a cipher failure;
       * the length was checked before, so this is an authentication
       * failure. For CM it is a genuine cipher error. */
      if (session->profile == ARTIC_SRTP_PROFILE_AES_GCM_128) {
        session->stats.auth_failed++;
        code = ARTIC_SRTP_ERROR_AUTH;
        what = "authentication failed (tampered packet or wrong key)";
      } else {
        session->stats.other_failed++;
        code = ARTIC_SRTP_ERROR_FAILED;
        what = "cipher failure";
      }
      break;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
      session->stats.replayed++;
      code = ARTIC_SRTP_ERROR_REPLAY;
      what = status == srtp_err_status_replay_old
                 ? "replayed packet (index older than the replay window)"
                 : "replayed packet (index already seen)";
      break;
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err:
      session->stats.malformed++;
      code = ARTIC_SRTP_ERROR_MALFORMED;
      what = "malformed packet";
      break;
    case srtp_err_status_key_expired:
      session->stats.other_failed++;
      code = ARTIC_SRTP_ERROR_KEY;
      what = "key expired (re-key the session)";
      break;
    default:
      session->stats.other_failed++;
      code = ARTIC_SRTP_ERROR_FAILED;
      what = "failed";
      break;
  }
  g_set_error (error, ARTIC_SRTP_ERROR, code, "%s: %s (srtp_err_status %d)", op,
      what, (gint) status);
}

static gboolean
check_direction (ArticSrtpSession *session, ArticSrtpDirection wanted,
    const gchar *op, GError **error)
{
  if (session->direction == wanted)
    return TRUE;
  g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_DIRECTION,
      "%s on an %s session", op,
      session->direction == ARTIC_SRTP_OUTBOUND ? "outbound" : "inbound");
  return FALSE;
}

static gboolean
protect_common (ArticSrtpSession *session, gboolean rtcp, guint8 *packet,
    gsize length, gsize capacity, gsize *out_length, GError **error)
{
  const gchar *op = rtcp ? "SRTCP protect" : "SRTP protect";
  srtp_err_status_t status;
  gint len;
  gboolean ok = FALSE;

  g_return_val_if_fail (session != NULL && packet != NULL, FALSE);
  if (!check_direction (session, ARTIC_SRTP_OUTBOUND, op, error))
    return FALSE;

  g_mutex_lock (&session->lock);
  if (length > ARTIC_SRTP_MAX_PACKET_LEN) {
    set_malformed (session, error, "longer than a UDP datagram");
    goto out;
  }
  if (rtcp ? !rtcp_header_ok (packet, length)
           : rtp_header_length (packet, length) == 0) {
    set_malformed (session, error,
        rtcp ? "not a complete RTCP header" : "not a complete RTP header");
    goto out;
  }
  if (capacity < length + ARTIC_SRTP_MAX_TRAILER_LEN) {
    g_set_error (error, ARTIC_SRTP_ERROR, ARTIC_SRTP_ERROR_BUFFER,
        "%s needs %d writable bytes after the packet", op,
        ARTIC_SRTP_MAX_TRAILER_LEN);
    goto out;
  }
  len = (gint) length;
  status = rtcp ? srtp_protect_rtcp (session->ctx, packet, &len)
                : srtp_protect (session->ctx, packet, &len);
  if (status != srtp_err_status_ok) {
    set_status_error (session, status, op, error);
    goto out;
  }
  if (rtcp)
    session->stats.rtcp_ok++;
  else
    session->stats.rtp_ok++;
  *out_length = (gsize) len;
  ok = TRUE;
out:
  g_mutex_unlock (&session->lock);
  return ok;
}

gboolean
artic_srtp_protect (ArticSrtpSession *session, guint8 *packet, gsize length,
    gsize capacity, gsize *out_length, GError **error)
{
  return protect_common (
      session, FALSE, packet, length, capacity, out_length, error);
}

gboolean
artic_srtp_protect_rtcp (ArticSrtpSession *session, guint8 *packet,
    gsize length, gsize capacity, gsize *out_length, GError **error)
{
  return protect_common (
      session, TRUE, packet, length, capacity, out_length, error);
}

static gboolean
unprotect_common (ArticSrtpSession *session, gboolean rtcp, guint8 *packet,
    gsize length, gsize *out_length, GError **error)
{
  const gchar *op = rtcp ? "SRTCP unprotect" : "SRTP unprotect";
  srtp_err_status_t status;
  gsize minimum;
  gint len;
  gboolean ok = FALSE;

  g_return_val_if_fail (
      session != NULL && (packet != NULL || length == 0), FALSE);
  if (!check_direction (session, ARTIC_SRTP_INBOUND, op, error))
    return FALSE;

  g_mutex_lock (&session->lock);
  if (length > ARTIC_SRTP_MAX_PACKET_LEN) {
    set_malformed (session, error, "longer than a UDP datagram");
    goto out;
  }
  /* Check here what libsrtp would otherwise report ambiguously: a packet
   * too short for its header, trailer and tag is malformed, not forged. */
  if (rtcp) {
    minimum = rtcp_header_ok (packet, length) ? RTCP_HEADER_LEN : 0;
    if (minimum)
      minimum += SRTCP_INDEX_LEN;
  } else {
    minimum = rtp_header_length (packet, length);
  }
  if (minimum == 0 || length < minimum + tag_length (session->profile)) {
    set_malformed (session, error,
        rtcp ? "too short for an SRTCP packet"
             : "too short for an SRTP packet");
    goto out;
  }
  len = (gint) length;
  status = rtcp ? srtp_unprotect_rtcp (session->ctx, packet, &len)
                : srtp_unprotect (session->ctx, packet, &len);
  if (status != srtp_err_status_ok) {
    set_status_error (session, status, op, error);
    goto out;
  }
  if (rtcp)
    session->stats.rtcp_ok++;
  else
    session->stats.rtp_ok++;
  *out_length = (gsize) len;
  ok = TRUE;
out:
  g_mutex_unlock (&session->lock);
  return ok;
}

gboolean
artic_srtp_unprotect (ArticSrtpSession *session, guint8 *packet, gsize length,
    gsize *out_length, GError **error)
{
  return unprotect_common (session, FALSE, packet, length, out_length, error);
}

gboolean
artic_srtp_unprotect_rtcp (ArticSrtpSession *session, guint8 *packet,
    gsize length, gsize *out_length, GError **error)
{
  return unprotect_common (session, TRUE, packet, length, out_length, error);
}

void
artic_srtp_session_get_stats (ArticSrtpSession *session, ArticSrtpStats *stats)
{
  EventCounters *counters;

  g_return_if_fail (session != NULL && stats != NULL);
  g_mutex_lock (&session->lock);
  *stats = session->stats;
  g_mutex_lock (&event_lock);
  counters = g_hash_table_lookup (event_table, session->ctx);
  if (counters != NULL) {
    stats->key_limit_events = counters->key_limit_events;
    stats->ssrc_collisions = counters->ssrc_collisions;
  }
  g_mutex_unlock (&event_lock);
  g_mutex_unlock (&session->lock);
}

ArticSrtpDirection
artic_srtp_session_get_direction (ArticSrtpSession *session)
{
  return session->direction;
}

ArticSrtpProfile
artic_srtp_session_get_profile (ArticSrtpSession *session)
{
  return session->profile;
}

gchar *
artic_srtp_session_describe (ArticSrtpSession *session)
{
  ArticSrtpStats s;

  artic_srtp_session_get_stats (session, &s);
  return g_strdup_printf (
      "%s %s key=[redacted] rtp_ok=%" G_GUINT64_FORMAT
      " rtcp_ok=%" G_GUINT64_FORMAT " auth_failed=%" G_GUINT64_FORMAT
      " replayed=%" G_GUINT64_FORMAT " malformed=%" G_GUINT64_FORMAT
      " other_failed=%" G_GUINT64_FORMAT,
      session->direction == ARTIC_SRTP_OUTBOUND ? "outbound" : "inbound",
      artic_srtp_profile_name (session->profile), s.rtp_ok, s.rtcp_ok,
      s.auth_failed, s.replayed, s.malformed, s.other_failed);
}
