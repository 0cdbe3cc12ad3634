// Events and waits (sync/): the services called directly, with arguments in memory registered as
// Windows memory, as Windows code would pass them.
#include <doctest/doctest.h>
#include <sched.h>
#include <sys/mman.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "ireactor/process.h"
#include "ireactor/process/process_object.h"
#include "ireactor/process/thread_object.h"
#include "ireactor/services/object_services.h"
#include "ireactor/services/sync_services.h"
#include "ireactor/sync/event_object.h"
#include "ireactor/sync/wait.h"
#include "ireactor/system/nt_time.h"
#include "windows_memory.h"

using namespace ireactor;
using namespace ireactor::nt;
using namespace std::chrono_literals;

namespace {

constexpr ACCESS_MASK EVENT_QUERY_STATE = 1;
constexpr ACCESS_MASK EVENT_MODIFY_STATE = 2;
constexpr ACCESS_MASK EVENT_ALL_ACCESS = 0x1F0003;

using UserRegion = test::WindowsMemory;

// Memory the runtime owns but Windows code may not touch.
int64_t g_runtime_private = 0;
const uint64_t kNotWindowsMemory = reinterpret_cast<uint64_t>(&g_runtime_private);

// Offsets inside a test region.
constexpr size_t kHandleSlot = 0;
constexpr size_t kStateSlot = 0x10;
constexpr size_t kTimeoutSlot = 0x20;
constexpr size_t kOaSlot = 0x40;
constexpr size_t kNameSlot = 0x80;
constexpr size_t kArraySlot = 0x100;

HANDLE create_event(const UserRegion& mem, ULONG type, bool initial,
                    ACCESS_MASK access = EVENT_ALL_ACCESS) {
  REQUIRE(NtCreateEvent(mem.user<HANDLE>(kHandleSlot), access, UserPtr<OBJECT_ATTRIBUTES>(), type,
                        initial) == STATUS_SUCCESS);
  HANDLE h = mem.at<HANDLE>(kHandleSlot);
  REQUIRE(h != 0);
  return h;
}

NTSTATUS poll(const UserRegion& mem, HANDLE h) {
  mem.at<int64_t>(kTimeoutSlot) = 0;
  return NtWaitForSingleObject(h, 0, mem.user<int64_t>(kTimeoutSlot));
}

NTSTATUS wait_relative(const UserRegion& mem, HANDLE h, std::chrono::milliseconds ms) {
  mem.at<int64_t>(kTimeoutSlot) = -static_cast<int64_t>(ms.count()) * 10'000;
  return NtWaitForSingleObject(h, 0, mem.user<int64_t>(kTimeoutSlot));
}

double elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since)
      .count();
}

// An object a handle can name but nobody can wait on.
struct Unwaitable final : Object {
  static constexpr ObjectType kType = ObjectType::Section;
  Unwaitable() : Object(ObjectType::Section) {}
};

}  // namespace

TEST_CASE("NtCreateEvent returns a handle to an event in the requested state") {
  UserRegion mem;
  HANDLE set = create_event(mem, NotificationEvent, true);
  HANDLE unset = create_event(mem, NotificationEvent, false);
  CHECK(set != unset);
  CHECK(set % 4 == 0);
  CHECK(poll(mem, set) == STATUS_WAIT_0);
  CHECK(poll(mem, unset) == STATUS_TIMEOUT);
  CHECK(NtClose(set) == STATUS_SUCCESS);
  CHECK(NtClose(unset) == STATUS_SUCCESS);
}

