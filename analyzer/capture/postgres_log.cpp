#include "analyzer/capture/postgres_log.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <optional>
#include <unordered_map>
#include <vector>

#include "analyzer/capture/postgres_log_events.hpp"
#include "analyzer/capture/postgres_log_formats.hpp"
#include "analyzer/capture/postgres_log_prefix.hpp"
#include "analyzer/capture/postgres_log_record.hpp"

namespace dbvet::capture {
namespace {

using pglog::PrefixFields;
using pglog::Severity;

constexpr uint64_t kSweepEvery = 1 << 14;
constexpr uint64_t kIdleLines = 1 << 16;

// ---------------------------------------------------------------------------------------------

class Reader final : public PostgresLogReader {
 public:
  Reader(const PostgresLogOptions& o, EventSink sink, std::optional<pglog::LinePrefix> prefix)
      : format_(o.format), prefix_(std::move(prefix)), builder_(std::move(sink), o.server_sink, stats_) {
    fixed_prefix_ = prefix_.has_value();
  }

  PgLogFormat format() const override { return format_; }
  std::string log_line_prefix() const override { return prefix_ ? prefix_->text() : std::string(); }
  const ReadStats& stats() const override { return stats_; }

  void feed_line(std::string_view line, uint64_t offset) override {
    read_line(line, offset);
    keep_open_record();
  }

  void feed_block(std::string_view block, uint64_t offset) override {
    struct Lines {
      Reader& reader;
      void feed_line(std::string_view line, uint64_t offset) { reader.read_line(line, offset); }
    } lines{*this};
    feed_lines(lines, block, offset);
    keep_open_record();
  }

  void finish() override {
    if (needs_prefix() && !prefix_) decide_prefix();
    if (csv_.pending()) {
      stats_.skip(csv_offset_, "a closing quote of a csvlog field before the end of input");
      csv_.reset();
    }
    if (json_depth_ > 0) {
      stats_.skip(pending_json_offset_, "the end of a JSON object before the end of input");
      json_depth_ = 0;
    }
    complete(current_);
    for (auto& [pid, r] : syslog_open_) complete(r);
    syslog_open_.clear();
    builder_.flush_all();
  }

 private:
  void read_line(std::string_view line, uint64_t offset) {
    stats_.bytes += line.size() + 1;
    ++line_no_;
    if (line_no_ % kSweepEvery == 0) {
      complete_stale_syslog_records();
      builder_.sweep(line_no_, kIdleLines);
    }
    if (format_ == PgLogFormat::auto_detect) {
      if (line.empty()) return;
      format_ = detect_format(line);
    }
    if (needs_prefix() && !prefix_) {
      buffer_for_detection(line, offset);
      return;
    }
    dispatch(line, offset);
  }

  // The caller's line goes away after feed_line or feed_block: the record still open keeps a
  // copy of its message.
  void keep_open_record() {
    if (current_.open) current_.own_message();
  }

  bool needs_prefix() const { return format_ == PgLogFormat::stderr_log || format_ == PgLogFormat::syslog; }

 public:  // line shapes, shared with format detection and -j splitting
  static PgLogFormat detect_format(std::string_view line) {
    if (line.front() == '{' || line == "[" || line == "[{" || line == "[ {") return PgLogFormat::json;
    size_t hdr = 0;
    std::string_view pidv;
    if (syslog_header(line, hdr, pidv)) return PgLogFormat::syslog;
    int64_t t = 0;
    size_t n = pglog::parse_timestamp(line, t);
    if (n > 0 && n < line.size() && line[n] == ',') return PgLogFormat::csv;
    if (is_csv_header(line)) return PgLogFormat::csv;
    return PgLogFormat::stderr_log;
  }

  // The column names a csvlog exported with a header row starts with (COPY ... CSV HEADER from a
  // file_fdw/log_fdw table, a cloud console's export): the server itself never writes one.
  static bool is_csv_header(std::string_view line) {
    return starts_with(line, "log_time,") && line.find(",error_severity,") != std::string_view::npos;
  }

