package function

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/fogbank/fogbank/internal/function/runtimeapi"
	"github.com/fogbank/fogbank/internal/function/sandbox"
)

// InvocationType is Invoke's X-Amz-Invocation-Type.
type InvocationType string

// The invocation types.
const (
	RequestResponse InvocationType = "RequestResponse"
	Event           InvocationType = "Event"
	DryRun          InvocationType = "DryRun"
)

// InvokeInput is Invoke's input.
type InvokeInput struct {
	Name          string
	Qualifier     string
	Type          InvocationType
	ClientContext string // decoded JSON
	TraceID       string
	Payload       []byte
	RequestID     string // the invocation's id; a fresh one when empty
}

// InvokeOutput is Invoke's result.
type InvokeOutput struct {
	Type            InvocationType
	FunctionError   string // "Unhandled" when the payload is an error
	Payload         []byte
	Log             []byte // the invocation's log: START, output, END, REPORT
	ExecutedVersion string
	RequestID       string
	ColdStart       bool
}

// Invoke runs a function: synchronously, queued durably (Event), or not at
// all (DryRun, which only checks the function exists).
func (s *Service) Invoke(ctx context.Context, c Caller, in InvokeInput) (InvokeOutput, error) {
	if in.Type == "" {
		in.Type = RequestResponse
	}
	r, err := parseName(c, in.Name, in.Qualifier)
	if err != nil {
		return InvokeOutput{}, err
	}
	if err := validateInvoke(&in); err != nil {
		return InvokeOutput{}, err
	}
	s.mu.RLock()
	f, err := s.lookup(c, r)
	s.mu.RUnlock()
	if err != nil {
		return InvokeOutput{}, err
	}
	switch in.Type {
	case DryRun:
		return InvokeOutput{Type: DryRun}, nil
	case Event:
		return s.enqueue(ctx, f.cfg, in)
	}
	if in.RequestID == "" {
		in.RequestID = s.ids.UUID()
	}
	return s.run(ctx, f, in, in.RequestID), nil
}

func validateInvoke(in *InvokeInput) error {
	switch in.Type {
	case RequestResponse, Event, DryRun:
	default:
		return constraint(string(in.Type), "invocationType", "Member must satisfy enum value set: [Event, RequestResponse, DryRun]")
	}
	limit := MaxSyncPayload
	if in.Type == Event {
		limit = MaxAsyncPayload
	}
	if len(in.Payload) > limit {
		return errorf(CodeRequestTooLarge, "Request must be smaller than %d bytes for the Invoke operation", limit)
	}
	if len(in.Payload) == 0 {
		in.Payload = []byte("{}")
	}
	if !json.Valid(in.Payload) {
		return errorf(CodeInvalidRequestContent, "Could not parse request body into json: Could not parse payload into json: Unexpected character: was expecting a JSON value")
	}
	return nil
}

// run invokes the function once in a sandbox of its pool. A retired pool
// (the function was updated meanwhile) is replaced by the current one.
func (s *Service) run(ctx context.Context, f *function, in InvokeInput, requestID string) InvokeOutput {
	sb, cold, err := f.pool.acquire()
	if errors.Is(err, errPoolClosed) {
		if cur, ok := s.current(f); ok {
			f = cur
			sb, cold, err = f.pool.acquire()
		}
	}
	out := InvokeOutput{Type: RequestResponse, ExecutedVersion: latest, RequestID: requestID, ColdStart: cold}
	if err != nil {
		s.log.WarnContext(ctx, "lambda: sandbox did not start", slog.String("function", f.cfg.Name), slog.Any("err", err))
		return s.failed(out, f, startFailure(requestID, err))
	}
	inv := runtimeapi.Invocation{
		RequestID: requestID, FunctionArn: f.cfg.ARN(), TraceID: in.TraceID,
		ClientContext: in.ClientContext, Payload: in.Payload,
	}
	if inv.TraceID == "" {
		inv.TraceID = s.traceID()
	}
	// Like AWS, an invocation runs to its end even if the caller goes away.
	o := sb.Invoke(context.WithoutCancel(ctx), inv, time.Duration(f.cfg.Timeout)*time.Second)
	f.pool.release(sb, !sb.Dead())
	out.Payload = o.Result.Payload
	if o.Result.Failed() {
		out.FunctionError = "Unhandled"
	}
	out.Log = report(&f.cfg, requestID, o)
	s.log.DebugContext(ctx, "lambda: invoked", slog.String("function", f.cfg.Name), slog.String("request_id", requestID),
		slog.Bool("cold", cold), slog.Duration("duration", o.Duration), slog.String("log", string(out.Log)))
	return out
}

// current returns the function's live entry, if it still exists.
func (s *Service) current(f *function) (*function, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	cur, ok := s.functions[keyOf(&f.cfg)]
	return cur, ok && !s.stopped
}

func (s *Service) failed(out InvokeOutput, f *function, res runtimeapi.Result) InvokeOutput {
	out.FunctionError, out.Payload = "Unhandled", res.Payload
	out.Log = report(&f.cfg, out.RequestID, sandbox.Outcome{Result: res})
	return out
}

// startFailure is the error of a bootstrap that could not be started.
func startFailure(requestID string, err error) runtimeapi.Result {
	var se *sandbox.StartError
	typ, msg := "Sandbox.Failure", err.Error()
	if errors.As(err, &se) {
		typ, msg = "Runtime.InvalidEntrypoint", "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]"
	}
	b, _ := json.Marshal(map[string]string{"errorType": typ, "errorMessage": "RequestId: " + requestID + " Error: " + msg})
	return runtimeapi.Result{ErrorType: typ, Payload: b}
}

// traceID is a fresh X-Ray trace header: Root=1-<8 hex time>-<24 hex>.
func (s *Service) traceID() string {
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", s.clock.Now().Unix(), s.ids.Token(12), s.ids.Token(8))
}
