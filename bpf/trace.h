// The NT tracer's statistics side: loads bpf/trace.bpf.c, attaches it to the dispatcher's USDT
// probes (ireactor:nt_enter, ireactor:nt_exit) of an ireactor executable for every process,
// running or future, and pins its links and the trace_stats map under a bpffs directory so the
// counting outlives the command that attached it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "trace_abi.h"

namespace ireactor::trace {

struct ServiceStats {
  ir_trace_key key;
  ir_trace_stat stat;
};

// Whether trace_stats is pinned in `bpffs_dir` (the programs are attached).
bool attached(const std::filesystem::path& bpffs_dir);

// Attaches to the probes of `binary` (pid -1: all processes) and pins trace_stats and
// trace_link_* in `bpffs_dir`. Nothing to do when already attached. Throws std::runtime_error.
void attach(const std::filesystem::path& bpffs_dir, const std::filesystem::path& binary);

// Removes the link pins (which detaches the programs) and trace_stats; the directory too when
// nothing else is left in it. Nothing to do when not attached.
void detach(const std::filesystem::path& bpffs_dir);

// Every entry of the pinned trace_stats, in key order. Throws std::runtime_error.
std::vector<ServiceStats> read_stats(const std::filesystem::path& bpffs_dir);

}  // namespace ireactor::trace
