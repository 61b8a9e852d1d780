#define _POSIX_C_SOURCE 200809L

#include "support.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* ---- checks ---------------------------------------------------------------------------- */

static int checks_failed_in_case;
static int cases_run;
static int cases_failed;

bool contains(const char *text, const char *part) {
  return text != NULL && part != NULL && strstr(text, part) != NULL;
}

static bool looks_secret(const char *text) {
  static const char *const prefixes[] = {"sk_", "rk_", "rt_", "ac_"};
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
    if (contains(text, prefixes[i])) {
      return true;
    }
  }
  return false;
}

static const char *printable(const char *text) {
  if (text == NULL) {
    return "(NULL)";
  }
  return looks_secret(text) ? "(hidden: looks like a secret)" : text;
}

bool check_true(bool ok, const char *expression, const char *file, int line) {
  if (!ok) {
    checks_failed_in_case++;
    fprintf(stderr, "  %s:%d: check failed: %s\n", file, line, expression);
  }
  return ok;
}

bool check_string(const char *actual, const char *expected, const char *expression,
                  const char *file, int line) {
  bool ok = (actual == NULL && expected == NULL) ||
            (actual != NULL && expected != NULL && strcmp(actual, expected) == 0);
  if (!ok) {
    checks_failed_in_case++;
    fprintf(stderr, "  %s:%d: %s is \"%s\", expected \"%s\"\n", file, line, expression,
            printable(actual), printable(expected));
  }
  return ok;
}

const char *status_name(sco_status status) { return sco_status_name((int)status); }

bool check_status(sco_status actual, sco_status expected, const sco_error *error,
                  const char *expression, const char *file, int line) {
  if (actual == expected) {
    return true;
  }
  checks_failed_in_case++;
  const char *message = sco_error_message(error);
  fprintf(stderr, "  %s:%d: %s is %s, expected %s (%s)\n", file, line, expression,
          status_name(actual), status_name(expected), message ? message : "no error object");
  return false;
}

void run_case(const char *name, void (*test)(void)) {
  checks_failed_in_case = 0;
  test();
  cases_run++;
  if (checks_failed_in_case == 0) {
    printf("ok - %s\n", name);
  } else {
    cases_failed++;
    printf("not ok - %s (%d checks failed)\n", name, checks_failed_in_case);
  }
  fflush(stdout);
}

int finish_cases(const char *program) {
  printf("%s: %d cases, %d failed\n", program, cases_run, cases_failed);
  return cases_failed == 0 && cases_run > 0 ? 0 : 1;
}

/* ---- JSON ------------------------------------------------------------------------------ */

typedef struct json_parser {
  const char *text;
  size_t length;
  size_t position;
  int depth;
} json_parser;

static void *checked_malloc(size_t size) {
  void *memory = malloc(size == 0 ? 1 : size);
  if (memory == NULL) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  return memory;
}

static void *checked_realloc(void *memory, size_t size) {
  void *grown = realloc(memory, size == 0 ? 1 : size);
  if (grown == NULL) {
    fprintf(stderr, "out of memory\n");
    exit(2);
  }
  return grown;
}

static char *copy_text(const char *text) {
  if (text == NULL) {
    return NULL;
  }
  size_t length = strlen(text);
  char *copy = checked_malloc(length + 1);
  memcpy(copy, text, length + 1);
  return copy;
}

static void skip_space(json_parser *parser) {
  while (parser->position < parser->length) {
    char c = parser->text[parser->position];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      return;
    }
    parser->position++;
  }
}

static bool consume_literal(json_parser *parser, const char *literal) {
  size_t length = strlen(literal);
  if (parser->length - parser->position < length ||
      memcmp(parser->text + parser->position, literal, length) != 0) {
    return false;
  }
  parser->position += length;
  return true;
}

