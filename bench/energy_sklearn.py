"""One update of scikit-learn's BernoulliRBM (784 visible, 500 hidden,
batch 100, persistent CD-1) on binarised MNIST, the data of Go's
BenchmarkRBMCD1 in ./energy: float64 (partial_fit, the estimator's public
one-batch update) and float32 (_fit, the same update, on float32 data and
parameters). Prints the median wall-clock and CPU ms per update of each.

    /usr/bin/python3 bench/energy_sklearn.py MNIST_DATA_DIR [min_seconds]
"""
import gzip
import os
import sys
import time

import numpy as np
from sklearn.neural_network import BernoulliRBM


def mnist(path, n):
    with gzip.open(os.path.join(path, "train-images-idx3-ubyte.gz")) as f:
        raw = f.read()
    x = np.frombuffer(raw, dtype=np.uint8, offset=16)[: n * 784]
    return (x.reshape(n, 784) >= 128).astype(np.float64)


def main():
    x = mnist(sys.argv[1], 2000)
    min_s = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    rbm = BernoulliRBM(n_components=500, learning_rate=0.1, batch_size=100, random_state=1)
    rng = np.random.RandomState(1)
    for i in range(20):  # warm up, as the Go side does
        rbm.partial_fit(x[(i % 20) * 100:(i % 20 + 1) * 100])
    times, cpu = [], []
    start = time.perf_counter()
    i = 0
    while time.perf_counter() - start < min_s or len(times) < 10:
        batch = x[(i % 20) * 100:(i % 20 + 1) * 100]
        t0, c0 = time.perf_counter(), time.process_time()
        rbm.partial_fit(batch)  # one update: _fit on one minibatch
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        i += 1
    times.sort()
    cpu.sort()
    # The same update in single precision: BernoulliRBM.fit keeps float32
    # data in float32 (partial_fit casts to float64), and _fit is the
    # one-minibatch update that fit and partial_fit both call.
    x32 = x.astype(np.float32)
    rbm32 = BernoulliRBM(n_components=500, learning_rate=0.1, batch_size=100, n_iter=1, random_state=1)
    rbm32.fit(x32[:100])
    assert rbm32.components_.dtype == np.float32
    rng32 = np.random.RandomState(2)
    for i in range(20):
        rbm32._fit(x32[(i % 20) * 100:(i % 20 + 1) * 100], rng32)
    t32, c32 = [], []
    start = time.perf_counter()
    i = 0
    while time.perf_counter() - start < min_s or len(t32) < 10:
        batch = x32[(i % 20) * 100:(i % 20 + 1) * 100]
        t0, c0 = time.perf_counter(), time.process_time()
        rbm32._fit(batch, rng32)
        t32.append(time.perf_counter() - t0)
        c32.append(time.process_time() - c0)
        i += 1
    t32.sort()
    c32.sort()
    print("sklearn_ms=%.3f sklearn_cpu_ms=%.3f updates=%d sklearn_f32_ms=%.3f sklearn_f32_cpu_ms=%.3f"
          % (1e3 * times[len(times) // 2], 1e3 * cpu[len(cpu) // 2], len(times),
             1e3 * t32[len(t32) // 2], 1e3 * c32[len(c32) // 2]))


if __name__ == "__main__":
    main()
