#include "tls_setup.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "windows_memory.h"

namespace ireactor::loader {

using namespace win;

namespace {

std::atomic<uint32_t> g_next_tls_index{0};

LoadStatus bad(const std::string& path, const std::string& why) {
  return LoadStatus::failure(nt::STATUS_INVALID_IMAGE_FORMAT, path + ": bad TLS directory: " + why);
}

uint64_t align_up(uint64_t v, uint64_t a) {
  return (v + a - 1) & ~(a - 1);
}

}  // namespace

LoadStatus setup_image_tls(const PeFile& pe, const MappedImage& image, TlsTemplate& out) {
  out = TlsTemplate{};
  const IMAGE_DATA_DIRECTORY& dir = pe.directory(IMAGE_DIRECTORY_ENTRY_TLS);
  if (dir.VirtualAddress == 0 || dir.Size == 0) return LoadStatus::success();
  if (dir.Size < sizeof(IMAGE_TLS_DIRECTORY64) ||
      static_cast<uint64_t>(dir.VirtualAddress) + sizeof(IMAGE_TLS_DIRECTORY64) > image.size)
    return bad(pe.path, "the directory is too small or outside the image");
  IMAGE_TLS_DIRECTORY64 tls;
  memcpy(&tls, image.data() + dir.VirtualAddress, sizeof tls);
  auto inside = [&](uint64_t va, uint64_t n) {
    return va >= image.base && va - image.base <= image.size && image.size - (va - image.base) >= n;
  };
  if (tls.EndAddressOfRawData < tls.StartAddressOfRawData ||
      (tls.StartAddressOfRawData != tls.EndAddressOfRawData &&
       !inside(tls.StartAddressOfRawData, tls.EndAddressOfRawData - tls.StartAddressOfRawData)))
    return bad(pe.path, "the template data lies outside the image");
  if (!inside(tls.AddressOfIndex, sizeof(uint32_t)))
    return bad(pe.path, "AddressOfIndex lies outside the image");
  if (tls.AddressOfCallBacks != 0 && !inside(tls.AddressOfCallBacks, sizeof(uint64_t)))
    return bad(pe.path, "AddressOfCallBacks lies outside the image");
  const uint64_t raw = tls.EndAddressOfRawData - tls.StartAddressOfRawData;
  if (raw + tls.SizeOfZeroFill > 0x10000000ull) return bad(pe.path, "the TLS block is too large");

  out.present = true;
  out.index = g_next_tls_index.fetch_add(1);
  out.raw_start = tls.StartAddressOfRawData;
  out.raw_end = tls.EndAddressOfRawData;
  out.zero_fill = tls.SizeOfZeroFill;
  const uint32_t align_code = (tls.Characteristics >> 20) & 0xF;  // IMAGE_SCN_ALIGN_*
  out.alignment = align_code ? (1u << (align_code - 1)) : 0;
  out.callbacks = tls.AddressOfCallBacks;
  memcpy(reinterpret_cast<void*>(tls.AddressOfIndex), &out.index, sizeof out.index);
  return LoadStatus::success();
}

LoadStatus create_thread_tls(const ModuleList& modules, ThreadTls& out) {
  out = ThreadTls{};
  std::vector<LoadedModule*> with_tls;
  uint32_t slots = 0;
  for (LoadedModule* m : modules.in_load_order()) {
    if (!m->tls.present) continue;
    with_tls.push_back(m);
    slots = std::max(slots, m->tls.index + 1);
  }
  if (with_tls.empty()) return LoadStatus::success();

  // One allocation: the pointer vector, then each block at its alignment (16 at least, as the
  // Windows heap gives).
  uint64_t size = align_up(slots * sizeof(uint64_t), 16);
  std::vector<uint64_t> offsets;
  for (LoadedModule* m : with_tls) {
    const uint64_t align = std::max<uint64_t>(16, m->tls.alignment);
    size = align_up(size, align);
    offsets.push_back(size);
    size += (m->tls.raw_end - m->tls.raw_start) + m->tls.zero_fill;
  }
  const uint64_t base = allocate_windows_memory(std::max<uint64_t>(size, 1));
  if (base == 0) return LoadStatus::failure(nt::STATUS_NO_MEMORY, "no memory for a TLS block");
  auto* vec = reinterpret_cast<uint64_t*>(base);
  for (size_t i = 0; i < with_tls.size(); ++i) {
    const TlsTemplate& t = with_tls[i]->tls;
    const uint64_t block = base + offsets[i];
    memcpy(reinterpret_cast<void*>(block), reinterpret_cast<const void*>(t.raw_start),
           t.raw_end - t.raw_start);  // the zero fill is already zero
    vec[t.index] = block;
  }
  out = ThreadTls{.vector = base, .allocation = base, .allocation_size = size};
  return LoadStatus::success();
}

LoadStatus extend_thread_tls(const ModuleList& modules, const std::vector<LoadedModule*>& added,
                             uint64_t& vector) {
  std::vector<LoadedModule*> fresh;
  for (LoadedModule* m : added)
    if (m->tls.present) fresh.push_back(m);
  if (fresh.empty()) return LoadStatus::success();
  uint32_t slots = 0;
  std::vector<LoadedModule*> with_tls;
  for (LoadedModule* m : modules.in_load_order())
    if (m->tls.present) {
      with_tls.push_back(m);
      slots = std::max(slots, m->tls.index + 1);
    }
  uint64_t size = align_up(slots * sizeof(uint64_t), 16);
  std::vector<uint64_t> offsets;
  for (LoadedModule* m : fresh) {
    size = align_up(size, std::max<uint64_t>(16, m->tls.alignment));
    offsets.push_back(size);
    size += (m->tls.raw_end - m->tls.raw_start) + m->tls.zero_fill;
  }
  const uint64_t base = allocate_windows_memory(size);
  if (base == 0) return LoadStatus::failure(nt::STATUS_NO_MEMORY, "no memory for a TLS block");
  auto* vec = reinterpret_cast<uint64_t*>(base);
  const auto* old = reinterpret_cast<const uint64_t*>(vector);
  for (LoadedModule* m : with_tls)
    if (old && std::find(fresh.begin(), fresh.end(), m) == fresh.end())
      vec[m->tls.index] = old[m->tls.index];
  for (size_t i = 0; i < fresh.size(); ++i) {
    const TlsTemplate& t = fresh[i]->tls;
    memcpy(reinterpret_cast<void*>(base + offsets[i]), reinterpret_cast<const void*>(t.raw_start),
           t.raw_end - t.raw_start);
    vec[t.index] = base + offsets[i];
  }
  vector = base;
  return LoadStatus::success();
}

void free_thread_tls(ThreadTls& tls) {
  if (tls.allocation) free_windows_memory(tls.allocation, tls.allocation_size);
  tls = ThreadTls{};
}

}  // namespace ireactor::loader
