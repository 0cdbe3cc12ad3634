#include "ioctl_ranges.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "guard_abi.h"

namespace ireactor::policy {

static_assert(kMaxIoctlSegments == IR_IOCTL_MAX_CHUNKS * IR_IOCTL_RANGES_PER_CHUNK);

namespace {

// Smaller wins: deny before allow, audited before not, earlier before later.
using Rank = std::tuple<bool, bool, uint32_t>;
Rank rank(const IoctlInput& in) {
  return {in.allow, !in.audit, in.order};
}

}  // namespace

std::vector<IoctlSegment> merge_ioctl_ranges(const std::vector<IoctlInput>& inputs) {
  // Sweep over the boundaries (64-bit: hi + 1 may be 2^32) keeping the rules that cover the
  // current point; the best of them decides up to the next boundary.
  std::map<uint64_t, std::vector<size_t>> starts, ends;
  for (size_t i = 0; i < inputs.size(); ++i) {
    starts[inputs[i].lo].push_back(i);
    ends[uint64_t{inputs[i].hi} + 1].push_back(i);
  }
  std::set<uint64_t> points;
  for (auto& [p, _] : starts) points.insert(p);
  for (auto& [p, _] : ends) points.insert(p);

  std::multiset<std::pair<Rank, size_t>> active;
  std::vector<IoctlSegment> out;
  for (auto it = points.begin(); it != points.end(); ++it) {
    if (auto e = ends.find(*it); e != ends.end())
      for (size_t i : e->second) active.erase(active.find({rank(inputs[i]), i}));
    if (auto s = starts.find(*it); s != starts.end())
      for (size_t i : s->second) active.insert({rank(inputs[i]), i});
    auto next = std::next(it);
    if (active.empty() || next == points.end()) continue;
    const IoctlInput& best = inputs[active.begin()->second];
    const uint32_t lo = static_cast<uint32_t>(*it), hi = static_cast<uint32_t>(*next - 1);
    if (!out.empty() && out.back().order == best.order && uint64_t{out.back().hi} + 1 == lo)
      out.back().hi = hi;
    else
      out.push_back({lo, hi, best.allow, best.audit, best.order});
  }
  return out;
}

}  // namespace ireactor::policy
