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

/* The two roles of loss-bench's baseline stack, each a process of its own
 * (`loss-bench --role baseline-send|baseline-recv`), so that the baseline
 * runs like artic-send/artic-recv do: two programs talking through the
 * artic-netem relay. */

#include "loss-bench-baseline.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/rtp/gstrtphdrext.h>
#include <gst/video/video.h>
#include <stdio.h>

#include "artic-capture-time.h"
#include "artic-frame-dump.h"
#include "artic-frame-hash.h"
#include "artic-rtp.h"
#include "artic-udp.h"
#include "gstarticelements.h"

/* The receiving thread wakes up this often to notice the end of the run. */
#define ARTIC_BASELINE_POLL_US (100 * G_TIME_SPAN_MILLISECOND)
#define ARTIC_BASELINE_MAX_DATAGRAM 65536
/* The sampler checks the clock this often (sampling instants are 500 ms
 * apart at 2 fps, so this is their jitter). */
#define ARTIC_BASELINE_TICK_MS 5

typedef struct
{
  const ArticBaselineOptions *options;
  GMainLoop *loop;
  GstElement *pipeline;
  GstElement *rtpbin;
  GSocket *socket;
  GThread *reader;
  gint stopping;
  gint exit_code;
  GPtrArray *jitterbuffers; /* recv: rtpbin's (one per SSRC), counters */
  guint64 jitter_lost;      /* packets it gave up on */
  guint64 jitter_late;      /* packets that came after it gave up */
  guint64 jitter_duplicates;
  GstAppSrc *rtp_in; /* recv only */
  GstAppSrc *rtcp_in;
  ArticFrameDump *dump; /* send only */

  GMutex lock;
  GSocketAddress *peer; /* send: the relay; recv: where packets come from */
  guint64 rtp_packets;
  guint64 rtp_bytes;
  guint64 rtx_packets; /* of those: retransmissions (RTX payload type) */
  guint64 rtcp_packets_in;
  guint64 rtcp_packets_out;
  guint64 rtcp_bytes_out;
  guint64 keyunit_requests;
  gint64 first_packet_us;
  gint64 last_packet_us;
  /* recv: the newest decoded frame and when it arrived */
  GstSample *newest;
  gint64 newest_delivered_us;
  guint64 frames_decoded;
  /* recv: the sampler */
  FILE *handed_log;
  gint64 started_us;
  gint64 next_instant_us;
  GstSample *last_handed;
  guint64 instants;
  guint64 instants_unserved;
} ArticBaseline;

/* RFC 5761: on a shared port, RTCP packet types 192-223 are told from RTP
 * by the second byte (RTP payload types 64-95 are not used). */
static gboolean
artic_baseline_is_rtcp (const guint8 *data, gsize size)
{
  return size >= 8 && (data[0] >> 6) == 2 && data[1] >= 192 && data[1] <= 223;
}

static gboolean
artic_baseline_is_rtx (const guint8 *data, gsize size)
{
  return size >= 12 && (data[1] & 0x7f) == ARTIC_BASELINE_PT_RTX;
}

static void
artic_baseline_push (GstAppSrc *src, const guint8 *data, gsize size)
{
  if (src != NULL)
    gst_app_src_push_buffer (src, gst_buffer_new_memdup (data, size));
}

/* Receives datagrams and hands them to rtpbin: RTP to the RTP source (the
 * receiver), RTCP to the RTCP source (both). */
static gpointer
artic_baseline_read (gpointer user_data)
{
  ArticBaseline *b = user_data;
  guint8 *data = g_malloc (ARTIC_BASELINE_MAX_DATAGRAM);

  while (!g_atomic_int_get (&b->stopping)) {
    GSocketAddress *from = NULL;
    gssize size;

    if (!g_socket_condition_timed_wait (
            b->socket, G_IO_IN, ARTIC_BASELINE_POLL_US, NULL, NULL))
      continue;
    size = g_socket_receive_from (b->socket, &from, (gchar *) data,
        ARTIC_BASELINE_MAX_DATAGRAM, NULL, NULL);
    if (size <= 0) {
      g_clear_object (&from);
      continue;
    }
    g_mutex_lock (&b->lock);
    if (b->rtp_in != NULL) {
      /* The receiver answers whoever sends to it: the relay's port. */
      g_clear_object (&b->peer);
      b->peer = g_object_ref (from);
    }
    if (artic_baseline_is_rtcp (data, size)) {
      b->rtcp_packets_in++;
    } else {
      b->rtp_packets++;
      b->rtp_bytes += size;
      if (artic_baseline_is_rtx (data, size))
        b->rtx_packets++;
      if (b->first_packet_us == 0)
        b->first_packet_us = g_get_real_time ();
      b->last_packet_us = g_get_real_time ();
    }
    g_mutex_unlock (&b->lock);
    g_clear_object (&from);
    if (artic_baseline_is_rtcp (data, size))
      artic_baseline_push (b->rtcp_in, data, size);
    else
      artic_baseline_push (b->rtp_in, data, size);
  }
  g_free (data);
  return NULL;
}

