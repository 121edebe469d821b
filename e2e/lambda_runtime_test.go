package e2e

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/function/functiontest"
)

// needInterpreter skips a test when a runtime's interpreter is not on PATH,
// except under CI=true, where the runtimes must be tested.
func needInterpreter(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not on PATH; CI must install it (.ci/run)", name)
		}
		t.Skipf("%s is not on PATH: the %s runtime tests need it", name, name)
	}
}

// createZip creates a function of any runtime from a zip.
func (e lambdaEnv) createZip(name string, runtime ltypes.Runtime, handler string, zip []byte) *lambda.CreateFunctionOutput {
	e.t.Helper()
	out, err := e.l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: &name, Runtime: runtime, Role: aws.String(lambdaRole), Handler: &handler,
		Timeout: aws.Int32(10), Code: &ltypes.FunctionCode{ZipFile: zip},
	})
	require.NoError(e.t, err)
	return out
}

// invokeRaw invokes synchronously with a raw payload and decodes the log.
func (e lambdaEnv) invokeRaw(in *lambda.InvokeInput) (*lambda.InvokeOutput, string) {
	e.t.Helper()
	in.LogType = ltypes.LogTypeTail
	out, err := e.l.Invoke(e.ctx, in)
	require.NoError(e.t, err)
	logs, err := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
	require.NoError(e.t, err)
	return out, string(logs)
}

type errorPayload struct {
	ErrorMessage string          `json:"errorMessage"`
	ErrorType    string          `json:"errorType"`
	RequestID    *string         `json:"requestId"`
	StackTrace   json.RawMessage `json:"stackTrace"`
	Trace        []string        `json:"trace"`
}

func decodeError(t *testing.T, out *lambda.InvokeOutput) errorPayload {
	t.Helper()
	require.Equal(t, "Unhandled", aws.ToString(out.FunctionError), string(out.Payload))
	var p errorPayload
	require.NoError(t, json.Unmarshal(out.Payload, &p), string(out.Payload))
	return p
}

func TestLambdaGoRuntime(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.createZip("go", ltypes.RuntimeProvidedal2023, "bootstrap", functiontest.GoLambdaZip(t))

	out := e.invoke("go", map[string]any{"action": "echo", "msg": "hi"})
	require.Nil(t, out.FunctionError)
	require.JSONEq(t, `{"action":"echo","msg":"hi"}`, string(out.Payload))

	clientContext := base64.StdEncoding.EncodeToString([]byte(`{"custom":{"k":"v"},"env":{},"client":{}}`))
	out, _ = e.invokeRaw(&lambda.InvokeInput{FunctionName: aws.String("go"), Payload: []byte(`{"action":"context"}`), ClientContext: &clientContext})
	var c struct {
		RequestID, FunctionArn, TraceID, FunctionName string
		RemainingMs                                   int64
		MemoryMB                                      int
		ClientCustom                                  map[string]string
		ExecutionEnvAbsent                            bool
	}
	require.NoError(t, json.Unmarshal(out.Payload, &c), string(out.Payload))
	require.Regexp(t, `^[0-9a-f-]{36}$`, c.RequestID)
	require.Equal(t, "arn:aws:lambda:us-east-1:000000000000:function:go", c.FunctionArn)
	require.True(t, strings.HasPrefix(c.TraceID, "Root=1-"), c.TraceID)
	require.Equal(t, "go", c.FunctionName)
	require.Equal(t, 128, c.MemoryMB)
	require.Greater(t, c.RemainingMs, int64(5000))
	require.LessOrEqual(t, c.RemainingMs, int64(10000))
	require.Equal(t, map[string]string{"k": "v"}, c.ClientCustom)
	require.True(t, c.ExecutionEnvAbsent, "provided.* has no AWS_EXECUTION_ENV")

	out = e.invoke("go", map[string]any{"action": "error", "msg": "went wrong"})
	p := decodeError(t, out)
	require.Equal(t, "errorString", p.ErrorType)
	require.Equal(t, "went wrong", p.ErrorMessage)

	out = e.invoke("go", map[string]any{"action": "panic", "msg": "boom"})
	p = decodeError(t, out)
	require.Equal(t, "boom", p.ErrorMessage)
	require.Equal(t, "string", p.ErrorType)
	require.Contains(t, string(p.StackTrace), `"label":"handle"`)

	out = e.invoke("go", map[string]any{"action": "echo", "msg": "after the panic"})
	require.Nil(t, out.FunctionError, string(out.Payload))
	require.JSONEq(t, `{"action":"echo","msg":"after the panic"}`, string(out.Payload))

	url, got := notifications(t)
	ev, err := json.Marshal(map[string]any{"action": "notify", "url": url, "msg": "async"})
	require.NoError(t, err)
	async, err := e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("go"), InvocationType: ltypes.InvocationTypeEvent, Payload: ev})
	require.NoError(t, err)
	require.Equal(t, int32(202), async.StatusCode)
	select {
	case b := <-got:
		require.Contains(t, string(b), `"msg":"async"`)
	case <-time.After(20 * time.Second):
		t.Fatal("the async invocation did not run the Go handler")
	}
}

