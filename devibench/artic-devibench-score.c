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

/* DeViBench prompts and answer scoring. */

#include <string.h>

#include "artic-devibench-score.h"

static gchar *
replace_all (const gchar *text, const gchar *token, const gchar *value)
{
  gchar **parts = g_strsplit (text, token, -1);
  gchar *out = g_strjoinv (value != NULL ? value : "", parts);

  g_strfreev (parts);
  return out;
}

gchar *
artic_devibench_prompt_v2 (const gchar *question)
{
  return replace_all (ARTIC_DEVIBENCH_PROMPT_V2, "[Question]", question);
}

gchar *
artic_devibench_prompt_v1 (const gchar *question, const gchar *options)
{
  /* Options first: a question could itself contain "[Options]". */
  gchar *with_options
      = replace_all (ARTIC_DEVIBENCH_PROMPT_V1, "[Options]", options);
  gchar **halves = g_strsplit (with_options, "[Question]", 2);
  gchar *out = g_strjoin (
      question != NULL ? question : "", halves[0], halves[1], NULL);

  g_strfreev (halves);
  g_free (with_options);
  return out;
}

gchar *
artic_devibench_item_prompt (
    ArticDevibenchVersion version, const ArticDevibenchItem *item)
{
  if (version == ARTIC_DEVIBENCH_V1)
    return artic_devibench_prompt_v1 (item->question, item->options);
  return artic_devibench_prompt_v2 (item->question);
}

/* ---- normalization ---- */

static const gchar *const units[]
    = { "zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
        "sixteen", "seventeen", "eighteen", "nineteen", NULL };
static const gchar *const tens[] = { "", "", "twenty", "thirty", "forty",
  "fifty", "sixty", "seventy", "eighty", "ninety", NULL };

static gint
word_index (const gchar *const *words, const gchar *word)
{
  gint i;

  for (i = 0; words[i] != NULL; i++) {
    if (words[i][0] != '\0' && strcmp (words[i], word) == 0)
      return i;
  }
  return -1;
}

/* Case-folded, accents removed, apostrophes dropped ("don't" = "dont"),
 * every other non-alphanumeric character a space. */
static gchar *
fold_characters (const gchar *text)
{
  gchar *decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  GString *out = g_string_new (NULL);
  const gchar *p;

  if (decomposed == NULL) /* invalid UTF-8 */
    return g_string_free (out, FALSE);
  for (p = decomposed; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (g_unichar_ismark (c) || c == '\'' || c == 0x2019)
      continue;
    if (g_unichar_isalnum (c))
      g_string_append_unichar (out, g_unichar_tolower (c));
    else
      g_string_append_c (out, ' ');
  }
  g_free (decomposed);
  return g_string_free (out, FALSE);
}

gchar *
artic_devibench_normalize (const gchar *text)
{
  gchar *folded;
  gchar **words;
  GString *out = g_string_new (NULL);
  guint i;

  if (text == NULL)
    return g_string_free (out, FALSE);
  folded = fold_characters (text);
  words = g_strsplit_set (folded, " ", -1);
  for (i = 0; words[i] != NULL; i++) {
    const gchar *w = words[i];
    gint u, t;

    if (*w == '\0' || strcmp (w, "a") == 0 || strcmp (w, "an") == 0
        || strcmp (w, "the") == 0)
      continue;
    if (out->len > 0)
      g_string_append_c (out, ' ');
    if ((u = word_index (units, w)) >= 0) {
      g_string_append_printf (out, "%d", u);
    } else if ((t = word_index (tens, w)) >= 0) {
      /* "twenty one" and "twenty-one" (the hyphen is a space by now). */
      gint next = -1;
      guint j = i + 1;

      while (words[j] != NULL && *words[j] == '\0')
        j++;
      if (words[j] != NULL)
        next = word_index (units, words[j]);
      if (next >= 1 && next <= 9) {
        g_string_append_printf (out, "%d", t * 10 + next);
        i = j;
      } else {
        g_string_append_printf (out, "%d", t * 10);
      }
    } else {
      g_string_append (out, w);
    }
  }
  g_strfreev (words);
  g_free (folded);
  return g_string_free (out, FALSE);
}

gboolean
artic_devibench_exact_match (const gchar *prediction, const gchar *reference)
{
  gchar *p = artic_devibench_normalize (prediction);
  gchar *r = artic_devibench_normalize (reference);
  gboolean match = *r != '\0' && strcmp (p, r) == 0;

  g_free (p);
  g_free (r);
  return match;
}

gboolean
artic_devibench_contains_match (const gchar *prediction, const gchar *reference)
{
  gchar *p = artic_devibench_normalize (prediction);
  gchar *r = artic_devibench_normalize (reference);
  /* Pad both with spaces so that only whole words match. */
  gchar *padded_p = g_strconcat (" ", p, " ", NULL);
  gchar *padded_r = g_strconcat (" ", r, " ", NULL);
  gboolean match = *r != '\0' && strstr (padded_p, padded_r) != NULL;

  g_free (padded_p);
  g_free (padded_r);
  g_free (p);
  g_free (r);
  return match;
}

/* ---- multiple choice ---- */

static gboolean
is_choice (gchar c)
{
  return c >= 'A' && c <= 'D';
}

