// The two policy slots of the guard (guard_abi.h): the set in force and an empty one staged in
// the other slot. A switch fills the staged set and flips `policy_active`, which waits for
// nothing; the RCU grace periods a map-in-map update costs (every update of an ARRAY_OF_MAPS
// waits for one) are paid afterwards, off the switch's path, by a background thread that
// stages the next empty set.
#pragma once

#include <bpf/libbpf.h>

#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "guard_abi.h"

namespace ireactor::guard {

struct PolicyEntry;

// The shape of a policy set map, as the outer map's inner template declares it.
struct InnerSpec {
  bpf_map_type type = BPF_MAP_TYPE_HASH;
  uint32_t key_size = 0, value_size = 0, max_entries = 0, flags = 0;
};

class PolicySlots {
 public:
  // outer_fd: the `policy` ARRAY_OF_MAPS; active_fd: `policy_active`. Both stay owned by the
  // caller and must outlive this object. Starts staging at once.
  PolicySlots(int outer_fd, int active_fd, const InnerSpec& spec);
  ~PolicySlots();  // waits for the staging thread
  PolicySlots(const PolicySlots&) = delete;
  PolicySlots& operator=(const PolicySlots&) = delete;

  // Puts a set holding exactly `entries` in force. Throws std::runtime_error (the set in force
  // unchanged) when the kernel refuses.
  void switch_to(const std::vector<PolicyEntry>& entries);

 private:
  uint32_t active_slot() const;
  // Waits until no program can still take the set in `slot` (it was in force until a moment
  // ago), then puts a fresh empty set there and keeps its fd as staged_fd_.
  void stage(uint32_t slot);
  void start_staging(uint32_t slot);
  // Joins the staging thread; a staging failure leaves staged_fd_ at -1 (the next switch
  // stages synchronously and reports the error if it persists).
  void finish_staging();

  const int outer_fd_, active_fd_;
  const InnerSpec spec_;
  std::thread stager_;
  int staged_fd_ = -1;
  uint32_t staged_slot_ = 0;
};

}  // namespace ireactor::guard
