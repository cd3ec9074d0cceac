#include "analyzer/push/pushgateway.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <type_traits>

#include "analyzer/client_libraries/lazy_library.hpp"
#include "fmt/format.h"

namespace dbvet::push {
namespace {

std::string base64url(std::string_view data) {
  static const char* const kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  while (i + 2 < data.size()) {
    unsigned v = (static_cast<unsigned char>(data[i]) << 16) | (static_cast<unsigned char>(data[i + 1]) << 8) |
                 static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
    i += 3;
  }
  if (i + 1 == data.size()) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == data.size()) {
    unsigned v = (static_cast<unsigned char>(data[i]) << 16) | (static_cast<unsigned char>(data[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

bool plain_path_segment(std::string_view value) {
  if (value.empty()) return false;
  for (char c : value) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return true;
}

std::string grouping_segment(std::string_view name, std::string_view value) {
  if (plain_path_segment(value)) return fmt::format("/{}/{}", name, value);
  // The gateway's base64 form also carries an empty value ("=" alone).
  return fmt::format("/{}@base64/{}", name, value.empty() ? "=" : base64url(value));
}

// The libcurl functions a push calls, looked up once in the library opened at the first push (only
// pushes need libcurl and the ~15 libraries it brings; see client_libraries/lazy_library.hpp).
// curl_easy_setopt and curl_easy_getinfo take variable arguments, which a forwarder cannot pass on,
// hence pointers called directly.
struct Curl {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_setopt) easy_setopt = nullptr;
  decltype(&curl_easy_perform) easy_perform = nullptr;
  decltype(&curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_easy_strerror) easy_strerror = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;
};

core::Expected<const Curl*> load_curl() {
  static const core::Expected<const Curl*> loaded = []() -> core::Expected<const Curl*> {
    auto& library = client_libraries::libcurl();
    if (auto status = library.load(); !status) return status.error();
    static Curl curl;
    bool complete = true;
    auto bind = [&](auto& function, const char* name) {
      function = reinterpret_cast<std::remove_reference_t<decltype(function)>>(library.find(name));
      complete = complete && function != nullptr;
    };
    bind(curl.global_init, "curl_global_init");
    bind(curl.easy_init, "curl_easy_init");
    bind(curl.easy_setopt, "curl_easy_setopt");
    bind(curl.easy_perform, "curl_easy_perform");
    bind(curl.easy_getinfo, "curl_easy_getinfo");
    bind(curl.easy_cleanup, "curl_easy_cleanup");
    bind(curl.easy_strerror, "curl_easy_strerror");
    bind(curl.slist_append, "curl_slist_append");
    bind(curl.slist_free_all, "curl_slist_free_all");
    if (!complete) return core::make_error(core::ErrorKind::unsupported, "the libcurl found lacks the easy interface");
    curl.global_init(CURL_GLOBAL_DEFAULT);
    return &curl;
  }();
  return loaded;
}

size_t collect_body(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() < 4096) body->append(data, std::min<size_t>(size * count, 4096 - body->size()));
  return size * count;
}

}  // namespace

std::string pushgateway_path(std::string_view job, std::string_view instance) {
  return "/metrics" + grouping_segment("job", job) + grouping_segment("instance", instance);
}

core::Status push_to_gateway(const std::string& base_url, const std::string& job, const std::string& instance,
                             const std::string& body, std::chrono::milliseconds timeout) {
  auto loaded = load_curl();
  if (!loaded) {
    return core::make_error(loaded.error().kind, "cannot push to the Pushgateway: " + loaded.error().message);
  }
  const Curl& api = **loaded;
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::string url = base + pushgateway_path(job, instance);

  CURL* curl = api.easy_init();
  if (curl == nullptr) return core::make_error(core::ErrorKind::internal, "cannot initialise libcurl");
  std::string response;
  curl_slist* headers = api.slist_append(nullptr, "Content-Type: text/plain; version=0.0.4; charset=utf-8");
  api.easy_setopt(curl, CURLOPT_URL, url.c_str());
  api.easy_setopt(curl, CURLOPT_CUSTOMREQUEST, "PUT");
  api.easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  api.easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  api.easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  api.easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  api.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect_body);
  api.easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  CURLcode code = api.easy_perform(curl);
  long status = 0;
  api.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  api.slist_free_all(headers);
  api.easy_cleanup(curl);
  // The URL may carry credentials (http://user:pass@host); name only the gateway's path.
  if (code != CURLE_OK) {
    return core::make_error(core::ErrorKind::connection,
                            fmt::format("push to the Pushgateway ({}) failed: {}", pushgateway_path(job, instance),
                                        api.easy_strerror(code)));
  }
  if (status < 200 || status >= 300) {
    while (!response.empty() && (response.back() == '\n' || response.back() == '\r')) response.pop_back();
    return core::make_error(core::ErrorKind::connection,
                            fmt::format("the Pushgateway refused the push to {} (HTTP {}): {}",
                                        pushgateway_path(job, instance), status, response));
  }
  return core::ok();
}

}  // namespace dbvet::push
