#include <time.h>

#include "ireactor/system/nt_time.h"
#include "system/system_information_classes.h"

namespace ireactor {

nt::SYSTEM_TIMEOFDAY_INFORMATION system_time_of_day_information() {
  nt::SYSTEM_TIMEOFDAY_INFORMATION info{};
  info.CurrentTime = current_system_time();
  info.BootTime = info.CurrentTime - current_interrupt_time();

  // The host's time zone (TZ / /etc/localtime). Windows' bias is UTC minus local time.
  time_t now = time(nullptr);
  tm local{};
  localtime_r(&now, &local);  // also runs tzset(), which fills `daylight`
  info.TimeZoneBias = -static_cast<int64_t>(local.tm_gmtoff) * kTicksPerSecond;
  if (local.tm_isdst > 0)
    info.TimeZoneId = nt::TIME_ZONE_ID_DAYLIGHT;
  else if (daylight)
    info.TimeZoneId = nt::TIME_ZONE_ID_STANDARD;
  else
    info.TimeZoneId = nt::TIME_ZONE_ID_UNKNOWN;  // the zone has no daylight saving time
  return info;
}

}  // namespace ireactor
