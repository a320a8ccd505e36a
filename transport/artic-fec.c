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

/* The Reed-Solomon erasure code and the repair format described in
 * artic-fec.h. */

#include "artic-bytes.h"
#include "artic-fec.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (artic_fec_error_quark, artic_fec_error)

#define RTP_HEADER_SIZE 12
/* Media packets remembered by the receiver, by sequence number modulo
 * this (a power of two): seconds of video at a few hundred packets/s. */
#define DECODER_CACHE 1024
/* Groups waiting for sources or repairs; the oldest is given up first. */
#define DECODER_GROUPS 16

/* ---- GF(2^8), polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d) ---- */

static guint8 gf_exp[512];
static guint8 gf_log[256];

static void
gf_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    guint x = 1, i;

    for (i = 0; i < 255; i++) {
      gf_exp[i] = (guint8) x;
      gf_log[x] = (guint8) i;
      x <<= 1;
      if (x & 0x100)
        x ^= 0x11d;
    }
    /* Doubled so that a product needs no modulo. */
    for (i = 255; i < 512; i++)
      gf_exp[i] = gf_exp[i - 255];
    g_once_init_leave (&done, 1);
  }
}

static guint8
gf_mul (guint8 a, guint8 b)
{
  return a == 0 || b == 0 ? 0 : gf_exp[gf_log[a] + gf_log[b]];
}

static guint8
gf_inv (guint8 a)
{
  return gf_exp[255 - gf_log[a]];
}

/* out ^= c * in, over @size bytes. */
static void
gf_mul_add (guint8 *out, const guint8 *in, guint8 c, gsize size)
{
  gsize i;
  guint log_c;

  if (c == 0)
    return;
  log_c = gf_log[c];
  for (i = 0; i < size; i++)
    if (in[i] != 0)
      out[i] ^= gf_exp[gf_log[in[i]] + log_c];
}

static void
gf_scale (guint8 *data, guint8 c, gsize size)
{
  gsize i;

  for (i = 0; i < size; i++)
    data[i] = gf_mul (data[i], c);
}

/* The Cauchy generator: repair j's coefficient of source i is
 * 1 / (x_j + y_i) with x_j = MAX_SOURCES + j and y_i = i, all distinct, so
 * every square submatrix is invertible and any k of the k + m packets
 * recover the k sources. */
static guint8
fec_coefficient (guint repair, guint source)
{
  return gf_inv ((guint8) ((ARTIC_FEC_MAX_SOURCES + repair) ^ source));
}

/* ---- RTP ---- */

typedef struct
{
  guint16 seq;
  guint32 timestamp;
  guint32 ssrc;
  gboolean marker;
  guint8 payload_type;
  gsize payload_offset;
  gsize payload_size;
} RtpHeader;

/* The fixed header, CSRCs, extension and padding, all within @size. */
static gboolean
rtp_header_parse (const guint8 *data, gsize size, RtpHeader *h)
{
  gsize offset, padding = 0;

  if (data == NULL || size < RTP_HEADER_SIZE || (data[0] >> 6) != 2)
    return FALSE;
  offset = RTP_HEADER_SIZE + 4 * (data[0] & 0x0f);
  if (offset > size)
    return FALSE;
  if (data[0] & 0x10) {
    if (offset + 4 > size)
      return FALSE;
    offset += 4 + 4 * (gsize) artic_be_read16 (data + offset + 2);
    if (offset > size)
      return FALSE;
  }
  if (data[0] & 0x20) {
    padding = data[size - 1];
    if (padding == 0 || offset + padding > size)
      return FALSE;
  }
  h->marker = (data[1] & 0x80) != 0;
  h->payload_type = data[1] & 0x7f;
  h->seq = artic_be_read16 (data + 2);
  h->timestamp = artic_be_read32 (data + 4);
  h->ssrc = artic_be_read32 (data + 8);
  h->payload_offset = offset;
  h->payload_size = size - offset - padding;
  return TRUE;
}

