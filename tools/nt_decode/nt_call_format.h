// One traced NT call (trace_events_abi.h's ir_trace_event) as `ireactor trace` prints it: an
// strace-like text line, or a JSON object (schema: docs/trace-format.md).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "trace_events_abi.h"

namespace ireactor::ntdecode {

// What the event does not carry: names resolved by the tracer.
struct CallContext {
  std::string ns_name;  // "office"; "default" for namespace 0
  std::string service;  // "NtCreateFile"; "#0x55" when the build has no such number
};

// `office 4242 NtCreateFile("\??\C:\a.txt", GENERIC_WRITE|SYNCHRONIZE, 0, FILE_OVERWRITE_IF,
// FILE_SYNCHRONOUS_IO_NONALERT) = STATUS_SUCCESS h=0x24 n=2 <12.3us>`, no newline.
std::string format_text(const ir_trace_event& ev, const CallContext& ctx);
nlohmann::json format_json(const ir_trace_event& ev, const CallContext& ctx);

}  // namespace ireactor::ntdecode
