"""Times one scheduler.step() of the PyTorch schedulers that match the families of
schedule_eval_benchmark.cc, with the parameters of their docs/schedules.md examples, and
prints nanoseconds per call. Each scheduler is rebuilt every `positions` steps, as the C++
benchmark wraps its positions, and only the steps are timed. Reading the new rate from the
optimizer is included."""
import time
import warnings

import torch

warnings.filterwarnings("ignore")
lr_scheduler = torch.optim.lr_scheduler
MIN_CALLS = 50_000


def linear_warmup(optimizer):
    warmup = lr_scheduler.LinearLR(optimizer, start_factor=0.2, total_iters=1)
    cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=9, eta_min=0.001)
    return lr_scheduler.SequentialLR(optimizer, [warmup, cosine], milestones=[1])


def sequence(optimizer):
    constant = lr_scheduler.ConstantLR(optimizer, factor=0.1, total_iters=2)
    exponential = lr_scheduler.ExponentialLR(optimizer, gamma=0.9)
    return lr_scheduler.SequentialLR(optimizer, [constant, exponential], milestones=[2])


def product(optimizer):
    return lr_scheduler.ChainedScheduler([
        lr_scheduler.LinearLR(optimizer, start_factor=0.5, total_iters=4),
        lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)])


# (family, base rate, positions per run, scheduler factory)
SCHEDULERS = [
    ("step_lr", 0.1, 100, lambda o: lr_scheduler.StepLR(o, step_size=30, gamma=0.1)),
    ("multi_step_lr", 0.1, 100, lambda o: lr_scheduler.MultiStepLR(o, milestones=[30, 80])),
    ("constant_lr", 0.05, 10, lambda o: lr_scheduler.ConstantLR(o, factor=0.5, total_iters=4)),
    ("linear_lr", 0.05, 10,
     lambda o: lr_scheduler.LinearLR(o, start_factor=0.5, total_iters=4)),
    ("exponential_lr", 0.1, 60, lambda o: lr_scheduler.ExponentialLR(o, gamma=0.95)),
    ("multiplicative_lr", 0.1, 60,
     lambda o: lr_scheduler.MultiplicativeLR(o, lr_lambda=lambda epoch: 0.95)),
    ("polynomial_lr", 0.1, 15,
     lambda o: lr_scheduler.PolynomialLR(o, total_iters=10, power=2.0)),
    ("cosine_annealing_lr", 0.1, 120,
     lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=100, eta_min=0.001)),
    ("cosine_annealing_warm_restarts", 0.1, 70,
     lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=10, T_mult=2, eta_min=0.001)),
    ("cyclic_lr", 0.001, 40,
     lambda o: lr_scheduler.CyclicLR(o, base_lr=0.001, max_lr=0.01, step_size_up=4,
                                     mode="triangular2", cycle_momentum=False)),
    ("one_cycle_lr", 0.1, 40,
     lambda o: lr_scheduler.OneCycleLR(o, max_lr=0.1, epochs=5, steps_per_epoch=8)),
    ("linear_warmup", 0.05, 12, linear_warmup),
    ("sequence", 1.0, 20, sequence),
    ("product", 0.1, 12, product),
]


def time_steps(base_lr, positions, make_scheduler):
    """Returns nanoseconds per scheduler.step() over at least MIN_CALLS calls."""
    elapsed = 0
    calls = 0
    while calls < MIN_CALLS:
        parameter = torch.nn.Parameter(torch.zeros(1))
        optimizer = torch.optim.SGD([parameter], lr=base_lr)
        scheduler = make_scheduler(optimizer)
        # A scheduler has already set the rate of position 0, so a run has positions - 1 steps.
        start = time.perf_counter_ns()
        for _ in range(positions - 1):
            scheduler.step()
            rate = optimizer.param_groups[0]["lr"]
        elapsed += time.perf_counter_ns() - start
        calls += positions - 1
    return elapsed / calls


print(f"pytorch {torch.__version__}, scheduler.step() wall time per call")
for family, base_lr, positions, make_scheduler in SCHEDULERS:
    print(f"pytorch {family:32s} {time_steps(base_lr, positions, make_scheduler):8.0f} ns")
