// The file services (io_services.h) called directly, with their arguments in memory recorded as
// Windows memory, against a temporary directory mapped as C: (and a read-only D:).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <set>
#include <thread>
#include <atomic>
#include <sstream>
#include <string>
#include <optional>
#include <vector>

#include "dispatch/nt_probes.h"
#include "io/fast_file_slots.h"
#include "ireactor/dispatcher.h"
#include "ireactor/entry.h"
#include "ireactor/io/drive_map.h"
#include "ireactor/io/file_information.h"
#include "ireactor/io/file_object.h"
#include "ireactor/io/host_fd.h"
#include "ireactor/process.h"
#include "ireactor/services/io_services.h"
#include "ireactor/sync/event_object.h"
#include "ireactor/system/nt_time.h"
#include "ireactor/user_memory.h"
#include "windows_memory.h"

using namespace ireactor;
using namespace ireactor::nt;

namespace {

// Pages recorded as Windows memory; arguments of the services are carved out of them.
struct Arena {
  test::WindowsMemory region;
  uint8_t* mem;
  size_t size;
  size_t used = 0;
  explicit Arena(size_t pages = 64)
      : region(pages * kPageSize), mem(region.bytes()), size(region.size()) {}
  uint64_t base() const { return region.addr(); }
  // n zeroed bytes, 16-byte aligned
  uint8_t* bytes(size_t n) {
    used = (used + 15) & ~size_t{15};
    REQUIRE(used + n <= size);
    uint8_t* p = mem + used;
    std::memset(p, 0, n);
    used += n;
    return p;
  }
  template <class T>
  T* get() {
    return reinterpret_cast<T*>(bytes(sizeof(T)));
  }
  static uint64_t at(const void* p) { return reinterpret_cast<uint64_t>(p); }
};

int remove_entry(const char* path, const struct stat*, int, struct FTW*) {
  chmod(path, 0700);
  return remove(path);
}

// A temporary tree: top/c is drive C:, top/d the read-only drive D:, top/secret.txt lies
// outside every drive.
struct Tree {
  std::string top, c, d;
  Tree() {
    char tmpl[] = "/tmp/ireactor-io-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    top = tmpl;
    c = top + "/c";
    d = top + "/d";
    mkdir(c.c_str(), 0755);
    mkdir(d.c_str(), 0755);
    put("secret.txt", "outside");
    std::string error;
    REQUIRE(map_drive(current_process().ns, 'C', c, false, error));
    REQUIRE(map_drive(current_process().ns, 'd', d, true, error));
  }
  ~Tree() { nftw(top.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS); }
  void put(const std::string& rel, const std::string& content) {
    std::ofstream(top + "/" + rel) << content;
  }
  void dir(const std::string& rel) { mkdir((top + "/" + rel).c_str(), 0755); }
  std::string get(const std::string& rel) {
    std::ifstream in(top + "/" + rel);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  bool exists(const std::string& rel) {
    struct stat st;
    return lstat((top + "/" + rel).c_str(), &st) == 0;
  }
};

// While on, Nt::read and Nt::write offer each call to the fast gate's file lane first
// (io/fast_file_io.cpp), as fast_gate.S does, and call the service only when it declines.
struct LaneCalls {
  bool on = false;
  int served = 0;
  int declined = 0;
};
LaneCalls g_lane;

class LaneScope {
 public:
  explicit LaneScope(bool on) {
    g_lane = LaneCalls{};
    if (!on) return;
    REQUIRE(select_windows_build("10.0.19045"));
    REQUIRE(io::enable_fast_file_io().read != 0xFFFFFFFF);
    g_lane.on = true;
  }
  ~LaneScope() { g_lane.on = false; }
};

constexpr ACCESS_MASK RW = GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE;
constexpr ULONG SHARE_ALL = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
constexpr ULONG SYNC = FILE_SYNCHRONOUS_IO_NONALERT;

// Service calls with their arguments placed in the arena.
struct Nt {
  Arena a;
  IO_STATUS_BLOCK* iosb = a.get<IO_STATUS_BLOCK>();

  UserPtr<IO_STATUS_BLOCK> io() {
    iosb->Status = 0x1234;
    iosb->Information = 0x5678;
    return UserPtr<IO_STATUS_BLOCK>(Arena::at(iosb));
  }
  uint64_t ustr(std::u16string_view s) {
    auto* chars = reinterpret_cast<char16_t*>(a.bytes(s.size() * 2 + 2));
    std::memcpy(chars, s.data(), s.size() * 2);
    auto* us = a.get<UNICODE_STRING>();
    us->Length = us->MaximumLength = static_cast<USHORT>(s.size() * 2);
    us->Buffer = Arena::at(chars);
    return Arena::at(us);
  }
  UserPtr<OBJECT_ATTRIBUTES> oa(std::u16string_view name, HANDLE root = 0) {
    auto* o = a.get<OBJECT_ATTRIBUTES>();
    o->Length = sizeof(OBJECT_ATTRIBUTES);
    o->RootDirectory = root;
    o->ObjectName = ustr(name);
    o->Attributes = OBJ_CASE_INSENSITIVE;
    return UserPtr<OBJECT_ATTRIBUTES>(Arena::at(o));
  }
  NTSTATUS create(std::u16string_view name, ACCESS_MASK access, ULONG share, ULONG disposition,
                  ULONG options, HANDLE& h, HANDLE root = 0, ULONG attributes = 0) {
    auto* out = a.get<HANDLE>();
    NTSTATUS s = NtCreateFile(UserPtr<HANDLE>(Arena::at(out)), access, oa(name, root), io(),
                              UserPtr<int64_t>(), attributes, share, disposition, options,
                              UserPtr<void>(), 0);
    h = *out;
    return s;
  }
  // Creates or opens and closes again; returns the status.
  NTSTATUS touch(std::u16string_view name, ULONG disposition = FILE_OPEN_IF, ULONG options = 0,
                 ACCESS_MASK access = RW) {
    HANDLE h = 0;
    NTSTATUS s = create(name, access, SHARE_ALL, disposition, options | SYNC, h);
    if (nt_success(s)) close(h);
    return s;
  }
  NTSTATUS open(std::u16string_view name, ACCESS_MASK access, ULONG share, ULONG options, HANDLE& h,
                HANDLE root = 0) {
    auto* out = a.get<HANDLE>();
    NTSTATUS s =
        NtOpenFile(UserPtr<HANDLE>(Arena::at(out)), access, oa(name, root), io(), share, options);
    h = *out;
    return s;
  }
  void close(HANDLE h) { REQUIRE(current_process().handles.close(h) == STATUS_SUCCESS); }

