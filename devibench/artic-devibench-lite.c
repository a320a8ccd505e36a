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

/* DeViBench lite suite: item specs by seed, manifest in and out. */

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "artic-devibench-csv.h"
#include "artic-devibench-lite.h"

const ArticDevibenchLiteClip artic_devibench_lite_clips[] = {
  { "box-10s.mp4", 10.0, TRUE },
  { "vtest-20s.mp4", 20.0, FALSE },
};

/* Upper-case words without O, I or L, so that no letter can be confused
 * with a digit (O/0, I/1, L/1) by a reader or a scorer. */
static const gchar *const words[] = { "MARKET", "BAKERY", "CAFE", "GARDEN",
  "PHARMACY", "THEATRE", "MUSEUM", "BANK", "TRAM", "METER", "EXPRESS", "EXTRA",
  "SUPER", "FRESH", "BREAD", "BUTTER", "CHERRY", "PEPPER", "BANANA", "GRAPE",
  "PEACH", "HAMMER", "WRENCH", "RAMP", "GATE", "ENTRANCE", "NURSERY", "TAVERN",
  "BREWERY", "BUTCHER", "SUGAR", "DESERT", "THUNDER", "WATER", "RUNWAY",
  "ZEBRA", "TRUMPET", "DRUM", "HARP", "EMBER", "ASPEN", "CEDAR", "SPRUCE",
  "BRAVE", "NECTAR", "RADAR", "SATURN", "NEPTUNE", "MERCURY", "VENUS", "PUMA",
  "JAGUAR", "PANTHER", "RAVEN", "HAWK", "CARPET", "SUNSET", "HARBEN", "TUNDRA",
  "ZENARA", "MAGENTA", "CANVAS", "PASTA", "BURGER", "TACT", "FEATHER", NULL };
/* Letters and digits for codes, again without look-alikes (0 O 1 I L 8 B
 * S 5 Z 2 are all out). */
static const gchar code_letters[] = "ACDEFHJKMNPRTUVWXY";
static const gchar code_digits[] = "34679";
static const gchar number_digits[] = "23456789";

typedef struct
{
  const gchar *name;
  guint32 rgb;
  gboolean dark;
} Colour;

static const Colour light_colours[]
    = { { "white", 0xf4f4f0, FALSE }, { "yellow", 0xf2d64b, FALSE },
        { "orange", 0xf08c3a, FALSE }, { "light blue", 0x9cc8ee, FALSE },
        { "light green", 0xa8dc8c, FALSE }, { "pink", 0xf2a8c8, FALSE } };
static const Colour dark_colours[]
    = { { "black", 0x181818, TRUE }, { "navy blue", 0x1c2a5a, TRUE },
        { "dark green", 0x1e4a2a, TRUE }, { "dark red", 0x5a1a1a, TRUE } };

/* Target font sizes lean small: that is where low bitrates bite. */
static const guint target_sizes[] = { 12, 13, 14, 15, 16, 18, 20, 22, 26, 32 };
/* Profile 2: no sizes of 22 px and up (they survive every tier), none
 * under 14 px (too small for the answerer even clean). */
static const guint hard_target_sizes[] = { 13, 14, 15, 16, 18 };

/* What differs between the generator's profiles. Profile 1 is the first
 * suite (lite-seed1) and must keep drawing exactly the same numbers. */
typedef struct
{
  const guint *target_sizes;
  guint n_target_sizes;
  gdouble target_low_contrast; /* share of low-contrast targets */
  /* Low contrast: how far the text colour goes from the background
   * towards black (light signs) or white (dark screens). */
  gdouble light_mix_lo, light_mix_hi, dark_mix_lo, dark_mix_hi;
  gdouble max_drift;        /* px/s, each way */
  gdouble target_min_drift; /* px/s, target sign on every clip; 0: none */
  guint first_light_colour; /* 1 leaves white out */
  gdouble noise;            /* camera noise, standard deviation in levels */
} Profile;

