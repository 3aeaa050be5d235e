// SVG line charts of learning rates, written as text: the chart is small and fixed in layout,
// so no plotting library is needed.
#include "client/cli/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/cli/output.h"

namespace lrsched::cli {
namespace {

// Layout of the chart in SVG user units (pixels at 100% zoom).
constexpr int kWidth = 720;
constexpr int kHeight = 440;
constexpr int kMarginLeft = 90;
constexpr int kMarginRight = 30;
constexpr int kMarginTop = 50;
constexpr int kMarginBottom = 70;
constexpr int kPlotWidth = kWidth - kMarginLeft - kMarginRight;
constexpr int kPlotHeight = kHeight - kMarginTop - kMarginBottom;
constexpr int kTickLength = 6;
constexpr int kTargetTickCount = 6;

// Tick indices beyond this magnitude do not fit the exact label arithmetic below, which
// multiplies them by the mantissa in int64.
constexpr double kMaxExactTickIndex = 1e15;

// Returns m * 10^exponent as a decimal, exactly: "0.02", "150", "5e-7". Plain notation is
// used for exponents from -6 to 6 after trailing zeros of m are removed, scientific beyond.
std::string FormatScaledInteger(int64_t m, int exponent) {
  if (m == 0) return "0";
  while (m % 10 == 0) {
    m /= 10;
    ++exponent;
  }

  const std::string sign = m < 0 ? "-" : "";
  const std::string digits = absl::StrCat(std::llabs(m));
  if (exponent >= 0 && exponent <= 6) {
    return absl::StrCat(sign, digits, std::string(exponent, '0'));
  }
  if (exponent < 0 && exponent >= -6) {
    // Leading zeros make room for at least one digit before the point: 5 at 10^-2 is "005".
    const size_t fraction_digits = static_cast<size_t>(-exponent);
    const size_t zeros = digits.size() <= fraction_digits ? fraction_digits + 1 - digits.size() : 0;
    const std::string padded = std::string(zeros, '0') + digits;
    const size_t point = padded.size() - fraction_digits;
    return absl::StrCat(sign, padded.substr(0, point), ".", padded.substr(point));
  }

  // Scientific notation: one digit before the point.
  const int scientific_exponent = exponent + static_cast<int>(digits.size()) - 1;
  std::string mantissa = digits.substr(0, 1);
  if (digits.size() > 1) absl::StrAppend(&mantissa, ".", digits.substr(1));
  return absl::StrCat(sign, mantissa, "e", scientific_exponent);
}

std::string FormatCoordinate(double value) { return absl::StrFormat("%.2f", value); }

// Maps a value on an axis to a pixel offset along `length` pixels.
double Scale(double value, const AxisTicks& axis, double length) {
  return (value - axis.min) / (axis.max - axis.min) * length;
}

double PixelX(double position, const AxisTicks& axis) {
  return kMarginLeft + Scale(position, axis, kPlotWidth);
}

double PixelY(double rate, const AxisTicks& axis) {
  return kMarginTop + kPlotHeight - Scale(rate, axis, kPlotHeight);
}

// Appends the horizontal axis with its ticks, labels, and title.
void AppendXAxis(const AxisTicks& x_axis, absl::string_view unit_name, std::string& svg) {
  const int axis_y = kMarginTop + kPlotHeight;
  absl::StrAppend(&svg, "<g class=\"x-axis\" stroke=\"black\">\n");
  absl::StrAppend(&svg, "<line x1=\"", kMarginLeft, "\" y1=\"", axis_y, "\" x2=\"",
                  kMarginLeft + kPlotWidth, "\" y2=\"", axis_y, "\"/>\n");
  for (size_t i = 0; i < x_axis.values.size(); ++i) {
    const std::string x = FormatCoordinate(PixelX(x_axis.values[i], x_axis));
    absl::StrAppend(&svg, "<line x1=\"", x, "\" y1=\"", axis_y, "\" x2=\"", x, "\" y2=\"",
                    axis_y + kTickLength, "\"/>\n");
    absl::StrAppend(&svg, "<text class=\"x-tick\" stroke=\"none\" x=\"", x, "\" y=\"",
                    axis_y + kTickLength + 14, "\" text-anchor=\"middle\">",
                    EscapeXml(x_axis.labels[i]), "</text>\n");
  }
  absl::StrAppend(&svg, "<text class=\"axis-title\" stroke=\"none\" x=\"",
                  kMarginLeft + kPlotWidth / 2, "\" y=\"", kHeight - 20,
                  "\" text-anchor=\"middle\">", EscapeXml(unit_name), "</text>\n</g>\n");
}

// Appends the vertical axis with its ticks, labels, light grid lines, and title.
void AppendYAxis(const AxisTicks& y_axis, std::string& svg) {
  absl::StrAppend(&svg, "<g class=\"y-axis\" stroke=\"black\">\n");
  absl::StrAppend(&svg, "<line x1=\"", kMarginLeft, "\" y1=\"", kMarginTop, "\" x2=\"",
                  kMarginLeft, "\" y2=\"", kMarginTop + kPlotHeight, "\"/>\n");
  for (size_t i = 0; i < y_axis.values.size(); ++i) {
    const std::string y = FormatCoordinate(PixelY(y_axis.values[i], y_axis));
    absl::StrAppend(&svg, "<line stroke=\"#dddddd\" x1=\"", kMarginLeft, "\" y1=\"", y,
                    "\" x2=\"", kMarginLeft + kPlotWidth, "\" y2=\"", y, "\"/>\n");
    absl::StrAppend(&svg, "<line x1=\"", kMarginLeft - kTickLength, "\" y1=\"", y, "\" x2=\"",
                    kMarginLeft, "\" y2=\"", y, "\"/>\n");
    absl::StrAppend(&svg, "<text class=\"y-tick\" stroke=\"none\" x=\"",
                    kMarginLeft - kTickLength - 4, "\" y=\"", y,
                    "\" dy=\"0.35em\" text-anchor=\"end\">", EscapeXml(y_axis.labels[i]),
                    "</text>\n");
  }
  const int title_x = 20;
  const int title_y = kMarginTop + kPlotHeight / 2;
  absl::StrAppend(&svg, "<text class=\"axis-title\" stroke=\"none\" x=\"", title_x, "\" y=\"",
                  title_y, "\" text-anchor=\"middle\" transform=\"rotate(-90 ", title_x, " ",
                  title_y, ")\">learning rate</text>\n</g>\n");
}

// Appends the curve: one polyline with a point per rate.
void AppendCurve(const std::vector<double>& rates, const AxisTicks& x_axis,
                 const AxisTicks& y_axis, std::string& svg) {
  absl::StrAppend(&svg,
                  "<polyline fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"1.5\" "
                  "stroke-linejoin=\"round\" points=\"");
  for (size_t i = 0; i < rates.size(); ++i) {
    if (i > 0) svg.push_back(' ');
    absl::StrAppend(&svg, FormatCoordinate(PixelX(static_cast<double>(i), x_axis)), ",",
                    FormatCoordinate(PixelY(rates[i], y_axis)));
  }
  absl::StrAppend(&svg, "\"/>\n");
}

}  // namespace

AxisTicks ChooseTicks(double low, double high, int target_count, bool integers,
                      bool exact_range) {
  if (low == high) {
    if (low == 0) {
      high = 1;
    } else {
      const double half_width = std::abs(low) * 0.5;
      low -= half_width;
      high += half_width;
    }
  }

  // The spacing is 1, 2 or 5 times 10^exponent, whichever is nearest to the spacing of
  // target_count ticks over the range, so the count comes out between about half and twice
  // the target.
  const double raw_spacing = (high - low) / (target_count - 1);
  int exponent = static_cast<int>(std::floor(std::log10(raw_spacing)));
  const double fraction = raw_spacing / std::pow(10.0, exponent);
  int64_t mantissa = 10;
  if (fraction < 1.5) {
    mantissa = 1;
  } else if (fraction < 3) {
    mantissa = 2;
  } else if (fraction < 7) {
    mantissa = 5;
  }
  if (mantissa == 10) {
    mantissa = 1;
    ++exponent;
  }
  if (integers && exponent < 0) {
    mantissa = 1;
    exponent = 0;
  }

  // A tick value is index * mantissa * 10^exponent. Dividing the exact integer by an exact
  // power of ten gives the double nearest to the decimal, so 3 * 0.02 becomes 0.06.
  const double spacing = static_cast<double>(mantissa) * std::pow(10.0, exponent);
  const double tolerance = 1e-9;
  const double first_index = exact_range ? std::ceil(low / spacing - tolerance)
                                         : std::floor(low / spacing + tolerance);
  const double last_index = exact_range ? std::floor(high / spacing + tolerance)
                                        : std::ceil(high / spacing - tolerance);

  AxisTicks ticks;
  const bool exact = std::abs(first_index) <= kMaxExactTickIndex &&
                     std::abs(last_index) <= kMaxExactTickIndex;
  for (double index = first_index; index <= last_index; ++index) {
    const int64_t scaled = static_cast<int64_t>(index) * mantissa;
    const double value = exponent >= 0
                             ? static_cast<double>(scaled) * std::pow(10.0, exponent)
                             : static_cast<double>(scaled) / std::pow(10.0, -exponent);
    ticks.values.push_back(exact ? value : index * spacing);
    ticks.labels.push_back(exact ? FormatScaledInteger(scaled, exponent)
                                 : FormatDouble(index * spacing));
  }
  ticks.min = exact_range ? low : ticks.values.front();
  ticks.max = exact_range ? high : ticks.values.back();
  return ticks;
}

std::string EscapeXml(absl::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&apos;";
        break;
      default:
        escaped.push_back(c);
    }
  }
  return escaped;
}

