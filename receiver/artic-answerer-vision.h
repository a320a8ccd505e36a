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

/* The answerer's eyes: decodes the images of a request and reads them with
 * real offline models (Tesseract OCR for text, zbar for QR codes). It never
 * sees ground truth; what it reports is only what the pixels say. */

#ifndef ARTIC_ANSWERER_VISION_H
#define ARTIC_ANSWERER_VISION_H

#include <glib.h>

G_BEGIN_DECLS

#define ARTIC_ANSWERER_VISION_ERROR (artic_answerer_vision_error_quark ())

typedef enum
{
  ARTIC_ANSWERER_VISION_ERROR_INIT,   /* no usable Tesseract data */
  ARTIC_ANSWERER_VISION_ERROR_DECODE, /* bytes that do not decode as an image */
} ArticAnswererVisionError;

/* Images larger than this in either dimension are refused before OCR: a
 * header can claim any size, and OCR time grows with the area. */
#define ARTIC_ANSWERER_VISION_MAX_DIM 8192

/* OCR words below this confidence (0..100) are mostly texture read as
 * letters: on the shipped camera clip every such word was garbage. */
#define ARTIC_ANSWERER_VISION_MIN_CONFIDENCE 70.0
/* Tesseract's LSTM confidence is low for some clean words next to clutter
 * (a correct "COFFEE" at 37); a dictionary word of 4+ letters is accepted
 * from this confidence on, which no junk word on the clip reached. */
#define ARTIC_ANSWERER_VISION_MIN_DICT_CONFIDENCE 30.0
#define ARTIC_ANSWERER_VISION_MIN_DICT_CHARS 4

/* One recognised item: an OCR word or a decoded code. */
typedef struct
{
  gchar *text;         /* UTF-8, no surrounding white space */
  gdouble confidence;  /* 0..100 (Tesseract's scale; codes are 100) */
  gint x0, y0, x1, y1; /* pixels, [x0, x1) x [y0, y1) */
  guint line;          /* text line index within the frame (codes: 0) */
  gboolean dictionary; /* Tesseract found it in its English word list */
} ArticAnswererWord;

/* What one frame says. */
typedef struct
{
  guint width, height;
  GPtrArray *words; /* ArticAnswererWord*, reading order */
  GPtrArray *codes; /* ArticAnswererWord*, decoded QR/bar codes */
} ArticAnswererFrame;

typedef struct _ArticAnswererVision ArticAnswererVision;

GQuark artic_answerer_vision_error_quark (void);

/* TRUE for a word solid enough to answer with (see the confidences above). */
gboolean artic_answerer_vision_word_is_good (const ArticAnswererWord *word);

/* Finds the English Tesseract data: @tessdata if given, else
 * $TESSDATA_PREFIX, else the usual Debian/Ubuntu/upstream locations. Returns
 * the directory that holds eng.traineddata (free with g_free), or NULL. */
gchar *artic_answerer_vision_find_tessdata (const gchar *tessdata);

/* Initialises Tesseract once (the slow part, ~0.1-0.3 s) and zbar. Not
 * thread-safe: use one instance from one thread at a time. */
ArticAnswererVision *artic_answerer_vision_new (
    const gchar *tessdata, GError **error);
void artic_answerer_vision_free (ArticAnswererVision *vision);

/* Reads an 8-bit gray image. */
ArticAnswererFrame *artic_answerer_vision_read_gray (
    ArticAnswererVision *vision, const guint8 *gray, guint width, guint height,
    guint stride);

/* Recognises a JPEG or PNG image from its bytes and reads its size from the
 * header without decoding it. FALSE for anything else, for a header that
 * does not parse, and for sizes of 0 or over ARTIC_ANSWERER_VISION_MAX_DIM.
 * @format gets "jpeg" or "png" (static). */
gboolean artic_answerer_vision_probe (const guint8 *data, gsize size,
    const gchar **format, guint *width, guint *height);

