#pragma once
// A check of TOML text before toml++ sees it. Debian's toml++ 3.3 reaches __builtin_unreachable()
// (undefined behaviour, found by the config fuzz target) when it asks whether some non-ASCII
// characters are whitespace: U+00A1-U+0499 among them (Latin-1, Greek, Cyrillic). TOML allows
// non-ASCII text only in strings and comments, so such a character anywhere else is an error anyway;
// this says so with the line, instead of letting the parser look at it.

#include <string>
#include <string_view>

#include "analyzer/core/expected.hpp"

namespace dbvet::core {

// True when toml++ 3.3's is_non_ascii_horizontal_whitespace() has no defined answer for `c`.
bool toml_whitespace_check_is_undefined(char32_t c);

// A usage error naming `source` and the line when the text holds such a character outside a
// comment, a one-line string or a multi-line literal string (multi-line basic strings trim
// whitespace after a line-ending backslash, so they are checked too).
Status check_toml_text(std::string_view text, const std::string& source);

}  // namespace dbvet::core
