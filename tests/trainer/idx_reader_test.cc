// Tests of ReadIdxFile on small IDX files written by the tests: valid gzip
// and plain files, prefix reads, and each kind of corrupt or missing file.

#include "trainer/idx_reader.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/trainer/idx_test_files.h"

namespace lrsched::trainer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::IdxFileBytes;
using testing::MakeTestDirectory;
using testing::ReadFileBytes;
using testing::WriteGzipFile;
using testing::WritePlainFile;

// Three 2x2 items with distinct bytes.
const std::vector<uint8_t> kThreeItems = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

TEST(IdxReader, ReadsGzipFile) {
  const std::string path = MakeTestDirectory() + "/items.gz";
  WriteGzipFile(path, IdxFileBytes({3, 2, 2}, kThreeItems));

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 3);

  ASSERT_TRUE(array.ok()) << array.status();
  EXPECT_THAT(array->dimensions, ElementsAre(3, 2, 2));
  EXPECT_EQ(array->data, kThreeItems);
}

TEST(IdxReader, ReadsPlainFile) {
  const std::string path = MakeTestDirectory() + "/labels.idx";
  WritePlainFile(path, IdxFileBytes({4}, {9, 0, 255, 7}));

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 1);

  ASSERT_TRUE(array.ok()) << array.status();
  EXPECT_THAT(array->dimensions, ElementsAre(4));
  EXPECT_THAT(array->data, ElementsAre(9, 0, 255, 7));
}

TEST(IdxReader, MaxItemsReadsPrefix) {
  const std::string path = MakeTestDirectory() + "/items.gz";
  WriteGzipFile(path, IdxFileBytes({3, 2, 2}, kThreeItems));

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 3, 2);

  ASSERT_TRUE(array.ok()) << array.status();
  EXPECT_THAT(array->dimensions, ElementsAre(2, 2, 2));
  EXPECT_THAT(array->data, ElementsAre(1, 2, 3, 4, 5, 6, 7, 8));
}

TEST(IdxReader, MaxItemsAboveCountReadsAll) {
  const std::string path = MakeTestDirectory() + "/items.gz";
  WriteGzipFile(path, IdxFileBytes({3, 2, 2}, kThreeItems));

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 3, 100);

  ASSERT_TRUE(array.ok()) << array.status();
  EXPECT_THAT(array->dimensions, ElementsAre(3, 2, 2));
  EXPECT_EQ(array->data, kThreeItems);
}

TEST(IdxReader, ZeroMaxItemsReadsNothing) {
  const std::string path = MakeTestDirectory() + "/items.gz";
  WriteGzipFile(path, IdxFileBytes({3, 2, 2}, kThreeItems));

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 3, 0);

  ASSERT_TRUE(array.ok()) << array.status();
  EXPECT_THAT(array->dimensions, ElementsAre(0, 2, 2));
  EXPECT_TRUE(array->data.empty());
}

TEST(IdxReader, MissingFileIsNotFound) {
  const std::string path = MakeTestDirectory() + "/absent-idx1-ubyte.gz";

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 1);

  EXPECT_EQ(array.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(array.status().message(), HasSubstr(path));
}

TEST(IdxReader, WrongMagicIsDataLoss) {
  const std::string path = MakeTestDirectory() + "/not-idx.gz";
  std::vector<uint8_t> bytes = IdxFileBytes({3, 2, 2}, kThreeItems);
  bytes[0] = 0x1f;
  WriteGzipFile(path, bytes);

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 3);

  EXPECT_EQ(array.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(array.status().message(), HasSubstr(path));
  EXPECT_THAT(array.status().message(), HasSubstr("magic number"));
}

TEST(IdxReader, WrongElementTypeIsDataLoss) {
  const std::string path = MakeTestDirectory() + "/floats.gz";
  // Type code 0x0D is float32 in the IDX format.
  WriteGzipFile(path, IdxFileBytes({3, 2, 2}, kThreeItems, 0x0D));

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 3);

  EXPECT_EQ(array.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(array.status().message(), HasSubstr("element type 0x0d"));
}

TEST(IdxReader, WrongRankIsDataLoss) {
  const std::string path = MakeTestDirectory() + "/labels.gz";
  WriteGzipFile(path, IdxFileBytes({12}, kThreeItems));

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 3);

  EXPECT_EQ(array.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(array.status().message(),
              HasSubstr("has 1 dimensions, expected 3"));
}

