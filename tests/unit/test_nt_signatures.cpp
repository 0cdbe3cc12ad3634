// The tracer's argument tables against the services ntcore implements, and the text and JSON
// an event decodes to.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "ireactor/dispatcher.h"
#include "ireactor/nt_trace.h"
#include "nt_call_format.h"
#include "nt_signatures.h"

using namespace ireactor;
using namespace ireactor::ntdecode;

TEST_CASE("every implemented service has a signature with its arity") {
  for (const ServiceEntry& e : implemented_services()) {
    CAPTURE(e.name);
    const Signature* sig = find_signature(e.name);
    REQUIRE(sig != nullptr);
    CHECK(sig->args.size() == e.arity);
    CHECK(service_id(e.name).has_value());
  }
  CHECK(signatures().size() == implemented_services().size());
}

TEST_CASE("service ids name every service of every build, in name order") {
  REQUIRE(service_id_count() > 400);
  CHECK(service_id_name(*service_id("NtCreateFile")) == "NtCreateFile");
  CHECK(*service_id("NtClose") < *service_id("NtCreateFile"));
  CHECK_FALSE(service_id("NtNoSuchService").has_value());
  CHECK(service_id_name(kNoServiceId).empty());
}

TEST_CASE("capture specs follow the argument formats") {
  const ir_trace_spec spec = capture_spec(*find_signature("NtCreateFile"));
  CHECK(spec.nargs == 11);
  CHECK((spec.flags & IR_SPEC_KNOWN));
  CHECK_FALSE((spec.flags & IR_SPEC_NORETURN));
  CHECK(spec.capture[0] == IR_CAP_OUT_U64);  // FileHandle
  CHECK(spec.capture[2] == IR_CAP_OBJATTR);
  CHECK(spec.capture[3] == IR_CAP_IOSB);
  CHECK(spec.capture[1] == IR_CAP_VALUE);
  CHECK((capture_spec(*find_signature("NtTerminateProcess")).flags & IR_SPEC_NORETURN));
  const ir_trace_spec wait = capture_spec(*find_signature("NtWaitForMultipleObjects"));
  CHECK(wait.capture[1] == IR_CAP_HANDLES);
  CHECK(wait.list_count_arg == 0);
}

namespace {

ir_trace_event create_file_event(const std::u16string& path) {
  ir_trace_event ev{};
  ev.pid = ev.tid = 4242;
  ev.ns_id = 1;
  ev.number = 0x55;
  ev.nargs = 11;
  ev.args[0] = 0x1000;                   // &FileHandle
  ev.args[1] = 0x40000000 | 0x00100000;  // GENERIC_WRITE|SYNCHRONIZE
  ev.args[2] = 0x2000;                   // &ObjectAttributes
  ev.args[3] = 0x3000;                   // &IoStatusBlock
  ev.args[6] = 1;                        // FILE_SHARE_READ
  ev.args[7] = 5;                        // FILE_OVERWRITE_IF
  ev.args[8] = 0x20 | 0x40;              // FILE_SYNCHRONOUS_IO_NONALERT|FILE_NON_DIRECTORY_FILE
  ev.out_val[0] = 0x24;
  ev.in_val[3] = 0;   // IOSB status
  ev.out_val[3] = 3;  // FILE_OVERWRITTEN
  ev.flags = IR_EV_HAS_STR;
  ev.str_len = static_cast<uint16_t>(path.size());
  std::memcpy(ev.str, path.data(), path.size() * 2);
  ev.duration_ns = 12345;
  std::strcpy(ev.comm, "ireactor");
  return ev;
}

}  // namespace

