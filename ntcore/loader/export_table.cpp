#include "export_table.h"

#include <cstring>

namespace ireactor::loader {

using namespace win;

namespace {

LoadStatus bad(const std::string& path, const std::string& why) {
  return LoadStatus::failure(nt::STATUS_INVALID_IMAGE_FORMAT,
                             path + ": bad export directory: " + why);
}

// The NUL-terminated string at rva, which must end inside the image.
bool image_string(uint64_t base, uint64_t size, uint32_t rva, std::string& out) {
  if (rva == 0 || rva >= size) return false;
  const char* s = reinterpret_cast<const char*>(base + rva);
  const size_t n = strnlen(s, size - rva);
  if (n == size - rva) return false;
  out.assign(s, n);
  return true;
}

}  // namespace

LoadStatus ExportTable::read(uint64_t base, uint64_t size, const IMAGE_DATA_DIRECTORY& dir,
                             const std::string& path) {
  *this = ExportTable{};
  base_ = base;
  if (dir.VirtualAddress == 0 || dir.Size == 0) return LoadStatus::success();
  if (static_cast<uint64_t>(dir.VirtualAddress) + sizeof(IMAGE_EXPORT_DIRECTORY) > size)
    return bad(path, "the directory lies outside the image");
  dir_rva_ = dir.VirtualAddress;
  dir_size_ = dir.Size;
  IMAGE_EXPORT_DIRECTORY ed;
  memcpy(&ed, reinterpret_cast<const void*>(base + dir.VirtualAddress), sizeof ed);
  ordinal_base_ = ed.Base;
  if (ed.Name) image_string(base, size, ed.Name, dll_name_);

  auto table_ok = [&](uint32_t rva, uint64_t count, uint64_t elem) {
    return count == 0 || (rva != 0 && rva + count * elem <= size);
  };
  if (ed.NumberOfFunctions > 0x10000 || !table_ok(ed.AddressOfFunctions, ed.NumberOfFunctions, 4))
    return bad(path, "the address table lies outside the image");
  if (ed.NumberOfNames > 0x10000) return bad(path, "too many names");
  if (!table_ok(ed.AddressOfNames, ed.NumberOfNames, 4) ||
      !table_ok(ed.AddressOfNameOrdinals, ed.NumberOfNames, 2))
    return bad(path, "the name tables lie outside the image");

  functions_.resize(ed.NumberOfFunctions);
  forwarders_.resize(ed.NumberOfFunctions);
  if (ed.NumberOfFunctions)
    memcpy(functions_.data(), reinterpret_cast<const void*>(base + ed.AddressOfFunctions),
           functions_.size() * 4);
  for (size_t i = 0; i < functions_.size(); ++i) {
    const uint32_t rva = functions_[i];
    if (rva == 0) continue;
    if (rva >= dir_rva_ && rva < static_cast<uint64_t>(dir_rva_) + dir_size_) {
      if (!image_string(base, size, rva, forwarders_[i]) ||
          forwarders_[i].find('.') == std::string::npos)
        return bad(
            path, "forwarder of ordinal " + std::to_string(ordinal_base_ + i) + " is not DLL.Name");
    } else if (rva >= size) {
      return bad(path,
                 "ordinal " + std::to_string(ordinal_base_ + i) + " points outside the image");
    }
  }
  names_.reserve(ed.NumberOfNames);
  for (uint32_t i = 0; i < ed.NumberOfNames; ++i) {
    uint32_t name_rva;
    uint16_t index;
    memcpy(&name_rva, reinterpret_cast<const void*>(base + ed.AddressOfNames + i * 4ull), 4);
    memcpy(&index, reinterpret_cast<const void*>(base + ed.AddressOfNameOrdinals + i * 2ull), 2);
    std::string name;
    if (!image_string(base, size, name_rva, name)) return bad(path, "an export name is cut off");
    if (index >= functions_.size())
      return bad(path, "export " + name + " names a function past the address table");
    by_name_.emplace(name, index);
    names_.emplace_back(std::move(name), index);
  }
  return LoadStatus::success();
}

bool ExportTable::target(uint32_t index, ExportTarget& out) const {
  if (index >= functions_.size() || functions_[index] == 0) return false;
  out = ExportTarget{};
  if (!forwarders_[index].empty())
    out.forwarder = forwarders_[index];
  else
    out.address = base_ + functions_[index];
  return true;
}

bool ExportTable::find_name(std::string_view name, uint16_t hint, ExportTarget& out) const {
  if (hint < names_.size() && names_[hint].first == name) return target(names_[hint].second, out);
  auto it = by_name_.find(std::string(name));
  return it != by_name_.end() && target(it->second, out);
}

bool ExportTable::find_ordinal(uint32_t ordinal, ExportTarget& out) const {
  if (ordinal < ordinal_base_) return false;
  return target(ordinal - ordinal_base_, out);
}

}  // namespace ireactor::loader
