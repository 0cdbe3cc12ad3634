// NtSetInformationFile: basic, rename (and Ex), disposition (and Ex), position, end-of-file
// and allocation information.
#include <vector>

#include "io/io_status.h"
#include "io/set_file_information.h"
#include "ireactor/io/file_information.h"
#include "ireactor/io/file_object.h"
#include "ireactor/process.h"
#include "ireactor/services/io_services.h"

namespace ireactor {

using namespace nt;

namespace {

struct SetClass {
  ULONG min_length;
  ACCESS_MASK access;
};

bool set_class(ULONG c, SetClass& out) {
  switch (c) {
    case FileBasicInformation:
      out = {sizeof(FILE_BASIC_INFORMATION), FILE_WRITE_ATTRIBUTES};
      return true;
    case FileRenameInformation:
    case FileRenameInformationEx:
      out = {sizeof(FILE_RENAME_INFORMATION), DELETE};
      return true;
    case FileDispositionInformation:
      out = {sizeof(FILE_DISPOSITION_INFORMATION), DELETE};
      return true;
    case FileDispositionInformationEx:
      out = {sizeof(FILE_DISPOSITION_INFORMATION_EX), DELETE};
      return true;
    case FilePositionInformation:
      out = {sizeof(FILE_POSITION_INFORMATION), 0};
      return true;
    case FileEndOfFileInformation:
      out = {sizeof(FILE_END_OF_FILE_INFORMATION), FILE_WRITE_DATA};
      return true;
    case FileAllocationInformation:
      out = {sizeof(FILE_ALLOCATION_INFORMATION), FILE_WRITE_DATA};
      return true;
    default:
      return false;
  }
}

}  // namespace

NTSTATUS NtSetInformationFile(HANDLE FileHandle, UserPtr<IO_STATUS_BLOCK> IoStatusBlock,
                              UserPtr<void> FileInformation, ULONG Length,
                              ULONG FileInformationClass) {
  SetClass sc;
  if (!set_class(FileInformationClass, sc)) return STATUS_INVALID_INFO_CLASS;
  if (Length < sc.min_length) return STATUS_INFO_LENGTH_MISMATCH;
  if (!probe_user(IoStatusBlock.addr(), sizeof(IO_STATUS_BLOCK), true))
    return STATUS_ACCESS_VIOLATION;
  // Rename buffers carry a name of up to 64 KiB; nothing else is bigger than a few bytes.
  std::vector<uint8_t> info(Length < 0x10100 ? Length : 0x10100);
  if (!copy_from_user(info.data(), FileInformation.addr(), info.size()))
    return STATUS_ACCESS_VIOLATION;
  std::shared_ptr<FileObject> f;
  if (NTSTATUS s = current_process().handles.reference<FileObject>(FileHandle, sc.access, f);
      !nt_success(s))
    return s;

  ULONG n = static_cast<ULONG>(info.size());
  NTSTATUS s;
  if (FileInformationClass == FilePositionInformation) {
    s = io::set_position(*f, info.data(), n);
  } else if (!f->is_disk()) {
    s = STATUS_INVALID_PARAMETER;  // pipes and consoles have no attributes or names to change
  } else if (current_process().ns.drives[f->drive].read_only) {
    // Opens already refuse write access there; this keeps a read-only drive read-only even for
    // a handle that got such access some other way.
    s = STATUS_MEDIA_WRITE_PROTECTED;
  } else {
    switch (FileInformationClass) {
      case FileBasicInformation:
        s = io::set_basic_information(*f, info.data(), n);
        break;
      case FileRenameInformation:
      case FileRenameInformationEx:
        s = io::set_rename(*f, FileInformationClass == FileRenameInformationEx, info.data(), n);
        break;
      case FileDispositionInformation:
      case FileDispositionInformationEx:
        s = io::set_disposition(*f, FileInformationClass == FileDispositionInformationEx,
                                info.data(), n);
        break;
      case FileEndOfFileInformation:
        s = io::set_end_of_file(*f, info.data(), n);
        break;
      default:  // FileAllocationInformation
        s = io::set_allocation(*f, info.data(), n);
        break;
    }
  }
  if (!nt_success(s)) return s;
  io::write_io_status(IoStatusBlock, s, 0);
  return s;
}

}  // namespace ireactor
