package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/flow/asl"
)

// mapState runs a Map state: its items one after another (the engine is
// sequential, so MaxConcurrency bounds nothing), each in a child scope.
func (r *run) mapState(ctx context.Context) (any, string, *Failure) {
	return r.withRetry(ctx, func() (any, *Failure) { return r.mapAttempt(ctx) })
}

func (r *run) mapAttempt(ctx context.Context) (any, *Failure) {
	st, e := r.st, r.sc.exec
	var states map[string]any
	if st.JSONata() {
		states = r.statesBinding(r.input, nil, false)
	}
	eff, items, f := r.mapItems(states)
	if f != nil {
		if f.evaluation {
			f.stateFailed = "MapStateFailed"
		}
		return nil, f
	}
	if st.ItemBatcher != nil {
		if items, f = r.batchItems(items, eff, states); f != nil {
			if f.evaluation {
				f.stateFailed = "MapStateFailed"
			}
			return nil, f
		}
	}
	maxConc, f := r.mapNumber(st.MaxConcurrency, st.MaxConcurrencyPath, "MaxConcurrency", states, true)
	if f != nil {
		return nil, f
	}
	if e.test != nil {
		return r.mapTest(eff, items, maxConc, states)
	}
	e.emit(r.th, "MapStateStarted", &MapStateStartedDetails{Length: len(items)}, true)
	tolerated, f := r.tolerance(states, len(items))
	if f != nil {
		return nil, f
	}
	distributed := st.ProcessorMode == "DISTRIBUTED"
	var run *MapRun
	if distributed {
		label := st.Label
		if label == "" {
			label = e.cfg.NewID()
		}
		arn := fmt.Sprintf("%s/%s:%s", mapRunPrefix(e.start.StateMachineArn), label, e.cfg.NewID())
		id := e.emit(r.th, "MapRunStarted", &MapRunStartedDetails{MapRunArn: arn}, true)
		run = &MapRun{Arn: arn, Status: StatusRunning, Start: e.events[id-1].Timestamp, Total: len(items), ToleratedFailureCount: int64(tolerated)}
		if maxConc != nil {
			run.MaxConcurrency = int64(*maxConc)
		}
		e.mapRuns = append(e.mapRuns, run)
	}
	results, f := r.runItems(ctx, items, eff, states, run, tolerated)
	if f != nil {
		return nil, f
	}
	if distributed {
		id := e.emit(r.th, "MapRunSucceeded", nil, true)
		run.Status, run.Stop = StatusSucceeded, e.events[id-1].Timestamp
	} else if len(items) > 0 {
		// AWS links MapStateSucceeded to the last MapIterationSucceeded.
		r.th.prev = int64(len(e.events))
	}
	e.emit(r.th, "MapStateSucceeded", nil, false)
	return r.afterResult(any(results), states)
}

// runItems runs the iterations; an inline Map fails on the first failed
// item, a distributed one once more items failed than it tolerates.
func (r *run) runItems(ctx context.Context, items []any, eff any, states map[string]any, run *MapRun, tolerated float64) ([]any, *Failure) {
	e := r.sc.exec
	distributed := run != nil
	results := make([]any, len(items))
	failures := 0
	var first *Failure
	for i, item := range items {
		out, f := r.iteration(ctx, i, item, eff, states, distributed)
		if f == nil {
			results[i] = out
			if run != nil {
				run.Succeeded++
			}
			continue
		}
		if run != nil {
			run.Failed++
		}
		failures++
		if first == nil {
			first = f
		}
		if !distributed || float64(failures) > tolerated {
			break
		}
	}
	if first == nil || (distributed && float64(failures) <= tolerated) {
		return results, nil
	}
	if distributed {
		const cause = "The specified tolerated failure threshold was exceeded"
		id := e.emit(r.th, "MapRunFailed", &FailureDetails{Error: ErrExceedToleratedFails, Cause: cause}, true)
		run.Status, run.Stop = StatusFailed, e.events[id-1].Timestamp
		first = &Failure{Error: ErrExceedToleratedFails, Cause: cause}
	}
	first.stateFailed = "MapStateFailed"
	return nil, first
}

func mapRunPrefix(smArn string) string {
	return strings.Replace(smArn, ":stateMachine:", ":mapRun:", 1)
}

