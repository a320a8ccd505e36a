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

/* The codec-dependent parts of artic-recv: caps, depayloader, decoder and
 * what "lost" means for the codec. */

#include "artic-recv-codec.h"

#include <gio/gio.h>

#include "artic-vp8-descriptor.h"
#include "artic-vp9-descriptor.h"

typedef struct
{
  const gchar *name;
  const gchar *encoding_name;
  guint payload_type;
  const gchar *depayloader;
  const gchar *decoder;
} ArticRecvCodecInfo;

static const ArticRecvCodecInfo artic_recv_codecs[] = {
  [ARTIC_RECV_CODEC_VP8]
  = { "vp8", "VP8", ARTIC_RTP_PT_VP8, "rtpvp8depay", "vp8dec" },
  [ARTIC_RECV_CODEC_VP9]
  = { "vp9", "VP9", ARTIC_RTP_PT_VP9, "rtpvp9depay", "vp9dec" },
  [ARTIC_RECV_CODEC_H264]
  = { "h264", "H264", ARTIC_RTP_PT_H264, "rtph264depay", "avdec_h264" },
};

gboolean
artic_recv_codec_parse (
    const gchar *name, ArticRecvCodec *codec, GError **error)
{
  guint i;

  for (i = 0; name != NULL && i < G_N_ELEMENTS (artic_recv_codecs); i++) {
    if (g_ascii_strcasecmp (name, artic_recv_codecs[i].name) == 0) {
      *codec = (ArticRecvCodec) i;
      return TRUE;
    }
  }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
      "unknown codec '%s' (supported: vp8, vp9, h264)",
      name != NULL ? name : "");
  return FALSE;
}

const gchar *
artic_recv_codec_name (ArticRecvCodec codec)
{
  g_return_val_if_fail (codec <= ARTIC_RECV_CODEC_H264, NULL);
  return artic_recv_codecs[codec].name;
}

guint
artic_recv_codec_payload_type (ArticRecvCodec codec)
{
  g_return_val_if_fail (codec <= ARTIC_RECV_CODEC_H264, 0);
  return artic_recv_codecs[codec].payload_type;
}

/* The network end (netsrc, netsink) carries RTP and RTCP multiplexed
 * (RFC 5761) on one socket; articrtcpdemux splits them for the session,
 * whose reports and PLIs (AVPF; rtcp-fb-nack-pli lets it turn an upstream
 * force-key-unit event into a PLI) go back the same way. netsink gets its
 * destination from the first packet (artic-recv). */
#define NET_END_UDP                                                          \
  "session.send_rtcp_src ! multiudpsink name=netsink sync=false async=false" \
  " udpsrc name=netsrc ! articrtcpdemux name=netdemux"
/* The same through a peer session: articpeer and articpeersrc take the
 * place of netsink and netsrc (docs/peer-session.md). */
#define NET_END_SESSION                                        \
  "session.send_rtcp_src ! articpeer name=netpeer role=answer" \
  " forward-events=false articpeersrc peer=netpeer"            \
  " ! articrtcpdemux name=netdemux"

static gchar *
artic_recv_codec_head (
    ArticRecvCodec codec, guint jitter_ms, const gchar *net_end)
{
  const ArticRecvCodecInfo *info;

  g_return_val_if_fail (codec <= ARTIC_RECV_CODEC_H264, NULL);
  info = &artic_recv_codecs[codec];
  return g_strdup_printf (
      "rtpsession name=session rtp-profile=avpf"
      " rtcp-min-interval=" G_STRINGIFY (
          ARTIC_RTCP_INTERVAL_NS) " %s"
                                  " netdemux.rtcp_src ! session.recv_rtcp_sink"
                                  " netdemux.rtp_src ! articfecdec name=fec"
                                  " ! capsfilter name=src "
                                  "caps=\"application/x-rtp,"
                                  "media=(string)video,clock-rate=(int)90000,"
                                  "encoding-name=(string)%s,payload=(int)%u,"
                                  "rtcp-fb-nack-pli=(boolean)true\""
                                  " ! session.recv_rtp_sink"
                                  " session.recv_rtp_src ! rtpjitterbuffer "
                                  "name=jitter latency=%u"
                                  " ! %s name=depay ! %s name=dec",
      net_end, info->encoding_name, info->payload_type, jitter_ms,
      info->depayloader, info->decoder);
}

gchar *
artic_recv_codec_pipeline_head (ArticRecvCodec codec, guint jitter_ms)
{
  return artic_recv_codec_head (codec, jitter_ms, NET_END_UDP);
}

gchar *
artic_recv_codec_pipeline_head_session (ArticRecvCodec codec, guint jitter_ms)
{
  return artic_recv_codec_head (codec, jitter_ms, NET_END_SESSION);
}

void
artic_loss_counter_init (ArticLossCounter *counter, ArticRecvCodec codec)
{
  counter->codec = codec;
  counter->have_last = FALSE;
  counter->last = 0;
  counter->lost = 0;
}

/* Picture ids: only packets that start a frame carry the next id. */
static void
artic_loss_counter_add_picture (
    ArticLossCounter *counter, guint picture_id, guint bits)
{
  if (counter->have_last)
    counter->lost += artic_vp8_descriptor_picture_id_gap (
        counter->last, picture_id, bits);
  counter->have_last = TRUE;
  counter->last = picture_id;
}

/* Sequence numbers: a step back (a late or repeated packet) is not a loss
 * and does not move the reference. */
static void
artic_loss_counter_add_seq (ArticLossCounter *counter, guint16 seq)
{
  guint16 distance;

  if (!counter->have_last) {
    counter->have_last = TRUE;
    counter->last = seq;
    return;
  }
  distance = (guint16) (seq - (guint16) counter->last);
  if (distance == 0 || distance >= 0x8000)
    return;
  counter->lost += distance - 1;
  counter->last = seq;
}

void
artic_loss_counter_add (
    ArticLossCounter *counter, guint16 seq, const guint8 *payload, gsize size)
{
  ArticVp8Descriptor vp8;
  ArticVp9Descriptor vp9;

  switch (counter->codec) {
    case ARTIC_RECV_CODEC_VP8:
      if (artic_vp8_descriptor_parse (payload, size, &vp8) && vp8.starts_frame
          && vp8.has_picture_id)
        artic_loss_counter_add_picture (
            counter, vp8.picture_id, vp8.picture_id_bits);
      break;
    case ARTIC_RECV_CODEC_VP9:
      if (artic_vp9_descriptor_parse (payload, size, &vp9) && vp9.starts_frame
          && vp9.has_picture_id)
        artic_loss_counter_add_picture (
            counter, vp9.picture_id, vp9.picture_id_bits);
      break;
    case ARTIC_RECV_CODEC_H264:
      artic_loss_counter_add_seq (counter, seq);
      break;
  }
}