  // "Mon DD HH:MM:SS host ident[pid]: " or "ISO-TIMESTAMP host ident[pid]: "; sets the end of the
  // header and the pid. Logplex: "ISO app[postgres.123]: ".
  static bool syslog_header(std::string_view line, size_t& end, std::string_view& pid) {
    size_t i = 0;
    int64_t t = 0;
    if (line.size() > 16 && line[3] == ' ' && line[6] == ' ' && line[9] == ':' && line[12] == ':' && line[0] >= 'A' &&
        line[0] <= 'Z') {
      i = 15;
    } else if (size_t n = pglog::parse_timestamp(line, t, true); n > 0 && line.size() > 10 && line[10] == 'T') {
      i = n;
    } else {
      return false;
    }
    if (i >= line.size() || line[i] != ' ') return false;
    ++i;
    // "host ident[pid]: " (the host is absent in logplex's "app[postgres.N]: ")
    size_t colon = line.find("]: ", i);
    if (colon == std::string_view::npos) return false;
    ++colon;
    size_t bracket = line.rfind('[', colon);
    if (bracket == std::string_view::npos || bracket < i) return false;
    size_t space = line.find(' ', i);
    if (space < bracket && line.find(' ', space + 1) < bracket) return false;  // at most "host ident"
    pid = line.substr(bracket + 1, colon - 1 - bracket - 1);
    size_t dot = pid.rfind('.');
    if (dot != std::string_view::npos) pid = pid.substr(dot + 1);
    end = colon + 2;
    return true;
  }

  // [N-M] after the syslog header (logplex puts a "[COLOR] " before it).
  static bool syslog_sequence(std::string_view line, size_t& pos, uint64_t& n, uint64_t& m) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (pos >= line.size() || line[pos] != '[') return false;
      size_t i = pos + 1, b = i;
      while (i < line.size() && is_digit(line[i])) ++i;
      if (i > b && i < line.size() && line[i] == '-') {
        n = to_u64(line.substr(b, i - b));
        size_t c = ++i;
        while (i < line.size() && is_digit(line[i])) ++i;
        if (i > c && i < line.size() && line[i] == ']') {
          m = to_u64(line.substr(c, i - c));
          pos = i + 1;
          if (pos < line.size() && line[pos] == ' ') ++pos;
          return true;
        }
        return false;
      }
      size_t close = line.find("] ", pos);
      if (close == std::string_view::npos) return false;
      pos = close + 2;
    }
    return false;
  }

 private:
  // Text a prefix is matched against: the whole line (stderr) or what follows [N-1] (syslog).
  std::optional<std::string_view> detection_text(std::string_view line) const {
    if (format_ == PgLogFormat::stderr_log) return line;
    size_t hdr = 0;
    std::string_view pid;
    if (!syslog_header(line, hdr, pid)) return std::nullopt;
    uint64_t n = 0, m = 0;
    if (!syslog_sequence(line, hdr, n, m) || m != 1) return std::nullopt;
    return line.substr(hdr);
  }

  void buffer_for_detection(std::string_view line, uint64_t offset) {
    pending_lines_.emplace_back(std::string(line), offset);
    pending_bytes_ += line.size();
    auto text = detection_text(line);
    Severity s = Severity::none;
    size_t m = 0;
    if (text && pglog::find_severity(*text, s, m) != std::string_view::npos) ++pending_records_;
    if (pending_records_ >= 200 || pending_lines_.size() >= 20000 || pending_bytes_ >= (size_t{8} << 20)) {
      decide_prefix();
    }
  }

  void decide_prefix() {
    PrefixDetector detector(pglog::common_prefixes());
    for (const auto& [text, off] : pending_lines_) {
      if (auto t = detection_text(text)) detector.sample(*t);
    }
    prefix_ = detector.best();
    if (!prefix_) {
      // Unknown prefix: everything before the severity is the prefix, fields are guessed.
      auto empty = pglog::LinePrefix::compile("");
      guess_ = true;
      prefix_ = std::move(*empty);
    }
    auto lines = std::move(pending_lines_);
    pending_lines_.clear();
    for (const auto& [text, off] : lines) dispatch(text, off);
    keep_open_record();  // its message may be in `lines`
  }

  // text by reference: a copy of the caller's line made here was a 16-byte load of two 8-byte
  // stores (a store-forwarding stall on every line).
  bool match_prefix(const std::string_view& text, PrefixFields& f, Severity& s, size_t& msg) {
    if (!guess_) return prefix_->match(text, f, s, msg);
    f = PrefixFields{};
    size_t at = pglog::find_severity(text, s, msg);
    if (at == std::string_view::npos) return false;
    pglog::guess_fields(text.substr(0, at), f);
    return true;
  }

  void dispatch(std::string_view line, uint64_t offset) {
    switch (format_) {
      case PgLogFormat::stderr_log:
        stderr_line(line, offset);
        break;
      case PgLogFormat::syslog:
        syslog_line(line, offset);
        break;
      case PgLogFormat::csv:
        csv_line(line, offset);
        break;
      case PgLogFormat::json:
        json_line(line, offset);
        break;
      case PgLogFormat::auto_detect:
        break;
    }
  }

  void complete(Record& r) {
    if (!r.open) return;
    r.open = false;
    if (r.too_long) {
      r.too_long = false;
      stats_.skip(r.offset, kRecordTooLong);
      return;
    }
    builder_.on_record(r, line_no_);
  }

  void stderr_line(std::string_view line, uint64_t offset) {
    PrefixFields& f = line_fields_;  // emptied by the match: not constructed per line as well
    Severity s = Severity::none;
    size_t msg = 0;
    if (!line.empty() && line.front() != '\t' && match_prefix(line, f, s, msg)) {
      complete(current_);
      start_record(current_, f, s, line.substr(msg), offset);
      return;
    }
    if (current_.open) {
      append_continuation(current_, line);
      return;
    }
    if (!line.empty()) stats_.skip(offset, "a log line starting with log_line_prefix '" + prefix_->text() + "'");
  }

  void start_record(Record& r, const PrefixFields& f, Severity s, std::string_view message, uint64_t offset) {
    r.set_fields(f);
    r.severity = s;
    r.borrow_message(message);
    r.detail.clear();
    r.inline_detail = false;
    r.offset = offset;
    r.last_line = line_no_;
    r.open = true;
    r.too_long = false;
  }

  static void append_continuation(Record& r, std::string_view line) {
    if (r.too_long || r.message().size() + line.size() >= kMaxRecordBytes) {
      r.too_long = true;
      return;
    }
    std::string& message = r.own_message();
    message.push_back('\n');
    if (!line.empty() && line.front() == '\t') line.remove_prefix(1);
    message.append(line);
  }

  void syslog_line(std::string_view line, uint64_t offset) {
    size_t pos = 0;
    std::string_view pidv;
    uint64_t n = 0, m = 0;
    if (!syslog_header(line, pos, pidv)) {
      if (!line.empty()) stats_.skip(offset, "a syslog line 'Mon DD HH:MM:SS host postgres[pid]: [N-M] ...'");
      return;
    }
    if (!syslog_sequence(line, pos, n, m)) return;  // another program's line
    uint64_t pid = to_u64(pidv);
    std::string_view text = line.substr(pos);
    Record& r = syslog_open_[pid];
    if (m > 1) {
      if (!r.open) {
        stats_.skip(offset, "the first line [N-1] of a syslog message before its continuation");
        return;
      }
      // PostgreSQL splits a message at newlines (the next part starts with the tab it adds, "#011"
      // once escaped by syslog) and long lines into pieces (joined as they are).
      if (starts_with(text, "#011")) {
        r.own_message().push_back('\n');
        text.remove_prefix(4);
      }
      append_unescaped(r.own_message(), text);
      r.last_line = line_no_;
      return;
    }
    complete(r);
    PrefixFields f;
    Severity s = Severity::none;
    size_t msg = 0;
    if (!match_prefix(text, f, s, msg)) {
      stats_.skip(offset, "a syslog message starting with log_line_prefix '" + prefix_->text() + "'");
      return;
    }
    start_record(r, f, s, {}, offset);
    append_unescaped(r.own_message(), text.substr(msg));
    if (f.pid.empty()) r.pid = pid;
    if (!r.timestamp) r.timestamp = syslog_time(line);
  }