// iteration runs one item.
func (r *run) iteration(ctx context.Context, i int, item, eff any, states map[string]any, distributed bool) (any, *Failure) {
	st, e := r.st, r.sc.exec
	if out, ok := r.redriveDone(i); ok {
		return out, nil
	}
	in := item // a batch is already the child's input
	if st.ItemBatcher == nil {
		mapItem := map[string]any{"Index": json.Number(strconv.Itoa(i)), "Value": item}
		var f *Failure
		if in, f = r.itemInput(item, mapItem, eff, states); f != nil {
			return nil, f
		}
	}
	child := &scope{exec: e, vars: newVars(r.sc.vars), mapItem: nil}
	if distributed {
		child.vars = newVars(nil)
		// A child's events are not the parent's history: before a child's
		// side effect, the parent's own events are made durable.
		cfg := e.cfg
		if cfg.Checkpoint != nil {
			cfg.Checkpoint = func(ctx context.Context, _ []Event) error {
				if !e.checkpoint(ctx) {
					return e.halt
				}
				return nil
			}
		}
		sub := &Execution{cfg: cfg, sm: st.Processor, start: e.start, started: e.started, input: in}
		sc := &scope{exec: sub, vars: child.vars}
		return sc.runMachine(ctx, &thread{}, st.Processor, in)
	}
	it := &thread{prev: r.th.prev}
	e.emit(it, "MapIterationStarted", &MapIterationDetails{Name: st.Name, Index: i}, true)
	out, ff := child.runMachine(ctx, it, st.Processor, in)
	r.th.prev = it.prev
	if ff != nil {
		e.emit(it, "MapIterationFailed", &MapIterationDetails{Name: st.Name, Index: i}, false)
		return nil, ff
	}
	e.emit(it, "MapIterationSucceeded", &MapIterationDetails{Name: st.Name, Index: i}, false)
	return out, nil
}

