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

/* Element registration, shared by the loadable plugin and by the artic
 * programs, which register the same elements statically so that they run
 * from the build tree without GST_PLUGIN_PATH. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstarticelements.h"
#include "gstarticabscapturetime.h"
#include "gstarticconceal.h"
#include "gstarticenc.h"
#include "gstarticmllmsink.h"
#include "gstarticpeer.h"
#include "gstarticpeersrc.h"
#include "gstarticroi.h"
#include "gstarticsampler.h"
#include "gstarticstamp.h"
#include "gstarticrtcpdemux.h"
#include "gstarticframemark.h"
#include "gstarticfecenc.h"
#include "gstarticfecdec.h"

gboolean
gst_artic_elements_register (GstPlugin *plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (articstamp, plugin);
  ret |= GST_ELEMENT_REGISTER (articsampler, plugin);
  ret |= GST_ELEMENT_REGISTER (articabscapturetime, plugin);
  ret |= GST_ELEMENT_REGISTER (articenc, plugin);
  ret |= GST_ELEMENT_REGISTER (articmllmsink, plugin);
  ret |= GST_ELEMENT_REGISTER (articroi, plugin);
  ret |= GST_ELEMENT_REGISTER (articconceal, plugin);
  ret |= GST_ELEMENT_REGISTER (articrtcpdemux, plugin);
  ret |= GST_ELEMENT_REGISTER (articframemark, plugin);
  ret |= GST_ELEMENT_REGISTER (articpeer, plugin);
  ret |= GST_ELEMENT_REGISTER (articpeersrc, plugin);
  ret |= GST_ELEMENT_REGISTER (articfecenc, plugin);
  ret |= GST_ELEMENT_REGISTER (articfecdec, plugin);
  return ret;
}

gboolean
gst_artic_elements_register_static (void)
{
  /* A registry scan without the scanner process (GST_REGISTRY_FORK=no) may
   * already have loaded the installed plugin into this process; its types
   * are these same elements, and registering them twice would fail. */
  if (g_type_from_name ("GstArticStamp") != 0)
    return TRUE;
  return gst_plugin_register_static (GST_VERSION_MAJOR, GST_VERSION_MINOR,
      "artic", "artic real-time video for AI video chat",
      gst_artic_elements_register, VERSION, GST_LICENSE, "artic",
      GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN);
}
