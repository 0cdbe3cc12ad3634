#include "image_mapping.h"

#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "base_relocations.h"
#include "ireactor/process.h"
#include "windows_memory.h"

namespace ireactor::loader {

using namespace win;

namespace {

constexpr uint32_t kR = 1, kW = 2, kX = 4;

uint32_t access_of(uint32_t characteristics) {
  uint32_t a = 0;
  if (characteristics & IMAGE_SCN_MEM_READ) a |= kR;
  if (characteristics & IMAGE_SCN_MEM_WRITE) a |= kW;
  if (characteristics & IMAGE_SCN_MEM_EXECUTE) a |= kX;
  return a;
}

uint32_t page_protection(uint32_t a) {
  if (a & kX) {
    if (a & kW) return PAGE_EXECUTE_WRITECOPY;
    return (a & kR) ? PAGE_EXECUTE_READ : PAGE_EXECUTE;
  }
  if (a & kW) return PAGE_WRITECOPY;
  return (a & kR) ? PAGE_READONLY : PAGE_NOACCESS;
}

int linux_prot(uint32_t a) {
  int prot = PROT_NONE;
  // x86 pages that can be executed or written can also be read.
  if (a & (kR | kW | kX)) prot |= PROT_READ;
  if (a & kW) prot |= PROT_WRITE;
  if (a & kX) prot |= PROT_EXEC;
  return prot;
}

// Reserves size bytes at exactly `want`; 0 when something is already there.
uint64_t map_at(uint64_t want, uint64_t size) {
  void* p = mmap(reinterpret_cast<void*>(want), size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return 0;
  if (reinterpret_cast<uint64_t>(p) != want) {  // a kernel without MAP_FIXED_NOREPLACE
    munmap(p, size);
    return 0;
  }
  return want;
}

// Maps a section's file bytes copy-on-write at its place in the image, as Windows maps images:
// pages are read when touched (never, for debug sections) and shared with other processes until
// written. Only when the file is open, the section page-aligned in the file and in memory, and
// its pages its own; false: the caller copies it.
bool map_section_from_file(const PeFile& pe, const IMAGE_SECTION_HEADER& s, uint32_t raw,
                           uint8_t* image) {
  if (pe.fd < 0 || pe.opt().SectionAlignment < kPageSize || s.PointerToRawData % kPageSize ||
      s.VirtualAddress % kPageSize)
    return false;
  const uint64_t len = page_round_up(raw);
  // Pages wholly past the end of the file would fault (SIGBUS) when touched.
  if (s.PointerToRawData + len > page_round_up(pe.data.size())) return false;
  void* at = image + s.VirtualAddress;
  if (mmap(at, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, pe.fd, s.PointerToRawData) !=
      at) {
    // A failed MAP_FIXED may have unmapped the range: put anonymous memory back for the copy.
    mmap(at, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    return false;
  }
  memset(static_cast<uint8_t*>(at) + raw, 0, len - raw);  // the next section's bytes, if any
  return true;
}

}  // namespace

uint32_t section_page_protection(uint32_t characteristics) {
  return page_protection(access_of(characteristics));
}

LoadStatus map_image(const PeFile& pe, MappedImage& out) {
  const IMAGE_OPTIONAL_HEADER64& opt = pe.opt();
  const uint64_t size = pe.mapped_size();
  uint64_t base = map_at(opt.ImageBase, size);
  if (base == 0) {
    const IMAGE_DATA_DIRECTORY& relocs = pe.directory(IMAGE_DIRECTORY_ENTRY_BASERELOC);
    if ((pe.nt.FileHeader.Characteristics & IMAGE_FILE_RELOCS_STRIPPED) ||
        (relocs.VirtualAddress == 0 &&
         !(opt.DllCharacteristics & IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE)))
      return LoadStatus::failure(
          nt::STATUS_CONFLICTING_ADDRESSES,
          pe.path + " cannot be relocated and its preferred base address is in use");
    base = map_aligned(size, PROT_READ | PROT_WRITE);
    if (base == 0)
      return LoadStatus::failure(
          nt::STATUS_NO_MEMORY, "no address space left to map " + pe.path + ": " + strerror(errno));
  }
  MappedImage img{.base = base, .size = size, .delta = static_cast<int64_t>(base - opt.ImageBase)};
  uint8_t* dst = img.data();
  memcpy(dst, pe.data.data(), std::min<uint64_t>(opt.SizeOfHeaders, pe.data.size()));
  for (const IMAGE_SECTION_HEADER& s : pe.sections) {
    const uint32_t raw = PeFile::raw_size(s);
    if (raw && !map_section_from_file(pe, s, raw, dst))
      memcpy(dst + s.VirtualAddress, pe.data.data() + s.PointerToRawData, raw);
  }
  LoadStatus st = apply_base_relocations(
      dst, opt.SizeOfImage, pe.directory(IMAGE_DIRECTORY_ENTRY_BASERELOC), img.delta, pe.path);
  if (!st.ok()) {
    munmap(dst, size);
    return st;
  }
  // The in-memory headers show where the image really is, as Windows' do.
  const uint64_t image_base_off =
      static_cast<uint64_t>(reinterpret_cast<const IMAGE_DOS_HEADER*>(pe.data.data())->e_lfanew) +
      offsetof(IMAGE_NT_HEADERS64, OptionalHeader) + offsetof(IMAGE_OPTIONAL_HEADER64, ImageBase);
  memcpy(dst + image_base_off, &base, sizeof base);
  out = img;
  return LoadStatus::success();
}

void protect_image(const PeFile& pe, MappedImage& image) {
  const uint64_t pages = image.size / kPageSize;
  std::vector<uint32_t> access(pages, 0);
  const uint64_t header_pages = page_round_up(pe.opt().SizeOfHeaders) / kPageSize;
  for (uint64_t i = 0; i < std::max<uint64_t>(header_pages, 1) && i < pages; ++i) access[i] = kR;
  for (const IMAGE_SECTION_HEADER& s : pe.sections) {
    const uint64_t first = s.VirtualAddress / kPageSize;
    const uint64_t last =
        page_round_up(static_cast<uint64_t>(s.VirtualAddress) + PeFile::virtual_size(s)) /
        kPageSize;
    // Sections sharing a page (alignment below the page size) get the union of their rights.
    for (uint64_t p = first; p < last && p < pages; ++p) access[p] |= access_of(s.Characteristics);
  }
  AddressSpace& as = current_process().address_space;
  for (uint64_t p = 0; p < pages;) {
    uint64_t q = p + 1;
    while (q < pages && access[q] == access[p]) ++q;
    const uint64_t start = image.base + p * kPageSize, len = (q - p) * kPageSize;
    mprotect(reinterpret_cast<void*>(start), len, linux_prot(access[p]));
    as.add(Region{.base = start,
                  .size = len,
                  .allocation_base = image.base,
                  .allocation_protect = PAGE_EXECUTE_WRITECOPY,
                  .state = MEM_COMMIT,
                  .protect = page_protection(access[p]),
                  .type = MEM_IMAGE});
    p = q;
  }
  image.protected_ = true;
}

void unmap_image(MappedImage& image) {
  if (image.base == 0) return;
  if (image.protected_) current_process().address_space.remove(image.base, image.size);
  munmap(image.data(), image.size);
  image = {};
}

}  // namespace ireactor::loader
