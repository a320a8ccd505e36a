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

/* The VP9 payload descriptor parser on hand-made descriptors (every field,
 * every truncation), and the per-codec loss counter on packets from the real
 * payloaders (articenc + rtpvp8pay/rtpvp9pay/rtph264pay). */

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/rtp/gstrtpbuffer.h>
#include <string.h>

#include "artic-recv-codec.h"
#include "artic-vp9-descriptor.h"

/* Parses a copy of exactly @size bytes, so that a read past the end shows
 * under valgrind or AddressSanitizer. */
static gboolean
parse_exact (const guint8 *data, gsize size, ArticVp9Descriptor *d)
{
  guint8 *copy = g_memdup2 (data, size);
  gboolean ok = artic_vp9_descriptor_parse (copy, size, d);

  g_free (copy);
  return ok;
}

/* Every prefix shorter than descriptor + one data byte is refused. */
static void
assert_truncations_fail (const guint8 *data, gsize header_size)
{
  ArticVp9Descriptor d;
  gsize n;

  for (n = 0; n <= header_size; n++)
    g_assert_false (parse_exact (data, n, &d));
}

static void
test_minimal (void)
{
  const guint8 key[] = { 0x08, 0xaa };
  const guint8 delta[] = { 0x4c, 0xaa };
  ArticVp9Descriptor d;

  g_assert_true (parse_exact (key, sizeof (key), &d));
  g_assert_false (d.has_picture_id);
  g_assert_true (d.starts_frame);
  g_assert_true (d.is_keyframe);
  g_assert_cmpuint (d.header_size, ==, 1);
  g_assert_true (parse_exact (delta, sizeof (delta), &d));
  g_assert_true (d.inter_predicted);
  g_assert_true (d.end_of_frame);
  g_assert_true (d.starts_frame);
  g_assert_false (d.is_keyframe);
  g_assert_false (artic_vp9_descriptor_parse (NULL, 4, &d));
  assert_truncations_fail (key, 1);
}

static void
test_picture_id (void)
{
  const guint8 long_id[] = { 0x88, 0x80 | 0x12, 0x34, 0x00 };
  const guint8 short_id[] = { 0x80, 0x05, 0x00 };
  ArticVp9Descriptor d;

  g_assert_true (parse_exact (long_id, sizeof (long_id), &d));
  g_assert_true (d.has_picture_id);
  g_assert_cmpuint (d.picture_id, ==, 0x1234);
  g_assert_cmpuint (d.picture_id_bits, ==, 15);
  g_assert_cmpuint (d.header_size, ==, 3);
  assert_truncations_fail (long_id, 3);

  g_assert_true (parse_exact (short_id, sizeof (short_id), &d));
  g_assert_cmpuint (d.picture_id, ==, 5);
  g_assert_cmpuint (d.picture_id_bits, ==, 7);
  g_assert_false (d.starts_frame);
  assert_truncations_fail (short_id, 2);
}

static void
test_layers (void)
{
  /* I|L|B, id 5, TID 2 SID 1, TL0PICIDX 7: an upper spatial layer. */
  const guint8 upper[] = { 0xa8, 0x05, 0x42, 0x07, 0x00 };
  /* The same in layer 0. */
  const guint8 base[] = { 0xa8, 0x05, 0x40, 0x07, 0x00 };
  ArticVp9Descriptor d;

  g_assert_true (parse_exact (upper, sizeof (upper), &d));
  g_assert_true (d.has_layer);
  g_assert_cmpuint (d.temporal_id, ==, 2);
  g_assert_cmpuint (d.spatial_id, ==, 1);
  g_assert_true (d.has_tl0picidx);
  g_assert_cmpuint (d.tl0picidx, ==, 7);
  g_assert_false (d.starts_frame);
  assert_truncations_fail (upper, 4);
  g_assert_true (parse_exact (base, sizeof (base), &d));
  g_assert_true (d.starts_frame);
  g_assert_true (d.is_keyframe);
}

static void
test_flexible (void)
{
  /* I|P|L|F|B, id 5, layer byte, two P_DIFFs (N=1, N=0). */
  const guint8 two[] = { 0xf8, 0x05, 0x00, 0x03, 0x04, 0x00 };
  /* Four P_DIFFs, each announcing another: more than RFC 9628 allows. */
  const guint8 four[] = { 0xd8, 0x05, 0x03, 0x03, 0x03, 0x02, 0x00 };
  ArticVp9Descriptor d;

  g_assert_true (parse_exact (two, sizeof (two), &d));
  g_assert_true (d.flexible);
  g_assert_false (d.has_tl0picidx);
  g_assert_cmpuint (d.n_p_diff, ==, 2);
  g_assert_cmpuint (d.header_size, ==, 5);
  assert_truncations_fail (two, 5);
  g_assert_false (parse_exact (four, sizeof (four), &d));
}

