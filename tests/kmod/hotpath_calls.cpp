// NT calls through /dev/ntgate served by the struct_ops hot path (kmod-min/bpf/nt_hotpath.bpf.c),
// checked against what ntcore's userspace services answer for the same input. Runs in the qemu
// guest, in a namespace cgroup, with ntgate.ko loaded and `ireactor kmod attach` done
// (tests/kmod/hotpath_guest_test.sh).
//
//   hotpath_calls checks        every check below; PASS:/FAIL: lines and "N passed, M failed"
//   hotpath_calls loop STOPFILE  NtQueryPerformanceCounter and a 1-byte NtReadFile in batches
//                               of 100 until STOPFILE exists (one batch at least); then
//                               "loop: C calls, S served, U unhandled, F failed" (a live
//                               replacement must leave U and F at 0)
//   hotpath_calls bench CALLS   ns per call of a bare ioctl, a declined call and served ones
#include <algorithm>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "dispatch/syscall_table.h"
#include "ntgate_uapi.h"

namespace {

constexpr int64_t kUnhandled = -1;  // the call went back to userspace
constexpr int64_t kFailed = -2;     // the ioctl itself failed

constexpr uint32_t STATUS_SUCCESS = 0, STATUS_NO_YIELD_PERFORMED = 0x40000024,
                   STATUS_INFO_LENGTH_MISMATCH = 0xC0000004, STATUS_ACCESS_VIOLATION = 0xC0000005,
                   STATUS_INVALID_PARAMETER = 0xC000000D, STATUS_END_OF_FILE = 0xC0000011,
                   STATUS_ACCESS_DENIED = 0xC0000022;
constexpr uint32_t FILE_READ_DATA = 1, FILE_WRITE_DATA = 2, FILE_APPEND_DATA = 4;
constexpr uint32_t kSyncDisk = NTGATE_HANDLE_FILE | NTGATE_HANDLE_SYNCHRONOUS | NTGATE_HANDLE_DISK;

int passed = 0, failed = 0;

void check(bool ok, const char* fmt, ...) {
  ok ? ++passed : ++failed;
  std::printf("%s: ", ok ? "PASS" : "FAIL");
  va_list ap;
  va_start(ap, fmt);
  std::vprintf(fmt, ap);
  va_end(ap);
  std::printf("\n");
  std::fflush(stdout);
}

struct IoStatusBlock {
  uint64_t status;  // NTSTATUS in the low half, the union's other half zero
  uint64_t information;
};
constexpr IoStatusBlock kUntouched{0x5555555555555555ull, 0x6666666666666666ull};

// One attached /dev/ntgate open with its handle mirror.
class Gate {
 public:
  explicit Gate(const char* build_name) : build_(ireactor::find_syscall_build(build_name)) {
    fd_ = open("/dev/ntgate", O_RDWR | O_CLOEXEC);
    if (fd_ < 0 || !build_) return;
    std::string_view b = build_name;
    ntgate_attach at{};
    at.abi_version = NTGATE_ABI_VERSION;
    at.build = std::stoul(std::string(b.substr(b.rfind('.') + 1)));
    at.handle_mirror = reinterpret_cast<uint64_t>(mirror_.data());
    at.handle_capacity = mirror_.size();
    for (ntgate_handle& h : mirror_) h = {-1, 0, 0, 0};
    attached_ = ioctl(fd_, NTGATE_IOC_ATTACH, &at) == 0;
  }
  ~Gate() {
    if (fd_ >= 0) close(fd_);
  }
  bool ok() const { return attached_; }

  // A handle whose mirror entry is {fd, access, flags}.
  uint64_t handle(int fd, uint32_t access, uint32_t flags) {
    mirror_[next_] = {fd, access, flags, 0};
    return static_cast<uint64_t>(next_++) << 2;
  }

