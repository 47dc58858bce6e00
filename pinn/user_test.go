package pinn_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/physbias/physbias/pinn"
)

// poisson2D is a PDE pinn does not ship, written as a user would, with the
// Fields helpers only: −Δu = 2π² sin πx sin πy on [0, 1]², u = 0 on the
// boundary, whose solution is u = sin πx sin πy. The source is built from
// the coordinates with Sin and Mul, not given as a Go function.
func poisson2D() pinn.Problem {
	return pinn.Problem{
		Domain: pinn.Domain{Space: []pinn.Interval{{Lo: 0, Hi: 1}, {Lo: 0, Hi: 1}}},
		Residual: func(f *pinn.Fields) (*pinn.Node, error) {
			src := f.Scale(2*math.Pi*math.Pi, f.Mul(f.Sin(f.Scale(math.Pi, f.X(0))), f.Sin(f.Scale(math.Pi, f.X(1)))))
			return f.Add(f.Laplacian(), src), nil
		},
		Conditions: []pinn.Condition{{Kind: pinn.Dirichlet, Dim: 0}, {Kind: pinn.Dirichlet, Dim: 1}},
	}
}

func poissonExact(p []float64) float64 { return math.Sin(math.Pi*p[0]) * math.Sin(math.Pi*p[1]) }

// A user's own PDE, end to end through the public API: train, check against
// the closed form, save, load into a fresh model, and get bit-identical
// predictions and derivatives; then train both on and stay bit-identical.
func TestUserPoissonSaveLoad(t *testing.T) {
	for _, mode := range []pinn.Constraints{pinn.Soft, pinn.Hard} {
		t.Run(mode.String(), func(t *testing.T) {
			p := poisson2D()
			m, err := pinn.New(p, pinn.Config{Hidden: []int{16, 16}, Collocation: 200, BoundaryPoints: 25, Constraints: mode, Seed: 3})
			if err != nil {
				t.Fatal(err)
			}
			tc := pinn.TrainConfig{Phases: []pinn.Phase{pinn.Adam{Steps: 200, LR: 1e-2}, pinn.LBFGS{MaxIter: 400}}}
			if _, err := m.Train(context.Background(), tc); err != nil {
				t.Fatal(err)
			}
			grid := make([][]float64, 0, 21*21)
			exact := make([]float64, 0, 21*21)
			for i := 0; i <= 20; i++ {
				for j := 0; j <= 20; j++ {
					q := []float64{float64(i) / 20, float64(j) / 20}
					grid = append(grid, q)
					exact = append(exact, poissonExact(q))
				}
			}
			u, err := m.Predict(grid)
			if err != nil {
				t.Fatal(err)
			}
			e, err := pinn.RelativeL2(u, exact)
			if err != nil {
				t.Fatal(err)
			}
			// Measured: soft 8.8e-3 (the boundary is a penalty), hard
			// 4.1e-5 (met exactly); 7.9e-3 / 4.2e-5 when first written.
			// Bounds about 2.5× those.
			bound := map[pinn.Constraints]float64{pinn.Soft: 2e-2, pinn.Hard: 1e-4}[mode]
			t.Logf("%v: relative L2 error %.2g against sin πx sin πy", mode, e)
			if e > bound {
				t.Errorf("relative L2 error %.3g > %.0g", e, bound)
			}
			// A refinement round, so the file must carry the added points.
			if _, err := m.Refine(pinn.Refinement{Candidates: 500, Add: 7}); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "poisson.pinn")
			if err := m.SaveFile(path); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := m.Save(&buf); err != nil {
				t.Fatal(err)
			}
			fresh, err := pinn.LoadFile(path, poisson2D())
			if err != nil {
				t.Fatal(err)
			}
			fromMem, err := pinn.Load(bytes.NewReader(buf.Bytes()), poisson2D())
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range []*pinn.Model{fresh, fromMem} {
				sameBits(t, "Predict", m.Predict, l.Predict, grid)
				d0, err := m.Derivatives(grid[:50])
				if err != nil {
					t.Fatal(err)
				}
				d1, err := l.Derivatives(grid[:50])
				if err != nil {
					t.Fatal(err)
				}
				for k := range d0.U {
					if !bitsEqual(d0.Grad[k], d1.Grad[k]) || !bitsEqual(d0.Hess[k], d1.Hess[k]) {
						t.Fatalf("derivatives at %v differ after Load", grid[k])
					}
				}
				if a, b := len(m.Collocation()), len(l.Collocation()); a != b {
					t.Errorf("collocation points: %d saved, %d loaded", a, b)
				}
				c0, _ := m.Config()
				c1, _ := l.Config()
				if c0.Seed != c1.Seed || c0.Collocation != c1.Collocation || c0.Constraints != c1.Constraints {
					t.Errorf("Config %+v saved, %+v loaded", c0, c1)
				}
			}
			// Both train on identically.
			more := pinn.TrainConfig{Phases: []pinn.Phase{pinn.LBFGS{MaxIter: 20}}}
			if _, err := m.Train(context.Background(), more); err != nil {
				t.Fatal(err)
			}
			if _, err := fresh.Train(context.Background(), more); err != nil {
				t.Fatal(err)
			}
			sameBits(t, "Predict after more training", m.Predict, fresh.Predict, grid)
		})
	}
}

