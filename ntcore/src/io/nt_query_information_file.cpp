// NtQueryInformationFile: basic, standard, internal, EA, access, name, position, mode,
// alignment, all, stream, network-open, attribute-tag and normalized-name information.
#include <unistd.h>

#include <cstring>
#include <mutex>
#include <vector>

#include "io/file_stat.h"
#include "io/io_status.h"
#include "io/open_file_table.h"
#include "ireactor/io/file_information.h"
#include "ireactor/io/file_object.h"
#include "ireactor/services/io_services.h"

namespace ireactor {

using namespace nt;

namespace {

struct QueryClass {
  ULONG min_length;    // shorter buffers get STATUS_INFO_LENGTH_MISMATCH
  ACCESS_MASK access;  // what the handle must have been granted
};

// The classes served here and what the I/O manager demands of each.
bool query_class(ULONG c, QueryClass& out) {
  switch (c) {
    case FileBasicInformation:
      out = {sizeof(FILE_BASIC_INFORMATION), FILE_READ_ATTRIBUTES};
      return true;
    case FileStandardInformation:
      out = {sizeof(FILE_STANDARD_INFORMATION), 0};
      return true;
    case FileInternalInformation:
      out = {sizeof(FILE_INTERNAL_INFORMATION), 0};
      return true;
    case FileEaInformation:
      out = {sizeof(FILE_EA_INFORMATION), 0};
      return true;
    case FileAccessInformation:
      out = {sizeof(FILE_ACCESS_INFORMATION), 0};
      return true;
    case FileNameInformation:
    case FileNormalizedNameInformation:
      out = {sizeof(FILE_NAME_INFORMATION), 0};
      return true;
    case FilePositionInformation:
      out = {sizeof(FILE_POSITION_INFORMATION), 0};
      return true;
    case FileModeInformation:
      out = {sizeof(FILE_MODE_INFORMATION), 0};
      return true;
    case FileAlignmentInformation:
      out = {sizeof(FILE_ALIGNMENT_INFORMATION), 0};
      return true;
    case FileAllInformation:
      out = {sizeof(FILE_ALL_INFORMATION), FILE_READ_ATTRIBUTES};
      return true;
    case FileNetworkOpenInformation:
      out = {sizeof(FILE_NETWORK_OPEN_INFORMATION), FILE_READ_ATTRIBUTES};
      return true;
    case FileAttributeTagInformation:
      out = {sizeof(FILE_ATTRIBUTE_TAG_INFORMATION), FILE_READ_ATTRIBUTES};
      return true;
    case FileStreamInformation:
      out = {sizeof(FILE_STREAM_INFORMATION), 0};
      return true;
    default:
      return false;
  }
}

constexpr ULONG kModeBits = FILE_WRITE_THROUGH | FILE_SEQUENTIAL_ONLY |
                            FILE_NO_INTERMEDIATE_BUFFERING | FILE_SYNCHRONOUS_IO_ALERT |
                            FILE_SYNCHRONOUS_IO_NONALERT | FILE_DELETE_ON_CLOSE;

FILE_STANDARD_INFORMATION standard_information(const FileObject& f, const struct statx& st) {
  FILE_STANDARD_INFORMATION s{};
  s.AllocationSize = io::allocation_size(st);
  s.EndOfFile = io::end_of_file(st);
  s.NumberOfLinks = io::is_directory(st) ? 1 : st.stx_nlink;
  s.Directory = io::is_directory(st);
  if (f.record) {
    std::lock_guard lock(io::open_files().mutex());
    s.DeletePending = f.record->delete_pending || f.record->deleted;
  }
  return s;
}

int64_t current_position(FileObject& f) {
  if (!f.is_disk()) {
    off_t p = lseek(f.fd, 0, SEEK_CUR);  // inherited descriptors keep their own offset
    return p < 0 ? 0 : p;
  }
  std::lock_guard lock(f.position_mutex);
  return f.position();
}

// Appends FileNameLength and as much of the name as fits in `room` bytes; false when cut.
bool put_name(std::vector<uint8_t>& out, const std::u16string& name, size_t room) {
  ULONG len = static_cast<ULONG>(name.size() * sizeof(char16_t));
  size_t at = out.size();
  out.resize(at + sizeof(ULONG));
  std::memcpy(out.data() + at, &len, sizeof len);
  size_t fit = room > sizeof(ULONG) ? (room - sizeof(ULONG)) & ~size_t{1} : 0;
  size_t copy = len < fit ? len : fit;
  out.insert(out.end(), reinterpret_cast<const uint8_t*>(name.data()),
             reinterpret_cast<const uint8_t*>(name.data()) + copy);
  return copy == len;
}

template <class T>
void put(std::vector<uint8_t>& out, const T& v) {
  const auto* p = reinterpret_cast<const uint8_t*>(&v);
  out.insert(out.end(), p, p + sizeof(T));
}

}  // namespace

NTSTATUS NtQueryInformationFile(HANDLE FileHandle, UserPtr<IO_STATUS_BLOCK> IoStatusBlock,
                                UserPtr<void> FileInformation, ULONG Length,
                                ULONG FileInformationClass) {
  QueryClass qc;
  if (!query_class(FileInformationClass, qc)) return STATUS_INVALID_INFO_CLASS;
  if (Length < qc.min_length) return STATUS_INFO_LENGTH_MISMATCH;
  if (!probe_user(IoStatusBlock.addr(), sizeof(IO_STATUS_BLOCK), true) ||
      !probe_user(FileInformation.addr(), Length, true))
    return STATUS_ACCESS_VIOLATION;
  std::shared_ptr<FileObject> f;
  if (NTSTATUS s = current_process().handles.reference<FileObject>(FileHandle, qc.access, f);
      !nt_success(s))
    return s;

  struct statx st {};
  bool needs_stat = FileInformationClass != FileAccessInformation &&
                    FileInformationClass != FilePositionInformation &&
                    FileInformationClass != FileModeInformation &&
                    FileInformationClass != FileEaInformation &&
                    FileInformationClass != FileAlignmentInformation &&
                    FileInformationClass != FileNameInformation &&
                    FileInformationClass != FileNormalizedNameInformation;
  if (needs_stat) {
    if (int e = io::stat_fd(f->fd, st)) return status_from_errno(e);
  }

  std::vector<uint8_t> out;
  out.reserve(qc.min_length);
  NTSTATUS status = STATUS_SUCCESS;
  switch (FileInformationClass) {
    case FileBasicInformation:
      put(out, io::basic_information(st));
      break;
    case FileStandardInformation:
      put(out, standard_information(*f, st));
      break;
    case FileInternalInformation:
      put(out, FILE_INTERNAL_INFORMATION{static_cast<LARGE_INTEGER>(st.stx_ino)});
      break;
    case FileEaInformation:
      put(out, FILE_EA_INFORMATION{0});
      break;
    case FileAccessInformation:
      put(out, FILE_ACCESS_INFORMATION{f->access});
      break;
    case FilePositionInformation:
      put(out, FILE_POSITION_INFORMATION{current_position(*f)});
      break;
    case FileModeInformation:
      put(out, FILE_MODE_INFORMATION{f->options & kModeBits});
      break;
    case FileAlignmentInformation:
      put(out, FILE_ALIGNMENT_INFORMATION{0});  // FILE_BYTE_ALIGNMENT
      break;
    case FileNameInformation:
    case FileNormalizedNameInformation:
      // Devices (pipes, consoles) have no name on a volume.
      if (!f->is_disk()) return STATUS_INVALID_PARAMETER;
      if (!put_name(out, f->nt_name(), Length)) status = STATUS_BUFFER_OVERFLOW;
      break;
    case FileAllInformation: {
      FILE_ALL_INFORMATION all{};
      all.BasicInformation = io::basic_information(st);
      all.StandardInformation = standard_information(*f, st);
      all.InternalInformation.IndexNumber = static_cast<LARGE_INTEGER>(st.stx_ino);
      all.AccessInformation.AccessFlags = f->access;
      all.PositionInformation.CurrentByteOffset = current_position(*f);
      all.ModeInformation.Mode = f->options & kModeBits;
      out.resize(offsetof(FILE_ALL_INFORMATION, NameInformation));
      std::memcpy(out.data(), &all, out.size());
      if (!put_name(out, f->is_disk() ? f->nt_name() : std::u16string(),
                    Length - offsetof(FILE_ALL_INFORMATION, NameInformation)))
        status = STATUS_BUFFER_OVERFLOW;
      break;
    }
    case FileNetworkOpenInformation:
      put(out, io::network_open_information(st));
      break;
    case FileAttributeTagInformation:
      put(out, FILE_ATTRIBUTE_TAG_INFORMATION{io::file_attributes(st), 0});
      break;
    case FileStreamInformation:
      // Files have one stream, the unnamed data stream; directories have none.
      if (!io::is_directory(st)) {
        constexpr std::u16string_view kData = u"::$DATA";
        FILE_STREAM_INFORMATION si{};
        si.StreamNameLength = static_cast<ULONG>(kData.size() * sizeof(char16_t));
        si.StreamSize = io::end_of_file(st);
        si.StreamAllocationSize = io::allocation_size(st);
        constexpr size_t at = offsetof(FILE_STREAM_INFORMATION, StreamName);
        if (Length < at + si.StreamNameLength) return STATUS_BUFFER_OVERFLOW;
        out.resize(at);
        std::memcpy(out.data(), &si, at);
        const auto* p = reinterpret_cast<const uint8_t*>(kData.data());
        out.insert(out.end(), p, p + si.StreamNameLength);
      }
      break;
  }
  if (!copy_to_user(FileInformation.addr(), out.data(), out.size())) return STATUS_ACCESS_VIOLATION;
  io::write_io_status(IoStatusBlock, status, out.size());
  return status;
}

}  // namespace ireactor
