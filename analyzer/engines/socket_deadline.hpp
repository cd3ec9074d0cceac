#pragma once
// A client-side deadline on a connection's socket. A server that stops answering (frozen, a dead
// host behind a live network path) never fires its own statement timeout, and the kernel keeps
// acknowledging what the client sends, so TCP timeouts never fire either: the client library waits
// in poll() forever. When the deadline passes before the guard is destroyed, the socket is shut
// down, the blocked call returns with a broken connection, and fired() says why.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

namespace dbvet::engines {

// Extra time a statement gets beyond its server-side timeout before the client gives up on the
// server: the server's own cancellation, a clean query error, should win when the server is alive.
inline constexpr std::chrono::milliseconds kClientTimeoutGrace{2000};

class SocketDeadline {
 public:
  enum class Kind {
    // The socket is shut down `after` from now: one statement, which the server itself cancels at
    // its statement timeout.
    total,
    // The socket is shut down once the server has sent nothing for `after`: several statements,
    // each bounded by the server's statement timeout, so a live server always answers within it.
    // TCP only (the kernel's TCP_INFO says when data last arrived); on another socket it arms nothing.
    silence,
  };
  // fd < 0 arms nothing.
  SocketDeadline(int fd, std::chrono::milliseconds after, Kind kind = Kind::total);
  ~SocketDeadline();
  SocketDeadline(const SocketDeadline&) = delete;
  SocketDeadline& operator=(const SocketDeadline&) = delete;

  bool fired() const;

  struct Entry {
    int fd = -1;
    std::chrono::milliseconds silence{0};  // Kind::silence: the longest quiet allowed; 0 for Kind::total
    std::atomic<bool> fired{false};
    // RepeatedSocketDeadline only: when the socket is shut down (steady-clock ticks; kDisarmed: not
    // armed), and whether the watchdog holds the entry (changed only under the watchdog's lock).
    bool repeated = false;
    std::atomic<int64_t> until{kDisarmed};
    std::atomic<bool> watched{false};
    static constexpr int64_t kDisarmed = INT64_MAX;
  };

 private:
  std::shared_ptr<Entry> entry_;
};

// A Kind::total deadline that one session arms again for each of its statements, as the bench does
// tens of thousands of times a second: arming and disarming are atomic stores, with no allocation and
// no lock. The watchdog keeps the entry and, when it wakes for it, looks at the latest arming: gone
// (disarmed) or moved later, it drops or re-files the entry; passed, it shuts the socket down.
// Every arming is `after` from its call, so each one is later than the one the watchdog holds; only
// an arming the watchdog does not hold yet (the first, or one after it dropped the entry) takes its
// lock.
class RepeatedSocketDeadline {
 public:
  RepeatedSocketDeadline(int fd, std::chrono::milliseconds after);  // fd < 0 or after <= 0 arms nothing
  // Unregisters from the watchdog: destroy it before the socket is closed.
  ~RepeatedSocketDeadline();
  RepeatedSocketDeadline(const RepeatedSocketDeadline&) = delete;
  RepeatedSocketDeadline& operator=(const RepeatedSocketDeadline&) = delete;

  void arm();
  void disarm();
  // The socket was shut down by a deadline (it stays so: the session is lost).
  bool fired() const;

 private:
  std::shared_ptr<SocketDeadline::Entry> entry_;
  std::chrono::milliseconds after_;
};

}  // namespace dbvet::engines
