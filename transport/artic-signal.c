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

/* Offer/answer messages and bearer tokens of the peer session. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#define G_LOG_DOMAIN "artic-signal"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <json-glib/json-glib.h>

#include "artic-signal.h"
#include "artic-json.h"

G_DEFINE_QUARK (artic_signal_error_quark, artic_signal_error)

/* An IPv6 literal with a scope is at most this long. */
#define MAX_ADDRESS_LEN 64

ArticSignalMessage *
artic_signal_message_new (ArticSignalType type)
{
  ArticSignalMessage *m = g_new0 (ArticSignalMessage, 1);

  m->type = type;
  return m;
}

void
artic_signal_message_free (ArticSignalMessage *m)
{
  if (m == NULL)
    return;
  g_free (m->session);
  g_free (m->address);
  artic_srtp_key_clear (&m->key);
  explicit_bzero (m, sizeof (*m));
  g_free (m);
}

static gboolean set_error (GError **error, ArticSignalError code,
    const gchar *format, ...) G_GNUC_PRINTF (3, 4);

static gboolean
set_error (GError **error, ArticSignalError code, const gchar *format, ...)
{
  va_list args;
  gchar *msg;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, ARTIC_SIGNAL_ERROR, code, msg);
  g_free (msg);
  return FALSE;
}

static gboolean
session_id_ok (const gchar *s)
{
  gsize len, i;

  if (s == NULL)
    return FALSE;
  len = strlen (s);
  if (len < ARTIC_SIGNAL_MIN_SESSION_LEN || len > ARTIC_SIGNAL_MAX_SESSION_LEN)
    return FALSE;
  for (i = 0; i < len; i++)
    if (!g_ascii_isalnum (s[i]) && s[i] != '-' && s[i] != '_')
      return FALSE;
  return TRUE;
}

gboolean
artic_signal_validate (const ArticSignalMessage *m, GError **error)
{
  guint i, j;

  g_return_val_if_fail (m != NULL, FALSE);
  if (m->type != ARTIC_SIGNAL_OFFER && m->type != ARTIC_SIGNAL_ANSWER)
    return set_error (
        error, ARTIC_SIGNAL_ERROR_TYPE, "unknown type %d", (gint) m->type);
  if (!session_id_ok (m->session))
    return set_error (error, ARTIC_SIGNAL_ERROR_FIELD,
        "\"session\" must be %d..%d characters of A-Z a-z 0-9 - _",
        ARTIC_SIGNAL_MIN_SESSION_LEN, ARTIC_SIGNAL_MAX_SESSION_LEN);
  if (m->key.length == 0
      || m->key.length != artic_srtp_profile_key_length (m->key.profile))
    return set_error (error, ARTIC_SIGNAL_ERROR_KEY, "no valid SRTP key");
  if (m->n_ssrcs == 0 || m->n_ssrcs > ARTIC_SIGNAL_MAX_SSRCS)
    return set_error (error, ARTIC_SIGNAL_ERROR_FIELD,
        "\"ssrc\" must list 1..%d SSRCs", ARTIC_SIGNAL_MAX_SSRCS);
  for (i = 0; i < m->n_ssrcs; i++)
    for (j = i + 1; j < m->n_ssrcs; j++)
      if (m->ssrcs[i] == m->ssrcs[j])
        return set_error (
            error, ARTIC_SIGNAL_ERROR_FIELD, "\"ssrc\" lists an SSRC twice");
  if (m->address == NULL || strlen (m->address) > MAX_ADDRESS_LEN
      || !g_hostname_is_ip_address (m->address))
    return set_error (error, ARTIC_SIGNAL_ERROR_FIELD,
        "\"udp.address\" must be an IPv4 or IPv6 literal");
  if (m->port == 0)
    return set_error (
        error, ARTIC_SIGNAL_ERROR_FIELD, "\"udp.port\" must be 1..65535");
  return TRUE;
}

gchar *
artic_signal_encode (const ArticSignalMessage *m, gsize *length, GError **error)
{
  GString *out;
  gchar *key;
  guint i;

  if (!artic_signal_validate (m, error))
    return NULL;
  /* Written by hand rather than with JsonGenerator: every string member
   * is from a validated alphabet (no escaping needed), and the key is not
   * copied into json-glib nodes that are freed without being wiped. */
  key = artic_srtp_key_to_base64 (&m->key);
  out = g_string_sized_new (512); /* no realloc: no stray key copy */
  g_string_append_printf (out,
      "{\"v\":%d,\"type\":\"%s\",\"session\":\"%s\","
      "\"srtp\":{\"profile\":\"%s\",\"key\":\"%s\"},\"ssrc\":[",
      ARTIC_SIGNAL_VERSION, m->type == ARTIC_SIGNAL_OFFER ? "offer" : "answer",
      m->session, artic_srtp_profile_name (m->key.profile), key);
  artic_srtp_secret_free (key);
  for (i = 0; i < m->n_ssrcs; i++)
    g_string_append_printf (out, "%s%u", i ? "," : "", m->ssrcs[i]);
  g_string_append_printf (
      out, "],\"udp\":{\"address\":\"%s\",\"port\":%u}}", m->address, m->port);
  if (length)
    *length = out->len;
  /* g_string_free (FALSE) hands over the buffer without copying it. */
  return g_string_free (out, FALSE);
}

