// The process record and the process services (process/): called directly with Windows-memory
// arguments; termination is checked in forked children, as the parent sees it.
#include <doctest/doctest.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>

#include "ireactor/process.h"
#include "ireactor/process/process_information.h"
#include "ireactor/process/process_object.h"
#include "ireactor/process/thread_object.h"
#include "ireactor/services/object_services.h"
#include "ireactor/services/process_services.h"
#include "ireactor/services/sync_services.h"
#include "ireactor/sync/event_object.h"
#include "ireactor/system/nt_time.h"
#include "windows_memory.h"

using namespace ireactor;
using namespace ireactor::nt;

namespace {

using UserRegion = test::WindowsMemory;

int64_t g_runtime_private = 0;
const uint64_t kNotWindowsMemory = reinterpret_cast<uint64_t>(&g_runtime_private);

constexpr size_t kRetLen = 0x10;
constexpr size_t kOut = 0x100;

NTSTATUS query(const UserRegion& mem, HANDLE h, ULONG cls, ULONG length, size_t out = kOut) {
  mem.at<ULONG>(kRetLen) = 0xdeadbeef;
  return NtQueryInformationProcess(h, cls, mem.user<void>(out), length, mem.user<ULONG>(kRetLen));
}

HANDLE insert(std::shared_ptr<Object> obj, ACCESS_MASK access) {
  HANDLE h = 0;
  REQUIRE(current_process().handles.insert(std::move(obj), access, 0, h) == STATUS_SUCCESS);
  return h;
}

// Runs `child` in a forked process and returns its wait status.
template <class F>
int run_in_child(F child) {
  fflush(nullptr);  // or the child's exit path flushes the parent's pending output a second time
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    child();
    _exit(200);  // the child body did not end the process
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  return status;
}

std::u16string read_unicode_string(const UserRegion& mem, size_t offset) {
  const auto& us = mem.at<UNICODE_STRING>(offset);
  return std::u16string(reinterpret_cast<const char16_t*>(us.Buffer), us.Length / 2);
}

}  // namespace

TEST_CASE("the process record is created once and knows its pseudo-handles") {
  Process& p = create_process();
  CHECK(&p == &create_process());
  CHECK(&p == &current_process());
  CHECK(p.pid == static_cast<uint32_t>(getpid()));
  REQUIRE(p.object);
  CHECK(p.object->type() == ObjectType::Process);

  HandleEntry e;
  REQUIRE(p.handles.get(kCurrentProcess, e) == STATUS_SUCCESS);
  CHECK(e.object == p.object);
  REQUIRE(p.handles.get(kCurrentThread, e) == STATUS_SUCCESS);
  REQUIRE(e.object->type() == ObjectType::Thread);
  auto me = std::static_pointer_cast<ThreadObject>(e.object);
  CHECK(me->tid() == static_cast<uint32_t>(gettid()));
  CHECK(me == current_thread_object());

  // Another thread resolves -2 to its own object.
  std::shared_ptr<Object> other;
  uint32_t other_tid = 0;
  std::thread t([&] {
    HandleEntry te;
    REQUIRE(current_process().handles.get(kCurrentThread, te) == STATUS_SUCCESS);
    other = te.object;
    other_tid = static_cast<uint32_t>(gettid());
  });
  t.join();
  REQUIRE(other);
  CHECK(other != e.object);
  CHECK(std::static_pointer_cast<ThreadObject>(other)->tid() == other_tid);
}

TEST_CASE("current_thread() is per thread and starts zeroed") {
  ThreadState& mine = current_thread();
  mine.teb = 0x1000;
  mine.tid = 77;
  CHECK(current_thread().teb == 0x1000);
  std::thread t([&] {
    CHECK(&current_thread() != &mine);
    CHECK(current_thread().teb == 0);
    CHECK(current_thread().tid == 0);
    CHECK(current_thread().stack_base == 0);
  });
  t.join();
  mine = ThreadState{};
}

