#include "mlpipe/model/training_columns.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <limits>
#include <set>

#include "mlpipe/core/csv.h"
#include "mlpipe/core/error.h"
#include "mlpipe/core/snippet.h"
#include "mlpipe/model/dataset.h"

namespace mlpipe {

TrainingColumns::TrainingColumns(std::vector<std::string> names) {
  for (std::string& n : names) {
    Column c;
    c.name = std::move(n);
    columns_.push_back(std::move(c));
  }
}

std::string_view TrainingColumns::Column::cell(std::size_t r) const {
  const std::size_t begin = r == 0 ? 0 : end[r - 1];
  return std::string_view(text).substr(begin, end[r] - begin);
}

void TrainingColumns::add(const std::vector<std::string>& cells, const std::vector<std::size_t>& positions,
                          std::string_view where) {
  std::vector<std::string> not_utf8;
  for (std::size_t j = 0; j < columns_.size(); ++j) {
    const std::string& cell = cells[positions[j]];
    if (!simdjson::validate_utf8(cell.data(), cell.size())) not_utf8.push_back(columns_[j].name);
  }
  if (!not_utf8.empty()) {
    std::string names;
    for (const std::string& n : not_utf8) names += fmt::format("{}'{}'", names.empty() ? "" : ", ", input_snippet(n));
    throw Error(fmt::format("column{} {}: not valid UTF-8", not_utf8.size() == 1 ? "" : "s", names));
  }
  for (std::size_t j = 0; j < columns_.size(); ++j) {
    Column& c = columns_[j];
    const std::string& cell = cells[positions[j]];
    c.text += cell;
    c.end.push_back(c.text.size());
    if (cell_number(cell)) {
      ++c.numbers;
    } else if (is_missing_cell(cell)) {
      ++c.missing;
    } else {
      if (c.texts++ == 0) {
        c.first_text = cell;
        c.first_text_where = where;
      }
    }
  }
  ++rows_;
}

ColumnPrep TrainingColumns::decide(std::vector<std::string>& notes) const {
  ColumnPrep prep;
  for (const Column& c : columns_) {
    const std::string name = input_snippet(c.name);
    if (c.numbers + c.texts == 0) {
      prep.ignored.push_back({c.name, "every cell is missing"});
      notes.push_back(fmt::format("column '{}': every cell is missing: left out", name));
      continue;
    }
    PreparedColumn p;
    p.name = c.name;
    p.missing = c.missing;
    p.numbers = c.numbers;
    p.texts = c.texts;
    if (c.texts == 0) {
      prep.columns.push_back(std::move(p));
      continue;
    }
    std::set<std::string_view> levels;
    for (std::size_t r = 0; r < rows_; ++r)
      if (std::string_view cell = c.cell(r); !is_missing_cell(cell)) levels.insert(cell);
    const std::size_t cells = c.numbers + c.texts;
    if (levels.size() > kMaxIdentifierLevels && 2 * levels.size() > cells) {
      prep.ignored.push_back(
          {c.name, fmt::format("{} distinct values in {} cells (an identifier or free text)", levels.size(), cells)});
      notes.push_back(
          fmt::format("column '{}': {} distinct values in {} cells, an identifier or free text: left out "
                      "(--ignore {} says so)",
                      name, levels.size(), cells, name));
      continue;
    }
    p.kind = ColumnKind::category;
    for (std::string_view l : levels) p.levels.emplace_back(l);
    if (c.numbers > 0)
      notes.push_back(
          fmt::format("column '{}' holds {} number{} and {} other text{} ('{}' at {}): read as "
                      "categories, {} levels",
                      name, c.numbers, c.numbers == 1 ? "" : "s", c.texts, c.texts == 1 ? "" : "s",
                      input_snippet(c.first_text), c.first_text_where, p.levels.size()));
    prep.columns.push_back(std::move(p));
  }
  if (prep.columns.empty()) {
    std::string why;
    for (const IgnoredColumn& c : prep.ignored)
      why += fmt::format("{}'{}': {}", why.empty() ? "" : "; ", input_snippet(c.name), c.reason);
    throw Error(fmt::format("no feature column is left{}", why.empty() ? "" : " (" + why + ")"));
  }
  return prep;
}

void TrainingColumns::fill_dataset(const ColumnPrep& prep, const std::vector<double>& targets, Dataset& d) const {
  std::vector<const Column*> source;
  for (const PreparedColumn& p : prep.columns)
    for (const Column& c : columns_)
      if (c.name == p.name) source.push_back(&c);
  std::vector<std::uint32_t> idx;
  std::vector<double> val;
  for (std::size_t r = 0; r < rows_; ++r) {
    idx.clear();
    val.clear();
    std::uint32_t index = 1;
    for (std::size_t j = 0; j < prep.columns.size(); ++j) {
      const PreparedColumn& p = prep.columns[j];
      const std::string_view cell = source[j]->cell(r);
      if (p.kind == ColumnKind::number) {
        const std::optional<double> v = cell_number(cell);
        idx.push_back(index);
        val.push_back(v ? *v : std::numeric_limits<double>::quiet_NaN());
        ++index;
        continue;
      }
      if (!is_missing_cell(cell)) {
        auto it = std::lower_bound(p.levels.begin(), p.levels.end(), cell,
                                   [](const std::string& level, std::string_view v) { return level < v; });
        idx.push_back(index + std::uint32_t(it - p.levels.begin()));
        val.push_back(1.0);
      }
      index += std::uint32_t(p.levels.size());
    }
    d.add_row(idx, val, targets[r]);
  }
  d.kinds = prep.feature_kinds();
  d.max_index = prep.dimension();
}

}  // namespace mlpipe
