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

/* Measuring what ROI encoding buys: quality inside a region and outside it,
 * against the source, accumulated over a clip; and the clip itself, decoded
 * once to I420 frames of a chosen size. Used by the articenc-roi test and by
 * roi-bench. */

#ifndef ARTIC_ROI_EVAL_H
#define ARTIC_ROI_EVAL_H

#include <glib.h>

#include "artic-roi-box.h"

G_BEGIN_DECLS

/* Sums over all planes added: PSNR from the summed squared error (so every
 * pixel weighs the same across frames), SSIM as the mean over 8x8 blocks
 * (whole blocks only; a block belongs to the region if its centre does). */
typedef struct
{
  gdouble sse_in, sse_out;
  guint64 n_in, n_out;
  gdouble ssim_in, ssim_out;
  guint64 blocks_in, blocks_out;
} ArticRoiEval;

void artic_roi_eval_init (ArticRoiEval *eval);
void artic_roi_eval_add_plane (ArticRoiEval *eval, const guint8 *ref,
    gsize ref_stride, const guint8 *test, gsize test_stride, guint width,
    guint height, const ArticRoiRect *region);
gdouble artic_roi_eval_psnr_in (const ArticRoiEval *eval);
gdouble artic_roi_eval_psnr_out (const ArticRoiEval *eval);
gdouble artic_roi_eval_ssim_in (const ArticRoiEval *eval);
gdouble artic_roi_eval_ssim_out (const ArticRoiEval *eval);

/* SSIM of two 8x8 blocks (the usual constants for 8-bit samples). */
gdouble artic_roi_eval_ssim_8x8 (
    const guint8 *a, gsize stride_a, const guint8 *b, gsize stride_b);

/* A decoded clip: @n_frames tightly packed I420 frames (luma stride
 * @width, chroma stride (width + 1) / 2). */
typedef struct
{
  guint width, height;
  gdouble framerate;
  GPtrArray *frames; /* of GBytes */
} ArticClip;

gsize artic_clip_frame_size (guint width, guint height);
/* Decodes and scales (no borders: the aspect ratio follows the size) the
 * first @max_frames frames (0 = all) of the file at @path. */
ArticClip *artic_clip_load (const gchar *path, guint width, guint height,
    guint max_frames, GError **error);
void artic_clip_free (ArticClip *clip);

G_END_DECLS

#endif /* ARTIC_ROI_EVAL_H */
