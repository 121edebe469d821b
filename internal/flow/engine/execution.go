package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/fogbank/fogbank/internal/flow/asl"
)

// Execution statuses.
const (
	StatusRunning   = "RUNNING"
	StatusSucceeded = "SUCCEEDED"
	StatusFailed    = "FAILED"
	StatusTimedOut  = "TIMED_OUT"
	StatusAborted   = "ABORTED"
)

// Clock is the engine's only source of time.
type Clock interface {
	Now() time.Time
}

// Timers waits for timer firings (Wait states, Retry intervals). An
// implementation MUST return once the Clock has reached until, or ctx is
// done; a test implementation advances a fake clock and returns at once.
type Timers interface {
	WaitUntil(ctx context.Context, until time.Time) error
}

// TaskRequest is what a Task state asks of its resource.
type TaskRequest struct {
	// Resource is the state's Resource ARN.
	Resource string
	// Input is the evaluated Parameters/Arguments (or the effective input).
	Input            any
	TimeoutSeconds   int64
	HeartbeatSeconds int64
	// Token is the task token ($$.Task.Token), set for .waitForTaskToken,
	// .sync and .sync:2 resources and activities.
	Token       string
	Credentials any
	StateName   string
	// Resumed is set when the execution was resumed after this task had
	// been scheduled and recorded but before its result was: the request
	// may already have reached the resource (a callback task's token is
	// then already out, so the task SHOULD only wait for it).
	Resumed bool
	// Submitted is set when the resumed history records this task's
	// TaskSubmitted: its request went out; the task MUST only wait.
	Submitted bool
	// Submit, set for optimized integrations, records the resource's
	// answer to a callback or .sync request in a TaskSubmitted event and
	// makes it durable (Config.Checkpoint) before it returns, so that a
	// resumed run knows the request went out. It MUST be called, at most
	// once, from the goroutine running Invoke, before Invoke returns.
	Submit func(output any) error
}

// Tasks runs Task states' resources. Invoke MUST return the result value,
// or a *Failure naming the error and cause; it MUST NOT retry by itself
// (Retry is the engine's job).
type Tasks interface {
	Invoke(ctx context.Context, req TaskRequest) (any, error)
}

// TaskFunc adapts a function to Tasks.
type TaskFunc func(ctx context.Context, req TaskRequest) (any, error)

// Invoke calls f.
func (f TaskFunc) Invoke(ctx context.Context, req TaskRequest) (any, error) { return f(ctx, req) }

// Config holds what an execution takes from outside. Every source of
// non-determinism is here so that a replay reproduces the run.
type Config struct {
	Clock  Clock
	Timers Timers
	// NewID returns a fresh UUID (task tokens, map run ids, $uuid()).
	NewID func() string
	// Rand returns random bits (jitter, $random(), States.MathRandom).
	Rand    func() uint64
	Tasks   Tasks
	Region  string
	Account string
	// Checkpoint, when set, receives the events recorded since its last
	// call before every side effect (a task invocation, a timer wait) and
	// when the run ends, so that a store can make them durable before
	// anything they lead to happens. An error halts the run: Run returns
	// with Result.Interrupted set and records nothing more.
	Checkpoint func(ctx context.Context, events []Event) error
}

// Start describes the execution to run.
type Start struct {
	ExecutionArn     string
	Name             string
	StateMachineArn  string
	StateMachineName string
	RoleArn          string
	// Input is the execution input as JSON text ("{}" when none).
	Input string
	// Express selects the EXPRESS type's behaviour.
	Express bool
	// RedriveCount is $$.Execution.RedriveCount.
	RedriveCount int
}

// Result is the end state of an execution.
type Result struct {
	Status string
	// Output is the output JSON text when Status is SUCCEEDED.
	Output *string
	Error  string
	Cause  string
	Events []Event
	// Interrupted is set when the run stopped before an end: its context
	// ended or a Checkpoint failed. Status is then RUNNING and the events
	// after the last checkpoint were not handed out.
	Interrupted error
}

