package crash

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/jackc/pgx/v5"
)

// readyMarker is what fogbank logs on stderr once it serves requests.
const readyMarker = "fogbank is up"

// startTimeout bounds how long one start (with recovery) may take.
const startTimeout = 60 * time.Second

// buildFogbank compiles the binary once for the whole test, or uses
// $FOGBANK_BIN when set.
func buildFogbank(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("FOGBANK_BIN"); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "fogbank")
	out, err := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "github.com/fogbank/fogbank/cmd/fogbank").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process runs one fogbank subprocess at a time on a fixed address, so that
// clients keep their endpoint across restarts.
type process struct {
	t    *testing.T
	bin  string
	args []string
	addr string
	tr   *http.Transport

	mu      sync.Mutex
	up      chan struct{} // closed while a process serves; replaced before a kill
	cmd     *exec.Cmd
	exited  chan struct{}
	logs    *logWatcher
	starts  int
	slowest time.Duration // longest start, recovery included
}

func newProcess(t *testing.T, bin string, storeArgs []string) *process {
	t.Helper()
	p := &process{t: t, bin: bin, addr: freeAddr(t), up: make(chan struct{})}
	p.args = append([]string{"up", "--addr", p.addr, "--log-level", "info"}, storeArgs...)
	p.tr = &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256, IdleConnTimeout: 30 * time.Second}
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.cmd != nil {
			_ = p.cmd.Process.Signal(syscall.SIGKILL)
			<-p.exited
		}
		p.tr.CloseIdleConnections()
	})
	return p
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// client returns an SQS client with retries off: a request either got an
// answer or its outcome is unknown.
func (p *process) client() *sqs.Client {
	return sqs.NewFromConfig(aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint:     aws.String("http://" + p.addr),
		RetryMaxAttempts: 1,
		HTTPClient:       &http.Client{Transport: p.tr, Timeout: 30 * time.Second},
	})
}

// start runs fogbank and returns once it logged that it is up.
func (p *process) start() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.starts++
	began := time.Now()
	p.logs = &logWatcher{marker: readyMarker, ready: make(chan struct{})}
	cmd := exec.Command(p.bin, p.args...) //nolint:gosec // the binary this test built
	cmd.Stdout, cmd.Stderr = p.logs, p.logs
	cmd.Env = withoutFogbankEnv()
	if err := cmd.Start(); err != nil {
		p.t.Fatalf("start fogbank: %v", err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	p.cmd, p.exited = cmd, exited
	timer := time.NewTimer(startTimeout)
	defer timer.Stop()
	select {
	case <-p.logs.ready:
	case <-exited:
		p.cmd = nil
		p.t.Fatalf("fogbank exited during start %d:\n%s", p.starts, p.logs.String())
	case <-timer.C:
		p.t.Fatalf("fogbank not up after %s (start %d):\n%s", startTimeout, p.starts, p.logs.String())
	}
	p.slowest = max(p.slowest, time.Since(began))
	p.tr.CloseIdleConnections() // connections to the previous process are dead
	close(p.up)
}

// kill sends SIGKILL and waits for the process to be gone. Clients that fail
// from now on wait for the next start.
func (p *process) kill() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.exited:
		p.t.Fatalf("fogbank exited on its own before kill %d:\n%s", p.starts, p.logs.String())
	default:
	}
	p.up = make(chan struct{})
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		p.t.Fatalf("kill: %v", err)
	}
	<-p.exited
	p.cmd = nil
}

// waitUp blocks until a process serves or ctx ends.
func (p *process) waitUp(ctx context.Context) {
	p.mu.Lock()
	up := p.up
	p.mu.Unlock()
	select {
	case <-up:
	case <-ctx.Done():
	}
}

// withoutFogbankEnv is the environment minus FOGBANK_* variables, which
// would override flags the test does not pass (FOGBANK_STORE, say).
func withoutFogbankEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "FOGBANK_") {
			env = append(env, kv)
		}
	}
	return env
}

// logWatcher keeps a process's output and signals when marker appears.
type logWatcher struct {
	marker string
	ready  chan struct{}

	mu   sync.Mutex
	buf  bytes.Buffer
	seen bool
}

func (w *logWatcher) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.buf.Len() < 1<<20 {
		w.buf.Write(b)
	}
	if !w.seen && strings.Contains(w.buf.String(), w.marker) {
		w.seen = true
		close(w.ready)
	}
	return len(b), nil
}

func (w *logWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// defaultPostgres is the local server tried when FOGBANK_TEST_POSTGRES_URL
// is not set.
const defaultPostgres = "postgres://postgres:postgres@127.0.0.1:5432/postgres?sslmode=disable"

// postgresStore creates a fresh schema for the test and returns fogbank's
// --store flag pointing at it. Without a reachable server it skips, or fails
// when CI=true.
func postgresStore(t *testing.T) []string {
	t.Helper()
	base := os.Getenv("FOGBANK_TEST_POSTGRES_URL")
	if base == "" {
		base = defaultPostgres
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		msg := fmt.Sprintf("!!! NO POSTGRES: crash test against postgres NOT RUN (set FOGBANK_TEST_POSTGRES_URL): %v", err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		fmt.Fprintln(os.Stderr, msg)
		t.Skip(msg)
	}
	schema := "fbcrash_" + randomHex(6)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		_ = conn.Close(ctx)
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		_ = conn.Close(ctx)
	})
	return []string{"--store", withSearchPath(t, base, schema)}
}

// withSearchPath adds search_path to a postgres:// URL or a key=value
// connection string.
func withSearchPath(t *testing.T, base, schema string) string {
	t.Helper()
	if !strings.Contains(base, "://") {
		return base + " search_path=" + schema
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("postgres url: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
