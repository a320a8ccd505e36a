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

/* DeViBench prompts and scoring. */

#include <string.h>

#include <gio/gio.h>

#include "artic-devibench-score.h"

static void
check_norm (const gchar *in, const gchar *expected)
{
  gchar *got = artic_devibench_normalize (in);

  g_assert_cmpstr (got, ==, expected);
  g_free (got);
}

static void
test_normalize (void)
{
  check_norm ("The Red  Sign.", "red sign");
  check_norm ("  an APPLE, a pear!  ", "apple pear");
  check_norm ("Twenty-one", "21");
  check_norm ("twenty one cats", "21 cats");
  check_norm ("ninety", "90");
  check_norm ("three", "3");
  check_norm ("zero", "0");
  check_norm ("61:30:00", "61 30 00");
  check_norm ("Sánchez-Pizjuán", "sanchez pizjuan");
  check_norm ("Don't", "dont");
  check_norm ("Theatre", "theatre"); /* "the" only as a whole word */
  check_norm ("", "");
  check_norm (NULL, "");
  check_norm ("\xff\xfe", ""); /* invalid UTF-8: nothing, no crash */
}

static void
test_exact_match (void)
{
  g_assert_true (artic_devibench_exact_match ("Yellow.", "yellow"));
  g_assert_true (artic_devibench_exact_match ("Three.", "3"));
  g_assert_false (artic_devibench_exact_match ("The answer: three", "3"));
  g_assert_true (artic_devibench_contains_match ("The answer: three", "3"));
  g_assert_true (artic_devibench_exact_match ("KX-4729", "kx 4729"));
  g_assert_false (artic_devibench_exact_match ("KX-4728", "KX-4729"));
  g_assert_false (artic_devibench_exact_match ("Sport", "Spotify"));
  /* An empty reference never matches, even an empty answer. */
  g_assert_false (artic_devibench_exact_match ("", ""));
  g_assert_false (artic_devibench_exact_match ("a", "the"));
}

static void
test_contains_match (void)
{
  g_assert_true (
      artic_devibench_contains_match ("It says CAFE 47.", "cafe 47"));
  g_assert_false (
      artic_devibench_contains_match ("It says CAFE 478.", "cafe 47"));
  g_assert_false (artic_devibench_contains_match ("CAFETERIA", "cafe"));
  g_assert_true (
      artic_devibench_contains_match ("| PANTHER PEPPER |", "PANTHER PEPPER"));
  g_assert_false (artic_devibench_contains_match ("anything", ""));
}

static void
test_letters (void)
{
  static const struct
  {
    const gchar *reply;
    gchar letter;
  } cases[] = {
    { "B", 'B' },
    { "b", 'B' },
    { " (C) ", 'C' },
    { "D)", 'D' },
    { "A. Ramon Sanchez", 'A' },
    { "Answer: c", 'C' },
    { "The answer is B.", 'B' },
    { "I think it is option D", 'D' },
    { "**B**", 'B' },
    { "B) A star", 'B' },
    { "It could be A or B", 0 },
    { "E", 0 },
    { "", 0 },
    { "Banana", 0 },
    { "a banana", 0 },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    gchar got = artic_devibench_answer_letter (cases[i].reply);

    if (got != cases[i].letter)
      g_error ("'%s': got %c, expected %c", cases[i].reply, got ? got : '0',
          cases[i].letter ? cases[i].letter : '0');
  }
  g_assert_cmpint (artic_devibench_answer_letter (NULL), ==, 0);
  g_assert_true (artic_devibench_letter_match ("(B)", "B"));
  g_assert_false (artic_devibench_letter_match ("(B)", "C"));
  g_assert_false (artic_devibench_letter_match ("maybe", "C"));
}

