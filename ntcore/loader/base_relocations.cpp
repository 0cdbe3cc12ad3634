#include "base_relocations.h"

#include <cstring>

namespace ireactor::loader {

using namespace win;

namespace {

LoadStatus bad(const std::string& path, const std::string& why) {
  return LoadStatus::failure(nt::STATUS_INVALID_IMAGE_FORMAT,
                             path + ": bad base relocation directory: " + why);
}

template <class T>
void add_at(uint8_t* p, int64_t delta) {
  T v;
  memcpy(&v, p, sizeof v);  // fixups need not be aligned
  v = static_cast<T>(v + static_cast<T>(delta));
  memcpy(p, &v, sizeof v);
}

}  // namespace

LoadStatus apply_base_relocations(uint8_t* image, uint64_t image_size,
                                  const IMAGE_DATA_DIRECTORY& dir, int64_t delta,
                                  const std::string& path) {
  if (delta == 0 || dir.VirtualAddress == 0 || dir.Size == 0) return LoadStatus::success();
  uint64_t off = dir.VirtualAddress;
  const uint64_t end = static_cast<uint64_t>(dir.VirtualAddress) + dir.Size;
  if (end > image_size) return bad(path, "the directory lies outside the image");
  while (off + sizeof(IMAGE_BASE_RELOCATION) <= end) {
    IMAGE_BASE_RELOCATION block;
    memcpy(&block, image + off, sizeof block);
    if (block.SizeOfBlock == 0) break;  // some linkers pad the directory with zeros
    if (block.SizeOfBlock < sizeof block || off + block.SizeOfBlock > end)
      return bad(path, "a block of " + std::to_string(block.SizeOfBlock) + " bytes overruns it");
    const uint64_t count = (block.SizeOfBlock - sizeof block) / sizeof(uint16_t);
    for (uint64_t i = 0; i < count; ++i) {
      uint16_t entry;
      memcpy(&entry, image + off + sizeof block + i * sizeof entry, sizeof entry);
      const uint16_t type = entry >> 12;
      const uint64_t rva = static_cast<uint64_t>(block.VirtualAddress) + (entry & 0xFFF);
      uint64_t width = 0;
      switch (type) {
        case IMAGE_REL_BASED_ABSOLUTE:
          continue;  // padding
        case IMAGE_REL_BASED_DIR64:
          width = 8;
          break;
        case IMAGE_REL_BASED_HIGHLOW:
          width = 4;
          break;
        case IMAGE_REL_BASED_HIGH:
        case IMAGE_REL_BASED_LOW:
          width = 2;
          break;
        default:
          return bad(path, "unsupported relocation type " + std::to_string(type));
      }
      if (rva + width > image_size)
        return bad(path, "a fixup at RVA " + std::to_string(rva) + " lies outside the image");
      uint8_t* p = image + rva;
      switch (type) {
        case IMAGE_REL_BASED_DIR64:
          add_at<uint64_t>(p, delta);
          break;
        case IMAGE_REL_BASED_HIGHLOW:
          add_at<uint32_t>(p, delta);
          break;
        case IMAGE_REL_BASED_HIGH:
          add_at<uint16_t>(p, delta >> 16);
          break;
        case IMAGE_REL_BASED_LOW:
          add_at<uint16_t>(p, delta);
          break;
      }
    }
    off += block.SizeOfBlock;
  }
  return LoadStatus::success();
}

}  // namespace ireactor::loader
