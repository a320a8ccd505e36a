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

/**
 * SECTION:element-articpeer
 * @title: articpeer
 *
 * Puts an artic peer session (docs/peer-session.md) into a pipeline: RTP and
 * RTCP protected with SRTP (AES-GCM by default) and the context channel
 * (docs/context-channel.md) on one UDP 5-tuple, set up by an offer/answer
 * over HTTP(S) signaling with a bearer token.
 *
 * One element, both directions: the sink pad takes the outgoing RTP and
 * RTCP (muxed, as the stock RTP elements produce them), the source pad gives
 * the incoming RTP and RTCP that verified. One element rather than a
 * sink/source pair because both directions share one session, one socket
 * and one set of keys, and a pair would need a side channel to find each
 * other.
 *
 * #GstArticPeer:role picks the side. `offer` (the sender, next to the
 * camera) posts its offer to #GstArticPeer:signal-url when the element goes
 * to PAUSED and sends media to the address in the answer (or to
 * #GstArticPeer:media-host / #GstArticPeer:media-port, e.g. a relay);
 * `answer` (the receiver) serves signaling on #GstArticPeer:signal-port and
 * takes up to #GstArticPeer:max-sessions sessions, the first on
 * #GstArticPeer:port. A session whose peer sent nothing that verified for
 * #GstArticPeer:idle-timeout seconds ends and is freed; the receiver keeps
 * serving the others. The bearer token comes from #GstArticPeer:token-file
 * or the write-only #GstArticPeer:token and is never logged.
 *
 * The context channel: the "send-context" action signal sends one message
 * (validated first); received messages are emitted with "context-received"
 * and posted as `artic-peer-context` element messages (`session`, `type`,
 * `json`). With #GstArticPeer:forward-events, received `boxes` go upstream
 * from the sink pad as the `artic-roi-boxes` custom event (so an `articroi`
 * before the encoder follows the model's boxes), and received `question`s go
 * downstream, in order with the media, as the `artic-mllm-question` custom
 * event that `articmllmsink` asks. Sessions starting and ending are posted
 * as `artic-peer-session` messages (`session`, `event`, `reason`).
 *
 * ## Example launch lines
 * |[
 * head -c 32 /dev/urandom | base64 | tr -d '=+/\n' > token.txt
 * # receiver (answer side): signaling on 5005, media on UDP 5004
 * gst-launch-1.0 articpeer role=answer token-file=token.txt \
 *     caps='application/x-rtp,media=video,clock-rate=90000,encoding-name=VP8,payload=96' ! \
 *     rtpjitterbuffer ! rtpvp8depay ! vp8dec ! videoconvert ! autovideosink
 * # sender (offer side)
 * gst-launch-1.0 videotestsrc is-live=true ! vp8enc deadline=1 ! \
 *     rtpvp8pay picture-id-mode=15-bit ! \
 *     articpeer role=offer signal-url=http://127.0.0.1:5005 token-file=token.txt
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "artic-context.h"
#include "artic-demux.h"
#include "artic-peer-cli.h"
#include "gstarticpeer.h"
#include "gstarticroi.h"

GST_DEBUG_CATEGORY_STATIC (gst_artic_peer_debug);
#define GST_CAT_DEFAULT gst_artic_peer_debug

#define DEFAULT_ROLE GST_ARTIC_PEER_ROLE_ANSWER
#define DEFAULT_SIGNAL_URL "http://127.0.0.1:5005"
#define DEFAULT_SIGNAL_ADDRESS "0.0.0.0"
#define DEFAULT_SIGNAL_PORT 5005
#define DEFAULT_ADDRESS "0.0.0.0"
#define DEFAULT_PORT 5004
#define DEFAULT_MEDIA_HOST NULL
#define DEFAULT_MEDIA_PORT 0
#define DEFAULT_PROFILE ARTIC_SRTP_PROFILE_DEFAULT
#define DEFAULT_IDLE_TIMEOUT 10
#define DEFAULT_MAX_SESSIONS 1
#define DEFAULT_FORWARD_EVENTS TRUE
#define MAX_SESSIONS 64
#define MAX_IDLE_TIMEOUT 86400
/* Received packets waiting for the source pad; beyond this the newest are
 * dropped (a stalled downstream must not grow memory without bound). */
#define MAX_QUEUED 2000
/* A token file is a line, not a document. */
#define MAX_TOKEN_FILE_LEN 4096

enum
{
  PROP_0,
  PROP_ROLE,
  PROP_SIGNAL_URL,
  PROP_SIGNAL_ADDRESS,
  PROP_SIGNAL_PORT,
  PROP_ADDRESS,
  PROP_PORT,
  PROP_MEDIA_HOST,
  PROP_MEDIA_PORT,
  PROP_TOKEN,
  PROP_TOKEN_FILE,
  PROP_TLS_CERT,
  PROP_TLS_KEY,
  PROP_TLS_CA,
  PROP_SRTP_PROFILE,
  PROP_IDLE_TIMEOUT,
  PROP_MAX_SESSIONS,
  PROP_CAPS,
  PROP_FORWARD_EVENTS,
  PROP_STATS,
};

enum
{
  SIGNAL_SEND_CONTEXT,
  SIGNAL_CONTEXT_RECEIVED,
  LAST_SIGNAL,
};

static guint gst_artic_peer_signals[LAST_SIGNAL];

static GstStaticPadTemplate gst_artic_peer_sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("application/x-rtp; application/x-rtcp"));
static GstStaticPadTemplate gst_artic_peer_src_template
    = GST_STATIC_PAD_TEMPLATE ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
        GST_STATIC_CAPS ("application/x-rtp; application/x-rtcp"));

