#include "analyzer/engines/socket_deadline.hpp"

#include <sys/socket.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace dbvet::engines {
namespace {

using Clock = std::chrono::steady_clock;

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
    if (!started_) {
      std::thread([this] { loop(); }).detach();
      started_ = true;
    }
    auto it = armed_.emplace(at, std::move(entry));
    wake_.notify_one();
    return it;
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

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      if (armed_.empty()) {
        wake_.wait(lock);
        continue;
      }
      auto first = armed_.begin();
      // A copy: wait_until unlocks, and another thread may erase this entry (and its key) meanwhile.
      const Clock::time_point earliest = first->first;
      if (Clock::now() < earliest) {
        wake_.wait_until(lock, earliest);
        continue;
      }
      first->second->fired.store(true);
      ::shutdown(first->second->fd, SHUT_RDWR);
      armed_.erase(first);
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<Clock::time_point, std::shared_ptr<SocketDeadline::Entry>> armed_;
  bool started_ = false;
};

}  // namespace

SocketDeadline::SocketDeadline(int fd, std::chrono::milliseconds after) {
  if (fd < 0 || after.count() <= 0) return;
  entry_ = std::make_shared<Entry>();
  entry_->fd = fd;
  Watchdog::instance().arm(Clock::now() + after, entry_);
}

SocketDeadline::~SocketDeadline() {
  if (entry_) Watchdog::instance().disarm(entry_);
}

bool SocketDeadline::fired() const { return entry_ && entry_->fired.load(); }

}  // namespace dbvet::engines
