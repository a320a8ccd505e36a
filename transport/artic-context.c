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

/* Context-channel messages (docs/context-channel.md), JSON through
 * json-glib. Boxes reuse the ROI feedback parser, so a frame's "boxes"
 * member accepts every form the MLLM feedback does. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "artic-context.h"
#include "artic-json.h"

G_DEFINE_QUARK (artic_context_error_quark, artic_context_error)

static const gchar *const type_names[]
    = { "question", "boxes", "readability", "bitrate_cap", "frame_ack" };

const gchar *
artic_context_type_name (ArticContextType type)
{
  if ((guint) type < G_N_ELEMENTS (type_names))
    return type_names[type];
  return "unknown";
}

static void
frame_boxes_clear (gpointer data)
{
  ArticContextFrameBoxes *frame = data;

  g_clear_pointer (&frame->boxes, g_array_unref);
}

ArticContextMessage *
artic_context_message_new (ArticContextType type)
{
  ArticContextMessage *message = g_new0 (ArticContextMessage, 1);

  message->type = type;
  message->frames = g_array_new (FALSE, TRUE, sizeof (ArticContextFrameBoxes));
  g_array_set_clear_func (message->frames, frame_boxes_clear);
  message->acks = g_array_new (FALSE, FALSE, sizeof (gint64));
  return message;
}

void
artic_context_message_free (ArticContextMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->text);
  g_array_unref (message->frames);
  g_array_unref (message->acks);
  g_free (message);
}

ArticContextMessage *
artic_context_question_new (
    guint32 question_id, const gchar *text, gint64 timestamp_us)
{
  ArticContextMessage *message
      = artic_context_message_new (ARTIC_CONTEXT_QUESTION);

  message->question_id = question_id;
  message->text = g_strdup (text);
  message->timestamp_us = timestamp_us;
  return message;
}

void
artic_context_boxes_add_frame (ArticContextMessage *message,
    gint64 frame_time_us, const ArticRoiBox *boxes, guint n_boxes)
{
  ArticContextFrameBoxes frame;

  g_return_if_fail (message != NULL);
  frame.frame_time_us = frame_time_us;
  frame.boxes = g_array_sized_new (FALSE, FALSE, sizeof (ArticRoiBox), n_boxes);
  if (boxes != NULL && n_boxes > 0)
    g_array_append_vals (frame.boxes, boxes, n_boxes);
  g_array_append_val (message->frames, frame);
}

/* ---- validation (shared by encode and parse) ---- */

static gboolean field_error (GError **error, const gchar *format, ...)
    G_GNUC_PRINTF (2, 3);

static gboolean
field_error (GError **error, const gchar *format, ...)
{
  va_list args;
  gchar *msg;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (
      error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_FIELD, msg);
  g_free (msg);
  return FALSE;
}

static gboolean
check_time (const gchar *what, gint64 t, GError **error)
{
  if (t < 0 || t > ARTIC_CONTEXT_MAX_TIME_US)
    return field_error (error,
        "\"%s\" must be microseconds since the Unix epoch in 0..2^53-1", what);
  return TRUE;
}

static gboolean
check_text (const gchar *text, GError **error)
{
  gsize len;
  const gchar *p;

  if (text == NULL || text[0] == '\0')
    return field_error (error, "\"text\" must be a non-empty string");
  len = strlen (text);
  if (len > ARTIC_CONTEXT_MAX_TEXT_LEN) {
    g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TOO_LARGE,
        "\"text\" is %" G_GSIZE_FORMAT " bytes, the limit is %d", len,
        ARTIC_CONTEXT_MAX_TEXT_LEN);
    return FALSE;
  }
  if (!g_utf8_validate (text, len, NULL))
    return field_error (error, "\"text\" is not valid UTF-8");
  /* Control characters would reach the model's prompt and the logs. */
  for (p = text; *p; p++) {
    guchar c = (guchar) *p;

    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
      return field_error (
          error, "\"text\" contains control character 0x%02x", c);
  }
  return TRUE;
}

