package engine

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"time"
)

// pass runs a Pass state.
func (r *run) pass() (any, *Failure) {
	st := r.st
	if st.JSONata() {
		states := r.statesBinding(r.input, nil, false)
		return r.jsonataOutput(states, r.input)
	}
	eff, f := r.inputPath(r.input)
	if f != nil {
		return nil, f
	}
	result := eff
	switch {
	case st.HasResult:
		result = st.Result
		delete(r.sc.exec.test.inspection(), "afterInputPath")
		r.inspect("result", result)
	case st.HasParameters:
		if result, f = r.template(st.Parameters, eff); f != nil {
			return nil, f
		}
		r.inspect("afterParameters", result)
	default:
		r.inspect("afterParameters", result)
	}
	r.inspect("afterResultSelector", result)
	return r.finishJSONPath(result, result)
}

// finishJSONPath applies Assign, ResultPath and OutputPath to a result.
func (r *run) finishJSONPath(result, assignInput any) (any, *Failure) {
	assigned, f := r.assignJSONPath(r.st.Assign, assignInput)
	if f != nil {
		return nil, f
	}
	out, f := r.resultPath(r.st.ResultPath, r.input, result)
	if f != nil {
		return nil, f
	}
	r.inspect("afterResultPath", out)
	if out, f = r.outputPath(out); f != nil {
		return nil, f
	}
	r.commit(assigned)
	return out, nil
}

// jsonataOutput evaluates Assign then Output (default: dflt) in JSONata mode.
func (r *run) jsonataOutput(states map[string]any, dflt any) (any, *Failure) {
	assigned, f := r.assignJSONata(r.st.Assign, states)
	if f != nil {
		return nil, f
	}
	out := dflt
	if r.st.HasOutput {
		if out, f = r.jsonataValue(r.st.Output, "Output", states); f != nil {
			return nil, f
		}
	}
	r.commit(assigned)
	return out, nil
}

// succeed runs a Succeed state.
func (r *run) succeed() (any, *Failure) {
	if r.st.JSONata() {
		return r.jsonataOutput(r.statesBinding(r.input, nil, false), r.input)
	}
	eff, f := r.inputPath(r.input)
	if f != nil {
		return nil, f
	}
	return r.outputPath(eff)
}

// fail runs a Fail state; it always returns the failure it raises.
func (r *run) fail() *Failure {
	st := r.st
	var errName, cause string
	if st.JSONata() {
		states := r.statesBinding(r.input, nil, false)
		for _, fld := range []struct {
			v   any
			dst *string
			key string
		}{{st.Error, &errName, "Error"}, {st.Cause, &cause, "Cause"}} {
			if fld.v == nil {
				continue
			}
			v, f := r.jsonataValue(fld.v, fld.key, states)
			if f != nil {
				r.sc.exec.emit(r.th, "EvaluationFailed", &EvaluationFailedDetails{Error: f.Error, Cause: f.Cause, Location: f.Location, State: st.Name}, true)
				return f
			}
			*fld.dst = stringOf(v)
		}
		return &Failure{Error: errName, Cause: cause}
	}
	r.inspect("afterInputPath", r.input)
	errName, _ = st.Error.(string)
	cause, _ = st.Cause.(string)
	if st.ErrorPath != "" {
		v, f := r.dynamic(st.ErrorPath)
		if f != nil {
			return f
		}
		errName = stringOf(v)
	}
	if st.CausePath != "" {
		v, f := r.dynamic(st.CausePath)
		if f != nil {
			return f
		}
		cause = stringOf(v)
	}
	return &Failure{Error: errName, Cause: cause}
}

// dynamic evaluates a path or an intrinsic call against the state input.
func (r *run) dynamic(expr string) (any, *Failure) {
	v, f := r.template(map[string]any{"v.$": expr}, r.input)
	if f != nil {
		return nil, f
	}
	m, _ := v.(map[string]any)
	return m["v"], nil
}

func stringOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return encode(v)
}

