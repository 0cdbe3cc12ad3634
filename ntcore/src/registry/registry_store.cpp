// Reading and writing the registry file (format in registry_store.h).
#include "registry/registry_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "ireactor/process.h"

namespace ireactor::registry {

namespace {

std::string hex(const uint8_t* p, size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(n * 2 + 1);
  for (size_t i = 0; i < n; ++i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return n ? s : "-";  // "-" keeps empty fields visible to the line parser
}

std::string hex16(const std::u16string& s) {
  std::vector<uint8_t> b;
  for (char16_t c : s) {
    b.push_back(static_cast<uint8_t>(c & 0xff));
    b.push_back(static_cast<uint8_t>(c >> 8));
  }
  return hex(b.data(), b.size());
}

bool unhex(const std::string& s, std::vector<uint8_t>& out) {
  out.clear();
  if (s == "-") return true;
  if (s.size() % 2) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); i += 2) {
    int hi = nibble(s[i]), lo = nibble(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return true;
}

bool unhex16(const std::string& s, std::u16string& out) {
  std::vector<uint8_t> b;
  if (!unhex(s, b) || b.size() % 2) return false;
  out.clear();
  for (size_t i = 0; i < b.size(); i += 2) out += static_cast<char16_t>(b[i] | b[i + 1] << 8);
  return true;
}

// The key at `path` (components separated by '\') below root, made when missing.
Key* make_path(Key& root, const std::u16string& path) {
  Key* k = &root;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(u'\\', start);
    if (end == std::u16string::npos) end = path.size();
    std::u16string c = path.substr(start, end - start);
    start = end + 1;
    if (c.empty()) return nullptr;
    auto& slot = k->subkeys[upcase(c)];
    if (!slot) {
      slot = std::make_shared<Key>();
      slot->name = c;
      slot->parent = k;
    }
    k = slot.get();
  }
  return k;
}

void write_key(std::ostream& out, const Key& k, const std::u16string& path) {
  if (k.is_volatile) return;  // and so is everything below it
  if (!path.empty()) {
    out << "K " << k.last_write << ' ' << hex16(path) << ' ' << hex16(k.class_name) << '\n';
    for (const Value& v : k.values)
      out << "V " << v.type << ' ' << hex16(v.name) << ' ' << hex(v.data.data(), v.data.size())
          << '\n';
  }
  for (const auto& [_, sub] : k.subkeys)
    write_key(out, *sub, path.empty() ? sub->name : path + u"\\" + sub->name);
}

}  // namespace

std::string registry_file_path() {
  const Drive* c = current_process().ns.drive('C');
  if (!c || c->host_path.empty()) return {};
  std::string dir = c->host_path;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  size_t slash = dir.rfind('/');
  if (slash == std::string::npos) return {};
  return dir.substr(0, slash + 1) + "registry.txt";
}

void load_registry_file(Key& root, const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line) || line != "ireactor-registry 1") return;
  Key* current = nullptr;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string tag, a, b, c;
    fields >> tag >> a >> b >> c;
    if (tag == "K") {
      std::u16string key_path, cls;
      current = nullptr;
      if (!unhex16(b, key_path) || !unhex16(c, cls)) continue;
      current = make_path(root, key_path);
      if (!current) continue;
      current->class_name = cls;
      current->last_write = std::strtoll(a.c_str(), nullptr, 10);
    } else if (tag == "V" && current) {
      Value v;
      v.type = static_cast<nt::ULONG>(std::strtoul(a.c_str(), nullptr, 10));
      if (!unhex16(b, v.name) || !unhex(c, v.data)) continue;
      if (Value* old = current->find_value(v.name))
        *old = std::move(v);
      else
        current->values.push_back(std::move(v));
    }
  }
}

bool save_registry_file(const Key& root, const std::string& path) {
  std::ostringstream text;
  text << "ireactor-registry 1\n";
  write_key(text, root, {});
  const std::string data = text.str();

  int lock = open((path + ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0) return false;
  flock(lock, LOCK_EX);
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  bool ok = false;
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ok = write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
    ok = fsync(fd) == 0 && ok;
    ok = close(fd) == 0 && ok;
    ok = ok && rename(tmp.c_str(), path.c_str()) == 0;
    if (!ok) unlink(tmp.c_str());
  }
  flock(lock, LOCK_UN);
  close(lock);
  return ok;
}

}  // namespace ireactor::registry
