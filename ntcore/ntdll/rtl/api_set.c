/* API set presence (ApiSetQueryApiSetPresence(Ex)): an API set name (api-ms-win-*, ext-ms-win-*) is
 * in our schema, and present, when the runtime maps it to a host DLL that its DLL search finds
 * (ntcore/loader/api_sets.cpp has the families). The Ex form takes contract names only: no ".dll",
 * and anything that is not an API set name is STATUS_INVALID_PARAMETER (as Wine's; the older form
 * answers "not present" for those). */
#include "loader_private.h"

static BOOLEAN is_api_set_name(const UNICODE_STRING* name) {
  static const WCHAR api[] = {'a', 'p', 'i', '-'}, ext[] = {'e', 'x', 't', '-'};
  return name->Length >= 4 * sizeof(WCHAR) &&
         (!loader_wcsnicmp(name->Buffer, api, 4) || !loader_wcsnicmp(name->Buffer, ext, 4));
}

static BOOLEAN has_dll_suffix(const UNICODE_STRING* name) {
  static const WCHAR dll[] = {'.', 'd', 'l', 'l'};
  const SIZE_T n = name->Length / sizeof(WCHAR);
  return n >= 4 && !loader_wcsnicmp(name->Buffer + n - 4, dll, 4);
}

/* A set whose host cannot be found is one our schema does not have. */
static BOOLEAN host_found(const UNICODE_STRING* name) {
  PVOID base = NULL;
  return loader_IrLdrLoadDll(NULL, LOADER_FIND_ONLY, name, &base) == STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI ApiSetQueryApiSetPresenceEx(const UNICODE_STRING* Name,
                                                        BOOLEAN* InSchema, BOOLEAN* Present) {
  if (!Name || !is_api_set_name(Name) || has_dll_suffix(Name)) return STATUS_INVALID_PARAMETER;
  *InSchema = *Present = host_found(Name);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI ApiSetQueryApiSetPresence(const UNICODE_STRING* Name,
                                                      BOOLEAN* Present) {
  *Present = is_api_set_name(Name) && host_found(Name);
  return STATUS_SUCCESS;
}
