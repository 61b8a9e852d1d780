/*
 * The shared vectors in tests/vectors/ run through the C ABI, so the C binding cannot drift
 * from the Rust core and the other bindings. No network: authorize URLs, callbacks, request
 * encoding and response decoding only.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* The failure of one vector step: the status and the error object, if any. */
typedef struct outcome {
  sco_status status;
  sco_error *error;
} outcome;

static bool failed(const outcome *result) { return result->status != SCO_OK; }

static void record(outcome *result, sco_status status) {
  if (result->status == SCO_OK) {
    result->status = status;
  }
}

/* Returns `expected` with each excluded secret replaced by "***". The excluded values of
 * these vectors are the code the request sent, which every string of the C ABI hides whole,
 * whatever its format. */
static char *masked_expectation(const char *expected, const json_value *excludes) {
  char *result = malloc(strlen(expected) + 1);
  strcpy(result, expected);
  for (size_t i = 0; i < json_count(excludes); i++) {
    const char *secret = json_text(json_at(excludes, i));
    char *found;
    while (secret != NULL && strlen(secret) > 3 && (found = strstr(result, secret)) != NULL) {
      size_t tail = strlen(found + strlen(secret));
      memcpy(found, "***", 3);
      memmove(found + 3, found + strlen(secret), tail + 1);
    }
  }
  return result;
}

/* Checks the error expectations that every vector file shares: the family name and the
 * values its message must not show. */
static void check_error(const char *name, const json_value *expect, const outcome *result) {
  const char *expected_kind = json_get_text(expect, "error");
  if (!CHECK(expected_kind != NULL)) {
    fprintf(stderr, "  %s: expected success, got %s: %s\n", name, status_name(result->status),
            sco_error_message(result->error));
    return;
  }
  if (!CHECK_STR(sco_status_name((int)result->status), expected_kind)) {
    fprintf(stderr, "  in vector %s\n", name);
  }
  CHECK(sco_error_status(result->error) == result->status);
  const char *message = sco_error_message(result->error);
  CHECK(message != NULL);
  CHECK(message == NULL || message[0] != '\0');
  const json_value *excludes = json_get(expect, "message_excludes");
  for (size_t i = 0; i < json_count(excludes); i++) {
    if (!CHECK(!contains(message, json_text(json_at(excludes, i))))) {
      fprintf(stderr, "  %s: the message shows a secret value\n", name);
    }
  }
}

static sco_config *config_from(const json_value *settings, outcome *result) {
  sco_config *config = NULL;
  record(result, sco_config_new(&config, &result->error));
  const char *base = json_get_text(settings, "connect_base");
  if (!failed(result) && base != NULL) {
    record(result, sco_config_set_connect_base(config, base, &result->error));
  }
  const char *client_id = json_get_text(settings, "client_id");
  if (!failed(result) && client_id != NULL) {
    record(result, sco_config_set_client_id(config, client_id, &result->error));
  }
  const char *secret_key = json_get_text(settings, "secret_key");
  if (!failed(result) && secret_key != NULL) {
    record(result, sco_config_set_secret_key(config, secret_key, &result->error));
  }
  const char *scheme = json_get_text(settings, "credential_scheme");
  if (!failed(result) && scheme != NULL && strcmp(scheme, "bearer") == 0) {
    record(result,
           sco_config_set_credential_scheme(config, SCO_CREDENTIAL_SCHEME_BEARER, &result->error));
  }
  return config;
}

