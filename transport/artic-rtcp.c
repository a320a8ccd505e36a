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

/* RTCP feedback parsing and the acknowledgement / frame-mark wire formats
 * (described in artic-rtcp.h and docs/conceal.md). */

#include "artic-bytes.h"
#include "artic-rtcp.h"

#include <string.h>

G_DEFINE_QUARK (artic_rtcp_error_quark, artic_rtcp_error)

#define HEADER_SIZE 4
#define REPORT_BLOCK_SIZE 24
#define SR_SENDER_INFO_SIZE 20
/* Header + sender SSRC + media SSRC. */
#define FB_MIN_SIZE 12
#define FIR_ENTRY_SIZE 8
/* Identifier + newest id, count, flags. */
#define ACK_FCI_MIN_SIZE 8

static gboolean
malformed (GError **error, const gchar *what, guint index)
{
  g_set_error (error, ARTIC_RTCP_ERROR, ARTIC_RTCP_ERROR_MALFORMED,
      "malformed RTCP: %s (packet %u of the compound)", what, index + 1);
  return FALSE;
}

static gboolean
ssrc_matches (guint32 ssrc, guint32 media_ssrc)
{
  return media_ssrc == 0 || ssrc == media_ssrc;
}

/* SR and RR: one report block per reported source; the one about our
 * stream is kept (the newest wins in a compound with several). */
static gboolean
parse_reports (const guint8 *p, gsize length, guint count, gsize offset,
    guint32 media_ssrc, ArticRtcpFeedback *fb, GError **error, guint index)
{
  guint i;

  if (offset + (gsize) count * REPORT_BLOCK_SIZE > length)
    return malformed (error, "report blocks overrun the packet", index);
  for (i = 0; i < count; i++) {
    const guint8 *block = p + offset + i * REPORT_BLOCK_SIZE;
    guint32 lost;

    if (!ssrc_matches (artic_be_read32 (block), media_ssrc))
      continue;
    fb->have_report = TRUE;
    fb->reporter_ssrc = artic_be_read32 (p + 4);
    fb->fraction_lost = block[4];
    /* 24-bit signed cumulative loss. */
    lost = ((guint32) block[5] << 16) | ((guint32) block[6] << 8) | block[7];
    fb->cumulative_lost
        = (lost & 0x800000) ? (gint32) lost - 0x1000000 : (gint32) lost;
    fb->highest_seq = artic_be_read32 (block + 8);
    fb->jitter = artic_be_read32 (block + 12);
  }
  return TRUE;
}

static gboolean
parse_ack (const guint8 *fci, gsize fci_length, ArticRtcpFeedback *fb,
    GError **error, guint index)
{
  ArticRtcpAck ack = { 0 };
  guint i, n;

  if (fci_length < ACK_FCI_MIN_SIZE || memcmp (fci, ARTIC_RTCP_ACK_ID, 4) != 0)
    return TRUE; /* another application's AFB (e.g. REMB): not ours */
  n = fci[6];
  if (n > ARTIC_RTCP_MAX_ACKED)
    return malformed (error, "acknowledgement lists too many frames", index);
  if (ACK_FCI_MIN_SIZE + (gsize) n * 2 > fci_length)
    return malformed (error, "acknowledgement overruns the packet", index);
  ack.have_newest = (fci[7] & ARTIC_RTCP_ACK_FLAG_NEWEST) != 0;
  ack.newest = artic_be_read16 (fci + 4);
  ack.n_acked = n;
  for (i = 0; i < n; i++)
    ack.acked[i] = artic_be_read16 (fci + ACK_FCI_MIN_SIZE + 2 * i);
  fb->ack = ack;
  fb->acks++;
  return TRUE;
}

static gboolean
parse_psfb (const guint8 *p, gsize length, guint fmt, guint32 media_ssrc,
    ArticRtcpFeedback *fb, GError **error, guint index)
{
  const guint8 *fci = p + FB_MIN_SIZE;
  gsize fci_length, i;

  if (length < FB_MIN_SIZE)
    return malformed (error, "feedback packet shorter than 12 bytes", index);
  fci_length = length - FB_MIN_SIZE;
  switch (fmt) {
    case ARTIC_RTCP_PSFB_PLI:
      if (ssrc_matches (artic_be_read32 (p + 8), media_ssrc))
        fb->pli++;
      return TRUE;
    case ARTIC_RTCP_PSFB_FIR:
      /* The media SSRC is in each FCI entry (RFC 5104 section 4.3.1). */
      if (fci_length % FIR_ENTRY_SIZE != 0)
        return malformed (error, "FIR entries of the wrong size", index);
      for (i = 0; i < fci_length; i += FIR_ENTRY_SIZE)
        if (ssrc_matches (artic_be_read32 (fci + i), media_ssrc)) {
          fb->fir++;
          break;
        }
      return TRUE;
    case ARTIC_RTCP_PSFB_AFB:
      if (!ssrc_matches (artic_be_read32 (p + 8), media_ssrc))
        return TRUE;
      return parse_ack (fci, fci_length, fb, error, index);
    default:
      return TRUE;
  }
}

