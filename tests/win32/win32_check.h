/* Checks for the tests/win32 programs: ordinary Windows programs built by mingw-w64 with its C
 * runtime (msvcrt) and kernel32, which ireactor runs over Wine's PE DLLs and our ntdll. Each
 * check prints one ok/FAIL line; WIN32_SUMMARY() prints the closing "N passed, N failed" and
 * gives the exit status. */
#ifndef WIN32_CHECK_H
#define WIN32_CHECK_H

#include <stdio.h>

static int win32_passed, win32_failed;
/* Where check lines go: stdout, unless a program whose stdout is under test points it elsewhere. */
static FILE* win32_check_out;

static void win32_check(int ok, const char* file, int line, const char* expr) {
  if (ok)
    ++win32_passed;
  else
    ++win32_failed;
  FILE* out = win32_check_out ? win32_check_out : stdout;
  fprintf(out, "%s %s:%d %s\n", ok ? "ok" : "FAIL", file, line, expr);
  fflush(out);
}

#define CHECK(cond) win32_check(!!(cond), __FILE__, __LINE__, #cond)
#define WIN32_SUMMARY()                                                                \
  (fprintf(win32_check_out ? win32_check_out : stdout, "%d passed, %d failed\n", win32_passed, \
           win32_failed),                                                              \
   win32_failed ? 1 : 0)

#endif
