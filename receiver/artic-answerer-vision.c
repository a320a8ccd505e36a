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

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "artic-answerer-vision.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <math.h>
#include <string.h>
#include <tesseract/capi.h>
#include <zbar.h>

/* A decoder that has not produced a frame by then is stuck, not slow. */
#define DECODE_TIMEOUT (10 * GST_SECOND)
/* Tesseract's LSTM reads best with capitals ~30 px tall; camera frames of
 * 640x480 carry text of 10-20 px, so small frames are enlarged first. */
#define UPSCALE_BELOW_WIDTH 1000

struct _ArticAnswererVision
{
  TessBaseAPI *tess;
  zbar_image_scanner_t *zbar;
};

G_DEFINE_QUARK (
    artic - answerer - vision - error - quark, artic_answerer_vision_error)

ArticAnswererWord *
artic_answerer_word_new (const gchar *text, gdouble confidence, gint x0,
    gint y0, gint x1, gint y1, guint line)
{
  ArticAnswererWord *word = g_new0 (ArticAnswererWord, 1);

  word->text = g_strdup (text);
  word->confidence = CLAMP (confidence, 0.0, 100.0);
  word->x0 = MIN (x0, x1);
  word->x1 = MAX (x0, x1);
  word->y0 = MIN (y0, y1);
  word->y1 = MAX (y0, y1);
  word->line = line;
  return word;
}

void
artic_answerer_word_free (ArticAnswererWord *word)
{
  if (word == NULL)
    return;
  g_free (word->text);
  g_free (word);
}

ArticAnswererFrame *
artic_answerer_frame_new (guint width, guint height)
{
  ArticAnswererFrame *frame = g_new0 (ArticAnswererFrame, 1);

  frame->width = width;
  frame->height = height;
  frame->words = g_ptr_array_new_with_free_func (
      (GDestroyNotify) artic_answerer_word_free);
  frame->codes = g_ptr_array_new_with_free_func (
      (GDestroyNotify) artic_answerer_word_free);
  return frame;
}

void
artic_answerer_frame_free (ArticAnswererFrame *frame)
{
  if (frame == NULL)
    return;
  g_ptr_array_unref (frame->words);
  g_ptr_array_unref (frame->codes);
  g_free (frame);
}

static gboolean
has_eng_data (const gchar *dir)
{
  gchar *path;
  gboolean found;

  if (dir == NULL || *dir == '\0')
    return FALSE;
  path = g_build_filename (dir, "eng.traineddata", NULL);
  found = g_file_test (path, G_FILE_TEST_IS_REGULAR);
  g_free (path);
  return found;
}

gchar *
artic_answerer_vision_find_tessdata (const gchar *tessdata)
{
  /* Debian 12 puts the data under 5/, older releases under 4.00/, upstream
   * builds under /usr/local; TESSDATA_PREFIX may name the directory or its
   * parent depending on the Tesseract version that documented it. */
  static const gchar *const known[] = {
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/usr/share/tesseract-ocr/tessdata",
  };
  const gchar *env;
  guint i;

  if (tessdata != NULL)
    return has_eng_data (tessdata) ? g_strdup (tessdata) : NULL;
  env = g_getenv ("TESSDATA_PREFIX");
  if (has_eng_data (env))
    return g_strdup (env);
  if (env != NULL && *env != '\0') {
    gchar *sub = g_build_filename (env, "tessdata", NULL);
    if (has_eng_data (sub))
      return sub;
    g_free (sub);
  }
  for (i = 0; i < G_N_ELEMENTS (known); i++) {
    if (has_eng_data (known[i]))
      return g_strdup (known[i]);
  }
  return NULL;
}

ArticAnswererVision *
artic_answerer_vision_new (const gchar *tessdata, GError **error)
{
  ArticAnswererVision *vision;
  gchar *dir = artic_answerer_vision_find_tessdata (tessdata);

  if (dir == NULL) {
    g_set_error (error, ARTIC_ANSWERER_VISION_ERROR,
        ARTIC_ANSWERER_VISION_ERROR_INIT,
        "no eng.traineddata found%s%s (install tesseract-ocr-eng or set "
        "TESSDATA_PREFIX)",
        tessdata ? " in " : "", tessdata ? tessdata : "");
    return NULL;
  }
  vision = g_new0 (ArticAnswererVision, 1);
  vision->tess = TessBaseAPICreate ();
  if (TessBaseAPIInit3 (vision->tess, dir, "eng") != 0) {
    g_set_error (error, ARTIC_ANSWERER_VISION_ERROR,
        ARTIC_ANSWERER_VISION_ERROR_INIT,
        "Tesseract could not load the English data in %s", dir);
    g_free (dir);
    TessBaseAPIDelete (vision->tess);
    g_free (vision);
    return NULL;
  }
  g_free (dir);
  /* Tesseract's own chatter ("Estimating resolution...") would interleave
   * with the request log. */
  TessBaseAPISetVariable (vision->tess, "debug_file", "/dev/null");

  vision->zbar = zbar_image_scanner_create ();
  zbar_image_scanner_set_config (vision->zbar, 0, ZBAR_CFG_ENABLE, 1);
  return vision;
}

