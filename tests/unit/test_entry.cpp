// The entry paths from Windows code into the dispatcher: the fast gate, Syscall User Dispatch and
// raw `syscall`s. No PE is needed: the tests write the machine code an ntdll stub or a PE would
// contain into Windows memory and call it as an MS x64 function.
#include <doctest/doctest.h>

#include <dlfcn.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <ctime>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "entry/fast_gate.h"
#include "entry/libc_text_range.h"
#include "ireactor/address_space.h"
#include "ireactor/dispatcher.h"
#include "ireactor/entry.h"
#include "ireactor/nt/status.h"
#include "ireactor/process.h"
#include "ireactor/user_memory.h"
#include "dispatch/nt_probes.h"
#include "ireactor/io/file_information.h"
#include "ireactor/io/file_object.h"

using namespace ireactor;
using entry::Mode;

namespace {

// NT numbers of Windows 10 22H2 (10.0.19045), from the public syscall tables.
constexpr uint32_t kNtWaitForSingleObject = 0x04;
constexpr uint32_t kNtClose = 0x0f;
constexpr uint32_t kNtCreateEvent = 0x48;
constexpr uint32_t kNtQuerySystemTime = 0x5a;
constexpr uint32_t kNtReadFile = 0x06;
constexpr uint32_t kNtWriteFile = 0x08;
constexpr uint32_t kNtQueryPerformanceCounter = 0x31;
constexpr uint32_t kNumberTheBuildLacks = 0x0fff;

constexpr uint64_t kEpochDifference100ns = 116444736000000000ull;  // 1601 to 1970

void prepare_process() {
  static bool prepared = false;
  if (prepared) return;
  create_process();
  REQUIRE(select_windows_build("10.0.19045"));
  install_user_fault_handler();
  entry::enable_syscall_user_dispatch();
  prepared = true;
}

void le32(std::vector<uint8_t>& code, uint32_t v) {
  for (int i = 0; i < 4; ++i) code.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// The stub our ntdll exports for service n:
//   mov r10, rcx; mov eax, n; test byte [0x7ffe1008], 1; jnz 1f; syscall; ret;
//   1: call qword [0x7ffe1000]; ret
std::vector<uint8_t> ntdll_stub(uint32_t n) {
  std::vector<uint8_t> c{0x4c, 0x8b, 0xd1, 0xb8};
  le32(c, n);
  c.insert(c.end(), {0xf6, 0x04, 0x25, 0x08, 0x10, 0xfe, 0x7f, 0x01, 0x75, 0x03, 0x0f,
                     0x05, 0xc3, 0xff, 0x14, 0x25, 0x00, 0x10, 0xfe, 0x7f, 0xc3});
  return c;
}

// What a PE that bypasses ntdll does: mov eax, n; mov r10, rcx; syscall; ret
std::vector<uint8_t> raw_syscall(uint32_t n) {
  std::vector<uint8_t> c{0xb8};
  le32(c, n);
  c.insert(c.end(), {0x4c, 0x8b, 0xd1, 0x0f, 0x05, 0xc3});
  return c;
}

// A raw syscall with a wild stack pointer:
//   mov rdx, rsp; mov rsp, 0x10; mov eax, n; syscall; mov rsp, rdx; ret
std::vector<uint8_t> raw_syscall_on_wild_stack(uint32_t n) {
  std::vector<uint8_t> c{0x48, 0x89, 0xe2, 0x48, 0xc7, 0xc4, 0x10, 0x00, 0x00, 0x00, 0xb8};
  le32(c, n);
  c.insert(c.end(), {0x0f, 0x05, 0x48, 0x89, 0xd4, 0xc3});
  return c;
}

using MsFn0 = uint64_t(__attribute__((ms_abi)) *)();
using MsFn1 = uint64_t(__attribute__((ms_abi)) *)(uint64_t);
using MsFn3 = uint64_t(__attribute__((ms_abi)) *)(uint64_t, uint64_t, uint64_t);

// A code page (execute-read), a data page and a stack (read-write), all recorded as Windows
// memory: services read stack arguments and write results only there.
class WindowsMemory {
 public:
  static constexpr uint64_t kStackSize = 64 * kPageSize;
  static constexpr uint64_t kSize = 2 * kPageSize + kStackSize;

  WindowsMemory() {
    void* p = mmap(nullptr, kSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(p != MAP_FAILED);
    base_ = reinterpret_cast<uint64_t>(p);
  }
  ~WindowsMemory() {
    if (sealed_) current_process().address_space.remove(base_, kSize);
    munmap(reinterpret_cast<void*>(base_), kSize);
  }

  // Appends code; returns its address. Only before seal().
  uint64_t add(const std::vector<uint8_t>& code) {
    const uint64_t at = base_ + used_;
    std::memcpy(reinterpret_cast<void*>(at), code.data(), code.size());
    used_ = (used_ + code.size() + 15) & ~size_t{15};
    return at;
  }
  // Makes the code executable and registers both pages with the address space.
  void seal() {
    REQUIRE(mprotect(reinterpret_cast<void*>(base_), kPageSize, PROT_READ | PROT_EXEC) == 0);
    auto& as = current_process().address_space;
    as.add(Region{base_, kPageSize, base_, PAGE_EXECUTE_READ, MEM_COMMIT, PAGE_EXECUTE_READ,
                  MEM_PRIVATE});
    as.add(Region{base_ + kPageSize, kSize - kPageSize, base_, PAGE_EXECUTE_READ, MEM_COMMIT,
                  PAGE_READWRITE, MEM_PRIVATE});
    sealed_ = true;
  }
  uint64_t stack_top() const { return base_ + kSize; }
  template <class T>
  T* data(size_t offset) {
    return reinterpret_cast<T*>(base_ + kPageSize + offset);
  }
  template <class T>
  uint64_t data_addr(size_t offset) {
    return base_ + kPageSize + offset;
  }

 private:
  uint64_t base_ = 0;
  size_t used_ = 0;
  bool sealed_ = false;
};

// Calls Windows code on a Windows stack with rbx, rbp, rdi, rsi, r12-r15 and xmm6-xmm15 set to
// the values in gpr[] and xmm[], and stores what they hold after the call back into them, with
// the SUD selector seen on return. Up to nine arguments, the fifth and later on the stack above
// the home area, as MS x64 code passes them.
struct CheckedCall {
  uint64_t fn;
  uint64_t arg[9];
  uint64_t result;
  uint64_t gpr[8];  // rbx, rbp, rdi, rsi, r12, r13, r14, r15
  uint8_t xmm[10][16];
  uint64_t selector_after;
  uint64_t stack_top;  // 16-byte aligned
};
static_assert(offsetof(CheckedCall, arg) == 0x08);
static_assert(offsetof(CheckedCall, result) == 0x50);
static_assert(offsetof(CheckedCall, gpr) == 0x58);
static_assert(offsetof(CheckedCall, xmm) == 0x98);
static_assert(offsetof(CheckedCall, selector_after) == 0x138);
static_assert(offsetof(CheckedCall, stack_top) == 0x140);

extern "C" void ir_test_checked_call(CheckedCall* call);

asm(R"(
	.text
	.globl	ir_test_checked_call
	.type	ir_test_checked_call, @function
ir_test_checked_call:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi
	movq	%rdi, %r11
	movq	%rsp, %rax
	movq	0x140(%r11), %rsp
	pushq	%rax
	subq	$0x48, %rsp
	movq	0x28(%r11), %rax
	movq	%rax, 0x20(%rsp)
	movq	0x30(%r11), %rax
	movq	%rax, 0x28(%rsp)
	movq	0x38(%r11), %rax
	movq	%rax, 0x30(%rsp)
	movq	0x40(%r11), %rax
	movq	%rax, 0x38(%rsp)
	movq	0x48(%r11), %rax
	movq	%rax, 0x40(%rsp)
	movq	0x08(%r11), %rcx
	movq	0x10(%r11), %rdx
	movq	0x18(%r11), %r8
	movq	0x20(%r11), %r9
	movq	0x58(%r11), %rbx
	movq	0x60(%r11), %rbp
	movq	0x68(%r11), %rdi
	movq	0x70(%r11), %rsi
	movq	0x78(%r11), %r12
	movq	0x80(%r11), %r13
	movq	0x88(%r11), %r14
	movq	0x90(%r11), %r15
	movdqu	0x98(%r11), %xmm6
	movdqu	0xa8(%r11), %xmm7
	movdqu	0xb8(%r11), %xmm8
	movdqu	0xc8(%r11), %xmm9
	movdqu	0xd8(%r11), %xmm10
	movdqu	0xe8(%r11), %xmm11
	movdqu	0xf8(%r11), %xmm12
	movdqu	0x108(%r11), %xmm13
	movdqu	0x118(%r11), %xmm14
	movdqu	0x128(%r11), %xmm15
	callq	*(%r11)
	movq	0x48(%rsp), %r10
	movq	(%r10), %r11
	movq	%rax, 0x50(%r11)
	movq	%rbx, 0x58(%r11)
	movq	%rbp, 0x60(%r11)
	movq	%rdi, 0x68(%r11)
	movq	%rsi, 0x70(%r11)
	movq	%r12, 0x78(%r11)
	movq	%r13, 0x80(%r11)
	movq	%r14, 0x88(%r11)
	movq	%r15, 0x90(%r11)
	movdqu	%xmm6, 0x98(%r11)
	movdqu	%xmm7, 0xa8(%r11)
	movdqu	%xmm8, 0xb8(%r11)
	movdqu	%xmm9, 0xc8(%r11)
	movdqu	%xmm10, 0xd8(%r11)
	movdqu	%xmm11, 0xe8(%r11)
	movdqu	%xmm12, 0xf8(%r11)
	movdqu	%xmm13, 0x108(%r11)
	movdqu	%xmm14, 0x118(%r11)
	movdqu	%xmm15, 0x128(%r11)
	movzbl	%fs:ir_sud_selector@tpoff, %eax
	movq	%rax, 0x138(%r11)
	leaq	8(%r10), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size	ir_test_checked_call, .-ir_test_checked_call
)");

CheckedCall checked_call(WindowsMemory& mem, uint64_t fn, std::initializer_list<uint64_t> args) {
  CheckedCall call{};
  call.fn = fn;
  call.stack_top = mem.stack_top();
  size_t i = 0;
  for (uint64_t a : args) call.arg[i++] = a;
  for (int r = 0; r < 8; ++r) call.gpr[r] = 0x5a5a000000000000ull | (uint64_t(r + 1) * 0x1111);
  for (int x = 0; x < 10; ++x)
    for (int b = 0; b < 16; ++b) call.xmm[x][b] = static_cast<uint8_t>(0x60 + x * 16 + b);
  const CheckedCall before = call;
  {
    entry::WindowsCodeScope windows;
    ir_test_checked_call(&call);
  }
  static const char* const names[] = {"rbx", "rbp", "rdi", "rsi", "r12", "r13", "r14", "r15"};
  for (int r = 0; r < 8; ++r) {
    INFO("register ", names[r]);
    CHECK(call.gpr[r] == before.gpr[r]);
  }
  for (int x = 0; x < 10; ++x) {
    INFO("register xmm", x + 6);
    CHECK(std::memcmp(call.xmm[x], before.xmm[x], 16) == 0);
  }
  CHECK(call.selector_after == entry::kSelectorBlock);  // Windows code runs blocked again
  return call;
}

// Calls Windows code the plain way, through an ms_abi function pointer.
template <class Fn, class... A>
uint64_t call_windows(uint64_t fn, A... args) {
  entry::WindowsCodeScope windows;
  return reinterpret_cast<Fn>(fn)(args...);
}

nt::NTSTATUS status_of(uint64_t rax) {
  return static_cast<nt::NTSTATUS>(static_cast<uint32_t>(rax));
}

int64_t windows_now() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(kEpochDifference100ns) + ts.tv_sec * 10000000ll + ts.tv_nsec / 100;
}

std::string maps_line_for(uint64_t addr) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    uint64_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream in(line);
    in >> std::hex >> lo >> dash >> hi;
    if (addr >= lo && addr < hi) return line;
  }
  return {};
}

