/* The debug-channel functions Wine's DLLs call for their TRACE/WARN/FIXME/ERR output
 * (include/wine/debug.h's ABI). A channel is {flags, name[15]}; the DLL starts it with every bit
 * set, bit 7 meaning "not looked up yet": the first __wine_dbg_get_channel_flags stores the real
 * flags, so later calls skip it. Those come from WINEDEBUG ("[class]+|-channel,...", the channel
 * "all" for every one); without WINEDEBUG no class is on and nothing is printed. Output is
 * assembled per thread and written line by line to the process's standard error. */
#include "strings_private.h"

enum { DBCL_FIXME, DBCL_ERR, DBCL_WARN, DBCL_TRACE, DBCL_INIT = 7 };

struct wine_debug_channel {
  unsigned char flags;
  char name[15];
};

/* ---- WINEDEBUG ------------------------------------------------------------------------ */

/* The value of WINEDEBUG in the process environment block, or NULL. */
static const WCHAR* winedebug_value(void) {
  static const char name[] = "WINEDEBUG=";
  const IR_PROCESS_PARAMETERS* params = ir_peb()->ProcessParameters;
  const WCHAR* e = params ? params->Environment : NULL;
  if (!e) return NULL;
  while (*e) {
    size_t i = 0;
    while (name[i] && strings_ascii_upper(e[i]) == name[i]) i++;
    if (!name[i]) return e + i;
    while (*e) e++;
    e++;
  }
  return NULL;
}

static int class_bits(const WCHAR* s, size_t n) {
  static const char* const names[] = {"fixme", "err", "warn", "trace"};
  if (!n) return 0xF;
  for (int c = 0; c < 4; c++) {
    size_t i = 0;
    while (i < n && names[c][i] && s[i] == (WCHAR)names[c][i]) i++;
    if (i == n && !names[c][i]) return 1 << c;
  }
  return 0;
}

static int name_is(const WCHAR* s, size_t n, const char* name) {
  size_t i = 0;
  while (i < n && name[i] && strings_ascii_lower(s[i]) == strings_ascii_lower(name[i])) i++;
  return i == n && !name[i];
}

/* Applies the WINEDEBUG items in order: "all" ones change the default, which a channel's own items
 * then override. */
static unsigned char channel_flags(const char* channel) {
  const WCHAR* s = winedebug_value();
  int all = 0, own = -1;
  while (s && *s) {
    size_t n = 0;
    while (s[n] && s[n] != ',') n++;
    size_t op = 0;
    while (op < n && s[op] != '+' && s[op] != '-') op++;
    if (op < n) {
      const int bits = class_bits(s, op);
      const WCHAR* target = s + op + 1;
      const size_t target_len = n - op - 1;
      const int set = s[op] == '+';
      if (name_is(target, target_len, "all")) {
        all = set ? all | bits : all & ~bits;
      } else if (name_is(target, target_len, channel)) {
        if (own < 0) own = all;
        own = set ? own | bits : own & ~bits;
      }
    }
    s += n;
    if (*s) s++;
  }
  return (unsigned char)(own >= 0 ? own : all);
}

NTDLL_EXPORT unsigned char __cdecl __wine_dbg_get_channel_flags(struct wine_debug_channel* ch) {
  if (ch->flags & (1 << DBCL_INIT)) {
    char name[sizeof(ch->name) + 1];
    memcpy(name, ch->name, sizeof(ch->name));
    name[sizeof(ch->name)] = 0;
    ch->flags = channel_flags(name);
  }
  return ch->flags;
}

/* ---- per-thread buffers ----------------------------------------------------------------- */

typedef struct debug_info {
  volatile LONG owner; /* thread id */
  unsigned str_pos, out_pos;
  char strings[1024]; /* __wine_dbg_strdup's ring */
  char output[1024];  /* the line being assembled */
} debug_info;

#define DEBUG_SLOTS 64
static debug_info slots[DEBUG_SLOTS];

/* The calling thread's buffers: the slot it claimed by thread id (a dead thread's slot goes to
 * whoever reuses its id). NULL past DEBUG_SLOTS threads: their output is not buffered. */
