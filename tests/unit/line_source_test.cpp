#include "analyzer/capture/line_source.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "analyzer/capture/log_reader.hpp"
#include "tests/support/test_env.hpp"

namespace dbvet::capture {
namespace {

namespace fs = std::filesystem;
using dbvet::testing::run_program;
using dbvet::testing::scratch_dir;

struct Lines {
  std::vector<std::string> text;
  std::vector<uint64_t> offsets;
};

Lines read_all(LineSource& src) {
  Lines out;
  std::string_view line;
  uint64_t off = 0;
  while (src.next(line, off)) {
    out.text.emplace_back(line);
    out.offsets.push_back(off);
  }
  return out;
}

void write_file(const fs::path& p, const std::string& data) {
  std::ofstream f(p, std::ios::binary);
  f << data;
}

TEST(LineSource, PlainLinesOffsetsCrlfAndNoTrailingNewline) {
  auto dir = scratch_dir("line_source_plain");
  write_file(dir / "a.log", "one\r\ntwo\n\nthree");
  auto src = open_line_source((dir / "a.log").string());
  ASSERT_TRUE(src) << src.error().message;
  auto lines = read_all(**src);
  EXPECT_EQ(lines.text, (std::vector<std::string>{"one", "two", "", "three"}));
  EXPECT_EQ(lines.offsets, (std::vector<uint64_t>{0, 5, 9, 10}));
  EXPECT_FALSE((*src)->error());
  EXPECT_EQ((*src)->compression(), Compression::none);
  EXPECT_EQ((*src)->bytes_read(), 15u);
}

TEST(LineSource, EmptyFileHasNoLines) {
  auto dir = scratch_dir("line_source_empty");
  write_file(dir / "e.log", "");
  auto src = open_line_source((dir / "e.log").string());
  ASSERT_TRUE(src);
  EXPECT_TRUE(read_all(**src).text.empty());
}

// Lines of every length around the 1 MiB chunk size, and one line longer than several chunks.
std::string big_input(std::vector<std::string>& expected) {
  std::string data;
  size_t n = 0;
  while (data.size() < (size_t{3} << 20)) {
    std::string line(1 + (n * 7919) % 3000, static_cast<char>('a' + n % 26));
    if (n % 5 == 0) line += '\r';
    data += line;
    data += '\n';
    if (n % 5 == 0) line.pop_back();
    expected.push_back(line);
    ++n;
  }
  std::string huge(size_t{5} << 20, 'x');
  data += huge + "\n";
  expected.push_back(huge);
  data += "tail";
  expected.push_back("tail");
  return data;
}

TEST(LineSource, ChunkBoundariesAndLongLines) {
  auto dir = scratch_dir("line_source_chunks");
  std::vector<std::string> expected;
  std::string data = big_input(expected);
  write_file(dir / "big.log", data);
  auto src = open_line_source((dir / "big.log").string());
  ASSERT_TRUE(src);
  auto lines = read_all(**src);
  ASSERT_EQ(lines.text.size(), expected.size());
  EXPECT_TRUE(lines.text == expected);
  // Offsets point at the start of each line.
  for (size_t i = 0; i < lines.offsets.size(); ++i) {
    ASSERT_EQ(data.compare(lines.offsets[i], lines.text[i].size(), lines.text[i]), 0) << i;
  }
}

// A reader that records what it is fed, to compare blocks with lines.
struct Recorder final : LogReader {
  Lines lines;
  ReadStats none;
  void feed_line(std::string_view line, uint64_t offset) override {
    lines.text.emplace_back(line);
    lines.offsets.push_back(offset);
  }
  void finish() override {}
  const ReadStats& stats() const override { return none; }
};

Lines read_blocks(LineSource& src, size_t& blocks) {
  Recorder recorder;
  std::string_view block;
  uint64_t off = 0;
  blocks = 0;
  while (src.next_block(block, off)) {
    EXPECT_FALSE(block.empty());
    recorder.feed_block(block, off);
    ++blocks;
  }
  return recorder.lines;
}

TEST(LineSource, BlocksGiveTheSameLinesAsLineByLine) {
  auto dir = scratch_dir("line_source_blocks");
  std::vector<std::string> expected;
  std::string data = big_input(expected) + "crlf\r\n\nlast\r";
  write_file(dir / "big.log", data);
  auto by_line = open_line_source((dir / "big.log").string());
  auto by_block = open_line_source((dir / "big.log").string());
  ASSERT_TRUE(by_line && by_block);
  auto lines = read_all(**by_line);
  size_t blocks = 0;
  auto fed = read_blocks(**by_block, blocks);
  EXPECT_GT(blocks, 1u);  // the input is larger than one buffer
  EXPECT_EQ(fed.text.back(), "last");
  EXPECT_TRUE(fed.text == lines.text);
  EXPECT_TRUE(fed.offsets == lines.offsets);
  // And within a byte range.
  write_file(dir / "r.log", "aaa\nbbb\nccc\nddd\n");
  auto range = open_line_source_range((dir / "r.log").string(), 4, 12);
  ASSERT_TRUE(range);
  auto part = read_blocks(**range, blocks);
  EXPECT_EQ(part.text, (std::vector<std::string>{"bbb", "ccc"}));
  EXPECT_EQ(part.offsets, (std::vector<uint64_t>{4, 8}));
}

TEST(LineSource, ByteRangeOfPlainFile) {
  auto dir = scratch_dir("line_source_range");
  write_file(dir / "r.log", "aaa\nbbb\nccc\nddd\n");
  auto src = open_line_source_range((dir / "r.log").string(), 4, 12);
  ASSERT_TRUE(src);
  auto lines = read_all(**src);
  EXPECT_EQ(lines.text, (std::vector<std::string>{"bbb", "ccc"}));
  EXPECT_EQ(lines.offsets, (std::vector<uint64_t>{4, 8}));
}

struct Tool {
  const char* program;
  const char* suffix;
  Compression compression;
};

class Compressed : public ::testing::TestWithParam<Tool> {};

TEST_P(Compressed, DecompressesByMagicNotByName) {
  const Tool& tool = GetParam();
  auto dir = scratch_dir(std::string("line_source_") + tool.suffix);
  std::vector<std::string> expected;
  std::string data = big_input(expected);
  write_file(dir / "in.log", data);
  auto r = run_program({tool.program, "-k", "-f", (dir / "in.log").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Renamed without a telling suffix: detection is by magic bytes.
  fs::rename(dir / (std::string("in.log.") + tool.suffix), dir / "renamed.log");
  auto src = open_line_source((dir / "renamed.log").string());
  ASSERT_TRUE(src) << src.error().message;
  EXPECT_EQ((*src)->compression(), tool.compression);
  auto lines = read_all(**src);
  EXPECT_FALSE((*src)->error()) << (*src)->error()->message;
  ASSERT_EQ(lines.text.size(), expected.size());
  EXPECT_TRUE(lines.text == expected);
  EXPECT_EQ((*src)->bytes_read(), fs::file_size(dir / "renamed.log"));
  auto info = inspect_input((dir / "renamed.log").string());
  ASSERT_TRUE(info);
  EXPECT_EQ(info->compression, tool.compression);
  EXPECT_FALSE(info->seekable);
}

INSTANTIATE_TEST_SUITE_P(Tools, Compressed,
                         ::testing::Values(Tool{"gzip", "gz", Compression::gzip},
                                           Tool{"bzip2", "bz2", Compression::bzip2},
                                           Tool{"zstd", "zst", Compression::zstd}),
                         [](const auto& info) { return std::string(info.param.suffix); });

TEST(LineSource, ConcatenatedGzipMembers) {
  auto dir = scratch_dir("line_source_gzcat");
  write_file(dir / "a", "first\n");
  write_file(dir / "b", "second\n");
  ASSERT_EQ(run_program({"gzip", "-f", (dir / "a").string(), (dir / "b").string()}).exit_code, 0);
  std::string both = dbvet::testing::read_file(dir / "a.gz") + dbvet::testing::read_file(dir / "b.gz");
  write_file(dir / "ab.gz", both);
  auto src = open_line_source((dir / "ab.gz").string());
  ASSERT_TRUE(src);
  EXPECT_EQ(read_all(**src).text, (std::vector<std::string>{"first", "second"}));
  EXPECT_FALSE((*src)->error());
}

TEST(LineSource, CorruptGzipReportsFileAndOffset) {
  auto dir = scratch_dir("line_source_corrupt");
  std::vector<std::string> expected;
  write_file(dir / "c.log", big_input(expected));
  ASSERT_EQ(run_program({"gzip", "-f", (dir / "c.log").string()}).exit_code, 0);
  std::string gz = dbvet::testing::read_file(dir / "c.log.gz");
  ASSERT_GT(gz.size(), 6000u);
  for (size_t i = 3000; i < 3400; ++i) gz[i] = static_cast<char>(gz[i] ^ 0x5a);
  write_file(dir / "c.log.gz", gz);
  auto src = open_line_source((dir / "c.log.gz").string());
  ASSERT_TRUE(src);
  auto lines = read_all(**src);
  ASSERT_TRUE((*src)->error().has_value());
  const std::string& msg = (*src)->error()->message;
  EXPECT_NE(msg.find("c.log.gz"), std::string::npos) << msg;
  EXPECT_NE(msg.find("corrupt gzip"), std::string::npos) << msg;
  EXPECT_NE(msg.find("byte offset"), std::string::npos) << msg;
  EXPECT_EQ((*src)->error()->kind, core::ErrorKind::input);
}

TEST(LineSource, TruncatedZstdIsAnError) {
  auto dir = scratch_dir("line_source_trunc");
  std::vector<std::string> expected;
  write_file(dir / "t.log", big_input(expected));
  ASSERT_EQ(run_program({"zstd", "-q", "-f", (dir / "t.log").string()}).exit_code, 0);
  std::string z = dbvet::testing::read_file(dir / "t.log.zst");
  write_file(dir / "t.log.zst", z.substr(0, z.size() / 2));
  auto src = open_line_source((dir / "t.log.zst").string());
  ASSERT_TRUE(src);
  read_all(**src);
  ASSERT_TRUE((*src)->error().has_value());
  EXPECT_NE((*src)->error()->message.find("truncated zstd"), std::string::npos) << (*src)->error()->message;
}

// Standard input ("-") through a pipe, plain and gzip (detected by magic there too).
Lines read_stdin(const std::string& bytes, Compression& seen, bool& error) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  int saved = ::dup(STDIN_FILENO);
  ::dup2(fds[0], STDIN_FILENO);
  ::close(fds[0]);
  std::thread writer([&] {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fds[1], bytes.data() + done, bytes.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    ::close(fds[1]);
  });
  Lines lines;
  {
    auto src = open_line_source("-");
    EXPECT_TRUE(src);
    if (src) {
      lines = read_all(**src);
      seen = (*src)->compression();
      error = (*src)->error().has_value();
    }
  }
  writer.join();
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  return lines;
}

TEST(LineSource, StandardInputPlainAndGzip) {
  std::vector<std::string> expected;
  std::string data = big_input(expected);
  Compression seen = Compression::none;
  bool error = true;
  auto plain = read_stdin(data, seen, error);
  EXPECT_EQ(seen, Compression::none);
  EXPECT_FALSE(error);
  EXPECT_TRUE(plain.text == expected);

  auto dir = scratch_dir("line_source_stdin");
  write_file(dir / "s.log", data);
  ASSERT_EQ(run_program({"gzip", "-f", (dir / "s.log").string()}).exit_code, 0);
  auto gz = read_stdin(dbvet::testing::read_file(dir / "s.log.gz"), seen, error);
  EXPECT_EQ(seen, Compression::gzip);
  EXPECT_FALSE(error);
  EXPECT_TRUE(gz.text == expected);
}

TEST(LineSource, MissingFileIsAClearError) {
  auto src = open_line_source("/nonexistent/dir/pg.log");
  ASSERT_FALSE(src);
  EXPECT_EQ(src.error().kind, core::ErrorKind::input);
  EXPECT_EQ(src.error().message, "/nonexistent/dir/pg.log: cannot open: No such file or directory");
  auto info = inspect_input("/nonexistent/dir/pg.log");
  EXPECT_FALSE(info);
  auto dir = open_line_source("/tmp");
  ASSERT_FALSE(dir);
  EXPECT_NE(dir.error().message.find("is a directory"), std::string::npos);
}

TEST(LineSource, InspectPlainFile) {
  auto dir = scratch_dir("line_source_inspect");
  write_file(dir / "p.log", "hello\n");
  auto info = inspect_input((dir / "p.log").string());
  ASSERT_TRUE(info);
  EXPECT_EQ(info->size, 6u);
  EXPECT_EQ(info->compression, Compression::none);
  EXPECT_TRUE(info->seekable);
}

}  // namespace
}  // namespace dbvet::capture
