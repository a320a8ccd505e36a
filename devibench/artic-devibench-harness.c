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

#include "artic-devibench-harness.h"
#include "devibench-cli.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <json-glib/json-glib.h>

#include "artic-devibench-csv.h"
#include "artic-devibench-lite.h"
#include "artic-devibench-plot.h"
#include "artic-devibench-render.h"
#include "artic-devibench-run.h"
#include "artic-devibench-score.h"
#include "artic-chunk-cache.h"
#include "artic-jpeg.h"
#include "artic-mllm-client.h"
#include "artic-roi-box.h"
#include "artic-sender.h"
#include "gstarticelements.h"
#include "gstarticroi.h"

#define PROGRAM "devibench"
#define EXIT_USAGE 2

#ifndef ARTIC_DEVIBENCH_MEDIA_DIR
#define ARTIC_DEVIBENCH_MEDIA_DIR "data/media"
#endif
#ifndef ARTIC_DEVIBENCH_BIN_DIR
#define ARTIC_DEVIBENCH_BIN_DIR ""
#endif

/* The model samples 2 frames per second (Qwen2.5-VL's default, and the
 * receiver's); a segment is 5 s, as in DeViBench. */
#define SAMPLE_RATE 2
#define SEGMENT_S 5.0
#define FPS 30
#define JPEG_QUALITY 85
/* ZeCoStream's box request: predict the next 3 sampled frames. */
#define BOX_PROMPT                                                      \
  "Predict the bounding box of the region relevant to the question in " \
  "the next 3 frames, as [[x_min,y_min],[x_max,y_max]] in 0..1000.\n"   \
  "Question:\n%s"
/* --roi-boxes follow: where the region is in the newest frame; articroi
 * finds it again in the frames encoded since (ArticRoiFollow). */
#define FOLLOW_PROMPT                                                    \
  "Give the bounding box of the region relevant to the question in the " \
  "last frame, as [[x_min,y_min],[x_max,y_max]] in 0..1000.\n"           \
  "Question:\n%s"
/* artic-recv's --handed-log in its frames folder: each sampled frame's
 * capture time, one line per frame-NNNNN.jpg, written before the JPEG. */
#define HANDED_LOG "handed.csv"
#define PULL_STEP (100 * GST_MSECOND)
#define PULL_TIMEOUT (120 * GST_SECOND)
#define MAX_WORKERS 16
#define MAX_ANSWERERS 4
/* Network runs: how long each program may take beyond the segment. */
#define NET_SEND_TIMEOUT_S 20
#define NET_RECV_TIMEOUT_S 120
#define ANSWERER_START_TIMEOUT_S 20
/* How much lower the CPU priority of the answerers started for a run with
 * network conditions is than the harness's (see start_answerers). */
#define ANSWERER_NICE 10

/* ---- options ---- */

typedef struct
{
  gchar *suite, *csv, *videos, *out, *endpoint, *model, *judge, *judge_model,
      *media_dir, *bin_dir, *shard, *items_arg;
  gchar *codecs, *bitrates, *sizes, *roi, *traces, *loss, *delay;
  gchar *transport;     /* network conditions: "session" or "rtp" */
  gchar **send_args;    /* network conditions: more artic-send options */
  gchar *encoder_props; /* in one process: more articenc properties */
  gchar *roi_boxes;     /* "follow", "predict" or NULL (the mode's default) */
  gchar *model_frames;  /* in one process: "cache" (as artic-recv) or
                        * "newest" */
  gint jobs, limit, image_size, frame_window, answerers;
  gdouble roi_period, roi_delay;
  gboolean retry_errors, quiet, no_plots;
  gboolean keep_frames; /* the JPEGs the model got stay in DIR/work */
  /* lite-select: the question is also asked about each of its images
   * alone (Outcome.frame_answers) */
  gboolean each_frame;
} Options;

/* ---- one question to run ---- */

typedef struct
{
  gchar *id;
  gchar *prompt; /* the authors' prompt with the question */
  gchar *question, *expected, *task_type;
  ArticDevibenchVersion version;
  ArticDevibenchLiteItem *lite; /* lite mode */
  gchar *video;                 /* real mode: the video file */
  gdouble start;                /* real mode: segment start, s */
  gchar *error;                 /* cannot run at all (bad row, no video) */
} WorkItem;

static void
work_item_free (WorkItem *w)
{
  g_free (w->id);
  g_free (w->prompt);
  g_free (w->question);
  g_free (w->expected);
  g_free (w->task_type);
  artic_devibench_lite_item_free (w->lite);
  g_free (w->video);
  g_free (w->error);
  g_free (w);
}

typedef struct
{
  gchar *answer;
  gboolean correct;
  gchar *error;
  gdouble achieved_kbps, answer_ms, frame_p50_ms, frame_p95_ms;
  guint box_requests, boxes_found;
  /* ROI diagnostics, lite items in one process (-1: not measured): replies
   * whose box covers at least half of the target sign in the frame asked
   * about, and the mean part of the sign inside the box in force over the
   * frames the answer's frames are encoded from */
  gint boxes_on_target;
  gdouble target_coverage;
  /* the mean area of the box in force over the same frames, as a share of
   * the frame (0 where there is none): a box can cover the sign by being
   * large, and then spends the bits on background */
  gdouble box_area;
  gdouble encoded_frames; /* frames out of the encoder (-1: unknown) */
  gdouble elapsed_s;
  const gchar *scoring; /* exact, letter or judge */
  /* With Options.each_frame: the answers about each image of the
   * question's alone, oldest first (NULL otherwise). */
  GPtrArray *frame_answers;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_free (o->answer);
  g_free (o->error);
  if (o->frame_answers != NULL)
    g_ptr_array_unref (o->frame_answers);
}

typedef struct
{
  Options *opt;
  GPtrArray *items;      /* WorkItem* */
  GPtrArray *conditions; /* ArticDevibenchCondition* */
  GArray *units;         /* guint64: item index << 32 | condition index */
  GPtrArray *endpoints;  /* gchar*: one per answerer, or the given one */
  GPtrArray *answerers;  /* GSubprocess* we started */
  gchar *work_dir, *clip_dir;
  gchar *token_path; /* the session's bearer token (never printed) */
  GMutex lock;
  FILE *results;
  guint done, errors, correct, total;
  gint64 t0;
  gboolean tty;
  GHashTable *clips_busy; /* item ids being rendered to a file */
  GCond clip_cond;
} Run;

static gboolean G_GNUC_PRINTF (2, 3)
    fail (GError **error, const gchar *format, ...)
{
  va_list args;
  gchar *msg;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, msg);
  g_free (msg);
  return FALSE;
}

/* ---- the items ---- */

static gchar *
one_line (const gchar *text)
{
  gchar *s = g_strdup (text), *p;

  for (p = s; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  return s;
}

static GPtrArray *
load_lite_items (const Options *o, GError **error)
{
  gchar *path = g_build_filename (o->suite, "manifest.json", NULL);
  ArticDevibenchLiteSuite *suite
      = artic_devibench_lite_suite_load (path, error);
  GPtrArray *out;
  guint i;

  g_free (path);
  if (suite == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) work_item_free);
  for (i = 0; i < suite->items->len; i++) {
    ArticDevibenchLiteItem *li = g_ptr_array_index (suite->items, i);
    WorkItem *w = g_new0 (WorkItem, 1);

    w->id = g_strdup (li->id);
    w->question = g_strdup (li->question);
    w->expected = g_strdup (li->answer);
    w->task_type = g_strdup (li->task_type);
    w->version = ARTIC_DEVIBENCH_V2;
    w->prompt = artic_devibench_prompt_v2 (li->question);
    w->lite = artic_devibench_lite_item_copy (li);
    g_ptr_array_add (out, w);
  }
  artic_devibench_lite_suite_free (suite);
  return out;
}

/* StreamingBench's folders name a video after its sample: SAMPLE.mp4,
 * sample_SAMPLE.mp4 or SAMPLE/video.mp4 (and .mkv/.webm). */
static gchar *
find_video (const gchar *dir, const gchar *sample)
{
  static const gchar *const prefixes[] = { "", "sample_", "", "", "" };
  static const gchar *const suffixes[]
      = { ".mp4", ".mp4", "/video.mp4", ".mkv", ".webm" };
  guint i;

  if (strchr (sample, '/') != NULL || strstr (sample, "..") != NULL)
    return NULL;
  for (i = 0; i < G_N_ELEMENTS (prefixes); i++) {
    gchar *name = g_strconcat (prefixes[i], sample, suffixes[i], NULL);
    gchar *path = g_build_filename (dir, name, NULL);

    g_free (name);
    if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
      return path;
    g_free (path);
  }
  return NULL;
}

static GPtrArray *
load_real_items (const Options *o, GError **error)
{
  ArticDevibenchSet *set = artic_devibench_set_load_file (o->csv, error);
  GPtrArray *out;
  guint i;

  if (set == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) work_item_free);
  for (i = 0; i < set->items->len; i++) {
    ArticDevibenchItem *it = g_ptr_array_index (set->items, i);
    WorkItem *w = g_new0 (WorkItem, 1);

    /* Row numbers are stable across runs of the same file. */
    w->id = g_strdup_printf ("line-%u", it->line);
    w->question = g_strdup (it->question);
    w->expected = g_strdup (it->answer);
    w->task_type = g_strdup (it->task_type);
    w->version = set->version;
    w->prompt = artic_devibench_item_prompt (set->version, it);
    w->start = it->start_time;
    w->video = find_video (o->videos, it->sample);
    if (w->video == NULL)
      w->error = g_strdup_printf ("video '%s' not found in %s (tried "
                                  "%s.mp4, sample_%s.mp4, %s/video.mp4, "
                                  "%s.mkv, %s.webm)",
          it->sample, o->videos, it->sample, it->sample, it->sample, it->sample,
          it->sample);
    g_ptr_array_add (out, w);
  }
  /* A row that did not load is still a result: an error with its line. */
  for (i = 0; i < set->errors->len; i++) {
    const gchar *msg = g_ptr_array_index (set->errors, i);
    WorkItem *w = g_new0 (WorkItem, 1);
    guint line = 0;

    if (sscanf (msg, "line %u", &line) != 1)
      line = 0;
    w->id = line > 0 ? g_strdup_printf ("line-%u", line)
                     : g_strdup_printf ("bad-row-%u", i + 1);
    w->question = g_strdup ("");
    w->expected = g_strdup ("");
    w->task_type = g_strdup ("unknown");
    w->prompt = g_strdup ("");
    w->error = g_strdup_printf ("unreadable CSV row: %s", msg);
    g_ptr_array_add (out, w);
  }
  artic_devibench_set_free (set);
  return out;
}

/* ---- the stack, in one process (bitrate-only conditions) ---- */

typedef struct
{
  const gchar *name, *depayloader, *decoder;
} Codec;

/* The depayloaders and decoders artic-recv uses (receiver/artic-recv-codec.c). */
static const Codec codecs[] = {
  { "vp8", "rtpvp8depay", "vp8dec" },
  { "vp9", "rtpvp9depay", "vp9dec" },
  { "h264", "rtph264depay", "avdec_h264" },
};

static const Codec *
codec_lookup (const gchar *name)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (codecs); i++)
    if (g_strcmp0 (codecs[i].name, name) == 0)
      return &codecs[i];
  return &codecs[0];
}

/* The sender's own pipeline from its capture stamp to its payloader
 * (articroi as --roi-boxes-file sets it, articenc with the sender's
 * settings, the payloader with its MTU), cut out of the description
 * artic-send builds, so that the two can never drift apart. @encoder_props
 * (NULL: none) go to articenc after its own settings, so they win. */
static gchar *
sender_part (const ArticDevibenchCondition *c, const gchar *encoder_props,
    GError **error)
{
  static const gchar from[] = "articstamp name=stamp";
  /* The payloader is followed by the RTP session (or, before it, the
   * socket). */
  static const gchar *const ends[] = { " ! session.", " ! udpsink" };
  ArticSenderConfig config;
  gchar *desc, *start, *end = NULL, *part = NULL;
  guint i;

  artic_sender_config_init (&config);
  config.source_kind = ARTIC_SOURCE_PATTERN;
  g_free (config.source); /* the default pattern's copy */
  config.source = g_strdup ("black");
  g_free (config.codec);
  config.codec = g_strdup (c->codec);
  config.bitrate_kbps = c->bitrate_kbps;
  config.width = c->width;
  config.height = c->height;
  config.fps = FPS;
  config.roi = c->roi != ARTIC_DEVIBENCH_ROI_OFF ? ARTIC_SENDER_ROI_BOXES
                                                 : ARTIC_SENDER_ROI_OFF;
  /* No RTCP comes back in one process: reference control would wait for
   * acknowledgements that never arrive. Nothing is lost either. */
  config.feedback = FALSE;
  desc = artic_sender_pipeline_description (&config);
  start = desc != NULL ? strstr (desc, from) : NULL;
  for (i = 0; start != NULL && end == NULL && i < G_N_ELEMENTS (ends); i++)
    end = strstr (start, ends[i]);
  if (end != NULL)
    part = g_strndup (
        start + strlen (from), (gsize) (end - start) - strlen (from));
  if (part != NULL && encoder_props != NULL) {
    gchar *enc = strstr (part, "articenc ");
    gchar *enc_end = enc != NULL ? strstr (enc, " ! ") : NULL;
    gchar *with = enc_end != NULL ? g_strdup_printf ("%.*s %s%s",
                      (int) (enc_end - part), part, encoder_props, enc_end)
                                  : NULL;

    g_free (part);
    part = with;
  }
  if (part == NULL)
    fail (error, "the sender's pipeline has no '%s ... ! session.' part: %s",
        from, desc != NULL ? desc : "(none)");
  g_free (desc);
  artic_sender_config_clear (&config);
  return part;
}

/* Everything after the source: the sender's scaling, articroi and articenc,
 * RTP out and back in, the receiver's decoder and the model-rate sampler. */
static gchar *
stack_tail (const ArticDevibenchCondition *c, const gchar *encoder_props,
    GError **error)
{
  const Codec *codec;
  gchar *sender, *tail;

  if (c->clean)
    return g_strdup_printf (
        "videoconvert ! videoscale ! videorate ! "
        "video/x-raw,format=I420,width=%u,height=%u,framerate=%d/1,"
        "pixel-aspect-ratio=1/1 ! articsampler name=sampler rate=%d ! "
        "appsink name=sink sync=false max-buffers=4",
        c->width, c->height, FPS, SAMPLE_RATE);
  if ((sender = sender_part (c, encoder_props, error)) == NULL)
    return NULL;
  codec = codec_lookup (c->codec);
  /* No clocksync: bitrate-only conditions run faster than real time. */
  tail = g_strdup_printf (
      "videoconvert ! videoscale ! videorate ! "
      "video/x-raw,format=I420,width=%u,height=%u,framerate=%d/1,"
      "pixel-aspect-ratio=1/1%s ! %s ! %s ! videoconvert ! "
      "articsampler name=sampler rate=%d ! videoconvert ! "
      "video/x-raw,format=I420 ! appsink name=sink sync=false max-buffers=4",
      c->width, c->height, FPS, sender, codec->depayloader, codec->decoder,
      SAMPLE_RATE);
  g_free (sender);
  return tail;
}

/* A real video's 5-second segment: decoded from the start, frames before
 * the segment dropped, time stamps rebased to 0, EOS at its end (as the
 * lite renderer does). */
typedef struct
{
  GstClockTime start, end;
  gboolean eos_sent;
} Trim;

static GstPadProbeReturn
trim_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Trim *t = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime pts = GST_BUFFER_PTS (buf);

  if (!GST_CLOCK_TIME_IS_VALID (pts))
    return GST_PAD_PROBE_OK;
  if (pts + 20 * GST_MSECOND < t->start)
    return GST_PAD_PROBE_DROP;
  if (pts >= t->end) {
    if (!t->eos_sent) {
      t->eos_sent = TRUE;
      gst_pad_send_event (pad, gst_event_new_eos ());
    }
    return GST_PAD_PROBE_DROP;
  }
  buf = gst_buffer_make_writable (buf);
  GST_BUFFER_PTS (buf) = pts > t->start ? pts - t->start : 0;
  GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
  GST_PAD_PROBE_INFO_DATA (info) = buf;
  return GST_PAD_PROBE_OK;
}

