#pragma once
// The layers of each log format under the reader: log_line_prefix detection for stderr and
// syslog (PrefixDetector), csvlog records (CsvRecordParser) and jsonlog objects (JsonScanner).
// Internal to postgres_log.cpp, which alone includes it: the anonymous namespace keeps the linkage
// the code had when it was one file, so GCC inlines the per-line paths as it did then.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/capture/postgres_log_prefix.hpp"

namespace dbvet::capture {
namespace {

using pglog::PrefixFields;
using pglog::Severity;

// ---------------------------------------------------------------------------------------------
// stderr (and the text inside syslog): prefix detection, then prefix + severity per line.

class PrefixDetector {
 public:
  explicit PrefixDetector(const std::vector<std::string>& texts) {
    for (const auto& t : texts) {
      auto p = pglog::LinePrefix::compile(t);
      if (p) candidates_.push_back({std::move(*p), 0, 0});
    }
  }
  void sample(std::string_view line) {
    PrefixFields f;
    Severity s = Severity::none;
    size_t m = 0;
    for (auto& c : candidates_) {
      if (c.prefix.match(line, f, s, m)) {
        ++c.hits;
        c.consumed += m - f.free_text;  // explained by literals and typed escapes
      }
    }
  }
  // The candidate with most hits, then the one that explains most of the lines (a prefix ending
  // in %q... also matches lines without its session part), then the simplest; nullopt when none.
  std::optional<pglog::LinePrefix> best() const {
    const Candidate* best = nullptr;
    for (const auto& c : candidates_) {
      if (c.hits == 0) continue;
      if (best == nullptr || c.hits > best->hits || (c.hits == best->hits && c.consumed > best->consumed) ||
          (c.hits == best->hits && c.consumed == best->consumed &&
           c.prefix.specificity() < best->prefix.specificity())) {
        best = &c;
      }
    }
    if (best == nullptr) return std::nullopt;
    return best->prefix;
  }

 private:
  struct Candidate {
    pglog::LinePrefix prefix;
    size_t hits = 0;
    size_t consumed = 0;
  };
  std::vector<Candidate> candidates_;
};

// ---------------------------------------------------------------------------------------------
// CSV (RFC 4180, quoted fields may span lines).

class CsvRecordParser {
 public:
  // Feeds a physical line; true when a record is complete (fields() then holds it).
  bool feed(std::string_view line) {
    if (!in_record_) {
      fields_count_ = 0;
      start_field();
      in_record_ = true;
      in_quotes_ = false;
    } else {
      current().push_back('\n');  // inside a quoted field
    }
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (in_quotes_) {
        if (c == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            current().push_back('"');
            ++i;
          } else {
            in_quotes_ = false;
          }
        } else {
          // copy a run up to the next quote at once
          const void* q = std::memchr(line.data() + i, '"', line.size() - i);
          size_t end = q == nullptr ? line.size() : static_cast<size_t>(static_cast<const char*>(q) - line.data());
          current().append(line.data() + i, end - i);
          i = end - 1;
        }
      } else if (c == ',') {
        start_field();
      } else if (c == '"') {
        in_quotes_ = true;
      } else {
        // copy a run up to the next separator or quote at once
        size_t end = i + 1;
        while (end < line.size() && line[end] != ',' && line[end] != '"') ++end;
        current().append(line.data() + i, end - i);
        i = end - 1;
      }
    }
    if (in_quotes_) return false;
    in_record_ = false;
    return true;
  }
  bool pending() const { return in_record_; }
  void reset() { in_record_ = false; }
  size_t size() const { return fields_count_; }
  const std::string& field(size_t i) const { return fields_[i]; }
  size_t record_bytes() const {
    size_t n = 0;
    for (size_t i = 0; i < fields_count_; ++i) n += fields_[i].size();
    return n;
  }

 private:
  std::string& current() { return fields_[fields_count_ - 1]; }
  void start_field() {
    if (fields_count_ == fields_.size()) fields_.emplace_back();
    fields_[fields_count_++].clear();
  }
  std::vector<std::string> fields_;
  size_t fields_count_ = 0;
  bool in_record_ = false;
  bool in_quotes_ = false;
};

// ---------------------------------------------------------------------------------------------
// JSON: a flat object (PG 15 jsonlog) or one with the record nested (CloudNativePG "record",
// Cloud Logging "jsonPayload"/"textPayload"). Hand-written scanner, only the keys we use.

class JsonScanner {
 public:
  struct Fields {
    std::string timestamp, user, database, pid, host, severity, message, detail, text_payload, sqlstate, query_id;
  };

  bool parse(std::string_view s, Fields& out) {
    s_ = s;
    i_ = 0;
    skip_ws();
    return object(out, 0);
  }

