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

/* articpeer: two elements (offer and answer) in GstHarnesses on loopback.
 * RTP and RTCP both ways verified byte for byte; the context channel both
 * ways, with a received question going downstream as artic-mllm-question
 * and received boxes going upstream as artic-roi-boxes; invalid context
 * messages refused; non-RTP input dropped and counted; a silent peer's
 * session ended by the idle timeout; a closed one ended at once; wrong,
 * missing and weak tokens fail the state change without printing the
 * token. */

#include <string.h>

#include <gio/gio.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>

#include "artic-signal.h"
#include "gstarticelements.h"
#include "gstarticroi.h"

static gchar *token;

static GstHarness *
answer_harness (guint idle_timeout)
{
  GstElement *e = gst_element_factory_make ("articpeer", NULL);
  GstHarness *h;

  fail_unless (e != NULL);
  g_object_set (e, "role", 1 /* answer */, "signal-address", "127.0.0.1",
      "signal-port", 0, "address", "127.0.0.1", "port", 0, "token", token,
      "idle-timeout", idle_timeout, NULL);
  gst_util_set_object_arg (G_OBJECT (e), "role", "answer");
  h = gst_harness_new_with_element (e, "sink", "src");
  gst_object_unref (e);
  gst_harness_play (h);
  gst_harness_set_src_caps_str (h, "application/x-rtcp");
  return h;
}

static GstHarness *
offer_harness (GstHarness *answer, guint media_port)
{
  GstElement *e = gst_element_factory_make ("articpeer", NULL);
  GstHarness *h;
  guint port;
  gchar *url;

  g_object_get (answer->element, "signal-port", &port, NULL);
  fail_unless (port > 0);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  gst_util_set_object_arg (G_OBJECT (e), "role", "offer");
  g_object_set (e, "signal-url", url, "token", token, NULL);
  if (media_port != 0)
    g_object_set (e, "media-host", "127.0.0.1", "media-port", media_port, NULL);
  h = gst_harness_new_with_element (e, "sink", "src");
  gst_object_unref (e);
  gst_harness_play (h);
  gst_harness_set_src_caps_str (h, "application/x-rtp");
  g_free (url);
  return h;
}

static GstBuffer *
rtp_packet (guint16 seq, guint32 ssrc)
{
  guint8 data[200] = { 0x80, 96 };
  guint i;

  data[2] = seq >> 8;
  data[3] = seq & 0xff;
  data[8] = ssrc >> 24;
  data[9] = (ssrc >> 16) & 0xff;
  data[10] = (ssrc >> 8) & 0xff;
  data[11] = ssrc & 0xff;
  for (i = 12; i < sizeof (data); i++)
    data[i] = (guint8) (i * 7 + seq);
  return gst_buffer_new_memdup (data, sizeof (data));
}

static GstBuffer *
rtcp_receiver_report (void)
{
  /* RR with no report blocks: V=2, PT 201, length 1, SSRC. */
  static const guint8 rr[] = { 0x80, 201, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44 };

  return gst_buffer_new_memdup (rr, sizeof (rr));
}

static guint
stat (GstElement *e, const gchar *field)
{
  GstStructure *s;
  guint value = 0;
  guint64 value64 = 0;

  g_object_get (e, "stats", &s, NULL);
  if (!gst_structure_get_uint (s, field, &value)
      && gst_structure_get_uint64 (s, field, &value64))
    value = (guint) value64;
  gst_structure_free (s);
  return value;
}

static gboolean
wait_stat (GstElement *e, const gchar *field, guint at_least, guint timeout_ms)
{
  guint waited;

  for (waited = 0; waited < timeout_ms; waited += 20) {
    if (stat (e, field) >= at_least)
      return TRUE;
    g_usleep (20000);
  }
  return stat (e, field) >= at_least;
}

static gboolean
send_context (GstElement *e, const gchar *json, guint timeout_ms)
{
  gboolean sent = FALSE;
  guint waited;

  for (waited = 0; waited <= timeout_ms && !sent; waited += 20) {
    g_signal_emit_by_name (e, "send-context", json, &sent);
    if (!sent)
      g_usleep (20000);
  }
  return sent;
}

typedef struct
{
  GMutex lock;
  gchar *type;
  gchar *json;
} Received;

static void
on_context (GstElement *e, const gchar *session, const gchar *type,
    const gchar *json, Received *r)
{
  g_mutex_lock (&r->lock);
  g_free (r->type);
  g_free (r->json);
  r->type = g_strdup (type);
  r->json = g_strdup (json);
  g_mutex_unlock (&r->lock);
}

