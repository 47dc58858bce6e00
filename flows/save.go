package flows

import (
	"bytes"
	"context"
	"io"
	"os"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/fail"
	"github.com/physbias/physbias/internal/train"
)

// Flow is what both models offer: a density on points of Dim values that
// trains, samples, evaluates and saves. LogProb is exact for RealNVP and an
// importance-weighted lower bound for NHF (see NHF.Bound).
type Flow interface {
	Dim() int
	NumParams() int
	LogProb(x []float64) ([]float64, error)
	Sample(n int, seed uint64) ([]float64, error)
	Train(ctx context.Context, x []float64, tc TrainConfig) (History, error)
	Save(w io.Writer) error
	SaveFile(path string) error
}

var (
	_ Flow = (*NHF)(nil)
	_ Flow = (*RealNVP)(nil)
)

// Model files are internal/train's (SaveModel): a kind tag, the data
// dimension and Config as JSON, the parameters bit for bit and one SHA-256.
const (
	kindNHF     = "flows.NHF v1"
	kindNHFNet  = "flows.NHF(Network) v1" // an NHF of a user's K and V
	kindRealNVP = "flows.RealNVP v1"
)

// kind returns the model file's kind tag.
func (m *NHF) kind() string {
	if m.user {
		return kindNHFNet
	}
	return kindNHF
}

// nhfFile and realNVPFile are the configurations a model file holds.
type nhfFile struct {
	Dim    int
	Config NHFConfig
}

type realNVPFile struct {
	Dim    int
	Config RealNVPConfig
}

// Save writes the model (kind, dimension, configuration and parameters bit
// for bit) to w; Load reads it back, or LoadNHFNetworks for a model of a
// user's networks (NewNHFNetworks), whose code the file cannot hold.
func (m *NHF) Save(w io.Writer) error {
	if err := m.ok(); err != nil {
		return err
	}
	return m.p.save(w, m.kind(), nhfFile{m.dim, m.Config()})
}

// SaveFile saves the model to path (see Save), through a temporary file
// renamed over path, so a crash never leaves half a file.
func (m *NHF) SaveFile(path string) error {
	if err := m.ok(); err != nil {
		return err
	}
	return m.p.saveFile(path, m.kind(), nhfFile{m.dim, m.Config()})
}

// Save writes the model (kind, dimension, configuration and parameters bit
// for bit) to w; Load reads it back.
func (m *RealNVP) Save(w io.Writer) error {
	if err := m.ok(); err != nil {
		return err
	}
	return m.p.save(w, kindRealNVP, realNVPFile{m.dim, m.Config()})
}

// SaveFile saves the model to path (see Save), through a temporary file
// renamed over path, so a crash never leaves half a file.
func (m *RealNVP) SaveFile(path string) error {
	if err := m.ok(); err != nil {
		return err
	}
	return m.p.saveFile(path, kindRealNVP, realNVPFile{m.dim, m.Config()})
}

// save writes a model file of kind holding cfg and p's parameters to w.
func (p *params) save(w io.Writer, kind string, cfg any) error {
	ps, err := p.nodes()
	if err != nil {
		return err
	}
	return train.SaveModel(w, kind, cfg, ps)
}

// saveFile is save to the file path (train.SaveModelFile).
func (p *params) saveFile(path, kind string, cfg any) error {
	ps, err := p.nodes()
	if err != nil {
		return err
	}
	return train.SaveModelFile(path, kind, cfg, ps)
}

// maxFile is the largest model file Load reads (1 GiB).
const maxFile = 1 << 30

// Load reads a model written by Save: an *NHF or a *RealNVP. A truncated,
// corrupted or foreign file is an error matching ErrCorrupt.
func Load(r io.Reader) (Flow, error) {
	if r == nil {
		return nil, errorf(ErrInput, "Load: nil io.Reader")
	}
	data, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, errorf(ErrCorrupt, "Load: %w", err)
	}
	if len(data) > maxFile {
		return nil, errorf(ErrCorrupt, "Load: file larger than %d bytes", maxFile)
	}
	// The kind tag is near the start; a file naming neither kind is read as
	// an NHF, whose kind check then reports it.
	head := data[:min(len(data), 256)]
	if bytes.Contains(head, []byte(kindRealNVP)) {
		return loadFlow[realNVPFile](data, kindRealNVP)
	}
	if bytes.Contains(head, []byte(kindNHFNet)) {
		return nil, errorf(ErrCorrupt, "Load: the file holds an NHF of user networks, which Load cannot rebuild; read it with LoadNHFNetworks and the same K and V")
	}
	return loadFlow[nhfFile](data, kindNHF)
}

