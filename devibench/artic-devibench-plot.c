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

#include "artic-devibench-plot.h"

#include <math.h>
#include <string.h>

#include <cairo.h>

#define PLOT_W 1040
#define PLOT_H 520
#define MARGIN_L 70
#define MARGIN_R 460
#define MARGIN_T 40
#define MARGIN_B 60
#define MAX_LINES 12

typedef struct
{
  cairo_t *cr;
  gdouble x0, x1, y0, y1; /* data range */
  gboolean log_x;
} Axes;

static const gdouble palette[][3] = {
  { 0.85, 0.20, 0.15 },
  { 0.10, 0.40, 0.80 },
  { 0.15, 0.60, 0.25 },
  { 0.55, 0.30, 0.70 },
  { 0.90, 0.55, 0.05 },
  { 0.30, 0.30, 0.30 },
};

static gdouble
px (const Axes *a, gdouble x)
{
  gdouble t = a->log_x ? (log (x) - log (a->x0)) / (log (a->x1) - log (a->x0))
                       : (x - a->x0) / (a->x1 - a->x0);

  return MARGIN_L + t * (PLOT_W - MARGIN_L - MARGIN_R);
}

static gdouble
py (const Axes *a, gdouble y)
{
  return PLOT_H - MARGIN_B
         - (y - a->y0) / (a->y1 - a->y0) * (PLOT_H - MARGIN_T - MARGIN_B);
}

static void
text_at (cairo_t *cr, gdouble x, gdouble y, const gchar *text, gdouble align)
{
  cairo_text_extents_t ext;

  cairo_text_extents (cr, text, &ext);
  cairo_move_to (cr, x - align * ext.width, y);
  cairo_show_text (cr, text);
}

static void
set_color (cairo_t *cr, guint i)
{
  const gdouble *c = palette[i % G_N_ELEMENTS (palette)];

  cairo_set_source_rgb (cr, c[0], c[1], c[2]);
}

/* White page, frame, title, axis labels and ticks. */
static void
draw_axes (Axes *a, const gchar *title, const gchar *xlabel,
    const gchar *ylabel, const gdouble *xticks, guint n_xticks, gint ydecimals)
{
  cairo_t *cr = a->cr;
  gchar buf[64];
  guint i;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_select_font_face (
      cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 13);
  cairo_set_line_width (cr, 1);
  for (i = 0; i <= 5; i++) {
    gdouble v = a->y0 + (a->y1 - a->y0) * i / 5.0;

    cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
    cairo_move_to (cr, MARGIN_L, py (a, v));
    cairo_line_to (cr, PLOT_W - MARGIN_R, py (a, v));
    cairo_stroke (cr);
    cairo_set_source_rgb (cr, 0, 0, 0);
    g_snprintf (buf, sizeof buf, "%.*f", ydecimals, v);
    text_at (cr, MARGIN_L - 6, py (a, v) + 4, buf, 1.0);
  }
  for (i = 0; i < n_xticks; i++) {
    if (xticks[i] < a->x0 || xticks[i] > a->x1)
      continue;
    cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
    cairo_move_to (cr, px (a, xticks[i]), MARGIN_T);
    cairo_line_to (cr, px (a, xticks[i]), PLOT_H - MARGIN_B);
    cairo_stroke (cr);
    cairo_set_source_rgb (cr, 0, 0, 0);
    g_snprintf (buf, sizeof buf, "%g", xticks[i]);
    text_at (cr, px (a, xticks[i]), PLOT_H - MARGIN_B + 18, buf, 0.5);
  }
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_rectangle (cr, MARGIN_L, MARGIN_T, PLOT_W - MARGIN_L - MARGIN_R,
      PLOT_H - MARGIN_T - MARGIN_B);
  cairo_stroke (cr);
  text_at (cr, (MARGIN_L + PLOT_W - MARGIN_R) / 2.0, PLOT_H - 18, xlabel, 0.5);
  cairo_set_font_size (cr, 15);
  text_at (cr, (MARGIN_L + PLOT_W - MARGIN_R) / 2.0, 24, title, 0.5);
  cairo_set_font_size (cr, 13);
  cairo_save (cr);
  cairo_translate (cr, 18, (MARGIN_T + PLOT_H - MARGIN_B) / 2.0);
  cairo_rotate (cr, -G_PI / 2);
  text_at (cr, 0, 0, ylabel, 0.5);
  cairo_restore (cr);
}

