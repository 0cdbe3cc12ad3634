#include "policy_slots.h"

#include <bpf/bpf.h>
#include <unistd.h>

#include <set>
#include <stdexcept>
#include <string>
#include <tuple>

#include "guard.h"
#include "libbpf_log.h"
#include "scoped_fd.h"

namespace ireactor::guard {

namespace {

void fill(int fd, const std::vector<PolicyEntry>& entries) {
  if (entries.empty()) return;
  std::vector<ir_rule_key> keys;
  std::vector<ir_rule_value> values;
  keys.reserve(entries.size());
  values.reserve(entries.size());
  for (const PolicyEntry& e : entries) {
    keys.push_back(e.key);
    values.push_back(e.value);
  }
  // Two entries with one key would mean the compiler produced a contradiction (the batch
  // update only knows "last one wins").
  std::set<std::tuple<uint64_t, uint32_t, uint16_t, uint16_t>> seen;
  for (size_t i = 0; i < keys.size(); ++i)
    if (!seen.emplace(keys[i].id, keys[i].ns_id, keys[i].kind, keys[i].chunk).second)
      throw std::runtime_error("policy set: entry " + std::to_string(i) +
                               " repeats the key of an earlier entry");
  uint32_t count = entries.size();
  if (int err = bpf_map_update_batch(fd, keys.data(), values.data(), &count, nullptr))
    LibbpfLog().fail("fill the policy set map", err);
}

}  // namespace

PolicySlots::PolicySlots(int outer_fd, int active_fd, const InnerSpec& spec)
    : outer_fd_(outer_fd), active_fd_(active_fd), spec_(spec) {
  start_staging(active_slot() ^ 1);
}

PolicySlots::~PolicySlots() {
  finish_staging();
  if (staged_fd_ >= 0) close(staged_fd_);
}

uint32_t PolicySlots::active_slot() const {
  uint32_t zero = 0, slot = 0;
  if (int err = bpf_map_lookup_elem(active_fd_, &zero, &slot))
    LibbpfLog().fail("read the policy slot in force", err);
  return slot & (IR_POLICY_SLOTS - 1);
}

void PolicySlots::stage(uint32_t slot) {
  LibbpfLog log;
  // Storing the slot's own set again changes nothing for the programs but makes the kernel wait
  // an RCU grace period (as every map-in-map update does): afterwards every program that read
  // the old active slot number has taken its set (guard_common.bpf.h: current_namespace).
  uint32_t id = 0;
  if (bpf_map_lookup_elem(outer_fd_, &slot, &id) == 0) {
    ScopedFd old(bpf_map_get_fd_by_id(id));
    if (old.fd >= 0) {
      if (int err = bpf_map_update_elem(outer_fd_, &slot, &old.fd, BPF_ANY))
        log.fail("wait for the policy set's readers", err);
    }
  }
  LIBBPF_OPTS(bpf_map_create_opts, create, .map_flags = spec_.flags);
  ScopedFd set(bpf_map_create(spec_.type, "policy_set", spec_.key_size, spec_.value_size,
                              spec_.max_entries, &create));
  if (set.fd < 0) log.fail("create a policy set map", set.fd);
  if (int err = bpf_map_update_elem(outer_fd_, &slot, &set.fd, BPF_ANY))
    log.fail("stage the next policy set", err);
  staged_fd_ = set.release();
  staged_slot_ = slot;
}

void PolicySlots::start_staging(uint32_t slot) {
  stager_ = std::thread([this, slot] {
    try {
      stage(slot);
    } catch (const std::exception&) {
      // Left for the next switch, which stages again in its own thread and reports it.
    }
  });
}

void PolicySlots::finish_staging() {
  if (stager_.joinable()) stager_.join();
}

void PolicySlots::switch_to(const std::vector<PolicyEntry>& entries) {
  if (spec_.key_size != sizeof(ir_rule_key) || spec_.value_size != sizeof(ir_rule_value))
    throw std::runtime_error("guard BPF object and guard_abi.h disagree on the policy map layout");
  if (entries.size() > spec_.max_entries)
    throw std::runtime_error("policy set has " + std::to_string(entries.size()) +
                             " entries; the policy map holds " + std::to_string(spec_.max_entries));
  finish_staging();
  const uint32_t active = active_slot();
  if (staged_fd_ < 0 || staged_slot_ == active) {
    if (staged_fd_ >= 0) close(staged_fd_);
    staged_fd_ = -1;
    stage(active ^ 1);
  }
  try {
    fill(staged_fd_, entries);
  } catch (...) {
    // Partly filled and never in force: staged afresh next time.
    close(staged_fd_);
    staged_fd_ = -1;
    throw;
  }
  // The switch: one store of the slot number.
  uint32_t zero = 0, next = staged_slot_;
  if (int err = bpf_map_update_elem(active_fd_, &zero, &next, BPF_ANY)) {
    close(staged_fd_);
    staged_fd_ = -1;
    LibbpfLog().fail("switch the policy set in force", err);
  }
  close(staged_fd_);  // the outer map holds the set in force
  staged_fd_ = -1;
  start_staging(active);
}

}  // namespace ireactor::guard
