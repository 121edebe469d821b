package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/require"
)

func TestSQSSendReceiveDelete(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("basic", nil)
	sent := e.send(url, "a")
	require.Equal(t, "0cc175b9c0f1b6a831c399e269772661", *sent.MD5OfMessageBody)
	require.Nil(t, sent.MD5OfMessageAttributes, "no attributes, no MD5")
	require.Nil(t, sent.SequenceNumber)

	msgs := e.receive(url)
	require.Len(t, msgs, 1)
	m := msgs[0]
	require.Equal(t, *sent.MessageId, *m.MessageId)
	require.Equal(t, "a", *m.Body)
	require.Equal(t, "0cc175b9c0f1b6a831c399e269772661", *m.MD5OfBody)
	require.Equal(t, "1", m.Attributes["ApproximateReceiveCount"])
	require.NotEmpty(t, m.Attributes["SenderId"])
	require.NotEmpty(t, m.Attributes["SentTimestamp"])
	require.NotEmpty(t, m.Attributes["ApproximateFirstReceiveTimestamp"])

	// In flight: not received again.
	require.Empty(t, e.receive(url))
	_, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: &url, ReceiptHandle: m.ReceiptHandle})
	require.NoError(t, err)
	require.Equal(t, "0", e.attr(url, types.QueueAttributeNameApproximateNumberOfMessagesNotVisible))

	_, err = e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: &url, ReceiptHandle: aws.String("garbage")})
	requireAPIError(t, err, http.StatusBadRequest, "ReceiptHandleIsInvalid", "The input receipt handle \"garbage\" is not a valid receipt handle.")
}

func TestSQSVisibilityTimeoutExpiry(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("vis", nil)
	e.send(url, "again")
	first := e.receive(url, visibility(1))
	require.Len(t, first, 1)
	require.Empty(t, e.receive(url), "hidden while in flight")

	start := time.Now()
	second := e.receive(url, wait(3))
	require.Len(t, second, 1, "visible again after the timeout")
	require.Less(t, time.Since(start), 1500*time.Millisecond)
	require.Equal(t, *first[0].MessageId, *second[0].MessageId)
	require.Equal(t, "2", second[0].Attributes["ApproximateReceiveCount"])
	require.NotEqual(t, *first[0].ReceiptHandle, *second[0].ReceiptHandle)
}

func TestSQSChangeMessageVisibility(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("cmv", nil)
	e.send(url, "m1")
	e.send(url, "m2")
	e.send(url, "m3")
	msgs := e.receive(url)
	require.Len(t, msgs, 3)

	// Visibility 0 makes a message receivable at once.
	_, err := e.c.ChangeMessageVisibility(e.ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: &url, ReceiptHandle: msgs[0].ReceiptHandle, VisibilityTimeout: 0})
	require.NoError(t, err)
	again := e.receive(url)
	require.Equal(t, []string{*msgs[0].Body}, bodies(again))

	batch, err := e.c.ChangeMessageVisibilityBatch(e.ctx, &sqs.ChangeMessageVisibilityBatchInput{QueueUrl: &url, Entries: []types.ChangeMessageVisibilityBatchRequestEntry{
		{Id: aws.String("b"), ReceiptHandle: msgs[1].ReceiptHandle, VisibilityTimeout: 0},
		{Id: aws.String("c"), ReceiptHandle: msgs[2].ReceiptHandle, VisibilityTimeout: 0},
		{Id: aws.String("bad"), ReceiptHandle: aws.String("garbage"), VisibilityTimeout: 0},
	}})
	require.NoError(t, err)
	require.Len(t, batch.Successful, 2)
	require.Len(t, batch.Failed, 1)
	require.Equal(t, "bad", *batch.Failed[0].Id)
	require.Equal(t, "ReceiptHandleIsInvalid", *batch.Failed[0].Code)
	require.True(t, batch.Failed[0].SenderFault)
	require.ElementsMatch(t, []string{*msgs[1].Body, *msgs[2].Body}, bodies(e.receive(url)))

	// Deleted messages are no longer in flight.
	_, err = e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: &url, ReceiptHandle: again[0].ReceiptHandle})
	require.NoError(t, err)
	_, err = e.c.ChangeMessageVisibility(e.ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: &url, ReceiptHandle: again[0].ReceiptHandle, VisibilityTimeout: 10})
	require.Error(t, err)
	requireCode(t, err, "InvalidParameterValue")
}

