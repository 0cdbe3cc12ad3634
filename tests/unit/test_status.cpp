#include <doctest/doctest.h>

#include <cerrno>
#include <cstring>

#include "ireactor/nt/status.h"

using namespace ireactor::nt;

TEST_CASE("NTSTATUS values are the ones Windows uses") {
  CHECK(static_cast<uint32_t>(STATUS_ACCESS_VIOLATION) == 0xC0000005u);
  CHECK(static_cast<uint32_t>(STATUS_OBJECT_NAME_NOT_FOUND) == 0xC0000034u);
  CHECK(static_cast<uint32_t>(STATUS_OBJECT_PATH_NOT_FOUND) == 0xC000003Au);
  CHECK(static_cast<uint32_t>(STATUS_INVALID_SYSTEM_SERVICE) == 0xC000001Cu);
  CHECK(static_cast<uint32_t>(STATUS_NO_MORE_FILES) == 0x80000006u);
  CHECK(nt_success(STATUS_TIMEOUT));
  CHECK_FALSE(nt_success(STATUS_BUFFER_OVERFLOW));
  CHECK_FALSE(nt_success(STATUS_END_OF_FILE));
}

TEST_CASE("status names") {
  CHECK(std::strcmp(status_name(STATUS_SUCCESS), "STATUS_SUCCESS") == 0);
  CHECK(std::strcmp(status_name(STATUS_SHARING_VIOLATION), "STATUS_SHARING_VIOLATION") == 0);
  CHECK(status_name(status(0xC0DEC0DE)) == nullptr);
}

TEST_CASE("errno maps to the status Windows reports for the same failure") {
  CHECK(status_from_errno(0) == STATUS_SUCCESS);
  CHECK(status_from_errno(ENOENT) == STATUS_OBJECT_NAME_NOT_FOUND);
  CHECK(status_from_errno(ENOTDIR) == STATUS_OBJECT_PATH_NOT_FOUND);
  CHECK(status_from_errno(EEXIST) == STATUS_OBJECT_NAME_COLLISION);
  CHECK(status_from_errno(EACCES) == STATUS_ACCESS_DENIED);
  CHECK(status_from_errno(EROFS) == STATUS_MEDIA_WRITE_PROTECTED);
  CHECK(status_from_errno(ENOTEMPTY) == STATUS_DIRECTORY_NOT_EMPTY);
  CHECK(status_from_errno(EFAULT) == STATUS_ACCESS_VIOLATION);
  CHECK(status_from_errno(ENOSPC) == STATUS_DISK_FULL);
  CHECK(status_from_errno(EISDIR) == STATUS_FILE_IS_A_DIRECTORY);
  CHECK(status_from_errno(EPIPE) == STATUS_PIPE_BROKEN);
  CHECK(status_from_errno(12345) == STATUS_UNSUCCESSFUL);
}
