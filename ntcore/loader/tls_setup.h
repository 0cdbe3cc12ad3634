// Implicit TLS of PE images: the TLS directory gives each image an index (written to its
// AddressOfIndex) and a template; every thread gets an array of per-image blocks, initialised
// from the templates, whose address Windows code reads from TEB.ThreadLocalStoragePointer and
// indexes with the image's _tls_index.
#pragma once

#include <cstdint>
#include <vector>

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

// A running thread's TLS vector after `added` (modules loaded since it started) joined: a new
// vector keeping `vector`'s blocks for the modules already there, with fresh blocks from the
// templates for the added ones that have TLS. Unchanged when none has. The old vector is left
// allocated (Windows code may hold its address until it returns).
LoadStatus extend_thread_tls(const ModuleList& modules, const std::vector<LoadedModule*>& added,
                             uint64_t& vector);

}  // namespace ireactor::loader