// Execution runs one state machine execution.
type Execution struct {
	cfg     Config
	sm      *asl.StateMachine
	start   Start
	events  []Event
	started time.Time
	// test is set while evaluating a TestState request.
	test *testRun
	// replay holds the events of an earlier run being resumed.
	replay   []Event
	diverged error
	input    any
	// checkpointed counts the events handed to Config.Checkpoint (or
	// replayed from a history, which is already durable).
	checkpointed int
	// halt, once set, stops the run: no event is recorded after it.
	halt error
	// mapRuns are the Distributed Map runs started so far.
	mapRuns []*MapRun
	// redrive is set by Redrive; redriveAt is then the index of the last
	// ExecutionRedriven event in replay, redriven its time.
	redrive   bool
	redriveAt int
	redriven  time.Time
	redone    *redone
}

// MapRuns returns the Distributed Map runs of the execution so far (a
// resumed run rebuilds them). Call it from the goroutine running Run (a
// Checkpoint) or after Run.
func (e *Execution) MapRuns() []MapRun {
	out := make([]MapRun, 0, len(e.mapRuns))
	for _, m := range e.mapRuns {
		out = append(out, *m)
	}
	return out
}

// New prepares an execution of sm.
func New(cfg Config, sm *asl.StateMachine, start Start) *Execution {
	if start.Input == "" {
		start.Input = "{}"
	}
	return &Execution{cfg: cfg, sm: sm, start: start}
}

// Resume makes the execution replay history, the events an earlier run of
// the same execution recorded before it stopped (a crash, a restart). The
// replayed part takes its timestamps, task results and timer firings from
// the recorded events, so no side effect happens twice; the run then goes
// on live from where the history ends. NewID and Rand MUST answer as they
// did in the first run (seed them from the execution ARN) for the replayed
// part to match.
func (e *Execution) Resume(history []Event) *Execution {
	e.replay = history
	e.checkpointed = len(history)
	return e
}

// Diverged reports a replay whose events did not match the recorded ones.
func (e *Execution) Diverged() error { return e.diverged }

// recorded returns the recorded event at index i while replaying.
func (e *Execution) recorded(i int) (Event, bool) {
	if i < len(e.replay) {
		return e.replay[i], true
	}
	return Event{}, false
}

// Events returns the history recorded so far.
func (e *Execution) Events() []Event { return e.events }

// Run interprets the state machine until it ends and returns the outcome.
func (e *Execution) Run(ctx context.Context) Result {
	in, err := asl.Decode(e.start.Input)
	if err != nil {
		in = map[string]any{}
	}
	e.input = in
	th := &thread{}
	var (
		out  any
		ferr *Failure
	)
	if e.redrive {
		out, ferr = e.runRedriven(ctx, th)
	} else {
		id := e.emit(th, "ExecutionStarted", &ExecutionStartedDetails{
			Input: e.start.Input, InputDetails: &PayloadDetails{}, RoleArn: e.start.RoleArn,
		}, false)
		e.started = e.events[id-1].Timestamp
		sc := &scope{exec: e, vars: newVars(nil)}
		out, ferr = sc.runMachine(ctx, th, e.sm, in)
	}
	res := e.finish(th, out, ferr)
	if e.halt == nil {
		e.checkpoint(ctx)
	}
	if e.halt != nil {
		return Result{Status: StatusRunning, Events: e.events[:e.checkpointed], Interrupted: e.halt}
	}
	res.Events = e.events
	return res
}

func (e *Execution) finish(th *thread, out any, ferr *Failure) Result {
	if e.halt != nil {
		return Result{}
	}
	if ferr != nil && ferr.timedOut {
		e.emit(th, "ExecutionTimedOut", &FailureDetails{Error: ferr.Error, Cause: ferr.Cause}, true)
		return Result{Status: StatusTimedOut, Error: ferr.Error, Cause: ferr.Cause}
	}
	if ferr != nil {
		return e.finishFailed(th, ferr)
	}
	text := encode(out)
	if len(text) > maxPayload {
		return e.finishFailed(th, dataLimit("the state/task output"))
	}
	e.emit(th, "ExecutionSucceeded", &OutputDetails{Output: text, OutputDetails: &PayloadDetails{}}, true)
	return Result{Status: StatusSucceeded, Output: &text}
}

