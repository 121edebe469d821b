package function

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/pattern"
	"github.com/fogbank/fogbank/internal/queue"
)

// TestBatchItemFailures follows AWS's partial batch response rules
// (reference §3.8): empty, null, {} and [] succeed; a missing, empty or
// unknown itemIdentifier or an unparseable response fails the batch.
func TestBatchItemFailures(t *testing.T) {
	t.Parallel()
	batch := []queue.ReceivedMessage{{MessageID: "a"}, {MessageID: "b"}}
	cases := []struct {
		payload string
		failed  []string
		ok      bool
	}{
		{``, nil, true},
		{`null`, nil, true},
		{`{}`, nil, true},
		{`{"Records":[]}`, nil, true},
		{`{"batchItemFailures":null}`, nil, true},
		{`{"batchItemFailures":[]}`, nil, true},
		{`{"batchItemFailures":[{"itemIdentifier":"b"}]}`, []string{"b"}, true},
		{`{"batchItemFailures":[{"itemIdentifier":"a"},{"itemIdentifier":"b"}]}`, []string{"a", "b"}, true},
		{`{"batchItemFailures":[{"itemIdentifier":""}]}`, nil, false},
		{`{"batchItemFailures":[{}]}`, nil, false},
		{`{"batchItemFailures":[{"itemIdentifier":"zzz"}]}`, nil, false},
		{`{"batchItemFailures":[{"itemIdentifier":7}]}`, nil, false},
		{`{"batchItemFailures":"a"}`, nil, false},
		{`"not an object"`, nil, false},
		{`{not json`, nil, false},
	}
	for _, c := range cases {
		failed, ok := batchItemFailures([]byte(c.payload), batch)
		require.Equal(t, c.ok, ok, c.payload)
		for _, id := range c.failed {
			require.True(t, failed[id], "%s: %s", c.payload, id)
		}
		require.Len(t, failed, len(c.failed), c.payload)
	}
}

// TestSQSEventShape checks the record AWS builds from a message, and what
// filter patterns see.
func TestSQSEventShape(t *testing.T) {
	t.Parallel()
	m := Mapping{Region: "eu-west-1", EventSourceArn: "arn:aws:sqs:eu-west-1:000000000000:q"}
	s := "v"
	msg := queue.ReceivedMessage{
		MessageID: "id", ReceiptHandle: "rh", Body: `{"kind":"keep"}`, MD5OfBody: "md5", MD5OfAttrs: "amd5",
		Attributes:        map[string]string{"ApproximateReceiveCount": "1", queue.SysDeadLetterQueueSourceArn: "x"},
		MessageAttributes: map[string]queue.MessageAttribute{"a": {DataType: "String", StringValue: &s}},
	}
	var ev map[string][]map[string]any
	require.NoError(t, json.Unmarshal(sqsEvent(m, []queue.ReceivedMessage{msg}), &ev))
	require.Equal(t, map[string]any{
		"messageId": "id", "receiptHandle": "rh", "body": `{"kind":"keep"}`,
		"attributes":             map[string]any{"ApproximateReceiveCount": "1"},
		"messageAttributes":      map[string]any{"a": map[string]any{"stringValue": "v", "stringListValues": []any{}, "binaryListValues": []any{}, "dataType": "String"}},
		"md5OfMessageAttributes": "amd5", "md5OfBody": "md5", "eventSource": "aws:sqs",
		"eventSourceARN": m.EventSourceArn, "awsRegion": "eu-west-1",
	}, ev["Records"][0])

	keep, err := pattern.Compile([]byte(`{"body":{"kind":["keep"]}}`))
	require.NoError(t, err)
	ok, err := keep.MatchJSON(filterDocument(m, msg))
	require.NoError(t, err)
	require.True(t, ok)
	msg.Body = "plain"
	ok, err = keep.MatchJSON(filterDocument(m, msg))
	require.NoError(t, err)
	require.False(t, ok)
	plain, err := pattern.Compile([]byte(`{"body":["plain"]}`))
	require.NoError(t, err)
	ok, err = plain.MatchJSON(filterDocument(m, msg))
	require.NoError(t, err)
	require.True(t, ok)
}
