// Unit tests for the NT argument decoders the call tracer prints (tools/nt_decode/nt_symbols.h):
// names and numbers must be the ones Windows' headers use.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>

#include "nt_symbols.h"

using namespace ireactor::ntdecode;

TEST_CASE("access_mask: generic rights first, then the kind's own, then the standard ones") {
  CHECK(access_mask(0x40100000, AccessKind::File) == "GENERIC_WRITE|SYNCHRONIZE");
  CHECK(access_mask(0xC0100000, AccessKind::File) == "GENERIC_READ|GENERIC_WRITE|SYNCHRONIZE");
  CHECK(access_mask(0x80000000, AccessKind::File) == "GENERIC_READ");
  CHECK(access_mask(0x00120089, AccessKind::File) ==
        "FILE_READ_DATA|FILE_READ_EA|FILE_READ_ATTRIBUTES|READ_CONTROL|SYNCHRONIZE");
  CHECK(access_mask(0x00010000, AccessKind::File) == "DELETE");
  CHECK(access_mask(0x00000000, AccessKind::File) == "0");
  CHECK(access_mask(0x02000000, AccessKind::Generic) == "MAXIMUM_ALLOWED");
  CHECK(access_mask(0x01000000, AccessKind::Event) == "ACCESS_SYSTEM_SECURITY");
  CHECK(access_mask(0x100C0000, AccessKind::Thread) == "GENERIC_ALL|WRITE_DAC|WRITE_OWNER");
  CHECK(access_mask(0x20000000, AccessKind::Process) == "GENERIC_EXECUTE");
}

TEST_CASE("access_mask: unknown bits follow the names as one hex number") {
  // 0x200 is no file right; bits 21 and 26 are reserved.
  CHECK(access_mask(0x04200201, AccessKind::File) == "FILE_READ_DATA|0x4200200");
  CHECK(access_mask(0x00000600, AccessKind::File) == "0x600");
  CHECK(access_mask(0x00000004, AccessKind::Event) == "0x4");
}

TEST_CASE("access_mask: directories use the directory names of the same bits") {
  CHECK(access_mask(0x00100001, AccessKind::Directory) == "FILE_LIST_DIRECTORY|SYNCHRONIZE");
  CHECK(access_mask(0x00000026, AccessKind::Directory) ==
        "FILE_ADD_FILE|FILE_ADD_SUBDIRECTORY|FILE_TRAVERSE");
  CHECK(access_mask(0x00000026, AccessKind::File) ==
        "FILE_WRITE_DATA|FILE_APPEND_DATA|FILE_EXECUTE");
}

TEST_CASE("access_mask: event, process and thread specific rights") {
  CHECK(access_mask(0x00100002, AccessKind::Event) == "EVENT_MODIFY_STATE|SYNCHRONIZE");
  CHECK(access_mask(0x00000003, AccessKind::Event) == "EVENT_QUERY_STATE|EVENT_MODIFY_STATE");
  CHECK(access_mask(0x00001000, AccessKind::Process) == "PROCESS_QUERY_LIMITED_INFORMATION");
  CHECK(access_mask(0x00000438, AccessKind::Process) ==
        "PROCESS_VM_OPERATION|PROCESS_VM_READ|PROCESS_VM_WRITE|PROCESS_QUERY_INFORMATION");
  CHECK(access_mask(0x00000001, AccessKind::Process) == "PROCESS_TERMINATE");
  CHECK(access_mask(0x00001802, AccessKind::Thread) ==
        "THREAD_SUSPEND_RESUME|THREAD_QUERY_LIMITED_INFORMATION|THREAD_RESUME");
  CHECK(access_mask(0x00000018, AccessKind::Thread) == "THREAD_GET_CONTEXT|THREAD_SET_CONTEXT");
  CHECK(access_mask(0x00004000, AccessKind::Process) == "0x4000");
}

