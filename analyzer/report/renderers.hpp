#pragma once
// The renderer table: (format, kind) -> renderer, one row per pair in renderers.def (the Clang
// static analyzer's Analyses.def layout). Every command produces one result document, its
// canonical JSON (docs/json/<kind>.md); every format is rendered from that document through this
// table, and the formats a command accepts are the table's rows for its kind. A new format is one
// function and one row per kind it serves.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::report {

struct RenderOptions {
  bool color = false;  // ANSI colors (text on a terminal)
  std::string title;   // the HTML page's title; empty: "dbvet <kind>"
  bool raw = false;    // explain --raw: each plan node also as the engine gave it
  // Rule id -> one-line summary, from the rule registry (which report/ may not include): the
  // SARIF rule descriptions. A rule missing here is described by its id.
  std::map<std::string, std::string, std::less<>> rule_summaries;
};

using RenderFunction = std::string (*)(const nlohmann::json& doc, const RenderOptions& options);

struct Renderer {
  std::string_view format;
  std::string_view kind;
  RenderFunction render;
};

// Every row, in the order of renderers.def.
const std::vector<Renderer>& renderer_table();

// The formats `kind` renders, in table order ("text" first where it exists).
std::vector<std::string> formats_for(std::string_view kind);

// A usage error naming the formats of `kind` when `format` is not one of them.
core::Status check_format(std::string_view kind, std::string_view format);

// Renders `doc` (whose "kind" picks the rows) in `format`.
core::Expected<std::string> render(const nlohmann::json& doc, std::string_view format,
                                   const RenderOptions& options = {});

}  // namespace dbvet::report
