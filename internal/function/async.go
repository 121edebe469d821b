package function

import (
	"context"
	"errors"
	"fmt"
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
		Attrs: map[string]string{"account": f.Account, "region": f.Region, "name": f.Name, "trace": in.TraceID},
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

// Handler is the delivery handler of asynchronous invocations.
func (s *Service) Handler() delivery.Handler { return asyncHandler{s} }

type asyncHandler struct{ s *Service }

// errFunctionFailed is an attempt that ended in a function error.
var errFunctionFailed = errors.New("function error")

// Deliver runs one attempt. A deleted function ends the job; a function
// error or timeout is retried.
func (h asyncHandler) Deliver(ctx context.Context, j delivery.Job, _ store.Change) (bool, error) {
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
	out := s.run(ctx, f, InvokeInput{Type: Event, TraceID: j.Attrs["trace"], Payload: j.Payload}, j.ID)
	if out.FunctionError != "" {
		return false, fmt.Errorf("%w: %s", errFunctionFailed, out.Payload)
	}
	return false, nil
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
