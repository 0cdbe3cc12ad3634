// Mutants, semaphores and NtDuplicateObject: the services called directly, with arguments in
// memory registered as Windows memory, as Windows code would pass them.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "ireactor/process.h"
#include "ireactor/process/process_object.h"
#include "ireactor/process/thread_object.h"
#include "ireactor/services/object_services.h"
#include "ireactor/services/sync_services.h"
#include "ireactor/sync/wait.h"
#include "windows_memory.h"

using namespace ireactor;
using namespace ireactor::nt;

namespace {

constexpr ACCESS_MASK MUTANT_ALL_ACCESS = 0x1F0001;
constexpr ACCESS_MASK SEMAPHORE_ALL_ACCESS = 0x1F0003;
constexpr ACCESS_MASK SEMAPHORE_MODIFY_STATE = 2;

constexpr size_t kHandleSlot = 0;
constexpr size_t kCountSlot = 0x10;
constexpr size_t kTimeoutSlot = 0x20;
constexpr size_t kInfoSlot = 0x30;
constexpr size_t kLengthSlot = 0x50;
constexpr size_t kOaSlot = 0x80;
constexpr size_t kNameSlot = 0x100;

using UserRegion = test::WindowsMemory;

struct MutantInfo {
  LONG CurrentCount;
  BOOLEAN OwnedByCaller;
  BOOLEAN AbandonedState;
};

HANDLE create_mutant(const UserRegion& mem, bool owned) {
  REQUIRE(NtCreateMutant(mem.user<HANDLE>(kHandleSlot), MUTANT_ALL_ACCESS, {}, owned) ==
          STATUS_SUCCESS);
  return mem.at<HANDLE>(kHandleSlot);
}

HANDLE create_semaphore(const UserRegion& mem, LONG initial, LONG maximum,
                        ACCESS_MASK access = SEMAPHORE_ALL_ACCESS) {
  REQUIRE(NtCreateSemaphore(mem.user<HANDLE>(kHandleSlot), access, {}, initial, maximum) ==
          STATUS_SUCCESS);
  return mem.at<HANDLE>(kHandleSlot);
}

NTSTATUS poll(const UserRegion& mem, HANDLE h) {
  mem.at<int64_t>(kTimeoutSlot) = 0;
  return NtWaitForSingleObject(h, 0, mem.user<int64_t>(kTimeoutSlot));
}

MutantInfo query_mutant(const UserRegion& mem, HANDLE h) {
  REQUIRE(NtQueryMutant(h, 0, mem.user<void>(kInfoSlot), sizeof(MutantInfo),
                        mem.user<ULONG>(kLengthSlot)) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kLengthSlot) == sizeof(MutantInfo));
  return mem.at<MutantInfo>(kInfoSlot);
}

}  // namespace

TEST_CASE("a mutant is owned recursively by the thread that waits on it") {
  UserRegion mem;
  HANDLE m = create_mutant(mem, false);
  CHECK(query_mutant(mem, m).CurrentCount == 1);
  CHECK(poll(mem, m) == STATUS_WAIT_0);
  CHECK(poll(mem, m) == STATUS_WAIT_0);
  MutantInfo info = query_mutant(mem, m);
  CHECK(info.CurrentCount == -1);
  CHECK(info.OwnedByCaller == 1);
  CHECK(info.AbandonedState == 0);

  // Another thread can neither take nor release it.
  std::thread([&] {
    CHECK(poll(mem, m) == STATUS_TIMEOUT);
    CHECK(NtReleaseMutant(m, {}) == STATUS_MUTANT_NOT_OWNED);
    CHECK(query_mutant(mem, m).OwnedByCaller == 0);
  }).join();

  CHECK(NtReleaseMutant(m, mem.user<LONG>(kCountSlot)) == STATUS_SUCCESS);
  CHECK(mem.at<LONG>(kCountSlot) == -1);
  CHECK(NtReleaseMutant(m, mem.user<LONG>(kCountSlot)) == STATUS_SUCCESS);
  CHECK(mem.at<LONG>(kCountSlot) == 0);
  CHECK(NtReleaseMutant(m, {}) == STATUS_MUTANT_NOT_OWNED);
  std::thread([&] { CHECK(poll(mem, m) == STATUS_WAIT_0); }).join();
  NtClose(m);
}