void
artic_answerer_vision_free (ArticAnswererVision *vision)
{
  if (vision == NULL)
    return;
  TessBaseAPIEnd (vision->tess);
  TessBaseAPIDelete (vision->tess);
  zbar_image_scanner_destroy (vision->zbar);
  g_free (vision);
}

/* Doubles the size with bilinear filtering (half-pixel phase): enough for
 * the LSTM to see thin strokes, cheap next to the OCR itself. */
static guint8 *
upscale2 (const guint8 *src, guint width, guint height, guint stride)
{
  guint ow = width * 2, oh = height * 2, x, y;
  guint8 *dst = g_malloc ((gsize) ow * oh);

  for (y = 0; y < oh; y++) {
    /* source coordinate of the output pixel centre, in 1/4 pixels */
    gint sy4 = (gint) (2 * y) - 1;
    guint y0 = sy4 < 0 ? 0 : (guint) sy4 / 4;
    guint y1 = MIN (y0 + 1, height - 1);
    guint fy = sy4 < 0 ? 0 : (guint) sy4 % 4;

    for (x = 0; x < ow; x++) {
      gint sx4 = (gint) (2 * x) - 1;
      guint x0 = sx4 < 0 ? 0 : (guint) sx4 / 4;
      guint x1 = MIN (x0 + 1, width - 1);
      guint fx = sx4 < 0 ? 0 : (guint) sx4 % 4;
      guint a = src[y0 * stride + x0], b = src[y0 * stride + x1];
      guint c = src[y1 * stride + x0], d = src[y1 * stride + x1];
      guint top = a * (4 - fx) + b * fx, bottom = c * (4 - fx) + d * fx;

      dst[(gsize) y * ow + x]
          = (guint8) ((top * (4 - fy) + bottom * fy + 8) / 16);
    }
  }
  return dst;
}

static gboolean
is_word_text (const gchar *text)
{
  const gchar *p;

  /* Tesseract reports texture as words of punctuation ("|", "—", "~~"). */
  for (p = text; *p; p = g_utf8_next_char (p)) {
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  }
  return FALSE;
}

static void
read_text (ArticAnswererVision *vision, ArticAnswererFrame *frame,
    const guint8 *gray, guint width, guint height, guint stride, guint scale,
    TessPageSegMode mode)
{
  TessResultIterator *it;
  TessPageIterator *page;
  guint line = 0;
  gboolean started = FALSE;

  TessBaseAPISetPageSegMode (vision->tess, mode);
  TessBaseAPISetImage (
      vision->tess, gray, (int) width, (int) height, 1, (int) stride);
  TessBaseAPISetSourceResolution (vision->tess, 300);
  if (TessBaseAPIRecognize (vision->tess, NULL) != 0)
    goto done;
  it = TessBaseAPIGetIterator (vision->tess);
  if (it == NULL)
    goto done;
  page = TessResultIteratorGetPageIterator (it);
  do {
    char *text;
    int left, top, right, bottom;
    gchar *stripped;

    if (started && TessPageIteratorIsAtBeginningOf (page, RIL_TEXTLINE))
      line++;
    text = TessResultIteratorGetUTF8Text (it, RIL_WORD);
    if (text == NULL)
      continue;
    started = TRUE;
    stripped = g_strstrip (g_strdup (text));
    TessDeleteText (text);
    if (is_word_text (stripped)
        && TessPageIteratorBoundingBox (
            page, RIL_WORD, &left, &top, &right, &bottom)) {
      ArticAnswererWord *word = artic_answerer_word_new (stripped,
          TessResultIteratorConfidence (it, RIL_WORD), left / (gint) scale,
          top / (gint) scale, (right + (gint) scale - 1) / (gint) scale,
          (bottom + (gint) scale - 1) / (gint) scale, line);
      word->dictionary = TessResultIteratorWordIsFromDictionary (it) != 0;
      g_ptr_array_add (frame->words, word);
    }
    g_free (stripped);
  } while (TessResultIteratorNext (it, RIL_WORD));
  TessResultIteratorDelete (it);
done:
  TessBaseAPIClear (vision->tess);
}

static guint
count_alnum (const gchar *text)
{
  const gchar *p;
  guint n = 0;

  for (p = text; *p; p = g_utf8_next_char (p))
    n += g_unichar_isalnum (g_utf8_get_char (p)) ? 1 : 0;
  return n;
}