func sameBits(t *testing.T, what string, f, g func([][]float64) ([]float64, error), pts [][]float64) {
	t.Helper()
	a, err := f(pts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := g(pts)
	if err != nil {
		t.Fatal(err)
	}
	if !bitsEqual(a, b) {
		t.Fatalf("%s: values differ", what)
	}
}

func bitsEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// Load refuses corrupt files and problems that do not match the file.
func TestLoadErrors(t *testing.T) {
	m, err := pinn.New(poisson2D(), pinn.Config{Hidden: []int{4}, Collocation: 10, BoundaryPoints: 5})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)/2] ^= 1
	for name, b := range map[string][]byte{
		"truncated": good[:len(good)-9],
		"flipped":   flipped,
		"empty":     nil,
		"foreign":   []byte("P1\n2 2\n0 1 1 0\n"),
	} {
		if _, err := pinn.Load(bytes.NewReader(b), poisson2D()); !errors.Is(err, pinn.ErrCorrupt) {
			t.Errorf("%s file: %v, want ErrCorrupt", name, err)
		}
	}
	other := poisson2D()
	other.Domain.Space[1].Hi = 2
	if _, err := pinn.Load(bytes.NewReader(good), other); !errors.Is(err, pinn.ErrInput) || !strings.Contains(err.Error(), "domain") {
		t.Errorf("another domain: %v", err)
	}
	if _, err := pinn.LoadFile(filepath.Join(t.TempDir(), "missing.pinn"), poisson2D()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want os.ErrNotExist", err)
	}
	other = poisson2D()
	other.Conditions = other.Conditions[:1]
	if _, err := pinn.Load(bytes.NewReader(good), other); !errors.Is(err, pinn.ErrInput) {
		t.Errorf("fewer conditions: %v", err)
	}
}

// Every method of a zero Model returns ErrZeroValue; none panics.
func TestZeroModel(t *testing.T) {
	var m pinn.Model
	pts := [][]float64{{0.5, 0.5}}
	errs := map[string]error{}
	_, errs["Train"] = m.Train(context.Background(), pinn.TrainConfig{})
	_, errs["Predict"] = m.Predict(pts)
	_, errs["Derivatives"] = m.Derivatives(pts)
	_, errs["Residual"] = m.Residual(pts)
	_, errs["Coef"] = m.Coef("k")
	_, errs["Refine"] = m.Refine(pinn.Refinement{})
	_, errs["Config"] = m.Config()
	errs["Save"] = m.Save(&bytes.Buffer{})
	errs["SaveFile"] = m.SaveFile(filepath.Join(t.TempDir(), "x"))
	var nilModel *pinn.Model
	_, errs["nil Predict"] = nilModel.Predict(pts)
	for name, err := range errs {
		if !errors.Is(err, pinn.ErrZeroValue) {
			t.Errorf("%s on a zero Model: %v", name, err)
		}
	}
	if m.Dim() != 0 || m.Collocation() != nil || len(m.Terms()) != 0 {
		t.Error("Dim, Collocation or Terms of a zero Model not empty")
	}
}

// A Fields or Derivs not made by the package does nothing and does not
// panic; Fields.Err says why.
func TestZeroFieldsAndDerivs(t *testing.T) {
	for _, f := range []*pinn.Fields{nil, {}} {
		n := f.Add(f.Sin(f.U()), f.Div(f.Ux(0), f.Const(2)))
		n = f.Mul(f.Pow(f.Laplacian(), 2), f.Sub(f.Ut(), f.Scale(2, f.Shift(f.X(0), 1))))
		if n != nil || f.Len() != 0 || f.Points() != nil {
			t.Error("a zero Fields returned something")
		}
		f.Fail(errors.New("x"))
		if err := f.Err(); !errors.Is(err, pinn.ErrZeroValue) {
			t.Errorf("zero Fields Err: %v", err)
		}
	}
	for _, d := range []*pinn.Derivs{nil, {}} {
		if d.D(0) != nil || d.D2(0, 0) != nil || d.Ut() != nil || d.Utt() != nil || d.Ux(0) != nil || d.Uxx(0) != nil || len(d.Laplacian()) != 0 {
			t.Error("a zero Derivs returned something")
		}
	}
}
