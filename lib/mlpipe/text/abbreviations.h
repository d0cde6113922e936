// Abbreviations: the words whose final period is not (or not always) the end of a sentence,
// in kinds that say what a following word means to the boundary rules (text/boundary.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "mlpipe/core/file_source.h"
#include "mlpipe/core/string_map.h"

namespace mlpipe::text {

// How a period after an abbreviation behaves.
enum class AbbrevKind : std::uint8_t {
  general,  // "etc.", "Co.", "U.S.", "a.m.": ends a sentence only before a typical sentence opener
  title,    // "Mr.", "Dr.", "Mt." (capitalised): never ends a sentence
  number,   // "No.", "p.", "Fig.": goes on before a number, otherwise like an ordinary word
  inner,    // "e.g.", "i.e.", "cf.", "vs.": never ends a sentence
};

std::optional<AbbrevKind> parse_abbrev_kind(std::string_view name);

// A case-insensitive table of abbreviations (words without their final period).
class Abbreviations {
 public:
  // The built-in English list.
  static Abbreviations builtin();

  // Adds (or reclassifies) `word`; a final period is ignored. Words longer than
  // kMaxLength bytes are ignored (abbreviations are short).
  void add(std::string_view word, AbbrevKind kind);
  // Reads "WORD [KIND]" lines ('#' comments and blank lines allowed) from `path`, through
  // `files`. Throws Error(path, line, …) on unreadable files and unknown kinds.
  void load(const std::string& path, const FileSource& files);

  std::optional<AbbrevKind> find(std::string_view word) const;
  std::size_t size() const { return table_.size(); }

  static constexpr std::size_t kMaxLength = 24;

 private:
  StringMap<AbbrevKind> table_;
};

}  // namespace mlpipe::text
