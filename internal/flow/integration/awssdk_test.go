package integration_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/bus"
	"github.com/fogbank/fogbank/internal/flow/integration"
)

// TestAWSSDKQueues: aws-sdk:sqs actions with the model's member names, and
// errors named <Service>.<Exception>.
func TestAWSSDKQueues(t *testing.T) {
	t.Parallel()
	e := setup(t)
	out, f := e.invoke("arn:aws:states:::aws-sdk:sqs:createQueue", map[string]any{"QueueName": "sdk", "Attributes": map[string]any{"VisibilityTimeout": "5"}})
	require.Nil(t, f)
	url := out["QueueUrl"].(string)
	require.Equal(t, "http://127.0.0.1:4566/000000000000/sdk", url)

	out, f = e.invoke("arn:aws:states:::aws-sdk:sqs:getQueueUrl", map[string]any{"QueueName": "sdk"})
	require.Nil(t, f)
	require.Equal(t, url, out["QueueUrl"])

	sent, f := e.invoke("arn:aws:states:::aws-sdk:sqs:sendMessage", map[string]any{"QueueUrl": url, "MessageBody": "hello"})
	require.Nil(t, f)
	require.NotContains(t, sent, "SdkHttpMetadata")

	out, f = e.invoke("arn:aws:states:::aws-sdk:sqs:receiveMessage", map[string]any{"QueueUrl": url, "WaitTimeSeconds": 5})
	require.Nil(t, f)
	msgs := out["Messages"].([]any)
	require.Len(t, msgs, 1)
	m := msgs[0].(map[string]any)
	require.Equal(t, "hello", m["Body"])
	require.Equal(t, sent["MessageId"], m["MessageId"])
	require.Equal(t, sent["MD5OfMessageBody"], m["MD5OfBody"])

	_, f = e.invoke("arn:aws:states:::aws-sdk:sqs:deleteMessage", map[string]any{"QueueUrl": url, "ReceiptHandle": m["ReceiptHandle"]})
	require.Nil(t, f)

	out, f = e.invoke("arn:aws:states:::aws-sdk:sqs:listQueues", map[string]any{})
	require.Nil(t, f)
	require.Equal(t, []any{url}, out["QueueUrls"])

	out, f = e.invoke("arn:aws:states:::aws-sdk:sqs:getQueueAttributes", map[string]any{"QueueUrl": url, "AttributeNames": []any{"VisibilityTimeout"}})
	require.Nil(t, f)
	require.Equal(t, map[string]any{"VisibilityTimeout": "5"}, out["Attributes"])

	out, f = e.invoke("arn:aws:states:::aws-sdk:sns:createTopic", map[string]any{"Name": "fan"})
	require.Nil(t, f)
	topicArn := out["TopicArn"].(string)
	out, f = e.invoke("arn:aws:states:::aws-sdk:sns:subscribe", map[string]any{
		"TopicArn": topicArn, "Protocol": "sqs", "Endpoint": "arn:aws:sqs:us-east-1:000000000000:sdk", "ReturnSubscriptionArn": true,
	})
	require.Nil(t, f)
	require.Contains(t, out["SubscriptionArn"], topicArn+":")
	_, f = e.invoke("arn:aws:states:::aws-sdk:sns:publish", map[string]any{"TopicArn": topicArn, "Message": "fanned"})
	require.Nil(t, f)
	out, f = e.invoke("arn:aws:states:::aws-sdk:sqs:receiveMessage", map[string]any{"QueueUrl": url, "WaitTimeSeconds": 5})
	require.Nil(t, f)
	require.Contains(t, out["Messages"].([]any)[0].(map[string]any)["Body"], "fanned")
	_, f = e.invoke("arn:aws:states:::aws-sdk:sns:deleteTopic", map[string]any{"TopicArn": topicArn})
	require.Nil(t, f)

	_, f = e.invoke("arn:aws:states:::aws-sdk:sqs:deleteQueue", map[string]any{"QueueUrl": url})
	require.Nil(t, f)

	_, f = e.invoke("arn:aws:states:::aws-sdk:sqs:getQueueUrl", map[string]any{"QueueName": "absent"})
	require.Equal(t, "Sqs.QueueDoesNotExistException", f.Error)
	require.Regexp(t, `^The specified queue does not exist\. \(Service: Sqs, Status Code: 400, Request ID: [0-9a-f-]{36}\) \(SDK Attempt Count: 1\)$`, f.Cause)
}

