package integration_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/bus"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/flow"
	"github.com/fogbank/fogbank/internal/flow/engine"
	"github.com/fogbank/fogbank/internal/flow/integration"
	"github.com/fogbank/fogbank/internal/function"
	"github.com/fogbank/fogbank/internal/function/functiontest"
	"github.com/fogbank/fogbank/internal/idgen"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store/sqlite"
	"github.com/fogbank/fogbank/internal/topic"
)

const (
	account = "000000000000"
	region  = "us-east-1"
	role    = "arn:aws:iam::000000000000:role/r"
	execArn = "arn:aws:states:us-east-1:000000000000:execution:parent:run-1"
)

// env is one test's fogbank services, built in process as internal/app
// builds them, and the Tasks over them.
type env struct {
	t          *testing.T
	queues     *queue.Service
	topics     *topic.Service
	funcs      *function.Service
	buses      *bus.Service
	dispatcher *delivery.Dispatcher
	execs      *executions
	callbacks  *callbacks
	tasks      *integration.Tasks
	run        engine.Tasks // tasks bound to execArn
}

func setup(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "fogbank.db"))
	require.NoError(t, err)
	ids := idgen.Random{}
	q := queue.New(queue.Config{Store: st, IDs: ids})
	require.NoError(t, q.Start(t.Context()))
	d := delivery.New(delivery.Config{Store: st, Queues: q})
	fn := function.New(function.Config{Store: st, IDs: ids, Jobs: d, CodeDir: filepath.Join(dir, "code")})
	require.NoError(t, fn.Start(t.Context()))
	d.Handle(function.JobKind, fn.Handler())
	tp := topic.New(topic.Config{Store: st, IDs: ids, Queues: q, Delivery: d, Functions: fn})
	require.NoError(t, tp.Start(t.Context()))
	for kind, h := range tp.Handlers() {
		d.Handle(kind, h)
	}
	b := bus.New(bus.Config{Store: st, IDs: ids, Queues: q, Topics: tp, Jobs: d, Functions: fn, Endpoint: func() string { return "http://127.0.0.1:4566" }})
	require.NoError(t, b.Start(t.Context()))
	d.Handle(bus.JobKind, b.Handler())
	require.NoError(t, d.Start(t.Context()))
	t.Cleanup(func() {
		d.Stop()
		b.Stop()
		tp.Stop()
		fn.Stop()
		q.Stop()
		_ = st.Close()
	})
	e := &env{t: t, queues: q, topics: tp, funcs: fn, buses: b, dispatcher: d, execs: newExecutions(), callbacks: newCallbacks()}
	e.execs.tokens = e.callbacks
	e.tasks = integration.New(integration.Config{
		Functions: fn, Queues: q, Topics: tp, Buses: b, Executions: e.execs, Callbacks: e.callbacks,
		Account: account, Region: region,
	})
	e.run = e.tasks.For(integration.Execution{Arn: execArn, StateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:parent"})
	return e
}

// invoke runs one Task request against the execution's tasks.
func (e *env) invoke(resource string, input any) (map[string]any, *engine.Failure) {
	e.t.Helper()
	return e.invokeReq(engine.TaskRequest{Resource: resource, Input: decode(e.t, input), StateName: "Task"})
}

func (e *env) invokeReq(req engine.TaskRequest) (map[string]any, *engine.Failure) {
	e.t.Helper()
	out, err := e.run.Invoke(e.t.Context(), req)
	if err != nil {
		return nil, failureOf(e.t, err)
	}
	m, _ := out.(map[string]any)
	if m == nil {
		return map[string]any{"value": out}, nil
	}
	return m, nil
}

// failureOf reads a Tasks error back: engine errors print "Error: Cause".
func failureOf(t *testing.T, err error) *engine.Failure {
	t.Helper()
	name, cause, ok := strings.Cut(err.Error(), ": ")
	require.True(t, ok, err.Error())
	return &engine.Failure{Error: name, Cause: cause}
}

// decode turns a Go value or JSON text into the engine's value model.
func decode(t *testing.T, v any) any {
	t.Helper()
	b, ok := v.(string)
	if !ok {
		raw, err := json.Marshal(v)
		require.NoError(t, err)
		b = string(raw)
	}
	d := json.NewDecoder(strings.NewReader(b))
	d.UseNumber()
	var out any
	require.NoError(t, d.Decode(&out))
	return out
}

// function creates a function running the test bootstrap, which echoes
// its event and fails on {"action": "error"}.
func (e *env) function(name string) string {
	e.t.Helper()
	r := role
	f, err := e.funcs.CreateFunction(e.t.Context(), function.Caller{Account: account, Region: region}, function.CreateInput{
		Name: name, Runtime: "provided.al2023", Role: &r, Handler: "h", ZipFile: functiontest.Zip(e.t, nil),
	})
	require.NoError(e.t, err)
	return f.ARN()
}

func (e *env) queue(name string, attrs map[string]string) string {
	e.t.Helper()
	ref, err := e.queues.CreateQueue(e.t.Context(), queue.CreateQueueInput{Caller: queue.Caller{Account: account, Region: region}, Name: name, Attributes: attrs})
	require.NoError(e.t, err)
	return "http://127.0.0.1:4566/" + ref.Account + "/" + ref.Name
}

// receive waits for one message on a queue.
func (e *env) receive(name string) queue.ReceivedMessage {
	e.t.Helper()
	wait := int64(5)
	msgs, err := e.queues.ReceiveMessage(e.t.Context(), queue.ReceiveMessageInput{
		Caller: queue.Caller{Account: account, Region: region}, Queue: queue.QueueRef{Account: account, Name: name}, WaitTimeSeconds: &wait,
	})
	require.NoError(e.t, err)
	require.Len(e.t, msgs, 1)
	return msgs[0]
}

// receiveAll waits for one message on a queue with its message attributes.
func (e *env) receiveAll(name string) queue.ReceivedMessage {
	e.t.Helper()
	wait := int64(10)
	msgs, err := e.queues.ReceiveMessage(e.t.Context(), queue.ReceiveMessageInput{
		Caller: queue.Caller{Account: account, Region: region}, Queue: queue.QueueRef{Account: account, Name: name},
		WaitTimeSeconds: &wait, MessageAttributeNames: []string{"All"},
	})
	require.NoError(e.t, err)
	require.Len(e.t, msgs, 1)
	return msgs[0]
}

// executions is a recording flow.Executions: the flow service is built
// elsewhere, and these tests pin what the integration asks of it.
type executions struct {
	mu      sync.Mutex
	started []flow.StartExecutionInput
	ends    map[string]flow.ExecutionDescription // by name: how WaitExecution answers
	startCh chan flow.StartExecutionInput
	tokens  *callbacks
}

func newExecutions() *executions {
	return &executions{ends: map[string]flow.ExecutionDescription{}, startCh: make(chan flow.StartExecutionInput, 16)}
}

func (x *executions) StartExecution(_ context.Context, in flow.StartExecutionInput) (flow.StartExecutionOutput, error) {
	if !strings.Contains(in.StateMachineArn, ":stateMachine:") {
		return flow.StartExecutionOutput{}, &flow.Error{Code: flow.CodeInvalidArn, Message: "Invalid Arn: '" + in.StateMachineArn + "'"}
	}
	if strings.HasSuffix(in.StateMachineArn, ":missing") {
		return flow.StartExecutionOutput{}, &flow.Error{Code: flow.CodeStateMachineDoesNotExist, Message: "State Machine Does Not Exist: '" + in.StateMachineArn + "'"}
	}
	x.mu.Lock()
	x.started = append(x.started, in)
	x.mu.Unlock()
	x.startCh <- in
	name := in.Name
	return flow.StartExecutionOutput{ExecutionArn: executionArn(in.StateMachineArn, name), StartDate: time.UnixMilli(1_700_000_000_123)}, nil
}

func executionArn(sm, name string) string {
	return strings.Replace(sm, ":stateMachine:", ":execution:", 1) + ":" + name
}

func (x *executions) WaitExecution(ctx context.Context, a string) (flow.ExecutionDescription, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	name := a[strings.LastIndex(a, ":")+1:]
	d, ok := x.ends[name]
	if name == "running" { // a child that does not end while the test runs
		x.mu.Unlock()
		<-ctx.Done()
		x.mu.Lock()
		return flow.ExecutionDescription{}, ctx.Err()
	}
	if !ok {
		return flow.ExecutionDescription{}, &flow.Error{Code: flow.CodeExecutionDoesNotExist, Message: "Execution Does Not Exist: '" + a + "'"}
	}
	return d, nil
}

func (x *executions) StopExecution(context.Context, string, string, string) error { return nil }

// SendTaskSuccess hands the output to the recording callbacks, as the
// flow service does for a known token.
func (x *executions) SendTaskSuccess(_ context.Context, token, output string) error {
	if x.tokens == nil || !x.tokens.known(token) {
		return &flow.Error{Code: flow.CodeInvalidToken, Message: "Invalid Token: '" + token + "'"}
	}
	x.tokens.ch(token) <- outcome{output: output}
	return nil
}

func (x *executions) SendTaskFailure(context.Context, string, string, string) error { return nil }

func (x *executions) SendTaskHeartbeat(context.Context, string) error { return nil }

// callbacks is a flow.Callbacks whose outcomes the test sends.
type callbacks struct {
	mu       sync.Mutex
	outcomes map[string]chan outcome
}

type outcome struct {
	output any
	err    error
}

func newCallbacks() *callbacks { return &callbacks{outcomes: map[string]chan outcome{}} }

func (c *callbacks) ch(token string) chan outcome {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.outcomes[token] == nil {
		c.outcomes[token] = make(chan outcome, 1)
	}
	return c.outcomes[token]
}

func (c *callbacks) known(token string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.outcomes[token] != nil
}

func (c *callbacks) Wait(ctx context.Context, token string, _ time.Duration) (any, error) {
	select {
	case o := <-c.ch(token):
		return o.output, o.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *callbacks) succeed(token string, output any) { c.ch(token) <- outcome{output: output} }

func integrationExecution(submitted func(any)) integration.Execution {
	return integration.Execution{
		Arn: execArn, StateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:parent",
		Submitted: func(_ context.Context, _ engine.TaskRequest, out any) { submitted(out) },
	}
}

func taskReq(t *testing.T, resource string, input any) engine.TaskRequest {
	t.Helper()
	return engine.TaskRequest{Resource: resource, Input: decode(t, input), StateName: "Task"}
}

func jsonNum(s string) json.Number { return json.Number(s) }