static const Profile profiles[] = {
  [ARTIC_DEVIBENCH_LITE_PROFILE_FIRST] = { target_sizes,
      G_N_ELEMENTS (target_sizes), 0.7, 0.3, 0.45, 0.35, 0.5, 30, 0, 0, 0 },
  /* Calibrated so that uniform VP8 at 100-200 kbps loses the text while
   * the clean stream reads it (docs/devibench.md): every target is low
   * contrast and keeps moving, so the encoder cannot refine it over
   * static frames; white signs are out because their colour merges with
   * bright backgrounds, where no colour search finds the sign. Camera
   * noise, as a webcam adds to every frame, costs a uniform encode bits
   * everywhere; an ROI encode can let the background's noise go. */
  [ARTIC_DEVIBENCH_LITE_PROFILE_HARD]
  = { hard_target_sizes, G_N_ELEMENTS (hard_target_sizes), 1.0, 0.12, 0.2, 0.15,
      0.25, 60, 24, 1, 3.0 },
};

static const gdouble margin = 24;

static guint32
mix (guint32 from, guint32 to, gdouble f)
{
  guint32 out = 0;
  gint shift;

  for (shift = 16; shift >= 0; shift -= 8) {
    gdouble a = (from >> shift) & 0xff, b = (to >> shift) & 0xff;

    out |= ((guint32) lround (a + (b - a) * f)) << shift;
  }
  return out;
}

/* Eighths of a pixel are exact in binary, so the manifest prints them
 * exactly ("207.625", not "207.59999999999999"). */
static gdouble
round1 (gdouble v)
{
  return round (v * 8) / 8;
}

static const gchar *
pick_word (GRand *rand)
{
  return words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words) - 1)];
}

static gchar *
random_from (GRand *rand, const gchar *set, guint n)
{
  GString *s = g_string_new (NULL);
  guint len = strlen (set);

  while (n-- > 0)
    g_string_append_c (s, set[g_rand_int_range (rand, 0, len)]);
  return g_string_free (s, FALSE);
}

/* Text forms: 0 = "WORD 47", 1 = code "KX-4729", 2 = "WORD WORD". */
static gchar *
make_text (GRand *rand, guint form, gchar **word, gchar **number)
{
  gchar *a, *b, *text;

  switch (form) {
    case 0:
      a = g_strdup (pick_word (rand));
      b = random_from (rand, number_digits, g_rand_int_range (rand, 2, 4));
      text = g_strdup_printf ("%s %s", a, b);
      break;
    case 1:
      a = random_from (rand, code_letters, 2);
      b = random_from (rand, code_digits, 4);
      text = g_strdup_printf ("%s-%s", a, b);
      break;
    default:
      a = g_strdup (pick_word (rand));
      do {
        b = g_strdup (pick_word (rand));
        if (strcmp (a, b) != 0)
          break;
        g_free (b);
      } while (TRUE);
      text = g_strdup_printf ("%s %s", a, b);
      break;
  }
  if (word != NULL)
    *word = g_strdup (a);
  if (number != NULL)
    *number = g_strdup (b);
  g_free (a);
  g_free (b);
  return text;
}

static gdouble
estimate_width (const ArticDevibenchLiteSign *sign)
{
  /* DejaVu Sans Bold capitals and digits are about 0.75 em wide. */
  return 0.75 * sign->font_px * strlen (sign->text) + sign->font_px;
}

static gdouble
estimate_height (const ArticDevibenchLiteSign *sign)
{
  return 2.2 * sign->font_px;
}

/* Places @sign in its horizontal band so that its whole path over the
 * item's five seconds stays inside the frame. */
static void
place (GRand *rand, ArticDevibenchLiteSign *sign, guint band, guint n_bands,
    gdouble min_drift, gdouble max_drift)
{
  gdouble w = estimate_width (sign), h = estimate_height (sign);
  gdouble band_h = (ARTIC_DEVIBENCH_LITE_HEIGHT - 2 * margin) / n_bands;
  gdouble top = margin + band * band_h;
  gdouble travel, lo, hi;

  sign->vx = g_rand_double_range (rand, -max_drift, max_drift);
  if (fabs (sign->vx) < min_drift)
    sign->vx = sign->vx < 0 ? -min_drift : min_drift;
  sign->vy = g_rand_double_range (rand, -6, 6);
  sign->sway_px = g_rand_double_range (rand, 0, 5);
  sign->sway_hz = g_rand_double_range (rand, 0.3, 1.0);
  travel = sign->vx * ARTIC_DEVIBENCH_LITE_DURATION;
  lo = margin - MIN (0, travel);
  hi = ARTIC_DEVIBENCH_LITE_WIDTH - margin - w - MAX (0, travel);
  if (hi <= lo) {
    sign->vx = 0;
    lo = margin;
    hi = MAX (margin + 1, ARTIC_DEVIBENCH_LITE_WIDTH - margin - w);
  }
  sign->x = round1 (g_rand_double_range (rand, lo, hi));
  lo = top + sign->sway_px + MAX (0, -sign->vy * ARTIC_DEVIBENCH_LITE_DURATION);
  hi = top + band_h - h - sign->sway_px
       - MAX (0, sign->vy * ARTIC_DEVIBENCH_LITE_DURATION);
  sign->y = round1 (hi > lo ? g_rand_double_range (rand, lo, hi) : top);
  sign->vx = round1 (sign->vx);
  sign->vy = round1 (sign->vy);
  sign->sway_px = round1 (sign->sway_px);
  sign->sway_hz = round (sign->sway_hz * 64) / 64;
}

