#include "analyzer/report/html_report.hpp"

#include "analyzer/core/version.hpp"
#include "analyzer/report/html_assets.hpp"
#include "analyzer/util/escape.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

// A "</script" inside an embedded file would end its element early.
std::string safe_script(std::string_view code) {
  std::string out(code);
  size_t pos = 0;
  while ((pos = out.find("</script", pos)) != std::string::npos) {
    out.replace(pos, 2, "<\\/");
    pos += 3;
  }
  return out;
}

}  // namespace

std::string json_for_script(const nlohmann::json& value) {
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  // Outside strings JSON has no '<', '>' or '&', so replacing them everywhere keeps it valid.
  for (char c : text) {
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else
      out += c;
  }
  return out;
}

std::string render_html_report(const std::vector<nlohmann::json>& documents, const std::string& title) {
  nlohmann::json data = {{"title", title}, {"dbvet_version", core::kVersion}, {"documents", documents}};
  std::string html;
  html.reserve(assets::chart_js().size() + 64 * 1024);
  html += "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // Nothing on this page may reach the network.
  html +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
      "style-src 'unsafe-inline'; img-src data:\">\n";
  html += fmt::format("<meta name=\"generator\" content=\"dbvet {}, Chart.js {}\">\n", core::kVersion,
                      assets::chart_js_version());
  html += fmt::format("<title>{}</title>\n<style>\n{}</style>\n</head>\n", util::escape_markup(title),
                      assets::report_css());
  html += "<body data-charts-rendered=\"0\">\n<header>\n";
  html += fmt::format("<h1>{}</h1>\n<div class=\"meta\"><span id=\"sources\"></span> &middot; dbvet {}</div>\n",
                      util::escape_markup(title), util::escape_markup(core::kVersion));
  html += "</header>\n<main id=\"app\"><noscript>This report needs JavaScript to render.</noscript></main>\n";
  html += "<script type=\"application/json\" id=\"dbvet-data\">" + json_for_script(data) + "</script>\n";
  html += "<script>\n" + safe_script(assets::chart_js()) + "\n</script>\n";
  html += "<script>\n" + safe_script(assets::report_js()) + "\n</script>\n";
  html += "</body>\n</html>\n";
  return html;
}

}  // namespace dbvet::report
