/* Preferred UI languages: the system's and the user's are en-US; a process or thread may set its
 * own list (until then it gets the user's). Lists are multi-strings ("en-US\0\0") of names, or of
 * hexadecimal LANGIDs ("0409\0\0") with MUI_LANGUAGE_ID; sizes count characters with every NUL. */
#include "env_private.h"

#define MUI_LANGUAGE_ID 0x4
#define MUI_LANGUAGE_NAME 0x8
#define MAX_LIST_CHARS 128 /* a settable list: a handful of names */

static const WCHAR default_names[] = L"en-US\0";

/* What RtlSetProcessPreferredUILanguages stored (names), empty when none. */
static WCHAR process_languages[MAX_LIST_CHARS];
/* The thread's own list. Windows keeps it per thread (in the TEB's MUI data); ntcore processes
 * run one thread so far, so one list serves. */
static WCHAR thread_languages[MAX_LIST_CHARS];

/* The characters of a multi-string, its final NUL included. */
static SIZE_T multi_length(const WCHAR* list) {
  const WCHAR* p = list;
  while (*p) p += wcslen(p) + 1;
  return (SIZE_T)(p - list) + 1;
}

/* "en-US" <-> 0x0409: the only language we know. */
static BOOLEAN to_id(const WCHAR* name, WCHAR* id) {
  static const WCHAR en_us[] = L"EN-US";
  for (int i = 0; i < 6; i++)
    if (env_upcase(name[i]) != en_us[i]) return FALSE;
  id[0] = '0', id[1] = '4', id[2] = '0', id[3] = '9', id[4] = 0;
  return TRUE;
}

/* Writes `list` (names) as asked by `flags` into buffer, per the Get*PreferredUILanguages rules:
 * *size in, room in characters; out, the characters needed; a NULL buffer (or *size 0) just
 * measures. */
static NTSTATUS report(const WCHAR* list, DWORD flags, ULONG* count, WCHAR* buffer, ULONG* size) {
  WCHAR converted[MAX_LIST_CHARS];
  ULONG n = 0;
  SIZE_T out = 0;
  for (const WCHAR* p = list; *p; p += wcslen(p) + 1, n++) {
    if (flags & MUI_LANGUAGE_ID) {
      if (!to_id(p, converted + out)) continue;
      out += 5;
    } else {
      const SIZE_T len = wcslen(p) + 1;
      for (SIZE_T i = 0; i < len; i++) converted[out + i] = p[i];
      out += len;
    }
  }
  converted[out++] = 0;
  *count = n;
  if (buffer && *size) {
    if (*size < out) {
      *size = (ULONG)out;
      return STATUS_BUFFER_TOO_SMALL;
    }
    for (SIZE_T i = 0; i < out; i++) buffer[i] = converted[i];
  }
  *size = (ULONG)out;
  return STATUS_SUCCESS;
}

static BOOLEAN bad_format(DWORD flags) {
  return (flags & (MUI_LANGUAGE_ID | MUI_LANGUAGE_NAME)) == (MUI_LANGUAGE_ID | MUI_LANGUAGE_NAME);
}

/* The user's and system's lists take only a format flag. */
NTDLL_EXPORT NTSTATUS NTAPI RtlGetUserPreferredUILanguages(DWORD flags, ULONG unknown, ULONG* count,
                                                           WCHAR* buffer, ULONG* size) {
  if (flags & ~(MUI_LANGUAGE_ID | MUI_LANGUAGE_NAME) || bad_format(flags) || !count || !size)
    return STATUS_INVALID_PARAMETER;
  return report(default_names, flags, count, buffer, size);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlGetSystemPreferredUILanguages(DWORD flags, ULONG unknown,
                                                             ULONG* count, WCHAR* buffer,
                                                             ULONG* size) {
  return RtlGetUserPreferredUILanguages(flags, unknown, count, buffer, size);
}

/* A copy of `first`, else `second`, else the default list, whichever is set first (under the
 * PEB lock, which guards what the setters store). */
static void snapshot(const WCHAR* first, const WCHAR* second, WCHAR* copy) {
  RtlAcquirePebLock();
  const WCHAR* from = first[0] ? first : second[0] ? second : default_names;
  const SIZE_T len = multi_length(from);
  for (SIZE_T i = 0; i < len; i++) copy[i] = from[i];
  RtlReleasePebLock();
}

NTDLL_EXPORT NTSTATUS NTAPI RtlGetProcessPreferredUILanguages(DWORD flags, ULONG* count,
                                                              WCHAR* buffer, ULONG* size) {
  if (bad_format(flags) || !count || !size) return STATUS_INVALID_PARAMETER;
  WCHAR list[MAX_LIST_CHARS];
  snapshot(process_languages, default_names, list);
  return report(list, flags, count, buffer, size);
}

/* The thread's list, else the process's, else the user's (the fallbacks the MUI_MERGE_* flags
 * ask for are the same languages). */
NTDLL_EXPORT NTSTATUS NTAPI RtlGetThreadPreferredUILanguages(DWORD flags, ULONG* count,
                                                             WCHAR* buffer, ULONG* size) {
  if (bad_format(flags) || !count || !size) return STATUS_INVALID_PARAMETER;
  WCHAR list[MAX_LIST_CHARS];
  snapshot(thread_languages, process_languages, list);
  return report(list, flags, count, buffer, size);
}

/* Stores a multi-string of names (NULL or empty clears the list); *count gets the languages stored.
 * */
static NTSTATUS store(WCHAR* to, DWORD flags, PCZZWSTR list, ULONG* count) {
  if (flags & ~MUI_LANGUAGE_NAME) return STATUS_INVALID_PARAMETER;
  const SIZE_T len = list ? multi_length(list) : 1;
  if (len > MAX_LIST_CHARS) return STATUS_INVALID_PARAMETER;
  ULONG n = 0;
  RtlAcquirePebLock();
  for (SIZE_T i = 0; i < len; i++) {
    to[i] = list ? list[i] : 0;
    if (!to[i] && i + 1 < len) n++;
  }
  RtlReleasePebLock();
  if (count) *count = n;
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlSetProcessPreferredUILanguages(DWORD flags, PCZZWSTR list,
                                                              ULONG* count) {
  return store(process_languages, flags, list, count);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlSetThreadPreferredUILanguages(DWORD flags, PCZZWSTR list,
                                                             ULONG* count) {
  return store(thread_languages, flags, list, count);
}
