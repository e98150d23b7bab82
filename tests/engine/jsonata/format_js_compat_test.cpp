// Unit tests for the JavaScript primitives the formatting functions reproduce
// (engine/jsonata/format/js_compat.h), and for properties of the public API that the
// reference-derived tables in format_datetime_test.cpp and format_number_test.cpp do not show.
// (Years 0-99 are left out of the round trip: Date.UTC, and so $toMillis, reads them as 19xx.)
// Expected values are what node 20 (V8) and jsonata 2.0.6 return.

#include "engine/jsonata/format/js_compat.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "engine/jsonata/format/datetime_format.h"
#include "engine/jsonata/format/number_format.h"

namespace sluice::engine::jsonata::format {
namespace {

TEST(FormatJsCompatTest, NumberToStringIsShortestRoundTrip) {
  struct Case {
    double value;
    const char* expected;
  };
  const Case cases[] = {
      {1e21, "1e+21"},
      {1e-7, "1e-7"},
      {123e-20, "1.23e-18"},
      {0.000001, "0.000001"},
      {-0.0, "0"},
      {9007199254740992, "9007199254740992"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {5e-324, "5e-324"},
      {0.1 + 0.2, "0.30000000000000004"},
      {-1.5e-7, "-1.5e-7"},
      {123456789012345680000.0, "123456789012345680000"},
      {1e20, "100000000000000000000"},
      {100, "100"},
      {0.001, "0.001"},
      {std::numeric_limits<double>::quiet_NaN(), "NaN"},
      {-std::numeric_limits<double>::infinity(), "-Infinity"},
  };
  for (const auto& c : cases) EXPECT_EQ(js::number_to_string(c.value), c.expected);
}

TEST(FormatJsCompatTest, ToFixedRoundsExactTiesUp) {
  struct Case {
    double value;
    int digits;
    const char* expected;
  };
  const Case cases[] = {
      {0.5, 0, "1"},
      {1.5, 0, "2"},
      {2.5, 0, "3"},  // printf would round this tie to even ("2")
      {1.005, 2, "1.00"},
      {1.45, 1, "1.4"},
      {0.125, 2, "0.13"},
      {0.375, 2, "0.38"},
      {1e21, 2, "1e+21"},
      {123.456, 10, "123.4560000000"},
      {0, 3, "0.000"},
      {5e-324, 2, "0.00"},
      {999.9995, 3, "1000.000"},
      {0.05, 1, "0.1"},
      {1234.5678, 100,
       "1234.567800000000033833202905952930450439453125000000000000000000000000000000000000000"
       "0000000000000000000"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(js::to_fixed(c.value, c.digits), c.expected) << c.value << " " << c.digits;
  }
}

TEST(FormatJsCompatTest, JsonataRoundIsHalfToEvenOnTheDecimalForm) {
  struct Case {
    double value;
    int precision;
    double expected;
  };
  const Case cases[] = {
      {2.5, 0, 2},      {3.5, 0, 4},       {-2.5, 0, -2},      {1.005, 2, 1},
      {2.675, 2, 2.68}, {1.0049999, 2, 1}, {12345, -2, 12300}, {15, -1, 20},
      {25, -1, 20},     {0.125, 2, 0.12},  {1e300, 2, 1e300},  {-0.4, 0, 0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(js::jsonata_round(c.value, c.precision), c.expected) << c.value;
  }
  EXPECT_FALSE(std::signbit(js::jsonata_round(-0.4, 0)));  // JSON has no -0
}

TEST(FormatJsCompatTest, MathRoundHalvesGoUp) {
  EXPECT_EQ(js::math_round(0.49999999999999994), 0);
  EXPECT_EQ(js::math_round(-0.5), 0);
  EXPECT_TRUE(std::signbit(js::math_round(-0.5)));
  EXPECT_EQ(js::math_round(2.5), 3);
  EXPECT_EQ(js::math_round(-2.5), -2);
  EXPECT_EQ(js::math_round(4503599627370497.0), 4503599627370497.0);
}

TEST(FormatJsCompatTest, ParseIntReadsLikeJavaScript) {
  EXPECT_EQ(js::parse_int(std::string_view("  -0530")), -530);
  EXPECT_EQ(js::parse_int(std::string_view("+01:00")), 1);
  EXPECT_EQ(js::parse_int(std::string_view("0x1A")), 26);
  EXPECT_EQ(js::parse_int(std::string_view("\u00a012abc")), 12);
  EXPECT_TRUE(std::isnan(js::parse_int(std::string_view("abc"))));
  EXPECT_TRUE(std::isnan(js::parse_int(std::string_view(""))));
  EXPECT_EQ(js::parse_int(std::string_view("99999999999999999999")), 1e20);
}

TEST(FormatJsCompatTest, JsonQuoteEscapesLikeJsonStringify) {
  EXPECT_EQ(js::json_quote("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(js::json_quote("\u00e9"), "\"\u00e9\"");
}

TEST(FormatJsCompatTest, Utf8RoundTrip) {
  const std::string text = "a\u00e9\u0660\u2030\U0001F600";
  const std::u32string cps = js::to_u32(text);
  ASSERT_EQ(cps.size(), 5u);
  EXPECT_EQ(cps[2], U'\u0660');
  EXPECT_EQ(js::to_utf8(cps), text);
}

TEST(FormatJsCompatTest, RadixStringsPadUnrepresentableDigitsWithZeros) {
  EXPECT_EQ(js::number_to_radix_string(1e21, 16), "3635c9adc5dea00000");
  EXPECT_EQ(js::number_to_radix_string(-255, 2), "-11111111");
  EXPECT_EQ(js::number_to_radix_string(0, 36), "0");
}

TEST(FormatApiTest, IsoDefaultIsTheIsoPicture) {
  for (int64_t millis :
       {int64_t{0}, int64_t{-1}, int64_t{1521801216617}, int64_t{-62198755200000}}) {
    for (const char* zone : {"-0500", "+0530", "0000"}) {
      EXPECT_EQ(
          format_datetime(millis, std::nullopt, zone).value(),
          format_datetime(millis, "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]", zone)
              .value());
    }
  }
}

TEST(FormatApiTest, IntegerAndNumberEntryPointsAgree) {
  for (int64_t millis : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{1521801216617}}) {
    EXPECT_EQ(
        format_datetime(millis, "[FNn] [D1o] [MNn] [Y] [h]:[m01][P]", std::nullopt).value(),
        format_datetime_number(double(millis), "[FNn] [D1o] [MNn] [Y] [h]:[m01][P]", std::nullopt)
            .value());
  }
  // Fractional millis truncate toward zero, as JavaScript's Date does.
  EXPECT_EQ(format_datetime_number(-0.5, std::nullopt, std::nullopt).value(),
            "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_datetime_number(-1.5, std::nullopt, std::nullopt).value(),
            "1969-12-31T23:59:59.999Z");
}

TEST(FormatApiTest, ToMillisInvertsFromMillis) {
  const char* pictures[] = {
      // (Not "[Z01:01t]": a "Z" it writes for UTC does not read back, in the reference too.)
      "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01]",
      "[FNn], [D1o] [MNn] [Y] [h]:[m01]:[s01].[f001] [P]",
      "[Y] [MNn] [D] [H]:[m]:[s].[f] [Z0000]",
      "[YI]-[M01]-[D01] [H01]:[m01]:[s01].[f001]",
  };
  for (int64_t millis = -59011459200000; millis < 253402300799999; millis += 987654321987) {
    for (const char* picture : pictures) {
      const auto text = format_datetime(millis, picture, std::nullopt);
      ASSERT_TRUE(text.ok()) << picture;
      const auto back = parse_datetime(text.value(), picture, 0);
      ASSERT_TRUE(back.ok() && back.value()) << text.value();
      EXPECT_EQ(*back.value(), double(millis)) << text.value() << " " << picture;
    }
  }
}

TEST(FormatApiTest, DecimalFormatKnowsEveryProperty) {
  DecimalFormat options;
  for (const char* key :
       {"decimal-separator", "grouping-separator", "exponent-separator", "infinity", "minus-sign",
        "NaN", "percent", "per-mille", "zero-digit", "digit", "pattern-separator"}) {
    EXPECT_TRUE(options.set(key, "x")) << key;
  }
  EXPECT_FALSE(options.set("decimal", "x"));
  EXPECT_EQ(options.zero_digit, "x");
}

}  // namespace
}  // namespace sluice::engine::jsonata::format
