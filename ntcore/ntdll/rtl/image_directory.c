/* Reading a mapped (or file-layout) PE image: its NT headers, its data directories and the section
 * holding an RVA. Images are trusted no further than their headers' own bounds. */
#include "loader_private.h"

/* Windows rejects e_lfanew beyond this, so a stray pointer is not followed far.
 */
#define IMAGE_MAX_LFANEW 0x10000000

/* RtlImageNtHeaderEx's checks (flag 1: no range check against Size). */
static NTSTATUS image_nt_header(ULONG Flags, PVOID Base, ULONG64 Size,
                                PIMAGE_NT_HEADERS* OutHeaders) {
  if (OutHeaders) *OutHeaders = NULL;
  if (!OutHeaders || (Flags & ~1u) || !Base || Base == (PVOID)-1) return STATUS_INVALID_PARAMETER;
  const BOOLEAN check_size = !(Flags & 1); /* RTL_IMAGE_NT_HEADER_EX_FLAG_NO_RANGE_CHECK */
  const IMAGE_DOS_HEADER* dos = Base;
  if (check_size && Size < sizeof(IMAGE_DOS_HEADER)) return STATUS_INVALID_IMAGE_FORMAT;
  if (dos->e_magic != IMAGE_DOS_SIGNATURE) return STATUS_INVALID_IMAGE_FORMAT;
  const ULONG lfanew = (ULONG)dos->e_lfanew;
  if (lfanew >= IMAGE_MAX_LFANEW) return STATUS_INVALID_IMAGE_FORMAT;
  if (check_size && (lfanew >= Size || Size - lfanew < sizeof(ULONG) + sizeof(IMAGE_FILE_HEADER)))
    return STATUS_INVALID_IMAGE_FORMAT;
  IMAGE_NT_HEADERS* nt = (IMAGE_NT_HEADERS*)((BYTE*)Base + lfanew);
  if (nt->Signature != IMAGE_NT_SIGNATURE) return STATUS_INVALID_IMAGE_FORMAT;
  *OutHeaders = nt;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT PIMAGE_NT_HEADERS NTAPI RtlImageNtHeader(PVOID Base) {
  PIMAGE_NT_HEADERS nt = NULL;
  image_nt_header(1, Base, 0, &nt);
  return nt;
}

NTDLL_EXPORT PIMAGE_SECTION_HEADER NTAPI RtlImageRvaToSection(PIMAGE_NT_HEADERS NtHeaders,
                                                              PVOID Base, ULONG Rva) {
  IMAGE_SECTION_HEADER* s = IMAGE_FIRST_SECTION(NtHeaders);
  for (WORD i = 0; i < NtHeaders->FileHeader.NumberOfSections; ++i, ++s) {
    const ULONG size =
        s->SizeOfRawData > s->Misc.VirtualSize ? s->SizeOfRawData : s->Misc.VirtualSize;
    if (Rva >= s->VirtualAddress && Rva - s->VirtualAddress < size) return s;
  }
  return NULL;
}

NTDLL_EXPORT PVOID NTAPI RtlImageRvaToVa(PIMAGE_NT_HEADERS NtHeaders, PVOID Base, ULONG Rva,
                                         PIMAGE_SECTION_HEADER* LastRvaSection) {
  IMAGE_SECTION_HEADER* s = LastRvaSection ? *LastRvaSection : NULL;
  if (!s || Rva < s->VirtualAddress || Rva - s->VirtualAddress >= s->SizeOfRawData) {
    s = RtlImageRvaToSection(NtHeaders, Base, Rva);
    if (!s) return NULL;
    if (LastRvaSection) *LastRvaSection = s;
  }
  return (BYTE*)Base + s->PointerToRawData + (Rva - s->VirtualAddress);
}

/* Base with its low bit set is a data-file mapping (LoadLibraryEx's
 * LOAD_LIBRARY_AS_DATAFILE): file layout, so RVAs go through the section table.
 */
NTDLL_EXPORT PVOID NTAPI RtlImageDirectoryEntryToData(PVOID Base, BOOLEAN MappedAsImage,
                                                      USHORT Directory, PULONG Size) {
  if ((ULONG_PTR)Base & 1) {
    Base = (PVOID)((ULONG_PTR)Base & ~(ULONG_PTR)1);
    MappedAsImage = FALSE;
  }
  IMAGE_NT_HEADERS* nt = RtlImageNtHeader(Base);
  if (!nt) return NULL;
  const IMAGE_DATA_DIRECTORY* dirs;
  ULONG count;
  if (nt->OptionalHeader.Magic == IMAGE_NT_OPTIONAL_HDR64_MAGIC) {
    dirs = ((IMAGE_NT_HEADERS64*)nt)->OptionalHeader.DataDirectory;
    count = ((IMAGE_NT_HEADERS64*)nt)->OptionalHeader.NumberOfRvaAndSizes;
  } else if (nt->OptionalHeader.Magic == IMAGE_NT_OPTIONAL_HDR32_MAGIC) {
    dirs = ((IMAGE_NT_HEADERS32*)nt)->OptionalHeader.DataDirectory;
    count = ((IMAGE_NT_HEADERS32*)nt)->OptionalHeader.NumberOfRvaAndSizes;
  } else {
    return NULL;
  }
  if (Directory >= count || !dirs[Directory].VirtualAddress) return NULL;
  const ULONG rva = dirs[Directory].VirtualAddress;
  if (Size) *Size = dirs[Directory].Size;
  if (MappedAsImage || rva < nt->OptionalHeader.SizeOfHeaders) return (BYTE*)Base + rva;
  return RtlImageRvaToVa(nt, Base, rva, NULL);
}
