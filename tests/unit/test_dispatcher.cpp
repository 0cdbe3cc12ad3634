// The dispatcher: NT number → service under the selected build's numbering, and the argument
// conversion of service_thunk.
#include <doctest/doctest.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <vector>

#include "dispatch/dispatch_table.h"
#include "dispatch/syscall_table.h"
#include "ireactor/dispatcher.h"
#include "ireactor/process.h"
#include "ireactor/service_thunk.h"
#include "windows_memory.h"

using namespace ireactor;
using namespace ireactor::nt;

namespace {

NTSTATUS dispatch(uint32_t number, SyscallFrame frame = {}) {
  return ir_dispatch(number, &frame);
}

// The arguments a test service received.
struct Received {
  ULONG a;
  HANDLE handle;
  uint64_t ptr;
  BOOLEAN flag;
  ULONG fifth;
  uint64_t sixth;
} received;

NTSTATUS FourArgs(ULONG a, HANDLE h, UserPtr<int> p, BOOLEAN f) {
  received = {a, h, p.addr(), f, 0, 0};
  return STATUS_SUCCESS;
}
NTSTATUS SixArgs(ULONG a, HANDLE h, UserPtr<int> p, BOOLEAN f, ULONG e, UserPtr<void> g) {
  received = {a, h, p.addr(), f, e, g.addr()};
  return STATUS_TIMEOUT;
}

// A page of Windows memory: mapped and recorded in the process's address space, so
// copy_from_user accepts it.
struct WindowsPage {
  test::WindowsMemory region{kPageSize};
  uint64_t base = region.addr();
  static Process& process() {
    static Process& p = create_process();
    return p;
  }
};

}  // namespace

// First in the file: it must run before anything selects a build (ctest runs each case in a
// process of its own).
TEST_CASE("without a selection the default build, Windows 10 22H2, serves") {
  CHECK(dispatch(0) == STATUS_NOT_IMPLEMENTED);  // NtAccessCheck
  CHECK(selected_windows_build() == "10.0.19045");
  CHECK(service_name(0x96) == "NtCommitComplete");
}

TEST_CASE("an unknown build is refused and leaves the selection alone") {
  REQUIRE(select_windows_build("10.0.22621"));
  CHECK_FALSE(select_windows_build("10.0.99999"));
  CHECK_FALSE(select_windows_build("windows 10"));
  CHECK(selected_windows_build() == "10.0.22621");
  REQUIRE(select_windows_build("10.0.19045"));
  CHECK(selected_windows_build() == "10.0.19045");
}

TEST_CASE("numbers the build lacks are STATUS_INVALID_SYSTEM_SERVICE") {
  REQUIRE(select_windows_build("10.0.19045"));
  const uint32_t limit = find_syscall_build("10.0.19045")->limit();
  CHECK(dispatch(limit) == STATUS_INVALID_SYSTEM_SERVICE);
  CHECK(dispatch(0x1e3) == STATUS_INVALID_SYSTEM_SERVICE);   // Windows 11 22H2 has it
  CHECK(dispatch(0x1000) == STATUS_INVALID_SYSTEM_SERVICE);  // the win32k table
  CHECK(dispatch(0xffffffff) == STATUS_INVALID_SYSTEM_SERVICE);
  CHECK(service_name(limit).empty());

  REQUIRE(select_windows_build("10.0.22621"));
  CHECK(dispatch(0x1e3) == STATUS_NOT_IMPLEMENTED);  // NtWaitForWorkViaWorkerFactory
  CHECK(dispatch(find_syscall_build("10.0.22621")->limit()) == STATUS_INVALID_SYSTEM_SERVICE);
}

TEST_CASE("services of the build that ntcore lacks are STATUS_NOT_IMPLEMENTED") {
  for (const char* build : {"10.0.19045", "10.0.22621"}) {
    CAPTURE(build);
    REQUIRE(select_windows_build(build));
    CHECK(service_name(0) == "NtAccessCheck");
    CHECK(dispatch(0) == STATUS_NOT_IMPLEMENTED);
    CHECK(dispatch(0) == STATUS_NOT_IMPLEMENTED);  // logged once, still refused
    auto profile = find_syscall_build(build)->number_of("NtCreateProfile");
    REQUIRE(profile);
    CHECK(dispatch(*profile) == STATUS_NOT_IMPLEMENTED);
  }
}

TEST_CASE("service names follow the selected build") {
  REQUIRE(select_windows_build("10.0.19045"));
  CHECK(service_name(0x0f) == "NtClose");
  CHECK(service_name(0x96) == "NtCommitComplete");
  REQUIRE(select_windows_build("10.0.22621"));
  CHECK(service_name(0x0f) == "NtClose");
  CHECK(service_name(0x96) == "NtChangeProcessState");
  REQUIRE(select_windows_build("10.0.19045"));
}

