// Reader for IDX files, the array format of the MNIST and Fashion-MNIST
// distributions, either gzip-compressed or plain.
//
// An IDX file starts with a 4-byte magic number: two zero bytes, a type code
// (0x08 for unsigned bytes, the only type supported here) and the number of
// dimensions. One big-endian uint32 size per dimension follows, then the
// elements in row-major order.

#ifndef LRSCHED_TRAINER_IDX_READER_H_
#define LRSCHED_TRAINER_IDX_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace lrsched::trainer {

// Contents of an IDX file of unsigned bytes.
struct IdxArray {
  // Size of each dimension, outermost first. dimensions[0] is the item count
  // (images or labels), reduced to the number of items read.
  std::vector<uint32_t> dimensions;

  // Elements of the items read, in row-major order.
  std::vector<uint8_t> data;
};

// Reads the unsigned-byte IDX file at `path`. zlib decompresses gzip files and
// passes plain files through unchanged.
//
// The file must have `expected_rank` dimensions (1 to 255). If `max_items` is
// set, reads only the first min(*max_items, dimensions[0]) items. The rest of
// the file is then not read, so a truncation or trailing bytes after those
// items go undetected. When every item is read, the file must end exactly
// where the data that the header declares ends.
//
// Errors: InvalidArgument for a bad `expected_rank` or a negative `max_items`.
// NotFound if `path` does not exist, and the status from errno for other open
// failures. DataLoss, naming the path and the problem, for a wrong magic
// number, element type or rank, dimensions whose product overflows 64 bits, a
// truncated file, trailing bytes or a corrupt gzip stream.
absl::StatusOr<IdxArray> ReadIdxFile(
    const std::string& path, int expected_rank,
    std::optional<int64_t> max_items = std::nullopt);

}  // namespace lrsched::trainer

#endif  // LRSCHED_TRAINER_IDX_READER_H_
