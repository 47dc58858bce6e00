"""PyTorch side of the realnvp row: one Adam step of flows' RealNVP as in
flows.BenchmarkRealNVPStep, in float64 — 2-D data, 8 affine coupling layers
alternating which coordinate they keep, each with a scale network and a
shift network 1-64-64-1 (tanh), s = tanh(scale net), y = x*exp(s) + t on the
other coordinate, negative log-likelihood of a standard normal base plus
the log-determinants, batch 512 (a fixed batch here; the Go benchmark feeds
minibatches from 4,096 points, a copy of 512×2 values a step)."""

import math

import torch  # noqa: F401  (also injected by torch_steps.py)
from torch import nn


def _mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.Tanh())
    return nn.Sequential(*layers).double()


def row(gen):
    L, d, h = 8, 2, 1
    s_nets = nn.ModuleList([_mlp([h, 64, 64, h]) for _ in range(L)])
    t_nets = nn.ModuleList([_mlp([h, 64, 64, h]) for _ in range(L)])
    x0 = torch.randn(512, d, generator=gen, dtype=torch.float64)
    opt = torch.optim.Adam(list(s_nets.parameters()) + list(t_nets.parameters()), lr=1e-3)
    const = d / 2 * math.log(2 * math.pi)

    def step():
        opt.zero_grad(set_to_none=True)
        x = x0
        logdet = 0.0
        for l in range(L):
            keep, move = (x[:, :h], x[:, h:]) if l % 2 == 0 else (x[:, h:], x[:, :h])
            s = torch.tanh(s_nets[l](keep))
            t = t_nets[l](keep)
            move = move * torch.exp(s) + t
            x = torch.cat([keep, move], 1) if l % 2 == 0 else torch.cat([move, keep], 1)
            logdet = logdet + s.sum()
        loss = (0.5 * (x ** 2).sum() - logdet) / x.shape[0] + const
        loss.backward()
        opt.step()
        return loss
    return step
