package energy

import "math"

// LossKind names a loss of the energy-based framework (LeCun et al. 2006,
// section 2 and table 1). Each is a function of E⁺ = E(Yᵢ, Xᵢ), the
// energy of the correct answer, and E⁻, the energy of the most offending
// incorrect answer: the incorrect answer of lowest energy (for Perceptron,
// the lowest energy of all answers, the correct one included).
type LossKind int

const (
	// EnergyLoss is E⁺: it pushes the correct answer down and nothing up,
	// so it collapses (all energies fall) unless the architecture itself
	// keeps incorrect answers high.
	EnergyLoss LossKind = iota
	// Perceptron is E⁺ − min_y E(y, Xᵢ) ≥ 0, zero when the correct answer
	// has the lowest energy: it has no margin.
	Perceptron
	// Hinge is max(0, m + E⁺ − E⁻): zero once the most offending incorrect
	// answer is at least m above the correct one.
	Hinge
	// LogLoss is log(1 + exp(E⁺ − E⁻)), a soft hinge: positive everywhere,
	// tending to zero as E⁻ − E⁺ grows.
	LogLoss
	// SquareSquare is E⁺² + max(0, m − E⁻)² (for energies ≥ 0): zero when
	// E⁺ = 0 and E⁻ ≥ m.
	SquareSquare
	// SquareExp is E⁺² + γ·exp(−E⁻): tends to zero as E⁺ → 0 and E⁻ → ∞.
	SquareExp
)

// String returns the loss's name.
func (k LossKind) String() string {
	switch k {
	case EnergyLoss:
		return "energy"
	case Perceptron:
		return "perceptron"
	case Hinge:
		return "hinge"
	case LogLoss:
		return "log"
	case SquareSquare:
		return "square-square"
	case SquareExp:
		return "square-exponential"
	}
	return "loss(?)"
}

// Loss is a contrastive loss with its parameters. The zero value is the
// energy loss.
type Loss struct {
	// Kind is the loss.
	Kind LossKind
	// Margin is m of Hinge and SquareSquare; 0 means 1. It is an error for
	// the other kinds.
	Margin float64
	// Gamma is γ of SquareExp; 0 means 1. It is an error for the other
	// kinds.
	Gamma float64
}

func (l Loss) withDefaults() (Loss, error) {
	if l.Kind < EnergyLoss || l.Kind > SquareExp {
		return l, errorf(ErrInput, "Loss.Kind is %d; not a loss", int(l.Kind))
	}
	if l.Margin != 0 && l.Kind != Hinge && l.Kind != SquareSquare {
		return l, errorf(ErrInput, "Loss.Margin is set, but the %v loss has no margin", l.Kind)
	}
	if l.Gamma != 0 && l.Kind != SquareExp {
		return l, errorf(ErrInput, "Loss.Gamma is set, but only the square-exponential loss has γ")
	}
	if l.Margin < 0 || math.IsNaN(l.Margin) || math.IsInf(l.Margin, 0) || l.Gamma < 0 || math.IsNaN(l.Gamma) || math.IsInf(l.Gamma, 0) {
		return l, errorf(ErrInput, "Loss: margin %v and γ %v must be finite and ≥ 0 (0 means 1)", l.Margin, l.Gamma)
	}
	// Defaults only for the losses that have the parameter, so that a Loss
	// with its defaults filled in passes this check again (Value calls it).
	if l.Margin == 0 && (l.Kind == Hinge || l.Kind == SquareSquare) {
		l.Margin = 1
	}
	if l.Gamma == 0 && l.Kind == SquareExp {
		l.Gamma = 1
	}
	return l, nil
}

// Value returns the loss for E⁺ = ePos and E⁻ = eNeg and its derivatives
// with respect to both. A gradient step lowers E⁺ where dPos > 0 and
// raises E⁻ where dNeg < 0. An invalid Loss gives NaN.
func (l Loss) Value(ePos, eNeg float64) (loss, dPos, dNeg float64) {
	l, err := l.withDefaults()
	if err != nil {
		return math.NaN(), math.NaN(), math.NaN()
	}
	switch l.Kind {
	case EnergyLoss:
		return ePos, 1, 0
	case Perceptron:
		return ePos - eNeg, 1, -1
	case Hinge:
		if z := l.Margin + ePos - eNeg; z > 0 {
			return z, 1, -1
		}
		return 0, 0, 0
	case LogLoss:
		z := ePos - eNeg
		s := sigmoid(z)
		return softplus(z), s, -s
	case SquareSquare:
		v, dp := ePos*ePos, 2*ePos
		if z := l.Margin - eNeg; z > 0 {
			return v + z*z, dp, -2 * z
		}
		return v, dp, 0
	default: // SquareExp
		e := l.Gamma * math.Exp(-eNeg)
		return ePos*ePos + e, 2 * ePos, -e
	}
}
