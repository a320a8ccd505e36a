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

/* A FlowCache-like chunk cache for the frames a receiver sends to an MLLM.
 *
 * Sampled frames are grouped into chunks of chunk_frames frames. Each chunk
 * decides on its own whether to SEND a new image, REUSE the cached bytes of
 * the last image sent, or SKIP, from its accumulated relative L1 change
 * (mean |a-b| / mean |b| over a 32x32 luma thumbnail, summed frame to frame)
 * since the last frame actually sent. A send is forced at the start, after a
 * decoder resync or a scene cut, once the last send is stale, and for every
 * new user question.
 *
 * Sent images are kept, as the exact JPEG bytes, in a cache of fixed size;
 * when it is full, the entry with the lowest
 *   lambda * importance - (1 - lambda) * redundancy
 * is dropped (redundancy: mean cosine similarity of the entry's feature
 * vector to the other entries'). Re-sending cached bytes, never a re-encode,
 * is what lets provider-side prompt caches hit.
 *
 * Applications can replace the decision, the eviction score, or mirror the
 * cache in their own backend through ArticChunkHooks. Not thread-safe: one
 * owner calls it (the element holds its lock around it). */

#ifndef __ARTIC_CHUNK_CACHE_H__
#define __ARTIC_CHUNK_CACHE_H__

#include <glib.h>

G_BEGIN_DECLS

#define ARTIC_CHUNK_THUMB_SIZE 32  /* thumbnail side, in pixels */
#define ARTIC_CHUNK_FEATURE_DIM 64 /* 8x8 grid of centred luma means */

#define ARTIC_CHUNK_DEFAULT_THRESHOLD 0.05
#define ARTIC_CHUNK_DEFAULT_CHUNK_FRAMES 1
#define ARTIC_CHUNK_DEFAULT_STALE_S 10.0
#define ARTIC_CHUNK_DEFAULT_CACHE_BYTES (4 * 1024 * 1024)
#define ARTIC_CHUNK_DEFAULT_LAMBDA 0.07
/* OpenAI's price of a "detail": "low" image; see docs/mllm-client.md for
 * the tile formula of high detail. */
#define ARTIC_CHUNK_DEFAULT_TOKENS_PER_IMAGE 85

typedef enum
{
  ARTIC_CHUNK_PENDING, /* the frame joined a chunk that is still open */
  ARTIC_CHUNK_SEND,    /* encode and send this frame; it becomes cached */
  ARTIC_CHUNK_REUSE,   /* send the cached bytes of the last image sent */
  ARTIC_CHUNK_SKIP,    /* nothing new to send */
  ARTIC_CHUNK_DEFAULT, /* from a decide hook: keep the built-in decision */
} ArticChunkDecision;

typedef enum
{
  ARTIC_CHUNK_FLAG_NONE = 0,
  ARTIC_CHUNK_FLAG_RESYNC = 1 << 0,    /* the decoder resynchronised */
  ARTIC_CHUNK_FLAG_SCENE_CUT = 1 << 1, /* an upstream scene-cut detector */
  ARTIC_CHUNK_FLAG_QUESTION = 1 << 2,  /* a new user question */
  ARTIC_CHUNK_FLAG_NEEDED = 1 << 3,    /* a request goes out anyway */
} ArticChunkFlags;

typedef enum
{
  ARTIC_CHUNK_REASON_NONE,
  ARTIC_CHUNK_REASON_START,
  ARTIC_CHUNK_REASON_RESYNC,
  ARTIC_CHUNK_REASON_SCENE_CUT,
  ARTIC_CHUNK_REASON_QUESTION,
  ARTIC_CHUNK_REASON_STALE,
  ARTIC_CHUNK_REASON_CHANGED,
  ARTIC_CHUNK_REASON_UNCHANGED,
  ARTIC_CHUNK_REASON_HOOK,
} ArticChunkReason;

typedef struct
{
  gdouble threshold;      /* accumulated relative L1 change that sends */
  guint chunk_frames;     /* sampled frames per chunk */
  gdouble stale_s;        /* force a send after this long; 0: never */
  gsize cache_bytes;      /* memory bound of the cache, entries included */
  gdouble lambda;         /* weight of importance against redundancy */
  guint tokens_per_image; /* for the token counters */
} ArticChunkCacheConfig;

