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

/* G_MESSAGES_DEBUG=artic-answerer prints what each image of a request read. */
#define G_LOG_DOMAIN "artic-answerer"

#include "artic-answerer.h"
#include "artic-json.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

/* A word must have this many letters/digits to be an answer on its own
 * (single glyphs are the commonest misreads of texture). */
#define MIN_ANSWER_CHARS 3
/* Boxes are padded by this fraction of the region height on every side, so
 * the encoder's blocks cover the whole glyphs and not just their cores. */
#define BOX_MARGIN 0.25

G_DEFINE_QUARK (artic_answerer_error_quark, artic_answerer_error)

guint
artic_answerer_error_status (const GError *error)
{
  if (error != NULL && error->domain == ARTIC_ANSWERER_ERROR
      && error->code == ARTIC_ANSWERER_ERROR_TOO_LARGE)
    return 413;
  return 400;
}

/* ---- request parsing ---------------------------------------------------- */

static gboolean fail (GError **error, gint code, gchar **param,
    gchar *param_value, const gchar *format, ...) G_GNUC_PRINTF (5, 6);

static gboolean
fail (GError **error, gint code, gchar **param, gchar *param_value,
    const gchar *format, ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    *error = g_error_new_valist (ARTIC_ANSWERER_ERROR, code, format, args);
  va_end (args);
  if (param != NULL)
    *param = param_value;
  else
    g_free (param_value);
  return FALSE;
}

/* Strict base64: only the alphabet, '=' only as 1-2 trailing pad bytes,
 * length a multiple of 4 (g_base64_decode skips what it does not know). */
static GBytes *
decode_base64 (const gchar *text, gsize length)
{
  gsize i, pad = 0, out_len = 0;
  guchar *out;

  if (length == 0 || length % 4 != 0)
    return NULL;
  for (i = 0; i < length; i++) {
    gchar c = text[i];

    if (c == '=') {
      if (i < length - 2)
        return NULL;
      pad++;
    } else if (pad > 0 || !(g_ascii_isalnum (c) || c == '+' || c == '/')) {
      return NULL;
    }
  }
  {
    gchar *copy = g_strndup (text, length);
    out = g_base64_decode (copy, &out_len);
    g_free (copy);
  }
  return g_bytes_new_take (out, out_len);
}

/* One base64 frame of a data URL. Takes @where (the field, for errors). */
static gboolean
add_frame (const gchar *data, gsize length, guint max_images, GPtrArray *images,
    gchar **param, gchar *where, GError **error)
{
  GBytes *bytes;

  if (images->len >= max_images) {
    g_free (where);
    return fail (error, ARTIC_ANSWERER_ERROR_TOO_MANY_IMAGES, param,
        g_strdup ("messages"), "more than %u images in one request",
        max_images);
  }
  if (length / 4 * 3 > ARTIC_ANSWERER_MAX_IMAGE_BYTES) {
    return fail (error, ARTIC_ANSWERER_ERROR_TOO_LARGE, param, where,
        "image larger than %d bytes", ARTIC_ANSWERER_MAX_IMAGE_BYTES);
  }
  bytes = decode_base64 (data, length);
  if (bytes == NULL) {
    return fail (error, ARTIC_ANSWERER_ERROR_IMAGE, param, where,
        "the image data is not valid base64");
  }
  if (!artic_answerer_vision_probe (g_bytes_get_data (bytes, NULL),
          g_bytes_get_size (bytes), NULL, NULL, NULL)) {
    g_bytes_unref (bytes);
    return fail (error, ARTIC_ANSWERER_ERROR_IMAGE, param, where,
        "the image is not a JPEG or PNG of at most %dx%d pixels",
        ARTIC_ANSWERER_VISION_MAX_DIM, ARTIC_ANSWERER_VISION_MAX_DIM);
  }
  g_free (where);
  g_ptr_array_add (images, bytes);
  return TRUE;
}

/* "data:image/jpeg;base64,<frame>" (image_url) or, as vLLM accepts for a
 * video_url part, "data:video/jpeg;base64,<frame>,<frame>,..." (frames as
 * one video, oldest first). */
static gboolean
parse_data_url (const gchar *url, gboolean video, guint msg_index,
    guint part_index, guint max_images, GPtrArray *images, gchar **param,
    GError **error)
{
  const gchar *comma, *meta, *data;
  const gchar *kind = video ? "video/" : "image/";
  gsize meta_len;
  const gchar *member = video ? "video_url" : "image_url";

  if (!g_str_has_prefix (url, "data:")) {
    return fail (error, ARTIC_ANSWERER_ERROR_INVALID, param,
        g_strdup_printf (
            "messages[%u].content[%u].%s", msg_index, part_index, member),
        "only data: URLs are supported (this server is offline and fetches "
        "nothing)");
  }
  meta = url + 5;
  comma = strchr (meta, ',');
  if (comma == NULL) {
    return fail (error, ARTIC_ANSWERER_ERROR_IMAGE, param,
        g_strdup_printf (
            "messages[%u].content[%u].%s", msg_index, part_index, member),
        "malformed data URL: no ','");
  }
  meta_len = comma - meta;
  if (meta_len < 6 || g_ascii_strncasecmp (meta, kind, 6) != 0) {
    return fail (error, ARTIC_ANSWERER_ERROR_IMAGE, param,
        g_strdup_printf (
            "messages[%u].content[%u].%s", msg_index, part_index, member),
        "the data URL is not %s (expected data:%sjpeg or data:%spng)",
        video ? "a video of frames" : "an image", kind, kind);
  }
  if (meta_len < 7 || g_ascii_strncasecmp (comma - 7, ";base64", 7) != 0) {
    return fail (error, ARTIC_ANSWERER_ERROR_IMAGE, param,
        g_strdup_printf (
            "messages[%u].content[%u].%s", msg_index, part_index, member),
        "the data URL is not base64 (expected ';base64,')");
  }
  data = comma + 1;
  do {
    const gchar *end = video ? strchr (data, ',') : NULL;
    gsize length = end ? (gsize) (end - data) : strlen (data);

    if (!add_frame (data, length, max_images, images, param,
            g_strdup_printf (
                "messages[%u].content[%u].%s", msg_index, part_index, member),
            error))
      return FALSE;
    data = end ? end + 1 : NULL;
  } while (data != NULL);
  return TRUE;
}

static void
append_text (GString **target, const gchar *text)
{
  if (*target == NULL)
    *target = g_string_new (NULL);
  else if ((*target)->len > 0)
    g_string_append_c (*target, '\n');
  g_string_append (*target, text);
}

static gboolean
parse_content (JsonNode *content, guint index, gboolean is_user,
    guint max_images, ArticAnswererRequest *request, GString **text,
    gchar **param, GError **error)
{
  JsonArray *parts;
  guint i;

  if (JSON_NODE_HOLDS_NULL (content))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (content)
      && json_node_get_value_type (content) == G_TYPE_STRING) {
    const gchar *s = json_node_get_string (content);
    append_text (text, s);
    request->prompt_chars += strlen (s);
    return TRUE;
  }
  if (!JSON_NODE_HOLDS_ARRAY (content)) {
    return fail (error, ARTIC_ANSWERER_ERROR_INVALID, param,
        g_strdup_printf ("messages[%u].content", index),
        "content must be a string or an array of content parts");
  }
  parts = json_node_get_array (content);
  for (i = 0; i < json_array_get_length (parts); i++) {
    JsonNode *node = json_array_get_element (parts, i);
    JsonObject *part;
    const gchar *type;

    if (!JSON_NODE_HOLDS_OBJECT (node)) {
      return fail (error, ARTIC_ANSWERER_ERROR_INVALID, param,
          g_strdup_printf ("messages[%u].content[%u]", index, i),
          "a content part must be an object");
    }
    part = json_node_get_object (node);
    type = json_object_get_string_member_with_default (part, "type", NULL);
    if (type == NULL) {
      return fail (error, ARTIC_ANSWERER_ERROR_INVALID, param,
          g_strdup_printf ("messages[%u].content[%u].type", index, i),
          "a content part needs a string 'type'");
    }
    if (g_str_equal (type, "text")) {
      const gchar *s
          = json_object_get_string_member_with_default (part, "text", NULL);
      if (s == NULL) {
        return fail (error, ARTIC_ANSWERER_ERROR_INVALID, param,
            g_strdup_printf ("messages[%u].content[%u].text", index, i),
            "a text part needs a string 'text'");
      }
      append_text (text, s);
      request->prompt_chars += strlen (s);
    } else if (g_str_equal (type, "image_url")
               || g_str_equal (type, "video_url")) {
      gboolean video = g_str_equal (type, "video_url");
      JsonNode *image = json_object_get_member (part, type);
      const gchar *url = NULL;

      if (!is_user) {
        return fail (error, ARTIC_ANSWERER_ERROR_INVALID, param,
            g_strdup_printf ("messages[%u].content[%u]", index, i),
            "images are only accepted in user messages");
      }
      /* OpenAI's form is an object; some clients send the URL string. */
      if (image != NULL && JSON_NODE_HOLDS_OBJECT (image))
        url = json_object_get_string_member_with_default (
            json_node_get_object (image), "url", NULL);
      else if (image != NULL && JSON_NODE_HOLDS_VALUE (image)
               && json_node_get_value_type (image) == G_TYPE_STRING)
        url = json_node_get_string (image);
      if (url == NULL) {
        return fail (error, ARTIC_ANSWERER_ERROR_INVALID, param,
            g_strdup_printf ("messages[%u].content[%u].%s", index, i, type),
            "an %s part needs %s.url", type, type);
      }
      if (!parse_data_url (
              url, video, index, i, max_images, request->images, param, error))
        return FALSE;
    } else {
      return fail (error, ARTIC_ANSWERER_ERROR_INVALID, param,
          g_strdup_printf ("messages[%u].content[%u].type", index, i),
          "unsupported content part type (use 'text', 'image_url' or "
          "'video_url')");
    }
  }
  return TRUE;
}

