package flow

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/flow/asl"
	"github.com/fogbank/fogbank/internal/flow/engine"
	"github.com/fogbank/fogbank/internal/store"
)

// maxOutput is AWS's limit on SendTaskSuccess's output (256 KiB).
const maxOutput = 256 * 1024

// tokenRecord is a task token as stored: registered when its task is
// invoked, completed by SendTaskSuccess/Failure.
type tokenRecord struct {
	Token        string  `json:"token"`
	ExecutionArn string  `json:"executionArn"`
	Done         bool    `json:"done,omitempty"`
	Output       *string `json:"output,omitempty"`
	Error        string  `json:"error,omitempty"`
	Cause        string  `json:"cause,omitempty"`
}

func (r *tokenRecord) change() store.Change { return put(RecordToken, r.Token, r) }

// tokenState is a token in memory.
type tokenState struct {
	rec     tokenRecord
	closed  bool          // its task has ended: outcomes are TaskTimedOut
	outcome chan struct{} // closed once rec.Done
	beat    chan struct{} // a heartbeat arrived
}

// callbacks holds the task tokens of running executions.
type callbacks struct {
	s      *Service
	mu     sync.Mutex
	tokens map[string]*tokenState
	byExec map[string][]string
}

func (c *callbacks) init(s *Service) {
	c.s = s
	c.tokens = map[string]*tokenState{}
	c.byExec = map[string][]string{}
}

func newToken(rec tokenRecord) *tokenState {
	t := &tokenState{rec: rec, outcome: make(chan struct{}), beat: make(chan struct{}, 1)}
	if rec.Done {
		close(t.outcome)
	}
	return t
}

func (c *callbacks) load(ctx context.Context) error {
	recs, err := load[tokenRecord](ctx, c.s.store, RecordToken)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range recs {
		c.tokens[r.Token] = newToken(r)
		c.byExec[r.ExecutionArn] = append(c.byExec[r.ExecutionArn], r.Token)
	}
	return nil
}

// register records a token durably before its task's request goes out, so
// that an answer that comes back at once (or after a crash) finds it.
func (c *callbacks) register(token, execArn string) error {
	c.mu.Lock()
	if t := c.tokens[token]; t != nil {
		c.mu.Unlock()
		return nil
	}
	t := newToken(tokenRecord{Token: token, ExecutionArn: execArn})
	c.tokens[token] = t
	c.byExec[execArn] = append(c.byExec[execArn], token)
	done := c.s.store.Submit(t.rec.change())
	c.mu.Unlock()
	return commit(done)
}

// closeToken marks a token's task ended.
func (c *callbacks) closeToken(token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t := c.tokens[token]; t != nil {
		t.closed = true
	}
}

// closeExecution forgets the tokens of an ended execution (their records
// go too); a run that was only halted keeps them for its resumption.
func (c *callbacks) closeExecution(execArn string) {
	c.s.mu.RLock()
	x := c.s.executions[execArn]
	c.s.mu.RUnlock()
	if x != nil {
		x.mu.Lock()
		running := x.rec.Status == engine.StatusRunning
		x.mu.Unlock()
		if running {
			return
		}
	}
	c.mu.Lock()
	tokens := c.byExec[execArn]
	delete(c.byExec, execArn)
	changes := make([]store.Change, 0, len(tokens))
	for _, tok := range tokens {
		if t := c.tokens[tok]; t != nil {
			t.closed = true
		}
		changes = append(changes, store.DeleteRecord{Kind: RecordToken, Key: tok})
	}
	c.mu.Unlock()
	if len(changes) > 0 {
		if err := <-c.s.store.Submit(changes...); err != nil {
			// Losing this delete only leaves a closed token behind.
			c.s.log.Warn("flow: forgetting task tokens failed", slog.String("execution", execArn), slog.Any("err", err))
		}
	}
}

