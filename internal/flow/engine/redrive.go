package engine

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/flow/asl"
)

// EventExecutionRedriven is the type of the event a redrive appends.
const EventExecutionRedriven = "ExecutionRedriven"

// ExecutionRedrivenDetails is executionRedrivenEventDetails.
type ExecutionRedrivenDetails struct {
	RedriveCount int `json:"redriveCount"`
}

// Redrive makes the execution go on from the unsuccessful state of an
// earlier run. history MUST hold an ExecutionRedriven event (the store
// records it before the redrive is acknowledged): the events before the
// last one are the earlier runs, which are not replayed but read for the
// state to restart (the last top-level state entered and not exited), its
// input and the top-level variables; the events after it, if any, are the
// redriven run so far, replayed as Resume does (a restart during the
// redriven run).
//
// An inline Map or Parallel state that failed is entered again, but the
// iterations and branches that succeeded in its last attempt are not run
// again: their recorded outputs stand in. A Distributed Map runs again
// as a whole (a new Map Run).
func (e *Execution) Redrive(history []Event) *Execution {
	e.Resume(history)
	for i, ev := range history {
		if ev.Type == EventExecutionRedriven {
			e.redrive, e.redriveAt = true, i
		}
	}
	return e
}

// restartPoint is where a redriven run restarts.
type restartPoint struct {
	// state is the top-level state to enter ("" for StartAt).
	state string
	input any
	vars  map[string]any
	// entered is the index of state's last StateEntered event.
	entered int
}

// redone is what a redriven run takes from the earlier run of the inline
// Map or Parallel state it restarts: the outputs of the iterations or
// branches that succeeded in that state's last attempt, by index.
type redone struct {
	scope  *scope
	state  string
	output map[int]any
}

// restartFrom reads the earlier runs' events: the last top-level state
// entered that did not exit, with its recorded input, and the variables
// the top-level states assigned.
func restartFrom(evs []Event) restartPoint {
	p := restartPoint{vars: map[string]any{}}
	depth := 0
	for i, ev := range evs {
		switch {
		case ev.Type == EventExecutionRedriven:
			// A run that ended inside a Map or Parallel left it open.
			depth = 0
		case ev.Type == "MapStateStarted" || ev.Type == "ParallelStateStarted":
			depth++
		case isNestedEnd(ev.Type):
			depth = max(depth-1, 0)
		case depth > 0:
		case strings.HasSuffix(ev.Type, "StateEntered"):
			if d, ok := detailsOf[StateEnteredDetails](ev); ok {
				p.state, p.input, p.entered = d.Name, decodeOr(d.Input), i
			}
		case strings.HasSuffix(ev.Type, "StateExited"):
			d, ok := detailsOf[StateExitedDetails](ev)
			if ok && d.Name == p.state {
				p.state, p.input = "", nil
			}
			if ok {
				for k, v := range d.AssignedVariables {
					p.vars[k] = decodeOr(v)
				}
			}
		}
	}
	return p
}

// detailsOf returns an event's details as T, decoding them when the event
// was read from a store (details kept as raw JSON).
func detailsOf[T any](ev Event) (*T, bool) {
	switch d := ev.Details.(type) {
	case *T:
		return d, true
	case json.RawMessage:
		var v T
		if err := json.Unmarshal(d, &v); err != nil {
			return nil, false
		}
		return &v, true
	}
	return nil, false
}

func isNestedEnd(typ string) bool {
	switch typ {
	case "MapStateSucceeded", "MapStateFailed", "MapStateAborted",
		"ParallelStateSucceeded", "ParallelStateFailed", "ParallelStateAborted":
		return true
	}
	return false
}

