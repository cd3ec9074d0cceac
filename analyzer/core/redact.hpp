#pragma once
// Passwords out of free text, for every URL that enters a result or a message.

#include <string>
#include <string_view>

namespace dbvet::core {

// Free text that may hold URLs (a bench variant's spec, a message echoing what the user typed), with
// every password in it replaced by "***": the one of `scheme://user:PASSWORD@host` and a
// `password=` query parameter. Works on text that does not parse as a target (TargetUrl::redacted()
// needs one), so that nothing a result or a message carries has to be a valid URL to be safe.
std::string redact_url(std::string_view text);

}  // namespace dbvet::core
