package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/function/functiontest"
)

// realHandler is a function written against a runtime's own client: the
// aws-lambda-go handler (functiontest/golambda), a Node.js and a Python one,
// each echoing its event, failing with {"action":"error","msg":...} and
// answering an SQS batch with the records whose body holds "fail": true.
type realHandler struct {
	interpreter string // skip when not on PATH; "" for none
	runtime     ltypes.Runtime
	handler     string
	zip         func(t *testing.T) []byte
	errorType   string // the error type of {"action":"error"}
}

const nodeRealHandler = `
exports.handler = async (event) => {
  if (event.Records) {
    return { batchItemFailures: event.Records.filter((r) => JSON.parse(r.body).fail).map((r) => ({ itemIdentifier: r.messageId })) };
  }
  if (event.action === "error") throw new Error(event.msg);
  return { action: event.action, msg: event.msg };
};
`

const pythonRealHandler = `
import json

def handler(event, context):
    if "Records" in event:
        return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"] if json.loads(r["body"]).get("fail")]}
    if event.get("action") == "error":
        raise ValueError(event.get("msg"))
    return {"action": event.get("action"), "msg": event.get("msg")}
`

var realHandlers = map[string]realHandler{
	"go": {
		runtime: ltypes.RuntimeProvidedal2023, handler: "bootstrap", errorType: "errorString",
		zip: func(t *testing.T) []byte { return functiontest.GoLambdaZip(t) },
	},
	"node": {
		interpreter: "node", runtime: ltypes.RuntimeNodejs20x, handler: "index.handler", errorType: "Error",
		zip: func(t *testing.T) []byte {
			return functiontest.Files(t, map[string]string{"index.js": nodeRealHandler})
		},
	},
	"python": {
		interpreter: "python3", runtime: ltypes.RuntimePython312, handler: "app.handler", errorType: "ValueError",
		zip: func(t *testing.T) []byte {
			return functiontest.Files(t, map[string]string{"app.py": pythonRealHandler})
		},
	},
}

// create creates the function; it skips the test without the interpreter.
func (h realHandler) create(t *testing.T, e lambdaEnv, name string) *lambda.CreateFunctionOutput {
	t.Helper()
	if h.interpreter != "" {
		needInterpreter(t, h.interpreter)
	}
	return e.createZip(name, h.runtime, h.handler, h.zip(t))
}

// eachRealHandler runs test once per runtime, in parallel.
func eachRealHandler(t *testing.T, test func(t *testing.T, h realHandler)) {
	t.Helper()
	for name, h := range realHandlers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			test(t, h)
		})
	}
}

func TestLambdaRealHandlerSync(t *testing.T) {
	t.Parallel()
	eachRealHandler(t, func(t *testing.T, h realHandler) {
		e := setupLambda(t)
		h.create(t, e, "sync")
		out := e.invoke("sync", map[string]any{"action": "echo", "msg": "hi"})
		require.Nil(t, out.FunctionError, string(out.Payload))
		require.JSONEq(t, `{"action":"echo","msg":"hi"}`, string(out.Payload))
		require.Equal(t, "$LATEST", *out.ExecutedVersion)

		p := decodeError(t, e.invoke("sync", map[string]any{"action": "error", "msg": "boom"}))
		require.Equal(t, h.errorType, p.ErrorType)
		require.Equal(t, "boom", p.ErrorMessage)
	})
}

// A failing asynchronous invocation is retried MaximumRetryAttempts times,
// then its record goes to the OnFailure queue.
func TestLambdaRealHandlerAsyncOnFailure(t *testing.T) {
	t.Parallel()
	eachRealHandler(t, func(t *testing.T, h realHandler) {
		e := setupAsync(t)
		fn := h.create(t, e.fn, "async")
		failURL := e.createQueue("on-failure", nil)
		_, err := e.fn.l.PutFunctionEventInvokeConfig(e.ctx, &lambda.PutFunctionEventInvokeConfigInput{
			FunctionName: aws.String("async"), MaximumRetryAttempts: aws.Int32(2),
			DestinationConfig: &ltypes.DestinationConfig{OnFailure: &ltypes.OnFailure{Destination: aws.String(e.arn(failURL))}},
		})
		require.NoError(t, err)

		e.invokeEvent("async", map[string]any{"action": "error", "msg": "boom"})
		rec := decodeRecord(t, *e.receive(failURL, 1)[0].Body)
		require.Equal(t, "RetriesExhausted", rec.RequestContext.Condition)
		require.Equal(t, 3, rec.RequestContext.ApproximateInvokeCount)
		require.Equal(t, *fn.FunctionArn+":$LATEST", rec.RequestContext.FunctionArn)
		require.Equal(t, map[string]any{"action": "error", "msg": "boom"}, rec.RequestPayload)
		require.Equal(t, "Unhandled", rec.ResponseContext.FunctionError)
		require.Equal(t, "boom", rec.ResponsePayload["errorMessage"])
		require.Equal(t, h.errorType, rec.ResponsePayload["errorType"])
	})
}

