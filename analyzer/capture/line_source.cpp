#include "analyzer/capture/line_source.hpp"

#include <bzlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

namespace dbvet::capture {
namespace {

// Decompressed / plain read size: a fraction of a core's L2 cache (1 MiB on current x86 server
// cores), so the bytes read(2) has just copied are still in cache when the reader scans them,
// with the other processes of a shared machine at work. 1 MiB cost 3% more CPU on a 106 MB PostgreSQL log and a 115 MB
// slow log (median of 31 interleaved runs); the buffer still grows for a longer line.
constexpr size_t kChunk = size_t{1} << 18;
constexpr size_t kRawChunk = size_t{1} << 18;  // compressed input read size
// start() copies the first raw read, up to kRawChunk bytes, into the line buffer.
static_assert(kChunk >= kRawChunk);

std::string display_name(const std::string& path) { return path == "-" ? std::string("standard input") : path; }

Compression sniff(const unsigned char* p, size_t n) {
  if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) return Compression::gzip;
  if (n >= 3 && p[0] == 'B' && p[1] == 'Z' && p[2] == 'h') return Compression::bzip2;
  if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd) return Compression::zstd;
  return Compression::none;
}

const char* compression_name(Compression c) {
  switch (c) {
    case Compression::gzip:
      return "gzip";
    case Compression::bzip2:
      return "bzip2";
    case Compression::zstd:
      return "zstd";
    case Compression::none:
      break;
  }
  return "plain";
}

// Reads raw bytes with read(2) (or pread(2) within a range), fills a line buffer either directly
// (plain input) or through a streaming decompressor, and cuts the buffer into lines with memchr.
class FileLineSource final : public LineSource {
 public:
  FileLineSource(std::string path, int fd, bool own_fd) : path_(std::move(path)), fd_(fd), own_fd_(own_fd) {}

  ~FileLineSource() override {
    if (zinit_) inflateEnd(&zs_);
    if (bzinit_) BZ2_bzDecompressEnd(&bz_);
    if (zd_ != nullptr) ZSTD_freeDStream(zd_);
    if (own_fd_ && fd_ >= 0) ::close(fd_);
  }

  // Reads the first bytes to detect the compression. For a range, no detection (plain only).
  core::Status start(bool detect, uint64_t begin, uint64_t end) {
    buf_.reset(new char[kChunk]);
    cap_ = kChunk;
    if (!detect) {
      ranged_ = true;
      raw_pos_ = begin;
      range_end_ = end;
      buf_offset_ = begin;
      return core::ok();
    }
    in_.reset(new char[kRawChunk]);
    // Up to 4 bytes are enough for every magic; short reads (pipes) are retried.
    while (in_len_ < 4) {
      ssize_t n = ::read(fd_, in_.get() + in_len_, kRawChunk - in_len_);
      if (n < 0) {
        if (errno == EINTR) continue;
        return core::make_error(core::ErrorKind::input, display_name(path_) + ": cannot read: " + std::strerror(errno));
      }
      if (n == 0) {
        raw_eof_ = true;
        break;
      }
      in_len_ += static_cast<size_t>(n);
    }
    raw_pos_ = in_len_;
    compression_ = sniff(reinterpret_cast<const unsigned char*>(in_.get()), in_len_);
    switch (compression_) {
      case Compression::none:
        std::memcpy(buf_.get(), in_.get(), in_len_);
        end_ = in_len_;
        in_len_ = 0;
        break;
      case Compression::gzip:
        std::memset(&zs_, 0, sizeof zs_);
        if (inflateInit2(&zs_, 15 + 32) != Z_OK) return init_error();
        zinit_ = true;
        break;
      case Compression::bzip2:
        std::memset(&bz_, 0, sizeof bz_);
        if (BZ2_bzDecompressInit(&bz_, 0, 0) != BZ_OK) return init_error();
        bzinit_ = true;
        break;
      case Compression::zstd:
        zd_ = ZSTD_createDStream();
        if (zd_ == nullptr) return init_error();
        ZSTD_initDStream(zd_);
        break;
    }
    return core::ok();
  }

