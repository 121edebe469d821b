package e2e

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/require"
)

// These tests drive fogbank with the AWS CLI v2.9.19, which speaks SQS's
// query protocol (form in, XML out). Each CLI call costs about half a
// second, so every call counts.

func TestCLIQueueLifecycle(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	url := c.endpoint + "/" + account + "/cli-life"

	out := c.ok("create-queue", "--queue-name", "cli-life", "--attributes", "VisibilityTimeout=5,DelaySeconds=0", "--tags", "team=a,env=dev")
	require.Equal(t, url, out["QueueUrl"])
	require.Equal(t, url, c.ok("get-queue-url", "--queue-name", "cli-life")["QueueUrl"])
	require.Equal(t, []any{url}, c.ok("list-queues", "--queue-name-prefix", "cli-")["QueueUrls"])

	c.ok("set-queue-attributes", "--queue-url", url, "--attributes", "VisibilityTimeout=7")
	c.ok("add-permission", "--queue-url", url, "--label", "grant", "--aws-account-ids", "111111111111", "--actions", "SendMessage", "ReceiveMessage")
	attrs := c.ok("get-queue-attributes", "--queue-url", url, "--attribute-names", "All")["Attributes"].(map[string]any)
	require.Equal(t, "7", attrs["VisibilityTimeout"])
	require.Equal(t, "0", attrs["DelaySeconds"])
	require.Equal(t, "arn:aws:sqs:us-east-1:"+account+":cli-life", attrs["QueueArn"])
	require.Contains(t, attrs["Policy"], "arn:aws:iam::111111111111:root")
	require.Contains(t, attrs["Policy"], `"Sid":"grant"`)

	c.ok("tag-queue", "--queue-url", url, "--tags", "cost=42")
	c.ok("untag-queue", "--queue-url", url, "--tag-keys", "env")
	require.Equal(t, map[string]any{"team": "a", "cost": "42"}, c.ok("list-queue-tags", "--queue-url", url)["Tags"])
	c.ok("remove-permission", "--queue-url", url, "--label", "grant")
	c.fail("InvalidParameterValue", "RemovePermission", "Value grant for parameter Label is invalid. Reason: can't find label.",
		"remove-permission", "--queue-url", url, "--label", "grant")

	c.ok("delete-queue", "--queue-url", url)
	c.fail("AWS.SimpleQueueService.NonExistentQueue", "GetQueueUrl", "The specified queue does not exist for this wsdl version.",
		"get-queue-url", "--queue-name", "cli-life")
}

