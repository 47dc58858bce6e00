package gnn

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// EdgeTable holds, for every edge of a set of n-body graphs, the quantities
// a force law is written in, stacked graph by graph in edge order.
type EdgeTable struct {
	// Dim is the spatial dimension.
	Dim int
	// Dx is x_receiver − x_sender per edge.
	Dx [][]float64
	// R is the distance the law uses (softened for the 1/r laws).
	R []float64
	// MR, MS, QR and QS are the masses and charges of each edge's
	// receiver and sender.
	MR, MS, QR, QS []float64
	// Force is the true force on the receiver from the sender.
	Force [][]float64
}

// Edges returns the EdgeTable of graphs whose node features are laid out
// as Simulate makes them, [x (dim), v (dim), q, m], with p's forces.
func (p Potential) Edges(gs []Graph, dim int) (*EdgeTable, error) {
	if p < 0 || int(p) >= len(potNames) {
		return nil, errorf(ErrInput, "unknown Potential %d", int(p))
	}
	if dim != 2 && dim != 3 {
		return nil, errorf(ErrInput, "dimension %d; want 2 or 3", dim)
	}
	c := Config{NodeIn: 2*dim + 2}
	t := &EdgeTable{Dim: dim}
	for i, g := range gs {
		if err := g.check(c, i); err != nil {
			return nil, err
		}
		for k := range g.Senders {
			rv, sv := g.Nodes[g.Receivers[k]], g.Nodes[g.Senders[k]]
			dx := make([]float64, dim)
			for d := range dim {
				dx[d] = rv[d] - sv[d]
			}
			f := make([]float64, dim)
			qr, mr, qs, ms := rv[2*dim], rv[2*dim+1], sv[2*dim], sv[2*dim+1]
			r := p.Force(dx, mr, ms, qr, qs, f)
			t.Dx = append(t.Dx, dx)
			t.R = append(t.R, r)
			t.MR, t.MS, t.QR, t.QS = append(t.MR, mr), append(t.MS, ms), append(t.QR, qr), append(t.QS, qs)
			t.Force = append(t.Force, f)
		}
	}
	return t, nil
}

// MessageFit is the linear fit of the most significant message components
// to the true forces (Cranmer et al. 2020, Fig. 3).
type MessageFit struct {
	// Components are the message components fitted, by decreasing
	// standard deviation over the edges.
	Components []int
	// Std is each fitted component's standard deviation over the edges.
	Std []float64
	// R2 is each component's coefficient of determination in the fit
	// m_c ≈ b + Σ_d a_d F_d.
	R2 []float64
	// Coef holds each fit's (b, a_1, ..., a_dim).
	Coef [][]float64
	// Pred holds each fit's predictions b + a·F, per edge.
	Pred [][]float64
}

// MeanR2 returns the mean of R2.
func (f MessageFit) MeanR2() float64 {
	s := 0.0
	for _, v := range f.R2 {
		s += v
	}
	return s / float64(max(1, len(f.R2)))
}

// FitMessages fits each of the k message components of largest standard
// deviation (k = the force dimension when 0) linearly to the true forces,
// with an intercept, and reports the R² of each fit. msgs and forces hold
// one row per edge.
func FitMessages(msgs, forces [][]float64, k int) (MessageFit, error) {
	if len(msgs) == 0 || len(msgs) != len(forces) {
		return MessageFit{}, errorf(ErrInput, "%d message rows for %d force rows; want as many, at least one", len(msgs), len(forces))
	}
	nm, dim := len(msgs[0]), len(forces[0])
	if nm == 0 || dim == 0 {
		return MessageFit{}, errorf(ErrInput, "empty message or force rows")
	}
	for e := range msgs {
		if len(msgs[e]) != nm || len(forces[e]) != dim {
			return MessageFit{}, errorf(ErrInput, "row %d has %d message and %d force values, want %d and %d", e, len(msgs[e]), len(forces[e]), nm, dim)
		}
		if err := checkFinite(msgs[e], 0, "message", e); err != nil {
			return MessageFit{}, err
		}
		if err := checkFinite(forces[e], 0, "force", e); err != nil {
			return MessageFit{}, err
		}
	}
	if k == 0 {
		k = dim
	}
	if k < 0 || k > nm {
		return MessageFit{}, errorf(ErrInput, "k is %d; want 1 to %d message components", k, nm)
	}
	if len(msgs) <= dim+1 {
		return MessageFit{}, errorf(ErrInput, "%d edges cannot fit %d coefficients", len(msgs), dim+1)
	}
	std := make([]float64, nm)
	for c := range nm {
		std[c] = stdDev(column(msgs, c))
	}
	order := make([]int, nm)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return std[order[a]] > std[order[b]] })
	X := mat.NewDense(len(msgs), dim+1, nil)
	for e, f := range forces {
		X.Set(e, 0, 1)
		for d, v := range f {
			X.Set(e, d+1, v)
		}
	}
	var fit MessageFit
	for _, c := range order[:k] {
		y := column(msgs, c)
		coef, pred, r2, err := leastSquares(X, y)
		if err != nil {
			return MessageFit{}, err
		}
		fit.Components = append(fit.Components, c)
		fit.Std = append(fit.Std, std[c])
		fit.R2 = append(fit.R2, r2)
		fit.Coef = append(fit.Coef, coef)
		fit.Pred = append(fit.Pred, pred)
	}
	return fit, nil
}

