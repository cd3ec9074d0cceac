// The HTML report: self-contained (embedded Chart.js, no external reference), data escaped.
#include <gtest/gtest.h>

#include <regex>

#include "analyzer/report/html_assets.hpp"
#include "analyzer/report/html_report.hpp"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

TEST(HtmlReport, EmbedsEverythingAndEscapesData) {
  nlohmann::json doc = {
      {"kind", "health"},
      {"started_at", "2026-01-01T00:00:00Z"},
      {"targets", {{{"name", "</script><script>alert(1)</script>"}, {"findings", nlohmann::json::array()}}}}};
  std::string html = render_html_report({doc}, "Pets & <friends>");
  EXPECT_NE(html.find("<title>Pets &amp; &lt;friends&gt;</title>"), std::string::npos);
  EXPECT_EQ(html.find("</script><script>alert(1)"), std::string::npos);
  EXPECT_NE(html.find("\\u003c/script\\u003e"), std::string::npos);
  EXPECT_GT(assets::chart_js().size(), 100000u);
  EXPECT_NE(html.find(std::string(assets::chart_js().substr(0, 200))), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  // Nothing is loaded from elsewhere.
  EXPECT_FALSE(std::regex_search(html, std::regex("<(script|link|img)[^>]+(src|href)=")));
  EXPECT_EQ(html.find("sourceMappingURL"), std::string::npos);
}

TEST(HtmlReport, JsonForScriptStaysValidJson) {
  nlohmann::json value = {{"a", "<b>&</b>"}, {"n", 1}};
  auto text = json_for_script(value);
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(text), value);
}

}  // namespace
}  // namespace dbvet::report
