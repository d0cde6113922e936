// Reading the argument-mining pipeline's records into an ArgumentGraph. Two kinds of record
// come, mixed and in any order:
//   sentence records  {"doc":…,"sent":3,"start":…,"end":…,"text":…,"scores":{…},"roles":["thesis","claim"]}
//                     (roles, else mlclassify's `passed` decisions, say what the sentence is);
//   link records      {"key":…,"claim":{sentence},"support":{sentence},"scores":{"link":0.74},"stance":"attack"}
//                     (mllink's output; the side names are options, older pipelines say "evidence").
// A link's sides are sentences too, so a link whose sentences have no record of their own
// still shows.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "mlpipe/core/json_reader.h"
#include "mlpipe/show/argument_graph.h"

namespace mlpipe::show {

// The names of the two roles: the link record fields of the sides, the names a `roles`
// array and `passed` use for them, and the scores that are theirs.
struct RoleNames {
  std::string left = "claim";
  std::string right = "support";
};

class ArgumentRecords {
 public:
  explicit ArgumentRecords(RoleNames names) : names_(std::move(names)) {}

  // Adds the record `reader` has just indexed to `graph`. Throws Error (unlocated: the
  // runner knows the record's place) saying what was expected when the record is neither
  // kind or a field has the wrong type.
  void add(JsonReader& reader, ArgumentGraph& graph);

  const RoleNames& names() const { return names_; }

 private:
  void add_sentence_record(JsonReader& reader, const std::vector<Field>& fields, ArgumentGraph& graph);
  void add_link_record(JsonReader& reader, ArgumentGraph& graph);
  // The facts of a sentence object; `prefix` names it in messages ("claim." for a side).
  SentenceFacts read_sentence(JsonReader& reader, const std::vector<Field>& fields, const std::string& prefix,
                              const std::string* fallback_doc);
  unsigned role_of(std::string_view name) const;

  RoleNames names_;
};

}  // namespace mlpipe::show