static gboolean
parse_messages (JsonArray *messages, guint max_images,
    ArticAnswererRequest *request, gchar **param, GError **error)
{
  GString *system = NULL;
  guint i;

  for (i = 0; i < json_array_get_length (messages); i++) {
    JsonNode *node = json_array_get_element (messages, i);
    JsonObject *message;
    const gchar *role;
    JsonNode *content;
    GString *text = NULL;
    gboolean ok, is_user, is_system;

    if (!JSON_NODE_HOLDS_OBJECT (node)) {
      if (system)
        g_string_free (system, TRUE);
      return fail (error, ARTIC_ANSWERER_ERROR_INVALID, param,
          g_strdup_printf ("messages[%u]", i), "a message must be an object");
    }
    message = json_node_get_object (node);
    role = json_object_get_string_member_with_default (message, "role", NULL);
    if (role == NULL
        || !(g_str_equal (role, "system") || g_str_equal (role, "developer")
             || g_str_equal (role, "user") || g_str_equal (role, "assistant")
             || g_str_equal (role, "tool"))) {
      if (system)
        g_string_free (system, TRUE);
      return fail (error, ARTIC_ANSWERER_ERROR_INVALID, param,
          g_strdup_printf ("messages[%u].role", i),
          "role must be one of system, developer, user, assistant, tool");
    }
    is_user = g_str_equal (role, "user");
    is_system = g_str_equal (role, "system") || g_str_equal (role, "developer");
    content = json_object_get_member (message, "content");
    if (content == NULL) {
      if (system)
        g_string_free (system, TRUE);
      return fail (error, ARTIC_ANSWERER_ERROR_INVALID, param,
          g_strdup_printf ("messages[%u].content", i),
          "a message needs 'content'");
    }
    ok = parse_content (
        content, i, is_user, max_images, request, &text, param, error);
    if (ok && text != NULL && is_system)
      append_text (&system, text->str);
    if (ok && text != NULL && is_user) {
      g_free (request->prompt);
      request->prompt = g_strdup (text->str);
    }
    if (text)
      g_string_free (text, TRUE);
    if (!ok) {
      if (system)
        g_string_free (system, TRUE);
      return FALSE;
    }
  }
  if (system != NULL)
    request->system = g_string_free (system, FALSE);
  return TRUE;
}

static gboolean
get_bool_member (JsonObject *object, const gchar *name, gboolean *value,
    const gchar *param_name, gchar **param, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_BOOLEAN) {
    return fail (error, ARTIC_ANSWERER_ERROR_INVALID, param,
        g_strdup (param_name), "'%s' must be a boolean", param_name);
  }
  *value = json_node_get_boolean (node);
  return TRUE;
}

ArticAnswererRequest *
artic_answerer_request_parse (const gchar *body, gsize size, guint max_images,
    gchar **param, GError **error)
{
  JsonParser *parser;
  JsonNode *root, *node;
  JsonObject *object;
  ArticAnswererRequest *request;
  GError *json_error = NULL;
  gboolean ok = FALSE;

  if (param)
    *param = NULL;
  if (max_images == 0)
    max_images = ARTIC_ANSWERER_DEFAULT_MAX_IMAGES;
  if (body == NULL || size == 0) {
    fail (error, ARTIC_ANSWERER_ERROR_INVALID, param, NULL,
        "empty request body (expected a JSON object)");
    return NULL;
  }
  if (!artic_json_depth_within (body, size, ARTIC_ANSWERER_MAX_JSON_DEPTH)) {
    fail (error, ARTIC_ANSWERER_ERROR_INVALID, param, NULL,
        "JSON nested deeper than %d levels", ARTIC_ANSWERER_MAX_JSON_DEPTH);
    return NULL;
  }
  /* json-glib reads up to the first NUL when given a length it cannot use;
   * a NUL in the body is simply not JSON. */
  if (memchr (body, '\0', size) != NULL
      || !g_utf8_validate (body, (gssize) size, NULL)) {
    fail (error, ARTIC_ANSWERER_ERROR_INVALID, param, NULL,
        "the body is not UTF-8 JSON");
    return NULL;
  }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, body, (gssize) size, &json_error)) {
    /* json-glib quotes the offending token cut at a byte count, which can
     * split a UTF-8 sequence: the reply must stay valid JSON. */
    gchar *why = g_utf8_make_valid (json_error->message, -1);
    fail (error, ARTIC_ANSWERER_ERROR_INVALID, param, NULL,
        "the body is not valid JSON: %s", why);
    g_free (why);
    g_error_free (json_error);
    g_object_unref (parser);
    return NULL;
  }
  request = g_new0 (ArticAnswererRequest, 1);
  request->images
      = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    fail (error, ARTIC_ANSWERER_ERROR_INVALID, param, NULL,
        "the body must be a JSON object");
    goto out;
  }
  object = json_node_get_object (root);
  node = json_object_get_member (object, "model");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node)) {
    if (!JSON_NODE_HOLDS_VALUE (node)
        || json_node_get_value_type (node) != G_TYPE_STRING) {
      fail (error, ARTIC_ANSWERER_ERROR_INVALID, param, g_strdup ("model"),
          "'model' must be a string");
      goto out;
    }
    request->model = g_strdup (json_node_get_string (node));
  }
  if (!get_bool_member (
          object, "stream", &request->stream, "stream", param, error))
    goto out;
  node = json_object_get_member (object, "stream_options");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node)
      && !get_bool_member (json_node_get_object (node), "include_usage",
          &request->include_usage, "stream_options.include_usage", param,
          error))
    goto out;
  node = json_object_get_member (object, "messages");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length (json_node_get_array (node)) == 0) {
    fail (error, ARTIC_ANSWERER_ERROR_INVALID, param, g_strdup ("messages"),
        "'messages' must be a non-empty array");
    goto out;
  }
  if (!parse_messages (
          json_node_get_array (node), max_images, request, param, error))
    goto out;
  if (request->prompt == NULL || *g_strstrip (request->prompt) == '\0') {
    fail (error, ARTIC_ANSWERER_ERROR_INVALID, param, g_strdup ("messages"),
        "no user text: ask a question in a user message");
    goto out;
  }
  if (request->images->len == 0) {
    fail (error, ARTIC_ANSWERER_ERROR_INVALID, param, g_strdup ("messages"),
        "no image: this model answers from the frames, send at least one "
        "image_url part");
    goto out;
  }
  ok = TRUE;
out:
  g_object_unref (parser);
  if (!ok) {
    artic_answerer_request_free (request);
    return NULL;
  }
  return request;
}

void
artic_answerer_request_free (ArticAnswererRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->model);
  g_free (request->system);
  g_free (request->prompt);
  g_ptr_array_unref (request->images);
  g_free (request);
}

/* ---- reading the prompt ------------------------------------------------- */