absl::StatusOr<std::string> PlotRatesAsSvg(absl::string_view title, absl::string_view unit_name,
                                           const std::vector<double>& rates) {
  if (rates.empty()) return absl::InvalidArgumentError("cannot plot an empty preview");
  double max_rate = 0;
  for (size_t i = 0; i < rates.size(); ++i) {
    if (!std::isfinite(rates[i]) || rates[i] < 0) {
      return absl::InvalidArgumentError(absl::StrCat("cannot plot the rate at position ", i,
                                                     ": it must be finite and at least 0, got ",
                                                     FormatDouble(rates[i])));
    }
    max_rate = std::max(max_rate, rates[i]);
  }

  // The horizontal axis ends at the last position. The vertical axis starts at 0, so that
  // curves of different schedules compare by eye, and ends at a tick.
  const AxisTicks x_axis = ChooseTicks(0, static_cast<double>(rates.size() - 1),
                                       kTargetTickCount, /*integers=*/true, /*exact_range=*/true);
  const AxisTicks y_axis =
      ChooseTicks(0, max_rate, kTargetTickCount, /*integers=*/false, /*exact_range=*/false);

  std::string svg = absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", kWidth, "\" height=\"", kHeight,
      "\" viewBox=\"0 0 ", kWidth, " ", kHeight,
      "\" font-family=\"sans-serif\" font-size=\"12\">\n",
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n",
      "<text class=\"title\" x=\"", kWidth / 2, "\" y=\"28\" text-anchor=\"middle\" "
      "font-size=\"16\">", EscapeXml(title), "</text>\n");
  AppendYAxis(y_axis, svg);
  AppendXAxis(x_axis, unit_name, svg);
  AppendCurve(rates, x_axis, y_axis, svg);
  absl::StrAppend(&svg, "</svg>\n");
  return svg;
}

}  // namespace lrsched::cli
