#include "audit_writer.h"

#include <bpf/libbpf.h>
#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace ireactor::agent {

AuditWriter::AuditWriter(std::filesystem::path log_file, int ring_map_fd, AuditLookups lookups,
                         uint64_t lost_reported)
    : log_file_(std::move(log_file)), lookups_(std::move(lookups)), lost_reported_(lost_reported) {
  if (!lookups_.device_name)
    lookups_.device_name = [this](uint32_t type, uint32_t major, uint32_t minor) {
      return devices_.lookup(type, major, minor);
    };
  open_log();
  ring_ = ring_buffer__new(ring_map_fd, &AuditWriter::on_event, this, nullptr);
  if (!ring_) {
    const int err = errno;
    ::close(fd_);
    throw std::system_error(err, std::generic_category(), "cannot read the audit ring buffer");
  }
}

AuditWriter::~AuditWriter() {
  if (ring_) ring_buffer__free(ring_);
  if (fd_ >= 0) ::close(fd_);
}

int AuditWriter::epoll_fd() const {
  return ring_buffer__epoll_fd(ring_);
}

int AuditWriter::drain() {
  // One clock reading per batch: the offset drifts only when the wall clock is stepped.
  boot_to_realtime_ns_ = boot_to_realtime_offset_ns();
  batch_ = 0;
  const int n = ring_buffer__consume(ring_);
  // A callback's negative return stops the consumption (the event it saw is consumed); under
  // a flood this bounds one drain, so signals and policy changes get their turn.
  if (n < 0 && batch_ < kMaxBatch)
    spdlog::warn("audit: reading the ring buffer failed: {}", std::strerror(-n));
  return batch_;
}

int AuditWriter::on_event(void* ctx, void* data, size_t size) {
  auto* self = static_cast<AuditWriter*>(ctx);
  ++self->batch_;
  if (size < sizeof(ir_audit_event)) {
    spdlog::warn("audit: short event ({} bytes, want {}), skipped", size, sizeof(ir_audit_event));
  } else {
    ir_audit_event event;
    std::memcpy(&event, data, sizeof event);  // ring records are only 8-byte aligned
    self->write_line(audit_record(event, self->boot_to_realtime_ns_, self->lookups_).dump());
  }
  return self->batch_ >= kMaxBatch ? -EAGAIN : 0;
}

void AuditWriter::open_log() {
  std::error_code ec;
  std::filesystem::create_directories(log_file_.parent_path(), ec);
  fd_ = ::open(log_file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd_ < 0)
    throw std::system_error(errno, std::generic_category(),
                            "cannot open the audit log " + log_file_.string());
}

void AuditWriter::reopen() {
  const int old = fd_;
  try {
    open_log();
  } catch (const std::exception& e) {
    fd_ = old;  // keep writing to the old file rather than nowhere
    spdlog::error("audit: {}; still writing to the previous file", e.what());
    return;
  }
  if (old >= 0) ::close(old);
  spdlog::info("audit: reopened {}", log_file_.string());
}

void AuditWriter::write_line(const std::string& text) {
  std::string line = text;
  line.push_back('\n');
  // O_APPEND + one write per line: concurrent readers (ireactor audit -f) see whole lines.
  ssize_t n;
  do n = ::write(fd_, line.data(), line.size());
  while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(line.size())) {
    if (!write_failed_)
      spdlog::error("audit: cannot write {}: {}", log_file_.string(),
                    n < 0 ? std::strerror(errno) : "short write");
    write_failed_ = true;
    return;
  }
  if (write_failed_) spdlog::info("audit: writing {} again", log_file_.string());
  write_failed_ = false;
  ++written_;
}

bool AuditWriter::note_lost(uint64_t total) {
  if (total <= lost_reported_) {
    // Counter lower than what we reported: the guard was reinstalled; count from its value.
    lost_reported_ = total;
    return false;
  }
  const uint64_t count = total - lost_reported_;
  spdlog::warn("audit: the ring buffer was full, {} events lost ({} in total)", count, total);
  write_line(lost_record(realtime_now_ns(), count, total).dump());
  lost_reported_ = total;
  return true;
}

}  // namespace ireactor::agent