static GstElement *
segment_pipeline (
    const WorkItem *w, const gchar *tail, Trim *trim, GError **error)
{
  gchar *escaped = g_strescape (w->video, NULL);
  gchar *desc = g_strdup_printf (
      "filesrc location=\"%s\" ! decodebin ! videoconvert name=trim ! %s",
      escaped, tail);
  GstElement *pipeline, *e;
  GstPad *pad;

  pipeline
      = gst_parse_launch_full (desc, NULL, GST_PARSE_FLAG_FATAL_ERRORS, error);
  g_free (desc);
  g_free (escaped);
  if (pipeline == NULL)
    return NULL;
  trim->start = (GstClockTime) (w->start * GST_SECOND);
  trim->end = trim->start + (GstClockTime) (SEGMENT_S * GST_SECOND);
  trim->eos_sent = FALSE;
  e = gst_bin_get_by_name (GST_BIN (pipeline), "trim");
  pad = gst_element_get_static_pad (e, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, trim_probe, trim, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
  return pipeline;
}

/* The feedback loop of the ROI condition: frames at the encoder's input wait
 * until the boxes the model returned about earlier frames have been set,
 * so that (faster than real time) every frame is encoded with exactly the
 * boxes that would have arrived by its capture time. */
typedef struct
{
  GMutex lock;
  GCond cond;
  GstClockTime released_until; /* frames before it may be encoded */
  gboolean cancelled;
  /* oracle: the renderer's target box */
  ArticDevibenchRender *render;
  GstElement *roi;
  guint width, height;
  /* achieved bitrate */
  guint64 bytes, frames;
  GstClockTime last_pts;
  /* ROI diagnostics: how much of the target sign the boxes articroi
   * encodes each frame with cover (and their area), frame by frame from
   * COVERAGE_FROM until COVERAGE_UNTIL */
  gdouble coverage_sum, area_sum;
  guint coverage_n;
} Stack;

/* The answer's frames are those sampled at 3.5, 4.0 and 4.5 s; the frames
 * from 3.0 s on are what they are coded from (and what the last two box
 * replies steer). Frames after the question's (a stream runs on to 5 s)
 * reach no answer, and no reply predicts that far. */
#define COVERAGE_FROM (3 * GST_SECOND)
#define COVERAGE_UNTIL \
  ((GstClockTime) ((SEGMENT_S - 0.5 + 0.5 / FPS) * GST_SECOND))

/* The part of the target sign's drawn rectangle at @pts that lies inside
 * @box (0..1000 of the frame); -1 without a target there. */
static gdouble
target_coverage (
    ArticDevibenchRender *render, GstClockTime pts, const ArticRoiBox *box)
{
  gint x, y, w, h;
  gdouble x0, y0, x1, y1, ix, iy;

  if (render == NULL
      || !artic_devibench_render_target_box (render, pts, &x, &y, &w, &h)
      || w <= 0 || h <= 0)
    return -1;
  x0 = box->x_min * ARTIC_DEVIBENCH_LITE_WIDTH / 1000.0;
  x1 = box->x_max * ARTIC_DEVIBENCH_LITE_WIDTH / 1000.0;
  y0 = box->y_min * ARTIC_DEVIBENCH_LITE_HEIGHT / 1000.0;
  y1 = box->y_max * ARTIC_DEVIBENCH_LITE_HEIGHT / 1000.0;
  ix = MIN (x + w, x1) - MAX (x, x0);
  iy = MIN (y + h, y1) - MAX (y, y0);
  return ix > 0 && iy > 0 ? ix * iy / ((gdouble) w * h) : 0.0;
}

/* @box's part of the frame, 0..1. */
static gdouble
box_area (const ArticRoiBox *box)
{
  gdouble w = CLAMP (box->x_max, 0, 1000) - CLAMP (box->x_min, 0, 1000);
  gdouble h = CLAMP (box->y_max, 0, 1000) - CLAMP (box->y_min, 0, 1000);

  return w > 0 && h > 0 ? w * h / 1e6 : 0.0;
}

static GstPadProbeReturn
feedback_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Stack *s = user_data;
  GstClockTime pts = GST_BUFFER_PTS (GST_PAD_PROBE_INFO_BUFFER (info));

  g_mutex_lock (&s->lock);
  while (!s->cancelled && GST_CLOCK_TIME_IS_VALID (pts)
         && pts >= s->released_until)
    g_cond_wait (&s->cond, &s->lock);
  g_mutex_unlock (&s->lock);
  return GST_PAD_PROBE_OK;
}

static void
stack_release (Stack *s, GstClockTime until, gboolean cancel)
{
  g_mutex_lock (&s->lock);
  s->released_until = until;
  s->cancelled |= cancel;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
}

/* The oracle: the target sign's drawn rectangle, padded as the answerer pads
 * its boxes (a quarter of the height on every side), on every frame. */
static GstPadProbeReturn
oracle_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Stack *s = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  gint x, y, w, h;

  if (artic_devibench_render_target_box (
          s->render, GST_BUFFER_PTS (buf), &x, &y, &w, &h)) {
    gdouble pad_px = h / 4.0;
    gdouble sx = 1000.0 / ARTIC_DEVIBENCH_LITE_WIDTH;
    gdouble sy = 1000.0 / ARTIC_DEVIBENCH_LITE_HEIGHT;
    gchar *json = g_strdup_printf ("[[[%d,%d],[%d,%d]]]",
        (gint) CLAMP ((x - pad_px) * sx, 0, 1000),
        (gint) CLAMP ((y - pad_px) * sy, 0, 1000),
        (gint) CLAMP ((x + w + pad_px) * sx, 0, 1000),
        (gint) CLAMP ((y + h + pad_px) * sy, 0, 1000));

    g_object_set (s->roi, "boxes", json, NULL);
    g_free (json);
  }
  return GST_PAD_PROBE_OK;
}

/* The union of articroi's regions on @buf (its region-of-interest metas),
 * normalized; FALSE where it named none (a uniform map). */
static gboolean
roi_meta_union (GstBuffer *buf, guint width, guint height, ArticRoiBox *out)
{
  GQuark ours = g_quark_from_static_string (GST_ARTIC_ROI_META_TYPE);
  GstVideoRegionOfInterestMeta *meta;
  gpointer state = NULL;
  gboolean any = FALSE;

  while (
      (meta
          = (GstVideoRegionOfInterestMeta *) gst_buffer_iterate_meta_filtered (
              buf, &state, GST_VIDEO_REGION_OF_INTEREST_META_API_TYPE))
      != NULL) {
    ArticRoiBox b;

    if (meta->roi_type != ours || width == 0 || height == 0)
      continue;
    b.x_min = meta->x * 1000.0 / width;
    b.y_min = meta->y * 1000.0 / height;
    b.x_max = (meta->x + meta->w) * 1000.0 / width;
    b.y_max = (meta->y + meta->h) * 1000.0 / height;
    if (any) {
      b.x_min = MIN (b.x_min, out->x_min);
      b.y_min = MIN (b.y_min, out->y_min);
      b.x_max = MAX (b.x_max, out->x_max);
      b.y_max = MAX (b.y_max, out->y_max);
    }
    *out = b;
    any = TRUE;
  }
  return any;
}

/* On articroi's output: the boxes this frame is encoded with, against where
 * the target sign is in it. */
static GstPadProbeReturn
coverage_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Stack *s = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime pts = GST_BUFFER_PTS (buf);
  ArticRoiBox box;
  gboolean has_box;
  gdouble c;

  if (!GST_CLOCK_TIME_IS_VALID (pts) || pts < COVERAGE_FROM
      || pts >= COVERAGE_UNTIL)
    return GST_PAD_PROBE_OK;
  has_box = roi_meta_union (buf, s->width, s->height, &box);
  c = has_box ? target_coverage (s->render, pts, &box)
              : (s->render != NULL ? 0.0 : -1);
  g_mutex_lock (&s->lock);
  if (c >= 0) {
    s->coverage_sum += c;
    s->area_sum += has_box ? box_area (&box) : 0.0;
    s->coverage_n++;
  }
  g_mutex_unlock (&s->lock);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
bytes_probe (GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  Stack *s = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

  s->bytes += gst_buffer_get_size (buf);
  s->frames++;
  if (GST_BUFFER_PTS_IS_VALID (buf))
    s->last_pts = GST_BUFFER_PTS (buf);
  return GST_PAD_PROBE_OK;
}

static void
add_probe (GstElement *pipeline, const gchar *element, const gchar *pad_name,
    GstPadProbeCallback cb, gpointer data)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (pipeline), element);
  GstPad *pad;

  if (e == NULL)
    return;
  pad = gst_element_get_static_pad (e, pad_name);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, cb, data, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
}

static void
take_bus_error (GstElement *pipeline, const gchar *id, GError **error)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  if (msg != NULL) {
    GError *err = NULL;

    gst_message_parse_error (msg, &err, NULL);
    fail (error, "%s: pipeline error: %s", id, err->message);
    g_error_free (err);
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
}

/* The next sampled frame; NULL at the end (no error) or on an error. */
static GstSample *
pull_frame (
    GstElement *pipeline, GstAppSink *sink, const gchar *id, GError **error)
{
  GstClockTime waited;

  for (waited = 0; waited < PULL_TIMEOUT; waited += PULL_STEP) {
    GstSample *sample = gst_app_sink_try_pull_sample (sink, PULL_STEP);
    GError *local = NULL;

    if (sample != NULL || gst_app_sink_is_eos (sink))
      return sample;
    take_bus_error (pipeline, id, &local);
    if (local != NULL) {
      g_propagate_error (error, local);
      return NULL;
    }
  }
  fail (error, "%s: no frame within %u s", id,
      (guint) (PULL_TIMEOUT / GST_SECOND));
  return NULL;
}

/* The sampled frame as the JPEG the model gets. With @cache, the frame also
 * goes through the receiver's chunk cache as articmllmsink hands it (its
 * luma thumbnail decides SEND or SKIP; a question always sends), so that
 * the question's images are those artic-recv would send. */
static GBytes *
sample_to_jpeg (ArticJpegEncoder *enc, GstSample *sample,
    ArticChunkCache *cache, gboolean question, GError **error)
{
  GstVideoInfo info;
  GstVideoFrame frame;
  gboolean ok;
  ArticChunkDecision decision = ARTIC_CHUNK_SKIP;
  GBytes *jpeg;

  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
      || !gst_video_frame_map (
          &frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ)) {
    fail (error, "cannot map a sampled frame");
    return NULL;
  }
  ok = artic_jpeg_encoder_convert (enc, GST_VIDEO_FRAME_FORMAT (&frame),
      GST_VIDEO_FRAME_WIDTH (&frame), GST_VIDEO_FRAME_HEIGHT (&frame),
      (const guint8 *const *) frame.data, frame.info.stride, error);
  gst_video_frame_unmap (&frame);
  if (!ok)
    return NULL;
  if (cache != NULL) {
    gint width, height, stride;
    const guint8 *luma
        = artic_jpeg_encoder_get_luma (enc, &width, &height, &stride);
    GstClockTime pts = GST_BUFFER_PTS (gst_sample_get_buffer (sample));

    decision = artic_chunk_cache_push (cache, luma, width, height, stride,
        GST_CLOCK_TIME_IS_VALID (pts) ? (gdouble) pts / GST_SECOND : 0.0,
        question ? ARTIC_CHUNK_FLAG_QUESTION : 0, NULL);
  }
  jpeg = artic_jpeg_encoder_encode (enc, error);
  if (jpeg != NULL && decision == ARTIC_CHUNK_SEND)
    artic_chunk_cache_store (cache, jpeg);
  return jpeg;
}

static ArticMllmClient *
new_client (const gchar *endpoint, const gchar *model, GError **error)
{
  ArticMllmClientConfig config;

  artic_mllm_client_config_init (&config);
  config.endpoint = endpoint;
  if (model != NULL)
    config.model = model;
  config.frame_window = 0; /* the caller picks the frames */
  config.max_retries = 2;
  config.total_timeout_s = 90;
  return artic_mllm_client_new (&config, error);
}

/* Asks @prompt about the newest @n of @frames. */
static gchar *
ask (ArticMllmClient *client, const gchar *prompt, GPtrArray *frames, guint n,
    gdouble *ms, GError **error)
{
  ArticMllmResult result = { 0 };
  guint first = frames->len > n ? frames->len - n : 0;
  gchar *answer = NULL;

  if (artic_mllm_client_ask (client, prompt,
          (GBytes *const *) frames->pdata + first, frames->len - first, NULL,
          NULL, &result, NULL, error)) {
    answer = g_strdup (result.answer != NULL ? result.answer : "");
    g_strstrip (answer);
  }
  if (ms != NULL)
    *ms = result.total_s * 1000.0;
  artic_mllm_result_clear (&result);
  return answer;
}

/* Asks @prompt about each of the newest @n of @frames alone, into
 * @out->frame_answers. */
static gboolean
ask_each_frame (ArticMllmClient *client, const gchar *prompt, GPtrArray *frames,
    guint n, Outcome *out, GError **error)
{
  guint first = frames->len > n ? frames->len - n : 0, i;

  out->frame_answers = g_ptr_array_new_with_free_func (g_free);
  for (i = first; i < frames->len; i++) {
    GPtrArray *one = g_ptr_array_new ();
    gchar *answer;

    g_ptr_array_add (one, g_ptr_array_index (frames, i));
    answer = ask (client, prompt, one, 1, NULL, error);
    g_ptr_array_unref (one);
    if (answer == NULL)
      return FALSE;
    g_ptr_array_add (out->frame_answers, answer);
  }
  return TRUE;
}

/* A box reply as articroi's "boxes" JSON: the union of its boxes, "[]" (no
 * box: uniform) when the model found nothing or the reply does not parse.
 * The reply has one box per future frame (ZeCoStream predicts the next 3
 * sampled frames, 1.5 s); the encoder holds one box until the next reply,
 * a period later, so it gets the region the target covers over the whole
 * prediction, not only where it is at the first of those frames. */
static gchar *
boxes_from_reply (const gchar *reply, gboolean *found, ArticRoiBox *united)
{
  GArray *boxes = artic_roi_boxes_parse (reply, -1, NULL);
  ArticRoiBox u = { 0 };
  guint i;

  *found = FALSE;
  for (i = 0; boxes != NULL && i < boxes->len; i++) {
    ArticRoiBox *b = &g_array_index (boxes, ArticRoiBox, i);

    if (artic_roi_box_is_none (b))
      continue;
    if (!*found) {
      u = *b;
    } else {
      u.x_min = MIN (u.x_min, b->x_min);
      u.y_min = MIN (u.y_min, b->y_min);
      u.x_max = MAX (u.x_max, b->x_max);
      u.y_max = MAX (u.y_max, b->y_max);
    }
    *found = TRUE;
  }
  if (boxes != NULL)
    g_array_unref (boxes);
  if (!*found)
    return g_strdup ("[]");
  if (united != NULL)
    *united = u;
  return g_strdup_printf (
      "[[[%.0f,%.0f],[%.0f,%.0f]]]", u.x_min, u.y_min, u.x_max, u.y_max);
}

/* @boxes (consumed) in the feedback object that names the frame they were
 * seen in: @member "frame-time" (running time) or "capture-time" (Unix),
 * in ns (docs/roi.md). */
static gchar *
boxes_naming_frame (gchar *boxes, const gchar *member, guint64 time_ns)
{
  gchar *named = g_strdup_printf (
      "{\"boxes\": %s, \"%s\": %" G_GUINT64_FORMAT "}", boxes, member, time_ns);

  g_free (boxes);
  return named;
}

