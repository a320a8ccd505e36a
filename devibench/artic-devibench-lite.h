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

/* The DeViBench lite suite: questions about text placed into real footage.
 *
 * A suite is a list of item specs (source clip, start time, signs, question,
 * answer), deterministic by seed and small on disk; the clips are rendered
 * on the fly (artic-devibench-render.h). This module is plain GLib: it
 * makes the specs and reads and writes the manifest. */

#ifndef __ARTIC_DEVIBENCH_LITE_H__
#define __ARTIC_DEVIBENCH_LITE_H__

#include <glib.h>

G_BEGIN_DECLS

#define ARTIC_DEVIBENCH_LITE_WIDTH 1280
#define ARTIC_DEVIBENCH_LITE_HEIGHT 720
#define ARTIC_DEVIBENCH_LITE_FPS 30
#define ARTIC_DEVIBENCH_LITE_DURATION 5.0 /* seconds per item */
#define ARTIC_DEVIBENCH_LITE_MAX_SIGNS 4
#define ARTIC_DEVIBENCH_LITE_MAX_ITEMS 100000
#define ARTIC_DEVIBENCH_LITE_FONT "DejaVu Sans Bold"
#define ARTIC_DEVIBENCH_LITE_MAX_NOISE 32.0

/* Generator profiles: 1 = the first suite (lite-seed1), 2 = calibrated so
 * that low-bitrate uniform encodes lose the text (lite2-seed1). */
#define ARTIC_DEVIBENCH_LITE_PROFILE_FIRST 1
#define ARTIC_DEVIBENCH_LITE_PROFILE_HARD 2
#define ARTIC_DEVIBENCH_LITE_DEFAULT_PROFILE ARTIC_DEVIBENCH_LITE_PROFILE_HARD
/* Profile 2's clean check also wants Tesseract's mean confidence at least
 * this high: artic-answerer trusts a reading only from 70 on, so a
 * low-contrast sign read with less would be answered from a distractor. */
#define ARTIC_DEVIBENCH_LITE_HARD_MIN_CONFIDENCE 70

typedef struct
{
  gchar *text;       /* what it says */
  gchar *kind;       /* "sign", "label" or "screen" */
  gchar *color_name; /* background colour, as the question names it */
  guint font_px;     /* font size (em) in pixels of the 1280x720 frame */
  guint32 fg, bg;    /* 0xRRGGBB */
  gboolean low_contrast;
  gdouble x, y;             /* top-left corner at t = 0, pixels */
  gdouble vx, vy;           /* own drift, pixels per second */
  gdouble sway_px, sway_hz; /* hand-held wobble (vertical sinusoid) */
  gboolean target;          /* the sign the question is about */
} ArticDevibenchLiteSign;

typedef struct
{
  gchar *id;          /* "lite-0001" */
  guint candidate;    /* index of the candidate in the seed's sequence */
  gchar *clip;        /* file name in the media folder */
  gdouble start_time; /* seconds into the clip */
  gboolean track;     /* signs follow the camera's motion (hand-held clip) */
  gchar *question;
  gchar *answer;
  gchar *task_type;
  GPtrArray *signs;  /* ArticDevibenchLiteSign* */
  gint clean_reads;  /* OCR check: clean frames read, -1 = not checked */
  gint clean_frames; /* OCR check: clean frames tried */
  gdouble noise;     /* camera noise added to every frame, std. dev. in
                      * 8-bit levels (0: none) */
} ArticDevibenchLiteItem;

typedef struct
{
  guint64 seed;
  guint profile;    /* generator profile, ARTIC_DEVIBENCH_LITE_PROFILE_* */
  GPtrArray *items; /* ArticDevibenchLiteItem* */
} ArticDevibenchLiteSuite;

/* Footage the suite draws from: shipped in data/media/. */
typedef struct
{
  const gchar *file;
  gdouble duration;  /* seconds */
  gboolean handheld; /* camera moves: signs track the scene */
} ArticDevibenchLiteClip;

extern const ArticDevibenchLiteClip artic_devibench_lite_clips[];
#define ARTIC_DEVIBENCH_LITE_N_CLIPS 2

/* Candidate @index of the sequence of @seed: the same (seed, index) always
 * gives the same item, independent of the other candidates, so that a
 * candidate that fails the OCR check can be skipped without changing the
 * rest. */
ArticDevibenchLiteItem *artic_devibench_lite_candidate (
    guint64 seed, guint index);
/* The same for generator @profile (artic_devibench_lite_candidate is
 * profile 1). */
ArticDevibenchLiteItem *artic_devibench_lite_candidate_for (
    guint profile, guint64 seed, guint index);
gboolean artic_devibench_lite_profile_valid (guint profile);
ArticDevibenchLiteItem *artic_devibench_lite_item_copy (
    const ArticDevibenchLiteItem *item);
void artic_devibench_lite_item_free (ArticDevibenchLiteItem *item);
const ArticDevibenchLiteSign *artic_devibench_lite_item_target (
    const ArticDevibenchLiteItem *item);

ArticDevibenchLiteSuite *artic_devibench_lite_suite_new (guint64 seed);
void artic_devibench_lite_suite_free (ArticDevibenchLiteSuite *suite);

/* Manifest: one JSON document with every item and sign; written in a fixed
 * order so that the same suite gives byte-identical files. */
gchar *artic_devibench_lite_suite_to_json (
    const ArticDevibenchLiteSuite *suite);
ArticDevibenchLiteSuite *artic_devibench_lite_suite_from_json (
    const gchar *data, gsize size, GError **error);
ArticDevibenchLiteSuite *artic_devibench_lite_suite_load (
    const gchar *path, GError **error);
/* The questions as a DeViBench v2 CSV, so that every tool that reads
 * DeViBench reads the lite suite too (sample_id = item id). */
gchar *artic_devibench_lite_suite_to_csv (const ArticDevibenchLiteSuite *suite);
/* Writes a suite folder: @dir/manifest.json and @dir/questions.csv (@dir
 * must exist). */
gboolean artic_devibench_lite_suite_save (
    const ArticDevibenchLiteSuite *suite, const gchar *dir, GError **error);

/* Where the sign is at @t seconds (own motion only; the renderer adds the
 * scene's motion). */
void artic_devibench_lite_sign_position (
    const ArticDevibenchLiteSign *sign, gdouble t, gdouble *x, gdouble *y);

G_END_DECLS

#endif /* __ARTIC_DEVIBENCH_LITE_H__ */