TEST_CASE("NtCreateEvent argument errors, in Windows' order") {
  UserRegion mem;
  size_t before = current_process().handles.count();
  // The output handle is probed first: a bad pointer wins over a bad event type.
  CHECK(NtCreateEvent(UserPtr<HANDLE>(), EVENT_ALL_ACCESS, {}, 7, 0) == STATUS_ACCESS_VIOLATION);
  CHECK(NtCreateEvent(UserPtr<HANDLE>(kNotWindowsMemory), EVENT_ALL_ACCESS, {}, 0, 0) ==
        STATUS_ACCESS_VIOLATION);
  CHECK(NtCreateEvent(mem.user<HANDLE>(kHandleSlot), EVENT_ALL_ACCESS, {}, 2, 0) ==
        STATUS_INVALID_PARAMETER);

  auto& oa = mem.at<OBJECT_ATTRIBUTES>(kOaSlot);
  oa = OBJECT_ATTRIBUTES{};
  oa.Length = sizeof(OBJECT_ATTRIBUTES) - 8;
  CHECK(NtCreateEvent(mem.user<HANDLE>(kHandleSlot), EVENT_ALL_ACCESS,
                      mem.user<OBJECT_ATTRIBUTES>(kOaSlot), NotificationEvent,
                      0) == STATUS_INVALID_PARAMETER);
  oa.Length = sizeof(OBJECT_ATTRIBUTES);
  oa.Attributes = 0x10000;  // not an OBJ_* bit
  CHECK(NtCreateEvent(mem.user<HANDLE>(kHandleSlot), EVENT_ALL_ACCESS,
                      mem.user<OBJECT_ATTRIBUTES>(kOaSlot), NotificationEvent,
                      0) == STATUS_INVALID_PARAMETER);
  CHECK(NtCreateEvent(mem.user<HANDLE>(kHandleSlot), EVENT_ALL_ACCESS,
                      UserPtr<OBJECT_ATTRIBUTES>(kNotWindowsMemory), NotificationEvent,
                      0) == STATUS_ACCESS_VIOLATION);

  // Named events wait for the object namespace.
  static const char16_t kName[] = u"\\BaseNamedObjects\\x";
  std::memcpy(&mem.at<char16_t>(kNameSlot + 16), kName, sizeof(kName));
  auto& name = mem.at<UNICODE_STRING>(kNameSlot);
  name = UNICODE_STRING{static_cast<USHORT>(sizeof(kName) - 2), sizeof(kName), 0,
                        mem.addr(kNameSlot + 16)};
  oa.Attributes = OBJ_CASE_INSENSITIVE;
  oa.ObjectName = mem.addr(kNameSlot);
  CHECK(NtCreateEvent(mem.user<HANDLE>(kHandleSlot), EVENT_ALL_ACCESS,
                      mem.user<OBJECT_ATTRIBUTES>(kOaSlot), NotificationEvent,
                      0) == STATUS_NOT_IMPLEMENTED);
  CHECK(current_process().handles.count() == before);

  // An empty name is no name; OBJ_INHERIT reaches the handle.
  name.Length = 0;
  oa.Attributes = OBJ_INHERIT;
  REQUIRE(NtCreateEvent(mem.user<HANDLE>(kHandleSlot), EVENT_ALL_ACCESS,
                        mem.user<OBJECT_ATTRIBUTES>(kOaSlot), NotificationEvent,
                        0) == STATUS_SUCCESS);
  HandleEntry e;
  REQUIRE(current_process().handles.get(mem.at<HANDLE>(kHandleSlot), e) == STATUS_SUCCESS);
  CHECK(e.attributes == OBJ_INHERIT);
  CHECK(e.object->type() == ObjectType::Event);
  NtClose(mem.at<HANDLE>(kHandleSlot));
}

TEST_CASE("generic and MAXIMUM_ALLOWED access map onto event rights") {
  UserRegion mem;
  struct Case {
    ACCESS_MASK asked, granted;
  };
  for (Case c :
       {Case{GENERIC_READ, 0x20001}, Case{GENERIC_WRITE, 0x20002}, Case{GENERIC_EXECUTE, 0x120000},
        Case{GENERIC_ALL, 0x1F0003}, Case{MAXIMUM_ALLOWED, 0x1F0003},
        Case{SYNCHRONIZE | EVENT_QUERY_STATE, 0x100001}}) {
    HANDLE h = create_event(mem, NotificationEvent, false, c.asked);
    HandleEntry e;
    REQUIRE(current_process().handles.get(h, e) == STATUS_SUCCESS);
    CHECK(e.access == c.granted);
    NtClose(h);
  }
}

