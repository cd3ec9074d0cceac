#include "analyzer/report/renderers.hpp"

#include <algorithm>

#include "analyzer/core/json_envelope.hpp"
#include "analyzer/report/audit_render.hpp"
#include "analyzer/report/check_render.hpp"
#include "analyzer/report/checklist_render.hpp"
#include "analyzer/report/ci_render.hpp"
#include "analyzer/report/compare_render.hpp"
#include "analyzer/report/digest_render.hpp"
#include "analyzer/report/health_render.hpp"
#include "analyzer/report/html_report.hpp"
#include "analyzer/report/lint_render.hpp"
#include "analyzer/report/listing_render.hpp"
#include "analyzer/report/plan_render.hpp"
#include "analyzer/report/prometheus.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

using nlohmann::json;

std::string render_json(const json& doc, const RenderOptions&) { return core::json_text(doc, 2) + "\n"; }

std::string title_of(const json& doc, const RenderOptions& options) {
  return options.title.empty() ? "dbvet " + doc.value("kind", std::string("report")) : options.title;
}

std::string render_html(const json& doc, const RenderOptions& options) {
  return render_html_report({doc}, title_of(doc, options));
}

std::string render_report_html(const json& doc, const RenderOptions& options) {
  return render_html_report(doc.at("documents").get<std::vector<json>>(), title_of(doc, options));
}

std::string render_digest_text(const json& doc, const RenderOptions&) { return report::render_digest_text(doc); }
std::string render_digest_md(const json& doc, const RenderOptions&) { return report::render_digest_markdown(doc); }
std::string render_health_text(const json& doc, const RenderOptions& options) {
  return report::render_health_text(doc, options.color);
}
std::string render_check_text(const json& doc, const RenderOptions&) { return report::render_check_text(doc); }
std::string render_check_md(const json& doc, const RenderOptions&) { return report::render_check_markdown(doc); }
std::string render_check_junit(const json& doc, const RenderOptions&) { return report::render_check_junit(doc); }
std::string render_health_md(const json& doc, const RenderOptions&) { return report::render_health_markdown(doc); }
std::string render_health_prometheus(const json& doc, const RenderOptions& options) {
  return render_prometheus(doc, options);
}

}  // namespace

const std::vector<Renderer>& renderer_table() {
  static const std::vector<Renderer> table{
#define DBVET_RENDERER(format, kind, function) Renderer{format, kind, &function},
#include "analyzer/report/renderers.def"
#undef DBVET_RENDERER
  };
  return table;
}

std::vector<std::string> formats_for(std::string_view kind) {
  std::vector<std::string> formats;
  for (const auto& row : renderer_table()) {
    if (row.kind == kind) formats.emplace_back(row.format);
  }
  return formats;
}

core::Status check_format(std::string_view kind, std::string_view format) {
  for (const auto& row : renderer_table()) {
    if (row.kind == kind && row.format == format) return core::ok();
  }
  std::string list;
  for (const auto& name : formats_for(kind)) list += (list.empty() ? "" : ", ") + name;
  return core::make_error(core::ErrorKind::usage,
                          fmt::format("--format {} is not available here; choose one of: {}", format, list));
}

core::Expected<std::string> render(const json& doc, std::string_view format, const RenderOptions& options) {
  const std::string kind = doc.is_object() ? doc.value("kind", std::string()) : std::string();
  if (auto status = check_format(kind, format); !status) return status.error();
  for (const auto& row : renderer_table()) {
    if (row.kind == kind && row.format == format) return row.render(doc, options);
  }
  return core::make_error(core::ErrorKind::internal, "no renderer");  // check_format found one
}

}  // namespace dbvet::report
