package pinn

import (
	"io"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/physbias/physbias/internal/train"
)

// modelKind tags pinn's model files.
const modelKind = "pinn.Model v2"

// saved is what a model file holds besides the parameters: the Config (a
// Problem holds functions, which no file can), the points refinement added,
// and a summary of the problem to check the one given to Load against.
type saved struct {
	Config   Config
	Refined  [][]float64 `json:",omitempty"`
	Round    uint64
	Domain   Domain
	Unknowns []Unknown `json:",omitempty"`
	Kinds    []Kind    `json:",omitempty"` // the conditions' kinds, in order
	// Where causal training and loss balancing stand.
	EpsIndex       int       `json:",omitempty"`
	CausalWeights  []float64 `json:",omitempty"`
	SlabLosses     []float64 `json:",omitempty"`
	BalanceWeights []float64 `json:",omitempty"`
}

func (m *Model) saved() saved {
	s := saved{Config: m.cfg, Round: m.round, Domain: m.prob.Domain, Unknowns: m.prob.Unknowns}
	s.Refined = m.colloc[m.drawn:]
	s.EpsIndex, s.CausalWeights, s.BalanceWeights = m.epsIndex, m.cweights, m.bweights
	if m.cfg.Causal != nil {
		s.SlabLosses = m.slabLosses()
	}
	for _, c := range m.prob.Conditions {
		s.Kinds = append(s.Kinds, c.Kind)
	}
	return s
}

// Save writes the model to w: its Config, the collocation points Refine
// added, and the network's weights and the unknown coefficients bit for
// bit, with a checksum (internal/train's model format). The Problem is not
// saved (it holds functions): Load takes it again.
func (m *Model) Save(w io.Writer) error {
	if err := m.check(); err != nil {
		return err
	}
	return train.SaveModel(w, modelKind, m.saved(), m.st.params)
}

// SaveFile saves the model to the file path (see Save), through a
// temporary file renamed over path, so a crash never leaves half a file.
func (m *Model) SaveFile(path string) error {
	if err := m.check(); err != nil {
		return err
	}
	return train.SaveModelFile(path, modelKind, m.saved(), m.st.params)
}

// Load reads a model written by Save for the problem p, which must be the
// problem the model was made for (the same domain, conditions in the same
// order with the same kinds, and the same unknowns; its functions cannot be
// saved, so p supplies them). The loaded model predicts bit-identically to
// the saved one and trains on from where it stopped (Adam's moments and
// L-BFGS's memory start afresh, as in every Train call). A truncated,
// corrupted or foreign file is an error matching ErrCorrupt; a p that does
// not match the file one matching ErrInput.
func Load(r io.Reader, p Problem) (*Model, error) {
	var s saved
	f, err := train.ReadModel(r, modelKind, &s)
	if err != nil {
		return nil, err
	}
	return load(f, &s, p)
}

// LoadFile loads a model saved to the file path for the problem p (see
// Load).
func LoadFile(path string, p Problem) (*Model, error) {
	var s saved
	f, err := train.ReadModelFile(path, modelKind, &s)
	if err != nil {
		return nil, err // a missing file matches os.ErrNotExist
	}
	return load(f, &s, p)
}

func load(f *train.ModelFile, s *saved, p Problem) (*Model, error) {
	if err := s.matches(p); err != nil {
		return nil, err
	}
	m, err := New(p, s.Config)
	if err != nil {
		return nil, wrap(err, "Load")
	}
	if len(s.Refined) > 0 {
		if err := checkPoints("Load: refined collocation", s.Refined, p.Domain.Dim()); err != nil {
			return nil, errorf(ErrCorrupt, "Load: %w", err)
		}
		m.colloc = append(m.colloc, clonePoints(s.Refined)...)
		if m.st, err = m.build(nil); err != nil {
			return nil, wrap(err, "Load")
		}
	}
	m.round = s.Round
	if err := f.LoadParams(m.st.params); err != nil {
		return nil, err
	}
	if err := m.restoreWeights(s); err != nil {
		return nil, err
	}
	return m, nil
}

// matches checks that p is the problem the file was saved for, as far as
// a file can tell.
func (s *saved) matches(p Problem) error {
	if !sameDomain(s.Domain, p.Domain) {
		return errorf(ErrInput, "Load: the model was saved for the domain %v, the Problem has %v", s.Domain, p.Domain)
	}
	if len(s.Kinds) != len(p.Conditions) {
		return errorf(ErrInput, "Load: the model was saved with %d conditions, the Problem has %d", len(s.Kinds), len(p.Conditions))
	}
	for i, k := range s.Kinds {
		if p.Conditions[i].Kind != k {
			return errorf(ErrInput, "Load: condition %d was %v when saved, the Problem's is %v", i, k, p.Conditions[i].Kind)
		}
	}
	if len(s.Unknowns) != len(p.Unknowns) {
		return errorf(ErrInput, "Load: the model was saved with %d unknowns, the Problem has %d", len(s.Unknowns), len(p.Unknowns))
	}
	for i, u := range s.Unknowns {
		if q := p.Unknowns[i]; q.Name != u.Name || q.Positive != u.Positive {
			return errorf(ErrInput, "Load: unknown %d was %q (Positive %v) when saved, the Problem's is %q (Positive %v)", i, u.Name, u.Positive, q.Name, q.Positive)
		}
	}
	return nil
}

func sameDomain(a, b Domain) bool {
	if len(a.Space) != len(b.Space) || a.Time != b.Time {
		return false
	}
	for i := range a.Space {
		if a.Space[i] != b.Space[i] {
			return false
		}
	}
	return true
}

// restoreWeights sets the causal and balancing state a file holds.
func (m *Model) restoreWeights(s *saved) error {
	if c := m.cfg.Causal; c != nil {
		if s.EpsIndex < 0 || s.EpsIndex >= len(c.Eps) {
			return errorf(ErrCorrupt, "Load: causal schedule index %d of %d", s.EpsIndex, len(c.Eps))
		}
		m.epsIndex = s.EpsIndex
		if s.CausalWeights != nil {
			if len(s.CausalWeights) != c.Slabs {
				return errorf(ErrCorrupt, "Load: %d causal weights for %d slabs", len(s.CausalWeights), c.Slabs)
			}
			m.cweights = append([]float64(nil), s.CausalWeights...)
			if err := G.Let(m.st.cw, tensor.New(tensor.WithShape(1, c.Slabs), tensor.WithBacking(append([]float64(nil), m.cweights...)))); err != nil {
				return errorf(ErrCorrupt, "Load: %w", err)
			}
		}
	}
	if c := m.cfg.Causal; c != nil && s.SlabLosses != nil {
		if len(s.SlabLosses) != c.Slabs {
			return errorf(ErrCorrupt, "Load: %d slab losses for %d slabs", len(s.SlabLosses), c.Slabs)
		}
		m.lastSlabs = append([]float64(nil), s.SlabLosses...)
	}
	if m.cfg.Balance != nil && s.BalanceWeights != nil {
		if len(s.BalanceWeights) != len(m.st.bw) {
			return errorf(ErrCorrupt, "Load: %d balancing weights for %d loss terms", len(s.BalanceWeights), len(m.st.bw))
		}
		m.bweights = append([]float64(nil), s.BalanceWeights...)
		for k, w := range m.bweights {
			if err := G.Let(m.st.bw[k], G.NewF64(w)); err != nil {
				return errorf(ErrCorrupt, "Load: %w", err)
			}
		}
	}
	return nil
}