static void
artic_baseline_send_datagram (
    ArticBaseline *b, GstBuffer *buffer, gboolean rtcp)
{
  GSocketAddress *peer;
  GstMapInfo map;

  g_mutex_lock (&b->lock);
  peer = b->peer != NULL ? g_object_ref (b->peer) : NULL;
  if (rtcp && peer != NULL) {
    b->rtcp_packets_out++;
    b->rtcp_bytes_out += gst_buffer_get_size (buffer);
  }
  g_mutex_unlock (&b->lock);
  /* Before the first packet the receiver does not know where to answer. */
  if (peer == NULL)
    return;
  if (gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    g_socket_send_to (
        b->socket, peer, (const gchar *) map.data, map.size, NULL, NULL);
    if (!rtcp) {
      g_mutex_lock (&b->lock);
      b->rtp_packets++;
      b->rtp_bytes += map.size;
      if (artic_baseline_is_rtx (map.data, map.size))
        b->rtx_packets++;
      g_mutex_unlock (&b->lock);
    }
    gst_buffer_unmap (buffer, &map);
  }
  g_object_unref (peer);
}

static GstFlowReturn
artic_baseline_on_outgoing (GstAppSink *sink, gpointer user_data)
{
  ArticBaseline *b = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  gboolean rtcp = g_str_equal (GST_OBJECT_NAME (sink), "rtcpout");
  GstBufferList *list;

  if (sample == NULL)
    return GST_FLOW_EOS;
  list = gst_sample_get_buffer_list (sample);
  if (list != NULL) {
    guint i;

    for (i = 0; i < gst_buffer_list_length (list); i++)
      artic_baseline_send_datagram (b, gst_buffer_list_get (list, i), rtcp);
  } else {
    artic_baseline_send_datagram (b, gst_sample_get_buffer (sample), rtcp);
  }
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static void
artic_baseline_watch_outgoing (ArticBaseline *b, const gchar *name)
{
  GstElement *sink = gst_bin_get_by_name (GST_BIN (b->pipeline), name);
  GstAppSinkCallbacks callbacks = { .new_sample = artic_baseline_on_outgoing };

  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, b, NULL);
  gst_object_unref (sink);
}

/* An aux element wrapped in a bin with the pads rtpbin asks for. */
static GstElement *
artic_baseline_aux_bin (GstElement *aux, guint session)
{
  GstElement *bin = gst_bin_new (NULL);
  gchar *name;
  GstPad *pad;

  gst_bin_add (GST_BIN (bin), aux);
  pad = gst_element_get_static_pad (aux, "sink");
  name = g_strdup_printf ("sink_%u", session);
  gst_element_add_pad (bin, gst_ghost_pad_new (name, pad));
  g_free (name);
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (aux, "src");
  name = g_strdup_printf ("src_%u", session);
  gst_element_add_pad (bin, gst_ghost_pad_new (name, pad));
  g_free (name);
  gst_object_unref (pad);
  return bin;
}

static GstElement *
artic_baseline_on_request_aux_sender (
    GstElement *rtpbin, guint session, gpointer user_data)
{
  GstElement *rtx = gst_element_factory_make ("rtprtxsend", "rtx");
  GstStructure *map = gst_structure_new ("application/x-rtp-pt-map", "96",
      G_TYPE_UINT, (guint) ARTIC_BASELINE_PT_RTX, NULL);

  g_object_set (rtx, "payload-type-map", map, NULL);
  gst_structure_free (map);
  return artic_baseline_aux_bin (rtx, session);
}