static void
test_scalability_structure (void)
{
  /* B|V; SS: one layer, Y and G; 640x360; one group entry with one P_DIFF. */
  const guint8 ss[]
      = { 0x0a, 0x18, 0x02, 0x80, 0x01, 0x68, 0x01, 0x04, 0x01, 0x00 };
  /* Three layers announced, resolutions of only one present. */
  const guint8 short_ss[] = { 0x0a, 0x50, 0x02, 0x80, 0x01, 0x68, 0x00 };
  /* A group entry that announces three P_DIFFs, two present. */
  const guint8 short_group[] = { 0x0a, 0x08, 0x01, 0x0c, 0x01 };
  ArticVp9Descriptor d;

  g_assert_true (parse_exact (ss, sizeof (ss), &d));
  g_assert_true (d.has_scalability);
  g_assert_cmpuint (d.n_spatial_layers, ==, 1);
  g_assert_true (d.has_resolution);
  g_assert_cmpuint (d.width, ==, 640);
  g_assert_cmpuint (d.height, ==, 360);
  g_assert_cmpuint (d.header_size, ==, 9);
  assert_truncations_fail (ss, 9);
  g_assert_false (parse_exact (short_ss, sizeof (short_ss), &d));
  g_assert_false (parse_exact (short_group, sizeof (short_group), &d));
}

/* Random bytes never crash and a success always leaves data behind. */
static void
test_random (void)
{
  GRand *rand = g_rand_new_with_seed (7);
  guint8 data[24];
  guint i, j;

  for (i = 0; i < 20000; i++) {
    ArticVp9Descriptor d;
    gsize size = g_rand_int_range (rand, 0, sizeof (data) + 1);

    for (j = 0; j < size; j++)
      data[j] = g_rand_int_range (rand, 0, 256);
    if (parse_exact (data, size, &d))
      g_assert_cmpuint (d.header_size, <, size);
  }
  g_rand_free (rand);
}

static void
test_codec_names (void)
{
  ArticRecvCodec codec = ARTIC_RECV_CODEC_VP8;
  GError *error = NULL;
  guint i;

  g_assert_true (artic_recv_codec_parse ("VP9", &codec, NULL));
  g_assert_cmpint (codec, ==, ARTIC_RECV_CODEC_VP9);
  g_assert_true (artic_recv_codec_parse ("h264", &codec, NULL));
  g_assert_cmpint (codec, ==, ARTIC_RECV_CODEC_H264);
  g_assert_false (artic_recv_codec_parse ("theora", &codec, &error));
  g_assert_nonnull (strstr (error->message, "unknown codec 'theora'"));
  g_clear_error (&error);
  g_assert_false (artic_recv_codec_parse (NULL, &codec, &error));
  g_clear_error (&error);
  g_assert_cmpint (codec, ==, ARTIC_RECV_CODEC_H264);
  g_assert_cmpuint (
      artic_recv_codec_payload_type (ARTIC_RECV_CODEC_VP8), ==, 96);
  g_assert_cmpuint (
      artic_recv_codec_payload_type (ARTIC_RECV_CODEC_VP9), ==, 98);
  g_assert_cmpuint (
      artic_recv_codec_payload_type (ARTIC_RECV_CODEC_H264), ==, 102);
  /* Every head builds with the installed elements. */
  for (i = ARTIC_RECV_CODEC_VP8; i <= ARTIC_RECV_CODEC_H264; i++) {
    gchar *head = artic_recv_codec_pipeline_head (i, 50);
    gchar *description = g_strdup_printf ("%s ! fakesink", head);
    GstElement *pipeline = gst_parse_launch_full (
        description, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &error);

    g_assert_no_error (error);
    gst_object_unref (pipeline);
    g_free (description);
    g_free (head);
  }
}

typedef struct
{
  guint16 seq;
  guint32 timestamp;
  GBytes *payload;
} Packet;

static void
packet_free (gpointer data)
{
  Packet *packet = data;

  g_bytes_unref (packet->payload);
  g_free (packet);
}

/* 20 frames of a test pattern through articenc and the real payloader. */
static GPtrArray *
payload_frames (const gchar *codec, const gchar *payloader)
{
  gchar *description = g_strdup_printf (
      "videotestsrc num-buffers=20 pattern=ball"
      " ! video/x-raw,format=I420,width=320,height=240,framerate=30/1"
      " ! articenc codec=%s bitrate=800 ! %s mtu=300"
      " ! appsink name=sink sync=false",
      codec, payloader);
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (description, &error);
  GstElement *sink;
  GPtrArray *packets = g_ptr_array_new_with_free_func (packet_free);
  GstSample *sample;

  g_assert_no_error (error);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL) {
    GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
    Packet *packet = g_new0 (Packet, 1);

    g_assert_true (gst_rtp_buffer_map (
        gst_sample_get_buffer (sample), GST_MAP_READ, &rtp));
    packet->seq = gst_rtp_buffer_get_seq (&rtp);
    packet->timestamp = gst_rtp_buffer_get_timestamp (&rtp);
    packet->payload = g_bytes_new (gst_rtp_buffer_get_payload (&rtp),
        gst_rtp_buffer_get_payload_len (&rtp));
    gst_rtp_buffer_unmap (&rtp);
    g_ptr_array_add (packets, packet);
    gst_sample_unref (sample);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_free (description);
  return packets;
}

