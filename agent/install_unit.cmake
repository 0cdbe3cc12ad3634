# Installs ireactord.service to <prefix>/lib/systemd/system with ExecStart naming the installed
# binary. Run by `cmake --install`; IREACTORD_UNIT_SOURCE and IREACTORD_SBINDIR are set by
# agent/CMakeLists.txt.
if(IS_ABSOLUTE "${IREACTORD_SBINDIR}")
  set(sbindir "${IREACTORD_SBINDIR}")
else()
  set(sbindir "${CMAKE_INSTALL_PREFIX}/${IREACTORD_SBINDIR}")
endif()
file(READ "${IREACTORD_UNIT_SOURCE}" unit)
string(REPLACE "/usr/local/sbin/ireactord" "${sbindir}/ireactord" unit "${unit}")
set(dest "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/lib/systemd/system/ireactord.service")
message(STATUS "Installing: ${dest}")
file(WRITE "${dest}" "${unit}")
