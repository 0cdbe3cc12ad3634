// The PE32+ (x64) on-disk and in-memory image format: the headers and directories the loader
// reads. Field names follow the PE/COFF specification; every layout is pinned because the loader
// reads them straight out of files and mapped images.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ireactor::win {

inline constexpr uint16_t IMAGE_DOS_SIGNATURE = 0x5A4D;     // "MZ"
inline constexpr uint32_t IMAGE_NT_SIGNATURE = 0x00004550;  // "PE\0\0"
inline constexpr uint16_t IMAGE_NT_OPTIONAL_HDR64_MAGIC = 0x20B;
inline constexpr uint16_t IMAGE_FILE_MACHINE_AMD64 = 0x8664;

// IMAGE_FILE_HEADER.Characteristics
inline constexpr uint16_t IMAGE_FILE_RELOCS_STRIPPED = 0x0001;
inline constexpr uint16_t IMAGE_FILE_EXECUTABLE_IMAGE = 0x0002;
inline constexpr uint16_t IMAGE_FILE_LARGE_ADDRESS_AWARE = 0x0020;
inline constexpr uint16_t IMAGE_FILE_DLL = 0x2000;

// IMAGE_OPTIONAL_HEADER64.Subsystem
inline constexpr uint16_t IMAGE_SUBSYSTEM_NATIVE = 1;
inline constexpr uint16_t IMAGE_SUBSYSTEM_WINDOWS_GUI = 2;
inline constexpr uint16_t IMAGE_SUBSYSTEM_WINDOWS_CUI = 3;

// IMAGE_OPTIONAL_HEADER64.DllCharacteristics
inline constexpr uint16_t IMAGE_DLLCHARACTERISTICS_HIGH_ENTROPY_VA = 0x0020;
inline constexpr uint16_t IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE = 0x0040;
inline constexpr uint16_t IMAGE_DLLCHARACTERISTICS_NX_COMPAT = 0x0100;

// Data directory indices.
inline constexpr uint32_t IMAGE_DIRECTORY_ENTRY_EXPORT = 0;
inline constexpr uint32_t IMAGE_DIRECTORY_ENTRY_IMPORT = 1;
inline constexpr uint32_t IMAGE_DIRECTORY_ENTRY_RESOURCE = 2;
inline constexpr uint32_t IMAGE_DIRECTORY_ENTRY_EXCEPTION = 3;
inline constexpr uint32_t IMAGE_DIRECTORY_ENTRY_SECURITY = 4;
inline constexpr uint32_t IMAGE_DIRECTORY_ENTRY_BASERELOC = 5;
inline constexpr uint32_t IMAGE_DIRECTORY_ENTRY_DEBUG = 6;
inline constexpr uint32_t IMAGE_DIRECTORY_ENTRY_TLS = 9;
inline constexpr uint32_t IMAGE_DIRECTORY_ENTRY_LOAD_CONFIG = 10;
inline constexpr uint32_t IMAGE_DIRECTORY_ENTRY_IAT = 12;
inline constexpr uint32_t IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT = 13;
inline constexpr uint32_t IMAGE_NUMBEROF_DIRECTORY_ENTRIES = 16;

// IMAGE_SECTION_HEADER.Characteristics
inline constexpr uint32_t IMAGE_SCN_CNT_CODE = 0x00000020;
inline constexpr uint32_t IMAGE_SCN_CNT_INITIALIZED_DATA = 0x00000040;
inline constexpr uint32_t IMAGE_SCN_CNT_UNINITIALIZED_DATA = 0x00000080;
inline constexpr uint32_t IMAGE_SCN_MEM_DISCARDABLE = 0x02000000;
inline constexpr uint32_t IMAGE_SCN_MEM_SHARED = 0x10000000;
inline constexpr uint32_t IMAGE_SCN_MEM_EXECUTE = 0x20000000;
inline constexpr uint32_t IMAGE_SCN_MEM_READ = 0x40000000;
inline constexpr uint32_t IMAGE_SCN_MEM_WRITE = 0x80000000;

// Base relocation types (high 4 bits of each 16-bit entry).
inline constexpr uint16_t IMAGE_REL_BASED_ABSOLUTE = 0;
inline constexpr uint16_t IMAGE_REL_BASED_HIGH = 1;
inline constexpr uint16_t IMAGE_REL_BASED_LOW = 2;
inline constexpr uint16_t IMAGE_REL_BASED_HIGHLOW = 3;
inline constexpr uint16_t IMAGE_REL_BASED_DIR64 = 10;

