// Package runtime holds fogbank's runtime clients for the managed Lambda
// runtimes, a small program per language that speaks the Runtime API: node/
// (nodejs*.x, run with node) and python/ (python3.*, run with python3). They
// are embedded in the binary and written to a directory at first use; the
// interpreters come from the host's PATH.
package runtime

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

//go:embed node/index.mjs python/bootstrap.py
var files embed.FS

// Language is one runtime family.
type Language struct {
	Interpreter string // the program looked up on PATH
	Entry       string // the runtime client, relative to the materialised directory
	Args        []string
}

var (
	node   = Language{Interpreter: "node", Entry: "node/index.mjs"}
	python = Language{Interpreter: "python3", Entry: "python/bootstrap.py", Args: []string{"-u"}}
)

// For returns the language of a runtime name such as nodejs22.x or
// python3.13; ok is false for OS-only runtimes (provided.*).
func For(runtime string) (Language, bool) {
	switch {
	case strings.HasPrefix(runtime, "nodejs"):
		return node, true
	case strings.HasPrefix(runtime, "python3"):
		return python, true
	}
	return Language{}, false
}

// Command is the argv that runs the runtime client materialised in dir.
func (l Language) Command(dir string) []string {
	return append(append([]string{l.Interpreter}, l.Args...), filepath.Join(dir, filepath.FromSlash(l.Entry)))
}

// Materialise writes the runtime clients under base, in a directory named
// by their content hash (so a new fogbank build never runs an old client),
// and returns it. It is cheap once the directory exists.
func Materialise(base string) (string, error) {
	dir := filepath.Join(base, "runtime-"+version())
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(base, 0o750); err != nil {
		return "", fmt.Errorf("runtime: %w", err)
	}
	tmp, err := os.MkdirTemp(base, ".runtime-*")
	if err != nil {
		return "", fmt.Errorf("runtime: %w", err)
	}
	err = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(tmp, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644) //nolint:gosec // runtime sources, readable by the function's process
	})
	if err == nil {
		err = os.Rename(tmp, dir)
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		if _, statErr := os.Stat(dir); statErr == nil {
			return dir, nil // written concurrently
		}
		return "", errors.Join(errors.New("runtime: materialise"), err)
	}
	return dir, nil
}

// version is a short hash of the embedded files.
func version() string {
	h := sha256.New()
	_ = fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := files.ReadFile(p)
		h.Write([]byte(path.Clean(p)))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16]
}
