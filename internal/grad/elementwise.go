package grad

import (
	"strings"

	G "gorgonia.org/gorgonia"
)

// elemBinAdjoints differentiates gorgonia's elementwise binary ops (+, −, ⊙,
// ÷, ^, also between a scalar and a tensor), building only the adjoints that
// are needed: gorgonia's SymDiff builds both, and the one not needed would
// stay in the graph and run at every step.
func elemBinAdjoints(n *G.Node, kids []*G.Node, gz *G.Node, need []bool) ([]*G.Node, error) {
	res := make([]*G.Node, 2)
	var err error
	x, y := kids[0], kids[1]
	sym, _, _ := strings.Cut(n.Op().String(), " ")
	switch sym {
	case "⊙", "÷", "^": // these rules compute with x and y
		if x, err = unalias(x); err != nil {
			return nil, err
		}
		if y, err = unalias(y); err != nil {
			return nil, err
		}
	}
	switch sym {
	case "+":
		res[0], res[1] = gz, gz
	case "-":
		res[0] = gz
		if need[1] {
			res[1], err = G.Neg(gz)
		}
	case "⊙":
		if need[0] {
			if res[0], err = G.HadamardProd(gz, y); err != nil {
				return nil, err
			}
		}
		if need[1] {
			res[1], err = G.HadamardProd(gz, x)
		}
	case "÷": // z = x/y: x̄ = z̄/y, ȳ = −z̄·z/y
		if need[0] {
			if res[0], err = G.HadamardDiv(gz, y); err != nil {
				return nil, err
			}
		}
		if need[1] {
			var t *G.Node
			if t, err = G.HadamardDiv(n, y); err != nil {
				return nil, err
			}
			if t, err = G.HadamardProd(gz, t); err != nil {
				return nil, err
			}
			res[1], err = G.Neg(t)
		}
	case "^": // z = x^y: x̄ = z̄·y·x^(y−1), ȳ = z̄·z·ln x
		if need[0] {
			var one, ym1, p, t *G.Node
			if one, err = scalarConst(n.Graph(), y.Dtype(), 1); err != nil {
				return nil, err
			}
			if ym1, err = G.Sub(y, one); err != nil {
				return nil, err
			}
			if p, err = G.Pow(x, ym1); err != nil {
				return nil, err
			}
			if t, err = G.HadamardProd(gz, y); err != nil {
				return nil, err
			}
			if res[0], err = G.HadamardProd(t, p); err != nil {
				return nil, err
			}
		}
		if need[1] {
			var lx, t *G.Node
			if lx, err = G.Log(x); err != nil {
				return nil, err
			}
			if t, err = G.HadamardProd(gz, n); err != nil {
				return nil, err
			}
			res[1], err = G.HadamardProd(t, lx)
		}
	default:
		return nil, errorf(ErrUnsupported, "op %s is not differentiable", opName(n))
	}
	if err != nil {
		return nil, err
	}
	// a scalar operand of a tensor op gets the sum of its adjoint
	for j, c := range kids {
		if need[j] && res[j] != nil && c.IsScalar() && !res[j].IsScalar() {
			if res[j], err = G.Sum(res[j]); err != nil {
				return nil, err
			}
		}
	}
	return res, nil
}

// invSqrtAdjoint replaces gorgonia's InverseSqrt derivative, which is wrong
// (it computes −z̄/(2y³), not −z̄·y³/2): for y = x^(−1/2), x̄ = −½·z̄·y³.
func invSqrtAdjoint(n *G.Node, gz *G.Node) ([]*G.Node, error) {
	c, err := scalarConst(n.Graph(), n.Dtype(), -0.5)
	if err != nil {
		return nil, err
	}
	y3, err := G.Cube(n)
	if err != nil {
		return nil, err
	}
	t, err := G.HadamardProd(gz, y3)
	if err != nil {
		return nil, err
	}
	r, err := G.HadamardProd(t, c)
	if err != nil {
		return nil, err
	}
	return []*G.Node{r}, nil
}
