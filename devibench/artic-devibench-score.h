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

/* DeViBench prompts and scoring: the authors' prompts, normalized exact
 * match for open-ended (v2) answers, letter match for multiple choice (v1),
 * and the interface of an LLM judge. */

#ifndef __ARTIC_DEVIBENCH_SCORE_H__
#define __ARTIC_DEVIBENCH_SCORE_H__

#include <glib.h>

#include "artic-devibench-csv.h"

G_BEGIN_DECLS

/* The authors' prompts. [Question] and [Options] are replaced verbatim. */
#define ARTIC_DEVIBENCH_PROMPT_V2                                 \
  "Answer the following question concisely based on the video.\n" \
  "Question:\n[Question]"
#define ARTIC_DEVIBENCH_PROMPT_V1                                         \
  "You are a multiple-choice question answering assistant. Your task is " \
  "to output only the letter of the correct option, without any "         \
  "explanation or extra text.\nQuestion:\n[Question]\nOptions:\n[Options]"

gchar *artic_devibench_prompt_v2 (const gchar *question);
gchar *artic_devibench_prompt_v1 (const gchar *question, const gchar *options);
/* The prompt for @item of a set of @version. */
gchar *artic_devibench_item_prompt (
    ArticDevibenchVersion version, const ArticDevibenchItem *item);

/* Lower case, punctuation to spaces, articles (a, an, the) dropped, number
 * words (zero..ninety-nine, "hundred" excluded) to digits, whitespace
 * collapsed. Never NULL; "" for NULL. */
gchar *artic_devibench_normalize (const gchar *text);
/* Normalized prediction equals normalized reference (both non-empty). */
gboolean artic_devibench_exact_match (
    const gchar *prediction, const gchar *reference);
/* The normalized reference appears as a whole-word run inside the
 * normalized prediction ("It says CAFE 47." contains "cafe 47"). */
gboolean artic_devibench_contains_match (
    const gchar *prediction, const gchar *reference);

/* The option letter a model answered: "B", "(B)", "B)", "B. text",
 * "Answer: B", "The answer is B". 0 when there is no unambiguous letter. */
gchar artic_devibench_answer_letter (const gchar *prediction);
gboolean artic_devibench_letter_match (
    const gchar *prediction, const gchar *reference_letter);

/* ---- LLM judge ----
 * The judge is another (or the same) model asked whether a prediction
 * matches the reference answer; it answers "Correct" or "Incorrect", as in
 * the Artic release. The caller supplies the model as a function. */

#define ARTIC_DEVIBENCH_JUDGE_PROMPT                                     \
  "You are grading an answer to a question about a video.\n"             \
  "Question:\n[Question]\n"                                              \
  "Reference answer:\n[Reference]\n"                                     \
  "Model answer:\n[Prediction]\n"                                        \
  "Does the model answer mean the same as the reference answer? Small "  \
  "differences in wording, case, punctuation or units do not matter; a " \
  "different name, word, number or code does. Reply with exactly one "   \
  "word: Correct or Incorrect."

typedef enum
{
  ARTIC_DEVIBENCH_VERDICT_UNKNOWN,
  ARTIC_DEVIBENCH_VERDICT_CORRECT,
  ARTIC_DEVIBENCH_VERDICT_INCORRECT,
} ArticDevibenchVerdict;

/* Sends @prompt to a model and returns its reply (g_free), or NULL with
 * @error set (endpoint down, timeout, ...). */
typedef gchar *(*ArticDevibenchJudgeFunc) (
    const gchar *prompt, gpointer user_data, GError **error);

gchar *artic_devibench_judge_prompt (
    const gchar *question, const gchar *reference, const gchar *prediction);
/* "Correct" / "Incorrect" (any case, surrounding punctuation, a leading
 * "Verdict:" allowed); UNKNOWN for anything else, including replies that
 * contain both words. */
ArticDevibenchVerdict artic_devibench_judge_parse (const gchar *reply);
/* Builds the prompt, calls @judge, parses the reply. UNKNOWN with @error
 * set when the judge fails or replies with something else. */
ArticDevibenchVerdict artic_devibench_judge (ArticDevibenchJudgeFunc judge,
    gpointer user_data, const gchar *question, const gchar *reference,
    const gchar *prediction, GError **error);

G_END_DECLS

#endif /* __ARTIC_DEVIBENCH_SCORE_H__ */
