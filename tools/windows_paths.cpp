#include "windows_paths.h"

#include <filesystem>

#include "win_string.h"

namespace ireactor::cli {

namespace {

bool valid_windows_component(const std::string& c) {
  if (c.empty() || c == "." || c == "..") return false;
  for (unsigned char ch : c)
    if (ch < 0x20 ||
        std::string_view("\\:*?\"<>|").find(static_cast<char>(ch)) != std::string_view::npos)
      return false;
  return true;
}

// host_path relative to dir ("" when equal), or nullopt when it is not beneath dir.
std::optional<std::string> relative_to(const std::string& host_path, std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (host_path == dir) return std::string();
  const std::string prefix = dir == "/" ? dir : dir + "/";
  if (!host_path.starts_with(prefix)) return std::nullopt;
  return host_path.substr(prefix.size());
}

}  // namespace

std::optional<std::u16string> dos_path_of_host(const std::string& host_path,
                                               const WindowsNamespace& ns) {
  std::optional<std::string> best;
  char best_letter = 0;
  for (int i = 0; i < 26; ++i) {
    const Drive& d = ns.drives[i];
    if (d.root_fd < 0) continue;
    std::error_code ec;
    const std::string root = std::filesystem::weakly_canonical(d.host_path, ec).string();
    if (ec) continue;
    std::optional<std::string> rel = relative_to(host_path, root);
    if (rel && (!best || rel->size() < best->size())) {
      best = rel;
      best_letter = static_cast<char>('A' + i);
    }
  }
  if (!best) return std::nullopt;

  std::u16string dos{static_cast<char16_t>(best_letter), u':', u'\\'};
  size_t start = 0;
  while (start < best->size()) {
    size_t slash = best->find('/', start);
    if (slash == std::string::npos) slash = best->size();
    const std::string component = best->substr(start, slash - start);
    if (!valid_windows_component(component)) return std::nullopt;
    if (dos.size() > 3) dos += u'\\';
    dos += loader::utf8_to_utf16(component);
    start = slash + 1;
  }
  return dos;
}

char free_drive_letter(const WindowsNamespace& ns) {
  for (char letter = 'Z'; letter >= 'D'; --letter) {
    const Drive& d = ns.drives[letter - 'A'];
    if (d.root_fd < 0) return letter;
  }
  return 0;
}

}  // namespace ireactor::cli
