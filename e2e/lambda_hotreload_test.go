package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/function/functiontest"
)

// hotReloadCode is LocalStack's hot-reload code location: the bucket
// "hot-reload" and a host directory as the key.
func hotReloadCode(dir string) *ltypes.FunctionCode {
	return &ltypes.FunctionCode{S3Bucket: aws.String("hot-reload"), S3Key: aws.String(dir)}
}

func TestLambdaHotReload(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	dir := t.TempDir()
	bin, err := os.ReadFile(functiontest.Bootstrap(t))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bootstrap"), bin, 0o755)) //nolint:gosec // an executable bootstrap
	require.NoError(t, os.WriteFile(filepath.Join(dir, "version.txt"), []byte("v1"), 0o600))

	created, err := e.l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("hot"), Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String(lambdaRole),
		Handler: aws.String("bootstrap"), Code: hotReloadCode(dir),
	})
	require.NoError(t, err)
	require.Equal(t, "hot-reloading-hash-not-available", *created.CodeSha256)
	require.Equal(t, int64(0), created.CodeSize)
	got, err := e.l.GetFunction(e.ctx, &lambda.GetFunctionInput{FunctionName: aws.String("hot")})
	require.NoError(t, err)
	require.Equal(t, "hot-reloading-hash-not-available", *got.Configuration.CodeSha256)

	c := e.invokeContext("hot")
	require.Equal(t, "v1", c.Version)
	require.Equal(t, dir, c.Env["LAMBDA_TASK_ROOT"], "the sandbox runs in the directory itself")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "version.txt"), []byte("v2"), 0o600))
	_, err = e.l.UpdateFunctionConfiguration(e.ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("hot"), Description: aws.String("cold start")})
	require.NoError(t, err)
	c2 := e.invokeContext("hot")
	require.NotEqual(t, c.PID, c2.PID, "a new sandbox")
	require.Equal(t, "v2", c2.Version)

	_, err = e.l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("relative"), Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String(lambdaRole),
		Handler: aws.String("bootstrap"), Code: hotReloadCode("relative/dir"),
	})
	requireAWSError(t, err, "InvalidParameterValueException", `With S3Bucket "hot-reload", S3Key must be the absolute path of a directory on the fogbank host; got "relative/dir".`)

	// UpdateFunctionCode switches a zip function to a directory.
	e.create("zipped", 3, nil)
	up, err := e.l.UpdateFunctionCode(e.ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("zipped"), S3Bucket: aws.String("hot-reload"), S3Key: aws.String(dir)})
	require.NoError(t, err)
	require.Equal(t, "hot-reloading-hash-not-available", *up.CodeSha256)
	require.Equal(t, "v2", e.invokeContext("zipped").Version)

	_, err = e.l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("s3"), Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String(lambdaRole),
		Handler: aws.String("bootstrap"), Code: &ltypes.FunctionCode{S3Bucket: aws.String("other-bucket"), S3Key: aws.String("k.zip")},
	})
	require.ErrorContains(t, err, "InvalidParameterValueException")
}

// TestLambdaHotReloadPython edits a module: the warm sandbox that imported
// it is retired and the next invocation imports it afresh.
func TestLambdaHotReloadPython(t *testing.T) {
	t.Parallel()
	needInterpreter(t, "python3")
	e := setupLambda(t)
	dir := t.TempDir()
	write := func(v string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "app.py"), []byte("import os\nV = '"+v+"'\ndef handler(event, context):\n    return [V, os.getpid()]\n"), 0o600))
	}
	write("one")
	_, err := e.l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("hotpy"), Runtime: ltypes.RuntimePython312, Role: aws.String(lambdaRole),
		Handler: aws.String("app.handler"), Code: hotReloadCode(dir),
	})
	require.NoError(t, err)
	result := func() (string, float64) {
		var r []any
		out := e.invoke("hotpy", map[string]any{})
		require.NoError(t, json.Unmarshal(out.Payload, &r), string(out.Payload))
		return r[0].(string), r[1].(float64)
	}
	v, pid := result()
	require.Equal(t, "one", v)
	v, pid2 := result()
	require.Equal(t, "one", v)
	require.Equal(t, pid, pid2, "unchanged code: the warm sandbox is reused")
	write("three")
	v, pid3 := result()
	require.Equal(t, "three", v, "changed code: a new sandbox imports it")
	require.NotEqual(t, pid, pid3)
}