const char* mode_name(Mode m) {
  return m == Mode::Gate ? "gate" : "sud";
}

}  // namespace

TEST_CASE("the gate page publishes the gate thunk and the mode, read-only, as Windows memory") {
  prepare_process();
  entry::install_gate_page(Mode::Gate);
  auto* page = reinterpret_cast<const volatile uint8_t*>(entry::kGatePageAddress);
  uint64_t thunk = 0;
  std::memcpy(&thunk, const_cast<const uint8_t*>(page), sizeof thunk);
  CHECK(thunk == reinterpret_cast<uint64_t>(&ir_fast_gate));
  CHECK(page[8] == 1);

  const std::string line = maps_line_for(entry::kGatePageAddress);
  INFO("maps: ", line);
  CHECK(line.find(" r--p ") != std::string::npos);

  const auto region = current_process().address_space.find(entry::kGatePageAddress);
  REQUIRE(region.has_value());
  CHECK(region->base == entry::kGatePageAddress);
  CHECK(region->size == kPageSize);
  CHECK(region->state == MEM_COMMIT);
  CHECK(region->protect == PAGE_READONLY);
  CHECK(region->type == MEM_PRIVATE);
  CHECK(!current_process().address_space.accessible(entry::kGateFlagAddress, 1, true));

  entry::install_gate_page(Mode::Sud);  // a second call only changes the mode
  CHECK(page[8] == 0);
  CHECK(maps_line_for(entry::kGatePageAddress).find(" r--p ") != std::string::npos);
  entry::install_gate_page(Mode::Gate);
  CHECK(page[8] == 1);
}

