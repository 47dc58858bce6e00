package ad

import (
	"fmt"
	"math"
	"strings"
)

// Activation is the elementwise nonlinearity of an MLP's hidden layers. Each
// supplies σ and its first three derivatives, as graph expressions and as
// float64 functions.
type Activation int

// The supported activations.
const (
	Identity Activation = iota // σ(z) = z
	Tanh                       // σ(z) = tanh z
	Softplus                   // σ(z) = log(1 + eᶻ)
	Sigmoid                    // σ(z) = 1/(1 + e⁻ᶻ)
	Sin                        // σ(z) = sin z
	ReLU                       // σ(z) = max(0, z); σ′ = 1 for z > 0, else 0; σ″ = σ‴ = 0
)

// square, σ(z) = z², is unexported: its networks are exact quadratic forms,
// which the closed-form Hessian test needs.
const square Activation = -1

var activationNames = [...]string{"identity", "tanh", "softplus", "sigmoid", "sin", "relu"}

// String returns the lower-case name of a ("tanh", "softplus", ...).
func (a Activation) String() string {
	if a == square {
		return "square"
	}
	if a < 0 || int(a) >= len(activationNames) {
		return fmt.Sprintf("Activation(%d)", int(a))
	}
	return activationNames[a]
}

func (a Activation) valid() bool { return a == square || (a >= 0 && int(a) < len(activationNames)) }

// ParseActivation returns the activation named s (case-insensitive): one of
// identity, tanh, softplus, sigmoid, sin, relu.
func ParseActivation(s string) (Activation, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for i, n := range activationNames {
		if n == t {
			return Activation(i), nil
		}
	}
	return 0, fmt.Errorf("ad: unknown activation %q (want one of %s)", s, strings.Join(activationNames[:], ", "))
}

// eval returns σ(z), σ′(z), σ″(z) and σ‴(z).
func (a Activation) eval(z float64) (s0, s1, s2, s3 float64) {
	switch a {
	case Tanh:
		t := math.Tanh(z)
		d := 1 - t*t
		return t, d, -2 * t * d, -2 * d * (1 - 3*t*t)
	case Softplus:
		s := sigmoid(z)
		d := s * (1 - s)
		return softplus(z), s, d, d * (1 - 2*s)
	case Sigmoid:
		s := sigmoid(z)
		d := s * (1 - s)
		return s, d, d * (1 - 2*s), d * (1 - 6*d)
	case Sin:
		sn, cs := math.Sincos(z)
		return sn, cs, -sn, -cs
	case ReLU:
		if z > 0 {
			return z, 1, 0, 0
		}
		return 0, 0, 0, 0
	case square:
		return z * z, 2 * z, 2, 0
	default:
		return z, 1, 0, 0
	}
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// softplus is log(1+eᶻ) without overflow for large z.
func softplus(z float64) float64 {
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}
