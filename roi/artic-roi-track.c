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

#include "artic-roi-track.h"

typedef struct
{
  gint64 t;
  GArray *boxes; /* ArticRoiBox */
} Update;

struct _ArticRoiTrack
{
  Update updates[ARTIC_ROI_TRACK_MAX_UPDATES]; /* ascending time */
  guint n;
  gint64 timeout;
  gint64 horizon;
};

ArticRoiTrack *
artic_roi_track_new (void)
{
  ArticRoiTrack *track = g_new0 (ArticRoiTrack, 1);

  track->timeout = ARTIC_ROI_TRACK_DEFAULT_TIMEOUT;
  track->horizon = ARTIC_ROI_TRACK_DEFAULT_HORIZON;
  return track;
}

void
artic_roi_track_reset (ArticRoiTrack *track)
{
  guint i;

  for (i = 0; i < track->n; i++)
    g_array_unref (track->updates[i].boxes);
  track->n = 0;
}

void
artic_roi_track_free (ArticRoiTrack *track)
{
  if (track == NULL)
    return;
  artic_roi_track_reset (track);
  g_free (track);
}

void
artic_roi_track_set_timeout (ArticRoiTrack *track, gint64 timeout_ns)
{
  track->timeout = timeout_ns;
}

void
artic_roi_track_set_horizon (ArticRoiTrack *track, gint64 horizon_ns)
{
  track->horizon = MAX (horizon_ns, 0);
}

void
artic_roi_track_update (
    ArticRoiTrack *track, gint64 t_ns, const ArticRoiBox *boxes, guint n_boxes)
{
  GArray *copy;
  guint i, pos;

  copy = g_array_sized_new (FALSE, FALSE, sizeof (ArticRoiBox), n_boxes);
  for (i = 0; i < n_boxes; i++) {
    ArticRoiBox b = boxes[i];

    artic_roi_box_normalize (&b);
    if (!artic_roi_box_is_none (&b))
      g_array_append_val (copy, b);
  }

  for (pos = 0; pos < track->n && track->updates[pos].t < t_ns; pos++)
    ;
  if (pos < track->n && track->updates[pos].t == t_ns) {
    g_array_unref (track->updates[pos].boxes);
    track->updates[pos].boxes = copy;
    return;
  }
  if (track->n == ARTIC_ROI_TRACK_MAX_UPDATES) {
    /* Full: the oldest goes, unless the new one would be the oldest. */
    if (pos == 0) {
      g_array_unref (copy);
      return;
    }
    g_array_unref (track->updates[0].boxes);
    memmove (&track->updates[0], &track->updates[1],
        sizeof (Update) * (track->n - 1));
    track->n--;
    pos--;
  }
  memmove (&track->updates[pos + 1], &track->updates[pos],
      sizeof (Update) * (track->n - pos));
  track->updates[pos].t = t_ns;
  track->updates[pos].boxes = copy;
  track->n++;
}

static gdouble
center_distance (const ArticRoiBox *a, const ArticRoiBox *b)
{
  gdouble ax, ay, bx, by;

  artic_roi_box_center (a, &ax, &ay);
  artic_roi_box_center (b, &bx, &by);
  return hypot (ax - bx, ay - by);
}

/* Greedy nearest-centre matching: repeatedly pairs the closest unmatched
 * boxes. match[i] is the index in @b of a's box i, or -1. Box counts are at
 * most ARTIC_ROI_MAX_BOXES-ish, so O(n^3) is negligible. */
static void
match_boxes (GArray *a, GArray *b, gint *match)
{
  gboolean *b_used = g_new0 (gboolean, MAX (b->len, 1));
  guint i, j, round_;

  for (i = 0; i < a->len; i++)
    match[i] = -1;
  for (round_ = 0; round_ < MIN (a->len, b->len); round_++) {
    gdouble best = G_MAXDOUBLE;
    gint bi = -1, bj = -1;

    for (i = 0; i < a->len; i++) {
      if (match[i] >= 0)
        continue;
      for (j = 0; j < b->len; j++) {
        gdouble d;

        if (b_used[j])
          continue;
        d = center_distance (&g_array_index (a, ArticRoiBox, i),
            &g_array_index (b, ArticRoiBox, j));
        if (d < best) {
          best = d;
          bi = i;
          bj = j;
        }
      }
    }
    match[bi] = bj;
    b_used[bj] = TRUE;
  }
  g_free (b_used);
}

static ArticRoiBox
lerp_box (const ArticRoiBox *a, const ArticRoiBox *b, gdouble f)
{
  ArticRoiBox r;

  r.x_min = a->x_min + (b->x_min - a->x_min) * f;
  r.y_min = a->y_min + (b->y_min - a->y_min) * f;
  r.x_max = a->x_max + (b->x_max - a->x_max) * f;
  r.y_max = a->y_max + (b->y_max - a->y_max) * f;
  artic_roi_box_normalize (&r);
  return r;
}

