// NtQueryAttributesFile and NtQueryFullAttributesFile: a file's basic (or network-open)
// information by name, without a handle. The name is opened the way NtOpenFile would open it
// for FILE_READ_ATTRIBUTES, so every naming rule and delete-pending check applies.
#include "io/file_stat.h"
#include "io/open_file.h"
#include "ireactor/services/io_services.h"

namespace ireactor {

using namespace nt;

namespace {

NTSTATUS stat_by_name(UserPtr<OBJECT_ATTRIBUTES> attributes, struct statx& st) {
  // These services capture OBJECT_ATTRIBUTES themselves: no pointer at all is a bad pointer.
  if (attributes.null()) return STATUS_ACCESS_VIOLATION;
  io::OpenTarget target;
  if (NTSTATUS s = io::capture_open_target(attributes, target); !nt_success(s)) return s;
  io::OpenParams p;
  p.desired = FILE_READ_ATTRIBUTES;
  p.share = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
  p.disposition = FILE_OPEN;
  io::OpenOutcome outcome;
  if (NTSTATUS s = io::open_file(target, p, outcome); !nt_success(s)) return s;
  if (int e = io::stat_fd(outcome.file->fd, st)) return status_from_errno(e);
  return STATUS_SUCCESS;
}

}  // namespace

NTSTATUS NtQueryAttributesFile(UserPtr<OBJECT_ATTRIBUTES> ObjectAttributes,
                               UserPtr<void> FileInformation) {
  if (!probe_user(FileInformation.addr(), sizeof(FILE_BASIC_INFORMATION), true))
    return STATUS_ACCESS_VIOLATION;
  struct statx st;
  if (NTSTATUS s = stat_by_name(ObjectAttributes, st); !nt_success(s)) return s;
  FILE_BASIC_INFORMATION info = io::basic_information(st);
  if (!FileInformation.as<FILE_BASIC_INFORMATION>().write(info)) return STATUS_ACCESS_VIOLATION;
  return STATUS_SUCCESS;
}

NTSTATUS NtQueryFullAttributesFile(UserPtr<OBJECT_ATTRIBUTES> ObjectAttributes,
                                   UserPtr<void> FileInformation) {
  if (!probe_user(FileInformation.addr(), sizeof(FILE_NETWORK_OPEN_INFORMATION), true))
    return STATUS_ACCESS_VIOLATION;
  struct statx st;
  if (NTSTATUS s = stat_by_name(ObjectAttributes, st); !nt_success(s)) return s;
  FILE_NETWORK_OPEN_INFORMATION info = io::network_open_information(st);
  if (!FileInformation.as<FILE_NETWORK_OPEN_INFORMATION>().write(info))
    return STATUS_ACCESS_VIOLATION;
  return STATUS_SUCCESS;
}

}  // namespace ireactor
