#include "object/access_mapping.h"

namespace ireactor {

namespace {

// Windows' mappings; READ_CONTROL (0x20000) is STANDARD_RIGHTS_READ/WRITE/EXECUTE.
constexpr GenericMapping kFile{0x120089, 0x120116, 0x1200A0, 0x1F01FF};
constexpr GenericMapping kEvent{0x20001, 0x20002, 0x120000, 0x1F0003};
constexpr GenericMapping kProcess{0x20410, 0x20BEA, 0x121000, 0x1FFFFF};
constexpr GenericMapping kThread{0x20048, 0x20037, 0x121800, 0x1FFFFF};
constexpr GenericMapping kMutant{0x20001, 0x20000, 0x120000, MUTANT_ALL_ACCESS};
constexpr GenericMapping kSemaphore{0x20001, 0x20002, 0x120000, SEMAPHORE_ALL_ACCESS};
constexpr GenericMapping kSection{0x20005, 0x20002, 0x20008, 0xF001F};
constexpr GenericMapping kKey{0x20019, 0x20006, 0x20019, 0xF003F};

}  // namespace

const GenericMapping& generic_mapping(ObjectType type) {
  switch (type) {
    case ObjectType::File:
      return kFile;
    case ObjectType::Event:
      return kEvent;
    case ObjectType::Process:
      return kProcess;
    case ObjectType::Thread:
      return kThread;
    case ObjectType::Mutant:
      return kMutant;
    case ObjectType::Semaphore:
      return kSemaphore;
    case ObjectType::Section:
      return kSection;
    case ObjectType::Key:
      return kKey;
  }
  return kEvent;
}

nt::ACCESS_MASK granted_access(ObjectType type, nt::ACCESS_MASK desired) {
  const GenericMapping& m = generic_mapping(type);
  nt::ACCESS_MASK a = desired & m.all;
  if (desired & nt::GENERIC_READ) a |= m.read;
  if (desired & nt::GENERIC_WRITE) a |= m.write;
  if (desired & nt::GENERIC_EXECUTE) a |= m.execute;
  if (desired & (nt::GENERIC_ALL | nt::MAXIMUM_ALLOWED)) a |= m.all;
  return a;
}

}  // namespace ireactor