static void
sign_free (gpointer data)
{
  ArticDevibenchLiteSign *sign = data;

  g_free (sign->text);
  g_free (sign->kind);
  g_free (sign->color_name);
  g_free (sign);
}

static ArticDevibenchLiteItem *
item_new (void)
{
  ArticDevibenchLiteItem *item = g_new0 (ArticDevibenchLiteItem, 1);

  item->signs = g_ptr_array_new_with_free_func (sign_free);
  item->clean_reads = -1;
  item->clean_frames = 0;
  return item;
}

/* Picks a background colour not yet used in the item: the question names
 * the sign by it. */
static const Colour *
pick_colour (GRand *rand, gboolean dark, guint first_light, guint *used_light,
    guint *used_dark)
{
  const Colour *table = dark ? dark_colours : light_colours + first_light;
  guint n = dark ? G_N_ELEMENTS (dark_colours)
                 : G_N_ELEMENTS (light_colours) - first_light;
  guint *used = dark ? used_dark : used_light;
  guint i;

  do {
    i = g_rand_int_range (rand, 0, n);
  } while (*used & (1u << i));
  *used |= 1u << i;
  return &table[i];
}

static gboolean
text_taken (ArticDevibenchLiteItem *item, const gchar *text)
{
  guint i;

  for (i = 0; i < item->signs->len; i++) {
    ArticDevibenchLiteSign *s = g_ptr_array_index (item->signs, i);

    if (strstr (s->text, text) != NULL || strstr (text, s->text) != NULL)
      return TRUE;
  }
  return FALSE;
}

static void
make_question (ArticDevibenchLiteItem *item, ArticDevibenchLiteSign *sign,
    guint form, gchar *word, gchar *number, GRand *rand)
{
  guint variant = g_rand_int_range (rand, 0, 3);

  if (form == 0 && variant == 1) {
    item->question = g_strdup_printf (
        "What number is on the %s %s?", sign->color_name, sign->kind);
    item->answer = g_strdup (number);
  } else if (form == 0 && variant == 2) {
    item->question = g_strdup_printf (
        "Which word is on the %s %s?", sign->color_name, sign->kind);
    item->answer = g_strdup (word);
  } else if (form == 1) {
    item->question = g_strdup_printf (
        "What code is shown on the %s %s?", sign->color_name, sign->kind);
    item->answer = g_strdup (sign->text);
  } else {
    item->question = g_strdup_printf (
        "What is written on the %s %s?", sign->color_name, sign->kind);
    item->answer = g_strdup (sign->text);
  }
}

ArticDevibenchLiteItem *
artic_devibench_lite_candidate (guint64 seed, guint index)
{
  return artic_devibench_lite_candidate_for (
      ARTIC_DEVIBENCH_LITE_PROFILE_FIRST, seed, index);
}

gboolean
artic_devibench_lite_profile_valid (guint profile)
{
  return profile == ARTIC_DEVIBENCH_LITE_PROFILE_FIRST
         || profile == ARTIC_DEVIBENCH_LITE_PROFILE_HARD;
}

