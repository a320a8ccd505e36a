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

/* What artic-send and artic-recv share about the peer session: the bearer
 * token (from a file or an environment variable, never from the command
 * line), the question message the sender sends, the boxes message the
 * receiver builds from the model's ZeCoStream reply, and the prompt that
 * asks the model for those boxes. */

#ifndef ARTIC_PEER_CLI_H
#define ARTIC_PEER_CLI_H

#include <glib.h>

#include "artic-context.h"

G_BEGIN_DECLS

/* The environment variable read when no token file is given. */
#define ARTIC_PEER_CLI_TOKEN_ENV "ARTIC_TOKEN"
/* Default signaling port (TCP) next to the default media port 5004. */
#define ARTIC_PEER_CLI_DEFAULT_SIGNAL_PORT 5005
/* Future frames the model is asked to predict boxes for, and their
 * spacing (ZeCoStream: 3 frames at the model's 2 fps). */
#define ARTIC_PEER_CLI_BOX_FRAMES 3
#define ARTIC_PEER_CLI_BOX_STEP_US (G_USEC_PER_SEC / 2)

/* The token: the first line of @path, or if @path is NULL the variable
 * ARTIC_PEER_CLI_TOKEN_ENV. Errors never quote the secret. Free with
 * artic_srtp_secret_free(). */
gchar *artic_peer_cli_load_token (const gchar *path, GError **error);

/* A `question` message (JSON, docs/context-channel.md) asked now. */
gchar *artic_peer_cli_question_message (
    guint32 question_id, const gchar *text, GError **error);

/* The prompt that asks the model for the boxes of the region relevant to
 * @question in the next ARTIC_PEER_CLI_BOX_FRAMES frames (the answerer's
 * "boxes" request kind, docs/answerer.md). */
gchar *artic_peer_cli_boxes_prompt (const gchar *question);
/* The question inside a prompt made by artic_peer_cli_boxes_prompt, or
 * NULL if @prompt is not one. */
const gchar *artic_peer_cli_boxes_prompt_question (const gchar *prompt);

/* A `boxes` message from the model's reply: a JSON array with one entry per
 * future frame, each in any box form (docs/context-channel.md); frame i
 * gets the time @first_frame_us + i * @step_us. A reply that is one box or
 * a flat list of boxes counts as one frame. Text around the JSON (models
 * like to explain) is skipped. */
gchar *artic_peer_cli_boxes_message (guint32 question_id, const gchar *reply,
    gint64 first_frame_us, gint64 step_us, GError **error);

/* The boxes of a parsed `boxes` message for the frame being encoded now:
 * those of the first frame time at or after now (the model predicts
 * ahead), else the last frame's; as the list form articroi's `boxes`
 * property takes ("[]": no region). */
gchar *artic_peer_cli_boxes_for_now (const ArticContextMessage *boxes);

G_END_DECLS

#endif /* ARTIC_PEER_CLI_H */
