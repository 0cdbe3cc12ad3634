#include "policy_slots.h"

#include <bpf/bpf.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <exception>
#include <numeric>
#include <stdexcept>
#include <string>
#include <tuple>

#include "guard.h"
#include "libbpf_log.h"
#include "scoped_fd.h"

namespace ireactor::guard {

namespace {

// The staging thread copies this many entries per system call and checks in between whether a
// switch wants the set: a switch waits for one batch at most (~1 ms), and for the rest of the
// grace period the staging thread may still be waiting out.
constexpr size_t kCopyBatch = 1024;

bool key_less(const ir_rule_key& a, const ir_rule_key& b) {
  return std::tie(a.ns_id, a.kind, a.id, a.chunk) < std::tie(b.ns_id, b.kind, b.id, b.chunk);
}

// `entries` in key order. Two entries with one key would mean the compiler produced a
// contradiction (a map holds one value per key): refused.
std::vector<PolicyEntry> sorted_by_key(const std::vector<PolicyEntry>& entries) {
  std::vector<uint32_t> order(entries.size());
  std::iota(order.begin(), order.end(), 0u);
  const auto less = [&](uint32_t a, uint32_t b) {
    return key_less(entries[a].key, entries[b].key);
  };
  // The compiler writes a single namespace in key order already; stable, so of two entries with
  // one key the later one is named.
  if (!std::is_sorted(order.begin(), order.end(), less))
    std::stable_sort(order.begin(), order.end(), less);
  for (size_t i = 1; i < order.size(); ++i)
    if (!less(order[i - 1], order[i]))
      throw std::runtime_error("policy set: entry " + std::to_string(order[i]) +
                               " repeats the key of an earlier entry");
  std::vector<PolicyEntry> sorted;
  sorted.reserve(entries.size());
  for (uint32_t i : order) sorted.push_back(entries[i]);
  return sorted;
}

// Map entries in the layout the batch calls take.
struct Batch {
  std::vector<ir_rule_key> keys;
  std::vector<ir_rule_value> values;  // empty for deletions

  void add(const PolicyEntry& e) {
    keys.push_back(e.key);
    values.push_back(e.value);
  }
};

void update(int fd, const Batch& b) {
  if (b.keys.empty()) return;
  uint32_t count = b.keys.size();
  if (int err = bpf_map_update_batch(fd, b.keys.data(), b.values.data(), &count, nullptr))
    LibbpfLog().fail("fill the policy set map", err);
}

void remove(int fd, const Batch& b) {
  if (b.keys.empty()) return;
  uint32_t count = b.keys.size();
  if (int err = bpf_map_delete_batch(fd, b.keys.data(), &count, nullptr))
    LibbpfLog().fail("remove entries from the policy set map", err);
}

// What turns a set holding `from` into one holding `to` (both in key order): the keys only in
// `from`, and the entries of `to` that `from` lacks or holds with another value.
void difference(const std::vector<PolicyEntry>& from, const std::vector<PolicyEntry>& to,
                Batch& deleted, Batch& updated) {
  size_t i = 0, j = 0;
  while (i < from.size() || j < to.size()) {
    if (j == to.size() || (i < from.size() && key_less(from[i].key, to[j].key))) {
      deleted.keys.push_back(from[i++].key);
    } else if (i == from.size() || key_less(to[j].key, from[i].key)) {
      updated.add(to[j++]);
    } else {
      // Compiled values are zeroed before they are filled, so equal bytes mean an equal rule.
      if (std::memcmp(&from[i].value, &to[j].value, sizeof(ir_rule_value)) != 0) updated.add(to[j]);
      ++i;
      ++j;
    }
  }
}

}  // namespace

// One store into a slot of `policy`, made in a thread of its own: the kernel stores the set at
// once but returns only after an RCU grace period (every update of an ARRAY_OF_MAPS does).
class PolicySlots::SlotStore {
 public:
  SlotStore(int outer_fd, uint32_t slot, int set_fd)
      : outer_fd_(outer_fd), slot_(slot), set_fd_(fcntl(set_fd, F_DUPFD_CLOEXEC, 0)) {
    if (set_fd_ < 0) throw std::runtime_error("policy set: dup: " + errno_text(errno));
    thread_ = std::thread(
        [this] { result_.store(bpf_map_update_elem(outer_fd_, &slot_, &set_fd_, BPF_ANY)); });
  }
  ~SlotStore() {
    if (thread_.joinable()) thread_.join();
    close(set_fd_);
  }
  SlotStore(const SlotStore&) = delete;
  SlotStore& operator=(const SlotStore&) = delete;

  bool settled() const { return result_.load() != kRunning; }

  // Returns once the grace period after the store has passed.
  void wait_settled(const char* what) {
    thread_.join();
    if (int err = result_.load())
      throw std::runtime_error(std::string(what) + ": " + errno_text(err));
  }

  // Returns as soon as the slot holds the set, the grace period still running.
  void wait_stored(const char* what) {
    bpf_map_info info{};
    uint32_t length = sizeof info;
    if (int err = bpf_map_get_info_by_fd(set_fd_, &info, &length))
      throw std::runtime_error(std::string(what) + ": " + errno_text(err));
    for (;;) {
      const int result = result_.load();
      if (result != kRunning && result != 0)
        throw std::runtime_error(std::string(what) + ": " + errno_text(result));
      uint32_t id = 0;
      if (bpf_map_lookup_elem(outer_fd_, &slot_, &id) == 0 && id == info.id) return;
      if (result == 0)  // stored and returned, yet the slot holds another set: another agent
        throw std::runtime_error(std::string(what) + ": the slot was changed meanwhile");
      std::this_thread::sleep_for(std::chrono::microseconds(20));
    }
  }

