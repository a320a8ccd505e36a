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

#ifndef __GST_ARTIC_PEER_H__
#define __GST_ARTIC_PEER_H__

#include <gst/gst.h>

#include "artic-peer-client.h"
#include "artic-peer-server.h"

G_BEGIN_DECLS

#define GST_TYPE_ARTIC_PEER (gst_artic_peer_get_type ())
G_DECLARE_FINAL_TYPE (
    GstArticPeer, gst_artic_peer, GST, ARTIC_PEER, GstElement);

#define GST_TYPE_ARTIC_PEER_ROLE (gst_artic_peer_role_get_type ())
GType gst_artic_peer_role_get_type (void);
#define GST_TYPE_ARTIC_PEER_SRTP_PROFILE \
  (gst_artic_peer_srtp_profile_get_type ())
GType gst_artic_peer_srtp_profile_get_type (void);

typedef enum
{
  GST_ARTIC_PEER_ROLE_OFFER,
  GST_ARTIC_PEER_ROLE_ANSWER,
} GstArticPeerRole;

/* Names of the element messages (and of the custom event's structure). */
#define GST_ARTIC_PEER_CONTEXT_MESSAGE "artic-peer-context"
#define GST_ARTIC_PEER_SESSION_MESSAGE "artic-peer-session"
#define GST_ARTIC_PEER_QUESTION_EVENT "artic-mllm-question"

struct _GstArticPeer
{
  GstElement parent;

  GstPad *sinkpad;
  GstPad *srcpad;

  /* Properties, under the object lock. */
  GstArticPeerRole role;
  gchar *signal_url;
  gchar *signal_address;
  guint signal_port;
  gchar *address;
  guint port;
  gchar *media_host;
  guint media_port;
  gchar *token; /* secret: wiped on free, never logged */
  gchar *token_file;
  gchar *tls_cert;
  gchar *tls_key;
  gchar *tls_ca;
  ArticSrtpProfile profile;
  guint idle_timeout;
  guint max_sessions;
  GstCaps *caps;
  gboolean forward_events;

  /* The session(s): set and cleared under lock; the chain function sends
   * under it (sending never blocks). Callbacks never take it. */
  GMutex lock;
  ArticPeerClient *client;
  ArticPeerServer *server;

  /* Received media for the source pad's task, or for an attached
   * articpeersrc (output, under output_lock). */
  GAsyncQueue *queue;
  GMutex output_lock;
  GAsyncQueue *output;
  gint flushing;
  gboolean sent_stream_start;

  /* Counters (atomic). */
  gint packets_sent;
  gint packets_received;
  gint packets_dropped;
  gint context_sent;
  gint context_received;
  gint context_invalid;
};

GST_ELEMENT_REGISTER_DECLARE (articpeer);

void gst_artic_peer_set_output (GstArticPeer *peer, GAsyncQueue *queue);

G_END_DECLS

#endif /* __GST_ARTIC_PEER_H__ */