// With ReportBatchItemFailures only the records the handler names return
// (and, after maxReceiveCount 1, reach the queue's DLQ).
func TestLambdaRealHandlerSQSPartialBatchFailure(t *testing.T) {
	t.Parallel()
	eachRealHandler(t, func(t *testing.T, h realHandler) {
		e := setupESM(t)
		h.create(t, e.fn, "esm")
		dlq := e.createQueue("partial-dlq", nil)
		qURL := e.createQueue("partial-q", map[string]string{
			"VisibilityTimeout": "1",
			"RedrivePolicy":     fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":1}`, e.arn(dlq)),
		})
		e.send(qURL, `{"n":1}`)
		e.send(qURL, `{"n":2,"fail":true}`)
		e.send(qURL, `{"n":3}`)
		qArn := e.arn(qURL)
		e.mapping(lambda.CreateEventSourceMappingInput{
			EventSourceArn: &qArn, FunctionName: aws.String("esm"), BatchSize: aws.Int32(10),
			FunctionResponseTypes: []ltypes.FunctionResponseType{ltypes.FunctionResponseTypeReportBatchItemFailures},
		})
		var got []types.Message
		require.Eventually(t, func() bool {
			got = append(got, e.receive(dlq)...)
			return len(got) >= 1
		}, 20*time.Second, 100*time.Millisecond)
		require.Len(t, got, 1)
		require.JSONEq(t, `{"n":2,"fail":true}`, *got[0].Body)
		e.waitEmpty(qURL)
		require.Empty(t, e.receive(dlq), "the records that succeeded were deleted")
	})
}

// createGoLambda creates a function running the aws-lambda-go handler.
func (e lambdaEnv) createGoLambda(name string, timeout int32) *lambda.CreateFunctionOutput {
	e.t.Helper()
	out, err := e.l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: &name, Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String(lambdaRole), Handler: aws.String("bootstrap"),
		Timeout: &timeout, Code: &ltypes.FunctionCode{ZipFile: functiontest.GoLambdaZip(e.t)},
	})
	require.NoError(e.t, err)
	return out
}

// An aws-lambda-go handler that overruns its timeout is killed
// (Sandbox.Timedout); one that exits is a Runtime.ExitError; a new sandbox
// serves the next invocation.
func TestLambdaGoLambdaTimeoutAndCrash(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.createGoLambda("gtime", 1)
	p := decodeError(t, e.invoke("gtime", map[string]any{"action": "sleep", "ms": 5000}))
	require.Equal(t, "Sandbox.Timedout", p.ErrorType)
	require.True(t, strings.HasSuffix(p.ErrorMessage, "Error: Task timed out after 1.00 seconds"), p.ErrorMessage)

	out := e.invoke("gtime", map[string]any{"action": "sleep", "ms": 10})
	require.Nil(t, out.FunctionError, string(out.Payload))

	p = decodeError(t, e.invoke("gtime", map[string]any{"action": "exit"}))
	require.Equal(t, "Runtime.ExitError", p.ErrorType)
	require.Contains(t, p.ErrorMessage, "Runtime exited with error: exit status 3")

	out = e.invoke("gtime", map[string]any{"action": "echo", "msg": "again"})
	require.Nil(t, out.FunctionError, string(out.Payload))
	require.JSONEq(t, `{"action":"echo","msg":"again"}`, string(out.Payload))
}

