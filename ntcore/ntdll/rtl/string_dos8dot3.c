/* RtlIsNameLegalDOS8Dot3: is a name a valid short (8.3) FAT name? The name is upcased and converted
 * to the OEM code page (into *oem when given, with the caller's buffer); at most 8 characters, then
 * optionally a dot and at most 3 more, none of the characters FAT forbids; "." and ".." are legal;
 * spaces are allowed and reported. */
#include "strings_private.h"

NTSTATUS NTAPI RtlUnicodeToOemN(PCHAR oem, ULONG oem_max, PULONG oem_bytes, PCWCH uni,
                                ULONG uni_bytes); /* nls family */

#define SHORT_NAME_MAX 12

NTDLL_EXPORT BOOLEAN NTAPI RtlIsNameLegalDOS8Dot3(PUNICODE_STRING name, POEM_STRING oem,
                                                  PBOOLEAN has_spaces) {
  static const char illegal[] = "*?<>|\"+=,;[]:/\\\345";
  char local[SHORT_NAME_MAX];
  OEM_STRING local_oem = {0, sizeof(local), local};
  if (!oem) oem = &local_oem;
  const USHORT count = name->Length / sizeof(WCHAR);
  if (count > SHORT_NAME_MAX) return FALSE; /* every character takes at least one OEM byte */
  WCHAR upper[SHORT_NAME_MAX];
  for (USHORT i = 0; i < count; i++) upper[i] = RtlUpcaseUnicodeChar(name->Buffer[i]);
  ULONG len = 0;
  if (RtlUnicodeToOemN(oem->Buffer, oem->MaximumLength, &len, upper, count * sizeof(WCHAR)) !=
      STATUS_SUCCESS)
    return FALSE;
  oem->Length = (USHORT)len;
  if (len > SHORT_NAME_MAX) return FALSE;
  const char* t = oem->Buffer;
  if (len && t[0] == '.') { /* only "." and ".." may start with a dot */
    if (len != 1 && (len != 2 || t[1] != '.')) return FALSE;
    if (has_spaces) *has_spaces = FALSE;
    return TRUE;
  }
  int dot = -1, spaces = 0;
  for (ULONG i = 0; i < len; i++) {
    if (t[i] == ' ') {
      spaces = 1;
    } else if (t[i] == '.') {
      if (dot >= 0) return FALSE;
      dot = (int)i;
    } else {
      for (const char* c = illegal; *c; c++)
        if (*c == t[i]) return FALSE;
    }
  }
  if (dot < 0 ? len > 8 : dot > 8 || (int)len - dot > 4 || dot == (int)len - 1) return FALSE;
  if (has_spaces) *has_spaces = (BOOLEAN)spaces;
  return TRUE;
}
