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

/* FlowCache's reuse rule and bounded cache, applied to the frames an MLLM
 * receives (docs/mllm-client.md has the policy and the figures). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "artic-chunk-cache.h"

#define THUMB ARTIC_CHUNK_THUMB_SIZE
#define DIM ARTIC_CHUNK_FEATURE_DIM
#define GRID 8 /* DIM = GRID * GRID */

struct _ArticChunkCache
{
  ArticChunkCacheConfig config;
  ArticChunkHooks hooks;
  gpointer hook_data;
  GDestroyNotify hook_notify;

  GPtrArray *entries; /* ArticChunkEntry *, oldest first */
  guint64 next_id;

  guint8 prev[THUMB * THUMB];
  gboolean have_prev;
  gboolean have_send;
  gdouble last_send_s;
  gdouble change; /* accumulated since the last send */
  guint chunk_frames;
  guint chunk_flags;
  guint64 chunk_index;

  /* The frame decided SEND, waiting for its JPEG in _store(). */
  gboolean have_pending;
  gfloat pending_features[DIM];
  gdouble pending_importance;
  gdouble pending_time_s;

  ArticChunkCounters counters;
};

void
artic_chunk_cache_config_init (ArticChunkCacheConfig *config)
{
  config->threshold = ARTIC_CHUNK_DEFAULT_THRESHOLD;
  config->chunk_frames = ARTIC_CHUNK_DEFAULT_CHUNK_FRAMES;
  config->stale_s = ARTIC_CHUNK_DEFAULT_STALE_S;
  config->cache_bytes = ARTIC_CHUNK_DEFAULT_CACHE_BYTES;
  config->lambda = ARTIC_CHUNK_DEFAULT_LAMBDA;
  config->tokens_per_image = ARTIC_CHUNK_DEFAULT_TOKENS_PER_IMAGE;
}

static void
artic_chunk_entry_free (gpointer data)
{
  ArticChunkEntry *entry = data;

  g_bytes_unref (entry->jpeg);
  g_free (entry);
}

ArticChunkCache *
artic_chunk_cache_new (const ArticChunkCacheConfig *config)
{
  ArticChunkCache *cache = g_new0 (ArticChunkCache, 1);

  cache->config = *config;
  cache->config.chunk_frames = MAX (cache->config.chunk_frames, 1);
  cache->config.threshold = MAX (cache->config.threshold, 0.0);
  cache->config.lambda = CLAMP (cache->config.lambda, 0.0, 1.0);
  cache->config.stale_s = MAX (cache->config.stale_s, 0.0);
  cache->entries = g_ptr_array_new_with_free_func (artic_chunk_entry_free);
  return cache;
}

void
artic_chunk_cache_free (ArticChunkCache *cache)
{
  if (cache == NULL)
    return;
  if (cache->hook_notify != NULL)
    cache->hook_notify (cache->hook_data);
  g_ptr_array_unref (cache->entries);
  g_free (cache);
}

void
artic_chunk_cache_set_hooks (ArticChunkCache *cache,
    const ArticChunkHooks *hooks, gpointer user_data, GDestroyNotify notify)
{
  if (cache->hook_notify != NULL)
    cache->hook_notify (cache->hook_data);
  memset (&cache->hooks, 0, sizeof (cache->hooks));
  if (hooks != NULL)
    cache->hooks = *hooks;
  cache->hook_data = user_data;
  cache->hook_notify = notify;
}

void
artic_chunk_cache_set_threshold (ArticChunkCache *cache, gdouble value)
{
  cache->config.threshold = MAX (value, 0.0);
}

static void artic_chunk_cache_evict (ArticChunkCache *cache);

void
artic_chunk_cache_set_cache_bytes (ArticChunkCache *cache, gsize bytes)
{
  cache->config.cache_bytes = bytes;
  artic_chunk_cache_evict (cache);
}

/* Forgets the stream (a new segment, a flush): the next chunk sends. The
 * counters and the cached images stay. */
void
artic_chunk_cache_reset (ArticChunkCache *cache)
{
  cache->have_prev = FALSE;
  cache->have_send = FALSE;
  cache->change = 0;
  cache->chunk_frames = 0;
  cache->chunk_flags = 0;
  cache->have_pending = FALSE;
}

/* Box average onto a THUMB x THUMB grid: small enough to compare in
 * microseconds, large enough that text appearing in a region registers. */
