package hopfield

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/physbias/physbias/internal/ad"
	"github.com/physbias/physbias/internal/cputime"
	"github.com/physbias/physbias/internal/rng"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// benchRetrieval times UpdateBatch for b queries against p patterns of
// dimension d and reports
//   - qpd/s: queries × patterns × dimension per second;
//   - gemm_Gmadd/s: the machine's GEMM rate in the same run, the
//     multiply-adds per second of the two plain dgemm calls a retrieval
//     needs, at full size (scores B×P = Q Xᵀ, then values B×d = S X; 2·b·p·d
//     multiply-adds), by the fastest GEMM of the build: the build's BLAS
//     (blas64: gonum's native Dgemm, or OpenBLAS under -tags openblas) in
//     either layout (X stored P×d or d×P), or the core's GEMM (ad.Gemm,
//     AVX2/FMA kernel) on the layout UpdateBatch uses;
//   - gemm_fraction: the retrieval's multiply-add rate (2·b·p·d per
//     update) divided by that GEMM rate (gemm_fraction_cpu: the same by
//     process CPU time, steadier on a busy machine). 1 would mean the softmax, the
//     query blocking and the bookkeeping cost nothing; above 1, the
//     blocked products ran faster than the unblocked reference (cache)
//     or the softmax ran on idle cores. The softmax costs one exp per
//     score against 2d multiply-adds, so a fast BLAS (OpenBLAS) at small
//     d makes the fraction exp-bound.
//
// The two dgemm calls run in every iteration beside the retrieval (outside
// its timer), so that both see the same machine load.
func benchRetrieval(b *testing.B, queries, p, d int) {
	m, _ := randomModernB(p, d)
	q := mat.NewDense(queries, d, nil)
	r := rng.New(2)
	for i := 0; i < queries; i++ {
		for j := 0; j < d; j++ {
			q.Set(i, j, r.NormFloat64())
		}
	}
	out := mat.NewDense(queries, d, nil)
	x := blas64.General{Rows: p, Cols: d, Stride: d, Data: m.x}
	xt := blas64.General{Rows: d, Cols: p, Stride: p, Data: m.xt}
	sc := blas64.General{Rows: queries, Cols: p, Stride: p, Data: make([]float64, queries*p)}
	o := blas64.General{Rows: queries, Cols: d, Stride: d, Data: make([]float64, queries*d)}
	gemmsPd := func() { // X stored P×d
		blas64.Gemm(blas.NoTrans, blas.Trans, 1, q.RawMatrix(), x, 0, sc)
		blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, sc, x, 0, o)
	}
	gemmsDp := func() { // X stored d×P
		blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, q.RawMatrix(), xt, 0, sc)
		blas64.Gemm(blas.NoTrans, blas.Trans, 1, sc, xt, 0, o)
	}
	qd := q.RawMatrix().Data
	coreDp := func() { // the core's GEMM (ad.Gemm), X stored d×P and P×d: what UpdateBatch runs on
		ad.Gemm(false, false, queries, p, d, qd, d, m.xt, p, sc.Data, p)
		ad.Gemm(false, false, queries, d, p, sc.Data, p, m.x, d, o.Data, d)
	}
	refs := []func(){gemmsPd, gemmsDp, coreDp}
	for _, f := range refs { // warm up
		f()
	}
	tRef := make([]time.Duration, len(refs))
	cRef := make([]float64, len(refs)) // CPU seconds
	cRet := 0.0
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		for i, f := range refs {
			t0, c0 := time.Now(), cputime.Seconds()
			f()
			tRef[i] += time.Since(t0)
			cRef[i] += cputime.Seconds() - c0
		}
		b.StartTimer()
		c0 := cputime.Seconds()
		if _, err := m.UpdateBatch(out, q); err != nil {
			b.Fatal(err)
		}
		cRet += cputime.Seconds() - c0
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	work := float64(queries) * float64(p) * float64(d)
	gemm := 2 * work * float64(b.N) / slices.Min(tRef).Seconds()
	b.ReportMetric(work/sec, "qpd/s")
	b.ReportMetric(2*work/sec/gemm, "gemm_fraction")
	// The same by process CPU time (steadier on a loaded machine, where
	// the wall clock also counts waiting for a core).
	b.ReportMetric(slices.Min(cRef)/cRet, "gemm_fraction_cpu")
	b.ReportMetric(gemm/1e9, "gemm_Gmadd/s")
}

func randomModernB(p, d int) (*Modern, error) {
	r := rng.New(1)
	xs := make([][]float64, p)
	for k := range xs {
		xs[k] = make([]float64, d)
		for i := range xs[k] {
			xs[k][i] = r.NormFloat64() / 8
		}
	}
	return NewModern(xs, 1)
}

// The test task's size (d = 64, P = 1,000) and a larger one.
func BenchmarkModernRetrieval(b *testing.B) {
	for _, c := range []struct{ queries, p, d int }{{1000, 1000, 64}, {1024, 4096, 256}} {
		b.Run(fmt.Sprintf("B%d_P%d_d%d", c.queries, c.p, c.d), func(b *testing.B) { benchRetrieval(b, c.queries, c.p, c.d) })
	}
}

// One asynchronous recall of the classical network, N = 500, P = 25, 10%
// of bits flipped.
func BenchmarkClassicalRecall(b *testing.B) {
	pats, _ := RandomPatterns(25, 500, 1)
	net, _ := New(500)
	_ = net.StoreHebbian(pats)
	cue, _ := Corrupt(pats[0], 0.1, 2)
	b.ResetTimer()
	for i := range b.N {
		if _, err := net.Recall(cue, RecallConfig{Seed: uint64(i)}); err != nil {
			b.Fatal(err)
		}
	}
}

// Gibbs sweeps of a 10-unit fully connected Boltzmann machine.
func BenchmarkBoltzmannSweep(b *testing.B) {
	r := rng.New(1)
	var edges []Edge
	for i := 0; i < 10; i++ {
		for j := i + 1; j < 10; j++ {
			edges = append(edges, Edge{I: i, J: j, W: r.NormFloat64()})
		}
	}
	bm, _ := NewBoltzmann(10, edges, nil, 1)
	b.ResetTimer()
	_ = bm.Sample(SampleConfig{Burn: -1, Samples: b.N}, func([]int8) error { return nil })
}

// BenchmarkStepPooling is one Adam step of the set classifier of
// pooling_train_test.go as in bench/torch_rows/hopfield.py: a batch of 256
// sets of 16 elements in 8 dimensions, HopfieldPooling with one learned
// query (DimK 8, DimV 16, β = 1), a linear read-out to one logit, the
// logistic loss, trained with TrainGraph.
func BenchmarkStepPooling(b *testing.B) {
	const batch, size, dim, dv = 256, 16, 8, 16
	m, err := newSetModel("hopfield", batch, size, dim, dv, 1)
	if err != nil {
		b.Fatal(err)
	}
	r := rng.New(2)
	for i := range m.xData {
		m.xData[i] = r.NormFloat64()
	}
	for i := range m.yData {
		m.yData[i] = float64(2*r.IntN(2) - 1)
	}
	o := Objective{Graph: m.g, Loss: m.loss, Params: m.params}
	if _, err := TrainGraph(context.Background(), o, TrainConfig{Steps: 1}); err != nil { // Grad and compile
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cputime.Seconds()
	if _, err := TrainGraph(context.Background(), o, TrainConfig{Steps: b.N}); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric((cputime.Seconds()-c0)*1e3/float64(b.N), "cpu-ms/op")
}
