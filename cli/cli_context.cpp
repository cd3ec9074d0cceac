#include "cli/cli_context.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>

#include "analyzer/report/renderers.hpp"
#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "rules/registry.hpp"

namespace dbvet::cli {
namespace {

// The temporary -o file of this process, for the signal handler below (a fixed buffer: the handler
// may only call async-signal-safe functions).
char g_temporary_path[4096];

// A signal that would end the process while the -o file is being written removes the temporary
// file first. Installed only where nothing else handles the signal: bench and audit --sandbox
// install their own, which unwinds the command and lets ~CommandContext remove it.
void remove_temporary_and_die(int signal) {
  if (g_temporary_path[0] != '\0') ::unlink(g_temporary_path);
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

void guard_temporary(const std::string& path) {
  if (path.size() >= sizeof g_temporary_path) return;
  std::memcpy(g_temporary_path, path.c_str(), path.size() + 1);
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction current {};
    if (sigaction(signal, nullptr, &current) != 0 || current.sa_handler != SIG_DFL) continue;
    struct sigaction action {};
    action.sa_handler = remove_temporary_and_die;
    sigemptyset(&action.sa_mask);
    sigaction(signal, &action, nullptr);
  }
}

std::string errno_text(int error) { return error == 0 ? "write failed" : std::strerror(error); }

// Why writing `fd` fails, when the stream that failed did not keep errno (iostreams drop it, and
// the first failed write may be long past): one more byte, on output that is already lost.
int probe_write_error(int fd) {
  errno = 0;
  return ::write(fd, "\n", 1) < 0 ? errno : 0;
}

// Where the temporary file goes and what is finally replaced: the file a symbolic link names (the
// link stays a link), or the path itself. Empty when the path is not a regular file to replace
// (a device such as /dev/stdout or /dev/full, a FIFO): those are written directly.
std::optional<std::filesystem::path> replaceable_path(const std::string& output) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path path(output);
  // /dev/stdout, /dev/fd/N and /proc/self/fd/N name an open descriptor, which may be a regular file
  // (`-o /dev/stdout >>log`): it is written where it stands, never replaced by a new file.
  std::string absolute = fs::absolute(path, error).lexically_normal().string();
  if (absolute.rfind("/dev/", 0) == 0 || absolute.rfind("/proc/", 0) == 0) return std::nullopt;
  auto status = fs::status(path, error);
  if (error || status.type() == fs::file_type::not_found) {
    if (fs::is_symlink(fs::symlink_status(path, error))) return fs::weakly_canonical(path, error);
    return path;
  }
  if (status.type() != fs::file_type::regular) return std::nullopt;
  if (fs::is_symlink(fs::symlink_status(path, error))) {
    auto target = fs::canonical(path, error);
    if (!error) return target;
  }
  return path;
}

}  // namespace

core::Status CommandContext::require_format(const std::vector<std::string>& supported) const {
  if (std::find(supported.begin(), supported.end(), options_.format) != supported.end()) return core::ok();
  std::string list;
  for (const auto& format : supported) list += (list.empty() ? "" : ", ") + format;
  return core::make_error(core::ErrorKind::usage,
                          fmt::format("--format {} is not available here; choose one of: {}", options_.format, list));
}

core::Status CommandContext::require_format_of(std::string_view kind) const {
  return report::check_format(kind, options_.format);
}

core::Status CommandContext::write_result(const nlohmann::json& doc, const std::string& title) {
  report::RenderOptions render_options;
  render_options.title = title;
  return write_result(doc, std::move(render_options));
}

core::Status CommandContext::write_result(const nlohmann::json& doc, report::RenderOptions render_options) {
  render_options.color = use_color();
  for (const auto* rule : rules::all_rules()) render_options.rule_summaries.emplace(rule->id(), rule->summary());
  auto text = report::render(doc, options_.format, render_options);
  if (!text) return text.error();
  auto stream = out();
  if (!stream) return stream.error();
  **stream << *text;
  return core::ok();
}