gchar *
artic_signal_describe (const ArticSignalMessage *m)
{
  return g_strdup_printf ("%s session=%s profile=%s key=[redacted] "
                          "ssrcs=%u udp=%s:%u",
      m->type == ARTIC_SIGNAL_OFFER ? "offer" : "answer",
      m->session ? m->session : "(none)",
      artic_srtp_profile_name (m->key.profile), m->n_ssrcs,
      m->address ? m->address : "(none)", m->port);
}

static const gchar *
get_string (JsonObject *obj, const gchar *name)
{
  JsonNode *node = obj ? json_object_get_member (obj, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_int (
    JsonObject *obj, const gchar *name, gint64 min, gint64 max, gint64 *out)
{
  JsonNode *node = obj ? json_object_get_member (obj, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return *out >= min && *out <= max;
}

static JsonObject *
get_object (JsonObject *obj, const gchar *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node)
                                               : NULL;
}

static gboolean
parse_members (JsonObject *obj, ArticSignalMessage *m, GError **error)
{
  JsonObject *srtp, *udp;
  JsonNode *node;
  JsonArray *ssrcs;
  const gchar *s;
  ArticSrtpProfile profile;
  gint64 v;
  guint i, n;
  GError *local = NULL;

  s = get_string (obj, "session");
  if (!session_id_ok (s))
    return set_error (error, ARTIC_SIGNAL_ERROR_FIELD,
        "\"session\" must be %d..%d characters of A-Z a-z 0-9 - _",
        ARTIC_SIGNAL_MIN_SESSION_LEN, ARTIC_SIGNAL_MAX_SESSION_LEN);
  m->session = g_strdup (s);

  srtp = get_object (obj, "srtp");
  if (srtp == NULL)
    return set_error (
        error, ARTIC_SIGNAL_ERROR_FIELD, "\"srtp\" must be an object");
  if (!artic_srtp_profile_from_string (
          get_string (srtp, "profile"), &profile, &local)
      || !artic_srtp_key_from_base64 (
          &m->key, profile, get_string (srtp, "key"), &local)) {
    /* The SRTP module's messages never quote a key. */
    set_error (error, ARTIC_SIGNAL_ERROR_KEY, "\"srtp\": %s", local->message);
    g_error_free (local);
    return FALSE;
  }

  node = json_object_get_member (obj, "ssrc");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return set_error (
        error, ARTIC_SIGNAL_ERROR_FIELD, "\"ssrc\" must be an array");
  ssrcs = json_node_get_array (node);
  n = json_array_get_length (ssrcs);
  if (n == 0 || n > ARTIC_SIGNAL_MAX_SSRCS)
    return set_error (error, ARTIC_SIGNAL_ERROR_FIELD,
        "\"ssrc\" must list 1..%d SSRCs", ARTIC_SIGNAL_MAX_SSRCS);
  for (i = 0; i < n; i++) {
    JsonNode *e = json_array_get_element (ssrcs, i);

    if (!JSON_NODE_HOLDS_VALUE (e)
        || json_node_get_value_type (e) != G_TYPE_INT64
        || json_node_get_int (e) < 0 || json_node_get_int (e) > G_MAXUINT32)
      return set_error (error, ARTIC_SIGNAL_ERROR_FIELD,
          "\"ssrc\" must hold integers in 0..4294967295");
    m->ssrcs[i] = (guint32) json_node_get_int (e);
  }
  m->n_ssrcs = n;

  udp = get_object (obj, "udp");
  s = get_string (udp, "address");
  if (s == NULL || strlen (s) > MAX_ADDRESS_LEN
      || !g_hostname_is_ip_address (s))
    return set_error (error, ARTIC_SIGNAL_ERROR_FIELD,
        "\"udp.address\" must be an IPv4 or IPv6 literal");
  m->address = g_strdup (s);
  if (!get_int (udp, "port", 1, 65535, &v))
    return set_error (
        error, ARTIC_SIGNAL_ERROR_FIELD, "\"udp.port\" must be 1..65535");
  m->port = (guint16) v;
  return artic_signal_validate (m, error);
}

ArticSignalMessage *
artic_signal_parse (const gchar *data, gsize length, GError **error)
{
  JsonParser *parser;
  JsonNode *root, *node;
  JsonObject *obj;
  ArticSignalMessage *m = NULL;
  const gchar *type;

  if (data == NULL || length == 0) {
    set_error (error, ARTIC_SIGNAL_ERROR_SYNTAX, "empty message");
    return NULL;
  }
  if (length > ARTIC_SIGNAL_MAX_MESSAGE_LEN) {
    set_error (error, ARTIC_SIGNAL_ERROR_TOO_LARGE,
        "message is %" G_GSIZE_FORMAT " bytes, the limit is %d", length,
        ARTIC_SIGNAL_MAX_MESSAGE_LEN);
    return NULL;
  }
  if (!artic_json_depth_within (data, length, ARTIC_SIGNAL_MAX_DEPTH)) {
    set_error (error, ARTIC_SIGNAL_ERROR_SYNTAX,
        "message nested deeper than %d levels", ARTIC_SIGNAL_MAX_DEPTH);
    return NULL;
  }
  parser = json_parser_new_immutable ();
  /* json-glib's message is not passed on: it may quote the text around
   * the error, which can be the key. */
  if (!json_parser_load_from_data (parser, data, (gssize) length, NULL)) {
    set_error (error, ARTIC_SIGNAL_ERROR_SYNTAX, "not valid JSON");
    goto out;
  }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    set_error (error, ARTIC_SIGNAL_ERROR_SYNTAX,
        "a signaling message is a JSON object");
    goto out;
  }
  obj = json_node_get_object (root);
  node = json_object_get_member (obj, "v");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64
      || json_node_get_int (node) != ARTIC_SIGNAL_VERSION) {
    set_error (error, ARTIC_SIGNAL_ERROR_VERSION,
        "member \"v\" must be %d (the version this side speaks)",
        ARTIC_SIGNAL_VERSION);
    goto out;
  }
  type = get_string (obj, "type");
  if (type == NULL
      || (strcmp (type, "offer") != 0 && strcmp (type, "answer") != 0)) {
    set_error (error, ARTIC_SIGNAL_ERROR_TYPE,
        "member \"type\" must be \"offer\" or \"answer\"");
    goto out;
  }
  m = artic_signal_message_new (
      strcmp (type, "offer") == 0 ? ARTIC_SIGNAL_OFFER : ARTIC_SIGNAL_ANSWER);
  if (!parse_members (obj, m, error))
    g_clear_pointer (&m, artic_signal_message_free);
out:
  g_object_unref (parser);
  return m;
}

