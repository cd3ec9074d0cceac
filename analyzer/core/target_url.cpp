#include "analyzer/core/target_url.hpp"

#include <cctype>
#include <charconv>

#include "fmt/format.h"

namespace dbvet::core {
namespace {

Error usage_error(std::string_view text, std::string_view what) {
  // The text may hold a password: only its scheme is echoed back.
  auto scheme_end = text.find(':');
  std::string shown =
      scheme_end == std::string_view::npos ? std::string("target") : std::string(text.substr(0, scheme_end));
  return make_error(ErrorKind::usage, fmt::format("invalid {} URL: {}", shown, what));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Expected<TargetUrl> parse_file_url(std::string_view text, std::string_view rest, std::string scheme, Engine engine) {
  TargetUrl url;
  url.engine = engine;
  url.scheme = std::move(scheme);
  // sqlite:path, sqlite://path, sqlite:///abs/path
  if (rest.substr(0, 2) == "//") rest.remove_prefix(2);
  auto query = rest.find('?');
  std::string_view path = rest.substr(0, query);
  if (path.empty()) {
    return usage_error(text, fmt::format("expected a file path after '{}:' (e.g. {}:pets.db)", url.scheme, url.scheme));
  }
  auto decoded = percent_decode(path);
  if (!decoded) return usage_error(text, "malformed %-escape in the path");
  url.path = *decoded;
  if (query != std::string_view::npos) {
    std::string_view qs = rest.substr(query + 1);
    while (!qs.empty()) {
      auto amp = qs.find('&');
      auto pair = qs.substr(0, amp);
      auto eq = pair.find('=');
      url.params[std::string(pair.substr(0, eq))] =
          eq == std::string_view::npos ? "" : std::string(pair.substr(eq + 1));
      if (amp == std::string_view::npos) break;
      qs.remove_prefix(amp + 1);
    }
  }
  return url;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int hi = hex_value(text[i + 1]);
    int lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

Expected<TargetUrl> parse_target_url(std::string_view text) {
  if (text.empty())
    return make_error(ErrorKind::usage, "empty target: expected a URL such as postgresql://user@host/db");
  auto colon = text.find(':');
  std::string_view scheme = colon == std::string_view::npos ? std::string_view{} : text.substr(0, colon);
  bool scheme_is_word =
      !scheme.empty() && scheme.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789+") == std::string_view::npos;
  if (!scheme_is_word || colon == std::string_view::npos) {
    if (auto engine = engine_of_bare_path(text)) {
      TargetUrl url;
      url.engine = *engine;
      url.scheme = std::string(engine_name(*engine));
      url.path = std::string(text);
      return url;
    }
    return make_error(ErrorKind::usage, "unrecognised target: expected " + expected_targets_text());
  }
  auto info = find_scheme(scheme);
  if (!info) {
    return make_error(ErrorKind::usage,
                      fmt::format("unsupported URL scheme '{}': expected {}", scheme, expected_schemes_text()));
  }
  std::string_view rest = text.substr(colon + 1);
  if (info->file_path) return parse_file_url(text, rest, std::string(scheme), info->engine);
  if (rest.substr(0, 2) != "//") return usage_error(text, "expected '//' after the scheme");
  rest.remove_prefix(2);

  TargetUrl url;
  url.engine = info->engine;
  url.scheme = std::string(scheme);

  auto query_start = rest.find('?');
  std::string_view query = query_start == std::string_view::npos ? std::string_view{} : rest.substr(query_start + 1);
  rest = rest.substr(0, query_start);
  auto path_start = rest.find('/');
  std::string_view authority = rest.substr(0, path_start);
  std::string_view path = path_start == std::string_view::npos ? std::string_view{} : rest.substr(path_start + 1);

  // The password may itself contain '@' when not escaped: the last '@' ends the user info.
  auto at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
    auto sep = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, sep));
    if (!user) return usage_error(text, "malformed %-escape in the user name");
    url.user = *user;
    if (sep != std::string_view::npos) {
      auto password = percent_decode(userinfo.substr(sep + 1));
      if (!password) return usage_error(text, "malformed %-escape in the password");
      url.password = *password;
    }
  }

  std::string_view host = authority;
  std::string_view port_text;
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    if (close == std::string_view::npos) return usage_error(text, "unterminated '[' in an IPv6 host");
    port_text = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!port_text.empty()) {
      if (port_text.front() != ':') return usage_error(text, "expected ':' and a port after ']'");
      port_text.remove_prefix(1);
    }
  } else {
    auto port_sep = host.rfind(':');
    if (port_sep != std::string_view::npos) {
      port_text = host.substr(port_sep + 1);
      host = host.substr(0, port_sep);
    }
  }
  url.host = std::string(host);
  if (!port_text.empty()) {
    int port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port < 1 || port > 65535) {
      return usage_error(text, fmt::format("port '{}' is not a number from 1 to 65535", port_text));
    }
    url.port = port;
  }
  auto database = percent_decode(path);
  if (!database) return usage_error(text, "malformed %-escape in the database name");
  url.database = *database;
  if (info->numeric_database && !url.database.empty() &&
      url.database.find_first_not_of("0123456789") != std::string::npos) {
    return usage_error(text, fmt::format("database '{}' is not a number", url.database));
  }

  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq));
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!key || !value) return usage_error(text, "malformed %-escape in the query string");
    if (*key == "password") {
      url.password = *value;
    } else if (!key->empty()) {
      url.params[*key] = *value;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return url;
}

std::string TargetUrl::redacted() const {
  if (scheme_info(engine).file_path) return std::string(engine_name(engine)) + ":" + path;
  std::string out = scheme + "://";
  if (!user.empty() || password) {
    out += user;
    if (password) out += ":***";
    out += '@';
  }
  // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict on `"[" + host + "]"`.
  bool bracketed = host.find(':') != std::string::npos;
  if (bracketed) out += '[';
  out += host;
  if (bracketed) out += ']';
  if (port) out += ":" + std::to_string(*port);
  if (!database.empty()) out += "/" + database;
  bool first = true;
  for (const auto& [key, value] : params) {
    out += first ? '?' : '&';
    first = false;
    // A password given as a parameter (`?password=`, `sslpassword=`, `auth=` for Redis) is as
    // secret as one given before the host.
    std::string lowered;
    for (char c : key) lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool secret = lowered.find("pass") != std::string::npos || lowered.find("secret") != std::string::npos ||
                  lowered.find("token") != std::string::npos || lowered == "auth" || lowered == "pwd";
    out += key + "=" + (secret ? std::string("***") : value);
  }
  return out;
}

}  // namespace dbvet::core
