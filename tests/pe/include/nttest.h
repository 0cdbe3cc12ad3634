/* nttest: a tiny harness for freestanding Windows x64 test programs that talk to the NT
 * system services only (our ntdll, or Wine's as a reference). No C runtime: compile with
 * -nostdlib -ffreestanding. Declares the NT types, constants and services the tests use (Windows
 * names and signatures), CHECK macros that print one `ok`/`FAIL` line per check, and helpers for
 * NT names, the command line and output.
 *
 * A test program defines `void test_main(void)`; the harness entry point calls it and then
 * prints `N passed, N failed` and terminates the process with status failed ? 1 : 0. */
#ifndef NTTEST_H
#define NTTEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* ---- NT base types (x64) ---------------------------------------------------------------- */

typedef int32_t NTSTATUS;
typedef uint32_t ULONG, *PULONG;
typedef int32_t LONG, *PLONG;
typedef uint16_t USHORT;
typedef uint8_t UCHAR, BOOLEAN;
typedef uint64_t ULONG_PTR, SIZE_T, *PSIZE_T, ULONGLONG;
typedef int64_t LONGLONG;
typedef ULONG ACCESS_MASK;
typedef wchar_t WCHAR; /* 16-bit on mingw-w64 */
typedef void *HANDLE, **PHANDLE, *PVOID;

