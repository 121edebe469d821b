package e2e

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/stretchr/testify/require"
)

func TestEventsSNSTargetToSQS(t *testing.T) {
	t.Parallel()
	e := setupEvents(t)
	sc := sns.NewFromConfig(e.srv.AWSConfig())
	topic, err := sc.CreateTopic(e.ctx, &sns.CreateTopicInput{Name: aws.String("eb-topic")})
	require.NoError(t, err)
	envURL, envArn := e.queue("eb-sns-envelope", nil)
	rawURL, rawArn := e.queue("eb-sns-raw", nil)
	for _, s := range []struct {
		arn string
		raw map[string]string
	}{{envArn, nil}, {rawArn, map[string]string{"RawMessageDelivery": "true"}}} {
		_, err := sc.Subscribe(e.ctx, &sns.SubscribeInput{TopicArn: topic.TopicArn, Protocol: aws.String("sqs"), Endpoint: aws.String(s.arn), Attributes: s.raw})
		require.NoError(t, err)
	}
	e.rule("default", "to-sns", `{"source":["orders"]}`, ebtypes.Target{Id: aws.String("topic"), Arn: topic.TopicArn})
	out := e.put(entry("orders", "created", `{"n":1}`), entry("other", "created", `{"n":2}`))

	raw := decodeBody(t, e.receive(rawURL, 1)[0])
	require.Equal(t, *out.Entries[0].EventId, raw["id"])
	require.Equal(t, map[string]any{"n": float64(1)}, raw["detail"])

	env := decodeBody(t, e.receive(envURL, 1)[0])
	require.Equal(t, "Notification", env["Type"])
	require.Equal(t, *topic.TopicArn, env["TopicArn"])
	require.Contains(t, env["SigningCertURL"], "http://")
	var ev map[string]any
	require.NoError(t, json.Unmarshal([]byte(env["Message"].(string)), &ev))
	require.Equal(t, *out.Entries[0].EventId, ev["id"])
	e.empty(rawURL)
}