static GstElement *
artic_baseline_on_request_aux_receiver (
    GstElement *rtpbin, guint session, gpointer user_data)
{
  GstElement *rtx = gst_element_factory_make ("rtprtxreceive", "rtx");
  /* Like rtprtxsend's: original payload type -> retransmission type. */
  GstStructure *map = gst_structure_new ("application/x-rtp-pt-map", "96",
      G_TYPE_UINT, (guint) ARTIC_BASELINE_PT_RTX, NULL);

  g_object_set (rtx, "payload-type-map", map, NULL);
  gst_structure_free (map);
  return artic_baseline_aux_bin (rtx, session);
}

static GstCaps *
artic_baseline_on_request_pt_map (
    GstElement *rtpbin, guint session, guint pt, gpointer user_data)
{
  if (pt == ARTIC_RTP_PT_VP8)
    return gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING,
        "video", "clock-rate", G_TYPE_INT, 90000, "encoding-name",
        G_TYPE_STRING, "VP8", "payload", G_TYPE_INT, pt, "rtcp-fb-nack",
        G_TYPE_BOOLEAN, TRUE, "rtcp-fb-nack-pli", G_TYPE_BOOLEAN, TRUE,
        "rtcp-fb-ccm-fir", G_TYPE_BOOLEAN, TRUE, NULL);
  if (pt == ARTIC_BASELINE_PT_RTX)
    return gst_caps_new_simple ("application/x-rtp", "media", G_TYPE_STRING,
        "video", "clock-rate", G_TYPE_INT, 90000, "encoding-name",
        G_TYPE_STRING, "RTX", "payload", G_TYPE_INT, pt, "apt", G_TYPE_INT,
        ARTIC_RTP_PT_VP8, NULL);
  return NULL;
}

static GstElement *
artic_baseline_make_rtpbin (ArticBaseline *b)
{
  GstElement *rtpbin = gst_element_factory_make ("rtpbin", "rtpbin");

  /* AVPF: NACKs and key-frame requests go out at once (early feedback)
   * rather than at the next regular RTCP interval. */
  g_object_set (rtpbin, "rtp-profile", 3 /* GST_RTP_PROFILE_AVPF */, NULL);
  g_signal_connect (rtpbin, "request-pt-map",
      G_CALLBACK (artic_baseline_on_request_pt_map), b);
  gst_bin_add (GST_BIN (b->pipeline), rtpbin);
  return rtpbin;
}

static gboolean
artic_baseline_link (ArticBaseline *b, const gchar *src, const gchar *src_pad,
    const gchar *sink, const gchar *sink_pad)
{
  GstElement *s = gst_bin_get_by_name (GST_BIN (b->pipeline), src);
  GstElement *d = gst_bin_get_by_name (GST_BIN (b->pipeline), sink);
  gboolean ok = s != NULL && d != NULL
                && gst_element_link_pads (s, src_pad, d, sink_pad);

  if (!ok)
    fprintf (stderr, "loss-bench: error: cannot link %s.%s to %s.%s\n", src,
        src_pad, sink, sink_pad);
  g_clear_object (&s);
  g_clear_object (&d);
  return ok;
}

static void
artic_baseline_add_capture_time (GstElement *rtp_element)
{
  GstElement *ext = gst_element_factory_make ("articabscapturetime", NULL);

  gst_rtp_header_extension_set_id (
      GST_RTP_HEADER_EXTENSION (ext), ARTIC_RTP_EXT_ID_ABS_CAPTURE_TIME);
  g_signal_emit_by_name (rtp_element, "add-extension", ext);
  gst_object_unref (ext);
}

static GstPadProbeReturn
artic_baseline_on_keyunit_request (
    GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ArticBaseline *b = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

  if (gst_video_event_is_force_key_unit (event)) {
    g_mutex_lock (&b->lock);
    b->keyunit_requests++;
    g_mutex_unlock (&b->lock);
  }
  return GST_PAD_PROBE_OK;
}

static void
artic_baseline_count_keyunit_requests (ArticBaseline *b, const gchar *element)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (b->pipeline), element);
  GstPad *pad = gst_element_get_static_pad (e, "sink");

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
      artic_baseline_on_keyunit_request, b, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
}

