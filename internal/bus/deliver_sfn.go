package bus

import (
	"context"
	"errors"
	"net/http"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/delivery"
)

// This file holds what EventBridge offers Step Functions: the Step
// Functions target, and the connections' credentials for the HTTP Task.

// StateMachines starts the executions of Step Functions targets. An error
// that is a *DeliveryError names the failure; any other error is transient.
type StateMachines interface {
	StartExecution(ctx context.Context, in ExecutionStart) error
}

// ExecutionStart is the execution a Step Functions target starts.
type ExecutionStart struct {
	Account, Region string
	StateMachineArn string
	Name            string
	Input           string // JSON text
	TraceHeader     string
}

// DeliveryError is a failed delivery as EventBridge records it (a dead
// letter's ERROR_CODE and ERROR_MESSAGE). A Permanent failure is not
// retried.
type DeliveryError struct {
	Code, Message string
	Permanent     bool
}

func (f *DeliveryError) Error() string { return f.Code + ": " + f.Message }

// SetStateMachines makes Step Functions state machines deliverable targets
// (the flow service starts after the bus, so it is set, not configured).
// Until then such targets fail into the retry path.
func (s *Service) SetStateMachines(m StateMachines) {
	if m != nil {
		s.machines.Store(&m)
	}
}

// toStateMachine starts an execution of the target state machine with the
// event (or the target's rendered input) as input. The execution is named
// after the delivery job, and StartExecution is idempotent for a name and
// input, so a delivery retried after a crash starts no second execution.
// The target's RoleArn is accepted and not checked, as everywhere in
// fogbank.
func (h handler) toStateMachine(ctx context.Context, j delivery.Job) (bool, error) {
	p := h.s.machines.Load()
	if p == nil {
		return false, &targetError{"UnsupportedTarget", "fogbank does not deliver to states targets yet."}
	}
	a, _ := arn.Parse(j.Target)
	err := (*p).StartExecution(ctx, ExecutionStart{
		Account: a.Account, Region: a.Region, StateMachineArn: j.Target,
		Name: j.ID, Input: string(j.Payload), TraceHeader: j.Attrs[attrTrace],
	})
	var tf *DeliveryError
	switch {
	case err == nil:
		return false, nil
	case errors.As(err, &tf) && tf.Permanent:
		return false, delivery.Permanent(&targetError{tf.Code, tf.Message})
	case errors.As(err, &tf):
		return false, &targetError{tf.Code, tf.Message}
	}
	return false, err
}

// AuthorizeHTTP adds the credentials and invocation parameters (headers and
// query parameters) of connection connArn to req, as an API destination
// does: the Step Functions HTTP Task calls endpoints through it. The
// connection MUST exist and be AUTHORIZED; the error's message then says
// why not.
func (s *Service) AuthorizeHTTP(ctx context.Context, connArn string, req *http.Request) error {
	s.mu.RLock()
	c := s.connectionByArn(connArn)
	var conn connectionRecord
	if c != nil {
		conn = *c
	}
	s.mu.RUnlock()
	switch {
	case c == nil:
		return errorf(CodeResourceNotFound, "Connection '%s' does not exist.", connArn)
	case conn.State != ConnectionAuthorized:
		return errorf(CodeIllegalStatus, "Connection '%s' is not authorized.", connArn)
	}
	if p := conn.Auth.InvocationHTTPParameters; p != nil {
		q := req.URL.Query()
		for _, kv := range p.HeaderParameters {
			req.Header.Set(kv.Key, kv.Value)
		}
		for _, kv := range p.QueryStringParameters {
			q.Set(kv.Key, kv.Value)
		}
		req.URL.RawQuery = q.Encode()
	}
	if err := s.authorize(ctx, req, conn); err != nil {
		var te *targetError
		if errors.As(err, &te) {
			return errorf(CodeIllegalStatus, "%s", te.msg)
		}
		return err
	}
	return nil
}
