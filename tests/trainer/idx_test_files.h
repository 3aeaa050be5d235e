// Helpers that write small IDX files, gzip-compressed or plain, into a fresh
// directory under the GoogleTest temporary directory.

#ifndef LRSCHED_TESTS_TRAINER_IDX_TEST_FILES_H_
#define LRSCHED_TESTS_TRAINER_IDX_TEST_FILES_H_

#include <cstdint>
#include <string>
#include <vector>

namespace lrsched::trainer::testing {

// Creates an empty directory named after the running test and returns its
// path. An existing directory of that name is removed first.
std::string MakeTestDirectory();

// Returns the bytes of an IDX file: the magic number with `type_code` and the
// rank of `dimensions`, the big-endian sizes, then `data` as given. Callers
// pass mismatched data on purpose to build corrupt files.
std::vector<uint8_t> IdxFileBytes(const std::vector<uint32_t>& dimensions,
                                  const std::vector<uint8_t>& data,
                                  uint8_t type_code = 0x08);

// Writes `bytes` to `path` through zlib's gzip writer. Fails the test on error.
void WriteGzipFile(const std::string& path, const std::vector<uint8_t>& bytes);

// Writes `bytes` to `path` unchanged. Fails the test on error.
void WritePlainFile(const std::string& path, const std::vector<uint8_t>& bytes);

// Returns the bytes of the file at `path`. Fails the test on error.
std::vector<uint8_t> ReadFileBytes(const std::string& path);

}  // namespace lrsched::trainer::testing

#endif  // LRSCHED_TESTS_TRAINER_IDX_TEST_FILES_H_