/* The first custom event with structure @name among @h's events. */
static GstEvent *
pull_custom (GstHarness *h, const gchar *name, gboolean upstream)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline) {
    GstEvent *event = upstream ? gst_harness_try_pull_upstream_event (h)
                               : gst_harness_try_pull_event (h);

    if (event == NULL) {
      g_usleep (10000);
      continue;
    }
    if (gst_event_has_name (event, name))
      return event;
    gst_event_unref (event);
  }
  return NULL;
}

GST_START_TEST (test_media_and_context)
{
  GstHarness *a = answer_harness (10), *o = offer_harness (a, 0);
  const gchar *question = "{\"v\":1,\"type\":\"question\",\"question_id\":7,"
                          "\"text\":\"What does the label say?\",\"t_us\":1}";
  const gchar *boxes = "{\"v\":1,\"type\":\"boxes\",\"question_id\":7,"
                       "\"frames\":[{\"t_us\":1,\"boxes\":[[[120,340],[480,"
                       "610]]]}]}";
  Received ra = { 0 }, ro = { 0 };
  GstBuffer *in, *out;
  GstEvent *event;
  gchar *json = NULL;
  const GstStructure *s;
  guint i;

  g_mutex_init (&ra.lock);
  g_mutex_init (&ro.lock);
  g_signal_connect (
      a->element, "context-received", G_CALLBACK (on_context), &ra);
  g_signal_connect (
      o->element, "context-received", G_CALLBACK (on_context), &ro);

  /* Media offer -> answer, byte for byte. */
  for (i = 0; i < 10; i++) {
    GstMapInfo mi, mo;

    in = rtp_packet ((guint16) i, 0xabcdef01);
    fail_unless_equals_int (
        gst_harness_push (o, gst_buffer_ref (in)), GST_FLOW_OK);
    out = gst_harness_pull (a);
    fail_unless (out != NULL);
    gst_buffer_map (in, &mi, GST_MAP_READ);
    gst_buffer_map (out, &mo, GST_MAP_READ);
    fail_unless_equals_uint64 (mi.size, mo.size);
    fail_unless (memcmp (mi.data, mo.data, mi.size) == 0);
    gst_buffer_unmap (in, &mi);
    gst_buffer_unmap (out, &mo);
    gst_buffer_unref (in);
    gst_buffer_unref (out);
  }
  /* RTCP answer -> offer (receiver reports, PLI travel this way). */
  fail_unless_equals_int (
      gst_harness_push (a, rtcp_receiver_report ()), GST_FLOW_OK);
  out = gst_harness_pull (o);
  fail_unless (out != NULL);
  fail_unless_equals_int (gst_buffer_get_size (out), 8);
  gst_buffer_unref (out);

  /* The question: context-received at the answer, and downstream as the
   * articmllmsink question event. */
  fail_unless (send_context (o->element, question, 10000));
  event = pull_custom (a, "artic-mllm-question", FALSE);
  fail_unless (event != NULL);
  s = gst_event_get_structure (event);
  fail_unless_equals_string (
      gst_structure_get_string (s, "question"), "What does the label say?");
  gst_event_unref (event);
  g_mutex_lock (&ra.lock);
  fail_unless_equals_string (ra.type, "question");
  fail_unless_equals_string (ra.json, question);
  g_mutex_unlock (&ra.lock);

  /* Boxes back: upstream from the offer's sink pad, as articroi takes
   * them. */
  fail_unless (send_context (a->element, boxes, 10000));
  event = pull_custom (o, GST_ARTIC_ROI_BOXES_EVENT_NAME, TRUE);
  fail_unless (event != NULL);
  fail_unless (gst_artic_roi_boxes_event_parse (event, &json, NULL));
  fail_unless_equals_string (json, "[[[120,340],[480,610]]]");
  g_free (json);
  gst_event_unref (event);
  g_mutex_lock (&ro.lock);
  fail_unless_equals_string (ro.type, "boxes");
  g_mutex_unlock (&ro.lock);

  /* Invalid messages are refused before they reach the wire. */
  {
    gboolean sent = TRUE;
    gchar *big = g_strnfill (20000, 'x');

    g_signal_emit_by_name (o->element, "send-context", "{bad", &sent);
    fail_if (sent);
    g_signal_emit_by_name (
        o->element, "send-context", "{\"v\":2,\"type\":\"question\"}", &sent);
    fail_if (sent);
    g_signal_emit_by_name (o->element, "send-context", big, &sent);
    fail_if (sent);
    g_free (big);
  }
  fail_unless_equals_int (stat (o->element, "context-sent"), 1);
  fail_unless_equals_int (stat (a->element, "context-received"), 1);

  /* Not RTP: dropped and counted, not an error. */
  {
    guint before = stat (o->element, "packets-dropped");
    static const guint8 junk[] = { 0x16, 0xfe, 0xfd, 0x00 };

    fail_unless_equals_int (
        gst_harness_push (o, gst_buffer_new_memdup (junk, sizeof (junk))),
        GST_FLOW_OK);
    fail_unless_equals_int (stat (o->element, "packets-dropped"), before + 1);
  }
  fail_unless_equals_int (stat (a->element, "sessions-live"), 1);

  /* The sender leaves: its session ends at once at the receiver. */
  gst_harness_teardown (o);
  fail_unless (wait_stat (a->element, "sessions-ended-closed", 1, 10000));
  fail_unless_equals_int (stat (a->element, "sessions-live"), 0);
  gst_harness_teardown (a);
  g_free (ra.type);
  g_free (ra.json);
  g_free (ro.type);
  g_free (ro.json);
  g_mutex_clear (&ra.lock);
  g_mutex_clear (&ro.lock);
}