func TestSQSBatchSendAndDelete(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("batch", map[string]string{"MaximumMessageSize": "1024"})
	out, err := e.c.SendMessageBatch(e.ctx, &sqs.SendMessageBatchInput{QueueUrl: &url, Entries: []types.SendMessageBatchRequestEntry{
		{Id: aws.String("ok-1"), MessageBody: aws.String("one")},
		{Id: aws.String("too-big"), MessageBody: aws.String(strings.Repeat("x", 1025))},
		{Id: aws.String("ok-2"), MessageBody: aws.String("two"), MessageAttributes: map[string]types.MessageAttributeValue{"k": strAttr("String", "v")}},
		{Id: aws.String("bad-delay"), MessageBody: aws.String("d"), DelaySeconds: 901},
	}})
	require.NoError(t, err)
	require.Len(t, out.Successful, 2)
	ids := map[string]types.SendMessageBatchResultEntry{}
	for _, s := range out.Successful {
		ids[*s.Id] = s
	}
	require.Contains(t, ids, "ok-1")
	require.Equal(t, "0cc175b9c0f1b6a831c399e269772661", *e.send(url, "a").MD5OfMessageBody)
	require.Equal(t, md5OfAttributes(map[string]types.MessageAttributeValue{"k": strAttr("String", "v")}), *ids["ok-2"].MD5OfMessageAttributes)
	failed := map[string]types.BatchResultErrorEntry{}
	for _, f := range out.Failed {
		failed[*f.Id] = f
	}
	require.Len(t, failed, 2)
	require.Equal(t, "InvalidParameterValue", *failed["too-big"].Code)
	require.Equal(t, "One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.", *failed["too-big"].Message)
	require.True(t, failed["too-big"].SenderFault)
	require.Equal(t, "InvalidParameterValue", *failed["bad-delay"].Code)

	msgs := e.receive(url)
	require.ElementsMatch(t, []string{"one", "two", "a"}, bodies(msgs))
	del := []types.DeleteMessageBatchRequestEntry{{Id: aws.String("bad"), ReceiptHandle: aws.String("garbage")}}
	for i, m := range msgs {
		del = append(del, types.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle})
	}
	dout, err := e.c.DeleteMessageBatch(e.ctx, &sqs.DeleteMessageBatchInput{QueueUrl: &url, Entries: del})
	require.NoError(t, err)
	require.Len(t, dout.Successful, 3)
	require.Len(t, dout.Failed, 1)
	require.Equal(t, "ReceiptHandleIsInvalid", *dout.Failed[0].Code)
	require.Equal(t, "0", e.attr(url, types.QueueAttributeNameApproximateNumberOfMessagesNotVisible))
}

