#!/usr/bin/env bash
# bench/compare.sh — one training step of each model, Go (physbias on
# gorgonia, pure-Go BLAS and OpenBLAS) beside PyTorch on the CPU, float64.
#
#   bench/compare.sh                    # all rows, 1 thread on each side
#   THREADS=2 bench/compare.sh          # 2 threads on each side
#   ROWS="mlp lnn" BACKENDS=openblas BENCHTIME=2s COUNT=5 bench/compare.sh
#
# Environment (all optional):
#   THREADS    threads on both sides: torch.set_num_threads, OPENBLAS_NUM_THREADS
#              and OMP_NUM_THREADS for both, and Go's GOMAXPROCS (-cpu)    [1]
#   GOCPU      GOMAXPROCS for the Go benchmarks                         [THREADS]
#   ROWS       rows to run, from the table below                 [all of them]
#   BACKENDS   Go BLAS backends: "purego openblas"           [purego openblas]
#   COUNT      passes; each runs every Go benchmark once (go test -count 1)
#              and then the torch script, and each number reported is the
#              median over the passes                                       [3]
#   BENCHTIME  go test -benchtime in each pass                             [3s]
#   TORCH_MIN_TIME  seconds of timed torch steps per row in each pass       [3]
#   TORCH_ROUNDS    torch rounds per row in each pass (their median)        [1]
#   PYTHON     interpreter with PyTorch                       [/usr/bin/python3]
#   NO_INSTALL=1    never run apt-get (missing pieces give NA rows instead)
#   OUT_DIR    where raw outputs are kept                      [a mktemp dir]
#   CLOCK      what the ROW lines report: wall (wall-clock) or cpu (process
#              CPU time, all threads, steadier on a busy machine)        [wall]
#   ISA        native, or avx2: on a CPU with AVX-512, cap both sides at AVX2
#              so the figures stand in for an AVX2-only CPU of the same
#              core (OPENBLAS_CORETYPE=Haswell for OpenBLAS under Go and under
#              PyTorch, ONEDNN_MAX_CPU_ISA=AVX2 for PyTorch's convolutions,
#              PHYSBIAS_NOAVX512=1 for physbias's own kernels; PyTorch 1.13's
#              elementwise kernels already stop at AVX2). It emulates the
#              instruction set only, not another core's caches or clocks.  [native]
#
# Output: a table (row, backend, then go, torch and ratio = go/torch in
# wall-clock and in CPU ms per step; the Go CPU time is the benchmark's
# cpu-ms/op metric, NA if it does not report one) and one machine-readable
# line per row and backend:
#   ROW <name> <purego|openblas> go_ms=<x> torch_ms=<y> ratio=<x/y>
# A row whose Go benchmark (or torch side) does not exist or fails prints NA
# there instead of stopping the script. See bench/README.md.
set -euo pipefail

