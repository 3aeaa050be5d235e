#include "trainer/checkpoint.h"

#include <cstdint>
#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"

namespace lrsched::trainer {
namespace {

constexpr char kMagic[] = "LRSCHEDCKPT1";
constexpr size_t kMagicLength = sizeof(kMagic) - 1;

void WriteInt(std::ofstream& out, int64_t value) {
  out.write(reinterpret_cast<const char*>(&value), sizeof(value));
}

bool ReadInt(std::ifstream& in, int64_t& value) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(&value), sizeof(value)));
}

bool ReadFloats(std::ifstream& in, float* data, int64_t count) {
  return static_cast<bool>(
      in.read(reinterpret_cast<char*>(data), static_cast<std::streamsize>(count * sizeof(float))));
}

}  // namespace

absl::Status SaveCheckpoint(const Mlp& model, const std::string& path) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) return absl::UnavailableError(absl::StrCat("cannot write checkpoint ", temporary));
    out.write(kMagic, kMagicLength);
    WriteInt(out, static_cast<int64_t>(model.parameters().size()));
    for (const DenseLayerParameters& layer : model.parameters()) {
      WriteInt(out, layer.weights.rows());
      WriteInt(out, layer.weights.cols());
      out.write(reinterpret_cast<const char*>(layer.weights.data()),
                static_cast<std::streamsize>(layer.weights.size() * sizeof(float)));
      WriteInt(out, layer.biases.size());
      out.write(reinterpret_cast<const char*>(layer.biases.data()),
                static_cast<std::streamsize>(layer.biases.size() * sizeof(float)));
    }
    if (!out.flush()) {
      return absl::UnavailableError(absl::StrCat("writing checkpoint ", temporary, " failed"));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot replace checkpoint ", path));
  }
  return absl::OkStatus();
}

absl::Status LoadCheckpoint(const std::string& path, Mlp& model) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("checkpoint ", path, " not found"));

  char magic[kMagicLength];
  int64_t layers = 0;
  if (!in.read(magic, kMagicLength) || std::string(magic, kMagicLength) != kMagic ||
      !ReadInt(in, layers) || layers != static_cast<int64_t>(model.parameters().size())) {
    return absl::DataLossError(
        absl::StrCat(path, " is not a checkpoint of a model with ", model.parameters().size(),
                     " layers"));
  }

  MlpParameters loaded = model.parameters();
  for (int64_t i = 0; i < layers; ++i) {
    DenseLayerParameters& layer = loaded[i];
    int64_t rows = 0;
    int64_t cols = 0;
    int64_t biases = 0;
    if (!ReadInt(in, rows) || !ReadInt(in, cols) || rows != layer.weights.rows() ||
        cols != layer.weights.cols() || !ReadFloats(in, layer.weights.data(), rows * cols) ||
        !ReadInt(in, biases) || biases != layer.biases.size() ||
        !ReadFloats(in, layer.biases.data(), biases)) {
      return absl::DataLossError(absl::StrCat(path, ": layer ", i,
                                              " is truncated or has another shape than the "
                                              "model's"));
    }
  }
  model.mutable_parameters() = std::move(loaded);
  return absl::OkStatus();
}

}  // namespace lrsched::trainer