core::Expected<std::ostream*> CommandContext::out() {
  if (options_.output_path.empty() || options_.output_path == "-") return &std::cout;
  if (file_) return file_.get();
  const std::string& output = options_.output_path;
  auto replace = replaceable_path(output);
  if (!replace) {
    // Appending: truncating /dev/stdout would empty the file a shell opened with `>>`.
    file_ = std::make_unique<std::ofstream>(output, std::ios::binary | std::ios::app);
    if (!*file_) {
      int error = errno;
      file_.reset();
      return core::make_error(core::ErrorKind::input, fmt::format("cannot write {}: {}", output, errno_text(error)));
    }
    return file_.get();
  }
  // Same directory, so that the final rename() stays on one file system and is atomic.
  auto directory = replace->parent_path();
  std::string pattern = (directory.empty() ? std::filesystem::path(".") : directory) /
                        fmt::format(".{}.dbvet-{}-XXXXXX", replace->filename().string(), static_cast<long>(::getpid()));
  int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    int error = errno;
    return core::make_error(
        core::ErrorKind::input,
        fmt::format("cannot write {}: cannot create a temporary file in its directory: {}", output, errno_text(error)));
  }
  // mkstemp makes the file 0600; the result gets the mode the file had, or what a plain open gives.
  struct stat existing {};
  mode_t mode = 0;
  if (::stat(replace->c_str(), &existing) == 0) {
    mode = existing.st_mode & 07777;
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  ::fchmod(fd, mode);
  ::close(fd);
  temporary_path_ = pattern;
  guard_temporary(temporary_path_);
  file_ = std::make_unique<std::ofstream>(temporary_path_, std::ios::binary | std::ios::trunc);
  if (!*file_) {
    int error = errno;
    discard_temporary();
    return core::make_error(core::ErrorKind::input, fmt::format("cannot write {}: {}", output, errno_text(error)));
  }
  return file_.get();
}

int CommandContext::finish(int exit_code) {
  int result = exit_code;
  // Standard output first: cout's buffer, then stdio's under it (cout is synced with stdio).
  errno = 0;
  std::cout.flush();
  bool cout_failed = !std::cout;
  int cout_error = errno;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    cout_failed = true;
    if (cout_error == 0) cout_error = errno;
  }
  if (cout_failed && cout_error == 0) cout_error = probe_write_error(STDOUT_FILENO);
  if (cout_failed) {
    // A reader that went away (`dbvet ... | head`) is told nothing more: it stopped reading.
    // SIGPIPE is ignored (main), so this is where a closed pipe ends up: exit 3, quietly.
    if (cout_error != EPIPE) std::cerr << "dbvet: cannot write standard output: " << errno_text(cout_error) << '\n';
    result = kExitRuntime;
  }
  if (file_) {
    errno = 0;
    file_->flush();
    int error = errno;
    bool failed = !*file_;
    file_->close();
    if (!failed && !*file_) {
      failed = true;
      error = errno;
    }
    file_.reset();
    if (failed && error == 0) {
      std::string written = temporary_path_.empty() ? options_.output_path : temporary_path_;
      int fd = ::open(written.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
      if (fd >= 0) {
        error = probe_write_error(fd);
        ::close(fd);
      }
    }
    if (failed) {
      std::cerr << "dbvet: cannot write " << options_.output_path << ": " << errno_text(error) << '\n';
      result = kExitRuntime;
    }
    bool succeeded = !failed && (exit_code == kExitOk || exit_code == kExitGateFailed || keep_on_failure_);
    if (!temporary_path_.empty()) {
      if (!succeeded) {
        discard_temporary();
      } else {
        auto replace = replaceable_path(options_.output_path).value_or(options_.output_path);
        if (::rename(temporary_path_.c_str(), replace.c_str()) != 0) {
          int rename_error = errno;
          std::cerr << "dbvet: cannot write " << options_.output_path << ": " << errno_text(rename_error) << '\n';
          discard_temporary();
          result = kExitRuntime;
        } else {
          temporary_path_.clear();
          g_temporary_path[0] = '\0';
        }
      }
    }
  }
  return result;
}

void CommandContext::discard_temporary() {
  if (temporary_path_.empty()) return;
  file_.reset();
  ::unlink(temporary_path_.c_str());
  temporary_path_.clear();
  g_temporary_path[0] = '\0';
}

CommandContext::~CommandContext() { discard_temporary(); }

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
