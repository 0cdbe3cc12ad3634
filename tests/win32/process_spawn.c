/* Processes a program starts: CreateProcess of itself as a child (its command line, current
 * directory, inherited standard output and exit status), a child created suspended and resumed,
 * a suspended child terminated with a status, msvcrt's _spawnv, and images that do not exist or
 * are no programs. The child's own line goes to standard output, which it inherits. */
#include <process.h>
#include <string.h>
#include <windows.h>

#include "win32_check.h"

static char self[MAX_PATH];

static int child(int argc, char** argv) {
  char dir[MAX_PATH];
  GetCurrentDirectoryA(sizeof dir, dir);
  printf("child: %s, in %s\n", argc > 2 ? argv[2] : "(no argument)",
         strrchr(dir, '\\') ? strrchr(dir, '\\') + 1 : dir);
  fflush(stdout);
  /* The command line arrives as the parent wrote it, quotes included. */
  return strstr(GetCommandLineA(), "\"two words\"") ? 42 : 1;
}

static BOOL start(DWORD flags, PROCESS_INFORMATION* pi) {
  char cmd[MAX_PATH + 64];
  snprintf(cmd, sizeof cmd, "\"%s\" child \"two words\"", self);
  STARTUPINFOA si;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  return CreateProcessA(NULL, cmd, NULL, NULL, TRUE, flags, NULL, NULL, &si, pi);
}

int main(int argc, char** argv) {
  if (argc > 1 && strcmp(argv[1], "child") == 0) return child(argc, argv);
  GetModuleFileNameA(NULL, self, sizeof self);

  PROCESS_INFORMATION pi;
  DWORD code = 0;
  CHECK(start(0, &pi));
  CHECK(pi.dwProcessId != 0 && pi.dwProcessId != GetCurrentProcessId());
  CHECK(WaitForSingleObject(pi.hProcess, 60000) == WAIT_OBJECT_0);
  CHECK(GetExitCodeProcess(pi.hProcess, &code) && code == 42);
  CHECK(WaitForSingleObject(pi.hThread, 60000) == WAIT_OBJECT_0);
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);

  /* Suspended: nothing runs until ResumeThread. */
  CHECK(start(CREATE_SUSPENDED, &pi));
  CHECK(GetExitCodeProcess(pi.hProcess, &code) && code == STILL_ACTIVE);
  CHECK(WaitForSingleObject(pi.hProcess, 500) == WAIT_TIMEOUT);
  CHECK(ResumeThread(pi.hThread) == 1);
  CHECK(WaitForSingleObject(pi.hProcess, 60000) == WAIT_OBJECT_0);
  CHECK(GetExitCodeProcess(pi.hProcess, &code) && code == 42);
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);

  /* Terminated before it ran: the status given is its exit status. */
  CHECK(start(CREATE_SUSPENDED, &pi));
  CHECK(TerminateProcess(pi.hProcess, 7));
  CHECK(WaitForSingleObject(pi.hProcess, 60000) == WAIT_OBJECT_0);
  CHECK(GetExitCodeProcess(pi.hProcess, &code) && code == 7);
  CloseHandle(pi.hThread);
  CloseHandle(pi.hProcess);

  /* msvcrt: _spawnv waits and gives the exit status. */
  const char* args[] = {self, "child", "\"two words\"", NULL};
  CHECK(_spawnv(_P_WAIT, self, args) == 42);

  /* No such image. */
  STARTUPINFOA si;
  memset(&si, 0, sizeof si);
  si.cb = sizeof si;
  char missing[] = "no_such_program.exe";
  SetLastError(0);
  CHECK(!CreateProcessA(NULL, missing, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi) &&
        GetLastError() == ERROR_FILE_NOT_FOUND);
  /* A file that is no program. */
  FILE* f = fopen("notpe.exe", "w");
  CHECK(f && fputs("not a program\n", f) >= 0);
  if (f) fclose(f);
  char notpe[] = "notpe.exe";
  SetLastError(0);
  CHECK(!CreateProcessA(NULL, notpe, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi) &&
        GetLastError() == ERROR_BAD_EXE_FORMAT);
  remove("notpe.exe");
  return WIN32_SUMMARY();
}
