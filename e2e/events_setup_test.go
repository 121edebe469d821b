package e2e

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
)

// ebEnv is an EventBridge test's fogbank with EventBridge and SQS clients.
type ebEnv struct {
	sdkEnv
	eb *eventbridge.Client
}

func setupEvents(t *testing.T, opts ...fogbanktest.Option) ebEnv {
	t.Helper()
	e := setup(t, opts...)
	return ebEnv{sdkEnv: e, eb: eventbridge.NewFromConfig(e.srv.AWSConfig())}
}

// queue creates a queue and returns its URL and ARN.
func (e ebEnv) queue(name string, attrs map[string]string) (string, string) {
	e.t.Helper()
	url := e.createQueue(name, attrs)
	return url, e.arn(url)
}

// rule creates a rule on a bus with a pattern and one target.
func (e ebEnv) rule(bus, name, pattern string, target ebtypes.Target) string {
	e.t.Helper()
	out, err := e.eb.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: &name, EventBusName: aws.String(bus), EventPattern: &pattern})
	require.NoError(e.t, err)
	pt, err := e.eb.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: &name, EventBusName: aws.String(bus), Targets: []ebtypes.Target{target}})
	require.NoError(e.t, err)
	require.Zero(e.t, pt.FailedEntryCount)
	return *out.RuleArn
}

func (e ebEnv) put(entries ...ebtypes.PutEventsRequestEntry) *eventbridge.PutEventsOutput {
	e.t.Helper()
	out, err := e.eb.PutEvents(e.ctx, &eventbridge.PutEventsInput{Entries: entries})
	require.NoError(e.t, err)
	return out
}

// receive long-polls until n messages arrived on the queue.
func (e ebEnv) receive(url string, n int) []types.Message {
	e.t.Helper()
	var msgs []types.Message
	for range 10 {
		out, err := e.c.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{
			QueueUrl: &url, MaxNumberOfMessages: 10, WaitTimeSeconds: 2,
			MessageAttributeNames: []string{"All"}, MessageSystemAttributeNames: []types.MessageSystemAttributeName{"All"},
		})
		require.NoError(e.t, err)
		msgs = append(msgs, out.Messages...)
		for _, m := range out.Messages {
			_, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: &url, ReceiptHandle: m.ReceiptHandle})
			require.NoError(e.t, err)
		}
		if len(msgs) >= n {
			break
		}
	}
	require.Len(e.t, msgs, n)
	return msgs
}

// empty checks that nothing arrives on the queue within a short long poll.
func (e ebEnv) empty(url string) {
	e.t.Helper()
	out, err := e.c.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{QueueUrl: &url, WaitTimeSeconds: 1})
	require.NoError(e.t, err)
	require.Empty(e.t, out.Messages)
}

func entry(source, detailType, detail string) ebtypes.PutEventsRequestEntry {
	return ebtypes.PutEventsRequestEntry{Source: &source, DetailType: &detailType, Detail: &detail}
}

func decodeBody(t *testing.T, m types.Message) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(*m.Body), &v), *m.Body)
	return v
}

// requireEBError checks an SDK error's code and message.
func requireEBError(t *testing.T, err error, code, message string) {
	t.Helper()
	var ae smithy.APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, code, ae.ErrorCode())
	require.Equal(t, message, ae.ErrorMessage())
}
