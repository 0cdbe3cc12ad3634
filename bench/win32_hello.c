/* The smallest ordinary Windows program (issue 6's benchmark): printf with the mingw-w64 C
 * runtime (msvcrt), built by the default x86_64-w64-mingw32-gcc. bench/win32_bench.py times its
 * whole run under `ireactor run` and under Wine. */
#include <stdio.h>

int main(void) {
  printf("hello, world\n");
  return 0;
}