#define gst_artic_peer_parent_class parent_class
G_DEFINE_TYPE (GstArticPeer, gst_artic_peer, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (
    articpeer, "articpeer", GST_RANK_NONE, GST_TYPE_ARTIC_PEER);

GType
gst_artic_peer_role_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { GST_ARTIC_PEER_ROLE_OFFER, "Sender: posts the offer", "offer" },
    { GST_ARTIC_PEER_ROLE_ANSWER, "Receiver: serves signaling", "answer" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (
        &type, g_enum_register_static ("GstArticPeerRole", values));
  return type;
}

GType
gst_artic_peer_srtp_profile_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    { ARTIC_SRTP_PROFILE_AES_GCM_128, "AEAD_AES_128_GCM", "aes-gcm" },
    { ARTIC_SRTP_PROFILE_AES_CM_128_HMAC_SHA1_80, "AES_CM_128_HMAC_SHA1_80",
        "aes-cm" },
    { 0, NULL, NULL },
  };

  if (g_once_init_enter (&type))
    g_once_init_leave (
        &type, g_enum_register_static ("GstArticPeerSrtpProfile", values));
  return type;
}

static void gst_artic_peer_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec);
static void gst_artic_peer_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec);
static void gst_artic_peer_finalize (GObject *object);
static GstStateChangeReturn gst_artic_peer_change_state (
    GstElement *element, GstStateChange transition);
static GstFlowReturn gst_artic_peer_chain (
    GstPad *pad, GstObject *parent, GstBuffer *buffer);
static GstFlowReturn gst_artic_peer_chain_list (
    GstPad *pad, GstObject *parent, GstBufferList *list);
static gboolean gst_artic_peer_sink_event (
    GstPad *pad, GstObject *parent, GstEvent *event);
static gboolean gst_artic_peer_src_event (
    GstPad *pad, GstObject *parent, GstEvent *event);
static gboolean gst_artic_peer_src_query (
    GstPad *pad, GstObject *parent, GstQuery *query);
static gboolean gst_artic_peer_send_context (
    GstArticPeer *self, const gchar *json);

