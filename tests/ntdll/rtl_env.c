/* The "env" family's environment blocks and process parameters: creating, setting (sorted, as
 * Windows keeps a block), querying and expanding variables, private blocks and the process's
 * own, and RtlCreateProcessParametersEx with its normalized and denormalized forms. */
#include "nttest.h"

NTSTATUS NTAPI RtlCreateEnvironment(BOOLEAN clone, WCHAR** environment);
NTSTATUS NTAPI RtlDestroyEnvironment(WCHAR* environment);
NTSTATUS NTAPI RtlSetCurrentEnvironment(WCHAR* environment, WCHAR** old);
NTSTATUS NTAPI RtlSetEnvironmentVariable(WCHAR** environment, UNICODE_STRING* name,
                                         UNICODE_STRING* value);
NTSTATUS NTAPI RtlQueryEnvironmentVariable_U(WCHAR* environment, UNICODE_STRING* name,
                                             UNICODE_STRING* value);
NTSTATUS NTAPI RtlQueryEnvironmentVariable(WCHAR* environment, const WCHAR* name,
                                           SIZE_T name_length, WCHAR* value, SIZE_T value_length,
                                           SIZE_T* return_length);
NTSTATUS NTAPI RtlExpandEnvironmentStrings(WCHAR* environment, const WCHAR* src, SIZE_T length,
                                           WCHAR* dst, SIZE_T count, SIZE_T* needed);
NTSTATUS NTAPI RtlExpandEnvironmentStrings_U(WCHAR* environment, UNICODE_STRING* src,
                                             UNICODE_STRING* dst, ULONG* needed);

typedef struct PARAMS {
  ULONG MaximumLength;
  ULONG Length;
  ULONG Flags;
  ULONG DebugFlags;
  HANDLE ConsoleHandle;
  ULONG ConsoleFlags;
  HANDLE StandardInput;
  HANDLE StandardOutput;
  HANDLE StandardError;
  UNICODE_STRING CurrentDirectory;
  HANDLE CurrentDirectoryHandle;
  UNICODE_STRING DllPath;
  UNICODE_STRING ImagePathName;
  UNICODE_STRING CommandLine;
  WCHAR* Environment;
  ULONG StartingX, StartingY, CountX, CountY, CountCharsX, CountCharsY, FillAttribute;
  ULONG WindowFlags;
  ULONG ShowWindowFlags;
  UNICODE_STRING WindowTitle;
  UNICODE_STRING DesktopInfo;
  UNICODE_STRING ShellInfo;
  UNICODE_STRING RuntimeData;
} PARAMS;
_Static_assert(offsetof(PARAMS, WindowTitle) == 0xB0, "layout");

NTSTATUS NTAPI RtlCreateProcessParametersEx(PARAMS** result, UNICODE_STRING* image,
                                            UNICODE_STRING* dll_path, UNICODE_STRING* cwd,
                                            UNICODE_STRING* command_line, void* environment,
                                            UNICODE_STRING* title, UNICODE_STRING* desktop,
                                            UNICODE_STRING* shell, UNICODE_STRING* runtime,
                                            ULONG flags);
NTSTATUS NTAPI RtlDestroyProcessParameters(PARAMS* params);
PARAMS* NTAPI RtlNormalizeProcessParams(PARAMS* params);
PARAMS* NTAPI RtlDeNormalizeProcessParams(PARAMS* params);

#define STATUS_VARIABLE_NOT_FOUND ((NTSTATUS)0xC0000100)
#define STATUS_INVALID_PARAMETER_1 ((NTSTATUS)0xC00000EF)
#define RTL_USER_PROC_PARAMS_NORMALIZED 1

static NTSTATUS set(WCHAR** env, const WCHAR* name, const WCHAR* value) {
  UNICODE_STRING n, v;
  nt_init_ustr(&n, name);
  if (value) nt_init_ustr(&v, value);
  return RtlSetEnvironmentVariable(env, &n, value ? &v : NULL);
}

/* The value of `name` in env as a C string in `out`, or NULL. */
static const WCHAR* get(WCHAR* env, const WCHAR* name, WCHAR* out, USHORT cap) {
  UNICODE_STRING n, v;
  nt_init_ustr(&n, name);
  v.Buffer = out;
  v.Length = 0;
  v.MaximumLength = cap * sizeof(WCHAR);
  return NT_SUCCESS(RtlQueryEnvironmentVariable_U(env, &n, &v)) ? out : NULL;
}

