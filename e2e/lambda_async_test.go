package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/function/functiontest"
)

// asyncEnv is a fogbank with short async retry delays and SQS, SNS and
// Lambda clients.
type asyncEnv struct {
	snsEnv
	fn lambdaEnv
}

func setupAsync(t *testing.T) asyncEnv {
	t.Helper()
	e := setup(t, fogbanktest.WithLambdaRetryDelay(50*time.Millisecond))
	s := snsEnv{sdkEnv: e, sns: sns.NewFromConfig(e.srv.AWSConfig())}
	return asyncEnv{snsEnv: s, fn: lambdaEnv{t: t, ctx: e.ctx, srv: e.srv, l: lambda.NewFromConfig(e.srv.AWSConfig())}}
}

// invokeEvent invokes asynchronously.
func (e asyncEnv) invokeEvent(name string, payload any) {
	e.t.Helper()
	b, err := json.Marshal(payload)
	require.NoError(e.t, err)
	out, err := e.fn.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: &name, Payload: b, InvocationType: ltypes.InvocationTypeEvent})
	require.NoError(e.t, err)
	require.Equal(e.t, int32(http.StatusAccepted), out.StatusCode)
}

// invocationRecord is AWS's destination record.
type invocationRecord struct {
	Version        string `json:"version"`
	Timestamp      string `json:"timestamp"`
	RequestContext struct {
		RequestID              string `json:"requestId"`
		FunctionArn            string `json:"functionArn"`
		Condition              string `json:"condition"`
		ApproximateInvokeCount int    `json:"approximateInvokeCount"`
	} `json:"requestContext"`
	RequestPayload  map[string]any `json:"requestPayload"`
	ResponseContext struct {
		StatusCode      int    `json:"statusCode"`
		ExecutedVersion string `json:"executedVersion"`
		FunctionError   string `json:"functionError"`
	} `json:"responseContext"`
	ResponsePayload map[string]any `json:"responsePayload"`
}

func decodeRecord(t *testing.T, body string) invocationRecord {
	t.Helper()
	var r invocationRecord
	require.NoError(t, json.Unmarshal([]byte(body), &r), body)
	require.Equal(t, "1.0", r.Version)
	_, err := time.Parse("2006-01-02T15:04:05.000Z", r.Timestamp)
	require.NoError(t, err, r.Timestamp)
	require.Equal(t, 200, r.ResponseContext.StatusCode)
	require.Equal(t, "$LATEST", r.ResponseContext.ExecutedVersion)
	return r
}

