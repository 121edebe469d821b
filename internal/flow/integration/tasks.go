package integration

import (
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/bus"
	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/flow"
	"github.com/fogbank/fogbank/internal/flow/engine"
	"github.com/fogbank/fogbank/internal/function"
	"github.com/fogbank/fogbank/internal/idgen"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/topic"
)

// Config holds the services Task states reach. A nil service makes its
// resources fail with States.Runtime.
type Config struct {
	Functions  *function.Service
	Queues     *queue.Service
	Topics     *topic.Service
	Buses      *bus.Service
	Executions flow.Executions
	Callbacks  flow.Callbacks
	// HTTP sends http:invoke requests; default: a client with AWS's 60 s
	// HTTP Task limit.
	HTTP   *http.Client
	Clock  clock.Clock
	IDs    idgen.Generator
	Logger *slog.Logger
	// Endpoint returns the server's base URL, for queue URLs in aws-sdk
	// outputs; default http://127.0.0.1:4566.
	Endpoint func() string
	// Account and Region are the caller of a Tasks not bound to an
	// execution with For.
	Account string
	Region  string
	// Mocks answers the tasks of executions started with a test case
	// (SFN_MOCK_CONFIG); nil: no mocking.
	Mocks *MockConfig
}

// Execution is what the tasks of one execution know about it.
type Execution struct {
	// Arn is the execution ARN.
	Arn string
	// StateMachineArn is the state machine's ARN, without a "#TestCase"
	// suffix.
	StateMachineArn string
	Account         string
	Region          string
	TraceHeader     string
	// TestCase is the Step Functions Local mock test case the execution
	// was started with ("<stateMachineArn>#<TestCase>"); empty: none.
	TestCase string
	// Submitted, when set, is told the service's answer to a callback or
	// .sync task's request before the task starts waiting (AWS records it
	// in a TaskSubmitted event).
	Submitted func(ctx context.Context, req engine.TaskRequest, output any)
}

// Tasks runs Task states' resources: it implements engine.Tasks.
type Tasks struct {
	cfg  Config
	exec Execution
}

// New builds the Tasks of cfg.
func New(cfg Config) *Tasks {
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	if cfg.IDs == nil {
		cfg.IDs = idgen.Random{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 60 * time.Second}
	}
	if cfg.Endpoint == nil {
		cfg.Endpoint = func() string { return "http://127.0.0.1:4566" }
	}
	cfg.Account = cmp.Or(cfg.Account, "000000000000")
	cfg.Region = cmp.Or(cfg.Region, "us-east-1")
	return &Tasks{cfg: cfg, exec: Execution{Account: cfg.Account, Region: cfg.Region}}
}

// For returns the Tasks of one execution. When the execution runs a test
// case of the mock configuration, the result answers the states the test
// case mocks from their mocked responses and runs the others.
func (t *Tasks) For(x Execution) engine.Tasks {
	x.Account = cmp.Or(x.Account, t.cfg.Account)
	x.Region = cmp.Or(x.Region, t.cfg.Region)
	bound := &Tasks{cfg: t.cfg, exec: x}
	if x.TestCase != "" && t.cfg.Mocks != nil {
		if m := t.cfg.Mocks.testCase(stateMachineName(x.StateMachineArn), x.TestCase); m != nil {
			return &mocked{next: bound, cfg: t.cfg.Mocks, states: m, counts: map[string]int{}}
		}
	}
	return bound
}

// ForExecution is For with the flow service's description of an execution
// (the flow.Config Tasks factory). A state machine ARN with a "#TestCase"
// suffix selects that mock test case.
func (t *Tasks) ForExecution(info flow.ExecutionInfo) engine.Tasks {
	return t.For(execution(info))
}

func (t *Tasks) bind(info flow.ExecutionInfo) *Tasks {
	x := execution(info)
	x.TestCase = ""
	x.Account = cmp.Or(x.Account, t.cfg.Account)
	x.Region = cmp.Or(x.Region, t.cfg.Region)
	return &Tasks{cfg: t.cfg, exec: x}
}

