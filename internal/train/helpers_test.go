package train

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/rng"
)

// lsq is a linear least-squares problem: loss = mean((X·w + b − y)²) with
// random X, y = X·wTrue + bTrue + noise, and its closed-form minimiser.
type lsq struct {
	X, Y       []float64 // n×d row-major, n
	n, d       int
	wStar      []float64 // closed-form optimum (d weights then the bias)
	lossStar   float64
	g          *G.ExprGraph
	x, y, w, b *G.Node
	loss       *G.Node
}

// newLSQ builds the problem; with batch > 0 the graph's inputs hold batch
// rows (fed by feed), otherwise all n rows are fixed in the graph.
func newLSQ(t testing.TB, n, d, batch int, seed uint64) *lsq {
	t.Helper()
	r := rng.New(seed)
	p := &lsq{n: n, d: d, X: make([]float64, n*d), Y: make([]float64, n)}
	for i := range p.X {
		p.X[i] = r.NormFloat64()
	}
	for i := 0; i < n; i++ {
		s := 0.5 // true bias
		for j := 0; j < d; j++ {
			s += float64(j+1) * 0.3 * p.X[i*d+j]
		}
		p.Y[i] = s + 0.1*r.NormFloat64()
	}
	// Closed form: least squares on [X 1].
	var sol mat.Dense
	if err := sol.Solve(p.design(), mat.NewVecDense(n, p.Y)); err != nil {
		t.Fatal(err)
	}
	p.wStar = make([]float64, d+1)
	for j := range p.wStar {
		p.wStar[j] = sol.At(j, 0)
	}
	for i := 0; i < n; i++ {
		e := p.wStar[d] - p.Y[i]
		for j := 0; j < d; j++ {
			e += p.X[i*d+j] * p.wStar[j]
		}
		p.lossStar += e * e / float64(n)
	}

	rows := n
	if batch > 0 {
		rows = batch
	}
	p.g = G.NewGraph()
	p.x = G.NewMatrix(p.g, tensor.Float64, G.WithShape(rows, d), G.WithName("x"))
	p.y = G.NewMatrix(p.g, tensor.Float64, G.WithShape(rows, 1), G.WithName("y"))
	if batch == 0 {
		mustLet(t, p.x, tensor.New(tensor.WithShape(n, d), tensor.WithBacking(append([]float64(nil), p.X...))))
		mustLet(t, p.y, tensor.New(tensor.WithShape(n, 1), tensor.WithBacking(append([]float64(nil), p.Y...))))
	}
	p.w = G.NewMatrix(p.g, tensor.Float64, G.WithShape(d, 1), G.WithName("w"), G.WithInit(G.Zeroes()))
	p.b = G.NewScalar(p.g, tensor.Float64, G.WithName("b"), G.WithValue(0.0))
	pred := G.Must(G.Add(G.Must(G.Mul(p.x, p.w)), p.b))
	p.loss = G.Must(G.Mean(G.Must(G.Square(G.Must(G.Sub(pred, p.y))))))
	return p
}

func mustLet(t testing.TB, n *G.Node, v any) {
	t.Helper()
	if err := G.Let(n, v); err != nil {
		t.Fatal(err)
	}
}

// problem returns the train.Problem; with batch > 0 Feed gathers rows.
func (p *lsq) problem(batch int) Problem {
	pr := Problem{Graph: p.g, Loss: p.loss, Params: []*G.Node{p.w, p.b}}
	if batch > 0 {
		pr.N = p.n
		pr.Feed = func(idx []int) error {
			xb := make([]float64, len(idx)*p.d)
			yb := make([]float64, len(idx))
			for k, i := range idx {
				copy(xb[k*p.d:], p.X[i*p.d:(i+1)*p.d])
				yb[k] = p.Y[i]
			}
			if err := G.Let(p.x, tensor.New(tensor.WithShape(len(idx), p.d), tensor.WithBacking(xb))); err != nil {
				return err
			}
			return G.Let(p.y, tensor.New(tensor.WithShape(len(idx), 1), tensor.WithBacking(yb)))
		}
	}
	return pr
}

// params returns the current weights then the bias.
func (p *lsq) params(t testing.TB) []float64 {
	t.Helper()
	v, err := Values([]*G.Node{p.w, p.b})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// design returns the n×(d+1) matrix [X 1] of the problem.
func (p *lsq) design() *mat.Dense {
	A := mat.NewDense(p.n, p.d+1, nil)
	for i := 0; i < p.n; i++ {
		for j := 0; j < p.d; j++ {
			A.Set(i, j, p.X[i*p.d+j])
		}
		A.Set(i, p.d, 1)
	}
	return A
}

// checkParams compares the trained weights with the closed-form least
// squares solution, coordinate by coordinate, within tol.
func (p *lsq) checkParams(t testing.TB, tol float64) {
	t.Helper()
	got := p.params(t)
	for j, want := range p.wStar {
		if math.Abs(got[j]-want) > tol {
			t.Errorf("param %d: %.12f, closed form %.12f (tolerance %g)", j, got[j], want, tol)
		}
	}
}
