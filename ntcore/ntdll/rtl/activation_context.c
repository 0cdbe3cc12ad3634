/* Activation contexts without manifests: we read no manifest, so every context (the process
 * default, and those RtlCreateActivationContext makes) is empty. Searches in them find nothing and
 * say so as Windows does (STATUS_SXS_KEY_NOT_FOUND); contexts are still real objects with reference
 * counts, and activation keeps a per-process stack of them (one thread today), so kernelbase's
 * CreateActCtx / ActivateActCtx / QueryActCtx pairs work. */
#include "loader_private.h"

#define ACTCTX_SLOTS 64
#define ACTCTX_STACK 64
#define ACTCTX_MAGIC 0x58544341u /* "ACTX" */

#define ACTCTX_BASIC_INFORMATION_CLASS 1

typedef struct ACTCTX_OBJECT {
  ULONG magic;
  LONG refs;
  BOOLEAN zombie;
} ACTCTX_OBJECT;

typedef struct ACTCTX_FRAME {
  ACTCTX_OBJECT* context;
  ULONG_PTR cookie;
} ACTCTX_FRAME;

static ACTCTX_OBJECT objects[ACTCTX_SLOTS];
static ACTCTX_FRAME stack[ACTCTX_STACK];
static ULONG depth;
static ULONG_PTR next_cookie = 0x1000;

