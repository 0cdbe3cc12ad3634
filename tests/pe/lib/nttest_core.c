/* nttest core: string helpers, formatting, checks and the command line. Imports nothing, so the
 * raw-syscall program can use it without ntdll; output and exit go through the hooks. */
#include "nttest.h"

NTSTATUS (*nt_output_hook)(const char* buf, ULONG len);
void (*nt_exit_hook)(NTSTATUS status);
int nt_passed, nt_failed;

/* ---- memory and strings ----------------------------------------------------------------- */

/* gcc turns these very loops into calls to themselves unless told not to. */
#define NO_BUILTIN_LOOPS __attribute__((optimize("no-tree-loop-distribute-patterns")))

NO_BUILTIN_LOOPS void* memset(void* dst, int c, size_t n) {
  unsigned char* d = dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

NO_BUILTIN_LOOPS void* memcpy(void* dst, const void* src, size_t n) {
  unsigned char* d = dst;
  const unsigned char* s = src;
  while (n--) *d++ = *s++;
  return dst;
}

NO_BUILTIN_LOOPS void* memmove(void* dst, const void* src, size_t n) {
  unsigned char* d = dst;
  const unsigned char* s = src;
  if (d < s) {
    while (n--) *d++ = *s++;
  } else {
    while (n--) d[n] = s[n];
  }
  return dst;
}

int memcmp(const void* a, const void* b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (; n; n--, x++, y++)
    if (*x != *y) return *x < *y ? -1 : 1;
  return 0;
}

size_t nt_strlen(const char* s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

int nt_strcmp(const char* a, const char* b) {
  while (*a && *a == *b) a++, b++;
  return (unsigned char)*a - (unsigned char)*b;
}

int nt_strncmp(const char* a, const char* b, size_t n) {
  for (; n; n--, a++, b++) {
    if (*a != *b) return (unsigned char)*a - (unsigned char)*b;
    if (!*a) return 0;
  }
  return 0;
}

size_t nt_wcslen(const WCHAR* s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

int nt_wcscmp(const WCHAR* a, const WCHAR* b) {
  while (*a && *a == *b) a++, b++;
  return (int)*a - (int)*b;
}

static WCHAR wlower(WCHAR c) {
  return (c >= 'A' && c <= 'Z') ? (WCHAR)(c + 32) : c;
}

int nt_wcsnicmp(const WCHAR* a, const WCHAR* b, size_t n) {
  for (; n; n--, a++, b++) {
    WCHAR x = wlower(*a), y = wlower(*b);
    if (x != y) return (int)x - (int)y;
    if (!x) return 0;
  }
  return 0;
}

WCHAR* nt_wcscat(WCHAR* dst, size_t cap, const WCHAR* src) {
  size_t n = nt_wcslen(dst);
  while (*src && n + 1 < cap) dst[n++] = *src++;
  dst[n] = 0;
  return dst;
}

WCHAR* nt_wcscat_a(WCHAR* dst, size_t cap, const char* src) {
  size_t n = nt_wcslen(dst);
  while (*src && n + 1 < cap) dst[n++] = (WCHAR)(unsigned char)*src++;
  dst[n] = 0;
  return dst;
}

int nt_ustr_eq(const WCHAR* buf, size_t len_bytes, const WCHAR* s) {
  size_t n = nt_wcslen(s);
  return len_bytes == n * 2 && memcmp(buf, s, len_bytes) == 0;
}

int nt_ustr_ieq(const WCHAR* buf, size_t len_bytes, const WCHAR* s) {
  size_t n = nt_wcslen(s);
  return len_bytes == n * 2 && nt_wcsnicmp(buf, s, n) == 0;
}

LONGLONG nt_atoll(const char* s) {
  int neg = 0;
  LONGLONG v = 0;
  if (*s == '-') neg = 1, s++;
  while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
  return neg ? -v : v;
}

/* ---- process environment ---------------------------------------------------------------- */

PEB* nt_peb(void) {
  PEB* peb;
  __asm__ volatile("movq %%gs:0x60, %0" : "=r"(peb));
  return peb;
}

LONGLONG kusd_read_time(ULONG offset) {
  /* Writers store High2Time, LowPart, High1Time; a torn read shows High1 != High2. */
  for (;;) {
    LONG high1 = KUSD_READ(LONG, offset + 4);
    ULONG low = KUSD_READ(ULONG, offset);
    LONG high2 = KUSD_READ(LONG, offset + 8);
    if (high1 == high2) return ((LONGLONG)high1 << 32) | low;
  }
}

#define MAX_ARGS 32
static char arg_storage[2048];
static const char* args[MAX_ARGS];
static int arg_count = -1;

static void parse_args(void) {
  PEB* peb = nt_peb();
  arg_count = 0;
  if (!peb || !peb->ProcessParameters) return;
  const UNICODE_STRING* cl = &peb->ProcessParameters->CommandLine;
  size_t n = cl->Length / 2, i = 0, out = 0;
  int index = 0;
  while (i < n) {
    while (i < n && (cl->Buffer[i] == ' ' || cl->Buffer[i] == '\t')) i++;
    if (i >= n) break;
    size_t start = out;
    int quoted = 0;
    while (i < n && (quoted || (cl->Buffer[i] != ' ' && cl->Buffer[i] != '\t'))) {
      WCHAR c = cl->Buffer[i++];
      if (c == '"') {
        quoted = !quoted;
        continue;
      }
      if (out + 1 < sizeof arg_storage) arg_storage[out++] = c < 0x80 ? (char)c : '?';
    }
    if (out + 1 >= sizeof arg_storage) break;
    arg_storage[out++] = 0;
    /* index 0 is the program itself */
    if (index++ > 0 && arg_count < MAX_ARGS) args[arg_count++] = arg_storage + start;
  }
}

int nt_argc(void) {
  if (arg_count < 0) parse_args();
  return arg_count;
}

const char* nt_argv(int i) {
  return i >= 0 && i < nt_argc() ? args[i] : 0;
}

const char* nt_arg_value(const char* key) {
  size_t k = nt_strlen(key);
  for (int i = 0; i < nt_argc(); i++)
    if (nt_strncmp(args[i], key, k) == 0 && args[i][k] == '=') return args[i] + k + 1;
  return 0;
}

int nt_has_arg(const char* arg) {
  for (int i = 0; i < nt_argc(); i++)
    if (nt_strcmp(args[i], arg) == 0) return 1;
  return 0;
}

/* PEB_LDR_DATA.InLoadOrderModuleList at 0x10; LDR_DATA_TABLE_ENTRY: DllBase 0x30,
 * BaseDllName 0x58. */
typedef struct LIST_ENTRY {
  struct LIST_ENTRY *Flink, *Blink;
} LIST_ENTRY;

static int module_exports(const unsigned char* base, const char* name) {
  const unsigned char* nt = base + *(const LONG*)(base + 0x3c);
  ULONG dir_rva = *(const ULONG*)(nt + 0x88); /* optional header data directory 0 (PE32+) */
  if (!dir_rva) return 0;
  const ULONG* dir = (const ULONG*)(base + dir_rva);
  ULONG count = dir[6];
  const ULONG* names = (const ULONG*)(base + dir[8]);
  for (ULONG i = 0; i < count; i++)
    if (nt_strcmp((const char*)(base + names[i]), name) == 0) return 1;
  return 0;
}

int nt_is_wine(void) {
  static int cached = -1;
  if (cached >= 0) return cached;
  cached = 0;
  PEB* peb = nt_peb();
  if (!peb || !peb->Ldr) return 0;
  LIST_ENTRY* head = (LIST_ENTRY*)((char*)peb->Ldr + 0x10);
  LIST_ENTRY* e = head->Flink;
  for (int guard = 0; e && e != head && guard < 64; guard++, e = e->Flink) {
    const UNICODE_STRING* name = (const UNICODE_STRING*)((char*)e + 0x58);
    const unsigned char* base = *(unsigned char* const*)((char*)e + 0x30);
    if (name->Buffer && base && nt_ustr_ieq(name->Buffer, name->Length, L"ntdll.dll")) {
      cached = module_exports(base, "wine_get_version");
      break;
    }
  }
  return cached;
}

/* ---- formatting ------------------------------------------------------------------------- */

typedef struct {
  char* buf;
  size_t cap, len;
} Out;

static void put(Out* o, char c) {
  if (o->len + 1 < o->cap) o->buf[o->len] = c;
  o->len++;
}

static void put_num(Out* o, ULONGLONG v, int base, int upper, int neg, int width, int zero) {
  char tmp[24];
  int n = 0;
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    tmp[n++] = digits[v % base];
    v /= base;
  } while (v);
  int total = n + neg;
  if (neg && zero) put(o, '-');
  for (; total < width; total++) put(o, zero ? '0' : ' ');
  if (neg && !zero) put(o, '-');
  while (n) put(o, tmp[--n]);
}

int nt_vsnprintf(char* buf, size_t cap, const char* fmt, va_list ap) {
  Out o = {buf, cap, 0};
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      put(&o, *fmt);
      continue;
    }
    fmt++;
    int zero = 0, width = 0, longs = 0, precision = -1;
    if (*fmt == '0') zero = 1, fmt++;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    if (*fmt == '.' && fmt[1] == '*') precision = va_arg(ap, int), fmt += 2;
    while (*fmt == 'l') longs++, fmt++;
    switch (*fmt) {
      case 'd': {
        LONGLONG v = longs >= 2 ? va_arg(ap, LONGLONG) : longs ? va_arg(ap, long) : va_arg(ap, int);
        put_num(&o, v < 0 ? -(ULONGLONG)v : (ULONGLONG)v, 10, 0, v < 0, width, zero);
        break;
      }
      case 'u':
      case 'x':
      case 'X': {
        ULONGLONG v = longs >= 2 ? va_arg(ap, ULONGLONG)
                      : longs    ? va_arg(ap, unsigned long)
                                 : va_arg(ap, unsigned);
        put_num(&o, v, *fmt == 'u' ? 10 : 16, *fmt == 'X', 0, width, zero);
        break;
      }
      case 'p':
        put(&o, '0'), put(&o, 'x');
        put_num(&o, (ULONGLONG)(uintptr_t)va_arg(ap, void*), 16, 0, 0, width, zero);
        break;
      case 'c':
        put(&o, (char)va_arg(ap, int));
        break;
      case 's':
        if (longs) goto wide;
        {
          const char* s = va_arg(ap, const char*);
          if (!s) s = "(null)";
          size_t n = nt_strlen(s);
          for (size_t i = n; (int)i < width; i++) put(&o, ' ');
          while (*s) put(&o, *s++);
        }
        break;
      case 'S':
      wide : {
        const WCHAR* s = va_arg(ap, const WCHAR*);
        if (!s) s = L"(null)";
        for (int i = 0; precision < 0 ? s[i] != 0 : i < precision; i++)
          put(&o, s[i] < 0x80 ? (char)s[i] : '?');
        break;
      }
      case '%':
        put(&o, '%');
        break;
      default:
        put(&o, '%');
        if (*fmt)
          put(&o, *fmt);
        else
          fmt--;
    }
  }
  if (cap) buf[o.len < cap ? o.len : cap - 1] = 0;
  return (int)o.len;
}

