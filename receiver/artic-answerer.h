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

/* The offline reference MLLM endpoint: parses OpenAI Chat Completions
 * requests, works out which of the three questions artic asks (answer a
 * question, predict the question's region as ZeCoStream boxes, rate that
 * region's readability), answers it from what the vision module reads in the
 * pixels, and writes OpenAI-shaped replies (one object or SSE chunks). */

#ifndef ARTIC_ANSWERER_H
#define ARTIC_ANSWERER_H

#include "artic-answerer-vision.h"
#include <glib.h>

G_BEGIN_DECLS

#define ARTIC_ANSWERER_ERROR (artic_answerer_error_quark ())

/* Each code maps to one HTTP status (artic_answerer_error_status). */
typedef enum
{
  ARTIC_ANSWERER_ERROR_INVALID,   /* 400: malformed or unsupported request */
  ARTIC_ANSWERER_ERROR_IMAGE,     /* 400: an image that is not JPEG/PNG */
  ARTIC_ANSWERER_ERROR_TOO_LARGE, /* 413: an image over the size limit */
  ARTIC_ANSWERER_ERROR_TOO_MANY_IMAGES, /* 400: over --max-images */
} ArticAnswererErrorCode;

#define ARTIC_ANSWERER_DEFAULT_MODEL "artic-answerer"
/* OpenAI allows 500 images; OCR costs ~0.3-0.7 s each, so far fewer. */
#define ARTIC_ANSWERER_DEFAULT_MAX_IMAGES 16
/* OpenAI's per-image limit. */
#define ARTIC_ANSWERER_MAX_IMAGE_BYTES (20 * 1024 * 1024)
/* json-glib parses recursively; deeper input is refused before parsing. */
#define ARTIC_ANSWERER_MAX_JSON_DEPTH 32
/* Boxes predicted when the prompt does not say how many (ZeCoStream: the
 * next 3 sampled frames), and the most ever returned. */
#define ARTIC_ANSWERER_DEFAULT_FUTURE_FRAMES 3
#define ARTIC_ANSWERER_MAX_FUTURE_FRAMES 30

typedef enum
{
  ARTIC_ANSWERER_KIND_ANSWER,
  ARTIC_ANSWERER_KIND_BOXES,
  ARTIC_ANSWERER_KIND_READABILITY,
} ArticAnswererKind;

/* A validated request. Images are the decoded bytes of the data URLs, in
 * request order (oldest first, as clients send frames). */
typedef struct
{
  gchar *model; /* NULL when the request names none */
  gboolean stream;
  gboolean include_usage;
  gchar *system;      /* system/developer text, NULL if none */
  gchar *prompt;      /* text of the last user message */
  GPtrArray *images;  /* GBytes* */
  gsize prompt_chars; /* all text of all messages, for the usage estimate */
} ArticAnswererRequest;

/* What the prompt asks, read from its words. */
typedef struct
{
  ArticAnswererKind kind;
  gchar *question;       /* the question itself, without the instructions */
  guint future_frames;   /* boxes to return (BOXES); 0: one, the newest
                          * frame's */
  GPtrArray *quoted;     /* gchar*, normalized text quoted in the question */
  GPtrArray *keywords;   /* gchar*, normalized content words of the question */
  gboolean wants_code;   /* about a QR or bar code */
  gboolean wants_number; /* asks for a number */
  gboolean wants_word;   /* asks for one word */
  gint colour; /* palette colour the question names the sign by, -1: none */
} ArticAnswererQuery;

/* What was found for a query in one frame. */
typedef struct
{
  gboolean found;
  gchar *text;         /* the answer text */
  gdouble confidence;  /* mean confidence of the region's words, 0..100 */
  gint x0, y0, x1, y1; /* region in pixels */
  /* Box requests: how the region moves per image (pixels, from the same
   * region found in an older image) and how many images after the matched
   * one the request's newest is, so that the boxes of the next frames are
   * predicted where the region will be (0, 0, 0: it stays). */
  gdouble vx, vy;
  guint lead;
  /* How far off that motion may be, pixels per image (0: no estimate of
   * it): the boxes of later frames get this much more margin per image. */
  gdouble ex, ey;
  /* The text was read on a sign of the colour the question names (not the
   * whole frame's fallback, which may be another sign's text). */
  gboolean on_sign;
} ArticAnswererMatch;

/* Where a region was seen in one image of a request: @step images before
 * the newest sighting (0 for that one), its centre in pixels. */
typedef struct
{
  gdouble step;
  gdouble cx, cy;
} ArticAnswererSighting;

