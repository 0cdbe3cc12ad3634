/* GUIDs as text: "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" (38 characters, braces included).
 * RtlGUIDFromString takes either case; RtlStringFromGUID writes uppercase into a heap buffer. */
#include "strings_private.h"

#define GUID_CHARS 38

/* The byte layout of the text: for each of the 16 bytes, where its two hex digits start. Data1 to
 * Data3 are little-endian numbers, so their bytes come from the text right to left. */
static const unsigned char digit_pos[16] = {7,  5,  3,  1,  12, 10, 17, 15,
                                            20, 22, 25, 27, 29, 31, 33, 35};

static int hex_value(WCHAR c) {
  const unsigned d = strings_digit_value(c);
  return d < 16 ? (int)d : -1;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlGUIDFromString(PCUNICODE_STRING s, GUID* guid) {
  if (s->Length < GUID_CHARS * sizeof(WCHAR)) return STATUS_INVALID_PARAMETER;
  const WCHAR* t = s->Buffer;
  if (t[0] != '{' || t[9] != '-' || t[14] != '-' || t[19] != '-' || t[24] != '-' || t[37] != '}')
    return STATUS_INVALID_PARAMETER;
  BYTE bytes[16];
  for (int i = 0; i < 16; i++) {
    const int hi = hex_value(t[digit_pos[i]]), lo = hex_value(t[digit_pos[i] + 1]);
    if (hi < 0 || lo < 0) return STATUS_INVALID_PARAMETER;
    bytes[i] = (BYTE)(hi << 4 | lo);
  }
  memcpy(guid, bytes, sizeof(bytes));
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlStringFromGUID(const GUID* guid, PUNICODE_STRING s) {
  const size_t bytes = (GUID_CHARS + 1) * sizeof(WCHAR);
  WCHAR* t = RtlAllocateHeap(strings_process_heap(), 0, bytes);
  if (!t) {
    s->Buffer = NULL;
    s->Length = s->MaximumLength = 0;
    return STATUS_NO_MEMORY;
  }
  static const char pattern[] = "{........-....-....-....-............}";
  for (int i = 0; i <= GUID_CHARS; i++) t[i] = (WCHAR)pattern[i];
  const BYTE* b = (const BYTE*)guid;
  for (int i = 0; i < 16; i++) {
    t[digit_pos[i]] = (WCHAR) "0123456789ABCDEF"[b[i] >> 4];
    t[digit_pos[i] + 1] = (WCHAR) "0123456789ABCDEF"[b[i] & 15];
  }
  s->Buffer = t;
  s->Length = GUID_CHARS * sizeof(WCHAR);
  s->MaximumLength = (USHORT)bytes;
  return STATUS_SUCCESS;
}
