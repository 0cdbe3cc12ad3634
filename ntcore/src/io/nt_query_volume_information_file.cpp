// NtQueryVolumeInformationFile: volume, size, full-size, device and attribute information of
// the drive a handle lives on (devices answer the device class only).
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>

#include <cstring>
#include <vector>

#include "io/file_stat.h"
#include "io/io_status.h"
#include "ireactor/io/file_information.h"
#include "ireactor/io/file_object.h"
#include "ireactor/services/io_services.h"

namespace ireactor {

using namespace nt;

namespace {

ULONG min_length(ULONG c) {
  switch (c) {
    case FileFsVolumeInformation:
      return sizeof(FILE_FS_VOLUME_INFORMATION);
    case FileFsSizeInformation:
      return sizeof(FILE_FS_SIZE_INFORMATION);
    case FileFsDeviceInformation:
      return sizeof(FILE_FS_DEVICE_INFORMATION);
    case FileFsAttributeInformation:
      return sizeof(FILE_FS_ATTRIBUTE_INFORMATION);
    case FileFsFullSizeInformation:
      return sizeof(FILE_FS_FULL_SIZE_INFORMATION);
    default:
      return 0;
  }
}

// A stable serial number per drive: the host device and the drive letter.
ULONG volume_serial(const struct statx& root, int drive) {
  uint64_t v = (static_cast<uint64_t>(root.stx_dev_major) << 20) ^ root.stx_dev_minor;
  v = v * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(drive + 'A');
  return static_cast<ULONG>(v ^ (v >> 32));
}

// Appends a length-prefixed-elsewhere name, cut to `room` bytes; false when cut.
bool put_chars(std::vector<uint8_t>& out, std::u16string_view s, size_t room) {
  size_t bytes = s.size() * sizeof(char16_t);
  size_t copy = bytes < room ? bytes : room & ~size_t{1};
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  out.insert(out.end(), p, p + copy);
  return copy == bytes;
}

template <class T>
void put_prefix(std::vector<uint8_t>& out, const T& v, size_t n) {
  out.resize(n);
  std::memcpy(out.data(), &v, n);
}

}  // namespace

NTSTATUS NtQueryVolumeInformationFile(HANDLE FileHandle, UserPtr<IO_STATUS_BLOCK> IoStatusBlock,
                                      UserPtr<void> FsInformation, ULONG Length,
                                      ULONG FsInformationClass) {
  ULONG min = min_length(FsInformationClass);
  if (!min) return STATUS_INVALID_INFO_CLASS;
  if (Length < min) return STATUS_INFO_LENGTH_MISMATCH;
  if (!probe_user(IoStatusBlock.addr(), sizeof(IO_STATUS_BLOCK), true) ||
      !probe_user(FsInformation.addr(), Length, true))
    return STATUS_ACCESS_VIOLATION;
  std::shared_ptr<FileObject> f;
  if (NTSTATUS s = current_process().handles.reference<FileObject>(FileHandle, 0, f);
      !nt_success(s))
    return s;

  std::vector<uint8_t> out;
  NTSTATUS status = STATUS_SUCCESS;
  if (FsInformationClass == FileFsDeviceInformation) {
    FILE_FS_DEVICE_INFORMATION dev{f->device_type, 0};
    if (f->is_disk()) {
      dev.Characteristics = FILE_DEVICE_IS_MOUNTED;
      if (current_process().ns.drives[f->drive].read_only)
        dev.Characteristics |= FILE_READ_ONLY_DEVICE;
    }
    put_prefix(out, dev, sizeof dev);
  } else if (!f->is_disk()) {
    return STATUS_INVALID_DEVICE_REQUEST;  // pipes and consoles are not volumes
  } else {
    const Drive& d = current_process().ns.drives[f->drive];
    switch (FsInformationClass) {
      case FileFsVolumeInformation: {
        struct statx root;
        if (int e = io::stat_fd(d.root_fd, root)) return status_from_errno(e);
        FILE_FS_VOLUME_INFORMATION v{};
        v.VolumeCreationTime = io::file_times(root).creation;
        v.VolumeSerialNumber = volume_serial(root, f->drive);
        v.VolumeLabelLength = 0;  // drives carry no label
        put_prefix(out, v, offsetof(FILE_FS_VOLUME_INFORMATION, VolumeLabel));
        break;
      }
      case FileFsSizeInformation:
      case FileFsFullSizeInformation: {
        struct statvfs vfs;
        if (fstatvfs(f->fd, &vfs) != 0) return status_from_errno(errno);
        // Report 512-byte sectors and the host's fragment size as the cluster size.
        uint64_t unit = vfs.f_frsize ? vfs.f_frsize : vfs.f_bsize;
        ULONG sectors = static_cast<ULONG>(unit >= 512 ? unit / 512 : 1);
        if (FsInformationClass == FileFsSizeInformation) {
          FILE_FS_SIZE_INFORMATION s{static_cast<LARGE_INTEGER>(vfs.f_blocks),
                                     static_cast<LARGE_INTEGER>(vfs.f_bavail), sectors, 512};
          put_prefix(out, s, sizeof s);
        } else {
          FILE_FS_FULL_SIZE_INFORMATION s{static_cast<LARGE_INTEGER>(vfs.f_blocks),
                                          static_cast<LARGE_INTEGER>(vfs.f_bavail),
                                          static_cast<LARGE_INTEGER>(vfs.f_bfree), sectors, 512};
          put_prefix(out, s, sizeof s);
        }
        break;
      }
      case FileFsAttributeInformation: {
        constexpr std::u16string_view kName = u"NTFS";
        FILE_FS_ATTRIBUTE_INFORMATION a{};
        a.FileSystemAttributes =
            FILE_CASE_SENSITIVE_SEARCH | FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK;
        if (d.read_only) a.FileSystemAttributes |= FILE_READ_ONLY_VOLUME;
        a.MaximumComponentNameLength = 255;
        a.FileSystemNameLength = static_cast<ULONG>(kName.size() * sizeof(char16_t));
        constexpr size_t at = offsetof(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName);
        put_prefix(out, a, at);
        if (!put_chars(out, kName, Length - at)) status = STATUS_BUFFER_OVERFLOW;
        break;
      }
    }
  }
  if (!copy_to_user(FsInformation.addr(), out.data(), out.size())) return STATUS_ACCESS_VIOLATION;
  io::write_io_status(IoStatusBlock, status, out.size());
  return status;
}

}  // namespace ireactor
