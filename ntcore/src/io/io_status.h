// Small pieces shared by the I/O services: writing the IO_STATUS_BLOCK, the optional
// completion event of reads, writes and directory queries.
#pragma once

#include <memory>

#include "ireactor/nt/status.h"
#include "ireactor/process.h"
#include "ireactor/sync/event_object.h"
#include "ireactor/user_memory.h"

namespace ireactor::io {

inline constexpr nt::ACCESS_MASK kEventModifyState = 0x0002;  // EVENT_MODIFY_STATE

inline bool write_io_status(UserPtr<nt::IO_STATUS_BLOCK> iosb, nt::NTSTATUS status,
                            nt::ULONG_PTR information) {
  nt::IO_STATUS_BLOCK b{};
  b.Status = status;
  b.Information = information;
  return iosb.write(b);
}

// The Event argument of an I/O request: referenced with EVENT_MODIFY_STATE, reset when the
// request starts and set when it completes, as the I/O manager does.
class CompletionEvent {
 public:
  nt::NTSTATUS reference(nt::HANDLE h) {
    if (!h) return nt::STATUS_SUCCESS;
    return current_process().handles.reference<EventObject>(h, kEventModifyState, event_);
  }
  void start() {
    if (event_) event_->reset();
  }
  void complete() {
    if (event_) event_->set();
  }

 private:
  std::shared_ptr<EventObject> event_;
};

}  // namespace ireactor::io
