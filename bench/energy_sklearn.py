"""One update of scikit-learn's BernoulliRBM (784 visible, 500 hidden,
batch 100, persistent CD-1, float64) on binarised MNIST, the data of Go's
BenchmarkRBMCD1 in ./energy. Prints the median wall-clock and CPU ms per update.

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
    print("sklearn_ms=%.3f sklearn_cpu_ms=%.3f updates=%d"
          % (1e3 * times[len(times) // 2], 1e3 * cpu[len(cpu) // 2], len(times)))


if __name__ == "__main__":
    main()
