package engine

import (
	"context"
	"encoding/json"
	"maps"
	"time"

	"github.com/fogbank/fogbank/internal/flow/asl"
)

// vars is one variable scope; Map iterations and Parallel branches get a
// child that reads the outer scopes and writes only to itself.
type vars struct {
	parent *vars
	m      map[string]any
}

func newVars(parent *vars) *vars { return &vars{parent: parent, m: map[string]any{}} }

func (v *vars) get(name string) (any, bool) {
	for s := v; s != nil; s = s.parent {
		if x, ok := s.m[name]; ok {
			return x, true
		}
	}
	return nil, false
}

// all returns every visible variable, inner scopes winning.
func (v *vars) all() map[string]any {
	out := map[string]any{}
	var chain []*vars
	for s := v; s != nil; s = s.parent {
		chain = append(chain, s)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		maps.Copy(out, chain[i].m)
	}
	return out
}

// scope is the interpreter of one state machine scope.
type scope struct {
	exec *Execution
	vars *vars
	// mapItem is $$.Map.Item inside a Map iteration.
	mapItem map[string]any
	// branch marks a Parallel branch: a Task state whose failure ends it
	// records TaskStateAborted, as AWS does there (and not in Map
	// iterations).
	branch bool
}

// run is one state's execution: what every handler needs.
type run struct {
	sc      *scope
	th      *thread
	st      *asl.State
	input   any
	entered time.Time
	// enteredID is the StateEntered event id (quoted in error causes).
	enteredID int64
	ctxObj    map[string]any
	assigned  map[string]any
	// heartbeatExpired marks the last task attempt's States.Timeout as a
	// missed heartbeat, which Retry and Catch also handle as
	// States.HeartbeatTimeout.
	heartbeatExpired bool
}

// runMachine runs the scope's states from StartAt to an end.
func (sc *scope) runMachine(ctx context.Context, th *thread, sm *asl.StateMachine, input any) (any, *Failure) {
	name := sm.StartAt
	for {
		if err := ctx.Err(); err != nil && sc.exec.halt == nil && sc.exec.test == nil {
			sc.exec.halt = err
		}
		if sc.exec.halt != nil {
			return nil, sc.exec.halted()
		}
		if err := ctx.Err(); err != nil {
			return nil, &Failure{Error: "States.Aborted", Cause: err.Error()}
		}
		st := sm.States[name]
		out, next, f := sc.runState(ctx, th, st, input)
		if f != nil {
			return nil, f
		}
		if next == "" {
			return out, nil
		}
		name, input = next, out
	}
}

func (sc *scope) runState(ctx context.Context, th *thread, st *asl.State, input any) (any, string, *Failure) {
	e := sc.exec
	r := &run{sc: sc, th: th, st: st, input: input}
	r.enteredID = e.emit(th, st.Type+"StateEntered", &StateEnteredDetails{
		Name: st.Name, Input: encode(input), InputDetails: &PayloadDetails{},
	}, true)
	r.entered = e.events[r.enteredID-1].Timestamp
	extra := map[string]any{}
	if sc.mapItem != nil {
		extra["Map"] = map[string]any{"Item": sc.mapItem}
	}
	r.ctxObj = e.contextObject(st.Name, r.entered, extra)
	if st.Type == asl.TypeTask || st.Type == asl.TypeMap || st.Type == asl.TypeParallel {
		r.ctxObj["State"].(map[string]any)["RetryCount"] = json.Number("0")
	}
	if e.test != nil && e.test.in.Context != "" {
		if c, err := asl.Decode(e.test.in.Context); err == nil {
			if m, ok := c.(map[string]any); ok {
				r.ctxObj = m
			}
		}
	}
	var (
		out  any
		next string
		f    *Failure
	)
	switch st.Type {
	case asl.TypePass:
		out, f = r.pass()
	case asl.TypeSucceed:
		out, f = r.succeed()
	case asl.TypeFail:
		return nil, "", r.fail()
	case asl.TypeChoice:
		out, next, f = r.choice()
	case asl.TypeWait:
		out, f = r.wait(ctx)
	case asl.TypeTask:
		out, next, f = r.task(ctx)
	case asl.TypeParallel:
		out, next, f = r.parallel(ctx)
	case asl.TypeMap:
		out, next, f = r.mapState(ctx)
	}
	if f != nil {
		if f.evaluation {
			// AWS links EvaluationFailed to the event before the state's
			// StateEntered (a Wait state's to the StateEntered itself).
			if st.Type != asl.TypeWait && int(r.enteredID) <= len(e.events) && e.halt == nil {
				th.prev = e.events[r.enteredID-1].PreviousEventID
			}
			e.emit(th, "EvaluationFailed", &EvaluationFailedDetails{
				Error: f.Error, Cause: f.Cause, Location: f.Location, State: st.Name,
			}, true)
			f.evaluation = false // recorded once, not again by an enclosing Map or Parallel
		}
		if sc.branch && st.Type == asl.TypeTask {
			e.emit(th, "TaskStateAborted", nil, false)
		}
		return nil, "", f
	}
	if st.Type != asl.TypeChoice && next == "" {
		next = st.Next
	}
	if f := r.exited(out); f != nil {
		return nil, "", f
	}
	if st.Type == asl.TypeSucceed {
		next = ""
	}
	return out, next, nil
}

// exited emits the StateExited event with the output and assignments.
func (r *run) exited(out any) *Failure {
	text := encode(out)
	if len(text) > maxPayload {
		return dataLimit(r.st.Name)
	}
	det := &StateExitedDetails{Name: r.st.Name, Output: text, OutputDetails: &PayloadDetails{}}
	if len(r.assigned) > 0 {
		det.AssignedVariables = map[string]string{}
		for k, v := range r.assigned {
			det.AssignedVariables[k] = encode(v)
		}
		det.AssignedVariablesDetails = &PayloadDetails{}
	}
	r.sc.exec.emit(r.th, r.st.Type+"StateExited", det, true)
	return nil
}

// commit makes assigned variables visible after the state's evaluation
// (assignments see the values from before the state).
func (r *run) commit(assigned map[string]any) {
	r.assigned = assigned
	maps.Copy(r.sc.vars.m, assigned)
}