ArticDevibenchLiteItem *
artic_devibench_lite_candidate_for (guint profile, guint64 seed, guint index)
{
  const Profile *p;
  guint32 key[4] = { (guint32) seed, (guint32) (seed >> 32), index, 0x1e5e11u };
  GRand *rand = g_rand_new_with_seed_array (key, G_N_ELEMENTS (key));
  ArticDevibenchLiteItem *item = item_new ();
  const ArticDevibenchLiteClip *clip;
  guint n_signs, target, i, used_light = 0, used_dark = 0;

  g_return_val_if_fail (artic_devibench_lite_profile_valid (profile), NULL);
  p = &profiles[profile];
  item->candidate = index;
  item->noise = p->noise;
  item->id = g_strdup_printf ("lite-%04u", index);
  clip = &artic_devibench_lite_clips[g_rand_int_range (
      rand, 0, ARTIC_DEVIBENCH_LITE_N_CLIPS)];
  item->clip = g_strdup (clip->file);
  item->track = clip->handheld;
  /* Half-second steps, leaving the last half second of the clip unused. */
  item->start_time
      = 0.5
        * g_rand_int_range (rand, 0,
            (gint) ((clip->duration - ARTIC_DEVIBENCH_LITE_DURATION) * 2));
  item->task_type = g_strdup ("Text-Rich Understanding");
  n_signs = g_rand_int_range (rand, 2, 4);
  target = g_rand_int_range (rand, 0, n_signs);

  for (i = 0; i < n_signs; i++) {
    ArticDevibenchLiteSign *sign = g_new0 (ArticDevibenchLiteSign, 1);
    gboolean dark = g_rand_double (rand) < 0.25;
    const Colour *colour = pick_colour (
        rand, dark, p->first_light_colour, &used_light, &used_dark);
    guint form = g_rand_int_range (rand, 0, 3);
    gchar *word = NULL, *number = NULL;

    sign->target = i == target;
    sign->color_name = g_strdup (colour->name);
    sign->bg = colour->rgb;
    sign->font_px
        = sign->target
              ? p->target_sizes[g_rand_int_range (rand, 0, p->n_target_sizes)]
              : (guint) g_rand_int_range (rand, 14, 41);
    /* High-contrast text of any size here still reads at 200 kbps
     * (docs/devibench.md), so most targets are low contrast. */
    sign->low_contrast
        = g_rand_double (rand) < (sign->target ? p->target_low_contrast : 0.4);
    if (dark)
      sign->fg = sign->low_contrast ? mix (colour->rgb, 0xffffff,
                     g_rand_double_range (rand, p->dark_mix_lo, p->dark_mix_hi))
                                    : 0xf0f0f0;
    else
      sign->fg
          = sign->low_contrast ? mix (colour->rgb, 0x000000,
                g_rand_double_range (rand, p->light_mix_lo, p->light_mix_hi))
                               : 0x141414;
    sign->kind
        = g_strdup (dark ? "screen" : (sign->font_px <= 14 ? "label" : "sign"));
    do {
      g_free (sign->text);
      g_free (word);
      g_free (number);
      sign->text = make_text (rand, form, &word, &number);
    } while (text_taken (item, sign->text));
    place (rand, sign, i, n_signs,
        sign->target && p->target_min_drift > 0 ? p->target_min_drift
        : clip->handheld                        ? 0
                                                : 8,
        p->max_drift);
    g_ptr_array_add (item->signs, sign);
    if (sign->target)
      make_question (item, sign, form, word, number, rand);
    g_free (word);
    g_free (number);
  }
  g_rand_free (rand);
  return item;
}

const ArticDevibenchLiteSign *
artic_devibench_lite_item_target (const ArticDevibenchLiteItem *item)
{
  guint i;

  for (i = 0; i < item->signs->len; i++) {
    const ArticDevibenchLiteSign *s = g_ptr_array_index (item->signs, i);

    if (s->target)
      return s;
  }
  return NULL;
}

void
artic_devibench_lite_item_free (ArticDevibenchLiteItem *item)
{
  if (item == NULL)
    return;
  g_free (item->id);
  g_free (item->clip);
  g_free (item->question);
  g_free (item->answer);
  g_free (item->task_type);
  g_ptr_array_unref (item->signs);
  g_free (item);
}

ArticDevibenchLiteItem *
artic_devibench_lite_item_copy (const ArticDevibenchLiteItem *item)
{
  ArticDevibenchLiteItem *copy = g_memdup2 (item, sizeof (*item));
  guint i;

  copy->id = g_strdup (item->id);
  copy->clip = g_strdup (item->clip);
  copy->question = g_strdup (item->question);
  copy->answer = g_strdup (item->answer);
  copy->task_type = g_strdup (item->task_type);
  copy->signs = g_ptr_array_new_with_free_func (sign_free);
  for (i = 0; i < item->signs->len; i++) {
    const ArticDevibenchLiteSign *s = g_ptr_array_index (item->signs, i);
    ArticDevibenchLiteSign *c = g_memdup2 (s, sizeof (*s));

    c->text = g_strdup (s->text);
    c->kind = g_strdup (s->kind);
    c->color_name = g_strdup (s->color_name);
    g_ptr_array_add (copy->signs, c);
  }
  return copy;
}

