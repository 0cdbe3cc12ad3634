/* The "env" family's time functions: NT time <-> calendar fields over the Gregorian range,
 * seconds since 1970, local time from the time zone bias, the performance counter, the precise
 * system time and the unbiased interrupt time. */
#include "nttest.h"

typedef struct TIME_FIELDS {
  short Year, Month, Day, Hour, Minute, Second, Milliseconds, Weekday;
} TIME_FIELDS;

typedef struct TIME_ZONE_INFORMATION {
  LONG Bias;
  WCHAR StandardName[32];
  USHORT StandardDate[8];
  LONG StandardBias;
  WCHAR DaylightName[32];
  USHORT DaylightDate[8];
  LONG DaylightBias;
} TIME_ZONE_INFORMATION;

typedef struct DYNAMIC_TIME_ZONE_INFORMATION {
  TIME_ZONE_INFORMATION tz;
  WCHAR TimeZoneKeyName[128];
  BOOLEAN DynamicDaylightTimeDisabled;
} DYNAMIC_TIME_ZONE_INFORMATION;

void NTAPI RtlTimeToTimeFields(const LARGE_INTEGER* time, TIME_FIELDS* fields);
BOOLEAN NTAPI RtlTimeFieldsToTime(TIME_FIELDS* fields, LARGE_INTEGER* time);
BOOLEAN NTAPI RtlTimeToSecondsSince1970(const LARGE_INTEGER* time, ULONG* seconds);
void NTAPI RtlSecondsSince1970ToTime(ULONG seconds, LARGE_INTEGER* time);
NTSTATUS NTAPI RtlSystemTimeToLocalTime(const LARGE_INTEGER* system, LARGE_INTEGER* local);
NTSTATUS NTAPI RtlLocalTimeToSystemTime(const LARGE_INTEGER* local, LARGE_INTEGER* system);
NTSTATUS NTAPI RtlQueryTimeZoneInformation(TIME_ZONE_INFORMATION* info);
NTSTATUS NTAPI RtlQueryDynamicTimeZoneInformation(DYNAMIC_TIME_ZONE_INFORMATION* info);
NTSTATUS NTAPI RtlSetTimeZoneInformation(const TIME_ZONE_INFORMATION* info);
BOOLEAN NTAPI RtlQueryPerformanceCounter(LARGE_INTEGER* counter);
BOOLEAN NTAPI RtlQueryPerformanceFrequency(LARGE_INTEGER* frequency);
LONGLONG NTAPI RtlGetSystemTimePrecise(void);
int NTAPI RtlQueryUnbiasedInterruptTime(ULONGLONG* time);

#define TICKS_PER_SECOND 10000000LL
#define TICKS_PER_DAY (86400 * TICKS_PER_SECOND)

static int fields_are(const TIME_FIELDS* f, int y, int mo, int d, int h, int mi, int s, int ms,
                      int wd) {
  return f->Year == y && f->Month == mo && f->Day == d && f->Hour == h && f->Minute == mi &&
         f->Second == s && f->Milliseconds == ms && f->Weekday == wd;
}

static void show(const char* what, const TIME_FIELDS* f) {
  nt_note("%s: %d-%d-%d %d:%d:%d.%d weekday %d", what, f->Year, f->Month, f->Day, f->Hour,
          f->Minute, f->Second, f->Milliseconds, f->Weekday);
}

