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

#include <math.h>
#include <string.h>
#include <json-glib/json-glib.h>

#include "artic-roi-box.h"
#include "artic-json.h"

G_DEFINE_QUARK (artic_roi_error_quark, artic_roi_error)

static gdouble
clamp_coord (gdouble v)
{
  return CLAMP (v, 0.0, ARTIC_ROI_COORD_MAX);
}

void
artic_roi_box_normalize (ArticRoiBox *box)
{
  gdouble t;

  box->x_min = clamp_coord (box->x_min);
  box->y_min = clamp_coord (box->y_min);
  box->x_max = clamp_coord (box->x_max);
  box->y_max = clamp_coord (box->y_max);
  if (box->x_min > box->x_max) {
    t = box->x_min;
    box->x_min = box->x_max;
    box->x_max = t;
  }
  if (box->y_min > box->y_max) {
    t = box->y_min;
    box->y_min = box->y_max;
    box->y_max = t;
  }
}

gboolean
artic_roi_box_is_none (const ArticRoiBox *box)
{
  return box->x_min == 0.0 && box->y_min == 0.0 && box->x_max == 0.0
         && box->y_max == 0.0;
}

void
artic_roi_box_center (const ArticRoiBox *box, gdouble *cx, gdouble *cy)
{
  *cx = (box->x_min + box->x_max) / 2.0;
  *cy = (box->y_min + box->y_max) / 2.0;
}

static gboolean
check_depth (const gchar *json, gsize length, GError **error)
{
  if (artic_json_depth_within (json, length, ARTIC_ROI_MAX_JSON_DEPTH))
    return TRUE;
  g_set_error (error, ARTIC_ROI_ERROR, ARTIC_ROI_ERROR_SYNTAX,
      "box feedback nested deeper than %d levels", ARTIC_ROI_MAX_JSON_DEPTH);
  return FALSE;
}

static gboolean
get_number (JsonNode *node, gdouble *out, GError **error)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)) {
    g_set_error (error, ARTIC_ROI_ERROR, ARTIC_ROI_ERROR_FORMAT,
        "box coordinate is not a number");
    return FALSE;
  }
  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64) {
    *out = (gdouble) json_node_get_int (node);
  } else if (type == G_TYPE_DOUBLE) {
    *out = json_node_get_double (node);
  } else {
    g_set_error (error, ARTIC_ROI_ERROR, ARTIC_ROI_ERROR_VALUE,
        "box coordinate is a %s, not a number", g_type_name (type));
    return FALSE;
  }
  if (!isfinite (*out)) {
    g_set_error (error, ARTIC_ROI_ERROR, ARTIC_ROI_ERROR_VALUE,
        "box coordinate is not finite");
    return FALSE;
  }
  return TRUE;
}

/* TRUE when @node is an array of exactly @n numbers. */
static gboolean
is_number_array (JsonNode *node, guint n)
{
  JsonArray *a;
  guint i;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  a = json_node_get_array (node);
  if (json_array_get_length (a) != n)
    return FALSE;
  for (i = 0; i < n; i++)
    if (!JSON_NODE_HOLDS_VALUE (json_array_get_element (a, i)))
      return FALSE;
  return TRUE;
}

/* A box is [[x,y],[x,y]] or [x,y,x,y] (values, checked for being numbers
 * later); anything else may still be a list of boxes. */
static gboolean
looks_like_box (JsonNode *node)
{
  JsonArray *a;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  if (is_number_array (node, 4))
    return TRUE;
  a = json_node_get_array (node);
  return json_array_get_length (a) == 2
         && is_number_array (json_array_get_element (a, 0), 2)
         && is_number_array (json_array_get_element (a, 1), 2);
}

static gboolean
parse_box (JsonNode *node, ArticRoiBox *box, GError **error)
{
  JsonArray *a = json_node_get_array (node);
  gdouble v[4];
  guint i;

  if (json_array_get_length (a) == 4) {
    for (i = 0; i < 4; i++)
      if (!get_number (json_array_get_element (a, i), &v[i], error))
        return FALSE;
  } else {
    for (i = 0; i < 2; i++) {
      JsonArray *corner = json_node_get_array (json_array_get_element (a, i));

      if (!get_number (json_array_get_element (corner, 0), &v[2 * i], error)
          || !get_number (
              json_array_get_element (corner, 1), &v[2 * i + 1], error))
        return FALSE;
    }
  }
  box->x_min = v[0];
  box->y_min = v[1];
  box->x_max = v[2];
  box->y_max = v[3];
  artic_roi_box_normalize (box);
  return TRUE;
}