# ---- the rows: name, Go package, Go benchmark; the torch side is the row of
# the same name in bench/torch_steps.py. Add new rows here and there.
ROW_TABLE=(
  "mlp   ./internal/ad  BenchmarkStepMLP"
  "hnn   ./internal/ad  BenchmarkStepHNN"
  "lnn   ./internal/ad  BenchmarkStepLNN"
  "pinn  ./internal/ad  BenchmarkStepPINN"
)
# More rows come from bench/rows/*.row, one "name package benchmark" line
# each (a file per package, so packages add rows without touching this
# script); their torch side is bench/torch_rows/<name>.py (see torch_steps.py).
shopt -s nullglob
for f in "$(dirname "${BASH_SOURCE[0]}")"/rows/*.row; do
  while read -r line; do
    [[ -z $line || $line == \#* ]] && continue
    ROW_TABLE+=("$line")
  done <"$f"
done
shopt -u nullglob

THREADS=${THREADS:-1}
GOCPU=${GOCPU:-$THREADS}
BACKENDS=${BACKENDS:-purego openblas}
BENCHTIME=${BENCHTIME:-3s}
COUNT=${COUNT:-3}
TORCH_MIN_TIME=${TORCH_MIN_TIME:-3}
TORCH_ROUNDS=${TORCH_ROUNDS:-1}
PYTHON=${PYTHON:-/usr/bin/python3}
NO_INSTALL=${NO_INSTALL:-0}
CLOCK=${CLOCK:-wall}
ISA=${ISA:-native}

die() { echo "compare.sh: $*" >&2; exit 1; }
note() { echo "compare.sh: $*" >&2; }

[[ $THREADS =~ ^[1-9][0-9]*$ ]] || die "THREADS=$THREADS, want a positive integer"
[[ $GOCPU =~ ^[1-9][0-9]*$ ]] || die "GOCPU=$GOCPU, want a positive integer"
[[ $COUNT =~ ^[1-9][0-9]*$ ]] || die "COUNT=$COUNT, want a positive integer"
[[ $TORCH_ROUNDS =~ ^[1-9][0-9]*$ ]] || die "TORCH_ROUNDS=$TORCH_ROUNDS, want a positive integer"
[[ $TORCH_MIN_TIME =~ ^[0-9]*\.?[0-9]+$ ]] || die "TORCH_MIN_TIME=$TORCH_MIN_TIME, want seconds"
[[ $CLOCK == wall || $CLOCK == cpu ]] || die "CLOCK=$CLOCK, want wall or cpu"
[[ $ISA == native || $ISA == avx2 ]] || die "ISA=$ISA, want native or avx2"
for b in $BACKENDS; do
  [[ $b == purego || $b == openblas ]] || die "BACKENDS has '$b', want purego and/or openblas"
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
[[ -f go.mod ]] || die "no go.mod in $ROOT"
command -v go >/dev/null || die "go is not on PATH"

ALL_ROWS=()
for entry in "${ROW_TABLE[@]}"; do
  read -r name _ _ <<<"$entry"
  ALL_ROWS+=("$name")
done
ROWS=${ROWS:-${ALL_ROWS[*]}}
declare -A PKG BENCH
for entry in "${ROW_TABLE[@]}"; do
  read -r name pkg bench <<<"$entry"
  PKG[$name]=$pkg
  BENCH[$name]=$bench
done
for r in $ROWS; do
  [[ -n ${PKG[$r]:-} ]] || die "unknown row '$r'; known rows: ${ALL_ROWS[*]}"
done

OUT_DIR=${OUT_DIR:-$(mktemp -d /tmp/physbias-compare.XXXXXX)}
mkdir -p "$OUT_DIR"

# ---- dependencies -------------------------------------------------------
APT_UPDATED=0
apt_install() { # apt_install <package>: 0 when installed
  if [[ $NO_INSTALL == 1 ]]; then
    note "NO_INSTALL=1: not installing $1"
    return 1
  fi
  if ! command -v apt-get >/dev/null; then
    note "apt-get not found: install $1 by hand"
    return 1
  fi
  local sudo=()
  if [[ $(id -u) != 0 ]]; then
    if command -v sudo >/dev/null; then sudo=(sudo); else note "not root and no sudo: install $1 by hand"; return 1; fi
  fi
  note "installing $1 with apt-get"
  if ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y "$1" >"$OUT_DIR/apt-$1.log" 2>&1; then
    if [[ $APT_UPDATED == 0 ]]; then
      APT_UPDATED=1
      "${sudo[@]}" apt-get update >"$OUT_DIR/apt-update.log" 2>&1 || true
      DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y "$1" >"$OUT_DIR/apt-$1.log" 2>&1 && return 0
    fi
    note "apt-get install -y $1 failed (log: $OUT_DIR/apt-$1.log)"
    return 1
  fi
}

have_openblas() {
  [[ -e /usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h || -e /usr/include/openblas/cblas.h ]] ||
    ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so '
}

OPENBLAS_OK=1
if [[ " $BACKENDS " == *" openblas "* ]]; then
  if ! have_openblas; then
    apt_install libopenblas-dev || true
  fi
  if ! have_openblas; then
    note "OpenBLAS development files missing (Debian: apt-get install -y libopenblas-dev): openblas rows are NA"
    OPENBLAS_OK=0
  elif ! command -v "${CC:-gcc}" >/dev/null; then
    note "no C compiler (${CC:-gcc}) for cgo: openblas rows are NA (Debian: apt-get install -y gcc)"
    OPENBLAS_OK=0
  fi
fi

TORCH_OK=1
if ! command -v "$PYTHON" >/dev/null; then
  note "$PYTHON not found: torch columns are NA"
  TORCH_OK=0
elif ! "$PYTHON" -c 'import torch' >/dev/null 2>&1; then
  apt_install python3-torch || true
  if ! "$PYTHON" -c 'import torch' >/dev/null 2>&1; then
    note "PyTorch is missing for $PYTHON (Debian: apt-get install -y python3-torch): torch columns are NA"
    TORCH_OK=0
  fi
fi

NCPU=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")
export OPENBLAS_NUM_THREADS=$THREADS OMP_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS
if [[ $ISA == avx2 ]]; then
  export OPENBLAS_CORETYPE=Haswell ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 PHYSBIAS_NOAVX512=1
fi
CPU_NAME=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -1)
grep -qw avx512f /proc/cpuinfo 2>/dev/null && CPU_ISA="AVX-512" || CPU_ISA="no AVX-512"

echo "# physbias compare: $(date -u '+%Y-%m-%d %H:%M UTC'), $NCPU CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# CPU: ${CPU_NAME:-unknown} ($CPU_ISA); ISA=$ISA"
echo "# $(go version); THREADS=$THREADS (GOMAXPROCS=$GOCPU, OPENBLAS_NUM_THREADS=$THREADS); BENCHTIME=$BENCHTIME COUNT=$COUNT"
echo "# raw outputs in $OUT_DIR"

# ---- Go -----------------------------------------------------------------
# median_ms <go test output file> <benchmark> <unit>: the median of the
# benchmark's <unit> values (ns/op or cpu-ms/op) in ms, or NA.
median_ms() {
  awk -v b="$2" -v unit="$3" '
    $1 ~ ("^" b "(-[0-9]+)?$") { for (i = 2; i < NF; i++) if ($(i+1) == unit) v[n++] = $i }
    END {
      if (n == 0) { print "NA"; exit }
      for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      m = (n % 2) ? v[(n-1)/2] : (v[n/2-1] + v[n/2]) / 2
      printf "%.3f\n", (unit == "ns/op") ? m / 1e6 : m
    }' "$1"
}

# Which benchmarks exist, per backend and package (decided once).
declare -A GO_MS GO_CPU RUN_PATTERN RUN_ROWS
for backend in $BACKENDS; do
  tags=()
  [[ $backend == openblas ]] && tags=(-tags openblas)
  declare -A by_pkg=()
  for r in $ROWS; do
    GO_MS[$r,$backend]=NA
    GO_CPU[$r,$backend]=NA
    by_pkg[${PKG[$r]}]+="$r "
  done
  if [[ $backend == openblas && $OPENBLAS_OK == 0 ]]; then
    unset by_pkg
    continue
  fi
  for pkg in "${!by_pkg[@]}"; do
    rows_here=${by_pkg[$pkg]}
    list="$OUT_DIR/list-$backend-$(echo "$pkg" | tr '/.' '__').txt"
    if [[ ! -d $pkg ]]; then
      note "$pkg does not exist yet: rows ${rows_here% } are NA for $backend"
      continue
    fi
    if ! go test "${tags[@]}" -list '^Benchmark' "$pkg" >"$list" 2>&1; then
      note "go test -list failed for $pkg ($backend); rows ${rows_here% } are NA. Output:"
      sed 's/^/    /' "$list" | head -20 >&2
      continue
    fi
    present=()
    for r in $rows_here; do
      if grep -qx "${BENCH[$r]}" "$list"; then
        present+=("${BENCH[$r]}")
      else
        note "${BENCH[$r]} not found in $pkg: row $r is NA for $backend"
      fi
    done
    ((${#present[@]})) || continue
    RUN_PATTERN[$backend,$pkg]="^($(IFS='|'; echo "${present[*]}"))\$"
    RUN_ROWS[$backend,$pkg]=$rows_here
  done
  unset by_pkg
done

# The passes: Go (each backend) then PyTorch, COUNT times over, so that a
# change in the machine's load hits both sides alike; each side's number is
# the median over the passes.
TORCH_OUT="$OUT_DIR/torch.txt"
: >"$TORCH_OUT"
LNN_HESSIAN=auto
rows_csv=$(echo $ROWS | tr ' ' ',')
for ((pass = 1; pass <= COUNT; pass++)); do
  note "pass $pass of $COUNT"
  for key in "${!RUN_PATTERN[@]}"; do
    backend=${key%%,*}
    pkg=${key#*,}
    tags=()
    [[ $backend == openblas ]] && tags=(-tags openblas)
    out="$OUT_DIR/go-$backend-$(echo "$pkg" | tr '/.' '__').txt"
    ((pass == 1)) && : >"$out"
    note "  go test ${tags[*]} -run '^\$' -bench '${RUN_PATTERN[$key]}' -benchtime $BENCHTIME -count 1 -cpu $GOCPU $pkg"
    if ! go test "${tags[@]}" -run '^$' -bench "${RUN_PATTERN[$key]}" -benchtime "$BENCHTIME" -count 1 \
        -cpu "$GOCPU" -benchmem -timeout 60m "$pkg" >>"$out" 2>&1; then
      note "go test -bench failed for $pkg ($backend); see $out. Last lines:"
      tail -15 "$out" | sed 's/^/    /' >&2
    fi
  done
  if [[ $TORCH_OK == 1 ]]; then
    note "  $PYTHON bench/torch_steps.py --threads $THREADS --rows $rows_csv --min-time $TORCH_MIN_TIME --rounds $TORCH_ROUNDS --lnn-hessian $LNN_HESSIAN"
    tpass="$OUT_DIR/torch-pass$pass.txt"
    if ! "$PYTHON" bench/torch_steps.py --threads "$THREADS" --rows "$rows_csv" --min-time "$TORCH_MIN_TIME" \
        --rounds "$TORCH_ROUNDS" --lnn-hessian "$LNN_HESSIAN" >"$tpass" 2>&1; then
      note "torch_steps.py failed; torch rows it did not print are NA. Last lines:"
      tail -15 "$tpass" | sed 's/^/    /' >&2
    fi
    cat "$tpass" >>"$TORCH_OUT"
    if ((pass == 1)); then
      grep '^#' "$tpass" || true
      # Keep the LNN method the first pass chose.
      m=$(sed -n 's/^# lnn Hessian blocks:.*; timing \(loop\|func\)$/\1/p' "$tpass")
      [[ -n $m ]] && LNN_HESSIAN=$m
    fi
  fi
done

for key in "${!RUN_ROWS[@]}"; do
  backend=${key%%,*}
  pkg=${key#*,}
  out="$OUT_DIR/go-$backend-$(echo "$pkg" | tr '/.' '__').txt"
  for r in ${RUN_ROWS[$key]}; do
    GO_MS[$r,$backend]=$(median_ms "$out" "${BENCH[$r]}" ns/op)
    GO_CPU[$r,$backend]=$(median_ms "$out" "${BENCH[$r]}" cpu-ms/op)
  done
done

# torch_median <tag> <row>: median over the passes of the torch script's
# "<tag> <row> <ms>" lines, or NA.
torch_median() {
  awk -v tag="$1" -v r="$2" '
    $1 == tag && $2 == r && $3 != "NA" { v[n++] = $3 }
    END {
      if (n == 0) { print "NA"; exit }
      for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      printf "%.3f\n", (n % 2) ? v[(n-1)/2] : (v[n/2-1] + v[n/2]) / 2
    }' "$TORCH_OUT"
}
declare -A TORCH_MS TORCH_CPU
for r in $ROWS; do
  TORCH_MS[$r]=$(torch_median torch "$r")
  TORCH_CPU[$r]=$(torch_median torch-cpu "$r")
done

# ---- report -------------------------------------------------------------
ratio() {
  if [[ $1 == NA || $2 == NA ]]; then echo NA; else awk -v g="$1" -v t="$2" 'BEGIN { printf "%.2f\n", g / t }'; fi
}
echo
printf '%-16s %-31s   %-31s\n' "" "---- wall-clock ms/step ----" "------- CPU ms/step -------"
printf '%-8s %-9s %11s %11s %7s   %11s %11s %7s\n' row backend go torch ratio go torch ratio
for r in $ROWS; do
  for backend in $BACKENDS; do
    printf '%-8s %-9s %11s %11s %7s   %11s %11s %7s\n' "$r" "$backend" \
      "${GO_MS[$r,$backend]}" "${TORCH_MS[$r]}" "$(ratio "${GO_MS[$r,$backend]}" "${TORCH_MS[$r]}")" \
      "${GO_CPU[$r,$backend]}" "${TORCH_CPU[$r]}" "$(ratio "${GO_CPU[$r,$backend]}" "${TORCH_CPU[$r]}")"
  done
done
echo
echo "# ROW lines: $CLOCK time per step (CLOCK=wall|cpu); ratio = go/torch"
for r in $ROWS; do
  for backend in $BACKENDS; do
    if [[ $CLOCK == cpu ]]; then g=${GO_CPU[$r,$backend]} t=${TORCH_CPU[$r]}; else g=${GO_MS[$r,$backend]} t=${TORCH_MS[$r]}; fi
    echo "ROW $r $backend go_ms=$g torch_ms=$t ratio=$(ratio "$g" "$t")"
  done
done