/* Decodes a JPEG or PNG image to 8-bit gray. Returns the pixels (stride ==
 * width), or NULL with @error set. */
guint8 *artic_answerer_vision_decode (const guint8 *data, gsize size,
    guint *width, guint *height, GError **error);

/* Decodes and reads an encoded image. */
ArticAnswererFrame *artic_answerer_vision_read (ArticAnswererVision *vision,
    const guint8 *data, gsize size, GError **error);

ArticAnswererWord *artic_answerer_word_new (const gchar *text,
    gdouble confidence, gint x0, gint y0, gint x1, gint y1, guint line);
void artic_answerer_word_free (ArticAnswererWord *word);
ArticAnswererFrame *artic_answerer_frame_new (guint width, guint height);
void artic_answerer_frame_free (ArticAnswererFrame *frame);

/* ---- colours: finding the sign a question names by its colour ---------- */

/* The named background colours of signs, labels and screens (DeViBench
 * lite's palette, which uses the names people use for them). */
typedef struct
{
  const gchar *name; /* "light blue" */
  guint8 r, g, b;
  gboolean dark; /* light text on it */
} ArticAnswererColour;

/* A candidate region of one colour, in pixels, [x0, x1) x [y0, y1). */
typedef struct
{
  gint x0, y0, x1, y1;
  guint pixels;         /* sampled pixels of the colour in it */
  gdouble straightness; /* 0..1: share of its outline on straight sides */
} ArticAnswererRegion;

/* Regions smaller than this (pixels of the frame, either side) are specks,
 * not signs: the smallest lite-suite sign (12 px text) is ~60x24. */
#define ARTIC_ANSWERER_VISION_MIN_REGION_W 24
#define ARTIC_ANSWERER_VISION_MIN_REGION_H 14
/* Candidates OCR'd per frame, most sign-like first (each costs an OCR
 * pass). */
#define ARTIC_ANSWERER_VISION_MAX_REGIONS 6

/* The palette entry at @index, or NULL past its end. */
const ArticAnswererColour *artic_answerer_vision_colour (guint index);

/* The palette colour a question names ("the navy blue screen", "the dark
 * blue sign", "the yellow label"): the longest name or synonym found as
 * whole words, case-insensitive. -1 when it names none. */
gint artic_answerer_vision_colour_in_text (const gchar *text);

/* Candidate regions of palette colour @colour in a packed RGB image (3
 * bytes a pixel, @stride bytes a row): pixels (sampled on a 2-pixel grid)
 * whose nearest palette colour is @colour and that lie close to it,
 * connected into components; specks and frame-sized blobs are dropped.
 * Most sign-like first (pixels x straightness^8: a compact region with
 * straight sides before a larger one whose outline wanders), at most
 * ARTIC_ANSWERER_VISION_MAX_REGIONS. */
GArray *artic_answerer_vision_colour_regions (
    const guint8 *rgb, guint width, guint height, guint stride, guint colour);

/* OCRs @region of a gray image alone (with a small margin, enlarged, and
 * inverted first when @dark, since Tesseract prefers dark text). Word boxes
 * are in the frame's pixels. */
ArticAnswererFrame *artic_answerer_vision_read_region (
    ArticAnswererVision *vision, const guint8 *gray, guint width, guint height,
    guint stride, const ArticAnswererRegion *region, gboolean dark);

/* Decodes a JPEG or PNG image to packed RGB (stride == 3 * width), or NULL
 * with @error set. */
guint8 *artic_answerer_vision_decode_rgb (const guint8 *data, gsize size,
    guint *width, guint *height, GError **error);

/* 8-bit luma (BT.601) of packed RGB, stride == width. */
guint8 *artic_answerer_vision_rgb_to_gray (
    const guint8 *rgb, guint width, guint height);

G_END_DECLS

#endif /* ARTIC_ANSWERER_VISION_H */
