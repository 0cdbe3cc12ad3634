/* Local time and the time zone. ntcore serves no SystemCurrentTimeZoneInformation yet, so the zone
 * is derived from the bias the runtime keeps in KUSER_SHARED_DATA.TimeZoneBias (UTC minus local
 * time, 100 ns, daylight saving included): its Bias is the bias in effect, with no names and no
 * transition dates. */
#include "env_private.h"

#define SYSTEM_CURRENT_TIME_ZONE_INFORMATION 44
#define TICKS_PER_MINUTE (60 * ENV_TICKS_PER_SECOND)

NTSTATUS NTAPI NtSetSystemInformation(ULONG info_class, PVOID info, ULONG length);

static LONGLONG time_zone_bias(void) {
  return env_read_ksystem_time(ENV_KUSER_TIME_ZONE_BIAS);
}

NTDLL_EXPORT NTSTATUS NTAPI RtlSystemTimeToLocalTime(const LARGE_INTEGER* system_time,
                                                     PLARGE_INTEGER local_time) {
  local_time->QuadPart = system_time->QuadPart - time_zone_bias();
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlLocalTimeToSystemTime(PLARGE_INTEGER local_time,
                                                     PLARGE_INTEGER system_time) {
  system_time->QuadPart = local_time->QuadPart + time_zone_bias();
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI RtlQueryTimeZoneInformation(RTL_TIME_ZONE_INFORMATION* info) {
  BYTE* p = (BYTE*)info;
  for (size_t i = 0; i < sizeof(*info); i++) p[i] = 0;
  info->Bias = (LONG)(time_zone_bias() / TICKS_PER_MINUTE);
  return STATUS_SUCCESS;
}

NTDLL_EXPORT NTSTATUS NTAPI
RtlQueryDynamicTimeZoneInformation(RTL_DYNAMIC_TIME_ZONE_INFORMATION* info) {
  BYTE* p = (BYTE*)info;
  for (size_t i = 0; i < sizeof(*info); i++) p[i] = 0;
  info->Bias = (LONG)(time_zone_bias() / TICKS_PER_MINUTE);
  info->DynamicDaylightTimeDisabled = TRUE; /* no transition rules to apply */
  return STATUS_SUCCESS;
}

/* Setting the zone is the system's (and needs SeTimeZonePrivilege): NtSetSystemInformation
 * decides. */
NTDLL_EXPORT NTSTATUS NTAPI RtlSetTimeZoneInformation(const RTL_TIME_ZONE_INFORMATION* info) {
  return NtSetSystemInformation(SYSTEM_CURRENT_TIME_ZONE_INFORMATION, (PVOID)info, sizeof(*info));
}
