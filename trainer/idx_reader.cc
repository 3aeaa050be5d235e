// Reads IDX files through zlib's gz* functions. idx_reader.h describes the
// format.

#include "trainer/idx_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace lrsched::trainer {
namespace {

constexpr uint8_t kUnsignedByteType = 0x08;
constexpr int kMaxRank = 255;

// Bytes requested per gzread call. The data buffer grows by at most this much
// per call, so a header that declares far more data than the file contains
// fails on the short read instead of allocating the declared size up front.
constexpr int64_t kReadChunkBytes = int64_t{1} << 20;

struct GzFileCloser {
  void operator()(gzFile file) const { gzclose_r(file); }
};
using GzFilePtr = std::unique_ptr<gzFile_s, GzFileCloser>;

absl::StatusOr<GzFilePtr> OpenGzFile(const std::string& path) {
  errno = 0;
  gzFile file = gzopen(path.c_str(), "rb");
  if (file != nullptr) return GzFilePtr(file);

  if (errno == ENOENT) {
    return absl::NotFoundError(absl::StrCat("IDX file not found: ", path));
  }
  if (errno != 0) {
    return absl::ErrnoToStatus(errno,
                               absl::StrCat("failed to open IDX file ", path));
  }
  // gzopen leaves errno at 0 only when zlib itself could not allocate memory.
  return absl::ResourceExhaustedError(
      absl::StrCat("zlib failed to allocate memory to open ", path));
}

// Reads up to `count` bytes and returns how many were read, fewer only at the
// end of the file. `count` must fit in gzread's unsigned length, and callers
// pass at most kReadChunkBytes.
absl::StatusOr<int64_t> ReadUpTo(gzFile file, const std::string& path,
                                 uint8_t* destination, int64_t count) {
  int64_t total = 0;
  while (total < count) {
    const int result = gzread(file, destination + total,
                              static_cast<unsigned>(count - total));
    if (result < 0) {
      int zlib_error = Z_OK;
      const char* message = gzerror(file, &zlib_error);
      return absl::DataLossError(absl::StrCat(
          "failed to read ", path, ": zlib reports '", message,
          "'. The file is corrupt or truncated, so re-create or reinstall it."));
    }
    if (result == 0) break;
    total += result;
  }
  return total;
}

absl::Status ReadExactly(gzFile file, const std::string& path,
                         const char* part_name, uint8_t* destination,
                         int64_t count) {
  const absl::StatusOr<int64_t> bytes_read =
      ReadUpTo(file, path, destination, count);
  if (!bytes_read.ok()) return bytes_read.status();

  if (*bytes_read < count) {
    return absl::DataLossError(absl::StrFormat(
        "%s is truncated: expected %d bytes of %s, found %d", path, count,
        part_name, *bytes_read));
  }
  return absl::OkStatus();
}

uint32_t DecodeBigEndian32(const uint8_t* bytes) {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) |
         (uint32_t{bytes[2]} << 8) | uint32_t{bytes[3]};
}

