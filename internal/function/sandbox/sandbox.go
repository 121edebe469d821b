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
	CodeDir string   // the function's unpacked code: LAMBDA_TASK_ROOT, the working directory
	Env     []string // the environment, without AWS_LAMBDA_RUNTIME_API
	// Command is the runtime process: an absolute path (a bootstrap) or a
	// program looked up in fogbank's own PATH (node, python3), and its
	// arguments.
	// Empty means CodeDir/bootstrap.
	Command []string
	// Runtime names the function's runtime in the message of a missing
	// interpreter.
	Runtime string
	// Limits and MemoryMB put the process under memory and CPU limits when
	// Limits is enabled.
	Limits   Limits
	MemoryMB int
	// Watch makes the sandbox stale once CodeDir's files change (a
	// hot-reloaded function): Dead then reports true, so that the next
	// invocation starts a sandbox on the new code.
	Watch bool
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
	inited  bool    // an invocation has been handed over before
	cg      *cgroup // nil without limits
	// missing is the interpreter that was not found: the sandbox runs no
	// process and its first Invoke fails with Runtime.InvalidEntrypoint.
	missing string
	stamp   string // CodeDir's fingerprint at start, with Config.Watch
	// peakMB is the last peak memory read, at peakAt; used by Invoke only.
	peakMB int
	peakAt time.Time
}

// errExited is the cause of an invocation ended by the process's exit.
var errExited = errors.New("sandbox: runtime exited")

// errTimeout is the cause of an invocation ended by its deadline.
var errTimeout = errors.New("sandbox: timed out")

// Start starts the runtime process. It returns once the process runs; the
// runtime initialises concurrently, and the first Invoke waits for it. An
// interpreter missing from PATH is not an error here: the sandbox then fails
// its first invocation, as AWS fails one whose runtime cannot start.
func Start(cfg Config) (*Sandbox, error) {
	argv := cfg.Command
	if len(argv) == 0 {
		argv = []string{filepath.Join(cfg.CodeDir, "bootstrap")}
	}
	if !filepath.IsAbs(argv[0]) {
		path := lookPath(argv[0])
		if path == "" {
			return failed(cfg, argv[0]), nil
		}
		argv = append([]string{path}, argv[1:]...)
	}
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
	cmd := exec.Command(argv[0], argv[1:]...) //nolint:gosec // the function's own bootstrap or a runtime interpreter
	cmd.Dir = cfg.CodeDir
	cmd.Env = append(append([]string{}, cfg.Env...), "AWS_LAMBDA_RUNTIME_API="+api.Addr(), "TMPDIR="+filepath.Join(cfg.Dir, "tmp"))
	cmd.Stdout, cmd.Stderr = w, w
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	s := &Sandbox{cfg: cfg, api: api, cmd: cmd, out: out, exited: make(chan struct{}), started: time.Now()}
	if cfg.Watch {
		s.stamp = fingerprint(cfg.CodeDir)
	}
	if cfg.Limits.Enabled() {
		if s.cg, err = cfg.Limits.create(filepath.Base(cfg.Dir), cfg.MemoryMB); err == nil {
			cmd.SysProcAttr.UseCgroupFD, cmd.SysProcAttr.CgroupFD = true, int(s.cg.fd.Fd())
		}
	}
	if err := cmd.Start(); err != nil {
		_ = w.Close()
		out.close()
		api.Close()
		if s.cg != nil {
			s.cg.remove()
		}
		return nil, &StartError{Err: err}
	}
	_ = w.Close()
	go s.wait()
	return s, nil
}

// lookPath is the interpreter's path on fogbank's PATH; "" if missing.
func lookPath(name string) string {
	path, err := exec.LookPath(name)
	if err != nil {
		return ""
	}
	return path
}

// failed is a sandbox whose interpreter is missing: no process, dead.
func failed(cfg Config, missing string) *Sandbox {
	s := &Sandbox{cfg: cfg, exited: make(chan struct{}), started: time.Now(), missing: missing}
	close(s.exited)
	return s
}