ArticDevibenchLiteSuite *
artic_devibench_lite_suite_new (guint64 seed)
{
  ArticDevibenchLiteSuite *suite = g_new0 (ArticDevibenchLiteSuite, 1);

  suite->seed = seed;
  suite->profile = ARTIC_DEVIBENCH_LITE_PROFILE_FIRST;
  suite->items = g_ptr_array_new_with_free_func (
      (GDestroyNotify) artic_devibench_lite_item_free);
  return suite;
}

void
artic_devibench_lite_suite_free (ArticDevibenchLiteSuite *suite)
{
  if (suite == NULL)
    return;
  g_ptr_array_unref (suite->items);
  g_free (suite);
}

void
artic_devibench_lite_sign_position (
    const ArticDevibenchLiteSign *sign, gdouble t, gdouble *x, gdouble *y)
{
  *x = sign->x + sign->vx * t;
  *y = sign->y + sign->vy * t
       + sign->sway_px * sin (2 * G_PI * sign->sway_hz * t);
}

/* ---- manifest ---- */

static gchar *
colour_string (guint32 rgb)
{
  return g_strdup_printf ("#%06x", rgb & 0xffffff);
}

static void
add_sign (JsonBuilder *b, const ArticDevibenchLiteSign *s)
{
  gchar *fg = colour_string (s->fg), *bg = colour_string (s->bg);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, s->text);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, s->kind);
  json_builder_set_member_name (b, "color_name");
  json_builder_add_string_value (b, s->color_name);
  json_builder_set_member_name (b, "font_px");
  json_builder_add_int_value (b, s->font_px);
  json_builder_set_member_name (b, "fg");
  json_builder_add_string_value (b, fg);
  json_builder_set_member_name (b, "bg");
  json_builder_add_string_value (b, bg);
  json_builder_set_member_name (b, "low_contrast");
  json_builder_add_boolean_value (b, s->low_contrast);
  json_builder_set_member_name (b, "x");
  json_builder_add_double_value (b, s->x);
  json_builder_set_member_name (b, "y");
  json_builder_add_double_value (b, s->y);
  json_builder_set_member_name (b, "vx");
  json_builder_add_double_value (b, s->vx);
  json_builder_set_member_name (b, "vy");
  json_builder_add_double_value (b, s->vy);
  json_builder_set_member_name (b, "sway_px");
  json_builder_add_double_value (b, s->sway_px);
  json_builder_set_member_name (b, "sway_hz");
  json_builder_add_double_value (b, s->sway_hz);
  json_builder_set_member_name (b, "target");
  json_builder_add_boolean_value (b, s->target);
  json_builder_end_object (b);
  g_free (fg);
  g_free (bg);
}

static void
add_item (JsonBuilder *b, const ArticDevibenchLiteItem *item)
{
  guint i;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, item->id);
  json_builder_set_member_name (b, "candidate");
  json_builder_add_int_value (b, item->candidate);
  json_builder_set_member_name (b, "clip");
  json_builder_add_string_value (b, item->clip);
  json_builder_set_member_name (b, "start_time");
  json_builder_add_double_value (b, item->start_time);
  json_builder_set_member_name (b, "track");
  json_builder_add_boolean_value (b, item->track);
  json_builder_set_member_name (b, "question");
  json_builder_add_string_value (b, item->question);
  json_builder_set_member_name (b, "answer");
  json_builder_add_string_value (b, item->answer);
  json_builder_set_member_name (b, "task_type");
  json_builder_add_string_value (b, item->task_type);
  json_builder_set_member_name (b, "clean_reads");
  json_builder_add_int_value (b, item->clean_reads);
  json_builder_set_member_name (b, "clean_frames");
  json_builder_add_int_value (b, item->clean_frames);
  /* Only when there is noise: profile 1 manifests stay as shipped. */
  if (item->noise > 0) {
    json_builder_set_member_name (b, "noise");
    json_builder_add_double_value (b, item->noise);
  }
  json_builder_set_member_name (b, "signs");
  json_builder_begin_array (b);
  for (i = 0; i < item->signs->len; i++)
    add_sign (b, g_ptr_array_index (item->signs, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
}

gchar *
artic_devibench_lite_suite_to_json (const ArticDevibenchLiteSuite *suite)
{
  JsonBuilder *b = json_builder_new ();
  JsonGenerator *gen = json_generator_new ();
  JsonNode *root;
  gchar *text;
  guint i;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "suite");
  json_builder_add_string_value (b, "artic-devibench-lite");
  json_builder_set_member_name (b, "format");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "seed");
  json_builder_add_int_value (b, (gint64) suite->seed);
  /* Written only for later profiles, so that profile 1 manifests stay
   * byte-identical to the shipped lite-seed1. */
  if (suite->profile != ARTIC_DEVIBENCH_LITE_PROFILE_FIRST) {
    json_builder_set_member_name (b, "profile");
    json_builder_add_int_value (b, suite->profile);
  }
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, ARTIC_DEVIBENCH_LITE_WIDTH);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, ARTIC_DEVIBENCH_LITE_HEIGHT);
  json_builder_set_member_name (b, "fps");
  json_builder_add_int_value (b, ARTIC_DEVIBENCH_LITE_FPS);
  json_builder_set_member_name (b, "duration");
  json_builder_add_double_value (b, ARTIC_DEVIBENCH_LITE_DURATION);
  json_builder_set_member_name (b, "font");
  json_builder_add_string_value (b, ARTIC_DEVIBENCH_LITE_FONT);
  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (i = 0; i < suite->items->len; i++)
    add_item (b, g_ptr_array_index (suite->items, i));
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  json_node_unref (root);
  g_object_unref (gen);
  g_object_unref (b);
  return text;
}

