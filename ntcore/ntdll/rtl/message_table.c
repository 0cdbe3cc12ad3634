/* Message tables (RT_MESSAGETABLE resources) and message formatting: RtlFindMessage finds a message
 * by id, RtlFormatMessage expands FormatMessage's insert language into a wide buffer: %1..%99
 * inserts (optionally %n!printf format!, default !s!), %0 ends the message, %n CR-LF, %r CR, %t
 * tab, %x any other character x; line ends in the text become CR-LF, or with a maximum width
 * spaces, and lines are then broken at the last space before the width. */
#include "strings_private.h"

typedef struct ldr_resource_info { /* LDR_RESOURCE_INFO */
  ULONG_PTR Type;
  ULONG_PTR Name;
  ULONG Language;
} ldr_resource_info;

/* loader family */
NTSTATUS NTAPI LdrFindResource_U(PVOID base, const ldr_resource_info* info, ULONG level,
                                 const IMAGE_RESOURCE_DATA_ENTRY** entry);
NTSTATUS NTAPI LdrAccessResource(PVOID base, const IMAGE_RESOURCE_DATA_ENTRY* entry, PVOID* data,
                                 PULONG size);

/* A message table is one resource (name 1) of the type; its blocks cover ranges of ids whose
 * entries (variable length) follow one another. */
NTDLL_EXPORT NTSTATUS NTAPI RtlFindMessage(PVOID base, ULONG type, ULONG language, ULONG id,
                                           MESSAGE_RESOURCE_ENTRY** found) {
  const ldr_resource_info info = {type, 1, language};
  const IMAGE_RESOURCE_DATA_ENTRY* entry;
  NTSTATUS status = LdrFindResource_U(base, &info, 3, &entry);
  if (!NT_SUCCESS(status)) return status;
  PVOID data;
  status = LdrAccessResource(base, entry, &data, NULL);
  if (!NT_SUCCESS(status)) return status;
  const MESSAGE_RESOURCE_DATA* table = data;
  for (ULONG b = 0; b < table->NumberOfBlocks; b++) {
    const MESSAGE_RESOURCE_BLOCK* block = &table->Blocks[b];
    if (id < block->LowId || id > block->HighId) continue;
    const BYTE* p = (const BYTE*)table + block->OffsetToEntries;
    for (ULONG i = block->LowId; i < id; i++) p += ((const MESSAGE_RESOURCE_ENTRY*)p)->Length;
    *found = (MESSAGE_RESOURCE_ENTRY*)p;
    return STATUS_SUCCESS;
  }
  return STATUS_MESSAGE_NOT_FOUND;
}

/* ---- RtlFormatMessage ------------------------------------------------------------------- */

typedef struct output {
  WCHAR *start, *pos, *end;
  WCHAR* line;  /* where the current line starts */
  WCHAR* space; /* the last space on it, NULL if none */
} output;

typedef struct arguments {
  const ULONG_PTR* array; /* the arguments as an array, or */
  va_list* list;          /* as a va_list, fetched in order into fetched[] */
  int last;               /* how many have been used / fetched */
  ULONG_PTR fetched[100];
} arguments;

static NTSTATUS add(output* o, const WCHAR* s, size_t n) {
  if ((size_t)(o->end - o->pos) < n) return STATUS_BUFFER_OVERFLOW;
  memcpy(o->pos, s, n * sizeof(WCHAR));
  o->pos += n;
  return STATUS_SUCCESS;
}

static NTSTATUS add_newline(output* o) {
  static const WCHAR crlf[2] = {'\r', '\n'};
  const NTSTATUS status = add(o, crlf, 2);
  o->line = o->pos;
  o->space = NULL;
  return status;
}

/* Argument nr (1-based) from a va_list: every argument before it is fetched first. */
static ULONG_PTR list_arg(arguments* a, int nr) {
  while (a->last < nr && a->last < 100) a->fetched[a->last++] = va_arg(*a->list, ULONG_PTR);
  return a->fetched[nr - 1];
}

static int format_insert(WCHAR* buf, size_t n, const WCHAR* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int len = strings_format(buf, n, 1, fmt, ap);
  va_end(ap);
  return len;
}

/* Insert nr at *src (just past its digits): an optional !format!, then the argument(s) - a '*'
 * width or precision takes the arguments that follow. */
