// Tests of the SVG chart of `lrsched preview --plot`: tick choice, XML escaping, and the
// structure of the document, checked by parsing it rather than against a stored file.
#include "client/cli/svg_plot.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "tests/client/svg_parsing.h"

namespace lrsched::cli {
namespace {

using ::lrsched::testing::CountOccurrences;
using ::lrsched::testing::ElementsWithClass;
using ::lrsched::testing::PolylinePoints;

TEST(ChooseTicks, RoundValuesCoverRange) {
  const AxisTicks ticks = ChooseTicks(0, 0.1, 6, false, false);
  EXPECT_EQ(ticks.labels, (std::vector<std::string>{"0", "0.02", "0.04", "0.06", "0.08", "0.1"}));
  ASSERT_EQ(ticks.values.size(), 6u);
  EXPECT_EQ(ticks.values[3], 0.06);
  EXPECT_EQ(ticks.min, 0);
  EXPECT_EQ(ticks.max, 0.1);
}

TEST(ChooseTicks, ExtendsToNextRoundValue) {
  const AxisTicks ticks = ChooseTicks(0, 0.0873, 6, false, false);
  EXPECT_EQ(ticks.labels.front(), "0");
  EXPECT_EQ(ticks.labels.back(), "0.1");
  EXPECT_GE(ticks.max, 0.0873);
}

TEST(ChooseTicks, IntegerSpacingForPositions) {
  const AxisTicks few = ChooseTicks(0, 4, 6, true, false);
  EXPECT_EQ(few.labels, (std::vector<std::string>{"0", "1", "2", "3", "4"}));

  const AxisTicks many = ChooseTicks(0, 999, 6, true, false);
  EXPECT_EQ(many.labels,
            (std::vector<std::string>{"0", "200", "400", "600", "800", "1000"}));
}

TEST(ChooseTicks, ExactRangeKeepsEnds) {
  const AxisTicks ticks = ChooseTicks(0, 1099, 6, true, true);
  EXPECT_EQ(ticks.labels,
            (std::vector<std::string>{"0", "200", "400", "600", "800", "1000"}));
  EXPECT_EQ(ticks.min, 0);
  EXPECT_EQ(ticks.max, 1099);
}

TEST(ChooseTicks, EmptyRangeIsWidened) {
  const AxisTicks zero = ChooseTicks(0, 0, 6, true, false);
  EXPECT_EQ(zero.labels, (std::vector<std::string>{"0", "1"}));

  const AxisTicks constant = ChooseTicks(0.1, 0.1, 6, false, false);
  EXPECT_LT(constant.min, 0.1);
  EXPECT_GT(constant.max, 0.1);
}

TEST(ChooseTicks, TinyAndHugeValuesUseScientificLabels) {
  const AxisTicks tiny = ChooseTicks(0, 5e-7, 6, false, false);
  EXPECT_EQ(tiny.labels[1], "1e-7");
  EXPECT_EQ(tiny.labels.back(), "5e-7");

  const AxisTicks small = ChooseTicks(0, 5e-5, 6, false, false);
  EXPECT_EQ(small.labels[1], "0.00001");

  const AxisTicks huge = ChooseTicks(0, 3e9, 4, false, false);
  EXPECT_EQ(huge.labels.back(), "3e9");
}

TEST(EscapeXml, ReplacesSpecialCharacters) {
  EXPECT_EQ(EscapeXml(R"(a<b>&"c"'d')"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
  EXPECT_EQ(EscapeXml("step_lr"), "step_lr");
}

TEST(PlotRatesAsSvg, WellFormedWithOnePointPerRate) {
  const std::vector<double> rates = {0.1, 0.1, 0.05, 0.05, 0.025};
  const auto svg = PlotRatesAsSvg("step_lr <demo>", "step", rates);
  ASSERT_TRUE(svg.ok()) << svg.status();

  EXPECT_EQ(svg->rfind("<?xml", 0), 0u);
  EXPECT_EQ(CountOccurrences(*svg, "<svg "), 1);
  EXPECT_EQ(CountOccurrences(*svg, "</svg>"), 1);
  EXPECT_LT(svg->find("<svg "), svg->find("</svg>"));
  EXPECT_EQ(CountOccurrences(*svg, "<polyline"), 1);

  const std::vector<std::pair<double, double>> points = PolylinePoints(*svg);
  ASSERT_EQ(points.size(), rates.size());
  // Equal rates share a height, a lower rate is drawn lower (larger y), and x grows.
  EXPECT_EQ(points[0].second, points[1].second);
  EXPECT_LT(points[1].second, points[2].second);
  for (size_t i = 1; i < points.size(); ++i) EXPECT_GT(points[i].first, points[i - 1].first);

  EXPECT_EQ(ElementsWithClass(*svg, "x-tick"),
            (std::vector<std::string>{"0", "1", "2", "3", "4"}));
  EXPECT_EQ(ElementsWithClass(*svg, "y-tick"),
            (std::vector<std::string>{"0", "0.02", "0.04", "0.06", "0.08", "0.1"}));
  EXPECT_EQ(ElementsWithClass(*svg, "axis-title"),
            (std::vector<std::string>{"learning rate", "step"}));
  EXPECT_EQ(ElementsWithClass(*svg, "title"),
            (std::vector<std::string>{"step_lr &lt;demo&gt;"}));
}

TEST(PlotRatesAsSvg, SinglePosition) {
  const auto svg = PlotRatesAsSvg("constant", "epoch", {0.1});
  ASSERT_TRUE(svg.ok()) << svg.status();
  EXPECT_EQ(PolylinePoints(*svg).size(), 1u);
  EXPECT_EQ(ElementsWithClass(*svg, "x-tick"), (std::vector<std::string>{"0", "1"}));
}

TEST(PlotRatesAsSvg, RejectsInvalidRates) {
  EXPECT_EQ(PlotRatesAsSvg("x", "step", {}).status().code(),
            absl::StatusCode::kInvalidArgument);

  const auto negative = PlotRatesAsSvg("x", "step", {0.1, -0.1});
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(negative.status().message(),
            "cannot plot the rate at position 1: it must be finite and at least 0, got -0.1");

  const auto nan = PlotRatesAsSvg("x", "step", {std::nan("")});
  EXPECT_EQ(nan.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lrsched::cli
