package bus

import (
	"context"
	"errors"

	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/function"
	"github.com/fogbank/fogbank/internal/store"
)

// toFunction hands the event (or the target's rendered input) to a Lambda
// function as an asynchronous invocation, committing this job's removal
// with the invocation's acceptance: exactly once. From there the
// function's own async retries apply. A function that does not exist, or
// an input Lambda rejects, goes to the target's dead-letter queue at once.
func (h handler) toFunction(ctx context.Context, j delivery.Job, remove store.Change) (bool, error) {
	in := function.EventInvokeInput{FunctionArn: j.Target, Payload: j.Payload, TraceID: j.Attrs[attrTrace]}
	if _, err := h.s.funcs.InvokeEvent(ctx, in, remove); err != nil {
		var fe *function.Error
		if !errors.As(err, &fe) {
			return false, err
		}
		code := "Lambda.ClientError"
		if fe.Code == function.CodeResourceNotFound {
			code = "ResourceNotFoundException"
		}
		return false, delivery.Permanent(&targetError{code, fe.Message})
	}
	return true, nil
}
