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

/**
 * SECTION:element-articmllmsink
 * @title: articmllmsink
 *
 * Shows raw video to a multimodal LLM and asks it questions about it. The
 * sink samples the frames at the model's rate (or takes every frame when
 * #GstArticMllmSink:sample-rate is 0, after an `articsampler`), runs them
 * through the FlowCache-like chunk cache (unchanged chunks are skipped, and
 * re-sent as the exact cached JPEG bytes), and for every question sends the
 * newest #GstArticMllmSink:frame-window images to an OpenAI-compatible
 * `/chat/completions` endpoint.
 *
 * Questions come from the #GstArticMllmSink:question property (set while
 * playing), the "ask" action signal, a custom event whose structure is named
 * `artic-mllm-question` with a string field `question` (serialized on the
 * sink pad, or out of band through gst_element_send_event()), or a
 * #GstArticMllmSink:questions-file of `SECONDS<TAB>question` lines asked at
 * those stream running times. Each question is asked with the next frame.
 *
 * The answer streams back as element messages: `artic-mllm-delta` (fields
 * `id`, `question`, `delta`) as tokens arrive, then `artic-mllm-answer`
 * (`id`, `question`, `answer`, `ttft` and `total-time` in seconds,
 * `images-sent`, `attempts`, and `error` when the request failed). At EOS
 * the questions still due are asked and the sink waits for the answers.
 *
 * The API key is read from the environment variable named by
 * #GstArticMllmSink:api-key-env and is never logged.
 *
 * ## Example launch line
 * |[
 * printf '1\tWhat word is printed on the box?\n' > questions.txt
 * gst-launch-1.0 -m filesrc location=data/media/box-10s.mp4 ! decodebin ! \
 *     videoconvert ! articmllmsink endpoint=http://127.0.0.1:8080/v1 \
 *     questions-file=questions.txt
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstarticmllmsink.h"
#include "artic-questions.h"

GST_DEBUG_CATEGORY_STATIC (gst_artic_mllm_sink_debug);
#define GST_CAT_DEFAULT gst_artic_mllm_sink_debug

#define DEFAULT_ENDPOINT ARTIC_MLLM_DEFAULT_ENDPOINT
#define DEFAULT_MODEL ARTIC_MLLM_DEFAULT_MODEL
#define DEFAULT_API_KEY_ENV ARTIC_MLLM_DEFAULT_API_KEY_ENV
#define DEFAULT_DETAIL ARTIC_MLLM_DEFAULT_DETAIL
#define DEFAULT_SYSTEM_PROMPT NULL
#define DEFAULT_QUESTIONS_FILE NULL
#define DEFAULT_FRAME_WINDOW ARTIC_MLLM_DEFAULT_FRAME_WINDOW
#define DEFAULT_MAX_IMAGE_SIZE ARTIC_JPEG_DEFAULT_MAX_SIZE
#define DEFAULT_JPEG_QUALITY ARTIC_JPEG_DEFAULT_QUALITY
#define DEFAULT_THRESHOLD ARTIC_CHUNK_DEFAULT_THRESHOLD
#define DEFAULT_CACHE_BYTES ARTIC_CHUNK_DEFAULT_CACHE_BYTES
#define DEFAULT_SAMPLE_RATE ARTIC_SAMPLER_DEFAULT_RATE
#define DEFAULT_READ_TIMEOUT ARTIC_MLLM_DEFAULT_READ_TIMEOUT_S
#define DEFAULT_MAX_TOKENS 0

#define QUESTION_EVENT "artic-mllm-question"

enum
{
  PROP_0,
  PROP_ENDPOINT,
  PROP_MODEL,
  PROP_API_KEY_ENV,
  PROP_DETAIL,
  PROP_SYSTEM_PROMPT,
  PROP_QUESTION,
  PROP_QUESTIONS_FILE,
  PROP_FRAME_WINDOW,
  PROP_MAX_IMAGE_SIZE,
  PROP_JPEG_QUALITY,
  PROP_THRESHOLD,
  PROP_CACHE_BYTES,
  PROP_SAMPLE_RATE,
  PROP_READ_TIMEOUT,
  PROP_MAX_TOKENS,
  PROP_REQUESTS,
  PROP_IMAGES_SENT,
  PROP_IMAGES_REUSED,
  PROP_CHUNKS_SKIPPED,
  PROP_TOKENS_SAVED,
};

enum
{
  SIGNAL_ASK,
  LAST_SIGNAL,
};

static guint gst_artic_mllm_sink_signals[LAST_SIGNAL];

#define VIDEO_FORMATS                                                       \
  "{ I420, YV12, NV12, NV21, Y42B, Y444, YUY2, UYVY, RGB, BGR, RGBA, BGRA," \
  " RGBx, BGRx, xRGB, xBGR, GRAY8 }"

static GstStaticPadTemplate gst_artic_mllm_sink_sink_template
    = GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
        GST_STATIC_CAPS (GST_VIDEO_CAPS_MAKE (VIDEO_FORMATS)));

typedef struct
{
  guint64 id;
  gchar *question;
  GPtrArray *images;
} GstArticMllmJob;

#define gst_artic_mllm_sink_parent_class parent_class
G_DEFINE_TYPE (GstArticMllmSink, gst_artic_mllm_sink, GST_TYPE_BASE_SINK);
GST_ELEMENT_REGISTER_DEFINE (
    articmllmsink, "articmllmsink", GST_RANK_NONE, GST_TYPE_ARTIC_MLLM_SINK);

static void gst_artic_mllm_sink_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec);
static void gst_artic_mllm_sink_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec);
static void gst_artic_mllm_sink_finalize (GObject *object);
static gboolean gst_artic_mllm_sink_send_event (
    GstElement *element, GstEvent *event);
static gboolean gst_artic_mllm_sink_start (GstBaseSink *sink);
static gboolean gst_artic_mllm_sink_stop (GstBaseSink *sink);
static gboolean gst_artic_mllm_sink_unlock (GstBaseSink *sink);
static gboolean gst_artic_mllm_sink_unlock_stop (GstBaseSink *sink);
static gboolean gst_artic_mllm_sink_set_caps (GstBaseSink *sink, GstCaps *caps);
static gboolean gst_artic_mllm_sink_event (GstBaseSink *sink, GstEvent *event);
static GstFlowReturn gst_artic_mllm_sink_render (
    GstBaseSink *sink, GstBuffer *buffer);
static void gst_artic_mllm_sink_ask (GstArticMllmSink *self, const gchar *q);

static void
gst_artic_mllm_sink_class_init (GstArticMllmSinkClass *klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *sink_class = GST_BASE_SINK_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  gobject_class->set_property = gst_artic_mllm_sink_set_property;
  gobject_class->get_property = gst_artic_mllm_sink_get_property;
  gobject_class->finalize = gst_artic_mllm_sink_finalize;

  g_object_class_install_property (gobject_class, PROP_ENDPOINT,
      g_param_spec_string ("endpoint", "Endpoint",
          "Base URL of the OpenAI-compatible API (requests go to "
          "ENDPOINT/chat/completions)",
          DEFAULT_ENDPOINT, rw));
  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_string ("model", "Model",
          "Model name sent with each request", DEFAULT_MODEL, rw));
  g_object_class_install_property (gobject_class, PROP_API_KEY_ENV,
      g_param_spec_string ("api-key-env", "API key variable",
          "Environment variable that holds the API key (sent as a bearer "
          "token, never logged)",
          DEFAULT_API_KEY_ENV, rw));
  g_object_class_install_property (gobject_class, PROP_DETAIL,
      g_param_spec_string ("detail", "Image detail",
          "Image detail requested: low, high or auto", DEFAULT_DETAIL, rw));
  g_object_class_install_property (gobject_class, PROP_SYSTEM_PROMPT,
      g_param_spec_string ("system-prompt", "System prompt",
          "System message sent before the frames (none if unset)",
          DEFAULT_SYSTEM_PROMPT, rw));
  g_object_class_install_property (gobject_class, PROP_QUESTION,
      g_param_spec_string ("question", "Question",
          "Setting it asks the question with the next frame", NULL,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_QUESTIONS_FILE,
      g_param_spec_string ("questions-file", "Questions file",
          "File of SECONDS<TAB>question lines, asked at those running times",
          DEFAULT_QUESTIONS_FILE, rw));
  g_object_class_install_property (gobject_class, PROP_FRAME_WINDOW,
      g_param_spec_uint ("frame-window", "Frame window",
          "Most recent images sent with each question", 1, 64,
          DEFAULT_FRAME_WINDOW, rw));
  g_object_class_install_property (gobject_class, PROP_MAX_IMAGE_SIZE,
      g_param_spec_uint ("max-image-size", "Max image size",
          "Longest side of the JPEG images, in pixels (scaled down to fit)",
          ARTIC_JPEG_MIN_SIZE, ARTIC_JPEG_MAX_SIZE, DEFAULT_MAX_IMAGE_SIZE,
          rw));
  g_object_class_install_property (gobject_class, PROP_JPEG_QUALITY,
      g_param_spec_int ("jpeg-quality", "JPEG quality",
          "Quality of the JPEG images", 1, 100, DEFAULT_JPEG_QUALITY, rw));
  g_object_class_install_property (gobject_class, PROP_THRESHOLD,
      g_param_spec_double ("threshold", "Threshold",
          "Accumulated relative L1 change of a chunk that sends a new image",
          0.0, 100.0, DEFAULT_THRESHOLD,
          G_PARAM_READWRITE | GST_PARAM_MUTABLE_PLAYING
              | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_CACHE_BYTES,
      g_param_spec_uint64 ("cache-bytes", "Cache bytes",
          "Memory bound of the image cache", 1024, G_MAXUINT32,
          DEFAULT_CACHE_BYTES, rw));
  g_object_class_install_property (gobject_class, PROP_SAMPLE_RATE,
      g_param_spec_double ("sample-rate", "Sample rate",
          "Frames per second looked at; 0 takes every frame (after an "
          "articsampler)",
          0.0, ARTIC_SAMPLER_MAX_RATE, DEFAULT_SAMPLE_RATE, rw));
  g_object_class_install_property (gobject_class, PROP_READ_TIMEOUT,
      g_param_spec_double ("read-timeout", "Read timeout",
          "Longest silence of the server while it streams, in seconds", 0.1,
          3600.0, DEFAULT_READ_TIMEOUT, rw));
  g_object_class_install_property (gobject_class, PROP_MAX_TOKENS,
      g_param_spec_int ("max-tokens", "Max tokens",
          "Answer length limit sent to the server; 0 leaves its default", 0,
          G_MAXINT32, DEFAULT_MAX_TOKENS, rw));
  g_object_class_install_property (gobject_class, PROP_REQUESTS,
      g_param_spec_uint64 ("requests", "Requests", "Questions sent so far", 0,
          G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_IMAGES_SENT,
      g_param_spec_uint64 ("images-sent", "Images sent",
          "New images sent so far", 0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_IMAGES_REUSED,
      g_param_spec_uint64 ("images-reused", "Images reused",
          "Cached images re-sent byte for byte", 0, G_MAXUINT64, 0, ro));
  g_object_class_install_property (gobject_class, PROP_CHUNKS_SKIPPED,
      g_param_spec_uint64 ("chunks-skipped", "Chunks skipped",
          "Sampled chunks too similar to the last image sent", 0, G_MAXUINT64,
          0, ro));
  g_object_class_install_property (gobject_class, PROP_TOKENS_SAVED,
      g_param_spec_uint64 ("tokens-saved", "Tokens saved",
          "Estimated image tokens of the skipped chunks", 0, G_MAXUINT64, 0,
          ro));

  /**
   * GstArticMllmSink::ask:
   * @sink: the sink
   * @question: the question
   *
   * Asks @question with the next frame.
   */
  gst_artic_mllm_sink_signals[SIGNAL_ASK] = g_signal_new_class_handler ("ask",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_artic_mllm_sink_ask), NULL, NULL, NULL, G_TYPE_NONE, 1,
      G_TYPE_STRING);

  gst_element_class_add_static_pad_template (
      element_class, &gst_artic_mllm_sink_sink_template);
  gst_element_class_set_static_metadata (element_class, "artic MLLM sink",
      "Sink/Video",
      "Asks a multimodal LLM about the video over the OpenAI Chat "
      "Completions API and posts the streamed answers",
      "The artic authors");

  element_class->send_event
      = GST_DEBUG_FUNCPTR (gst_artic_mllm_sink_send_event);
  sink_class->start = GST_DEBUG_FUNCPTR (gst_artic_mllm_sink_start);
  sink_class->stop = GST_DEBUG_FUNCPTR (gst_artic_mllm_sink_stop);
  sink_class->unlock = GST_DEBUG_FUNCPTR (gst_artic_mllm_sink_unlock);
  sink_class->unlock_stop = GST_DEBUG_FUNCPTR (gst_artic_mllm_sink_unlock_stop);
  sink_class->set_caps = GST_DEBUG_FUNCPTR (gst_artic_mllm_sink_set_caps);
  sink_class->event = GST_DEBUG_FUNCPTR (gst_artic_mllm_sink_event);
  sink_class->render = GST_DEBUG_FUNCPTR (gst_artic_mllm_sink_render);

  GST_DEBUG_CATEGORY_INIT (
      gst_artic_mllm_sink_debug, "articmllmsink", 0, "artic MLLM sink");
}

