/* The "env" family's private declarations: NT types and structures winternl.h lacks, the services
 * of other families it calls, the KUSER_SHARED_DATA and TEB offsets it reads, and the helpers its
 * files share (prefixed env_). */
#ifndef ENV_PRIVATE_H
#define ENV_PRIVATE_H

#include "ntdll_base.h"

/* ---- other families' exports --------------------------------------------------------------- */
void NTAPI RtlAcquirePebLock(void); /* heap/sync */
void NTAPI RtlReleasePebLock(void);

/* ---- KUSER_SHARED_DATA ------------------------------------------------------------------- */
#define ENV_KUSER ((const volatile BYTE*)0x7FFE0000)
#define ENV_KUSER_INTERRUPT_TIME 0x008      /* KSYSTEM_TIME */
#define ENV_KUSER_SYSTEM_TIME 0x014         /* KSYSTEM_TIME */
#define ENV_KUSER_TIME_ZONE_BIAS 0x020      /* KSYSTEM_TIME, 100 ns, UTC - local */
#define ENV_KUSER_PROCESSOR_FEATURES 0x274  /* BOOLEAN[64] */
#define ENV_KUSER_COOKIE 0x330              /* ULONG */
#define ENV_KUSER_INTERRUPT_TIME_BIAS 0x3B0 /* ULONGLONG */

/* A KSYSTEM_TIME read as Windows code reads it: retry until High1Time == High2Time. */
static inline LONGLONG env_read_ksystem_time(ULONG offset) {
  const volatile LONG* t = (const volatile LONG*)(ENV_KUSER + offset);
  LONG high;
  ULONG low;
  do {
    high = t[1];
    low = (ULONG)t[0];
  } while (high != t[2]);
  return (LONGLONG)(((ULONGLONG)(ULONG)high << 32) | low);
}

/* ---- TEB fields IR_TEB does not name (x64 offsets) ----------------------------------------- */
#define ENV_TEB_HARD_ERROR_MODE 0x16B0 /* ULONG */

/* ---- Types
 * ------------------------------------------------------------------------------- */
typedef struct _TIME_FIELDS {
  SHORT Year;
  SHORT Month;
  SHORT Day;
  SHORT Hour;
  SHORT Minute;
  SHORT Second;
  SHORT Milliseconds;
  SHORT Weekday; /* 0 = Sunday */
} TIME_FIELDS, *PTIME_FIELDS;

typedef struct _RTL_BITMAP {
  ULONG SizeOfBitMap;
  PULONG Buffer;
} RTL_BITMAP, *PRTL_BITMAP;

typedef enum _RTL_PATH_TYPE {
  RtlPathTypeUnknown,
  RtlPathTypeUncAbsolute,
  RtlPathTypeDriveAbsolute,
  RtlPathTypeDriveRelative,
  RtlPathTypeRooted,
  RtlPathTypeRelative,
  RtlPathTypeLocalDevice,
  RtlPathTypeRootLocalDevice
} RTL_PATH_TYPE;

typedef struct _RTL_RELATIVE_NAME_U {
  UNICODE_STRING RelativeName;
  HANDLE ContainingDirectory;
  PVOID CurDirRef;
} RTL_RELATIVE_NAME_U, *PRTL_RELATIVE_NAME_U;

typedef TIME_ZONE_INFORMATION RTL_TIME_ZONE_INFORMATION;
typedef DYNAMIC_TIME_ZONE_INFORMATION RTL_DYNAMIC_TIME_ZONE_INFORMATION;

#define ENV_TICKS_PER_SECOND 10000000LL
#define ENV_MAX_PATH_CHARS 32767

/* ---- helpers shared by the family's files ---------------------------------------------------- */
/* Upper case for the comparisons Windows makes case-insensitively (environment names, device names,
 * path prefixes): ASCII and Latin-1, which is what these names contain. */
static inline WCHAR env_upcase(WCHAR c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
  if (c == 0xFF) return 0x178;
  return c;
}

static inline BOOLEAN env_is_sep(WCHAR c) {
  return c == '\\' || c == '/';
}

/* Whole pages from NtAllocateVirtualMemory (what Windows uses for environment blocks and process
 * parameters); NULL on failure. */
PVOID env_vm_alloc(SIZE_T bytes);
void env_vm_free(PVOID p);

/* The environment variable `name` (not terminated) in `env`: the value's first character and its
 * length in characters, or NULL. */
const WCHAR* env_find_variable(const WCHAR* env, const WCHAR* name, SIZE_T name_len,
                               SIZE_T* value_len);

/* A path being built: in `local` while it fits (no stack probes: under a page), else in pages of
 * its own. */
#define ENV_LOCAL_PATH_CHARS 400
typedef struct ENV_PATH {
  WCHAR* chars;
  SIZE_T length;
  SIZE_T capacity;
  WCHAR local[ENV_LOCAL_PATH_CHARS];
} ENV_PATH;

void env_path_init(ENV_PATH* path);
BOOLEAN env_path_reserve(ENV_PATH* path, SIZE_T chars); /* keeps the first `length` chars */
void env_path_release(ENV_PATH* path);

/* RtlGetFullPathName_U's work: the full DOS path of `name` (NUL-terminated) into `out`
 * (terminated), with its type and the offset of its file part (out->length when it ends with a
 * separator). STATUS_OBJECT_NAME_INVALID for an empty name. */
NTSTATUS env_full_path(const WCHAR* name, ENV_PATH* out, RTL_PATH_TYPE* type, SIZE_T* file_part);

/* RtlDosPathNameToNtPathName_U's work: the NT path (\??\...) of `name` into `out`, with the offset
 * of its file part (0 for none) and the input's type. */
NTSTATUS env_nt_path(const WCHAR* name, ENV_PATH* out, RTL_PATH_TYPE* type, SIZE_T* file_part);

ULONG NTAPI RtlIsDosDeviceName_U(PCWSTR name);
BOOLEAN NTAPI RtlDoesFileExists_U(PCWSTR name);
ULONG NTAPI RtlGetFullPathName_U(PCWSTR name, ULONG size, PWSTR buffer, PWSTR* file_part);
RTL_PATH_TYPE NTAPI RtlDetermineDosPathNameType_U(PCWSTR path);

#endif
