package flows

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"

	G "gorgonia.org/gorgonia"

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

// The file: magic, a little-endian uint32 header length, the JSON header
// (kind, version, dimension, configuration), internal/train's checkpoint of
// the parameters, and a SHA-256 of everything before it.
const (
	magic   = "physbias/flows\n"
	version = 1
)

type header struct {
	Kind    string
	Version int
	Dim     int
	NHF     *NHFConfig     `json:",omitempty"`
	RealNVP *RealNVPConfig `json:",omitempty"`
}

// Save writes the model (kind, configuration and parameters bit for bit)
// to w; Load reads it back.
func (m *NHF) Save(w io.Writer) error {
	if err := m.ok(); err != nil {
		return err
	}
	c := m.Config()
	return save(w, header{Kind: "NHF", Version: version, Dim: m.dim, NHF: &c}, m.p)
}

// SaveFile saves the model to path (see Save), through a temporary file
// renamed over path, so a crash never leaves half a file.
func (m *NHF) SaveFile(path string) error { return saveFile(path, m) }

// Save writes the model (kind, configuration and parameters bit for bit)
// to w; Load reads it back.
func (m *RealNVP) Save(w io.Writer) error {
	if err := m.ok(); err != nil {
		return err
	}
	c := m.Config()
	return save(w, header{Kind: "RealNVP", Version: version, Dim: m.dim, RealNVP: &c}, m.p)
}

// SaveFile saves the model to path (see Save), through a temporary file
// renamed over path, so a crash never leaves half a file.
func (m *RealNVP) SaveFile(path string) error { return saveFile(path, m) }

func save(w io.Writer, h header, p *params) error {
	if w == nil {
		return errorf(ErrInput, "Save: nil io.Writer")
	}
	js, err := json.Marshal(h)
	if err != nil {
		return errorf(ErrInput, "Save: %w", err)
	}
	var buf bytes.Buffer
	buf.WriteString(magic)
	_ = binary.Write(&buf, binary.LittleEndian, uint32(len(js)))
	buf.Write(js)
	g := G.NewGraph()
	ms, err := p.build(g)
	if err != nil {
		return err
	}
	if err := train.Save(&buf, nodes(ms)); err != nil {
		return errorf(ErrInput, "Save: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	if _, err := w.Write(buf.Bytes()); err != nil {
		return errorf(ErrInput, "Save: %w", err)
	}
	return nil
}

func saveFile(path string, f Flow) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return errorf(ErrInput, "SaveFile: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = f.Save(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return errorf(ErrInput, "SaveFile: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return errorf(ErrInput, "SaveFile: %w", err)
	}
	if err = os.Chmod(tmp.Name(), 0o644); err != nil {
		return errorf(ErrInput, "SaveFile: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return errorf(ErrInput, "SaveFile: %w", err)
	}
	return nil
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
	if len(data) < len(magic)+4+sha256.Size || string(data[:len(magic)]) != magic {
		return nil, errorf(ErrCorrupt, "Load: not a flows model file (bad magic or too short)")
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if s := sha256.Sum256(body); !bytes.Equal(s[:], sum) {
		return nil, errorf(ErrCorrupt, "Load: checksum mismatch")
	}
	body = body[len(magic):]
	n := binary.LittleEndian.Uint32(body)
	body = body[4:]
	if uint64(n) > uint64(len(body)) {
		return nil, errorf(ErrCorrupt, "Load: header length %d exceeds the file", n)
	}
	var h header
	dec := json.NewDecoder(bytes.NewReader(body[:n]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return nil, errorf(ErrCorrupt, "Load: header: %w", err)
	}
	if h.Version != version {
		return nil, errorf(ErrCorrupt, "Load: version %d; this package reads version %d", h.Version, version)
	}
	var f Flow
	var p *params
	switch {
	case h.Kind == "NHF" && h.NHF != nil:
		specs, err := nhfSpecsOf(h.Dim, *h.NHF)
		if err != nil {
			return nil, corrupt(err)
		}
		if err := fits(specs, len(body)); err != nil {
			return nil, err
		}
		m, err := NewNHF(h.Dim, *h.NHF)
		if err != nil {
			return nil, corrupt(err)
		}
		f, p = m, m.p
	case h.Kind == "RealNVP" && h.RealNVP != nil:
		specs, err := realNVPSpecsOf(h.Dim, *h.RealNVP)
		if err != nil {
			return nil, corrupt(err)
		}
		if err := fits(specs, len(body)); err != nil {
			return nil, err
		}
		m, err := NewRealNVP(h.Dim, *h.RealNVP)
		if err != nil {
			return nil, corrupt(err)
		}
		f, p = m, m.p
	default:
		return nil, errorf(ErrCorrupt, "Load: unknown model kind %q", h.Kind)
	}
	g := G.NewGraph()
	ms, err := p.build(g)
	if err != nil {
		return nil, corrupt(err)
	}
	if err := train.Load(bytes.NewReader(body[n:]), nodes(ms)); err != nil {
		return nil, errorf(ErrCorrupt, "Load: %w", err)
	}
	if err := p.read(ms); err != nil {
		return nil, corrupt(err)
	}
	for _, th := range p.theta {
		if err := finite("Load parameters", th); err != nil {
			return nil, corrupt(err)
		}
	}
	return f, nil
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

// fits checks, before any network is built, that the parameters a header
// describes fit in the rest of the file (8 bytes each), so that a corrupt
// header cannot make Load allocate more than the file's size.
func fits(specs []netSpec, size int) error {
	total := 0
	for _, s := range specs {
		for _, w := range s.sizes {
			if w > size {
				return errorf(ErrCorrupt, "Load: a layer of width %d cannot fit in a file of %d bytes", w, size)
			}
		}
		total += numParams(s.sizes)
		if total > size/8 {
			return errorf(ErrCorrupt, "Load: the header describes more parameters than the file holds")
		}
	}
	return nil
}

func nhfSpecsOf(dim int, c NHFConfig) ([]netSpec, error) {
	if dim < 1 || dim > 1<<16 {
		return nil, errorf(ErrCorrupt, "dimension %d out of range", dim)
	}
	c, err := c.withDefaults()
	if err != nil {
		return nil, err
	}
	return nhfSpecs(dim, c), nil
}

func realNVPSpecsOf(dim int, c RealNVPConfig) ([]netSpec, error) {
	if dim < 2 || dim%2 != 0 || dim > 1<<16 {
		return nil, errorf(ErrCorrupt, "dimension %d out of range", dim)
	}
	c, err := c.withDefaults()
	if err != nil {
		return nil, err
	}
	return realNVPSpecs(dim, c), nil
}

// corrupt turns an error of this package met while reading a file into an
// ErrCorrupt error, keeping its text without a second "flows: " prefix.
func corrupt(err error) error {
	return errorf(ErrCorrupt, "Load: %s", strings.TrimPrefix(err.Error(), "flows: "))
}