  bool next(std::string_view& line, uint64_t& offset) override {
    for (;;) {
      if (start_ < end_) {
        const char* base = buf_.get();
        const void* nl = std::memchr(base + start_, '\n', end_ - start_);
        if (nl != nullptr) {
          size_t pos = static_cast<size_t>(static_cast<const char*>(nl) - base);
          size_t len = pos - start_;
          if (len > 0 && base[start_ + len - 1] == '\r') --len;
          line = std::string_view(base + start_, len);
          offset = buf_offset_ + start_;
          start_ = pos + 1;
          return true;
        }
        if (done_) {  // last line without a terminator
          size_t len = end_ - start_;
          if (base[start_ + len - 1] == '\r') --len;
          line = std::string_view(base + start_, len);
          offset = buf_offset_ + start_;
          start_ = end_;
          return true;
        }
      } else if (done_) {
        return false;
      }
      refill();
    }
  }

  bool next_block(std::string_view& block, uint64_t& offset) override {
    for (;;) {
      if (start_ < end_) {
        const char* base = buf_.get();
        // The last newline in the buffer ends the block: the rest waits for more input.
        const char* last = static_cast<const char*>(memrchr(base + start_, '\n', end_ - start_));
        if (last != nullptr || done_) {
          size_t stop = last != nullptr ? static_cast<size_t>(last - base) + 1 : end_;
          block = std::string_view(base + start_, stop - start_);
          offset = buf_offset_ + start_;
          start_ = stop;
          return true;
        }
      } else if (done_) {
        return false;
      }
      refill();
    }
  }

  const std::optional<core::Error>& error() const override { return error_; }
  uint64_t bytes_read() const override { return raw_pos_; }
  Compression compression() const override { return compression_; }
  const OversizedLines& oversized() const override { return oversized_; }

 private:
  core::Error init_error() const {
    return core::make_error(core::ErrorKind::internal, display_name(path_) + ": cannot initialize the " +
                                                           compression_name(compression_) + " decompressor");
  }

  void fail(const std::string& what) {
    if (!error_) {
      error_ = core::make_error(core::ErrorKind::input, display_name(path_) + ": " + what + " at byte offset " +
                                                            std::to_string(current_raw_offset()));
    }
    done_ = true;
  }

  uint64_t current_raw_offset() const { return raw_pos_ - (in_len_ - in_pos_); }

  // Moves the incomplete line to the front (growing the buffer when a line fills it, up to
  // kMaxLineBytes; a longer line is dropped through its newline) and appends.
  void refill() {
    if (start_ > 0) {
      size_t rest = end_ - start_;
      if (rest > 0) std::memmove(buf_.get(), buf_.get() + start_, rest);
      buf_offset_ += start_;
      start_ = 0;
      end_ = rest;
    }
    if (end_ == cap_) {
      if (cap_ >= kMaxLineBytes) {
        start_dropping();
      } else {
        size_t ncap = std::min(cap_ * 2, kMaxLineBytes);
        std::unique_ptr<char[]> nb(new char[ncap]);
        std::memcpy(nb.get(), buf_.get(), end_);
        buf_ = std::move(nb);
        cap_ = ncap;
      }
    }
    size_t got = 0;
    switch (compression_) {
      case Compression::none:
        got = fill_plain();
        break;
      case Compression::gzip:
        got = fill_gzip();
        break;
      case Compression::bzip2:
        got = fill_bzip2();
        break;
      case Compression::zstd:
        got = fill_zstd();
        break;
    }
    end_ += got;
    if (got == 0) done_ = true;
    if (dropping_) drop_through_newline();
  }

  void start_dropping() {
    if (oversized_.lines == 0) oversized_.first_offset = buf_offset_;
    ++oversized_.lines;
    dropping_ = true;
    drop_through_newline();
  }

  // Discards the buffer up to and including the first newline (all of it when there is none yet).
  void drop_through_newline() {
    const void* nl = std::memchr(buf_.get(), '\n', end_);
    size_t drop = nl != nullptr ? static_cast<size_t>(static_cast<const char*>(nl) - buf_.get()) + 1 : end_;
    oversized_.bytes += drop;
    buf_offset_ += drop;
    if (drop < end_) std::memmove(buf_.get(), buf_.get() + drop, end_ - drop);
    end_ -= drop;
    if (nl != nullptr) dropping_ = false;
  }