/* Is the sampled frame number @n (0-based) one the model is asked for boxes
 * about? The first at 0.5 s, then every roi_period. */
static gboolean
is_feedback_frame (const Options *o, guint n, GstClockTime pts)
{
  guint period = MAX (1, (guint) lround (o->roi_period * SAMPLE_RATE));

  return n >= 1 && (n - 1) % period == 0
         && (gdouble) pts / GST_SECOND + o->roi_period + o->roi_delay
                < SEGMENT_S + o->roi_period;
}

/* Does articroi follow the model's box in this condition (--roi-boxes
 * follow, the default), rather than hold its prediction? */
static gboolean
roi_follows (const Options *o, const ArticDevibenchCondition *c)
{
  return c->roi == ARTIC_DEVIBENCH_ROI_ON
         && g_strcmp0 (o->roi_boxes, "predict") != 0;
}

static gboolean
run_inproc (Run *run, guint worker, const WorkItem *w,
    const ArticDevibenchCondition *c, Outcome *out, GError **error)
{
  const Options *o = run->opt;
  ArticDevibenchRender *render = NULL;
  GstElement *pipeline = NULL;
  GstAppSink *sink = NULL;
  Trim trim;
  Stack s;
  ArticMllmClient *client = NULL;
  ArticJpegEncoder *jpeg = NULL;
  GPtrArray *frames
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  GstSample *sample;
  GError *local = NULL;
  guint n = 0;
  gboolean ok = FALSE;
  gdouble first_feedback = 1.0 / SAMPLE_RATE;
  gchar *tail = stack_tail (c, o->encoder_props, error);
  ArticChunkCache *cache = NULL;
  GPtrArray *window = NULL;
  gboolean follow = roi_follows (o, c);

  if (tail == NULL) {
    g_ptr_array_unref (frames);
    return FALSE;
  }
  memset (&s, 0, sizeof s);
  g_mutex_init (&s.lock);
  g_cond_init (&s.cond);
  s.released_until
      = c->roi == ARTIC_DEVIBENCH_ROI_ON
            ? (GstClockTime) ((first_feedback + o->roi_delay) * GST_SECOND)
            : GST_CLOCK_TIME_NONE;
  s.width = c->width;
  s.height = c->height;
  if (w->lite != NULL) {
    render = artic_devibench_render_new (w->lite, o->media_dir, tail, &local);
    if (render != NULL)
      pipeline = gst_object_ref (artic_devibench_render_pipeline (render));
  } else {
    pipeline = segment_pipeline (w, tail, &trim, &local);
  }
  if (pipeline == NULL)
    goto done;
  sink = GST_APP_SINK (gst_bin_get_by_name (GST_BIN (pipeline), "sink"));
  s.roi = gst_bin_get_by_name (GST_BIN (pipeline), "roi");
  s.render = render;
  if (c->roi == ARTIC_DEVIBENCH_ROI_ON)
    add_probe (pipeline, "roi", "sink", feedback_probe, &s);
  if (c->roi == ARTIC_DEVIBENCH_ROI_ORACLE) {
    if (render == NULL) {
      fail (&local, "the oracle condition needs a lite-suite item (the "
                    "target box is known only there)");
      goto done;
    }
    add_probe (pipeline, "roi", "sink", oracle_probe, &s);
  }
  if (c->roi != ARTIC_DEVIBENCH_ROI_OFF)
    add_probe (pipeline, "roi", "src", coverage_probe, &s);
  if (follow)
    g_object_set (s.roi, "follow", TRUE, NULL);
  add_probe (pipeline, "enc", "src", bytes_probe, &s);
  client = new_client (
      g_ptr_array_index (run->endpoints, worker % run->endpoints->len),
      o->model, &local);
  if (client == NULL)
    goto done;
  jpeg = artic_jpeg_encoder_new (JPEG_QUALITY, (guint) o->image_size);
  if (g_strcmp0 (o->model_frames, "newest") != 0) {
    ArticChunkCacheConfig config;

    artic_chunk_cache_config_init (&config); /* articmllmsink's defaults */
    cache = artic_chunk_cache_new (&config);
  }
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE) {
    take_bus_error (pipeline, w->id, &local);
    if (local == NULL)
      fail (&local, "%s: cannot start the pipeline", w->id);
    goto done;
  }
  while ((sample = pull_frame (pipeline, sink, w->id, &local)) != NULL) {
    GstClockTime pts = GST_BUFFER_PTS (gst_sample_get_buffer (sample));
    gdouble t = GST_CLOCK_TIME_IS_VALID (pts) ? (gdouble) pts / GST_SECOND : 0;
    /* The question goes with the sample at SEGMENT_S - 0.5 s, as over the
     * network (net_question_thread). A stream can run on past it (the lite
     * renderer's clips are up to a second longer than SEGMENT_S, see
     * docs/devibench.md): later samples are not the question's. */
    gboolean question = t >= SEGMENT_S - 0.5 - 0.5 / SAMPLE_RATE;
    /* the clock of articroi's feedback times */
    GstClockTime running_time = gst_segment_to_running_time (
        gst_sample_get_segment (sample), GST_FORMAT_TIME, pts);
    GBytes *img;

    if (t >= SEGMENT_S - 0.5 + 0.5 / SAMPLE_RATE) {
      gst_sample_unref (sample);
      continue;
    }
    img = sample_to_jpeg (jpeg, sample, cache, question, &local);
    gst_sample_unref (sample);
    if (img == NULL)
      goto done;
    g_ptr_array_add (frames, img);
    if (o->keep_frames && run->work_dir != NULL) {
      gchar *name = g_strdup_printf ("%s--%s", w->id, c->id);
      gchar *dir = g_build_filename (run->work_dir, name, "frames", NULL);
      gchar *file = g_strdup_printf ("%s/frame-%05u.jpg", dir, n);

      g_mkdir_with_parents (dir, 0755);
      g_file_set_contents (file, g_bytes_get_data (img, NULL),
          (gssize) g_bytes_get_size (img), NULL);
      g_free (file);
      g_free (dir);
      g_free (name);
    }
    if (c->roi == ARTIC_DEVIBENCH_ROI_ON && is_feedback_frame (o, n, pts)) {
      gchar *prompt
          = g_strdup_printf (follow ? FOLLOW_PROMPT : BOX_PROMPT, w->question);
      GError *box_error = NULL;
      gchar *reply = ask (client, prompt, frames, 3, NULL, &box_error);
      gboolean found = FALSE;
      gchar *boxes;

      g_free (prompt);
      out->box_requests++;
      /* A failed box request leaves the previous boxes, as a late reply
       * would. */
      if (reply != NULL) {
        ArticRoiBox box;

        boxes = boxes_from_reply (reply, &found, &box);
        /* articroi follows the box from the frame it was named in */
        if (follow && GST_CLOCK_TIME_IS_VALID (running_time))
          boxes = boxes_naming_frame (boxes, "frame-time", running_time);
        /* Frames wait at articroi's input (feedback_probe), so none is
         * being encoded while the boxes in force change. */
        g_object_set (s.roi, "boxes", boxes, NULL);
        g_free (boxes);
        out->boxes_found += found;
        if (render != NULL) {
          out->boxes_on_target = MAX (out->boxes_on_target, 0);
          out->boxes_on_target
              += found && target_coverage (render, pts, &box) >= 0.5;
        }
      }
      g_free (reply);
      g_clear_error (&box_error);
      stack_release (&s,
          (GstClockTime) (((gdouble) pts / GST_SECOND + o->roi_period
                              + o->roi_delay)
                          * GST_SECOND),
          FALSE);
      if (!is_feedback_frame (o,
              n + (guint) lround (o->roi_period * SAMPLE_RATE),
              pts + (GstClockTime) (o->roi_period * GST_SECOND)))
        stack_release (&s, GST_CLOCK_TIME_NONE, FALSE);
    }
    n++;
  }
  if (local != NULL)
    goto done;
  if (frames->len == 0) {
    fail (&local, "%s: no frame came out of the stack", w->id);
    goto done;
  }
  out->encoded_frames = c->clean ? -1 : (gdouble) s.frames;
  if (s.coverage_n > 0) {
    out->target_coverage = s.coverage_sum / s.coverage_n;
    out->box_area = s.area_sum / s.coverage_n;
  }
  if (s.bytes > 0 && s.last_pts > 0)
    out->achieved_kbps = s.bytes * 8.0 / 1000.0
                         / ((gdouble) s.last_pts / GST_SECOND + 1.0 / FPS);
  if (cache != NULL)
    window = artic_chunk_cache_window (cache, (guint) o->frame_window);
  out->answer = ask (client, w->prompt, window != NULL ? window : frames,
      (guint) o->frame_window, &out->answer_ms, &local);
  ok = out->answer != NULL;
  if (ok && o->each_frame)
    ok = ask_each_frame (client, w->prompt, window != NULL ? window : frames,
        (guint) o->frame_window, out, &local);
done:
  stack_release (&s, GST_CLOCK_TIME_NONE, TRUE);
  if (pipeline != NULL)
    gst_element_set_state (pipeline, GST_STATE_NULL);
  if (!ok)
    g_propagate_error (error, local);
  else
    g_clear_error (&local);
  gst_clear_object (&s.roi);
  if (sink != NULL)
    gst_object_unref (sink);
  gst_clear_object (&pipeline);
  artic_devibench_render_free (render);
  if (jpeg != NULL)
    artic_jpeg_encoder_free (jpeg);
  if (client != NULL)
    artic_mllm_client_free (client);
  if (window != NULL)
    g_ptr_array_unref (window);
  if (cache != NULL)
    artic_chunk_cache_free (cache);
  g_ptr_array_unref (frames);
  g_free (tail);
  g_mutex_clear (&s.lock);
  g_cond_clear (&s.cond);
  return ok;
}

/* ---- the stack as programs, over real sockets (network conditions) ---- */

static gchar *
program_path (const Options *o, const gchar *name)
{
  gchar *path = g_build_filename (o->bin_dir, name, NULL);

  if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return path;
  g_free (path);
  path = g_find_program_in_path (name);
  return path != NULL ? path : g_strdup (name);
}

/* A port the kernel had free on 127.0.0.1 for @type (UDP or TCP). */
static guint
free_port (GSocketType type, GError **error)
{
  GSocket *sock = g_socket_new (G_SOCKET_FAMILY_IPV4, type, 0, error);
  GInetAddress *lo;
  GSocketAddress *addr, *bound = NULL;
  guint port = 0;

  if (sock == NULL)
    return 0;
  lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  addr = g_inet_socket_address_new (lo, 0);
  if (g_socket_bind (sock, addr, FALSE, error)
      && (bound = g_socket_get_local_address (sock, error)) != NULL)
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_clear_object (&bound);
  g_object_unref (addr);
  g_object_unref (lo);
  g_object_unref (sock);
  return port;
}

/* The receiver's signaling server accepts connections: the sender can post
 * its offer. A loaded machine can take seconds to start artic-recv. */
static gboolean
wait_listening (guint port, gint timeout_s)
{
  gint64 until = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < until) {
    GSocketClient *client = g_socket_client_new ();
    GSocketConnection *conn;

    g_socket_client_set_timeout (client, 1);
    conn = g_socket_client_connect_to_host (
        client, "127.0.0.1", (guint16) port, NULL, NULL);
    g_object_unref (client);
    if (conn != NULL) {
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
      g_object_unref (conn);
      return TRUE;
    }
    g_usleep (100 * 1000);
  }
  return FALSE;
}

/* A fresh random bearer token for the run's peer sessions, in a file only
 * we can read; the programs read it with --token-file. */
static gchar *
write_token_file (const gchar *dir, GError **error)
{
  gchar *path = g_build_filename (dir, "token", NULL);
  GString *token = g_string_new (NULL);
  gboolean ok;
  gint i, fd;

  for (i = 0; i < 8; i++)
    g_string_append_printf (token, "%08x", g_random_int ());
  g_string_append_c (token, '\n');
  g_unlink (path);
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  ok = fd >= 0 && write (fd, token->str, token->len) == (gssize) token->len;
  if (fd >= 0)
    close (fd);
  if (!ok) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
        "cannot write the session token file %s", path);
    g_clear_pointer (&path, g_free);
  }
  /* Overwrite our copy: the token lives only in the file. */
  memset (token->str, 0, token->len);
  g_string_free (token, TRUE);
  return path;
}

/* A child must not outlive a harness that is killed (Ctrl-C, a shard's
 * time limit): it gets SIGTERM when the thread that started it ends. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* A launcher whose child writes its stdout and stderr to files of @dir,
 * named after @tag. */
static GSubprocessLauncher *
launcher_new (const gchar *dir, const gchar *tag, GSubprocessFlags flags)
{
  GSubprocessLauncher *l = g_subprocess_launcher_new (flags);
  gchar *out = g_strdup_printf ("%s/%s.out", dir, tag);
  gchar *err = g_strdup_printf ("%s/%s.err", dir, tag);

  g_subprocess_launcher_set_stdout_file_path (l, out);
  g_subprocess_launcher_set_stderr_file_path (l, err);
  g_free (out);
  g_free (err);
  return l;
}

static GSubprocess *
launcher_spawn (GSubprocessLauncher *l, GPtrArray *argv, GError **error)
{
  GSubprocess *p;

  g_ptr_array_add (argv, NULL);
  p = g_subprocess_launcher_spawnv (
      l, (const gchar *const *) argv->pdata, error);
  g_object_unref (l);
  return p;
}

/* Starts a program with its stdout and stderr in files of @dir. */
static GSubprocess *
spawn_full (const gchar *dir, const gchar *tag, GPtrArray *argv,
    GSubprocessFlags flags, GError **error)
{
  GSubprocessLauncher *l = launcher_new (dir, tag, flags);

  g_subprocess_launcher_set_child_setup (l, die_with_parent, NULL, NULL);
  return launcher_spawn (l, argv, error);
}

static GSubprocess *
spawn (const gchar *dir, const gchar *tag, GPtrArray *argv, GError **error)
{
  return spawn_full (dir, tag, argv, G_SUBPROCESS_FLAGS_NONE, error);
}

/* The answerer stands in for a model in the cloud, whose CPU is not the
 * sender's. Here it shares the machine with the real-time programs of the
 * network conditions, and one request keeps a core busy for 0.3-1 s of
 * OCR (Tesseract's OpenMP threads took both cores): artic-send then fell
 * behind the clip by up to 0.6 s and sent every frame that late, which
 * made the ROI pairs (5 requests each, uniform 1) look slow
 * (docs/devibench.md, "Why ROI's frames reached the model later over the
 * network"). So it runs below the programs' priority. */
static void
answerer_setup (gpointer data)
{
  gint nice_now;

  die_with_parent (NULL);
  if (GPOINTER_TO_INT (data) > 0) {
    errno = 0;
    nice_now = getpriority (PRIO_PROCESS, 0);
    if (errno == 0)
      setpriority (
          PRIO_PROCESS, 0, MIN (nice_now + GPOINTER_TO_INT (data), 19));
  }
}

/* An answerer: one OpenMP thread for Tesseract (unless the caller's
 * environment says otherwise), @nice steps below the harness. */
static GSubprocess *
spawn_answerer (const gchar *dir, const gchar *tag, GPtrArray *argv, gint nice,
    GError **error)
{
  GSubprocessLauncher *l = launcher_new (dir, tag, G_SUBPROCESS_FLAGS_NONE);

  g_subprocess_launcher_setenv (l, "OMP_THREAD_LIMIT", "1", FALSE);
  g_subprocess_launcher_set_child_setup (
      l, answerer_setup, GINT_TO_POINTER (nice), NULL);
  return launcher_spawn (l, argv, error);
}

/* Waits up to @seconds for @p to exit (GLib reaps it in its worker
 * thread); TRUE when it did. */
static gboolean
wait_exit (GSubprocess *p, gdouble seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (g_subprocess_get_identifier (p) != NULL) {
    if (g_get_monotonic_time () > end)
      return FALSE;
    g_usleep (50 * 1000);
  }
  return TRUE;
}