func execution(info flow.ExecutionInfo) Execution {
	sm, tc := SplitTestCase(info.StateMachineArn)
	return Execution{
		Arn: info.ExecutionArn, StateMachineArn: sm, TestCase: tc,
		Account: info.Caller.Account, Region: info.Caller.Region,
	}
}

// SplitTestCase splits the "<stateMachineArn>#<TestCase>" form StartExecution
// takes for a Step Functions Local mock test case.
func SplitTestCase(stateMachineArn string) (string, string) {
	a, tc, _ := strings.Cut(stateMachineArn, "#")
	return a, tc
}

func stateMachineName(smArn string) string {
	parts := strings.Split(smArn, ":")
	if len(parts) >= 7 {
		return parts[6]
	}
	return smArn
}

// pattern is a service integration pattern.
type pattern int

const (
	requestResponse pattern = iota
	runJob                  // .sync
	runJobJSON              // .sync:2
	waitForToken            // .waitForTaskToken
)

// call is one Task state's request as an integration sees it.
type call struct {
	req     engine.TaskRequest
	service string // "lambda", "sqs", "aws-sdk:sqs", ...
	action  string // "invoke", "sendMessage", ...
	pattern pattern
	params  map[string]any
}

// Invoke runs one Task state's resource. Tasks not bound with For take
// their execution from ctx (flow.ExecutionFrom) when it carries one; mock
// test cases need For or ForExecution, which count invocations per
// execution.
func (t *Tasks) Invoke(ctx context.Context, req engine.TaskRequest) (any, error) {
	if t.exec.Arn == "" {
		if info, ok := flow.ExecutionFrom(ctx); ok && info.ExecutionArn != "" {
			return t.bind(info).Invoke(ctx, req)
		}
	}
	if isFunctionArn(req.Resource) {
		return t.legacyLambda(ctx, req)
	}
	c, err := parseResource(req)
	if err != nil {
		return nil, err
	}
	run, ok := t.handler(c)
	if !ok {
		return nil, engine.NewTaskError(engine.ErrRuntime, "fogbank does not emulate the resource "+req.Resource+".")
	}
	switch c.pattern {
	case waitForToken:
		return t.awaitToken(ctx, c, run)
	default:
		return run(ctx, c)
	}
}

type runner func(ctx context.Context, c call) (any, error)

// handler finds the integration of a call.
func (t *Tasks) handler(c call) (runner, bool) {
	if svc, ok := strings.CutPrefix(c.service, "aws-sdk:"); ok {
		if c.pattern == runJob || c.pattern == runJobJSON {
			return nil, false
		}
		return t.awsSDK(svc, c.action)
	}
	key := c.service + ":" + c.action
	switch {
	case key == "lambda:invoke" && c.pattern != runJob && c.pattern != runJobJSON:
		return t.lambdaInvoke, true
	case key == "sqs:sendMessage" && c.pattern != runJob && c.pattern != runJobJSON:
		return t.sqsSend, true
	case key == "sns:publish" && c.pattern != runJob && c.pattern != runJobJSON:
		return t.snsPublish, true
	case key == "events:putEvents" && c.pattern != runJob && c.pattern != runJobJSON:
		return t.putEvents, true
	case key == "states:startExecution":
		return t.startExecution, true
	case key == "http:invoke" && c.pattern == requestResponse:
		return t.httpInvoke, true
	}
	return nil, false
}

