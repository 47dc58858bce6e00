//go:build openblas

package energy

import "gonum.org/v1/netlib/blas/netlib"

func init() { sgemm = netlib.Implementation{}.Sgemm }
