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

/* Sender-side region following. The model names a box in a frame it saw,
 * about a second before the reply reaches the sender; by then a sign on a
 * hand-held camera has moved along the camera's shake, which no line through
 * earlier replies predicts. The sender still has that frame and every frame
 * since, so it need not predict: it finds the box's content again in each
 * newer frame (block matching on a downscaled luma plane) and hands the
 * encoder the box where the content is now.
 *
 * The follower keeps the luma of the last ARTIC_ROI_FOLLOW_HISTORY_NS of
 * frames at a quarter of their size. A box set for frame time t takes its
 * template from the kept frame nearest t and is matched frame by frame up to
 * the newest one; every pushed frame then moves it once more. Each step
 * searches +-ARTIC_ROI_FOLLOW_SEARCH downscaled pixels around the previous
 * position for the least mean absolute difference to the template; where
 * even the best position differs by more than ARTIC_ROI_FOLLOW_LOST_LEVEL
 * (the content is gone: occluded, out of the frame, a cut), the box stays
 * where it was. Boxes keep their size. Times are nanoseconds on the caller's
 * clock (the running time, in articroi). */

#ifndef ARTIC_ROI_FOLLOW_H
#define ARTIC_ROI_FOLLOW_H

#include <glib.h>

#include "artic-roi-box.h"

G_BEGIN_DECLS

#define ARTIC_ROI_FOLLOW_SCALE 4
#define ARTIC_ROI_FOLLOW_HISTORY_NS (3 * G_GINT64_CONSTANT (1000000000))
#define ARTIC_ROI_FOLLOW_MAX_BOXES 8
#define ARTIC_ROI_FOLLOW_SEARCH 6
#define ARTIC_ROI_FOLLOW_LOST_LEVEL 40

typedef struct _ArticRoiFollow ArticRoiFollow;

ArticRoiFollow *artic_roi_follow_new (void);
void artic_roi_follow_free (ArticRoiFollow *follow);
/* Forgets the kept frames and the boxes. */
void artic_roi_follow_reset (ArticRoiFollow *follow);

/* Keeps @luma (8-bit, @stride bytes per row) as the frame at @t_ns and moves
 * every box into it. A frame of another size than the kept ones starts the
 * history over (the boxes stay where they are, in normalized coordinates).
 * FALSE, and nothing changed, for an unusable plane (NULL, zero or
 * oversized dimensions, @stride < @width). */
gboolean artic_roi_follow_push_frame (ArticRoiFollow *follow,
    const guint8 *luma, guint width, guint height, gsize stride, gint64 t_ns);

/* Replaces the boxes with @boxes (normalized 0..1000; none-boxes are
 * skipped; at most ARTIC_ROI_FOLLOW_MAX_BOXES are kept) as seen in the frame
 * at @t_ns, and follows them to the newest kept frame. Returns TRUE when a
 * kept frame within one frame interval of @t_ns gave the templates; FALSE
 * when none did (nothing kept yet, or @t_ns older than the history or newer
 * than the newest frame): the boxes are then taken as they are in the
 * newest frame, or in the next pushed one. */
gboolean artic_roi_follow_set_boxes (ArticRoiFollow *follow, gint64 t_ns,
    const ArticRoiBox *boxes, guint n_boxes);

/* The boxes where their content is in the newest frame, appended to @out
 * (a GArray of ArticRoiBox, cleared first). Returns their number. */
guint artic_roi_follow_boxes (ArticRoiFollow *follow, GArray *out);

G_END_DECLS

#endif /* ARTIC_ROI_FOLLOW_H */
