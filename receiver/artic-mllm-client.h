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

/* A client of the OpenAI Chat Completions protocol, the one that vLLM, the
 * llama.cpp server, Ollama's /v1 and the hosted APIs all accept: sampled
 * frames go as JPEG data-URL image parts, the question as a text part, and
 * the answer streams back as server-sent events. It measures the time to the
 * first token and the total time, retries what can be retried, and keeps its
 * memory bounded whatever the server sends. */

#ifndef __ARTIC_MLLM_CLIENT_H__
#define __ARTIC_MLLM_CLIENT_H__

#include <gio/gio.h>

G_BEGIN_DECLS

#define ARTIC_MLLM_CLIENT_ERROR (artic_mllm_client_error_quark ())

typedef enum
{
  ARTIC_MLLM_CLIENT_ERROR_CONFIG,    /* a bad endpoint or setting */
  ARTIC_MLLM_CLIENT_ERROR_CONNECT,   /* no connection, after all retries */
  ARTIC_MLLM_CLIENT_ERROR_HTTP,      /* an HTTP error status */
  ARTIC_MLLM_CLIENT_ERROR_TIMEOUT,   /* connect, read or total timeout */
  ARTIC_MLLM_CLIENT_ERROR_PROTOCOL,  /* malformed events or JSON */
  ARTIC_MLLM_CLIENT_ERROR_TRUNCATED, /* the stream ended before [DONE] */
  ARTIC_MLLM_CLIENT_ERROR_TOO_LARGE, /* a line or the response over its cap */
} ArticMllmClientError;

/* Defaults, all overridable in ArticMllmClientConfig. */
#define ARTIC_MLLM_DEFAULT_ENDPOINT "http://127.0.0.1:8080/v1"
#define ARTIC_MLLM_DEFAULT_MODEL "artic-answerer"
#define ARTIC_MLLM_DEFAULT_API_KEY_ENV "ARTIC_MLLM_API_KEY"
#define ARTIC_MLLM_DEFAULT_DETAIL "low"
#define ARTIC_MLLM_DEFAULT_FRAME_WINDOW 3
#define ARTIC_MLLM_DEFAULT_CONNECT_TIMEOUT_S 5.0
#define ARTIC_MLLM_DEFAULT_READ_TIMEOUT_S 30.0
#define ARTIC_MLLM_DEFAULT_TOTAL_TIMEOUT_S 120.0
#define ARTIC_MLLM_DEFAULT_MAX_RETRIES 3
#define ARTIC_MLLM_DEFAULT_BACKOFF_INITIAL_MS 250
#define ARTIC_MLLM_DEFAULT_BACKOFF_MAX_MS 8000
#define ARTIC_MLLM_DEFAULT_MAX_LINE_BYTES (256 * 1024)
#define ARTIC_MLLM_DEFAULT_MAX_RESPONSE_BYTES (8 * 1024 * 1024)
#define ARTIC_MLLM_DEFAULT_MAX_ANSWER_BYTES (64 * 1024)
/* An error body is read only this far, for its error.message. */
#define ARTIC_MLLM_MAX_ERROR_BODY_BYTES (64 * 1024)

typedef struct
{
  /* Base URL; requests go to ENDPOINT/chat/completions. */
  const gchar *endpoint;
  const gchar *model;
  /* Name of the environment variable holding the API key, read once by
   * artic_mllm_client_new(); unset or empty: no Authorization header. */
  const gchar *api_key_env;
  const gchar *system_prompt; /* NULL: none */
  const gchar *detail;        /* image detail: "low", "high" or "auto" */
  guint frame_window;         /* newest images per request; 0: all given */
  gint max_tokens;            /* 0: the server's default */
  gdouble connect_timeout_s;  /* until the response headers arrive */
  gdouble read_timeout_s;     /* the longest silence while streaming */
  gdouble total_timeout_s;    /* the whole request, retries included */
  guint max_retries;          /* on 429, 5xx and connection errors */
  guint backoff_initial_ms;
  guint backoff_max_ms;
  gsize max_line_bytes;
  gsize max_response_bytes;
  gsize max_answer_bytes;
} ArticMllmClientConfig;

typedef struct
{
  gchar *answer;          /* the streamed content, concatenated */
  gboolean answer_capped; /* the answer reached max_answer_bytes */
  gchar *finish_reason;   /* NULL when the server gave none */
  gdouble ttft_s;         /* first content token since the call; -1: none */
  gdouble total_s;        /* the whole call, retries included */
  guint images_sent;
  guint attempts;
  guint http_status;
  gint64 prompt_tokens; /* from the usage chunk; -1: not reported */
  gint64 completion_tokens;
} ArticMllmResult;

/* One parsed "chat.completion.chunk" (or an in-stream error object). */
typedef struct
{
  gchar *content;
  gchar *finish_reason;
  gchar *error_message;
  gint64 prompt_tokens;
  gint64 completion_tokens;
} ArticMllmChunk;

/* Called for every content delta as it arrives, from the thread that runs
 * the request. */
typedef void (*ArticMllmDeltaFunc) (
    const gchar *delta, gsize size, gpointer user_data);

typedef struct _ArticMllmClient ArticMllmClient;

GQuark artic_mllm_client_error_quark (void);
void artic_mllm_client_config_init (ArticMllmClientConfig *config);
ArticMllmClient *artic_mllm_client_new (
    const ArticMllmClientConfig *config, GError **error);
void artic_mllm_client_free (ArticMllmClient *client);
gboolean artic_mllm_client_has_api_key (const ArticMllmClient *client);
const gchar *artic_mllm_client_get_url (const ArticMllmClient *client);

gboolean artic_mllm_client_ask (ArticMllmClient *client, const gchar *question,
    GBytes *const *images, guint n_images, ArticMllmDeltaFunc on_delta,
    gpointer user_data, ArticMllmResult *result, GCancellable *cancellable,
    GError **error);
void artic_mllm_client_ask_async (ArticMllmClient *client,
    const gchar *question, GBytes *const *images, guint n_images,
    ArticMllmDeltaFunc on_delta, gpointer delta_data, GCancellable *cancellable,
    GAsyncReadyCallback callback, gpointer user_data);
gboolean artic_mllm_client_ask_finish (ArticMllmClient *client,
    GAsyncResult *res, ArticMllmResult *result, GError **error);

void artic_mllm_result_clear (ArticMllmResult *result);

/* Building blocks, public for the tests and the fuzz harness. */
gchar *artic_mllm_client_build_body (ArticMllmClient *client,
    const gchar *question, GBytes *const *images, guint n_images,
    guint *images_used, gsize *size);
gboolean artic_mllm_chunk_parse (
    const gchar *data, gsize size, ArticMllmChunk *chunk, GError **error);
void artic_mllm_chunk_clear (ArticMllmChunk *chunk);
gchar *artic_mllm_parse_error_message (const gchar *body, gsize size);
gint64 artic_mllm_parse_retry_after (const gchar *value, gint64 now_us);
guint artic_mllm_backoff_ms (
    const ArticMllmClientConfig *config, guint attempt, guint32 random);

G_END_DECLS

#endif /* __ARTIC_MLLM_CLIENT_H__ */