TEST_CASE("ProcessBasicInformation: 48 bytes exactly, this process's facts") {
  UserRegion mem;
  Process& p = current_process();
  p.peb = 0x7ff5a000;
  mem.fill(0xcc);
  REQUIRE(query(mem, kCurrentProcess, ProcessBasicInformation, 48) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kRetLen) == 48);
  const auto& pbi = mem.at<PROCESS_BASIC_INFORMATION>(kOut);
  CHECK(pbi.ExitStatus == STATUS_PENDING);
  CHECK(pbi.PebBaseAddress == 0x7ff5a000);
  CHECK(pbi.AffinityMask != 0);
  CHECK(pbi.BasePriority == 8);
  CHECK(pbi.UniqueProcessId == static_cast<ULONG_PTR>(getpid()));
  CHECK(pbi.InheritedFromUniqueProcessId == static_cast<ULONG_PTR>(getppid()));
  CHECK(mem.at<uint8_t>(kOut + 48) == 0xcc);

  // Wrong lengths fail before the handle is looked at, with ReturnLength = 48.
  CHECK(query(mem, kCurrentProcess, ProcessBasicInformation, 96) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(mem.at<ULONG>(kRetLen) == 48);
  CHECK(query(mem, 0, ProcessBasicInformation, 40) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(mem.at<ULONG>(kRetLen) == 48);
  CHECK(NtQueryInformationProcess(0, ProcessBasicInformation, {}, 0, {}) ==
        STATUS_INFO_LENGTH_MISMATCH);
  // Then the handle, then the buffer is written.
  CHECK(query(mem, 0, ProcessBasicInformation, 48) == STATUS_INVALID_HANDLE);
  CHECK(NtQueryInformationProcess(0, ProcessBasicInformation, {}, 48, {}) == STATUS_INVALID_HANDLE);
  CHECK(NtQueryInformationProcess(kCurrentProcess, ProcessBasicInformation, {}, 48, {}) ==
        STATUS_ACCESS_VIOLATION);
  CHECK(NtQueryInformationProcess(kCurrentProcess, ProcessBasicInformation, mem.user<void>(kOut),
                                  48,
                                  UserPtr<ULONG>(kNotWindowsMemory)) == STATUS_ACCESS_VIOLATION);
  CHECK(query(mem, kCurrentProcess, ProcessBasicInformation, 48, kOut + 2) ==
        STATUS_DATATYPE_MISALIGNMENT);
  CHECK(NtQueryInformationProcess(0, 0xffffffff, {}, 0, {}) == STATUS_INVALID_INFO_CLASS);
  CHECK(query(mem, kCurrentProcess, 1000, 48) == STATUS_INVALID_INFO_CLASS);
  CHECK(mem.at<ULONG>(kRetLen) == 0xdeadbeef);
}

TEST_CASE("NtQueryInformationProcess accepts only handles to this process with query access") {
  UserRegion mem;
  Process& p = current_process();
  HANDLE full = insert(p.object, PROCESS_ALL_ACCESS);
  HANDLE limited = insert(p.object, PROCESS_QUERY_LIMITED_INFORMATION);
  HANDLE terminate_only = insert(p.object, PROCESS_TERMINATE);
  HANDLE stranger = insert(std::make_shared<ProcessObject>(), PROCESS_ALL_ACCESS);
  HANDLE event = insert(std::make_shared<EventObject>(NotificationEvent, false), 0x1F0003);

  CHECK(query(mem, full, ProcessBasicInformation, 48) == STATUS_SUCCESS);
  CHECK(query(mem, limited, ProcessBasicInformation, 48) == STATUS_SUCCESS);
  CHECK(query(mem, terminate_only, ProcessBasicInformation, 48) == STATUS_ACCESS_DENIED);
  CHECK(query(mem, stranger, ProcessBasicInformation, 48) == STATUS_INVALID_HANDLE);
  CHECK(query(mem, event, ProcessBasicInformation, 48) == STATUS_OBJECT_TYPE_MISMATCH);
  CHECK(query(mem, kCurrentThread, ProcessBasicInformation, 48) == STATUS_OBJECT_TYPE_MISMATCH);
  CHECK(query(mem, 0x7ffc, ProcessBasicInformation, 48) == STATUS_INVALID_HANDLE);
  // The debug classes need PROCESS_QUERY_INFORMATION itself.
  CHECK(query(mem, limited, ProcessDebugPort, 8) == STATUS_ACCESS_DENIED);
  CHECK(query(mem, full, ProcessDebugPort, 8) == STATUS_SUCCESS);
  for (HANDLE h : {full, limited, terminate_only, stranger, event}) NtClose(h);
}

TEST_CASE("ProcessImageFileName: the image's NT device path after a UNICODE_STRING") {
  UserRegion mem;
  Process& p = current_process();
  std::u16string saved = p.image_path;
  p.image_path = u"\\??\\C:\\apps\\demo.exe";
  const std::u16string device = u"\\Device\\HarddiskVolume3\\apps\\demo.exe";
  const ULONG needed = 16 + device.size() * 2 + 2;

  // The handle comes first (the size depends on the process), then the length.
  CHECK(query(mem, 0, ProcessImageFileName, 16) == STATUS_INVALID_HANDLE);
  CHECK(query(mem, kCurrentProcess, ProcessImageFileName, 2) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(mem.at<ULONG>(kRetLen) == needed);
  CHECK(query(mem, kCurrentProcess, ProcessImageFileName, needed - 1) ==
        STATUS_INFO_LENGTH_MISMATCH);
  CHECK(mem.at<ULONG>(kRetLen) == needed);

  mem.fill(0xcc);
  REQUIRE(query(mem, kCurrentProcess, ProcessImageFileName, 0x400) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kRetLen) == needed);
  const auto& us = mem.at<UNICODE_STRING>(kOut);
  CHECK(us.Length == device.size() * 2);
  CHECK(us.MaximumLength == us.Length + 2);
  CHECK(us.Buffer == mem.addr(kOut + 16));
  CHECK(read_unicode_string(mem, kOut) == device);
  CHECK(mem.at<char16_t>(kOut + 16 + us.Length) == 0);
  CHECK(mem.at<uint8_t>(kOut + needed) == 0xcc);

  REQUIRE(query(mem, kCurrentProcess, ProcessImageFileNameWin32, 0x400) == STATUS_SUCCESS);
  CHECK(read_unicode_string(mem, kOut) == u"C:\\apps\\demo.exe");
  CHECK(mem.at<ULONG>(kRetLen) == 16 + 32 + 2);
  p.image_path = saved;
}

TEST_CASE("the small process classes Windows programs commonly ask for") {
  UserRegion mem;
  mem.fill(0xcc);
  REQUIRE(query(mem, kCurrentProcess, ProcessWow64Information, 8) == STATUS_SUCCESS);
  CHECK(mem.at<uint64_t>(kOut) == 0);
  CHECK(mem.at<ULONG>(kRetLen) == 8);
  CHECK(query(mem, kCurrentProcess, ProcessWow64Information, 4) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(mem.at<ULONG>(kRetLen) == 8);

  mem.at<uint64_t>(kOut) = 0xdeadbeef;
  REQUIRE(query(mem, kCurrentProcess, ProcessDebugPort, 8) == STATUS_SUCCESS);
  CHECK(mem.at<uint64_t>(kOut) == 0);
  CHECK(query(mem, kCurrentProcess, ProcessDebugPort, 9) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(NtQueryInformationProcess(0, ProcessDebugPort, {}, 0, {}) == STATUS_INFO_LENGTH_MISMATCH);

  REQUIRE(query(mem, kCurrentProcess, ProcessSessionInformation, 4) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kOut) == 1);
  REQUIRE(query(mem, kCurrentProcess, ProcessDebugFlags, 4) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kOut) == 1);

  mem.at<uint64_t>(kOut) = 0xdeadbeef;
  CHECK(query(mem, kCurrentProcess, ProcessDebugObjectHandle, 8) == nt::status(0xC0000353));
  CHECK(mem.at<uint64_t>(kOut) == 0);

  size_t handles = current_process().handles.count();
  HANDLE extra = insert(std::make_shared<EventObject>(NotificationEvent, false), 0x1F0003);
  REQUIRE(query(mem, kCurrentProcess, ProcessHandleCount, 4) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kOut) == handles + 1);
  NtClose(extra);

  REQUIRE(query(mem, kCurrentProcess, ProcessCookie, 4) == STATUS_SUCCESS);
  ULONG cookie = mem.at<ULONG>(kOut);
  REQUIRE(query(mem, kCurrentProcess, ProcessCookie, 4) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kOut) == cookie);  // one value for the process's lifetime
}

