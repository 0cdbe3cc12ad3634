# Tests that run inside a qemu guest with the Debian 6.12 kernel (BPF LSM works there, not on
# the host), through tests/vm/run-in-guest. See tests/vm/README.md.
#
#   add_vm_test(NAME <ctest-name> COMMAND <cmd> [args...]
#               [TIMEOUT <seconds>]          guest boot + command; default 300
#               [ENV K=V...]                 environment of the command in the guest
#               [WORKING_DIRECTORY <dir>]    the command's cwd; default the current binary dir
#               [TMPFS <dir>...]             more writable tmpfs in the guest
#               [LABELS <label>...]          besides "vm"
#               [WRAPPER <host-cmd> [args...]])  runs on the host around run-in-guest
#
# The test SKIPs (prints "SKIP: reason", exit 77) when qemu-system-x86_64, the 6.12 kernel and
# its modules or busybox-static are missing; a command exiting 77 in the guest skips too.
# Arguments may use generator expressions ($<TARGET_FILE:...>): the guest sees the host's files
# (read-only), so build outputs run there as they are.
include_guard(GLOBAL)

function(add_vm_test)
  # Here, not at file level: include_guard(GLOBAL) would leave file-level variables in the
  # first includer's directory scope only.
  set(run_in_guest ${PROJECT_SOURCE_DIR}/tests/vm/run-in-guest)
  # Initramfs cache: one per build tree, built by the first guest test that needs it.
  set(cache ${CMAKE_BINARY_DIR}/vm-cache)

  cmake_parse_arguments(PARSE_ARGV 0 VM "" "NAME;TIMEOUT;WORKING_DIRECTORY"
                        "COMMAND;ENV;TMPFS;LABELS;WRAPPER")
  if(NOT VM_NAME OR NOT VM_COMMAND)
    message(FATAL_ERROR "add_vm_test needs NAME and COMMAND")
  endif()
  if(VM_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "add_vm_test(${VM_NAME}): unknown arguments ${VM_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT VM_TIMEOUT)
    set(VM_TIMEOUT 300)
  endif()
  if(NOT VM_WORKING_DIRECTORY)
    set(VM_WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
  endif()

  set(options --skip-unavailable --cache ${cache} --timeout ${VM_TIMEOUT})
  foreach(kv IN LISTS VM_ENV)
    list(APPEND options --env ${kv})
  endforeach()
  foreach(dir IN LISTS VM_TMPFS)
    list(APPEND options --tmpfs ${dir})
  endforeach()
  # The build tree may lie below a directory the guest covers with tmpfs (e.g. /tmp).
  list(APPEND options --keep ${PROJECT_BINARY_DIR})

  add_test(NAME ${VM_NAME}
           COMMAND ${VM_WRAPPER} ${Python3_EXECUTABLE} ${run_in_guest} ${options}
                   -- ${VM_COMMAND}
           WORKING_DIRECTORY ${VM_WORKING_DIRECTORY})
  set(labels vm ${VM_LABELS})
  # ctest's own timeout leaves run-in-guest time to report a guest that hung.
  math(EXPR ctest_timeout "${VM_TIMEOUT} + 60")
  # A guest's vCPUs share one host thread (see run-in-guest --tcg-thread): one core each, so
  # ctest -j2 on a 2-core machine runs at most two guests at once.
  set_tests_properties(${VM_NAME} PROPERTIES
                       LABELS "${labels}"
                       SKIP_RETURN_CODE 77
                       PROCESSORS 1
                       TIMEOUT ${ctest_timeout})
endfunction()
