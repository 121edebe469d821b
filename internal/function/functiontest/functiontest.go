// Package functiontest builds test Lambda code: the bootstrap in
// internal/function/testdata/bootstrap (a Runtime API client written with
// net/http) and the aws-lambda-go handler in functiontest/golambda, each
// compiled once per test binary and zipped with extra files; and plain zips
// of source files for the Node.js and Python runtimes and for layers.
package functiontest

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"
)

// binary is one program compiled once.
type binary struct {
	once sync.Once
	path string
	err  error
	out  []byte
}

var builds = struct {
	bootstrap, golambda binary
}{}

func (b *binary) build(tb testing.TB, dir ...string) string {
	tb.Helper()
	b.once.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		src := filepath.Join(append([]string{filepath.Dir(file)}, dir...)...)
		tmp, err := os.MkdirTemp("", "fogbank-bootstrap-")
		if err != nil {
			b.err = err
			return
		}
		b.path = filepath.Join(tmp, "bootstrap")
		cmd := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-o", b.path, ".")
		cmd.Dir = src
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		b.out, b.err = cmd.CombinedOutput()
	})
	if b.err != nil {
		tb.Fatalf("functiontest: build %v: %v\n%s", dir, b.err, b.out)
	}
	return b.path
}

// Bootstrap returns the path of the compiled test bootstrap.
func Bootstrap(tb testing.TB) string {
	tb.Helper()
	return builds.bootstrap.build(tb, "..", "testdata", "bootstrap")
}

// GoLambda returns the path of the compiled aws-lambda-go test handler.
func GoLambda(tb testing.TB) string {
	tb.Helper()
	return builds.golambda.build(tb, "golambda")
}

// Zip returns a zip holding the test bootstrap (executable) and files.
func Zip(tb testing.TB, files map[string]string) []byte {
	tb.Helper()
	return zipWith(tb, Bootstrap(tb), files)
}

// GoLambdaZip returns a zip holding the aws-lambda-go handler as bootstrap.
func GoLambdaZip(tb testing.TB) []byte {
	tb.Helper()
	return zipWith(tb, GoLambda(tb), nil)
}

func zipWith(tb testing.TB, bootstrap string, files map[string]string) []byte {
	tb.Helper()
	bin, err := os.ReadFile(bootstrap) //nolint:gosec // a binary this package built
	if err != nil {
		tb.Fatal(err)
	}
	return build(tb, map[string]file{"bootstrap": {0o755, bin}}, files)
}

// Files returns a zip of source files (mode 0644), for the Node.js and
// Python runtimes and for layers. Names may hold directories ("a/b.py").
func Files(tb testing.TB, files map[string]string) []byte {
	tb.Helper()
	return build(tb, nil, files)
}

type file struct {
	mode os.FileMode
	data []byte
}

func build(tb testing.TB, bins map[string]file, files map[string]string) []byte {
	tb.Helper()
	all := map[string]file{}
	for name, f := range bins {
		all[name] = f
	}
	for name, data := range files {
		all[name] = file{0o644, []byte(data)}
	}
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range names {
		h := &zip.FileHeader{Name: name, Method: zip.Store}
		h.SetMode(all[name].mode)
		w, err := zw.CreateHeader(h)
		if err == nil {
			_, err = w.Write(all[name].data)
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
