package lnn

import (
	"io"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/train"
)

// modelKind tags lnn's model files; bump the version when the parameters
// or the meaning of the saved configuration change.
const modelKind = "lnn.Model v1"

// saved is what a model file holds beside the parameters: the Config, the
// number of coordinates and the time scale τ (taken from the data by the
// first Train when Config.TimeScale is 0).
type saved struct {
	Dof    int
	Config Config
	Tau    float64
	TauSet bool
}

// Save writes the model to w: its coordinates, its Config, its time scale
// and its weights bit for bit, under a checksum. Load reads it back.
func (m *Model) Save(w io.Writer) error {
	return train.SaveModelFrom(w, modelKind, m.forSave)
}

// SaveFile saves the model to the file path (see Save), replacing it
// atomically.
func (m *Model) SaveFile(path string) error {
	return train.SaveModelFileFrom(path, modelKind, m.forSave)
}

// forSave returns what Save and SaveFile write: the file's configuration
// and the weights of every network as named parameter nodes.
func (m *Model) forSave() (saved, []*G.Node, error) {
	if err := m.check(); err != nil {
		return saved{}, nil, err
	}
	nets, err := m.networks(G.NewGraph())
	if err != nil {
		return saved{}, nil, err
	}
	var params []*G.Node
	for k, net := range nets {
		if err := train.SetValues(net.Params(), m.theta[k]); err != nil {
			return saved{}, nil, errorf(ErrInput, "%w", err)
		}
		params = append(params, net.Params()...)
	}
	return saved{Dof: m.n, Config: m.cfg, Tau: m.tau, TauSet: m.tauOK}, params, nil
}

// Load reads a model written by Save: a fresh Model with the saved
// configuration, time scale and bit-identical weights, so it predicts bit
// for bit as the saved one did. A truncated, corrupted or foreign file is
// an error matching ErrCorrupt.
func Load(r io.Reader) (*Model, error) {
	return train.LoadModel(r, modelKind, fromFile)
}

// LoadFile loads a model from the file path (see Load).
func LoadFile(path string) (*Model, error) {
	return train.LoadModelFile(path, modelKind, fromFile)
}

func fromFile(f *train.ModelFile, s saved) (*Model, error) {
	m, err := New(s.Dof, s.Config)
	if err != nil {
		return nil, errorf(ErrCorrupt, "Load: the file's configuration is not valid: %w", fail.Trim(err, "lnn"))
	}
	if err := checkTimeScale(s.Tau); err != nil {
		return nil, errorf(ErrCorrupt, "Load: the file's %w", fail.Trim(err, "lnn"))
	}
	m.tau, m.tauOK = s.Tau, s.TauSet
	nets, err := m.networks(G.NewGraph())
	if err != nil {
		return nil, err
	}
	var params []*G.Node
	for _, net := range nets {
		params = append(params, net.Params()...)
	}
	if err := f.LoadParams(params); err != nil {
		return nil, err
	}
	theta := make([][]float64, len(nets))
	for k, net := range nets {
		if theta[k], err = train.Values(net.Params()); err != nil {
			return nil, errorf(ErrCorrupt, "Load: %w", err)
		}
	}
	if err := m.setTheta(theta); err != nil {
		return nil, errorf(ErrCorrupt, "Load: %w", err)
	}
	return m, nil
}
