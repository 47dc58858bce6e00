#!/usr/bin/python3
"""PyTorch side of bench/compare.sh: one Adam training step of each model
that internal/ad benchmarks in Go (BenchmarkStep{MLP,HNN,LNN,PINN}), in
float64 on the CPU, timed after a warm-up.

Prints two lines per row, `torch <row> <wall-clock ms per step>` and
`torch-cpu <row> <process CPU ms per step>`, and comment lines starting
with '#'. Run with Debian's /usr/bin/python3 and python3-torch:

    /usr/bin/python3 bench/torch_steps.py --threads 1 --rows mlp,hnn,lnn,pinn

If `import torch` fails the script runs `apt-get install -y python3-torch`
(when it can) and starts again; otherwise it says what is missing.
"""

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import time


def import_torch():
    try:
        import torch  # noqa: F401
        return
    except ImportError as e:
        first_error = e
    if os.environ.get("PHYSBIAS_TORCH_REEXEC") == "1":
        sys.exit(f"torch_steps.py: `import torch` still fails after installing python3-torch: {first_error}\n"
                 f"  interpreter: {sys.executable}; Debian's torch lives in /usr/lib/python3/dist-packages")
    apt = shutil.which("apt-get")
    if apt is None or (hasattr(os, "geteuid") and os.geteuid() != 0 and shutil.which("sudo") is None):
        sys.exit(f"torch_steps.py: PyTorch is missing ({first_error}).\n"
                 "  Install it with: apt-get install -y python3-torch (Debian/Ubuntu), then run /usr/bin/python3 again.")
    cmd = [apt, "install", "-y", "python3-torch"]
    if os.geteuid() != 0:
        cmd = ["sudo"] + cmd
    print(f"# import torch failed ({first_error}); running: {' '.join(cmd)}", file=sys.stderr, flush=True)
    if subprocess.call(cmd) != 0:
        sys.exit("torch_steps.py: apt-get install -y python3-torch failed; install PyTorch for "
                 f"{sys.executable} and run again.")
    env = dict(os.environ, PHYSBIAS_TORCH_REEXEC="1")
    os.execve(sys.executable, [sys.executable] + sys.argv, env)


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=1,
                    help="torch.set_num_threads, and OPENBLAS_NUM_THREADS/OMP_NUM_THREADS unless set (default 1)")
    ap.add_argument("--rows", default="mlp,hnn,lnn,pinn", help="comma-separated rows to time")
    ap.add_argument("--min-time", type=float, default=3.0, help="seconds of timed steps per row (default 3)")
    ap.add_argument("--rounds", type=int, default=3, help="timed rounds per row; the median is printed")
    ap.add_argument("--warmup", type=int, default=5, help="untimed steps first (default 5)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lnn-hessian", choices=["auto", "loop", "func"], default="auto",
                    help="LNN Hessian blocks: autograd.grad loops, vmap(hessian), or auto = the faster of the two")
    args = ap.parse_args()
    if args.threads < 1:
        sys.exit(f"torch_steps.py: --threads {args.threads}, want >= 1")
    if args.min_time <= 0 or args.rounds < 1 or args.warmup < 1:
        sys.exit("torch_steps.py: --min-time must be > 0, --rounds and --warmup >= 1")
    return args


ARGS = parse_args()
# Debian's torch does its matrix products in OpenBLAS, whose own thread pool
# ignores torch.set_num_threads: left at its default it spins on every core
# and made the MLP step 10x slower on a busy 2-core machine. It must be set
# before torch (and so OpenBLAS) is loaded.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, str(ARGS.threads))
import_torch()
import torch  # noqa: E402
from torch import nn  # noqa: E402

try:  # torch >= 2.0
    from torch.func import hessian as _hessian, jacrev as _jacrev, vmap as _vmap, functional_call as _fcall
    FUNC_SOURCE = "torch.func"
except ImportError:
    try:  # torch 1.13 ships functorch
        from functorch import hessian as _hessian, jacrev as _jacrev, vmap as _vmap
        from torch.nn.utils.stateless import functional_call as _fcall
        FUNC_SOURCE = "functorch"
    except ImportError:
        _hessian = _jacrev = _vmap = _fcall = None
        FUNC_SOURCE = None


def hidden_params(net):
    """All parameters but the output bias, which drops out of every input
    derivative (∇H, q̈): internal/ad's HNN and LNN benchmarks leave it out of
    the Adam step too."""
    return list(net.parameters())[:-1]


def mlp(sizes, act):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(act())
    return nn.Sequential(*layers).double()


# ---- the rows: each returns (model, step) where step() runs one Adam step ----

