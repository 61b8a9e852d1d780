/*
 * The whole OAuth flow through the C ABI against the fake Stripe server over real loopback
 * sockets: authorize URL, callback, exchange, refresh, deauthorize, and the failures a
 * platform must handle (denial, state mismatch, a reused code, timeouts, network and proxy
 * failures).
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static fake_server fake;

static sco_client *new_client(sco_config *config) {
  sco_client *client = NULL;
  sco_error *error = NULL;
  if (!CHECK_STATUS(sco_client_new(config, &client, &error), SCO_OK, error)) {
    sco_error_free(error);
    return NULL;
  }
  return client;
}

/* Builds an authorize URL with `client` and has the fake decide it ("approve" or "deny"). */
static bool authorize(const sco_client *client, const sco_authorize_params *params,
                      const char *decision, fake_code *decided) {
  char *url = NULL;
  sco_error *error = NULL;
  if (!CHECK_STATUS(sco_client_authorize_url(client, params, &url, &error), SCO_OK, error)) {
    sco_error_free(error);
    return false;
  }
  char *quoted_url = json_quote(url);
  char body[4096];
  snprintf(body, sizeof body, "{\"authorize_url\": %s, \"decision\": \"%s\"}", quoted_url,
           decision);
  free(quoted_url);
  sco_string_free(url);
  return CHECK(fake_obtain_code(&fake, body, decided) == 0);
}

static size_t recorded_count(const char *path) {
  json_value *document = fake_requests(&fake, path);
  size_t count = json_count(json_get(document, "requests"));
  json_free(document);
  return count;
}

static void standard_flow_exchanges_refreshes_and_deauthorizes(void) {
  CHECK(fake_reset(&fake));
  sco_config *config = fake_config(&fake);
  sco_client *client = new_client(config);
  sco_error *error = NULL;

  char *state = NULL;
  CHECK_STATUS(sco_state_generate(&state, &error), SCO_OK, error);
  CHECK(state != NULL);
  CHECK(state == NULL || strlen(state) == 43);

  sco_authorize_params *params = NULL;
  CHECK_STATUS(sco_authorize_params_new(SCO_ACCOUNT_TYPE_STANDARD, &params, &error), SCO_OK,
               error);
  CHECK_STATUS(sco_authorize_params_set_scope(params, "read_write", &error), SCO_OK, error);
  CHECK_STATUS(sco_authorize_params_set_state(params, state, &error), SCO_OK, error);
  CHECK_STATUS(sco_authorize_params_set_stripe_user(params, "email", "jane+c@example.com", &error),
               SCO_OK, error);
  fake_code decided;
  if (!authorize(client, params, "approve", &decided)) goto done;
  CHECK(contains(decided.location, "state="));

  sco_callback *callback = NULL;
  if (!CHECK_STATUS(sco_parse_callback(decided.location, state, &callback, &error), SCO_OK,
                    error)) {
    fake_code_free(&decided);
    goto done;
  }
  CHECK_STR(sco_callback_code(callback), decided.code);
  CHECK_STR(sco_callback_scope(callback), "read_write");

  sco_token *token = NULL;
  CHECK_STATUS(sco_client_exchange_code(client, sco_callback_code(callback), NULL, &token, &error),
               SCO_OK, error);
  CHECK_STR(sco_token_stripe_user_id(token), decided.stripe_user_id);
  CHECK(!sco_token_livemode(token));
  CHECK_STR(sco_token_scope(token), "read_write");
  CHECK_STR(sco_token_token_type(token), "bearer");
  CHECK(sco_token_access_token(token) != NULL);
  CHECK(strncmp(sco_token_refresh_token(token), "rt_", 3) == 0);
  CHECK(strncmp(sco_token_stripe_publishable_key(token), "pk_test_", 8) == 0);

  /* The request on the wire: Basic credentials with an empty password, the exact form body. */
  json_value *recorded = fake_requests(&fake, "/oauth/token");
  const json_value *exchange = json_at(json_get(recorded, "requests"), 0);
  char user_and_empty_password[256];
  snprintf(user_and_empty_password, sizeof user_and_empty_password, "%s:", fake.test_secret_key);
  char *encoded = base64_encode(user_and_empty_password);
  char expected_authorization[512];
  snprintf(expected_authorization, sizeof expected_authorization, "Basic %s", encoded);
  free(encoded);
  CHECK_STR(recorded_header(exchange, "Authorization"), expected_authorization);
  CHECK_STR(recorded_header(exchange, "Content-Type"), "application/x-www-form-urlencoded");
  char expected_body[256];
  snprintf(expected_body, sizeof expected_body, "grant_type=authorization_code&code=%s",
           decided.code);
  CHECK_STR(json_get_text(exchange, "body"), expected_body);
  json_free(recorded);

  /* Refresh for a narrower scope with the refresh token from the exchange. */
  sco_refresh_options *refresh_options = NULL;
  CHECK_STATUS(sco_refresh_options_new(&refresh_options, &error), SCO_OK, error);
  CHECK_STATUS(sco_refresh_options_set_scope(refresh_options, "read_only", &error), SCO_OK,
               error);
  sco_token *refreshed = NULL;
  CHECK_STATUS(sco_client_refresh(client, sco_token_refresh_token(token), refresh_options,
                                  &refreshed, &error),
               SCO_OK, error);
  CHECK_STR(sco_token_stripe_user_id(refreshed), decided.stripe_user_id);
  CHECK_STR(sco_token_scope(refreshed), "read_only");

  /* Disconnect the account; the fake confirms the same account. */
  char *disconnected = NULL;
  CHECK_STATUS(sco_client_deauthorize(client, decided.stripe_user_id, NULL, &disconnected,
                                      &error),
               SCO_OK, error);
  CHECK_STR(disconnected, decided.stripe_user_id);

  sco_string_free(disconnected);
  sco_token_free(refreshed);
  sco_refresh_options_free(refresh_options);
  sco_token_free(token);
  sco_callback_free(callback);
  fake_code_free(&decided);
done:
  sco_error_free(error);
  sco_authorize_params_free(params);
  sco_string_free(state);
  sco_client_free(client);
  sco_config_free(config);
}

