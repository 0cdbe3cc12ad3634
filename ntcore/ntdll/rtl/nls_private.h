/* What the NLS family's sources share: the NLS services' prototypes, Windows' CPTABLEINFO (a
 * code page table as RtlInitCodePageTable describes it) and the process's current tables. */
#ifndef NLS_PRIVATE_H
#define NLS_PRIVATE_H

#include "ntdll_base.h"

/* NtGetNlsSectionPtr's SectionType values. */
#define NLS_SECTION_SORTKEYS 9
#define NLS_SECTION_CASEMAP 10
#define NLS_SECTION_CODEPAGE 11
#define NLS_SECTION_NORMALIZE 12

#define NLS_CP_UTF8 65001

NTSTATUS NTAPI NtGetNlsSectionPtr(ULONG type, ULONG id, void* context, void** ptr, SIZE_T* size);
NTSTATUS NTAPI NtInitializeNlsFiles(void** ptr, LCID* lcid, LARGE_INTEGER* size);

/* Windows' layout (ntifs.h / ntnls.h). */
typedef struct _CPTABLEINFO {
  USHORT CodePage;
  USHORT MaximumCharacterSize; /* 1 or 2 (DBCS) */
  USHORT DefaultChar;          /* the code page's replacement character */
  USHORT UniDefaultChar;       /* its Unicode form */
  USHORT TransDefaultChar;
  USHORT TransUniDefaultChar;
  USHORT DBCSCodePage; /* nonzero when lead bytes exist */
  UCHAR LeadByte[12];
  USHORT* MultiByteTable; /* 256 entries: byte -> UTF-16 (0 for a lead byte of a DBCS page) */
  void* WideCharTable;    /* 65536 entries: UTF-16 -> BYTE (SBCS) or USHORT (DBCS, 0xLLTT) */
  USHORT* DBCSRanges;
  USHORT* DBCSOffsets; /* 256 entries: lead byte -> offset in words of its 256-entry table */
} CPTABLEINFO, *PCPTABLEINFO;
_Static_assert(sizeof(CPTABLEINFO) == 64, "CPTABLEINFO layout");
_Static_assert(offsetof(CPTABLEINFO, LeadByte) == 14, "CPTABLEINFO layout");
_Static_assert(offsetof(CPTABLEINFO, MultiByteTable) == 32, "CPTABLEINFO layout");

NTDLL_EXPORT void NTAPI RtlInitCodePageTable(USHORT* ptr, CPTABLEINFO* info);

/* Maps the ANSI and OEM code pages and the case tables and points the PEB at them (as Windows'
 * process start does); ntdll's process init calls it, and the getters below if it has not run. */
void nls_process_init(void);
/* The process's ANSI / OEM code page tables. */
const CPTABLEINFO* nls_ansi_table(void);
const CPTABLEINFO* nls_oem_table(void);
/* l_intl.nls's upcase and downcase tables (3-level tries of deltas); NULL when not available. */
const USHORT* nls_upcase_table(void);
const USHORT* nls_downcase_table(void);

/* Code page conversions (codepage.c) with any table, in bytes as the Rtl functions count. */
ULONG nls_mb_to_wc(const CPTABLEINFO* info, WCHAR* dst, ULONG dst_bytes, const char* src,
                   ULONG src_bytes);
ULONG nls_mb_to_wc_size(const CPTABLEINFO* info, const char* src, ULONG src_bytes);
ULONG nls_wc_to_mb(const CPTABLEINFO* info, char* dst, ULONG dst_bytes, const WCHAR* src,
                   ULONG src_bytes);
ULONG nls_wc_to_mb_size(const CPTABLEINFO* info, const WCHAR* src, ULONG src_bytes);

/* Whether a code point is unassigned for IDNA (normalize.c's data; idn.c). */
BOOLEAN nls_idna_unassigned(ULONG cp);

#endif