TEST_CASE("ProcessTimes: creation time and CPU time used") {
  UserRegion mem;
  int64_t now = current_system_time();
  // Burn some CPU so the user time is visibly nonzero.
  volatile uint64_t x = 0;
  for (int i = 0; i < 30'000'000; ++i) x = x + i;
  REQUIRE(query(mem, kCurrentProcess, ProcessTimes, 32) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kRetLen) == 32);
  const auto& t = mem.at<KERNEL_USER_TIMES>(kOut);
  CHECK(t.CreateTime > now - 3600ll * kTicksPerSecond);
  CHECK(t.CreateTime <= current_system_time());
  CHECK(t.ExitTime == 0);
  CHECK(t.UserTime > 0);
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  CHECK(t.UserTime <= ru.ru_utime.tv_sec * kTicksPerSecond + ru.ru_utime.tv_usec * 10);
  CHECK(query(mem, kCurrentProcess, ProcessTimes, 64) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(mem.at<ULONG>(kRetLen) == 32);
}

TEST_CASE("NtTerminateProcess ends the process with the status; the parent sees its low byte") {
  int status = run_in_child([] { NtTerminateProcess(kCurrentProcess, 0x1234); });
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0x34);

  // Through a real handle to the process, and an NTSTATUS-sized exit code.
  status = run_in_child([] {
    HANDLE h = insert(current_process().object, PROCESS_TERMINATE);
    NtTerminateProcess(h, static_cast<NTSTATUS>(0xC0000005));
  });
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0x05);

  // NULL: "every other thread"; the caller carries on.
  status = run_in_child([] {
    if (NtTerminateProcess(0, 3) == STATUS_SUCCESS) _exit(9);
  });
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 9);
}