static void
gst_artic_peer_class_init (GstArticPeerClass *klass)
{
  GObjectClass *gobject_class = (GObjectClass *) klass;
  GstElementClass *element_class = (GstElementClass *) klass;
  GParamFlags rw
      = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY;

  gobject_class->set_property = gst_artic_peer_set_property;
  gobject_class->get_property = gst_artic_peer_get_property;
  gobject_class->finalize = gst_artic_peer_finalize;

  g_object_class_install_property (gobject_class, PROP_ROLE,
      g_param_spec_enum ("role", "Role",
          "offer: the sender, posts the offer; answer: the receiver, serves "
          "signaling",
          GST_TYPE_ARTIC_PEER_ROLE, DEFAULT_ROLE, rw));
  g_object_class_install_property (gobject_class, PROP_SIGNAL_URL,
      g_param_spec_string ("signal-url", "Signaling URL",
          "offer: the receiver's signaling server, http(s)://HOST:PORT",
          DEFAULT_SIGNAL_URL, rw));
  g_object_class_install_property (gobject_class, PROP_SIGNAL_ADDRESS,
      g_param_spec_string ("signal-address", "Signaling address",
          "answer: IP address the signaling server listens on",
          DEFAULT_SIGNAL_ADDRESS, rw));
  g_object_class_install_property (gobject_class, PROP_SIGNAL_PORT,
      g_param_spec_uint ("signal-port", "Signaling port",
          "answer: TCP port of the signaling server (0: pick one; reads back "
          "the port in use)",
          0, 65535, DEFAULT_SIGNAL_PORT, rw));
  g_object_class_install_property (gobject_class, PROP_ADDRESS,
      g_param_spec_string ("address", "Media address",
          "answer: IP address the media socket binds to", DEFAULT_ADDRESS, rw));
  g_object_class_install_property (gobject_class, PROP_PORT,
      g_param_spec_uint ("port", "Media port",
          "answer: UDP port of the first session (0: pick one; reads back the "
          "port in use)",
          0, 65535, DEFAULT_PORT, rw));
  g_object_class_install_property (gobject_class, PROP_MEDIA_HOST,
      g_param_spec_string ("media-host", "Media host",
          "offer: send media here instead of the answer's address (a relay)",
          DEFAULT_MEDIA_HOST, rw));
  g_object_class_install_property (gobject_class, PROP_MEDIA_PORT,
      g_param_spec_uint ("media-port", "Media port override",
          "offer: send media to this port instead of the answer's (0: the "
          "answer's)",
          0, 65535, DEFAULT_MEDIA_PORT, rw));
  g_object_class_install_property (gobject_class, PROP_TOKEN,
      g_param_spec_string ("token", "Token",
          "Bearer token for signaling (write-only; prefer token-file)", NULL,
          G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  g_object_class_install_property (gobject_class, PROP_TOKEN_FILE,
      g_param_spec_string ("token-file", "Token file",
          "File whose first line is the bearer token", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_TLS_CERT,
      g_param_spec_string ("tls-cert", "TLS certificate",
          "answer: PEM certificate file; serves signaling over HTTPS", NULL,
          rw));
  g_object_class_install_property (gobject_class, PROP_TLS_KEY,
      g_param_spec_string ("tls-key", "TLS key",
          "answer: PEM private key file for tls-cert", NULL, rw));
  g_object_class_install_property (gobject_class, PROP_TLS_CA,
      g_param_spec_string ("tls-ca", "TLS CA file",
          "offer: PEM file of the CAs trusted for https (default: the "
          "system's)",
          NULL, rw));
  g_object_class_install_property (gobject_class, PROP_SRTP_PROFILE,
      g_param_spec_enum ("srtp-profile", "SRTP profile",
          "offer: protection profile (the answer follows the offer)",
          GST_TYPE_ARTIC_PEER_SRTP_PROFILE, DEFAULT_PROFILE, rw));
  g_object_class_install_property (gobject_class, PROP_IDLE_TIMEOUT,
      g_param_spec_uint ("idle-timeout", "Idle timeout",
          "End a session whose peer sent nothing valid for this many seconds "
          "(0: never)",
          0, MAX_IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT, rw));
  g_object_class_install_property (gobject_class, PROP_MAX_SESSIONS,
      g_param_spec_uint ("max-sessions", "Maximum sessions",
          "answer: sessions served at once (their media all leave the "
          "source pad; tell them apart by SSRC)",
          1, MAX_SESSIONS, DEFAULT_MAX_SESSIONS, rw));
  g_object_class_install_property (gobject_class, PROP_CAPS,
      g_param_spec_boxed ("caps", "Caps",
          "Caps of the incoming RTP on the source pad", GST_TYPE_CAPS, rw));
  g_object_class_install_property (gobject_class, PROP_FORWARD_EVENTS,
      g_param_spec_boolean ("forward-events", "Forward events",
          "Send received boxes upstream (artic-roi-boxes) and questions "
          "downstream (artic-mllm-question) as custom events",
          DEFAULT_FORWARD_EVENTS, rw));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Packets and context messages sent, received and dropped, sessions",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * GstArticPeer::send-context:
   * @peer: the element
   * @json: one context-channel message (docs/context-channel.md)
   *
   * Validates @json and sends it on the context channel (answer side: to
   * every session whose channel is open).
   *
   * Returns: %TRUE if it went to at least one peer
   */
  gst_artic_peer_signals[SIGNAL_SEND_CONTEXT]
      = g_signal_new_class_handler ("send-context", G_TYPE_FROM_CLASS (klass),
          G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
          G_CALLBACK (gst_artic_peer_send_context), NULL, NULL, NULL,
          G_TYPE_BOOLEAN, 1, G_TYPE_STRING);
  /**
   * GstArticPeer::context-received:
   * @peer: the element
   * @session: the session id
   * @type: the message type ("question", "boxes", ...)
   * @json: the message as received (valid)
   *
   * A valid context message arrived. Emitted on a session thread.
   */
  gst_artic_peer_signals[SIGNAL_CONTEXT_RECEIVED] = g_signal_new (
      "context-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
      NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_peer_sink_template);
  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_peer_src_template);
  gst_element_class_set_static_metadata (element_class, "artic peer session",
      "Network/RTP/Secure",
      "SRTP media and the context data channel of an artic peer session, "
      "set up by authenticated offer/answer signaling",
      "The artic authors");
  element_class->change_state = gst_artic_peer_change_state;

  gst_type_mark_as_plugin_api (GST_TYPE_ARTIC_PEER_ROLE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_ARTIC_PEER_SRTP_PROFILE, 0);
  GST_DEBUG_CATEGORY_INIT (
      gst_artic_peer_debug, "articpeer", 0, "artic peer session");
}

static void
gst_artic_peer_init (GstArticPeer *self)
{
  self->sinkpad = gst_pad_new_from_static_template (
      &gst_artic_peer_sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad, gst_artic_peer_chain);
  gst_pad_set_chain_list_function (self->sinkpad, gst_artic_peer_chain_list);
  gst_pad_set_event_function (self->sinkpad, gst_artic_peer_sink_event);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  self->srcpad
      = gst_pad_new_from_static_template (&gst_artic_peer_src_template, "src");
  gst_pad_set_event_function (self->srcpad, gst_artic_peer_src_event);
  gst_pad_set_query_function (self->srcpad, gst_artic_peer_src_query);
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->role = DEFAULT_ROLE;
  self->signal_url = g_strdup (DEFAULT_SIGNAL_URL);
  self->signal_address = g_strdup (DEFAULT_SIGNAL_ADDRESS);
  self->signal_port = DEFAULT_SIGNAL_PORT;
  self->address = g_strdup (DEFAULT_ADDRESS);
  self->port = DEFAULT_PORT;
  self->media_port = DEFAULT_MEDIA_PORT;
  self->profile = DEFAULT_PROFILE;
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT;
  self->max_sessions = DEFAULT_MAX_SESSIONS;
  self->forward_events = DEFAULT_FORWARD_EVENTS;
  self->caps = gst_caps_new_empty_simple ("application/x-rtp");
  g_mutex_init (&self->lock);
  g_mutex_init (&self->output_lock);
  self->queue = g_async_queue_new_full ((GDestroyNotify) gst_mini_object_unref);
}

static void
gst_artic_peer_set_token (GstArticPeer *self, const gchar *token)
{
  if (self->token != NULL)
    artic_srtp_secret_free (self->token);
  self->token = g_strdup (token);
}

static void
gst_artic_peer_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstArticPeer *self = GST_ARTIC_PEER (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ROLE:
      self->role = g_value_get_enum (value);
      /* The sender's articpeer ends its pipeline: it posts EOS like a
       * sink, so the pipeline's EOS waits for the last packet sent. */
      if (self->role == GST_ARTIC_PEER_ROLE_OFFER)
        GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_SINK);
      else
        GST_OBJECT_FLAG_UNSET (self, GST_ELEMENT_FLAG_SINK);
      break;
    case PROP_SIGNAL_URL:
      g_free (self->signal_url);
      self->signal_url = g_value_dup_string (value);
      break;
    case PROP_SIGNAL_ADDRESS:
      g_free (self->signal_address);
      self->signal_address = g_value_dup_string (value);
      break;
    case PROP_SIGNAL_PORT:
      self->signal_port = g_value_get_uint (value);
      break;
    case PROP_ADDRESS:
      g_free (self->address);
      self->address = g_value_dup_string (value);
      break;
    case PROP_PORT:
      self->port = g_value_get_uint (value);
      break;
    case PROP_MEDIA_HOST:
      g_free (self->media_host);
      self->media_host = g_value_dup_string (value);
      break;
    case PROP_MEDIA_PORT:
      self->media_port = g_value_get_uint (value);
      break;
    case PROP_TOKEN:
      gst_artic_peer_set_token (self, g_value_get_string (value));
      break;
    case PROP_TOKEN_FILE:
      g_free (self->token_file);
      self->token_file = g_value_dup_string (value);
      break;
    case PROP_TLS_CERT:
      g_free (self->tls_cert);
      self->tls_cert = g_value_dup_string (value);
      break;
    case PROP_TLS_KEY:
      g_free (self->tls_key);
      self->tls_key = g_value_dup_string (value);
      break;
    case PROP_TLS_CA:
      g_free (self->tls_ca);
      self->tls_ca = g_value_dup_string (value);
      break;
    case PROP_SRTP_PROFILE:
      self->profile = g_value_get_enum (value);
      break;
    case PROP_IDLE_TIMEOUT:
      self->idle_timeout = g_value_get_uint (value);
      break;
    case PROP_MAX_SESSIONS:
      self->max_sessions = g_value_get_uint (value);
      break;
    case PROP_CAPS: {
      const GstCaps *caps = gst_value_get_caps (value);

      gst_caps_replace (
          &self->caps, caps ? (GstCaps *) caps
                            : gst_caps_new_empty_simple ("application/x-rtp"));
      if (caps == NULL)
        gst_caps_unref (self->caps);
      break;
    }
    case PROP_FORWARD_EVENTS:
      self->forward_events = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static GstStructure *
gst_artic_peer_stats (GstArticPeer *self)
{
  GstStructure *s
      = gst_structure_new ("artic-peer-stats", "packets-sent", G_TYPE_UINT,
          (guint) g_atomic_int_get (&self->packets_sent), "packets-received",
          G_TYPE_UINT, (guint) g_atomic_int_get (&self->packets_received),
          "packets-dropped", G_TYPE_UINT,
          (guint) g_atomic_int_get (&self->packets_dropped), "context-sent",
          G_TYPE_UINT, (guint) g_atomic_int_get (&self->context_sent),
          "context-received", G_TYPE_UINT,
          (guint) g_atomic_int_get (&self->context_received), "context-invalid",
          G_TYPE_UINT, (guint) g_atomic_int_get (&self->context_invalid), NULL);

  g_mutex_lock (&self->lock);
  if (self->server != NULL) {
    ArticPeerServerStats stats;

    artic_peer_server_get_stats (self->server, &stats);
    gst_structure_set (s, "sessions-live", G_TYPE_UINT, stats.live,
        "sessions-started", G_TYPE_UINT64, stats.started, "sessions-ended-idle",
        G_TYPE_UINT64, stats.ended_idle, "sessions-ended-closed", G_TYPE_UINT64,
        stats.ended_closed, "sctp-messages-sent", G_TYPE_UINT64,
        stats.sctp_messages_sent, "sctp-messages-received", G_TYPE_UINT64,
        stats.sctp_messages_received, "sctp-packets-out", G_TYPE_UINT64,
        stats.sctp_packets_out, "sctp-packets-in", G_TYPE_UINT64,
        stats.sctp_packets_in, "sctp-dropped", G_TYPE_UINT64,
        stats.sctp_dropped, "data-auth-failed", G_TYPE_UINT64,
        stats.data_auth_failed, NULL);
  }
  if (self->client != NULL) {
    ArticPeerSessionStats stats;

    artic_peer_session_get_stats (
        artic_peer_client_get_session (self->client), &stats);
    gst_structure_set (s, "sessions-live", G_TYPE_UINT, 1u, "srtp-auth-failed",
        G_TYPE_UINT64, stats.receive.auth_failed, "srtp-replayed",
        G_TYPE_UINT64, stats.receive.replayed, "sctp-messages-sent",
        G_TYPE_UINT64, stats.sctp.messages_sent, "sctp-messages-received",
        G_TYPE_UINT64, stats.sctp.messages_received, "sctp-packets-out",
        G_TYPE_UINT64, stats.sctp.packets_out, "sctp-packets-in", G_TYPE_UINT64,
        stats.sctp.packets_in, "sctp-dropped", G_TYPE_UINT64,
        stats.sctp.dropped, "data-auth-failed", G_TYPE_UINT64,
        stats.data_receive.auth_failed, NULL);
  }
  g_mutex_unlock (&self->lock);
  return s;
}

static void
gst_artic_peer_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstArticPeer *self = GST_ARTIC_PEER (object);

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, gst_artic_peer_stats (self));
    return;
  }
  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_SIGNAL_URL:
      g_value_set_string (value, self->signal_url);
      break;
    case PROP_SIGNAL_ADDRESS:
      g_value_set_string (value, self->signal_address);
      break;
    case PROP_SIGNAL_PORT:
      g_value_set_uint (value, self->signal_port);
      break;
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_MEDIA_HOST:
      g_value_set_string (value, self->media_host);
      break;
    case PROP_MEDIA_PORT:
      g_value_set_uint (value, self->media_port);
      break;
    case PROP_TOKEN_FILE:
      g_value_set_string (value, self->token_file);
      break;
    case PROP_TLS_CERT:
      g_value_set_string (value, self->tls_cert);
      break;
    case PROP_TLS_KEY:
      g_value_set_string (value, self->tls_key);
      break;
    case PROP_TLS_CA:
      g_value_set_string (value, self->tls_ca);
      break;
    case PROP_SRTP_PROFILE:
      g_value_set_enum (value, self->profile);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;
    case PROP_MAX_SESSIONS:
      g_value_set_uint (value, self->max_sessions);
      break;
    case PROP_CAPS:
      gst_value_set_caps (value, self->caps);
      break;
    case PROP_FORWARD_EVENTS:
      g_value_set_boolean (value, self->forward_events);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_artic_peer_finalize (GObject *object)
{
  GstArticPeer *self = GST_ARTIC_PEER (object);

  g_free (self->signal_url);
  g_free (self->signal_address);
  g_free (self->address);
  g_free (self->media_host);
  gst_artic_peer_set_token (self, NULL);
  g_free (self->token_file);
  g_free (self->tls_cert);
  g_free (self->tls_key);
  g_free (self->tls_ca);
  gst_caps_unref (self->caps);
  g_async_queue_unref (self->queue);
  if (self->output != NULL)
    g_async_queue_unref (self->output);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->output_lock);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* Received media and serialized events, in order, for the source task. */
