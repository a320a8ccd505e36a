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

/* The context channel: small JSON messages on a reliable, ordered data
 * channel between the sender (the person's device) and the receiver (next
 * to the MLLM). Questions go towards the model; the model's region boxes,
 * readability scores, bitrate caps and frame acknowledgements come back.
 * docs/context-channel.md is the specification; this module is its
 * reference implementation. Messages come from the network: every parse
 * checks size, nesting, types and ranges, and fails with an error in the
 * ARTIC_CONTEXT_ERROR domain. */

#ifndef ARTIC_CONTEXT_H
#define ARTIC_CONTEXT_H

#include <glib.h>

#include "artic-roi-box.h"

G_BEGIN_DECLS

/* The version this code speaks ("v" member). */
#define ARTIC_CONTEXT_VERSION 1
/* The data channel's label and sub-protocol (DCEP). */
#define ARTIC_CONTEXT_LABEL "context"
#define ARTIC_CONTEXT_PROTOCOL "artic-context/1"

/* Limits (see docs/context-channel.md). */
#define ARTIC_CONTEXT_MAX_MESSAGE_LEN 16384
#define ARTIC_CONTEXT_MAX_DEPTH 8
#define ARTIC_CONTEXT_MAX_TEXT_LEN 4096
#define ARTIC_CONTEXT_MAX_FRAMES 16
#define ARTIC_CONTEXT_MAX_ACKS 64
#define ARTIC_CONTEXT_MIN_KBPS 10
#define ARTIC_CONTEXT_MAX_KBPS 100000
/* Times are integer microseconds since the Unix epoch; JSON peers in
 * JavaScript hold integers exactly only up to 2^53. */
#define ARTIC_CONTEXT_MAX_TIME_US G_GINT64_CONSTANT (9007199254740991)

#define ARTIC_CONTEXT_ERROR (artic_context_error_quark ())

typedef enum
{
  ARTIC_CONTEXT_ERROR_TOO_LARGE, /* over a size or count limit */
  ARTIC_CONTEXT_ERROR_SYNTAX,    /* not JSON, or nested too deep */
  ARTIC_CONTEXT_ERROR_VERSION,   /* "v" missing or not 1 */
  ARTIC_CONTEXT_ERROR_TYPE,      /* "type" missing or unknown */
  ARTIC_CONTEXT_ERROR_FIELD,     /* a member missing, of the wrong type or
                                    out of range */
} ArticContextError;

typedef enum
{
  ARTIC_CONTEXT_QUESTION,    /* sender -> receiver */
  ARTIC_CONTEXT_BOXES,       /* receiver -> sender */
  ARTIC_CONTEXT_READABILITY, /* receiver -> sender */
  ARTIC_CONTEXT_BITRATE_CAP, /* receiver -> sender */
  ARTIC_CONTEXT_FRAME_ACK,   /* receiver -> sender */
} ArticContextType;

/* The boxes of one frame, identified by its capture time. An empty array
 * means "no region" (the model's [[0,0],[0,0]]). */
typedef struct
{
  gint64 frame_time_us;
  GArray *boxes; /* of ArticRoiBox, 0..1000 coordinates */
} ArticContextFrameBoxes;

typedef struct
{
  ArticContextType type;
  /* QUESTION, BOXES, READABILITY: the question this is about (>= 1). */
  guint32 question_id;
  /* QUESTION */
  gchar *text;
  gint64 timestamp_us;
  /* BOXES: of ArticContextFrameBoxes, 1..ARTIC_CONTEXT_MAX_FRAMES */
  GArray *frames;
  /* READABILITY: 0.0 (unreadable) .. 1.0 (perfect) */
  gdouble score;
  /* BITRATE_CAP */
  guint32 kbps;
  /* FRAME_ACK: of gint64 capture times, 1..ARTIC_CONTEXT_MAX_ACKS */
  GArray *acks;
} ArticContextMessage;

GQuark artic_context_error_quark (void);

/* An empty message of @type (arrays allocated, empty). */
ArticContextMessage *artic_context_message_new (ArticContextType type);
void artic_context_message_free (ArticContextMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ArticContextMessage, artic_context_message_free)

/* Convenience constructors. */
ArticContextMessage *artic_context_question_new (
    guint32 question_id, const gchar *text, gint64 timestamp_us);
/* Appends a frame's boxes (copied; NULL = no region) to a BOXES message. */
void artic_context_boxes_add_frame (ArticContextMessage *message,
    gint64 frame_time_us, const ArticRoiBox *boxes, guint n_boxes);

/* The wire name of @type ("question", "boxes", ...). */
const gchar *artic_context_type_name (ArticContextType type);

/* Checks @message against the limits of the format. */
gboolean artic_context_validate (
    const ArticContextMessage *message, GError **error);

/* Encodes a valid message as compact JSON (NUL-terminated; *@length
 * without the NUL). NULL with an error if the message is invalid. */
gchar *artic_context_encode (
    const ArticContextMessage *message, gsize *length, GError **error);

/* Parses one message of @length bytes (not NUL-terminated). Unknown
 * members are ignored (later minor additions); an unknown "v" or "type"
 * is an error. */
ArticContextMessage *artic_context_parse (
    const gchar *data, gsize length, GError **error);

G_END_DECLS

#endif /* ARTIC_CONTEXT_H */