TEST_CASE("NtSetEvent and NtResetEvent report the previous state") {
  UserRegion mem;
  HANDLE h = create_event(mem, NotificationEvent, false);
  auto prev = mem.user<LONG>(kStateSlot);
  mem.at<LONG>(kStateSlot) = 7;
  CHECK(NtSetEvent(h, prev) == STATUS_SUCCESS);
  CHECK(mem.at<LONG>(kStateSlot) == 0);
  CHECK(NtSetEvent(h, prev) == STATUS_SUCCESS);
  CHECK(mem.at<LONG>(kStateSlot) == 1);
  CHECK(NtSetEvent(h, {}) == STATUS_SUCCESS);
  CHECK(NtResetEvent(h, prev) == STATUS_SUCCESS);
  CHECK(mem.at<LONG>(kStateSlot) == 1);
  CHECK(NtResetEvent(h, prev) == STATUS_SUCCESS);
  CHECK(mem.at<LONG>(kStateSlot) == 0);
  CHECK(poll(mem, h) == STATUS_TIMEOUT);

  // A bad PreviousState pointer is refused before anything changes.
  CHECK(NtSetEvent(h, UserPtr<LONG>(kNotWindowsMemory)) == STATUS_ACCESS_VIOLATION);
  CHECK(poll(mem, h) == STATUS_TIMEOUT);
  CHECK(NtSetEvent(h, {}) == STATUS_SUCCESS);
  CHECK(NtResetEvent(h, UserPtr<LONG>(0x10)) == STATUS_ACCESS_VIOLATION);
  CHECK(poll(mem, h) == STATUS_WAIT_0);
  NtClose(h);
}

TEST_CASE("a notification event stays signaled, a synchronization event releases one wait") {
  UserRegion mem;
  HANDLE n = create_event(mem, NotificationEvent, true);
  HANDLE s = create_event(mem, SynchronizationEvent, true);
  CHECK(poll(mem, n) == STATUS_WAIT_0);
  CHECK(poll(mem, n) == STATUS_WAIT_0);
  CHECK(poll(mem, s) == STATUS_WAIT_0);
  CHECK(poll(mem, s) == STATUS_TIMEOUT);
  CHECK(NtSetEvent(s, mem.user<LONG>(kStateSlot)) == STATUS_SUCCESS);
  CHECK(mem.at<LONG>(kStateSlot) == 0);  // the satisfied wait reset it
  CHECK(poll(mem, s) == STATUS_WAIT_0);
  NtClose(n);
  NtClose(s);
}

TEST_CASE("event services check handle, type and access") {
  UserRegion mem;
  CHECK(NtSetEvent(0, {}) == STATUS_INVALID_HANDLE);
  CHECK(NtSetEvent(0x7ffc, {}) == STATUS_INVALID_HANDLE);
  CHECK(NtResetEvent(0, {}) == STATUS_INVALID_HANDLE);
  CHECK(NtSetEvent(kCurrentProcess, {}) == STATUS_OBJECT_TYPE_MISMATCH);
  CHECK(NtWaitForSingleObject(0, 0, {}) == STATUS_INVALID_HANDLE);

  HANDLE query_only = create_event(mem, NotificationEvent, true, EVENT_QUERY_STATE);
  CHECK(NtSetEvent(query_only, {}) == STATUS_ACCESS_DENIED);
  CHECK(NtResetEvent(query_only, {}) == STATUS_ACCESS_DENIED);
  CHECK(poll(mem, query_only) == STATUS_ACCESS_DENIED);  // no SYNCHRONIZE
  HANDLE sync_only = create_event(mem, NotificationEvent, true, SYNCHRONIZE);
  CHECK(poll(mem, sync_only) == STATUS_WAIT_0);
  CHECK(NtResetEvent(sync_only, {}) == STATUS_ACCESS_DENIED);

  HANDLE section = 0;
  REQUIRE(current_process().handles.insert(std::make_shared<Unwaitable>(), 0x1F001F, 0, section) ==
          STATUS_SUCCESS);
  CHECK(poll(mem, section) == STATUS_OBJECT_TYPE_MISMATCH);
  CHECK(NtSetEvent(section, {}) == STATUS_OBJECT_TYPE_MISMATCH);
  NtClose(section);
  NtClose(query_only);
  NtClose(sync_only);
}