/* Words that say how to answer, not what to look for. */
static const gchar *const stop_words[] = { "a", "about", "above", "after",
  "all", "an", "and", "any", "answer", "are", "as", "at", "based", "bbox", "be",
  "before", "below", "between", "bounding", "box", "boxes", "by", "can", "code",
  "concisely", "could", "did", "display", "displayed", "do", "does",
  "following", "for", "frame", "frames", "from", "future", "has", "have", "how",
  "image", "images", "in", "into", "is", "it", "its", "label", "me", "name",
  "next", "number", "of", "on", "or", "picture", "please", "predict", "print",
  "printed", "qr", "question", "rate", "read", "readability", "region",
  "relevant", "say", "says", "see", "seen", "show", "shown", "shows", "sign",
  "tell", "text", "that", "the", "there", "these", "this", "those", "title",
  "to", "video", "visible", "was", "what", "whats", "where", "which", "who",
  "with", "word", "words", "write", "written", "you", "your", NULL };

/* Lower case, letters and digits only: "CAMPRODON," and "Camprodon" are the
 * same word to a question. */
static gchar *
normalize (const gchar *text)
{
  GString *out = g_string_new (NULL);
  const gchar *p;

  for (p = text; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    if (g_unichar_isalnum (c))
      g_string_append_unichar (out, g_unichar_tolower (c));
  }
  return g_string_free (out, FALSE);
}

static guint
count_alnum (const gchar *text, guint *digits)
{
  const gchar *p;
  guint n = 0, d = 0;

  for (p = text; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    if (g_unichar_isalnum (c))
      n++;
    if (g_unichar_isdigit (c))
      d++;
  }
  if (digits)
    *digits = d;
  return n;
}

static gboolean
has_word (const gchar *lower, const gchar *word)
{
  gchar *pattern = g_strdup_printf ("\\b%s\\b", word);
  gboolean found = g_regex_match_simple (pattern, lower, 0, 0);
  g_free (pattern);
  return found;
}

static gchar *
extract_question (const gchar *prompt)
{
  gchar *lower = g_utf8_strdown (prompt, -1);
  const gchar *mark = strstr (lower, "question:");
  gchar *question;

  /* Byte offsets match: lower-casing this prompt keeps ASCII lengths, and
   * the fallback below covers prompts where it does not. */
  if (mark != NULL && strlen (lower) == strlen (prompt)) {
    question = g_strdup (prompt + (mark - lower) + strlen ("question:"));
    question = g_strstrip (question);
    if (*question == '\0') {
      g_free (question);
      question = g_strstrip (g_strdup (prompt));
    }
  } else {
    question = g_strstrip (g_strdup (prompt));
  }
  g_free (lower);
  return question;
}

static guint
parse_count (const gchar *word)
{
  static const gchar *const names[] = { "zero", "one", "two", "three", "four",
    "five", "six", "seven", "eight", "nine", "ten", NULL };
  guint i;

  if (g_ascii_isdigit (word[0]))
    return (guint) MIN (g_ascii_strtoull (word, NULL, 10), 1000);
  for (i = 0; names[i]; i++) {
    if (g_str_equal (word, names[i]))
      return i;
  }
  return 0;
}

/* "in the last frame", "the newest image", "the current frame": where the
 * region is now, not where it will be (a sender that follows the region
 * itself asks so). */
static gboolean
asks_for_newest_frame (const gchar *lower)
{
  static const gchar *const which[]
      = { "last", "newest", "latest", "current", "final", "most recent" };
  static const gchar *const what[] = { "frame", "image" };
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (which); i++) {
    for (j = 0; j < G_N_ELEMENTS (what); j++) {
      gchar *phrase = g_strdup_printf ("%s %s", which[i], what[j]);
      gboolean found = strstr (lower, phrase) != NULL;

      g_free (phrase);
      if (found)
        return TRUE;
    }
  }
  return FALSE;
}

/* "the next 3 frames", "5 future frames", "three upcoming sampled frames";
 * 0 for a request about the newest frame itself. */
static guint
future_frames (const gchar *lower)
{
  GRegex *regex = g_regex_new ("(?:next|following|future|upcoming)\\s+"
                               "(\\d{1,4}|one|two|three|four|five|six|seven|"
                               "eight|nine|ten)\\s+(?:\\w+\\s+)?frames?|"
                               "(\\d{1,4}|one|two|three|four|five|six|seven|"
                               "eight|nine|ten)\\s+(?:next|following|future|"
                               "upcoming)\\s+(?:\\w+\\s+)?frames?",
      G_REGEX_OPTIMIZE, 0, NULL);
  GMatchInfo *info = NULL;
  guint count = ARTIC_ANSWERER_DEFAULT_FUTURE_FRAMES;

  if (g_regex_match (regex, lower, 0, &info)) {
    gchar *a = g_match_info_fetch (info, 1), *b = g_match_info_fetch (info, 2);
    guint n = parse_count (a && *a ? a : (b ? b : ""));
    if (n > 0)
      count = MIN (n, ARTIC_ANSWERER_MAX_FUTURE_FRAMES);
    g_free (a);
    g_free (b);
  } else if (asks_for_newest_frame (lower)) {
    count = 0;
  }
  g_match_info_free (info);
  g_regex_unref (regex);
  return count;
}

/* Splits @text into runs of letters and digits, normalized. By hand, not
 * with GRegex: PCRE gives up (returns NULL) on some long hostile input. */
static GPtrArray *
split_words (const gchar *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  GString *word = g_string_new (NULL);
  const gchar *p;

  for (p = text;; p = g_utf8_next_char (p)) {
    gunichar c = *p ? g_utf8_get_char (p) : 0;

    if (c != 0 && g_unichar_isalnum (c)) {
      g_string_append_unichar (word, g_unichar_tolower (c));
    } else if (word->len > 0) {
      g_ptr_array_add (words, g_strdup (word->str));
      g_string_truncate (word, 0);
    }
    if (c == 0)
      break;
  }
  g_string_free (word, TRUE);
  return words;
}

static void
add_quoted (GPtrArray *quoted, const gchar *question)
{
  /* Double quotes, typographic quotes, and single quotes that are not
   * apostrophes (not between two letters). */
  GRegex *regex = g_regex_new ("\"([^\"]{1,80})\"|\u201c([^\u201d]{1,80})"
                               "\u201d|\u2018([^\u2019]{1,80})\u2019|"
                               "(?<![\\w])'([^']{1,80})'(?![\\w])",
      0, 0, NULL);
  GMatchInfo *info = NULL;

  g_regex_match (regex, question, 0, &info);
  while (g_match_info_matches (info)) {
    guint group;
    for (group = 1; group <= 4; group++) {
      gchar *text = g_match_info_fetch (info, (gint) group);
      if (text != NULL && *text != '\0') {
        GPtrArray *words = split_words (text);
        guint i;
        for (i = 0; i < words->len; i++)
          g_ptr_array_add (quoted, g_strdup (g_ptr_array_index (words, i)));
        g_ptr_array_unref (words);
      }
      g_free (text);
    }
    g_match_info_next (info, NULL);
  }
  g_match_info_free (info);
  g_regex_unref (regex);
}

static void
add_keywords (GPtrArray *keywords, const gchar *question)
{
  GPtrArray *words = split_words (question);
  guint i;

  for (i = 0; i < words->len; i++) {
    const gchar *word = g_ptr_array_index (words, i);
    if (g_utf8_strlen (word, -1) >= 3 && !g_strv_contains (stop_words, word))
      g_ptr_array_add (keywords, g_strdup (word));
  }
  g_ptr_array_unref (words);
}

/* The words of a colour name ("navy", "blue", "dark") describe the sign,
 * they are not text to look for on it. */
static void
drop_colour_words (GPtrArray *keywords)
{
  guint i = 0;

  while (i < keywords->len) {
    if (artic_answerer_vision_colour_in_text (g_ptr_array_index (keywords, i))
            >= 0
        || g_str_equal (g_ptr_array_index (keywords, i), "dark")
        || g_str_equal (g_ptr_array_index (keywords, i), "light"))
      g_ptr_array_remove_index (keywords, i);
    else
      i++;
  }
}

