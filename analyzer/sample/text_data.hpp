#pragma once
// Word lists and text helpers for realistic-looking sample values: names, e-mail addresses,
// timestamps with a daily cycle. All pure functions of their inputs.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "analyzer/core/random.hpp"

namespace dbvet::sample {

std::span<const std::string_view> first_names();
std::span<const std::string_view> last_names();
std::span<const std::string_view> pet_names();
std::span<const std::string_view> email_domains();

template <class T>
const T& pick(std::span<const T> list, core::Random& random) {
  return list[static_cast<size_t>(random.range(0, static_cast<int64_t>(list.size()) - 1))];
}

// "YYYY-MM-DD HH:MM:SS" for seconds since 1970-01-01 UTC.
std::string format_timestamp(int64_t epoch_seconds);
// "YYYY-MM-DD".
std::string format_date(int64_t epoch_seconds);

// The sample's clock: 90 days of activity ending 2026-01-01 00:00:00 UTC.
inline constexpr int64_t kSampleEnd = 1767225600;
inline constexpr int64_t kSampleDays = 90;
inline constexpr int64_t kSampleStart = kSampleEnd - kSampleDays * 86400;

// A moment in the sample window: a uniform day, an hour weighted by a daily cycle (quiet at 4am,
// busiest in the evening), uniform minutes and seconds. `recent_bias` > 0 favours recent days.
int64_t activity_time(core::Random& random, double recent_bias = 0.0);

// Lower-case hex of `bytes` random bytes.
std::string random_hex(core::Random& random, int bytes);
// A version-4-looking UUID that is a pure function of (seed, stream, index).
std::string stable_uuid(uint64_t seed, std::string_view stream, int64_t index);

}  // namespace dbvet::sample
