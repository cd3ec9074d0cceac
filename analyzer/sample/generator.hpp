#pragma once
// Deterministic row sources for the Virtual Pet sample, and what `dbvet gen` loads for an engine:
// the schema files, the tables in load order, the secondary-index files to run after loading.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/core/expected.hpp"
#include "analyzer/core/target_url.hpp"
#include "analyzer/engines/connection.hpp"
#include "analyzer/sample/virtualpet.hpp"

namespace dbvet::sample {

// One table's rows, in batches, in the engine's input syntax. The same seed and scale give the
// same values on every machine; the checksum covers every value (engine-neutral form) in order.
class TableRows : public engines::RowSource {
 public:
  TableRows(const TableSpec& table, const SampleSize& size, uint64_t seed, core::Engine engine);

  bool next_batch(std::vector<std::vector<std::optional<std::string>>>& batch, size_t max_rows) override;

  const TableSpec& table() const { return table_; }
  int64_t total_rows() const { return total_; }
  int64_t rows_produced() const { return next_; }
  uint64_t checksum() const { return checksum_; }
  int64_t bytes() const { return bytes_; }  // text bytes of every value produced
  std::vector<std::string> column_names() const;

  // Called after each batch with the rows produced so far (progress bars).
  std::function<void(int64_t)> on_batch;

 private:
  const TableSpec& table_;
  SampleSize size_;
  uint64_t seed_;
  core::Engine engine_;
  core::Random random_;
  int64_t total_ = 0;
  int64_t next_ = 0;
  uint64_t checksum_ = 0xcbf29ce484222325ULL;
  int64_t bytes_ = 0;
};

// Runs another RowSource on a thread of its own, a few batches ahead, so that generating rows and
// writing them overlap. The inner source is exhausted (or abandoned) when this one is destroyed.
class PrefetchingRows : public engines::RowSource {
 public:
  explicit PrefetchingRows(engines::RowSource& inner, size_t depth = 3);
  ~PrefetchingRows() override;
  PrefetchingRows(const PrefetchingRows&) = delete;
  PrefetchingRows& operator=(const PrefetchingRows&) = delete;

  bool next_batch(std::vector<std::vector<std::optional<std::string>>>& batch, size_t max_rows) override;
  // Stops and waits for the producer thread: after a complete load the inner source's counters are
  // final; after an abandoned one the producer stops early.
  void finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Folds table checksums into one (order matters).
uint64_t combine_checksums(const std::vector<uint64_t>& checksums);

struct LoadPlan {
  std::vector<std::string> services;
  std::vector<std::filesystem::path> schema_files;  // CREATE TABLE, run before loading
  std::vector<std::filesystem::path> index_files;   // secondary indexes and foreign keys, run after
  std::vector<const TableSpec*> tables;             // parents first
};

// The schema files and tables for a target engine, optionally one service. `sample_dir` is the
// samples/virtualpet folder. Usage errors name the services the engine has.
core::Expected<LoadPlan> plan_load(core::Engine engine, const std::optional<std::string>& service,
                                   const std::filesystem::path& sample_dir);

// Finds samples/virtualpet: $DBVET_SAMPLE_DIR, then beside the executable (../samples/virtualpet,
// ../share/dbvet/samples/virtualpet), then the source tree the binary was built from, then ./samples.
std::optional<std::filesystem::path> find_sample_dir(const std::filesystem::path& executable);

}  // namespace dbvet::sample
