package gnn

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/rng"
)

// TestMeanAbs checks the fused scale·mean|x| against a direct sum and its
// gradient against central differences of that sum (|x| is linear away
// from 0 and x² quadratic, so the differences are exact up to rounding:
// measured 5.3e-10 relative; bound 3e-9), through one composite loss that
// also uses x elsewhere, run twice to catch stale buffers.
func TestMeanAbs(t *testing.T) {
	const r, c, scale = 5, 7, 0.37
	data := make([]float64, r*c)
	rnd := rng.New(3)
	for i := range data {
		data[i] = rnd.NormFloat64()
		if math.Abs(data[i]) < 0.01 {
			data[i] = 0.5
		}
	}
	g := G.NewGraph()
	x := G.NewMatrix(g, G.Float64, G.WithShape(r, c), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(r, c), tensor.WithBacking(data))))
	ma, err := meanAbs(x, scale)
	if err != nil {
		t.Fatal(err)
	}
	sq, err := G.Mean(G.Must(G.Square(x)))
	if err != nil {
		t.Fatal(err)
	}
	loss := G.Must(G.Add(ma, sq))
	gx, err := G.Grad(loss, x)
	if err != nil {
		t.Fatal(err)
	}
	var lv, gv G.Value
	G.Read(loss, &lv)
	G.Read(gx[0], &gv)
	vm := G.NewTapeMachine(g, G.BindDualValues(x))
	defer vm.Close()
	direct := func(d []float64) float64 {
		a, s := 0.0, 0.0
		for _, v := range d {
			a += math.Abs(v)
			s += v * v
		}
		return scale*a/float64(len(d)) + s/float64(len(d))
	}
	for run := range 2 {
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		got := lv.Data().(float64)
		if want := direct(data); math.Abs(got-want) > 1e-14 {
			t.Fatalf("run %d: loss %v, direct %v", run, got, want)
		}
		grad := append([]float64(nil), gv.Data().([]float64)...)
		worst := 0.0
		for i := range data {
			const h = 1e-5
			orig := data[i]
			at := func(s float64) float64 {
				d := append([]float64(nil), data...)
				d[i] = orig + s*h
				return direct(d)
			}
			fd := (at(1) - at(-1)) / (2 * h)
			worst = math.Max(worst, math.Abs(grad[i]-fd)/math.Max(1e-3, math.Abs(fd)))
		}
		if worst > 3e-9 {
			t.Fatalf("run %d: gradient against central differences: rel err %.2g", run, worst)
		}
		vm.Reset()
	}
	if _, err := meanAbs(G.NewVector(g, G.Float64, G.WithShape(3), G.WithName("v")), 1); err == nil {
		t.Error("meanAbs of a vector: no error")
	}
}
