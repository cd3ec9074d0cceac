#pragma once
// What schema rules share.

#include <string>
#include <vector>

#include "analyzer/model/schema.hpp"

namespace dbvet::rules::schema_support {

std::string lower(std::string text);
std::string join(const std::vector<std::string>& items);
// Same access method (empty counts as btree), same predicate, same INCLUDE list.
bool same_kind(const model::Index& a, const model::Index& b);
// The key (columns + directions) of `a` is a leading prefix of `b`'s (or equal when `allow_equal`).
bool key_is_prefix(const model::Index& a, const model::Index& b, bool allow_equal);
std::string method_of(const model::Index& index);

}  // namespace dbvet::rules::schema_support