static gboolean
add_box (GArray *boxes, JsonNode *node, GError **error)
{
  ArticRoiBox box;

  if (!looks_like_box (node)) {
    g_set_error (error, ARTIC_ROI_ERROR, ARTIC_ROI_ERROR_FORMAT,
        "expected a box [[x_min,y_min],[x_max,y_max]]");
    return FALSE;
  }
  if (!parse_box (node, &box, error))
    return FALSE;
  /* The marker, once clamped, still means "no box". */
  if (!artic_roi_box_is_none (&box))
    g_array_append_val (boxes, box);
  return TRUE;
}

static gboolean
parse_node (GArray *boxes, JsonNode *node, GError **error)
{
  JsonArray *a;
  guint i, n;

  if (JSON_NODE_HOLDS_OBJECT (node)) {
    JsonObject *o = json_node_get_object (node);
    JsonNode *inner = json_object_get_member (o, "boxes");

    if (inner == NULL || JSON_NODE_HOLDS_OBJECT (inner)) {
      g_set_error (error, ARTIC_ROI_ERROR, ARTIC_ROI_ERROR_FORMAT,
          "expected an object with a \"boxes\" array");
      return FALSE;
    }
    return parse_node (boxes, inner, error);
  }
  if (!JSON_NODE_HOLDS_ARRAY (node)) {
    g_set_error (error, ARTIC_ROI_ERROR, ARTIC_ROI_ERROR_FORMAT,
        "expected a box, a list of boxes or {\"boxes\": ...}");
    return FALSE;
  }
  if (looks_like_box (node))
    return add_box (boxes, node, error);

  a = json_node_get_array (node);
  n = json_array_get_length (a);
  if (n > ARTIC_ROI_MAX_BOXES) {
    g_set_error (error, ARTIC_ROI_ERROR, ARTIC_ROI_ERROR_TOO_LARGE,
        "%u boxes, at most %d accepted", n, ARTIC_ROI_MAX_BOXES);
    return FALSE;
  }
  for (i = 0; i < n; i++)
    if (!add_box (boxes, json_array_get_element (a, i), error))
      return FALSE;
  return TRUE;
}

GArray *
artic_roi_boxes_parse (const gchar *json, gssize length, GError **error)
{
  JsonParser *parser;
  JsonNode *root;
  GArray *boxes;
  GError *local = NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strnlen (json, ARTIC_ROI_MAX_JSON_LEN + 1);
  if (length > ARTIC_ROI_MAX_JSON_LEN) {
    g_set_error (error, ARTIC_ROI_ERROR, ARTIC_ROI_ERROR_TOO_LARGE,
        "box feedback longer than %d bytes", ARTIC_ROI_MAX_JSON_LEN);
    return NULL;
  }
  if (!check_depth (json, length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, length, &local)) {
    g_set_error (error, ARTIC_ROI_ERROR, ARTIC_ROI_ERROR_SYNTAX,
        "box feedback is not valid JSON: %s", local->message);
    g_clear_error (&local);
    g_object_unref (parser);
    return NULL;
  }
  root = json_parser_get_root (parser);
  boxes = g_array_new (FALSE, FALSE, sizeof (ArticRoiBox));
  if (root == NULL || !parse_node (boxes, root, error)) {
    if (root == NULL)
      g_set_error (error, ARTIC_ROI_ERROR, ARTIC_ROI_ERROR_SYNTAX,
          "box feedback is empty");
    g_array_unref (boxes);
    boxes = NULL;
  }
  g_object_unref (parser);
  return boxes;
}

void
artic_roi_box_to_rect (
    const ArticRoiBox *box, guint width, guint height, ArticRoiRect *rect)
{
  gdouble x0 = floor (box->x_min * width / ARTIC_ROI_COORD_MAX);
  gdouble y0 = floor (box->y_min * height / ARTIC_ROI_COORD_MAX);
  gdouble x1 = ceil (box->x_max * width / ARTIC_ROI_COORD_MAX);
  gdouble y1 = ceil (box->y_max * height / ARTIC_ROI_COORD_MAX);

  /* Clamped again so an unnormalized box cannot index outside the frame. */
  x0 = CLAMP (x0, 0, width);
  x1 = CLAMP (x1, x0, width);
  y0 = CLAMP (y0, 0, height);
  y1 = CLAMP (y1, y0, height);
  rect->x = (guint) x0;
  rect->y = (guint) y0;
  rect->w = (guint) (x1 - x0);
  rect->h = (guint) (y1 - y0);
}
