package e2e

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/function/functiontest"
)

func TestLambdaFunctionLifecycle(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	created := e.create("fn", 3, map[string]string{"GREETING": "hi"})
	require.Equal(t, "arn:aws:lambda:us-east-1:000000000000:function:fn", *created.FunctionArn)
	// AWS answers a create as Pending; fogbank has settled it by the next call.
	require.Equal(t, ltypes.StatePending, created.State)
	require.Equal(t, ltypes.StateReasonCodeCreating, created.StateReasonCode)
	require.Empty(t, created.LastUpdateStatus)
	require.Equal(t, "$LATEST", *created.Version)
	require.Equal(t, int32(128), *created.MemorySize)
	require.Equal(t, ltypes.RuntimeProvidedal2023, created.Runtime)
	require.NotEmpty(t, *created.CodeSha256)
	require.Positive(t, created.CodeSize)
	_, err := time.Parse("2006-01-02T15:04:05.000-0700", *created.LastModified)
	require.NoError(t, err)

	got, err := e.l.GetFunction(e.ctx, &lambda.GetFunctionInput{FunctionName: aws.String("fn")})
	require.NoError(t, err)
	require.Equal(t, *created.CodeSha256, *got.Configuration.CodeSha256)
	require.Equal(t, ltypes.StateActive, got.Configuration.State)
	require.Equal(t, ltypes.LastUpdateStatusSuccessful, got.Configuration.LastUpdateStatus)
	require.NotEqual(t, *created.RevisionId, *got.Configuration.RevisionId, "settling revises the function")
	// Code.Location downloads the deployment package itself.
	resp, err := http.Get(*got.Code.Location)
	require.NoError(t, err)
	pkg, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	sum := sha256.Sum256(pkg)
	require.Equal(t, *created.CodeSha256, base64.StdEncoding.EncodeToString(sum[:]))
	require.Equal(t, "hi", got.Configuration.Environment.Variables["GREETING"])
	_, err = e.l.GetFunctionConfiguration(e.ctx, &lambda.GetFunctionConfigurationInput{FunctionName: created.FunctionArn})
	require.NoError(t, err)

	_, err = e.l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("fn"), Runtime: ltypes.RuntimeProvidedal2023,
		Role: aws.String(lambdaRole), Handler: aws.String("x"), Code: &ltypes.FunctionCode{ZipFile: functiontest.Zip(t, nil)},
	})
	var conflict *ltypes.ResourceConflictException
	require.ErrorAs(t, err, &conflict)
	require.Equal(t, "Function already exist: fn", conflict.ErrorMessage())

	list, err := e.l.ListFunctions(e.ctx, &lambda.ListFunctionsInput{})
	require.NoError(t, err)
	require.Len(t, list.Functions, 1)

	upd, err := e.l.UpdateFunctionConfiguration(e.ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("fn"),
		Timeout:      aws.Int32(10), MemorySize: aws.Int32(256), Environment: &ltypes.Environment{Variables: map[string]string{"GREETING": "hello"}},
	})
	require.NoError(t, err)
	require.Equal(t, int32(10), *upd.Timeout)
	ctx := e.invokeContext("fn")
	require.Equal(t, "hello", ctx.Env["GREETING"])
	require.Equal(t, "256", ctx.Env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"])

	_, err = e.l.DeleteFunction(e.ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("fn")})
	require.NoError(t, err)
	_, err = e.l.GetFunction(e.ctx, &lambda.GetFunctionInput{FunctionName: aws.String("fn")})
	var nf *ltypes.ResourceNotFoundException
	require.ErrorAs(t, err, &nf)
	require.Equal(t, "Function not found: arn:aws:lambda:us-east-1:000000000000:function:fn", nf.ErrorMessage())
}