TEST_CASE("NtWaitForSingleObject timeouts: poll, relative, absolute, bad pointer") {
  UserRegion mem;
  HANDLE h = create_event(mem, NotificationEvent, false);

  auto t0 = std::chrono::steady_clock::now();
  CHECK(poll(mem, h) == STATUS_TIMEOUT);
  CHECK(elapsed_ms(t0) < 500);  // no real wait (generous for loaded CI machines)

  t0 = std::chrono::steady_clock::now();
  CHECK(wait_relative(mem, h, 60ms) == STATUS_TIMEOUT);
  double waited = elapsed_ms(t0);
  CHECK(waited >= 59.9);
  CHECK(waited < 3000);

  // Absolute: a FILETIME 60 ms from now.
  mem.at<int64_t>(kTimeoutSlot) = current_system_time() + 60 * 10'000;
  t0 = std::chrono::steady_clock::now();
  CHECK(NtWaitForSingleObject(h, 0, mem.user<int64_t>(kTimeoutSlot)) == STATUS_TIMEOUT);
  waited = elapsed_ms(t0);
  CHECK(waited >= 50);
  CHECK(waited < 3000);

  // An absolute time in the past (1601-01-01 + 1 tick) times out at once.
  mem.at<int64_t>(kTimeoutSlot) = 1;
  t0 = std::chrono::steady_clock::now();
  CHECK(NtWaitForSingleObject(h, 0, mem.user<int64_t>(kTimeoutSlot)) == STATUS_TIMEOUT);
  CHECK(elapsed_ms(t0) < 500);  // no real wait (generous for loaded CI machines)

  // The timeout is captured before the handle is looked at.
  CHECK(NtWaitForSingleObject(0, 0, UserPtr<int64_t>(kNotWindowsMemory)) ==
        STATUS_ACCESS_VIOLATION);
  CHECK(NtWaitForSingleObject(h, 0, UserPtr<int64_t>(8)) == STATUS_ACCESS_VIOLATION);

  // A signaled object satisfies even a zero or past timeout.
  NtSetEvent(h, {});
  CHECK(NtWaitForSingleObject(h, 0, mem.user<int64_t>(kTimeoutSlot)) == STATUS_WAIT_0);
  CHECK(NtWaitForSingleObject(h, 1, {}) == STATUS_WAIT_0);  // alertable, infinite
  NtClose(h);
}

TEST_CASE("WaitDeadline reads NT timeouts") {
  CHECK(WaitDeadline::from_nt_timeout(0).kind == WaitDeadline::Kind::Poll);
  CHECK(WaitDeadline::from_nt_timeout(-1).kind == WaitDeadline::Kind::Relative);
  CHECK(WaitDeadline::from_nt_timeout(1).kind == WaitDeadline::Kind::Absolute);
  CHECK(WaitDeadline::from_nt_timeout(1).expired());
  // Extremes behave as infinite instead of overflowing.
  CHECK(WaitDeadline::from_nt_timeout(INT64_MIN).kind == WaitDeadline::Kind::Infinite);
  CHECK(WaitDeadline::from_nt_timeout(INT64_MAX).kind == WaitDeadline::Kind::Infinite);
  CHECK_FALSE(WaitDeadline::from_nt_timeout(INT64_MIN).expired());
  CHECK_FALSE(WaitDeadline::from_nt_timeout(-10'000'000).expired());
}