/* Reading: the manifest may come from anywhere, so every member is checked
 * for type and range, and clip names must be one of the known clips (no
 * paths). */

typedef struct
{
  JsonObject *obj;
  const gchar *where;
  GError **error;
  gboolean failed;
} Reader;

static void
fail (Reader *r, const gchar *member, const gchar *what)
{
  if (!r->failed)
    g_set_error (r->error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
        "%s: '%s' %s", r->where, member, what);
  r->failed = TRUE;
}

static JsonNode *
member (Reader *r, const gchar *name, JsonNodeType type)
{
  JsonNode *node;

  if (r->failed)
    return NULL;
  node = json_object_get_member (r->obj, name);
  if (node == NULL) {
    fail (r, name, "is missing");
    return NULL;
  }
  if (JSON_NODE_TYPE (node) != type) {
    fail (r, name, "has the wrong type");
    return NULL;
  }
  return node;
}

static gchar *
get_string (Reader *r, const gchar *name, gsize max_len)
{
  JsonNode *node = member (r, name, JSON_NODE_VALUE);
  const gchar *s;

  if (node == NULL)
    return NULL;
  if (json_node_get_value_type (node) != G_TYPE_STRING) {
    fail (r, name, "is not a string");
    return NULL;
  }
  s = json_node_get_string (node);
  if (*s == '\0' || strlen (s) > max_len) {
    fail (r, name, "is empty or too long");
    return NULL;
  }
  return g_strdup (s);
}

static gdouble
get_number (Reader *r, const gchar *name, gdouble lo, gdouble hi)
{
  JsonNode *node = member (r, name, JSON_NODE_VALUE);
  GType t;
  gdouble v;

  if (node == NULL)
    return 0;
  t = json_node_get_value_type (node);
  if (t != G_TYPE_INT64 && t != G_TYPE_DOUBLE) {
    fail (r, name, "is not a number");
    return 0;
  }
  v = t == G_TYPE_INT64 ? (gdouble) json_node_get_int (node)
                        : json_node_get_double (node);
  if (!isfinite (v) || v < lo || v > hi) {
    fail (r, name, "is out of range");
    return 0;
  }
  return v;
}

static gboolean
get_bool (Reader *r, const gchar *name)
{
  JsonNode *node = member (r, name, JSON_NODE_VALUE);

  if (node == NULL)
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_BOOLEAN) {
    fail (r, name, "is not a boolean");
    return FALSE;
  }
  return json_node_get_boolean (node);
}

static guint32
get_colour (Reader *r, const gchar *name)
{
  gchar *s = get_string (r, name, 7);
  gchar *end = NULL;
  guint64 v = 0;

  if (s == NULL)
    return 0;
  if (s[0] != '#' || strlen (s) != 7
      || (v = g_ascii_strtoull (s + 1, &end, 16), *end != '\0'))
    fail (r, name, "is not a #rrggbb colour");
  g_free (s);
  return (guint32) v;
}

