// The contents of the nt_numbering map: {Windows build, NT number} -> ntcore's build-independent
// service id, for every service of every supported build, from the same tables the dispatcher
// and our ntdll stubs use (dispatch/syscall_table.h), and their place in the map's layout
// (nt_hotpath_abi.h). Header-only so the unit test checks it without the kernel side. Users
// build with ntcore/src on the include path.
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "dispatch/syscall_table.h"
#include "ireactor/nt_trace.h"
#include "nt_hotpath_abi.h"

namespace ireactor::kmod {

// The services the struct_ops programs serve (nt_hotpath.bpf.c's svc_* constants).
inline constexpr std::array<std::string_view, 6> kServedServices = {
    "NtReadFile",       "NtWriteFile",      "NtQueryInformationFile", "NtQueryPerformanceCounter",
    "NtYieldExecution", "NtDelayExecution",
};

// No real build: an unused slot of the programs' numbering_builds, and no entry's.
inline constexpr uint32_t kVersionKeyBuild = 0;

// The build number NTGATE_IOC_ATTACH carries: 19045 for "10.0.19045". nullopt when the name
// does not end in one.
inline std::optional<uint32_t> build_number(std::string_view build) {
  const size_t dot = build.rfind('.');
  const std::string_view tail = dot == std::string_view::npos ? build : build.substr(dot + 1);
  uint32_t n = 0;
  auto [end, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), n);
  if (ec != std::errc() || end != tail.data() + tail.size() || tail.empty() || n == 0)
    return std::nullopt;
  return n;
}

struct NumberingEntry {
  nt_numbering_key key;
  uint32_t service;
};

// Every {build, number} of every supported build with its service id.
inline std::vector<NumberingEntry> numbering_entries() {
  std::vector<NumberingEntry> out;
  for (const SyscallBuild& b : syscall_builds()) {
    const std::optional<uint32_t> build = build_number(b.build);
    if (!build) continue;
    for (const SyscallName& s : b.by_number)
      if (const std::optional<uint16_t> id = service_id(s.name))
        out.push_back({nt_numbering_key{*build, s.number}, *id});
  }
  return out;
}

// The builds with a slot in the map, in slot order (the programs' numbering_builds): every
// supported build's number, in syscall_builds() order.
inline std::vector<uint32_t> numbering_builds() {
  std::vector<uint32_t> out;
  for (const SyscallBuild& b : syscall_builds())
    if (const std::optional<uint32_t> build = build_number(b.build)) out.push_back(*build);
  return out;
}

// What the served services' ids and the build slots are in this executable, as one number. The
// loader bakes both into the programs, so a numbering map may only be rewritten in place for
// programs with the same ones: ids follow the sorted names of every build's services, and a
// release that adds a build may shift them and the slots. The map keeps it at
// NT_NUMBERING_VERSION_INDEX. FNV-1a.
inline uint32_t numbering_fingerprint() {
  uint32_t h = 2166136261u;
  auto mix = [&h](uint32_t v) {
    for (int i = 0; i < 4; ++i) h = (h ^ ((v >> (8 * i)) & 0xFF)) * 16777619u;
  };
  for (std::string_view name : kServedServices) mix(service_id(name).value_or(NT_NO_SERVICE));
  for (uint32_t build : numbering_builds()) mix(build);
  return h;
}

// The map's whole contents, index by index (NT_NUMBERING_MAP_SIZE values): each entry at
// slot * NT_NUMBERING_NUMBERS + number, NT_NO_SERVICE elsewhere, the fingerprint at
// NT_NUMBERING_VERSION_INDEX. Builds past NT_NUMBERING_MAX_BUILDS and numbers past
// NT_NUMBERING_NUMBERS have no place (the loader refuses the former).
inline std::vector<uint32_t> numbering_values() {
  std::vector<uint32_t> out(NT_NUMBERING_MAP_SIZE, NT_NO_SERVICE);
  const std::vector<uint32_t> builds = numbering_builds();
  for (const NumberingEntry& e : numbering_entries()) {
    size_t slot = 0;
    while (slot < builds.size() && builds[slot] != e.key.build) ++slot;
    if (slot < NT_NUMBERING_MAX_BUILDS && e.key.number < NT_NUMBERING_NUMBERS)
      out[slot * NT_NUMBERING_NUMBERS + e.key.number] = e.service;
  }
  out[NT_NUMBERING_VERSION_INDEX] = numbering_fingerprint();
  return out;
}

}  // namespace ireactor::kmod
