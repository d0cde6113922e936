#include "mlpipe/features/vocabulary.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

#include "mlpipe/core/error.h"

using namespace mlpipe;
using namespace mlpipe::features;

namespace {
struct TempFile {
  std::string path;
  explicit TempFile(const std::string& contents) {
    char name[] = "/tmp/mlfeat-vocab-XXXXXX";
    int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    close(fd);
    path = name;
    std::ofstream(path, std::ios::binary) << contents;
  }
  ~TempFile() { std::remove(path.c_str()); }
};

Vocabulary fit(const std::vector<std::string>& docs, std::uint64_t min_df = 1, std::uint64_t max_features = 0) {
  TokenSpec spec;
  spec.stem = "none";
  Analyzer a(spec, nullptr);
  VocabularyBuilder b;
  std::vector<std::uint64_t> hashes;
  TermList terms;
  for (const std::string& d : docs) {
    a.analyze(d, hashes, &terms);
    b.add_document(hashes, terms);
  }
  return b.build(spec, min_df, max_features);
}

std::string header(std::uint64_t docs) {
  return "#mlfeat-vocabulary\t1\n#docs\t" + std::to_string(docs) +
         "\n#min_df\t1\n#max_features\t0\n#tokens\t{\"lowercase\":\"unicode\",\"stop_words\":\"none\",\"stem\":"
         "\"none\","
         "\"numbers\":\"normalize\",\"ngrams\":1,\"char_ngrams\":null}\nindex\tterm\tdf\tidf\n";
}

std::string read_error(const std::string& contents) {
  TempFile f(contents);
  try {
    Vocabulary::read(f.path, local_files());
  } catch (const Error& e) {
    CHECK(e.file() == f.path);
    return std::to_string(e.line()) + ": " + e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("smooth IDF") {
  CHECK(smooth_idf(2, 2) == doctest::Approx(1.0));
  CHECK(smooth_idf(2, 1) == doctest::Approx(std::log(1.5) + 1));
  CHECK(smooth_idf(9, 1) == doctest::Approx(std::log(5.0) + 1));
  CHECK(smooth_idf(0, 0) == doctest::Approx(1.0));
}

TEST_CASE("fitting counts document frequencies, sorts terms, numbers them from 1") {
  Vocabulary v = fit({"b a a", "a c", "a"});
  REQUIRE(v.terms().size() == 3);
  CHECK(v.docs() == 3);
  CHECK(v.terms()[0].term == "a");
  CHECK(v.terms()[0].df == 3);  // once per document, however often it occurs
  CHECK(v.terms()[1].term == "b");
  CHECK(v.terms()[1].df == 1);
  CHECK(v.terms()[1].idf == doctest::Approx(std::log(4.0 / 2.0) + 1));
  CHECK(v.lookup(term_hash("a")) == 1);
  CHECK(v.lookup(term_hash("c")) == 3);
  CHECK(v.lookup(term_hash("zzz")) == 0);
  CHECK(v.idf(1) == doctest::Approx(1.0));
}

TEST_CASE("min_df and max_features; ties broken by term") {
  Vocabulary v = fit({"a b c d", "a b c", "a d e", "x"}, 2);
  std::vector<std::string> t;
  for (auto& e : v.terms()) t.push_back(e.term);
  CHECK(t == std::vector<std::string>{"a", "b", "c", "d"});
  Vocabulary top = fit({"a b c d", "a b c", "a d e", "x"}, 1, 3);
  t.clear();
  for (auto& e : top.terms()) t.push_back(e.term);
  // df: a 3, b 2, c 2, d 2 -> a, then b and c (before d).
  CHECK(t == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("a written vocabulary reads back the same, with the same digest") {
  Vocabulary v = fit({"tax cut now", "tax rise", "now"});
  std::string tsv = v.to_tsv();
  TempFile f(tsv);
  Vocabulary r = Vocabulary::read(f.path, local_files());
  CHECK(r.to_tsv() == tsv);
  CHECK(r.digest() == v.digest());
  CHECK(r.digest() == digest_hex(tsv));
  CHECK(r.docs() == 3);
  for (std::size_t i = 0; i < v.terms().size(); ++i) {
    CHECK(r.terms()[i].term == v.terms()[i].term);
    CHECK(r.terms()[i].idf == v.terms()[i].idf);  // exact: shortest round-trip text
    CHECK(r.lookup(term_hash(v.terms()[i].term)) == i + 1);
  }
}

TEST_CASE("a vocabulary parsed from its text is the one read from its file, errors named after the text's name") {
  Vocabulary v = fit({"tax cut now", "tax rise", "now"});
  std::string tsv = v.to_tsv();
  Vocabulary p = Vocabulary::parse(tsv, "given.tsv");
  CHECK(p.to_tsv() == tsv);
  CHECK(p.digest() == v.digest());
  try {
    Vocabulary::parse("#mlfeat-vocabulary\t2\n", "given.tsv");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.file() == "given.tsv");
    CHECK(e.line() == 1);
  }
}

TEST_CASE("bad vocabulary files name the line") {
  CHECK(read_error("hello\n") == "1: not an mlfeat vocabulary (expected '#mlfeat-vocabulary<TAB>1' on the first line)");
  CHECK(read_error("") == "1: unexpected end of file (expected '#mlfeat-vocabulary<TAB>…')");
  CHECK(read_error("#mlfeat-vocabulary\t2\n") == "1: unsupported vocabulary version (expected 1)");
  CHECK(read_error("#mlfeat-vocabulary\t1\n#docs\tx\n") == "2: #docs: 'x' is not a non-negative integer");

  // The rows after a good header of 2 documents, and the error.
  struct Row {
    std::string rows;
    std::string error;
  };
  const Row rows[] = {
      {"1\ta\t1\t1.5\n3\tb\t1\t1.5\n", "8: index '3': expected 2 (rows are numbered from 1 in order)"},
      {"1\tb\t1\t1.5\n2\ta\t1\t1.5\n", "8: term 'a' is not after 'b' (terms must be unique and sorted bytewise)"},
      {"1\ta\t3\t1.5\n", "7: df '3': expected an integer from 1 to #docs (2)"},
      {"1\ta\t1\t-1\n", "7: idf '-1': expected a positive number"},
      {"1\ta\t1\n", "7: expected 4 tab-separated fields (index, term, df, idf), found 3"},
      {"1\ta\t1\t1\tx\n", "7: expected 4 tab-separated fields (index, term, df, idf), found more"},
      {"1\ta  b\t1\t1\n", "7: term 'a  b': word n-gram with an empty word (expected stems joined by single spaces)"},
      {"1\t#\t1\t1\n", "7: term '#': empty character n-gram"},
      {"1\ta\t1\t1.5", "no error"},  // no final newline
  };
  for (const Row& row : rows) {
    CAPTURE(row.rows);
    CHECK(read_error(header(2) + row.rows) == row.error);
  }
}