gboolean
artic_answerer_vision_word_is_good (const ArticAnswererWord *word)
{
  guint chars = count_alnum (word->text);

  if (chars == 0)
    return FALSE;
  if (word->confidence >= ARTIC_ANSWERER_VISION_MIN_CONFIDENCE)
    return TRUE;
  return word->dictionary
         && word->confidence >= ARTIC_ANSWERER_VISION_MIN_DICT_CONFIDENCE
         && chars >= ARTIC_ANSWERER_VISION_MIN_DICT_CHARS;
}

static gboolean
has_good_word (const ArticAnswererFrame *frame)
{
  guint i;

  for (i = 0; i < frame->words->len; i++) {
    const ArticAnswererWord *word = g_ptr_array_index (frame->words, i);
    if (artic_answerer_vision_word_is_good (word)
        && count_alnum (word->text) >= 3)
      return TRUE;
  }
  return FALSE;
}

/* Automatic layout analysis first: it drops most texture before
 * recognition, fast and clean on frames that are mostly text. But on camera
 * frames it often files a lone label under "picture" and reads nothing;
 * then the sparse-text mode, which looks for words everywhere, gets a try. */
static void
read_all_text (ArticAnswererVision *vision, ArticAnswererFrame *frame,
    const guint8 *gray, guint width, guint height, guint stride, guint scale)
{
  read_text (vision, frame, gray, width, height, stride, scale, PSM_AUTO);
  if (!has_good_word (frame)) {
    g_ptr_array_set_size (frame->words, 0);
    read_text (
        vision, frame, gray, width, height, stride, scale, PSM_SPARSE_TEXT);
  }
}

static void
read_codes (ArticAnswererVision *vision, ArticAnswererFrame *frame,
    const guint8 *gray, guint width, guint height)
{
  zbar_image_t *image = zbar_image_create ();
  const zbar_symbol_t *symbol;

  zbar_image_set_format (image, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (image, width, height);
  zbar_image_set_data (image, gray, (unsigned long) width * height, NULL);
  if (zbar_scan_image (vision->zbar, image) > 0) {
    for (symbol = zbar_image_first_symbol (image); symbol != NULL;
         symbol = zbar_symbol_next (symbol)) {
      const char *data = zbar_symbol_get_data (symbol);
      guint n = zbar_symbol_get_loc_size (symbol), i;
      gint x0 = G_MAXINT, y0 = G_MAXINT, x1 = 0, y1 = 0;

      if (data == NULL || !g_utf8_validate (data, -1, NULL) || n == 0)
        continue;
      for (i = 0; i < n; i++) {
        x0 = MIN (x0, zbar_symbol_get_loc_x (symbol, i));
        y0 = MIN (y0, zbar_symbol_get_loc_y (symbol, i));
        x1 = MAX (x1, zbar_symbol_get_loc_x (symbol, i) + 1);
        y1 = MAX (y1, zbar_symbol_get_loc_y (symbol, i) + 1);
      }
      g_ptr_array_add (frame->codes,
          artic_answerer_word_new (data, 100.0, x0, y0, x1, y1, 0));
    }
  }
  /* The data belongs to the caller; detach it before destroying. */
  zbar_image_set_data (image, NULL, 0, NULL);
  zbar_image_destroy (image);
}

ArticAnswererFrame *
artic_answerer_vision_read_gray (ArticAnswererVision *vision,
    const guint8 *gray, guint width, guint height, guint stride)
{
  ArticAnswererFrame *frame = artic_answerer_frame_new (width, height);
  guint8 *packed = NULL;
  guint y;

  g_return_val_if_fail (vision != NULL && gray != NULL, frame);
  if (width == 0 || height == 0)
    return frame;
  if (width < UPSCALE_BELOW_WIDTH) {
    guint8 *big = upscale2 (gray, width, height, stride);
    read_all_text (vision, frame, big, width * 2, height * 2, width * 2, 2);
    g_free (big);
  } else {
    read_all_text (vision, frame, gray, width, height, stride, 1);
  }
  /* zbar wants rows without padding. */
  if (stride != width) {
    packed = g_malloc ((gsize) width * height);
    for (y = 0; y < height; y++)
      memcpy (packed + (gsize) y * width, gray + (gsize) y * stride, width);
  }
  read_codes (vision, frame, packed ? packed : gray, width, height);
  g_free (packed);
  return frame;
}

static gboolean
read_be16 (const guint8 *data, gsize size, gsize pos, guint *value)
{
  if (pos + 2 > size)
    return FALSE;
  *value = ((guint) data[pos] << 8) | data[pos + 1];
  return TRUE;
}

/* Walks the JPEG marker segments up to the first start-of-frame. */
static gboolean
probe_jpeg (const guint8 *data, gsize size, guint *width, guint *height)
{
  gsize pos = 2;

  while (pos + 4 <= size) {
    guint marker, length;

    if (data[pos] != 0xff)
      return FALSE;
    while (pos < size && data[pos] == 0xff)
      pos++;
    if (pos >= size)
      return FALSE;
    marker = data[pos++];
    if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
      continue;
    if (marker == 0xd9 || marker == 0xda)
      return FALSE; /* image data before any frame header */
    if (!read_be16 (data, size, pos, &length) || length < 2)
      return FALSE;
    if ((marker >= 0xc0 && marker <= 0xcf) && marker != 0xc4 && marker != 0xc8
        && marker != 0xcc) {
      return length >= 7 && read_be16 (data, size, pos + 3, height)
             && read_be16 (data, size, pos + 5, width);
    }
    pos += length;
  }
  return FALSE;
}

gboolean
artic_answerer_vision_probe (const guint8 *data, gsize size,
    const gchar **format, guint *width, guint *height)
{
  static const guint8 png_magic[8]
      = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  guint w = 0, h = 0;
  const gchar *fmt = NULL;

  if (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff) {
    if (!probe_jpeg (data, size, &w, &h))
      return FALSE;
    fmt = "jpeg";
  } else if (size >= 24 && memcmp (data, png_magic, 8) == 0
             && memcmp (data + 12, "IHDR", 4) == 0) {
    /* PNG sizes are 31-bit; anything past MAX_DIM is refused below. */
    if (data[16] != 0 || data[17] != 0 || data[20] != 0 || data[21] != 0)
      return FALSE;
    w = ((guint) data[18] << 8) | data[19];
    h = ((guint) data[22] << 8) | data[23];
    fmt = "png";
  } else {
    return FALSE;
  }
  if (w == 0 || h == 0 || w > ARTIC_ANSWERER_VISION_MAX_DIM
      || h > ARTIC_ANSWERER_VISION_MAX_DIM)
    return FALSE;
  if (format)
    *format = fmt;
  if (width)
    *width = w;
  if (height)
    *height = h;
  return TRUE;
}

static gchar *
bus_error_message (GstElement *pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  gchar *text = NULL;

  if (msg != NULL) {
    GError *err = NULL;
    gst_message_parse_error (msg, &err, NULL);
    text = g_strdup (err->message);
    g_error_free (err);
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  return text;
}

/* Waits for the decoded frame, but gives up as soon as the decoder fails or
 * ends without one, instead of waiting out the whole timeout. */
static GstSample *
pull_decoded (GstElement *pipeline, GstElement *sink)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstClockTime waited = 0, step = 20 * GST_MSECOND;
  GstSample *sample = NULL;

  while (waited < DECODE_TIMEOUT) {
    GstMessage *msg;

    sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), step);
    if (sample != NULL || gst_app_sink_is_eos (GST_APP_SINK (sink)))
      break;
    msg = gst_bus_peek (bus);
    if (msg != NULL) {
      gboolean failed = GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR;
      gst_message_unref (msg);
      if (failed)
        break;
      gst_message_unref (gst_bus_pop (bus));
    }
    waited += step;
  }
  gst_object_unref (bus);
  return sample;
}