ArticAnswererQuery *
artic_answerer_query_new (const gchar *system, const gchar *prompt)
{
  ArticAnswererQuery *query = g_new0 (ArticAnswererQuery, 1);
  gchar *all
      = g_strconcat (system ? system : "", "\n", prompt ? prompt : "", NULL);
  gchar *lower = g_utf8_strdown (all, -1);
  gchar *question_lower;

  /* The instructions decide the kind; "readability" is the most specific
   * word, so it wins over a mention of the region's box. */
  if (strstr (lower, "readability") || strstr (lower, "legibility"))
    query->kind = ARTIC_ANSWERER_KIND_READABILITY;
  else if (strstr (lower, "bounding box") || strstr (lower, "bounding-box")
           || has_word (lower, "bbox") || has_word (lower, "bboxes"))
    query->kind = ARTIC_ANSWERER_KIND_BOXES;
  else
    query->kind = ARTIC_ANSWERER_KIND_ANSWER;
  query->future_frames = future_frames (lower);

  query->question = extract_question (prompt ? prompt : "");
  question_lower = g_utf8_strdown (query->question, -1);
  query->quoted = g_ptr_array_new_with_free_func (g_free);
  query->keywords = g_ptr_array_new_with_free_func (g_free);
  add_quoted (query->quoted, query->question);
  query->colour = artic_answerer_vision_colour_in_text (query->question);
  add_keywords (query->keywords, query->question);
  if (query->colour >= 0)
    drop_colour_words (query->keywords);
  query->wants_code = has_word (question_lower, "qr")
                      || has_word (question_lower, "barcode")
                      || strstr (question_lower, "bar code") != NULL;
  query->wants_number = has_word (question_lower, "number")
                        || has_word (question_lower, "digits")
                        || has_word (question_lower, "price")
                        || has_word (question_lower, "year")
                        || strstr (question_lower, "how many") != NULL;
  query->wants_word = has_word (question_lower, "word");
  g_free (question_lower);
  g_free (lower);
  g_free (all);
  return query;
}

void
artic_answerer_query_free (ArticAnswererQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->question);
  g_ptr_array_unref (query->quoted);
  g_ptr_array_unref (query->keywords);
  g_free (query);
}

const gchar *
artic_answerer_kind_name (ArticAnswererKind kind)
{
  switch (kind) {
    case ARTIC_ANSWERER_KIND_BOXES:
      return "boxes";
    case ARTIC_ANSWERER_KIND_READABILITY:
      return "readability";
    case ARTIC_ANSWERER_KIND_ANSWER:
    default:
      return "answer";
  }
}

/* ---- matching a frame --------------------------------------------------- */

static guint
edit_distance (const gchar *a, const gchar *b)
{
  gsize la = strlen (a), lb = strlen (b), i, j;
  guint *row, result;

  if (la > 64 || lb > 64)
    return g_str_equal (a, b) ? 0 : G_MAXUINT;
  row = g_new (guint, lb + 1);
  for (j = 0; j <= lb; j++)
    row[j] = (guint) j;
  for (i = 1; i <= la; i++) {
    guint diag = row[0];
    row[0] = (guint) i;
    for (j = 1; j <= lb; j++) {
      guint up = row[j];
      guint cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diag + cost);
      diag = up;
    }
  }
  result = row[lb];
  g_free (row);
  return result;
}

/* OCR misreads about one glyph in five on hard frames: "CAMPR0DON" still
 * names the word the question quotes. Short words must match exactly. */
static gboolean
cue_matches (const gchar *cue, const gchar *word)
{
  gsize len = strlen (cue);

  if (len == 0 || *word == '\0')
    return FALSE;
  if (g_str_equal (cue, word))
    return TRUE;
  return len >= 5 && edit_distance (cue, word) <= len / 5;
}

static gboolean
is_good (const ArticAnswererWord *word)
{
  return artic_answerer_vision_word_is_good (word);
}

static gboolean
matches_any (GPtrArray *cues, const gchar *norm)
{
  guint i;

  for (i = 0; i < cues->len; i++) {
    if (cue_matches (g_ptr_array_index (cues, i), norm))
      return TRUE;
  }
  return FALSE;
}

static void
grow (ArticAnswererMatch *match, const ArticAnswererWord *word)
{
  if (!match->found) {
    match->x0 = word->x0;
    match->y0 = word->y0;
    match->x1 = word->x1;
    match->y1 = word->y1;
    match->found = TRUE;
  } else {
    match->x0 = MIN (match->x0, word->x0);
    match->y0 = MIN (match->y0, word->y0);
    match->x1 = MAX (match->x1, word->x1);
    match->y1 = MAX (match->y1, word->y1);
  }
}

/* A bigger, surer word is what a person would read first. */
static gdouble
salience (const ArticAnswererWord *word)
{
  return (word->y1 - word->y0) * word->confidence;
}

/* The good words of one line, joined. */
static gchar *
line_text (const ArticAnswererFrame *frame, guint line)
{
  GString *text = g_string_new (NULL);
  guint i;

  for (i = 0; i < frame->words->len; i++) {
    const ArticAnswererWord *word = g_ptr_array_index (frame->words, i);
    if (word->line == line && is_good (word)) {
      if (text->len)
        g_string_append_c (text, ' ');
      g_string_append (text, word->text);
    }
  }
  return g_string_free (text, FALSE);
}

static void
finish_region (const ArticAnswererFrame *frame, const gboolean *lines,
    ArticAnswererMatch *match)
{
  guint i;

  for (i = 0; i < frame->words->len; i++) {
    const ArticAnswererWord *word = g_ptr_array_index (frame->words, i);
    if (lines[word->line] && is_good (word))
      grow (match, word);
  }
}

/* The question names a word that is in the frame: the region is its line. */
static gboolean
match_cues (const ArticAnswererQuery *query, const ArticAnswererFrame *frame,
    guint n_lines, ArticAnswererMatch *match)
{
  gboolean *lines = g_new0 (gboolean, n_lines);
  GPtrArray *cues = query->quoted->len ? query->quoted : query->keywords;
  gdouble conf_sum = 0;
  guint matched = 0, i, first_line = 0;
  const ArticAnswererWord *number = NULL;

  for (i = 0; i < frame->words->len; i++) {
    const ArticAnswererWord *word = g_ptr_array_index (frame->words, i);
    gchar *norm;

    if (!is_good (word))
      continue;
    norm = normalize (word->text);
    if (matches_any (cues, norm)) {
      if (matched == 0)
        first_line = word->line;
      lines[word->line] = TRUE;
      conf_sum += word->confidence;
      matched++;
    }
    g_free (norm);
  }
  if (matched == 0) {
    g_free (lines);
    return FALSE;
  }
  finish_region (frame, lines, match);
  match->confidence = conf_sum / matched;
  if (query->wants_number) {
    for (i = 0; i < frame->words->len && number == NULL; i++) {
      const ArticAnswererWord *word = g_ptr_array_index (frame->words, i);
      guint digits;
      count_alnum (word->text, &digits);
      if (lines[word->line] && is_good (word) && digits > 0)
        number = word;
    }
  }
  match->text
      = number ? g_strdup (number->text) : line_text (frame, first_line);
  g_free (lines);
  return TRUE;
}

static void
match_code (const ArticAnswererFrame *frame, ArticAnswererMatch *match)
{
  const ArticAnswererWord *best = NULL;
  guint i;

  for (i = 0; i < frame->codes->len; i++) {
    const ArticAnswererWord *code = g_ptr_array_index (frame->codes, i);
    if (best == NULL
        || (code->x1 - code->x0) * (code->y1 - code->y0)
               > (best->x1 - best->x0) * (best->y1 - best->y0))
      best = code;
  }
  if (best != NULL) {
    grow (match, best);
    match->text = g_strdup (best->text);
    match->confidence = best->confidence;
  }
}

/* No cue in the frame: the most salient readable text is the best guess of
 * what a question about "the text" means. */
