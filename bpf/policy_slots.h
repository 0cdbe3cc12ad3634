// The two policy slots of the guard (guard_abi.h): the set in force and one staged in the other
// slot. A switch brings the staged set to exactly the new entries and flips `policy_active`,
// which waits for nothing. Staging happens off the switch's path, in a background thread: it
// waits until no program can still take the old set from the other slot (an RCU grace period,
// which every update of an ARRAY_OF_MAPS waits for) while it copies the set now in force into a
// fresh map, then puts that map in the slot. The next switch then only writes what changed.
#pragma once

#include <bpf/libbpf.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
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
  ~PolicySlots();  // stops the staging thread's copy and waits for its threads
  PolicySlots(const PolicySlots&) = delete;
  PolicySlots& operator=(const PolicySlots&) = delete;

  // What a switch wrote into the staged set before flipping to it.
  struct Switched {
    size_t staged = 0;   // entries the staged set held already (copied from the set in force)
    size_t updated = 0;  // entries added or changed
    size_t deleted = 0;
  };

  // Puts a set holding exactly `entries` in force. Throws std::runtime_error (the set in force
  // unchanged) when the entries repeat a key or the kernel refuses.
  Switched switch_to(const std::vector<PolicyEntry>& entries);

  // Waits until the staging thread has copied the whole set in force (or failed): for tests.
  void wait_staged();

 private:
  class SlotStore;

  uint32_t active_slot() const;
  // Puts a fresh set in `slot` (it was in force until a moment ago) once no program can still
  // take the old one from there, and meanwhile copies into it what it can of in_force_.
  // Sets staged_fd_, staged_slot_ and staged_.
  void stage(uint32_t slot);
  // Copies in_force_ into `fd` a batch at a time, until done or stop_copy_.
  void copy_in_force(int fd);
  void start_staging(uint32_t slot);
  // Stops the copy and joins the staging thread; a staging failure leaves staged_fd_ at -1
  // (the next switch stages synchronously and reports the error if it persists).
  void finish_staging();
  void drop_staged();

  const int outer_fd_, active_fd_;
  const InnerSpec spec_;
  std::thread stager_;
  std::atomic<bool> stop_copy_{false};
  // While the staging thread runs it alone touches staged_* and settling_; in_force_ changes
  // only after it has been joined.
  int staged_fd_ = -1;
  uint32_t staged_slot_ = 0;
  std::vector<PolicyEntry> staged_;    // exactly what the staged set holds, sorted by key
  std::vector<PolicyEntry> in_force_;  // what this object last put in force, sorted by key
  // Stores into `policy` done, whose grace period the kernel still waits out (nothing here
  // needs it: the stored set is not in force).
  std::vector<std::unique_ptr<SlotStore>> settling_;
};

}  // namespace ireactor::guard
