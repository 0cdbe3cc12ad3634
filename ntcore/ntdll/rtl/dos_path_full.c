/* Full DOS paths: a path completed against the current directory (or the drive's "=X:" variable),
 * '/' made '\', runs of separators, "." and ".." folded, trailing dots and spaces dropped as
 * Windows drops them, DOS device names turned into \\.\NAME. */
#include "env_private.h"

void env_path_init(ENV_PATH* path) {
  path->chars = path->local;
  path->length = 0;
  path->capacity = ENV_LOCAL_PATH_CHARS;
}

BOOLEAN env_path_reserve(ENV_PATH* path, SIZE_T chars) {
  if (chars <= path->capacity) return TRUE;
  WCHAR* bigger = env_vm_alloc(chars * sizeof(WCHAR));
  if (!bigger) return FALSE;
  for (SIZE_T i = 0; i < path->length; i++) bigger[i] = path->chars[i];
  if (path->chars != path->local) env_vm_free(path->chars);
  path->chars = bigger;
  path->capacity = chars;
  return TRUE;
}

void env_path_release(ENV_PATH* path) {
  if (path->chars != path->local) env_vm_free(path->chars);
  env_path_init(path);
}

static void append(ENV_PATH* path, const WCHAR* s, SIZE_T n) {
  for (SIZE_T i = 0; i < n; i++) path->chars[path->length++] = s[i];
}

/* Where "\\server\share" ends in a UNC path (its whole length when it has no share). */
static SIZE_T unc_root_length(const WCHAR* p, SIZE_T len) {
  SIZE_T i = 2;
  while (i < len && !env_is_sep(p[i])) i++;
  if (i < len) i++;
  while (i < len && !env_is_sep(p[i])) i++;
  return i;
}

/* The part of the current directory ".." cannot climb out of: "C:" or "\\server\share". */
static SIZE_T root_length(const WCHAR* p, SIZE_T len) {
  if (len >= 2 && p[1] == ':') return 2;
  if (len >= 2 && env_is_sep(p[0]) && env_is_sep(p[1])) return unc_root_length(p, len);
  return 0;
}

/* Folds path->chars[root..] in place: every component after the root is preceded by a separator. A
 * bare root gets its separator ("C:" -> "C:\"), but not a UNC share's. */
static void normalize(ENV_PATH* path, SIZE_T root, BOOLEAN unc) {
  WCHAR* p = path->chars;
  const SIZE_T len = path->length;
  for (SIZE_T i = 0; i < len; i++)
    if (p[i] == '/') p[i] = '\\';
  const BOOLEAN trailing_separator = len > root && p[len - 1] == '\\';
  SIZE_T out = root, i = root;
  while (i < len) {
    if (p[i] == '\\') {
      i++;
      continue;
    }
    SIZE_T end = i;
    while (end < len && p[end] != '\\') end++;
    SIZE_T n = end - i;
    if (n == 1 && p[i] == '.') {
      /* the directory itself */
    } else if (n == 2 && p[i] == '.' && p[i + 1] == '.') {
      while (out > root && p[out - 1] != '\\') out--;
      if (out > root) out--;
    } else {
      if (end == len) { /* the last component loses its trailing dots and spaces */
        while (n && (p[i + n - 1] == '.' || p[i + n - 1] == ' ')) n--;
      } else if (p[end - 1] == '.') {
        n--; /* an inner component loses one trailing dot */
      }
      /* The separator stays even when nothing is left of the last component: "C:\x\..." */
      p[out++] = '\\';
      for (SIZE_T k = 0; k < n; k++) p[out++] = p[i + k];
    }
    i = end;
  }
  if ((out == root && !(unc && len == root)) || (trailing_separator && p[out - 1] != '\\'))
    p[out++] = '\\';
  p[out] = 0;
  path->length = out;
}