 private:
  static constexpr int kRunning = 1;  // libbpf returns 0 or -errno
  const int outer_fd_;
  uint32_t slot_;
  int set_fd_;
  std::atomic<int> result_{kRunning};
  std::thread thread_;
};

PolicySlots::PolicySlots(int outer_fd, int active_fd, const InnerSpec& spec)
    : outer_fd_(outer_fd), active_fd_(active_fd), spec_(spec) {
  // What is in force was put there by an earlier agent: unknown here, so nothing is copied and
  // the first switch writes its whole set.
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
  staged_.clear();
  // A fresh map, never the old one refilled: a sleepable program (lsm.s/file_open) may go on
  // reading the old set after the grace period below, and must see it whole.
  LIBBPF_OPTS(bpf_map_create_opts, create, .map_flags = spec_.flags);
  ScopedFd set(bpf_map_create(spec_.type, "policy_set", spec_.key_size, spec_.value_size,
                              spec_.max_entries, &create));
  if (set.fd < 0) log.fail("create a policy set map", set.fd);
  uint32_t id = 0;
  if (bpf_map_lookup_elem(outer_fd_, &slot, &id) != 0) {
    // An empty slot (a guard loaded a moment ago) reads as no policy, as the fresh set does
    // while empty: stored at once, filled only after the grace period that store waits out.
    SlotStore(outer_fd_, slot, set.fd).wait_settled("stage the next policy set");
    copy_in_force(set.fd);
  } else {
    // Storing the slot's own set again changes nothing for the programs, but the kernel returns
    // only after an RCU grace period: then every program that read the old active slot number
    // has taken its set (guard_common.bpf.h: current_namespace), and the slot may be given
    // another. The copy goes on meanwhile: nothing can take the fresh set before it is stored.
    ScopedFd old(bpf_map_get_fd_by_id(id));
    if (old.fd < 0) log.fail("open the policy set of the other slot", old.fd);
    SlotStore readers_gone(outer_fd_, slot, old.fd);
    copy_in_force(set.fd);
    readers_gone.wait_settled("wait for the policy set's readers");
    // The grace period after this store protects nothing (no program takes this slot before a
    // switch flips to it), so it runs out in the background.
    auto store = std::make_unique<SlotStore>(outer_fd_, slot, set.fd);
    store->wait_stored("stage the next policy set");
    settling_.push_back(std::move(store));
  }
  staged_fd_ = set.release();
  staged_slot_ = slot;
}

void PolicySlots::wait_staged() {
  if (stager_.joinable()) stager_.join();
}

void PolicySlots::copy_in_force(int fd) {
  // staged_ follows each batch the kernel accepted.
  staged_.reserve(in_force_.size());
  for (size_t first = 0; first < in_force_.size(); first += kCopyBatch) {
    if (stop_copy_.load(std::memory_order_relaxed)) return;
    const size_t last = std::min(first + kCopyBatch, in_force_.size());
    Batch b;
    b.keys.reserve(last - first);
    b.values.reserve(last - first);
    for (size_t i = first; i < last; ++i) b.add(in_force_[i]);
    update(fd, b);
    staged_.insert(staged_.end(), in_force_.begin() + first, in_force_.begin() + last);
  }
}

void PolicySlots::start_staging(uint32_t slot) {
  stop_copy_.store(false);
  stager_ = std::thread([this, slot] {
    try {
      stage(slot);
    } catch (const std::exception&) {
      // Left for the next switch, which stages again and reports it.
      drop_staged();
    }
  });
}

void PolicySlots::finish_staging() {
  stop_copy_.store(true);
  if (stager_.joinable()) stager_.join();
  std::erase_if(settling_, [](const auto& s) { return s->settled(); });
}

void PolicySlots::drop_staged() {
  if (staged_fd_ >= 0) close(staged_fd_);
  staged_fd_ = -1;
  staged_.clear();
}

PolicySlots::Switched PolicySlots::switch_to(const std::vector<PolicyEntry>& entries) {
  if (spec_.key_size != sizeof(ir_rule_key) || spec_.value_size != sizeof(ir_rule_value))
    throw std::runtime_error("guard BPF object and guard_abi.h disagree on the policy map layout");
  if (entries.size() > spec_.max_entries)
    throw std::runtime_error("policy set has " + std::to_string(entries.size()) +
                             " entries; the policy map holds " + std::to_string(spec_.max_entries));
  std::vector<PolicyEntry> next = sorted_by_key(entries);  // while the copy goes on
  finish_staging();
  const uint32_t active = active_slot();
  if (staged_fd_ < 0 || staged_slot_ == active) {
    drop_staged();
    stage(active ^ 1);  // stop_copy_ is set: nothing copied, the whole set is written below
  }
  Switched done;
  done.staged = staged_.size();
  try {
    // Deletions first: the staged set never holds more than either set.
    Batch deleted, updated;
    difference(staged_, next, deleted, updated);
    remove(staged_fd_, deleted);
    update(staged_fd_, updated);
    done.deleted = deleted.keys.size();
    done.updated = updated.keys.size();
  } catch (...) {
    // Partly written and never in force: staged afresh next time.
    drop_staged();
    throw;
  }
  // The switch: one store of the slot number, once the staged set holds exactly `next`.
  uint32_t zero = 0, slot = staged_slot_;
  if (int err = bpf_map_update_elem(active_fd_, &zero, &slot, BPF_ANY)) {
    drop_staged();
    LibbpfLog().fail("switch the policy set in force", err);
  }
  drop_staged();  // the outer map holds the set in force
  in_force_ = std::move(next);
  start_staging(active);
  return done;
}

}  // namespace ireactor::guard
