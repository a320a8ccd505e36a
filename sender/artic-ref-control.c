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

/* The reference-control state machine described in artic-ref-control.h. */

#include "artic-ref-control.h"

#include "artic-rtcp.h"

/* The two long-term buffers, by index. */
static const guint long_term_buffers[2]
    = { ARTIC_REF_GOLDEN, ARTIC_REF_ALTREF };

typedef struct
{
  gboolean valid;
  guint16 frame_id;
  gint64 encoded_us;
} ArticRefctlSlot;

struct _ArticRefctl
{
  ArticRefctlConfig config;
  guint16 next_id;
  gboolean started; /* a frame was encoded */
  ArticRefctlSlot slot[2];
  gint acked;                 /* slot index of the acknowledged frame; -1 */
  gboolean candidate_pending; /* slot candidate_slot awaits its ack */
  gint candidate_slot;
  gint64 candidate_us; /* when the newest candidate was encoded */
  gboolean loss_pending;
  gboolean resilient;
  gint64 last_key_us;
  ArticRefctlStats stats;
};

void
artic_refctl_config_init (ArticRefctlConfig *config)
{
  config->long_term_interval_us = ARTIC_REFCTL_DEFAULT_LONG_TERM_INTERVAL_US;
  config->ack_timeout_us = ARTIC_REFCTL_DEFAULT_ACK_TIMEOUT_US;
  config->max_reference_age_us = ARTIC_REFCTL_DEFAULT_MAX_REFERENCE_AGE_US;
  config->min_keyframe_interval_us
      = ARTIC_REFCTL_DEFAULT_MIN_KEYFRAME_INTERVAL_US;
}

ArticRefctl *
artic_refctl_new (const ArticRefctlConfig *config)
{
  ArticRefctl *ctl = g_new0 (ArticRefctl, 1);

  if (config != NULL)
    ctl->config = *config;
  else
    artic_refctl_config_init (&ctl->config);
  ctl->acked = -1;
  return ctl;
}

void
artic_refctl_free (ArticRefctl *ctl)
{
  g_free (ctl);
}

void
artic_refctl_set_resilient (ArticRefctl *ctl, gboolean resilient)
{
  ctl->resilient = resilient;
}

void
artic_refctl_on_loss (ArticRefctl *ctl)
{
  ctl->loss_pending = TRUE;
  ctl->stats.losses++;
}

gboolean
artic_refctl_on_ack (ArticRefctl *ctl, guint16 frame_id, gint64 now_us)
{
  ArticRefctlSlot *candidate = &ctl->slot[ctl->candidate_slot];

  /* Only the outstanding candidate counts: an ack of a frame that was
   * overwritten since (a late ack, or one from before a key frame) says
   * nothing about what the receiver's buffers hold now. */
  if (!ctl->candidate_pending || !candidate->valid
      || candidate->frame_id != frame_id)
    return FALSE;
  ctl->acked = ctl->candidate_slot;
  ctl->candidate_pending = FALSE;
  ctl->candidate_slot = 1 - ctl->acked;
  ctl->stats.acks++;
  return TRUE;
}

static gboolean
artic_refctl_acked_usable (const ArticRefctl *ctl, gint64 now_us)
{
  return ctl->acked >= 0 && ctl->slot[ctl->acked].valid
         && now_us - ctl->slot[ctl->acked].encoded_us
                <= ctl->config.max_reference_age_us;
}

static gboolean
artic_refctl_candidate_due (const ArticRefctl *ctl, gint64 now_us)
{
  if (ctl->candidate_pending)
    return now_us - ctl->candidate_us >= ctl->config.ack_timeout_us;
  return now_us - ctl->candidate_us >= ctl->config.long_term_interval_us;
}

