// The memory services, called as the dispatcher calls them: every pointer argument points into
// Windows memory (a scratch page recorded in the address space), and each error status is the
// one Windows returns.
#include <doctest/doctest.h>
#include <sys/mman.h>

#include <cstring>

#include "ireactor/process.h"
#include "ireactor/process/process_object.h"
#include "ireactor/services/memory_services.h"
#include "memory/memory_basic_information.h"

using namespace ireactor;
using nt::MEMORY_BASIC_INFORMATION;

namespace {

constexpr uint64_t P = kPageSize;
constexpr uint64_t G = kAllocationGranularity;
constexpr nt::HANDLE kSelf = nt::kCurrentProcess;
constexpr nt::NTSTATUS kStatusUnableToDeleteSection = nt::status(0xC000001B);

AddressSpace& space() {
  return current_process().address_space;
}

// The arguments Windows code would pass, living in Windows memory.
struct Args {
  uint64_t base;
  uint64_t size;
  nt::ULONG old;
  uint32_t pad;
  MEMORY_BASIC_INFORMATION mbi;
  uint64_t ret_len;
};

struct Scratch {
  Args* a;
  Scratch() {
    // doctest puts its own crash handler in for every test case; put ours back.
    install_user_fault_handler();
    void* m = mmap(nullptr, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(m != MAP_FAILED);
    a = static_cast<Args*>(m);
    const uint64_t addr = reinterpret_cast<uint64_t>(m);
    space().add(Region::committed_private(addr, P, PAGE_READWRITE));
  }
  ~Scratch() {
    space().remove(reinterpret_cast<uint64_t>(a), P);
    munmap(a, P);
  }
  UserPtr<uint64_t> base() const { return UserPtr<uint64_t>(reinterpret_cast<uint64_t>(&a->base)); }
  UserPtr<uint64_t> size() const { return UserPtr<uint64_t>(reinterpret_cast<uint64_t>(&a->size)); }
  UserPtr<nt::ULONG> old() const { return UserPtr<nt::ULONG>(reinterpret_cast<uint64_t>(&a->old)); }
  UserPtr<void> mbi() const { return UserPtr<void>(reinterpret_cast<uint64_t>(&a->mbi)); }
  UserPtr<uint64_t> ret_len() const {
    return UserPtr<uint64_t>(reinterpret_cast<uint64_t>(&a->ret_len));
  }

  nt::NTSTATUS alloc(uint64_t base, uint64_t size, uint32_t type, uint32_t protect,
                     uint64_t zero_bits = 0, nt::HANDLE h = kSelf) {
    a->base = base;
    a->size = size;
    return NtAllocateVirtualMemory(h, this->base(), zero_bits, this->size(), type, protect);
  }
  nt::NTSTATUS free(uint64_t base, uint64_t size, uint32_t type, nt::HANDLE h = kSelf) {
    a->base = base;
    a->size = size;
    return NtFreeVirtualMemory(h, this->base(), this->size(), type);
  }
  nt::NTSTATUS protect(uint64_t base, uint64_t size, uint32_t protect, nt::HANDLE h = kSelf) {
    a->base = base;
    a->size = size;
    a->old = 0xcccccccc;
    return NtProtectVirtualMemory(h, this->base(), this->size(), protect, old());
  }
  nt::NTSTATUS query(uint64_t addr, nt::HANDLE h = kSelf) {
    std::memset(&a->mbi, 0xcc, sizeof(a->mbi));
    a->ret_len = 0;
    return NtQueryVirtualMemory(h, addr, nt::MemoryBasicInformation, mbi(), sizeof(a->mbi),
                                ret_len());
  }
};

// Whether the host mapping at addr can be read / written right now (independent of the record).
bool host_readable(uint64_t addr) {
  uint8_t b;
  return ir_safe_memcpy(&b, reinterpret_cast<const void*>(addr), 1) == 0;
}
bool host_writable(uint64_t addr) {
  uint8_t b;
  if (!host_readable(addr)) return false;
  ir_safe_memcpy(&b, reinterpret_cast<const void*>(addr), 1);
  return ir_safe_memcpy(reinterpret_cast<void*>(addr), &b, 1) == 0;
}
bool host_mapped(uint64_t addr) {
  unsigned char vec;
  return mincore(reinterpret_cast<void*>(addr), P, &vec) == 0;
}

}  // namespace

TEST_CASE("reserve, commit part, query, decommit, release") {
  install_user_fault_handler();
  Scratch s;
  REQUIRE(s.alloc(0, 0x30000 - 5, MEM_RESERVE, PAGE_READWRITE) == nt::STATUS_SUCCESS);
  const uint64_t base = s.a->base;
  CHECK(base % G == 0);
  CHECK(s.a->size == 0x30000);
  CHECK(base + s.a->size - 1 <= kHighestUserAddress);
  CHECK(host_mapped(base));
  CHECK_FALSE(host_readable(base));  // reserved pages are PROT_NONE
  CHECK_FALSE(probe_user(base, 1, false));

  REQUIRE(s.query(base + 0x10) == nt::STATUS_SUCCESS);
  CHECK(s.a->ret_len == 48);
  CHECK(s.a->mbi.BaseAddress == base);
  CHECK(s.a->mbi.AllocationBase == base);
  CHECK(s.a->mbi.AllocationProtect == PAGE_READWRITE);
  CHECK(s.a->mbi.RegionSize == 0x30000);
  CHECK(s.a->mbi.State == MEM_RESERVE);
  CHECK(s.a->mbi.Protect == 0);
  CHECK(s.a->mbi.Type == MEM_PRIVATE);

  // Commit two bytes straddling a page boundary: both pages.
  REQUIRE(s.alloc(base + 0x1fff, 2, MEM_COMMIT, PAGE_READWRITE) == nt::STATUS_SUCCESS);
  CHECK(s.a->base == base + 0x1000);
  CHECK(s.a->size == 0x2000);
  CHECK(host_writable(base + 0x1000));
  CHECK(host_writable(base + 0x2fff));
  CHECK_FALSE(host_readable(base + 0x3000));
  CHECK(reinterpret_cast<uint8_t*>(base + 0x1000)[123] == 0);  // committed pages are zero
  std::memset(reinterpret_cast<void*>(base + 0x1000), 0x5a, 0x2000);

  REQUIRE(s.query(base) == nt::STATUS_SUCCESS);
  CHECK(s.a->mbi.State == MEM_RESERVE);
  CHECK(s.a->mbi.RegionSize == 0x1000);
  REQUIRE(s.query(base + 0x2800) == nt::STATUS_SUCCESS);
  CHECK(s.a->mbi.BaseAddress == base + 0x2000);
  CHECK(s.a->mbi.AllocationBase == base);
  CHECK(s.a->mbi.State == MEM_COMMIT);
  CHECK(s.a->mbi.Protect == PAGE_READWRITE);
  CHECK(s.a->mbi.RegionSize == 0x1000);
  REQUIRE(s.query(base + 0x3000) == nt::STATUS_SUCCESS);
  CHECK(s.a->mbi.State == MEM_RESERVE);
  CHECK(s.a->mbi.RegionSize == 0x2d000);

  // Committing again with another protection keeps the contents.
  REQUIRE(s.alloc(base + 0x1000, 0x1000, MEM_COMMIT, PAGE_READONLY) == nt::STATUS_SUCCESS);
  CHECK(reinterpret_cast<uint8_t*>(base + 0x1000)[5] == 0x5a);
  CHECK_FALSE(host_writable(base + 0x1000));
  CHECK(space().find(base + 0x1000)->protect == PAGE_READONLY);

  // Decommit: pages become reserved and come back zeroed.
  REQUIRE(s.free(base + 0x1000, 0x2000, MEM_DECOMMIT) == nt::STATUS_SUCCESS);
  CHECK(s.a->base == base + 0x1000);
  CHECK(s.a->size == 0x2000);
  CHECK_FALSE(host_readable(base + 0x2000));
  REQUIRE(s.query(base) == nt::STATUS_SUCCESS);
  CHECK(s.a->mbi.State == MEM_RESERVE);
  CHECK(s.a->mbi.RegionSize == 0x30000);  // one run again
  REQUIRE(s.alloc(base + 0x2000, 0x1000, MEM_COMMIT, PAGE_READWRITE) == nt::STATUS_SUCCESS);
  CHECK(reinterpret_cast<uint8_t*>(base + 0x2000)[5] == 0);

  // Release needs the allocation base when the size is 0 (rounded down to the page first).
  CHECK(s.free(base + 0x1001, 0, MEM_RELEASE) == nt::STATUS_FREE_VM_NOT_AT_BASE);
  CHECK(s.a->base == base + 0x1001);
  CHECK(s.a->size == 0);
  REQUIRE(s.free(base + 0xfff, 0, MEM_RELEASE) == nt::STATUS_SUCCESS);
  CHECK(s.a->base == base);
  CHECK(s.a->size == 0x30000);
  CHECK_FALSE(host_mapped(base));
  CHECK_FALSE(space().find(base));
  REQUIRE(s.query(base) == nt::STATUS_SUCCESS);
  CHECK(s.a->mbi.State == MEM_FREE);
}

TEST_CASE("reserve at a given base rounds it down to 64 KiB and checks conflicts") {
  Scratch s;
  REQUIRE(s.alloc(0, 4 * G, MEM_RESERVE, PAGE_NOACCESS) == nt::STATUS_SUCCESS);
  const uint64_t hole = s.a->base;
  REQUIRE(s.free(hole, 0, MEM_RELEASE) == nt::STATUS_SUCCESS);

  REQUIRE(s.alloc(hole + 0x8000, 1, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE) ==
          nt::STATUS_SUCCESS);
  CHECK(s.a->base == hole);
  CHECK(s.a->size == 0x9000);  // from the 64 KiB boundary to the end page
  CHECK(host_writable(hole + 0x8000));

  // The same 64 KiB granule again: conflict, even where nothing is reserved yet.
  CHECK(s.alloc(hole + 0xa000, 0x1000, MEM_RESERVE, PAGE_READWRITE) ==
        nt::STATUS_CONFLICTING_ADDRESSES);
  // Committing past the reservation, or where nothing is reserved.
  CHECK(s.alloc(hole + 0x8000, 0x2000, MEM_COMMIT, PAGE_READWRITE) ==
        nt::STATUS_CONFLICTING_ADDRESSES);
  CHECK(s.alloc(hole + 2 * G, 0x1000, MEM_COMMIT, PAGE_READWRITE) ==
        nt::STATUS_CONFLICTING_ADDRESSES);
  // The runtime's own memory is never handed out.
  uint64_t runtime = reinterpret_cast<uint64_t>(&s) & ~(G - 1);
  CHECK(s.alloc(runtime, 0x1000, MEM_RESERVE, PAGE_READWRITE) == nt::STATUS_CONFLICTING_ADDRESSES);
  CHECK(host_readable(reinterpret_cast<uint64_t>(&s)));
  // Below the lowest user address.
  CHECK(s.alloc(0xf000, 0x1000, MEM_RESERVE, PAGE_READWRITE) == nt::STATUS_INVALID_PARAMETER_2);

  // Reserving the neighbour granule is fine; a commit may not span the two allocations.
  REQUIRE(s.alloc(hole + G, G, MEM_RESERVE, PAGE_READWRITE) == nt::STATUS_SUCCESS);
  CHECK(s.alloc(hole + 0x8000, G, MEM_COMMIT, PAGE_READWRITE) == nt::STATUS_CONFLICTING_ADDRESSES);
  // Nor may a release.
  CHECK(s.free(hole, 2 * G, MEM_RELEASE) == nt::STATUS_UNABLE_TO_FREE_VM);
  CHECK(s.free(hole, 0, MEM_RELEASE) == nt::STATUS_SUCCESS);
  CHECK(s.free(hole + G, 0, MEM_RELEASE) == nt::STATUS_SUCCESS);
}

TEST_CASE("a commit with no base reserves too") {
  Scratch s;
  REQUIRE(s.alloc(0, 0x1800, MEM_COMMIT, PAGE_EXECUTE_READWRITE) == nt::STATUS_SUCCESS);
  CHECK(s.a->size == 0x2000);
  CHECK(space().find(s.a->base)->state == MEM_COMMIT);
  CHECK(space().find(s.a->base)->allocation_base == s.a->base);
  CHECK(host_writable(s.a->base + 0x1fff));
  CHECK(s.free(s.a->base, 0, MEM_RELEASE) == nt::STATUS_SUCCESS);
}

TEST_CASE("ZeroBits and MEM_TOP_DOWN place the allocation") {
  Scratch s;
  CHECK(s.alloc(0, P, MEM_COMMIT, PAGE_READWRITE, 22) == nt::STATUS_INVALID_PARAMETER_3);
  CHECK(s.alloc(0, P, MEM_COMMIT, PAGE_READWRITE, 31) == nt::STATUS_INVALID_PARAMETER_3);
  CHECK(s.alloc(0, P, MEM_COMMIT, PAGE_READWRITE, 33) == nt::STATUS_INVALID_PARAMETER_3);

  for (uint64_t zb : {1, 4, 12}) {
    CAPTURE(zb);
    REQUIRE(s.alloc(0, P, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE, zb) == nt::STATUS_SUCCESS);
    CHECK((s.a->base >> (32 - zb)) == 0);
    CHECK(s.a->base % G == 0);
    CHECK(host_writable(s.a->base));
    CHECK(s.free(s.a->base, 0, MEM_RELEASE) == nt::STATUS_SUCCESS);
  }
  // ZeroBits of 32 and more is a mask: the address may only use bits below its top bit.
  REQUIRE(s.alloc(0, P, MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE, 0x3fffffff) ==
          nt::STATUS_SUCCESS);
  CHECK(s.a->base <= 0x3fffffff - P + 1);
  CHECK(s.a->base > 0x20000000);  // top down within the mask
  CHECK(s.free(s.a->base, 0, MEM_RELEASE) == nt::STATUS_SUCCESS);
  // 21 leaves 2 KiB: never satisfiable.
  CHECK(s.alloc(0, P, MEM_COMMIT, PAGE_READWRITE, 21) == nt::STATUS_NO_MEMORY);

  REQUIRE(s.alloc(0, 2 * P, MEM_COMMIT | MEM_TOP_DOWN, PAGE_READWRITE) == nt::STATUS_SUCCESS);
  CHECK(s.a->base >= 0x7ff000000000ull);
  CHECK(s.a->base + s.a->size - 1 <= kHighestUserAddress);
  CHECK(s.a->base % G == 0);
  CHECK(host_writable(s.a->base));
  CHECK(s.free(s.a->base, 0, MEM_RELEASE) == nt::STATUS_SUCCESS);
}

TEST_CASE("NtAllocateVirtualMemory parameter errors") {
  Scratch s;
  CHECK(s.alloc(0, P, 0, PAGE_READWRITE) == nt::STATUS_INVALID_PARAMETER_5);
  CHECK(s.alloc(0, P, MEM_TOP_DOWN, PAGE_READWRITE) == nt::STATUS_INVALID_PARAMETER_5);
  CHECK(s.alloc(0, P, MEM_RESERVE | 0x10, PAGE_READWRITE) == nt::STATUS_INVALID_PARAMETER_5);
  CHECK(s.alloc(0, P, MEM_RESET | MEM_COMMIT, PAGE_READWRITE) == nt::STATUS_INVALID_PARAMETER_5);
  CHECK(s.alloc(0, P, MEM_RESERVE, 0) == nt::STATUS_INVALID_PAGE_PROTECTION);
  CHECK(s.alloc(0, P, MEM_RESERVE, 3) == nt::STATUS_INVALID_PAGE_PROTECTION);
  CHECK(s.alloc(0, P, MEM_RESERVE, PAGE_NOACCESS | PAGE_GUARD) ==
        nt::STATUS_INVALID_PAGE_PROTECTION);
  CHECK(s.alloc(0, P, MEM_RESERVE, PAGE_WRITECOPY) == nt::STATUS_INVALID_PAGE_PROTECTION);
  CHECK(s.alloc(0, P, MEM_COMMIT, PAGE_EXECUTE_WRITECOPY) == nt::STATUS_INVALID_PAGE_PROTECTION);
  CHECK(s.alloc(0, 0, MEM_RESERVE, PAGE_READWRITE) == nt::STATUS_INVALID_PARAMETER_4);
  CHECK(s.alloc(0x800000000000ull, P, MEM_RESERVE, PAGE_READWRITE) ==
        nt::STATUS_INVALID_PARAMETER_2);
  CHECK(s.alloc(0x7ffffffe0000ull, 0x20000, MEM_RESERVE, PAGE_READWRITE) ==
        nt::STATUS_INVALID_PARAMETER_4);
  CHECK(s.alloc(0, ~0ull, MEM_RESERVE, PAGE_READWRITE) == nt::STATUS_INVALID_PARAMETER_4);
  CHECK(s.alloc(0, P, MEM_COMMIT | 0x20000000 /* MEM_LARGE_PAGES */, PAGE_READWRITE) ==
        nt::STATUS_PRIVILEGE_NOT_HELD);

  // Pointer arguments: not Windows memory, NULL, misaligned.
  uint64_t runtime_base = 0, runtime_size = P;
  CHECK(NtAllocateVirtualMemory(kSelf, UserPtr<uint64_t>(reinterpret_cast<uint64_t>(&runtime_base)),
                                0, s.size(), MEM_COMMIT,
                                PAGE_READWRITE) == nt::STATUS_ACCESS_VIOLATION);
  CHECK(NtAllocateVirtualMemory(kSelf, s.base(), 0,
                                UserPtr<uint64_t>(reinterpret_cast<uint64_t>(&runtime_size)),
                                MEM_COMMIT, PAGE_READWRITE) == nt::STATUS_ACCESS_VIOLATION);
  CHECK(NtAllocateVirtualMemory(kSelf, UserPtr<uint64_t>(0), 0, s.size(), MEM_COMMIT,
                                PAGE_READWRITE) == nt::STATUS_ACCESS_VIOLATION);
  CHECK(NtAllocateVirtualMemory(kSelf, UserPtr<uint64_t>(s.base().addr() + 4), 0, s.size(),
                                MEM_COMMIT, PAGE_READWRITE) == nt::STATUS_DATATYPE_MISALIGNMENT);
}

TEST_CASE("only this process's handles are accepted") {
  Scratch s;
  CHECK(s.alloc(0, P, MEM_RESERVE, PAGE_READWRITE, 0, 0) == nt::STATUS_INVALID_HANDLE);
  CHECK(s.alloc(0, P, MEM_RESERVE, PAGE_READWRITE, 0, 0x1234) == nt::STATUS_INVALID_HANDLE);
  CHECK(s.query(0x10000, 0x1234) == nt::STATUS_INVALID_HANDLE);
  CHECK(s.free(0x10000, 0, MEM_RELEASE, 0x1234) == nt::STATUS_INVALID_HANDLE);
  CHECK(s.protect(0x10000, P, PAGE_READWRITE, 0x1234) == nt::STATUS_INVALID_HANDLE);

  nt::HANDLE h = 0;
  Process& proc = current_process();
  REQUIRE(proc.object);
  REQUIRE(proc.handles.insert(proc.object, 0x1fffff, 0, h) == nt::STATUS_SUCCESS);
  REQUIRE(s.alloc(0, P, MEM_COMMIT, PAGE_READWRITE, 0, h) == nt::STATUS_SUCCESS);
  CHECK(s.query(s.a->base, h) == nt::STATUS_SUCCESS);
  CHECK(s.free(s.a->base, 0, MEM_RELEASE, h) == nt::STATUS_SUCCESS);
  proc.handles.close(h);

  // A process handle without PROCESS_VM_OPERATION.
  REQUIRE(proc.handles.insert(proc.object, 0x0400, 0, h) == nt::STATUS_SUCCESS);
  CHECK(s.alloc(0, P, MEM_COMMIT, PAGE_READWRITE, 0, h) == nt::STATUS_ACCESS_DENIED);
  CHECK(s.query(reinterpret_cast<uint64_t>(s.a), h) == nt::STATUS_SUCCESS);
  proc.handles.close(h);
}

TEST_CASE("NtFreeVirtualMemory errors and partial release") {
  Scratch s;
  REQUIRE(s.alloc(0, 3 * G, MEM_RESERVE, PAGE_READWRITE) == nt::STATUS_SUCCESS);
  const uint64_t base = s.a->base;

  CHECK(s.free(base, 0, 0) == nt::STATUS_INVALID_PARAMETER_4);
  CHECK(s.free(base, 0, MEM_RELEASE | MEM_DECOMMIT) == nt::STATUS_INVALID_PARAMETER_4);
  CHECK(s.free(base + 3 * G, 0, MEM_RELEASE) == nt::STATUS_MEMORY_NOT_ALLOCATED);
  CHECK(s.free(base + 3 * G, P, MEM_DECOMMIT) == nt::STATUS_MEMORY_NOT_ALLOCATED);
  CHECK(s.free(base + 2 * G, 2 * G, MEM_RELEASE) == nt::STATUS_UNABLE_TO_FREE_VM);
  CHECK(s.free(base + 2 * G, 2 * G, MEM_DECOMMIT) == nt::STATUS_UNABLE_TO_FREE_VM);
  CHECK(s.free(base + P, 0, MEM_DECOMMIT) == nt::STATUS_FREE_VM_NOT_AT_BASE);
  CHECK(s.free(0x800000000000ull, 0, MEM_RELEASE) == nt::STATUS_INVALID_PARAMETER_2);
  CHECK(s.free(base, ~0ull - base, MEM_RELEASE) == nt::STATUS_INVALID_PARAMETER_3);

  // Decommit "to the end" at the base: Windows 10 reports a size of 0 back.
  REQUIRE(s.alloc(base, 3 * G, MEM_COMMIT, PAGE_READWRITE) == nt::STATUS_SUCCESS);
  CHECK(s.free(base + 0x1001, 0, MEM_DECOMMIT) == nt::STATUS_FREE_VM_NOT_AT_BASE);
  REQUIRE(s.free(base + 0xffe, 0, MEM_DECOMMIT) == nt::STATUS_SUCCESS);
  CHECK(s.a->base == base);
  CHECK(s.a->size == 0);
  CHECK(space().find(base + 2 * G)->state == MEM_RESERVE);

  // Releasing the middle granule splits the allocation; the upper part is its own now.
  REQUIRE(s.free(base + G, G, MEM_RELEASE) == nt::STATUS_SUCCESS);
  CHECK(s.a->base == base + G);
  CHECK(s.a->size == G);
  CHECK_FALSE(host_mapped(base + G));
  REQUIRE(s.query(base + G) == nt::STATUS_SUCCESS);
  CHECK(s.a->mbi.State == MEM_FREE);
  CHECK(s.a->mbi.RegionSize == G);
  REQUIRE(s.query(base + 2 * G) == nt::STATUS_SUCCESS);
  CHECK(s.a->mbi.AllocationBase == base + 2 * G);
  REQUIRE(s.query(base) == nt::STATUS_SUCCESS);
  CHECK(s.a->mbi.AllocationBase == base);
  CHECK(s.a->mbi.RegionSize == G);
  CHECK(s.free(base, 0, MEM_RELEASE) == nt::STATUS_SUCCESS);
  CHECK(s.a->size == G);
  CHECK(s.free(base + 2 * G, 0, MEM_RELEASE) == nt::STATUS_SUCCESS);

  // Images (and views) are not freed this way.
  void* img = mmap(nullptr, P, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  const uint64_t ia = reinterpret_cast<uint64_t>(img);
  space().add(Region{ia, P, ia, PAGE_EXECUTE_WRITECOPY, MEM_COMMIT, PAGE_READONLY, MEM_IMAGE});
  CHECK(s.free(ia, 0, MEM_RELEASE) == kStatusUnableToDeleteSection);
  CHECK(s.free(ia, P, MEM_DECOMMIT) == kStatusUnableToDeleteSection);
  CHECK(host_readable(ia));
  space().remove(ia, P);
  munmap(img, P);
}

TEST_CASE("NtProtectVirtualMemory") {
  Scratch s;
  REQUIRE(s.alloc(0, G, MEM_RESERVE, PAGE_READWRITE) == nt::STATUS_SUCCESS);
  const uint64_t base = s.a->base;
  REQUIRE(s.alloc(base, 3 * P, MEM_COMMIT, PAGE_READWRITE) == nt::STATUS_SUCCESS);

  REQUIRE(s.protect(base + P + 0x10, 0x10, PAGE_READONLY) == nt::STATUS_SUCCESS);
  CHECK(s.a->base == base + P);
  CHECK(s.a->size == P);
  CHECK(s.a->old == PAGE_READWRITE);
  CHECK(host_writable(base));
  CHECK(host_readable(base + P));
  CHECK_FALSE(host_writable(base + P));
  CHECK_FALSE(copy_to_user(base + P, &s, 1));

  // OldProtect is the first page's; the range becomes one run.
  REQUIRE(s.protect(base + P, 2 * P, PAGE_EXECUTE_READWRITE) == nt::STATUS_SUCCESS);
  CHECK(s.a->old == PAGE_READONLY);
  REQUIRE(s.query(base + P) == nt::STATUS_SUCCESS);
  CHECK(s.a->mbi.Protect == PAGE_EXECUTE_READWRITE);
  CHECK(s.a->mbi.RegionSize == 2 * P);
  CHECK(s.a->mbi.AllocationProtect == PAGE_READWRITE);

  CHECK(s.protect(base + 2 * P, 2 * P, PAGE_READONLY) == nt::STATUS_NOT_COMMITTED);
  CHECK(s.protect(base + 5 * P, P, PAGE_READONLY) == nt::STATUS_NOT_COMMITTED);
  CHECK(s.protect(base + G, P, PAGE_READONLY) == nt::STATUS_CONFLICTING_ADDRESSES);
  CHECK(s.protect(base + G - P, 2 * P, PAGE_READONLY) == nt::STATUS_CONFLICTING_ADDRESSES);
  CHECK(s.protect(base, P, 0x3) == nt::STATUS_INVALID_PAGE_PROTECTION);
  CHECK(s.protect(base, P, PAGE_WRITECOPY) == nt::STATUS_INVALID_PAGE_PROTECTION);
  CHECK(s.protect(base, 0, PAGE_READONLY) == nt::STATUS_INVALID_PARAMETER_3);
  CHECK(s.protect(0x800000000000ull, P, PAGE_READONLY) == nt::STATUS_INVALID_PARAMETER_2);
  s.a->base = base;
  s.a->size = P;
  CHECK(NtProtectVirtualMemory(kSelf, s.base(), s.size(), PAGE_READONLY, UserPtr<nt::ULONG>(0)) ==
        nt::STATUS_ACCESS_VIOLATION);
  CHECK(host_writable(base));  // nothing changed

  // Guard pages: recorded with the bit, inaccessible until touched.
  REQUIRE(s.protect(base, P, PAGE_READWRITE | PAGE_GUARD) == nt::STATUS_SUCCESS);
  REQUIRE(s.query(base) == nt::STATUS_SUCCESS);
  CHECK(s.a->mbi.Protect == (PAGE_READWRITE | PAGE_GUARD));
  CHECK_FALSE(host_readable(base));
  CHECK_FALSE(probe_user(base, 1, false));
  REQUIRE(s.protect(base, P, PAGE_NOACCESS) == nt::STATUS_SUCCESS);
  CHECK(s.a->old == (PAGE_READWRITE | PAGE_GUARD));

  CHECK(s.free(base, 0, MEM_RELEASE) == nt::STATUS_SUCCESS);
}

TEST_CASE("NtQueryVirtualMemory") {
  Scratch s;
  // A free page reports MEM_FREE up to the next region.
  REQUIRE(s.alloc(0, 2 * G, MEM_RESERVE, PAGE_READWRITE) == nt::STATUS_SUCCESS);
  const uint64_t base = s.a->base;
  REQUIRE(s.free(base, 0, MEM_RELEASE) == nt::STATUS_SUCCESS);
  REQUIRE(s.alloc(base + G, G, MEM_RESERVE, PAGE_READONLY) == nt::STATUS_SUCCESS);
  REQUIRE(s.query(base + 0x1234) == nt::STATUS_SUCCESS);
  CHECK(s.a->mbi.BaseAddress == base + 0x1000);
  CHECK(s.a->mbi.AllocationBase == 0);
  CHECK(s.a->mbi.AllocationProtect == 0);
  CHECK(s.a->mbi.RegionSize == G - 0x1000);
  CHECK(s.a->mbi.State == MEM_FREE);
  CHECK(s.a->mbi.Protect == PAGE_NOACCESS);
  CHECK(s.a->mbi.Type == 0);
  CHECK(s.a->ret_len == sizeof(MEMORY_BASIC_INFORMATION));
  REQUIRE(s.free(base + G, 0, MEM_RELEASE) == nt::STATUS_SUCCESS);

  // The highest user page.
  if (!space().find(kHighestUserAddress)) {
    REQUIRE(s.query(kHighestUserAddress) == nt::STATUS_SUCCESS);
    CHECK(s.a->mbi.BaseAddress == kHighestUserAddress + 1 - P);
    CHECK(s.a->mbi.RegionSize == P);
  }
  CHECK(s.query(kHighestUserAddress + 1) == nt::STATUS_INVALID_PARAMETER);

  const uint64_t here = reinterpret_cast<uint64_t>(s.a);
  CHECK(NtQueryVirtualMemory(kSelf, here, nt::MemoryBasicInformation, s.mbi(), 47, s.ret_len()) ==
        nt::STATUS_INFO_LENGTH_MISMATCH);
  CHECK(NtQueryVirtualMemory(kSelf, here, 99, s.mbi(), 48, s.ret_len()) ==
        nt::STATUS_INVALID_INFO_CLASS);
  CHECK(NtQueryVirtualMemory(kSelf, here, nt::MemoryBasicInformation, s.mbi(), 48,
                             UserPtr<uint64_t>(0)) == nt::STATUS_SUCCESS);
  CHECK(s.a->mbi.Type == MEM_PRIVATE);
  MEMORY_BASIC_INFORMATION runtime_mbi;
  CHECK(NtQueryVirtualMemory(kSelf, here, nt::MemoryBasicInformation,
                             UserPtr<void>(reinterpret_cast<uint64_t>(&runtime_mbi)), 48,
                             s.ret_len()) == nt::STATUS_ACCESS_VIOLATION);
  CHECK(NtQueryVirtualMemory(kSelf, here, nt::MemoryBasicInformation, s.mbi(), 48,
                             UserPtr<uint64_t>(here + P - 4)) == nt::STATUS_DATATYPE_MISALIGNMENT);
}