TEST_CASE("a mutant created owned belongs to its creator") {
  UserRegion mem;
  HANDLE m = create_mutant(mem, true);
  CHECK(query_mutant(mem, m).CurrentCount == 0);
  std::thread([&] { CHECK(poll(mem, m) == STATUS_TIMEOUT); }).join();
  CHECK(NtReleaseMutant(m, {}) == STATUS_SUCCESS);
  NtClose(m);
}

TEST_CASE("a mutant whose owner thread ends is abandoned to the next waiter") {
  UserRegion mem;
  HANDLE m = create_mutant(mem, false);
  HANDLE other = create_mutant(mem, false);
  std::thread([&] {
    auto self = std::make_shared<ThreadObject>(static_cast<uint32_t>(gettid()));
    CHECK(poll(mem, m) == STATUS_WAIT_0);
    self->mark_exited(0);
  }).join();
  MutantInfo info = query_mutant(mem, m);
  CHECK(info.AbandonedState == 1);
  CHECK(info.CurrentCount == 1);
  // Wait-any reports the index of the abandoned mutant.
  HANDLE pair[2] = {other, m};
  std::memcpy(mem.bytes(kNameSlot), pair, sizeof(pair));
  CHECK(NtReleaseMutant(other, {}) == STATUS_MUTANT_NOT_OWNED);
  CHECK(poll(mem, other) == STATUS_WAIT_0);  // owned now: stays signaled for us
  std::thread([&] {
    mem.at<int64_t>(kTimeoutSlot) = 0;
    CHECK(NtWaitForMultipleObjects(2, mem.user<HANDLE>(kNameSlot), WaitAny, 0,
                                   mem.user<int64_t>(kTimeoutSlot)) == STATUS_ABANDONED_WAIT_0 + 1);
  }).join();
  NtReleaseMutant(other, {});
  NtClose(m);
  NtClose(other);
}

