#include "numbering_map.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "libbpf_log.h"
#include "nt_numbering.h"

namespace ireactor::kmod {
namespace {

using Key = std::pair<uint32_t, uint32_t>;  // build, number

std::vector<nt_numbering_key> keys_of(int fd) {
  std::vector<nt_numbering_key> keys;
  nt_numbering_key key{}, next{};
  const void* prev = nullptr;
  while (bpf_map_get_next_key(fd, prev, &next) == 0) {
    keys.push_back(next);
    key = next;
    prev = &key;
  }
  return keys;
}

}  // namespace

size_t write_numbering(int fd) {
  std::vector<NumberingEntry> entries = numbering_entries();
  const size_t count = entries.size();
  entries.push_back({nt_numbering_key{kVersionKeyBuild, numbering_fingerprint()}, NT_NO_SERVICE});
  std::set<Key> wanted;
  for (const NumberingEntry& e : entries) wanted.emplace(e.key.build, e.key.number);
  for (const nt_numbering_key& k : keys_of(fd))
    if (!wanted.count({k.build, k.number})) bpf_map_delete_elem(fd, &k);
  for (const NumberingEntry& e : entries)
    if (int err = bpf_map_update_elem(fd, &e.key, &e.service, BPF_ANY))
      throw std::runtime_error("write nt_numbering {" + std::to_string(e.key.build) + ", " +
                               std::to_string(e.key.number) + "}: " + guard::errno_text(err));
  return count;
}

bool numbering_is_ours(int fd) {
  bool ours = false;
  for (const nt_numbering_key& k : keys_of(fd)) {
    if (k.build != kVersionKeyBuild) continue;
    if (k.number != numbering_fingerprint()) return false;
    ours = true;
  }
  return ours;
}

size_t count_numbering(int fd) {
  size_t n = 0;
  for (const nt_numbering_key& k : keys_of(fd)) n += k.build != kVersionKeyBuild;
  return n;
}

}  // namespace ireactor::kmod
