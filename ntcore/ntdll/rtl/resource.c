/* Resources of a loaded image: LdrFindResourceDirectory_U / LdrFindResource_U walk the resource
 * tree (type, name, language: an integer ID below 0x10000 or a pointer to a NUL-terminated name),
 * LdrAccessResource turns a data entry into its address and size. A base with the low bit set is a
 * data-file (file-layout) mapping. */
#include "loader_private.h"

#ifndef STATUS_RESOURCE_DATA_NOT_FOUND
#define STATUS_RESOURCE_DATA_NOT_FOUND ((NTSTATUS)0xC0000089)
#endif
#ifndef STATUS_RESOURCE_TYPE_NOT_FOUND
#define STATUS_RESOURCE_TYPE_NOT_FOUND ((NTSTATUS)0xC000008A)
#endif
#ifndef STATUS_RESOURCE_NAME_NOT_FOUND
#define STATUS_RESOURCE_NAME_NOT_FOUND ((NTSTATUS)0xC000008B)
#endif
#ifndef STATUS_RESOURCE_LANG_NOT_FOUND
#define STATUS_RESOURCE_LANG_NOT_FOUND ((NTSTATUS)0xC0000204)
#endif

typedef struct LDR_RESOURCE_INFO {
  ULONG_PTR Type;
  ULONG_PTR Name;
  ULONG Language;
} LDR_RESOURCE_INFO;

static const IMAGE_RESOURCE_DIRECTORY_ENTRY* entries(const IMAGE_RESOURCE_DIRECTORY* dir) {
  return (const IMAGE_RESOURCE_DIRECTORY_ENTRY*)(dir + 1);
}

static BOOLEAN name_equals(const BYTE* root, DWORD offset, const WCHAR* name) {
  const IMAGE_RESOURCE_DIR_STRING_U* s = (const IMAGE_RESOURCE_DIR_STRING_U*)(root + offset);
  const SIZE_T n = wcslen(name);
  return s->Length == n && !loader_wcsnicmp(s->NameString, name, n);
}

/* The entry of dir for id (integer or name); NULL when there is none. */
static const IMAGE_RESOURCE_DIRECTORY_ENTRY* find_entry(const BYTE* root,
                                                        const IMAGE_RESOURCE_DIRECTORY* dir,
                                                        ULONG_PTR id) {
  const IMAGE_RESOURCE_DIRECTORY_ENTRY* e = entries(dir);
  const ULONG named = dir->NumberOfNamedEntries, total = named + dir->NumberOfIdEntries;
  if (id >> 16) {
    for (ULONG i = 0; i < named; ++i)
      if (name_equals(root, e[i].NameOffset, (const WCHAR*)id)) return &e[i];
    return NULL;
  }
  for (ULONG i = named; i < total; ++i)
    if (e[i].Id == (WORD)id) return &e[i];
  return NULL;
}

/* Languages: the one asked for, its primary language's neutral form, LANG_NEUTRAL, then the first
 * the resource has (Windows' fallback for a resource not translated into the language). */
static const IMAGE_RESOURCE_DIRECTORY_ENTRY* find_language(const BYTE* root,
                                                           const IMAGE_RESOURCE_DIRECTORY* dir,
                                                           ULONG lang) {
  const IMAGE_RESOURCE_DIRECTORY_ENTRY* e = find_entry(root, dir, lang & 0xFFFF);
  if (!e) e = find_entry(root, dir, PRIMARYLANGID(lang));
  if (!e) e = find_entry(root, dir, LANG_NEUTRAL);
  if (!e && dir->NumberOfIdEntries) e = &entries(dir)[dir->NumberOfNamedEntries];
  return e;
}

static NTSTATUS walk(PVOID base, const LDR_RESOURCE_INFO* info, ULONG level, const void** out) {
  static const NTSTATUS missing[3] = {STATUS_RESOURCE_TYPE_NOT_FOUND,
                                      STATUS_RESOURCE_NAME_NOT_FOUND,
                                      STATUS_RESOURCE_LANG_NOT_FOUND};
  ULONG size = 0;
  const BYTE* root =
      RtlImageDirectoryEntryToData(base, TRUE, IMAGE_DIRECTORY_ENTRY_RESOURCE, &size);
  if (!root) return STATUS_RESOURCE_DATA_NOT_FOUND;
  const void* node = root;
  BOOLEAN is_dir = TRUE;
  for (ULONG i = 0; i < level && i < 3; ++i) {
    if (!is_dir) return missing[i];
    const IMAGE_RESOURCE_DIRECTORY* dir = node;
    const IMAGE_RESOURCE_DIRECTORY_ENTRY* e = i == 0   ? find_entry(root, dir, info->Type)
                                              : i == 1 ? find_entry(root, dir, info->Name)
                                                       : find_language(root, dir, info->Language);
    if (!e) return missing[i];
    is_dir = e->DataIsDirectory;
    node = root + (is_dir ? e->OffsetToDirectory : e->OffsetToData);
  }
  *out = node;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrFindResourceDirectory_U(PVOID Base, const LDR_RESOURCE_INFO* Info,
                                                       ULONG Level,
                                                       const IMAGE_RESOURCE_DIRECTORY** Dir) {
  const void* out = NULL;
  NTSTATUS status = walk(Base, Info, Level, &out);
  if (status == STATUS_SUCCESS) *Dir = out;
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrFindResource_U(PVOID Base, const LDR_RESOURCE_INFO* Info,
                                              ULONG Level,
                                              const IMAGE_RESOURCE_DATA_ENTRY** Entry) {
  const void* out = NULL;
  NTSTATUS status = walk(Base, Info, Level, &out);
  if (status == STATUS_SUCCESS) *Entry = out;
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI LdrAccessResource(PVOID Base, const IMAGE_RESOURCE_DATA_ENTRY* Entry,
                                              PVOID* Data, PULONG Size) {
  ULONG dir_size = 0;
  if (!Entry ||
      !RtlImageDirectoryEntryToData(Base, TRUE, IMAGE_DIRECTORY_ENTRY_RESOURCE, &dir_size))
    return STATUS_RESOURCE_DATA_NOT_FOUND;
  PVOID data;
  if ((ULONG_PTR)Base & 1) {
    PVOID file = (PVOID)((ULONG_PTR)Base & ~(ULONG_PTR)1);
    data = RtlImageRvaToVa(RtlImageNtHeader(file), file, Entry->OffsetToData, NULL);
    if (!data) return STATUS_RESOURCE_DATA_NOT_FOUND;
  } else {
    data = (BYTE*)Base + Entry->OffsetToData;
  }
  if (Data) *Data = data;
  if (Size) *Size = Entry->Size;
  return STATUS_SUCCESS;
}
