// AddressSpace bookkeeping: records split and merge as ranges change, lookups, and the
// accessible() check with its per-thread cache.
#include <doctest/doctest.h>
#include <sys/mman.h>

#include <atomic>
#include <thread>

#include "ireactor/address_space.h"

using namespace ireactor;

namespace {

constexpr uint64_t P = kPageSize;
constexpr uint64_t kBase = 0x50000000;

Region committed(uint64_t base, uint64_t size, uint32_t protect, uint64_t alloc = kBase) {
  return Region{base, size, alloc, PAGE_READWRITE, MEM_COMMIT, protect, MEM_PRIVATE};
}
Region reserved(uint64_t base, uint64_t size, uint64_t alloc = kBase) {
  return Region{base, size, alloc, PAGE_READWRITE, MEM_RESERVE, 0, MEM_PRIVATE};
}

std::vector<Region> all(const AddressSpace& as) {
  return as.overlapping(0, UINT64_MAX);
}

}  // namespace

TEST_CASE("add and find") {
  AddressSpace as;
  as.add(committed(kBase, 4 * P, PAGE_READWRITE));
  auto r = as.find(kBase + 3 * P + 17);
  REQUIRE(r);
  CHECK(r->base == kBase);
  CHECK(r->size == 4 * P);
  CHECK_FALSE(as.find(kBase - 1));
  CHECK_FALSE(as.find(kBase + 4 * P));
  CHECK(as.overlapping(kBase + 4 * P, P).empty());
  CHECK(as.overlapping(kBase - P, 2 * P).size() == 1);
}

TEST_CASE("partial protect splits the run and protecting it back merges it") {
  AddressSpace as;
  as.add(committed(kBase, 4 * P, PAGE_READWRITE));
  as.set_protect(kBase + P, P, PAGE_READONLY);
  auto v = all(as);
  REQUIRE(v.size() == 3);
  CHECK(v[0].base == kBase);
  CHECK(v[0].size == P);
  CHECK(v[1].base == kBase + P);
  CHECK(v[1].size == P);
  CHECK(v[1].protect == PAGE_READONLY);
  CHECK(v[1].allocation_base == kBase);
  CHECK(v[2].base == kBase + 2 * P);
  CHECK(v[2].size == 2 * P);
  CHECK(v[2].protect == PAGE_READWRITE);

  as.set_protect(kBase + P, P, PAGE_READWRITE);
  v = all(as);
  REQUIRE(v.size() == 1);
  CHECK(v[0].size == 4 * P);
}

TEST_CASE("set_protect leaves reserved pages alone") {
  AddressSpace as;
  as.add(committed(kBase, P, PAGE_READWRITE));
  as.add(reserved(kBase + P, P));
  as.set_protect(kBase, 2 * P, PAGE_EXECUTE_READ);
  auto v = all(as);
  REQUIRE(v.size() == 2);
  CHECK(v[0].protect == PAGE_EXECUTE_READ);
  CHECK(v[1].state == MEM_RESERVE);
  CHECK(v[1].protect == 0);
}

TEST_CASE("decommit in the middle splits, recommit merges") {
  AddressSpace as;
  as.add(committed(kBase, 3 * P, PAGE_READWRITE));
  as.add(reserved(kBase + P, P));  // decommit the middle page
  auto v = all(as);
  REQUIRE(v.size() == 3);
  CHECK(v[1].state == MEM_RESERVE);
  CHECK(v[0].state == MEM_COMMIT);
  CHECK(v[2].state == MEM_COMMIT);
  as.add(committed(kBase + P, P, PAGE_READWRITE));
  v = all(as);
  REQUIRE(v.size() == 1);
  CHECK(v[0].size == 3 * P);
}

TEST_CASE("remove frees a head, a middle and a tail") {
  AddressSpace as;
  as.add(committed(kBase, 8 * P, PAGE_READWRITE));
  as.remove(kBase, P);
  as.remove(kBase + 3 * P, 2 * P);
  as.remove(kBase + 7 * P, P);
  auto v = all(as);
  REQUIRE(v.size() == 2);
  CHECK(v[0].base == kBase + P);
  CHECK(v[0].size == 2 * P);
  CHECK(v[1].base == kBase + 5 * P);
  CHECK(v[1].size == 2 * P);
  as.remove(kBase, 16 * P);
  CHECK(all(as).empty());
}

TEST_CASE("add replaces what it overlaps") {
  AddressSpace as;
  as.add(committed(kBase, 4 * P, PAGE_READWRITE));
  as.add(committed(kBase + 2 * P, 4 * P, PAGE_READONLY, kBase + 2 * P));
  auto v = all(as);
  REQUIRE(v.size() == 2);
  CHECK(v[0].size == 2 * P);
  CHECK(v[1].base == kBase + 2 * P);
  CHECK(v[1].size == 4 * P);
  CHECK(v[1].protect == PAGE_READONLY);
}

TEST_CASE("neighbouring allocations never merge") {
  AddressSpace as;
  as.add(committed(kBase, P, PAGE_READWRITE, kBase));
  as.add(committed(kBase + P, P, PAGE_READWRITE, kBase + P));
  CHECK(all(as).size() == 2);
}

TEST_CASE("first_at_or_above and allocation_of") {
  AddressSpace as;
  as.add(committed(kBase, P, PAGE_READWRITE));
  as.add(reserved(kBase + P, 3 * P));
  as.add(committed(kBase + 0x10000, P, PAGE_READONLY, kBase + 0x10000));

  auto r = as.first_at_or_above(kBase + 2 * P);
  REQUIRE(r);
  CHECK(r->base == kBase + P);
  r = as.first_at_or_above(kBase + 4 * P);
  REQUIRE(r);
  CHECK(r->base == kBase + 0x10000);
  CHECK_FALSE(as.first_at_or_above(kBase + 0x11000));

  auto a = as.allocation_of(kBase + 3 * P);
  REQUIRE(a.size() == 2);
  CHECK(a[0].base == kBase);
  CHECK(a[1].base + a[1].size == kBase + 4 * P);
  CHECK(as.allocation_of(kBase + 0x10000).size() == 1);
  CHECK(as.allocation_of(kBase + 5 * P).empty());
}