TEST_CASE("a wait ends when another thread sets the event") {
  UserRegion mem;
  HANDLE h = create_event(mem, NotificationEvent, false);
  auto t0 = std::chrono::steady_clock::now();
  std::thread setter([&] {
    std::this_thread::sleep_for(50ms);
    NtSetEvent(h, {});
  });
  CHECK(NtWaitForSingleObject(h, 0, {}) == STATUS_WAIT_0);
  CHECK(elapsed_ms(t0) >= 45);
  setter.join();
  NtClose(h);
}

TEST_CASE("a synchronization event set once releases exactly one of two waiters") {
  UserRegion mem;
  HANDLE h = create_event(mem, SynchronizationEvent, false);
  std::atomic<int> released{0}, timed_out{0};
  auto waiter = [&] {
    // Each thread its own timeout slot: they run at once.
    UserRegion own(0x1000);
    own.at<int64_t>(0) = -5'000'000;  // 500 ms
    NTSTATUS s = NtWaitForSingleObject(h, 0, own.user<int64_t>(0));
    (s == STATUS_WAIT_0 ? released : timed_out)++;
  };
  std::thread a(waiter), b(waiter);
  std::this_thread::sleep_for(100ms);
  NtSetEvent(h, {});
  a.join();
  b.join();
  CHECK(released == 1);
  CHECK(timed_out == 1);
  CHECK(poll(mem, h) == STATUS_TIMEOUT);  // consumed by the released waiter
  NtClose(h);
}

TEST_CASE("a wait keeps its object when the handle is closed meanwhile") {
  UserRegion mem;
  HANDLE h = create_event(mem, NotificationEvent, false);
  std::shared_ptr<EventObject> event;
  REQUIRE(current_process().handles.reference(h, 0, event) == STATUS_SUCCESS);
  std::thread closer([&] {
    std::this_thread::sleep_for(300ms);  // long enough for the main thread to be waiting
    NtClose(h);
    std::this_thread::sleep_for(30ms);
    event->set();
  });
  UserRegion own(0x1000);
  own.at<int64_t>(0) = -20'000'000;  // 2 s
  CHECK(NtWaitForSingleObject(h, 0, own.user<int64_t>(0)) == STATUS_WAIT_0);
  closer.join();
}

TEST_CASE("NtWaitForMultipleObjects argument checks, in Windows' order") {
  UserRegion mem;
  auto handles = mem.user<HANDLE>(kArraySlot);
  auto timeout = mem.user<int64_t>(kTimeoutSlot);
  mem.at<int64_t>(kTimeoutSlot) = 0;
  CHECK(NtWaitForMultipleObjects(0, {}, WaitAll, 0, {}) == STATUS_INVALID_PARAMETER_1);
  CHECK(NtWaitForMultipleObjects(0, handles, WaitAny, 0, timeout) == STATUS_INVALID_PARAMETER_1);
  CHECK(NtWaitForMultipleObjects(65, handles, WaitAny, 0, timeout) == STATUS_INVALID_PARAMETER_1);
  CHECK(NtWaitForMultipleObjects(100, {}, 7, 0, {}) == STATUS_INVALID_PARAMETER_1);
  CHECK(NtWaitForMultipleObjects(1, handles, 2, 0, timeout) == STATUS_INVALID_PARAMETER_3);
  CHECK(NtWaitForMultipleObjects(1, {}, 2, 0, {}) == STATUS_INVALID_PARAMETER_3);
  CHECK(NtWaitForMultipleObjects(1, {}, WaitAll, 0, {}) == STATUS_ACCESS_VIOLATION);
  CHECK(NtWaitForMultipleObjects(1, handles, WaitAll, 0, UserPtr<int64_t>(kNotWindowsMemory)) ==
        STATUS_ACCESS_VIOLATION);
  CHECK(NtWaitForMultipleObjects(1, UserPtr<HANDLE>(mem.addr(kArraySlot + 4)), WaitAny, 0,
                                 timeout) == STATUS_DATATYPE_MISALIGNMENT);
  // The array must be readable in full: its last element lies past the end of the region.
  CHECK(NtWaitForMultipleObjects(2, UserPtr<HANDLE>(mem.addr(0x10000 - 8)), WaitAny, 0, timeout) ==
        STATUS_ACCESS_VIOLATION);

  HANDLE e = create_event(mem, NotificationEvent, true);
  mem.at<HANDLE>(kArraySlot) = e;
  mem.at<HANDLE>(kArraySlot + 8) = 0;
  CHECK(NtWaitForMultipleObjects(2, handles, WaitAny, 0, timeout) == STATUS_INVALID_HANDLE);
  HANDLE no_sync = create_event(mem, NotificationEvent, true, EVENT_MODIFY_STATE);
  mem.at<HANDLE>(kArraySlot + 8) = no_sync;
  CHECK(NtWaitForMultipleObjects(2, handles, WaitAny, 0, timeout) == STATUS_ACCESS_DENIED);
  NtClose(e);
  NtClose(no_sync);
}