gboolean
artic_fec_repair_parse (
    const guint8 *data, gsize size, ArticFecRepair *repair, GError **error)
{
  RtpHeader h;
  const guint8 *p;

  if (!rtp_header_parse (data, size, &h)) {
    g_set_error (error, ARTIC_FEC_ERROR, ARTIC_FEC_ERROR_MALFORMED,
        "not an RTP packet (%" G_GSIZE_FORMAT " bytes)", size);
    return FALSE;
  }
  if (h.payload_size < ARTIC_FEC_HEADER_SIZE) {
    g_set_error (error, ARTIC_FEC_ERROR, ARTIC_FEC_ERROR_MALFORMED,
        "repair payload of %" G_GSIZE_FORMAT " bytes is shorter than its "
        "header",
        h.payload_size);
    return FALSE;
  }
  p = data + h.payload_offset;
  repair->ssrc = h.ssrc;
  repair->seq = h.seq;
  repair->timestamp = h.timestamp;
  repair->payload_type = h.payload_type;
  repair->k = p[1];
  repair->m = p[2];
  repair->index = p[3];
  repair->first_seq = artic_be_read16 (p + 4);
  repair->symbol_size = artic_be_read16 (p + 6);
  repair->media_ssrc = artic_be_read32 (p + 8);
  repair->symbol = p + ARTIC_FEC_HEADER_SIZE;
  if (p[0] != ARTIC_FEC_VERSION) {
    g_set_error (error, ARTIC_FEC_ERROR, ARTIC_FEC_ERROR_MALFORMED,
        "repair format version %u (expected %u)", p[0], ARTIC_FEC_VERSION);
    return FALSE;
  }
  if (repair->k < 1 || repair->k > ARTIC_FEC_MAX_SOURCES || repair->m < 1
      || repair->m > ARTIC_FEC_MAX_REPAIRS || repair->index >= repair->m) {
    g_set_error (error, ARTIC_FEC_ERROR, ARTIC_FEC_ERROR_MALFORMED,
        "repair %u of k=%u, m=%u is out of range", repair->index, repair->k,
        repair->m);
    return FALSE;
  }
  if (repair->symbol_size < RTP_HEADER_SIZE + 2
      || repair->symbol_size > ARTIC_FEC_MAX_SYMBOL
      || h.payload_size
             != ARTIC_FEC_HEADER_SIZE + (gsize) repair->symbol_size) {
    g_set_error (error, ARTIC_FEC_ERROR, ARTIC_FEC_ERROR_MALFORMED,
        "repair symbol of %u bytes in a payload of %" G_GSIZE_FORMAT " bytes",
        repair->symbol_size, h.payload_size);
    return FALSE;
  }
  return TRUE;
}

guint
artic_fec_repair_count (guint k, gdouble overhead)
{
  gdouble m;

  if (k == 0)
    return 0;
  /* NaN and negative overheads give the one extra repair only. */
  m = overhead > 0 ? ceil (MIN (overhead, 1000.0) * k) + 1 : 1;
  return (guint) MIN (m, ARTIC_FEC_MAX_REPAIRS);
}

/* The source symbol of @packet: its length, the bytes, zeros. */
static void
fec_symbol_fill (guint8 *symbol, gsize symbol_size, GBytes *packet)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (packet, &size);

  memset (symbol, 0, symbol_size);
  artic_be_write16 (symbol, (guint16) size);
  memcpy (symbol + 2, data, size);
}

/* ---- Encoder ---- */

struct _ArticFecEncoder
{
  guint32 ssrc;
  guint8 payload_type;
  guint16 next_seq;
  /* The protected frame being collected. */
  GPtrArray *sources; /* GBytes */
  guint32 media_ssrc;
  guint32 timestamp;
  guint16 next_source_seq;
  gdouble overhead;
};

ArticFecEncoder *
artic_fec_encoder_new (guint32 ssrc, guint8 payload_type)
{
  ArticFecEncoder *enc = g_new0 (ArticFecEncoder, 1);

  gf_init ();
  enc->ssrc = ssrc;
  enc->payload_type = payload_type & 0x7f;
  /* A random start, as RFC 3550 asks of every RTP stream. */
  enc->next_seq = (guint16) g_random_int ();
  enc->sources
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  return enc;
}

void
artic_fec_encoder_free (ArticFecEncoder *enc)
{
  if (enc == NULL)
    return;
  g_ptr_array_unref (enc->sources);
  g_free (enc);
}

static GBytes *
fec_repair_packet (ArticFecEncoder *enc, guint k, guint m, guint index,
    gsize symbol_size, const guint8 *symbol)
{
  gsize size = RTP_HEADER_SIZE + ARTIC_FEC_HEADER_SIZE + symbol_size;
  guint8 *p = g_malloc (size);
  guint8 *h = p + RTP_HEADER_SIZE;

  p[0] = 0x80;
  p[1] = enc->payload_type | (index + 1 == m ? 0x80 : 0);
  artic_be_write16 (p + 2, enc->next_seq++);
  artic_be_write32 (p + 4, enc->timestamp);
  artic_be_write32 (p + 8, enc->ssrc);
  h[0] = ARTIC_FEC_VERSION;
  h[1] = (guint8) k;
  h[2] = (guint8) m;
  h[3] = (guint8) index;
  artic_be_write16 (h + 4, enc->next_source_seq - k);
  artic_be_write16 (h + 6, (guint16) symbol_size);
  artic_be_write32 (h + 8, enc->media_ssrc);
  memcpy (h + ARTIC_FEC_HEADER_SIZE, symbol, symbol_size);
  return g_bytes_new_take (p, size);
}

