"""PyTorch side of the `node` row: one Adam step of a neural ODE, f a
2-64-64-2 tanh MLP (autonomous), a batch of 256 states, 20 fixed classical
RK4 steps over [0, 1] written out (torchdiffeq's rk4 with step_size 0.05 does
the same arithmetic), mean squared error of y(1) against fixed targets,
backpropagation through the solver. Mirrors node.BenchmarkStep."""

import torch  # noqa: F401  (bench/torch_steps.py also sets the module's torch)
from torch import nn


def row(gen):
    net = nn.Sequential(nn.Linear(2, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 2)).double()
    y0 = torch.randn(256, 2, generator=gen, dtype=torch.float64)
    target = torch.randn(256, 2, generator=gen, dtype=torch.float64)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    h, steps = 0.05, 20

    def step():
        opt.zero_grad(set_to_none=True)
        y = y0
        for _ in range(steps):
            k1 = net(y)
            k2 = net(y + h / 2 * k1)
            k3 = net(y + h / 2 * k2)
            k4 = net(y + h * k3)
            y = y + h / 6 * (k1 + 2 * (k2 + k3) + k4)
        loss = ((y - target) ** 2).mean()
        loss.backward()
        opt.step()
        return loss
    return step
