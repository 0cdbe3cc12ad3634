#include "ireactor/handle_table.h"

#include <algorithm>

namespace ireactor {

namespace {

// Windows ignores the two low tag bits of a handle value.
constexpr uint64_t index_of(nt::HANDLE h) {
  return h >> 2;
}
// A generous ceiling: Windows allows about 16 million handles per process.
constexpr size_t kMaxHandles = 1u << 24;

}  // namespace

nt::NTSTATUS HandleTable::insert(std::shared_ptr<Object> obj, nt::ACCESS_MASK access,
                                 uint32_t attributes, nt::HANDLE& out) {
  std::unique_lock lock(mutex_);
  if (entries_.empty()) entries_.resize(1);  // slot 0 would be the NULL handle
  uint32_t index;
  if (!free_.empty()) {
    // LIFO reuse of freed values, as the Windows handle table does.
    index = free_.back();
    free_.pop_back();
  } else {
    if (entries_.size() >= kMaxHandles) return nt::STATUS_INSUFFICIENT_RESOURCES;
    index = static_cast<uint32_t>(entries_.size());
    entries_.emplace_back();
  }
  entries_[index] = HandleEntry{std::move(obj), access, attributes};
  for (HandleObserver* o : observers_) o->published(index, entries_[index]);
  out = static_cast<nt::HANDLE>(index) << 2;
  return nt::STATUS_SUCCESS;
}

nt::NTSTATUS HandleTable::get(nt::HANDLE h, HandleEntry& out) const {
  if (h == nt::kCurrentProcess) {
    if (!current_process_) return nt::STATUS_INVALID_HANDLE;
    out = HandleEntry{current_process_, 0x1FFFFF /* PROCESS_ALL_ACCESS */, 0};
    return nt::STATUS_SUCCESS;
  }
  if (h == nt::kCurrentThread) {
    auto t = current_thread_ ? current_thread_() : nullptr;
    if (!t) return nt::STATUS_INVALID_HANDLE;
    out = HandleEntry{std::move(t), 0x1FFFFF /* THREAD_ALL_ACCESS */, 0};
    return nt::STATUS_SUCCESS;
  }
  std::shared_lock lock(mutex_);
  uint64_t index = index_of(h);
  if (index == 0 || index >= entries_.size() || !entries_[index].object)
    return nt::STATUS_INVALID_HANDLE;
  out = entries_[index];
  return nt::STATUS_SUCCESS;
}

nt::NTSTATUS HandleTable::close(nt::HANDLE h) {
  if (h == nt::kCurrentProcess || h == nt::kCurrentThread) return nt::STATUS_SUCCESS;
  std::shared_ptr<Object> released;  // destroyed after the lock is dropped
  {
    std::unique_lock lock(mutex_);
    uint64_t index = index_of(h);
    if (index == 0 || index >= entries_.size() || !entries_[index].object)
      return nt::STATUS_INVALID_HANDLE;
    released = std::move(entries_[index].object);
    entries_[index] = HandleEntry{};
    free_.push_back(static_cast<uint32_t>(index));
    for (HandleObserver* o : observers_) o->closed(static_cast<uint32_t>(index));
  }
  return nt::STATUS_SUCCESS;
}

void HandleTable::add_observer(HandleObserver* observer) {
  std::unique_lock lock(mutex_);
  observers_.push_back(observer);
  for (uint32_t i = 1; i < entries_.size(); ++i)
    if (entries_[i].object) observer->published(i, entries_[i]);
}

void HandleTable::remove_observer(HandleObserver* observer) {
  std::unique_lock lock(mutex_);
  std::erase(observers_, observer);
}

void HandleTable::republish(const std::function<bool(const Object&)>& which) {
  std::unique_lock lock(mutex_);
  if (observers_.empty()) return;
  for (uint32_t i = 1; i < entries_.size(); ++i)
    if (entries_[i].object && which(*entries_[i].object))
      for (HandleObserver* o : observers_) o->published(i, entries_[i]);
}

size_t HandleTable::count() const {
  std::shared_lock lock(mutex_);
  size_t n = 0;
  for (const auto& e : entries_)
    if (e.object) ++n;
  return n;
}

}  // namespace ireactor
