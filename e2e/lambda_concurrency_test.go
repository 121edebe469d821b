package e2e

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/stretchr/testify/require"
)

// holder is an HTTP endpoint the bootstrap's "wait" action posts to: each
// request is reported on arrived and answered once release is called.
type holder struct {
	url     string
	arrived chan []byte
	release func()
}

func holdServer(t *testing.T) holder {
	t.Helper()
	gate := make(chan struct{})
	h := holder{arrived: make(chan []byte, 16)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.arrived <- b
		<-gate
	}))
	var once sync.Once
	h.release = func() { once.Do(func() { close(gate) }) }
	t.Cleanup(func() { h.release(); srv.Close() })
	h.url = srv.URL
	return h
}

// hold starts a synchronous invocation that runs until h is released, and
// returns once its sandbox is busy; the channel yields its result.
func (e lambdaEnv) hold(name string, h holder) <-chan error {
	e.t.Helper()
	done := make(chan error, 1)
	payload, _ := json.Marshal(map[string]string{"action": "wait", "url": h.url})
	go func() {
		_, err := e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: &name, Payload: payload})
		done <- err
	}()
	select {
	case <-h.arrived:
	case err := <-done:
		require.NoError(e.t, err)
		e.t.Fatal("the held invocation ended early")
	case <-time.After(30 * time.Second):
		e.t.Fatal("the held invocation did not start")
	}
	return done
}

func requireThrottled(t *testing.T, err error, reason string) {
	t.Helper()
	var tm *ltypes.TooManyRequestsException
	require.ErrorAs(t, err, &tm)
	require.Equal(t, "Rate Exceeded.", tm.ErrorMessage())
	require.Equal(t, ltypes.ThrottleReason(reason), tm.Reason)
}

func TestLambdaReservedConcurrencyThrottles(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("thr", 10, nil)
	put, err := e.l.PutFunctionConcurrency(e.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("thr"), ReservedConcurrentExecutions: aws.Int32(1)})
	require.NoError(t, err)
	require.Equal(t, int32(1), *put.ReservedConcurrentExecutions)

	h := holdServer(t)
	held := e.hold("thr", h)
	_, err = e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("thr")})
	requireThrottled(t, err, "ReservedFunctionConcurrentInvocationLimitExceeded")
	// Versions count against the same function.
	e.publish("thr", "")
	_, err = e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("thr"), Qualifier: aws.String("1")})
	requireThrottled(t, err, "ReservedFunctionConcurrentInvocationLimitExceeded")

	// An asynchronous invocation waits for the slot instead of failing.
	url, events := notifications(t)
	payload, _ := json.Marshal(map[string]string{"action": "notify", "url": url})
	_, err = e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("thr"), InvocationType: ltypes.InvocationTypeEvent, Payload: payload})
	require.NoError(t, err)
	h.release()
	require.NoError(t, <-held)
	select {
	case <-events:
	case <-time.After(30 * time.Second):
		t.Fatal("the queued asynchronous invocation did not run")
	}
	require.Eventually(t, func() bool { // once the asynchronous one has ended
		_, err := e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("thr")})
		return err == nil
	}, 30*time.Second, 10*time.Millisecond)

	// Reserved concurrency 0 throttles every invocation.
	_, err = e.l.PutFunctionConcurrency(e.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("thr"), ReservedConcurrentExecutions: aws.Int32(0)})
	require.NoError(t, err)
	_, err = e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("thr")})
	requireThrottled(t, err, "ReservedFunctionConcurrentInvocationLimitExceeded")
	_, err = e.l.DeleteFunctionConcurrency(e.ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String("thr")})
	require.NoError(t, err)
	e.invoke("thr", map[string]string{})
}