static void
gst_artic_mllm_sink_init (GstArticMllmSink *self)
{
  self->endpoint = g_strdup (DEFAULT_ENDPOINT);
  self->model = g_strdup (DEFAULT_MODEL);
  self->api_key_env = g_strdup (DEFAULT_API_KEY_ENV);
  self->detail = g_strdup (DEFAULT_DETAIL);
  self->frame_window = DEFAULT_FRAME_WINDOW;
  self->max_image_size = DEFAULT_MAX_IMAGE_SIZE;
  self->jpeg_quality = DEFAULT_JPEG_QUALITY;
  self->threshold = DEFAULT_THRESHOLD;
  self->cache_bytes = DEFAULT_CACHE_BYTES;
  self->sample_rate = DEFAULT_SAMPLE_RATE;
  self->read_timeout = DEFAULT_READ_TIMEOUT;
  self->max_tokens = DEFAULT_MAX_TOKENS;
  g_queue_init (&self->pending);
  g_cond_init (&self->idle);
  /* Frames are looked at when they arrive, not at their presentation time:
   * the model wants the freshest frame, and a live source is already timed.
   */
  gst_base_sink_set_sync (GST_BASE_SINK (self), FALSE);
}

static void
gst_artic_mllm_sink_finalize (GObject *object)
{
  GstArticMllmSink *self = GST_ARTIC_MLLM_SINK (object);

  g_free (self->endpoint);
  g_free (self->model);
  g_free (self->api_key_env);
  g_free (self->detail);
  g_free (self->system_prompt);
  g_free (self->questions_file);
  g_queue_clear_full (&self->pending, g_free);
  g_cond_clear (&self->idle);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_artic_mllm_sink_replace_string (
    GstArticMllmSink *self, gchar **field, const GValue *value)
{
  GST_OBJECT_LOCK (self);
  g_free (*field);
  *field = g_value_dup_string (value);
  GST_OBJECT_UNLOCK (self);
}

static void
gst_artic_mllm_sink_set_property (
    GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GstArticMllmSink *self = GST_ARTIC_MLLM_SINK (object);

  switch (prop_id) {
    case PROP_ENDPOINT:
      gst_artic_mllm_sink_replace_string (self, &self->endpoint, value);
      break;
    case PROP_MODEL:
      gst_artic_mllm_sink_replace_string (self, &self->model, value);
      break;
    case PROP_API_KEY_ENV:
      gst_artic_mllm_sink_replace_string (self, &self->api_key_env, value);
      break;
    case PROP_DETAIL:
      gst_artic_mllm_sink_replace_string (self, &self->detail, value);
      break;
    case PROP_SYSTEM_PROMPT:
      gst_artic_mllm_sink_replace_string (self, &self->system_prompt, value);
      break;
    case PROP_QUESTIONS_FILE:
      gst_artic_mllm_sink_replace_string (self, &self->questions_file, value);
      break;
    case PROP_QUESTION:
      gst_artic_mllm_sink_ask (self, g_value_get_string (value));
      break;
    case PROP_FRAME_WINDOW:
      GST_OBJECT_LOCK (self);
      self->frame_window = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_MAX_IMAGE_SIZE:
      GST_OBJECT_LOCK (self);
      self->max_image_size = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_JPEG_QUALITY:
      GST_OBJECT_LOCK (self);
      self->jpeg_quality = g_value_get_int (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_THRESHOLD:
      GST_OBJECT_LOCK (self);
      self->threshold = g_value_get_double (value);
      if (self->cache != NULL)
        artic_chunk_cache_set_threshold (self->cache, self->threshold);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_CACHE_BYTES:
      GST_OBJECT_LOCK (self);
      self->cache_bytes = g_value_get_uint64 (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_SAMPLE_RATE:
      GST_OBJECT_LOCK (self);
      self->sample_rate = g_value_get_double (value);
      if (self->sample_rate > 0)
        artic_sampler_set_rate (&self->sampler, self->sample_rate);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_READ_TIMEOUT:
      GST_OBJECT_LOCK (self);
      self->read_timeout = g_value_get_double (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_MAX_TOKENS:
      GST_OBJECT_LOCK (self);
      self->max_tokens = g_value_get_int (value);
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static guint64
gst_artic_mllm_sink_counter (GstArticMllmSink *self, guint prop_id)
{
  ArticChunkCounters c = self->final_counters;

  if (self->cache != NULL)
    artic_chunk_cache_get_counters (self->cache, &c);
  switch (prop_id) {
    case PROP_REQUESTS:
      return c.requests;
    case PROP_IMAGES_SENT:
      return c.images_sent;
    case PROP_IMAGES_REUSED:
      return c.images_reused;
    case PROP_CHUNKS_SKIPPED:
      return c.chunks_skipped;
    default:
      return c.tokens_saved;
  }
}

static void
gst_artic_mllm_sink_get_property (
    GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GstArticMllmSink *self = GST_ARTIC_MLLM_SINK (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_ENDPOINT:
      g_value_set_string (value, self->endpoint);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_API_KEY_ENV:
      g_value_set_string (value, self->api_key_env);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    case PROP_SYSTEM_PROMPT:
      g_value_set_string (value, self->system_prompt);
      break;
    case PROP_QUESTIONS_FILE:
      g_value_set_string (value, self->questions_file);
      break;
    case PROP_QUESTION:
      g_value_set_string (value, g_queue_peek_tail (&self->pending));
      break;
    case PROP_FRAME_WINDOW:
      g_value_set_uint (value, self->frame_window);
      break;
    case PROP_MAX_IMAGE_SIZE:
      g_value_set_uint (value, self->max_image_size);
      break;
    case PROP_JPEG_QUALITY:
      g_value_set_int (value, self->jpeg_quality);
      break;
    case PROP_THRESHOLD:
      g_value_set_double (value, self->threshold);
      break;
    case PROP_CACHE_BYTES:
      g_value_set_uint64 (value, self->cache_bytes);
      break;
    case PROP_SAMPLE_RATE:
      g_value_set_double (value, self->sample_rate);
      break;
    case PROP_READ_TIMEOUT:
      g_value_set_double (value, self->read_timeout);
      break;
    case PROP_MAX_TOKENS:
      g_value_set_int (value, self->max_tokens);
      break;
    case PROP_REQUESTS:
    case PROP_IMAGES_SENT:
    case PROP_IMAGES_REUSED:
    case PROP_CHUNKS_SKIPPED:
    case PROP_TOKENS_SAVED:
      g_value_set_uint64 (value, gst_artic_mllm_sink_counter (self, prop_id));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* Queues a question for the next frame. */
static void
gst_artic_mllm_sink_ask (GstArticMllmSink *self, const gchar *question)
{
  gchar *q = g_strstrip (g_strdup (question != NULL ? question : ""));

  if (*q == '\0') {
    GST_WARNING_OBJECT (self, "ignoring an empty question");
    g_free (q);
    return;
  }
  GST_INFO_OBJECT (self, "question queued: %s", q);
  GST_OBJECT_LOCK (self);
  g_queue_push_tail (&self->pending, q);
  GST_OBJECT_UNLOCK (self);
}

static gboolean
gst_artic_mllm_sink_handle_question_event (
    GstArticMllmSink *self, GstEvent *event)
{
  const GstStructure *s = gst_event_get_structure (event);

  if (s == NULL || !gst_structure_has_name (s, QUESTION_EVENT))
    return FALSE;
  if (gst_structure_get_string (s, "question") != NULL)
    gst_artic_mllm_sink_ask (self, gst_structure_get_string (s, "question"));
  else
    GST_WARNING_OBJECT (
        self, "%s event without a question field", QUESTION_EVENT);
  return TRUE;
}

static gboolean
gst_artic_mllm_sink_send_event (GstElement *element, GstEvent *event)
{
  GstArticMllmSink *self = GST_ARTIC_MLLM_SINK (element);

  if (gst_artic_mllm_sink_handle_question_event (self, event)) {
    gst_event_unref (event);
    return TRUE;
  }
  return GST_ELEMENT_CLASS (parent_class)->send_event (element, event);
}

typedef struct
{
  GstArticMllmSink *self;
  GstArticMllmJob *job;
} GstArticMllmDelta;

static void
gst_artic_mllm_sink_on_delta (const gchar *delta, gsize size, gpointer data)
{
  GstArticMllmDelta *d = data;
  gchar *text = g_strndup (delta, size);

  gst_element_post_message (GST_ELEMENT (d->self),
      gst_message_new_element (GST_OBJECT (d->self),
          gst_structure_new ("artic-mllm-delta", "id", G_TYPE_UINT64,
              d->job->id, "question", G_TYPE_STRING, d->job->question, "delta",
              G_TYPE_STRING, text, NULL)));
  g_free (text);
}

static void
gst_artic_mllm_job_free (gpointer data)
{
  GstArticMllmJob *job = data;

  g_free (job->question);
  g_ptr_array_unref (job->images);
  g_free (job);
}

/* Runs on the worker thread, one request at a time. */
static void
gst_artic_mllm_sink_run_job (gpointer data, gpointer user_data)
{
  GstArticMllmJob *job = data;
  GstArticMllmSink *self = user_data;
  GstArticMllmDelta delta = { self, job };
  ArticMllmResult result;
  GError *error = NULL;
  GCancellable *cancellable;
  GstStructure *s;

  /* unlock_stop() may replace the cancellable meanwhile: hold this one. */
  GST_OBJECT_LOCK (self);
  cancellable = g_object_ref (self->cancellable);
  GST_OBJECT_UNLOCK (self);
  artic_mllm_client_ask (self->client, job->question,
      (GBytes *const *) job->images->pdata, job->images->len,
      gst_artic_mllm_sink_on_delta, &delta, &result, cancellable, &error);
  g_object_unref (cancellable);

  s = gst_structure_new ("artic-mllm-answer", "id", G_TYPE_UINT64, job->id,
      "question", G_TYPE_STRING, job->question, "answer", G_TYPE_STRING,
      result.answer != NULL ? result.answer : "", "ttft", G_TYPE_DOUBLE,
      result.ttft_s, "total-time", G_TYPE_DOUBLE, result.total_s, "images-sent",
      G_TYPE_UINT, result.images_sent, "attempts", G_TYPE_UINT, result.attempts,
      "prompt-tokens", G_TYPE_INT64, result.prompt_tokens, "completion-tokens",
      G_TYPE_INT64, result.completion_tokens, NULL);
  if (error != NULL) {
    GST_WARNING_OBJECT (self, "question %" G_GUINT64_FORMAT " failed: %s",
        job->id, error->message);
    gst_structure_set (s, "error", G_TYPE_STRING, error->message, NULL);
    g_clear_error (&error);
  } else {
    GST_INFO_OBJECT (self,
        "question %" G_GUINT64_FORMAT ": ttft %.3f s, total %.3f s", job->id,
        result.ttft_s, result.total_s);
  }
  gst_element_post_message (
      GST_ELEMENT (self), gst_message_new_element (GST_OBJECT (self), s));
  artic_mllm_result_clear (&result);
  gst_artic_mllm_job_free (job);

  GST_OBJECT_LOCK (self);
  self->in_flight--;
  g_cond_broadcast (&self->idle);
  GST_OBJECT_UNLOCK (self);
}

static gboolean
gst_artic_mllm_sink_start (GstBaseSink *sink)
{
  GstArticMllmSink *self = GST_ARTIC_MLLM_SINK (sink);
  ArticMllmClientConfig config;
  ArticChunkCacheConfig cache_config;
  GError *error = NULL;
  GArray *timed = NULL;
  gchar *questions_file;

  GST_OBJECT_LOCK (self);
  questions_file = g_strdup (self->questions_file);
  GST_OBJECT_UNLOCK (self);
  if (questions_file != NULL && *questions_file != '\0') {
    timed = artic_questions_load (questions_file, &error);
    if (timed == NULL) {
      GST_ELEMENT_ERROR (self, RESOURCE, READ,
          ("Cannot read the questions file"), ("%s", error->message));
      g_clear_error (&error);
      g_free (questions_file);
      return FALSE;
    }
  }
  g_free (questions_file);

  GST_OBJECT_LOCK (self);
  artic_mllm_client_config_init (&config);
  config.endpoint = self->endpoint;
  config.model = self->model;
  config.api_key_env = self->api_key_env;
  config.detail = self->detail;
  config.system_prompt = self->system_prompt;
  config.read_timeout_s = self->read_timeout;
  config.max_tokens = self->max_tokens;
  /* The cache picks the window; the client sends all it is given. */
  config.frame_window = 0;
  self->client = artic_mllm_client_new (&config, &error);
  GST_OBJECT_UNLOCK (self);
  if (self->client == NULL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Invalid MLLM client settings"), ("%s", error->message));
    g_clear_error (&error);
    g_clear_pointer (&timed, g_array_unref);
    return FALSE;
  }

  GST_OBJECT_LOCK (self);
  artic_chunk_cache_config_init (&cache_config);
  cache_config.threshold = self->threshold;
  cache_config.cache_bytes = self->cache_bytes;
  self->cache = artic_chunk_cache_new (&cache_config);
  memset (&self->final_counters, 0, sizeof (self->final_counters));
  self->encoder
      = artic_jpeg_encoder_new (self->jpeg_quality, self->max_image_size);
  artic_sampler_init (&self->sampler,
      self->sample_rate > 0 ? self->sample_rate : DEFAULT_SAMPLE_RATE);
  self->timed = timed;
  self->next_timed = 0;
  self->next_question_id = 0;
  self->in_flight = 0;
  self->unlocked = FALSE;
  self->cancellable = g_cancellable_new ();
  GST_OBJECT_UNLOCK (self);

  self->pool = g_thread_pool_new_full (gst_artic_mllm_sink_run_job, self,
      gst_artic_mllm_job_free, 1, FALSE, NULL);
  GST_INFO_OBJECT (self, "asking %s (%s)",
      artic_mllm_client_get_url (self->client),
      artic_mllm_client_has_api_key (self->client) ? "with an API key"
                                                   : "without an API key");
  return TRUE;
}

static gboolean
gst_artic_mllm_sink_stop (GstBaseSink *sink)
{
  GstArticMllmSink *self = GST_ARTIC_MLLM_SINK (sink);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->pool != NULL) {
    /* Drops queued questions, waits for the running one (now cancelled). */
    g_thread_pool_free (self->pool, TRUE, TRUE);
    self->pool = NULL;
  }
  GST_OBJECT_LOCK (self);
  g_clear_pointer (&self->client, artic_mllm_client_free);
  if (self->cache != NULL)
    artic_chunk_cache_get_counters (self->cache, &self->final_counters);
  g_clear_pointer (&self->cache, artic_chunk_cache_free);
  g_clear_pointer (&self->encoder, artic_jpeg_encoder_free);
  g_clear_pointer (&self->timed, g_array_unref);
  g_clear_object (&self->cancellable);
  self->have_info = FALSE;
  self->in_flight = 0;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

/* Flushing or shutting down: cancel the request in flight and stop an EOS
 * that waits for answers, so the streaming thread is free at once. */
static gboolean
gst_artic_mllm_sink_unlock (GstBaseSink *sink)
{
  GstArticMllmSink *self = GST_ARTIC_MLLM_SINK (sink);

  GST_OBJECT_LOCK (self);
  self->unlocked = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_cond_broadcast (&self->idle);
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
gst_artic_mllm_sink_unlock_stop (GstBaseSink *sink)
{
  GstArticMllmSink *self = GST_ARTIC_MLLM_SINK (sink);

  GST_OBJECT_LOCK (self);
  self->unlocked = FALSE;
  if (self->cancellable != NULL
      && g_cancellable_is_cancelled (self->cancellable)) {
    g_object_unref (self->cancellable);
    self->cancellable = g_cancellable_new ();
  }
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
gst_artic_mllm_sink_set_caps (GstBaseSink *sink, GstCaps *caps)
{
  GstArticMllmSink *self = GST_ARTIC_MLLM_SINK (sink);
  GstVideoInfo info;

  if (!gst_video_info_from_caps (&info, caps)
      || !artic_jpeg_format_supported (GST_VIDEO_INFO_FORMAT (&info))) {
    GST_ERROR_OBJECT (self, "unsupported caps %" GST_PTR_FORMAT, caps);
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  self->info = info;
  self->have_info = TRUE;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

/* Sends the pending questions with the newest cached images. Called with
 * the object lock held. */
static void
gst_artic_mllm_sink_dispatch (GstArticMllmSink *self)
{
  gchar *question;

  while ((question = g_queue_pop_head (&self->pending)) != NULL) {
    GstArticMllmJob *job = g_new0 (GstArticMllmJob, 1);

    job->id = self->next_question_id++;
    job->question = question;
    job->images = artic_chunk_cache_window (self->cache, self->frame_window);
    GST_DEBUG_OBJECT (self, "question %" G_GUINT64_FORMAT " with %u images",
        job->id, job->images->len);
    self->in_flight++;
    g_thread_pool_push (self->pool, job, NULL);
  }
}

/* Moves the timed questions due at @running_time to the pending queue.
 * Called with the object lock held. */
static void
gst_artic_mllm_sink_queue_due (
    GstArticMllmSink *self, GstClockTime running_time)
{
  while (self->timed != NULL && self->next_timed < self->timed->len) {
    ArticQuestion *q
        = &g_array_index (self->timed, ArticQuestion, self->next_timed);

    if (GST_CLOCK_TIME_IS_VALID (running_time)
        && q->time_s * GST_SECOND > running_time)
      break;
    g_queue_push_tail (&self->pending, g_strdup (q->text));
    self->next_timed++;
  }
}

static gboolean
gst_artic_mllm_sink_event (GstBaseSink *sink, GstEvent *event)
{
  GstArticMllmSink *self = GST_ARTIC_MLLM_SINK (sink);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CUSTOM_DOWNSTREAM:
    case GST_EVENT_CUSTOM_DOWNSTREAM_OOB:
    case GST_EVENT_CUSTOM_BOTH:
      gst_artic_mllm_sink_handle_question_event (self, event);
      break;
    case GST_EVENT_FLUSH_STOP:
      GST_OBJECT_LOCK (self);
      artic_sampler_reset (&self->sampler);
      if (self->cache != NULL)
        artic_chunk_cache_reset (self->cache);
      GST_OBJECT_UNLOCK (self);
      break;
    case GST_EVENT_EOS:
      /* Ask what is still due, then hold EOS until the answers are in, so
       * that an application sees them before the pipeline ends. */
      GST_OBJECT_LOCK (self);
      if (self->cache != NULL && self->pool != NULL) {
        gst_artic_mllm_sink_queue_due (self, GST_CLOCK_TIME_NONE);
        gst_artic_mllm_sink_dispatch (self);
        while (self->in_flight > 0 && !self->unlocked)
          g_cond_wait (&self->idle, GST_OBJECT_GET_LOCK (self));
      }
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      break;
  }
  return GST_BASE_SINK_CLASS (parent_class)->event (sink, event);
}

static GstFlowReturn
gst_artic_mllm_sink_render (GstBaseSink *sink, GstBuffer *buffer)
{
  GstArticMllmSink *self = GST_ARTIC_MLLM_SINK (sink);
  /* No time (a non-TIME segment, no PTS): sampled by arrival instead. */
  GstClockTime running_time = sink->segment.format == GST_FORMAT_TIME
                                  ? gst_segment_to_running_time (&sink->segment,
                                      GST_FORMAT_TIME, GST_BUFFER_PTS (buffer))
                                  : GST_CLOCK_TIME_NONE;
  GstClockTime sample_time
      = GST_CLOCK_TIME_IS_VALID (running_time)
            ? running_time
            : (GstClockTime) g_get_monotonic_time () * GST_USECOND;
  GstVideoFrame frame;
  GError *error = NULL;
  ArticChunkDecision decision;
  ArticChunkInfo info;
  gboolean take, question;
  const guint8 *luma;
  gint width, height, stride;
  guint flags = 0;

  GST_OBJECT_LOCK (self);
  if (GST_CLOCK_TIME_IS_VALID (running_time))
    gst_artic_mllm_sink_queue_due (self, running_time);
  question = !g_queue_is_empty (&self->pending);
  take = self->sample_rate <= 0
         || artic_sampler_take (&self->sampler, sample_time);
  artic_jpeg_encoder_set_quality (self->encoder, self->jpeg_quality);
  artic_jpeg_encoder_set_max_size (self->encoder, self->max_image_size);
  artic_chunk_cache_set_cache_bytes (self->cache, self->cache_bytes);
  GST_OBJECT_UNLOCK (self);
  /* A question does not wait for the next sampling instant. */
  if (!take && !question)
    return GST_FLOW_OK;
  if (!self->have_info) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL), ("no caps"));
    return GST_FLOW_NOT_NEGOTIATED;
  }

  if (!gst_video_frame_map (&frame, &self->info, buffer, GST_MAP_READ)) {
    GST_ELEMENT_ERROR (
        self, STREAM, FAILED, ("Cannot map a video frame"), (NULL));
    return GST_FLOW_ERROR;
  }
  if (!artic_jpeg_encoder_convert (self->encoder,
          GST_VIDEO_FRAME_FORMAT (&frame), GST_VIDEO_FRAME_WIDTH (&frame),
          GST_VIDEO_FRAME_HEIGHT (&frame), (const guint8 *const *) frame.data,
          frame.info.stride, &error)) {
    gst_video_frame_unmap (&frame);
    GST_ELEMENT_ERROR (self, STREAM, FORMAT, ("Cannot convert a frame"),
        ("%s", error->message));
    g_clear_error (&error);
    return GST_FLOW_ERROR;
  }
  gst_video_frame_unmap (&frame);
  luma = artic_jpeg_encoder_get_luma (self->encoder, &width, &height, &stride);

  if (question)
    flags |= ARTIC_CHUNK_FLAG_QUESTION;
  if (GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DISCONT))
    flags |= ARTIC_CHUNK_FLAG_RESYNC;
  GST_OBJECT_LOCK (self);
  decision = artic_chunk_cache_push (self->cache, luma, width, height, stride,
      sample_time / (gdouble) GST_SECOND, flags, &info);
  GST_OBJECT_UNLOCK (self);
  GST_LOG_OBJECT (self, "chunk %" G_GUINT64_FORMAT ": %s (%s, change %.4f)",
      info.index, artic_chunk_decision_name (decision),
      artic_chunk_reason_name (info.reason), info.change);

  if (decision == ARTIC_CHUNK_SEND) {
    GBytes *jpeg = artic_jpeg_encoder_encode (self->encoder, &error);

    if (jpeg == NULL) {
      GST_ELEMENT_ERROR (self, STREAM, ENCODE, ("Cannot encode a JPEG"),
          ("%s", error->message));
      g_clear_error (&error);
      return GST_FLOW_ERROR;
    }
    GST_OBJECT_LOCK (self);
    if (artic_chunk_cache_store (self->cache, jpeg) == NULL)
      GST_WARNING_OBJECT (self,
          "a %" G_GSIZE_FORMAT "-byte JPEG does not fit cache-bytes",
          g_bytes_get_size (jpeg));
    GST_OBJECT_UNLOCK (self);
    g_bytes_unref (jpeg);
  }
  GST_OBJECT_LOCK (self);
  gst_artic_mllm_sink_dispatch (self);
  GST_OBJECT_UNLOCK (self);
  return GST_FLOW_OK;
}
