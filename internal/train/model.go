package train

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	G "gorgonia.org/gorgonia"

	"github.com/physbias/physbias/internal/fail"
)

// The model file format, all integers little endian:
//
//	magic   "physbias-model\x00\x01" (16 bytes, the last byte the version)
//	kindLen uint32; kind (e.g. "hnn.Model v1")
//	cfgLen  uint32; the model's Config as JSON
//	ckptLen uint64; the parameters in the checkpoint format of Save
//	sha256 of all the bytes before it (32 bytes)
var modelMagic = [16]byte{'p', 'h', 'y', 's', 'b', 'i', 'a', 's', '-', 'm', 'o', 'd', 'e', 'l', 0, 1}

// Limits that keep a corrupt header from asking for absurd sizes.
const (
	maxKindLen   = 1 << 8
	maxConfigLen = 1 << 20
)

// kindPrefix is the package name at the start of a kind tag ("hnn" in
// "hnn.Model v1"), used to start error messages.
func kindPrefix(kind string) string {
	if i := strings.IndexAny(kind, ". "); i > 0 {
		return kind[:i]
	}
	if kind == "" {
		return "train"
	}
	return kind
}

// SaveModel writes a whole model to w: its kind tag (a package's type and
// format version, such as "hnn.Model v1"), cfg encoded as JSON (the
// Config that New needs to rebuild the model; it must be JSON-encodable,
// with finite floats and no funcs), then params in Save's checkpoint
// format, and a SHA-256 of it all. Errors start with the package named by
// kind ("hnn: ...").
func SaveModel(w io.Writer, kind string, cfg any, params []*G.Node) error {
	pre := kindPrefix(kind)
	if w == nil {
		return fail.Errorf(fail.ErrInput, pre, "Save: nil io.Writer")
	}
	if kind == "" || len(kind) > maxKindLen {
		return fail.Errorf(fail.ErrInput, pre, "Save: kind tag of length %d, want 1 to %d", len(kind), maxKindLen)
	}
	js, err := json.Marshal(cfg)
	if err != nil {
		return fail.Errorf(fail.ErrInput, pre, "Save: encoding the config: %w", err)
	}
	if len(js) > maxConfigLen {
		return fail.Errorf(fail.ErrInput, pre, "Save: config is %d bytes of JSON, at most %d", len(js), maxConfigLen)
	}
	var ckpt bytes.Buffer
	if err := Save(&ckpt, params); err != nil {
		return fmt.Errorf("%s: Save: %w", pre, err)
	}
	le := binary.LittleEndian
	var buf bytes.Buffer
	buf.Write(modelMagic[:])
	buf.Write(le.AppendUint32(nil, uint32(len(kind))))
	buf.WriteString(kind)
	buf.Write(le.AppendUint32(nil, uint32(len(js))))
	buf.Write(js)
	buf.Write(le.AppendUint64(nil, uint64(ckpt.Len())))
	buf.Write(ckpt.Bytes())
	sum := sha256.Sum256(buf.Bytes())
	buf.Write(sum[:])
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("%s: Save: %w", pre, err)
	}
	return nil
}

// ModelFile is a model file read by ReadModel whose checksum, kind and
// config have been checked; LoadParams puts its parameters into a model
// built from the config.
type ModelFile struct {
	// Kind is the file's kind tag.
	Kind string
	// Config is the config's JSON as it was saved.
	Config []byte
	ckpt   []byte
	prefix string
}

