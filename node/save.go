package node

import (
	"io"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/train"
)

// The kind tags of node's model files (internal/train's model format);
// bump a version when the parameters or the meaning of a saved
// configuration change.
const (
	modelKind   = "node.Model v1"          // a Model of the built-in MLP
	networkKind = "node.Model(Network) v1" // a Model of a user's Network
	cnfKind     = "node.CNF v1"            // a CNF
)

const (
	maxWidth  = 1 << 16 // widest layer or state a file may ask for
	maxLayers = 64      // most hidden layers a file may ask for
)

// savedModel is what a Model's file holds beside the parameters.
type savedModel struct {
	Dim    int
	Config Config
}

// savedCNF is what a CNF's file holds beside the parameters.
type savedCNF struct {
	Dim    int
	Config CNFConfig
}

// mlpParams returns an error matching ErrCorrupt unless the file can hold
// the parameters of the MLP its configuration asks for (see mlpCount), so
// that a crafted file cannot make Load allocate without bound.
func mlpParams(f *train.ModelFile, dim int, hidden []int, timeInput bool) error {
	n, err := mlpCount(dim, hidden, timeInput)
	if err != nil {
		return err
	}
	return f.Holds(n)
}

// mlpCount returns the number of weights and biases of the MLP from dim
// (+1 with timeInput) through hidden (nil meaning the default) to dim, or
// an error matching ErrCorrupt for sizes out of what a file may ask for.
func mlpCount(dim int, hidden []int, timeInput bool) (int, error) {
	if hidden == nil {
		hidden = defaultHidden
	}
	if len(hidden) > maxLayers {
		return 0, errorf(ErrCorrupt, "Load: the file asks for %d hidden layers", len(hidden))
	}
	in := dim
	if timeInput {
		in++
	}
	n := 0
	for _, w := range append(append([]int(nil), hidden...), dim) {
		if w <= 0 || w > maxWidth {
			return 0, errorf(ErrCorrupt, "Load: the file asks for a width of %d", w)
		}
		n += in*w + w
		in = w
	}
	return n, nil
}

// Save writes the model (its kind, dimension, Config and parameters bit
// for bit, under one SHA-256: internal/train's model file) to w. A model of
// a user's Network is read back with LoadNetwork.
func (m *Model) Save(w io.Writer) error {
	kind, params, err := m.saveParams()
	if err != nil {
		return err
	}
	return train.SaveModel(w, kind, savedModel{Dim: m.dim, Config: m.cfg}, params)
}

// SaveFile saves the model to path (see Save), through a temporary file
// renamed over it.
func (m *Model) SaveFile(path string) error {
	kind, params, err := m.saveParams()
	if err != nil {
		return err
	}
	return train.SaveModelFile(path, kind, savedModel{Dim: m.dim, Config: m.cfg}, params)
}

// saveParams returns the model's kind tag and its parameter nodes.
func (m *Model) saveParams() (string, []*G.Node, error) {
	if err := m.ok(); err != nil {
		return "", nil, err
	}
	k, err := m.kernel(1, nil)
	if err != nil {
		return "", nil, err
	}
	if m.custom {
		return networkKind, k.params, nil
	}
	return modelKind, k.params, nil
}

// Load reads a model of the built-in MLP written by Save. A file that is
// truncated, corrupted or of another kind (a Network's model: LoadNetwork)
// is an error matching ErrCorrupt.
func Load(r io.Reader) (*Model, error) {
	var s savedModel
	f, err := train.ReadModel(r, modelKind, &s)
	if err != nil {
		return nil, err
	}
	return modelFromFile(f, s)
}

// LoadFile reads a model saved with SaveFile (see Load).
func LoadFile(path string) (*Model, error) {
	var s savedModel
	f, err := train.ReadModelFile(path, modelKind, &s)
	if err != nil {
		return nil, err
	}
	return modelFromFile(f, s)
}

func modelFromFile(f *train.ModelFile, s savedModel) (*Model, error) {
	if err := mlpParams(f, s.Dim, s.Config.Hidden, s.Config.TimeInput); err != nil {
		return nil, err
	}
	m, err := New(s.Dim, s.Config)
	if err != nil {
		return nil, wrapf(ErrCorrupt, err, "Load: the file's configuration is not valid")
	}
	return m, m.loadParams(f)
}

// LoadNetwork reads a model of a user's Network written by Save; net must
// build the same parameters (names and shapes) as the saved one.
func LoadNetwork(r io.Reader, net Network) (*Model, error) {
	var s savedModel
	f, err := train.ReadModel(r, networkKind, &s)
	if err != nil {
		return nil, err
	}
	if s.Dim <= 0 || s.Dim > maxWidth {
		return nil, errorf(ErrCorrupt, "Load: the file asks for dimension %d", s.Dim)
	}
	m, err := NewNetwork(s.Dim, net, s.Config)
	if err != nil {
		return nil, err
	}
	return m, m.loadParams(f)
}

// loadParams puts the file's parameters into m, bit for bit.
func (m *Model) loadParams(f *train.ModelFile) error {
	k, err := m.kernel(1, nil)
	if err != nil {
		return err
	}
	if err := f.LoadParams(k.params); err != nil {
		return err
	}
	theta, err := train.Values(k.params)
	if err != nil {
		return errorf(ErrCorrupt, "Load: %w", err)
	}
	if i := finite(theta); i >= 0 {
		return errorf(ErrCorrupt, "Load: parameter %d is %v", i, theta[i])
	}
	m.theta = theta
	m.fused = nil // the fused evaluators view the old θ
	return nil
}