TEST_CASE("access_mask: generic kind prints the specific bits as hex") {
  CHECK(access_mask(0x00120001, AccessKind::Generic) == "READ_CONTROL|SYNCHRONIZE|0x1");
  CHECK(access_mask(0x0000FFFF, AccessKind::Generic) == "0xffff");
  CHECK(access_mask(0xC0000000, AccessKind::Generic) == "GENERIC_READ|GENERIC_WRITE");
  CHECK(access_mask(0x001F01FF, AccessKind::Generic) ==
        "DELETE|READ_CONTROL|WRITE_DAC|WRITE_OWNER|SYNCHRONIZE|0x1ff");
}

TEST_CASE("access_mask: the *_ALL_ACCESS composites only for exactly that mask") {
  CHECK(access_mask(0x001F01FF, AccessKind::File) == "FILE_ALL_ACCESS");
  CHECK(access_mask(0x001F01FF, AccessKind::Directory) == "FILE_ALL_ACCESS");
  CHECK(access_mask(0x001F0003, AccessKind::Event) == "EVENT_ALL_ACCESS");
  CHECK(access_mask(0x001FFFFF, AccessKind::Process) == "PROCESS_ALL_ACCESS");
  CHECK(access_mask(0x001FFFFF, AccessKind::Thread) == "THREAD_ALL_ACCESS");
  // One bit more or less is no longer the composite.
  CHECK(access_mask(0x801F01FF, AccessKind::File) ==
        "GENERIC_READ|FILE_READ_DATA|FILE_WRITE_DATA|FILE_APPEND_DATA|FILE_READ_EA|FILE_WRITE_EA|"
        "FILE_EXECUTE|FILE_DELETE_CHILD|FILE_READ_ATTRIBUTES|FILE_WRITE_ATTRIBUTES|DELETE|"
        "READ_CONTROL|WRITE_DAC|WRITE_OWNER|SYNCHRONIZE");
  CHECK(access_mask(0x000F0003, AccessKind::Event) ==
        "EVENT_QUERY_STATE|EVENT_MODIFY_STATE|DELETE|READ_CONTROL|WRITE_DAC|WRITE_OWNER");
  CHECK(access_mask(0x001F0003, AccessKind::File) ==
        "FILE_READ_DATA|FILE_WRITE_DATA|DELETE|READ_CONTROL|WRITE_DAC|WRITE_OWNER|SYNCHRONIZE");
}

TEST_CASE("file_attributes") {
  CHECK(file_attributes(0x80) == "FILE_ATTRIBUTE_NORMAL");
  CHECK(file_attributes(0x01) == "FILE_ATTRIBUTE_READONLY");
  CHECK(file_attributes(0x26) ==
        "FILE_ATTRIBUTE_HIDDEN|FILE_ATTRIBUTE_SYSTEM|FILE_ATTRIBUTE_ARCHIVE");
  CHECK(file_attributes(0x410) == "FILE_ATTRIBUTE_DIRECTORY|FILE_ATTRIBUTE_REPARSE_POINT");
  CHECK(file_attributes(0x2100) == "FILE_ATTRIBUTE_TEMPORARY|FILE_ATTRIBUTE_NOT_CONTENT_INDEXED");
  CHECK(file_attributes(0x4A00) ==
        "FILE_ATTRIBUTE_SPARSE_FILE|FILE_ATTRIBUTE_COMPRESSED|FILE_ATTRIBUTE_ENCRYPTED");
  CHECK(file_attributes(0x1000) == "FILE_ATTRIBUTE_OFFLINE");
  CHECK(file_attributes(0x400000) == "FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS");
  CHECK(file_attributes(0x08) == "0x8");  // the old volume-label bit has no name
  CHECK(file_attributes(0x80000021) == "FILE_ATTRIBUTE_READONLY|FILE_ATTRIBUTE_ARCHIVE|0x80000000");
  CHECK(file_attributes(0) == "0");
}

TEST_CASE("share_access") {
  CHECK(share_access(0) == "0");
  CHECK(share_access(1) == "FILE_SHARE_READ");
  CHECK(share_access(3) == "FILE_SHARE_READ|FILE_SHARE_WRITE");
  CHECK(share_access(7) == "FILE_SHARE_READ|FILE_SHARE_WRITE|FILE_SHARE_DELETE");
  CHECK(share_access(0x0C) == "FILE_SHARE_DELETE|0x8");
}