func TestLambdaValidation(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	zip := functiontest.Zip(t, nil)
	base := func() *lambda.CreateFunctionInput {
		return &lambda.CreateFunctionInput{
			FunctionName: aws.String("v"), Runtime: ltypes.RuntimeProvidedal2023,
			Role: aws.String(lambdaRole), Handler: aws.String("h"), Code: &ltypes.FunctionCode{ZipFile: zip},
		}
	}
	var ipv *ltypes.InvalidParameterValueException
	in := base()
	in.Handler = nil
	_, err := e.l.CreateFunction(e.ctx, in)
	require.ErrorAs(t, err, &ipv)
	require.Equal(t, "Runtime and Handler are mandatory parameters for functions created with deployment packages.", ipv.ErrorMessage())

	in = base()
	in.Environment = &ltypes.Environment{Variables: map[string]string{"AWS_REGION": "x"}}
	_, err = e.l.CreateFunction(e.ctx, in)
	require.ErrorAs(t, err, &ipv)
	require.Contains(t, ipv.ErrorMessage(), "Reserved keys used in this request: AWS_REGION")

	in = base()
	in.Code.ZipFile = []byte("not a zip")
	_, err = e.l.CreateFunction(e.ctx, in)
	require.ErrorAs(t, err, &ipv)

	in = base()
	in.Timeout = aws.Int32(901)
	_, err = e.l.CreateFunction(e.ctx, in)
	var api interface{ ErrorCode() string }
	require.ErrorAs(t, err, &api)
	require.Equal(t, "ValidationException", api.ErrorCode())

	_, err = e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("nope")})
	var nf *ltypes.ResourceNotFoundException
	require.ErrorAs(t, err, &nf)
}

// invokeContext returns what the function saw of its invocation.
func (e lambdaEnv) invokeContext(name string) bootstrapContext {
	e.t.Helper()
	out := e.invoke(name, map[string]any{"action": "context"})
	require.Nil(e.t, out.FunctionError, string(out.Payload))
	var c bootstrapContext
	require.NoError(e.t, json.Unmarshal(out.Payload, &c))
	return c
}

type bootstrapContext struct {
	Version string            `json:"version"`
	Headers map[string]string `json:"headers"`
	Env     map[string]string `json:"env"`
	PID     int               `json:"pid"`
}

func TestLambdaInvoke(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("f", 1, nil)

	began := time.Now()
	out := e.invoke("f", map[string]any{"action": "echo", "x": 1})
	cold := time.Since(began)
	require.Equal(t, int32(200), out.StatusCode)
	require.JSONEq(t, `{"action":"echo","x":1}`, string(out.Payload))
	require.Equal(t, "$LATEST", *out.ExecutedVersion)
	logs, err := base64.StdEncoding.DecodeString(*out.LogResult)
	require.NoError(t, err)
	require.Contains(t, string(logs), "START RequestId: ")
	require.Contains(t, string(logs), "Init Duration: ")

	const warmRuns = 50
	began = time.Now()
	for range warmRuns {
		e.invoke("f", map[string]any{"action": "echo"})
	}
	warm := time.Since(began) / warmRuns
	t.Logf("cold start (create → first invoke, through the SDK): %v; warm invoke round trip: %v", cold, warm)

	c := e.invokeContext("f")
	require.Equal(t, "v1", c.Version)
	require.Equal(t, "arn:aws:lambda:us-east-1:000000000000:function:f", c.Headers["arn"])
	require.True(t, strings.HasPrefix(c.Headers["trace"], "Root=1-"))
	for k, v := range map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME": "f", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_REGION": "us-east-1",
		"AWS_DEFAULT_REGION": "us-east-1", "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/f", "TZ": ":UTC", "_HANDLER": "bootstrap",
	} {
		require.Equal(t, v, c.Env[k], k)
	}
	require.NotEmpty(t, c.Env["AWS_LAMBDA_RUNTIME_API"])
	require.Contains(t, c.Env["AWS_LAMBDA_LOG_STREAM_NAME"], "/[$LATEST]")
	require.Equal(t, c.PID, e.invokeContext("f").PID, "warm reuse: one sandbox for sequential invokes")

	out = e.invoke("f", map[string]any{"action": "error", "msg": "boom"})
	require.Equal(t, "Unhandled", *out.FunctionError)
	require.JSONEq(t, `{"errorMessage":"boom","errorType":"TestError","stackTrace":[]}`, string(out.Payload))

	out = e.invoke("f", map[string]any{"action": "log", "msg": "hello from the handler"})
	logs, _ = base64.StdEncoding.DecodeString(*out.LogResult)
	require.Contains(t, string(logs), "hello from the handler\n")
	require.Contains(t, string(logs), "stderr: hello from the handler\n")

	out = e.invoke("f", map[string]any{"action": "sleep", "ms": 5000})
	require.Equal(t, "Unhandled", *out.FunctionError)
	var te struct{ ErrorMessage, ErrorType string }
	require.NoError(t, json.Unmarshal(out.Payload, &te))
	require.Equal(t, "Sandbox.Timedout", te.ErrorType)
	require.True(t, strings.HasSuffix(te.ErrorMessage, "Error: Task timed out after 1.00 seconds"), te.ErrorMessage)

	out = e.invoke("f", map[string]any{"action": "exit"})
	require.NoError(t, json.Unmarshal(out.Payload, &te))
	require.Equal(t, "Runtime.ExitError", te.ErrorType)
	require.Contains(t, te.ErrorMessage, "Runtime exited with error: exit status 3")

	// A new sandbox replaces the killed one.
	out = e.invoke("f", map[string]any{"action": "echo"})
	require.Nil(t, out.FunctionError)

	out, err = e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("f"), InvocationType: ltypes.InvocationTypeDryRun})
	require.NoError(t, err)
	require.Equal(t, int32(204), out.StatusCode)
}