static void
stop (GSubprocess *p)
{
  if (p == NULL)
    return;
  if (g_subprocess_get_identifier (p) != NULL) {
    g_subprocess_send_signal (p, SIGTERM);
    if (!wait_exit (p, 5)) {
      g_subprocess_force_exit (p);
      wait_exit (p, 5);
    }
  }
}

static gchar *
read_log (const gchar *dir, const gchar *name)
{
  gchar *path = g_build_filename (dir, name, NULL);
  gchar *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    text = g_strdup ("");
  g_free (path);
  return text;
}

/* The last line of @text that starts with @prefix, after it. */
static gchar *
find_line (const gchar *text, const gchar *prefix)
{
  gchar **lines = g_strsplit (text, "\n", -1);
  gchar *found = NULL;
  guint i;

  for (i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], prefix)) {
      g_free (found);
      found = g_strdup (lines[i] + strlen (prefix));
    }
  g_strfreev (lines);
  return found;
}

/* A program's failure in one line: its last "error:" line if any. */
static gchar *
program_failure (const gchar *dir, const gchar *tag)
{
  gchar *name = g_strdup_printf ("%s.err", tag);
  gchar *text = read_log (dir, name);
  gchar **lines = g_strsplit (text, "\n", -1);
  gchar *msg = NULL;
  guint i;

  for (i = 0; lines[i]; i++)
    if (strstr (lines[i], "error:") != NULL) {
      g_free (msg);
      msg = g_strdup (lines[i]);
    }
  g_strfreev (lines);
  g_free (text);
  g_free (name);
  return msg != NULL ? msg : g_strdup_printf ("%s failed", tag);
}

/* Renders (lite) or cuts (real mode) the item's clean segment to a file
 * that artic-send reads, once per item. */
static gboolean
cut_segment (const WorkItem *w, const gchar *path, GError **error)
{
  gchar *escaped = g_strescape (path, NULL);
  gchar *tail = g_strdup_printf (
      "videoconvert ! videoscale ! videorate ! "
      "video/x-raw,format=I420,framerate=%d/1 ! "
      "vp8enc deadline=1 cpu-used=4 end-usage=cq cq-level=4 "
      "target-bitrate=20000000 keyframe-max-dist=30 ! webmmux ! "
      "filesink location=\"%s\"",
      FPS, escaped);
  Trim trim;
  GstElement *pipeline = segment_pipeline (w, tail, &trim, error);
  GstBus *bus;
  GstMessage *msg;
  gboolean ok;

  g_free (tail);
  g_free (escaped);
  if (pipeline == NULL)
    return FALSE;
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (
      bus, PULL_TIMEOUT, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  ok = msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
  if (!ok) {
    GError *e = NULL;

    if (msg != NULL)
      gst_message_parse_error (msg, &e, NULL);
    fail (error, "%s: cannot cut the segment: %s", w->id,
        e != NULL ? e->message : "timed out");
    g_clear_error (&e);
  }
  if (msg != NULL)
    gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  return ok;
}

static gchar *
ensure_clip (Run *run, const WorkItem *w, GError **error)
{
  gchar *name = g_strdup_printf ("%s.webm", w->id);
  gchar *path = g_build_filename (run->clip_dir, name, NULL);
  gchar *tmp = g_strdup_printf ("%s.part", path);
  gboolean ok = TRUE;

  g_free (name);
  g_mutex_lock (&run->lock);
  while (g_hash_table_contains (run->clips_busy, w->id))
    g_cond_wait (&run->clip_cond, &run->lock);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    g_mutex_unlock (&run->lock);
    g_free (tmp);
    return path;
  }
  g_hash_table_add (run->clips_busy, g_strdup (w->id));
  g_mutex_unlock (&run->lock);
  if (w->lite != NULL)
    ok = artic_devibench_render_to_file (
        w->lite, run->opt->media_dir, tmp, error);
  else
    ok = cut_segment (w, tmp, error);
  if (ok && g_rename (tmp, path) != 0)
    ok = fail (error, "cannot rename %s: %s", tmp, g_strerror (errno));
  g_unlink (tmp);
  g_free (tmp);
  g_mutex_lock (&run->lock);
  g_hash_table_remove (run->clips_busy, w->id);
  g_cond_broadcast (&run->clip_cond);
  g_mutex_unlock (&run->lock);
  if (!ok)
    g_clear_pointer (&path, g_free);
  return path;
}

/* The ROI loop over the programs: artic-recv writes the sampled frames
 * (frame-00000.jpg, ...); at the same sampled frames as in one process the
 * newest three go to the model for boxes, and the reply is written to the
 * boxes file that artic-send re-reads (every 200 ms), atomically. */
typedef struct
{
  const Options *opt;
  const gchar *endpoint, *question, *frames_dir, *boxes_path;
  gboolean follow; /* name the frame by its capture time (handed.csv) */
  volatile gint stop;
  guint requests, found;
} NetFeedback;

/* The capture time (Unix us) of sampled frame @index, from the line
 * artic-recv's --handed-log wrote for it before the JPEG; 0 if none. */
static guint64
handed_capture_us (const gchar *frames_dir, guint index)
{
  gchar *path = g_build_filename (frames_dir, HANDED_LOG, NULL);
  gchar *text = NULL, **lines = NULL;
  guint64 capture_us = 0;

  /* line 0 is the header: instant_us,capture_us,... */
  if (g_file_get_contents (path, &text, NULL, NULL)) {
    lines = g_strsplit (text, "\n", -1);
    if (g_strv_length (lines) > index + 1) {
      gchar **fields = g_strsplit (lines[index + 1], ",", 3);

      if (g_strv_length (fields) >= 2)
        capture_us = g_ascii_strtoull (fields[1], NULL, 10);
      g_strfreev (fields);
    }
  }
  g_strfreev (lines);
  g_free (text);
  g_free (path);
  return capture_us;
}

static GBytes *
read_jpeg (const gchar *dir, guint index)
{
  gchar *name = g_strdup_printf ("frame-%05u.jpg", index);
  gchar *path = g_build_filename (dir, name, NULL);
  gchar *data = NULL;
  gsize size = 0;
  GBytes *b = NULL;

  /* Complete only once the JPEG's end marker is there. */
  if (g_file_get_contents (path, &data, &size, NULL) && size > 4
      && (guint8) data[size - 2] == 0xff && (guint8) data[size - 1] == 0xd9)
    b = g_bytes_new_take (g_steal_pointer (&data), size);
  g_free (data);
  g_free (path);
  g_free (name);
  return b;
}

static gpointer
net_feedback_thread (gpointer data)
{
  NetFeedback *f = data;
  ArticMllmClient *client = new_client (f->endpoint, f->opt->model, NULL);
  guint period = MAX (1, (guint) lround (f->opt->roi_period * SAMPLE_RATE));
  guint next = 1;

  /* Only the segment's sampled frames: after it the receiver repeats the
   * last one until its idle timeout. */
  while (client != NULL && !g_atomic_int_get (&f->stop)
         && next + f->opt->roi_delay * SAMPLE_RATE < SEGMENT_S * SAMPLE_RATE) {
    GBytes *newest = read_jpeg (f->frames_dir, next);
    GPtrArray *frames;
    gchar *prompt, *reply, *boxes, *tmp;
    gboolean found = FALSE;
    guint64 capture_us;
    guint i;

    if (newest == NULL) {
      g_usleep (50 * 1000);
      continue;
    }
    frames = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
    for (i = next >= 2 ? next - 2 : 0; i < next; i++) {
      GBytes *b = read_jpeg (f->frames_dir, i);

      if (b != NULL)
        g_ptr_array_add (frames, b);
    }
    g_ptr_array_add (frames, newest);
    prompt
        = g_strdup_printf (f->follow ? FOLLOW_PROMPT : BOX_PROMPT, f->question);
    capture_us = f->follow ? handed_capture_us (f->frames_dir, next) : 0;
    reply = ask (client, prompt, frames, 3, NULL, NULL);
    f->requests++;
    if (reply != NULL) {
      boxes = boxes_from_reply (reply, &found, NULL);
      f->found += found;
      /* artic-send's articroi follows the box from that frame */
      if (capture_us > 0)
        boxes = boxes_naming_frame (boxes, "capture-time", capture_us * 1000);
      tmp = g_strdup_printf ("%s.tmp", f->boxes_path);
      if (g_file_set_contents (tmp, boxes, -1, NULL))
        g_rename (tmp, f->boxes_path);
      g_free (tmp);
      g_free (boxes);
    }
    g_free (reply);
    g_free (prompt);
    g_ptr_array_unref (frames);
    next += period;
  }
  if (client != NULL)
    artic_mllm_client_free (client);
  return NULL;
}

static void argv_add (GPtrArray *argv, const gchar *format, ...)
    G_GNUC_PRINTF (2, 3);

static void
argv_add (GPtrArray *argv, const gchar *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (argv, g_strdup_vprintf (format, args));
  va_end (args);
}

static gboolean
use_session (const Options *o)
{
  return g_strcmp0 (o->transport, "rtp") != 0;
}

/* Each program's command line in one place. By default the programs run
 * their peer session (signaling with the run's token, SRTP, the context
 * channel); --transport rtp runs them over plain RTP. Either way the ROI
 * loop runs over the boxes file (see docs/devibench.md), and the question
 * is the receiver's own (--questions), so the session asks for no boxes
 * of its own and "ROI off" stays off. */
static GSubprocess *
start_receiver (const Run *run, const ArticDevibenchCondition *c,
    const gchar *dir, const gchar *endpoint, guint port, guint signal_port,
    GError **error)
{
  const Options *o = run->opt;
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  GSubprocess *p;

  g_ptr_array_add (argv, program_path (o, "artic-recv"));
  if (use_session (o)) {
    argv_add (argv, "--signal-port=%u", signal_port);
    argv_add (argv, "--token-file=%s", run->token_path);
  } else {
    argv_add (argv, "--transport=rtp");
  }
  argv_add (argv, "--port=%u", port);
  argv_add (argv, "--address=127.0.0.1");
  argv_add (argv, "--codec=%s", c->codec);
  argv_add (argv, "--output-dir=%s/frames", dir);
  if (roi_follows (o, c))
    argv_add (argv, "--handed-log=%s/frames/" HANDED_LOG, dir);
  argv_add (argv, "--sample-rate=%d", SAMPLE_RATE);
  argv_add (argv, "--mllm=%s", endpoint);
  if (o->model != NULL)
    argv_add (argv, "--model=%s", o->model);
  /* The question comes on stdin when the stream has played 4.5 s
   * (net_question_thread), not at a time of artic-recv's own clock, which
   * starts before the session is set up. */
  argv_add (argv, "--questions-stdin");
  argv_add (argv, "--frame-window=%d", o->frame_window);
  argv_add (argv, "--mllm-image-size=%d", o->image_size);
  /* The traces have outages of several seconds. */
  argv_add (argv, "--idle-timeout=8");
  argv_add (argv, "--wait=30");
  argv_add (argv, "--mllm-wait=60");
  p = spawn_full (dir, "recv", argv, G_SUBPROCESS_FLAGS_STDIN_PIPE, error);
  g_ptr_array_unref (argv);
  return p;
}

/* The user's question, timed on the stream as in one process: with the
 * frame the model gets when the stream has played SEGMENT_S - 0.5 s,
 * counted from the first sampled frame the receiver wrote (the first frame
 * decoded: the capture of the segment's first frame plus the path's
 * latency). artic-recv attaches it to the next frame it hands the model. */
typedef struct
{
  const gchar *frames_dir, *line;
  GSubprocess *recv;
  volatile gint stop;
  gboolean asked;
} NetQuestion;

static gpointer
net_question_thread (gpointer data)
{
  NetQuestion *q = data;
  gchar *first = g_build_filename (q->frames_dir, "frame-00000.jpg", NULL);
  gint64 t0 = 0, now,
         give_up
         = g_get_monotonic_time () + NET_SEND_TIMEOUT_S * G_USEC_PER_SEC;
  GOutputStream *in = g_subprocess_get_stdin_pipe (q->recv);

  while (!g_atomic_int_get (&q->stop)) {
    now = g_get_monotonic_time ();
    if (t0 == 0 && now > give_up)
      break;
    if (t0 == 0 && g_file_test (first, G_FILE_TEST_EXISTS))
      t0 = now;
    /* Half a sampling interval before the instant at SEGMENT_S - 0.5 s:
     * artic-recv hands the model a frame at each instant (every 0.5 s
     * from the first), and the question goes with the next one. */
    if (t0 != 0
        && now >= t0
                      + (gint64) ((SEGMENT_S - 0.5 - 0.5 / SAMPLE_RATE)
                                  * G_USEC_PER_SEC)) {
      q->asked = g_output_stream_write_all (
                     in, q->line, strlen (q->line), NULL, NULL, NULL)
                 && g_output_stream_flush (in, NULL, NULL);
      break;
    }
    g_usleep (10 * 1000);
  }
  g_free (first);
  return NULL;
}

static GSubprocess *
start_netem (const Options *o, const ArticDevibenchCondition *c,
    const gchar *dir, guint listen_port, guint to_port, GError **error)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];
  GSubprocess *p;

  g_ptr_array_add (argv, program_path (o, "artic-netem"));
  argv_add (argv, "--listen=127.0.0.1:%u", listen_port);
  argv_add (argv, "--to=127.0.0.1:%u", to_port);
  argv_add (argv, "--seed=1");
  if (c->trace != NULL) {
    argv_add (argv, "--trace=%s", c->trace);
    /* A drop-tail queue as in docs/netem.md's example. */
    argv_add (argv, "--queue-bytes=150000");
  }
  if (c->loss > 0)
    argv_add (
        argv, "--loss=%s", g_ascii_formatd (buf, sizeof buf, "%g", c->loss));
  if (c->delay_ms > 0)
    argv_add (argv, "--delay=%u", c->delay_ms);
  argv_add (argv, "--duration=60");
  p = spawn (dir, "netem", argv, error);
  g_ptr_array_unref (argv);
  return p;
}

static GSubprocess *
start_sender (const Run *run, const ArticDevibenchCondition *c,
    const gchar *dir, const gchar *clip, guint port, guint signal_port,
    const gchar *boxes, GError **error)
{
  const Options *o = run->opt;
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  GSubprocess *p;
  guint i;

  g_ptr_array_add (argv, program_path (o, "artic-send"));
  if (use_session (o)) {
    /* Signaling goes straight to the receiver; the media (and the
     * session's RTCP and SCTP, the other way) through artic-netem. */
    argv_add (argv, "--signal-url=http://127.0.0.1:%u", signal_port);
    argv_add (argv, "--token-file=%s", run->token_path);
  } else {
    argv_add (argv, "--transport=rtp");
  }
  argv_add (argv, "--input=%s", clip);
  argv_add (argv, "--host=127.0.0.1");
  argv_add (argv, "--port=%u", port);
  argv_add (argv, "--codec=%s", c->codec);
  argv_add (argv, "--bitrate=%u", c->bitrate_kbps);
  argv_add (argv, "--size=%ux%u", c->width, c->height);
  argv_add (argv, "--fps=%d", FPS);
  if (boxes != NULL)
    argv_add (argv, "--roi-boxes-file=%s", boxes);
  if (boxes != NULL && roi_follows (o, c))
    argv_add (argv, "--roi-follow");
  if (boxes == NULL)
    argv_add (argv, "--roi=off"); /* nor boxes from the session */
  for (i = 0; o->send_args != NULL && o->send_args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (o->send_args[i]));
  p = spawn (dir, "send", argv, error);
  g_ptr_array_unref (argv);
  return p;
}

static gboolean
parse_ms_pair (const gchar *text, const gchar *key, gdouble *p50, gdouble *p95)
{
  const gchar *at = text != NULL ? strstr (text, key) : NULL;

  return at != NULL
         && sscanf (at + strlen (key), " p50 %lf ms, p95 %lf ms", p50, p95)
                == 2;
}