func TestLambdaReservedConcurrencyOperations(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("rc", 3, nil)
	e.create("rc2", 3, nil)

	got, err := e.l.GetFunctionConcurrency(e.ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String("rc")})
	require.NoError(t, err)
	require.Nil(t, got.ReservedConcurrentExecutions)
	_, err = e.l.PutFunctionConcurrency(e.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("rc"), ReservedConcurrentExecutions: aws.Int32(600)})
	require.NoError(t, err)
	got, err = e.l.GetFunctionConcurrency(e.ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String(fnArn + "rc")})
	require.NoError(t, err)
	require.Equal(t, int32(600), *got.ReservedConcurrentExecutions)
	fn, err := e.l.GetFunction(e.ctx, &lambda.GetFunctionInput{FunctionName: aws.String("rc")})
	require.NoError(t, err)
	require.Equal(t, int32(600), *fn.Concurrency.ReservedConcurrentExecutions)

	settings, err := e.l.GetAccountSettings(e.ctx, &lambda.GetAccountSettingsInput{})
	require.NoError(t, err)
	require.Equal(t, int32(1000), settings.AccountLimit.ConcurrentExecutions)
	require.Equal(t, int32(400), *settings.AccountLimit.UnreservedConcurrentExecutions)
	require.Equal(t, int64(2), settings.AccountUsage.FunctionCount)
	require.Equal(t, fn.Configuration.CodeSize*2, settings.AccountUsage.TotalCodeSize)

	// 1000 - 600 - 301 leaves less than 100 unreserved.
	_, err = e.l.PutFunctionConcurrency(e.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("rc2"), ReservedConcurrentExecutions: aws.Int32(301)})
	requireFnError(t, err, "InvalidParameterValueException", "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].")
	_, err = e.l.PutFunctionConcurrency(e.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("rc2"), ReservedConcurrentExecutions: aws.Int32(300)})
	require.NoError(t, err)
	_, err = e.l.PutFunctionConcurrency(e.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("doesnotexist"), ReservedConcurrentExecutions: aws.Int32(1)})
	requireFnError(t, err, "ResourceNotFoundException", "Function not found: "+fnArn+"doesnotexist:$LATEST")
	_, err = e.l.PutFunctionConcurrency(e.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String(fnArn + "rc:1"), ReservedConcurrentExecutions: aws.Int32(1)})
	requireFnError(t, err, "InvalidParameterValueException", "This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.")

	_, err = e.l.DeleteFunctionConcurrency(e.ctx, &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String("rc")})
	require.NoError(t, err)
	got, err = e.l.GetFunctionConcurrency(e.ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String("rc")})
	require.NoError(t, err)
	require.Nil(t, got.ReservedConcurrentExecutions)
}

func TestLambdaProvisionedConcurrency(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("pc", 3, nil)
	e.publish("pc", "")
	_, err := e.l.CreateAlias(e.ctx, &lambda.CreateAliasInput{FunctionName: aws.String("pc"), Name: aws.String("live"), FunctionVersion: aws.String("1")})
	require.NoError(t, err)

	put, err := e.l.PutProvisionedConcurrencyConfig(e.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
		FunctionName: aws.String("pc"), Qualifier: aws.String("1"), ProvisionedConcurrentExecutions: aws.Int32(2),
	})
	require.NoError(t, err)
	require.Equal(t, ltypes.ProvisionedConcurrencyStatusEnumInProgress, put.Status)
	require.Equal(t, int32(2), *put.RequestedProvisionedConcurrentExecutions)
	require.Equal(t, int32(0), *put.AvailableProvisionedConcurrentExecutions)
	e.waitProvisioned("pc", "1", 2)

	// Warm: no init in the invocation's report, and the same sandbox.
	out, err := e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("pc:1"), LogType: ltypes.LogTypeTail, Payload: []byte(`{"action":"context"}`)})
	require.NoError(t, err)
	log, err := base64Decode(*out.LogResult)
	require.NoError(t, err)
	require.Contains(t, log, "REPORT RequestId:")
	require.NotContains(t, log, "Init Duration", "a provisioned sandbox serves warm")

	_, err = e.l.PutProvisionedConcurrencyConfig(e.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
		FunctionName: aws.String("pc"), Qualifier: aws.String("live"), ProvisionedConcurrentExecutions: aws.Int32(1),
	})
	requireFnError(t, err, "ResourceConflictException", "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version")

	list, err := e.l.ListProvisionedConcurrencyConfigs(e.ctx, &lambda.ListProvisionedConcurrencyConfigsInput{FunctionName: aws.String("pc")})
	require.NoError(t, err)
	require.Len(t, list.ProvisionedConcurrencyConfigs, 1)
	require.Equal(t, fnArn+"pc:1", *list.ProvisionedConcurrencyConfigs[0].FunctionArn)

	_, err = e.l.DeleteProvisionedConcurrencyConfig(e.ctx, &lambda.DeleteProvisionedConcurrencyConfigInput{FunctionName: aws.String("pc"), Qualifier: aws.String("1")})
	require.NoError(t, err)
	_, err = e.l.GetProvisionedConcurrencyConfig(e.ctx, &lambda.GetProvisionedConcurrencyConfigInput{FunctionName: aws.String("pc"), Qualifier: aws.String("1")})
	requireFnError(t, err, "ProvisionedConcurrencyConfigNotFoundException", "No Provisioned Concurrency Config found for this function")

	_, err = e.l.PutProvisionedConcurrencyConfig(e.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
		FunctionName: aws.String("pc"), Qualifier: aws.String("live"), ProvisionedConcurrentExecutions: aws.Int32(1),
	})
	require.NoError(t, err)
	_, err = e.l.PutProvisionedConcurrencyConfig(e.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
		FunctionName: aws.String("pc"), Qualifier: aws.String("1"), ProvisionedConcurrentExecutions: aws.Int32(1),
	})
	requireFnError(t, err, "ResourceConflictException", "Version is pointed by a Provisioned Concurrency alias")
	e.waitProvisioned("pc", "live", 1)
	_, err = e.l.DeleteAlias(e.ctx, &lambda.DeleteAliasInput{FunctionName: aws.String("pc"), Name: aws.String("live")})
	require.NoError(t, err)
	_, err = e.l.GetProvisionedConcurrencyConfig(e.ctx, &lambda.GetProvisionedConcurrencyConfigInput{FunctionName: aws.String("pc"), Qualifier: aws.String("live")})
	requireFnError(t, err, "ResourceNotFoundException", "Cannot find alias arn: "+fnArn+"pc:live")
	list, err = e.l.ListProvisionedConcurrencyConfigs(e.ctx, &lambda.ListProvisionedConcurrencyConfigsInput{FunctionName: aws.String("pc")})
	require.NoError(t, err)
	require.Empty(t, list.ProvisionedConcurrencyConfigs)
}