/* Decodes to @raw_format ("GRAY8" or "RGB", @bpp bytes a pixel), packed. */
static guint8 *
decode_to (const guint8 *data, gsize size, const gchar *raw_format, guint bpp,
    guint *width, guint *height, GError **error)
{
  const gchar *format;
  guint w, h;
  gchar *desc;
  GstElement *pipeline, *src, *sink;
  GstSample *sample;
  GstVideoInfo info;
  GstVideoFrame vframe;
  GstBuffer *buffer;
  guint8 *gray = NULL;
  GError *parse_error = NULL;

  if (!artic_answerer_vision_probe (data, size, &format, &w, &h)) {
    g_set_error (error, ARTIC_ANSWERER_VISION_ERROR,
        ARTIC_ANSWERER_VISION_ERROR_DECODE,
        "not a JPEG or PNG image of at most %dx%d pixels",
        ARTIC_ANSWERER_VISION_MAX_DIM, ARTIC_ANSWERER_VISION_MAX_DIM);
    return NULL;
  }
  desc = g_strdup_printf ("appsrc name=src caps=image/%s ! %s ! videoconvert "
                          "! video/x-raw,format=%s ! appsink name=sink "
                          "sync=false",
      format, g_str_equal (format, "jpeg") ? "jpegdec" : "pngdec", raw_format);
  pipeline = gst_parse_launch (desc, &parse_error);
  g_free (desc);
  if (pipeline == NULL || parse_error != NULL) {
    g_set_error (error, ARTIC_ANSWERER_VISION_ERROR,
        ARTIC_ANSWERER_VISION_ERROR_DECODE, "no image decoder: %s",
        parse_error ? parse_error->message : "unknown");
    g_clear_error (&parse_error);
    if (pipeline)
      gst_object_unref (pipeline);
    return NULL;
  }
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  gst_app_src_push_buffer (
      GST_APP_SRC (src), gst_buffer_new_memdup (data, size));
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  sample = pull_decoded (pipeline, sink);
  if (sample != NULL
      && gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
      && (buffer = gst_sample_get_buffer (sample)) != NULL
      && gst_video_frame_map (&vframe, &info, buffer, GST_MAP_READ)) {
    guint y, stride = GST_VIDEO_FRAME_PLANE_STRIDE (&vframe, 0);
    const guint8 *pixels = GST_VIDEO_FRAME_PLANE_DATA (&vframe, 0);

    *width = GST_VIDEO_INFO_WIDTH (&info);
    *height = GST_VIDEO_INFO_HEIGHT (&info);
    gsize row = (gsize) *width * bpp;

    gray = g_malloc (row * *height);
    for (y = 0; y < *height; y++)
      memcpy (gray + (gsize) y * row, pixels + (gsize) y * stride, row);
    gst_video_frame_unmap (&vframe);
  } else {
    gchar *why = bus_error_message (pipeline);
    g_set_error (error, ARTIC_ANSWERER_VISION_ERROR,
        ARTIC_ANSWERER_VISION_ERROR_DECODE, "the %s image does not decode%s%s",
        format, why ? ": " : "", why ? why : "");
    g_free (why);
  }
  if (sample)
    gst_sample_unref (sample);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return gray;
}