/* Whether the block's entries are exactly `want` ("A=1\0B=2\0\0"). */
static int block_is(const WCHAR* env, const WCHAR* want) {
  const WCHAR* p = env;
  const WCHAR* w = want;
  while (*p || *w) {
    if (nt_wcscmp(p, w)) {
      nt_note("entry \"%ls\", want \"%ls\"", p, w);
      return 0;
    }
    p += nt_wcslen(p) + 1;
    w += nt_wcslen(w) + 1;
  }
  return 1;
}

static void test_private_block(void) {
  WCHAR* env = NULL;
  CHECK_OK(RtlCreateEnvironment(FALSE, &env));
  CHECK(env != NULL);
  CHECK_EQ(env[0], 0);

  CHECK_OK(set(&env, L"zeta", L"1"));
  CHECK_OK(set(&env, L"Alpha", L"2"));
  CHECK_OK(set(&env, L"=C:", L"C:\\dir"));
  CHECK_OK(set(&env, L"beta", L"3"));
  CHECK_OK(set(&env, L"_under", L"4"));
  CHECK_OK(set(&env, L"a", L"5"));
  CHECK_OK(set(&env, L"ALPHA", L"6")); /* the same variable */
  /* Windows keeps a block sorted (case-insensitively; "=C:" first, '_' after the letters);
   * Wine 8 appends instead. */
  if (!nt_is_wine()) CHECK(block_is(env, L"=C:=C:\\dir\0a=5\0ALPHA=6\0beta=3\0zeta=1\0_under=4\0"));

  WCHAR buf[64];
  CHECK(get(env, L"ALPHA", buf, 64) && !nt_wcscmp(buf, L"6"));
  CHECK(get(env, L"alpha", buf, 64) && !nt_wcscmp(buf, L"6"));
  CHECK(get(env, L"=c:", buf, 64) && !nt_wcscmp(buf, L"C:\\dir"));
  CHECK(get(env, L"alph", buf, 64) == NULL);
  CHECK(get(env, L"alphax", buf, 64) == NULL);

  /* Names: not empty, no '=' but as the first character. */
  CHECK_STATUS(set(&env, L"a=b", L"x"), STATUS_INVALID_PARAMETER);
  CHECK_STATUS(set(&env, L"", L"x"), STATUS_INVALID_PARAMETER_1);
  CHECK_OK(set(&env, L"empty", L""));
  CHECK(get(env, L"empty", buf, 64) && buf[0] == 0);

  /* Deleting, and deleting what is not there. */
  CHECK_OK(set(&env, L"beta", NULL));
  CHECK(get(env, L"beta", buf, 64) == NULL);
  CHECK_OK(set(&env, L"nothere", NULL));
  CHECK(get(env, L"zeta", buf, 64) && !nt_wcscmp(buf, L"1"));
  if (!nt_is_wine()) CHECK(block_is(env, L"=C:=C:\\dir\0a=5\0ALPHA=6\0empty=\0zeta=1\0_under=4\0"));

  /* RtlQueryEnvironmentVariable_U: the value fits without its NUL, or Length says what it
   * needs. */
  CHECK_OK(set(&env, L"hello", L"world"));
  UNICODE_STRING name, value;
  nt_init_ustr(&name, L"HELLO");
  value.Buffer = buf;
  for (USHORT max = 0; max <= 12; max += 2) {
    memset(buf, '#', sizeof(buf));
    value.MaximumLength = max;
    value.Length = 99;
    const NTSTATUS s = RtlQueryEnvironmentVariable_U(env, &name, &value);
    CHECK_EQ(value.Length, 10);
    if (max < 10) {
      CHECK_STATUS(s, STATUS_BUFFER_TOO_SMALL);
      CHECK_EQ(buf[0], 0x2323); /* untouched */
    } else {
      CHECK_OK(s);
      CHECK(!memcmp(buf, L"world", 10));
      CHECK_EQ(buf[5], max >= 12 ? 0 : 0x2323);
    }
  }
  nt_init_ustr(&name, L"missing");
  CHECK_STATUS(RtlQueryEnvironmentVariable_U(env, &name, &value), STATUS_VARIABLE_NOT_FOUND);

  /* RtlQueryEnvironmentVariable counts characters; the name is counted too. */
  SIZE_T len = 99;
  CHECK_OK(RtlQueryEnvironmentVariable(env, L"helloXYZ", 5, buf, 6, &len));
  CHECK_EQ(len, 5);
  CHECK(!nt_wcscmp(buf, L"world"));
  memset(buf, '#', sizeof(buf));
  CHECK_OK(RtlQueryEnvironmentVariable(env, L"hello", 5, buf, 5, &len));
  CHECK_EQ(len, 5);
  CHECK_EQ(buf[5], 0x2323);
  CHECK_STATUS(RtlQueryEnvironmentVariable(env, L"hello", 5, buf, 4, &len),
               STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(len, 6);
  CHECK_STATUS(RtlQueryEnvironmentVariable(env, L"nope", 4, buf, 10, &len),
               STATUS_VARIABLE_NOT_FOUND);
  CHECK_EQ(len, 0);

  /* Growing well past a page: every value survives the moves. */
  int lost = 0;
  for (int i = 0; i < 300; i++) {
    WCHAR n[16] = L"VAR", v[80] = L"value-";
    nt_wcscat_a(n, 16, i < 10 ? "00" : i < 100 ? "0" : "");
    char digits[8];
    nt_snprintf(digits, sizeof(digits), "%d", i);
    nt_wcscat_a(n, 16, digits);
    for (int k = 0; k < 6; k++) nt_wcscat_a(v, 80, "0123456789");
    nt_wcscat_a(v, 80, digits);
    if (!NT_SUCCESS(set(&env, n, v))) lost++;
  }
  for (int i = 0; i < 300; i += 37) {
    WCHAR n[16] = L"var";
    char digits[8];
    nt_snprintf(digits, sizeof(digits), "%03d", i);
    nt_wcscat_a(n, 16, digits);
    nt_snprintf(digits, sizeof(digits), "%d", i);
    WCHAR out[96];
    if (!get(env, n, out, 96) || out[66] != digits[0]) lost++;
  }
  CHECK_EQ(lost, 0);
  CHECK(get(env, L"hello", buf, 64) && !nt_wcscmp(buf, L"world"));
  CHECK_OK(RtlDestroyEnvironment(env));
}

static void test_expand(void) {
  WCHAR* env = NULL;
  CHECK_OK(RtlCreateEnvironment(FALSE, &env));
  CHECK_OK(set(&env, L"zeta", L"hello"));
  static const struct {
    const WCHAR* src;
    const WCHAR* want;
  } cases[] = {
      {L"x%zeta%y", L"xhelloy"},
      {L"%ZETA%%zeta%", L"hellohello"},
      {L"%nope%", L"%nope%"},
      {L"%nope%zeta%", L"%nope%zeta%"},
      {L"%%", L"%%"},
      {L"50%", L"50%"},
      {L"%zeta", L"%zeta"},
      {L"", L""},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    WCHAR out[64];
    SIZE_T needed = 0;
    CHECK_OK(
        RtlExpandEnvironmentStrings(env, cases[i].src, nt_wcslen(cases[i].src), out, 64, &needed));
    CHECK(!nt_wcscmp(out, cases[i].want));
    CHECK_EQ(needed, nt_wcslen(cases[i].want) + 1);
  }
  WCHAR out[64];
  SIZE_T needed = 0;
  memset(out, '#', sizeof(out));
  CHECK_STATUS(RtlExpandEnvironmentStrings(env, L"x%zeta%y", 8, out, 4, &needed),
               STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(needed, 8);
  CHECK(!memcmp(out, L"xhel", 8)); /* what fits is written */
  CHECK_EQ(out[4], 0x2323);
  CHECK_STATUS(RtlExpandEnvironmentStrings(env, L"x%zeta%y", 8, NULL, 0, &needed),
               STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(needed, 8);

  UNICODE_STRING src, dst;
  nt_init_ustr(&src, L"x%zeta%y");
  dst.Buffer = out;
  dst.MaximumLength = 14; /* the text but not its NUL */
  dst.Length = 77;
  ULONG bytes = 0;
  CHECK_STATUS(RtlExpandEnvironmentStrings_U(env, &src, &dst, &bytes), STATUS_BUFFER_TOO_SMALL);
  CHECK_EQ(bytes, 16);
  CHECK_EQ(dst.Length, 77);
  dst.MaximumLength = 16;
  CHECK_OK(RtlExpandEnvironmentStrings_U(env, &src, &dst, &bytes));
  CHECK_EQ(bytes, 16);
  CHECK_EQ(dst.Length, 14);
  CHECK(!nt_wcscmp(out, L"xhelloy"));
  CHECK_OK(RtlDestroyEnvironment(env));
}

/* The process's own block (environment NULL): what the runtime gave us, then changed. */
static void test_current_environment(void) {
  RTL_USER_PROCESS_PARAMETERS* params = nt_peb()->ProcessParameters;
  WCHAR buf[64];
  CHECK_OK(set(NULL, L"IREACTOR_ENV_TEST", L"one"));
  CHECK(get(NULL, L"ireactor_env_test", buf, 64) && !nt_wcscmp(buf, L"one"));
  CHECK(get(params->Environment, L"IREACTOR_ENV_TEST", buf, 64) != NULL);

  WCHAR* clone = NULL;
  CHECK_OK(RtlCreateEnvironment(TRUE, &clone));
  CHECK(clone != params->Environment);
  CHECK(get(clone, L"IREACTOR_ENV_TEST", buf, 64) && !nt_wcscmp(buf, L"one"));
  CHECK_OK(set(&clone, L"IREACTOR_ENV_TEST", L"two"));
  CHECK(get(NULL, L"IREACTOR_ENV_TEST", buf, 64) && !nt_wcscmp(buf, L"one"));

  WCHAR* old = NULL;
  CHECK_OK(RtlSetCurrentEnvironment(clone, &old));
  CHECK(params->Environment == clone);
  CHECK(get(NULL, L"IREACTOR_ENV_TEST", buf, 64) && !nt_wcscmp(buf, L"two"));
  SIZE_T needed = 0;
  WCHAR out[64];
  CHECK_OK(RtlExpandEnvironmentStrings(NULL, L"<%IREACTOR_ENV_TEST%>", 21, out, 64, &needed));
  CHECK(!nt_wcscmp(out, L"<two>"));
  /* Windows returns an NTSTATUS from RtlSetCurrentEnvironment and RtlDestroyProcessParameters,
   * Wine 8 nothing. */
  const NTSTATUS restored = RtlSetCurrentEnvironment(old, NULL); /* destroys the clone */
  if (!nt_is_wine()) CHECK_OK(restored);
  CHECK(params->Environment == old);
  CHECK_OK(set(NULL, L"IREACTOR_ENV_TEST", NULL));
  CHECK(get(NULL, L"IREACTOR_ENV_TEST", buf, 64) == NULL);

  /* The process's block grows past what the runtime allocated, and shrinks back. */
  int lost = 0;
  static const WCHAR long_value[] =
      L"0123456789012345678901234567890123456789012345678901234567890123456789";
  for (int round = 0; round < 2; round++) {
    for (int i = 0; i < 200; i++) {
      WCHAR n[24] = L"IREACTOR_GROW_";
      char digits[8];
      nt_snprintf(digits, sizeof(digits), "%d", i);
      nt_wcscat_a(n, 24, digits);
      if (!NT_SUCCESS(set(NULL, n, round ? NULL : long_value))) lost++;
    }
    WCHAR out[80];
    const WCHAR* got = get(NULL, L"ireactor_grow_123", out, 80);
    if (round ? got != NULL : !got || nt_wcscmp(got, long_value)) lost++;
  }
  CHECK_EQ(lost, 0);
}

static int ustr_is(const UNICODE_STRING* s, const WCHAR* want) {
  return s->Length == nt_wcslen(want) * 2 && !memcmp(s->Buffer, want, s->Length) &&
         s->Buffer[s->Length / 2] == 0;
}

static void destroy_params(PARAMS* p) {
  const NTSTATUS status = RtlDestroyProcessParameters(p);
  if (!nt_is_wine()) CHECK_OK(status);
}

static void test_process_parameters(void) {
  UNICODE_STRING image, cmd, cwd, title;
  nt_init_ustr(&image, L"C:\\windows\\system32\\child.exe");
  nt_init_ustr(&cmd, L"child.exe --flag");
  nt_init_ustr(&cwd, L"C:\\work\\");
  nt_init_ustr(&title, L"A title");
  WCHAR* env = NULL;
  CHECK_OK(RtlCreateEnvironment(FALSE, &env));
  CHECK_OK(set(&env, L"CHILD", L"yes"));

  PARAMS* p = NULL;
  CHECK_OK(RtlCreateProcessParametersEx(&p, &image, NULL, &cwd, &cmd, env, &title, NULL, NULL, NULL,
                                        RTL_USER_PROC_PARAMS_NORMALIZED));
  CHECK(p != NULL);
  if (!p) return;
  CHECK(p->Flags & RTL_USER_PROC_PARAMS_NORMALIZED);
  CHECK(p->Length >= sizeof(PARAMS) && p->MaximumLength >= p->Length);
  CHECK(ustr_is(&p->ImagePathName, L"C:\\windows\\system32\\child.exe"));
  CHECK(ustr_is(&p->CommandLine, L"child.exe --flag"));
  CHECK(ustr_is(&p->CurrentDirectory, L"C:\\work\\"));
  CHECK(p->CurrentDirectory.MaximumLength >= 260 * 2); /* room for any MAX_PATH directory */
  CHECK(ustr_is(&p->WindowTitle, L"A title"));
  CHECK_EQ(p->DesktopInfo.Length, 0);
  CHECK_EQ(p->ShellInfo.Length, 0);
  /* Unspecified: the DLL path is the caller's. */
  const RTL_USER_PROCESS_PARAMETERS* mine = nt_peb()->ProcessParameters;
  CHECK_EQ(p->DllPath.Length, mine->DllPath.Length);
  WCHAR buf[16];
  CHECK(p->Environment != NULL);
  CHECK(get(p->Environment, L"CHILD", buf, 16) && !nt_wcscmp(buf, L"yes"));
  const char* base = (const char*)p;
  CHECK((const char*)p->ImagePathName.Buffer > base &&
        (const char*)p->ImagePathName.Buffer < base + p->Length); /* inside the block */

  /* Denormalized, the strings are offsets from the block. */
  const WCHAR* image_at = p->ImagePathName.Buffer;
  CHECK(RtlDeNormalizeProcessParams(p) == p);
  CHECK(!(p->Flags & RTL_USER_PROC_PARAMS_NORMALIZED));
  CHECK_EQ((ULONG_PTR)p->ImagePathName.Buffer, (ULONG_PTR)((const char*)image_at - base));
  CHECK(RtlDeNormalizeProcessParams(p) == p); /* twice changes nothing */
  CHECK_EQ((ULONG_PTR)p->ImagePathName.Buffer, (ULONG_PTR)((const char*)image_at - base));
  CHECK(RtlNormalizeProcessParams(p) == p);
  CHECK(p->Flags & RTL_USER_PROC_PARAMS_NORMALIZED);
  CHECK(p->ImagePathName.Buffer == image_at);
  CHECK(RtlNormalizeProcessParams(NULL) == NULL);
  destroy_params(p);

  /* Created denormalized; the command line defaults to the image path. */
  p = NULL;
  CHECK_OK(
      RtlCreateProcessParametersEx(&p, &image, NULL, NULL, NULL, env, NULL, NULL, NULL, NULL, 0));
  if (!p) return;
  CHECK(!(p->Flags & RTL_USER_PROC_PARAMS_NORMALIZED));
  CHECK((ULONG_PTR)p->CommandLine.Buffer < p->Length);
  RtlNormalizeProcessParams(p);
  CHECK(ustr_is(&p->CommandLine, L"C:\\windows\\system32\\child.exe"));
  CHECK_EQ(p->CurrentDirectory.Length, mine->CurrentDirectory.DosPath.Length);
  destroy_params(p);

  /* No environment given: a copy of the caller's. */
  CHECK_OK(set(NULL, L"IREACTOR_PARENT", L"inherited"));
  p = NULL;
  CHECK_OK(RtlCreateProcessParametersEx(&p, &image, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                                        RTL_USER_PROC_PARAMS_NORMALIZED));
  if (!p) return;
  CHECK(p->Environment != NULL && p->Environment != mine->Environment);
  WCHAR value[16];
  CHECK(get(p->Environment, L"IREACTOR_PARENT", value, 16) && !nt_wcscmp(value, L"inherited"));
  destroy_params(p);
  CHECK_OK(set(NULL, L"IREACTOR_PARENT", NULL));
  CHECK_OK(RtlDestroyEnvironment(env));
}

void test_main(void) {
  test_private_block();
  test_expand();
  test_current_environment();
  test_process_parameters();
}