static gboolean
artic_baseline_on_bus (GstBus *bus, GstMessage *message, gpointer user_data)
{
  ArticBaseline *b = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR) {
    GError *error = NULL;

    gst_message_parse_error (message, &error, NULL);
    fprintf (stderr, "loss-bench: error: %s (from %s)\n", error->message,
        GST_OBJECT_NAME (GST_MESSAGE_SRC (message)));
    g_clear_error (&error);
    b->exit_code = 1;
    g_main_loop_quit (b->loop);
  } else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_EOS) {
    g_main_loop_quit (b->loop);
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
artic_baseline_on_stop (gpointer user_data)
{
  ArticBaseline *b = user_data;

  g_main_loop_quit (b->loop);
  return G_SOURCE_REMOVE;
}

/* The jitter buffer's own account (read before the pipeline stops, which
 * resets it): how many packets it declared lost, how many arrived after
 * that, duplicates (retransmissions of packets that were only late). */
static void
artic_baseline_read_jitterbuffers (ArticBaseline *b)
{
  guint i;

  for (i = 0; b->jitterbuffers != NULL && i < b->jitterbuffers->len; i++) {
    GstStructure *stats = NULL;
    guint64 lost = 0, late = 0, duplicates = 0;

    g_object_get (
        g_ptr_array_index (b->jitterbuffers, i), "stats", &stats, NULL);
    if (stats == NULL)
      continue;
    gst_structure_get (stats, "num-lost", G_TYPE_UINT64, &lost, "num-late",
        G_TYPE_UINT64, &late, "num-duplicates", G_TYPE_UINT64, &duplicates,
        NULL);
    gst_structure_free (stats);
    b->jitter_lost += lost;
    b->jitter_late += late;
    b->jitter_duplicates += duplicates;
  }
}

/* Runs the pipeline with the socket reader until the main loop ends. */
static void
artic_baseline_run (ArticBaseline *b)
{
  GstBus *bus = gst_element_get_bus (b->pipeline);
  guint watch = gst_bus_add_watch (bus, artic_baseline_on_bus, b);
  guint sigint = g_unix_signal_add (SIGINT, artic_baseline_on_stop, b);
  guint sigterm = g_unix_signal_add (SIGTERM, artic_baseline_on_stop, b);

  gst_object_unref (bus);
  b->reader = g_thread_new ("baseline-socket", artic_baseline_read, b);
  if (gst_element_set_state (b->pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE)
    b->exit_code = 1;
  else
    g_main_loop_run (b->loop);
  g_atomic_int_set (&b->stopping, TRUE);
  g_thread_join (b->reader);
  artic_baseline_read_jitterbuffers (b);
  gst_element_set_state (b->pipeline, GST_STATE_NULL);
  g_source_remove (watch);
  g_source_remove (sigint);
  g_source_remove (sigterm);
}

static void
artic_baseline_write_stats (ArticBaseline *b, const gchar *role)
{
  GKeyFile *stats = g_key_file_new ();
  GError *error = NULL;

  g_key_file_set_uint64 (stats, role, "rtp-packets", b->rtp_packets);
  g_key_file_set_uint64 (stats, role, "rtp-bytes", b->rtp_bytes);
  g_key_file_set_uint64 (stats, role, "rtcp-packets-in", b->rtcp_packets_in);
  g_key_file_set_uint64 (stats, role, "rtcp-packets-out", b->rtcp_packets_out);
  g_key_file_set_uint64 (stats, role, "rtcp-bytes-out", b->rtcp_bytes_out);
  g_key_file_set_uint64 (stats, role, "keyunit-requests", b->keyunit_requests);
  g_key_file_set_uint64 (stats, role, "rtx-packets", b->rtx_packets);
  g_key_file_set_uint64 (stats, role, "frames-decoded", b->frames_decoded);
  g_key_file_set_uint64 (stats, role, "jitterbuffer-lost", b->jitter_lost);
  g_key_file_set_uint64 (stats, role, "jitterbuffer-late", b->jitter_late);
  g_key_file_set_uint64 (
      stats, role, "jitterbuffer-duplicates", b->jitter_duplicates);
  g_key_file_set_uint64 (stats, role, "instants", b->instants);
  g_key_file_set_uint64 (
      stats, role, "instants-unserved", b->instants_unserved);
  if (b->options->stats_path != NULL
      && !g_key_file_save_to_file (stats, b->options->stats_path, &error)) {
    fprintf (stderr, "loss-bench: error: %s\n", error->message);
    g_clear_error (&error);
    b->exit_code = 1;
  }
  g_key_file_free (stats);
}

static void
artic_baseline_init (ArticBaseline *b, const ArticBaselineOptions *options)
{
  b->options = options;
  g_mutex_init (&b->lock);
  b->loop = g_main_loop_new (NULL, FALSE);
  gst_artic_elements_register_static ();
}

static void
artic_baseline_clear (ArticBaseline *b)
{
  g_clear_pointer (&b->jitterbuffers, g_ptr_array_unref);
  g_clear_object (&b->rtp_in);
  g_clear_object (&b->rtcp_in);
  g_clear_object (&b->pipeline);
  g_clear_object (&b->socket);
  g_clear_object (&b->peer);
  g_clear_pointer (&b->newest, gst_sample_unref);
  g_clear_pointer (&b->last_handed, gst_sample_unref);
  g_main_loop_unref (b->loop);
  g_mutex_clear (&b->lock);
}

/* ---- baseline-send ---- */

static GstPadProbeReturn
artic_baseline_on_encoded (
    GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  ArticBaseline *b = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  guint64 capture_ns = 0;
  GError *error = NULL;
  GstMapInfo map;

  if (b->dump == NULL || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_PAD_PROBE_OK;
  artic_capture_time_get (buffer, &capture_ns);
  if (!artic_frame_dump_write (
          b->dump, capture_ns / 1000, map.data, map.size, &error)) {
    fprintf (stderr, "loss-bench: error: %s\n", error->message);
    g_clear_error (&error);
    b->exit_code = 1;
  }
  gst_buffer_unmap (buffer, &map);
  return GST_PAD_PROBE_OK;
}

/* vp8enc set up like articenc (docs/sender.md): real-time deadline,
 * cpu-used 8, CBR, no look-ahead, no frame dropping, the same rate-control
 * buffer, so that the two stacks spend their bits the same way. */
static gchar *
artic_baseline_send_description (const ArticBaselineOptions *o)
{
  return g_strdup_printf (
      "filesrc name=src ! decodebin ! videoconvert ! videoscale ! videorate"
      " ! video/x-raw,format=I420,width=%u,height=%u,framerate=%u/1,"
      "pixel-aspect-ratio=1/1 ! clocksync ! articstamp"
      " ! vp8enc name=enc deadline=1 cpu-used=8 threads=1 end-usage=cbr"
      " target-bitrate=%u keyframe-max-dist=%u lag-in-frames=0"
      " dropframe-threshold=0 resize-allowed=false min-quantizer=2"
      " max-quantizer=63 error-resilient=default undershoot=50 overshoot=50 "
      "buffer-size=600"
      " buffer-initial-size=400 buffer-optimal-size=500"
      " ! rtpvp8pay name=pay picture-id-mode=15-bit pt=%u mtu=1200"
      " appsink name=rtpout sync=false async=false"
      " appsink name=rtcpout sync=false async=false"
      " appsrc name=rtcpin is-live=true do-timestamp=true format=time"
      " caps=application/x-rtcp",
      o->width, o->height, o->fps, o->bitrate_kbps * 1000, o->keyframe_interval,
      ARTIC_RTP_PT_VP8);
}

static gboolean
artic_baseline_build_sender (ArticBaseline *b, GError **error)
{
  const ArticBaselineOptions *o = b->options;
  gchar *description = artic_baseline_send_description (o);
  GstElement *e;
  GstPad *pad;

  b->pipeline = gst_parse_launch_full (
      description, NULL, GST_PARSE_FLAG_FATAL_ERRORS, error);
  g_free (description);
  if (b->pipeline == NULL)
    return FALSE;
  e = gst_bin_get_by_name (GST_BIN (b->pipeline), "src");
  g_object_set (e, "location", o->clip, NULL);
  gst_object_unref (e);
  e = gst_bin_get_by_name (GST_BIN (b->pipeline), "pay");
  artic_baseline_add_capture_time (e);
  gst_object_unref (e);
  e = gst_bin_get_by_name (GST_BIN (b->pipeline), "enc");
  pad = gst_element_get_static_pad (e, "src");
  gst_pad_add_probe (
      pad, GST_PAD_PROBE_TYPE_BUFFER, artic_baseline_on_encoded, b, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
  b->rtcp_in
      = GST_APP_SRC (gst_bin_get_by_name (GST_BIN (b->pipeline), "rtcpin"));

  /* The aux sender must be known before the session is made. */
  b->rtpbin = artic_baseline_make_rtpbin (b);
  g_signal_connect (b->rtpbin, "request-aux-sender",
      G_CALLBACK (artic_baseline_on_request_aux_sender), b);
  if (!artic_baseline_link (b, "pay", "src", "rtpbin", "send_rtp_sink_0")
      || !artic_baseline_link (b, "rtpbin", "send_rtp_src_0", "rtpout", "sink")
      || !artic_baseline_link (
          b, "rtpbin", "send_rtcp_src_0", "rtcpout", "sink")
      || !artic_baseline_link (
          b, "rtcpin", "src", "rtpbin", "recv_rtcp_sink_0")) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "cannot link the sender's rtpbin");
    return FALSE;
  }
  artic_baseline_watch_outgoing (b, "rtpout");
  artic_baseline_watch_outgoing (b, "rtcpout");
  artic_baseline_count_keyunit_requests (b, "pay");
  return TRUE;
}

gint
artic_baseline_send (const ArticBaselineOptions *options)
{
  ArticBaseline b = { 0 };
  GInetAddress *host;
  GError *error = NULL;

  artic_baseline_init (&b, options);
  host = g_inet_address_new_from_string (options->host);
  if (host == NULL) {
    fprintf (stderr, "loss-bench: error: '%s' is not an IP address\n",
        options->host);
    b.exit_code = 2;
    goto out;
  }
  b.peer = g_inet_socket_address_new (host, options->port);
  g_object_unref (host);
  b.socket = artic_udp_bind_text ("0.0.0.0", 0, &error);
  if (b.socket == NULL || !artic_baseline_build_sender (&b, &error))
    goto fail;
  if (options->dump_path != NULL) {
    b.dump = artic_frame_dump_create (
        options->dump_path, "VP80", options->width, options->height, &error);
    if (b.dump == NULL)
      goto fail;
  }
  g_timeout_add (
      (guint) (options->duration_s * 1000), artic_baseline_on_stop, &b);
  artic_baseline_run (&b);
  if (b.dump != NULL && !artic_frame_dump_close (b.dump, &error))
    goto fail;
  b.dump = NULL;
  artic_baseline_write_stats (&b, "baseline-send");
  printf ("baseline-send: sent %" G_GUINT64_FORMAT
          " RTP packets (%" G_GUINT64_FORMAT " RTX),"
          " %" G_GUINT64_FORMAT " bytes; %" G_GUINT64_FORMAT
          " key-frame requests received\n",
      b.rtp_packets, b.rtx_packets, b.rtp_bytes, b.keyunit_requests);
  goto out;

fail:
  fprintf (stderr, "loss-bench: error: baseline sender: %s\n",
      error != NULL ? error->message : "failed");
  g_clear_error (&error);
  b.exit_code = 1;
out:
  if (b.dump != NULL)
    artic_frame_dump_close (b.dump, NULL);
  artic_baseline_clear (&b);
  return b.exit_code;
}

/* ---- baseline-recv ---- */

static guint64
artic_baseline_sample_checksum (GstSample *sample)
{
  GstVideoInfo info;
  GstVideoFrame frame;
  guint64 checksum = 0;

  if (gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
      && GST_VIDEO_INFO_FORMAT (&info) == GST_VIDEO_FORMAT_I420
      && gst_video_frame_map (
          &frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ)) {
    const guint8 *planes[3];
    gint strides[3], i;

    for (i = 0; i < 3; i++) {
      planes[i] = GST_VIDEO_FRAME_PLANE_DATA (&frame, i);
      strides[i] = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, i);
    }
    checksum = artic_frame_hash_i420 (planes, strides,
        GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info));
    gst_video_frame_unmap (&frame);
  }
  return checksum;
}