  NTSTATUS write(HANDLE h, std::string_view data, const int64_t* offset = nullptr,
                 HANDLE event = 0) {
    uint8_t* buf = a.bytes(data.size() + 1);
    std::memcpy(buf, data.data(), data.size());
    UserPtr<int64_t> off;
    if (offset) {
      auto* o = a.get<int64_t>();
      *o = *offset;
      off = UserPtr<int64_t>(Arena::at(o));
    }
    const ULONG n = static_cast<ULONG>(data.size());
    auto iosb_ptr = io();
    if (auto lane = through_lane(true, h, event, iosb_ptr, Arena::at(buf), n, off)) return *lane;
    return NtWriteFile(h, event, UserPtr<void>(), UserPtr<void>(), iosb_ptr,
                       UserPtr<void>(Arena::at(buf)), n, off, UserPtr<ULONG>());
  }
  // The lane's answer, or nullopt when it declined (or is off).
  std::optional<NTSTATUS> through_lane(bool write, HANDLE h, HANDLE event,
                                       UserPtr<IO_STATUS_BLOCK> iosb_ptr, uint64_t buf, ULONG n,
                                       UserPtr<int64_t> off) {
    if (!g_lane.on) return std::nullopt;
    auto* stack = reinterpret_cast<uint64_t*>(a.bytes(5 * sizeof(uint64_t)));
    stack[0] = iosb_ptr.addr();
    stack[1] = buf;
    stack[2] = n;
    stack[3] = off.addr();
    SyscallFrame f{{h, event, 0, 0}, Arena::at(stack)};
    const uint64_t r =
        ir_fast_file_io(write ? io::g_fast_file_numbers.write : io::g_fast_file_numbers.read, &f);
    if (r == entry::kLaneDeclined) {
      ++g_lane.declined;
      return std::nullopt;
    }
    ++g_lane.served;
    CHECK(r <= 0xFFFFFFFFull);  // an NTSTATUS, zero-extended
    return static_cast<NTSTATUS>(r);
  }
  NTSTATUS read(HANDLE h, ULONG n, std::string& out, const int64_t* offset = nullptr,
                HANDLE event = 0) {
    uint8_t* buf = a.bytes(n + 1);
    UserPtr<int64_t> off;
    if (offset) {
      auto* o = a.get<int64_t>();
      *o = *offset;
      off = UserPtr<int64_t>(Arena::at(o));
    }
    auto iosb_ptr = io();
    NTSTATUS s;
    if (auto lane = through_lane(false, h, event, iosb_ptr, Arena::at(buf), n, off))
      s = *lane;
    else
      s = NtReadFile(h, event, UserPtr<void>(), UserPtr<void>(), iosb_ptr,
                     UserPtr<void>(Arena::at(buf)), n, off, UserPtr<ULONG>());
    out.assign(reinterpret_cast<char*>(buf), nt_success(s) ? iosb->Information : 0);
    return s;
  }
  template <class T>
  NTSTATUS query(HANDLE h, ULONG cls, T& out, ULONG length = sizeof(T)) {
    uint8_t* buf = a.bytes(length > sizeof(T) ? length : sizeof(T));
    NTSTATUS s = NtQueryInformationFile(h, io(), UserPtr<void>(Arena::at(buf)), length, cls);
    std::memcpy(&out, buf, sizeof(T));
    return s;
  }
  NTSTATUS query_bytes(HANDLE h, ULONG cls, std::vector<uint8_t>& out, ULONG length) {
    uint8_t* buf = a.bytes(length + 16);
    std::memset(buf, 0x55, length + 16);
    NTSTATUS s = NtQueryInformationFile(h, io(), UserPtr<void>(Arena::at(buf)), length, cls);
    out.assign(buf, buf + length + 16);
    return s;
  }
  NTSTATUS set(HANDLE h, ULONG cls, const void* in, ULONG length) {
    uint8_t* buf = a.bytes(length);
    std::memcpy(buf, in, length);
    return NtSetInformationFile(h, io(), UserPtr<void>(Arena::at(buf)), length, cls);
  }
  NTSTATUS dispose(HANDLE h, bool del) {
    FILE_DISPOSITION_INFORMATION d{static_cast<BOOLEAN>(del)};
    return set(h, FileDispositionInformation, &d, sizeof d);
  }
  NTSTATUS rename(HANDLE h, std::u16string_view to, bool replace = false, HANDLE root = 0) {
    std::vector<uint8_t> buf(offsetof(FILE_RENAME_INFORMATION, FileName) + to.size() * 2);
    FILE_RENAME_INFORMATION r{};
    r.ReplaceIfExists = replace;
    r.RootDirectory = root;
    r.FileNameLength = static_cast<ULONG>(to.size() * 2);
    std::memcpy(buf.data(), &r, offsetof(FILE_RENAME_INFORMATION, FileName));
    std::memcpy(buf.data() + offsetof(FILE_RENAME_INFORMATION, FileName), to.data(), to.size() * 2);
    return set(h, FileRenameInformation, buf.data(), static_cast<ULONG>(buf.size()));
  }
  std::u16string name_of(HANDLE h) {
    std::vector<uint8_t> buf;
    if (query_bytes(h, FileNameInformation, buf, 1024) != STATUS_SUCCESS) return u"<error>";
    ULONG len;
    std::memcpy(&len, buf.data(), 4);
    std::u16string s(len / 2, u'\0');
    std::memcpy(s.data(), buf.data() + 4, len);
    return s;
  }
  NTSTATUS delete_file(std::u16string_view name) { return NtDeleteFile(oa(name)); }
};

// Directory listing through NtQueryDirectoryFile with FileNamesInformation.
struct Listing {
  NTSTATUS status;
  std::vector<std::u16string> names;
};

Listing list(Nt& nt, HANDLE dir, std::u16string_view mask = {}, bool restart = false,
             bool single = false, ULONG cls = FileNamesInformation, ULONG length = 4096) {
  uint8_t* buf = nt.a.bytes(length);
  uint64_t m = mask.empty() ? 0 : nt.ustr(mask);
  Listing l;
  l.status = NtQueryDirectoryFile(dir, 0, UserPtr<void>(), UserPtr<void>(), nt.io(),
                                  UserPtr<void>(Arena::at(buf)), length, cls, single,
                                  UserPtr<UNICODE_STRING>(m), restart);
  if (!nt_success(l.status) || cls != FileNamesInformation) return l;
  size_t off = 0;
  for (;;) {
    FILE_NAMES_INFORMATION rec;
    std::memcpy(&rec, buf + off, offsetof(FILE_NAMES_INFORMATION, FileName));
    std::u16string n(rec.FileNameLength / 2, u'\0');
    std::memcpy(n.data(), buf + off + offsetof(FILE_NAMES_INFORMATION, FileName),
                rec.FileNameLength);
    l.names.push_back(n);
    if (!rec.NextEntryOffset) break;
    off += rec.NextEntryOffset;
  }
  return l;
}

// Every name of a directory across as many calls as it takes.
std::vector<std::u16string> list_all(Nt& nt, HANDLE dir, std::u16string_view mask = {}) {
  std::vector<std::u16string> all;
  for (bool first = true;; first = false) {
    Listing l = list(nt, dir, first ? mask : std::u16string_view{}, false, false,
                     FileNamesInformation, 160);
    if (!nt_success(l.status)) break;
    all.insert(all.end(), l.names.begin(), l.names.end());
  }
  return all;
}

}  // namespace

TEST_CASE("every create disposition, with the Information Windows reports") {
  Tree t;
  Nt nt;
  HANDLE h = 0;
  // FILE_OPEN / FILE_OVERWRITE of a missing file.
  CHECK(nt.create(u"\\??\\C:\\f", RW, 0, FILE_OPEN, SYNC, h) == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(nt.iosb->Status == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(nt.iosb->Information == FILE_DOES_NOT_EXIST);
  CHECK(nt.create(u"\\??\\C:\\f", RW, 0, FILE_OVERWRITE, SYNC, h) == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK_FALSE(t.exists("c/f"));

  // FILE_CREATE, then FILE_CREATE again collides.
  REQUIRE(nt.create(u"\\??\\C:\\f", RW, 0, FILE_CREATE, SYNC, h) == STATUS_SUCCESS);
  CHECK(nt.iosb->Status == STATUS_SUCCESS);
  CHECK(nt.iosb->Information == FILE_CREATED);
  CHECK(h != 0);
  CHECK((h & 3) == 0);
  CHECK(nt.write(h, "hello") == STATUS_SUCCESS);
  nt.close(h);
  CHECK(t.get("c/f") == "hello");
  CHECK(nt.create(u"\\??\\C:\\f", RW, 0, FILE_CREATE, SYNC, h) == STATUS_OBJECT_NAME_COLLISION);
  CHECK(nt.iosb->Information == FILE_EXISTS);

  // FILE_OPEN and FILE_OPEN_IF of an existing file keep the data.
  REQUIRE(nt.create(u"\\??\\C:\\f", RW, 0, FILE_OPEN, SYNC, h) == STATUS_SUCCESS);
  CHECK(nt.iosb->Information == FILE_OPENED);
  nt.close(h);
  REQUIRE(nt.create(u"\\??\\C:\\f", RW, 0, FILE_OPEN_IF, SYNC, h) == STATUS_SUCCESS);
  CHECK(nt.iosb->Information == FILE_OPENED);
  nt.close(h);
  CHECK(t.get("c/f") == "hello");

  // FILE_OVERWRITE / FILE_OVERWRITE_IF / FILE_SUPERSEDE of an existing file truncate it.
  REQUIRE(nt.create(u"\\??\\C:\\f", RW, 0, FILE_OVERWRITE, SYNC, h) == STATUS_SUCCESS);
  CHECK(nt.iosb->Information == FILE_OVERWRITTEN);
  nt.close(h);
  CHECK(t.get("c/f").empty());
  t.put("c/f", "again");
  REQUIRE(nt.create(u"\\??\\C:\\f", RW, 0, FILE_OVERWRITE_IF, SYNC, h) == STATUS_SUCCESS);
  CHECK(nt.iosb->Information == FILE_OVERWRITTEN);
  nt.close(h);
  CHECK(t.get("c/f").empty());
  t.put("c/f", "again");
  REQUIRE(nt.create(u"\\??\\C:\\f", RW, 0, FILE_SUPERSEDE, SYNC, h) == STATUS_SUCCESS);
  CHECK(nt.iosb->Information == FILE_SUPERSEDED);
  nt.close(h);
  CHECK(t.get("c/f").empty());

  // The creating dispositions of missing files.
  for (ULONG disp : {FILE_OPEN_IF, FILE_OVERWRITE_IF, FILE_SUPERSEDE}) {
    CAPTURE(disp);
    REQUIRE(nt.create(u"\\??\\C:\\g", RW | DELETE, 0, disp, SYNC, h) == STATUS_SUCCESS);
    CHECK(nt.iosb->Information == FILE_CREATED);
    CHECK(t.exists("c/g"));
    REQUIRE(nt.dispose(h, true) == STATUS_SUCCESS);
    nt.close(h);
    CHECK_FALSE(t.exists("c/g"));
  }
}

TEST_CASE("lookups are case-insensitive and new names keep the case they were given") {
  Tree t;
  Nt nt;
  t.dir("c/Dir");
  t.put("c/Dir/MixedCase.TXT", "data");
  HANDLE h = 0;
  REQUIRE(nt.create(u"\\??\\c:\\dIR\\mixedcase.txt", GENERIC_READ | SYNCHRONIZE, SHARE_ALL,
                    FILE_OPEN, SYNC, h) == STATUS_SUCCESS);
  // The name reported is the one stored on the volume.
  CHECK(nt.name_of(h) == u"\\Dir\\MixedCase.TXT");
  std::string data;
  CHECK(nt.read(h, 100, data) == STATUS_SUCCESS);
  CHECK(data == "data");
  nt.close(h);

  CHECK(nt.create(u"\\??\\C:\\DIR\\MIXEDCASE.txt", RW, 0, FILE_CREATE, SYNC, h) ==
        STATUS_OBJECT_NAME_COLLISION);
  REQUIRE(nt.create(u"\\??\\C:\\DIR\\NewFile.Txt", RW, 0, FILE_CREATE, SYNC, h) == STATUS_SUCCESS);
  CHECK(nt.name_of(h) == u"\\Dir\\NewFile.Txt");
  nt.close(h);
  CHECK(t.exists("c/Dir/NewFile.Txt"));
  // NTFS takes names with unpaired surrogates; they round-trip through the host (WTF-8).
  std::u16string lone = u"\\??\\C:\\odd";
  lone += char16_t(0xD83D);
  REQUIRE(nt.create(lone, RW, 0, FILE_CREATE, SYNC, h) == STATUS_SUCCESS);
  std::u16string lone_name = u"\\odd";
  lone_name += char16_t(0xD83D);
  CHECK(nt.name_of(h) == lone_name);
  nt.close(h);
  CHECK(t.exists("c/odd\xED\xA0\xBD"));
  // Non-ASCII letters fold too (é / É).
  t.put("c/\xC3\xA9t\xC3\xA9", "summer");
  REQUIRE(nt.create(u"\\??\\C:\\\u00C9T\u00C9", GENERIC_READ | SYNCHRONIZE, 0, FILE_OPEN, SYNC,
                    h) == STATUS_SUCCESS);
  nt.close(h);
}

TEST_CASE("name syntax: prefixes, bad components, missing parents") {
  Tree t;
  Nt nt;
  t.dir("c/dir");
  t.put("c/dir/file", "x");
  HANDLE h = 0;
  auto open = [&](std::u16string_view name, ULONG options = 0) {
    NTSTATUS s = nt.create(name, FILE_READ_ATTRIBUTES, SHARE_ALL, FILE_OPEN, options, h);
    if (nt_success(s)) nt.close(h);
    return s;
  };
  CHECK(open(u"\\??\\C:\\dir\\file") == STATUS_SUCCESS);
  CHECK(open(u"\\DosDevices\\C:\\dir\\file") == STATUS_SUCCESS);
  CHECK(open(u"\\GLOBAL??\\c:\\DIR\\FILE") == STATUS_SUCCESS);
  CHECK(open(u"\\Device\\HarddiskVolume3\\dir\\file") == STATUS_SUCCESS);
  CHECK(open(u"\\??\\C:\\dir\\") == STATUS_SUCCESS);
  CHECK(open(u"\\??\\C:\\") == STATUS_SUCCESS);
  CHECK(open(u"\\??\\C:") == STATUS_SUCCESS);
  CHECK(open(u"\\??\\C:\\dir\\file\\") == STATUS_OBJECT_NAME_INVALID);
  CHECK(open(u"\\??\\C:\\dir\\\\file") == STATUS_OBJECT_NAME_INVALID);
  CHECK(open(u"\\??\\C:\\dir\\.\\file") == STATUS_OBJECT_NAME_INVALID);
  CHECK(open(u"\\??\\C:\\dir\\..\\dir\\file") == STATUS_OBJECT_NAME_INVALID);
  CHECK(open(u"\\??\\C:\\..\\secret.txt") == STATUS_OBJECT_NAME_INVALID);
  CHECK(open(u"\\??\\C:\\dir\\f*") == STATUS_OBJECT_NAME_INVALID);
  CHECK(open(u"\\??\\C:\\dir\\f?le") == STATUS_OBJECT_NAME_INVALID);
  CHECK(open(u"\\??\\C:\\dir\\a:b") == STATUS_OBJECT_NAME_INVALID);
  CHECK(open(u"\\??\\C:\\dir\\a\x01"
             u"b") == STATUS_OBJECT_NAME_INVALID);
  CHECK(open(u"\\??\\C:\\dir\\a/b") == STATUS_OBJECT_NAME_INVALID);
  CHECK(open(u"\\??\\C:\\dir\\a|b") == STATUS_OBJECT_NAME_INVALID);
  CHECK(open(u"\\??\\C:\\dir\\nothing") == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(open(u"\\??\\C:\\nodir\\file") == STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(open(u"\\??\\C:\\dir\\file\\below") == STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(open(u"\\??\\Q:\\file") == STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(open(u"\\??\\Q:") == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(open(u"\\??\\UNC\\server\\share\\file") == STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(open(u"\\??\\COM1") == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(open(u"\\??\\") == STATUS_OBJECT_NAME_INVALID);
  CHECK(open(u"\\??") == STATUS_OBJECT_TYPE_MISMATCH);
  CHECK(open(u"\\") == STATUS_OBJECT_TYPE_MISMATCH);
  CHECK(open(u"\\foo") == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(open(u"\\foo\\bar") == STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(open(u"C:\\dir\\file") == STATUS_OBJECT_PATH_SYNTAX_BAD);
  CHECK(open(u"") == STATUS_OBJECT_PATH_SYNTAX_BAD);
  CHECK(nt.iosb->Status == STATUS_OBJECT_PATH_SYNTAX_BAD);
  // Device names are ordinary names inside a directory.
  CHECK(nt.touch(u"\\??\\C:\\dir\\NUL", FILE_CREATE) == STATUS_SUCCESS);
  CHECK(t.exists("c/dir/NUL"));
}

TEST_CASE("RootDirectory-relative names") {
  Tree t;
  Nt nt;
  t.dir("c/base");
  t.dir("c/base/Sub");
  t.put("c/base/Sub/leaf", "leaf");
  t.put("c/file", "f");
  HANDLE dir = 0, h = 0;
  REQUIRE(nt.create(u"\\??\\C:\\BASE", FILE_LIST_DIRECTORY | SYNCHRONIZE, SHARE_ALL, FILE_OPEN,
                    SYNC | FILE_DIRECTORY_FILE, dir) == STATUS_SUCCESS);
  REQUIRE(nt.create(u"sub\\LEAF", GENERIC_READ | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC, h, dir) ==
          STATUS_SUCCESS);
  CHECK(nt.name_of(h) == u"\\base\\Sub\\leaf");
  nt.close(h);
  REQUIRE(nt.create(u"new", RW, 0, FILE_CREATE, SYNC, h, dir) == STATUS_SUCCESS);
  nt.close(h);
  CHECK(t.exists("c/base/new"));
  // An empty name reopens the directory itself.
  REQUIRE(nt.create(u"", FILE_LIST_DIRECTORY | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC, h, dir) ==
          STATUS_SUCCESS);
  CHECK(nt.iosb->Information == FILE_OPENED);
  CHECK(nt.name_of(h) == u"\\base");
  nt.close(h);
  CHECK(nt.create(u"\\sub", RW, 0, FILE_OPEN, SYNC, h, dir) == STATUS_INVALID_PARAMETER);
  CHECK(nt.create(u"..\\file", RW, 0, FILE_OPEN, SYNC, h, dir) == STATUS_OBJECT_NAME_INVALID);
  CHECK(nt.create(u"x", RW, 0, FILE_OPEN, SYNC, h, 0xABC0) == STATUS_INVALID_HANDLE);
  nt.close(dir);

  // Relative to a file: only the empty name (reopen) is meaningful.
  HANDLE file = 0;
  REQUIRE(nt.create(u"\\??\\C:\\file", GENERIC_READ | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC,
                    file) == STATUS_SUCCESS);
  CHECK(nt.create(u"x", RW, 0, FILE_OPEN, SYNC, h, file) == STATUS_INVALID_PARAMETER);
  REQUIRE(nt.create(u"", GENERIC_READ | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC, h, file) ==
          STATUS_SUCCESS);
  std::string data;
  CHECK(nt.read(h, 10, data) == STATUS_SUCCESS);
  CHECK(data == "f");
  nt.close(h);
  nt.close(file);
}

TEST_CASE("directory options") {
  Tree t;
  Nt nt;
  t.put("c/file", "x");
  HANDLE h = 0;
  REQUIRE(nt.create(u"\\??\\C:\\newdir", FILE_LIST_DIRECTORY | SYNCHRONIZE, 0, FILE_CREATE,
                    SYNC | FILE_DIRECTORY_FILE, h) == STATUS_SUCCESS);
  CHECK(nt.iosb->Information == FILE_CREATED);
  nt.close(h);
  struct stat st;
  REQUIRE(stat((t.c + "/newdir").c_str(), &st) == 0);
  CHECK(S_ISDIR(st.st_mode));
  CHECK(nt.touch(u"\\??\\C:\\dir2\\", FILE_CREATE, FILE_DIRECTORY_FILE) == STATUS_SUCCESS);
  CHECK(nt.touch(u"\\??\\C:\\file2\\", FILE_CREATE) == STATUS_OBJECT_NAME_INVALID);
  CHECK_FALSE(t.exists("c/file2"));
  CHECK(nt.touch(u"\\??\\C:\\file", FILE_OPEN, FILE_DIRECTORY_FILE) == STATUS_NOT_A_DIRECTORY);
  CHECK(nt.touch(u"\\??\\C:\\file", FILE_OPEN_IF, FILE_DIRECTORY_FILE) == STATUS_NOT_A_DIRECTORY);
  CHECK(nt.touch(u"\\??\\C:\\file", FILE_CREATE, FILE_DIRECTORY_FILE) ==
        STATUS_OBJECT_NAME_COLLISION);
  CHECK(nt.touch(u"\\??\\C:\\newdir", FILE_OPEN, FILE_NON_DIRECTORY_FILE) ==
        STATUS_FILE_IS_A_DIRECTORY);
  CHECK(nt.touch(u"\\??\\C:\\newdir", FILE_OVERWRITE) == STATUS_OBJECT_NAME_COLLISION);
  CHECK(nt.touch(u"\\??\\C:\\newdir", FILE_OVERWRITE_IF, FILE_DIRECTORY_FILE) ==
        STATUS_INVALID_PARAMETER);
  CHECK(nt.touch(u"\\??\\C:\\newdir", FILE_OPEN, FILE_DIRECTORY_FILE | FILE_NON_DIRECTORY_FILE) ==
        STATUS_INVALID_PARAMETER);
  // A directory opened for writing is still a directory handle.
  REQUIRE(nt.create(u"\\??\\C:\\newdir", RW, SHARE_ALL, FILE_OPEN, SYNC, h) == STATUS_SUCCESS);
  std::string data;
  CHECK(nt.read(h, 10, data) == STATUS_INVALID_DEVICE_REQUEST);
  FILE_STANDARD_INFORMATION std{};
  CHECK(nt.query(h, FileStandardInformation, std) == STATUS_SUCCESS);
  CHECK(std.Directory == 1);
  nt.close(h);
}

TEST_CASE("create parameters are checked before the name") {
  Tree t;
  Nt nt;
  HANDLE h = 0;
  auto create = [&](ACCESS_MASK access, ULONG share, ULONG disp, ULONG options, ULONG attrs = 0) {
    return nt.create(u"\\??\\C:\\p", access, share, disp, options, h, 0, attrs);
  };
  CHECK(create(GENERIC_READ, 0, FILE_CREATE, SYNC) == STATUS_INVALID_PARAMETER);
  CHECK(create(RW, 0, FILE_CREATE, SYNC | FILE_SYNCHRONOUS_IO_ALERT) == STATUS_INVALID_PARAMETER);
  CHECK(create(RW, 0, FILE_CREATE, SYNC | FILE_DELETE_ON_CLOSE) == STATUS_INVALID_PARAMETER);
  CHECK(create(RW, 0, 6, SYNC) == STATUS_INVALID_PARAMETER);
  CHECK(create(RW, 8, FILE_CREATE, SYNC) == STATUS_INVALID_PARAMETER);
  CHECK(create(RW, 0, FILE_CREATE, 0x01000000) == STATUS_INVALID_PARAMETER);
  CHECK(create(RW, 0, FILE_CREATE, SYNC, FILE_ATTRIBUTE_DEVICE) == STATUS_INVALID_PARAMETER);
  CHECK(create(FILE_APPEND_DATA, 0, FILE_CREATE, FILE_NO_INTERMEDIATE_BUFFERING) ==
        STATUS_INVALID_PARAMETER);
  // The status block is untouched by parameter errors.
  CHECK(nt.iosb->Status == 0x1234);
  CHECK_FALSE(t.exists("c/p"));
  // Generic rights are mapped: GENERIC_ALL includes DELETE for the handle, not for the check.
  REQUIRE(create(GENERIC_ALL | SYNCHRONIZE, 0, FILE_CREATE, SYNC) == STATUS_SUCCESS);
  FILE_ACCESS_INFORMATION acc{};
  CHECK(nt.query(h, FileAccessInformation, acc) == STATUS_SUCCESS);
  CHECK(acc.AccessFlags == FILE_ALL_ACCESS);
  nt.close(h);
  REQUIRE(nt.create(u"\\??\\C:\\p", GENERIC_READ | GENERIC_WRITE, 0, FILE_OPEN, 0, h) ==
          STATUS_SUCCESS);
  CHECK(nt.query(h, FileAccessInformation, acc) == STATUS_SUCCESS);
  CHECK(acc.AccessFlags == (FILE_GENERIC_READ | FILE_GENERIC_WRITE));
  nt.close(h);
}

TEST_CASE("bad pointers give STATUS_ACCESS_VIOLATION and change nothing") {
  Tree t;
  Nt nt;
  const uint64_t wild = 0x10;  // never Windows memory
  auto* out = nt.a.get<HANDLE>();
  UserPtr<HANDLE> good_h(Arena::at(out));
  // A bad handle pointer: nothing gets created.
  CHECK(NtCreateFile(UserPtr<HANDLE>(wild), RW, nt.oa(u"\\??\\C:\\x"), nt.io(), UserPtr<int64_t>(),
                     0, 0, FILE_CREATE, SYNC, UserPtr<void>(), 0) == STATUS_ACCESS_VIOLATION);
  CHECK_FALSE(t.exists("c/x"));
  CHECK(NtCreateFile(good_h, RW, nt.oa(u"\\??\\C:\\x"), UserPtr<IO_STATUS_BLOCK>(wild),
                     UserPtr<int64_t>(), 0, 0, FILE_CREATE, SYNC, UserPtr<void>(),
                     0) == STATUS_ACCESS_VIOLATION);
  CHECK(NtCreateFile(good_h, RW, UserPtr<OBJECT_ATTRIBUTES>(wild), nt.io(), UserPtr<int64_t>(), 0,
                     0, FILE_CREATE, SYNC, UserPtr<void>(), 0) == STATUS_ACCESS_VIOLATION);
  CHECK(NtCreateFile(good_h, RW, nt.oa(u"\\??\\C:\\x"), nt.io(), UserPtr<int64_t>(wild), 0, 0,
                     FILE_CREATE, SYNC, UserPtr<void>(), 0) == STATUS_ACCESS_VIOLATION);
  CHECK_FALSE(t.exists("c/x"));
  // A name whose characters are not readable.
  auto oa = nt.oa(u"\\??\\C:\\x");
  auto* us = reinterpret_cast<UNICODE_STRING*>(
      reinterpret_cast<OBJECT_ATTRIBUTES*>(oa.addr())->ObjectName);
  us->Buffer = wild;
  CHECK(NtCreateFile(good_h, RW, oa, nt.io(), UserPtr<int64_t>(), 0, 0, FILE_CREATE, SYNC,
                     UserPtr<void>(), 0) == STATUS_ACCESS_VIOLATION);
  // No OBJECT_ATTRIBUTES at all is a parameter error; no ObjectName is an empty name.
  CHECK(NtCreateFile(good_h, RW, UserPtr<OBJECT_ATTRIBUTES>(), nt.io(), UserPtr<int64_t>(), 0, 0,
                     FILE_CREATE, SYNC, UserPtr<void>(), 0) == STATUS_INVALID_PARAMETER);
  auto no_name = nt.oa(u"\\??\\C:\\x");
  reinterpret_cast<OBJECT_ATTRIBUTES*>(no_name.addr())->ObjectName = 0;
  CHECK(NtCreateFile(good_h, RW, no_name, nt.io(), UserPtr<int64_t>(), 0, 0, FILE_CREATE, SYNC,
                     UserPtr<void>(), 0) == STATUS_OBJECT_PATH_SYNTAX_BAD);
  // The services that capture OBJECT_ATTRIBUTES themselves call a missing one a bad pointer.
  CHECK(NtQueryAttributesFile(UserPtr<OBJECT_ATTRIBUTES>(), UserPtr<void>(nt.a.base())) ==
        STATUS_ACCESS_VIOLATION);
  CHECK(NtDeleteFile(UserPtr<OBJECT_ATTRIBUTES>()) == STATUS_ACCESS_VIOLATION);
  // An OBJECT_ATTRIBUTES with a wrong Length.
  auto oa2 = nt.oa(u"\\??\\C:\\x");
  reinterpret_cast<OBJECT_ATTRIBUTES*>(oa2.addr())->Length = 24;
  CHECK(NtCreateFile(good_h, RW, oa2, nt.io(), UserPtr<int64_t>(), 0, 0, FILE_CREATE, SYNC,
                     UserPtr<void>(), 0) == STATUS_INVALID_PARAMETER);
  CHECK_FALSE(t.exists("c/x"));

  // Read and write buffers.
  HANDLE h = 0;
  REQUIRE(nt.create(u"\\??\\C:\\x", RW, 0, FILE_CREATE, SYNC, h) == STATUS_SUCCESS);
  REQUIRE(nt.write(h, "content") == STATUS_SUCCESS);
  int64_t zero = 0;
  auto* off = nt.a.get<int64_t>();
  *off = zero;
  CHECK(NtReadFile(h, 0, UserPtr<void>(), UserPtr<void>(), nt.io(), UserPtr<void>(wild), 4,
                   UserPtr<int64_t>(Arena::at(off)), UserPtr<ULONG>()) == STATUS_ACCESS_VIOLATION);
  CHECK(NtWriteFile(h, 0, UserPtr<void>(), UserPtr<void>(), nt.io(), UserPtr<void>(wild), 4,
                    UserPtr<int64_t>(Arena::at(off)), UserPtr<ULONG>()) == STATUS_ACCESS_VIOLATION);
  CHECK(NtReadFile(h, 0, UserPtr<void>(), UserPtr<void>(), UserPtr<IO_STATUS_BLOCK>(wild),
                   UserPtr<void>(Arena::at(nt.a.bytes(8))), 4, UserPtr<int64_t>(Arena::at(off)),
                   UserPtr<ULONG>()) == STATUS_ACCESS_VIOLATION);
  // A buffer that runs off the end of the Windows memory.
  CHECK(NtReadFile(h, 0, UserPtr<void>(), UserPtr<void>(), nt.io(),
                   UserPtr<void>(nt.a.base() + nt.a.size - 2), 4, UserPtr<int64_t>(Arena::at(off)),
                   UserPtr<ULONG>()) == STATUS_ACCESS_VIOLATION);
  CHECK(NtQueryInformationFile(h, nt.io(), UserPtr<void>(wild), 40, FileBasicInformation) ==
        STATUS_ACCESS_VIOLATION);
  CHECK(NtQueryAttributesFile(nt.oa(u"\\??\\C:\\x"), UserPtr<void>(wild)) ==
        STATUS_ACCESS_VIOLATION);
  nt.close(h);
  CHECK(t.get("c/x") == "content");
}

// The position lives in the file object, or (kmod entry) in the Linux fd's offset: the same
// behaviour either way.
static void check_synchronous_positions(bool in_fd) {
  CAPTURE(in_fd);
  FileObject::keep_positions_in_fd(in_fd);
  Tree t;
  Nt nt;
  HANDLE h = 0;
  REQUIRE(nt.create(u"\\??\\C:\\pos", RW, 0, FILE_CREATE, SYNC, h) == STATUS_SUCCESS);
  REQUIRE(nt.write(h, "0123456789") == STATUS_SUCCESS);
  CHECK(nt.iosb->Information == 10);
  FILE_POSITION_INFORMATION pos{};
  CHECK(nt.query(h, FilePositionInformation, pos) == STATUS_SUCCESS);
  CHECK(pos.CurrentByteOffset == 10);

  std::string data;
  // At the end: STATUS_END_OF_FILE, the status block left alone.
  CHECK(nt.read(h, 4, data) == STATUS_END_OF_FILE);
  CHECK(nt.iosb->Status == 0x1234);
  int64_t past = 100;
  CHECK(nt.read(h, 4, data, &past) == STATUS_END_OF_FILE);
  // A zero-length read succeeds anywhere.
  CHECK(nt.read(h, 0, data, &past) == STATUS_SUCCESS);
  CHECK(nt.iosb->Status == STATUS_SUCCESS);
  CHECK(nt.iosb->Information == 0);

  pos.CurrentByteOffset = 2;
  REQUIRE(nt.set(h, FilePositionInformation, &pos, sizeof pos) == STATUS_SUCCESS);
  CHECK(nt.read(h, 3, data) == STATUS_SUCCESS);
  CHECK(data == "234");
  CHECK(nt.read(h, 3, data) == STATUS_SUCCESS);
  CHECK(data == "567");
  // An explicit offset moves the position too; FILE_USE_FILE_POINTER_POSITION uses it.
  int64_t at = 1;
  CHECK(nt.read(h, 2, data, &at) == STATUS_SUCCESS);
  CHECK(data == "12");
  int64_t current = FILE_USE_FILE_POINTER_POSITION;
  CHECK(nt.read(h, 2, data, &current) == STATUS_SUCCESS);
  CHECK(data == "34");
  // A partial read at the end.
  at = 8;
  CHECK(nt.read(h, 10, data, &at) == STATUS_SUCCESS);
  CHECK(data == "89");
  CHECK(nt.iosb->Information == 2);
  int64_t bad = -5;
  CHECK(nt.read(h, 2, data, &bad) == STATUS_INVALID_PARAMETER);
  int64_t end = FILE_WRITE_TO_END_OF_FILE;
  CHECK(nt.read(h, 2, data, &end) == STATUS_INVALID_PARAMETER);
  // FILE_WRITE_TO_END_OF_FILE appends.
  CHECK(nt.write(h, "AB", &end) == STATUS_SUCCESS);
  CHECK(nt.query(h, FilePositionInformation, pos) == STATUS_SUCCESS);
  CHECK(pos.CurrentByteOffset == 12);
  if (in_fd) {
    // What the kernel's hot path sees: the fd's own offset is the handle's position.
    std::shared_ptr<FileObject> f;
    REQUIRE(current_process().handles.reference<FileObject>(h, 0, f) == STATUS_SUCCESS);
    CHECK(lseek(f->fd, 0, SEEK_CUR) == 12);
  }
  nt.close(h);
  CHECK(t.get("c/pos") == "0123456789AB");
  FileObject::keep_positions_in_fd(false);
}

TEST_CASE("synchronous handles keep the file position") {
  check_synchronous_positions(false);
}

TEST_CASE("synchronous handles keep the file position in the fd (kmod entry)") {
  check_synchronous_positions(true);
}

TEST_CASE("synchronous handles keep the file position through the fast gate's file lane") {
  LaneScope lane(true);
  check_synchronous_positions(false);
  // Of its 12 reads and writes, the lane declines the three with a ByteOffset it leaves to
  // the service (-5, and FILE_WRITE_TO_END_OF_FILE twice), and at most the first, before the
  // thread's address-space cache has seen the arena.
  CHECK(g_lane.declined >= 3);
  CHECK(g_lane.declined <= 4);
  CHECK(g_lane.served + g_lane.declined == 12);
}

TEST_CASE("asynchronous handles need a ByteOffset") {
  for (bool lane : {false, true}) {  // the service alone; the gate's file lane first
    CAPTURE(lane);
    LaneScope scope(lane);
    Tree t;
    Nt nt;
    t.put("c/a", "abcdef");
    HANDLE h = 0;
    REQUIRE(nt.create(u"\\??\\C:\\a", GENERIC_READ | GENERIC_WRITE, 0, FILE_OPEN, 0, h) ==
            STATUS_SUCCESS);
    std::string data;
    CHECK(nt.read(h, 2, data) == STATUS_INVALID_PARAMETER);
    CHECK(nt.write(h, "x") == STATUS_INVALID_PARAMETER);
    int64_t current = FILE_USE_FILE_POINTER_POSITION;
    CHECK(nt.read(h, 2, data, &current) == STATUS_INVALID_PARAMETER);
    int64_t at = 3;
    CHECK(nt.read(h, 2, data, &at) == STATUS_SUCCESS);
    CHECK(data == "de");
    at = 6;
    CHECK(nt.read(h, 2, data, &at) == STATUS_END_OF_FILE);
    at = 0;
    CHECK(nt.write(h, "X", &at) == STATUS_SUCCESS);
    nt.close(h);
    CHECK(t.get("c/a") == "Xbcdef");
  }
}

TEST_CASE("append-only handles write at the end") {
  for (bool lane : {false, true}) {  // the service alone; the gate's file lane first
    CAPTURE(lane);
    LaneScope scope(lane);
    Tree t;
    Nt nt;
    t.put("c/log", "one");
    HANDLE h = 0;
    REQUIRE(nt.create(u"\\??\\C:\\log", FILE_APPEND_DATA | SYNCHRONIZE, 0, FILE_OPEN, SYNC, h) ==
            STATUS_SUCCESS);
    int64_t at = 0;
    CHECK(nt.write(h, "two", &at) == STATUS_SUCCESS);
    CHECK(nt.write(h, "three") == STATUS_SUCCESS);
    std::string data;
    CHECK(nt.read(h, 3, data, &at) == STATUS_ACCESS_DENIED);
    nt.close(h);
    CHECK(t.get("c/log") == "onetwothree");
  }
}

TEST_CASE("access is checked per handle") {
  for (bool lane : {false, true}) {  // the service alone; the gate's file lane first
    CAPTURE(lane);
    LaneScope scope(lane);
    Tree t;
    Nt nt;
    t.put("c/f", "data");
    HANDLE ro = 0, wo = 0, none = 0;
    REQUIRE(nt.create(u"\\??\\C:\\f", GENERIC_READ | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC, ro) ==
            STATUS_SUCCESS);
    CHECK(nt.write(ro, "x") == STATUS_ACCESS_DENIED);
    CHECK(nt.iosb->Status == 0x1234);
    IO_STATUS_BLOCK* io = nt.iosb;
    CHECK(NtFlushBuffersFile(ro, nt.io()) == STATUS_ACCESS_DENIED);
    FILE_END_OF_FILE_INFORMATION eof{0};
    CHECK(nt.set(ro, FileEndOfFileInformation, &eof, sizeof eof) == STATUS_ACCESS_DENIED);
    CHECK(nt.dispose(ro, true) == STATUS_ACCESS_DENIED);

    REQUIRE(nt.create(u"\\??\\C:\\f", FILE_WRITE_DATA | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC,
                      wo) == STATUS_SUCCESS);
    std::string data;
    CHECK(nt.read(wo, 4, data) == STATUS_ACCESS_DENIED);
    FILE_BASIC_INFORMATION basic{};
    CHECK(nt.query(wo, FileBasicInformation, basic) == STATUS_ACCESS_DENIED);
    CHECK(NtFlushBuffersFile(wo, nt.io()) == STATUS_SUCCESS);
    CHECK(io->Status == STATUS_SUCCESS);

    // A second handle to the same file object with fewer rights (as NtDuplicateObject makes):
    // its own access decides, and a handle that may only append writes at the end.
    std::shared_ptr<FileObject> object;
    REQUIRE(current_process().handles.reference<FileObject>(wo, 0, object) == STATUS_SUCCESS);
    HANDLE reader = 0, appender = 0;
    REQUIRE(current_process().handles.insert(object, FILE_READ_DATA | SYNCHRONIZE, 0, reader) ==
            STATUS_SUCCESS);
    CHECK(nt.write(reader, "x") == STATUS_ACCESS_DENIED);
    REQUIRE(current_process().handles.insert(object, FILE_APPEND_DATA | SYNCHRONIZE, 0, appender) ==
            STATUS_SUCCESS);
    int64_t at_start = 0;
    CHECK(nt.write(appender, "+", &at_start) == STATUS_SUCCESS);
    CHECK(t.get("c/f") == "data+");
    nt.close(reader);
    nt.close(appender);
    object.reset();

    REQUIRE(nt.create(u"\\??\\C:\\f", 0, 0, FILE_OPEN, 0, none) == STATUS_SUCCESS);
    FILE_STANDARD_INFORMATION std{};
    CHECK(nt.query(none, FileStandardInformation, std) == STATUS_SUCCESS);
    CHECK(std.EndOfFile == 5);  // "data+"
    CHECK(nt.query(none, FileBasicInformation, basic) == STATUS_ACCESS_DENIED);
    nt.close(ro);
    nt.close(wo);
    nt.close(none);
  }
}

TEST_CASE("invalid handles and handles of other objects") {
  for (bool lane : {false, true}) {  // the service alone; the gate's file lane first
    CAPTURE(lane);
    LaneScope scope(lane);
    Tree t;
    Nt nt;
    std::string data;
    CHECK(nt.read(0xBEE0, 4, data) == STATUS_INVALID_HANDLE);
    CHECK(nt.write(0xBEE0, "x") == STATUS_INVALID_HANDLE);
    FILE_BASIC_INFORMATION basic;
    CHECK(nt.query(0xBEE0, FileBasicInformation, basic) == STATUS_INVALID_HANDLE);
    CHECK(NtFlushBuffersFile(0xBEE0, nt.io()) == STATUS_INVALID_HANDLE);
    CHECK(list(nt, 0xBEE0).status == STATUS_INVALID_HANDLE);
    CHECK(nt.iosb->Status == 0x1234);
    HANDLE ev = 0;
    REQUIRE(current_process().handles.insert(
                std::make_shared<EventObject>(NotificationEvent, false), 0x1F0003, 0, ev) ==
            STATUS_SUCCESS);
    CHECK(nt.read(ev, 4, data) == STATUS_OBJECT_TYPE_MISMATCH);
    CHECK(nt.query(ev, FileBasicInformation, basic) == STATUS_OBJECT_TYPE_MISMATCH);
    HANDLE h = 0;
    CHECK(nt.create(u"x", RW, 0, FILE_CREATE, SYNC, h, ev) == STATUS_OBJECT_TYPE_MISMATCH);
    nt.close(ev);
  }
}

TEST_CASE("share modes across handles") {
  Tree t;
  Nt nt;
  t.put("c/s", "data");
  HANDLE a = 0, b = 0;
  REQUIRE(nt.create(u"\\??\\C:\\s", GENERIC_READ | SYNCHRONIZE, FILE_SHARE_READ, FILE_OPEN, SYNC,
                    a) == STATUS_SUCCESS);
  // Another reader sharing reads is fine; a writer, or a reader that refuses to share the
  // reading already going on, is not.
  REQUIRE(nt.create(u"\\??\\C:\\S", GENERIC_READ | SYNCHRONIZE, FILE_SHARE_READ, FILE_OPEN, SYNC,
                    b) == STATUS_SUCCESS);
  nt.close(b);
  CHECK(nt.create(u"\\??\\C:\\s", RW, SHARE_ALL, FILE_OPEN, SYNC, b) == STATUS_SHARING_VIOLATION);
  CHECK(nt.iosb->Status == STATUS_SHARING_VIOLATION);
  CHECK(nt.create(u"\\??\\C:\\s", GENERIC_READ | SYNCHRONIZE, FILE_SHARE_WRITE, FILE_OPEN, SYNC,
                  b) == STATUS_SHARING_VIOLATION);
  // Handles asking for no data access never conflict.
  REQUIRE(nt.create(u"\\??\\C:\\s", FILE_READ_ATTRIBUTES, 0, FILE_OPEN, 0, b) == STATUS_SUCCESS);
  nt.close(b);
  // Overwriting needs write sharing: the data survives the refused attempt.
  CHECK(nt.create(u"\\??\\C:\\s", RW, SHARE_ALL, FILE_OVERWRITE_IF, SYNC, b) ==
        STATUS_SHARING_VIOLATION);
  CHECK(t.get("c/s") == "data");
  CHECK(nt.delete_file(u"\\??\\C:\\s") == STATUS_SHARING_VIOLATION);
  nt.close(a);
  // Once the handle is gone, so is its claim.
  REQUIRE(nt.create(u"\\??\\C:\\s", RW, 0, FILE_OPEN, SYNC, a) == STATUS_SUCCESS);
  CHECK(nt.create(u"\\??\\C:\\s", GENERIC_READ | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC, b) ==
        STATUS_SHARING_VIOLATION);
  nt.close(a);
  // Sharing follows the file, not the name: a host hard link is the same file.
  REQUIRE(link((t.c + "/s").c_str(), (t.c + "/hard").c_str()) == 0);
  REQUIRE(nt.create(u"\\??\\C:\\s", RW, 0, FILE_OPEN, SYNC, a) == STATUS_SUCCESS);
  CHECK(nt.create(u"\\??\\C:\\hard", RW, SHARE_ALL, FILE_OPEN, SYNC, b) ==
        STATUS_SHARING_VIOLATION);
  nt.close(a);
}

TEST_CASE("delete on close, delete pending, undelete") {
  Tree t;
  Nt nt;
  HANDLE h = 0, other = 0;
  REQUIRE(nt.create(u"\\??\\C:\\tmp", RW | DELETE, FILE_SHARE_READ | FILE_SHARE_DELETE, FILE_CREATE,
                    SYNC | FILE_DELETE_ON_CLOSE, h) == STATUS_SUCCESS);
  FILE_MODE_INFORMATION mode{};
  CHECK(nt.query(h, FileModeInformation, mode) == STATUS_SUCCESS);
  CHECK(mode.Mode == (SYNC | FILE_DELETE_ON_CLOSE));
  // While the delete-on-close handle is open the file can still be opened.
  REQUIRE(nt.create(u"\\??\\C:\\tmp", GENERIC_READ | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC,
                    other) == STATUS_SUCCESS);
  nt.close(h);
  // Closed: now it is delete-pending until the last handle goes.
  CHECK(t.exists("c/tmp"));
  HANDLE again = 0;
  CHECK(nt.create(u"\\??\\C:\\tmp", FILE_READ_ATTRIBUTES, SHARE_ALL, FILE_OPEN, 0, again) ==
        STATUS_DELETE_PENDING);
  FILE_STANDARD_INFORMATION std{};
  CHECK(nt.query(other, FileStandardInformation, std) == STATUS_SUCCESS);
  CHECK(std.DeletePending == 1);
  nt.close(other);
  CHECK_FALSE(t.exists("c/tmp"));

  // FileDispositionInformation, then undone.
  t.put("c/keep", "k");
  REQUIRE(nt.create(u"\\??\\C:\\keep", DELETE | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC, h) ==
          STATUS_SUCCESS);
  REQUIRE(nt.dispose(h, true) == STATUS_SUCCESS);
  CHECK(nt.touch(u"\\??\\C:\\keep", FILE_OPEN) == STATUS_DELETE_PENDING);
  CHECK(nt.touch(u"\\??\\C:\\KEEP", FILE_OVERWRITE_IF) == STATUS_DELETE_PENDING);
  REQUIRE(nt.dispose(h, false) == STATUS_SUCCESS);
  nt.close(h);
  CHECK(t.get("c/keep") == "k");

  // POSIX semantics: the name goes when the handle that asked closes; other handles keep
  // working on the now nameless file.
  HANDLE h2 = 0;
  REQUIRE(nt.create(u"\\??\\C:\\keep", RW | DELETE, SHARE_ALL, FILE_OPEN, SYNC, h) ==
          STATUS_SUCCESS);
  REQUIRE(nt.create(u"\\??\\C:\\keep", GENERIC_READ | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC,
                    h2) == STATUS_SUCCESS);
  FILE_DISPOSITION_INFORMATION_EX ex{FILE_DISPOSITION_DELETE | FILE_DISPOSITION_POSIX_SEMANTICS};
  REQUIRE(nt.set(h, FileDispositionInformationEx, &ex, sizeof ex) == STATUS_SUCCESS);
  CHECK(t.exists("c/keep"));
  CHECK(nt.touch(u"\\??\\C:\\keep", FILE_OPEN) == STATUS_DELETE_PENDING);
  nt.close(h);
  CHECK_FALSE(t.exists("c/keep"));
  std::string data;
  CHECK(nt.read(h2, 4, data) == STATUS_SUCCESS);
  CHECK(data == "k");
  REQUIRE(nt.query(h2, FileStandardInformation, std) == STATUS_SUCCESS);
  CHECK(std.DeletePending == 1);
  CHECK(std.NumberOfLinks == 0);
  CHECK(nt.touch(u"\\??\\C:\\keep", FILE_OPEN) == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(nt.touch(u"\\??\\C:\\keep", FILE_CREATE) == STATUS_SUCCESS);
  nt.close(h2);
  CHECK(t.exists("c/keep"));

  // FILE_DISPOSITION_ON_CLOSE: only for handles opened with FILE_DELETE_ON_CLOSE, and it can
  // take that back.
  REQUIRE(nt.create(u"\\??\\C:\\keep", DELETE | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC, h) ==
          STATUS_SUCCESS);
  ex.Flags = FILE_DISPOSITION_DELETE | FILE_DISPOSITION_ON_CLOSE;
  CHECK(nt.set(h, FileDispositionInformationEx, &ex, sizeof ex) == STATUS_NOT_SUPPORTED);
  nt.close(h);
  REQUIRE(nt.create(u"\\??\\C:\\keep", DELETE | SYNCHRONIZE, SHARE_ALL, FILE_OPEN,
                    SYNC | FILE_DELETE_ON_CLOSE, h) == STATUS_SUCCESS);
  ex.Flags = FILE_DISPOSITION_DO_NOT_DELETE | FILE_DISPOSITION_ON_CLOSE;
  REQUIRE(nt.set(h, FileDispositionInformationEx, &ex, sizeof ex) == STATUS_SUCCESS);
  nt.close(h);
  CHECK(t.exists("c/keep"));

  // A delete-on-close handle closing while another (sharing delete) stays: the other sees the
  // file delete-pending and can take it back.
  REQUIRE(nt.create(u"\\??\\C:\\keep", DELETE | SYNCHRONIZE, FILE_SHARE_DELETE, FILE_OPEN,
                    SYNC | FILE_DELETE_ON_CLOSE, h) == STATUS_SUCCESS);
  REQUIRE(nt.create(u"\\??\\C:\\keep", DELETE | SYNCHRONIZE, FILE_SHARE_DELETE, FILE_OPEN, SYNC,
                    h2) == STATUS_SUCCESS);
  nt.close(h);
  REQUIRE(nt.query(h2, FileStandardInformation, std) == STATUS_SUCCESS);
  CHECK(std.DeletePending == 1);
  REQUIRE(nt.dispose(h2, false) == STATUS_SUCCESS);
  nt.close(h2);
  CHECK(t.exists("c/keep"));

  // Read-only files cannot be deleted.
  t.put("c/ro", "r");
  chmod((t.c + "/ro").c_str(), 0444);
  REQUIRE(nt.create(u"\\??\\C:\\ro", DELETE | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC, h) ==
          STATUS_SUCCESS);
  CHECK(nt.dispose(h, true) == STATUS_CANNOT_DELETE);
  nt.close(h);
  CHECK(nt.create(u"\\??\\C:\\ro", DELETE | SYNCHRONIZE, SHARE_ALL, FILE_OPEN,
                  SYNC | FILE_DELETE_ON_CLOSE, h) == STATUS_CANNOT_DELETE);
  CHECK(nt.delete_file(u"\\??\\C:\\ro") == STATUS_CANNOT_DELETE);
  CHECK(t.exists("c/ro"));
}

TEST_CASE("directories: not empty, NtDeleteFile") {
  Tree t;
  Nt nt;
  t.dir("c/full");
  t.put("c/full/x", "x");
  t.dir("c/empty");
  HANDLE h = 0;
  REQUIRE(nt.create(u"\\??\\C:\\full", DELETE | SYNCHRONIZE, SHARE_ALL, FILE_OPEN,
                    SYNC | FILE_DIRECTORY_FILE, h) == STATUS_SUCCESS);
  CHECK(nt.dispose(h, true) == STATUS_DIRECTORY_NOT_EMPTY);
  nt.close(h);
  CHECK(nt.create(u"\\??\\C:\\full", DELETE | SYNCHRONIZE, SHARE_ALL, FILE_OPEN,
                  SYNC | FILE_DIRECTORY_FILE | FILE_DELETE_ON_CLOSE,
                  h) == STATUS_DIRECTORY_NOT_EMPTY);
  CHECK(nt.delete_file(u"\\??\\C:\\full") == STATUS_DIRECTORY_NOT_EMPTY);
  CHECK(t.exists("c/full"));
  CHECK(nt.delete_file(u"\\??\\C:\\FULL\\X") == STATUS_SUCCESS);
  CHECK_FALSE(t.exists("c/full/x"));
  CHECK(nt.delete_file(u"\\??\\C:\\full") == STATUS_SUCCESS);
  CHECK_FALSE(t.exists("c/full"));
  CHECK(nt.delete_file(u"\\??\\C:\\missing") == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(nt.delete_file(u"\\??\\C:\\") == STATUS_CANNOT_DELETE);
  REQUIRE(nt.create(u"\\??\\C:\\empty", DELETE | SYNCHRONIZE, SHARE_ALL, FILE_OPEN,
                    SYNC | FILE_DIRECTORY_FILE, h) == STATUS_SUCCESS);
  CHECK(nt.dispose(h, true) == STATUS_SUCCESS);
  nt.close(h);
  CHECK_FALSE(t.exists("c/empty"));
}

TEST_CASE("rename") {
  Tree t;
  Nt nt;
  t.dir("c/dir");
  t.dir("c/other");
  t.put("c/dir/a", "A");
  t.put("c/dir/B", "B");
  HANDLE h = 0;
  REQUIRE(nt.create(u"\\??\\C:\\dir\\a", DELETE | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC, h) ==
          STATUS_SUCCESS);
  // A bare name renames within the directory.
  CHECK(nt.rename(h, u"a2") == STATUS_SUCCESS);
  CHECK(t.get("c/dir/a2") == "A");
  CHECK(nt.name_of(h) == u"\\dir\\a2");
  // An existing target (matched case-insensitively) needs ReplaceIfExists.
  CHECK(nt.rename(h, u"\\??\\C:\\dir\\b") == STATUS_OBJECT_NAME_COLLISION);
  CHECK(nt.rename(h, u"\\??\\C:\\dir\\b", true) == STATUS_SUCCESS);
  CHECK(t.get("c/dir/b") == "A");
  CHECK_FALSE(t.exists("c/dir/B"));
  // Across directories, with a case-only change, relative to a directory handle.
  CHECK(nt.rename(h, u"\\??\\C:\\OTHER\\Moved") == STATUS_SUCCESS);
  CHECK(t.get("c/other/Moved") == "A");
  CHECK(nt.rename(h, u"\\??\\C:\\other\\MOVED") == STATUS_SUCCESS);
  CHECK(t.get("c/other/MOVED") == "A");
  CHECK_FALSE(t.exists("c/other/Moved"));
  HANDLE dir = 0;
  REQUIRE(nt.create(u"\\??\\C:\\dir", FILE_LIST_DIRECTORY | SYNCHRONIZE, SHARE_ALL, FILE_OPEN,
                    SYNC | FILE_DIRECTORY_FILE, dir) == STATUS_SUCCESS);
  CHECK(nt.rename(h, u"back", false, dir) == STATUS_SUCCESS);
  CHECK(t.get("c/dir/back") == "A");
  CHECK(nt.name_of(h) == u"\\dir\\back");
  // Missing target directory, another drive, no such prefix, relative without a root.
  CHECK(nt.rename(h, u"\\??\\C:\\nodir\\x") == STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(nt.rename(h, u"\\??\\D:\\x") == STATUS_NOT_SAME_DEVICE);
  CHECK(nt.rename(h, u"\\??\\C:\\dir\\bad*name") == STATUS_OBJECT_NAME_INVALID);
  CHECK(nt.rename(h, u"\\??\\C:\\dir\\back\\inside") == STATUS_INVALID_PARAMETER);
  CHECK(nt.rename(h, u"dir\\x") == STATUS_OBJECT_PATH_SYNTAX_BAD);
  // Replacing an open file or a directory is refused.
  t.put("c/dir/b", "other");
  HANDLE open_b = 0;
  REQUIRE(nt.create(u"\\??\\C:\\dir\\b", GENERIC_READ | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC,
                    open_b) == STATUS_SUCCESS);
  CHECK(nt.rename(h, u"\\??\\C:\\dir\\b", true) == STATUS_ACCESS_DENIED);
  nt.close(open_b);
  CHECK(nt.rename(h, u"\\??\\C:\\other", true) == STATUS_ACCESS_DENIED);
  // Without DELETE access there is no renaming.
  HANDLE ro = 0;
  REQUIRE(nt.create(u"\\??\\C:\\dir\\b", GENERIC_READ | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC,
                    ro) == STATUS_SUCCESS);
  CHECK(nt.rename(ro, u"zzz") == STATUS_ACCESS_DENIED);
  nt.close(ro);
  nt.close(h);
  // A directory with an open file below it cannot move; once closed it can.
  HANDLE child = 0;
  REQUIRE(nt.create(u"\\??\\C:\\dir\\back", GENERIC_READ | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC,
                    child) == STATUS_SUCCESS);
  HANDLE d2 = 0;
  REQUIRE(nt.create(u"\\??\\C:\\dir", DELETE | SYNCHRONIZE, SHARE_ALL, FILE_OPEN,
                    SYNC | FILE_DIRECTORY_FILE, d2) == STATUS_SUCCESS);
  CHECK(nt.rename(d2, u"\\??\\C:\\dir3") == STATUS_ACCESS_DENIED);
  nt.close(child);
  CHECK(nt.rename(d2, u"\\??\\C:\\dir3") == STATUS_SUCCESS);
  CHECK(t.get("c/dir3/back") == "A");
  // Handles that live on follow the rename.
  CHECK(nt.name_of(dir) == u"\\dir3");
  nt.close(d2);
  nt.close(dir);
}

TEST_CASE("query information classes") {
  Tree t;
  Nt nt;
  t.dir("c/d");
  HANDLE h = 0;
  int64_t before = current_system_time();
  REQUIRE(nt.create(u"\\??\\C:\\d\\Info.txt", RW, SHARE_ALL, FILE_CREATE, SYNC, h) ==
          STATUS_SUCCESS);
  REQUIRE(nt.write(h, "0123456789") == STATUS_SUCCESS);

  FILE_BASIC_INFORMATION basic{};
  REQUIRE(nt.query(h, FileBasicInformation, basic) == STATUS_SUCCESS);
  CHECK(nt.iosb->Information == sizeof basic);
  CHECK(basic.FileAttributes == FILE_ATTRIBUTE_ARCHIVE);
  CHECK(basic.LastWriteTime >= before - 20'000'000);
  CHECK(basic.LastWriteTime <= current_system_time() + 20'000'000);
  CHECK(basic.CreationTime > 0);

  FILE_STANDARD_INFORMATION std{};
  REQUIRE(nt.query(h, FileStandardInformation, std) == STATUS_SUCCESS);
  CHECK(std.EndOfFile == 10);
  CHECK(std.NumberOfLinks == 1);
  CHECK(std.Directory == 0);
  CHECK(std.DeletePending == 0);

  FILE_INTERNAL_INFORMATION internal{};
  REQUIRE(nt.query(h, FileInternalInformation, internal) == STATUS_SUCCESS);
  struct stat st;
  REQUIRE(stat((t.c + "/d/Info.txt").c_str(), &st) == 0);
  CHECK(internal.IndexNumber == static_cast<int64_t>(st.st_ino));

  CHECK(nt.name_of(h) == u"\\d\\Info.txt");
  std::vector<uint8_t> buf;
  // Too small for the fixed part; big enough for part of the name.
  CHECK(nt.query_bytes(h, FileNameInformation, buf, 7) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(nt.query_bytes(h, FileNameInformation, buf, 10) == STATUS_BUFFER_OVERFLOW);
  CHECK(nt.iosb->Status == STATUS_BUFFER_OVERFLOW);
  CHECK(nt.iosb->Information == 10);
  ULONG len;
  std::memcpy(&len, buf.data(), 4);
  CHECK(len == 22);
  CHECK(buf[4] == '\\');
  CHECK(buf[10] == 0x55);

  // FileAllInformation: everything, the name cut when the buffer is short.
  REQUIRE(nt.query_bytes(h, FileAllInformation, buf, 200) == STATUS_SUCCESS);
  FILE_ALL_INFORMATION all;
  std::memcpy(&all, buf.data(), sizeof all);
  CHECK(all.StandardInformation.EndOfFile == 10);
  CHECK(all.PositionInformation.CurrentByteOffset == 10);
  CHECK(all.AccessInformation.AccessFlags == (FILE_GENERIC_READ | FILE_GENERIC_WRITE));
  CHECK(all.ModeInformation.Mode == SYNC);
  CHECK(all.NameInformation.FileNameLength == 22);
  CHECK(nt.iosb->Information == offsetof(FILE_ALL_INFORMATION, NameInformation.FileName) + 22);
  CHECK(nt.query_bytes(h, FileAllInformation, buf, sizeof(FILE_ALL_INFORMATION)) ==
        STATUS_BUFFER_OVERFLOW);
  CHECK(nt.query_bytes(h, FileAllInformation, buf, sizeof(FILE_ALL_INFORMATION) - 1) ==
        STATUS_INFO_LENGTH_MISMATCH);

  FILE_NETWORK_OPEN_INFORMATION net{};
  REQUIRE(nt.query(h, FileNetworkOpenInformation, net) == STATUS_SUCCESS);
  CHECK(net.EndOfFile == 10);
  CHECK(net.FileAttributes == FILE_ATTRIBUTE_ARCHIVE);
  FILE_ATTRIBUTE_TAG_INFORMATION tag{};
  REQUIRE(nt.query(h, FileAttributeTagInformation, tag) == STATUS_SUCCESS);
  CHECK(tag.FileAttributes == FILE_ATTRIBUTE_ARCHIVE);
  CHECK(tag.ReparseTag == 0);

  REQUIRE(nt.query_bytes(h, FileStreamInformation, buf, 64) == STATUS_SUCCESS);
  FILE_STREAM_INFORMATION stream;
  std::memcpy(&stream, buf.data(), 24);
  CHECK(stream.NextEntryOffset == 0);
  CHECK(stream.StreamNameLength == 14);
  CHECK(stream.StreamSize == 10);
  CHECK(std::u16string(reinterpret_cast<const char16_t*>(buf.data() + 24), 7) == u"::$DATA");
  CHECK(nt.iosb->Information == 38);

  CHECK(nt.query(h, FileBasicInformation, basic, 39) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(nt.query(h, FileRenameInformation, basic) == STATUS_INVALID_INFO_CLASS);
  CHECK(nt.query(h, 0, basic) == STATUS_INVALID_INFO_CLASS);
  CHECK(nt.query(h, 200, basic) == STATUS_INVALID_INFO_CLASS);

  // End of file: shrink and grow.
  FILE_END_OF_FILE_INFORMATION eof{4};
  REQUIRE(nt.set(h, FileEndOfFileInformation, &eof, sizeof eof) == STATUS_SUCCESS);
  CHECK(t.get("c/d/Info.txt") == "0123");
  eof.EndOfFile = 6;
  REQUIRE(nt.set(h, FileEndOfFileInformation, &eof, sizeof eof) == STATUS_SUCCESS);
  CHECK(t.get("c/d/Info.txt") == std::string("0123\0\0", 6));
  eof.EndOfFile = -1;
  CHECK(nt.set(h, FileEndOfFileInformation, &eof, sizeof eof) == STATUS_INVALID_PARAMETER);
  CHECK(nt.set(h, FileEndOfFileInformation, &eof, 7) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(nt.set(h, FileStandardInformation, &eof, sizeof eof) == STATUS_INVALID_INFO_CLASS);
  nt.close(h);

  // A directory.
  REQUIRE(nt.create(u"\\??\\C:\\d", FILE_READ_ATTRIBUTES | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC,
                    h) == STATUS_SUCCESS);
  REQUIRE(nt.query(h, FileBasicInformation, basic) == STATUS_SUCCESS);
  CHECK(basic.FileAttributes == FILE_ATTRIBUTE_DIRECTORY);
  CHECK(nt.name_of(h) == u"\\d");
  nt.close(h);
  REQUIRE(nt.create(u"\\??\\C:\\", FILE_READ_ATTRIBUTES, SHARE_ALL, FILE_OPEN, 0, h) ==
          STATUS_SUCCESS);
  CHECK(nt.name_of(h) == u"\\");
  nt.close(h);
}

TEST_CASE("FileBasicInformation sets times and the read-only attribute") {
  Tree t;
  Nt nt;
  t.put("c/f", "x");
  HANDLE h = 0;
  REQUIRE(nt.create(u"\\??\\C:\\f", FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES | SYNCHRONIZE,
                    SHARE_ALL, FILE_OPEN, SYNC, h) == STATUS_SUCCESS);
  FILE_BASIC_INFORMATION b{};
  b.LastWriteTime = filetime_from_unix_seconds(1'000'000'000);
  b.FileAttributes = FILE_ATTRIBUTE_READONLY;
  REQUIRE(nt.set(h, FileBasicInformation, &b, sizeof b) == STATUS_SUCCESS);
  struct stat st;
  REQUIRE(stat((t.c + "/f").c_str(), &st) == 0);
  CHECK(st.st_mtime == 1'000'000'000);
  CHECK((st.st_mode & 0222) == 0);
  FILE_BASIC_INFORMATION q{};
  REQUIRE(nt.query(h, FileBasicInformation, q) == STATUS_SUCCESS);
  CHECK(q.FileAttributes == (FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_ARCHIVE));
  CHECK(q.LastWriteTime == filetime_from_unix_seconds(1'000'000'000));
  // A read-only file refuses write access, and overwriting.
  HANDLE w = 0;
  CHECK(nt.create(u"\\??\\C:\\f", RW, SHARE_ALL, FILE_OPEN, SYNC, w) == STATUS_ACCESS_DENIED);
  CHECK(nt.create(u"\\??\\C:\\f", GENERIC_READ | SYNCHRONIZE, SHARE_ALL, FILE_OVERWRITE_IF, SYNC,
                  w) == STATUS_ACCESS_DENIED);
  CHECK(t.get("c/f") == "x");
  b = {};
  b.FileAttributes = FILE_ATTRIBUTE_NORMAL;
  REQUIRE(nt.set(h, FileBasicInformation, &b, sizeof b) == STATUS_SUCCESS);
  REQUIRE(nt.create(u"\\??\\C:\\f", RW, SHARE_ALL, FILE_OPEN, SYNC, w) == STATUS_SUCCESS);
  nt.close(w);
  b.FileAttributes = FILE_ATTRIBUTE_DIRECTORY;
  CHECK(nt.set(h, FileBasicInformation, &b, sizeof b) == STATUS_INVALID_PARAMETER);
  b.FileAttributes = 0;
  b.LastAccessTime = -7;
  CHECK(nt.set(h, FileBasicInformation, &b, sizeof b) == STATUS_INVALID_PARAMETER);
  nt.close(h);
  // Created read-only.
  REQUIRE(nt.create(u"\\??\\C:\\r", RW, 0, FILE_CREATE, SYNC, h, 0, FILE_ATTRIBUTE_READONLY) ==
          STATUS_SUCCESS);
  CHECK(nt.write(h, "still writable through the creating handle") == STATUS_SUCCESS);
  nt.close(h);
  REQUIRE(stat((t.c + "/r").c_str(), &st) == 0);
  CHECK((st.st_mode & 0222) == 0);
}

TEST_CASE("NtQueryAttributesFile and NtQueryFullAttributesFile") {
  Tree t;
  Nt nt;
  t.dir("c/sub");
  t.put("c/sub/File", "12345");
  auto* basic = nt.a.get<FILE_BASIC_INFORMATION>();
  REQUIRE(NtQueryAttributesFile(nt.oa(u"\\??\\C:\\SUB\\file"), UserPtr<void>(Arena::at(basic))) ==
          STATUS_SUCCESS);
  CHECK(basic->FileAttributes == FILE_ATTRIBUTE_ARCHIVE);
  REQUIRE(NtQueryAttributesFile(nt.oa(u"\\??\\C:\\sub"), UserPtr<void>(Arena::at(basic))) ==
          STATUS_SUCCESS);
  CHECK(basic->FileAttributes == FILE_ATTRIBUTE_DIRECTORY);
  auto* full = nt.a.get<FILE_NETWORK_OPEN_INFORMATION>();
  REQUIRE(NtQueryFullAttributesFile(nt.oa(u"\\??\\C:\\sub\\FILE"),
                                    UserPtr<void>(Arena::at(full))) == STATUS_SUCCESS);
  CHECK(full->EndOfFile == 5);
  CHECK(NtQueryAttributesFile(nt.oa(u"\\??\\C:\\sub\\none"), UserPtr<void>(Arena::at(basic))) ==
        STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(NtQueryAttributesFile(nt.oa(u"\\??\\C:\\none\\x"), UserPtr<void>(Arena::at(basic))) ==
        STATUS_OBJECT_PATH_NOT_FOUND);
  // Querying attributes does not get in the way of an exclusive handle.
  HANDLE h = 0;
  REQUIRE(nt.create(u"\\??\\C:\\sub\\File", RW, 0, FILE_OPEN, SYNC, h) == STATUS_SUCCESS);
  CHECK(NtQueryAttributesFile(nt.oa(u"\\??\\C:\\sub\\File"), UserPtr<void>(Arena::at(basic))) ==
        STATUS_SUCCESS);
  nt.close(h);
}

TEST_CASE("NtQueryDirectoryFile: order, masks, restart, single entry") {
  Tree t;
  Nt nt;
  t.dir("c/d");
  for (const char* n : {"beta.txt", "Alpha.TXT", "gamma.log", "delta.txt", "Zeta"}) {
    t.put(std::string("c/d/") + n, n);
  }
  t.dir("c/d/Sub");
  HANDLE dir = 0;
  auto open_dir = [&](std::u16string_view name) {
    REQUIRE(nt.create(name, FILE_LIST_DIRECTORY | SYNCHRONIZE, SHARE_ALL, FILE_OPEN,
                      SYNC | FILE_DIRECTORY_FILE, dir) == STATUS_SUCCESS);
  };
  open_dir(u"\\??\\C:\\d");
  std::vector<std::u16string> expected = {u".",         u"..",        u"Alpha.TXT", u"beta.txt",
                                          u"delta.txt", u"gamma.log", u"Sub",       u"Zeta"};
  CHECK(list_all(nt, dir) == expected);
  Listing end = list(nt, dir);
  CHECK(end.status == STATUS_NO_MORE_FILES);
  CHECK(nt.iosb->Status == STATUS_NO_MORE_FILES);
  CHECK(nt.iosb->Information == 0);
  // Restart, one at a time.
  Listing one = list(nt, dir, {}, true, true);
  CHECK(one.status == STATUS_SUCCESS);
  CHECK(one.names == std::vector<std::u16string>{u"."});
  CHECK(list(nt, dir, {}, false, true).names == std::vector<std::u16string>{u".."});
  CHECK(list(nt, dir, {}, false, true).names == std::vector<std::u16string>{u"Alpha.TXT"});
  nt.close(dir);

  // Masks match case-insensitively and stay for the life of the handle.
  open_dir(u"\\??\\C:\\d");
  CHECK(list_all(nt, dir, u"*.TXT") ==
        std::vector<std::u16string>{u"Alpha.TXT", u"beta.txt", u"delta.txt"});
  Listing again = list(nt, dir, {}, true);
  CHECK(again.names == std::vector<std::u16string>{u"Alpha.TXT", u"beta.txt", u"delta.txt"});
  nt.close(dir);
  open_dir(u"\\??\\C:\\d");
  CHECK(list_all(nt, dir, u"?ETA*") == std::vector<std::u16string>{u"beta.txt", u"Zeta"});
  nt.close(dir);
  open_dir(u"\\??\\C:\\d");
  CHECK(list_all(nt, dir, u"GAMMA.LOG") == std::vector<std::u16string>{u"gamma.log"});
  nt.close(dir);
  // DOS wildcards as kernel32 sends them: "<" star up to the last dot, '"' the dot.
  open_dir(u"\\??\\C:\\d");
  CHECK(list_all(nt, dir, u"<\"txt") ==
        std::vector<std::u16string>{u"Alpha.TXT", u"beta.txt", u"delta.txt"});
  nt.close(dir);

  // Nothing matches on the first call: STATUS_NO_SUCH_FILE, status block untouched; later
  // calls say STATUS_NO_MORE_FILES.
  open_dir(u"\\??\\C:\\d");
  Listing none = list(nt, dir, u"*.none");
  CHECK(none.status == STATUS_NO_SUCH_FILE);
  CHECK(nt.iosb->Status == 0x1234);
  CHECK(list(nt, dir).status == STATUS_NO_MORE_FILES);
  CHECK(list(nt, dir, {}, true).status == STATUS_NO_MORE_FILES);
  nt.close(dir);

  // The root of a drive has no "." and "..".
  open_dir(u"\\??\\C:\\");
  CHECK(list_all(nt, dir) == std::vector<std::u16string>{u"d"});
  nt.close(dir);
  open_dir(u"\\??\\C:\\d\\Sub");
  CHECK(list_all(nt, dir) == std::vector<std::u16string>{u".", u".."});
  nt.close(dir);
}

TEST_CASE("NtQueryDirectoryFile: record layout, lengths and overflow") {
  Tree t;
  Nt nt;
  t.dir("c/d");
  t.put("c/d/file.bin", "123");
  HANDLE dir = 0;
  REQUIRE(nt.create(u"\\??\\C:\\d", FILE_LIST_DIRECTORY | SYNCHRONIZE, SHARE_ALL, FILE_OPEN,
                    SYNC | FILE_DIRECTORY_FILE, dir) == STATUS_SUCCESS);
  // Each class needs room for its fixed part and one character, 8-byte aligned.
  struct {
    ULONG cls;
    size_t name_offset;
  } classes[] = {{FileDirectoryInformation, 64},        {FileFullDirectoryInformation, 68},
                 {FileBothDirectoryInformation, 94},    {FileNamesInformation, 12},
                 {FileIdBothDirectoryInformation, 104}, {FileIdFullDirectoryInformation, 80}};
  for (auto c : classes) {
    CAPTURE(c.cls);
    ULONG min = static_cast<ULONG>((c.name_offset + 2 + 7) & ~size_t{7});
    CHECK(list(nt, dir, {}, true, false, c.cls, min - 1).status == STATUS_INFO_LENGTH_MISMATCH);
    CHECK(list(nt, dir, {}, true, false, c.cls, min).status == STATUS_SUCCESS);
  }
  CHECK(list(nt, dir, {}, true, false, FileBasicInformation, 512).status ==
        STATUS_INVALID_INFO_CLASS);

  // "." then ".." then the file, in FileBothDirectoryInformation records.
  uint8_t* buf = nt.a.bytes(1024);
  REQUIRE(NtQueryDirectoryFile(dir, 0, UserPtr<void>(), UserPtr<void>(), nt.io(),
                               UserPtr<void>(Arena::at(buf)), 1024, FileBothDirectoryInformation,
                               false, UserPtr<UNICODE_STRING>(), true) == STATUS_SUCCESS);
  FILE_BOTH_DIR_INFORMATION r0, r1, r2;
  std::memcpy(&r0, buf, sizeof r0);
  CHECK(r0.NextEntryOffset == 96);
  CHECK(r0.FileNameLength == 2);
  CHECK(r0.FileAttributes == FILE_ATTRIBUTE_DIRECTORY);
  std::memcpy(&r1, buf + 96, sizeof r1);
  CHECK(r1.NextEntryOffset == 104);  // 94 + 4 bytes of "..", rounded up to 8
  CHECK(r1.FileNameLength == 4);
  std::memcpy(&r2, buf + 200, sizeof r2);
  CHECK(r2.NextEntryOffset == 0);
  CHECK(r2.FileNameLength == 16);
  CHECK(r2.EndOfFile == 3);
  CHECK(r2.FileAttributes == FILE_ATTRIBUTE_ARCHIVE);
  CHECK(r2.ShortNameLength == 0);
  CHECK(nt.iosb->Information == 200 + 94 + 16);

  // Room for "." and part of "..": only "." comes back, Information ends at its name.
  Listing part = list(nt, dir, {}, true, false, FileBothDirectoryInformation, 96 + 95);
  CHECK(part.status == STATUS_SUCCESS);
  CHECK(nt.iosb->Information == 94 + 2);

  // Not even one whole record: the name is cut, STATUS_BUFFER_OVERFLOW, and the entry is spent.
  HANDLE d2 = 0;
  REQUIRE(nt.create(u"\\??\\C:\\d", FILE_LIST_DIRECTORY | SYNCHRONIZE, SHARE_ALL, FILE_OPEN,
                    SYNC | FILE_DIRECTORY_FILE, d2) == STATUS_SUCCESS);
  uint8_t* small = nt.a.bytes(80);
  std::memset(small, 0x55, 80);
  uint64_t mask = nt.ustr(u"file.bin");
  CHECK(NtQueryDirectoryFile(d2, 0, UserPtr<void>(), UserPtr<void>(), nt.io(),
                             UserPtr<void>(Arena::at(small)), 72, FileDirectoryInformation, false,
                             UserPtr<UNICODE_STRING>(mask), false) == STATUS_BUFFER_OVERFLOW);
  CHECK(nt.iosb->Status == STATUS_BUFFER_OVERFLOW);
  CHECK(nt.iosb->Information == 72);
  FILE_DIRECTORY_INFORMATION cut;
  std::memcpy(&cut, small, sizeof cut);
  CHECK(cut.NextEntryOffset == 0);
  CHECK(cut.FileNameLength == 16);
  CHECK(small[64] == 'f');
  CHECK(small[72] == 0x55);
  CHECK(list(nt, d2).status == STATUS_NO_MORE_FILES);
  nt.close(d2);
  nt.close(dir);
}

TEST_CASE("volume information") {
  Tree t;
  Nt nt;
  HANDLE h = 0;
  REQUIRE(nt.create(u"\\??\\C:\\", FILE_READ_ATTRIBUTES, SHARE_ALL, FILE_OPEN, 0, h) ==
          STATUS_SUCCESS);
  auto query = [&](ULONG cls, ULONG length, std::vector<uint8_t>& out) {
    uint8_t* buf = nt.a.bytes(length);
    NTSTATUS s =
        NtQueryVolumeInformationFile(h, nt.io(), UserPtr<void>(Arena::at(buf)), length, cls);
    out.assign(buf, buf + length);
    return s;
  };
  std::vector<uint8_t> b;
  REQUIRE(query(FileFsDeviceInformation, 8, b) == STATUS_SUCCESS);
  FILE_FS_DEVICE_INFORMATION dev;
  std::memcpy(&dev, b.data(), sizeof dev);
  CHECK(dev.DeviceType == FILE_DEVICE_DISK);
  REQUIRE(query(FileFsSizeInformation, 24, b) == STATUS_SUCCESS);
  FILE_FS_SIZE_INFORMATION size;
  std::memcpy(&size, b.data(), sizeof size);
  CHECK(size.TotalAllocationUnits > 0);
  CHECK(size.BytesPerSector == 512);
  CHECK(size.SectorsPerAllocationUnit >= 1);
  REQUIRE(query(FileFsFullSizeInformation, 32, b) == STATUS_SUCCESS);
  FILE_FS_FULL_SIZE_INFORMATION full;
  std::memcpy(&full, b.data(), sizeof full);
  CHECK(full.TotalAllocationUnits == size.TotalAllocationUnits);
  REQUIRE(query(FileFsAttributeInformation, 64, b) == STATUS_SUCCESS);
  FILE_FS_ATTRIBUTE_INFORMATION attr;
  std::memcpy(&attr, b.data(), 12);
  CHECK(attr.FileSystemNameLength == 8);
  CHECK(attr.MaximumComponentNameLength == 255);
  CHECK(std::u16string(reinterpret_cast<const char16_t*>(b.data() + 12), 4) == u"NTFS");
  CHECK(nt.iosb->Information == 20);
  CHECK(query(FileFsAttributeInformation, 16, b) == STATUS_BUFFER_OVERFLOW);
  CHECK(nt.iosb->Information == 16);
  REQUIRE(query(FileFsVolumeInformation, 64, b) == STATUS_SUCCESS);
  FILE_FS_VOLUME_INFORMATION vol;
  std::memcpy(&vol, b.data(), sizeof vol);
  CHECK(vol.VolumeSerialNumber != 0);
  CHECK(query(FileFsVolumeInformation, 23, b) == STATUS_INFO_LENGTH_MISMATCH);
  CHECK(query(FileFsLabelInformation, 64, b) == STATUS_INVALID_INFO_CLASS);
  nt.close(h);
}

TEST_CASE("a read-only drive refuses every change") {
  Tree t;
  Nt nt;
  t.put("d/file", "ro");
  t.dir("d/dir");
  HANDLE h = 0;
  CHECK(nt.create(u"\\??\\D:\\file", RW, SHARE_ALL, FILE_OPEN, SYNC, h) ==
        STATUS_MEDIA_WRITE_PROTECTED);
  CHECK(nt.create(u"\\??\\D:\\new", RW, SHARE_ALL, FILE_CREATE, SYNC, h) ==
        STATUS_MEDIA_WRITE_PROTECTED);
  CHECK(nt.create(u"\\??\\D:\\file", GENERIC_READ | SYNCHRONIZE, SHARE_ALL, FILE_OVERWRITE_IF, SYNC,
                  h) == STATUS_MEDIA_WRITE_PROTECTED);
  CHECK(nt.create(u"\\??\\D:\\dir\\sub", FILE_LIST_DIRECTORY | SYNCHRONIZE, SHARE_ALL, FILE_CREATE,
                  SYNC | FILE_DIRECTORY_FILE, h) == STATUS_MEDIA_WRITE_PROTECTED);
  CHECK(nt.delete_file(u"\\??\\D:\\file") == STATUS_MEDIA_WRITE_PROTECTED);
  CHECK(nt.create(u"\\??\\D:\\missing", GENERIC_READ | SYNCHRONIZE, SHARE_ALL, FILE_OPEN, SYNC,
                  h) == STATUS_OBJECT_NAME_NOT_FOUND);
  // Reading works; MAXIMUM_ALLOWED gets what can be had.
  REQUIRE(nt.create(u"\\??\\D:\\file", MAXIMUM_ALLOWED, SHARE_ALL, FILE_OPEN, 0, h) ==
          STATUS_SUCCESS);
  FILE_ACCESS_INFORMATION acc{};
  REQUIRE(nt.query(h, FileAccessInformation, acc) == STATUS_SUCCESS);
  CHECK((acc.AccessFlags & FILE_READ_DATA) != 0);
  CHECK((acc.AccessFlags & (FILE_WRITE_DATA | DELETE)) == 0);
  int64_t zero = 0;
  std::string data;
  CHECK(nt.read(h, 10, data, &zero) == STATUS_SUCCESS);
  CHECK(data == "ro");
  std::vector<uint8_t> b(8);
  uint8_t* buf = nt.a.bytes(64);
  REQUIRE(NtQueryVolumeInformationFile(h, nt.io(), UserPtr<void>(Arena::at(buf)), 64,
                                       FileFsAttributeInformation) == STATUS_SUCCESS);
  FILE_FS_ATTRIBUTE_INFORMATION attr;
  std::memcpy(&attr, buf, 12);
  CHECK((attr.FileSystemAttributes & FILE_READ_ONLY_VOLUME) != 0);
  nt.close(h);
  CHECK(t.get("d/file") == "ro");
  CHECK_FALSE(t.exists("d/new"));
}

TEST_CASE("a handle with write access on a read-only drive still changes nothing") {
  Tree t;
  Nt nt;
  t.put("d/file", "ro");
  // Opens refuse write access on a read-only drive; make the drive writable for the open only,
  // to hold a handle that has it anyway.
  current_process().ns.drives['D' - 'A'].read_only = false;
  HANDLE h = 0;
  REQUIRE(nt.create(u"\\??\\D:\\file", RW | DELETE, SHARE_ALL, FILE_OPEN, SYNC, h) ==
          STATUS_SUCCESS);
  current_process().ns.drives['D' - 'A'].read_only = true;
  FILE_END_OF_FILE_INFORMATION eof{};
  CHECK(nt.set(h, FileEndOfFileInformation, &eof, sizeof eof) == STATUS_MEDIA_WRITE_PROTECTED);
  FILE_DISPOSITION_INFORMATION disp{};
  disp.DeleteFile = 1;
  CHECK(nt.set(h, FileDispositionInformation, &disp, sizeof disp) == STATUS_MEDIA_WRITE_PROTECTED);
  FILE_BASIC_INFORMATION basic{};
  CHECK(nt.set(h, FileBasicInformation, &basic, sizeof basic) == STATUS_MEDIA_WRITE_PROTECTED);
  nt.close(h);
  CHECK(t.get("d/file") == "ro");
}

TEST_CASE("the Event argument is reset when I/O starts and set when it completes") {
  Tree t;
  Nt nt;
  auto ev = std::make_shared<EventObject>(NotificationEvent, true);
  HANDLE e = 0;
  REQUIRE(current_process().handles.insert(ev, 0x1F0003, 0, e) == STATUS_SUCCESS);
  HANDLE h = 0;
  REQUIRE(nt.create(u"\\??\\C:\\ev", RW, 0, FILE_CREATE, 0, h) == STATUS_SUCCESS);
  int64_t zero = 0;
  CHECK(nt.write(h, "abc", &zero, e) == STATUS_SUCCESS);
  CHECK(ev->signaled());
  std::string data;
  int64_t far = 10;
  // A failed read leaves the event reset.
  CHECK(nt.read(h, 2, data, &far, e) == STATUS_END_OF_FILE);
  CHECK_FALSE(ev->signaled());
  CHECK(nt.read(h, 2, data, &zero, e) == STATUS_SUCCESS);
  CHECK(ev->signaled());
  // An event handle without EVENT_MODIFY_STATE, or a handle that is no event.
  HANDLE weak = 0;
  REQUIRE(current_process().handles.insert(ev, 0x1 /* EVENT_QUERY_STATE */, 0, weak) ==
          STATUS_SUCCESS);
  CHECK(nt.read(h, 2, data, &zero, weak) == STATUS_ACCESS_DENIED);
  CHECK(nt.read(h, 2, data, &zero, h) == STATUS_OBJECT_TYPE_MISMATCH);
  nt.close(weak);
  nt.close(h);
  nt.close(e);
}

TEST_CASE("inherited host descriptors: a pipe and the null device") {
  Tree t;
  Nt nt;
  int p[2];
  REQUIRE(pipe(p) == 0);
  HANDLE w = 0, r = 0;
  REQUIRE(create_handle_for_host_fd(p[1], GENERIC_WRITE | SYNCHRONIZE, w) == STATUS_SUCCESS);
  REQUIRE(create_handle_for_host_fd(p[0], GENERIC_READ | SYNCHRONIZE, r) == STATUS_SUCCESS);
  close(p[0]);
  close(p[1]);
  CHECK(nt.write(w, "through the pipe") == STATUS_SUCCESS);
  CHECK(nt.iosb->Information == 16);
  std::string data;
  CHECK(nt.read(r, 64, data) == STATUS_SUCCESS);
  CHECK(data == "through the pipe");
  FILE_STANDARD_INFORMATION std{};
  CHECK(nt.query(w, FileStandardInformation, std) == STATUS_SUCCESS);
  CHECK(std.Directory == 0);
  CHECK(std.EndOfFile == 0);
  uint8_t* buf = nt.a.bytes(8);
  REQUIRE(NtQueryVolumeInformationFile(w, nt.io(), UserPtr<void>(Arena::at(buf)), 8,
                                       FileFsDeviceInformation) == STATUS_SUCCESS);
  FILE_FS_DEVICE_INFORMATION dev;
  std::memcpy(&dev, buf, sizeof dev);
  CHECK(dev.DeviceType == FILE_DEVICE_NAMED_PIPE);
  CHECK(nt.write(r, "x") == STATUS_ACCESS_DENIED);
  nt.close(w);
  // The writer is gone: the reader sees the end.
  CHECK(nt.read(r, 64, data) == STATUS_END_OF_FILE);
  nt.close(r);
  // The reader is gone: the writer gets STATUS_PIPE_BROKEN (and no SIGPIPE).
  REQUIRE(pipe(p) == 0);
  REQUIRE(create_handle_for_host_fd(p[1], GENERIC_WRITE | SYNCHRONIZE, w) == STATUS_SUCCESS);
  close(p[0]);
  close(p[1]);
  CHECK(nt.write(w, "nobody listens") == static_cast<NTSTATUS>(0xC000014B));
  nt.close(w);
  HANDLE bad = 0;
  CHECK(create_handle_for_host_fd(-1, GENERIC_READ, bad) == STATUS_INVALID_HANDLE);

  HANDLE nul = 0;
  REQUIRE(nt.create(u"\\??\\NUL", RW, SHARE_ALL, FILE_OPEN, SYNC, nul) == STATUS_SUCCESS);
  CHECK(nt.write(nul, "discarded") == STATUS_SUCCESS);
  CHECK(nt.iosb->Information == 9);
  CHECK(nt.read(nul, 4, data) == STATUS_END_OF_FILE);
  nt.close(nul);
}

TEST_CASE("the fast gate's file lane leaves to the service what it does not serve plainly") {
  LaneScope lane(true);
  Tree t;
  Nt nt;
  t.put("c/f", "abcdef");
  t.dir("c/d");
  HANDLE h = 0, dir = 0, ev = 0;
  REQUIRE(nt.create(u"\\??\\C:\\f", RW, SHARE_ALL, FILE_OPEN, SYNC, h) == STATUS_SUCCESS);
  std::string data;
  int64_t at = 1;
  CHECK(nt.read(h, 2, data, &at) == STATUS_SUCCESS);  // fills the thread's address-space cache
  int served = g_lane.served;
  CHECK(nt.read(h, 2, data, &at) == STATUS_SUCCESS);
  CHECK(data == "bc");
  CHECK(g_lane.served == served + 1);

  // Each of these is the service's; the answers are its own.
  int declined = g_lane.declined;
  auto event = std::make_shared<EventObject>(NotificationEvent, false);
  REQUIRE(current_process().handles.insert(event, 0x1F0003, 0, ev) == STATUS_SUCCESS);
  CHECK(nt.read(h, 2, data, &at, ev) == STATUS_SUCCESS);  // an event to signal
  CHECK(event->signaled());
  CHECK(g_lane.declined == ++declined);
#if IREACTOR_NT_PROBES
  ireactor_nt_enter_semaphore = 1;  // a tracer on the dispatcher's probes sees every call
  CHECK(nt.read(h, 2, data, &at) == STATUS_SUCCESS);
  ireactor_nt_enter_semaphore = 0;
  CHECK(g_lane.declined == ++declined);
#endif
  REQUIRE(nt.create(u"\\??\\C:\\d", GENERIC_READ | SYNCHRONIZE, SHARE_ALL, FILE_OPEN,
                    SYNC | FILE_DIRECTORY_FILE, dir) == STATUS_SUCCESS);
  CHECK(nt.read(dir, 2, data, &at) == STATUS_INVALID_DEVICE_REQUEST);
  CHECK(g_lane.declined == ++declined);
  CHECK(nt.read(ev, 2, data, &at) == STATUS_OBJECT_TYPE_MISMATCH);
  CHECK(g_lane.declined == ++declined);
  // A buffer the thread's cache has not vouched for is checked by the service.
  CHECK(!nt.through_lane(false, h, 0, nt.io(), 0x10, 4, UserPtr<int64_t>()));
  CHECK(NtReadFile(h, 0, UserPtr<void>(), UserPtr<void>(), nt.io(), UserPtr<void>(0x10), 4,
                   UserPtr<int64_t>(), UserPtr<ULONG>()) == STATUS_ACCESS_VIOLATION);
  nt.close(h);
  nt.close(dir);
  nt.close(ev);
  declined = g_lane.declined;
  CHECK(nt.read(h, 2, data, &at) == STATUS_INVALID_HANDLE);
  CHECK(g_lane.declined == declined + 1);
}

// The lane uses a handle's fd without the handle table's lock. Closing the handle must wait for
// such readers: otherwise the fd, closed and handed to the next open(2), could be read as if it
// were still the handle's file.
TEST_CASE("closing a handle waits for the lane's readers: no read reaches the fd's next file") {
  LaneScope lane(true);
  Tree t;
  Nt nt;
  t.put("c/a", std::string(64, 'A'));
  t.put("other", std::string(64, 'B'));  // outside the drives: opened with open(2) below
  HANDLE h = 0;
  REQUIRE(nt.create(u"\\??\\C:\\a", RW, SHARE_ALL, FILE_OPEN, SYNC, h) == STATUS_SUCCESS);

  auto* buf = nt.a.bytes(64);
  auto* offset = nt.a.get<int64_t>();
  auto* iosb = nt.a.get<IO_STATUS_BLOCK>();
  auto* stack = reinterpret_cast<uint64_t*>(nt.a.bytes(5 * sizeof(uint64_t)));
  stack[0] = Arena::at(iosb);
  stack[1] = Arena::at(buf);
  stack[2] = 8;
  stack[3] = Arena::at(offset);
  const SyscallFrame frame{{h, 0, 0, 0}, Arena::at(stack)};

  std::atomic<bool> stop{false};
  std::atomic<long> served{0}, wrong{0};
  std::thread reader([&] {
    // The lane answers only from this thread's own address-space cache.
    REQUIRE(current_process().address_space.accessible(nt.a.base(), nt.a.size, true));
    while (!stop.load(std::memory_order_relaxed)) {
      const uint64_t r = ir_fast_file_io(io::g_fast_file_numbers.read, &frame);
      if (r == entry::kLaneDeclined) continue;
      served.fetch_add(1, std::memory_order_relaxed);
      if (r == STATUS_SUCCESS && buf[0] != 'A') wrong.fetch_add(1, std::memory_order_relaxed);
      buf[0] = 0;
    }
  });
  const std::string other = t.top + "/other";
  const size_t arena_mark = nt.a.used;  // each create's arguments are carved anew
  for (int i = 0; i < 20000; ++i) {
    nt.a.used = arena_mark;
    nt.close(h);
    const int fd = ::open(other.c_str(), O_RDONLY);  // most likely the fd the handle had
    REQUIRE(fd >= 0);
    ::close(fd);
    HANDLE again = 0;
    REQUIRE(nt.create(u"\\??\\C:\\a", RW, SHARE_ALL, FILE_OPEN, SYNC, again) == STATUS_SUCCESS);
    REQUIRE(again == h);  // freed handle values are reused first, as on Windows
  }
  stop = true;
  reader.join();
  nt.close(h);
  CHECK(served.load() > 0);
  CHECK(wrong.load() == 0);
}