typedef union LARGE_INTEGER {
  struct {
    ULONG LowPart;
    LONG HighPart;
  } u;
  LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

#define NT_SUCCESS(s) ((NTSTATUS)(s) >= 0)
#define NtCurrentProcess() ((HANDLE)(intptr_t)-1)
#define NtCurrentThread() ((HANDLE)(intptr_t)-2)
#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif

typedef struct UNICODE_STRING {
  USHORT Length;        /* bytes, without terminator */
  USHORT MaximumLength; /* bytes */
  WCHAR* Buffer;
} UNICODE_STRING, *PUNICODE_STRING;

typedef struct OBJECT_ATTRIBUTES {
  ULONG Length;
  HANDLE RootDirectory;
  PUNICODE_STRING ObjectName;
  ULONG Attributes;
  PVOID SecurityDescriptor;
  PVOID SecurityQualityOfService;
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;

#define OBJ_INHERIT 0x00000002
#define OBJ_CASE_INSENSITIVE 0x00000040
#define OBJ_OPENIF 0x00000080

typedef struct IO_STATUS_BLOCK {
  union {
    NTSTATUS Status;
    PVOID Pointer;
  } u;
  ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;

/* ---- Status values ---------------------------------------------------------------------- */

#define STATUS_SUCCESS ((NTSTATUS)0x00000000)
#define STATUS_WAIT_0 ((NTSTATUS)0x00000000)
#define STATUS_WAIT_1 ((NTSTATUS)0x00000001)
#define STATUS_WAIT_2 ((NTSTATUS)0x00000002)
#define STATUS_ALERTED ((NTSTATUS)0x00000101)
#define STATUS_TIMEOUT ((NTSTATUS)0x00000102)
#define STATUS_PENDING ((NTSTATUS)0x00000103)
#define STATUS_OBJECT_NAME_EXISTS ((NTSTATUS)0x40000000)
#define STATUS_NO_YIELD_PERFORMED ((NTSTATUS)0x40000024)
#define STATUS_DATATYPE_MISALIGNMENT ((NTSTATUS)0x80000002)
#define STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005)
#define STATUS_NO_MORE_FILES ((NTSTATUS)0x80000006)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001)
#define STATUS_NOT_IMPLEMENTED ((NTSTATUS)0xC0000002)
#define STATUS_INVALID_INFO_CLASS ((NTSTATUS)0xC0000003)
#define STATUS_INFO_LENGTH_MISMATCH ((NTSTATUS)0xC0000004)
#define STATUS_ACCESS_VIOLATION ((NTSTATUS)0xC0000005)
#define STATUS_INVALID_HANDLE ((NTSTATUS)0xC0000008)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000D)
#define STATUS_NO_SUCH_FILE ((NTSTATUS)0xC000000F)
#define STATUS_INVALID_DEVICE_REQUEST ((NTSTATUS)0xC0000010)
#define STATUS_END_OF_FILE ((NTSTATUS)0xC0000011)
#define STATUS_NO_MEMORY ((NTSTATUS)0xC0000017)
#define STATUS_CONFLICTING_ADDRESSES ((NTSTATUS)0xC0000018)
#define STATUS_UNABLE_TO_FREE_VM ((NTSTATUS)0xC000001A)
#define STATUS_INVALID_SYSTEM_SERVICE ((NTSTATUS)0xC000001C)
#define STATUS_ALREADY_COMMITTED ((NTSTATUS)0xC0000021)
#define STATUS_ACCESS_DENIED ((NTSTATUS)0xC0000022)
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023)
#define STATUS_OBJECT_TYPE_MISMATCH ((NTSTATUS)0xC0000024)
#define STATUS_NOT_COMMITTED ((NTSTATUS)0xC000002D)
#define STATUS_INVALID_PARAMETER_MIX ((NTSTATUS)0xC0000030)
#define STATUS_OBJECT_NAME_INVALID ((NTSTATUS)0xC0000033)
#define STATUS_OBJECT_NAME_NOT_FOUND ((NTSTATUS)0xC0000034)
#define STATUS_OBJECT_NAME_COLLISION ((NTSTATUS)0xC0000035)
#define STATUS_OBJECT_PATH_INVALID ((NTSTATUS)0xC0000039)
#define STATUS_OBJECT_PATH_NOT_FOUND ((NTSTATUS)0xC000003A)
#define STATUS_OBJECT_PATH_SYNTAX_BAD ((NTSTATUS)0xC000003B)
#define STATUS_SHARING_VIOLATION ((NTSTATUS)0xC0000043)
#define STATUS_INVALID_PAGE_PROTECTION ((NTSTATUS)0xC0000045)
#define STATUS_DELETE_PENDING ((NTSTATUS)0xC0000056)
#define STATUS_FREE_VM_NOT_AT_BASE ((NTSTATUS)0xC000009F)
#define STATUS_MEMORY_NOT_ALLOCATED ((NTSTATUS)0xC00000A0)
#define STATUS_NOT_MAPPED_VIEW ((NTSTATUS)0xC0000019)
#define STATUS_FILE_IS_A_DIRECTORY ((NTSTATUS)0xC00000BA)
#define STATUS_NOT_SUPPORTED ((NTSTATUS)0xC00000BB)
#define STATUS_INVALID_USER_BUFFER ((NTSTATUS)0xC00000E8)
#define STATUS_INVALID_PARAMETER_1 ((NTSTATUS)0xC00000EF)
#define STATUS_INVALID_PARAMETER_2 ((NTSTATUS)0xC00000F0)
#define STATUS_INVALID_PARAMETER_3 ((NTSTATUS)0xC00000F1)
#define STATUS_INVALID_PARAMETER_4 ((NTSTATUS)0xC00000F2)
#define STATUS_INVALID_PARAMETER_5 ((NTSTATUS)0xC00000F3)
#define STATUS_DIRECTORY_NOT_EMPTY ((NTSTATUS)0xC0000101)
#define STATUS_NOT_A_DIRECTORY ((NTSTATUS)0xC0000103)
#define STATUS_NAME_TOO_LONG ((NTSTATUS)0xC0000106)
#define STATUS_CANNOT_DELETE ((NTSTATUS)0xC0000121)
#define STATUS_INVALID_ADDRESS ((NTSTATUS)0xC0000141)

/* ---- I/O -------------------------------------------------------------------------------- */

#define DELETE 0x00010000
#define READ_CONTROL 0x00020000
#define SYNCHRONIZE 0x00100000
#define STANDARD_RIGHTS_REQUIRED 0x000F0000
#define GENERIC_READ 0x80000000
#define GENERIC_WRITE 0x40000000
#define GENERIC_EXECUTE 0x20000000
#define GENERIC_ALL 0x10000000

#define FILE_READ_DATA 0x0001
#define FILE_LIST_DIRECTORY 0x0001
#define FILE_WRITE_DATA 0x0002
#define FILE_ADD_FILE 0x0002
#define FILE_APPEND_DATA 0x0004
#define FILE_ADD_SUBDIRECTORY 0x0004
#define FILE_READ_EA 0x0008
#define FILE_WRITE_EA 0x0010
#define FILE_EXECUTE 0x0020
#define FILE_TRAVERSE 0x0020
#define FILE_DELETE_CHILD 0x0040
#define FILE_READ_ATTRIBUTES 0x0080
#define FILE_WRITE_ATTRIBUTES 0x0100
#define FILE_GENERIC_READ 0x00120089
#define FILE_GENERIC_WRITE 0x00120116
#define FILE_ALL_ACCESS 0x001F01FF

#define FILE_SHARE_READ 0x1
#define FILE_SHARE_WRITE 0x2
#define FILE_SHARE_DELETE 0x4
#define FILE_SHARE_ALL 0x7

#define FILE_ATTRIBUTE_READONLY 0x01
#define FILE_ATTRIBUTE_HIDDEN 0x02
#define FILE_ATTRIBUTE_SYSTEM 0x04
#define FILE_ATTRIBUTE_DIRECTORY 0x10
#define FILE_ATTRIBUTE_ARCHIVE 0x20
#define FILE_ATTRIBUTE_NORMAL 0x80

/* CreateDisposition and the IO_STATUS_BLOCK.Information NtCreateFile reports. */
#define FILE_SUPERSEDE 0
#define FILE_OPEN 1
#define FILE_CREATE 2
#define FILE_OPEN_IF 3
#define FILE_OVERWRITE 4
#define FILE_OVERWRITE_IF 5
#define FILE_SUPERSEDED 0
#define FILE_OPENED 1
#define FILE_CREATED 2
#define FILE_OVERWRITTEN 3
#define FILE_EXISTS 4
#define FILE_DOES_NOT_EXIST 5

/* CreateOptions */
#define FILE_DIRECTORY_FILE 0x00000001
#define FILE_WRITE_THROUGH 0x00000002
#define FILE_SEQUENTIAL_ONLY 0x00000004
#define FILE_SYNCHRONOUS_IO_ALERT 0x00000010
#define FILE_SYNCHRONOUS_IO_NONALERT 0x00000020
#define FILE_NON_DIRECTORY_FILE 0x00000040
#define FILE_DELETE_ON_CLOSE 0x00001000
#define FILE_OPEN_FOR_BACKUP_INTENT 0x00004000
#define FILE_OPEN_REPARSE_POINT 0x00200000

/* ByteOffset.HighPart == -1 with these LowParts: write at end / at the current position. */
#define FILE_WRITE_TO_END_OF_FILE 0xffffffff
#define FILE_USE_FILE_POINTER_POSITION 0xfffffffe

typedef enum FILE_INFORMATION_CLASS {
  FileDirectoryInformation = 1,
  FileFullDirectoryInformation = 2,
  FileBothDirectoryInformation = 3,
  FileBasicInformation = 4,
  FileStandardInformation = 5,
  FileInternalInformation = 6,
  FileEaInformation = 7,
  FileAccessInformation = 8,
  FileNameInformation = 9,
  FileRenameInformation = 10,
  FileLinkInformation = 11,
  FileNamesInformation = 12,
  FileDispositionInformation = 13,
  FilePositionInformation = 14,
  FileFullEaInformation = 15,
  FileModeInformation = 16,
  FileAlignmentInformation = 17,
  FileAllInformation = 18,
  FileAllocationInformation = 19,
  FileEndOfFileInformation = 20,
  FileNetworkOpenInformation = 34,
  FileIdBothDirectoryInformation = 37,
  FileMaximumInformation = 76
} FILE_INFORMATION_CLASS;

typedef struct FILE_BASIC_INFORMATION {
  LARGE_INTEGER CreationTime;
  LARGE_INTEGER LastAccessTime;
  LARGE_INTEGER LastWriteTime;
  LARGE_INTEGER ChangeTime;
  ULONG FileAttributes;
} FILE_BASIC_INFORMATION;

typedef struct FILE_STANDARD_INFORMATION {
  LARGE_INTEGER AllocationSize;
  LARGE_INTEGER EndOfFile;
  ULONG NumberOfLinks;
  BOOLEAN DeletePending;
  BOOLEAN Directory;
} FILE_STANDARD_INFORMATION;

typedef struct FILE_POSITION_INFORMATION {
  LARGE_INTEGER CurrentByteOffset;
} FILE_POSITION_INFORMATION;

typedef struct FILE_END_OF_FILE_INFORMATION {
  LARGE_INTEGER EndOfFile;
} FILE_END_OF_FILE_INFORMATION;

typedef struct FILE_DISPOSITION_INFORMATION {
  BOOLEAN DeleteFile;
} FILE_DISPOSITION_INFORMATION;

typedef struct FILE_NAME_INFORMATION {
  ULONG FileNameLength;
  WCHAR FileName[1];
} FILE_NAME_INFORMATION;

typedef struct FILE_RENAME_INFORMATION {
  BOOLEAN ReplaceIfExists;
  HANDLE RootDirectory;
  ULONG FileNameLength;
  WCHAR FileName[1];
} FILE_RENAME_INFORMATION;

typedef struct FILE_NETWORK_OPEN_INFORMATION {
  LARGE_INTEGER CreationTime;
  LARGE_INTEGER LastAccessTime;
  LARGE_INTEGER LastWriteTime;
  LARGE_INTEGER ChangeTime;
  LARGE_INTEGER AllocationSize;
  LARGE_INTEGER EndOfFile;
  ULONG FileAttributes;
} FILE_NETWORK_OPEN_INFORMATION;

typedef struct FILE_DIRECTORY_INFORMATION {
  ULONG NextEntryOffset;
  ULONG FileIndex;
  LARGE_INTEGER CreationTime;
  LARGE_INTEGER LastAccessTime;
  LARGE_INTEGER LastWriteTime;
  LARGE_INTEGER ChangeTime;
  LARGE_INTEGER EndOfFile;
  LARGE_INTEGER AllocationSize;
  ULONG FileAttributes;
  ULONG FileNameLength;
  WCHAR FileName[1];
} FILE_DIRECTORY_INFORMATION;

typedef struct FILE_BOTH_DIR_INFORMATION {
  ULONG NextEntryOffset;
  ULONG FileIndex;
  LARGE_INTEGER CreationTime;
  LARGE_INTEGER LastAccessTime;
  LARGE_INTEGER LastWriteTime;
  LARGE_INTEGER ChangeTime;
  LARGE_INTEGER EndOfFile;
  LARGE_INTEGER AllocationSize;
  ULONG FileAttributes;
  ULONG FileNameLength;
  ULONG EaSize;
  char ShortNameLength;
  WCHAR ShortName[12];
  WCHAR FileName[1];
} FILE_BOTH_DIR_INFORMATION;

typedef struct FILE_NAMES_INFORMATION {
  ULONG NextEntryOffset;
  ULONG FileIndex;
  ULONG FileNameLength;
  WCHAR FileName[1];
} FILE_NAMES_INFORMATION;

typedef enum FS_INFORMATION_CLASS {
  FileFsVolumeInformation = 1,
  FileFsLabelInformation = 2,
  FileFsSizeInformation = 3,
  FileFsDeviceInformation = 4,
  FileFsAttributeInformation = 5,
  FileFsControlInformation = 6,
  FileFsFullSizeInformation = 7
} FS_INFORMATION_CLASS;

typedef struct FILE_FS_VOLUME_INFORMATION {
  LARGE_INTEGER VolumeCreationTime;
  ULONG VolumeSerialNumber;
  ULONG VolumeLabelLength;
  BOOLEAN SupportsObjects;
  WCHAR VolumeLabel[1];
} FILE_FS_VOLUME_INFORMATION;

typedef struct FILE_FS_SIZE_INFORMATION {
  LARGE_INTEGER TotalAllocationUnits;
  LARGE_INTEGER AvailableAllocationUnits;
  ULONG SectorsPerAllocationUnit;
  ULONG BytesPerSector;
} FILE_FS_SIZE_INFORMATION;

typedef struct FILE_FS_FULL_SIZE_INFORMATION {
  LARGE_INTEGER TotalAllocationUnits;
  LARGE_INTEGER CallerAvailableAllocationUnits;
  LARGE_INTEGER ActualAvailableAllocationUnits;
  ULONG SectorsPerAllocationUnit;
  ULONG BytesPerSector;
} FILE_FS_FULL_SIZE_INFORMATION;

typedef struct FILE_FS_DEVICE_INFORMATION {
  ULONG DeviceType;
  ULONG Characteristics;
} FILE_FS_DEVICE_INFORMATION;
#define FILE_DEVICE_DISK 0x00000007

typedef struct FILE_FS_ATTRIBUTE_INFORMATION {
  ULONG FileSystemAttributes;
  LONG MaximumComponentNameLength;
  ULONG FileSystemNameLength;
  WCHAR FileSystemName[1];
} FILE_FS_ATTRIBUTE_INFORMATION;

/* ---- Memory ----------------------------------------------------------------------------- */

#define MEM_COMMIT 0x00001000
#define MEM_RESERVE 0x00002000
#define MEM_DECOMMIT 0x00004000
#define MEM_RELEASE 0x00008000
#define MEM_FREE 0x00010000
#define MEM_PRIVATE 0x00020000
#define MEM_MAPPED 0x00040000
#define MEM_RESET 0x00080000
#define MEM_TOP_DOWN 0x00100000
#define MEM_IMAGE 0x01000000

#define PAGE_NOACCESS 0x01
#define PAGE_READONLY 0x02
#define PAGE_READWRITE 0x04
#define PAGE_WRITECOPY 0x08
#define PAGE_EXECUTE 0x10
#define PAGE_EXECUTE_READ 0x20
#define PAGE_EXECUTE_READWRITE 0x40
#define PAGE_EXECUTE_WRITECOPY 0x80
#define PAGE_GUARD 0x100
#define PAGE_NOCACHE 0x200

typedef enum MEMORY_INFORMATION_CLASS { MemoryBasicInformation = 0 } MEMORY_INFORMATION_CLASS;

typedef struct MEMORY_BASIC_INFORMATION {
  PVOID BaseAddress;
  PVOID AllocationBase;
  ULONG AllocationProtect;
  USHORT PartitionId;
  SIZE_T RegionSize;
  ULONG State;
  ULONG Protect;
  ULONG Type;
} MEMORY_BASIC_INFORMATION;

/* ---- Sync ------------------------------------------------------------------------------- */

typedef enum EVENT_TYPE { NotificationEvent = 0, SynchronizationEvent = 1 } EVENT_TYPE;
typedef enum WAIT_TYPE { WaitAll = 0, WaitAny = 1 } WAIT_TYPE;
#define EVENT_QUERY_STATE 0x0001
#define EVENT_MODIFY_STATE 0x0002
#define EVENT_ALL_ACCESS 0x001F0003
#define MAXIMUM_WAIT_OBJECTS 64

/* ---- System and process ----------------------------------------------------------------- */

typedef enum SYSTEM_INFORMATION_CLASS {
  SystemBasicInformation = 0,
  SystemProcessorInformation = 1,
  SystemPerformanceInformation = 2,
  SystemTimeOfDayInformation = 3
} SYSTEM_INFORMATION_CLASS;

typedef struct SYSTEM_BASIC_INFORMATION {
  ULONG Reserved;
  ULONG TimerResolution;
  ULONG PageSize;
  ULONG NumberOfPhysicalPages;
  ULONG LowestPhysicalPageNumber;
  ULONG HighestPhysicalPageNumber;
  ULONG AllocationGranularity;
  ULONG_PTR MinimumUserModeAddress;
  ULONG_PTR MaximumUserModeAddress;
  ULONG_PTR ActiveProcessorsAffinityMask;
  char NumberOfProcessors;
} SYSTEM_BASIC_INFORMATION;

typedef struct SYSTEM_PROCESSOR_INFORMATION {
  USHORT ProcessorArchitecture;
  USHORT ProcessorLevel;
  USHORT ProcessorRevision;
  USHORT MaximumProcessors;
  ULONG ProcessorFeatureBits;
} SYSTEM_PROCESSOR_INFORMATION;
#define PROCESSOR_ARCHITECTURE_AMD64 9

typedef struct SYSTEM_TIMEOFDAY_INFORMATION {
  LARGE_INTEGER BootTime;
  LARGE_INTEGER CurrentTime;
  LARGE_INTEGER TimeZoneBias;
  ULONG TimeZoneId;
  ULONG Reserved;
  ULONGLONG BootTimeBias;
  ULONGLONG SleepTimeBias;
} SYSTEM_TIMEOFDAY_INFORMATION;

typedef enum PROCESSINFOCLASS {
  ProcessBasicInformation = 0,
  ProcessImageFileName = 27,
  ProcessImageFileNameWin32 = 43
} PROCESSINFOCLASS;

typedef struct PROCESS_BASIC_INFORMATION {
  NTSTATUS ExitStatus;
  PVOID PebBaseAddress;
  ULONG_PTR AffinityMask;
  LONG BasePriority;
  ULONG_PTR UniqueProcessId;
  ULONG_PTR InheritedFromUniqueProcessId;
} PROCESS_BASIC_INFORMATION;

/* The parts of the PEB and RTL_USER_PROCESS_PARAMETERS the tests read (x64 offsets). */
typedef struct CURDIR {
  UNICODE_STRING DosPath;
  HANDLE Handle;
} CURDIR;

typedef struct RTL_USER_PROCESS_PARAMETERS {
  ULONG MaximumLength;
  ULONG Length;
  ULONG Flags;
  ULONG DebugFlags;
  HANDLE ConsoleHandle;
  ULONG ConsoleFlags;
  HANDLE StandardInput;
  HANDLE StandardOutput;
  HANDLE StandardError;
  CURDIR CurrentDirectory;
  UNICODE_STRING DllPath;
  UNICODE_STRING ImagePathName;
  UNICODE_STRING CommandLine;
  WCHAR* Environment;
} RTL_USER_PROCESS_PARAMETERS;

typedef struct PEB {
  BOOLEAN InheritedAddressSpace;
  BOOLEAN ReadImageFileExecOptions;
  BOOLEAN BeingDebugged;
  BOOLEAN BitField;
  PVOID Mutant;
  PVOID ImageBaseAddress;
  PVOID Ldr;
  RTL_USER_PROCESS_PARAMETERS* ProcessParameters;
  char pad_[0x118 - 0x28];
  ULONG OSMajorVersion; /* 0x118 */
  ULONG OSMinorVersion; /* 0x11c */
  USHORT OSBuildNumber; /* 0x120 */
  USHORT OSCSDVersion;  /* 0x122 */
  ULONG OSPlatformId;   /* 0x124 */
} PEB;

_Static_assert(offsetof(PEB, ProcessParameters) == 0x20, "PEB layout");
_Static_assert(offsetof(PEB, OSMajorVersion) == 0x118, "PEB layout");
_Static_assert(offsetof(PEB, OSBuildNumber) == 0x120, "PEB layout");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, StandardOutput) == 0x28, "params layout");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, CurrentDirectory) == 0x38, "params layout");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, ImagePathName) == 0x60, "params layout");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, CommandLine) == 0x70, "params layout");
_Static_assert(offsetof(RTL_USER_PROCESS_PARAMETERS, Environment) == 0x80, "params layout");
_Static_assert(sizeof(OBJECT_ATTRIBUTES) == 48, "OBJECT_ATTRIBUTES layout");
_Static_assert(sizeof(IO_STATUS_BLOCK) == 16, "IO_STATUS_BLOCK layout");
_Static_assert(sizeof(FILE_BASIC_INFORMATION) == 40, "FILE_BASIC_INFORMATION layout");
_Static_assert(sizeof(FILE_STANDARD_INFORMATION) == 24, "FILE_STANDARD_INFORMATION layout");
_Static_assert(offsetof(FILE_RENAME_INFORMATION, FileName) == 20, "FILE_RENAME layout");
_Static_assert(sizeof(FILE_NETWORK_OPEN_INFORMATION) == 56, "FILE_NETWORK_OPEN layout");
_Static_assert(offsetof(FILE_DIRECTORY_INFORMATION, FileName) == 64, "FILE_DIRECTORY layout");
_Static_assert(offsetof(FILE_BOTH_DIR_INFORMATION, FileName) == 94, "FILE_BOTH_DIR layout");
_Static_assert(offsetof(FILE_NAMES_INFORMATION, FileName) == 12, "FILE_NAMES layout");
_Static_assert(offsetof(FILE_FS_VOLUME_INFORMATION, VolumeLabel) == 18, "FS_VOLUME layout");
_Static_assert(offsetof(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName) == 12, "FS_ATTR layout");
_Static_assert(sizeof(MEMORY_BASIC_INFORMATION) == 48, "MEMORY_BASIC_INFORMATION layout");
_Static_assert(offsetof(MEMORY_BASIC_INFORMATION, State) == 32, "MEMORY_BASIC layout");
_Static_assert(sizeof(SYSTEM_BASIC_INFORMATION) == 64, "SYSTEM_BASIC_INFORMATION layout");
_Static_assert(sizeof(SYSTEM_PROCESSOR_INFORMATION) == 12, "SYSTEM_PROCESSOR layout");
_Static_assert(sizeof(SYSTEM_TIMEOFDAY_INFORMATION) == 48, "SYSTEM_TIMEOFDAY layout");
_Static_assert(sizeof(PROCESS_BASIC_INFORMATION) == 48, "PROCESS_BASIC layout");

