/*
 * The bring-your-own-HTTP path. The library builds each request (method, URL, headers, body),
 * and the test's own HTTP client sends it to the fake server over a loopback socket. Then the
 * library decodes the response from its status, content type and body bytes.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static fake_server fake;

/* Sends a request built by the library, with exactly its method, URL, headers and body. */
static bool send_built(const sco_http_request *http, http_reply *reply) {
  size_t count = sco_http_request_header_count(http);
  const char **headers = calloc(count * 2 + 1, sizeof *headers);
  for (size_t i = 0; i < count; i++) {
    headers[2 * i] = sco_http_request_header_name(http, i);
    headers[2 * i + 1] = sco_http_request_header_value(http, i);
  }
  int sent = http_send(sco_http_request_method(http), sco_http_request_url(http), headers,
                       sco_http_request_body(http), sco_http_request_body_len(http), reply);
  free(headers);
  return CHECK(sent == 0);
}

static sco_http_response response_of(const http_reply *reply) {
  sco_http_response response = {
      .status = (uint16_t)reply->status,
      .content_type = reply->content_type,
      .retry_after = reply->retry_after,
      .body = reply->body,
      .body_len = reply->body_len,
  };
  return response;
}

/* Exchanges `code` through the bring-your-own-HTTP path; returns the decoding status. */
static sco_status exchange(const sco_config *config, const char *code, sco_token **token,
                           sco_error **error) {
  sco_token_request *request = NULL;
  sco_status status = sco_config_exchange_code_request(config, code, NULL, &request, error);
  if (!CHECK_STATUS(status, SCO_OK, *error)) {
    return status;
  }
  http_reply reply;
  if (send_built(sco_token_request_http(request), &reply)) {
    sco_http_response response = response_of(&reply);
    status = sco_token_request_decode_response(request, &response, token, error);
    http_reply_free(&reply);
  }
  sco_token_request_free(request);
  return status;
}

static void exchange_sends_built_request_and_decodes(void) {
  CHECK(fake_reset(&fake));
  sco_config *config = fake_config(&fake);
  fake_code decided;
  if (!CHECK(fake_obtain_code(&fake, "{\"scope\": \"read_write\", \"state\": \"S1\"}", &decided) ==
             0)) {
    sco_config_free(config);
    return;
  }

  sco_error *error = NULL;
  sco_token_request *request = NULL;
  CHECK_STATUS(sco_config_exchange_code_request(config, decided.code, NULL, &request, &error),
               SCO_OK, error);
  const sco_http_request *http = sco_token_request_http(request);
  char expected_url[256];
  snprintf(expected_url, sizeof expected_url, "%s/oauth/token", fake.base_url);
  CHECK_STR(sco_http_request_method(http), "POST");
  CHECK_STR(sco_http_request_url(http), expected_url);
  CHECK(sco_http_request_header_count(http) == 4);
  CHECK_STR(sco_http_request_header_name(http, 0), "Authorization");
  CHECK(sco_http_request_header_name(http, 4) == NULL);

  http_reply reply;
  if (send_built(http, &reply)) {
    CHECK(reply.status == 200);
    sco_http_response response = response_of(&reply);
    sco_token *token = NULL;
    CHECK_STATUS(sco_token_request_decode_response(request, &response, &token, &error), SCO_OK,
                 error);
    CHECK_STR(sco_token_stripe_user_id(token), decided.stripe_user_id);
    CHECK_STR(sco_token_scope(token), "read_write");
    CHECK(sco_token_refresh_token(token) != NULL);
    sco_token_free(token);
    http_reply_free(&reply);
  }

  /* The fake received every header and the body exactly as built. */
  json_value *recorded = fake_requests(&fake, "/oauth/token");
  const json_value *received = json_at(json_get(recorded, "requests"), 0);
  for (size_t i = 0; i < sco_http_request_header_count(http); i++) {
    CHECK_STR(recorded_header(received, sco_http_request_header_name(http, i)),
              sco_http_request_header_value(http, i));
  }
  CHECK_STR(json_get_text(received, "body"), sco_http_request_body(http));
  json_free(recorded);

  sco_token_request_free(request);
  sco_error_free(error);
  fake_code_free(&decided);
  sco_config_free(config);
}