static void
match_salient (const ArticAnswererQuery *query, const ArticAnswererFrame *frame,
    guint n_lines, ArticAnswererMatch *match)
{
  const ArticAnswererWord *best = NULL;
  gboolean *lines;
  guint i;

  for (i = 0; i < frame->words->len; i++) {
    const ArticAnswererWord *word = g_ptr_array_index (frame->words, i);
    guint digits, chars = count_alnum (word->text, &digits);

    if (!is_good (word))
      continue;
    if (query->wants_number ? (digits == 0 || chars < 2)
                            : chars < MIN_ANSWER_CHARS)
      continue;
    if (best == NULL || salience (word) > salience (best))
      best = word;
  }
  if (best == NULL)
    return;
  if (query->wants_number || query->wants_word) {
    grow (match, best);
    match->text = g_strdup (best->text);
    match->confidence = best->confidence;
    return;
  }
  lines = g_new0 (gboolean, n_lines);
  lines[best->line] = TRUE;
  finish_region (frame, lines, match);
  match->text = line_text (frame, best->line);
  {
    gdouble sum = 0;
    guint n = 0;
    for (i = 0; i < frame->words->len; i++) {
      const ArticAnswererWord *word = g_ptr_array_index (frame->words, i);
      if (word->line == best->line && is_good (word)) {
        sum += word->confidence;
        n++;
      }
    }
    match->confidence = n ? sum / n : 0;
  }
  g_free (lines);
}

void
artic_answerer_match_frame (const ArticAnswererQuery *query,
    const ArticAnswererFrame *frame, ArticAnswererMatch *match)
{
  guint n_lines = 1, i;

  memset (match, 0, sizeof (*match));
  if (query->wants_code) {
    /* A code question is answered by a code or not at all: OCR of the
     * modules would be noise. */
    match_code (frame, match);
    return;
  }
  for (i = 0; i < frame->words->len; i++) {
    const ArticAnswererWord *word = g_ptr_array_index (frame->words, i);
    n_lines = MAX (n_lines, word->line + 1);
  }
  if ((query->quoted->len || query->keywords->len)
      && match_cues (query, frame, n_lines, match))
    return;
  match_salient (query, frame, n_lines, match);
}

void
artic_answerer_match_clear (ArticAnswererMatch *match)
{
  g_clear_pointer (&match->text, g_free);
  match->found = FALSE;
}

/* ---- agreement between the images --------------------------------------- */

/* Two words of one reading are the same word: equal, or one glyph apart
 * when the longer has 4+ characters (OCR drops or swaps a glyph of small
 * moving text; "PET" and "PEN" are different words). */
static gboolean
words_agree (const gchar *a, const gchar *b)
{
  return g_str_equal (a, b)
         || (MAX (strlen (a), strlen (b)) >= 4 && edit_distance (a, b) <= 1);
}

/* A word cut at the frame's or the sign's edge keeps its start or its end
 * ("TH" of "THEATRE"); fewer than this many glyphs name nothing. */
#define MIN_CUT_CHARS 2

/* Is @inner's word @k the same as @outer_word? The first word of the run
 * may have lost its start at the edge, the last its end. */
static gboolean
run_word_agrees (GPtrArray *inner, guint k, const gchar *outer_word)
{
  const gchar *word = g_ptr_array_index (inner, k);

  if (words_agree (word, outer_word))
    return TRUE;
  if (strlen (word) < MIN_CUT_CHARS)
    return FALSE;
  return (k == 0 && g_str_has_suffix (outer_word, word))
         || (k == inner->len - 1 && g_str_has_prefix (outer_word, word));
}

/* Are the words @inner a run of the words @outer, word by word? */
static gboolean
words_run_within (GPtrArray *inner, GPtrArray *outer)
{
  guint start, k, chars = 0;

  for (k = 0; k < inner->len; k++)
    chars += strlen (g_ptr_array_index (inner, k));
  if (chars < MIN_ANSWER_CHARS || inner->len > outer->len)
    return FALSE;
  for (start = 0; start + inner->len <= outer->len; start++) {
    for (k = 0; k < inner->len; k++) {
      if (!run_word_agrees (inner, k, g_ptr_array_index (outer, start + k)))
        break;
    }
    if (k == inner->len)
      return TRUE;
  }
  return FALSE;
}

gboolean
artic_answerer_readings_agree (const gchar *a, const gchar *b)
{
  gchar *na, *nb;
  GPtrArray *wa, *wb;
  gboolean agree;

  if (a == NULL || b == NULL)
    return FALSE;
  na = normalize (a);
  nb = normalize (b);
  /* The whole texts one glyph apart also covers a word split or joined
   * ("GARDENTACT"). */
  agree = *na != '\0' && *nb != '\0' && words_agree (na, nb);
  g_free (na);
  g_free (nb);
  if (agree)
    return TRUE;
  wa = split_words (a);
  wb = split_words (b);
  agree = words_run_within (wa, wb) || words_run_within (wb, wa);
  g_ptr_array_unref (wa);
  g_ptr_array_unref (wb);
  return agree;
}

/* A region read in one image, with how the other images see it. */
typedef struct
{
  guint support; /* images whose reading agrees with this one, itself too */
  guint copies;  /* images that read exactly this (normalized) */
  gsize length;  /* letters and digits */
} Ballot;

/* Is the reading @c better supported than @b? */
static gboolean
ballot_beats (
    const ArticAnswererMatch *matches, const Ballot *ballots, guint c, guint b)
{
  if (ballots[c].support != ballots[b].support)
    return ballots[c].support > ballots[b].support;
  if (ballots[c].length != ballots[b].length
      && artic_answerer_readings_agree (matches[c].text, matches[b].text))
    return ballots[c].length > ballots[b].length;
  return ballots[c].copies > ballots[b].copies;
}

/* A model given three frames reads the text once from all of them; one
 * frame's OCR of 13-18 px low-contrast moving text at the edge of
 * legibility flips with tiny pixel changes (a glyph lost at the margin or
 * at the frame's edge, a word missed, another sign's text when the asked
 * one does not read), while the same slip rarely repeats in the other
 * frames. Measured on lite3-seed1's clean, 3150 and 6300 kbps frames
 * (docs/devibench.md, "Reading every image"), so:
 * - when some image read the sign the question names by its colour, the
 *   others' whole-frame guesses take no part: another sign's legible text
 *   is no answer about this one, even from two images of three;
 * - the reading most images agree with wins (one that another extends, or
 *   that is a glyph off, counts with it);
 * - between readings that agree, the longer: OCR at the margin drops
 *   glyphs and words far more often than it invents them ("EXPRESS" twice
 *   and "EXPRESS WRENCH" once: the sign says EXPRESS WRENCH);
 * - then the one most images read exactly, then the newest, as the
 *   question is about what the camera shows now. */
gint
artic_answerer_vote (const ArticAnswererMatch *matches, guint n)
{
  Ballot *ballots = g_new0 (Ballot, MAX (n, 1));
  gchar **norms = g_new0 (gchar *, MAX (n, 1));
  gboolean any_on_sign = FALSE;
  gint best = -1;
  guint i, j;

  for (i = 0; i < n; i++) {
    if (matches[i].found && matches[i].text != NULL) {
      norms[i] = normalize (matches[i].text);
      ballots[i].length = strlen (norms[i]);
      any_on_sign |= ballots[i].length > 0 && matches[i].on_sign;
    }
  }
  for (i = 0; i < n; i++) {
    if (ballots[i].length == 0 || (any_on_sign && !matches[i].on_sign)) {
      g_clear_pointer (&norms[i], g_free);
      ballots[i].length = 0;
    }
  }
  for (i = 0; i < n; i++) {
    if (norms[i] == NULL)
      continue;
    for (j = 0; j < n; j++) {
      if (norms[j] == NULL)
        continue;
      if (g_str_equal (norms[i], norms[j]))
        ballots[i].copies++;
      if (i == j
          || artic_answerer_readings_agree (matches[i].text, matches[j].text))
        ballots[i].support++;
    }
  }
  /* Newest first, so that an exact tie keeps the newest. */
  for (i = n; i-- > 0;) {
    if (ballots[i].support == 0)
      continue;
    if (best < 0 || ballot_beats (matches, ballots, i, (guint) best))
      best = (gint) i;
  }
  for (i = 0; i < n; i++)
    g_free (norms[i]);
  g_free (norms);
  g_free (ballots);
  return best;
}

/* ---- the sign of the colour the question names --------------------------- */

/* Candidates whose outline is less than this share as straight as the
 * straightest candidate's are not read. In the 400 box-request images of
 * lite3-seed1 at 570 kbps the sign asked about was at 0.64 of the
 * straightest or more (a sign merged with scenery of its colour); the
 * regions that read as junk ("Sars", "?Seer.", or a distractor sign inside
 * the dark background's bounding box) at 0.05-0.53. */
#define SIGN_MIN_RELATIVE_STRAIGHTNESS 0.6

/* How well a region's reading answers the question: readable characters
 * weighted by confidence, doubled when the text has the question's shape
 * (digits for a number or code question, letters for words). */
