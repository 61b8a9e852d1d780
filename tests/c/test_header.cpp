// The header compiles as C++17 and the library works from C++: handles owned by
// std::unique_ptr with the library's _free functions as deleters.
#include "stripe_connect_oauth.h"

#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

namespace {

struct Deleter {
  void operator()(sco_config *config) const { sco_config_free(config); }
  void operator()(sco_authorize_params *params) const { sco_authorize_params_free(params); }
  void operator()(sco_callback *callback) const { sco_callback_free(callback); }
  void operator()(sco_error *error) const { sco_error_free(error); }
  void operator()(char *text) const { sco_string_free(text); }
};

template <typename T>
using owned = std::unique_ptr<T, Deleter>;

int failures = 0;

void check(bool ok, const char *description) {
  if (!ok) {
    std::fprintf(stderr, "  check failed: %s\n", description);
    failures++;
  }
}

void authorize_url_from_cpp() {
  sco_config *raw_config = nullptr;
  check(sco_config_new(&raw_config, nullptr) == SCO_OK, "sco_config_new");
  owned<sco_config> config(raw_config);
  check(sco_config_set_client_id(config.get(), "ca_PLACEHOLDER", nullptr) == SCO_OK,
        "sco_config_set_client_id");

  sco_authorize_params *raw_params = nullptr;
  check(sco_authorize_params_new(SCO_ACCOUNT_TYPE_STANDARD, &raw_params, nullptr) == SCO_OK,
        "sco_authorize_params_new");
  owned<sco_authorize_params> params(raw_params);
  check(sco_authorize_params_set_state(params.get(), "S1", nullptr) == SCO_OK, "set_state");

  char *raw_url = nullptr;
  check(sco_config_authorize_url(config.get(), params.get(), &raw_url, nullptr) == SCO_OK,
        "sco_config_authorize_url");
  owned<char> url(raw_url);
  check(url != nullptr && std::string(url.get()) ==
                              "https://connect.stripe.com/oauth/authorize?response_type=code"
                              "&client_id=ca_PLACEHOLDER&state=S1",
        "the authorize URL");
}

void errors_from_cpp() {
  sco_callback *raw_callback = nullptr;
  sco_error *raw_error = nullptr;
  sco_status status = sco_parse_callback("https://p.example/cb?code=ac_1&state=OTHER", "S1",
                                         &raw_callback, &raw_error);
  owned<sco_callback> callback(raw_callback);
  owned<sco_error> error(raw_error);
  check(status == SCO_ERR_STATE_MISMATCH, "a foreign state is a state mismatch");
  check(callback == nullptr, "no callback on failure");
  check(sco_error_status(error.get()) == SCO_ERR_STATE_MISMATCH, "the error's status");
  check(std::strcmp(sco_status_name(status), "state_mismatch") == 0, "the status name");
  check(std::strstr(sco_error_message(error.get()), "ac_1") == nullptr,
        "the message hides the code");
}

}  // namespace

int main() {
  authorize_url_from_cpp();
  errors_from_cpp();
  check(std::strlen(sco_version()) > 0, "sco_version");
  std::printf("%s - the header works from C++17\n", failures == 0 ? "ok" : "not ok");
  return failures == 0 ? 0 : 1;
}
