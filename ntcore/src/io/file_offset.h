// Where a read or write happens: NtReadFile/NtWriteFile's ByteOffset against the handle's kind.
#pragma once

#include "ireactor/io/file_object.h"
#include "ireactor/nt/status.h"
#include "ireactor/user_memory.h"

namespace ireactor::io {

struct IoOffset {
  int64_t offset = 0;         // where to transfer (Disk files, unless at_end)
  bool at_end = false;        // append at the end of file
  bool use_position = false;  // the synchronous handle's position (offset holds it once locked)
};

// ByteOffset rules: an explicit offset >= 0; FILE_USE_FILE_POINTER_POSITION (-2) or no offset on
// a synchronous handle means its position; FILE_WRITE_TO_END_OF_FILE (-1) appends (writes
// only). Anything else, or no offset on an asynchronous handle, is STATUS_INVALID_PARAMETER.
inline nt::NTSTATUS choose_offset(const FileObject& f, UserPtr<int64_t> byte_offset, bool for_write,
                                  IoOffset& out) {
  if (byte_offset) {
    int64_t v;
    if (!byte_offset.read(v)) return nt::STATUS_ACCESS_VIOLATION;
    if (v >= 0) {
      out.offset = v;
      return nt::STATUS_SUCCESS;
    }
    if (v == nt::FILE_WRITE_TO_END_OF_FILE && for_write) {
      out.at_end = true;
      return nt::STATUS_SUCCESS;
    }
    if (v == nt::FILE_USE_FILE_POINTER_POSITION && f.synchronous()) {
      out.use_position = true;
      return nt::STATUS_SUCCESS;
    }
    return nt::STATUS_INVALID_PARAMETER;
  }
  if (!f.synchronous() && f.is_disk()) return nt::STATUS_INVALID_PARAMETER;
  out.use_position = true;
  return nt::STATUS_SUCCESS;
}

}  // namespace ireactor::io
