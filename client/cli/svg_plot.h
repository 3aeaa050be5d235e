// Line charts of a schedule preview as standalone SVG, for `lrsched preview --plot`.
#ifndef LRSCHED_CLIENT_CLI_SVG_PLOT_H_
#define LRSCHED_CLIENT_CLI_SVG_PLOT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace lrsched::cli {

// Axis ticks: evenly spaced values that are 1, 2 or 5 times a power of ten, with their labels.
struct AxisTicks {
  std::vector<double> values;
  // The label of each value, printed exactly ("0.02", not "0.020000000000000004").
  std::vector<std::string> labels;
  // The axis range. It contains the requested range and every tick.
  double min = 0;
  double max = 1;
};

// Returns about `target_count` evenly spaced ticks for the range [low, high]. When `integers`
// is true, the spacing is a whole number, for positions. When `exact_range` is true, the axis
// range is [low, high] and contains only the ticks inside it. Otherwise the axis extends to
// the first tick at or below `low` and the first at or above `high`. An empty range
// (low == high) is first widened to [0, 1] at 0, and by half the value on each side elsewhere.
// REQUIRES: low <= high, both finite, and target_count >= 2.
AxisTicks ChooseTicks(double low, double high, int target_count, bool integers,
                      bool exact_range);

// Returns `text` with the five XML special characters (& < > " ') replaced by entities.
std::string EscapeXml(absl::string_view text);

// Returns an SVG document that draws `rates[i]` at position i as one polyline, with both axes,
// tick marks and tick labels, the axis titles "<unit_name>" and "learning rate", and `title`
// above the chart. Returns INVALID_ARGUMENT when `rates` is empty or a rate is negative, NaN or
// infinite, naming the position.
absl::StatusOr<std::string> PlotRatesAsSvg(absl::string_view title, absl::string_view unit_name,
                                           const std::vector<double>& rates);

}  // namespace lrsched::cli

#endif  // LRSCHED_CLIENT_CLI_SVG_PLOT_H_
