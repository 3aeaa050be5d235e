"""Times one scheduler.step() of PyTorch's StepLR, CosineAnnealingLR and a LinearLR warmup
followed by CosineAnnealingLR (SequentialLR), the families of local_rate_benchmark.cc, and
prints nanoseconds per call. Reading the new rate from the optimizer is included."""
import time
import warnings

import torch

warnings.filterwarnings("ignore")
CALLS = 100_000


def make(name, optimizer):
    lr_scheduler = torch.optim.lr_scheduler
    if name == "step_lr":
        return lr_scheduler.StepLR(optimizer, step_size=30)
    if name == "cosine_annealing_lr":
        return lr_scheduler.CosineAnnealingLR(optimizer, T_max=1000)
    warmup = lr_scheduler.LinearLR(optimizer, start_factor=1e-8, total_iters=100)
    cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=1000)
    return lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[100])


for name in ("step_lr", "cosine_annealing_lr", "warmup_cosine"):
    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=0.1)
    scheduler = make(name, optimizer)
    start = time.perf_counter_ns()
    for _ in range(CALLS):
        scheduler.step()
        rate = optimizer.param_groups[0]["lr"]
    elapsed = time.perf_counter_ns() - start
    print(f"pytorch {name} scheduler.step() {elapsed / CALLS:.0f} ns")
