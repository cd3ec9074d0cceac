#pragma once
// What schema rules share.

#include <string>
#include <vector>

#include "analyzer/model/schema.hpp"

namespace dbvet::rules::schema_support {

std::string lower(std::string text);
std::string join(const std::vector<std::string>& items);

}  // namespace dbvet::rules::schema_support