/* Fits the region's motion to @n sightings (n >= 2, at least two steps
 * apart): a least-squares line through the centres gives match->vx/vy (per
 * image, positive when the region moves right/down as time goes on), and
 * match->ex/ey its uncertainty: a share of the speed (a sign's speed
 * changes, the regions' edges move with compression noise) plus the
 * standard error of the slope when a third sighting tests the line. Fewer
 * than 2 sightings: no motion, no uncertainty. */
void artic_answerer_motion_fit (
    const ArticAnswererSighting *sightings, guint n, ArticAnswererMatch *match);

/* Token counts in OpenAI's sense, estimated (~4 characters a token, 85 per
 * image as for detail=low): the server has no tokenizer. */
typedef struct
{
  guint prompt_tokens, completion_tokens;
} ArticAnswererUsage;

GQuark artic_answerer_error_quark (void);
guint artic_answerer_error_status (const GError *error);

/* Parses and validates a request body. @max_images: the most image parts
 * accepted (0 = the default). On failure returns NULL with @error set in
 * ARTIC_ANSWERER_ERROR and *@param naming the offending field in OpenAI's
 * style ("messages[0].content[1].image_url"), or NULL. Never logs content. */
ArticAnswererRequest *artic_answerer_request_parse (const gchar *body,
    gsize size, guint max_images, gchar **param, GError **error);
void artic_answerer_request_free (ArticAnswererRequest *request);

/* Reads the prompt (and the system text, which may carry the instructions
 * instead). */
ArticAnswererQuery *artic_answerer_query_new (
    const gchar *system, const gchar *prompt);
void artic_answerer_query_free (ArticAnswererQuery *query);
const gchar *artic_answerer_kind_name (ArticAnswererKind kind);

/* Looks for what @query asks about in one frame's words and codes. */
void artic_answerer_match_frame (const ArticAnswererQuery *query,
    const ArticAnswererFrame *frame, ArticAnswererMatch *match);
void artic_answerer_match_clear (ArticAnswererMatch *match);

/* Do two readings of one region name the same text? Equal after
 * normalizing, or one glyph apart (texts of 4+ letters/digits), or the
 * words of one a run of the other's words, each word equal or one glyph off,
 * the run's first word possibly cut at its start and its last at its end
 * ("BREAD" and "BREAD TH" in "BREAD THEATRE", "RUMPET" in "TRUMPET"). */
gboolean artic_answerer_readings_agree (const gchar *a, const gchar *b);

/* Which of the @n images' matches (request order, oldest first; those not
 * found take no part) the images agree on: the index of the reading to
 * answer with, -1 when no image has one. See the comment at its
 * definition for the rule. */
gint artic_answerer_vote (const ArticAnswererMatch *matches, guint n);

/* The reply content for a query, given the frames newest first and the best
 * match found (match->found FALSE: nothing relevant). */
gchar *artic_answerer_format_reply (const ArticAnswererQuery *query,
    const ArticAnswererMatch *match, guint width, guint height);

/* Runs a whole request and returns the reply content. Answer and
 * readability requests read every image and answer with the reading the
 * images agree on (artic_answerer_vote); box requests take the newest image
 * that has the region and its motion from the older ones. NULL with @error
 * set when an image does not decode. */
gchar *artic_answerer_respond (ArticAnswererVision *vision,
    const ArticAnswererRequest *request, const ArticAnswererQuery *query,
    GError **error);

/* Looks for what @query asks about on the signs of its colour
 * (query->colour >= 0) in one RGB frame (@gray: its luma; @whole: the whole
 * frame's words, or NULL): reads each candidate region twice (the whole
 * frame's words on it, and the region OCR'd alone) and keeps the reading
 * whose text is surest and fits the question; the match's region is then
 * the sign's. FALSE (match not found) when no sign of the colour reads. */
gboolean artic_answerer_match_colour (ArticAnswererVision *vision,
    const ArticAnswererQuery *query, const guint8 *rgb, const guint8 *gray,
    guint width, guint height, const ArticAnswererFrame *whole,
    ArticAnswererMatch *match);

void artic_answerer_usage_estimate (const ArticAnswererRequest *request,
    const gchar *content, ArticAnswererUsage *usage);

/* {"object":"chat.completion", ...} */
gchar *artic_answerer_completion_json (const gchar *id, gint64 created,
    const gchar *model, const gchar *content, const ArticAnswererUsage *usage);

/* The whole SSE body: role delta, content deltas (one per word), the
 * finish_reason chunk, the usage chunk if @include_usage, "data: [DONE]". */
gchar *artic_answerer_sse_body (const gchar *id, gint64 created,
    const gchar *model, const gchar *content, const ArticAnswererUsage *usage,
    gboolean include_usage);

/* {"error":{"message":...,"type":...,"param":...,"code":...}} */
gchar *artic_answerer_error_json (const gchar *message, const gchar *type,
    const gchar *param, const gchar *code);

G_END_DECLS

#endif /* ARTIC_ANSWERER_H */