func TestCLIMessages(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	url := c.ok("create-queue", "--queue-name", "cli-msgs")["QueueUrl"].(string)

	attrs := map[string]types.MessageAttributeValue{
		"s": strAttr("String", "v"), "n": strAttr("Number.int", "42"),
		"b": {DataType: aws.String("Binary"), BinaryValue: []byte("hi\x00there")},
	}
	cliAttrs := mustJSON(t, map[string]any{
		"s": map[string]string{"DataType": "String", "StringValue": "v"},
		"n": map[string]string{"DataType": "Number.int", "StringValue": "42"},
		"b": map[string]string{"DataType": "Binary", "BinaryValue": base64.StdEncoding.EncodeToString([]byte("hi\x00there"))},
	})
	sent := c.ok("send-message", "--queue-url", url, "--message-body", "hello & <xml> \"quoted\"\r\n", "--message-attributes", cliAttrs)
	require.Equal(t, md5OfAttributes(attrs), sent["MD5OfMessageAttributes"])
	require.NotEmpty(t, sent["MessageId"])

	batch := c.ok("send-message-batch", "--queue-url", url, "--entries", mustJSON(t, []map[string]any{
		{"Id": "one", "MessageBody": "one"},
		{"Id": "two", "MessageBody": "two"},
		{"Id": "late", "MessageBody": "late", "DelaySeconds": 901},
	}))
	require.Len(t, list(t, batch, "Successful"), 2)
	failed := list(t, batch, "Failed")
	require.Len(t, failed, 1)
	require.Equal(t, "late", failed[0]["Id"])
	require.Equal(t, "InvalidParameterValue", failed[0]["Code"])
	require.Equal(t, true, failed[0]["SenderFault"])

	got := list(t, c.ok("receive-message", "--queue-url", url, "--attribute-names", "All", "--message-attribute-names", "All", "--max-number-of-messages", "10"), "Messages")
	require.Len(t, got, 3)
	byBody := map[string]map[string]any{}
	for _, m := range got {
		byBody[m["Body"].(string)] = m
	}
	first := byBody["hello & <xml> \"quoted\"\r\n"]
	require.NotNil(t, first, "body survives the XML round trip: %v", got)
	require.Equal(t, sent["MessageId"], first["MessageId"])
	require.Equal(t, sent["MD5OfMessageBody"], first["MD5OfBody"])
	require.Equal(t, md5OfAttributes(attrs), first["MD5OfMessageAttributes"])
	ma := first["MessageAttributes"].(map[string]any)
	require.Equal(t, map[string]any{"DataType": "Binary", "BinaryValue": base64.StdEncoding.EncodeToString([]byte("hi\x00there"))}, ma["b"])
	require.Equal(t, map[string]any{"DataType": "Number.int", "StringValue": "42"}, ma["n"])
	sys := first["Attributes"].(map[string]any)
	require.Equal(t, "1", sys["ApproximateReceiveCount"])
	require.NotEmpty(t, sys["SentTimestamp"])

	// Return "one" singly and "two" in a batch; delete the first at once.
	c.ok("change-message-visibility", "--queue-url", url, "--receipt-handle", byBody["one"]["ReceiptHandle"].(string), "--visibility-timeout", "0")
	cmv := c.ok("change-message-visibility-batch", "--queue-url", url, "--entries", mustJSON(t, []map[string]any{
		{"Id": "two", "ReceiptHandle": byBody["two"]["ReceiptHandle"], "VisibilityTimeout": 0},
		{"Id": "bogus", "ReceiptHandle": "bogus", "VisibilityTimeout": 0},
	}))
	require.Len(t, list(t, cmv, "Successful"), 1)
	require.Equal(t, "ReceiptHandleIsInvalid", list(t, cmv, "Failed")[0]["Code"])
	c.ok("delete-message", "--queue-url", url, "--receipt-handle", first["ReceiptHandle"].(string))

	again := list(t, c.ok("receive-message", "--queue-url", url, "--max-number-of-messages", "10", "--wait-time-seconds", "1"), "Messages")
	require.Len(t, again, 2)
	var entries []map[string]any
	for i, m := range again {
		entries = append(entries, map[string]any{"Id": fmt.Sprint("d", i), "ReceiptHandle": m["ReceiptHandle"]})
	}
	del := c.ok("delete-message-batch", "--queue-url", url, "--entries", mustJSON(t, entries))
	require.Len(t, list(t, del, "Successful"), 2)
	require.Empty(t, list(t, del, "Failed"))

	c.fail("ReceiptHandleIsInvalid", "DeleteMessage", `The input receipt handle "bogus" is not a valid receipt handle.`,
		"delete-message", "--queue-url", url, "--receipt-handle", "bogus")
	c.fail("InvalidParameterValue", "ReceiveMessage", "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.",
		"receive-message", "--queue-url", url, "--max-number-of-messages", "11")

	c.ok("send-message", "--queue-url", url, "--message-body", "doomed")
	c.ok("purge-queue", "--queue-url", url)
	c.fail("AWS.SimpleQueueService.PurgeQueueInProgress", "PurgeQueue", "Only one PurgeQueue operation on cli-msgs is allowed every 60 seconds.",
		"purge-queue", "--queue-url", url)
	require.Nil(t, c.ok("receive-message", "--queue-url", url), "purged")
}