static GstFlowReturn
artic_baseline_on_decoded (GstAppSink *sink, gpointer user_data)
{
  ArticBaseline *b = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (sample == NULL)
    return GST_FLOW_EOS;
  g_mutex_lock (&b->lock);
  g_clear_pointer (&b->newest, gst_sample_unref);
  b->newest = sample;
  b->newest_delivered_us = g_get_real_time ();
  b->frames_decoded++;
  g_mutex_unlock (&b->lock);
  return GST_FLOW_OK;
}

/* The plain sampler: at each instant, the newest decoded frame, whatever
 * it is (a GStreamer user has no way to know it is damaged). */
static void
artic_baseline_sample (ArticBaseline *b, gint64 now)
{
  GstSample *sample;
  gint64 delivered_us;
  guint64 capture_ns = 0;

  g_mutex_lock (&b->lock);
  sample = b->newest != NULL ? gst_sample_ref (b->newest) : NULL;
  delivered_us = b->newest_delivered_us;
  g_mutex_unlock (&b->lock);
  b->instants++;
  if (sample == NULL) {
    b->instants_unserved++;
    fprintf (
        b->handed_log, "%" G_GINT64_FORMAT ",0,0,0000000000000000,0\n", now);
    return;
  }
  artic_capture_time_get (gst_sample_get_buffer (sample), &capture_ns);
  fprintf (b->handed_log,
      "%" G_GINT64_FORMAT ",%" G_GUINT64_FORMAT ",%" G_GINT64_FORMAT
      ",%016" G_GINT64_MODIFIER "x,%d\n",
      now, capture_ns / 1000, delivered_us,
      artic_baseline_sample_checksum (sample), sample == b->last_handed);
  g_clear_pointer (&b->last_handed, gst_sample_unref);
  b->last_handed = sample;
}

