// KUSER_SHARED_DATA: the page the kernel shares read-only with every process at 0x7ffe0000 (time,
// versions, processor features). Layout of Windows 10 22H2 x64 up to XState; the rest of the
// page is kept as an opaque tail. Time fields are KSYSTEM_TIME, read lock-free by Windows code.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ireactor::win {

inline constexpr uint64_t kUserSharedDataAddress = 0x7ffe0000;

// A 64-bit time published without a lock. The writer stores High2Time, then LowPart, then
// High1Time; a reader loads High1Time, LowPart, High2Time and retries while High1 != High2.
struct KSYSTEM_TIME {
  uint32_t LowPart;
  int32_t High1Time;
  int32_t High2Time;
};
static_assert(sizeof(KSYSTEM_TIME) == 12);

// KUSER_SHARED_DATA.NtProductType
inline constexpr uint32_t NtProductWinNt = 1;
// ProcessorFeatures[] indices (PF_*), the ones the runtime reports.
inline constexpr uint32_t PF_COMPARE_EXCHANGE_DOUBLE = 2;
inline constexpr uint32_t PF_MMX_INSTRUCTIONS_AVAILABLE = 3;
inline constexpr uint32_t PF_XMMI_INSTRUCTIONS_AVAILABLE = 6;
inline constexpr uint32_t PF_RDTSC_INSTRUCTION_AVAILABLE = 8;
inline constexpr uint32_t PF_PAE_ENABLED = 9;
inline constexpr uint32_t PF_XMMI64_INSTRUCTIONS_AVAILABLE = 10;
inline constexpr uint32_t PF_NX_ENABLED = 12;
inline constexpr uint32_t PF_SSE3_INSTRUCTIONS_AVAILABLE = 13;
inline constexpr uint32_t PF_COMPARE_EXCHANGE128 = 14;
inline constexpr uint32_t PF_XSAVE_ENABLED = 17;
inline constexpr uint32_t PF_SECOND_LEVEL_ADDRESS_TRANSLATION = 20;
inline constexpr uint32_t PF_RDRAND_INSTRUCTION_AVAILABLE = 28;
inline constexpr uint32_t PF_RDTSCP_INSTRUCTION_AVAILABLE = 32;
inline constexpr uint32_t PF_SSSE3_INSTRUCTIONS_AVAILABLE = 36;
inline constexpr uint32_t PF_SSE4_1_INSTRUCTIONS_AVAILABLE = 37;
inline constexpr uint32_t PF_SSE4_2_INSTRUCTIONS_AVAILABLE = 38;
inline constexpr uint32_t PF_AVX_INSTRUCTIONS_AVAILABLE = 39;
inline constexpr uint32_t PF_AVX2_INSTRUCTIONS_AVAILABLE = 40;
inline constexpr uint32_t PF_AVX512F_INSTRUCTIONS_AVAILABLE = 41;
inline constexpr uint32_t PROCESSOR_FEATURE_MAX = 64;

