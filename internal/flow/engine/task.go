package engine

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/flow/asl"
)

// task runs a Task state.
func (r *run) task(ctx context.Context) (any, string, *Failure) {
	return r.withRetry(ctx, func() (any, *Failure) { return r.taskAttempt(ctx) })
}

// resourceParts splits an optimized-integration ARN into the resourceType
// and resource AWS reports ("arn:aws:states:::sns:publish" → sns, publish;
// "arn:aws:states:::aws-sdk:sfn:startExecution" → aws-sdk:sfn,
// startExecution).
func resourceParts(arn string) (string, string, bool) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:states:::")
	if !ok {
		return "", "", false
	}
	if sdk, ok := strings.CutPrefix(rest, "aws-sdk:"); ok {
		svc, res, _ := strings.Cut(sdk, ":")
		return "aws-sdk:" + svc, res, true
	}
	typ, res, _ := strings.Cut(rest, ":")
	return typ, res, true
}

func (r *run) taskAttempt(ctx context.Context) (any, *Failure) {
	st, e := r.st, r.sc.exec
	r.heartbeatExpired = false
	token := ""
	if hasTaskToken(st.Resource) {
		token = e.cfg.NewID()
		r.ctxObj["Task"] = map[string]any{"Token": token}
	}
	args, states, f := r.taskArgs()
	if f != nil {
		return nil, f
	}
	timeout, heartbeat, f := r.taskTimeouts(states)
	if f != nil {
		return nil, f
	}
	if result, mf, ok := e.test.mocked(); ok {
		if mf != nil {
			return nil, mf
		}
		r.inspect("result", result)
		return r.afterResult(result, states)
	}
	call := taskCall{resource: st.Resource}
	call.typ, call.res, call.optimized = resourceParts(st.Resource)
	call.activity = IsActivity(st.Resource)
	r.scheduled(call, args, timeout, heartbeat)
	result, tf := r.invoke(ctx, TaskRequest{
		Resource: st.Resource, Input: args, TimeoutSeconds: timeout, HeartbeatSeconds: heartbeat,
		Token: token, Credentials: st.Credentials, StateName: st.Name,
	})
	r.completed(call, result, tf)
	if tf != nil {
		return nil, tf
	}
	return r.afterResult(result, states)
}

// taskArgs evaluates a Task's Parameters (JSONPath) or Arguments (JSONata).
func (r *run) taskArgs() (any, map[string]any, *Failure) {
	st := r.st
	if st.JSONata() {
		states := r.statesBinding(r.input, nil, false)
		args := r.input
		if st.HasArguments {
			var f *Failure
			if args, f = r.jsonataValue(st.Arguments, "Arguments", states); f != nil {
				return nil, nil, f
			}
		}
		r.inspect("afterArguments", args)
		return args, states, nil
	}
	args, f := r.inputPath(r.input)
	if f != nil {
		return nil, nil, f
	}
	if st.HasParameters {
		if args, f = r.template(st.Parameters, args); f != nil {
			return nil, nil, f
		}
	}
	r.inspect("afterParameters", args)
	return args, nil, nil
}

// taskCall names the resource of a Task in AWS's event terms.
type taskCall struct {
	resource, typ, res string
	// optimized is false for a bare Lambda function ARN (the legacy form,
	// recorded as LambdaFunction* events).
	optimized bool
	// activity marks an activity ARN (Activity* events).
	activity bool
}

// scheduled emits the events that open a task call.
func (r *run) scheduled(c taskCall, args any, timeout, heartbeat int64) {
	e := r.sc.exec
	if c.activity {
		det := &ActivityScheduledDetails{Resource: c.resource, Input: encode(args), InputDetails: &PayloadDetails{}}
		if timeout > 0 {
			det.TimeoutInSeconds = &timeout
		}
		if heartbeat > 0 {
			det.HeartbeatInSeconds = &heartbeat
		}
		e.emit(r.th, "ActivityScheduled", det, true)
		return
	}
	if !c.optimized {
		det := &LambdaScheduledDetails{Resource: c.resource, Input: encode(args), InputDetails: &PayloadDetails{}}
		if timeout > 0 {
			det.TimeoutInSeconds = &timeout
		}
		e.emit(r.th, "LambdaFunctionScheduled", det, true)
		e.emit(r.th, "LambdaFunctionStarted", nil, true)
		return
	}
	det := &TaskScheduledDetails{ResourceType: c.typ, Resource: c.res, Region: e.cfg.Region, Parameters: encode(args)}
	if timeout > 0 {
		det.TimeoutInSeconds = &timeout
	}
	if heartbeat > 0 {
		det.HeartbeatInSeconds = &heartbeat
	}
	e.emit(r.th, "TaskScheduled", det, true)
	e.emit(r.th, "TaskStarted", &TaskDetails{ResourceType: c.typ, Resource: c.res}, true)
}