static void
gst_artic_peer_enqueue (GstArticPeer *self, GstMiniObject *item)
{
  GAsyncQueue *queue;

  /* An articpeersrc attached to us takes the incoming side instead of our
   * own source pad. */
  g_mutex_lock (&self->output_lock);
  queue = g_async_queue_ref (self->output ? self->output : self->queue);
  g_mutex_unlock (&self->output_lock);
  if ((queue == self->queue && g_atomic_int_get (&self->flushing))
      || g_async_queue_length (queue) >= MAX_QUEUED) {
    g_atomic_int_inc (&self->packets_dropped);
    gst_mini_object_unref (item);
  } else {
    g_async_queue_push (queue, item);
  }
  g_async_queue_unref (queue);
}

/**
 * gst_artic_peer_set_output:
 * @peer: the element
 * @queue: (nullable): where incoming packets and events go from now on
 *   (%NULL: back to the element's own source pad)
 *
 * Used by articpeersrc, which gives the incoming side as a separate element.
 */
void
gst_artic_peer_set_output (GstArticPeer *self, GAsyncQueue *queue)
{
  g_mutex_lock (&self->output_lock);
  if (self->output != NULL)
    g_async_queue_unref (self->output);
  self->output = queue ? g_async_queue_ref (queue) : NULL;
  g_mutex_unlock (&self->output_lock);
}

