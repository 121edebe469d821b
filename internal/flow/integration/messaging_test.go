package integration_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/bus"
	"github.com/fogbank/fogbank/internal/flow/engine"
	"github.com/fogbank/fogbank/internal/topic"
)

// TestSQSSendMessage: the output of the recorded sqs:sendMessage cases
// (MD5OfMessageBody, MessageId, SdkHttpMetadata of a 106-byte JSON
// answer), an object body sent as JSON text, and the recorded error for a
// missing body.
func TestSQSSendMessage(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.queue("q1", nil)
	out, f := e.invoke("arn:aws:states:::sqs:sendMessage", map[string]any{
		"QueueUrl": url, "MessageBody": map[string]any{"Message": "HelloWorld"},
		"MessageAttributes": map[string]any{"k": map[string]any{"DataType": "String", "StringValue": "v"}},
	})
	require.Nil(t, f)
	m := e.receive("q1")
	require.Equal(t, `{"Message":"HelloWorld"}`, m.Body)
	require.Equal(t, m.MessageID, out["MessageId"])
	require.Equal(t, m.MD5OfBody, out["MD5OfMessageBody"])
	require.NotEmpty(t, out["MD5OfMessageAttributes"])

	out, f = e.invoke("arn:aws:states:::sqs:sendMessage", map[string]any{"QueueUrl": url, "MessageBody": "text"})
	require.Nil(t, f)
	headers := out["SdkHttpMetadata"].(map[string]any)["HttpHeaders"].(map[string]any)
	require.Equal(t, "106", headers["Content-Length"])
	require.Equal(t, "application/x-amz-json-1.0", headers["Content-Type"])
	require.Equal(t, "text", e.receive("q1").Body)

	_, f = e.invoke("arn:aws:states:::sqs:sendMessage", map[string]any{"QueueUrl": url, "MessageBody": nil})
	require.Equal(t, "SQS.AmazonSQSException", f.Error)
	require.Equal(t, "The request must contain the parameter MessageBody. (Service: AmazonSQS; Status Code: 400; Error Code: MissingParameter; Request ID: <id>; Proxy: null)",
		uuidRE.ReplaceAllString(f.Cause, "<id>"))

	_, f = e.invoke("arn:aws:states:::sqs:sendMessage", map[string]any{"QueueUrl": strings.Replace(url, "q1", "nope", 1), "MessageBody": "x"})
	require.Equal(t, "SQS.AmazonSQSException", f.Error)
	require.Contains(t, f.Cause, "The specified queue does not exist. (Service: AmazonSQS; Status Code: 400; Error Code: AWS.SimpleQueueService.NonExistentQueue;")
}

// TestSNSPublish: the recorded sns:publish output (a 294-byte XML answer)
// and the recorded error of a FIFO topic without MessageGroupId.
func TestSNSPublish(t *testing.T) {
	t.Parallel()
	e := setup(t)
	std, err := e.topics.CreateTopic(t.Context(), topic.CreateTopicInput{Caller: topic.Caller{Account: account, Region: region}, Name: "t1"})
	require.NoError(t, err)
	out, f := e.invoke("arn:aws:states:::sns:publish", map[string]any{"TopicArn": std, "Message": map[string]any{"Message": "HelloWorld!"}})
	require.Nil(t, f)
	require.Regexp(t, uuidRE, out["MessageId"])
	headers := out["SdkHttpMetadata"].(map[string]any)["HttpHeaders"].(map[string]any)
	require.Equal(t, "294", headers["Content-Length"])
	require.Equal(t, "text/xml", headers["Content-Type"])

	fifo, err := e.topics.CreateTopic(t.Context(), topic.CreateTopicInput{
		Caller: topic.Caller{Account: account, Region: region}, Name: "t2.fifo", Attributes: map[string]string{"FifoTopic": "true"},
	})
	require.NoError(t, err)
	_, f = e.invoke("arn:aws:states:::sns:publish", map[string]any{"TopicArn": fifo, "Message": "m"})
	require.Equal(t, "SNS.InvalidParameterException", f.Error)
	require.Equal(t, "Invalid parameter: The MessageGroupId parameter is required for FIFO topics (Service: AmazonSNS; Status Code: 400; Error Code: InvalidParameter; Request ID: <id>; Proxy: null)",
		uuidRE.ReplaceAllString(f.Cause, "<id>"))
}