func TestLambdaEventInvokeConfigLifecycle(t *testing.T) {
	t.Parallel()
	e := setupAsync(t)
	fn := e.fn.create("cfg-fn", 3, nil)
	other := e.fn.create("cfg-other", 3, nil)
	name := "cfg-fn"

	put, err := e.fn.l.PutFunctionEventInvokeConfig(e.ctx, &lambda.PutFunctionEventInvokeConfigInput{
		FunctionName: &name, MaximumRetryAttempts: aws.Int32(0),
	})
	require.NoError(t, err)
	require.Equal(t, *fn.FunctionArn+":$LATEST", *put.FunctionArn)
	require.Equal(t, int32(0), *put.MaximumRetryAttempts)
	require.Nil(t, put.MaximumEventAgeInSeconds)
	require.NotNil(t, put.LastModified)

	// Put replaces; Update changes only what it is given.
	_, err = e.fn.l.PutFunctionEventInvokeConfig(e.ctx, &lambda.PutFunctionEventInvokeConfigInput{
		FunctionName: &name, MaximumEventAgeInSeconds: aws.Int32(60),
	})
	require.NoError(t, err)
	up, err := e.fn.l.UpdateFunctionEventInvokeConfig(e.ctx, &lambda.UpdateFunctionEventInvokeConfigInput{
		FunctionName: &name, MaximumRetryAttempts: aws.Int32(1),
		DestinationConfig: &ltypes.DestinationConfig{OnFailure: &ltypes.OnFailure{Destination: other.FunctionArn}},
	})
	require.NoError(t, err)
	require.Equal(t, int32(60), *up.MaximumEventAgeInSeconds)
	require.Equal(t, int32(1), *up.MaximumRetryAttempts)
	require.Equal(t, *other.FunctionArn, *up.DestinationConfig.OnFailure.Destination)

	got, err := e.fn.l.GetFunctionEventInvokeConfig(e.ctx, &lambda.GetFunctionEventInvokeConfigInput{FunctionName: &name, Qualifier: aws.String("$LATEST")})
	require.NoError(t, err)
	require.Equal(t, *up.FunctionArn, *got.FunctionArn)
	require.Equal(t, int32(60), *got.MaximumEventAgeInSeconds)

	list, err := e.fn.l.ListFunctionEventInvokeConfigs(e.ctx, &lambda.ListFunctionEventInvokeConfigsInput{FunctionName: fn.FunctionArn})
	require.NoError(t, err)
	require.Len(t, list.FunctionEventInvokeConfigs, 1)
	require.Equal(t, int32(1), *list.FunctionEventInvokeConfigs[0].MaximumRetryAttempts)

	_, err = e.fn.l.DeleteFunctionEventInvokeConfig(e.ctx, &lambda.DeleteFunctionEventInvokeConfigInput{FunctionName: &name})
	require.NoError(t, err)
	list, err = e.fn.l.ListFunctionEventInvokeConfigs(e.ctx, &lambda.ListFunctionEventInvokeConfigsInput{FunctionName: &name})
	require.NoError(t, err)
	require.Empty(t, list.FunctionEventInvokeConfigs)

	missing := "The function " + *fn.FunctionArn + ":$LATEST doesn't have an EventInvokeConfig"
	_, err = e.fn.l.GetFunctionEventInvokeConfig(e.ctx, &lambda.GetFunctionEventInvokeConfigInput{FunctionName: &name})
	requireAPIError(t, err, 404, "ResourceNotFoundException", missing)
	_, err = e.fn.l.DeleteFunctionEventInvokeConfig(e.ctx, &lambda.DeleteFunctionEventInvokeConfigInput{FunctionName: &name})
	requireAPIError(t, err, 404, "ResourceNotFoundException", missing)
	_, err = e.fn.l.UpdateFunctionEventInvokeConfig(e.ctx, &lambda.UpdateFunctionEventInvokeConfigInput{FunctionName: &name, MaximumRetryAttempts: aws.Int32(1)})
	requireAPIError(t, err, 404, "ResourceNotFoundException", missing)
}

func TestLambdaEventInvokeConfigErrors(t *testing.T) {
	t.Parallel()
	e := setupAsync(t)
	fn := e.fn.create("cfgerr-fn", 3, nil)
	name := "cfgerr-fn"
	put := func(in lambda.PutFunctionEventInvokeConfigInput) error {
		if in.FunctionName == nil {
			in.FunctionName = &name
		}
		_, err := e.fn.l.PutFunctionEventInvokeConfig(e.ctx, &in)
		return err
	}
	dest := func(onSuccess string) *ltypes.DestinationConfig {
		return &ltypes.DestinationConfig{OnSuccess: &ltypes.OnSuccess{Destination: &onSuccess}}
	}
	requireAPIError(t, put(lambda.PutFunctionEventInvokeConfigInput{}), 400, "InvalidParameterValueException",
		"You must specify at least one of error handling or destination setting.")
	requireAPIError(t, put(lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("nope"), MaximumRetryAttempts: aws.Int32(1)}),
		404, "ResourceNotFoundException", "The function doesn't exist.")
	requireAPIError(t, put(lambda.PutFunctionEventInvokeConfigInput{MaximumRetryAttempts: aws.Int32(3)}), 400, "ValidationException",
		"1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2")
	requireAPIError(t, put(lambda.PutFunctionEventInvokeConfigInput{MaximumEventAgeInSeconds: aws.Int32(59)}), 400, "ValidationException",
		"1 validation error detected: Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60")
	requireAPIError(t, put(lambda.PutFunctionEventInvokeConfigInput{DestinationConfig: dest(*fn.FunctionArn)}), 400, "InvalidParameterValueException",
		"You can't specify the function as a destination for itself.")
	gone := "arn:aws:lambda:us-east-1:000000000000:function:doesnotexist"
	requireAPIError(t, put(lambda.PutFunctionEventInvokeConfigInput{DestinationConfig: dest(gone)}), 400, "InvalidParameterValueException",
		"The destination ARN "+gone+" is invalid.")
	iam := "arn:aws:iam:us-east-1:000000000000:function:x"
	requireAPIError(t, put(lambda.PutFunctionEventInvokeConfigInput{DestinationConfig: dest(iam)}), 400, "InvalidParameterValueException",
		"The provided destination config DestinationConfig(onSuccess=OnSuccess(destination="+iam+"), onFailure=null) is invalid.")
	// An empty DestinationConfig is a setting.
	require.NoError(t, put(lambda.PutFunctionEventInvokeConfigInput{DestinationConfig: &ltypes.DestinationConfig{OnSuccess: &ltypes.OnSuccess{}}}))
	requireAPIError(t, put(lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String(name + ":1"), Qualifier: aws.String("2"), MaximumRetryAttempts: aws.Int32(1)}),
		400, "InvalidParameterValueException", "The derived qualifier from the function name does not match the specified qualifier.")
	_, err := e.fn.l.ListFunctionEventInvokeConfigs(e.ctx, &lambda.ListFunctionEventInvokeConfigsInput{FunctionName: aws.String("nope")})
	requireAPIError(t, err, 404, "ResourceNotFoundException", "The function doesn't exist.")
}

