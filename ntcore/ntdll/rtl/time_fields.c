/* NT times (100 ns intervals since 1601-01-01 UTC, proleptic Gregorian) to calendar fields and
 * back, and to/from seconds since 1970. */
#include "env_private.h"

#define TICKS_PER_MS 10000LL
#define SECONDS_PER_DAY 86400LL
/* Days from 0000-03-01 (the civil calendar's epoch below) to 1601-01-01. */
#define DAYS_TO_1601 584694LL
#define SECONDS_1601_TO_1970 11644473600LL

/* Days since 0000-03-01 <-> year/month/day, counting years from March so that the leap day ends the
 * year: 400-year eras of 146097 days, centuries of 36524, 4-year cycles of 1461. */
static void civil_from_days(LONGLONG days, LONGLONG* year, int* month, int* day) {
  const LONGLONG era = days / 146097;
  const LONGLONG doe = days - era * 146097;                                   /* [0, 146096] */
  const LONGLONG yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
  const LONGLONG doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
  const LONGLONG mp = (5 * doy + 2) / 153;                                    /* March = 0 */
  *day = (int)(doy - (153 * mp + 2) / 5 + 1);
  *month = (int)(mp < 10 ? mp + 3 : mp - 9);
  *year = era * 400 + yoe + (*month <= 2);
}

static LONGLONG days_from_civil(LONGLONG year, int month, int day) {
  year -= month <= 2;
  const LONGLONG era = year / 400;
  const LONGLONG yoe = year - era * 400;
  const LONGLONG doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const LONGLONG doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe;
}

static BOOLEAN is_leap(LONGLONG year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

NTDLL_EXPORT void NTAPI RtlTimeToTimeFields(const LARGE_INTEGER* time, PTIME_FIELDS fields) {
  const ULONGLONG t = (ULONGLONG)time->QuadPart;
  const ULONGLONG ms = t / TICKS_PER_MS;
  const ULONGLONG seconds = ms / 1000;
  const LONGLONG days = (LONGLONG)(seconds / SECONDS_PER_DAY);
  const ULONG in_day = (ULONG)(seconds % SECONDS_PER_DAY);
  fields->Milliseconds = (SHORT)(ms % 1000);
  fields->Second = (SHORT)(in_day % 60);
  fields->Minute = (SHORT)(in_day / 60 % 60);
  fields->Hour = (SHORT)(in_day / 3600);
  fields->Weekday = (SHORT)((days + 1) % 7); /* 1601-01-01 was a Monday */
  LONGLONG year;
  int month, day;
  civil_from_days(days + DAYS_TO_1601, &year, &month, &day);
  fields->Year = (SHORT)year;
  fields->Month = (SHORT)month;
  fields->Day = (SHORT)day;
}

/* FALSE (and *time untouched) for fields that name no instant from 1601 on; Weekday is ignored. */
NTDLL_EXPORT BOOLEAN NTAPI RtlTimeFieldsToTime(PTIME_FIELDS fields, PLARGE_INTEGER time) {
  static const BYTE month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (fields->Milliseconds < 0 || fields->Milliseconds > 999 || fields->Second < 0 ||
      fields->Second > 59 || fields->Minute < 0 || fields->Minute > 59 || fields->Hour < 0 ||
      fields->Hour > 23 || fields->Month < 1 || fields->Month > 12 || fields->Day < 1 ||
      fields->Year < 1601)
    return FALSE;
  const int days_in_month =
      month_days[fields->Month - 1] + (fields->Month == 2 && is_leap(fields->Year));
  if (fields->Day > days_in_month) return FALSE;
  const LONGLONG days = days_from_civil(fields->Year, fields->Month, fields->Day) - DAYS_TO_1601;
  const LONGLONG seconds =
      days * SECONDS_PER_DAY + fields->Hour * 3600LL + fields->Minute * 60LL + fields->Second;
  time->QuadPart = (seconds * 1000 + fields->Milliseconds) * TICKS_PER_MS;
  return TRUE;
}

/* FALSE for times before 1970 or past 2106-02-07 06:28:15 (the ULONG's end). */
NTDLL_EXPORT BOOLEAN NTAPI RtlTimeToSecondsSince1970(PLARGE_INTEGER time, PULONG seconds) {
  const LONGLONG s = time->QuadPart / ENV_TICKS_PER_SECOND - SECONDS_1601_TO_1970;
  if (time->QuadPart < 0 || s < 0 || s > 0xFFFFFFFFLL) return FALSE;
  *seconds = (ULONG)s;
  return TRUE;
}

NTDLL_EXPORT void NTAPI RtlSecondsSince1970ToTime(ULONG seconds, PLARGE_INTEGER time) {
  time->QuadPart = ((LONGLONG)seconds + SECONDS_1601_TO_1970) * ENV_TICKS_PER_SECOND;
}
