// A PE32+ file mapped (or given) into memory and validated: headers copied out (the file may
// place them unaligned) and every range the loader will later follow checked against the file and
// the image size, so mapping never reads or writes outside either.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ireactor/win/pe_format.h"
#include "load_status.h"

namespace ireactor::loader {

struct PeFile {
  std::string path;               // host path, for messages
  std::span<const uint8_t> data;  // the whole file, kept alive by `storage`
  std::shared_ptr<const void> storage;
  // The open file when `data` is a read-only mapping of it (read_pe_file), else -1: page-aligned
  // sections are then mapped from it copy-on-write instead of copied (map_image).
  int fd = -1;
  win::IMAGE_NT_HEADERS64 nt{};  // data directories past NumberOfRvaAndSizes are zeroed
  std::vector<win::IMAGE_SECTION_HEADER> sections;

  const win::IMAGE_OPTIONAL_HEADER64& opt() const { return nt.OptionalHeader; }
  const win::IMAGE_DATA_DIRECTORY& directory(uint32_t index) const {
    return nt.OptionalHeader.DataDirectory[index];
  }
  bool is_dll() const { return (nt.FileHeader.Characteristics & win::IMAGE_FILE_DLL) != 0; }
  // SizeOfImage rounded up to whole pages: the length of the mapping.
  uint64_t mapped_size() const;
  // Bytes of the section that come from the file / that the section spans in memory.
  static uint32_t raw_size(const win::IMAGE_SECTION_HEADER& s);
  static uint32_t virtual_size(const win::IMAGE_SECTION_HEADER& s);
  static std::string section_name(const win::IMAGE_SECTION_HEADER& s);
};

// Validates `data` as an AMD64 PE32+ image. STATUS_INVALID_IMAGE_FORMAT with the reason when it
// is not one (no MZ/PE signature, another machine, truncated headers, sections outside the file
// or the image...).
LoadStatus parse_pe(std::vector<uint8_t> data, std::string path, PeFile& out);
// Reads the host file and parses it. STATUS_OBJECT_NAME_NOT_FOUND when it cannot be opened.
LoadStatus read_pe_file(const std::string& host_path, PeFile& out);

}  // namespace ireactor::loader
