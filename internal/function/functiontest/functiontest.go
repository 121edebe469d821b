// Package functiontest builds test Lambda code: the bootstrap in
// internal/function/testdata/bootstrap, compiled once per test binary and
// zipped with extra files.
package functiontest

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
)

var build struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

// Bootstrap returns the path of the compiled test bootstrap.
func Bootstrap(tb testing.TB) string {
	tb.Helper()
	build.once.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		src := filepath.Join(filepath.Dir(file), "..", "testdata", "bootstrap")
		dir, err := os.MkdirTemp("", "fogbank-bootstrap-")
		if err != nil {
			build.err = err
			return
		}
		build.path = filepath.Join(dir, "bootstrap")
		cmd := exec.Command("go", "build", "-trimpath", "-o", build.path, ".")
		cmd.Dir = src
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		build.out, build.err = cmd.CombinedOutput()
	})
	if build.err != nil {
		tb.Fatalf("functiontest: build bootstrap: %v\n%s", build.err, build.out)
	}
	return build.path
}

// Zip returns a zip holding the test bootstrap (executable) and files.
func Zip(tb testing.TB, files map[string]string) []byte {
	tb.Helper()
	bin, err := os.ReadFile(Bootstrap(tb))
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, mode os.FileMode, data []byte) {
		h := &zip.FileHeader{Name: name, Method: zip.Store}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err == nil {
			_, err = w.Write(data)
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	add("bootstrap", 0o755, bin)
	for name, data := range files {
		add(name, 0o644, []byte(data))
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