  static void append_unescaped(std::string& out, std::string_view text) {
    size_t at;
    while ((at = text.find("#011")) != std::string_view::npos) {
      out.append(text.substr(0, at));
      out.push_back('\t');
      text.remove_prefix(at + 4);
    }
    out.append(text);
  }

  std::optional<int64_t> syslog_time(std::string_view line) const {
    int64_t t = 0;
    if (pglog::parse_timestamp(line, t) > 0) return t;
    static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
    size_t mon = kMonths.find(line.substr(0, 3));
    if (mon == std::string_view::npos || mon % 3 != 0) return std::nullopt;
    // No year in BSD syslog: this year, like pgBadger.
    char buf[64];
    std::string_view day = line.substr(4, 2);
    int d = (day[0] == ' ' ? 0 : (day[0] - '0') * 10) + (day[1] - '0');
    std::snprintf(buf, sizeof buf, "%04d-%02zu-%02d %.8s", current_year(), mon / 3 + 1, d, line.data() + 7);
    if (pglog::parse_timestamp(buf, t, false) > 0) return t;
    return std::nullopt;
  }

  static int current_year() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return tm.tm_year + 1900;
  }

  void complete_stale_syslog_records() {
    for (auto it = syslog_open_.begin(); it != syslog_open_.end();) {
      Record& r = it->second;
      if (r.open && line_no_ - r.last_line > kSweepEvery) complete(r);
      if (!r.open && line_no_ - r.last_line > kIdleLines) {
        it = syslog_open_.erase(it);
      } else {
        ++it;
      }
    }
  }

  void csv_line(std::string_view line, uint64_t offset) {
    if (!csv_.pending()) {
      csv_offset_ = offset;
      if (line.empty()) return;
    }
    if (!csv_.feed(line)) {
      if (csv_.record_bytes() > (size_t{64} << 20)) {
        stats_.skip(csv_offset_, "a csvlog record shorter than 64 MiB (unbalanced quotes?)");
        csv_.reset();
      }
      return;
    }
    // log_time, user, db, pid, connection_from, session_id, line_num, command_tag, session_start,
    // vxid, xid, severity, sqlstate, message, detail, ...
    if (csv_.size() >= 14 && csv_.field(0) == "log_time" && csv_.field(11) == "error_severity") return;  // header
    if (csv_.size() < 14) {
      stats_.skip(csv_offset_, "a csvlog record of at least 14 columns");
      return;
    }
    int64_t t = 0;
    if (pglog::parse_timestamp(csv_.field(0), t) == 0) {
      stats_.skip(csv_offset_, "a csvlog record starting with its log_time");
      return;
    }
    Record& r = current_;
    r.timestamp = t;
    assign_if_changed(r.user, csv_.field(1));
    assign_if_changed(r.database, csv_.field(2));
    r.pid = to_u64(csv_.field(3));
    std::string_view from = csv_.field(4);
    assign_if_changed(r.host,
                      from.substr(0, from.rfind(':') == std::string_view::npos ? from.size() : from.rfind(':')));
    size_t msg = 0;
    sev_text_.assign(csv_.field(11));
    sev_text_ += ":  ";
    r.severity = pglog::parse_severity(sev_text_, 0, msg);
    r.set_message(csv_.field(13));
    r.detail = csv_.size() > 14 ? csv_.field(14) : std::string();
    // What server events need (postgres_server_events.hpp), only on the records that are no
    // statement: an error's state code, the statement that made a temporary file.
    r.sqlstate.clear();
    r.inline_statement.clear();
    if (r.severity != Severity::log) {
      r.sqlstate.assign(csv_.field(12));
    } else if (csv_.size() > 19 && starts_with(r.message(), "temporary file: ")) {
      r.inline_statement.assign(csv_.field(19));
    }
    r.query_id = csv_.size() > 25 ? to_i64(csv_.field(25)) : 0;  // PostgreSQL 14+ (after leader_pid)
    r.inline_detail = true;
    r.offset = csv_offset_;
    r.open = true;
    complete(r);
  }

  // gcloud logging read --format=json (Cloud SQL's documented export) writes an array of
  // indented objects: when the input starts with "[" or "{" alone on its line, objects are put
  // together from their lines; else each line is one object, as jsonlog writes them.
  void json_line(std::string_view line, uint64_t offset) {
    if (line.empty()) return;
    if (!json_layout_known_) {
      json_layout_known_ = true;
      std::string_view t = trim(line);
      pretty_json_ = t == "[" || t == "{" || (t.front() == '[' && t.size() > 1 && trim(t.substr(1)) == "{");
    }
    if (!pretty_json_) {
      json_object(line, offset);
      return;
    }
    size_t from = 0;  // start of the part of the line inside an object
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (json_depth_ == 0) {  // between objects: '[', ',', ']' and spaces
        if (c != '{') continue;
        pending_json_.clear();
        pending_json_offset_ = offset;
        from = i;
        json_in_string_ = false;
      }
      if (json_in_string_) {
        if (c == '\\') {
          ++i;
        } else if (c == '"') {
          json_in_string_ = false;
        }
        continue;
      }
      if (c == '"') {
        json_in_string_ = true;
      } else if (c == '{' || c == '[') {
        ++json_depth_;
      } else if ((c == '}' || c == ']') && --json_depth_ == 0) {
        pending_json_.append(line.substr(from, i + 1 - from));
        if (pending_json_.size() <= kMaxRecordBytes) {
          json_object(pending_json_, pending_json_offset_);
        } else {
          stats_.skip(pending_json_offset_, kRecordTooLong);
        }
        pending_json_.clear();
      }
    }
    if (json_depth_ > 0 && pending_json_.size() <= kMaxRecordBytes) {
      pending_json_.append(line.substr(from));
      pending_json_.push_back('\n');
    }
  }

  static std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
  }

  void json_object(std::string_view line, uint64_t offset) {
    JsonScanner::Fields f;
    if (!json_.parse(line, f)) {
      stats_.skip(offset, "a JSON object per line (jsonlog)");
      return;
    }
    if (!f.text_payload.empty() && f.message.empty()) {
      // Cloud Logging's textPayload holds a stderr line; Cloud SQL leaves its timestamp out
      // (the entry's own "timestamp" has it).
      json_text_line(f.text_payload, f.timestamp, offset);
      return;
    }
    if (f.message.empty() && f.severity.empty()) return;  // not a server log entry (e.g. operator logs)
    Record& r = current_;
    r.timestamp.reset();
    int64_t t = 0;
    if (pglog::parse_timestamp(f.timestamp, t) > 0) r.timestamp = t;
    r.user = std::move(f.user);
    r.database = std::move(f.database);
    r.pid = to_u64(f.pid);
    std::string_view from = f.host;
    r.host.assign(from.substr(0, from.rfind(':') == std::string_view::npos ? from.size() : from.rfind(':')));
    size_t msg = 0;
    f.severity += ":  ";
    r.severity = pglog::parse_severity(f.severity, 0, msg);
    r.set_message(std::move(f.message));
    r.detail = std::move(f.detail);
    r.sqlstate = std::move(f.sqlstate);
    r.query_id = f.query_id.empty() ? 0 : to_i64(f.query_id);
    r.inline_detail = true;
    r.offset = offset;
    r.open = true;
    complete(r);
  }

  void json_text_line(const std::string& text, std::string_view entry_time, uint64_t offset) {
    if (!text_prefix_) {
      PrefixDetector d(pglog::common_prefixes());
      d.sample(text);
      text_prefix_ = d.best();
      if (!text_prefix_) {
        stats_.skip(offset, "a textPayload starting with a known log_line_prefix");
        return;
      }
    }
    PrefixFields f;
    Severity s = Severity::none;
    size_t msg = 0;
    size_t nl = text.find('\n');
    std::string_view first = std::string_view(text).substr(0, nl);
    if (!text_prefix_->match(first, f, s, msg)) {
      stats_.skip(offset, "a textPayload starting with log_line_prefix '" + text_prefix_->text() + "'");
      return;
    }
    Record& r = current_;
    start_record(r, f, s, first.substr(msg), offset);
    if (!r.timestamp) {
      int64_t t = 0;
      if (pglog::parse_timestamp(entry_time, t) > 0) r.timestamp = t;
    }
    if (nl != std::string::npos) {
      std::string& message = r.own_message();
      message.push_back('\n');
      message.append(text, nl + 1);
    }
    complete(r);
  }

  PgLogFormat format_;
  std::optional<pglog::LinePrefix> prefix_;
  bool fixed_prefix_ = false;
  bool guess_ = false;
  ReadStats stats_;
  EventBuilder builder_;
  uint64_t line_no_ = 0;

  std::vector<std::pair<std::string, uint64_t>> pending_lines_;
  size_t pending_bytes_ = 0;
  size_t pending_records_ = 0;

  Record current_;
  PrefixFields line_fields_;
  std::unordered_map<uint64_t, Record> syslog_open_;
  CsvRecordParser csv_;
  uint64_t csv_offset_ = 0;
  std::string sev_text_;  // "LOG:  " from a csvlog record's error_severity
  JsonScanner json_;
  bool json_layout_known_ = false;
  bool pretty_json_ = false;  // objects over several lines (see json_line)
  int json_depth_ = 0;
  bool json_in_string_ = false;
  std::string pending_json_;
  uint64_t pending_json_offset_ = 0;
  std::optional<pglog::LinePrefix> text_prefix_;
};

}  // namespace