/* Removes the files of @dir whose names end in @suffix (NULL: all). */
static void
remove_files (const gchar *dir, const gchar *suffix)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL) {
    if (suffix == NULL || g_str_has_suffix (name, suffix)) {
      gchar *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
      g_free (path);
    }
  }
  g_dir_close (d);
}

static gboolean
run_network (Run *run, guint worker, const WorkItem *w,
    const ArticDevibenchCondition *c, const gchar *unit_dir, Outcome *out,
    GError **error)
{
  const Options *o = run->opt;
  const gchar *endpoint
      = g_ptr_array_index (run->endpoints, worker % run->endpoints->len);
  gchar *clip = NULL, *qline = NULL, *boxes = NULL;
  gchar *recv_out = NULL, *send_out = NULL, *line, *frames_dir;
  GSubprocess *recv = NULL, *netem = NULL, *send = NULL;
  GThread *feedback = NULL, *asker = NULL;
  NetFeedback fb = { 0 };
  NetQuestion nq = { 0 };
  guint recv_port, netem_port, signal_port = 0;
  gboolean ok = FALSE;

  if (c->roi == ARTIC_DEVIBENCH_ROI_ORACLE)
    return fail (error, "the oracle condition runs without a network only");
  if ((clip = ensure_clip (run, w, error)) == NULL)
    return FALSE;
  frames_dir = g_build_filename (unit_dir, "frames", NULL);
  g_mkdir_with_parents (frames_dir, 0755);
  /* artic-recv reads one question per line: the prompt's line breaks
   * become spaces. Kept in the pair's folder with its logs. */
  line = one_line (w->prompt);
  qline = g_strdup_printf ("%s\n", line);
  g_free (line);
  line = g_build_filename (unit_dir, "question.txt", NULL);
  if (!g_file_set_contents (line, qline, -1, error)) {
    g_free (line);
    goto done;
  }
  g_free (line);
  if ((recv_port = free_port (G_SOCKET_TYPE_DATAGRAM, error)) == 0
      || (netem_port = free_port (G_SOCKET_TYPE_DATAGRAM, error)) == 0
      || (use_session (o)
          && (signal_port = free_port (G_SOCKET_TYPE_STREAM, error)) == 0))
    goto done;
  if (c->roi == ARTIC_DEVIBENCH_ROI_ON) {
    boxes = g_build_filename (unit_dir, "boxes.json", NULL);
    if (!g_file_set_contents (boxes, "[]", -1, error))
      goto done;
  }
  if ((recv = start_receiver (
           run, c, unit_dir, endpoint, recv_port, signal_port, error))
          == NULL
      || (netem = start_netem (o, c, unit_dir, netem_port, recv_port, error))
             == NULL)
    goto done;
  g_usleep (300 * 1000); /* both sockets bound before the first packet */
  if (signal_port != 0 && !wait_listening (signal_port, 20)) {
    gchar *msg = program_failure (unit_dir, "recv");

    fail (error, "artic-recv's signaling server did not start: %s", msg);
    g_free (msg);
    goto done;
  }
  if (boxes != NULL) {
    fb.opt = o;
    fb.endpoint = endpoint;
    fb.question = w->question;
    fb.frames_dir = frames_dir;
    fb.boxes_path = boxes;
    fb.follow = roi_follows (o, c);
    feedback = g_thread_new ("roi-feedback", net_feedback_thread, &fb);
  }
  nq.frames_dir = frames_dir;
  nq.line = qline;
  nq.recv = recv;
  asker = g_thread_new ("question", net_question_thread, &nq);
  if ((send = start_sender (
           run, c, unit_dir, clip, netem_port, signal_port, boxes, error))
      == NULL)
    goto done;
  if (!wait_exit (send, NET_SEND_TIMEOUT_S)) {
    gchar *so = read_log (unit_dir, "send.out");
    gboolean streamed = strstr (so, "artic-send: sent ") != NULL;

    g_free (so);
    if (!streamed) {
      fail (error, "artic-send did not finish within %d s", NET_SEND_TIMEOUT_S);
      goto done;
    }
    /* The stream is complete (the summary is printed) but the program
     * did not exit: seen under load with main's RTCP session, see
     * docs/devibench.md. The receiver has what it needs. */
    g_printerr (PROGRAM ": warning: %s %s: artic-send hung after its "
                        "summary, stopped\n",
        w->id, c->id);
    stop (send);
  } else if (g_subprocess_get_exit_status (send) != 0) {
    gchar *msg = program_failure (unit_dir, "send");

    fail (error, "%s", msg);
    g_free (msg);
    goto done;
  }
  /* The question is out before the receiver's idle timeout can end it. */
  g_thread_join (asker);
  asker = NULL;
  if (!nq.asked) {
    fail (error, "no frame reached artic-recv: the question was not asked");
    goto done;
  }
  g_output_stream_close (g_subprocess_get_stdin_pipe (recv), NULL, NULL);
  if (!wait_exit (recv, NET_RECV_TIMEOUT_S)) {
    fail (error, "artic-recv did not finish within %d s", NET_RECV_TIMEOUT_S);
    goto done;
  }
  send_out = read_log (unit_dir, "send.out");
  recv_out = read_log (unit_dir, "recv.out");
  if ((line = find_line (send_out, "artic-send: sent ")) != NULL) {
    const gchar *k = strrchr (line, ':');

    if (k != NULL)
      out->achieved_kbps = g_ascii_strtod (k + 1, NULL);
    g_free (line);
  }
  if ((line = find_line (send_out, "artic-send: frame rate ")) != NULL) {
    const gchar *k = strstr (line, "; encoded ");

    if (k != NULL)
      out->encoded_frames = g_ascii_strtod (k + strlen ("; encoded "), NULL);
    g_free (line);
  }
  if (!parse_ms_pair (recv_out, "capture->model (sampled frames)",
          &out->frame_p50_ms, &out->frame_p95_ms))
    out->frame_p50_ms = out->frame_p95_ms = -1;
  if ((line = find_line (recv_out, "artic-recv: A1 took ")) != NULL) {
    const gchar *t = strstr (line, "ms to the first token, ");

    if (t != NULL)
      out->answer_ms
          = g_ascii_strtod (t + strlen ("ms to the first token, "), NULL);
    g_free (line);
  }
  out->answer = find_line (recv_out, "artic-recv: A1: ");
  if (out->answer == NULL) {
    gchar *msg = program_failure (unit_dir, "recv");

    fail (error, "no answer from artic-recv: %s", msg);
    g_free (msg);
    goto done;
  }
  g_strstrip (out->answer);
  ok = TRUE;
done:
  if (asker != NULL) {
    g_atomic_int_set (&nq.stop, 1);
    g_thread_join (asker);
  }
  if (feedback != NULL) {
    g_atomic_int_set (&fb.stop, 1);
    g_thread_join (feedback);
    out->box_requests = fb.requests;
    out->boxes_found = fb.found;
  }
  stop (send);
  stop (recv);
  stop (netem);
  if (!o->keep_frames)
    remove_files (
        frames_dir, ".jpg"); /* the sampled JPEGs, about 1.5 MB a pair */
  g_clear_object (&send);
  g_clear_object (&recv);
  g_clear_object (&netem);
  g_free (send_out);
  g_free (recv_out);
  g_free (boxes);
  g_free (qline);
  g_free (frames_dir);
  g_free (clip);
  return ok;
}

/* ---- scoring ---- */

typedef struct
{
  const gchar *endpoint, *model;
} JudgeTarget;

/* The judge's model: the prompt alone, no images, on any OpenAI-compatible
 * endpoint. */
static gchar *
judge_call (const gchar *prompt, gpointer user_data, GError **error)
{
  JudgeTarget *t = user_data;
  ArticMllmClient *client = new_client (t->endpoint, t->model, error);
  GPtrArray *none;
  gchar *reply;

  if (client == NULL)
    return NULL;
  none = g_ptr_array_new ();
  reply = ask (client, prompt, none, 0, NULL, error);
  g_ptr_array_unref (none);
  artic_mllm_client_free (client);
  return reply;
}

/* Scores @answer to @w's question into @correct, the way named by
 * @scoring. */
static gboolean
score_answer (const Options *o, const WorkItem *w, const gchar *answer,
    gboolean *correct, const gchar **scoring, GError **error)
{
  if (o->judge != NULL) {
    JudgeTarget t = { o->judge, o->judge_model };
    ArticDevibenchVerdict v;

    *scoring = "judge";
    v = artic_devibench_judge (
        judge_call, &t, w->question, w->expected, answer, error);
    if (v == ARTIC_DEVIBENCH_VERDICT_UNKNOWN)
      return FALSE;
    *correct = v == ARTIC_DEVIBENCH_VERDICT_CORRECT;
    return TRUE;
  }
  if (w->version == ARTIC_DEVIBENCH_V1) {
    *scoring = "letter";
    *correct = artic_devibench_letter_match (answer, w->expected);
  } else {
    *scoring = "exact";
    *correct = artic_devibench_exact_match (answer, w->expected);
  }
  return TRUE;
}

static gboolean
score (const Options *o, const WorkItem *w, Outcome *out, GError **error)
{
  return score_answer (o, w, out->answer, &out->correct, &out->scoring, error);
}

/* ---- results.jsonl ---- */

static void
add_number (JsonBuilder *b, const gchar *name, gdouble v)
{
  json_builder_set_member_name (b, name);
  /* Whole kbit/s and milliseconds: finer digits are noise here. */
  if (v >= 0)
    json_builder_add_int_value (b, (gint64) llround (v));
  else
    json_builder_add_null_value (b);
}

static void
add_string (JsonBuilder *b, const gchar *name, const gchar *v)
{
  json_builder_set_member_name (b, name);
  if (v != NULL)
    json_builder_add_string_value (b, v);
  else
    json_builder_add_null_value (b);
}

static gchar *
result_json (
    const WorkItem *w, const ArticDevibenchCondition *c, const Outcome *out)
{
  JsonBuilder *b = json_builder_new ();
  JsonGenerator *g = json_generator_new ();
  JsonNode *root;
  gchar *text, *trace = c->trace ? g_path_get_basename (c->trace) : NULL;

  json_builder_begin_object (b);
  add_string (b, "item", w->id);
  add_string (b, "condition", c->id);
  add_string (b, "task_type", w->task_type);
  add_string (b, "question", w->question);
  add_string (b, "expected", w->expected);
  add_string (b, "answer", out->answer);
  json_builder_set_member_name (b, "correct");
  if (out->error == NULL)
    json_builder_add_boolean_value (b, out->correct);
  else
    json_builder_add_null_value (b);
  add_string (b, "scoring", out->scoring);
  add_string (b, "error", out->error);
  json_builder_set_member_name (b, "clean");
  json_builder_add_boolean_value (b, c->clean);
  add_string (b, "codec", c->codec);
  add_number (b, "target_kbps", c->clean ? -1.0 : (gdouble) c->bitrate_kbps);
  add_number (b, "achieved_kbps", out->achieved_kbps);
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, c->width);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, c->height);
  add_string (b, "roi", artic_devibench_roi_mode_name (c->roi));
  json_builder_set_member_name (b, "roi_box_requests");
  json_builder_add_int_value (b, out->box_requests);
  json_builder_set_member_name (b, "roi_boxes_found");
  json_builder_add_int_value (b, out->boxes_found);
  add_number (b, "roi_boxes_on_target", out->boxes_on_target);
  add_number (b, "roi_target_coverage_percent",
      out->target_coverage >= 0 ? out->target_coverage * 100 : -1);
  /* A sign is 1-3 % of the frame: tenths of a percent tell boxes apart. */
  json_builder_set_member_name (b, "roi_box_area_percent");
  if (out->box_area >= 0)
    json_builder_add_double_value (b, round (out->box_area * 1000) / 10);
  else
    json_builder_add_null_value (b);
  add_number (b, "encoded_frames", out->encoded_frames);
  add_string (b, "trace", trace != NULL ? trace : "none");
  json_builder_set_member_name (b, "loss_percent");
  json_builder_add_double_value (b, c->loss);
  json_builder_set_member_name (b, "delay_ms");
  json_builder_add_int_value (b, c->delay_ms);
  json_builder_set_member_name (b, "network");
  json_builder_add_boolean_value (b, artic_devibench_condition_is_network (c));
  add_number (b, "answer_ms", out->answer_ms);
  add_number (b, "frame_latency_p50_ms", out->frame_p50_ms);
  add_number (b, "frame_latency_p95_ms", out->frame_p95_ms);
  add_number (b, "elapsed_ms", out->elapsed_s * 1000);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (g, root);
  text = json_generator_to_data (g, NULL);
  json_node_unref (root);
  g_object_unref (g);
  g_object_unref (b);
  g_free (trace);
  return text;
}

/* ---- progress ---- */

static void
format_duration (gchar *buf, gsize size, gdouble s)
{
  if (s < 0)
    g_strlcpy (buf, "?", size);
  else if (s < 60)
    g_snprintf (buf, size, "%.0fs", s);
  else if (s < 3600)
    g_snprintf (buf, size, "%dm%02ds", (int) s / 60, (int) s % 60);
  else
    g_snprintf (buf, size, "%dh%02dm", (int) s / 3600, (int) s % 3600 / 60);
}

/* Called with run->lock held. */
static void
progress (Run *run, const gchar *last)
{
  gdouble elapsed = (g_get_monotonic_time () - run->t0) / 1e6;
  gdouble eta
      = run->done > 0 ? elapsed / run->done * (run->total - run->done) : -1;
  gchar e[32], r[32];

  if (run->opt->quiet)
    return;
  format_duration (e, sizeof e, elapsed);
  format_duration (r, sizeof r, eta);
  if (run->tty) {
    gchar bar[31];
    guint fill = run->total ? 30 * run->done / run->total : 30, i;

    for (i = 0; i < 30; i++)
      bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    g_printerr ("\r[%s] %u/%u %3.0f%%, %u correct, %u errors, %s, ETA %s  ",
        bar, run->done, run->total,
        run->total ? 100.0 * run->done / run->total : 100.0, run->correct,
        run->errors, e, r);
    if (run->done == run->total)
      g_printerr ("\n");
  } else {
    g_printerr (PROGRAM ": %u/%u done (%u correct, %u errors), %s elapsed, "
                        "about %s left: %s\n",
        run->done, run->total, run->correct, run->errors, e, r, last);
  }
}

/* ---- one unit of work ---- */

static void
run_unit (Run *run, guint worker, guint64 unit)
{
  WorkItem *w = g_ptr_array_index (run->items, unit >> 32);
  ArticDevibenchCondition *c
      = g_ptr_array_index (run->conditions, unit & 0xffffffff);
  Outcome out = { 0 };
  GError *error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  gchar *json, *summary;

  out.achieved_kbps = out.answer_ms = out.frame_p50_ms = out.frame_p95_ms = -1;
  out.boxes_on_target = -1;
  out.target_coverage = out.box_area = out.encoded_frames = -1;
  if (w->error != NULL) {
    out.error = g_strdup (w->error);
  } else if (artic_devibench_condition_is_network (c)) {
    gchar *name = g_strdup_printf ("%s--%s", w->id, c->id);
    gchar *dir = g_build_filename (run->work_dir, name, NULL);

    g_mkdir_with_parents (dir, 0755);
    if (!run_network (run, worker, w, c, dir, &out, &error)
        || !score (run->opt, w, &out, &error))
      out.error = g_strdup (error->message);
    g_free (dir);
    g_free (name);
  } else if (!run_inproc (run, worker, w, c, &out, &error)
             || !score (run->opt, w, &out, &error)) {
    out.error = g_strdup (error->message);
  }
  g_clear_error (&error);
  out.elapsed_s = (g_get_monotonic_time () - t0) / 1e6;
  json = result_json (w, c, &out);
  summary = g_strdup_printf ("%s %s: %s", w->id, c->id,
      out.error != NULL ? out.error : (out.correct ? "correct" : "wrong"));
  g_mutex_lock (&run->lock);
  /* One write per line, flushed: a killed run leaves at most one partial
   * line, which the next run cuts off and redoes. */
  fprintf (run->results, "%s\n", json);
  fflush (run->results);
  run->done++;
  run->errors += out.error != NULL;
  run->correct += out.error == NULL && out.correct;
  progress (run, summary);
  g_mutex_unlock (&run->lock);
  g_free (summary);
  g_free (json);
  outcome_clear (&out);
}

