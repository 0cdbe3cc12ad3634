// The NLS services (system/): the .nls data files mapped read-only into the Windows address
// space once per process, the section kinds and their file names, and the default locales and
// UI languages (en-US, changeable per process).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "ireactor/process.h"
#include "ireactor/services/system_services.h"
#include "system/nls_files.h"
#include "windows_memory.h"

using namespace ireactor;
using namespace ireactor::nt;

namespace {

using UserRegion = test::WindowsMemory;

constexpr size_t kPtr = 0x00;   // SectionPointer / BaseAddress
constexpr size_t kSize = 0x08;  // SectionSize
constexpr size_t kLcid = 0x10;  // LCID / LANGID
int64_t g_runtime_private = 0;
const uint64_t kNotWindowsMemory = reinterpret_cast<uint64_t>(&g_runtime_private);

std::vector<char> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The tests that read real data need the files Debian's libwine ships.
bool have_nls_files() {
  if (access((nls::data_directory() + "/c_1252.nls").c_str(), R_OK) == 0) return true;
  MESSAGE("no NLS files in " << nls::data_directory() << ": skipped");
  return false;
}

NTSTATUS section(const UserRegion& mem, ULONG type, ULONG id) {
  mem.at<uint64_t>(kPtr) = 0;
  mem.at<uint64_t>(kSize) = 0;
  return NtGetNlsSectionPtr(type, id, {}, mem.user<uint64_t>(kPtr), mem.user<uint64_t>(kSize));
}

}  // namespace

TEST_CASE("NtGetNlsSectionPtr maps a code page file read-only, once per process") {
  UserRegion mem;
  if (!have_nls_files()) return;
  REQUIRE(section(mem, 11, 1252) == STATUS_SUCCESS);
  const uint64_t base = mem.at<uint64_t>(kPtr);
  const auto bytes = file_bytes(nls::data_directory() + "/c_1252.nls");
  REQUIRE(base != 0);
  CHECK(mem.at<uint64_t>(kSize) == bytes.size());
  CHECK(std::memcmp(reinterpret_cast<const void*>(base), bytes.data(), bytes.size()) == 0);

  auto region = current_process().address_space.find(base);
  REQUIRE(region.has_value());
  CHECK(region->type == MEM_MAPPED);
  CHECK(region->protect == PAGE_READONLY);
  CHECK(region->state == MEM_COMMIT);
  CHECK(region->size >= bytes.size());
  CHECK(base % kAllocationGranularity == 0);

  REQUIRE(section(mem, 11, 1252) == STATUS_SUCCESS);
  CHECK(mem.at<uint64_t>(kPtr) == base);
}