guint8 *
artic_answerer_vision_decode (
    const guint8 *data, gsize size, guint *width, guint *height, GError **error)
{
  return decode_to (data, size, "GRAY8", 1, width, height, error);
}

guint8 *
artic_answerer_vision_decode_rgb (
    const guint8 *data, gsize size, guint *width, guint *height, GError **error)
{
  return decode_to (data, size, "RGB", 3, width, height, error);
}

ArticAnswererFrame *
artic_answerer_vision_read (
    ArticAnswererVision *vision, const guint8 *data, gsize size, GError **error)
{
  guint width = 0, height = 0;
  guint8 *gray;
  ArticAnswererFrame *frame;

  gray = artic_answerer_vision_decode (data, size, &width, &height, error);
  if (gray == NULL)
    return NULL;
  frame = artic_answerer_vision_read_gray (vision, gray, width, height, width);
  g_free (gray);
  return frame;
}

/* ---- colours ------------------------------------------------------------ */

/* DeViBench lite's sign colours (devibench/artic-devibench-lite.c), the
 * names a question uses for them. */
static const ArticAnswererColour palette[] = {
  { "white", 0xf4, 0xf4, 0xf0, FALSE },
  { "yellow", 0xf2, 0xd6, 0x4b, FALSE },
  { "orange", 0xf0, 0x8c, 0x3a, FALSE },
  { "light blue", 0x9c, 0xc8, 0xee, FALSE },
  { "light green", 0xa8, 0xdc, 0x8c, FALSE },
  { "pink", 0xf2, 0xa8, 0xc8, FALSE },
  { "black", 0x18, 0x18, 0x18, TRUE },
  { "navy blue", 0x1c, 0x2a, 0x5a, TRUE },
  { "dark green", 0x1e, 0x4a, 0x2a, TRUE },
  { "dark red", 0x5a, 0x1a, 0x1a, TRUE },
};

/* What else people call them; a bare hue means the palette's only colour
 * of that hue family that a person would call by it. */
static const struct
{
  const gchar *name;
  guint colour;
} synonyms[] = {
  { "white", 0 },
  { "cream", 0 },
  { "yellow", 1 },
  { "gold", 1 },
  { "golden", 1 },
  { "orange", 2 },
  { "amber", 2 },
  { "light blue", 3 },
  { "pale blue", 3 },
  { "sky blue", 3 },
  { "baby blue", 3 },
  { "blue", 3 },
  { "light green", 4 },
  { "pale green", 4 },
  { "lime green", 4 },
  { "lime", 4 },
  { "green", 4 },
  { "pink", 5 },
  { "rose", 5 },
  { "black", 6 },
  { "navy blue", 7 },
  { "navy", 7 },
  { "dark blue", 7 },
  { "midnight blue", 7 },
  { "dark green", 8 },
  { "forest green", 8 },
  { "bottle green", 8 },
  { "dark red", 9 },
  { "maroon", 9 },
  { "burgundy", 9 },
  { "wine red", 9 },
  { "red", 9 },
};

/* A sampled pixel farther than this (weighted RGB distance) from its
 * nearest palette colour is scenery, not a sign. Signs are flat colours;
 * a looser 40 let the camera clip's orange box and skin join the signs
 * (lite-seed1, 30 clean items: 28 -> 17 right, 40 -> 16). */
#define COLOUR_MAX_DISTANCE 28
/* Grid step of the colour mask: signs are tens of pixels, this is 4x less
 * work than every pixel. */
#define COLOUR_STEP 2
/* Margin around a region when it is OCR'd, and the text height that
 * Tesseract's LSTM reads best (regions are enlarged towards it). */
#define REGION_MARGIN 6
#define REGION_UPSCALE_BELOW_HEIGHT 80
/* A side's outline point is on its line within this many grid cells (the
 * codec blurs an edge by a pixel or two); the line is refitted without
 * the points more than SIDE_KEEP_CELLS off the first fit. */
