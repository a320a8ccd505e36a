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

/* Tesseract as a reader of text regions: the lite suite's legibility
 * check (does the clean frame read? does the encoded one?). */

#ifndef __ARTIC_DEVIBENCH_OCR_H__
#define __ARTIC_DEVIBENCH_OCR_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ArticDevibenchOcr ArticDevibenchOcr;

/* English, LSTM engine, single-line page segmentation. Fails if the
 * tesseract-ocr-eng data is missing. */
ArticDevibenchOcr *artic_devibench_ocr_new (GError **error);
void artic_devibench_ocr_free (ArticDevibenchOcr *ocr);

/* Reads the text in the rectangle (x, y, w, h) of an 8-bit grey image,
 * with a small margin around it. The crop is enlarged so that the text is
 * about 100 pixels tall, where Tesseract reads best. Returns the text
 * (g_free, never NULL) and, if @confidence is not NULL, Tesseract's mean
 * word confidence (0-100). */
gchar *artic_devibench_ocr_read (ArticDevibenchOcr *ocr, const guint8 *gray,
    gsize stride, guint width, guint height, gint x, gint y, gint w, gint h,
    gint *confidence);

G_END_DECLS

#endif /* __ARTIC_DEVIBENCH_OCR_H__ */