TEST_CASE("wait-any returns the lowest signaled index and consumes only that object") {
  UserRegion mem;
  HANDLE h[3];
  for (HANDLE& x : h) x = create_event(mem, SynchronizationEvent, false);
  for (int i = 0; i < 3; ++i) mem.at<HANDLE>(kArraySlot + 8 * i) = h[i];
  auto handles = mem.user<HANDLE>(kArraySlot);
  auto timeout = mem.user<int64_t>(kTimeoutSlot);
  mem.at<int64_t>(kTimeoutSlot) = 0;

  CHECK(NtWaitForMultipleObjects(3, handles, WaitAny, 0, timeout) == STATUS_TIMEOUT);
  NtSetEvent(h[2], {});
  NtSetEvent(h[1], {});
  CHECK(NtWaitForMultipleObjects(3, handles, WaitAny, 0, timeout) == STATUS_WAIT_0 + 1);
  CHECK(NtWaitForMultipleObjects(3, handles, WaitAny, 0, timeout) == STATUS_WAIT_0 + 2);
  CHECK(NtWaitForMultipleObjects(3, handles, WaitAny, 0, timeout) == STATUS_TIMEOUT);

  // The same object twice is fine for wait-any.
  mem.at<HANDLE>(kArraySlot + 16) = h[0];
  NtSetEvent(h[0], {});
  CHECK(NtWaitForMultipleObjects(3, handles, WaitAny, 0, timeout) == STATUS_WAIT_0);
  for (HANDLE x : h) NtClose(x);
}