static gboolean
artic_baseline_on_tick (gpointer user_data)
{
  ArticBaseline *b = user_data;
  const ArticBaselineOptions *o = b->options;
  gint64 now = g_get_real_time (), first, last;

  if (now >= b->next_instant_us) {
    artic_baseline_sample (b, now);
    b->next_instant_us += (gint64) (G_USEC_PER_SEC / o->sample_rate);
    if (b->next_instant_us < now)
      b->next_instant_us = now + (gint64) (G_USEC_PER_SEC / o->sample_rate);
  }
  g_mutex_lock (&b->lock);
  first = b->first_packet_us;
  last = b->last_packet_us;
  g_mutex_unlock (&b->lock);
  if ((first == 0 && o->wait_s > 0
          && now - b->started_us > o->wait_s * G_USEC_PER_SEC)
      || (first != 0 && now - last > o->idle_timeout_s * G_USEC_PER_SEC)) {
    if (first == 0) {
      fprintf (stderr,
          "loss-bench: error: baseline receiver: no packet "
          "within %.1f s\n",
          o->wait_s);
      b->exit_code = 1;
    }
    g_main_loop_quit (b->loop);
    return G_SOURCE_REMOVE;
  }
  return G_SOURCE_CONTINUE;
}

static void
artic_baseline_on_pad_added (
    GstElement *rtpbin, GstPad *pad, gpointer user_data)
{
  ArticBaseline *b = user_data;
  GstElement *depay = gst_bin_get_by_name (GST_BIN (b->pipeline), "depay");
  GstPad *sink = gst_element_get_static_pad (depay, "sink");

  if (g_str_has_prefix (GST_PAD_NAME (pad), "recv_rtp_src_")
      && !gst_pad_is_linked (sink))
    gst_pad_link (pad, sink);
  gst_object_unref (sink);
  gst_object_unref (depay);
}

