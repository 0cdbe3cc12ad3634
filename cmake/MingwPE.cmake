# Windows PE files (PE32+, x86-64) built with mingw-w64 inside the native build: each source is
# compiled by x86_64-w64-mingw32-gcc through add_custom_command (header dependencies through
# gcc's depfile) and linked into an .exe or .dll. No CRT: programs are freestanding and import
# only what they name (ntdll.dll by default, which at run time is OUR ntdll).
#
#   add_pe_executable(NAME SOURCES src...
#                     [ENTRY symbol]        entry point, default `entry`
#                     [INCLUDES dir...] [DEFINES NAME=VALUE...] [CFLAGS flag...]
#                     [LIBS lib...]         -lfoo, paths, or pe_X targets of add_pe_dll (their
#                                           import library; define the DLL first)
#                     [LDFLAGS flag...] [DEPENDS file-or-target...]
#                     [OUTPUT_DIR dir]      default ${IREACTOR_PE_DIR}
#                     [OUTPUT_NAME name]    default NAME (file: name.exe)
#                     [NO_DEFAULT_LIBS])    drop -lntdll -lntdllcrt -lgcc
#   add_pe_dll(NAME SOURCES src... [DEF file.def] [ENTRY symbol] ... same options ...)
#     → name.dll and its import library libname.dll.a (next to it). Without ENTRY the DLL has
#       no entry point (AddressOfEntryPoint 0). The .def may export by ordinal (`foo @5 NONAME`)
#       and forward (`Fwd = ntdll.NtClose`).
#
# Each creates target pe_NAME (in ALL) with properties PE_OUTPUT (the .exe/.dll path) and, for
# DLLs, PE_IMPLIB; use $<TARGET_PROPERTY:pe_NAME,PE_OUTPUT> in add_test.
#
# Writing a program: the entry point is an ordinary Windows x64 (ms_abi) function, e.g.
#     void entry(void* peb) { ... NtTerminateProcess((HANDLE)-1, 0); }
# Windows (and Wine; checked) calls it with the PEB in rcx. `__stdcall` is accepted and ignored
# on x64, and the name is not decorated. Do not call it `main`:
# gcc then emits a call to the CRT's __main, which is not linked. Declare the ntdll functions
# you use (`__declspec(dllimport) NTSTATUS NtClose(HANDLE);`): -lntdll is mingw's import library,
# so the program imports them from "ntdll.dll" by name. -lgcc supplies ___chkstk_ms, which gcc
# calls for stack frames over 4 KiB. gcc may emit calls to memcpy/memset/memmove/memcmp (large
# struct copies, -Os): a program's own definitions win; otherwise -lntdllcrt (mingw's import
# library of ntdll's C functions) imports them from ntdll.dll, which exports them as on Windows.
# Static constructors, __thread variables and C++ exceptions need CRT pieces that are absent.
# A TLS directory works without them: define `const IMAGE_TLS_DIRECTORY64 _tls_used` (ld points
# the TLS data directory at that symbol) with callbacks in a `.CRT$XLB` array (checked in Wine).

find_program(IREACTOR_MINGW_CC x86_64-w64-mingw32-gcc REQUIRED)

set(IREACTOR_PE_CFLAGS -O2 -ffreestanding -Wall -Wextra -Wno-unused-parameter
    CACHE STRING "Compiler flags of every mingw-built PE file")
set(IREACTOR_PE_LDFLAGS -nostdlib -Wl,--no-insert-timestamp
    CACHE STRING "Linker flags of every mingw-built PE file")