func TestAWSSDKOthers(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.function("fn")
	out, f := e.invoke("arn:aws:states:::aws-sdk:lambda:invoke", map[string]any{"FunctionName": "fn", "Payload": `{"a":1}`})
	require.Nil(t, f)
	require.Equal(t, `{"a":1}`, out["Payload"])
	require.Equal(t, json.Number("200"), out["StatusCode"])

	out, f = e.invoke("arn:aws:states:::aws-sdk:lambda:getFunction", map[string]any{"FunctionName": "fn"})
	require.Nil(t, f)
	require.Equal(t, "arn:aws:lambda:us-east-1:000000000000:function:fn", out["Configuration"].(map[string]any)["FunctionArn"])

	out, f = e.invoke("arn:aws:states:::aws-sdk:lambda:listFunctions", map[string]any{})
	require.Nil(t, f)
	require.Len(t, out["Functions"], 1)

	_, f = e.invoke("arn:aws:states:::aws-sdk:lambda:getFunction", map[string]any{"FunctionName": "absent"})
	require.Equal(t, "Lambda.ResourceNotFoundException", f.Error)

	out, f = e.invoke("arn:aws:states:::aws-sdk:sns:createTopic", map[string]any{"Name": "t"})
	require.Nil(t, f)
	topicArn := out["TopicArn"].(string)
	out, f = e.invoke("arn:aws:states:::aws-sdk:sns:listTopics", map[string]any{})
	require.Nil(t, f)
	require.Equal(t, []any{map[string]any{"TopicArn": topicArn}}, out["Topics"])
	out, f = e.invoke("arn:aws:states:::aws-sdk:sns:publish", map[string]any{"TopicArn": topicArn, "Message": "m"})
	require.Nil(t, f)
	require.Regexp(t, uuidRE, out["MessageId"])
	_, f = e.invoke("arn:aws:states:::aws-sdk:sns:publish", map[string]any{"TopicArn": topicArn + "x", "Message": "m"})
	require.Equal(t, "Sns.NotFoundException", f.Error)

	out, f = e.invoke("arn:aws:states:::aws-sdk:eventbridge:putEvents", map[string]any{"Entries": []any{map[string]any{"Source": "s", "DetailType": "d", "Detail": "{}"}}})
	require.Nil(t, f)
	require.Equal(t, json.Number("0"), out["FailedEntryCount"])

	out, f = e.invoke("arn:aws:states:::aws-sdk:sfn:startExecution", map[string]any{"StateMachineArn": childSM, "Name": "n"})
	require.Nil(t, f)
	require.Equal(t, "2023-11-14T22:13:20.123Z", out["StartDate"])
	_, f = e.invoke("arn:aws:states:::aws-sdk:sfn:startExecution", map[string]any{"StateMachineArn": "bad"})
	require.Equal(t, "Sfn.InvalidArnException", f.Error)

	// The recorded test_sfn_send_task_outcome_with_no_such_token.
	_, f = e.invoke("arn:aws:states:::aws-sdk:sfn:sendTaskSuccess", map[string]any{"Output": "{}", "TaskToken": "Invalid token"})
	require.Equal(t, "Sfn.InvalidTokenException", f.Error)
	require.Equal(t, "Invalid Token: 'Invalid token' (Service: Sfn, Status Code: 400, Request ID: <id>) (SDK Attempt Count: 1)", uuidRE.ReplaceAllString(f.Cause, "<id>"))
	e.callbacks.ch("tok") // known
	out, f = e.invoke("arn:aws:states:::aws-sdk:sfn:sendTaskSuccess", map[string]any{"Output": map[string]any{"a": 1}, "TaskToken": "tok"})
	require.Nil(t, f)
	require.Empty(t, out)
	o := <-e.callbacks.ch("tok")
	require.Equal(t, `{"a":1}`, o.output)
}

