/* Environment blocks: "NAME=VALUE\0...\0\0" in UTF-16, the process's own at
 * PEB.ProcessParameters->Environment (guarded by the PEB lock). Names compare case-insensitively
 * and may start with '=' (the per-drive directories "=C:=C:\dir"); RtlSetEnvironmentVariable keeps
 * a block sorted by name. Blocks are whole pages from NtAllocateVirtualMemory, as Windows allocates
 * them. */
#include "env_private.h"

PVOID env_vm_alloc(SIZE_T bytes) {
  PVOID base = NULL;
  SIZE_T size = bytes;
  if (!NT_SUCCESS(NtAllocateVirtualMemory((HANDLE)-1, &base, 0, &size, MEM_RESERVE | MEM_COMMIT,
                                          PAGE_READWRITE)))
    return NULL;
  return base;
}

void env_vm_free(PVOID p) {
  SIZE_T size = 0;
  if (p) NtFreeVirtualMemory((HANDLE)-1, &p, &size, MEM_RELEASE);
}

static void copy_chars(WCHAR* to, const WCHAR* from, SIZE_T n) {
  if (to < from)
    for (SIZE_T i = 0; i < n; i++) to[i] = from[i];
  else
    while (n--) to[n] = from[n];
}

/* The characters of a block, both terminating NULs included (an empty block is one NUL). */
static SIZE_T block_length(const WCHAR* env) {
  const WCHAR* p = env;
  while (*p) p += wcslen(p) + 1;
  return (SIZE_T)(p - env) + 1;
}

/* The end of an entry's name: its first '=' after the first character. */
static const WCHAR* name_end(const WCHAR* entry) {
  const WCHAR* p = entry + 1;
  while (*p && *p != '=') p++;
  return p;
}

/* <0, 0, >0 as the entry's name sorts before, equal to or after `name`, ignoring case. */
static int compare_name(const WCHAR* entry, const WCHAR* end, const WCHAR* name, SIZE_T len) {
  SIZE_T i = 0;
  for (; entry + i < end && i < len; i++) {
    const WCHAR a = env_upcase(entry[i]), b = env_upcase(name[i]);
    if (a != b) return a < b ? -1 : 1;
  }
  if (entry + i < end) return 1;
  return i < len ? -1 : 0;
}