  // The call's NTSTATUS, kUnhandled or kFailed.
  uint32_t number(const char* service) const { return build_->number_of(service).value_or(0xFFFF); }
  int64_t call(const char* service, std::initializer_list<uint64_t> args) const {
    return call_number(number(service), args);
  }
  int64_t call_number(uint32_t number, std::initializer_list<uint64_t> args) const {
    // As the runtime does (kmod_entry.cpp): the module reads only the first nargs arguments.
    ntgate_call c;
    c.number = number;
    c.nargs = args.size();
    size_t i = 0;
    for (uint64_t a : args) c.args[i++] = a;
    const long r = syscall(SYS_ioctl, fd_, NTGATE_IOC_CALL, &c);  // the whole rax, not an int
    if (r == -1) return errno == NTGATE_ERRNO_UNHANDLED ? kUnhandled : kFailed;
    return static_cast<uint32_t>(r);
  }

 private:
  const ireactor::SyscallBuild* build_;
  int fd_ = -1;
  bool attached_ = false;
  std::vector<ntgate_handle> mirror_ = std::vector<ntgate_handle>(64);
  uint32_t next_ = 1;  // handle 0 is NULL
};

uint64_t addr(const void* p) {
  return reinterpret_cast<uint64_t>(p);
}

uint64_t monotonic_ticks() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 10000000ull + ts.tv_nsec / 100;
}

off_t position(int fd) {
  return lseek(fd, 0, SEEK_CUR);
}

// A file in /tmp holding `content`, opened read-write at offset 0.
int temp_file(const char* content) {
  char path[] = "/tmp/hotpath_callsXXXXXX";
  const int fd = mkstemp(path);
  unlink(path);
  if (write(fd, content, std::strlen(content)) < 0) return -1;
  lseek(fd, 0, SEEK_SET);
  return fd;
}

void check_time_services(Gate& g) {
  int64_t counter = 0, frequency = 0;
  const uint64_t before = monotonic_ticks();
  int64_t s = g.call("NtQueryPerformanceCounter", {addr(&counter), addr(&frequency)});
  const uint64_t after = monotonic_ticks();
  check(s == STATUS_SUCCESS, "NtQueryPerformanceCounter: %#llx", (long long)s);
  check(static_cast<uint64_t>(counter) >= before && static_cast<uint64_t>(counter) <= after,
        "performance counter is CLOCK_MONOTONIC in 100 ns ticks");
  check(frequency == 10000000, "performance frequency 10 MHz");
  s = g.call("NtQueryPerformanceCounter", {addr(&counter), 0});
  check(s == STATUS_SUCCESS, "NtQueryPerformanceCounter without a frequency");
  s = g.call("NtQueryPerformanceCounter", {0, addr(&frequency)});
  check(s == STATUS_ACCESS_VIOLATION, "NULL counter: access violation");
  s = g.call("NtQueryPerformanceCounter", {addr(&counter), 8});
  check(s == STATUS_ACCESS_VIOLATION, "wild frequency pointer: access violation");

  s = g.call("NtYieldExecution", {});
  check(s == STATUS_SUCCESS || s == STATUS_NO_YIELD_PERFORMED, "NtYieldExecution: %#llx",
        (long long)s);

  int64_t interval = -20000;  // 2 ms
  const uint64_t start = monotonic_ticks();
  s = g.call("NtDelayExecution", {0, addr(&interval)});
  check(s == STATUS_SUCCESS && monotonic_ticks() - start >= 20000,
        "NtDelayExecution 2 ms relative: %#llx after %llu ticks", (long long)s,
        (unsigned long long)(monotonic_ticks() - start));
  s = g.call("NtDelayExecution", {1, addr(&interval)});
  check(s == STATUS_SUCCESS, "alertable NtDelayExecution (no APCs): success");
  interval = 0;
  s = g.call("NtDelayExecution", {0, addr(&interval)});
  check(s == STATUS_SUCCESS || s == STATUS_NO_YIELD_PERFORMED, "zero delay yields: %#llx",
        (long long)s);
  interval = 10000000;  // a positive interval is an absolute time
  check(g.call("NtDelayExecution", {0, addr(&interval)}) == kUnhandled,
        "absolute delay: unhandled");
  interval = -100000000;  // 10 s: longer than the kernel sleeps
  check(g.call("NtDelayExecution", {0, addr(&interval)}) == kUnhandled, "10 s delay: unhandled");
  check(g.call("NtDelayExecution", {0, 0}) == STATUS_ACCESS_VIOLATION,
        "NULL interval: access violation");
}

