#pragma once
// The one escaping of text placed in HTML or XML (the HTML page, JUnit, any XML output): '&', '<',
// '>' and '"' as entities, so that the text is safe both in element content and in a double-quoted
// attribute.

#include <string>
#include <string_view>

namespace dbvet::util {

std::string escape_markup(std::string_view text);

// `text` as one POSIX shell word: bare when it holds only characters no shell interprets, else in
// single quotes (a quote inside as '\''), so that a command dbvet prints can be pasted as is.
std::string shell_quote(std::string_view text);

}  // namespace dbvet::util