static void
gst_artic_peer_on_media (GstArticPeer *self, const guint8 *packet, gsize length)
{
  g_atomic_int_inc (&self->packets_received);
  gst_artic_peer_enqueue (
      self, GST_MINI_OBJECT_CAST (gst_buffer_new_memdup (packet, length)));
}

static void
gst_artic_peer_on_context (
    GstArticPeer *self, const gchar *session, const guint8 *data, gsize length)
{
  GError *error = NULL;
  ArticContextMessage *m
      = artic_context_parse ((const gchar *) data, length, &error);
  gchar *json;
  const gchar *type;
  gboolean forward;

  if (m == NULL) {
    /* One bad message must not end the session (context-channel.md). */
    g_atomic_int_inc (&self->context_invalid);
    GST_WARNING_OBJECT (self, "session %s: invalid context message: %s",
        session, error->message);
    g_clear_error (&error);
    return;
  }
  g_atomic_int_inc (&self->context_received);
  json = g_strndup ((const gchar *) data, length);
  type = artic_context_type_name (m->type);
  GST_INFO_OBJECT (self, "session %s: context message '%s'", session, type);
  g_signal_emit (self, gst_artic_peer_signals[SIGNAL_CONTEXT_RECEIVED], 0,
      session, type, json);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self),
          gst_structure_new (GST_ARTIC_PEER_CONTEXT_MESSAGE, "session",
              G_TYPE_STRING, session, "type", G_TYPE_STRING, type, "json",
              G_TYPE_STRING, json, NULL)));
  GST_OBJECT_LOCK (self);
  forward = self->forward_events;
  GST_OBJECT_UNLOCK (self);
  if (forward && m->type == ARTIC_CONTEXT_BOXES) {
    gchar *boxes = artic_peer_cli_boxes_for_now (m);

    gst_pad_push_event (self->sinkpad,
        gst_artic_roi_boxes_event_new (boxes, GST_CLOCK_TIME_NONE));
    g_free (boxes);
  } else if (forward && m->type == ARTIC_CONTEXT_QUESTION) {
    gst_artic_peer_enqueue (self,
        GST_MINI_OBJECT_CAST (gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
            gst_structure_new (GST_ARTIC_PEER_QUESTION_EVENT, "question",
                G_TYPE_STRING, m->text, "question-id", G_TYPE_UINT,
                m->question_id, NULL))));
  }
  g_free (json);
  artic_context_message_free (m);
}

static void
gst_artic_peer_post_session (GstArticPeer *self, const gchar *session,
    const gchar *event, const gchar *reason)
{
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self),
          gst_structure_new (GST_ARTIC_PEER_SESSION_MESSAGE, "session",
              G_TYPE_STRING, session, "event", G_TYPE_STRING, event, "reason",
              G_TYPE_STRING, reason, NULL)));
}

/* Server callbacks (session threads / the reaper). */
static void
gst_artic_peer_server_started (ArticPeerServer *server, const gchar *id,
    ArticPeerSession *session, gpointer user_data)
{
  GstArticPeer *self = user_data;

  GST_INFO_OBJECT (self, "session %s started", id);
  gst_artic_peer_post_session (self, id, "started", "offer");
}

static void
gst_artic_peer_server_media (ArticPeerServer *server, const gchar *id,
    gboolean rtcp, const guint8 *packet, gsize length, gpointer user_data)
{
  gst_artic_peer_on_media (user_data, packet, length);
}