  // Raw read; returns bytes read, 0 at end of input (or after an error, which is recorded).
  size_t raw_read(char* dst, size_t cap) {
    if (raw_eof_) return 0;
    if (ranged_) {
      if (raw_pos_ >= range_end_) {
        raw_eof_ = true;
        return 0;
      }
      cap = static_cast<size_t>(std::min<uint64_t>(cap, range_end_ - raw_pos_));
    }
    for (;;) {
      ssize_t n = ranged_ ? ::pread(fd_, dst, cap, static_cast<off_t>(raw_pos_)) : ::read(fd_, dst, cap);
      if (n < 0) {
        if (errno == EINTR) continue;
        fail(std::string("read error (") + std::strerror(errno) + ")");
        raw_eof_ = true;
        return 0;
      }
      if (n == 0) raw_eof_ = true;
      raw_pos_ += static_cast<uint64_t>(n);
      return static_cast<size_t>(n);
    }
  }

  size_t fill_plain() {
    size_t total = 0;
    // Fill most of the buffer per call (pipes return small pieces).
    while (end_ + total < cap_ && !raw_eof_) {
      size_t n = raw_read(buf_.get() + end_ + total, cap_ - end_ - total);
      total += n;
      if (n == 0 || total >= kChunk / 2 || ranged_) break;
    }
    return total;
  }

  bool refill_input() {
    if (in_pos_ < in_len_) return true;
    in_pos_ = 0;
    in_len_ = raw_read(in_.get(), kRawChunk);
    return in_len_ > 0;
  }

  size_t fill_gzip() {
    char* out = buf_.get() + end_;
    size_t space = cap_ - end_;
    zs_.next_out = reinterpret_cast<Bytef*>(out);
    zs_.avail_out = static_cast<uInt>(space);
    while (zs_.avail_out > 0) {
      if (!refill_input()) {
        if (!error_ && stream_open_) fail("truncated gzip stream");
        break;
      }
      zs_.next_in = reinterpret_cast<Bytef*>(in_.get() + in_pos_);
      zs_.avail_in = static_cast<uInt>(in_len_ - in_pos_);
      int rc = inflate(&zs_, Z_NO_FLUSH);
      in_pos_ = in_len_ - zs_.avail_in;
      stream_open_ = true;
      if (rc == Z_STREAM_END) {
        stream_open_ = false;
        inflateReset(&zs_);  // concatenated members
        // Trailing zero padding or garbage after the last member: stop quietly on zeros.
        if (in_pos_ < in_len_ && in_.get()[in_pos_] != 0x1f) {
          bool zeros = true;
          for (size_t i = in_pos_; i < in_len_; ++i) zeros = zeros && in_.get()[i] == 0;
          if (!zeros) fail("unexpected data after the gzip stream");
          in_pos_ = in_len_;
          raw_eof_ = true;
          break;
        }
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        fail(std::string("corrupt gzip stream (") + (zs_.msg != nullptr ? zs_.msg : "inflate error") + ")");
        break;
      } else if (rc == Z_BUF_ERROR && zs_.avail_in > 0) {
        fail("corrupt gzip stream");
        break;
      }
    }
    return space - zs_.avail_out;
  }

  size_t fill_bzip2() {
    char* out = buf_.get() + end_;
    size_t space = cap_ - end_;
    bz_.next_out = out;
    bz_.avail_out = static_cast<unsigned>(space);
    while (bz_.avail_out > 0) {
      if (!refill_input()) {
        if (!error_ && stream_open_) fail("truncated bzip2 stream");
        break;
      }
      bz_.next_in = in_.get() + in_pos_;
      bz_.avail_in = static_cast<unsigned>(in_len_ - in_pos_);
      int rc = BZ2_bzDecompress(&bz_);
      in_pos_ = in_len_ - bz_.avail_in;
      stream_open_ = true;
      if (rc == BZ_STREAM_END) {
        stream_open_ = false;
        char* next_out = bz_.next_out;
        unsigned avail_out = bz_.avail_out;
        BZ2_bzDecompressEnd(&bz_);
        std::memset(&bz_, 0, sizeof bz_);
        if (BZ2_bzDecompressInit(&bz_, 0, 0) != BZ_OK) {
          bzinit_ = false;
          fail("cannot restart the bzip2 decompressor");
          break;
        }
        bz_.next_out = next_out;  // concatenated streams (pbzip2) continue in the same buffer
        bz_.avail_out = avail_out;
      } else if (rc != BZ_OK) {
        fail("corrupt bzip2 stream (libbz2 error " + std::to_string(rc) + ")");
        break;
      }
    }
    return space - bz_.avail_out;
  }