static void
test_prompts (void)
{
  gchar *p = artic_devibench_prompt_v2 ("What is on the sign?");

  g_assert_cmpstr (p, ==,
      "Answer the following question concisely based on the video.\n"
      "Question:\nWhat is on the sign?");
  g_free (p);
  /* A question that contains the placeholder text stays verbatim. */
  p = artic_devibench_prompt_v1 ("Is [Options] here?", "A) x\nB) y");
  g_assert_cmpstr (p, ==,
      "You are a multiple-choice question answering assistant. Your task is "
      "to output only the letter of the correct option, without any "
      "explanation or extra text.\nQuestion:\nIs [Options] here?\n"
      "Options:\nA) x\nB) y");
  g_free (p);
}

static void
test_judge_parse (void)
{
  g_assert_cmpint (artic_devibench_judge_parse ("Correct"), ==,
      ARTIC_DEVIBENCH_VERDICT_CORRECT);
  g_assert_cmpint (artic_devibench_judge_parse ("  **Incorrect**.\n"), ==,
      ARTIC_DEVIBENCH_VERDICT_INCORRECT);
  g_assert_cmpint (artic_devibench_judge_parse ("Verdict: correct"), ==,
      ARTIC_DEVIBENCH_VERDICT_CORRECT);
  g_assert_cmpint (artic_devibench_judge_parse ("Correctly answered"), ==,
      ARTIC_DEVIBENCH_VERDICT_UNKNOWN);
  g_assert_cmpint (artic_devibench_judge_parse ("Not correct"), ==,
      ARTIC_DEVIBENCH_VERDICT_UNKNOWN);
  g_assert_cmpint (
      artic_devibench_judge_parse (""), ==, ARTIC_DEVIBENCH_VERDICT_UNKNOWN);
  g_assert_cmpint (
      artic_devibench_judge_parse (NULL), ==, ARTIC_DEVIBENCH_VERDICT_UNKNOWN);
}

/* Test double for the judge model (the real one is the MLLM client, built
 * elsewhere): replies with a scripted text, or fails like an endpoint that
 * is down. */
typedef struct
{
  const gchar *reply; /* NULL: fail */
  gchar *last_prompt;
} ScriptedJudge;

static gchar *
scripted_judge (const gchar *prompt, gpointer user_data, GError **error)
{
  ScriptedJudge *judge = user_data;

  g_free (judge->last_prompt);
  judge->last_prompt = g_strdup (prompt);
  if (judge->reply == NULL) {
    g_set_error (
        error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, "connection refused");
    return NULL;
  }
  return g_strdup (judge->reply);
}

static void
test_judge (void)
{
  ScriptedJudge judge = { "Correct", NULL };
  GError *error = NULL;

  g_assert_cmpint (
      artic_devibench_judge (scripted_judge, &judge, "What is on the sign?",
          "CAFE 47", "cafe 47 [Question]", &error),
      ==, ARTIC_DEVIBENCH_VERDICT_CORRECT);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (judge.last_prompt,
      "You are grading an answer to a question about a video.\n"
      "Question:\nWhat is on the sign?\nReference answer:\nCAFE 47\n"
      "Model answer:\ncafe 47 [Question]\n"));
  g_assert_nonnull (strstr (judge.last_prompt, "Correct or Incorrect."));

  judge.reply = "I am not sure.";
  g_assert_cmpint (
      artic_devibench_judge (scripted_judge, &judge, "q", "r", "p", &error), ==,
      ARTIC_DEVIBENCH_VERDICT_UNKNOWN);
  g_assert_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE);
  g_clear_error (&error);

  judge.reply = NULL;
  g_assert_cmpint (
      artic_devibench_judge (scripted_judge, &judge, "q", "r", "p", &error), ==,
      ARTIC_DEVIBENCH_VERDICT_UNKNOWN);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_clear_error (&error);
  g_free (judge.last_prompt);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/devibench-score/normalize", test_normalize);
  g_test_add_func ("/devibench-score/exact-match", test_exact_match);
  g_test_add_func ("/devibench-score/contains-match", test_contains_match);
  g_test_add_func ("/devibench-score/letters", test_letters);
  g_test_add_func ("/devibench-score/prompts", test_prompts);
  g_test_add_func ("/devibench-score/judge-parse", test_judge_parse);
  g_test_add_func ("/devibench-score/judge", test_judge);
  return g_test_run ();
}
