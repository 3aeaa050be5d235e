// Writes the small IDX files that the trainer tests read.

#include "tests/trainer/idx_test_files.h"

#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace lrsched::trainer::testing {

std::string MakeTestDirectory() {
  const ::testing::TestInfo* test =
      ::testing::UnitTest::GetInstance()->current_test_info();
  const std::filesystem::path directory =
      std::filesystem::path(::testing::TempDir()) / "lrsched_trainer_tests" /
      (std::string(test->test_suite_name()) + "." + test->name());
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  return directory.string();
}

std::vector<uint8_t> IdxFileBytes(const std::vector<uint32_t>& dimensions,
                                  const std::vector<uint8_t>& data,
                                  uint8_t type_code) {
  std::vector<uint8_t> bytes = {0, 0, type_code,
                                static_cast<uint8_t>(dimensions.size())};
  for (const uint32_t size : dimensions) {
    bytes.push_back(static_cast<uint8_t>(size >> 24));
    bytes.push_back(static_cast<uint8_t>(size >> 16));
    bytes.push_back(static_cast<uint8_t>(size >> 8));
    bytes.push_back(static_cast<uint8_t>(size));
  }
  bytes.insert(bytes.end(), data.begin(), data.end());
  return bytes;
}

void WriteGzipFile(const std::string& path, const std::vector<uint8_t>& bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  ASSERT_NE(file, nullptr) << "gzopen failed for " << path;
  const int written =
      bytes.empty() ? 0
                    : gzwrite(file, bytes.data(),
                              static_cast<unsigned>(bytes.size()));
  EXPECT_EQ(written, static_cast<int>(bytes.size())) << path;
  EXPECT_EQ(gzclose(file), Z_OK) << path;
}

void WritePlainFile(const std::string& path,
                    const std::vector<uint8_t>& bytes) {
  std::ofstream file(path, std::ios::binary);
  ASSERT_TRUE(file.is_open()) << "cannot create " << path;
  file.write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
  EXPECT_TRUE(file.good()) << "write failed for " << path;
}

std::vector<uint8_t> ReadFileBytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  EXPECT_TRUE(file.is_open()) << "cannot open " << path;
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(file),
                              std::istreambuf_iterator<char>());
}

}  // namespace lrsched::trainer::testing
