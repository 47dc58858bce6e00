package gnn

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"io"
	"os"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/train"
)

// magic opens every saved gnn model.
const magic = "physbias gnn model v1\n"

// maxFile bounds the size of a file Load reads (1 GiB).
const maxFile = 1 << 30

// Save writes the model to w: a kind tag, the Config as JSON, the
// parameters bit for bit (internal/train's checkpoint format) and a
// SHA-256 of everything before it. A model loaded from it predicts
// bit-identically.
func (m *Model) Save(w io.Writer) error {
	if err := m.ok(); err != nil {
		return err
	}
	cfg, err := json.Marshal(m.cfg)
	if err != nil {
		return errorf(ErrInput, "encoding the config: %w", err)
	}
	g := G.NewGraph()
	n, err := newNets(g, m.cfg)
	if err != nil {
		return err
	}
	if err := train.SetValues(n.params(), m.theta); err != nil {
		return errorf(ErrInput, "%w", err)
	}
	var buf bytes.Buffer
	buf.WriteString(magic)
	var l [8]byte
	binary.LittleEndian.PutUint64(l[:], uint64(len(cfg)))
	buf.Write(l[:])
	buf.Write(cfg)
	if err := train.Save(&buf, n.params()); err != nil {
		return errorf(ErrInput, "%w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	if _, err := w.Write(buf.Bytes()); err != nil {
		return errorf(ErrInput, "writing the model: %w", err)
	}
	return nil
}

// SaveFile saves the model to path (see Save), through a temporary file in
// the same directory renamed over path.
func (m *Model) SaveFile(path string) error {
	if err := m.ok(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dirOf(path), ".gnn-*.tmp")
	if err != nil {
		return errorf(ErrInput, "saving %s: %w", path, err)
	}
	_, werr := tmp.Write(buf.Bytes())
	serr := tmp.Sync()
	cerr := tmp.Close()
	if werr != nil || serr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return errorf(ErrInput, "saving %s: %w", path, firstErr(werr, serr, cerr))
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return errorf(ErrInput, "saving %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return errorf(ErrInput, "saving %s: %w", path, err)
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if os.IsPathSeparator(path[i]) {
			return path[:i+1]
		}
	}
	return "."
}

// Load reads a model written by Save. A truncated, corrupted or foreign
// file is an error matching ErrCorrupt.
func Load(r io.Reader) (*Model, error) {
	if r == nil {
		return nil, errorf(ErrInput, "nil reader")
	}
	b, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, errorf(ErrCorrupt, "reading the model: %w", err)
	}
	if len(b) > maxFile {
		return nil, errorf(ErrCorrupt, "file larger than %d bytes", maxFile)
	}
	if len(b) < len(magic)+8+sha256.Size || string(b[:len(magic)]) != magic {
		return nil, errorf(ErrCorrupt, "not a gnn model (bad or missing header)")
	}
	body, sum := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], sum) {
		return nil, errorf(ErrCorrupt, "checksum mismatch")
	}
	rest := body[len(magic):]
	n := binary.LittleEndian.Uint64(rest[:8])
	rest = rest[8:]
	if n > uint64(len(rest)) {
		return nil, errorf(ErrCorrupt, "config length %d exceeds the file", n)
	}
	var cfg Config
	if err := json.Unmarshal(rest[:n], &cfg); err != nil {
		return nil, errorf(ErrCorrupt, "config: %w", err)
	}
	m, err := New(cfg)
	if err != nil {
		return nil, errorf(ErrCorrupt, "config: %w", err)
	}
	g := G.NewGraph()
	nt, err := newNets(g, m.cfg)
	if err != nil {
		return nil, errorf(ErrCorrupt, "%w", err)
	}
	if err := train.Load(bytes.NewReader(rest[n:]), nt.params()); err != nil {
		return nil, errorf(ErrCorrupt, "parameters: %w", err)
	}
	if m.theta, err = train.Values(nt.params()); err != nil {
		return nil, errorf(ErrCorrupt, "%w", err)
	}
	return m, nil
}

// LoadFile reads a model saved with SaveFile (see Load).
func LoadFile(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errorf(ErrInput, "%w", err)
	}
	defer f.Close()
	return Load(f)
}
