// NtDeviceIoControlFile: device requests, passed to the driver of the handle's device. The
// console device is the one whose requests ntcore serves; other files refuse them as a file
// system refuses an I/O control code it does not know.
#include <string>

#include "console/console.h"
#include "io/io_status.h"
#include "ireactor/io/file_object.h"
#include "ireactor/services/io_services.h"

namespace ireactor {

using namespace nt;

namespace {

// METHOD_BUFFERED requests carry at most this much in either direction here (the console's are
// a few KiB); the I/O manager would fail a larger system buffer allocation the same way.
constexpr ULONG kMaxBufferedLength = 16u << 20;

}  // namespace

NTSTATUS NtDeviceIoControlFile(HANDLE FileHandle, HANDLE Event, UserPtr<void> ApcRoutine,
                               UserPtr<void> ApcContext, UserPtr<IO_STATUS_BLOCK> IoStatusBlock,
                               ULONG IoControlCode, UserPtr<void> InputBuffer,
                               ULONG InputBufferLength, UserPtr<void> OutputBuffer,
                               ULONG OutputBufferLength) {
  std::shared_ptr<FileObject> f;
  if (NTSTATUS s = current_process().handles.reference<FileObject>(FileHandle, 0, f);
      !nt_success(s))
    return s;
  if (!probe_user(IoStatusBlock.addr(), sizeof(IO_STATUS_BLOCK), true))
    return STATUS_ACCESS_VIOLATION;
  if (InputBufferLength > kMaxBufferedLength || OutputBufferLength > kMaxBufferedLength)
    return STATUS_INSUFFICIENT_RESOURCES;
  // The I/O manager captures the input buffer and checks the output buffer before the driver
  // sees the request.
  std::string in(InputBufferLength, '\0');
  if (InputBufferLength &&
      (InputBuffer.null() || !copy_from_user(in.data(), InputBuffer.addr(), InputBufferLength)))
    return STATUS_ACCESS_VIOLATION;
  if (OutputBufferLength &&
      (OutputBuffer.null() || !probe_user(OutputBuffer.addr(), OutputBufferLength, true)))
    return STATUS_ACCESS_VIOLATION;
  io::CompletionEvent event;
  if (NTSTATUS s = event.reference(Event); !nt_success(s)) return s;
  if (f->console_role == ConsoleRole::None) return STATUS_INVALID_DEVICE_REQUEST;
  event.start();

  std::string out;
  NTSTATUS status = console::device_io_control(*f, IoControlCode, in, OutputBufferLength, out);
  if (!nt_success(status)) return status;
  if (out.size() > OutputBufferLength) out.resize(OutputBufferLength);
  if (!copy_to_user(OutputBuffer.addr(), out.data(), out.size())) return STATUS_ACCESS_VIOLATION;
  io::write_io_status(IoStatusBlock, status, out.size());
  event.complete();
  return status;
}

}  // namespace ireactor
