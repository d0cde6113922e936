#include "mlpipe/mapreduce/key_groups.h"

#include <algorithm>
#include <unordered_map>

namespace mlpipe::mapreduce {

KeyGroups group_records(std::string_view entries) {
  struct Rec {
    Tag tag;
    std::uint32_t group;
    std::string_view data;
  };
  KeyGroups g;
  std::vector<Rec> recs;
  {
    std::unordered_map<std::string_view, std::uint32_t> ids;
    std::size_t pos = 0;
    EntryView e;
    while (get_entry(entries, pos, e)) {
      auto [it, added] = ids.try_emplace(e.key, std::uint32_t(g.keys.size()));
      if (added) g.keys.push_back(e.key);
      recs.push_back({e.tag, it->second, e.data});
    }
  }
  std::sort(recs.begin(), recs.end(), [](const Rec& a, const Rec& b) { return a.tag < b.tag; });
  g.members.resize(g.keys.size());
  g.first.resize(g.keys.size());
  for (const Rec& r : recs) {
    auto& m = g.members[r.group];
    if (m.empty()) {
      g.first[r.group] = r.tag;
      g.order.push_back(r.group);
    }
    m.push_back(r.data);
  }
  return g;
}

}  // namespace mlpipe::mapreduce
