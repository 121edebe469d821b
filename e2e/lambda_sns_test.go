package e2e

import (
	"encoding/base64"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
	"github.com/stretchr/testify/require"
)

// lambdaSNSEnv is a fogbank with SNS, SQS and Lambda clients.
type lambdaSNSEnv struct {
	snsEnv
	fn lambdaEnv
}

func setupLambdaSNS(t *testing.T) lambdaSNSEnv {
	t.Helper()
	e := snsSetup(t)
	return lambdaSNSEnv{snsEnv: e, fn: lambdaEnv{t: t, ctx: e.ctx, srv: e.srv, l: lambda.NewFromConfig(e.srv.AWSConfig())}}
}

// nextEvent waits for the next event a function forwarded to its EVENT_URL.
func nextEvent(t *testing.T, events <-chan []byte) map[string]any {
	t.Helper()
	select {
	case b := <-events:
		var v map[string]any
		require.NoError(t, json.Unmarshal(b, &v), string(b))
		return v
	case <-time.After(20 * time.Second):
		t.Fatal("the function received no event")
		return nil
	}
}

func TestLambdaSNSEventShape(t *testing.T) {
	t.Parallel()
	e := setupLambdaSNS(t)
	url, events := notifications(t)
	fn := e.fn.create("sns-fn", 3, map[string]string{"EVENT_URL": url})
	topicArn := e.topic("to-lambda", nil)
	// Raw delivery does not apply to Lambda: the function gets the event.
	subArn := e.subscribe(topicArn, "lambda", *fn.FunctionArn, map[string]string{"RawMessageDelivery": "true"})

	with, err := e.sns.Publish(e.ctx, &sns.PublishInput{
		TopicArn: &topicArn, Message: aws.String(`{"hello":"world"}`), Subject: aws.String("greetings"),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{
			"str": {DataType: aws.String("String"), StringValue: aws.String("v")},
			"num": {DataType: aws.String("Number"), StringValue: aws.String("100.12")},
			"bin": {DataType: aws.String("Binary"), BinaryValue: []byte{2, 3, 4}},
		},
	})
	require.NoError(t, err)
	without, err := e.sns.Publish(e.ctx, &sns.PublishInput{TopicArn: &topicArn, Message: aws.String("plain")})
	require.NoError(t, err)

	byID := map[string]map[string]any{}
	for range 2 {
		ev := nextEvent(t, events)
		require.Len(t, ev, 1, "only Records")
		records := ev["Records"].([]any)
		require.Len(t, records, 1)
		rec := records[0].(map[string]any)
		sn := rec["Sns"].(map[string]any)
		require.Equal(t, map[string]any{"EventSource": "aws:sns", "EventVersion": "1.0", "EventSubscriptionArn": subArn, "Sns": sn}, rec)
		byID[sn["MessageId"].(string)] = sn
	}

	endpoint := e.srv.AWSConfig().BaseEndpoint
	require.NotNil(t, endpoint)
	for id, want := range map[string]struct {
		subject, message any
		attrs            map[string]any
	}{
		*with.MessageId: {"greetings", `{"hello":"world"}`, map[string]any{
			"str": map[string]any{"Type": "String", "Value": "v"},
			"num": map[string]any{"Type": "Number", "Value": "100.12"},
			"bin": map[string]any{"Type": "Binary", "Value": base64.StdEncoding.EncodeToString([]byte{2, 3, 4})},
		}},
		*without.MessageId: {nil, "plain", map[string]any{}},
	} {
		sn := byID[id]
		require.NotNil(t, sn, id)
		ts, err := time.Parse("2006-01-02T15:04:05.000Z", sn["Timestamp"].(string))
		require.NoError(t, err)
		require.WithinDuration(t, time.Now(), ts, time.Minute)
		require.NotEmpty(t, sn["Signature"])
		require.Equal(t, map[string]any{
			"Type": "Notification", "MessageId": id, "TopicArn": topicArn, "Subject": want.subject, "Message": want.message,
			"Timestamp": sn["Timestamp"], "SignatureVersion": "1", "Signature": sn["Signature"],
			"SigningCertUrl":    *endpoint + "/_fogbank/sns/SimpleNotificationService-fogbank.pem",
			"UnsubscribeUrl":    *endpoint + "/?Action=Unsubscribe&SubscriptionArn=" + subArn,
			"MessageAttributes": want.attrs,
		}, sn)
		fields := stringFields(sn)
		fields["SigningCertURL"] = fields["SigningCertUrl"]
		verifySNS(t, fields)
	}
}

func TestLambdaSNSDeletedFunctionGoesToSubscriptionDLQ(t *testing.T) {
	t.Parallel()
	e := setupLambdaSNS(t)
	fn := e.fn.create("gone-fn", 3, nil)
	dlq := e.createQueue("lambda-sub-dlq", nil)
	topicArn := e.topic("to-gone", nil)
	e.subscribe(topicArn, "lambda", *fn.FunctionArn, map[string]string{"RedrivePolicy": `{"deadLetterTargetArn":"` + e.arn(dlq) + `"}`})
	_, err := e.fn.l.DeleteFunction(e.ctx, &lambda.DeleteFunctionInput{FunctionName: fn.FunctionName})
	require.NoError(t, err)

	out, err := e.sns.Publish(e.ctx, &sns.PublishInput{
		TopicArn: &topicArn, Message: aws.String("undeliverable"),
		MessageAttributes: map[string]snstypes.MessageAttributeValue{"n": {DataType: aws.String("Number"), StringValue: aws.String("1")}},
	})
	require.NoError(t, err)

	// The DLQ gets the signed notification envelope, as for other protocols.
	m := e.receive(dlq, 1)[0]
	require.Empty(t, m.MessageAttributes)
	var env map[string]any
	require.NoError(t, json.Unmarshal([]byte(*m.Body), &env))
	require.Equal(t, "Notification", env["Type"])
	require.Equal(t, *out.MessageId, env["MessageId"])
	require.Equal(t, "undeliverable", env["Message"])
	require.Equal(t, map[string]any{"n": map[string]any{"Type": "Number", "Value": "1"}}, env["MessageAttributes"])
	verifySNS(t, stringFields(env))
}
