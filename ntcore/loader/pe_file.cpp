#include "pe_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "ireactor/address_space.h"

namespace ireactor::loader {

using namespace win;

namespace {

constexpr uint64_t kMaxImageSize = 0x80000000ull;  // 2 GiB, as for any PE32+ image

bool is_pow2(uint32_t v) {
  return v != 0 && (v & (v - 1)) == 0;
}
uint64_t align_up(uint64_t v, uint64_t a) {
  return (v + a - 1) & ~(a - 1);
}

std::string hex(uint64_t v) {
  char buf[32];
  snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

LoadStatus bad(const std::string& path, const std::string& why) {
  return LoadStatus::failure(nt::STATUS_INVALID_IMAGE_FORMAT,
                             path + " is not a valid x64 Windows image: " + why);
}

}  // namespace

uint64_t PeFile::mapped_size() const {
  return align_up(opt().SizeOfImage, kPageSize);
}

uint32_t PeFile::raw_size(const IMAGE_SECTION_HEADER& s) {
  // Bytes past VirtualSize are file-alignment padding and are not mapped.
  if (s.VirtualSize != 0) return std::min(s.SizeOfRawData, s.VirtualSize);
  return s.SizeOfRawData;
}

uint32_t PeFile::virtual_size(const IMAGE_SECTION_HEADER& s) {
  return s.VirtualSize != 0 ? s.VirtualSize : s.SizeOfRawData;
}

std::string PeFile::section_name(const IMAGE_SECTION_HEADER& s) {
  return std::string(reinterpret_cast<const char*>(s.Name),
                     strnlen(reinterpret_cast<const char*>(s.Name), 8));
}

namespace {

// Validates the bytes and fills `out` but for its data, storage and fd.
LoadStatus parse_pe_bytes(std::span<const uint8_t> data, std::string path, PeFile& out) {
  const uint64_t size = data.size();
  IMAGE_DOS_HEADER dos;
  if (size < sizeof dos) return bad(path, "the file is too small for a DOS header");
  memcpy(&dos, data.data(), sizeof dos);
  if (dos.e_magic != IMAGE_DOS_SIGNATURE) return bad(path, "no MZ signature");
  if (dos.e_lfanew < 0 ||
      static_cast<uint64_t>(dos.e_lfanew) + 4 + sizeof(IMAGE_FILE_HEADER) > size)
    return bad(path, "truncated: the PE header offset " + hex(static_cast<uint32_t>(dos.e_lfanew)) +
                         " lies past the end of the file");
  const uint64_t nt_off = static_cast<uint64_t>(dos.e_lfanew);
  IMAGE_NT_HEADERS64 nt{};
  memcpy(&nt.Signature, data.data() + nt_off, 4);
  if (nt.Signature != IMAGE_NT_SIGNATURE) return bad(path, "no PE signature");
  memcpy(&nt.FileHeader, data.data() + nt_off + 4, sizeof nt.FileHeader);
  if (nt.FileHeader.Machine != IMAGE_FILE_MACHINE_AMD64)
    return bad(path, "machine " + hex(nt.FileHeader.Machine) + " is not AMD64 (0x8664)");

  const uint64_t opt_off = nt_off + 4 + sizeof(IMAGE_FILE_HEADER);
  const uint32_t opt_size = nt.FileHeader.SizeOfOptionalHeader;
  if (opt_size < kOptionalHeader64FixedSize)
    return bad(path, "the optional header (" + std::to_string(opt_size) +
                         " bytes) is too small for PE32+");
  if (opt_off + opt_size > size) return bad(path, "truncated: the optional header is cut off");
  memcpy(&nt.OptionalHeader, data.data() + opt_off,
         std::min<uint64_t>(opt_size, sizeof nt.OptionalHeader));
  IMAGE_OPTIONAL_HEADER64& opt = nt.OptionalHeader;
  if (opt.Magic != IMAGE_NT_OPTIONAL_HDR64_MAGIC)
    return bad(path, "optional header magic " + hex(opt.Magic) + " is not PE32+ (0x20b)");
  // Directories past NumberOfRvaAndSizes (or past the optional header) do not exist.
  uint32_t ndirs = std::min<uint32_t>(opt.NumberOfRvaAndSizes, IMAGE_NUMBEROF_DIRECTORY_ENTRIES);
  ndirs = std::min<uint32_t>(ndirs, static_cast<uint32_t>((opt_size - kOptionalHeader64FixedSize) /
                                                          sizeof(IMAGE_DATA_DIRECTORY)));
  for (uint32_t i = ndirs; i < IMAGE_NUMBEROF_DIRECTORY_ENTRIES; ++i) opt.DataDirectory[i] = {};

  if (!is_pow2(opt.SectionAlignment) || !is_pow2(opt.FileAlignment) ||
      opt.FileAlignment > opt.SectionAlignment)
    return bad(path, "section alignment " + hex(opt.SectionAlignment) + " / file alignment " +
                         hex(opt.FileAlignment) + " are not valid");
  if (opt.SectionAlignment < kPageSize && opt.FileAlignment != opt.SectionAlignment)
    return bad(path, "a section alignment below the page size requires an equal file alignment");
  if (opt.SizeOfImage == 0 || opt.SizeOfImage > kMaxImageSize)
    return bad(path, "SizeOfImage " + hex(opt.SizeOfImage) + " is out of range");
  if (opt.SizeOfHeaders > opt.SizeOfImage)
    return bad(path, "SizeOfHeaders " + hex(opt.SizeOfHeaders) + " exceeds SizeOfImage");
  if (opt.SizeOfHeaders > size)
    return bad(path, "truncated: the headers (" + hex(opt.SizeOfHeaders) +
                         " bytes) extend past the end of the file (" + std::to_string(size) +
                         " bytes)");
  if (opt.ImageBase % kAllocationGranularity != 0 || opt.ImageBase < kLowestUserAddress ||
      opt.ImageBase + opt.SizeOfImage > kHighestUserAddress + 1)
    return bad(path, "ImageBase " + hex(opt.ImageBase) + " is not a valid user-mode address");
  if (opt.AddressOfEntryPoint >= opt.SizeOfImage)
    return bad(path,
               "the entry point RVA " + hex(opt.AddressOfEntryPoint) + " lies outside the image");
  for (uint32_t i = 0; i < IMAGE_NUMBEROF_DIRECTORY_ENTRIES; ++i) {
    const IMAGE_DATA_DIRECTORY& d = opt.DataDirectory[i];
    if (i == IMAGE_DIRECTORY_ENTRY_SECURITY || d.VirtualAddress == 0) continue;  // file offset
    if (static_cast<uint64_t>(d.VirtualAddress) + d.Size > opt.SizeOfImage)
      return bad(path, "data directory " + std::to_string(i) + " [" + hex(d.VirtualAddress) +
                           ", +" + hex(d.Size) + ") lies outside the image");
  }

  const uint64_t sect_off = opt_off + opt_size;
  const uint32_t nsect = nt.FileHeader.NumberOfSections;
  if (sect_off + static_cast<uint64_t>(nsect) * sizeof(IMAGE_SECTION_HEADER) > size)
    return bad(path, "truncated: the section table is cut off");
  std::vector<IMAGE_SECTION_HEADER> sections(nsect);
  if (nsect) memcpy(sections.data(), data.data() + sect_off, nsect * sizeof(IMAGE_SECTION_HEADER));
  uint64_t prev_end = opt.SizeOfHeaders;  // sections follow the headers, in address order
  for (const IMAGE_SECTION_HEADER& s : sections) {
    const std::string name = PeFile::section_name(s);
    const uint64_t vsize = align_up(PeFile::virtual_size(s), opt.SectionAlignment);
    if (opt.SectionAlignment >= kPageSize && s.VirtualAddress % opt.SectionAlignment != 0)
      return bad(path, "section " + name + " at RVA " + hex(s.VirtualAddress) + " is not aligned");
    if (s.VirtualAddress < prev_end)
      return bad(path, "section " + name + " overlaps the headers or the previous section");
    if (s.VirtualAddress + vsize > align_up(opt.SizeOfImage, opt.SectionAlignment))
      return bad(path, "section " + name + " [" + hex(s.VirtualAddress) + ", +" + hex(vsize) +
                           ") lies outside the image (SizeOfImage " + hex(opt.SizeOfImage) + ")");
    const uint32_t raw = PeFile::raw_size(s);
    if (raw != 0 && static_cast<uint64_t>(s.PointerToRawData) + raw > size)
      return bad(path, "section " + name + " data [" + hex(s.PointerToRawData) + ", +" + hex(raw) +
                           ") lies outside the file (" + std::to_string(size) + " bytes)");
    prev_end = s.VirtualAddress + vsize;
  }

  out.path = std::move(path);
  out.nt = nt;
  out.sections = std::move(sections);
  return LoadStatus::success();
}

}  // namespace

LoadStatus parse_pe(std::vector<uint8_t> data, std::string path, PeFile& out) {
  auto bytes = std::make_shared<std::vector<uint8_t>>(std::move(data));
  LoadStatus status = parse_pe_bytes(*bytes, std::move(path), out);
  if (!status.ok()) return status;
  out.data = *bytes;
  out.storage = std::move(bytes);
  out.fd = -1;
  return status;
}

namespace {

// A read-only private mapping of a whole file and the file itself, released together.
struct FileMapping {
  const uint8_t* addr = nullptr;
  size_t size = 0;
  int fd = -1;
  ~FileMapping() {
    if (addr) munmap(const_cast<uint8_t*>(addr), size);
    if (fd >= 0) close(fd);
  }
};

}  // namespace

// The file is mapped, not read: a DLL's debug sections (half of Wine's kernelbase.dll) are then
// never touched, and map_image maps its sections from the file instead of copying them.
LoadStatus read_pe_file(const std::string& host_path, PeFile& out) {
  auto file = std::make_shared<FileMapping>();
  file->fd = open(host_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file->fd < 0)
    return LoadStatus::failure(nt::STATUS_OBJECT_NAME_NOT_FOUND,
                               "cannot open " + host_path + ": " + strerror(errno));
  struct stat st;
  if (fstat(file->fd, &st) != 0 || !S_ISREG(st.st_mode))
    return LoadStatus::failure(nt::STATUS_INVALID_IMAGE_FORMAT,
                               host_path + " is not a regular file");
  if (st.st_size == 0) return parse_pe({}, host_path, out);
  void* addr = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, file->fd, 0);
  if (addr == MAP_FAILED)
    return LoadStatus::failure(nt::STATUS_INVALID_IMAGE_FORMAT,
                               "cannot map " + host_path + ": " + strerror(errno));
  file->addr = static_cast<const uint8_t*>(addr);
  file->size = static_cast<size_t>(st.st_size);
  LoadStatus status = parse_pe_bytes({file->addr, file->size}, host_path, out);
  if (!status.ok()) return status;
  out.data = {file->addr, file->size};
  out.fd = file->fd;
  out.storage = std::move(file);
  return status;
}

}  // namespace ireactor::loader
