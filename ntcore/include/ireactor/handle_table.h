// The process handle table: HANDLE values (multiples of 4, as Windows hands them out) to
// referenced objects with the access granted when the handle was made.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "ireactor/nt/status.h"
#include "ireactor/object.h"

namespace ireactor {

struct HandleEntry {
  std::shared_ptr<Object> object;
  nt::ACCESS_MASK access = 0;
  uint32_t attributes = 0;  // OBJ_INHERIT...
};

// Something outside the table that must see every handle as it is made and closed: the kmod
// entry's handle mirror (loader/entry/kmod_entry.cpp), which lets the kernel turn a file handle
// into its Linux fd, and the fast gate's file slots (io/fast_file_io.cpp). Called with the
// table locked, so calls for one index come in order; `closed` returns only when the observer
// no longer uses what it derived from the handle.
class HandleObserver {
 public:
  virtual ~HandleObserver() = default;
  virtual void published(uint32_t index, const HandleEntry& entry) = 0;
  virtual void closed(uint32_t index) = 0;
};

class HandleTable {
 public:
  // Objects the pseudo-handles NtCurrentProcess() (-1) and NtCurrentThread() (-2) stand for.
  void set_current_process(std::shared_ptr<Object> p) { current_process_ = std::move(p); }
  // The current thread is per thread; the resolver returns it for the calling thread.
  void set_current_thread_resolver(std::shared_ptr<Object> (*resolver)()) {
    current_thread_ = resolver;
  }

  // STATUS_INSUFFICIENT_RESOURCES when the table is full.
  nt::NTSTATUS insert(std::shared_ptr<Object> obj, nt::ACCESS_MASK access, uint32_t attributes,
                      nt::HANDLE& out);
  // STATUS_INVALID_HANDLE for values that name nothing (the low two tag bits are ignored).
  nt::NTSTATUS get(nt::HANDLE h, HandleEntry& out) const;
  // Like get, then STATUS_OBJECT_TYPE_MISMATCH when the object is not a T and
  // STATUS_ACCESS_DENIED when the handle lacks any of `desired`. T names its type as
  // `static constexpr ObjectType kType`.
  template <class T>
  nt::NTSTATUS reference(nt::HANDLE h, nt::ACCESS_MASK desired, std::shared_ptr<T>& out) const {
    HandleEntry e;
    if (nt::NTSTATUS s = get(h, e); !nt::nt_success(s)) return s;
    if (e.object->type() != T::kType) return nt::STATUS_OBJECT_TYPE_MISMATCH;
    if ((e.access & desired) != desired) return nt::STATUS_ACCESS_DENIED;
    out = std::static_pointer_cast<T>(std::move(e.object));
    return nt::STATUS_SUCCESS;
  }
  // STATUS_INVALID_HANDLE when h is not open. Pseudo-handles close successfully as a no-op.
  nt::NTSTATUS close(nt::HANDLE h);
  size_t count() const;

  // Reports every open handle to `observer` now and every later change, until it is removed.
  void add_observer(HandleObserver* observer);
  void remove_observer(HandleObserver* observer);
  // Reports again the handles whose object `which` accepts: what the observer derives from
  // those objects has changed.
  void republish(const std::function<bool(const Object&)>& which);

 private:
  mutable std::shared_mutex mutex_;
  std::vector<HandleEntry> entries_;  // index = handle >> 2; slot 0 unused (handle 0 is NULL)
  std::vector<uint32_t> free_;
  std::shared_ptr<Object> current_process_;
  std::shared_ptr<Object> (*current_thread_)() = nullptr;
  std::vector<HandleObserver*> observers_;
};

}  // namespace ireactor
