/* Extended contexts: a CONTEXT followed by its CONTEXT_EX and, with CONTEXT_XSTATE, an XSAVE
 * area for the features beyond x87/SSE (AVX...). The layout follows the XState configuration the
 * system publishes in KUSER_SHARED_DATA (which features are enabled, where each one lies in the
 * XSAVE area, whether the area is compacted). */
#include "exception_private.h"

#define CONTEXT_ARCH 0x00100000 /* CONTEXT_AMD64 */
#define CONTEXT_XSTATE_BIT 0x40
/* What an AMD64 context may ask for: CONTEXT_ALL, XSTATE, and the exception-state bits. */
#define CONTEXT_SUPPORTED (CONTEXT_ARCH | 0x1F | CONTEXT_XSTATE_BIT | 0xD8000000)
#define CONTEXT_EX_SIZE 0x18 /* All, Legacy, XState */
#define LEGACY_XSAVE_SIZE 512
#define XSAVE_HEADER_SIZE 64
#define COMPACTION_ENABLED_BIT 0x2 /* XSTATE_CONFIGURATION.ControlFlags */

typedef struct XSTATE_FEATURE_ {
  ULONG Offset; /* in the standard (non-compacted) XSAVE layout */
  ULONG Size;
} XSTATE_FEATURE_;

typedef struct XSTATE_CONFIG_ {
  ULONG64 EnabledFeatures;
  ULONG64 EnabledVolatileFeatures;
  ULONG Size;
  ULONG ControlFlags;
  XSTATE_FEATURE_ Features[64];
  ULONG64 EnabledSupervisorFeatures;
  ULONG64 AlignedFeatures; /* features that start 64-byte aligned in a compacted area */
} XSTATE_CONFIG_;

typedef struct CONTEXT_CHUNK_ {
  LONG Offset;
  ULONG Length;
} CONTEXT_CHUNK_;

typedef struct CONTEXT_EX_ {
  CONTEXT_CHUNK_ All;
  CONTEXT_CHUNK_ Legacy;
  CONTEXT_CHUNK_ XState;
} CONTEXT_EX_;

typedef struct XSAVE_HEADER_ {
  ULONG64 Mask;
  ULONG64 CompactionMask;
  ULONG64 Reserved[6];
} XSAVE_HEADER_;

static const volatile XSTATE_CONFIG_* xstate_config(void) {
  return (const volatile XSTATE_CONFIG_*)0x7FFE03D8; /* KUSER_SHARED_DATA.XState */
}

static BOOLEAN compaction_enabled(void) {
  return (xstate_config()->ControlFlags & COMPACTION_ENABLED_BIT) != 0;
}

static BOOLEAN valid_flags(ULONG flags) {
  return (flags & CONTEXT_ARCH) && !(flags & ~(ULONG)CONTEXT_SUPPORTED);
}

/* Where feature `id` starts in a compacted area holding `mask`, in XSAVE offsets. */
static ULONG compacted_offset(ULONG64 mask, unsigned id) {
  const volatile XSTATE_CONFIG_* x = xstate_config();
  ULONG offset = LEGACY_XSAVE_SIZE + XSAVE_HEADER_SIZE;
  for (unsigned i = 2; i < id; i++) {
    if (!(mask & (1ull << i))) continue;
    if (x->AlignedFeatures & (1ull << i)) offset = (offset + 63) & ~63u;
    offset += x->Features[i].Size;
  }
  if (x->AlignedFeatures & (1ull << id)) offset = (offset + 63) & ~63u;
  return offset;
}

/* The XSTATE part of an extended context (header and extended features, not the legacy area
 * the CONTEXT already holds) for the enabled features of `mask`. */
static ULONG xstate_length(ULONG64 mask) {
  const volatile XSTATE_CONFIG_* x = xstate_config();
  mask &= x->EnabledFeatures & ~3ull;
  if (!mask) return XSAVE_HEADER_SIZE;
  const unsigned last = 63 - __builtin_clzll(mask);
  const ULONG start =
      compaction_enabled() ? compacted_offset(mask, last) : x->Features[last].Offset;
  return start + x->Features[last].Size - LEGACY_XSAVE_SIZE;
}