TEST_CASE("an NtCreateFile event as an strace-like line") {
  ir_trace_event ev = create_file_event(u"\\??\\C:\\data\\a.txt");
  CallContext ctx{"office", "NtCreateFile"};
  CHECK(format_text(ev, ctx) ==
        "office 4242 NtCreateFile(\"\\??\\C:\\data\\a.txt\", GENERIC_WRITE|SYNCHRONIZE, "
        "FILE_SHARE_READ, FILE_OVERWRITE_IF, "
        "FILE_SYNCHRONOUS_IO_NONALERT|FILE_NON_DIRECTORY_FILE) = STATUS_SUCCESS h=0x24 n=3 "
        "<12.3us>");

  SUBCASE("a failed call shows no out values") {
    ev.status = 0xC0000034;  // STATUS_OBJECT_NAME_NOT_FOUND
    CHECK(format_text(ev, ctx).ends_with(") = STATUS_OBJECT_NAME_NOT_FOUND <12.3us>"));
  }
  SUBCASE("another thread, a truncated path, a quote") {
    ev.tid = 4243;
    ev.flags |= IR_EV_STR_TRUNCATED;
    ev.str[2] = u'"';
    CHECK(format_text(ev, ctx).starts_with("office 4242/4243 NtCreateFile(\"\\?\\\"\\C:"));
    CHECK(format_text(ev, ctx).find(".txt\"..., ") != std::string::npos);
  }
  SUBCASE("a name that could not be read shows the pointer") {
    ev.flags = IR_EV_STR_FAULT;
    CHECK(format_text(ev, ctx).starts_with("office 4242 NtCreateFile(0x2000, "));
  }
}

TEST_CASE("an NtCreateFile event as JSON") {
  ir_trace_event ev = create_file_event(u"\\??\\C:\\caf\u00e9.txt");
  auto j = format_json(ev, {"office", "NtCreateFile"});
  CHECK(j["namespace"] == "office");
  CHECK(j["service"] == "NtCreateFile");
  CHECK(j["status"] == "STATUS_SUCCESS");
  CHECK(j["status_code"] == 0);
  CHECK(j["duration_ns"] == 12345);
  CHECK(j["returned"] == true);
  CHECK(j["comm"] == "ireactor");
  REQUIRE(j["args"].size() == 11);
  CHECK(j["args"][0]["name"] == "FileHandle");
  CHECK(j["args"][0]["out"] == "0x24");
  CHECK(j["args"][1]["text"] == "GENERIC_WRITE|SYNCHRONIZE");
  CHECK(j["args"][2]["string"] == "\\??\\C:\\caf\xc3\xa9.txt");
  CHECK(j["args"][2]["root"] == "NULL");
  CHECK(j["args"][3]["out"] == "3");
  CHECK(j["args"][3]["status"] == "STATUS_SUCCESS");
  CHECK(j["args"][10]["name"] == "EaLength");
}

TEST_CASE("a call that may not return, reported on entry") {
  ir_trace_event ev{};
  ev.pid = ev.tid = 7;
  ev.nargs = 2;
  ev.args[0] = ~0ull;
  ev.args[1] = 0x102;  // STATUS_TIMEOUT as an exit status
  ev.flags = IR_EV_ENTRY;
  CHECK(format_text(ev, {"default", "NtTerminateProcess"}) ==
        "default 7 NtTerminateProcess(NtCurrentProcess(), STATUS_TIMEOUT) = ?");
  auto j = format_json(ev, {"default", "NtTerminateProcess"});
  CHECK(j["returned"] == false);
  CHECK_FALSE(j.contains("status"));
}

TEST_CASE("services without a signature show their registers") {
  ir_trace_event ev{};
  ev.pid = ev.tid = 9;
  ev.nargs = 4;
  ev.args[0] = 0x10;
  ev.args[3] = 0xff;
  ev.status = 0xC0000002;  // STATUS_NOT_IMPLEMENTED
  ev.duration_ns = 1000;
  CHECK(format_text(ev, {"default", "NtCreateSection"}) ==
        "default 9 NtCreateSection(0x10, 0x0, 0x0, 0xff) = STATUS_NOT_IMPLEMENTED <1.0us>");
}

