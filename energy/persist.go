package energy

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"io"
	"os"

	"github.com/physbias/physbias/internal/train"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The file format of a saved model: a header of energy's own, then the
// parameters in internal/train's checkpoint format (names, shapes, IEEE-754
// bits, SHA-256):
//
//	magic   "physbias-energy\x01" (16 bytes, the last byte the version)
//	kind    uint32 length + bytes ("energy.RBM", "energy.MLPEnergy")
//	config  uint32 length + JSON of the model's Config
//	sha256 of the header bytes before it
//	a train.Save checkpoint of the parameters
var fileMagic = [16]byte{'p', 'h', 'y', 's', 'b', 'i', 'a', 's', '-', 'e', 'n', 'e', 'r', 'g', 'y', 1}

// maxHeader bounds the kind and config lengths read from a file.
const maxHeader = 1 << 20

// named is one parameter: its name, shape and storage.
type named struct {
	name  string
	shape []int
	data  []float64
}

// nodes wraps params as gorgonia input nodes sharing their storage, for
// train.Save and train.Load.
func nodes(params []named) []*G.Node {
	g := G.NewGraph()
	out := make([]*G.Node, len(params))
	for i, p := range params {
		t := tensor.New(tensor.WithShape(p.shape...), tensor.WithBacking(p.data))
		out[i] = G.NewTensor(g, tensor.Float64, len(p.shape), G.WithShape(p.shape...), G.WithName(p.name), G.WithValue(t))
	}
	return out
}

// save writes the header and the parameters.
func save(w io.Writer, kind string, cfg any, params []named) error {
	if w == nil {
		return errorf(ErrInput, "Save: nil io.Writer")
	}
	js, err := json.Marshal(cfg)
	if err != nil {
		return errorf(ErrInput, "Save: config: %w", err)
	}
	var buf bytes.Buffer
	buf.Write(fileMagic[:])
	le := binary.LittleEndian
	buf.Write(le.AppendUint32(nil, uint32(len(kind))))
	buf.WriteString(kind)
	buf.Write(le.AppendUint32(nil, uint32(len(js))))
	buf.Write(js)
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	if err := train.Save(&buf, nodes(params)); err != nil {
		return errorf(ErrInput, "Save: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return errorf(ErrInput, "Save: %w", err)
	}
	return nil
}

// header reads the header of a saved model of the given kind into cfg and
// returns the rest of the file (the parameter checkpoint).
func header(r io.Reader, kind string, cfg any) ([]byte, error) {
	if r == nil {
		return nil, errorf(ErrInput, "Load: nil io.Reader")
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, errorf(ErrCorrupt, "Load: %w", err)
	}
	corrupt := func(format string, args ...any) error {
		return errorf(ErrCorrupt, "Load: "+format, args...)
	}
	if len(raw) < len(fileMagic)+8+sha256.Size {
		return nil, corrupt("file is %d bytes, too short", len(raw))
	}
	if !bytes.Equal(raw[:len(fileMagic)-1], fileMagic[:len(fileMagic)-1]) {
		return nil, corrupt("not a saved energy model (bad magic)")
	}
	if raw[len(fileMagic)-1] != fileMagic[len(fileMagic)-1] {
		return nil, corrupt("format version %d, this code reads version %d", raw[len(fileMagic)-1], fileMagic[len(fileMagic)-1])
	}
	pos := len(fileMagic)
	field := func(what string) ([]byte, error) {
		if len(raw)-pos < 4 {
			return nil, corrupt("truncated in the %s", what)
		}
		n := int(binary.LittleEndian.Uint32(raw[pos:]))
		pos += 4
		if n > maxHeader || n > len(raw)-pos {
			return nil, corrupt("%s of %d bytes does not fit the file", what, n)
		}
		b := raw[pos : pos+n]
		pos += n
		return b, nil
	}
	k, err := field("kind")
	if err != nil {
		return nil, err
	}
	js, err := field("config")
	if err != nil {
		return nil, err
	}
	if len(raw)-pos < sha256.Size {
		return nil, corrupt("truncated before the header checksum")
	}
	if sum := sha256.Sum256(raw[:pos]); !bytes.Equal(sum[:], raw[pos:pos+sha256.Size]) {
		return nil, corrupt("header checksum mismatch (file truncated or corrupted)")
	}
	pos += sha256.Size
	if string(k) != kind {
		return nil, corrupt("the file holds a %q, not a %q", k, kind)
	}
	if err := json.Unmarshal(js, cfg); err != nil {
		return nil, corrupt("config: %w", err)
	}
	return raw[pos:], nil
}

// loadParams reads the parameter checkpoint into params.
func loadParams(body []byte, params []named) error {
	if err := train.Load(bytes.NewReader(body), nodes(params)); err != nil {
		return errorf(ErrCorrupt, "Load: %w", err)
	}
	return nil
}

// saveFile writes a model to path through save.
func saveFile(path string, saveTo func(io.Writer) error) error {
	f, err := os.CreateTemp(dirOf(path), ".energy-*")
	if err != nil {
		return errorf(ErrInput, "SaveFile: %w", err)
	}
	tmp := f.Name()
	bw := bufio.NewWriter(f)
	err = saveTo(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return errorf(ErrInput, "SaveFile: %w", err)
	}
	return nil
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' || path[i] == os.PathSeparator {
			if i == 0 {
				return "/"
			}
			return path[:i]
		}
	}
	return "."
}

