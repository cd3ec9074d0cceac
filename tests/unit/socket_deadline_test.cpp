#include "analyzer/engines/socket_deadline.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
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

// A TCP connection on loopback: `client` is the side a deadline guards, `server` answers it.
struct TcpPair {
  int client = -1, server = -1;
  TcpPair() {
    int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::listen(listener, 1), 0);
    EXPECT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
    client = ::socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    server = ::accept(listener, nullptr, nullptr);
    ::close(listener);
  }
  ~TcpPair() {
    ::close(client);
    ::close(server);
  }
};

// Several statements in one call (introspection): a server that keeps answering is never cut off,
// however long the whole takes; one that falls silent is, once the silence exceeds the limit.
TEST(SocketDeadline, ASilenceDeadlineWaitsWhileTheServerAnswersAndFiresWhenItStops) {
  TcpPair pair;
  SocketDeadline deadline(pair.client, std::chrono::milliseconds(400), SocketDeadline::Kind::silence);
  char byte = 0;
  // Two seconds of answers every 50 ms: five times the allowed silence in all.
  for (int i = 0; i < 40; ++i) {
    ASSERT_EQ(::write(pair.server, "x", 1), 1);
    ASSERT_EQ(::read(pair.client, &byte, 1), 1) << "cut off after " << i * 50 << " ms of answers";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_FALSE(deadline.fired());
  // The server freezes: the socket is shut down (end of file), not waited on forever.
  EXPECT_TRUE(readable_within(pair.client, 10000));
  EXPECT_EQ(::read(pair.client, &byte, 1), 0);
  EXPECT_TRUE(deadline.fired());
}

// A silence deadline needs TCP_INFO: on another socket it arms nothing (the call keeps no deadline,
// as before), rather than cutting a long script off at a fixed time.
TEST(SocketDeadline, ASilenceDeadlineOnAUnixSocketArmsNothing) {
  SocketPair pair;
  SocketDeadline deadline(pair.fds[0], std::chrono::milliseconds(20), SocketDeadline::Kind::silence);
  EXPECT_FALSE(readable_within(pair.fds[0], 200));
  EXPECT_FALSE(deadline.fired());
}

// The bench's sessions arm one deadline per statement, tens of thousands of times a second.
TEST(RepeatedSocketDeadline, AnArmedDeadlineThatPassesShutsTheSocketDown) {
  SocketPair pair;
  RepeatedSocketDeadline deadline(pair.fds[0], std::chrono::milliseconds(30));
  deadline.arm();
  EXPECT_TRUE(readable_within(pair.fds[0], 10000));
  char byte = 0;
  EXPECT_EQ(::read(pair.fds[0], &byte, 1), 0);
  EXPECT_TRUE(deadline.fired());
}

// Statements shorter than the deadline, one after another for many times its length: the watchdog
// finds each arming later than the one it holds and never cuts the session off.
TEST(RepeatedSocketDeadline, StatementsShorterThanTheDeadlineNeverFireItHoweverLongTheSession) {
  SocketPair pair;
  RepeatedSocketDeadline deadline(pair.fds[0], std::chrono::milliseconds(200));  // far above a busy machine's hiccups
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1200);
  while (std::chrono::steady_clock::now() < until) {
    deadline.arm();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    deadline.disarm();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_FALSE(readable_within(pair.fds[0], 200));
  EXPECT_FALSE(deadline.fired());
}

// Disarmed for longer than the deadline, the watchdog drops the entry; the next arming must still
// be watched.
TEST(RepeatedSocketDeadline, AnArmingAfterALongIdleSpellIsStillWatched) {
  SocketPair pair;
  RepeatedSocketDeadline deadline(pair.fds[0], std::chrono::milliseconds(30));
  deadline.arm();
  deadline.disarm();
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_FALSE(deadline.fired());
  deadline.arm();
  EXPECT_TRUE(readable_within(pair.fds[0], 10000));
  EXPECT_TRUE(deadline.fired());
}

// Destroyed while armed (the session closes mid-statement): nothing reaches the socket afterwards.
TEST(RepeatedSocketDeadline, ADeadlineDestroyedWhileArmedNeverFires) {
  SocketPair pair;
  {
    RepeatedSocketDeadline deadline(pair.fds[0], std::chrono::milliseconds(30));
    deadline.arm();
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  ASSERT_EQ(::write(pair.fds[1], "x", 1), 1);
  char byte = 0;
  EXPECT_EQ(::read(pair.fds[0], &byte, 1), 1);
}

// Many sessions re-arming at once while the watchdog drops and re-files their entries; one-shot
// deadlines mixed in. Meant for the sanitizer builds as much as for the assertions.
TEST(RepeatedSocketDeadline, ManySessionsArmingAtOnceNeverFireEarly) {
  std::vector<SocketPair> pairs(8);
  std::vector<std::thread> threads;
  std::atomic<int> fired{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&pairs, &fired, t] {
      RepeatedSocketDeadline deadline(pairs[t].fds[0], std::chrono::milliseconds(300));
      for (int i = 0; i < 2000; ++i) {
        deadline.arm();
        if (i % 500 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (i % 7 == 0) SocketDeadline one_shot(pairs[t].fds[0], std::chrono::milliseconds(1000));
        deadline.disarm();
        if (i % 1000 == 999) std::this_thread::sleep_for(std::chrono::milliseconds(350));  // dropped, then re-armed
      }
      fired += deadline.fired();
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(fired.load(), 0);
}

}  // namespace
}  // namespace dbvet::engines
