package grad

import (
	"fmt"
	"reflect"

	G "gorgonia.org/gorgonia"
)

// adjoints returns the adjoint of each input of n for which need is set
// (nil for the others), given gz, the adjoint of n. It picks the rule for n's
// op: the core's own for the ops whose SymDiff is wrong, not differentiable
// again, or builds dead nodes for inputs that need no adjoint (see doc.go);
// the op's own SymDiff otherwise.
func adjoints(n *G.Node, kids []*G.Node, gz *G.Node, need []bool) (res []*G.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errorf(ErrUnsupported, "op %s: building its derivative (inputs %v, adjoint %v) panicked: %v", opName(n), shapes(kids), gz.Shape(), r)
		}
	}()
	op := n.Op()
	switch opType(op) {
	case "gorgonia.elemBinOp":
		res, err = elemBinAdjoints(n, kids, gz, need)
	case "gorgonia.elemUnaryOp":
		switch op.String() {
		case "invSqrt":
			res, err = invSqrtAdjoint(n, gz)
		default:
			res, err = symDiff(n, kids, gz)
		}
	case "gorgonia.linAlgBinOp":
		res, err = linAlgAdjoints(n, kids, gz, need)
	case "*gorgonia.sliceOp":
		res, err = sliceAdjoint(n, kids, gz)
	case "gorgonia.sliceIncrOp":
		res, err = sliceIncrAdjoints(n, kids, gz, need)
	case "gorgonia.concatOp":
		res, err = concatAdjoints(n, kids, gz, need)
	case "gorgonia.reshapeOp":
		res, err = reshapeAdjoint(kids, gz)
	case "*gorgonia.softmaxOp":
		res, err = softmaxAdjoint(n, kids, gz)
	case "*gorgonia.byIndicesOp":
		// tensor.SelectByIndicesB is wrong on 1-D inputs and on any axis
		// but 0 when indices repeat (DESIGN.md); row gathers of a matrix
		// are right.
		if ax, ok := intField(op, "axis"); !ok || ax != 0 || kids[0].Dims() != 2 {
			return nil, errorf(ErrUnsupported, "op %s: ByIndices' gradient is wrong on 1-D inputs and axes other than 0; gather rows of an (n, 1) matrix instead", opName(n))
		}
		res, err = symDiff(n, kids, gz)
	default:
		res, err = symDiff(n, kids, gz)
	}
	if err != nil {
		if _, ok := err.(*gradError); ok {
			return nil, err
		}
		return nil, errorf(ErrUnsupported, "op %s: %v", opName(n), err)
	}
	if len(res) != len(kids) {
		return nil, errorf(ErrUnsupported, "op %s: derivative has %d terms for %d inputs", opName(n), len(res), len(kids))
	}
	for j := range res {
		if need[j] && res[j] == nil {
			return nil, errorf(ErrUnsupported, "op %s: no derivative for input %d", opName(n), j)
		}
	}
	return res, nil
}

// symDiff applies the op's own SymDiff. Inputs that are gorgonia Reshapes
// are given as copies: a SymDiff may build an op that the tape machine runs
// in place on an input (Square's is x⊙2), and a Reshape shares its source's
// memory, which other nodes still read (measured: second derivatives off by
// order 1 without the copies).
func symDiff(n *G.Node, kids []*G.Node, gz *G.Node) ([]*G.Node, error) {
	sd, ok := n.Op().(G.SDOp)
	if !ok {
		return nil, errorf(ErrUnsupported, "op %s has no symbolic derivative (SymDiff)", opName(n))
	}
	safe := make([]*G.Node, len(kids))
	for i, k := range kids {
		var err error
		if safe[i], err = unalias(k); err != nil {
			return nil, err
		}
	}
	res, err := sd.SymDiff(G.Nodes(safe), n, gz)
	if err != nil {
		return nil, errorf(ErrUnsupported, "op %s: SymDiff: %v", opName(n), err)
	}
	return res, nil
}

func opType(op G.Op) string { return fmt.Sprintf("%T", op) }

// The ops of gorgonia this package needs a parameter of keep it in
// unexported fields; reflection reads them (gorgonia v0.9.18 is pinned).

// field returns the struct field name of op (through a pointer).
func field(op G.Op, name string) (reflect.Value, bool) {
	v := reflect.ValueOf(op)
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return reflect.Value{}, false
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return reflect.Value{}, false
	}
	f := v.FieldByName(name)
	return f, f.IsValid()
}

func intField(op G.Op, name string) (int, bool) {
	f, ok := field(op, name)
	if !ok {
		return 0, false
	}
	switch f.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(f.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int(f.Uint()), true
	}
	return 0, false
}

func boolField(op G.Op, name string) (bool, bool) {
	f, ok := field(op, name)
	if !ok || f.Kind() != reflect.Bool {
		return false, false
	}
	return f.Bool(), true
}

func shapes(ns []*G.Node) []string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n.Shape())
	}
	return s
}