static void
gst_artic_peer_server_context (ArticPeerServer *server, const gchar *id,
    const guint8 *data, gsize length, gpointer user_data)
{
  gst_artic_peer_on_context (user_data, id, data, length);
}

static void
gst_artic_peer_server_ended (ArticPeerServer *server, const gchar *id,
    ArticPeerEndReason reason, gpointer user_data)
{
  GstArticPeer *self = user_data;

  GST_INFO_OBJECT (
      self, "session %s ended (%s)", id, artic_peer_end_reason_name (reason));
  gst_artic_peer_post_session (
      self, id, "ended", artic_peer_end_reason_name (reason));
}

static const ArticPeerServerCallbacks server_callbacks
    = { gst_artic_peer_server_started, gst_artic_peer_server_media,
        gst_artic_peer_server_context, gst_artic_peer_server_ended };

/* Client callbacks (the session's thread). */
static void
gst_artic_peer_client_media (ArticPeerClient *client, gboolean rtcp,
    const guint8 *packet, gsize length, gpointer user_data)
{
  gst_artic_peer_on_media (user_data, packet, length);
}

static void
gst_artic_peer_client_context (ArticPeerClient *client, const guint8 *data,
    gsize length, gpointer user_data)
{
  gst_artic_peer_on_context (
      user_data, artic_peer_client_get_session_id (client), data, length);
}

static void
gst_artic_peer_client_open (ArticPeerClient *client, gpointer user_data)
{
  GstArticPeer *self = user_data;

  GST_INFO_OBJECT (self, "session %s: context channel open",
      artic_peer_client_get_session_id (client));
  gst_artic_peer_post_session (
      self, artic_peer_client_get_session_id (client), "context-open", "");
}

static const ArticPeerClientCallbacks client_callbacks
    = { gst_artic_peer_client_media, gst_artic_peer_client_context,
        gst_artic_peer_client_open };

/* The token from the token file (first line) or the property. Errors never
 * quote the file's content. */
static gchar *
gst_artic_peer_load_token (GstArticPeer *self, GError **error)
{
  gchar *content = NULL, *token;
  gsize length = 0;

  if (self->token_file == NULL) {
    if (self->token == NULL || self->token[0] == '\0') {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "no bearer token: set token-file (or token)");
      return NULL;
    }
    return g_strdup (self->token);
  }
  if (!g_file_get_contents (self->token_file, &content, &length, error))
    return NULL;
  if (length > MAX_TOKEN_FILE_LEN) {
    artic_srtp_secret_free (content);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "token file '%s' is too large to be a token", self->token_file);
    return NULL;
  }
  content[strcspn (content, "\r\n")] = '\0';
  token = g_strdup (g_strstrip (content));
  artic_srtp_secret_free (content);
  if (token[0] == '\0') {
    g_free (token);
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
        "token file '%s' is empty", self->token_file);
    return NULL;
  }
  return token;
}

static gboolean
gst_artic_peer_start (GstArticPeer *self)
{
  GError *error = NULL;
  gchar *token;
  gboolean ok = FALSE;

  GST_OBJECT_LOCK (self);
  token = gst_artic_peer_load_token (self, &error);
  if (token == NULL) {
    GST_OBJECT_UNLOCK (self);
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("No usable bearer token"),
        ("%s", error->message));
    g_clear_error (&error);
    return FALSE;
  }
  if (self->role == GST_ARTIC_PEER_ROLE_ANSWER) {
    ArticPeerServerConfig config = { 0 };
    GTlsCertificate *certificate = NULL;
    ArticPeerServer *server = NULL;

    if (self->tls_cert != NULL || self->tls_key != NULL) {
      certificate = g_tls_certificate_new_from_files (
          self->tls_cert ? self->tls_cert : "",
          self->tls_key ? self->tls_key : "", &error);
    }
    if (error == NULL) {
      config.signal_address = self->signal_address;
      config.signal_port = self->signal_port;
      config.media_address = self->address;
      config.media_port = self->port;
      config.token = token;
      config.certificate = certificate;
      config.max_sessions = self->max_sessions;
      config.idle_timeout_ms = self->idle_timeout * 1000;
      server = artic_peer_server_new (&config, &server_callbacks, self, &error);
    }
    if (server != NULL) {
      self->signal_port = artic_peer_server_get_signal_port (server);
      self->port = artic_peer_server_get_media_port (server);
      GST_INFO_OBJECT (self, "signaling on %s:%u%s, media on %s:%u",
          self->signal_address, self->signal_port, certificate ? " (TLS)" : "",
          self->address, self->port);
      g_mutex_lock (&self->lock);
      self->server = server;
      g_mutex_unlock (&self->lock);
      ok = TRUE;
    }
    g_clear_object (&certificate);
    GST_OBJECT_UNLOCK (self);
    if (!ok)
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
          ("Cannot serve peer sessions: %s", error->message), (NULL));
  } else {
    ArticPeerClientConfig config = { 0 };
    GTlsDatabase *database = NULL;
    ArticPeerClient *client = NULL;
    gchar *url = g_strdup (self->signal_url);

    if (self->tls_ca != NULL)
      database = g_tls_file_database_new (self->tls_ca, &error);
    config.signal_url = url;
    config.token = token;
    config.tls_database = database;
    config.profile = self->profile;
    config.media_host = self->media_host;
    config.media_port = self->media_port;
    GST_OBJECT_UNLOCK (self);
    /* The offer/answer exchange blocks this state change, as a network
     * source's connect does. */
    if (error == NULL)
      client = artic_peer_client_new (&config, &client_callbacks, self, &error);
    if (client != NULL) {
      GST_INFO_OBJECT (self, "session %s: media to %s",
          artic_peer_client_get_session_id (client),
          artic_peer_client_get_media_target (client));
      gst_artic_peer_post_session (
          self, artic_peer_client_get_session_id (client), "started", "answer");
      g_mutex_lock (&self->lock);
      self->client = client;
      g_mutex_unlock (&self->lock);
      ok = TRUE;
    } else {
      /* The reason (refused token, no server...) never quotes the token. */
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
          ("Cannot start a peer session with %s: %s", url, error->message),
          (NULL));
    }
    g_clear_object (&database);
    g_free (url);
  }
  g_clear_error (&error);
  artic_srtp_secret_free (token);
  return ok;
}

