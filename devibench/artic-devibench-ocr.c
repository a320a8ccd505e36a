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

/* Tesseract region reader. */

#include <math.h>

#include <tesseract/capi.h>

#include "artic-devibench-csv.h"
#include "artic-devibench-ocr.h"

/* Text about this tall (in pixels, after scaling) reads best. */
#define TARGET_HEIGHT 100.0
#define MAX_SCALE 6.0
#define MARGIN 0

struct _ArticDevibenchOcr
{
  TessBaseAPI *api;
};

ArticDevibenchOcr *
artic_devibench_ocr_new (GError **error)
{
  ArticDevibenchOcr *ocr = g_new0 (ArticDevibenchOcr, 1);

  ocr->api = TessBaseAPICreate ();
  /* Tesseract prints its diagnostics to stderr unless told otherwise. */
  TessBaseAPISetVariable (ocr->api, "debug_file", "/dev/null");
  if (TessBaseAPIInit3 (ocr->api, NULL, "eng") != 0) {
    g_set_error (error, ARTIC_DEVIBENCH_ERROR, ARTIC_DEVIBENCH_ERROR_VALUE,
        "cannot start Tesseract with English data "
        "(install tesseract-ocr-eng)");
    artic_devibench_ocr_free (ocr);
    return NULL;
  }
  TessBaseAPISetVariable (ocr->api, "debug_file", "/dev/null");
  TessBaseAPISetPageSegMode (ocr->api, PSM_SINGLE_LINE);
  return ocr;
}

void
artic_devibench_ocr_free (ArticDevibenchOcr *ocr)
{
  if (ocr == NULL)
    return;
  if (ocr->api != NULL) {
    TessBaseAPIEnd (ocr->api);
    TessBaseAPIDelete (ocr->api);
  }
  g_free (ocr);
}

/* Bilinear enlargement of a grey crop. */
static guint8 *
scale_crop (const guint8 *gray, gsize stride, gint x0, gint y0, gint w, gint h,
    gdouble scale, gint *out_w, gint *out_h)
{
  gint ow = MAX (1, (gint) lround (w * scale));
  gint oh = MAX (1, (gint) lround (h * scale));
  guint8 *out = g_malloc ((gsize) ow * oh);
  gint i, j;

  for (j = 0; j < oh; j++) {
    gdouble sy = CLAMP ((j + 0.5) / scale - 0.5, 0, h - 1);
    gint y = MIN ((gint) sy, h - 2 < 0 ? 0 : h - 2);
    gdouble fy = h > 1 ? sy - y : 0;

    for (i = 0; i < ow; i++) {
      gdouble sx = CLAMP ((i + 0.5) / scale - 0.5, 0, w - 1);
      gint x = MIN ((gint) sx, w - 2 < 0 ? 0 : w - 2);
      gdouble fx = w > 1 ? sx - x : 0;
      const guint8 *p = gray + (gsize) (y0 + y) * stride + x0 + x;
      gint dx = w > 1 ? 1 : 0;
      gsize dy = h > 1 ? stride : 0;
      gdouble top = p[0] * (1 - fx) + p[dx] * fx;
      gdouble bottom = p[dy] * (1 - fx) + p[dy + dx] * fx;

      out[(gsize) j * ow + i] = (guint8) lround (top * (1 - fy) + bottom * fy);
    }
  }
  *out_w = ow;
  *out_h = oh;
  return out;
}

gchar *
artic_devibench_ocr_read (ArticDevibenchOcr *ocr, const guint8 *gray,
    gsize stride, guint width, guint height, gint x, gint y, gint w, gint h,
    gint *confidence)
{
  gint x0 = CLAMP (x - MARGIN, 0, (gint) width);
  gint y0 = CLAMP (y - MARGIN, 0, (gint) height);
  gint x1 = CLAMP (x + w + MARGIN, 0, (gint) width);
  gint y1 = CLAMP (y + h + MARGIN, 0, (gint) height);
  gint cw = x1 - x0, ch = y1 - y0, sw, sh;
  gdouble scale;
  guint8 *crop;
  gchar *text, *copy;

  if (confidence != NULL)
    *confidence = 0;
  if (cw < 2 || ch < 2)
    return g_strdup ("");
  scale = CLAMP (TARGET_HEIGHT / ch, 1.0, MAX_SCALE);
  crop = scale_crop (gray, stride, x0, y0, cw, ch, scale, &sw, &sh);
  TessBaseAPISetImage (ocr->api, crop, sw, sh, 1, sw);
  TessBaseAPISetSourceResolution (ocr->api, 300);
  text = TessBaseAPIGetUTF8Text (ocr->api);
  if (confidence != NULL)
    *confidence = TessBaseAPIMeanTextConf (ocr->api);
  copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  TessDeleteText (text);
  TessBaseAPIClear (ocr->api);
  g_free (crop);
  return copy;
}