/* KUSER_SHARED_DATA, mapped read-only at this address in every Windows process. */
#define KUSER_SHARED_DATA_ADDRESS 0x7ffe0000ull
#define KUSD_INTERRUPT_TIME 0x008 /* KSYSTEM_TIME, 100 ns since boot */
#define KUSD_SYSTEM_TIME 0x014    /* KSYSTEM_TIME, 100 ns since 1601 UTC */
#define KUSD_NT_SYSTEM_ROOT 0x030 /* WCHAR[260] */
#define KUSD_NT_BUILD_NUMBER 0x260
#define KUSD_NT_MAJOR_VERSION 0x26c
#define KUSD_NT_MINOR_VERSION 0x270
#define KUSD_READ(type, off) (*(volatile type*)(KUSER_SHARED_DATA_ADDRESS + (off)))
/* Reads a KSYSTEM_TIME (LowPart, High1Time, High2Time) the way Windows code does. */
LONGLONG kusd_read_time(ULONG offset);

/* ---- NT services (ntdll exports) -------------------------------------------------------- */

#define NTAPI __stdcall
#define NTSYSAPI __declspec(dllimport)

NTSYSAPI NTSTATUS NTAPI NtClose(HANDLE Handle);
NTSYSAPI NTSTATUS NTAPI NtCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                                     POBJECT_ATTRIBUTES ObjectAttributes,
                                     PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER AllocationSize,
                                     ULONG FileAttributes, ULONG ShareAccess,
                                     ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer,
                                     ULONG EaLength);
