package function

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	RequestID     string    // the invocation's id; a fresh one when empty
	Stream        io.Writer // see InvokeWithResponseStream
	// Started, if set, is called with the executed version once a sandbox
	// takes the invocation: past every error Invoke returns.
	Started func(executedVersion string)
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
	Streamed        bool // the response went to InvokeInput.Stream
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
	// An unqualified invoke runs $LATEST, and is not found as $LATEST.
	s.mu.RLock()
	f, err := s.lookup(c, ref{name: r.name, qualifier: cmp.Or(r.qualifier, latest)})
	s.mu.RUnlock()
	if err != nil {
		return InvokeOutput{}, err
	}
	in.Qualifier = r.qualifier
	switch in.Type {
	case DryRun:
		return InvokeOutput{Type: DryRun}, nil
	case Event:
		return s.enqueue(ctx, f.cfg, in)
	}
	if in.RequestID == "" {
		in.RequestID = s.ids.UUID()
	}
	return s.execute(ctx, keyOf(&f.cfg), in, in.RequestID, false)
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

// run invokes the function once for an asynchronous invocation (the
// qualifier in in.Qualifier): beyond the function's concurrency it waits
// for a slot instead of failing; with a reservation of 0 it fails at once,
// to be retried later.
func (s *Service) run(ctx context.Context, f *function, in InvokeInput, requestID string) InvokeOutput {
	out, err := s.execute(ctx, keyOf(&f.cfg), in, requestID, true)
	if err != nil {
		typ := "ResourceNotFoundException"
		if IsCode(err, CodeTooManyRequests) {
			typ = "TooManyRequestsException"
		}
		b, _ := json.Marshal(map[string]string{"errorType": typ, "errorMessage": err.Error()})
		out = InvokeOutput{Type: in.Type, FunctionError: "Unhandled", Payload: b, RequestID: requestID}
	}
	return out
}

// target is what one invocation runs: a version's configuration and pool,
// the ARN it was invoked through, and its concurrency claim.
type target struct {
	cfg  Function
	pool *pool
	arn  string
	slot slot
}

// target resolves a qualifier of a function to the version to run; an
// alias picks by its routing weights.
func (s *Service) target(key funcKey, qualifier string) (target, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	unqualified := functionARN(key.region, key.account, key.name)
	f, ok := s.functions[key]
	if !ok || s.stopped {
		return target{}, notFound(unqualified)
	}
	t := target{arn: unqualified, slot: s.slotFor(f)}
	if qualifier != "" {
		t.arn += ":" + qualifier
	}
	var v *version
	switch {
	case qualifier == "" || qualifier == latest:
		v = &version{cfg: f.cfg, pool: f.pool}
	case f.versions[qualifier] != nil:
		v = f.versions[qualifier]
	case f.aliases[qualifier] != nil:
		v = f.versionOrLatest(f.aliases[qualifier].pick())
	default:
		return target{}, notFound(t.arn)
	}
	t.cfg, t.pool = v.cfg, v.pool
	return t, nil
}

// execute claims concurrency (waiting for it with wait) and runs one
// invocation in a sandbox of the target's pool. A retired pool (the
// function was updated meanwhile) is replaced by the current one.
func (s *Service) execute(ctx context.Context, key funcKey, in InvokeInput, requestID string, wait bool) (InvokeOutput, error) {
	t, err := s.target(key, in.Qualifier)
	if err != nil {
		return InvokeOutput{}, err
	}
	if wait && t.slot.reserved != nil && *t.slot.reserved == 0 {
		wait = false
	}
	if err := s.conc.acquire(ctx, t.slot, wait); err != nil {
		return InvokeOutput{}, err
	}
	defer s.conc.release(t.slot)
	sb, cold, err := t.pool.acquire()
	if errors.Is(err, errPoolClosed) {
		if cur, terr := s.target(key, in.Qualifier); terr == nil {
			t.cfg, t.pool = cur.cfg, cur.pool
			sb, cold, err = t.pool.acquire()
		}
	}
	out := InvokeOutput{Type: RequestResponse, ExecutedVersion: t.cfg.Version(), RequestID: requestID, ColdStart: cold}
	if err != nil {
		s.log.WarnContext(ctx, "lambda: sandbox did not start", slog.String("function", t.cfg.Name), slog.Any("err", err))
		return s.failed(out, &t.cfg, startFailure(requestID, err)), nil
	}
	inv := runtimeapi.Invocation{
		RequestID: requestID, FunctionArn: t.arn, TraceID: in.TraceID,
		ClientContext: in.ClientContext, Payload: in.Payload, Stream: in.Stream,
	}
	if inv.TraceID == "" {
		inv.TraceID = s.traceID()
	}
	if in.Started != nil {
		in.Started(t.cfg.Version())
	}
	// Like AWS, an invocation runs to its end even if the caller goes away.
	o := sb.Invoke(context.WithoutCancel(ctx), inv, time.Duration(t.cfg.Timeout)*time.Second)
	t.pool.release(sb, !sb.Dead())
	if !cold {
		o.InitTime = 0 // a provisioned sandbox initialised ahead
	}
	out.Payload, out.Streamed = o.Result.Payload, o.Result.Streamed
	if o.Result.Failed() {
		out.FunctionError = "Unhandled"
	}
	out.Log = report(&t.cfg, requestID, o)
	s.log.DebugContext(ctx, "lambda: invoked", slog.String("function", t.cfg.Name), slog.String("version", t.cfg.Version()),
		slog.String("request_id", requestID), slog.Bool("cold", cold), slog.Duration("duration", o.Duration),
		slog.String("log", string(out.Log)))
	return out, nil
}

func (s *Service) failed(out InvokeOutput, cfg *Function, res runtimeapi.Result) InvokeOutput {
	out.FunctionError, out.Payload = "Unhandled", res.Payload
	out.Log = report(cfg, out.RequestID, sandbox.Outcome{Result: res})
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