static const ArticDevibenchLiteClip *
find_clip (const gchar *name)
{
  guint i;

  for (i = 0; name != NULL && i < ARTIC_DEVIBENCH_LITE_N_CLIPS; i++) {
    if (strcmp (artic_devibench_lite_clips[i].file, name) == 0)
      return &artic_devibench_lite_clips[i];
  }
  return NULL;
}

static ArticDevibenchLiteSign *
read_sign (JsonNode *node, const gchar *where, GError **error)
{
  ArticDevibenchLiteSign *s = g_new0 (ArticDevibenchLiteSign, 1);
  Reader r = { NULL, where, error, FALSE };

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
        "%s: a sign is not an object", where);
    g_free (s);
    return NULL;
  }
  r.obj = json_node_get_object (node);
  s->text = get_string (&r, "text", 64);
  s->kind = get_string (&r, "kind", 32);
  s->color_name = get_string (&r, "color_name", 32);
  s->font_px = (guint) get_number (&r, "font_px", 6, 200);
  s->fg = get_colour (&r, "fg");
  s->bg = get_colour (&r, "bg");
  s->low_contrast = get_bool (&r, "low_contrast");
  s->x = get_number (&r, "x", -4000, 4000);
  s->y = get_number (&r, "y", -4000, 4000);
  s->vx = get_number (&r, "vx", -1000, 1000);
  s->vy = get_number (&r, "vy", -1000, 1000);
  s->sway_px = get_number (&r, "sway_px", 0, 200);
  s->sway_hz = get_number (&r, "sway_hz", 0, 30);
  s->target = get_bool (&r, "target");
  if (r.failed) {
    sign_free (s);
    return NULL;
  }
  return s;
}

static ArticDevibenchLiteItem *
read_item (JsonNode *node, guint index, GError **error)
{
  ArticDevibenchLiteItem *item = item_new ();
  gchar *where = g_strdup_printf ("item %u", index + 1);
  Reader r = { NULL, where, error, FALSE };
  const ArticDevibenchLiteClip *clip;
  JsonArray *signs;
  guint i, targets = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node)) {
    fail (&r, "items", "holds something that is not an object");
    goto fail;
  }
  r.obj = json_node_get_object (node);
  item->id = get_string (&r, "id", 64);
  item->candidate = (guint) get_number (&r, "candidate", 0, G_MAXUINT32);
  item->clip = get_string (&r, "clip", 64);
  if (!r.failed && (clip = find_clip (item->clip)) == NULL)
    fail (&r, "clip", "is not one of the suite's clips");
  if (r.failed)
    goto fail;
  item->start_time = get_number (
      &r, "start_time", 0, clip->duration - ARTIC_DEVIBENCH_LITE_DURATION);
  item->track = get_bool (&r, "track");
  item->question = get_string (&r, "question", 1024);
  item->answer = get_string (&r, "answer", 256);
  item->task_type = get_string (&r, "task_type", 64);
  item->clean_reads = (gint) get_number (&r, "clean_reads", -1, 1000);
  item->clean_frames = (gint) get_number (&r, "clean_frames", 0, 1000);
  if (json_object_has_member (r.obj, "noise"))
    item->noise = get_number (&r, "noise", 0, ARTIC_DEVIBENCH_LITE_MAX_NOISE);
  node = member (&r, "signs", JSON_NODE_ARRAY);
  if (r.failed)
    goto fail;
  signs = json_node_get_array (node);
  if (json_array_get_length (signs) == 0
      || json_array_get_length (signs) > ARTIC_DEVIBENCH_LITE_MAX_SIGNS) {
    fail (&r, "signs", "must hold 1 to 4 signs");
    goto fail;
  }
  for (i = 0; i < json_array_get_length (signs); i++) {
    ArticDevibenchLiteSign *s
        = read_sign (json_array_get_element (signs, i), where, error);

    if (s == NULL)
      goto fail;
    targets += s->target;
    g_ptr_array_add (item->signs, s);
  }
  if (targets != 1) {
    fail (&r, "signs", "must have exactly one target");
    goto fail;
  }
  g_free (where);
  return item;

fail:
  g_free (where);
  artic_devibench_lite_item_free (item);
  return NULL;
}