static void
legend (
    cairo_t *cr, guint slot, guint color, gboolean dashed, const gchar *label)
{
  gdouble x = PLOT_W - MARGIN_R + 12, y = MARGIN_T + 14 + slot * 20;
  gdouble dash[] = { 6, 4 };

  set_color (cr, color);
  cairo_set_line_width (cr, 2);
  cairo_set_dash (cr, dash, dashed ? 2 : 0, 0);
  cairo_move_to (cr, x, y - 4);
  cairo_line_to (cr, x + 24, y - 4);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  cairo_set_source_rgb (cr, 0, 0, 0);
  text_at (cr, x + 30, y, label, 0);
}

static gboolean
write_png (cairo_surface_t *surface, const gchar *path, GPtrArray *written,
    GError **error)
{
  cairo_status_t st = cairo_surface_write_to_png (surface, path);

  if (st != CAIRO_STATUS_SUCCESS) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: %s", path,
        cairo_status_to_string (st));
    return FALSE;
  }
  if (written != NULL)
    g_ptr_array_add (written, g_strdup (path));
  return TRUE;
}

static gint
row_kbps_cmp (gconstpointer a, gconstpointer b)
{
  const ArticDevibenchSummaryRow *x = *(ArticDevibenchSummaryRow *const *) a;
  const ArticDevibenchSummaryRow *y = *(ArticDevibenchSummaryRow *const *) b;

  return x->target_kbps < y->target_kbps ? -1 : x->target_kbps > y->target_kbps;
}

static gboolean
is_plain (const ArticDevibenchSummaryRow *r)
{
  return strcmp (r->trace, "none") == 0 && r->loss <= 0 && r->delay_ms == 0;
}

/* The accuracy plotted: over all items, or (@relative) over the items the
 * clean stream answered right. */
static gdouble
accuracy_of (const ArticDevibenchSummaryRow *r, gboolean relative)
{
  return relative ? r->ref_accuracy : r->accuracy;
}

