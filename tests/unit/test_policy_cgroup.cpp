// Namespace cgroups on the real cgroup2 hierarchy, under a test parent (ireactor-test-<pid>)
// that is removed afterwards. Needs root and a mounted cgroup2: skips (exit 77) otherwise.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ireactor/policy/namespace_cgroup.h"

using namespace ireactor::policy;
namespace fs = std::filesystem;

namespace {

[[noreturn]] void skip(const std::string& why) {
  std::printf("SKIP: %s\n", why.c_str());
  std::fflush(stdout);
  std::_Exit(77);
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Skips unless this process may create cgroups; never mounts anything itself.
void require_cgroups() {
  if (::geteuid() != 0) skip("creating cgroups needs root");
  if (read_file("/proc/self/mountinfo").find(" - cgroup2 ") == std::string::npos)
    skip("cgroup2 is not mounted on this host");
}

// A test parent cgroup, removed with everything below it at the end.
struct TestParent {
  HostPaths paths;
  TestParent() {
    paths.cgroup_parent = "ireactor-test-" + std::to_string(::getpid());
    ::setenv("IREACTOR_CGROUP", paths.cgroup_parent.c_str(), 1);
  }
  ~TestParent() {
    const fs::path parent = cgroup2_mount() / paths.cgroup_parent;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(parent, ec))
      if (e.is_directory()) ::rmdir(e.path().c_str());
    ::rmdir(parent.c_str());
  }
};

// The kernel's own cgroup id for a directory: cgroup2 file handles carry the kernfs node id.
uint64_t handle_id(const fs::path& dir) {
  struct {
    struct file_handle h;
    unsigned char bytes[64];
  } fh{};
  fh.h.handle_bytes = sizeof fh.bytes;
  int mount_id = 0;
  REQUIRE(::name_to_handle_at(AT_FDCWD, dir.c_str(), &fh.h, &mount_id, 0) == 0);
  REQUIRE(fh.h.handle_bytes == 8);
  uint64_t id = 0;
  std::memcpy(&id, fh.h.f_handle, sizeof id);
  return id;
}

}  // namespace

TEST_CASE("cgroup2_mount finds the cgroup2 mount") {
  require_cgroups();
  const fs::path mount = cgroup2_mount();
  struct statfs sfs {};
  REQUIRE(::statfs(mount.c_str(), &sfs) == 0);
  CHECK(sfs.f_type == CGROUP2_SUPER_MAGIC);
  CHECK(fs::exists(mount / "cgroup.controllers"));
}

TEST_CASE("ensure, id, join and remove a namespace cgroup") {
  require_cgroups();
  TestParent t;
  const fs::path dir = ensure_namespace_cgroup(t.paths, "alpha");
  CHECK(dir == cgroup2_mount() / t.paths.cgroup_parent / "alpha");
  CHECK(namespace_cgroup_dir(t.paths, "alpha") == dir);
  CHECK(fs::exists(dir / "cgroup.procs"));
  CHECK(ensure_namespace_cgroup(t.paths, "alpha") == dir);  // idempotent

  // The id is the directory's inode number, and the kernel agrees.
  const uint64_t id = cgroup_id(dir);
  struct stat st {};
  REQUIRE(::stat(dir.c_str(), &st) == 0);
  CHECK(id == st.st_ino);
  CHECK(id == handle_id(dir));
  const fs::path beta = ensure_namespace_cgroup(t.paths, "beta");
  CHECK(cgroup_id(beta) != id);
  CHECK_THROWS(cgroup_id(dir / "nosuch"));

  // A child joins; the kernel shows it there; the cgroup cannot go while it lives.
  int ready[2], release[2];
  REQUIRE(::pipe(ready) == 0);
  REQUIRE(::pipe(release) == 0);
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(ready[0]);
    ::close(release[1]);  // else the child's own copy keeps its read from seeing EOF
    char c = 1;
    try {
      join_cgroup(dir);
    } catch (...) {
      c = 0;
    }
    (void)!::write(ready[1], &c, 1);
    (void)!::read(release[0], &c, 1);  // until the parent closes it
    ::_exit(0);
  }
  ::close(ready[1]);
  ::close(release[0]);
  char joined = 0;
  REQUIRE(::read(ready[0], &joined, 1) == 1);
  CHECK(joined == 1);
  const std::string procs = read_file(dir / "cgroup.procs");
  CHECK(procs == std::to_string(child) + "\n");
  const std::string own = read_file("/proc/" + std::to_string(child) + "/cgroup");
  CHECK(own.ends_with("/" + t.paths.cgroup_parent + "/alpha\n"));
  CHECK_FALSE(remove_namespace_cgroup(t.paths, "alpha"));
  CHECK(fs::exists(dir));

  ::close(release[1]);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(remove_namespace_cgroup(t.paths, "alpha"));
  CHECK_FALSE(fs::exists(dir));
  CHECK(remove_namespace_cgroup(t.paths, "alpha"));  // already gone: fine
  CHECK(remove_namespace_cgroup(t.paths, "beta"));
}

TEST_CASE("joining a cgroup that does not exist fails with the reason") {
  require_cgroups();
  TestParent t;
  const fs::path dir = namespace_cgroup_dir(t.paths, "never-made");
  CHECK_THROWS_WITH_AS(join_cgroup(dir), doctest::Contains("No such file or directory"),
                       std::system_error);
}

TEST_CASE("cgroup_mounts lists the cgroup2 mount among the cgroup filesystems") {
  require_cgroups();
  const std::vector<fs::path> mounts = cgroup_mounts();
  CHECK(std::find(mounts.begin(), mounts.end(), cgroup2_mount()) != mounts.end());
  for (const fs::path& m : mounts) {
    struct statfs sfs {};
    REQUIRE(::statfs(m.c_str(), &sfs) == 0);
    CHECK((sfs.f_type == CGROUP2_SUPER_MAGIC || sfs.f_type == CGROUP_SUPER_MAGIC));
  }
}

// A process a namespace process starts runs `ireactor run --ns` again, already in the cgroup and
// unable to write cgroup.procs (cgroupWrite): joining must not need the write then.
TEST_CASE("joining the cgroup a process is in already writes nothing") {
  require_cgroups();
  TestParent t;
  const fs::path dir = ensure_namespace_cgroup(t.paths, "gamma");
  const pid_t child = ::fork();
  if (child == 0) {
    int code = 1;
    try {
      join_cgroup(dir);
      // Nobody may write root's cgroup.procs (0644): only a join that writes nothing succeeds.
      if (::setgid(65534) == 0 && ::setuid(65534) == 0) {
        code = 2;
        join_cgroup(dir);
        code = 0;
      }
    } catch (...) {
    }
    ::_exit(code);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(remove_namespace_cgroup(t.paths, "gamma"));
}