static gboolean
check_boxes (const GArray *boxes, GError **error)
{
  guint i;

  if (boxes->len > ARTIC_ROI_MAX_BOXES) {
    g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TOO_LARGE,
        "a frame has %u boxes, the limit is %d", boxes->len,
        ARTIC_ROI_MAX_BOXES);
    return FALSE;
  }
  for (i = 0; i < boxes->len; i++) {
    const ArticRoiBox *b = &g_array_index (boxes, ArticRoiBox, i);

    if (!(b->x_min >= 0 && b->x_min <= b->x_max
            && b->x_max <= ARTIC_ROI_COORD_MAX && b->y_min >= 0
            && b->y_min <= b->y_max && b->y_max <= ARTIC_ROI_COORD_MAX))
      return field_error (
          error, "box %u is not ordered corners within 0..1000", i);
  }
  return TRUE;
}

gboolean
artic_context_validate (const ArticContextMessage *m, GError **error)
{
  guint i;

  g_return_val_if_fail (m != NULL, FALSE);
  switch (m->type) {
    case ARTIC_CONTEXT_QUESTION:
      if (m->question_id == 0)
        return field_error (error, "\"question_id\" must be >= 1");
      return check_text (m->text, error)
             && check_time ("t_us", m->timestamp_us, error);
    case ARTIC_CONTEXT_BOXES:
      if (m->question_id == 0)
        return field_error (error, "\"question_id\" must be >= 1");
      if (m->frames->len == 0)
        return field_error (error, "\"frames\" must not be empty");
      if (m->frames->len > ARTIC_CONTEXT_MAX_FRAMES) {
        g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TOO_LARGE,
            "%u frames, the limit is %d", m->frames->len,
            ARTIC_CONTEXT_MAX_FRAMES);
        return FALSE;
      }
      for (i = 0; i < m->frames->len; i++) {
        const ArticContextFrameBoxes *f
            = &g_array_index (m->frames, ArticContextFrameBoxes, i);

        if (!check_time ("t_us", f->frame_time_us, error)
            || !check_boxes (f->boxes, error))
          return FALSE;
        /* Increasing times let the sender interpolate without sorting. */
        if (i > 0
            && f->frame_time_us
                   <= g_array_index (m->frames, ArticContextFrameBoxes, i - 1)
                          .frame_time_us)
          return field_error (error,
              "frame times must increase (frame %u is not after frame %u)", i,
              i - 1);
      }
      return TRUE;
    case ARTIC_CONTEXT_READABILITY:
      if (m->question_id == 0)
        return field_error (error, "\"question_id\" must be >= 1");
      if (!(m->score >= 0.0 && m->score <= 1.0))
        return field_error (error, "\"score\" must be a number in 0..1");
      return TRUE;
    case ARTIC_CONTEXT_BITRATE_CAP:
      if (m->kbps < ARTIC_CONTEXT_MIN_KBPS || m->kbps > ARTIC_CONTEXT_MAX_KBPS)
        return field_error (error, "\"kbps\" must be an integer in %d..%d",
            ARTIC_CONTEXT_MIN_KBPS, ARTIC_CONTEXT_MAX_KBPS);
      return TRUE;
    case ARTIC_CONTEXT_FRAME_ACK:
      if (m->acks->len == 0)
        return field_error (error, "\"frames\" must not be empty");
      if (m->acks->len > ARTIC_CONTEXT_MAX_ACKS) {
        g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TOO_LARGE,
            "%u acknowledged frames, the "
            "limit is %d",
            m->acks->len, ARTIC_CONTEXT_MAX_ACKS);
        return FALSE;
      }
      for (i = 0; i < m->acks->len; i++)
        if (!check_time ("frames", g_array_index (m->acks, gint64, i), error))
          return FALSE;
      return TRUE;
    default:
      g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TYPE,
          "unknown message type %d", (gint) m->type);
      return FALSE;
  }
}

/* ---- encoding ---- */

static void
add_boxes (JsonBuilder *b, const GArray *boxes)
{
  guint i;

  json_builder_begin_array (b);
  for (i = 0; i < boxes->len; i++) {
    const ArticRoiBox *box = &g_array_index (boxes, ArticRoiBox, i);

    json_builder_begin_array (b);
    json_builder_begin_array (b);
    json_builder_add_double_value (b, box->x_min);
    json_builder_add_double_value (b, box->y_min);
    json_builder_end_array (b);
    json_builder_begin_array (b);
    json_builder_add_double_value (b, box->x_max);
    json_builder_add_double_value (b, box->y_max);
    json_builder_end_array (b);
    json_builder_end_array (b);
  }
  json_builder_end_array (b);
}