static debug_info* thread_info(void) {
  const LONG tid = (LONG)(ULONG_PTR)ir_teb()->ClientId.UniqueThread;
  const unsigned start = (unsigned)tid / 4 % DEBUG_SLOTS;
  for (unsigned k = 0; k < DEBUG_SLOTS; k++) {
    debug_info* d = &slots[(start + k) % DEBUG_SLOTS];
    if (d->owner == tid) return d;
    if (!d->owner && !InterlockedCompareExchange(&d->owner, tid, 0)) return d;
  }
  return NULL;
}

/* __wine_dbg_strdup's ring for threads without a slot, shared (reserved atomically). */
static char shared_strings[4096];
static volatile LONG shared_pos;

NTDLL_EXPORT const char* __cdecl __wine_dbg_strdup(const char* str) {
  debug_info* d = thread_info();
  size_t n = 0;
  while (str[n]) n++;
  if (n >= 1023) n = 1023;
  if (!d) {
    const ULONG start = (ULONG)InterlockedExchangeAdd(&shared_pos, (LONG)n + 1);
    const size_t pos = start % (sizeof(shared_strings) - 1024); /* room for n + 1 <= 1024 */
    memcpy(shared_strings + pos, str, n);
    shared_strings[pos + n] = 0;
    return shared_strings + pos;
  }
  unsigned pos = d->str_pos;
  if (pos + n + 1 > sizeof(d->strings)) pos = 0;
  char* copy = d->strings + pos;
  memcpy(copy, str, n);
  copy[n] = 0;
  d->str_pos = pos + (unsigned)n + 1;
  return copy;
}

static void write_stderr(const char* p, size_t n) {
  const IR_PROCESS_PARAMETERS* params = ir_peb()->ProcessParameters;
  if (!n || !params || !params->StandardError) return;
  IO_STATUS_BLOCK iosb;
  NtWriteFile(params->StandardError, NULL, NULL, NULL, &iosb, (PVOID)p, (ULONG)n, NULL, NULL);
}

static void flush(debug_info* d) {
  write_stderr(d->output, d->out_pos);
  d->out_pos = 0;
}

/* Adds text to the line; a line longer than the buffer goes out in pieces. */
static void append_output(debug_info* d, const char* p, size_t n) {
  while (n) {
    if (d->out_pos == sizeof(d->output)) flush(d);
    size_t take = sizeof(d->output) - d->out_pos;
    if (take > n) take = n;
    memcpy(d->output + d->out_pos, p, take);
    d->out_pos += (unsigned)take;
    p += take;
    n -= take;
  }
}

/* Everything up to the last newline goes out now; the rest waits for its line's end. */
NTDLL_EXPORT int __cdecl __wine_dbg_output(const char* str) {
  debug_info* d = thread_info();
  size_t n = 0, through = 0;
  for (; str[n]; n++)
    if (str[n] == '\n') through = n + 1;
  if (!d) {
    write_stderr(str, n);
    return (int)n;
  }
  if (through) {
    append_output(d, str, through);
    flush(d);
  }
  append_output(d, str + through, n - through);
  return (int)n;
}

/* "tid:class:channel:function " at the start of a line; -1 when the class is off. */
NTDLL_EXPORT int __cdecl __wine_dbg_header(int cls, struct wine_debug_channel* ch,
                                           const char* function) {
  static const char* const classes[] = {"fixme", "err", "warn", "trace"};
  if (cls < 0 || cls >= DBCL_INIT || !(__wine_dbg_get_channel_flags(ch) & (1 << cls))) return -1;
  debug_info* d = thread_info();
  if (d && d->out_pos) return 0; /* mid-line: the header was written already */
  char header[128];
  char name[sizeof(ch->name) + 1];
  memcpy(name, ch->name, sizeof(ch->name));
  name[sizeof(ch->name)] = 0;
  const ULONG tid = (ULONG)(ULONG_PTR)ir_teb()->ClientId.UniqueThread;
  int n;
  if (function && cls < 4)
    n = strings_sprintf(header, sizeof(header), "%04x:%s:%s:%s ", tid, classes[cls], name,
                        function);
  else
    n = strings_sprintf(header, sizeof(header), "%04x:", tid);
  if (n < 0) n = sizeof(header);
  if (!d) {
    write_stderr(header, (size_t)n);
    return n;
  }
  append_output(d, header, (size_t)n);
  return (int)d->out_pos;
}
