// Default contents: versions from the namespace's Windows build, en-US locale settings, the system
// environment and UTC as the time zone. Windows paths only (C:\Windows...), never host paths.
#include "registry/registry_defaults.h"

#include <cstdio>
#include <string>

namespace ireactor::registry {

namespace {

// The key at `path` ('\'-separated, below \Registry), made (non-volatile) when missing.
Key& ensure_key(Key& root, std::u16string_view path) {
  Key* k = &root;
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find(u'\\', start);
    if (end == std::u16string_view::npos) end = path.size();
    std::u16string c(path.substr(start, end - start));
    start = end + 1;
    auto& slot = k->subkeys[upcase(c)];
    if (!slot) {
      slot = std::make_shared<Key>();
      slot->name = c;
      slot->parent = k;
      slot->last_write = now_nt_time();
    }
    k = slot.get();
  }
  return *k;
}

enum class Mode { IfMissing, Always };

void set(Key& key, std::u16string_view name, nt::ULONG type, std::vector<uint8_t> data,
         Mode mode = Mode::IfMissing) {
  if (Value* v = key.find_value(name)) {
    if (mode == Mode::Always) {
      v->type = type;
      v->data = std::move(data);
    }
    return;
  }
  key.values.push_back(Value{std::u16string(name), type, std::move(data)});
}

std::vector<uint8_t> sz(std::u16string_view s) {
  std::vector<uint8_t> b;
  for (char16_t c : s) {
    b.push_back(static_cast<uint8_t>(c & 0xff));
    b.push_back(static_cast<uint8_t>(c >> 8));
  }
  b.push_back(0);
  b.push_back(0);
  return b;
}

std::vector<uint8_t> dword(uint32_t v) {
  return {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v >> 16),
          static_cast<uint8_t>(v >> 24)};
}

void set_sz(Key& k, std::u16string_view name, std::u16string_view s, Mode m = Mode::IfMissing) {
  set(k, name, REG_SZ, sz(s), m);
}
void set_expand_sz(Key& k, std::u16string_view name, std::u16string_view s) {
  set(k, name, REG_EXPAND_SZ, sz(s));
}

std::u16string widen(const std::string& s) {
  return std::u16string(s.begin(), s.end());
}

void add_version(Key& root, const WindowsNamespace& ns) {
  // windows_build is "major.minor.build".
  unsigned major = 10, minor = 0, build = 19045;
  std::sscanf(ns.windows_build.c_str(), "%u.%u.%u", &major, &minor, &build);
  Key& cv = ensure_key(root, u"Machine\\Software\\Microsoft\\Windows NT\\CurrentVersion");
  const std::u16string b = widen(std::to_string(build));
  // Windows 11 still says "Windows 10" here; programs tell them apart by the build number.
  set_sz(cv, u"ProductName", u"Windows 10 Pro", Mode::Always);
  set_sz(cv, u"CurrentBuild", b, Mode::Always);
  set_sz(cv, u"CurrentBuildNumber", b, Mode::Always);
  set(cv, u"CurrentMajorVersionNumber", REG_DWORD, dword(major), Mode::Always);
  set(cv, u"CurrentMinorVersionNumber", REG_DWORD, dword(minor), Mode::Always);
  set_sz(cv, u"CurrentVersion", u"6.3", Mode::Always);  // frozen since Windows 8.1
  set_sz(cv, u"CurrentType", u"Multiprocessor Free");
  set_sz(cv, u"EditionID", u"Professional");
  set_sz(cv, u"InstallationType", u"Client");
  set_sz(cv, u"SystemRoot", u"C:\\Windows");
  set_sz(cv, u"RegisteredOwner", u"user");
  set_sz(cv, u"RegisteredOrganization", u"");

  Key& tz = ensure_key(cv, u"Time Zones\\UTC");
  set_sz(tz, u"Display", u"(UTC) Coordinated Universal Time");
  set_sz(tz, u"Std", u"Coordinated Universal Time");
  set_sz(tz, u"Dlt", u"Coordinated Universal Time");
  set(tz, u"TZI", 3 /* REG_BINARY */, std::vector<uint8_t>(44, 0));

  Key& wcv = ensure_key(root, u"Machine\\Software\\Microsoft\\Windows\\CurrentVersion");
  set_sz(wcv, u"ProgramFilesDir", u"C:\\Program Files");
  set_sz(wcv, u"CommonFilesDir", u"C:\\Program Files\\Common Files");
  set_sz(wcv, u"ProgramFilesDir (x86)", u"C:\\Program Files (x86)");
  ensure_key(root, u"Machine\\Software\\Classes");
}

