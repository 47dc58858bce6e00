package node

import "testing"

// TestMLPCount: the count Load checks a file against before it builds a
// model is the count New and NewCNF make.
func TestMLPCount(t *testing.T) {
	for _, c := range []Config{{}, {Hidden: []int{3}}, {Hidden: []int{5, 2, 7}, TimeInput: true}, {Hidden: []int{}}} {
		m, err := New(3, c)
		if err != nil {
			t.Fatal(err)
		}
		n, err := mlpCount(3, c.Hidden, c.TimeInput)
		if err != nil || n != len(m.Params()) {
			t.Errorf("%+v: mlpCount %d (%v), New made %d", c, n, err, len(m.Params()))
		}
	}
	cnf, err := NewCNF(2, CNFConfig{Hidden: []int{4}})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := mlpCount(2, []int{4}, true); err != nil || n != len(cnf.Model().Params()) {
		t.Errorf("CNF: mlpCount %d (%v), NewCNF made %d", n, err, len(cnf.Model().Params()))
	}
}
