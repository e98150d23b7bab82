// Unit tests for $formatNumber, $formatInteger, $parseInteger and $formatBase
// (engine/jsonata/format/number_format.h). Every expected value is what the reference
// implementation (the npm package jsonata 2.0.6, run with node in UTC) returns for the same call,
// errors included ("ERR code: message"; an empty code is a JavaScript exception in the reference
// rather than a JSONata error).
#include "engine/jsonata/format/number_format.h"

#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/jsonata/format/js_compat.h"

namespace sluice::engine::jsonata::format {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::optional<double> kNone = std::nullopt;

std::string render(const Result<std::string, FormatError>& r) {
  return r.ok() ? "OK " + r.value() : "ERR " + r.error().code + ": " + r.error().message;
}

std::string render(const Result<double, FormatError>& r) {
  return r.ok() ? "OK " + js::number_to_string(r.value())
                : "ERR " + r.error().code + ": " + r.error().message;
}

struct NumberCase {
  double value;
  const char* picture;
  std::vector<std::pair<const char*, const char*>> options;
  const char* expected;
};

void check(const std::vector<NumberCase>& cases) {
  for (const auto& c : cases) {
    DecimalFormat options;
    for (const auto& [key, value] : c.options) EXPECT_TRUE(options.set(key, value)) << key;
    EXPECT_EQ(render(format_number(c.value, c.picture, options)), c.expected)
        << "$formatNumber(" << js::number_to_string(c.value) << ", \"" << c.picture << "\")";
  }
}

struct IntegerCase {
  double value;
  const char* picture;
  const char* expected;
};

void check(const std::vector<IntegerCase>& cases) {
  for (const auto& c : cases) {
    EXPECT_EQ(render(format_integer(c.value, c.picture)), c.expected)
        << "$formatInteger(" << js::number_to_string(c.value) << ", \"" << c.picture << "\")";
  }
}

struct ParseCase {
  const char* text;
  const char* picture;
  const char* expected;
};

void check(const std::vector<ParseCase>& cases) {
  for (const auto& c : cases) {
    EXPECT_EQ(render(parse_integer(c.text, c.picture)), c.expected)
        << "$parseInteger(\"" << c.text << "\", \"" << c.picture << "\")";
  }
}

struct BaseCase {
  double value;
  std::optional<double> radix;
  const char* expected;
};

void check(const std::vector<BaseCase>& cases) {
  for (const auto& c : cases) {
    EXPECT_EQ(render(format_base(c.value, c.radix)), c.expected)
        << "$formatBase(" << js::number_to_string(c.value) << ", "
        << (c.radix ? js::number_to_string(*c.radix) : "undefined") << ")";
  }
}
TEST(FormatNumberTest, DocumentedExamples) {
  check(std::vector<NumberCase>{
      {12345.6, "#,###.00", {}, "OK 12,345.60"},
      {1234.5678, "00.000e0", {}, "OK 12.346e2"},
      {34.555, "#0.00;(#0.00)", {}, "OK 34.56"},
      {-34.555, "#0.00;(#0.00)", {}, "OK (34.56)"},
      {0.14, "01%", {}, "OK 14%"},
      {0.14, "###pm", {{"per-mille", "pm"}}, "OK 140pm"},
      {1234.5678, "①①.①①①e①", {{"zero-digit", "⑟"}}, "OK ①②.③④⑥e②"},
  });
}

TEST(FormatNumberTest, Grouping) {
  check(std::vector<NumberCase>{
      {0, "#,##0", {}, "OK 0"},
      {0, "#,###", {}, "OK 0"},
      {0, "0,000", {}, "OK 0,000"},
      {0, "#,##,##0", {}, "OK ,0,"},
      {0, "#,##0.00", {}, "OK 0.00"},
      {0, "###,###,###", {}, "OK 0"},
      {0, "0,00,000.0", {}, "OK 0,00,000.0"},
      {0, "#,##0.0,0", {}, "OK 0.0,0"},
      {1, "#,##0", {}, "OK 1"},
      {1, "#,###", {}, "OK 1"},
      {1, "0,000", {}, "OK 0,001"},
      {1, "#,##,##0", {}, "OK ,1,"},
      {1, "#,##0.00", {}, "OK 1.00"},
      {1, "###,###,###", {}, "OK 1"},
      {1, "0,00,000.0", {}, "OK 0,00,001.0"},
      {1, "#,##0.0,0", {}, "OK 1.0,0"},
      {12, "#,##0", {}, "OK 12"},
      {12, "#,###", {}, "OK 12"},
      {12, "0,000", {}, "OK 0,012"},
      {12, "#,##,##0", {}, "OK ,,12"},
      {12, "#,##0.00", {}, "OK 12.00"},
      {12, "###,###,###", {}, "OK 12"},
      {12, "0,00,000.0", {}, "OK 0,00,012.0"},
      {12, "#,##0.0,0", {}, "OK 12.0,0"},
      {123, "#,##0", {}, "OK 123"},
      {123, "#,###", {}, "OK 123"},
      {123, "0,000", {}, "OK 0,123"},
      {123, "#,##,##0", {}, "OK 1,2,3"},
      {123, "#,##0.00", {}, "OK 123.00"},
      {123, "###,###,###", {}, "OK 123"},
      {123, "0,00,000.0", {}, "OK 0,00,123.0"},
      {123, "#,##0.0,0", {}, "OK 123.0,0"},
      {1234, "#,##0", {}, "OK 1,234"},
      {1234, "#,###", {}, "OK 1,234"},
      {1234, "0,000", {}, "OK 1,234"},
      {1234, "#,##,##0", {}, "OK 12,34,"},
      {1234, "#,##0.00", {}, "OK 1,234.00"},
      {1234, "###,###,###", {}, "OK 1,234"},
      {1234, "0,00,000.0", {}, "OK 0,01,234.0"},
      {1234, "#,##0.0,0", {}, "OK 1,234.0,0"},
      {12345, "#,##0", {}, "OK 12,345"},
      {12345, "#,###", {}, "OK 12,345"},
      {12345, "0,000", {}, "OK 12,345"},
      {12345, "#,##,##0", {}, "OK ,12,345"},
      {12345, "#,##0.00", {}, "OK 12,345.00"},
      {12345, "###,###,###", {}, "OK 12,345"},
      {12345, "0,00,000.0", {}, "OK 0,12,345.0"},
      {12345, "#,##0.0,0", {}, "OK 12,345.0,0"},
      {123456, "#,##0", {}, "OK 123,456"},
      {123456, "#,###", {}, "OK 123,456"},
      {123456, "0,000", {}, "OK 123,456"},
      {123456, "#,##,##0", {}, "OK 1,23,456"},
      {123456, "#,##0.00", {}, "OK 123,456.00"},
      {123456, "###,###,###", {}, "OK 123,456"},
      {123456, "0,00,000.0", {}, "OK 1,23,456.0"},
      {123456, "#,##0.0,0", {}, "OK 123,456.0,0"},
      {1234567, "#,##0", {}, "OK 1,234,567"},
      {1234567, "#,###", {}, "OK 1,234,567"},
      {1234567, "0,000", {}, "OK 1,234,567"},
      {1234567, "#,##,##0", {}, "OK 12,34,567"},
      {1234567, "#,##0.00", {}, "OK 1,234,567.00"},
      {1234567, "###,###,###", {}, "OK 1,234,567"},
      {1234567, "0,00,000.0", {}, "OK 12,34,567.0"},
      {1234567, "#,##0.0,0", {}, "OK 1,234,567.0,0"},
      {1234567.891, "#,##0", {}, "OK 1,234,568"},
      {1234567.891, "#,###", {}, "OK 1,234,568"},
      {1234567.891, "0,000", {}, "OK 1,234,568"},
      {1234567.891, "#,##,##0", {}, "OK 12,34,568"},
      {1234567.891, "#,##0.00", {}, "OK 1,234,567.89"},
      {1234567.891, "###,###,###", {}, "OK 1,234,568"},
      {1234567.891, "0,00,000.0", {}, "OK 12,34,567.9"},
      {1234567.891, "#,##0.0,0", {}, "OK 1,234,567.8,9"},
  });
}

TEST(FormatNumberTest, Rounding) {
  check(std::vector<NumberCase>{
      {0.5, "0", {}, "OK 0"},
      {1.5, "0", {}, "OK 2"},
      {2.5, "0", {}, "OK 2"},
      {-2.5, "0", {}, "OK -2"},
      {1.005, "0.00", {}, "OK 1.00"},
      {1.015, "0.00", {}, "OK 1.02"},
      {0.125, "0.00", {}, "OK 0.12"},
      {34.555, "0.00", {}, "OK 34.56"},
      {34.565, "0.00", {}, "OK 34.56"},
      {2.675, "0.00", {}, "OK 2.68"},
      {8.345, "0.00", {}, "OK 8.34"},
      {99.995, "0.00", {}, "OK 100.00"},
      {9.995, "#.##", {}, "OK 10.0"},
      {0.0005, "0.000", {}, "OK 0.000"},
      {1000000000000000.2, "0.0", {}, "OK 1000000000000000.3"},
      {1.2345678901234568e+17, "#,##0", {}, "OK 123,456,789,012,345,680"},
      {0.30000000000000004, "0.0###############", {}, "OK 0.3"},
      {5e-324, "0.0", {}, "OK 0.0"},
      {0.9999, "0.00", {}, "OK 1.00"},
      {-0.0001, "0.00", {}, "OK -0.00"},
  });
}

TEST(FormatNumberTest, FractionsAndPadding) {
  check(std::vector<NumberCase>{
      {0, "#", {}, "OK 0"},
      {0, "0", {}, "OK 0"},
      {0, "0.0", {}, "OK 0.0"},
      {0, "#.#", {}, "OK .0"},
      {0, "0.000", {}, "OK 0.000"},
      {0, "0.0##", {}, "OK 0.0"},
      {0, "00.00", {}, "OK 00.00"},
      {0, "#0.#", {}, "OK 0"},
      {0, ".00", {}, "OK .00"},
      {0, ".##", {}, "OK .0"},
      {0, "0.", {}, "OK 0"},
      {0, "#.", {}, "OK 0"},
      {0, "000", {}, "OK 000"},
      {3.14159, "#", {}, "OK 3"},
      {3.14159, "0", {}, "OK 3"},
      {3.14159, "0.0", {}, "OK 3.1"},
      {3.14159, "#.#", {}, "OK 3.1"},
      {3.14159, "0.000", {}, "OK 3.142"},
      {3.14159, "0.0##", {}, "OK 3.142"},
      {3.14159, "00.00", {}, "OK 03.14"},
      {3.14159, "#0.#", {}, "OK 3.1"},
      {3.14159, ".00", {}, "OK 3.14"},
      {3.14159, ".##", {}, "OK 3.14"},
      {3.14159, "0.", {}, "OK 3"},
      {3.14159, "#.", {}, "OK 3"},
      {3.14159, "000", {}, "OK 003"},
      {-3.14159, "#", {}, "OK -3"},
      {-3.14159, "0", {}, "OK -3"},
      {-3.14159, "0.0", {}, "OK -3.1"},
      {-3.14159, "#.#", {}, "OK -3.1"},
      {-3.14159, "0.000", {}, "OK -3.142"},
      {-3.14159, "0.0##", {}, "OK -3.142"},
      {-3.14159, "00.00", {}, "OK -03.14"},
      {-3.14159, "#0.#", {}, "OK -3.1"},
      {-3.14159, ".00", {}, "OK -3.14"},
      {-3.14159, ".##", {}, "OK -3.14"},
      {-3.14159, "0.", {}, "OK -3"},
      {-3.14159, "#.", {}, "OK -3"},
      {-3.14159, "000", {}, "OK -003"},
      {0.5, "#", {}, "OK 0"},
      {0.5, "0", {}, "OK 0"},
      {0.5, "0.0", {}, "OK 0.5"},
      {0.5, "#.#", {}, "OK .5"},
      {0.5, "0.000", {}, "OK 0.500"},
      {0.5, "0.0##", {}, "OK 0.5"},
      {0.5, "00.00", {}, "OK 00.50"},
      {0.5, "#0.#", {}, "OK 0.5"},
      {0.5, ".00", {}, "OK .50"},
      {0.5, ".##", {}, "OK .5"},
      {0.5, "0.", {}, "OK 0"},
      {0.5, "#.", {}, "OK 0"},
      {0.5, "000", {}, "OK 000"},
      {42, "#", {}, "OK 42"},
      {42, "0", {}, "OK 42"},
      {42, "0.0", {}, "OK 42.0"},
      {42, "#.#", {}, "OK 42.0"},
      {42, "0.000", {}, "OK 42.000"},
      {42, "0.0##", {}, "OK 42.0"},
      {42, "00.00", {}, "OK 42.00"},
      {42, "#0.#", {}, "OK 42"},
      {42, ".00", {}, "OK 42.00"},
      {42, ".##", {}, "OK 42.0"},
      {42, "0.", {}, "OK 42"},
      {42, "#.", {}, "OK 42"},
      {42, "000", {}, "OK 042"},
  });
}

TEST(FormatNumberTest, PercentAndPerMille) {
  check(std::vector<NumberCase>{
      {0.14, "0%", {}, "OK 14%"},
      {0.14, "##0.00%", {}, "OK 14.00%"},
      {0.14, "#,##0‰", {}, "OK 140‰"},
      {0.14, "#,##0.0‰", {}, "OK 140.0‰"},
      {0.14, "0.0%", {}, "OK 14.0%"},
      {0.14, "%0", {}, "OK %14"},
      {0.14, "0 %", {}, "OK 14 %"},
      {1.5, "0%", {}, "OK 150%"},
      {1.5, "##0.00%", {}, "OK 150.00%"},
      {1.5, "#,##0‰", {}, "OK 1,500‰"},
      {1.5, "#,##0.0‰", {}, "OK 1,500.0‰"},
      {1.5, "0.0%", {}, "OK 150.0%"},
      {1.5, "%0", {}, "OK %150"},
      {1.5, "0 %", {}, "OK 150 %"},
      {-0.0123, "0%", {}, "OK -1%"},
      {-0.0123, "##0.00%", {}, "OK -1.23%"},
      {-0.0123, "#,##0‰", {}, "OK -12‰"},
      {-0.0123, "#,##0.0‰", {}, "OK -12.3‰"},
      {-0.0123, "0.0%", {}, "OK -1.2%"},
      {-0.0123, "%0", {}, "OK -%1"},
      {-0.0123, "0 %", {}, "OK -1 %"},
      {0, "0%", {}, "OK 0%"},
      {0, "##0.00%", {}, "OK 0.00%"},
      {0, "#,##0‰", {}, "OK 0‰"},
      {0, "#,##0.0‰", {}, "OK 0.0‰"},
      {0, "0.0%", {}, "OK 0.0%"},
      {0, "%0", {}, "OK %0"},
      {0, "0 %", {}, "OK 0 %"},
  });
}

TEST(FormatNumberTest, Exponents) {
  check(std::vector<NumberCase>{
      {1234.5678, "0.00e0", {}, "OK 1.23e3"},
      {1234.5678, "##0.0e0", {}, "OK 1.2e3"},
      {1234.5678, "0.0e00", {}, "OK 1.2e03"},
      {1234.5678, "#e0", {}, "OK 0.e4"},
      {1234.5678, ".0e0", {}, "OK .1e4"},
      {1234.5678, "#.e0", {}, "OK 0.1e4"},
      {1234.5678,
       "00.0e-0",
       {},
       "ERR D3093: The exponent part of the sub-picture must comprise only of one or more "
       "characters that are members of the 'decimal digit family'"},
      {1234.5678, "0.000e00", {}, "OK 1.235e03"},
      {1234.5678, "###0.0###e0", {}, "OK 1.2346e3"},
      {0.00012345, "0.00e0", {}, "OK 1.23e-4"},
      {0.00012345, "##0.0e0", {}, "OK 1.2e-4"},
      {0.00012345, "0.0e00", {}, "OK 1.2e-04"},
      {0.00012345, "#e0", {}, "OK 0.e-3"},
      {0.00012345, ".0e0", {}, "OK .1e-3"},
      {0.00012345, "#.e0", {}, "OK 0.1e-3"},
      {0.00012345,
       "00.0e-0",
       {},
       "ERR D3093: The exponent part of the sub-picture must comprise only of one or more "
       "characters that are members of the 'decimal digit family'"},
      {0.00012345, "0.000e00", {}, "OK 1.234e-04"},
      {0.00012345, "###0.0###e0", {}, "OK 1.2345e-4"},
      {1, "0.00e0", {}, "OK 1.00e0"},
      {1, "##0.0e0", {}, "OK 1.0e0"},
      {1, "0.0e00", {}, "OK 1.0e00"},
      {1, "#e0", {}, "OK 1.e0"},
      {1, ".0e0", {}, "OK 1.0e0"},
      {1, "#.e0", {}, "OK 1.0e0"},
      {1,
       "00.0e-0",
       {},
       "ERR D3093: The exponent part of the sub-picture must comprise only of one or more "
       "characters that are members of the 'decimal digit family'"},
      {1, "0.000e00", {}, "OK 1.000e00"},
      {1, "###0.0###e0", {}, "OK 1.0e0"},
      {1.2345678901234567e+19, "0.00e0", {}, "OK 1.23e19"},
      {1.2345678901234567e+19, "##0.0e0", {}, "OK 1.2e19"},
      {1.2345678901234567e+19, "0.0e00", {}, "OK 1.2e19"},
      {1.2345678901234567e+19, "#e0", {}, "OK 0.e20"},
      {1.2345678901234567e+19, ".0e0", {}, "OK .1e20"},
      {1.2345678901234567e+19, "#.e0", {}, "OK 0.1e20"},
      {1.2345678901234567e+19,
       "00.0e-0",
       {},
       "ERR D3093: The exponent part of the sub-picture must comprise only of one or more "
       "characters that are members of the 'decimal digit family'"},
      {1.2345678901234567e+19, "0.000e00", {}, "OK 1.235e19"},
      {1.2345678901234567e+19, "###0.0###e0", {}, "OK 1.2346e19"},
      {1e-300, "0.00e0", {}, "OK 10.00e-301"},
      {1e-300, "##0.0e0", {}, "OK 10.0e-301"},
      {1e-300, "0.0e00", {}, "OK 10.0e-301"},
      {1e-300, "#e0", {}, "OK 1.e-300"},
      {1e-300, ".0e0", {}, "OK 1.0e-300"},
      {1e-300, "#.e0", {}, "OK 1.0e-300"},
      {1e-300,
       "00.0e-0",
       {},
       "ERR D3093: The exponent part of the sub-picture must comprise only of one or more "
       "characters that are members of the 'decimal digit family'"},
      {1e-300, "0.000e00", {}, "OK 10.000e-301"},
      {1e-300, "###0.0###e0", {}, "OK 10.0e-301"},
      {1e+300, "0.00e0", {}, "OK 1.00e300"},
      {1e+300, "##0.0e0", {}, "OK 1.0e300"},
      {1e+300, "0.0e00", {}, "OK 1.0e300"},
      {1e+300, "#e0", {}, "OK 0.e301"},
      {1e+300, ".0e0", {}, "OK .1e301"},
      {1e+300, "#.e0", {}, "OK 0.1e301"},
      {1e+300,
       "00.0e-0",
       {},
       "ERR D3093: The exponent part of the sub-picture must comprise only of one or more "
       "characters that are members of the 'decimal digit family'"},
      {1e+300, "0.000e00", {}, "OK 1.000e300"},
      {1e+300, "###0.0###e0", {}, "OK 1.0e300"},
      {5, "0.00e0", {}, "OK 5.00e0"},
      {5, "##0.0e0", {}, "OK 5.0e0"},
      {5, "0.0e00", {}, "OK 5.0e00"},
      {5, "#e0", {}, "OK 0.e1"},
      {5, ".0e0", {}, "OK .5e1"},
      {5, "#.e0", {}, "OK 0.5e1"},
      {5,
       "00.0e-0",
       {},
       "ERR D3093: The exponent part of the sub-picture must comprise only of one or more "
       "characters that are members of the 'decimal digit family'"},
      {5, "0.000e00", {}, "OK 5.000e00"},
      {5, "###0.0###e0", {}, "OK 5.0e0"},
  });
}

TEST(FormatNumberTest, PrefixSuffixAndSubPictures) {
  check(std::vector<NumberCase>{
      {1234.5, "$#,##0.00", {}, "OK $1,234.50"},
      {1234.5, "#,##0.00 USD", {}, "OK 1,234.50 USD"},
      {1234.5, "(#,##0.00)", {}, "OK (1,234.50)"},
      {1234.5, "#,##0.00;(#,##0.00)", {}, "OK 1,234.50"},
      {1234.5, "#;-#", {}, "OK 1234"},
      {1234.5, "#,##0.00;", {}, "ERR : Cannot read properties of undefined (reading 'length')"},
      {1234.5, "€ #,##0.00", {}, "OK € 1,234.50"},
      {1234.5,
       "'#'0",
       {},
       "ERR D3086: The sub-picture must not contain a passive character that is preceded by an "
       "active character and that is followed by another active character"},
      {1234.5, "0;[0]", {}, "OK 1234"},
      {-1234.5, "$#,##0.00", {}, "OK -$1,234.50"},
      {-1234.5, "#,##0.00 USD", {}, "OK -1,234.50 USD"},
      {-1234.5, "(#,##0.00)", {}, "OK -(1,234.50)"},
      {-1234.5, "#,##0.00;(#,##0.00)", {}, "OK (1,234.50)"},
      {-1234.5, "#;-#", {}, "OK -1234"},
      {-1234.5, "#,##0.00;", {}, "ERR : Cannot read properties of undefined (reading 'length')"},
      {-1234.5, "€ #,##0.00", {}, "OK -€ 1,234.50"},
      {-1234.5,
       "'#'0",
       {},
       "ERR D3086: The sub-picture must not contain a passive character that is preceded by an "
       "active character and that is followed by another active character"},
      {-1234.5, "0;[0]", {}, "OK [1234]"},
      {0, "$#,##0.00", {}, "OK $0.00"},
      {0, "#,##0.00 USD", {}, "OK 0.00 USD"},
      {0, "(#,##0.00)", {}, "OK (0.00)"},
      {0, "#,##0.00;(#,##0.00)", {}, "OK 0.00"},
      {0, "#;-#", {}, "OK 0"},
      {0, "#,##0.00;", {}, "ERR : Cannot read properties of undefined (reading 'length')"},
      {0, "€ #,##0.00", {}, "OK € 0.00"},
      {0,
       "'#'0",
       {},
       "ERR D3086: The sub-picture must not contain a passive character that is preceded by an "
       "active character and that is followed by another active character"},
      {0, "0;[0]", {}, "OK 0"},
  });
}

TEST(FormatNumberTest, Options) {
  check(std::vector<NumberCase>{
      {1234567.891,
       "#.##0,00",
       {{"decimal-separator", ","}, {"grouping-separator", "."}},
       "OK 1.234.567,89"},
      {1234.5,
       "#,##0.00",
       {{"zero-digit", "٠"}},
       "ERR D3086: The sub-picture must not contain a passive character that is preceded by an "
       "active character and that is followed by another active character"},
      {1234.5,
       "#,##0.00",
       {{"zero-digit", "０"}},
       "ERR D3086: The sub-picture must not contain a passive character that is preceded by an "
       "active character and that is followed by another active character"},
      {-1234.5, "#,##0.00", {{"minus-sign", "−"}}, "OK −1,234.50"},
      {0.25, "0pc", {{"percent", "pc"}}, "OK 25pc"},
      {1234.5, "0.00E0", {{"exponent-separator", "E"}}, "OK 1.23E3"},
      {1234.5, "x,xx0.00", {{"digit", "x"}}, "OK 1,234.50"},
      {-5, "0|(0)", {{"pattern-separator", "|"}}, "OK (5)"},
      {1234567.5,
       "# ##0·00",
       {{"decimal-separator", "·"}, {"grouping-separator", " "}},
       "OK 1 234 567·50"},
      {-1, "0", {{"minus-sign", "--"}}, "OK --1"},
      {1, "0", {{"NaN", "nan"}, {"infinity", "inf"}}, "OK 1"},
  });
}

TEST(FormatNumberTest, NonFinite) {
  check(std::vector<NumberCase>{
      {kNaN, "#,##0.00", {}, "OK -NaN.00"},
      {kInf, "#,##0.00", {}, "OK NaN.00"},
      {-kInf, "#,##0.00", {}, "OK -NaN.00"},
      {1e+21, "#,##0", {}, "OK 1e,+21"},
      {1e+22, "0.00", {}, "OK 1e+22.00"},
      {1.7976931348623157e+308, "#,##0", {}, "OK 1.7976931348623157e+30"},
  });
}

TEST(FormatNumberTest, Errors) {
  check(std::vector<NumberCase>{
      {1,
       "0;0;0",
       {},
       "ERR D3080: The picture string must only contain a maximum of two sub-pictures"},
      {1,
       "0.0.0",
       {},
       "ERR D3081: The sub-picture must not contain more than one instance of the "
       "'decimal-separator' character"},
      {1,
       "0%%",
       {},
       "ERR D3082: The sub-picture must not contain more than one instance of the 'percent' "
       "character"},
      {1,
       "0‰‰",
       {},
       "ERR D3083: The sub-picture must not contain more than one instance of the 'per-mille' "
       "character"},
      {1,
       "0%‰",
       {},
       "ERR D3084: The sub-picture must not contain both a 'percent' and a 'per-mille' character"},
      {1, "abc", {}, "ERR : Cannot read properties of undefined (reading 'length')"},
      {1,
       "#a#",
       {},
       "ERR D3086: The sub-picture must not contain a passive character that is preceded by an "
       "active character and that is followed by another active character"},
      {1,
       "0.,0",
       {},
       "ERR D3087: The sub-picture must not contain a 'grouping-separator' character that appears "
       "adjacent to a 'decimal-separator' character"},
      {1,
       "0,.0",
       {},
       "ERR D3087: The sub-picture must not contain a 'grouping-separator' character that appears "
       "adjacent to a 'decimal-separator' character"},
      {1,
       "#,##0,",
       {},
       "ERR D3088: The sub-picture must not contain a 'grouping-separator' at the end of the "
       "integer part"},
      {1,
       "#,,##0",
       {},
       "ERR D3089: The sub-picture must not contain two adjacent instances of the "
       "'grouping-separator' character"},
      {1,
       "0#",
       {},
       "ERR D3090: The integer part of the sub-picture must not contain a member of the 'decimal "
       "digit family' that is followed by an instance of the 'optional digit character'"},
      {1,
       "0.#0",
       {},
       "ERR D3091: The fractional part of the sub-picture must not contain an instance of the "
       "'optional digit character' that is followed by a member of the 'decimal digit family'"},
      {1,
       "0e0%",
       {},
       "ERR D3092: A sub-picture that contains a 'percent' or 'per-mille' character must not "
       "contain a character treated as an 'exponent-separator'"},
      {1,
       "0.00e",
       {},
       "ERR D3093: The exponent part of the sub-picture must comprise only of one or more "
       "characters that are members of the 'decimal digit family'"},
      {1,
       "0.00ea",
       {},
       "ERR D3093: The exponent part of the sub-picture must comprise only of one or more "
       "characters that are members of the 'decimal digit family'"},
      {1,
       "$0.00e0",
       {},
       "ERR D3093: The exponent part of the sub-picture must comprise only of one or more "
       "characters that are members of the 'decimal digit family'"},
      {1,
       "#e",
       {},
       "ERR D3093: The exponent part of the sub-picture must comprise only of one or more "
       "characters that are members of the 'decimal digit family'"},
      {1, "", {}, "ERR : Cannot read properties of undefined (reading 'length')"},
      {1,
       "#.#########################################################################################"
       "#################",
       {},
       "ERR : toFixed() digits argument must be between 0 and 100"},
      {0, "0e0", {}, "ERR U1001: Expression evaluation timeout: Check for infinite loop"},
      {-5, "0.0e0", {}, "ERR U1001: Expression evaluation timeout: Check for infinite loop"},
      {kInf, "0e0", {}, "ERR U1001: Expression evaluation timeout: Check for infinite loop"},
  });
}

TEST(FormatIntegerTest, DocumentedExamples) {
  check(std::vector<IntegerCase>{
      {2789, "w", "OK two thousand, seven hundred and eighty-nine"},
      {1999, "I", "OK MCMXCIX"},
      {12, "#0;o", "OK 12th"},
      {10, "000", "OK 010"},
      {2, "w;o", "OK second"},
      {2018, "Ww", "OK Two Thousand and Eighteen"},
  });
}

TEST(FormatIntegerTest, Decimal) {
  check(std::vector<IntegerCase>{
      {0, "0", "OK 0"},
      {0, "000", "OK 000"},
      {0, "#",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {0, "#,##0", "OK 0"},
      {0, "#,###",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#,###\" is not "
       "supported by this implementation"},
      {0, "0,000", "OK 0,000"},
      {0, "#,##,##0", "OK ,0"},
      {0, "0 0", "OK 0 0"},
      {0, "00-00-00", "OK 00-00-00"},
      {0, "0,", "OK 0,"},
      {0, "0;o", "OK 0th"},
      {0, "#,##0;o", "OK 0th"},
      {0, "٠", "OK ٠"},
      {0, "٠٠٠", "OK ٠٠٠"},
      {0, "０", "OK ０"},
      {0, "١,٢٣٤", "OK ٠,٠٠٠"},
      {7, "0", "OK 7"},
      {7, "000", "OK 007"},
      {7, "#",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {7, "#,##0", "OK 7"},
      {7, "#,###",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#,###\" is not "
       "supported by this implementation"},
      {7, "0,000", "OK 0,007"},
      {7, "#,##,##0", "OK ,7"},
      {7, "0 0", "OK 0 7"},
      {7, "00-00-00", "OK 00-00-07"},
      {7, "0,", "OK 7,"},
      {7, "0;o", "OK 7th"},
      {7, "#,##0;o", "OK 7th"},
      {7, "٠", "OK ٧"},
      {7, "٠٠٠", "OK ٠٠٧"},
      {7, "０", "OK ７"},
      {7, "١,٢٣٤", "OK ٠,٠٠٧"},
      {12, "0", "OK 12"},
      {12, "000", "OK 012"},
      {12, "#",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {12, "#,##0", "OK 12"},
      {12, "#,###",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#,###\" is not "
       "supported by this implementation"},
      {12, "0,000", "OK 0,012"},
      {12, "#,##,##0", "OK ,,12"},
      {12, "0 0", "OK 1 2"},
      {12, "00-00-00", "OK 00-00-12"},
      {12, "0,", "OK 12,"},
      {12, "0;o", "OK 12th"},
      {12, "#,##0;o", "OK 12th"},
      {12, "٠", "OK ١٢"},
      {12, "٠٠٠", "OK ٠١٢"},
      {12, "０", "OK １２"},
      {12, "١,٢٣٤", "OK ٠,٠١٢"},
      {1234, "0", "OK 1234"},
      {1234, "000", "OK 1234"},
      {1234, "#",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {1234, "#,##0", "OK 1,234"},
      {1234, "#,###",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#,###\" is not "
       "supported by this implementation"},
      {1234, "0,000", "OK 1,234"},
      {1234, "#,##,##0", "OK ,4"},
      {1234, "0 0", "OK 1 2 3 4"},
      {1234, "00-00-00", "OK 00-12-34"},
      {1234, "0,", "OK 1234,"},
      {1234, "0;o", "OK 1234th"},
      {1234, "#,##0;o", "OK 1,234th"},
      {1234, "٠", "OK ١٢٣٤"},
      {1234, "٠٠٠", "OK ١٢٣٤"},
      {1234, "０", "OK １２３４"},
      {1234, "١,٢٣٤", "OK ١,٢٣٤"},
      {1234567, "0", "OK 1234567"},
      {1234567, "000", "OK 1234567"},
      {1234567, "#",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {1234567, "#,##0", "OK 1,234,567"},
      {1234567, "#,###",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#,###\" is not "
       "supported by this implementation"},
      {1234567, "0,000", "OK 1,234,567"},
      {1234567, "#,##,##0", "OK 12,34,567"},
      {1234567, "0 0", "OK 1 2 3 4 5 6 7"},
      {1234567, "00-00-00", "OK 1-23-45-67"},
      {1234567, "0,", "OK 1234567,"},
      {1234567, "0;o", "OK 1234567th"},
      {1234567, "#,##0;o", "OK 1,234,567th"},
      {1234567, "٠", "OK ١٢٣٤٥٦٧"},
      {1234567, "٠٠٠", "OK ١٢٣٤٥٦٧"},
      {1234567, "０", "OK １２３４５６７"},
      {1234567, "١,٢٣٤", "OK ١,٢٣٤,٥٦٧"},
      {-1234, "0", "OK -1234"},
      {-1234, "000", "OK -1234"},
      {-1234, "#",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {-1234, "#,##0", "OK -1,234"},
      {-1234, "#,###",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#,###\" is not "
       "supported by this implementation"},
      {-1234, "0,000", "OK -1,234"},
      {-1234, "#,##,##0", "OK -,4"},
      {-1234, "0 0", "OK -1 2 3 4"},
      {-1234, "00-00-00", "OK -00-12-34"},
      {-1234, "0,", "OK -1234,"},
      {-1234, "0;o", "OK -1234th"},
      {-1234, "#,##0;o", "OK -1,234th"},
      {-1234, "٠", "OK -١٢٣٤"},
      {-1234, "٠٠٠", "OK -١٢٣٤"},
      {-1234, "０", "OK -１２３４"},
      {-1234, "١,٢٣٤", "OK -١,٢٣٤"},
      {1.9, "0", "OK 1"},
      {1.9, "000", "OK 001"},
      {1.9, "#",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {1.9, "#,##0", "OK 1"},
      {1.9, "#,###",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#,###\" is not "
       "supported by this implementation"},
      {1.9, "0,000", "OK 0,001"},
      {1.9, "#,##,##0", "OK ,1"},
      {1.9, "0 0", "OK 0 1"},
      {1.9, "00-00-00", "OK 00-00-01"},
      {1.9, "0,", "OK 1,"},
      {1.9, "0;o", "OK 1st"},
      {1.9, "#,##0;o", "OK 1st"},
      {1.9, "٠", "OK ١"},
      {1.9, "٠٠٠", "OK ٠٠١"},
      {1.9, "０", "OK １"},
      {1.9, "١,٢٣٤", "OK ٠,٠٠١"},
      {-1.9, "0", "OK -2"},
      {-1.9, "000", "OK -002"},
      {-1.9, "#",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {-1.9, "#,##0", "OK -2"},
      {-1.9, "#,###",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#,###\" is not "
       "supported by this implementation"},
      {-1.9, "0,000", "OK -0,002"},
      {-1.9, "#,##,##0", "OK -,2"},
      {-1.9, "0 0", "OK -0 2"},
      {-1.9, "00-00-00", "OK -00-00-02"},
      {-1.9, "0,", "OK -2,"},
      {-1.9, "0;o", "OK -2nd"},
      {-1.9, "#,##0;o", "OK -2nd"},
      {-1.9, "٠", "OK -٢"},
      {-1.9, "٠٠٠", "OK -٠٠٢"},
      {-1.9, "０", "OK -２"},
      {-1.9, "١,٢٣٤", "OK -٠,٠٠٢"},
      {-0.5, "0", "OK -1"},
      {-0.5, "000", "OK -001"},
      {-0.5, "#",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {-0.5, "#,##0", "OK -1"},
      {-0.5, "#,###",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#,###\" is not "
       "supported by this implementation"},
      {-0.5, "0,000", "OK -0,001"},
      {-0.5, "#,##,##0", "OK -,1"},
      {-0.5, "0 0", "OK -0 1"},
      {-0.5, "00-00-00", "OK -00-00-01"},
      {-0.5, "0,", "OK -1,"},
      {-0.5, "0;o", "OK -1st"},
      {-0.5, "#,##0;o", "OK -1st"},
      {-0.5, "٠", "OK -١"},
      {-0.5, "٠٠٠", "OK -٠٠١"},
      {-0.5, "０", "OK -１"},
      {-0.5, "١,٢٣٤", "OK -٠,٠٠١"},
  });
}

TEST(FormatIntegerTest, Ordinals) {
  check(std::vector<IntegerCase>{
      {0, "0;o", "OK 0th"},
      {1, "0;o", "OK 1st"},
      {2, "0;o", "OK 2nd"},
      {3, "0;o", "OK 3rd"},
      {4, "0;o", "OK 4th"},
      {11, "0;o", "OK 11th"},
      {12, "0;o", "OK 12th"},
      {13, "0;o", "OK 13th"},
      {14, "0;o", "OK 14th"},
      {21, "0;o", "OK 21st"},
      {22, "0;o", "OK 22nd"},
      {23, "0;o", "OK 23rd"},
      {101, "0;o", "OK 101st"},
      {111, "0;o", "OK 111th"},
      {112, "0;o", "OK 112th"},
      {113, "0;o", "OK 113th"},
      {1001, "0;o", "OK 1001st"},
      {1011, "0;o", "OK 1011th"},
  });
}

TEST(FormatIntegerTest, Words) {
  check(std::vector<IntegerCase>{
      {0, "w", "OK zero"},
      {0, "W", "OK ZERO"},
      {0, "Ww", "OK Zero"},
      {0, "w;o", "OK zeroth"},
      {1, "w", "OK one"},
      {1, "W", "OK ONE"},
      {1, "Ww", "OK One"},
      {1, "w;o", "OK first"},
      {13, "w", "OK thirteen"},
      {13, "W", "OK THIRTEEN"},
      {13, "Ww", "OK Thirteen"},
      {13, "w;o", "OK thirteenth"},
      {20, "w", "OK twenty"},
      {20, "W", "OK TWENTY"},
      {20, "Ww", "OK Twenty"},
      {20, "w;o", "OK twentieth"},
      {21, "w", "OK twenty-one"},
      {21, "W", "OK TWENTY-ONE"},
      {21, "Ww", "OK Twenty-One"},
      {21, "w;o", "OK twenty-first"},
      {99, "w", "OK ninety-nine"},
      {99, "W", "OK NINETY-NINE"},
      {99, "Ww", "OK Ninety-Nine"},
      {99, "w;o", "OK ninety-ninth"},
      {100, "w", "OK one hundred"},
      {100, "W", "OK ONE HUNDRED"},
      {100, "Ww", "OK One Hundred"},
      {100, "w;o", "OK one hundredth"},
      {101, "w", "OK one hundred and one"},
      {101, "W", "OK ONE HUNDRED AND ONE"},
      {101, "Ww", "OK One Hundred and One"},
      {101, "w;o", "OK one hundred and first"},
      {110, "w", "OK one hundred and ten"},
      {110, "W", "OK ONE HUNDRED AND TEN"},
      {110, "Ww", "OK One Hundred and Ten"},
      {110, "w;o", "OK one hundred and tenth"},
      {111, "w", "OK one hundred and eleven"},
      {111, "W", "OK ONE HUNDRED AND ELEVEN"},
      {111, "Ww", "OK One Hundred and Eleven"},
      {111, "w;o", "OK one hundred and eleventh"},
      {1000, "w", "OK one thousand"},
      {1000, "W", "OK ONE THOUSAND"},
      {1000, "Ww", "OK One Thousand"},
      {1000, "w;o", "OK one thousandth"},
      {1001, "w", "OK one thousand and one"},
      {1001, "W", "OK ONE THOUSAND AND ONE"},
      {1001, "Ww", "OK One Thousand and One"},
      {1001, "w;o", "OK one thousand and first"},
      {1010, "w", "OK one thousand and ten"},
      {1010, "W", "OK ONE THOUSAND AND TEN"},
      {1010, "Ww", "OK One Thousand and Ten"},
      {1010, "w;o", "OK one thousand and tenth"},
      {1100, "w", "OK one thousand, one hundred"},
      {1100, "W", "OK ONE THOUSAND, ONE HUNDRED"},
      {1100, "Ww", "OK One Thousand, One Hundred"},
      {1100, "w;o", "OK one thousand, one hundredth"},
      {1999, "w", "OK one thousand, nine hundred and ninety-nine"},
      {1999, "W", "OK ONE THOUSAND, NINE HUNDRED AND NINETY-NINE"},
      {1999, "Ww", "OK One Thousand, Nine Hundred and Ninety-Nine"},
      {1999, "w;o", "OK one thousand, nine hundred and ninety-ninth"},
      {2018, "w", "OK two thousand and eighteen"},
      {2018, "W", "OK TWO THOUSAND AND EIGHTEEN"},
      {2018, "Ww", "OK Two Thousand and Eighteen"},
      {2018, "w;o", "OK two thousand and eighteenth"},
      {10000, "w", "OK ten thousand"},
      {10000, "W", "OK TEN THOUSAND"},
      {10000, "Ww", "OK Ten Thousand"},
      {10000, "w;o", "OK ten thousandth"},
      {100000, "w", "OK one hundred thousand"},
      {100000, "W", "OK ONE HUNDRED THOUSAND"},
      {100000, "Ww", "OK One Hundred Thousand"},
      {100000, "w;o", "OK one hundred thousandth"},
      {1000000, "w", "OK one million"},
      {1000000, "W", "OK ONE MILLION"},
      {1000000, "Ww", "OK One Million"},
      {1000000, "w;o", "OK one millionth"},
      {1000001, "w", "OK one million and one"},
      {1000001, "W", "OK ONE MILLION AND ONE"},
      {1000001, "Ww", "OK One Million and One"},
      {1000001, "w;o", "OK one million and first"},
      {1234567, "w",
       "OK one million, two hundred and thirty-four thousand, five hundred and sixty-seven"},
      {1234567, "W",
       "OK ONE MILLION, TWO HUNDRED AND THIRTY-FOUR THOUSAND, FIVE HUNDRED AND SIXTY-SEVEN"},
      {1234567, "Ww",
       "OK One Million, Two Hundred and Thirty-Four Thousand, Five Hundred and Sixty-Seven"},
      {1234567, "w;o",
       "OK one million, two hundred and thirty-four thousand, five hundred and sixty-seventh"},
      {1000000000.0, "w", "OK one billion"},
      {1000000000.0, "W", "OK ONE BILLION"},
      {1000000000.0, "Ww", "OK One Billion"},
      {1000000000.0, "w;o", "OK one billionth"},
      {1000000000000.0, "w", "OK one trillion"},
      {1000000000000.0, "W", "OK ONE TRILLION"},
      {1000000000000.0, "Ww", "OK One Trillion"},
      {1000000000000.0, "w;o", "OK one trillionth"},
      {1000000000001.0, "w", "OK one trillion and one"},
      {1000000000001.0, "W", "OK ONE TRILLION AND ONE"},
      {1000000000001.0, "Ww", "OK One Trillion and One"},
      {1000000000001.0, "w;o", "OK one trillion and first"},
      {1000000000000000.0, "w", "OK one thousand trillion"},
      {1000000000000000.0, "W", "OK ONE THOUSAND TRILLION"},
      {1000000000000000.0, "Ww", "OK One Thousand Trillion"},
      {1000000000000000.0, "w;o", "OK one thousand trillionth"},
      {1e+21, "w", "OK one billion trillion"},
      {1e+21, "W", "OK ONE BILLION TRILLION"},
      {1e+21, "Ww", "OK One Billion Trillion"},
      {1e+21, "w;o", "OK one billion trillionth"},
      {-5, "w", "OK -five"},
      {-5, "W", "OK -FIVE"},
      {-5, "Ww", "OK -Five"},
      {-5, "w;o", "OK -fifth"},
  });
}

TEST(FormatIntegerTest, RomanAndLetters) {
  check(std::vector<IntegerCase>{
      {0, "i", "OK "},
      {0, "I", "OK "},
      {0, "a", "OK "},
      {0, "A", "OK "},
      {1, "i", "OK i"},
      {1, "I", "OK I"},
      {1, "a", "OK a"},
      {1, "A", "OK A"},
      {4, "i", "OK iv"},
      {4, "I", "OK IV"},
      {4, "a", "OK d"},
      {4, "A", "OK D"},
      {9, "i", "OK ix"},
      {9, "I", "OK IX"},
      {9, "a", "OK i"},
      {9, "A", "OK I"},
      {14, "i", "OK xiv"},
      {14, "I", "OK XIV"},
      {14, "a", "OK n"},
      {14, "A", "OK N"},
      {40, "i", "OK xl"},
      {40, "I", "OK XL"},
      {40, "a", "OK an"},
      {40, "A", "OK AN"},
      {90, "i", "OK xc"},
      {90, "I", "OK XC"},
      {90, "a", "OK cl"},
      {90, "A", "OK CL"},
      {400, "i", "OK cd"},
      {400, "I", "OK CD"},
      {400, "a", "OK oj"},
      {400, "A", "OK OJ"},
      {1999, "i", "OK mcmxcix"},
      {1999, "I", "OK MCMXCIX"},
      {1999, "a", "OK bxw"},
      {1999, "A", "OK BXW"},
      {2018, "i", "OK mmxviii"},
      {2018, "I", "OK MMXVIII"},
      {2018, "a", "OK byp"},
      {2018, "A", "OK BYP"},
      {3999, "i", "OK mmmcmxcix"},
      {3999, "I", "OK MMMCMXCIX"},
      {3999, "a", "OK ewu"},
      {3999, "A", "OK EWU"},
      {4999, "i", "OK mmmmcmxcix"},
      {4999, "I", "OK MMMMCMXCIX"},
      {4999, "a", "OK gjg"},
      {4999, "A", "OK GJG"},
      {1, "i", "OK i"},
      {1, "I", "OK I"},
      {1, "a", "OK a"},
      {1, "A", "OK A"},
      {25, "i", "OK xxv"},
      {25, "I", "OK XXV"},
      {25, "a", "OK y"},
      {25, "A", "OK Y"},
      {26, "i", "OK xxvi"},
      {26, "I", "OK XXVI"},
      {26, "a", "OK z"},
      {26, "A", "OK Z"},
      {27, "i", "OK xxvii"},
      {27, "I", "OK XXVII"},
      {27, "a", "OK aa"},
      {27, "A", "OK AA"},
      {52, "i", "OK lii"},
      {52, "I", "OK LII"},
      {52, "a", "OK az"},
      {52, "A", "OK AZ"},
      {53, "i", "OK liii"},
      {53, "I", "OK LIII"},
      {53, "a", "OK ba"},
      {53, "A", "OK BA"},
      {676, "i", "OK dclxxvi"},
      {676, "I", "OK DCLXXVI"},
      {676, "a", "OK yz"},
      {676, "A", "OK YZ"},
      {677, "i", "OK dclxxvii"},
      {677, "I", "OK DCLXXVII"},
      {677, "a", "OK za"},
      {677, "A", "OK ZA"},
      {702, "i", "OK dccii"},
      {702, "I", "OK DCCII"},
      {702, "a", "OK zz"},
      {702, "A", "OK ZZ"},
      {703, "i", "OK dcciii"},
      {703, "I", "OK DCCIII"},
      {703, "a", "OK aaa"},
      {703, "A", "OK AAA"},
      {18278, "i", "OK mmmmmmmmmmmmmmmmmmcclxxviii"},
      {18278, "I", "OK MMMMMMMMMMMMMMMMMMCCLXXVIII"},
      {18278, "a", "OK zzz"},
      {18278, "A", "OK ZZZ"},
      {-7, "i", "OK -vii"},
      {-7, "I", "OK -VII"},
      {-7, "a", "OK -g"},
      {-7, "A", "OK -G"},
  });
}

TEST(FormatIntegerTest, Large) {
  check(std::vector<IntegerCase>{
      {1000000000000000.0, "#,##0", "OK 1,000,000,000,000,000"},
      {9007199254740992LL, "#,##0", "OK 9,007,199,254,740,992"},
      {1e+21, "#,##0", "OK 1e,+21"},
      {1e+22, "#,##0", "OK 1e,+22"},
      {kNaN, "#,##0", "OK NaN"},
      {kInf, "#,##0", "OK In,fin,ity"},
      {1e+300, "A",
       "OK "
       "AAOCHTVVTRODMMKOKCKQGMSOGYOQAYEUKKOKMICAWOYIOYMIYSMEKCYIEQQAQSKMIOWKCCKIQOYQQKCOSOSMGGQKCMS"
       "OSQYSYAAGKOMECIEOSOIGWUEAQUSYQGYKKEOMUWWIKAWAOCQEEOOYYYCSAMIWIAGUWSSUIQEIMIUGGUKKCUWKYCWIWC"
       "QEEMQMAUMWAMCCMEWAMYSGIQKIGQSOG"},
  });
}

TEST(FormatIntegerTest, Errors) {
  check(std::vector<IntegerCase>{
      {1, "#",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {1, "x",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"x\" is not "
       "supported by this implementation"},
      {1, "X",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"X\" is not "
       "supported by this implementation"},
      {1, "o",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"o\" is not "
       "supported by this implementation"},
      {1, ";o",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"\" is not "
       "supported by this implementation"},
      {1, "",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"\" is not "
       "supported by this implementation"},
      {1, "0١",
       "ERR D3131: In a decimal digit pattern, all digits must be from the same decimal group"},
      {1, "a;b", "OK a"},
      {1, "#.##0", "OK 1"},
      // The reference recurses once per numeral and overflows V8's stack at about 10,000 of them
      // (the exact limit depends on the stack in use; node's main thread is assumed here).
      {20000000, "I", "ERR : Maximum call stack size exceeded"},
      {kInf, "w", "ERR : Maximum call stack size exceeded"},
      {kNaN, "w", "ERR : Maximum call stack size exceeded"},
      {kInf, "A", "ERR U1001: Expression evaluation timeout: Check for infinite loop"},
  });
}

TEST(FormatParseIntegerTest, DocumentedExamples) {
  check(std::vector<ParseCase>{
      {"twelve thousand, four hundred and seventy-six", "w", "OK 12476"},
      {"12,345,678", "#,##0", "OK 12345678"},
      {"12", "#0", "OK 12"},
      {"MCMXCIX", "I", "OK 1999"},
      {"mmxviii", "i", "OK 2018"},
      {"twenty-first", "w;o", "OK 21"},
      {"12th", "0;o", "OK 12"},
  });
}

TEST(FormatParseIntegerTest, Words) {
  check(std::vector<ParseCase>{
      {"one", "w", "OK 1"},
      {"twelve", "w", "OK 12"},
      {"twenty-one", "w", "OK 21"},
      {"one hundred and one", "w", "OK 101"},
      {"One Million", "w", "OK 1000000"},
      {"ONE", "w", "OK 1"},
      {"first", "w", "OK 1"},
      {"hundredth", "w", "OK 0"},
      {"one thousandth", "w", "OK 1000"},
      {"three trillion", "w", "OK 3000000000000"},
      {"zero", "w", "OK 0"},
      {"nineteen hundred", "w", "OK 1900"},
      {"one billion trillion", "w", "OK 1e+21"},
      {"fifty-five thousand, five hundred and fifty-five", "w", "OK 55555"},
      {"one\\two", "w", "OK 3"},
      {"", "w", "OK NaN"},
      {"two  three", "w", "OK NaN"},
      {"twelve ", "w", "OK NaN"},
      {"foo", "w", "OK NaN"},
      {"eleven, twelve", "w", "OK 23"},
      {"twenty two", "w", "OK 22"},
  });
}

TEST(FormatParseIntegerTest, Roman) {
  check(std::vector<ParseCase>{
      {"iv", "i", "OK 4"},         {"iv", "I", "OK NaN"},      {"ix", "i", "OK 9"},
      {"ix", "I", "OK NaN"},       {"xiv", "i", "OK 14"},      {"xiv", "I", "OK NaN"},
      {"mcmxcix", "i", "OK 1999"}, {"mcmxcix", "I", "OK NaN"}, {"MMXVIII", "i", "OK 2018"},
      {"MMXVIII", "I", "OK 2018"}, {"", "i", "OK 0"},          {"", "I", "OK 0"},
      {"MMMM", "i", "OK 4000"},    {"MMMM", "I", "OK 4000"},   {"IIII", "i", "OK 4"},
      {"IIII", "I", "OK 4"},       {"IC", "i", "OK 99"},       {"IC", "I", "OK 99"},
      {"abc", "i", "OK NaN"},      {"abc", "I", "OK NaN"},     {"ı", "i", "OK 1"},
      {"ı", "I", "OK NaN"},
  });
}

TEST(FormatParseIntegerTest, Letters) {
  check(std::vector<ParseCase>{
      {"a", "a", "OK 1"},    {"a", "A", "OK 33"},    {"z", "a", "OK 26"},
      {"z", "A", "OK 58"},   {"aa", "a", "OK 27"},   {"aa", "A", "OK 891"},
      {"az", "a", "OK 52"},  {"az", "A", "OK 916"},  {"ba", "a", "OK 53"},
      {"ba", "A", "OK 917"}, {"zz", "a", "OK 702"},  {"zz", "A", "OK 1566"},
      {"A", "a", "OK -31"},  {"A", "A", "OK 1"},     {"AA", "a", "OK -837"},
      {"AA", "A", "OK 27"},  {"abc", "a", "OK 731"}, {"abc", "A", "OK 23227"},
      {"", "a", "OK 0"},     {"", "A", "OK 0"},      {"1", "a", "OK -47"},
      {"1", "A", "OK -15"},  {"é", "a", "OK 137"},   {"é", "A", "OK 169"},
  });
}

TEST(FormatParseIntegerTest, Decimal) {
  check(std::vector<ParseCase>{
      {"0", "0", "OK 0"},
      {"0", "#,##0", "OK 0"},
      {"0", "# ##0", "OK 0"},
      {"0", "0;o", "OK NaN"},
      {"0", "٠", "ERR : Invalid code point -1536"},
      {"0", "#,##,##0", "OK 0"},
      {"123", "0", "OK 123"},
      {"123", "#,##0", "OK 123"},
      {"123", "# ##0", "OK 123"},
      {"123", "0;o", "OK 1"},
      {"123", "٠", "ERR : Invalid code point -1535"},
      {"123", "#,##,##0", "OK 123"},
      {"1,234,567", "0", "OK 1"},
      {"1,234,567", "#,##0", "OK 1234567"},
      {"1,234,567", "# ##0", "OK 1234567"},
      {"1,234,567", "0;o", "OK 1"},
      {"1,234,567", "٠", "ERR : Invalid code point -1535"},
      {"1,234,567", "#,##,##0", "OK 1234567"},
      {"0012", "0", "OK 12"},
      {"0012", "#,##0", "OK 12"},
      {"0012", "# ##0", "OK 12"},
      {"0012", "0;o", "OK 0"},
      {"0012", "٠", "ERR : Invalid code point -1536"},
      {"0012", "#,##,##0", "OK 12"},
      {"-12", "0", "OK -12"},
      {"-12", "#,##0", "OK -12"},
      {"-12", "# ##0", "OK -12"},
      {"-12", "0;o", "OK NaN"},
      {"-12", "٠", "ERR : Invalid code point -1539"},
      {"-12", "#,##,##0", "OK -12"},
      {"+12", "0", "OK 12"},
      {"+12", "#,##0", "OK 12"},
      {"+12", "# ##0", "OK 12"},
      {"+12", "0;o", "OK NaN"},
      {"+12", "٠", "ERR : Invalid code point -1541"},
      {"+12", "#,##,##0", "OK 12"},
      {"  12", "0", "OK 12"},
      {"  12", "#,##0", "OK 12"},
      {"  12", "# ##0", "OK 12"},
      {"  12", "0;o", "OK NaN"},
      {"  12", "٠", "ERR : Invalid code point -1552"},
      {"  12", "#,##,##0", "OK 12"},
      {"12abc", "0", "OK 12"},
      {"12abc", "#,##0", "OK 12"},
      {"12abc", "# ##0", "OK 12"},
      {"12abc", "0;o", "OK 12"},
      {"12abc", "٠", "ERR : Invalid code point -1535"},
      {"12abc", "#,##,##0", "OK 12"},
      {"abc", "0", "OK NaN"},
      {"abc", "#,##0", "OK NaN"},
      {"abc", "# ##0", "OK NaN"},
      {"abc", "0;o", "OK NaN"},
      {"abc", "٠", "ERR : Invalid code point -1487"},
      {"abc", "#,##,##0", "OK NaN"},
      {"", "0", "OK NaN"},
      {"", "#,##0", "OK NaN"},
      {"", "# ##0", "OK NaN"},
      {"", "0;o", "OK NaN"},
      {"", "٠", "OK NaN"},
      {"", "#,##,##0", "OK NaN"},
      {"0x1A", "0", "OK 26"},
      {"0x1A", "#,##0", "OK 26"},
      {"0x1A", "# ##0", "OK 26"},
      {"0x1A", "0;o", "OK NaN"},
      {"0x1A", "٠", "ERR : Invalid code point -1536"},
      {"0x1A", "#,##,##0", "OK 26"},
      {"1.5", "0", "OK 1"},
      {"1.5", "#,##0", "OK 1"},
      {"1.5", "# ##0", "OK 1"},
      {"1.5", "0;o", "OK 1"},
      {"1.5", "٠", "ERR : Invalid code point -1535"},
      {"1.5", "#,##,##0", "OK 1"},
      {"1e3", "0", "OK 1"},
      {"1e3", "#,##0", "OK 1"},
      {"1e3", "# ##0", "OK 1"},
      {"1e3", "0;o", "OK 1"},
      {"1e3", "٠", "ERR : Invalid code point -1535"},
      {"1e3", "#,##,##0", "OK 1"},
      {"١٢٣", "0", "OK NaN"},
      {"١٢٣", "#,##0", "OK NaN"},
      {"١٢٣", "# ##0", "OK NaN"},
      {"١٢٣", "0;o", "OK NaN"},
      {"١٢٣", "٠", "OK 123"},
      {"١٢٣", "#,##,##0", "OK NaN"},
      {"1 234", "0", "OK 1"},
      {"1 234", "#,##0", "OK 1"},
      {"1 234", "# ##0", "OK 1"},
      {"1 234", "0;o", "OK 1"},
      {"1 234", "٠", "ERR : Invalid code point -1535"},
      {"1 234", "#,##,##0", "OK 1"},
      {"99999999999999999999", "0", "OK 100000000000000000000"},
      {"99999999999999999999", "#,##0", "OK 100000000000000000000"},
      {"99999999999999999999", "# ##0", "OK 100000000000000000000"},
      {"99999999999999999999", "0;o", "OK 1000000000000000000"},
      {"99999999999999999999", "٠", "ERR : Invalid code point -1527"},
      {"99999999999999999999", "#,##,##0", "OK 100000000000000000000"},
      {"12,34,567", "0", "OK 12"},
      {"12,34,567", "#,##0", "OK 1234567"},
      {"12,34,567", "# ##0", "OK 1234567"},
      {"12,34,567", "0;o", "OK 12"},
      {"12,34,567", "٠", "ERR : Invalid code point -1535"},
      {"12,34,567", "#,##,##0", "OK 1234567"},
      {"22nd", "0", "OK 22"},
      {"22nd", "#,##0", "OK 22"},
      {"22nd", "# ##0", "OK 22"},
      {"22nd", "0;o", "OK 22"},
      {"22nd", "٠", "ERR : Invalid code point -1534"},
      {"22nd", "#,##,##0", "OK 22"},
  });
}

TEST(FormatParseIntegerTest, Errors) {
  check(std::vector<ParseCase>{
      {"1", "#",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"#\" is not "
       "supported by this implementation"},
      {"1", "x",
       "ERR D3130: Formatting or parsing an integer as a sequence starting with \"x\" is not "
       "supported by this implementation"},
      {"1", "0١",
       "ERR D3131: In a decimal digit pattern, all digits must be from the same decimal group"},
      {"12", "٠٠", "ERR : Invalid code point -1535"},
  });
}

TEST(FormatBaseTest, DocumentedExamples) {
  check(std::vector<BaseCase>{
      {100, 2, "OK 1100100"},
      {2555, 16, "OK 9fb"},
      {255, kNone, "OK 255"},
      {-255, 16, "OK -ff"},
  });
}

TEST(FormatBaseTest, Values) {
  check(std::vector<BaseCase>{
      {0, kNone, "OK 0"},
      {0, 2, "OK 0"},
      {0, 8, "OK 0"},
      {0, 16, "OK 0"},
      {0, 36, "OK 0"},
      {0, 7, "OK 0"},
      {1, kNone, "OK 1"},
      {1, 2, "OK 1"},
      {1, 8, "OK 1"},
      {1, 16, "OK 1"},
      {1, 36, "OK 1"},
      {1, 7, "OK 1"},
      {-1, kNone, "OK -1"},
      {-1, 2, "OK -1"},
      {-1, 8, "OK -1"},
      {-1, 16, "OK -1"},
      {-1, 36, "OK -1"},
      {-1, 7, "OK -1"},
      {255, kNone, "OK 255"},
      {255, 2, "OK 11111111"},
      {255, 8, "OK 377"},
      {255, 16, "OK ff"},
      {255, 36, "OK 73"},
      {255, 7, "OK 513"},
      {2.5, kNone, "OK 2"},
      {2.5, 2, "OK 10"},
      {2.5, 8, "OK 2"},
      {2.5, 16, "OK 2"},
      {2.5, 36, "OK 2"},
      {2.5, 7, "OK 2"},
      {3.5, kNone, "OK 4"},
      {3.5, 2, "OK 100"},
      {3.5, 8, "OK 4"},
      {3.5, 16, "OK 4"},
      {3.5, 36, "OK 4"},
      {3.5, 7, "OK 4"},
      {-2.5, kNone, "OK -2"},
      {-2.5, 2, "OK -10"},
      {-2.5, 8, "OK -2"},
      {-2.5, 16, "OK -2"},
      {-2.5, 36, "OK -2"},
      {-2.5, 7, "OK -2"},
      {0.5, kNone, "OK 0"},
      {0.5, 2, "OK 0"},
      {0.5, 8, "OK 0"},
      {0.5, 16, "OK 0"},
      {0.5, 36, "OK 0"},
      {0.5, 7, "OK 0"},
      {1e+21, kNone, "OK 1e+21"},
      {1e+21, 2, "OK 1101100011010111001001101011011100010111011110101000000000000000000000"},
      {1e+21, 8, "OK 154327115334273650000000"},
      {1e+21, 16, "OK 3635c9adc5dea00000"},
      {1e+21, 36, "OK 5v1j4f4ds7c000"},
      {1e+21, 7, "OK 5135235413265003022600000"},
      {9007199254740992LL, kNone, "OK 9007199254740992"},
      {9007199254740992LL, 2, "OK 100000000000000000000000000000000000000000000000000000"},
      {9007199254740992LL, 8, "OK 400000000000000000"},
      {9007199254740992LL, 16, "OK 20000000000000"},
      {9007199254740992LL, 36, "OK 2gosa7pa2gw"},
      {9007199254740992LL, 7, "OK 5350140446150306054"},
      {9007199254740994.0, kNone, "OK 9007199254740994"},
      {9007199254740994.0, 2, "OK 100000000000000000000000000000000000000000000000000010"},
      {9007199254740994.0, 8, "OK 400000000000000002"},
      {9007199254740994.0, 16, "OK 20000000000002"},
      {9007199254740994.0, 36, "OK 2gosa7pa2gy"},
      {9007199254740994.0, 7, "OK 5350140446150306056"},
      {123456789, kNone, "OK 123456789"},
      {123456789, 2, "OK 111010110111100110100010101"},
      {123456789, 8, "OK 726746425"},
      {123456789, 16, "OK 75bcd15"},
      {123456789, 36, "OK 21i3v9"},
      {123456789, 7, "OK 3026236221"},
      {1e+300, kNone, "OK 1e+300"},
      {1e+300, 2,
       "OK "
       "1011111100100001111001000100000000000011101011001110000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
      {1e+300, 8,
       "OK "
       "1374417104000353160000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "000000000000000000000000000000000000000000000000000000000000"},
      {1e+300, 16,
       "OK "
       "17e43c8800759c00000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "00000000000000000000000000000000000000000000000000000000000000000000"},
      {1e+300, 36,
       "OK "
       "fhgyjdfcg7s00000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "00000000000"},
      {1e+300, 7,
       "OK "
       "6562255533065302131000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000000000000000000000000000000000000000000000000000000000000000000000000000"},
      {-1e+21, kNone, "OK -1e+21"},
      {-1e+21, 2, "OK -1101100011010111001001101011011100010111011110101000000000000000000000"},
      {-1e+21, 8, "OK -154327115334273650000000"},
      {-1e+21, 16, "OK -3635c9adc5dea00000"},
      {-1e+21, 36, "OK -5v1j4f4ds7c000"},
      {-1e+21, 7, "OK -5135235413265003022600000"},
      {kNaN, kNone, "OK NaN"},
      {kNaN, 2, "OK NaN"},
      {kNaN, 8, "OK NaN"},
      {kNaN, 16, "OK NaN"},
      {kNaN, 36, "OK NaN"},
      {kNaN, 7, "OK NaN"},
      {kInf, kNone, "OK Infinity"},
      {kInf, 2, "OK Infinity"},
      {kInf, 8, "OK Infinity"},
      {kInf, 16, "OK Infinity"},
      {kInf, 36, "OK Infinity"},
      {kInf, 7, "OK Infinity"},
      {4294967295LL, kNone, "OK 4294967295"},
      {4294967295LL, 2, "OK 11111111111111111111111111111111"},
      {4294967295LL, 8, "OK 37777777777"},
      {4294967295LL, 16, "OK ffffffff"},
      {4294967295LL, 36, "OK 1z141z3"},
      {4294967295LL, 7, "OK 211301422353"},
  });
}

TEST(FormatBaseTest, RadixRounding) {
  check(std::vector<BaseCase>{
      {255, 1.5, "OK 11111111"},
      {255, 2.5, "OK 11111111"},
      {255, 36.5, "OK 73"},
      {255, 16.7, "OK f0"},
      {255, 2.4999, "OK 11111111"},
  });
}

TEST(FormatBaseTest, Errors) {
  check(std::vector<BaseCase>{
      {255, 1,
       "ERR D3100: The radix of the formatBase function must be between 2 and 36.  It was given 1"},
      {255, 0,
       "ERR D3100: The radix of the formatBase function must be between 2 and 36.  It was given 0"},
      {255, -1,
       "ERR D3100: The radix of the formatBase function must be between 2 and 36.  It was given "
       "-1"},
      {255, 37,
       "ERR D3100: The radix of the formatBase function must be between 2 and 36.  It was given "
       "37"},
      {255, 37.4,
       "ERR D3100: The radix of the formatBase function must be between 2 and 36.  It was given "
       "37"},
      {255, 100,
       "ERR D3100: The radix of the formatBase function must be between 2 and 36.  It was given "
       "100"},
      {255, kNaN, "ERR : toString() radix argument must be between 2 and 36"},
      {255, kInf,
       "ERR D3100: The radix of the formatBase function must be between 2 and 36.  It was given "
       "null"},
  });
}

}  // namespace
}  // namespace sluice::engine::jsonata::format