static void
gst_artic_peer_stop (GstArticPeer *self)
{
  ArticPeerClient *client;
  ArticPeerServer *server;

  g_mutex_lock (&self->lock);
  client = self->client;
  server = self->server;
  self->client = NULL;
  self->server = NULL;
  g_mutex_unlock (&self->lock);
  /* Outside the lock: freeing joins the session threads. */
  artic_peer_client_free (client);
  artic_peer_server_free (server);
}

/* The offer side ends its session when the receiver went silent. */
static void
gst_artic_peer_check_idle (GstArticPeer *self)
{
  ArticPeerClient *client = NULL;
  guint timeout;
  gchar *id;

  GST_OBJECT_LOCK (self);
  timeout = self->idle_timeout;
  GST_OBJECT_UNLOCK (self);
  if (timeout == 0)
    return;
  g_mutex_lock (&self->lock);
  if (self->client != NULL
      && artic_peer_session_get_idle_ms (
             artic_peer_client_get_session (self->client))
             >= (gint64) timeout * 1000) {
    client = self->client;
    self->client = NULL;
  }
  g_mutex_unlock (&self->lock);
  if (client == NULL)
    return;
  id = g_strdup (artic_peer_client_get_session_id (client));
  artic_peer_client_free (client);
  GST_ELEMENT_WARNING (self, RESOURCE, READ, ("The receiver went silent"),
      ("session %s: nothing valid for %u s, ended", id, timeout));
  gst_artic_peer_post_session (self, id, "ended", "idle");
  g_free (id);
}

static void
gst_artic_peer_push_start_events (GstArticPeer *self)
{
  gchar *stream_id;
  GstCaps *caps;
  GstSegment segment;

  stream_id = gst_pad_create_stream_id (
      self->srcpad, GST_ELEMENT (self), "artic-peer");
  gst_pad_push_event (self->srcpad, gst_event_new_stream_start (stream_id));
  g_free (stream_id);
  GST_OBJECT_LOCK (self);
  caps = gst_caps_ref (self->caps);
  GST_OBJECT_UNLOCK (self);
  gst_pad_push_event (self->srcpad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (self->srcpad, gst_event_new_segment (&segment));
  self->sent_stream_start = TRUE;
}

/* Running time now, as a live network source stamps what it receives. */
static GstClockTime
gst_artic_peer_running_time (GstArticPeer *self)
{
  GstClock *clock = gst_element_get_clock (GST_ELEMENT (self));
  GstClockTime now, base;

  if (clock == NULL)
    return GST_CLOCK_TIME_NONE;
  now = gst_clock_get_time (clock);
  gst_object_unref (clock);
  base = gst_element_get_base_time (GST_ELEMENT (self));
  return now >= base ? now - base : 0;
}

static void
gst_artic_peer_loop (GstPad *pad)
{
  GstArticPeer *self = GST_ARTIC_PEER (gst_pad_get_parent (pad));
  GstMiniObject *item;
  GstFlowReturn ret;

  if (self == NULL)
    return;
  item = g_async_queue_timeout_pop (self->queue, 100 * 1000);
  if (g_atomic_int_get (&self->flushing)) {
    if (item)
      gst_mini_object_unref (item);
    gst_pad_pause_task (pad);
    goto done;
  }
  gst_artic_peer_check_idle (self);
  if (item == NULL)
    goto done;
  if (!self->sent_stream_start)
    gst_artic_peer_push_start_events (self);
  if (GST_IS_EVENT (item)) {
    gboolean eos = GST_EVENT_TYPE (item) == GST_EVENT_EOS;

    gst_pad_push_event (pad, GST_EVENT_CAST (item));
    /* Nothing follows an EOS. */
    if (eos)
      gst_pad_pause_task (pad);
    goto done;
  }
  GST_BUFFER_PTS (item) = GST_BUFFER_DTS (item)
      = gst_artic_peer_running_time (self);
  ret = gst_pad_push (pad, GST_BUFFER_CAST (item));
  if (ret == GST_FLOW_FLUSHING || ret == GST_FLOW_EOS) {
    gst_pad_pause_task (pad);
  } else if (ret != GST_FLOW_OK && ret != GST_FLOW_NOT_LINKED) {
    GST_ELEMENT_FLOW_ERROR (self, ret);
    gst_pad_pause_task (pad);
  }

done:
  gst_object_unref (self);
}

static GstStateChangeReturn
gst_artic_peer_change_state (GstElement *element, GstStateChange transition)
{
  GstArticPeer *self = GST_ARTIC_PEER (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      g_atomic_int_set (&self->flushing, 0);
      self->sent_stream_start = FALSE;
      if (!gst_artic_peer_start (self))
        return GST_STATE_CHANGE_FAILURE;
      gst_pad_start_task (self->srcpad, (GstTaskFunction) gst_artic_peer_loop,
          self->srcpad, NULL);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      g_atomic_int_set (&self->flushing, 1);
      gst_pad_stop_task (self->srcpad);
      gst_artic_peer_stop (self);
      break;
    default:
      break;
  }
  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;
  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_READY: {
      GstMiniObject *item;

      while ((item = g_async_queue_try_pop (self->queue)) != NULL)
        gst_mini_object_unref (item);
      break;
    }
    case GST_STATE_CHANGE_READY_TO_PAUSED:
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      /* A live source: no preroll. */
      ret = GST_STATE_CHANGE_NO_PREROLL;
      break;
    default:
      break;
  }
  return ret;
}