absl::Status CheckMagicNumber(const uint8_t (&magic)[4],
                              const std::string& path, int expected_rank) {
  if (magic[0] != 0 || magic[1] != 0) {
    return absl::DataLossError(absl::StrFormat(
        "%s is not an IDX file: its magic number 0x%08x does not start with "
        "two zero bytes",
        path, DecodeBigEndian32(magic)));
  }
  if (magic[2] != kUnsignedByteType) {
    return absl::DataLossError(absl::StrFormat(
        "%s has IDX element type 0x%02x, expected 0x%02x (unsigned byte)",
        path, magic[2], kUnsignedByteType));
  }
  if (magic[3] != expected_rank) {
    return absl::DataLossError(
        absl::StrFormat("%s has %d dimensions, expected %d", path, magic[3],
                        expected_rank));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<uint32_t>> ReadHeader(gzFile file,
                                                 const std::string& path,
                                                 int expected_rank) {
  uint8_t magic[4];
  absl::Status status = ReadExactly(file, path, "magic number", magic, 4);
  if (!status.ok()) return status;

  status = CheckMagicNumber(magic, path, expected_rank);
  if (!status.ok()) return status;

  std::vector<uint8_t> size_bytes(4 * expected_rank);
  status = ReadExactly(file, path, "dimension sizes", size_bytes.data(),
                       static_cast<int64_t>(size_bytes.size()));
  if (!status.ok()) return status;

  std::vector<uint32_t> dimensions(expected_rank);
  for (int i = 0; i < expected_rank; ++i) {
    dimensions[i] = DecodeBigEndian32(&size_bytes[4 * i]);
  }
  return dimensions;
}

// Returns the product of dimensions[1..], the bytes of one item, after
// checking that the product of all dimensions fits in a std::ptrdiff_t.
absl::StatusOr<int64_t> ComputeItemBytes(
    const std::vector<uint32_t>& dimensions, const std::string& path) {
  constexpr int64_t kMaxBytes = std::numeric_limits<std::ptrdiff_t>::max();
  int64_t all_bytes = 1;
  int64_t item_bytes = 1;
  for (size_t i = 0; i < dimensions.size(); ++i) {
    const int64_t size = dimensions[i];
    if (size != 0 && all_bytes > kMaxBytes / size) {
      return absl::DataLossError(absl::StrCat(
          path, " declares dimensions whose product overflows a 64-bit size"));
    }
    all_bytes *= size;
    if (i > 0) item_bytes *= size;
  }
  return item_bytes;
}

absl::Status ReadData(gzFile file, const std::string& path, int64_t byte_count,
                      std::vector<uint8_t>* data) {
  data->clear();
  while (static_cast<int64_t>(data->size()) < byte_count) {
    const int64_t offset = static_cast<int64_t>(data->size());
    const int64_t chunk = std::min(kReadChunkBytes, byte_count - offset);
    data->resize(offset + chunk);

    const absl::StatusOr<int64_t> bytes_read =
        ReadUpTo(file, path, data->data() + offset, chunk);
    if (!bytes_read.ok()) return bytes_read.status();
    if (*bytes_read < chunk) {
      return absl::DataLossError(absl::StrFormat(
          "%s is truncated: its header declares %d bytes of data, found %d",
          path, byte_count, offset + *bytes_read));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckAtEnd(gzFile file, const std::string& path,
                        int64_t byte_count) {
  uint8_t extra_byte;
  const absl::StatusOr<int64_t> bytes_read =
      ReadUpTo(file, path, &extra_byte, 1);
  if (!bytes_read.ok()) return bytes_read.status();

  if (*bytes_read != 0) {
    return absl::DataLossError(absl::StrFormat(
        "%s has more bytes after the %d bytes of data its header declares",
        path, byte_count));
  }
  return absl::OkStatus();
}

absl::Status ValidateArguments(int expected_rank,
                               std::optional<int64_t> max_items) {
  if (expected_rank < 1 || expected_rank > kMaxRank) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected_rank must be in [1, 255], got ", expected_rank));
  }
  if (max_items.has_value() && *max_items < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_items must be >= 0, got ", *max_items));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<IdxArray> ReadIdxFile(const std::string& path,
                                     int expected_rank,
                                     std::optional<int64_t> max_items) {
  absl::Status status = ValidateArguments(expected_rank, max_items);
  if (!status.ok()) return status;

  absl::StatusOr<GzFilePtr> file = OpenGzFile(path);
  if (!file.ok()) return file.status();

  IdxArray array;
  absl::StatusOr<std::vector<uint32_t>> dimensions =
      ReadHeader(file->get(), path, expected_rank);
  if (!dimensions.ok()) return dimensions.status();
  array.dimensions = *std::move(dimensions);

  const absl::StatusOr<int64_t> item_bytes =
      ComputeItemBytes(array.dimensions, path);
  if (!item_bytes.ok()) return item_bytes.status();

  // A prefix read stops early, so only a full read can check the file's end.
  const bool read_all_items =
      !max_items.has_value() || *max_items >= array.dimensions[0];
  if (!read_all_items) {
    array.dimensions[0] = static_cast<uint32_t>(*max_items);
  }
  const int64_t byte_count = array.dimensions[0] * *item_bytes;

  status = ReadData(file->get(), path, byte_count, &array.data);
  if (!status.ok()) return status;
  if (read_all_items) {
    status = CheckAtEnd(file->get(), path, byte_count);
    if (!status.ok()) return status;
  }
  return array;
}

}  // namespace lrsched::trainer
