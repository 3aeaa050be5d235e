// Small readers of the SVG that `lrsched preview --plot` writes, for tests that check its
// structure without comparing against a stored file. They handle only that generator's
// output: attributes in double quotes and no nested elements inside <text>.
#ifndef LRSCHED_TESTS_CLIENT_SVG_PARSING_H_
#define LRSCHED_TESTS_CLIENT_SVG_PARSING_H_

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace lrsched::testing {

inline int CountOccurrences(const std::string& text, const std::string& fragment) {
  int count = 0;
  for (size_t at = text.find(fragment); at != std::string::npos;
       at = text.find(fragment, at + fragment.size())) {
    ++count;
  }
  return count;
}

// Returns the content of every element whose start tag has class="`class_name`", in order.
inline std::vector<std::string> ElementsWithClass(const std::string& svg,
                                                  const std::string& class_name) {
  std::vector<std::string> contents;
  const std::string marker = "class=\"" + class_name + "\"";
  for (size_t at = svg.find(marker); at != std::string::npos; at = svg.find(marker, at + 1)) {
    const size_t start = svg.find('>', at);
    const size_t end = svg.find('<', start);
    if (start == std::string::npos || end == std::string::npos) break;
    contents.push_back(svg.substr(start + 1, end - start - 1));
  }
  return contents;
}

// Returns the (x, y) pairs of the `points` attribute of the first polyline; empty when there is
// none or a pair does not parse.
inline std::vector<std::pair<double, double>> PolylinePoints(const std::string& svg) {
  std::vector<std::pair<double, double>> points;
  const size_t polyline = svg.find("<polyline");
  if (polyline == std::string::npos) return points;
  const std::string marker = "points=\"";
  const size_t start = svg.find(marker, polyline);
  if (start == std::string::npos) return points;
  const size_t end = svg.find('"', start + marker.size());
  const std::string list = svg.substr(start + marker.size(), end - start - marker.size());

  const char* cursor = list.c_str();
  while (*cursor != '\0') {
    char* after_x = nullptr;
    const double x = std::strtod(cursor, &after_x);
    if (after_x == cursor || *after_x != ',') return {};
    char* after_y = nullptr;
    const double y = std::strtod(after_x + 1, &after_y);
    if (after_y == after_x + 1) return {};
    points.emplace_back(x, y);
    cursor = after_y;
    while (*cursor == ' ') ++cursor;
  }
  return points;
}

}  // namespace lrsched::testing

#endif  // LRSCHED_TESTS_CLIENT_SVG_PARSING_H_
