// libFuzzer target for target URLs (postgresql://, mysql://, sqlite:, redis://, bare paths): the
// parser, percent-decoding and the redacted form, which must never show a password.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "analyzer/core/target_url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)dbvet::core::percent_decode(text);
  auto url = dbvet::core::parse_target_url(text);
  if (!url) return 0;
  (void)dbvet::core::engine_name(url->engine);
  const std::string shown = url->redacted();
  // A password of a few characters could occur elsewhere in the URL by chance; a long one may not.
  if (url->password && url->password->size() >= 12 && shown.find(*url->password) != std::string::npos &&
      url->user.find(*url->password) == std::string::npos && url->host.find(*url->password) == std::string::npos &&
      url->database.find(*url->password) == std::string::npos && url->path.find(*url->password) == std::string::npos) {
    bool in_params = false;
    for (const auto& [key, value] : url->params) {
      in_params =
          in_params || key.find(*url->password) != std::string::npos || value.find(*url->password) != std::string::npos;
    }
    if (!in_params) std::abort();  // the redacted URL shows the password
  }
  return 0;
}