/* The repairs of the collected frame, then a fresh start. */
static guint
fec_encoder_flush (ArticFecEncoder *enc, GPtrArray *repairs)
{
  guint k = enc->sources->len, m = artic_fec_repair_count (k, enc->overhead);
  gsize symbol_size = 0, i, j;
  guint8 *source, *repair;

  for (i = 0; i < k; i++)
    symbol_size
        = MAX (symbol_size, g_bytes_get_size (enc->sources->pdata[i]) + 2);
  source = g_malloc (symbol_size);
  repair = g_malloc (symbol_size);
  for (j = 0; j < m; j++) {
    memset (repair, 0, symbol_size);
    for (i = 0; i < k; i++) {
      fec_symbol_fill (source, symbol_size, enc->sources->pdata[i]);
      gf_mul_add (repair, source, fec_coefficient (j, i), symbol_size);
    }
    g_ptr_array_add (
        repairs, fec_repair_packet (enc, k, m, j, symbol_size, repair));
  }
  g_free (source);
  g_free (repair);
  g_ptr_array_set_size (enc->sources, 0);
  return m;
}

guint
artic_fec_encoder_add (ArticFecEncoder *enc, const guint8 *packet, gsize size,
    gboolean protect, gdouble overhead, GPtrArray *repairs)
{
  RtpHeader h;
  guint added = 0;

  if (!rtp_header_parse (packet, size, &h))
    return 0;
  /* The collected frame ends where this packet does not continue it. */
  if (enc->sources->len > 0
      && (!protect || h.ssrc != enc->media_ssrc || h.timestamp != enc->timestamp
          || h.seq != enc->next_source_seq))
    added += fec_encoder_flush (enc, repairs);
  if (!protect || size > ARTIC_FEC_MAX_PACKET)
    return added;
  if (enc->sources->len == 0) {
    enc->media_ssrc = h.ssrc;
    enc->timestamp = h.timestamp;
    enc->overhead = overhead;
  }
  g_ptr_array_add (enc->sources, g_bytes_new (packet, size));
  enc->next_source_seq = h.seq + 1;
  if (h.marker || enc->sources->len == ARTIC_FEC_MAX_SOURCES)
    added += fec_encoder_flush (enc, repairs);
  return added;
}

/* ---- Decoder ---- */

typedef struct
{
  GBytes *packet; /* NULL: empty slot */
  guint32 ssrc;
  guint16 seq;
} CachedPacket;

typedef struct
{
  gboolean active;
  guint64 order; /* when it was opened, for eviction */
  guint32 media_ssrc;
  guint16 first_seq;
  guint k, m;
  gsize symbol_size;
  guint8 *repair[ARTIC_FEC_MAX_REPAIRS]; /* NULL: not received */
  guint n_repairs;
} RepairGroup;

/* A group that was finished: its later repairs are not needed. */
typedef struct
{
  guint32 media_ssrc;
  guint16 first_seq;
  guint k;
} FinishedGroup;

struct _ArticFecDecoder
{
  CachedPacket cache[DECODER_CACHE];
  RepairGroup groups[DECODER_GROUPS];
  FinishedGroup finished[DECODER_GROUPS];
  guint next_finished;
  guint64 next_order;
  ArticFecDecoderStats stats;
};

ArticFecDecoder *
artic_fec_decoder_new (void)
{
  gf_init ();
  return g_new0 (ArticFecDecoder, 1);
}

static void group_clear (RepairGroup *g);

/* Forgets a finished group and remembers that it was. */
static void
group_finish (ArticFecDecoder *dec, RepairGroup *g)
{
  dec->finished[dec->next_finished++ % DECODER_GROUPS]
      = (FinishedGroup){ g->media_ssrc, g->first_seq, g->k };
  group_clear (g);
}

static gboolean
group_was_finished (const ArticFecDecoder *dec, const ArticFecRepair *repair)
{
  guint i;

  for (i = 0; i < MIN (dec->next_finished, DECODER_GROUPS); i++)
    if (dec->finished[i].media_ssrc == repair->media_ssrc
        && dec->finished[i].first_seq == repair->first_seq
        && dec->finished[i].k == repair->k)
      return TRUE;
  return FALSE;
}