TEST_CASE("every implemented service is named as Windows names it, in every build") {
  // The services the runtime slice serves (issue 2).
  for (std::string_view name : {"NtClose",
                                "NtCreateFile",
                                "NtOpenFile",
                                "NtReadFile",
                                "NtWriteFile",
                                "NtQueryInformationFile",
                                "NtSetInformationFile",
                                "NtQueryDirectoryFile",
                                "NtQueryAttributesFile",
                                "NtQueryFullAttributesFile",
                                "NtDeleteFile",
                                "NtFlushBuffersFile",
                                "NtQueryVolumeInformationFile",
                                "NtAllocateVirtualMemory",
                                "NtFreeVirtualMemory",
                                "NtProtectVirtualMemory",
                                "NtQueryVirtualMemory",
                                "NtCreateEvent",
                                "NtSetEvent",
                                "NtResetEvent",
                                "NtWaitForSingleObject",
                                "NtWaitForMultipleObjects",
                                "NtDelayExecution",
                                "NtYieldExecution",
                                "NtQueryPerformanceCounter",
                                "NtQuerySystemTime",
                                "NtQuerySystemInformation",
                                "NtQueryInformationProcess",
                                "NtTerminateProcess"}) {
    CAPTURE(name);
    CHECK(std::ranges::count(implemented_services(), name, &ServiceEntry::name) == 1);
  }
  for (const ServiceEntry& e : implemented_services()) {
    CAPTURE(e.name);
    CHECK(static_cast<bool>(e.thunk));
    for (const SyscallBuild& b : syscall_builds()) CHECK(b.number_of(e.name).has_value());
  }
}

TEST_CASE("an implemented service is reached through its number") {
  WindowsPage::process();  // NtClose looks in the process's handle table
  for (const char* build : {"10.0.19045", "10.0.22621"}) {
    REQUIRE(select_windows_build(build));
    SyscallFrame f{};
    f.arg[0] = 0x1234;  // no such handle
    CHECK(dispatch(0x0f, f) == STATUS_INVALID_HANDLE);
  }
  REQUIRE(select_windows_build("10.0.19045"));
}

TEST_CASE("service_thunk converts register arguments to the declared types") {
  SyscallFrame f{};
  f.arg[0] = 0xdeadbeef00000007;  // ULONG: the low 32 bits
  f.arg[1] = 0xffffffff00000004;  // HANDLE: all 64 bits
  f.arg[2] = 0x00007ff612345678;  // UserPtr: the address
  f.arg[3] = 0x1ff;               // BOOLEAN: the low 8 bits
  f.user_stack_args = 0;          // four arguments: the stack is never read
  CHECK(service_thunk<&FourArgs>(f) == STATUS_SUCCESS);
  CHECK(received.a == 7);
  CHECK(received.handle == 0xffffffff00000004);
  CHECK(received.ptr == 0x00007ff612345678);
  CHECK(received.flag == 0xff);
}

TEST_CASE("service_thunk reads the fifth and later arguments from the user stack") {
  WindowsPage stack;
  const uint64_t slots[] = {0xaaaaaaaa00000005, 0x1122334455667788};
  std::memcpy(reinterpret_cast<void*>(stack.base + 0x100), slots, sizeof slots);
  SyscallFrame f{};
  f.arg[0] = 1;
  f.user_stack_args = stack.base + 0x100;
  CHECK(service_thunk<&SixArgs>(f) == STATUS_TIMEOUT);
  CHECK(received.a == 1);
  CHECK(received.fifth == 5);
  CHECK(received.sixth == 0x1122334455667788);

  SUBCASE("a stack outside Windows memory is an access violation") {
    received = {};
    f.user_stack_args = stack.base + kPageSize - 8;  // the sixth slot is past the page
    CHECK(service_thunk<&SixArgs>(f) == STATUS_ACCESS_VIOLATION);
    f.user_stack_args = 0x1000;
    CHECK(service_thunk<&SixArgs>(f) == STATUS_ACCESS_VIOLATION);
    CHECK(received.a == 0);  // the service never ran
  }
}

TEST_CASE("private services: their own range, above every build's numbers, served under each") {
  std::vector<uint32_t> numbers;
  for (const PrivateServiceEntry& e : private_services()) {
    CAPTURE(e.service.name);
    CHECK(e.number >= kPrivateServiceBase);
    CHECK(e.number < kPrivateServiceLimit);
    CHECK(static_cast<bool>(e.service.thunk));
    CHECK(std::ranges::count(numbers, e.number) == 0);
    numbers.push_back(e.number);
    for (const SyscallBuild& b : syscall_builds()) {
      CHECK(b.limit() <= kPrivateServiceBase);
      CHECK_FALSE(b.number_of(e.service.name).has_value());
    }
  }
  REQUIRE(!numbers.empty());
  for (const char* build : {"10.0.19045", "10.0.22621"}) {
    REQUIRE(select_windows_build(build));
    // IrLdrLoadDll is reached (no process loader in this test: STATUS_NOT_SUPPORTED); the rest
    // of the range is nobody's.
    CHECK(dispatch(0x2E00) == STATUS_NOT_SUPPORTED);
    CHECK(dispatch(kPrivateServiceLimit - 1) == STATUS_INVALID_SYSTEM_SERVICE);
    CHECK(dispatch(kPrivateServiceLimit) == STATUS_INVALID_SYSTEM_SERVICE);
  }
}