gchar *
artic_signal_token_generate (GError **error)
{
  guint8 raw[32];
  gsize got = 0;
  gchar *token, *p;

  while (got < sizeof (raw)) {
    ssize_t n = getrandom (raw + got, sizeof (raw) - got, 0);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      explicit_bzero (raw, sizeof (raw));
      set_error (error, ARTIC_SIGNAL_ERROR_AUTH, "getrandom failed: %s",
          g_strerror (errno));
      return NULL;
    }
    got += (gsize) n;
  }
  token = g_base64_encode (raw, sizeof (raw));
  explicit_bzero (raw, sizeof (raw));
  /* base64url without padding: safe in headers, URLs and files. */
  for (p = token; *p; p++) {
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
    else if (*p == '=')
      *p = '\0';
  }
  return token;
}

gboolean
artic_signal_check_bearer (
    const gchar *authorization, const gchar *token, GError **error)
{
  const gchar *given;
  gsize given_len, token_len, i;
  guint diff;

  if (token == NULL || strlen (token) < ARTIC_SIGNAL_MIN_TOKEN_LEN
      || strlen (token) > ARTIC_SIGNAL_MAX_TOKEN_LEN)
    return set_error (error, ARTIC_SIGNAL_ERROR_AUTH,
        "the server's token must be %d..%d characters",
        ARTIC_SIGNAL_MIN_TOKEN_LEN, ARTIC_SIGNAL_MAX_TOKEN_LEN);
  if (authorization == NULL)
    return set_error (
        error, ARTIC_SIGNAL_ERROR_AUTH, "no Authorization header");
  if (g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return set_error (
        error, ARTIC_SIGNAL_ERROR_AUTH, "Authorization scheme is not Bearer");
  given = authorization + 7;
  given_len = strnlen (given, ARTIC_SIGNAL_MAX_TOKEN_LEN + 1);
  token_len = strlen (token);
  /* Constant time in the position of the first difference: every byte of
   * the expected token is compared, whatever the given one holds. */
  diff = given_len != token_len;
  for (i = 0; i < token_len; i++)
    diff |= (guint) (guchar) token[i]
            ^ (guint) (guchar) (i < given_len ? given[i] : 0);
  if (diff != 0)
    return set_error (error, ARTIC_SIGNAL_ERROR_AUTH, "wrong bearer token");
  return TRUE;
}
