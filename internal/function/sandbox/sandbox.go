// Package sandbox runs one Lambda execution environment: the function's
// bootstrap as a process in its own process group, with a private working
// and temp directory, the AWS environment, and its own Runtime API server on
// loopback. A sandbox carries one invocation at a time.
//
// A timeout kills the process group and reports Sandbox.Timedout; a process
// that exits reports Runtime.ExitError. Either way the sandbox is dead
// afterwards (Dead reports it) and its owner starts a new one.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/fogbank/fogbank/internal/function/runtimeapi"
)

// Config describes one sandbox.
type Config struct {
	Dir     string   // private directory, created; holds tmp/; removed by Kill
	CodeDir string   // the function's unpacked code: LAMBDA_TASK_ROOT
	Env     []string // the environment, without AWS_LAMBDA_RUNTIME_API
}

// Sandbox is one running execution environment.
type Sandbox struct {
	cfg     Config
	api     *runtimeapi.Server
	cmd     *exec.Cmd
	out     *output
	exited  chan struct{} // closed when the process has exited
	exitErr error         // valid once exited is closed
	started time.Time
	inited  bool // an invocation has been handed over before
}

// errExited is the cause of an invocation ended by the process's exit.
var errExited = errors.New("sandbox: runtime exited")

// errTimeout is the cause of an invocation ended by its deadline.
var errTimeout = errors.New("sandbox: timed out")

// Start starts the bootstrap. It returns once the process runs; the runtime
// initialises concurrently, and the first Invoke waits for it.
func Start(cfg Config) (*Sandbox, error) {
	bootstrap := filepath.Join(cfg.CodeDir, "bootstrap")
	if err := os.MkdirAll(filepath.Join(cfg.Dir, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	api, err := runtimeapi.Listen()
	if err != nil {
		return nil, fmt.Errorf("sandbox: runtime api: %w", err)
	}
	out, w, err := newOutput()
	if err != nil {
		api.Close()
		return nil, err
	}
	cmd := exec.Command(bootstrap)
	cmd.Dir = cfg.CodeDir
	cmd.Env = append(append([]string{}, cfg.Env...), "AWS_LAMBDA_RUNTIME_API="+api.Addr(), "TMPDIR="+filepath.Join(cfg.Dir, "tmp"))
	cmd.Stdout, cmd.Stderr = w, w
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	s := &Sandbox{cfg: cfg, api: api, cmd: cmd, out: out, exited: make(chan struct{}), started: time.Now()}
	if err := cmd.Start(); err != nil {
		_ = w.Close()
		out.close()
		api.Close()
		return nil, &StartError{Err: err}
	}
	_ = w.Close()
	go s.wait()
	return s, nil
}

// StartError is a bootstrap that could not be started.
type StartError struct{ Err error }

func (e *StartError) Error() string { return "sandbox: start bootstrap: " + e.Err.Error() }
func (e *StartError) Unwrap() error { return e.Err }

func (s *Sandbox) wait() {
	s.exitErr = s.cmd.Wait()
	close(s.exited)
}

// Dead reports whether the process has exited.
func (s *Sandbox) Dead() bool {
	select {
	case <-s.exited:
		return true
	default:
		return false
	}
}

// Kill kills the process group, closes the Runtime API and removes the
// sandbox's directory. Safe more than once.
func (s *Sandbox) Kill() {
	if s.cmd.Process != nil {
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	}
	<-s.exited
	s.api.Close()
	s.out.close()
	_ = os.RemoveAll(s.cfg.Dir)
}

// Outcome is what one invocation produced.
type Outcome struct {
	Result   runtimeapi.Result
	Log      []byte        // the process's output during the invocation
	InitTime time.Duration // from process start to the first /next, on a cold start
	Duration time.Duration
	// MaxMemoryMB is the process's peak resident memory so far.
	MaxMemoryMB int
}

// Invoke runs one invocation for at most timeout. On a
// timeout the process group is killed and the result is Sandbox.Timedout;
// if the process exits, Runtime.ExitError.
func (s *Sandbox) Invoke(ctx context.Context, inv runtimeapi.Invocation, timeout time.Duration) Outcome {
	inv.Deadline = time.Now().Add(timeout)
	ctx, cancel := context.WithDeadlineCause(ctx, inv.Deadline, errTimeout)
	defer cancel()
	ctx, cancelExit := context.WithCancelCause(ctx)
	defer cancelExit(nil)
	go func() {
		select {
		case <-s.exited:
			cancelExit(errExited)
		case <-ctx.Done():
		}
	}()
	began := time.Now()
	var o Outcome
	if !s.inited {
		o.InitTime = began.Sub(s.started)
		s.inited = true
	}
	res, err := s.api.Invoke(ctx, inv)
	o.Duration = time.Since(began)
	switch {
	case errors.Is(err, errTimeout):
		s.Kill()
		res = platformError(inv.RequestID, "Sandbox.Timedout", fmt.Sprintf("Task timed out after %.2f seconds", timeout.Seconds()))
	case errors.Is(err, errExited):
		s.Kill()
		res = platformError(inv.RequestID, "Runtime.ExitError", s.exitReason())
	case err != nil:
		s.Kill()
		res = platformError(inv.RequestID, "Sandbox.Failure", err.Error())
	case res.InitError:
		s.Kill()
	}
	o.Result = res
	o.Log = s.out.take()
	o.MaxMemoryMB = s.maxMemoryMB()
	return o
}

// maxMemoryMB is the process's peak resident set (VmHWM), in MB; 0 when
// unknown (the process is gone or /proc is absent).
func (s *Sandbox) maxMemoryMB() int {
	if s.cmd.Process == nil || s.Dead() {
		return 0
	}
	b, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return (kb + 1023) / 1024
		}
	}
	return 0
}

func (s *Sandbox) exitReason() string {
	var ee *exec.ExitError
	if errors.As(s.exitErr, &ee) {
		return "Runtime exited with error: " + ee.String()
	}
	return "Runtime exited without providing a reason"
}

// platformError is an error the platform reports for the function, in AWS's
// words: "RequestId: <id> Error: <message>".
func platformError(requestID, typ, msg string) runtimeapi.Result {
	return runtimeapi.Result{ErrorType: typ, Payload: errorJSON(typ, "RequestId: "+requestID+" Error: "+msg)}
}