void check_read(Gate& g) {
  const int fd = temp_file("hello world");
  const uint64_t h = g.handle(fd, FILE_READ_DATA, kSyncDisk);
  char buf[16] = {};
  IoStatusBlock iosb = kUntouched;
  int64_t s = g.call("NtReadFile", {h, 0, 0, 0, addr(&iosb), addr(buf), 5, 0, 0});
  check(s == STATUS_SUCCESS && std::memcmp(buf, "hello", 5) == 0 && iosb.status == 0 &&
            iosb.information == 5 && position(fd) == 5,
        "read at the position: %#llx, iosb {%#llx, %llu}, position %lld", (long long)s,
        (unsigned long long)iosb.status, (unsigned long long)iosb.information,
        (long long)position(fd));

  int64_t offset = 6;
  s = g.call("NtReadFile", {h, 0, 0, 0, addr(&iosb), addr(buf), 16, addr(&offset), 0});
  check(s == STATUS_SUCCESS && std::memcmp(buf, "world", 5) == 0 && iosb.information == 5 &&
            position(fd) == 11,
        "read at ByteOffset 6: moves the position after the data (%lld)", (long long)position(fd));

  iosb = kUntouched;
  s = g.call("NtReadFile", {h, 0, 0, 0, addr(&iosb), addr(buf), 4, 0, 0});
  check(s == STATUS_END_OF_FILE && iosb.status == kUntouched.status && position(fd) == 11,
        "read at the end: end of file, IO_STATUS_BLOCK untouched");
  offset = 100;
  lseek(fd, 2, SEEK_SET);
  s = g.call("NtReadFile", {h, 0, 0, 0, addr(&iosb), addr(buf), 4, addr(&offset), 0});
  check(s == STATUS_END_OF_FILE && position(fd) == 2,
        "read past the end at an offset: end of file, position unchanged (%lld)",
        (long long)position(fd));
  offset = 3;
  s = g.call("NtReadFile", {h, 0, 0, 0, addr(&iosb), addr(buf), 0, addr(&offset), 0});
  check(s == STATUS_SUCCESS && iosb.information == 0 && position(fd) == 3,
        "zero-length read at offset 3: success, position 3");
  offset = -2;  // FILE_USE_FILE_POINTER_POSITION
  s = g.call("NtReadFile", {h, 0, 0, 0, addr(&iosb), addr(buf), 2, addr(&offset), 0});
  check(s == STATUS_SUCCESS && std::memcmp(buf, "lo", 2) == 0 && position(fd) == 5,
        "read at FILE_USE_FILE_POINTER_POSITION");
  offset = -1;
  s = g.call("NtReadFile", {h, 0, 0, 0, addr(&iosb), addr(buf), 2, addr(&offset), 0});
  check(s == STATUS_INVALID_PARAMETER, "read at FILE_WRITE_TO_END_OF_FILE: invalid parameter");
  s = g.call("NtReadFile", {h, 0, 0, 0, addr(&iosb), addr(buf), 2, 8, 0});
  check(s == STATUS_ACCESS_VIOLATION, "wild ByteOffset pointer: access violation");
  s = g.call("NtReadFile", {h, 0, 0, 0, addr(&iosb), 0, 5, 0, 0});
  check(s == STATUS_ACCESS_VIOLATION && position(fd) == 5, "NULL buffer: access violation");
  s = g.call("NtReadFile", {h, 0, 0, 0, 0x20, addr(buf), 5, 0, 0});
  check(s == STATUS_ACCESS_VIOLATION && position(fd) == 5,
        "wild IO_STATUS_BLOCK: access violation before reading");
  {
    // A buffer whose second page is read-only: ntcore's probe refuses the whole buffer before
    // reading (probe_user for writing), and so must the kernel, though the data would fit.
    auto* m = static_cast<char*>(
        mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    mprotect(m + 4096, 4096, PROT_READ);
    s = g.call("NtReadFile", {h, 0, 0, 0, addr(&iosb), addr(m), 8192, 0, 0});
    check(s == STATUS_ACCESS_VIOLATION && position(fd) == 5,
          "buffer with a read-only page: access violation before reading");
    munmap(m, 8192);
  }

  const uint64_t write_only = g.handle(fd, FILE_WRITE_DATA, kSyncDisk);
  s = g.call("NtReadFile", {write_only, 0, 0, 0, addr(&iosb), addr(buf), 5, 0, 0});
  check(s == STATUS_ACCESS_DENIED, "read without FILE_READ_DATA: access denied");
  s = g.call("NtReadFile", {h, 0x44, 0, 0, addr(&iosb), addr(buf), 5, 0, 0});
  check(s == kUnhandled, "read with an Event: unhandled");
  s = g.call("NtReadFile", {h, 0, 0x1000, 0, addr(&iosb), addr(buf), 5, 0, 0});
  check(s == kUnhandled, "read with an APC routine: unhandled");
  const uint64_t async = g.handle(fd, FILE_READ_DATA, NTGATE_HANDLE_FILE | NTGATE_HANDLE_DISK);
  check(g.call("NtReadFile", {async, 0, 0, 0, addr(&iosb), addr(buf), 5, 0, 0}) == kUnhandled,
        "asynchronous handle: unhandled");
  const uint64_t dir = g.handle(fd, FILE_READ_DATA, kSyncDisk | NTGATE_HANDLE_DIRECTORY);
  check(g.call("NtReadFile", {dir, 0, 0, 0, addr(&iosb), addr(buf), 5, 0, 0}) == kUnhandled,
        "directory: unhandled");
  const uint64_t event = g.handle(fd, 0x1F0003, 0);
  check(g.call("NtReadFile", {event, 0, 0, 0, addr(&iosb), addr(buf), 5, 0, 0}) == kUnhandled,
        "not a file: unhandled");
  check(g.call("NtReadFile", {0x3FC, 0, 0, 0, addr(&iosb), addr(buf), 5, 0, 0}) == kUnhandled,
        "a handle not in the mirror: unhandled");
  // A large buffer is probed as a whole by the module (the caller's memory map): served.
  std::vector<char> big(1 << 20);
  const off_t before = position(fd);
  offset = 0;
  s = g.call("NtReadFile", {h, 0, 0, 0, addr(&iosb), addr(big.data()), 1 << 20, addr(&offset), 0});
  check(s == STATUS_SUCCESS && iosb.information == 11 && position(fd) == 11,
        "1 MiB read at offset 0: served, the file's 11 bytes, position 11");
  lseek(fd, before, SEEK_SET);

  // Streams may block for as long as the other end likes: userspace serves them.
  int pipe_fds[2];
  if (pipe(pipe_fds) == 0 && write(pipe_fds[1], "pipe", 4) == 4) {
    const uint64_t in =
        g.handle(pipe_fds[0], FILE_READ_DATA, NTGATE_HANDLE_FILE | NTGATE_HANDLE_SYNCHRONOUS);
    const uint64_t out =
        g.handle(pipe_fds[1], FILE_WRITE_DATA, NTGATE_HANDLE_FILE | NTGATE_HANDLE_SYNCHRONOUS);
    s = g.call("NtReadFile", {in, 0, 0, 0, addr(&iosb), addr(buf), 16, 0, 0});
    check(s == kUnhandled, "pipe read: unhandled");
    s = g.call("NtWriteFile", {out, 0, 0, 0, addr(&iosb), addr(buf), 1, 0, 0});
    check(s == kUnhandled, "pipe write: unhandled");
    check(read(pipe_fds[0], buf, 16) == 4, "... and the pipe untouched");
    close(pipe_fds[0]);
    close(pipe_fds[1]);
  }
  close(fd);
}

void check_write(Gate& g) {
  const int fd = temp_file("");
  const uint64_t h = g.handle(fd, FILE_READ_DATA | FILE_WRITE_DATA | FILE_APPEND_DATA, kSyncDisk);
  IoStatusBlock iosb = kUntouched;
  char data[] = "abcdef";
  int64_t s = g.call("NtWriteFile", {h, 0, 0, 0, addr(&iosb), addr(data), 6, 0, 0});
  check(s == STATUS_SUCCESS && iosb.status == 0 && iosb.information == 6 && position(fd) == 6,
        "write at the position: %#llx, position %lld", (long long)s, (long long)position(fd));
  int64_t offset = 1;
  s = g.call("NtWriteFile", {h, 0, 0, 0, addr(&iosb), addr(data), 2, addr(&offset), 0});
  check(s == STATUS_SUCCESS && position(fd) == 3, "write at ByteOffset 1: position 3");
  offset = -1;  // FILE_WRITE_TO_END_OF_FILE
  s = g.call("NtWriteFile", {h, 0, 0, 0, addr(&iosb), addr(data), 3, addr(&offset), 0});
  check(s == STATUS_SUCCESS && position(fd) == 9, "append: position after the data (%lld)",
        (long long)position(fd));
  char back[16] = {};
  check(pread(fd, back, sizeof(back), 0) == 9 && std::memcmp(back, "aabdefabc", 9) == 0,
        "file holds what was written: %.9s", back);

  const uint64_t append_only = g.handle(fd, FILE_APPEND_DATA, kSyncDisk);
  offset = 0;
  s = g.call("NtWriteFile", {append_only, 0, 0, 0, addr(&iosb), addr(data), 1, addr(&offset), 0});
  struct stat st {};
  fstat(fd, &st);
  check(s == STATUS_SUCCESS && st.st_size == 10 && position(fd) == 10,
        "append-only handle writes at the end whatever the offset");
  offset = -1;
  check(g.call("NtWriteFile", {h, 0, 0, 0, addr(&iosb), addr(data), 0, addr(&offset), 0}) ==
            kUnhandled,
        "zero-length append: left to userspace");
  offset = 4;
  s = g.call("NtWriteFile", {h, 0, 0, 0, addr(&iosb), addr(data), 0, addr(&offset), 0});
  check(s == STATUS_SUCCESS && iosb.information == 0 && position(fd) == 4,
        "zero-length write at offset 4: position 4");

  const uint64_t read_only = g.handle(fd, FILE_READ_DATA, kSyncDisk);
  s = g.call("NtWriteFile", {read_only, 0, 0, 0, addr(&iosb), addr(data), 1, 0, 0});
  check(s == STATUS_ACCESS_DENIED, "write without write access: access denied");
  s = g.call("NtWriteFile", {h, 0, 0, 0, addr(&iosb), 0x20, 1, 0, 0});
  check(s == STATUS_ACCESS_VIOLATION, "wild buffer: access violation");
  offset = -3;
  s = g.call("NtWriteFile", {h, 0, 0, 0, addr(&iosb), addr(data), 1, addr(&offset), 0});
  check(s == STATUS_INVALID_PARAMETER, "ByteOffset -3: invalid parameter");
  close(fd);
}

void check_query(Gate& g) {
  const int fd = temp_file("0123456789");
  lseek(fd, 7, SEEK_SET);
  const uint64_t h = g.handle(fd, FILE_READ_DATA, kSyncDisk);
  IoStatusBlock iosb = kUntouched;
  int64_t pos = -1;
  int64_t s = g.call("NtQueryInformationFile", {h, addr(&iosb), addr(&pos), 8, 14});
  check(s == STATUS_SUCCESS && pos == 7 && iosb.status == 0 && iosb.information == 8,
        "FilePositionInformation: %lld", (long long)pos);
  s = g.call("NtQueryInformationFile", {h, addr(&iosb), addr(&pos), 7, 14});
  check(s == STATUS_INFO_LENGTH_MISMATCH, "position with 7 bytes: info length mismatch");

  struct {
    int64_t allocation, end_of_file;
    uint32_t links;
    uint8_t delete_pending, directory, pad[2];
  } standard{};
  static_assert(sizeof(standard) == 24);
  std::memset(&standard, 0xAA, sizeof(standard));
  s = g.call("NtQueryInformationFile", {h, addr(&iosb), addr(&standard), 24, 5});
  check(s == STATUS_SUCCESS && standard.end_of_file == 10 && standard.links == 0 &&
            standard.directory == 0 && standard.delete_pending == 0 && iosb.information == 24,
        "FileStandardInformation: eof %lld, links %u (the temp file is unlinked)",
        (long long)standard.end_of_file, standard.links);
  const uint64_t pending = g.handle(fd, 0, kSyncDisk | NTGATE_HANDLE_DELETE_PENDING);
  s = g.call("NtQueryInformationFile", {pending, addr(&iosb), addr(&standard), 40, 5});
  check(s == STATUS_SUCCESS && standard.delete_pending == 1 && iosb.information == 24,
        "DeletePending from the mirror's flag");
  s = g.call("NtQueryInformationFile", {h, addr(&iosb), addr(&standard), 23, 5});
  check(s == STATUS_INFO_LENGTH_MISMATCH, "standard with 23 bytes: info length mismatch");
  s = g.call("NtQueryInformationFile", {h, addr(&iosb), 0x30, 24, 5});
  check(s == STATUS_ACCESS_VIOLATION, "wild buffer: access violation");
  s = g.call("NtQueryInformationFile", {h, addr(&iosb), addr(&standard), 24, 4});
  check(s == kUnhandled, "FileBasicInformation: unhandled");
  const uint64_t stream =
      g.handle(fd, FILE_READ_DATA, NTGATE_HANDLE_FILE | NTGATE_HANDLE_SYNCHRONOUS);
  s = g.call("NtQueryInformationFile", {stream, addr(&iosb), addr(&pos), 8, 14});
  check(s == kUnhandled, "position of a stream: unhandled");
  close(fd);
}

int run_checks() {
  Gate g("10.0.19045");
  check(g.ok(), "attach /dev/ntgate as build 19045");
  if (!g.ok()) return 1;
  check_time_services(g);
  check_read(g);
  check_write(g);
  check_query(g);
  check(g.call_number(0x3FFF, {}) == kUnhandled, "a number the build lacks: unhandled");

  Gate w11("10.0.22621");
  int64_t counter = 0;
  check(w11.ok() && w11.call("NtQueryPerformanceCounter", {addr(&counter), 0}) == STATUS_SUCCESS,
        "build 22621 is served too");
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

int run_loop(const char* stop_file) {
  Gate g("10.0.19045");
  if (!g.ok()) {
    std::printf("loop: cannot attach /dev/ntgate\n");
    return 1;
  }
  const int fd = temp_file("x");
  const uint64_t h = g.handle(fd, FILE_READ_DATA, kSyncDisk);
  uint64_t calls = 0, served = 0, unhandled = 0, bad = 0;
  int64_t counter = 0, offset = 0;
  IoStatusBlock iosb;
  char byte;
  do {  // one batch at least, so a STOPFILE that exists already gives 100 calls
    for (int i = 0; i < 100; ++i) {
      const int64_t s =
          i % 2 ? g.call("NtQueryPerformanceCounter", {addr(&counter), 0})
                : g.call("NtReadFile", {h, 0, 0, 0, addr(&iosb), addr(&byte), 1, addr(&offset), 0});
      ++calls;
      if (s == STATUS_SUCCESS)
        ++served;
      else if (s == kUnhandled)
        ++unhandled;
      else
        ++bad;
    }
  } while (access(stop_file, F_OK) != 0);
  std::printf("loop: %llu calls, %llu served, %llu unhandled, %llu failed\n",
              (unsigned long long)calls, (unsigned long long)served, (unsigned long long)unhandled,
              (unsigned long long)bad);
  return 0;
}

// ns per call of `fn` over `n` calls.
template <class Fn>
double per_call_ns(uint64_t n, Fn fn) {
  timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (uint64_t i = 0; i < n; ++i) fn();
  clock_gettime(CLOCK_MONOTONIC, &b);
  return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n;
}

// Rough costs in this kernel (a TCG guest: ratios only): a bare ioctl round trip on /dev/ntgate
// (an unknown command), calls the program declines after its numbering lookup, and served ones.
int run_bench(uint64_t n) {
  Gate g("10.0.19045");
  if (!g.ok()) return 1;
  const int fd = temp_file("0123456789");
  const uint64_t h = g.handle(fd, FILE_READ_DATA, kSyncDisk);
  int64_t counter = 0, offset = 0;
  IoStatusBlock iosb;
  char byte;
  const int gate_fd = open("/dev/ntgate", O_RDWR | O_CLOEXEC);
  // Numbers looked up once: the loops time the gate, not the name search.
  const uint32_t close_nr = g.number("NtClose"), qpc_nr = g.number("NtQueryPerformanceCounter"),
                 read_nr = g.number("NtReadFile");
  // TCG's timing jitters: the variants take turns in ten rounds of n/10 calls, and each keeps
  // its fastest round.
  double bare = 1e30, declined = 1e30, qpc = 1e30, read0 = 1e30, read1 = 1e30;
  const uint64_t m = std::max<uint64_t>(n / 10, 1);
  for (int round = 0; round < 10; ++round) {
    bare = std::min(bare, per_call_ns(m, [&] { syscall(SYS_ioctl, gate_fd, _IO('N', 99), 0); }));
    declined = std::min(declined, per_call_ns(m, [&] { g.call_number(close_nr, {0}); }));
    qpc = std::min(qpc, per_call_ns(m, [&] { g.call_number(qpc_nr, {addr(&counter), 0}); }));
    read0 = std::min(read0, per_call_ns(m, [&] {
                       g.call_number(read_nr, {h, 0, 0, 0, addr(&iosb), addr(&byte), 0, 0, 0});
                     }));
    read1 = std::min(
        read1, per_call_ns(m, [&] {
          g.call_number(read_nr, {h, 0, 0, 0, addr(&iosb), addr(&byte), 1, addr(&offset), 0});
        }));
  }
  std::printf(
      "bench: bare ioctl %.0f ns; declined %.0f ns (%.2fx); NtQueryPerformanceCounter "
      "%.0f ns (%.2fx); zero-length NtReadFile %.0f ns (%.2fx); 1-byte NtReadFile at an "
      "offset %.0f ns (%.2fx)\n",
      bare, declined, declined / bare, qpc, qpc / bare, read0, read0 / bare, read1, read1 / bare);
  close(gate_fd);
  close(fd);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "checks") == 0) return run_checks();
  if (argc == 3 && std::strcmp(argv[1], "loop") == 0) return run_loop(argv[2]);
  if (argc == 3 && std::strcmp(argv[1], "bench") == 0) return run_bench(std::stoull(argv[2]));
  std::fprintf(stderr, "usage: %s checks | loop STOPFILE | bench CALLS\n", argv[0]);
  return 2;
}
