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

#ifndef __GST_ARTIC_CONCEAL_H__
#define __GST_ARTIC_CONCEAL_H__

#include <gst/gst.h>

#include "artic-conceal.h"
#include "gstarticframestatus.h"

G_BEGIN_DECLS

#define GST_TYPE_ARTIC_CONCEAL (gst_artic_conceal_get_type ())
G_DECLARE_FINAL_TYPE (
    GstArticConceal, gst_artic_conceal, GST, ARTIC_CONCEAL, GstElement);

struct _GstArticConceal
{
  GstElement parent;

  GstPad *sinkpad;
  GstPad *srcpad;

  /* Properties and state, under the object lock. */
  gdouble rate;
  GstClockTime max_age;
  GstClockTime request_interval;
  GstSegment segment; /* of the sink pad */
  GstCaps *caps;      /* of the sink pad */
  GstBuffer *good;    /* newest frame decoded from an intact chain */
  GstCaps *good_caps;
  guint good_picture_id;
  GstCaps *src_caps; /* last caps pushed */
  guint64 serial;
  ArticConcealSelector selector;
  gboolean grid_started;
  guint64 next_index;
  GstClockID clock_id;
  gboolean running; /* PLAYING and not flushing */
  gboolean eos;
  gboolean need_segment;
  gboolean chain_ok; /* the last frame seen was intact */
  GstClockTime last_request;

  guint64 good_frames;
  guint64 broken_frames;
  guint64 fresh;
  guint64 repeated;
  guint64 stale;
  guint64 unserved;
  guint64 keyframe_requests;
};

GST_ELEMENT_REGISTER_DECLARE (articconceal);

G_END_DECLS

#endif /* __GST_ARTIC_CONCEAL_H__ */