TEST_CASE("create_disposition") {
  CHECK(create_disposition(0) == "FILE_SUPERSEDE");
  CHECK(create_disposition(1) == "FILE_OPEN");
  CHECK(create_disposition(2) == "FILE_CREATE");
  CHECK(create_disposition(3) == "FILE_OPEN_IF");
  CHECK(create_disposition(4) == "FILE_OVERWRITE");
  CHECK(create_disposition(5) == "FILE_OVERWRITE_IF");
  CHECK(create_disposition(6) == "6");
  CHECK(create_disposition(0xFFFFFFFF) == "4294967295");
}

TEST_CASE("create_options") {
  CHECK(create_options(0) == "0");
  CHECK(create_options(0x60) == "FILE_SYNCHRONOUS_IO_NONALERT|FILE_NON_DIRECTORY_FILE");
  CHECK(create_options(0x21) == "FILE_DIRECTORY_FILE|FILE_SYNCHRONOUS_IO_NONALERT");
  CHECK(create_options(0x4021) ==
        "FILE_DIRECTORY_FILE|FILE_SYNCHRONOUS_IO_NONALERT|FILE_OPEN_FOR_BACKUP_INTENT");
  CHECK(create_options(0x00201000) == "FILE_DELETE_ON_CLOSE|FILE_OPEN_REPARSE_POINT");
  CHECK(create_options(0x2000) == "FILE_OPEN_BY_FILE_ID");
  CHECK(create_options(0x0080001A) ==
        "FILE_WRITE_THROUGH|FILE_NO_INTERMEDIATE_BUFFERING|FILE_SYNCHRONOUS_IO_ALERT|"
        "FILE_OPEN_FOR_FREE_SPACE_QUERY");
  CHECK(create_options(0x00510000) ==
        "FILE_OPEN_REQUIRING_OPLOCK|FILE_RESERVE_OPFILTER|FILE_OPEN_NO_RECALL");
  CHECK(create_options(0x01000840) == "FILE_NON_DIRECTORY_FILE|FILE_RANDOM_ACCESS|0x1000000");
}

TEST_CASE("file_information_class") {
  CHECK(file_information_class(1) == "FileDirectoryInformation");
  CHECK(file_information_class(3) == "FileBothDirectoryInformation");
  CHECK(file_information_class(4) == "FileBasicInformation");
  CHECK(file_information_class(5) == "FileStandardInformation");
  CHECK(file_information_class(9) == "FileNameInformation");
  CHECK(file_information_class(10) == "FileRenameInformation");
  CHECK(file_information_class(13) == "FileDispositionInformation");
  CHECK(file_information_class(14) == "FilePositionInformation");
  CHECK(file_information_class(18) == "FileAllInformation");
  CHECK(file_information_class(20) == "FileEndOfFileInformation");
  CHECK(file_information_class(22) == "FileStreamInformation");
  CHECK(file_information_class(34) == "FileNetworkOpenInformation");
  CHECK(file_information_class(35) == "FileAttributeTagInformation");
  CHECK(file_information_class(37) == "FileIdBothDirectoryInformation");
  CHECK(file_information_class(59) == "FileIdInformation");
  CHECK(file_information_class(60) == "FileIdExtdDirectoryInformation");
  CHECK(file_information_class(64) == "FileDispositionInformationEx");
  CHECK(file_information_class(65) == "FileRenameInformationEx");
  CHECK(file_information_class(68) == "FileStatInformation");
  CHECK(file_information_class(71) == "FileCaseSensitiveInformation");
  CHECK(file_information_class(0) == "0");
  CHECK(file_information_class(99) == "99");
}

