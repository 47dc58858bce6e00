package train

// Optimizer is a training method Run can use: *Adam or *LBFGS (or their
// values). Its one method is unexported, so the set is closed: Run knows
// what every optimizer supports and rejects what it does not (L-BFGS with
// minibatches, for example).
type Optimizer interface {
	// String names the optimizer and its settings, for messages.
	String() string
	// check validates the optimizer's settings against cfg before Run
	// touches the graph.
	check(cfg Config) error
	minimize(s *session) error
}

var (
	_ Optimizer = Adam{}
	_ Optimizer = (*Adam)(nil)
	_ Optimizer = LBFGS{}
	_ Optimizer = (*LBFGS)(nil)
)
