#!/usr/bin/env bash
# compare.sh: physbias's Ising multi-spin kernel (Go, default build) beside
# the C reference of the same algorithm (multispin.c, gcc -O3
# -march=native), 2D L = 1024 at T_c, on 1 and 2 threads, in one run.
#
#   bench/ising_c/compare.sh                 # 3 passes, 300 sweeps each side
#   COUNT=5 SWEEPS=1000 bench/ising_c/compare.sh
#   VALIDATE=1 bench/ising_c/compare.sh      # first check C against Onsager (slow)
#   CFLAGS="-O3 -march=native -mno-avx512f" bench/ising_c/compare.sh
#
# Each pass runs, for each thread count, the Go benchmark
# BenchmarkMultiSpinVsC (GOMAXPROCS = threads) and then the C program
# (OMP_NUM_THREADS = threads) under OMP_WAIT_POLICY=active and =passive,
# keeping C's faster (passive wins on a loaded machine, where spinning
# threads wait for a core). Reported: the median over passes of
# spin-flip attempts per wall-clock ns, and of CPU ns per attempt (all
# threads), which is the steadier figure on a shared machine.
#
#   ROW ising <threads> go_flips_per_ns=<x> c_flips_per_ns=<y> ratio=<x/y>
#   CPU ising <threads> go_cpu_ns_per_flip=<x> c_cpu_ns_per_flip=<y> ratio=<y/x>
#
# ratio > 1 means Go is faster.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
COUNT=${COUNT:-3}
SWEEPS=${SWEEPS:-300}
CFLAGS=${CFLAGS:-"-O3 -march=native"}
L=1024
T=2.269185314213022
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "# CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') ($(nproc) cores;" \
	"$(grep -m1 -ow -E 'avx512f' /proc/cpuinfo >/dev/null && echo AVX-512 || echo 'AVX2, no AVX-512'))," \
	"load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# gcc: $(gcc --version | head -1); CFLAGS=$CFLAGS -fopenmp"
echo "# go: $(go version)"
gcc $CFLAGS -fopenmp -o "$tmp/multispin" "$here/multispin.c" -lm
(cd "$root" && go test -c -o "$tmp/ising.test" ./ising)
if [ "${VALIDATE:-0}" = 1 ]; then
	"$tmp/multispin" validate
fi

for pass in $(seq "$COUNT"); do
	for th in 1 2; do
		g=$("$tmp/ising.test" -test.run '^$' -test.bench '^BenchmarkMultiSpinVsC$' \
			-test.benchtime "${SWEEPS}x" -test.cpu "$th" | grep '^BenchmarkMultiSpinVsC')
		gf=$(echo "$g" | awk '{for(i=1;i<=NF;i++) if($i=="flips/ns") print $(i-1)}')
		gc=$(echo "$g" | awk '{for(i=1;i<=NF;i++) if($i=="cpu-ns/flip") print $(i-1)}')
		best_f=0 best_c=0
		for pol in active passive; do
			out=$(OMP_WAIT_POLICY=$pol "$tmp/multispin" bench $L $T "$SWEEPS" "$th")
			f=$(echo "$out" | sed -n 's/.*flips_per_ns=\([^ ]*\).*/\1/p')
			c=$(echo "$out" | sed -n 's/.*cpu_ns_per_flip=\([^ ]*\).*/\1/p')
			if awk -v a="$f" -v b="$best_f" 'BEGIN{exit !(a>b)}'; then best_f=$f best_c=$c; fi
		done
		echo "$th $gf $gc $best_f $best_c" >>"$tmp/runs"
		echo "# pass $pass threads $th: go $gf flips/ns ($gc cpu-ns/flip), c $best_f flips/ns ($best_c cpu-ns/flip)"
	done
done

for th in 1 2; do
	awk -v th="$th" '
		function median(a, n,   i, j, t) {
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		$1 == th { n++; gf[n] = $2; gc[n] = $3; cf[n] = $4; cc[n] = $5 }
		END {
			x = median(gf, n); y = median(cf, n); u = median(gc, n); v = median(cc, n)
			printf "ROW ising %d go_flips_per_ns=%.3f c_flips_per_ns=%.3f ratio=%.3f\n", th, x, y, x / y
			printf "CPU ising %d go_cpu_ns_per_flip=%.4f c_cpu_ns_per_flip=%.4f ratio=%.3f\n", th, u, v, v / u
		}' "$tmp/runs"
done