static gboolean
plot_accuracy (const ArticDevibenchSummary *s, guint width, guint height,
    gboolean relative, const gchar *dir, GPtrArray *written, GError **error)
{
  static const gdouble ticks[]
      = { 50, 100, 200, 400, 800, 1600, 3200, 6400, 12800 };
  cairo_surface_t *surface
      = cairo_image_surface_create (CAIRO_FORMAT_RGB24, PLOT_W, PLOT_H);
  Axes a = { cairo_create (surface), 1e9, 0, 0, 100, TRUE };
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  gdouble clean = -1;
  gchar *title, *name, *path;
  guint i, k, slot = 0;
  gboolean ok;

  for (i = 0; i < s->rows->len; i++) {
    const ArticDevibenchSummaryRow *r = g_ptr_array_index (s->rows, i);
    gchar *key;
    gdouble x;

    if (r->width != width || r->height != height
        || accuracy_of (r, relative) < 0)
      continue;
    if (r->clean) {
      clean = 100 * accuracy_of (r, relative);
      continue;
    }
    if (!is_plain (r))
      continue;
    x = r->achieved_kbps > 0 ? r->achieved_kbps : r->target_kbps;
    a.x0 = MIN (a.x0, x);
    a.x1 = MAX (a.x1, x);
    key = g_strdup_printf ("%s\t%s", r->codec, r->roi);
    if (!g_ptr_array_find_with_equal_func (keys, key, g_str_equal, NULL)
        && keys->len < MAX_LINES)
      g_ptr_array_add (keys, key);
    else
      g_free (key);
  }
  /* A decade of room either side, rounded out to the ticks. */
  a.x0 = a.x0 / 1.3;
  a.x1 = a.x1 * 1.3;
  if (a.x1 <= a.x0)
    a.x0 = 50, a.x1 = 1000;
  title = g_strdup_printf (relative ? "Accuracy on clean-right items, %ux%u, "
                                      "no network"
                                    : "Accuracy vs achieved bitrate, %ux%u, "
                                      "no network",
      width, height);
  draw_axes (&a, title, "achieved kbit/s (log scale)", "accuracy (%)", ticks,
      G_N_ELEMENTS (ticks), 0);
  for (k = 0; k < keys->len; k++) {
    gchar **parts = g_strsplit (g_ptr_array_index (keys, k), "\t", 2);
    GPtrArray *pts = g_ptr_array_new ();
    gchar *label;

    for (i = 0; i < s->rows->len; i++) {
      ArticDevibenchSummaryRow *r = g_ptr_array_index (s->rows, i);

      if (r->width == width && r->height == height && !r->clean
          && accuracy_of (r, relative) >= 0 && is_plain (r)
          && strcmp (r->codec, parts[0]) == 0 && strcmp (r->roi, parts[1]) == 0)
        g_ptr_array_add (pts, r);
    }
    g_ptr_array_sort (pts, row_kbps_cmp);
    set_color (a.cr, k);
    cairo_set_line_width (a.cr, 2);
    for (i = 0; i < pts->len; i++) {
      ArticDevibenchSummaryRow *r = g_ptr_array_index (pts, i);
      gdouble x
          = px (&a, r->achieved_kbps > 0 ? r->achieved_kbps : r->target_kbps);
      gdouble y = py (&a, 100 * accuracy_of (r, relative));

      if (i == 0)
        cairo_move_to (a.cr, x, y);
      else
        cairo_line_to (a.cr, x, y);
    }
    cairo_stroke (a.cr);
    for (i = 0; i < pts->len; i++) {
      ArticDevibenchSummaryRow *r = g_ptr_array_index (pts, i);

      cairo_arc (a.cr,
          px (&a, r->achieved_kbps > 0 ? r->achieved_kbps : r->target_kbps),
          py (&a, 100 * accuracy_of (r, relative)), 4, 0, 2 * G_PI);
      cairo_fill (a.cr);
    }
    label = g_strdup_printf ("%s %s", parts[0],
        strcmp (parts[1], "off") == 0
            ? "uniform"
            : (strcmp (parts[1], "on") == 0 ? "ROI (model boxes)"
                                            : "ROI (oracle)"));
    legend (a.cr, slot++, k, FALSE, label);
    g_free (label);
    g_ptr_array_unref (pts);
    g_strfreev (parts);
  }
  if (clean >= 0) {
    gdouble dash[] = { 6, 4 };

    cairo_set_source_rgb (a.cr, 0, 0, 0);
    cairo_set_line_width (a.cr, 1.5);
    cairo_set_dash (a.cr, dash, 2, 0);
    cairo_move_to (a.cr, MARGIN_L, py (&a, clean));
    cairo_line_to (a.cr, PLOT_W - MARGIN_R, py (&a, clean));
    cairo_stroke (a.cr);
    cairo_set_dash (a.cr, NULL, 0, 0);
    legend (a.cr, slot++, 5, TRUE, "clean (no encoding)");
  }
  name = g_strdup_printf (
      relative ? "accuracy-clean-right-%ux%u.png" : "accuracy-%ux%u.png", width,
      height);
  path = g_build_filename (dir, name, NULL);
  ok = write_png (surface, path, written, error);
  g_free (path);
  g_free (name);
  g_free (title);
  g_ptr_array_unref (keys);
  cairo_destroy (a.cr);
  cairo_surface_destroy (surface);
  return ok;
}