NTSYSAPI NTSTATUS NTAPI NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess,
                                   POBJECT_ATTRIBUTES ObjectAttributes,
                                   PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess,
                                   ULONG OpenOptions);
NTSYSAPI NTSTATUS NTAPI NtReadFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine,
                                   PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer,
                                   ULONG Length, PLARGE_INTEGER ByteOffset, PULONG Key);
NTSYSAPI NTSTATUS NTAPI NtWriteFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine,
                                    PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock,
                                    const void* Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                                    PULONG Key);
NTSYSAPI NTSTATUS NTAPI NtQueryInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock,
                                               PVOID FileInformation, ULONG Length,
                                               FILE_INFORMATION_CLASS FileInformationClass);
NTSYSAPI NTSTATUS NTAPI NtSetInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock,
                                             PVOID FileInformation, ULONG Length,
                                             FILE_INFORMATION_CLASS FileInformationClass);
NTSYSAPI NTSTATUS NTAPI NtQueryDirectoryFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine,
                                             PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock,
                                             PVOID FileInformation, ULONG Length,
                                             FILE_INFORMATION_CLASS FileInformationClass,
                                             BOOLEAN ReturnSingleEntry, PUNICODE_STRING FileName,
                                             BOOLEAN RestartScan);