func column(rows [][]float64, c int) []float64 {
	y := make([]float64, len(rows))
	for e, r := range rows {
		y[e] = r[c]
	}
	return y
}

func stdDev(y []float64) float64 {
	mean := 0.0
	for _, v := range y {
		mean += v
	}
	mean /= float64(len(y))
	s := 0.0
	for _, v := range y {
		s += (v - mean) * (v - mean)
	}
	return math.Sqrt(s / float64(len(y)))
}

// leastSquares solves min |Xβ − y| and returns β, Xβ and R² = 1 − SS_res/SS_tot
// (1 when y is constant and fitted exactly).
func leastSquares(X *mat.Dense, y []float64) ([]float64, []float64, float64, error) {
	var qr mat.QR
	qr.Factorize(X)
	var beta mat.Dense
	if err := qr.SolveTo(&beta, false, mat.NewDense(len(y), 1, append([]float64(nil), y...))); err != nil {
		return nil, nil, 0, errorf(ErrInput, "least squares: %w", err)
	}
	var pred mat.Dense
	pred.Mul(X, &beta)
	p := mat.Col(nil, 0, &pred)
	mean := 0.0
	for _, v := range y {
		mean += v
	}
	mean /= float64(len(y))
	var res, tot, big float64
	for i, v := range y {
		res += (v - p[i]) * (v - p[i])
		tot += (v - mean) * (v - mean)
		big = math.Max(big, math.Abs(v))
	}
	// A target that does not vary beyond rounding (a dead message
	// component, constant up to 1e-12 of its size) explains nothing: R² 0,
	// not the 1 of a perfect fit of a constant.
	r2 := 0.0
	if noise := 1e-12 * big; tot > float64(len(y))*noise*noise && tot > 0 {
		r2 = 1 - res/tot
	}
	return mat.Col(nil, 0, &beta), p, r2, nil
}

// Law is a force law found by FitLaw: the target y on each edge is
//
//	y ≈ b + Σ_t Σ_d a_{t,d} · Δx_d · s · r^{p_t}
//
// with one scaling s (1, a mass, the product of masses, or the product of
// charges) and one or two powers p_t of the distance.
type Law struct {
	// Scale names s: "1", "m_r", "m_s", "m_r·m_s", "q_r·q_s" (receiver
	// and sender), or a force divided by a receiver property: "q_s" (the
	// sender's field), "1/m_r", "m_s/m_r", "q_s/m_r", "q_r·q_s/m_r" (the
	// acceleration the sender causes).
	Scale string
	// Powers are the powers p_t of r, ascending.
	Powers []int
	// Coef holds a_{t,d}, one row per power.
	Coef [][]float64
	// Intercept is b.
	Intercept float64
	// RelErr is the fit's root-mean-square residual over the standard
	// deviation of y (0 exact, 1 no better than the mean).
	RelErr float64
}

// String writes the law as an expression, for example
// "-2·Δx₁ + 2·Δx₁/r" for the x-component of the spring force.
func (l Law) String() string {
	var terms []string
	big := 0.0
	for _, row := range l.Coef {
		for _, v := range row {
			big = max(big, math.Abs(v))
		}
	}
	sub := []string{"₁", "₂", "₃"}
	for t, p := range l.Powers {
		for d, a := range l.Coef[t] {
			if math.Abs(a) < 1e-3*big {
				continue
			}
			term := fmt.Sprintf("%.3g·Δx%s", a, sub[min(d, 2)])
			if l.Scale != "1" {
				term += "·" + l.Scale
			}
			switch {
			case p == 1:
				term += "·r"
			case p < 0:
				term += fmt.Sprintf("/r%s", powSup(-p))
			case p > 1:
				term += fmt.Sprintf("·r%s", powSup(p))
			}
			terms = append(terms, term)
		}
	}
	if len(terms) == 0 {
		return fmt.Sprintf("%.3g", l.Intercept)
	}
	return strings.ReplaceAll(strings.Join(terms, " + "), "+ -", "- ")
}

func powSup(p int) string {
	switch p {
	case 1:
		return ""
	case 2:
		return "²"
	case 3:
		return "³"
	}
	return fmt.Sprintf("^%d", p)
}

// lawPowers are the candidate powers of r.
var lawPowers = []int{-3, -2, -1, 0, 1}