TEST_CASE("SUD leaves libc's text alone: it holds glibc's signal restorer, not the runtime") {
  prepare_process();
  const entry::CodeRange libc = entry::libc_text_range();
  CHECK(libc.len > 0);
  CHECK(libc.start % kPageSize == 0);

  struct sigaction act {};
  REQUIRE(sigaction(SIGSYS, nullptr, &act) == 0);
  CHECK((act.sa_flags & SA_SIGINFO) != 0);
  CHECK((act.sa_flags & SA_ONSTACK) != 0);
  CHECK(libc.contains(reinterpret_cast<uint64_t>(act.sa_restorer)));
  CHECK(libc.contains(reinterpret_cast<uint64_t>(dlsym(RTLD_DEFAULT, "write"))));
  CHECK(!libc.contains(reinterpret_cast<uint64_t>(&ir_fast_gate)));
  CHECK(!libc.contains(reinterpret_cast<uint64_t>(&ir_dispatch)));
}

TEST_CASE("an ntdll stub reaches the dispatcher and keeps the MS x64 non-volatile registers") {
  prepare_process();
  for (Mode mode : {Mode::Gate, Mode::Sud}) {
    CAPTURE(mode_name(mode));
    entry::install_gate_page(mode);
    WindowsMemory mem;
    const uint64_t unknown = mem.add(ntdll_stub(kNumberTheBuildLacks));
    const uint64_t query_time = mem.add(ntdll_stub(kNtQuerySystemTime));
    const uint64_t create_event = mem.add(ntdll_stub(kNtCreateEvent));
    const uint64_t wait = mem.add(ntdll_stub(kNtWaitForSingleObject));
    const uint64_t close = mem.add(ntdll_stub(kNtClose));
    mem.seal();

    // A number the build lacks; arguments in every register and stack slot.
    CheckedCall c = checked_call(mem, unknown, {1, 2, 3, 4, 5, 6});
    CHECK(status_of(c.result) == nt::STATUS_INVALID_SYSTEM_SERVICE);

    // NtQuerySystemTime writes the time to Windows memory.
    *mem.data<int64_t>(0) = 0;
    const int64_t before = windows_now();
    c = checked_call(mem, query_time, {mem.data_addr<int64_t>(0)});
    CHECK(status_of(c.result) == nt::STATUS_SUCCESS);
    const int64_t got = *mem.data<int64_t>(0);
    CHECK(got >= before - 10000000);  // within a second either side: clocks may tick coarsely
    CHECK(got <= windows_now() + 10000000);

    // A wild pointer is the service's to refuse, not a crash.
    CHECK(status_of(call_windows<MsFn1>(query_time, uint64_t{0x10})) ==
          nt::STATUS_ACCESS_VIOLATION);

    // The fifth argument (InitialState) comes from the caller's stack: a signaled event is
    // acquired at once, a non-signaled one times out.
    const uint64_t handle = mem.data_addr<uint64_t>(16);
    const uint64_t zero_timeout = mem.data_addr<int64_t>(32);
    *mem.data<int64_t>(32) = 0;
    for (uint64_t initial : {1, 0}) {
      CAPTURE(initial);
      *mem.data<uint64_t>(16) = 0;
      const CheckedCall c = checked_call(mem, create_event,
                                         {handle, 0x1f0003, 0, 0 /* NotificationEvent */, initial});
      CHECK(status_of(c.result) == nt::STATUS_SUCCESS);
      const uint64_t h = *mem.data<uint64_t>(16);
      CHECK(h != 0);
      CHECK(status_of(call_windows<MsFn3>(wait, h, uint64_t{0}, zero_timeout)) ==
            (initial ? nt::STATUS_SUCCESS : nt::STATUS_TIMEOUT));
      CHECK(status_of(call_windows<MsFn1>(close, h)) == nt::STATUS_SUCCESS);
    }
  }
  entry::install_gate_page(Mode::Gate);
}

