package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path/filepath"
	"strconv"
)

// skipDirs are not watched: dependency trees and caches that are large or
// that the runtime itself writes.
var skipDirs = map[string]bool{"node_modules": true, ".git": true, "__pycache__": true}

// fingerprint summarises a code directory's files (path, size, mtime), so a
// change to any of them changes it. An unreadable directory has "".
func fingerprint(dir string) string {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != dir && skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil //nolint:nilerr // removed while walking: the next walk sees it
		}
		h.Write([]byte(p + "\x00" + strconv.FormatInt(info.Size(), 10) + "\x00" + strconv.FormatInt(info.ModTime().UnixNano(), 10) + "\n"))
		return nil
	})
	if err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}
