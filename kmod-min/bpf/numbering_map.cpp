#include "numbering_map.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "libbpf_log.h"
#include "nt_numbering.h"

namespace ireactor::kmod {
namespace {

// Every value of the map behind `fd`, index by index (its layout checked by the caller).
std::vector<uint32_t> values_of(int fd) {
  std::vector<uint32_t> keys(NT_NUMBERING_MAP_SIZE), values(NT_NUMBERING_MAP_SIZE);
  uint32_t next = 0, count = NT_NUMBERING_MAP_SIZE;
  // One batch holds them all; an ARRAY answers ENOENT with the last batch.
  const int err =
      bpf_map_lookup_batch(fd, nullptr, &next, keys.data(), values.data(), &count, nullptr);
  if (err && err != -ENOENT)
    throw std::runtime_error("read nt_numbering: " + guard::errno_text(err));
  std::vector<uint32_t> out(NT_NUMBERING_MAP_SIZE, NT_NO_SERVICE);
  for (uint32_t i = 0; i < count; ++i)
    if (keys[i] < out.size()) out[keys[i]] = values[i];
  return out;
}

}  // namespace

bool numbering_layout_ok(int fd) {
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  if (bpf_map_get_info_by_fd(fd, &info, &len) != 0) return false;
  return info.type == BPF_MAP_TYPE_ARRAY && info.key_size == sizeof(uint32_t) &&
         info.value_size == sizeof(uint32_t) && info.max_entries == NT_NUMBERING_MAP_SIZE;
}

size_t write_numbering(int fd) {
  const std::vector<uint32_t> builds = numbering_builds();
  if (builds.size() > NT_NUMBERING_MAX_BUILDS)
    throw std::runtime_error("nt_numbering has room for " +
                             std::to_string(NT_NUMBERING_MAX_BUILDS) + " builds, not " +
                             std::to_string(builds.size()));
  if (!numbering_layout_ok(fd))
    throw std::runtime_error("write nt_numbering: the map has another layout");
  const std::vector<uint32_t> values = numbering_values();
  std::vector<uint32_t> keys(values.size());
  std::iota(keys.begin(), keys.end(), 0u);
  // Each entry is one aligned word: lookups running meanwhile see its old or its new value.
  uint32_t count = static_cast<uint32_t>(values.size());
  if (int err = bpf_map_update_batch(fd, keys.data(), values.data(), &count, nullptr))
    throw std::runtime_error("write nt_numbering: " + guard::errno_text(err));
  size_t entries = 0;
  for (size_t i = 0; i < NT_NUMBERING_MAX_ENTRIES; ++i) entries += values[i] != NT_NO_SERVICE;
  return entries;
}

bool numbering_is_ours(int fd) {
  return numbering_layout_ok(fd) &&
         values_of(fd)[NT_NUMBERING_VERSION_INDEX] == numbering_fingerprint();
}

size_t count_numbering(int fd) {
  if (!numbering_layout_ok(fd)) return 0;
  const std::vector<uint32_t> values = values_of(fd);
  size_t n = 0;
  for (size_t i = 0; i < NT_NUMBERING_MAX_ENTRIES; ++i) n += values[i] != NT_NO_SERVICE;
  return n;
}

}  // namespace ireactor::kmod
