#!/usr/bin/env bash
# bench/node_scipy.sh — node's Dormand–Prince 5(4) beside SciPy's
# solve_ivp(method="RK45") on four initial value problems with known
# solutions or tight references (Arenstorf's orbit, a Kepler orbit of
# eccentricity 0.6, Van der Pol with μ = 10, a damped spiral), at
# rtol = atol = 1e-6 and 1e-9. One line each:
#
#   NFE <problem> <tol> go=<n> scipy=<m> go_err=<e1> scipy_err=<e2> time_ratio=<go/scipy>
#
# time_ratio compares wall-clock time per solve (each side repeated for at
# least 0.2 s); on a shared machine it is noisy. Needs Debian's python3-scipy
# (installed with apt-get when missing, unless NO_INSTALL=1).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-/usr/bin/python3}
if ! "$PYTHON" -c "import scipy" 2>/dev/null; then
  if [[ ${NO_INSTALL:-0} == 1 ]]; then
    echo "node_scipy.sh: scipy is missing for $PYTHON (apt-get install -y python3-scipy)" >&2
    exit 1
  fi
  apt-get install -y python3-scipy >&2
fi
cd "$ROOT"
echo "# $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //'); Go $(go env GOVERSION); $("$PYTHON" -c 'import scipy, sys; print("SciPy", scipy.__version__, "Python", sys.version.split()[0])')"
go run ./examples/node/ivp | "$PYTHON" "$ROOT/bench/node_scipy.py"