void
artic_chunk_cache_thumbnail (const guint8 *luma, gint width, gint height,
    gint stride, guint8 thumb[ARTIC_CHUNK_THUMB_SIZE * ARTIC_CHUNK_THUMB_SIZE])
{
  gint tx, ty, x, y;

  for (ty = 0; ty < THUMB; ty++) {
    gint y0 = ty * height / THUMB, y1 = MAX ((ty + 1) * height / THUMB, y0 + 1);

    for (tx = 0; tx < THUMB; tx++) {
      gint x0 = tx * width / THUMB, x1 = MAX ((tx + 1) * width / THUMB, x0 + 1);
      guint64 sum = 0;
      guint n = 0;

      for (y = y0; y < MIN (y1, height); y++)
        for (x = x0; x < MIN (x1, width); x++, n++)
          sum += luma[(gsize) y * stride + x];
      thumb[ty * THUMB + tx] = n > 0 ? (guint8) ((sum + n / 2) / n) : 0;
    }
  }
}

/* mean |a - b| / mean |b|, b being the earlier frame. */
gdouble
artic_chunk_cache_relative_l1 (const guint8 *a, const guint8 *b)
{
  guint64 diff = 0, base = 0;
  guint i;

  for (i = 0; i < THUMB * THUMB; i++) {
    diff += ABS ((gint) a[i] - (gint) b[i]);
    base += b[i];
  }
  return diff / (gdouble) MAX (base, 1);
}

/* Centred 8x8 means, unit length: cosine similarity then compares the
 * layout of a frame, not its brightness. */
static void
artic_chunk_cache_features (const guint8 *thumb, gfloat *features)
{
  const gint cell = THUMB / GRID;
  gdouble mean = 0, norm = 0;
  gint gx, gy, x, y, i;

  for (gy = 0; gy < GRID; gy++)
    for (gx = 0; gx < GRID; gx++) {
      guint sum = 0;

      for (y = 0; y < cell; y++)
        for (x = 0; x < cell; x++)
          sum += thumb[(gy * cell + y) * THUMB + gx * cell + x];
      features[gy * GRID + gx] = sum / (gfloat) (cell * cell);
      mean += features[gy * GRID + gx];
    }
  mean /= DIM;
  for (i = 0; i < DIM; i++) {
    features[i] -= mean;
    norm += features[i] * features[i];
  }
  norm = sqrt (norm);
  for (i = 0; i < DIM; i++)
    features[i] = norm > 1e-6 ? features[i] / norm : 0;
}

static ArticChunkDecision
artic_chunk_cache_builtin (ArticChunkCache *cache, const ArticChunkInfo *info,
    ArticChunkReason *reason)
{
  const ArticChunkCacheConfig *c = &cache->config;

  if (!cache->have_send)
    *reason = ARTIC_CHUNK_REASON_START;
  else if (info->flags & ARTIC_CHUNK_FLAG_RESYNC)
    *reason = ARTIC_CHUNK_REASON_RESYNC;
  else if (info->flags & ARTIC_CHUNK_FLAG_SCENE_CUT)
    *reason = ARTIC_CHUNK_REASON_SCENE_CUT;
  else if (info->flags & ARTIC_CHUNK_FLAG_QUESTION)
    *reason = ARTIC_CHUNK_REASON_QUESTION;
  else if (c->stale_s > 0 && info->since_send_s >= c->stale_s)
    *reason = ARTIC_CHUNK_REASON_STALE;
  else if (info->change >= c->threshold)
    *reason = ARTIC_CHUNK_REASON_CHANGED;
  else {
    *reason = ARTIC_CHUNK_REASON_UNCHANGED;
    return (info->flags & ARTIC_CHUNK_FLAG_NEEDED) ? ARTIC_CHUNK_REUSE
                                                   : ARTIC_CHUNK_SKIP;
  }
  return ARTIC_CHUNK_SEND;
}