TEST_CASE("reads and writes keep the non-volatile registers in the gate's file lane and past it") {
  prepare_process();
  entry::install_gate_page(Mode::Gate, /*fast_lanes=*/true);
  char path[] = "/tmp/ireactor-lane-XXXXXX";
  const int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  unlink(path);
  auto file = std::make_shared<FileObject>(FileKind::Disk, fd);
  file->access = nt::FILE_READ_DATA | nt::FILE_WRITE_DATA;
  file->options = nt::FILE_SYNCHRONOUS_IO_NONALERT;
  nt::HANDLE h = 0;
  REQUIRE(current_process().handles.insert(file, file->access, 0, h) == nt::STATUS_SUCCESS);

  WindowsMemory mem;
  const uint64_t read = mem.add(ntdll_stub(kNtReadFile));
  const uint64_t write = mem.add(ntdll_stub(kNtWriteFile));
  mem.seal();
  auto* iosb = mem.data<nt::IO_STATUS_BLOCK>(0);
  char* buf = mem.data<char>(64);
  int64_t* offset = mem.data<int64_t>(128);
  // The lane, then the full path: a tracer on the dispatcher's probes makes the lane decline.
  for (unsigned short tracer : {0, 1}) {
    CAPTURE(tracer);
#if IREACTOR_NT_PROBES
    ireactor_nt_enter_semaphore = tracer;
#endif
    *offset = 0;
    std::memcpy(buf, "abcdef", 6);
    CheckedCall c = checked_call(mem, write,
                                 {h, 0, 0, 0, mem.data_addr<int64_t>(0), mem.data_addr<char>(64), 6,
                                  mem.data_addr<int64_t>(128), 0});
    CHECK(status_of(c.result) == nt::STATUS_SUCCESS);
    CHECK(iosb->Information == 6);
    for (int i = 0; i < 3; ++i) {  // the first may find the thread's address-space cache cold
      *offset = 2;
      std::memset(buf, 0, 8);
      iosb->Information = 0;
      c = checked_call(mem, read,
                       {h, 0, 0, 0, mem.data_addr<int64_t>(0), mem.data_addr<char>(64), 8,
                        mem.data_addr<int64_t>(128), 0});
      CHECK(status_of(c.result) == nt::STATUS_SUCCESS);
      CHECK(iosb->Information == 4);
      CHECK(std::string(buf, 4) == "cdef");
    }
    // At the end, from the handle's position (6, after the read above).
    c = checked_call(mem, read,
                     {h, 0, 0, 0, mem.data_addr<int64_t>(0), mem.data_addr<char>(64), 8, 0, 0});
    CHECK(status_of(c.result) == nt::STATUS_END_OF_FILE);
    // Declined by the lane whatever the tracer: an invalid handle.
    c = checked_call(
        mem, read, {0xBEE0, 0, 0, 0, mem.data_addr<int64_t>(0), mem.data_addr<char>(64), 8, 0, 0});
    CHECK(status_of(c.result) == nt::STATUS_INVALID_HANDLE);
  }
#if IREACTOR_NT_PROBES
  ireactor_nt_enter_semaphore = 0;
#endif
  REQUIRE(current_process().handles.close(h) == nt::STATUS_SUCCESS);
  entry::install_gate_page(Mode::Gate);
}