static sco_authorize_params *params_from(const json_value *params, outcome *result) {
  const char *type = json_get_text(params, "account_type");
  sco_account_type account_type = type != NULL && strcmp(type, "express") == 0
                                      ? SCO_ACCOUNT_TYPE_EXPRESS
                                      : SCO_ACCOUNT_TYPE_STANDARD;
  sco_authorize_params *built = NULL;
  record(result, sco_authorize_params_new(account_type, &built, &result->error));

  const char *redirect_uri = json_get_text(params, "redirect_uri");
  if (!failed(result) && redirect_uri != NULL) {
    record(result, sco_authorize_params_set_redirect_uri(built, redirect_uri, &result->error));
  }
  const char *scope = json_get_text(params, "scope");
  if (!failed(result) && scope != NULL) {
    record(result, sco_authorize_params_set_scope(built, scope, &result->error));
  }
  const char *state = json_get_text(params, "state");
  if (!failed(result) && state != NULL) {
    record(result, sco_authorize_params_set_state(built, state, &result->error));
  }
  const char *landing = json_get_text(params, "stripe_landing");
  if (!failed(result) && landing != NULL) {
    sco_stripe_landing value =
        strcmp(landing, "register") == 0 ? SCO_STRIPE_LANDING_REGISTER : SCO_STRIPE_LANDING_LOGIN;
    record(result, sco_authorize_params_set_stripe_landing(built, value, &result->error));
  }
  const json_value *always_prompt = json_get(params, "always_prompt");
  if (!failed(result) && always_prompt != NULL && always_prompt->type == JSON_BOOL) {
    record(result, sco_authorize_params_set_always_prompt(built, always_prompt->boolean,
                                                          &result->error));
  }
  const json_value *capabilities = json_get(params, "suggested_capabilities");
  for (size_t i = 0; !failed(result) && i < json_count(capabilities); i++) {
    record(result, sco_authorize_params_add_suggested_capability(
                       built, json_text(json_at(capabilities, i)), &result->error));
  }
  const json_value *stripe_user = json_get(params, "stripe_user");
  for (size_t i = 0; !failed(result) && i < json_count(stripe_user); i++) {
    record(result, sco_authorize_params_set_stripe_user(
                       built, stripe_user->keys[i], json_text(stripe_user->items[i]),
                       &result->error));
  }
  const json_value *extra = json_get(params, "extra");
  for (size_t i = 0; !failed(result) && i < json_count(extra); i++) {
    const json_value *pair = json_at(extra, i);
    record(result, sco_authorize_params_add_extra(built, json_text(json_at(pair, 0)),
                                                  json_text(json_at(pair, 1)), &result->error));
  }
  return built;
}

static void authorize_vectors(void) {
  json_value *document = load_vectors("authorize");
  const json_value *cases = json_get(document, "cases");
  for (size_t i = 0; i < json_count(cases); i++) {
    const json_value *vector = json_at(cases, i);
    const char *name = json_get_text(vector, "name");
    const json_value *expect = json_get(vector, "expect");
    outcome result = {SCO_OK, NULL};

    sco_config *config = config_from(vector, &result);
    sco_authorize_params *params = NULL;
    if (!failed(&result)) {
      params = params_from(json_get(vector, "params"), &result);
    }
    char *url = (char *)"untouched";
    if (!failed(&result)) {
      record(&result, sco_config_authorize_url(config, params, &url, &result.error));
    }

    const char *expected_url = json_get_text(expect, "url");
    if (expected_url != NULL && !failed(&result)) {
      if (!CHECK_STR(url, expected_url)) fprintf(stderr, "  in vector %s\n", name);
    } else {
      check_error(name, expect, &result);
      /* Outputs are written only on success. */
      CHECK(strcmp(url, "untouched") == 0);
    }
    if (!failed(&result)) sco_string_free(url);
    sco_error_free(result.error);
    sco_authorize_params_free(params);
    sco_config_free(config);
  }
  json_free(document);
}

static void callback_vectors(void) {
  json_value *document = load_vectors("callback");
  const json_value *cases = json_get(document, "cases");
  for (size_t i = 0; i < json_count(cases); i++) {
    const json_value *vector = json_at(cases, i);
    const char *name = json_get_text(vector, "name");
    const json_value *expect = json_get(vector, "expect");
    outcome result = {SCO_OK, NULL};
    sco_callback *callback = NULL;

    result.status = sco_parse_callback(json_get_text(vector, "callback"),
                                       json_get_text(vector, "expected_state"), &callback,
                                       &result.error);

    const char *expected_code = json_get_text(expect, "code");
    if (expected_code != NULL && !failed(&result)) {
      if (!CHECK_STR(sco_callback_code(callback), expected_code)) {
        fprintf(stderr, "  in vector %s\n", name);
      }
      if (!CHECK_STR(sco_callback_scope(callback), json_get_text(expect, "scope"))) {
        fprintf(stderr, "  in vector %s\n", name);
      }
    } else {
      check_error(name, expect, &result);
      CHECK(callback == NULL);
      if (json_get(expect, "description") != NULL) {
        const char *expected = json_get_text(expect, "description");
        char *masked = expected ? masked_expectation(expected, json_get(expect, "message_excludes"))
                                : NULL;
        if (!CHECK_STR(sco_error_description(result.error), masked)) {
          fprintf(stderr, "  in vector %s\n", name);
        }
        free(masked);
      }
      if (json_get(expect, "oauth_error") != NULL) {
        CHECK_STR(sco_error_oauth_error(result.error), json_get_text(expect, "oauth_error"));
      }
      if (json_get(expect, "parameter") != NULL) {
        CHECK_STR(sco_error_parameter(result.error), json_get_text(expect, "parameter"));
      }
    }
    sco_callback_free(callback);
    sco_error_free(result.error);
  }
  json_free(document);
}