core::Expected<PgLogFormat> parse_pg_log_format(std::string_view name) {
  if (name == "auto") return PgLogFormat::auto_detect;
  if (name == "stderr") return PgLogFormat::stderr_log;
  if (name == "csv" || name == "csvlog") return PgLogFormat::csv;
  if (name == "json" || name == "jsonlog") return PgLogFormat::json;
  if (name == "syslog") return PgLogFormat::syslog;
  return core::make_error(core::ErrorKind::usage, "unknown PostgreSQL log format '" + std::string(name) +
                                                      "', expected auto, stderr, csvlog, jsonlog or syslog");
}

const char* pg_log_format_name(PgLogFormat format) {
  switch (format) {
    case PgLogFormat::auto_detect:
      return "auto";
    case PgLogFormat::stderr_log:
      return "stderr";
    case PgLogFormat::csv:
      return "csvlog";
    case PgLogFormat::json:
      return "jsonlog";
    case PgLogFormat::syslog:
      return "syslog";
  }
  return "auto";
}

core::Expected<std::unique_ptr<PostgresLogReader>> make_postgres_log_reader(const PostgresLogOptions& options,
                                                                            EventSink sink) {
  std::optional<pglog::LinePrefix> prefix;
  if (!options.log_line_prefix.empty()) {
    auto compiled = pglog::LinePrefix::compile(options.log_line_prefix);
    if (!compiled) return compiled.error();
    prefix = std::move(*compiled);
  }
  return std::unique_ptr<PostgresLogReader>(new Reader(options, std::move(sink), std::move(prefix)));
}

