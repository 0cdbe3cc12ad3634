/* The TEB, PEB and process parameters as our ntdll's C code reads them (Windows x64 layouts;
 * the runtime's C++ views are ntcore/include/ireactor/win/{teb,peb,process_parameters}.h).
 * Named IR_* because mingw-w64's winternl.h has partial TEB/PEB types of its own. Only the
 * fields ntdll uses are named; the offsets are pinned below. */
#ifndef NTDLL_TEB_H
#define NTDLL_TEB_H

typedef struct IR_CURDIR {
  UNICODE_STRING DosPath;
  HANDLE Handle;
} IR_CURDIR;

typedef struct IR_PROCESS_PARAMETERS {
  ULONG MaximumLength;
  ULONG Length;
  ULONG Flags;
  ULONG DebugFlags;
  HANDLE ConsoleHandle;
  ULONG ConsoleFlags;
  HANDLE StandardInput;
  HANDLE StandardOutput;
  HANDLE StandardError;
  IR_CURDIR CurrentDirectory;
  UNICODE_STRING DllPath;
  UNICODE_STRING ImagePathName;
  UNICODE_STRING CommandLine;
  PWSTR Environment;
  ULONG StartingX, StartingY, CountX, CountY, CountCharsX, CountCharsY, FillAttribute;
  ULONG WindowFlags;
  ULONG ShowWindowFlags;
  UNICODE_STRING WindowTitle;
  UNICODE_STRING DesktopInfo;
  UNICODE_STRING ShellInfo;
  UNICODE_STRING RuntimeData;
  BYTE CurrentDirectories[32 * 0x18];
  ULONG_PTR EnvironmentSize;
} IR_PROCESS_PARAMETERS;

typedef struct IR_PEB {
  BYTE InheritedAddressSpace;
  BYTE ReadImageFileExecOptions;
  BYTE BeingDebugged;
  BYTE BitField;
  BYTE Padding0[4];
  HANDLE Mutant;
  PVOID ImageBaseAddress;
  PPEB_LDR_DATA Ldr;
  IR_PROCESS_PARAMETERS* ProcessParameters;
  PVOID SubSystemData;
  HANDLE ProcessHeap;
  RTL_CRITICAL_SECTION* FastPebLock;
  BYTE Reserved1[0x78 - 0x40];
  PVOID TlsBitmap;
  ULONG TlsBitmapBits[2];
  BYTE Reserved2[0xA0 - 0x88];
  PVOID AnsiCodePageData;
  PVOID OemCodePageData;
  PVOID UnicodeCaseTableData;
  ULONG NumberOfProcessors;
  ULONG NtGlobalFlag;
  LARGE_INTEGER CriticalSectionTimeout;
  SIZE_T HeapSegmentReserve;
  SIZE_T HeapSegmentCommit;
  SIZE_T HeapDeCommitTotalFreeThreshold;
  SIZE_T HeapDeCommitFreeBlockThreshold;
  ULONG NumberOfHeaps;
  ULONG MaximumNumberOfHeaps;
  PVOID* ProcessHeaps;
  BYTE Reserved3[0x110 - 0xF8];
  RTL_CRITICAL_SECTION* LoaderLock;
  ULONG OSMajorVersion;
  ULONG OSMinorVersion;
  USHORT OSBuildNumber;
  USHORT OSCSDVersion;
  ULONG OSPlatformId;
  ULONG ImageSubsystem;
  ULONG ImageSubsystemMajorVersion;
  ULONG ImageSubsystemMinorVersion;
  BYTE Padding1[4];
  ULONG_PTR ActiveProcessAffinityMask;
  BYTE Reserved4[0x238 - 0x140];
  PVOID TlsExpansionBitmap;
  ULONG TlsExpansionBitmapBits[32];
  ULONG SessionId;
} IR_PEB;

typedef struct IR_TEB {
  NT_TIB NtTib;
  PVOID EnvironmentPointer;
  CLIENT_ID ClientId;
  PVOID ActiveRpcHandle;
  PVOID ThreadLocalStoragePointer;
  IR_PEB* ProcessEnvironmentBlock;
  ULONG LastErrorValue;
  ULONG CountOfOwnedCriticalSections;
  BYTE Reserved1[0x108 - 0x70];
  ULONG CurrentLocale;
  BYTE Reserved2[0x2C0 - 0x10C];
  NTSTATUS ExceptionCode;
  BYTE Reserved3[0x1250 - 0x2C4];
  NTSTATUS LastStatusValue;
  BYTE Padding0[4];
  UNICODE_STRING StaticUnicodeString;
  WCHAR StaticUnicodeBuffer[261];
  BYTE Padding1[0x1478 - 0x1472];
  PVOID DeallocationStack;
  PVOID TlsSlots[64];
  LIST_ENTRY TlsLinks;
  PVOID Vdm;
  PVOID ReservedForNtRpc;
  HANDLE DbgSsReserved[2]; /* [1]: the thread's debug object (DbgUi*) */
  BYTE Reserved4[0x1710 - 0x16B0];
  GUID ActivityId; /* ETW activity of the thread (EtwEventActivityIdControl) */
  BYTE Reserved5[0x1780 - 0x1720];
  PVOID* TlsExpansionSlots;
} IR_TEB;

