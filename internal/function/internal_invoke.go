package function

import (
	"context"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/store"
)

// EventInvokeInput is an asynchronous invocation handed over by another
// fogbank service: an SNS subscription, an EventBridge target.
type EventInvokeInput struct {
	FunctionArn string // unqualified, or qualified with $LATEST (the only version fogbank has)
	Payload     []byte // a JSON document
	TraceID     string // X-Ray trace header to pass on; a fresh one when empty
}

// InvokeEvent accepts an Event invocation of the function FunctionArn
// names, in the function's account and region. The invocation's job is
// committed in the same transaction as extra (the caller's outbox removal),
// so the hand-off is exactly once; from there the function's own async
// retry semantics apply, as for Invoke with InvocationType Event.
//
// An error of type *Error (no such function, a malformed ARN or payload)
// cannot be fixed by retrying; callers MUST treat it as permanent. Any other
// error (the store) is transient.
func (s *Service) InvokeEvent(ctx context.Context, in EventInvokeInput, extra ...store.Change) (InvokeOutput, error) {
	a, err := arn.Parse(in.FunctionArn)
	if err != nil || a.Service != "lambda" {
		return InvokeOutput{}, notFound(in.FunctionArn)
	}
	c := Caller{Account: a.Account, Region: a.Region}
	r, err := parseName(c, in.FunctionArn, "")
	if err != nil {
		return InvokeOutput{}, err
	}
	inv := InvokeInput{Name: in.FunctionArn, Type: Event, TraceID: in.TraceID, Payload: in.Payload}
	if err := validateInvoke(&inv); err != nil {
		return InvokeOutput{}, err
	}
	s.mu.RLock()
	f, err := s.lookup(c, r)
	s.mu.RUnlock()
	if err != nil {
		return InvokeOutput{}, err
	}
	return s.enqueue(ctx, f.cfg, inv, extra...)
}
