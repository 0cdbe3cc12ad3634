// NtNotifyChangeKey and NtNotifyChangeMultipleKeys: registrations are accepted and never fire.
// Nothing else writes a process's registry while it runs (each process has its own tree, loaded
// at start), so the changes a program could wait for are its own. A synchronous call would wait
// forever; it is refused instead of hanging the thread.
#include "ireactor/services/registry_services.h"
#include "registry/registry_key.h"

namespace ireactor {

using namespace registry;

nt::NTSTATUS NtNotifyChangeKey(nt::HANDLE KeyHandle, nt::HANDLE Event, UserPtr<void> ApcRoutine,
                               UserPtr<void> ApcContext, UserPtr<nt::IO_STATUS_BLOCK> IoStatusBlock,
                               nt::ULONG CompletionFilter, nt::BOOLEAN WatchTree,
                               UserPtr<void> Buffer, nt::ULONG BufferSize,
                               nt::BOOLEAN Asynchronous) {
  return NtNotifyChangeMultipleKeys(KeyHandle, 0, UserPtr<nt::OBJECT_ATTRIBUTES>(), Event,
                                    ApcRoutine, ApcContext, IoStatusBlock, CompletionFilter,
                                    WatchTree, Buffer, BufferSize, Asynchronous);
}

nt::NTSTATUS NtNotifyChangeMultipleKeys(
    nt::HANDLE MasterKeyHandle, nt::ULONG Count, UserPtr<nt::OBJECT_ATTRIBUTES> SubordinateObjects,
    nt::HANDLE Event, UserPtr<void> ApcRoutine, UserPtr<void> ApcContext,
    UserPtr<nt::IO_STATUS_BLOCK> IoStatusBlock, nt::ULONG CompletionFilter, nt::BOOLEAN WatchTree,
    UserPtr<void> Buffer, nt::ULONG BufferSize, nt::BOOLEAN Asynchronous) {
  constexpr nt::ULONG kValidFilter = 0xF;  // REG_NOTIFY_CHANGE_NAME ... _SECURITY
  std::shared_ptr<Key> key;
  if (nt::NTSTATUS s = reference_key(MasterKeyHandle, KEY_NOTIFY, key); !nt::nt_success(s))
    return s;
  if (Count > 1) return nt::STATUS_INVALID_PARAMETER;
  if (CompletionFilter & ~(kValidFilter | 0x10000000 /* REG_NOTIFY_THREAD_AGNOSTIC */))
    return nt::STATUS_INVALID_PARAMETER;
  if (!Asynchronous) return nt::STATUS_NOT_IMPLEMENTED;
  return nt::STATUS_PENDING;
}

}  // namespace ireactor
