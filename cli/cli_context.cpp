#include "cli/cli_context.hpp"

#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "fmt/format.h"

namespace dbvet::cli {

core::Status CommandContext::require_format(const std::vector<std::string>& supported) const {
  if (std::find(supported.begin(), supported.end(), options_.format) != supported.end()) return core::ok();
  std::string list;
  for (const auto& format : supported) list += (list.empty() ? "" : ", ") + format;
  return core::make_error(core::ErrorKind::usage,
                          fmt::format("--format {} is not available here; choose one of: {}", options_.format, list));
}

core::Expected<std::ostream*> CommandContext::out() {
  if (options_.output_path.empty() || options_.output_path == "-") return &std::cout;
  if (!file_) {
    file_ = std::make_unique<std::ofstream>(options_.output_path, std::ios::binary | std::ios::trunc);
    if (!*file_) {
      file_.reset();
      return core::make_error(core::ErrorKind::input, fmt::format("cannot write {}", options_.output_path));
    }
  }
  return file_.get();
}

bool CommandContext::use_color() const {
  if (options_.color == "always") return true;
  if (options_.color == "never") return false;
  return options_.output_path.empty() && ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

bool CommandContext::show_progress() const { return !options_.no_progress && ::isatty(STDERR_FILENO); }

int CommandContext::fail(const core::Error& error) const {
  std::cerr << "dbvet: " << error.message << '\n';
  return error.exit_code();
}

}  // namespace dbvet::cli
