// The guard's pins on bpffs: the directory itself, and links replaced in place so that
// enforcement never has a gap when the agent restarts or a namespace is re-attached.
#pragma once

#include <cstdint>
#include <filesystem>

struct bpf_link;
struct bpf_program;

namespace ireactor::guard {

// Creates `dir` (mode 0700) on a bpf filesystem. When /sys/fs/bpf is where it should be but
// bpffs is not mounted there (hosts without systemd), mounts it. Throws std::runtime_error.
void ensure_bpffs_dir(const std::filesystem::path& dir);

// Whether the link pinned at `path` runs the same program as `prog_fd`: same instructions (tag)
// on the same maps. A restarted agent with an unchanged object then keeps its links: nothing to
// re-patch in kernel text, no moment with both attached.
bool pinned_link_runs(const std::filesystem::path& path, int prog_fd);

// Pins a freshly attached LSM/tracing link at `path`. A link already pinned there stays attached
// until the new one is (tracing links cannot be switched to another program: BPF_LINK_UPDATE
// is for cgroup and a few other link types), then the new pin is renamed over the old one, which
// drops the old link. Both programs enforce the same maps meanwhile.
void pin_link_replacing(bpf_link* link, const std::filesystem::path& path);

// Attaches `prog` to the cgroup as a link pinned at `path`. A link already pinned there for the
// same cgroup is switched to `prog` in place (BPF_LINK_UPDATE: atomic, no gap); one for a cgroup
// since deleted and recreated is replaced.
void attach_cgroup_pinned(bpf_program* prog, const std::filesystem::path& cgroup_dir,
                          const std::filesystem::path& path);

// Detaches the link pinned at `path` now (cgroup links; others go when their pin does) and
// removes the pin. Absent pin: nothing to do.
void detach_pinned_link(const std::filesystem::path& path);

}  // namespace ireactor::guard
