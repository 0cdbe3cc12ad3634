# BPF programs: compiled by clang for the bpf target (CO-RE against a vmlinux.h generated from
# the running kernel's BTF at build time), turned into a libbpf skeleton by `bpftool gen
# skeleton`, and linked against the system libbpf (dynamically: Debian's static libbpf would
# need libelf/zlib static archives with their own dependencies).
#
#   add_bpf_skeleton(NAME SOURCE x.bpf.c [INCLUDES dir...] [DEPENDS file...])
#     → ${CMAKE_CURRENT_BINARY_DIR}/NAME.bpf.o and NAME.skel.h (struct NAME, NAME__open() ...),
#       and an INTERFACE target NAME_skel: link it to get the skeleton's directory on the include
#       path and the build order right.
#
# Header dependencies of the BPF source come from clang's depfile.

find_program(IREACTOR_BPF_CLANG NAMES clang-19 clang REQUIRED)
find_program(IREACTOR_BPFTOOL bpftool PATHS /usr/sbin /sbin REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBBPF REQUIRED IMPORTED_TARGET libbpf>=1.0)

set(IREACTOR_VMLINUX_BTF /sys/kernel/btf/vmlinux
    CACHE FILEPATH "Kernel BTF the BPF programs' vmlinux.h is generated from")
set(IREACTOR_BPF_INCLUDE_DIR ${CMAKE_BINARY_DIR}/bpf-include)
set(IREACTOR_VMLINUX_H ${IREACTOR_BPF_INCLUDE_DIR}/vmlinux.h)

# Generated into a temporary file and moved, so an interrupted build never leaves a truncated
# vmlinux.h behind.
add_custom_command(
  OUTPUT ${IREACTOR_VMLINUX_H}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${IREACTOR_BPF_INCLUDE_DIR}
  COMMAND ${IREACTOR_BPFTOOL} btf dump file ${IREACTOR_VMLINUX_BTF} format c
          > ${IREACTOR_VMLINUX_H}.tmp
  COMMAND ${CMAKE_COMMAND} -E rename ${IREACTOR_VMLINUX_H}.tmp ${IREACTOR_VMLINUX_H}
  COMMENT "Generating vmlinux.h from ${IREACTOR_VMLINUX_BTF}"
  VERBATIM)
add_custom_target(ireactor_vmlinux_h DEPENDS ${IREACTOR_VMLINUX_H})

set(IREACTOR_BPF_CFLAGS -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Wno-unused-function
    CACHE STRING "Compiler flags of every BPF program")

function(add_bpf_skeleton NAME)
  cmake_parse_arguments(BPF "" "SOURCE" "INCLUDES;DEPENDS" ${ARGN})
  if(NOT BPF_SOURCE)
    message(FATAL_ERROR "add_bpf_skeleton(${NAME}): SOURCE is required")
  endif()
  get_filename_component(src ${BPF_SOURCE} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
  set(obj ${CMAKE_CURRENT_BINARY_DIR}/${NAME}.bpf.o)
  set(skel ${CMAKE_CURRENT_BINARY_DIR}/${NAME}.skel.h)
  set(includes -I${IREACTOR_BPF_INCLUDE_DIR} -I${CMAKE_CURRENT_SOURCE_DIR})
  foreach(inc IN LISTS BPF_INCLUDES)
    get_filename_component(inc ${inc} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND includes -I${inc})
  endforeach()
  foreach(inc IN LISTS LIBBPF_INCLUDE_DIRS)
    list(APPEND includes -idirafter ${inc})
  endforeach()

  add_custom_command(
    OUTPUT ${obj}
    COMMAND ${IREACTOR_BPF_CLANG} ${IREACTOR_BPF_CFLAGS} ${includes} -idirafter /usr/include
            -MD -MF ${obj}.d -c ${src} -o ${obj}
    DEPENDS ${src} ${IREACTOR_VMLINUX_H} ${BPF_DEPENDS}
    DEPFILE ${obj}.d
    COMMENT "Compiling BPF program ${NAME}"
    VERBATIM)
  add_custom_command(
    OUTPUT ${skel}
    COMMAND ${IREACTOR_BPFTOOL} gen skeleton ${obj} name ${NAME} > ${skel}.tmp
    COMMAND ${CMAKE_COMMAND} -E rename ${skel}.tmp ${skel}
    DEPENDS ${obj}
    COMMENT "Generating BPF skeleton ${NAME}.skel.h"
    VERBATIM)
  add_custom_target(${NAME}_skel_gen DEPENDS ${skel})
  add_library(${NAME}_skel INTERFACE)
  target_include_directories(${NAME}_skel INTERFACE ${CMAKE_CURRENT_BINARY_DIR})
  target_link_libraries(${NAME}_skel INTERFACE PkgConfig::LIBBPF)
  add_dependencies(${NAME}_skel ${NAME}_skel_gen)
endfunction()