TEST_CASE("fs_information_class") {
  CHECK(fs_information_class(1) == "FileFsVolumeInformation");
  CHECK(fs_information_class(3) == "FileFsSizeInformation");
  CHECK(fs_information_class(4) == "FileFsDeviceInformation");
  CHECK(fs_information_class(5) == "FileFsAttributeInformation");
  CHECK(fs_information_class(7) == "FileFsFullSizeInformation");
  CHECK(fs_information_class(11) == "FileFsSectorSizeInformation");
  CHECK(fs_information_class(0) == "0");
  CHECK(fs_information_class(200) == "200");
}

TEST_CASE("allocation_type") {
  CHECK(allocation_type(0x3000) == "MEM_COMMIT|MEM_RESERVE");
  CHECK(allocation_type(0x1000) == "MEM_COMMIT");
  CHECK(allocation_type(0x102000) == "MEM_RESERVE|MEM_TOP_DOWN");
  CHECK(allocation_type(0x20003000) == "MEM_COMMIT|MEM_RESERVE|MEM_LARGE_PAGES");
  CHECK(allocation_type(0x44000) == "MEM_REPLACE_PLACEHOLDER|MEM_RESERVE_PLACEHOLDER");
  CHECK(allocation_type(0x80000) == "MEM_RESET");
  CHECK(allocation_type(0x1000000) == "MEM_RESET_UNDO");
  CHECK(allocation_type(0x602000) == "MEM_RESERVE|MEM_WRITE_WATCH|MEM_PHYSICAL");
  CHECK(allocation_type(0x1001) == "MEM_COMMIT|0x1");
  CHECK(allocation_type(0) == "0");
}

TEST_CASE("free_type") {
  CHECK(free_type(0x8000) == "MEM_RELEASE");
  CHECK(free_type(0x4000) == "MEM_DECOMMIT");
  CHECK(free_type(0x8001) == "MEM_COALESCE_PLACEHOLDERS|MEM_RELEASE");
  CHECK(free_type(0x8002) == "MEM_PRESERVE_PLACEHOLDER|MEM_RELEASE");
  CHECK(free_type(0x18000) == "MEM_RELEASE|0x10000");
  CHECK(free_type(0) == "0");
}

TEST_CASE("page_protection") {
  CHECK(page_protection(0x01) == "PAGE_NOACCESS");
  CHECK(page_protection(0x02) == "PAGE_READONLY");
  CHECK(page_protection(0x04) == "PAGE_READWRITE");
  CHECK(page_protection(0x08) == "PAGE_WRITECOPY");
  CHECK(page_protection(0x10) == "PAGE_EXECUTE");
  CHECK(page_protection(0x20) == "PAGE_EXECUTE_READ");
  CHECK(page_protection(0x40) == "PAGE_EXECUTE_READWRITE");
  CHECK(page_protection(0x80) == "PAGE_EXECUTE_WRITECOPY");
  CHECK(page_protection(0x104) == "PAGE_READWRITE|PAGE_GUARD");
  CHECK(page_protection(0x204) == "PAGE_READWRITE|PAGE_NOCACHE");
  CHECK(page_protection(0x404) == "PAGE_READWRITE|PAGE_WRITECOMBINE");
  CHECK(page_protection(0x40000040) == "PAGE_EXECUTE_READWRITE|PAGE_TARGETS_INVALID");
  CHECK(page_protection(0x00001002) == "PAGE_READONLY|0x1000");
  // Two base protections at once is no single value: the low byte prints as hex.
  CHECK(page_protection(0x06) == "0x6");
  CHECK(page_protection(0x106) == "PAGE_GUARD|0x6");
  CHECK(page_protection(0x100) == "PAGE_GUARD");
  CHECK(page_protection(0) == "0");
}

TEST_CASE("memory_information_class") {
  CHECK(memory_information_class(0) == "MemoryBasicInformation");
  CHECK(memory_information_class(1) == "MemoryWorkingSetInformation");
  CHECK(memory_information_class(2) == "MemoryMappedFilenameInformation");
  CHECK(memory_information_class(3) == "MemoryRegionInformation");
  CHECK(memory_information_class(4) == "MemoryWorkingSetExInformation");
  CHECK(memory_information_class(6) == "MemoryImageInformation");
  CHECK(memory_information_class(77) == "77");
}

