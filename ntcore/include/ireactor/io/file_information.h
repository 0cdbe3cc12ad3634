// The Windows file-system ABI the I/O services speak: access rights, create options and
// dispositions, attributes, information classes, and the FILE_*_INFORMATION / FILE_FS_*_
// INFORMATION structures Windows code hands us by pointer (layouts pinned with static_assert).
#pragma once

#include <cstddef>
#include <cstdint>

#include "ireactor/nt/types.h"

namespace ireactor::nt {

// File access rights (directories use the same bits under other names).
inline constexpr ACCESS_MASK FILE_READ_DATA = 0x0001;
inline constexpr ACCESS_MASK FILE_LIST_DIRECTORY = 0x0001;
inline constexpr ACCESS_MASK FILE_WRITE_DATA = 0x0002;
inline constexpr ACCESS_MASK FILE_ADD_FILE = 0x0002;
inline constexpr ACCESS_MASK FILE_APPEND_DATA = 0x0004;
inline constexpr ACCESS_MASK FILE_ADD_SUBDIRECTORY = 0x0004;
inline constexpr ACCESS_MASK FILE_READ_EA = 0x0008;
inline constexpr ACCESS_MASK FILE_WRITE_EA = 0x0010;
inline constexpr ACCESS_MASK FILE_EXECUTE = 0x0020;
inline constexpr ACCESS_MASK FILE_TRAVERSE = 0x0020;
inline constexpr ACCESS_MASK FILE_DELETE_CHILD = 0x0040;
inline constexpr ACCESS_MASK FILE_READ_ATTRIBUTES = 0x0080;
inline constexpr ACCESS_MASK FILE_WRITE_ATTRIBUTES = 0x0100;
inline constexpr ACCESS_MASK FILE_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x1FF;
inline constexpr ACCESS_MASK FILE_GENERIC_READ =
    READ_CONTROL | FILE_READ_DATA | FILE_READ_ATTRIBUTES | FILE_READ_EA | SYNCHRONIZE;
inline constexpr ACCESS_MASK FILE_GENERIC_WRITE = READ_CONTROL | FILE_WRITE_DATA |
                                                  FILE_WRITE_ATTRIBUTES | FILE_WRITE_EA |
                                                  FILE_APPEND_DATA | SYNCHRONIZE;
inline constexpr ACCESS_MASK FILE_GENERIC_EXECUTE =
    READ_CONTROL | FILE_READ_ATTRIBUTES | FILE_EXECUTE | SYNCHRONIZE;
static_assert(FILE_ALL_ACCESS == 0x1F01FF);
static_assert(FILE_GENERIC_READ == 0x120089);
static_assert(FILE_GENERIC_WRITE == 0x120116);
static_assert(FILE_GENERIC_EXECUTE == 0x1200A0);

// ShareAccess.
inline constexpr ULONG FILE_SHARE_READ = 0x1;
inline constexpr ULONG FILE_SHARE_WRITE = 0x2;
inline constexpr ULONG FILE_SHARE_DELETE = 0x4;
inline constexpr ULONG FILE_SHARE_VALID_FLAGS = 0x7;

// CreateDisposition, and what IO_STATUS_BLOCK.Information reports for each outcome.
inline constexpr ULONG FILE_SUPERSEDE = 0;
inline constexpr ULONG FILE_OPEN = 1;
inline constexpr ULONG FILE_CREATE = 2;
inline constexpr ULONG FILE_OPEN_IF = 3;
inline constexpr ULONG FILE_OVERWRITE = 4;
inline constexpr ULONG FILE_OVERWRITE_IF = 5;
inline constexpr ULONG FILE_MAXIMUM_DISPOSITION = 5;

inline constexpr ULONG_PTR FILE_SUPERSEDED = 0;
inline constexpr ULONG_PTR FILE_OPENED = 1;
inline constexpr ULONG_PTR FILE_CREATED = 2;
inline constexpr ULONG_PTR FILE_OVERWRITTEN = 3;
inline constexpr ULONG_PTR FILE_EXISTS = 4;
inline constexpr ULONG_PTR FILE_DOES_NOT_EXIST = 5;

// CreateOptions.
inline constexpr ULONG FILE_DIRECTORY_FILE = 0x00000001;
inline constexpr ULONG FILE_WRITE_THROUGH = 0x00000002;
inline constexpr ULONG FILE_SEQUENTIAL_ONLY = 0x00000004;
inline constexpr ULONG FILE_NO_INTERMEDIATE_BUFFERING = 0x00000008;
inline constexpr ULONG FILE_SYNCHRONOUS_IO_ALERT = 0x00000010;
inline constexpr ULONG FILE_SYNCHRONOUS_IO_NONALERT = 0x00000020;
inline constexpr ULONG FILE_NON_DIRECTORY_FILE = 0x00000040;
inline constexpr ULONG FILE_CREATE_TREE_CONNECTION = 0x00000080;
inline constexpr ULONG FILE_COMPLETE_IF_OPLOCKED = 0x00000100;
inline constexpr ULONG FILE_NO_EA_KNOWLEDGE = 0x00000200;
inline constexpr ULONG FILE_OPEN_REMOTE_INSTANCE = 0x00000400;
inline constexpr ULONG FILE_RANDOM_ACCESS = 0x00000800;
inline constexpr ULONG FILE_DELETE_ON_CLOSE = 0x00001000;
inline constexpr ULONG FILE_OPEN_BY_FILE_ID = 0x00002000;
inline constexpr ULONG FILE_OPEN_FOR_BACKUP_INTENT = 0x00004000;
inline constexpr ULONG FILE_NO_COMPRESSION = 0x00008000;
inline constexpr ULONG FILE_OPEN_REQUIRING_OPLOCK = 0x00010000;
inline constexpr ULONG FILE_RESERVE_OPFILTER = 0x00100000;
inline constexpr ULONG FILE_OPEN_REPARSE_POINT = 0x00200000;
inline constexpr ULONG FILE_OPEN_NO_RECALL = 0x00400000;
inline constexpr ULONG FILE_OPEN_FOR_FREE_SPACE_QUERY = 0x00800000;
inline constexpr ULONG FILE_VALID_OPTION_FLAGS = 0x00FFFFFF;
inline constexpr ULONG FILE_SYNCHRONOUS_IO =
    FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT;

// File attributes.
inline constexpr ULONG FILE_ATTRIBUTE_READONLY = 0x00000001;
inline constexpr ULONG FILE_ATTRIBUTE_HIDDEN = 0x00000002;
inline constexpr ULONG FILE_ATTRIBUTE_SYSTEM = 0x00000004;
inline constexpr ULONG FILE_ATTRIBUTE_DIRECTORY = 0x00000010;
inline constexpr ULONG FILE_ATTRIBUTE_ARCHIVE = 0x00000020;
inline constexpr ULONG FILE_ATTRIBUTE_DEVICE = 0x00000040;
inline constexpr ULONG FILE_ATTRIBUTE_NORMAL = 0x00000080;
inline constexpr ULONG FILE_ATTRIBUTE_TEMPORARY = 0x00000100;
inline constexpr ULONG FILE_ATTRIBUTE_REPARSE_POINT = 0x00000400;
// What NtCreateFile accepts in FileAttributes (everything but DEVICE and the volume-label bit).
inline constexpr ULONG FILE_ATTRIBUTE_VALID_FLAGS = 0x0002FFB7;

// ByteOffset values with a meaning of their own (LARGE_INTEGER {0xFFFFFFFF/0xFFFFFFFE, -1}).
inline constexpr int64_t FILE_WRITE_TO_END_OF_FILE = -1;
inline constexpr int64_t FILE_USE_FILE_POINTER_POSITION = -2;

// FILE_INFORMATION_CLASS values used here.
enum FileInformationClass : ULONG {
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
  FileAlternateNameInformation = 21,
  FileStreamInformation = 22,
  FileNetworkOpenInformation = 34,
  FileAttributeTagInformation = 35,
  FileIdBothDirectoryInformation = 37,
  FileIdFullDirectoryInformation = 38,
  FileNormalizedNameInformation = 48,
  FileDispositionInformationEx = 64,
  FileRenameInformationEx = 65,
  FileMaximumInformation = 76,
};

// FS_INFORMATION_CLASS values used here.
enum FsInformationClass : ULONG {
  FileFsVolumeInformation = 1,
  FileFsLabelInformation = 2,
  FileFsSizeInformation = 3,
  FileFsDeviceInformation = 4,
  FileFsAttributeInformation = 5,
  FileFsControlInformation = 6,
  FileFsFullSizeInformation = 7,
  FileFsObjectIdInformation = 8,
  FileFsMaximumInformation = 16,
};

struct FILE_BASIC_INFORMATION {
  LARGE_INTEGER CreationTime;
  LARGE_INTEGER LastAccessTime;
  LARGE_INTEGER LastWriteTime;
  LARGE_INTEGER ChangeTime;
  ULONG FileAttributes;
  uint32_t pad_;
};
static_assert(sizeof(FILE_BASIC_INFORMATION) == 40);
static_assert(offsetof(FILE_BASIC_INFORMATION, ChangeTime) == 24);
static_assert(offsetof(FILE_BASIC_INFORMATION, FileAttributes) == 32);

struct FILE_STANDARD_INFORMATION {
  LARGE_INTEGER AllocationSize;
  LARGE_INTEGER EndOfFile;
  ULONG NumberOfLinks;
  BOOLEAN DeletePending;
  BOOLEAN Directory;
  uint16_t pad_;
};
static_assert(sizeof(FILE_STANDARD_INFORMATION) == 24);
static_assert(offsetof(FILE_STANDARD_INFORMATION, NumberOfLinks) == 16);
static_assert(offsetof(FILE_STANDARD_INFORMATION, DeletePending) == 20);
static_assert(offsetof(FILE_STANDARD_INFORMATION, Directory) == 21);

struct FILE_INTERNAL_INFORMATION {
  LARGE_INTEGER IndexNumber;
};
static_assert(sizeof(FILE_INTERNAL_INFORMATION) == 8);

struct FILE_EA_INFORMATION {
  ULONG EaSize;
};
struct FILE_ACCESS_INFORMATION {
  ACCESS_MASK AccessFlags;
};
struct FILE_POSITION_INFORMATION {
  LARGE_INTEGER CurrentByteOffset;
};
struct FILE_MODE_INFORMATION {
  ULONG Mode;
};
struct FILE_ALIGNMENT_INFORMATION {
  ULONG AlignmentRequirement;
};
struct FILE_END_OF_FILE_INFORMATION {
  LARGE_INTEGER EndOfFile;
};
struct FILE_ALLOCATION_INFORMATION {
  LARGE_INTEGER AllocationSize;
};
static_assert(sizeof(FILE_EA_INFORMATION) == 4 && sizeof(FILE_ACCESS_INFORMATION) == 4);
static_assert(sizeof(FILE_POSITION_INFORMATION) == 8 && sizeof(FILE_MODE_INFORMATION) == 4);
static_assert(sizeof(FILE_END_OF_FILE_INFORMATION) == 8);

// Variable-length: FileNameLength bytes of name follow at FileName.
struct FILE_NAME_INFORMATION {
  ULONG FileNameLength;
  WCHAR FileName[1];
  uint16_t pad_;
};
static_assert(offsetof(FILE_NAME_INFORMATION, FileName) == 4);
static_assert(sizeof(FILE_NAME_INFORMATION) == 8);

struct FILE_ALL_INFORMATION {
  FILE_BASIC_INFORMATION BasicInformation;
  FILE_STANDARD_INFORMATION StandardInformation;
  FILE_INTERNAL_INFORMATION InternalInformation;
  FILE_EA_INFORMATION EaInformation;
  FILE_ACCESS_INFORMATION AccessInformation;
  FILE_POSITION_INFORMATION PositionInformation;
  FILE_MODE_INFORMATION ModeInformation;
  FILE_ALIGNMENT_INFORMATION AlignmentInformation;
  FILE_NAME_INFORMATION NameInformation;
};
static_assert(offsetof(FILE_ALL_INFORMATION, StandardInformation) == 40);
static_assert(offsetof(FILE_ALL_INFORMATION, InternalInformation) == 64);
static_assert(offsetof(FILE_ALL_INFORMATION, EaInformation) == 72);
static_assert(offsetof(FILE_ALL_INFORMATION, AccessInformation) == 76);
static_assert(offsetof(FILE_ALL_INFORMATION, PositionInformation) == 80);
static_assert(offsetof(FILE_ALL_INFORMATION, ModeInformation) == 88);
static_assert(offsetof(FILE_ALL_INFORMATION, AlignmentInformation) == 92);
static_assert(offsetof(FILE_ALL_INFORMATION, NameInformation) == 96);
static_assert(sizeof(FILE_ALL_INFORMATION) == 104);

struct FILE_NETWORK_OPEN_INFORMATION {
  LARGE_INTEGER CreationTime;
  LARGE_INTEGER LastAccessTime;
  LARGE_INTEGER LastWriteTime;
  LARGE_INTEGER ChangeTime;
  LARGE_INTEGER AllocationSize;
  LARGE_INTEGER EndOfFile;
  ULONG FileAttributes;
  uint32_t pad_;
};
static_assert(offsetof(FILE_NETWORK_OPEN_INFORMATION, AllocationSize) == 32);
static_assert(offsetof(FILE_NETWORK_OPEN_INFORMATION, FileAttributes) == 48);
static_assert(sizeof(FILE_NETWORK_OPEN_INFORMATION) == 56);

// One record per data stream (a file has its unnamed "::$DATA" stream), chained like
// directory records.
struct FILE_STREAM_INFORMATION {
  ULONG NextEntryOffset;
  ULONG StreamNameLength;
  LARGE_INTEGER StreamSize;
  LARGE_INTEGER StreamAllocationSize;
  WCHAR StreamName[1];
};
static_assert(offsetof(FILE_STREAM_INFORMATION, StreamSize) == 8);
static_assert(offsetof(FILE_STREAM_INFORMATION, StreamName) == 24);
static_assert(sizeof(FILE_STREAM_INFORMATION) == 32);

struct FILE_ATTRIBUTE_TAG_INFORMATION {
  ULONG FileAttributes;
  ULONG ReparseTag;
};
static_assert(sizeof(FILE_ATTRIBUTE_TAG_INFORMATION) == 8);

struct FILE_DISPOSITION_INFORMATION {
  BOOLEAN DeleteFile;
};
static_assert(sizeof(FILE_DISPOSITION_INFORMATION) == 1);

struct FILE_DISPOSITION_INFORMATION_EX {
  ULONG Flags;
};
inline constexpr ULONG FILE_DISPOSITION_DO_NOT_DELETE = 0x00;
inline constexpr ULONG FILE_DISPOSITION_DELETE = 0x01;
inline constexpr ULONG FILE_DISPOSITION_POSIX_SEMANTICS = 0x02;
inline constexpr ULONG FILE_DISPOSITION_FORCE_IMAGE_SECTION_CHECK = 0x04;
inline constexpr ULONG FILE_DISPOSITION_ON_CLOSE = 0x08;
inline constexpr ULONG FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE = 0x10;

// FileRenameInformation (ReplaceIfExists in the first byte) and FileRenameInformationEx (Flags).
struct FILE_RENAME_INFORMATION {
  union {
    BOOLEAN ReplaceIfExists;
    ULONG Flags;
  };
  uint32_t pad_;
  HANDLE RootDirectory;
  ULONG FileNameLength;
  WCHAR FileName[1];
  uint16_t pad2_;
};
static_assert(offsetof(FILE_RENAME_INFORMATION, RootDirectory) == 8);
static_assert(offsetof(FILE_RENAME_INFORMATION, FileNameLength) == 16);
static_assert(offsetof(FILE_RENAME_INFORMATION, FileName) == 20);
static_assert(sizeof(FILE_RENAME_INFORMATION) == 24);
inline constexpr ULONG FILE_RENAME_REPLACE_IF_EXISTS = 0x01;
inline constexpr ULONG FILE_RENAME_POSIX_SEMANTICS = 0x02;
inline constexpr ULONG FILE_RENAME_IGNORE_READONLY_ATTRIBUTE = 0x40;

// Directory enumeration records. Each is followed by FileNameLength bytes of name; records are
// 8-byte aligned and chained by NextEntryOffset (0 in the last one).
struct FILE_DIRECTORY_INFORMATION {
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
};
static_assert(offsetof(FILE_DIRECTORY_INFORMATION, CreationTime) == 8);
static_assert(offsetof(FILE_DIRECTORY_INFORMATION, EndOfFile) == 40);
static_assert(offsetof(FILE_DIRECTORY_INFORMATION, AllocationSize) == 48);
static_assert(offsetof(FILE_DIRECTORY_INFORMATION, FileAttributes) == 56);
static_assert(offsetof(FILE_DIRECTORY_INFORMATION, FileNameLength) == 60);
static_assert(offsetof(FILE_DIRECTORY_INFORMATION, FileName) == 64);
static_assert(sizeof(FILE_DIRECTORY_INFORMATION) == 72);

struct FILE_FULL_DIR_INFORMATION {
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
  WCHAR FileName[1];
};
static_assert(offsetof(FILE_FULL_DIR_INFORMATION, EaSize) == 64);
static_assert(offsetof(FILE_FULL_DIR_INFORMATION, FileName) == 68);
static_assert(sizeof(FILE_FULL_DIR_INFORMATION) == 72);

struct FILE_BOTH_DIR_INFORMATION {
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
  int8_t ShortNameLength;
  int8_t pad_;
  WCHAR ShortName[12];
  WCHAR FileName[1];
};
static_assert(offsetof(FILE_BOTH_DIR_INFORMATION, ShortNameLength) == 68);
static_assert(offsetof(FILE_BOTH_DIR_INFORMATION, ShortName) == 70);
static_assert(offsetof(FILE_BOTH_DIR_INFORMATION, FileName) == 94);
static_assert(sizeof(FILE_BOTH_DIR_INFORMATION) == 96);

struct FILE_ID_BOTH_DIR_INFORMATION {
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
  int8_t ShortNameLength;
  int8_t pad_;
  WCHAR ShortName[12];
  LARGE_INTEGER FileId;
  WCHAR FileName[1];
};
static_assert(offsetof(FILE_ID_BOTH_DIR_INFORMATION, ShortName) == 70);
static_assert(offsetof(FILE_ID_BOTH_DIR_INFORMATION, FileId) == 96);
static_assert(offsetof(FILE_ID_BOTH_DIR_INFORMATION, FileName) == 104);
static_assert(sizeof(FILE_ID_BOTH_DIR_INFORMATION) == 112);

struct FILE_ID_FULL_DIR_INFORMATION {
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
  LARGE_INTEGER FileId;
  WCHAR FileName[1];
};
static_assert(offsetof(FILE_ID_FULL_DIR_INFORMATION, FileId) == 72);
static_assert(offsetof(FILE_ID_FULL_DIR_INFORMATION, FileName) == 80);
static_assert(sizeof(FILE_ID_FULL_DIR_INFORMATION) == 88);

struct FILE_NAMES_INFORMATION {
  ULONG NextEntryOffset;
  ULONG FileIndex;
  ULONG FileNameLength;
  WCHAR FileName[1];
};
static_assert(offsetof(FILE_NAMES_INFORMATION, FileName) == 12);
static_assert(sizeof(FILE_NAMES_INFORMATION) == 16);

// Volume information.
struct FILE_FS_VOLUME_INFORMATION {
  LARGE_INTEGER VolumeCreationTime;
  ULONG VolumeSerialNumber;
  ULONG VolumeLabelLength;
  BOOLEAN SupportsObjects;
  uint8_t pad_;
  WCHAR VolumeLabel[1];
};
static_assert(offsetof(FILE_FS_VOLUME_INFORMATION, VolumeSerialNumber) == 8);
static_assert(offsetof(FILE_FS_VOLUME_INFORMATION, VolumeLabelLength) == 12);
static_assert(offsetof(FILE_FS_VOLUME_INFORMATION, SupportsObjects) == 16);
static_assert(offsetof(FILE_FS_VOLUME_INFORMATION, VolumeLabel) == 18);
static_assert(sizeof(FILE_FS_VOLUME_INFORMATION) == 24);

struct FILE_FS_SIZE_INFORMATION {
  LARGE_INTEGER TotalAllocationUnits;
  LARGE_INTEGER AvailableAllocationUnits;
  ULONG SectorsPerAllocationUnit;
  ULONG BytesPerSector;
};
static_assert(offsetof(FILE_FS_SIZE_INFORMATION, SectorsPerAllocationUnit) == 16);
static_assert(sizeof(FILE_FS_SIZE_INFORMATION) == 24);

struct FILE_FS_FULL_SIZE_INFORMATION {
  LARGE_INTEGER TotalAllocationUnits;
  LARGE_INTEGER CallerAvailableAllocationUnits;
  LARGE_INTEGER ActualAvailableAllocationUnits;
  ULONG SectorsPerAllocationUnit;
  ULONG BytesPerSector;
};
static_assert(offsetof(FILE_FS_FULL_SIZE_INFORMATION, ActualAvailableAllocationUnits) == 16);
static_assert(offsetof(FILE_FS_FULL_SIZE_INFORMATION, SectorsPerAllocationUnit) == 24);
static_assert(sizeof(FILE_FS_FULL_SIZE_INFORMATION) == 32);

struct FILE_FS_DEVICE_INFORMATION {
  ULONG DeviceType;
  ULONG Characteristics;
};
static_assert(sizeof(FILE_FS_DEVICE_INFORMATION) == 8);

struct FILE_FS_ATTRIBUTE_INFORMATION {
  ULONG FileSystemAttributes;
  LONG MaximumComponentNameLength;
  ULONG FileSystemNameLength;
  WCHAR FileSystemName[1];
  uint16_t pad_;
};
static_assert(offsetof(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemNameLength) == 8);
static_assert(offsetof(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName) == 12);
static_assert(sizeof(FILE_FS_ATTRIBUTE_INFORMATION) == 16);

// FILE_FS_DEVICE_INFORMATION.DeviceType / Characteristics.
inline constexpr ULONG FILE_DEVICE_DISK = 0x07;
inline constexpr ULONG FILE_DEVICE_NAMED_PIPE = 0x11;
inline constexpr ULONG FILE_DEVICE_NULL = 0x15;
inline constexpr ULONG FILE_DEVICE_CONSOLE = 0x50;
inline constexpr ULONG FILE_READ_ONLY_DEVICE = 0x02;
inline constexpr ULONG FILE_DEVICE_IS_MOUNTED = 0x20;

// FILE_FS_ATTRIBUTE_INFORMATION.FileSystemAttributes.
inline constexpr ULONG FILE_CASE_SENSITIVE_SEARCH = 0x00000001;
inline constexpr ULONG FILE_CASE_PRESERVED_NAMES = 0x00000002;
inline constexpr ULONG FILE_UNICODE_ON_DISK = 0x00000004;
inline constexpr ULONG FILE_READ_ONLY_VOLUME = 0x00080000;

}  // namespace ireactor::nt
