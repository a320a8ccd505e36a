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

/* WebRTC-style data channels (RFC 8831/8832) over the system usrsctp
 * (0.9.5), on an AF_CONN socket whose packets ride a UDP socket, framed as
 * in artic-demux.h.
 *
 * usrsctp is used the safe way (docs/peer-session.md):
 * - usrsctp_init once per process, artic_sctp_finish() at exit (loops on
 *   usrsctp_finish); re-initialising afterwards is refused.
 * - The upcall API: usrsctp's callbacks (packet output, socket upcall) only
 *   send a datagram or wake a thread; they never call usrsctp. Every
 *   usrsctp_recvv/usrsctp_conninput runs on the association's own thread.
 * - A handle table guards the callbacks: they find their association by a
 *   never-reused id under a mutex, so a callback that fires after
 *   artic_sctp_free() (usrsctp issue #405) finds nothing and does nothing.
 *
 * The callbacks given to artic_sctp_new() run on the association's thread.
 * They may call artic_sctp_send() and artic_sctp_open_channel(), but must
 * not free the association, and must not wait for WOULD_BLOCK to clear:
 * the SACKs that free the send buffer are read by that same thread. */

#ifndef ARTIC_SCTP_H
#define ARTIC_SCTP_H

#include <gio/gio.h>

#include "artic-dcep.h"

G_BEGIN_DECLS

/* The SCTP port both ends use on the AF_CONN socket (as WebRTC does). */
#define ARTIC_SCTP_PORT 5000
/* Streams negotiated in each direction. */
#define ARTIC_SCTP_STREAMS 256
/* Larger user messages are refused on send and dropped on receipt. */
#define ARTIC_SCTP_MAX_MESSAGE_LEN (256 * 1024)

#define ARTIC_SCTP_ERROR (artic_sctp_error_quark ())

typedef enum
{
  ARTIC_SCTP_ERROR_INIT,        /* usrsctp unavailable (or finished) */
  ARTIC_SCTP_ERROR_SOCKET,      /* a usrsctp or UDP socket call failed */
  ARTIC_SCTP_ERROR_NOT_OPEN,    /* association not (or no longer) up */
  ARTIC_SCTP_ERROR_NO_CHANNEL,  /* no channel on that stream */
  ARTIC_SCTP_ERROR_WOULD_BLOCK, /* send buffer full: retry later */
  ARTIC_SCTP_ERROR_TOO_LARGE,   /* message over ARTIC_SCTP_MAX_MESSAGE_LEN */
  ARTIC_SCTP_ERROR_TIMEOUT,     /* artic_sctp_wait_open gave up */
  ARTIC_SCTP_ERROR_STREAMS,     /* no stream id left */
} ArticSctpError;

/* RFC 8832 section 6: the DTLS client opens even stream ids, the server
 * odd ones. Without DTLS, the offerer of the session is the client. */
typedef enum
{
  ARTIC_SCTP_ROLE_CLIENT,
  ARTIC_SCTP_ROLE_SERVER,
} ArticSctpRole;

typedef enum
{
  ARTIC_SCTP_STATE_CONNECTING,
  ARTIC_SCTP_STATE_OPEN,
  ARTIC_SCTP_STATE_CLOSED,
} ArticSctpState;

typedef struct _ArticSctp ArticSctp;

typedef struct
{
  /* A channel is usable: the peer opened it (we answered with an ACK), or
   * the peer acknowledged ours (@remote FALSE). */
  void (*channel_open) (ArticSctp *sctp, guint16 stream,
      const ArticDcepOpen *open, gboolean remote, gpointer user_data);
  /* A user message; empty messages (PPID 56/57) have @length 0. */
  void (*message) (ArticSctp *sctp, guint16 stream, gboolean is_string,
      const guint8 *data, gsize length, gpointer user_data);
  void (*state_changed) (
      ArticSctp *sctp, ArticSctpState state, gpointer user_data);
  /* A datagram of the 5-tuple that is not SCTP (RTP, RTCP, STUN, ...), for
   * a session that shares the socket. May be NULL (then dropped). */
  void (*other_packet) (
      ArticSctp *sctp, const guint8 *data, gsize length, gpointer user_data);
  /* A channel is closed: both directions of its stream were reset (RFC
   * 8831 6.7). @remote: the peer closed it. May be NULL. */
  void (*channel_closed) (
      ArticSctp *sctp, guint16 stream, gboolean remote, gpointer user_data);
} ArticSctpCallbacks;

typedef struct
{
  guint64 messages_sent;
  guint64 messages_received;
  guint64 bytes_sent;
  guint64 bytes_received;
  guint64 packets_out; /* SCTP packets handed to UDP */
  guint64 packets_in;  /* SCTP packets given to usrsctp */
  guint64 channels_opened;
  /* Dropped on receipt: malformed DCEP, unknown PPID, message too large,
   * message on a stream with no channel, datagram from another address,
   * SCTP packet that fails verification or comes unprotected on a
   * protected association. */
  guint64 dropped;
  guint64 other_packets; /* non-SCTP datagrams */
  guint64 channels_closed;
} ArticSctpStats;