#define SIDE_ON_LINE_CELLS 1.0
#define SIDE_KEEP_CELLS 3.0
/* Any short side lies on a line: a side counts this many more points as
 * off its line, so a speck's 7-cell side scores at most 0.64 and a
 * screen's 60-cell side 0.94. */
#define SIDE_PRIOR_CELLS 4.0
/* Regions are ranked by pixels x straightness^this (sign_likeness). */
#define SIGN_STRAIGHTNESS_POWER 8

const ArticAnswererColour *
artic_answerer_vision_colour (guint index)
{
  return index < G_N_ELEMENTS (palette) ? &palette[index] : NULL;
}

/* TRUE when @name occurs in @lower at @at as whole words. */
static gboolean
name_at (const gchar *lower, const gchar *at, const gchar *name)
{
  gsize len = strlen (name);

  if (at != lower && g_ascii_isalnum (at[-1]))
    return FALSE;
  return !g_ascii_isalnum (at[len]);
}

gint
artic_answerer_vision_colour_in_text (const gchar *text)
{
  gchar *lower;
  gint best = -1;
  gsize best_len = 0;
  guint i;

  if (text == NULL)
    return -1;
  lower = g_ascii_strdown (text, -1);
  for (i = 0; i < G_N_ELEMENTS (synonyms); i++) {
    gsize len = strlen (synonyms[i].name);
    const gchar *at;

    /* Longest first: "navy blue" must not read as "blue". */
    if (len <= best_len)
      continue;
    for (at = strstr (lower, synonyms[i].name); at != NULL;
         at = strstr (at + 1, synonyms[i].name)) {
      if (name_at (lower, at, synonyms[i].name)) {
        best = (gint) synonyms[i].colour;
        best_len = len;
        break;
      }
    }
  }
  g_free (lower);
  return best;
}

static guint
squared_distance (const guint8 *px, const ArticAnswererColour *c)
{
  gint dr = px[0] - c->r, dg = px[1] - c->g, db = px[2] - c->b;

  /* Green weighs most in what the eye sees as different (as in luma). */
  return (guint) (2 * dr * dr + 4 * dg * dg + 3 * db * db) / 9;
}

/* TRUE when the pixel's nearest palette colour is @colour and it is close. */
static gboolean
pixel_is_colour (const guint8 *px, guint colour)
{
  guint i, best = 0, best_d = G_MAXUINT;

  for (i = 0; i < G_N_ELEMENTS (palette); i++) {
    guint d = squared_distance (px, &palette[i]);
    if (d < best_d) {
      best_d = d;
      best = i;
    }
  }
  return best == colour && best_d <= COLOUR_MAX_DISTANCE * COLOUR_MAX_DISTANCE;
}

/* Flood-fills the component of the mask at @start (4-neighbours), clearing
 * it and marking its cells @label in @labels, and returns its bounds in
 * grid cells. */
static void
take_component (guint8 *mask, guint *labels, guint label, guint gw, guint gh,
    guint start, guint *stack, guint *x0, guint *y0, guint *x1, guint *y1,
    guint *count)
{
  guint top = 0;

  *x0 = *x1 = start % gw;
  *y0 = *y1 = start / gw;
  *count = 0;
  mask[start] = 0;
  stack[top++] = start;
  while (top > 0) {
    guint cell = stack[--top], x = cell % gw, y = cell / gw;

    labels[cell] = label;
    (*count)++;
    *x0 = MIN (*x0, x);
    *x1 = MAX (*x1, x);
    *y0 = MIN (*y0, y);
    *y1 = MAX (*y1, y);
    if (x > 0 && mask[cell - 1]) {
      mask[cell - 1] = 0;
      stack[top++] = cell - 1;
    }
    if (x + 1 < gw && mask[cell + 1]) {
      mask[cell + 1] = 0;
      stack[top++] = cell + 1;
    }
    if (y > 0 && mask[cell - gw]) {
      mask[cell - gw] = 0;
      stack[top++] = cell - gw;
    }
    if (y + 1 < gh && mask[cell + gw]) {
      mask[cell + gw] = 0;
      stack[top++] = cell + gw;
    }
  }
}

/* Least-squares line through the points (i, v[i]) that are not NAN and,
 * after the first pass, within @keep of the previous line. */
static gboolean
fit_side (const gdouble *v, guint n, gdouble keep, gdouble *a, gdouble *b)
{
  gdouble si = 0, sv = 0, sii = 0, siv = 0, m = 0;
  guint i;

  for (i = 0; i < n; i++) {
    if (isnan (v[i]) || (keep > 0 && fabs (v[i] - (*a + *b * i)) > keep))
      continue;
    si += i;
    sv += v[i];
    sii += (gdouble) i * i;
    siv += i * v[i];
    m++;
  }
  if (m < 2 || m * sii - si * si <= 0)
    return FALSE;
  *b = (m * siv - si * sv) / (m * sii - si * si);
  *a = (sv - *b * si) / m;
  return TRUE;
}

