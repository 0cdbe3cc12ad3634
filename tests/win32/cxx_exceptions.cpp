// C++ exceptions from g++-mingw (libgcc's SEH unwinder over RtlUnwindEx): a throw caught several
// frames up with every destructor run on the way, a rethrow, a std::exception hierarchy, and
// exceptions thrown and caught inside std::thread workers.
#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern "C" {
#include "win32_check.h"
}

static int destroyed;

struct Guard {
  ~Guard() { ++destroyed; }
};

[[gnu::noinline]] static void thrower(int depth) {
  Guard g;
  if (depth == 0) throw std::runtime_error("deep");
  thrower(depth - 1);
}

[[gnu::noinline]] static int rethrower() {
  try {
    thrower(2);
  } catch (const std::runtime_error&) {
    throw;  // the same object goes on
  }
  return 0;
}

int main() {
  try {
    thrower(4);
    CHECK(!"not reached");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "deep");
  }
  CHECK(destroyed == 5);

  destroyed = 0;
  try {
    rethrower();
  } catch (const std::exception& e) {
    CHECK(std::string(e.what()) == "deep");
  }
  CHECK(destroyed == 3);

  try {
    throw 42;
  } catch (int v) {
    CHECK(v == 42);
  }

  std::vector<int> results(4, -1);
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back([i, &results] {
      try {
        if (i % 2) throw std::logic_error("odd");
        results[i] = i;
      } catch (const std::logic_error&) {
        results[i] = 100 + i;
      }
    });
  for (auto& t : workers) t.join();
  CHECK(results[0] == 0 && results[1] == 101 && results[2] == 2 && results[3] == 103);
  return WIN32_SUMMARY();
}
