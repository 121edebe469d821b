package flow

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/fogbank/fogbank/internal/flow/engine"
)

// Redrive limits, as AWS documents them.
const (
	// redrivePeriod is how long after its start an execution can be
	// redriven.
	redrivePeriod = 14 * 24 * time.Hour
	// redriveTokens is how many client tokens answer idempotently, and
	// redriveTokenLife how long each does.
	redriveTokens    = 10
	redriveTokenLife = 15 * time.Minute
	// maxHistoryEvents is the history length past which an execution
	// fails and cannot be redriven.
	maxHistoryEvents = 25000
)

// Redrive statuses (DescribeExecution's redriveStatus).
const (
	RedriveStatusRedrivable    = "REDRIVABLE"
	RedriveStatusNotRedrivable = "NOT_REDRIVABLE"
)

// redriveToken is a client token that redrove an execution.
type redriveToken struct {
	Token string    `json:"token"`
	Date  time.Time `json:"date"`
}

// RedriveExecutionInput is RedriveExecution's request.
type RedriveExecutionInput struct {
	ExecutionArn string
	ClientToken  string
}

// RedriveExecution restarts a FAILED, TIMED_OUT or ABORTED STANDARD
// execution from its unsuccessful state. The ExecutionRedriven event and
// the record are durable before it answers; the run then goes on in the
// background (engine.Execution.Redrive). A client token that redrove the
// execution in the last 15 minutes (one of the last 10) answers that
// redrive's date again.
func (s *Service) RedriveExecution(_ context.Context, in RedriveExecutionInput) (time.Time, error) {
	if err := checkClientToken(in.ClientToken); err != nil {
		return time.Time{}, err
	}
	if err := checkExecutionArn(in.ExecutionArn); err != nil {
		return time.Time{}, err
	}
	x, err := s.executionFor(in.ExecutionArn)
	if err != nil {
		return time.Time{}, err
	}
	now := s.now()
	date, launch, err := s.redrive(x, in.ClientToken, now)
	if launch {
		s.launch(x)
	}
	return date, err
}

// redrive records a redrive of x at now; it reports whether the run must
// be launched (not when a client token answered again).
func (s *Service) redrive(x *execution, token string, now time.Time) (time.Time, bool, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if date, ok := x.rec.tokenDate(token, now); ok {
		return date, false, nil
	}
	if status, reason := redriveState(&x.rec, now); status != RedriveStatusRedrivable {
		return time.Time{}, false, errorf(CodeExecutionNotRedrivable, "%s", reason)
	}
	rec, ev := x.rec.redriven(now, token, lastEvent(x.events))
	// x.mu is held through the commit: a concurrent redrive waits, then
	// finds the execution RUNNING.
	if err := commit(s.store.Submit(put(RecordEvent, eventKey(rec.Arn, ev.ID), ev), rec.change())); err != nil {
		return time.Time{}, false, err
	}
	x.rec, x.stop, x.done = rec, nil, make(chan struct{})
	x.events = append(x.events, ev)
	return now, true, nil
}

// redriven returns the record and the ExecutionRedriven event of a
// redrive at now.
func (r *execRecord) redriven(now time.Time, token string, prev int64) (execRecord, engine.Event) {
	rec := *r
	rec.RedriveCount++
	rec.RedriveDate = now
	rec.Status, rec.Stop, rec.Output, rec.Error, rec.Cause = engine.StatusRunning, time.Time{}, nil, "", ""
	rec.Events++
	if token != "" {
		rec.RedriveTokens = append(slices.Clone(r.RedriveTokens), redriveToken{Token: token, Date: now})
		if n := len(rec.RedriveTokens); n > redriveTokens {
			rec.RedriveTokens = rec.RedriveTokens[n-redriveTokens:]
		}
	}
	ev := engine.Event{
		ID: prev + 1, PreviousEventID: prev, Timestamp: now, Type: engine.EventExecutionRedriven,
		Details: &engine.ExecutionRedrivenDetails{RedriveCount: rec.RedriveCount}, DetailsKey: "executionRedrivenEventDetails",
	}
	return rec, ev
}

// tokenDate returns the date of the redrive a client token made, while
// the token answers idempotently.
func (r *execRecord) tokenDate(token string, now time.Time) (time.Time, bool) {
	if token == "" {
		return time.Time{}, false
	}
	for _, t := range r.RedriveTokens {
		if t.Token == token && now.Sub(t.Date) < redriveTokenLife {
			return t.Date, true
		}
	}
	return time.Time{}, false
}

func lastEvent(evs []engine.Event) int64 {
	if n := len(evs); n > 0 {
		return evs[n-1].ID
	}
	return 0
}

// redriveState returns DescribeExecution's redriveStatus and
// redriveStatusReason; a zero now skips the checks that need the time.
func redriveState(r *execRecord, now time.Time) (string, string) {
	switch {
	case r.Type == TypeExpress:
		return "", ""
	case r.Status == engine.StatusRunning:
		return RedriveStatusNotRedrivable, "Execution is RUNNING and cannot be redriven"
	case r.Status == engine.StatusSucceeded:
		return RedriveStatusNotRedrivable, "Execution is SUCCEEDED and cannot be redriven"
	case r.Events >= maxHistoryEvents:
		return RedriveStatusNotRedrivable, "Execution history event limit exceeded"
	case !now.IsZero() && now.Sub(r.Start) > redrivePeriod:
		return RedriveStatusNotRedrivable, "Execution redrivable period exceeded"
	}
	return RedriveStatusRedrivable, ""
}

// Redrive filters of ListExecutions.
const (
	redriveFilterRedriven    = "REDRIVEN"
	redriveFilterNotRedriven = "NOT_REDRIVEN"
)

func checkRedriveFilter(f string) error {
	if f == "" || f == redriveFilterRedriven || f == redriveFilterNotRedriven {
		return nil
	}
	return constraint(f, "redriveFilter", "Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]")
}

func redriveFilterMatches(f string, r *execRecord) bool {
	switch f {
	case redriveFilterRedriven:
		return r.RedriveCount > 0
	case redriveFilterNotRedriven:
		return r.RedriveCount == 0
	}
	return true
}

func checkClientToken(t string) error {
	if len(t) > 64 {
		return constraint(t, "clientToken", "Member must have length less than or equal to 64")
	}
	for _, c := range t {
		if c < '!' || c > '~' {
			return constraint(t, "clientToken", "Member must satisfy regular expression pattern: [!-~]+")
		}
	}
	return nil
}

// redriveSeed seeds a run's ids and random draws: a redriven run draws
// afresh (its task tokens differ from the earlier runs'), and the same way
// again when it is resumed.
func redriveSeed(rec execRecord) string {
	if rec.RedriveCount == 0 {
		return rec.Arn
	}
	return fmt.Sprintf("%s#redrive-%d", rec.Arn, rec.RedriveCount)
}

// startedAt is the time the run's first event takes: a redriven run
// records no ExecutionStarted.
func startedAt(rec execRecord) time.Time {
	if rec.RedriveCount > 0 {
		return time.Time{}
	}
	return rec.Start
}
