#include "analyzer/pipeline/digest_state.hpp"

#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>

#include "analyzer/core/version.hpp"
#include "analyzer/digest/state_codec.hpp"

namespace dbvet::pipeline {
namespace {

constexpr char kMagic[8] = {'D', 'B', 'V', 'S', 'T', 'A', 'T', 'E'};
// Payloads are highly repetitive (fingerprints, sketches, small varints): a middling level is
// already close to the best ratio and keeps writing a state cheap next to reading the log.
constexpr int kZstdLevel = 9;
// No state this program writes comes near this: a header that claims more is damaged.
constexpr uint64_t kMaxPayloadBytes = uint64_t{1} << 36;

core::Error bad_state(const std::string& name, const std::string& what) {
  return core::make_error(core::ErrorKind::input, name + ": " + what);
}

void put_le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

uint64_t get_le(std::string_view in, size_t at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(in[at + i])) << (8 * i);
  return v;
}

std::vector<std::string> split_formats(const std::string& formats) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < formats.size()) {
    size_t comma = formats.find(',', start);
    if (comma == std::string::npos) comma = formats.size();
    if (comma > start) out.push_back(formats.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// The engine whose logs a state read: "mysql", "postgres", "" (none read), or "mysql+postgres".
std::string engines_of(const std::string& formats) {
  bool mysql = false, postgres = false;
  for (const auto& f : split_formats(formats)) {
    if (f.rfind("mysql", 0) == 0) mysql = true;
    if (f.rfind("postgres", 0) == 0) postgres = true;
  }
  if (mysql && postgres) return "mysql+postgres";
  return mysql ? "mysql" : postgres ? "postgres" : "";
}

std::string payload_of(const DigestResult& result) {
  digest::ByteWriter out;
  out.str(std::string(core::kVersion));
  out.u64(static_cast<uint64_t>(result.digest.mode()));
  out.u64(result.files.size());
  for (const auto& f : result.files) out.str(f);
  out.str(result.format);
  for (uint64_t v : {result.events, result.skipped, result.bytes, result.oversized_lines, result.oversized_bytes}) {
    out.u64(v);
  }
  out.u64(result.oversized_notes.size());
  for (const auto& n : result.oversized_notes) out.str(n);
  out.u64(result.read_errors.size());
  for (const auto& e : result.read_errors) out.str(e);
  out.u64(result.skipped_records.size());
  for (const auto& s : result.skipped_records) {
    out.str(s.file);
    out.u64(s.record.byte_offset);
    out.str(s.record.reason);
  }
  // Classes by id: equal digests give equal bytes.
  std::vector<const digest::QueryClass*> classes;
  classes.reserve(result.digest.classes().size());
  for (const auto& [id, c] : result.digest.classes()) classes.push_back(&c);
  std::sort(classes.begin(), classes.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
  out.u64(classes.size());
  for (const auto* c : classes) digest::encode_class(*c, out);
  digest::encode_server(result.server, out);      // since version 2
  out.u64(result.digest.time_buckets() ? 1 : 0);  // since version 4: the classes' time buckets are whole
  return out.take();
}

core::Expected<DigestResult> result_of(std::string_view payload, const std::string& name) {
  digest::ByteReader in(payload);
  DigestResult result;
  in.str();  // the version of dbvet that wrote it: for people reading the bytes
  const uint64_t mode = in.u64();
  if (mode > static_cast<uint64_t>(sql::FingerprintMode::pg)) in.fail();
  const uint64_t files = in.count();
  for (uint64_t i = 0; i < files && !in.failed(); ++i) result.files.push_back(in.str());
  result.format = in.str();
  for (uint64_t* v :
       {&result.events, &result.skipped, &result.bytes, &result.oversized_lines, &result.oversized_bytes}) {
    *v = in.u64();
  }
  const uint64_t notes = in.count();
  for (uint64_t i = 0; i < notes && !in.failed(); ++i) result.oversized_notes.push_back(in.str());
  const uint64_t errors = in.count();
  for (uint64_t i = 0; i < errors && !in.failed(); ++i) result.read_errors.push_back(in.str());
  const uint64_t skipped = in.count(3);
  for (uint64_t i = 0; i < skipped && !in.failed(); ++i) {
    SkippedInFile s;
    s.file = in.str();
    s.record.byte_offset = in.u64();
    s.record.reason = in.str();
    result.skipped_records.push_back(std::move(s));
  }
  if (in.failed()) return bad_state(name, "damaged digest state: its header fields are cut short");
  result.digest = digest::Digest(static_cast<sql::FingerprintMode>(mode));
  const uint64_t classes = in.count(8);
  std::string previous_id;
  for (uint64_t i = 0; i < classes; ++i) {
    auto c = digest::decode_class(in, result.files.size());
    if (!c) return bad_state(name, "damaged digest state: class " + std::to_string(i + 1) + ": " + c.error().message);
    if (i > 0 && c->id <= previous_id) return bad_state(name, "damaged digest state: classes out of order");
    previous_id = c->id;
    result.digest.add_class(*c);
  }
  auto server = digest::decode_server(in);
  if (!server) return bad_state(name, "damaged digest state: " + server.error().message);
  result.server = std::move(*server);
  const uint64_t time_buckets = in.u64();
  if (time_buckets > 1) in.fail();
  result.digest.set_time_buckets(time_buckets == 1);
  if (in.failed() || !in.at_end()) return bad_state(name, "damaged digest state: bytes after its server activity");
  return result;
}

}  // namespace

std::string encode_digest_state(const DigestResult& result) {
  const std::string payload = payload_of(result);
  std::string frame(ZSTD_compressBound(payload.size()), '\0');
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, kZstdLevel);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  const size_t written = ZSTD_compress2(cctx, frame.data(), frame.size(), payload.data(), payload.size());
  ZSTD_freeCCtx(cctx);
  if (ZSTD_isError(written)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(written));
  frame.resize(written);
  std::string out(kMagic, sizeof kMagic);
  put_le(out, kDigestStateVersion, 4);
  put_le(out, 0, 4);
  put_le(out, payload.size(), 8);
  put_le(out, frame.size(), 8);
  out += frame;
  return out;
}

core::Expected<DigestResult> decode_digest_state(std::string_view bytes, const std::string& name) {
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    return bad_state(name,
                     "not a dbvet digest state (it does not start with \"DBVSTATE\"; write one with dbvet "
                     "digest --state FILE)");
  }
  if (bytes.size() < kDigestStateHeaderBytes) {
    return bad_state(name, "truncated digest state: " + std::to_string(bytes.size()) + " bytes, shorter than its " +
                               std::to_string(kDigestStateHeaderBytes) + "-byte header");
  }
  const uint64_t version = get_le(bytes, 8, 4);
  if (version != kDigestStateVersion) {
    // Version 1 had no server activity (checkpoints, locks, errors...): its merge would lack them.
    return bad_state(name,
                     "a digest state of format version " + std::to_string(version) + "; this dbvet (" +
                         std::string(core::kVersion) + ") reads version " + std::to_string(kDigestStateVersion) +
                         (version < kDigestStateVersion ? " (an older dbvet wrote it)" : " (a newer dbvet wrote it)") +
                         ": merge it with the dbvet version that wrote it, or digest its logs again");
  }
  const uint64_t flags = get_le(bytes, 12, 4);
  const uint64_t payload_size = get_le(bytes, 16, 8);
  const uint64_t frame_size = get_le(bytes, 24, 8);
  if (flags != 0 || payload_size > kMaxPayloadBytes) return bad_state(name, "damaged digest state header");
  const uint64_t have = bytes.size() - kDigestStateHeaderBytes;
  if (have < frame_size) {
    return bad_state(name, "truncated digest state: " + std::to_string(bytes.size()) + " bytes of the " +
                               std::to_string(kDigestStateHeaderBytes + frame_size) + " its header announces");
  }
  if (have > frame_size) {
    return bad_state(name, "damaged digest state: " + std::to_string(have - frame_size) +
                               " bytes after the end its header announces");
  }
  std::string payload(payload_size, '\0');
  const size_t got =
      ZSTD_decompress(payload.data(), payload.size(), bytes.data() + kDigestStateHeaderBytes, frame_size);
  if (ZSTD_isError(got) || got != payload_size) {
    return bad_state(name, std::string("damaged digest state: ") +
                               (ZSTD_isError(got) ? ZSTD_getErrorName(got) : "its payload has the wrong size"));
  }
  return result_of(payload, name);
}

