// Symbolic names for raw NT system call arguments (see nt_symbols.h). Every decoder is a table of
// {value, name} pairs fed to one of two formatters: format_flags() for bit sets and
// format_enum() for enumerations. Values are the ones Windows' headers define.
#include "nt_symbols.h"

#include <bit>
#include <cstdio>
#include <initializer_list>
#include <iterator>
#include <span>

#include "ireactor/nt/status.h"

namespace ireactor::ntdecode {
namespace {

struct Name {
  uint32_t value;
  const char* name;
};
using Table = std::span<const Name>;

// Flag tables must hold single bits in ascending order: format_flags() prints in table order and
// the output promises ascending bit order.
constexpr bool single_bits_ascending(Table t) {
  for (size_t i = 0; i < t.size(); ++i) {
    if (!std::has_single_bit(t[i].value)) return false;
    if (i > 0 && t[i - 1].value >= t[i].value) return false;
  }
  return true;
}

// Enum tables must be strictly ascending so a value has at most one name.
constexpr bool strictly_ascending(Table t) {
  for (size_t i = 1; i < t.size(); ++i) {
    if (t[i - 1].value >= t[i].value) return false;
  }
  return true;
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

void append_part(std::string& out, const std::string& part) {
  if (!out.empty()) out += '|';
  out += part;
}

const char* find_name(uint32_t v, Table t) {
  for (const Name& n : t) {
    if (n.value == v) return n.name;
  }
  return nullptr;
}

// Names of the set bits found in the tables (in table order, tables given in ascending bit
// ranges), then any bits no table names as one hex number; "0" when nothing is set.
std::string format_flags(uint32_t v, std::initializer_list<Table> tables) {
  std::string out;
  uint32_t rest = v;
  for (Table t : tables) {
    for (const Name& n : t) {
      if ((rest & n.value) == 0) continue;
      append_part(out, n.name);
      rest &= ~n.value;
    }
  }
  if (rest != 0) append_part(out, hex(rest));
  return out.empty() ? "0" : out;
}

// The name of an enumeration value, or the plain decimal number when it has none.
std::string format_enum(uint32_t v, Table t) {
  const char* name = find_name(v, t);
  return name ? name : std::to_string(v);
}

// ---- ACCESS_MASK (winnt.h; THREAD_ALERT from wdm.h) ----

// Generic rights first, most significant first, as Windows code spells them
// (GENERIC_READ|GENERIC_WRITE); then the kind's own rights; then the standard ones.
constexpr Name kGenericRights[] = {
    {0x80000000, "GENERIC_READ"},    {0x40000000, "GENERIC_WRITE"},
    {0x20000000, "GENERIC_EXECUTE"}, {0x10000000, "GENERIC_ALL"},
    {0x02000000, "MAXIMUM_ALLOWED"}, {0x01000000, "ACCESS_SYSTEM_SECURITY"},
};

constexpr Name kStandardRights[] = {
    {0x00010000, "DELETE"},      {0x00020000, "READ_CONTROL"}, {0x00040000, "WRITE_DAC"},
    {0x00080000, "WRITE_OWNER"}, {0x00100000, "SYNCHRONIZE"},
};

constexpr Name kFileRights[] = {
    {0x0001, "FILE_READ_DATA"},        {0x0002, "FILE_WRITE_DATA"},
    {0x0004, "FILE_APPEND_DATA"},      {0x0008, "FILE_READ_EA"},
    {0x0010, "FILE_WRITE_EA"},         {0x0020, "FILE_EXECUTE"},
    {0x0040, "FILE_DELETE_CHILD"},     {0x0080, "FILE_READ_ATTRIBUTES"},
    {0x0100, "FILE_WRITE_ATTRIBUTES"},
};

// The same bits as kFileRights, under the names Windows uses for directories.
constexpr Name kDirectoryRights[] = {
    {0x0001, "FILE_LIST_DIRECTORY"},   {0x0002, "FILE_ADD_FILE"},
    {0x0004, "FILE_ADD_SUBDIRECTORY"}, {0x0008, "FILE_READ_EA"},
    {0x0010, "FILE_WRITE_EA"},         {0x0020, "FILE_TRAVERSE"},
    {0x0040, "FILE_DELETE_CHILD"},     {0x0080, "FILE_READ_ATTRIBUTES"},
    {0x0100, "FILE_WRITE_ATTRIBUTES"},
};

constexpr Name kEventRights[] = {
    {0x0001, "EVENT_QUERY_STATE"},
    {0x0002, "EVENT_MODIFY_STATE"},
};

constexpr Name kProcessRights[] = {
    {0x0001, "PROCESS_TERMINATE"},
    {0x0002, "PROCESS_CREATE_THREAD"},
    {0x0004, "PROCESS_SET_SESSIONID"},
    {0x0008, "PROCESS_VM_OPERATION"},
    {0x0010, "PROCESS_VM_READ"},
    {0x0020, "PROCESS_VM_WRITE"},
    {0x0040, "PROCESS_DUP_HANDLE"},
    {0x0080, "PROCESS_CREATE_PROCESS"},
    {0x0100, "PROCESS_SET_QUOTA"},
    {0x0200, "PROCESS_SET_INFORMATION"},
    {0x0400, "PROCESS_QUERY_INFORMATION"},
    {0x0800, "PROCESS_SUSPEND_RESUME"},
    {0x1000, "PROCESS_QUERY_LIMITED_INFORMATION"},
    {0x2000, "PROCESS_SET_LIMITED_INFORMATION"},
};

constexpr Name kThreadRights[] = {
    {0x0001, "THREAD_TERMINATE"},
    {0x0002, "THREAD_SUSPEND_RESUME"},
    {0x0004, "THREAD_ALERT"},
    {0x0008, "THREAD_GET_CONTEXT"},
    {0x0010, "THREAD_SET_CONTEXT"},
    {0x0020, "THREAD_SET_INFORMATION"},
    {0x0040, "THREAD_QUERY_INFORMATION"},
    {0x0080, "THREAD_SET_THREAD_TOKEN"},
    {0x0100, "THREAD_IMPERSONATE"},
    {0x0200, "THREAD_DIRECT_IMPERSONATION"},
    {0x0400, "THREAD_SET_LIMITED_INFORMATION"},
    {0x0800, "THREAD_QUERY_LIMITED_INFORMATION"},
    {0x1000, "THREAD_RESUME"},
};

static_assert(single_bits_ascending(kStandardRights));
static_assert(single_bits_ascending(kFileRights));
static_assert(single_bits_ascending(kDirectoryRights));
static_assert(single_bits_ascending(kEventRights));
static_assert(single_bits_ascending(kProcessRights));
static_assert(single_bits_ascending(kThreadRights));

struct AccessKindInfo {
  Table specific;       // empty for Generic: its specific bits print as hex
  uint32_t all_access;  // the kind's *_ALL_ACCESS mask, 0 when none
  const char* all_access_name;
};

AccessKindInfo access_kind_info(AccessKind kind) {
  switch (kind) {
    case AccessKind::File:
      return {kFileRights, 0x001F01FF, "FILE_ALL_ACCESS"};
    case AccessKind::Directory:
      return {kDirectoryRights, 0x001F01FF, "FILE_ALL_ACCESS"};
    case AccessKind::Event:
      return {kEventRights, 0x001F0003, "EVENT_ALL_ACCESS"};
    case AccessKind::Process:
      return {kProcessRights, 0x001FFFFF, "PROCESS_ALL_ACCESS"};
    case AccessKind::Thread:
      return {kThreadRights, 0x001FFFFF, "THREAD_ALL_ACCESS"};
    case AccessKind::Generic:
      break;
  }
  return {{}, 0, nullptr};
}

// ---- File I/O (winnt.h, wdm.h/ntifs.h) ----

constexpr Name kFileAttributes[] = {
    {0x00000001, "FILE_ATTRIBUTE_READONLY"},
    {0x00000002, "FILE_ATTRIBUTE_HIDDEN"},
    {0x00000004, "FILE_ATTRIBUTE_SYSTEM"},
    {0x00000010, "FILE_ATTRIBUTE_DIRECTORY"},
    {0x00000020, "FILE_ATTRIBUTE_ARCHIVE"},
    {0x00000040, "FILE_ATTRIBUTE_DEVICE"},
    {0x00000080, "FILE_ATTRIBUTE_NORMAL"},
    {0x00000100, "FILE_ATTRIBUTE_TEMPORARY"},
    {0x00000200, "FILE_ATTRIBUTE_SPARSE_FILE"},
    {0x00000400, "FILE_ATTRIBUTE_REPARSE_POINT"},
    {0x00000800, "FILE_ATTRIBUTE_COMPRESSED"},
    {0x00001000, "FILE_ATTRIBUTE_OFFLINE"},
    {0x00002000, "FILE_ATTRIBUTE_NOT_CONTENT_INDEXED"},
    {0x00004000, "FILE_ATTRIBUTE_ENCRYPTED"},
    {0x00008000, "FILE_ATTRIBUTE_INTEGRITY_STREAM"},
    {0x00010000, "FILE_ATTRIBUTE_VIRTUAL"},
    {0x00020000, "FILE_ATTRIBUTE_NO_SCRUB_DATA"},
    // winnt.h also calls 0x40000 FILE_ATTRIBUTE_EA; RECALL_ON_OPEN is the documented name.
    {0x00040000, "FILE_ATTRIBUTE_RECALL_ON_OPEN"},
    {0x00080000, "FILE_ATTRIBUTE_PINNED"},
    {0x00100000, "FILE_ATTRIBUTE_UNPINNED"},
    {0x00400000, "FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS"},
    {0x20000000, "FILE_ATTRIBUTE_STRICTLY_SEQUENTIAL"},
};

constexpr Name kShareAccess[] = {
    {0x1, "FILE_SHARE_READ"},
    {0x2, "FILE_SHARE_WRITE"},
    {0x4, "FILE_SHARE_DELETE"},
};

constexpr Name kCreateDispositions[] = {
    {0, "FILE_SUPERSEDE"}, {1, "FILE_OPEN"},      {2, "FILE_CREATE"},
    {3, "FILE_OPEN_IF"},   {4, "FILE_OVERWRITE"}, {5, "FILE_OVERWRITE_IF"},
};

constexpr Name kCreateOptions[] = {
    {0x00000001, "FILE_DIRECTORY_FILE"},
    {0x00000002, "FILE_WRITE_THROUGH"},
    {0x00000004, "FILE_SEQUENTIAL_ONLY"},
    {0x00000008, "FILE_NO_INTERMEDIATE_BUFFERING"},
    {0x00000010, "FILE_SYNCHRONOUS_IO_ALERT"},
    {0x00000020, "FILE_SYNCHRONOUS_IO_NONALERT"},
    {0x00000040, "FILE_NON_DIRECTORY_FILE"},
    {0x00000080, "FILE_CREATE_TREE_CONNECTION"},
    {0x00000100, "FILE_COMPLETE_IF_OPLOCKED"},
    {0x00000200, "FILE_NO_EA_KNOWLEDGE"},
    {0x00000400, "FILE_OPEN_REMOTE_INSTANCE"},
    {0x00000800, "FILE_RANDOM_ACCESS"},
    {0x00001000, "FILE_DELETE_ON_CLOSE"},
    {0x00002000, "FILE_OPEN_BY_FILE_ID"},
    {0x00004000, "FILE_OPEN_FOR_BACKUP_INTENT"},
    {0x00008000, "FILE_NO_COMPRESSION"},
    {0x00010000, "FILE_OPEN_REQUIRING_OPLOCK"},
    {0x00020000, "FILE_DISALLOW_EXCLUSIVE"},
    {0x00040000, "FILE_SESSION_AWARE"},
    {0x00100000, "FILE_RESERVE_OPFILTER"},
    {0x00200000, "FILE_OPEN_REPARSE_POINT"},
    {0x00400000, "FILE_OPEN_NO_RECALL"},
    {0x00800000, "FILE_OPEN_FOR_FREE_SPACE_QUERY"},
    {0x10000000, "FILE_CONTAINS_EXTENDED_CREATE_INFORMATION"},
};

static_assert(single_bits_ascending(kFileAttributes));
static_assert(single_bits_ascending(kShareAccess));
static_assert(strictly_ascending(kCreateDispositions));
static_assert(single_bits_ascending(kCreateOptions));

// FILE_INFORMATION_CLASS and FS_INFORMATION_CLASS (wdm.h/ntifs.h). Numbers are fixed by the ABI.
constexpr Name kFileInformationClasses[] = {
    {1, "FileDirectoryInformation"},
    {2, "FileFullDirectoryInformation"},
    {3, "FileBothDirectoryInformation"},
    {4, "FileBasicInformation"},
    {5, "FileStandardInformation"},
    {6, "FileInternalInformation"},
    {7, "FileEaInformation"},
    {8, "FileAccessInformation"},
    {9, "FileNameInformation"},
    {10, "FileRenameInformation"},
    {11, "FileLinkInformation"},
    {12, "FileNamesInformation"},
    {13, "FileDispositionInformation"},
    {14, "FilePositionInformation"},
    {15, "FileFullEaInformation"},
    {16, "FileModeInformation"},
    {17, "FileAlignmentInformation"},
    {18, "FileAllInformation"},
    {19, "FileAllocationInformation"},
    {20, "FileEndOfFileInformation"},
    {21, "FileAlternateNameInformation"},
    {22, "FileStreamInformation"},
    {23, "FilePipeInformation"},
    {24, "FilePipeLocalInformation"},
    {25, "FilePipeRemoteInformation"},
    {26, "FileMailslotQueryInformation"},
    {27, "FileMailslotSetInformation"},
    {28, "FileCompressionInformation"},
    {29, "FileObjectIdInformation"},
    {30, "FileCompletionInformation"},
    {31, "FileMoveClusterInformation"},
    {32, "FileQuotaInformation"},
    {33, "FileReparsePointInformation"},
    {34, "FileNetworkOpenInformation"},
    {35, "FileAttributeTagInformation"},
    {36, "FileTrackingInformation"},
    {37, "FileIdBothDirectoryInformation"},
    {38, "FileIdFullDirectoryInformation"},
    {39, "FileValidDataLengthInformation"},
    {40, "FileShortNameInformation"},
    {41, "FileIoCompletionNotificationInformation"},
    {42, "FileIoStatusBlockRangeInformation"},
    {43, "FileIoPriorityHintInformation"},
    {44, "FileSfioReserveInformation"},
    {45, "FileSfioVolumeInformation"},
    {46, "FileHardLinkInformation"},
    {47, "FileProcessIdsUsingFileInformation"},
    {48, "FileNormalizedNameInformation"},
    {49, "FileNetworkPhysicalNameInformation"},
    {50, "FileIdGlobalTxDirectoryInformation"},
    {51, "FileIsRemoteDeviceInformation"},
    {52, "FileUnusedInformation"},
    {53, "FileNumaNodeInformation"},
    {54, "FileStandardLinkInformation"},
    {55, "FileRemoteProtocolInformation"},
    {56, "FileRenameInformationBypassAccessCheck"},
    {57, "FileLinkInformationBypassAccessCheck"},
    {58, "FileVolumeNameInformation"},
    {59, "FileIdInformation"},
    {60, "FileIdExtdDirectoryInformation"},
    {61, "FileReplaceCompletionInformation"},
    {62, "FileHardLinkFullIdInformation"},
    {63, "FileIdExtdBothDirectoryInformation"},
    {64, "FileDispositionInformationEx"},
    {65, "FileRenameInformationEx"},
    {66, "FileRenameInformationExBypassAccessCheck"},
    {67, "FileDesiredStorageClassInformation"},
    {68, "FileStatInformation"},
    {69, "FileMemoryPartitionInformation"},
    {70, "FileStatLxInformation"},
    {71, "FileCaseSensitiveInformation"},
    {72, "FileLinkInformationEx"},
    {73, "FileLinkInformationExBypassAccessCheck"},
    {74, "FileStorageReserveIdInformation"},
    {75, "FileCaseSensitiveInformationForceAccessCheck"},
    {76, "FileKnownFolderInformation"},
    {77, "FileStatBasicInformation"},
    {78, "FileId64ExtdDirectoryInformation"},
    {79, "FileId64ExtdBothDirectoryInformation"},
    {80, "FileIdAllExtdDirectoryInformation"},
    {81, "FileIdAllExtdBothDirectoryInformation"},
};

constexpr Name kFsInformationClasses[] = {
    {1, "FileFsVolumeInformation"},        {2, "FileFsLabelInformation"},
    {3, "FileFsSizeInformation"},          {4, "FileFsDeviceInformation"},
    {5, "FileFsAttributeInformation"},     {6, "FileFsControlInformation"},
    {7, "FileFsFullSizeInformation"},      {8, "FileFsObjectIdInformation"},
    {9, "FileFsDriverPathInformation"},    {10, "FileFsVolumeFlagsInformation"},
    {11, "FileFsSectorSizeInformation"},   {12, "FileFsDataCopyInformation"},
    {13, "FileFsMetadataSizeInformation"}, {14, "FileFsFullSizeInformationEx"},
    {15, "FileFsGuidInformation"},
};

static_assert(strictly_ascending(kFileInformationClasses));
static_assert(strictly_ascending(kFsInformationClasses));

// ---- Virtual memory (winnt.h) ----

constexpr Name kAllocationTypes[] = {
    {0x00001000, "MEM_COMMIT"},
    {0x00002000, "MEM_RESERVE"},
    {0x00004000, "MEM_REPLACE_PLACEHOLDER"},
    {0x00040000, "MEM_RESERVE_PLACEHOLDER"},
    {0x00080000, "MEM_RESET"},
    {0x00100000, "MEM_TOP_DOWN"},
    {0x00200000, "MEM_WRITE_WATCH"},
    {0x00400000, "MEM_PHYSICAL"},
    {0x00800000, "MEM_ROTATE"},
    {0x01000000, "MEM_RESET_UNDO"},
    {0x20000000, "MEM_LARGE_PAGES"},
    {0x80000000, "MEM_4MB_PAGES"},
};

constexpr Name kFreeTypes[] = {
    {0x00000001, "MEM_COALESCE_PLACEHOLDERS"},
    {0x00000002, "MEM_PRESERVE_PLACEHOLDER"},
    {0x00004000, "MEM_DECOMMIT"},
    {0x00008000, "MEM_RELEASE"},
};

// The base protections are values, not bits: exactly one of them sits in the low byte.
constexpr uint32_t kPageBaseMask = 0xFF;
constexpr Name kPageBaseProtections[] = {
    {0x01, "PAGE_NOACCESS"},          {0x02, "PAGE_READONLY"},          {0x04, "PAGE_READWRITE"},
    {0x08, "PAGE_WRITECOPY"},         {0x10, "PAGE_EXECUTE"},           {0x20, "PAGE_EXECUTE_READ"},
    {0x40, "PAGE_EXECUTE_READWRITE"}, {0x80, "PAGE_EXECUTE_WRITECOPY"},
};

constexpr Name kPageModifiers[] = {
    {0x00000100, "PAGE_GUARD"},
    {0x00000200, "PAGE_NOCACHE"},
    {0x00000400, "PAGE_WRITECOMBINE"},
    // The same bit is PAGE_TARGETS_NO_UPDATE when changing protection; allocation names it so.
    {0x40000000, "PAGE_TARGETS_INVALID"},
};

static_assert(single_bits_ascending(kAllocationTypes));
static_assert(single_bits_ascending(kFreeTypes));
static_assert(strictly_ascending(kPageBaseProtections));
static_assert(single_bits_ascending(kPageModifiers));

// MEMORY_INFORMATION_CLASS (NtQueryVirtualMemory).
constexpr Name kMemoryInformationClasses[] = {
    {0, "MemoryBasicInformation"},
    {1, "MemoryWorkingSetInformation"},
    {2, "MemoryMappedFilenameInformation"},
    {3, "MemoryRegionInformation"},
    {4, "MemoryWorkingSetExInformation"},
    {5, "MemorySharedCommitInformation"},
    {6, "MemoryImageInformation"},
    {7, "MemoryRegionInformationEx"},
    {8, "MemoryPrivilegedBasicInformation"},
    {9, "MemoryEnclaveImageInformation"},
    {10, "MemoryBasicInformationCapped"},
    {11, "MemoryPhysicalContiguityInformation"},
    {12, "MemoryBadInformation"},
    {13, "MemoryBadInformationAllProcesses"},
    {14, "MemoryImageExtensionInformation"},
};

static_assert(strictly_ascending(kMemoryInformationClasses));

// ---- Synchronization (wdm.h) ----

constexpr Name kEventTypes[] = {
    {0, "NotificationEvent"},
    {1, "SynchronizationEvent"},
};

constexpr Name kWaitTypes[] = {
    {0, "WaitAll"},
    {1, "WaitAny"},
};

// ---- Information classes (names as in Windows' own symbols; winternl.h lists only a few) ----

constexpr Name kSystemInformationClasses[] = {
    {0, "SystemBasicInformation"},
    {1, "SystemProcessorInformation"},
    {2, "SystemPerformanceInformation"},
    {3, "SystemTimeOfDayInformation"},
    {4, "SystemPathInformation"},
    {5, "SystemProcessInformation"},
    {6, "SystemCallCountInformation"},
    {7, "SystemDeviceInformation"},
    {8, "SystemProcessorPerformanceInformation"},
    {9, "SystemFlagsInformation"},
    {10, "SystemCallTimeInformation"},
    {11, "SystemModuleInformation"},
    {12, "SystemLocksInformation"},
    {13, "SystemStackTraceInformation"},
    {14, "SystemPagedPoolInformation"},
    {15, "SystemNonPagedPoolInformation"},
    {16, "SystemHandleInformation"},
    {17, "SystemObjectInformation"},
    {18, "SystemPageFileInformation"},
    {19, "SystemVdmInstemulInformation"},
    {20, "SystemVdmBopInformation"},
    {21, "SystemFileCacheInformation"},
    {22, "SystemPoolTagInformation"},
    {23, "SystemInterruptInformation"},
    {24, "SystemDpcBehaviorInformation"},
    {25, "SystemFullMemoryInformation"},
    {26, "SystemLoadGdiDriverInformation"},
    {27, "SystemUnloadGdiDriverInformation"},
    {28, "SystemTimeAdjustmentInformation"},
    {29, "SystemSummaryMemoryInformation"},
    {30, "SystemMirrorMemoryInformation"},
    {31, "SystemPerformanceTraceInformation"},
    {32, "SystemObsolete0"},
    {33, "SystemExceptionInformation"},
    {34, "SystemCrashDumpStateInformation"},
    {35, "SystemKernelDebuggerInformation"},
    {36, "SystemContextSwitchInformation"},
    {37, "SystemRegistryQuotaInformation"},
    {38, "SystemExtendServiceTableInformation"},
    {39, "SystemPrioritySeperation"},  // sic: Windows spells it so
    {40, "SystemVerifierAddDriverInformation"},
    {41, "SystemVerifierRemoveDriverInformation"},
    {42, "SystemProcessorIdleInformation"},
    {43, "SystemLegacyDriverInformation"},
    {44, "SystemCurrentTimeZoneInformation"},
    {45, "SystemLookasideInformation"},
    {46, "SystemTimeSlipNotification"},
    {47, "SystemSessionCreate"},
    {48, "SystemSessionDetach"},
    {49, "SystemSessionInformation"},
    {50, "SystemRangeStartInformation"},
    {51, "SystemVerifierInformation"},
    {52, "SystemVerifierThunkExtend"},
    {53, "SystemSessionProcessInformation"},
    {54, "SystemLoadGdiDriverInSystemSpace"},
    {55, "SystemNumaProcessorMap"},
    {56, "SystemPrefetcherInformation"},
    {57, "SystemExtendedProcessInformation"},
    {58, "SystemRecommendedSharedDataAlignment"},
    {59, "SystemComPlusPackage"},
    {60, "SystemNumaAvailableMemory"},
    {61, "SystemProcessorPowerInformation"},
    {62, "SystemEmulationBasicInformation"},
    {63, "SystemEmulationProcessorInformation"},
    {64, "SystemExtendedHandleInformation"},
    {65, "SystemLostDelayedWriteInformation"},
    {66, "SystemBigPoolInformation"},
    {67, "SystemSessionPoolTagInformation"},
    {68, "SystemSessionMappedViewInformation"},
    {69, "SystemHotpatchInformation"},
    {70, "SystemObjectSecurityMode"},
    {71, "SystemWatchdogTimerHandler"},
    {72, "SystemWatchdogTimerInformation"},
    {73, "SystemLogicalProcessorInformation"},
    {74, "SystemWow64SharedInformationObsolete"},
    {75, "SystemRegisterFirmwareTableInformationHandler"},
    {76, "SystemFirmwareTableInformation"},
    {77, "SystemModuleInformationEx"},
    {78, "SystemVerifierTriageInformation"},
    {79, "SystemSuperfetchInformation"},
    {80, "SystemMemoryListInformation"},
    {81, "SystemFileCacheInformationEx"},
    {82, "SystemThreadPriorityClientIdInformation"},
    {83, "SystemProcessorIdleCycleTimeInformation"},
    {84, "SystemVerifierCancellationInformation"},
    {85, "SystemProcessorPowerInformationEx"},
    {86, "SystemRefTraceInformation"},
    {87, "SystemSpecialPoolInformation"},
    {88, "SystemProcessIdInformation"},
    {89, "SystemErrorPortInformation"},
    {90, "SystemBootEnvironmentInformation"},
    {91, "SystemHypervisorInformation"},
    {92, "SystemVerifierInformationEx"},
    {93, "SystemTimeZoneInformation"},
    {94, "SystemImageFileExecutionOptionsInformation"},
    {95, "SystemCoverageInformation"},
    {96, "SystemPrefetchPatchInformation"},
    {97, "SystemVerifierFaultsInformation"},
    {98, "SystemSystemPartitionInformation"},
    {99, "SystemSystemDiskInformation"},
    {100, "SystemProcessorPerformanceDistribution"},
    {101, "SystemNumaProximityNodeInformation"},
    {102, "SystemDynamicTimeZoneInformation"},
    {103, "SystemCodeIntegrityInformation"},
    {104, "SystemProcessorMicrocodeUpdateInformation"},
    {105, "SystemProcessorBrandString"},
    {106, "SystemVirtualAddressInformation"},
    {107, "SystemLogicalProcessorInformationEx"},
    {108, "SystemProcessorCycleTimeInformation"},
    {109, "SystemStoreInformation"},
    {110, "SystemRegistryAppendString"},
    {111, "SystemAitSamplingValue"},
    {112, "SystemVhdBootInformation"},
    {113, "SystemCpuQuotaInformation"},
    {114, "SystemNativeBasicInformation"},
    {115, "SystemErrorPortTimeouts"},
    {116, "SystemLowPriorityIoInformation"},
    {117, "SystemTpmBootEntropyInformation"},
    {118, "SystemVerifierCountersInformation"},
    {119, "SystemPagedPoolInformationEx"},
    {120, "SystemSystemPtesInformationEx"},
    {121, "SystemNodeDistanceInformation"},
    {122, "SystemAcpiAuditInformation"},
    {123, "SystemBasicPerformanceInformation"},
    {124, "SystemQueryPerformanceCounterInformation"},
    {125, "SystemSessionBigPoolInformation"},
    {126, "SystemBootGraphicsInformation"},
    {127, "SystemScrubPhysicalMemoryInformation"},
    {128, "SystemBadPageInformation"},
    {129, "SystemProcessorProfileControlArea"},
    {130, "SystemCombinePhysicalMemoryInformation"},
    {131, "SystemEntropyInterruptTimingInformation"},
    {132, "SystemConsoleInformation"},
    {133, "SystemPlatformBinaryInformation"},
    {134, "SystemPolicyInformation"},
    {135, "SystemHypervisorProcessorCountInformation"},
    {136, "SystemDeviceDataInformation"},
    {137, "SystemDeviceDataEnumerationInformation"},
    {138, "SystemMemoryTopologyInformation"},
    {139, "SystemMemoryChannelInformation"},
    {140, "SystemBootLogoInformation"},
    {141, "SystemProcessorPerformanceInformationEx"},
    {142, "SystemCriticalProcessErrorLogInformation"},
    {143, "SystemSecureBootPolicyInformation"},
    {144, "SystemPageFileInformationEx"},
    {145, "SystemSecureBootInformation"},
    {146, "SystemEntropyInterruptTimingRawInformation"},
    {147, "SystemPortableWorkspaceEfiLauncherInformation"},
    {148, "SystemFullProcessInformation"},
    {149, "SystemKernelDebuggerInformationEx"},
    {150, "SystemBootMetadataInformation"},
    {151, "SystemSoftRebootInformation"},
    {152, "SystemElamCertificateInformation"},
    {153, "SystemOfflineDumpConfigInformation"},
    {154, "SystemProcessorFeaturesInformation"},
    {155, "SystemRegistryReconciliationInformation"},
    {156, "SystemEdidInformation"},
    {157, "SystemManufacturingInformation"},
    {158, "SystemEnergyEstimationConfigInformation"},
    {159, "SystemHypervisorDetailInformation"},
    {160, "SystemProcessorCycleStatsInformation"},
    {161, "SystemVmGenerationCountInformation"},
    {162, "SystemTrustedPlatformModuleInformation"},
    {163, "SystemKernelDebuggerFlags"},
    {164, "SystemCodeIntegrityPolicyInformation"},
    {165, "SystemIsolatedUserModeInformation"},
    {166, "SystemHardwareSecurityTestInterfaceResultsInformation"},
    {167, "SystemSingleModuleInformation"},
    {168, "SystemAllowedCpuSetsInformation"},
    {169, "SystemVsmProtectionInformation"},
    {170, "SystemInterruptCpuSetsInformation"},
    {171, "SystemSecureBootPolicyFullInformation"},
    {172, "SystemCodeIntegrityPolicyFullInformation"},
    {173, "SystemAffinitizedInterruptProcessorInformation"},
    {174, "SystemRootSiloInformation"},
    {175, "SystemCpuSetInformation"},
    {176, "SystemCpuSetTagInformation"},
    {177, "SystemWin32WerStartCallout"},
    {178, "SystemSecureKernelProfileInformation"},
    {179, "SystemCodeIntegrityPlatformManifestInformation"},
    {180, "SystemInterruptSteeringInformation"},
    {181, "SystemSupportedProcessorArchitectures"},
    {182, "SystemMemoryUsageInformation"},
    {183, "SystemCodeIntegrityCertificateInformation"},
    {184, "SystemPhysicalMemoryInformation"},
    {185, "SystemControlFlowTransition"},
    {186, "SystemKernelDebuggingAllowed"},
    {187, "SystemActivityModerationExeState"},
    {188, "SystemActivityModerationUserSettings"},
    {189, "SystemCodeIntegrityPoliciesFullInformation"},
    {190, "SystemCodeIntegrityUnlockInformation"},
    {191, "SystemIntegrityQuotaInformation"},
    {192, "SystemFlushInformation"},
    {193, "SystemProcessorIdleMaskInformation"},
    {194, "SystemSecureDumpEncryptionInformation"},
    {195, "SystemWriteConstraintInformation"},
    {196, "SystemKernelVaShadowInformation"},
    {197, "SystemHypervisorSharedPageInformation"},
    {198, "SystemFirmwareBootPerformanceInformation"},
    {199, "SystemCodeIntegrityVerificationInformation"},
    {200, "SystemFirmwarePartitionInformation"},
    {201, "SystemSpeculationControlInformation"},
    {202, "SystemDmaGuardPolicyInformation"},
    {203, "SystemEnclaveLaunchControlInformation"},
    {204, "SystemWorkloadAllowedCpuSetsInformation"},
    {205, "SystemCodeIntegrityUnlockModeInformation"},
    {206, "SystemLeapSecondInformation"},
    {207, "SystemFlags2Information"},
    {208, "SystemSecurityModelInformation"},
    {209, "SystemCodeIntegritySyntheticCacheInformation"},
    {210, "SystemFeatureConfigurationInformation"},
};

constexpr Name kProcessInformationClasses[] = {
    {0, "ProcessBasicInformation"},
    {1, "ProcessQuotaLimits"},
    {2, "ProcessIoCounters"},
    {3, "ProcessVmCounters"},
    {4, "ProcessTimes"},
    {5, "ProcessBasePriority"},
    {6, "ProcessRaisePriority"},
    {7, "ProcessDebugPort"},
    {8, "ProcessExceptionPort"},
    {9, "ProcessAccessToken"},
    {10, "ProcessLdtInformation"},
    {11, "ProcessLdtSize"},
    {12, "ProcessDefaultHardErrorMode"},
    {13, "ProcessIoPortHandlers"},
    {14, "ProcessPooledUsageAndLimits"},
    {15, "ProcessWorkingSetWatch"},
    {16, "ProcessUserModeIOPL"},
    {17, "ProcessEnableAlignmentFaultFixup"},
    {18, "ProcessPriorityClass"},
    {19, "ProcessWx86Information"},
    {20, "ProcessHandleCount"},
    {21, "ProcessAffinityMask"},
    {22, "ProcessPriorityBoost"},
    {23, "ProcessDeviceMap"},
    {24, "ProcessSessionInformation"},
    {25, "ProcessForegroundInformation"},
    {26, "ProcessWow64Information"},
    {27, "ProcessImageFileName"},
    {28, "ProcessLUIDDeviceMapsEnabled"},
    {29, "ProcessBreakOnTermination"},
    {30, "ProcessDebugObjectHandle"},
    {31, "ProcessDebugFlags"},
    {32, "ProcessHandleTracing"},
    {33, "ProcessIoPriority"},
    {34, "ProcessExecuteFlags"},
    {35, "ProcessTlsInformation"},
    {36, "ProcessCookie"},
    {37, "ProcessImageInformation"},
    {38, "ProcessCycleTime"},
    {39, "ProcessPagePriority"},
    {40, "ProcessInstrumentationCallback"},
    {41, "ProcessThreadStackAllocation"},
    {42, "ProcessWorkingSetWatchEx"},
    {43, "ProcessImageFileNameWin32"},
    {44, "ProcessImageFileMapping"},
    {45, "ProcessAffinityUpdateMode"},
    {46, "ProcessMemoryAllocationMode"},
    {47, "ProcessGroupInformation"},
    {48, "ProcessTokenVirtualizationEnabled"},
    {49, "ProcessConsoleHostProcess"},
    {50, "ProcessWindowInformation"},
    {51, "ProcessHandleInformation"},
    {52, "ProcessMitigationPolicy"},
    {53, "ProcessDynamicFunctionTableInformation"},
    {54, "ProcessHandleCheckingMode"},
    {55, "ProcessKeepAliveCount"},
    {56, "ProcessRevokeFileHandles"},
    {57, "ProcessWorkingSetControl"},
    {58, "ProcessHandleTable"},
    {59, "ProcessCheckStackExtentsMode"},
    {60, "ProcessCommandLineInformation"},
    {61, "ProcessProtectionInformation"},
    {62, "ProcessMemoryExhaustion"},
    {63, "ProcessFaultInformation"},
    {64, "ProcessTelemetryIdInformation"},
    {65, "ProcessCommitReleaseInformation"},
    {66, "ProcessDefaultCpuSetsInformation"},
    {67, "ProcessAllowedCpuSetsInformation"},
    {68, "ProcessSubsystemProcess"},
    {69, "ProcessJobMemoryInformation"},
    {70, "ProcessInPrivate"},
    {71, "ProcessRaiseUMExceptionOnInvalidHandleClose"},
    {72, "ProcessIumChallengeResponse"},
    {73, "ProcessChildProcessInformation"},
    {74, "ProcessHighGraphicsPriorityInformation"},
    {75, "ProcessSubsystemInformation"},
    {76, "ProcessEnergyValues"},
    {77, "ProcessPowerThrottlingState"},
    {78, "ProcessReserved3Information"},
    {79, "ProcessWin32kSyscallFilterInformation"},
    {80, "ProcessDisableSystemAllowedCpuSets"},
    {81, "ProcessWakeInformation"},
    {82, "ProcessEnergyTrackingState"},
    {83, "ProcessManageWritesToExecutableMemory"},
    {84, "ProcessCaptureTrustletLiveDump"},
    {85, "ProcessTelemetryCoverage"},
    {86, "ProcessEnclaveInformation"},
    {87, "ProcessEnableReadWriteVmLogging"},
    {88, "ProcessUptimeInformation"},
    {89, "ProcessImageSection"},
    {90, "ProcessDebugAuthInformation"},
    {91, "ProcessSystemResourceManagement"},
    {92, "ProcessSequenceNumber"},
    {93, "ProcessLoaderDetour"},
    {94, "ProcessSecurityDomainInformation"},
    {95, "ProcessCombineSecurityDomainsInformation"},
    {96, "ProcessEnableLogging"},
    {97, "ProcessLeapSecondInformation"},
    {98, "ProcessFiberShadowStackAllocation"},
    {99, "ProcessFreeFiberShadowStackAllocation"},
    {100, "ProcessAltSystemCallInformation"},
    {101, "ProcessDynamicEHContinuationTargets"},
    {102, "ProcessDynamicEnforcedCetCompatibleRanges"},
};

constexpr Name kThreadInformationClasses[] = {
    {0, "ThreadBasicInformation"},
    {1, "ThreadTimes"},
    {2, "ThreadPriority"},
    {3, "ThreadBasePriority"},
    {4, "ThreadAffinityMask"},
    {5, "ThreadImpersonationToken"},
    {6, "ThreadDescriptorTableEntry"},
    {7, "ThreadEnableAlignmentFaultFixup"},
    {8, "ThreadEventPair"},
    {9, "ThreadQuerySetWin32StartAddress"},
    {10, "ThreadZeroTlsCell"},
    {11, "ThreadPerformanceCount"},
    {12, "ThreadAmILastThread"},
    {13, "ThreadIdealProcessor"},
    {14, "ThreadPriorityBoost"},
    {15, "ThreadSetTlsArrayAddress"},
    {16, "ThreadIsIoPending"},
    {17, "ThreadHideFromDebugger"},
    {18, "ThreadBreakOnTermination"},
    {19, "ThreadSwitchLegacyState"},
    {20, "ThreadIsTerminated"},
    {21, "ThreadLastSystemCall"},
    {22, "ThreadIoPriority"},
    {23, "ThreadCycleTime"},
    {24, "ThreadPagePriority"},
    {25, "ThreadActualBasePriority"},
    {26, "ThreadTebInformation"},
    {27, "ThreadCSwitchMon"},
    {28, "ThreadCSwitchPmu"},
    {29, "ThreadWow64Context"},
    {30, "ThreadGroupInformation"},
    {31, "ThreadUmsInformation"},
    {32, "ThreadCounterProfiling"},
    {33, "ThreadIdealProcessorEx"},
    {34, "ThreadCpuAccountingInformation"},
    {35, "ThreadSuspendCount"},
    {36, "ThreadHeterogeneousCpuPolicy"},
    {37, "ThreadContainerId"},
    {38, "ThreadNameInformation"},
    {39, "ThreadSelectedCpuSets"},
    {40, "ThreadSystemThreadInformation"},
    {41, "ThreadActualGroupAffinity"},
    {42, "ThreadDynamicCodePolicyInfo"},
    {43, "ThreadExplicitCaseSensitivity"},
    {44, "ThreadWorkOnBehalfTicket"},
    {45, "ThreadSubsystemInformation"},
    {46, "ThreadDbgkWerReportActive"},
    {47, "ThreadAttachContainer"},
    {48, "ThreadManageWritesToExecutableMemory"},
    {49, "ThreadPowerThrottlingState"},
    {50, "ThreadWorkloadClass"},
    {51, "ThreadCreateStateChange"},
    {52, "ThreadApplyStateChange"},
    {53, "ThreadStrongerBadHandleChecks"},
    {54, "ThreadEffectiveIoPriority"},
    {55, "ThreadEffectivePagePriority"},
};

static_assert(strictly_ascending(kSystemInformationClasses));
static_assert(strictly_ascending(kProcessInformationClasses));
static_assert(strictly_ascending(kThreadInformationClasses));

// ---- Object attributes (wdm.h) ----

constexpr Name kObjectAttributes[] = {
    {0x00000002, "OBJ_INHERIT"},
    {0x00000010, "OBJ_PERMANENT"},
    {0x00000020, "OBJ_EXCLUSIVE"},
    {0x00000040, "OBJ_CASE_INSENSITIVE"},
    {0x00000080, "OBJ_OPENIF"},
    {0x00000100, "OBJ_OPENLINK"},
    {0x00000200, "OBJ_KERNEL_HANDLE"},
    {0x00000400, "OBJ_FORCE_ACCESS_CHECK"},
    {0x00000800, "OBJ_IGNORE_IMPERSONATED_DEVICEMAP"},
    {0x00001000, "OBJ_DONT_REPARSE"},
};

static_assert(single_bits_ascending(kObjectAttributes));

// ---- Intervals ----

// Display units for a relative interval, largest first, in 100 ns ticks.
struct DurationUnit {
  uint64_t ticks;
  const char* suffix;
};
constexpr DurationUnit kDurationUnits[] = {{10'000'000, "s"}, {10'000, "ms"}, {10, "us"}};

// A duration as <whole>.<thousandths> of some unit, rounded to the nearest thousandth.
struct Scaled {
  uint64_t whole;
  uint64_t thousandths;
};

Scaled scale(uint64_t ticks, uint64_t unit) {
  Scaled v{ticks / unit, ((ticks % unit) * 1000 + unit / 2) / unit};
  if (v.thousandths == 1000) v = {v.whole + 1, 0};
  return v;
}

// "<whole>[.<up to 3 decimals>]<suffix>" with trailing zeros dropped.
std::string render(Scaled v, const char* suffix) {
  std::string out = std::to_string(v.whole);
  if (v.thousandths != 0) {
    std::string frac = std::to_string(1000 + v.thousandths).substr(1);  // zero-padded to 3
    while (frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  return out + suffix;
}

// A duration in the largest unit it reaches.
std::string duration(uint64_t ticks) {
  for (size_t i = 0; i < std::size(kDurationUnits); ++i) {
    const DurationUnit& u = kDurationUnits[i];
    if (ticks < u.ticks) continue;
    Scaled v = scale(ticks, u.ticks);
    // Rounding can reach the next larger unit: 9999999 ticks is 1s, not 1000ms.
    if (i > 0 && v.whole == 1000) return render({1, 0}, kDurationUnits[i - 1].suffix);
    return render(v, u.suffix);
  }
  return std::to_string(ticks * 100) + "ns";  // under 1us: whole 100 ns ticks, exact
}

}  // namespace

std::string access_mask(uint32_t mask, AccessKind kind) {
  AccessKindInfo info = access_kind_info(kind);
  if (info.all_access != 0 && mask == info.all_access) return info.all_access_name;
  return format_flags(mask, {kGenericRights, info.specific, kStandardRights});
}

std::string file_attributes(uint32_t attributes) {
  return format_flags(attributes, {kFileAttributes});
}

std::string share_access(uint32_t share) {
  return format_flags(share, {kShareAccess});
}

std::string create_disposition(uint32_t disposition) {
  return format_enum(disposition, kCreateDispositions);
}

std::string create_options(uint32_t options) {
  return format_flags(options, {kCreateOptions});
}

std::string file_information_class(uint32_t cls) {
  return format_enum(cls, kFileInformationClasses);
}

std::string fs_information_class(uint32_t cls) {
  return format_enum(cls, kFsInformationClasses);
}

std::string allocation_type(uint32_t type) {
  return format_flags(type, {kAllocationTypes});
}

std::string free_type(uint32_t type) {
  return format_flags(type, {kFreeTypes});
}

std::string page_protection(uint32_t protection) {
  const char* base = find_name(protection & kPageBaseMask, kPageBaseProtections);
  // No single known base value: the low byte is left over and prints as hex with the rest.
  if (base == nullptr) return format_flags(protection, {kPageModifiers});
  uint32_t modifiers = protection & ~kPageBaseMask;
  if (modifiers == 0) return base;
  return std::string(base) + "|" + format_flags(modifiers, {kPageModifiers});
}

std::string memory_information_class(uint32_t cls) {
  return format_enum(cls, kMemoryInformationClasses);
}

std::string event_type(uint32_t type) {
  return format_enum(type, kEventTypes);
}

std::string wait_type(uint32_t type) {
  return format_enum(type, kWaitTypes);
}

std::string system_information_class(uint32_t cls) {
  return format_enum(cls, kSystemInformationClasses);
}

std::string process_information_class(uint32_t cls) {
  return format_enum(cls, kProcessInformationClasses);
}

std::string thread_information_class(uint32_t cls) {
  return format_enum(cls, kThreadInformationClasses);
}

std::string object_attributes_flags(uint32_t attributes) {
  return format_flags(attributes, {kObjectAttributes});
}

std::string handle(uint64_t h) {
  if (h == 0) return "NULL";
  if (h == ~0ull) return "NtCurrentProcess()";
  if (h == ~0ull - 1) return "NtCurrentThread()";
  return hex(h);
}

std::string byte_offset(int64_t offset) {
  if (offset == -2) return "FILE_USE_FILE_POINTER_POSITION";
  if (offset == -1) return "FILE_WRITE_TO_END_OF_FILE";
  return std::to_string(offset);
}

std::string interval(int64_t ticks) {
  if (ticks == 0) return "0";
  if (ticks > 0) return std::to_string(ticks) + " (absolute)";
  // Negate in unsigned arithmetic so INT64_MIN does not overflow.
  uint64_t magnitude = 0 - static_cast<uint64_t>(ticks);
  return std::to_string(ticks) + " (" + duration(magnitude) + ")";
}

std::string ntstatus(uint32_t status) {
  if (const char* name = nt::status_name(static_cast<nt::NTSTATUS>(status))) return name;
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", status);
  return buf;
}

}  // namespace ireactor::ntdecode
