#include "mlpipe/show/argument_records.h"

#include <fmt/format.h>

#include "mlpipe/core/error.h"
#include "mlpipe/core/record_fields.h"
#include "mlpipe/core/snippet.h"

namespace mlpipe::show {

namespace {

const Field* member(const std::vector<Field>& fields, std::string_view key) {
  for (const Field& f : fields)
    if (f.key == key) return &f;
  return nullptr;
}

// `f` renamed to its path in the record, so that the reader's type errors name it whole.
Field at_path(const Field& f, const std::string& path) { return Field{path, f.raw, f.type}; }

std::optional<std::int64_t> optional_integer(JsonReader& reader, const std::vector<Field>& fields, std::string_view key,
                                             const std::string& prefix) {
  const Field* f = member(fields, key);
  if (!f || f->type == JsonType::null) return std::nullopt;
  const std::string path = prefix + std::string(key);
  return reader.get_integer(at_path(*f, path));
}

// A document key: a string, or a number's JSON text (mlsplit --ndjson copies a number doc).
std::string doc_key(JsonReader& reader, const Field& f, const std::string& path) {
  if (f.type == JsonType::number) return std::string(f.raw);
  if (f.type != JsonType::string)
    throw Error(fmt::format("field '{}': expected a string (the document key), found {}", path, type_name(f.type)));
  return std::string(reader.get_string(f));
}

}  // namespace

unsigned ArgumentRecords::role_of(std::string_view name) const {
  if (name == "thesis") return kThesis;
  if (name == names_.left) return kClaim;
  if (name == names_.right) return kSupport;
  return 0;
}

SentenceFacts ArgumentRecords::read_sentence(JsonReader& reader, const std::vector<Field>& fields,
                                             const std::string& prefix, const std::string* fallback_doc) {
  SentenceFacts s;
  const Field* doc = member(fields, "doc");
  if (doc && doc->type != JsonType::null) {
    s.doc = doc_key(reader, *doc, prefix + "doc");
  } else if (fallback_doc) {
    s.doc = *fallback_doc;
  } else {
    throw Error(fmt::format("field '{}doc' is missing (expected the document key, as mlsplit writes it)", prefix));
  }
  s.para = optional_integer(reader, fields, "para", prefix);
  s.sent = optional_integer(reader, fields, "sent", prefix);
  s.start = optional_integer(reader, fields, "start", prefix);
  s.end = optional_integer(reader, fields, "end", prefix);
  if (s.start.has_value() != s.end.has_value())
    throw Error(fmt::format("field '{}{}' is missing (a sentence's bytes need both 'start' and 'end')", prefix,
                            s.start ? "end" : "start"));
  if (const Field* t = member(fields, "text"); t && t->type != JsonType::null)
    s.text = std::string(reader.get_string(at_path(*t, prefix + "text")));
  if (const Field* sc = member(fields, record_fields::kScores); sc && sc->type != JsonType::null) {
    const std::string path = prefix + std::string(record_fields::kScores);
    for (const Field& m : reader.get_object(at_path(*sc, path))) {
      if (m.type == JsonType::null) continue;  // scored, but no score to show
      std::string name(m.key);
      double v = reader.get_number(at_path(m, path + "." + name));
      s.scores.push_back(Score{std::move(name), v});
    }
  }
  if (const Field* r = member(fields, "roles"); r && r->type != JsonType::null) {
    const std::string path = prefix + "roles";
    std::vector<std::string> roles;
    reader.get_strings(at_path(*r, path), roles);
    for (std::size_t i = 0; i < roles.size(); ++i) {
      unsigned role = role_of(roles[i]);
      if (role == 0)
        throw Error(fmt::format("field '{}': element {} (\"{}\") is not \"thesis\", \"{}\" or \"{}\"", path, i,
                                input_snippet(roles[i]), names_.left, names_.right));
      s.roles |= role;
    }
  }
  return s;
}

void ArgumentRecords::add_sentence_record(JsonReader& reader, const std::vector<Field>& fields, ArgumentGraph& graph) {
  SentenceFacts s = read_sentence(reader, fields, "", nullptr);
  const Field* roles = member(fields, "roles");
  const Field* passed = member(fields, record_fields::kPassed);
  if (!roles || roles->type == JsonType::null) {
    // No roles: mlclassify's decisions say them.
    if (!passed)
      throw Error(
          fmt::format("a sentence record needs 'roles' (an array of \"thesis\", \"{}\", \"{}\") or "
                      "'passed' (mlclassify's decisions)",
                      names_.left, names_.right));
    const std::string path(record_fields::kPassed);
    for (const Field& m : reader.get_object(at_path(*passed, path))) {
      unsigned role = role_of(m.key);
      if (role == 0) continue;  // other models' decisions
      if (reader.get_bool(at_path(m, path + "." + std::string(m.key)))) s.roles |= role;
    }
  }
  if (s.roles == 0) return;  // a sentence with no role is not drawn
  graph.add_sentence(std::move(s));
}

void ArgumentRecords::add_link_record(JsonReader& reader, ArgumentGraph& graph) {
  std::optional<Field> left = reader.find(names_.left);
  std::optional<Field> right = reader.find(names_.right);
  for (const auto& [side, name] : {std::pair{&left, &names_.left}, std::pair{&right, &names_.right}}) {
    if (!*side)
      throw Error(
          fmt::format("field '{}' is missing (a link record holds both sides, '{}' and '{}'; "
                      "--left/--right name them)",
                      *name, names_.left, names_.right));
    if ((*side)->type != JsonType::object)
      throw Error(fmt::format("field '{}': expected an object (a side of a link record), found {}", *name,
                              type_name((*side)->type)));
  }
  std::optional<std::string> key;
  if (std::optional<Field> k = reader.find(record_fields::kKey); k && k->type != JsonType::null)
    key = doc_key(reader, *k, std::string(record_fields::kKey));

  std::optional<double> score;
  const std::string link_path = fmt::format("{}.{}", record_fields::kScores, record_fields::kLinkScore);
  if (std::optional<Field> s = reader.find(link_path); s && s->type != JsonType::null)
    score = reader.get_number(at_path(*s, link_path));
  bool attack = false;
  if (std::optional<Field> st = reader.find(record_fields::kStance); st && st->type != JsonType::null) {
    if (st->type != JsonType::string)
      throw Error(fmt::format("field 'stance': expected \"support\" or \"attack\", found {}", type_name(st->type)));
    std::string_view v = reader.get_string(*st);
    if (v != "support" && v != "attack")
      throw Error(fmt::format("field 'stance': expected \"support\" or \"attack\", found \"{}\"", input_snippet(v)));
    attack = v == "attack";
  }

  SentenceFacts claim = read_sentence(reader, reader.get_object(*left), names_.left + ".", key ? &*key : nullptr);
  SentenceFacts support = read_sentence(reader, reader.get_object(*right), names_.right + ".", key ? &*key : nullptr);
  // A side is its role, whatever else its record says it is.
  claim.roles |= kClaim;
  support.roles |= kSupport;
  // The whole record is checked before the graph changes: a skipped record leaves nothing.
  if (ArgumentGraph::same_sentence(claim, support)) throw Error("the two sides of the link are one sentence");
  graph.check_sentence(claim);
  graph.check_sentence(support);
  std::size_t c = graph.add_sentence(std::move(claim));
  std::size_t s = graph.add_sentence(std::move(support));
  // Sides with different identities can still meet in one sentence the graph knew by both.
  if (c == s) throw Error("the two sides of the link are one sentence");
  graph.add_link(s, c, score, attack);
}

void ArgumentRecords::add(JsonReader& reader, ArgumentGraph& graph) {
  const std::vector<Field>& fields = reader.fields();
  if (member(fields, names_.left) || member(fields, names_.right)) return add_link_record(reader, graph);
  if (member(fields, "doc")) return add_sentence_record(reader, fields, graph);
  throw Error(
      fmt::format("expected a sentence record (with 'doc' and 'roles') or a link record (with objects '{}' "
                  "and '{}')",
                  names_.left, names_.right));
}

}  // namespace mlpipe::show