func TestSQSBatchRequestErrors(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("batch-errors", nil)
	entries := func(n int, id func(int) string) []types.SendMessageBatchRequestEntry {
		var out []types.SendMessageBatchRequestEntry
		for i := range n {
			out = append(out, types.SendMessageBatchRequestEntry{Id: aws.String(id(i)), MessageBody: aws.String("x")})
		}
		return out
	}
	_, err := e.c.SendMessageBatch(e.ctx, &sqs.SendMessageBatchInput{QueueUrl: &url, Entries: entries(20, strconv.Itoa)})
	requireAPIError(t, err, http.StatusBadRequest, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", "Maximum number of entries per request are 10. You have sent 20.")
	_, err = e.c.SendMessageBatch(e.ctx, &sqs.SendMessageBatchInput{QueueUrl: &url, Entries: entries(2, func(int) string { return "same" })})
	requireCode(t, err, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct")
	_, err = e.c.SendMessageBatch(e.ctx, &sqs.SendMessageBatchInput{QueueUrl: &url, Entries: entries(1, func(int) string { return "no spaces" })})
	requireAPIError(t, err, http.StatusBadRequest, "AWS.SimpleQueueService.InvalidBatchEntryId", "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
	_, err = e.c.DeleteMessageBatch(e.ctx, &sqs.DeleteMessageBatchInput{QueueUrl: &url, Entries: []types.DeleteMessageBatchRequestEntry{}})
	requireCode(t, err, "AWS.SimpleQueueService.EmptyBatchRequest")
	big := strings.Repeat("x", 1<<20/2)
	_, err = e.c.SendMessageBatch(e.ctx, &sqs.SendMessageBatchInput{QueueUrl: &url, Entries: []types.SendMessageBatchRequestEntry{
		{Id: aws.String("a"), MessageBody: aws.String(big)},
		{Id: aws.String("b"), MessageBody: aws.String(big + "x")},
	}})
	requireAPIError(t, err, http.StatusBadRequest, "AWS.SimpleQueueService.BatchRequestTooLong", "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.")
}

func TestSQSDelays(t *testing.T) {
	t.Parallel()
	e := setup(t)
	delayed := e.createQueue("delayed", map[string]string{"DelaySeconds": "1"})
	plain := e.createQueue("plain", nil)

	e.send(delayed, "queue delay")
	_, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &plain, MessageBody: aws.String("message delay"), DelaySeconds: 1})
	require.NoError(t, err)
	e.send(plain, "now")

	require.Empty(t, e.receive(delayed))
	require.Equal(t, "1", e.attr(delayed, types.QueueAttributeNameApproximateNumberOfMessagesDelayed))
	require.Equal(t, []string{"now"}, bodies(e.receive(plain)))

	start := time.Now()
	require.Equal(t, []string{"queue delay"}, bodies(e.receive(delayed, wait(3))))
	require.Equal(t, []string{"message delay"}, bodies(e.receive(plain, wait(3))))
	require.Less(t, time.Since(start), 1500*time.Millisecond)
}

func TestSQSLongPollWakeUp(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("long-poll", nil)

	parked := make(chan struct{})
	var once sync.Once
	type result struct {
		msgs []types.Message
		err  error
		at   time.Time
	}
	got := make(chan result, 1)
	go func() {
		ctx := httptrace.WithClientTrace(e.ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { once.Do(func() { close(parked) }) }})
		out, err := e.c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: &url, WaitTimeSeconds: 10})
		r := result{err: err, at: time.Now()}
		if out != nil {
			r.msgs = out.Messages
		}
		got <- r
	}()
	<-parked
	// One more round trip, so the receive has surely started waiting.
	require.Equal(t, "0", e.attr(url, types.QueueAttributeNameApproximateNumberOfMessages))
	select {
	case r := <-got:
		t.Fatalf("receive returned before any send: %+v", r)
	default:
	}

	start := time.Now()
	e.send(url, "wake up")
	r := <-got
	require.NoError(t, r.err)
	require.Equal(t, []string{"wake up"}, bodies(r.msgs))
	latency := r.at.Sub(start)
	t.Logf("long-poll wake-up latency: %v", latency)
	require.Less(t, latency, 100*time.Millisecond)
}

func TestSQSLongPollTimesOutEmpty(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("empty", map[string]string{"ReceiveMessageWaitTimeSeconds": "1"})
	start := time.Now()
	require.Empty(t, e.receive(url)) // the queue's default wait applies
	require.GreaterOrEqual(t, time.Since(start), 900*time.Millisecond)
}

func TestSQSMessageMD5Vectors(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("md5", nil)
	vectors := []struct {
		attrs map[string]types.MessageAttributeValue
		md5   string
	}{
		{map[string]types.MessageAttributeValue{"attribName1": strAttr("String", "attribValue 1")}, "19e27d4e946b072f3f58da80d94fd778"},
		{map[string]types.MessageAttributeValue{"customNumberTypeAttrib": strAttr("Number.float", "4563442423554324324264524243.32543234")}, "9fe1b90bbd9965bdf77bac517c7d2495"},
		{map[string]types.MessageAttributeValue{"binaryAttribute": {DataType: aws.String("Binary"), BinaryValue: []byte("Hello binary world!")}}, "31a92b15d92f8db860eda32aceb656c3"},
		{map[string]types.MessageAttributeValue{"attr1": strAttr("Number", "99.12")}, "d302007e9aa062660afc85fd0a482472"},
		{map[string]types.MessageAttributeValue{"WeeksOn": strAttr("Number", "6"), "Author": strAttr("String", "John Grisham"), "Title": strAttr("String", "The Whistler")}, "d25a6aea97eb8f585bfa92d314504a92"},
	}
	for i, v := range vectors {
		require.Equal(t, v.md5, md5OfAttributes(v.attrs), "reference implementation, vector %d", i)
		out, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &url, MessageBody: aws.String(fmt.Sprint(i)), MessageAttributes: v.attrs})
		require.NoError(t, err)
		require.Equal(t, v.md5, *out.MD5OfMessageAttributes, "send, vector %d", i)
		msgs := e.receive(url)
		require.Len(t, msgs, 1)
		require.Equal(t, v.md5, *msgs[0].MD5OfMessageAttributes, "receive, vector %d", i)
		require.Equal(t, v.attrs, msgs[0].MessageAttributes)
		_, err = e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: &url, ReceiptHandle: msgs[0].ReceiptHandle})
		require.NoError(t, err)
	}

	// AWSTraceHeader is a system attribute, hashed the same way.
	trace := "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
	sys := map[string]types.MessageAttributeValue{"AWSTraceHeader": strAttr("String", trace)}
	out, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{
		QueueUrl: &url, MessageBody: aws.String("traced"),
		MessageSystemAttributes: map[string]types.MessageSystemAttributeValue{"AWSTraceHeader": {DataType: aws.String("String"), StringValue: aws.String(trace)}},
	})
	require.NoError(t, err)
	require.Equal(t, md5OfAttributes(sys), *out.MD5OfMessageSystemAttributes)
	require.Nil(t, out.MD5OfMessageAttributes)
	msgs := e.receive(url)
	require.Len(t, msgs, 1)
	require.Equal(t, trace, msgs[0].Attributes["AWSTraceHeader"])
	require.Nil(t, msgs[0].MD5OfMessageAttributes)

	// Only the named message attributes come back; the MD5 covers them all.
	both := map[string]types.MessageAttributeValue{"a.one": strAttr("String", "1"), "b": strAttr("String", "2")}
	_, err = e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &url, MessageBody: aws.String("filter"), MessageAttributes: both})
	require.NoError(t, err)
	msgs = e.receive(url, func(in *sqs.ReceiveMessageInput) { in.MessageAttributeNames = []string{"a.*"} })
	require.Len(t, msgs, 1)
	require.Equal(t, map[string]types.MessageAttributeValue{"a.one": both["a.one"]}, msgs[0].MessageAttributes)
}

