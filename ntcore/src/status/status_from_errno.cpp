#include <cerrno>

#include "ireactor/nt/status.h"

namespace ireactor::nt {

NTSTATUS status_from_errno(int err) {
  switch (err) {
    case 0:
      return STATUS_SUCCESS;
    case ENOENT:
      return STATUS_OBJECT_NAME_NOT_FOUND;
    case ENOTDIR:
      return STATUS_OBJECT_PATH_NOT_FOUND;
    case EEXIST:
      return STATUS_OBJECT_NAME_COLLISION;
    case EACCES:
    case EPERM:
      return STATUS_ACCESS_DENIED;
    case EROFS:
      return STATUS_MEDIA_WRITE_PROTECTED;
    case EISDIR:
      return STATUS_FILE_IS_A_DIRECTORY;
    case ENOTEMPTY:
      return STATUS_DIRECTORY_NOT_EMPTY;
    case EBADF:
      return STATUS_INVALID_HANDLE;
    case EFAULT:
      return STATUS_ACCESS_VIOLATION;
    case EINVAL:
      return STATUS_INVALID_PARAMETER;
    case ENOSPC:
    case EDQUOT:
      return STATUS_DISK_FULL;
    case ENOMEM:
      return STATUS_NO_MEMORY;
    case EMFILE:
    case ENFILE:
      return STATUS_TOO_MANY_OPENED_FILES;
    case ENAMETOOLONG:
      return STATUS_NAME_TOO_LONG;
    case EXDEV:
      return STATUS_NOT_SAME_DEVICE;
    case EBUSY:
    case ETXTBSY:
      return STATUS_SHARING_VIOLATION;
    case ELOOP:
      // Too many links, or a link where none may be followed: Windows reports the name unusable.
      return STATUS_OBJECT_NAME_INVALID;
    case ENOSYS:
    case EOPNOTSUPP:
      return STATUS_NOT_SUPPORTED;
    case EPIPE:
      return STATUS_PIPE_BROKEN;
    case EIO:
      return STATUS_IO_DEVICE_ERROR;
    case ENXIO:
    case ENODEV:
      return STATUS_NO_SUCH_DEVICE;
    case EAGAIN:
      return STATUS_INSUFFICIENT_RESOURCES;
    case EFBIG:
      return STATUS_DISK_FULL;
    default:
      return STATUS_UNSUCCESSFUL;
  }
}

}  // namespace ireactor::nt
