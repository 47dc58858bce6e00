package train

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	G "gorgonia.org/gorgonia"
)

// The checkpoint format, all integers little endian:
//
//	magic   "physbias-train\x00\x01" (16 bytes, the last byte the version)
//	count   uint32
//	count × { nameLen uint32; name; ndim uint32; ndim × uint64 dims; prod(dims) × uint64 IEEE-754 bits }
//	sha256 of all the bytes before it (32 bytes)
var magic = [16]byte{'p', 'h', 'y', 's', 'b', 'i', 'a', 's', '-', 't', 'r', 'a', 'i', 'n', 0, 1}

// Limits that keep a corrupt header from asking for absurd sizes.
const (
	maxNameLen = 1 << 12
	maxDims    = 16
)

// Save writes params to w by name: each node's name, shape and float64
// values bit for bit, then a SHA-256 checksum. Names must be non-empty and
// distinct.
func Save(w io.Writer, params []*G.Node) error {
	if w == nil {
		return errors.New("train: Save: nil io.Writer")
	}
	if len(params) == 0 {
		return errors.New("train: Save: no parameters")
	}
	var buf bytes.Buffer
	buf.Write(magic[:])
	le := binary.LittleEndian
	buf.Write(le.AppendUint32(nil, uint32(len(params))))
	names := make(map[string]bool, len(params))
	for i, n := range params {
		if n == nil {
			return fmt.Errorf("train: Save: parameter %d is nil", i)
		}
		name := n.Name()
		if unnamed(n) {
			return fmt.Errorf("train: Save: parameter %d has no name; create it with G.WithName", i)
		}
		if len(name) > maxNameLen {
			return fmt.Errorf("train: Save: parameter %d has a name of length %d, at most %d are supported", i, len(name), maxNameLen)
		}
		if names[name] {
			return fmt.Errorf("train: Save: two parameters are named %q", name)
		}
		names[name] = true
		data, err := paramData(n)
		if err != nil {
			return err
		}
		shape := n.Shape()
		if len(shape) > maxDims {
			return fmt.Errorf("train: Save: parameter %q has %d dimensions, at most %d are supported", name, len(shape), maxDims)
		}
		buf.Write(le.AppendUint32(nil, uint32(len(name))))
		buf.WriteString(name)
		buf.Write(le.AppendUint32(nil, uint32(len(shape))))
		for _, d := range shape {
			buf.Write(le.AppendUint64(nil, uint64(d)))
		}
		b := make([]byte, 0, 8*len(data))
		for _, v := range data {
			b = le.AppendUint64(b, math.Float64bits(v))
		}
		buf.Write(b)
	}
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("train: Save: %w", err)
	}
	return nil
}

// Load reads a checkpoint written by Save into the nodes of params with the
// same names. The file must hold exactly these names with the same shapes;
// Load checks the whole file (checksum, names, shapes) before it changes
// any parameter, so on error the parameters are untouched.
func Load(r io.Reader, params []*G.Node) error {
	if r == nil {
		return errors.New("train: Load: nil io.Reader")
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("train: Load: %w", err)
	}
	if len(raw) < len(magic)+4+sha256.Size {
		return fmt.Errorf("train: Load: checkpoint is %d bytes, too short", len(raw))
	}
	if !bytes.Equal(raw[:len(magic)-1], magic[:len(magic)-1]) {
		return errors.New("train: Load: not a physbias checkpoint (bad magic)")
	}
	if raw[len(magic)-1] != magic[len(magic)-1] {
		return fmt.Errorf("train: Load: checkpoint version %d, this code reads version %d", raw[len(magic)-1], magic[len(magic)-1])
	}
	body, tail := raw[:len(raw)-sha256.Size], raw[len(raw)-sha256.Size:]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], tail) {
		return errors.New("train: Load: checksum mismatch (file truncated or corrupted)")
	}
	entries, err := parse(body[len(magic):])
	if err != nil {
		return err
	}
	// Match every parameter to an entry before writing anything.
	if len(entries) != len(params) {
		return fmt.Errorf("train: Load: checkpoint holds %d parameters, want %d", len(entries), len(params))
	}
	byName := make(map[string]entry, len(entries))
	for _, e := range entries {
		if _, dup := byName[e.name]; dup {
			return fmt.Errorf("train: Load: checkpoint names %q twice", e.name)
		}
		byName[e.name] = e
	}
	dst := make([][]float64, len(params))
	src := make([]entry, len(params))
	for i, n := range params {
		if n == nil {
			return fmt.Errorf("train: Load: parameter %d is nil", i)
		}
		if unnamed(n) {
			return fmt.Errorf("train: Load: parameter %d has no name; create it with G.WithName", i)
		}
		e, ok := byName[n.Name()]
		if !ok && findName(params[:i], n.Name()) {
			return fmt.Errorf("train: Load: two parameters are named %q", n.Name())
		}
		if !ok {
			return fmt.Errorf("train: Load: checkpoint has no parameter %q", n.Name())
		}
		delete(byName, n.Name())
		shape := n.Shape()
		if !sameShape(shape, e.shape) {
			return fmt.Errorf("train: Load: parameter %q has shape %v in the checkpoint, %v in the model", n.Name(), e.shape, []int(shape))
		}
		d, err := paramData(n)
		if err != nil {
			return err
		}
		if len(d) != len(e.bits)/8 {
			return fmt.Errorf("train: Load: parameter %q holds %d values, the checkpoint %d", n.Name(), len(d), len(e.bits)/8)
		}
		dst[i], src[i] = d, e
	}
	for i := range params {
		for k := range dst[i] {
			dst[i][k] = math.Float64frombits(binary.LittleEndian.Uint64(src[i].bits[8*k:]))
		}
	}
	return nil
}

