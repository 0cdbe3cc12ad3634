// The Thread Environment Block (x64), reached through GS by Windows code. Offsets are those of
// Windows 10 22H2 / Windows 11 22H2 (identical for every member named here; sizeof is 0x1838).
// Members the runtime never touches are kept as reserved byte ranges so the named ones land at
// their Windows offsets.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ireactor/nt/types.h"
#include "ireactor/win/list_entry.h"

namespace ireactor::win {

struct NT_TIB {
  uint64_t ExceptionList;  // unused on x64 (SEH is table based); kept zero
  uint64_t StackBase;      // highest address of the stack (exclusive)
  uint64_t StackLimit;     // lowest committed address
  uint64_t SubSystemTib;
  uint64_t FiberData;  // union with ULONG Version
  uint64_t ArbitraryUserPointer;
  uint64_t Self;  // the TEB's own address: NtCurrentTeb() reads gs:[0x30]
};
static_assert(sizeof(NT_TIB) == 0x38);
static_assert(offsetof(NT_TIB, StackBase) == 0x08);
static_assert(offsetof(NT_TIB, StackLimit) == 0x10);
static_assert(offsetof(NT_TIB, FiberData) == 0x20);
static_assert(offsetof(NT_TIB, Self) == 0x30);

inline constexpr uint32_t TLS_MINIMUM_AVAILABLE = 64;
inline constexpr uint32_t STATIC_UNICODE_BUFFER_LENGTH = 261;

struct TEB {
  NT_TIB NtTib;
  uint64_t EnvironmentPointer;
  nt::CLIENT_ID ClientId;
  uint64_t ActiveRpcHandle;
  uint64_t ThreadLocalStoragePointer;  // array of per-module TLS blocks, indexed by TLS index
  uint64_t ProcessEnvironmentBlock;
  uint32_t LastErrorValue;
  uint32_t CountOfOwnedCriticalSections;
  uint64_t CsrClientThread;
  uint64_t Win32ThreadInfo;
  uint32_t User32Reserved[26];
  uint32_t UserReserved[5];
  uint32_t pad0_;
  uint64_t WOW32Reserved;
  uint32_t CurrentLocale;
  uint32_t FpSoftwareStatusRegister;
  uint64_t ReservedForDebuggerInstrumentation[16];
  uint64_t SystemReserved1[30];
  uint8_t reserved_280_[0x2C0 - 0x280];  // placeholder compat, activation stack...
  int32_t ExceptionCode;
  uint32_t pad1_;
  uint64_t ActivationContextStackPointer;
  uint8_t reserved_2d0_[0x7D8 - 0x2D0];  // instrumentation callback, GdiTebBatch
  nt::CLIENT_ID RealClientId;
  uint8_t reserved_7e8_[0x1250 - 0x7E8];  // GDI / OpenGL client state
  uint32_t LastStatusValue;
  uint32_t pad2_;
  nt::UNICODE_STRING StaticUnicodeString;
  char16_t StaticUnicodeBuffer[STATIC_UNICODE_BUFFER_LENGTH];
  uint8_t pad3_[6];
  uint64_t DeallocationStack;  // lowest address of the stack allocation
  uint64_t TlsSlots[TLS_MINIMUM_AVAILABLE];
  LIST_ENTRY TlsLinks;
  uint64_t Vdm;
  uint64_t ReservedForNtRpc;
  uint64_t DbgSsReserved[2];
  uint32_t HardErrorMode;
  uint32_t pad4_;
  uint64_t Instrumentation[11];
  uint8_t ActivityId[16];  // GUID
  uint64_t SubProcessTag;
  uint64_t PerflibData;
  uint64_t EtwTraceData;
  uint64_t WinSockData;
  uint32_t GdiBatchCount;
  uint32_t CurrentIdealProcessor;  // PROCESSOR_NUMBER
  uint32_t GuaranteedStackBytes;
  uint32_t pad5_;
  uint64_t ReservedForPerf;
  uint64_t ReservedForOle;
  uint32_t WaitingOnLoaderLock;
  uint32_t pad6_;
  uint64_t SavedPriorityState;
  uint64_t ReservedForCodeCoverage;
  uint64_t ThreadPoolData;
  uint64_t TlsExpansionSlots;
  uint64_t DeallocationBStore;
  uint64_t BStoreLimit;
  uint32_t MuiGeneration;
  uint32_t IsImpersonating;
  uint64_t NlsCache;
  uint64_t pShimData;
  uint32_t HeapData;
  uint32_t pad7_;
  uint64_t CurrentTransactionHandle;
  uint64_t ActiveFrame;
  uint64_t FlsData;
  uint64_t PreferredLanguages;
  uint64_t UserPrefLanguages;
  uint64_t MergedPrefLanguages;
  uint32_t MuiImpersonation;
  uint16_t CrossTebFlags;
  uint16_t SameTebFlags;
  uint64_t TxnScopeEnterCallback;
  uint64_t TxnScopeExitCallback;
  uint64_t TxnScopeContext;
  uint32_t LockCount;
  int32_t WowTebOffset;
  uint64_t ResourceRetValue;
  uint64_t ReservedForWdf;
  uint64_t ReservedForCrt;
  uint8_t EffectiveContainerId[16];  // GUID
};
static_assert(offsetof(TEB, NtTib) == 0x0);
static_assert(offsetof(TEB, NtTib.ExceptionList) == 0x0);
static_assert(offsetof(TEB, NtTib.StackBase) == 0x8);
static_assert(offsetof(TEB, NtTib.StackLimit) == 0x10);
static_assert(offsetof(TEB, NtTib.Self) == 0x30);
static_assert(offsetof(TEB, EnvironmentPointer) == 0x38);
static_assert(offsetof(TEB, ClientId) == 0x40);
static_assert(offsetof(TEB, ActiveRpcHandle) == 0x50);
static_assert(offsetof(TEB, ThreadLocalStoragePointer) == 0x58);
static_assert(offsetof(TEB, ProcessEnvironmentBlock) == 0x60);
static_assert(offsetof(TEB, LastErrorValue) == 0x68);
static_assert(offsetof(TEB, CountOfOwnedCriticalSections) == 0x6C);
static_assert(offsetof(TEB, CsrClientThread) == 0x70);
static_assert(offsetof(TEB, Win32ThreadInfo) == 0x78);
static_assert(offsetof(TEB, User32Reserved) == 0x80);
static_assert(offsetof(TEB, UserReserved) == 0xE8);
static_assert(offsetof(TEB, WOW32Reserved) == 0x100);
static_assert(offsetof(TEB, CurrentLocale) == 0x108);
static_assert(offsetof(TEB, FpSoftwareStatusRegister) == 0x10C);
static_assert(offsetof(TEB, ReservedForDebuggerInstrumentation) == 0x110);
static_assert(offsetof(TEB, SystemReserved1) == 0x190);
static_assert(offsetof(TEB, ExceptionCode) == 0x2C0);
static_assert(offsetof(TEB, ActivationContextStackPointer) == 0x2C8);
static_assert(offsetof(TEB, RealClientId) == 0x7D8);
static_assert(offsetof(TEB, LastStatusValue) == 0x1250);
static_assert(offsetof(TEB, StaticUnicodeString) == 0x1258);
static_assert(offsetof(TEB, StaticUnicodeBuffer) == 0x1268);
static_assert(offsetof(TEB, DeallocationStack) == 0x1478);
static_assert(offsetof(TEB, TlsSlots) == 0x1480);
static_assert(offsetof(TEB, TlsLinks) == 0x1680);
static_assert(offsetof(TEB, Vdm) == 0x1690);
static_assert(offsetof(TEB, ReservedForNtRpc) == 0x1698);
static_assert(offsetof(TEB, DbgSsReserved) == 0x16A0);
static_assert(offsetof(TEB, HardErrorMode) == 0x16B0);
static_assert(offsetof(TEB, Instrumentation) == 0x16B8);
static_assert(offsetof(TEB, ActivityId) == 0x1710);
static_assert(offsetof(TEB, SubProcessTag) == 0x1720);
static_assert(offsetof(TEB, PerflibData) == 0x1728);
static_assert(offsetof(TEB, EtwTraceData) == 0x1730);
static_assert(offsetof(TEB, WinSockData) == 0x1738);
static_assert(offsetof(TEB, GdiBatchCount) == 0x1740);
static_assert(offsetof(TEB, CurrentIdealProcessor) == 0x1744);
static_assert(offsetof(TEB, GuaranteedStackBytes) == 0x1748);
static_assert(offsetof(TEB, ReservedForPerf) == 0x1750);
static_assert(offsetof(TEB, ReservedForOle) == 0x1758);
static_assert(offsetof(TEB, WaitingOnLoaderLock) == 0x1760);
static_assert(offsetof(TEB, SavedPriorityState) == 0x1768);
static_assert(offsetof(TEB, ReservedForCodeCoverage) == 0x1770);
static_assert(offsetof(TEB, ThreadPoolData) == 0x1778);
static_assert(offsetof(TEB, TlsExpansionSlots) == 0x1780);
static_assert(offsetof(TEB, DeallocationBStore) == 0x1788);
static_assert(offsetof(TEB, BStoreLimit) == 0x1790);
static_assert(offsetof(TEB, MuiGeneration) == 0x1798);
static_assert(offsetof(TEB, IsImpersonating) == 0x179C);
static_assert(offsetof(TEB, NlsCache) == 0x17A0);
static_assert(offsetof(TEB, pShimData) == 0x17A8);
static_assert(offsetof(TEB, HeapData) == 0x17B0);
static_assert(offsetof(TEB, CurrentTransactionHandle) == 0x17B8);
static_assert(offsetof(TEB, ActiveFrame) == 0x17C0);
static_assert(offsetof(TEB, FlsData) == 0x17C8);
static_assert(offsetof(TEB, PreferredLanguages) == 0x17D0);
static_assert(offsetof(TEB, UserPrefLanguages) == 0x17D8);
static_assert(offsetof(TEB, MergedPrefLanguages) == 0x17E0);
static_assert(offsetof(TEB, MuiImpersonation) == 0x17E8);
static_assert(offsetof(TEB, CrossTebFlags) == 0x17EC);
static_assert(offsetof(TEB, SameTebFlags) == 0x17EE);
static_assert(offsetof(TEB, TxnScopeEnterCallback) == 0x17F0);
static_assert(offsetof(TEB, TxnScopeExitCallback) == 0x17F8);
static_assert(offsetof(TEB, TxnScopeContext) == 0x1800);
static_assert(offsetof(TEB, LockCount) == 0x1808);
static_assert(offsetof(TEB, WowTebOffset) == 0x180C);
static_assert(offsetof(TEB, ResourceRetValue) == 0x1810);
static_assert(offsetof(TEB, ReservedForWdf) == 0x1818);
static_assert(offsetof(TEB, ReservedForCrt) == 0x1820);
static_assert(offsetof(TEB, EffectiveContainerId) == 0x1828);
static_assert(sizeof(TEB) == 0x1838);

// TEB.SameTebFlags bits the runtime sets.
inline constexpr uint16_t TEB_SAME_FLAGS_INITIAL_THREAD = 1u << 10;

}  // namespace ireactor::win
