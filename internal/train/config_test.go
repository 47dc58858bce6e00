package train

import (
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestBadConfig: every bad problem or config is an error naming the fault.
func TestBadConfig(t *testing.T) {
	p := newLSQ(t, 20, 2, 4, 7)
	good := p.problem(4)
	nonScalar := G.Must(G.Square(p.w))
	g2 := G.NewGraph()
	foreign := G.NewScalar(g2, tensor.Float64, G.WithName("foreign"), G.WithValue(1.0))
	cases := []struct {
		name string
		p    Problem
		opt  Optimizer
		cfg  Config
		want string
	}{
		{"negative steps", good, Adam{}, Config{Steps: -1, BatchSize: 4}, "Steps is -1"},
		{"negative batch", good, Adam{}, Config{BatchSize: -2}, "BatchSize is -2"},
		{"batch > N", good, Adam{}, Config{BatchSize: 21}, "larger than Problem.N 20"},
		{"nil loss", Problem{Graph: p.g, Params: good.Params}, Adam{}, Config{}, "Loss is nil"},
		{"nil graph", Problem{Loss: p.loss, Params: good.Params}, Adam{}, Config{}, "Graph is nil"},
		{"non-scalar loss", Problem{Graph: p.g, Loss: nonScalar, Params: good.Params}, Adam{}, Config{}, "must be a scalar"},
		{"no params", Problem{Graph: p.g, Loss: p.loss}, Adam{}, Config{}, "no parameters"},
		{"nil param", Problem{Graph: p.g, Loss: p.loss, Params: []*G.Node{p.w, nil}}, Adam{}, Config{}, "parameter 1 is nil"},
		{"param twice", Problem{Graph: p.g, Loss: p.loss, Params: []*G.Node{p.w, p.w}}, Adam{}, Config{}, "listed twice"},
		{"param elsewhere", Problem{Graph: p.g, Loss: p.loss, Params: []*G.Node{foreign}}, Adam{}, Config{}, "not in Problem.Graph"},
		{"param is op", Problem{Graph: p.g, Loss: p.loss, Params: []*G.Node{nonScalar}}, Adam{}, Config{}, "input nodes"},
		{"batch without N", Problem{Graph: p.g, Loss: p.loss, Params: good.Params}, Adam{}, Config{BatchSize: 2}, "Problem.N is 0"},
		{"batch without Feed", Problem{Graph: p.g, Loss: p.loss, Params: good.Params, N: 20}, Adam{}, Config{BatchSize: 2}, "need Problem.Feed"},
		{"Feed without N", Problem{Graph: p.g, Loss: p.loss, Params: good.Params, Feed: good.Feed}, Adam{}, Config{}, "N is 0"},
		{"negative N", Problem{Graph: p.g, Loss: p.loss, Params: good.Params, N: -3}, Adam{}, Config{}, "N is -3"},
		{"huge N", Problem{Graph: p.g, Loss: p.loss, Params: good.Params, N: 1 << 40, Feed: good.Feed}, Adam{}, Config{BatchSize: 4}, "N is 1099511627776"},
		{"negative ReportEvery", good, Adam{}, Config{BatchSize: 4, ReportEvery: -1}, "ReportEvery"},
		{"nil optimizer", good, nil, Config{BatchSize: 4}, "nil Optimizer"},
		{"nil *Adam", good, (*Adam)(nil), Config{BatchSize: 4}, "nil Optimizer"},
		{"negative LR", good, Adam{LR: -1}, Config{BatchSize: 4}, "Adam.LR"},
		{"Beta1 = 1", good, Adam{Beta1: 1}, Config{BatchSize: 4}, "Adam.Beta1"},
		{"Beta2 > 1", good, Adam{Beta2: 1.5}, Config{BatchSize: 4}, "Adam.Beta2"},
		{"negative Eps", good, Adam{Eps: -1}, Config{BatchSize: 4}, "Adam.Eps"},
		{"negative decay", good, Adam{WeightDecay: -1}, Config{BatchSize: 4}, "WeightDecay"},
		{"negative clip", good, Adam{ClipNorm: -1}, Config{BatchSize: 4}, "ClipNorm"},
		{"LBFGS minibatch", good, LBFGS{}, Config{BatchSize: 4}, "full batch"},
		{"LBFGS MaxIter", Problem{Graph: p.g, Loss: p.loss, Params: good.Params, N: 20, Feed: good.Feed}, LBFGS{MaxIter: -1}, Config{}, "MaxIter"},
		{"LBFGS Memory", Problem{Graph: p.g, Loss: p.loss, Params: good.Params, N: 20, Feed: good.Feed}, LBFGS{Memory: -1}, Config{}, "Memory"},
		{"LBFGS GradTol", Problem{Graph: p.g, Loss: p.loss, Params: good.Params, N: 20, Feed: good.Feed}, LBFGS{GradTol: -1}, Config{}, "GradTol"},
	}
	for _, c := range cases {
		_, err := Run(c.p, c.opt, c.cfg)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if !strings.HasPrefix(err.Error(), "train: ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q, want it to mention %q", c.name, err, c.want)
		}
	}
}

// TestNonFloat64Param: float32 parameters are refused.
func TestNonFloat64Param(t *testing.T) {
	g := G.NewGraph()
	w := G.NewVector(g, tensor.Float32, G.WithShape(3), G.WithName("w32"), G.WithInit(G.Zeroes()))
	loss := G.Must(G.Sum(G.Must(G.Square(w))))
	_, err := Run(Problem{Graph: g, Loss: loss, Params: []*G.Node{w}}, Adam{}, Config{})
	if err == nil || !strings.HasPrefix(err.Error(), "train: ") {
		t.Fatalf("got %v, want a train: error", err)
	}
	t.Log(err)
}
