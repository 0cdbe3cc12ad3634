/* Searching directories for a file (SearchPathW's engine) and the default search paths. */
#include "env_private.h"

static const WCHAR system_dirs[] = L"C:\\windows\\system32;C:\\windows\\system;C:\\windows";

/* SetSearchPathMode's state: safe mode puts the current directory after the system directories; a
 * permanent choice cannot be changed again. */
static volatile LONG search_mode; /* 0 (default: current directory first) or a flag above */
static volatile LONG search_mode_permanent;

/* Looks `name` (plus `extension` when its last component has no '.') up in each directory of the
 * ';'-separated `path`; a name that is not relative is only checked for existence. Returns what
 * RtlGetFullPathName_U returns for the first existing candidate, 0 when none exists. */
NTDLL_EXPORT ULONG NTAPI RtlDosSearchPath_U(PCWSTR path, PCWSTR name, PCWSTR extension, ULONG size,
                                            PWSTR buffer, PWSTR* file_part) {
  if (RtlDetermineDosPathNameType_U(name) != RtlPathTypeRelative)
    return RtlDoesFileExists_U(name) ? RtlGetFullPathName_U(name, size, buffer, file_part) : 0;

  const SIZE_T name_len = wcslen(name);
  SIZE_T ext_len = extension ? wcslen(extension) : 0;
  for (SIZE_T i = name_len; i && !env_is_sep(name[i - 1]); i--)
    if (name[i - 1] == '.') ext_len = 0; /* the name has its own extension */

  ENV_PATH candidate;
  env_path_init(&candidate);
  ULONG result = 0;
  const WCHAR* dir = path;
  while (dir && *dir) {
    const WCHAR* end = dir;
    while (*end && *end != ';') end++;
    const SIZE_T dir_len = (SIZE_T)(end - dir);
    if (dir_len) {
      if (!env_path_reserve(&candidate, dir_len + 1 + name_len + ext_len + 1)) break;
      WCHAR* c = candidate.chars;
      SIZE_T n = 0;
      for (SIZE_T i = 0; i < dir_len; i++) c[n++] = dir[i];
      if (!env_is_sep(c[n - 1])) c[n++] = '\\';
      for (SIZE_T i = 0; i < name_len; i++) c[n++] = name[i];
      for (SIZE_T i = 0; i < ext_len; i++) c[n++] = extension[i];
      c[n] = 0;
      candidate.length = n;
      if (RtlDoesFileExists_U(c)) {
        result = RtlGetFullPathName_U(c, size, buffer, file_part);
        break;
      }
    }
    dir = *end ? end + 1 : end;
  }
  env_path_release(&candidate);
  return result;
}

/* "<dir>;" parts joined into one heap string: the executable's directory, the
 * current directory ("."; after the system directories in safe search mode,
 * left out when `with_current` is FALSE), the system directories, then %PATH%. */
static NTSTATUS build_search_path(PWSTR* result, BOOLEAN with_current) {
  RtlAcquirePebLock();
  const IR_PROCESS_PARAMETERS* params = ir_peb()->ProcessParameters;
  const UNICODE_STRING* image = &params->ImagePathName;
  SIZE_T app_len = image->Length / sizeof(WCHAR);
  while (app_len && !env_is_sep(image->Buffer[app_len - 1])) app_len--;
  if (app_len > 1 && !(app_len == 3 && image->Buffer[1] == ':')) app_len--; /* "C:\" stays */
  SIZE_T env_path_len = 0;
  const WCHAR* env_path = env_find_variable(params->Environment, L"PATH", 4, &env_path_len);
  const SIZE_T system_len = sizeof(system_dirs) / sizeof(WCHAR) - 1;
  const SIZE_T total = app_len + 1 + 2 + system_len + 1 + env_path_len + 1;
  WCHAR* p = RtlAllocateHeap(ir_peb()->ProcessHeap, 0, total * sizeof(WCHAR));
  if (p) {
    SIZE_T n = 0;
    const BOOLEAN safe = search_mode == BASE_SEARCH_PATH_ENABLE_SAFE_SEARCHMODE;
    for (SIZE_T i = 0; i < app_len; i++) p[n++] = image->Buffer[i];
    p[n++] = ';';
    if (with_current && !safe) p[n++] = '.', p[n++] = ';';
    for (SIZE_T i = 0; i < system_len; i++) p[n++] = system_dirs[i];
    if (with_current && safe) p[n++] = ';', p[n++] = '.';
    if (env_path_len) p[n++] = ';';
    for (SIZE_T i = 0; i < env_path_len; i++) p[n++] = env_path[i];
    p[n] = 0;
  }
  RtlReleasePebLock();
  if (!p) return STATUS_NO_MEMORY;
  *result = p;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlGetSearchPath(PWSTR* path) {
  return build_search_path(path, TRUE);
}

/* CreateProcess's search: the current directory is left out when
 * NoDefaultCurrentDirectoryInExePath is set, unless the name has a directory of its own (as
 * NeedCurrentDirectoryForExePathW decides). */
NTDLL_EXPORT NTSTATUS NTAPI RtlGetExePath(PCWSTR name, PWSTR* path) {
  BOOLEAN has_directory = FALSE;
  for (const WCHAR* p = name; *p; p++)
    if (*p == '\\') has_directory = TRUE;
  BOOLEAN with_current = TRUE;
  if (!has_directory) {
    static const WCHAR variable[] = L"NoDefaultCurrentDirectoryInExePath";
    SIZE_T len = 0;
    RtlAcquirePebLock();
    if (env_find_variable(ir_peb()->ProcessParameters->Environment, variable,
                          sizeof(variable) / sizeof(WCHAR) - 1, &len))
      with_current = FALSE;
    RtlReleasePebLock();
  }
  return build_search_path(path, with_current);
}

NTDLL_EXPORT void NTAPI RtlReleasePath(PWSTR path) {
  RtlFreeHeap(ir_peb()->ProcessHeap, 0, path);
}

/* Exactly one of enable/disable, optionally made permanent (and then never changed). */
NTDLL_EXPORT NTSTATUS NTAPI RtlSetSearchPathMode(ULONG flags) {
  const ULONG mode = flags & ~BASE_SEARCH_PATH_PERMANENT;
  if (mode != BASE_SEARCH_PATH_ENABLE_SAFE_SEARCHMODE &&
      mode != BASE_SEARCH_PATH_DISABLE_SAFE_SEARCHMODE)
    return STATUS_INVALID_PARAMETER;
  if (flags == (BASE_SEARCH_PATH_DISABLE_SAFE_SEARCHMODE | BASE_SEARCH_PATH_PERMANENT))
    return STATUS_INVALID_PARAMETER;
  if (search_mode_permanent) return STATUS_ACCESS_DENIED;
  search_mode = mode == BASE_SEARCH_PATH_ENABLE_SAFE_SEARCHMODE ? (LONG)mode : 0;
  if (flags & BASE_SEARCH_PATH_PERMANENT) search_mode_permanent = 1;
  return STATUS_SUCCESS;
}