// An async invocation that keeps failing is retried MaximumRetryAttempts
// times, then its record goes to the OnFailure queue; a successful one goes
// to the OnSuccess queue.
func TestLambdaAsyncDestinationsSQS(t *testing.T) {
	t.Parallel()
	e := setupAsync(t)
	fn := e.fn.create("dest-fn", 3, nil)
	okURL, failURL := e.createQueue("on-success", nil), e.createQueue("on-failure", nil)
	_, err := e.fn.l.PutFunctionEventInvokeConfig(e.ctx, &lambda.PutFunctionEventInvokeConfigInput{
		FunctionName: aws.String("dest-fn"), MaximumRetryAttempts: aws.Int32(1),
		DestinationConfig: &ltypes.DestinationConfig{
			OnSuccess: &ltypes.OnSuccess{Destination: aws.String(e.arn(okURL))},
			OnFailure: &ltypes.OnFailure{Destination: aws.String(e.arn(failURL))},
		},
	})
	require.NoError(t, err)

	e.invokeEvent("dest-fn", map[string]any{"action": "error", "msg": "boom"})
	msgs := e.receive(failURL, 1)
	rec := decodeRecord(t, *msgs[0].Body)
	require.Equal(t, "RetriesExhausted", rec.RequestContext.Condition)
	require.Equal(t, 2, rec.RequestContext.ApproximateInvokeCount)
	require.Equal(t, *fn.FunctionArn+":$LATEST", rec.RequestContext.FunctionArn)
	require.Equal(t, map[string]any{"action": "error", "msg": "boom"}, rec.RequestPayload)
	require.Equal(t, "Unhandled", rec.ResponseContext.FunctionError)
	require.Equal(t, "boom", rec.ResponsePayload["errorMessage"])
	require.Equal(t, "TestError", rec.ResponsePayload["errorType"])

	e.invokeEvent("dest-fn", map[string]any{"hello": "world"})
	msgs = e.receive(okURL, 1)
	rec = decodeRecord(t, *msgs[0].Body)
	require.Equal(t, "Success", rec.RequestContext.Condition)
	require.Equal(t, 1, rec.RequestContext.ApproximateInvokeCount)
	require.Empty(t, rec.ResponseContext.FunctionError)
	require.Equal(t, map[string]any{"hello": "world"}, rec.ResponsePayload)
	require.Empty(t, e.sdkEnv.receive(failURL))
}

