package train

import (
	"bytes"
	"crypto/sha256"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ckptParams builds a matrix, a 3-d tensor and a scalar with awkward
// values: signed zero, subnormals, infinities and a NaN with a payload.
func ckptParams(scale float64) []*G.Node {
	g := G.NewGraph()
	m := make([]float64, 6)
	for i := range m {
		m[i] = scale * (float64(i) - 2.5) / 3
	}
	m[0] = math.Copysign(0, -1)
	m[1] = 5e-324
	t3 := make([]float64, 24)
	for i := range t3 {
		t3[i] = scale * math.Sin(float64(i))
	}
	t3[3] = math.Inf(1)
	t3[4] = math.Inf(-1)
	t3[5] = math.Float64frombits(0x7ff8_0000_dead_beef)
	return []*G.Node{
		G.NewMatrix(g, tensor.Float64, G.WithShape(2, 3), G.WithName("layer0/W"), G.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking(m)))),
		G.NewTensor(g, tensor.Float64, 3, G.WithShape(2, 3, 4), G.WithName("conv"), G.WithValue(tensor.New(tensor.WithShape(2, 3, 4), tensor.WithBacking(t3)))),
		G.NewScalar(g, tensor.Float64, G.WithName("nu"), G.WithValue(scale*0.01/math.Pi)),
	}
}

func valueBits(t *testing.T, ps []*G.Node) []uint64 {
	t.Helper()
	v, err := Values(ps)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]uint64, len(v))
	for i, x := range v {
		out[i] = math.Float64bits(x)
	}
	return out
}

func saved(t *testing.T, ps []*G.Node) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Save(&buf, ps); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCheckpointRoundTrip: Save then Load into other nodes with the same
// names gives the same bits, NaN payloads and signed zeros included, also
// when the parameters are listed in another order.
func TestCheckpointRoundTrip(t *testing.T) {
	src, dst := ckptParams(1), ckptParams(7)
	data := saved(t, src)
	rev := slices.Clone(dst)
	slices.Reverse(rev)
	if err := Load(bytes.NewReader(data), rev); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(valueBits(t, src), valueBits(t, dst)) {
		t.Fatal("round trip changed the bits")
	}
	// And through a file.
	path := filepath.Join(t.TempDir(), "ckpt.bin")
	if err := SaveFile(path, src); err != nil {
		t.Fatal(err)
	}
	dst2 := ckptParams(3)
	if err := LoadFile(path, dst2); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(valueBits(t, src), valueBits(t, dst2)) {
		t.Fatal("file round trip changed the bits")
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("SaveFile left %s.tmp behind", path)
	}
}

// loadFails checks that loading data errors, says "train: ", and leaves
// the destination untouched.
func loadFails(t *testing.T, what string, data []byte, dst []*G.Node) string {
	t.Helper()
	before := valueBits(t, dst)
	err := Load(bytes.NewReader(data), dst)
	if err == nil {
		t.Fatalf("%s: loaded without error", what)
	}
	if !strings.HasPrefix(err.Error(), "train: ") {
		t.Errorf("%s: error %q lacks the train: prefix", what, err)
	}
	if !slices.Equal(before, valueBits(t, dst)) {
		t.Errorf("%s: a failed Load changed the parameters", what)
	}
	return err.Error()
}

// TestCheckpointTruncated: every proper prefix of a checkpoint is an error.
func TestCheckpointTruncated(t *testing.T) {
	data := saved(t, ckptParams(1))
	dst := ckptParams(2)
	for n := 0; n < len(data); n++ {
		loadFails(t, "truncated", data[:n], dst)
	}
	loadFails(t, "extra byte", append(slices.Clone(data), 0), dst)
}

// TestCheckpointFlipped: flipping any single byte is an error.
func TestCheckpointFlipped(t *testing.T) {
	data := saved(t, ckptParams(1))
	dst := ckptParams(2)
	for i := range data {
		for _, mask := range []byte{0x01, 0x80, 0xff} {
			bad := slices.Clone(data)
			bad[i] ^= mask
			loadFails(t, "flipped", bad, dst)
		}
	}
}

// withChecksum returns body followed by its valid SHA-256, so tests can
// reach the parser with corrupt contents.
func withChecksum(body []byte) []byte {
	s := sha256.Sum256(body)
	return append(slices.Clone(body), s[:]...)
}