static gint
double_cmp (gconstpointer a, gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

/* One step line per condition that has values. */
static gboolean
plot_cdf (const ArticDevibenchSummary *s, gboolean frames, const gchar *dir,
    GPtrArray *written, GError **error)
{
  static const gdouble ticks[] = { 10, 30, 100, 300, 1000, 3000, 10000 };
  cairo_surface_t *surface
      = cairo_image_surface_create (CAIRO_FORMAT_RGB24, PLOT_W, PLOT_H);
  Axes a = { cairo_create (surface), 1e12, 0, 0, 1, TRUE };
  gchar *path;
  guint i, j, line = 0;
  gboolean ok;

  for (i = 0; i < s->rows->len; i++) {
    ArticDevibenchSummaryRow *r = g_ptr_array_index (s->rows, i);
    GArray *v = frames ? r->frame_ms : r->answer_ms;

    for (j = 0; j < v->len; j++) {
      gdouble x = MAX (g_array_index (v, gdouble, j), 1.0);

      a.x0 = MIN (a.x0, x);
      a.x1 = MAX (a.x1, x);
    }
  }
  if (a.x1 <= 0) {
    a.x0 = 10;
    a.x1 = 1000;
  }
  a.x0 /= 1.3;
  a.x1 *= 1.3;
  if (a.x1 / a.x0 < 3)
    a.x1 = a.x0 * 3;
  draw_axes (&a,
      frames ? "Capture-to-model latency (per item median)"
             : "Answer latency (request to complete answer)",
      "milliseconds (log scale)", "fraction of items", ticks,
      G_N_ELEMENTS (ticks), 1);
  for (i = 0; i < s->rows->len && line < MAX_LINES; i++) {
    ArticDevibenchSummaryRow *r = g_ptr_array_index (s->rows, i);
    GArray *v = frames ? r->frame_ms : r->answer_ms, *sorted;

    if (v->len == 0)
      continue;
    sorted = g_array_sized_new (FALSE, FALSE, sizeof (gdouble), v->len);
    g_array_append_vals (sorted, v->data, v->len);
    g_array_sort (sorted, double_cmp);
    set_color (a.cr, line);
    cairo_set_line_width (a.cr, 2);
    cairo_move_to (
        a.cr, px (&a, MAX (g_array_index (sorted, gdouble, 0), 1)), py (&a, 0));
    for (j = 0; j < sorted->len; j++) {
      gdouble x = px (&a, MAX (g_array_index (sorted, gdouble, j), 1));

      cairo_line_to (a.cr, x, py (&a, (gdouble) j / sorted->len));
      cairo_line_to (a.cr, x, py (&a, (gdouble) (j + 1) / sorted->len));
    }
    cairo_stroke (a.cr);
    legend (a.cr, line, line, FALSE, r->condition);
    line++;
    g_array_unref (sorted);
  }
  path = g_build_filename (
      dir, frames ? "frame-latency-cdf.png" : "latency-cdf.png", NULL);
  ok = write_png (surface, path, written, error);
  g_free (path);
  cairo_destroy (a.cr);
  cairo_surface_destroy (surface);
  return ok;
}

gboolean
artic_devibench_plot_all (const ArticDevibenchSummary *summary,
    const gchar *dir, GPtrArray *written, GError **error)
{
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean ok = TRUE, network = FALSE, relative = FALSE;
  guint i, j;

  for (i = 0; i < summary->rows->len; i++) {
    ArticDevibenchSummaryRow *r = g_ptr_array_index (summary->rows, i);
    guint packed = (r->width << 16) | r->height;
    gboolean seen = FALSE;

    if (r->frame_ms->len > 0)
      network = TRUE;
    if (r->ref_accuracy >= 0)
      relative = TRUE;
    if (r->clean || !is_plain (r))
      continue;
    for (j = 0; j < sizes->len; j++)
      seen |= g_array_index (sizes, guint, j) == packed;
    if (!seen)
      g_array_append_val (sizes, packed);
  }
  for (i = 0; ok && i < sizes->len; i++) {
    guint packed = g_array_index (sizes, guint, i);

    ok = plot_accuracy (
        summary, packed >> 16, packed & 0xffff, FALSE, dir, written, error);
    if (ok && relative)
      ok = plot_accuracy (
          summary, packed >> 16, packed & 0xffff, TRUE, dir, written, error);
  }
  if (ok)
    ok = plot_cdf (summary, FALSE, dir, written, error);
  if (ok && network)
    ok = plot_cdf (summary, TRUE, dir, written, error);
  g_array_unref (sizes);
  return ok;
}