// Records reach SNS topics and other functions.
func TestLambdaAsyncDestinationsSNSAndLambda(t *testing.T) {
	t.Parallel()
	e := setupAsync(t)
	url, events := notifications(t)
	target := e.fn.create("dest-target", 3, map[string]string{"EVENT_URL": url})
	e.fn.create("dest-src", 3, nil)
	topicArn := e.topic("records", nil)
	sub := e.createQueue("records-sub", nil)
	e.subscribe(topicArn, "sqs", e.arn(sub), map[string]string{"RawMessageDelivery": "true"})
	_, err := e.fn.l.PutFunctionEventInvokeConfig(e.ctx, &lambda.PutFunctionEventInvokeConfigInput{
		FunctionName: aws.String("dest-src"), MaximumRetryAttempts: aws.Int32(0),
		DestinationConfig: &ltypes.DestinationConfig{
			OnSuccess: &ltypes.OnSuccess{Destination: &topicArn},
			OnFailure: &ltypes.OnFailure{Destination: target.FunctionArn},
		},
	})
	require.NoError(t, err)

	e.invokeEvent("dest-src", map[string]any{"n": 1})
	rec := decodeRecord(t, *e.receive(sub, 1)[0].Body)
	require.Equal(t, "Success", rec.RequestContext.Condition)
	require.Equal(t, map[string]any{"n": float64(1)}, rec.RequestPayload)

	e.invokeEvent("dest-src", map[string]any{"action": "error", "msg": "to lambda"})
	select {
	case b := <-events:
		rec = decodeRecord(t, string(b))
	case <-time.After(20 * time.Second):
		t.Fatal("the destination function received no record")
	}
	require.Equal(t, "RetriesExhausted", rec.RequestContext.Condition)
	require.Equal(t, 1, rec.RequestContext.ApproximateInvokeCount)
	require.Equal(t, "to lambda", rec.ResponsePayload["errorMessage"])
}

// A function's dead-letter queue gets the event of a failed async
// invocation with AWS's attributes.
func TestLambdaDeadLetterConfig(t *testing.T) {
	t.Parallel()
	e := setupAsync(t)
	dlq := e.createQueue("fn-dlq", nil)
	name := "dlq-fn"
	_, err := e.fn.l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: &name, Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String(lambdaRole), Handler: aws.String("bootstrap"),
		Code: &ltypes.FunctionCode{ZipFile: functiontest.Zip(t, map[string]string{"version.txt": "v1"})}, DeadLetterConfig: &ltypes.DeadLetterConfig{TargetArn: aws.String("arn:aws:s3:::bucket")},
	})
	requireAPIError(t, err, 400, "InvalidParameterValueException",
		"The provided target arn arn:aws:s3:::bucket is invalid. Only SQS queues and SNS topics can be dead-letter targets.")
	out, err := e.fn.l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: &name, Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String(lambdaRole), Handler: aws.String("bootstrap"),
		Code: &ltypes.FunctionCode{ZipFile: functiontest.Zip(t, map[string]string{"version.txt": "v1"})}, DeadLetterConfig: &ltypes.DeadLetterConfig{TargetArn: aws.String(e.arn(dlq))},
	})
	require.NoError(t, err)
	require.Equal(t, e.arn(dlq), *out.DeadLetterConfig.TargetArn)
	cfg, err := e.fn.l.GetFunctionConfiguration(e.ctx, &lambda.GetFunctionConfigurationInput{FunctionName: &name})
	require.NoError(t, err)
	require.Equal(t, e.arn(dlq), *cfg.DeadLetterConfig.TargetArn)
	_, err = e.fn.l.PutFunctionEventInvokeConfig(e.ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: &name, MaximumRetryAttempts: aws.Int32(0)})
	require.NoError(t, err)

	e.invokeEvent(name, map[string]any{"action": "error", "msg": "dead"})
	m := e.receive(dlq, 1)[0]
	require.JSONEq(t, `{"action":"error","msg":"dead"}`, *m.Body)
	require.Equal(t, "Number", *m.MessageAttributes["ErrorCode"].DataType)
	require.Equal(t, "200", *m.MessageAttributes["ErrorCode"].StringValue)
	require.Equal(t, "dead", *m.MessageAttributes["ErrorMessage"].StringValue)
	require.NotEmpty(t, *m.MessageAttributes["RequestID"].StringValue)

	// An empty TargetArn removes the queue.
	up, err := e.fn.l.UpdateFunctionConfiguration(e.ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: &name, DeadLetterConfig: &ltypes.DeadLetterConfig{TargetArn: aws.String("")},
	})
	require.NoError(t, err)
	require.Nil(t, up.DeadLetterConfig)
}

