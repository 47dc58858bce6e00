"""PyTorch side of the `node_reg` row: one Adam step of the neural ODE of the
`node` row (f a 2-64-64-2 tanh MLP, autonomous, a batch of 256 states, 20
classical RK4 steps over [0, 1] written out, backpropagation through the
solver) with the regularizers of Finlay et al. 2020 ("How to train your
neural ODE"):

    loss = mean (y(1) − target)² + 0.01·mean_b ∫‖f‖² dt + 0.01·mean_b ∫‖(∂f/∂y)ε‖² dt,

ε Gaussian, one probe per sample drawn once per step, both integrals carried
by the same RK4 steps as extra states (h/6·(g1 + 2g2 + 2g3 + g4) of the
integrands at the four stages). Mirrors node.BenchmarkStepFinlay, which
integrates the JVP (∂f/∂y)ε: so does this row by default, with forward-mode
AD (torch.autograd.forward_ad: one dual evaluation gives f and (∂f/∂y)ε at
a stage, and the backward pass differentiates through the tangent).

NODE_REG_FROB chooses how the Frobenius integrand is computed:
  jvp   (default) forward-mode AD, the same quantity as the Go side;
  vjp   RNODE's way, ‖εᵀ(∂f/∂y)‖² by autograd.grad(f, y, ε, create_graph=True):
        another estimate with the same expectation ‖∂f/∂y‖²_F;
  dvjp  the JVP by the double-VJP trick (two autograd.grad calls with
        create_graph=True), the JVP of torch versions without forward AD.

    /usr/bin/python3 bench/torch_rows/node_reg.py --check FILE.json

compares this side with the Go side on the problem that
`PHYSBIAS_NODE_REG_EXPORT=FILE.json go test -run TestExportStepFinlay ./node`
writes (the Go weights, data and probe): the loss, the fit, both integrals,
the gradient and the parameters after one Adam step, for each of the three
ways.
"""

import contextlib
import os

import torch  # noqa: F401  (bench/torch_steps.py also sets the module's torch)
from torch import nn

try:  # torch >= 1.11
    import torch.autograd.forward_ad as fwAD
except ImportError:  # older torch: the JVP by the double-VJP trick
    fwAD = None

KINETIC, FROBENIUS = 0.01, 0.01
H, STEPS = 0.05, 20


def _mlp():
    return nn.Sequential(nn.Linear(2, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 2)).double()


def _f_and_v(net, y, eps, how):
    """f(y) and the Frobenius integrand's vector v at the states y (B, 2):
    (∂f/∂y)ε (jvp, dvjp) or εᵀ(∂f/∂y) (vjp)."""
    if how == "jvp":
        # Inside the caller's fwAD.dual_level().
        f, v = fwAD.unpack_dual(net(fwAD.make_dual(y, eps)))
        return f, v
    if not y.requires_grad:  # the first stage of the first step: y = y0
        y = y.detach().requires_grad_(True)
    f = net(y)
    if how == "vjp":
        v, = torch.autograd.grad(f, y, eps, create_graph=True)
        return f, v
    u = torch.zeros_like(f, requires_grad=True)
    g, = torch.autograd.grad(f, y, u, create_graph=True)  # uᵀ∂f/∂y, linear in u
    v, = torch.autograd.grad(g, u, eps, create_graph=True)  # (∂f/∂y)ε
    return f, v


def _losses(net, y0, target, eps, how):
    """(loss, fit, mean ∫‖f‖², mean ∫‖v‖²) of one solve."""
    y = y0
    kin = torch.zeros(y0.shape[0], dtype=y0.dtype)
    frob = torch.zeros(y0.shape[0], dtype=y0.dtype)
    with fwAD.dual_level() if fwAD is not None else contextlib.nullcontext():
        for _ in range(STEPS):
            k1, v1 = _f_and_v(net, y, eps, how)
            k2, v2 = _f_and_v(net, y + H / 2 * k1, eps, how)
            k3, v3 = _f_and_v(net, y + H / 2 * k2, eps, how)
            k4, v4 = _f_and_v(net, y + H * k3, eps, how)
            y = y + H / 6 * (k1 + 2 * (k2 + k3) + k4)
            kin = kin + H / 6 * ((k1 * k1).sum(1) + 2 * ((k2 * k2).sum(1) + (k3 * k3).sum(1)) + (k4 * k4).sum(1))
            frob = frob + H / 6 * ((v1 * v1).sum(1) + 2 * ((v2 * v2).sum(1) + (v3 * v3).sum(1)) + (v4 * v4).sum(1))
    fit = ((y - target) ** 2).mean()
    k, fr = kin.mean(), frob.mean()
    return fit + KINETIC * k + FROBENIUS * fr, fit, k, fr


