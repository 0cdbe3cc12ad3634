// Path parsing and resolution (io/path_resolver.h): NT name syntax, Windows name rules and
// masks, case-insensitive lookup on the host, and the drive root as a hard wall - every escape
// attempt against a temporary tree with a secret file just outside the drive.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "io/name_rules.h"
#include "io/wildcard.h"
#include "ireactor/io/drive_map.h"
#include "ireactor/io/file_information.h"
#include "ireactor/io/path_resolver.h"
#include "ireactor/process.h"
#include "ireactor/services/io_services.h"
#include "ireactor/user_memory.h"
#include "windows_memory.h"

using namespace ireactor;
using namespace ireactor::nt;
using ireactor::io::HostPath;
using ireactor::io::ParsedName;

namespace {

int remove_entry(const char* path, const struct stat*, int, struct FTW*) {
  return remove(path);
}

// top/secret.txt ("outside") lies next to the drive root top/c. Inside the drive, decoys with
// the same names say "inside", so a confined lookup and an escaped one tell themselves apart.
struct Tree {
  std::string top, c;
  Tree() {
    char tmpl[] = "/tmp/ireactor-path-XXXXXX";
    REQUIRE(mkdtemp(tmpl));
    top = tmpl;
    c = top + "/c";
    mkdir(c.c_str(), 0755);
    put(top + "/secret.txt", "outside");
    std::string error;
    REQUIRE(map_drive(current_process().ns, 'C', c, false, error));
  }
  ~Tree() { nftw(top.c_str(), remove_entry, 16, FTW_DEPTH | FTW_PHYS); }
  static void put(const std::string& path, const std::string& content) {
    std::ofstream(path) << content;
  }
  int root() const { return current_process().ns.drive('C')->root_fd; }
};

std::string read_fd(int fd) {
  char buf[256];
  ssize_t n = pread(fd, buf, sizeof buf, 0);
  return n > 0 ? std::string(buf, n) : std::string();
}

// Opens through the resolver's openat2 and reads; "" when the open fails.
std::string read_in_root(int root, const std::string& path) {
  int fd = io::open_in_root(root, path, O_RDONLY);
  if (fd < 0) return "";
  std::string s = read_fd(fd);
  close(fd);
  return s;
}

// NtCreateFile + NtReadFile with arguments in Windows memory.
struct Client {
  test::WindowsMemory region{16 * kPageSize};
  uint8_t* mem = region.bytes();
  size_t size = region.size();
  uint64_t at(size_t off) const { return reinterpret_cast<uint64_t>(mem) + off; }

  // Opens `name` for reading and returns the status; on success `content` holds the data.
  NTSTATUS read_file(std::u16string_view name, std::string& content) {
    std::memset(mem, 0, size);
    auto* chars = reinterpret_cast<char16_t*>(mem + 1024);
    std::memcpy(chars, name.data(), name.size() * 2);
    auto* us = reinterpret_cast<UNICODE_STRING*>(mem);
    us->Length = us->MaximumLength = static_cast<USHORT>(name.size() * 2);
    us->Buffer = at(1024);
    auto* oa = reinterpret_cast<OBJECT_ATTRIBUTES*>(mem + 64);
    oa->Length = sizeof(OBJECT_ATTRIBUTES);
    oa->ObjectName = at(0);
    oa->Attributes = OBJ_CASE_INSENSITIVE;
    HANDLE* h = reinterpret_cast<HANDLE*>(mem + 128);
    NTSTATUS s = NtCreateFile(
        UserPtr<HANDLE>(at(128)), GENERIC_READ | SYNCHRONIZE, UserPtr<OBJECT_ATTRIBUTES>(at(64)),
        UserPtr<IO_STATUS_BLOCK>(at(256)), UserPtr<int64_t>(), 0, FILE_SHARE_READ, FILE_OPEN,
        FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE, UserPtr<void>(), 0);
    content.clear();
    if (!nt_success(s)) return s;
    s = NtReadFile(*h, 0, UserPtr<void>(), UserPtr<void>(), UserPtr<IO_STATUS_BLOCK>(at(256)),
                   UserPtr<void>(at(8192)), 1024, UserPtr<int64_t>(), UserPtr<ULONG>());
    if (nt_success(s))
      content.assign(reinterpret_cast<char*>(mem + 8192),
                     reinterpret_cast<IO_STATUS_BLOCK*>(mem + 256)->Information);
    current_process().handles.close(*h);
    return s;
  }
};

WindowsNamespace namespace_with_c() {
  WindowsNamespace ns;
  ns.drives[2].root_fd = 100;  // parse only looks at whether a drive is mapped
  ns.drives[3].root_fd = 101;
  return ns;
}

}  // namespace