static gboolean
ends_word (const gchar *p)
{
  return *p == '\0' || !g_ascii_isalnum (*p);
}

/* The letter right after a marker such as "answer is", skipping spaces and
 * brackets; 0 if none. */
static gchar
letter_after (const gchar *text, const gchar *lower, const gchar *marker)
{
  const gchar *hit = strstr (lower, marker);
  const gchar *p;

  if (hit == NULL)
    return 0;
  p = text + (hit - lower) + strlen (marker);
  while (*p == ' ' || *p == ':' || *p == '(' || *p == '[' || *p == '*')
    p++;
  if (is_choice (g_ascii_toupper (*p)) && ends_word (p + 1))
    return g_ascii_toupper (*p);
  return 0;
}

gchar
artic_devibench_answer_letter (const gchar *prediction)
{
  static const gchar *const markers[]
      = { "answer is", "answer:", "option", NULL };
  gchar *text, *lower;
  const gchar *p;
  gchar letter = 0, found = 0;
  guint i, distinct = 0;

  if (prediction == NULL)
    return 0;
  text = g_strstrip (g_strdup (prediction));
  lower = g_ascii_strdown (text, -1);
  p = text;
  while (*p == '(' || *p == '[' || *p == '*' || *p == ' ')
    p++;
  /* "B", "B)", "(B) text", "b." */
  if (is_choice (g_ascii_toupper (*p)) && ends_word (p + 1)
      && (g_ascii_isupper (*p) || p[1] == '\0' || p[1] == ')' || p[1] == '.'))
    letter = g_ascii_toupper (*p);
  for (i = 0; letter == 0 && markers[i] != NULL; i++)
    letter = letter_after (text, lower, markers[i]);
  if (letter == 0) {
    /* One distinct stand-alone capital A-D anywhere ("I think C"). */
    for (p = text; *p != '\0'; p++) {
      if (is_choice (*p) && (p == text || !g_ascii_isalnum (p[-1]))
          && ends_word (p + 1) && *p != found) {
        found = *p;
        distinct++;
      }
    }
    if (distinct == 1)
      letter = found;
  }
  g_free (lower);
  g_free (text);
  return letter;
}

gboolean
artic_devibench_letter_match (
    const gchar *prediction, const gchar *reference_letter)
{
  gchar got = artic_devibench_answer_letter (prediction);

  return got != 0 && reference_letter != NULL
         && g_ascii_toupper (reference_letter[0]) == got;
}

/* ---- LLM judge ---- */

gchar *
artic_devibench_judge_prompt (
    const gchar *question, const gchar *reference, const gchar *prediction)
{
  /* Fill the model's answer last so text in it is never substituted. */
  gchar *a = replace_all (ARTIC_DEVIBENCH_JUDGE_PROMPT, "[Question]", "\x01");
  gchar *b = replace_all (a, "[Reference]", "\x02");
  gchar *c = replace_all (b, "[Prediction]", "\x03");
  gchar *d = replace_all (c, "\x01", question);
  gchar *e = replace_all (d, "\x02", reference);
  gchar *out = replace_all (e, "\x03", prediction);

  g_free (a);
  g_free (b);
  g_free (c);
  g_free (d);
  g_free (e);
  return out;
}

ArticDevibenchVerdict
artic_devibench_judge_parse (const gchar *reply)
{
  gchar *lower;
  const gchar *p;
  gsize n = 0;
  ArticDevibenchVerdict verdict = ARTIC_DEVIBENCH_VERDICT_UNKNOWN;

  if (reply == NULL)
    return verdict;
  lower = g_ascii_strdown (reply, -1);
  p = lower;
  while (*p != '\0' && !g_ascii_isalpha (*p))
    p++;
  if (g_str_has_prefix (p, "verdict")) {
    p += strlen ("verdict");
    while (*p != '\0' && !g_ascii_isalpha (*p))
      p++;
  }
  while (g_ascii_isalpha (p[n]))
    n++;
  if (n == strlen ("correct") && strncmp (p, "correct", n) == 0)
    verdict = ARTIC_DEVIBENCH_VERDICT_CORRECT;
  else if (n == strlen ("incorrect") && strncmp (p, "incorrect", n) == 0)
    verdict = ARTIC_DEVIBENCH_VERDICT_INCORRECT;
  g_free (lower);
  return verdict;
}

ArticDevibenchVerdict
artic_devibench_judge (ArticDevibenchJudgeFunc judge, gpointer user_data,
    const gchar *question, const gchar *reference, const gchar *prediction,
    GError **error)
{
  gchar *prompt
      = artic_devibench_judge_prompt (question, reference, prediction);
  gchar *reply = judge (prompt, user_data, error);
  ArticDevibenchVerdict verdict = ARTIC_DEVIBENCH_VERDICT_UNKNOWN;

  g_free (prompt);
  if (reply == NULL)
    return verdict;
  verdict = artic_devibench_judge_parse (reply);
  if (verdict == ARTIC_DEVIBENCH_VERDICT_UNKNOWN)
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
        "judge replied neither Correct nor Incorrect (%zu bytes)",
        strlen (reply));
  g_free (reply);
  return verdict;
}