gchar *
artic_context_encode (
    const ArticContextMessage *m, gsize *length, GError **error)
{
  JsonBuilder *b;
  JsonGenerator *gen;
  JsonNode *root;
  gchar *out;
  gsize len;
  guint i;

  if (!artic_context_validate (m, error))
    return NULL;
  b = json_builder_new_immutable ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "v");
  json_builder_add_int_value (b, ARTIC_CONTEXT_VERSION);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, artic_context_type_name (m->type));
  switch (m->type) {
    case ARTIC_CONTEXT_QUESTION:
      json_builder_set_member_name (b, "question_id");
      json_builder_add_int_value (b, m->question_id);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, m->text);
      json_builder_set_member_name (b, "t_us");
      json_builder_add_int_value (b, m->timestamp_us);
      break;
    case ARTIC_CONTEXT_BOXES:
      json_builder_set_member_name (b, "question_id");
      json_builder_add_int_value (b, m->question_id);
      json_builder_set_member_name (b, "frames");
      json_builder_begin_array (b);
      for (i = 0; i < m->frames->len; i++) {
        const ArticContextFrameBoxes *f
            = &g_array_index (m->frames, ArticContextFrameBoxes, i);

        json_builder_begin_object (b);
        json_builder_set_member_name (b, "t_us");
        json_builder_add_int_value (b, f->frame_time_us);
        json_builder_set_member_name (b, "boxes");
        add_boxes (b, f->boxes);
        json_builder_end_object (b);
      }
      json_builder_end_array (b);
      break;
    case ARTIC_CONTEXT_READABILITY:
      json_builder_set_member_name (b, "question_id");
      json_builder_add_int_value (b, m->question_id);
      json_builder_set_member_name (b, "score");
      json_builder_add_double_value (b, m->score);
      break;
    case ARTIC_CONTEXT_BITRATE_CAP:
      json_builder_set_member_name (b, "kbps");
      json_builder_add_int_value (b, m->kbps);
      break;
    case ARTIC_CONTEXT_FRAME_ACK:
      json_builder_set_member_name (b, "frames");
      json_builder_begin_array (b);
      for (i = 0; i < m->acks->len; i++)
        json_builder_add_int_value (b, g_array_index (m->acks, gint64, i));
      json_builder_end_array (b);
      break;
  }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  gen = json_generator_new ();
  json_generator_set_root (gen, root);
  out = json_generator_to_data (gen, &len);
  json_node_unref (root);
  g_object_unref (gen);
  g_object_unref (b);
  /* Validated fields fit, but 16 frames of 64 boxes do not: the size limit
   * is part of the format, so the encoder enforces it too. */
  if (len > ARTIC_CONTEXT_MAX_MESSAGE_LEN) {
    g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TOO_LARGE,
        "encoded message is %" G_GSIZE_FORMAT " bytes, the limit is %d", len,
        ARTIC_CONTEXT_MAX_MESSAGE_LEN);
    g_free (out);
    return NULL;
  }
  if (length)
    *length = len;
  return out;
}

/* ---- parsing ---- */

static gboolean
check_depth (const gchar *json, gsize length, GError **error)
{
  if (artic_json_depth_within (json, length, ARTIC_CONTEXT_MAX_DEPTH))
    return TRUE;
  g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_SYNTAX,
      "message nested deeper than %d levels", ARTIC_CONTEXT_MAX_DEPTH);
  return FALSE;
}

static JsonNode *
get_member (JsonObject *obj, const gchar *name, GError **error)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL)
    field_error (error, "member \"%s\" is missing", name);
  return node;
}