inline constexpr uint64_t IMAGE_ORDINAL_FLAG64 = 0x8000000000000000ull;

// DllMain / TLS callback reasons.
inline constexpr uint32_t DLL_PROCESS_DETACH = 0;
inline constexpr uint32_t DLL_PROCESS_ATTACH = 1;
inline constexpr uint32_t DLL_THREAD_ATTACH = 2;
inline constexpr uint32_t DLL_THREAD_DETACH = 3;

struct IMAGE_DOS_HEADER {
  uint16_t e_magic;
  uint16_t e_cblp;
  uint16_t e_cp;
  uint16_t e_crlc;
  uint16_t e_cparhdr;
  uint16_t e_minalloc;
  uint16_t e_maxalloc;
  uint16_t e_ss;
  uint16_t e_sp;
  uint16_t e_csum;
  uint16_t e_ip;
  uint16_t e_cs;
  uint16_t e_lfarlc;
  uint16_t e_ovno;
  uint16_t e_res[4];
  uint16_t e_oemid;
  uint16_t e_oeminfo;
  uint16_t e_res2[10];
  int32_t e_lfanew;  // file offset of IMAGE_NT_HEADERS64
};
static_assert(sizeof(IMAGE_DOS_HEADER) == 0x40);
static_assert(offsetof(IMAGE_DOS_HEADER, e_lfanew) == 0x3C);

struct IMAGE_FILE_HEADER {
  uint16_t Machine;
  uint16_t NumberOfSections;
  uint32_t TimeDateStamp;
  uint32_t PointerToSymbolTable;
  uint32_t NumberOfSymbols;
  uint16_t SizeOfOptionalHeader;
  uint16_t Characteristics;
};
static_assert(sizeof(IMAGE_FILE_HEADER) == 20);
static_assert(offsetof(IMAGE_FILE_HEADER, SizeOfOptionalHeader) == 16);

struct IMAGE_DATA_DIRECTORY {
  uint32_t VirtualAddress;
  uint32_t Size;
};
static_assert(sizeof(IMAGE_DATA_DIRECTORY) == 8);

struct IMAGE_OPTIONAL_HEADER64 {
  uint16_t Magic;
  uint8_t MajorLinkerVersion;
  uint8_t MinorLinkerVersion;
  uint32_t SizeOfCode;
  uint32_t SizeOfInitializedData;
  uint32_t SizeOfUninitializedData;
  uint32_t AddressOfEntryPoint;
  uint32_t BaseOfCode;
  uint64_t ImageBase;
  uint32_t SectionAlignment;
  uint32_t FileAlignment;
  uint16_t MajorOperatingSystemVersion;
  uint16_t MinorOperatingSystemVersion;
  uint16_t MajorImageVersion;
  uint16_t MinorImageVersion;
  uint16_t MajorSubsystemVersion;
  uint16_t MinorSubsystemVersion;
  uint32_t Win32VersionValue;
  uint32_t SizeOfImage;
  uint32_t SizeOfHeaders;
  uint32_t CheckSum;
  uint16_t Subsystem;
  uint16_t DllCharacteristics;
  uint64_t SizeOfStackReserve;
  uint64_t SizeOfStackCommit;
  uint64_t SizeOfHeapReserve;
  uint64_t SizeOfHeapCommit;
  uint32_t LoaderFlags;
  uint32_t NumberOfRvaAndSizes;
  IMAGE_DATA_DIRECTORY DataDirectory[IMAGE_NUMBEROF_DIRECTORY_ENTRIES];
};
static_assert(sizeof(IMAGE_OPTIONAL_HEADER64) == 0xF0);
static_assert(offsetof(IMAGE_OPTIONAL_HEADER64, AddressOfEntryPoint) == 0x10);
static_assert(offsetof(IMAGE_OPTIONAL_HEADER64, ImageBase) == 0x18);
static_assert(offsetof(IMAGE_OPTIONAL_HEADER64, SectionAlignment) == 0x20);
static_assert(offsetof(IMAGE_OPTIONAL_HEADER64, SizeOfImage) == 0x38);
static_assert(offsetof(IMAGE_OPTIONAL_HEADER64, Subsystem) == 0x44);
static_assert(offsetof(IMAGE_OPTIONAL_HEADER64, SizeOfStackReserve) == 0x48);
static_assert(offsetof(IMAGE_OPTIONAL_HEADER64, NumberOfRvaAndSizes) == 0x6C);
static_assert(offsetof(IMAGE_OPTIONAL_HEADER64, DataDirectory) == 0x70);
// The optional header up to (not including) the data directories.
inline constexpr size_t kOptionalHeader64FixedSize =
    offsetof(IMAGE_OPTIONAL_HEADER64, DataDirectory);

