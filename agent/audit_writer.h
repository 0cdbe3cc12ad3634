// The audit ring buffer (pinned by the guard) -> audit.jsonl, one JSON object per line, each
// line one append write so readers never see half a line. Reopens the file on SIGHUP for
// logrotate, and turns growth of the guard's lost-event counter into "lost" lines.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "audit_record.h"
#include "device_names.h"

struct ring_buffer;

namespace ireactor::agent {

class AuditWriter {
 public:
  // `lookups.device_name` may be empty: the writer names devices from /dev itself.
  // `lost_reported`: the lost count a previous agent already wrote lines for.
  AuditWriter(std::filesystem::path log_file, int ring_map_fd, AuditLookups lookups,
              uint64_t lost_reported);
  ~AuditWriter();
  AuditWriter(const AuditWriter&) = delete;
  AuditWriter& operator=(const AuditWriter&) = delete;

  // Becomes readable when events wait in the ring.
  int epoll_fd() const;
  // Writes the events waiting in the ring, at most kMaxBatch (the fd stays readable when more
  // wait); returns how many.
  int drain();
  // Closes and reopens the log by name (logrotate moved it away).
  void reopen();
  // `total`: the guard's IR_COUNTER_AUDIT_LOST. Writes a "lost" line and warns when it grew;
  // returns true then.
  bool note_lost(uint64_t total);
  uint64_t lost_reported() const { return lost_reported_; }
  uint64_t written() const { return written_; }

 private:
  static constexpr int kMaxBatch = 4096;
  static int on_event(void* ctx, void* data, size_t size);
  void open_log();
  void write_line(const std::string& line);

  std::filesystem::path log_file_;
  int fd_ = -1;
  ring_buffer* ring_ = nullptr;
  AuditLookups lookups_;
  DeviceNames devices_;
  uint64_t lost_reported_;
  uint64_t written_ = 0;
  int64_t boot_to_realtime_ns_ = 0;
  int batch_ = 0;
  bool write_failed_ = false;
};

}  // namespace ireactor::agent