// runRedriven restarts the machine where the earlier runs stopped; the
// events up to ExecutionRedriven stand as they were recorded.
func (e *Execution) runRedriven(ctx context.Context, th *thread) (any, *Failure) {
	at := e.redriveAt
	e.events = slices.Clone(e.replay[:at+1])
	e.started = e.events[0].Timestamp
	e.redriven = e.events[at].Timestamp
	th.prev = e.events[at].ID
	p := restartFrom(e.events[:at])
	sc := &scope{exec: e, vars: newVars(nil)}
	maps.Copy(sc.vars.m, p.vars)
	if p.state == "" || e.sm.States[p.state] == nil {
		// The earlier run failed outside any state (its output, say):
		// the output of its last state is not kept, so run it all again.
		return sc.runMachine(ctx, th, e.sm, e.input)
	}
	if st := e.sm.States[p.state]; st.Type == asl.TypeParallel || st.Type == asl.TypeMap && st.ProcessorMode != "DISTRIBUTED" {
		e.redone = &redone{scope: sc, state: p.state, output: succeeded(st, e.events[p.entered+1:at])}
	}
	from := *e.sm
	from.StartAt = p.state
	return sc.runMachine(ctx, th, &from, p.input)
}

// timeoutBase is when the state machine's TimeoutSeconds starts counting:
// the start, or the last redrive.
func (e *Execution) timeoutBase() time.Time {
	if e.redriven.After(e.started) {
		return e.redriven
	}
	return e.started
}

// succeeded reads the last attempt of a Map or Parallel state, evs being
// the events after its StateEntered: the outputs of the iterations (by
// MapIterationSucceeded) or branches (whose events end with the exit of
// one of their end states) that succeeded.
func succeeded(st *asl.State, evs []Event) map[int]any {
	var (
		started int64
		starts  []int // Parallel: the index of each branch's first event
		end     = len(evs)
		out     map[int]any
		depth   int
	)
	// Event ids count from 1 without gaps.
	byID := func(id int64) (Event, bool) {
		if len(evs) == 0 {
			return Event{}, false
		}
		i := id - evs[0].ID
		if i < 0 || i >= int64(len(evs)) || evs[i].ID != id {
			return Event{}, false
		}
		return evs[i], true
	}
	for i, ev := range evs {
		switch {
		case ev.Type == "MapStateStarted" || ev.Type == "ParallelStateStarted":
			if depth == 0 {
				started, starts, end, out = ev.ID, nil, len(evs), map[int]any{}
			}
			depth++
		case isNestedEnd(ev.Type):
			depth = max(depth-1, 0)
			if depth == 0 {
				end = i
			}
		case depth != 1:
		case ev.PreviousEventID == started && strings.HasSuffix(ev.Type, "StateEntered"):
			starts = append(starts, i)
		case ev.Type == "MapIterationSucceeded":
			d, ok := detailsOf[MapIterationDetails](ev)
			last, found := byID(ev.PreviousEventID)
			if ok && found && d.Name == st.Name {
				if x, ok := detailsOf[StateExitedDetails](last); ok && strings.HasSuffix(last.Type, "StateExited") {
					out[d.Index] = decodeOr(x.Output)
				}
			}
		}
	}
	if st.Type == asl.TypeParallel {
		for b, first := range starts {
			stop := end
			if b+1 < len(starts) {
				stop = starts[b+1]
			}
			if b < len(st.Branches) && stop > first {
				if v, ok := branchOutput(st.Branches[b], evs[stop-1]); ok {
					out[b] = v
				}
			}
		}
	}
	return out
}

// branchOutput returns a Parallel branch's output when its last event is
// the exit of one of its end states.
func branchOutput(b *asl.StateMachine, last Event) (any, bool) {
	if !strings.HasSuffix(last.Type, "StateExited") {
		return nil, false
	}
	d, ok := detailsOf[StateExitedDetails](last)
	if !ok {
		return nil, false
	}
	if st := b.States[d.Name]; st == nil || !st.IsEnd() {
		return nil, false
	}
	return decodeOr(d.Output), true
}

// redriveDone returns the output the earlier run of a redriven inline Map
// or Parallel state recorded for iteration or branch i, when it
// succeeded: the redriven run does not run it again.
func (r *run) redriveDone(i int) (any, bool) {
	d := r.sc.exec.redone
	if d == nil || d.scope != r.sc || d.state != r.st.Name {
		return nil, false
	}
	out, ok := d.output[i]
	return out, ok
}
