/* The process's DLL search settings (SetDllDirectory's directory, AddDllDirectory's list,
 * SetDefaultDllDirectories' flags) and LdrGetDllPath, which turns them into the ';'-separated
 * search path kernelbase passes to LdrLoadDll (NULL there: the runtime's standard order). The
 * settings live in fixed-size storage, far above what programs use; the path is allocated from the
 * process heap (RtlReleasePath frees it). */
#include "loader_private.h"

#define DIR_CHARS 1024
#define USER_DIRS 32
#define DEFAULT_DIRS_FLAGS                                               \
  (LOAD_LIBRARY_SEARCH_APPLICATION_DIR | LOAD_LIBRARY_SEARCH_USER_DIRS | \
   LOAD_LIBRARY_SEARCH_SYSTEM32 | LOAD_LIBRARY_SEARCH_DEFAULT_DIRS)

#ifndef LOAD_WITH_ALTERED_SEARCH_PATH
#define LOAD_WITH_ALTERED_SEARCH_PATH 0x8
#endif
#ifndef LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR
#define LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR 0x100
#endif
#define SEARCH_FLAGS (DEFAULT_DIRS_FLAGS | LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR)
#define PATH_CHARS 8192

PVOID NTAPI RtlAllocateHeap(PVOID heap, ULONG flags, SIZE_T size);

#ifndef LOAD_LIBRARY_SEARCH_APPLICATION_DIR
#define LOAD_LIBRARY_SEARCH_APPLICATION_DIR 0x200
#define LOAD_LIBRARY_SEARCH_USER_DIRS 0x400
#define LOAD_LIBRARY_SEARCH_SYSTEM32 0x800
#define LOAD_LIBRARY_SEARCH_DEFAULT_DIRS 0x1000
#endif

typedef struct DLL_DIR {
  BOOLEAN used;
  USHORT chars;
  WCHAR path[DIR_CHARS];
} DLL_DIR;

static DLL_DIR dll_directory; /* SetDllDirectory's */
static DLL_DIR user_dirs[USER_DIRS];
static ULONG default_dirs_flags;