func TestLambdaProvisionedConcurrencyErrors(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("pe", 3, nil)
	e.publish("pe", "")
	put := func(name, qualifier string, n int32) error {
		_, err := e.l.PutProvisionedConcurrencyConfig(e.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
			FunctionName: aws.String(name), Qualifier: aws.String(qualifier), ProvisionedConcurrentExecutions: aws.Int32(n),
		})
		return err
	}
	requireFnError(t, put("pe", "1", 0), "ValidationException", "1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1")
	requireFnError(t, put("doesnotexist", "noalias", 1), "ResourceNotFoundException", "Cannot find alias arn: "+fnArn+"doesnotexist:noalias")
	requireFnError(t, put("doesnotexist", "1", 1), "ResourceNotFoundException", "Function not found: "+fnArn+"doesnotexist:1")
	requireFnError(t, put("pe", "10", 1), "ResourceNotFoundException", "Function not found: "+fnArn+"pe:10")
	requireFnError(t, put("pe", "$LATEST", 1), "InvalidParameterValueException", "Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
	requireFnError(t, put("pe", "1", 901), "InvalidParameterValueException", "Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].")
	requireFnError(t, put("pe", "1", 1001), "InvalidParameterValueException", "Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [1000].")
	_, err := e.l.GetProvisionedConcurrencyConfig(e.ctx, &lambda.GetProvisionedConcurrencyConfigInput{FunctionName: aws.String("pe"), Qualifier: aws.String("$LATEST")})
	requireFnError(t, err, "InvalidParameterValueException", "The function resource provided must be an alias or a published version.")
	_, err = e.l.GetProvisionedConcurrencyConfig(e.ctx, &lambda.GetProvisionedConcurrencyConfigInput{FunctionName: aws.String("pe"), Qualifier: aws.String("1")})
	requireFnError(t, err, "ProvisionedConcurrencyConfigNotFoundException", "No Provisioned Concurrency Config found for this function")
	_, err = e.l.ListProvisionedConcurrencyConfigs(e.ctx, &lambda.ListProvisionedConcurrencyConfigsInput{FunctionName: aws.String("doesnotexist")})
	requireFnError(t, err, "ResourceNotFoundException", "Function not found: "+fnArn+"doesnotexist")
}

// waitProvisioned waits for a provisioned configuration to be READY.
func (e lambdaEnv) waitProvisioned(name, qualifier string, n int32) {
	e.t.Helper()
	require.Eventually(e.t, func() bool {
		got, err := e.l.GetProvisionedConcurrencyConfig(e.ctx, &lambda.GetProvisionedConcurrencyConfigInput{FunctionName: &name, Qualifier: &qualifier})
		require.NoError(e.t, err)
		return got.Status == ltypes.ProvisionedConcurrencyStatusEnumReady && *got.AvailableProvisionedConcurrentExecutions == n
	}, 30*time.Second, 20*time.Millisecond)
}

func base64Decode(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	return string(b), err
}
