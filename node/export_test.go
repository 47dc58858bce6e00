package node

// UseGorgonia makes m evaluate its built-in MLP on the compiled gorgonia
// kernel instead of the fused plain-Go path (on = true), so tests can
// compare the two on the same weights.
func UseGorgonia(m *Model, on bool) { m.noFused = on }

// FusedInUse reports whether m's solves of a batch of B states without
// terms take the fused path.
func FusedInUse(m *Model, B int) bool {
	sys, err := m.system(B, nil, nil)
	return err == nil && sys.fm != nil
}
