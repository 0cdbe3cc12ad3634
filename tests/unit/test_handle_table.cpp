#include <doctest/doctest.h>

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
