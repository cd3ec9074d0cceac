// explain's text and Markdown are rendered from its JSON document: for every real plan in
// samples/plans/, the tree read back from plan_to_json is the tree render_plan_text draws from the
// plan itself (colors and --raw included).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analyzer/engines/mysql/mysql_explain.hpp"
#include "analyzer/engines/postgres/explain_postgres_json.hpp"
#include "analyzer/report/plan_render.hpp"
#include "nlohmann/json.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

json explain_doc(const std::vector<model::Plan>& plans) {
  json doc = {{"kind", "explain"}, {"statements", json::array()}};
  for (size_t i = 0; i < plans.size(); ++i)
    doc["statements"].push_back({{"sql", "SELECT " + std::to_string(i)}, {"plan", plan_to_json(plans[i])}});
  return doc;
}

TEST(ExplainRender, EverySamplePlanDrawsTheSameTreeFromItsJson) {
  size_t checked = 0;
  for (const char* engine : {"postgres", "mariadb", "mysql"}) {
    for (const auto& entry : fs::directory_iterator(testing::source_dir() / "samples/plans" / engine)) {
      if (entry.path().extension() != ".json") continue;
      std::string text = slurp(entry.path());
      auto plan = std::string(engine) == "postgres" ? engines::postgres::parse_postgres_explain_json(text)
                                                    : engines::mysql::parse_mysql_explain_json(text);
      if (!plan) continue;  // some samples are other documents than a plan
      for (bool color : {false, true}) {
        for (bool raw : {false, true}) {
          RenderOptions options;
          options.color = color;
          options.raw = raw;
          EXPECT_EQ(render_explain_text(explain_doc({*plan}), options), render_plan_text(*plan, {color, raw}))
              << entry.path() << " color=" << color << " raw=" << raw;
        }
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 10u);
}

TEST(ExplainRender, SeveralStatementsAndMarkdown) {
  auto plan = engines::postgres::parse_postgres_explain_json(
      slurp(testing::source_dir() / "samples/plans/postgres/bitmap_scan.json"));
  ASSERT_TRUE(plan) << plan.error().message;
  auto doc = explain_doc({*plan, *plan});
  doc["statements"].push_back({{"sql", "SELECT broken"}, {"error", "syntax error"}});
  std::string tree = render_plan_text(*plan);
  EXPECT_EQ(render_explain_text(doc, {}), "-- SELECT 0\n" + tree + "\n-- SELECT 1\n" + tree + "\n");
  EXPECT_EQ(render_explain_md(explain_doc({*plan}), {}), "### `SELECT 0`\n\n```\n" + tree + "```\n");
}

}  // namespace
}  // namespace dbvet::report
