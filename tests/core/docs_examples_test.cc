// Every JSON example in docs/schedules.md parses and builds, so the documentation shows specs
// that the server accepts.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/core/build_from_json.h"

namespace lrsched {
namespace {

// The contents of the ```json blocks of a Markdown file.
std::vector<std::string> JsonBlocks(const std::string& path) {
  std::ifstream stream(path);
  EXPECT_TRUE(stream.good()) << "cannot read " << path;

  std::vector<std::string> blocks;
  std::string line;
  std::ostringstream block;
  bool inside = false;
  while (std::getline(stream, line)) {
    if (!inside && line == "```json") {
      inside = true;
      block.str("");
    } else if (inside && line == "```") {
      inside = false;
      blocks.push_back(block.str());
    } else if (inside) {
      block << line << "\n";
    }
  }
  return blocks;
}

TEST(DocsExamples, EverySpecBuilds) {
  const std::vector<std::string> examples = JsonBlocks(LRSCHED_SCHEDULES_DOC);
  EXPECT_GE(examples.size(), 32u) << "examples were removed from the schedule docs";
  for (const std::string& example : examples) {
    SCOPED_TRACE(example);
    const auto schedule = testing::BuildFromJson(example);
    EXPECT_TRUE(schedule.ok()) << schedule.status();
  }
}

}  // namespace
}  // namespace lrsched
