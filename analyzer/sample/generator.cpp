#include "analyzer/sample/generator.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "fmt/format.h"

namespace dbvet::sample {

TableRows::TableRows(const TableSpec& table, const SampleSize& size, uint64_t seed, core::Engine engine)
    : table_(table), size_(size), seed_(seed), engine_(engine), random_(seed, table.name) {
  total_ = table.row_count(size_);
}

std::vector<std::string> TableRows::column_names() const {
  std::vector<std::string> names;
  for (const auto& column : table_.columns) names.push_back(column.name);
  return names;
}

bool TableRows::next_batch(std::vector<std::vector<std::optional<std::string>>>& batch, size_t max_rows) {
  if (next_ >= total_) return false;
  RowContext context{random_, size_, seed_};
  const size_t columns = table_.columns.size();
  const bool timestamp_offset = engine_ == core::Engine::postgres;
  for (size_t n = 0; n < max_rows && next_ < total_; ++n, ++next_) {
    Row row;
    row.reserve(columns);
    table_.make_row(context, next_, row);
    for (size_t i = 0; i < row.size(); ++i) {
      auto& value = row[i];
      if (value) {
        checksum_ = core::fnv1a(*value, checksum_);
        bytes_ += static_cast<int64_t>(value->size());
        // timestamptz reads text without an offset in the server's time zone: pin it to UTC.
        if (timestamp_offset && i < columns && table_.columns[i].kind == ColumnKind::timestamp) *value += "+00";
      } else {
        checksum_ = core::fnv1a(std::string_view("\0", 1), checksum_);
      }
      checksum_ = core::fnv1a("\x1f", checksum_);
    }
    checksum_ = core::fnv1a("\x1e", checksum_);
    batch.push_back(std::move(row));
  }
  if (on_batch) on_batch(next_);
  return true;
}

struct PrefetchingRows::State {
  engines::RowSource& inner;
  size_t depth;
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<std::vector<std::vector<std::optional<std::string>>>> ready;
  bool exhausted = false;
  bool stop = false;
  std::thread producer;

  State(engines::RowSource& source, size_t queue_depth) : inner(source), depth(queue_depth) {}

  void produce(size_t max_rows) {
    for (;;) {
      std::vector<std::vector<std::optional<std::string>>> batch;
      const bool more = inner.next_batch(batch, max_rows);
      std::unique_lock<std::mutex> lock(mutex);
      if (!batch.empty()) ready.push_back(std::move(batch));
      if (!more) exhausted = true;
      changed.notify_all();
      if (exhausted) return;
      changed.wait(lock, [&] { return stop || ready.size() < depth; });
      if (stop) return;
    }
  }
};

PrefetchingRows::PrefetchingRows(engines::RowSource& inner, size_t depth)
    : state_(std::make_unique<State>(inner, depth)) {}

PrefetchingRows::~PrefetchingRows() { finish(); }

void PrefetchingRows::finish() {
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stop = true;
  }
  state_->changed.notify_all();
  if (state_->producer.joinable()) state_->producer.join();
}

bool PrefetchingRows::next_batch(std::vector<std::vector<std::optional<std::string>>>& batch, size_t max_rows) {
  if (!state_->producer.joinable() && !state_->exhausted) {
    state_->producer = std::thread([this, max_rows] { state_->produce(max_rows); });
  }
  std::unique_lock<std::mutex> lock(state_->mutex);
  state_->changed.wait(lock, [&] { return !state_->ready.empty() || state_->exhausted; });
  if (state_->ready.empty()) return false;
  for (auto& row : state_->ready.front()) batch.push_back(std::move(row));
  state_->ready.pop_front();
  state_->changed.notify_all();
  return !(state_->ready.empty() && state_->exhausted);
}

uint64_t combine_checksums(const std::vector<uint64_t>& checksums) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (uint64_t value : checksums) {
    for (int i = 0; i < 8; ++i) {
      hash ^= (value >> (8 * i)) & 0xff;
      hash *= 0x100000001b3ULL;
    }
  }
  return hash;
}

