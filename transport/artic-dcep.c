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

/* RFC 8832 DCEP messages and RFC 8831 PPIDs. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "artic-dcep.h"

G_DEFINE_QUARK (artic - dcep - error - quark, artic_dcep_error)

gboolean
artic_dcep_channel_type_is_valid (guint8 type)
{
  switch (type) {
    case ARTIC_DCEP_CHANNEL_RELIABLE:
    case ARTIC_DCEP_CHANNEL_RELIABLE_UNORDERED:
    case ARTIC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT:
    case ARTIC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED:
    case ARTIC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED:
    case ARTIC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED:
      return TRUE;
    default:
      return FALSE;
  }
}

gboolean
artic_dcep_channel_is_ordered (ArticDcepChannelType type)
{
  return (type & 0x80) == 0;
}

gboolean
artic_dcep_channel_is_reliable (ArticDcepChannelType type)
{
  return (type & 0x7f) == 0;
}

gboolean
artic_dcep_message_type (const guint8 *data, gsize length,
    ArticDcepMessageType *type, GError **error)
{
  if (data == NULL || length == 0) {
    g_set_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_TRUNCATED,
        "empty DCEP message");
    return FALSE;
  }
  if (data[0] != ARTIC_DCEP_MESSAGE_OPEN && data[0] != ARTIC_DCEP_MESSAGE_ACK) {
    g_set_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_MESSAGE_TYPE,
        "unknown DCEP message type 0x%02x (expected OPEN 0x03 or ACK 0x02)",
        data[0]);
    return FALSE;
  }
  *type = (ArticDcepMessageType) data[0];
  return TRUE;
}

static gboolean
check_string (const gchar *what, const gchar *s, gsize length, GError **error)
{
  const gchar *end;

  if (length > G_MAXUINT16) {
    g_set_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_TOO_LONG,
        "%s is %" G_GSIZE_FORMAT " bytes, the limit is 65535", what, length);
    return FALSE;
  }
  /* A NUL would truncate the C string the caller gets back; the RFC does
   * not forbid it, but no sensible label contains one. */
  if (memchr (s, '\0', length) != NULL || !g_utf8_validate (s, length, &end)) {
    g_set_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_STRING,
        "%s is not valid UTF-8 without NUL bytes", what);
    return FALSE;
  }
  return TRUE;
}

static void
put16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static guint16
get16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

GBytes *
artic_dcep_open_encode (const ArticDcepOpen *open, GError **error)
{
  const gchar *label, *protocol;
  gsize label_len, protocol_len;
  guint8 *msg;
  guint32 reliability;

  g_return_val_if_fail (open != NULL, NULL);
  if (!artic_dcep_channel_type_is_valid (open->channel_type)) {
    g_set_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_CHANNEL_TYPE,
        "unknown channel type 0x%02x", (guint) open->channel_type);
    return NULL;
  }
  label = open->label ? open->label : "";
  protocol = open->protocol ? open->protocol : "";
  label_len = strlen (label);
  protocol_len = strlen (protocol);
  if (!check_string ("label", label, label_len, error)
      || !check_string ("protocol", protocol, protocol_len, error))
    return NULL;

  /* RFC 8832 5.1: reliable channels MUST send 0. */
  reliability = artic_dcep_channel_is_reliable (open->channel_type)
                    ? 0
                    : open->reliability;
  msg = g_malloc (ARTIC_DCEP_OPEN_HEADER_LEN + label_len + protocol_len);
  msg[0] = ARTIC_DCEP_MESSAGE_OPEN;
  msg[1] = (guint8) open->channel_type;
  put16 (msg + 2, open->priority);
  msg[4] = reliability >> 24;
  msg[5] = (reliability >> 16) & 0xff;
  msg[6] = (reliability >> 8) & 0xff;
  msg[7] = reliability & 0xff;
  put16 (msg + 8, (guint16) label_len);
  put16 (msg + 10, (guint16) protocol_len);
  memcpy (msg + ARTIC_DCEP_OPEN_HEADER_LEN, label, label_len);
  memcpy (msg + ARTIC_DCEP_OPEN_HEADER_LEN + label_len, protocol, protocol_len);
  return g_bytes_new_take (
      msg, ARTIC_DCEP_OPEN_HEADER_LEN + label_len + protocol_len);
}