func TestSQSMessageErrors(t *testing.T) { //nolint:tparallel // the subtests share one server and run in order
	t.Parallel()
	e := setup(t)
	url := e.createQueue("errs", nil)
	missing := e.srv.URL + "/" + account + "/nope"
	cases := []struct {
		name string
		call func() error
		code string
		msg  string
	}{
		{"no queue", func() error {
			_, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &missing, MessageBody: aws.String("x")})
			return err
		}, "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist."},
		{"max messages", func() error {
			_, err := e.c.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{QueueUrl: &url, MaxNumberOfMessages: 11})
			return err
		}, "InvalidParameterValue", "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided."},
		{"wait time", func() error {
			_, err := e.c.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{QueueUrl: &url, WaitTimeSeconds: 21})
			return err
		}, "InvalidParameterValue", "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided."},
		{"too long", func() error {
			_, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &url, MessageBody: aws.String(strings.Repeat("x", 1<<20+1))})
			return err
		}, "InvalidParameterValue", "One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes."},
		{"empty attribute", func() error {
			_, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &url, MessageBody: aws.String("x"), MessageAttributes: map[string]types.MessageAttributeValue{"ErrorDetails": strAttr("String", "")}})
			return err
		}, "InvalidParameterValue", "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'."},
		{"group on fifo required", func() error {
			q := e.createQueue("errs.fifo", map[string]string{"FifoQueue": "true"})
			_, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &q, MessageBody: aws.String("x")})
			return err
		}, "MissingParameter", "The request must contain the parameter MessageGroupId."},
		{"dedup on fifo required", func() error {
			q := e.createQueue("errs2.fifo", map[string]string{"FifoQueue": "true"})
			_, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &q, MessageBody: aws.String("x"), MessageGroupId: aws.String("g")})
			return err
		}, "InvalidParameterValue", "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"},
		{"per-message delay on fifo", func() error {
			q := e.createQueue("errs3.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"})
			_, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &q, MessageBody: aws.String("x"), MessageGroupId: aws.String("g"), DelaySeconds: 2})
			return err
		}, "InvalidParameterValue", "Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type."},
		{"bad group id", func() error {
			q := e.createQueue("errs4.fifo", map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"})
			_, err := e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &q, MessageBody: aws.String("x"), MessageGroupId: aws.String("group 123")})
			return err
		}, "InvalidParameterValue", "Value group 123 for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length."},
		{"dedup scope on standard", func() error {
			_, err := e.c.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("std-scope"), Attributes: map[string]string{"DeduplicationScope": "messageGroup"}})
			return err
		}, "InvalidAttributeName", "You can specify the DeduplicationScope only when FifoQueue is set to true."},
		{"fifo type change", func() error {
			_, err := e.c.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("errs.fifo"), Attributes: map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"}})
			return err
		}, "QueueAlreadyExists", "A queue already exists with the same name and a different value for attribute ContentBasedDeduplication"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			requireAPIError(t, c.call(), http.StatusBadRequest, c.code, c.msg)
		})
	}
}
