package flow

import (
	"context"
	"errors"
	"hash/fnv"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/flow/asl"
	"github.com/fogbank/fogbank/internal/flow/engine"
	"github.com/fogbank/fogbank/internal/store"
)

// maxExpressSeconds is AWS's limit on an EXPRESS execution's duration.
const maxExpressSeconds = 300

// errStopped is the cause a stopped execution's context ends with.
var errStopped = errors.New("flow: execution stopped")

// launch runs an execution in its own goroutine.
func (s *Service) launch(x *execution) {
	ctx, cancel := context.WithCancelCause(s.ctx)
	x.mu.Lock()
	x.cancel = cancel
	x.mu.Unlock()
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		defer cancel(nil)
		s.run(ctx, x)
	}()
}

// run interprets an execution until it ends, is stopped or the service
// stops (then nothing more is recorded: the next Start resumes it).
func (s *Service) run(ctx context.Context, x *execution) {
	defer close(x.done)
	x.mu.Lock()
	rec := x.rec
	history := slices.Clone(x.events)
	x.mu.Unlock()
	express := rec.Type == TypeExpress
	sm, err := s.parse(rec.Definition, express)
	if err != nil {
		s.log.Error("flow: stored definition does not parse", slog.String("execution", rec.Arn), slog.Any("err", err))
		return
	}
	if express && (sm.TimeoutSeconds == nil || *sm.TimeoutSeconds > maxExpressSeconds) {
		// An EXPRESS execution times out after 5 minutes.
		limited := *sm
		limit := int64(maxExpressSeconds)
		limited.TimeoutSeconds = &limit
		sm = &limited
	}
	info := rec.info()
	cfg := engine.Config{
		Clock: &startClock{s: s, first: startedAt(rec), floor: lastTimestamp(history)}, Timers: s.sched, Region: rec.Region, Account: rec.Account,
		Tasks: &taskRunner{s: s, info: info, tasks: s.tasks(info)},
	}
	cfg.NewID, cfg.Rand = seeded(redriveSeed(rec))
	if !express {
		cfg.Checkpoint = func(_ context.Context, evs []engine.Event) error { return s.checkpoint(x, rec.Arn, evs) }
	}
	e := engine.New(cfg, sm, engine.Start{
		ExecutionArn: rec.Arn, Name: rec.Name, StateMachineArn: rec.StateMachineArn, StateMachineName: rec.StateMachineName,
		RoleArn: rec.RoleArn, Input: rec.Input, Express: express, RedriveCount: rec.RedriveCount,
	})
	switch {
	case rec.RedriveCount > 0:
		e.Redrive(history)
	case len(history) > 0:
		e.Resume(history)
	}
	x.engine = e
	res := e.Run(WithExecution(ctx, info))
	if err := e.Diverged(); err != nil {
		s.log.Warn("flow: resumed execution diverged from its history", slog.String("execution", rec.Arn), slog.Any("err", err))
	}
	switch {
	case res.Interrupted == nil && express:
		s.finishExpress(x, res)
	case res.Interrupted == nil:
		// The final checkpoint recorded the end.
	case x.stopRequested():
		s.abort(x)
		if express {
			s.mu.Lock()
			delete(s.executions, rec.Arn)
			s.mu.Unlock()
		}
	}
	s.callbacks.closeExecution(rec.Arn)
}

func (x *execution) stopRequested() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.stop != nil
}

// parsedKey identifies a parsed definition in the cache.
type parsedKey struct {
	definition string
	express    bool
}

// parse returns the parsed definition, cached: executions of a state
// machine share it (the engine does not change it).
func (s *Service) parse(definition string, express bool) (*asl.StateMachine, error) {
	k := parsedKey{definition, express}
	if sm, ok := s.parsed.Load(k); ok {
		return sm.(*asl.StateMachine), nil //nolint:forcetypeassert // only *asl.StateMachine is stored
	}
	sm, err := asl.Parse(definition, asl.Options{Express: express})
	if err != nil {
		return nil, err
	}
	s.parsed.Store(k, sm)
	return sm, nil
}

// checkpoint makes an execution's new events durable with its record.
func (s *Service) checkpoint(x *execution, execArn string, evs []engine.Event) error {
	runs, runChanges := s.mapRunChanges(execArn, x.engine.MapRuns())
	x.mu.Lock()
	if x.stop != nil {
		x.mu.Unlock()
		return errStopped
	}
	rec := x.rec
	rec.Events += len(evs)
	finish(&rec, evs[len(evs)-1])
	changes := make([]store.Change, 0, len(evs)+1)
	for _, ev := range evs {
		changes = append(changes, put(RecordEvent, eventKey(rec.Arn, ev.ID), ev))
	}
	changes = append(changes, rec.change())
	changes = append(changes, runChanges...)
	done := s.store.Submit(changes...)
	x.mu.Unlock()
	if err := commit(done); err != nil {
		s.log.Error("flow: checkpoint failed", slog.String("execution", rec.Arn), slog.Any("err", err))
		return err
	}
	if len(runs) > 0 {
		s.mu.Lock()
		for _, r := range runs {
			s.mapRuns[r.Arn] = r
		}
		s.mu.Unlock()
	}
	x.mu.Lock()
	x.rec = rec
	x.events = append(x.events, evs...)
	x.mu.Unlock()
	return nil
}