  size_t fill_zstd() {
    ZSTD_outBuffer out{buf_.get() + end_, cap_ - end_, 0};
    while (out.pos < out.size) {
      if (!refill_input()) {
        if (!error_ && zstd_pending_) fail("truncated zstd stream");
        break;
      }
      ZSTD_inBuffer in{in_.get(), in_len_, in_pos_};
      size_t rc = ZSTD_decompressStream(zd_, &out, &in);
      in_pos_ = in.pos;
      if (ZSTD_isError(rc)) {
        fail(std::string("corrupt zstd stream (") + ZSTD_getErrorName(rc) + ")");
        break;
      }
      zstd_pending_ = rc != 0;
    }
    return out.pos;
  }

  std::string path_;
  int fd_ = -1;
  bool own_fd_ = false;
  Compression compression_ = Compression::none;
  bool ranged_ = false;
  uint64_t range_end_ = std::numeric_limits<uint64_t>::max();
  uint64_t raw_pos_ = 0;  // raw bytes consumed from the file (absolute for ranges)
  bool raw_eof_ = false;

  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0, start_ = 0, end_ = 0;
  uint64_t buf_offset_ = 0;  // offset in the (decompressed) input of buf_[0]
  bool done_ = false;
  bool dropping_ = false;  // within a line longer than kMaxLineBytes
  OversizedLines oversized_;

  std::unique_ptr<char[]> in_;
  size_t in_pos_ = 0, in_len_ = 0;
  bool stream_open_ = false;
  z_stream zs_{};
  bool zinit_ = false;
  bz_stream bz_{};
  bool bzinit_ = false;
  ZSTD_DStream* zd_ = nullptr;
  bool zstd_pending_ = false;

  std::optional<core::Error> error_;
};

core::Expected<int> open_fd(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return core::make_error(core::ErrorKind::input, path + ": cannot open: " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return core::make_error(core::ErrorKind::input, path + ": is a directory, expected a log file");
  }
  return fd;
}

}  // namespace

core::Expected<std::unique_ptr<LineSource>> open_line_source(const std::string& path) {
  int fd = STDIN_FILENO;
  bool own = false;
  if (path != "-") {
    auto opened = open_fd(path);
    if (!opened) return opened.error();
    fd = *opened;
    own = true;
#ifdef POSIX_FADV_SEQUENTIAL
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  }
  auto src = std::make_unique<FileLineSource>(path, fd, own);
  auto st = src->start(true, 0, 0);
  if (!st) return st.error();
  return std::unique_ptr<LineSource>(std::move(src));
}

core::Expected<std::unique_ptr<LineSource>> open_line_source_range(const std::string& path, uint64_t begin,
                                                                   uint64_t end) {
  auto opened = open_fd(path);
  if (!opened) return opened.error();
  auto src = std::make_unique<FileLineSource>(path, *opened, true);
  if (end < begin) end = begin;
  auto st = src->start(false, begin, end);
  if (!st) return st.error();
  return std::unique_ptr<LineSource>(std::move(src));
}

core::Expected<InputInfo> inspect_input(const std::string& path) {
  InputInfo info;
  if (path == "-") return info;  // not seekable, compression decided when reading
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return core::make_error(core::ErrorKind::input, path + ": cannot open: " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    return core::make_error(core::ErrorKind::input, path + ": is a directory, expected a log file");
  }
  if (!S_ISREG(st.st_mode)) return info;
  info.regular = true;
  auto opened = open_fd(path);
  if (!opened) return opened.error();
  int fd = *opened;
  info.size = static_cast<uint64_t>(st.st_size);
  unsigned char magic[4] = {0, 0, 0, 0};
  ssize_t n = ::pread(fd, magic, sizeof magic, 0);
  ::close(fd);
  info.compression = sniff(magic, n > 0 ? static_cast<size_t>(n) : 0);
  info.seekable = info.compression == Compression::none;
  return info;
}

}  // namespace dbvet::capture