GST_END_TEST;

/* A sender whose media never arrives (sent to a dead port): the receiver
 * ends the session after the idle timeout and serves a new one. */
GST_START_TEST (test_idle_timeout)
{
  GstHarness *a = answer_harness (1), *o, *o2;
  GSocket *dead = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
      G_SOCKET_PROTOCOL_UDP, NULL);
  GInetAddress *lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  GSocketAddress *any = g_inet_socket_address_new (lo, 0), *bound;
  guint dead_port;
  gint64 start;

  fail_unless (g_socket_bind (dead, any, FALSE, NULL));
  bound = g_socket_get_local_address (dead, NULL);
  dead_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  start = g_get_monotonic_time ();
  o = offer_harness (a, dead_port);
  fail_unless_equals_int (stat (a->element, "sessions-live"), 1);
  fail_unless (wait_stat (a->element, "sessions-ended-idle", 1, 10000));
  fail_unless (g_get_monotonic_time () - start >= 900 * 1000);
  fail_unless_equals_int (stat (a->element, "sessions-live"), 0);
  /* max-sessions is 1: a new sender is served once the old one is gone. */
  o2 = offer_harness (a, 0);
  fail_unless_equals_int (stat (a->element, "sessions-live"), 1);
  gst_harness_teardown (o2);
  gst_harness_teardown (o);
  gst_harness_teardown (a);
  g_object_unref (bound);
  g_object_unref (any);
  g_object_unref (lo);
  g_object_unref (dead);
}

GST_END_TEST;

/* The state change fails with an error that does not quote the token. */
static void
expect_start_failure (GstElement *e, const gchar *secret)
{
  GstBus *bus = gst_bus_new ();
  GstMessage *message;
  GError *error = NULL;
  gchar *debug = NULL;

  gst_element_set_bus (e, bus);
  fail_unless_equals_int (
      gst_element_set_state (e, GST_STATE_PAUSED), GST_STATE_CHANGE_FAILURE);
  message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (message != NULL);
  gst_message_parse_error (message, &error, &debug);
  if (secret != NULL) {
    fail_if (strstr (error->message, secret) != NULL);
    fail_if (debug != NULL && strstr (debug, secret) != NULL);
  }
  g_clear_error (&error);
  g_free (debug);
  gst_message_unref (message);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
}