typedef struct
{
  Run *run;
  volatile gint next;
  guint worker_seq;
} Pool;

static gpointer
worker_thread (gpointer data)
{
  Pool *pool = data;
  guint worker = (guint) g_atomic_int_add ((gint *) &pool->worker_seq, 1);
  gint k;

  while ((k = g_atomic_int_add (&pool->next, 1)) < (gint) pool->run->units->len)
    run_unit (pool->run, worker, g_array_index (pool->run->units, guint64, k));
  return NULL;
}

/* ---- the answerers we start ---- */

/* Does the run stream anything in real time (a network condition)? */
static gboolean
run_has_network (const Run *run)
{
  guint i;

  for (i = 0; run->conditions != NULL && i < run->conditions->len; i++)
    if (artic_devibench_condition_is_network (
            g_ptr_array_index (run->conditions, i)))
      return TRUE;
  return FALSE;
}

/* Bitrate-only runs wait for every answer, so there the answerers keep the
 * harness's priority; with network conditions they yield to the programs
 * (answerer_setup). */
static gboolean
start_answerers (Run *run, guint count, GError **error)
{
  gint nice = run_has_network (run) ? ANSWERER_NICE : 0;
  guint i;

  for (i = 0; i < count; i++) {
    gchar *port_file
        = g_strdup_printf ("%s/answerer-%u.port", run->work_dir, i);
    gchar *tag = g_strdup_printf ("answerer-%u", i);
    GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
    GSubprocess *p;
    gchar *text = NULL;
    gint64 end
        = g_get_monotonic_time () + ANSWERER_START_TIMEOUT_S * G_USEC_PER_SEC;

    g_unlink (port_file);
    g_ptr_array_add (argv, program_path (run->opt, "artic-answerer"));
    argv_add (argv, "--listen=127.0.0.1:0");
    argv_add (argv, "--port-file=%s", port_file);
    p = spawn_answerer (run->work_dir, tag, argv, nice, error);
    g_ptr_array_unref (argv);
    g_free (tag);
    if (p == NULL) {
      g_free (port_file);
      return FALSE;
    }
    g_ptr_array_add (run->answerers, p);
    while (g_get_monotonic_time () < end && g_subprocess_get_identifier (p)
           && !(g_file_get_contents (port_file, &text, NULL, NULL)
                && atoi (text) > 0)) {
      g_clear_pointer (&text, g_free);
      g_usleep (50 * 1000);
    }
    if (text == NULL || atoi (text) <= 0) {
      g_free (text);
      g_free (port_file);
      return fail (error,
          "artic-answerer did not start (see %s/answerer-%u.err)",
          run->work_dir, i);
    }
    g_ptr_array_add (run->endpoints,
        g_strdup_printf ("http://127.0.0.1:%d/v1", atoi (text)));
    g_free (text);
    g_free (port_file);
  }
  return TRUE;
}

/* ---- outputs ---- */

static gboolean
write_summary (GPtrArray *results, const gchar *dir, gboolean plots,
    gboolean print, GError **error)
{
  ArticDevibenchSummary *s = artic_devibench_summary_new (results);
  gchar *csv = artic_devibench_summary_csv (s);
  gchar *md = artic_devibench_summary_markdown (s);
  gchar *csv_path = g_build_filename (dir, "summary.csv", NULL);
  gchar *md_path = g_build_filename (dir, "summary.md", NULL);
  gboolean ok = g_file_set_contents (csv_path, csv, -1, error)
                && g_file_set_contents (md_path, md, -1, error);

  if (ok && plots)
    ok = artic_devibench_plot_all (s, dir, NULL, error);
  if (ok && print)
    g_print ("%s", md);
  g_free (csv_path);
  g_free (md_path);
  g_free (csv);
  g_free (md);
  artic_devibench_summary_free (s);
  return ok;
}

/* ---- devibench run ---- */

static void
options_free (Options *o)
{
  g_free (o->suite);
  g_free (o->csv);
  g_free (o->videos);
  g_free (o->out);
  g_free (o->endpoint);
  g_free (o->model);
  g_free (o->judge);
  g_free (o->judge_model);
  g_free (o->media_dir);
  g_free (o->bin_dir);
  g_free (o->shard);
  g_free (o->items_arg);
  g_free (o->codecs);
  g_free (o->bitrates);
  g_free (o->sizes);
  g_free (o->roi);
  g_free (o->traces);
  g_free (o->loss);
  g_free (o->delay);
  g_free (o->transport);
  g_free (o->model_frames);
  g_strfreev (o->send_args);
  g_free (o->encoder_props);
  g_free (o->roi_boxes);
}

static gboolean
parse_options (const gchar *command, const gchar *summary,
    const gchar *description, GOptionEntry *entries, int *argc, char ***argv,
    int *status)
{
  GOptionContext *ctx = g_option_context_new (summary);
  GError *error = NULL;
  gchar *name = g_strdup_printf (PROGRAM " %s", command);
  gboolean ok;

  g_set_prgname (name);
  g_option_context_set_description (ctx, description);
  g_option_context_add_main_entries (ctx, entries, NULL);
  ok = g_option_context_parse (ctx, argc, argv, &error);
  if (!ok) {
    *status = devibench_cli_usage_error ("%s", error->message);
    g_error_free (error);
  }
  g_option_context_free (ctx);
  g_free (name);
  return ok;
}

static const gchar run_description[]
    = "Lite mode (--suite DIR): each item of a lite suite, rendered on the "
      "fly. Real mode (--csv FILE --videos DIR): each DeViBench row, its "
      "5-second segment cut from the video named after its sample "
      "(SAMPLE.mp4, sample_SAMPLE.mp4, SAMPLE/video.mp4).\n"
      "Each item goes through the stack under each condition (the cross "
      "product of --codec, --size, --bitrate, --roi, --trace, --loss, "
      "--delay) and the authors' prompt is asked of an OpenAI-compatible "
      "endpoint (default: artic-answerer instances started here). Without "
      "a network (no trace, loss or delay) the sender's and receiver's "
      "elements run in one process faster than real time; with one, "
      "artic-send -> artic-netem -> artic-recv --mllm run in real time over "
      "loopback UDP, over their peer session (SRTP, context channel, a "
      "fresh token file per run) unless --transport rtp.\n"
      "Writes DIR/results.jsonl (one line per item x condition), "
      "DIR/summary.csv, DIR/summary.md and PNG plots. A rerun with the "
      "same --out skips what results.jsonl holds.\n"
      "Example:\n"
      "  devibench run --suite data/devibench/lite3-seed1 --out runs/a "
      "--bitrate clean,200,800 --roi off,on --limit 10 -j 2";

/* Items selected by --items "1,5,7-9" (1-based), or all up to --limit. */
static gboolean
select_items (GPtrArray *items, const gchar *spec, gint limit, GError **error)
{
  GArray *keep;
  gchar **parts;
  guint i, n = items->len;

  if (spec == NULL) {
    if (limit > 0 && (guint) limit < n)
      g_ptr_array_remove_range (items, limit, n - limit);
    return TRUE;
  }
  keep = g_array_new (FALSE, TRUE, sizeof (gboolean));
  g_array_set_size (keep, n);
  parts = g_strsplit (spec, ",", -1);
  for (i = 0; parts[i]; i++) {
    guint a = 0, b = 0, k;
    gchar tail;

    if (sscanf (parts[i], "%u-%u%c", &a, &b, &tail) == 2) {
    } else if (sscanf (parts[i], "%u%c", &a, &tail) == 1) {
      b = a;
    } else {
      a = 0;
    }
    if (a < 1 || b < a || b > n) {
      fail (error, "--items '%s': '%s' is not an item number or range in 1..%u",
          spec, parts[i], n);
      g_strfreev (parts);
      g_array_unref (keep);
      return FALSE;
    }
    for (k = a; k <= b; k++)
      g_array_index (keep, gboolean, k - 1) = TRUE;
  }
  g_strfreev (parts);
  for (i = n; i-- > 0;)
    if (!g_array_index (keep, gboolean, i))
      g_ptr_array_remove_index (items, i);
  g_array_unref (keep);
  if (limit > 0 && (guint) limit < items->len)
    g_ptr_array_remove_range (items, limit, items->len - limit);
  return TRUE;
}

static gboolean
check_options (Options *o, int *status)
{
  if ((o->suite == NULL) == (o->csv == NULL)) {
    *status = devibench_cli_usage_error (
        "give either --suite DIR (lite mode) or --csv "
        "FILE --videos DIR (real mode)");
    return FALSE;
  }
  if (o->csv != NULL && o->videos == NULL) {
    *status = devibench_cli_usage_error ("--csv needs --videos DIR");
    return FALSE;
  }
  if (o->videos != NULL && !g_file_test (o->videos, G_FILE_TEST_IS_DIR)) {
    *status = devibench_cli_usage_error (
        "--videos '%s' is not a folder", o->videos);
    return FALSE;
  }
  if (o->csv != NULL && !g_file_test (o->csv, G_FILE_TEST_IS_REGULAR)) {
    *status = devibench_cli_usage_error ("--csv '%s': no such file", o->csv);
    return FALSE;
  }
  if (o->out == NULL) {
    *status = devibench_cli_usage_error ("--out DIR is required");
    return FALSE;
  }
  if (o->jobs < 1 || o->jobs > MAX_WORKERS) {
    *status = devibench_cli_usage_error (
        "-j %d is out of range (1-%d)", o->jobs, MAX_WORKERS);
    return FALSE;
  }
  if (o->answerers < 0 || o->answerers > MAX_ANSWERERS) {
    *status = devibench_cli_usage_error (
        "--answerers %d is out of range (0-%d)", o->answerers, MAX_ANSWERERS);
    return FALSE;
  }
  if (o->limit < 0) {
    *status = devibench_cli_usage_error ("--limit %d is negative", o->limit);
    return FALSE;
  }
  if (o->transport != NULL && strcmp (o->transport, "session") != 0
      && strcmp (o->transport, "rtp") != 0) {
    *status = devibench_cli_usage_error (
        "--transport '%s' is not session or rtp", o->transport);
    return FALSE;
  }
  if (o->model_frames != NULL && strcmp (o->model_frames, "cache") != 0
      && strcmp (o->model_frames, "newest") != 0) {
    *status = devibench_cli_usage_error (
        "--model-frames '%s' is not cache or newest", o->model_frames);
    return FALSE;
  }
  if (o->roi_boxes != NULL && strcmp (o->roi_boxes, "follow") != 0
      && strcmp (o->roi_boxes, "predict") != 0) {
    *status = devibench_cli_usage_error (
        "--roi-boxes '%s' is not follow or predict", o->roi_boxes);
    return FALSE;
  }
  if (o->image_size < 64 || o->image_size > 8192) {
    *status = devibench_cli_usage_error (
        "--image-size %d is out of range (64-8192)", o->image_size);
    return FALSE;
  }
  if (o->frame_window < 1 || o->frame_window > 10) {
    *status = devibench_cli_usage_error (
        "--frame-window %d is out of range (1-10)", o->frame_window);
    return FALSE;
  }
  if (!(o->roi_period >= 0.5 && o->roi_period <= SEGMENT_S)) {
    *status = devibench_cli_usage_error (
        "--roi-period %g is out of range (0.5-%g s)", o->roi_period, SEGMENT_S);
    return FALSE;
  }
  /* Below one sampling interval the frame that carries the next box
   * request would itself wait for that request's reply. */
  if (!(o->roi_delay >= 1.0 / SAMPLE_RATE && o->roi_delay <= SEGMENT_S)) {
    *status
        = devibench_cli_usage_error ("--roi-delay %g is out of range (%g-%g s)",
            o->roi_delay, 1.0 / SAMPLE_RATE, SEGMENT_S);
    return FALSE;
  }
  if (o->endpoint != NULL && !g_str_has_prefix (o->endpoint, "http://")
      && !g_str_has_prefix (o->endpoint, "https://")) {
    *status = devibench_cli_usage_error (
        "--endpoint '%s' is not an http(s) URL", o->endpoint);
    return FALSE;
  }
  if (o->judge != NULL && !g_str_has_prefix (o->judge, "http://")
      && !g_str_has_prefix (o->judge, "https://")) {
    *status = devibench_cli_usage_error (
        "--judge '%s' is not an http(s) URL", o->judge);
    return FALSE;
  }
  return TRUE;
}

/* The work list: item-major, so that a run cut short has every condition
 * on the same items; then this shard's part; then what is not done yet. */
static void
build_units (
    Run *run, GPtrArray *done, guint shard_i, guint shard_n, guint *skipped)
{
  GHashTable *finished
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint64 k = 0;
  guint i, j;

  for (i = 0; i < done->len; i++) {
    ArticDevibenchResult *r = g_ptr_array_index (done, i);
    gchar *key = artic_devibench_result_key (r->item, r->condition);

    /* With --retry-errors the last record of a pair decides. */
    if (run->opt->retry_errors && r->error != NULL)
      g_hash_table_remove (finished, key), g_free (key);
    else
      g_hash_table_replace (finished, key, NULL);
  }
  *skipped = 0;
  for (i = 0; i < run->items->len; i++) {
    WorkItem *w = g_ptr_array_index (run->items, i);

    for (j = 0; j < run->conditions->len; j++, k++) {
      ArticDevibenchCondition *c = g_ptr_array_index (run->conditions, j);
      gchar *key;
      guint64 unit = ((guint64) i << 32) | j;

      if (!artic_devibench_shard_owns (k, shard_i, shard_n))
        continue;
      key = artic_devibench_result_key (w->id, c->id);
      if (g_hash_table_contains (finished, key))
        (*skipped)++;
      else
        g_array_append_val (run->units, unit);
      g_free (key);
    }
  }
  g_hash_table_unref (finished);
}

/* What devibench run and devibench lite-select set up alike; run_clear
 * undoes it. */
static void
run_init (Run *run)
{
  g_mutex_init (&run->lock);
  g_cond_init (&run->clip_cond);
  run->clips_busy
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  run->endpoints = g_ptr_array_new_with_free_func (g_free);
  run->answerers = g_ptr_array_new_with_free_func (g_object_unref);
}

/* The endpoint to ask: --endpoint, or artic-answerer instances started
 * here. */
static gboolean
run_connect (Run *run, GError **error)
{
  if (run->opt->endpoint != NULL) {
    g_ptr_array_add (run->endpoints, g_strdup (run->opt->endpoint));
    return TRUE;
  }
  return start_answerers (run, MAX (1, run->opt->answerers), error);
}

/* Stops the answerers the run started and frees what devibench run and
 * devibench lite-select set up alike. */
static void
run_clear (Run *run)
{
  guint i;

  if (run->answerers != NULL) {
    for (i = 0; i < run->answerers->len; i++)
      stop (g_ptr_array_index (run->answerers, i));
    g_ptr_array_unref (run->answerers);
  }
  if (run->endpoints != NULL)
    g_ptr_array_unref (run->endpoints);
  if (run->clips_busy != NULL) {
    g_hash_table_unref (run->clips_busy);
    g_mutex_clear (&run->lock);
    g_cond_clear (&run->clip_cond);
  }
  if (run->items != NULL)
    g_ptr_array_unref (run->items);
  if (run->conditions != NULL)
    g_ptr_array_unref (run->conditions);
}