core::Status write_digest_state(const DigestResult& result, const std::string& path) {
  const std::string bytes = encode_digest_state(result);
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      const int error = errno;
      std::remove(temporary.c_str());
      return core::make_error(core::ErrorKind::input,
                              "cannot write digest state " + path + ": " + std::generic_category().message(error));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(temporary.c_str());
    return core::make_error(core::ErrorKind::input,
                            "cannot write digest state " + path + ": " + std::generic_category().message(error));
  }
  return core::ok();
}

core::Expected<DigestResult> read_digest_state(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::make_error(core::ErrorKind::input,
                            path + ": cannot read digest state: " + std::generic_category().message(errno));
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return core::make_error(core::ErrorKind::input, path + ": cannot read digest state");
  return decode_digest_state(bytes, path);
}

core::Expected<DigestResult> merge_digest_states(std::vector<NamedState> states) {
  if (states.empty()) return core::make_error(core::ErrorKind::usage, "merge: no digest states given");
  // Every state must have been made the same way: one fingerprint mode, one engine's logs.
  const NamedState* engine_state = nullptr;
  for (const auto& s : states) {
    if (s.result.digest.mode() != states.front().result.digest.mode()) {
      return core::make_error(core::ErrorKind::usage,
                              states.front().name + " was digested with --fingerprint " +
                                  std::string(sql::fingerprint_mode_name(states.front().result.digest.mode())) +
                                  " but " + s.name + " with --fingerprint " +
                                  std::string(sql::fingerprint_mode_name(s.result.digest.mode())) +
                                  ": their classes cannot be merged; digest every log with the same --fingerprint");
    }
    const std::string engines = engines_of(s.result.format);
    if (engines.empty()) continue;
    if (engine_state == nullptr) {
      engine_state = &s;
    } else if (engines_of(engine_state->result.format) != engines) {
      return core::make_error(core::ErrorKind::usage,
                              engine_state->name + " holds " + engines_of(engine_state->result.format) + " logs (" +
                                  engine_state->result.format + ") but " + s.name + " holds " + engines + " logs (" +
                                  s.result.format + "): merge the states of one engine's logs at a time");
    }
  }
  // The order of the inputs decides ties between examples and the order of the files listed:
  // fixed here, whatever the order of the arguments.
  std::vector<std::pair<std::string, size_t>> keys;
  for (size_t i = 0; i < states.size(); ++i) keys.emplace_back(payload_of(states[i].result), i);
  std::vector<size_t> order(states.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (states[a].result.files != states[b].result.files) return states[a].result.files < states[b].result.files;
    return keys[a].first < keys[b].first;
  });

  DigestResult merged;
  merged.digest = digest::Digest(states.front().result.digest.mode());
  // Time buckets of some hosts only would draw a fleet's trend as some hosts': all or none.
  const bool time_buckets =
      std::all_of(states.begin(), states.end(), [](const NamedState& s) { return s.result.digest.time_buckets(); });
  merged.digest.set_time_buckets(time_buckets);
  std::vector<std::string> formats;
  for (size_t index : order) {
    const DigestResult& r = states[index].result;
    const auto offset = static_cast<uint32_t>(merged.files.size());
    if (merged.files.size() + r.files.size() > UINT32_MAX) {
      return core::make_error(core::ErrorKind::usage, "merge: more input files than a digest can name");
    }
    merged.files.insert(merged.files.end(), r.files.begin(), r.files.end());
    for (const auto& f : split_formats(r.format)) {
      if (std::find(formats.begin(), formats.end(), f) == formats.end()) formats.push_back(f);
    }
    merged.events += r.events;
    merged.skipped += r.skipped;
    merged.bytes += r.bytes;
    merged.oversized_lines += r.oversized_lines;
    merged.oversized_bytes += r.oversized_bytes;
    merged.oversized_notes.insert(merged.oversized_notes.end(), r.oversized_notes.begin(), r.oversized_notes.end());
    merged.read_errors.insert(merged.read_errors.end(), r.read_errors.begin(), r.read_errors.end());
    for (const auto& s : r.skipped_records) {
      if (merged.skipped_records.size() < capture::ReadStats::kMaxSkippedKept) merged.skipped_records.push_back(s);
    }
    // Examples (the slowest, and the slowest with an auto_explain plan) name their input by
    // position: shifted past the inputs of the states before.
    digest::Digest shifted(r.digest.mode());
    for (const auto& [id, c] : r.digest.classes()) {
      digest::QueryClass moved = c;
      moved.example.input += offset;
      if (moved.planned.query_time_us >= 0) moved.planned.input += offset;
      if (!time_buckets) moved.time_buckets = {};
      shifted.add_class(moved);
    }
    merged.digest.merge(shifted);
    merged.server.merge(r.server);
  }
  for (size_t i = 0; i < formats.size(); ++i) merged.format += (i ? "," : "") + formats[i];
  return merged;
}

}  // namespace dbvet::pipeline