// checkpoint hands the events recorded since the last checkpoint to
// Config.Checkpoint; it halts the run when that fails or ctx has ended.
// It reports whether the run may go on.
func (e *Execution) checkpoint(ctx context.Context) bool {
	if e.halt != nil {
		return false
	}
	if err := ctx.Err(); err != nil {
		e.halt = err
		return false
	}
	if e.cfg.Checkpoint == nil || e.checkpointed >= len(e.events) {
		return true
	}
	if err := e.cfg.Checkpoint(ctx, e.events[e.checkpointed:]); err != nil {
		e.halt = err
		return false
	}
	e.checkpointed = len(e.events)
	return true
}

// halted returns the failure that unwinds a halted run.
func (e *Execution) halted() *Failure {
	return &Failure{Error: "States.Aborted", Cause: e.halt.Error(), timedOut: true}
}

// lastEventTime is the timestamp of the newest event (the recorded one
// while replaying), the base of Wait and Retry delays so that a resumed
// run waits for the remaining time only.
func (e *Execution) lastEventTime() time.Time {
	if n := len(e.events); n > 0 {
		return e.events[n-1].Timestamp
	}
	return e.cfg.Clock.Now()
}

// sleepUntil waits for a timer, ending the execution with States.Timeout
// when the state machine's TimeoutSeconds runs out first.
func (e *Execution) sleepUntil(ctx context.Context, until time.Time) *Failure {
	if len(e.events) < len(e.replay) {
		// The timer fired before the recorded history went on.
		return nil
	}
	if !e.checkpoint(ctx) {
		return e.halted()
	}
	if e.sm.TimeoutSeconds != nil {
		deadline := e.timeoutBase().Add(time.Duration(*e.sm.TimeoutSeconds) * time.Second)
		if until.After(deadline) {
			if err := e.cfg.Timers.WaitUntil(ctx, deadline); err != nil {
				e.halt = err
				return e.halted()
			}
			return &Failure{Error: ErrTimeout, timedOut: true}
		}
	}
	if err := e.cfg.Timers.WaitUntil(ctx, until); err != nil {
		e.halt = err
		return e.halted()
	}
	return nil
}

func (e *Execution) finishFailed(th *thread, f *Failure) Result {
	e.emit(th, "ExecutionFailed", &FailureDetails{Error: f.Error, Cause: f.Cause}, true)
	return Result{Status: StatusFailed, Error: f.Error, Cause: f.Cause, Events: e.events}
}

// thread tracks previousEventId along one line of execution (the
// top level, a Map iteration, a Parallel branch).
type thread struct {
	prev int64
}

// emit appends an event; advance moves the thread's previous-event pointer
// to it.
func (e *Execution) emit(th *thread, typ string, details any, advance bool) int64 {
	if e.halt != nil {
		// A halted run records nothing; its last event stands in.
		return int64(max(len(e.events), 1))
	}
	id := int64(len(e.events) + 1)
	ev := Event{ID: id, PreviousEventID: th.prev, Timestamp: e.cfg.Clock.Now(), Type: typ, Details: details}
	if rec, ok := e.recorded(int(id - 1)); ok {
		ev.Timestamp = rec.Timestamp
		if rec.Type != typ && e.diverged == nil {
			e.diverged = fmt.Errorf("engine: replay diverged at event %d: recorded %s, replayed %s", id, rec.Type, typ)
		}
	}
	if details != nil {
		ev.DetailsKey = detailsKey(typ)
	}
	e.events = append(e.events, ev)
	if advance {
		th.prev = id
	}
	return id
}

// contextObject builds $$ for a state.
func (e *Execution) contextObject(state string, entered time.Time, extra map[string]any) map[string]any {
	exec := map[string]any{
		"Id":        e.start.ExecutionArn,
		"Input":     e.input,
		"Name":      e.start.Name,
		"RoleArn":   e.start.RoleArn,
		"StartTime": formatTime(e.started),
	}
	if e.test == nil {
		exec["RedriveCount"] = json.Number(fmt.Sprint(e.start.RedriveCount))
	} else if e.start.RoleArn == "" {
		exec["RoleArn"] = nil
	}
	ctx := map[string]any{
		"Execution":    exec,
		"StateMachine": map[string]any{"Id": e.start.StateMachineArn, "Name": e.start.StateMachineName},
		"State":        map[string]any{"Name": state, "EnteredTime": formatTime(entered)},
	}
	for k, v := range extra {
		ctx[k] = v
	}
	return ctx
}

func formatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
