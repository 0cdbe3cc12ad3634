// Implicit TLS of PE images: the TLS directory gives each image an index (written to its
// AddressOfIndex) and a template; every thread gets an array of per-image blocks, initialised
// from the templates, whose address Windows code reads from TEB.ThreadLocalStoragePointer and
// indexes with the image's _tls_index.
#pragma once

#include <cstdint>

#include "module_list.h"
#include "pe_file.h"

namespace ireactor::loader {

// Reads the (already relocated) TLS directory of a mapped image, checks its addresses lie in
// the image, assigns the next TLS index and writes it to AddressOfIndex. No-op without one.
LoadStatus setup_image_tls(const PeFile& pe, const MappedImage& image, TlsTemplate& out);

struct ThreadTls {
  uint64_t vector = 0;  // value for TEB.ThreadLocalStoragePointer; 0 when no image has TLS
  uint64_t allocation = 0, allocation_size = 0;
};

// Allocates (in Windows memory) and fills the TLS vector and blocks of a new thread for every
// module in `modules` that has TLS. STATUS_NO_MEMORY on failure.
LoadStatus create_thread_tls(const ModuleList& modules, ThreadTls& out);
void free_thread_tls(ThreadTls& tls);

}  // namespace ireactor::loader