TEST_CASE("wait-all is satisfied only by all objects at once, and consumes them together") {
  UserRegion mem;
  HANDLE a = create_event(mem, SynchronizationEvent, true);
  HANDLE b = create_event(mem, SynchronizationEvent, false);
  mem.at<HANDLE>(kArraySlot) = a;
  mem.at<HANDLE>(kArraySlot + 8) = b;
  auto handles = mem.user<HANDLE>(kArraySlot);
  auto timeout = mem.user<int64_t>(kTimeoutSlot);
  mem.at<int64_t>(kTimeoutSlot) = 0;

  CHECK(NtWaitForMultipleObjects(2, handles, WaitAll, 0, timeout) == STATUS_TIMEOUT);
  CHECK(poll(mem, a) == STATUS_WAIT_0);  // the failed wait-all left `a` signaled
  NtSetEvent(a, {});
  NtSetEvent(b, {});
  CHECK(NtWaitForMultipleObjects(2, handles, WaitAll, 0, timeout) == STATUS_WAIT_0);
  CHECK(poll(mem, a) == STATUS_TIMEOUT);
  CHECK(poll(mem, b) == STATUS_TIMEOUT);

  // A blocked wait-all completes when the last object is set, from another thread.
  NtSetEvent(a, {});
  std::thread setter([&] {
    std::this_thread::sleep_for(40ms);
    NtSetEvent(b, {});
  });
  UserRegion own(0x1000);
  own.at<int64_t>(0) = -20'000'000;
  CHECK(NtWaitForMultipleObjects(2, handles, WaitAll, 0, own.user<int64_t>(0)) == STATUS_WAIT_0);
  setter.join();
  CHECK(poll(mem, a) == STATUS_TIMEOUT);

  // Naming one object twice in a wait-all is refused, also through two handles.
  mem.at<HANDLE>(kArraySlot + 8) = a;
  CHECK(NtWaitForMultipleObjects(2, handles, WaitAll, 0, timeout) == STATUS_INVALID_PARAMETER_MIX);
  mem.at<HANDLE>(kArraySlot) = kCurrentProcess;
  HANDLE proc2 = 0;
  REQUIRE(current_process().handles.insert(current_process().object, SYNCHRONIZE, 0, proc2) ==
          STATUS_SUCCESS);
  mem.at<HANDLE>(kArraySlot + 8) = proc2;
  CHECK(NtWaitForMultipleObjects(2, handles, WaitAll, 0, timeout) == STATUS_INVALID_PARAMETER_MIX);
  NtClose(proc2);
  NtClose(a);
  NtClose(b);
}

TEST_CASE("a wait-all competing with a wait-any never consumes part of its set") {
  // A wait-any keeps taking `a`; the wait-all on {a, b} must only ever take both together.
  UserRegion mem;
  HANDLE a = create_event(mem, SynchronizationEvent, false);
  HANDLE b = create_event(mem, SynchronizationEvent, false);
  std::atomic<bool> stop{false};
  std::atomic<int> any_hits{0}, all_hits{0};
  std::thread any([&] {
    UserRegion own(0x1000);
    own.at<int64_t>(0) = -10'000;  // 1 ms
    while (!stop)
      if (NtWaitForSingleObject(a, 0, own.user<int64_t>(0)) == STATUS_WAIT_0) any_hits++;
  });
  std::thread all([&] {
    UserRegion own(0x1000);
    own.at<HANDLE>(0) = a;
    own.at<HANDLE>(8) = b;
    own.at<int64_t>(16) = -10'000;
    while (!stop)
      if (NtWaitForMultipleObjects(2, own.user<HANDLE>(0), WaitAll, 0, own.user<int64_t>(16)) ==
          STATUS_WAIT_0)
        all_hits++;
  });
  for (int i = 0; i < 200; ++i) {
    NtSetEvent(a, {});
    if (i % 2 == 0) NtSetEvent(b, {});
    std::this_thread::sleep_for(200us);
  }
  stop = true;
  any.join();
  all.join();
  // Every successful wait-all consumed one setting of b; the others may still be pending.
  mem.at<int64_t>(kTimeoutSlot) = 0;
  int b_left = poll(mem, b) == STATUS_WAIT_0 ? 1 : 0;
  CHECK(all_hits + b_left <= 100);
  CHECK(any_hits + all_hits <= 200);
  CHECK(any_hits + all_hits > 0);
  NtClose(a);
  NtClose(b);
}

TEST_CASE("the process and the current thread can be waited on and are not signaled") {
  UserRegion mem;
  CHECK(poll(mem, kCurrentProcess) == STATUS_TIMEOUT);
  CHECK(poll(mem, kCurrentThread) == STATUS_TIMEOUT);
  // A thread object becomes signaled when the thread is marked exited.
  auto t = std::make_shared<ThreadObject>(1234);
  HANDLE h = 0;
  REQUIRE(current_process().handles.insert(t, SYNCHRONIZE, 0, h) == STATUS_SUCCESS);
  std::thread ender([&] {
    std::this_thread::sleep_for(20ms);
    t->mark_exited(42);
  });
  CHECK(NtWaitForSingleObject(h, 0, {}) == STATUS_WAIT_0);
  ender.join();
  CHECK(t->exit_status() == 42);
  NtClose(h);
}

