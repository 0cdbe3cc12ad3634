#include "ntgate_device.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "ntgate_uapi.h"

namespace ireactor::kmod {

GateStatus read_gate_status(const std::filesystem::path& device) {
  const int fd = open(device.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT)
      throw DeviceMissing(device.string() + " is missing: load kmod-min (docs/kmod.md)");
    std::string message = "open " + device.string() + ": " + std::strerror(err);
    if (err == EPERM || err == EACCES)
      message += " (outside an ireactor namespace it opens for CAP_SYS_ADMIN only)";
    throw std::runtime_error(message);
  }
  ntgate_status st{};
  const int r = ioctl(fd, NTGATE_IOC_STATUS, &st);
  const int err = errno;
  close(fd);
  if (r != 0)
    throw std::runtime_error("NTGATE_IOC_STATUS on " + device.string() + ": " + std::strerror(err));
  GateStatus out;
  out.abi_version = st.abi_version;
  out.attached = st.attached != 0;
  out.implementation.assign(st.ops_name, strnlen(st.ops_name, sizeof(st.ops_name)));
  out.generation = st.generation;
  out.calls = st.calls;
  out.handled = st.handled;
  out.unhandled = st.unhandled;
  out.implementation_calls = st.ops_calls;
  out.implementation_handled = st.ops_handled;
  out.processes = st.processes;
  return out;
}

}  // namespace ireactor::kmod