std::optional<PgLogFormat> detect_pg_log_format(std::string_view head) {
  bool first = true;
  while (!head.empty()) {
    size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (first) {
      first = false;
      // An indented JSON array or object (gcloud logging read --format=json) whose entries are
      // server log records: "[" or "{" alone on the first line, the keys further down.
      if (line == "[" || line == "{" || line == "[ {" || line == "[{") {
        if (head.find("\"textPayload\"") != std::string_view::npos ||
            head.find("\"error_severity\"") != std::string_view::npos) {
          return PgLogFormat::json;
        }
        continue;
      }
      PgLogFormat f = Reader::detect_format(line);
      if (f == PgLogFormat::json && line.find("\"message\"") == std::string_view::npos &&
          line.find("\"textPayload\"") == std::string_view::npos && line.find("\"record\"") == std::string_view::npos) {
        return std::nullopt;
      }
      if (f != PgLogFormat::stderr_log) return f;
    }
    Severity s = Severity::none;
    size_t msg = 0;
    if (line.front() != '\t' && pglog::find_severity(line, s, msg) != std::string_view::npos) {
      return PgLogFormat::stderr_log;
    }
  }
  return std::nullopt;
}

namespace {
// The message of a record's first line when it is a LOG, for split decisions (prefix unknown).
std::optional<std::string_view> log_message(PgLogFormat format, std::string_view line) {
  if (line.empty() || line.front() == '\t') return std::nullopt;
  if (format == PgLogFormat::syslog) {
    size_t pos = 0;
    std::string_view pid;
    uint64_t n = 0, m = 0;
    if (!Reader::syslog_header(line, pos, pid) || !Reader::syslog_sequence(line, pos, n, m) || m != 1) {
      return std::nullopt;
    }
    line = line.substr(pos);
  }
  Severity s = Severity::none;
  size_t msg = 0;
  if (pglog::find_severity(line, s, msg) == std::string_view::npos) return std::nullopt;
  if (s != Severity::log) return std::string_view();
  return line.substr(msg);
}
}  // namespace

