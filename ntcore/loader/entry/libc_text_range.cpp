// Finds libc's text segment through the dynamic linker's list of loaded objects.
#include "libc_text_range.h"

#include <dlfcn.h>
#include <link.h>

#include <stdexcept>

namespace ireactor::entry {

namespace {

constexpr uint64_t kPage = 0x1000;

struct Search {
  uint64_t addr;
  std::optional<CodeRange> found;
};

int visit_object(dl_phdr_info* info, size_t, void* data) {
  auto* search = static_cast<Search*>(data);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X)) continue;
    const uint64_t begin = (info->dlpi_addr + ph.p_vaddr) & ~(kPage - 1);
    const uint64_t end = (info->dlpi_addr + ph.p_vaddr + ph.p_memsz + kPage - 1) & ~(kPage - 1);
    if (search->addr >= begin && search->addr < end) {
      search->found = CodeRange{begin, end - begin};
      return 1;
    }
  }
  return 0;
}

}  // namespace

std::optional<CodeRange> text_segment_containing(uint64_t addr) {
  Search search{addr, std::nullopt};
  dl_iterate_phdr(visit_object, &search);
  return search.found;
}

CodeRange libc_text_range() {
  // dlsym gives libc's own address even where a non-PIE executable would make &syscall its PLT.
  void* anchor = dlsym(RTLD_DEFAULT, "syscall");
  if (anchor == nullptr) throw std::runtime_error("cannot locate libc: dlsym(syscall) failed");
  auto range = text_segment_containing(reinterpret_cast<uint64_t>(anchor));
  if (!range) throw std::runtime_error("cannot locate libc's text segment");
  return *range;
}

}  // namespace ireactor::entry