static void express_flow_asserts_capabilities(void) {
  CHECK(fake_reset(&fake));
  sco_config *config = fake_config(&fake);
  sco_client *client = new_client(config);
  sco_error *error = NULL;
  sco_authorize_params *params = NULL;
  CHECK_STATUS(sco_authorize_params_new(SCO_ACCOUNT_TYPE_EXPRESS, &params, &error), SCO_OK,
               error);
  CHECK_STATUS(sco_authorize_params_set_state(params, "ExpressState1", &error), SCO_OK, error);
  CHECK_STATUS(sco_authorize_params_add_suggested_capability(params, "transfers", &error), SCO_OK,
               error);
  fake_code decided;
  if (authorize(client, params, "approve", &decided)) {
    sco_callback *callback = NULL;
    CHECK_STATUS(sco_parse_callback(decided.location, "ExpressState1", &callback, &error),
                 SCO_OK, error);
    sco_exchange_options *options = NULL;
    CHECK_STATUS(sco_exchange_options_new(&options, &error), SCO_OK, error);
    CHECK_STATUS(sco_exchange_options_add_assert_capability(options, "transfers", &error), SCO_OK,
                 error);
    sco_token *token = NULL;
    CHECK_STATUS(
        sco_client_exchange_code(client, sco_callback_code(callback), options, &token, &error),
        SCO_OK, error);
    CHECK_STR(sco_token_scope(token), "express");
    CHECK_STR(sco_token_stripe_user_id(token), decided.stripe_user_id);
    bool has_transfers = false;
    for (size_t i = 0; i < sco_token_capability_count(token); i++) {
      has_transfers = has_transfers || strcmp(sco_token_capability(token, i), "transfers") == 0;
    }
    CHECK(has_transfers);

    json_value *recorded = fake_requests(&fake, "/oauth/token");
    const char *body = json_get_text(json_at(json_get(recorded, "requests"), 0), "body");
    CHECK(contains(body, "&assert_capabilities[]=transfers"));
    json_free(recorded);

    sco_token_free(token);
    sco_exchange_options_free(options);
    sco_callback_free(callback);
    fake_code_free(&decided);
  }
  sco_error_free(error);
  sco_authorize_params_free(params);
  sco_client_free(client);
  sco_config_free(config);
}

