package ad

import (
	"fmt"
	"math"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
)

// TestBadInput: every user mistake returns an error that starts with "ad: "
// and names the problem; nothing panics.
func TestBadInput(t *testing.T) {
	g := G.NewGraph()
	m, err := NewMLP(g, "net", []int{3, 4, 1}, Tanh, 1)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewMLP(g, "vec", []int{3, 4, 2}, Tanh, 1)
	if err != nil {
		t.Fatal(err)
	}
	x := G.NewMatrix(g, G.Float64, G.WithShape(5, 3), G.WithName("x"))
	x2 := G.NewMatrix(g, G.Float64, G.WithShape(5, 2), G.WithName("x2"))
	x4 := G.NewMatrix(g, G.Float64, G.WithShape(4, 3), G.WithName("x4"))
	x3d := G.NewTensor(g, G.Float64, 3, G.WithShape(5, 3, 1), G.WithName("x3d"))
	u1 := G.NewMatrix(g, G.Float64, G.WithShape(5, 1), G.WithName("u1"))
	u2 := G.NewMatrix(g, G.Float64, G.WithShape(4, 2), G.WithName("u2"))
	other := G.NewMatrix(G.NewGraph(), G.Float64, G.WithShape(5, 3), G.WithName("o"))
	x32 := G.NewMatrix(g, G.Float32, G.WithShape(5, 3), G.WithName("x32"))
	e := func(_ any, err error) error { return err }
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"nil graph", e(NewMLP(nil, "a", []int{1, 1}, Tanh, 0)), "nil graph"},
		{"one size", e(NewMLP(g, "a", []int{3}, Tanh, 0)), "at least 2"},
		{"zero width", e(NewMLP(g, "a", []int{3, 0, 1}, Tanh, 0)), "layer size 1 is 0"},
		{"huge layer", e(NewMLP(g, "a", []int{1 << 40, 1 << 40}, Tanh, 0)), "more than the 2147483648 supported"},
		{"bad activation", e(NewMLP(g, "a", []int{3, 1}, Activation(42), 0)), "unknown activation"},
		{"Forward nil", e(m.Forward(nil)), "is nil"},
		{"Forward columns", e(m.Forward(x2)), "has 2 columns, want 3"},
		{"Forward rank", e(m.Forward(x3d)), "must be a (batch, 3) matrix"},
		{"Forward graph", e(m.Forward(other)), "another graph"},
		{"Forward dtype", e(m.Forward(x32)), "float64"},
		{"InputGrad vector", e(v.InputGrad(x)), "needs a scalar output"},
		{"Hessian vector", e(v.Hessian(x)), "needs a scalar output"},
		{"Laplacian vector", e(v.Laplacian(x, nil)), "needs a scalar output"},
		{"VJP u width", e(v.VJP(x, u1)), "has 1 columns, want 2"},
		{"VJP u rows", e(v.VJP(x, u2)), "4 rows, input x has 5"},
		{"JVP v width", e(m.JVP(x, x2)), "has 2 columns, want 3"},
		{"JVP v rows", e(m.JVP(x, x4)), "4 rows, input x has 5"},
		{"Jacobian x", e(m.Jacobian(x2)), "has 2 columns"},
		{"HessianBlock empty rows", e(m.HessianBlock(x, nil, []int{0})), "rows is empty"},
		{"HessianBlock empty cols", e(m.HessianBlock(x, []int{0}, []int{})), "cols is empty"},
		{"HessianBlock row range", e(m.HessianBlock(x, []int{0, 3}, []int{0})), "rows[1] = 3 is out of range"},
		{"HessianBlock col range", e(m.HessianBlock(x, []int{0}, []int{-1})), "cols[0] = -1 is out of range"},
		{"Laplacian range", e(m.Laplacian(x, []int{5})), "out of range"},
		{"Laplacian empty", e(m.Laplacian(x, []int{})), "is empty"},
		{"Derivatives range", e(m.Derivatives(x, []int{3})), "second[0] = 3 is out of range"},
		{"Derivatives x", e(m.Derivatives(x2, nil)), "has 2 columns"},
	}
	d, err := m.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	dv, err := v.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, []struct {
		name string
		err  error
		want string
	}{
		{"Dense.Forward x", d.Forward(make([]float64, 2), make([]float64, 1)), "input has length 2, want 3"},
		{"Dense.Forward y", d.Forward(make([]float64, 3), make([]float64, 2)), "output has length 2, want 1"},
		{"Dense.InputGrad g", d.InputGrad(make([]float64, 3), make([]float64, 2)), "output has length 2, want 3"},
		{"Dense.InputGrad vector", dv.InputGrad(make([]float64, 3), make([]float64, 3)), "needs a scalar output"},
		{"Dense.Hessian h", d.Hessian(make([]float64, 3), make([]float64, 3)), "output has length 3, want 9"},
		{"Dense.Hessian vector", dv.Hessian(make([]float64, 3), make([]float64, 9)), "needs a scalar output"},
		{"NewDense sizes", e(NewDense([]int{2}, Tanh, nil, nil)), "at least 2"},
		{"NewDense W", e(NewDense([]int{2, 1}, Tanh, [][]float64{{1}}, [][]float64{{0}})), "W0 has 1 values"},
		{"NewDense NaN weight", e(NewDense([]int{1, 1}, Tanh, [][]float64{{math.NaN()}}, [][]float64{{0}})), "W0[0] = NaN"},
		{"NewDense Inf bias", e(NewDense([]int{1, 1}, Tanh, [][]float64{{1}}, [][]float64{{math.Inf(1)}})), "b0[0] = +Inf"},
		{"CheckFinite NaN", CheckFinite("data", []float64{1, math.NaN()}), "data[1] = NaN"},
		{"CheckFinite Inf", CheckFinite("q", []float64{math.Inf(-1)}), "q[0] = -Inf"},
	}...)
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		msg := c.err.Error()
		if !strings.HasPrefix(msg, "ad: ") || !strings.Contains(msg, c.want) {
			t.Errorf("%s: error %q, want prefix \"ad: \" and %q", c.name, msg, c.want)
		}
	}
	if err := CheckFinite("ok", []float64{1, -2, 0}); err != nil {
		t.Errorf("CheckFinite of finite data: %v", err)
	}
}

