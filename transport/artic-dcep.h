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

/* The WebRTC Data Channel Establishment Protocol (RFC 8832) and the
 * payload protocol identifiers of data channel messages (RFC 8831).
 *
 * DCEP messages travel on the data channel's own SCTP stream with PPID 50.
 * The opener sends DATA_CHANNEL_OPEN; the peer answers DATA_CHANNEL_ACK.
 * Parsers here see bytes from the network: every length is checked, labels
 * and protocols must be UTF-8 without NUL, and nothing may follow the
 * message. */

#ifndef ARTIC_DCEP_H
#define ARTIC_DCEP_H

#include <glib.h>

G_BEGIN_DECLS

/* RFC 8831 section 8 (IANA "SCTP Payload Protocol Identifiers"). Note that
 * GStreamer 1.22's webrtc library names 56 and 57 the other way round; the
 * RFC is authoritative: 56 is the empty STRING, 57 the empty BINARY. */
#define ARTIC_DCEP_PPID_DCEP 50
#define ARTIC_DCEP_PPID_STRING 51
#define ARTIC_DCEP_PPID_BINARY 53
#define ARTIC_DCEP_PPID_STRING_EMPTY 56
#define ARTIC_DCEP_PPID_BINARY_EMPTY 57

/* RFC 8832 section 5.1 priorities (any 16-bit value is valid). */
#define ARTIC_DCEP_PRIORITY_BELOW_NORMAL 128
#define ARTIC_DCEP_PRIORITY_NORMAL 256
#define ARTIC_DCEP_PRIORITY_HIGH 512
#define ARTIC_DCEP_PRIORITY_EXTRA_HIGH 1024

/* The fixed part of DATA_CHANNEL_OPEN. */
#define ARTIC_DCEP_OPEN_HEADER_LEN 12

#define ARTIC_DCEP_ERROR (artic_dcep_error_quark ())

typedef enum
{
  ARTIC_DCEP_ERROR_TRUNCATED,    /* shorter than its fields say */
  ARTIC_DCEP_ERROR_TRAILING,     /* bytes after the message */
  ARTIC_DCEP_ERROR_MESSAGE_TYPE, /* not OPEN (0x03) or ACK (0x02) */
  ARTIC_DCEP_ERROR_CHANNEL_TYPE, /* not one of the six channel types */
  ARTIC_DCEP_ERROR_STRING,       /* label/protocol not UTF-8, or has NUL */
  ARTIC_DCEP_ERROR_TOO_LONG,     /* label/protocol over 65535 bytes */
} ArticDcepError;

typedef enum
{
  ARTIC_DCEP_MESSAGE_ACK = 0x02,
  ARTIC_DCEP_MESSAGE_OPEN = 0x03,
} ArticDcepMessageType;

/* RFC 8832 section 5.1. The high bit means unordered. */
typedef enum
{
  ARTIC_DCEP_CHANNEL_RELIABLE = 0x00,
  ARTIC_DCEP_CHANNEL_RELIABLE_UNORDERED = 0x80,
  ARTIC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT = 0x01,
  ARTIC_DCEP_CHANNEL_PARTIAL_RELIABLE_REXMIT_UNORDERED = 0x81,
  ARTIC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED = 0x02,
  ARTIC_DCEP_CHANNEL_PARTIAL_RELIABLE_TIMED_UNORDERED = 0x82,
} ArticDcepChannelType;

typedef struct
{
  ArticDcepChannelType channel_type;
  guint16 priority;
  /* Retransmissions (REXMIT) or milliseconds (TIMED); 0 for reliable
   * channels (ignored on receipt, as the RFC says). */
  guint32 reliability;
  gchar *label;    /* UTF-8, never NULL after a parse ("" if empty) */
  gchar *protocol; /* UTF-8, never NULL after a parse */
} ArticDcepOpen;

GQuark artic_dcep_error_quark (void);

/* The type of a DCEP message (first byte), or FALSE with an error. */
gboolean artic_dcep_message_type (const guint8 *data, gsize length,
    ArticDcepMessageType *type, GError **error);

/* Encodes DATA_CHANNEL_OPEN. NULL label/protocol mean "". */
GBytes *artic_dcep_open_encode (const ArticDcepOpen *open, GError **error);
/* Parses DATA_CHANNEL_OPEN into @open (clear it with
 * artic_dcep_open_clear()). On failure @open is left empty. */
gboolean artic_dcep_open_parse (
    const guint8 *data, gsize length, ArticDcepOpen *open, GError **error);
/* Frees the strings and zeroes @open. */
void artic_dcep_open_clear (ArticDcepOpen *open);

/* DATA_CHANNEL_ACK: one byte, 0x02. */
GBytes *artic_dcep_ack_encode (void);
gboolean artic_dcep_ack_parse (
    const guint8 *data, gsize length, GError **error);

gboolean artic_dcep_channel_type_is_valid (guint8 type);
gboolean artic_dcep_channel_is_ordered (ArticDcepChannelType type);
gboolean artic_dcep_channel_is_reliable (ArticDcepChannelType type);

/* The PPID for a user message: 51/53, or 56/57 for an empty one (which
 * is sent as one zero byte, since SCTP cannot carry an empty message). */
guint32 artic_dcep_ppid_for_message (gboolean is_string, gsize length);
/* TRUE for 51/56 (string) or 53/57 (binary); @is_string and @is_empty
 * say which. FALSE for DCEP and any other PPID. */
gboolean artic_dcep_ppid_is_user_message (
    guint32 ppid, gboolean *is_string, gboolean *is_empty);

G_END_DECLS

#endif /* ARTIC_DCEP_H */
