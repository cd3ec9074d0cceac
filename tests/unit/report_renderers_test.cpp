// The renderer table: one row per (format, kind), every format read from the canonical JSON, and
// the --format choices of a command come from its rows.
#include <gtest/gtest.h>

#include <set>

#include "analyzer/report/renderers.hpp"
#include "nlohmann/json.hpp"

namespace dbvet::report {
namespace {

using nlohmann::json;

TEST(RendererTable, OneRowPerFormatAndKind) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const auto& row : renderer_table()) {
    EXPECT_TRUE(seen.insert({row.format, row.kind}).second) << row.format << " " << row.kind;
    EXPECT_NE(row.render, nullptr);
  }
}

TEST(RendererTable, EveryKindWithAJsonFormHasItRenderedAsIs) {
  std::set<std::string_view> kinds;
  for (const auto& row : renderer_table()) kinds.insert(row.kind);
  for (auto kind : kinds) {
    if (kind == "report") continue;  // a page of many results, never a result of its own
    auto formats = formats_for(kind);
    EXPECT_NE(std::find(formats.begin(), formats.end(), "json"), formats.end()) << kind;
  }
}

TEST(RendererTable, FormatsComeInTableOrder) {
  EXPECT_EQ(formats_for("digest"), (std::vector<std::string>{"text", "json", "md", "html"}));
  EXPECT_EQ(formats_for("health"),
            (std::vector<std::string>{"text", "json", "md", "prom", "html", "sarif", "junit", "github", "gitlab"}));
  EXPECT_TRUE(formats_for("no-such-kind").empty());
}

TEST(RendererTable, UnknownFormatIsAUsageErrorListingTheChoices) {
  auto status = check_format("sandbox", "md");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind, core::ErrorKind::usage);
  EXPECT_EQ(status.error().message, "--format md is not available here; choose one of: text, json");
}

TEST(RendererTable, RendersByTheDocumentsKind) {
  json doc = {{"dbvet_version", "0"},
              {"kind", "sandbox"},
              {"target", "sqlite:x.db"},
              {"action", "list"},
              {"sandboxes", json::array()}};
  auto text = render(doc, "text");
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "no dbvet sandboxes on sqlite:x.db\n");
  auto as_json = render(doc, "json");
  ASSERT_TRUE(as_json);
  EXPECT_EQ(json::parse(*as_json), doc);
  EXPECT_FALSE(render(json{{"kind", "unknown"}}, "text"));
}

TEST(RendererTable, HtmlTitleDefaultsToTheKind) {
  json doc = {{"kind", "rules"}, {"rules", json::array()}};
  auto page = render(doc, "html");
  EXPECT_FALSE(page);  // rules have no HTML row
  json digest = {{"kind", "digest"}, {"classes", json::array()}};
  auto html = render(digest, "html");
  ASSERT_TRUE(html);
  EXPECT_NE(html->find("<title>dbvet digest</title>"), std::string::npos);
  RenderOptions options;
  options.title = "dbvet capture";
  html = render(digest, "html", options);
  ASSERT_TRUE(html);
  EXPECT_NE(html->find("<title>dbvet capture</title>"), std::string::npos);
}

}  // namespace
}  // namespace dbvet::report