// finish sets an execution record's end from its last event.
func finish(rec *execRecord, last engine.Event) {
	status := ""
	switch last.Type {
	case "ExecutionSucceeded":
		status = engine.StatusSucceeded
		if d, ok := last.Details.(*engine.OutputDetails); ok {
			out := d.Output
			rec.Output = &out
		}
	case "ExecutionFailed":
		status = engine.StatusFailed
	case "ExecutionTimedOut":
		status = engine.StatusTimedOut
	case "ExecutionAborted":
		status = engine.StatusAborted
	default:
		return
	}
	if d, ok := last.Details.(*engine.FailureDetails); ok {
		rec.Error, rec.Cause = d.Error, d.Cause
	}
	rec.Status, rec.Stop = status, last.Timestamp
}

// abort records a stopped STANDARD execution's ExecutionAborted (or ends
// an EXPRESS one).
func (s *Service) abort(x *execution) {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := s.now()
	if x.rec.Type == TypeExpress {
		x.rec.Status, x.rec.Stop, x.rec.Error, x.rec.Cause = engine.StatusAborted, now, x.stop.Error, x.stop.Cause
		return
	}
	var prev int64
	if n := len(x.events); n > 0 {
		prev = x.events[n-1].ID
	}
	ev := engine.Event{
		ID: prev + 1, PreviousEventID: prev, Timestamp: now, Type: "ExecutionAborted",
		Details: &engine.FailureDetails{Error: x.stop.Error, Cause: x.stop.Cause}, DetailsKey: "executionAbortedEventDetails",
	}
	rec := x.rec
	rec.Events++
	finish(&rec, ev)
	if err := s.store.Apply(context.Background(), put(RecordEvent, eventKey(rec.Arn, ev.ID), ev), rec.change()); err != nil {
		s.log.Error("flow: recording an abort failed", slog.String("execution", rec.Arn), slog.Any("err", err))
		return
	}
	x.rec = rec
	x.events = append(x.events, ev)
}

// finishExpress records an EXPRESS execution's end in memory and forgets
// it (EXPRESS histories are not kept).
func (s *Service) finishExpress(x *execution, res engine.Result) {
	x.mu.Lock()
	x.rec.Status, x.rec.Output, x.rec.Error, x.rec.Cause = res.Status, res.Output, res.Error, res.Cause
	if n := len(res.Events); n > 0 {
		x.rec.Stop = res.Events[n-1].Timestamp
	}
	arn := x.rec.Arn
	x.mu.Unlock()
	s.mu.Lock()
	delete(s.executions, arn)
	s.mu.Unlock()
}

// seeded returns NewID and Rand seeded from the execution ARN, so that a
// resumed run draws the same values as the first one.
func seeded(execArn string) (func() string, func() uint64) {
	h := fnv.New128a()
	_, _ = h.Write([]byte(execArn))
	sum := h.Sum(nil)
	var a, b uint64
	for i := range 8 {
		a = a<<8 | uint64(sum[i])
		b = b<<8 | uint64(sum[8+i])
	}
	var mu sync.Mutex
	r := rand.New(rand.NewPCG(a, b)) //nolint:gosec // determinism, not secrecy, is the point
	newID := func() string {
		mu.Lock()
		defer mu.Unlock()
		return uuidFrom(r.Uint64(), r.Uint64())
	}
	rnd := func() uint64 {
		mu.Lock()
		defer mu.Unlock()
		return r.Uint64()
	}
	return newID, rnd
}

func uuidFrom(hi, lo uint64) string {
	var b [16]byte
	for i := range 8 {
		b[i] = byte(hi >> (56 - 8*i))
		b[8+i] = byte(lo >> (56 - 8*i))
	}
	b[6] = (b[6] & 0x0f) | 0x40
	b[8] = (b[8] & 0x3f) | 0x80
	const hexd = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hexd[c>>4], hexd[c&0xf])
	}
	return string(out)
}

// startClock answers the execution's start date first (so that the
// ExecutionStarted event carries StartExecution's startDate), then the
// scheduler's logical time, never earlier than the history it resumes (a
// scaled clock restarts with the process).
type startClock struct {
	s     *Service
	mu    sync.Mutex
	first time.Time
	floor time.Time
}

func lastTimestamp(evs []engine.Event) time.Time {
	if len(evs) == 0 {
		return time.Time{}
	}
	return evs[len(evs)-1].Timestamp
}

func (c *startClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.first.IsZero() {
		t := c.first
		c.first = time.Time{}
		return t
	}
	now := c.s.now()
	if now.Before(c.floor) {
		return c.floor
	}
	return now
}
