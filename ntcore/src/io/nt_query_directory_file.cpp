// NtQueryDirectoryFile: directory, full, both, names, id-both and id-full records, with masks,
// RestartScan and ReturnSingleEntry, laid out as NTFS lays them out (8-byte aligned records
// chained by NextEntryOffset; Information ends at the last record's last name byte).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <mutex>
#include <vector>

#include "io/directory_scan.h"
#include "io/file_stat.h"
#include "io/io_status.h"
#include "ireactor/io/file_information.h"
#include "ireactor/io/file_object.h"
#include "ireactor/io/path_resolver.h"
#include "ireactor/services/io_services.h"

namespace ireactor {

using namespace nt;

namespace {

constexpr size_t align8(size_t n) {
  return (n + 7) & ~size_t{7};
}

// Where the name starts in each record class; 0 for classes not served.
size_t name_offset(ULONG c) {
  switch (c) {
    case FileDirectoryInformation:
      return offsetof(FILE_DIRECTORY_INFORMATION, FileName);
    case FileFullDirectoryInformation:
      return offsetof(FILE_FULL_DIR_INFORMATION, FileName);
    case FileBothDirectoryInformation:
      return offsetof(FILE_BOTH_DIR_INFORMATION, FileName);
    case FileNamesInformation:
      return offsetof(FILE_NAMES_INFORMATION, FileName);
    case FileIdBothDirectoryInformation:
      return offsetof(FILE_ID_BOTH_DIR_INFORMATION, FileName);
    case FileIdFullDirectoryInformation:
      return offsetof(FILE_ID_FULL_DIR_INFORMATION, FileName);
    default:
      return 0;
  }
}

template <class T>
void fill_common(T& rec, const struct statx& st, ULONG name_bytes) {
  io::FileTimes t = io::file_times(st);
  rec.CreationTime = t.creation;
  rec.LastAccessTime = t.last_access;
  rec.LastWriteTime = t.last_write;
  rec.ChangeTime = t.change;
  rec.EndOfFile = io::end_of_file(st);
  rec.AllocationSize = io::allocation_size(st);
  rec.FileAttributes = io::file_attributes(st);
  rec.FileNameLength = name_bytes;
}

// The fixed part of a record (everything before FileName), NextEntryOffset left 0.
void fixed_part(ULONG c, const struct statx& st, ULONG name_bytes, uint8_t* out) {
  switch (c) {
    case FileDirectoryInformation: {
      FILE_DIRECTORY_INFORMATION r{};
      fill_common(r, st, name_bytes);
      std::memcpy(out, &r, offsetof(FILE_DIRECTORY_INFORMATION, FileName));
      break;
    }
    case FileFullDirectoryInformation: {
      FILE_FULL_DIR_INFORMATION r{};
      fill_common(r, st, name_bytes);
      std::memcpy(out, &r, offsetof(FILE_FULL_DIR_INFORMATION, FileName));
      break;
    }
    case FileBothDirectoryInformation: {
      FILE_BOTH_DIR_INFORMATION r{};
      fill_common(r, st, name_bytes);
      std::memcpy(out, &r, offsetof(FILE_BOTH_DIR_INFORMATION, FileName));
      break;
    }
    case FileIdBothDirectoryInformation: {
      FILE_ID_BOTH_DIR_INFORMATION r{};
      fill_common(r, st, name_bytes);
      r.FileId = static_cast<LARGE_INTEGER>(st.stx_ino);
      std::memcpy(out, &r, offsetof(FILE_ID_BOTH_DIR_INFORMATION, FileName));
      break;
    }
    case FileIdFullDirectoryInformation: {
      FILE_ID_FULL_DIR_INFORMATION r{};
      fill_common(r, st, name_bytes);
      r.FileId = static_cast<LARGE_INTEGER>(st.stx_ino);
      std::memcpy(out, &r, offsetof(FILE_ID_FULL_DIR_INFORMATION, FileName));
      break;
    }
    case FileNamesInformation: {
      FILE_NAMES_INFORMATION r{};
      r.FileNameLength = name_bytes;
      std::memcpy(out, &r, offsetof(FILE_NAMES_INFORMATION, FileName));
      break;
    }
  }
}

// Metadata of one entry. Host symlinks are reported as what they lead to inside the drive
// (resolved beneath the root, like every open), or as themselves when they lead nowhere.
bool stat_entry(const FileObject& dir, const std::string& dir_path, const io::DirectoryEntry& e,
                struct statx& st) {
  const Drive& d = current_process().ns.drives[dir.drive];
  if (e.host_name == ".") return io::stat_fd(dir.fd, st) == 0;
  if (e.host_name == "..") {
    size_t slash = dir_path.rfind('/');
    int fd =
        io::open_in_root(d.root_fd, slash == std::string::npos ? "" : dir_path.substr(0, slash),
                         O_PATH | O_DIRECTORY);
    if (fd < 0) return false;
    bool ok = io::stat_fd(fd, st) == 0;
    close(fd);
    return ok;
  }
  if (io::stat_at(dir.fd, e.host_name.c_str(), st) != 0) return false;  // gone since listed
  if (S_ISLNK(st.stx_mode)) {
    std::string path = dir_path.empty() ? e.host_name : dir_path + '/' + e.host_name;
    int fd = io::open_in_root(d.root_fd, path, O_PATH);
    if (fd >= 0) {
      struct statx target;
      if (io::stat_fd(fd, target) == 0) st = target;
      close(fd);
    }
  }
  return true;
}

}  // namespace

NTSTATUS NtQueryDirectoryFile(HANDLE FileHandle, HANDLE Event, UserPtr<void> ApcRoutine,
                              UserPtr<void> ApcContext, UserPtr<IO_STATUS_BLOCK> IoStatusBlock,
                              UserPtr<void> FileInformation, ULONG Length,
                              ULONG FileInformationClass, BOOLEAN ReturnSingleEntry,
                              UserPtr<UNICODE_STRING> FileName, BOOLEAN RestartScan) {
  const size_t name_off = name_offset(FileInformationClass);
  if (!name_off) return STATUS_INVALID_INFO_CLASS;
  // Room for the fixed part and one character, rounded to the record alignment.
  if (Length < align8(name_off + sizeof(WCHAR))) return STATUS_INFO_LENGTH_MISMATCH;
  if (!probe_user(IoStatusBlock.addr(), sizeof(IO_STATUS_BLOCK), true) ||
      !probe_user(FileInformation.addr(), Length, true))
    return STATUS_ACCESS_VIOLATION;
  std::u16string mask;
  if (FileName) {
    if (NTSTATUS s = read_user_unicode_string(FileName, mask); !nt_success(s)) return s;
  }
  std::shared_ptr<FileObject> f;
  if (NTSTATUS s =
          current_process().handles.reference<FileObject>(FileHandle, FILE_LIST_DIRECTORY, f);
      !nt_success(s))
    return s;
  io::CompletionEvent event;
  if (NTSTATUS s = event.reference(Event); !nt_success(s)) return s;
  if (!f->is_disk() || !f->directory) return STATUS_INVALID_PARAMETER;
  event.start();

  std::lock_guard lock(f->scan_mutex);
  const std::string dir_path = f->host_path();
  const bool first = !f->scan;
  // The mask of the first call stays for the life of the handle, restarts included.
  if (first) {
    f->scan = std::make_unique<io::DirectoryScan>();
    f->scan->mask = mask == u"*" ? std::u16string() : mask;
  }
  io::DirectoryScan& scan = *f->scan;
  if (first || RestartScan) {
    if (int e = io::list_directory(f->fd, dir_path.empty(), scan.mask, scan.entries))
      return status_from_errno(e);
    scan.next = 0;
  }

  std::vector<uint8_t> out;
  size_t last = 0;  // offset of the last record written
  NTSTATUS status = STATUS_SUCCESS;
  size_t count = 0;
  while (scan.next < scan.entries.size()) {
    const io::DirectoryEntry& e = scan.entries[scan.next];
    struct statx st;
    if (!stat_entry(*f, dir_path, e, st)) {
      ++scan.next;
      continue;
    }
    const size_t name_bytes = e.name.size() * sizeof(char16_t);
    const size_t size = name_off + name_bytes;
    size_t at = 0;
    if (count == 0) {
      if (size > Length) {
        // Not even one whole record fits: as much of its name as fits, and the entry is spent.
        size_t part = (Length - name_off) & ~size_t{1};
        out.resize(name_off + part);
        fixed_part(FileInformationClass, st, static_cast<ULONG>(name_bytes), out.data());
        std::memcpy(out.data() + name_off, e.name.data(), part);
        ++scan.next;
        status = STATUS_BUFFER_OVERFLOW;
        ++count;
        break;
      }
    } else {
      at = align8(out.size());
      if (at + size > Length) break;
      ULONG next_offset = static_cast<ULONG>(at - last);
      std::memcpy(out.data() + last, &next_offset, sizeof next_offset);
    }
    out.resize(at + size);
    fixed_part(FileInformationClass, st, static_cast<ULONG>(name_bytes), out.data() + at);
    std::memcpy(out.data() + at + name_off, e.name.data(), name_bytes);
    last = at;
    ++scan.next;
    ++count;
    if (ReturnSingleEntry) break;
  }

  if (count == 0) {
    // Nothing matched at all on the first call: reported without touching the status block.
    if (first) return STATUS_NO_SUCH_FILE;
    io::write_io_status(IoStatusBlock, STATUS_NO_MORE_FILES, 0);
    event.complete();
    return STATUS_NO_MORE_FILES;
  }
  if (!copy_to_user(FileInformation.addr(), out.data(), out.size())) return STATUS_ACCESS_VIOLATION;
  io::write_io_status(IoStatusBlock, status, out.size());
  event.complete();
  return status;
}

}  // namespace ireactor