static json_value *new_value(json_type type) {
  json_value *value = checked_malloc(sizeof *value);
  memset(value, 0, sizeof *value);
  value->type = type;
  return value;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static bool read_hex4(json_parser *parser, unsigned *out) {
  if (parser->length - parser->position < 4) {
    return false;
  }
  unsigned value = 0;
  for (int i = 0; i < 4; i++) {
    int digit = hex_digit(parser->text[parser->position + (size_t)i]);
    if (digit < 0) {
      return false;
    }
    value = value * 16 + (unsigned)digit;
  }
  parser->position += 4;
  *out = value;
  return true;
}

static size_t encode_utf8(unsigned code_point, char *out) {
  if (code_point < 0x80) {
    out[0] = (char)code_point;
    return 1;
  }
  if (code_point < 0x800) {
    out[0] = (char)(0xC0 | (code_point >> 6));
    out[1] = (char)(0x80 | (code_point & 0x3F));
    return 2;
  }
  if (code_point < 0x10000) {
    out[0] = (char)(0xE0 | (code_point >> 12));
    out[1] = (char)(0x80 | ((code_point >> 6) & 0x3F));
    out[2] = (char)(0x80 | (code_point & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (code_point >> 18));
  out[1] = (char)(0x80 | ((code_point >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((code_point >> 6) & 0x3F));
  out[3] = (char)(0x80 | (code_point & 0x3F));
  return 4;
}

/* Reads a string literal at the current position (the opening quote included). */
static char *parse_string(json_parser *parser, size_t *length_out) {
  if (parser->position >= parser->length || parser->text[parser->position] != '"') {
    return NULL;
  }
  parser->position++;
  size_t capacity = 16;
  size_t length = 0;
  char *out = checked_malloc(capacity);
  while (parser->position < parser->length) {
    if (capacity - length < 8) {
      capacity *= 2;
      out = checked_realloc(out, capacity);
    }
    char c = parser->text[parser->position++];
    if (c == '"') {
      out[length] = '\0';
      *length_out = length;
      return out;
    }
    if ((unsigned char)c < 0x20) {
      break;
    }
    if (c != '\\') {
      out[length++] = c;
      continue;
    }
    if (parser->position >= parser->length) {
      break;
    }
    char escape = parser->text[parser->position++];
    switch (escape) {
      case '"': out[length++] = '"'; break;
      case '\\': out[length++] = '\\'; break;
      case '/': out[length++] = '/'; break;
      case 'b': out[length++] = '\b'; break;
      case 'f': out[length++] = '\f'; break;
      case 'n': out[length++] = '\n'; break;
      case 'r': out[length++] = '\r'; break;
      case 't': out[length++] = '\t'; break;
      case 'u': {
        unsigned code_point;
        if (!read_hex4(parser, &code_point)) {
          free(out);
          return NULL;
        }
        /* JSON writes a character above U+FFFF as a UTF-16 surrogate pair. */
        if (code_point >= 0xD800 && code_point <= 0xDBFF) {
          unsigned low;
          if (!consume_literal(parser, "\\u") || !read_hex4(parser, &low) || low < 0xDC00 ||
              low > 0xDFFF) {
            free(out);
            return NULL;
          }
          code_point = 0x10000 + ((code_point - 0xD800) << 10) + (low - 0xDC00);
        }
        length += encode_utf8(code_point, out + length);
        break;
      }
      default:
        free(out);
        return NULL;
    }
  }
  free(out);
  return NULL;
}

static json_value *parse_value(json_parser *parser);

static json_value *parse_container(json_parser *parser, bool is_object) {
  json_value *value = new_value(is_object ? JSON_OBJECT : JSON_ARRAY);
  char closing = is_object ? '}' : ']';
  parser->position++;
  skip_space(parser);
  if (parser->position < parser->length && parser->text[parser->position] == closing) {
    parser->position++;
    return value;
  }
  for (;;) {
    char *key = NULL;
    if (is_object) {
      skip_space(parser);
      size_t key_length;
      key = parse_string(parser, &key_length);
      skip_space(parser);
      if (key == NULL || parser->position >= parser->length ||
          parser->text[parser->position] != ':') {
        free(key);
        json_free(value);
        return NULL;
      }
      parser->position++;
    }
    json_value *item = parse_value(parser);
    if (item == NULL) {
      free(key);
      json_free(value);
      return NULL;
    }
    value->items = checked_realloc(value->items, (value->count + 1) * sizeof *value->items);
    value->keys = checked_realloc(value->keys, (value->count + 1) * sizeof *value->keys);
    value->items[value->count] = item;
    value->keys[value->count] = key;
    value->count++;

    skip_space(parser);
    if (parser->position >= parser->length) {
      json_free(value);
      return NULL;
    }
    char separator = parser->text[parser->position++];
    if (separator == closing) {
      return value;
    }
    if (separator != ',') {
      json_free(value);
      return NULL;
    }
  }
}

static json_value *parse_number(json_parser *parser) {
  size_t start = parser->position;
  while (parser->position < parser->length &&
         strchr("+-0123456789.eE", parser->text[parser->position]) != NULL) {
    parser->position++;
  }
  size_t length = parser->position - start;
  if (length == 0 || length > 63) {
    return NULL;
  }
  char buffer[64];
  memcpy(buffer, parser->text + start, length);
  buffer[length] = '\0';
  char *end;
  double number = strtod(buffer, &end);
  if (*end != '\0') {
    return NULL;
  }
  json_value *value = new_value(JSON_NUMBER);
  value->number = number;
  return value;
}

static json_value *parse_value(json_parser *parser) {
  skip_space(parser);
  if (parser->position >= parser->length || parser->depth > 64) {
    return NULL;
  }
  char c = parser->text[parser->position];
  json_value *value = NULL;
  switch (c) {
    case '{':
    case '[':
      parser->depth++;
      value = parse_container(parser, c == '{');
      parser->depth--;
      return value;
    case '"': {
      size_t length;
      char *text = parse_string(parser, &length);
      if (text == NULL) {
        return NULL;
      }
      value = new_value(JSON_STRING);
      value->string = text;
      value->string_len = length;
      return value;
    }
    case 't':
    case 'f':
      if (consume_literal(parser, "true")) {
        value = new_value(JSON_BOOL);
        value->boolean = true;
      } else if (consume_literal(parser, "false")) {
        value = new_value(JSON_BOOL);
      }
      return value;
    case 'n':
      return consume_literal(parser, "null") ? new_value(JSON_NULL) : NULL;
    default:
      return parse_number(parser);
  }
}

json_value *json_parse(const char *text, size_t length) {
  json_parser parser = {text, length, 0, 0};
  json_value *value = parse_value(&parser);
  skip_space(&parser);
  if (value != NULL && parser.position != parser.length) {
    json_free(value);
    return NULL;
  }
  return value;
}

void json_free(json_value *value) {
  if (value == NULL) {
    return;
  }
  for (size_t i = 0; i < value->count; i++) {
    json_free(value->items[i]);
    if (value->keys != NULL) {
      free(value->keys[i]);
    }
  }
  free(value->items);
  free(value->keys);
  free(value->string);
  free(value);
}

const json_value *json_get(const json_value *object, const char *key) {
  if (object == NULL || object->type != JSON_OBJECT) {
    return NULL;
  }
  for (size_t i = 0; i < object->count; i++) {
    if (strcmp(object->keys[i], key) == 0) {
      return object->items[i];
    }
  }
  return NULL;
}

const char *json_text(const json_value *value) {
  return value != NULL && value->type == JSON_STRING ? value->string : NULL;
}

const char *json_get_text(const json_value *object, const char *key) {
  return json_text(json_get(object, key));
}

size_t json_count(const json_value *value) {
  if (value == NULL || (value->type != JSON_ARRAY && value->type != JSON_OBJECT)) {
    return 0;
  }
  return value->count;
}

const json_value *json_at(const json_value *array, size_t index) {
  if (array == NULL || array->type != JSON_ARRAY || index >= array->count) {
    return NULL;
  }
  return array->items[index];
}

bool json_get_is_null(const json_value *object, const char *key) {
  const json_value *value = json_get(object, key);
  return value != NULL && value->type == JSON_NULL;
}

char *json_quote(const char *text) {
  size_t length = strlen(text);
  char *out = checked_malloc(length * 6 + 3);
  size_t used = 0;
  out[used++] = '"';
  for (size_t i = 0; i < length; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '"' || c == '\\') {
      out[used++] = '\\';
      out[used++] = (char)c;
    } else if (c < 0x20) {
      used += (size_t)sprintf(out + used, "\\u%04x", c);
    } else {
      out[used++] = (char)c;
    }
  }
  out[used++] = '"';
  out[used] = '\0';
  return out;
}

char *read_file(const char *path, size_t *length_out) {
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    return NULL;
  }
  size_t capacity = 4096;
  size_t length = 0;
  char *data = checked_malloc(capacity);
  size_t read_now;
  while ((read_now = fread(data + length, 1, capacity - length - 1, file)) > 0) {
    length += read_now;
    if (capacity - length - 1 == 0) {
      capacity *= 2;
      data = checked_realloc(data, capacity);
    }
  }
  fclose(file);
  data[length] = '\0';
  if (length_out != NULL) {
    *length_out = length;
  }
  return data;
}

json_value *load_vectors(const char *name) {
  const char *directory = getenv("SCO_VECTORS_DIR");
  if (directory == NULL) {
    fprintf(stderr, "SCO_VECTORS_DIR is not set: run the tests through tests/c/run.sh\n");
    exit(2);
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/%s.json", directory, name);
  size_t length;
  char *text = read_file(path, &length);
  if (text == NULL) {
    fprintf(stderr, "cannot read %s: %s\n", path, strerror(errno));
    exit(2);
  }
  json_value *document = json_parse(text, length);
  free(text);
  if (document == NULL || json_count(json_get(document, "cases")) == 0) {
    fprintf(stderr, "%s is not a vector file with cases\n", path);
    exit(2);
  }
  return document;
}

/* ---- HTTP ------------------------------------------------------------------------------ */

typedef struct loopback_url {
  char host[64];
  unsigned port;
  const char *target; /* path and query, pointing into the URL */
} loopback_url;

/* Splits http://HOST:PORT/target, accepting only loopback hosts. */
static bool parse_loopback_url(const char *url, loopback_url *out) {
  const char *prefix = "http://";
  if (strncmp(url, prefix, strlen(prefix)) != 0) {
    fprintf(stderr, "  only http:// URLs are supported by the test client\n");
    return false;
  }

  const char *host = url + strlen(prefix);
  const char *colon = strchr(host, ':');
  const char *slash = strchr(host, '/');
  if (colon == NULL || (slash != NULL && slash < colon) || (size_t)(colon - host) >= 63) {
    fprintf(stderr, "  the test client needs an explicit port\n");
    return false;
  }
  memcpy(out->host, host, (size_t)(colon - host));
  out->host[colon - host] = '\0';

  char *end;
  unsigned long port = strtoul(colon + 1, &end, 10);
  if (port == 0 || port > 65535 || (*end != '/' && *end != '\0')) {
    return false;
  }
  out->port = (unsigned)port;
  out->target = *end == '\0' ? "/" : end;

  if (strcmp(out->host, "localhost") == 0) {
    strcpy(out->host, "127.0.0.1");
  }
  struct in_addr address;
  if (inet_pton(AF_INET, out->host, &address) != 1 ||
      (ntohl(address.s_addr) >> 24) != 127) {
    fprintf(stderr, "  the test client only connects to loopback addresses\n");
    return false;
  }
  return true;
}

static bool send_all(int fd, const char *data, size_t length) {
  while (length > 0) {
    ssize_t sent = send(fd, data, length, MSG_NOSIGNAL);
    if (sent <= 0) {
      return false;
    }
    data += sent;
    length -= (size_t)sent;
  }
  return true;
}

static char *header_value_copy(const char *head, size_t head_length, const char *name) {
  size_t name_length = strlen(name);
  const char *line = memchr(head, '\n', head_length);
  while (line != NULL && (size_t)(line - head) < head_length) {
    line++;
    const char *end = memchr(line, '\n', head_length - (size_t)(line - head));
    if (end == NULL) {
      break;
    }
    if ((size_t)(end - line) > name_length && strncasecmp(line, name, name_length) == 0 &&
        line[name_length] == ':') {
      const char *value = line + name_length + 1;
      while (value < end && (*value == ' ' || *value == '\t')) value++;
      const char *value_end = end;
      while (value_end > value && (value_end[-1] == '\r' || value_end[-1] == ' ')) value_end--;
      size_t length = (size_t)(value_end - value);
      char *copy = checked_malloc(length + 1);
      memcpy(copy, value, length);
      copy[length] = '\0';
      return copy;
    }
    line = end;
  }
  return NULL;
}

/* Decodes a chunked body in place; returns the decoded length. */
static size_t decode_chunked(unsigned char *body, size_t length) {
  size_t read_at = 0;
  size_t write_at = 0;
  while (read_at < length) {
    unsigned long chunk = strtoul((const char *)body + read_at, NULL, 16);
    const char *line_end = strstr((const char *)body + read_at, "\r\n");
    if (line_end == NULL || chunk == 0) {
      break;
    }
    read_at = (size_t)((const unsigned char *)line_end - body) + 2;
    if (chunk > length - read_at) {
      chunk = length - read_at;
    }
    memmove(body + write_at, body + read_at, chunk);
    write_at += chunk;
    read_at += chunk + 2;
  }
  return write_at;
}

int http_send(const char *method, const char *url, const char *const *headers,
              const char *body, size_t body_len, http_reply *reply) {
  memset(reply, 0, sizeof *reply);
  loopback_url target;
  if (!parse_loopback_url(url, &target)) {
    return -1;
  }

  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return -1;
  }
  struct timeval timeout = {30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  struct sockaddr_in address;
  memset(&address, 0, sizeof address);
  address.sin_family = AF_INET;
  address.sin_port = htons((uint16_t)target.port);
  inet_pton(AF_INET, target.host, &address.sin_addr);
  if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
    fprintf(stderr, "  cannot connect to %s:%u: %s\n", target.host, target.port,
            strerror(errno));
    close(fd);
    return -1;
  }

  size_t head_capacity = 1024 + strlen(target.target);
  for (size_t i = 0; headers != NULL && headers[i] != NULL; i += 2) {
    head_capacity += strlen(headers[i]) + strlen(headers[i + 1]) + 4;
  }
  char *head = checked_malloc(head_capacity);
  size_t used = (size_t)snprintf(head, head_capacity, "%s %s HTTP/1.1\r\nHost: %s:%u\r\n",
                                 method, target.target, target.host, target.port);
  for (size_t i = 0; headers != NULL && headers[i] != NULL; i += 2) {
    used += (size_t)snprintf(head + used, head_capacity - used, "%s: %s\r\n", headers[i],
                             headers[i + 1]);
  }
  used += (size_t)snprintf(head + used, head_capacity - used,
                           "Content-Length: %zu\r\nConnection: close\r\n\r\n", body_len);
  bool sent = send_all(fd, head, used) && (body_len == 0 || send_all(fd, body, body_len));
  free(head);
  if (!sent) {
    close(fd);
    return -1;
  }

  size_t capacity = 8192;
  size_t length = 0;
  unsigned char *data = checked_malloc(capacity);
  for (;;) {
    if (capacity - length < 4096) {
      capacity *= 2;
      data = checked_realloc(data, capacity);
    }
    ssize_t received = recv(fd, data + length, capacity - length - 1, 0);
    if (received <= 0) {
      break;
    }
    length += (size_t)received;
  }
  close(fd);
  data[length] = '\0';

  const char *separator = strstr((const char *)data, "\r\n\r\n");
  if (separator == NULL || strncmp((const char *)data, "HTTP/1.", 7) != 0) {
    fprintf(stderr, "  the response has no complete head\n");
    free(data);
    return -1;
  }
  size_t head_length = (size_t)((const unsigned char *)separator - data) + 2;
  reply->status = atoi((const char *)data + 9);
  reply->content_type = header_value_copy((const char *)data, head_length, "Content-Type");
  reply->retry_after = header_value_copy((const char *)data, head_length, "Retry-After");
  reply->location = header_value_copy((const char *)data, head_length, "Location");
  char *encoding = header_value_copy((const char *)data, head_length, "Transfer-Encoding");
  char *content_length = header_value_copy((const char *)data, head_length, "Content-Length");

  size_t body_start = head_length + 2;
  size_t body_length = length - body_start;
  reply->body = checked_malloc(body_length + 1);
  memcpy(reply->body, data + body_start, body_length);
  reply->body[body_length] = '\0';
  if (encoding != NULL && strcasecmp(encoding, "chunked") == 0) {
    body_length = decode_chunked(reply->body, body_length);
  } else if (content_length != NULL) {
    size_t declared = (size_t)strtoull(content_length, NULL, 10);
    if (declared < body_length) {
      body_length = declared;
    }
  }
  reply->body[body_length] = '\0';
  reply->body_len = body_length;
  free(encoding);
  free(content_length);
  free(data);
  return 0;
}

void http_reply_free(http_reply *reply) {
  free(reply->content_type);
  free(reply->retry_after);
  free(reply->location);
  free(reply->body);
  memset(reply, 0, sizeof *reply);
}

/* ---- the fake Stripe server ------------------------------------------------------------ */

static json_value *fake_call(const fake_server *fake, const char *method, const char *path,
                             const char *json_body) {
  size_t url_length = strlen(fake->base_url) + strlen(path) + 1;
  char *url = checked_malloc(url_length);
  snprintf(url, url_length, "%s%s", fake->base_url, path);
  static const char *const json_headers[] = {"Content-Type", "application/json", NULL};
  http_reply reply;
  int sent = http_send(method, url, json_body ? json_headers : NULL, json_body,
                       json_body ? strlen(json_body) : 0, &reply);
  free(url);
  if (sent != 0) {
    return NULL;
  }
  json_value *document = json_parse((const char *)reply.body, reply.body_len);
  if (reply.status != 200 || document == NULL) {
    fprintf(stderr, "  %s %s answered HTTP %d: %.300s\n", method, path, reply.status,
            printable((const char *)reply.body));
    json_free(document);
    document = NULL;
  }
  http_reply_free(&reply);
  return document;
}

json_value *fake_post(const fake_server *fake, const char *path, const char *json_body) {
  return fake_call(fake, "POST", path, json_body ? json_body : "{}");
}

json_value *fake_get(const fake_server *fake, const char *path) {
  return fake_call(fake, "GET", path, NULL);
}

void fake_load(fake_server *fake) {
  memset(fake, 0, sizeof *fake);
  const char *base_url = getenv("SCO_FAKE_URL");
  if (base_url == NULL) {
    fprintf(stderr, "SCO_FAKE_URL is not set: run the tests through tests/c/run.sh\n");
    exit(2);
  }
  fake->base_url = copy_text(base_url);
  json_value *config = fake_get(fake, "/__fake/config");
  const json_value *other = json_get(config, "other_platform");
  fake->client_id = copy_text(json_get_text(config, "client_id"));
  fake->test_secret_key = copy_text(json_get_text(config, "test_secret_key"));
  fake->live_secret_key = copy_text(json_get_text(config, "live_secret_key"));
  fake->other_client_id = copy_text(json_get_text(other, "client_id"));
  fake->other_test_secret_key = copy_text(json_get_text(other, "test_secret_key"));
  json_free(config);
  if (fake->client_id == NULL || fake->test_secret_key == NULL ||
      fake->other_test_secret_key == NULL) {
    fprintf(stderr, "GET %s/__fake/config gave no platform credentials\n", base_url);
    exit(2);
  }
}

void fake_server_free(fake_server *fake) {
  free(fake->base_url);
  free(fake->client_id);
  free(fake->test_secret_key);
  free(fake->live_secret_key);
  free(fake->other_client_id);
  free(fake->other_test_secret_key);
  memset(fake, 0, sizeof *fake);
}

int fake_obtain_code(const fake_server *fake, const char *json_body, fake_code *out) {
  memset(out, 0, sizeof *out);
  json_value *reply = fake_post(fake, "/__fake/codes", json_body);
  if (reply == NULL) {
    return -1;
  }
  out->location = copy_text(json_get_text(reply, "location"));
  out->code = copy_text(json_get_text(reply, "code"));
  out->state = copy_text(json_get_text(reply, "state"));
  out->scope = copy_text(json_get_text(reply, "scope"));
  out->stripe_user_id = copy_text(json_get_text(reply, "stripe_user_id"));
  json_free(reply);
  return out->location != NULL ? 0 : -1;
}

void fake_code_free(fake_code *code) {
  free(code->location);
  free(code->code);
  free(code->state);
  free(code->scope);
  free(code->stripe_user_id);
  memset(code, 0, sizeof *code);
}

bool fake_queue_fault(const fake_server *fake, const char *path, const char *fault_json,
                      int times) {
  char *quoted_path = json_quote(path);
  size_t length = strlen(quoted_path) + strlen(fault_json) + 64;
  char *body = checked_malloc(length);
  snprintf(body, length, "{\"path\": %s, \"fault\": %s, \"times\": %d}", quoted_path,
           fault_json, times);
  json_value *reply = fake_post(fake, "/__fake/faults", body);
  bool queued = reply != NULL;
  json_free(reply);
  free(body);
  free(quoted_path);
  return queued;
}

bool fake_reset(const fake_server *fake) {
  json_value *reply = fake_post(fake, "/__fake/reset", "{}");
  bool reset = reply != NULL;
  json_free(reply);
  return reset;
}

json_value *fake_requests(const fake_server *fake, const char *path) {
  char target[512];
  snprintf(target, sizeof target, "/__fake/requests?path=%s", path);
  return fake_get(fake, target);
}

const char *recorded_header(const json_value *request, const char *name) {
  const json_value *headers = json_get(request, "headers");
  for (size_t i = 0; i < json_count(headers); i++) {
    const json_value *pair = json_at(headers, i);
    const char *header_name = json_text(json_at(pair, 0));
    if (header_name != NULL && strcasecmp(header_name, name) == 0) {
      return json_text(json_at(pair, 1));
    }
  }
  return NULL;
}

sco_config *fake_config(const fake_server *fake) {
  sco_config *config = NULL;
  sco_error *error = NULL;
  if (sco_config_new(&config, &error) != SCO_OK ||
      sco_config_set_connect_base(config, fake->base_url, &error) != SCO_OK ||
      sco_config_set_client_id(config, fake->client_id, &error) != SCO_OK ||
      sco_config_set_secret_key(config, fake->test_secret_key, &error) != SCO_OK) {
    fprintf(stderr, "cannot configure the fake's platform: %s\n", sco_error_message(error));
    exit(2);
  }
  return config;
}

int64_t now_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

char *base64_encode(const char *text) {
  static const char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const unsigned char *bytes = (const unsigned char *)text;
  size_t length = strlen(text);
  char *out = checked_malloc((length + 2) / 3 * 4 + 1);
  size_t used = 0;
  for (size_t i = 0; i < length; i += 3) {
    unsigned group = (unsigned)bytes[i] << 16;
    if (i + 1 < length) group |= (unsigned)bytes[i + 1] << 8;
    if (i + 2 < length) group |= bytes[i + 2];
    out[used++] = alphabet[(group >> 18) & 63];
    out[used++] = alphabet[(group >> 12) & 63];
    out[used++] = i + 1 < length ? alphabet[(group >> 6) & 63] : '=';
    out[used++] = i + 2 < length ? alphabet[group & 63] : '=';
  }
  out[used] = '\0';
  return out;
}
