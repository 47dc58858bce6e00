package hopfield

import (
	"io"

	"github.com/physbias/physbias/internal/train"
)

// modelKind tags hopfield's model files.
const modelKind = "hopfield.Model v1"

// Save writes the Model to w: its Config and its parameters bit for bit,
// with a checksum (internal/train's model format).
func (m *Model) Save(w io.Writer) error {
	if err := m.check(); err != nil {
		return err
	}
	n, err := m.graph(1, false)
	if err != nil {
		return err
	}
	return train.SaveModel(w, modelKind, m.cfg, n.params)
}

// SaveFile saves the Model to the file path (see Save), through a
// temporary file renamed over path, so a crash never leaves half a file.
func (m *Model) SaveFile(path string) error {
	if err := m.check(); err != nil {
		return err
	}
	n, err := m.graph(1, false)
	if err != nil {
		return err
	}
	return train.SaveModelFile(path, modelKind, m.cfg, n.params)
}

// Load reads a Model written by Save. The loaded Model predicts
// bit-identically to the saved one. A truncated, corrupted or foreign
// file is an error matching ErrCorrupt.
func Load(r io.Reader) (*Model, error) {
	var cfg Config
	f, err := train.ReadModel(r, modelKind, &cfg)
	if err != nil {
		return nil, err
	}
	return load(f, cfg)
}

// LoadFile loads a Model saved to the file path (see Load).
func LoadFile(path string) (*Model, error) {
	var cfg Config
	f, err := train.ReadModelFile(path, modelKind, &cfg)
	if err != nil {
		return nil, err
	}
	return load(f, cfg)
}

func load(f *train.ModelFile, cfg Config) (*Model, error) {
	m, err := NewModel(cfg)
	if err != nil {
		return nil, wrapKind(ErrCorrupt, err, "Load: the saved Config")
	}
	n, err := m.graph(1, false)
	if err != nil {
		return nil, err
	}
	if err := f.LoadParams(n.params); err != nil {
		return nil, err
	}
	if m.values, err = train.Values(n.params); err != nil {
		return nil, wrap(err, "Load")
	}
	return m, nil
}