TEST_CASE("reads, writes, waits and memory") {
  ir_trace_event ev{};
  ev.pid = ev.tid = 5;
  ev.nargs = 9;
  ev.args[0] = 0x8;
  ev.args[4] = 0x100;
  ev.args[5] = 0x7000;
  ev.args[6] = 0xAAAAAAAA00000040ull;  // a ULONG with garbage above it, as Windows callers may pass
  ev.args[7] = 0x200;
  ev.in_val[7] = static_cast<uint64_t>(-2);
  ev.out_val[4] = 64;
  ev.duration_ns = 2500;
  CHECK(format_text(ev, {"default", "NtWriteFile"}) ==
        "default 5 NtWriteFile(0x8, 0x7000, 64, FILE_USE_FILE_POINTER_POSITION) = STATUS_SUCCESS "
        "n=64 <2.5us>");

  ir_trace_event wait{};
  wait.pid = wait.tid = 5;
  wait.nargs = 5;
  wait.args[0] = 3;
  wait.args[1] = 0x500;
  wait.list[0] = 0x4;
  wait.list[1] = 0x8;
  wait.list[2] = 0xc;
  wait.list_len = 3;
  wait.args[2] = 1;
  wait.args[4] = 0x600;
  wait.in_val[4] = static_cast<uint64_t>(-10000000);
  wait.status = 0x102;
  CHECK(format_text(wait, {"default", "NtWaitForMultipleObjects"}) ==
        "default 5 NtWaitForMultipleObjects(3, [0x4, 0x8, 0xc], WaitAny, FALSE, -10000000 (1s)) = "
        "STATUS_TIMEOUT <0.0us>");

  ir_trace_event alloc{};
  alloc.pid = alloc.tid = 5;
  alloc.nargs = 6;
  alloc.args[0] = ~0ull;
  alloc.args[1] = 0x900;
  alloc.args[3] = 0x908;
  alloc.args[4] = 0x3000;
  alloc.args[5] = 0x04;
  alloc.in_val[1] = 0;
  alloc.in_val[3] = 65536;
  alloc.out_val[1] = 0x7f0000;
  alloc.out_val[3] = 65536;
  CHECK(format_text(alloc, {"default", "NtAllocateVirtualMemory"}) ==
        "default 5 NtAllocateVirtualMemory(NtCurrentProcess(), [NULL], [65536], "
        "MEM_COMMIT|MEM_RESERVE, PAGE_READWRITE) = STATUS_SUCCESS base=0x7f0000 size=65536 "
        "<0.0us>");
}

TEST_CASE("a rename shows the new name; other set-information calls do not show the buffer") {
  ir_trace_event ev{};
  ev.pid = ev.tid = 5;
  ev.nargs = 5;
  ev.args[0] = 0x10;
  ev.args[1] = 0x100;
  ev.args[2] = 0x200;
  ev.args[3] = 62;
  ev.args[4] = 10;  // FileRenameInformation
  const std::u16string name = u"\\??\\C:\\b.txt";
  ev.flags = IR_EV_HAS_STR;
  ev.str_len = static_cast<uint16_t>(name.size());
  std::memcpy(ev.str, name.data(), name.size() * 2);
  CHECK(format_text(ev, {"default", "NtSetInformationFile"}) ==
        "default 5 NtSetInformationFile(0x10, \"\\??\\C:\\b.txt\", 62, FileRenameInformation) = "
        "STATUS_SUCCESS n=0 <0.0us>");
  ev.in_val[2] = 0x24;  // relative to a directory handle
  CHECK(format_text(ev, {"default", "NtSetInformationFile"})
            .find("\"\\??\\C:\\b.txt\" (root 0x24)") != std::string::npos);
  CHECK(format_json(ev, {"default", "NtSetInformationFile"})["args"][2]["string"] ==
        "\\??\\C:\\b.txt");

  ir_trace_event pos{};
  pos.pid = pos.tid = 5;
  pos.nargs = 5;
  pos.args[0] = 0x10;
  pos.args[1] = 0x100;
  pos.args[2] = 0x200;
  pos.args[3] = 8;
  pos.args[4] = 14;  // FilePositionInformation
  CHECK(format_text(pos, {"default", "NtSetInformationFile"}) ==
        "default 5 NtSetInformationFile(0x10, 8, FilePositionInformation) = STATUS_SUCCESS n=0 "
        "<0.0us>");
  CHECK(capture_spec(*find_signature("NtSetInformationFile")).capture[2] == IR_CAP_FILE_INFO_NAME);
  CHECK(capture_spec(*find_signature("NtSetInformationFile")).class_arg == 4);
}
