// The Process Environment Block (x64), reached through TEB.ProcessEnvironmentBlock. Layout of
// Windows 10 22H2 (sizeof 0x7C8); Windows 11 only appends members, and every member named here
// keeps its offset there.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ireactor/nt/types.h"
#include "ireactor/win/list_entry.h"

namespace ireactor::win {

struct PEB {
  uint8_t InheritedAddressSpace;
  uint8_t ReadImageFileExecOptions;
  uint8_t BeingDebugged;
  uint8_t BitField;
  uint8_t Padding0[4];
  uint64_t Mutant;
  uint64_t ImageBaseAddress;
  uint64_t Ldr;                // PEB_LDR_DATA*
  uint64_t ProcessParameters;  // RTL_USER_PROCESS_PARAMETERS*
  uint64_t SubSystemData;
  uint64_t ProcessHeap;
  uint64_t FastPebLock;
  uint64_t AtlThunkSListPtr;
  uint64_t IFEOKey;
  uint32_t CrossProcessFlags;
  uint8_t Padding1[4];
  uint64_t KernelCallbackTable;
  uint32_t SystemReserved;
  uint32_t AtlThunkSListPtr32;
  uint64_t ApiSetMap;
  uint32_t TlsExpansionCounter;
  uint8_t Padding2[4];
  uint64_t TlsBitmap;
  uint32_t TlsBitmapBits[2];
  uint64_t ReadOnlySharedMemoryBase;
  uint64_t SharedData;
  uint64_t ReadOnlyStaticServerData;
  uint64_t AnsiCodePageData;
  uint64_t OemCodePageData;
  uint64_t UnicodeCaseTableData;
  uint32_t NumberOfProcessors;
  uint32_t NtGlobalFlag;
  int64_t CriticalSectionTimeout;
  uint64_t HeapSegmentReserve;
  uint64_t HeapSegmentCommit;
  uint64_t HeapDeCommitTotalFreeThreshold;
  uint64_t HeapDeCommitFreeBlockThreshold;
  uint32_t NumberOfHeaps;
  uint32_t MaximumNumberOfHeaps;
  uint64_t ProcessHeaps;
  uint64_t GdiSharedHandleTable;
  uint64_t ProcessStarterHelper;
  uint32_t GdiDCAttributeList;
  uint8_t Padding3[4];
  uint64_t LoaderLock;
  uint32_t OSMajorVersion;
  uint32_t OSMinorVersion;
  uint16_t OSBuildNumber;
  uint16_t OSCSDVersion;
  uint32_t OSPlatformId;
  uint32_t ImageSubsystem;
  uint32_t ImageSubsystemMajorVersion;
  uint32_t ImageSubsystemMinorVersion;
  uint8_t Padding4[4];
  uint64_t ActiveProcessAffinityMask;
  uint32_t GdiHandleBuffer[60];
  uint64_t PostProcessInitRoutine;
  uint64_t TlsExpansionBitmap;
  uint32_t TlsExpansionBitmapBits[32];
  uint32_t SessionId;
  uint8_t Padding5[4];
  uint64_t AppCompatFlags;
  uint64_t AppCompatFlagsUser;
  uint64_t pShimData;
  uint64_t AppCompatInfo;
  nt::UNICODE_STRING CSDVersion;
  uint64_t ActivationContextData;
  uint64_t ProcessAssemblyStorageMap;
  uint64_t SystemDefaultActivationContextData;
  uint64_t SystemAssemblyStorageMap;
  uint64_t MinimumStackCommit;
  uint64_t SparePointers[4];
  uint32_t SpareUlongs[5];
  uint8_t pad_354_[4];
  uint64_t WerRegistrationData;
  uint64_t WerShipAssertPtr;
  uint64_t pUnused;
  uint64_t pImageHeaderHash;
  uint32_t TracingFlags;
  uint8_t Padding6[4];
  uint64_t CsrServerReadOnlySharedMemoryBase;
  uint64_t TppWorkerpListLock;
  LIST_ENTRY TppWorkerpList;
  uint64_t WaitOnAddressHashTable[128];
  uint64_t TelemetryCoverageHeader;
  uint32_t CloudFileFlags;
  uint32_t CloudFileDiagFlags;
  int8_t PlaceholderCompatibilityMode;
  int8_t PlaceholderCompatibilityModeReserved[7];
  uint64_t LeapSecondData;
  uint32_t LeapSecondFlags;
  uint32_t NtGlobalFlag2;
};
static_assert(offsetof(PEB, BeingDebugged) == 0x2);
static_assert(offsetof(PEB, BitField) == 0x3);
static_assert(offsetof(PEB, Mutant) == 0x8);
static_assert(offsetof(PEB, ImageBaseAddress) == 0x10);
static_assert(offsetof(PEB, Ldr) == 0x18);
static_assert(offsetof(PEB, ProcessParameters) == 0x20);
static_assert(offsetof(PEB, SubSystemData) == 0x28);
static_assert(offsetof(PEB, ProcessHeap) == 0x30);
static_assert(offsetof(PEB, FastPebLock) == 0x38);
static_assert(offsetof(PEB, AtlThunkSListPtr) == 0x40);
static_assert(offsetof(PEB, IFEOKey) == 0x48);
static_assert(offsetof(PEB, CrossProcessFlags) == 0x50);
static_assert(offsetof(PEB, KernelCallbackTable) == 0x58);
static_assert(offsetof(PEB, SystemReserved) == 0x60);
static_assert(offsetof(PEB, AtlThunkSListPtr32) == 0x64);
static_assert(offsetof(PEB, ApiSetMap) == 0x68);
static_assert(offsetof(PEB, TlsExpansionCounter) == 0x70);
static_assert(offsetof(PEB, TlsBitmap) == 0x78);
static_assert(offsetof(PEB, TlsBitmapBits) == 0x80);
static_assert(offsetof(PEB, ReadOnlySharedMemoryBase) == 0x88);
static_assert(offsetof(PEB, SharedData) == 0x90);
static_assert(offsetof(PEB, ReadOnlyStaticServerData) == 0x98);
static_assert(offsetof(PEB, AnsiCodePageData) == 0xA0);
static_assert(offsetof(PEB, OemCodePageData) == 0xA8);
static_assert(offsetof(PEB, UnicodeCaseTableData) == 0xB0);
static_assert(offsetof(PEB, NumberOfProcessors) == 0xB8);
static_assert(offsetof(PEB, NtGlobalFlag) == 0xBC);
static_assert(offsetof(PEB, CriticalSectionTimeout) == 0xC0);
static_assert(offsetof(PEB, HeapSegmentReserve) == 0xC8);
static_assert(offsetof(PEB, HeapSegmentCommit) == 0xD0);
static_assert(offsetof(PEB, HeapDeCommitTotalFreeThreshold) == 0xD8);
static_assert(offsetof(PEB, HeapDeCommitFreeBlockThreshold) == 0xE0);
static_assert(offsetof(PEB, NumberOfHeaps) == 0xE8);
static_assert(offsetof(PEB, MaximumNumberOfHeaps) == 0xEC);
static_assert(offsetof(PEB, ProcessHeaps) == 0xF0);
static_assert(offsetof(PEB, GdiSharedHandleTable) == 0xF8);
static_assert(offsetof(PEB, ProcessStarterHelper) == 0x100);
static_assert(offsetof(PEB, GdiDCAttributeList) == 0x108);
static_assert(offsetof(PEB, LoaderLock) == 0x110);
static_assert(offsetof(PEB, OSMajorVersion) == 0x118);
static_assert(offsetof(PEB, OSMinorVersion) == 0x11C);
static_assert(offsetof(PEB, OSBuildNumber) == 0x120);
static_assert(offsetof(PEB, OSCSDVersion) == 0x122);
static_assert(offsetof(PEB, OSPlatformId) == 0x124);
static_assert(offsetof(PEB, ImageSubsystem) == 0x128);
static_assert(offsetof(PEB, ImageSubsystemMajorVersion) == 0x12C);
static_assert(offsetof(PEB, ImageSubsystemMinorVersion) == 0x130);
static_assert(offsetof(PEB, ActiveProcessAffinityMask) == 0x138);
static_assert(offsetof(PEB, GdiHandleBuffer) == 0x140);
static_assert(offsetof(PEB, PostProcessInitRoutine) == 0x230);
static_assert(offsetof(PEB, TlsExpansionBitmap) == 0x238);
static_assert(offsetof(PEB, TlsExpansionBitmapBits) == 0x240);
static_assert(offsetof(PEB, SessionId) == 0x2C0);
static_assert(offsetof(PEB, AppCompatFlags) == 0x2C8);
static_assert(offsetof(PEB, AppCompatFlagsUser) == 0x2D0);
static_assert(offsetof(PEB, pShimData) == 0x2D8);
static_assert(offsetof(PEB, AppCompatInfo) == 0x2E0);
static_assert(offsetof(PEB, CSDVersion) == 0x2E8);
static_assert(offsetof(PEB, ActivationContextData) == 0x2F8);
static_assert(offsetof(PEB, ProcessAssemblyStorageMap) == 0x300);
static_assert(offsetof(PEB, SystemDefaultActivationContextData) == 0x308);
static_assert(offsetof(PEB, SystemAssemblyStorageMap) == 0x310);
static_assert(offsetof(PEB, MinimumStackCommit) == 0x318);
static_assert(offsetof(PEB, SparePointers) == 0x320);
static_assert(offsetof(PEB, SpareUlongs) == 0x340);
static_assert(offsetof(PEB, WerRegistrationData) == 0x358);
static_assert(offsetof(PEB, WerShipAssertPtr) == 0x360);
static_assert(offsetof(PEB, pUnused) == 0x368);
static_assert(offsetof(PEB, pImageHeaderHash) == 0x370);
static_assert(offsetof(PEB, TracingFlags) == 0x378);
static_assert(offsetof(PEB, CsrServerReadOnlySharedMemoryBase) == 0x380);
static_assert(offsetof(PEB, TppWorkerpListLock) == 0x388);
static_assert(offsetof(PEB, TppWorkerpList) == 0x390);
static_assert(offsetof(PEB, WaitOnAddressHashTable) == 0x3A0);
static_assert(offsetof(PEB, TelemetryCoverageHeader) == 0x7A0);
static_assert(offsetof(PEB, CloudFileFlags) == 0x7A8);
static_assert(offsetof(PEB, CloudFileDiagFlags) == 0x7AC);
static_assert(offsetof(PEB, PlaceholderCompatibilityMode) == 0x7B0);
static_assert(offsetof(PEB, LeapSecondData) == 0x7B8);
static_assert(offsetof(PEB, LeapSecondFlags) == 0x7C0);
static_assert(offsetof(PEB, NtGlobalFlag2) == 0x7C4);
static_assert(sizeof(PEB) == 0x7C8);

inline constexpr uint32_t VER_PLATFORM_WIN32_NT = 2;  // PEB.OSPlatformId

}  // namespace ireactor::win
