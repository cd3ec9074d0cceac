#include "analyzer/engines/socket_deadline.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>
#include <vector>

namespace dbvet::engines {
namespace {

struct SocketPair {
  int fds[2] = {-1, -1};
  SocketPair() { EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0); }
  ~SocketPair() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
};

TEST(SocketDeadline, APassedDeadlineShutsTheSocketDown) {
  SocketPair pair;
  SocketDeadline deadline(pair.fds[0], std::chrono::milliseconds(20));
  char byte = 0;
  // Blocks until the watchdog shuts the socket down; then reads end of file.
  EXPECT_EQ(::read(pair.fds[0], &byte, 1), 0);
  EXPECT_TRUE(deadline.fired());
}

TEST(SocketDeadline, ADeadlineDestroyedInTimeNeverFires) {
  SocketPair pair;
  { SocketDeadline deadline(pair.fds[0], std::chrono::milliseconds(200)); }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(::write(pair.fds[1], "x", 1), 1);
  char byte = 0;
  EXPECT_EQ(::read(pair.fds[0], &byte, 1), 1);
}

// True when fd turns readable (end of file after a shutdown) within `ms`.
bool readable_within(int fd, int ms) {
  pollfd entry{fd, POLLIN, 0};
  return ::poll(&entry, 1, ms) == 1;
}

// The watchdog is woken only for a deadline earlier than its next wake-up: one armed behind a long
// deadline must still fire on time, not when the long one would have.
TEST(SocketDeadline, AnEarlierDeadlineWakesAWatchdogSleepingForALaterOne) {
  SocketPair long_pair, short_pair;
  SocketDeadline long_deadline(long_pair.fds[0], std::chrono::seconds(60));
  SocketDeadline short_deadline(short_pair.fds[0], std::chrono::milliseconds(20));
  EXPECT_TRUE(readable_within(short_pair.fds[0], 10000));
  EXPECT_TRUE(short_deadline.fired());
  EXPECT_FALSE(long_deadline.fired());
}

// A deadline armed while the watchdog sleeps for an earlier one (later disarmed) is not announced to
// it; it must be found when the watchdog wakes for the earlier one.
TEST(SocketDeadline, ALaterDeadlineFiresAfterTheEarlierOneWasDisarmed) {
  SocketPair first_pair, second_pair;
  { SocketDeadline first(first_pair.fds[0], std::chrono::milliseconds(30)); }
  SocketDeadline second(second_pair.fds[0], std::chrono::milliseconds(80));
  EXPECT_TRUE(readable_within(second_pair.fds[0], 10000));
  EXPECT_TRUE(second.fired());
}

// Many sessions arm and disarm at once, as a 64-client bench does on every statement. Under
// AddressSanitizer this caught the watchdog waiting on the key of an entry another thread erased.
TEST(SocketDeadline, ArmingAndDisarmingFromManyThreadsIsSafe) {
  std::vector<std::thread> threads;
  std::vector<SocketPair> pairs(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&pairs, t] {
      for (int i = 0; i < 3000; ++i) {
        SocketDeadline deadline(pairs[t].fds[0], std::chrono::milliseconds(1 + (i * 7 + t) % 50));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  SUCCEED();
}

}  // namespace
}  // namespace dbvet::engines