static gboolean
node_is_int (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
get_int (JsonObject *obj, const gchar *name, gint64 min, gint64 max,
    gint64 *out, GError **error)
{
  JsonNode *node = get_member (obj, name, error);

  if (node == NULL)
    return FALSE;
  if (!node_is_int (node) || json_node_get_int (node) < min
      || json_node_get_int (node) > max)
    return field_error (error,
        "\"%s\" must be an integer in %" G_GINT64_FORMAT "..%" G_GINT64_FORMAT,
        name, min, max);
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_question_id (JsonObject *obj, ArticContextMessage *m, GError **error)
{
  gint64 v;

  if (!get_int (obj, "question_id", 1, G_MAXUINT32, &v, error))
    return FALSE;
  m->question_id = (guint32) v;
  return TRUE;
}

static gboolean
parse_question (JsonObject *obj, ArticContextMessage *m, GError **error)
{
  JsonNode *node;

  if (!get_question_id (obj, m, error)
      || !get_int (
          obj, "t_us", 0, ARTIC_CONTEXT_MAX_TIME_US, &m->timestamp_us, error))
    return FALSE;
  node = get_member (obj, "text", error);
  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return field_error (error, "\"text\" must be a string");
  m->text = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
parse_frame (
    JsonNode *node, guint index, ArticContextMessage *m, GError **error)
{
  JsonObject *obj;
  JsonNode *boxes_node;
  ArticContextFrameBoxes frame;
  gchar *boxes_json;
  GArray *boxes;
  GError *local = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return field_error (error, "frame %u must be an object", index);
  obj = json_node_get_object (node);
  if (!get_int (obj, "t_us", 0, ARTIC_CONTEXT_MAX_TIME_US, &frame.frame_time_us,
          error))
    return FALSE;
  boxes_node = get_member (obj, "boxes", error);
  if (boxes_node == NULL)
    return FALSE;
  /* One box grammar for the whole project: hand the member to the ROI
   * feedback parser (clamping, corner order, "no box" markers). */
  boxes_json = json_to_string (boxes_node, FALSE);
  boxes = artic_roi_boxes_parse (boxes_json, -1, &local);
  g_free (boxes_json);
  if (boxes == NULL) {
    g_set_error (error, ARTIC_CONTEXT_ERROR,
        local->code == ARTIC_ROI_ERROR_TOO_LARGE ? ARTIC_CONTEXT_ERROR_TOO_LARGE
                                                 : ARTIC_CONTEXT_ERROR_FIELD,
        "frame %u: %s", index, local->message);
    g_error_free (local);
    return FALSE;
  }
  frame.boxes = boxes;
  g_array_append_val (m->frames, frame);
  return TRUE;
}

static gboolean
parse_boxes (JsonObject *obj, ArticContextMessage *m, GError **error)
{
  JsonNode *node;
  JsonArray *frames;
  guint i, n;

  if (!get_question_id (obj, m, error))
    return FALSE;
  node = get_member (obj, "frames", error);
  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return field_error (error, "\"frames\" must be an array");
  frames = json_node_get_array (node);
  n = json_array_get_length (frames);
  if (n > ARTIC_CONTEXT_MAX_FRAMES) {
    g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TOO_LARGE,
        "%u frames, the limit is %d", n, ARTIC_CONTEXT_MAX_FRAMES);
    return FALSE;
  }
  for (i = 0; i < n; i++)
    if (!parse_frame (json_array_get_element (frames, i), i, m, error))
      return FALSE;
  return TRUE;
}

static gboolean
parse_readability (JsonObject *obj, ArticContextMessage *m, GError **error)
{
  JsonNode *node;

  if (!get_question_id (obj, m, error))
    return FALSE;
  node = get_member (obj, "score", error);
  if (node == NULL)
    return FALSE;
  if (node_is_int (node))
    m->score = (gdouble) json_node_get_int (node);
  else if (JSON_NODE_HOLDS_VALUE (node)
           && json_node_get_value_type (node) == G_TYPE_DOUBLE)
    m->score = json_node_get_double (node);
  else
    return field_error (error, "\"score\" must be a number in 0..1");
  return TRUE;
}

static gboolean
parse_bitrate_cap (JsonObject *obj, ArticContextMessage *m, GError **error)
{
  gint64 v;

  if (!get_int (obj, "kbps", ARTIC_CONTEXT_MIN_KBPS, ARTIC_CONTEXT_MAX_KBPS, &v,
          error))
    return FALSE;
  m->kbps = (guint32) v;
  return TRUE;
}

static gboolean
parse_frame_ack (JsonObject *obj, ArticContextMessage *m, GError **error)
{
  JsonNode *node = get_member (obj, "frames", error);
  JsonArray *frames;
  guint i, n;

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return field_error (error, "\"frames\" must be an array");
  frames = json_node_get_array (node);
  n = json_array_get_length (frames);
  if (n > ARTIC_CONTEXT_MAX_ACKS) {
    g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TOO_LARGE,
        "%u acknowledged frames, the limit is %d", n, ARTIC_CONTEXT_MAX_ACKS);
    return FALSE;
  }
  for (i = 0; i < n; i++) {
    JsonNode *e = json_array_get_element (frames, i);
    gint64 t;

    if (!node_is_int (e))
      return field_error (error, "\"frames\" must hold integers");
    t = json_node_get_int (e);
    g_array_append_val (m->acks, t);
  }
  return TRUE;
}

static gboolean
parse_envelope (JsonNode *root, ArticContextType *type, GError **error)
{
  JsonObject *obj;
  JsonNode *node;
  const gchar *name;
  guint i;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_SYNTAX,
        "a context message is a JSON object");
    return FALSE;
  }
  obj = json_node_get_object (root);
  node = json_object_get_member (obj, "v");
  if (node == NULL || !node_is_int (node)) {
    g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_VERSION,
        "member \"v\" (integer version) is missing");
    return FALSE;
  }
  if (json_node_get_int (node) != ARTIC_CONTEXT_VERSION) {
    g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_VERSION,
        "unsupported context version %" G_GINT64_FORMAT " (this side speaks "
        "%d)",
        json_node_get_int (node), ARTIC_CONTEXT_VERSION);
    return FALSE;
  }
  node = json_object_get_member (obj, "type");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING) {
    g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TYPE,
        "member \"type\" (string) is missing");
    return FALSE;
  }
  name = json_node_get_string (node);
  for (i = 0; i < G_N_ELEMENTS (type_names); i++) {
    if (strcmp (name, type_names[i]) == 0) {
      *type = (ArticContextType) i;
      return TRUE;
    }
  }
  /* Echo at most a short prefix of what the peer sent. */
  g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TYPE,
      "unknown message type \"%.32s\"", name);
  return FALSE;
}

