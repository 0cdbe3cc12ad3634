#include "system/nls_files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <map>
#include <mutex>

#include "ireactor/process.h"
#include "memory/virtual_memory.h"

namespace ireactor::nls {

std::string data_directory() {
  if (const char* dir = std::getenv("IREACTOR_NLS_DIR"); dir && *dir) return dir;
  return "/usr/share/wine/nls";
}

namespace {

struct Cache {
  std::mutex mutex;
  std::map<std::string, MappedFile> files;
};

Cache& cache() {
  static Cache c;
  return c;
}

}  // namespace

nt::NTSTATUS map_file(const std::string& name, MappedFile& out) {
  Cache& c = cache();
  std::lock_guard lock(c.mutex);
  if (auto it = c.files.find(name); it != c.files.end()) {
    out = it->second;
    return nt::STATUS_SUCCESS;
  }

  const std::string path = data_directory() + "/" + name;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? nt::STATUS_OBJECT_NAME_NOT_FOUND : nt::STATUS_ACCESS_DENIED;
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
    close(fd);
    return nt::STATUS_OBJECT_NAME_NOT_FOUND;
  }
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  const uint64_t len = vm::page_up(size);

  // The address space changes under the memory services' lock, as NtMapViewOfSection would.
  std::lock_guard vm_lock(vm::services_mutex());
  auto at = vm::reserve_anywhere(len, kHighestUserAddress, false);
  if (!at) {
    close(fd);
    return nt::STATUS_NO_MEMORY;
  }
  void* p = mmap(reinterpret_cast<void*>(*at), len, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
  close(fd);
  if (p == MAP_FAILED) {
    munmap(reinterpret_cast<void*>(*at), len);
    return nt::STATUS_NO_MEMORY;
  }
  current_process().address_space.add(
      Region{*at, len, *at, PAGE_READONLY, MEM_COMMIT, PAGE_READONLY, MEM_MAPPED});
  out = MappedFile{*at, size};
  c.files.emplace(name, out);
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor::nls