static void denial_is_access_denied_and_sends_nothing(void) {
  CHECK(fake_reset(&fake));
  sco_config *config = fake_config(&fake);
  sco_client *client = new_client(config);
  sco_error *error = NULL;
  sco_authorize_params *params = NULL;
  CHECK_STATUS(sco_authorize_params_new(SCO_ACCOUNT_TYPE_STANDARD, &params, &error), SCO_OK,
               error);
  CHECK_STATUS(sco_authorize_params_set_state(params, "DenyState", &error), SCO_OK, error);
  fake_code decided;
  if (authorize(client, params, "deny", &decided)) {
    CHECK(decided.code == NULL);
    sco_callback *callback = NULL;
    sco_status status = sco_parse_callback(decided.location, "DenyState", &callback, &error);
    CHECK_STATUS(status, SCO_ERR_ACCESS_DENIED, error);
    CHECK(callback == NULL);
    CHECK_STR(sco_error_oauth_error(error), "access_denied");
    CHECK(sco_error_description(error) != NULL);
    CHECK(!sco_error_may_have_been_processed(error));
    CHECK(sco_error_http_status(error) == 0);
    CHECK(recorded_count("/oauth/token") == 0);
    fake_code_free(&decided);
  }
  sco_error_free(error);
  sco_authorize_params_free(params);
  sco_client_free(client);
  sco_config_free(config);
}

static void state_mismatch_is_rejected_before_exchange(void) {
  CHECK(fake_reset(&fake));
  fake_code decided;
  if (!CHECK(fake_obtain_code(&fake, "{\"scope\": \"read_write\", \"state\": \"StateOfA\"}",
                              &decided) == 0)) {
    return;
  }
  sco_callback *callback = NULL;
  sco_error *error = NULL;
  /* Another session's state: an attacker's callback in the victim's browser. */
  sco_status status = sco_parse_callback(decided.location, "StateOfB", &callback, &error);
  CHECK_STATUS(status, SCO_ERR_STATE_MISMATCH, error);
  CHECK(callback == NULL);
  CHECK(!contains(sco_error_message(error), decided.code));
  sco_error_free(error);
  error = NULL;

  bool matches = true;
  CHECK_STATUS(sco_state_matches("StateOfB", "StateOfA", &matches, &error), SCO_OK, error);
  CHECK(!matches);
  CHECK_STATUS(sco_state_matches("StateOfA", "StateOfA", &matches, &error), SCO_OK, error);
  CHECK(matches);
  CHECK(recorded_count("/oauth/token") == 0);
  sco_error_free(error);
  fake_code_free(&decided);
}

static void reused_code_is_invalid_grant(void) {
  CHECK(fake_reset(&fake));
  sco_config *config = fake_config(&fake);
  sco_client *client = new_client(config);
  fake_code decided;
  if (!CHECK(fake_obtain_code(&fake, "{\"scope\": \"read_write\", \"state\": \"S1\"}", &decided) ==
             0)) {
    goto done;
  }
  sco_error *error = NULL;
  sco_token *first = NULL;
  CHECK_STATUS(sco_client_exchange_code(client, decided.code, NULL, &first, &error), SCO_OK,
               error);

  sco_token *second = (sco_token *)&fake; /* a sentinel: outputs are written only on success */
  sco_status status = sco_client_exchange_code(client, decided.code, NULL, &second, &error);
  CHECK_STATUS(status, SCO_ERR_OAUTH, error);
  CHECK(second == (sco_token *)&fake);
  CHECK_STR(sco_error_oauth_error(error), "invalid_grant");
  CHECK(sco_error_http_status(error) == 400);
  CHECK(sco_error_may_have_been_processed(error));
  CHECK(sco_error_description(error) != NULL);
  CHECK(!contains(sco_error_description(error), decided.code));
  CHECK(!contains(sco_error_message(error), decided.code));
  CHECK(!contains(sco_error_message(error), fake.test_secret_key));
  CHECK(contains(sco_error_message(error), "invalid_grant"));
  CHECK(recorded_count("/oauth/token") == 2);

  sco_error_free(error);
  sco_token_free(first);
  fake_code_free(&decided);
done:
  sco_client_free(client);
  sco_config_free(config);
}