// With reserved concurrency 1 and an invocation in flight, the next is
// throttled with its Reason; with 0, every one is.
func TestLambdaGoLambdaThrottling(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.createGoLambda("gthr", 10)
	_, err := e.l.PutFunctionConcurrency(e.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("gthr"), ReservedConcurrentExecutions: aws.Int32(1)})
	require.NoError(t, err)

	h := holdServer(t)
	held := make(chan error, 1)
	payload, err := json.Marshal(map[string]string{"action": "notify", "url": h.url})
	require.NoError(t, err)
	go func() {
		_, err := e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("gthr"), Payload: payload})
		held <- err
	}()
	select {
	case <-h.arrived: // the handler is blocked in its POST
	case <-time.After(30 * time.Second):
		t.Fatal("the held invocation did not start")
	}
	_, err = e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("gthr")})
	requireThrottled(t, err, "ReservedFunctionConcurrentInvocationLimitExceeded")
	h.release()
	require.NoError(t, <-held)
	e.invoke("gthr", map[string]any{"action": "echo"})

	_, err = e.l.PutFunctionConcurrency(e.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("gthr"), ReservedConcurrentExecutions: aws.Int32(0)})
	require.NoError(t, err)
	_, err = e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("gthr")})
	requireThrottled(t, err, "ReservedFunctionConcurrentInvocationLimitExceeded")
}

// A provisioned version is READY and serves warm: no Init Duration in the
// report, unlike the cold $LATEST.
func TestLambdaGoLambdaProvisionedConcurrency(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.createGoLambda("gpc", 5)
	_, logs := e.invokeRaw(&lambda.InvokeInput{FunctionName: aws.String("gpc"), Payload: []byte(`{"action":"context"}`)})
	require.Contains(t, logs, "Init Duration", "an on-demand first invocation starts cold")

	v := e.publish("gpc", "")
	_, err := e.l.PutProvisionedConcurrencyConfig(e.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
		FunctionName: aws.String("gpc"), Qualifier: &v, ProvisionedConcurrentExecutions: aws.Int32(1),
	})
	require.NoError(t, err)
	e.waitProvisioned("gpc", v, 1)
	out, logs := e.invokeRaw(&lambda.InvokeInput{FunctionName: aws.String("gpc"), Qualifier: &v, Payload: []byte(`{"action":"context"}`)})
	require.Nil(t, out.FunctionError, string(out.Payload))
	require.Equal(t, v, *out.ExecutedVersion)
	require.Contains(t, logs, "REPORT RequestId:")
	require.NotContains(t, logs, "Init Duration", "a provisioned sandbox serves warm")
	var c struct {
		FunctionArn string `json:"functionArn"`
	}
	require.NoError(t, json.Unmarshal(out.Payload, &c))
	require.Equal(t, fnArn+"gpc:"+v, c.FunctionArn)
}

// A hot-reloaded directory holding the compiled aws-lambda-go bootstrap and
// a data file the handler reads at init: a change to the file retires the
// warm sandbox, and the next (cold) start reads the new content.
func TestLambdaGoLambdaHotReload(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	dir := t.TempDir()
	bin, err := os.ReadFile(functiontest.GoLambda(t))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bootstrap"), bin, 0o755)) //nolint:gosec // an executable bootstrap
	require.NoError(t, os.WriteFile(filepath.Join(dir, "data.txt"), []byte("v1"), 0o600))
	_, err = e.l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("ghot"), Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String(lambdaRole),
		Handler: aws.String("bootstrap"), Code: hotReloadCode(dir),
	})
	require.NoError(t, err)
	data := func() (string, string) {
		t.Helper()
		out, logs := e.invokeRaw(&lambda.InvokeInput{FunctionName: aws.String("ghot"), Payload: []byte(`{"action":"file"}`)})
		require.Nil(t, out.FunctionError, string(out.Payload))
		var r struct{ Msg string }
		require.NoError(t, json.Unmarshal(out.Payload, &r))
		return r.Msg, logs
	}
	got, logs := data()
	require.Equal(t, "v1", got)
	require.Contains(t, logs, "Init Duration")
	got, logs = data()
	require.Equal(t, "v1", got)
	require.NotContains(t, logs, "Init Duration", "unchanged: the warm sandbox is reused")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "data.txt"), []byte("v2"), 0o600))
	got, logs = data()
	require.Equal(t, "v2", got, "changed: a cold start reads the new file")
	require.Contains(t, logs, "Init Duration")
}
