#include "mlpipe/core/decompress.h"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "compressed.h"
#include "mlpipe/core/byte_source.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/frame_scan.h"
#include "mlpipe/core/input.h"

using namespace mlpipe;
using namespace mlpipe::test;

namespace {

std::string compressed_input_file(const std::string& contents) {
  char name[] = "/tmp/mlpipe-decompress.XXXXXX";
  int fd = mkstemp(name);
  REQUIRE(fd >= 0);
  close(fd);
  std::ofstream(name, std::ios::binary) << contents;
  return name;
}

// Every text byte of `data`, decompressed through a pipe-like ByteSource in tiny reads.
std::string text_of(const std::string& data, std::size_t read_size = 5) {
  std::string path = compressed_input_file(data);
  std::string display = "f";
  int fd = ::open(path.c_str(), O_RDONLY);
  ByteSource source(fd, &display, true);
  std::string text, buf(read_size, '\0');
  try {
    for (std::size_t n; (n = source.read(buf.data(), buf.size())) > 0;) text.append(buf, 0, n);
  } catch (...) {
    ::unlink(path.c_str());
    throw;
  }
  ::unlink(path.c_str());
  return text;
}

// The same through a pipe (no read-ahead: a pipe's reads may wait on the writer).
std::string text_of_pipe(const std::string& data) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::thread writer([&] {
    for (std::size_t at = 0; at < data.size();) {
      ssize_t put = ::write(fds[1], data.data() + at, std::min<std::size_t>(data.size() - at, 333));
      if (put <= 0) break;
      at += std::size_t(put);
    }
    ::close(fds[1]);
  });
  std::string display = "pipe";
  std::string text, buf(4096, '\0');
  std::string error;
  {
    ByteSource source(fds[0], &display, true);
    try {
      for (std::size_t n; (n = source.read(buf.data(), buf.size())) > 0;) text.append(buf, 0, n);
    } catch (const Error& e) {
      error = e.what();
    }
  }
  writer.join();
  return error.empty() ? text : "error: " + error;
}

std::string lines(int n, const char* tag = "x") {
  std::string s;
  for (int i = 0; i < n; ++i)
    s += "{\"i\":" + std::to_string(i) + ",\"t\":\"" + tag + std::string(i % 37, 'a') + "\"}\n";
  return s;
}