TEST_CASE("accessible") {
  AddressSpace as;
  as.add(committed(kBase, P, PAGE_READWRITE));
  as.add(committed(kBase + P, P, PAGE_READONLY));
  as.add(reserved(kBase + 2 * P, P));
  as.add(committed(kBase + 4 * P, P, PAGE_READWRITE | PAGE_GUARD));
  as.add(committed(kBase + 5 * P, P, PAGE_NOACCESS));
  as.add(committed(kBase + 6 * P, P, PAGE_EXECUTE));

  CHECK(as.accessible(kBase, 8, true));
  CHECK(as.accessible(kBase + P - 8, 16, false));       // spans RW and RO
  CHECK_FALSE(as.accessible(kBase + P - 8, 16, true));  // ...but not writable throughout
  CHECK(as.accessible(kBase + P, P, false));
  CHECK_FALSE(as.accessible(kBase + P, 1, true));
  CHECK_FALSE(as.accessible(kBase + 2 * P, 1, false));  // reserved
  CHECK_FALSE(as.accessible(kBase + 3 * P, 1, false));  // free
  CHECK_FALSE(as.accessible(kBase + 2 * P - 1, 2, false));
  CHECK_FALSE(as.accessible(kBase + 4 * P, 1, false));  // guard
  CHECK_FALSE(as.accessible(kBase + 5 * P, 1, false));
  CHECK(as.accessible(kBase + 6 * P, 1, false));  // x86 cannot make execute-only pages
  CHECK_FALSE(as.accessible(kBase + 6 * P, 1, true));
  CHECK(as.accessible(0, 0, true));  // an empty range is always fine
  CHECK_FALSE(as.accessible(kBase, UINT64_MAX, false));
  CHECK_FALSE(as.accessible(UINT64_MAX - 4, 8, false));
  CHECK_FALSE(as.accessible(kBase - 1, 2, false));
}

TEST_CASE("the accessible() cache forgets a hit when the record changes") {
  AddressSpace as;
  as.add(committed(kBase, 2 * P, PAGE_READWRITE));
  REQUIRE(as.accessible(kBase, 16, true));
  REQUIRE(as.accessible(kBase + 8, 8, true));  // served from the cache
  as.set_protect(kBase, P, PAGE_READONLY);
  CHECK_FALSE(as.accessible(kBase, 16, true));
  CHECK(as.accessible(kBase, 16, false));
  as.remove(kBase, P);
  CHECK_FALSE(as.accessible(kBase, 16, false));
  CHECK(as.accessible(kBase + P, 16, true));

  // Another instance at the same place never inherits the cache.
  AddressSpace other;
  CHECK_FALSE(other.accessible(kBase + P, 16, true));
}

TEST_CASE("accessible stays right while another thread changes other records") {
  AddressSpace as;
  as.add(committed(kBase, P, PAGE_READWRITE));
  std::atomic<bool> stop{false};
  std::atomic<long> churn{0};
  std::thread writer([&] {
    while (!stop) {
      as.add(committed(kBase + 0x10000, P, PAGE_READWRITE, kBase + 0x10000));
      as.remove(kBase + 0x10000, P);
      ++churn;
    }
  });
  long wrong = 0;
  for (int i = 0; i < 200000; ++i) {
    wrong += !as.accessible(kBase, 64, true);
    wrong += as.accessible(kBase + 0x20000, 8, false);
  }
  stop = true;
  writer.join();
  CHECK(wrong == 0);
  MESSAGE("the writer changed the map " << churn.load() << " times meanwhile");
}

TEST_CASE("linux_prot_from_page") {
  CHECK(linux_prot_from_page(PAGE_NOACCESS) == PROT_NONE);
  CHECK(linux_prot_from_page(PAGE_READONLY) == PROT_READ);
  CHECK(linux_prot_from_page(PAGE_READWRITE) == (PROT_READ | PROT_WRITE));
  CHECK(linux_prot_from_page(PAGE_WRITECOPY) == (PROT_READ | PROT_WRITE));
  CHECK(linux_prot_from_page(PAGE_EXECUTE) == (PROT_READ | PROT_EXEC));
  CHECK(linux_prot_from_page(PAGE_EXECUTE_READ) == (PROT_READ | PROT_EXEC));
  CHECK(linux_prot_from_page(PAGE_EXECUTE_READWRITE) == (PROT_READ | PROT_WRITE | PROT_EXEC));
  CHECK(linux_prot_from_page(PAGE_READWRITE | PAGE_GUARD) == PROT_NONE);
  CHECK(linux_prot_from_page(PAGE_READWRITE | PAGE_NOCACHE) == (PROT_READ | PROT_WRITE));
  constexpr uint32_t kInvalid = 0xffffffff;
  CHECK(linux_prot_from_page(0) == kInvalid);
  CHECK(linux_prot_from_page(PAGE_READONLY | PAGE_READWRITE) == kInvalid);
  CHECK(linux_prot_from_page(PAGE_NOACCESS | PAGE_GUARD) == kInvalid);
  CHECK(linux_prot_from_page(PAGE_READWRITE | PAGE_GUARD | PAGE_NOCACHE) == kInvalid);
  CHECK(linux_prot_from_page(0x1000 | PAGE_READWRITE) == kInvalid);
}
