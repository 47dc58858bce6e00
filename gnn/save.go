package gnn

import (
	"io"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/train"
)

// modelKind tags gnn's model files (internal/train's model format); bump
// the version when the parameters or the meaning of Config change.
const modelKind = "gnn.Model v1"

// Save writes the model to w: a kind tag, the Config as JSON and the
// parameters bit for bit, under one SHA-256 (internal/train's model file).
// A model loaded from it predicts bit-identically.
func (m *Model) Save(w io.Writer) error {
	params, err := m.graphParams()
	if err != nil {
		return err
	}
	return train.SaveModel(w, modelKind, m.cfg, params)
}

// SaveFile saves the model to path (see Save), through a temporary file in
// the same directory renamed over path.
func (m *Model) SaveFile(path string) error {
	params, err := m.graphParams()
	if err != nil {
		return err
	}
	return train.SaveModelFile(path, modelKind, m.cfg, params)
}

// graphParams returns the parameter nodes of the model's networks on a
// fresh graph, holding the model's weights.
func (m *Model) graphParams() ([]*G.Node, error) {
	if err := m.ok(); err != nil {
		return nil, err
	}
	n, err := newNets(G.NewGraph(), m.cfg)
	if err != nil {
		return nil, err
	}
	if err := train.SetValues(n.params(), m.theta); err != nil {
		return nil, errorf(ErrInput, "%w", err)
	}
	return n.params(), nil
}

// Load reads a model written by Save. A truncated, corrupted or foreign
// file is an error matching ErrCorrupt.
func Load(r io.Reader) (*Model, error) {
	var cfg Config
	f, err := train.ReadModel(r, modelKind, &cfg)
	if err != nil {
		return nil, err
	}
	return fromFile(f, cfg)
}

// LoadFile reads a model saved with SaveFile (see Load).
func LoadFile(path string) (*Model, error) {
	var cfg Config
	f, err := train.ReadModelFile(path, modelKind, &cfg)
	if err != nil {
		return nil, err
	}
	return fromFile(f, cfg)
}

// fromFile builds the model the file's Config describes and puts the
// file's parameters in.
func fromFile(f *train.ModelFile, cfg Config) (*Model, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, wrapf(ErrCorrupt, err, "Load: the file's configuration is not valid")
	}
	if err := f.Holds(c.numParams()); err != nil {
		return nil, err
	}
	m, err := New(c)
	if err != nil {
		return nil, wrapf(ErrCorrupt, err, "Load: the file's configuration is not valid")
	}
	n, err := newNets(G.NewGraph(), m.cfg)
	if err != nil {
		return nil, wrapf(ErrCorrupt, err, "Load")
	}
	if err := f.LoadParams(n.params()); err != nil {
		return nil, err
	}
	if m.theta, err = train.Values(n.params()); err != nil {
		return nil, errorf(ErrCorrupt, "Load: %w", err)
	}
	return m, nil
}
