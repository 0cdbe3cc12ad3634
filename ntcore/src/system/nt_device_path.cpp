#include "ireactor/system/nt_device_path.h"

#include <array>

namespace ireactor {

namespace {

char16_t ascii_upper(char16_t c) {
  return (c >= u'a' && c <= u'z') ? c - (u'a' - u'A') : c;
}
bool is_letter(char16_t c) {
  return ascii_upper(c) >= u'A' && ascii_upper(c) <= u'Z';
}

bool starts_with_nocase(std::u16string_view s, std::u16string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (ascii_upper(s[i]) != ascii_upper(prefix[i])) return false;
  return true;
}

// Drops the DOS-devices prefix of an NT path ("\??\", "\DosDevices\", "\GLOBAL??\").
std::u16string_view strip_dos_devices(std::u16string_view path) {
  for (std::u16string_view prefix : {u"\\??\\", u"\\DosDevices\\", u"\\GLOBAL??\\"})
    if (starts_with_nocase(path, prefix)) return path.substr(prefix.size());
  return path;
}

// "C:" or "C:\..." (a drive-absolute path, or the drive itself).
bool is_drive_path(std::u16string_view p) {
  return p.size() >= 2 && is_letter(p[0]) && p[1] == u':' && (p.size() == 2 || p[2] == u'\\');
}

}  // namespace

std::u16string volume_device_name(char16_t drive_letter) {
  if (!is_letter(drive_letter)) return {};
  unsigned n = static_cast<unsigned>(ascii_upper(drive_letter) - u'A') + 1;
  std::u16string name = u"\\Device\\HarddiskVolume";
  if (n >= 10) name += static_cast<char16_t>(u'0' + n / 10);
  name += static_cast<char16_t>(u'0' + n % 10);
  return name;
}

std::u16string nt_device_path_from_dos_path(std::u16string_view path) {
  std::u16string_view p = strip_dos_devices(path);
  if (is_drive_path(p)) return volume_device_name(p[0]) + std::u16string(p.substr(2));
  if (p.data() != path.data() && starts_with_nocase(p, u"UNC\\"))
    return u"\\Device\\Mup" + std::u16string(p.substr(3));
  return std::u16string(path);
}

std::u16string win32_path_from_nt_path(std::u16string_view path) {
  std::u16string_view p = strip_dos_devices(path);
  if (p.data() == path.data()) return std::u16string(path);
  if (starts_with_nocase(p, u"UNC\\")) return u"\\" + std::u16string(p.substr(3));
  return std::u16string(p);
}

}  // namespace ireactor
