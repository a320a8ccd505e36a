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

/* Background pre-filtering for ROI encoding. Where the QP offset map says a
 * block does not matter (its offset above a threshold), the source is
 * low-passed before the codec sees it: camera noise and fine texture there
 * would otherwise take bits at every quantizer, and the rate control, which
 * sets one base quantizer for the frame, would then have fewer left for the
 * region. Blocks at or below the threshold (the region and its margin) are
 * copied byte for byte. Codec-independent: it works on 8-bit planes. */

#ifndef ARTIC_ROI_PREFILTER_H
#define ARTIC_ROI_PREFILTER_H

#include <glib.h>

#include "artic-qp-map.h"

G_BEGIN_DECLS

#define ARTIC_ROI_PREFILTER_MAX_RADIUS 32

typedef struct
{
  /* Blocks whose offset (QP steps) is at or below this are untouched. */
  gint threshold;
  /* From this offset up a block is replaced by its low-passed version;
   * between threshold and full the two are mixed in proportion. */
  gint full;
  /* Half-width of the box filter, luma pixels (1..MAX_RADIUS); chroma
   * planes of 4:2:0 use half of it (at least 1). */
  guint radius;
} ArticRoiPrefilterParams;

/* Scratch memory reused from frame to frame. */
typedef struct _ArticRoiPrefilter ArticRoiPrefilter;

void artic_roi_prefilter_params_init (ArticRoiPrefilterParams *params);
/* FALSE for values out of range (threshold < 0, full <= threshold, radius
 * 0 or above ARTIC_ROI_PREFILTER_MAX_RADIUS). */
gboolean artic_roi_prefilter_params_valid (
    const ArticRoiPrefilterParams *params);

ArticRoiPrefilter *artic_roi_prefilter_new (void);
void artic_roi_prefilter_free (ArticRoiPrefilter *pf);

/* Whether any block of @map is above the threshold (NULL: no). */
gboolean artic_roi_prefilter_needed (
    const ArticQpMap *map, const ArticRoiPrefilterParams *params);

/* One plane of @width x @height pixels. @subsampling is how many frame
 * pixels one plane pixel covers along each side (1: luma, 2: 4:2:0
 * chroma), so that the map's blocks (in frame pixels) land on the plane.
 * Writes every pixel of @dst. FALSE (nothing written) for invalid params,
 * a zero size, strides shorter than the width, or a plane that does not
 * match the map's frame size. */
gboolean artic_roi_prefilter_plane (ArticRoiPrefilter *pf,
    const ArticQpMap *map, const ArticRoiPrefilterParams *params,
    guint subsampling, const guint8 *src, gsize src_stride, guint8 *dst,
    gsize dst_stride, guint width, guint height);

/* A whole I420 frame of the map's size. FALSE, with @dst untouched, when
 * there is nothing to filter (@map NULL or no block above the threshold)
 * or the arguments are invalid: the caller then encodes @src as it is. */
gboolean artic_roi_prefilter_i420 (ArticRoiPrefilter *pf, const ArticQpMap *map,
    const ArticRoiPrefilterParams *params, const guint8 *const src[3],
    const gint src_strides[3], guint8 *const dst[3], const gint dst_strides[3]);

G_END_DECLS

#endif /* ARTIC_ROI_PREFILTER_H */