static void
gst_artic_peer_send_packet (GstArticPeer *self, GstBuffer *buffer)
{
  GstMapInfo map;
  ArticDemuxKind kind;
  gboolean sent = FALSE;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    g_atomic_int_inc (&self->packets_dropped);
    return;
  }
  kind = artic_demux_classify (map.data, map.size);
  if (kind != ARTIC_DEMUX_RTP && kind != ARTIC_DEMUX_RTCP) {
    GST_LOG_OBJECT (self,
        "dropping a %" G_GSIZE_FORMAT
        "-byte buffer that is neither RTP nor RTCP",
        map.size);
  } else {
    gboolean rtcp = kind == ARTIC_DEMUX_RTCP;

    g_mutex_lock (&self->lock);
    if (self->client != NULL)
      sent = artic_peer_client_send_media (
          self->client, rtcp, map.data, map.size, NULL);
    else if (self->server != NULL)
      sent = artic_peer_server_send_media (
                 self->server, rtcp, map.data, map.size)
             > 0;
    g_mutex_unlock (&self->lock);
  }
  gst_buffer_unmap (buffer, &map);
  if (sent)
    g_atomic_int_inc (&self->packets_sent);
  else
    g_atomic_int_inc (&self->packets_dropped);
}

static GstFlowReturn
gst_artic_peer_chain (GstPad *pad, GstObject *parent, GstBuffer *buffer)
{
  /* A datagram network: a packet that cannot go (no session yet, full
   * socket, not RTP) is dropped and counted, never an error. */
  gst_artic_peer_send_packet (GST_ARTIC_PEER (parent), buffer);
  gst_buffer_unref (buffer);
  return GST_FLOW_OK;
}

static GstFlowReturn
gst_artic_peer_chain_list (GstPad *pad, GstObject *parent, GstBufferList *list)
{
  guint i, n = gst_buffer_list_length (list);

  for (i = 0; i < n; i++)
    gst_artic_peer_send_packet (
        GST_ARTIC_PEER (parent), gst_buffer_list_get (list, i));
  gst_buffer_list_unref (list);
  return GST_FLOW_OK;
}

static gboolean
gst_artic_peer_sink_event (GstPad *pad, GstObject *parent, GstEvent *event)
{
  GstArticPeer *self = GST_ARTIC_PEER (parent);

  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS
      && GST_OBJECT_FLAG_IS_SET (self, GST_ELEMENT_FLAG_SINK)) {
    GstMessage *message = gst_message_new_eos (GST_OBJECT (self));

    /* The sender's pipeline ends here, as it would at a sink; what comes
     * back (RTCP) ends with it, so that the sinks downstream of the source
     * pad see EOS too and the pipeline's EOS can come. */
    gst_message_set_seqnum (message, gst_event_get_seqnum (event));
    gst_element_post_message (GST_ELEMENT (self), message);
    gst_artic_peer_enqueue (self, GST_MINI_OBJECT_CAST (gst_event_new_eos ()));
  }
  /* Caps, segments and the rest describe the outgoing stream, which leaves
   * as datagrams; the source pad has a stream of its own. */
  gst_event_unref (event);
  return TRUE;
}

static gboolean
gst_artic_peer_src_event (GstPad *pad, GstObject *parent, GstEvent *event)
{
  /* Nothing upstream of the network to seek or ask for key frames:
   * feedback travels as RTCP through the sink pad. */
  gst_event_unref (event);
  return FALSE;
}

static gboolean
gst_artic_peer_src_query (GstPad *pad, GstObject *parent, GstQuery *query)
{
  GstArticPeer *self = GST_ARTIC_PEER (parent);

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_LATENCY:
      gst_query_set_latency (query, TRUE, 0, GST_CLOCK_TIME_NONE);
      return TRUE;
    case GST_QUERY_CAPS: {
      GstCaps *filter, *caps;

      gst_query_parse_caps (query, &filter);
      GST_OBJECT_LOCK (self);
      caps = filter ? gst_caps_intersect_full (
                 filter, self->caps, GST_CAPS_INTERSECT_FIRST)
                    : gst_caps_ref (self->caps);
      GST_OBJECT_UNLOCK (self);
      gst_query_set_caps_result (query, caps);
      gst_caps_unref (caps);
      return TRUE;
    }
    default:
      return gst_pad_query_default (pad, parent, query);
  }
}

static gboolean
gst_artic_peer_send_context (GstArticPeer *self, const gchar *json)
{
  GError *error = NULL;
  ArticContextMessage *m;
  gsize length;
  gboolean sent = FALSE;

  if (json == NULL)
    return FALSE;
  length = strlen (json);
  m = artic_context_parse (json, length, &error);
  if (m == NULL) {
    GST_WARNING_OBJECT (
        self, "not sending an invalid context message: %s", error->message);
    g_clear_error (&error);
    return FALSE;
  }
  g_mutex_lock (&self->lock);
  if (self->client != NULL)
    sent = artic_peer_client_send_context (self->client, json, length, &error);
  else if (self->server != NULL)
    sent
        = artic_peer_server_send_context (self->server, NULL, json, length) > 0;
  g_mutex_unlock (&self->lock);
  if (sent) {
    g_atomic_int_inc (&self->context_sent);
    GST_INFO_OBJECT (
        self, "sent a '%s' context message", artic_context_type_name (m->type));
  } else {
    GST_WARNING_OBJECT (self, "context message '%s' not sent: %s",
        artic_context_type_name (m->type),
        error ? error->message : "no session with an open context channel");
  }
  g_clear_error (&error);
  artic_context_message_free (m);
  return sent;
}
