package node

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"io"
	"os"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/train"
)

// The file format: magic (16 bytes, the last the version), kind (1 byte),
// header length (uint32 LE), the JSON header, its CRC-32 (uint32 LE), then
// internal/train's checkpoint of the parameters (names, shapes, values bit
// for bit, SHA-256).
var magic = [16]byte{'p', 'h', 'y', 's', 'b', 'i', 'a', 's', '-', 'n', 'o', 'd', 'e', 0, 0, 1}

const (
	kindMLP     byte = 1 // a Model of the built-in MLP
	kindNetwork byte = 2 // a Model of a user's Network
	kindCNF     byte = 3 // a CNF
)

const (
	maxHeader = 1 << 20
	maxWidth  = 1 << 16 // widest layer or state a file may ask for
	maxParams = 1 << 26 // most weights a file may ask for
)

type header struct {
	Dim    int
	Config Config
	CNF    *CNFConfig `json:",omitempty"`
}

func writeFile(w io.Writer, kind byte, h header, params []*G.Node) error {
	if w == nil {
		return errorf(ErrInput, "Save: nil io.Writer")
	}
	js, err := json.Marshal(h)
	if err != nil {
		return errorf(ErrInput, "Save: %w", err)
	}
	var buf bytes.Buffer
	buf.Write(magic[:])
	buf.WriteByte(kind)
	binary.Write(&buf, binary.LittleEndian, uint32(len(js)))
	buf.Write(js)
	binary.Write(&buf, binary.LittleEndian, crc32.ChecksumIEEE(js))
	if err := train.Save(&buf, params); err != nil {
		return errorf(ErrInput, "Save: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return errorf(ErrInput, "Save: %w", err)
	}
	return nil
}

func readHeader(r io.Reader) (byte, header, error) {
	var h header
	if r == nil {
		return 0, h, errorf(ErrInput, "Load: nil io.Reader")
	}
	var mg [16]byte
	if _, err := io.ReadFull(r, mg[:]); err != nil {
		return 0, h, errorf(ErrCorrupt, "Load: reading the magic: %w", err)
	}
	if mg != magic {
		return 0, h, errorf(ErrCorrupt, "Load: not a node file (bad magic or version)")
	}
	var kind [1]byte
	var n uint32
	if _, err := io.ReadFull(r, kind[:]); err != nil {
		return 0, h, errorf(ErrCorrupt, "Load: %w", err)
	}
	if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
		return 0, h, errorf(ErrCorrupt, "Load: %w", err)
	}
	if n > maxHeader {
		return 0, h, errorf(ErrCorrupt, "Load: header of %d bytes", n)
	}
	js := make([]byte, n)
	if _, err := io.ReadFull(r, js); err != nil {
		return 0, h, errorf(ErrCorrupt, "Load: header: %w", err)
	}
	var sum uint32
	if err := binary.Read(r, binary.LittleEndian, &sum); err != nil {
		return 0, h, errorf(ErrCorrupt, "Load: %w", err)
	}
	if crc32.ChecksumIEEE(js) != sum {
		return 0, h, errorf(ErrCorrupt, "Load: header checksum mismatch")
	}
	if err := json.Unmarshal(js, &h); err != nil {
		return 0, h, errorf(ErrCorrupt, "Load: header: %w", err)
	}
	// Sizes a file may ask for before any parameter is read: a crafted
	// header must not make Load allocate without bound.
	widths := append([]int{h.Dim}, h.Config.Hidden...)
	if h.CNF != nil {
		widths = append(widths, h.CNF.Hidden...)
	}
	total := 0
	for i, w := range widths {
		if w <= 0 || w > maxWidth {
			return 0, h, errorf(ErrCorrupt, "Load: header: width %d out of range", w)
		}
		if i > 0 {
			total += w * widths[i-1]
		}
	}
	if total > maxParams || len(widths) > 64 {
		return 0, h, errorf(ErrCorrupt, "Load: header: network too large")
	}
	return kind[0], h, nil
}

// Save writes the model (its kind, Config and parameters bit for bit) to
// w. A model of a user's Network is read back with LoadNetwork.
func (m *Model) Save(w io.Writer) error {
	if err := m.ok(); err != nil {
		return err
	}
	k, err := m.kernel(1, nil)
	if err != nil {
		return err
	}
	kind := kindMLP
	if m.custom {
		kind = kindNetwork
	}
	return writeFile(w, kind, header{Dim: m.dim, Config: m.cfg}, k.params)
}

// SaveFile saves the model to path (see Save), through a temporary file
// renamed over it.
func (m *Model) SaveFile(path string) error {
	return saveFile(path, m.Save)
}

func saveFile(path string, save func(io.Writer) error) error {
	tmp, err := os.CreateTemp(dirOf(path), ".node-*")
	if err != nil {
		return errorf(ErrInput, "SaveFile: %w", err)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	if err := save(bw); err != nil {
		tmp.Close()
		return err
	}
	if err := errors.Join(bw.Flush(), tmp.Sync(), tmp.Close()); err != nil {
		return errorf(ErrInput, "SaveFile: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return errorf(ErrInput, "SaveFile: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return errorf(ErrInput, "SaveFile: %w", err)
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

// Load reads a model of the built-in MLP written by Save. A file that is
// truncated, corrupted or of another kind is an error matching ErrCorrupt.
func Load(r io.Reader) (*Model, error) {
	kind, h, err := readHeader(r)
	if err != nil {
		return nil, err
	}
	switch kind {
	case kindMLP:
	case kindNetwork:
		return nil, errorf(ErrCorrupt, "Load: the file holds a model of a user's Network: read it with LoadNetwork")
	default:
		return nil, errorf(ErrCorrupt, "Load: the file holds no Model (kind %d)", kind)
	}
	m, err := New(h.Dim, h.Config)
	if err != nil {
		return nil, errorf(ErrCorrupt, "Load: %v", err)
	}
	return m, m.loadParams(r)
}

// LoadNetwork reads a model of a user's Network written by Save; net must
// build the same parameters (names and shapes) as the saved one.
func LoadNetwork(r io.Reader, net Network) (*Model, error) {
	kind, h, err := readHeader(r)
	if err != nil {
		return nil, err
	}
	if kind != kindNetwork {
		return nil, errorf(ErrCorrupt, "LoadNetwork: the file holds no model of a Network (kind %d): read it with Load", kind)
	}
	m, err := NewNetwork(h.Dim, net, h.Config)
	if err != nil {
		return nil, err
	}
	return m, m.loadParams(r)
}

func (m *Model) loadParams(r io.Reader) error {
	k, err := m.kernel(1, nil)
	if err != nil {
		return err
	}
	if err := train.Load(r, k.params); err != nil {
		return errorf(ErrCorrupt, "Load: %w", err)
	}
	theta, err := train.Values(k.params)
	if err != nil {
		return errorf(ErrCorrupt, "Load: %w", err)
	}
	if i := finite(theta); i >= 0 {
		return errorf(ErrCorrupt, "Load: parameter %d is %v", i, theta[i])
	}
	m.theta = theta
	return nil
}

// LoadFile reads a model saved with SaveFile (see Load).
func LoadFile(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errorf(ErrInput, "LoadFile: %w", err)
	}
	defer f.Close()
	return Load(bufio.NewReader(f))
}