TEST_CASE("mutant argument errors") {
  UserRegion mem;
  CHECK(NtCreateMutant(UserPtr<HANDLE>(), MUTANT_ALL_ACCESS, {}, 0) == STATUS_ACCESS_VIOLATION);
  HANDLE m = create_mutant(mem, false);
  CHECK(NtQueryMutant(m, 2, mem.user<void>(kInfoSlot), 8, {}) == STATUS_INVALID_INFO_CLASS);
  CHECK(NtQueryMutant(m, 0, mem.user<void>(kInfoSlot), 7, {}) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(NtQueryMutant(m, 0, mem.user<void>(kInfoSlot), 9, {}) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(NtQueryMutant(m, 0, UserPtr<void>(), 8, {}) == STATUS_ACCESS_VIOLATION);
  CHECK(NtQueryMutant(0x1234, 0, mem.user<void>(kInfoSlot), 8, {}) == STATUS_INVALID_HANDLE);
  CHECK(NtReleaseMutant(0x1234, {}) == STATUS_INVALID_HANDLE);
  HANDLE s = create_semaphore(mem, 0, 1);
  CHECK(NtReleaseMutant(s, {}) == STATUS_OBJECT_TYPE_MISMATCH);
  NtClose(s);

  // No object namespace yet: a name names a missing directory.
  static const char16_t kName[] = u"\\Sessions\\1\\BaseNamedObjects\\m";
  std::memcpy(mem.bytes(kNameSlot + 16), kName, sizeof(kName));
  mem.at<UNICODE_STRING>(kNameSlot) = UNICODE_STRING{static_cast<USHORT>(sizeof(kName) - 2),
                                                     sizeof(kName), 0, mem.addr(kNameSlot + 16)};
  auto& oa = mem.at<OBJECT_ATTRIBUTES>(kOaSlot);
  oa = OBJECT_ATTRIBUTES{};
  oa.Length = sizeof(OBJECT_ATTRIBUTES);
  oa.ObjectName = mem.addr(kNameSlot);
  const size_t before = current_process().handles.count();
  CHECK(NtCreateMutant(mem.user<HANDLE>(kHandleSlot), MUTANT_ALL_ACCESS,
                       mem.user<OBJECT_ATTRIBUTES>(kOaSlot), 0) == STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(NtOpenMutant(mem.user<HANDLE>(kHandleSlot), MUTANT_ALL_ACCESS,
                     mem.user<OBJECT_ATTRIBUTES>(kOaSlot)) == STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(current_process().handles.count() == before);
  NtClose(m);
}

TEST_CASE("a semaphore counts releases up to its maximum, one per satisfied wait") {
  UserRegion mem;
  HANDLE s = create_semaphore(mem, 1, 3);
  CHECK(poll(mem, s) == STATUS_WAIT_0);
  CHECK(poll(mem, s) == STATUS_TIMEOUT);
  CHECK(NtReleaseSemaphore(s, 2, mem.user<LONG>(kCountSlot)) == STATUS_SUCCESS);
  CHECK(mem.at<LONG>(kCountSlot) == 0);
  mem.at<LONG>(kCountSlot) = 99;
  CHECK(NtReleaseSemaphore(s, 2, mem.user<LONG>(kCountSlot)) == STATUS_SEMAPHORE_LIMIT_EXCEEDED);
  CHECK(mem.at<LONG>(kCountSlot) == 99);
  CHECK(NtReleaseSemaphore(s, 0, {}) == STATUS_INVALID_PARAMETER);
  CHECK(NtReleaseSemaphore(s, -1, {}) == STATUS_INVALID_PARAMETER);
  CHECK(NtReleaseSemaphore(s, 0x7FFFFFFF, {}) == STATUS_SEMAPHORE_LIMIT_EXCEEDED);
  REQUIRE(NtQuerySemaphore(s, 0, mem.user<void>(kInfoSlot), 8, mem.user<ULONG>(kLengthSlot)) ==
          STATUS_SUCCESS);
  CHECK(mem.at<LONG>(kInfoSlot) == 2);
  CHECK(mem.at<LONG>(kInfoSlot + 4) == 3);
  CHECK(mem.at<ULONG>(kLengthSlot) == 8);
  CHECK(NtQuerySemaphore(s, 1, mem.user<void>(kInfoSlot), 8, {}) == STATUS_INVALID_INFO_CLASS);
  CHECK(NtQuerySemaphore(s, 0, mem.user<void>(kInfoSlot), 4, {}) == STATUS_INFO_LENGTH_MISMATCH);
  NtClose(s);

  for (auto [initial, maximum] : {std::pair{0, 0}, {-1, 1}, {2, 1}, {0, -5}})
    CHECK(NtCreateSemaphore(mem.user<HANDLE>(kHandleSlot), SEMAPHORE_ALL_ACCESS, {}, initial,
                            maximum) == STATUS_INVALID_PARAMETER);
  // Releasing needs SEMAPHORE_MODIFY_STATE.
  s = create_semaphore(mem, 0, 1, SYNCHRONIZE);
  CHECK(NtReleaseSemaphore(s, 1, {}) == STATUS_ACCESS_DENIED);
  NtClose(s);
}

TEST_CASE("a semaphore release wakes a waiting thread") {
  UserRegion mem;
  HANDLE s = create_semaphore(mem, 0, 1);
  std::thread waiter([&] { CHECK(NtWaitForSingleObject(s, 0, {}) == STATUS_WAIT_0); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(NtReleaseSemaphore(s, 1, {}) == STATUS_SUCCESS);
  waiter.join();
  NtClose(s);
}

TEST_CASE("NtDuplicateObject makes a second handle to the same object") {
  UserRegion mem;
  HandleTable& handles = current_process().handles;
  HANDLE s = create_semaphore(mem, 0, 5, SEMAPHORE_MODIFY_STATE | SYNCHRONIZE);
  auto& out = mem.at<HANDLE>(kHandleSlot);

  REQUIRE(NtDuplicateObject(kCurrentProcess, s, kCurrentProcess, mem.user<HANDLE>(kHandleSlot), 0,
                            OBJ_INHERIT, 2 /* DUPLICATE_SAME_ACCESS */) == STATUS_SUCCESS);
  HANDLE dup = out;
  CHECK(dup != s);
  HandleEntry a, b;
  REQUIRE(handles.get(s, a) == STATUS_SUCCESS);
  REQUIRE(handles.get(dup, b) == STATUS_SUCCESS);
  CHECK(a.object == b.object);
  CHECK(b.access == a.access);
  CHECK(b.attributes == OBJ_INHERIT);
  CHECK(NtReleaseSemaphore(dup, 1, {}) == STATUS_SUCCESS);
  CHECK(poll(mem, s) == STATUS_WAIT_0);

  // Access asked for explicitly: generic rights map onto the type's rights.
  REQUIRE(NtDuplicateObject(kCurrentProcess, s, kCurrentProcess, mem.user<HANDLE>(kHandleSlot),
                            GENERIC_READ, 0, 0) == STATUS_SUCCESS);
  REQUIRE(handles.get(out, b) == STATUS_SUCCESS);
  CHECK(b.access == 0x20001);
  NtClose(out);

  // DUPLICATE_CLOSE_SOURCE | DUPLICATE_SAME_ATTRIBUTES moves the handle.
  REQUIRE(NtDuplicateObject(kCurrentProcess, dup, kCurrentProcess, mem.user<HANDLE>(kHandleSlot), 0,
                            0, 7) == STATUS_SUCCESS);
  CHECK((handles.get(dup, b) == STATUS_INVALID_HANDLE || out == dup));
  REQUIRE(handles.get(out, b) == STATUS_SUCCESS);
  CHECK(b.attributes == OBJ_INHERIT);
  NtClose(out);

  // Pseudo-handles become real handles to the process and the calling thread.
  REQUIRE(NtDuplicateObject(kCurrentProcess, kCurrentProcess, kCurrentProcess,
                            mem.user<HANDLE>(kHandleSlot), 0, 0, 2) == STATUS_SUCCESS);
  REQUIRE(handles.get(out, b) == STATUS_SUCCESS);
  CHECK(b.object == current_process().object);
  NtClose(out);
  REQUIRE(NtDuplicateObject(kCurrentProcess, kCurrentThread, kCurrentProcess,
                            mem.user<HANDLE>(kHandleSlot), 0, 0, 2) == STATUS_SUCCESS);
  REQUIRE(handles.get(out, b) == STATUS_SUCCESS);
  CHECK(b.object == current_thread_object());
  NtClose(out);

  CHECK(NtDuplicateObject(kCurrentProcess, 0x1230, kCurrentProcess, mem.user<HANDLE>(kHandleSlot),
                          0, 0, 2) == STATUS_INVALID_HANDLE);
  CHECK(NtDuplicateObject(s, s, kCurrentProcess, mem.user<HANDLE>(kHandleSlot), 0, 0, 2) ==
        STATUS_OBJECT_TYPE_MISMATCH);
  CHECK(NtDuplicateObject(kCurrentProcess, s, kCurrentProcess, UserPtr<HANDLE>(1), 0, 0, 2) ==
        STATUS_ACCESS_VIOLATION);
  NtClose(s);
}

TEST_CASE("NtQueryObject reports the handle flags") {
  UserRegion mem;
  HANDLE s = create_semaphore(mem, 0, 1);
  REQUIRE(NtDuplicateObject(kCurrentProcess, s, kCurrentProcess, mem.user<HANDLE>(kHandleSlot), 0,
                            OBJ_INHERIT, 2) == STATUS_SUCCESS);
  const HANDLE inheritable = mem.at<HANDLE>(kHandleSlot);
  mem.at<uint16_t>(kInfoSlot) = 0xFFFF;
  CHECK(NtQueryObject(s, 4, mem.user<void>(kInfoSlot), 2, mem.user<ULONG>(kLengthSlot)) ==
        STATUS_SUCCESS);
  CHECK(mem.at<uint16_t>(kInfoSlot) == 0);
  CHECK(mem.at<ULONG>(kLengthSlot) == 2);
  CHECK(NtQueryObject(inheritable, 4, mem.user<void>(kInfoSlot), 2, {}) == STATUS_SUCCESS);
  CHECK(mem.at<uint8_t>(kInfoSlot) == 1);
  CHECK(NtQueryObject(s, 4, mem.user<void>(kInfoSlot), 1, {}) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(NtQueryObject(s, 99, mem.user<void>(kInfoSlot), 2, {}) == STATUS_INVALID_INFO_CLASS);
  CHECK(NtQueryObject(0x1230, 4, mem.user<void>(kInfoSlot), 2, {}) == STATUS_INVALID_HANDLE);
  NtClose(inheritable);
  NtClose(s);
}
