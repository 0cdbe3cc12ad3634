#include "ireactor/sync/wait_lock.h"

namespace ireactor {

// Never destroyed: a thread may still be waiting while the process exits.
std::mutex& wait_lock() {
  static auto* m = new std::mutex;
  return *m;
}

std::condition_variable& wait_condition() {
  static auto* cv = new std::condition_variable;
  return *cv;
}

}  // namespace ireactor
