package fail

import "strings"

// Trim returns err with a message that drops the leading "p: " of each
// prefix p in turn (a prefix that is not there is skipped), for wrapping
// with %w under a message that already names the package:
//
//	fail.Errorf(ErrCorrupt, "gnn", "Load: %w", fail.Trim(err, "gnn"))
//
// reads "gnn: Load: <err without its gnn: >". errors.Is and errors.As see
// err through it. A nil err gives nil.
func Trim(err error, prefixes ...string) error {
	if err == nil {
		return nil
	}
	return &trimmed{err: err, prefixes: prefixes}
}

// Wrap returns an error whose message is prefix + ": " + the formatted
// text + ": " + err's message without its own leading prefix + ": " (so
// the package is named once), and which matches kind and err with
// errors.Is. With an empty format the message is prefix + ": " + err's
// trimmed message.
func Wrap(kind error, prefix string, err error, format string, args ...any) error {
	if format == "" {
		return Errorf(kind, prefix, "%w", Trim(err, prefix))
	}
	return Errorf(kind, prefix, format+": %w", append(args, Trim(err, prefix))...)
}

type trimmed struct {
	err      error
	prefixes []string
}

func (t *trimmed) Error() string {
	s := t.err.Error()
	for _, p := range t.prefixes {
		s = strings.TrimPrefix(s, p+": ")
	}
	return s
}

// Unwrap returns the wrapped error.
func (t *trimmed) Unwrap() error { return t.err }