// TestUnemulatedResources: services fogbank does not have fail with
// States.Runtime naming the resource.
func TestUnemulatedResources(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for _, r := range []string{
		"arn:aws:states:::dynamodb:putItem", "arn:aws:states:::aws-sdk:s3:listObjects", "arn:aws:states:::lambda:invoke.sync",
		"arn:aws:states:::aws-sdk:sqs:noSuchAction", "arn:aws:states:us-east-1:000000000000:activity:a", "arn:aws:states:::http:invoke.waitForTaskToken",
	} {
		_, f := e.invoke(r, map[string]any{})
		require.Equal(t, "States.Runtime", f.Error, r)
		require.Equal(t, "fogbank does not emulate the resource "+r+".", f.Cause)
	}
}

// TestBusDeliversToStateMachine: a rule's Step Functions target starts an
// execution with the event as input, named after the delivery.
func TestBusDeliversToStateMachine(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.buses.SetStateMachines(integration.BusTarget(e.execs))
	c := bus.Caller{Account: account, Region: region}
	_, err := e.buses.PutRule(t.Context(), bus.PutRuleInput{Caller: c, Name: "r", EventPattern: ptr(`{"source":["orders"]}`)})
	require.NoError(t, err)
	_, err = e.buses.PutTargets(t.Context(), bus.PutTargetsInput{Caller: c, Rule: "r", Targets: []bus.Target{{
		ID: "sm", Arn: childSM, RoleArn: ptr("arn:aws:iam::000000000000:role/events"),
	}}})
	require.NoError(t, err)
	res, err := e.buses.PutEvents(t.Context(), bus.PutEventsInput{Caller: c, Entries: []bus.Entry{{Source: ptr("orders"), DetailType: ptr("created"), Detail: ptr(`{"id":1}`)}}})
	require.NoError(t, err)
	select {
	case in := <-e.execs.startCh:
		require.Equal(t, childSM, in.StateMachineArn)
		require.Regexp(t, `^`+uuidRE.String()+`$`, in.Name)
		var ev map[string]any
		require.NoError(t, json.Unmarshal([]byte(in.Input), &ev))
		require.Equal(t, res[0].EventID, ev["id"])
		require.Equal(t, map[string]any{"id": float64(1)}, ev["detail"])
	case <-time.After(10 * time.Second):
		t.Fatal("no execution started")
	}
}

// TestBusTargetMissingMachineDeadLetters: a target state machine that does
// not exist is a permanent failure, dead-lettered at once with
// ResourceNotFoundException.
func TestBusTargetMissingMachineDeadLetters(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.buses.SetStateMachines(integration.BusTarget(e.execs))
	e.queue("dlq", nil)
	c := bus.Caller{Account: account, Region: region}
	_, err := e.buses.PutRule(t.Context(), bus.PutRuleInput{Caller: c, Name: "r", EventPattern: ptr(`{"source":["orders"]}`)})
	require.NoError(t, err)
	_, err = e.buses.PutTargets(t.Context(), bus.PutTargetsInput{Caller: c, Rule: "r", Targets: []bus.Target{{
		ID: "sm", Arn: "arn:aws:states:us-east-1:000000000000:stateMachine:missing",
		DeadLetterConfig: &bus.DeadLetterConfig{Arn: ptr("arn:aws:sqs:us-east-1:000000000000:dlq")},
	}}})
	require.NoError(t, err)
	_, err = e.buses.PutEvents(t.Context(), bus.PutEventsInput{Caller: c, Entries: []bus.Entry{{Source: ptr("orders"), DetailType: ptr("created"), Detail: ptr(`{}`)}}})
	require.NoError(t, err)
	m := e.receiveAll("dlq")
	require.Equal(t, "ResourceNotFoundException", *m.MessageAttributes["ERROR_CODE"].StringValue)
	require.Equal(t, "State Machine Does Not Exist: 'arn:aws:states:us-east-1:000000000000:stateMachine:missing'", *m.MessageAttributes["ERROR_MESSAGE"].StringValue)
}
