// The loader's module lists as Windows code walks them from PEB.Ldr: PEB_LDR_DATA heads three
// lists of LDR_DATA_TABLE_ENTRY (load, memory and initialisation order). Layouts of Windows 10
// 22H2 x64; members after SigningLevel (added by later builds) are left out.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ireactor/nt/types.h"
#include "ireactor/win/list_entry.h"

namespace ireactor::win {

struct PEB_LDR_DATA {
  uint32_t Length;  // sizeof(PEB_LDR_DATA)
  uint8_t Initialized;
  uint8_t pad0_[3];
  uint64_t SsHandle;
  LIST_ENTRY InLoadOrderModuleList;
  LIST_ENTRY InMemoryOrderModuleList;
  LIST_ENTRY InInitializationOrderModuleList;
  uint64_t EntryInProgress;
  uint8_t ShutdownInProgress;
  uint8_t pad1_[7];
  uint64_t ShutdownThreadId;
};
static_assert(offsetof(PEB_LDR_DATA, Initialized) == 0x4);
static_assert(offsetof(PEB_LDR_DATA, SsHandle) == 0x8);
static_assert(offsetof(PEB_LDR_DATA, InLoadOrderModuleList) == 0x10);
static_assert(offsetof(PEB_LDR_DATA, InMemoryOrderModuleList) == 0x20);
static_assert(offsetof(PEB_LDR_DATA, InInitializationOrderModuleList) == 0x30);
static_assert(offsetof(PEB_LDR_DATA, EntryInProgress) == 0x40);
static_assert(offsetof(PEB_LDR_DATA, ShutdownInProgress) == 0x48);
static_assert(offsetof(PEB_LDR_DATA, ShutdownThreadId) == 0x50);
static_assert(sizeof(PEB_LDR_DATA) == 0x58);

struct LDR_DATA_TABLE_ENTRY {
  LIST_ENTRY InLoadOrderLinks;
  LIST_ENTRY InMemoryOrderLinks;
  LIST_ENTRY InInitializationOrderLinks;
  uint64_t DllBase;
  uint64_t EntryPoint;
  uint32_t SizeOfImage;
  uint32_t pad0_;
  nt::UNICODE_STRING FullDllName;
  nt::UNICODE_STRING BaseDllName;
  uint32_t Flags;
  uint16_t ObsoleteLoadCount;
  uint16_t TlsIndex;
  LIST_ENTRY HashLinks;
  uint32_t TimeDateStamp;
  uint32_t pad1_;
  uint64_t EntryPointActivationContext;
  uint64_t Lock;
  uint64_t DdagNode;
  LIST_ENTRY NodeModuleLink;
  uint64_t LoadContext;
  uint64_t ParentDllBase;
  uint64_t SwitchBackContext;
  uint64_t BaseAddressIndexNode[3];  // RTL_BALANCED_NODE
  uint64_t MappingInfoIndexNode[3];  // RTL_BALANCED_NODE
  uint64_t OriginalBase;
  int64_t LoadTime;
  uint32_t BaseNameHashValue;
  uint32_t LoadReason;
  uint32_t ImplicitPathOptions;
  uint32_t ReferenceCount;
  uint32_t DependentLoadFlags;
  uint8_t SigningLevel;
  uint8_t pad2_[3];
};
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, InMemoryOrderLinks) == 0x10);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, InInitializationOrderLinks) == 0x20);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, DllBase) == 0x30);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, EntryPoint) == 0x38);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, SizeOfImage) == 0x40);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, FullDllName) == 0x48);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, BaseDllName) == 0x58);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, Flags) == 0x68);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, ObsoleteLoadCount) == 0x6C);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, TlsIndex) == 0x6E);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, HashLinks) == 0x70);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, TimeDateStamp) == 0x80);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, EntryPointActivationContext) == 0x88);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, Lock) == 0x90);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, DdagNode) == 0x98);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, NodeModuleLink) == 0xA0);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, LoadContext) == 0xB0);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, ParentDllBase) == 0xB8);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, SwitchBackContext) == 0xC0);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, BaseAddressIndexNode) == 0xC8);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, MappingInfoIndexNode) == 0xE0);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, OriginalBase) == 0xF8);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, LoadTime) == 0x100);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, BaseNameHashValue) == 0x108);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, LoadReason) == 0x10C);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, ImplicitPathOptions) == 0x110);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, ReferenceCount) == 0x114);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, DependentLoadFlags) == 0x118);
static_assert(offsetof(LDR_DATA_TABLE_ENTRY, SigningLevel) == 0x11C);
static_assert(sizeof(LDR_DATA_TABLE_ENTRY) == 0x120);

// LDR_DATA_TABLE_ENTRY.Flags bits the runtime sets.
inline constexpr uint32_t LDRP_IMAGE_DLL = 0x00000004;
inline constexpr uint32_t LDRP_ENTRY_PROCESSED = 0x00004000;
inline constexpr uint32_t LDRP_PROCESS_ATTACH_CALLED = 0x00080000;

// LDR_DATA_TABLE_ENTRY.LoadReason
inline constexpr uint32_t LoadReasonStaticDependency = 0;
inline constexpr uint32_t LoadReasonStaticForwarderDependency = 1;

}  // namespace ireactor::win
