package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/require"
)

func fifoAttrs(extra ...string) map[string]string {
	a := map[string]string{"FifoQueue": "true"}
	for i := 0; i+1 < len(extra); i += 2 {
		a[extra[i]] = extra[i+1]
	}
	return a
}

func TestSQSFifoOrderingAndGroups(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("orders.fifo", fifoAttrs("ContentBasedDeduplication", "true"))
	var seqs []string
	for i := range 3 {
		for _, g := range []string{"A", "B"} {
			out := e.sendFifo(url, fmt.Sprintf("%s%d", g, i), g, "")
			require.NotEmpty(t, *out.SequenceNumber)
			seqs = append(seqs, *out.SequenceNumber)
		}
	}
	for i := 1; i < len(seqs); i++ {
		require.Less(t, seqs[i-1], seqs[i], "sequence numbers grow")
	}

	// One message at a time: the groups interleave in send order.
	first := e.receive(url, maxMessages(1))
	require.Equal(t, []string{"A0"}, bodies(first))
	require.Equal(t, "A", first[0].Attributes["MessageGroupId"])
	require.Equal(t, seqs[0], first[0].Attributes["SequenceNumber"])
	require.NotEmpty(t, first[0].Attributes["MessageDeduplicationId"])
	// Group A is blocked while A0 is in flight; B is served.
	second := e.receive(url, maxMessages(1))
	require.Equal(t, []string{"B0"}, bodies(second))
	require.Empty(t, e.receive(url), "both groups have a message in flight")

	// Deleting A0 unblocks A, in order.
	_, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: &url, ReceiptHandle: first[0].ReceiptHandle})
	require.NoError(t, err)
	require.Equal(t, []string{"A1", "A2"}, bodies(e.receive(url)))

	// Returning B0 to the queue delivers it again before B1.
	_, err = e.c.ChangeMessageVisibility(e.ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: &url, ReceiptHandle: second[0].ReceiptHandle, VisibilityTimeout: 0})
	require.NoError(t, err)
	require.Equal(t, []string{"B0", "B1", "B2"}, bodies(e.receive(url)))
}

func TestSQSFifoDedupSurvivesDelete(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("dedup.fifo", fifoAttrs())
	first := e.sendFifo(url, "hello", "g", "d-1")
	dup := e.sendFifo(url, "other body", "g", "d-1")
	require.Equal(t, *first.MessageId, *dup.MessageId, "a duplicate answers with the original message")
	msgs := e.receive(url)
	require.Equal(t, []string{"hello"}, bodies(msgs))
	_, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: &url, ReceiptHandle: msgs[0].ReceiptHandle})
	require.NoError(t, err)

	// Still within the 5-minute window after the delete: accepted, not delivered.
	_, err = e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &url, MessageBody: aws.String("hello"), MessageGroupId: aws.String("g"), MessageDeduplicationId: aws.String("d-1")})
	require.NoError(t, err)
	require.Empty(t, e.receive(url))
	require.Equal(t, "0", e.attr(url, types.QueueAttributeNameApproximateNumberOfMessages))

	e.sendFifo(url, "new", "g", "d-2")
	require.Equal(t, []string{"new"}, bodies(e.receive(url)))
}

func TestSQSFifoContentBasedDedup(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("cbd.fifo", fifoAttrs("ContentBasedDeduplication", "true"))
	a := e.sendFifo(url, "same body", "g1", "")
	b := e.sendFifo(url, "same body", "g2", "") // the group is not part of the id
	require.Equal(t, *a.MessageId, *b.MessageId)
	_, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{
		QueueUrl: &url, MessageBody: aws.String("same body"), MessageGroupId: aws.String("g1"),
		MessageAttributes: map[string]types.MessageAttributeValue{"x": strAttr("String", "attributes are not hashed")},
	})
	require.NoError(t, err)
	e.sendFifo(url, "same body", "g1", "explicit") // an explicit id overrides
	msgs := e.receive(url)
	require.Equal(t, []string{"same body", "same body"}, bodies(msgs))
	sum := sha256.Sum256([]byte("same body"))
	require.Equal(t, hex.EncodeToString(sum[:]), msgs[0].Attributes["MessageDeduplicationId"])
	require.Equal(t, "explicit", msgs[1].Attributes["MessageDeduplicationId"])
}

func TestSQSFifoDeduplicationScopeMessageGroup(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("scoped.fifo", fifoAttrs("DeduplicationScope", "messageGroup", "FifoThroughputLimit", "perMessageGroupId"))
	e.sendFifo(url, "g1", "g1", "same")
	e.sendFifo(url, "g2", "g2", "same") // same id, other group: not a duplicate
	e.sendFifo(url, "g1 again", "g1", "same")
	require.ElementsMatch(t, []string{"g1", "g2"}, bodies(e.receive(url)))
	require.Equal(t, "messageGroup", e.attr(url, types.QueueAttributeNameDeduplicationScope))
}

func TestSQSFifoReceiveRequestAttemptID(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("attempt.fifo", fifoAttrs("ContentBasedDeduplication", "true"))
	for i := range 4 {
		e.sendFifo(url, fmt.Sprint(i), "g", "")
	}
	attempt := func(id string) func(*sqs.ReceiveMessageInput) {
		return func(in *sqs.ReceiveMessageInput) {
			in.ReceiveRequestAttemptId = aws.String(id)
			in.MaxNumberOfMessages = 2
		}
	}
	first := e.receive(url, attempt("try-1"))
	require.Equal(t, []string{"0", "1"}, bodies(first))
	retry := e.receive(url, attempt("try-1"))
	require.Equal(t, bodies(first), bodies(retry), "a retried attempt returns the same messages")
	require.Equal(t, *first[0].ReceiptHandle, *retry[0].ReceiptHandle)
	require.Empty(t, e.receive(url, attempt("try-2")), "the group is still in flight")

	for _, m := range retry {
		_, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: &url, ReceiptHandle: m.ReceiptHandle})
		require.NoError(t, err)
	}
	require.Equal(t, []string{"2", "3"}, bodies(e.receive(url, attempt("try-3"))))
}