def row(gen):
    how = os.environ.get("NODE_REG_FROB", "jvp")
    if how not in ("jvp", "vjp", "dvjp"):
        raise SystemExit(f"node_reg.py: NODE_REG_FROB={how!r}, want jvp, vjp or dvjp")
    if how == "jvp" and fwAD is None:
        how = "dvjp"
    if how != "jvp":
        print(f"# node_reg: Frobenius integrand by {how} (NODE_REG_FROB)", flush=True)
    net = _mlp()
    y0 = torch.randn(256, 2, generator=gen, dtype=torch.float64)
    target = torch.randn(256, 2, generator=gen, dtype=torch.float64)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        eps = torch.randn(256, 2, generator=gen, dtype=torch.float64)
        loss = _losses(net, y0, target, eps, how)[0]
        loss.backward()
        opt.step()
        return loss
    return step


def check(path):
    """Compares with the Go side's export (see the module's doc)."""
    import json
    with open(path) as fh:
        ex = json.load(fh)
    assert ex["sizes"] == [2, 64, 64, 2] and ex["dt"] == H
    assert ex["kinetic_weight"] == KINETIC and ex["frobenius_weight"] == FROBENIUS
    t = lambda a, *shape: torch.tensor(a, dtype=torch.float64).reshape(*shape)  # noqa: E731
    y0, target, eps = t(ex["y0"], -1, 2), t(ex["target"], -1, 2), t(ex["eps"], -1, 2)

    def load(theta):
        net = _mlp()
        lin = [m for m in net if isinstance(m, nn.Linear)]
        p = 0
        with torch.no_grad():
            for m in lin:
                fo, fi = m.weight.shape
                m.weight.copy_(t(theta[p:p + fi * fo], fi, fo).T)  # Go's W_l is (in, out)
                p += fi * fo
                m.bias.copy_(t(theta[p:p + fo], fo))
                p += fo
        assert p == len(theta)
        return net

    def flat(xs):
        out = []
        for m in xs:
            if m.dim() == 2:
                m = m.T  # back to (in, out)
            out.append(m.reshape(-1))
        return torch.cat(out)

    go_grad, go_theta1 = t(ex["grad"], -1), t(ex["theta1"], -1)
    rel = lambda a, b: abs(a - b) / abs(b)  # noqa: E731
    print(f"go:    loss {ex['loss']:.16g}  fit {ex['fit']:.16g}  kinetic {ex['kinetic_integral']:.16g}  "
          f"frobenius {ex['frobenius_integral']:.16g}")
    for how in ("jvp", "dvjp", "vjp") if fwAD is not None else ("dvjp", "vjp"):
        net = load(ex["theta"])
        opt = torch.optim.Adam(net.parameters(), lr=ex["lr"])
        loss, fit, k, fr = _losses(net, y0, target, eps, how)
        loss.backward()
        g = flat([p.grad for p in net.parameters()])
        opt.step()
        theta1 = flat([p.detach() for p in net.parameters()])
        gerr = ((g - go_grad).norm() / go_grad.norm()).item()
        terr = ((theta1 - go_theta1).abs().max()).item()
        print(f"torch {how:4s}: loss {loss.item():.16g}  fit {fit.item():.16g}  kinetic {k.item():.16g}  "
              f"frobenius {fr.item():.16g}")
        print(f"    relative differences to Go: loss {rel(loss.item(), ex['loss']):.1e}  fit {rel(fit.item(), ex['fit']):.1e}  "
              f"kinetic {rel(k.item(), ex['kinetic_integral']):.1e}  frobenius {rel(fr.item(), ex['frobenius_integral']):.1e}  "
              f"gradient ‖Δg‖/‖g‖ {gerr:.1e}  θ after one Adam step max|Δ| {terr:.1e} (lr {ex['lr']})")


if __name__ == "__main__":
    import sys
    if len(sys.argv) != 3 or sys.argv[1] != "--check":
        raise SystemExit(__doc__)
    torch.set_num_threads(1)
    check(sys.argv[2])