// itemInput applies ItemSelector (or legacy Parameters) to an item.
func (r *run) itemInput(item any, mapItem map[string]any, eff any, states map[string]any) (any, *Failure) {
	st := r.st
	sel, has := st.ItemSelector, st.HasItemSelector
	if !has && !st.JSONata() {
		sel, has = st.Parameters, st.HasParameters
	}
	if !has {
		return item, nil
	}
	saved := r.ctxObj
	r.ctxObj = copyMap(saved)
	r.ctxObj["Map"] = map[string]any{"Item": mapItem}
	defer func() { r.ctxObj = saved }()
	if st.JSONata() {
		s := copyMap(states)
		s["context"] = r.ctxObj
		return r.jsonataValue(sel, "ItemSelector", s)
	}
	return r.template(sel, eff)
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// mapItems finds the items to iterate over.
func (r *run) mapItems(states map[string]any) (any, []any, *Failure) {
	if r.st.JSONata() {
		return r.mapItemsJSONata(states)
	}
	return r.mapItemsJSONPath()
}

func (r *run) mapItemsJSONata(states map[string]any) (any, []any, *Failure) {
	st := r.st
	if st.ItemReader != nil {
		list, f := r.readerItems()
		return r.input, list, f
	}
	if !st.HasItems {
		list, ok := r.input.([]any)
		if !ok {
			return nil, nil, r.queryError("", "Map state input must be an array but was: %s", encode(r.input))
		}
		return r.input, list, nil
	}
	v, f := r.jsonataValue(st.Items, "Items", states)
	if f != nil {
		return nil, nil, f
	}
	list, ok := v.([]any)
	if ok {
		return r.input, list, nil
	}
	src, isE := isExpr(st.Items)
	if !isE {
		src = encode(st.Items)
	}
	if jsonType(v) == "unsupported" {
		return nil, nil, r.queryError("Items", "The JSONata expression '%s' specified for the field 'Items' returned an unsupported result type.", src)
	}
	return nil, nil, r.queryError("Items", "The JSONata expression '%s' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '%s' for value: %s", src, jsonType(v), encode(v))
}

func (r *run) mapItemsJSONPath() (any, []any, *Failure) {
	st := r.st
	eff, f := r.inputPath(r.input)
	if f != nil {
		return nil, nil, f
	}
	if st.ItemReader != nil {
		list, f := r.readerItems()
		return eff, list, f
	}
	v := eff
	if st.ItemsPath.Set && !st.ItemsPath.Null {
		x, err := r.resolve(st.ItemsPath.Value, eff)
		if err != nil {
			return nil, nil, r.runtime("Invalid path '%s' : No results for path: %s", st.ItemsPath.Value, st.ItemsPath.Value)
		}
		v = x
	}
	list, ok := v.([]any)
	if !ok {
		ref := "$"
		if st.ItemsPath.Set && !st.ItemsPath.Null {
			// AWS prints a context path ("$$.x") with one "$" less.
			ref = strings.TrimPrefix(st.ItemsPath.Value, "$$")
			if ref != st.ItemsPath.Value {
				ref = "$" + ref
			}
		}
		return nil, nil, &Failure{Error: ErrRuntime, Cause: fmt.Sprintf("Reference path %q must point to array.", ref)}
	}
	if st.ItemsPath.Set {
		r.inspect("afterItemsPath", v)
	}
	return eff, list, nil
}

// tolerance evaluates ToleratedFailureCount/Percentage into a count.
func (r *run) tolerance(states map[string]any, n int) (float64, *Failure) {
	st := r.st
	cnt, f := r.mapNumber(st.ToleratedFailureCount, st.ToleratedFailureCountPath, "ToleratedFailureCount", states, true)
	if f != nil {
		return 0, f
	}
	pct, f := r.mapNumber(st.ToleratedFailurePercentage, st.ToleratedFailurePercentagePath, "ToleratedFailurePercentage", states, false)
	if f != nil {
		return 0, f
	}
	if cnt != nil && *cnt < 0 {
		return 0, r.runtime("ToleratedFailureCount cannot be negative.")
	}
	if pct != nil && (*pct < 0 || *pct > 100) {
		return 0, r.runtime("ToleratedFailurePercentage must be between 0 and 100.")
	}
	tol := 0.0
	if cnt != nil {
		tol = *cnt
	}
	if pct != nil {
		p := math.Floor(*pct / 100 * float64(n))
		if cnt == nil || p > tol {
			tol = p
		}
	}
	return tol, nil
}

// mapNumber evaluates a Map numeric field given as a value, a path or a
// JSONata expression.
func (r *run) mapNumber(v any, p, field string, states map[string]any, isInt bool) (*float64, *Failure) {
	if p != "" {
		x, err := r.resolve(p, r.input)
		if err != nil {
			return nil, r.runtime("The %sPath field does not reference an input value: %s", field, p)
		}
		kind := "float"
		if isInt {
			kind = "integer"
		}
		if str, isStr := x.(string); isStr {
			x = json.Number(str)
			if _, err := strconv.ParseFloat(str, 64); err != nil {
				x = str
			}
		}
		n, ok := number(x)
		if ok && isInt {
			_, ok = integer(x)
		}
		if _, isStr := x.(string); isStr {
			ok = false
		}
		if !ok {
			return nil, r.runtime("The %sPath field refers to value \"%s\" which is not a valid %s: %s", field, stringOf(x), kind, p)
		}
		return &n, nil
	}
	if v == nil {
		return nil, nil
	}
	if states != nil {
		x, f := r.jsonataValue(v, field, states)
		if f != nil {
			return nil, f
		}
		v = x
	}
	n, ok := number(v)
	if !ok {
		return nil, nil
	}
	return &n, nil
}

// mapTest evaluates a Map state for TestState: a mock stands for the
// iterations' results, and stateConfiguration says how many failed.
func (r *run) mapTest(eff any, items []any, maxConc *float64, states map[string]any) (any, *Failure) {
	st, tr := r.st, r.sc.exec.test
	mc := 0.0
	if maxConc != nil {
		mc = *maxConc
	}
	r.inspect("maxConcurrency", json.Number(jsonNumber(mc)))
	cnt, f := r.mapNumber(st.ToleratedFailureCount, st.ToleratedFailureCountPath, "ToleratedFailureCount", states, true)
	if f != nil {
		return nil, f
	}
	pct, f := r.mapNumber(st.ToleratedFailurePercentage, st.ToleratedFailurePercentagePath, "ToleratedFailurePercentage", states, false)
	if f != nil {
		return nil, f
	}
	if cnt != nil {
		r.inspect("toleratedFailureCount", json.Number(jsonNumber(*cnt)))
	}
	if pct != nil {
		r.inspect("toleratedFailurePercentage", json.Number(jsonNumber(*pct)))
	}
	result, mf, mocked := tr.mocked()
	if mf != nil {
		return nil, mf
	}
	if !mocked {
		results := make([]any, len(items))
		for i, item := range items {
			out, ff := r.iteration(context.Background(), i, item, eff, states, false)
			if ff != nil {
				return nil, ff
			}
			results[i] = out
		}
		result = results
	}
	if n := tr.in.Config.MapIterationFailureCount; n != nil && *n > 0 && (cnt != nil || pct != nil) {
		tol, f := r.tolerance(states, len(items))
		if f != nil {
			return nil, f
		}
		if float64(*n) > tol {
			return nil, &Failure{Error: ErrExceedToleratedFails, Cause: "The specified tolerated failure threshold was exceeded"}
		}
	}
	return r.afterResult(result, states)
}

func jsonNumber(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// readerItems returns the items of an ItemReader. Only TestState's
// mapItemReaderData is supported; reading from S3 is not implemented.
func (r *run) readerItems() ([]any, *Failure) {
	if tr := r.sc.exec.test; tr != nil && tr.in.Config.MapItemReaderData != "" {
		v, err := asl.Decode(tr.in.Config.MapItemReaderData)
		if list, ok := v.([]any); ok && err == nil {
			return list, nil
		}
		return nil, &Failure{Error: ErrItemReaderFailed, Cause: "The item reader data must be a JSON array."}
	}
	return nil, &Failure{Error: ErrItemReaderFailed, Cause: "ItemReader " + r.st.ItemReader.Resource + " is not supported."}
}

// MapRun is what a Distributed Map state's run did: DescribeMapRun's
// fields. Items are counted as they end; a run that stops early leaves
// the rest neither succeeded nor failed (pending).
type MapRun struct {
	Arn                   string
	Status                string
	Start, Stop           time.Time
	Total                 int
	Succeeded, Failed     int
	MaxConcurrency        int64
	ToleratedFailureCount int64
}