/* Optional protection of the SCTP packets on the wire (the encrypted
 * framing, marker ARTIC_DEMUX_SCTP_ENCRYPTED_MARKER). With it, plain 0x0A
 * packets are refused, so nobody can inject into the association. The
 * functions run on usrsctp's threads or the association's (serialised by
 * the association) and must not call usrsctp. */
typedef struct
{
  /* Writes the protected form of @sctp (without the marker) into @out;
   * returns its length, or 0 to drop the packet. */
  gsize (*protect) (gpointer data, const guint8 *sctp, gsize length,
      guint8 *out, gsize capacity);
  /* Recovers the SCTP packet from @in (without the marker) into @out;
   * returns its length, or 0 if @in does not verify. */
  gsize (*unprotect) (gpointer data, const guint8 *in, gsize length,
      guint8 *out, gsize capacity);
  gpointer data;
} ArticSctpProtection;

/* Room the protect function gets beyond the SCTP packet's length. */
#define ARTIC_SCTP_PROTECTION_OVERHEAD 256

GQuark artic_sctp_error_quark (void);

/* Starts an association over @udp (a bound UDP socket; the association
 * keeps a reference and owns its reading). Packets go to @remote; if
 * @remote is NULL, to wherever the first datagram came from (the side
 * behind a relay or NAT). Returns at once; the association comes up in the
 * background (see artic_sctp_wait_open). */
ArticSctp *artic_sctp_new (ArticSctpRole role, GSocket *udp,
    GSocketAddress *remote, const ArticSctpCallbacks *callbacks,
    gpointer user_data, GError **error);

/* The same, with the SCTP packets protected by @protection (copied). */
ArticSctp *artic_sctp_new_protected (ArticSctpRole role, GSocket *udp,
    GSocketAddress *remote, const ArticSctpProtection *protection,
    const ArticSctpCallbacks *callbacks, gpointer user_data, GError **error);

/* Blocks until the association is up, closed, or @timeout_ms passed. */
gboolean artic_sctp_wait_open (
    ArticSctp *sctp, guint timeout_ms, GError **error);

ArticSctpState artic_sctp_get_state (ArticSctp *sctp);

/* Opens a data channel (sends DATA_CHANNEL_OPEN on a fresh stream of our
 * parity). Messages may be sent on it at once: DCEP is ordered, so the
 * peer sees the OPEN first. Returns the stream id, or -1 with an error. */
gint artic_sctp_open_channel (
    ArticSctp *sctp, const ArticDcepOpen *open, GError **error);

/* Sends one message on an open channel with the channel's ordering and
 * reliability. Non-blocking: ARTIC_SCTP_ERROR_WOULD_BLOCK when the send
 * buffer is full. */
gboolean artic_sctp_send (ArticSctp *sctp, guint16 stream, gboolean is_string,
    const guint8 *data, gsize length, GError **error);

/* Closes a data channel the RFC 8831 6.7 way: resets the outgoing
 * direction of its stream; the peer answers by resetting its own, and both
 * sides get channel_closed. Sending on the channel is refused from now on.
 * Fails with ARTIC_SCTP_ERROR_NO_CHANNEL if there is no open channel on
 * @stream. */
gboolean artic_sctp_close_channel (
    ArticSctp *sctp, guint16 stream, GError **error);

/* Sends a datagram that is not SCTP (e.g. SRTP) to the peer on the same
 * socket. Fails with ARTIC_SCTP_ERROR_NOT_OPEN while the peer's address is
 * not known yet (the learning side before the first datagram). */
gboolean artic_sctp_send_datagram (
    ArticSctp *sctp, const guint8 *data, gsize length, GError **error);

void artic_sctp_get_stats (ArticSctp *sctp, ArticSctpStats *stats);

/* usrsctp's own counters, for the whole process (all associations): how
 * associations came up and what the stack threw away. */
typedef struct
{
  guint64 established_active;    /* we sent the INIT that won */
  guint64 established_passive;   /* the peer's INIT */
  guint64 established_collision; /* both INITs crossed (simultaneous open) */
  guint64 established_restart;   /* a peer restarted a live association */
  guint64 aborted;
  guint64 bad_verification_tag; /* packets dropped: not this association's */
  guint64 out_of_the_blue;      /* packets for no association */
  guint64 init_timeouts;
} ArticSctpProcessStats;

void artic_sctp_get_process_stats (ArticSctpProcessStats *stats);
/* The same as one line of text (the programs' summaries). */
gchar *artic_sctp_describe_process (void);

/* Closes the association (graceful SCTP shutdown where the link allows),
 * stops and joins its thread, and frees it. NULL is fine. */
void artic_sctp_free (ArticSctp *sctp);

/* Shuts usrsctp down at process exit: every association must be freed.
 * Waits up to @timeout_ms for usrsctp's own state to drain. Returns FALSE
 * if it did not. Later artic_sctp_new calls fail. */
gboolean artic_sctp_finish (guint timeout_ms);

G_END_DECLS

#endif /* ARTIC_SCTP_H */