// TestCLILambdaEventInvokeConfig drives event invoke configs with the AWS
// CLI.
func TestCLILambdaEventInvokeConfig(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	zip := filepath.Join(t.TempDir(), "fn.zip")
	require.NoError(t, os.WriteFile(zip, functiontest.Zip(t, map[string]string{"version.txt": "v1"}), 0o600))
	fn := c.lambda(0, "create-function", "--function-name", "cli-cfg", "--runtime", "provided.al2023",
		"--role", lambdaRole, "--handler", "bootstrap", "--zip-file", "fileb://"+zip)
	qArn := "arn:aws:sqs:us-east-1:" + account + ":cli-cfg-failures"

	put := c.lambda(0, "put-function-event-invoke-config", "--function-name", "cli-cfg", "--maximum-retry-attempts", "1",
		"--destination-config", `{"OnFailure":{"Destination":"`+qArn+`"}}`)
	require.Equal(t, fn["FunctionArn"].(string)+":$LATEST", put["FunctionArn"])
	require.Equal(t, float64(1), put["MaximumRetryAttempts"])
	require.Equal(t, map[string]any{"OnSuccess": map[string]any{}, "OnFailure": map[string]any{"Destination": qArn}}, put["DestinationConfig"])
	got := c.lambda(0, "get-function-event-invoke-config", "--function-name", "cli-cfg")
	require.Equal(t, put["FunctionArn"], got["FunctionArn"])
	out := c.lambda(254, "put-function-event-invoke-config", "--function-name", "cli-cfg", "--maximum-retry-attempts", "5")
	require.Contains(t, out["stderr"], "An error occurred (ValidationException) when calling the PutFunctionEventInvokeConfig operation: "+
		"1 validation error detected: Value '5' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2")
	c.lambda(0, "delete-function-event-invoke-config", "--function-name", "cli-cfg")
	out = c.lambda(254, "get-function-event-invoke-config", "--function-name", "cli-cfg")
	require.Contains(t, out["stderr"], "doesn't have an EventInvokeConfig")
}

// A dead-letter topic gets the event with the same attributes.
func TestLambdaDeadLetterToSNS(t *testing.T) {
	t.Parallel()
	e := setupAsync(t)
	topicArn := e.topic("fn-dead", nil)
	sub := e.createQueue("fn-dead-sub", nil)
	e.subscribe(topicArn, "sqs", e.arn(sub), map[string]string{"RawMessageDelivery": "true"})
	name := "dlq-sns-fn"
	_, err := e.fn.l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: &name, Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String(lambdaRole), Handler: aws.String("bootstrap"),
		Code:             &ltypes.FunctionCode{ZipFile: functiontest.Zip(t, map[string]string{"version.txt": "v1"})},
		DeadLetterConfig: &ltypes.DeadLetterConfig{TargetArn: &topicArn},
	})
	require.NoError(t, err)
	_, err = e.fn.l.PutFunctionEventInvokeConfig(e.ctx, &lambda.PutFunctionEventInvokeConfigInput{FunctionName: &name, MaximumRetryAttempts: aws.Int32(0)})
	require.NoError(t, err)

	e.invokeEvent(name, map[string]any{"action": "error", "msg": "to the topic"})
	m := e.receive(sub, 1)[0]
	require.JSONEq(t, `{"action":"error","msg":"to the topic"}`, *m.Body)
	require.Equal(t, "200", *m.MessageAttributes["ErrorCode"].StringValue)
	require.Equal(t, "to the topic", *m.MessageAttributes["ErrorMessage"].StringValue)
}

