#include "mlpipe/features/wordnet.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <span>
#include <unordered_map>

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/parse_number.h"

namespace mlpipe::features {

namespace {

constexpr std::string_view kClassNames[WordNet::kClasses] = {
    "adj.all",           "adj.pert",        "adv.all",           "noun.Tops",        "noun.act",
    "noun.animal",       "noun.artifact",   "noun.attribute",    "noun.body",        "noun.cognition",
    "noun.communication", "noun.event",     "noun.feeling",      "noun.food",        "noun.group",
    "noun.location",     "noun.motive",     "noun.object",       "noun.person",      "noun.phenomenon",
    "noun.plant",        "noun.possession", "noun.process",      "noun.quantity",    "noun.relation",
    "noun.shape",        "noun.state",      "noun.substance",    "noun.time",        "verb.body",
    "verb.change",       "verb.cognition",  "verb.communication", "verb.competition", "verb.consumption",
    "verb.contact",      "verb.creation",   "verb.emotion",      "verb.motion",      "verb.perception",
    "verb.possession",   "verb.social",     "verb.stative",      "verb.weather",     "adj.ppl",
};

constexpr std::string_view kPosName[] = {"noun", "verb", "adj", "adv"};

// WordNet's detachment rules (its morphy): suffix -> ending, tried in this order.
struct Rule {
  std::string_view suffix, ending;
};
constexpr Rule kNounRules[] = {{"s", ""},     {"ses", "s"},    {"xes", "x"}, {"zes", "z"},
                               {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"}};
constexpr Rule kVerbRules[] = {{"s", ""},  {"ies", "y"}, {"es", "e"},  {"es", ""},
                               {"ed", "e"}, {"ed", ""},  {"ing", "e"}, {"ing", ""}};
constexpr Rule kAdjRules[] = {{"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}};

// The line of a sorted WordNet file whose first word is `key` (license lines, which open
// with spaces, sort first and never match).
std::string_view find_line(std::string_view text, std::string_view key) {
  std::size_t lo = 0, hi = text.size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    std::size_t start = mid == 0 ? std::string_view::npos : text.rfind('\n', mid - 1);
    start = start == std::string_view::npos ? 0 : start + 1;
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    const int c = line.substr(0, line.find(' ')).compare(key);
    if (c == 0) return line;
    if (c < 0)
      lo = end + 1;
    else
      hi = start;
  }
  return {};
}

// The space-separated fields of a line, one at a time.
class Fields {
 public:
  explicit Fields(std::string_view line) : rest_(line) {}
  bool next(std::string_view& field) {
    while (!rest_.empty() && rest_.front() == ' ') rest_.remove_prefix(1);
    if (rest_.empty()) return false;
    const std::size_t sp = rest_.find(' ');
    field = rest_.substr(0, sp);
    rest_ = sp == std::string_view::npos ? std::string_view() : rest_.substr(sp);
    return true;
  }

 private:
  std::string_view rest_;
};

// An out-parameter form of parse_integer, so that a line's fields read as one chain of tests.
template <class T>
bool number(std::string_view s, T& out) {
  const std::optional<T> v = parse_integer<T>(s);
  if (v) out = *v;
  return v.has_value();
}

}  // namespace

// A database file: mapped when it is a regular file, so that only the pages a search
// touches are read.
struct WordNet::File {
  std::string path;
  void* map = nullptr;
  std::size_t size = 0;
  std::string_view text;
  // Exception lists are small and not in byte order: read into a table instead.
  std::unordered_map<std::string, std::string> bases;

  explicit File(std::string p) : path(std::move(p)) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      throw Error(path, 0,
                  fmt::format("cannot open WordNet's database: {} (install Debian's wordnet-base, or set "
                              "MLPIPE_WORDNET to its folder)",
                              std::strerror(errno)));
    struct stat st;
    if (::fstat(fd, &st) != 0 || st.st_size <= 0) {
      ::close(fd);
      throw Error(path, 0, "WordNet's database file is empty or unreadable");
    }
    size = std::size_t(st.st_size);
    map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) {
      map = nullptr;
      throw Error(path, 0, fmt::format("cannot map WordNet's database: {}", std::strerror(errno)));
    }
    text = std::string_view(static_cast<const char*>(map), size);
  }
  ~File() {
    if (map) ::munmap(map, size);
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  void read_exceptions() {
    std::string_view rest = text;
    while (!rest.empty()) {
      const std::size_t nl = rest.find('\n');
      Fields f(rest.substr(0, nl));
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      std::string_view inflected, base;
      if (f.next(inflected) && f.next(base)) bases.emplace(std::string(inflected), std::string(base));
    }
  }
};

std::string_view WordNet::class_name(int number) {
  return number >= 0 && number < kClasses ? kClassNames[number] : std::string_view();
}

std::string WordNet::default_dir() {
  const char* env = std::getenv("MLPIPE_WORDNET");
  return env && *env ? std::string(env) : std::string("/usr/share/wordnet");
}

WordNet::WordNet(const std::string& dir) {
  for (int p = 0; p < kPos; ++p) {
    const std::string_view name = kPosName[p];
    index_[p] = std::make_unique<File>(fmt::format("{}/index.{}", dir, name));
    data_[p] = std::make_unique<File>(fmt::format("{}/data.{}", dir, name));
    exceptions_[p] = std::make_unique<File>(fmt::format("{}/{}.exc", dir, name));
    exceptions_[p]->read_exceptions();
  }
}

WordNet::~WordNet() = default;

// index.POS: lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…
WordNet::Entry WordNet::lookup(Pos pos, std::string_view lemma) const {
  Entry e;
  if (lemma.empty()) return e;
  const std::string_view line = find_line(index_[pos]->text, lemma);
  if (line.empty()) return e;
  Fields f(line);
  std::string_view w;
  std::uint32_t synsets = 0, pointers = 0;
  if (!f.next(w) || !f.next(w) || !f.next(w) || !number(w, synsets) || !f.next(w) || !number(w, pointers)) return e;
  for (std::uint32_t k = 0; k < pointers; ++k)
    if (!f.next(w)) return e;
  if (!f.next(w) || !f.next(w) || !number(w, e.tagged) || !f.next(w) || !number(w, e.offset)) return {};
  return e;
}

WordNet::Entry WordNet::base_form(Pos pos, std::string_view word) const {
  if (Entry e = lookup(pos, word); e.offset >= 0) return e;
  const auto& bases = exceptions_[pos]->bases;
  if (auto it = bases.find(std::string(word)); it != bases.end())
    if (Entry e = lookup(pos, it->second); e.offset >= 0) return e;
  std::span<const Rule> rules;
  if (pos == noun) rules = kNounRules;
  if (pos == verb) rules = kVerbRules;
  if (pos == adj) rules = kAdjRules;
  std::string candidate;
  for (const Rule& r : rules) {
    if (word.size() <= r.suffix.size() || !word.ends_with(r.suffix)) continue;
    candidate.assign(word.substr(0, word.size() - r.suffix.size()));
    candidate += r.ending;
    if (Entry e = lookup(pos, candidate); e.offset >= 0) return e;
  }
  return {};
}

// data.POS: synset_offset lex_filenum ss_type …, the line starting at the offset.
int WordNet::lexfile(Pos pos, std::int64_t offset) const {
  const std::string_view text = data_[pos]->text;
  if (offset < 0 || std::size_t(offset) >= text.size()) return -1;
  const std::size_t nl = text.find('\n', std::size_t(offset));
  Fields f(text.substr(std::size_t(offset), nl == std::string_view::npos ? std::string_view::npos : nl - offset));
  std::string_view w;
  int file = -1;
  if (!f.next(w) || !f.next(w) || !number(w, file) || file < 0 || file >= kClasses) return -1;
  return file;
}

int WordNet::word_class(std::string_view word) const {
  // The part of speech whose lemma has the most sense-tagged occurrences; nouns first on a tie.
  int best_pos = -1;
  Entry best;
  for (int p = 0; p < kPos; ++p) {
    const Entry e = base_form(Pos(p), word);
    if (e.offset < 0) continue;
    if (best_pos < 0 || e.tagged > best.tagged) {
      best = e;
      best_pos = p;
    }
  }
  return best_pos < 0 ? -1 : lexfile(Pos(best_pos), best.offset);
}

}  // namespace mlpipe::features