static gdouble
colour_candidate_score (
    const ArticAnswererQuery *query, const ArticAnswererMatch *match)
{
  guint digits, chars = count_alnum (match->text, &digits);
  gdouble score = chars * match->confidence;
  gboolean asks_code
      = query->question != NULL && strstr (query->question, "code") != NULL;

  if (chars < 2)
    return 0;
  if ((query->wants_number || asks_code) ? digits > 0 : digits < chars)
    score *= 2;
  return score;
}

/* "Which word is on the sign?" asks for a word, not the number next to it
 * ("EMBER 292"): the longest good word without digits, if there is one. */
static void
prefer_letters (const ArticAnswererFrame *frame, ArticAnswererMatch *match)
{
  const ArticAnswererWord *best = NULL;
  guint best_chars = 0, i;

  for (i = 0; i < frame->words->len; i++) {
    const ArticAnswererWord *word = g_ptr_array_index (frame->words, i);
    guint digits, chars = count_alnum (word->text, &digits);

    if (is_good (word) && digits == 0 && chars > best_chars) {
      best = word;
      best_chars = chars;
    }
  }
  if (best != NULL && best_chars >= MIN_ANSWER_CHARS) {
    g_free (match->text);
    match->text = g_strdup (best->text);
    match->confidence = best->confidence;
  }
}

/* The words of @frame whose centre lies on @region. */
static ArticAnswererFrame *
words_inside (
    const ArticAnswererFrame *frame, const ArticAnswererRegion *region)
{
  ArticAnswererFrame *inside = artic_answerer_frame_new (
      frame ? frame->width : 0, frame ? frame->height : 0);
  guint i;

  for (i = 0; frame != NULL && i < frame->words->len; i++) {
    const ArticAnswererWord *word = g_ptr_array_index (frame->words, i);
    gint cx = (word->x0 + word->x1) / 2, cy = (word->y0 + word->y1) / 2;

    if (cx >= region->x0 && cx < region->x1 && cy >= region->y0
        && cy < region->y1) {
      ArticAnswererWord *copy = artic_answerer_word_new (word->text,
          word->confidence, word->x0, word->y0, word->x1, word->y1, word->line);
      copy->dictionary = word->dictionary;
      g_ptr_array_add (inside->words, copy);
    }
  }
  return inside;
}

/* Keeps the reading of a sign that answers best; the match's region is the
 * sign itself, not just its words: that is the region of interest. */
static void
consider_candidate (const ArticAnswererQuery *query,
    const ArticAnswererFrame *reading, const ArticAnswererRegion *region,
    ArticAnswererMatch *best, gdouble *best_score)
{
  ArticAnswererMatch candidate;
  gdouble score;

  artic_answerer_match_frame (query, reading, &candidate);
  if (candidate.found && query->wants_word)
    prefer_letters (reading, &candidate);
  score = candidate.found ? colour_candidate_score (query, &candidate) : 0;
  g_debug ("sign candidate [%d,%d %dx%d] (straightness %.2f): %s%s%s, "
           "score %.0f",
      region->x0, region->y0, region->x1 - region->x0, region->y1 - region->y0,
      region->straightness, candidate.found ? "\"" : "",
      candidate.found ? candidate.text : "-", candidate.found ? "\"" : "",
      score);
  if (score <= *best_score) {
    artic_answerer_match_clear (&candidate);
    return;
  }
  artic_answerer_match_clear (best);
  *best = candidate;
  best->on_sign = TRUE;
  best->x0 = region->x0;
  best->y0 = region->y0;
  best->x1 = region->x1;
  best->y1 = region->y1;
  *best_score = score;
}

gboolean
artic_answerer_match_colour (ArticAnswererVision *vision,
    const ArticAnswererQuery *query, const guint8 *rgb, const guint8 *gray,
    guint width, guint height, const ArticAnswererFrame *whole,
    ArticAnswererMatch *match)
{
  const ArticAnswererColour *colour;
  GArray *regions;
  gdouble best_score = 0, straightest = 0;
  guint i;

  memset (match, 0, sizeof (*match));
  if (query->colour < 0 || query->wants_code
      || (colour = artic_answerer_vision_colour ((guint) query->colour))
             == NULL)
    return FALSE;
  regions = artic_answerer_vision_colour_regions (
      rgb, width, height, width * 3, (guint) query->colour);
  for (i = 0; i < regions->len; i++)
    straightest = MAX (straightest,
        g_array_index (regions, ArticAnswererRegion, i).straightness);
  for (i = 0; i < regions->len; i++) {
    const ArticAnswererRegion *region
        = &g_array_index (regions, ArticAnswererRegion, i);
    ArticAnswererFrame *readings[2];
    guint k;

    /* Next to a region of the colour shaped like a sign, a region whose
     * outline wanders is scenery: what it "reads" is texture taken for
     * letters, or another sign that lies inside its bounding box. */
    if (region->straightness < SIGN_MIN_RELATIVE_STRAIGHTNESS * straightest)
      continue;
    /* Two readings of the sign: the whole frame's words on it, and the
     * sign cut out and enlarged alone; each reads some signs the other
     * misses. */
    readings[0] = words_inside (whole, region);
    readings[1] = artic_answerer_vision_read_region (
        vision, gray, width, height, width, region, colour->dark);
    for (k = 0; k < G_N_ELEMENTS (readings); k++) {
      consider_candidate (query, readings[k], region, match, &best_score);
      artic_answerer_frame_free (readings[k]);
    }
  }
  /* Where the sign is does not depend on reading it: asked for the region
   * of "the yellow sign" in frames too degraded to read, a model still
   * points at the yellow sign, not at another sign's legible text. That is
   * what lets the encoder's ROI restore it. The sign is the region most
   * like one (the first: compact, with straight sides), not the largest:
   * next to a dark screen the largest dark region is the background. */
  if (!match->found && query->kind == ARTIC_ANSWERER_KIND_BOXES
      && regions->len > 0) {
    const ArticAnswererRegion *sign
        = &g_array_index (regions, ArticAnswererRegion, 0);

    match->found = TRUE;
    match->text = g_strdup ("");
    match->confidence = 0;
    match->x0 = sign->x0;
    match->y0 = sign->y0;
    match->x1 = sign->x1;
    match->y1 = sign->y1;
  }
  g_array_unref (regions);
  return match->found;
}

/* ---- replies ------------------------------------------------------------ */

static gint
to_permille (gdouble value, guint size)
{
  return (gint) CLAMP (lround (value * 1000.0 / MAX (size, 1)), 0, 1000);
}

gchar *
artic_answerer_format_reply (const ArticAnswererQuery *query,
    const ArticAnswererMatch *match, guint width, guint height)
{
  switch (query->kind) {
    case ARTIC_ANSWERER_KIND_BOXES: {
      GString *out = g_string_new ("[");
      gchar *box;
      guint i;

      /* No future frame asked: one box, the newest frame's. */
      guint n = MAX (query->future_frames, 1);
      guint ahead = query->future_frames > 0 ? 1 : 0;

      for (i = 0; i < n; i++) {
        if (match->found && width > 0 && height > 0) {
          /* Future frame i + 1 comes lead + i + 1 images after the match
           * (the newest frame lead images after it); the further ahead, the
           * further off the motion may have taken the region. */
          gdouble steps = match->lead + i + ahead;
          gdouble margin = BOX_MARGIN * (match->y1 - match->y0);
          gdouble mx = margin + match->ex * steps;
          gdouble my = margin + match->ey * steps;
          gdouble dx = match->vx * steps, dy = match->vy * steps;

          box = g_strdup_printf ("[[%d,%d],[%d,%d]]",
              to_permille (match->x0 - mx + dx, width),
              to_permille (match->y0 - my + dy, height),
              to_permille (match->x1 + mx + dx, width),
              to_permille (match->y1 + my + dy, height));
        } else {
          box = g_strdup ("[[0,0],[0,0]]");
        }
        g_string_append_printf (out, "%s%s", i ? "," : "", box);
        g_free (box);
      }
      g_string_append_c (out, ']');
      return g_string_free (out, FALSE);
    }
    case ARTIC_ANSWERER_KIND_READABILITY: {
      gchar number[G_ASCII_DTOSTR_BUF_SIZE];
      gdouble value
          = match->found ? CLAMP (match->confidence / 100.0, 0, 1) : 0.0;
      g_ascii_formatd (number, sizeof (number), "%.2f", value);
      return g_strdup_printf ("{\"readability\": %s}", number);
    }
    case ARTIC_ANSWERER_KIND_ANSWER:
    default:
      if (match->found && match->text && *match->text)
        return g_strdup (match->text);
      return g_strdup (query->wants_code
                           ? "I cannot read any QR code in the images."
                           : "I cannot read any text in the images.");
  }
}