func TestCLIDeadLetterAndMoveTasks(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	dlq := c.ok("create-queue", "--queue-name", "cli-dlq")["QueueUrl"].(string)
	dlqArn := "arn:aws:sqs:us-east-1:" + account + ":cli-dlq"
	redrive := mustJSON(t, map[string]string{"RedrivePolicy": fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":"1"}`, dlqArn)})
	src := c.ok("create-queue", "--queue-name", "cli-src", "--attributes", redrive)["QueueUrl"].(string)
	srcArn := "arn:aws:sqs:us-east-1:" + account + ":cli-src"

	var entries []map[string]string
	for i := range 10 {
		entries = append(entries, map[string]string{"Id": fmt.Sprint("m", i), "MessageBody": fmt.Sprint("m", i)})
	}
	require.Len(t, list(t, c.ok("send-message-batch", "--queue-url", src, "--entries", mustJSON(t, entries)), "Successful"), 10)
	require.Len(t, list(t, c.ok("receive-message", "--queue-url", src, "--max-number-of-messages", "10", "--visibility-timeout", "0"), "Messages"), 10)
	// The second receive exceeds maxReceiveCount: all ten go to the DLQ.
	require.Nil(t, c.ok("receive-message", "--queue-url", src, "--max-number-of-messages", "10"))
	require.Equal(t, []any{src}, c.ok("list-dead-letter-source-queues", "--queue-url", dlq)["queueUrls"])

	// One message a second: the task is still running when it is cancelled.
	c.withMoveTasks()
	handle := c.ok("start-message-move-task", "--source-arn", dlqArn, "--max-number-of-messages-per-second", "1")["TaskHandle"].(string)
	require.NotEmpty(t, handle)
	cancelled := c.ok("cancel-message-move-task", "--task-handle", handle)
	moved := cancelled["ApproximateNumberOfMessagesMoved"].(float64)
	require.Less(t, moved, 10.0)
	c.fail("ResourceNotFoundException", "CancelMessageMoveTask", "Task does not exist.",
		"cancel-message-move-task", "--task-handle", handle)
	c.fail("InvalidParameterValue", "StartMessageMoveTask", "Source queue must be configured as a Dead Letter Queue.",
		"start-message-move-task", "--source-arn", srcArn)

	// An unlimited task moves the rest back to the source queue at once.
	c.ok("start-message-move-task", "--source-arn", dlqArn)
	back := list(t, c.ok("receive-message", "--queue-url", src, "--max-number-of-messages", "10", "--wait-time-seconds", "1"), "Messages")
	require.NotEmpty(t, back)
	tasks := list(t, c.ok("list-message-move-tasks", "--source-arn", dlqArn, "--max-results", "10"), "Results")
	require.Len(t, tasks, 2)
	require.Equal(t, "COMPLETED", tasks[0]["Status"])
	require.Equal(t, 10.0-moved, tasks[0]["ApproximateNumberOfMessagesMoved"])
	require.Equal(t, "CANCELLED", tasks[1]["Status"])
	require.Equal(t, moved, tasks[1]["ApproximateNumberOfMessagesMoved"])
	require.Equal(t, 1.0, tasks[1]["MaxNumberOfMessagesPerSecond"])
	require.NotContains(t, tasks[1], "TaskHandle")
}

func TestCLIErrorsAndFifo(t *testing.T) {
	t.Parallel()
	c := setupCLI(t, "--auth", "strict", "--credentials", "test:test")
	c.fail("InvalidParameterValue", "CreateQueue", "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
		"create-queue", "--queue-name", "bad name!")
	c.fail("AWS.SimpleQueueService.NonExistentQueue", "SendMessage", "The specified queue does not exist for this wsdl version.",
		"send-message", "--queue-url", c.endpoint+"/"+account+"/missing", "--message-body", "x")

	url := c.ok("create-queue", "--queue-name", "cli.fifo", "--attributes", "FifoQueue=true,ContentBasedDeduplication=true")["QueueUrl"].(string)
	c.fail("MissingParameter", "SendMessage", "The request must contain the parameter MessageGroupId.",
		"send-message", "--queue-url", url, "--message-body", "x")
	c.fail("InvalidAttributeName", "GetQueueAttributes", "Unknown Attribute Bogus.",
		"get-queue-attributes", "--queue-url", url, "--attribute-names", "Bogus")
	s1 := c.ok("send-message", "--queue-url", url, "--message-body", "first", "--message-group-id", "g")
	s2 := c.ok("send-message", "--queue-url", url, "--message-body", "first", "--message-group-id", "g")
	require.Equal(t, s1["MessageId"], s2["MessageId"], "content-based deduplication")
	require.NotEmpty(t, s1["SequenceNumber"])
	c.ok("send-message", "--queue-url", url, "--message-body", "second", "--message-group-id", "g")
	got := list(t, c.ok("receive-message", "--queue-url", url, "--max-number-of-messages", "10", "--attribute-names", "MessageGroupId", "SequenceNumber"), "Messages")
	require.Len(t, got, 2)
	require.Equal(t, "first", got[0]["Body"])
	require.Equal(t, "second", got[1]["Body"])
	require.Equal(t, "g", got[0]["Attributes"].(map[string]any)["MessageGroupId"])

	c.secret = "wrong"
	_, stderr, code := c.run("list-queues")
	require.Equal(t, 254, code, stderr)
	require.True(t, strings.Contains(stderr, "An error occurred (SignatureDoesNotMatch) when calling the ListQueues operation: The request signature we calculated does not match the signature you provided."), stderr)
}