TEST_CASE("NtTerminateProcess refuses handles that do not name this process") {
  CHECK(NtTerminateProcess(0x7ffc, 1) == STATUS_INVALID_HANDLE);
  HANDLE event = insert(std::make_shared<EventObject>(NotificationEvent, false), 0x1F0003);
  HANDLE query_only = insert(current_process().object, PROCESS_QUERY_INFORMATION);
  HANDLE stranger = insert(std::make_shared<ProcessObject>(), PROCESS_ALL_ACCESS);
  CHECK(NtTerminateProcess(event, 1) == STATUS_OBJECT_TYPE_MISMATCH);
  CHECK(NtTerminateProcess(kCurrentThread, 1) == STATUS_OBJECT_TYPE_MISMATCH);
  CHECK(NtTerminateProcess(query_only, 1) == STATUS_ACCESS_DENIED);
  CHECK(NtTerminateProcess(stranger, 1) == STATUS_INVALID_HANDLE);
  for (HANDLE h : {event, query_only, stranger}) NtClose(h);
  CHECK(current_process().terminating == false);
}

TEST_CASE("a process marked exited wakes its waiters and reports the status") {
  int status = run_in_child([] {
    UserRegion mem;
    std::atomic<NTSTATUS> waited{-1};
    std::thread waiter([&] { waited = NtWaitForSingleObject(kCurrentProcess, 0, {}); });
    usleep(20'000);
    if (waited != -1) _exit(1);  // must still be waiting
    current_process().object->mark_exited(0x77);
    waiter.join();
    if (waited != STATUS_WAIT_0) _exit(2);
    if (query(mem, kCurrentProcess, ProcessBasicInformation, 48) != STATUS_SUCCESS) _exit(3);
    if (mem.at<PROCESS_BASIC_INFORMATION>(kOut).ExitStatus != 0x77) _exit(4);
    current_process().object->mark_exited(0x99);  // the first status stays
    if (current_process().object->exit_status() != 0x77) _exit(5);
    _exit(0);
  });
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
