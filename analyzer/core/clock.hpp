#pragma once
// Waiting on time, injectable. Where dbvet waits out an interval between two readings (the live
// captures: two snapshots of the statistics, two sizes of the log), it calls a Wait; the product's is
// a sleep, a test's runs the interval's statements and returns, so the test neither sleeps nor races
// the product's timer.

#include <chrono>
#include <functional>
#include <thread>

namespace dbvet::core {

using Wait = std::function<void(std::chrono::milliseconds)>;

inline void sleep_wait(std::chrono::milliseconds duration) { std::this_thread::sleep_for(duration); }

}  // namespace dbvet::core