TEST_CASE("event_type and wait_type") {
  CHECK(event_type(0) == "NotificationEvent");
  CHECK(event_type(1) == "SynchronizationEvent");
  CHECK(event_type(2) == "2");
  CHECK(wait_type(0) == "WaitAll");
  CHECK(wait_type(1) == "WaitAny");
  CHECK(wait_type(7) == "7");
}

TEST_CASE("system_information_class") {
  CHECK(system_information_class(0) == "SystemBasicInformation");
  CHECK(system_information_class(1) == "SystemProcessorInformation");
  CHECK(system_information_class(2) == "SystemPerformanceInformation");
  CHECK(system_information_class(3) == "SystemTimeOfDayInformation");
  CHECK(system_information_class(5) == "SystemProcessInformation");
  CHECK(system_information_class(8) == "SystemProcessorPerformanceInformation");
  CHECK(system_information_class(11) == "SystemModuleInformation");
  CHECK(system_information_class(16) == "SystemHandleInformation");
  CHECK(system_information_class(35) == "SystemKernelDebuggerInformation");
  CHECK(system_information_class(37) == "SystemRegistryQuotaInformation");
  CHECK(system_information_class(50) == "SystemRangeStartInformation");
  CHECK(system_information_class(62) == "SystemEmulationBasicInformation");
  CHECK(system_information_class(63) == "SystemEmulationProcessorInformation");
  CHECK(system_information_class(64) == "SystemExtendedHandleInformation");
  CHECK(system_information_class(73) == "SystemLogicalProcessorInformation");
  CHECK(system_information_class(103) == "SystemCodeIntegrityInformation");
  CHECK(system_information_class(107) == "SystemLogicalProcessorInformationEx");
  CHECK(system_information_class(134) == "SystemPolicyInformation");
  CHECK(system_information_class(4000) == "4000");
}

TEST_CASE("process_information_class") {
  CHECK(process_information_class(0) == "ProcessBasicInformation");
  CHECK(process_information_class(1) == "ProcessQuotaLimits");
  CHECK(process_information_class(2) == "ProcessIoCounters");
  CHECK(process_information_class(3) == "ProcessVmCounters");
  CHECK(process_information_class(4) == "ProcessTimes");
  CHECK(process_information_class(7) == "ProcessDebugPort");
  CHECK(process_information_class(26) == "ProcessWow64Information");
  CHECK(process_information_class(27) == "ProcessImageFileName");
  CHECK(process_information_class(29) == "ProcessBreakOnTermination");
  CHECK(process_information_class(30) == "ProcessDebugObjectHandle");
  CHECK(process_information_class(31) == "ProcessDebugFlags");
  CHECK(process_information_class(36) == "ProcessCookie");
  CHECK(process_information_class(37) == "ProcessImageInformation");
  CHECK(process_information_class(43) == "ProcessImageFileNameWin32");
  CHECK(process_information_class(52) == "ProcessMitigationPolicy");
  CHECK(process_information_class(500) == "500");
}

TEST_CASE("thread_information_class") {
  CHECK(thread_information_class(0) == "ThreadBasicInformation");
  CHECK(thread_information_class(1) == "ThreadTimes");
  CHECK(thread_information_class(2) == "ThreadPriority");
  CHECK(thread_information_class(9) == "ThreadQuerySetWin32StartAddress");
  CHECK(thread_information_class(12) == "ThreadAmILastThread");
  CHECK(thread_information_class(17) == "ThreadHideFromDebugger");
  CHECK(thread_information_class(38) == "ThreadNameInformation");
  CHECK(thread_information_class(1000) == "1000");
}