// unnamed reports whether n was created without G.WithName: gorgonia then
// names an input node after its nil op, "%!s(<nil>)()".
func unnamed(n *G.Node) bool {
	name := n.Name()
	return name == "" || (n.Op() == nil && strings.HasPrefix(name, "%!s(<nil>)("))
}

func findName(ps []*G.Node, name string) bool {
	for _, p := range ps {
		if p.Name() == name {
			return true
		}
	}
	return false
}

type entry struct {
	name  string
	shape []int
	bits  []byte
}

func sameShape(a []int, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// parse reads the entries of a checkpoint body (after the magic, before
// the checksum), checking every length against the bytes left.
func parse(b []byte) ([]entry, error) {
	corrupt := func(what string) error { return fmt.Errorf("train: Load: corrupt checkpoint: %s", what) }
	le := binary.LittleEndian
	u32 := func() (uint32, bool) {
		if len(b) < 4 {
			return 0, false
		}
		v := le.Uint32(b)
		b = b[4:]
		return v, true
	}
	count, ok := u32()
	if !ok {
		return nil, corrupt("no parameter count")
	}
	// Each entry takes at least 4+1+4 bytes.
	if uint64(count) > uint64(len(b))/9 {
		return nil, corrupt(fmt.Sprintf("%d parameters do not fit in %d bytes", count, len(b)))
	}
	entries := make([]entry, 0, count)
	for i := 0; i < int(count); i++ {
		nl, ok := u32()
		if !ok || nl == 0 || nl > maxNameLen || uint64(nl) > uint64(len(b)) {
			return nil, corrupt(fmt.Sprintf("bad name length in parameter %d", i))
		}
		name := string(b[:nl])
		b = b[nl:]
		nd, ok := u32()
		if !ok || nd > maxDims || uint64(nd)*8 > uint64(len(b)) {
			return nil, corrupt(fmt.Sprintf("bad number of dimensions for %q", name))
		}
		shape := make([]int, nd)
		n := uint64(1)
		for k := range shape {
			d := le.Uint64(b)
			b = b[8:]
			if d == 0 || d > uint64(len(b)) || n > uint64(len(b))/d {
				return nil, corrupt(fmt.Sprintf("bad dimension %d of %q", d, name))
			}
			n *= d
			shape[k] = int(d)
		}
		if n*8 > uint64(len(b)) {
			return nil, corrupt(fmt.Sprintf("values of %q truncated", name))
		}
		entries = append(entries, entry{name: name, shape: shape, bits: b[:n*8]})
		b = b[n*8:]
	}
	if len(b) != 0 {
		return nil, corrupt(fmt.Sprintf("%d unexpected bytes after the last parameter", len(b)))
	}
	return entries, nil
}

// SaveFile saves params to the file path (see Save), writing a temporary
// file in the same directory first, syncing it and renaming it over path, so
// a crash never leaves a half-written file. The file is created with mode
// 0644.
func SaveFile(path string, params []*G.Node) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("train: SaveFile: %w", err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := Save(f, params); err != nil {
		return fail(err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fail(fmt.Errorf("train: SaveFile: %w", err))
	}
	if err := f.Sync(); err != nil {
		return fail(fmt.Errorf("train: SaveFile: %w", err))
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("train: SaveFile: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("train: SaveFile: %w", err)
	}
	return nil
}

// LoadFile loads params from the file path (see Load).
func LoadFile(path string, params []*G.Node) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("train: LoadFile: %w", err)
	}
	defer f.Close()
	return Load(f, params)
}
