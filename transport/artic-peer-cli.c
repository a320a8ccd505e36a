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

/* What the programs share about the peer session (artic-peer-cli.h). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <json-glib/json-glib.h>

#include "artic-context.h"
#include "artic-json.h"
#include "artic-peer-cli.h"
#include "artic-srtp.h"

/* A token file holds a line, not a document. */
#define MAX_TOKEN_FILE_LEN 4096
#define BOXES_PROMPT_HEAD                                                   \
  "Predict the bounding box of the region relevant to the question in the " \
  "next 3 frames, as [[x_min,y_min],[x_max,y_max]] in 0..1000.\nQuestion: "

gchar *
artic_peer_cli_load_token (const gchar *path, GError **error)
{
  gchar *content = NULL, *token;
  gsize length = 0;

  if (path == NULL) {
    const gchar *value = g_getenv (ARTIC_PEER_CLI_TOKEN_ENV);

    if (value == NULL || *value == '\0') {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
          "no bearer token: give --token-file FILE or set %s",
          ARTIC_PEER_CLI_TOKEN_ENV);
      return NULL;
    }
    return g_strstrip (g_strdup (value));
  }
  if (!g_file_get_contents (path, &content, &length, error))
    return NULL;
  if (length > MAX_TOKEN_FILE_LEN) {
    artic_srtp_secret_free (content);
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "token file '%s' is too large to hold a token", path);
    return NULL;
  }
  content[strcspn (content, "\r\n")] = '\0';
  token = g_strdup (g_strstrip (content));
  artic_srtp_secret_free (content);
  if (*token == '\0') {
    g_free (token);
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "token file '%s' is empty", path);
    return NULL;
  }
  return token;
}

gchar *
artic_peer_cli_question_message (
    guint32 question_id, const gchar *text, GError **error)
{
  ArticContextMessage *m
      = artic_context_question_new (question_id, text, g_get_real_time ());
  gchar *json = artic_context_encode (m, NULL, error);

  artic_context_message_free (m);
  return json;
}

gchar *
artic_peer_cli_boxes_prompt (const gchar *question)
{
  return g_strconcat (BOXES_PROMPT_HEAD, question, NULL);
}

const gchar *
artic_peer_cli_boxes_prompt_question (const gchar *prompt)
{
  if (prompt == NULL || !g_str_has_prefix (prompt, BOXES_PROMPT_HEAD))
    return NULL;
  return prompt + strlen (BOXES_PROMPT_HEAD);
}

/* One frame's boxes: a flat box [x,y,x,y], a corner box [[x,y],[x,y]], or
 * an object, rather than a list of per-frame entries. */
static gboolean
reply_is_one_frame (JsonNode *root)
{
  JsonArray *array;
  JsonNode *first;

  if (!JSON_NODE_HOLDS_ARRAY (root))
    return TRUE;
  array = json_node_get_array (root);
  if (json_array_get_length (array) == 0)
    return TRUE;
  first = json_array_get_element (array, 0);
  if (JSON_NODE_HOLDS_VALUE (first))
    return TRUE; /* [x_min, y_min, x_max, y_max] */
  if (JSON_NODE_HOLDS_ARRAY (first)) {
    JsonArray *corner = json_node_get_array (first);

    /* [[x,y],[x,y]]: its elements are points (numbers inside). */
    return json_array_get_length (corner) > 0
           && JSON_NODE_HOLDS_VALUE (json_array_get_element (corner, 0));
  }
  return FALSE;
}

static gboolean
add_frame (ArticContextMessage *m, JsonNode *node, gint64 t_us, GError **error)
{
  gchar *json = json_to_string (node, FALSE);
  GArray *boxes = artic_roi_boxes_parse (json, -1, error);

  g_free (json);
  if (boxes == NULL)
    return FALSE;
  artic_context_boxes_add_frame (m, t_us,
      boxes->len ? (const ArticRoiBox *) boxes->data : NULL, boxes->len);
  g_array_unref (boxes);
  return TRUE;
}

gchar *
artic_peer_cli_boxes_message (guint32 question_id, const gchar *reply,
    gint64 first_frame_us, gint64 step_us, GError **error)
{
  const gchar *start, *end;
  JsonParser *parser = NULL;
  JsonNode *root;
  ArticContextMessage *m = NULL;
  gchar *message = NULL;
  gsize length;

  g_return_val_if_fail (reply != NULL, NULL);
  /* The JSON between the first opening and the last closing bracket. */
  start = strpbrk (reply, "[{");
  end = start ? MAX (strrchr (start, ']'), strrchr (start, '}')) : NULL;
  if (start == NULL || end == NULL) {
    g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_SYNTAX,
        "the model's reply holds no boxes");
    return NULL;
  }
  length = (gsize) (end - start) + 1;
  if (length > ARTIC_CONTEXT_MAX_MESSAGE_LEN
      || !artic_json_depth_within (start, length, ARTIC_CONTEXT_MAX_DEPTH)) {
    g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TOO_LARGE,
        "the model's boxes are too large or nested too deep");
    return NULL;
  }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, start, (gssize) length, NULL)) {
    g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_SYNTAX,
        "the model's boxes are not JSON");
    goto done;
  }
  root = json_parser_get_root (parser);
  m = artic_context_message_new (ARTIC_CONTEXT_BOXES);
  m->question_id = question_id;
  if (reply_is_one_frame (root)) {
    if (!add_frame (m, root, first_frame_us, error))
      goto done;
  } else {
    JsonArray *frames = json_node_get_array (root);
    guint i, n = MIN (json_array_get_length (frames), ARTIC_CONTEXT_MAX_FRAMES);

    for (i = 0; i < n; i++)
      if (!add_frame (m, json_array_get_element (frames, i),
              first_frame_us + (gint64) i * step_us, error))
        goto done;
  }
  message = artic_context_encode (m, NULL, error);

done:
  artic_context_message_free (m);
  g_clear_object (&parser);
  return message;
}

gchar *
artic_peer_cli_boxes_for_now (const ArticContextMessage *m)
{
  gint64 now = g_get_real_time ();
  const ArticContextFrameBoxes *chosen = NULL;
  GString *json = g_string_new ("[");
  guint i;

  g_return_val_if_fail (m != NULL && m->frames != NULL, NULL);
  for (i = 0; i < m->frames->len; i++) {
    const ArticContextFrameBoxes *f
        = &g_array_index (m->frames, ArticContextFrameBoxes, i);

    chosen = f;
    if (f->frame_time_us >= now)
      break;
  }
  for (i = 0; chosen != NULL && i < chosen->boxes->len; i++) {
    const ArticRoiBox *b = &g_array_index (chosen->boxes, ArticRoiBox, i);

    g_string_append_printf (json, "%s[[%.0f,%.0f],[%.0f,%.0f]]", i ? "," : "",
        b->x_min, b->y_min, b->x_max, b->y_max);
  }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}
