package function

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store"
)

// JobKind is the delivery job kind of asynchronous invocations.
const JobKind = "lambda-invoke"

// Async retry semantics, as AWS's defaults: 2 retries (3 attempts) at about
// 1 and 2 minutes, for at most 6 hours.
const (
	asyncAttempts = 3
	asyncMaxAge   = 6 * time.Hour
)

// enqueue stores an Event invocation as a delivery job, committed with
// extra; it answers once the job is durable.
func (s *Service) enqueue(ctx context.Context, f Function, in InvokeInput, extra ...store.Change) (InvokeOutput, error) {
	requestID := in.RequestID
	if requestID == "" {
		requestID = s.ids.UUID()
	}
	j := delivery.Job{
		ID: requestID, Kind: JobKind, Target: f.ARN(), Payload: in.Payload,
		Attrs: map[string]string{"account": f.Account, "region": f.Region, "name": f.Name, "trace": in.TraceID, "qualifier": qualifierOf(in)},
		Policy: delivery.RetryPolicy{
			MaxAttempts: asyncAttempts, MaxAge: asyncMaxAge,
			BaseDelay: s.cfg.RetryDelay, MaxDelay: 2 * s.cfg.RetryDelay, BackoffFactor: 2,
		},
	}
	jobs := []delivery.Job{j}
	if err := s.store.Apply(ctx, append(s.cfg.Jobs.Jobs(jobs), extra...)...); err != nil {
		return InvokeOutput{}, err
	}
	s.cfg.Jobs.Wake(jobs)
	return InvokeOutput{Type: Event, RequestID: requestID}, nil
}

// qualifierOf is the version or alias an invocation names; $LATEST when
// none.
func qualifierOf(in InvokeInput) string {
	if in.Qualifier != "" {
		return in.Qualifier
	}
	if m := nameRE.FindStringSubmatch(in.Name); m != nil && m[nameQualifier] != "" {
		return m[nameQualifier]
	}
	return latest
}

// Handler is the delivery handler of asynchronous invocations with AWS's
// defaults (no event invoke configs, destinations or dead-letter queues);
// Async.Handler is the full one.
func (s *Service) Handler() delivery.Handler { return asyncHandler{s: s} }

// Handler is the delivery handler of asynchronous invocations: it applies
// the qualifier's event invoke config and routes outcomes to destinations
// and the function's dead-letter queue.
func (a *Async) Handler() delivery.Handler { return asyncHandler{s: a.fn, a: a} }

type asyncHandler struct {
	s *Service
	a *Async // nil: AWS's defaults, no routing
}

// errFunctionFailed is an attempt that ended in a function error.
var errFunctionFailed = errors.New("function error")

// Deliver runs one attempt. A deleted function ends the job; a function
// error is retried while the config allows, then the outcome goes to the
// on-failure destination and the dead-letter queue (AWS sends to both); a
// success goes to the on-success destination. The outcome's destination
// jobs are committed with the removal of this job.
func (h asyncHandler) Deliver(ctx context.Context, j delivery.Job, remove store.Change) (bool, error) {
	s := h.s
	key := funcKey{j.Attrs["account"], j.Attrs["region"], j.Attrs["name"]}
	s.mu.RLock()
	f, ok := s.functions[key]
	stopped := s.stopped
	s.mu.RUnlock()
	switch {
	case stopped:
		return false, errors.New("function: service stopped")
	case !ok:
		return false, delivery.Permanent(notFound(j.Target))
	}
	var cfg EventInvokeConfig
	if h.a != nil {
		cfg = h.a.eventConfig(configKey{key, cmp.Or(j.Attrs["qualifier"], latest)})
	}
	age := s.clock.Now().Sub(time.UnixMilli(j.FirstAt))
	if h.a != nil && age >= cfg.maxAge() {
		return h.a.finish(ctx, j, f.cfg, cfg, remove, outcome{condition: CondEventAgeExceeded, attempts: j.Attempts - 1})
	}
	out := s.run(ctx, f, InvokeInput{Type: Event, Qualifier: j.Attrs["qualifier"], TraceID: j.Attrs["trace"], Payload: j.Payload}, j.ID)
	switch {
	case h.a == nil && out.FunctionError != "":
		return false, fmt.Errorf("%w: %s", errFunctionFailed, out.Payload)
	case h.a == nil:
		return false, nil
	case out.FunctionError == "":
		return h.a.finish(ctx, j, f.cfg, cfg, remove, outcome{condition: CondSuccess, attempts: j.Attempts, out: &out})
	case j.Attempts > cfg.retries():
		return h.a.finish(ctx, j, f.cfg, cfg, remove, outcome{condition: CondRetriesExhausted, attempts: j.Attempts, out: &out})
	case age+j.Policy.BaseDelay<<(j.Attempts-1) >= cfg.maxAge():
		return h.a.finish(ctx, j, f.cfg, cfg, remove, outcome{condition: CondEventAgeExceeded, attempts: j.Attempts, out: &out})
	}
	return false, fmt.Errorf("%w: %s", errFunctionFailed, out.Payload)
}

// finish commits the outcome's destination jobs with the removal of the
// invocation's job.
func (a *Async) finish(ctx context.Context, j delivery.Job, f Function, cfg EventInvokeConfig, remove store.Change, o outcome) (bool, error) {
	qualified := f.ARN() + ":" + cmp.Or(j.Attrs["qualifier"], latest)
	var jobs []delivery.Job
	dest := cfg.OnFailure
	if o.condition == CondSuccess {
		dest = cfg.OnSuccess
	}
	if dest != "" {
		jobs = append(jobs, a.recordJob(j, qualified, dest, o))
	}
	if o.condition != CondSuccess && f.DeadLetterArn != "" {
		jobs = append(jobs, a.deadLetterJob(j, f.DeadLetterArn, o))
	}
	if o.condition != CondSuccess {
		a.log.WarnContext(ctx, "lambda: async invocation failed", slog.String("function", qualified),
			slog.String("request_id", j.ID), slog.String("condition", o.condition), slog.Int("attempts", o.attempts))
	}
	if err := a.store.Apply(ctx, append(a.cfg.Jobs.Jobs(jobs), remove)...); err != nil {
		return false, err
	}
	a.cfg.Jobs.Wake(jobs)
	return true, nil
}

// DeadLetter is the message AWS sends to a function's dead-letter queue:
// the event, with RequestID, ErrorCode and ErrorMessage attributes.
func (h asyncHandler) DeadLetter(j delivery.Job, cause error) queue.DeliverInput {
	str := func(v string) *string { return &v }
	return queue.DeliverInput{
		Body: string(j.Payload),
		Attributes: map[string]queue.MessageAttribute{
			"RequestID":    {DataType: "String", StringValue: str(j.ID)},
			"ErrorCode":    {DataType: "Number", StringValue: str(strconv.Itoa(200))},
			"ErrorMessage": {DataType: "String", StringValue: str(cause.Error())},
		},
	}
}