const WCHAR* env_find_variable(const WCHAR* env, const WCHAR* name, SIZE_T name_len,
                               SIZE_T* value_len) {
  if (!env || !name_len) return NULL;
  for (const WCHAR* p = env; *p; p += wcslen(p) + 1) {
    const WCHAR* end = name_end(p);
    if (*end == '=' && !compare_name(p, end, name, name_len)) {
      *value_len = wcslen(end + 1);
      return end + 1;
    }
  }
  return NULL;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlCreateEnvironment(BOOLEAN clone, PWSTR* environment) {
  if (!clone) {
    WCHAR* block = env_vm_alloc(2 * sizeof(WCHAR));
    if (!block) return STATUS_NO_MEMORY;
    block[0] = block[1] = 0;
    *environment = block;
    return STATUS_SUCCESS;
  }
  RtlAcquirePebLock();
  const WCHAR* current = ir_peb()->ProcessParameters->Environment;
  const SIZE_T length = current ? block_length(current) : 1;
  WCHAR* block = env_vm_alloc((length + 1) * sizeof(WCHAR));
  if (block) {
    if (current) copy_chars(block, current, length);
    block[length - 1] = 0;
    block[length] = 0;
  }
  RtlReleasePebLock();
  if (!block) return STATUS_NO_MEMORY;
  *environment = block;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlDestroyEnvironment(PWSTR environment) {
  env_vm_free(environment);
  return STATUS_SUCCESS;
}

/* Makes `environment` the process's; the old block goes to *old, or is destroyed. */
NTDLL_EXPORT NTSTATUS NTAPI RtlSetCurrentEnvironment(PWSTR environment, PWSTR* old) {
  RtlAcquirePebLock();
  IR_PROCESS_PARAMETERS* params = ir_peb()->ProcessParameters;
  PWSTR previous = params->Environment;
  params->Environment = environment;
  params->EnvironmentSize = environment ? block_length(environment) * sizeof(WCHAR) : 0;
  RtlReleasePebLock();
  if (old)
    *old = previous;
  else
    RtlDestroyEnvironment(previous);
  return STATUS_SUCCESS;
}

/* The characters a block may grow to in place: up to the end of its memory region. */
static SIZE_T block_capacity(const WCHAR* env) {
  MEMORY_BASIC_INFORMATION info;
  if (!NT_SUCCESS(NtQueryVirtualMemory((HANDLE)-1, (PVOID)env, 0 /* MemoryBasicInformation */,
                                       &info, sizeof(info), NULL)) ||
      info.State != MEM_COMMIT || !(info.Protect & (PAGE_READWRITE | PAGE_EXECUTE_READWRITE)))
    return 0;
  return ((ULONG_PTR)info.BaseAddress + info.RegionSize - (ULONG_PTR)env) / sizeof(WCHAR);
}

/* Replaces the `old_len` characters at `at` in *env (a block of `length` characters) by NAME=VALUE
 * (nothing when value is NULL), in place when the block's memory has room, else in a new block that
 * replaces (and frees) the old one. */
static NTSTATUS rewrite(PWSTR* env, SIZE_T length, SIZE_T at, SIZE_T old_len, const WCHAR* name,
                        SIZE_T name_len, const WCHAR* value, SIZE_T value_len) {
  const SIZE_T new_len = value ? name_len + 1 + value_len + 1 : 0;
  const SIZE_T total = length - old_len + new_len;
  WCHAR* block = *env;
  const SIZE_T tail = length - at - old_len;
  if (block && total <= block_capacity(block)) {
    copy_chars(block + at + new_len, block + at + old_len, tail);
  } else {
    block = env_vm_alloc(total * sizeof(WCHAR));
    if (!block) return STATUS_NO_MEMORY;
    if (*env) {
      copy_chars(block, *env, at);
      copy_chars(block + at + new_len, *env + at + old_len, tail);
      env_vm_free(*env);
    } else {
      block[total - 1] = 0;
    }
    *env = block;
  }
  if (value) {
    WCHAR* p = block + at;
    copy_chars(p, name, name_len);
    p[name_len] = '=';
    copy_chars(p + name_len + 1, value, value_len);
    p[name_len + 1 + value_len] = 0;
  }
  if (total == 1) block[0] = block[1] = 0; /* an empty block: two NULs, as a new one has */
  return STATUS_SUCCESS;
}

static NTSTATUS set_variable(PWSTR* env, const UNICODE_STRING* name, const UNICODE_STRING* value) {
  const SIZE_T name_len = name->Length / sizeof(WCHAR);
  const WCHAR* value_chars = value ? (value->Buffer ? value->Buffer : L"") : NULL;
  const SIZE_T value_len = value ? value->Length / sizeof(WCHAR) : 0;
  const SIZE_T length = *env ? block_length(*env) : 1;
  SIZE_T at = length - 1; /* before the final NUL: sorts last */
  SIZE_T old_len = 0;
  if (*env) {
    for (const WCHAR* p = *env; *p; p += wcslen(p) + 1) {
      const int order = compare_name(p, name_end(p), name->Buffer, name_len);
      if (order < 0) continue;
      at = (SIZE_T)(p - *env);
      if (!order) old_len = wcslen(p) + 1;
      break;
    }
  }
  if (!value && !old_len) return STATUS_SUCCESS; /* deleting what is not there */
  return rewrite(env, length, at, old_len, name->Buffer, name_len, value_chars, value_len);
}

/* Sets (or, with a NULL value, deletes) a variable of *environment, or of the process's block when
 * environment is NULL. A name is not empty and has no '=' past its first character. */
NTDLL_EXPORT NTSTATUS NTAPI RtlSetEnvironmentVariable(PWSTR* environment, PUNICODE_STRING name,
                                                      PUNICODE_STRING value) {
  if (!name || !name->Buffer || !name->Length) return STATUS_INVALID_PARAMETER_1;
  for (USHORT i = 1; i < name->Length / sizeof(WCHAR); i++)
    if (name->Buffer[i] == '=') return STATUS_INVALID_PARAMETER;
  if (environment) return set_variable(environment, name, value);

  RtlAcquirePebLock();
  IR_PROCESS_PARAMETERS* params = ir_peb()->ProcessParameters;
  PWSTR env = params->Environment;
  const NTSTATUS status = set_variable(&env, name, value);
  if (NT_SUCCESS(status)) {
    params->Environment = env;
    params->EnvironmentSize = block_length(env) * sizeof(WCHAR);
  }
  RtlReleasePebLock();
  return status;
}

/* The value of `name` in `environment` (the process's when NULL) into value->Buffer, with a
 * terminating NUL when there is room for one. value->Length says the value's length even when the
 * buffer is too small (STATUS_BUFFER_TOO_SMALL). */
NTDLL_EXPORT NTSTATUS NTAPI RtlQueryEnvironmentVariable_U(PWSTR environment, PCUNICODE_STRING name,
                                                          PUNICODE_STRING value) {
  const BOOLEAN current = environment == NULL;
  if (current) {
    RtlAcquirePebLock();
    environment = ir_peb()->ProcessParameters->Environment;
  }
  SIZE_T len = 0;
  const WCHAR* found =
      env_find_variable(environment, name->Buffer, name->Length / sizeof(WCHAR), &len);
  NTSTATUS status = STATUS_VARIABLE_NOT_FOUND;
  if (found) {
    value->Length = (USHORT)(len * sizeof(WCHAR));
    if (value->Length <= value->MaximumLength) {
      copy_chars(value->Buffer, found, len);
      if (value->Length + sizeof(WCHAR) <= value->MaximumLength) value->Buffer[len] = 0;
      status = STATUS_SUCCESS;
    } else {
      status = STATUS_BUFFER_TOO_SMALL;
    }
  }
  if (current) RtlReleasePebLock();
  return status;
}

/* The same with counted characters: a value that fits `value_length` is copied (with a NUL when
 * there is room), *return_length its length; else STATUS_BUFFER_TOO_SMALL and *return_length the
 * length with the NUL. */
NTDLL_EXPORT NTSTATUS NTAPI RtlQueryEnvironmentVariable(PWSTR environment, PCWSTR name,
                                                        SIZE_T name_length, PWSTR value,
                                                        SIZE_T value_length,
                                                        PSIZE_T return_length) {
  const BOOLEAN current = environment == NULL;
  if (current) {
    RtlAcquirePebLock();
    environment = ir_peb()->ProcessParameters->Environment;
  }
  SIZE_T len = 0;
  const WCHAR* found = env_find_variable(environment, name, name_length, &len);
  NTSTATUS status = STATUS_VARIABLE_NOT_FOUND;
  *return_length = 0;
  if (found) {
    if (len <= value_length) {
      copy_chars(value, found, len);
      if (len < value_length) value[len] = 0;
      *return_length = len;
      status = STATUS_SUCCESS;
    } else {
      *return_length = len + 1;
      status = STATUS_BUFFER_TOO_SMALL;
    }
  }
  if (current) RtlReleasePebLock();
  return status;
}

/* Expands %NAME% references of src[0..src_len) into dst (room for `capacity` characters), returning
 * the characters the whole expansion needs, its NUL included. A reference to an undefined variable,
 * and a lone '%', stay as written. */
static SIZE_T expand(const WCHAR* env, const WCHAR* src, SIZE_T src_len, WCHAR* dst,
                     SIZE_T capacity) {
  SIZE_T out = 0;
#define PUT(c)                        \
  do {                                \
    if (out < capacity) dst[out] = c; \
    out++;                            \
  } while (0)
  SIZE_T i = 0;
  while (i < src_len) {
    if (src[i] == '%') {
      SIZE_T close = i + 1;
      while (close < src_len && src[close] != '%') close++;
      if (close < src_len) {
        SIZE_T len = 0;
        const WCHAR* value = env_find_variable(env, src + i + 1, close - i - 1, &len);
        if (value) {
          for (SIZE_T k = 0; k < len; k++) PUT(value[k]);
          i = close + 1;
          continue;
        }
        for (; i <= close; i++) PUT(src[i]);
        continue;
      }
    }
    PUT(src[i]);
    i++;
  }
  PUT(0);
#undef PUT
  return out;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlExpandEnvironmentStrings(PWSTR environment, PCWSTR src,
                                                        SIZE_T src_length, PWSTR dst, SIZE_T count,
                                                        PSIZE_T needed) {
  const BOOLEAN current = environment == NULL;
  if (current) {
    RtlAcquirePebLock();
    environment = ir_peb()->ProcessParameters->Environment;
  }
  const SIZE_T total = expand(environment, src, src_length, dst, dst ? count : 0);
  if (current) RtlReleasePebLock();
  if (needed) *needed = total;
  return total > count ? STATUS_BUFFER_TOO_SMALL : STATUS_SUCCESS;
}

/* In bytes: *needed counts the NUL, destination->Length does not. */
NTDLL_EXPORT NTSTATUS NTAPI RtlExpandEnvironmentStrings_U(PWSTR environment,
                                                          PCUNICODE_STRING source,
                                                          PUNICODE_STRING destination,
                                                          PULONG needed) {
  SIZE_T total = 0;
  const SIZE_T capacity = destination->MaximumLength / sizeof(WCHAR);
  const NTSTATUS status =
      RtlExpandEnvironmentStrings(environment, source->Buffer, source->Length / sizeof(WCHAR),
                                  destination->Buffer, capacity, &total);
  if (needed) *needed = (ULONG)(total * sizeof(WCHAR));
  if (total * sizeof(WCHAR) > 0xFFFF) return STATUS_BUFFER_TOO_SMALL;
  if (NT_SUCCESS(status)) destination->Length = (USHORT)((total - 1) * sizeof(WCHAR));
  return status;
}