// StartError is a bootstrap that could not be started.
type StartError struct{ Err error }

func (e *StartError) Error() string { return "sandbox: start bootstrap: " + e.Err.Error() }
func (e *StartError) Unwrap() error { return e.Err }

func (s *Sandbox) wait() {
	s.exitErr = s.cmd.Wait()
	close(s.exited)
}

// Dead reports whether the sandbox can take no more invocations: its
// process has exited, or, with Config.Watch, its code changed.
func (s *Sandbox) Dead() bool {
	select {
	case <-s.exited:
		return true
	default:
		return s.cfg.Watch && fingerprint(s.cfg.CodeDir) != s.stamp
	}
}

func (s *Sandbox) hasExited() bool {
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
	if s.cmd == nil {
		return // a missing interpreter: nothing runs
	}
	if s.cmd.Process != nil {
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	}
	if s.cg != nil {
		s.cg.kill()
	}
	<-s.exited
	s.api.Close()
	s.out.close()
	if s.cg != nil {
		s.cg.remove()
	}
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
	if s.missing != "" {
		return s.missingOutcome(inv.RequestID)
	}
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
	var o Outcome
	if !s.inited {
		// The init phase ends when the runtime first polls /next (or
		// fails its init, exits, or the deadline passes: Invoke below
		// reports those).
		select {
		case <-s.api.Polling():
		case <-s.api.InitFailed():
		case <-ctx.Done():
		}
		o.InitTime = time.Since(s.started)
		s.inited = true
	}
	began := time.Now()
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
	case res.Failed():
		s.settle()
	}
	o.Result = res
	o.Log = s.out.take()
	o.MaxMemoryMB = s.peakMemoryMB()
	return o
}

// peakRefresh bounds how stale a reported peak memory may be. Reading
// /proc/<pid>/status costs tens of microseconds, most of fogbank's own
// time in a warm invocation; a high-water mark only grows, so a recent
// reading is a true lower bound.
const peakRefresh = 100 * time.Millisecond

// peakMemoryMB is maxMemoryMB read at most every peakRefresh; the last
// reading once the process is gone.
func (s *Sandbox) peakMemoryMB() int {
	now := time.Now()
	if s.peakMB == 0 || now.Sub(s.peakAt) >= peakRefresh {
		if mb := s.maxMemoryMB(); mb > 0 {
			s.peakMB, s.peakAt = mb, now
		}
	}
	return s.peakMB
}

// settleTimeout bounds how long a failed invocation waits for the runtime to
// poll again or exit.
const settleTimeout = 2 * time.Second

// settle waits, after a function error, until the runtime polls /next again
// or exits: aws-lambda-go exits right after reporting a panic, and that
// sandbox must not be handed the next invocation.
func (s *Sandbox) settle() {
	t := time.NewTimer(settleTimeout)
	defer t.Stop()
	select {
	case <-s.api.Polling():
	case <-s.exited:
	case <-t.C:
	}
}

// missingOutcome fails an invocation of a sandbox whose interpreter is
// missing, as AWS fails one whose runtime entrypoint cannot be executed.
func (s *Sandbox) missingOutcome(requestID string) Outcome {
	msg := fmt.Sprintf("fogbank cannot start the %s runtime: %q was not found on PATH; install it on the host running fogbank", s.cfg.Runtime, s.missing)
	res := platformError(requestID, "Runtime.InvalidEntrypoint", msg)
	res.InitError = true
	return Outcome{Result: res, Log: []byte(msg + "\n")}
}

// maxMemoryMB is the peak memory of the sandbox: its cgroup's memory.peak
// when it has one, else the process's peak resident set (VmHWM), in MB; 0
// when unknown (the process is gone or /proc is absent).
func (s *Sandbox) maxMemoryMB() int {
	if s.cg != nil {
		if mb := s.cg.peakMB(); mb > 0 {
			return mb
		}
	}
	if s.cmd.Process == nil || s.hasExited() {
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
