package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The fogbank binary is built once per test run, on first use, into binDir.
var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	if modelDir != "" {
		_ = os.RemoveAll(modelDir)
	}
	os.Exit(code)
}

func fogbankBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binDir, buildErr = os.MkdirTemp("", "fogbank-e2e-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "fogbank")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/fogbank/fogbank/cmd/fogbank").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	require.NoError(t, buildErr)
	return binPath
}

// awsCLI returns the AWS CLI v2 that speaks SQS's query protocol: /usr/bin/aws
// or $FOGBANK_AWS_CLI. Without it the test is skipped, except on CI.
func awsCLI(t *testing.T) string {
	t.Helper()
	path := os.Getenv("FOGBANK_AWS_CLI")
	if path == "" {
		path = "/usr/bin/aws"
	}
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("AWS CLI not found at %s (set FOGBANK_AWS_CLI)", path)
		}
		t.Skipf("AWS CLI not found at %s (set FOGBANK_AWS_CLI); skipping CLI acceptance tests", path)
	}
	return path
}

// The Debian AWS CLI v2.9.19 predates the 2023 message move task operations.
// moveTaskModel merges them (testdata/sqs-move-task-ops.json) into the CLI's
// own SQS model and returns a directory for AWS_DATA_PATH, which botocore
// searches before its bundled models.
var (
	modelOnce sync.Once
	modelDir  string
	modelErr  error
)

func moveTaskModel(cli string) (string, error) {
	modelOnce.Do(func() { modelDir, modelErr = buildMoveTaskModel(cli) })
	return modelDir, modelErr
}

func buildMoveTaskModel(cli string) (string, error) {
	script, err := os.ReadFile(cli)
	if err != nil {
		return "", err
	}
	first, _, _ := bytes.Cut(script, []byte("\n"))
	python, ok := bytes.CutPrefix(first, []byte("#!"))
	if !ok {
		return "", fmt.Errorf("%s is not a Python script", cli)
	}
	pkg, err := exec.Command(string(bytes.TrimSpace(python)), "-c", "import awscli, os; print(os.path.dirname(awscli.__file__))").Output()
	if err != nil {
		return "", fmt.Errorf("locating awscli: %w", err)
	}
	var model, patch struct {
		Operations map[string]json.RawMessage `json:"operations"`
		Shapes     map[string]json.RawMessage `json:"shapes"`
	}
	raw, err := os.ReadFile(filepath.Join(string(bytes.TrimSpace(pkg)), "botocore", "data", "sqs", "2012-11-05", "service-2.json"))
	if err != nil {
		return "", err
	}
	var full map[string]json.RawMessage
	if err := json.Unmarshal(raw, &full); err != nil {
		return "", err
	}
	if err := json.Unmarshal(raw, &model); err != nil {
		return "", err
	}
	p, err := os.ReadFile(filepath.Join("testdata", "sqs-move-task-ops.json"))
	if err != nil {
		return "", err
	}
	if err := json.Unmarshal(p, &patch); err != nil {
		return "", err
	}
	for k, v := range patch.Operations {
		if _, ok := model.Operations[k]; !ok {
			model.Operations[k] = v
		}
	}
	for k, v := range patch.Shapes {
		if _, ok := model.Shapes[k]; !ok {
			model.Shapes[k] = v
		}
	}
	if full["operations"], err = json.Marshal(model.Operations); err != nil {
		return "", err
	}
	if full["shapes"], err = json.Marshal(model.Shapes); err != nil {
		return "", err
	}
	out, err := json.Marshal(full)
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "fogbank-e2e-awsdata-")
	if err != nil {
		return "", err
	}
	target := filepath.Join(dir, "sqs", "2012-11-05")
	if err := os.MkdirAll(target, 0o755); err != nil {
		return "", err
	}
	return dir, os.WriteFile(filepath.Join(target, "service-2.json"), out, 0o644)
}

// withMoveTasks makes the CLI know the message move task operations, or
// skips the test when the CLI's model cannot be extended.
func (c *cliEnv) withMoveTasks() {
	c.t.Helper()
	dir, err := moveTaskModel(c.aws)
	if err != nil {
		if os.Getenv("CI") == "true" {
			c.t.Fatalf("cannot add the message move task operations to the AWS CLI's model: %v", err)
		}
		c.t.Skipf("cannot add the message move task operations to the AWS CLI's model: %v", err)
	}
	c.dataPath = dir
}

