/*
 * A minimal Stripe Connect platform flow with libstripe_connect_oauth, in two steps as a web
 * application runs them:
 *
 *   connect_example authorize
 *       Generates a state and prints it with the authorize URL ("Connect with Stripe"). A web
 *       application stores the state in the user's session and redirects the user to the URL.
 *
 *   connect_example callback CALLBACK_URL STATE
 *       Checks the callback that Stripe redirected the user to against the stored state,
 *       exchanges the authorization code, and prints the connected account id.
 *
 * Settings come from the environment: STRIPE_CLIENT_ID (ca_...), STRIPE_SECRET_KEY (sk_...),
 * and optionally STRIPE_CONNECT_BASE (default https://connect.stripe.com; the fake server's
 * base URL in tests) and STRIPE_REDIRECT_URI.
 *
 * Build: cc -std=c11 connect_example.c $(pkg-config --cflags --libs stripe_connect_oauth)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stripe_connect_oauth.h>

/* Prints a failed call's status and message (which never contains a secret). */
static int report(const char *step, sco_status status, sco_error *error) {
  fprintf(stderr, "%s failed (%s): %s\n", step, sco_status_name((int)status),
          error ? sco_error_message(error) : "no details");
  sco_error_free(error);
  return 1;
}

/* Creates the platform's config from the environment. Returns NULL after printing why. */
static sco_config *config_from_environment(void) {
  const char *client_id = getenv("STRIPE_CLIENT_ID");
  const char *secret_key = getenv("STRIPE_SECRET_KEY");
  const char *connect_base = getenv("STRIPE_CONNECT_BASE");
  if (client_id == NULL || secret_key == NULL) {
    fprintf(stderr, "set STRIPE_CLIENT_ID (ca_...) and STRIPE_SECRET_KEY (sk_...)\n");
    return NULL;
  }

  sco_config *config = NULL;
  sco_error *error = NULL;
  sco_status status = sco_config_new(&config, &error);
  if (status == SCO_OK) status = sco_config_set_client_id(config, client_id, &error);
  if (status == SCO_OK) status = sco_config_set_secret_key(config, secret_key, &error);
  if (status == SCO_OK && connect_base != NULL) {
    status = sco_config_set_connect_base(config, connect_base, &error);
  }
  if (status != SCO_OK) {
    report("configuration", status, error);
    sco_config_free(config);
    return NULL;
  }
  return config;
}

static int authorize(const sco_config *config) {
  sco_error *error = NULL;
  char *state = NULL;
  sco_status status = sco_state_generate(&state, &error);
  if (status != SCO_OK) return report("state generation", status, error);

  sco_authorize_params *params = NULL;
  status = sco_authorize_params_new(SCO_ACCOUNT_TYPE_EXPRESS, &params, &error);
  if (status == SCO_OK) status = sco_authorize_params_set_state(params, state, &error);
  const char *redirect_uri = getenv("STRIPE_REDIRECT_URI");
  if (status == SCO_OK && redirect_uri != NULL) {
    status = sco_authorize_params_set_redirect_uri(params, redirect_uri, &error);
  }
  char *url = NULL;
  if (status == SCO_OK) status = sco_config_authorize_url(config, params, &url, &error);
  if (status == SCO_OK) {
    printf("state=%s\nurl=%s\n", state, url);
  }

  sco_string_free(url);
  sco_authorize_params_free(params);
  sco_string_free(state);
  return status == SCO_OK ? 0 : report("authorize URL", status, error);
}

static int callback(const sco_config *config, const char *callback_url, const char *state) {
  sco_error *error = NULL;
  sco_callback *parsed = NULL;
  /* The state is checked first: a callback from another session fails here. */
  sco_status status = sco_parse_callback(callback_url, state, &parsed, &error);
  if (status == SCO_ERR_ACCESS_DENIED) {
    printf("the user declined: %s\n", sco_error_message(error));
    sco_error_free(error);
    return 0;
  }
  if (status != SCO_OK) return report("callback", status, error);

  sco_client *client = NULL;
  status = sco_client_new(config, &client, &error);
  sco_token *token = NULL;
  if (status == SCO_OK) {
    status = sco_client_exchange_code(client, sco_callback_code(parsed), NULL, &token, &error);
  }
  if (status == SCO_OK) {
    printf("connected account %s (livemode: %s)\n", sco_token_stripe_user_id(token),
           sco_token_livemode(token) ? "true" : "false");
  } else if (sco_error_may_have_been_processed(error)) {
    /* The code is single use: never retry it, restart the authorization instead. */
    fprintf(stderr, "the code may have been spent: restart the authorization\n");
  }

  sco_token_free(token);
  sco_client_free(client);
  sco_callback_free(parsed);
  return status == SCO_OK ? 0 : report("code exchange", status, error);
}

int main(int argc, char **argv) {
  bool authorize_step = argc == 2 && strcmp(argv[1], "authorize") == 0;
  bool callback_step = argc == 4 && strcmp(argv[1], "callback") == 0;
  if (!authorize_step && !callback_step) {
    fprintf(stderr, "usage: %s authorize\n       %s callback CALLBACK_URL STATE\n", argv[0],
            argv[0]);
    return 2;
  }

  sco_config *config = config_from_environment();
  if (config == NULL) return 1;
  int exit_code = authorize_step ? authorize(config) : callback(config, argv[2], argv[3]);
  sco_config_free(config);
  return exit_code;
}