/* Share of one side of a region's outline that lies on a straight line:
 * @v[i] is where the region begins, seen from that side, on row (or
 * column) i of its bounding box (NAN where the row has none of it). A
 * sign's edge is a line, so all of it is on one (a tilted sign too); the
 * edge of a shadow or of a dark piece of scenery wanders. Two passes:
 * the second ignores what lies far off the first line (a corner rounded
 * by the codec, a hand in front of the sign). */
static gdouble
side_straightness (const gdouble *v, guint n)
{
  gdouble a = 0, b = 0;
  guint i, on = 0, seen = 0;

  if (!fit_side (v, n, 0, &a, &b))
    return 0;
  fit_side (v, n, SIDE_KEEP_CELLS, &a, &b);
  for (i = 0; i < n; i++) {
    if (isnan (v[i]))
      continue;
    seen++;
    on += fabs (v[i] - (a + b * i)) <= SIDE_ON_LINE_CELLS;
  }
  return seen > 0 ? (gdouble) on / (seen + SIDE_PRIOR_CELLS) : 0;
}

/* For @n parallel lines across component @label's bounding box (line k
 * starts at cell @first + k * @line_step and walks @len cells @cell_step
 * apart): how far in from the line's start (@near) and end (@far) the
 * component begins; NAN where the line misses it. Rows give the left and
 * right sides, columns the top and bottom. */
static void
side_profiles (const guint *labels, guint label, gsize first, gsize line_step,
    gsize cell_step, guint n, guint len, gdouble *near, gdouble *far)
{
  guint k, m;

  for (k = 0; k < n; k++) {
    const guint *line = labels + first + k * line_step;

    near[k] = far[k] = NAN;
    for (m = 0; m < len; m++) {
      if (line[m * cell_step] != label)
        continue;
      if (isnan (near[k]))
        near[k] = m;
      far[k] = len - 1 - m;
    }
  }
}

/* How straight the outline of component @label (bounds in grid cells) is:
 * the mean straightness of its sides, leaving out the sides on the frame's
 * edge (a region cut by the frame is straight there whatever it is). */
static gdouble
region_straightness (const guint *labels, guint label, guint gw, guint gh,
    guint x0, guint y0, guint x1, guint y1)
{
  guint w = x1 - x0 + 1, h = y1 - y0 + 1, n = MAX (w, h), sides = 0;
  gsize first = (gsize) y0 * gw + x0;
  gdouble *near = g_new (gdouble, n), *far = g_new (gdouble, n), sum = 0;

  side_profiles (labels, label, first, gw, 1, h, w, near, far);
  if (x0 > 0 && ++sides)
    sum += side_straightness (near, h);
  if (x1 + 1 < gw && ++sides)
    sum += side_straightness (far, h);
  side_profiles (labels, label, first, 1, gw, w, h, near, far);
  if (y0 > 0 && ++sides)
    sum += side_straightness (near, w);
  if (y1 + 1 < gh && ++sides)
    sum += side_straightness (far, w);
  g_free (near);
  g_free (far);
  return sides > 0 ? sum / sides : 0;
}

/* How much a region looks like a sign: its size, weighted steeply by the
 * straightness of its outline. A sign is a compact rectangle; a dark
 * shadow, a dark piece of clothing or the dark corner of a room is often
 * far larger than any screen in the frame (3-16 % of it on the lite
 * suite's hand-held clip, against 0.3-0.7 % for the screens) but its
 * outline wanders: half as straight needs 256 times the pixels. */
static gdouble
sign_likeness (const ArticAnswererRegion *r)
{
  return r->pixels * pow (r->straightness, SIGN_STRAIGHTNESS_POWER);
}

static gint
compare_regions (gconstpointer a, gconstpointer b)
{
  gdouble la = sign_likeness (a), lb = sign_likeness (b);

  return la < lb ? 1 : la > lb ? -1 : 0;
}

/* A sign is a solid patch: big enough to hold text, smaller than most of
 * the frame, and mostly filled by its colour (not a thin streak of
 * scenery). */
static gboolean
plausible_sign (const ArticAnswererRegion *r, guint width, guint height)
{
  guint w = (guint) (r->x1 - r->x0), h = (guint) (r->y1 - r->y0);
  guint cells = (w / COLOUR_STEP) * (h / COLOUR_STEP);

  if (w < ARTIC_ANSWERER_VISION_MIN_REGION_W
      || h < ARTIC_ANSWERER_VISION_MIN_REGION_H)
    return FALSE;
  if (w > width / 2 || h > height / 2)
    return FALSE;
  return cells > 0 && r->pixels * 3 >= cells;
}

