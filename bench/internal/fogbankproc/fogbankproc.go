// Package fogbankproc runs fogbank as a subprocess for the benchmark
// programs: build it, start it on a free port, wait until it is healthy,
// read its memory, stop it, and describe the machine and the latencies for
// the report.
package fogbankproc

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Build compiles fogbank into dir and returns the binary's path.
func Build(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "fogbank")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, "github.com/fogbank/fogbank/cmd/fogbank")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
}

// Server is one fogbank subprocess.
type Server struct {
	Addr string
	cmd  *exec.Cmd
	logs bytes.Buffer
}

// Launch starts fogbank on addr without waiting for it to serve. FOGBANK_*
// variables of the environment are dropped so they cannot override the flags.
func Launch(bin, addr string, args ...string) (*Server, error) {
	s := &Server{Addr: addr}
	s.cmd = exec.Command(bin, append([]string{"up", "--addr", addr, "--log-level", "warn"}, args...)...)
	s.cmd.Stderr = &s.logs
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "FOGBANK_") {
			s.cmd.Env = append(s.cmd.Env, kv)
		}
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start fogbank: %w", err)
	}
	return s, nil
}

// WaitHealthy polls /health until it answers 200 (at most 30 s).
func (s *Server) WaitHealthy(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+s.Addr+"/health", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("fogbank not healthy: %w\n%s", ctx.Err(), s.logs.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// Stop asks the process to shut down and waits for it.
func (s *Server) Stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	err := s.cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return fmt.Errorf("fogbank: %w\n%s", err, s.logs.String())
	}
	return err
}

// RSSKB reads the process's VmRSS from /proc/<pid>/status.
func (s *Server) RSSKB() (int, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
	return 0, errors.New("no VmRSS in /proc status")
}

// FreeAddr returns a loopback address with a port free at the time of the call.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String(), nil
}

// Machine describes the machine for a benchmark report.
func Machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	return fmt.Sprintf("%d CPUs, %s, %s %s/%s", runtime.NumCPU(), model, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// Percentile is the nearest-rank p-th percentile (0–100) of latencies, in
// any order; 0 for none.
func Percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	sorted := slices.Clone(d)
	slices.Sort(sorted)
	return sorted[int(float64(len(sorted)-1)*p/100)]
}
