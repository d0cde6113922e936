#include "mlpipe/model/column_prep.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "mlpipe/core/csv.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/json_reader.h"
#include "mlpipe/core/json_writer.h"
#include "mlpipe/core/snippet.h"

namespace mlpipe {

std::uint32_t ColumnPrep::first_index(std::size_t j) const {
  std::uint32_t index = 1;
  for (std::size_t c = 0; c < j; ++c) index += std::uint32_t(columns[c].width());
  return index;
}

std::uint32_t ColumnPrep::dimension() const { return first_index(columns.size()) - 1; }

std::vector<std::string> ColumnPrep::names() const {
  std::vector<std::string> out;
  for (const PreparedColumn& c : columns) out.push_back(c.name);
  return out;
}

std::vector<FeatureKind> ColumnPrep::feature_kinds() const {
  std::vector<FeatureKind> kinds(1, FeatureKind::number);
  for (const PreparedColumn& c : columns)
    kinds.insert(kinds.end(), c.width(), c.kind == ColumnKind::number ? FeatureKind::number : FeatureKind::indicator);
  return kinds;
}

void ColumnPrep::encode(const std::vector<std::string_view>& cells, SparseVector& x,
                        std::vector<std::size_t>* unseen) const {
  x.clear();
  std::string bad;  // every cell refused, named at once
  std::uint32_t index = 1;
  for (std::size_t j = 0; j < columns.size(); ++j) {
    const PreparedColumn& c = columns[j];
    const std::string_view cell = cells[j];
    if (c.kind == ColumnKind::number) {
      if (const std::optional<double> v = cell_number(cell)) {
        if (!legacy || *v != 0) x.push(index, float(*v));
      } else if (!is_missing_cell(cell)) {
        bad += fmt::format("{}column '{}': '{}' is not a number", bad.empty() ? "" : "; ", input_snippet(c.name),
                           input_snippet(cell));
      } else if (c.fill) {
        x.push(index, float(*c.fill));
      } else if (legacy) {
        bad += fmt::format("{}column '{}' is empty (a feature needs a number)", bad.empty() ? "" : "; ",
                           input_snippet(c.name));
      } else {
        x.push(index, std::numeric_limits<float>::quiet_NaN());  // a tree model's missing value
      }
      ++index;
      continue;
    }
    if (!is_missing_cell(cell)) {
      // Levels are compared as the training rows held them: as read, spaces and all.
      auto it = std::lower_bound(c.levels.begin(), c.levels.end(), cell,
                                 [](const std::string& level, std::string_view v) { return level < v; });
      if (it != c.levels.end() && *it == cell)
        x.push(index + std::uint32_t(it - c.levels.begin()), 1.0f);
      else if (unseen)
        unseen->push_back(j);
    }
    index += std::uint32_t(c.levels.size());
  }
  if (!bad.empty()) throw Error(bad);
}

void ColumnPrep::write_json(JsonWriter& w) const {
  w.key("column_prep").begin_object();
  for (const PreparedColumn& c : columns) {
    w.key(c.name).begin_object();
    if (c.kind == ColumnKind::number) {
      w.key("kind").string("number");
      w.key("fill");
      if (c.fill)
        w.number(*c.fill);
      else
        w.null();
    } else {
      w.key("kind").string("category");
      w.key("levels").begin_array();
      for (const std::string& level : c.levels) w.string(level);
      w.end_array();
    }
    if (c.missing) w.key("missing").integer(std::int64_t(c.missing));
    w.end_object();
  }
  w.end_object();
  if (ignored.empty()) return;
  w.key("ignored_columns").begin_object();
  for (const IgnoredColumn& c : ignored) w.key(c.name).string(c.reason);
  w.end_object();
}

ColumnPrep ColumnPrep::read_json(JsonReader& r, const std::vector<std::string>& names) {
  ColumnPrep prep;
  std::optional<Field> all = r.find("column_prep");
  if (!all || all->type == JsonType::null) {
    prep.legacy = true;
    for (const std::string& n : names) prep.columns.push_back({n, ColumnKind::number, std::nullopt, {}, 0, 0, 0});
    return prep;
  }
  if (all->type != JsonType::object)
    throw Error(fmt::format("'column_prep': expected an object, found {}", type_name(all->type)));
  const std::vector<Field> members = r.get_object(*all);
  if (members.size() != names.size())
    throw Error(
        fmt::format("'column_prep' describes {} columns, but 'columns' names {}", members.size(), names.size()));
  for (std::size_t j = 0; j < members.size(); ++j) {
    const Field& m = members[j];
    if (m.key != names[j])
      throw Error(fmt::format("'column_prep': column {} is '{}', but 'columns' names '{}' there", j + 1,
                              input_snippet(m.key), input_snippet(names[j])));
    if (m.type != JsonType::object)
      throw Error(
          fmt::format("'column_prep.{}': expected an object, found {}", input_snippet(m.key), type_name(m.type)));
    PreparedColumn c;
    c.name = names[j];
    std::optional<std::string_view> kind;
    for (const Field& f : r.get_object(m)) {
      const std::string where = fmt::format("'column_prep.{}.{}'", input_snippet(c.name), f.key);
      if (f.key == "kind") {
        kind = r.get_string(f);
      } else if (f.key == "fill") {
        if (f.type != JsonType::null) {
          const double v = r.get_number(f);
          if (!std::isfinite(v)) throw Error(fmt::format("{}: expected a finite number or null", where));
          c.fill = v;
        }
      } else if (f.key == "levels") {
        r.get_strings(f, c.levels);
      } else if (f.key == "missing") {
        const std::int64_t v = r.get_integer(f);
        if (v < 0) throw Error(fmt::format("{}: expected a count", where));
        c.missing = std::size_t(v);
      }
    }
    if (kind == "number") {
      c.kind = ColumnKind::number;
      if (!c.levels.empty())
        throw Error(fmt::format("'column_prep.{}': a number column has no levels", input_snippet(c.name)));
    } else if (kind == "category") {
      c.kind = ColumnKind::category;
      if (c.levels.empty())
        throw Error(fmt::format("'column_prep.{}': a category column needs its levels", input_snippet(c.name)));
      // Encoding looks levels up by binary search: they must be in byte order, each once.
      for (std::size_t k = 1; k < c.levels.size(); ++k)
        if (!(c.levels[k - 1] < c.levels[k]))
          throw Error(
              fmt::format("'column_prep.{}.levels': expected distinct levels in byte order", input_snippet(c.name)));
    } else {
      throw Error(fmt::format("'column_prep.{}.kind': expected \"number\" or \"category\"", input_snippet(c.name)));
    }
    prep.columns.push_back(std::move(c));
  }
  if (std::optional<Field> ig = r.find("ignored_columns"); ig && ig->type != JsonType::null) {
    if (ig->type != JsonType::object)
      throw Error(fmt::format("'ignored_columns': expected an object, found {}", type_name(ig->type)));
    for (const Field& f : r.get_object(*ig)) prep.ignored.push_back({std::string(f.key), std::string(r.get_string(f))});
  }
  return prep;
}

}  // namespace mlpipe