_Static_assert(offsetof(IR_PROCESS_PARAMETERS, ConsoleHandle) == 0x10, "layout");
_Static_assert(offsetof(IR_PROCESS_PARAMETERS, StandardInput) == 0x20, "layout");
_Static_assert(offsetof(IR_PROCESS_PARAMETERS, StandardError) == 0x30, "layout");
_Static_assert(offsetof(IR_PROCESS_PARAMETERS, CurrentDirectory) == 0x38, "layout");
_Static_assert(offsetof(IR_PROCESS_PARAMETERS, DllPath) == 0x50, "layout");
_Static_assert(offsetof(IR_PROCESS_PARAMETERS, ImagePathName) == 0x60, "layout");
_Static_assert(offsetof(IR_PROCESS_PARAMETERS, CommandLine) == 0x70, "layout");
_Static_assert(offsetof(IR_PROCESS_PARAMETERS, Environment) == 0x80, "layout");
_Static_assert(offsetof(IR_PROCESS_PARAMETERS, WindowFlags) == 0xA4, "layout");
_Static_assert(offsetof(IR_PROCESS_PARAMETERS, WindowTitle) == 0xB0, "layout");
_Static_assert(offsetof(IR_PROCESS_PARAMETERS, CurrentDirectories) == 0xF0, "layout");
_Static_assert(offsetof(IR_PROCESS_PARAMETERS, EnvironmentSize) == 0x3F0, "layout");

_Static_assert(offsetof(IR_PEB, Ldr) == 0x18, "layout");
_Static_assert(offsetof(IR_PEB, ProcessParameters) == 0x20, "layout");
_Static_assert(offsetof(IR_PEB, ProcessHeap) == 0x30, "layout");
_Static_assert(offsetof(IR_PEB, FastPebLock) == 0x38, "layout");
_Static_assert(offsetof(IR_PEB, TlsBitmap) == 0x78, "layout");
_Static_assert(offsetof(IR_PEB, TlsBitmapBits) == 0x80, "layout");
_Static_assert(offsetof(IR_PEB, AnsiCodePageData) == 0xA0, "layout");
_Static_assert(offsetof(IR_PEB, NumberOfProcessors) == 0xB8, "layout");
_Static_assert(offsetof(IR_PEB, CriticalSectionTimeout) == 0xC0, "layout");
_Static_assert(offsetof(IR_PEB, NumberOfHeaps) == 0xE8, "layout");
_Static_assert(offsetof(IR_PEB, ProcessHeaps) == 0xF0, "layout");
_Static_assert(offsetof(IR_PEB, LoaderLock) == 0x110, "layout");
_Static_assert(offsetof(IR_PEB, OSMajorVersion) == 0x118, "layout");
_Static_assert(offsetof(IR_PEB, OSBuildNumber) == 0x120, "layout");
_Static_assert(offsetof(IR_PEB, ImageSubsystem) == 0x128, "layout");
_Static_assert(offsetof(IR_PEB, ActiveProcessAffinityMask) == 0x138, "layout");
_Static_assert(offsetof(IR_PEB, TlsExpansionBitmap) == 0x238, "layout");
_Static_assert(offsetof(IR_PEB, TlsExpansionBitmapBits) == 0x240, "layout");
_Static_assert(offsetof(IR_PEB, SessionId) == 0x2C0, "layout");

_Static_assert(offsetof(IR_TEB, EnvironmentPointer) == 0x38, "layout");
_Static_assert(offsetof(IR_TEB, ClientId) == 0x40, "layout");
_Static_assert(offsetof(IR_TEB, ThreadLocalStoragePointer) == 0x58, "layout");
_Static_assert(offsetof(IR_TEB, ProcessEnvironmentBlock) == 0x60, "layout");
_Static_assert(offsetof(IR_TEB, LastErrorValue) == 0x68, "layout");
_Static_assert(offsetof(IR_TEB, CurrentLocale) == 0x108, "layout");
_Static_assert(offsetof(IR_TEB, ExceptionCode) == 0x2C0, "layout");
_Static_assert(offsetof(IR_TEB, LastStatusValue) == 0x1250, "layout");
_Static_assert(offsetof(IR_TEB, StaticUnicodeString) == 0x1258, "layout");
_Static_assert(offsetof(IR_TEB, StaticUnicodeBuffer) == 0x1268, "layout");
_Static_assert(offsetof(IR_TEB, DeallocationStack) == 0x1478, "layout");
_Static_assert(offsetof(IR_TEB, TlsSlots) == 0x1480, "layout");
_Static_assert(offsetof(IR_TEB, TlsLinks) == 0x1680, "layout");
_Static_assert(offsetof(IR_TEB, DbgSsReserved) == 0x16A0, "layout");
_Static_assert(offsetof(IR_TEB, ActivityId) == 0x1710, "layout");
_Static_assert(offsetof(IR_TEB, TlsExpansionSlots) == 0x1780, "layout");

/* NT_TIB.Self through GS (not NtCurrentTeb(): gcc 12 warns on mingw's __readgsqword). */
static inline IR_TEB* ir_teb(void) {
  IR_TEB* teb;
  __asm__("movq %%gs:0x30, %0" : "=r"(teb));
  return teb;
}
static inline IR_PEB* ir_peb(void) {
  return ir_teb()->ProcessEnvironmentBlock;
}

#endif
