package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
)

func TestEventsFIFOTargetWithMessageGroupID(t *testing.T) {
	t.Parallel()
	e := setupEvents(t)
	url, arn := e.queue("orders.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"})
	_, err := e.eb.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("fifo"), EventPattern: aws.String(`{"source":["s"]}`)})
	require.NoError(t, err)
	_, err = e.eb.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("fifo"), Targets: []ebtypes.Target{{Id: aws.String("q"), Arn: &arn}}})
	requireEBError(t, err, "ValidationException", "Parameter(s) SqsParameters must be specified for target: q.")
	e.rule("default", "fifo", `{"source":["s"]}`, ebtypes.Target{Id: aws.String("q"), Arn: &arn, SqsParameters: &ebtypes.SqsParameters{MessageGroupId: aws.String("g1")}})
	const n = 50
	var want []float64
	for batch := 0; batch < n; batch += 10 {
		var entries []ebtypes.PutEventsRequestEntry
		for i := batch; i < batch+10; i++ {
			entries = append(entries, entry("s", "t", fmt.Sprintf(`{"n":%d}`, i)))
			want = append(want, float64(i))
		}
		require.Zero(t, e.put(entries...).FailedEntryCount)
	}
	// The jobs of one FIFO target and group are delivered one at a time, so
	// the group receives the events in PutEvents order.
	got := map[string][]float64{}
	for range n {
		if len(got["g1"]) >= n {
			break
		}
		out, err := e.c.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{
			QueueUrl: &url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2,
			MessageSystemAttributeNames: []types.MessageSystemAttributeName{"All"},
		})
		require.NoError(t, err)
		for _, m := range out.Messages {
			g := m.Attributes["MessageGroupId"]
			got[g] = append(got[g], decodeBody(t, m)["detail"].(map[string]any)["n"].(float64))
			_, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: &url, ReceiptHandle: m.ReceiptHandle})
			require.NoError(t, err)
		}
	}
	require.Equal(t, map[string][]float64{"g1": want}, got)
}

func TestEventsInputTransformerEndToEnd(t *testing.T) {
	t.Parallel()
	e := setupEvents(t)
	url, arn := e.queue("xform", nil)
	ruleArn := e.rule("default", "xf", `{"source":["users"]}`, ebtypes.Target{Id: aws.String("t"), Arn: &arn, InputTransformer: &ebtypes.InputTransformer{
		InputPathsMap: map[string]string{"user": "$.detail.user", "tags": "$.detail.tags"},
		InputTemplate: aws.String(`{"user": <user>, "path": "users/<user>", "tags": <tags>, "rule": "<aws.events.rule-name>", "arn": <aws.events.rule-arn>}`),
	}})
	_, pathArn := e.queue("xform-path", nil)
	_, err := e.eb.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("xf"), Targets: []ebtypes.Target{{Id: aws.String("p"), Arn: &pathArn, InputPath: aws.String("$.detail.user")}}})
	require.NoError(t, err)
	e.put(entry("users", "created", `{"user":"u-1","tags":["a","b"]}`))
	body := decodeBody(t, e.receive(url, 1)[0])
	require.Equal(t, map[string]any{"user": "u-1", "path": "users/u-1", "tags": []any{"a", "b"}, "rule": "xf", "arn": ruleArn}, body)
	require.Equal(t, `"u-1"`, *e.receive(e.createQueue("xform-path", nil), 1)[0].Body)

	_, err = e.eb.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("xf"), Targets: []ebtypes.Target{{Id: aws.String("bad"), Arn: &arn, InputTransformer: &ebtypes.InputTransformer{InputTemplate: aws.String(`"<nope>"`)}}}})
	requireEBError(t, err, "ValidationException", "InputTemplate for target bad contains invalid placeholder nope.")
}

func TestEventsRetryThenDeadLetter(t *testing.T) {
	t.Parallel()
	e := setupEvents(t)
	dlqURL, dlqArn := e.queue("eb-dlq", nil)
	goneURL, goneArn := e.queue("gone", nil)
	_, err := e.c.DeleteQueue(e.ctx, &sqs.DeleteQueueInput{QueueUrl: &goneURL})
	require.NoError(t, err)
	lambdaArn := "arn:aws:lambda:us-east-1:" + account + ":function:f"
	dl := &ebtypes.DeadLetterConfig{Arn: &dlqArn}
	ruleArn := e.rule("default", "dl", `{"source":["s"]}`, ebtypes.Target{
		Id: aws.String("lambda"), Arn: &lambdaArn, DeadLetterConfig: dl,
		RetryPolicy: &ebtypes.RetryPolicy{MaximumRetryAttempts: aws.Int32(0), MaximumEventAgeInSeconds: aws.Int32(60)},
	})
	_, err = e.eb.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("dl"), Targets: []ebtypes.Target{{
		Id: aws.String("gone"), Arn: &goneArn, DeadLetterConfig: dl,
		RetryPolicy: &ebtypes.RetryPolicy{MaximumRetryAttempts: aws.Int32(5)},
	}}})
	require.NoError(t, err)
	out := e.put(entry("s", "t", `{"k":"v"}`))

	byTarget := map[string]map[string]string{}
	for _, m := range e.receive(dlqURL, 2) {
		require.Equal(t, *out.Entries[0].EventId, decodeBody(t, m)["id"])
		attrs := map[string]string{}
		for k, v := range m.MessageAttributes {
			attrs[k] = *v.StringValue
		}
		byTarget[attrs["TARGET_ARN"]] = attrs
	}
	// A function that does not exist is not retried either.
	require.Equal(t, map[string]string{
		"RULE_ARN": ruleArn, "TARGET_ARN": lambdaArn, "ERROR_CODE": "ResourceNotFoundException",
		"ERROR_MESSAGE": "Function not found: " + lambdaArn, "RETRY_ATTEMPTS": "0",
	}, byTarget[lambdaArn])
	// A deleted queue is not retried.
	require.Equal(t, map[string]string{
		"RULE_ARN": ruleArn, "TARGET_ARN": goneArn, "ERROR_CODE": "SQS.NonExistentQueue",
		"ERROR_MESSAGE": "The specified queue does not exist.", "RETRY_ATTEMPTS": "0",
	}, byTarget[goneArn])
}

func TestEventsAcceptanceSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := setupEvents(t, fogbanktest.WithDataDir(dir))
	url, arn := e.queue("durable", nil)
	_, err := e.eb.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("app")})
	require.NoError(t, err)
	e.rule("app", "keep", `{"source":["s"]}`, ebtypes.Target{Id: aws.String("q"), Arn: &arn})
	ev := entry("s", "t", `{"n":1}`)
	ev.EventBusName = aws.String("app")
	first := e.put(ev, ev, ev)
	e.srv.Stop()

	e2 := setupEvents(t, fogbanktest.WithDataDir(dir))
	second := e2.put(ev)
	ids := map[any]bool{}
	for _, m := range e2.receive(url, 4) {
		ids[decodeBody(t, m)["id"]] = true
	}
	for _, r := range append(first.Entries, second.Entries...) {
		require.True(t, ids[*r.EventId], "event %s lost", *r.EventId)
	}
}

func TestEventsPutEventsValidation(t *testing.T) {
	t.Parallel()
	e := setupEvents(t)
	out := e.put(
		ebtypes.PutEventsRequestEntry{DetailType: aws.String("t"), Detail: aws.String("{}")},
		ebtypes.PutEventsRequestEntry{Source: aws.String("s"), Detail: aws.String("{}")},
		ebtypes.PutEventsRequestEntry{Source: aws.String("s"), DetailType: aws.String("t")},
		entry("s", "t", `"a string"`),
		entry("s", "t", `{}`),
		entry("s", "t", `{}`),
	)
	require.Equal(t, int32(4), out.FailedEntryCount)
	want := [][2]string{
		{"InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument."},
		{"InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument."},
		{"InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument."},
		{"MalformedDetail", "Detail is malformed."},
	}
	for i, w := range want {
		require.Equal(t, w[0], aws.ToString(out.Entries[i].ErrorCode))
		require.Equal(t, w[1], aws.ToString(out.Entries[i].ErrorMessage))
		require.Nil(t, out.Entries[i].EventId)
	}
	require.NotEqual(t, *out.Entries[4].EventId, *out.Entries[5].EventId)

	big := make([]byte, 300*1024)
	for i := range big {
		big[i] = 'x'
	}
	detail := `{"x":"` + string(big) + `"}`
	entries := []ebtypes.PutEventsRequestEntry{entry("s", "t", detail), entry("s", "t", detail), entry("s", "t", detail), entry("s", "t", detail)}
	_, err := e.eb.PutEvents(e.ctx, &eventbridge.PutEventsInput{Entries: entries})
	requireEBError(t, err, "ValidationException", "Total size of the entries in the request is over the limit.")

	var eleven []ebtypes.PutEventsRequestEntry
	for range 11 {
		eleven = append(eleven, entry("s", "t", `{}`))
	}
	_, err = e.eb.PutEvents(e.ctx, &eventbridge.PutEventsInput{Entries: eleven})
	var msg string
	require.Error(t, err)
	msg = err.Error()
	require.Contains(t, msg, "ValidationException")
	require.Contains(t, msg, "at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10")
}

// TestEventsPatternCorpusThroughAPI runs the events-patterns corpus through
// TestEventPattern.
func TestEventsPatternCorpusThroughAPI(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("FOGBANK_CONFORMANCE_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "conformance")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "events-patterns", "*.json"))
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("conformance corpus not found at %s", dir)
		}
		t.Skipf("conformance corpus not found at %s (set FOGBANK_CONFORMANCE_DIR)", dir)
	}
	e := setupEvents(t)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		var c struct {
			ID         string `json:"id"`
			EventRaw   string `json:"event_raw"`
			PatternRaw string `json:"pattern_raw"`
			Expect     string `json:"expect"`
			Error      *struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		require.NoError(t, json.Unmarshal(raw, &c))
		t.Run(c.ID, func(t *testing.T) {
			t.Parallel()
			out, err := e.eb.TestEventPattern(e.ctx, &eventbridge.TestEventPatternInput{EventPattern: &c.PatternRaw, Event: &c.EventRaw})
			if c.Expect == "invalid" {
				requireEBError(t, err, c.Error.Code, c.Error.Message)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.Expect == "match", out.Result)
		})
	}
}
