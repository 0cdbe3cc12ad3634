#include <cstring>
#include <vector>

#include "ireactor/process.h"
#include "ireactor/process/process_information.h"
#include "ireactor/process/process_object.h"
#include "ireactor/services/process_services.h"
#include "process/process_information_classes.h"
#include "system/info_output.h"

namespace ireactor {

namespace {

// NtQueryInformationProcess(ProcessDebugObjectHandle) of a process nobody debugs.
constexpr nt::NTSTATUS STATUS_PORT_NOT_SET = nt::status(0xC0000353);

// Classes PROCESS_QUERY_LIMITED_INFORMATION is enough for (PROCESS_QUERY_INFORMATION implies it).
constexpr nt::ACCESS_MASK kLimited =
    nt::PROCESS_QUERY_INFORMATION | nt::PROCESS_QUERY_LIMITED_INFORMATION;
constexpr nt::ACCESS_MASK kFull = nt::PROCESS_QUERY_INFORMATION;

// The process a handle names, which must be the one ntcore hosts, or with `children` also a
// child it started; any other process object is STATUS_INVALID_HANDLE.
nt::NTSTATUS reference_own_process(nt::HANDLE handle, nt::ACCESS_MASK any_of,
                                   std::shared_ptr<ProcessObject>& out, bool children = false) {
  HandleEntry e;
  Process& p = current_process();
  if (nt::NTSTATUS s = p.handles.get(handle, e); !nt::nt_success(s)) return s;
  if (e.object->type() != ObjectType::Process) return nt::STATUS_OBJECT_TYPE_MISMATCH;
  if ((e.access & any_of) == 0) return nt::STATUS_ACCESS_DENIED;
  out = std::static_pointer_cast<ProcessObject>(std::move(e.object));
  if (out != p.object && !(children && out->is_child())) return nt::STATUS_INVALID_HANDLE;
  return nt::STATUS_SUCCESS;
}

// A fixed-size class: the length is checked before the handle, as Windows does.
template <class T, class Fill>
nt::NTSTATUS query_fixed(nt::HANDLE handle, nt::ACCESS_MASK access, UserPtr<void> buffer,
                         nt::ULONG length, UserPtr<nt::ULONG> return_length, Fill fill) {
  if (length != sizeof(T)) return info_length_mismatch(return_length, sizeof(T));
  std::shared_ptr<ProcessObject> process;
  if (nt::NTSTATUS s = reference_own_process(handle, access, process); !nt::nt_success(s)) return s;
  T info = fill(*process);
  return return_info(buffer, &info, sizeof(T), return_length);
}

// A UNICODE_STRING followed by its characters and a terminator, Buffer pointing just past the
// structure: the whole answer must fit, else STATUS_INFO_LENGTH_MISMATCH with the size needed.
// The handle is checked first, since the size depends on the process.
nt::NTSTATUS query_image_file_name(nt::HANDLE handle, bool win32, UserPtr<void> buffer,
                                   nt::ULONG length, UserPtr<nt::ULONG> return_length) {
  std::shared_ptr<ProcessObject> process;
  if (nt::NTSTATUS s = reference_own_process(handle, kLimited, process); !nt::nt_success(s))
    return s;
  std::u16string name = process_image_file_name(current_process(), win32);
  if (name.size() > 0x7ffe) name.resize(0x7ffe);  // UNICODE_STRING lengths are 16-bit bytes
  auto bytes = static_cast<nt::USHORT>(name.size() * sizeof(char16_t));
  nt::ULONG needed = sizeof(nt::UNICODE_STRING) + bytes + sizeof(char16_t);
  if (length < needed) return info_length_mismatch(return_length, needed);

  std::vector<uint8_t> out(needed, 0);
  nt::UNICODE_STRING us{};
  us.Length = bytes;
  us.MaximumLength = static_cast<nt::USHORT>(bytes + sizeof(char16_t));
  us.Buffer = buffer.addr() + sizeof(nt::UNICODE_STRING);
  std::memcpy(out.data(), &us, sizeof(us));
  std::memcpy(out.data() + sizeof(us), name.data(), bytes);
  return return_info(buffer, out.data(), needed, return_length);
}

}  // namespace

nt::NTSTATUS NtQueryInformationProcess(nt::HANDLE ProcessHandle, nt::ULONG ProcessInformationClass,
                                       UserPtr<void> ProcessInformation,
                                       nt::ULONG ProcessInformationLength,
                                       UserPtr<nt::ULONG> ReturnLength) {
  if (nt::NTSTATUS s = probe_info_output(ProcessInformation.addr(), ProcessInformationLength,
                                         sizeof(nt::ULONG), ReturnLength);
      !nt::nt_success(s))
    return s;
  const nt::HANDLE h = ProcessHandle;
  const UserPtr<void> buf = ProcessInformation;
  const nt::ULONG len = ProcessInformationLength;
  const UserPtr<nt::ULONG> rl = ReturnLength;
  switch (ProcessInformationClass) {
    case nt::ProcessBasicInformation: {
      // The one class a child answers too: its id and exit status (GetExitCodeProcess).
      if (len != sizeof(nt::PROCESS_BASIC_INFORMATION))
        return info_length_mismatch(rl, sizeof(nt::PROCESS_BASIC_INFORMATION));
      std::shared_ptr<ProcessObject> process;
      if (nt::NTSTATUS s = reference_own_process(h, kLimited, process, true); !nt::nt_success(s))
        return s;
      const nt::PROCESS_BASIC_INFORMATION info =
          process->is_child() ? child_basic_information(current_process(), *process)
                              : process_basic_information(current_process(), *process);
      return return_info(buf, &info, sizeof info, rl);
    }
    case nt::ProcessTimes:
      return query_fixed<nt::KERNEL_USER_TIMES>(
          h, kLimited, buf, len, rl, [](const ProcessObject&) { return process_times(); });
    case nt::ProcessDebugPort:  // no debugger attaches to ntcore processes (yet)
      return query_fixed<nt::ULONG_PTR>(h, kFull, buf, len, rl,
                                        [](const ProcessObject&) { return nt::ULONG_PTR{0}; });
    case nt::ProcessHandleCount:
      return query_fixed<nt::ULONG>(h, kLimited, buf, len, rl, [](const ProcessObject&) {
        return static_cast<nt::ULONG>(current_process().handles.count());
      });
    case nt::ProcessSessionInformation:
      return query_fixed<nt::PROCESS_SESSION_INFORMATION>(
          h, kLimited, buf, len, rl, [](const ProcessObject&) {
            return nt::PROCESS_SESSION_INFORMATION{nt::kInteractiveSessionId};
          });
    case nt::ProcessWow64Information:  // a native 64-bit process: no WOW64 PEB
      return query_fixed<nt::ULONG_PTR>(h, kLimited, buf, len, rl,
                                        [](const ProcessObject&) { return nt::ULONG_PTR{0}; });
    case nt::ProcessDebugFlags:  // 1: not being debugged (NoDebugInherit clear)
      return query_fixed<nt::ULONG>(h, kFull, buf, len, rl,
                                    [](const ProcessObject&) { return nt::ULONG{1}; });
    case nt::ProcessCookie:
      return query_fixed<nt::ULONG>(h, kLimited, buf, len, rl,
                                    [](const ProcessObject&) { return process_cookie(); });
    case nt::ProcessDebugObjectHandle: {
      nt::NTSTATUS s = query_fixed<nt::HANDLE>(h, kFull, buf, len, rl,
                                               [](const ProcessObject&) { return nt::HANDLE{0}; });
      return nt::nt_success(s) ? STATUS_PORT_NOT_SET : s;
    }
    case nt::ProcessImageFileName:
      return query_image_file_name(h, false, buf, len, rl);
    case nt::ProcessImageFileNameWin32:
      return query_image_file_name(h, true, buf, len, rl);
    default:
      return nt::STATUS_INVALID_INFO_CLASS;
  }
}

}  // namespace ireactor
