package function

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/fogbank/fogbank/internal/function/runtime"
	"github.com/fogbank/fogbank/internal/function/sandbox"
)

// host is what every sandbox shares beyond the code store: the layer
// registry, the runtime clients and the cgroup limits, probed once.
type host struct {
	layers layerRegistry

	once   sync.Once
	limits sandbox.Limits
}

func newHost() *host { return &host{layers: layerRegistry{byName: map[layerKey]*layer{}}} }

// sandboxLimits probes cgroup v2 on first use and logs, once, whether
// sandboxes run under memory and CPU limits.
func (s *Service) sandboxLimits() sandbox.Limits {
	s.host.once.Do(func() {
		l, err := sandbox.ProbeLimits("/sys/fs/cgroup")
		if err != nil {
			s.log.Info("lambda: sandboxes run without memory and CPU limits; Max Memory Used is the runtime process's peak RSS (VmHWM)",
				slog.String("reason", err.Error()))
			return
		}
		s.log.Info("lambda: sandboxes run in cgroup v2 with memory.max = MemorySize and cpu.weight proportional to it")
		s.host.limits = l
	})
	return s.host.limits
}

// sandboxConfig is how to start a sandbox for configuration f: its code
// directory (the unpacked zip, or the hot-reload directory read afresh), the
// merged layers standing in for /opt, the runtime process and environment.
func (s *Service) sandboxConfig(f *Function, id string) (sandbox.Config, error) {
	code := f.HotReloadDir
	if code == "" {
		dir, err := s.code.unpacked(f.CodeKey)
		if err != nil {
			return sandbox.Config{}, err
		}
		code = dir
	}
	opt, err := s.optDir(f.Layers)
	if err != nil {
		return sandbox.Config{}, err
	}
	cfg := sandbox.Config{
		Dir: filepath.Join(s.cfg.SandboxDir, id), CodeDir: code, Runtime: f.Runtime,
		Limits: s.sandboxLimits(), MemoryMB: f.MemorySize,
	}
	runtimeDir := code
	if lang, ok := runtime.For(f.Runtime); ok {
		if runtimeDir, err = runtime.Materialise(filepath.Join(filepath.Dir(filepath.Clean(s.cfg.CodeDir)), "runtimes")); err != nil {
			return sandbox.Config{}, err
		}
		cfg.Command = lang.Command(runtimeDir)
	} else if _, err := os.Stat(filepath.Join(code, "bootstrap")); err != nil && opt != "" {
		cfg.Command = []string{filepath.Join(opt, "bootstrap")} // AWS looks in /var/task, then /opt
	}
	cfg.Env = environment(f, code, runtimeDir, opt, logStream(s.clock.Now(), id))
	if f.HotReloadDir != "" {
		cfg.Watch = true
		// Leave no __pycache__ in the user's directory, and never load a
		// stale one: a same-size edit within a second keeps the pyc's stamp.
		cfg.Env = append(cfg.Env, "PYTHONDONTWRITEBYTECODE=1")
	}
	return cfg, nil
}

// runtimeEnv are the variables a managed runtime sets for its language, with
// /opt replaced by the merged layers' directory.
func runtimeEnv(f *Function, codeDir, opt string) []string {
	if opt == "" {
		opt = filepath.Join(codeDir, ".no-layers") // a path that does not exist
	}
	ld := "LD_LIBRARY_PATH=" + codeDir + ":" + codeDir + "/lib:" + opt + "/lib"
	switch {
	case strings.HasPrefix(f.Runtime, "nodejs"):
		major := strings.TrimSuffix(strings.TrimPrefix(f.Runtime, "nodejs"), ".x")
		return []string{
			ld, "AWS_EXECUTION_ENV=AWS_Lambda_" + f.Runtime,
			"NODE_PATH=" + opt + "/nodejs/node" + major + "/node_modules:" + opt + "/nodejs/node_modules:" + codeDir,
		}
	case strings.HasPrefix(f.Runtime, "python"):
		return []string{
			ld, "AWS_EXECUTION_ENV=AWS_Lambda_" + f.Runtime,
			"PYTHONPATH=" + opt + "/python/lib/" + f.Runtime + "/site-packages:" + opt + "/python",
		}
	}
	return []string{ld}
}

// optBin is ":<opt>/bin" for PATH, AWS's /opt/bin; "" without layers.
func optBin(opt string) string {
	if opt == "" {
		return ""
	}
	return ":" + filepath.Join(opt, "bin")
}

// optDir merges the layers' contents, in order (a later layer's file wins),
// into a directory named by the layers' code keys, built once and shared by
// every sandbox of the same layer list. "" when there are no layers.
func (s *Service) optDir(layers []FunctionLayer) (string, error) {
	if len(layers) == 0 {
		return "", nil
	}
	h := sha256.New()
	for _, l := range layers {
		h.Write([]byte(l.CodeKey + "\n"))
	}
	dir := filepath.Join(s.cfg.CodeDir, "opt-"+hex.EncodeToString(h.Sum(nil))[:32])
	if _, err := os.Stat(dir); err == nil {
		return dir, nil
	}
	tmp, err := os.MkdirTemp(s.cfg.CodeDir, ".opt-*")
	if err != nil {
		return "", fmt.Errorf("function: layers: %w", err)
	}
	for _, l := range layers {
		src, err := s.code.unpacked(l.CodeKey)
		if err == nil {
			err = mergeTree(src, tmp)
		}
		if err != nil {
			_ = os.RemoveAll(tmp)
			return "", fmt.Errorf("function: layer %s: %w", l.Arn, err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		_ = os.RemoveAll(tmp)
		if _, statErr := os.Stat(dir); statErr == nil {
			return dir, nil // merged concurrently
		}
		return "", fmt.Errorf("function: layers: %w", err)
	}
	return dir, nil
}

// mergeTree copies src's files into dst, replacing files already there.
func mergeTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o750)
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p) //nolint:gosec // a file of an unpacked layer
		if err != nil {
			return err
		}
		if err := os.Remove(target); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return os.WriteFile(target, b, info.Mode().Perm()) //nolint:gosec // the layer's own file mode
	})
}

// hotReloadSha is the CodeSha256 of a function whose code is a host
// directory, as LocalStack reports it for hot-reloaded code.
const hotReloadSha = "hot-reloading-hash-not-available"

// hotReloadDir validates a hot-reload S3Key: an absolute directory path.
func hotReloadDir(key string) (string, error) {
	if !filepath.IsAbs(key) {
		return "", invalidParameter("With S3Bucket \"hot-reload\", S3Key must be the absolute path of a directory on the fogbank host; got %q.", key)
	}
	return filepath.Clean(key), nil
}

// itoa is strconv.Itoa for int64 version numbers.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }
