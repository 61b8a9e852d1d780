/*
 * NULL pointers, invalid UTF-8 and out-of-range values in every argument: each call fails
 * with SCO_ERR_INVALID_ARGUMENT, names the argument, leaves its out-parameters untouched, and
 * sends nothing to the fake server. Every `_free` and accessor accepts NULL.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

/* Not UTF-8: a lone continuation byte and an invalid lead byte. */
#define NOT_UTF8 "\x80\xff"

static fake_server fake;

static void expect_invalid(sco_status status, sco_error *error, const char *parameter,
                           const char *call, int line) {
  bool ok = check_status(status, SCO_ERR_INVALID_ARGUMENT, error, call, __FILE__, line);
  ok &= check_string(sco_error_parameter(error), parameter, call, __FILE__, line);
  char quoted[128];
  snprintf(quoted, sizeof quoted, "`%s`", parameter);
  ok &= check_true(contains(sco_error_message(error), quoted), "the message names the argument",
                   __FILE__, line);
  ok &= check_true(!sco_error_may_have_been_processed(error), "nothing was processed", __FILE__,
                   line);
  (void)ok;
  sco_error_free(error);
}

/* Runs a call whose last argument is `&error` and checks that it names `parameter`. */
#define EXPECT_INVALID(parameter, ...)                                 \
  do {                                                                 \
    sco_error *error = NULL;                                           \
    sco_status status = __VA_ARGS__;                                   \
    expect_invalid(status, error, (parameter), #__VA_ARGS__, __LINE__); \
  } while (0)

static sco_config *config;
static sco_client *client;
static sco_authorize_params *params;
static sco_exchange_options *exchange_options;
static sco_refresh_options *refresh_options;
static sco_deauthorize_options *deauthorize_options;
static sco_token_request *token_request;
static sco_deauthorize_request *deauthorize_request;

static void config_arguments(void) {
  EXPECT_INVALID("config_out", sco_config_new(NULL, &error));
  EXPECT_INVALID("config", sco_config_set_secret_key(NULL, fake.test_secret_key, &error));
  EXPECT_INVALID("secret_key", sco_config_set_secret_key(config, NULL, &error));
  EXPECT_INVALID("secret_key", sco_config_set_secret_key(config, NOT_UTF8, &error));
  EXPECT_INVALID("config", sco_config_set_client_id(NULL, "ca_1", &error));
  EXPECT_INVALID("client_id", sco_config_set_client_id(config, NULL, &error));
  EXPECT_INVALID("client_id", sco_config_set_client_id(config, NOT_UTF8, &error));
  EXPECT_INVALID("config", sco_config_set_connect_base(NULL, "https://a.example", &error));
  EXPECT_INVALID("connect_base", sco_config_set_connect_base(config, NULL, &error));
  EXPECT_INVALID("connect_base", sco_config_set_connect_base(config, NOT_UTF8, &error));
  EXPECT_INVALID("config",
                 sco_config_set_credential_scheme(NULL, SCO_CREDENTIAL_SCHEME_BASIC, &error));
  EXPECT_INVALID("credential_scheme", sco_config_set_credential_scheme(config, 0, &error));
  EXPECT_INVALID("credential_scheme", sco_config_set_credential_scheme(config, 3, &error));
  EXPECT_INVALID("config", sco_config_set_connect_timeout_ms(NULL, 1000, &error));
  EXPECT_INVALID("config", sco_config_set_timeout_ms(NULL, 1000, &error));
  EXPECT_INVALID("config", sco_config_set_retries(NULL, 1, &error));
  EXPECT_INVALID("config", sco_config_set_retry_backoff_ms(NULL, 1, &error));
}

static void option_arguments(void) {
  EXPECT_INVALID("options_out", sco_exchange_options_new(NULL, &error));
  EXPECT_INVALID("options", sco_exchange_options_add_assert_capability(NULL, "transfers", &error));
  EXPECT_INVALID("capability",
                 sco_exchange_options_add_assert_capability(exchange_options, NULL, &error));
  EXPECT_INVALID("capability",
                 sco_exchange_options_add_assert_capability(exchange_options, NOT_UTF8, &error));
  EXPECT_INVALID("options", sco_exchange_options_set_secret_key(NULL, "sk_test_1", &error));
  EXPECT_INVALID("secret_key",
                 sco_exchange_options_set_secret_key(exchange_options, NOT_UTF8, &error));

  EXPECT_INVALID("options_out", sco_refresh_options_new(NULL, &error));
  EXPECT_INVALID("options", sco_refresh_options_set_scope(NULL, "read_only", &error));
  EXPECT_INVALID("scope", sco_refresh_options_set_scope(refresh_options, NULL, &error));
  EXPECT_INVALID("scope", sco_refresh_options_set_scope(refresh_options, NOT_UTF8, &error));
  EXPECT_INVALID("options", sco_refresh_options_set_secret_key(NULL, "sk_test_1", &error));
  EXPECT_INVALID("secret_key", sco_refresh_options_set_secret_key(refresh_options, NULL, &error));

  EXPECT_INVALID("options_out", sco_deauthorize_options_new(NULL, &error));
  EXPECT_INVALID("options", sco_deauthorize_options_set_secret_key(NULL, "sk_test_1", &error));
  EXPECT_INVALID("secret_key",
                 sco_deauthorize_options_set_secret_key(deauthorize_options, NOT_UTF8, &error));
}

static void authorize_arguments(void) {
  sco_authorize_params *untouched = (sco_authorize_params *)&fake;
  EXPECT_INVALID("params_out", sco_authorize_params_new(SCO_ACCOUNT_TYPE_EXPRESS, NULL, &error));
  EXPECT_INVALID("account_type", sco_authorize_params_new(0, &untouched, &error));
  EXPECT_INVALID("account_type", sco_authorize_params_new(3, &untouched, &error));
  CHECK(untouched == (sco_authorize_params *)&fake);

  EXPECT_INVALID("params", sco_authorize_params_set_redirect_uri(NULL, "https://p.example/cb",
                                                                  &error));
  EXPECT_INVALID("redirect_uri", sco_authorize_params_set_redirect_uri(params, NULL, &error));
  EXPECT_INVALID("redirect_uri", sco_authorize_params_set_redirect_uri(params, NOT_UTF8, &error));
  EXPECT_INVALID("params", sco_authorize_params_set_scope(NULL, "read_only", &error));
  EXPECT_INVALID("scope", sco_authorize_params_set_scope(params, NULL, &error));
  EXPECT_INVALID("scope", sco_authorize_params_set_scope(params, NOT_UTF8, &error));
  EXPECT_INVALID("params", sco_authorize_params_set_state(NULL, "S1", &error));
  EXPECT_INVALID("state", sco_authorize_params_set_state(params, NULL, &error));
  EXPECT_INVALID("state", sco_authorize_params_set_state(params, NOT_UTF8, &error));
  EXPECT_INVALID("params",
                 sco_authorize_params_set_stripe_landing(NULL, SCO_STRIPE_LANDING_LOGIN, &error));
  EXPECT_INVALID("stripe_landing", sco_authorize_params_set_stripe_landing(params, 0, &error));
  EXPECT_INVALID("stripe_landing", sco_authorize_params_set_stripe_landing(params, -1, &error));
  EXPECT_INVALID("params", sco_authorize_params_set_always_prompt(NULL, true, &error));
  EXPECT_INVALID("params",
                 sco_authorize_params_add_suggested_capability(NULL, "transfers", &error));
  EXPECT_INVALID("capability", sco_authorize_params_add_suggested_capability(params, NULL, &error));
  EXPECT_INVALID("capability",
                 sco_authorize_params_add_suggested_capability(params, NOT_UTF8, &error));
  EXPECT_INVALID("params", sco_authorize_params_set_stripe_user(NULL, "email", "a@b.c", &error));
  EXPECT_INVALID("field", sco_authorize_params_set_stripe_user(params, NULL, "a@b.c", &error));
  EXPECT_INVALID("field", sco_authorize_params_set_stripe_user(params, NOT_UTF8, "a@b.c", &error));
  EXPECT_INVALID("value", sco_authorize_params_set_stripe_user(params, "email", NULL, &error));
  EXPECT_INVALID("value",
                 sco_authorize_params_set_stripe_user(params, "email", NOT_UTF8, &error));
  EXPECT_INVALID("params", sco_authorize_params_add_extra(NULL, "k", "v", &error));
  EXPECT_INVALID("key", sco_authorize_params_add_extra(params, NULL, "v", &error));
  EXPECT_INVALID("key", sco_authorize_params_add_extra(params, NOT_UTF8, "v", &error));
  EXPECT_INVALID("value", sco_authorize_params_add_extra(params, "k", NULL, &error));
  EXPECT_INVALID("value", sco_authorize_params_add_extra(params, "k", NOT_UTF8, &error));

  char *url = (char *)"untouched";
  EXPECT_INVALID("config", sco_config_authorize_url(NULL, params, &url, &error));
  EXPECT_INVALID("params", sco_config_authorize_url(config, NULL, &url, &error));
  EXPECT_INVALID("url_out", sco_config_authorize_url(config, params, NULL, &error));
  EXPECT_INVALID("client", sco_client_authorize_url(NULL, params, &url, &error));
  EXPECT_INVALID("params", sco_client_authorize_url(client, NULL, &url, &error));
  EXPECT_INVALID("url_out", sco_client_authorize_url(client, params, NULL, &error));
  CHECK(strcmp(url, "untouched") == 0);

  /* An unknown stripe_user field is the core's input error, not an argument error. */
  sco_error *error = NULL;
  CHECK_STATUS(sco_authorize_params_set_stripe_user(params, "favorite_color", "blue", &error),
               SCO_ERR_INVALID_INPUT, error);
  CHECK_STR(sco_error_parameter(error), "stripe_user");
  sco_error_free(error);
}

static void state_and_callback_arguments(void) {
  EXPECT_INVALID("state_out", sco_state_generate(NULL, &error));
  bool matches = true;
  EXPECT_INVALID("expected_state", sco_state_matches(NULL, "S1", &matches, &error));
  EXPECT_INVALID("expected_state", sco_state_matches(NOT_UTF8, "S1", &matches, &error));
  EXPECT_INVALID("received_state", sco_state_matches("S1", NULL, &matches, &error));
  EXPECT_INVALID("received_state", sco_state_matches("S1", NOT_UTF8, &matches, &error));
  EXPECT_INVALID("matches_out", sco_state_matches("S1", "S1", NULL, &error));
  CHECK(matches);

  sco_callback *callback = NULL;
  EXPECT_INVALID("callback", sco_parse_callback(NULL, "S1", &callback, &error));
  EXPECT_INVALID("callback", sco_parse_callback("code=ac_1&state=" NOT_UTF8, "S1", &callback,
                                                &error));
  EXPECT_INVALID("expected_state", sco_parse_callback("code=ac_1&state=S1", NULL, &callback,
                                                      &error));
  EXPECT_INVALID("expected_state", sco_parse_callback("code=ac_1&state=S1", NOT_UTF8, &callback,
                                                      &error));
  EXPECT_INVALID("callback_out", sco_parse_callback("code=ac_1&state=S1", "S1", NULL, &error));
  CHECK(callback == NULL);

  /* A percent-encoded NUL byte cannot be returned as a C string. */
  sco_error *error = NULL;
  CHECK_STATUS(sco_parse_callback("code=ac_1%00x&state=S1", "S1", &callback, &error),
               SCO_ERR_INVALID_INPUT, error);
  CHECK_STR(sco_error_parameter(error), "callback");
  CHECK(callback == NULL);
  sco_error_free(error);
}

/* A zero timeout would fail every request, so the core rejects it when the client is built. */
static void zero_timeout_is_rejected(void) {
  sco_config *zero = NULL;
  sco_error *error = NULL;
  CHECK_STATUS(sco_config_new(&zero, &error), SCO_OK, error);
  CHECK_STATUS(sco_config_set_timeout_ms(zero, 0, &error), SCO_OK, error);
  sco_client *untouched = (sco_client *)&fake;
  CHECK_STATUS(sco_client_new(zero, &untouched, &error), SCO_ERR_INVALID_INPUT, error);
  CHECK_STR(sco_error_parameter(error), "timeout");
  CHECK(untouched == (sco_client *)&fake);
  sco_error_free(error);
  sco_config_free(zero);
}

static void client_arguments(void) {
  sco_client *untouched_client = (sco_client *)&fake;
  EXPECT_INVALID("config", sco_client_new(NULL, &untouched_client, &error));
  EXPECT_INVALID("client_out", sco_client_new(config, NULL, &error));
  CHECK(untouched_client == (sco_client *)&fake);

  sco_token *token = (sco_token *)&fake;
  EXPECT_INVALID("client", sco_client_exchange_code(NULL, "ac_1", NULL, &token, &error));
  EXPECT_INVALID("code", sco_client_exchange_code(client, NULL, NULL, &token, &error));
  EXPECT_INVALID("code", sco_client_exchange_code(client, NOT_UTF8, NULL, &token, &error));
  EXPECT_INVALID("token_out", sco_client_exchange_code(client, "ac_1", NULL, NULL, &error));
  EXPECT_INVALID("client", sco_client_refresh(NULL, "rt_1", NULL, &token, &error));
  EXPECT_INVALID("refresh_token", sco_client_refresh(client, NULL, NULL, &token, &error));
  EXPECT_INVALID("refresh_token", sco_client_refresh(client, NOT_UTF8, NULL, &token, &error));
  EXPECT_INVALID("token_out", sco_client_refresh(client, "rt_1", NULL, NULL, &error));
  CHECK(token == (sco_token *)&fake);

  char *account = (char *)"untouched";
  EXPECT_INVALID("client", sco_client_deauthorize(NULL, "acct_1", NULL, &account, &error));
  EXPECT_INVALID("stripe_user_id", sco_client_deauthorize(client, NULL, NULL, &account, &error));
  EXPECT_INVALID("stripe_user_id",
                 sco_client_deauthorize(client, NOT_UTF8, NULL, &account, &error));
  EXPECT_INVALID("stripe_user_id_out",
                 sco_client_deauthorize(client, "acct_1", NULL, NULL, &error));
  CHECK(strcmp(account, "untouched") == 0);

  /* Without an error_out the status still reports the failure. */
  CHECK(sco_client_exchange_code(client, NULL, NULL, &token, NULL) == SCO_ERR_INVALID_ARGUMENT);
}

static void byo_http_arguments(void) {
  sco_token_request *request = (sco_token_request *)&fake;
  EXPECT_INVALID("config", sco_config_exchange_code_request(NULL, "ac_1", NULL, &request, &error));
  EXPECT_INVALID("code", sco_config_exchange_code_request(config, NULL, NULL, &request, &error));
  EXPECT_INVALID("code",
                 sco_config_exchange_code_request(config, NOT_UTF8, NULL, &request, &error));
  EXPECT_INVALID("request_out",
                 sco_config_exchange_code_request(config, "ac_1", NULL, NULL, &error));
  EXPECT_INVALID("config", sco_config_refresh_request(NULL, "rt_1", NULL, &request, &error));
  EXPECT_INVALID("refresh_token", sco_config_refresh_request(config, NULL, NULL, &request, &error));
  EXPECT_INVALID("request_out", sco_config_refresh_request(config, "rt_1", NULL, NULL, &error));
  CHECK(request == (sco_token_request *)&fake);

  sco_deauthorize_request *deauthorize = NULL;
  EXPECT_INVALID("config",
                 sco_config_deauthorize_request(NULL, "acct_1", NULL, &deauthorize, &error));
  EXPECT_INVALID("stripe_user_id",
                 sco_config_deauthorize_request(config, NOT_UTF8, NULL, &deauthorize, &error));
  EXPECT_INVALID("request_out",
                 sco_config_deauthorize_request(config, "acct_1", NULL, NULL, &error));
  CHECK(deauthorize == NULL);

  static const uint8_t body[] = "{}";
  sco_http_response response = {200, "application/json", NULL, body, 2};
  sco_token *token = NULL;
  EXPECT_INVALID("request", sco_token_request_decode_response(NULL, &response, &token, &error));
  EXPECT_INVALID("response",
                 sco_token_request_decode_response(token_request, NULL, &token, &error));
  EXPECT_INVALID("token_out",
                 sco_token_request_decode_response(token_request, &response, NULL, &error));
  sco_http_response bad_content_type = {200, NOT_UTF8, NULL, body, 2};
  EXPECT_INVALID("response.content_type",
                 sco_token_request_decode_response(token_request, &bad_content_type, &token,
                                                   &error));
  sco_http_response bad_retry_after = {429, NULL, NOT_UTF8, body, 2};
  EXPECT_INVALID("response.retry_after",
                 sco_token_request_decode_response(token_request, &bad_retry_after, &token,
                                                   &error));
  sco_http_response missing_body = {200, NULL, NULL, NULL, 5};
  EXPECT_INVALID("response.body",
                 sco_token_request_decode_response(token_request, &missing_body, &token, &error));
  CHECK(token == NULL);

  char *account = NULL;
  EXPECT_INVALID("request",
                 sco_deauthorize_request_decode_response(NULL, &response, &account, &error));
  EXPECT_INVALID("response", sco_deauthorize_request_decode_response(deauthorize_request, NULL,
                                                                     &account, &error));
  EXPECT_INVALID("stripe_user_id_out", sco_deauthorize_request_decode_response(
                                           deauthorize_request, &response, NULL, &error));
  CHECK(account == NULL);

  /* A NULL body with a length of 0 is an empty body, which the core reports. */
  sco_http_response empty = {500, NULL, NULL, NULL, 0};
  sco_error *error = NULL;
  CHECK_STATUS(sco_token_request_decode_response(token_request, &empty, &token, &error),
               SCO_ERR_UNEXPECTED_RESPONSE, error);
  sco_error_free(error);
}

static void null_handles_are_accepted(void) {
  /* Every _free accepts NULL. */
  sco_string_free(NULL);
  sco_error_free(NULL);
  sco_token_free(NULL);
  sco_callback_free(NULL);
  sco_config_free(NULL);
  sco_client_free(NULL);
  sco_authorize_params_free(NULL);
  sco_exchange_options_free(NULL);
  sco_refresh_options_free(NULL);
  sco_deauthorize_options_free(NULL);
  sco_token_request_free(NULL);
  sco_deauthorize_request_free(NULL);

  /* Accessors give NULL, 0 or false for NULL handles. */
  CHECK(sco_error_status(NULL) == SCO_OK);
  CHECK(sco_error_message(NULL) == NULL);
  CHECK(sco_error_parameter(NULL) == NULL);
  CHECK(sco_error_oauth_error(NULL) == NULL);
  CHECK(sco_error_description(NULL) == NULL);
  CHECK(sco_error_api_error_type(NULL) == NULL);
  CHECK(sco_error_api_error_code(NULL) == NULL);
  CHECK(sco_error_content_type(NULL) == NULL);
  CHECK(sco_error_body_excerpt(NULL) == NULL);
  CHECK(sco_error_http_status(NULL) == 0);
  uint64_t milliseconds = 7;
  CHECK(!sco_error_retry_after_ms(NULL, &milliseconds));
  CHECK(milliseconds == 7);
  CHECK(!sco_error_may_have_been_processed(NULL));
  CHECK(sco_error_token(NULL) == NULL);
  CHECK(sco_token_stripe_user_id(NULL) == NULL);
  CHECK(!sco_token_livemode(NULL));
  CHECK(sco_token_scope(NULL) == NULL);
  CHECK(sco_token_token_type(NULL) == NULL);
  CHECK(sco_token_access_token(NULL) == NULL);
  CHECK(sco_token_refresh_token(NULL) == NULL);
  CHECK(sco_token_stripe_publishable_key(NULL) == NULL);
  CHECK(sco_token_capability_count(NULL) == 0);
  CHECK(sco_token_capability(NULL, 0) == NULL);
  CHECK(sco_callback_code(NULL) == NULL);
  CHECK(sco_callback_scope(NULL) == NULL);
  CHECK(sco_token_request_http(NULL) == NULL);
  CHECK(sco_deauthorize_request_http(NULL) == NULL);
  CHECK(sco_http_request_method(NULL) == NULL);
  CHECK(sco_http_request_url(NULL) == NULL);
  CHECK(sco_http_request_header_count(NULL) == 0);
  CHECK(sco_http_request_header_name(NULL, 0) == NULL);
  CHECK(sco_http_request_header_value(NULL, 0) == NULL);
  CHECK(sco_http_request_body(NULL) == NULL);
  CHECK(sco_http_request_body_len(NULL) == 0);

  /* Names of statuses, including numbers that are not statuses. */
  CHECK_STR(sco_status_name(SCO_OK), "ok");
  CHECK_STR(sco_status_name(SCO_ERR_INVALID_ARGUMENT), "invalid_argument");
  CHECK_STR(sco_status_name(SCO_ERR_OAUTH), "oauth_error");
  CHECK_STR(sco_status_name(-5), "unknown");
  CHECK(sco_version() != NULL);
  CHECK(strlen(sco_version()) > 0);
}

static void nothing_reached_the_server(void) {
  const char *paths[] = {"/oauth/token", "/oauth/deauthorize"};
  for (size_t i = 0; i < 2; i++) {
    json_value *recorded = fake_requests(&fake, paths[i]);
    CHECK(recorded != NULL);
    CHECK(json_count(json_get(recorded, "requests")) == 0);
    json_free(recorded);
  }
}

static void set_up(void) {
  sco_error *error = NULL;
  config = fake_config(&fake);
  bool ready = sco_client_new(config, &client, &error) == SCO_OK &&
               sco_authorize_params_new(SCO_ACCOUNT_TYPE_STANDARD, &params, &error) == SCO_OK &&
               sco_exchange_options_new(&exchange_options, &error) == SCO_OK &&
               sco_refresh_options_new(&refresh_options, &error) == SCO_OK &&
               sco_deauthorize_options_new(&deauthorize_options, &error) == SCO_OK &&
               sco_config_exchange_code_request(config, "ac_1", NULL, &token_request, &error) ==
                   SCO_OK &&
               sco_config_deauthorize_request(config, "acct_1", NULL, &deauthorize_request,
                                              &error) == SCO_OK;
  if (!ready) {
    fprintf(stderr, "set-up failed: %s\n", sco_error_message(error));
    exit(2);
  }
}

static void tear_down(void) {
  sco_deauthorize_request_free(deauthorize_request);
  sco_token_request_free(token_request);
  sco_deauthorize_options_free(deauthorize_options);
  sco_refresh_options_free(refresh_options);
  sco_exchange_options_free(exchange_options);
  sco_authorize_params_free(params);
  sco_client_free(client);
  sco_config_free(config);
}

int main(void) {
  fake_load(&fake);
  if (!fake_reset(&fake)) return 2;
  set_up();
  RUN(config_arguments);
  RUN(option_arguments);
  RUN(authorize_arguments);
  RUN(state_and_callback_arguments);
  RUN(client_arguments);
  RUN(zero_timeout_is_rejected);
  RUN(byo_http_arguments);
  RUN(null_handles_are_accepted);
  RUN(nothing_reached_the_server);
  tear_down();
  fake_server_free(&fake);
  return finish_cases("test_arguments");
}