ArticChunkDecision
artic_chunk_cache_push (ArticChunkCache *cache, const guint8 *luma, gint width,
    gint height, gint stride, gdouble time_s, guint flags, ArticChunkInfo *info)
{
  const guint forcing = ARTIC_CHUNK_FLAG_RESYNC | ARTIC_CHUNK_FLAG_SCENE_CUT
                        | ARTIC_CHUNK_FLAG_QUESTION;
  guint8 thumb[THUMB * THUMB];
  ArticChunkInfo local;
  ArticChunkDecision decision;
  ArticChunkReason reason;

  if (info == NULL)
    info = &local;
  memset (info, 0, sizeof (*info));
  artic_chunk_cache_thumbnail (luma, width, height, stride, thumb);
  if (cache->have_prev)
    cache->change += artic_chunk_cache_relative_l1 (thumb, cache->prev);
  memcpy (cache->prev, thumb, sizeof (thumb));
  cache->have_prev = TRUE;
  cache->chunk_frames++;
  cache->chunk_flags |= flags;

  info->index = cache->chunk_index;
  info->time_s = time_s;
  info->change = cache->change;
  info->since_send_s = cache->have_send ? time_s - cache->last_send_s : -1;
  info->flags = cache->chunk_flags;
  /* A chunk closes when full, or early when something forces a send. */
  if (cache->chunk_frames < cache->config.chunk_frames
      && (cache->chunk_flags & forcing) == 0 && cache->have_send)
    return ARTIC_CHUNK_PENDING;

  decision = artic_chunk_cache_builtin (cache, info, &reason);
  info->decision = decision;
  info->reason = reason;
  if (cache->hooks.decide != NULL) {
    ArticChunkDecision hooked = cache->hooks.decide (info, cache->hook_data);

    if (hooked == ARTIC_CHUNK_SEND || hooked == ARTIC_CHUNK_REUSE
        || hooked == ARTIC_CHUNK_SKIP) {
      decision = hooked;
      reason = ARTIC_CHUNK_REASON_HOOK;
    }
  }
  /* Nothing to reuse yet: send instead. */
  if (decision == ARTIC_CHUNK_REUSE && cache->entries->len == 0)
    decision = ARTIC_CHUNK_SEND;
  info->decision = decision;
  info->reason = reason;

  cache->counters.chunks++;
  switch (decision) {
    case ARTIC_CHUNK_SEND:
      cache->counters.chunks_sent++;
      cache->have_send = TRUE;
      cache->last_send_s = time_s;
      artic_chunk_cache_features (thumb, cache->pending_features);
      /* A change the model was explicitly asked about, or a new scene, is
       * worth keeping; otherwise the size of the change is. */
      cache->pending_importance = (reason == ARTIC_CHUNK_REASON_CHANGED
                                      || reason == ARTIC_CHUNK_REASON_STALE
                                      || reason == ARTIC_CHUNK_REASON_HOOK)
                                      ? MIN (1.0, cache->change)
                                      : 1.0;
      cache->pending_time_s = time_s;
      cache->have_pending = TRUE;
      cache->change = 0;
      break;
    case ARTIC_CHUNK_REUSE:
      cache->counters.chunks_reused++;
      break;
    default:
      cache->counters.chunks_skipped++;
      cache->counters.images_saved++;
      cache->counters.tokens_saved += cache->config.tokens_per_image;
      break;
  }
  cache->chunk_frames = 0;
  cache->chunk_flags = 0;
  cache->chunk_index++;
  return decision;
}

static gsize
artic_chunk_entry_bytes (const ArticChunkEntry *entry)
{
  return sizeof (*entry) + g_bytes_get_size (entry->jpeg);
}

/* Sum of all feature vectors: with unit vectors, an entry's mean cosine
 * similarity to the others is (f . S - 1) / (n - 1), so all redundancies
 * cost O(n * d). */
static void
artic_chunk_cache_feature_sum (const ArticChunkCache *cache, gdouble *sum)
{
  guint i, k;

  memset (sum, 0, sizeof (gdouble) * DIM);
  for (i = 0; i < cache->entries->len; i++) {
    const ArticChunkEntry *e = g_ptr_array_index (cache->entries, i);

    for (k = 0; k < DIM; k++)
      sum[k] += e->features[k];
  }
}

static gdouble
artic_chunk_cache_score_with (
    const ArticChunkCache *cache, guint index, const gdouble *sum)
{
  const ArticChunkEntry *e = g_ptr_array_index (cache->entries, index);
  guint n = cache->entries->len, k;
  gdouble dot = 0, self = 0, redundancy = 0;

  for (k = 0; k < DIM; k++) {
    dot += e->features[k] * sum[k];
    self += e->features[k] * e->features[k];
  }
  if (n > 1)
    redundancy = (dot - self) / (n - 1);
  if (cache->hooks.score != NULL)
    return cache->hooks.score (e, e->importance, redundancy, cache->hook_data);
  return cache->config.lambda * e->importance
         - (1.0 - cache->config.lambda) * redundancy;
}

gdouble
artic_chunk_cache_get_score (const ArticChunkCache *cache, guint index)
{
  gdouble sum[DIM];

  g_return_val_if_fail (index < cache->entries->len, 0);
  artic_chunk_cache_feature_sum (cache, sum);
  return artic_chunk_cache_score_with (cache, index, sum);
}

