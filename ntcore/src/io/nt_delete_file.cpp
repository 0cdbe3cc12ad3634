// NtDeleteFile: open the name for DELETE with delete-on-close and close it again, so the file
// goes now, or when the last handle that shares delete access closes.
#include "io/open_file.h"
#include "ireactor/services/io_services.h"

namespace ireactor {

using namespace nt;

NTSTATUS NtDeleteFile(UserPtr<OBJECT_ATTRIBUTES> ObjectAttributes) {
  // NtDeleteFile captures OBJECT_ATTRIBUTES itself: no pointer at all is a bad pointer.
  if (ObjectAttributes.null()) return STATUS_ACCESS_VIOLATION;
  io::OpenTarget target;
  if (NTSTATUS s = io::capture_open_target(ObjectAttributes, target); !nt_success(s)) return s;
  io::OpenParams p;
  p.desired = DELETE;
  p.share = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
  p.disposition = FILE_OPEN;
  p.options = FILE_DELETE_ON_CLOSE | FILE_OPEN_REPARSE_POINT;
  io::OpenOutcome outcome;
  if (NTSTATUS s = io::open_file(target, p, outcome); !nt_success(s)) return s;
  if (!outcome.file->is_disk()) return STATUS_CANNOT_DELETE;  // the null device
  return STATUS_SUCCESS;  // dropping the only reference closes it: the delete happens there
}

}  // namespace ireactor
