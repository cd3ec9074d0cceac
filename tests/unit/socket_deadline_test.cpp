#include "analyzer/engines/socket_deadline.hpp"

#include <gtest/gtest.h>
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
