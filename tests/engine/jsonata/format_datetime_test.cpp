// Unit tests for $fromMillis and $toMillis formatting and parsing
// (engine/jsonata/format/datetime_format.h). Every expected value is what the reference
// implementation (the npm package jsonata 2.0.6, run with node in UTC) returns for the same call,
// errors included ("ERR code: message"; an empty code is a JavaScript exception in the reference
// rather than a JSONata error).
#include "engine/jsonata/format/datetime_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "engine/jsonata/format/js_compat.h"

namespace sluice::engine::jsonata::format {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kNone = nullptr;
// The evaluation's timestamp that $toMillis defaults missing components from:
// 2023-11-14T22:13:20.123Z.
constexpr int64_t kNow = 1700000000123LL;

std::optional<std::string_view> opt(const char* s) {
  return s == nullptr ? std::nullopt : std::optional<std::string_view>(s);
}

std::string render(const Result<std::string, FormatError>& r) {
  return r.ok() ? "OK " + r.value() : "ERR " + r.error().code + ": " + r.error().message;
}

std::string render(const Result<std::optional<double>, FormatError>& r) {
  if (!r.ok()) return "ERR " + r.error().code + ": " + r.error().message;
  return r.value() ? "OK " + js::number_to_string(*r.value()) : std::string("OK undefined");
}

// Integral millis go through the int64_t entry point, the others through the double one.
std::string from_millis(double millis, const char* picture, const char* timezone) {
  if (std::trunc(millis) == millis && std::fabs(millis) < 9e15) {
    return render(format_datetime(static_cast<int64_t>(millis), opt(picture), opt(timezone)));
  }
  return render(format_datetime_number(millis, opt(picture), opt(timezone)));
}

struct FromCase {
  double millis;
  const char* picture;
  const char* timezone;
  const char* expected;
};

void check(const std::vector<FromCase>& cases) {
  for (const auto& c : cases) {
    EXPECT_EQ(from_millis(c.millis, c.picture, c.timezone), c.expected)
        << "$fromMillis(" << js::number_to_string(c.millis) << ", "
        << (c.picture ? c.picture : "undefined") << ", " << (c.timezone ? c.timezone : "undefined")
        << ")";
  }
}

struct ToCase {
  const char* text;
  const char* picture;
  const char* expected;
};

void check(const std::vector<ToCase>& cases) {
  for (const auto& c : cases) {
    EXPECT_EQ(render(parse_datetime(c.text, opt(c.picture), kNow)), c.expected)
        << "$toMillis(\"" << c.text << "\", " << (c.picture ? c.picture : "undefined") << ")";
  }
}
TEST(FormatDateTimeTest, DocumentedExamples) {
  check(std::vector<FromCase>{
      {1510067557121LL, kNone, kNone, "OK 2017-11-07T15:12:37.121Z"},
      {1510067557121LL, "[M01]/[D01]/[Y0001] [h#1]:[m01][P]", kNone, "OK 11/07/2017 3:12pm"},
      {1510067557121LL, "[H01]:[m01]:[s01] [z]", "-0500", "OK 10:12:37 GMT-05:00"},
      {1521801216617LL, "[Y0001]-[M01]-[D01]", kNone, "OK 2018-03-23"},
      {1521801216617LL, "[M]/[D]/[Y01]", kNone, "OK 3/23/18"},
      {1521801216617LL, "[D1o] [MNn], [Y]", kNone, "OK 23rd March, 2018"},
      {1521801216617LL, "[FNn], [D1o] [MNn] [Y]", kNone, "OK Friday, 23rd March 2018"},
      {1521801216617LL, "[h]:[m01] [PN]", kNone, "OK 10:33 AM"},
      {1521801216617LL, "[H01]:[m01]:[s01].[f001]", kNone, "OK 10:33:36.617"},
      {1521801216617LL, "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]", kNone,
       "OK 2018-03-23T10:33:36.617Z"},
      {1521801216617LL, "[[Year]]: [[[Y0001]]]", kNone, "OK [Year]: [2018]"},
      {1, kNone, kNone, "OK 1970-01-01T00:00:00.001Z"},
      {1521801216617LL, "[Y]-[M]-[D]", "+0100", "OK 2018-3-23"},
  });
}

TEST(FormatDateTimeTest, DefaultIsoRange) {
  check(std::vector<FromCase>{
      {0, kNone, kNone, "OK 1970-01-01T00:00:00.000Z"},
      {-1, kNone, kNone, "OK 1969-12-31T23:59:59.999Z"},
      {1, kNone, kNone, "OK 1970-01-01T00:00:00.001Z"},
      {951782400000LL, kNone, kNone, "OK 2000-02-29T00:00:00.000Z"},
      {-62167219200000LL, kNone, kNone, "OK 0000-01-01T00:00:00.000Z"},
      {-62167219200001LL, kNone, kNone, "OK -0001-12-31T23:59:59.999Z"},
      {-62135596800000LL, kNone, kNone, "OK 0001-01-01T00:00:00.000Z"},
      {253402300799999LL, kNone, kNone, "OK 9999-12-31T23:59:59.999Z"},
      {253402300800000LL, kNone, kNone, "OK 0000-01-01T00:00:00.000Z"},
      {8640000000000000.0, kNone, kNone, "OK 5760-09-13T00:00:00.000Z"},
      {-8640000000000000.0, kNone, kNone, "OK -1821-04-20T00:00:00.000Z"},
      {8640000000000001.0, kNone, kNone, "OK 0NaN-NaN-NaNTNaN:NaN:NaN.NaNZ"},
      {1e+20, kNone, kNone, "OK 0NaN-NaN-NaNTNaN:NaN:NaN.NaNZ"},
      {1.5, kNone, kNone, "OK 1970-01-01T00:00:00.001Z"},
      {-1.5, kNone, kNone, "OK 1969-12-31T23:59:59.999Z"},
      {-0.5, kNone, kNone, "OK 1970-01-01T00:00:00.000Z"},
      {-94670856000000LL, kNone, kNone, "OK -1031-12-31T12:00:00.000Z"},
  });
}

TEST(FormatDateTimeTest, YearComponent) {
  check(std::vector<FromCase>{
      {1521801216617LL, "[Y]", kNone, "OK 2018"},
      {1521801216617LL, "[Y1]", kNone, "OK 2018"},
      {1521801216617LL, "[Y01]", kNone, "OK 18"},
      {1521801216617LL, "[Y001]", kNone, "OK 018"},
      {1521801216617LL, "[Y0001]", kNone, "OK 2018"},
      {1521801216617LL, "[Y00001]", kNone, "OK 02018"},
      {1521801216617LL, "[Y,2]", kNone, "OK 18"},
      {1521801216617LL, "[Y,4]", kNone, "OK 2018"},
      {1521801216617LL, "[Y,*-2]", kNone, "OK 18"},
      {1521801216617LL, "[Y,3-3]", kNone, "OK 018"},
      {1521801216617LL, "[Y0001,2-2]", kNone, "OK 18"},
      {1521801216617LL, "[Y#]", kNone,
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {1521801216617LL, "[Y##01]", kNone, "OK 2018"},
      {1521801216617LL, "[YI]", kNone, "OK MMXVIII"},
      {1521801216617LL, "[Yi]", kNone, "OK mmxviii"},
      {1521801216617LL, "[Yw]", kNone, "OK two thousand and eighteen"},
      {1521801216617LL, "[YW]", kNone, "OK TWO THOUSAND AND EIGHTEEN"},
      {1521801216617LL, "[YWw]", kNone, "OK Two Thousand and Eighteen"},
      {1521801216617LL, "[Ywo]", kNone, "OK two thousand and eighteenth"},
      {1521801216617LL, "[Y1o]", kNone, "OK 2018th"},
      {1521801216617LL, "[Y#,##0]", kNone,
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {1521801216617LL, "[Y0,001]", kNone, "OK 2018"},
      {1521801216617LL, "[Y, 2]", kNone, "OK 18"},
      {1521801216617LL, "[ Y 0001 ]", kNone, "OK 2018"},
      {1521801216617LL, "[Y,abc]", kNone, "OK 2018"},
      {1521801216617LL, "[Y,*-abc]", kNone, "OK NaN"},
      {1521801216617LL, "[Y,2-1]", kNone, "OK 8"},
      {-62198755200000LL, "[Y]", kNone, "OK -1"},
      {-62198755200000LL, "[Y0001]", kNone, "OK -0001"},
      {-62198755200000LL, "[Y01]", kNone, "OK -01"},
      {-94670856000000LL, "[Y] [M] [D]", kNone, "OK -1031 12 31"},
      {8640000000000000.0, "[Y]", kNone, "OK 275760"},
      {8640000000000000.0, "[Y01]", kNone, "OK 60"},
  });
}

TEST(FormatDateTimeTest, MonthComponent) {
  check(std::vector<FromCase>{
      {1521801216617LL, "[M]", kNone, "OK 3"},
      {1521801216617LL, "[M1]", kNone, "OK 3"},
      {1521801216617LL, "[M01]", kNone, "OK 03"},
      {1521801216617LL, "[M,2]", kNone, "OK 03"},
      {1521801216617LL, "[MN]", kNone, "OK MARCH"},
      {1521801216617LL, "[Mn]", kNone, "OK march"},
      {1521801216617LL, "[MNn]", kNone, "OK March"},
      {1521801216617LL, "[MNn,3-3]", kNone, "OK Mar"},
      {1521801216617LL, "[MN,*-3]", kNone, "OK MAR"},
      {1521801216617LL, "[Mn,1-1]", kNone, "OK m"},
      {1521801216617LL, "[MNn,0-0]", kNone, "OK "},
      {1521801216617LL, "[MNn,-2]", kNone, "OK Ma"},
      {1521801216617LL, "[MI]", kNone, "OK III"},
      {1521801216617LL, "[Mi]", kNone, "OK iii"},
      {1521801216617LL, "[Ma]", kNone, "OK c"},
      {1521801216617LL, "[MA]", kNone, "OK C"},
      {1521801216617LL, "[Mw]", kNone, "OK three"},
      {1521801216617LL, "[MWw]", kNone, "OK Three"},
      {1521801216617LL, "[M1o]", kNone, "OK 3rd"},
      {1521801216617LL, "[Mwo]", kNone, "OK third"},
      {1521801216617LL, "[MIo]", kNone, "OK III"},
      {1515974400000LL, "[MNn] [MN,3-3] [M01]", kNone, "OK January JAN 01"},
      {1518652800000LL, "[MNn] [MN,3-3] [M01]", kNone, "OK February FEB 02"},
      {1521072000000LL, "[MNn] [MN,3-3] [M01]", kNone, "OK March MAR 03"},
      {1523750400000LL, "[MNn] [MN,3-3] [M01]", kNone, "OK April APR 04"},
      {1526342400000LL, "[MNn] [MN,3-3] [M01]", kNone, "OK May MAY 05"},
      {1529020800000LL, "[MNn] [MN,3-3] [M01]", kNone, "OK June JUN 06"},
      {1531612800000LL, "[MNn] [MN,3-3] [M01]", kNone, "OK July JUL 07"},
      {1534291200000LL, "[MNn] [MN,3-3] [M01]", kNone, "OK August AUG 08"},
      {1536969600000LL, "[MNn] [MN,3-3] [M01]", kNone, "OK September SEP 09"},
      {1539561600000LL, "[MNn] [MN,3-3] [M01]", kNone, "OK October OCT 10"},
      {1542240000000LL, "[MNn] [MN,3-3] [M01]", kNone, "OK November NOV 11"},
      {1544832000000LL, "[MNn] [MN,3-3] [M01]", kNone, "OK December DEC 12"},
  });
}

TEST(FormatDateTimeTest, DayComponents) {
  check(std::vector<FromCase>{
      {1521801216617LL, "[D]", kNone, "OK 23"},
      {1521801216617LL, "[D1]", kNone, "OK 23"},
      {1521801216617LL, "[D01]", kNone, "OK 23"},
      {1521801216617LL, "[D,2]", kNone, "OK 23"},
      {1521801216617LL, "[D01,3-4]", kNone, "OK 0023"},
      {1521801216617LL, "[D1o]", kNone, "OK 23rd"},
      {1521801216617LL, "[Dwo]", kNone, "OK twenty-third"},
      {1521801216617LL, "[DWwo]", kNone, "OK Twenty-Third"},
      {1521801216617LL, "[DW]", kNone, "OK TWENTY-THREE"},
      {1521801216617LL, "[Da]", kNone, "OK w"},
      {1521801216617LL, "[DI]", kNone, "OK XXIII"},
      {1521801216617LL, "[d]", kNone, "OK 82"},
      {1521801216617LL, "[d001]", kNone, "OK 082"},
      {1521801216617LL, "[d1o]", kNone, "OK 82nd"},
      {1521801216617LL, "[F]", kNone, "OK friday"},
      {1521801216617LL, "[F1]", kNone, "OK 5"},
      {1521801216617LL, "[F01]", kNone, "OK 05"},
      {1521801216617LL, "[FNn]", kNone, "OK Friday"},
      {1521801216617LL, "[FN]", kNone, "OK FRIDAY"},
      {1521801216617LL, "[Fn]", kNone, "OK friday"},
      {1521801216617LL, "[FNn,3-3]", kNone, "OK Fri"},
      {1521801216617LL, "[FNn,*-2]", kNone, "OK Fr"},
      {1521801216617LL, "[Fw]", kNone, "OK five"},
      {1521801216617LL, "[FI]", kNone, "OK V"},
      {1521331200000LL, "[FNn] [F] [D1o] [d]", kNone, "OK Sunday sunday 18th 77"},
      {1521417600000LL, "[FNn] [F] [D1o] [d]", kNone, "OK Monday monday 19th 78"},
      {1521504000000LL, "[FNn] [F] [D1o] [d]", kNone, "OK Tuesday tuesday 20th 79"},
      {1521590400000LL, "[FNn] [F] [D1o] [d]", kNone, "OK Wednesday wednesday 21st 80"},
      {1521676800000LL, "[FNn] [F] [D1o] [d]", kNone, "OK Thursday thursday 22nd 81"},
      {1521763200000LL, "[FNn] [F] [D1o] [d]", kNone, "OK Friday friday 23rd 82"},
      {1521849600000LL, "[FNn] [F] [D1o] [d]", kNone, "OK Saturday saturday 24th 83"},
      {1521936000000LL, "[FNn] [F] [D1o] [d]", kNone, "OK Sunday sunday 25th 84"},
      {1483142400000LL, "[d]", kNone, "OK 366"},
      {1514678400000LL, "[d]", kNone, "OK 365"},
      {1456704000000LL, "[D] [MNn] [d]", kNone, "OK 29 February 60"},
      {951782400000LL, "[D] [MNn] [d] [FNn]", kNone, "OK 29 February 60 Tuesday"},
      {-2203891200000LL, "[D] [MNn] [d] [FNn]", kNone, "OK 1 March 60 Thursday"},
      {1514764800000LL, "[D1o]", kNone, "OK 1st"},
      {1514851200000LL, "[D1o]", kNone, "OK 2nd"},
      {1514937600000LL, "[D1o]", kNone, "OK 3rd"},
      {1515024000000LL, "[D1o]", kNone, "OK 4th"},
      {1515628800000LL, "[D1o]", kNone, "OK 11th"},
      {1515715200000LL, "[D1o]", kNone, "OK 12th"},
      {1515801600000LL, "[D1o]", kNone, "OK 13th"},
      {1516492800000LL, "[D1o]", kNone, "OK 21st"},
      {1516579200000LL, "[D1o]", kNone, "OK 22nd"},
      {1516665600000LL, "[D1o]", kNone, "OK 23rd"},
      {1516752000000LL, "[D1o]", kNone, "OK 24th"},
      {1517356800000LL, "[D1o]", kNone, "OK 31st"},
  });
}

TEST(FormatDateTimeTest, WeekNumbering) {
  check(std::vector<FromCase>{
      {1104580800000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2004-W53-6"},
      {1104667200000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2004-W53-7"},
      {1136030400000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2005-W52-6"},
      {1136116800000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2005-W52-7"},
      {1136203200000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2006-W01-1"},
      {1167566400000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2006-W52-7"},
      {1167652800000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2007-W01-1"},
      {1199016000000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2007-W52-7"},
      {1199102400000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2008-W01-1"},
      {1199188800000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2008-W01-2"},
      {1230465600000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2008-W52-7"},
      {1230552000000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2009-W01-1"},
      {1230724800000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2009-W01-3"},
      {1230811200000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2009-W01-4"},
      {1262260800000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2009-W53-4"},
      {1262347200000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2009-W53-5"},
      {1262520000000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2009-W53-7"},
      {1262606400000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2010-W01-1"},
      {1609416000000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2020-W53-4"},
      {1609675200000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2020-W53-7"},
      {1609761600000LL, "[X0001]-W[W01]-[F1]", kNone, "OK 2021-W01-1"},
      {1104580800000LL, "[xNn] week [w] ([MNn] [D])", kNone, "OK December week 5 (January 1)"},
      {1104753600000LL, "[xNn] week [w] ([MNn] [D])", kNone, "OK January week 1 (January 3)"},
      {1519905600000LL, "[xNn] week [w] ([MNn] [D])", kNone, "OK March week 1 (March 1)"},
      {1520164800000LL, "[xNn] week [w] ([MNn] [D])", kNone, "OK March week 1 (March 4)"},
      {1520251200000LL, "[xNn] week [w] ([MNn] [D])", kNone, "OK March week 2 (March 5)"},
      {1522497600000LL, "[xNn] week [w] ([MNn] [D])", kNone, "OK March week 5 (March 31)"},
      {1522584000000LL, "[xNn] week [w] ([MNn] [D])", kNone, "OK March week 5 (April 1)"},
      {1525089600000LL, "[xNn] week [w] ([MNn] [D])", kNone, "OK May week 1 (April 30)"},
      {1546257600000LL, "[xNn] week [w] ([MNn] [D])", kNone, "OK January week 1 (December 31)"},
      {1577707200000LL, "[xNn] week [w] ([MNn] [D])", kNone, "OK January week 1 (December 30)"},
      {1509451200000LL, "[xNn] week [w] ([MNn] [D])", kNone, "OK November week 1 (October 31)"},
      {1521763200000LL, "[W]", kNone, "OK 12"},
      {1521763200000LL, "[w]", kNone, "OK 4"},
      {1521763200000LL, "[X]", kNone, "OK 2018"},
      {1521763200000LL, "[x]", kNone, "OK 3"},
      {1521763200000LL, "[W01]", kNone, "OK 12"},
      {1521763200000LL, "[Wwo]", kNone, "OK twelfth"},
      {1521763200000LL, "[xI]", kNone, "OK III"},
  });
}

TEST(FormatDateTimeTest, HourMinuteSecond) {
  check(std::vector<FromCase>{
      {1521763509007LL,
       "[H] [H01] [h] [h01] [P] [PN] [Pn] [PNn] [m] [m01] [m1] [s] [s01] [f] [f001] [f01]", kNone,
       "OK 0 00 12 12 am AM am am 05 05 5 09 09 7 007 07"},
      {1521767109007LL,
       "[H] [H01] [h] [h01] [P] [PN] [Pn] [PNn] [m] [m01] [m1] [s] [s01] [f] [f001] [f01]", kNone,
       "OK 1 01 1 01 am AM am am 05 05 5 09 09 7 007 07"},
      {1521803109007LL,
       "[H] [H01] [h] [h01] [P] [PN] [Pn] [PNn] [m] [m01] [m1] [s] [s01] [f] [f001] [f01]", kNone,
       "OK 11 11 11 11 am AM am am 05 05 5 09 09 7 007 07"},
      {1521806709007LL,
       "[H] [H01] [h] [h01] [P] [PN] [Pn] [PNn] [m] [m01] [m1] [s] [s01] [f] [f001] [f01]", kNone,
       "OK 12 12 12 12 pm PM pm pm 05 05 5 09 09 7 007 07"},
      {1521810309007LL,
       "[H] [H01] [h] [h01] [P] [PN] [Pn] [PNn] [m] [m01] [m1] [s] [s01] [f] [f001] [f01]", kNone,
       "OK 13 13 1 01 pm PM pm pm 05 05 5 09 09 7 007 07"},
      {1521846309007LL,
       "[H] [H01] [h] [h01] [P] [PN] [Pn] [PNn] [m] [m01] [m1] [s] [s01] [f] [f001] [f01]", kNone,
       "OK 23 23 11 11 pm PM pm pm 05 05 5 09 09 7 007 07"},
      {1521801216617LL, "[H0o]", kNone, "OK 10th"},
      {1521801216617LL, "[hw]", kNone, "OK ten"},
      {1521801216617LL, "[mI]", kNone, "OK XXXIII"},
      {1521801216617LL, "[sW]", kNone, "OK THIRTY-SIX"},
      {1521801216617LL, "[f1o]", kNone, "OK 617th"},
      {1521801216617LL, "[H#1]", kNone, "OK 10"},
  });
}

TEST(FormatDateTimeTest, TimezoneOffsets) {
  check(std::vector<FromCase>{
      {1521801216617LL, "[Z]", kNone, "OK +00:00"},
      {1521801216617LL, "[Z]", "0000", "OK +00:00"},
      {1521801216617LL, "[Z]", "-0000", "OK +00:00"},
      {1521801216617LL, "[Z]", "-0500", "OK -05:00"},
      {1521801216617LL, "[Z]", "+0530", "OK +05:30"},
      {1521801216617LL, "[Z]", "-0530", "OK -06:30"},
      {1521801216617LL, "[Z]", "+1400", "OK +14:00"},
      {1521801216617LL, "[Z]", "-1200", "OK -12:00"},
      {1521801216617LL, "[z]", kNone, "OK GMT+00:00"},
      {1521801216617LL, "[z]", "0000", "OK GMT+00:00"},
      {1521801216617LL, "[z]", "-0000", "OK GMT+00:00"},
      {1521801216617LL, "[z]", "-0500", "OK GMT-05:00"},
      {1521801216617LL, "[z]", "+0530", "OK GMT+05:30"},
      {1521801216617LL, "[z]", "-0530", "OK GMT-06:30"},
      {1521801216617LL, "[z]", "+1400", "OK GMT+14:00"},
      {1521801216617LL, "[z]", "-1200", "OK GMT-12:00"},
      {1521801216617LL, "[Z0]", kNone, "OK +0"},
      {1521801216617LL, "[Z0]", "0000", "OK +0"},
      {1521801216617LL, "[Z0]", "-0000", "OK +0"},
      {1521801216617LL, "[Z0]", "-0500", "OK -5"},
      {1521801216617LL, "[Z0]", "+0530", "OK +5:30"},
      {1521801216617LL, "[Z0]", "-0530", "OK -6:-30"},
      {1521801216617LL, "[Z0]", "+1400", "OK +14"},
      {1521801216617LL, "[Z0]", "-1200", "OK -12"},
      {1521801216617LL, "[Z00]", kNone, "OK +00"},
      {1521801216617LL, "[Z00]", "0000", "OK +00"},
      {1521801216617LL, "[Z00]", "-0000", "OK +00"},
      {1521801216617LL, "[Z00]", "-0500", "OK -05"},
      {1521801216617LL, "[Z00]", "+0530", "OK +05:30"},
      {1521801216617LL, "[Z00]", "-0530", "OK -06:-30"},
      {1521801216617LL, "[Z00]", "+1400", "OK +14"},
      {1521801216617LL, "[Z00]", "-1200", "OK -12"},
      {1521801216617LL, "[Z000]", kNone, "OK +000"},
      {1521801216617LL, "[Z000]", "0000", "OK +000"},
      {1521801216617LL, "[Z000]", "-0000", "OK +000"},
      {1521801216617LL, "[Z000]", "-0500", "OK -500"},
      {1521801216617LL, "[Z000]", "+0530", "OK +530"},
      {1521801216617LL, "[Z000]", "-0530", "OK -630"},
      {1521801216617LL, "[Z000]", "+1400", "OK +1400"},
      {1521801216617LL, "[Z000]", "-1200", "OK -1200"},
      {1521801216617LL, "[Z0000]", kNone, "OK +0000"},
      {1521801216617LL, "[Z0000]", "0000", "OK +0000"},
      {1521801216617LL, "[Z0000]", "-0000", "OK +0000"},
      {1521801216617LL, "[Z0000]", "-0500", "OK -0500"},
      {1521801216617LL, "[Z0000]", "+0530", "OK +0530"},
      {1521801216617LL, "[Z0000]", "-0530", "OK -0630"},
      {1521801216617LL, "[Z0000]", "+1400", "OK +1400"},
      {1521801216617LL, "[Z0000]", "-1200", "OK -1200"},
      {1521801216617LL, "[Z00:00]", kNone, "OK +00:00"},
      {1521801216617LL, "[Z00:00]", "0000", "OK +00:00"},
      {1521801216617LL, "[Z00:00]", "-0000", "OK +00:00"},
      {1521801216617LL, "[Z00:00]", "-0500", "OK -05:00"},
      {1521801216617LL, "[Z00:00]", "+0530", "OK +05:30"},
      {1521801216617LL, "[Z00:00]", "-0530", "OK -06:30"},
      {1521801216617LL, "[Z00:00]", "+1400", "OK +14:00"},
      {1521801216617LL, "[Z00:00]", "-1200", "OK -12:00"},
      {1521801216617LL, "[Z01:01t]", kNone, "OK Z"},
      {1521801216617LL, "[Z01:01t]", "0000", "OK Z"},
      {1521801216617LL, "[Z01:01t]", "-0000", "OK Z"},
      {1521801216617LL, "[Z01:01t]", "-0500", "OK -05:00"},
      {1521801216617LL, "[Z01:01t]", "+0530", "OK +05:30"},
      {1521801216617LL, "[Z01:01t]", "-0530", "OK -06:30"},
      {1521801216617LL, "[Z01:01t]", "+1400", "OK +14:00"},
      {1521801216617LL, "[Z01:01t]", "-1200", "OK -12:00"},
      {1521801216617LL, "[Z0t]", kNone, "OK Z"},
      {1521801216617LL, "[Z0t]", "0000", "OK Z"},
      {1521801216617LL, "[Z0t]", "-0000", "OK Z"},
      {1521801216617LL, "[Z0t]", "-0500", "OK -5"},
      {1521801216617LL, "[Z0t]", "+0530", "OK +5:30"},
      {1521801216617LL, "[Z0t]", "-0530", "OK -6:-30"},
      {1521801216617LL, "[Z0t]", "+1400", "OK +14"},
      {1521801216617LL, "[Z0t]", "-1200", "OK -12"},
      {1521801216617LL, "[z0000]", kNone, "OK GMT+0000"},
      {1521801216617LL, "[z0000]", "0000", "OK GMT+0000"},
      {1521801216617LL, "[z0000]", "-0000", "OK GMT+0000"},
      {1521801216617LL, "[z0000]", "-0500", "OK GMT-0500"},
      {1521801216617LL, "[z0000]", "+0530", "OK GMT+0530"},
      {1521801216617LL, "[z0000]", "-0530", "OK GMT-0630"},
      {1521801216617LL, "[z0000]", "+1400", "OK GMT+1400"},
      {1521801216617LL, "[z0000]", "-1200", "OK GMT-1200"},
      {1521801216617LL, "[H]:[m]", kNone, "OK 10:33"},
      {1521801216617LL, "[H]:[m]", "0000", "OK 10:33"},
      {1521801216617LL, "[H]:[m]", "-0000", "OK 10:33"},
      {1521801216617LL, "[H]:[m]", "-0500", "OK 5:33"},
      {1521801216617LL, "[H]:[m]", "+0530", "OK 16:03"},
      {1521801216617LL, "[H]:[m]", "-0530", "OK 4:03"},
      {1521801216617LL, "[H]:[m]", "+1400", "OK 0:33"},
      {1521801216617LL, "[H]:[m]", "-1200", "OK 22:33"},
      {0, kNone, "+01:00", "OK 1970-01-01T00:01:00.000+00:01"},
      {0, kNone, "+1", "OK 1970-01-01T00:01:00.000+00:01"},
      {0, kNone, "-1", "OK 1969-12-31T22:59:00.000-01:01"},
      {0, kNone, "", "OK 0NaN-NaN-NaNTNaN:NaN:NaN.NaN0N:aN"},
      {0, kNone, "abc", "OK 0NaN-NaN-NaNTNaN:NaN:NaN.NaN0N:aN"},
      {0, kNone, "  -0800", "OK 1969-12-31T16:00:00.000-08:00"},
      {0, kNone, "0x10", "OK 1970-01-01T00:16:00.000+00:16"},
      {0, kNone, "+9999", "OK 1970-01-05T04:39:00.000+99:99"},
      {0, kNone, "-0001", "OK 1969-12-31T22:59:00.000-01:01"},
      {0, kNone, "+0545", "OK 1970-01-01T05:45:00.000+05:45"},
  });
}

TEST(FormatDateTimeTest, Literals) {
  check(std::vector<FromCase>{
      {1521801216617LL, "Year [Y]", kNone, "OK Year 2018"},
      {1521801216617LL, "[[", kNone, "OK ["},
      {1521801216617LL, "]]", kNone, "OK ]"},
      {1521801216617LL, "]", kNone, "OK ]"},
      {1521801216617LL, "a]]b", kNone, "OK a]b"},
      {1521801216617LL, "[[Y]]", kNone, "OK [Y]"},
      {1521801216617LL, "[Y]]]", kNone, "OK 2018]"},
      {1521801216617LL, "Year: [Y] ]] [[ done", kNone, "OK Year: 2018 ] [ done"},
      {1521801216617LL, "no markers", kNone, "OK no markers"},
      {1521801216617LL, "", kNone, "OK "},
      {1521801216617LL, "[Y][M][D]", kNone, "OK 2018323"},
      {1521801216617LL, "[Y0001][M01][D01]T[H01]", kNone, "OK 20180323T10"},
  });
}

TEST(FormatDateTimeTest, CalendarAndEra) {
  check(std::vector<FromCase>{
      {1521801216617LL, "[C]", kNone, "OK ISO"},
      {1521801216617LL, "[E]", kNone, "OK ISO"},
      {1521801216617LL, "[Cn]", kNone, "OK ISO"},
      {1521801216617LL, "[EN]", kNone, "OK ISO"},
      {1521801216617LL, "[Q1]", kNone, "OK undefined"},
      {1521801216617LL, "[,2]", kNone, "OK undefined"},
  });
}

TEST(FormatDateTimeTest, Errors) {
  check(std::vector<FromCase>{
      {1521801216617LL, "[Q]", kNone,
       "ERR D3132: Unknown component specifier \"Q\" in date/time picture string"},
      {1521801216617LL, "[]", kNone,
       "ERR D3132: Unknown component specifier \"\" in date/time picture string"},
      {1521801216617LL, "[ ]", kNone,
       "ERR D3132: Unknown component specifier \"\" in date/time picture string"},
      {1521801216617LL, "[Y", kNone,
       "ERR D3135: No matching closing bracket ']' in date/time picture string"},
      {1521801216617LL, "abc[D", kNone,
       "ERR D3135: No matching closing bracket ']' in date/time picture string"},
      {1521801216617LL, "[YN]", kNone,
       "ERR D3133: The 'name' modifier can only be applied to months and days in the date/time "
       "picture string, not \"Y\""},
      {1521801216617LL, "[Dn]", kNone,
       "ERR D3133: The 'name' modifier can only be applied to months and days in the date/time "
       "picture string, not \"D\""},
      {1521801216617LL, "[HNn]", kNone,
       "ERR D3133: The 'name' modifier can only be applied to months and days in the date/time "
       "picture string, not \"H\""},
      {1521801216617LL, "[Z00000]", kNone,
       "ERR D3134: The timezone integer format specifier cannot have more than four digits"},
      {1521801216617LL, "[ZI]", kNone,
       "ERR D3134: The timezone integer format specifier cannot have more than four digits"},
      {1521801216617LL, "[Zw]", kNone,
       "ERR D3134: The timezone integer format specifier cannot have more than four digits"},
      {1521801216617LL, "[Zt]", kNone,
       "ERR D3134: The timezone integer format specifier cannot have more than four digits"},
      {1521801216617LL, "[Mo]", kNone,
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"o\" is not "
       "supported by this implementation"},
      {1521801216617LL, "[Y#]", kNone,
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {1521801216617LL, "[Dt]", kNone,
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"t\" is not "
       "supported by this implementation"},
      {1521801216617LL, "[Y0١]", kNone,
       "ERR D3131: In a decimal digit pattern, all digits must be from the same decimal group"},
      {1521801216617LL, "[Y٠٠٠١]", kNone, "OK ٢٠١٨"},
      {1521801216617LL, "[D٠١]", kNone, "OK ٢٣"},
      {1521801216617LL, "[fn]", kNone,
       "ERR : Cannot read properties of undefined (reading 'primary')"},
      {1e+20, "[Y0001] [M01] [D01] [F] [P] [Z] [z] [h] [W] [w] [X] [x] [d] [f]", kNone,
       "ERR : Cannot read properties of undefined (reading 'toLowerCase')"},
      {1e+20, "[MNn]", kNone, "OK undefined"},
      {1e+20, "[MN]", kNone, "ERR : Cannot read properties of undefined (reading 'toUpperCase')"},
      {1e+20, "[Mn]", kNone, "ERR : Cannot read properties of undefined (reading 'toLowerCase')"},
      {1e+20, "[MNn,3]", kNone, "ERR : Cannot read properties of undefined (reading 'length')"},
      {1e+20, "[FNn]", kNone, "OK undefined"},
      {1e+20, "[Yw]", kNone, "ERR : Maximum call stack size exceeded"},
      {1e+20, "[YI]", kNone, "OK "},
      {1e+20, "[Ya]", kNone, "OK "},
      {0, kNone, "abc", "OK 0NaN-NaN-NaNTNaN:NaN:NaN.NaN0N:aN"},
      {0, "[Y]-[M]-[D] [Z0]", "abc", "OK NaN-NaN-NaN NaN:NaN"},
  });
}

TEST(FormatToMillisTest, IsoForms) {
  check(std::vector<ToCase>{
      {"2018", kNone, "OK 1514764800000"},
      {"2018-03", kNone, "OK 1519862400000"},
      {"2018-03-23", kNone, "OK 1521763200000"},
      {"2018-03-23T10:33:36", kNone, "OK 1521801216000"},
      {"2018-03-23T10:33:36Z", kNone, "OK 1521801216000"},
      {"2018-03-23T10:33:36.617Z", kNone, "OK 1521801216617"},
      {"2018-03-23T10:33:36.6Z", kNone, "OK 1521801216600"},
      {"2018-03-23T10:33:36.61Z", kNone, "OK 1521801216610"},
      {"2018-03-23T10:33:36.6179Z", kNone, "OK 1521801216617"},
      {"2018-03-23T10:33:36.00000617Z", kNone, "OK 1521801216000"},
      {"2018-03-23T10:33:36.123456789012Z", kNone, "OK 1521801216123"},
      {"2018-03-23T10:33:36+0100", kNone, "OK 1521797616000"},
      {"2018-03-23T10:33:36+01:00", kNone, "OK 1521797616000"},
      {"2018-03-23T10:33:36-05:30", kNone, "OK 1521821016000"},
      {"2017-11-07T15:07:54.972Z", kNone, "OK 1510067274972"},
      {"2018-02-01T09:42:13.123+0000", kNone, "OK 1517478133123"},
      {"0000-01-01", kNone, "OK -62167219200000"},
      {"9999-12-31T23:59:59.999Z", kNone, "OK 253402300799999"},
      {"1969-12-31T23:59:59.999Z", kNone, "OK -1"},
      {"2018-01-31T24:00:00Z", kNone, "OK 1517443200000"},
  });
}

TEST(FormatToMillisTest, LegacyQuirks) {
  check(std::vector<ToCase>{
      {"2018Z", kNone, "OK 1514764800000"},
      {"2018-03Z", kNone, "OK 1519862400000"},
      {"2018-03-23Z", kNone, "OK 1521763200000"},
      {"2018.5", kNone, "OK 1525132800000"},
      {"0000.5", kNone, "OK 957139200000"},
      {"2018.5Z", kNone, "OK 1525132800000"},
      {"2018T10:33:36", kNone, "OK 1514802816000"},
      {"2018-03T10:33:36Z", kNone, "OK 1519900416000"},
      {"2018-02-29", kNone, "OK 1519862400000"},
      {"2018-02-30", kNone, "OK 1519948800000"},
      {"2018-04-31", kNone, "OK 1525132800000"},
      {"2018-03-23T10:33:36.5", kNone, "OK 1521801216500"},
  });
}

TEST(FormatToMillisTest, InvalidDatesAreNaN) {
  check(std::vector<ToCase>{
      {"2018-13-01", kNone, "OK NaN"},
      {"2018-00-01", kNone, "OK NaN"},
      {"2018-01-00", kNone, "OK NaN"},
      {"2018-01-32", kNone, "OK NaN"},
      {"2018-03-23-01", kNone, "OK NaN"},
      {"2018-01-01T25:00:00Z", kNone, "OK NaN"},
      {"2018-01-31T24:00:01Z", kNone, "OK NaN"},
      {"2018-03-23+01:00", kNone, "OK NaN"},
      {"2018-03-23.5", kNone, "OK NaN"},
      {"2018-03-23T10:33:36T10:33:36", kNone, "OK NaN"},
      {"2018-01-01T23:59:59+29:59", kNone, "OK NaN"},
      {"2018-01-01T12:00:00+24:00", kNone, "OK NaN"},
  });
}

TEST(FormatToMillisTest, NotIso8601) {
  check(std::vector<ToCase>{
      {"", kNone,
       "ERR D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. "
       "Given \"\""},
      {"foo", kNone,
       "ERR D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. "
       "Given \"foo\""},
      {"2018-1-1", kNone,
       "ERR D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. "
       "Given \"2018-1-1\""},
      {"18-01-01", kNone,
       "ERR D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. "
       "Given \"18-01-01\""},
      {"20180101", kNone,
       "ERR D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. "
       "Given \"20180101\""},
      {"2018-01-01 00:00:00", kNone,
       "ERR D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. "
       "Given \"2018-01-01 00:00:00\""},
      {"2018-01-01T00:00Z", kNone,
       "ERR D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. "
       "Given \"2018-01-01T00:00Z\""},
      {"2018-01-01T00:00:00,5Z", kNone,
       "ERR D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. "
       "Given \"2018-01-01T00:00:00,5Z\""},
      {"2018-01-01t00:00:00z", kNone,
       "ERR D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. "
       "Given \"2018-01-01t00:00:00z\""},
      {" 2018", kNone,
       "ERR D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. "
       "Given \" 2018\""},
      {"2018-04-01T10:00:00.Z", kNone,
       "ERR D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. "
       "Given \"2018-04-01T10:00:00.Z\""},
      {"2018-01-01T00:00:00+1", kNone,
       "ERR D3110: The argument of the toMillis function must be an ISO 8601 formatted timestamp. "
       "Given \"2018-01-01T00:00:00+1\""},
  });
}

TEST(FormatToMillisTest, PictureDocumentedPatterns) {
  check(std::vector<ToCase>{
      {"2018", "[Y1]", "OK 1514764800000"},
      {"2018-03-27", "[Y1]-[M01]-[D01]", "OK 1522108800000"},
      {"2018-03-27T14:03:00.123Z", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]Z",
       "OK 1522159380123"},
      {"Hello", "Hello", "OK undefined"},
      {"27th 3 08", "[D1o] [M#] [Y01]",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {"21st 12 2017", "[D1o] [M#] [Y0001]",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {"27th March 2018", "[D1o] [MNn] [Y0001]", "OK 1522108800000"},
      {"Tuesday, 27th March 2018", "[FNn], [D1o] [MNn] [Y0001]", "OK 1522108800000"},
      {"2018-03-27T14:03:00+01:00", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01][Z01:01t]",
       "OK 1522155780000"},
      {"2018-03-27 14:03 GMT-05:00", "[Y0001]-[M01]-[D01] [H01]:[m01] [z]", "OK 1522177380000"},
      {"MMXVIII", "[YI]", "OK 1514764800000"},
      {"mmxviii", "[Yi]", "OK 1514764800000"},
      {"twenty-seventh of March, two thousand and eighteen", "[Dwo] of [MNn], [Yw]",
       "OK 1522108800000"},
      {"Twenty-Seventh", "[DWwo]", "OK 1701043200000"},
      {"10:30 pm", "[h]:[m01] [P]", "OK 1700001000000"},
      {"12:30 am", "[h]:[m01] [P]", "OK 1699921800000"},
      {"12:30 PM", "[h]:[m01] [PN]", "OK 1699965000000"},
      {"2018-087", "[Y]-[d001]", "OK 1522195200000"},
      {"87", "[d]", "OK 1680041600123"},
      {"13:45", "[H]:[m]", "OK 1699969500000"},
      {"45", "[m]", "OK 1700001900000"},
  });
}

TEST(FormatToMillisTest, PictureWidths) {
  check(std::vector<ToCase>{
      {"20180327", "[Y0001][M01][D01]", "OK 1522108800000"},
      {"180327", "[Y01][M01][D01]", "OK -1633651200000"},
      {"18", "[Y01]", "OK -1640995200000"},
      {"99", "[Y01]", "OK 915148800000"},
      {"2018327", "[Y][M][D]", "OK 574749993600000"},
      {"2018-3-7", "[Y]-[M]-[D]", "OK 1520380800000"},
      {"2018-03-27", "[Y,4]-[M,2]-[D,2]", "OK 1522108800000"},
      {"Mar 27 2018", "[MNn,3-3] [D] [Y]", "OK 1522108800000"},
      {"MAR 27 2018", "[MN,3-3] [D] [Y]",
       "ERR D3136: The date/time picture string is missing specifiers required to parse the "
       "timestamp"},
      {"march 27 2018", "[MNn] [D] [Y]",
       "ERR D3136: The date/time picture string is missing specifiers required to parse the "
       "timestamp"},
      {"Tue 27 Mar 2018", "[FNn,3-3] [D] [MNn,3-3] [Y]", "OK 1522108800000"},
  });
}

TEST(FormatToMillisTest, PictureTimezones) {
  check(std::vector<ToCase>{
      {"2018-03-27 14:03 +0100", "[Y]-[M]-[D] [H]:[m] [Z0000]", "OK 1522155780000"},
      {"2018-03-27 14:03 -0530", "[Y]-[M]-[D] [H]:[m] [Z0000]", "OK 1522175580000"},
      {"2018-03-27 14:03 -05:30", "[Y]-[M]-[D] [H]:[m] [Z]", "OK 1522175580000"},
      {"2018-03-27 14:03 +5", "[Y]-[M]-[D] [H]:[m] [Z0]", "OK 1522141380000"},
      {"2018-03-27 14:03 gmt+02:00", "[Y]-[M]-[D] [H]:[m] [z]", "OK 1522152180000"},
      {"2018-03-27 14:03 +00:00", "[Y]-[M]-[D] [H]:[m] [Z]", "OK 1522159380000"},
  });
}

TEST(FormatToMillisTest, PictureDefaultsFromNow) {
  check(std::vector<ToCase>{
      {"14:03", "[H]:[m]", "OK 1699970580000"},
      {"3", "[D]", "OK 1698969600000"},
      {"March", "[MNn]", "OK 1677628800000"},
      {"03-27", "[M]-[D]", "OK 1679875200000"},
      {"2018", "[Y]", "OK 1514764800000"},
      {"2018-03", "[Y]-[M]", "OK 1519862400000"},
      {"10 pm", "[h] [P]", "OK 1699999200000"},
      {"7", "[h]", "OK 1699945200000"},
      {"Friday", "[FNn]", "OK 1700000000123"},
      {"foo", "[FNn]", "OK 1700000000123"},
  });
}

TEST(FormatToMillisTest, PictureNoMatchIsUndefined) {
  check(std::vector<ToCase>{
      {"2018-03", "[Y]-[M]-[D]", "OK undefined"},
      {"x2018", "[Y]", "OK undefined"},
      {"2018x", "[Y]", "OK undefined"},
      {"Hello", "Goodbye", "OK undefined"},
      {"", "[Y]", "OK undefined"},
      {"18", "[Y0001]", "OK undefined"},
      {"2018-3-27", "[Y]-[M01]-[D]", "OK undefined"},
      {"Marchh 27", "[MNn] [D]", "OK 1701043200000"},
      {"", "literal only", "OK undefined"},
      {"literal only", "literal only", "OK undefined"},
      {"27th", "[D1]", "OK undefined"},
      {"twelve o", "[Hw] o", "OK 1699963200000"},
      {"2018-03-27T14:03:00.000Z", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]",
       "OK undefined"},
  });
}

TEST(FormatToMillisTest, PictureErrors) {
  check(std::vector<ToCase>{
      {"2018-27", "[Y]-[D]",
       "ERR D3136: The date/time picture string is missing specifiers required to parse the "
       "timestamp"},
      {"2018 14:03", "[Y] [H]:[m]",
       "ERR D3136: The date/time picture string is missing specifiers required to parse the "
       "timestamp"},
      {"27 14", "[D] [H]", "OK 1701093600000"},
      {"14:03", "[H]:[s]",
       "ERR D3136: The date/time picture string is missing specifiers required to parse the "
       "timestamp"},
      {"2018-W12-3", "[X]-W[W]-[F]", "OK undefined"},
      {"2018 3 2 5", "[Y] [x] [w] [F]", "OK undefined"},
      {"1", "[C]",
       "ERR D3133: The 'name' modifier can only be applied to months and days in the date/time "
       "picture string, not \"C\""},
      {"1", "[E]",
       "ERR D3133: The 'name' modifier can only be applied to months and days in the date/time "
       "picture string, not \"E\""},
      {"1", "[YN]",
       "ERR D3133: The 'name' modifier can only be applied to months and days in the date/time "
       "picture string, not \"Y\""},
      {"1", "[Q1]",
       "ERR D3133: The 'name' modifier can only be applied to months and days in the date/time "
       "picture string, not \"Q\""},
      {"1", "[fn]",
       "ERR D3133: The 'name' modifier can only be applied to months and days in the date/time "
       "picture string, not \"f\""},
      {"1", "[Y#]",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {"1", "[Q]", "ERR D3132: Unknown component specifier \"Q\" in date/time picture string"},
      {"1", "[Y", "ERR D3135: No matching closing bracket ']' in date/time picture string"},
      {"١٢", "[Y٠٠]", "OK undefined"},
      {"2018", "[Y0١]",
       "ERR D3131: In a decimal digit pattern, all digits must be from the same decimal group"},
  });
}

}  // namespace
}  // namespace sluice::engine::jsonata::format
