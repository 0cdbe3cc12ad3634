// user_memory.h: copies refuse memory that is not Windows memory, survive faults on pages that
// vanish or lose access after the check, and the fault handler tells Windows faults (reported,
// or handed to the SEH hook) from runtime faults (a real crash).
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "ireactor/process.h"
#include "ireactor/user_memory.h"

using namespace ireactor;

namespace {

constexpr uint64_t P = kPageSize;

AddressSpace& space() {
  return current_process().address_space;
}

// Pages mapped for the test and recorded as Windows memory (committed, one allocation).
struct WinPages {
  uint8_t* mem = nullptr;
  uint64_t size = 0;
  WinPages(uint64_t pages, uint32_t protect = PAGE_READWRITE, uint32_t type = MEM_PRIVATE) {
    // doctest puts its own crash handler in for every test case; put ours back.
    install_user_fault_handler();
    size = pages * P;
    mem = static_cast<uint8_t*>(
        mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    REQUIRE(mem != MAP_FAILED);
    mprotect(mem, size, static_cast<int>(linux_prot_from_page(protect)));
    space().add(Region{addr(), size, addr(), protect, MEM_COMMIT, protect, type});
  }
  ~WinPages() {
    space().remove(addr(), size);
    munmap(mem, size);
  }
  uint64_t addr(uint64_t off = 0) const { return reinterpret_cast<uint64_t>(mem) + off; }
};

// Windows code for the fault handler tests, in a page recorded as an image.
struct WinCode {
  uint8_t* mem;
  explicit WinCode(std::initializer_list<uint8_t> bytes) {
    mem = static_cast<uint8_t*>(
        mmap(nullptr, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    REQUIRE(mem != MAP_FAILED);
    std::memcpy(mem, bytes.begin(), bytes.size());
    mprotect(mem, P, PROT_READ | PROT_EXEC);
    const uint64_t a = reinterpret_cast<uint64_t>(mem);
    space().add(Region{a, P, a, PAGE_EXECUTE_WRITECOPY, MEM_COMMIT, PAGE_EXECUTE_READ, MEM_IMAGE});
  }
  ~WinCode() {
    space().remove(reinterpret_cast<uint64_t>(mem), P);
    munmap(mem, P);
  }
  template <class Fn>
  Fn fn() const {
    return reinterpret_cast<Fn>(mem);
  }
};

// mov eax, [rdi]; ret
constexpr std::initializer_list<uint8_t> kLoad = {0x8b, 0x07, 0xc3};
// mov [rdi], esi; ret
constexpr std::initializer_list<uint8_t> kStore = {0x89, 0x37, 0xc3};
// call rdi; ret
constexpr std::initializer_list<uint8_t> kCall = {0xff, 0xd7, 0xc3};
using LoadFn = uint32_t (*)(uint64_t);
using StoreFn = void (*)(uint64_t, uint32_t);
using CallFn = void (*)(uint64_t);

struct Child {
  int status = 0;
  std::string err;
};

// Runs fn in a forked child with stderr captured; the child exits 0 if fn returns.
template <class Fn>
Child run_child(Fn fn) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    rlimit none{0, 0};
    setrlimit(RLIMIT_CORE, &none);
    dup2(fds[1], STDERR_FILENO);
    close(fds[0]);
    fn();
    _exit(0);
  }
  close(fds[1]);
  Child c;
  char buf[512];
  for (ssize_t n; (n = read(fds[0], buf, sizeof(buf))) > 0;) c.err.append(buf, size_t(n));
  close(fds[0]);
  waitpid(pid, &c.status, 0);
  return c;
}

std::string hex(uint64_t v) {
  char b[32];
  snprintf(b, sizeof(b), "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

// The SEH hook used by the tests: records the fault and resumes after the faulting instruction
// (2-byte loads/stores in the stubs above) or, for a bad call target, at the return address.
WindowsFault g_seen;
int g_hook_calls = 0;
bool skip_fault(const WindowsFault& f, void* ctx) {
  auto* uc = static_cast<ucontext_t*>(ctx);
  g_seen = f;
  ++g_hook_calls;
  if (f.access == 8) {
    uint64_t rsp = static_cast<uint64_t>(uc->uc_mcontext.gregs[REG_RSP]);
    uc->uc_mcontext.gregs[REG_RIP] = static_cast<greg_t>(*reinterpret_cast<uint64_t*>(rsp));
    uc->uc_mcontext.gregs[REG_RSP] = static_cast<greg_t>(rsp + 8);
  } else {
    uc->uc_mcontext.gregs[REG_RIP] += 2;
  }
  return true;
}

}  // namespace

TEST_CASE("copies refuse memory that is not Windows memory") {
  install_user_fault_handler();
  uint8_t runtime[64] = {1, 2, 3};
  uint8_t dst[64] = {};
  CHECK_FALSE(copy_from_user(dst, reinterpret_cast<uint64_t>(runtime), 16));
  CHECK(dst[0] == 0);
  CHECK_FALSE(copy_to_user(reinterpret_cast<uint64_t>(runtime), dst, 16));
  CHECK(runtime[0] == 1);
  CHECK_FALSE(copy_from_user(dst, 0, 8));
  CHECK_FALSE(copy_from_user(dst, 0x10, 8));
  CHECK_FALSE(probe_user(reinterpret_cast<uint64_t>(runtime), 1, false));
  CHECK(copy_from_user(dst, reinterpret_cast<uint64_t>(runtime), 0));  // nothing to copy
}

TEST_CASE("copies of every length and alignment are exact") {
  WinPages win(3);
  std::vector<uint8_t> src(2 * P), back(2 * P);
  for (size_t i = 0; i < src.size(); ++i) src[i] = uint8_t(i * 7 + 1);
  for (size_t len : {1, 2, 7, 8, 9, 15, 16, 17, 63, 255, 256, 257, 1000, 4096, 5000}) {
    for (size_t off : {0, 1, 3, 8, 13, 4090}) {
      std::memset(win.mem, 0, win.size);
      REQUIRE(copy_to_user(win.addr(off), src.data(), len));
      CHECK(std::memcmp(win.mem + off, src.data(), len) == 0);
      CHECK(win.mem[off + len] == 0);  // nothing written past the end
      if (off) CHECK(win.mem[off - 1] == 0);
      std::fill(back.begin(), back.end(), 0xee);
      REQUIRE(copy_from_user(back.data(), win.addr(off), len));
      CHECK(std::memcmp(back.data(), src.data(), len) == 0);
      CHECK(back[len] == 0xee);
    }
  }
}

TEST_CASE("the recorded access is enforced") {
  WinPages ro(1, PAGE_READONLY);
  uint32_t v = 0x12345678;
  CHECK(copy_from_user(&v, ro.addr(), 4));
  CHECK_FALSE(copy_to_user(ro.addr(), &v, 4));
  CHECK(probe_user(ro.addr(), P, false));
  CHECK_FALSE(probe_user(ro.addr(), P, true));
  CHECK_FALSE(probe_user(ro.addr(), P + 1, false));
}

TEST_CASE("a page that lost its access after the check faults and the copy fails") {
  install_user_fault_handler();
  WinPages win(2);
  // The record still says read-write; the mapping says otherwise (as after a racing change).
  mprotect(win.mem + P, P, PROT_NONE);
  uint8_t buf[64];
  std::memset(buf, 0xab, sizeof(buf));
  CHECK_FALSE(copy_to_user(win.addr(P), buf, 8));
  CHECK_FALSE(copy_from_user(buf, win.addr(P + 100), 16));
  // A copy that runs into the dead page copies what it can, then fails.
  std::memset(win.mem, 0, P);
  CHECK_FALSE(copy_to_user(win.addr(P - 16), buf, 32));
  CHECK(win.mem[P - 16] == 0xab);
  mprotect(win.mem + P, P, PROT_READ);
  CHECK_FALSE(copy_to_user(win.addr(P), buf, 300));  // rep movsb path
  CHECK(copy_from_user(buf, win.addr(P), 8));
}

TEST_CASE("an unmapped page faults and the copy fails") {
  install_user_fault_handler();
  WinPages win(1);
  munmap(win.mem, P);  // still recorded
  uint8_t buf[512] = {};
  CHECK_FALSE(copy_from_user(buf, win.addr(), 8));
  CHECK_FALSE(copy_from_user(buf, win.addr(), 512));
  CHECK_FALSE(copy_to_user(win.addr(), buf, 3));
  // Re-map so the destructor's munmap is harmless.
  win.mem = static_cast<uint8_t*>(
      mmap(win.mem, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
}

TEST_CASE("copies survive a racing thread that keeps removing the page") {
  install_user_fault_handler();
  WinPages win(1);
  std::atomic<bool> stop{false};
  std::thread flipper([&] {
    while (!stop) {
      mprotect(win.mem, P, PROT_NONE);
      mprotect(win.mem, P, PROT_READ | PROT_WRITE);
    }
  });
  long ok = 0, failed = 0;
  uint64_t v = 42;
  for (int i = 0; i < 200000; ++i) {
    (copy_to_user(win.addr(64), &v, 8) ? ok : failed)++;
  }
  stop = true;
  flipper.join();
  CHECK(ok + failed == 200000);
  MESSAGE("racing copies: " << ok << " succeeded, " << failed << " faulted and failed");
}

TEST_CASE("ir_safe_memcpy returns nonzero on a fault without any range check") {
  install_user_fault_handler();
  uint64_t v = 0;
  CHECK(ir_safe_memcpy(&v, reinterpret_cast<const void*>(8), 8) != 0);
  CHECK(ir_safe_memcpy(reinterpret_cast<void*>(0x1000), &v, 1) != 0);
  uint64_t w = 7;
  CHECK(ir_safe_memcpy(&v, &w, 8) == 0);
  CHECK(v == 7);
}

TEST_CASE("UserPtr reads and writes through the checks") {
  WinPages win(1);
  UserPtr<uint32_t> p(win.addr(8));
  CHECK(p.write(0xdeadbeef));
  uint32_t v = 0;
  CHECK(p.read(v));
  CHECK(v == 0xdeadbeef);
  CHECK(p.at(1).addr() == win.addr(12));
  CHECK_FALSE(UserPtr<uint32_t>(win.addr(P - 2)).read(v));  // runs off the recorded page
  CHECK_FALSE(UserPtr<uint32_t>(0).write(1));
}

TEST_CASE("read_user_unicode_string") {
  WinPages win(1);
  auto* us = reinterpret_cast<nt::UNICODE_STRING*>(win.mem);
  auto* chars = reinterpret_cast<char16_t*>(win.mem + 64);
  std::memcpy(chars, u"C:\\x", 8);
  UserPtr<nt::UNICODE_STRING> p(win.addr());
  std::u16string out;

  *us = nt::UNICODE_STRING{8, 10, 0, win.addr(64)};
  CHECK(read_user_unicode_string(p, out) == nt::STATUS_SUCCESS);
  CHECK(out == u"C:\\x");

  us->MaximumLength = 2;  // the capture only looks at Length
  CHECK(read_user_unicode_string(p, out) == nt::STATUS_SUCCESS);
  CHECK(out == u"C:\\x");

  us->Length = 7;
  CHECK(read_user_unicode_string(p, out) == nt::STATUS_OBJECT_NAME_INVALID);
  us->Length = 0xFFFE;
  CHECK(read_user_unicode_string(p, out) == nt::STATUS_OBJECT_NAME_INVALID);
  us->Length = 0xFFFC;  // valid length, but the buffer runs off Windows memory
  CHECK(read_user_unicode_string(p, out) == nt::STATUS_ACCESS_VIOLATION);

  *us = nt::UNICODE_STRING{4, 4, 0, 0};
  CHECK(read_user_unicode_string(p, out) == nt::STATUS_ACCESS_VIOLATION);
  *us = nt::UNICODE_STRING{0, 0, 0, 0};
  CHECK(read_user_unicode_string(p, out) == nt::STATUS_SUCCESS);
  CHECK(out.empty());

  uint64_t runtime_chars = reinterpret_cast<uint64_t>(u"abc");
  *us = nt::UNICODE_STRING{6, 8, 0, runtime_chars};
  CHECK(read_user_unicode_string(p, out) == nt::STATUS_ACCESS_VIOLATION);

  CHECK(read_user_unicode_string(UserPtr<nt::UNICODE_STRING>(0), out) ==
        nt::STATUS_ACCESS_VIOLATION);
  CHECK(read_user_unicode_string(UserPtr<nt::UNICODE_STRING>(win.addr(P - 8)), out) ==
        nt::STATUS_ACCESS_VIOLATION);
}

TEST_CASE("a fault in Windows code is an unhandled exception that ends the process") {
  WinCode code(kLoad);
  auto load = code.fn<LoadFn>();
  Child c = run_child([&] {
    install_user_fault_handler();
    load(0x10);
  });
  REQUIRE(WIFEXITED(c.status));
  CHECK(WEXITSTATUS(c.status) == 0x05);  // low byte of STATUS_ACCESS_VIOLATION
  const std::string want =
      "ireactor: unhandled exception 0xC0000005 (access violation reading 0x10) at " +
      hex(reinterpret_cast<uint64_t>(code.mem)) + "\n";
  CHECK(c.err == want);
}

TEST_CASE("a write fault in Windows code says writing") {
  WinCode code(kStore);
  WinPages ro(1, PAGE_READONLY);
  auto store = code.fn<StoreFn>();
  Child c = run_child([&] {
    install_user_fault_handler();
    store(ro.addr(), 1);
  });
  REQUIRE(WIFEXITED(c.status));
  CHECK(WEXITSTATUS(c.status) == 0x05);
  CHECK(c.err.find("(access violation writing " + hex(ro.addr()) + ")") != std::string::npos);
}

TEST_CASE("running off the bottom of a Windows stack is a stack overflow") {
  // A Windows stack as the loader lays it out: one allocation, the lowest page reserved.
  uint8_t* stack = static_cast<uint8_t*>(
      mmap(nullptr, 4 * P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  REQUIRE(stack != MAP_FAILED);
  mprotect(stack, P, PROT_NONE);
  const uint64_t s = reinterpret_cast<uint64_t>(stack);
  space().add(Region{s, P, s, PAGE_READWRITE, MEM_RESERVE, 0, MEM_PRIVATE});
  space().add(Region{s + P, 3 * P, s, PAGE_READWRITE, MEM_COMMIT, PAGE_READWRITE, MEM_PRIVATE});
  // mov rsp, rdi; push rax (one qword below the committed pages)
  WinCode code({0x48, 0x89, 0xfc, 0x50});
  auto run = code.fn<CallFn>();
  Child c = run_child([&] {
    install_user_fault_handler();
    run(s + P);
  });
  REQUIRE(WIFEXITED(c.status));
  CHECK(WEXITSTATUS(c.status) == 0xFD);  // STATUS_STACK_OVERFLOW
  CHECK(c.err.find("unhandled exception 0xC00000FD") != std::string::npos);
  space().remove(s, 4 * P);
  munmap(stack, 4 * P);
}

TEST_CASE("a fault in runtime code is a real crash") {
  Child c = run_child([] {
    install_user_fault_handler();
    volatile uint64_t bad = 0x10;
    *reinterpret_cast<volatile int*>(bad) = 1;
  });
  REQUIRE(WIFSIGNALED(c.status));
  CHECK(WTERMSIG(c.status) == SIGSEGV);
  CHECK(c.err.empty());
}

TEST_CASE("the Windows exception hook receives Windows faults") {
  install_user_fault_handler();
  set_windows_exception_handler(&skip_fault);
  WinCode load_code(kLoad);
  WinCode store_code(kStore);
  WinCode call_code(kCall);

  g_hook_calls = 0;
  load_code.fn<LoadFn>()(0x20);
  CHECK(g_hook_calls == 1);
  CHECK(g_seen.code == nt::STATUS_ACCESS_VIOLATION);
  CHECK(g_seen.pc == reinterpret_cast<uint64_t>(load_code.mem));
  CHECK(g_seen.access == 0);
  CHECK(g_seen.address == 0x20);

  store_code.fn<StoreFn>()(0x30, 5);
  CHECK(g_hook_calls == 2);
  CHECK(g_seen.access == 1);
  CHECK(g_seen.address == 0x30);

  // A call through a bad pointer faults at the target; the caller is Windows code.
  call_code.fn<CallFn>()(0x4000);
  CHECK(g_hook_calls == 3);
  CHECK(g_seen.access == 8);
  CHECK(g_seen.address == 0x4000);
  CHECK(g_seen.pc == 0x4000);

  // Guard pages: the first touch raises STATUS_GUARD_PAGE_VIOLATION and lifts the guard.
  WinPages guarded(1);
  mprotect(guarded.mem, P, PROT_NONE);
  space().set_protect(guarded.addr(), P, PAGE_READWRITE | PAGE_GUARD);
  CHECK_FALSE(probe_user(guarded.addr(), 4, false));
  load_code.fn<LoadFn>()(guarded.addr(16));
  CHECK(g_hook_calls == 4);
  CHECK(g_seen.code == nt::status(0x80000001));
  CHECK(space().find(guarded.addr())->protect == PAGE_READWRITE);
  guarded.mem[16] = 9;
  CHECK(load_code.fn<LoadFn>()(guarded.addr(16)) == 9);
  CHECK(g_hook_calls == 4);

  set_windows_exception_handler(nullptr);
}

TEST_CASE("new threads get their own signal stack") {
  std::thread t([] {
    stack_t before{};
    sigaltstack(nullptr, &before);
    ensure_signal_stack();
    stack_t after{};
    sigaltstack(nullptr, &after);
    CHECK((before.ss_flags & SS_DISABLE) != 0);
    CHECK((after.ss_flags & SS_DISABLE) == 0);
    CHECK(after.ss_size >= 64 * 1024);
    ensure_signal_stack();  // idempotent
    stack_t again{};
    sigaltstack(nullptr, &again);
    CHECK(again.ss_sp == after.ss_sp);
  });
  t.join();
}

// Runs on a 2 KiB stack: far too small for a signal frame, so only the alternate stack lets
// the fault handler run.
static ucontext_t g_main_ctx, g_small_ctx;
static uint64_t g_dead_page = 0;
static int g_small_result = -1;
static void copy_on_small_stack() {
  uint64_t v;
  g_small_result = copy_from_user(&v, g_dead_page, 8) ? 1 : 0;
}

TEST_CASE("a fault on a thread with no stack room left is still recovered") {
  WinPages win(1);
  munmap(win.mem, P);
  g_dead_page = win.addr();
  Child c = run_child([] {
    install_user_fault_handler();
    // A new thread has no alternate stack until ensure_signal_stack() gives it one.
    std::thread t([] {
      ensure_signal_stack();
      // Do the one-time work (the process record, the range check) on the normal stack.
      if (!probe_user(g_dead_page, 8, false)) _exit(20);
      static uint8_t small_stack[2048];
      getcontext(&g_small_ctx);
      g_small_ctx.uc_stack.ss_sp = small_stack;
      g_small_ctx.uc_stack.ss_size = sizeof(small_stack);
      g_small_ctx.uc_link = &g_main_ctx;
      makecontext(&g_small_ctx, copy_on_small_stack, 0);
      swapcontext(&g_main_ctx, &g_small_ctx);
      _exit(g_small_result == 0 ? 0 : 10 + g_small_result);
    });
    t.join();
  });
  CHECK(WIFEXITED(c.status));
  CHECK(WEXITSTATUS(c.status) == 0);
  win.mem = static_cast<uint8_t*>(
      mmap(win.mem, P, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
}

TEST_CASE("the copy fast path is cheap (reported, not asserted)") {
  WinPages win(1);
  uint8_t buf[16];
  REQUIRE(copy_from_user(buf, win.addr(), 16));
  constexpr int kIters = 2000000;
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < kIters; ++i) {
    copy_from_user(buf, win.addr(i & 63), 16);
    asm volatile("" ::: "memory");
  }
  auto t1 = std::chrono::steady_clock::now();
  for (int i = 0; i < kIters; ++i) {
    probe_user(win.addr(i & 63), 16, true);
    asm volatile("" ::: "memory");
  }
  auto t2 = std::chrono::steady_clock::now();
  auto ns = [](auto d) { return std::chrono::duration<double, std::nano>(d).count() / kIters; };
  MESSAGE("copy_from_user 16 B: " << ns(t1 - t0) << " ns; probe_user: " << ns(t2 - t1) << " ns");
}
