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

/* Boxes in the MLLM feedback format (ZeCoStream): the cloud model names the
 * region the current question is about as 0..1000 normalized corners, so the
 * sender can spend its bits there without running any model of its own. */

#ifndef ARTIC_ROI_BOX_H
#define ARTIC_ROI_BOX_H

#include <glib.h>

G_BEGIN_DECLS

/* The normalized coordinate range of the feedback format. */
#define ARTIC_ROI_COORD_MAX 1000.0
/* Limits that keep a hostile or broken reply cheap to reject. */
#define ARTIC_ROI_MAX_BOXES 64
#define ARTIC_ROI_MAX_JSON_LEN 65536
#define ARTIC_ROI_MAX_JSON_DEPTH 8

#define ARTIC_ROI_ERROR (artic_roi_error_quark ())

typedef enum
{
  ARTIC_ROI_ERROR_SYNTAX,    /* not JSON, or nested too deep */
  ARTIC_ROI_ERROR_FORMAT,    /* JSON, but not one of the accepted forms */
  ARTIC_ROI_ERROR_VALUE,     /* a coordinate that is not a finite number */
  ARTIC_ROI_ERROR_TOO_LARGE, /* too long or too many boxes */
} ArticRoiError;

/* One box, corners in 0..1000 with x_min <= x_max and y_min <= y_max.
 * Doubles, because tracks interpolate between integer feedback values. */
typedef struct
{
  gdouble x_min, y_min, x_max, y_max;
} ArticRoiBox;

/* A box in pixels of a given frame: [x, x + w) x [y, y + h). */
typedef struct
{
  guint x, y, w, h;
} ArticRoiRect;

GQuark artic_roi_error_quark (void);

/* Clamps every coordinate to 0..1000 (a model that overshoots the frame edge
 * still means "up to the edge") and swaps min/max corners given in the wrong
 * order. */
void artic_roi_box_normalize (ArticRoiBox *box);

/* TRUE for the format's "no box" marker [[0,0],[0,0]]. A box of zero area
 * elsewhere (a point or a line) is NOT the marker: it still says where to
 * look, and the QP map treats it as a point/segment of interest. */
gboolean artic_roi_box_is_none (const ArticRoiBox *box);

/* Parses MLLM feedback. Accepted forms (whitespace free):
 *   single box        [[x_min,y_min],[x_max,y_max]]
 *   flat box          [x_min,y_min,x_max,y_max]
 *   list of boxes     [ <box>, <box>, ... ]   (each box in either form above)
 *   empty list        []                       -> no box
 *   object            {"boxes": <any form above>}  (other members ignored)
 * Numbers may be integers or reals; coordinates outside 0..1000 are clamped,
 * swapped corners are put in order, and "no box" markers [[0,0],[0,0]] are
 * dropped. Returns a GArray of ArticRoiBox (possibly empty: no box), or NULL
 * with @error set (always in the ARTIC_ROI_ERROR domain) for anything else:
 * invalid JSON, strings/NaN/infinite values, wrong nesting, more than
 * ARTIC_ROI_MAX_BOXES boxes, more than ARTIC_ROI_MAX_JSON_LEN bytes or
 * more than ARTIC_ROI_MAX_JSON_DEPTH levels of nesting. @length -1 means
 * NUL-terminated. */
GArray *artic_roi_boxes_parse (
    const gchar *json, gssize length, GError **error);

/* Converts a normalized box to the pixels it covers in a width x height frame
 * (outward rounding: a partly covered pixel counts as covered). A zero-area
 * box gives w or h of 0. */
void artic_roi_box_to_rect (
    const ArticRoiBox *box, guint width, guint height, ArticRoiRect *rect);

/* The box's centre in normalized units. */
void artic_roi_box_center (const ArticRoiBox *box, gdouble *cx, gdouble *cy);

G_END_DECLS

#endif /* ARTIC_ROI_BOX_H */