static NTSTATUS add_insert(output* o, const WCHAR** src, int nr, BOOLEAN ansi, arguments* a) {
  WCHAR fmt[32];
  int f = 0, stars = 0;
  fmt[f++] = '%';
  const WCHAR* s = *src;
  if (*s == '!') {
    const WCHAR* close = ++s;
    while (*close && *close != '!') close++;
    if (!*close || close - s > 29) return STATUS_INVALID_PARAMETER;
    for (; s < close; s++) {
      WCHAR c = *s;
      if (c == '*') stars++;
      if (ansi && (c == 's' || c == 'S' || c == 'c' || c == 'C')) c ^= 0x20; /* narrow text */
      fmt[f++] = c;
    }
    *src = close + 1;
    if (stars > 2) return STATUS_INVALID_PARAMETER;
  } else {
    fmt[f++] = ansi ? 'S' : 's';
  }
  fmt[f] = 0;
  ULONG_PTR v[3] = {0};
  int k = 0;
  if (a->array) {
    for (int i = 0; i < stars; i++) v[k++] = a->array[nr - 1 + i];
    v[k++] = a->array[nr - 1 + stars];
    if (a->last < nr + stars) a->last = nr + stars;
  } else if (a->list) {
    /* Windows' va_list quirk, which callers depend on: the width/precision take the argument
     * slots from nr on, but the value then reuses the last of those slot numbers, so the inserts
     * after it see every argument one place early ("%1!*d! %2" takes width, value, then %2). */
    if (nr + stars > 99) return STATUS_INVALID_PARAMETER;
    if (nr > 1) list_arg(a, nr - 1);
    for (int i = 0; i < stars; i++) v[k++] = list_arg(a, i ? a->last + 1 : nr);
    if (stars) a->last--; /* the next fetch overwrites the last width/precision slot */
    v[k++] = list_arg(a, stars ? a->last + 1 : nr);
  } else {
    return STATUS_INVALID_PARAMETER;
  }
  const size_t room = (size_t)(o->end - o->pos);
  const int len = format_insert(o->pos, room, fmt, v[0], v[1], v[2]);
  if (len < 0 || (size_t)len > room) return STATUS_BUFFER_OVERFLOW; /* > room: a NULL buffer */
  o->pos += len;
  return STATUS_SUCCESS;
}

/* Breaks the line at its last space (or here, when it has none) once it reaches the width. */
static NTSTATUS wrap(output* o, ULONG width) {
  if (!width || (ULONG)(o->pos - o->line) < width) return STATUS_SUCCESS;
  WCHAR *cut, *next;
  if (o->space) {
    next = o->space + 1; /* the spaces (and tabs) before the break go */
    cut = o->space;
    while (cut > o->line && (cut[-1] == ' ' || cut[-1] == '\t')) cut--;
  } else {
    cut = next = o->pos;
  }
  const ptrdiff_t grow = 2 - (next - cut);
  if (grow > 0 && o->end - o->pos < grow) return STATUS_BUFFER_OVERFLOW;
  memmove(cut + 2, next, (size_t)(o->pos - next) * sizeof(WCHAR));
  o->pos += grow;
  cut[0] = '\r';
  cut[1] = '\n';
  o->line = cut + 2;
  o->space = NULL;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlFormatMessageEx(PCWSTR src, ULONG width, BOOLEAN ignore_inserts,
                                               BOOLEAN ansi, BOOLEAN is_array, va_list* args,
                                               PWSTR buffer, ULONG size, PULONG return_size,
                                               ULONG flags) {
  static const WCHAR space = ' ', tab = '\t', cr = '\r';
  output o = {buffer, buffer, buffer + size / sizeof(WCHAR), buffer, NULL};
  arguments a = {is_array ? (const ULONG_PTR*)args : NULL, is_array ? NULL : args, 0, {0}};
  for (; *src; src++) {
    NTSTATUS status = STATUS_SUCCESS;
    switch (*src) {
      case '\r':
      case '\n':
        if (src[0] == '\r' && src[1] == '\n') src++;
        if (!width) {
          status = add_newline(&o);
          break;
        }
        /* with a width, line ends are spaces */
        /* fall through */
      case ' ':
        o.space = o.pos;
        status = add(&o, &space, 1);
        break;
      case '\t':
        if (o.space && o.space == o.pos - 1) o.space = o.pos;
        status = add(&o, &tab, 1);
        break;
      case '%':
        src++;
        if (!*src) return STATUS_INVALID_PARAMETER;
        if (*src == 't' && !width) {
          status = add(&o, &tab, 1);
        } else if (*src == 'n' || *src == 't') {
          status = add_newline(&o);
        } else if (*src == 'r') {
          status = add(&o, &cr, 1);
          o.line = o.pos;
          o.space = NULL;
        } else if (*src == '0') {
          while (src[1]) src++; /* the rest of the message is dropped */
        } else if (*src >= '1' && *src <= '9' && !ignore_inserts) {
          int nr = *src++ - '0';
          if (*src >= '0' && *src <= '9') nr = nr * 10 + (*src++ - '0');
          status = add_insert(&o, &src, nr, ansi, &a);
          src--;
        } else {
          status = ignore_inserts ? add(&o, src - 1, 2) : add(&o, src, 1); /* %% %. %! ... */
        }
        break;
      default:
        status = add(&o, src, 1);
        break;
    }
    if (!NT_SUCCESS(status)) return status;
    status = wrap(&o, width);
    if (!NT_SUCCESS(status)) return status;
  }
  static const WCHAR nul = 0;
  const NTSTATUS status = add(&o, &nul, 1);
  if (!NT_SUCCESS(status)) return status;
  if (return_size) *return_size = (ULONG)((o.pos - o.start) * sizeof(WCHAR));
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlFormatMessage(PCWSTR src, ULONG width, BOOLEAN ignore_inserts,
                                             BOOLEAN ansi, BOOLEAN is_array, va_list* args,
                                             PWSTR buffer, ULONG size, PULONG return_size) {
  return RtlFormatMessageEx(src, width, ignore_inserts, ansi, is_array, args, buffer, size,
                            return_size, 0);
}
