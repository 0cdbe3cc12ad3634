// The thread object's suspension bookkeeping and the thread services that need no Windows code
// (tests/ntdll/rtl_threads.c runs real threads): called directly with Windows-memory arguments.
#include <doctest/doctest.h>

#include <cstring>
#include <thread>

#include "ireactor/process.h"
#include "ireactor/process/process_information.h"
#include "ireactor/process/process_object.h"
#include "ireactor/process/thread_information.h"
#include "ireactor/process/thread_object.h"
#include "ireactor/services/process_services.h"
#include "ireactor/sync/event_object.h"
#include "windows_memory.h"

using namespace ireactor;
using namespace ireactor::nt;

namespace {

using UserRegion = test::WindowsMemory;

constexpr size_t kRetLen = 0x10;
constexpr size_t kOut = 0x100;

HANDLE insert(std::shared_ptr<Object> obj, ACCESS_MASK access) {
  HANDLE h = 0;
  REQUIRE(current_process().handles.insert(std::move(obj), access, 0, h) == STATUS_SUCCESS);
  return h;
}

}  // namespace

TEST_CASE("suspend counts stop at MAXIMUM_SUSPEND_COUNT and resume counts down to zero") {
  ThreadObject t(1);
  uint32_t previous = 99;
  for (uint32_t i = 0; i < 127; ++i) {
    REQUIRE(t.suspend(previous));
    CHECK(previous == i);
  }
  CHECK_FALSE(t.suspend(previous));
  CHECK(previous == 127);
  CHECK(t.suspend_count() == 127);
  for (uint32_t i = 127; i > 0; --i) CHECK(t.resume() == i);
  CHECK(t.resume() == 0);  // resuming a running thread changes nothing
  CHECK(t.suspend_count() == 0);
}

TEST_CASE("a suspended thread starts when resumed, or never when terminated first") {
  auto t = std::make_shared<ThreadObject>(2);
  uint32_t previous = 0;
  t->suspend(previous);
  NTSTATUS terminated = 0;
  bool started = false;
  std::thread waiter([&] { started = t->wait_to_start(terminated); });
  CHECK(t->resume() == 1);
  waiter.join();
  CHECK(started);
  CHECK(t->started());
  CHECK_FALSE(t->terminate_unstarted(5));  // too late: it runs

  auto u = std::make_shared<ThreadObject>(3);
  u->suspend(previous);
  CHECK(u->terminate_unstarted(0x1234));
  CHECK(u->terminate_unstarted(0x5678));  // the first status stays
  CHECK_FALSE(u->wait_to_start(terminated));
  CHECK(terminated == 0x1234);
  CHECK_FALSE(u->started());
}

TEST_CASE("NtSuspendThread and NtResumeThread on a thread that has not started") {
  UserRegion mem;
  auto t = std::make_shared<ThreadObject>(4);
  uint32_t previous = 0;
  t->suspend(previous);  // created suspended
  const HANDLE h = insert(t, THREAD_ALL_ACCESS);
  auto count = mem.user<ULONG>(kOut);
  CHECK(NtSuspendThread(h, count) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kOut) == 1);
  CHECK(NtResumeThread(h, count) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kOut) == 2);
  CHECK(NtResumeThread(h, UserPtr<ULONG>()) == STATUS_SUCCESS);  // no count wanted
  CHECK(t->suspend_count() == 0);
  CHECK(NtResumeThread(h, UserPtr<ULONG>(0x10)) == STATUS_ACCESS_VIOLATION);

  const HANDLE query_only = insert(t, THREAD_QUERY_LIMITED_INFORMATION);
  CHECK(NtSuspendThread(query_only, count) == STATUS_ACCESS_DENIED);
  CHECK(NtResumeThread(query_only, count) == STATUS_ACCESS_DENIED);

  t->mark_exited(0);
  CHECK(NtSuspendThread(h, count) == status(0xC000004B));  // STATUS_THREAD_IS_TERMINATING
  current_process().handles.close(h);
  current_process().handles.close(query_only);
}

TEST_CASE("NtQueryInformationThread checks lengths, classes and handles") {
  UserRegion mem;
  const auto ret = mem.user<ULONG>(kRetLen);
  const auto out = mem.user<void>(kOut);
  mem.at<ULONG>(kRetLen) = 0;
  CHECK(NtQueryInformationThread(kCurrentThread, ThreadBasicInformation, out, 47, ret) ==
        STATUS_INFO_LENGTH_MISMATCH);
  CHECK(mem.at<ULONG>(kRetLen) == sizeof(THREAD_BASIC_INFORMATION));
  CHECK(NtQueryInformationThread(kCurrentThread, 0x7777, out, 48, ret) ==
        STATUS_INVALID_INFO_CLASS);
  CHECK(NtQueryInformationThread(0x7ffc, ThreadBasicInformation, out, 48, ret) ==
        STATUS_INVALID_HANDLE);
  const HANDLE event = insert(std::make_shared<EventObject>(0, false), 0x1F0003);
  CHECK(NtQueryInformationThread(event, ThreadBasicInformation, out, 48, ret) ==
        STATUS_OBJECT_TYPE_MISMATCH);
  current_process().handles.close(event);

  REQUIRE(NtQueryInformationThread(kCurrentThread, ThreadBasicInformation, out, 48, ret) ==
          STATUS_SUCCESS);
  const auto& tbi = mem.at<THREAD_BASIC_INFORMATION>(kOut);
  CHECK(tbi.ExitStatus == 0x103);  // STATUS_PENDING: still running
  CHECK(tbi.ClientId.UniqueThread == static_cast<uint64_t>(gettid()));
  CHECK(tbi.ClientId.UniqueProcess == current_process().pid);
  CHECK(tbi.AffinityMask != 0);
}

