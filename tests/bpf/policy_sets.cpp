#include "policy_sets.h"

#include <bpf/bpf.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "libbpf_log.h"
#include "scoped_fd.h"

namespace ireactor::guard::test {

namespace {

bool key_less(const PolicyEntry& a, const PolicyEntry& b) {
  return std::memcmp(&a.key, &b.key, sizeof a.key) < 0;
}

std::string describe(const ir_rule_key& k) {
  return "key {kind " + std::to_string(k.kind) + ", ns " + std::to_string(k.ns_id) + ", id " +
         std::to_string(k.id) + ", chunk " + std::to_string(k.chunk) + "}";
}

void check(int err, const char* what) {
  if (err) throw std::runtime_error(std::string(what) + ": " + errno_text(err));
}

}  // namespace

std::vector<PolicyEntry> set_entries(int set_fd) {
  std::vector<PolicyEntry> entries;
  ir_rule_key key{}, next{};
  const ir_rule_key* previous = nullptr;
  while (bpf_map_get_next_key(set_fd, previous, &next) == 0) {
    PolicyEntry e{};
    e.key = next;
    check(bpf_map_lookup_elem(set_fd, &next, &e.value), "read a policy set entry");
    entries.push_back(e);
    key = next;
    previous = &key;
  }
  std::sort(entries.begin(), entries.end(), key_less);
  return entries;
}

std::vector<PolicyEntry> set_in_force(int outer_fd, int active_fd) {
  uint32_t zero = 0, slot = 0, id = 0;
  check(bpf_map_lookup_elem(active_fd, &zero, &slot), "read policy_active");
  slot &= IR_POLICY_SLOTS - 1;
  if (bpf_map_lookup_elem(outer_fd, &slot, &id) != 0) return {};  // an empty slot: no policy
  ScopedFd set(bpf_map_get_fd_by_id(id));
  check(set.fd < 0 ? set.fd : 0, "open the policy set in force");
  return set_entries(set.fd);
}

std::vector<PolicyEntry> set_in_force(const std::filesystem::path& bpffs_dir) {
  ScopedFd outer(bpf_obj_get((bpffs_dir / "policy").c_str()));
  ScopedFd active(bpf_obj_get((bpffs_dir / "policy_active").c_str()));
  check(outer.fd < 0 ? outer.fd : 0, "open the pinned policy map");
  check(active.fd < 0 ? active.fd : 0, "open the pinned policy_active map");
  return set_in_force(outer.fd, active.fd);
}

std::string difference(std::vector<PolicyEntry> expected, std::vector<PolicyEntry> actual) {
  std::sort(expected.begin(), expected.end(), key_less);
  std::sort(actual.begin(), actual.end(), key_less);
  size_t i = 0, j = 0;
  while (i < expected.size() || j < actual.size()) {
    if (j == actual.size() || (i < expected.size() && key_less(expected[i], actual[j])))
      return "missing " + describe(expected[i].key);
    if (i == expected.size() || key_less(actual[j], expected[i]))
      return "unexpected " + describe(actual[j].key);
    if (std::memcmp(&expected[i].value, &actual[j].value, sizeof(ir_rule_value)) != 0)
      return "another value for " + describe(expected[i].key);
    ++i;
    ++j;
  }
  return "";
}

}  // namespace ireactor::guard::test
