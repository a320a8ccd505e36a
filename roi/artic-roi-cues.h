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

/* Cheap local importance cues, for the time before the model's feedback
 * arrives (and to combine with it). They run on the sender for every frame,
 * so they must cost a small fraction of the encode: one pass over the luma
 * plane, integer arithmetic, no allocation.
 *  - text: text is 82% of the benchmark questions. Glyph strokes give dense
 *    strong intensity steps in BOTH directions; flat areas have none and
 *    smooth gradients or soft edges have no strong steps, and a single long
 *    edge has them in one direction only. Score per block =
 *    min(1, sqrt(h * v) * ARTIC_ROI_TEXT_GAIN), with h and v the fractions of
 *    pixels whose right / lower neighbour differs by more than
 *    ARTIC_ROI_TEXT_STEP.
 *  - motion: mean absolute luma difference to the previous frame per block,
 *    min(1, mad / ARTIC_ROI_MOTION_FULL).
 * Both scores are absolute (not normalized by the frame maximum), so a static
 * or flat frame scores 0 instead of amplifying noise. */

#ifndef ARTIC_ROI_CUES_H
#define ARTIC_ROI_CUES_H

#include <glib.h>

G_BEGIN_DECLS

#define ARTIC_ROI_TEXT_STEP 48
#define ARTIC_ROI_TEXT_GAIN 4.0f
#define ARTIC_ROI_MOTION_FULL 24.0f

/* Writes cols * rows scores in [0, 1] (cols = ceil(width / block_size)) to
 * @out. @stride is the byte distance between rows (>= width). Any size from
 * 1x1 works; blocks too small to have a neighbour pair score 0. */
void artic_roi_cue_text (const guint8 *luma, guint width, guint height,
    gsize stride, guint block_size, gfloat *out);

/* Same grid; @prev has the same size and stride as @luma. */
void artic_roi_cue_motion (const guint8 *luma, const guint8 *prev, guint width,
    guint height, gsize stride, guint block_size, gfloat *out);

G_END_DECLS

#endif /* ARTIC_ROI_CUES_H */
