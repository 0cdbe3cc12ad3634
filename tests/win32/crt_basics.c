/* printf/sprintf/sscanf, the command line and argv, the environment, malloc/free and exit codes
 * through msvcrt and kernel32. */
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "win32_check.h"

int main(int argc, char** argv) {
  CHECK(argc == 4);
  CHECK(argc > 3 && strcmp(argv[1], "one") == 0);
  CHECK(argc > 3 && strcmp(argv[2], "two words") == 0);
  CHECK(argc > 3 && strcmp(argv[3], "x\"y") == 0);
  const char* cmdline = GetCommandLineA();
  CHECK(cmdline && strstr(cmdline, "\"two words\"") != NULL);

  char buf[128];
  sprintf(buf, "%d|%5s|%-4x|%05.1f|%c", -42, "ab", 255, 3.14159, 'z');
  CHECK(strcmp(buf, "-42|   ab|ff  |003.1|z") == 0);
  int a = 0;
  char word[16];
  CHECK(sscanf("17 apples", "%d %15s", &a, word) == 2 && a == 17 && strcmp(word, "apples") == 0);
  /* scanf and fgets from standard input, a pipe the harness fills (--stdin). */
  CHECK(scanf("%d %15s", &a, word) == 2 && a == 42 && strcmp(word, "pears") == 0);
  CHECK(fgets(buf, sizeof buf, stdin) && strcmp(buf, "\n") == 0);
  CHECK(fgets(buf, sizeof buf, stdin) && strcmp(buf, "second line\n") == 0);
  CHECK(fgets(buf, sizeof buf, stdin) == NULL && feof(stdin));

  CHECK(_putenv("IREACTOR_WIN32_TEST=value 1") == 0);
  const char* v = getenv("IREACTOR_WIN32_TEST");
  CHECK(v && strcmp(v, "value 1") == 0);
  char env[64];
  CHECK(GetEnvironmentVariableA("IREACTOR_WIN32_TEST", env, sizeof env) == 7);
  CHECK(getenv("IREACTOR_NO_SUCH_VARIABLE") == NULL);
  CHECK(getenv("PATH") != NULL || getenv("Path") != NULL);

  char* blocks[100];
  for (int i = 0; i < 100; i++) {
    blocks[i] = malloc(16 + i * 97);
    memset(blocks[i], i, 16 + i * 97);
  }
  int intact = 1;
  for (int i = 0; i < 100; i++) {
    intact &= blocks[i][15 + i * 97] == (char)i;
    free(blocks[i]);
  }
  CHECK(intact);
  char* grown = realloc(malloc(10), 100000);
  CHECK(grown != NULL);
  free(grown);

  CHECK(GetCurrentProcessId() != 0);
  CHECK(GetTickCount() != 0);
  SYSTEMTIME st;
  GetSystemTime(&st);
  CHECK(st.wYear >= 2024);

  int status = WIN32_SUMMARY();
  return status ? status : 42; /* the runner expects 42: main's return is the exit code */
}
