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

#ifndef __GST_ARTIC_RTCP_DEMUX_H__
#define __GST_ARTIC_RTCP_DEMUX_H__

#include <gst/gst.h>
#include <gst/base/gstflowcombiner.h>

G_BEGIN_DECLS

#define GST_TYPE_ARTIC_RTCP_DEMUX (gst_artic_rtcp_demux_get_type ())
G_DECLARE_FINAL_TYPE (
    GstArticRtcpDemux, gst_artic_rtcp_demux, GST, ARTIC_RTCP_DEMUX, GstElement);

struct _GstArticRtcpDemux
{
  GstElement parent;

  GstPad *sinkpad;
  GstPad *rtp_srcpad;
  GstPad *rtcp_srcpad;
  GstFlowCombiner *flow_combiner;

  /* Counters, under the object lock. */
  guint64 rtp_packets;
  guint64 rtcp_packets;
  guint64 dropped;
};

GST_ELEMENT_REGISTER_DECLARE (articrtcpdemux);

G_END_DECLS

#endif /* __GST_ARTIC_RTCP_DEMUX_H__ */
