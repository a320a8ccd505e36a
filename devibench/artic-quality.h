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

#ifndef __ARTIC_QUALITY_H__
#define __ARTIC_QUALITY_H__

#include <glib.h>

G_BEGIN_DECLS

/* PSNR above which two 8-bit planes are reported as identical. */
#define ARTIC_QUALITY_PSNR_IDENTICAL 100.0

gdouble artic_quality_mse_plane (const guint8 *a, gsize stride_a,
    const guint8 *b, gsize stride_b, guint width, guint height);
gdouble artic_quality_psnr_from_mse (gdouble mse);
gdouble artic_quality_psnr_plane (const guint8 *a, gsize stride_a,
    const guint8 *b, gsize stride_b, guint width, guint height);

G_END_DECLS

#endif /* __ARTIC_QUALITY_H__ */