def row_mlp(gen):
    """MLP 2-200-200-1 tanh, batch 256, MSE to fixed targets."""
    net = mlp([2, 200, 200, 1], nn.Tanh)
    x = torch.rand(256, 2, generator=gen, dtype=torch.float64) * 2 - 1
    y = torch.rand(256, 1, generator=gen, dtype=torch.float64) * 2 - 1
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = ((net(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        return loss
    return step


def row_hnn(gen):
    """H = MLP 2-200-200-1 tanh on (q, p), batch 256; predicted
    (dq/dt, dp/dt) = (∂H/∂p, −∂H/∂q); MSE to fixed targets through a double
    backward (create_graph=True)."""
    net = mlp([2, 200, 200, 1], nn.Tanh)
    x = (torch.rand(256, 2, generator=gen, dtype=torch.float64) * 2 - 1).requires_grad_(True)
    target = torch.rand(256, 2, generator=gen, dtype=torch.float64) * 2 - 1
    opt = torch.optim.Adam(hidden_params(net), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        h = net(x)
        dh, = torch.autograd.grad(h.sum(), x, create_graph=True)
        pred = torch.stack((dh[:, 1], -dh[:, 0]), dim=1)
        loss = ((pred - target) ** 2).mean()
        loss.backward()
        opt.step()
        return loss
    return step


def lnn_batch(gen, n):
    """Inputs x = (q, q̇) ∈ R²×R², uniform in [−1, 1], and q̈ targets."""
    q = torch.rand(n, 2, generator=gen, dtype=torch.float64) * 2 - 1
    qd = torch.rand(n, 2, generator=gen, dtype=torch.float64) * 2 - 1
    target = torch.rand(n, 2, generator=gen, dtype=torch.float64) * 2 - 1
    return torch.cat((q, qd), dim=1), target


def lnn_accel_loop(net, x):
    """q̈ from the Euler–Lagrange equations with the Hessian rows of
    ∂L/∂q̇ from two extra autograd passes (L is a per-sample function, so
    the gradient of the batch sum gives every sample's derivative)."""
    x = x.requires_grad_(True) if not x.requires_grad else x
    lag = net(x).sum()
    g, = torch.autograd.grad(lag, x, create_graph=True)           # (B, 4): ∇qL, ∇q̇L
    rows = [torch.autograd.grad(g[:, 2 + k].sum(), x, create_graph=True)[0] for k in range(2)]
    hrow = torch.stack(rows, dim=1)                                 # (B, 2, 4): ∂(∇q̇L)/∂(q, q̇)
    mixed, mass = hrow[:, :, :2], hrow[:, :, 2:]                    # ∇q∇q̇ᵀL, ∇q̇∇q̇ᵀL
    qd = x[:, 2:]
    rhs = g[:, :2] - torch.bmm(mixed, qd.unsqueeze(2)).squeeze(2)
    return torch.linalg.solve(mass, rhs)


def lnn_accel_func(net, x):
    """The same q̈ with per-sample derivatives from vmap(jacrev(L)) and
    vmap(hessian(L)) over a functional call of the network."""
    params = dict(net.named_parameters())

    def lag(xi):
        return _fcall(net, params, (xi.unsqueeze(0),)).squeeze()

    grad = _vmap(_jacrev(lag))(x)                                   # (B, 4): ∇qL, ∇q̇L
    hess = _vmap(_hessian(lag))(x)                                  # (B, 4, 4)
    mixed, mass = hess[:, 2:, :2], hess[:, 2:, 2:]
    rhs = grad[:, :2] - torch.bmm(mixed, x[:, 2:].unsqueeze(2)).squeeze(2)
    return torch.linalg.solve(mass, rhs)


def row_lnn(gen, method):
    """L = MLP 4-128-128-1 softplus on (q, q̇), batch 256; q̈ from the
    Euler–Lagrange equations, torch.linalg.solve, MSE to fixed targets."""
    net = mlp([4, 128, 128, 1], nn.Softplus)
    x, target = lnn_batch(gen, 256)
    opt = torch.optim.Adam(hidden_params(net), lr=1e-3)
    accel = lnn_accel_func if method == "func" else lnn_accel_loop

    def step():
        opt.zero_grad(set_to_none=True)
        xi = x.detach().clone().requires_grad_(True)
        loss = ((accel(net, xi) - target) ** 2).mean()
        loss.backward()
        opt.step()
        return loss
    return step


def row_pinn(gen):
    """u = MLP 2-(20×8)-1 tanh on (t, x), 2,048 collocation points; Burgers
    residual u_t + u·u_x − (0.01/π)·u_xx with autograd.grad(create_graph);
    loss = mean residual²."""
    net = mlp([2] + [20] * 8 + [1], nn.Tanh)
    t = torch.rand(2048, 1, generator=gen, dtype=torch.float64)
    xs = torch.rand(2048, 1, generator=gen, dtype=torch.float64) * 2 - 1
    pts = torch.cat((t, xs), dim=1).requires_grad_(True)
    nu = 0.01 / math.pi
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        u = net(pts)
        du, = torch.autograd.grad(u.sum(), pts, create_graph=True)
        u_t, u_x = du[:, 0], du[:, 1]
        u_xx = torch.autograd.grad(u_x.sum(), pts, create_graph=True)[0][:, 1]
        res = u_t + u.squeeze(1) * u_x - nu * u_xx
        loss = (res ** 2).mean()
        loss.backward()
        opt.step()
        return loss
    return step


def check_lnn_methods(gen):
    """Both q̈ computations must agree before either is timed."""
    net = mlp([4, 128, 128, 1], nn.Softplus)
    x, _ = lnn_batch(gen, 16)
    a = lnn_accel_loop(net, x.clone().requires_grad_(True))
    b = lnn_accel_func(net, x.clone())
    err = (a - b).abs().max().item() / max(a.abs().max().item(), 1e-300)
    if err > 1e-8:
        sys.exit(f"torch_steps.py: LNN q̈ from autograd loops and from {FUNC_SOURCE} differ (rel {err:.3g})")
    return err


def time_step(step, warmup, min_time, rounds):
    """Median over rounds of the mean wall-clock ms per step, and of the
    mean process CPU ms per step (all threads; on a busy machine the wall
    time also counts waiting for a core). Each round runs at least
    min_time/rounds seconds and 3 steps."""
    for _ in range(warmup):
        loss = step()
    if not torch.isfinite(loss):
        sys.exit("torch_steps.py: loss is not finite")
    per_round = min_time / rounds
    walls, cpus = [], []
    for _ in range(rounds):
        n, t0, c0 = 0, time.perf_counter(), time.process_time()
        while True:
            step()
            n += 1
            el = time.perf_counter() - t0
            if el >= per_round and n >= 3:
                break
        cpus.append(1e3 * (time.process_time() - c0) / n)
        walls.append(1e3 * el / n)
    return statistics.median(walls), statistics.median(cpus)


def plugin_rows():
    """Rows from bench/torch_rows/<name>.py: each module defines row(gen), which
    returns a step function like the row_* functions here (it may set its own
    dtype inside; the default dtype is float64). A file per row lets each
    package add its torch side without editing this script."""
    import importlib.util
    rows = {}
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_rows")
    if not os.path.isdir(folder):
        return rows
    for fname in sorted(os.listdir(folder)):
        if not fname.endswith(".py") or fname.startswith("_"):
            continue
        name = fname[:-3]
        spec = importlib.util.spec_from_file_location("torch_rows_" + name, os.path.join(folder, fname))
        mod = importlib.util.module_from_spec(spec)
        mod.torch = torch
        spec.loader.exec_module(mod)
        rows[name] = mod.row
    return rows


def main():
    args = ARGS
    torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float64)
    gen = torch.Generator().manual_seed(args.seed)
    torch.manual_seed(args.seed)
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}, float64, "
          f"functional transforms: {FUNC_SOURCE or 'none'}", flush=True)

    known = {"mlp": row_mlp, "hnn": row_hnn, "lnn": None, "pinn": row_pinn}
    known.update(plugin_rows())
    for row in [r.strip() for r in args.rows.split(",") if r.strip()]:
        if row not in known:
            print(f"# torch_steps.py has no row {row!r} (known: {', '.join(known)}); printing NA", flush=True)
            print(f"torch {row} NA", flush=True)
            print(f"torch-cpu {row} NA", flush=True)
            continue
        if row == "lnn":
            method = args.lnn_hessian
            if method == "func" and FUNC_SOURCE is None:
                sys.exit("torch_steps.py: --lnn-hessian func needs torch.func or functorch")
            if method == "auto":
                if FUNC_SOURCE is None:
                    method = "loop"
                else:
                    err = check_lnn_methods(gen)
                    times = {}
                    for m in ("loop", "func"):
                        _, times[m] = time_step(row_lnn(gen, m), 3, min(1.0, args.min_time / 3), 1)
                    method = min(times, key=times.get)
                    print(f"# lnn Hessian blocks: loop {times['loop']:.2f} CPU ms, {FUNC_SOURCE} "
                          f"{times['func']:.2f} CPU ms (agree to {err:.1e}); timing {method}", flush=True)
            ms, cpu = time_step(row_lnn(gen, method), args.warmup, args.min_time, args.rounds)
        else:
            ms, cpu = time_step(known[row](gen), args.warmup, args.min_time, args.rounds)
        print(f"torch {row} {ms:.3f}", flush=True)
        print(f"torch-cpu {row} {cpu:.3f}", flush=True)


if __name__ == "__main__":
    main()
