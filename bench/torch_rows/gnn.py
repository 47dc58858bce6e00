"""PyTorch side of the gnn row: one Adam step of the interaction network of
gnn's BenchmarkStepGNN, in float64 — 100 particles (node features 6), 1,000
random edges, edge network 12-128-128-100 and node network 106-128-128-2
with ReLU (Cranmer et al. 2020's activation), messages summed at the
receivers with index_add_, L1 loss on the accelerations plus 1e-2 times the
mean over edges of the messages' L1 norms."""

import torch  # noqa: F401  (also injected by torch_steps.py)
from torch import nn


def _mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers).double()


def row(gen):
    n, e, f, msg = 100, 1000, 6, 100
    x = torch.randn(n, f, generator=gen, dtype=torch.float64)
    send = torch.randint(0, n, (e,), generator=gen)
    recv = torch.randint(0, n, (e,), generator=gen)
    y = torch.randn(n, 2, generator=gen, dtype=torch.float64)
    edge = _mlp([2 * f, 128, 128, msg])
    node = _mlp([f + msg, 128, 128, 2])
    opt = torch.optim.Adam(list(edge.parameters()) + list(node.parameters()), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        m = edge(torch.cat([x[recv], x[send]], dim=1))
        agg = torch.zeros(n, msg, dtype=torch.float64).index_add_(0, recv, m)
        pred = node(torch.cat([x, agg], dim=1))
        loss = (pred - y).abs().mean() + 1e-2 * m.abs().sum(dim=1).mean()
        loss.backward()
        opt.step()
        return loss
    return step