/* What a decide hook sees about a closed chunk. */
typedef struct
{
  guint64 index;
  gdouble time_s;
  gdouble change;       /* accumulated relative L1 change since the send */
  gdouble since_send_s; /* -1 before the first send */
  guint flags;
  ArticChunkDecision decision; /* the built-in decision */
  ArticChunkReason reason;
} ArticChunkInfo;

typedef struct
{
  guint64 id;
  gdouble time_s;
  GBytes *jpeg;
  gfloat features[ARTIC_CHUNK_FEATURE_DIM]; /* unit length */
  gdouble importance;                       /* 0..1 */
  guint times_sent;
} ArticChunkEntry;

typedef struct
{
  guint64 chunks;
  guint64 chunks_sent;
  guint64 chunks_reused;
  guint64 chunks_skipped;
  guint64 requests;      /* artic_chunk_cache_window() calls */
  guint64 images_sent;   /* new images in requests */
  guint64 images_reused; /* cached bytes re-sent (prompt-cache hits) */
  guint64 images_saved;  /* images not sent because a chunk skipped */
  guint64 tokens_sent;   /* estimated image tokens of new images */
  guint64 tokens_cached; /* of re-sent images */
  guint64 tokens_saved;  /* of images never sent */
  guint64 evictions;
  gsize bytes_used;
  gsize bytes_peak;
} ArticChunkCounters;

typedef struct
{
  /* Replaces the built-in decision; return ARTIC_CHUNK_DEFAULT to keep it. */
  ArticChunkDecision (*decide) (const ArticChunkInfo *info, gpointer user_data);
  /* Replaces the eviction score (the lowest is dropped). */
  gdouble (*score) (const ArticChunkEntry *entry, gdouble importance,
      gdouble redundancy, gpointer user_data);
  /* A cache backend mirrors the cache: told of every entry stored and
   * evicted. */
  void (*stored) (const ArticChunkEntry *entry, gpointer user_data);
  void (*evicted) (const ArticChunkEntry *entry, gpointer user_data);
} ArticChunkHooks;

typedef struct _ArticChunkCache ArticChunkCache;

void artic_chunk_cache_config_init (ArticChunkCacheConfig *config);
ArticChunkCache *artic_chunk_cache_new (const ArticChunkCacheConfig *config);
void artic_chunk_cache_free (ArticChunkCache *cache);
void artic_chunk_cache_set_hooks (ArticChunkCache *cache,
    const ArticChunkHooks *hooks, gpointer user_data, GDestroyNotify notify);
void artic_chunk_cache_set_threshold (ArticChunkCache *cache, gdouble value);
void artic_chunk_cache_set_cache_bytes (ArticChunkCache *cache, gsize bytes);
void artic_chunk_cache_reset (ArticChunkCache *cache);

void artic_chunk_cache_thumbnail (const guint8 *luma, gint width, gint height,
    gint stride, guint8 thumb[ARTIC_CHUNK_THUMB_SIZE * ARTIC_CHUNK_THUMB_SIZE]);
gdouble artic_chunk_cache_relative_l1 (const guint8 *a, const guint8 *b);

ArticChunkDecision artic_chunk_cache_push (ArticChunkCache *cache,
    const guint8 *luma, gint width, gint height, gint stride, gdouble time_s,
    guint flags, ArticChunkInfo *info);
const ArticChunkEntry *artic_chunk_cache_store (
    ArticChunkCache *cache, GBytes *jpeg);
const ArticChunkEntry *artic_chunk_cache_insert (ArticChunkCache *cache,
    GBytes *jpeg, const gfloat *features, gdouble importance, gdouble time_s);
GPtrArray *artic_chunk_cache_window (ArticChunkCache *cache, guint n);

guint artic_chunk_cache_get_n_entries (const ArticChunkCache *cache);
const ArticChunkEntry *artic_chunk_cache_get_entry (
    const ArticChunkCache *cache, guint index);
gdouble artic_chunk_cache_get_score (const ArticChunkCache *cache, guint index);
void artic_chunk_cache_get_counters (
    const ArticChunkCache *cache, ArticChunkCounters *counters);
const gchar *artic_chunk_decision_name (ArticChunkDecision decision);
const gchar *artic_chunk_reason_name (ArticChunkReason reason);

G_END_DECLS

#endif /* __ARTIC_CHUNK_CACHE_H__ */
