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

#ifndef __GST_ARTIC_PEER_SRC_H__
#define __GST_ARTIC_PEER_SRC_H__

#include <gst/base/gstbasesrc.h>
#include <gst/gst.h>

#include "gstarticpeer.h"

G_BEGIN_DECLS

#define GST_TYPE_ARTIC_PEER_SRC (gst_artic_peer_src_get_type ())
G_DECLARE_FINAL_TYPE (
    GstArticPeerSrc, gst_artic_peer_src, GST, ARTIC_PEER_SRC, GstBaseSrc);

struct _GstArticPeerSrc
{
  GstBaseSrc parent;

  /* Properties, under the object lock. */
  gchar *peer_name;
  GstCaps *caps;

  /* While started. */
  GstArticPeer *peer;
  GAsyncQueue *queue;
  gint flushing;
};

GST_ELEMENT_REGISTER_DECLARE (articpeersrc);

G_END_DECLS

#endif /* __GST_ARTIC_PEER_SRC_H__ */