// params lists the RBM's parameters for saving.
func (m *RBM) params() []named {
	return []named{
		{"W", []int{m.nv, m.nh}, m.w},
		{"b", []int{m.nv}, m.b},
		{"c", []int{m.nh}, m.c},
	}
}

const kindRBM = "energy.RBM"

// Save writes the RBM (its Config and parameters, bit for bit) to w.
func (m *RBM) Save(w io.Writer) error {
	if err := m.ready(); err != nil {
		return err
	}
	return save(w, kindRBM, m.cfg, m.params())
}

// SaveFile saves the RBM to path, through a temporary file renamed over
// it.
func (m *RBM) SaveFile(path string) error {
	if err := m.ready(); err != nil {
		return err
	}
	return saveFile(path, m.Save)
}

// Load reads an RBM written by Save. A truncated, corrupted or foreign file
// is an error matching ErrCorrupt.
func Load(r io.Reader) (*RBM, error) {
	var cfg Config
	body, err := header(r, kindRBM, &cfg)
	if err != nil {
		return nil, err
	}
	if err := fits(body, cfg.Visible, cfg.Hidden, cfg.Visible*cfg.Hidden); err != nil {
		return nil, err
	}
	m, err := New(cfg)
	if err != nil {
		return nil, errorf(ErrCorrupt, "Load: config: %w", err)
	}
	if err := loadParams(body, m.params()); err != nil {
		return nil, err
	}
	if !finiteParams(m) {
		return nil, errorf(ErrCorrupt, "Load: the parameters are not finite")
	}
	return m, nil
}

// LoadFile reads an RBM saved with SaveFile (or Save) from path.
func LoadFile(path string) (*RBM, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errorf(ErrInput, "LoadFile: %w", err)
	}
	defer f.Close()
	return Load(bufio.NewReader(f))
}

// fits returns an error matching ErrCorrupt unless body can hold the
// parameters of the sizes given (8 bytes each), so that a crafted header
// cannot make Load allocate more than the file's size implies.
func fits(body []byte, sizes ...int) error {
	n := 0
	for _, s := range sizes {
		if s < 0 || s > 1<<40 {
			return errorf(ErrCorrupt, "Load: a size of %d in the config", s)
		}
		n += s
	}
	if n > len(body)/8 {
		return errorf(ErrCorrupt, "Load: the config asks for %d parameters, the file holds at most %d", n, len(body)/8)
	}
	return nil
}
