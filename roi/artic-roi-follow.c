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
#include <stdlib.h>
#include <string.h>

#include "artic-roi-follow.h"

/* Larger planes than this are refused (as ArticQpMap refuses them). */
#define MAX_DIM 16384
/* A template is compared on at most about this many pixels (every n-th
 * pixel of a larger one): a box over the whole frame must not cost 169
 * whole-frame differences per frame. */
#define MAX_SAMPLES 4096
/* Enough for the history at 60 fps. */
#define MAX_KEPT 192

typedef struct
{
  gint64 t;
  guint8 *pix; /* small_width * small_height */
} Kept;

typedef struct
{
  ArticRoiBox seen;    /* as the feedback named it */
  guint8 *tmpl;        /* NULL until a frame gave it */
  gint x0, y0, tw, th; /* template rectangle in the frame it came from */
  gint x, y;           /* where the template is now (top-left) */
} Followed;

struct _ArticRoiFollow
{
  Kept kept[MAX_KEPT]; /* ring, oldest at first */
  guint first, n_kept;
  guint small_width, small_height;
  gint64 frame_interval; /* between the last two pushed frames, 0: unknown */
  Followed boxes[ARTIC_ROI_FOLLOW_MAX_BOXES];
  guint n_boxes;
};

ArticRoiFollow *
artic_roi_follow_new (void)
{
  return g_new0 (ArticRoiFollow, 1);
}

static Kept *
kept_at (ArticRoiFollow *follow, guint i)
{
  return &follow->kept[(follow->first + i) % MAX_KEPT];
}

static void
drop_oldest (ArticRoiFollow *follow)
{
  g_free (kept_at (follow, 0)->pix);
  kept_at (follow, 0)->pix = NULL;
  follow->first = (follow->first + 1) % MAX_KEPT;
  follow->n_kept--;
}

static void
clear_boxes (ArticRoiFollow *follow)
{
  guint i;

  for (i = 0; i < follow->n_boxes; i++)
    g_clear_pointer (&follow->boxes[i].tmpl, g_free);
  follow->n_boxes = 0;
}

static void
clear_history (ArticRoiFollow *follow)
{
  while (follow->n_kept > 0)
    drop_oldest (follow);
  follow->frame_interval = 0;
}

void
artic_roi_follow_reset (ArticRoiFollow *follow)
{
  clear_history (follow);
  clear_boxes (follow);
  follow->small_width = follow->small_height = 0;
}

void
artic_roi_follow_free (ArticRoiFollow *follow)
{
  if (follow == NULL)
    return;
  artic_roi_follow_reset (follow);
  g_free (follow);
}

/* The plane averaged over ARTIC_ROI_FOLLOW_SCALE-square blocks: the camera
 * noise averages out, and a search over the same distance costs 16 times
 * less. */
static guint8 *
downscale (const guint8 *luma, gsize stride, guint sw, guint sh)
{
  const guint s = ARTIC_ROI_FOLLOW_SCALE;
  guint8 *out = g_malloc ((gsize) sw * sh);
  guint x, y, i, j;

  for (y = 0; y < sh; y++) {
    for (x = 0; x < sw; x++) {
      guint sum = 0;

      for (j = 0; j < s; j++) {
        const guint8 *row = luma + (gsize) (y * s + j) * stride + x * s;
        for (i = 0; i < s; i++)
          sum += row[i];
      }
      out[(gsize) y * sw + x] = (guint8) ((sum + s * s / 2) / (s * s));
    }
  }
  return out;
}

/* Mean absolute difference of @f's template placed at (@px, @py) in
 * @frame, over the template pixels inside the frame; G_MAXDOUBLE where
 * under half of them are. */