static void
artic_baseline_on_new_jitterbuffer (GstElement *rtpbin,
    GstElement *jitterbuffer, guint session, guint ssrc, gpointer user_data)
{
  ArticBaseline *b = user_data;

  g_mutex_lock (&b->lock);
  if (b->jitterbuffers == NULL)
    b->jitterbuffers = g_ptr_array_new_with_free_func (gst_object_unref);
  g_ptr_array_add (b->jitterbuffers, gst_object_ref (jitterbuffer));
  g_mutex_unlock (&b->lock);
}

static gboolean
artic_baseline_build_receiver (ArticBaseline *b, GError **error)
{
  const ArticBaselineOptions *o = b->options;
  GstAppSinkCallbacks callbacks = { .new_sample = artic_baseline_on_decoded };
  gchar *description;
  GstElement *e;

  description = g_strdup_printf (
      "appsrc name=rtpin is-live=true do-timestamp=true format=time"
      " caps=\"application/x-rtp,media=(string)video,clock-rate=(int)90000,"
      "encoding-name=(string)VP8,payload=(int)%u,rtcp-fb-nack=(boolean)true,"
      "rtcp-fb-nack-pli=(boolean)true,rtcp-fb-ccm-fir=(boolean)true\""
      " appsrc name=rtcpin is-live=true do-timestamp=true format=time"
      " caps=application/x-rtcp"
      " appsink name=rtcpout sync=false async=false"
      " rtpvp8depay name=depay request-keyframe=true ! vp8dec"
      " ! appsink name=frames sync=false",
      ARTIC_RTP_PT_VP8);
  b->pipeline = gst_parse_launch_full (
      description, NULL, GST_PARSE_FLAG_FATAL_ERRORS, error);
  g_free (description);
  if (b->pipeline == NULL)
    return FALSE;
  b->rtp_in
      = GST_APP_SRC (gst_bin_get_by_name (GST_BIN (b->pipeline), "rtpin"));
  b->rtcp_in
      = GST_APP_SRC (gst_bin_get_by_name (GST_BIN (b->pipeline), "rtcpin"));
  e = gst_bin_get_by_name (GST_BIN (b->pipeline), "depay");
  artic_baseline_add_capture_time (e);
  gst_object_unref (e);
  e = gst_bin_get_by_name (GST_BIN (b->pipeline), "frames");
  gst_app_sink_set_callbacks (GST_APP_SINK (e), &callbacks, b, NULL);
  gst_object_unref (e);

  b->rtpbin = artic_baseline_make_rtpbin (b);
  /* The jitter buffer asks for retransmissions (NACK) of missing packets
   * and reports the ones it gives up on, so the depayloader can ask for a
   * key frame. */
  g_object_set (b->rtpbin, "latency", o->latency_ms, "do-retransmission", TRUE,
      "do-lost", TRUE, NULL);
  g_signal_connect (b->rtpbin, "request-aux-receiver",
      G_CALLBACK (artic_baseline_on_request_aux_receiver), b);
  g_signal_connect (
      b->rtpbin, "pad-added", G_CALLBACK (artic_baseline_on_pad_added), b);
  g_signal_connect (b->rtpbin, "new-jitterbuffer",
      G_CALLBACK (artic_baseline_on_new_jitterbuffer), b);
  if (!artic_baseline_link (b, "rtpin", "src", "rtpbin", "recv_rtp_sink_0")
      || !artic_baseline_link (b, "rtcpin", "src", "rtpbin", "recv_rtcp_sink_0")
      || !artic_baseline_link (
          b, "rtpbin", "send_rtcp_src_0", "rtcpout", "sink")) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "cannot link the receiver's rtpbin");
    return FALSE;
  }
  artic_baseline_watch_outgoing (b, "rtcpout");
  artic_baseline_count_keyunit_requests (b, "depay");
  return TRUE;
}