 private:
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) ++i_;
  }
  bool string(std::string* out) {
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    ++i_;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c == '\\') {
        if (i_ + 1 >= s_.size()) return false;
        char n = s_[i_ + 1];
        i_ += 2;
        if (out == nullptr) {
          if (n == 'u') i_ += 4;
          continue;
        }
        switch (n) {
          case 'n':
            out->push_back('\n');
            break;
          case 't':
            out->push_back('\t');
            break;
          case 'r':
            out->push_back('\r');
            break;
          case 'b':
            out->push_back('\b');
            break;
          case 'f':
            out->push_back('\f');
            break;
          case 'u': {
            if (i_ + 4 > s_.size()) return false;
            unsigned cp = 0;
            auto [p, ec] = std::from_chars(s_.data() + i_, s_.data() + i_ + 4, cp, 16);
            if (ec != std::errc{} || p != s_.data() + i_ + 4) return false;
            i_ += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && i_ + 6 <= s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
              unsigned lo = 0;
              std::from_chars(s_.data() + i_ + 2, s_.data() + i_ + 6, lo, 16);
              if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i_ += 6;
              }
            }
            append_utf8(*out, cp);
            break;
          }
          default:
            out->push_back(n);
            break;
        }
        continue;
      }
      size_t start = i_;
      while (i_ < s_.size() && s_[i_] != '"' && s_[i_] != '\\') ++i_;
      if (out != nullptr) out->append(s_.data() + start, i_ - start);
    }
    return false;
  }
  static void append_utf8(std::string& o, unsigned cp) {
    if (cp < 0x80) {
      o.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      o.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      o.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      o.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      o.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      o.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      o.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      o.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      o.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      o.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  // A scalar (number, true, false, null) as text.
  bool scalar(std::string* out) {
    size_t start = i_;
    while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}' && s_[i_] != ']' && s_[i_] != ' ') ++i_;
    if (i_ == start) return false;
    if (out != nullptr) {
      std::string_view v = s_.substr(start, i_ - start);
      if (v != "null") out->assign(v);
    }
    return true;
  }
  bool value(std::string* out, Fields& f, int depth) {
    skip_ws();
    if (i_ >= s_.size()) return false;
    char c = s_[i_];
    if (c == '"') return string(out);
    if (c == '{') return object(f, depth + 1);
    if (c == '[') {
      ++i_;
      skip_ws();
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return true;
      }
      while (true) {
        Fields ignored;
        if (!value(nullptr, ignored, depth + 1)) return false;
        auto again = more(']');
        if (!again) return false;
        if (!*again) return true;
      }
    }
    return scalar(out);
  }
  // After a member: ',' (true, more follow), the closing bracket (false), else nullopt.
  std::optional<bool> more(char close) {
    skip_ws();
    if (i_ < s_.size() && (s_[i_] == ',' || s_[i_] == close)) return s_[i_++] == ',';
    return std::nullopt;
  }
  std::string* slot(std::string_view key, Fields& f) {
    if (key == "timestamp" || key == "log_time") return &f.timestamp;
    if (key == "user" || key == "user_name") return &f.user;
    if (key == "dbname" || key == "database_name") return &f.database;
    if (key == "pid" || key == "process_id") return &f.pid;
    if (key == "remote_host" || key == "connection_from") return &f.host;
    if (key == "error_severity") return &f.severity;
    if (key == "message") return &f.message;
    if (key == "detail") return &f.detail;
    if (key == "state_code") return &f.sqlstate;  // jsonlog's SQLSTATE (%e, csvlog's sql_state_code)
    if (key == "textPayload") return &f.text_payload;
    if (key == "query_id") return &f.query_id;  // PostgreSQL 15's jsonlog, CloudNativePG's record
    return nullptr;
  }
  bool object(Fields& f, int depth) {
    if (depth > 8 || i_ >= s_.size() || s_[i_] != '{') return false;
    ++i_;
    skip_ws();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return true;
    }
    while (true) {
      skip_ws();
      key_.clear();
      if (!string(&key_)) return false;
      skip_ws();
      if (i_ >= s_.size() || s_[i_] != ':') return false;
      ++i_;
      std::string* out = slot(key_, f);
      // Outer wrappers also have "timestamp"/"message": values of the nested record win, so
      // only fill a slot that is still empty.
      if (out != nullptr && !out->empty()) out = nullptr;
      if (!value(out, f, depth)) return false;
      auto again = more('}');
      if (!again) return false;
      if (!*again) return true;
    }
  }

  std::string_view s_;
  size_t i_ = 0;
  std::string key_;
};

}  // namespace
}  // namespace dbvet::capture
