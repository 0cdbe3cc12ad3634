// The contents of the nt_numbering map: {Windows build, NT number} -> ntcore's build-independent
// service id, for every service of every supported build, from the same tables the dispatcher
// and our ntdll stubs use (dispatch/syscall_table.h). Header-only so the unit test checks it
// without the kernel side. Users build with ntcore/src on the include path.
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

// The build of the version key (numbering_fingerprint()).
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

// What the served services' ids are in this executable, as one number. The loader bakes those
// ids into the programs, so a numbering map may only be rewritten in place for programs with the
// same ids: ids follow the sorted names of every build's services, and a release that adds a
// build may shift them. The map records it in a version key, {build 0 (never a real one),
// number = fingerprint} -> NT_NO_SERVICE (so a lookup of it is never served). FNV-1a.
inline uint32_t numbering_fingerprint() {
  uint32_t h = 2166136261u;
  auto mix = [&h](uint32_t v) {
    for (int i = 0; i < 4; ++i) h = (h ^ ((v >> (8 * i)) & 0xFF)) * 16777619u;
  };
  for (std::string_view name : kServedServices) mix(service_id(name).value_or(NT_NO_SERVICE));
  return h;
}

}  // namespace ireactor::kmod