NTSYSAPI NTSTATUS NTAPI NtQueryAttributesFile(POBJECT_ATTRIBUTES ObjectAttributes,
                                              FILE_BASIC_INFORMATION* FileInformation);
NTSYSAPI NTSTATUS NTAPI NtQueryFullAttributesFile(POBJECT_ATTRIBUTES ObjectAttributes,
                                                  FILE_NETWORK_OPEN_INFORMATION* FileInformation);
NTSYSAPI NTSTATUS NTAPI NtDeleteFile(POBJECT_ATTRIBUTES ObjectAttributes);
NTSYSAPI NTSTATUS NTAPI NtFlushBuffersFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock);
NTSYSAPI NTSTATUS NTAPI NtQueryVolumeInformationFile(HANDLE FileHandle,
                                                     PIO_STATUS_BLOCK IoStatusBlock,
                                                     PVOID FsInformation, ULONG Length,
                                                     FS_INFORMATION_CLASS FsInformationClass);

NTSYSAPI NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID* BaseAddress,
                                                ULONG_PTR ZeroBits, PSIZE_T RegionSize,
                                                ULONG AllocationType, ULONG Protect);
NTSYSAPI NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID* BaseAddress,
                                            PSIZE_T RegionSize, ULONG FreeType);
NTSYSAPI NTSTATUS NTAPI NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID* BaseAddress,
                                               PSIZE_T RegionSize, ULONG NewProtect,
                                               PULONG OldProtect);
