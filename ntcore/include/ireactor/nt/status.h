// NTSTATUS values ntcore returns, with the numeric values Windows uses.
#pragma once

#include "ireactor/nt/types.h"

namespace ireactor::nt {

constexpr NTSTATUS status(uint32_t v) {
  return static_cast<NTSTATUS>(v);
}
constexpr bool nt_success(NTSTATUS s) {
  return s >= 0;
}

// One line per status: name and the value Windows uses. Add new ones here; status_name() knows
// every status listed. STATUS_WAIT_0 is an alias of STATUS_SUCCESS and kept out of the list.
// clang-format off
#define IR_NTSTATUS_LIST(X) \
  X(STATUS_SUCCESS                      , 0x00000000) \
  X(STATUS_ABANDONED_WAIT_0             , 0x00000080) \
  X(STATUS_USER_APC                     , 0x000000C0) \
  X(STATUS_ALERTED                      , 0x00000101) \
  X(STATUS_TIMEOUT                      , 0x00000102) \
  X(STATUS_PENDING                      , 0x00000103) \
  X(STATUS_OBJECT_NAME_EXISTS           , 0x40000000) \
  X(STATUS_NO_YIELD_PERFORMED           , 0x40000024) \
  X(STATUS_BUFFER_OVERFLOW              , 0x80000005) \
  X(STATUS_NO_MORE_FILES                , 0x80000006) \
  X(STATUS_UNSUCCESSFUL                 , 0xC0000001) \
  X(STATUS_NOT_IMPLEMENTED              , 0xC0000002) \
  X(STATUS_INVALID_INFO_CLASS           , 0xC0000003) \
  X(STATUS_INFO_LENGTH_MISMATCH         , 0xC0000004) \
  X(STATUS_ACCESS_VIOLATION             , 0xC0000005) \
  X(STATUS_INVALID_HANDLE               , 0xC0000008) \
  X(STATUS_INVALID_CID                  , 0xC000000B) \
  X(STATUS_INVALID_PARAMETER            , 0xC000000D) \
  X(STATUS_NO_SUCH_DEVICE               , 0xC000000E) \
  X(STATUS_NO_SUCH_FILE                 , 0xC000000F) \
  X(STATUS_INVALID_DEVICE_REQUEST       , 0xC0000010) \
  X(STATUS_END_OF_FILE                  , 0xC0000011) \
  X(STATUS_NO_MEMORY                    , 0xC0000017) \
  X(STATUS_CONFLICTING_ADDRESSES        , 0xC0000018) \
  X(STATUS_NOT_MAPPED_VIEW              , 0xC0000019) \
  X(STATUS_UNABLE_TO_FREE_VM            , 0xC000001A) \
  X(STATUS_ILLEGAL_INSTRUCTION          , 0xC000001D) \
  X(STATUS_INVALID_VIEW_SIZE            , 0xC000001F) \
  X(STATUS_ALREADY_COMMITTED            , 0xC0000021) \
  X(STATUS_ACCESS_DENIED                , 0xC0000022) \
  X(STATUS_BUFFER_TOO_SMALL             , 0xC0000023) \
  X(STATUS_OBJECT_TYPE_MISMATCH         , 0xC0000024) \
  X(STATUS_NOT_LOCKED                   , 0xC000002A) \
  X(STATUS_NOT_COMMITTED                , 0xC000002D) \
  X(STATUS_INVALID_PARAMETER_MIX        , 0xC0000030) \
  X(STATUS_OBJECT_NAME_INVALID          , 0xC0000033) \
  X(STATUS_OBJECT_NAME_NOT_FOUND        , 0xC0000034) \
  X(STATUS_OBJECT_NAME_COLLISION        , 0xC0000035) \
  X(STATUS_OBJECT_PATH_INVALID          , 0xC0000039) \
  X(STATUS_OBJECT_PATH_NOT_FOUND        , 0xC000003A) \
  X(STATUS_OBJECT_PATH_SYNTAX_BAD       , 0xC000003B) \
  X(STATUS_SHARING_VIOLATION            , 0xC0000043) \
  X(STATUS_DELETE_PENDING               , 0xC0000056) \
  X(STATUS_PRIVILEGE_NOT_HELD           , 0xC0000061) \
  X(STATUS_DISK_FULL                    , 0xC000007F) \
  X(STATUS_INSUFFICIENT_RESOURCES       , 0xC000009A) \
  X(STATUS_MEDIA_WRITE_PROTECTED        , 0xC00000A2) \
  X(STATUS_FILE_IS_A_DIRECTORY          , 0xC00000BA) \
  X(STATUS_NOT_SUPPORTED                , 0xC00000BB) \
  X(STATUS_INVALID_PARAMETER_1          , 0xC00000EF) \
  X(STATUS_INVALID_PARAMETER_2          , 0xC00000F0) \
  X(STATUS_INVALID_PARAMETER_3          , 0xC00000F1) \
  X(STATUS_INVALID_PARAMETER_4          , 0xC00000F2) \
  X(STATUS_INVALID_PARAMETER_5          , 0xC00000F3) \
  X(STATUS_INVALID_PARAMETER_6          , 0xC00000F4) \
  X(STATUS_DIRECTORY_NOT_EMPTY          , 0xC0000101) \
  X(STATUS_NOT_A_DIRECTORY              , 0xC0000103) \
  X(STATUS_NAME_TOO_LONG                , 0xC0000106) \
  X(STATUS_CANNOT_DELETE                , 0xC0000121) \
  X(STATUS_FILE_DELETED                 , 0xC0000123) \
  X(STATUS_FILE_CLOSED                  , 0xC0000128) \
  X(STATUS_PIPE_BROKEN                  , 0xC000014B) \
  X(STATUS_DLL_INIT_FAILED              , 0xC0000142) \
  X(STATUS_INVALID_SYSTEM_SERVICE       , 0xC000001C) \
  X(STATUS_INVALID_IMAGE_FORMAT         , 0xC000007B) \
  X(STATUS_DLL_NOT_FOUND                , 0xC0000135) \
  X(STATUS_ENTRYPOINT_NOT_FOUND         , 0xC0000139) \
  X(STATUS_ORDINAL_NOT_FOUND            , 0xC0000138) \
  X(STATUS_DATATYPE_MISALIGNMENT        , 0x80000002) \
  X(STATUS_DATATYPE_MISALIGNMENT_ERROR  , 0xC00002C5) \
  X(STATUS_TOO_MANY_OPENED_FILES        , 0xC000011F) \
  X(STATUS_IO_DEVICE_ERROR              , 0xC0000185) \
  X(STATUS_NOT_SAME_DEVICE              , 0xC00000D4) \
  X(STATUS_INVALID_PAGE_PROTECTION      , 0xC0000045) \
  X(STATUS_MEMORY_NOT_ALLOCATED         , 0xC00000A0) \
  X(STATUS_FREE_VM_NOT_AT_BASE          , 0xC000009F) \
  X(STATUS_INVALID_ADDRESS              , 0xC0000141) \
  X(STATUS_MUTANT_NOT_OWNED             , 0xC0000046) \
  X(STATUS_SEMAPHORE_LIMIT_EXCEEDED     , 0xC0000047) \
  X(STATUS_STACK_OVERFLOW               , 0xC00000FD) \
  X(STATUS_INTEGER_DIVIDE_BY_ZERO       , 0xC0000094) \
  X(STATUS_PRIVILEGED_INSTRUCTION       , 0xC0000096) \
  X(STATUS_BREAKPOINT                   , 0x80000003) \
  X(STATUS_IN_PAGE_ERROR                , 0xC0000006)
// clang-format on

#define IR_NTSTATUS_CONSTANT(name, value) inline constexpr NTSTATUS name = status(value);
IR_NTSTATUS_LIST(IR_NTSTATUS_CONSTANT)
#undef IR_NTSTATUS_CONSTANT
inline constexpr NTSTATUS STATUS_WAIT_0 = STATUS_SUCCESS;

// Maps a Linux errno from a file-system call to the status Windows reports for the same failure.
NTSTATUS status_from_errno(int err);

// The symbolic name ("STATUS_OBJECT_NAME_NOT_FOUND"), or nullptr when unknown.
const char* status_name(NTSTATUS s);

}  // namespace ireactor::nt
