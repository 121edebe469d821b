package e2e

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/stretchr/testify/require"
)

func setupLambdaEvents(t *testing.T) (ebEnv, lambdaEnv) {
	t.Helper()
	e := setupEvents(t)
	return e, lambdaEnv{t: t, ctx: e.ctx, srv: e.srv, l: lambda.NewFromConfig(e.srv.AWSConfig())}
}

func TestLambdaEventsTargetGetsEventAndTransformedInput(t *testing.T) {
	t.Parallel()
	e, fns := setupLambdaEvents(t)
	url, events := notifications(t)
	fn := fns.create("eb-fn", 3, map[string]string{"EVENT_URL": url})
	e.rule("default", "to-lambda", `{"source":["app"]}`, ebtypes.Target{Id: aws.String("whole"), Arn: fn.FunctionArn})
	_, err := e.eb.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("to-lambda"), Targets: []ebtypes.Target{
		{Id: aws.String("shaped"), Arn: aws.String(*fn.FunctionArn + ":$LATEST"), InputTransformer: &ebtypes.InputTransformer{
			InputPathsMap: map[string]string{"k": "$.detail.k", "src": "$.source"},
			InputTemplate: aws.String(`{"got": <k>, "from": <src>}`),
		}},
	}})
	require.NoError(t, err)

	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	in := entry("app", "Thing Happened", `{"k":"v","n":[1,2]}`)
	in.Time, in.Resources = &at, []string{"arn:aws:s3:::bucket"}
	out := e.put(in)
	require.Zero(t, out.FailedEntryCount)

	want := map[string]any{
		"version": "0", "id": *out.Entries[0].EventId, "detail-type": "Thing Happened", "source": "app",
		"account": account, "time": "2026-03-04T05:06:07Z", "region": "us-east-1",
		"resources": []any{"arn:aws:s3:::bucket"}, "detail": map[string]any{"k": "v", "n": []any{1.0, 2.0}},
	}
	got := []map[string]any{nextEvent(t, events), nextEvent(t, events)}
	if _, ok := got[0]["got"]; ok {
		got[0], got[1] = got[1], got[0]
	}
	require.Equal(t, want, got[0])
	require.Equal(t, map[string]any{"got": "v", "from": "app"}, got[1])
}

func TestLambdaEventsDeletedFunctionGoesToTargetDLQ(t *testing.T) {
	t.Parallel()
	e, fns := setupLambdaEvents(t)
	fn := fns.create("eb-gone", 3, nil)
	_, err := fns.l.DeleteFunction(e.ctx, &lambda.DeleteFunctionInput{FunctionName: fn.FunctionName})
	require.NoError(t, err)
	dlqURL, dlqArn := e.queue("eb-lambda-dlq", nil)
	ruleArn := e.rule("default", "to-gone", `{"source":["app"]}`, ebtypes.Target{
		Id: aws.String("gone"), Arn: fn.FunctionArn,
		DeadLetterConfig: &ebtypes.DeadLetterConfig{Arn: &dlqArn},
	})
	out := e.put(entry("app", "t", `{"k":"v"}`))

	m := e.receive(dlqURL, 1)[0]
	var ev map[string]any
	require.NoError(t, json.Unmarshal([]byte(*m.Body), &ev))
	require.Equal(t, *out.Entries[0].EventId, ev["id"])
	attrs := map[string]string{}
	for k, v := range m.MessageAttributes {
		attrs[k] = *v.StringValue
	}
	// A missing function is a client error: no retries.
	require.Equal(t, map[string]string{
		"RULE_ARN": ruleArn, "TARGET_ARN": *fn.FunctionArn, "ERROR_CODE": "ResourceNotFoundException",
		"ERROR_MESSAGE": "Function not found: " + *fn.FunctionArn, "RETRY_ATTEMPTS": "0",
	}, attrs)
}