// ReadModel reads a model file written by SaveModel from r, checks its
// magic, checksum and kind tag (which must equal kind), and decodes its
// config into cfg (a pointer; unknown JSON fields are an error). The
// caller then builds a fresh model from *cfg and calls LoadParams with its
// parameters. Every error about the file's content (truncated, corrupted,
// another kind, a config that does not decode) matches fail.ErrCorrupt and
// starts with the package named by kind.
func ReadModel(r io.Reader, kind string, cfg any) (*ModelFile, error) {
	pre := kindPrefix(kind)
	corrupt := func(format string, a ...any) (*ModelFile, error) {
		return nil, fail.Errorf(fail.ErrCorrupt, pre, "Load: "+format, a...)
	}
	if r == nil {
		return nil, fail.Errorf(fail.ErrInput, pre, "Load: nil io.Reader")
	}
	raw, err := io.ReadAll(io.LimitReader(r, 1<<40))
	if err != nil {
		return nil, fmt.Errorf("%s: Load: %w", pre, err)
	}
	if len(raw) < len(modelMagic)+4+4+8+sha256.Size {
		return corrupt("model file is %d bytes, too short", len(raw))
	}
	if !bytes.Equal(raw[:len(modelMagic)-1], modelMagic[:len(modelMagic)-1]) {
		return corrupt("not a physbias model file (bad magic)")
	}
	if v := raw[len(modelMagic)-1]; v != modelMagic[len(modelMagic)-1] {
		return corrupt("model file version %d, this code reads version %d", v, modelMagic[len(modelMagic)-1])
	}
	body, tail := raw[:len(raw)-sha256.Size], raw[len(raw)-sha256.Size:]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], tail) {
		return corrupt("checksum mismatch (file truncated or corrupted)")
	}
	b := body[len(modelMagic):]
	le := binary.LittleEndian
	field := func(n uint64) ([]byte, bool) {
		if n > uint64(len(b)) {
			return nil, false
		}
		f := b[:n]
		b = b[n:]
		return f, true
	}
	if len(b) < 4 {
		return corrupt("no kind tag")
	}
	kl := uint64(le.Uint32(b))
	b = b[4:]
	k, ok := field(kl)
	if !ok || kl > maxKindLen {
		return corrupt("bad kind tag length %d", kl)
	}
	if string(k) != kind {
		return corrupt("the file holds a %q, want a %q", k, kind)
	}
	if len(b) < 4 {
		return corrupt("no config")
	}
	cl := uint64(le.Uint32(b))
	b = b[4:]
	js, ok := field(cl)
	if !ok || cl > maxConfigLen {
		return corrupt("bad config length %d", cl)
	}
	if len(b) < 8 {
		return corrupt("no parameters")
	}
	pl := le.Uint64(b)
	b = b[8:]
	ckpt, ok := field(pl)
	if !ok || len(b) != 0 {
		return corrupt("parameter block of %d bytes does not fit the file", pl)
	}
	if cfg != nil {
		dec := json.NewDecoder(bytes.NewReader(js))
		dec.DisallowUnknownFields()
		if err := dec.Decode(cfg); err != nil {
			return corrupt("config: %w", err)
		}
	}
	return &ModelFile{Kind: kind, Config: js, ckpt: ckpt, prefix: pre}, nil
}

// LoadParams loads the file's parameters into params (a model built from
// the file's config) by name, bit for bit, as Load does: on error nothing
// is changed, and the error matches fail.ErrCorrupt (the file's parameters
// do not fit the model its own config describes).
func (f *ModelFile) LoadParams(params []*G.Node) error {
	if f == nil {
		return fail.Errorf(fail.ErrZeroValue, "train", "ModelFile is nil")
	}
	if err := Load(bytes.NewReader(f.ckpt), params); err != nil {
		// Load's messages start "train: Load: "; say it once, as ours.
		return fail.Errorf(fail.ErrCorrupt, f.prefix, "Load: parameters: %w", fail.Trim(err, "train: Load"))
	}
	return nil
}

// Holds returns an error matching fail.ErrCorrupt unless the file's
// parameter block is large enough for n float64 parameters. A package calls
// it with the number of parameters the file's config asks for before it
// builds the model, so that a crafted config cannot make Load allocate far
// more than the file holds.
func (f *ModelFile) Holds(n int) error {
	if f == nil {
		return fail.Errorf(fail.ErrZeroValue, "train", "ModelFile is nil")
	}
	if n < 0 || uint64(n) > uint64(len(f.ckpt))/8 {
		return fail.Errorf(fail.ErrCorrupt, f.prefix, "Load: the config asks for %d parameters; the file holds %d bytes of them", n, len(f.ckpt))
	}
	return nil
}

// SaveModelFile saves a model to the file path (see SaveModel), writing a
// temporary file in the same directory first and renaming it over path, as
// SaveFile does.
func SaveModelFile(path, kind string, cfg any, params []*G.Node) error {
	var buf bytes.Buffer
	if err := SaveModel(&buf, kind, cfg, params); err != nil {
		return err
	}
	return writeAtomic(path, buf.Bytes(), kindPrefix(kind))
}

// ReadModelFile reads the model file path (see ReadModel).
func ReadModelFile(path, kind string, cfg any) (*ModelFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: Load: %w", kindPrefix(kind), err)
	}
	defer f.Close()
	return ReadModel(f, kind, cfg)
}

// writeAtomic writes data to a temporary file beside path, syncs it and
// renames it over path (mode 0644).
func writeAtomic(path string, data []byte, pre string) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("%s: Save: %w", pre, err)
	}
	tmp := f.Name()
	bad := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("%s: Save: %w", pre, err)
	}
	if _, err := f.Write(data); err != nil {
		return bad(err)
	}
	if err := f.Chmod(0o644); err != nil {
		return bad(err)
	}
	if err := f.Sync(); err != nil {
		return bad(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: Save: %w", pre, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("%s: Save: %w", pre, err)
	}
	return nil
}
