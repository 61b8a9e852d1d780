/*
 * Helpers shared by the C tests: checks that count failures, a small JSON reader for the
 * shared vectors and the fake server's control API, an HTTP/1.1 client for loopback URLs,
 * and wrappers of the fake server's control API.
 *
 * The tests depend on libc, pthreads and libstripe_connect_oauth only.
 */
#ifndef SCO_TEST_SUPPORT_H
#define SCO_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stripe_connect_oauth.h"

/* ---- checks ---------------------------------------------------------------------------- */

/* Records one check; prints the expression and location when it fails. Returns `ok`. */
bool check_true(bool ok, const char *expression, const char *file, int line);

/* Compares two strings (either may be NULL). Values that look like secrets (sk_, rk_, rt_,
 * ac_) are never printed. */
bool check_string(const char *actual, const char *expected, const char *expression,
                  const char *file, int line);

/* Checks a status; on a mismatch prints both status names and the error's message. */
bool check_status(sco_status actual, sco_status expected, const sco_error *error,
                  const char *expression, const char *file, int line);

#define CHECK(condition) check_true((condition), #condition, __FILE__, __LINE__)
#define CHECK_STR(actual, expected) \
  check_string((actual), (expected), #actual, __FILE__, __LINE__)
#define CHECK_STATUS(actual, expected, error) \
  check_status((actual), (expected), (error), #actual, __FILE__, __LINE__)

/* Runs one test case and prints "ok - name" or "not ok - name". */
void run_case(const char *name, void (*test)(void));
#define RUN(test) run_case(#test, test)

/* Prints the summary of the program and returns its exit status. */
int finish_cases(const char *program);

/* Returns whether `text` contains `part`; NULL `text` contains nothing. */
bool contains(const char *text, const char *part);

/* ---- JSON ------------------------------------------------------------------------------ */

typedef enum json_type {
  JSON_NULL,
  JSON_BOOL,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT,
} json_type;

typedef struct json_value {
  json_type type;
  bool boolean;
  double number;
  char *string; /* NUL-terminated; `string_len` counts bytes without the terminator */
  size_t string_len;
  struct json_value **items; /* array items or object values */
  char **keys;               /* object keys, parallel to `items` */
  size_t count;
} json_value;

/* Parses a whole JSON document; NULL on a syntax error. Free with json_free. */
json_value *json_parse(const char *text, size_t length);
void json_free(json_value *value);

/* Returns the member `key` of an object; NULL when absent or `object` is not an object. */
const json_value *json_get(const json_value *object, const char *key);
/* Returns the text of a string value; NULL for any other value or NULL. */
const char *json_text(const json_value *value);
/* Returns the text of the string member `key`; NULL when absent, null or not a string. */
const char *json_get_text(const json_value *object, const char *key);
/* Returns the number of items of an array or members of an object; 0 otherwise. */
size_t json_count(const json_value *value);
/* Returns item `index` of an array; NULL when out of range. */
const json_value *json_at(const json_value *array, size_t index);
/* Returns whether the member `key` is present with the value null. */
bool json_get_is_null(const json_value *object, const char *key);

/* Returns `text` as a JSON string literal with quotes (malloc'd). */
char *json_quote(const char *text);

/* Reads a whole file (malloc'd, NUL-terminated); NULL on failure. */
char *read_file(const char *path, size_t *length_out);

/* Reads tests/vectors/NAME.json (the directory comes from SCO_VECTORS_DIR) and returns the
 * whole document; exits the program when it cannot. */
json_value *load_vectors(const char *name);

/* ---- HTTP ------------------------------------------------------------------------------ */

typedef struct http_reply {
  int status;
  char *content_type; /* NULL when absent */
  char *retry_after;  /* NULL when absent */
  char *location;     /* NULL when absent */
  unsigned char *body;
  size_t body_len;
} http_reply;

/* Sends one request over a new connection to a loopback `url` (http://127.x.x.x:PORT/...
 * or http://localhost:PORT/...) and reads the whole response. `headers` lists name, value
 * pairs and ends with NULL. Returns 0 on success, -1 on any failure (printed). */
int http_send(const char *method, const char *url, const char *const *headers,
              const char *body, size_t body_len, http_reply *reply);
void http_reply_free(http_reply *reply);

/* ---- the fake Stripe server ------------------------------------------------------------ */

typedef struct fake_server {
  char *base_url;
  char *client_id;
  char *test_secret_key;
  char *live_secret_key;
  char *other_client_id;
  char *other_test_secret_key;
} fake_server;

typedef struct fake_code {
  char *location;       /* the redirect URL that carries the code or the denial */
  char *code;           /* NULL when denied */
  char *state;          /* NULL when the request had none */
  char *scope;          /* NULL unless a Standard approval */
  char *stripe_user_id; /* NULL when denied */
} fake_code;

/* Reads the fake's base URL from SCO_FAKE_URL and its credentials from GET /__fake/config;
 * exits the program when it cannot. */
void fake_load(fake_server *fake);
void fake_server_free(fake_server *fake);

/* POSTs a JSON body to a control endpoint; returns the parsed reply or NULL. */
json_value *fake_post(const fake_server *fake, const char *path, const char *json_body);
/* GETs a control endpoint; returns the parsed reply or NULL. */
json_value *fake_get(const fake_server *fake, const char *path);

/* Obtains a decision without a browser (POST /__fake/codes). Returns 0 on success. */
int fake_obtain_code(const fake_server *fake, const char *json_body, fake_code *out);
void fake_code_free(fake_code *code);

/* Queues a fault (a JSON object) for the next `times` requests to `path`. */
bool fake_queue_fault(const fake_server *fake, const char *path, const char *fault_json,
                      int times);
/* Clears recorded requests, faults, codes and the clock. */
bool fake_reset(const fake_server *fake);
/* Returns the `requests` array recorded for `path`, inside a document to json_free. */
json_value *fake_requests(const fake_server *fake, const char *path);

/* Returns the value of header `name` (case-insensitive) of a recorded request. */
const char *recorded_header(const json_value *request, const char *name);

/* Creates a config for the fake's platform (base URL, client id, test secret key); exits on
 * failure. */
sco_config *fake_config(const fake_server *fake);

/* Returns standard base64 of `text` with padding (malloc'd). */
char *base64_encode(const char *text);

/* Returns a monotonic time in milliseconds. */
int64_t now_ms(void);

/* Returns the name of a status, for messages. */
const char *status_name(sco_status status);

#endif /* SCO_TEST_SUPPORT_H */