namespace {

// Which services each engine holds, and the file stem of their schema.
struct ServiceFiles {
  std::string service;
  std::string stem;  // relative to the sample dir, without ".sql"
};

std::vector<ServiceFiles> engine_services(core::Engine engine) {
  switch (engine) {
    case core::Engine::postgres:
      return {{"user-service", "user-service/postgres"},
              {"pet-service", "pet-service/postgres"},
              {"events", "events/postgres"}};
    case core::Engine::mysql:
      return {{"payment-service", "payment-service/mariadb"}};
    case core::Engine::sqlite:
      return {{"pet-service", "pet-service/sqlite"}};
    default:
      return {};
  }
}

}  // namespace

core::Expected<LoadPlan> plan_load(core::Engine engine, const std::optional<std::string>& service,
                                   const std::filesystem::path& sample_dir) {
  LoadPlan plan;
  const auto available = engine_services(engine);
  if (available.empty()) {
    return core::make_error(core::ErrorKind::usage,
                            fmt::format("the sample has no schema for {}", core::engine_name(engine)));
  }
  if (service) {
    const auto& known = virtualpet_services();
    if (std::find(known.begin(), known.end(), *service) == known.end()) {
      return core::make_error(
          core::ErrorKind::usage,
          fmt::format("unknown service '{}' (user-service, pet-service, payment-service, events)", *service));
    }
    auto found = std::find_if(available.begin(), available.end(), [&](const auto& s) { return s.service == *service; });
    if (found == available.end()) {
      std::string list;
      for (const auto& s : available) list += (list.empty() ? "" : ", ") + s.service;
      return core::make_error(core::ErrorKind::usage,
                              fmt::format("{} has no {} schema; {} has: {}", *service, core::engine_name(engine),
                                          core::engine_name(engine), list));
    }
    plan.services.push_back(found->service);
    plan.schema_files.push_back(sample_dir / (found->stem + ".sql"));
    plan.index_files.push_back(sample_dir / (found->stem + ".indexes.sql"));
  } else if (engine == core::Engine::sqlite) {
    // The embedded default: the whole game in one file.
    plan.services = virtualpet_services();
    plan.schema_files.push_back(sample_dir / "sqlite/schema.sql");
    plan.index_files.push_back(sample_dir / "sqlite/schema.indexes.sql");
  } else {
    for (const auto& s : available) {
      plan.services.push_back(s.service);
      plan.schema_files.push_back(sample_dir / (s.stem + ".sql"));
      plan.index_files.push_back(sample_dir / (s.stem + ".indexes.sql"));
    }
  }
  const std::set<std::string> wanted(plan.services.begin(), plan.services.end());
  for (const auto& table : virtualpet_tables()) {
    if (wanted.count(table.service)) plan.tables.push_back(&table);
  }
  for (const auto& file : plan.schema_files) {
    if (!std::filesystem::exists(file)) {
      return core::make_error(core::ErrorKind::input, fmt::format("sample schema {} not found", file.string()));
    }
  }
  return plan;
}

std::optional<std::filesystem::path> find_sample_dir(const std::filesystem::path& executable) {
  std::vector<std::filesystem::path> candidates;
  if (const char* env = std::getenv("DBVET_SAMPLE_DIR"); env && *env) candidates.emplace_back(env);
  if (!executable.empty()) {
    const auto dir = executable.parent_path();
    candidates.push_back(dir / "../samples/virtualpet");
    candidates.push_back(dir / "../share/dbvet/samples/virtualpet");
    candidates.push_back(dir / "samples/virtualpet");
  }
#ifdef DBVET_SOURCE_DIR
  candidates.push_back(std::filesystem::path(DBVET_SOURCE_DIR) / "samples/virtualpet");
#endif
  candidates.emplace_back("samples/virtualpet");
  for (const auto& candidate : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate / "sqlite/schema.sql", ec)) {
      return std::filesystem::weakly_canonical(candidate, ec);
    }
  }
  return std::nullopt;
}

}  // namespace dbvet::sample