TEST_CASE("object_attributes_flags") {
  CHECK(object_attributes_flags(0x40) == "OBJ_CASE_INSENSITIVE");
  CHECK(object_attributes_flags(0x242) == "OBJ_INHERIT|OBJ_CASE_INSENSITIVE|OBJ_KERNEL_HANDLE");
  CHECK(object_attributes_flags(0x10 | 0x20 | 0x80 | 0x100) ==
        "OBJ_PERMANENT|OBJ_EXCLUSIVE|OBJ_OPENIF|OBJ_OPENLINK");
  CHECK(object_attributes_flags(0x1C00) ==
        "OBJ_FORCE_ACCESS_CHECK|OBJ_IGNORE_IMPERSONATED_DEVICEMAP|OBJ_DONT_REPARSE");
  CHECK(object_attributes_flags(0x2041) == "OBJ_CASE_INSENSITIVE|0x2001");
  CHECK(object_attributes_flags(0) == "0");
}

TEST_CASE("handle: NULL, pseudo-handles and hex") {
  CHECK(handle(0) == "NULL");
  CHECK(handle(0xFFFFFFFFFFFFFFFFull) == "NtCurrentProcess()");
  CHECK(handle(0xFFFFFFFFFFFFFFFEull) == "NtCurrentThread()");
  CHECK(handle(0x24) == "0x24");
  CHECK(handle(0xABCDEF0012ull) == "0xabcdef0012");
  CHECK(handle(0xFFFFFFFFFFFFFFFDull) == "0xfffffffffffffffd");
}

TEST_CASE("byte_offset") {
  CHECK(byte_offset(-2) == "FILE_USE_FILE_POINTER_POSITION");
  CHECK(byte_offset(-1) == "FILE_WRITE_TO_END_OF_FILE");
  CHECK(byte_offset(0) == "0");
  CHECK(byte_offset(4096) == "4096");
  CHECK(byte_offset(-3) == "-3");
  CHECK(byte_offset(std::numeric_limits<int64_t>::max()) == "9223372036854775807");
}

TEST_CASE("interval: relative durations in the best unit") {
  CHECK(interval(-10000000) == "-10000000 (1s)");
  CHECK(interval(-15000000) == "-15000000 (1.5s)");
  CHECK(interval(-5000) == "-5000 (500us)");
  CHECK(interval(-1) == "-1 (100ns)");
  CHECK(interval(-9) == "-9 (900ns)");
  CHECK(interval(-10) == "-10 (1us)");
  CHECK(interval(-15) == "-15 (1.5us)");
  CHECK(interval(-10000) == "-10000 (1ms)");
  CHECK(interval(-12345) == "-12345 (1.235ms)");  // rounded to 3 decimals, half up
  CHECK(interval(-600000000) == "-600000000 (60s)");
  CHECK(interval(-12345678) == "-12345678 (1.235s)");
  CHECK(interval(-10001) == "-10001 (1ms)");  // below the third decimal
}

TEST_CASE("interval: rounding carries into the next unit") {
  CHECK(interval(-9999999) == "-9999999 (1s)");
  CHECK(interval(-9995) == "-9995 (999.5us)");  // no carry: still short of 1ms
  CHECK(interval(-99999999) == "-99999999 (10s)");
}

TEST_CASE("interval: zero, absolute and extreme values") {
  CHECK(interval(0) == "0");
  CHECK(interval(132000000000000000) == "132000000000000000 (absolute)");
  CHECK(interval(1) == "1 (absolute)");
  CHECK(interval(std::numeric_limits<int64_t>::min()) ==
        "-9223372036854775808 (922337203685.478s)");
}

TEST_CASE("ntstatus: names from nt/status.h, else uppercase hex") {
  CHECK(ntstatus(0x00000000) == "STATUS_SUCCESS");
  CHECK(ntstatus(0x00000102) == "STATUS_TIMEOUT");
  CHECK(ntstatus(0xC0000034) == "STATUS_OBJECT_NAME_NOT_FOUND");
  CHECK(ntstatus(0x80000006) == "STATUS_NO_MORE_FILES");
  CHECK(ntstatus(0xC0DEC0DE) == "0xC0DEC0DE");
  CHECK(ntstatus(0x0000ABCD) == "0x0000ABCD");
}
