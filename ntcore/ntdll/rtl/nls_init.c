/* The process's NLS tables: the ANSI and OEM code pages and the Unicode case tables, mapped from
 * the NLS data files through NtGetNlsSectionPtr and published in the PEB (AnsiCodePageData,
 * OemCodePageData, UnicodeCaseTableData) where Windows' process start puts them and where
 * kernelbase reads them. Also RtlInitCodePageTable, RtlGetLocaleFileMappingAddress and the data
 * exports describing the code pages.
 *
 * The code pages are Windows' defaults for en-US: ANSI 1252, OEM 437. (Wine's kernelbase works
 * with any table the PEB holds, UTF-8 included; it does not ask for one in particular.) */
#include "nls_private.h"

#define NLS_ANSI_CODE_PAGE 1252
#define NLS_OEM_CODE_PAGE 437

NTDLL_EXPORT USHORT NlsAnsiCodePage = NLS_ANSI_CODE_PAGE;
NTDLL_EXPORT BOOLEAN NlsMbCodePageTag = FALSE;    /* the ANSI code page is DBCS */
NTDLL_EXPORT BOOLEAN NlsMbOemCodePageTag = FALSE; /* the OEM code page is DBCS */

static CPTABLEINFO nls_ansi, nls_oem;
static const USHORT* nls_upcase;
static const USHORT* nls_downcase;
static volatile LONG nls_ready; /* 2 once the tables above are set */

NTDLL_EXPORT void NTAPI RtlInitCodePageTable(USHORT* ptr, CPTABLEINFO* info) {
  /* The file's header, in words: its size, CodePage, MaximumCharacterSize, DefaultChar,
   * UniDefaultChar, TransDefaultChar, TransUniDefaultChar, LeadByte[12]. */
  memset(info, 0, sizeof(*info));
  if (!ptr) return;
  info->CodePage = ptr[1];
  if (ptr[1] == NLS_CP_UTF8) { /* a table in name only: conversions go through UTF-8 code */
    info->MaximumCharacterSize = 4;
    info->DefaultChar = info->TransDefaultChar = info->TransUniDefaultChar = '?';
    info->UniDefaultChar = 0xFFFD;
    return;
  }
  info->MaximumCharacterSize = ptr[2];
  info->DefaultChar = ptr[3];
  info->UniDefaultChar = ptr[4];
  info->TransDefaultChar = ptr[5];
  info->TransUniDefaultChar = ptr[6];
  memcpy(info->LeadByte, ptr + 7, sizeof(info->LeadByte));
  /* Then: the offset (in words, from itself) of the WideCharTable's flag word, the 256-entry
   * MultiByteTable, an optional 256-entry glyph table behind its size word, the number of DBCS
   * ranges and, when nonzero, the lead-byte offsets and tables. */
  USHORT* p = ptr + ptr[0];
  info->WideCharTable = p + p[0] + 1;
  info->MultiByteTable = ++p;
  p += 256;
  if (*p++) p += 256;
  info->DBCSRanges = p;
  if (*p) {
    info->DBCSCodePage = 1;
    info->DBCSOffsets = p + 1;
  }
}

static void* nls_section(ULONG type, ULONG id) {
  void* ptr = NULL;
  SIZE_T size = 0;
  if (NtGetNlsSectionPtr(type, id, NULL, &ptr, &size) < 0) return NULL;
  return ptr;
}

void nls_process_init(void) {
  if (nls_ready == 2) return;
  /* Concurrent first users all map the same (cached) sections and store the same values. */
  IR_PEB* peb = ir_peb();
  if (!peb->AnsiCodePageData)
    peb->AnsiCodePageData = nls_section(NLS_SECTION_CODEPAGE, NLS_ANSI_CODE_PAGE);
  if (!peb->OemCodePageData)
    peb->OemCodePageData = nls_section(NLS_SECTION_CODEPAGE, NLS_OEM_CODE_PAGE);
  if (!peb->UnicodeCaseTableData) peb->UnicodeCaseTableData = nls_section(NLS_SECTION_CASEMAP, 0);

  RtlInitCodePageTable(peb->AnsiCodePageData, &nls_ansi);
  RtlInitCodePageTable(peb->OemCodePageData, &nls_oem);
  if (!peb->AnsiCodePageData) nls_ansi.CodePage = NLS_ANSI_CODE_PAGE;
  if (!peb->OemCodePageData) nls_oem.CodePage = NLS_OEM_CODE_PAGE;
  NlsAnsiCodePage = nls_ansi.CodePage;
  NlsMbCodePageTag = nls_ansi.DBCSCodePage != 0;
  NlsMbOemCodePageTag = nls_oem.DBCSCodePage != 0;

  /* l_intl.nls: a version word, then each table behind its size in words (that word
   * included): upcase, downcase. */
  const USHORT* cases = peb->UnicodeCaseTableData;
  if (cases) {
    nls_upcase = cases + 2;
    nls_downcase = cases + 2 + cases[1];
  }
  __atomic_store_n(&nls_ready, 2, __ATOMIC_RELEASE);
}

const CPTABLEINFO* nls_ansi_table(void) {
  if (__atomic_load_n(&nls_ready, __ATOMIC_ACQUIRE) != 2) nls_process_init();
  return &nls_ansi;
}

const CPTABLEINFO* nls_oem_table(void) {
  if (__atomic_load_n(&nls_ready, __ATOMIC_ACQUIRE) != 2) nls_process_init();
  return &nls_oem;
}

const USHORT* nls_upcase_table(void) {
  if (__atomic_load_n(&nls_ready, __ATOMIC_ACQUIRE) != 2) nls_process_init();
  return nls_upcase;
}

const USHORT* nls_downcase_table(void) {
  if (__atomic_load_n(&nls_ready, __ATOMIC_ACQUIRE) != 2) nls_process_init();
  return nls_downcase;
}

/* kernelbase's first NLS call at its start: the locale data (locale.nls), the system LCID and
 * the data's size. Mapped once; the process's tables are set up on the way, so that the PEB
 * fields kernelbase reads next are filled even if process init did not do it. */
NTDLL_EXPORT NTSTATUS NTAPI RtlGetLocaleFileMappingAddress(void** ptr, LCID* lcid,
                                                           LARGE_INTEGER* size) {
  static void* locale_ptr;
  static LCID locale_lcid;
  static LARGE_INTEGER locale_size;
  nls_process_init();
  if (!__atomic_load_n(&locale_ptr, __ATOMIC_ACQUIRE)) {
    void* p = NULL;
    LCID l = 0;
    LARGE_INTEGER s = {0};
    NTSTATUS status = NtInitializeNlsFiles(&p, &l, &s);
    if (status < 0) return status;
    locale_lcid = l;
    locale_size = s;
    __atomic_store_n(&locale_ptr, p, __ATOMIC_RELEASE);
  }
  *ptr = locale_ptr;
  *lcid = locale_lcid;
  *size = locale_size;
  return STATUS_SUCCESS;
}

/* ntdll's process initialiser (ntdll_init.c): the PEB's code page tables are in place before
 * any DLL's DllMain reads them. */
BOOL nls_init_code_pages(void) {
  nls_process_init();
  return TRUE;
}
