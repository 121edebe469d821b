package main

import (
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
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// build compiles fogbank into dir.
func build(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "fogbank")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, "github.com/fogbank/fogbank/cmd/fogbank")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
}

// server is one fogbank subprocess.
type server struct {
	cmd  *exec.Cmd
	addr string
	logs bytes.Buffer
}

// launch starts fogbank without waiting for it to serve.
func launch(bin, addr string, storeArgs ...string) (*server, error) {
	s := &server{addr: addr}
	args := append([]string{"up", "--addr", addr, "--log-level", "warn"}, storeArgs...)
	s.cmd = exec.Command(bin, args...) //nolint:gosec // the binary we built or were given
	s.cmd.Stderr = &s.logs
	for _, kv := range os.Environ() { // FOGBANK_* would override flags not given here
		if !strings.HasPrefix(kv, "FOGBANK_") {
			s.cmd.Env = append(s.cmd.Env, kv)
		}
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start fogbank: %w", err)
	}
	return s, nil
}

// waitHealthy polls /health until it answers 200.
func (s *server) waitHealthy(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+s.addr+"/health", nil)
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

// stop asks the process to shut down and waits for it.
func (s *server) stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	err := s.cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return fmt.Errorf("fogbank: %w\n%s", err, s.logs.String())
	}
	return err
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String(), nil
}

// clients returns SNS and SQS clients with retries off.
func clients(addr string) (*sns.Client, *sqs.Client) {
	cfg := aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("bench", "bench", ""),
		BaseEndpoint:     aws.String("http://" + addr),
		RetryMaxAttempts: 1,
		HTTPClient:       awshttp.NewBuildableClient(),
	}
	return sns.NewFromConfig(cfg), sqs.NewFromConfig(cfg)
}

// machine describes where the benchmark ran.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				model = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	return fmt.Sprintf("%d CPUs, %s, %s %s/%s", runtime.NumCPU(), model, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