GArray *
artic_answerer_vision_colour_regions (
    const guint8 *rgb, guint width, guint height, guint stride, guint colour)
{
  GArray *regions = g_array_new (FALSE, FALSE, sizeof (ArticAnswererRegion));
  guint gw = width / COLOUR_STEP, gh = height / COLOUR_STEP, x, y, i;
  guint8 *mask;
  guint *stack, *labels;

  if (rgb == NULL || colour >= G_N_ELEMENTS (palette) || gw == 0 || gh == 0)
    return regions;
  mask = g_malloc ((gsize) gw * gh);
  for (y = 0; y < gh; y++) {
    const guint8 *row = rgb + (gsize) y * COLOUR_STEP * stride;
    for (x = 0; x < gw; x++)
      mask[(gsize) y * gw + x]
          = pixel_is_colour (row + (gsize) x * COLOUR_STEP * 3, colour);
  }
  stack = g_new (guint, (gsize) gw * gh);
  labels = g_new0 (guint, (gsize) gw * gh);
  for (i = 0; i < gw * gh; i++) {
    ArticAnswererRegion r;
    guint x0, y0, x1, y1, count;

    if (!mask[i])
      continue;
    take_component (
        mask, labels, i + 1, gw, gh, i, stack, &x0, &y0, &x1, &y1, &count);
    r.x0 = (gint) (x0 * COLOUR_STEP);
    r.y0 = (gint) (y0 * COLOUR_STEP);
    r.x1 = (gint) MIN ((x1 + 1) * COLOUR_STEP, width);
    r.y1 = (gint) MIN ((y1 + 1) * COLOUR_STEP, height);
    r.pixels = count;
    if (!plausible_sign (&r, width, height))
      continue;
    r.straightness
        = region_straightness (labels, i + 1, gw, gh, x0, y0, x1, y1);
    g_array_append_val (regions, r);
  }
  g_free (labels);
  g_free (stack);
  g_free (mask);
  g_array_sort (regions, compare_regions);
  if (regions->len > ARTIC_ANSWERER_VISION_MAX_REGIONS)
    g_array_set_size (regions, ARTIC_ANSWERER_VISION_MAX_REGIONS);
  return regions;
}

ArticAnswererFrame *
artic_answerer_vision_read_region (ArticAnswererVision *vision,
    const guint8 *gray, guint width, guint height, guint stride,
    const ArticAnswererRegion *region, gboolean dark)
{
  ArticAnswererFrame *frame = artic_answerer_frame_new (width, height);
  gint x0 = MAX (region->x0 - REGION_MARGIN, 0);
  gint y0 = MAX (region->y0 - REGION_MARGIN, 0);
  gint x1 = MIN (region->x1 + REGION_MARGIN, (gint) width);
  gint y1 = MIN (region->y1 + REGION_MARGIN, (gint) height);
  guint cw, ch, y, x, i, scale = 1;
  guint8 *crop;

  if (x1 <= x0 || y1 <= y0)
    return frame;
  cw = (guint) (x1 - x0);
  ch = (guint) (y1 - y0);
  crop = g_malloc ((gsize) cw * ch);
  for (y = 0; y < ch; y++) {
    const guint8 *src = gray + (gsize) (y0 + y) * stride + x0;
    for (x = 0; x < cw; x++)
      crop[(gsize) y * cw + x] = dark ? 255 - src[x] : src[x];
  }

  /* Small text reads better enlarged: 2x, and 4x for the smallest signs.
   * Signs hold one line, and the single-line mode reads low-contrast text
   * that the block mode drops (measured on lite-suite frames). */
  while (ch * scale < REGION_UPSCALE_BELOW_HEIGHT * 2 && scale < 4) {
    guint8 *big = upscale2 (crop, cw * scale, ch * scale, cw * scale);
    g_free (crop);
    crop = big;
    scale *= 2;
  }
  read_text (vision, frame, crop, cw * scale, ch * scale, cw * scale, scale,
      PSM_SINGLE_LINE);
  if (!has_good_word (frame)) {
    g_ptr_array_set_size (frame->words, 0);
    read_text (vision, frame, crop, cw * scale, ch * scale, cw * scale, scale,
        PSM_SPARSE_TEXT);
  }
  g_free (crop);
  for (i = 0; i < frame->words->len; i++) {
    ArticAnswererWord *word = g_ptr_array_index (frame->words, i);
    word->x0 += x0;
    word->x1 += x0;
    word->y0 += y0;
    word->y1 += y0;
  }
  return frame;
}

guint8 *
artic_answerer_vision_rgb_to_gray (const guint8 *rgb, guint width, guint height)
{
  gsize n = (gsize) width * height, i;
  guint8 *gray = g_malloc (MAX (n, 1));

  for (i = 0; i < n; i++) {
    const guint8 *px = rgb + i * 3;
    gray[i] = (guint8) ((77 * px[0] + 150 * px[1] + 29 * px[2] + 128) >> 8);
  }
  return gray;
}