# Compiles SOURCES of PE target NAME; sets ${out_objs} to the object files and ${out_defs} to
# the .def files found among the sources.
function(_ireactor_pe_compile NAME out_objs out_defs)
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/pe_${NAME}.dir)
  set(includes)
  foreach(inc IN LISTS PE_INCLUDES)
    get_filename_component(inc ${inc} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND includes -I${inc})
  endforeach()
  list(TRANSFORM PE_DEFINES PREPEND -D OUTPUT_VARIABLE defines)

  set(objs)
  set(defs)
  set(index 0)
  foreach(src IN LISTS PE_SOURCES)
    get_filename_component(src ${src} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    get_filename_component(fname ${src} NAME)
    get_filename_component(ext ${src} LAST_EXT)
    if(ext STREQUAL ".def")
      list(APPEND defs ${src})
      continue()
    endif()
    if(ext STREQUAL ".obj")  # compiled already (add_pe_objects)
      list(APPEND objs ${src})
      continue()
    endif()
    set(lang_flags)
    if(ext MATCHES "^\\.(cpp|cc|cxx)$")
      set(lang_flags -fno-exceptions -fno-rtti)
    endif()
    # The index keeps objects of same-named sources from different directories apart.
    set(obj ${dir}/${index}_${fname}.obj)
    math(EXPR index "${index} + 1")
    if(ext STREQUAL ".s")
      # Not preprocessed: gcc writes no depfile for it.
      set(dep_args)
      set(depfile)
    else()
      set(dep_args -MMD -MF ${obj}.d -MT ${obj})
      set(depfile DEPFILE ${obj}.d)
    endif()
    add_custom_command(
      OUTPUT ${obj}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
      COMMAND ${IREACTOR_MINGW_CC} ${IREACTOR_PE_CFLAGS} ${lang_flags} ${PE_CFLAGS} ${includes}
              ${defines} ${dep_args} -c ${src} -o ${obj}
      DEPENDS ${src} ${PE_DEPENDS}
      ${depfile}
      COMMENT "Compiling PE object ${NAME}/${fname}"
      VERBATIM COMMAND_EXPAND_LISTS)
    list(APPEND objs ${obj})
  endforeach()
  set(${out_objs} ${objs} PARENT_SCOPE)
  set(${out_defs} ${defs} PARENT_SCOPE)
endfunction()

# LIBS entries that are pe_X targets of add_pe_dll become their import library.
function(_ireactor_pe_libs out_libs out_deps)
  set(libs)
  set(deps)
  foreach(lib IN LISTS PE_LIBS)
    if(TARGET ${lib})
      get_target_property(implib ${lib} PE_IMPLIB)
      if(NOT implib)
        message(FATAL_ERROR "${lib} in LIBS is not a DLL made by add_pe_dll")
      endif()
      list(APPEND libs ${implib})
      list(APPEND deps ${lib} ${implib})
    else()
      list(APPEND libs ${lib})
    endif()
  endforeach()
  set(${out_libs} ${libs} PARENT_SCOPE)
  set(${out_deps} ${deps} PARENT_SCOPE)
endfunction()

macro(_ireactor_pe_parse)
  cmake_parse_arguments(PE "NO_DEFAULT_LIBS" "ENTRY;OUTPUT_DIR;OUTPUT_NAME;DEF"
                        "SOURCES;INCLUDES;DEFINES;CFLAGS;LIBS;LDFLAGS;DEPENDS" ${ARGN})
  if(NOT PE_SOURCES)
    message(FATAL_ERROR "${NAME}: SOURCES is required")
  endif()
  if(PE_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${NAME}: unknown arguments ${PE_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT PE_OUTPUT_DIR)
    set(PE_OUTPUT_DIR ${IREACTOR_PE_DIR})
  endif()
  get_filename_component(PE_OUTPUT_DIR ${PE_OUTPUT_DIR} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_BINARY_DIR})
  if(NOT PE_OUTPUT_NAME)
    set(PE_OUTPUT_NAME ${NAME})
  endif()
  set(default_libs)
  if(NOT PE_NO_DEFAULT_LIBS)
    set(default_libs -lntdll -lntdllcrt -lgcc)
  endif()
endmacro()

# add_pe_objects(NAME OUT_VAR SOURCES ... [INCLUDES ...] [DEFINES ...] [CFLAGS ...])
# Compiles sources once into PE objects (their paths in OUT_VAR) for several PE files to link,
# or for a build step to read before the link.
function(add_pe_objects NAME out_var)
  _ireactor_pe_parse(${ARGN})
  _ireactor_pe_compile(${NAME} objs defs)
  set(${out_var} ${objs} PARENT_SCOPE)
endfunction()

function(add_pe_executable NAME)
  _ireactor_pe_parse(${ARGN})
  if(NOT PE_ENTRY)
    set(PE_ENTRY entry)
  endif()
  _ireactor_pe_compile(${NAME} objs defs)
  _ireactor_pe_libs(libs lib_deps)
  set(out ${PE_OUTPUT_DIR}/${PE_OUTPUT_NAME}.exe)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PE_OUTPUT_DIR}
    COMMAND ${IREACTOR_MINGW_CC} ${IREACTOR_PE_LDFLAGS} -Wl,--entry=${PE_ENTRY} ${PE_LDFLAGS}
            -o ${out} ${objs} ${defs} ${libs} ${default_libs}
    DEPENDS ${objs} ${defs} ${lib_deps}
    COMMENT "Linking PE executable ${out}"
    VERBATIM COMMAND_EXPAND_LISTS)
  add_custom_target(pe_${NAME} ALL DEPENDS ${out})
  set_target_properties(pe_${NAME} PROPERTIES PE_OUTPUT ${out})
endfunction()

function(add_pe_dll NAME)
  _ireactor_pe_parse(${ARGN})
  if(PE_ENTRY)
    set(entry -Wl,--entry=${PE_ENTRY})
  else()
    set(entry -Wl,--entry=0)  # no DllMain
  endif()
  if(PE_DEF)
    get_filename_component(PE_DEF ${PE_DEF} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
  endif()
  _ireactor_pe_compile(${NAME} objs defs)
  _ireactor_pe_libs(libs lib_deps)
  set(out ${PE_OUTPUT_DIR}/${PE_OUTPUT_NAME}.dll)
  set(implib ${PE_OUTPUT_DIR}/lib${PE_OUTPUT_NAME}.dll.a)
  add_custom_command(
    OUTPUT ${out} ${implib}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PE_OUTPUT_DIR}
    COMMAND ${IREACTOR_MINGW_CC} ${IREACTOR_PE_LDFLAGS} -shared ${entry} ${PE_LDFLAGS}
            -Wl,--out-implib,${implib} -o ${out} ${objs} ${PE_DEF} ${defs} ${libs}
            ${default_libs}
    DEPENDS ${objs} ${PE_DEF} ${defs} ${lib_deps}
    COMMENT "Linking PE DLL ${out}"
    VERBATIM COMMAND_EXPAND_LISTS)
  add_custom_target(pe_${NAME} ALL DEPENDS ${out} ${implib})
  set_target_properties(pe_${NAME} PROPERTIES PE_OUTPUT ${out} PE_IMPLIB ${implib})
endfunction()
