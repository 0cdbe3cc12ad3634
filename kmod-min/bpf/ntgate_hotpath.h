// The kernel hot path's loader: loads nt_hotpath.bpf.c (struct_ops implementations of ntgate.ko's
// nt_syscall_ops), keeps the shared numbering map filled, and attaches, replaces live and
// detaches an implementation through one struct_ops link pinned on bpffs, so it outlives the
// command that attached it. Pins: <bpffs_dir>/kmod/nt_numbering and <bpffs_dir>/kmod/link.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ireactor::kmod {

// The implementations in the object: "hotpath" (the default) and "hotpath_b".
const std::vector<std::string>& implementations();
const std::string& default_implementation();

struct HotpathPins {
  explicit HotpathPins(const std::filesystem::path& bpffs_dir);
  std::filesystem::path dir;        // <bpffs_dir>/kmod
  std::filesystem::path numbering;  // the nt_numbering map
  std::filesystem::path link;       // the struct_ops link
};

// attach() when an implementation is attached already.
class AlreadyAttached : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// replace() and detach() when no implementation is attached through our pin.
class NotAttached : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The link pinned under `bpffs_dir`: nullopt when there is no pin.
struct PinnedLink {
  uint32_t link_id = 0;
  uint32_t map_id = 0;         // 0 once the link was detached (defunct)
  std::string implementation;  // the struct_ops map's name: "hotpath", "hotpath_b"
};
std::optional<PinnedLink> pinned_link(const std::filesystem::path& bpffs_dir);

// Loads `implementation`, refreshes the numbering map (pinning a new one the first time, or when
// the pinned one was written for other service ids), attaches it and pins the link. Throws
// AlreadyAttached, std::invalid_argument (unknown implementation) or std::runtime_error.
void attach(const std::filesystem::path& bpffs_dir, const std::string& implementation);

// Loads `implementation` (empty: the one not attached now) and switches the pinned link to it
// in one step (BPF_LINK_UPDATE): every call is served by the old or the new one. Returns the
// implementation attached now. Throws NotAttached, std::invalid_argument, std::runtime_error.
std::string replace(const std::filesystem::path& bpffs_dir, const std::string& implementation);

// Detaches the pinned link and removes the pin; the numbering map stays pinned for the next
// attach. Throws NotAttached when nothing is pinned.
void detach(const std::filesystem::path& bpffs_dir);

// What ireactord does at start, so the kernel follows the builds it knows: rewrites the pinned
// numbering map from this executable's syscall tables. When the programs attached now were
// loaded with other service ids (another ireactor release), rewriting their map in place would
// misroute calls: they are replaced instead by ours (same name) on a map of their own. A pinned
// map of another layout that no programs run on is unpinned (the next attach pins ours).
// nullopt when no map is pinned, or it was unpinned. Throws std::runtime_error.
struct NumberingRefresh {
  size_t entries = 0;
  std::string reloaded;  // the implementation replaced to follow, or empty
};
std::optional<NumberingRefresh> refresh_pinned_numbering(const std::filesystem::path& bpffs_dir);

// The entries in the pinned numbering map; nullopt when it is not pinned.
std::optional<size_t> pinned_numbering_size(const std::filesystem::path& bpffs_dir);

}  // namespace ireactor::kmod