// completed emits the event that closes a task call.
func (r *run) completed(c taskCall, result any, f *Failure) {
	e := r.sc.exec
	timedOut := f != nil && (f.Error == ErrTimeout || f.Error == ErrHeartbeatTimeout)
	switch {
	case c.activity:
		// The worker's pick-up is not observed separately: it is recorded
		// with the outcome.
		e.emit(r.th, "ActivityStarted", &ActivityStartedDetails{}, true)
		switch {
		case timedOut:
			e.emit(r.th, "ActivityTimedOut", &FailureDetails{Error: f.Error, Cause: f.Cause}, true)
		case f != nil:
			e.emit(r.th, "ActivityFailed", &FailureDetails{Error: f.Error, Cause: f.Cause}, true)
		default:
			e.emit(r.th, "ActivitySucceeded", &OutputDetails{Output: encode(result), OutputDetails: &PayloadDetails{}}, true)
		}
	case timedOut && c.optimized:
		e.emit(r.th, "TaskTimedOut", &TaskDetails{ResourceType: c.typ, Resource: c.res, Error: f.Error, Cause: f.Cause}, true)
	case timedOut:
		e.emit(r.th, "LambdaFunctionTimedOut", &FailureDetails{Error: f.Error, Cause: f.Cause}, true)
	case f != nil && c.optimized:
		e.emit(r.th, "TaskFailed", &TaskDetails{ResourceType: c.typ, Resource: c.res, Error: f.Error, Cause: f.Cause}, true)
	case f != nil:
		e.emit(r.th, "LambdaFunctionFailed", &FailureDetails{Error: f.Error, Cause: f.Cause}, true)
	case c.optimized:
		text := encode(result)
		e.emit(r.th, "TaskSucceeded", &TaskDetails{ResourceType: c.typ, Resource: c.res, Output: &text, OutputDetails: &PayloadDetails{}}, true)
	default:
		e.emit(r.th, "LambdaFunctionSucceeded", &OutputDetails{Output: encode(result), OutputDetails: &PayloadDetails{}}, true)
	}
}

// afterResult applies a Task/Map/Parallel state's output processing.
func (r *run) afterResult(result any, states map[string]any) (any, *Failure) {
	st := r.st
	if st.JSONata() {
		states["result"] = result
		return r.jsonataOutput(states, result)
	}
	var f *Failure
	if st.HasSelector {
		if result, f = r.template(st.ResultSelector, result); f != nil {
			return nil, f
		}
	}
	r.inspect("afterResultSelector", result)
	return r.finishJSONPath(result, result)
}

func (r *run) invoke(ctx context.Context, req TaskRequest) (any, *Failure) {
	e := r.sc.exec
	typ, res, optimized := resourceParts(req.Resource)
	if rec, ok := e.recorded(len(e.events)); ok && optimized && rec.Type == "TaskSubmitted" {
		det := &TaskDetails{ResourceType: typ, Resource: res, OutputDetails: &PayloadDetails{}}
		if d, ok := rec.Details.(*TaskDetails); ok {
			det.Output = d.Output
		}
		e.emit(r.th, "TaskSubmitted", det, true)
		req.Submitted = true
	}
	if out, f, ok := e.replayedResult(); ok {
		return out, f
	}
	// The scheduling events were replayed: the request may have gone out.
	req.Resumed = len(e.replay) > 0 && len(e.events) <= len(e.replay)
	if !e.checkpoint(ctx) {
		return nil, e.halted()
	}
	if optimized && !req.Submitted && e.test == nil {
		done := false
		req.Submit = func(output any) error {
			if done {
				return nil
			}
			done = true
			text := encode(output)
			e.emit(r.th, "TaskSubmitted", &TaskDetails{ResourceType: typ, Resource: res, Output: &text, OutputDetails: &PayloadDetails{}}, true)
			if !e.checkpoint(ctx) {
				return e.halt
			}
			return nil
		}
	}
	tasks := e.cfg.Tasks
	if tasks == nil {
		return nil, &Failure{Error: ErrRuntime, Cause: "no task runner is configured for resource " + req.Resource}
	}
	out, err := r.invokeTimed(ctx, tasks, req)
	if errors.Is(err, errTaskTimeout) {
		return nil, &Failure{Error: ErrTimeout}
	}
	if err != nil && ctx.Err() != nil && e.test == nil {
		e.halt = ctx.Err()
		return nil, e.halted()
	}
	if err != nil {
		var fe failureError
		if errors.As(err, &fe) && fe.f.Error == ErrHeartbeatTimeout {
			r.heartbeatExpired = true
			return nil, &Failure{Error: ErrTimeout, Cause: fe.f.Cause}
		}
		if errors.As(err, &fe) {
			return nil, fe.f
		}
		return nil, &Failure{Error: ErrTaskFailed, Cause: err.Error()}
	}
	return out, nil
}