bool is_pg_split_point(PgLogFormat format, std::string_view previous_line, std::string_view line) {
  switch (format) {
    case PgLogFormat::json:
      return !line.empty() && line.front() == '{' && !previous_line.empty() && previous_line.back() == '}';
    case PgLogFormat::csv: {
      int64_t t = 0;
      size_t n = pglog::parse_timestamp(line, t);
      return n > 0 && n < line.size() && line[n] == ',' &&
             line.find(",LOG,00000,\"duration: ") != std::string_view::npos && !previous_line.empty() &&
             previous_line.back() != ',';
    }
    case PgLogFormat::stderr_log:
    case PgLogFormat::syslog: {
      auto here = log_message(format, line);
      if (!here || !starts_with(*here, "duration: ")) return false;
      if (here->find(" ms  statement: ") == std::string_view::npos &&
          here->find(" ms  execute ") == std::string_view::npos) {
        return false;
      }
      // The previous record must be complete in itself: a one-line record that does not wait
      // for a duration (statement:/execute without one) nor for its statement (plan:).
      auto before = log_message(format, previous_line);
      if (!before) return false;
      return !starts_with(*before, "statement: ") && !starts_with(*before, "execute ") &&
             before->find(" ms  plan:") == std::string_view::npos;
    }
    case PgLogFormat::auto_detect:
      break;
  }
  return false;
}

bool substitute_parameters(std::string_view sql, std::string_view params, std::string& out) {
  // Parse "$1 = 'a''b', $2 = NULL, $3 = '7'" into values (kept with their quotes).
  std::vector<std::string_view> values;
  size_t i = 0;
  while (i < params.size()) {
    while (i < params.size() && (params[i] == ' ' || params[i] == ',')) ++i;
    if (i >= params.size()) break;
    if (params[i] != '$') return false;
    size_t b = ++i;
    while (i < params.size() && is_digit(params[i])) ++i;
    if (i == b) return false;
    size_t index = to_u64(params.substr(b, i - b));
    if (params.compare(i, 3, " = ") != 0) return false;
    i += 3;
    size_t vb = i;
    if (i < params.size() && params[i] == '\'') {
      ++i;
      while (i < params.size()) {
        if (params[i] == '\'') {
          if (i + 1 < params.size() && params[i + 1] == '\'') {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      if (i >= params.size()) return false;
      ++i;
    } else {
      while (i < params.size() && params[i] != ',') ++i;
    }
    if (index == 0 || index > 65535) return false;
    if (values.size() < index) values.resize(index);
    values[index - 1] = params.substr(vb, i - vb);
  }
  out.clear();
  out.reserve(sql.size() + params.size());
  for (size_t k = 0; k < sql.size(); ++k) {
    char c = sql[k];
    if (c == '\'') {  // copy a string literal untouched
      size_t e = k + 1;
      while (e < sql.size() && sql[e] != '\'') ++e;
      out.append(sql.substr(k, e - k + 1));
      k = e;
      continue;
    }
    if (c == '$' && k + 1 < sql.size() && is_digit(sql[k + 1]) &&
        (k == 0 || !std::isalnum(static_cast<unsigned char>(sql[k - 1])))) {
      size_t e = k + 1;
      while (e < sql.size() && is_digit(sql[e])) ++e;
      size_t index = to_u64(sql.substr(k + 1, e - k - 1));
      if (index >= 1 && index <= values.size() && !values[index - 1].empty()) {
        out.append(values[index - 1]);
        k = e - 1;
        continue;
      }
    }
    out.push_back(c);
  }
  return true;
}

}  // namespace dbvet::capture