TEST_CASE("thread descriptions round-trip through ThreadNameInformation") {
  UserRegion mem;
  const std::u16string text = u"render";
  std::memcpy(mem.bytes(0x200), text.data(), text.size() * 2);
  auto& us = mem.at<UNICODE_STRING>(0x40);
  us.Length = us.MaximumLength = static_cast<USHORT>(text.size() * 2);
  us.Buffer = mem.addr(0x200);
  CHECK(NtSetInformationThread(kCurrentThread, ThreadNameInformation, mem.user<void>(0x40), 8) ==
        STATUS_INFO_LENGTH_MISMATCH);
  REQUIRE(NtSetInformationThread(kCurrentThread, ThreadNameInformation, mem.user<void>(0x40),
                                 sizeof(UNICODE_STRING)) == STATUS_SUCCESS);

  const auto ret = mem.user<ULONG>(kRetLen);
  CHECK(NtQueryInformationThread(kCurrentThread, ThreadNameInformation, mem.user<void>(kOut), 16,
                                 ret) == STATUS_BUFFER_TOO_SMALL);
  CHECK(mem.at<ULONG>(kRetLen) == sizeof(UNICODE_STRING) + text.size() * 2);
  REQUIRE(NtQueryInformationThread(kCurrentThread, ThreadNameInformation, mem.user<void>(kOut),
                                   0x100, ret) == STATUS_SUCCESS);
  const auto& got = mem.at<UNICODE_STRING>(kOut);
  CHECK(got.Length == text.size() * 2);
  CHECK(std::u16string(reinterpret_cast<const char16_t*>(got.Buffer), got.Length / 2) == text);

  us.Length = 3;  // not whole characters
  CHECK(NtSetInformationThread(kCurrentThread, ThreadNameInformation, mem.user<void>(0x40),
                               sizeof(UNICODE_STRING)) == STATUS_INVALID_PARAMETER);
}

TEST_CASE("priorities are THREAD_PRIORITY_* increments and read back") {
  UserRegion mem;
  auto& value = mem.at<LONG>(0x40);
  for (LONG ok : {-2, -1, 0, 1, 2, -15, 15}) {
    value = ok;
    CHECK(NtSetInformationThread(kCurrentThread, ThreadBasePriority, mem.user<void>(0x40), 4) ==
          STATUS_SUCCESS);
  }
  value = 3;
  CHECK(NtSetInformationThread(kCurrentThread, ThreadBasePriority, mem.user<void>(0x40), 4) ==
        STATUS_INVALID_PARAMETER);
  value = 1;
  REQUIRE(NtSetInformationThread(kCurrentThread, ThreadBasePriority, mem.user<void>(0x40), 4) ==
          STATUS_SUCCESS);
  REQUIRE(NtQueryInformationThread(kCurrentThread, ThreadBasicInformation, mem.user<void>(kOut), 48,
                                   UserPtr<ULONG>()) == STATUS_SUCCESS);
  CHECK(mem.at<THREAD_BASIC_INFORMATION>(kOut).BasePriority == 1);
  CHECK(mem.at<THREAD_BASIC_INFORMATION>(kOut).Priority == kNormalBasePriority + 1);
  value = 0;
  NtSetInformationThread(kCurrentThread, ThreadBasePriority, mem.user<void>(0x40), 4);
}

TEST_CASE("NtCreateThreadEx refuses bad flags and handles that are no process of its own") {
  UserRegion mem;
  const auto handle = mem.user<HANDLE>(kOut);
  CHECK(NtCreateThreadEx(handle, THREAD_ALL_ACCESS, {}, kCurrentProcess, 0x1000, 0, 0x100, 0, 0, 0,
                         {}) == STATUS_INVALID_PARAMETER);
  CHECK(NtCreateThreadEx(UserPtr<HANDLE>(0x10), THREAD_ALL_ACCESS, {}, kCurrentProcess, 0x1000, 0,
                         0, 0, 0, 0, {}) == STATUS_ACCESS_VIOLATION);
  CHECK(NtCreateThreadEx(handle, THREAD_ALL_ACCESS, {}, kCurrentThread, 0x1000, 0, 0, 0, 0, 0,
                         {}) == STATUS_OBJECT_TYPE_MISMATCH);
  CHECK(NtCreateThreadEx(handle, THREAD_ALL_ACCESS, {}, 0x7ffc, 0x1000, 0, 0, 0, 0, 0, {}) ==
        STATUS_INVALID_HANDLE);
  const HANDLE limited = insert(current_process().object, PROCESS_QUERY_LIMITED_INFORMATION);
  CHECK(NtCreateThreadEx(handle, THREAD_ALL_ACCESS, {}, limited, 0x1000, 0, 0, 0, 0, 0, {}) ==
        STATUS_ACCESS_DENIED);
  current_process().handles.close(limited);
}

TEST_CASE("NtGetCurrentProcessorNumber names a processor of the one group") {
  UserRegion mem;
  CHECK(static_cast<uint32_t>(NtGetCurrentProcessorNumber()) < 64);
  mem.at<uint32_t>(0x40) = 0xffffffff;
  const auto n = static_cast<uint32_t>(NtGetCurrentProcessorNumberEx(mem.user<uint32_t>(0x40)));
  CHECK(n < 64);
  CHECK((mem.at<uint32_t>(0x40) & 0xffff) == 0);  // group 0
}