static void slow_token_endpoint_times_out_once(void) {
  CHECK(fake_reset(&fake));
  sco_config *config = fake_config(&fake);
  sco_error *error = NULL;
  CHECK_STATUS(sco_config_set_timeout_ms(config, 500, &error), SCO_OK, error);
  sco_client *client = new_client(config);
  fake_code decided;
  if (!CHECK(fake_obtain_code(&fake, "{\"scope\": \"read_write\"}", &decided) == 0)) goto done;
  CHECK(fake_queue_fault(&fake, "/oauth/token", "{\"kind\": \"delay\", \"ms\": 3000}", 1));

  int64_t started = now_ms();
  sco_token *token = NULL;
  sco_status status = sco_client_exchange_code(client, decided.code, NULL, &token, &error);
  int64_t elapsed = now_ms() - started;
  CHECK_STATUS(status, SCO_ERR_TIMEOUT, error);
  CHECK(token == NULL);
  CHECK(sco_error_may_have_been_processed(error));
  CHECK(elapsed < 2900);
  /* Sent once, never again: the code may have been spent. */
  CHECK(recorded_count("/oauth/token") == 1);
  sco_error_free(error);
  error = NULL;

  /* The fake processed the code before its delay, so a second try is refused. */
  status = sco_client_exchange_code(client, decided.code, NULL, &token, &error);
  CHECK_STATUS(status, SCO_ERR_OAUTH, error);
  CHECK_STR(sco_error_oauth_error(error), "invalid_grant");
  fake_code_free(&decided);
done:
  sco_error_free(error);
  sco_client_free(client);
  sco_config_free(config);
}

/* Returns a loopback port with no listener: bound, then closed. */
static unsigned unused_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in address;
  memset(&address, 0, sizeof address);
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 ||
      getsockname(fd, (struct sockaddr *)&address, &length) != 0) {
    close(fd);
    return 0;
  }
  close(fd);
  return ntohs(address.sin_port);
}

static void refused_connection_is_not_processed(void) {
  unsigned port = unused_port();
  if (!CHECK(port != 0)) return;
  char base[64];
  snprintf(base, sizeof base, "http://127.0.0.1:%u", port);
  sco_config *config = fake_config(&fake);
  sco_error *error = NULL;
  CHECK_STATUS(sco_config_set_connect_base(config, base, &error), SCO_OK, error);
  CHECK_STATUS(sco_config_set_retries(config, 1, &error), SCO_OK, error);
  CHECK_STATUS(sco_config_set_retry_backoff_ms(config, 10, &error), SCO_OK, error);
  sco_client *client = new_client(config);

  sco_token *token = NULL;
  sco_status status = sco_client_exchange_code(client, "ac_NeverSent", NULL, &token, &error);
  CHECK_STATUS(status, SCO_ERR_TRANSPORT, error);
  CHECK(!sco_error_may_have_been_processed(error));
  CHECK(sco_error_http_status(error) == 0);
  CHECK(!contains(sco_error_message(error), "ac_NeverSent"));
  sco_error_free(error);
  sco_client_free(client);
  sco_config_free(config);
}

static void closed_connection_may_have_been_processed(void) {
  CHECK(fake_reset(&fake));
  sco_config *config = fake_config(&fake);
  sco_client *client = new_client(config);
  fake_code decided;
  if (!CHECK(fake_obtain_code(&fake, "{\"scope\": \"read_write\"}", &decided) == 0)) goto done;
  CHECK(fake_queue_fault(&fake, "/oauth/token", "{\"kind\": \"close\", \"process\": true}", 1));

  sco_token *token = NULL;
  sco_error *error = NULL;
  sco_status status = sco_client_exchange_code(client, decided.code, NULL, &token, &error);
  CHECK_STATUS(status, SCO_ERR_TRANSPORT, error);
  CHECK(sco_error_may_have_been_processed(error));
  CHECK(recorded_count("/oauth/token") == 1);
  sco_error_free(error);
  fake_code_free(&decided);
done:
  sco_client_free(client);
  sco_config_free(config);
}