TEST_CASE(
    "NtQueryPerformanceCounter keeps the non-volatile registers in the counter lane and past it") {
  prepare_process();
  entry::install_gate_page(Mode::Gate, /*fast_lanes=*/true);
  WindowsMemory mem;
  const uint64_t query = mem.add(ntdll_stub(kNtQueryPerformanceCounter));
  mem.seal();
  const uint64_t counter = mem.data_addr<int64_t>(0), frequency = mem.data_addr<int64_t>(8);
  for (unsigned short tracer : {0, 1}) {  // the lane, then (a tracer attached) the full path
    CAPTURE(tracer);
#if IREACTOR_NT_PROBES
    ireactor_nt_enter_semaphore = tracer;
#endif
    for (int i = 0; i < 2; ++i) {  // the first may find the thread's address-space cache cold
      *mem.data<int64_t>(0) = 0;
      *mem.data<int64_t>(8) = 0;
      timespec a, b;
      clock_gettime(CLOCK_MONOTONIC, &a);
      const CheckedCall c = checked_call(mem, query, {counter, frequency});
      clock_gettime(CLOCK_MONOTONIC, &b);
      CHECK(status_of(c.result) == nt::STATUS_SUCCESS);
      CHECK(*mem.data<int64_t>(8) == 10'000'000);
      CHECK(*mem.data<int64_t>(0) >= a.tv_sec * 10'000'000ll + a.tv_nsec / 100);
      CHECK(*mem.data<int64_t>(0) <= b.tv_sec * 10'000'000ll + b.tv_nsec / 100);
    }
    CHECK(status_of(checked_call(mem, query, {0x10, 0}).result) == nt::STATUS_ACCESS_VIOLATION);
  }
#if IREACTOR_NT_PROBES
  ireactor_nt_enter_semaphore = 0;
#endif
  entry::install_gate_page(Mode::Gate);
}