int
artic_devibench_cmd_run (int argc, char **argv)
{
  Options o = { 0 };
  GOptionEntry entries[] = {
    { "suite", 0, 0, G_OPTION_ARG_FILENAME, &o.suite,
        "Lite mode: suite folder (with manifest.json)", "DIR" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &o.csv,
        "Real mode: a DeViBench question set (v1 or v2 CSV)", "FILE" },
    { "videos", 0, 0, G_OPTION_ARG_FILENAME, &o.videos,
        "Real mode: the StreamingBench videos folder", "DIR" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &o.out,
        "Output folder (created; a rerun resumes)", "DIR" },
    { "codec", 0, 0, G_OPTION_ARG_STRING, &o.codecs,
        "Codecs: vp8, vp9, h264 (default vp8)", "LIST" },
    { "bitrate", 'b', 0, G_OPTION_ARG_STRING, &o.bitrates,
        "Target bitrates in kbit/s, 'clean' = no encoding (default 200)",
        "LIST" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &o.sizes,
        "Frame sizes WxH (default 1280x720)", "LIST" },
    { "roi", 0, 0, G_OPTION_ARG_STRING, &o.roi,
        "off (uniform), on (the endpoint's boxes), oracle (the known target "
        "box, lite only: an upper bound); default off",
        "LIST" },
    { "trace", 0, 0, G_OPTION_ARG_STRING, &o.traces,
        "none or Mahimahi trace files (default none)", "LIST" },
    { "loss", 0, 0, G_OPTION_ARG_STRING, &o.loss,
        "Random loss in percent (default 0)", "LIST" },
    { "delay", 0, 0, G_OPTION_ARG_STRING, &o.delay,
        "One-way delay in ms (default 0)", "LIST" },
    { "transport", 0, 0, G_OPTION_ARG_STRING, &o.transport,
        "How artic-send and artic-recv talk in network conditions: session "
        "(the peer session: signaling with a fresh token, SRTP, context "
        "channel; default) or rtp (plain RTP)",
        "NAME" },
    { "endpoint", 'e', 0, G_OPTION_ARG_STRING, &o.endpoint,
        "OpenAI-compatible base URL (default: start artic-answerer)", "URL" },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &o.model, "Model name", "NAME" },
    { "judge", 0, 0, G_OPTION_ARG_STRING, &o.judge,
        "Score with an LLM judge at this OpenAI-compatible URL instead of "
        "normalized exact match",
        "URL" },
    { "judge-model", 0, 0, G_OPTION_ARG_STRING, &o.judge_model,
        "The judge's model name", "NAME" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &o.jobs, "Parallel workers (default 1)",
        "N" },
    { "answerers", 0, 0, G_OPTION_ARG_INT, &o.answerers,
        "artic-answerer instances to start without --endpoint (default: "
        "one per worker, at most 4)",
        "N" },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &o.shard,
        "Run only shard I of N of the work list", "I/N" },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &o.limit,
        "Only the first N items (0 = all)", "N" },
    { "items", 0, 0, G_OPTION_ARG_STRING, &o.items_arg,
        "Only these items, 1-based: 1,4,10-20", "LIST" },
    { "retry-errors", 0, 0, G_OPTION_ARG_NONE, &o.retry_errors,
        "Redo item x condition pairs recorded with an error", NULL },
    { "image-size", 0, 0, G_OPTION_ARG_INT, &o.image_size,
        "Largest side of the JPEGs sent to the model (default 768, as "
        "articmllmsink)",
        "PX" },
    { "frame-window", 0, 0, G_OPTION_ARG_INT, &o.frame_window,
        "Newest sampled frames sent with the question (default 3)", "N" },
    { "encoder-props", 0, 0, G_OPTION_ARG_STRING, &o.encoder_props,
        "Without a network: more articenc properties, e.g. "
        "region-boost=false (for experiments)",
        "PROPS" },
    { "roi-boxes", 0, 0, G_OPTION_ARG_STRING, &o.roi_boxes,
        "How ROI's boxes reach the frames: follow (the model names the "
        "region in the newest frame, the sender's articroi follows it from "
        "that frame on; default) or predict (the model predicts the next 3 "
        "frames, ZeCoStream's request, held until the next reply)",
        "HOW" },
    { "send-arg", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o.send_args,
        "With a network: one more artic-send option, e.g. --no-feedback "
        "(repeatable; for experiments)",
        "ARG" },
    { "model-frames", 0, 0, G_OPTION_ARG_STRING, &o.model_frames,
        "Without a network, which frames go with the question: cache (the "
        "newest --frame-window images of artic-recv's chunk cache, as over "
        "the network; default) or newest (the newest sampled frames)",
        "HOW" },
    { "roi-period", 0, 0, G_OPTION_ARG_DOUBLE, &o.roi_period,
        "Seconds between box requests (default 1)", "S" },
    { "roi-delay", 0, 0, G_OPTION_ARG_DOUBLE, &o.roi_delay,
        "Seconds from a box request's frame to the first frame encoded with "
        "its boxes, without a network (default 0.5)",
        "S" },
    { "media-dir", 0, 0, G_OPTION_ARG_FILENAME, &o.media_dir,
        "Folder with the lite suite's clips (default: the source tree's "
        "data/media)",
        "DIR" },
    { "bin-dir", 0, 0, G_OPTION_ARG_FILENAME, &o.bin_dir,
        "Folder with artic-send, artic-recv, artic-netem, artic-answerer "
        "(default: the build folder, then PATH)",
        "DIR" },
    { "no-plots", 0, 0, G_OPTION_ARG_NONE, &o.no_plots, "Do not draw PNGs",
        NULL },
    { "keep-frames", 0, 0, G_OPTION_ARG_NONE, &o.keep_frames,
        "Keep the sampled JPEGs of every pair in DIR/work/ITEM--CONDITION/"
        "frames (about 1.5 MB a pair)",
        NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, "No progress output",
        NULL },
    G_OPTION_ENTRY_NULL,
  };
  ArticDevibenchGrid grid;
  Run run;
  GPtrArray *done = NULL;
  GError *error = NULL;
  gchar *results_path = NULL;
  guint shard_i = 1, shard_n = 1, bad = 0, skipped = 0, i, n_workers;
  int status = EXIT_FAILURE;

  memset (&run, 0, sizeof run);
  o.jobs = 1;
  o.answerers = -1;
  o.image_size = 768;
  o.frame_window = 3;
  o.roi_period = 1.0;
  o.roi_delay = 0.5;
  if (!parse_options (
          "run", "", run_description, entries, &argc, &argv, &status))
    goto out;
  if (argc != 1) {
    status = devibench_cli_usage_error ("unexpected argument '%s'", argv[1]);
    goto out;
  }
  if (o.answerers < 0)
    o.answerers = MIN (MAX (o.jobs, 1), MAX_ANSWERERS);
  if (!check_options (&o, &status))
    goto out;
  if (o.media_dir == NULL)
    o.media_dir = g_strdup (ARTIC_DEVIBENCH_MEDIA_DIR);
  if (o.bin_dir == NULL)
    o.bin_dir = g_strdup (ARTIC_DEVIBENCH_BIN_DIR);
  if (o.shard != NULL
      && !artic_devibench_shard_parse (o.shard, &shard_i, &shard_n, &error)) {
    status = devibench_cli_usage_error ("%s", error->message);
    goto out;
  }
  grid.codecs = o.codecs;
  grid.bitrates = o.bitrates;
  grid.sizes = o.sizes;
  grid.roi = o.roi;
  grid.traces = o.traces;
  grid.loss = o.loss;
  grid.delay = o.delay;
  if ((run.conditions = artic_devibench_conditions_new (&grid, &error))
      == NULL) {
    status = devibench_cli_usage_error ("%s", error->message);
    goto out;
  }
  for (i = 0; o.encoder_props != NULL && i < run.conditions->len; i++)
    if (artic_devibench_condition_is_network (
            g_ptr_array_index (run.conditions, i))) {
      status = devibench_cli_usage_error ("--encoder-props applies without a "
                                          "network only; with one, use "
                                          "--send-arg");
      goto out;
    }
  run.items = o.suite != NULL ? load_lite_items (&o, &error)
                              : load_real_items (&o, &error);
  if (run.items == NULL) {
    status = devibench_cli_run_error ("%s", error->message);
    goto out;
  }
  if (!select_items (run.items, o.items_arg, o.limit, &error)) {
    status = devibench_cli_usage_error ("%s", error->message);
    goto out;
  }
  run.opt = &o;
  run.work_dir = g_build_filename (o.out, "work", NULL);
  run.clip_dir = g_build_filename (o.out, "clips", NULL);
  if (g_mkdir_with_parents (run.work_dir, 0755) != 0
      || g_mkdir_with_parents (run.clip_dir, 0755) != 0) {
    status = devibench_cli_run_error (
        "cannot create %s: %s", o.out, g_strerror (errno));
    goto out;
  }
  if (use_session (&o)
      && (run.token_path = write_token_file (run.work_dir, &error)) == NULL) {
    status = devibench_cli_run_error ("%s", error->message);
    goto out;
  }
  results_path = g_build_filename (o.out, "results.jsonl", NULL);
  if ((done = artic_devibench_results_load (results_path, TRUE, &bad, &error))
      == NULL) {
    status = devibench_cli_run_error ("%s", error->message);
    goto out;
  }
  if (bad > 0)
    g_printerr (PROGRAM ": warning: %s: %u lines are not results and are "
                        "ignored\n",
        results_path, bad);
  run.units = g_array_new (FALSE, FALSE, sizeof (guint64));
  build_units (&run, done, shard_i, shard_n, &skipped);
  run.total = run.units->len;
  run.tty = isatty (fileno (stderr));
  run_init (&run);
  if (!o.quiet)
    g_printerr (PROGRAM ": %u items x %u conditions%s: %u to run, %u already "
                        "in %s\n",
        run.items->len, run.conditions->len,
        shard_n > 1 ? " (this shard's part)" : "", run.total, skipped,
        results_path);
  if (run.total > 0) {
    if (!run_connect (&run, &error)) {
      status = devibench_cli_run_error ("%s", error->message);
      goto out;
    }
    if ((run.results = fopen (results_path, "a")) == NULL) {
      status = devibench_cli_run_error (
          "cannot open %s: %s", results_path, g_strerror (errno));
      goto out;
    }
    run.t0 = g_get_monotonic_time ();
    {
      Pool pool = { &run, 0, 0 };
      GPtrArray *threads = g_ptr_array_new ();

      n_workers = MIN ((guint) o.jobs, run.total);
      for (i = 0; i < n_workers; i++)
        g_ptr_array_add (
            threads, g_thread_new ("worker", worker_thread, &pool));
      for (i = 0; i < threads->len; i++)
        g_thread_join (g_ptr_array_index (threads, i));
      g_ptr_array_unref (threads);
    }
    fclose (run.results);
    run.results = NULL;
  }
  g_ptr_array_unref (done);
  done = artic_devibench_results_load (results_path, FALSE, &bad, &error);
  if (done == NULL
      || !write_summary (done, o.out, !o.no_plots, !o.quiet, &error)) {
    status = devibench_cli_run_error ("%s", error->message);
    goto out;
  }
  if (!o.quiet)
    g_printerr (PROGRAM ": wrote %s, summary.csv, summary.md%s in %s\n",
        "results.jsonl", o.no_plots ? "" : " and plots", o.out);
  status = EXIT_SUCCESS;
out:
  run_clear (&run);
  if (run.units != NULL)
    g_array_unref (run.units);
  if (done != NULL)
    g_ptr_array_unref (done);
  if (run.token_path != NULL)
    g_unlink (run.token_path);
  g_free (run.token_path);
  g_free (run.work_dir);
  g_free (run.clip_dir);
  g_free (results_path);
  g_clear_error (&error);
  options_free (&o);
  return status;
}

/* ---- devibench summarize ---- */

int
artic_devibench_cmd_summarize (int argc, char **argv)
{
  gchar *out = NULL;
  gboolean no_plots = FALSE;
  GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
        "Where to write summary.csv, summary.md and the plots (default: the "
        "first DIR)",
        "DIR" },
    { "no-plots", 0, 0, G_OPTION_ARG_NONE, &no_plots, "Do not draw PNGs",
        NULL },
    G_OPTION_ENTRY_NULL,
  };
  GPtrArray *all = NULL;
  GError *error = NULL;
  int status = EXIT_FAILURE, i;

  if (!parse_options ("summarize", "DIR...",
          "Summarizes the results.jsonl of one or more runs (e.g. the shards "
          "of a --shard run) together: accuracy per condition and task "
          "type, achieved bitrate, latency percentiles, plots.",
          entries, &argc, &argv, &status))
    goto done;
  if (argc < 2) {
    status = devibench_cli_usage_error ("give at least one run folder");
    goto done;
  }
  all = g_ptr_array_new_with_free_func (
      (GDestroyNotify) artic_devibench_result_free);
  for (i = 1; i < argc; i++) {
    gchar *path = g_build_filename (argv[i], "results.jsonl", NULL);
    GPtrArray *part;
    guint bad = 0, k;

    if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
      status = devibench_cli_usage_error ("%s: no such file", path);
      g_free (path);
      goto done;
    }
    part = artic_devibench_results_load (path, FALSE, &bad, &error);
    if (part == NULL) {
      status = devibench_cli_run_error ("%s", error->message);
      g_free (path);
      goto done;
    }
    if (bad > 0)
      g_printerr (
          PROGRAM ": warning: %s: %u lines are not results\n", path, bad);
    for (k = 0; k < part->len; k++)
      g_ptr_array_add (all, g_steal_pointer (&part->pdata[k]));
    g_ptr_array_set_free_func (part, NULL);
    g_ptr_array_unref (part);
    g_free (path);
  }
  if (out == NULL)
    out = g_strdup (argv[1]);
  if (g_mkdir_with_parents (out, 0755) != 0) {
    status = devibench_cli_run_error (
        "cannot create %s: %s", out, g_strerror (errno));
    goto done;
  }
  if (!write_summary (all, out, !no_plots, TRUE, &error)) {
    status = devibench_cli_run_error ("%s", error->message);
    goto done;
  }
  status = EXIT_SUCCESS;
done:
  if (all != NULL)
    g_ptr_array_unref (all);
  g_clear_error (&error);
  g_free (out);
  return status;
}

/* ---- devibench lite-select ---- */

/* DeViBench keeps a generated question only if a model answers it right on
 * the original video. lite-select applies that step to a lite suite: each
 * item's clean condition runs through run_inproc (the path of devibench
 * run's clean-WxH condition) against the endpoint, in the suite's order,
 * and the first --count items answered right are kept. The decision is
 * taken over the ordered prefix, so -j changes the speed, not the
 * selection. */

#define SELECT_ATTEMPTS 3

typedef struct
{
  gboolean done, correct;
  gchar *answer, *error;
  gchar *frame_answers; /* --each-frame: the answers about each image */
} Check;

typedef struct
{
  Run *run;
  const ArticDevibenchCondition *clean;
  Check *checks;
  guint n, count; /* count 0: keep every item answered right */
  guint next;     /* the next item to claim */
  guint decided;  /* the prefix [0, decided) holds count right answers */
  guint finished, right;
  guint workers; /* numbers the worker threads */
  gboolean failed;
} Selection;

/* Called with the run's lock held: does the finished prefix already hold
 * --count right answers? */
static void
selection_update (Selection *sel)
{
  guint i, right = 0;

  if (sel->count == 0)
    return;
  for (i = 0; i < sel->n && sel->checks[i].done; i++) {
    right += sel->checks[i].correct;
    if (right == sel->count) {
      sel->decided = i + 1;
      return;
    }
  }
}

/* With --each-frame an item counts as answered right only if each image of
 * the question's, asked about alone, is answered right too: the reading
 * is then not one image's luck at the edge of legibility, which any change
 * of pixels (a near-transparent encode) gives back (docs/devibench.md,
 * "The confident suite"). Clears @out->correct otherwise and keeps the
 * answers for selection.csv. */