gboolean
artic_dcep_open_parse (
    const guint8 *data, gsize length, ArticDcepOpen *open, GError **error)
{
  gsize label_len, protocol_len, need;
  const gchar *label, *protocol;

  g_return_val_if_fail (open != NULL, FALSE);
  memset (open, 0, sizeof (*open));
  if (data == NULL || length < ARTIC_DCEP_OPEN_HEADER_LEN) {
    g_set_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_TRUNCATED,
        "DATA_CHANNEL_OPEN needs %d bytes, got %" G_GSIZE_FORMAT,
        ARTIC_DCEP_OPEN_HEADER_LEN, data ? length : 0);
    return FALSE;
  }
  if (data[0] != ARTIC_DCEP_MESSAGE_OPEN) {
    g_set_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_MESSAGE_TYPE,
        "message type 0x%02x is not DATA_CHANNEL_OPEN (0x03)", data[0]);
    return FALSE;
  }
  if (!artic_dcep_channel_type_is_valid (data[1])) {
    g_set_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_CHANNEL_TYPE,
        "unknown channel type 0x%02x", data[1]);
    return FALSE;
  }
  label_len = get16 (data + 8);
  protocol_len = get16 (data + 10);
  /* Both lengths are 16-bit, so the sum cannot overflow a gsize. */
  need = ARTIC_DCEP_OPEN_HEADER_LEN + label_len + protocol_len;
  if (length < need) {
    g_set_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_TRUNCATED,
        "DATA_CHANNEL_OPEN announces %" G_GSIZE_FORMAT
        " bytes of label and protocol, only %" G_GSIZE_FORMAT " present",
        label_len + protocol_len, length - ARTIC_DCEP_OPEN_HEADER_LEN);
    return FALSE;
  }
  if (length > need) {
    g_set_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_TRAILING,
        "%" G_GSIZE_FORMAT " bytes after DATA_CHANNEL_OPEN", length - need);
    return FALSE;
  }
  label = (const gchar *) data + ARTIC_DCEP_OPEN_HEADER_LEN;
  protocol = label + label_len;
  if (!check_string ("label", label, label_len, error)
      || !check_string ("protocol", protocol, protocol_len, error))
    return FALSE;

  open->channel_type = (ArticDcepChannelType) data[1];
  open->priority = get16 (data + 2);
  open->reliability = artic_dcep_channel_is_reliable (open->channel_type)
                          ? 0
                          : ((guint32) data[4] << 24)
                                | ((guint32) data[5] << 16)
                                | ((guint32) data[6] << 8) | data[7];
  open->label = g_strndup (label, label_len);
  open->protocol = g_strndup (protocol, protocol_len);
  return TRUE;
}

void
artic_dcep_open_clear (ArticDcepOpen *open)
{
  if (open == NULL)
    return;
  g_free (open->label);
  g_free (open->protocol);
  memset (open, 0, sizeof (*open));
}

GBytes *
artic_dcep_ack_encode (void)
{
  static const guint8 ack = ARTIC_DCEP_MESSAGE_ACK;

  return g_bytes_new_static (&ack, 1);
}

gboolean
artic_dcep_ack_parse (const guint8 *data, gsize length, GError **error)
{
  if (data == NULL || length == 0) {
    g_set_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_TRUNCATED,
        "empty DATA_CHANNEL_ACK");
    return FALSE;
  }
  if (data[0] != ARTIC_DCEP_MESSAGE_ACK) {
    g_set_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_MESSAGE_TYPE,
        "message type 0x%02x is not DATA_CHANNEL_ACK (0x02)", data[0]);
    return FALSE;
  }
  if (length != 1) {
    g_set_error (error, ARTIC_DCEP_ERROR, ARTIC_DCEP_ERROR_TRAILING,
        "%" G_GSIZE_FORMAT " bytes after DATA_CHANNEL_ACK", length - 1);
    return FALSE;
  }
  return TRUE;
}

guint32
artic_dcep_ppid_for_message (gboolean is_string, gsize length)
{
  if (length == 0)
    return is_string ? ARTIC_DCEP_PPID_STRING_EMPTY
                     : ARTIC_DCEP_PPID_BINARY_EMPTY;
  return is_string ? ARTIC_DCEP_PPID_STRING : ARTIC_DCEP_PPID_BINARY;
}

gboolean
artic_dcep_ppid_is_user_message (
    guint32 ppid, gboolean *is_string, gboolean *is_empty)
{
  gboolean string, empty;

  switch (ppid) {
    case ARTIC_DCEP_PPID_STRING:
      string = TRUE;
      empty = FALSE;
      break;
    case ARTIC_DCEP_PPID_STRING_EMPTY:
      string = TRUE;
      empty = TRUE;
      break;
    case ARTIC_DCEP_PPID_BINARY:
      string = FALSE;
      empty = FALSE;
      break;
    case ARTIC_DCEP_PPID_BINARY_EMPTY:
      string = FALSE;
      empty = TRUE;
      break;
    default:
      return FALSE;
  }
  if (is_string)
    *is_string = string;
  if (is_empty)
    *is_empty = empty;
  return TRUE;
}