/* Decodes in colour, tries the signs of the question's colour (filling
 * @match when one reads), and returns the whole frame read as before for
 * the fallback, or NULL with @error set. */
static ArticAnswererFrame *
read_by_colour (ArticAnswererVision *vision, const ArticAnswererQuery *query,
    GBytes *bytes, ArticAnswererMatch *match, GError **error)
{
  guint width = 0, height = 0;
  guint8 *rgb
      = artic_answerer_vision_decode_rgb (g_bytes_get_data (bytes, NULL),
          g_bytes_get_size (bytes), &width, &height, error);
  guint8 *gray;
  ArticAnswererFrame *frame;

  if (rgb == NULL)
    return NULL;
  gray = artic_answerer_vision_rgb_to_gray (rgb, width, height);
  frame = artic_answerer_vision_read_gray (vision, gray, width, height, width);
  artic_answerer_match_colour (
      vision, query, rgb, gray, width, height, frame, match);
  g_free (gray);
  g_free (rgb);
  return frame;
}

/* The query's region in image @i of @request (match->found FALSE if none);
 * FALSE with @error set when the image cannot be decoded. */
static gboolean
match_image (ArticAnswererVision *vision, const ArticAnswererRequest *request,
    const ArticAnswererQuery *query, guint i, ArticAnswererMatch *match,
    guint *width, guint *height, GError **error)
{
  GBytes *bytes = g_ptr_array_index (request->images, i);
  GError *vision_error = NULL;
  ArticAnswererFrame *frame
      = query->colour >= 0 && !query->wants_code
            ? read_by_colour (vision, query, bytes, match, &vision_error)
            : artic_answerer_vision_read (vision,
                g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                &vision_error);

  if (frame == NULL) {
    g_set_error (error, ARTIC_ANSWERER_ERROR, ARTIC_ANSWERER_ERROR_IMAGE,
        "image %u: %s", i, vision_error->message);
    g_error_free (vision_error);
    return FALSE;
  }
  if (*width == 0 || match->found) {
    *width = frame->width;
    *height = frame->height;
  }
  if (!match->found)
    artic_answerer_match_frame (query, frame, match);
  if (match->found) {
    *width = frame->width;
    *height = frame->height;
  }
  artic_answerer_frame_free (frame);
  return TRUE;
}

/* A box request is about the next frames: the region moves (a sign carried
 * past the camera at tens of pixels a second), and a box of where it is
 * now misses it half a second later. Its motion comes from the same region
 * in the older images of the request: as ZeCoStream does, the last
 * MOTION_IMAGES sampled frames, since a line through three sightings is
 * steadier than through two (the region's edges move with the compression
 * noise) and says how far off it may be. */
#define MOTION_IMAGES 3
/* A sign's speed is not constant (a hand-held camera turns, a carried sign
 * sways) and a degraded region's centre is off by a few pixels: the
 * predicted displacement is taken to be off by this share of itself. */
#define MOTION_SLACK 0.25

void
artic_answerer_motion_fit (
    const ArticAnswererSighting *sightings, guint n, ArticAnswererMatch *match)
{
  gdouble mt = 0, mx = 0, my = 0, stt = 0, stx = 0, sty = 0;
  gdouble rss_x = 0, rss_y = 0;
  guint i;

  match->vx = match->vy = match->ex = match->ey = 0;
  if (sightings == NULL || n < 2)
    return;
  /* Time runs against the step: an older image has the larger step. */
  for (i = 0; i < n; i++) {
    mt += -sightings[i].step / n;
    mx += sightings[i].cx / n;
    my += sightings[i].cy / n;
  }
  for (i = 0; i < n; i++) {
    gdouble dt = -sightings[i].step - mt;

    stt += dt * dt;
    stx += dt * (sightings[i].cx - mx);
    sty += dt * (sightings[i].cy - my);
  }
  if (stt <= 0)
    return;
  match->vx = stx / stt;
  match->vy = sty / stt;
  for (i = 0; i < n; i++) {
    gdouble dt = -sightings[i].step - mt;
    gdouble rx = sightings[i].cx - (mx + match->vx * dt);
    gdouble ry = sightings[i].cy - (my + match->vy * dt);

    rss_x += rx * rx;
    rss_y += ry * ry;
  }
  match->ex = MOTION_SLACK * fabs (match->vx);
  match->ey = MOTION_SLACK * fabs (match->vy);
  if (n > 2) {
    match->ex += sqrt (rss_x / (n - 2) / stt);
    match->ey += sqrt (rss_y / (n - 2) / stt);
  }
}

/* Is a region centred at (@cx, @cy) @steps images before @match the same
 * region? A jump larger than the region itself per image is another one. */
static gboolean
plausible_sighting (
    const ArticAnswererMatch *match, gdouble steps, gdouble cx, gdouble cy)
{
  return fabs (cx - (match->x0 + match->x1) / 2.0)
             <= steps * (match->x1 - match->x0)
         && fabs (cy - (match->y0 + match->y1) / 2.0)
                <= steps * (match->y1 - match->y0);
}

/* The region of the question's colour in image @i nearest to where the
 * match's region is expected there (@ex, @ey), of about its size. Costs a
 * decode, no OCR: the sign is found by its colour whether it reads or not.
 * FALSE when none fits. */
static gboolean
sight_by_colour (const ArticAnswererRequest *request,
    const ArticAnswererQuery *query, guint i, guint width, guint height,
    const ArticAnswererMatch *match, gdouble steps, gdouble ex, gdouble ey,
    ArticAnswererSighting *out)
{
  GBytes *bytes = g_ptr_array_index (request->images, i);
  guint w = 0, h = 0, k;
  guint8 *rgb = artic_answerer_vision_decode_rgb (
      g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &w, &h, NULL);
  gdouble mw = match->x1 - match->x0, mh = match->y1 - match->y0;
  gdouble best = G_MAXDOUBLE;
  GArray *regions;

  if (rgb == NULL || w != width || h != height) {
    g_free (rgb);
    return FALSE;
  }
  regions = artic_answerer_vision_colour_regions (
      rgb, w, h, w * 3, (guint) query->colour);
  for (k = 0; k < regions->len; k++) {
    const ArticAnswererRegion *r
        = &g_array_index (regions, ArticAnswererRegion, k);
    gdouble rw = r->x1 - r->x0, rh = r->y1 - r->y0;
    gdouble cx = (r->x0 + r->x1) / 2.0, cy = (r->y0 + r->y1) / 2.0;
    gdouble d = hypot (cx - ex, cy - ey);

    if (rw * 2 < mw || rw > 2 * mw || rh * 2 < mh || rh > 2 * mh
        || !plausible_sighting (match, steps, cx, cy) || d >= best)
      continue;
    best = d;
    out->step = steps;
    out->cx = cx;
    out->cy = cy;
  }
  g_array_unref (regions);
  g_free (rgb);
  return best < G_MAXDOUBLE;
}

/* The same by reading the image (a question that names no colour). */
static gboolean
sight_by_reading (ArticAnswererVision *vision,
    const ArticAnswererRequest *request, const ArticAnswererQuery *query,
    guint i, const ArticAnswererMatch *match, gdouble steps,
    ArticAnswererSighting *out)
{
  ArticAnswererMatch older = { 0 };
  guint width = 0, height = 0;
  gboolean ok
      = match_image (vision, request, query, i, &older, &width, &height, NULL)
        && older.found
        && plausible_sighting (match, steps, (older.x0 + older.x1) / 2.0,
            (older.y0 + older.y1) / 2.0);

  if (ok) {
    out->step = steps;
    out->cx = (older.x0 + older.x1) / 2.0;
    out->cy = (older.y0 + older.y1) / 2.0;
  }
  artic_answerer_match_clear (&older);
  return ok;
}

