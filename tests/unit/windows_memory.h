// Anonymous memory recorded in the process's address space as committed read-write private
// memory: what user_memory accepts as Windows memory, for unit tests that call services directly.
#pragma once

#include <doctest/doctest.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstring>

#include "ireactor/address_space.h"
#include "ireactor/process.h"
#include "ireactor/user_memory.h"

namespace ireactor::test {

class WindowsMemory {
 public:
  explicit WindowsMemory(size_t size = 0x10000) : size_(size) {
    create_process();
    install_user_fault_handler();
    void* p = mmap(nullptr, size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(p != MAP_FAILED);
    base_ = reinterpret_cast<uint64_t>(p);
    current_process().address_space.add(Region::committed_private(base_, size_, PAGE_READWRITE));
  }
  ~WindowsMemory() {
    current_process().address_space.remove(base_, size_);
    munmap(reinterpret_cast<void*>(base_), size_);
  }
  WindowsMemory(const WindowsMemory&) = delete;
  WindowsMemory& operator=(const WindowsMemory&) = delete;

  uint64_t addr(size_t offset = 0) const { return base_ + offset; }
  size_t size() const { return size_; }
  uint8_t* bytes(size_t offset = 0) const { return reinterpret_cast<uint8_t*>(base_ + offset); }
  template <class T>
  T& at(size_t offset) const {
    return *reinterpret_cast<T*>(base_ + offset);
  }
  template <class T>
  UserPtr<T> user(size_t offset) const {
    return UserPtr<T>(base_ + offset);
  }
  void fill(uint8_t byte) const { std::memset(bytes(), byte, size_); }

 private:
  uint64_t base_ = 0;
  size_t size_;
};

}  // namespace ireactor::test
