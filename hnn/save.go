package hnn

import (
	"io"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/train"
)

// modelKind tags hnn's model files; bump the version when the parameters
// or the meaning of the saved configuration change.
const modelKind = "hnn.Model v1"

// saved is what a model file holds beside the parameters.
type saved struct {
	Dim    int
	Config Config
}

// Save writes the model to w: its dimension, its Config and its weights
// bit for bit, under a checksum. Load reads it back.
func (m *Model) Save(w io.Writer) error {
	return train.SaveModelFrom(w, modelKind, m.forSave)
}

// SaveFile saves the model to the file path (see Save), replacing it
// atomically.
func (m *Model) SaveFile(path string) error {
	return train.SaveModelFileFrom(path, modelKind, m.forSave)
}

// forSave returns what Save and SaveFile write: the file's configuration
// and the weights as named parameter nodes.
func (m *Model) forSave() (saved, []*G.Node, error) {
	if err := m.ok(); err != nil {
		return saved{}, nil, err
	}
	params, err := m.graphParams()
	if err != nil {
		return saved{}, nil, err
	}
	return saved{Dim: m.dim, Config: m.cfg}, params, nil
}

// Load reads a model written by Save: a fresh Model with the saved
// configuration and bit-identical weights, so it predicts bit for bit as
// the saved one did. A truncated, corrupted or foreign file is an error
// matching ErrCorrupt.
func Load(r io.Reader) (*Model, error) {
	return train.LoadModel(r, modelKind, fromFile)
}

// LoadFile loads a model from the file path (see Load).
func LoadFile(path string) (*Model, error) {
	return train.LoadModelFile(path, modelKind, fromFile)
}

func fromFile(f *train.ModelFile, s saved) (*Model, error) {
	m, err := New(s.Dim, s.Config)
	if err != nil {
		return nil, wrapf(ErrCorrupt, err, "Load: the file's configuration is not valid")
	}
	params, err := m.graphParams()
	if err != nil {
		return nil, err
	}
	if err := f.LoadParams(params); err != nil {
		return nil, err
	}
	theta, err := train.Values(params)
	if err != nil {
		return nil, wrapf(ErrCorrupt, err, "Load")
	}
	nt, err := newNet(m.sizes, theta)
	if err != nil {
		return nil, wrapf(ErrCorrupt, err, "Load")
	}
	m.theta, m.net = theta, nt
	return m, nil
}

// graphParams returns the network's named parameter nodes holding the
// model's weights.
func (m *Model) graphParams() ([]*G.Node, error) {
	_, mlp, err := newGraph(m.sizes, m.cfg.Seed)
	if err != nil {
		return nil, err
	}
	if err := train.SetValues(mlp.Params(), m.theta); err != nil {
		return nil, errorf(ErrInput, "%w", err)
	}
	return mlp.Params(), nil
}