// LoadNHFNetworks reads an NHF of a user's networks written by Save: K and
// V must be the networks NewNHFNetworks got (the same parameters by name
// and shape). A truncated, corrupted or foreign file, or one whose
// parameters do not fit K and V, is an error matching ErrCorrupt.
func LoadNHFNetworks(r io.Reader, K, V Network) (*NHF, error) {
	if r == nil {
		return nil, errorf(ErrInput, "LoadNHFNetworks: nil io.Reader")
	}
	if K == nil || V == nil {
		return nil, errorf(ErrInput, "LoadNHFNetworks: K and V must both be non-nil (the networks NewNHFNetworks got)")
	}
	var c nhfFile
	f, err := train.ReadModel(io.LimitReader(r, maxFile+1), kindNHFNet, &c)
	if err != nil {
		return nil, err
	}
	if c.Dim < 1 || c.Dim > 1<<16 {
		return nil, errorf(ErrCorrupt, "LoadNHFNetworks: dimension %d out of range", c.Dim)
	}
	if _, err := c.Config.withDefaults(); err != nil {
		return nil, corrupt(err)
	}
	m, err := NewNHFNetworks(c.Dim, K, V, c.Config)
	if err != nil {
		return nil, corrupt(err)
	}
	if err := f.Holds(m.p.count()); err != nil {
		return nil, err
	}
	return m, loadParams(f, m.p)
}

// flowFile is the configuration a model file of a built-in flow holds: it
// gives the networks the file must hold parameters for (checking the
// dimension and the config first), and builds the model.
type flowFile interface {
	specs() ([]netSpec, error)
	build() (builtFlow, error)
}

// builtFlow is a built-in flow: a Flow on params.
type builtFlow interface {
	Flow
	weights() *params
}

func (m *NHF) weights() *params     { return m.p }
func (m *RealNVP) weights() *params { return m.p }

func (c nhfFile) build() (builtFlow, error)     { return NewNHF(c.Dim, c.Config) }
func (c realNVPFile) build() (builtFlow, error) { return NewRealNVP(c.Dim, c.Config) }

func (c nhfFile) specs() ([]netSpec, error) {
	if c.Dim < 1 || c.Dim > 1<<16 {
		return nil, errorf(ErrCorrupt, "dimension %d out of range", c.Dim)
	}
	cfg, err := c.Config.withDefaults()
	if err != nil {
		return nil, err
	}
	specs := nhfSpecs(c.Dim, cfg)
	return specs, checkParams(specs)
}

func (c realNVPFile) specs() ([]netSpec, error) {
	if c.Dim < 2 || c.Dim%2 != 0 || c.Dim > 1<<16 {
		return nil, errorf(ErrCorrupt, "dimension %d out of range", c.Dim)
	}
	cfg, err := c.Config.withDefaults()
	if err != nil {
		return nil, err
	}
	specs := realNVPSpecs(c.Dim, cfg)
	return specs, checkParams(specs)
}

// loadFlow reads a model file of kind whose configuration is an F: it
// checks that the file holds the parameters of F's networks, builds the
// model and puts the parameters in.
func loadFlow[F flowFile](data []byte, kind string) (Flow, error) {
	var c F
	f, err := train.ReadModel(bytes.NewReader(data), kind, &c)
	if err != nil {
		return nil, err
	}
	specs, err := c.specs()
	if err != nil {
		return nil, corrupt(err)
	}
	if err := f.Holds(countParams(specs)); err != nil {
		return nil, err
	}
	m, err := c.build()
	if err != nil {
		return nil, corrupt(err)
	}
	return m, loadParams(f, m.weights())
}

// loadParams puts the file's parameters into p.
func loadParams(f *train.ModelFile, p *params) error {
	g := G.NewGraph()
	ms, err := p.build(g)
	if err != nil {
		return corrupt(err)
	}
	if err := f.LoadParams(nodes(ms)); err != nil {
		return err
	}
	if err := p.read(ms); err != nil {
		return corrupt(err)
	}
	for _, th := range p.theta {
		if err := finite("Load parameters", th); err != nil {
			return corrupt(err)
		}
	}
	return nil
}

// LoadFile reads a model from the file path (see Load).
func LoadFile(path string) (Flow, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, errorf(ErrInput, "LoadFile: %w", err)
	}
	defer fh.Close()
	return Load(fh)
}

// countParams returns the number of parameters of the networks specs.
func countParams(specs []netSpec) int {
	n := 0
	for _, s := range specs {
		n += numParams(s.sizes)
	}
	return n
}

// corrupt turns an error of this package met while reading a file into an
// ErrCorrupt error, keeping its text without a second "flows: " prefix.
func corrupt(err error) error {
	return errorf(ErrCorrupt, "Load: %w", fail.Trim(err, "flows"))
}