void
artic_refctl_plan (ArticRefctl *ctl, gint64 now_us, ArticRefctlPlan *plan)
{
  guint acked = ctl->acked >= 0 ? long_term_buffers[ctl->acked] : 0;

  plan->frame_id = ctl->next_id;
  plan->kind = ARTIC_REFCTL_NORMAL;
  if (!ctl->started) {
    plan->kind = ARTIC_REFCTL_KEY;
  } else if (ctl->loss_pending) {
    if (artic_refctl_acked_usable (ctl, now_us))
      plan->kind = ARTIC_REFCTL_RECOVERY;
    else if (now_us - ctl->last_key_us >= ctl->config.min_keyframe_interval_us)
      plan->kind = ARTIC_REFCTL_KEY;
  }
  if (plan->kind == ARTIC_REFCTL_NORMAL && ctl->resilient
      && artic_refctl_acked_usable (ctl, now_us))
    plan->kind = ARTIC_REFCTL_RECOVERY;
  if ((plan->kind == ARTIC_REFCTL_NORMAL
          || (plan->kind == ARTIC_REFCTL_RECOVERY && ctl->resilient))
      && artic_refctl_candidate_due (ctl, now_us))
    plan->kind = ARTIC_REFCTL_LONG_TERM;

  switch (plan->kind) {
    case ARTIC_REFCTL_KEY:
      plan->references = 0;
      plan->updates = ARTIC_REF_ALL;
      break;
    case ARTIC_REFCTL_RECOVERY:
      plan->references = acked;
      plan->updates = ARTIC_REF_LAST;
      break;
    case ARTIC_REFCTL_LONG_TERM:
      /* In resilient mode from the acknowledged frame only (LAST while
       * nothing is acknowledged): the candidate is then intact at the
       * receiver whenever it arrives whole, whatever happened to the
       * frames before it, so acknowledgements keep coming on a lossy link.
       * On a clean link it stays in the LAST chain, which costs far fewer
       * bits than predicting from a frame half a second old. */
      plan->references
          = ctl->resilient && artic_refctl_acked_usable (ctl, now_us)
                ? acked
                : ARTIC_REF_LAST | acked;
      plan->updates = ARTIC_REF_LAST | long_term_buffers[ctl->candidate_slot];
      break;
    case ARTIC_REFCTL_NORMAL:
    default:
      plan->references = ARTIC_REF_LAST | acked;
      plan->updates = ARTIC_REF_LAST;
      break;
  }
}

guint8
artic_refctl_encoded (ArticRefctl *ctl, const ArticRefctlPlan *plan,
    gboolean keyframe, gint64 now_us)
{
  guint8 flags = 0;

  ctl->started = TRUE;
  ctl->next_id = plan->frame_id + 1;
  ctl->stats.frames++;
  if (keyframe) {
    /* Every buffer now holds this frame; nothing older is usable. It is
     * the first candidate (in GOLDEN) of the new chain. */
    ctl->slot[0] = (ArticRefctlSlot){ TRUE, plan->frame_id, now_us };
    ctl->slot[1] = ctl->slot[0];
    ctl->acked = -1;
    ctl->candidate_slot = 0;
    ctl->candidate_pending = TRUE;
    ctl->candidate_us = now_us;
    ctl->loss_pending = FALSE;
    ctl->last_key_us = now_us;
    ctl->stats.keyframes++;
    return ARTIC_FRAME_MARK_KEY | ARTIC_FRAME_MARK_LONG_TERM;
  }
  switch (plan->kind) {
    case ARTIC_REFCTL_LONG_TERM:
      ctl->slot[ctl->candidate_slot]
          = (ArticRefctlSlot){ TRUE, plan->frame_id, now_us };
      ctl->candidate_pending = TRUE;
      ctl->candidate_us = now_us;
      ctl->stats.long_terms++;
      flags = ARTIC_FRAME_MARK_LONG_TERM;
      /* Predicted from the acknowledged frame alone: a recovery point. */
      if (!(plan->references & ARTIC_REF_LAST)) {
        flags |= ARTIC_FRAME_MARK_RECOVERY;
        ctl->loss_pending = FALSE;
      }
      break;
    case ARTIC_REFCTL_RECOVERY:
      /* Counted when it answers a loss; in resilient mode every frame is
       * one. */
      if (ctl->loss_pending)
        ctl->stats.recoveries++;
      ctl->loss_pending = FALSE;
      flags = ARTIC_FRAME_MARK_RECOVERY;
      break;
    case ARTIC_REFCTL_KEY:
      /* Asked for a key frame and the codec made an inter frame: cannot
       * happen with libvpx; the loss stays pending. */
    case ARTIC_REFCTL_NORMAL:
    default:
      break;
  }
  return flags;
}

guint
artic_refctl_acknowledged_buffer (const ArticRefctl *ctl)
{
  return ctl->acked >= 0 ? long_term_buffers[ctl->acked] : 0;
}

void
artic_refctl_get_stats (const ArticRefctl *ctl, ArticRefctlStats *stats)
{
  *stats = ctl->stats;
}