/* Known instants, both ways (weekday 0 = Sunday). */
static void test_time_fields(void) {
  static const struct {
    LONGLONG time;
    short y, mo, d, h, mi, s, ms, wd;
  } cases[] = {
      {0, 1601, 1, 1, 0, 0, 0, 0, 1},                    /* a Monday */
      {116444736000000000LL, 1970, 1, 1, 0, 0, 0, 0, 4}, /* the Unix epoch */
      {125911584000000000LL, 2000, 1, 1, 0, 0, 0, 0, 6},
      {125962560000000000LL, 2000, 2, 29, 0, 0, 0, 0, 2}, /* a leap day of a 400 */
      {126227808000000000LL, 2000, 12, 31, 23, 59, 59, 999, 0} /* below: minus 1 ms */,
      {133801632000000000LL, 2025, 1, 1, 0, 0, 0, 0, 3},
      {0x7FFFFFFFFFFFFFFFLL, 30828, 9, 14, 2, 48, 5, 477, 4}, /* the last NT time */
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    LARGE_INTEGER t;
    t.QuadPart = cases[i].time;
    if (i == 4) t.QuadPart -= 10000; /* 2001-01-01 minus one millisecond */
    TIME_FIELDS f;
    memset(&f, 0xCC, sizeof(f));
    RtlTimeToTimeFields(&t, &f);
    const int ok = fields_are(&f, cases[i].y, cases[i].mo, cases[i].d, cases[i].h, cases[i].mi,
                              cases[i].s, cases[i].ms, cases[i].wd);
    if (!ok) show("got", &f);
    CHECK(ok);
    LARGE_INTEGER back;
    back.QuadPart = -1;
    f.Weekday = 5; /* ignored */
    CHECK(RtlTimeFieldsToTime(&f, &back));
    CHECK_EQ(back.QuadPart, t.QuadPart - t.QuadPart % 10000); /* milliseconds kept */
  }

  /* Every day of 1600..2400's neighbourhood round-trips, dates strictly increasing. */
  int bad = 0;
  TIME_FIELDS prev;
  memset(&prev, 0, sizeof(prev));
  for (LONGLONG day = 0; day < 366 * 800; day += 7) {
    LARGE_INTEGER t, back;
    t.QuadPart = day * TICKS_PER_DAY + 12 * 3600 * TICKS_PER_SECOND + 1234567;
    TIME_FIELDS f;
    RtlTimeToTimeFields(&t, &f);
    if (!RtlTimeFieldsToTime(&f, &back) || back.QuadPart != t.QuadPart - 4567) bad++;
    if (f.Weekday != (day + 1) % 7 || f.Hour != 12 || f.Milliseconds != 123) bad++;
    if (day && (f.Year < prev.Year || (f.Year == prev.Year && f.Month < prev.Month))) bad++;
    prev = f;
  }
  CHECK_EQ(bad, 0);

  /* Fields naming no instant. */
  TIME_FIELDS f = {2023, 2, 29, 0, 0, 0, 0, 0};
  LARGE_INTEGER t;
  t.QuadPart = 42;
  /* Windows refuses 29 February outside leap years; Wine 8 accepts it (and rolls over). */
  if (!nt_is_wine()) {
    CHECK(!RtlTimeFieldsToTime(&f, &t)); /* not a leap year */
    CHECK_EQ(t.QuadPart, 42);
    f.Year = 1900; /* a century that is not a leap year */
    CHECK(!RtlTimeFieldsToTime(&f, &t));
  }
  f.Year = 2024;
  CHECK(RtlTimeFieldsToTime(&f, &t));
  const TIME_FIELDS invalid[] = {
      {1600, 12, 31, 0, 0, 0, 0, 0}, {2020, 0, 1, 0, 0, 0, 0, 0},  {2020, 13, 1, 0, 0, 0, 0, 0},
      {2020, 4, 31, 0, 0, 0, 0, 0},  {2020, 1, 0, 0, 0, 0, 0, 0},  {2020, 1, 1, 24, 0, 0, 0, 0},
      {2020, 1, 1, 0, 60, 0, 0, 0},  {2020, 1, 1, 0, 0, 60, 0, 0}, {2020, 1, 1, 0, 0, 0, 1000, 0},
      {2020, 1, 1, -1, 0, 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
    TIME_FIELDS g = invalid[i];
    if (RtlTimeFieldsToTime(&g, &t)) show("accepted", &g);
    CHECK(!RtlTimeFieldsToTime(&g, &t));
  }
}

static void test_seconds_since_1970(void) {
  LARGE_INTEGER t;
  ULONG seconds = 7;
  t.QuadPart = 116444736000000000LL;
  CHECK(RtlTimeToSecondsSince1970(&t, &seconds));
  CHECK_EQ(seconds, 0);
  t.QuadPart += 1234567890LL * TICKS_PER_SECOND + 9999999; /* fractions truncate */
  CHECK(RtlTimeToSecondsSince1970(&t, &seconds));
  CHECK_EQ(seconds, 1234567890);
  t.QuadPart = 116444736000000000LL - 1; /* before 1970 */
  CHECK(!RtlTimeToSecondsSince1970(&t, &seconds));
  t.QuadPart = 116444736000000000LL + 0x100000000LL * TICKS_PER_SECOND; /* past 2106 */
  CHECK(!RtlTimeToSecondsSince1970(&t, &seconds));
  t.QuadPart -= TICKS_PER_SECOND;
  CHECK(RtlTimeToSecondsSince1970(&t, &seconds));
  CHECK_EQ(seconds, 0xFFFFFFFF);

  RtlSecondsSince1970ToTime(0, &t);
  CHECK_EQ(t.QuadPart, 116444736000000000LL);
  RtlSecondsSince1970ToTime(0xFFFFFFFF, &t);
  CHECK_EQ(t.QuadPart, 116444736000000000LL + 0xFFFFFFFFLL * TICKS_PER_SECOND);
}

/* Local time is system time minus the bias in effect (KUSER_SHARED_DATA.TimeZoneBias), and the
 * zone's Bias (plus the standard or daylight bias) says the same in minutes. */
static void test_time_zone(void) {
  LARGE_INTEGER system, local, back;
  NtQuerySystemTime(&system);
  CHECK_OK(RtlSystemTimeToLocalTime(&system, &local));
  CHECK_OK(RtlLocalTimeToSystemTime(&local, &back));
  CHECK_EQ(back.QuadPart, system.QuadPart);
  const LONGLONG bias = system.QuadPart - local.QuadPart;
  CHECK_EQ(bias, kusd_read_time(0x20));
  CHECK_EQ(bias % (60 * TICKS_PER_SECOND), 0);

  TIME_ZONE_INFORMATION tz;
  memset(&tz, 0xCC, sizeof(tz));
  CHECK_OK(RtlQueryTimeZoneInformation(&tz));
  const LONG minutes = (LONG)(bias / (60 * TICKS_PER_SECOND));
  CHECK(tz.Bias + tz.StandardBias == minutes || tz.Bias + tz.DaylightBias == minutes);
  DYNAMIC_TIME_ZONE_INFORMATION dyn;
  memset(&dyn, 0xCC, sizeof(dyn));
  CHECK_OK(RtlQueryDynamicTimeZoneInformation(&dyn));
  CHECK_EQ(dyn.tz.Bias, tz.Bias);
  nt_note("time zone: bias %d min, standard %d, daylight %d", tz.Bias, tz.StandardBias,
          tz.DaylightBias);
  /* Setting the zone is the system's business: ntcore does not serve it (Windows wants
   * SeTimeZonePrivilege). Not tried under Wine, where it could change the prefix's zone. */
  if (!nt_is_wine()) CHECK_FAILS(RtlSetTimeZoneInformation(&tz));
}

static void test_counters(void) {
  LARGE_INTEGER frequency, a, b;
  CHECK(RtlQueryPerformanceFrequency(&frequency));
  CHECK(frequency.QuadPart > 0);
  CHECK(RtlQueryPerformanceCounter(&a));
  LARGE_INTEGER delay;
  delay.QuadPart = -20 * 10000LL; /* 20 ms */
  CHECK_OK(NtDelayExecution(FALSE, &delay));
  CHECK(RtlQueryPerformanceCounter(&b));
  const LONGLONG ms = (b.QuadPart - a.QuadPart) * 1000 / frequency.QuadPart;
  nt_note("performance counter: %lld Hz, %lld ms over a 20 ms sleep", frequency.QuadPart, ms);
  CHECK(ms >= 15 && ms < 2000);

  LARGE_INTEGER now;
  NtQuerySystemTime(&now);
  const LONGLONG precise = RtlGetSystemTimePrecise();
  CHECK(precise >= now.QuadPart && precise - now.QuadPart < TICKS_PER_SECOND);
  CHECK(RtlGetSystemTimePrecise() >= precise);

  ULONGLONG unbiased = 0, later = 0;
  CHECK(RtlQueryUnbiasedInterruptTime(&unbiased));
  CHECK(unbiased > 0);
  CHECK(unbiased <= (ULONGLONG)kusd_read_time(0x08)); /* the interrupt time less sleep */
  CHECK_OK(NtDelayExecution(FALSE, &delay));
  CHECK(RtlQueryUnbiasedInterruptTime(&later));
  CHECK(later > unbiased);
}

void test_main(void) {
  test_time_fields();
  test_seconds_since_1970();
  test_time_zone();
  test_counters();
}