// cliEnv is a fogbank subprocess and the AWS CLI pointed at it.
type cliEnv struct {
	t        *testing.T
	aws      string
	endpoint string
	secret   string
	dataPath string // AWS_DATA_PATH, if set
}

var upLine = regexp.MustCompile(`addr=http://(\S+)`)

// setupCLI starts `fogbank up --store memory` on a free port; extra flags are
// passed to `up`.
func setupCLI(t *testing.T, flags ...string) *cliEnv {
	t.Helper()
	cli := awsCLI(t)
	bin := fogbankBinary(t)
	args := append([]string{"up", "--addr", "127.0.0.1:0", "--store", "memory", "--log-level", "info"}, flags...)
	cmd := exec.Command(bin, args...)
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})

	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := upLine.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	var endpoint string
	select {
	case a := <-addr:
		endpoint = "http://" + a
	case <-time.After(10 * time.Second):
		t.Fatal("fogbank did not report its address")
	}
	resp, err := http.Get(endpoint + "/health")
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	return &cliEnv{t: t, aws: cli, endpoint: endpoint, secret: "test"}
}

// run runs one `aws sqs` command and returns its output and exit code.
func (c *cliEnv) run(args ...string) (stdout, stderr string, code int) {
	c.t.Helper()
	return c.call("sqs", nil, args...)
}

// call runs one `aws <service>` command, with extra environment, and
// returns its output and exit code.
func (c *cliEnv) call(service string, env []string, args ...string) (stdout, stderr string, code int) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.t.Context(), 60*time.Second)
	defer cancel()
	full := append([]string{service, "--endpoint-url", c.endpoint, "--output", "json"}, args...)
	cmd := exec.CommandContext(ctx, c.aws, full...)
	cmd.Env = append(os.Environ(),
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY="+c.secret, "AWS_DEFAULT_REGION=us-east-1",
		"AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	)
	if c.dataPath != "" {
		cmd.Env = append(cmd.Env, "AWS_DATA_PATH="+c.dataPath)
	}
	cmd.Env = append(cmd.Env, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else {
		require.NoError(c.t, err, "aws %s %v", service, args)
	}
	return out.String(), errOut.String(), code
}

// cli runs one `aws <service>` command that must exit with wantExit and
// decodes its JSON output (nil for an empty one); it also returns stderr.
func (c *cliEnv) cli(service string, env []string, wantExit int, args ...string) (map[string]any, string) {
	c.t.Helper()
	stdout, stderr, code := c.call(service, env, args...)
	require.Equal(c.t, wantExit, code, "aws %s %v: %s", service, args, stderr)
	var v map[string]any
	if len(bytes.TrimSpace([]byte(stdout))) > 0 {
		require.NoError(c.t, json.Unmarshal([]byte(stdout), &v), stdout)
	}
	return v, stderr
}

// ok runs a command that must succeed and decodes its JSON output (nil for
// an empty one).
func (c *cliEnv) ok(args ...string) map[string]any {
	c.t.Helper()
	stdout, stderr, code := c.run(args...)
	require.Equal(c.t, 0, code, "aws %v: %s", args, stderr)
	if len(bytes.TrimSpace([]byte(stdout))) == 0 {
		return nil
	}
	var v map[string]any
	require.NoError(c.t, json.Unmarshal([]byte(stdout), &v), stdout)
	return v
}

// fail runs a command that must fail with the given AWS error.
func (c *cliEnv) fail(code, op, message string, args ...string) {
	c.t.Helper()
	_, stderr, exit := c.run(args...)
	require.Equal(c.t, 254, exit, "aws %v: %s", args, stderr)
	want := fmt.Sprintf("An error occurred (%s) when calling the %s operation: %s", code, op, message)
	require.Contains(c.t, stderr, want)
}

// list returns a JSON array field as maps.
func list(t *testing.T, v map[string]any, key string) []map[string]any {
	t.Helper()
	raw, _ := v[key].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, r := range raw {
		m, ok := r.(map[string]any)
		require.True(t, ok, "%s: %v", key, r)
		out = append(out, m)
	}
	return out
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
