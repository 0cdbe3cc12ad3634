// Giving a loaded struct_ops map its kernel value by hand. A BPF_F_LINK struct_ops map serves a
// link only once BPF_MAP_UPDATE_ELEM has set its value (program fds in the kernel struct's
// layout). libbpf does that inside bpf_map__attach_struct_ops and bpf_link__update_map, but the
// latter accepts only a link libbpf created in the same process, while ours lives in a pin made
// by an earlier command: so `replace` sets the value itself, then updates the pinned link.
#pragma once

#include <string>

struct bpf_map;

namespace ireactor::kmod {

// Sets the value of `map` (loaded, of a struct_ops type with members `call` and `name`, such as
// nt_syscall_ops) to {call = call_prog_fd, name = name}, laid out as the kernel's BTF says.
// Throws std::runtime_error.
void set_struct_ops_value(const bpf_map* map, int call_prog_fd, const std::string& name);

}  // namespace ireactor::kmod
