// Each object type's valid access rights and how the generic rights map onto them (the type's
// GENERIC_MAPPING and ValidAccessMask on Windows). Objects have no security descriptors yet, so
// a new or duplicated handle gets whatever is asked for within the type's rights.
#pragma once

#include "ireactor/nt/types.h"
#include "ireactor/object.h"

namespace ireactor {

inline constexpr nt::ACCESS_MASK MUTANT_QUERY_STATE = 0x0001;
inline constexpr nt::ACCESS_MASK MUTANT_ALL_ACCESS = 0x001F0001;
inline constexpr nt::ACCESS_MASK SEMAPHORE_QUERY_STATE = 0x0001;
inline constexpr nt::ACCESS_MASK SEMAPHORE_MODIFY_STATE = 0x0002;
inline constexpr nt::ACCESS_MASK SEMAPHORE_ALL_ACCESS = 0x001F0003;

struct GenericMapping {
  nt::ACCESS_MASK read, write, execute, all;
};

const GenericMapping& generic_mapping(ObjectType type);

// `desired` with generic rights mapped, limited to the type's rights; MAXIMUM_ALLOWED and
// GENERIC_ALL grant all of them.
nt::ACCESS_MASK granted_access(ObjectType type, nt::ACCESS_MASK desired);

}  // namespace ireactor