struct IMAGE_NT_HEADERS64 {
  uint32_t Signature;
  IMAGE_FILE_HEADER FileHeader;
  IMAGE_OPTIONAL_HEADER64 OptionalHeader;
};
static_assert(sizeof(IMAGE_NT_HEADERS64) == 0x108);
static_assert(offsetof(IMAGE_NT_HEADERS64, FileHeader) == 4);
static_assert(offsetof(IMAGE_NT_HEADERS64, OptionalHeader) == 0x18);

struct IMAGE_SECTION_HEADER {
  uint8_t Name[8];
  uint32_t VirtualSize;  // Misc.VirtualSize
  uint32_t VirtualAddress;
  uint32_t SizeOfRawData;
  uint32_t PointerToRawData;
  uint32_t PointerToRelocations;
  uint32_t PointerToLinenumbers;
  uint16_t NumberOfRelocations;
  uint16_t NumberOfLinenumbers;
  uint32_t Characteristics;
};
static_assert(sizeof(IMAGE_SECTION_HEADER) == 40);
static_assert(offsetof(IMAGE_SECTION_HEADER, VirtualSize) == 8);
static_assert(offsetof(IMAGE_SECTION_HEADER, PointerToRawData) == 20);
static_assert(offsetof(IMAGE_SECTION_HEADER, Characteristics) == 36);

struct IMAGE_EXPORT_DIRECTORY {
  uint32_t Characteristics;
  uint32_t TimeDateStamp;
  uint16_t MajorVersion;
  uint16_t MinorVersion;
  uint32_t Name;  // RVA of the DLL's name
  uint32_t Base;  // ordinal of AddressOfFunctions[0]
  uint32_t NumberOfFunctions;
  uint32_t NumberOfNames;
  uint32_t AddressOfFunctions;     // RVA of uint32_t[NumberOfFunctions]
  uint32_t AddressOfNames;         // RVA of uint32_t[NumberOfNames], sorted name RVAs
  uint32_t AddressOfNameOrdinals;  // RVA of uint16_t[NumberOfNames], indices into functions
};
static_assert(sizeof(IMAGE_EXPORT_DIRECTORY) == 40);
static_assert(offsetof(IMAGE_EXPORT_DIRECTORY, Base) == 16);
static_assert(offsetof(IMAGE_EXPORT_DIRECTORY, AddressOfFunctions) == 28);
static_assert(offsetof(IMAGE_EXPORT_DIRECTORY, AddressOfNameOrdinals) == 36);

struct IMAGE_IMPORT_DESCRIPTOR {
  uint32_t OriginalFirstThunk;  // RVA of the import name table (may be 0: use FirstThunk)
  uint32_t TimeDateStamp;
  uint32_t ForwarderChain;
  uint32_t Name;        // RVA of the DLL name
  uint32_t FirstThunk;  // RVA of the import address table
};
static_assert(sizeof(IMAGE_IMPORT_DESCRIPTOR) == 20);
static_assert(offsetof(IMAGE_IMPORT_DESCRIPTOR, Name) == 12);

struct IMAGE_BASE_RELOCATION {
  uint32_t VirtualAddress;  // page RVA
  uint32_t SizeOfBlock;     // including this header
};
static_assert(sizeof(IMAGE_BASE_RELOCATION) == 8);

struct IMAGE_TLS_DIRECTORY64 {
  uint64_t StartAddressOfRawData;  // VAs (relocated like any other pointer)
  uint64_t EndAddressOfRawData;
  uint64_t AddressOfIndex;
  uint64_t AddressOfCallBacks;  // VA of a null-terminated array of callback VAs
  uint32_t SizeOfZeroFill;
  uint32_t Characteristics;  // bits 20-23: alignment
};
static_assert(sizeof(IMAGE_TLS_DIRECTORY64) == 40);
static_assert(offsetof(IMAGE_TLS_DIRECTORY64, AddressOfCallBacks) == 24);
static_assert(offsetof(IMAGE_TLS_DIRECTORY64, SizeOfZeroFill) == 32);

// An .pdata entry: the code range [BeginAddress, EndAddress) and its unwind data, all RVAs.
struct RUNTIME_FUNCTION {
  uint32_t BeginAddress;
  uint32_t EndAddress;
  uint32_t UnwindData;  // UnwindInfoAddress
};
static_assert(sizeof(RUNTIME_FUNCTION) == 12);

}  // namespace ireactor::win
