package grad

import (
	"errors"
	"fmt"

	"github.com/physbias/physbias/internal/fail"
)

// The errors of this package. Every error it returns also matches
// fail.ErrInput: each comes from the graph or the nodes the caller passed.
var (
	// ErrNoPath: the output does not depend differentiably on a node it is
	// differentiated with respect to.
	ErrNoPath = errors.New("output does not depend on the node")
	// ErrUnsupported: the graph holds an op whose derivative this package
	// cannot build exactly (no SymDiff, or a SymDiff known to be wrong that
	// has no replacement here). The message names the op.
	ErrUnsupported = errors.New("op not differentiable")
)

// gradError is an error "grad: ..." that matches its kind and fail.ErrInput.
type gradError struct {
	kind error
	msg  string
}

func (e *gradError) Error() string   { return e.msg }
func (e *gradError) Unwrap() []error { return []error{e.kind, fail.ErrInput} }

// errorf returns an error whose message is "grad: " + the formatted text and
// which matches kind and fail.ErrInput.
func errorf(kind error, format string, args ...any) error {
	return &gradError{kind: kind, msg: "grad: " + fmt.Sprintf(format, args...)}
}

// inputf returns an error "grad: ..." that matches fail.ErrInput.
func inputf(format string, args ...any) error {
	return fail.Errorf(fail.ErrInput, "grad", format, args...)
}
