package opbuf

import (
	"slices"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func dense(s tensor.Shape, v ...float64) *tensor.Dense {
	return tensor.New(tensor.WithShape(s...), tensor.WithBacking(v))
}

func TestInputChecksTypeDtypeShape(t *testing.T) {
	f32 := tensor.New(tensor.WithShape(2), tensor.WithBacking([]float32{1, 2}))
	for _, c := range []struct {
		v    G.Value
		want string
	}{
		{G.NewF64(1), "segment: Sum: input 1 is a *gorgonia.F64, want a *tensor.Dense"},
		{f32, "segment: Sum: input 1 has dtype float32, want float64"},
		{dense(tensor.Shape{3}, 1, 2, 3), "segment: Sum: input 1 has shape (3), want (2)"},
	} {
		_, err := Input("segment", "Sum", 1, c.v, tensor.Shape{2})
		if err == nil || err.Error() != c.want {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
	d, err := Input("linalg", "Solve", 0, dense(tensor.Shape{2}, 4, 5), tensor.Shape{2})
	if err != nil || !slices.Equal(d, []float64{4, 5}) {
		t.Fatalf("got %v, %v", d, err)
	}
}

// A strided view (a column of a 3×2 matrix) is read in its own row-major
// order, not the backing array's.
func TestInputMaterialisesAView(t *testing.T) {
	m := dense(tensor.Shape{3, 2}, 1, 2, 3, 4, 5, 6)
	col, err := m.Slice(nil, tensor.S(1))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Input("linalg", "MatVec", 0, col.(*tensor.Dense), tensor.Shape{3})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d, []float64{2, 4, 6}) {
		t.Fatalf("column read as %v, want [2 4 6]", d)
	}
}

func TestOutputReusesOnlyAFreeBuffer(t *testing.T) {
	s := tensor.Shape{2, 2}
	pre := dense(s, 0, 0, 0, 0)
	in := []float64{1, 2, 3}
	if out, d := Output(pre, s, in); out != pre || len(d) != 4 {
		t.Fatalf("a free preallocated tensor of the right shape was not reused")
	}
	if out, _ := Output(pre, tensor.Shape{4}, in); out == pre {
		t.Fatalf("a tensor of another shape was reused")
	}
	back := pre.Data().([]float64)
	if out, d := Output(pre, s, back[2:3]); out == pre || len(d) != 4 {
		t.Fatalf("a tensor sharing memory with an input was reused")
	}
	if out, d := Output(nil, s); out == nil || len(d) != 4 || !out.Shape().Eq(s) {
		t.Fatalf("no preallocation: got %v", out)
	}
}

func TestOverlaps(t *testing.T) {
	a := make([]float64, 10)
	for _, c := range []struct {
		d, o []float64
		want bool
	}{
		{a[:5], a[5:], false}, // adjacent, disjoint
		{a[:6], a[5:], true},  // one shared element
		{a[3:4], a, true},     // inside
		{a[:0], a, false},     // empty shares nothing
		{a, nil, false},
		{a, make([]float64, 10), false},
	} {
		if got := Overlaps(c.d, c.o); got != c.want {
			t.Errorf("Overlaps(len %d, len %d) = %v, want %v", len(c.d), len(c.o), got, c.want)
		}
	}
}