void add_system(Key& root) {
  const std::u16string control = u"Machine\\System\\CurrentControlSet\\Control";
  Key& cp = ensure_key(root, control + u"\\Nls\\CodePage");
  set_sz(cp, u"ACP", u"1252");
  set_sz(cp, u"OEMCP", u"437");
  set_sz(cp, u"MACCP", u"10000");
  Key& lang = ensure_key(root, control + u"\\Nls\\Language");
  set_sz(lang, u"Default", u"0409");
  set_sz(lang, u"InstallLanguage", u"0409");
  Key& loc = ensure_key(root, control + u"\\Nls\\Locale");
  set_sz(loc, u"", u"00000409");
  ensure_key(root, control + u"\\Nls\\Sorting\\Versions");

  Key& env = ensure_key(root, control + u"\\Session Manager\\Environment");
  set_expand_sz(env, u"ComSpec", u"%SystemRoot%\\system32\\cmd.exe");
  set_sz(env, u"OS", u"Windows_NT");
  set_expand_sz(env, u"Path", u"%SystemRoot%\\system32;%SystemRoot%;%SystemRoot%\\System32\\Wbem");
  set_sz(env, u"PATHEXT", u".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC");
  set_sz(env, u"PROCESSOR_ARCHITECTURE", u"AMD64");
  set_expand_sz(env, u"TEMP", u"%SystemRoot%\\TEMP");
  set_expand_sz(env, u"TMP", u"%SystemRoot%\\TEMP");
  set_expand_sz(env, u"windir", u"%SystemRoot%");

  Key& tzi = ensure_key(root, control + u"\\TimeZoneInformation");
  set_sz(tzi, u"TimeZoneKeyName", u"UTC");
  set_sz(tzi, u"StandardName", u"Coordinated Universal Time");
  set_sz(tzi, u"DaylightName", u"Coordinated Universal Time");
  set(tzi, u"Bias", REG_DWORD, dword(0));
  set(tzi, u"ActiveTimeBias", REG_DWORD, dword(0));

  Key& cn = ensure_key(root, control + u"\\ComputerName\\ComputerName");
  set_sz(cn, u"ComputerName", u"IREACTOR");
  ensure_key(root, u"Machine\\System\\CurrentControlSet\\Services");
}

void add_user(Key& root, std::u16string_view hive) {
  const std::u16string base = u"User\\" + std::u16string(hive);
  Key& intl = ensure_key(root, base + u"\\Control Panel\\International");
  set_sz(intl, u"Locale", u"00000409");
  set_sz(intl, u"LocaleName", u"en-US");
  set_sz(intl, u"sLanguage", u"ENU");
  set_sz(intl, u"sCountry", u"United States");
  Key& env = ensure_key(root, base + u"\\Environment");
  set_expand_sz(env, u"TEMP", u"%USERPROFILE%\\AppData\\Local\\Temp");
  set_expand_sz(env, u"TMP", u"%USERPROFILE%\\AppData\\Local\\Temp");
  ensure_key(root, base + u"\\Software\\Microsoft\\Windows\\CurrentVersion");
  ensure_key(root, base + u"\\Console");
}

}  // namespace

void add_default_contents(Key& root, const WindowsNamespace& ns) {
  add_version(root, ns);
  add_system(root);
  add_user(root, kCurrentUserSid);
  add_user(root, u".Default");
}

}  // namespace ireactor::registry
