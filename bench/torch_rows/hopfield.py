"""PyTorch side of the `hopfield` row: one Adam step of a set classifier
built on HopfieldPooling (Ramsauer et al. 2020) as in
hopfield.BenchmarkStepPooling: a batch of 256 sets of 16 elements in 8
dimensions; one learned query Q (1×8) scores the keys Y·W_K (W_K 8×8) with
β = 1, softmax over the 16 elements, the pooled value aᵀ(Y·W_V) (W_V 8×16),
a linear read-out w (16×1) to one logit, loss mean softplus(−y·logit); Adam
at lr 1e-3. No biases, no normalisation, as on the Go side."""

import torch
import torch.nn.functional as F


def row(gen):
    b, n, d, dk, dv = 256, 16, 8, 8, 16
    y_in = torch.randn(b, n, d, generator=gen, dtype=torch.float64)
    labels = (torch.randint(0, 2, (b, 1), generator=gen) * 2 - 1).double()

    def glorot(r, c):
        a = (6.0 / (r + c)) ** 0.5
        return ((torch.rand(r, c, generator=gen, dtype=torch.float64) * 2 - 1) * a).requires_grad_(True)
    q, wk, wv, wo = glorot(1, dk), glorot(d, dk), glorot(d, dv), glorot(dv, 1)
    opt = torch.optim.Adam([q, wk, wv, wo], lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        y2 = y_in.reshape(b * n, d)
        scores = (y2 @ wk @ q.t()).reshape(b, n, 1)       # β = 1
        a = torch.softmax(scores, dim=1)                   # over the set
        v = (y2 @ wv).reshape(b, n, dv)
        z = torch.bmm(a.transpose(1, 2), v).reshape(b, dv)
        logit = z @ wo
        loss = F.softplus(-labels * logit).mean()
        loss.backward()
        opt.step()
        return loss
    return step
