#include "analyzer/engines/sandbox_names.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <filesystem>

#include "analyzer/engines/connection.hpp"
#include "fmt/format.h"

namespace dbvet::engines {
namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Reads digits of `base` (10 or 36, lower case) up to the next '_' (required); advances `text` past it.
std::optional<int64_t> take_number(std::string_view& text, int base) {
  size_t end = text.find('_');
  if (end == 0 || end == std::string_view::npos || end > 12) return std::nullopt;
  int64_t value = 0;
  for (char c : text.substr(0, end)) {
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : 99;
    if (digit >= base) return std::nullopt;
    value = value * base + digit;
  }
  text.remove_prefix(end + 1);
  return value;
}

std::string base36(int64_t value) {
  std::string digits;
  do {
    digits.insert(digits.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[value % 36]);
    value /= 36;
  } while (value > 0);
  return digits;
}

bool process_alive(long pid) { return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM); }

SandboxEntry make_entry(std::string name, SandboxName parsed) {
  SandboxEntry entry{std::move(name), std::move(parsed)};
  entry.this_host = entry.parsed.host == sandbox_host_id();
  entry.owner_alive = entry.this_host && process_alive(entry.parsed.pid);
  return entry;
}

core::Expected<std::unique_ptr<Connection>> session_for(const core::TargetUrl& target, bool writes) {
  ConnectOptions options;
  options.allow_writes = writes;
  options.statement_timeout = std::chrono::minutes(10);
  return connect(target, options);
}

}  // namespace

std::string sandbox_host_id() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  uint32_t hash = 2166136261u;  // FNV-1a
  for (const char* c = host; *c; ++c) hash = (hash ^ static_cast<unsigned char>(*c)) * 16777619u;
  return fmt::format("{:06x}", hash & 0xffffff);
}

std::string make_sandbox_name(long pid, int64_t created, const std::string& host, const std::string& tag,
                              const std::string& database) {
  std::string name = fmt::format("{}{}_{}_{}_", kSandboxPrefix, pid, base36(std::max<int64_t>(created, 0)), host);
  for (char c : tag) name += is_word_char(c) && c != '_' ? c : 'x';
  if (database.empty()) return name;
  // The end of the database's name: where names made from one another differ (app_test_1234).
  std::string tail;
  for (char c : database) tail += is_word_char(c) ? c : '_';
  size_t room = name.size() + 1 < 63 ? 63 - name.size() - 1 : 0;
  if (tail.size() > room) tail.erase(0, tail.size() - room);
  return tail.empty() ? name : name + '_' + tail;
}

std::optional<SandboxName> parse_sandbox_name(std::string_view name) {
  if (name.substr(0, kSandboxPrefix.size()) != kSandboxPrefix) return std::nullopt;
  for (char c : name) {
    if (!is_word_char(c)) return std::nullopt;
  }
  std::string_view rest = name.substr(kSandboxPrefix.size());
  SandboxName parsed;
  auto pid = take_number(rest, 10);
  if (!pid) return std::nullopt;
  auto created = take_number(rest, 36);
  if (!created) return std::nullopt;
  if (rest.size() < 8 || rest[6] != '_') return std::nullopt;
  for (char c : rest.substr(0, 6)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  parsed.pid = static_cast<long>(*pid);
  parsed.created = *created;
  parsed.host = std::string(rest.substr(0, 6));
  rest.remove_prefix(7);
  size_t tag_end = rest.find('_');
  parsed.tag = std::string(rest.substr(0, tag_end));
  if (parsed.tag.empty()) return std::nullopt;
  if (tag_end != std::string_view::npos) parsed.database = std::string(rest.substr(tag_end + 1));
  return parsed;
}

core::Expected<std::vector<SandboxEntry>> list_sandboxes(const core::TargetUrl& target) {
  std::vector<SandboxEntry> entries;
  switch (target.engine) {
    case core::Engine::sqlite: {
      namespace fs = std::filesystem;
      fs::path original(target.path);
      fs::path directory = original.parent_path().empty() ? fs::path(".") : original.parent_path();
      std::string lead = original.filename().string() + ".";
      std::error_code error;
      for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
        std::string file = it->path().filename().string();
        if (file.compare(0, lead.size(), lead) != 0) continue;
        auto parsed = parse_sandbox_name(std::string_view(file).substr(lead.size()));
        // "-journal", "-wal", "-shm" do not parse ('-'): they go with their database.
        if (parsed) entries.push_back(make_entry((directory / file).string(), std::move(*parsed)));
      }
      if (error) {
        return core::make_error(core::ErrorKind::input,
                                fmt::format("cannot list {}: {}", directory.string(), error.message()));
      }
      break;
    }
    case core::Engine::postgres:
    case core::Engine::mysql: {
      auto session = session_for(target, false);
      if (!session) return session.error();
      std::string sql = target.engine == core::Engine::postgres
                            ? "SELECT datname FROM pg_database WHERE left(datname, 14) = 'dbvet_sandbox_'"
                            : "SELECT schema_name FROM information_schema.schemata WHERE "
                              "LEFT(schema_name, 14) = 'dbvet_sandbox_'";
      auto rows = (*session)->execute(sql);
      if (!rows) return rows.error();
      for (const auto& row : rows->rows) {
        if (row.empty() || !row[0]) continue;
        if (auto parsed = parse_sandbox_name(*row[0])) entries.push_back(make_entry(*row[0], std::move(*parsed)));
      }
      break;
    }
    case core::Engine::redis:
      return core::make_error(core::ErrorKind::unsupported, "a Redis target has no sandboxes");
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return entries;
}

core::Status drop_sandbox(const core::TargetUrl& target, const SandboxEntry& entry) {
  std::string name = target.engine == core::Engine::sqlite
                         ? std::filesystem::path(entry.name).extension().string()  // ".dbvet_sandbox_..."
                         : entry.name;
  if (!name.empty() && name[0] == '.') name.erase(0, 1);
  if (!parse_sandbox_name(name) || !entry.orphaned()) {
    return core::make_error(core::ErrorKind::usage,
                            fmt::format("{} is not a sandbox of a dbvet process that has ended", entry.name));
  }
  if (target.engine == core::Engine::sqlite) {
    std::error_code error;
    for (const char* extra : {"-journal", "-wal", "-shm", ""}) {
      std::filesystem::remove(entry.name + extra, error);
      if (error) {
        return core::make_error(core::ErrorKind::input,
                                fmt::format("cannot remove {}{}: {}", entry.name, extra, error.message()));
      }
    }
    return core::ok();
  }
  auto session = session_for(target, true);
  if (!session) return session.error();
  // The name is [A-Za-z0-9_] only (parse_sandbox_name): quoting it cannot go wrong.
  if (target.engine == core::Engine::postgres) {
    return (*session)->execute_script(fmt::format("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", entry.name));
  }
  return (*session)->execute_script(fmt::format("DROP DATABASE IF EXISTS `{}`", entry.name));
}

}  // namespace dbvet::engines