static gdouble
placement_cost (const ArticRoiFollow *follow, const Followed *f,
    const guint8 *frame, gint px, gint py)
{
  gint w = (gint) follow->small_width, h = (gint) follow->small_height;
  gint step = 1 + (gint) sqrt ((gdouble) f->tw * f->th / MAX_SAMPLES);
  guint64 sum = 0, n = 0, total = 0;
  gint i, j;

  for (j = 0; j < f->th; j += step) {
    gint y = py + j;
    for (i = 0; i < f->tw; i += step) {
      gint x = px + i;

      total++;
      if (x < 0 || y < 0 || x >= w || y >= h)
        continue;
      sum += (guint) abs ((gint) frame[(gsize) y * w + x]
                          - (gint) f->tmpl[(gsize) j * f->tw + i]);
      n++;
    }
  }
  if (n == 0 || n * 2 < total)
    return G_MAXDOUBLE;
  return (gdouble) sum / (gdouble) n;
}

/* Moves @f to where its template fits @frame best near where it was. A
 * flat template fits many places equally: the nearest wins, so it stays. */
static void
step_box (const ArticRoiFollow *follow, Followed *f, const guint8 *frame)
{
  const gint r = ARTIC_ROI_FOLLOW_SEARCH;
  gdouble best = G_MAXDOUBLE;
  gint best_dx = 0, best_dy = 0, best_dist = G_MAXINT;
  gint dx, dy;

  for (dy = -r; dy <= r; dy++) {
    for (dx = -r; dx <= r; dx++) {
      gdouble cost = placement_cost (follow, f, frame, f->x + dx, f->y + dy);
      gint dist = dx * dx + dy * dy;

      if (cost < best || (cost == best && dist < best_dist)) {
        best = cost;
        best_dist = dist;
        best_dx = dx;
        best_dy = dy;
      }
    }
  }
  if (best > ARTIC_ROI_FOLLOW_LOST_LEVEL)
    return;
  f->x += best_dx;
  f->y += best_dy;
}

/* Cuts @f's template out of @frame at the box it was seen as. */
static void
take_template (const ArticRoiFollow *follow, Followed *f, const guint8 *frame)
{
  gint w = (gint) follow->small_width, h = (gint) follow->small_height;
  gint x1, y1, j;

  f->x0 = CLAMP (
      (gint) floor (f->seen.x_min * w / ARTIC_ROI_COORD_MAX), 0, w - 1);
  f->y0 = CLAMP (
      (gint) floor (f->seen.y_min * h / ARTIC_ROI_COORD_MAX), 0, h - 1);
  x1 = CLAMP (
      (gint) ceil (f->seen.x_max * w / ARTIC_ROI_COORD_MAX), f->x0 + 1, w);
  y1 = CLAMP (
      (gint) ceil (f->seen.y_max * h / ARTIC_ROI_COORD_MAX), f->y0 + 1, h);
  f->tw = x1 - f->x0;
  f->th = y1 - f->y0;
  f->tmpl = g_malloc ((gsize) f->tw * f->th);
  for (j = 0; j < f->th; j++)
    memcpy (f->tmpl + (gsize) j * f->tw,
        frame + (gsize) (f->y0 + j) * w + f->x0, f->tw);
  f->x = f->x0;
  f->y = f->y0;
}

