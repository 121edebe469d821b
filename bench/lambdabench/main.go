// Command lambdabench measures fogbank's Lambda invoke path end to end
// against a fogbank subprocess (durable embedded store in a temporary
// directory) with aws-sdk-go-v2, and prints a Markdown section for
// BENCHMARKS.md. The function is a Go bootstrap for provided.al2023 that
// returns its input (bench/lambdabench/echo).
//
//   - cold start: CreateFunction returns → the first Invoke returns, for
//     -functions new functions one after another, beside the bootstrap
//     process's own start (the REPORT line's Init Duration: process start
//     to its first /next) and the difference of the two per function;
//
//   - warm invoke: -invokes sequential Invokes of one warm function, the
//     SDK round trip and the REPORT Duration (event handed to the runtime →
//     response posted), and their difference per invoke: what fogbank and
//     the client add to the function's own time;
//
//   - concurrency: -concurrency clients invoking one function for
//     -duration, once each sandbox is started (one sandbox per client).
//
//     go run ./bench/lambdabench -functions 50 -invokes 2000 -duration 10s
package main

import (
	"archive/zip"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/fogbank/fogbank/bench/internal/fogbankproc"
)

// options are the command-line flags.
type options struct {
	functions   int
	invokes     int
	concurrency int
	duration    time.Duration
	bin         string
	store       string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts, err := parseFlags(os.Args[1:])
	if err == nil {
		err = run(ctx, opts)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lambdabench:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("lambdabench", flag.ContinueOnError)
	fs.IntVar(&o.functions, "functions", 50, "functions created and cold-started, one after another")
	fs.IntVar(&o.invokes, "invokes", 2000, "sequential warm invokes")
	fs.IntVar(&o.concurrency, "concurrency", 100, "concurrent clients (and sandboxes) of the concurrency phase")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured time of the concurrency phase")
	fs.StringVar(&o.bin, "bin", "", "fogbank binary (default: build ./cmd/fogbank)")
	fs.StringVar(&o.store, "store", "", "fogbank --store (default: sqlite in a temp dir)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.functions < 1 || o.invokes < 1 || o.concurrency < 1 {
		return o, fmt.Errorf("-functions, -invokes and -concurrency must be at least 1")
	}
	return o, nil
}

func run(ctx context.Context, o options) error {
	tmp, err := os.MkdirTemp("", "lambdabench-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(tmp) }()
	bin := o.bin
	if bin == "" {
		if bin, err = fogbankproc.Build(ctx, tmp); err != nil {
			return err
		}
	}
	code, err := buildEcho(ctx, tmp)
	if err != nil {
		return err
	}
	srv, c, err := start(ctx, bin, tmp, o.store)
	if err != nil {
		return err
	}
	defer srv.Stop() //nolint:errcheck // the results are what matter
	b := bench{c: c, code: code}
	fmt.Fprintf(os.Stderr, "lambdabench: cold start of %d functions...\n", o.functions)
	cold, err := b.cold(ctx, o.functions)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "lambdabench: %d warm invokes...\n", o.invokes)
	warm, err := b.warm(ctx, o.invokes)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "lambdabench: %d concurrent clients for %s...\n", o.concurrency, o.duration)
	conc, err := b.concurrent(ctx, o.concurrency, o.duration)
	if err != nil {
		return err
	}
	printReport(os.Stdout, o, cold, warm, conc)
	return nil
}

// start launches fogbank with its data in tmp (or on store) and returns
// a Lambda client for it.
func start(ctx context.Context, bin, tmp, store string) (*fogbankproc.Server, *lambdaClient, error) {
	addr, err := fogbankproc.FreeAddr()
	if err != nil {
		return nil, nil, err
	}
	args := []string{"--data-dir", filepath.Join(tmp, "data")}
	if store != "" {
		args = []string{"--store", store}
	}
	srv, err := fogbankproc.Launch(bin, addr, args...)
	if err != nil {
		return nil, nil, err
	}
	if err := srv.WaitHealthy(ctx); err != nil {
		_ = srv.Stop()
		return nil, nil, err
	}
	return srv, newClient(addr), nil
}

// buildEcho compiles the echo bootstrap and returns it zipped.
func buildEcho(ctx context.Context, dir string) ([]byte, error) {
	path := filepath.Join(dir, "bootstrap")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", path, "github.com/fogbank/fogbank/bench/lambdabench/echo")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build echo: %w\n%s", err, out)
	}
	bin, err := os.ReadFile(path) //nolint:gosec // the binary just built
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate}
	h.SetMode(0o755)
	w, err := zw.CreateHeader(h)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(bin); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
