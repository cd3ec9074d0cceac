#include "analyzer/capture/mysql_slowlog.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <iterator>
#include <vector>

#include "analyzer/capture/mysql_slowlog_detail.hpp"
#include "analyzer/util/byte_scan.hpp"
#include "analyzer/util/parse.hpp"
#include "analyzer/util/time.hpp"

namespace dbvet::capture {

namespace {

using Props = detail::SlowLogProps;
using detail::Prop;

inline bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
inline bool is_word(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

// $slow_log_hd_line: the start-up banner the server writes at each (re)start.
bool is_banner_line(std::string_view line) {
  if (line.size() >= 9 && line[0] == 'T' && (line[1] == 'c' || line[1] == 'C') && (line[2] == 'p' || line[2] == 'P') &&
      is_space(line[3]) && (line[4] == 'p' || line[4] == 'P') && line.substr(5, 4) == "ort:") {
    size_t i = 9, spaces = 9;
    while (i < line.size() && is_space(line[i])) ++i;
    return i > spaces && i < line.size() && is_digit(line[i]);
  }
  if (!line.empty() && (line[0] == '/' || is_upper(line[0]))) {
    size_t at = line.find("mysqld,");
    if (at != std::string_view::npos && at + 8 < line.size() && is_space(line[at + 7]) &&
        line.substr(at + 8, 7) == "Version") {
      auto rest = line.substr(at + 15);
      if (rest.find("started with:") != std::string_view::npos ||
          rest.find("embedded library") != std::string_view::npos) {
        return true;
      }
    }
  }
  if (line.starts_with("Time")) {
    size_t i = 4, s = i;
    while (i < line.size() && is_space(line[i])) ++i;
    if (i == s || line.substr(i, 2) != "Id") return false;
    i += 2;
    s = i;
    while (i < line.size() && is_space(line[i])) ++i;
    return i > s && line.substr(i, 7) == "Command";
  }
  return false;
}

// Whether a line holds "mysqld,": its "d," pairs, sixteen commas at a time against the bytes
// before them (a search per comma showed in profiles: statements and SET lines start with
// capitals), the last sixteen overlapping those before.
[[gnu::noinline]] bool holds_mysqld_name(std::string_view line) {
  const char* p = line.data();
  const size_t n = line.size();
  auto is_mysqld = [p](size_t comma) { return util::same_bytes(p + comma - 6, "mysqld", 6); };
  size_t c = 6;  // a comma's place: "mysqld" before it
#if defined(__SSE2__)
  auto pairs = [p](size_t at) {
    const __m128i commas = util::simd::bytes_equal(util::simd::load16(p + at), ',');
    const __m128i ds = util::simd::bytes_equal(util::simd::load16(p + at - 1), 'd');
    return util::simd::mask(_mm_and_si128(commas, ds));
  };
  if (n >= c + 16) {
    for (; c + 16 <= n; c += 16) {
      for (unsigned m = pairs(c); m != 0; m &= m - 1) {
        if (is_mysqld(c + static_cast<size_t>(__builtin_ctz(m)))) return true;
      }
    }
    if (c < n) {
      for (unsigned m = pairs(n - 16); m != 0; m &= m - 1) {
        if (is_mysqld(n - 16 + static_cast<size_t>(__builtin_ctz(m)))) return true;
      }
    }
    return false;
  }
#endif
  for (; c < n; ++c) {
    if (p[c] == ',' && p[c - 1] == 'd' && is_mysqld(c)) return true;
  }
  return false;
}

// Whether a line may be a banner line (is_banner_line is the exact test): it starts with 'T', or
// with '/' or a capital and holds "mysqld,". The first byte inline: most lines are header lines.
inline bool may_be_banner_line(std::string_view line) {
  if (line.empty()) return false;
  const char first = line[0];
  if (first == 'T') return true;
  return (first == '/' || is_upper(first)) && holds_mysqld_name(line);
}

bool may_hold_banner_line(std::string_view raw) {
  size_t begin = 0;
  while (begin < raw.size()) {
    const size_t end =
        static_cast<size_t>(util::find_byte(raw.data() + begin, raw.data() + raw.size(), '\n') - raw.data());
    if (may_be_banner_line(raw.substr(begin, end - begin))) return true;
    begin = end + 1;
  }
  return false;
}

// Removes every banner line (with its newline), as s/$slow_log_hd_line//go does.
bool remove_banner_lines(std::string& stmt) {
  bool removed = false;
  size_t begin = 0, kept = 0;
  while (begin < stmt.size()) {
    size_t end = stmt.find('\n', begin);
    if (end == std::string::npos) {  // the pattern needs the line's newline
      end = stmt.size();
    } else if (is_banner_line(std::string_view(stmt).substr(begin, end - begin))) {
      removed = true;
      begin = end + 1;
      continue;
    }
    size_t next = std::min(end + 1, stmt.size());
    if (kept != begin) std::copy(stmt.begin() + long(begin), stmt.begin() + long(next), stmt.begin() + long(kept));
    kept += next - begin;
    begin = next;
  }
  stmt.resize(kept);
  return removed;
}

// ^# Time: ((?:[0-9: ]{15})|(?:[-0-9: T]{19}))
std::optional<std::string_view> match_time_line(std::string_view line) {
  if (!util::starts_with(line, "# Time: ")) return std::nullopt;
  auto rest = line.substr(8);
  auto all_in = [&](size_t n, std::string_view set) {
    if (rest.size() < n) return false;
    for (size_t i = 0; i < n; ++i) {
      if (set.find(rest[i]) == std::string_view::npos) return false;
    }
    return true;
  };
  if (all_in(15, "0123456789: ")) return rest.substr(0, 15);
  if (all_in(19, "-0123456789: T")) return rest.substr(0, 19);
  return std::nullopt;
}

// # User@Host: user[user] @ host [ip]  Id: N
bool match_user_host(std::string_view line, Props& props) {
  size_t at = line.find("# User@Host: ");
  if (at == std::string_view::npos) return false;
  auto rest = line.substr(at + 13);
  std::string_view user;
  size_t i = 0;
  if (!rest.empty() && rest[0] == '[') {
    size_t close = rest.find(']');
    size_t open = rest.find('[', 1);
    if (close == std::string_view::npos || close == 1 || (open != std::string_view::npos && open < close)) return false;
    user = rest.substr(0, close + 1);
    i = close + 1;
  } else {
    while (i < rest.size() && rest[i] != '[') ++i;
    if (i == 0) return false;
    user = rest.substr(0, i);
  }
  size_t sep = rest.find("@ ", i);
  if (sep == std::string_view::npos) return false;
  size_t h = sep + 2, h_end = h;
  while (h_end < rest.size() && !is_space(rest[h_end])) ++h_end;
  if (h_end + 1 >= rest.size() || rest[h_end] != ' ' || rest[h_end + 1] != '[') return false;
  size_t ip_begin = h_end + 2;
  size_t ip_end = rest.rfind(']');
  if (ip_end == std::string_view::npos || ip_end < ip_begin) return false;
  std::string_view host = rest.substr(h, h_end - h);
  if (host.empty()) host = rest.substr(ip_begin, ip_end - ip_begin);
  props.set("user", user);
  props.set("host", host);
  return true;
}

}  // namespace

// match_user_host, remembering the last line it read: most records repeat their User@Host line
// byte for byte (one application user and host), and comparing it costs less than reading it.
bool MysqlSlowLogReader::UserHostMemo::match(std::string_view line, detail::SlowLogProps& props) {
  if (valid && util::same_text(line, text)) {
    props.set(Prop::user, line.substr(user_at, user_size));
    props.set(Prop::host, line.substr(host_at, host_size));
    return true;
  }
  valid = false;
  if (!match_user_host(line, props)) return false;
  const std::string_view* user = props.get(Prop::user);
  const std::string_view* host = props.get(Prop::host);
  auto inside = [&](const std::string_view* v) {
    return v->data() >= line.data() && v->data() + v->size() <= line.data() + line.size();
  };
  if (line.size() <= kMaxLine && inside(user) && inside(host)) {
    text.assign(line);
    user_at = static_cast<size_t>(user->data() - line.data());
    user_size = user->size();
    host_at = static_cast<size_t>(host->data() - line.data());
    host_size = host->size();
    valid = true;
  }
  return true;
}

namespace detail {

// ^# +[A-Z][A-Za-z_]+: \S+
bool is_property_line(std::string_view line) {
  size_t i = 1, s = 1;
  if (line.empty() || line[0] != '#') return false;
  while (i < line.size() && line[i] == ' ') ++i;
  if (i == s || i >= line.size() || !is_upper(line[i])) return false;
  ++i;
  s = i;
  while (i < line.size() && (is_upper(line[i]) || (line[i] >= 'a' && line[i] <= 'z') || line[i] == '_')) ++i;
  return i > s && i + 2 < line.size() + 0 && line[i] == ':' && line[i + 1] == ' ' && !is_space(line[i + 2]);
}

}  // namespace detail

#include "analyzer/capture/mysql_slowlog_properties.inc"

namespace {

// "SET timestamp=N;" as the general split below reads it, when N has no comma or leading space.
bool set_timestamp_directly(std::string_view line, Props& props) {
  std::string_view value = line.substr(14);
  value = value.substr(0, util::find_byte(value, ';'));
  if ((!value.empty() && is_space(value[0])) || util::find_byte(value, ',') != std::string_view::npos) return false;
  props.set(Prop::timestamp, value);
  return true;
}

[[gnu::noinline]] bool parse_number_slowly(std::string_view text, double& value) {
  std::string copy(text);
  const char* begin = copy.c_str();
  char* end = nullptr;
  value = std::strtod(begin, &end);
  return end == begin + copy.size();
}

// A strict decimal number: what Perl would add up without a "not numeric" warning.
// (A bool and an out-parameter, not an optional: GCC copied each optional through the stack with
// two stores and one wider load, a store-forwarding stall per number that showed in profiles.)
// parse_number's numbers of other shapes, out of line: the two shapes before it inline at each of
// a record's numbers (the call per number showed in profiles).
[[gnu::noinline]] bool parse_other_number(std::string_view text, double& value) {
  // Plain decimals ("0.5", "42") on the fast path; what it reads is what strtod reads.
  const char* end = text.data() + text.size();
  if (util::parse_plain_decimal(text.data(), end, value) == end) return true;
  return parse_number_slowly(text, value);
}

[[gnu::always_inline]] inline bool parse_number(std::string_view text, double& value) {
  if (text.empty()) return false;
  // The two shapes nearly every value has, read without the digit loop (its exit, at a length that
  // changes from value to value, showed in profiles): one digit (rows, bytes), and "D.DDDDDD"
  // (times), whose eight bytes are one word. The same mantissa and division as the loop's.
  if (text.size() == 1) {
    if (!is_digit(text[0])) return false;
    value = static_cast<double>(text[0] - '0');
    return true;
  }
  if (std::endian::native == std::endian::little && text.size() == 8 && text[1] == '.') {
    uint64_t word = 0;
    std::memcpy(&word, text.data(), 8);
    // "D.DDDDDD" as the eight digits "0DDDDDDD": the whole digit moves into the point's place.
    word = (word & 0xFFFFFFFFFFFF0000u) | (word & 0xFFu) << 8 | uint64_t{'0'};
    // fast_float's eight-digit test and sum: every byte '0'..'9', then pairs, quads, the whole.
    constexpr uint64_t kZeros = 0x3030303030303030u;
    if ((((word + 0x4646464646464646u) | (word - kZeros)) & 0x8080808080808080u) == 0) {
      uint64_t v = word - kZeros;
      v = (v * 10) + (v >> 8);
      v = (((v & 0x000000FF000000FFu) * 0x000F424000000064u) +
           (((v >> 16) & 0x000000FF000000FFu) * 0x0000271000000001u)) >>
          32;
      value = static_cast<double>(v) / 1e6;
      return true;
    }
  }
  return parse_other_number(text, value);
}

// "071015 21:43:52", "071015  1:43:52" or "2007-10-15T21:43:52" (read as UTC).
std::optional<int64_t> parse_log_time(std::string_view ts) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  // The two shapes servers write, read directly (MySQL 5.7+ writes one per record; sscanf showed
  // in profiles); anything else goes to sscanf below.
  auto digits = [&](size_t at, size_t n, int& out) {
    out = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (!is_digit(ts[i])) return false;
      out = out * 10 + (ts[i] - '0');
    }
    return true;
  };
  bool direct = false;
  std::optional<util::DateTimeFields> iso;
  if (ts.size() == 19 && (iso = util::parse_iso8601_fields(ts))) {
    y = iso->year, mo = int(iso->month), d = int(iso->day), h = iso->hour, mi = iso->minute, s = iso->second;
    direct = true;
  } else if (ts.size() == 15 && ts[6] == ' ' && ts[9] == ':' && ts[12] == ':' && digits(0, 2, y) && digits(2, 2, mo) &&
             digits(4, 2, d) && digits(10, 2, mi) && digits(13, 2, s)) {
    direct = ts[7] == ' ' ? digits(8, 1, h) : digits(7, 2, h);
    y += 2000;
  }
  if (direct) {
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
    return util::days_from_civil(y, unsigned(mo), unsigned(d)) * 86400 + h * 3600 + mi * 60 + s;
  }
  std::string text(ts);
  if (text.size() >= 19 && text[4] == '-') {
    if (std::sscanf(text.c_str(), "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6) return std::nullopt;
  } else {
    if (std::sscanf(text.c_str(), "%2d%2d%2d %d:%2d:%2d", &y, &mo, &d, &h, &mi, &s) != 6) return std::nullopt;
    y += 2000;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  return util::days_from_civil(y, unsigned(mo), unsigned(d)) * 86400 + h * 3600 + mi * 60 + s;
}

bool truthy(std::string_view s) { return !s.empty() && s != "0"; }

}  // namespace

struct MysqlSlowLogReader::Pending {
  Props props;  // owned
  uint64_t offset = 0;
};

MysqlSlowLogReader::MysqlSlowLogReader(EventSink sink)
    : sink_(std::move(sink)),
      layout_memos_(std::make_unique<detail::LayoutLineMemos>()),
      props_(std::make_unique<detail::SlowLogProps>()) {}
MysqlSlowLogReader::~MysqlSlowLogReader() = default;

bool MysqlSlowLogReader::is_record_start(std::string_view line) {
  return line.starts_with("# Time: ") || line.starts_with("# User@Host: ");
}

bool MysqlSlowLogReader::looks_like(std::string_view head) {
  return head.find("# Query_time:") != std::string_view::npos || head.find("# User@Host:") != std::string_view::npos ||
         head.find("# Time: ") != std::string_view::npos ||
         (head.find("mysqld") != std::string_view::npos && head.find("started with:") != std::string_view::npos);
}

void MysqlSlowLogReader::append_to_chunk(const char* text, size_t size) {
  if (chunk_too_long_) return;
  if (chunk_.size() + size > kMaxRecordBytes) {
    chunk_too_long_ = true;
    std::string().swap(chunk_);
    return;
  }
  chunk_.append(text, size);
}

bool MysqlSlowLogReader::chunk_is_whole() {
  if (!chunk_too_long_) return true;
  chunk_too_long_ = false;
  stats_.skip(chunk_offset_, kRecordTooLong);
  return false;
}

void MysqlSlowLogReader::feed_line(std::string_view line, uint64_t offset) {
  stats_.bytes += line.size() + 1;
  if (chunk_started_ && previous_ended_with_semicolon_ && !line.empty() && line[0] == '#') {
    // ";\n#" separates records; the '#' is consumed with the separator, as Perl's $/ does.
    chunk_ += '#';
    if (chunk_is_whole()) on_chunk(chunk_text(), chunk_offset_, false, chunk_hash_);
    chunk_.assign(line);  // the separator's '#', then the next record's text
    chunk_ += '\n';
    chunk_hash_ = true;
    chunk_offset_ = offset;
  } else {
    if (!chunk_started_) {
      chunk_offset_ = offset;
      chunk_started_ = true;
      chunk_hash_ = false;
    }
    append_to_chunk(line.data(), line.size());
    if (!chunk_too_long_) chunk_ += '\n';
  }
  previous_ended_with_semicolon_ = !line.empty() && line.back() == ';';
}

void MysqlSlowLogReader::feed_block(std::string_view block, uint64_t offset) {
  // As feed_line line by line, but a record that lies wholly in the block is read where it lies:
  // no copy. The record in progress is either in chunk_ (it began in an earlier block, or a line
  // needed changing) or, from view_begin on, in the block.
  constexpr size_t kNone = std::string_view::npos;
  const char* base = block.data();
  const size_t n = block.size();
  size_t view_begin = kNone;
  bool view_hash = false;    // base[view_begin - 1] is the separator's '#'
  bool view_banner = false;  // a line of the record in the block may be a banner line
  auto to_chunk = [&](size_t until) {
    if (view_begin == kNone) return;
    const size_t from = view_hash ? view_begin - 1 : view_begin;
    chunk_.assign(base + from, until - from);
    chunk_hash_ = view_hash;
    view_begin = kNone;
    view_line_ends_.clear();
  };
  util::ByteFinder newlines(block, '\n');
  size_t pos = 0;
  while (pos < n) {
    const size_t end = newlines.next(pos);
    const size_t len = end - pos;
    if (end == n || (len > 0 && base[end - 1] == '\r')) {
      // The line's text is not its bytes (a "\r\n" ending, or the input's last line without
      // one): through feed_line, which appends the text.
      to_chunk(pos);
      feed_line(std::string_view(base + pos, len > 0 && base[end - 1] == '\r' ? len - 1 : len), offset + pos);
      pos = end + 1;
      continue;
    }
    stats_.bytes += len + 1;
    if (chunk_started_ && previous_ended_with_semicolon_ && len > 0 && base[pos] == '#') {
      if (view_begin != kNone) {
        line_index_ = {base, view_line_ends_.data(), view_line_ends_.size(), pos + 1};
        on_chunk(std::string_view(base + view_begin, pos + 1 - view_begin), chunk_offset_, false, view_hash,
                 view_banner ? BannerHint::possible : BannerHint::absent);
        line_index_ = {};
      } else {
        chunk_ += '#';
        if (chunk_is_whole()) on_chunk(chunk_text(), chunk_offset_, false, chunk_hash_);
      }
      view_begin = pos + 1;
      view_hash = true;
      view_line_ends_.clear();
      view_line_ends_.push_back(end);
      view_banner = may_be_banner_line(std::string_view(base + pos + 1, len - 1));
      chunk_offset_ = offset + pos;
    } else if (!chunk_started_) {
      chunk_offset_ = offset + pos;
      chunk_started_ = true;
      view_begin = pos;
      view_hash = false;
      view_line_ends_.clear();
      view_line_ends_.push_back(end);
      view_banner = may_be_banner_line(std::string_view(base + pos, len));
    } else if (view_begin == kNone) {
      append_to_chunk(base + pos, len + 1);
    } else {
      view_banner = view_banner || may_be_banner_line(std::string_view(base + pos, len));
      view_line_ends_.push_back(end);
    }
    previous_ended_with_semicolon_ = len > 0 && base[end - 1] == ';';
    pos = end + 1;
  }
  to_chunk(n);  // the record goes on in the next block
}

void MysqlSlowLogReader::finish() {
  if (chunk_started_ && chunk_is_whole()) on_chunk(chunk_text(), chunk_offset_, true, chunk_hash_);
  chunk_.clear();
  chunk_started_ = false;
  chunk_hash_ = false;
  if (!merge_prefix_.empty()) {
    std::string merged;
    merged.swap(merge_prefix_);
    parse_chunk(merged, merge_offset_);
  }
  if (waiting_) {  // no statement and nothing after it: pt drops the record
    stats_.skip(waiting_->offset, "slow log record without a statement at the end of the input");
    waiting_.reset();
  }
}

void MysqlSlowLogReader::on_chunk(std::string_view raw, uint64_t offset, bool at_end, bool hash_before,
                                  BannerHint banner) {
  std::string merged;
  if (!merge_prefix_.empty()) {
    merged = std::move(merge_prefix_);
    merge_prefix_.clear();
    merged.append(raw);
    raw = merged;
    offset = merge_offset_;
    hash_before = false;
    banner = BannerHint::unknown;
  }
  if (waiting_) {
    auto pending = std::move(waiting_);
    // pt reads on with $/ = ";\n": the text up to the first ";\n".
    size_t cut = raw.find(";\n");
    size_t l_size = cut == std::string_view::npos ? raw.size() : cut + 2;
    auto l = raw.substr(0, l_size);
    size_t i = 0;
    while (i < l.size() && is_space(l[i])) ++i;
    size_t w = i;
    bool null_query = false;
    if (w < l.size() && is_upper(l[w])) {
      size_t j = w + 1;
      while (j < l.size() && ((l[j] >= 'a' && l[j] <= 'z') || l[j] == '_')) ++j;
      null_query = j > w + 1 && j + 1 < l.size() && l[j] == ':' && l[j + 1] == ' ';
    }
    if (null_query) {
      pending->props.set("arg", "/* No query */");
      emit(pending->props, pending->offset);
      if (!at_end && l_size + 1 == raw.size()) {
        // The ";\n" found was the separator itself: pt's next read runs on to the following one.
        merge_prefix_.assign(raw);
        merge_offset_ = offset;
        return;
      }
      parse_chunk(raw, offset);
      return;
    }
    auto arg = l.substr(w);
    if (arg.ends_with(";\n")) arg.remove_suffix(2);
    pending->props.set("arg", arg);  // raw outlives the call
    pending->props.set("cmd", "Admin");
    emit(pending->props, pending->offset);
    auto rest = raw.substr(l_size);
    if (rest.empty() || rest == "#") return;
    parse_chunk(rest, offset + l_size);
    return;
  }
  parse_chunk(raw, offset, hash_before, banner);
}

void MysqlSlowLogReader::parse_chunk(std::string_view raw, uint64_t offset, bool hash_before, BannerHint banner) {
  std::string_view stmt;
  if (banner == BannerHint::unknown ? may_hold_banner_line(raw) : banner == BannerHint::possible) {
    std::string& text = stmt_;  // reused: no allocation per record
    text.assign(raw);
    if (remove_banner_lines(text)) {
      size_t split = text.find(";\n#");
      if (split != std::string::npos && split + 3 < text.size()) {
        // Several records left after the banner went: handle them one by one.
        std::string first = text.substr(0, split + 3);
        std::string rest = text.substr(split + 3);
        parse_chunk(first, offset);
        parse_chunk(rest, offset + split + 3);
        return;
      }
    }
    if (text.empty() || text[0] != '#') text.insert(text.begin(), '#');
    stmt = text;
  } else if (!raw.empty() && raw[0] == '#') {
    stmt = raw;
  } else if (hash_before) {  // the separator's '#' is just before: "#" + raw is already there
    stmt = std::string_view(raw.data() - 1, raw.size() + 1);
  } else {
    stmt_.assign(1, '#');
    stmt_.append(raw);
    stmt = stmt_;
  }
  // s/;\n#?\Z//: \Z also matches before a final newline.
  if (stmt.ends_with(";\n#")) {
    stmt.remove_suffix(3);
  } else if (stmt.ends_with(";\n")) {
    stmt.remove_suffix(2);
  } else if (stmt.ends_with(";\n#\n") || stmt.ends_with(";\n\n")) {
    std::string trimmed(stmt.substr(0, stmt.size() - (stmt.ends_with(";\n#\n") ? 4 : 3)));
    trimmed += '\n';
    stmt_ = std::move(trimmed);
    stmt = stmt_;
  }
  parse_record(stmt, offset);
}

void MysqlSlowLogReader::parse_record(std::string_view stmt, uint64_t offset) {
  Props& props = *props_;
  props.clear();
  bool got_ts = false, got_uh = false, got_ac = false, got_db = false, got_set = false, found_arg = false;
  size_t begin = 0;
  const size_t len = stmt.size();
  // A record read where it lies in its block: its newlines were found by feed_block already.
  const LineIndex index = line_index_;
  const bool indexed =
      index.ends != nullptr && stmt.data() >= index.base && stmt.data() + len <= index.base + index.limit;
  const size_t from = indexed ? static_cast<size_t>(stmt.data() - index.base) : 0;
  size_t next_end = 0;
  while (begin < len || (begin == 0 && len == 0)) {
    size_t end = len;
    if (indexed) {
      while (next_end < index.count && index.ends[next_end] < from + begin) ++next_end;
      if (next_end < index.count && index.ends[next_end] < from + len) end = index.ends[next_end] - from;
    } else {
      end = static_cast<size_t>(util::find_byte(stmt.data() + begin, stmt.data() + len, '\n') - stmt.data());
    }
    std::string_view line = std::string_view(stmt).substr(begin, end - begin);
    const char first = line.empty() ? '\0' : line[0];
    // util::starts_with, not string_view's: GCC calls memcmp for those (it showed in profiles).
    bool header =
        first == '#' || (first == 'u' && util::starts_with(line, "use ")) ||
        (first == 'S' && (util::starts_with(line, "SET timestamp") || util::starts_with(line, "SET insert_id") ||
                          util::starts_with(line, "SET last_insert_id")));
    if (!header) {
      props.set(Prop::arg, std::string_view(stmt).substr(begin));
      found_arg = true;
      break;
    }
    std::optional<std::string_view> ts;
    if (!got_ts && (ts = match_time_line(line))) {
      props.set("ts", *ts);
      got_ts = true;
      if (!got_uh && user_host_.match(line, props)) got_uh = true;
    } else if (!got_uh && user_host_.match(line, props)) {
      got_uh = true;
    } else if (!got_ac && line.size() > 2 && line[2] == 'a' && util::starts_with(line, "# administrator command:")) {
      auto text = line.substr(1);
      while (!text.empty() && is_space(text[0])) text.remove_prefix(1);
      props.set("cmd", "Admin");
      props.set("arg", text);
      found_arg = true;
      got_ac = true;
    } else if (parse_property_layout(line, props, *layout_memos_)) {
      // A layout line is a property line too (is_property_line, the rule that lets a line through to
      // parse_properties, holds on every line the layout reader accepts): not tested twice.
    } else if (detail::is_property_line(line)) {
      parse_properties(line, props);
    } else if (!got_db && util::starts_with(line, "use ") && line.size() > 4 && line[4] != ';') {
      auto db = line.substr(4);
      db = db.substr(0, db.find(';'));
      props.set("db", db);
      got_db = true;
    } else if (!got_set && util::starts_with(line, "SET timestamp=") && set_timestamp_directly(line, props)) {
      got_set = true;
    } else if (!got_set && util::starts_with(line, "SET")) {
      size_t i = 3, s = 3;
      while (i < line.size() && is_space(line[i])) ++i;
      if (i > s) {
        auto setting = line.substr(i);
        setting = setting.substr(0, setting.find(';'));
        // split(/,|\s*=\s*/): only "name=value" pairs matter here (timestamp, insert_id).
        size_t pos = 0;
        while (pos <= setting.size()) {
          size_t comma = setting.find(',', pos);
          auto part = setting.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
          size_t eq = part.find('=');
          if (eq != std::string_view::npos) {
            auto key = part.substr(0, eq);
            auto value = part.substr(eq + 1);
            while (!key.empty() && is_space(key.back())) key.remove_suffix(1);
            while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
            props.set(key, value);
          }
          if (comma == std::string_view::npos) break;
          pos = comma + 1;
        }
        got_set = true;
      }
    }
    if (!found_arg && end == len) {
      // The header ran to the end of the record: pt looks at what follows (see on_chunk).
      waiting_ = std::make_unique<Pending>();
      waiting_->props = props;
      waiting_->props.own();  // the record's text is about to go
      waiting_->offset = offset;
      return;
    }
    begin = end + 1;
    if (len == 0) break;
  }
  emit(props, offset);
}

// Percona Server's and MariaDB's further attributes: numbers as pt-query-digest reads them, flags
// Yes or No (pt's Boolean section counts "Yes").
namespace {
void read_extra(const detail::SlowLogProps& props, model::ExtraAttributes& extra) {
  // Over the keys set only (a MariaDB record has one: QC_hit).
  const uint64_t numbers = props.present_from(Prop::first_number) & ((uint64_t{1} << model::kExtraNumbers) - 1);
  for (uint64_t bits = numbers; bits != 0; bits &= bits - 1) {
    const auto i = static_cast<size_t>(__builtin_ctzll(bits));
    double value = 0;
    if (parse_number(*props.get(detail::number_prop(static_cast<model::ExtraNumber>(i))), value)) {
      extra.values[i] = value;
      extra.numbers |= static_cast<uint16_t>(1u << i);
    }
  }
  for (uint64_t bits = props.present_from(Prop::first_flag); bits != 0; bits &= bits - 1) {
    const auto i = static_cast<size_t>(__builtin_ctzll(bits));
    extra.flags |= static_cast<uint16_t>(1u << i);
    const std::string_view text = *props.get(detail::flag_prop(static_cast<model::ExtraFlag>(i)));
    // Killed is the code of the kill (Percona Server's THD::killed), 0 when the statement ran to
    // its end. pt-query-digest counts only a literal "Yes" there, so it never counts a kill
    // (docs/json/digest.md).
    double code = 0;
    const bool yes =
        text == "Yes" || (i == static_cast<size_t>(model::ExtraFlag::killed) && parse_number(text, code) && code != 0);
    if (yes) extra.yes |= static_cast<uint16_t>(1u << i);
  }
  if (const std::string_view* text = props.get(Prop::last_errno)) {
    double errno_value = 0;
    if (parse_number(*text, errno_value)) {
      extra.last_errno = static_cast<int64_t>(errno_value);
      extra.has_last_errno = true;
    }
  }
}
}  // namespace

void MysqlSlowLogReader::emit(const detail::SlowLogProps& props, uint64_t offset) {
  auto get = [&](Prop key) { return props.get(key); };
  const std::string_view* arg = get(Prop::arg);
  if (!arg || !truthy(*arg)) {
    stats_.skip(offset, "slow log record without a statement");
    return;
  }
  const std::string_view* query_time = get(Prop::query_time);
  double qt = 0;
  if (!query_time || !parse_number(*query_time, qt)) {
    stats_.skip(offset, query_time ? "slow log record with a malformed Query_time: " + std::string(*query_time)
                                   : std::string("slow log record without a Query_time"));
    return;
  }
  // One event object, reused: its strings keep their capacity (a sink may also move them out).
  model::QueryEvent& event = event_;
  event.sql.assign(*arg);
  event.query_time_s = qt;
  event.byte_offset = offset;
  event.plan_text.clear();
  event.prepared_sql.clear();
  // Inlined at each of the five calls, as GCC did before the number reader moved to util/ (it
  // then judged the lambda too big): one record takes all five.
  auto number = [&](Prop key, std::optional<double> & into) __attribute__((always_inline)) {
    const std::string_view* text = get(key);
    double value = 0;
    if (text && parse_number(*text, value)) {
      into = value;
    } else {
      into.reset();
    }
  };
  number(Prop::lock_time, event.lock_time_s);
  number(Prop::rows_sent, event.rows_sent);
  number(Prop::rows_examined, event.rows_examined);
  number(Prop::rows_affected, event.rows_affected);
  number(Prop::bytes_sent, event.bytes_sent);
  event.extra.clear();
  if (props.any_from(Prop::last_errno)) read_extra(props, event.extra);
  // The user, host and database rarely change from one record to the next: compared before any
  // copy (assigning each showed in profiles).
  auto keep = [](std::string& into, std::string_view value) {
    if (!util::same_text(into, value)) into.assign(value);
  };
  const auto* user = get(Prop::user);
  keep(event.user, user ? *user : std::string_view());
  const auto* host = get(Prop::host);
  keep(event.host, host ? *host : std::string_view());
  const std::string_view* db = get(Prop::db);
  if (!db) db = get(Prop::schema);
  if (db) keep(last_db_, *db);
  keep(event.database, last_db_);
  // The time as a plain integer until it is stored: an optional copied whole right after its parts
  // were written is a store-forwarding stall (it showed in profiles).
  int64_t stamp = 0;
  bool stamped = false;
  if (const auto* text = get(Prop::timestamp)) {
    // The same text as the record before (compared, not parsed: from_chars showed in profiles).
    if (!text->empty() && text->size() == stamp_memo_.size &&
        util::same_bytes(text->data(), stamp_memo_.text, text->size())) {
      stamp = stamp_memo_.value;
      stamped = true;
    } else {
      auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), stamp);
      stamped = ec == std::errc() && ptr == text->data() + text->size();
      if (stamped && !text->empty() && text->size() <= StampMemo::kMaxText) {
        std::memcpy(stamp_memo_.text, text->data(), text->size());
        stamp_memo_.size = text->size();
        stamp_memo_.value = stamp;
      }
    }
  }
  if (!stamped) {
    if (const auto* text = get(Prop::ts)) {
      if (const std::optional<int64_t> time = parse_log_time(*text)) {
        stamp = *time;
        stamped = true;
      }
    }
  }
  if (stamped) {
    last_ts_ = stamp;
    event.timestamp = stamp;
  } else {
    event.timestamp = last_ts_;
  }
  ++stats_.events;
  sink_(std::move(event));
}

}  // namespace dbvet::capture
