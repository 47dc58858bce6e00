package gcnn

import (
	"errors"
	"io"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/train"
)

// modelKind tags gcnn model files; bump the version when the parameters'
// layout or the Config's meaning changes.
const modelKind = "gcnn.Model v1"

// params returns parameter nodes bound to the model's values (in a graph
// of their own) for the checkpoint code.
func (m *Model) params() []*G.Node { return m.paramNodes(G.NewGraph()) }

// Save writes the model (its Config and its parameters, bit for bit, under
// a checksum) to w.
func (m *Model) Save(w io.Writer) error {
	if err := m.ok("Save"); err != nil {
		return err
	}
	if w == nil {
		return errorf(ErrInput, "Save: nil writer")
	}
	return train.SaveModel(w, modelKind, m.cfg, m.params())
}

// SaveFile writes the model to the file at path (see Save).
func (m *Model) SaveFile(path string) error {
	if err := m.ok("SaveFile"); err != nil {
		return err
	}
	return train.SaveModelFile(path, modelKind, m.cfg, m.params())
}

// Load reads a model written by Save. A truncated, corrupted or foreign
// input is an error matching ErrCorrupt. The loaded model predicts
// bit-identically to the saved one.
func Load(r io.Reader) (*Model, error) {
	if r == nil {
		return nil, errorf(ErrInput, "Load: nil reader")
	}
	var cfg Config
	f, err := train.ReadModel(r, modelKind, &cfg)
	if err != nil {
		return nil, err
	}
	return fromFile(f, cfg)
}

// LoadFile reads a model from the file at path (see Load); a missing file
// is an error matching os.ErrNotExist.
func LoadFile(path string) (*Model, error) {
	var cfg Config
	f, err := train.ReadModelFile(path, modelKind, &cfg)
	if err != nil {
		return nil, err
	}
	return fromFile(f, cfg)
}

func fromFile(f *train.ModelFile, cfg Config) (*Model, error) {
	m, err := New(cfg)
	if err != nil {
		if errors.Is(err, fail.ErrInput) {
			return nil, errorf(ErrCorrupt, "Load: the file's Config is not a valid one: %w", fail.Trim(err, "gcnn"))
		}
		return nil, err
	}
	if err := f.LoadParams(m.params()); err != nil {
		return nil, err
	}
	return m, nil
}