// Wait implements Callbacks.
func (s *Service) Wait(ctx context.Context, token string, heartbeat time.Duration) (any, error) {
	c := &s.callbacks
	c.mu.Lock()
	t := c.tokens[token]
	c.mu.Unlock()
	if t == nil {
		info, _ := ExecutionFrom(ctx)
		if err := c.register(token, info.ExecutionArn); err != nil {
			return nil, err
		}
		c.mu.Lock()
		t = c.tokens[token]
		c.mu.Unlock()
	}
	expired := make(chan struct{})
	hbCtx, stopHB := context.WithCancel(ctx)
	defer stopHB()
	if heartbeat > 0 {
		go s.heartbeat(hbCtx, t, heartbeat, expired)
	}
	select {
	case <-t.outcome:
		c.mu.Lock()
		r := t.rec
		t.closed = true
		c.mu.Unlock()
		if r.Output != nil {
			return decodeOutput(*r.Output), nil
		}
		return nil, engine.NewTaskError(r.Error, r.Cause)
	case <-expired:
		c.closeToken(token)
		return nil, engine.NewTaskError(engine.ErrHeartbeatTimeout, "")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// heartbeat closes expired when no heartbeat arrives within d.
func (s *Service) heartbeat(ctx context.Context, t *tokenState, d time.Duration, expired chan struct{}) {
	for {
		wctx, cancel := context.WithCancel(ctx)
		fired := make(chan error, 1)
		deadline := s.now().Add(d)
		go func() { fired <- s.sched.WaitUntil(wctx, deadline) }()
		select {
		case err := <-fired:
			cancel()
			if err == nil {
				close(expired)
			}
			return
		case <-t.beat:
			cancel()
			<-fired //nolint:errcheck // canceled: the next round restarts the timer
		case <-ctx.Done():
			cancel()
			<-fired //nolint:errcheck // canceled with ctx
			return
		}
	}
}

func decodeOutput(text string) any {
	v, err := asl.Decode(text)
	if err != nil {
		return text
	}
	return v
}

// checkToken fails a token that is not one fogbank issues (a UUID): AWS
// answers a token it cannot decode with InvalidToken, before it looks at
// the output.
func checkToken(token string) error {
	if len(token) != 36 {
		return errorf(CodeInvalidToken, "Invalid Token: 'Invalid token'")
	}
	for i, ch := range token {
		dash := i == 8 || i == 13 || i == 18 || i == 23
		hex := ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'f'
		if dash != (ch == '-') || !dash && !hex {
			return errorf(CodeInvalidToken, "Invalid Token: 'Invalid token'")
		}
	}
	return nil
}

// tokenLocked finds an open token for SendTask*.
func (c *callbacks) tokenLocked(token string) (*tokenState, error) {
	if err := checkToken(token); err != nil {
		return nil, err
	}
	t := c.tokens[token]
	if t == nil {
		return nil, errorf(CodeTaskDoesNotExist, "Task Does Not Exist: 'Provided task does not exist'")
	}
	if t.closed || t.rec.Done {
		return nil, errorf(CodeTaskTimedOut, "Task Timed Out: 'Provided task does not exist anymore'")
	}
	return t, nil
}

// complete records a token's outcome durably, then wakes its waiter.
func (c *callbacks) complete(token string, set func(*tokenRecord)) error {
	c.mu.Lock()
	t, err := c.tokenLocked(token)
	if err != nil {
		c.mu.Unlock()
		return err
	}
	rec := t.rec
	set(&rec)
	rec.Done = true
	done := c.s.store.Submit(rec.change())
	t.rec = rec
	c.mu.Unlock()
	if err := commit(done); err != nil {
		c.mu.Lock()
		t.rec.Done = false
		c.mu.Unlock()
		return err
	}
	close(t.outcome)
	return nil
}

// SendTaskSuccess completes a callback task with output.
func (s *Service) SendTaskSuccess(_ context.Context, token, output string) error {
	if len(output) > maxOutput {
		return constraint("...", "output", "Member must have length less than or equal to 262144")
	}
	if err := checkToken(token); err != nil {
		return err
	}
	if _, err := asl.Decode(output); err != nil {
		return errorf(CodeInvalidOutput, "Invalid Output: '%s'", err.Error())
	}
	return s.callbacks.complete(token, func(r *tokenRecord) { r.Output = &output })
}

// SendTaskFailure fails a callback task with an error and cause.
func (s *Service) SendTaskFailure(_ context.Context, token, errName, cause string) error {
	if len(errName) > 256 {
		return constraint(errName, "error", "Member must have length less than or equal to 256")
	}
	if len(cause) > 32768 {
		return constraint("...", "cause", "Member must have length less than or equal to 32768")
	}
	return s.callbacks.complete(token, func(r *tokenRecord) { r.Error, r.Cause = errName, cause })
}

// SendTaskHeartbeat resets a callback task's heartbeat timer.
func (s *Service) SendTaskHeartbeat(_ context.Context, token string) error {
	c := &s.callbacks
	c.mu.Lock()
	t, err := c.tokenLocked(token)
	c.mu.Unlock()
	if err != nil {
		return err
	}
	select {
	case t.beat <- struct{}{}:
	default:
	}
	return nil
}

// taskRunner is the engine.Tasks of one execution: it registers callback
// tokens before the request goes out and runs activity tasks itself.
type taskRunner struct {
	s     *Service
	info  ExecutionInfo
	tasks engine.Tasks
}

func (r *taskRunner) Invoke(ctx context.Context, req engine.TaskRequest) (any, error) {
	if isActivity(req.Resource) {
		return r.s.runActivity(ctx, r.info, req)
	}
	if req.Token != "" {
		if err := r.s.callbacks.register(req.Token, r.info.ExecutionArn); err != nil {
			return nil, fmt.Errorf("flow: register task token: %w", err)
		}
		defer r.s.callbacks.closeToken(req.Token)
	}
	return r.tasks.Invoke(ctx, req)
}