NTSYSAPI NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress,
                                             MEMORY_INFORMATION_CLASS MemoryInformationClass,
                                             PVOID MemoryInformation, SIZE_T Length,
                                             PSIZE_T ReturnLength);

NTSYSAPI NTSTATUS NTAPI NtCreateEvent(PHANDLE EventHandle, ACCESS_MASK DesiredAccess,
                                      POBJECT_ATTRIBUTES ObjectAttributes, EVENT_TYPE EventType,
                                      BOOLEAN InitialState);
NTSYSAPI NTSTATUS NTAPI NtSetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSYSAPI NTSTATUS NTAPI NtResetEvent(HANDLE EventHandle, PLONG PreviousState);
NTSYSAPI NTSTATUS NTAPI NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable,
                                              PLARGE_INTEGER Timeout);
NTSYSAPI NTSTATUS NTAPI NtWaitForMultipleObjects(ULONG Count, HANDLE* Handles, WAIT_TYPE WaitType,
                                                 BOOLEAN Alertable, PLARGE_INTEGER Timeout);
NTSYSAPI NTSTATUS NTAPI NtDelayExecution(BOOLEAN Alertable, PLARGE_INTEGER DelayInterval);
NTSYSAPI NTSTATUS NTAPI NtYieldExecution(void);