TEST(IdxReader, TruncatedHeaderIsDataLoss) {
  const std::string path = MakeTestDirectory() + "/short.gz";
  WriteGzipFile(path, {0, 0, 8});

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 1);

  EXPECT_EQ(array.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(array.status().message(), HasSubstr("truncated"));
  EXPECT_THAT(array.status().message(), HasSubstr(path));
}

TEST(IdxReader, TruncatedDimensionsAreDataLoss) {
  const std::string path = MakeTestDirectory() + "/short.gz";
  WriteGzipFile(path, {0, 0, 8, 3, 0, 0, 0, 3, 0, 0});

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 3);

  EXPECT_EQ(array.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(array.status().message(), HasSubstr("dimension sizes"));
}

TEST(IdxReader, MissingDataIsDataLoss) {
  const std::string path = MakeTestDirectory() + "/items.gz";
  // The header declares 3 items of 4 bytes, the file contains 2.5 items.
  WriteGzipFile(path, IdxFileBytes({3, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 3);

  EXPECT_EQ(array.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(array.status().message(), HasSubstr(path));
  EXPECT_THAT(array.status().message(),
              HasSubstr("truncated: its header declares 12 bytes of data, "
                        "found 10"));
}

TEST(IdxReader, HugeDeclaredSizeIsDataLoss) {
  const std::string path = MakeTestDirectory() + "/huge.gz";
  // 4 billion items of 1000 bytes: the read must fail on the short data and
  // not try to allocate the declared 4 TB.
  WriteGzipFile(path, IdxFileBytes({4000000000u, 1000u}, kThreeItems));

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 2);

  EXPECT_EQ(array.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(array.status().message(), HasSubstr("truncated"));
}

TEST(IdxReader, OverflowingDimensionsAreDataLoss) {
  const std::string path = MakeTestDirectory() + "/overflow.gz";
  WriteGzipFile(path, IdxFileBytes({4000000000u, 4000000000u, 4000000000u},
                                   kThreeItems));

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 3);

  EXPECT_EQ(array.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(array.status().message(), HasSubstr("overflows"));
}

TEST(IdxReader, TrailingBytesAreDataLoss) {
  const std::string path = MakeTestDirectory() + "/items.gz";
  std::vector<uint8_t> data = kThreeItems;
  data.push_back(99);
  WriteGzipFile(path, IdxFileBytes({3, 2, 2}, data));

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 3);

  EXPECT_EQ(array.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(array.status().message(), HasSubstr("more bytes after"));
}

TEST(IdxReader, CutGzipStreamIsDataLoss) {
  const std::string directory = MakeTestDirectory();
  const std::string whole_path = directory + "/whole.gz";
  const std::string cut_path = directory + "/cut.gz";
  std::vector<uint8_t> data(4000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = (i * 7919) % 251;
  WriteGzipFile(whole_path, IdxFileBytes({1000, 2, 2}, data));
  // Drop the second half of the compressed stream, its CRC and its length.
  std::vector<uint8_t> compressed = ReadFileBytes(whole_path);
  compressed.resize(compressed.size() / 2);
  WritePlainFile(cut_path, compressed);

  const absl::StatusOr<IdxArray> array = ReadIdxFile(cut_path, 3);

  EXPECT_EQ(array.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(array.status().message(), HasSubstr(cut_path));
}

TEST(IdxReader, CorruptGzipChecksumIsDataLoss) {
  const std::string directory = MakeTestDirectory();
  const std::string path = directory + "/bad-crc.gz";
  WriteGzipFile(path, IdxFileBytes({3, 2, 2}, kThreeItems));
  // The gzip trailer is the CRC-32 of the data, then its length, 4 bytes each.
  std::vector<uint8_t> compressed = ReadFileBytes(path);
  compressed[compressed.size() - 8] ^= 0xFF;
  WritePlainFile(path, compressed);

  const absl::StatusOr<IdxArray> array = ReadIdxFile(path, 3);

  EXPECT_EQ(array.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(array.status().message(), HasSubstr(path));
}

TEST(IdxReader, InvalidArgumentsAreRejected) {
  const std::string path = MakeTestDirectory() + "/items.gz";
  WriteGzipFile(path, IdxFileBytes({3, 2, 2}, kThreeItems));

  EXPECT_EQ(ReadIdxFile(path, 0).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadIdxFile(path, 256).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadIdxFile(path, 3, -1).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace lrsched::trainer
