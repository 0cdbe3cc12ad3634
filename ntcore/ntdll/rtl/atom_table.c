/* Local atom tables: 16-bit handles for case-insensitive strings. Integer atoms (1..0xBFFF, given
 * as MAKEINTATOM(n) or as the string "#n") stand for themselves and are never stored; string
 * atoms are numbered from 0xC000, reference-counted, and stay forever once pinned. */
#include "security_private.h"

typedef USHORT RTL_ATOM;

#define ATOM_INTEGER_LIMIT 0xC000 /* MAXINTATOM */
#define ATOM_MAX_NAME 255         /* characters */
#define ATOM_PINNED 0x01          /* the pin flag RtlQueryAtomInAtomTable reports */
#define ATOM_DEFAULT_BUCKETS 37
#define ATOM_TABLE_SIGNATURE 0x6D6F7441 /* 'Atom' */

typedef struct atom_entry {
  struct atom_entry* next; /* in its hash bucket */
  RTL_ATOM atom;
  USHORT references;
  UCHAR flags;
  UCHAR length; /* characters, no terminator stored */
  WCHAR name[];
} atom_entry;

typedef struct {
  ULONG signature;
  RTL_CRITICAL_SECTION lock;
  atom_entry** handles; /* by atom - 0xC000; NULL slots are free */
  ULONG handle_count, handle_capacity;
  ULONG bucket_count;
  atom_entry* buckets[];
} atom_table;

/* What a name argument means: an integer atom, or a string to look up. */
typedef struct {
  RTL_ATOM integer; /* non-zero for an integer atom */
  const WCHAR* name;
  ULONG length;
} atom_name;

/* Classifies `name`: MAKEINTATOM values and "#decimal" strings are integer atoms, which must be
 * 1..0xBFFF; "#" followed by anything else is an ordinary string. */
static NTSTATUS parse_name(const WCHAR* name, atom_name* out) {
  out->integer = 0;
  out->name = name;
  out->length = 0;
  if ((ULONG_PTR)name < 0x10000) {
    const ULONG value = (ULONG)(ULONG_PTR)name;
    if (!value || value >= ATOM_INTEGER_LIMIT) return STATUS_INVALID_PARAMETER;
    out->integer = (RTL_ATOM)value;
    return STATUS_SUCCESS;
  }
  while (name[out->length]) {
    if (++out->length > ATOM_MAX_NAME) return STATUS_INVALID_PARAMETER;
  }
  if (!out->length) return STATUS_OBJECT_NAME_INVALID;
  if (name[0] == L'#' && out->length > 1) {
    ULONG value = 0, i = 1;
    for (; i < out->length && name[i] >= L'0' && name[i] <= L'9'; ++i) {
      value = value * 10 + (name[i] - L'0');
      if (value >= ATOM_INTEGER_LIMIT) value = ATOM_INTEGER_LIMIT; /* saturate: too big anyway */
    }
    if (i == out->length) {
      if (!value || value >= ATOM_INTEGER_LIMIT) return STATUS_INVALID_PARAMETER;
      out->integer = (RTL_ATOM)value;
    }
  }
  return STATUS_SUCCESS;
}

static ULONG hash_name(const WCHAR* name, ULONG length) {
  ULONG hash = 0;
  for (ULONG i = 0; i < length; ++i) hash = hash * 31 + RtlUpcaseUnicodeChar(name[i]);
  return hash;
}

static BOOLEAN same_name(const atom_entry* entry, const WCHAR* name, ULONG length) {
  if (entry->length != length) return FALSE;
  for (ULONG i = 0; i < length; ++i)
    if (RtlUpcaseUnicodeChar(entry->name[i]) != RtlUpcaseUnicodeChar(name[i])) return FALSE;
  return TRUE;
}

static atom_entry** find_slot(atom_table* table, const atom_name* n) {
  atom_entry** slot = &table->buckets[hash_name(n->name, n->length) % table->bucket_count];
  while (*slot && !same_name(*slot, n->name, n->length)) slot = &(*slot)->next;
  return slot;
}

static atom_entry* entry_of(atom_table* table, RTL_ATOM atom) {
  const ULONG index = (ULONG)atom - ATOM_INTEGER_LIMIT;
  return atom >= ATOM_INTEGER_LIMIT && index < table->handle_count ? table->handles[index] : NULL;
}

static BOOLEAN valid_table(const atom_table* table) {
  return table && table->signature == ATOM_TABLE_SIGNATURE;
}