const nodeCJS = `
exports.handler = async (event, context) => {
  console.log("hello", event.x);
  console.error("oops");
  return {
    x: event.x, functionName: context.functionName, functionVersion: context.functionVersion,
    arn: context.invokedFunctionArn, memory: context.memoryLimitInMB, requestId: context.awsRequestId,
    logGroup: context.logGroupName, logStream: context.logStreamName, remaining: context.getRemainingTimeInMillis(),
    waits: context.callbackWaitsForEmptyEventLoop, trace: process.env._X_AMZN_TRACE_ID,
    execEnv: process.env.AWS_EXECUTION_ENV,
  };
};
exports.callback = (event, context, callback) => { callback(null, { cb: event.x }); };
exports.fails = async () => { throw new Error("boom"); };
exports.notfn = 3;
`

func TestLambdaNodeRuntime(t *testing.T) {
	t.Parallel()
	needInterpreter(t, "node")
	e := setupLambda(t)
	zip := functiontest.Files(t, map[string]string{
		"index.js":          nodeCJS,
		"esm.mjs":           `export const handler = async (event) => ({ esm: event.x });`,
		"src/lib/nested.js": `module.exports.handler = async (e) => ({ nested: e.x });`,
		"mod.cjs":           `module.exports.handler = async () => "cjs";`,
	})
	for name, handler := range map[string]string{
		"cjs": "index.handler", "cb": "index.callback", "esm": "esm.handler", "nested": "src/lib/nested.handler",
		"dotcjs": "mod.handler", "fails": "index.fails", "nomod": "missing.handler", "nofn": "index.nothere", "notfn": "index.notfn",
	} {
		e.createZip(name, ltypes.RuntimeNodejs20x, handler, zip)
	}

	out, logs := e.invokeRaw(&lambda.InvokeInput{FunctionName: aws.String("cjs"), Payload: []byte(`{"x":7}`)})
	require.Nil(t, out.FunctionError, string(out.Payload))
	var c map[string]any
	require.NoError(t, json.Unmarshal(out.Payload, &c))
	require.Equal(t, float64(7), c["x"])
	require.Equal(t, "cjs", c["functionName"])
	require.Equal(t, "$LATEST", c["functionVersion"])
	require.Equal(t, "arn:aws:lambda:us-east-1:000000000000:function:cjs", c["arn"])
	require.Equal(t, "128", c["memory"])
	require.Equal(t, "/aws/lambda/cjs", c["logGroup"])
	require.Contains(t, c["logStream"], "/[$LATEST]")
	require.Equal(t, true, c["waits"])
	require.Equal(t, "AWS_Lambda_nodejs20.x", c["execEnv"])
	require.Greater(t, c["remaining"], float64(5000))
	require.True(t, strings.HasPrefix(c["trace"].(string), "Root=1-"))
	id := c["requestId"].(string)
	require.Regexp(t, regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t`+id+`\tINFO\thello 7\n`), logs)
	require.Contains(t, logs, "\t"+id+"\tERROR\toops\n")

	out = e.invoke("cjs", map[string]any{"x": 8})
	var c2 map[string]any
	require.NoError(t, json.Unmarshal(out.Payload, &c2))
	require.NotEqual(t, c["trace"], c2["trace"], "_X_AMZN_TRACE_ID is set per invoke")

	for name, want := range map[string]string{"cb": `{"cb":1}`, "esm": `{"esm":1}`, "nested": `{"nested":1}`, "dotcjs": `"cjs"`} {
		out = e.invoke(name, map[string]any{"x": 1})
		require.Nil(t, out.FunctionError, "%s: %s", name, out.Payload)
		require.JSONEq(t, want, string(out.Payload), name)
	}

	out, logs = e.invokeRaw(&lambda.InvokeInput{FunctionName: aws.String("fails")})
	p := decodeError(t, out)
	require.Equal(t, "Error", p.ErrorType)
	require.Equal(t, "boom", p.ErrorMessage)
	require.Equal(t, "Error: boom", p.Trace[0])
	require.Contains(t, logs, "\tERROR\tInvoke Error \t{\"errorType\":\"Error\",\"errorMessage\":\"boom\"")

	p = decodeError(t, e.invoke("nomod", map[string]any{}))
	require.Equal(t, "Runtime.ImportModuleError", p.ErrorType)
	require.True(t, strings.HasPrefix(p.ErrorMessage, "Error: Cannot find module 'missing'\nRequire stack:"), p.ErrorMessage)
	p = decodeError(t, e.invoke("nofn", map[string]any{}))
	require.Equal(t, "Runtime.HandlerNotFound", p.ErrorType)
	require.Equal(t, "index.nothere is undefined or not exported", p.ErrorMessage)
	p = decodeError(t, e.invoke("notfn", map[string]any{}))
	require.Equal(t, "Runtime.HandlerNotFound", p.ErrorType)
	require.Equal(t, "index.notfn is not a function", p.ErrorMessage)
}

const pythonHandler = `
import os
print("imported")

def handler(event, context):
    print("hello", event.get("x"))
    return {
        "x": event.get("x"), "function_name": context.function_name, "function_version": context.function_version,
        "arn": context.invoked_function_arn, "memory": context.memory_limit_in_mb, "request_id": context.aws_request_id,
        "log_group": context.log_group_name, "log_stream": context.log_stream_name,
        "remaining": context.get_remaining_time_in_millis(), "trace": os.environ.get("_X_AMZN_TRACE_ID"),
        "client_custom": context.client_context.custom if context.client_context else None,
        "exec_env": os.environ.get("AWS_EXECUTION_ENV"),
    }

def fails(event, context):
    raise ValueError("bad value")
`

func TestLambdaPythonRuntime(t *testing.T) {
	t.Parallel()
	needInterpreter(t, "python3")
	e := setupLambda(t)
	zip := functiontest.Files(t, map[string]string{
		"app.py":          pythonHandler,
		"pkg/__init__.py": "",
		"pkg/inner.py":    "def handler(event, context):\n    return 'inner'\n",
		"broken.py":       "import does_not_exist\n",
	})
	for name, handler := range map[string]string{
		"py": "app.handler", "fails": "app.fails", "nested": "pkg/inner.handler", "nomod": "nothere.handler",
		"broken": "broken.handler", "nofn": "app.missing",
	} {
		e.createZip(name, ltypes.RuntimePython312, handler, zip)
	}

	clientContext := base64.StdEncoding.EncodeToString([]byte(`{"custom":{"k":"v"}}`))
	out, logs := e.invokeRaw(&lambda.InvokeInput{FunctionName: aws.String("py"), Payload: []byte(`{"x":3}`), ClientContext: &clientContext})
	require.Nil(t, out.FunctionError, string(out.Payload))
	var c map[string]any
	require.NoError(t, json.Unmarshal(out.Payload, &c))
	require.Equal(t, float64(3), c["x"])
	require.Equal(t, "py", c["function_name"])
	require.Equal(t, "$LATEST", c["function_version"])
	require.Equal(t, "arn:aws:lambda:us-east-1:000000000000:function:py", c["arn"])
	require.Equal(t, "128", c["memory"])
	require.Equal(t, "/aws/lambda/py", c["log_group"])
	require.Equal(t, "AWS_Lambda_python3.12", c["exec_env"])
	require.Equal(t, map[string]any{"k": "v"}, c["client_custom"])
	require.Greater(t, c["remaining"], float64(5000))
	require.True(t, strings.HasPrefix(c["trace"].(string), "Root=1-"))
	require.Contains(t, logs, "imported\n")
	require.Contains(t, logs, "hello 3\n")
	require.Contains(t, logs, "Init Duration")

	out = e.invoke("nested", map[string]any{})
	require.JSONEq(t, `"inner"`, string(out.Payload))

	out, logs = e.invokeRaw(&lambda.InvokeInput{FunctionName: aws.String("fails")})
	p := decodeError(t, out)
	require.Equal(t, "ValueError", p.ErrorType)
	require.Equal(t, "bad value", p.ErrorMessage)
	require.NotNil(t, p.RequestID)
	require.Regexp(t, `^[0-9a-f-]{36}$`, *p.RequestID)
	var stack []string
	require.NoError(t, json.Unmarshal(p.StackTrace, &stack))
	require.Len(t, stack, 1)
	require.Contains(t, stack[0], `File "/var/task/app.py", line 17, in fails`)
	require.Contains(t, logs, "[ERROR] ValueError: bad value\r")

	p = decodeError(t, e.invoke("nomod", map[string]any{}))
	require.Equal(t, "Runtime.ImportModuleError", p.ErrorType)
	require.Equal(t, "Unable to import module 'nothere': No module named 'nothere'", p.ErrorMessage)
	require.Equal(t, "", *p.RequestID)
	p = decodeError(t, e.invoke("broken", map[string]any{}))
	require.Equal(t, "Runtime.ImportModuleError", p.ErrorType)
	require.Equal(t, "Unable to import module 'broken': No module named 'does_not_exist'", p.ErrorMessage)
	p = decodeError(t, e.invoke("nofn", map[string]any{}))
	require.Equal(t, "Runtime.HandlerNotFound", p.ErrorType)
	require.Equal(t, "Handler 'missing' missing on module 'app'", p.ErrorMessage)
}

// TestCLILambdaNode creates and invokes a Node.js function with the AWS CLI.
func TestCLILambdaNode(t *testing.T) {
	t.Parallel()
	needInterpreter(t, "node")
	c := setupCLI(t)
	zip := filepath.Join(t.TempDir(), "fn.zip")
	require.NoError(t, os.WriteFile(zip, functiontest.Files(t, map[string]string{
		"index.mjs": `export const handler = async (event) => ({ got: event.n * 2 });`,
	}), 0o600))
	created := c.lambda(0, "create-function", "--function-name", "clinode", "--runtime", "nodejs22.x",
		"--role", lambdaRole, "--handler", "index.handler", "--zip-file", "fileb://"+zip)
	require.Equal(t, "nodejs22.x", created["Runtime"])
	outFile := filepath.Join(t.TempDir(), "out.json")
	res := c.lambda(0, "invoke", "--function-name", "clinode", "--cli-binary-format", "raw-in-base64-out",
		"--payload", `{"n":21}`, outFile)
	require.Equal(t, float64(200), res["StatusCode"])
	b, err := os.ReadFile(outFile) //nolint:gosec // the test's own temp file
	require.NoError(t, err)
	require.JSONEq(t, `{"got":42}`, string(b))
}

// lambda runs one `aws lambda` command against the CLI harness's fogbank
// and decodes its JSON output.
func (c *cliEnv) lambda(wantExit int, args ...string) map[string]any {
	c.t.Helper()
	v, stderr := c.cli("lambda", nil, wantExit, args...)
	if wantExit != 0 {
		return map[string]any{"stderr": stderr}
	}
	return v
}
