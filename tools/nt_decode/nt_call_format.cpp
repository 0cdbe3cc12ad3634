#include "nt_call_format.h"

#include <cinttypes>
#include <cstdio>
#include <optional>
#include <string_view>
#include <vector>

#include "nt_signatures.h"
#include "nt_symbols.h"
#include "win_string.h"

namespace ireactor::ntdecode {
namespace {

using nlohmann::json;

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%" PRIx64, v);
  return b;
}

std::string pointer(uint64_t v) {
  return v ? hex(v) : "NULL";
}

bool returned(const ir_trace_event& ev) {
  return !(ev.flags & IR_EV_ENTRY);
}

// The call wrote its out arguments: it returned and did not fail (errors write nothing; warnings
// such as STATUS_BUFFER_OVERFLOW still fill what fits).
bool outputs_written(const ir_trace_event& ev) {
  return returned(ev) && (ev.status >> 30) != 3;
}

// The event's string (a path or name), as UTF-8.
std::string event_string(const ir_trace_event& ev) {
  return loader::utf16_to_utf8(std::u16string_view(reinterpret_cast<const char16_t*>(ev.str),
                                                   std::min<size_t>(ev.str_len, IR_TRACE_MAX_STR)));
}

// A quoted string: UTF-8, with quotes, backslash escapes for control characters and `"`;
// backslashes stay as they are, since every NT path is full of them.
std::string quoted(const ir_trace_event& ev) {
  std::string out = "\"";
  for (unsigned char c : event_string(ev)) {
    if (c == '"') {
      out += "\\\"";
    } else if (c < 0x20 || c == 0x7f) {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02x", c);
      out += b;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += "\"";
  if (ev.flags & IR_EV_STR_TRUNCATED) out += "...";
  return out;
}

std::string path_text(const ir_trace_event& ev, uint64_t raw) {
  if (!raw) return "NULL";
  if ((ev.flags & IR_EV_STR_FAULT) || !(ev.flags & IR_EV_HAS_STR)) return hex(raw);
  return quoted(ev);
}

std::string handles_text(const ir_trace_event& ev, uint64_t raw, uint64_t count) {
  if (!raw) return "NULL";
  std::string out = "[";
  for (uint16_t i = 0; i < ev.list_len && i < IR_TRACE_MAX_LIST; ++i) {
    if (i) out += ", ";
    out += handle(ev.list[i]);
  }
  if (count > ev.list_len) out += ev.list_len ? ", ..." : "...";
  return out + "]";
}

// An argument's inline text: what the call was asked.
std::string inline_text(const ir_trace_event& ev, const Signature& sig, size_t i) {
  const uint64_t raw = ev.args[i];
  const uint32_t u32 = static_cast<uint32_t>(raw);
  const uint64_t in = ev.in_val[i];
  switch (sig.args[i].fmt) {
    case Fmt::Hex:
      return hex(raw);
    case Fmt::Dec:
      return std::to_string(u32);
    case Fmt::DecSize:
      return std::to_string(raw);
    case Fmt::Bool:
      return (raw & 0xff) ? "TRUE" : "FALSE";
    case Fmt::Handle:
      return handle(raw);
    case Fmt::Ptr:
    case Fmt::OutHandle:
    case Fmt::OutU64:
    case Fmt::OutU32:
    case Fmt::IoStatus:
      return pointer(raw);
    case Fmt::InOutAddress:
      return raw ? "[" + pointer(in) + "]" : "NULL";
    case Fmt::InOutSize:
    case Fmt::InU64:
      return raw ? "[" + std::to_string(in) + "]" : "NULL";
    case Fmt::InInterval:
      return raw ? interval(static_cast<int64_t>(in)) : "NULL";
    case Fmt::InByteOffset:
      return raw ? byte_offset(static_cast<int64_t>(in)) : "NULL";
    case Fmt::ObjectAttributes:
    case Fmt::FileInfoName: {  // in_val: the RootDirectory the name is relative to
      std::string s = path_text(ev, raw);
      if (raw && ev.in_val[i]) s += " (root " + handle(ev.in_val[i]) + ")";
      return s;
    }
    case Fmt::UnicodeString:
      return path_text(ev, raw);
    case Fmt::Handles:
      return handles_text(ev, raw, ev.args[sig.list_count_arg] & 0xffffffff);
    case Fmt::Status:
      return ntstatus(u32);
    case Fmt::AccessFile:
      return access_mask(u32, AccessKind::File);
    case Fmt::AccessEvent:
      return access_mask(u32, AccessKind::Event);
    case Fmt::AccessGeneric:
      return access_mask(u32, AccessKind::Generic);
    case Fmt::FileAttributes:
      return file_attributes(u32);
    case Fmt::ShareAccess:
      return share_access(u32);
    case Fmt::CreateDisposition:
      return create_disposition(u32);
    case Fmt::CreateOptions:
      return create_options(u32);
    case Fmt::FileInfoClass:
      return file_information_class(u32);
    case Fmt::FsInfoClass:
      return fs_information_class(u32);
    case Fmt::AllocationType:
      return allocation_type(u32);
    case Fmt::FreeType:
      return free_type(u32);
    case Fmt::Protection:
      return page_protection(u32);
    case Fmt::MemoryInfoClass:
      return memory_information_class(u32);
    case Fmt::EventType:
      return event_type(u32);
    case Fmt::WaitType:
      return wait_type(u32);
    case Fmt::SystemInfoClass:
      return system_information_class(u32);
    case Fmt::ProcessInfoClass:
      return process_information_class(u32);
  }
  return hex(raw);
}

// An argument's out text: what the call wrote behind it; nullopt when it writes nothing.
std::optional<std::string> out_text(const ir_trace_event& ev, const Signature& sig, size_t i) {
  if (!outputs_written(ev) || !ev.args[i]) return std::nullopt;
  const uint64_t out = ev.out_val[i];
  switch (sig.args[i].fmt) {
    case Fmt::OutHandle:
      return handle(out);
    case Fmt::InOutAddress:
      return hex(out);
    case Fmt::OutU64:
    case Fmt::OutU32:
    case Fmt::InOutSize:
    case Fmt::IoStatus:
      return std::to_string(out);
    default:
      return std::nullopt;
  }
}

std::string duration_text(uint64_t ns) {
  char b[32];
  std::snprintf(b, sizeof b, "<%.1fus>", static_cast<double>(ns) / 1000.0);
  return b;
}

std::string who(const ir_trace_event& ev, const CallContext& ctx) {
  std::string s = ctx.ns_name + " " + std::to_string(ev.pid);
  if (ev.tid != ev.pid) s += "/" + std::to_string(ev.tid);
  return s;
}

size_t arg_count(const ir_trace_event& ev, const Signature* sig) {
  const size_t n = sig ? sig->args.size() : 4;
  return std::min<size_t>(n, std::min<size_t>(ev.nargs, IR_TRACE_MAX_ARGS));
}

}  // namespace

std::string format_text(const ir_trace_event& ev, const CallContext& ctx) {
  const Signature* sig = find_signature(ctx.service);
  const size_t n = arg_count(ev, sig);
  // The object name leads the line, as the path leads strace's open lines; the other arguments
  // follow in their declared order.
  std::vector<size_t> order;
  for (int pass = 0; pass < 2; ++pass)
    for (size_t i = 0; i < n; ++i)
      if ((sig && sig->args[i].fmt == Fmt::ObjectAttributes) == (pass == 0)) order.push_back(i);

  std::string line = who(ev, ctx) + " " + ctx.service + "(";
  bool first = true;
  std::string results;
  for (size_t i : order) {
    const Show show = sig ? sig->args[i].show : Show::Inline;
    // A set-information buffer is shown only when it carries a name (renames and links).
    if (sig && sig->args[i].fmt == Fmt::FileInfoName && !(ev.flags & IR_EV_HAS_STR)) continue;
    if (show == Show::Inline) {
      line += (first ? "" : ", ") + (sig ? inline_text(ev, *sig, i) : hex(ev.args[i]));
      first = false;
    }
  }
  for (size_t i = 0; sig && i < n; ++i)
    if (!sig->args[i].label.empty())
      if (auto out = out_text(ev, *sig, i))
        results += " " + std::string(sig->args[i].label) + "=" + *out;
  line += ")";
  if (!returned(ev)) return line + " = ?";
  line += " = " + ntstatus(ev.status) + results + " " + duration_text(ev.duration_ns);
  return line;
}

json format_json(const ir_trace_event& ev, const CallContext& ctx) {
  const Signature* sig = find_signature(ctx.service);
  json args = json::array();
  for (size_t i = 0; i < arg_count(ev, sig); ++i) {
    json a = {{"name", sig ? std::string(sig->args[i].name) : "arg" + std::to_string(i + 1)},
              {"raw", hex(ev.args[i])},
              {"text", sig ? inline_text(ev, *sig, i) : hex(ev.args[i])}};
    if (sig) {
      if (auto out = out_text(ev, *sig, i)) a["out"] = *out;
      const Fmt fmt = sig->args[i].fmt;
      if ((fmt == Fmt::ObjectAttributes || fmt == Fmt::UnicodeString || fmt == Fmt::FileInfoName) &&
          ev.args[i] && (ev.flags & IR_EV_HAS_STR) && !(ev.flags & IR_EV_STR_FAULT)) {
        a["string"] = event_string(ev);
        a["truncated"] = (ev.flags & IR_EV_STR_TRUNCATED) != 0;
        if (fmt != Fmt::UnicodeString) a["root"] = handle(ev.in_val[i]);
      }
      if (fmt == Fmt::IoStatus && outputs_written(ev) && ev.args[i])
        a["status"] = ntstatus(static_cast<uint32_t>(ev.in_val[i]));
    }
    args.push_back(std::move(a));
  }
  json j = {{"time_ns", ev.start_ns},  {"namespace", ctx.ns_name},
            {"ns_id", ev.ns_id},       {"pid", ev.pid},
            {"tid", ev.tid},           {"comm", std::string(ev.comm, strnlen(ev.comm, 16))},
            {"service", ctx.service},  {"number", ev.number},
            {"args", std::move(args)}, {"returned", returned(ev)}};
  if (returned(ev)) {
    j["status"] = ntstatus(ev.status);
    j["status_code"] = ev.status;
    j["duration_ns"] = ev.duration_ns;
  }
  return j;
}

}  // namespace ireactor::ntdecode