ArticDevibenchLiteSuite *
artic_devibench_lite_suite_from_json (
    const gchar *data, gsize size, GError **error)
{
  JsonParser *parser = json_parser_new ();
  ArticDevibenchLiteSuite *suite = NULL;
  JsonObject *root;
  JsonNode *items;
  guint i;

  if (size > G_MAXSSIZE
      || !json_parser_load_from_data (parser, data, size, error))
    goto out;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
        "manifest is not a JSON object");
    goto out;
  }
  root = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (json_object_get_string_member_with_default (root, "suite", ""),
          "artic-devibench-lite")
          != 0
      || json_object_get_int_member_with_default (root, "format", 0) != 1) {
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
        "not an artic-devibench-lite manifest of format 1");
    goto out;
  }
  items = json_object_get_member (root, "items");
  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items)
      || json_array_get_length (json_node_get_array (items))
             > ARTIC_DEVIBENCH_LITE_MAX_ITEMS) {
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
        "manifest: 'items' is not an array of at most %u items",
        ARTIC_DEVIBENCH_LITE_MAX_ITEMS);
    goto out;
  }
  if (json_object_has_member (root, "profile")
      && (!JSON_NODE_HOLDS_VALUE (json_object_get_member (root, "profile"))
          || json_node_get_value_type (json_object_get_member (root, "profile"))
                 != G_TYPE_INT64
          || !artic_devibench_lite_profile_valid (
              json_object_get_int_member (root, "profile")))) {
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
        "manifest: 'profile' is not 1 or 2");
    goto out;
  }
  suite = artic_devibench_lite_suite_new (
      (guint64) json_object_get_int_member_with_default (root, "seed", 0));
  suite->profile = json_object_get_int_member_with_default (
      root, "profile", ARTIC_DEVIBENCH_LITE_PROFILE_FIRST);
  for (i = 0; i < json_array_get_length (json_node_get_array (items)); i++) {
    ArticDevibenchLiteItem *item = read_item (
        json_array_get_element (json_node_get_array (items), i), i, error);

    if (item == NULL) {
      g_clear_pointer (&suite, artic_devibench_lite_suite_free);
      goto out;
    }
    g_ptr_array_add (suite->items, item);
  }
out:
  g_object_unref (parser);
  return suite;
}

ArticDevibenchLiteSuite *
artic_devibench_lite_suite_load (const gchar *path, GError **error)
{
  gchar *data = NULL;
  gsize size = 0;
  ArticDevibenchLiteSuite *suite;

  if (!g_file_get_contents (path, &data, &size, error))
    return NULL;
  suite = artic_devibench_lite_suite_from_json (data, size, error);
  if (suite == NULL && error != NULL && *error != NULL)
    g_prefix_error (error, "%s: ", path);
  g_free (data);
  return suite;
}

static void
csv_field (GString *out, const gchar *text, gboolean last)
{
  gchar **parts = g_strsplit (text, "\"", -1);
  gchar *escaped = g_strjoinv ("\"\"", parts);

  g_string_append_printf (out, "\"%s\"%s", escaped, last ? "\r\n" : ",");
  g_free (escaped);
  g_strfreev (parts);
}

gchar *
artic_devibench_lite_suite_to_csv (const ArticDevibenchLiteSuite *suite)
{
  GString *out = g_string_new (
      "sample_id,start_time,question,std_answer,Frame,task_type\r\n");
  guint i;

  for (i = 0; i < suite->items->len; i++) {
    const ArticDevibenchLiteItem *item = g_ptr_array_index (suite->items, i);
    gchar start[G_ASCII_DTOSTR_BUF_SIZE];

    csv_field (out, item->id, FALSE);
    csv_field (
        out, g_ascii_dtostr (start, sizeof (start), item->start_time), FALSE);
    csv_field (out, item->question, FALSE);
    csv_field (out, item->answer, FALSE);
    csv_field (out, "Single", FALSE);
    csv_field (out, item->task_type, TRUE);
  }
  return g_string_free (out, FALSE);
}

static gboolean
save_text (const gchar *dir, const gchar *name, gchar *text, GError **error)
{
  gchar *path = g_build_filename (dir, name, NULL);
  gboolean ok = g_file_set_contents (path, text, -1, error);

  g_free (path);
  g_free (text);
  return ok;
}

gboolean
artic_devibench_lite_suite_save (
    const ArticDevibenchLiteSuite *suite, const gchar *dir, GError **error)
{
  g_return_val_if_fail (suite != NULL && dir != NULL, FALSE);
  return save_text (dir, "manifest.json",
             artic_devibench_lite_suite_to_json (suite), error)
         && save_text (dir, "questions.csv",
             artic_devibench_lite_suite_to_csv (suite), error);
}
