// The registry services (registry/) called directly, and the registry file's round trip.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <string>

#include "ireactor/services/object_services.h"
#include "ireactor/services/registry_services.h"
#include "registry/registry_key.h"
#include "registry/registry_store.h"
#include "windows_memory.h"

using namespace ireactor;
using namespace ireactor::nt;

namespace {

// Offsets inside the test region.
constexpr size_t kHandle = 0x0, kDisposition = 0x8, kResult = 0x10, kOa = 0x40, kName = 0x80,
                 kNameChars = 0x100, kValueName = 0x400, kValueChars = 0x480, kData = 0x600,
                 kOut = 0x1000;

struct Registry {
  test::WindowsMemory mem;

  UserPtr<OBJECT_ATTRIBUTES> attributes(HANDLE root, std::u16string_view name) {
    std::memcpy(mem.bytes(kNameChars), name.data(), name.size() * 2);
    mem.at<UNICODE_STRING>(kName) = {static_cast<USHORT>(name.size() * 2),
                                     static_cast<USHORT>(name.size() * 2), 0, mem.addr(kNameChars)};
    mem.at<OBJECT_ATTRIBUTES>(kOa) = {sizeof(OBJECT_ATTRIBUTES), 0, root, mem.addr(kName),
                                      OBJ_CASE_INSENSITIVE,      0, 0,    0};
    return mem.user<OBJECT_ATTRIBUTES>(kOa);
  }
  UserPtr<UNICODE_STRING> value_name(std::u16string_view name) {
    std::memcpy(mem.bytes(kValueChars), name.data(), name.size() * 2);
    mem.at<UNICODE_STRING>(kValueName) = {static_cast<USHORT>(name.size() * 2),
                                          static_cast<USHORT>(name.size() * 2), 0,
                                          mem.addr(kValueChars)};
    return mem.user<UNICODE_STRING>(kValueName);
  }
  NTSTATUS create(HANDLE root, std::u16string_view name, ULONG options, HANDLE& out,
                  ACCESS_MASK access = registry::KEY_ALL_ACCESS) {
    NTSTATUS s = NtCreateKey(mem.user<HANDLE>(kHandle), access, attributes(root, name), 0,
                             UserPtr<UNICODE_STRING>(), options, mem.user<ULONG>(kDisposition));
    out = mem.at<HANDLE>(kHandle);
    return s;
  }
  NTSTATUS open(HANDLE root, std::u16string_view name, ACCESS_MASK access, HANDLE& out) {
    NTSTATUS s = NtOpenKey(mem.user<HANDLE>(kHandle), access, attributes(root, name));
    out = mem.at<HANDLE>(kHandle);
    return s;
  }
  ULONG disposition() const { return mem.at<ULONG>(kDisposition); }
};

constexpr char16_t kScratch[] = u"\\Registry\\Machine\\Software\\unit-test";

}  // namespace

