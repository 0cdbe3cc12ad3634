// Places a validated PE file in memory as Windows does: reserved at its preferred ImageBase when
// free (else at another 64 KiB-aligned address, then relocated), headers and section data copied
// in, and finally each page given the protection its section asks for and recorded in the
// address space as MEM_IMAGE.
#pragma once

#include <cstdint>

#include "pe_file.h"

namespace ireactor::loader {

struct MappedImage {
  uint64_t base = 0;
  uint64_t size = 0;  // page-rounded SizeOfImage
  int64_t delta = 0;  // base - preferred ImageBase
  bool protected_ = false;

  uint8_t* data() const { return reinterpret_cast<uint8_t*>(base); }
};

// Maps the image writable, copies headers and sections and applies base relocations. The
// pages stay read-write (imports, the TLS index... are written next) until protect_image.
// STATUS_CONFLICTING_ADDRESSES when the preferred base is taken and the image has no relocations.
LoadStatus map_image(const PeFile& pe, MappedImage& out);

// Gives every page its section's protection and records the image in the address space.
void protect_image(const PeFile& pe, MappedImage& image);

// Unmaps the image and forgets its address-space records.
void unmap_image(MappedImage& image);

// The Windows protection of a section with these IMAGE_SCN_MEM_* characteristics. Writable
// image pages are copy-on-write in Windows (PAGE_WRITECOPY / PAGE_EXECUTE_WRITECOPY).
uint32_t section_page_protection(uint32_t characteristics);

}  // namespace ireactor::loader