static void refresh_and_deauthorize_over_own_client(void) {
  CHECK(fake_reset(&fake));
  sco_config *config = fake_config(&fake);
  fake_code decided;
  if (!CHECK(fake_obtain_code(&fake, "{\"scope\": \"read_write\"}", &decided) == 0)) {
    sco_config_free(config);
    return;
  }
  sco_error *error = NULL;
  sco_token *token = NULL;
  CHECK_STATUS(exchange(config, decided.code, &token, &error), SCO_OK, error);

  sco_token_request *refresh = NULL;
  CHECK_STATUS(
      sco_config_refresh_request(config, sco_token_refresh_token(token), NULL, &refresh, &error),
      SCO_OK, error);
  CHECK(contains(sco_http_request_body(sco_token_request_http(refresh)),
                 "grant_type=refresh_token&refresh_token=rt_"));
  http_reply reply;
  if (send_built(sco_token_request_http(refresh), &reply)) {
    sco_http_response response = response_of(&reply);
    sco_token *refreshed = NULL;
    CHECK_STATUS(sco_token_request_decode_response(refresh, &response, &refreshed, &error),
                 SCO_OK, error);
    CHECK_STR(sco_token_stripe_user_id(refreshed), decided.stripe_user_id);
    sco_token_free(refreshed);
    http_reply_free(&reply);
  }

  sco_deauthorize_request *deauthorize = NULL;
  CHECK_STATUS(
      sco_config_deauthorize_request(config, decided.stripe_user_id, NULL, &deauthorize, &error),
      SCO_OK, error);
  const sco_http_request *http = sco_deauthorize_request_http(deauthorize);
  char expected_body[256];
  snprintf(expected_body, sizeof expected_body, "client_id=%s&stripe_user_id=%s", fake.client_id,
           decided.stripe_user_id);
  CHECK_STR(sco_http_request_body(http), expected_body);
  if (send_built(http, &reply)) {
    sco_http_response response = response_of(&reply);
    char *disconnected = NULL;
    CHECK_STATUS(
        sco_deauthorize_request_decode_response(deauthorize, &response, &disconnected, &error),
        SCO_OK, error);
    CHECK_STR(disconnected, decided.stripe_user_id);
    sco_string_free(disconnected);
    http_reply_free(&reply);
  }

  sco_deauthorize_request_free(deauthorize);
  sco_token_request_free(refresh);
  sco_token_free(token);
  sco_error_free(error);
  fake_code_free(&decided);
  sco_config_free(config);
}

static void reused_code_decodes_invalid_grant(void) {
  CHECK(fake_reset(&fake));
  sco_config *config = fake_config(&fake);
  fake_code decided;
  if (!CHECK(fake_obtain_code(&fake, "{\"scope\": \"read_write\"}", &decided) == 0)) {
    sco_config_free(config);
    return;
  }
  sco_error *error = NULL;
  sco_token *token = NULL;
  CHECK_STATUS(exchange(config, decided.code, &token, &error), SCO_OK, error);
  sco_token_free(token);
  token = NULL;

  CHECK_STATUS(exchange(config, decided.code, &token, &error), SCO_ERR_OAUTH, error);
  CHECK(token == NULL);
  CHECK_STR(sco_error_oauth_error(error), "invalid_grant");
  CHECK(sco_error_http_status(error) == 400);
  CHECK(!contains(sco_error_description(error), decided.code));
  sco_error_free(error);
  fake_code_free(&decided);
  sco_config_free(config);
}

static void redirect_is_reported_not_followed(void) {
  CHECK(fake_reset(&fake));
  sco_config *config = fake_config(&fake);
  CHECK(fake_queue_fault(&fake, "/oauth/token",
                         "{\"kind\": \"redirect\", \"location\": "
                         "\"http://127.0.0.1:9/oauth/token\", \"status\": 307}",
                         1));
  sco_error *error = NULL;
  sco_token *token = NULL;
  CHECK_STATUS(exchange(config, "ac_Redirected", &token, &error), SCO_ERR_UNEXPECTED_RESPONSE,
               error);
  CHECK(sco_error_http_status(error) == 307);
  CHECK(sco_error_may_have_been_processed(error));
  sco_error_free(error);
  sco_config_free(config);
}

static void oversized_and_empty_bodies_are_unexpected(void) {
  CHECK(fake_reset(&fake));
  sco_config *config = fake_config(&fake);
  CHECK(fake_queue_fault(&fake, "/oauth/token", "{\"kind\": \"oversized\", \"bytes\": 70000}", 1));
  sco_error *error = NULL;
  sco_token *token = NULL;
  CHECK_STATUS(exchange(config, "ac_Oversized", &token, &error), SCO_ERR_UNEXPECTED_RESPONSE,
               error);
  CHECK(contains(sco_error_message(error), "larger than"));
  CHECK(strlen(sco_error_body_excerpt(error)) <= 512);
  sco_error_free(error);
  error = NULL;

  CHECK(fake_queue_fault(&fake, "/oauth/token", "{\"kind\": \"empty_body\", \"status\": 500}", 1));
  CHECK_STATUS(exchange(config, "ac_Empty", &token, &error), SCO_ERR_UNEXPECTED_RESPONSE, error);
  CHECK(sco_error_http_status(error) == 500);
  CHECK(sco_error_content_type(error) == NULL);
  CHECK_STR(sco_error_body_excerpt(error), "");
  CHECK(token == NULL);
  sco_error_free(error);
  sco_config_free(config);
}

int main(void) {
  fake_load(&fake);
  RUN(exchange_sends_built_request_and_decodes);
  RUN(refresh_and_deauthorize_over_own_client);
  RUN(reused_code_decodes_invalid_grant);
  RUN(redirect_is_reported_not_followed);
  RUN(oversized_and_empty_bodies_are_unexpected);
  fake_server_free(&fake);
  return finish_cases("test_byo_http");
}
