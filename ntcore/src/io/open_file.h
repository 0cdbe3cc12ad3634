// The open/create machinery behind NtCreateFile, NtOpenFile, NtDeleteFile and
// NtQuery(Full)AttributesFile: capture an OBJECT_ATTRIBUTES name, then open or create what it
// names with NT semantics (dispositions, directory options, access, sharing, delete pending,
// read-only drives).
#pragma once

#include <memory>
#include <string>

#include "ireactor/io/file_object.h"
#include "ireactor/io/path_resolver.h"
#include "ireactor/user_memory.h"

namespace ireactor::io {

// A captured object name and where relative names start.
struct OpenTarget {
  std::u16string name;  // owns the characters parsed.components point into; never moved
  ParsedName parsed;
  HostPath base;                     // the drive root, or the RootDirectory handle's file
  std::shared_ptr<FileObject> root;  // the RootDirectory handle's object, if any
  nt::ULONG attributes = 0;          // OBJECT_ATTRIBUTES.Attributes
  bool captured = false;             // the name was read: later failures go to the IOSB too
  OpenTarget() = default;
  OpenTarget(const OpenTarget&) = delete;
  OpenTarget& operator=(const OpenTarget&) = delete;
};

// Reads OBJECT_ATTRIBUTES (STATUS_INVALID_PARAMETER when there are none, or for a wrong Length
// or unknown attribute bits; STATUS_ACCESS_VIOLATION for bad pointers), resolves RootDirectory
// (STATUS_INVALID_HANDLE / STATUS_OBJECT_TYPE_MISMATCH) and parses the name (none = empty).
nt::NTSTATUS capture_open_target(UserPtr<nt::OBJECT_ATTRIBUTES> oa, OpenTarget& out);

struct OpenParams {
  nt::ACCESS_MASK desired = 0;  // DesiredAccess as given (generic rights not yet mapped)
  nt::ULONG attributes = 0;     // FileAttributes for new files
  nt::ULONG share = 0;
  nt::ULONG disposition = nt::FILE_OPEN;
  nt::ULONG options = 0;
};

struct OpenOutcome {
  std::shared_ptr<FileObject> file;
  nt::ULONG_PTR information = 0;  // FILE_OPENED, FILE_CREATED...; FILE_EXISTS and
                                  // FILE_DOES_NOT_EXIST on the matching failures
};

// NtCreateFile's parameter checks (STATUS_INVALID_PARAMETER), on the raw arguments.
nt::NTSTATUS check_create_parameters(const OpenParams& p);

// Generic rights mapped to file rights (GENERIC_READ -> FILE_GENERIC_READ...).
nt::ACCESS_MASK map_file_access(nt::ACCESS_MASK desired);

// Opens or creates the target.
nt::NTSTATUS open_file(const OpenTarget& target, const OpenParams& p, OpenOutcome& out);

// Whether a directory fd has entries besides "." and "..".
bool directory_has_entries(int dir_fd);

}  // namespace ireactor::io
