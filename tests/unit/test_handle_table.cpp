#include <doctest/doctest.h>

#include <utility>
#include <vector>

#include "ireactor/handle_table.h"

using namespace ireactor;
using namespace ireactor::nt;

namespace {

struct FakeFile final : Object {
  static constexpr ObjectType kType = ObjectType::File;
  FakeFile() : Object(ObjectType::File) {}
};
struct FakeEvent final : Object {
  static constexpr ObjectType kType = ObjectType::Event;
  FakeEvent() : Object(ObjectType::Event) {}
};

}  // namespace

TEST_CASE("handles are nonzero multiples of four and reused LIFO") {
  HandleTable t;
  HANDLE a = 0, b = 0, c = 0;
  REQUIRE(t.insert(std::make_shared<FakeFile>(), 1, 0, a) == STATUS_SUCCESS);
  REQUIRE(t.insert(std::make_shared<FakeFile>(), 1, 0, b) == STATUS_SUCCESS);
  CHECK(a != 0);
  CHECK(a % 4 == 0);
  CHECK(b % 4 == 0);
  CHECK(a != b);
  CHECK(t.count() == 2);
  REQUIRE(t.close(a) == STATUS_SUCCESS);
  REQUIRE(t.insert(std::make_shared<FakeFile>(), 1, 0, c) == STATUS_SUCCESS);
  CHECK(c == a);
}

TEST_CASE("closing or using a handle that is not open fails with STATUS_INVALID_HANDLE") {
  HandleTable t;
  HandleEntry e;
  CHECK(t.get(0, e) == STATUS_INVALID_HANDLE);
  CHECK(t.get(0x1234, e) == STATUS_INVALID_HANDLE);
  CHECK(t.close(0x1234) == STATUS_INVALID_HANDLE);
  HANDLE h = 0;
  REQUIRE(t.insert(std::make_shared<FakeFile>(), 1, 0, h) == STATUS_SUCCESS);
  CHECK(t.close(h) == STATUS_SUCCESS);
  CHECK(t.close(h) == STATUS_INVALID_HANDLE);
  CHECK(t.get(h, e) == STATUS_INVALID_HANDLE);
}

TEST_CASE("the low two tag bits of a handle are ignored") {
  HandleTable t;
  HANDLE h = 0;
  REQUIRE(t.insert(std::make_shared<FakeFile>(), 1, 0, h) == STATUS_SUCCESS);
  HandleEntry e;
  CHECK(t.get(h | 3, e) == STATUS_SUCCESS);
}

TEST_CASE("reference checks the object type and the granted access") {
  HandleTable t;
  HANDLE h = 0;
  REQUIRE(t.insert(std::make_shared<FakeFile>(), GENERIC_READ | SYNCHRONIZE, 0, h) ==
          STATUS_SUCCESS);
  std::shared_ptr<FakeFile> f;
  CHECK(t.reference(h, SYNCHRONIZE, f) == STATUS_SUCCESS);
  CHECK(f != nullptr);
  std::shared_ptr<FakeEvent> ev;
  CHECK(t.reference(h, 0, ev) == STATUS_OBJECT_TYPE_MISMATCH);
  CHECK(t.reference(h, DELETE, f) == STATUS_ACCESS_DENIED);
}

TEST_CASE("an object outlives its handle while referenced") {
  HandleTable t;
  auto obj = std::make_shared<FakeFile>();
  std::weak_ptr<FakeFile> weak = obj;
  HANDLE h = 0;
  REQUIRE(t.insert(std::move(obj), 1, 0, h) == STATUS_SUCCESS);
  std::shared_ptr<FakeFile> ref;
  REQUIRE(t.reference(h, 0, ref) == STATUS_SUCCESS);
  REQUIRE(t.close(h) == STATUS_SUCCESS);
  CHECK_FALSE(weak.expired());
  ref.reset();
  CHECK(weak.expired());
}

TEST_CASE("pseudo-handles resolve to the current process and thread") {
  HandleTable t;
  HandleEntry e;
  CHECK(t.get(kCurrentProcess, e) == STATUS_INVALID_HANDLE);  // before process start
  auto process = std::make_shared<FakeEvent>();
  t.set_current_process(process);
  REQUIRE(t.get(kCurrentProcess, e) == STATUS_SUCCESS);
  CHECK(e.object == process);
  CHECK(t.close(kCurrentProcess) == STATUS_SUCCESS);
  REQUIRE(t.get(kCurrentProcess, e) == STATUS_SUCCESS);
}

namespace {

// Records what a HandleObserver (the kmod entry's handle mirror) is told.
struct RecordingObserver final : HandleObserver {
  std::vector<std::pair<uint32_t, ACCESS_MASK>> published_entries;
  std::vector<uint32_t> closed_indexes;
  void published(uint32_t index, const HandleEntry& e) override {
    published_entries.emplace_back(index, e.access);
  }
  void closed(uint32_t index) override { closed_indexes.push_back(index); }
};

}  // namespace

TEST_CASE("an observer sees the open handles, then every insert, close and republish") {
  HandleTable t;
  HANDLE before = 0, after = 0;
  auto event = std::make_shared<FakeEvent>();
  REQUIRE(t.insert(std::make_shared<FakeFile>(), 1, 0, before) == STATUS_SUCCESS);
  RecordingObserver seen;
  t.add_observer(&seen);
  REQUIRE(seen.published_entries.size() == 1);
  CHECK(seen.published_entries[0] == std::pair<uint32_t, ACCESS_MASK>(before >> 2, 1));
  REQUIRE(t.insert(event, 2, 0, after) == STATUS_SUCCESS);
  REQUIRE(seen.published_entries.size() == 2);
  CHECK(seen.published_entries[1] == std::pair<uint32_t, ACCESS_MASK>(after >> 2, 2));
  // Only the handles of the objects asked for are reported again.
  t.republish([&](const Object& o) { return &o == event.get(); });
  REQUIRE(seen.published_entries.size() == 3);
  CHECK(seen.published_entries[2].first == after >> 2);
  REQUIRE(t.close(before) == STATUS_SUCCESS);
  CHECK(seen.closed_indexes == std::vector<uint32_t>{static_cast<uint32_t>(before >> 2)});
  // A failed close reports nothing; once removed, the observer hears of nothing more.
  CHECK(t.close(before) == STATUS_INVALID_HANDLE);
  CHECK(seen.closed_indexes.size() == 1);
  t.remove_observer(&seen);
  REQUIRE(t.close(after) == STATUS_SUCCESS);
  CHECK(seen.closed_indexes.size() == 1);
}
