#include "trace_session.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <string>

#include "libbpf_log.h"
#include "trace_events_bpf.skel.h"

namespace ireactor::trace {

using guard::LibbpfLog;

struct EventSession::State {
  trace_events_bpf* skel = nullptr;
  bpf_link* enter = nullptr;
  bpf_link* exit = nullptr;
  ring_buffer* ring = nullptr;
  const std::function<void(const ir_trace_event&)>* on_event = nullptr;

  ~State() {
    ring_buffer__free(ring);
    bpf_link__destroy(exit);
    bpf_link__destroy(enter);
    trace_events_bpf__destroy(skel);
  }

  static int handle(void* ctx, void* data, size_t size) {
    auto* self = static_cast<State*>(ctx);
    if (size < sizeof(ir_trace_event) || !self->on_event) return 0;
    (*self->on_event)(*static_cast<const ir_trace_event*>(data));
    return 0;
  }
};

EventSession::EventSession(const SessionOptions& o) : state_(std::make_unique<State>()) {
  LibbpfLog log;
  State& s = *state_;
  s.skel = trace_events_bpf__open();
  if (!s.skel) log.fail("open the NT call tracer's BPF object", -errno);
  auto* ro = s.skel->rodata;
  if (o.pid) ro->filter_pid = *o.pid;
  if (o.ns_id) {
    ro->filter_ns_on = true;
    ro->filter_ns = *o.ns_id;
  }
  ro->filter_services_on = !o.services.empty();
  ro->failed_only = o.failed_only;
  if (int err = trace_events_bpf__load(s.skel)) log.fail("load the NT call tracer", err);

  const int specs_fd = bpf_map__fd(s.skel->maps.specs);
  for (const auto& [id, spec] : o.specs) {
    const uint32_t key = id;
    if (key >= IR_TRACE_MAX_SERVICE_IDS) continue;
    if (bpf_map_update_elem(specs_fd, &key, &spec, BPF_ANY))
      log.fail("fill the tracer's service specs", -errno);
  }
  const int wanted_fd = bpf_map__fd(s.skel->maps.wanted_services);
  for (uint16_t id : o.services) {
    const uint32_t key = id;
    const uint8_t on = 1;
    if (key < IR_TRACE_MAX_SERVICE_IDS && bpf_map_update_elem(wanted_fd, &key, &on, BPF_ANY))
      log.fail("fill the tracer's service filter", -errno);
  }

  const std::string path = o.binary.string();
  const pid_t pid = o.pid ? static_cast<pid_t>(*o.pid) : -1;
  s.enter = bpf_program__attach_usdt(s.skel->progs.nt_enter, pid, path.c_str(), "ireactor",
                                     "nt_enter", nullptr);
  if (!s.enter) log.fail("attach to ireactor:nt_enter in " + path, -errno);
  s.exit = bpf_program__attach_usdt(s.skel->progs.nt_exit, pid, path.c_str(), "ireactor", "nt_exit",
                                    nullptr);
  if (!s.exit) log.fail("attach to ireactor:nt_exit in " + path, -errno);

  s.ring = ring_buffer__new(bpf_map__fd(s.skel->maps.events), &State::handle, &s, nullptr);
  if (!s.ring) log.fail("open the tracer's ring buffer", -errno);
}

EventSession::~EventSession() = default;

int EventSession::poll(int timeout_ms, const std::function<void(const ir_trace_event&)>& on_event) {
  state_->on_event = &on_event;
  // The BPF side wakes the reader only when the buffer fills up, so what arrived meanwhile is
  // consumed after the wait whether or not it woke us.
  int n = ring_buffer__poll(state_->ring, timeout_ms);
  if (n >= 0 || n == -EINTR) {
    const int more = ring_buffer__consume(state_->ring);
    n = more < 0 ? more : std::max(n, 0) + more;
  }
  state_->on_event = nullptr;
  if (n == -EINTR) return 0;
  if (n < 0) throw std::runtime_error("read the tracer's ring buffer: " + guard::errno_text(n));
  return n;
}

ir_trace_counters EventSession::counters() const {
  const ir_trace_counters& c = state_->skel->bss->counters;
  return {__atomic_load_n(&c.sent, __ATOMIC_RELAXED), __atomic_load_n(&c.lost, __ATOMIC_RELAXED),
          __atomic_load_n(&c.untracked, __ATOMIC_RELAXED)};
}

}  // namespace ireactor::trace