static void
group_clear (RepairGroup *g)
{
  guint j;

  for (j = 0; j < ARTIC_FEC_MAX_REPAIRS; j++)
    g_clear_pointer (&g->repair[j], g_free);
  memset (g, 0, sizeof (*g));
}

void
artic_fec_decoder_free (ArticFecDecoder *dec)
{
  guint i;

  if (dec == NULL)
    return;
  for (i = 0; i < DECODER_CACHE; i++)
    g_clear_pointer (&dec->cache[i].packet, g_bytes_unref);
  for (i = 0; i < DECODER_GROUPS; i++)
    group_clear (&dec->groups[i]);
  g_free (dec);
}

static GBytes *
cache_lookup (const ArticFecDecoder *dec, guint32 ssrc, guint16 seq)
{
  const CachedPacket *c = &dec->cache[seq % DECODER_CACHE];

  return c->packet != NULL && c->ssrc == ssrc && c->seq == seq ? c->packet
                                                               : NULL;
}

static void
cache_store (ArticFecDecoder *dec, guint32 ssrc, guint16 seq, GBytes *packet)
{
  CachedPacket *c = &dec->cache[seq % DECODER_CACHE];

  g_clear_pointer (&c->packet, g_bytes_unref);
  c->packet = g_bytes_ref (packet);
  c->ssrc = ssrc;
  c->seq = seq;
}

/* Solves A x = b in place over GF(2^8): @a is n x n (row-major), each of
 * the n rows of @b is @size bytes. FALSE if A is singular (cannot happen
 * with Cauchy rows; checked all the same). */
static gboolean
gf_solve (guint8 *a, guint8 **b, guint n, gsize size)
{
  guint col, row, r;

  for (col = 0; col < n; col++) {
    guint8 inv;

    for (row = col; row < n && a[row * n + col] == 0; row++)
      ;
    if (row == n)
      return FALSE;
    if (row != col) {
      guint8 *t = b[row];
      guint c;

      b[row] = b[col];
      b[col] = t;
      for (c = 0; c < n; c++) {
        guint8 v = a[row * n + c];

        a[row * n + c] = a[col * n + c];
        a[col * n + c] = v;
      }
    }
    inv = gf_inv (a[col * n + col]);
    for (r = 0; r < n; r++)
      a[col * n + r] = gf_mul (a[col * n + r], inv);
    gf_scale (b[col], inv, size);
    for (r = 0; r < n; r++) {
      guint8 f = a[r * n + col];
      guint c;

      if (r == col || f == 0)
        continue;
      for (c = 0; c < n; c++)
        a[r * n + c] ^= gf_mul (f, a[col * n + c]);
      gf_mul_add (b[r], b[col], f, size);
    }
  }
  return TRUE;
}

/* A rebuilt source symbol is handed on only if it is the packet it must
 * be: a length that fits, RTP, the sequence number and SSRC of its slot
 * (a repair from another stream, or a forged one, would otherwise put
 * garbage in front of the decoder). */
static GBytes *
group_check_rebuilt (const RepairGroup *g, guint source, const guint8 *symbol)
{
  guint16 size = artic_be_read16 (symbol);
  RtpHeader h;

  if ((gsize) size + 2 > g->symbol_size
      || !rtp_header_parse (symbol + 2, size, &h) || h.ssrc != g->media_ssrc
      || h.seq != (guint16) (g->first_seq + source))
    return NULL;
  return g_bytes_new (symbol + 2, size);
}

/* Rebuilds the missing sources if enough repairs are in; TRUE when the
 * group is finished (whole, rebuilt, or hopeless). */