/* A request built from a vector: a token request or a deauthorize request. */
typedef struct built_request {
  sco_token_request *token;
  sco_deauthorize_request *deauthorize;
} built_request;

static const sco_http_request *http_of(const built_request *built) {
  return built->token ? sco_token_request_http(built->token)
                      : sco_deauthorize_request_http(built->deauthorize);
}

static void built_request_free(built_request *built) {
  sco_token_request_free(built->token);
  sco_deauthorize_request_free(built->deauthorize);
}

static built_request request_from(const sco_config *config, const json_value *spec,
                                  outcome *result) {
  built_request built = {NULL, NULL};
  const char *kind = json_get_text(spec, "kind");
  const char *secret_key = json_get_text(spec, "secret_key");

  if (strcmp(kind, "exchange") == 0) {
    sco_exchange_options *options = NULL;
    record(result, sco_exchange_options_new(&options, &result->error));
    const json_value *capabilities = json_get(spec, "assert_capabilities");
    for (size_t i = 0; !failed(result) && i < json_count(capabilities); i++) {
      record(result, sco_exchange_options_add_assert_capability(
                         options, json_text(json_at(capabilities, i)), &result->error));
    }
    if (!failed(result) && secret_key != NULL) {
      record(result, sco_exchange_options_set_secret_key(options, secret_key, &result->error));
    }
    const char *code = json_get_text(spec, "code");
    if (!failed(result)) {
      record(result, sco_config_exchange_code_request(config, code ? code : "ac_PLACEHOLDER",
                                                      options, &built.token, &result->error));
    }
    sco_exchange_options_free(options);
  } else if (strcmp(kind, "refresh") == 0) {
    sco_refresh_options *options = NULL;
    record(result, sco_refresh_options_new(&options, &result->error));
    const char *scope = json_get_text(spec, "scope");
    if (!failed(result) && scope != NULL) {
      record(result, sco_refresh_options_set_scope(options, scope, &result->error));
    }
    if (!failed(result) && secret_key != NULL) {
      record(result, sco_refresh_options_set_secret_key(options, secret_key, &result->error));
    }
    const char *token = json_get_text(spec, "refresh_token");
    if (!failed(result)) {
      record(result, sco_config_refresh_request(config, token ? token : "rt_PLACEHOLDER", options,
                                                &built.token, &result->error));
    }
    sco_refresh_options_free(options);
  } else {
    sco_deauthorize_options *options = NULL;
    record(result, sco_deauthorize_options_new(&options, &result->error));
    if (!failed(result) && secret_key != NULL) {
      record(result,
             sco_deauthorize_options_set_secret_key(options, secret_key, &result->error));
    }
    if (!failed(result)) {
      record(result, sco_config_deauthorize_request(config, json_get_text(spec, "stripe_user_id"),
                                                    options, &built.deauthorize, &result->error));
    }
    sco_deauthorize_options_free(options);
  }
  return built;
}

static const char *header_of(const sco_http_request *http, const char *name, int *count) {
  const char *found = NULL;
  *count = 0;
  for (size_t i = 0; i < sco_http_request_header_count(http); i++) {
    if (strcmp(sco_http_request_header_name(http, i), name) == 0) {
      found = sco_http_request_header_value(http, i);
      (*count)++;
    }
  }
  return found;
}

static void check_request(const char *name, const json_value *expect,
                          const sco_http_request *http) {
  bool ok = CHECK_STR(sco_http_request_method(http), json_get_text(expect, "method"));
  ok &= CHECK_STR(sco_http_request_url(http), json_get_text(expect, "url"));
  int authorization_count;
  const char *authorization = header_of(http, "Authorization", &authorization_count);
  ok &= CHECK_STR(authorization, json_get_text(expect, "authorization"));
  ok &= CHECK(authorization_count == 1);
  int content_type_count;
  ok &= CHECK_STR(header_of(http, "Content-Type", &content_type_count),
                  json_get_text(expect, "content_type"));
  const char *body = sco_http_request_body(http);
  ok &= CHECK_STR(body, json_get_text(expect, "body"));
  ok &= CHECK(sco_http_request_body_len(http) == strlen(body));

  const json_value *absent = json_get(expect, "absent");
  for (size_t i = 0; i < json_count(absent); i++) {
    const char *value = json_text(json_at(absent, i));
    bool seen = contains(body, value) || contains(sco_http_request_url(http), value);
    for (size_t h = 0; h < sco_http_request_header_count(http); h++) {
      seen = seen || contains(sco_http_request_header_value(http, h), value);
    }
    ok &= CHECK(!seen);
  }
  if (!ok) fprintf(stderr, "  in vector %s\n", name);
}