TEST_CASE("the gate flag picks the path: gate calls never reach Linux, SUD stubs do trap") {
  prepare_process();
  WindowsMemory mem;
  const uint64_t stub = mem.add(ntdll_stub(kNumberTheBuildLacks));
  mem.seal();
  // A thread without Syscall User Dispatch: a `syscall` there goes to Linux, which knows no
  // system call 0xfff (-ENOSYS); only the gate gives the NT answer.
  auto on_plain_thread = [&](Mode mode) {
    entry::install_gate_page(mode);
    uint64_t rax = 0;
    std::thread([&] { rax = call_windows<MsFn0>(stub); }).join();
    return rax;
  };
  CHECK(status_of(on_plain_thread(Mode::Gate)) == nt::STATUS_INVALID_SYSTEM_SERVICE);
  CHECK(static_cast<int64_t>(on_plain_thread(Mode::Sud)) == -ENOSYS);
  entry::install_gate_page(Mode::Gate);
}

TEST_CASE("a raw syscall from Windows code without ntdll is served in both modes") {
  prepare_process();
  WindowsMemory mem;
  const uint64_t unknown = mem.add(raw_syscall(kNumberTheBuildLacks));
  const uint64_t query_time = mem.add(raw_syscall(kNtQuerySystemTime));
  mem.seal();
  for (Mode mode : {Mode::Gate, Mode::Sud}) {
    CAPTURE(mode_name(mode));
    entry::install_gate_page(mode);
    CheckedCall c = checked_call(mem, unknown, {1, 2, 3, 4, 5, 6});
    CHECK(status_of(c.result) == nt::STATUS_INVALID_SYSTEM_SERVICE);
    *mem.data<int64_t>(0) = 0;
    const int64_t before = windows_now();
    CHECK(status_of(call_windows<MsFn1>(query_time, mem.data_addr<int64_t>(0))) ==
          nt::STATUS_SUCCESS);
    CHECK(*mem.data<int64_t>(0) >= before - 10000000);
  }
  entry::install_gate_page(Mode::Gate);
}