// parseResource reads "arn:<partition>:states:::<service>:<action>[.suffix]".
func parseResource(req engine.TaskRequest) (call, error) {
	parts := strings.SplitN(req.Resource, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || parts[2] != "states" || parts[3] != "" || parts[4] != "" {
		return call{}, engine.NewTaskError(engine.ErrRuntime, "fogbank does not emulate the resource "+req.Resource+".")
	}
	c := call{req: req}
	rest := parts[5]
	for suffix, p := range map[string]pattern{".sync:2": runJobJSON, ".sync": runJob, ".waitForTaskToken": waitForToken} {
		if r, ok := strings.CutSuffix(rest, suffix); ok && c.pattern == requestResponse {
			rest, c.pattern = r, p
		}
	}
	i := strings.LastIndex(rest, ":")
	if i < 0 {
		return call{}, engine.NewTaskError(engine.ErrRuntime, "fogbank does not emulate the resource "+req.Resource+".")
	}
	c.service, c.action = rest[:i], rest[i+1:]
	switch in := req.Input.(type) {
	case map[string]any:
		c.params = in
	case nil:
		c.params = map[string]any{}
	default:
		return call{}, engine.NewTaskError(engine.ErrRuntime, "The parameters of resource "+req.Resource+" must be a JSON object.")
	}
	return c, nil
}

// checkFields fails a call whose parameters name a field the integration
// does not take.
func checkFields(c call, allowed ...string) error {
	for k := range c.params {
		ok := false
		for _, a := range allowed {
			ok = ok || k == a
		}
		if !ok {
			return engine.NewTaskError(engine.ErrRuntime, "The field \""+k+"\" is not supported by Step Functions")
		}
	}
	return nil
}

// awaitToken sends a callback task's request (unless a resumed task's
// request already went out) and waits for its token's outcome.
func (t *Tasks) awaitToken(ctx context.Context, c call, run runner) (any, error) {
	if t.cfg.Callbacks == nil {
		return nil, engine.NewTaskError(engine.ErrRuntime, "fogbank has no task token service configured.")
	}
	if !c.req.Resumed {
		out, err := run(ctx, c)
		if err != nil {
			return nil, err
		}
		if err := t.submitted(ctx, c.req, out); err != nil {
			return nil, err
		}
	}
	return t.cfg.Callbacks.Wait(ctx, c.req.Token, time.Duration(c.req.HeartbeatSeconds)*time.Second)
}

// submitted records the answer to a callback or .sync task's request
// (the engine's TaskSubmitted event, durable when it returns) and tells
// Execution.Submitted. An error halts the task.
func (t *Tasks) submitted(ctx context.Context, req engine.TaskRequest, out any) error {
	if req.Submit != nil {
		if err := req.Submit(out); err != nil {
			return err
		}
	}
	if t.exec.Submitted != nil {
		t.exec.Submitted(ctx, req, out)
	}
	return nil
}

// sdkMetadata builds the SdkHttpMetadata and SdkResponseMetadata the AWS SDK
// for Java reports, as Step Functions puts them in optimized integrations'
// outputs.
func (t *Tasks) sdkMetadata(out map[string]any, contentType string, length int, requestID string, extra ...[2]string) map[string]any {
	headers := [][2]string{
		{"x-amzn-RequestId", requestID},
		{"connection", "keep-alive"},
		{"Content-Length", itoa(length)},
		{"Date", t.cfg.Clock.Now().UTC().Format(http.TimeFormat)},
		{"Content-Type", contentType},
	}
	headers = append(headers, extra...)
	all := make(map[string]any, len(headers))
	flat := make(map[string]any, len(headers))
	for _, h := range headers {
		all[h[0]] = []any{h[1]}
		flat[h[0]] = h[1]
	}
	out["SdkHttpMetadata"] = map[string]any{"AllHttpHeaders": all, "HttpHeaders": flat, "HttpStatusCode": json.Number("200")}
	out["SdkResponseMetadata"] = map[string]any{"RequestId": requestID}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// serviceError renders a service's error as the AWS SDK for Java words it
// in a Task failure's cause.
func serviceError(name, cause, service, code string, status int, requestID string) error {
	return engine.NewTaskError(name, cause+" (Service: "+service+"; Status Code: "+itoa(status)+"; Error Code: "+code+"; Request ID: "+requestID+"; Proxy: null)")
}

// text returns a parameter as a string: strings as they are, other JSON
// values as their JSON text.
func text(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// str returns a string parameter, or "" when absent or not a string.
func str(params map[string]any, key string) string {
	s, _ := params[key].(string)
	return s
}

// decodeJSON parses JSON text into the engine's value model (numbers as
// json.Number); ok is false for text that is not JSON.
func decodeJSON(b []byte) (any, bool) {
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil || d.More() {
		return nil, false
	}
	return v, true
}
