#!/usr/bin/env python3
"""Train the trainer's MLP in PyTorch and print seconds per epoch and test accuracy.

This is the reference for bench/trainer_epoch.cc: the same 784-256-128-10 ReLU network,
nn.Linear's default initialization, mean softmax cross-entropy, SGD with momentum
(torch.optim.SGD, dampening 0, no weight decay), a seeded shuffle each epoch and a
last batch that keeps the remainder. It reads the gzip IDX files of Debian's package
dataset-fashion-mnist with gzip and numpy, so nothing is downloaded.

Each epoch prints one line in the format that bench/trainer_epoch.cc also prints:
  epoch 1 seconds 0.712 train_loss 0.5321 test_loss 0.4412 test_accuracy 0.8412
Only the training steps are timed, not the evaluation.
"""

import argparse
import gzip
import pathlib
import struct
import sys
import time

import numpy as np
import torch
from torch import nn

DEFAULT_DATA_DIR = "/usr/share/datasets/fashion-mnist"
IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801


def read_idx(path: pathlib.Path, expected_magic: int) -> np.ndarray:
    """Read a gzip IDX file and return its contents as a uint8 array of its dimensions."""
    if not path.exists():
        sys.exit(
            f"{path} not found. It comes from the Debian package dataset-fashion-mnist "
            "(apt-get install dataset-fashion-mnist)."
        )
    with gzip.open(path, "rb") as file:
        data = file.read()

    magic = struct.unpack(">I", data[:4])[0]
    if magic != expected_magic:
        sys.exit(f"{path}: invalid IDX magic number 0x{magic:08x}, expected 0x{expected_magic:08x}")
    rank = magic & 0xFF
    shape = struct.unpack(f">{rank}I", data[4 : 4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)


def load_split(data_dir: pathlib.Path, prefix: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Load one split ("train" or "t10k") as float32 pixels in [0, 1] and int64 labels."""
    images = read_idx(data_dir / f"{prefix}-images-idx3-ubyte.gz", IMAGES_MAGIC)
    labels = read_idx(data_dir / f"{prefix}-labels-idx1-ubyte.gz", LABELS_MAGIC)
    pixels = torch.from_numpy(images.reshape(len(images), -1).astype(np.float32) / 255.0)
    return pixels, torch.from_numpy(labels.astype(np.int64))


def build_model(layer_sizes: list[int]) -> nn.Sequential:
    """Build Linear layers with ReLU between them and none after the last (logits)."""
    layers: list[nn.Module] = []
    for index in range(len(layer_sizes) - 1):
        layers.append(nn.Linear(layer_sizes[index], layer_sizes[index + 1]))
        if index + 2 < len(layer_sizes):
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def train_epoch(model, optimizer, images, labels, batch_size, generator) -> float:
    """Run one shuffled pass over the training set and return the mean loss per image."""
    loss_function = nn.CrossEntropyLoss()
    order = torch.randperm(len(images), generator=generator)
    total_loss = 0.0
    model.train()
    for start in range(0, len(images), batch_size):
        batch = order[start : start + batch_size]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_function(model(images[batch]), labels[batch])
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(batch)
    return total_loss / len(images)


@torch.no_grad()
def evaluate(model, images, labels) -> tuple[float, float]:
    """Return the mean cross-entropy and the accuracy on a whole split."""
    model.eval()
    logits = model(images)
    loss = nn.functional.cross_entropy(logits, labels).item()
    accuracy = (logits.argmax(dim=1) == labels).float().mean().item()
    return loss, accuracy


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=DEFAULT_DATA_DIR, help="directory of the gzip IDX files")
    parser.add_argument("--epochs", type=int, default=5, help="number of epochs to train")
    parser.add_argument("--batch-size", type=int, default=64, help="images per mini-batch")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads value")
    parser.add_argument("--learning-rate", type=float, default=0.05, help="constant SGD learning rate")
    parser.add_argument("--momentum", type=float, default=0.9, help="SGD momentum coefficient")
    parser.add_argument("--seed", type=int, default=1, help="seed of the initialization and the shuffle")
    parser.add_argument(
        "--train-limit", type=int, default=0, help="use only the first N training images (0 uses all)"
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    data_dir = pathlib.Path(args.data_dir)
    train_images, train_labels = load_split(data_dir, "train")
    test_images, test_labels = load_split(data_dir, "t10k")
    if args.train_limit > 0:
        train_images = train_images[: args.train_limit]
        train_labels = train_labels[: args.train_limit]

    model = build_model([784, 256, 128, 10])
    optimizer = torch.optim.SGD(model.parameters(), lr=args.learning_rate, momentum=args.momentum)
    generator = torch.Generator().manual_seed(args.seed)
    print(
        f"pytorch {torch.__version__} threads {torch.get_num_threads()} batch_size {args.batch_size} "
        f"learning_rate {args.learning_rate} momentum {args.momentum} train_images {len(train_images)}",
        flush=True,
    )

    for epoch in range(1, args.epochs + 1):
        started = time.perf_counter()
        train_loss = train_epoch(model, optimizer, train_images, train_labels, args.batch_size, generator)
        seconds = time.perf_counter() - started
        test_loss, test_accuracy = evaluate(model, test_images, test_labels)
        print(
            f"epoch {epoch} seconds {seconds:.3f} train_loss {train_loss:.4f} "
            f"test_loss {test_loss:.4f} test_accuracy {test_accuracy:.4f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