/* Feeds the packets, leaving out those of the @skip-th frame (by RTP
 * timestamp; -1: none). Returns the count; @dropped gets the packets left
 * out. */
static guint64
count_lost (ArticRecvCodec codec, GPtrArray *packets, gint skip, guint *dropped,
    guint *frames)
{
  ArticLossCounter counter;
  guint i;
  gint frame = -1;
  guint32 timestamp = 0;

  artic_loss_counter_init (&counter, codec);
  *dropped = 0;
  for (i = 0; i < packets->len; i++) {
    Packet *p = g_ptr_array_index (packets, i);
    gsize size;
    const guint8 *data = g_bytes_get_data (p->payload, &size);

    if (i == 0 || p->timestamp != timestamp)
      frame++;
    timestamp = p->timestamp;
    if (frame == skip) {
      (*dropped)++;
      continue;
    }
    artic_loss_counter_add (&counter, p->seq, data, size);
  }
  *frames = frame + 1;
  return counter.lost;
}

static void
check_loss (ArticRecvCodec codec, const gchar *name, const gchar *payloader,
    gboolean counts_packets)
{
  GPtrArray *packets = payload_frames (name, payloader);
  guint dropped, frames;

  g_assert_cmpuint (count_lost (codec, packets, -1, &dropped, &frames), ==, 0);
  g_assert_cmpuint (frames, ==, 20);
  g_assert_cmpuint (dropped, ==, 0);
  g_assert_cmpuint (count_lost (codec, packets, 0, &dropped, &frames), ==, 0);
  /* A lost frame in the middle: one picture, or all its packets. */
  g_assert_cmpuint (count_lost (codec, packets, 7, &dropped, &frames), ==,
      counts_packets ? dropped : 1);
  g_assert_cmpuint (dropped, >=, 1);
  g_ptr_array_unref (packets);
}

static void
test_loss_vp8 (void)
{
  check_loss (
      ARTIC_RECV_CODEC_VP8, "vp8", "rtpvp8pay picture-id-mode=15-bit", FALSE);
}

static void
test_loss_vp9 (void)
{
  GPtrArray *packets
      = payload_frames ("vp9", "rtpvp9pay picture-id-mode=15-bit");
  guint i, starts = 0;

  /* The real payloader's descriptors all parse, one frame start each. */
  for (i = 0; i < packets->len; i++) {
    Packet *p = g_ptr_array_index (packets, i);
    ArticVp9Descriptor d;
    gsize size;
    const guint8 *data = g_bytes_get_data (p->payload, &size);

    g_assert_true (artic_vp9_descriptor_parse (data, size, &d));
    g_assert_true (d.has_picture_id);
    g_assert_cmpuint (d.picture_id_bits, ==, 15);
    if (d.starts_frame) {
      g_assert_cmpint (d.is_keyframe, ==, starts == 0);
      starts++;
    }
  }
  g_assert_cmpuint (starts, ==, 20);
  g_ptr_array_unref (packets);
  check_loss (
      ARTIC_RECV_CODEC_VP9, "vp9", "rtpvp9pay picture-id-mode=15-bit", FALSE);
}

static void
test_loss_h264 (void)
{
  ArticLossCounter counter;

  check_loss (ARTIC_RECV_CODEC_H264, "h264",
      "rtph264pay config-interval=-1 aggregate-mode=zero-latency", TRUE);
  /* Wrap-around, a repeated and a late packet. */
  artic_loss_counter_init (&counter, ARTIC_RECV_CODEC_H264);
  artic_loss_counter_add (&counter, 65534, NULL, 0);
  artic_loss_counter_add (&counter, 65535, NULL, 0);
  artic_loss_counter_add (&counter, 1, NULL, 0);
  g_assert_cmpuint (counter.lost, ==, 1);
  artic_loss_counter_add (&counter, 1, NULL, 0);
  artic_loss_counter_add (&counter, 0, NULL, 0);
  artic_loss_counter_add (&counter, 2, NULL, 0);
  g_assert_cmpuint (counter.lost, ==, 1);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/vp9-descriptor/minimal", test_minimal);
  g_test_add_func ("/vp9-descriptor/picture-id", test_picture_id);
  g_test_add_func ("/vp9-descriptor/layers", test_layers);
  g_test_add_func ("/vp9-descriptor/flexible", test_flexible);
  g_test_add_func ("/vp9-descriptor/scalability", test_scalability_structure);
  g_test_add_func ("/vp9-descriptor/random", test_random);
  g_test_add_func ("/recv-codec/names", test_codec_names);
  g_test_add_func ("/recv-codec/loss-vp8", test_loss_vp8);
  g_test_add_func ("/recv-codec/loss-vp9", test_loss_vp9);
  g_test_add_func ("/recv-codec/loss-h264", test_loss_h264);
  return g_test_run ();
}