static void token_request_vectors(void) {
  json_value *document = load_vectors("token_request");
  const json_value *cases = json_get(document, "cases");
  for (size_t i = 0; i < json_count(cases); i++) {
    const json_value *vector = json_at(cases, i);
    const char *name = json_get_text(vector, "name");
    const json_value *expect = json_get(vector, "expect");
    outcome result = {SCO_OK, NULL};
    built_request built = {NULL, NULL};

    sco_config *config = config_from(json_get(vector, "config"), &result);
    if (!failed(&result)) {
      built = request_from(config, json_get(vector, "request"), &result);
    }

    if (json_get_text(expect, "error") == NULL && !failed(&result)) {
      check_request(name, expect, http_of(&built));
    } else {
      check_error(name, expect, &result);
      CHECK(built.token == NULL);
      CHECK(built.deauthorize == NULL);
    }
    built_request_free(&built);
    sco_error_free(result.error);
    sco_config_free(config);
  }
  json_free(document);
}

static void check_token(const char *name, const json_value *expected, const sco_token *token) {
  bool ok = CHECK_STR(sco_token_stripe_user_id(token), json_get_text(expected, "stripe_user_id"));
  ok &= CHECK(sco_token_livemode(token) == json_get(expected, "livemode")->boolean);
  ok &= CHECK_STR(sco_token_scope(token), json_get_text(expected, "scope"));
  ok &= CHECK_STR(sco_token_token_type(token), json_get_text(expected, "token_type"));
  ok &= CHECK_STR(sco_token_access_token(token), json_get_text(expected, "access_token"));
  ok &= CHECK_STR(sco_token_refresh_token(token), json_get_text(expected, "refresh_token"));
  ok &= CHECK_STR(sco_token_stripe_publishable_key(token),
                  json_get_text(expected, "stripe_publishable_key"));
  const json_value *capabilities = json_get(expected, "capabilities");
  ok &= CHECK(sco_token_capability_count(token) == json_count(capabilities));
  for (size_t i = 0; i < json_count(capabilities); i++) {
    ok &= CHECK_STR(sco_token_capability(token, i), json_text(json_at(capabilities, i)));
  }
  ok &= CHECK(sco_token_capability(token, json_count(capabilities)) == NULL);
  if (!ok) fprintf(stderr, "  in vector %s\n", name);
}

static void check_response_error(const char *name, const json_value *expect,
                                 const outcome *result) {
  check_error(name, expect, result);
  const sco_error *error = result->error;
  bool ok = true;
  const json_value *status = json_get(expect, "http_status");
  if (status != NULL) {
    ok &= CHECK(sco_error_http_status(error) == (uint16_t)status->number);
  }
  const json_value *retry_after = json_get(expect, "retry_after");
  if (retry_after != NULL) {
    uint64_t milliseconds = 12345;
    bool present = sco_error_retry_after_ms(error, &milliseconds);
    if (retry_after->type == JSON_NULL) {
      ok &= CHECK(!present);
      ok &= CHECK(milliseconds == 12345);
    } else {
      ok &= CHECK(present);
      ok &= CHECK(milliseconds / 1000 == (uint64_t)retry_after->number);
    }
  }
  const json_value *excludes = json_get(expect, "message_excludes");
  if (json_get(expect, "oauth_error") != NULL) {
    ok &= CHECK_STR(sco_error_oauth_error(error), json_get_text(expect, "oauth_error"));
  }
  if (json_get(expect, "description") != NULL) {
    const char *expected = json_get_text(expect, "description");
    char *masked = expected ? masked_expectation(expected, excludes) : NULL;
    ok &= CHECK_STR(sco_error_description(error), masked);
    free(masked);
  }
  if (json_get(expect, "message") != NULL) {
    ok &= CHECK_STR(sco_error_description(error), json_get_text(expect, "message"));
  }
  if (json_get(expect, "param") != NULL) {
    ok &= CHECK_STR(sco_error_parameter(error), json_get_text(expect, "param"));
  }
  for (size_t i = 0; i < json_count(excludes); i++) {
    const char *secret = json_text(json_at(excludes, i));
    ok &= CHECK(!contains(sco_error_description(error), secret));
    ok &= CHECK(!contains(sco_error_body_excerpt(error), secret));
  }
  if (result->status == SCO_ERR_UNEXPECTED_RESPONSE) {
    const char *excerpt = sco_error_body_excerpt(error);
    ok &= CHECK(excerpt != NULL && strlen(excerpt) <= 512);
    if (json_get(expect, "content_type") != NULL) {
      ok &= CHECK_STR(sco_error_content_type(error), json_get_text(expect, "content_type"));
    }
    const char *fragment = json_get_text(expect, "excerpt_contains");
    if (fragment != NULL) {
      ok &= CHECK(contains(excerpt, fragment));
    }
    const json_value *max_len = json_get(expect, "excerpt_max_len");
    if (max_len != NULL) {
      ok &= CHECK(excerpt != NULL && strlen(excerpt) <= (size_t)max_len->number);
    }
    const json_value *excerpt_excludes = json_get(expect, "excerpt_excludes");
    for (size_t i = 0; i < json_count(excerpt_excludes); i++) {
      ok &= CHECK(!contains(excerpt, json_text(json_at(excerpt_excludes, i))));
    }
  }
  if (result->status == SCO_ERR_MODE_MISMATCH) {
    /* The token stays inspectable inside the error. */
    ok &= CHECK(sco_error_token(error) != NULL);
    ok &= CHECK(contains(sco_token_stripe_user_id(sco_error_token(error)), "acct_"));
  } else {
    ok &= CHECK(sco_error_token(error) == NULL);
  }
  /* The server may have processed any request that it responded to. */
  ok &= CHECK(sco_error_may_have_been_processed(error));
  if (!ok) fprintf(stderr, "  in vector %s\n", name);
}