TEST_CASE("absolute NT names: prefixes and drives") {
  WindowsNamespace ns = namespace_with_c();
  ParsedName p;
  REQUIRE(io::parse_absolute_name(u"\\??\\C:\\dir\\file.txt", ns, p) == STATUS_SUCCESS);
  CHECK(p.kind == ParsedName::Kind::Drive);
  CHECK(p.drive == 2);
  CHECK(p.components.size() == 2);
  CHECK(p.components[0] == u"dir");
  CHECK(p.host_path == "dir/file.txt");
  CHECK_FALSE(p.trailing_separator);
  for (std::u16string_view prefix :
       {u"\\DosDevices\\", u"\\GLOBAL??\\", u"\\dosdevices\\", u"\\global??\\"}) {
    std::u16string name = std::u16string(prefix) + u"d:\\x";
    REQUIRE(io::parse_absolute_name(name, ns, p) == STATUS_SUCCESS);
    CHECK(p.drive == 3);
    CHECK(p.host_path == "x");
  }
  REQUIRE(io::parse_absolute_name(u"\\Device\\HarddiskVolume3\\a", ns, p) == STATUS_SUCCESS);
  CHECK(p.drive == 2);
  CHECK(io::parse_absolute_name(u"\\Device\\HarddiskVolume9\\a", ns, p) ==
        STATUS_OBJECT_PATH_NOT_FOUND);
  REQUIRE(io::parse_absolute_name(u"\\??\\C:\\dir\\", ns, p) == STATUS_SUCCESS);
  CHECK(p.trailing_separator);
  CHECK(p.components.size() == 1);
  REQUIRE(io::parse_absolute_name(u"\\??\\C:\\", ns, p) == STATUS_SUCCESS);
  CHECK(p.components.empty());
  REQUIRE(io::parse_absolute_name(u"\\??\\c:", ns, p) == STATUS_SUCCESS);
  CHECK(p.components.empty());
  REQUIRE(io::parse_absolute_name(u"\\??\\nul", ns, p) == STATUS_SUCCESS);
  CHECK(p.kind == ParsedName::Kind::NullDevice);
  REQUIRE(io::parse_absolute_name(u"\\Device\\Null", ns, p) == STATUS_SUCCESS);
  CHECK(p.kind == ParsedName::Kind::NullDevice);

  CHECK(io::parse_absolute_name(u"C:\\x", ns, p) == STATUS_OBJECT_PATH_SYNTAX_BAD);
  CHECK(io::parse_absolute_name(u"", ns, p) == STATUS_OBJECT_PATH_SYNTAX_BAD);
  CHECK(io::parse_absolute_name(u"\\", ns, p) == STATUS_OBJECT_TYPE_MISMATCH);
  CHECK(io::parse_absolute_name(u"\\??", ns, p) == STATUS_OBJECT_TYPE_MISMATCH);
  CHECK(io::parse_absolute_name(u"\\??\\", ns, p) == STATUS_OBJECT_NAME_INVALID);
  CHECK(io::parse_absolute_name(u"\\\\??\\C:\\x", ns, p) == STATUS_OBJECT_NAME_INVALID);
  CHECK(io::parse_absolute_name(u"\\??\\E:\\x", ns, p) == STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(io::parse_absolute_name(u"\\??\\E:", ns, p) == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(io::parse_absolute_name(u"\\??\\CC:\\x", ns, p) == STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(io::parse_absolute_name(u"\\??\\1:\\x", ns, p) == STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(io::parse_absolute_name(u"\\??\\UNC\\host\\share\\x", ns, p) ==
        STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(io::parse_absolute_name(u"\\??\\CON", ns, p) == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(io::parse_absolute_name(u"\\??\\NUL\\x", ns, p) == STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(io::parse_absolute_name(u"\\Windows\\x", ns, p) == STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(io::parse_absolute_name(u"\\Windows", ns, p) == STATUS_OBJECT_NAME_NOT_FOUND);
}

TEST_CASE("file name components: what NTFS refuses") {
  WindowsNamespace ns = namespace_with_c();
  ParsedName p;
  for (std::u16string_view bad :
       {u"\\??\\C:\\a\\\\b", u"\\??\\C:\\.", u"\\??\\C:\\..", u"\\??\\C:\\a\\..\\b",
        u"\\??\\C:\\a\\.\\b", u"\\??\\C:\\..\\", u"\\??\\C:\\a*", u"\\??\\C:\\a?", u"\\??\\C:\\a<",
        u"\\??\\C:\\a>", u"\\??\\C:\\a\"", u"\\??\\C:\\a|", u"\\??\\C:\\a:b", u"\\??\\C:\\a/b",
        u"\\??\\C:\\a\\b\\\\", u"\\??\\C:\\\\"}) {
    CAPTURE(std::string(bad.begin(), bad.end()));
    CHECK(io::parse_absolute_name(bad, ns, p) == STATUS_OBJECT_NAME_INVALID);
  }
  std::u16string ctrl = u"\\??\\C:\\a";
  ctrl += char16_t(0x1f);
  CHECK(io::parse_absolute_name(ctrl, ns, p) == STATUS_OBJECT_NAME_INVALID);
  std::u16string nul = u"\\??\\C:\\a";
  nul += char16_t(0);
  CHECK(io::parse_absolute_name(nul, ns, p) == STATUS_OBJECT_NAME_INVALID);
  // An unpaired surrogate is a valid NTFS name; the host spells it in WTF-8.
  std::u16string lone = u"\\??\\C:\\a";
  lone += char16_t(0xD800);
  REQUIRE(io::parse_absolute_name(lone, ns, p) == STATUS_SUCCESS);
  CHECK(p.host_path == "a\xED\xA0\x80");
  // 255 units is the limit.
  std::u16string longest = u"\\??\\C:\\" + std::u16string(255, u'x');
  CHECK(io::parse_absolute_name(longest, ns, p) == STATUS_SUCCESS);
  CHECK(io::parse_absolute_name(longest + u"x", ns, p) == STATUS_OBJECT_NAME_INVALID);
  // Spaces, dots inside and trailing, and non-ASCII are fine.
  REQUIRE(io::parse_absolute_name(u"\\??\\C:\\a b\\x.y.\\\u00e9\u4e2d\U0001F600", ns, p) ==
          STATUS_SUCCESS);
  CHECK(p.host_path == "a b/x.y./\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x98\x80");

  REQUIRE(io::parse_relative_name(u"a\\b", p) == STATUS_SUCCESS);
  CHECK(p.components.size() == 2);
  REQUIRE(io::parse_relative_name(u"", p) == STATUS_SUCCESS);
  CHECK(p.components.empty());
  CHECK(io::parse_relative_name(u"..\\x", p) == STATUS_OBJECT_NAME_INVALID);
}

TEST_CASE("Windows upper-casing, UTF conversion and masks") {
  CHECK(io::upcase(u'a') == u'A');
  CHECK(io::upcase(u'Z') == u'Z');
  CHECK(io::upcase(u'\u00e9') == u'\u00c9');
  CHECK(io::upcase(u'\u03c3') == u'\u03a3');
  CHECK(io::upcase(u'\u0131') == u'\u0131');  // dotless i does not become ASCII 'I'
  CHECK(io::upcase(u'\u00df') == u'\u00df');
  CHECK(io::equal_nocase(u"Hello.TXT", u"hELLO.txt"));
  CHECK_FALSE(io::equal_nocase(u"Hello", u"Hello "));
  CHECK(io::compare_nocase(u"alpha", u"BETA") < 0);
  CHECK(io::compare_nocase(u"b", u"A") > 0);
  CHECK(io::compare_nocase(u"ab", u"AB") == 0);
  CHECK(io::compare_nocase(u"ab", u"abc") < 0);
  // Underscore (0x5F) sorts after upper-case letters, as NTFS orders names.
  CHECK(io::compare_nocase(u"_x", u"zeta") > 0);

  std::string u8;
  REQUIRE(io::utf8_from_utf16(u"\u00e9\U0001F600", u8));
  CHECK(u8 == "\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(io::utf16_from_utf8(u8) == u"\u00e9\U0001F600");
  CHECK(io::utf16_from_utf8("a\xFF"
                            "b") == u"a\uFFFDb");
  CHECK(io::utf16_from_utf8("\xC0\xAF") == u"\uFFFD\uFFFD");  // overlong '/'
  std::u16string lone16(1, char16_t(0xDC00));
  REQUIRE(io::utf8_from_utf16(lone16, u8));
  CHECK(u8 == "\xED\xB0\x80");
  CHECK(io::utf16_from_utf8(u8) == lone16);

  CHECK(io::name_matches_mask(u"file.txt", u"*"));
  CHECK(io::name_matches_mask(u"file.txt", u"*.TXT"));
  CHECK_FALSE(io::name_matches_mask(u"file.txt", u"*.tx"));
  CHECK(io::name_matches_mask(u"file.txt", u"F?LE.*"));
  CHECK_FALSE(io::name_matches_mask(u"file.txt", u"f?le"));
  CHECK(io::name_matches_mask(u"a.b.c", u"*.c"));
  CHECK(io::name_matches_mask(u"abc", u"a*b*c"));
  CHECK(io::name_matches_mask(u"ac", u"a*c"));
  CHECK_FALSE(io::name_matches_mask(u"ab", u"a?b"));
  CHECK(io::name_matches_mask(u"FILE", u"file"));
  // DOS wildcards: '<' stops before the last dot, '"' is the dot (or nothing at the end),
  // '>' is one character or nothing at a dot or at the end.
  CHECK(io::name_matches_mask(u"a.b.txt", u"<\"txt"));
  CHECK_FALSE(io::name_matches_mask(u"atxt", u"<\"txt"));
  CHECK(io::name_matches_mask(u"readme", u"<\"*"));
  CHECK(io::name_matches_mask(u"ab", u">>>"));
  CHECK(io::name_matches_mask(u"ab.c", u">>>\">"));
  CHECK_FALSE(io::name_matches_mask(u"abcd", u">>>"));
}

TEST_CASE("case-insensitive resolution on the host") {
  Tree t;
  mkdir((t.c + "/Program Files").c_str(), 0755);
  mkdir((t.c + "/Program Files/App").c_str(), 0755);
  Tree::put(t.c + "/Program Files/App/Config.INI", "cfg");
  HostPath out;
  std::u16string_view comps[] = {u"PROGRAM FILES", u"app", u"config.ini"};
  REQUIRE(io::resolve_host_path(t.root(), HostPath{}, comps, out) == STATUS_SUCCESS);
  CHECK(out.exists);
  CHECK(out.path == "Program Files/App/Config.INI");
  CHECK(out.nt_name == u"\\Program Files\\App\\Config.INI");
  CHECK(out.parent() == "Program Files/App");
  CHECK(out.leaf() == "Config.INI");
  CHECK(out.nt_parent() == u"\\Program Files\\App");

  std::u16string_view missing[] = {u"program files", u"APP", u"New.File"};
  REQUIRE(io::resolve_host_path(t.root(), HostPath{}, missing, out) == STATUS_SUCCESS);
  CHECK_FALSE(out.exists);
  CHECK(out.path == "Program Files/App/New.File");

  std::u16string_view no_parent[] = {u"nothing", u"x"};
  CHECK(io::resolve_host_path(t.root(), HostPath{}, no_parent, out) ==
        STATUS_OBJECT_PATH_NOT_FOUND);
  std::u16string_view file_parent[] = {u"program files", u"app", u"config.ini", u"x"};
  CHECK(io::resolve_host_path(t.root(), HostPath{}, file_parent, out) ==
        STATUS_OBJECT_PATH_NOT_FOUND);

  // Several host spellings of one Windows name: the exact one wins.
  Tree::put(t.c + "/dup", "lower");
  Tree::put(t.c + "/DUP", "upper");
  std::u16string_view dup[] = {u"DUP"};
  REQUIRE(io::resolve_host_path(t.root(), HostPath{}, dup, out) == STATUS_SUCCESS);
  CHECK(out.path == "DUP");
  std::u16string_view dup2[] = {u"Dup"};
  REQUIRE(io::resolve_host_path(t.root(), HostPath{}, dup2, out) == STATUS_SUCCESS);
  CHECK((out.path == "DUP" || out.path == "dup"));

  // A base that is not the root.
  HostPath base;
  base.path = "Program Files";
  base.nt_name = u"\\Program Files";
  std::u16string_view rel[] = {u"APP"};
  REQUIRE(io::resolve_host_path(t.root(), base, rel, out) == STATUS_SUCCESS);
  CHECK(out.path == "Program Files/App");
  CHECK(out.nt_name == u"\\Program Files\\App");

  std::string host;
  int dir = open(t.c.c_str(), O_PATH | O_DIRECTORY);
  CHECK(io::find_entry_nocase(dir, u"program FILES", host));
  CHECK(host == "Program Files");
  CHECK_FALSE(io::find_entry_nocase(dir, u"absent", host));
  close(dir);
}

TEST_CASE("the drive root is a hard wall: openat2 beneath the root") {
  Tree t;
  // Decoys inside the drive with the names the escapes aim at.
  Tree::put(t.c + "/secret.txt", "inside");
  mkdir((t.c + "/etc").c_str(), 0755);
  Tree::put(t.c + "/etc/passwd", "inside passwd");
  REQUIRE(symlink((t.top + "/secret.txt").c_str(), (t.c + "/abs_link").c_str()) == 0);
  REQUIRE(symlink("/etc/passwd", (t.c + "/etc_link").c_str()) == 0);
  REQUIRE(symlink("../secret.txt", (t.c + "/rel_link").c_str()) == 0);
  REQUIRE(symlink("../../../../../../secret.txt", (t.c + "/deep_link").c_str()) == 0);
  REQUIRE(symlink(t.top.c_str(), (t.c + "/abs_dir").c_str()) == 0);
  REQUIRE(symlink("..", (t.c + "/up_dir").c_str()) == 0);
  REQUIRE(symlink("/proc/self/root", (t.c + "/magic").c_str()) == 0);
  REQUIRE(symlink("/proc/self/cwd", (t.c + "/magic_cwd").c_str()) == 0);

  const int root = t.root();
  CHECK(read_in_root(root, "secret.txt") == "inside");
  CHECK(read_in_root(root, "../secret.txt") == "inside");
  CHECK(read_in_root(root, "../../../../secret.txt") == "inside");
  CHECK(read_in_root(root, "/secret.txt") == "inside");
  CHECK(read_in_root(root, "abs_link") == "");  // its target does not exist under the root
  CHECK(read_in_root(root, "etc_link") == "inside passwd");
  CHECK(read_in_root(root, "rel_link") == "inside");
  CHECK(read_in_root(root, "deep_link") == "inside");
  CHECK(read_in_root(root, "abs_dir/secret.txt") == "");
  CHECK(read_in_root(root, "up_dir/secret.txt") == "inside");
  CHECK(read_in_root(root, "up_dir/up_dir/../secret.txt") == "inside");
  CHECK(io::open_in_root(root, "magic/etc/passwd", O_RDONLY) < 0);
  CHECK(io::open_in_root(root, "magic_cwd", O_RDONLY) < 0);

  // What the secret would read like if any of these had escaped.
  int fd = open((t.top + "/secret.txt").c_str(), O_RDONLY);
  CHECK(read_fd(fd) == "outside");
  close(fd);
}

TEST_CASE("the drive root is a hard wall: through NtCreateFile") {
  Tree t;
  Client client;
  Tree::put(t.c + "/secret.txt", "inside");
  mkdir((t.c + "/etc").c_str(), 0755);
  Tree::put(t.c + "/etc/passwd", "inside passwd");
  mkdir((t.c + "/Sub").c_str(), 0755);
  REQUIRE(symlink((t.top + "/secret.txt").c_str(), (t.c + "/abs_link").c_str()) == 0);
  REQUIRE(symlink("/etc/passwd", (t.c + "/Etc_Link").c_str()) == 0);
  REQUIRE(symlink("../secret.txt", (t.c + "/Rel_Link").c_str()) == 0);
  REQUIRE(symlink("../../secret.txt", (t.c + "/Sub/deeper").c_str()) == 0);
  REQUIRE(symlink(t.top.c_str(), (t.c + "/Abs_Dir").c_str()) == 0);
  REQUIRE(symlink("../..", (t.c + "/Up_Dir").c_str()) == 0);
  REQUIRE(symlink("/proc/self/root", (t.c + "/magic").c_str()) == 0);

  std::string s;
  CHECK(client.read_file(u"\\??\\C:\\secret.txt", s) == STATUS_SUCCESS);
  CHECK(s == "inside");
  // ".." never reaches the host: it is not a valid component.
  CHECK(client.read_file(u"\\??\\C:\\..\\secret.txt", s) == STATUS_OBJECT_NAME_INVALID);
  CHECK(client.read_file(u"\\??\\C:\\Sub\\..\\..\\secret.txt", s) == STATUS_OBJECT_NAME_INVALID);
  CHECK(client.read_file(u"\\??\\C:\\..", s) == STATUS_OBJECT_NAME_INVALID);
  // \??\ tricks: another object directory, UNC, devices, nested prefixes.
  CHECK(client.read_file(u"\\??\\C:\\..\\", s) == STATUS_OBJECT_NAME_INVALID);
  CHECK(client.read_file(u"\\??\\UNC\\localhost\\c$\\secret.txt", s) ==
        STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(client.read_file(u"\\??\\C:\\??\\C:\\secret.txt", s) == STATUS_OBJECT_NAME_INVALID);
  CHECK(client.read_file(u"\\??\\GLOBALROOT\\??\\C:\\secret.txt", s) ==
        STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(client.read_file(u"\\Device\\HarddiskVolume1\\secret.txt", s) ==
        STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(client.read_file(u"\\??\\C:\\/secret.txt", s) == STATUS_OBJECT_NAME_INVALID);
  CHECK(client.read_file(u"\\??\\C:\\Sub/../../secret.txt", s) == STATUS_OBJECT_NAME_INVALID);
  // Host symlinks resolve beneath the root, whatever case they are named in.
  CHECK(client.read_file(u"\\??\\C:\\ABS_LINK", s) == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(client.read_file(u"\\??\\C:\\etc_link", s) == STATUS_SUCCESS);
  CHECK(s == "inside passwd");
  CHECK(client.read_file(u"\\??\\C:\\rel_link", s) == STATUS_SUCCESS);
  CHECK(s == "inside");
  CHECK(client.read_file(u"\\??\\C:\\sub\\DEEPER", s) == STATUS_SUCCESS);
  CHECK(s == "inside");
  CHECK(client.read_file(u"\\??\\C:\\abs_dir\\secret.txt", s) == STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(client.read_file(u"\\??\\C:\\up_dir\\secret.txt", s) == STATUS_SUCCESS);
  CHECK(s == "inside");
  CHECK(client.read_file(u"\\??\\C:\\MAGIC\\etc\\passwd", s) != STATUS_SUCCESS);
  CHECK(s.empty());
}