TEST_CASE("NtCreateKey creates once, then opens; names are case-insensitive") {
  Registry r;
  HANDLE key = 0, again = 0;
  REQUIRE(r.create(0, kScratch, 0, key) == STATUS_SUCCESS);
  CHECK(r.disposition() == registry::REG_CREATED_NEW_KEY);
  CHECK(r.create(0, u"\\REGISTRY\\machine\\SOFTWARE\\Unit-Test", 0, again) == STATUS_SUCCESS);
  CHECK(r.disposition() == registry::REG_OPENED_EXISTING_KEY);
  NtClose(again);
  CHECK(r.create(key, u"a\\b", 0, again) == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(r.open(0, u"Machine", registry::KEY_READ, again) == STATUS_OBJECT_PATH_SYNTAX_BAD);
  CHECK(r.open(0, u"\\Nowhere\\Machine", registry::KEY_READ, again) ==
        STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(NtDeleteKey(key) == STATUS_SUCCESS);
  CHECK(NtDeleteKey(key) == registry::STATUS_KEY_DELETED);
  NtClose(key);
}

TEST_CASE("values round-trip and report buffer sizes as Windows does") {
  Registry r;
  HANDLE key = 0;
  REQUIRE(r.create(0, kScratch, registry::REG_OPTION_VOLATILE, key) == STATUS_SUCCESS);
  const uint32_t v = 0xdeadbeef;
  std::memcpy(r.mem.bytes(kData), &v, 4);
  REQUIRE(NtSetValueKey(key, r.value_name(u"Value"), 0, registry::REG_DWORD,
                        r.mem.user<void>(kData), 4) == STATUS_SUCCESS);
  constexpr ULONG kPartial = 2;
  CHECK(NtQueryValueKey(key, r.value_name(u"VALUE"), kPartial, r.mem.user<void>(kOut), 0x100,
                        r.mem.user<ULONG>(kResult)) == STATUS_SUCCESS);
  CHECK(r.mem.at<ULONG>(kResult) == 16);
  CHECK(r.mem.at<ULONG>(kOut + 4) == registry::REG_DWORD);
  CHECK(r.mem.at<uint32_t>(kOut + 12) == v);
  CHECK(NtQueryValueKey(key, r.value_name(u"Value"), kPartial, r.mem.user<void>(kOut), 4,
                        r.mem.user<ULONG>(kResult)) == STATUS_BUFFER_TOO_SMALL);
  CHECK(r.mem.at<ULONG>(kResult) == 16);
  CHECK(NtQueryValueKey(key, r.value_name(u"Value"), kPartial, r.mem.user<void>(kOut), 12,
                        r.mem.user<ULONG>(kResult)) == STATUS_BUFFER_OVERFLOW);
  // A wild output pointer is an access violation, not a crash.
  CHECK(NtQueryValueKey(key, r.value_name(u"Value"), kPartial, UserPtr<void>(8), 0x100,
                        r.mem.user<ULONG>(kResult)) == STATUS_ACCESS_VIOLATION);
  CHECK(NtSetValueKey(key, r.value_name(u"Bad"), 0, registry::REG_DWORD, UserPtr<void>(8), 4) ==
        STATUS_ACCESS_VIOLATION);
  CHECK(NtDeleteValueKey(key, r.value_name(u"value")) == STATUS_SUCCESS);
  CHECK(NtDeleteValueKey(key, r.value_name(u"value")) == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(NtDeleteKey(key) == STATUS_SUCCESS);
  NtClose(key);
}

TEST_CASE("handles without the right are refused") {
  Registry r;
  HANDLE key = 0, ro = 0;
  REQUIRE(r.create(0, kScratch, registry::REG_OPTION_VOLATILE, key) == STATUS_SUCCESS);
  REQUIRE(r.open(0, kScratch, registry::KEY_QUERY_VALUE, ro) == STATUS_SUCCESS);
  CHECK(NtSetValueKey(ro, r.value_name(u"x"), 0, registry::REG_DWORD, r.mem.user<void>(kData), 4) ==
        STATUS_ACCESS_DENIED);
  CHECK(NtDeleteKey(ro) == STATUS_ACCESS_DENIED);
  HANDLE child = 0;
  CHECK(r.create(key, u"stable", 0, child) == registry::STATUS_CHILD_MUST_BE_VOLATILE);
  NtClose(ro);
  CHECK(NtDeleteKey(key) == STATUS_SUCCESS);
  NtClose(key);
}

TEST_CASE("the default tree has the version keys of the namespace's build") {
  Registry r;
  HANDLE key = 0;
  REQUIRE(r.open(0, u"\\Registry\\Machine\\Software\\Microsoft\\Windows NT\\CurrentVersion",
                 registry::KEY_READ, key) == STATUS_SUCCESS);
  CHECK(NtQueryValueKey(key, r.value_name(u"CurrentBuildNumber"), 2, r.mem.user<void>(kOut), 0x100,
                        r.mem.user<ULONG>(kResult)) == STATUS_SUCCESS);
  const std::u16string build(reinterpret_cast<const char16_t*>(r.mem.bytes(kOut + 12)));
  CHECK(build == u"19045");
  NtClose(key);
  CHECK(r.open(0, u"\\Registry\\User\\S-1-5-21-0-0-0-1000\\Control Panel\\International",
               registry::KEY_READ, key) == STATUS_SUCCESS);
  NtClose(key);
}

TEST_CASE("the registry file keeps non-volatile keys and values, and only them") {
  using namespace registry;
  char dir_template[] = "/tmp/ir-registry-XXXXXX";
  REQUIRE(mkdtemp(dir_template) != nullptr);
  const std::string path = std::string(dir_template) + "/registry.txt";

  Key root;
  root.name = u"Registry";
  auto machine = std::make_shared<Key>();
  machine->name = u"Machine";
  machine->parent = &root;
  root.subkeys[u"MACHINE"] = machine;
  auto stable = std::make_shared<Key>();
  stable->name = u"Stable Key";
  stable->parent = machine.get();
  stable->last_write = 1234;
  stable->values.push_back(Value{u"name with spaces\n", REG_SZ, {'a', 0, 0, 0}});
  stable->values.push_back(Value{u"", 3, {}});
  machine->subkeys[u"STABLE KEY"] = stable;
  auto gone = std::make_shared<Key>();
  gone->name = u"Gone";
  gone->parent = machine.get();
  gone->is_volatile = true;
  machine->subkeys[u"GONE"] = gone;
  REQUIRE(save_registry_file(root, path));

  Key loaded;
  loaded.name = u"Registry";
  load_registry_file(loaded, path);
  auto k = find_key(loaded, {u"machine", u"stable key"});
  REQUIRE(k);
  CHECK(k->name == u"Stable Key");
  CHECK(k->last_write == 1234);
  REQUIRE(k->values.size() == 2);
  CHECK(k->values[0].name == u"name with spaces\n");
  CHECK(k->values[0].data == std::vector<uint8_t>{'a', 0, 0, 0});
  CHECK(k->values[1].data.empty());
  CHECK(!find_key(loaded, {u"Machine", u"Gone"}));

  unlink(path.c_str());
  unlink((path + ".lock").c_str());
  rmdir(dir_template);
}
