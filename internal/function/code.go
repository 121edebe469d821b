package function

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// codeStore keeps code zips and their unpacked trees under one directory:
// <dir>/<hex sha256>.zip and <dir>/<hex sha256>/.
type codeStore struct{ dir string }

// codeInfo identifies one zip.
type codeInfo struct {
	key    string // hex SHA-256
	sha256 string // base64 SHA-256, as AWS reports it
	size   int64
	dir    string // a hot-reload directory instead of a zip
}

// storeCode checks and stores a function's code: a zip, saved durably, or
// a hot-reload directory (an absolute host path, not read until a sandbox
// starts; its CodeSha256 is LocalStack's placeholder and its size 0).
func (s *Service) storeCode(zipFile []byte, hotDir string) (codeInfo, error) {
	if hotDir != "" {
		dir, err := hotReloadDir(hotDir)
		if err != nil {
			return codeInfo{}, err
		}
		return codeInfo{sha256: hotReloadSha, dir: dir}, nil
	}
	info, err := inspect(zipFile)
	if err != nil {
		return codeInfo{}, err
	}
	return info, s.code.save(info, zipFile)
}

func inspect(zipFile []byte) (codeInfo, error) {
	if len(zipFile) > MaxZipSize {
		return codeInfo{}, errorf(CodeRequestTooLarge, "Request must be smaller than %d bytes for the CreateFunction operation", MaxZipSize+MaxZipSize/3+1)
	}
	zr, err := zip.NewReader(bytes.NewReader(zipFile), int64(len(zipFile)))
	if err != nil {
		return codeInfo{}, errUnzip()
	}
	for _, f := range zr.File {
		if !filepath.IsLocal(filepath.FromSlash(f.Name)) {
			return codeInfo{}, errUnzip() // an absolute path or one leaving the code directory
		}
	}
	sum := sha256.Sum256(zipFile)
	return codeInfo{key: hex.EncodeToString(sum[:]), sha256: base64.StdEncoding.EncodeToString(sum[:]), size: int64(len(zipFile))}, nil
}

// errUnzip is AWS's answer to a zip it cannot unpack.
func errUnzip() *Error {
	return invalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again.")
}

// errBadEntry marks an unpacking failure caused by the zip's content (a
// corrupt entry), as opposed to the host (disk full, permissions).
var errBadEntry = errors.New("function: bad zip entry")

// save writes the zip durably (temp file, fsync, rename) and unpacks it.
// A zip whose entries cannot be unpacked is removed again and refused as
// AWS refuses it.
func (c codeStore) save(info codeInfo, zipFile []byte) error {
	path := filepath.Join(c.dir, info.key+".zip")
	if _, err := os.Stat(path); err != nil {
		if err := writeSynced(path, zipFile); err != nil {
			return err
		}
	}
	_, err := c.unpacked(info.key)
	if errors.Is(err, errBadEntry) {
		_ = os.Remove(path)
		return errUnzip()
	}
	return err
}

// zip returns a stored zip by its key (hex SHA-256).
func (c codeStore) zip(key string) ([]byte, error) {
	if len(key) != 64 || strings.Trim(key, "0123456789abcdef") != "" {
		return nil, os.ErrNotExist
	}
	return os.ReadFile(filepath.Join(c.dir, key+".zip")) //nolint:gosec // key is checked to be 64 hex digits above
}

func writeSynced(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("function: code dir: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".upload-*")
	if err != nil {
		return fmt.Errorf("function: save code: %w", err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("function: save code: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("function: save code: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("function: save code: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("function: save code: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// unpacked returns the directory holding the zip's files, unpacking it
// first if needed (into a temporary directory renamed into place).
func (c codeStore) unpacked(key string) (string, error) {
	dir := filepath.Join(c.dir, key)
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	tmp, err := os.MkdirTemp(c.dir, ".unpack-*")
	if err != nil {
		return "", fmt.Errorf("function: unpack: %w", err)
	}
	if err := unzip(filepath.Join(c.dir, key+".zip"), tmp); err != nil {
		_ = os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		_ = os.RemoveAll(tmp)
		if _, statErr := os.Stat(dir); statErr == nil {
			return dir, nil // unpacked concurrently
		}
		return "", fmt.Errorf("function: unpack: %w", err)
	}
	return dir, nil
}

// remove deletes a zip and its tree; a key that is not a SHA-256 (a
// hot-reloaded function has none) names nothing.
func (c codeStore) remove(key string) {
	if len(key) != 64 || strings.Trim(key, "0123456789abcdef") != "" {
		return
	}
	_ = os.Remove(filepath.Join(c.dir, key+".zip"))
	_ = os.RemoveAll(filepath.Join(c.dir, key))
}

func unzip(src, dst string) error {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return fmt.Errorf("function: unpack: %w", err)
	}
	defer func() { _ = zr.Close() }()
	for _, f := range zr.File {
		if err := extract(f, dst); err != nil {
			return err
		}
	}
	return nil
}

func extract(f *zip.File, dst string) error {
	name := filepath.FromSlash(f.Name)
	if !filepath.IsLocal(name) {
		return fmt.Errorf("%w: unsafe path %q", errBadEntry, f.Name)
	}
	path := filepath.Join(dst, name)
	if f.FileInfo().IsDir() || strings.HasSuffix(f.Name, "/") {
		return os.MkdirAll(path, 0o750)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("function: unpack: %w", err)
	}
	mode := f.Mode().Perm()
	if mode == 0 {
		mode = 0o644
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: %s: %w", errBadEntry, f.Name, err)
	}
	defer func() { _ = rc.Close() }()
	out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode) //nolint:gosec // path checked against traversal above
	if err != nil {
		return fmt.Errorf("function: unpack: %w", err)
	}
	if _, err := io.Copy(out, entryReader{rc}); err != nil { //nolint:gosec // size bounded by the 50 MB upload limit... and AWS's 250 MB unzipped
		_ = out.Close()
		return fmt.Errorf("function: unpack %s: %w", f.Name, err)
	}
	return out.Close()
}

// entryReader marks errors reading a zip entry (corrupt data, a bad
// checksum) as the zip's fault, not the host's.
type entryReader struct{ r io.Reader }

func (e entryReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("%w: %w", errBadEntry, err)
	}
	return n, err
}
