/* Wine's own exports for Unix file names, which Wine's kernelbase/kernel32 call for a few file APIs
 * (wine_get_unix_file_name, ...). Windows code under ireactor never learns a host path: the
 * namespace's drives are its whole world (docs/ntdll.md). So there is no Unix name to give for an
 * NT name, and no NT name for a Unix one; callers fall back to their non-Wine paths. Signatures as
 * in Wine 8.0's winternl.h. */
#include "loader_private.h"

NTDLL_EXPORT NTSTATUS WINAPI wine_nt_to_unix_file_name(const OBJECT_ATTRIBUTES* attr, char* nameA,
                                                       ULONG* size, UINT disposition) {
  return STATUS_NOT_SUPPORTED;
}

NTDLL_EXPORT NTSTATUS WINAPI wine_unix_to_nt_file_name(const char* name, WCHAR* buffer,
                                                       ULONG* size) {
  return STATUS_OBJECT_PATH_NOT_FOUND;
}