// TestPutEvents: the recorded events:putEvents cases — object and text
// details, a malformed detail and a missing source fail the task with
// EventBridge.FailedEntry and the result as cause — and the execution's
// ARN among the delivered event's resources.
func TestPutEvents(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.queue("events", nil)
	c := bus.Caller{Account: account, Region: region}
	_, err := e.buses.PutRule(t.Context(), bus.PutRuleInput{Caller: c, Name: "r", EventPattern: ptr(`{"source":["some.source"]}`)})
	require.NoError(t, err)
	_, err = e.buses.PutTargets(t.Context(), bus.PutTargetsInput{Caller: c, Rule: "r", Targets: []bus.Target{{ID: "q", Arn: "arn:aws:sqs:us-east-1:000000000000:events"}}})
	require.NoError(t, err)

	out, f := e.invoke("arn:aws:states:::events:putEvents", `{"Entries": [
		{"Detail": "{\"Message\": \"HelloWorld0\"}", "DetailType": "dt", "Source": "some.source"},
		{"Detail": {"Message": "HelloWorld1"}, "DetailType": "dt", "Source": "other.source", "Resources": ["r1"]}]}`)
	require.Nil(t, f)
	require.Equal(t, json.Number("0"), out["FailedEntryCount"])
	entries := out["Entries"].([]any)
	require.Len(t, entries, 2)
	var ev struct {
		ID        string         `json:"id"`
		Resources []string       `json:"resources"`
		Detail    map[string]any `json:"detail"`
	}
	require.NoError(t, json.Unmarshal([]byte(e.receive("events").Body), &ev))
	require.Equal(t, entries[0].(map[string]any)["EventId"], ev.ID)
	require.Equal(t, []string{execArn}, ev.Resources)
	require.Equal(t, map[string]any{"Message": "HelloWorld0"}, ev.Detail)

	_, f = e.invoke("arn:aws:states:::events:putEvents", `{"Entries": [
		{"Detail": {"Message": "HelloWorld1"}, "DetailType": "dt", "Source": "some.source"},
		{"Detail": "\"jsonstring\"", "DetailType": "dt", "Source": "some.source"},
		{"Detail": {"Message": "HelloWorld"}, "DetailType": "dt"}]}`)
	require.Equal(t, "EventBridge.FailedEntry", f.Error)
	require.JSONEq(t, `{"Entries": [{"EventId": "<id>"}, {"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."},
		{"ErrorCode": "InvalidArgument", "ErrorMessage": "Parameter Source is not valid. Reason: Source is a required argument."}], "FailedEntryCount": 2}`,
		uuidRE.ReplaceAllString(f.Cause, "<id>"))
}

// TestCallbackSendsOnceAndWaits: sqs:sendMessage.waitForTaskToken sends
// the message carrying the token, reports the submission, and ends with
// SendTaskSuccess's output; a resumed task only waits.
func TestCallbackSendsOnceAndWaits(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.queue("cb", nil)
	var submitted []any
	run := e.tasks.For(integrationExecution(func(out any) { submitted = append(submitted, out) }))
	req := engine.TaskRequest{
		Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Token: "tok-1", StateName: "Send",
		Input: decode(t, map[string]any{"QueueUrl": url, "MessageBody": map[string]any{"Message": "txt", "TaskToken": "tok-1"}}),
	}
	done := make(chan any, 1)
	go func() {
		out, err := run.Invoke(t.Context(), req)
		require.NoError(t, err)
		done <- out
	}()
	m := e.receive("cb")
	require.JSONEq(t, `{"Message":"txt","TaskToken":"tok-1"}`, m.Body)
	e.callbacks.succeed("tok-1", map[string]any{"ok": true})
	require.Equal(t, map[string]any{"ok": true}, <-done)
	require.Len(t, submitted, 1)
	require.Equal(t, m.MessageID, submitted[0].(map[string]any)["MessageId"])

	req.Resumed, req.Token = true, "tok-2"
	e.callbacks.succeed("tok-2", "again")
	out, err := run.Invoke(t.Context(), req)
	require.NoError(t, err)
	require.Equal(t, "again", out)
	require.Len(t, submitted, 1, "a resumed callback task does not send again")
}

func ptr[T any](v T) *T { return &v }