// maxWait is the longest delay AWS accepts in a Wait state (99999999 s).
const maxWait = 99999999

// wait runs a Wait state.
func (r *run) wait(ctx context.Context) (any, *Failure) {
	until, f := r.waitUntil()
	if f != nil {
		return nil, f
	}
	if until.Sub(r.sc.exec.cfg.Clock.Now()) > math.MaxInt32*time.Second {
		return nil, r.runtime("Wait state delay is too long.")
	}
	if f := r.sc.exec.sleepUntil(ctx, until); f != nil {
		return nil, f
	}
	if r.st.JSONata() {
		return r.jsonataOutput(r.statesBinding(r.input, nil, false), r.input)
	}
	eff, f := r.inputPath(r.input)
	if f != nil {
		return nil, f
	}
	return r.finishJSONPath(eff, eff)
}

func (r *run) waitUntil() (time.Time, *Failure) {
	st := r.st
	now := r.sc.exec.lastEventTime()
	switch {
	case st.Seconds != nil:
		v, f := r.waitField(st.Seconds, "Seconds")
		if f != nil {
			return now, f
		}
		n, ok := integer(v)
		if !ok || n < 0 {
			return now, r.queryError("Seconds", "The Seconds field must be a non-negative integer: %s", encode(v))
		}
		return r.delay(now, n)
	case st.SecondsPath != "":
		v, err := r.resolve(st.SecondsPath, r.input)
		if err != nil {
			return now, r.runtime("The SecondsPath parameter does not reference an input value: %s", st.SecondsPath)
		}
		n, ok := integer(v)
		if !ok {
			return now, r.runtime("The SecondsPath parameter cannot be parsed as a long value: %s == %s", st.SecondsPath, stringOf(v))
		}
		if n < 0 {
			return now, r.runtime("The SecondsPath parameter references a negative value: %s == %d", st.SecondsPath, n)
		}
		return r.delay(now, n)
	case st.Timestamp != nil:
		v, f := r.waitField(st.Timestamp, "Timestamp")
		if f != nil {
			return now, f
		}
		s, _ := v.(string)
		t, ok := parseTimestamp(s)
		if !ok {
			return now, r.queryError("Timestamp", "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: %s", stringOf(v))
		}
		return t, nil
	case st.TimestampPath != "":
		return r.timestampPath(now)
	}
	return now, nil
}

// waitField evaluates a Wait field that JSONata mode may compute.
func (r *run) waitField(v any, field string) (any, *Failure) {
	if !r.st.JSONata() {
		return v, nil
	}
	return r.jsonataValue(v, field, r.statesBinding(r.input, nil, false))
}

func (r *run) delay(now time.Time, seconds int64) (time.Time, *Failure) {
	if seconds > maxWait {
		return now, r.runtime("Wait state delay is too long.")
	}
	return now.Add(time.Duration(seconds) * time.Second), nil
}

func (r *run) timestampPath(now time.Time) (time.Time, *Failure) {
	p := r.st.TimestampPath
	v, err := r.resolve(p, r.input)
	if err != nil {
		return now, r.runtime("The TimestampPath parameter does not reference an input value: %s", p)
	}
	s, _ := v.(string)
	t, ok := parseTimestamp(s)
	if !ok {
		return now, r.runtime("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: %s == %s", p, stringOf(v))
	}
	return t, nil
}

// parseTimestamp accepts AWS's ISO-8601 extended offset date-time form.
func parseTimestamp(s string) (time.Time, bool) {
	if !strings.Contains(s, "T") {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// integer converts a JSON number holding an integral value.
func integer(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true
		}
		f, err := n.Float64()
		if err != nil || f != math.Trunc(f) || strings.ContainsAny(string(n), ".") {
			return 0, false
		}
		return int64(f), true
	case float64:
		if n != math.Trunc(n) {
			return 0, false
		}
		return int64(n), true
	case int:
		return int64(n), true
	case int64:
		return n, true
	}
	return 0, false
}

// number converts a JSON number to float64.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}