gboolean
artic_rtcp_parse (const guint8 *data, gsize size, guint32 media_ssrc,
    ArticRtcpFeedback *feedback, GError **error)
{
  ArticRtcpFeedback fb = { 0 };
  gsize offset = 0;
  guint index = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (feedback != NULL, FALSE);
  if (data == NULL || size < HEADER_SIZE)
    ok = malformed (error, "shorter than a header", 0);
  while (ok && offset < size) {
    const guint8 *p = data + offset;
    gsize length;
    guint count, type;

    if (size - offset < HEADER_SIZE) {
      ok = malformed (error, "trailing bytes after the last packet", index);
      break;
    }
    if ((p[0] >> 6) != 2) {
      ok = malformed (error, "not RTCP version 2", index);
      break;
    }
    length = ((gsize) artic_be_read16 (p + 2) + 1) * 4;
    if (length > size - offset) {
      ok = malformed (error, "length overruns the datagram", index);
      break;
    }
    if (p[0] & 0x20) {
      /* Padding: only the last packet may have it, and it must fit. */
      if (offset + length != size || p[length - 1] == 0
          || p[length - 1] > length - HEADER_SIZE) {
        ok = malformed (error, "bad padding", index);
        break;
      }
      length -= p[length - 1];
    }
    count = p[0] & 0x1f;
    type = p[1];
    if (type == ARTIC_RTCP_TYPE_SR)
      ok = length >= 8 + SR_SENDER_INFO_SIZE
               ? parse_reports (p, length, count, 8 + SR_SENDER_INFO_SIZE,
                   media_ssrc, &fb, error, index)
               : malformed (error, "sender report too short", index);
    else if (type == ARTIC_RTCP_TYPE_RR)
      ok = length >= 8 ? parse_reports (
               p, length, count, 8, media_ssrc, &fb, error, index)
                       : malformed (error, "receiver report too short", index);
    else if (type == ARTIC_RTCP_TYPE_PSFB)
      ok = parse_psfb (p, length, count, media_ssrc, &fb, error, index);
    else if (type == ARTIC_RTCP_TYPE_RTPFB && length < FB_MIN_SIZE)
      ok = malformed (error, "feedback packet shorter than 12 bytes", index);
    offset += ((gsize) artic_be_read16 (p + 2) + 1) * 4;
    index++;
  }
  if (!ok) {
    memset (feedback, 0, sizeof (*feedback));
    return FALSE;
  }
  fb.packets = index;
  *feedback = fb;
  return TRUE;
}

gsize
artic_rtcp_ack_fci_write (guint8 *fci, gsize size, const ArticRtcpAck *ack)
{
  gsize needed;
  guint i;

  g_return_val_if_fail (ack != NULL, 0);
  if (ack->n_acked > ARTIC_RTCP_MAX_ACKED)
    return 0;
  needed = (ACK_FCI_MIN_SIZE + ack->n_acked * 2 + 3) / 4 * 4;
  if (fci == NULL || size < needed)
    return 0;
  memset (fci, 0, needed);
  memcpy (fci, ARTIC_RTCP_ACK_ID, 4);
  artic_be_write16 (fci + 4, ack->have_newest ? ack->newest : 0);
  fci[6] = (guint8) ack->n_acked;
  fci[7] = ack->have_newest ? ARTIC_RTCP_ACK_FLAG_NEWEST : 0;
  for (i = 0; i < ack->n_acked; i++)
    artic_be_write16 (fci + ACK_FCI_MIN_SIZE + 2 * i, ack->acked[i]);
  return needed;
}

gsize
artic_rtcp_ack_write (guint8 *out, gsize size, guint32 sender_ssrc,
    guint32 media_ssrc, const ArticRtcpAck *ack)
{
  gsize fci;

  if (out == NULL || size < FB_MIN_SIZE)
    return 0;
  fci = artic_rtcp_ack_fci_write (out + FB_MIN_SIZE, size - FB_MIN_SIZE, ack);
  if (fci == 0)
    return 0;
  out[0] = 0x80 | ARTIC_RTCP_PSFB_AFB;
  out[1] = ARTIC_RTCP_TYPE_PSFB;
  artic_be_write16 (out + 2, (guint16) ((FB_MIN_SIZE + fci) / 4 - 1));
  artic_be_write32 (out + 4, sender_ssrc);
  artic_be_write32 (out + 8, media_ssrc);
  return FB_MIN_SIZE + fci;
}

void
artic_rtcp_ack_add (ArticRtcpAck *ack, guint16 frame_id)
{
  guint i, n = MIN (ack->n_acked, ARTIC_RTCP_MAX_ACKED);

  for (i = 0; i < n; i++)
    if (ack->acked[i] == frame_id)
      break;
  if (i == n)
    i = MIN (n, ARTIC_RTCP_MAX_ACKED - 1); /* the slot that is dropped */
  else
    n--; /* moves to the front: the list does not grow */
  memmove (&ack->acked[1], &ack->acked[0], i * sizeof (ack->acked[0]));
  ack->acked[0] = frame_id;
  ack->n_acked = MIN (n + 1, ARTIC_RTCP_MAX_ACKED);
}

gsize
artic_frame_mark_write (guint8 *out, gsize size, const ArticFrameMark *mark)
{
  if (out == NULL || size < ARTIC_FRAME_MARK_SIZE)
    return 0;
  artic_be_write16 (out, mark->frame_id);
  out[2] = mark->flags;
  return ARTIC_FRAME_MARK_SIZE;
}

gboolean
artic_frame_mark_read (const guint8 *data, gsize size, ArticFrameMark *mark)
{
  if (data == NULL || size != ARTIC_FRAME_MARK_SIZE)
    return FALSE;
  mark->frame_id = artic_be_read16 (data);
  mark->flags = data[2]
                & (ARTIC_FRAME_MARK_KEY | ARTIC_FRAME_MARK_LONG_TERM
                    | ARTIC_FRAME_MARK_RECOVERY);
  return TRUE;
}
