#include "console/console_state.h"

namespace ireactor::console {

ConsoleState& state() {
  static ConsoleState s;
  return s;
}

std::mutex& input_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace ireactor::console