// taskTimeouts evaluates TimeoutSeconds(Path) and HeartbeatSeconds(Path).
func (r *run) taskTimeouts(states map[string]any) (int64, int64, *Failure) {
	st := r.st
	get := func(v any, p, field string) (int64, *Failure) {
		if p != "" {
			x, err := r.resolve(p, r.input)
			if err != nil {
				return 0, r.runtime("The %sPath parameter does not reference an input value: %s", field, p)
			}
			v = x
		}
		if v == nil {
			return 0, nil
		}
		if states != nil {
			x, f := r.jsonataValue(v, field, states)
			if f != nil {
				return 0, f
			}
			v = x
		}
		n, _ := integer(v)
		return n, nil
	}
	t, f := get(st.TimeoutSeconds, st.TimeoutSecondsPath, "TimeoutSeconds")
	if f != nil {
		return 0, 0, f
	}
	h, f := get(st.HeartbeatSeconds, st.HeartbeatSecondsPath, "HeartbeatSeconds")
	return t, h, f
}

// withRetry runs attempt under the state's Retry and Catch policies. On a
// caught error it returns the catcher's output and Next.
func (r *run) withRetry(ctx context.Context, attempt func() (any, *Failure)) (any, string, *Failure) {
	if r.sc.exec.test != nil {
		return r.testRetry(attempt)
	}
	counts := make([]int64, len(r.st.Retry))
	for retries := 0; ; retries++ {
		if state, ok := r.ctxObj["State"].(map[string]any); ok && retries > 0 {
			state["RetryCount"] = json.Number(strconv.Itoa(retries))
		}
		out, f := attempt()
		if f == nil {
			return out, "", nil
		}
		terminal := f.Error == ErrRuntime || f.timedOut
		delay, retry := time.Duration(0), false
		if !terminal {
			delay, retry = r.retryDelay(f, counts)
		}
		if !retry && f.evaluation && f.stateFailed != "" {
			r.sc.exec.emit(r.th, "EvaluationFailed", &EvaluationFailedDetails{
				Error: f.Error, Cause: f.Cause, Location: f.Location, State: r.st.Name,
			}, true)
			f.evaluation = false
		}
		if !retry && f.stateFailed != "" {
			r.sc.exec.emit(r.th, f.stateFailed, nil, true)
			f.stateFailed = ""
		}
		if terminal {
			return nil, "", f
		}
		if retry {
			if f := r.sc.exec.sleepUntil(ctx, r.sc.exec.lastEventTime().Add(delay)); f != nil {
				return nil, "", f
			}
			continue
		}
		return r.catch(f)
	}
}

// retryDelay finds the retrier for f and returns the wait before the next
// attempt, or false when no retry is left.
func (r *run) retryDelay(f *Failure, counts []int64) (time.Duration, bool) {
	for i, rt := range r.st.Retry {
		if !r.handles(rt.ErrorEquals, f) {
			continue
		}
		if counts[i] >= rt.MaxAttempts {
			return 0, false
		}
		secs := float64(rt.IntervalSeconds) * math.Pow(rt.BackoffRate, float64(counts[i]))
		if rt.MaxDelaySeconds > 0 && secs > float64(rt.MaxDelaySeconds) {
			secs = float64(rt.MaxDelaySeconds)
		}
		if rt.JitterStrategy == "FULL" && r.sc.exec.cfg.Rand != nil {
			secs *= float64(r.sc.exec.cfg.Rand()>>11) / (1 << 53)
		}
		counts[i]++
		return time.Duration(secs * float64(time.Second)), true
	}
	return 0, false
}

