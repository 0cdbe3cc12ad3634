// Applies an image's base relocation directory after it was mapped `delta` bytes away from its
// preferred ImageBase.
#pragma once

#include <cstdint>

#include "ireactor/win/pe_format.h"
#include "load_status.h"

namespace ireactor::loader {

// `image` is the writable mapping of `image_size` bytes. Every block and fixup is checked to lie
// inside the directory and the image; STATUS_INVALID_IMAGE_FORMAT (naming `path`) otherwise, or
// for a relocation type x64 images do not use.
LoadStatus apply_base_relocations(uint8_t* image, uint64_t image_size,
                                  const win::IMAGE_DATA_DIRECTORY& dir, int64_t delta,
                                  const std::string& path);

}  // namespace ireactor::loader