func TestLambdaUpdateCode(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("u", 3, nil)
	require.Equal(t, "v1", e.invokeContext("u").Version)
	upd, err := e.l.UpdateFunctionCode(e.ctx, &lambda.UpdateFunctionCodeInput{
		FunctionName: aws.String("u"),
		ZipFile:      functiontest.Zip(t, map[string]string{"version.txt": "v2"}),
	})
	require.NoError(t, err)
	require.Equal(t, ltypes.StateActive, upd.State)
	require.Equal(t, ltypes.LastUpdateStatusInProgress, upd.LastUpdateStatus)
	require.Equal(t, "v2", e.invokeContext("u").Version)
	got, err := e.l.GetFunctionConfiguration(e.ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("u")})
	require.NoError(t, err)
	require.Equal(t, ltypes.LastUpdateStatusSuccessful, got.LastUpdateStatus)
	// The update's answer carries the revision it was accepted as; the
	// settled function has moved on, as on AWS.
	_, err = e.l.UpdateFunctionConfiguration(e.ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("u"), Description: aws.String("d"), RevisionId: upd.RevisionId,
	})
	requireFnError(t, err, "PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	_, err = e.l.UpdateFunctionConfiguration(e.ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("u"), Description: aws.String("d"), RevisionId: got.RevisionId,
	})
	require.NoError(t, err)
}

func TestLambdaAsyncInvoke(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("a", 3, nil)
	url, got := notifications(t)
	payload, err := json.Marshal(map[string]any{"action": "notify", "url": url, "n": 7})
	require.NoError(t, err)
	out, err := e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("a"), InvocationType: ltypes.InvocationTypeEvent, Payload: payload})
	require.NoError(t, err)
	require.Equal(t, int32(202), out.StatusCode)
	select {
	case b := <-got:
		require.JSONEq(t, string(payload), string(b))
	case <-time.After(10 * time.Second):
		t.Fatal("async invocation not delivered")
	}
}

func TestLambdaInvokeErrors(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("x", 3, nil)
	_, err := e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("x"), Payload: []byte("not json")})
	var bad *ltypes.InvalidRequestContentException
	require.ErrorAs(t, err, &bad)
	_, err = e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("x"), Qualifier: aws.String("7")})
	var nf *ltypes.ResourceNotFoundException
	require.ErrorAs(t, err, &nf)
	require.Equal(t, "Function not found: arn:aws:lambda:us-east-1:000000000000:function:x:7", nf.ErrorMessage())
	require.False(t, errors.Is(err, nil))
}