static gboolean
score_each_frame (const Options *o, const WorkItem *w, Outcome *out,
    Check *check, GError **error)
{
  GString *text;
  guint i;

  if (out->frame_answers == NULL)
    return TRUE;
  text = g_string_new (NULL);
  for (i = 0; i < out->frame_answers->len; i++) {
    const gchar *answer = g_ptr_array_index (out->frame_answers, i);
    const gchar *scoring;
    gboolean right = FALSE;

    if (!score_answer (o, w, answer, &right, &scoring, error)) {
      g_string_free (text, TRUE);
      return FALSE;
    }
    out->correct &= right;
    g_string_append_printf (text, "%s%s", i > 0 ? " | " : "", answer);
  }
  g_free (check->frame_answers);
  check->frame_answers = g_string_free (text, FALSE);
  return TRUE;
}

/* An error (a busy answerer's connect timeout) says nothing about the item:
 * try again rather than drop it, so that load cannot change the
 * selection. */
static void
check_item (Selection *sel, guint worker, const WorkItem *w, Check *check)
{
  guint attempt;

  for (attempt = 1; attempt <= SELECT_ATTEMPTS; attempt++) {
    Outcome out = { 0 };
    GError *error = NULL;

    g_clear_pointer (&check->error, g_free);
    if (run_inproc (sel->run, worker, w, sel->clean, &out, &error)
        && score (sel->run->opt, w, &out, &error)
        && score_each_frame (sel->run->opt, w, &out, check, &error)) {
      check->correct = out.correct;
      check->answer = g_steal_pointer (&out.answer);
      outcome_clear (&out);
      return;
    }
    check->error = g_strdup (error->message);
    g_clear_error (&error);
    outcome_clear (&out);
    if (attempt < SELECT_ATTEMPTS)
      g_usleep (G_USEC_PER_SEC);
  }
}

static gpointer
select_thread (gpointer data)
{
  Selection *sel = data;
  Run *run = sel->run;
  guint worker;

  g_mutex_lock (&run->lock);
  worker = sel->workers++;
  g_mutex_unlock (&run->lock);
  for (;;) {
    WorkItem *w;
    Check *check;
    gdouble elapsed, eta;
    gchar e[32], r[32];
    guint i;

    g_mutex_lock (&run->lock);
    if (sel->decided > 0 || sel->failed || sel->next >= sel->n) {
      g_mutex_unlock (&run->lock);
      break;
    }
    i = sel->next++;
    g_mutex_unlock (&run->lock);
    w = g_ptr_array_index (run->items, i);
    check = &sel->checks[i];
    check_item (sel, worker, w, check);
    g_mutex_lock (&run->lock);
    check->done = TRUE;
    sel->finished++;
    sel->right += check->error == NULL && check->correct;
    if (check->error != NULL)
      sel->failed = TRUE;
    else
      selection_update (sel);
    if (!run->opt->quiet) {
      elapsed = (g_get_monotonic_time () - run->t0) / 1e6;
      /* The right answers still wanted, at the rate so far. */
      eta = sel->count == 0 ? elapsed * (sel->n - sel->finished) / sel->finished
            : sel->right > 0
                ? elapsed * (sel->count - MIN (sel->right, sel->count))
                      / sel->right
                : -1;
      format_duration (e, sizeof e, elapsed);
      format_duration (r, sizeof r, eta);
      g_printerr (PROGRAM ": %s: %s; %u of %u right so far (%u checked), "
                          "%s elapsed, about %s left\n",
          w->id,
          check->error != NULL ? check->error
          : check->correct     ? "right"
                               : "wrong",
          sel->right, sel->count > 0 ? sel->count : sel->n, sel->finished, e,
          r);
    }
    g_mutex_unlock (&run->lock);
  }
  return NULL;
}

static void
csv_field (GString *s, const gchar *text, gboolean last)
{
  const gchar *p;

  g_string_append_c (s, '"');
  for (p = text != NULL ? text : ""; *p; p++) {
    if (*p == '"')
      g_string_append_c (s, '"');
    g_string_append_c (s, *p == '\n' || *p == '\r' ? ' ' : *p);
  }
  g_string_append (s, last ? "\"\n" : "\",");
}

/* One line per item checked: what it was called in the input suite, its
 * candidate number, its id in the selection (empty if dropped), the
 * verdict and the answer. */
static gchar *
selection_csv (const Selection *sel, guint checked)
{
  gboolean each_frame = sel->run->opt->each_frame;
  GString *s
      = g_string_new (each_frame ? "source_id,candidate,id,clean_correct,"
                                   "answer,frame_answers\n"
                                 : "source_id,candidate,id,clean_"
                                   "correct,answer\n");
  guint i, kept = 0;

  for (i = 0; i < checked; i++) {
    const WorkItem *w = g_ptr_array_index (sel->run->items, i);
    const Check *c = &sel->checks[i];
    gchar *id = c->correct && (sel->count == 0 || kept < sel->count)
                    ? g_strdup_printf ("lite-%04u", ++kept)
                    : g_strdup ("");

    g_string_append_printf (s, "%s,%u,%s,%s,", w->id, w->lite->candidate, id,
        c->error != NULL ? "error"
        : c->correct     ? "true"
                         : "false");
    csv_field (s, c->error != NULL ? c->error : c->answer, !each_frame);
    if (each_frame)
      csv_field (s, c->frame_answers, TRUE);
    g_free (id);
  }
  return g_string_free (s, FALSE);
}

static gboolean
write_selection (const Selection *sel, guint checked, const gchar *dir,
    guint64 seed, guint profile, GError **error)
{
  ArticDevibenchLiteSuite *suite = artic_devibench_lite_suite_new (seed);
  gboolean ok;
  guint i;

  suite->profile = profile;
  for (i = 0;
       i < checked && (sel->count == 0 || suite->items->len < sel->count);
       i++) {
    const WorkItem *w = g_ptr_array_index (sel->run->items, i);
    ArticDevibenchLiteItem *item;

    if (!sel->checks[i].correct)
      continue;
    item = artic_devibench_lite_item_copy (w->lite);
    g_free (item->id);
    item->id = g_strdup_printf ("lite-%04u", suite->items->len + 1);
    g_ptr_array_add (suite->items, item);
  }
  ok = artic_devibench_lite_suite_save (suite, dir, error);
  artic_devibench_lite_suite_free (suite);
  return ok;
}

static const gchar select_description[]
    = "DeViBench keeps a generated question only if a model answers it "
      "right on the original video. lite-select does that for a lite "
      "suite: each item of --suite is run clean (no encoding, the frames "
      "scaled to --size and sampled at 2 per second, the newest 3 sent as "
      "--image-size JPEGs: devibench run's clean condition) and asked of "
      "the endpoint (default: artic-answerer instances started here); "
      "items are taken in the suite's order and the first --count answered "
      "right are kept, renumbered lite-0001.... An item whose check fails "
      "(endpoint error) is tried 3 times, then the selection stops with an "
      "error, so that load never changes which items are kept.\n"
      "Writes OUT/manifest.json, OUT/questions.csv and OUT/selection.csv "
      "(every item checked: source id, candidate, new id or empty, "
      "verdict, answer; with --each-frame also the answers about each "
      "image alone).\n"
      "--each-frame keeps an item only if the question is also answered "
      "right about each of its images alone: a confident reading, not one "
      "image's luck at the edge of legibility. --count 0 keeps every item "
      "answered right.\n"
      "Example:\n"
      "  devibench lite-generate --seed 1 --count 220 --out pool\n"
      "  devibench lite-select --suite pool --count 100 --out "
      "data/devibench/lite3-seed1 -j 2";

int
artic_devibench_cmd_lite_select (int argc, char **argv)
{
  Options o = { 0 };
  gint count = 100;
  GOptionEntry entries[] = {
    { "suite", 0, 0, G_OPTION_ARG_FILENAME, &o.suite,
        "The candidate suite (with manifest.json)", "DIR" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &o.out,
        "Output suite folder (created)", "DIR" },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count,
        "Items to keep (default 100; 0: every item answered right)", "N" },
    { "each-frame", 0, 0, G_OPTION_ARG_NONE, &o.each_frame,
        "Keep an item only if each image alone is answered right too", NULL },
    { "size", 0, 0, G_OPTION_ARG_STRING, &o.sizes,
        "Frame size of the clean condition (default 1280x720)", "WxH" },
    { "image-size", 0, 0, G_OPTION_ARG_INT, &o.image_size,
        "Largest side of the JPEGs sent to the model (default 1280, as "
        "the calibrated figures)",
        "PX" },
    { "frame-window", 0, 0, G_OPTION_ARG_INT, &o.frame_window,
        "Newest sampled frames sent with the question (default 3)", "N" },
    { "items", 0, 0, G_OPTION_ARG_STRING, &o.items_arg,
        "Only these input items, 1-based: 1,4,10-20", "LIST" },
    { "endpoint", 'e', 0, G_OPTION_ARG_STRING, &o.endpoint,
        "OpenAI-compatible base URL (default: start artic-answerer)", "URL" },
    { "model", 'm', 0, G_OPTION_ARG_STRING, &o.model, "Model name", "NAME" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &o.jobs, "Parallel workers (default 1)",
        "N" },
    { "media-dir", 0, 0, G_OPTION_ARG_FILENAME, &o.media_dir,
        "Folder with the lite suite's clips (default: the source tree's "
        "data/media)",
        "DIR" },
    { "bin-dir", 0, 0, G_OPTION_ARG_FILENAME, &o.bin_dir,
        "Folder with artic-answerer (default: the build folder, then PATH)",
        "DIR" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &o.quiet, "No progress output",
        NULL },
    G_OPTION_ENTRY_NULL,
  };
  ArticDevibenchGrid grid = { 0 };
  ArticDevibenchLiteSuite *input = NULL;
  Selection sel = { 0 };
  Run run;
  GError *error = NULL;
  gchar *path = NULL, *text = NULL, *tmp_dir = NULL;
  guint i, checked = 0, kept;
  int status = EXIT_FAILURE;

  memset (&run, 0, sizeof run);
  o.jobs = 1;
  o.image_size = 1280;
  o.frame_window = 3;
  o.roi_period = 1.0;
  o.roi_delay = 0.5;
  if (!parse_options ("lite-select", "", select_description, entries, &argc,
          &argv, &status))
    goto out;
  if (argc != 1) {
    status = devibench_cli_usage_error ("unexpected argument '%s'", argv[1]);
    goto out;
  }
  if (o.suite == NULL || o.out == NULL) {
    status = devibench_cli_usage_error ("--suite DIR and --out DIR are "
                                        "required");
    goto out;
  }
  if (count < 0 || count > ARTIC_DEVIBENCH_LITE_MAX_ITEMS) {
    status = devibench_cli_usage_error ("--count %d is out of range (0-%d)",
        count, ARTIC_DEVIBENCH_LITE_MAX_ITEMS);
    goto out;
  }
  o.answerers = MIN (o.jobs, MAX_ANSWERERS);
  if (!check_options (&o, &status))
    goto out;
  if (o.media_dir == NULL)
    o.media_dir = g_strdup (ARTIC_DEVIBENCH_MEDIA_DIR);
  if (o.bin_dir == NULL)
    o.bin_dir = g_strdup (ARTIC_DEVIBENCH_BIN_DIR);
  grid.bitrates = "clean";
  grid.sizes = o.sizes;
  if ((run.conditions = artic_devibench_conditions_new (&grid, &error))
      == NULL) {
    status = devibench_cli_usage_error ("%s", error->message);
    goto out;
  }
  if (run.conditions->len != 1) {
    status = devibench_cli_usage_error ("--size: give one frame size");
    goto out;
  }
  path = g_build_filename (o.suite, "manifest.json", NULL);
  if ((input = artic_devibench_lite_suite_load (path, &error)) == NULL
      || (run.items = load_lite_items (&o, &error)) == NULL) {
    status = devibench_cli_run_error ("%s", error->message);
    goto out;
  }
  if (!select_items (run.items, o.items_arg, 0, &error)) {
    status = devibench_cli_usage_error ("%s", error->message);
    goto out;
  }
  if (g_mkdir_with_parents (o.out, 0755) != 0) {
    status = devibench_cli_run_error (
        "cannot create %s: %s", o.out, g_strerror (errno));
    goto out;
  }
  /* The answerers' port files and logs: not part of the suite. */
  if ((tmp_dir = g_dir_make_tmp ("devibench-select-XXXXXX", &error)) == NULL) {
    status = devibench_cli_run_error ("%s", error->message);
    goto out;
  }
  run.opt = &o;
  run.work_dir = g_strdup (tmp_dir);
  run_init (&run);
  if (!run_connect (&run, &error)) {
    status = devibench_cli_run_error ("%s", error->message);
    goto out;
  }
  sel.run = &run;
  sel.clean = g_ptr_array_index (run.conditions, 0);
  sel.n = run.items->len;
  sel.count = (guint) count;
  sel.checks = g_new0 (Check, sel.n);
  if (!o.quiet && sel.count > 0)
    g_printerr (PROGRAM ": checking the %u items of %s clean (%s, %d-px "
                        "images%s) until %u are answered right\n",
        sel.n, o.suite, sel.clean->id, o.image_size,
        o.each_frame ? ", each image alone too" : "", sel.count);
  else if (!o.quiet)
    g_printerr (PROGRAM ": checking all %u items of %s clean (%s, %d-px "
                        "images%s)\n",
        sel.n, o.suite, sel.clean->id, o.image_size,
        o.each_frame ? ", each image alone too" : "");
  run.t0 = g_get_monotonic_time ();
  {
    GPtrArray *threads = g_ptr_array_new ();

    for (i = 0; i < (guint) o.jobs && i < sel.n; i++)
      g_ptr_array_add (threads, g_thread_new ("select", select_thread, &sel));
    for (i = 0; i < threads->len; i++)
      g_thread_join (g_ptr_array_index (threads, i));
    g_ptr_array_unref (threads);
  }
  /* The report covers the ordered prefix that decided (or everything
   * finished, when the suite ran out or a check failed). */
  checked = sel.decided;
  if (checked == 0)
    while (checked < sel.n && sel.checks[checked].done)
      checked++;
  text = selection_csv (&sel, checked);
  g_free (path);
  path = g_build_filename (o.out, "selection.csv", NULL);
  if (!g_file_set_contents (path, text, -1, &error)) {
    status = devibench_cli_run_error ("%s", error->message);
    goto out;
  }
  for (i = 0; i < sel.n; i++)
    if (sel.checks[i].done && sel.checks[i].error != NULL) {
      status = devibench_cli_run_error (
          "%s: the clean check failed %d times, nothing selected: %s",
          ((WorkItem *) g_ptr_array_index (run.items, i))->id, SELECT_ATTEMPTS,
          sel.checks[i].error);
      goto out;
    }
  if (sel.count == 0 && sel.right == 0) {
    status = devibench_cli_run_error (
        "none of the %u items is answered right on the clean stream (see %s)",
        sel.n, path);
    goto out;
  }
  if (sel.count > 0 && sel.decided == 0) {
    status = devibench_cli_run_error (
        "only %u of the %u items are answered right on the clean stream, "
        "%u wanted (see %s)",
        sel.right, sel.n, sel.count, path);
    goto out;
  }
  if (!write_selection (
          &sel, checked, o.out, input->seed, input->profile, &error)) {
    status = devibench_cli_run_error ("%s", error->message);
    goto out;
  }
  kept = sel.count > 0 ? sel.count : sel.right;
  g_print ("kept %u of %u items checked (%u answered wrong) from %s in %s\n",
      kept, checked, checked - kept, o.suite, o.out);
  status = EXIT_SUCCESS;
out:
  run_clear (&run);
  if (sel.checks != NULL) {
    for (i = 0; i < sel.n; i++) {
      g_free (sel.checks[i].answer);
      g_free (sel.checks[i].error);
      g_free (sel.checks[i].frame_answers);
    }
    g_free (sel.checks);
  }
  if (tmp_dir != NULL) {
    remove_files (tmp_dir, NULL);
    g_rmdir (tmp_dir);
  }
  artic_devibench_lite_suite_free (input);
  g_free (tmp_dir);
  g_free (run.work_dir);
  g_free (path);
  g_free (text);
  g_clear_error (&error);
  options_free (&o);
  return status;
}
