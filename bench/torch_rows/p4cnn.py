"""PyTorch side of the p4cnn row: one Adam step of the P4CNN of gcnn's
BenchmarkP4CNNStep, in float32 — Cohen and Welling's (2016) MNIST-rot
layout: a p4 lifting convolution and six p4 group convolutions (10
features × 4 rotations, 3×3 kernels, the last 4×4 to 10 classes), ReLUs, a
2×2 max-pool after layer 2, a max over rotations and a mean over the plane,
cross-entropy, batch 64 of 28×28 images. Filters are shared as in gcnn: the
base filters are expanded to the full bank by rotating them (torch.rot90)
and rolling the group axis, inside the step, so their gradients sum over
the group."""

import torch  # noqa: F401  (also injected by torch_steps.py)
import torch.nn.functional as F


def _lift_bank(w):
    # w: (O, C, K, K) -> (O*4, C, K, K); output channel o*4+r is w[o] turned
    # r quarter turns counter-clockwise.
    return torch.stack([torch.rot90(w, r, dims=(2, 3)) for r in range(4)], dim=1).reshape(
        w.shape[0] * 4, w.shape[1], w.shape[2], w.shape[3])


def _group_bank(w):
    # w: (O, C, 4, K, K) -> (O*4, C*4, K, K); filter (o, r) takes input
    # channel (c, q) from w[o, c, q - r], turned r times.
    o, c, n, k, _ = w.shape
    banks = []
    for r in range(4):
        banks.append(torch.rot90(torch.roll(w, shifts=r, dims=2), r, dims=(3, 4)))
    return torch.stack(banks, dim=1).reshape(o * 4, c * 4, k, k)


def row(gen):
    dt = torch.float32
    batch, width, classes = 64, 10, 10
    x = torch.rand(batch, 1, 28, 28, generator=gen, dtype=dt)
    y = torch.randint(0, classes, (batch,), generator=gen)
    kernels = [3, 3, 3, 3, 3, 3, 4]
    params = []
    for i, k in enumerate(kernels):
        out = classes if i == len(kernels) - 1 else width
        shape = (out, 1, k, k) if i == 0 else (out, width, 4, k, k)
        fan_in = (1 if i == 0 else width * 4) * k * k
        w = (torch.randn(*shape, generator=gen, dtype=dt) * (2.0 / fan_in) ** 0.5).requires_grad_()
        b = torch.zeros(out, dtype=dt, requires_grad=True)
        params += [w, b]
    opt = torch.optim.Adam(params, lr=1e-3)

    def forward():
        h = x
        for i in range(len(kernels)):
            w, b = params[2 * i], params[2 * i + 1]
            bank = _lift_bank(w) if i == 0 else _group_bank(w)
            h = F.conv2d(h, bank, b.repeat_interleave(4))
            if i < len(kernels) - 1:
                h = F.relu(h)
                if i == 1:
                    h = F.max_pool2d(h, 2)
        h = h.reshape(batch, classes, 4, h.shape[2], h.shape[3]).amax(dim=2)
        return h.mean(dim=(2, 3))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(forward(), y)
        loss.backward()
        opt.step()
        return loss
    return step