gint
artic_baseline_recv (const ArticBaselineOptions *options)
{
  ArticBaseline b = { 0 };
  GError *error = NULL;

  artic_baseline_init (&b, options);
  b.handed_log = fopen (options->handed_log, "w");
  if (b.handed_log == NULL) {
    fprintf (
        stderr, "loss-bench: error: cannot write '%s'\n", options->handed_log);
    b.exit_code = 1;
    goto out;
  }
  fprintf (
      b.handed_log, "instant_us,capture_us,delivered_us,checksum,repeated\n");
  b.socket = artic_udp_bind_text (options->host, (guint) options->port, &error);
  if (b.socket == NULL || !artic_baseline_build_receiver (&b, &error)) {
    fprintf (stderr, "loss-bench: error: baseline receiver: %s\n",
        error != NULL ? error->message : "failed");
    g_clear_error (&error);
    b.exit_code = 1;
    goto out;
  }
  b.started_us = g_get_real_time ();
  b.next_instant_us
      = b.started_us + (gint64) (G_USEC_PER_SEC / options->sample_rate);
  g_timeout_add (ARTIC_BASELINE_TICK_MS, artic_baseline_on_tick, &b);
  artic_baseline_run (&b);
  artic_baseline_write_stats (&b, "baseline-recv");
  printf ("baseline-recv: %" G_GUINT64_FORMAT " RTP packets (%" G_GUINT64_FORMAT
          " RTX)"
          ", %" G_GUINT64_FORMAT " frames decoded, %" G_GUINT64_FORMAT
          " key-frame requests; %" G_GUINT64_FORMAT
          " instants (%" G_GUINT64_FORMAT
          " unserved); jitter buffer: %" G_GUINT64_FORMAT
          " packets given up (%" G_GUINT64_FORMAT
          " came later), %" G_GUINT64_FORMAT " duplicates\n",
      b.rtp_packets, b.rtx_packets, b.frames_decoded, b.keyunit_requests,
      b.instants, b.instants_unserved, b.jitter_lost, b.jitter_late,
      b.jitter_duplicates);

out:
  if (b.handed_log != NULL)
    fclose (b.handed_log);
  artic_baseline_clear (&b);
  return b.exit_code;
}