// handles reports whether a Retry/Catch ErrorEquals list handles f. A
// missed heartbeat fails as States.Timeout (as AWS records it) and is
// handled as States.HeartbeatTimeout too. A task result over the payload
// limit (States.DataLimitExceeded) is handled by States.ALL, as AWS
// records it (unlike a state's output over the limit, which ends the
// execution).
func (r *run) handles(list []string, f *Failure) bool {
	switch {
	case matches(list, f.Error):
		return true
	case f.Error == ErrDataLimitExceeded:
		return slices.Contains(list, ErrAll)
	}
	return r.heartbeatExpired && f.Error == ErrTimeout && matches(list, ErrHeartbeatTimeout)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// catch applies the first matching catcher to f.
func (r *run) catch(f *Failure) (any, string, *Failure) {
	st := r.st
	for _, c := range st.Catch {
		if !r.handles(c.ErrorEquals, f) {
			continue
		}
		errOut := map[string]any{"Error": f.Error, "Cause": f.Cause}
		if f.Error == "" {
			// A SendTaskFailure without error or cause: AWS's error output
			// holds nulls.
			errOut = map[string]any{"Error": nil, "Cause": nullable(f.Cause)}
		}
		if st.JSONata() {
			out, ff := r.catchJSONata(c, errOut)
			return out, c.Next, ff
		}
		out, ff := r.resultPath(c.ResultPath, r.input, errOut)
		if ff != nil {
			return nil, "", ff
		}
		return out, c.Next, nil
	}
	return nil, "", f
}

func (r *run) catchJSONata(c asl.Catcher, errOut map[string]any) (any, *Failure) {
	states := r.statesBinding(r.input, errOut, true)
	var assigned map[string]any
	if c.HasAssign {
		var f *Failure
		if assigned, f = r.assignJSONata(c.Assign, states); f != nil {
			return nil, f
		}
	}
	var out any = errOut
	if c.HasOutput {
		var f *Failure
		if out, f = r.jsonataValue(c.Output, "Output", states); f != nil {
			return nil, f
		}
	}
	r.commit(assigned)
	return out, nil
}

// hasTaskToken reports whether a Task resource gets a task token
// ($$.Task.Token): callback (.waitForTaskToken) and run-a-job (.sync,
// .sync:2) integrations, which a SendTaskSuccess/Failure with it also
// completes, and activities.
func hasTaskToken(resource string) bool {
	return strings.HasSuffix(resource, ".waitForTaskToken") || strings.HasSuffix(resource, ".sync") ||
		strings.HasSuffix(resource, ".sync:2") || IsActivity(resource)
}

// IsActivity reports whether a Task resource is an activity ARN
// (arn:aws:states:<region>:<account>:activity:<name>); its TaskRequest
// carries a Token the worker answers with.
func IsActivity(resource string) bool {
	parts := strings.SplitN(resource, ":", 7)
	return len(parts) == 7 && parts[0] == "arn" && parts[2] == "states" && parts[5] == "activity"
}

// errTaskTimeout ends a task invocation at its TimeoutSeconds.
var errTaskTimeout = errors.New("engine: task timed out")

// invokeTimed invokes a task, ending it with errTaskTimeout when its
// TimeoutSeconds passes first (measured on the Timers from the task's
// scheduling).
func (r *run) invokeTimed(ctx context.Context, tasks Tasks, req TaskRequest) (any, error) {
	e := r.sc.exec
	if req.TimeoutSeconds <= 0 || e.cfg.Timers == nil || e.test != nil {
		return tasks.Invoke(ctx, req)
	}
	tctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	deadline := e.lastEventTime().Add(time.Duration(req.TimeoutSeconds) * time.Second)
	timers := e.cfg.Timers
	go func() {
		if timers.WaitUntil(tctx, deadline) == nil {
			cancel(errTaskTimeout)
		}
	}()
	out, err := tasks.Invoke(tctx, req)
	if err != nil && ctx.Err() == nil && errors.Is(context.Cause(tctx), errTaskTimeout) {
		return nil, errTaskTimeout
	}
	return out, err
}
