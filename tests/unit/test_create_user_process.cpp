// NtCreateUserProcess: what it checks and what it hands the launcher (the image's host path, the
// command line as given, the current directory, the environment, the standard descriptors),
// with a launcher that records the request. A real child runs in tests/win32/process_spawn.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <string>

#include "ireactor/io/drive_map.h"
#include "ireactor/io/host_fd.h"
#include "ireactor/process.h"
#include "ireactor/process/child_process.h"
#include "ireactor/process/process_information.h"
#include "ireactor/process/thread_information.h"
#include "ireactor/services/process_services.h"
#include "ireactor/win/process_parameters.h"
#include "windows_memory.h"

using namespace ireactor;
using namespace ireactor::nt;

namespace {

constexpr ULONG_PTR PS_ATTRIBUTE_IMAGE_NAME = 0x20005;

int remove_entry(const char* path, const struct stat*, int, struct FTW*) {
  return remove(path);
}

// C: is a temporary directory holding a program (MZ), a text file and a directory.
struct TempDrive {
  std::string root;
  TempDrive() {
    char tmpl[] = "/tmp/ireactor-spawn-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    root = tmpl;
    std::ofstream(root + "/Prog.exe") << "MZ and the rest of a program";
    std::ofstream(root + "/notes.txt") << "no program";
    mkdir((root + "/Work").c_str(), 0755);
    std::string error;
    REQUIRE(map_drive(current_process().ns, 'C', root, false, error));
  }
  ~TempDrive() { nftw(root.c_str(), remove_entry, 8, FTW_DEPTH | FTW_PHYS); }
};

// The call's arguments in Windows memory: parameters (normalized), strings, the attribute list.
struct Call {
  test::WindowsMemory mem{0x10000};
  size_t used = 0x100;
  uint64_t put(const void* data, size_t n) {
    used = (used + 15) & ~size_t{15};
    std::memcpy(mem.bytes(used), data, n);
    const uint64_t at = mem.addr(used);
    used += n;
    return at;
  }
  UNICODE_STRING str(std::u16string_view s) {
    UNICODE_STRING us{};
    us.Length = us.MaximumLength = static_cast<USHORT>(s.size() * 2);
    us.Buffer = put(s.data(), s.size() * 2);
    return us;
  }
  NTSTATUS run(std::u16string_view image, std::u16string_view cmdline, std::u16string_view cwd,
               std::u16string_view env, HANDLE std_out = 0, bool with_attributes = true) {
    win::RTL_USER_PROCESS_PARAMETERS p{};
    p.Flags = 1;  // normalized
    p.CommandLine = str(cmdline);
    p.CurrentDirectory.DosPath = str(cwd);
    p.Environment = put(env.data(), env.size() * 2);
    p.StandardOutput = std_out;
    const uint64_t params = put(&p, sizeof p);
    CLIENT_ID id{};
    client_id = put(&id, sizeof id);
    struct {
      SIZE_T total;
      PS_ATTRIBUTE a[2];
    } list{};
    list.total = sizeof list;
    list.a[0] = {PS_ATTRIBUTE_IMAGE_NAME, image.size() * 2, put(image.data(), image.size() * 2), 0};
    list.a[1] = {PS_ATTRIBUTE_CLIENT_ID, sizeof(CLIENT_ID), client_id, 0};
    const uint64_t attrs = with_attributes ? put(&list, sizeof list) : 0;
    return NtCreateUserProcess(UserPtr<HANDLE>(mem.addr(0)), UserPtr<HANDLE>(mem.addr(8)),
                               PROCESS_ALL_ACCESS, 0x1FFFFF, UserPtr<OBJECT_ATTRIBUTES>(),
                               UserPtr<OBJECT_ATTRIBUTES>(), 0, 1 /* suspended */,
                               UserPtr<void>(params), UserPtr<void>(), UserPtr<void>(attrs));
  }
  uint64_t client_id = 0;
};

}  // namespace

TEST_CASE("NtCreateUserProcess without a launcher is not supported") {
  Call c;
  set_child_launcher(nullptr);
  CHECK(c.run(u"\\??\\C:\\Prog.exe", u"Prog.exe", u"C:\\", std::u16string(2, u'\0')) ==
        STATUS_NOT_SUPPORTED);
}

TEST_CASE(
    "NtCreateUserProcess hands the launcher the image, command line, directory and environment") {
  TempDrive d;
  Call c;
  ChildLaunch seen;
  int launches = 0;
  set_child_launcher([&](const ChildLaunch& l) {
    seen = l;
    ++launches;
    return -EAGAIN;  // as if fork failed: nothing is started
  });
  const std::u16string env(u"A=1\0=C:=C:\\Work\0Path=C:\\Windows\0\0", 33);
  int p[2];
  REQUIRE(pipe(p) == 0);
  HANDLE out = 0;
  REQUIRE(create_handle_for_host_fd(p[1], GENERIC_WRITE | SYNCHRONIZE, out) == STATUS_SUCCESS);
  CHECK(c.run(u"\\??\\C:\\prog.EXE", u"\"C:\\Prog.exe\"  x  \"two words\"", u"C:\\work\\", env,
              out) == STATUS_INSUFFICIENT_RESOURCES);  // EAGAIN
  REQUIRE(launches == 1);
  CHECK(seen.image_host_path == d.root + "/Prog.exe");                // found case-insensitively
  CHECK(seen.command_line == u"\"C:\\Prog.exe\"  x  \"two words\"");  // exactly as given
  CHECK(seen.host_cwd == d.root + "/Work");
  REQUIRE(seen.environment.size() == 2);  // the drive's directory entry stays behind
  CHECK(seen.environment[0] == "A=1");
  CHECK(seen.environment[1] == "Path=C:\\Windows");
  CHECK(seen.std_fds[0] == -1);
  CHECK(seen.std_fds[1] >= 0);
  CHECK(seen.start_fd >= 0);
  CHECK(seen.status_fd >= 0);
  close(p[0]);
  close(p[1]);

  // What is refused before anything starts.
  launches = 0;
  CHECK(c.run(u"\\??\\C:\\missing.exe", u"x", u"C:\\", env) == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(c.run(u"\\??\\C:\\notes.txt", u"x", u"C:\\", env) == status(0xC000012F));  // not MZ
  CHECK(c.run(u"\\??\\C:\\Work", u"x", u"C:\\", env) == STATUS_FILE_IS_A_DIRECTORY);
  CHECK(c.run(u"\\??\\C:\\Prog.exe", u"x", u"C:\\", env, 0, false) == STATUS_INVALID_PARAMETER);
  CHECK(launches == 0);
  CHECK(NtCreateUserProcess(UserPtr<HANDLE>(0x10), UserPtr<HANDLE>(c.mem.addr(8)), 0, 0,
                            UserPtr<OBJECT_ATTRIBUTES>(), UserPtr<OBJECT_ATTRIBUTES>(), 0, 0,
                            UserPtr<void>(), UserPtr<void>(),
                            UserPtr<void>()) == STATUS_ACCESS_VIOLATION);
  set_child_launcher(nullptr);
}