int nt_snprintf(char* buf, size_t cap, const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = nt_vsnprintf(buf, cap, fmt, ap);
  va_end(ap);
  return n;
}

static char line_buf[4096];

void nt_vprintf(const char* fmt, va_list ap) {
  int n = nt_vsnprintf(line_buf, sizeof line_buf, fmt, ap);
  if (n >= (int)sizeof line_buf) n = sizeof line_buf - 1;
  if (nt_output_hook) nt_output_hook(line_buf, (ULONG)n);
}

void nt_printf(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  nt_vprintf(fmt, ap);
  va_end(ap);
}

void nt_note(const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  nt_vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  nt_printf("# %s\n", buf);
}

const char* nt_status_name(NTSTATUS s) {
  static const struct {
    NTSTATUS s;
    const char* name;
  } names[] = {
#define N(x) {x, #x}
      N(STATUS_SUCCESS),
      N(STATUS_WAIT_1),
      N(STATUS_WAIT_2),
      N(STATUS_ALERTED),
      N(STATUS_TIMEOUT),
      N(STATUS_PENDING),
      N(STATUS_OBJECT_NAME_EXISTS),
      N(STATUS_NO_YIELD_PERFORMED),
      N(STATUS_DATATYPE_MISALIGNMENT),
      N(STATUS_BUFFER_OVERFLOW),
      N(STATUS_NO_MORE_FILES),
      N(STATUS_UNSUCCESSFUL),
      N(STATUS_NOT_IMPLEMENTED),
      N(STATUS_INVALID_INFO_CLASS),
      N(STATUS_INFO_LENGTH_MISMATCH),
      N(STATUS_ACCESS_VIOLATION),
      N(STATUS_INVALID_HANDLE),
      N(STATUS_INVALID_PARAMETER),
      N(STATUS_NO_SUCH_FILE),
      N(STATUS_INVALID_DEVICE_REQUEST),
      N(STATUS_END_OF_FILE),
      N(STATUS_NO_MEMORY),
      N(STATUS_CONFLICTING_ADDRESSES),
      N(STATUS_UNABLE_TO_FREE_VM),
      N(STATUS_INVALID_SYSTEM_SERVICE),
      N(STATUS_ALREADY_COMMITTED),
      N(STATUS_ACCESS_DENIED),
      N(STATUS_BUFFER_TOO_SMALL),
      N(STATUS_OBJECT_TYPE_MISMATCH),
      N(STATUS_NOT_COMMITTED),
      N(STATUS_INVALID_PARAMETER_MIX),
      N(STATUS_OBJECT_NAME_INVALID),
      N(STATUS_OBJECT_NAME_NOT_FOUND),
      N(STATUS_OBJECT_NAME_COLLISION),
      N(STATUS_OBJECT_PATH_INVALID),
      N(STATUS_OBJECT_PATH_NOT_FOUND),
      N(STATUS_OBJECT_PATH_SYNTAX_BAD),
      N(STATUS_SHARING_VIOLATION),
      N(STATUS_INVALID_PAGE_PROTECTION),
      N(STATUS_DELETE_PENDING),
      N(STATUS_FREE_VM_NOT_AT_BASE),
      N(STATUS_MEMORY_NOT_ALLOCATED),
      N(STATUS_NOT_MAPPED_VIEW),
      N(STATUS_FILE_IS_A_DIRECTORY),
      N(STATUS_NOT_SUPPORTED),
      N(STATUS_INVALID_USER_BUFFER),
      N(STATUS_INVALID_PARAMETER_1),
      N(STATUS_INVALID_PARAMETER_2),
      N(STATUS_INVALID_PARAMETER_3),
      N(STATUS_INVALID_PARAMETER_4),
      N(STATUS_INVALID_PARAMETER_5),
      N(STATUS_DIRECTORY_NOT_EMPTY),
      N(STATUS_NOT_A_DIRECTORY),
      N(STATUS_NAME_TOO_LONG),
      N(STATUS_CANNOT_DELETE),
      N(STATUS_INVALID_ADDRESS),
#undef N
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (names[i].s == s) return names[i].name;
  return 0;
}

/* ---- checks ----------------------------------------------------------------------------- */

static const char* base_name(const char* path) {
  const char* b = path;
  for (; *path; path++)
    if (*path == '/' || *path == '\\') b = path + 1;
  return b;
}

void nt_check_report(int ok, const char* file, int line, const char* expr, const char* detail) {
  if (ok) {
    nt_passed++;
    nt_printf("ok %s:%d %s\n", base_name(file), line, expr);
  } else {
    nt_failed++;
    nt_printf("FAIL %s:%d %s%s%s\n", base_name(file), line, expr, detail ? " " : "",
              detail ? detail : "");
  }
}

void nt_check_eq(const char* file, int line, const char* expr, ULONGLONG got, ULONGLONG want) {
  char detail[96];
  nt_snprintf(detail, sizeof detail, "(got 0x%llx, want 0x%llx)", got, want);
  nt_check_report(got == want, file, line, expr, detail);
}

static void status_text(char* buf, size_t cap, NTSTATUS s) {
  const char* name = nt_status_name(s);
  if (name)
    nt_snprintf(buf, cap, "0x%08x %s", (unsigned)s, name);
  else
    nt_snprintf(buf, cap, "0x%08x", (unsigned)s);
}

void nt_check_status(const char* file, int line, const char* expr, NTSTATUS got, NTSTATUS want) {
  char g[64], w[64], detail[160], text[400];
  status_text(g, sizeof g, got);
  status_text(w, sizeof w, want);
  if (got == want) {
    /* Show the status on success too: it is what the check is about. */
    nt_snprintf(text, sizeof text, "%s == %s", expr, w);
    nt_check_report(1, file, line, text, 0);
  } else {
    nt_snprintf(detail, sizeof detail, "(got %s, want %s)", g, w);
    nt_check_report(0, file, line, expr, detail);
  }
}

void nt_check_fails(const char* file, int line, const char* expr, NTSTATUS got) {
  char g[64], text[400];
  status_text(g, sizeof g, got);
  nt_snprintf(text, sizeof text, "%s fails (%s)", expr, g);
  nt_check_report(!NT_SUCCESS(got), file, line, text, NT_SUCCESS(got) ? "(want a failure)" : 0);
}

void nt_finish(void) {
  nt_printf("%d passed, %d failed\n", nt_passed, nt_failed);
  if (nt_exit_hook) nt_exit_hook(nt_failed ? 1 : 0);
  for (;;) __asm__ volatile("ud2");
}