// Records reach an EventBridge bus as AWS's "Lambda Function Invocation
// Result" events, routed by the bus's rules.
func TestLambdaAsyncDestinationEventBridge(t *testing.T) {
	t.Parallel()
	eb := setupEvents(t, fogbanktest.WithLambdaRetryDelay(50*time.Millisecond))
	fn := lambdaEnv{t: t, ctx: eb.ctx, srv: eb.srv, l: lambda.NewFromConfig(eb.srv.AWSConfig())}
	f := fn.create("dest-eb", 3, nil)
	bus, err := eb.eb.CreateEventBus(eb.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("results")})
	require.NoError(t, err)
	url, qArn := eb.queue("eb-results", nil)
	eb.rule("results", "from-lambda", `{"source":["lambda"]}`, ebtypes.Target{Id: aws.String("q"), Arn: &qArn})
	_, err = fn.l.PutFunctionEventInvokeConfig(eb.ctx, &lambda.PutFunctionEventInvokeConfigInput{
		FunctionName: aws.String("dest-eb"), MaximumRetryAttempts: aws.Int32(0),
		DestinationConfig: &ltypes.DestinationConfig{
			OnSuccess: &ltypes.OnSuccess{Destination: bus.EventBusArn},
			OnFailure: &ltypes.OnFailure{Destination: bus.EventBusArn},
		},
	})
	require.NoError(t, err)

	b, err := json.Marshal(map[string]any{"mode": "success"})
	require.NoError(t, err)
	_, err = fn.l.Invoke(eb.ctx, &lambda.InvokeInput{FunctionName: aws.String("dest-eb"), Payload: b, InvocationType: ltypes.InvocationTypeEvent})
	require.NoError(t, err)
	ev := decodeBody(t, eb.receive(url, 1)[0])
	require.Equal(t, "Lambda Function Invocation Result - Success", ev["detail-type"])
	require.Equal(t, "lambda", ev["source"])
	require.Equal(t, "0", ev["version"])
	require.Equal(t, account, ev["account"])
	require.Equal(t, "us-east-1", ev["region"])
	require.Equal(t, []any{*bus.EventBusArn, *f.FunctionArn + ":$LATEST"}, ev["resources"])
	detail, err := json.Marshal(ev["detail"])
	require.NoError(t, err)
	rec := decodeRecord(t, string(detail))
	require.Equal(t, "Success", rec.RequestContext.Condition)
	require.Equal(t, map[string]any{"mode": "success"}, rec.ResponsePayload)

	b, err = json.Marshal(map[string]any{"action": "error", "msg": "eb"})
	require.NoError(t, err)
	_, err = fn.l.Invoke(eb.ctx, &lambda.InvokeInput{FunctionName: aws.String("dest-eb"), Payload: b, InvocationType: ltypes.InvocationTypeEvent})
	require.NoError(t, err)
	ev = decodeBody(t, eb.receive(url, 1)[0])
	require.Equal(t, "Lambda Function Invocation Result - Failure", ev["detail-type"])
}

func TestLambdaEventInvokeConfigGoesWithTheFunction(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("eic-gone", 3, nil)
	_, err := e.l.PutFunctionEventInvokeConfig(e.ctx, &lambda.PutFunctionEventInvokeConfigInput{
		FunctionName: aws.String("eic-gone"), MaximumRetryAttempts: aws.Int32(0),
	})
	require.NoError(t, err)
	_, err = e.l.DeleteFunction(e.ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("eic-gone")})
	require.NoError(t, err)

	// A function created again under the same name starts without it.
	e.create("eic-gone", 3, nil)
	_, err = e.l.GetFunctionEventInvokeConfig(e.ctx, &lambda.GetFunctionEventInvokeConfigInput{FunctionName: aws.String("eic-gone")})
	var nf *ltypes.ResourceNotFoundException
	require.ErrorAs(t, err, &nf)
	list, err := e.l.ListFunctionEventInvokeConfigs(e.ctx, &lambda.ListFunctionEventInvokeConfigsInput{FunctionName: aws.String("eic-gone")})
	require.NoError(t, err)
	require.Empty(t, list.FunctionEventInvokeConfigs)
}