GST_START_TEST (test_bad_settings)
{
  GstHarness *a = answer_harness (10);
  GstElement *e;
  guint port;
  gchar *url, *wrong;

  g_object_get (a->element, "signal-port", &port, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  /* Wrong token: 401, no session. */
  wrong = artic_signal_token_generate (NULL);
  e = gst_element_factory_make ("articpeer", NULL);
  gst_util_set_object_arg (G_OBJECT (e), "role", "offer");
  g_object_set (e, "signal-url", url, "token", wrong, NULL);
  expect_start_failure (e, wrong);
  fail_unless_equals_int (stat (a->element, "sessions-started"), 0);
  /* No token at all; a token file that does not exist. */
  e = gst_element_factory_make ("articpeer", NULL);
  gst_util_set_object_arg (G_OBJECT (e), "role", "offer");
  g_object_set (e, "signal-url", url, NULL);
  expect_start_failure (e, NULL);
  e = gst_element_factory_make ("articpeer", NULL);
  g_object_set (e, "token-file", "/nonexistent/token", NULL);
  expect_start_failure (e, NULL);
  /* Not a URL; a receiver with a weak token. */
  e = gst_element_factory_make ("articpeer", NULL);
  gst_util_set_object_arg (G_OBJECT (e), "role", "offer");
  g_object_set (e, "signal-url", "ftp://x", "token", token, NULL);
  expect_start_failure (e, token);
  e = gst_element_factory_make ("articpeer", NULL);
  g_object_set (e, "signal-port", 0, "port", 0, "token", "short", NULL);
  expect_start_failure (e, "short");
  artic_srtp_secret_free (wrong);
  g_free (url);
  gst_harness_teardown (a);
}

GST_END_TEST;

/* articpeersrc takes over the incoming side of a named articpeer: what
 * arrives leaves articpeersrc, not articpeer's own pad; a missing or wrong
 * peer fails the state change. */
GST_START_TEST (test_peer_src)
{
  GstElement *pipeline, *peer, *src, *sink, *bogus;
  GstHarness *o;
  GstBus *bus = gst_bus_new ();
  GstSample *sample = NULL;
  guint port, i;
  gchar *url;

  pipeline = gst_pipeline_new (NULL);
  peer = gst_element_factory_make ("articpeer", "peer");
  src = gst_element_factory_make ("articpeersrc", NULL);
  sink = gst_element_factory_make ("appsink", NULL);
  fail_unless (peer && src && sink);
  gst_util_set_object_arg (G_OBJECT (peer), "role", "answer");
  g_object_set (peer, "signal-address", "127.0.0.1", "signal-port", 0,
      "address", "127.0.0.1", "port", 0, "token", token, NULL);
  g_object_set (src, "peer", "peer", NULL);
  g_object_set (sink, "sync", FALSE, NULL);
  gst_bin_add_many (GST_BIN (pipeline), peer, src, sink, NULL);
  fail_unless (gst_element_link (src, sink));
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING)
               != GST_STATE_CHANGE_FAILURE);
  g_object_get (peer, "signal-port", &port, NULL);
  /* An offer harness needs the answer's port: build it by hand. */
  {
    GstElement *e = gst_element_factory_make ("articpeer", NULL);

    url = g_strdup_printf ("http://127.0.0.1:%u", port);
    gst_util_set_object_arg (G_OBJECT (e), "role", "offer");
    g_object_set (e, "signal-url", url, "token", token, NULL);
    o = gst_harness_new_with_element (e, "sink", "src");
    gst_object_unref (e);
    gst_harness_play (o);
    gst_harness_set_src_caps_str (o, "application/x-rtp");
  }
  for (i = 0; i < 5 && sample == NULL; i++) {
    fail_unless_equals_int (
        gst_harness_push (o, rtp_packet ((guint16) i, 0x1234)), GST_FLOW_OK);
    g_signal_emit_by_name (sink, "try-pull-sample", 2 * GST_SECOND, &sample);
  }
  fail_unless (sample != NULL);
  fail_unless_equals_int (
      gst_buffer_get_size (gst_sample_get_buffer (sample)), 200);
  gst_sample_unref (sample);
  gst_harness_teardown (o);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  g_free (url);

  /* No peer property; a peer that is not an articpeer. */
  pipeline = gst_pipeline_new (NULL);
  src = gst_element_factory_make ("articpeersrc", NULL);
  sink = gst_element_factory_make ("fakesink", NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, sink, NULL);
  fail_unless (gst_element_link (src, sink));
  gst_element_set_bus (pipeline, bus);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PLAYING),
      GST_STATE_CHANGE_FAILURE);
  /* (A pipeline going to NULL flushes its bus: look before.) */
  fail_unless (gst_bus_have_pending (bus));
  gst_element_set_state (pipeline, GST_STATE_NULL);
  bogus = gst_element_factory_make ("identity", "notapeer");
  gst_bin_add (GST_BIN (pipeline), bogus);
  g_object_set (src, "peer", "notapeer", NULL);
  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_PLAYING),
      GST_STATE_CHANGE_FAILURE);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_element_set_bus (pipeline, NULL);
  gst_object_unref (pipeline);
  gst_object_unref (bus);
}

GST_END_TEST;

static Suite *
articpeer_suite (void)
{
  Suite *s = suite_create ("articpeer");
  TCase *tc = tcase_create ("general");

  tcase_set_timeout (tc, 60);
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_media_and_context);
  tcase_add_test (tc, test_idle_timeout);
  tcase_add_test (tc, test_bad_settings);
  tcase_add_test (tc, test_peer_src);
  return s;
}

int
main (int argc, char **argv)
{
  gint result;

  gst_check_init (&argc, &argv);
  gst_artic_elements_register_static ();
  token = artic_signal_token_generate (NULL);
  result = gst_check_run_suite (articpeer_suite (), "articpeer", __FILE__);
  artic_srtp_secret_free (token);
  return result;
}
