// The fast gate's counter lane: NtQueryPerformanceCounter served from the gate (fast_gate.S)
// with general registers only, through the vDSO's clock_gettime called directly.
#pragma once

#include <cstdint>

namespace ireactor::system {

// Starts the lane for the current process; returns NtQueryPerformanceCounter's number under the
// selected build for the gate page, or 0xFFFFFFFF when the lane stays off (no vDSO clock).
uint32_t enable_fast_performance_counter();

}  // namespace ireactor::system

// The lane, called by fast_gate.S with the service's two arguments: the NTSTATUS, zero-extended,
// or kLaneDeclined (entry.h) when the call must take the full path.
extern "C" uint64_t ir_fast_performance_counter(uint64_t counter, uint64_t frequency);
