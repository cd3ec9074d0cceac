#include "analyzer/engines/socket_deadline.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <time.h>

#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace dbvet::engines {
namespace {

using Clock = std::chrono::steady_clock;

// How long ago the server last sent data on a TCP socket; nothing for other sockets.
std::optional<std::chrono::milliseconds> quiet_for(int fd) {
  tcp_info info{};
  socklen_t length = sizeof info;
  if (::getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0 ||
      length < offsetof(tcp_info, tcpi_last_data_recv) + sizeof info.tcpi_last_data_recv) {
    return std::nullopt;
  }
  return std::chrono::milliseconds(info.tcpi_last_data_recv);
}

// One thread for the whole process sleeps until the earliest armed deadline. Never destroyed: it
// may still be waiting when the process exits.
class Watchdog {
 public:
  static Watchdog& instance() {
    static Watchdog* watchdog = new Watchdog();
    return *watchdog;
  }

  std::multimap<Clock::time_point, std::shared_ptr<SocketDeadline::Entry>>::iterator arm(
      Clock::time_point at, std::shared_ptr<SocketDeadline::Entry> entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    return file(at, std::move(entry));
  }

  // The socket stays open until disarm returns, so a shutdown never reaches a reused descriptor.
  void disarm(const std::shared_ptr<SocketDeadline::Entry>& entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = armed_.begin(); it != armed_.end(); ++it) {
      if (it->second == entry) {
        armed_.erase(it);
        return;
      }
    }
  }

  // A RepeatedSocketDeadline armed while the watchdog does not hold its entry.
  void watch(const std::shared_ptr<SocketDeadline::Entry>& entry) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (entry->watched.load()) return;  // the watchdog re-filed it meanwhile
    const int64_t until = entry->until.load();
    if (until == SocketDeadline::Entry::kDisarmed) return;
    entry->watched.store(true);
    file(Clock::time_point(Clock::duration(until)), entry);
  }

 private:
  // Called with mutex_ held.
  std::multimap<Clock::time_point, std::shared_ptr<SocketDeadline::Entry>>::iterator file(
      Clock::time_point at, std::shared_ptr<SocketDeadline::Entry> entry) {
    if (!started_) {
      std::thread([this] { loop(); }).detach();
      started_ = true;
    }
    auto it = armed_.emplace(at, std::move(entry));
    // Waking the thread on every statement cost two context switches per query (a tenth of a
    // one-client bench's rate): it is woken only when this deadline comes before its next wake-up.
    // A later deadline is found when it wakes for the earlier one, even if that one was disarmed.
    if (at < wake_at_) {
      wake_at_ = at;
      wake_.notify_one();
    }
    return it;
  }

  void loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      const auto now = Clock::now();
      while (!armed_.empty() && armed_.begin()->first <= now) {
        auto first = armed_.begin();
        auto entry = first->second;
        armed_.erase(first);
        if (entry->repeated && !still_due(entry, now)) continue;
        if (entry->silence.count() > 0) {
          // Data came within the allowed quiet: wait until the quiet since then would exceed it.
          if (auto quiet = quiet_for(entry->fd); quiet && *quiet < entry->silence) {
            armed_.emplace(now + (entry->silence - *quiet), std::move(entry));
            continue;
          }
        }
        entry->fired.store(true);
        ::shutdown(entry->fd, SHUT_RDWR);
      }
      // A copy: wait_until unlocks, and another thread may erase the entry (and its key) meanwhile.
      wake_at_ = armed_.empty() ? Clock::time_point::max() : armed_.begin()->first;
      if (armed_.empty()) {
        wake_.wait(lock);
      } else {
        wake_.wait_until(lock, wake_at_);
      }
    }
  }

  // A RepeatedSocketDeadline's entry came due: false when its latest arming is gone or later (the
  // entry is then dropped or re-filed), true when the socket is to be shut down now.
  bool still_due(const std::shared_ptr<SocketDeadline::Entry>& entry, Clock::time_point now) {
    int64_t until = entry->until.load();
    if (until == SocketDeadline::Entry::kDisarmed) {
      entry->watched.store(false);
      // An arming between the load and the store saw the entry still watched and counts on the
      // watchdog: the load after the store sees it (both are sequentially consistent).
      until = entry->until.load();
      if (until == SocketDeadline::Entry::kDisarmed) return false;
      entry->watched.store(true);
    }
    const Clock::time_point at{Clock::duration(until)};
    if (at > now) {
      armed_.emplace(at, entry);
      return false;
    }
    entry->watched.store(false);
    return true;
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<Clock::time_point, std::shared_ptr<SocketDeadline::Entry>> armed_;
  bool started_ = false;
  // When the thread wakes next (max: only when notified); guarded by mutex_.
  Clock::time_point wake_at_ = Clock::time_point::max();
};

}  // namespace

SocketDeadline::SocketDeadline(int fd, std::chrono::milliseconds after, Kind kind) {
  if (fd < 0 || after.count() <= 0) return;
  if (kind == Kind::silence && !quiet_for(fd)) return;
  entry_ = std::make_shared<Entry>();
  entry_->fd = fd;
  if (kind == Kind::silence) entry_->silence = after;
  Watchdog::instance().arm(Clock::now() + after, entry_);
}

SocketDeadline::~SocketDeadline() {
  if (entry_) Watchdog::instance().disarm(entry_);
}

bool SocketDeadline::fired() const { return entry_ && entry_->fired.load(); }

RepeatedSocketDeadline::RepeatedSocketDeadline(int fd, std::chrono::milliseconds after) : after_(after) {
  if (fd < 0 || after.count() <= 0) return;
  entry_ = std::make_shared<SocketDeadline::Entry>();
  entry_->fd = fd;
  entry_->repeated = true;
}

RepeatedSocketDeadline::~RepeatedSocketDeadline() {
  if (!entry_) return;
  entry_->until.store(SocketDeadline::Entry::kDisarmed);
  Watchdog::instance().disarm(entry_);  // the watchdog holds the entry at most once
}

void RepeatedSocketDeadline::arm() {
  if (!entry_) return;
  // The coarse monotonic clock (steady_clock's own, a few milliseconds behind at most) costs a load
  // instead of a clock read: a deadline of seconds does not need more.
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
  const auto since_boot = std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
  entry_->until.store(std::chrono::duration_cast<Clock::duration>(since_boot + after_).count());
  if (!entry_->watched.load()) Watchdog::instance().watch(entry_);
}

void RepeatedSocketDeadline::disarm() {
  if (entry_) entry_->until.store(SocketDeadline::Entry::kDisarmed);
}

bool RepeatedSocketDeadline::fired() const { return entry_ && entry_->fired.load(); }

}  // namespace dbvet::engines