TEST_CASE("wait_for_objects serves 64 objects") {
  std::vector<std::shared_ptr<EventObject>> events;
  std::vector<Object*> objects;
  for (int i = 0; i < 64; ++i) {
    events.push_back(std::make_shared<EventObject>(NotificationEvent, true));
    objects.push_back(events.back().get());
  }
  CHECK(wait_for_objects(objects, true, WaitDeadline::from_nt_timeout(0)) == STATUS_WAIT_0);
  events[63]->reset();
  CHECK(wait_for_objects(objects, true, WaitDeadline::from_nt_timeout(0)) == STATUS_TIMEOUT);
  for (int i = 0; i < 63; ++i) events[i]->reset();
  events[63]->set();
  CHECK(wait_for_objects(objects, false, WaitDeadline::from_nt_timeout(0)) == STATUS_WAIT_0 + 63);
}

TEST_CASE("NtDelayExecution sleeps for relative and absolute intervals") {
  UserRegion mem;
  auto interval = mem.user<int64_t>(kTimeoutSlot);

  mem.at<int64_t>(kTimeoutSlot) = -300'000;  // 30 ms
  auto t0 = std::chrono::steady_clock::now();
  CHECK(NtDelayExecution(0, interval) == STATUS_SUCCESS);
  CHECK(elapsed_ms(t0) >= 29.9);
  CHECK(elapsed_ms(t0) < 3000);

  mem.at<int64_t>(kTimeoutSlot) = current_system_time() + 300'000;
  t0 = std::chrono::steady_clock::now();
  CHECK(NtDelayExecution(1, interval) == STATUS_SUCCESS);
  CHECK(elapsed_ms(t0) >= 20);
  CHECK(elapsed_ms(t0) < 3000);

  mem.at<int64_t>(kTimeoutSlot) = current_system_time() - 10'000'000;  // a second ago
  t0 = std::chrono::steady_clock::now();
  CHECK(NtDelayExecution(0, interval) == STATUS_SUCCESS);
  CHECK(elapsed_ms(t0) < 500);  // no real wait (generous for loaded CI machines)

  // Zero yields and returns what NtYieldExecution does.
  mem.at<int64_t>(kTimeoutSlot) = 0;
  NTSTATUS s = NtDelayExecution(0, interval);
  CHECK((s == STATUS_SUCCESS || s == STATUS_NO_YIELD_PERFORMED));

  CHECK(NtDelayExecution(0, {}) == STATUS_ACCESS_VIOLATION);
  CHECK(NtDelayExecution(0, UserPtr<int64_t>(kNotWindowsMemory)) == STATUS_ACCESS_VIOLATION);
}

TEST_CASE("NtYieldExecution says whether another thread ran") {
  // Pin this thread and a busy competitor to one CPU: a yield then hands the CPU over.
  cpu_set_t old_set;
  REQUIRE(sched_getaffinity(0, sizeof(old_set), &old_set) == 0);
  int cpu = -1;
  for (int i = 0; i < CPU_SETSIZE && cpu < 0; ++i)
    if (CPU_ISSET(i, &old_set)) cpu = i;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  REQUIRE(sched_setaffinity(0, sizeof(one), &one) == 0);

  std::atomic<bool> stop{false}, started{false};
  std::thread busy([&] {
    sched_setaffinity(0, sizeof(one), &one);
    started = true;
    while (!stop) {
    }
  });
  while (!started) std::this_thread::yield();
  int switched = 0;
  for (int i = 0; i < 50; ++i) {
    NTSTATUS s = NtYieldExecution();
    CHECK((s == STATUS_SUCCESS || s == STATUS_NO_YIELD_PERFORMED));
    if (s == STATUS_SUCCESS) ++switched;
  }
  stop = true;
  busy.join();
  CHECK(switched > 0);
  sched_setaffinity(0, sizeof(old_set), &old_set);
}
