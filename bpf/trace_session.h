// The NT call tracer's event side (`ireactor trace`): loads bpf/trace_events.bpf.c with the
// session's filters, gives it the per-service capture specs, attaches it to the dispatcher's
// USDT probes of an ireactor executable (every process running it, or one), and hands each
// call's event to the caller. Nothing is pinned: destroying the session detaches everything.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "trace_events_abi.h"

namespace ireactor::trace {

struct SessionOptions {
  std::filesystem::path binary;    // the ireactor executable whose probes to attach to
  std::optional<uint32_t> pid;     // only this process (tgid); the probes attach to it alone
  std::optional<uint32_t> ns_id;   // only this namespace
  std::vector<uint16_t> services;  // only these service ids (nt_trace.h); empty: all
  bool failed_only = false;        // only calls that return !NT_SUCCESS
  // The capture spec per service id (the signatures the decoder knows).
  std::vector<std::pair<uint16_t, ir_trace_spec>> specs;
};

class EventSession {
 public:
  // Loads and attaches; throws std::runtime_error saying what the kernel refused.
  explicit EventSession(const SessionOptions& options);
  ~EventSession();
  EventSession(const EventSession&) = delete;
  EventSession& operator=(const EventSession&) = delete;

  // Waits up to timeout_ms (events are batched: the kernel wakes the reader only when its
  // buffer fills), then passes each event that arrived to on_event; returns how many. A signal
  // interrupting the wait still consumes what is there.
  int poll(int timeout_ms, const std::function<void(const ir_trace_event&)>& on_event);

  // The BPF side's counters: events sent, lost (ring buffer full) and calls it could not track.
  ir_trace_counters counters() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ireactor::trace
