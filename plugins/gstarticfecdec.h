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

#ifndef __GST_ARTIC_FEC_DEC_H__
#define __GST_ARTIC_FEC_DEC_H__

#include <gst/gst.h>

#include "artic-fec.h"

G_BEGIN_DECLS

#define GST_TYPE_ARTIC_FEC_DEC (gst_artic_fec_dec_get_type ())
G_DECLARE_FINAL_TYPE (
    GstArticFecDec, gst_artic_fec_dec, GST, ARTIC_FEC_DEC, GstElement);

struct _GstArticFecDec
{
  GstElement parent;

  GstPad *sinkpad;
  GstPad *srcpad;

  /* Under the object lock. */
  guint payload_type;
  ArticFecDecoder *decoder;
  GPtrArray
      *recovered; /* GBytes rebuilt by the packet at hand, emptied after it */
};

GST_ELEMENT_REGISTER_DECLARE (articfecdec);

G_END_DECLS

#endif /* __GST_ARTIC_FEC_DEC_H__ */