// FitLaw searches the force laws y ≈ b + Σ_t (a_t·Δx)·s·r^{p_t} (see Law)
// over every scaling s and every set of one or two powers p_t in
// {−3, −2, −1, 0, 1}, each by linear least squares, and returns the
// simplest good one: the best single power, unless the best pair of powers
// cuts the relative error by a quarter and by more than 0.01 (on exact
// data a right law's error is rounding; on noisy data an extra power only
// fits noise, a few per cent). y is one value per edge of t: a component of
// the force, or of a message.
func FitLaw(t *EdgeTable, y []float64) (Law, error) {
	if t == nil || len(t.Dx) == 0 {
		return Law{}, errorf(ErrInput, "empty EdgeTable")
	}
	n := len(t.Dx)
	if len(y) != n || len(t.R) != n || len(t.MR) != n || len(t.MS) != n || len(t.QR) != n || len(t.QS) != n {
		return Law{}, errorf(ErrInput, "%d targets for an EdgeTable of %d edges (or its columns disagree)", len(y), n)
	}
	if err := checkFinite(y, 0, "target", 0); err != nil {
		return Law{}, err
	}
	dim := t.Dim
	if dim < 1 || dim > 3 {
		return Law{}, errorf(ErrInput, "EdgeTable.Dim is %d; want 1 to 3", dim)
	}
	for e, dx := range t.Dx {
		if len(dx) != dim {
			return Law{}, errorf(ErrInput, "EdgeTable.Dx[%d] has %d values, want %d", e, len(dx), dim)
		}
		if err := checkFinite(dx, 0, "Δx", e); err != nil {
			return Law{}, err
		}
	}
	if err := checkFinite(t.R, 0, "r", 0); err != nil {
		return Law{}, err
	}
	if n <= 2*dim+1 {
		return Law{}, errorf(ErrInput, "%d edges cannot fit %d coefficients", n, 2*dim+1)
	}
	sd := stdDev(y)
	scales := []struct {
		name string
		s    func(e int) float64
	}{
		{"1", func(int) float64 { return 1 }},
		{"m_r", func(e int) float64 { return t.MR[e] }},
		{"m_s", func(e int) float64 { return t.MS[e] }},
		{"m_r·m_s", func(e int) float64 { return t.MR[e] * t.MS[e] }},
		{"q_r·q_s", func(e int) float64 { return t.QR[e] * t.QS[e] }},
		// A message may carry the force divided by a property of the
		// receiver that the node update multiplies back: the sender's
		// field (q_s, the force per unit receiver charge) or the
		// acceleration it causes (÷ m_r).
		{"q_s", func(e int) float64 { return t.QS[e] }},
		{"1/m_r", func(e int) float64 { return 1 / t.MR[e] }},
		{"m_s/m_r", func(e int) float64 { return t.MS[e] / t.MR[e] }},
		{"q_s/m_r", func(e int) float64 { return t.QS[e] / t.MR[e] }},
		{"q_r·q_s/m_r", func(e int) float64 { return t.QR[e] * t.QS[e] / t.MR[e] }},
	}
	fit := func(si int, powers []int) (Law, error) {
		X := mat.NewDense(n, 1+len(powers)*dim, nil)
		for e := range n {
			X.Set(e, 0, 1)
			s := scales[si].s(e)
			for ti, p := range powers {
				rp := math.Pow(t.R[e], float64(p))
				for d := range dim {
					X.Set(e, 1+ti*dim+d, t.Dx[e][d]*s*rp)
				}
			}
		}
		coef, pred, _, err := leastSquares(X, y)
		if err != nil {
			return Law{}, err
		}
		res := 0.0
		for e, v := range y {
			res += (v - pred[e]) * (v - pred[e])
		}
		l := Law{Scale: scales[si].name, Powers: append([]int(nil), powers...), Intercept: coef[0]}
		for ti := range powers {
			l.Coef = append(l.Coef, coef[1+ti*dim:1+(ti+1)*dim])
		}
		l.RelErr = math.Sqrt(res/float64(n)) / math.Max(sd, math.SmallestNonzeroFloat64)
		return l, nil
	}
	best1, best2 := Law{RelErr: math.Inf(1)}, Law{RelErr: math.Inf(1)}
	for si := range scales {
		for i, p := range lawPowers {
			l, err := fit(si, []int{p})
			if err != nil {
				return Law{}, err
			}
			if l.RelErr < best1.RelErr {
				best1 = l
			}
			for _, q := range lawPowers[i+1:] {
				l, err := fit(si, []int{p, q})
				if err != nil {
					return Law{}, err
				}
				if l.RelErr < best2.RelErr {
					best2 = l
				}
			}
		}
	}
	if best2.RelErr < 0.75*best1.RelErr && best1.RelErr-best2.RelErr > 0.01 {
		return best2, nil
	}
	return best1, nil
}
