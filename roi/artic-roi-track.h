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

/* Box tracks over time. Feedback names boxes for frames the model saw (or
 * predicted ones for frames not yet sent), at 1-2 per second; the encoder runs
 * at 30 fps and must never wait for it. The track turns the sparse updates
 * into boxes for any encode time:
 *  - between two updates: linear interpolation. Boxes are matched by nearest
 *    centre (greedy, closest pairs first), not by index, because a model lists
 *    boxes in no stable order. A box without a partner in the other update
 *    (appeared / disappeared) is shown from the midpoint on / up to the
 *    midpoint, unchanged.
 *  - after the latest update: the boxes stay valid for @timeout (the validity
 *    window) and then expire (no box, the uniform fallback). Within the window,
 *    when prediction is on and a box was matched in at least 2 of the last 3
 *    updates, it moves on the least-squares line through those updates (the
 *    paper predicts 1.5 s ahead from the last 3 frames at 2 fps), at most
 *    @horizon ahead, then holds; otherwise it is held as last seen.
 *  - before the first update: the first update's boxes.
 * All coordinates stay clamped to 0..1000. Times are in nanoseconds (the
 * GstClockTime unit) as signed 64-bit values. */

#ifndef ARTIC_ROI_TRACK_H
#define ARTIC_ROI_TRACK_H

#include <glib.h>

#include "artic-roi-box.h"

G_BEGIN_DECLS

#define ARTIC_ROI_TRACK_MAX_UPDATES 8
#define ARTIC_ROI_TRACK_DEFAULT_TIMEOUT (3 * G_GINT64_CONSTANT (1000000000))
#define ARTIC_ROI_TRACK_DEFAULT_HORIZON (G_GINT64_CONSTANT (1500000000))

typedef struct _ArticRoiTrack ArticRoiTrack;

ArticRoiTrack *artic_roi_track_new (void);
void artic_roi_track_free (ArticRoiTrack *track);
void artic_roi_track_reset (ArticRoiTrack *track);

/* Validity window after the latest update; <= 0 means never expire. */
void artic_roi_track_set_timeout (ArticRoiTrack *track, gint64 timeout_ns);
/* How far ahead to extrapolate; 0 disables prediction (hold instead). */
void artic_roi_track_set_horizon (ArticRoiTrack *track, gint64 horizon_ns);

/* Records the boxes for frame time @t_ns (@n_boxes 0 = "no box"). An update
 * for a time already present replaces it; older ones than the kept window of
 * ARTIC_ROI_TRACK_MAX_UPDATES are dropped. Boxes are normalized (clamped). */
void artic_roi_track_update (
    ArticRoiTrack *track, gint64 t_ns, const ArticRoiBox *boxes, guint n_boxes);

/* The boxes for time @t_ns, written to @out (a GArray of ArticRoiBox, cleared
 * first). Returns their number; 0 means no box. */
guint artic_roi_track_boxes_at (ArticRoiTrack *track, gint64 t_ns, GArray *out);

G_END_DECLS

#endif /* ARTIC_ROI_TRACK_H */