static gboolean
group_try (ArticFecDecoder *dec, RepairGroup *g, GPtrArray *recovered)
{
  guint missing[ARTIC_FEC_MAX_SOURCES], rows[ARTIC_FEC_MAX_REPAIRS];
  guint n_missing = 0, n_rows = 0, i, j, r;
  guint8 *a, **b, *symbol;
  gboolean solved;

  for (i = 0; i < g->k; i++) {
    GBytes *p = cache_lookup (dec, g->media_ssrc, g->first_seq + i);

    if (p == NULL)
      missing[n_missing++] = i;
    else if (g_bytes_get_size (p) + 2 > g->symbol_size)
      return TRUE; /* a source larger than the symbol: not this group's */
  }
  if (n_missing == 0) {
    dec->stats.groups_whole++;
    return TRUE;
  }
  if (n_missing > g->n_repairs)
    return FALSE;
  for (j = 0; j < ARTIC_FEC_MAX_REPAIRS && n_rows < n_missing; j++)
    if (g->repair[j] != NULL)
      rows[n_rows++] = j;

  /* b_r = repair_r - sum over the sources present, a = their coefficients
   * for the missing ones. */
  a = g_malloc (n_missing * n_missing);
  b = g_new (guint8 *, n_missing);
  symbol = g_malloc (g->symbol_size);
  for (r = 0; r < n_missing; r++) {
    b[r] = g_memdup2 (g->repair[rows[r]], g->symbol_size);
    for (j = 0; j < n_missing; j++)
      a[r * n_missing + j] = fec_coefficient (rows[r], missing[j]);
  }
  for (i = 0; i < g->k; i++) {
    GBytes *p = cache_lookup (dec, g->media_ssrc, g->first_seq + i);

    if (p == NULL)
      continue;
    fec_symbol_fill (symbol, g->symbol_size, p);
    for (r = 0; r < n_missing; r++)
      gf_mul_add (b[r], symbol, fec_coefficient (rows[r], i), g->symbol_size);
  }
  solved = gf_solve (a, b, n_missing, g->symbol_size);
  for (r = 0; r < n_missing; r++) {
    GBytes *packet = solved ? group_check_rebuilt (g, missing[r], b[r]) : NULL;

    if (packet != NULL) {
      cache_store (dec, g->media_ssrc, g->first_seq + missing[r], packet);
      g_ptr_array_add (recovered, packet);
      dec->stats.recovered++;
    } else {
      dec->stats.inconsistent++;
    }
    g_free (b[r]);
  }
  g_free (a);
  g_free (b);
  g_free (symbol);
  return TRUE;
}

static gboolean
group_covers (const RepairGroup *g, guint32 ssrc, guint16 seq)
{
  return g->active && g->media_ssrc == ssrc
         && (guint16) (seq - g->first_seq) < g->k;
}

void
artic_fec_decoder_add_media (ArticFecDecoder *dec, const guint8 *packet,
    gsize size, GPtrArray *recovered)
{
  RtpHeader h;
  GBytes *bytes;
  guint i;

  if (!rtp_header_parse (packet, size, &h) || size > ARTIC_FEC_MAX_PACKET)
    return;
  bytes = g_bytes_new (packet, size);
  cache_store (dec, h.ssrc, h.seq, bytes);
  g_bytes_unref (bytes);
  for (i = 0; i < DECODER_GROUPS; i++) {
    RepairGroup *g = &dec->groups[i];

    if (group_covers (g, h.ssrc, h.seq) && group_try (dec, g, recovered))
      group_finish (dec, g);
  }
}

/* The group @repair belongs to, opened if new (evicting the oldest). */
static RepairGroup *
group_for (ArticFecDecoder *dec, const ArticFecRepair *repair)
{
  RepairGroup *oldest = NULL, *g;
  guint i;

  for (i = 0; i < DECODER_GROUPS; i++) {
    g = &dec->groups[i];
    if (g->active && g->media_ssrc == repair->media_ssrc
        && g->first_seq == repair->first_seq && g->k == repair->k
        && g->m == repair->m && g->symbol_size == repair->symbol_size)
      return g;
    if (oldest == NULL || !g->active
        || (oldest->active && g->order < oldest->order))
      oldest = g;
  }
  g = oldest;
  if (g->active)
    dec->stats.groups_lost++;
  group_clear (g);
  g->active = TRUE;
  g->order = dec->next_order++;
  g->media_ssrc = repair->media_ssrc;
  g->first_seq = repair->first_seq;
  g->k = repair->k;
  g->m = repair->m;
  g->symbol_size = repair->symbol_size;
  return g;
}

gboolean
artic_fec_decoder_add_repair (ArticFecDecoder *dec, const guint8 *packet,
    gsize size, GPtrArray *recovered, GError **error)
{
  ArticFecRepair repair;
  RepairGroup *g;

  if (!artic_fec_repair_parse (packet, size, &repair, error)) {
    dec->stats.malformed++;
    return FALSE;
  }
  dec->stats.repairs++;
  if (group_was_finished (dec, &repair))
    return TRUE;
  g = group_for (dec, &repair);
  if (g->repair[repair.index] == NULL) {
    g->repair[repair.index] = g_memdup2 (repair.symbol, repair.symbol_size);
    g->n_repairs++;
  }
  if (group_try (dec, g, recovered))
    group_finish (dec, g);
  return TRUE;
}

void
artic_fec_decoder_get_stats (
    const ArticFecDecoder *dec, ArticFecDecoderStats *stats)
{
  *stats = dec->stats;
}