std::string error_of(const std::string& data) {
  try {
    text_of(data);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("compression is told by the first bytes, not the name") {
  CHECK(compression_of("\x1f\x8b\x08") == Compression::gzip);
  CHECK(compression_of("\x28\xb5\x2f\xfd") == Compression::zstd);
  CHECK(compression_of("{\"a\":1}") == Compression::none);
  CHECK(compression_of("") == Compression::none);
  // A pipe is read on only while the bytes so far could still be a magic.
  CHECK(could_start_magic("\x1f"));
  CHECK(could_start_magic("\x28\xb5"));
  CHECK_FALSE(could_start_magic("{"));
  CHECK_FALSE(could_start_magic("\x1f\x8b"));
}

TEST_CASE("gzip, several gzip members, BGZF and zstd frames read as one text") {
  const std::string text = lines(500);
  CHECK(text_of(gzip_member(text)) == text);
  CHECK(text_of(gzip_member(text), 1 << 20) == text);
  CHECK(text_of(gzip_member(text.substr(0, 1000)) + gzip_member(text.substr(1000))) == text);
  CHECK(text_of(bgzf(text, 700)) == text);
  CHECK(text_of(zstd_frame(text)) == text);
  CHECK(text_of(zstd_frames(text, 900)) == text);
  CHECK(text_of(text) == text);  // plain text passes as it is
  CHECK(text_of_pipe(gzip_member(text) + gzip_member(text)) == text + text);
  CHECK(text_of_pipe(zstd_frames(text, 900)) == text);
  CHECK(text_of_pipe(text) == text);
  std::string cut = zstd_frames(text, 900);
  CHECK(text_of_pipe(cut.substr(0, cut.size() - 2)).rfind("error: truncated zstd input", 0) == 0);
  CHECK(text_of(gzip_member("")) == "");
  CHECK(text_of("") == "");
}

TEST_CASE("a corrupt or truncated compressed stream is an error, never a short text") {
  const std::string text = lines(300);
  for (const std::string& data : {gzip_member(text), bgzf(text, 500), zstd_frame(text), zstd_frames(text, 800)}) {
    CAPTURE(data.size());
    CHECK(error_of(data.substr(0, data.size() - 3)).find("truncated") != std::string::npos);
    CHECK(error_of(data.substr(0, data.size() / 2)).find("truncated") != std::string::npos);
    std::string bad = data;
    bad[bad.size() / 2] = char(bad[bad.size() / 2] ^ 0x55);
    bad[bad.size() / 2 + 1] = char(bad[bad.size() / 2 + 1] ^ 0x55);
    CHECK(error_of(bad).find("corrupt") != std::string::npos);
  }
  // A gzip checksum that does not match the text.
  std::string crc = gzip_member(text);
  crc[crc.size() - 6] = char(crc[crc.size() - 6] ^ 1);
  CHECK(error_of(crc).find("corrupt gzip data") != std::string::npos);
  // What follows the last member must be another member.
  CHECK(error_of(gzip_member(text) + "trailing").find("not gzip data") != std::string::npos);
  CHECK(error_of(zstd_frame(text) + "trailing").find("not zstd data") != std::string::npos);
}

TEST_CASE("the decompressor stops at each member's end, so frame offsets are known") {
  const std::string a = gzip_member("one\ntwo\n", true), b = gzip_member("three\n", true);
  Decompressor d(Compression::gzip);
  const std::string in = a + b;
  char out[64];
  std::size_t used = 0;
  std::vector<std::size_t> ends;
  std::string text;
  while (used < in.size()) {
    auto s = d.step(std::string_view(in).substr(used), out, sizeof out);
    used += s.consumed;
    text.append(out, s.produced);
    if (s.frame_end) ends.push_back(used);
  }
  CHECK(text == "one\ntwo\nthree\n");
  CHECK(ends == std::vector<std::size_t>{a.size(), in.size()});
  CHECK(d.between_frames());
}

TEST_CASE("frame scanning: BGZF members and zstd frames, no cut in a plain gzip file") {
  const std::string text = lines(400);
  auto starts_of = [](const std::string& data) {
    std::string path = compressed_input_file(data);
    int fd = ::open(path.c_str(), O_RDONLY);
    auto starts = frame_starts(fd, data.size(), compression_of_file(fd));
    ::close(fd);
    ::unlink(path.c_str());
    return starts;
  };
  std::vector<std::uint64_t> want;
  std::string data;
  for (std::size_t i = 0; i < text.size(); i += 1000) {
    if (i > 0) want.push_back(data.size());
    data += gzip_member(text.substr(i, 1000), true);
  }
  CHECK(starts_of(data) == want);
  // zstd: the walk over block headers agrees with libzstd's own frame sizes.
  std::string z = zstd_frames(text, 1500);
  std::vector<std::uint64_t> zwant;
  for (std::size_t at = 0; at < z.size();) {
    at += ZSTD_findFrameCompressedSize(z.data() + at, z.size() - at);
    if (at < z.size()) zwant.push_back(at);
  }
  CHECK(zwant.size() > 3);
  CHECK(starts_of(z) == zwant);
  // A skippable frame between two frames is a frame of its own.
  std::string skip = std::string("\x50\x2a\x4d\x18\x03\x00\x00\x00xyz", 11);
  std::string zs = zstd_frame("a\n") + skip + zstd_frame("b\n");
  CHECK(starts_of(zs) == std::vector<std::uint64_t>{zstd_frame("a\n").size(), zstd_frame("a\n").size() + 11});
  CHECK(text_of(zs) == "a\nb\n");
  // Plain gzip members carry no size: one unit. So is a single frame, and plain text.
  CHECK(starts_of(gzip_member(text.substr(0, 500)) + gzip_member(text.substr(500))).empty());
  CHECK(starts_of(zstd_frame(text)).empty());
  CHECK(starts_of(text).empty());
  // The walk stops where the headers stop making sense: the cuts before are still good.
  std::string cut = bgzf(text, 3000);
  std::size_t first = gzip_member(text.substr(0, 3000), true).size();
  CHECK(starts_of(cut.substr(0, first + 10)) == std::vector<std::uint64_t>{first});
}

namespace {
// Every record of a range as "line:text", and line_base().
std::vector<std::string> read_range(const std::string& path, std::uint64_t begin, std::uint64_t end,
                                    std::uint64_t* base = nullptr) {
  std::string display = "f";
  InputLimits limits;
  limits.batch_bytes = 7;  // tiny: reads end mid-line and mid-frame
  LineReader reader(path, &display, ByteRange{begin, end}, limits);
  std::vector<std::string> got;
  Batch batch;
  while (reader.next(batch))
    for (const Record& r : batch.records) got.push_back(std::to_string(r.line) + ":" + std::string(r.data));
  if (base) *base = reader.line_base();
  return got;
}
}  // namespace

TEST_CASE("LineReader over frame ranges: lines spanning frames belong to one range, in order") {
  // Frames of 10 text bytes: most lines span two or more frames; some end on a frame's last byte.
  std::string text;
  for (int i = 0; i < 40; ++i) text += "{\"n\":" + std::to_string(i * 7 % 1000) + "}\n";
  text += "\n{\"last\":1}";  // a blank line, and a last line without a newline
  std::vector<std::string> whole;
  {
    std::string path = compressed_input_file(text);
    whole = read_range(path, 0, UINT64_MAX);
    ::unlink(path.c_str());
  }
  for (int fmt = 0; fmt < 2; ++fmt) {
    std::string data = fmt == 0 ? bgzf(text, 10) : zstd_frames(text, 10);
    std::string path = compressed_input_file(data);
    int fd = ::open(path.c_str(), O_RDONLY);
    std::vector<std::uint64_t> cuts = frame_starts(fd, data.size(), compression_of_file(fd));
    ::close(fd);
    REQUIRE(cuts.size() == (text.size() + 9) / 10 - 1);
    for (std::size_t step : {1, 2, 3, 7}) {
      CAPTURE(fmt);
      CAPTURE(step);
      std::vector<std::uint64_t> bounds{0};
      for (std::size_t i = step - 1; i < cuts.size(); i += step) bounds.push_back(cuts[i]);
      bounds.push_back(data.size());
      std::vector<std::string> all;
      for (std::size_t r = 0; r + 1 < bounds.size(); ++r) {
        std::uint64_t base = 0;
        for (const std::string& s : read_range(path, bounds[r], bounds[r + 1], &base)) {
          // Relative line numbers plus the base are the file's.
          std::size_t colon = s.find(':');
          all.push_back(std::to_string(std::stoull(s.substr(0, colon)) + base) + s.substr(colon));
        }
      }
      CHECK(all == whole);
    }
    // A range that does not end at a frame boundary is refused (a manifest that lies).
    CHECK_THROWS_AS(read_range(path, 0, cuts[0] + 1), Error);
    CHECK_THROWS_AS(read_range(path, cuts[0] + 1, data.size()), Error);
    ::unlink(path.c_str());
  }
}

TEST_CASE("a truncated compressed input: the whole lines before come out, then the error at the line reached") {
  std::string text = lines(200);
  std::string data = gzip_member(text);
  std::string path = compressed_input_file(data.substr(0, data.size() * 2 / 3));
  LineReader reader(path, InputLimits{});
  Batch batch;
  std::uint64_t got = 0;
  try {
    while (reader.next(batch)) got += batch.records.size();
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("truncated gzip input") != std::string::npos);
    CHECK(e.line() == got + 1);
    CHECK(got > 50);
  }
  ::unlink(path.c_str());
}

TEST_CASE("text documents: compressed ones decompressed, long ones in pieces") {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "Sentence number " + std::to_string(i) + " is here.\n\n";
  std::string gz = compressed_input_file(gzip_member(text)), zs = compressed_input_file(zstd_frames(text, 1000)), plain = compressed_input_file(text);
  for (std::size_t piece : {std::size_t(1) << 20, std::size_t(500)}) {
    TextPieces pieces;
    pieces.bytes = piece;
    pieces.cut = [](std::string_view t) {
      auto p = t.rfind("\n\n");
      return p == std::string_view::npos ? 0 : p + 2;
    };
    TextReader reader({plain, gz, zs}, {"p", "g", "z"}, 1, pieces);
    std::string got[3];
    Batch batch;
    while (reader.next(batch))
      for (const Record& r : batch.records) got[*r.source == "p" ? 0 : *r.source == "g" ? 1 : 2] += r.data;
    CAPTURE(piece);
    CHECK(got[0] == text);
    CHECK(got[1] == text);
    CHECK(got[2] == text);
  }
  ::unlink(gz.c_str());
  ::unlink(zs.c_str());
  ::unlink(plain.c_str());
}