NTSTATUS env_full_path(const WCHAR* name, ENV_PATH* out, RTL_PATH_TYPE* type_out,
                       SIZE_T* file_part) {
  const SIZE_T name_len = name ? wcslen(name) : 0;
  out->length = 0;
  if (!name_len) return STATUS_OBJECT_NAME_INVALID;
  const RTL_PATH_TYPE type = RtlDetermineDosPathNameType_U(name);
  if (type_out) *type_out = type;

  const ULONG device = RtlIsDosDeviceName_U(name);
  if (device) { /* "c:\dir\con.txt" is the console: \\.\con */
    const SIZE_T offset = (device >> 16) / sizeof(WCHAR), len = (device & 0xFFFF) / sizeof(WCHAR);
    if (!env_path_reserve(out, len + 5)) return STATUS_NO_MEMORY;
    append(out, L"\\\\.\\", 4);
    append(out, name + offset, len);
    out->chars[out->length] = 0;
    if (file_part) *file_part = out->length; /* a device has no file part */
    return STATUS_SUCCESS;
  }

  RtlAcquirePebLock();
  const UNICODE_STRING* cwd = &ir_peb()->ProcessParameters->CurrentDirectory.DosPath;
  const WCHAR* cur = cwd->Buffer;
  const SIZE_T cur_len = cwd->Length / sizeof(WCHAR);
  const WCHAR* drive_dir = NULL; /* a drive-relative path on another drive: "=X:"'s value */
  SIZE_T drive_dir_len = 0;
  if (type == RtlPathTypeDriveRelative &&
      !(cur_len >= 2 && cur[1] == ':' && env_upcase(cur[0]) == env_upcase(name[0]))) {
    const WCHAR variable[3] = {'=', env_upcase(name[0]), ':'};
    drive_dir =
        env_find_variable(ir_peb()->ProcessParameters->Environment, variable, 3, &drive_dir_len);
  }
  NTSTATUS status = STATUS_SUCCESS;
  if (!env_path_reserve(out, name_len + cur_len + drive_dir_len + 8)) {
    status = STATUS_NO_MEMORY;
    goto done;
  }
  SIZE_T root = 2;
  switch (type) {
    case RtlPathTypeUncAbsolute:
      append(out, name, name_len);
      root = unc_root_length(name, name_len);
      break;
    case RtlPathTypeDriveAbsolute:
      append(out, name, name_len);
      break;
    case RtlPathTypeDriveRelative:
      if (drive_dir) {
        append(out, drive_dir, drive_dir_len);
        append(out, L"\\", 1);
      } else if (cur_len >= 2 && cur[1] == ':' && env_upcase(cur[0]) == env_upcase(name[0])) {
        append(out, cur, cur_len);
      } else {
        append(out, name, 2);
        append(out, L"\\", 1);
      }
      append(out, name + 2, name_len - 2);
      break;
    case RtlPathTypeRooted:
      root = root_length(cur, cur_len);
      append(out, cur, root);
      append(out, name, name_len);
      break;
    case RtlPathTypeRelative:
      root = root_length(cur, cur_len);
      append(out, cur, cur_len);
      if (cur_len && !env_is_sep(cur[cur_len - 1])) append(out, L"\\", 1);
      append(out, name, name_len);
      break;
    case RtlPathTypeRootLocalDevice: /* "\\?" too is the local device root "\\.\" */
      append(out, L"\\\\.", 3);
      root = 3;
      break;
    case RtlPathTypeLocalDevice:
    default:
      append(out, name, name_len);
      root = 3;
      break;
  }
  normalize(out, root,
            type == RtlPathTypeUncAbsolute ||
                ((type == RtlPathTypeRooted || type == RtlPathTypeRelative) && root != 2));
  if (file_part) {
    SIZE_T i = out->length;
    while (i && out->chars[i - 1] != '\\') i--;
    *file_part = i;
  }
done:
  RtlReleasePebLock();
  return status;
}

/* The full path's length in bytes without its NUL when buffer (size bytes) holds it, else the bytes
 * it needs with the NUL; 0 for an invalid name. *file_part: the last component, NULL when the path
 * ends with a separator. */
NTDLL_EXPORT ULONG NTAPI RtlGetFullPathName_U(PCWSTR name, ULONG size, PWSTR buffer,
                                              PWSTR* file_part) {
  if (file_part) *file_part = NULL;
  ENV_PATH path;
  env_path_init(&path);
  SIZE_T part = 0;
  ULONG result = 0;
  if (NT_SUCCESS(env_full_path(name, &path, NULL, &part))) {
    const SIZE_T bytes = path.length * sizeof(WCHAR);
    if (bytes + sizeof(WCHAR) > size) {
      result = (ULONG)(bytes + sizeof(WCHAR));
    } else {
      for (SIZE_T i = 0; i <= path.length; i++) buffer[i] = path.chars[i];
      if (file_part && part < path.length) *file_part = buffer + part;
      result = (ULONG)bytes;
    }
  }
  env_path_release(&path);
  return result;
}

/* The status-returning form: *needed says the bytes the path takes (without its NUL when it fit,
 * with it when STATUS_BUFFER_TOO_SMALL). */
NTDLL_EXPORT NTSTATUS NTAPI RtlGetFullPathName_UEx(PCWSTR name, ULONG size, PWSTR buffer,
                                                   PWSTR* file_part, ULONG* needed) {
  const ULONG bytes = RtlGetFullPathName_U(name, size, buffer, file_part);
  if (needed) *needed = bytes;
  if (!bytes) return STATUS_OBJECT_NAME_INVALID;
  if (bytes > size) return STATUS_BUFFER_TOO_SMALL;
  return STATUS_SUCCESS;
}
