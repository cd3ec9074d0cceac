#pragma once
// Plans for people (a tree like psql's and PEV2's) and for programs (the whole node as JSON).

#include <string>

#include "analyzer/model/plan.hpp"
#include "analyzer/report/renderers.hpp"
#include "nlohmann/json_fwd.hpp"

namespace dbvet::report {

nlohmann::json plan_to_json(const model::Plan& plan);
nlohmann::json plan_node_to_json(const model::PlanNode& node);

struct PlanTextOptions {
  bool color = false;
  bool show_raw = false;
};

// One line per node: operation, relation and index, then the numbers that matter, children indented
// under "->" as psql does.
std::string render_plan_text(const model::Plan& plan, const PlanTextOptions& options = {});

// `dbvet explain`'s document (kind "explain": the target and each statement's plan or error) as
// the same trees, from the JSON.
std::string render_explain_text(const nlohmann::json& doc, const RenderOptions& options);
std::string render_explain_md(const nlohmann::json& doc, const RenderOptions& options);

}  // namespace dbvet::report
