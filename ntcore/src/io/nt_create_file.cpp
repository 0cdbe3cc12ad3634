// NtCreateFile and NtOpenFile: NtOpenFile is NtCreateFile with FILE_OPEN and no attributes.
#include "io/io_status.h"
#include "io/open_file.h"
#include "ireactor/process.h"
#include "ireactor/services/io_services.h"

namespace ireactor {

using namespace nt;

namespace {

NTSTATUS create_file(UserPtr<HANDLE> handle_out, UserPtr<OBJECT_ATTRIBUTES> attributes,
                     UserPtr<IO_STATUS_BLOCK> iosb, const io::OpenParams& params) {
  if (NTSTATUS s = io::check_create_parameters(params); !nt_success(s)) return s;
  // Opening by file ID names a binary ID relative to a volume handle: not served here.
  if (params.options & FILE_OPEN_BY_FILE_ID) {
    OBJECT_ATTRIBUTES oa;
    if (!attributes.read(oa)) return STATUS_ACCESS_VIOLATION;
    return oa.RootDirectory ? STATUS_NOT_IMPLEMENTED : STATUS_INVALID_PARAMETER;
  }
  io::OpenTarget target;
  NTSTATUS s = io::capture_open_target(attributes, target);
  io::OpenOutcome outcome;
  if (nt_success(s)) s = io::open_file(target, params, outcome);
  if (!nt_success(s)) {
    // Pointer and parameter faults leave the IO_STATUS_BLOCK alone; once the name was taken in,
    // the failure of the open itself is reported there too.
    if (target.captured) io::write_io_status(iosb, s, outcome.information);
    return s;
  }
  HANDLE h;
  if (NTSTATUS e = current_process().handles.insert(outcome.file, outcome.file->access,
                                                    target.attributes & OBJ_INHERIT, h);
      !nt_success(e))
    return e;
  if (!handle_out.write(h)) {
    current_process().handles.close(h);
    return STATUS_ACCESS_VIOLATION;
  }
  io::write_io_status(iosb, STATUS_SUCCESS, outcome.information);
  return STATUS_SUCCESS;
}

}  // namespace

NTSTATUS NtCreateFile(UserPtr<HANDLE> FileHandle, ACCESS_MASK DesiredAccess,
                      UserPtr<OBJECT_ATTRIBUTES> ObjectAttributes,
                      UserPtr<IO_STATUS_BLOCK> IoStatusBlock, UserPtr<int64_t> AllocationSize,
                      ULONG FileAttributes, ULONG ShareAccess, ULONG CreateDisposition,
                      ULONG CreateOptions, UserPtr<void> EaBuffer, ULONG EaLength) {
  // IoCreateFile probes every output and input before looking at anything else.
  if (!probe_user(FileHandle.addr(), sizeof(HANDLE), true) ||
      !probe_user(IoStatusBlock.addr(), sizeof(IO_STATUS_BLOCK), true))
    return STATUS_ACCESS_VIOLATION;
  int64_t allocation = 0;
  if (AllocationSize && !AllocationSize.read(allocation)) return STATUS_ACCESS_VIOLATION;
  if (EaBuffer && EaLength && !probe_user(EaBuffer.addr(), EaLength, false))
    return STATUS_ACCESS_VIOLATION;
  io::OpenParams p;
  p.desired = DesiredAccess;
  p.attributes = FileAttributes;
  p.share = ShareAccess;
  p.disposition = CreateDisposition;
  p.options = CreateOptions;
  return create_file(FileHandle, ObjectAttributes, IoStatusBlock, p);
}

NTSTATUS NtOpenFile(UserPtr<HANDLE> FileHandle, ACCESS_MASK DesiredAccess,
                    UserPtr<OBJECT_ATTRIBUTES> ObjectAttributes,
                    UserPtr<IO_STATUS_BLOCK> IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions) {
  if (!probe_user(FileHandle.addr(), sizeof(HANDLE), true) ||
      !probe_user(IoStatusBlock.addr(), sizeof(IO_STATUS_BLOCK), true))
    return STATUS_ACCESS_VIOLATION;
  io::OpenParams p;
  p.desired = DesiredAccess;
  p.share = ShareAccess;
  p.disposition = FILE_OPEN;
  p.options = OpenOptions;
  return create_file(FileHandle, ObjectAttributes, IoStatusBlock, p);
}

}  // namespace ireactor