static ACTCTX_OBJECT* object_of(HANDLE handle) {
  ACTCTX_OBJECT* o = handle;
  if (o < objects || o >= objects + ACTCTX_SLOTS || o->magic != ACTCTX_MAGIC) return NULL;
  return o;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlCreateActivationContext(HANDLE* Handle, const void* ActCtx) {
  const ACTCTXW* desc = ActCtx;
  if (!Handle) return STATUS_INVALID_PARAMETER;
  *Handle = NULL;
  if (!desc || desc->cbSize < sizeof(ACTCTXW) - sizeof(HMODULE) ||
      (desc->dwFlags & ~(ACTCTX_FLAG_PROCESSOR_ARCHITECTURE_VALID | ACTCTX_FLAG_LANGID_VALID |
                         ACTCTX_FLAG_ASSEMBLY_DIRECTORY_VALID | ACTCTX_FLAG_RESOURCE_NAME_VALID |
                         ACTCTX_FLAG_SET_PROCESS_DEFAULT | ACTCTX_FLAG_APPLICATION_NAME_VALID |
                         ACTCTX_FLAG_SOURCE_IS_ASSEMBLYREF | ACTCTX_FLAG_HMODULE_VALID)))
    return STATUS_INVALID_PARAMETER;
  NTSTATUS status = STATUS_NO_MEMORY;
  loader_lock();
  for (ULONG i = 0; i < ACTCTX_SLOTS; ++i) {
    if (objects[i].magic == ACTCTX_MAGIC) continue;
    objects[i].magic = ACTCTX_MAGIC;
    objects[i].refs = 1;
    objects[i].zombie = FALSE;
    *Handle = &objects[i];
    status = STATUS_SUCCESS;
    break;
  }
  loader_unlock();
  return status;
}

NTDLL_EXPORT void NTAPI RtlAddRefActivationContext(HANDLE Handle) {
  ACTCTX_OBJECT* o = object_of(Handle);
  if (o) __sync_add_and_fetch(&o->refs, 1);
}

NTDLL_EXPORT void NTAPI RtlReleaseActivationContext(HANDLE Handle) {
  ACTCTX_OBJECT* o = object_of(Handle);
  if (o && __sync_sub_and_fetch(&o->refs, 1) == 0) o->magic = 0;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlZombifyActivationContext(HANDLE Handle) {
  ACTCTX_OBJECT* o = object_of(Handle);
  if (!o) return STATUS_INVALID_PARAMETER;
  o->zombie = TRUE;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlActivateActivationContext(ULONG Flags, HANDLE Handle,
                                                         ULONG_PTR* Cookie) {
  ACTCTX_OBJECT* o = Handle ? object_of(Handle) : NULL;
  if (Handle && !o) return STATUS_INVALID_PARAMETER;
  loader_lock();
  if (depth == ACTCTX_STACK) {
    loader_unlock();
    return STATUS_NO_MEMORY;
  }
  RtlAddRefActivationContext(o);
  stack[depth].context = o;
  stack[depth].cookie = next_cookie++;
  if (Cookie) *Cookie = stack[depth].cookie;
  ++depth;
  loader_unlock();
  return STATUS_SUCCESS;
}

/* Pops every frame down to and including the cookie's; an unknown cookie changes nothing (Windows
 * raises STATUS_SXS_INVALID_DEACTIVATION; nothing here raises yet). */
NTDLL_EXPORT void NTAPI RtlDeactivateActivationContext(ULONG Flags, ULONG_PTR Cookie) {
  loader_lock();
  ULONG i = depth;
  while (i > 0 && stack[i - 1].cookie != Cookie) --i;
  if (i > 0) {
    while (depth >= i) {
      --depth;
      RtlReleaseActivationContext(stack[depth].context);
    }
  }
  loader_unlock();
}

NTDLL_EXPORT NTSTATUS NTAPI RtlGetActiveActivationContext(HANDLE* Handle) {
  loader_lock();
  *Handle = depth ? stack[depth - 1].context : NULL;
  RtlAddRefActivationContext(*Handle);
  loader_unlock();
  return STATUS_SUCCESS;
}

/* ACTCTX_SECTION_KEYED_DATA's fields up to ulAssemblyRosterIndex must fit. */
#define KEYED_DATA_MIN_SIZE 0x38

NTDLL_EXPORT NTSTATUS NTAPI RtlFindActivationContextSectionString(ULONG Flags, const GUID* Guid,
                                                                  ULONG SectionKind,
                                                                  const UNICODE_STRING* Name,
                                                                  PVOID Data) {
  const ULONG* size = Data;
  if (Flags & ~(FIND_ACTCTX_SECTION_KEY_RETURN_HACTCTX | FIND_ACTCTX_SECTION_KEY_RETURN_FLAGS |
                FIND_ACTCTX_SECTION_KEY_RETURN_ASSEMBLY_METADATA))
    return STATUS_INVALID_PARAMETER;
  if (!Name || !Name->Buffer || (size && *size < KEYED_DATA_MIN_SIZE))
    return STATUS_INVALID_PARAMETER;
  return STATUS_SXS_KEY_NOT_FOUND; /* no context has sections */
}

NTDLL_EXPORT NTSTATUS NTAPI RtlFindActivationContextSectionGuid(ULONG Flags, const GUID* ExtGuid,
                                                                ULONG SectionKind, const GUID* Guid,
                                                                PVOID Data) {
  const ULONG* size = Data;
  if (Flags & ~(FIND_ACTCTX_SECTION_KEY_RETURN_HACTCTX | FIND_ACTCTX_SECTION_KEY_RETURN_FLAGS |
                FIND_ACTCTX_SECTION_KEY_RETURN_ASSEMBLY_METADATA))
    return STATUS_INVALID_PARAMETER;
  if (!Guid || (size && *size < KEYED_DATA_MIN_SIZE)) return STATUS_INVALID_PARAMETER;
  return STATUS_SXS_KEY_NOT_FOUND;
}

/* Only ActivationContextBasicInformation (handle and flags): an empty context has no assembly or
 * file details to report. */
NTDLL_EXPORT NTSTATUS NTAPI RtlQueryInformationActivationContext(ULONG Flags, HANDLE Handle,
                                                                 PVOID SubInstance, ULONG Class,
                                                                 PVOID Buffer, SIZE_T Size,
                                                                 SIZE_T* Written) {
  if (Flags & QUERY_ACTCTX_FLAG_USE_ACTIVE_ACTCTX) {
    loader_lock();
    Handle = depth ? stack[depth - 1].context : NULL;
    loader_unlock();
  } else if (Flags & (QUERY_ACTCTX_FLAG_ACTCTX_IS_HMODULE | QUERY_ACTCTX_FLAG_ACTCTX_IS_ADDRESS)) {
    Handle = NULL; /* a module's context: the process default, as no module has a manifest */
  } else if (Handle && !object_of(Handle)) {
    return STATUS_INVALID_PARAMETER;
  }
  if (Class != ACTCTX_BASIC_INFORMATION_CLASS) return STATUS_NOT_IMPLEMENTED;
  struct {
    HANDLE handle;
    DWORD flags;
  }* info = Buffer;
  if (Written) *Written = sizeof(*info);
  if (!Buffer || Size < sizeof(*info)) return STATUS_BUFFER_TOO_SMALL;
  info->handle = Handle;
  info->flags = 0;
  if (Handle && !(Flags & QUERY_ACTCTX_FLAG_NO_ADDREF)) RtlAddRefActivationContext(Handle);
  return STATUS_SUCCESS;
}

static BOOLEAN is_settings_namespace(const WCHAR* ns) {
  static const WCHAR prefix[] = L"http://schemas.microsoft.com/SMI/";
  static const WCHAR suffix[] = L"/WindowsSettings";
  const SIZE_T n = wcslen(ns), p = sizeof prefix / sizeof(WCHAR) - 1,
               s = sizeof suffix / sizeof(WCHAR) - 1;
  return n == p + 4 + s && !loader_wcsnicmp(ns, prefix, p) &&
         !loader_wcsnicmp(ns + p + 4, suffix, s);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlQueryActivationContextApplicationSettings(DWORD Flags, HANDLE Handle,
                                                                         const WCHAR* Namespace,
                                                                         const WCHAR* Settings,
                                                                         WCHAR* Buffer, SIZE_T Size,
                                                                         SIZE_T* Written) {
  if (Flags || !Settings) return STATUS_INVALID_PARAMETER;
  if (Namespace && !is_settings_namespace(Namespace)) return STATUS_INVALID_PARAMETER;
  if (Handle && !object_of(Handle)) return STATUS_INVALID_PARAMETER;
  return STATUS_SXS_KEY_NOT_FOUND; /* no manifest: no application settings */
}