static void rate_limit_carries_retry_after(void) {
  CHECK(fake_reset(&fake));
  sco_config *config = fake_config(&fake);
  sco_client *client = new_client(config);
  CHECK(fake_queue_fault(&fake, "/oauth/token",
                         "{\"kind\": \"response\", \"status\": 429, \"headers\": "
                         "[[\"Retry-After\", \"2\"]], \"body\": "
                         "\"{\\\"error\\\": {\\\"message\\\": \\\"Too many requests\\\"}}\"}",
                         1));
  sco_token *token = NULL;
  sco_error *error = NULL;
  sco_status status = sco_client_exchange_code(client, "ac_Unused", NULL, &token, &error);
  CHECK_STATUS(status, SCO_ERR_RATE_LIMITED, error);
  CHECK(sco_error_http_status(error) == 429);
  uint64_t retry_after_ms = 0;
  CHECK(sco_error_retry_after_ms(error, &retry_after_ms));
  CHECK(retry_after_ms == 2000);
  sco_error_free(error);
  sco_client_free(client);
  sco_config_free(config);
}

static void proxy_html_page_is_unexpected_response(void) {
  CHECK(fake_reset(&fake));
  sco_config *config = fake_config(&fake);
  sco_client *client = new_client(config);
  CHECK(fake_queue_fault(&fake, "/oauth/token", "{\"kind\": \"html_502\"}", 1));
  sco_token *token = NULL;
  sco_error *error = NULL;
  sco_status status = sco_client_exchange_code(client, "ac_Unused", NULL, &token, &error);
  CHECK_STATUS(status, SCO_ERR_UNEXPECTED_RESPONSE, error);
  CHECK(sco_error_http_status(error) == 502);
  CHECK(contains(sco_error_content_type(error), "text/html"));
  CHECK(contains(sco_error_body_excerpt(error), "502"));
  CHECK(sco_error_may_have_been_processed(error));
  sco_error_free(error);
  sco_client_free(client);
  sco_config_free(config);
}

static void bearer_and_per_call_key_reach_the_server(void) {
  CHECK(fake_reset(&fake));
  sco_config *config = fake_config(&fake);
  sco_error *error = NULL;
  CHECK_STATUS(sco_config_set_credential_scheme(config, SCO_CREDENTIAL_SCHEME_BEARER, &error),
               SCO_OK, error);
  /* The configured key is the other platform's; the call passes the right one. */
  CHECK_STATUS(sco_config_set_secret_key(config, fake.other_test_secret_key, &error), SCO_OK,
               error);
  sco_client *client = new_client(config);
  fake_code decided;
  if (!CHECK(fake_obtain_code(&fake, "{\"scope\": \"read_write\"}", &decided) == 0)) goto done;

  sco_exchange_options *options = NULL;
  CHECK_STATUS(sco_exchange_options_new(&options, &error), SCO_OK, error);
  CHECK_STATUS(sco_exchange_options_set_secret_key(options, fake.test_secret_key, &error), SCO_OK,
               error);
  sco_token *token = NULL;
  CHECK_STATUS(sco_client_exchange_code(client, decided.code, options, &token, &error), SCO_OK,
               error);
  CHECK_STR(sco_token_stripe_user_id(token), decided.stripe_user_id);

  json_value *recorded = fake_requests(&fake, "/oauth/token");
  const json_value *exchange = json_at(json_get(recorded, "requests"), 0);
  char expected[256];
  snprintf(expected, sizeof expected, "Bearer %s", fake.test_secret_key);
  CHECK_STR(recorded_header(exchange, "Authorization"), expected);
  json_free(recorded);

  sco_token_free(token);
  sco_exchange_options_free(options);
  fake_code_free(&decided);
done:
  sco_error_free(error);
  sco_client_free(client);
  sco_config_free(config);
}

int main(void) {
  fake_load(&fake);
  RUN(standard_flow_exchanges_refreshes_and_deauthorizes);
  RUN(express_flow_asserts_capabilities);
  RUN(denial_is_access_denied_and_sends_nothing);
  RUN(state_mismatch_is_rejected_before_exchange);
  RUN(reused_code_is_invalid_grant);
  RUN(slow_token_endpoint_times_out_once);
  RUN(refused_connection_is_not_processed);
  RUN(closed_connection_may_have_been_processed);
  RUN(rate_limit_carries_retry_after);
  RUN(proxy_html_page_is_unexpected_response);
  RUN(bearer_and_per_call_key_reach_the_server);
  fake_server_free(&fake);
  return finish_cases("test_flow");
}