TEST_CASE("NtGetNlsSectionPtr: the kinds of sections and their files") {
  UserRegion mem;
  if (!have_nls_files()) return;
  auto code_page_of = [&] { return reinterpret_cast<const uint16_t*>(mem.at<uint64_t>(kPtr))[1]; };
  REQUIRE(section(mem, 11, 37) == STATUS_SUCCESS);  // c_037.nls: three digits at least
  CHECK(code_page_of() == 37);
  REQUIRE(section(mem, 11, 437) == STATUS_SUCCESS);
  CHECK(code_page_of() == 437);
  CHECK(section(mem, 10, 0) == STATUS_SUCCESS);  // l_intl.nls
  CHECK(mem.at<uint64_t>(kSize) == file_bytes(nls::data_directory() + "/l_intl.nls").size());
  CHECK(section(mem, 9, 0) == STATUS_SUCCESS);  // sortdefault.nls
  for (ULONG form : {1u, 2u, 5u, 6u, 13u}) CHECK(section(mem, 12, form) == STATUS_SUCCESS);

  CHECK(section(mem, 11, 12345) == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(section(mem, 11, 65001) == STATUS_OBJECT_NAME_NOT_FOUND);  // UTF-8 has no table
  CHECK(section(mem, 12, 3) == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(section(mem, 8, 0) == STATUS_INVALID_PARAMETER_1);
  CHECK(section(mem, 13, 0) == STATUS_INVALID_PARAMETER_1);
  CHECK(mem.at<uint64_t>(kPtr) == 0);
}

TEST_CASE("NtGetNlsSectionPtr: output pointers are checked, the size is optional") {
  UserRegion mem;
  if (!have_nls_files()) return;
  CHECK(NtGetNlsSectionPtr(11, 1252, {}, {}, mem.user<uint64_t>(kSize)) == STATUS_ACCESS_VIOLATION);
  CHECK(NtGetNlsSectionPtr(11, 1252, {}, UserPtr<uint64_t>(kNotWindowsMemory), {}) ==
        STATUS_ACCESS_VIOLATION);
  CHECK(NtGetNlsSectionPtr(11, 1252, {}, mem.user<uint64_t>(kPtr), {}) == STATUS_SUCCESS);
  CHECK(mem.at<uint64_t>(kPtr) != 0);
}

TEST_CASE("the data directory is a runtime setting") {
  UserRegion mem;
  char dir[] = "/tmp/ireactor-nls-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  const std::string file = std::string(dir) + "/c_54321.nls";
  {
    std::ofstream out(file, std::ios::binary);
    out << "NLS!";
  }
  const char* old = std::getenv("IREACTOR_NLS_DIR");
  const std::string saved = old ? old : "";
  setenv("IREACTOR_NLS_DIR", dir, 1);
  CHECK(nls::data_directory() == dir);
  CHECK(section(mem, 11, 54321) == STATUS_SUCCESS);
  CHECK(mem.at<uint64_t>(kSize) == 4);
  CHECK(std::memcmp(reinterpret_cast<const void*>(mem.at<uint64_t>(kPtr)), "NLS!", 4) == 0);
  CHECK(section(mem, 11, 1252 + 1) == STATUS_OBJECT_NAME_NOT_FOUND);
  if (old)
    setenv("IREACTOR_NLS_DIR", saved.c_str(), 1);
  else
    unsetenv("IREACTOR_NLS_DIR");
  unlink(file.c_str());
  rmdir(dir);
  CHECK(nls::data_directory() == (old ? saved : std::string("/usr/share/wine/nls")));
}

TEST_CASE("NtInitializeNlsFiles maps locale.nls and reports the system locale") {
  UserRegion mem;
  if (!have_nls_files()) return;
  mem.fill(0);
  REQUIRE(NtInitializeNlsFiles(mem.user<uint64_t>(kPtr), mem.user<ULONG>(kLcid),
                               mem.user<int64_t>(kSize)) == STATUS_SUCCESS);
  const auto bytes = file_bytes(nls::data_directory() + "/locale.nls");
  CHECK(mem.at<uint64_t>(kPtr) != 0);
  CHECK(mem.at<ULONG>(kLcid) == 0x0409);
  CHECK(mem.at<int64_t>(kSize) == static_cast<int64_t>(bytes.size()));
  CHECK(std::memcmp(reinterpret_cast<const void*>(mem.at<uint64_t>(kPtr)), bytes.data(), 64) == 0);
  CHECK(NtInitializeNlsFiles({}, {}, {}) == STATUS_ACCESS_VIOLATION);
}

TEST_CASE("default locales: en-US, changeable for this process") {
  UserRegion mem;
  auto lcid = mem.user<ULONG>(kLcid);
  REQUIRE(NtQueryDefaultLocale(1, lcid) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kLcid) == 0x0409);
  REQUIRE(NtQueryDefaultLocale(0, lcid) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kLcid) == 0x0409);

  CHECK(NtSetDefaultLocale(1, 0x0407) == STATUS_SUCCESS);
  REQUIRE(NtQueryDefaultLocale(1, lcid) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kLcid) == 0x0407);
  REQUIRE(NtQueryDefaultLocale(0, lcid) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kLcid) == 0x0409);              // the system locale is separate
  CHECK(NtSetDefaultLocale(1, 0) == STATUS_SUCCESS);  // back to the default
  REQUIRE(NtQueryDefaultLocale(1, lcid) == STATUS_SUCCESS);
  CHECK(mem.at<ULONG>(kLcid) == 0x0409);

  CHECK(NtSetDefaultLocale(0, 0x0411) == STATUS_SUCCESS);
  CHECK(nls::system_locale() == 0x0411);
  CHECK(NtSetDefaultLocale(0, 0) == STATUS_SUCCESS);
  CHECK(nls::system_locale() == 0x0409);
  CHECK(NtSetDefaultLocale(1, 0x100000) == STATUS_INVALID_PARAMETER);
  CHECK(NtQueryDefaultLocale(1, {}) == STATUS_ACCESS_VIOLATION);
}

TEST_CASE("UI languages: installed en-US, the default changeable for this process") {
  UserRegion mem;
  auto lang = mem.user<USHORT>(kLcid);
  REQUIRE(NtQueryInstallUILanguage(lang) == STATUS_SUCCESS);
  CHECK(mem.at<USHORT>(kLcid) == 0x0409);
  REQUIRE(NtQueryDefaultUILanguage(lang) == STATUS_SUCCESS);
  CHECK(mem.at<USHORT>(kLcid) == 0x0409);
  CHECK(NtSetDefaultUILanguage(0x040C) == STATUS_SUCCESS);
  REQUIRE(NtQueryDefaultUILanguage(lang) == STATUS_SUCCESS);
  CHECK(mem.at<USHORT>(kLcid) == 0x040C);
  REQUIRE(NtQueryInstallUILanguage(lang) == STATUS_SUCCESS);
  CHECK(mem.at<USHORT>(kLcid) == 0x0409);
  CHECK(NtSetDefaultUILanguage(0) == STATUS_SUCCESS);
  REQUIRE(NtQueryDefaultUILanguage(lang) == STATUS_SUCCESS);
  CHECK(mem.at<USHORT>(kLcid) == 0x0409);
  CHECK(NtQueryInstallUILanguage({}) == STATUS_ACCESS_VIOLATION);
  CHECK(NtQueryDefaultUILanguage({}) == STATUS_ACCESS_VIOLATION);
}
