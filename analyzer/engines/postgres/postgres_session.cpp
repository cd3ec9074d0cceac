#include "analyzer/engines/postgres/postgres_session.hpp"

#include <algorithm>
#include <cctype>

namespace dbvet::engines::postgres {
namespace {

// libpq's conninfo quoting: single quotes around the value, backslash before ' and \.
std::string quote_value(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

void add(std::string& conninfo, const std::string& key, const std::string& value) {
  if (!conninfo.empty()) conninfo += ' ';
  conninfo += key + "=" + quote_value(value);
}

}  // namespace

std::string build_conninfo(const core::TargetUrl& url, const ConnectOptions& options) {
  std::string conninfo;
  if (!url.host.empty()) add(conninfo, "host", url.host);
  if (url.port) add(conninfo, "port", std::to_string(*url.port));
  if (!url.database.empty()) add(conninfo, "dbname", url.database);
  if (!url.user.empty()) add(conninfo, "user", url.user);
  if (url.password) add(conninfo, "password", *url.password);
  auto timeout_s = (options.connect_timeout.count() + 999) / 1000;
  if (!url.params.count("connect_timeout")) {
    add(conninfo, "connect_timeout", std::to_string(std::max<int64_t>(timeout_s, 1)));
  }
  if (!url.params.count("application_name")) add(conninfo, "application_name", "dbvet");

  // Session settings travel in the startup packet, so no statement runs before they hold.
  std::string session;
  if (!options.allow_writes) session += "-c default_transaction_read_only=on ";
  session += "-c statement_timeout=" + std::to_string(options.statement_timeout.count());
  for (const auto& [key, value] : url.params) {
    if (key == "options") {
      session = value + " " + session;
    } else if (key != "password") {
      add(conninfo, key, value);
    }
  }
  add(conninfo, "options", session);
  return conninfo;
}

std::string one_line(const std::string& message, const core::TargetUrl& url) {
  std::string out;
  std::string line;
  auto flush = [&] {
    auto begin = line.find_first_not_of(" \t\r");
    auto end = line.find_last_not_of(" \t\r");
    if (begin != std::string::npos) {
      if (!out.empty()) out += "; ";
      out += line.substr(begin, end - begin + 1);
    }
    line.clear();
  };
  for (char c : message) {
    if (c == '\n') {
      flush();
    } else {
      line += c == '\t' ? ' ' : c;
    }
  }
  flush();
  std::string collapsed;
  for (char c : out) {
    if (c == ' ' && !collapsed.empty() && collapsed.back() == ' ') continue;
    collapsed += c;
  }
  if (url.password && !url.password->empty()) {
    for (auto at = collapsed.find(*url.password); at != std::string::npos; at = collapsed.find(*url.password, at)) {
      collapsed.replace(at, url.password->size(), "***");
      at += 3;
    }
  }
  return collapsed;
}

}  // namespace dbvet::engines::postgres
