package grad

import (
	"reflect"
	"unsafe"

	G "gorgonia.org/gorgonia"
)

// gorgonia's linear-algebra operators (its unexported āBinaryOperator).
const (
	matMul     = 0 // A×B, either transposed
	matVecMul  = 1 // A×b, A maybe transposed
	vecDot     = 2 // a⋅b
	outerProd  = 3 // a⊗b
	batchedMul = 4 // batched A×B, either transposed
)

// linAlgAdjoints differentiates gorgonia's products (Mul of matrices and
// vectors, OuterProd, BatchedMatMul), building only the adjoints that are
// needed. It replaces gorgonia's SymDiff, which builds both (a dead product
// that would run at every step) and whose OuterProd adjoints are wrong
// (they take x·z̄ and y·z̄ where x̄ = z̄·y and ȳ = z̄ᵀ·x).
func linAlgAdjoints(n *G.Node, kids []*G.Node, gz *G.Node, need []bool) ([]*G.Node, error) {
	op := n.Op()
	kind, ok1 := intField(op, "āBinaryOperator")
	tA, ok2 := boolField(op, "transA")
	tB, ok3 := boolField(op, "transB")
	if !ok1 || !ok2 || !ok3 {
		return nil, errorf(ErrUnsupported, "op %s: cannot read its operator and transposes", opName(n))
	}
	a, b := kids[0], kids[1]
	res := make([]*G.Node, 2)
	var err error
	switch kind {
	case matMul, batchedMul: // C = op(A)·op(B)
		mm := func(x, y *G.Node, tx, ty bool) (*G.Node, error) { return product(op, kind, x, y, tx, ty) }
		if need[0] {
			if !tA { // Ā = C̄·op(B)ᵀ
				res[0], err = mm(gz, b, false, !tB)
			} else { // Ā = op(B)·C̄ᵀ
				res[0], err = mm(b, gz, tB, true)
			}
			if err != nil {
				return nil, err
			}
		}
		if need[1] {
			if !tB { // B̄ = op(A)ᵀ·C̄
				res[1], err = mm(a, gz, !tA, false)
			} else { // B̄ = C̄ᵀ·op(A)
				res[1], err = mm(gz, a, true, tA)
			}
		}
	case matVecMul: // z = op(A)·y
		if need[0] {
			if !tA {
				res[0], err = G.OuterProd(gz, b)
			} else {
				res[0], err = G.OuterProd(b, gz)
			}
			if err != nil {
				return nil, err
			}
		}
		if need[1] { // ȳ = op(A)ᵀ·z̄
			res[1], err = product(op, matVecMul, a, gz, !tA, false)
		}
	case vecDot: // z = a⋅b
		if need[0] {
			if res[0], err = G.HadamardProd(b, gz); err != nil {
				return nil, err
			}
		}
		if need[1] {
			res[1], err = G.HadamardProd(a, gz)
		}
	case outerProd: // Z = a·bᵀ: ā = Z̄·b, b̄ = Z̄ᵀ·a
		if need[0] {
			if res[0], err = G.Mul(gz, b); err != nil {
				return nil, err
			}
		}
		if need[1] {
			res[1], err = G.Mul(a, gz) // a vector times a matrix is Z̄ᵀ·a in gorgonia
		}
	default:
		return nil, errorf(ErrUnsupported, "op %s: unknown product kind %d", opName(n), kind)
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// product applies a copy of gorgonia's product op tmpl with operator kind and
// the transposes tx, ty to x and y. gorgonia offers transposed products only
// through its unexported op type, so the copy's fields are set by reflection.
func product(tmpl G.Op, kind int, x, y *G.Node, tx, ty bool) (*G.Node, error) {
	if kind == batchedMul {
		return G.BatchedMatMul(x, y, tx, ty)
	}
	v := reflect.New(reflect.TypeOf(tmpl)).Elem()
	v.Set(reflect.ValueOf(tmpl))
	set := func(name string, f func(reflect.Value)) bool {
		fv := v.FieldByName(name)
		if !fv.IsValid() {
			return false
		}
		f(reflect.NewAt(fv.Type(), unsafe.Pointer(fv.UnsafeAddr())).Elem())
		return true
	}
	ok := set("āBinaryOperator", func(f reflect.Value) {
		switch f.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			f.SetInt(int64(kind))
		default:
			f.SetUint(uint64(kind))
		}
	})
	ok = ok && set("transA", func(f reflect.Value) { f.SetBool(tx) })
	ok = ok && set("transB", func(f reflect.Value) { f.SetBool(ty) })
	if !ok {
		return nil, errorf(ErrUnsupported, "cannot build a transposed product from op %q", tmpl.String())
	}
	return G.ApplyOp(v.Interface().(G.Op), x, y)
}
