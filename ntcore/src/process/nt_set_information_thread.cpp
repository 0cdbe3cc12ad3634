// NtSetInformationThread: the classes Windows programs and kernelbase set on their own threads.
// No debugger attaches and Linux scheduling is left alone, so hiding from the debugger and the
// priorities are recorded (and reported back) rather than acted on.
#include <string>

#include "ireactor/process.h"
#include "ireactor/process/process_information.h"
#include "ireactor/process/thread_information.h"
#include "ireactor/process/windows_threads.h"
#include "ireactor/services/process_services.h"
#include "ireactor/user_memory.h"
#include "ireactor/win/teb.h"
#include "process/thread_handle.h"

namespace ireactor {

namespace {

constexpr nt::ACCESS_MASK kSetFull = nt::THREAD_SET_INFORMATION;
constexpr nt::ACCESS_MASK kSetLimited =
    nt::THREAD_SET_INFORMATION | nt::THREAD_SET_LIMITED_INFORMATION;

// TLS_MINIMUM_AVAILABLE slots in the TEB, then TLS_EXPANSION_SLOTS behind TlsExpansionSlots.
constexpr uint32_t kTlsSlots = 64;
constexpr uint32_t kTlsExpansionSlots = 1024;
constexpr uint64_t kTebTlsExpansionSlots = 0x1780;

template <class T>
nt::NTSTATUS read_fixed(UserPtr<void> buffer, nt::ULONG length, T& out) {
  if (length != sizeof(T)) return nt::STATUS_INFO_LENGTH_MISMATCH;
  if (!copy_from_user(&out, buffer.addr(), sizeof(T))) return nt::STATUS_ACCESS_VIOLATION;
  return nt::STATUS_SUCCESS;
}

// Clears TLS slot `index` in every thread (TlsFree's part: a slot handed out again starts at
// NULL everywhere).
nt::NTSTATUS zero_tls_cell(nt::ULONG index) {
  if (index >= kTlsSlots + kTlsExpansionSlots) return nt::STATUS_INVALID_PARAMETER;
  for_each_windows_thread_teb([index](uint64_t teb) {
    const uint64_t zero = 0;
    if (index < kTlsSlots) {
      copy_to_user(teb + offsetof(win::TEB, TlsSlots) + index * sizeof(uint64_t), &zero,
                   sizeof zero);
      return;
    }
    uint64_t expansion = 0;
    if (copy_from_user(&expansion, teb + kTebTlsExpansionSlots, sizeof expansion) && expansion)
      copy_to_user(expansion + (index - kTlsSlots) * sizeof(uint64_t), &zero, sizeof zero);
  });
  return nt::STATUS_SUCCESS;
}

bool valid_base_priority(nt::LONG p) {
  return (p >= -2 && p <= 2) || p == nt::kThreadPriorityIdle ||
         p == nt::kThreadPriorityTimeCritical;
}

}  // namespace

nt::NTSTATUS NtSetInformationThread(nt::HANDLE ThreadHandle, nt::ULONG ThreadInformationClass,
                                    UserPtr<void> ThreadInformation,
                                    nt::ULONG ThreadInformationLength) {
  const UserPtr<void> buf = ThreadInformation;
  const nt::ULONG len = ThreadInformationLength;
  std::shared_ptr<ThreadObject> thread;
  auto reference = [&](nt::ACCESS_MASK access) {
    return reference_thread(ThreadHandle, access, thread);
  };
  switch (ThreadInformationClass) {
    case nt::ThreadHideFromDebugger: {
      if (len != 0) return nt::STATUS_INFO_LENGTH_MISMATCH;
      if (nt::NTSTATUS s = reference(kSetFull); !nt::nt_success(s)) return s;
      thread->hidden_from_debugger = true;
      return nt::STATUS_SUCCESS;
    }
    case nt::ThreadZeroTlsCell: {
      nt::ULONG index = 0;
      if (nt::NTSTATUS s = read_fixed(buf, len, index); !nt::nt_success(s)) return s;
      if (nt::NTSTATUS s = reference(kSetFull); !nt::nt_success(s)) return s;
      return zero_tls_cell(index);
    }
    case nt::ThreadBasePriority: {
      nt::LONG priority = 0;
      if (nt::NTSTATUS s = read_fixed(buf, len, priority); !nt::nt_success(s)) return s;
      if (nt::NTSTATUS s = reference(kSetLimited); !nt::nt_success(s)) return s;
      if (!valid_base_priority(priority)) return nt::STATUS_INVALID_PARAMETER;
      thread->base_priority = priority;
      return nt::STATUS_SUCCESS;
    }
    case nt::ThreadPriority: {  // an absolute priority, 1..31
      nt::KPRIORITY priority = 0;
      if (nt::NTSTATUS s = read_fixed(buf, len, priority); !nt::nt_success(s)) return s;
      if (nt::NTSTATUS s = reference(kSetFull); !nt::nt_success(s)) return s;
      if (priority < 1 || priority > 31) return nt::STATUS_INVALID_PARAMETER;
      thread->base_priority = priority - nt::kNormalBasePriority;
      return nt::STATUS_SUCCESS;
    }
    case nt::ThreadQuerySetWin32StartAddress: {
      uint64_t address = 0;
      if (nt::NTSTATUS s = read_fixed(buf, len, address); !nt::nt_success(s)) return s;
      if (nt::NTSTATUS s = reference(kSetFull); !nt::nt_success(s)) return s;
      thread->start_address = address;
      return nt::STATUS_SUCCESS;
    }
    case nt::ThreadNameInformation: {  // THREAD_NAME_INFORMATION: one UNICODE_STRING
      nt::UNICODE_STRING name;
      if (nt::NTSTATUS s = read_fixed(buf, len, name); !nt::nt_success(s)) return s;
      if (nt::NTSTATUS s = reference(kSetLimited); !nt::nt_success(s)) return s;
      if (name.Length % sizeof(char16_t) != 0 || name.Length > name.MaximumLength ||
          (name.Length && !name.Buffer))
        return nt::STATUS_INVALID_PARAMETER;
      std::u16string text(name.Length / sizeof(char16_t), u'\0');
      if (!copy_from_user(text.data(), name.Buffer, name.Length))
        return nt::STATUS_ACCESS_VIOLATION;
      thread->set_description(std::move(text));
      return nt::STATUS_SUCCESS;
    }
    default:
      return nt::STATUS_INVALID_INFO_CLASS;
  }
}

}  // namespace ireactor