NTDLL_EXPORT ULONG64 NTAPI RtlGetEnabledExtendedFeatures(ULONG64 mask) {
  return xstate_config()->EnabledFeatures & mask;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlGetExtendedContextLength2(ULONG flags, PULONG length, ULONG64 mask) {
  if (!valid_flags(flags)) return STATUS_INVALID_PARAMETER;
  if (!(flags & CONTEXT_XSTATE_BIT)) {
    *length = sizeof(CONTEXT) + CONTEXT_EX_SIZE + 15; /* room to align the CONTEXT to 16 */
    return STATUS_SUCCESS;
  }
  if (!RtlGetEnabledExtendedFeatures(~0ull)) return STATUS_NOT_SUPPORTED;
  /* room to align the XSAVE area to 64 */
  *length = sizeof(CONTEXT) + CONTEXT_EX_SIZE + 63 + xstate_length(mask);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlInitializeExtendedContext2(PVOID buffer, ULONG flags,
                                                          CONTEXT_EX_** context_ex, ULONG64 mask) {
  if (!valid_flags(flags)) return STATUS_INVALID_PARAMETER;
  if ((flags & CONTEXT_XSTATE_BIT) && !RtlGetEnabledExtendedFeatures(~0ull))
    return STATUS_NOT_SUPPORTED;
  BYTE* context = (BYTE*)(((ULONG_PTR)buffer + 15) & ~(ULONG_PTR)15);
  ((CONTEXT*)context)->ContextFlags = flags;
  CONTEXT_EX_* ex = (CONTEXT_EX_*)(context + sizeof(CONTEXT));
  ex->Legacy.Offset = ex->All.Offset = -(LONG)sizeof(CONTEXT);
  ex->Legacy.Length = sizeof(CONTEXT);
  if (flags & CONTEXT_XSTATE_BIT) {
    BYTE* area = (BYTE*)(((ULONG_PTR)ex + CONTEXT_EX_SIZE + 63) & ~(ULONG_PTR)63);
    XSAVE_HEADER_* header = (XSAVE_HEADER_*)area;
    memset(header, 0, sizeof(*header));
    mask &= xstate_config()->EnabledFeatures;
    if (compaction_enabled()) header->CompactionMask = (1ull << 63) | mask;
    ex->XState.Offset = (LONG)(area - (BYTE*)ex);
    ex->XState.Length = xstate_length(mask);
    ex->All.Length = (ULONG)(area + ex->XState.Length - context);
  } else {
    ex->XState.Offset = CONTEXT_EX_SIZE + 1; /* what Windows puts there: no XSTATE area */
    ex->XState.Length = 0;
    ex->All.Length = sizeof(CONTEXT) + CONTEXT_EX_SIZE;
  }
  *context_ex = ex;
  return STATUS_SUCCESS;
}

static XSAVE_HEADER_* xstate_of(CONTEXT_EX_* ex) {
  return (XSAVE_HEADER_*)((BYTE*)ex + ex->XState.Offset);
}

/* Only the features beyond x87/SSE live in the XSTATE area; NULL for any other, for a feature
 * not enabled, or one the context's area has no room for. */
NTDLL_EXPORT PVOID NTAPI RtlLocateExtendedFeature(CONTEXT_EX_* ex, ULONG id, PULONG length) {
  const volatile XSTATE_CONFIG_* x = xstate_config();
  if (id < 2 || id >= 64 || !(x->EnabledFeatures & (1ull << id))) return NULL;
  XSAVE_HEADER_* header = xstate_of(ex);
  ULONG offset;
  if (compaction_enabled()) {
    if (!(header->CompactionMask & (1ull << id))) return NULL;
    offset = compacted_offset(header->CompactionMask, id);
  } else {
    offset = x->Features[id].Offset;
  }
  offset -= LEGACY_XSAVE_SIZE;
  if (offset + x->Features[id].Size > ex->XState.Length) return NULL;
  if (length) *length = x->Features[id].Size;
  return (BYTE*)header + offset;
}

NTDLL_EXPORT ULONG64 NTAPI RtlGetExtendedFeaturesMask(CONTEXT_EX_* ex) {
  return xstate_of(ex)->Mask & ~3ull;
}

NTDLL_EXPORT VOID NTAPI RtlSetExtendedFeaturesMask(CONTEXT_EX_* ex, ULONG64 mask) {
  xstate_of(ex)->Mask = RtlGetEnabledExtendedFeatures(mask) & ~3ull;
}