NTSYSAPI NTSTATUS NTAPI NtQueryPerformanceCounter(PLARGE_INTEGER PerformanceCounter,
                                                  PLARGE_INTEGER PerformanceFrequency);
NTSYSAPI NTSTATUS NTAPI NtQuerySystemTime(PLARGE_INTEGER SystemTime);
NTSYSAPI NTSTATUS NTAPI NtQuerySystemInformation(SYSTEM_INFORMATION_CLASS SystemInformationClass,
                                                 PVOID SystemInformation,
                                                 ULONG SystemInformationLength,
                                                 PULONG ReturnLength);
NTSYSAPI NTSTATUS NTAPI NtQueryInformationProcess(HANDLE ProcessHandle,
                                                  PROCESSINFOCLASS ProcessInformationClass,
                                                  PVOID ProcessInformation,
                                                  ULONG ProcessInformationLength,
                                                  PULONG ReturnLength);
NTSYSAPI NTSTATUS NTAPI NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus);

/* ---- Freestanding C helpers (gcc may emit calls to the first four) ---------------------- */

void* memset(void* dst, int c, size_t n);
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t nt_strlen(const char* s);
int nt_strcmp(const char* a, const char* b);
int nt_strncmp(const char* a, const char* b, size_t n);
size_t nt_wcslen(const WCHAR* s);
int nt_wcscmp(const WCHAR* a, const WCHAR* b);
/* Case-insensitive (ASCII) comparison of n WCHARs. */
int nt_wcsnicmp(const WCHAR* a, const WCHAR* b, size_t n);
/* Appends src to dst (a buffer of cap WCHARs, NUL-terminated); returns dst. */
WCHAR* nt_wcscat(WCHAR* dst, size_t cap, const WCHAR* src);
/* Appends an ASCII string, widened. */
WCHAR* nt_wcscat_a(WCHAR* dst, size_t cap, const char* src);
/* Does the counted string (len bytes) equal the NUL-terminated s? */
int nt_ustr_eq(const WCHAR* buf, size_t len_bytes, const WCHAR* s);
int nt_ustr_ieq(const WCHAR* buf, size_t len_bytes, const WCHAR* s);

/* ---- Process environment ---------------------------------------------------------------- */