TEST_CASE("a raw syscall with a wild stack pointer is served on the signal stack") {
  prepare_process();
  WindowsMemory mem;
  const uint64_t wild = mem.add(raw_syscall_on_wild_stack(kNumberTheBuildLacks));
  mem.seal();
  CHECK(status_of(call_windows<MsFn0>(wild)) == nt::STATUS_INVALID_SYSTEM_SERVICE);
}

TEST_CASE("runtime code keeps its system calls; the same instruction in Windows code is NT's") {
  prepare_process();
  WindowsMemory mem;
  // Linux gettid (186) is an NT number too; outside libc only the selector tells them apart.
  const uint64_t gettid_code = mem.add(raw_syscall(SYS_gettid));
  mem.seal();
  const auto tid = static_cast<uint64_t>(gettid());
  {
    entry::RuntimeScope runtime;
    CHECK(reinterpret_cast<MsFn0>(gettid_code)() == tid);
  }
  {
    entry::WindowsCodeScope windows;
    const uint64_t rax = reinterpret_cast<MsFn0>(gettid_code)();
    entry::RuntimeScope runtime;
    CHECK(rax != tid);
    CHECK(rax <= 0xffffffffull);
    CHECK(status_of(rax) < 0);  // an NT error status: the dispatcher answered
  }
  CHECK(ir_sud_selector == entry::kSelectorAllow);
}

TEST_CASE("each thread that enables Syscall User Dispatch is served") {
  prepare_process();
  WindowsMemory mem;
  const uint64_t unknown = mem.add(raw_syscall(kNumberTheBuildLacks));
  mem.seal();
  uint64_t rax = 0;
  stack_t alt{};
  std::thread([&] {
    install_user_fault_handler();  // gives the thread a small signal stack of its own
    entry::enable_syscall_user_dispatch();
    sigaltstack(nullptr, &alt);
    rax = call_windows<MsFn0>(unknown);
  }).join();
  CHECK(status_of(rax) == nt::STATUS_INVALID_SYSTEM_SERVICE);
  // The SIGSYS handler runs the dispatcher on the signal stack: it must have room.
  CHECK(!(alt.ss_flags & SS_DISABLE));
  CHECK(alt.ss_size >= 256 * 1024);
}

TEST_CASE("a SIGSYS that SUD did not raise is reported and kills the process") {
  prepare_process();
  int err[2];
  REQUIRE(pipe(err) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    dup2(err[1], STDERR_FILENO);
    const rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    raise(SIGSYS);  // si_code SI_TKILL
    _exit(0);
  }
  close(err[1]);
  std::string report;
  char buf[512];
  for (ssize_t n; (n = read(err[0], buf, sizeof buf)) > 0;) report.append(buf, n);
  close(err[0]);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGSYS);
  INFO("report: ", report);
  CHECK(report.find("SIGSYS not raised by Syscall User Dispatch") != std::string::npos);
}
