// The argument tables of the services ntcore implements (their declarations are in
// ntcore/include/ireactor/services/*.h; tests/unit/test_nt_signatures.cpp checks the two agree).
#include "nt_signatures.h"

#include <algorithm>

namespace ireactor::ntdecode {
namespace {

using enum Fmt;
constexpr Show kHidden = Show::Hidden;
constexpr Show kResult = Show::Result;

// The arguments of asynchronous I/O that synchronous callers leave NULL.
const ArgSpec apc_routine{"ApcRoutine", Ptr, kHidden};
const ArgSpec apc_context{"ApcContext", Ptr, kHidden};
const ArgSpec io_status{"IoStatusBlock", IoStatus, kResult, "n"};
// NtReadFile and NtWriteFile take the same arguments.
const std::vector<ArgSpec> read_write_args = {{"FileHandle", Handle},
                                              {"Event", Handle, kHidden},
                                              apc_routine,
                                              apc_context,
                                              io_status,
                                              {"Buffer", Ptr},
                                              {"Length", Dec},
                                              {"ByteOffset", InByteOffset},
                                              {"Key", Ptr, kHidden}};

std::vector<Signature> build_signatures() {
  std::vector<Signature> v = {
      {"NtClose", {{"Handle", Handle}}},
      {"NtCreateFile",
       {{"FileHandle", OutHandle, kResult, "h"},
        {"DesiredAccess", AccessFile},
        {"ObjectAttributes", ObjectAttributes},
        io_status,
        {"AllocationSize", InU64, kHidden},
        {"FileAttributes", FileAttributes, kHidden},
        {"ShareAccess", ShareAccess},
        {"CreateDisposition", CreateDisposition},
        {"CreateOptions", CreateOptions},
        {"EaBuffer", Ptr, kHidden},
        {"EaLength", Dec, kHidden}}},
      {"NtOpenFile",
       {{"FileHandle", OutHandle, kResult, "h"},
        {"DesiredAccess", AccessFile},
        {"ObjectAttributes", ObjectAttributes},
        io_status,
        {"ShareAccess", ShareAccess},
        {"OpenOptions", CreateOptions}}},
      {"NtReadFile", read_write_args},
      {"NtWriteFile", read_write_args},
      {"NtQueryInformationFile",
       {{"FileHandle", Handle},
        io_status,
        {"FileInformation", Ptr, kHidden},
        {"Length", Dec},
        {"FileInformationClass", FileInfoClass}}},
      {"NtSetInformationFile",
       {{"FileHandle", Handle},
        io_status,
        {"FileInformation", FileInfoName},
        {"Length", Dec},
        {"FileInformationClass", FileInfoClass}},
       false,
       0,
       4},
      {"NtQueryDirectoryFile",
       {{"FileHandle", Handle},
        {"Event", Handle, kHidden},
        apc_routine,
        apc_context,
        io_status,
        {"FileInformation", Ptr, kHidden},
        {"Length", Dec},
        {"FileInformationClass", FileInfoClass},
        {"ReturnSingleEntry", Bool},
        {"FileName", UnicodeString},
        {"RestartScan", Bool}}},
      {"NtQueryAttributesFile",
       {{"ObjectAttributes", ObjectAttributes}, {"FileInformation", Ptr, kHidden}}},
      {"NtQueryFullAttributesFile",
       {{"ObjectAttributes", ObjectAttributes}, {"FileInformation", Ptr, kHidden}}},
      {"NtDeleteFile", {{"ObjectAttributes", ObjectAttributes}}},
      {"NtFlushBuffersFile", {{"FileHandle", Handle}, io_status}},
      {"NtQueryVolumeInformationFile",
       {{"FileHandle", Handle},
        io_status,
        {"FsInformation", Ptr, kHidden},
        {"Length", Dec},
        {"FsInformationClass", FsInfoClass}}},
      {"NtCreateUserProcess",
       {{"ProcessHandle", OutHandle, kResult, "process"},
        {"ThreadHandle", OutHandle, kResult, "thread"},
        {"ProcessDesiredAccess", Hex, kHidden},
        {"ThreadDesiredAccess", Hex, kHidden},
        {"ProcessObjectAttributes", Ptr, kHidden},
        {"ThreadObjectAttributes", Ptr, kHidden},
        {"ProcessFlags", Hex},
        {"ThreadFlags", Hex},
        {"ProcessParameters", Ptr},
        {"CreateInfo", Ptr, kHidden},
        {"AttributeList", Ptr, kHidden}}},
      {"NtDeviceIoControlFile",
       {{"FileHandle", Handle},
        {"Event", Handle, kHidden},
        apc_routine,
        apc_context,
        io_status,
        {"IoControlCode", Hex},
        {"InputBuffer", Ptr, kHidden},
        {"InputBufferLength", Dec},
        {"OutputBuffer", Ptr, kHidden},
        {"OutputBufferLength", Dec}}},
      {"NtAllocateVirtualMemory",
       {{"ProcessHandle", Handle},
        {"BaseAddress", InOutAddress, Show::Inline, "base"},
        {"ZeroBits", Hex, kHidden},
        {"RegionSize", InOutSize, Show::Inline, "size"},
        {"AllocationType", AllocationType},
        {"Protect", Protection}}},
      {"NtFreeVirtualMemory",
       {{"ProcessHandle", Handle},
        {"BaseAddress", InOutAddress, Show::Inline, "base"},
        {"RegionSize", InOutSize, Show::Inline, "size"},
        {"FreeType", FreeType}}},
      {"NtProtectVirtualMemory",
       {{"ProcessHandle", Handle},
        {"BaseAddress", InOutAddress, Show::Inline, "base"},
        {"RegionSize", InOutSize, Show::Inline, "size"},
        {"NewProtect", Protection},
        {"OldProtect", OutU32, kResult, "old"}}},
      {"NtQueryVirtualMemory",
       {{"ProcessHandle", Handle},
        {"BaseAddress", Ptr},
        {"MemoryInformationClass", MemoryInfoClass},
        {"MemoryInformation", Ptr, kHidden},
        {"Length", DecSize},
        {"ReturnLength", OutU64, kResult, "len"}}},
      {"NtCreateEvent",
       {{"EventHandle", OutHandle, kResult, "h"},
        {"DesiredAccess", AccessEvent},
        {"ObjectAttributes", ObjectAttributes},
        {"EventType", EventType},
        {"InitialState", Bool}}},
      {"NtSetEvent", {{"EventHandle", Handle}, {"PreviousState", OutU32, kResult, "prev"}}},
      {"NtResetEvent", {{"EventHandle", Handle}, {"PreviousState", OutU32, kResult, "prev"}}},
      {"NtWaitForSingleObject", {{"Handle", Handle}, {"Alertable", Bool}, {"Timeout", InInterval}}},
      {"NtWaitForMultipleObjects",
       {{"Count", Dec},
        {"Handles", Handles},
        {"WaitType", WaitType},
        {"Alertable", Bool},
        {"Timeout", InInterval}},
       false,
       0},
      {"NtDelayExecution", {{"Alertable", Bool}, {"DelayInterval", InInterval}}},
      {"NtYieldExecution", {}},
      {"NtCreateMutant",
       {{"MutantHandle", OutHandle, kResult, "h"},
        {"DesiredAccess", AccessGeneric},
        {"ObjectAttributes", ObjectAttributes},
        {"InitialOwner", Bool}}},
      {"NtOpenMutant",
       {{"MutantHandle", OutHandle, kResult, "h"},
        {"DesiredAccess", AccessGeneric},
        {"ObjectAttributes", ObjectAttributes}}},
      {"NtReleaseMutant", {{"MutantHandle", Handle}, {"PreviousCount", OutU32, kResult, "prev"}}},
      {"NtQueryMutant",
       {{"MutantHandle", Handle},
        {"MutantInformationClass", Dec},
        {"MutantInformation", Ptr, kHidden},
        {"MutantInformationLength", Dec},
        {"ReturnLength", OutU32, kResult, "len"}}},
      {"NtCreateSemaphore",
       {{"SemaphoreHandle", OutHandle, kResult, "h"},
        {"DesiredAccess", AccessGeneric},
        {"ObjectAttributes", ObjectAttributes},
        {"InitialCount", Dec},
        {"MaximumCount", Dec}}},
      {"NtOpenSemaphore",
       {{"SemaphoreHandle", OutHandle, kResult, "h"},
        {"DesiredAccess", AccessGeneric},
        {"ObjectAttributes", ObjectAttributes}}},
      {"NtReleaseSemaphore",
       {{"SemaphoreHandle", Handle},
        {"ReleaseCount", Dec},
        {"PreviousCount", OutU32, kResult, "prev"}}},
      {"NtQuerySemaphore",
       {{"SemaphoreHandle", Handle},
        {"SemaphoreInformationClass", Dec},
        {"SemaphoreInformation", Ptr, kHidden},
        {"SemaphoreInformationLength", Dec},
        {"ReturnLength", OutU32, kResult, "len"}}},
      {"NtDuplicateObject",
       {{"SourceProcessHandle", Handle, kHidden},
        {"SourceHandle", Handle},
        {"TargetProcessHandle", Handle, kHidden},
        {"TargetHandle", OutHandle, kResult, "h"},
        {"DesiredAccess", AccessGeneric},
        {"HandleAttributes", Hex},
        {"Options", Hex}}},
      {"NtQueryObject",
       {{"Handle", Handle},
        {"ObjectInformationClass", Dec},
        {"ObjectInformation", Ptr, kHidden},
        {"ObjectInformationLength", Dec},
        {"ReturnLength", OutU32, kResult, "len"}}},
      {"NtQueryPerformanceCounter",
       {{"PerformanceCounter", OutU64, kResult, "counter"},
        {"PerformanceFrequency", OutU64, kResult, "frequency"}}},
      {"NtQuerySystemTime", {{"SystemTime", OutU64, kResult, "time"}}},
      {"NtQuerySystemInformation",
       {{"SystemInformationClass", SystemInfoClass},
        {"SystemInformation", Ptr, kHidden},
        {"SystemInformationLength", Dec},
        {"ReturnLength", OutU32, kResult, "len"}}},
      {"NtQueryInformationProcess",
       {{"ProcessHandle", Handle},
        {"ProcessInformationClass", ProcessInfoClass},
        {"ProcessInformation", Ptr, kHidden},
        {"ProcessInformationLength", Dec},
        {"ReturnLength", OutU32, kResult, "len"}}},
      {"NtTerminateProcess", {{"ProcessHandle", Handle}, {"ExitStatus", Status}}, true},
      // Threads.
      {"NtCreateThreadEx",
       {{"ThreadHandle", OutHandle, kResult, "h"},
        {"DesiredAccess", AccessGeneric},
        {"ObjectAttributes", ObjectAttributes},
        {"ProcessHandle", Handle},
        {"StartRoutine", Ptr},
        {"Argument", Ptr},
        {"CreateFlags", Hex},
        {"ZeroBits", DecSize, kHidden},
        {"StackSize", DecSize},
        {"MaximumStackSize", DecSize},
        {"AttributeList", Ptr, kHidden}}},
      {"NtTerminateThread", {{"ThreadHandle", Handle}, {"ExitStatus", Status}}, true},
      {"NtSuspendThread",
       {{"ThreadHandle", Handle}, {"PreviousSuspendCount", OutU32, kResult, "prev"}}},
      {"NtResumeThread",
       {{"ThreadHandle", Handle}, {"PreviousSuspendCount", OutU32, kResult, "prev"}}},
      {"NtQueryInformationThread",
       {{"ThreadHandle", Handle},
        {"ThreadInformationClass", Dec},
        {"ThreadInformation", Ptr, kHidden},
        {"ThreadInformationLength", Dec},
        {"ReturnLength", OutU32, kResult, "len"}}},
      {"NtSetInformationThread",
       {{"ThreadHandle", Handle},
        {"ThreadInformationClass", Dec},
        {"ThreadInformation", Ptr, kHidden},
        {"ThreadInformationLength", Dec}}},
      {"NtGetCurrentProcessorNumber", {}},
      {"NtGetCurrentProcessorNumberEx", {{"ProcessorNumber", Ptr}}},
      {"NtWaitForAlertByThreadId", {{"Address", Ptr}, {"Timeout", InInterval}}},
      {"NtAlertThreadByThreadId", {{"ThreadId", Dec}}},
      // Exceptions: both resume Windows code elsewhere instead of returning.
      {"NtContinue", {{"Context", Ptr}, {"TestAlert", Bool}}, true},
      {"NtRaiseException",
       {{"ExceptionRecord", Ptr}, {"Context", Ptr}, {"FirstChance", Bool}},
       true},
      // NLS.
      {"NtGetNlsSectionPtr",
       {{"SectionType", Dec},
        {"SectionData", Dec},
        {"ContextData", Ptr, kHidden},
        {"SectionPointer", OutU64, kResult, "ptr"},
        {"SectionSize", OutU64, kResult, "size"}}},
      {"NtInitializeNlsFiles",
       {{"BaseAddress", OutU64, kResult, "base"},
        {"DefaultLocaleId", OutU32, kResult, "lcid"},
        {"DefaultCasingTableSize", OutU64, kResult, "size"}}},
      {"NtQueryDefaultLocale",
       {{"UserProfile", Bool}, {"DefaultLocaleId", OutU32, kResult, "lcid"}}},
      {"NtSetDefaultLocale", {{"UserProfile", Bool}, {"DefaultLocaleId", Hex}}},
      {"NtQueryInstallUILanguage", {{"InstallUILanguageId", Ptr}}},
      {"NtQueryDefaultUILanguage", {{"DefaultUILanguageId", Ptr}}},
      {"NtSetDefaultUILanguage", {{"DefaultUILanguageId", Hex}}},
      // The registry (one string per call is captured: the key path or the value name).
      {"NtCreateKey",
       {{"KeyHandle", OutHandle, kResult, "h"},
        {"DesiredAccess", AccessGeneric},
        {"ObjectAttributes", ObjectAttributes},
        {"TitleIndex", Dec, kHidden},
        {"Class", Ptr, kHidden},
        {"CreateOptions", Hex},
        {"Disposition", OutU32, kResult, "disposition"}}},
      {"NtOpenKey",
       {{"KeyHandle", OutHandle, kResult, "h"},
        {"DesiredAccess", AccessGeneric},
        {"ObjectAttributes", ObjectAttributes}}},
      {"NtOpenKeyEx",
       {{"KeyHandle", OutHandle, kResult, "h"},
        {"DesiredAccess", AccessGeneric},
        {"ObjectAttributes", ObjectAttributes},
        {"OpenOptions", Hex}}},
      {"NtDeleteKey", {{"KeyHandle", Handle}}},
      {"NtFlushKey", {{"KeyHandle", Handle}}},
      {"NtRenameKey", {{"KeyHandle", Handle}, {"NewName", UnicodeString}}},
      {"NtDeleteValueKey", {{"KeyHandle", Handle}, {"ValueName", UnicodeString}}},
      {"NtQueryKey",
       {{"KeyHandle", Handle},
        {"KeyInformationClass", Dec},
        {"KeyInformation", Ptr, kHidden},
        {"Length", Dec},
        {"ResultLength", OutU32, kResult, "len"}}},
      {"NtEnumerateKey",
       {{"KeyHandle", Handle},
        {"Index", Dec},
        {"KeyInformationClass", Dec},
        {"KeyInformation", Ptr, kHidden},
        {"Length", Dec},
        {"ResultLength", OutU32, kResult, "len"}}},
      {"NtEnumerateValueKey",
       {{"KeyHandle", Handle},
        {"Index", Dec},
        {"KeyValueInformationClass", Dec},
        {"KeyValueInformation", Ptr, kHidden},
        {"Length", Dec},
        {"ResultLength", OutU32, kResult, "len"}}},
      {"NtQueryValueKey",
       {{"KeyHandle", Handle},
        {"ValueName", UnicodeString},
        {"KeyValueInformationClass", Dec},
        {"KeyValueInformation", Ptr, kHidden},
        {"Length", Dec},
        {"ResultLength", OutU32, kResult, "len"}}},
      {"NtSetValueKey",
       {{"KeyHandle", Handle},
        {"ValueName", UnicodeString},
        {"TitleIndex", Dec, kHidden},
        {"Type", Dec},
        {"Data", Ptr, kHidden},
        {"DataSize", Dec}}},
      {"NtSetInformationKey",
       {{"KeyHandle", Handle},
        {"KeySetInformationClass", Dec},
        {"KeySetInformation", Ptr, kHidden},
        {"KeySetInformationLength", Dec}}},
      {"NtNotifyChangeKey",
       {{"KeyHandle", Handle},
        {"Event", Handle},
        {"ApcRoutine", Ptr, kHidden},
        {"ApcContext", Ptr, kHidden},
        io_status,
        {"CompletionFilter", Hex},
        {"WatchTree", Bool},
        {"Buffer", Ptr, kHidden},
        {"BufferSize", Dec},
        {"Asynchronous", Bool}}},
      {"NtNotifyChangeMultipleKeys",
       {{"MasterKeyHandle", Handle},
        {"Count", Dec},
        {"SubordinateObjects", Ptr, kHidden},
        {"Event", Handle},
        {"ApcRoutine", Ptr, kHidden},
        {"ApcContext", Ptr, kHidden},
        io_status,
        {"CompletionFilter", Hex},
        {"WatchTree", Bool},
        {"Buffer", Ptr, kHidden},
        {"BufferSize", Dec},
        {"Asynchronous", Bool}}},
  };
  std::sort(v.begin(), v.end(),
            [](const Signature& a, const Signature& b) { return a.service < b.service; });
  return v;
}

}  // namespace

std::span<const Signature> signatures() {
  static const std::vector<Signature> table = build_signatures();
  return table;
}

const Signature* find_signature(std::string_view service) {
  auto table = signatures();
  auto it = std::lower_bound(table.begin(), table.end(), service,
                             [](const Signature& s, std::string_view n) { return s.service < n; });
  return it != table.end() && it->service == service ? &*it : nullptr;
}

ir_trace_capture capture_of(Fmt fmt) {
  switch (fmt) {
    case OutHandle:
    case OutU64:
      return IR_CAP_OUT_U64;
    case OutU32:
      return IR_CAP_OUT_U32;
    case InOutAddress:
    case InOutSize:
      return IR_CAP_INOUT_U64;
    case InInterval:
    case InByteOffset:
    case InU64:
      return IR_CAP_IN_U64;
    case ObjectAttributes:
      return IR_CAP_OBJATTR;
    case UnicodeString:
      return IR_CAP_USTRING;
    case IoStatus:
      return IR_CAP_IOSB;
    case Handles:
      return IR_CAP_HANDLES;
    case FileInfoName:
      return IR_CAP_FILE_INFO_NAME;
    default:
      return IR_CAP_VALUE;
  }
}

ir_trace_spec capture_spec(const Signature& sig) {
  ir_trace_spec spec{};
  spec.nargs = static_cast<uint8_t>(std::min<size_t>(sig.args.size(), IR_TRACE_MAX_ARGS));
  spec.flags = IR_SPEC_KNOWN | (sig.may_not_return ? IR_SPEC_NORETURN : 0);
  spec.list_count_arg = sig.list_count_arg;
  spec.class_arg = sig.class_arg;
  for (size_t i = 0; i < spec.nargs; ++i) spec.capture[i] = capture_of(sig.args[i].fmt);
  return spec;
}

}  // namespace ireactor::ntdecode