/* A free atom number for `entry`, growing the handle array when all are used. */
static BOOLEAN assign_atom(atom_table* table, atom_entry* entry) {
  ULONG index = 0;
  while (index < table->handle_count && table->handles[index]) ++index;
  if (index == table->handle_count) {
    if (index >= 0x10000 - ATOM_INTEGER_LIMIT) return FALSE;
    if (index == table->handle_capacity) {
      const ULONG capacity = table->handle_capacity ? table->handle_capacity * 2 : 16;
      atom_entry** grown = security_alloc(capacity * sizeof(*grown));
      if (!grown) return FALSE;
      security_copy(grown, table->handles, index * sizeof(*grown));
      security_free(table->handles);
      table->handles = grown;
      table->handle_capacity = capacity;
    }
    table->handle_count++;
  }
  table->handles[index] = entry;
  entry->atom = (RTL_ATOM)(ATOM_INTEGER_LIMIT + index);
  return TRUE;
}

static void remove_entry(atom_table* table, atom_entry* entry) {
  const atom_name n = {0, entry->name, entry->length};
  *find_slot(table, &n) = entry->next;
  table->handles[entry->atom - ATOM_INTEGER_LIMIT] = NULL;
  security_free(entry);
}

/* Creates a table unless *table already names one (then only a zero size is accepted). */
NTDLL_EXPORT NTSTATUS NTAPI RtlCreateAtomTable(ULONG size, PVOID* table) {
  if (*table) return size ? STATUS_INVALID_PARAMETER : STATUS_SUCCESS;
  if (!size) size = ATOM_DEFAULT_BUCKETS;
  atom_table* t = security_alloc(sizeof(atom_table) + size * sizeof(atom_entry*));
  if (!t) return STATUS_NO_MEMORY;
  t->signature = ATOM_TABLE_SIGNATURE;
  RtlInitializeCriticalSection(&t->lock);
  t->handles = NULL;
  t->handle_count = t->handle_capacity = 0;
  t->bucket_count = size;
  for (ULONG i = 0; i < size; ++i) t->buckets[i] = NULL;
  *table = t;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlDestroyAtomTable(PVOID table) {
  atom_table* t = table;
  if (!valid_table(t)) return STATUS_INVALID_PARAMETER;
  for (ULONG i = 0; i < t->handle_count; ++i) security_free(t->handles[i]);
  security_free(t->handles);
  RtlDeleteCriticalSection(&t->lock);
  t->signature = 0;
  security_free(t);
  return STATUS_SUCCESS;
}

/* Deletes every atom; pinned ones too when asked. */
NTDLL_EXPORT NTSTATUS NTAPI RtlEmptyAtomTable(PVOID table, BOOLEAN include_pinned) {
  atom_table* t = table;
  if (!valid_table(t)) return STATUS_INVALID_PARAMETER;
  RtlEnterCriticalSection(&t->lock);
  for (ULONG i = 0; i < t->handle_count; ++i) {
    atom_entry* entry = t->handles[i];
    if (entry && (include_pinned || !(entry->flags & ATOM_PINNED))) remove_entry(t, entry);
  }
  RtlLeaveCriticalSection(&t->lock);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlAddAtomToAtomTable(PVOID table, PWSTR name, RTL_ATOM* atom) {
  atom_table* t = table;
  if (!valid_table(t)) return STATUS_INVALID_PARAMETER;
  atom_name n;
  NTSTATUS status = parse_name(name, &n);
  if (status) return status;
  RTL_ATOM result = n.integer;
  if (!result) {
    RtlEnterCriticalSection(&t->lock);
    atom_entry** slot = find_slot(t, &n);
    atom_entry* entry = *slot;
    if (entry) {
      if (entry->references < 0xFFFF) entry->references++;
    } else {
      entry = security_alloc(sizeof(atom_entry) + n.length * sizeof(WCHAR));
      if (entry) {
        entry->next = NULL;
        entry->references = 1;
        entry->flags = 0;
        entry->length = (UCHAR)n.length;
        security_copy(entry->name, n.name, n.length * sizeof(WCHAR));
        if (assign_atom(t, entry)) {
          *slot = entry;
        } else {
          security_free(entry);
          entry = NULL;
        }
      }
      if (!entry) status = STATUS_NO_MEMORY;
    }
    if (entry) result = entry->atom;
    RtlLeaveCriticalSection(&t->lock);
  }
  if (!status && atom) *atom = result;
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlLookupAtomInAtomTable(PVOID table, PWSTR name, RTL_ATOM* atom) {
  atom_table* t = table;
  if (!valid_table(t)) return STATUS_INVALID_PARAMETER;
  atom_name n;
  NTSTATUS status = parse_name(name, &n);
  if (status) return status;
  RTL_ATOM result = n.integer;
  if (!result) {
    RtlEnterCriticalSection(&t->lock);
    const atom_entry* entry = *find_slot(t, &n);
    if (entry)
      result = entry->atom;
    else
      status = STATUS_OBJECT_NAME_NOT_FOUND;
    RtlLeaveCriticalSection(&t->lock);
  }
  if (!status && atom) *atom = result;
  return status;
}

/* Drops one reference; the atom goes with the last. Integer atoms are not stored: deleting one
 * succeeds without effect. A pinned atom stays (STATUS_WAS_LOCKED). */
NTDLL_EXPORT NTSTATUS NTAPI RtlDeleteAtomFromAtomTable(PVOID table, RTL_ATOM atom) {
  atom_table* t = table;
  if (!valid_table(t)) return STATUS_INVALID_PARAMETER;
  if (!atom) return STATUS_INVALID_HANDLE;
  if (atom < ATOM_INTEGER_LIMIT) return STATUS_SUCCESS;
  NTSTATUS status = STATUS_SUCCESS;
  RtlEnterCriticalSection(&t->lock);
  atom_entry* entry = entry_of(t, atom);
  if (!entry)
    status = STATUS_INVALID_HANDLE;
  else if (entry->flags & ATOM_PINNED)
    status = STATUS_WAS_LOCKED;
  else if (!--entry->references)
    remove_entry(t, entry);
  RtlLeaveCriticalSection(&t->lock);
  return status;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlPinAtomInAtomTable(PVOID table, RTL_ATOM atom) {
  atom_table* t = table;
  if (!valid_table(t)) return STATUS_INVALID_PARAMETER;
  if (atom < ATOM_INTEGER_LIMIT) return STATUS_SUCCESS;
  RtlEnterCriticalSection(&t->lock);
  atom_entry* entry = entry_of(t, atom);
  if (entry) entry->flags |= ATOM_PINNED;
  RtlLeaveCriticalSection(&t->lock);
  return entry ? STATUS_SUCCESS : STATUS_INVALID_HANDLE;
}

/* Copies as much of `name` as fits with a terminator into `buffer` (`*length` bytes) and sets
 * *length to the bytes copied; an empty buffer gets nothing and learns the full length. */
static NTSTATUS copy_name(const WCHAR* name, ULONG chars, PWSTR buffer, PULONG length) {
  const ULONG bytes = chars * sizeof(WCHAR);
  if (*length < sizeof(WCHAR)) {
    *length = bytes;
    return STATUS_BUFFER_TOO_SMALL;
  }
  ULONG fit = (*length - sizeof(WCHAR)) / sizeof(WCHAR);
  if (fit > chars) fit = chars;
  if (buffer) {
    security_copy(buffer, name, fit * sizeof(WCHAR));
    buffer[fit] = 0;
  }
  *length = buffer ? fit * sizeof(WCHAR) : bytes;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlQueryAtomInAtomTable(PVOID table, RTL_ATOM atom, PULONG references,
                                                    PULONG pins, PWSTR name, PULONG length) {
  atom_table* t = table;
  if (!valid_table(t) || !atom) return STATUS_INVALID_PARAMETER;
  if (atom < ATOM_INTEGER_LIMIT) { /* "#n", one reference, pinned for good */
    WCHAR text[7], digits[5];
    ULONG chars = 0, count = 0, value = atom;
    do digits[count++] = (WCHAR)(L'0' + value % 10);
    while (value /= 10);
    text[chars++] = L'#';
    while (count) text[chars++] = digits[--count];
    if (references) *references = 1;
    if (pins) *pins = 1;
    return length ? copy_name(text, chars, name, length) : STATUS_SUCCESS;
  }
  NTSTATUS status = STATUS_SUCCESS;
  RtlEnterCriticalSection(&t->lock);
  const atom_entry* entry = entry_of(t, atom);
  if (!entry) {
    status = STATUS_INVALID_HANDLE;
  } else {
    if (references) *references = entry->references;
    if (pins) *pins = entry->flags & ATOM_PINNED;
    if (length) status = copy_name(entry->name, entry->length, name, length);
  }
  RtlLeaveCriticalSection(&t->lock);
  return status;
}
