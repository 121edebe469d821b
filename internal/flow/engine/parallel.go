package engine

import (
	"context"
)

// parallel runs a Parallel state: its branches in order, each in a child
// variable scope.
func (r *run) parallel(ctx context.Context) (any, string, *Failure) {
	return r.withRetry(ctx, func() (any, *Failure) { return r.parallelAttempt(ctx) })
}

func (r *run) parallelAttempt(ctx context.Context) (any, *Failure) {
	st, e := r.st, r.sc.exec
	var (
		in     any
		states map[string]any
		f      *Failure
	)
	if st.JSONata() {
		states = r.statesBinding(r.input, nil, false)
		in = r.input
		if st.HasArguments {
			if in, f = r.jsonataValue(st.Arguments, "Arguments", states); f != nil {
				return nil, f
			}
		}
	} else {
		if in, f = r.applyInputPath(r.input); f != nil {
			return nil, f
		}
		if st.HasParameters {
			if in, f = r.template(st.Parameters, in); f != nil {
				return nil, f
			}
		}
	}
	if result, mf, ok := e.test.mocked(); ok {
		if mf != nil {
			return nil, mf
		}
		return r.afterResult(result, states)
	}
	e.emit(r.th, "ParallelStateStarted", nil, true)
	results := make([]any, len(st.Branches))
	last := r.th.prev
	for i, b := range st.Branches {
		if out, ok := r.redriveDone(i); ok {
			results[i] = out
			continue
		}
		bt := &thread{prev: r.th.prev}
		child := &scope{exec: e, vars: newVars(r.sc.vars), mapItem: r.sc.mapItem, branch: true}
		out, bf := child.runMachine(ctx, bt, b, in)
		if bt.prev > last {
			last = bt.prev
		}
		if bf != nil {
			r.th.prev = last
			bf.stateFailed = "ParallelStateFailed"
			return nil, bf
		}
		results[i] = out
	}
	r.th.prev = last
	e.emit(r.th, "ParallelStateSucceeded", nil, false)
	return r.afterResult(any(results), states)
}