static void
artic_chunk_cache_evict (ArticChunkCache *cache)
{
  gdouble sum[DIM];

  while (cache->counters.bytes_used > cache->config.cache_bytes
         && cache->entries->len > 0) {
    ArticChunkEntry *victim;
    guint i, worst = 0;
    gdouble worst_score = G_MAXDOUBLE;

    /* The newest entry is what REUSE re-sends: it goes last. */
    artic_chunk_cache_feature_sum (cache, sum);
    for (i = 0; i + 1 < cache->entries->len; i++) {
      gdouble score = artic_chunk_cache_score_with (cache, i, sum);

      if (score < worst_score) {
        worst_score = score;
        worst = i;
      }
    }
    victim = g_ptr_array_index (cache->entries, worst);
    cache->counters.bytes_used -= artic_chunk_entry_bytes (victim);
    cache->counters.evictions++;
    if (cache->hooks.evicted != NULL)
      cache->hooks.evicted (victim, cache->hook_data);
    g_ptr_array_remove_index (cache->entries, worst);
  }
}

const ArticChunkEntry *
artic_chunk_cache_insert (ArticChunkCache *cache, GBytes *jpeg,
    const gfloat *features, gdouble importance, gdouble time_s)
{
  ArticChunkEntry *entry;

  if (jpeg == NULL
      || sizeof (*entry) + g_bytes_get_size (jpeg) > cache->config.cache_bytes)
    return NULL; /* could never fit the bound */
  entry = g_new0 (ArticChunkEntry, 1);
  entry->id = cache->next_id++;
  entry->time_s = time_s;
  entry->jpeg = g_bytes_ref (jpeg);
  if (features != NULL)
    memcpy (entry->features, features, sizeof (entry->features));
  entry->importance = CLAMP (importance, 0.0, 1.0);
  g_ptr_array_add (cache->entries, entry);
  cache->counters.bytes_used += artic_chunk_entry_bytes (entry);
  if (cache->hooks.stored != NULL)
    cache->hooks.stored (entry, cache->hook_data);
  artic_chunk_cache_evict (cache);
  cache->counters.bytes_peak
      = MAX (cache->counters.bytes_peak, cache->counters.bytes_used);
  return entry;
}

/* The JPEG of the frame that push() just decided to SEND. */
const ArticChunkEntry *
artic_chunk_cache_store (ArticChunkCache *cache, GBytes *jpeg)
{
  const ArticChunkEntry *entry;

  if (!cache->have_pending)
    return NULL;
  cache->have_pending = FALSE;
  entry = artic_chunk_cache_insert (cache, jpeg, cache->pending_features,
      cache->pending_importance, cache->pending_time_s);
  return entry;
}

/* The images of a request: the newest @n cached ones, oldest first, as
 * references to the exact bytes sent before. Counts the request. */
GPtrArray *
artic_chunk_cache_window (ArticChunkCache *cache, guint n)
{
  GPtrArray *images
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint len = cache->entries->len, i;
  guint first = len > n ? len - n : 0;

  for (i = first; i < len; i++) {
    ArticChunkEntry *e = g_ptr_array_index (cache->entries, i);

    g_ptr_array_add (images, g_bytes_ref (e->jpeg));
    if (e->times_sent++ == 0) {
      cache->counters.images_sent++;
      cache->counters.tokens_sent += cache->config.tokens_per_image;
    } else {
      cache->counters.images_reused++;
      cache->counters.tokens_cached += cache->config.tokens_per_image;
    }
  }
  cache->counters.requests++;
  return images;
}

guint
artic_chunk_cache_get_n_entries (const ArticChunkCache *cache)
{
  return cache->entries->len;
}

const ArticChunkEntry *
artic_chunk_cache_get_entry (const ArticChunkCache *cache, guint index)
{
  return index < cache->entries->len ? g_ptr_array_index (cache->entries, index)
                                     : NULL;
}

void
artic_chunk_cache_get_counters (
    const ArticChunkCache *cache, ArticChunkCounters *counters)
{
  *counters = cache->counters;
}

const gchar *
artic_chunk_decision_name (ArticChunkDecision decision)
{
  static const gchar *names[]
      = { "pending", "send", "reuse", "skip", "default" };

  return decision <= ARTIC_CHUNK_DEFAULT ? names[decision] : "invalid";
}

const gchar *
artic_chunk_reason_name (ArticChunkReason reason)
{
  static const gchar *names[] = { "none", "start", "resync", "scene-cut",
    "question", "stale", "changed", "unchanged", "hook" };

  return reason <= ARTIC_CHUNK_REASON_HOOK ? names[reason] : "invalid";
}
