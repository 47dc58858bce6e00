package energy

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// sgemm is the single-precision matrix product of TrainConfig.Float32:
// gonum's native Sgemm, or OpenBLAS's under the build tag openblas
// (single_openblas.go).
var sgemm = gonum.Implementation{}.Sgemm

// single holds a batch of chains' single-precision operands for
// TrainConfig.Float32: the products vW, hWᵀ and vᵀh run on float32 copies
// of v, h and W, and their results come back to float64 in the heat-bath
// pass.
type single struct {
	w      []float32 // W (nv×nh), shared by the training run's chains
	v      []float32 // visible states (n×nv)
	hs, hp []float32 // hidden samples and probabilities (n×nh)
	ah     []float32 // hidden inputs vW (n×nh)
	av     []float32 // visible inputs hWᵀ (n×nv)
	pk     *packed[float32]
}

func newSingle(n, nv, nh int, w []float32) *single {
	return &single{w: w, v: make([]float32, n*nv), hs: make([]float32, n*nh), hp: make([]float32, n*nh),
		ah: make([]float32, n*nh), av: make([]float32, n*nv),
		pk: &packed[float32]{idx: make([]int, 0, nv), v: make([]float32, n*nv), w: make([]float32, nv*nh), g: make([]float32, nv*nh), gemm: sgemm}}
}

// up32 is up with single-precision products.
func (g *chains) up32(beta float64, sample bool) {
	f, m := g.f, g.m
	for i, x := range g.v {
		f.v[i] = float32(x)
	}
	if f.pk.pack(f.v, g.n, m.nv, f.w, m.nh) {
		f.pk.pre(g.n, m.nh, nil, f.ah)
	} else {
		sgemm(blas.NoTrans, blas.NoTrans, g.n, m.nh, m.nv, 1, f.v, m.nv, f.w, m.nh, 0, f.ah, m.nh)
	}
	var s []float64
	var s32 []float32
	if sample {
		s, s32 = g.hs, f.hs
	}
	heatBathT(f.ah, m.nh, g.hiddenBias(beta), beta, g.hp, f.hp, s, s32, g.r)
}

// down32 is down for binary units with single-precision products; without
// sample it only sets vp.
func (g *chains) down32(beta float64, bias []float64, sample bool) {
	f, m := g.f, g.m
	sgemm(blas.NoTrans, blas.Trans, g.n, m.nv, m.nh, float32(beta), f.hs, m.nh, f.w, m.nh, 0, f.av, m.nv)
	var s []float64
	if sample {
		s = g.v
	}
	heatBathT(f.av, m.nv, bias, 1, g.vp, nil, s, nil, g.r)
}