/* "X:\..." or "\\server\..." (RtlDetermineDosPathNameType_U's absolute and UNC forms). */
static BOOLEAN is_absolute(const UNICODE_STRING* s) {
  const SIZE_T n = s->Length / sizeof(WCHAR);
  const WCHAR* p = s->Buffer;
  if (n >= 3 && ((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z') && p[1] == ':' &&
      (p[2] == '\\' || p[2] == '/'))
    return TRUE;
  return n >= 3 && (p[0] == '\\' || p[0] == '/') && (p[1] == '\\' || p[1] == '/');
}

static NTSTATUS store(DLL_DIR* d, const UNICODE_STRING* s) {
  const SIZE_T n = s->Length / sizeof(WCHAR);
  if (n >= DIR_CHARS) return STATUS_NAME_TOO_LONG;
  for (SIZE_T i = 0; i < n; ++i) d->path[i] = s->Buffer[i];
  d->path[n] = 0;
  d->chars = (USHORT)n;
  d->used = TRUE;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrAddDllDirectory(const UNICODE_STRING* Dir, PVOID* Cookie) {
  if (!Dir || !Cookie || !Dir->Buffer || !is_absolute(Dir)) return STATUS_INVALID_PARAMETER;
  NTSTATUS status = STATUS_NO_MEMORY;
  loader_lock();
  for (ULONG i = 0; i < USER_DIRS; ++i) {
    if (user_dirs[i].used) continue;
    status = store(&user_dirs[i], Dir);
    if (status == STATUS_SUCCESS) *Cookie = &user_dirs[i];
    break;
  }
  loader_unlock();
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrRemoveDllDirectory(PVOID Cookie) {
  DLL_DIR* d = Cookie;
  if (d < user_dirs || d >= user_dirs + USER_DIRS ||
      (ULONG_PTR)((BYTE*)d - (BYTE*)user_dirs) % sizeof(DLL_DIR) || !d->used)
    return STATUS_INVALID_PARAMETER;
  loader_lock();
  d->used = FALSE;
  loader_unlock();
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrSetDllDirectory(const UNICODE_STRING* Dir) {
  NTSTATUS status = STATUS_SUCCESS;
  loader_lock();
  if (!Dir || !Dir->Buffer || !Dir->Length)
    dll_directory.used = FALSE, dll_directory.chars = 0;
  else
    status = store(&dll_directory, Dir);
  loader_unlock();
  return status;
}

/* Length is the directory's length on success; when the buffer is too small it is the size needed
 * with the terminator (what GetDllDirectory reports). */
NTDLL_EXPORT NTSTATUS NTAPI LdrGetDllDirectory(UNICODE_STRING* Dir) {
  NTSTATUS status = STATUS_SUCCESS;
  loader_lock();
  const USHORT bytes = dll_directory.used ? dll_directory.chars * sizeof(WCHAR) : 0;
  if (Dir->MaximumLength >= bytes + sizeof(WCHAR)) {
    for (USHORT i = 0; i < bytes / sizeof(WCHAR); ++i) Dir->Buffer[i] = dll_directory.path[i];
    Dir->Buffer[bytes / sizeof(WCHAR)] = 0;
    Dir->Length = bytes;
  } else {
    Dir->Length = bytes + sizeof(WCHAR);
    if (Dir->MaximumLength >= sizeof(WCHAR)) Dir->Buffer[0] = 0;
    status = STATUS_BUFFER_TOO_SMALL;
  }
  loader_unlock();
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrSetDefaultDllDirectories(ULONG Flags) {
  if (!Flags || (Flags & ~DEFAULT_DIRS_FLAGS)) return STATUS_INVALID_PARAMETER;
  default_dirs_flags = Flags;
  return STATUS_SUCCESS;
}

/* A ';'-separated path under construction; overflowing drops what does not fit. */
typedef struct PATH_BUILDER {
  WCHAR text[PATH_CHARS];
  SIZE_T len;
} PATH_BUILDER;

static void append(PATH_BUILDER* b, const WCHAR* s, SIZE_T n) {
  if (!n || b->len + n + 2 >= PATH_CHARS) return;
  if (b->len) b->text[b->len++] = ';';
  for (SIZE_T i = 0; i < n; ++i) b->text[b->len++] = s[i];
}

static void append_z(PATH_BUILDER* b, const WCHAR* s) {
  append(b, s, wcslen(s));
}

/* The directory part of a path ("C:\dir\x.dll" -> "C:\dir"); 0 when it has none. */
static SIZE_T directory_chars(const WCHAR* path, SIZE_T n) {
  while (n && path[n - 1] != '\\' && path[n - 1] != '/') --n;
  if (n > 1 && path[n - 2] != ':') --n; /* keep "C:\" whole, drop the separator otherwise */
  return n;
}

static void append_application_dir(PATH_BUILDER* b) {
  const UNICODE_STRING* image = &ir_peb()->ProcessParameters->ImagePathName;
  append(b, image->Buffer, directory_chars(image->Buffer, image->Length / sizeof(WCHAR)));
}

static void append_user_dirs(PATH_BUILDER* b) {
  for (ULONG i = 0; i < USER_DIRS; ++i)
    if (user_dirs[i].used) append(b, user_dirs[i].path, user_dirs[i].chars);
}

/* PATH from the process environment ("NAME=VALUE\0...\0\0"), names compared as Windows does. */
static void append_environment_path(PATH_BUILDER* b) {
  static const WCHAR name[] = {'P', 'A', 'T', 'H', '='};
  const WCHAR* env = ir_peb()->ProcessParameters->Environment;
  while (env && *env) {
    const SIZE_T n = wcslen(env);
    if (n > 5 && !loader_wcsnicmp(env, name, 5)) {
      append(b, env + 5, n - 5);
      return;
    }
    env += n + 1;
  }
}

NTDLL_EXPORT NTSTATUS NTAPI LdrGetDllPath(PCWSTR Module, ULONG Flags, PWSTR* Path, PWSTR* Unknown) {
  static const WCHAR system32[] = L"C:\\windows\\system32", system[] = L"C:\\windows\\system",
                     windows[] = L"C:\\windows", dot[] = L".";
  static PATH_BUILDER b; /* under the loader lock: too large for the stack */
  *Path = NULL;
  *Unknown = NULL;
  if ((Flags & LOAD_WITH_ALTERED_SEARCH_PATH) && (Flags & SEARCH_FLAGS))
    return STATUS_INVALID_PARAMETER;
  loader_lock();
  b.len = 0;
  const SIZE_T module_dir = Module ? directory_chars(Module, wcslen(Module)) : 0;
  ULONG search = Flags & SEARCH_FLAGS;
  if (!search && !(Flags & LOAD_WITH_ALTERED_SEARCH_PATH)) search = default_dirs_flags;
  if (search) {
    if (search & LOAD_LIBRARY_SEARCH_DEFAULT_DIRS)
      search |= LOAD_LIBRARY_SEARCH_APPLICATION_DIR | LOAD_LIBRARY_SEARCH_USER_DIRS |
                LOAD_LIBRARY_SEARCH_SYSTEM32;
    if (search & LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR) append(&b, Module, module_dir);
    if (search & LOAD_LIBRARY_SEARCH_APPLICATION_DIR) append_application_dir(&b);
    if (search & LOAD_LIBRARY_SEARCH_USER_DIRS) append_user_dirs(&b);
    if (search & LOAD_LIBRARY_SEARCH_SYSTEM32) append_z(&b, system32);
  } else {
    /* The standard order: the module's directory in place of the application's with
     * LOAD_WITH_ALTERED_SEARCH_PATH; SetDllDirectory's directory replaces the current one. */
    if ((Flags & LOAD_WITH_ALTERED_SEARCH_PATH) && module_dir)
      append(&b, Module, module_dir);
    else
      append_application_dir(&b);
    if (dll_directory.used) append(&b, dll_directory.path, dll_directory.chars);
    append_z(&b, system32);
    append_z(&b, system);
    append_z(&b, windows);
    if (!dll_directory.used) append_z(&b, dot);
    append_environment_path(&b);
  }
  NTSTATUS status = STATUS_NO_MEMORY;
  WCHAR* out = RtlAllocateHeap(ir_peb()->ProcessHeap, 0, (b.len + 1) * sizeof(WCHAR));
  if (out) {
    for (SIZE_T i = 0; i < b.len; ++i) out[i] = b.text[i];
    out[b.len] = 0;
    *Path = out;
    status = STATUS_SUCCESS;
  }
  loader_unlock();
  return status;
}
