#include "analyzer/pipeline/digest_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <thread>

#include "analyzer/capture/line_source.hpp"
#include "analyzer/capture/mysql_slowlog.hpp"

namespace dbvet::pipeline {
namespace {

// Format detection reads whole lines until it has kHeadBytes and kHeadLines of them: a log whose
// first line alone is longer (a huge statement, the tail of a record cut by rotation) still shows
// the lines that tell its format. kMaxHeadBytes bounds it when every line is huge (lines themselves
// are bounded by capture::kMaxLineBytes).
constexpr uint64_t kHeadBytes = 64 * 1024;
constexpr uint64_t kHeadLines = 32;
constexpr uint64_t kMaxHeadBytes = 2 * capture::kMaxLineBytes;
bool head_is_enough(uint64_t bytes, uint64_t lines) {
  return (bytes >= kHeadBytes && lines >= kHeadLines) || bytes >= kMaxHeadBytes;
}
constexpr uint64_t kInheritWindow = 1024 * 1024;

struct Part {
  std::string path;
  uint32_t input = 0;
  capture::LogFormat format = capture::LogFormat::mysql_slow;
  std::string log_line_prefix;
  uint64_t begin = 0, end = 0;  // end 0: to the end of the input (whole, possibly compressed)
  bool ranged = false;
  std::string inherited_db;
  std::optional<int64_t> inherited_ts;
  // Results
  digest::Digest digest;
  digest::ServerActivity server;
  capture::ReadStats stats;
  std::optional<core::Error> error;       // the part could not be read at all
  std::optional<core::Error> read_error;  // reading stopped there; what came before is digested
  capture::OversizedLines oversized;
  std::atomic<uint64_t> bytes_done{0};
  // A stream (standard input, a pipe, a FIFO) can be read only once: the source its format was
  // recognised from, and the blocks read for that, which the part reads first.
  std::unique_ptr<capture::LineSource> opened;
  std::string replay;
};

core::Expected<std::unique_ptr<capture::LineSource>> open_part(const Part& part) {
  if (part.ranged) return capture::open_line_source_range(part.path, part.begin, part.end);
  return capture::open_line_source(part.path);
}

void read_part(Part& part) {
  core::Expected<std::unique_ptr<capture::LineSource>> source =
      part.opened ? core::Expected<std::unique_ptr<capture::LineSource>>(std::move(part.opened)) : open_part(part);
  if (!source) {
    part.error = source.error();
    return;
  }
  // One sink or the other for the whole part: the test for time buckets is made here, once.
  capture::EventSink sink = [&part](model::QueryEvent&& event) { part.digest.add(event, part.input); };
  if (part.digest.time_buckets()) {
    sink = [&part](model::QueryEvent&& event) { part.digest.add_with_time_buckets(event, part.input); };
  }
  auto reader = capture::make_log_reader(part.format, std::move(sink), part.log_line_prefix,
                                         [&part](model::ServerEvent&& event) { part.server.add(event); });
  if (!reader) {
    part.error = reader.error();
    return;
  }
  if (auto* mysql = dynamic_cast<capture::MysqlSlowLogReader*>(reader->get())) {
    mysql->inherit(part.inherited_db, part.inherited_ts);
  }
  std::string_view block;
  uint64_t offset = 0, consumed = 0;
  if (!part.replay.empty()) {
    (*reader)->feed_block(part.replay, 0);
    consumed = part.replay.size();
    std::string().swap(part.replay);
  }
  while ((*source)->next_block(block, offset)) {  // whole buffers: no call per line
    (*reader)->feed_block(block, offset);
    consumed += block.size();
    part.bytes_done.store(consumed, std::memory_order_relaxed);
  }
  (*reader)->finish();
  part.bytes_done.store(consumed, std::memory_order_relaxed);
  part.stats = (*reader)->stats();
  part.oversized = (*source)->oversized();
  if ((*source)->error()) part.read_error = *(*source)->error();
}

struct Head {
  std::string text;
  std::optional<core::Error> error;   // met while reading it, after some text
  capture::OversizedLines oversized;  // lines dropped on the way
};

std::string oversized_note(const std::string& path, const capture::OversizedLines& oversized) {
  return (path == "-" ? std::string("standard input") : path) + ": skipped " + std::to_string(oversized.lines) +
         " line(s) longer than " + std::to_string(capture::kMaxLineBytes >> 20) + " MiB (" +
         std::to_string(oversized.bytes) + " bytes), the first at byte offset " +
         std::to_string(oversized.first_offset);
}

// The first blocks of a stream (whole lines, exactly as read), to recognise its format; the source
// stays open for the part that reads the rest.
core::Expected<Head> read_stream_head(const std::string& path, std::unique_ptr<capture::LineSource>& source) {
  auto opened = capture::open_line_source(path);
  if (!opened) return opened.error();
  source = std::move(*opened);
  Head head;
  std::string_view block;
  uint64_t offset = 0;
  uint64_t lines = 0;
  while (!head_is_enough(head.text.size(), lines) && source->next_block(block, offset)) {
    head.text.append(block);
    lines += static_cast<uint64_t>(std::count(block.begin(), block.end(), '\n'));
  }
  head.oversized = source->oversized();
  // An error after some text is the part's to report, with the digest of what came before.
  if (source->error()) {
    if (head.text.empty()) return *source->error();
    head.error = source->error();
  }
  return head;
}

// The first lines of an input, to recognise its format.
core::Expected<Head> read_head(const std::string& path) {
  auto source = capture::open_line_source(path);
  if (!source) return source.error();
  Head head;
  std::string_view line;
  uint64_t offset = 0;
  uint64_t lines = 0;
  while (!head_is_enough(head.text.size(), lines) && (*source)->next(line, offset)) {
    head.text.append(line);
    head.text += '\n';
    ++lines;
  }
  head.oversized = (*source)->oversized();
  if ((*source)->error()) {
    if (head.text.empty()) return *(*source)->error();
    head.error = (*source)->error();
  }
  return head;
}

// A compressed input whose first bytes fit no format may be a corrupt stream whose error comes
// later: bzip2 checks a block's CRC only at its end, after up to 900 kB of garbage. Read on, a
// bounded way, to tell the two apart.
std::optional<core::Error> later_stream_error(const std::string& path, std::unique_ptr<capture::LineSource>& stream) {
  constexpr uint64_t kLook = uint64_t{64} << 20;
  std::unique_ptr<capture::LineSource> reopened;
  capture::LineSource* source = stream.get();
  if (source == nullptr) {
    auto opened = capture::open_line_source(path);
    if (!opened) return std::nullopt;
    reopened = std::move(*opened);
    source = reopened.get();
  }
  if (source->compression() == capture::Compression::none) return std::nullopt;
  std::string_view block;
  uint64_t offset = 0, seen = 0;
  while (seen < kLook && source->next_block(block, offset)) seen += block.size();
  return source->error();
}

// What the records before `at` leave for the next ones to inherit (database, time).
void inherit_before(Part& part, uint64_t at) {
  if (part.format != capture::LogFormat::mysql_slow || at == 0) return;
  uint64_t from = at > kInheritWindow ? at - kInheritWindow : 0;
  auto source = capture::open_line_source_range(part.path, from, at);
  if (!source) return;
  capture::MysqlSlowLogReader reader([](model::QueryEvent&&) {});
  std::string_view line;
  uint64_t offset = 0;
  bool started = from == 0;
  std::string previous;
  while ((*source)->next(line, offset)) {
    if (!started) {  // the window starts mid-record: begin at the first record boundary
      if (offset == from) {
        previous = line;
        continue;
      }
      started = capture::is_split_point(part.format, previous, line);
      previous = line;
      if (!started) continue;
    }
    reader.feed_line(line, offset);
  }
  reader.finish();
  part.inherited_db = reader.inherited_database();
  part.inherited_ts = reader.inherited_timestamp();
}

}  // namespace

namespace {
// Whether a slow log starts with the tail of a record (no '#' line before its first record
// boundary), as a log cut by rotation does. Read in one piece, the reader hands that tail on to
// the records after it, as pt-query-digest does (it glues the first two of them into one event),
// so no part boundary can reproduce the sequential reading: such a log is read in one part.
core::Expected<bool> starts_with_a_records_tail(const std::string& path, capture::LogFormat format, uint64_t size) {
  if (format != capture::LogFormat::mysql_slow) return false;
  auto source = capture::open_line_source_range(path, 0, size);
  if (!source) return source.error();
  std::string_view line;
  uint64_t offset = 0;
  std::string previous;
  bool first = true;
  while ((*source)->next(line, offset)) {
    if (!first && capture::is_split_point(format, previous, line)) return true;
    if (!line.empty() && line.front() == '#') return false;  // a header first: whole records
    first = false;
    previous = line;
  }
  return false;
}
}  // namespace

core::Expected<std::vector<uint64_t>> plan_split(const std::string& path, capture::LogFormat format, uint64_t size,
                                                 unsigned parts) {
  std::vector<uint64_t> starts{0};
  auto tail_first = starts_with_a_records_tail(path, format, size);
  if (!tail_first) return tail_first.error();
  if (*tail_first) return starts;
  for (unsigned k = 1; k < parts; ++k) {
    uint64_t target = size * k / parts;
    if (target <= starts.back()) continue;
    uint64_t from = target - 1;  // so that a line starting exactly at target is seen whole
    auto source = capture::open_line_source_range(path, from, size);
    if (!source) return source.error();
    std::string_view line;
    uint64_t offset = 0;
    std::string previous;
    bool first = true, found = false;
    while ((*source)->next(line, offset)) {
      if (first) {  // the rest of the line that holds target-1
        first = false;
        previous = line;
        continue;
      }
      if (capture::is_split_point(format, previous, line)) {
        if (offset > starts.back()) starts.push_back(offset);
        found = true;
        break;
      }
      previous = line;
    }
    if (!found) break;
  }
  return starts;
}

core::Expected<DigestResult> run_digest(const DigestOptions& options) {
  DigestResult result;
  result.files = options.files;
  std::vector<std::unique_ptr<Part>> parts;
  std::vector<std::string> formats;
  uint64_t total_bytes = 0;
  for (size_t i = 0; i < options.files.size(); ++i) {
    const std::string& path = options.files[i];
    auto info = capture::inspect_input(path);
    if (!info) return info.error();
    // Anything but a regular file is read once, as a stream: opening it again would block (a FIFO)
    // or see only what the first reading left (a pipe).
    const bool stream = path == "-" || !info->regular;
    std::unique_ptr<capture::LineSource> stream_source;
    auto head = stream ? read_stream_head(path, stream_source) : read_head(path);
    if (!head) return head.error();
    auto format = capture::detect_log_format(head->text, options.engine);
    if (!format) {
      // Bytes a broken decompressor let through are no format at all: the stream is the problem.
      if (head->error) return *head->error;
      if (auto later = later_stream_error(path, stream_source)) return *later;
      if (head->text.empty()) {           // an empty input has no events, whatever its format
        if (head->oversized.lines > 0) {  // nothing but lines too long to read
          result.oversized_lines += head->oversized.lines;
          result.oversized_bytes += head->oversized.bytes;
          result.oversized_notes.push_back(oversized_note(path, head->oversized));
        }
        continue;
      }
      return core::make_error(
          core::ErrorKind::input,
          path + ": not a log format dbvet reads (expected a MySQL/MariaDB slow log" +
              std::string(options.engine == capture::Engine::mysql ? ")" : " or a PostgreSQL log)"));
    }
    std::string name(capture::log_format_name(*format));
    if (std::find(formats.begin(), formats.end(), name) == formats.end()) formats.push_back(name);
    total_bytes += info->size;
    std::vector<uint64_t> starts{0};
    bool split = options.jobs > 1 && info->seekable && info->compression == capture::Compression::none &&
                 info->size >= 2 * options.min_part_bytes;
    if (split) {
      unsigned n = static_cast<unsigned>(std::min<uint64_t>(options.jobs, info->size / options.min_part_bytes));
      auto planned = plan_split(path, *format, info->size, n);
      if (!planned) return planned.error();
      starts = *planned;
    }
    for (size_t k = 0; k < starts.size(); ++k) {
      auto part = std::make_unique<Part>();
      part->path = path;
      part->input = static_cast<uint32_t>(i);
      part->format = *format;
      part->log_line_prefix = options.log_line_prefix;
      part->digest = digest::Digest(options.mode);
      part->digest.set_time_buckets(options.time_buckets);
      if (stream_source) {
        part->opened = std::move(stream_source);
        part->replay = std::move(head->text);
      }
      if (starts.size() > 1) {
        part->ranged = true;
        part->begin = starts[k];
        part->end = k + 1 < starts.size() ? starts[k + 1] : info->size;
        inherit_before(*part, part->begin);
      }
      parts.push_back(std::move(part));
    }
  }

  // Run the parts, at most `jobs` at a time, in order.
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t k = next++; k < parts.size(); k = next++) read_part(*parts[k]);
  };
  unsigned threads = std::max(1u, std::min<unsigned>(options.jobs, static_cast<unsigned>(parts.size())));
  std::vector<std::thread> pool;
  std::atomic<bool> done{false};
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  std::thread progress;
  if (options.progress) {
    progress = std::thread([&] {
      while (!done.load()) {
        uint64_t sum = 0;
        for (const auto& p : parts) sum += p->bytes_done.load(std::memory_order_relaxed);
        options.progress(sum, total_bytes);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
    });
  }
  worker();
  for (auto& t : pool) t.join();
  done = true;
  if (progress.joinable()) progress.join();

  result.digest = digest::Digest(options.mode);
  result.digest.set_time_buckets(options.time_buckets);
  for (auto& part : parts) {
    if (part->error) return *part->error;
    if (part->read_error) result.read_errors.push_back(part->read_error->message);
    if (part->oversized.lines > 0) {
      result.oversized_lines += part->oversized.lines;
      result.oversized_bytes += part->oversized.bytes;
      result.oversized_notes.push_back(oversized_note(part->path, part->oversized));
    }
    result.digest.merge(part->digest);
    result.server.merge(part->server);
    result.events += part->stats.events;
    result.skipped += part->stats.skipped;
    result.bytes += part->stats.bytes;
    for (const auto& record : part->stats.skipped_records) {
      if (result.skipped_records.size() < capture::ReadStats::kMaxSkippedKept) {
        result.skipped_records.push_back({part->path, record});
      }
    }
  }
  for (size_t i = 0; i < formats.size(); ++i) result.format += (i ? "," : "") + formats[i];
  return result;
}

}  // namespace dbvet::pipeline