static unsigned char *response_body(const json_value *spec, size_t *length_out) {
  const char *body = json_get_text(spec, "body");
  size_t body_length = json_get(spec, "body")->string_len;
  const json_value *repeat_value = json_get(spec, "body_repeat");
  size_t repeat = repeat_value ? (size_t)repeat_value->number : 1;
  unsigned char *bytes = malloc(body_length * repeat + 1);
  for (size_t i = 0; i < repeat; i++) {
    memcpy(bytes + i * body_length, body, body_length);
  }
  *length_out = body_length * repeat;
  return bytes;
}

static void token_response_vectors(void) {
  json_value *document = load_vectors("token_response");
  const json_value *cases = json_get(document, "cases");
  for (size_t i = 0; i < json_count(cases); i++) {
    const json_value *vector = json_at(cases, i);
    const char *name = json_get_text(vector, "name");
    const json_value *expect = json_get(vector, "expect");
    const json_value *request_spec = json_get(vector, "request");
    outcome setup = {SCO_OK, NULL};

    sco_config *config = NULL;
    record(&setup, sco_config_new(&config, &setup.error));
    record(&setup, sco_config_set_client_id(config, "ca_PLACEHOLDER", &setup.error));
    record(&setup, sco_config_set_secret_key(config, json_get_text(request_spec, "secret_key"),
                                             &setup.error));
    built_request built = request_from(config, request_spec, &setup);
    if (!CHECK_STATUS(setup.status, SCO_OK, setup.error)) {
      fprintf(stderr, "  in vector %s\n", name);
    }

    const json_value *spec = json_get(vector, "response");
    size_t body_length;
    unsigned char *body = response_body(spec, &body_length);
    sco_http_response response = {
        .status = (uint16_t)json_get(spec, "status")->number,
        .content_type = json_get_text(spec, "content_type"),
        .retry_after = json_get_text(spec, "retry_after"),
        .body = body,
        .body_len = body_length,
    };

    outcome result = {SCO_OK, NULL};
    if (built.token != NULL) {
      sco_token *token = NULL;
      result.status = sco_token_request_decode_response(built.token, &response, &token,
                                                        &result.error);
      const json_value *expected_token = json_get(expect, "token");
      if (expected_token != NULL && !failed(&result)) {
        check_token(name, expected_token, token);
      } else {
        check_response_error(name, expect, &result);
        CHECK(token == NULL);
      }
      sco_token_free(token);
    } else if (built.deauthorize != NULL) {
      char *account = NULL;
      result.status = sco_deauthorize_request_decode_response(built.deauthorize, &response,
                                                              &account, &result.error);
      const char *expected_account = json_get_text(expect, "account");
      if (expected_account != NULL && !failed(&result)) {
        if (!CHECK_STR(account, expected_account)) fprintf(stderr, "  in vector %s\n", name);
      } else {
        check_response_error(name, expect, &result);
        CHECK(account == NULL);
      }
      sco_string_free(account);
    }

    free(body);
    sco_error_free(result.error);
    sco_error_free(setup.error);
    built_request_free(&built);
    sco_config_free(config);
  }
  json_free(document);
}

int main(void) {
  RUN(authorize_vectors);
  RUN(callback_vectors);
  RUN(token_request_vectors);
  RUN(token_response_vectors);
  return finish_cases("test_vectors");
}
