#include "analyzer/model/plan.hpp"

namespace dbvet::model {

std::string access_type_name(AccessType type) {
  switch (type) {
    case AccessType::none: return "none";
    case AccessType::full_scan: return "full_scan";
    case AccessType::index_scan: return "index_scan";
    case AccessType::index_only_scan: return "index_only_scan";
    case AccessType::index_full_scan: return "index_full_scan";
    case AccessType::bitmap_scan: return "bitmap_scan";
    case AccessType::lookup: return "lookup";
    case AccessType::other: return "other";
  }
  return "other";
}

}  // namespace dbvet::model
