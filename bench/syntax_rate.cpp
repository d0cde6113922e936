// Sentences per second of the syntax feature group on one thread, for bench/syntax.sh.
// Reads one sentence per line on stdin; usage: syntax_rate POS TREE
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "mlpipe/core/error.h"
#include "mlpipe/features/syntax.h"

using namespace mlpipe::features;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: syntax_rate POS TREE < sentences.txt\n");
    return 2;
  }
  try {
    std::vector<std::string> lines;
    for (std::string line; std::getline(std::cin, line);) lines.push_back(line);
    auto t0 = std::chrono::steady_clock::now();
    auto group = make_syntax_group(GroupSpec{"syntax", {{"pos", std::atoi(argv[1])}, {"tree", std::atoi(argv[2])}}});
    auto extractor = group->make_extractor();
    auto t1 = std::chrono::steady_clock::now();
    std::vector<GroupFeature> out;
    std::size_t features = 0;
    for (const auto& l : lines) {
      extractor->extract(SentenceView{l, {}, -1, -1}, out);
      features += out.size();
    }
    auto t2 = std::chrono::steady_clock::now();
    double load = std::chrono::duration<double>(t1 - t0).count(), run = std::chrono::duration<double>(t2 - t1).count();
    const auto& s = dynamic_cast<SyntaxExtractor&>(*extractor).stats();
    std::printf("pos=%s tree=%s: %zu sentences in %.3f s = %.0f sentences/s (%.1f us each; setup %.3f s); "
                "%.1f features/sentence; lookups %llu; parsed %llu, no linkage %llu, too long %llu, timeout %llu\n",
                argv[1], argv[2], lines.size(), run, lines.size() / run, 1e6 * run / lines.size(), load,
                double(features) / lines.size(), (unsigned long long)s.lexicon_lookups, (unsigned long long)s.parsed,
                (unsigned long long)s.no_linkage, (unsigned long long)s.too_long, (unsigned long long)s.timeout);
  } catch (const mlpipe::Error& e) {
    std::fprintf(stderr, "syntax_rate: error: %s\n", e.what());
    return 1;
  }
}