static void
estimate_motion (ArticAnswererVision *vision,
    const ArticAnswererRequest *request, const ArticAnswererQuery *query,
    guint newest, guint width, guint height, ArticAnswererMatch *match)
{
  ArticAnswererSighting seen[MOTION_IMAGES];
  guint n = 1, i;

  match->lead = request->images->len - 1 - newest;
  seen[0].step = 0;
  seen[0].cx = (match->x0 + match->x1) / 2.0;
  seen[0].cy = (match->y0 + match->y1) / 2.0;
  for (i = newest; i-- > 0 && n < MOTION_IMAGES;) {
    gdouble steps = newest - i;
    /* Where the motion seen so far puts the region in this image. */
    gdouble ex = seen[0].cx - match->vx * steps;
    gdouble ey = seen[0].cy - match->vy * steps;
    gboolean seen_it = query->colour >= 0 && !query->wants_code
                           ? sight_by_colour (request, query, i, width, height,
                               match, steps, ex, ey, &seen[n])
                           : sight_by_reading (vision, request, query, i, match,
                               steps, &seen[n]);

    if (seen_it) {
      n++;
      artic_answerer_motion_fit (seen, n, match);
    }
  }
}

/* Box requests: the region in the newest image that has it, and its
 * motion from the older ones. */
static gchar *
respond_boxes (ArticAnswererVision *vision, const ArticAnswererRequest *request,
    const ArticAnswererQuery *query, GError **error)
{
  ArticAnswererMatch match = { 0 };
  guint width = 0, height = 0, i;
  gchar *reply;

  /* Newest first: the client sends frames oldest first, and the boxes are
   * about where the region goes from where the camera shows it now. */
  for (i = request->images->len; i-- > 0;) {
    if (!match_image (
            vision, request, query, i, &match, &width, &height, error)) {
      artic_answerer_match_clear (&match);
      return NULL;
    }
    if (match.found)
      break;
    artic_answerer_match_clear (&match);
  }
  if (match.found)
    estimate_motion (vision, request, query, i, width, height, &match);
  reply = artic_answerer_format_reply (query, &match, width, height);
  artic_answerer_match_clear (&match);
  return reply;
}

gchar *
artic_answerer_respond (ArticAnswererVision *vision,
    const ArticAnswererRequest *request, const ArticAnswererQuery *query,
    GError **error)
{
  guint n = request->images->len, i;
  ArticAnswererMatch *matches, none = { 0 };
  gchar *reply = NULL;
  gint chosen;

  if (query->kind == ARTIC_ANSWERER_KIND_BOXES)
    return respond_boxes (vision, request, query, error);
  /* Every image is read: one image's reading of small text is a coin toss
   * at the margin, the agreement of several is not (artic_answerer_vote). */
  matches = g_new0 (ArticAnswererMatch, n);
  for (i = n; i-- > 0;) {
    guint width = 0, height = 0;

    if (!match_image (
            vision, request, query, i, &matches[i], &width, &height, error))
      goto out;
    g_debug ("image %u of %u: %s%s%s (confidence %.0f%s)", i + 1, n,
        matches[i].found ? "\"" : "", matches[i].found ? matches[i].text : "-",
        matches[i].found ? "\"" : "", matches[i].confidence,
        matches[i].on_sign ? ", on the sign" : "");
  }
  chosen = artic_answerer_vote (matches, n);
  reply = artic_answerer_format_reply (
      query, chosen >= 0 ? &matches[chosen] : &none, 0, 0);
  g_debug ("chose image %d: %s", chosen + 1, reply);
out:
  for (i = 0; i < n; i++)
    artic_answerer_match_clear (&matches[i]);
  g_free (matches);
  return reply;
}

void
artic_answerer_usage_estimate (const ArticAnswererRequest *request,
    const gchar *content, ArticAnswererUsage *usage)
{
  usage->prompt_tokens
      = (guint) ((request->prompt_chars + 3) / 4 + 85 * request->images->len);
  usage->completion_tokens = MAX (1, (guint) ((strlen (content) + 3) / 4));
}

/* ---- JSON out ----------------------------------------------------------- */

static gchar *
to_json (JsonBuilder *builder)
{
  JsonNode *root = json_builder_get_root (builder);
  gchar *text = json_to_string (root, FALSE);

  json_node_unref (root);
  g_object_unref (builder);
  return text;
}

static void
add_usage (JsonBuilder *b, const ArticAnswererUsage *usage)
{
  json_builder_set_member_name (b, "usage");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "prompt_tokens");
  json_builder_add_int_value (b, usage->prompt_tokens);
  json_builder_set_member_name (b, "completion_tokens");
  json_builder_add_int_value (b, usage->completion_tokens);
  json_builder_set_member_name (b, "total_tokens");
  json_builder_add_int_value (
      b, (gint64) usage->prompt_tokens + usage->completion_tokens);
  json_builder_end_object (b);
}

static JsonBuilder *
begin_object (
    const gchar *id, const gchar *object, gint64 created, const gchar *model)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "object");
  json_builder_add_string_value (b, object);
  json_builder_set_member_name (b, "created");
  json_builder_add_int_value (b, created);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model);
  json_builder_set_member_name (b, "system_fingerprint");
  json_builder_add_null_value (b);
  return b;
}

gchar *
artic_answerer_completion_json (const gchar *id, gint64 created,
    const gchar *model, const gchar *content, const ArticAnswererUsage *usage)
{
  JsonBuilder *b = begin_object (id, "chat.completion", created, model);

  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "message");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "role");
  json_builder_add_string_value (b, "assistant");
  json_builder_set_member_name (b, "content");
  json_builder_add_string_value (b, content);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "logprobs");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "finish_reason");
  json_builder_add_string_value (b, "stop");
  json_builder_end_object (b);
  json_builder_end_array (b);
  add_usage (b, usage);
  json_builder_end_object (b);
  return to_json (b);
}

/* One chunk; @role and @content NULL for an empty delta, @finish NULL while
 * streaming. With include_usage every chunk carries "usage": null, as
 * OpenAI's do. */
static void
append_chunk (GString *out, const gchar *id, gint64 created, const gchar *model,
    const gchar *role, const gchar *content, const gchar *finish,
    gboolean include_usage)
{
  JsonBuilder *b = begin_object (id, "chat.completion.chunk", created, model);
  gchar *json;

  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "index");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "delta");
  json_builder_begin_object (b);
  if (role) {
    json_builder_set_member_name (b, "role");
    json_builder_add_string_value (b, role);
  }
  if (content) {
    json_builder_set_member_name (b, "content");
    json_builder_add_string_value (b, content);
  }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "logprobs");
  json_builder_add_null_value (b);
  json_builder_set_member_name (b, "finish_reason");
  if (finish)
    json_builder_add_string_value (b, finish);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  if (include_usage) {
    json_builder_set_member_name (b, "usage");
    json_builder_add_null_value (b);
  }
  json_builder_end_object (b);
  json = to_json (b);
  g_string_append_printf (out, "data: %s\n\n", json);
  g_free (json);
}

gchar *
artic_answerer_sse_body (const gchar *id, gint64 created, const gchar *model,
    const gchar *content, const ArticAnswererUsage *usage,
    gboolean include_usage)
{
  GString *out = g_string_new (NULL);
  const gchar *p = content;

  append_chunk (out, id, created, model, "assistant", "", NULL, include_usage);
  /* One delta per word, the space before a word travelling with it, as
   * token streams do. */
  while (*p) {
    const gchar *end = p;
    gchar *piece;

    while (*end == ' ')
      end++;
    while (*end && *end != ' ')
      end++;
    piece = g_strndup (p, end - p);
    append_chunk (out, id, created, model, NULL, piece, NULL, include_usage);
    g_free (piece);
    p = end;
  }
  append_chunk (out, id, created, model, NULL, NULL, "stop", include_usage);
  if (include_usage) {
    JsonBuilder *b = begin_object (id, "chat.completion.chunk", created, model);
    gchar *json;

    json_builder_set_member_name (b, "choices");
    json_builder_begin_array (b);
    json_builder_end_array (b);
    add_usage (b, usage);
    json_builder_end_object (b);
    json = to_json (b);
    g_string_append_printf (out, "data: %s\n\n", json);
    g_free (json);
  }
  g_string_append (out, "data: [DONE]\n\n");
  return g_string_free (out, FALSE);
}

gchar *
artic_answerer_error_json (const gchar *message, const gchar *type,
    const gchar *param, const gchar *code)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_set_member_name (b, "param");
  if (param)
    json_builder_add_string_value (b, param);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "code");
  if (code)
    json_builder_add_string_value (b, code);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return to_json (b);
}