// TestZeroValues: methods on a nil or zero-value MLP or Dense return an
// error instead of panicking, and their widths read as 0.
func TestZeroValues(t *testing.T) {
	g := G.NewGraph()
	x := G.NewMatrix(g, G.Float64, G.WithShape(5, 3), G.WithName("x"))
	e := func(_ any, err error) error { return err }
	for _, m := range []*MLP{nil, {}} {
		errs := map[string]error{
			"Forward":      e(m.Forward(x)),
			"InputGrad":    e(m.InputGrad(x)),
			"VJP":          e(m.VJP(x, x)),
			"JVP":          e(m.JVP(x, x)),
			"Jacobian":     e(m.Jacobian(x)),
			"Hessian":      e(m.Hessian(x)),
			"HessianBlock": e(m.HessianBlock(x, []int{0}, []int{0})),
			"Laplacian":    e(m.Laplacian(x, nil)),
			"Derivatives":  e(m.Derivatives(x, nil)),
			"Snapshot":     e(m.Snapshot()),
		}
		for name, err := range errs {
			if err == nil || !strings.Contains(err.Error(), "ad: MLP is nil or empty") {
				t.Errorf("MLP(%v).%s: error %v, want \"ad: MLP is nil or empty\"", m == nil, name, err)
			}
		}
		if m.In() != 0 || m.Out() != 0 || len(m.Params()) != 0 {
			t.Errorf("MLP(%v): In %d, Out %d, %d params; want 0, 0, 0", m == nil, m.In(), m.Out(), len(m.Params()))
		}
	}
	for _, d := range []*Dense{nil, {}} {
		x, y := []float64{1}, make([]float64, 1)
		for name, err := range map[string]error{
			"Forward":   d.Forward(x, y),
			"InputGrad": d.InputGrad(x, y),
			"Hessian":   d.Hessian(x, y),
		} {
			if err == nil || !strings.Contains(err.Error(), "Dense is nil or empty") {
				t.Errorf("Dense(%v).%s: error %v, want \"Dense is nil or empty\"", d == nil, name, err)
			}
		}
		if d.In() != 0 || d.Out() != 0 {
			t.Errorf("Dense(%v): In %d, Out %d; want 0, 0", d == nil, d.In(), d.Out())
		}
	}
}

// TestNewDenseMatchesSnapshot: NewDense from an MLP's own weights gives the
// same function as Snapshot.
func TestNewDenseMatchesSnapshot(t *testing.T) {
	m, _ := newNet(t, []int{2, 3, 1}, Sin, 1, 4)
	var ws, bs [][]float64
	for l := range m.w {
		w, _ := nodeData(m.w[l])
		b, _ := nodeData(m.b[l])
		ws, bs = append(ws, w), append(bs, b)
	}
	d1, err := NewDense(m.Sizes(), m.Activation(), ws, bs)
	if err != nil {
		t.Fatal(err)
	}
	d2, _ := m.Snapshot()
	x := []float64{0.3, -0.8}
	y1, y2 := make([]float64, 1), make([]float64, 1)
	_ = d1.Forward(x, y1)
	_ = d2.Forward(x, y2)
	if y1[0] != y2[0] {
		t.Errorf("NewDense %g vs Snapshot %g", y1[0], y2[0])
	}
}

// FuzzParseActivation: any string parses to a valid activation whose name
// is the string trimmed and lower-cased, or gives an "ad: " error naming it.
func FuzzParseActivation(f *testing.F) {
	for _, s := range []string{"tanh", " SoftPlus ", "relu", "", "sin\x00", "Activation(-1)", "square"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseActivation(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "ad: ") || !strings.Contains(err.Error(), fmt.Sprintf("%q", s)) {
				t.Fatalf("error %q does not start with \"ad: \" or quote the input", err)
			}
			return
		}
		if !a.valid() || a == square || a.String() != strings.ToLower(strings.TrimSpace(s)) {
			t.Fatalf("ParseActivation(%q) = %v (%d)", s, a, int(a))
		}
	})
}
