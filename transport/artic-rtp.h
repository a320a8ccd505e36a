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

#ifndef __ARTIC_RTP_H__
#define __ARTIC_RTP_H__

/* What artic-send and artic-recv agree on without negotiation (the peer
 * session's offer/answer will carry them later): dynamic payload types per
 * codec and the header extension id of the capture time. */
#define ARTIC_RTP_PT_VP8 96
#define ARTIC_RTP_PT_VP9 98
#define ARTIC_RTP_PT_H264 102
/* Repair packets of the key-frame FEC (transport/artic-fec.h), on their own
 * SSRC. */
#define ARTIC_RTP_PT_FEC 118
#define ARTIC_RTP_EXT_ID_ABS_CAPTURE_TIME 1
/* The frame mark (frame id, key / long-term / recovery-point flags) of
 * VP8 reference control; format in transport/artic-rtcp.h. */
#define ARTIC_RTP_EXT_ID_FRAME_MARK 2
#define ARTIC_FRAME_MARK_URI "urn:x-artic:rtp-hdrext:frame-mark"

/* RTCP (RFC 3550 reports, RFC 4585 AVPF feedback) travels on the media's
 * 5-tuple, multiplexed with RTP (RFC 5761), both ways. Regular reports
 * every half second (ns) at both ends; PLI and acknowledgements go out
 * early, between them. */
#define ARTIC_RTCP_INTERVAL_NS 500000000

#endif /* __ARTIC_RTP_H__ */
