// One audit event as a line of audit.jsonl (field list: docs/agent.md "Audit log"), with the
// names the kernel side cannot know: namespace name, rule origin (file:line), device path.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "guard_abi.h"

namespace ireactor::agent {

struct AuditLookups {
  std::function<std::optional<std::string>(uint32_t ns_id)> ns_name;
  // "file:line" of a rule of a generation's compiled set; nullopt when not known to this agent.
  std::function<std::optional<std::string>(uint32_t generation, uint32_t rule_id)> rule_origin;
  std::function<std::optional<std::string>(uint32_t type, uint32_t major, uint32_t minor)>
      device_name;
};

// `boot_to_realtime_ns`: CLOCK_REALTIME minus CLOCK_BOOTTIME, added to the event's boot time.
nlohmann::ordered_json audit_record(const ir_audit_event& event, int64_t boot_to_realtime_ns,
                                    const AuditLookups& lookups);

// {"time", "event": "lost", "count": events dropped since the last such line, "total"}.
nlohmann::ordered_json lost_record(int64_t realtime_ns, uint64_t count, uint64_t total);

// "2026-11-25T10:00:00.123456Z"
std::string rfc3339_utc_us(int64_t realtime_ns);

// CLOCK_REALTIME - CLOCK_BOOTTIME now, and CLOCK_REALTIME now, in nanoseconds.
int64_t boot_to_realtime_offset_ns();
int64_t realtime_now_ns();

}  // namespace ireactor::agent
