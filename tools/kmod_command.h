// `ireactor kmod status [--json]`, `kmod attach [--impl NAME]`, `kmod replace [--impl NAME]`,
// `kmod detach`: the kernel hot path of /dev/ntgate (kmod-min, docs/kmod.md) - which struct_ops
// implementation serves NT calls in the kernel, its counters, and swapping it live.
#pragma once

namespace CLI {
class App;
}

namespace ireactor::cli {

void add_kmod_command(CLI::App& app);

}  // namespace ireactor::cli
