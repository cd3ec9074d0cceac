// The explicit list of every engine's description (not static initialisers, which a static link
// may drop), and the lookups core/ and model/ declare over it: URL schemes, engine names, rule
// dialects. Adding an engine adds one line here and one in engines/registry.cpp.

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/description.hpp"
#include "analyzer/model/dialect.hpp"

namespace dbvet::engines {

namespace postgres {
const EngineDescription& description();
}
namespace mysql {
const EngineDescription& description();
}
namespace sqlite {
const EngineDescription& description();
}
namespace redis {
const EngineDescription& description();
}

std::span<const EngineDescription* const> descriptions() {
  static const std::array<const EngineDescription*, 4> all{&postgres::description(), &mysql::description(),
                                                           &sqlite::description(), &redis::description()};
  return all;
}

const EngineDescription& description(core::Engine engine) {
  for (const auto* d : descriptions()) {
    if (d->engine == engine) return *d;
  }
  return *descriptions().front();  // unreachable: every enumerator has a description
}

}  // namespace dbvet::engines

namespace dbvet::core {

std::string_view engine_name(Engine engine) {
  for (const auto* d : engines::descriptions()) {
    if (d->engine == engine) return d->name;
  }
  return "unknown";
}

std::optional<SchemeInfo> find_scheme(std::string_view scheme) {
  for (const auto* d : engines::descriptions()) {
    if (std::find(d->schemes.begin(), d->schemes.end(), scheme) != d->schemes.end()) return d->url;
  }
  return std::nullopt;
}

const SchemeInfo& scheme_info(Engine engine) { return engines::description(engine).url; }

std::optional<Engine> engine_of_bare_path(std::string_view text) {
  for (const auto* d : engines::descriptions()) {
    for (auto suffix : d->file_suffixes) {
      bool whole = suffix.find('.') == std::string_view::npos;  // ":memory:" is the whole name
      if (whole ? text == suffix : text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix)
        return d->engine;
    }
  }
  return std::nullopt;
}

namespace {

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

}  // namespace

std::string expected_targets_text() {
  std::vector<std::string> words;
  std::vector<std::string> suffixes;
  for (bool file : {false, true}) {  // URLs with a host first, then the file engines
    for (const auto* d : engines::descriptions()) {
      if (d->url.file_path != file) continue;
      for (size_t i = 0; i < d->shown_schemes && i < d->schemes.size(); ++i) {
        words.push_back(std::string(d->schemes[i]) + (file ? ":PATH" : "://"));
      }
      for (auto suffix : d->file_suffixes) {
        if (suffix.find('.') != std::string_view::npos) suffixes.emplace_back(suffix);
      }
    }
  }
  if (!suffixes.empty()) words.push_back("a file ending in " + join_words(suffixes));
  return join_words(words);
}

std::string expected_schemes_text() {
  std::vector<std::string> words;
  for (const auto* d : engines::descriptions()) {
    for (size_t i = 0; i < d->shown_schemes && i < d->schemes.size(); ++i) words.emplace_back(d->schemes[i]);
  }
  return join_words(words);
}

}  // namespace dbvet::core

namespace dbvet::model {

const Dialect& generic_dialect() {
  static const Dialect generic{};
  return generic;
}

const Dialect& dialect_named(std::string_view name) {
  for (const auto* d : engines::descriptions()) {
    for (const auto* dialect : d->dialects) {
      if (dialect->name == name) return *dialect;
    }
  }
  return generic_dialect();
}

}  // namespace dbvet::model
