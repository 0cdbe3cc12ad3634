#include "ireactor/process/child_process.h"

namespace ireactor {

namespace {

ChildLauncher& launcher() {
  static ChildLauncher l;
  return l;
}

}  // namespace

void set_child_launcher(ChildLauncher l) {
  launcher() = std::move(l);
}

const ChildLauncher& child_launcher() {
  return launcher();
}

}  // namespace ireactor