static void
interpolate (const Update *u0, const Update *u1, gint64 t, GArray *out)
{
  gdouble f = (gdouble) (t - u0->t) / (gdouble) (u1->t - u0->t);
  gint *match = g_new (gint, MAX (u0->boxes->len, 1));
  gboolean *taken = g_new0 (gboolean, MAX (u1->boxes->len, 1));
  guint i;

  match_boxes (u0->boxes, u1->boxes, match);
  for (i = 0; i < u0->boxes->len; i++) {
    const ArticRoiBox *a = &g_array_index (u0->boxes, ArticRoiBox, i);
    ArticRoiBox r;

    if (match[i] >= 0) {
      taken[match[i]] = TRUE;
      r = lerp_box (a, &g_array_index (u1->boxes, ArticRoiBox, match[i]), f);
      g_array_append_val (out, r);
    } else if (f < 0.5) {
      g_array_append_vals (out, a, 1);
    }
  }
  if (f >= 0.5)
    for (i = 0; i < u1->boxes->len; i++)
      if (!taken[i])
        g_array_append_vals (
            out, &g_array_index (u1->boxes, ArticRoiBox, i), 1);
  g_free (match);
  g_free (taken);
}

/* Least-squares line value at @t through (ts[i], vs[i]). */
static gdouble
fit_at (const gdouble *ts, const gdouble *vs, guint n, gdouble t)
{
  gdouble mt = 0, mv = 0, num = 0, den = 0;
  guint i;

  for (i = 0; i < n; i++) {
    mt += ts[i];
    mv += vs[i];
  }
  mt /= n;
  mv /= n;
  for (i = 0; i < n; i++) {
    num += (ts[i] - mt) * (vs[i] - mv);
    den += (ts[i] - mt) * (ts[i] - mt);
  }
  return den > 0 ? mv + num / den * (t - mt) : mv;
}

static gint
nearest_box (GArray *boxes, const ArticRoiBox *to)
{
  gdouble best = G_MAXDOUBLE;
  gint best_i = -1;
  guint i;

  for (i = 0; i < boxes->len; i++) {
    gdouble d = center_distance (&g_array_index (boxes, ArticRoiBox, i), to);

    if (d < best) {
      best = d;
      best_i = i;
    }
  }
  return best_i;
}

/* Extrapolates each box of the latest update along its history in the last
 * (up to) 3 updates, found by following the nearest centre backwards;
 * @ahead is seconds past the latest update. The chain stops at an update
 * with no box: motion across a gap in feedback is not known. */
static void
predict (ArticRoiTrack *track, gdouble ahead, GArray *out)
{
  const Update *last = &track->updates[track->n - 1];
  guint first = track->n >= 3 ? track->n - 3 : 0, i;

  for (i = 0; i < last->boxes->len; i++) {
    ArticRoiBox cur = g_array_index (last->boxes, ArticRoiBox, i), r;
    gdouble ts[3], vs[4][3];
    guint n = 0, c;
    gint u;

    for (u = (gint) track->n - 1; u >= (gint) first; u--) {
      GArray *boxes = track->updates[u].boxes;
      gint m = u == (gint) track->n - 1 ? (gint) i : nearest_box (boxes, &cur);

      if (m < 0)
        break;
      cur = g_array_index (boxes, ArticRoiBox, m);
      ts[n] = (track->updates[u].t - last->t) / 1e9;
      vs[0][n] = cur.x_min;
      vs[1][n] = cur.y_min;
      vs[2][n] = cur.x_max;
      vs[3][n] = cur.y_max;
      n++;
    }
    r = g_array_index (last->boxes, ArticRoiBox, i);
    if (n >= 2) {
      gdouble v[4];

      for (c = 0; c < 4; c++)
        v[c] = fit_at (ts, vs[c], n, ahead);
      r.x_min = v[0];
      r.y_min = v[1];
      r.x_max = v[2];
      r.y_max = v[3];
      artic_roi_box_normalize (&r);
    }
    g_array_append_val (out, r);
  }
}

guint
artic_roi_track_boxes_at (ArticRoiTrack *track, gint64 t_ns, GArray *out)
{
  const Update *last;
  guint i;

  g_array_set_size (out, 0);
  if (track->n == 0)
    return 0;
  last = &track->updates[track->n - 1];
  if (t_ns <= track->updates[0].t) {
    g_array_append_vals (
        out, track->updates[0].boxes->data, track->updates[0].boxes->len);
    return out->len;
  }
  for (i = 0; i + 1 < track->n; i++) {
    if (t_ns < track->updates[i + 1].t) {
      interpolate (&track->updates[i], &track->updates[i + 1], t_ns, out);
      return out->len;
    }
  }
  if (track->timeout > 0 && t_ns - last->t > track->timeout)
    return 0; /* stale: better no box than a wrong one */
  if (track->horizon > 0 && track->n >= 2 && t_ns > last->t) {
    gint64 ahead = MIN (t_ns - last->t, track->horizon);

    predict (track, ahead / 1e9, out);
  } else {
    g_array_append_vals (out, last->boxes->data, last->boxes->len);
  }
  return out->len;
}