gboolean
artic_roi_follow_push_frame (ArticRoiFollow *follow, const guint8 *luma,
    guint width, guint height, gsize stride, gint64 t_ns)
{
  guint sw, sh, i;
  guint8 *small;
  Kept *k;

  if (luma == NULL || width < ARTIC_ROI_FOLLOW_SCALE
      || height < ARTIC_ROI_FOLLOW_SCALE || width > MAX_DIM || height > MAX_DIM
      || stride < width)
    return FALSE;
  sw = width / ARTIC_ROI_FOLLOW_SCALE;
  sh = height / ARTIC_ROI_FOLLOW_SCALE;
  if (sw != follow->small_width || sh != follow->small_height) {
    /* Templates of another size mean nothing in the new frames: the boxes
     * start over from their normalized position. */
    clear_history (follow);
    for (i = 0; i < follow->n_boxes; i++)
      g_clear_pointer (&follow->boxes[i].tmpl, g_free);
    follow->small_width = sw;
    follow->small_height = sh;
  }
  if (follow->n_kept > 0 && t_ns > kept_at (follow, follow->n_kept - 1)->t)
    follow->frame_interval = t_ns - kept_at (follow, follow->n_kept - 1)->t;
  small = downscale (luma, stride, sw, sh);
  for (i = 0; i < follow->n_boxes; i++) {
    Followed *f = &follow->boxes[i];

    if (f->tmpl == NULL)
      take_template (follow, f, small);
    else
      step_box (follow, f, small);
  }
  while (follow->n_kept > 0
         && (follow->n_kept == MAX_KEPT
             || t_ns - kept_at (follow, 0)->t > ARTIC_ROI_FOLLOW_HISTORY_NS))
    drop_oldest (follow);
  k = kept_at (follow, follow->n_kept);
  k->t = t_ns;
  k->pix = small;
  follow->n_kept++;
  return TRUE;
}

/* The index of the kept frame nearest @t_ns, within one frame interval;
 * -1 if none. */
static gint
find_kept (ArticRoiFollow *follow, gint64 t_ns)
{
  gint64 tolerance = follow->frame_interval > 0 ? follow->frame_interval
                                                : G_GINT64_CONSTANT (1);
  gint64 best_gap = G_MAXINT64;
  gint best = -1;
  guint i;

  for (i = 0; i < follow->n_kept; i++) {
    gint64 gap = ABS (kept_at (follow, i)->t - t_ns);

    if (gap < best_gap) {
      best_gap = gap;
      best = (gint) i;
    }
  }
  return best_gap < tolerance ? best : -1;
}

gboolean
artic_roi_follow_set_boxes (ArticRoiFollow *follow, gint64 t_ns,
    const ArticRoiBox *boxes, guint n_boxes)
{
  gint from = find_kept (follow, t_ns);
  guint i, j;

  clear_boxes (follow);
  for (i = 0; boxes != NULL && i < n_boxes
              && follow->n_boxes < ARTIC_ROI_FOLLOW_MAX_BOXES;
       i++) {
    ArticRoiBox box = boxes[i];

    artic_roi_box_normalize (&box);
    if (artic_roi_box_is_none (&box))
      continue;
    follow->boxes[follow->n_boxes++].seen = box;
  }
  if (follow->n_kept == 0)
    return FALSE; /* the next pushed frame gives the templates */
  for (i = 0; i < follow->n_boxes; i++) {
    Followed *f = &follow->boxes[i];

    if (from < 0) {
      take_template (follow, f, kept_at (follow, follow->n_kept - 1)->pix);
      continue;
    }
    take_template (follow, f, kept_at (follow, (guint) from)->pix);
    for (j = (guint) from + 1; j < follow->n_kept; j++)
      step_box (follow, f, kept_at (follow, j)->pix);
  }
  return from >= 0;
}

guint
artic_roi_follow_boxes (ArticRoiFollow *follow, GArray *out)
{
  guint i;

  g_array_set_size (out, 0);
  for (i = 0; i < follow->n_boxes; i++) {
    const Followed *f = &follow->boxes[i];
    ArticRoiBox box = f->seen;

    if (f->tmpl != NULL) {
      gdouble dx = (gdouble) (f->x - f->x0) * ARTIC_ROI_COORD_MAX
                   / follow->small_width;
      gdouble dy = (gdouble) (f->y - f->y0) * ARTIC_ROI_COORD_MAX
                   / follow->small_height;

      box.x_min += dx;
      box.x_max += dx;
      box.y_min += dy;
      box.y_max += dy;
      artic_roi_box_normalize (&box);
      if (artic_roi_box_is_none (&box))
        continue; /* followed out of the frame */
    }
    g_array_append_val (out, box);
  }
  return out->len;
}