struct KUSER_SHARED_DATA {
  uint32_t TickCountLowDeprecated;
  uint32_t TickCountMultiplier;  // ms = (TickCountQuad * TickCountMultiplier) >> 24
  KSYSTEM_TIME InterruptTime;    // 100 ns units since boot
  KSYSTEM_TIME SystemTime;       // 100 ns units since 1601-01-01 UTC
  KSYSTEM_TIME TimeZoneBias;     // UTC - local time, 100 ns units
  uint16_t ImageNumberLow;
  uint16_t ImageNumberHigh;
  char16_t NtSystemRoot[260];
  uint32_t MaxStackTraceDepth;
  uint32_t CryptoExponent;
  uint32_t TimeZoneId;
  uint32_t LargePageMinimum;
  uint32_t AitSamplingValue;
  uint32_t AppCompatFlag;
  uint64_t RNGSeedVersion;
  uint32_t GlobalValidationRunlevel;
  int32_t TimeZoneBiasStamp;
  uint32_t NtBuildNumber;
  uint32_t NtProductType;
  uint8_t ProductTypeIsValid;
  uint8_t Reserved0[1];
  uint16_t NativeProcessorArchitecture;
  uint32_t NtMajorVersion;
  uint32_t NtMinorVersion;
  uint8_t ProcessorFeatures[PROCESSOR_FEATURE_MAX];
  uint32_t Reserved1;
  uint32_t Reserved3;
  uint32_t TimeSlip;
  uint32_t AlternativeArchitecture;
  uint32_t BootId;
  int64_t SystemExpirationDate;
  uint32_t SuiteMask;
  uint8_t KdDebuggerEnabled;
  uint8_t MitigationPolicies;
  uint8_t Reserved6[2];
  uint32_t ActiveConsoleId;
  uint32_t DismountCount;
  uint32_t ComPlusPackage;
  uint32_t LastSystemRITEventTickCount;
  uint32_t NumberOfPhysicalPages;
  uint8_t SafeBootMode;
  uint8_t VirtualizationFlags;
  uint8_t Reserved12[2];
  uint32_t SharedDataFlags;
  uint32_t DataFlagsPad[1];
  uint64_t TestRetInstruction;
  int64_t QpcFrequency;
  uint32_t SystemCall;
  uint32_t SystemCallPad0;
  uint64_t SystemCallPad[2];
  union {                    // 16 bytes: the 12-byte KSYSTEM_TIME plus TickCountPad
    KSYSTEM_TIME TickCount;  // clock ticks since boot
    uint64_t TickCountQuad;
    uint32_t ReservedTickCountOverlay[4];
  };
  uint32_t Cookie;
  uint32_t CookiePad[1];
  int64_t ConsoleSessionForegroundProcessId;
  uint64_t TimeUpdateLock;
  uint64_t BaselineSystemTimeQpc;
  uint64_t BaselineInterruptTimeQpc;
  uint64_t QpcSystemTimeIncrement;
  uint64_t QpcInterruptTimeIncrement;
  uint8_t QpcSystemTimeIncrementShift;
  uint8_t QpcInterruptTimeIncrementShift;
  uint16_t UnparkedProcessorCount;
  uint32_t EnclaveFeatureMask[4];
  uint32_t TelemetryCoverageRound;
  uint16_t UserModeGlobalLogger[16];
  uint32_t ImageFileExecutionOptions;
  uint32_t LangGenerationCount;
  uint64_t Reserved4;
  uint64_t InterruptTimeBias;
  uint64_t QpcBias;
  uint32_t ActiveProcessorCount;
  uint8_t ActiveGroupCount;
  uint8_t Reserved9;
  uint16_t QpcData;  // low byte QpcBypassEnabled, high byte QpcShift
  int64_t TimeZoneBiasEffectiveStart;
  int64_t TimeZoneBiasEffectiveEnd;
  uint8_t XStateAndRest[0x1000 - 0x3D8];  // XSTATE_CONFIGURATION and later members
};
static_assert(offsetof(KUSER_SHARED_DATA, TickCountMultiplier) == 0x4);
static_assert(offsetof(KUSER_SHARED_DATA, InterruptTime) == 0x8);
static_assert(offsetof(KUSER_SHARED_DATA, SystemTime) == 0x14);
static_assert(offsetof(KUSER_SHARED_DATA, TimeZoneBias) == 0x20);
static_assert(offsetof(KUSER_SHARED_DATA, ImageNumberLow) == 0x2C);
static_assert(offsetof(KUSER_SHARED_DATA, ImageNumberHigh) == 0x2E);
static_assert(offsetof(KUSER_SHARED_DATA, NtSystemRoot) == 0x30);
static_assert(offsetof(KUSER_SHARED_DATA, MaxStackTraceDepth) == 0x238);
static_assert(offsetof(KUSER_SHARED_DATA, CryptoExponent) == 0x23C);
static_assert(offsetof(KUSER_SHARED_DATA, TimeZoneId) == 0x240);
static_assert(offsetof(KUSER_SHARED_DATA, LargePageMinimum) == 0x244);
static_assert(offsetof(KUSER_SHARED_DATA, AitSamplingValue) == 0x248);
static_assert(offsetof(KUSER_SHARED_DATA, AppCompatFlag) == 0x24C);
static_assert(offsetof(KUSER_SHARED_DATA, RNGSeedVersion) == 0x250);
static_assert(offsetof(KUSER_SHARED_DATA, GlobalValidationRunlevel) == 0x258);
static_assert(offsetof(KUSER_SHARED_DATA, TimeZoneBiasStamp) == 0x25C);
static_assert(offsetof(KUSER_SHARED_DATA, NtBuildNumber) == 0x260);
static_assert(offsetof(KUSER_SHARED_DATA, NtProductType) == 0x264);
static_assert(offsetof(KUSER_SHARED_DATA, ProductTypeIsValid) == 0x268);
static_assert(offsetof(KUSER_SHARED_DATA, NativeProcessorArchitecture) == 0x26A);
static_assert(offsetof(KUSER_SHARED_DATA, NtMajorVersion) == 0x26C);
static_assert(offsetof(KUSER_SHARED_DATA, NtMinorVersion) == 0x270);
static_assert(offsetof(KUSER_SHARED_DATA, ProcessorFeatures) == 0x274);
static_assert(offsetof(KUSER_SHARED_DATA, Reserved1) == 0x2B4);
static_assert(offsetof(KUSER_SHARED_DATA, Reserved3) == 0x2B8);
static_assert(offsetof(KUSER_SHARED_DATA, TimeSlip) == 0x2BC);
static_assert(offsetof(KUSER_SHARED_DATA, AlternativeArchitecture) == 0x2C0);
static_assert(offsetof(KUSER_SHARED_DATA, BootId) == 0x2C4);
static_assert(offsetof(KUSER_SHARED_DATA, SystemExpirationDate) == 0x2C8);
static_assert(offsetof(KUSER_SHARED_DATA, SuiteMask) == 0x2D0);
static_assert(offsetof(KUSER_SHARED_DATA, KdDebuggerEnabled) == 0x2D4);
static_assert(offsetof(KUSER_SHARED_DATA, MitigationPolicies) == 0x2D5);
static_assert(offsetof(KUSER_SHARED_DATA, ActiveConsoleId) == 0x2D8);
static_assert(offsetof(KUSER_SHARED_DATA, DismountCount) == 0x2DC);
static_assert(offsetof(KUSER_SHARED_DATA, ComPlusPackage) == 0x2E0);
static_assert(offsetof(KUSER_SHARED_DATA, LastSystemRITEventTickCount) == 0x2E4);
static_assert(offsetof(KUSER_SHARED_DATA, NumberOfPhysicalPages) == 0x2E8);
static_assert(offsetof(KUSER_SHARED_DATA, SafeBootMode) == 0x2EC);
static_assert(offsetof(KUSER_SHARED_DATA, VirtualizationFlags) == 0x2ED);
static_assert(offsetof(KUSER_SHARED_DATA, SharedDataFlags) == 0x2F0);
static_assert(offsetof(KUSER_SHARED_DATA, TestRetInstruction) == 0x2F8);
static_assert(offsetof(KUSER_SHARED_DATA, QpcFrequency) == 0x300);
static_assert(offsetof(KUSER_SHARED_DATA, SystemCall) == 0x308);
static_assert(offsetof(KUSER_SHARED_DATA, SystemCallPad) == 0x310);
static_assert(offsetof(KUSER_SHARED_DATA, TickCount) == 0x320);
static_assert(offsetof(KUSER_SHARED_DATA, TickCountQuad) == 0x320);
static_assert(offsetof(KUSER_SHARED_DATA, Cookie) == 0x330);
static_assert(offsetof(KUSER_SHARED_DATA, ConsoleSessionForegroundProcessId) == 0x338);
static_assert(offsetof(KUSER_SHARED_DATA, TimeUpdateLock) == 0x340);
static_assert(offsetof(KUSER_SHARED_DATA, BaselineSystemTimeQpc) == 0x348);
static_assert(offsetof(KUSER_SHARED_DATA, BaselineInterruptTimeQpc) == 0x350);
static_assert(offsetof(KUSER_SHARED_DATA, QpcSystemTimeIncrement) == 0x358);
static_assert(offsetof(KUSER_SHARED_DATA, QpcInterruptTimeIncrement) == 0x360);
static_assert(offsetof(KUSER_SHARED_DATA, QpcSystemTimeIncrementShift) == 0x368);
static_assert(offsetof(KUSER_SHARED_DATA, QpcInterruptTimeIncrementShift) == 0x369);
static_assert(offsetof(KUSER_SHARED_DATA, UnparkedProcessorCount) == 0x36A);
static_assert(offsetof(KUSER_SHARED_DATA, EnclaveFeatureMask) == 0x36C);
static_assert(offsetof(KUSER_SHARED_DATA, TelemetryCoverageRound) == 0x37C);
static_assert(offsetof(KUSER_SHARED_DATA, UserModeGlobalLogger) == 0x380);
static_assert(offsetof(KUSER_SHARED_DATA, ImageFileExecutionOptions) == 0x3A0);
static_assert(offsetof(KUSER_SHARED_DATA, LangGenerationCount) == 0x3A4);
static_assert(offsetof(KUSER_SHARED_DATA, InterruptTimeBias) == 0x3B0);
static_assert(offsetof(KUSER_SHARED_DATA, QpcBias) == 0x3B8);
static_assert(offsetof(KUSER_SHARED_DATA, ActiveProcessorCount) == 0x3C0);
static_assert(offsetof(KUSER_SHARED_DATA, ActiveGroupCount) == 0x3C4);
static_assert(offsetof(KUSER_SHARED_DATA, QpcData) == 0x3C6);
static_assert(offsetof(KUSER_SHARED_DATA, TimeZoneBiasEffectiveStart) == 0x3C8);
static_assert(offsetof(KUSER_SHARED_DATA, TimeZoneBiasEffectiveEnd) == 0x3D0);
static_assert(offsetof(KUSER_SHARED_DATA, XStateAndRest) == 0x3D8);
static_assert(sizeof(KUSER_SHARED_DATA) == 0x1000);  // the whole page, not Windows' sizeof

}  // namespace ireactor::win