ArticContextMessage *
artic_context_parse (const gchar *data, gsize length, GError **error)
{
  JsonParser *parser;
  JsonNode *root;
  JsonObject *obj;
  ArticContextMessage *m = NULL;
  ArticContextType type;
  GError *local = NULL;
  gboolean ok = FALSE;

  if (data == NULL || length == 0) {
    g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_SYNTAX,
        "empty message");
    return NULL;
  }
  if (length > ARTIC_CONTEXT_MAX_MESSAGE_LEN) {
    g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_TOO_LARGE,
        "message is %" G_GSIZE_FORMAT " bytes, the limit is %d", length,
        ARTIC_CONTEXT_MAX_MESSAGE_LEN);
    return NULL;
  }
  if (!check_depth (data, length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local)) {
    g_set_error (error, ARTIC_CONTEXT_ERROR, ARTIC_CONTEXT_ERROR_SYNTAX,
        "not valid JSON: %s", local->message);
    g_error_free (local);
    g_object_unref (parser);
    return NULL;
  }
  root = json_parser_get_root (parser);
  if (!parse_envelope (root, &type, error))
    goto out;
  obj = json_node_get_object (root);
  m = artic_context_message_new (type);
  switch (type) {
    case ARTIC_CONTEXT_QUESTION:
      ok = parse_question (obj, m, error);
      break;
    case ARTIC_CONTEXT_BOXES:
      ok = parse_boxes (obj, m, error);
      break;
    case ARTIC_CONTEXT_READABILITY:
      ok = parse_readability (obj, m, error);
      break;
    case ARTIC_CONTEXT_BITRATE_CAP:
      ok = parse_bitrate_cap (obj, m, error);
      break;
    case ARTIC_CONTEXT_FRAME_ACK:
      ok = parse_frame_ack (obj, m, error);
      break;
  }
  /* The same rules as the encoder: ranges, ordering, counts. */
  ok = ok && artic_context_validate (m, error);
  if (!ok)
    g_clear_pointer (&m, artic_context_message_free);
out:
  g_object_unref (parser);
  return m;
}