// TestCheckpointMismatch: wrong names, shapes, counts and corrupt headers
// behind a valid checksum are errors that say what is wrong.
func TestCheckpointMismatch(t *testing.T) {
	src := ckptParams(1)
	data := saved(t, src)
	g := G.NewGraph()
	renamed := ckptParams(1)
	renamed[2] = G.NewScalar(g, tensor.Float64, G.WithName("lambda"), G.WithValue(1.0))
	if msg := loadFails(t, "wrong name", data, renamed); !strings.Contains(msg, `no parameter "lambda"`) {
		t.Errorf("wrong name: %s", msg)
	}
	reshaped := ckptParams(1)
	reshaped[0] = G.NewMatrix(g, tensor.Float64, G.WithShape(3, 2), G.WithName("layer0/W"), G.WithInit(G.Zeroes()))
	if msg := loadFails(t, "wrong shape", data, reshaped); !strings.Contains(msg, "shape") {
		t.Errorf("wrong shape: %s", msg)
	}
	if msg := loadFails(t, "fewer params", data, ckptParams(1)[:2]); !strings.Contains(msg, "holds 3 parameters, want 2") {
		t.Errorf("fewer params: %s", msg)
	}
	body := data[:len(data)-sha256.Size]
	// Bad magic and bad version behind a good checksum.
	bad := slices.Clone(body)
	bad[0] = 'P'
	loadFails(t, "magic", withChecksum(bad), src)
	bad = slices.Clone(body)
	bad[15] = 9
	if msg := loadFails(t, "version", withChecksum(bad), src); !strings.Contains(msg, "version") {
		t.Errorf("version: %s", msg)
	}
	// Every single-byte change after the magic, re-checksummed: the parser
	// must reject it or decode it (changed value bits) without panicking.
	for i := 16; i < len(body); i++ {
		for _, v := range []byte{0, 1, 0x7f, 0xff} {
			b := slices.Clone(body)
			b[i] = v
			_ = Load(bytes.NewReader(withChecksum(b)), ckptParams(2))
		}
	}
	// Duplicate names in the file.
	g2 := G.NewGraph()
	a := G.NewScalar(g2, tensor.Float64, G.WithName("a"), G.WithValue(1.0))
	b := G.NewScalar(g2, tensor.Float64, G.WithName("b"), G.WithValue(2.0))
	d2 := saved(t, []*G.Node{a, b})
	body2 := slices.Clone(d2[:len(d2)-sha256.Size])
	idx := bytes.LastIndexByte(body2, 'b')
	body2[idx] = 'a'
	if msg := loadFails(t, "duplicate", withChecksum(body2), []*G.Node{a, b}); !strings.Contains(msg, "twice") {
		t.Errorf("duplicate: %s", msg)
	}
	a2 := G.NewScalar(g2, tensor.Float64, G.WithName("a"), G.WithValue(3.0))
	if msg := loadFails(t, "duplicate param names", d2, []*G.Node{a, a2}); !strings.Contains(msg, "two parameters") {
		t.Errorf("duplicate param names: %s", msg)
	}
}

// TestSaveErrors: unsaveable parameter lists are errors.
func TestSaveErrors(t *testing.T) {
	g := G.NewGraph()
	a := G.NewScalar(g, tensor.Float64, G.WithName("a"), G.WithValue(1.0))
	a2 := G.NewScalar(g, tensor.Float64, G.WithName("a"), G.WithValue(2.0))
	noval := G.NewScalar(g, tensor.Float64, G.WithName("nv"))
	anon := G.NewScalar(g, tensor.Float64, G.WithValue(3.0))
	for name, ps := range map[string][]*G.Node{
		"empty": nil, "nil": {nil}, "same name": {a, a2}, "no value": {noval}, "unnamed": {anon},
	} {
		if err := Save(&bytes.Buffer{}, ps); err == nil || !strings.HasPrefix(err.Error(), "train: ") {
			t.Errorf("%s: got %v", name, err)
		}
	}
	if err := SaveFile(filepath.Join(t.TempDir(), "no", "such", "dir"), []*G.Node{a}); err == nil {
		t.Error("SaveFile into a missing directory succeeded")
	}
	if err := LoadFile(filepath.Join(t.TempDir(), "missing"), []*G.Node{a}); err == nil {
		t.Error("LoadFile of a missing file succeeded")
	}
	if err := Save(nil, []*G.Node{a}); err == nil || !strings.HasPrefix(err.Error(), "train: ") {
		t.Errorf("Save to a nil writer: got %v", err)
	}
	if err := Load(nil, []*G.Node{a}); err == nil || !strings.HasPrefix(err.Error(), "train: ") {
		t.Errorf("Load from a nil reader: got %v", err)
	}
}

// TestSaveFileLeavesNeighbours: SaveFile writes through a temporary file of
// its own, so a file that happens to be named path+".tmp" survives, a
// failed save leaves nothing behind, and the result loads.
func TestSaveFileLeavesNeighbours(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.ckpt")
	if err := os.WriteFile(path+".tmp", []byte("user data"), 0o644); err != nil {
		t.Fatal(err)
	}
	ps := ckptParams(1)
	if err := SaveFile(path, ps); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path + ".tmp"); err != nil || string(b) != "user data" {
		t.Errorf("SaveFile changed %s.tmp: %q, %v", path, b, err)
	}
	if err := SaveFile(path, []*G.Node{nil}); err == nil {
		t.Error("SaveFile of a nil parameter succeeded")
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) != 2 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want model.ckpt and model.ckpt.tmp only", names)
	}
	dst := ckptParams(2)
	if err := LoadFile(path, dst); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(valueBits(t, ps), valueBits(t, dst)) {
		t.Error("SaveFile then LoadFile changed the bits")
	}
}

// FuzzLoad: Load never panics. With fix set, the input gets a valid
// checksum so the fuzzer reaches the parser; whatever loads must save
// back to a checkpoint that loads to the same bits. With model set, the
// input is a model file for ReadModel instead (see fuzzReadModel).
func FuzzLoad(f *testing.F) {
	var buf bytes.Buffer
	if err := Save(&buf, ckptParams(1)); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes(), false, false)
	f.Add(buf.Bytes()[:buf.Len()-sha256.Size], true, false)
	f.Add([]byte{}, false, false)
	f.Add(magic[:], true, false)
	m := modelSeed(f)
	f.Add(m, false, true)
	f.Add(m[:len(m)-sha256.Size], true, true)
	f.Add(modelMagic[:], true, true)
	f.Fuzz(func(t *testing.T, data []byte, fix, model bool) {
		if fix {
			data = withChecksum(data)
		}
		if model {
			fuzzReadModel(t, data)
			return
		}
		dst := ckptParams(2)
		if err := Load(bytes.NewReader(data), dst); err != nil {
			return
		}
		again := ckptParams(3)
		if err := Load(bytes.NewReader(saved(t, dst)), again); err != nil {
			t.Fatalf("re-saved checkpoint does not load: %v", err)
		}
		if !slices.Equal(valueBits(t, dst), valueBits(t, again)) {
			t.Fatal("re-saved checkpoint loads different bits")
		}
	})
}
