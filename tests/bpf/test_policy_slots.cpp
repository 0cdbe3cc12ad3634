// The policy slots (bpf/policy_slots.h) on maps of the guard's shape in the running kernel: every
// switch puts exactly its entries in force, whether the staging thread had copied the set in
// force into the other slot (then only the difference is written) or not yet (a switch right
// after another).
#include <bpf/bpf.h>
#include <doctest/doctest.h>

#include <cstring>
#include <stdexcept>
#include <vector>

#include "guard_test_support.h"
#include "policy_sets.h"
#include "policy_slots.h"
#include "scoped_fd.h"

using namespace ireactor::guard;
using namespace ireactor::guard::test;

namespace {

constexpr uint32_t kNs = 3;

// `policy` and `policy_active` as guard_common.bpf.h declares them, without programs.
struct SlotMaps {
  InnerSpec spec{BPF_MAP_TYPE_HASH, sizeof(ir_rule_key), sizeof(ir_rule_value),
                 IR_POLICY_MAX_ENTRIES, BPF_F_NO_PREALLOC};
  ScopedFd inner, outer, active;

  SlotMaps() {
    LIBBPF_OPTS(bpf_map_create_opts, set_opts, .map_flags = spec.flags);
    inner.fd = bpf_map_create(spec.type, "test_set", spec.key_size, spec.value_size,
                              spec.max_entries, &set_opts);
    LIBBPF_OPTS(bpf_map_create_opts, outer_opts, .inner_map_fd = static_cast<uint32_t>(inner.fd));
    outer.fd = bpf_map_create(BPF_MAP_TYPE_ARRAY_OF_MAPS, "test_policy", sizeof(uint32_t),
                              sizeof(uint32_t), IR_POLICY_SLOTS, &outer_opts);
    active.fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "test_active", sizeof(uint32_t),
                               sizeof(uint32_t), 1, nullptr);
    if (inner.fd < 0 || outer.fd < 0 || active.fd < 0)
      throw std::runtime_error("cannot create the test's policy maps");
  }

  std::vector<PolicyEntry> in_force() const { return set_in_force(outer.fd, active.fd); }
};

// A namespace with `count` device rules on char majors from `first_major`, each minor its own
// rule; `effect` and the rule ids tell two policies over the same devices apart.
std::vector<PolicyEntry> policy(size_t count, uint32_t first_major, ir_effect effect,
                                uint32_t generation = 1) {
  PolicyBuilder b;
  b.namespace_in(1000 + kNs, {.ns_id = kNs, .generation = generation});
  for (size_t i = 0; i < count; ++i)
    b.device(kNs, ir_dev_id(IR_DEV_CHAR, first_major + i / 1000, i % 1000), effect,
             IR_ACC_READ | IR_ACC_WRITE, static_cast<uint32_t>(i));
  return b.entries();
}

}  // namespace

TEST_SUITE("policy_slots") {
  TEST_CASE("switches in quick succession put exactly each set in force: A, B, A, C") {
    SlotMaps maps;
    PolicySlots slots(maps.outer.fd, maps.active.fd, maps.spec);
    const auto a = policy(6000, 200, IR_ALLOW);
    const auto b = policy(4000, 203, IR_DENY, 2);  // overlaps A's majors 203-205, other values
    const auto c = [] {
      auto entries = policy(8000, 201, IR_ALLOW, 3);
      entries.erase(entries.begin() + 100, entries.begin() + 300);  // holes where A has entries
      return entries;
    }();
    for (const auto* set : {&a, &b, &a, &c}) {
      const PolicySlots::Switched done = slots.switch_to(*set);
      MESSAGE("staged " << done.staged << ", updated " << done.updated << ", deleted "
                        << done.deleted);
      CHECK(difference(*set, maps.in_force()) == "");
    }
  }

  TEST_CASE("once the set in force is copied, a switch writes only what changed") {
    SlotMaps maps;
    PolicySlots slots(maps.outer.fd, maps.active.fd, maps.spec);
    const auto a = policy(5000, 200, IR_ALLOW);
    PolicySlots::Switched done = slots.switch_to(a);
    CHECK(done.staged == 0);  // nothing was in force before
    CHECK(done.updated == a.size());

    auto edited = a;
    edited[10].value.dev.effect = IR_DENY;              // one changed
    edited.erase(edited.begin() + 20);                  // one removed
    edited.push_back(policy(1, 250, IR_ALLOW).back());  // one added
    edited.push_back(policy(2, 250, IR_ALLOW).back());  // and another
    slots.wait_staged();
    done = slots.switch_to(edited);
    CHECK(done.staged == a.size());
    CHECK(done.updated == 3);
    CHECK(done.deleted == 1);
    CHECK(difference(edited, maps.in_force()) == "");

    slots.wait_staged();
    done = slots.switch_to(edited);  // the same set again: nothing to write
    CHECK(done.staged == edited.size());
    CHECK(done.updated == 0);
    CHECK(done.deleted == 0);
    CHECK(difference(edited, maps.in_force()) == "");
  }

  TEST_CASE("a switch during the copy writes what the copy has not") {
    SlotMaps maps;
    PolicySlots slots(maps.outer.fd, maps.active.fd, maps.spec);
    const auto big = policy(30000, 200, IR_ALLOW);
    const auto other = policy(30000, 200, IR_DENY, 2);
    for (int i = 0; i < 4; ++i) {
      const auto& set = i % 2 ? other : big;
      slots.switch_to(set);
      CHECK(difference(set, maps.in_force()) == "");
    }
  }

  TEST_CASE("entries repeating a key are refused and the set in force stays") {
    SlotMaps maps;
    PolicySlots slots(maps.outer.fd, maps.active.fd, maps.spec);
    const auto a = policy(100, 200, IR_ALLOW);
    slots.switch_to(a);
    auto twice = policy(50, 210, IR_DENY, 2);
    twice.push_back(twice[5]);
    CHECK_THROWS_WITH_AS(slots.switch_to(twice), doctest::Contains("repeats the key"),
                         std::runtime_error);
    CHECK(difference(a, maps.in_force()) == "");
    twice.pop_back();
    slots.switch_to(twice);
    CHECK(difference(twice, maps.in_force()) == "");
  }

  TEST_CASE("a new owner of the slots (agent restart) writes its whole first set") {
    SlotMaps maps;
    const auto a = policy(3000, 200, IR_ALLOW);
    const auto b = policy(3000, 201, IR_DENY, 2);
    {
      PolicySlots slots(maps.outer.fd, maps.active.fd, maps.spec);
      slots.switch_to(a);
    }
    CHECK(difference(a, maps.in_force()) == "");
    PolicySlots slots(maps.outer.fd, maps.active.fd, maps.spec);
    const PolicySlots::Switched done = slots.switch_to(b);
    CHECK(done.staged == 0);
    CHECK(difference(b, maps.in_force()) == "");
    slots.switch_to(a);
    CHECK(difference(a, maps.in_force()) == "");
  }
}