PEB* nt_peb(void); /* gs:[0x60] */
/* The arguments after the program name, split at blanks (double quotes group), as ASCII. */
int nt_argc(void);
const char* nt_argv(int i);
/* The value of a `key=value` argument, or NULL. */
const char* nt_arg_value(const char* key);
int nt_has_arg(const char* arg);
/* Parses a decimal (optionally negative) number; 0 on garbage. */
LONGLONG nt_atoll(const char* s);
/* True when the ntdll this process runs on is Wine's (it exports wine_get_version). Tests use it
 * to skip what only makes sense on ireactor (a raw `syscall` goes straight to Linux on Wine). */
int nt_is_wine(void);

/* ---- NT names --------------------------------------------------------------------------- */

/* An object name with its UNICODE_STRING and OBJECT_ATTRIBUTES, built from a NUL-terminated
 * WCHAR string (which must outlive the NT_NAME). */
typedef struct NT_NAME {
  UNICODE_STRING us;
  OBJECT_ATTRIBUTES oa;
} NT_NAME;
POBJECT_ATTRIBUTES nt_name(NT_NAME* n, const WCHAR* s, HANDLE root);
void nt_init_ustr(UNICODE_STRING* us, const WCHAR* s);

/* A path under the test's own directory: "\??\C:\<testdir>\<rel>" (rel may be empty). The
 * returned buffer is one of a few rotating static buffers. */
const WCHAR* nt_test_path(const WCHAR* rel);
/* "\??\C:\<testdir>" */
const WCHAR* nt_test_dir(void);
/* Chooses the test directory name: the `dir=NAME` argument, else the default. */
void nt_set_test_dir(const char* default_name);

/* ---- File helpers ----------------------------------------------------------------------- */

/* NtCreateFile with the usual synchronous options; returns the status, *h set on success. */
NTSTATUS nt_create(HANDLE* h, const WCHAR* path, ACCESS_MASK access, ULONG disposition,
                   ULONG options, ULONG share, ULONG_PTR* information);
NTSTATUS nt_mkdir(const WCHAR* path);
/* Creates/overwrites a file with the given contents. */
NTSTATUS nt_write_whole_file(const WCHAR* path, const void* data, ULONG len);
/* Reads up to cap bytes from the start of the file; *len gets the count. */
NTSTATUS nt_read_whole_file(const WCHAR* path, void* buf, ULONG cap, ULONG* len);
/* Deletes a file or an (emptied) directory tree; missing is fine. */
NTSTATUS nt_delete_tree(const WCHAR* path);
int nt_exists(const WCHAR* path);

/* ---- Output ----------------------------------------------------------------------------- */

/* printf subset: %d %u %x %X %lld %llu %llx %p %s (char*) %ls/%S (WCHAR*) %c %%, with width
 * and 0-padding for numbers, and %.*ls for counted WCHAR strings (count in WCHARs). */
void nt_printf(const char* fmt, ...);
void nt_vprintf(const char* fmt, va_list ap);
int nt_snprintf(char* buf, size_t cap, const char* fmt, ...);
int nt_vsnprintf(char* buf, size_t cap, const char* fmt, va_list ap);
const char* nt_status_name(NTSTATUS s); /* "STATUS_..." or NULL */

/* Where the harness's bytes go and how it ends: NtWriteFile/NtTerminateProcess through ntdll,
 * unless a program (the raw-syscall one) installs its own before anything is printed. */
extern NTSTATUS (*nt_output_hook)(const char* buf, ULONG len);
extern void (*nt_exit_hook)(NTSTATUS status);

/* ---- Checks ----------------------------------------------------------------------------- */

extern int nt_passed, nt_failed;
void nt_check_report(int ok, const char* file, int line, const char* expr, const char* detail);
void nt_check_eq(const char* file, int line, const char* expr, ULONGLONG got, ULONGLONG want);
void nt_check_status(const char* file, int line, const char* expr, NTSTATUS got, NTSTATUS want);
void nt_check_fails(const char* file, int line, const char* expr, NTSTATUS got);
void nt_note(const char* fmt, ...);
/* Prints "N passed, N failed" and terminates with failed ? 1 : 0. */
__attribute__((noreturn)) void nt_finish(void);

#define CHECK(cond) nt_check_report(!!(cond), __FILE__, __LINE__, #cond, 0)
#define CHECK_EQ(got, want) \
  nt_check_eq(__FILE__, __LINE__, #got, (ULONGLONG)(got), (ULONGLONG)(want))
#define CHECK_STATUS(expr, want) nt_check_status(__FILE__, __LINE__, #expr, (expr), (want))
#define CHECK_OK(expr) CHECK_STATUS(expr, STATUS_SUCCESS)
/* Any failure status (not NT_SUCCESS) is accepted, and printed. */
#define CHECK_FAILS(expr) nt_check_fails(__FILE__, __LINE__, #expr, (expr))

/* Each program defines this; the harness entry point runs it and finishes. */
void test_main(void);

#endif
