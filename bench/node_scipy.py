#!/usr/bin/python3
"""SciPy side of bench/node_scipy.sh: the same initial value problems as
examples/node/ivp solved with scipy.integrate.solve_ivp(method="RK45") at
rtol = atol = tol; reads the Go lines on stdin and prints one comparison line
per problem and tolerance:

    NFE <problem> <tol> go=<n> scipy=<m> go_err=<e1> scipy_err=<e2> time_ratio=<go/scipy>

The error is the largest absolute component error of y(T) against the closed
form (spiral), the exact return to y0 after whole periods (Arenstorf's orbit,
Kepler e = 0.6), or a DOP853 solve at rtol = atol = 1e-13 (Van der Pol, μ = 10).
"""

import math
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp

MU = 0.012277471
AREN_T = 17.0652165601579625588917206249


def arenstorf(t, y):
    mp = 1 - MU
    d1 = ((y[0] + MU) ** 2 + y[1] ** 2) ** 1.5
    d2 = ((y[0] - mp) ** 2 + y[1] ** 2) ** 1.5
    return [y[2], y[3],
            y[0] + 2 * y[3] - mp * (y[0] + MU) / d1 - MU * (y[0] - mp) / d2,
            y[1] - 2 * y[2] - mp * y[1] / d1 - MU * y[1] / d2]


def kepler(t, y):
    r3 = (y[0] ** 2 + y[1] ** 2) ** 1.5
    return [y[2], y[3], -y[0] / r3, -y[1] / r3]


def vdp(t, y):
    return [y[1], 10 * (1 - y[0] ** 2) * y[1] - y[0]]


def spiral(t, y):
    return [-0.5 * y[0] + 2 * y[1], -2 * y[0] - 0.5 * y[1]]


E = 0.6
PROBLEMS = {
    "arenstorf": (arenstorf, [0.994, 0, 0, -2.00158510637908252240537862224], AREN_T),
    "kepler-e0.6": (kepler, [1 - E, 0, 0, math.sqrt((1 + E) / (1 - E))], 4 * math.pi),
    "vanderpol-mu10": (vdp, [2.0, 0.0], 20.0),
    "spiral": (spiral, [1.0, 0.0], 10.0),
}


def reference(name):
    f, y0, T = PROBLEMS[name]
    if name in ("arenstorf", "kepler-e0.6"):
        return np.array(y0, dtype=float)
    if name == "spiral":
        a = math.exp(-0.5 * T)
        return np.array([a * math.cos(2 * T), -a * math.sin(2 * T)])
    sol = solve_ivp(f, (0, T), y0, method="DOP853", rtol=1e-13, atol=1e-13)
    return sol.y[:, -1]


def main():
    min_time = 0.2
    refs = {}
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] != "go":
            continue
        name, tol, go_nfe, go_sec = parts[1], float(parts[2]), int(parts[3]), float(parts[4])
        go_y = np.array([float(v) for v in parts[5:]])
        f, y0, T = PROBLEMS[name]
        if name not in refs:
            refs[name] = reference(name)
        ref = refs[name]
        n, start = 0, time.perf_counter()
        while n == 0 or time.perf_counter() - start < min_time:
            sol = solve_ivp(f, (0, T), y0, method="RK45", rtol=tol, atol=tol)
            n += 1
        sp_sec = (time.perf_counter() - start) / n
        if not sol.success:
            print(f"# scipy failed on {name} at {tol}: {sol.message}")
            continue
        sp_err = float(np.max(np.abs(sol.y[:, -1] - ref)))
        go_err = float(np.max(np.abs(go_y - ref)))
        print(f"NFE {name} {tol:g} go={go_nfe} scipy={sol.nfev} go_err={go_err:.3g} "
              f"scipy_err={sp_err:.3g} time_ratio={go_sec / sp_sec:.3g}", flush=True)


if __name__ == "__main__":
    main()
