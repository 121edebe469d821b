package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// snsCLI runs "aws sns ..." against the harness's fogbank and decodes its
// JSON output; want is the expected exit code.
func snsCLI(c *cliEnv, want int, args ...string) (map[string]any, string) {
	c.t.Helper()
	return c.cli("sns", nil, want, args...)
}

func TestSNSCLI(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	created, _ := snsCLI(c, 0, "create-topic", "--name", "cli-topic", "--attributes", "DisplayName=cli", "--tags", "Key=team,Value=a")
	arn := created["TopicArn"].(string)
	require.Equal(t, "arn:aws:sns:us-east-1:"+account+":cli-topic", arn)
	attrs, _ := snsCLI(c, 0, "get-topic-attributes", "--topic-arn", arn)
	require.Equal(t, "cli", attrs["Attributes"].(map[string]any)["DisplayName"])
	tags, _ := snsCLI(c, 0, "list-tags-for-resource", "--resource-arn", arn)
	require.Equal(t, []any{map[string]any{"Key": "team", "Value": "a"}}, tags["Tags"])
	pub, _ := snsCLI(c, 0, "publish", "--topic-arn", arn, "--message", "hi", "--message-attributes", `{"n":{"DataType":"Number","StringValue":"1"}}`)
	require.NotEmpty(t, pub["MessageId"])
	_, stderr := snsCLI(c, 254, "get-topic-attributes", "--topic-arn", arn+"-missing")
	require.Contains(t, stderr, "An error occurred (NotFound) when calling the GetTopicAttributes operation: Topic does not exist")
}

// TestSNSCLIEveryOperation drives every SNS operation through the AWS CLI
// (query protocol) at least once.
func TestSNSCLIEveryOperation(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	q := c.ok("create-queue", "--queue-name", "sns-cli-target")["QueueUrl"].(string)
	queueArn := "arn:aws:sqs:us-east-1:" + account + ":sns-cli-target"

	created, _ := snsCLI(c, 0, "create-topic", "--name", "cli-ops")
	arn := created["TopicArn"].(string)
	snsCLI(c, 0, "set-topic-attributes", "--topic-arn", arn, "--attribute-name", "DisplayName", "--attribute-value", "ops")
	attrs, _ := snsCLI(c, 0, "get-topic-attributes", "--topic-arn", arn)
	require.Equal(t, "ops", attrs["Attributes"].(map[string]any)["DisplayName"])
	topics, _ := snsCLI(c, 0, "list-topics")
	require.Contains(t, fmt.Sprint(topics["Topics"]), arn)

	sub, _ := snsCLI(c, 0, "subscribe", "--topic-arn", arn, "--protocol", "sqs", "--notification-endpoint", queueArn,
		"--attributes", `{"RawMessageDelivery":"true","FilterPolicy":"{\"kind\":[\"keep\"]}"}`, "--return-subscription-arn")
	subArn := sub["SubscriptionArn"].(string)
	require.True(t, strings.HasPrefix(subArn, arn+":"), subArn)
	snsCLI(c, 0, "set-subscription-attributes", "--subscription-arn", subArn, "--attribute-name", "FilterPolicyScope", "--attribute-value", "MessageAttributes")
	sa, _ := snsCLI(c, 0, "get-subscription-attributes", "--subscription-arn", subArn)
	require.Equal(t, "true", sa["Attributes"].(map[string]any)["RawMessageDelivery"])
	all, _ := snsCLI(c, 0, "list-subscriptions")
	require.Contains(t, fmt.Sprint(all["Subscriptions"]), subArn)
	byTopic, _ := snsCLI(c, 0, "list-subscriptions-by-topic", "--topic-arn", arn)
	require.Len(t, byTopic["Subscriptions"], 1)

	batch, _ := snsCLI(c, 0, "publish-batch", "--topic-arn", arn, "--publish-batch-request-entries",
		`[{"Id":"a","Message":"kept","MessageAttributes":{"kind":{"DataType":"String","StringValue":"keep"}}},{"Id":"b","Message":"dropped","MessageAttributes":{"kind":{"DataType":"String","StringValue":"drop"}}}]`)
	require.Len(t, batch["Successful"], 2)
	got := c.ok("receive-message", "--queue-url", q, "--wait-time-seconds", "2", "--max-number-of-messages", "10")
	msgs := got["Messages"].([]any)
	require.Len(t, msgs, 1)
	require.Equal(t, "kept", msgs[0].(map[string]any)["Body"], "raw delivery, filtered by attribute")

	snsCLI(c, 0, "tag-resource", "--resource-arn", arn, "--tags", "Key=a,Value=1", "Key=b,Value=2")
	snsCLI(c, 0, "untag-resource", "--resource-arn", arn, "--tag-keys", "a")
	tags, _ := snsCLI(c, 0, "list-tags-for-resource", "--resource-arn", arn)
	require.Equal(t, []any{map[string]any{"Key": "b", "Value": "2"}}, tags["Tags"])

	snsCLI(c, 0, "add-permission", "--topic-arn", arn, "--label", "cross", "--aws-account-id", "111111111111", "--action-name", "Publish")
	pol, _ := snsCLI(c, 0, "get-topic-attributes", "--topic-arn", arn)
	require.Contains(t, pol["Attributes"].(map[string]any)["Policy"], "cross")
	snsCLI(c, 0, "remove-permission", "--topic-arn", arn, "--label", "cross")

	_, stderr := snsCLI(c, 254, "confirm-subscription", "--topic-arn", arn, "--token", "not-a-token")
	require.Contains(t, stderr, "when calling the ConfirmSubscription operation")
	snsCLI(c, 0, "unsubscribe", "--subscription-arn", subArn)
	byTopic, _ = snsCLI(c, 0, "list-subscriptions-by-topic", "--topic-arn", arn)
	require.Empty(t, byTopic["Subscriptions"])
	snsCLI(c, 0, "delete-topic", "--topic-arn", arn)
	_, stderr = snsCLI(c, 254, "get-topic-attributes", "--topic-arn", arn)
	require.Contains(t, stderr, "An error occurred (NotFound) when calling the GetTopicAttributes operation: Topic does not exist")
}
