package queue_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/sqlite"
)

type bundle struct {
	st     store.Store
	svc    *queue.Service
	clk    *clock.Fake
	caller queue.Caller
}

func setup(t *testing.T) *bundle {
	t.Helper()
	return setupAt(t, ":memory:", clock.NewFake(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))
}

func setupAt(t *testing.T, path string, clk *clock.Fake) *bundle {
	t.Helper()
	st, err := sqlite.Open(path)
	require.NoError(t, err)
	svc := queue.New(queue.Config{Store: st, Clock: clk})
	require.NoError(t, svc.Start(t.Context()))
	t.Cleanup(func() {
		svc.Stop()
		_ = st.Close()
	})
	return &bundle{st: st, svc: svc, clk: clk, caller: queue.Caller{Account: "000000000000", Region: "us-east-1"}}
}

func (b *bundle) create(t *testing.T, name string, attrs map[string]string) queue.QueueRef {
	t.Helper()
	ref, err := b.svc.CreateQueue(t.Context(), queue.CreateQueueInput{Caller: b.caller, Name: name, Attributes: attrs})
	require.NoError(t, err)
	return ref
}

func (b *bundle) send(t *testing.T, ref queue.QueueRef, body string, group ...string) queue.SendMessageOutput {
	t.Helper()
	in := queue.SendMessageInput{Caller: b.caller, Queue: ref, Body: body}
	if len(group) > 0 {
		in.GroupID = &group[0]
		in.DedupID = &body
	}
	out, err := b.svc.SendMessage(t.Context(), in)
	require.NoError(t, err)
	return out
}

func (b *bundle) receive(t *testing.T, ref queue.QueueRef, n int64) []queue.ReceivedMessage {
	t.Helper()
	zero := int64(0)
	msgs, err := b.svc.ReceiveMessage(t.Context(), queue.ReceiveMessageInput{Caller: b.caller, Queue: ref, MaxNumberOfMessages: &n, WaitTimeSeconds: &zero, SystemAttributeNames: []string{"All"}})
	require.NoError(t, err)
	return msgs
}

func bodies(msgs []queue.ReceivedMessage) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Body
	}
	return out
}

func TestVisibilityTimeoutExpires(t *testing.T) {
	t.Parallel()
	b := setup(t)
	q := b.create(t, "q", map[string]string{"VisibilityTimeout": "30"})
	b.send(t, q, "m1")
	require.Len(t, b.receive(t, q, 1), 1)
	require.Empty(t, b.receive(t, q, 1))
	b.clk.Advance(29 * time.Second)
	require.Empty(t, b.receive(t, q, 1))
	b.clk.Advance(time.Second)
	got := b.receive(t, q, 1)
	require.Len(t, got, 1)
	require.Equal(t, "2", got[0].Attributes["ApproximateReceiveCount"])
}

func TestDelays(t *testing.T) {
	t.Parallel()
	b := setup(t)
	q := b.create(t, "q", map[string]string{"DelaySeconds": "10"})
	b.send(t, q, "queue-delay")
	five := int64(5)
	_, err := b.svc.SendMessage(t.Context(), queue.SendMessageInput{Caller: b.caller, Queue: q, Body: "msg-delay", DelaySeconds: &five})
	require.NoError(t, err)
	require.Empty(t, b.receive(t, q, 10))
	attrs, err := b.svc.GetQueueAttributes(t.Context(), b.caller, q, []string{"ApproximateNumberOfMessagesDelayed"})
	require.NoError(t, err)
	require.Equal(t, "2", attrs["ApproximateNumberOfMessagesDelayed"])
	b.clk.Advance(5 * time.Second)
	require.Equal(t, []string{"msg-delay"}, bodies(b.receive(t, q, 10)))
	b.clk.Advance(5 * time.Second)
	require.Equal(t, []string{"queue-delay"}, bodies(b.receive(t, q, 10)))
}

func TestRetentionExpiry(t *testing.T) {
	t.Parallel()
	b := setup(t)
	q := b.create(t, "q", map[string]string{"MessageRetentionPeriod": "60"})
	b.send(t, q, "old")
	b.clk.Advance(61 * time.Second)
	require.Empty(t, b.receive(t, q, 10))
	attrs, err := b.svc.GetQueueAttributes(t.Context(), b.caller, q, []string{"All"})
	require.NoError(t, err)
	require.Equal(t, "0", attrs["ApproximateNumberOfMessages"])
}

func TestFifoGroupBlocksWhileInFlight(t *testing.T) {
	t.Parallel()
	b := setup(t)
	q := b.create(t, "q.fifo", map[string]string{"FifoQueue": "true"})
	b.send(t, q, "a1", "a")
	b.send(t, q, "b1", "b")
	b.send(t, q, "a2", "a")
	first := b.receive(t, q, 1)
	require.Equal(t, []string{"a1"}, bodies(first))
	// Group a is blocked; b is free.
	require.Equal(t, []string{"b1"}, bodies(b.receive(t, q, 10)))
	require.Empty(t, b.receive(t, q, 10))
	require.NoError(t, b.svc.DeleteMessage(t.Context(), b.caller, q, first[0].ReceiptHandle))
	require.Equal(t, []string{"a2"}, bodies(b.receive(t, q, 10)))
}

func TestFifoDedupSurvivesDeleteForFiveMinutes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	q := b.create(t, "q.fifo", map[string]string{"FifoQueue": "true"})
	first := b.send(t, q, "x", "g")
	got := b.receive(t, q, 1)
	require.NoError(t, b.svc.DeleteMessage(t.Context(), b.caller, q, got[0].ReceiptHandle))
	dup := b.send(t, q, "x", "g")
	require.Equal(t, first.MessageID, dup.MessageID)
	require.Empty(t, b.receive(t, q, 1))
	b.clk.Advance(5*time.Minute + time.Second)
	b.send(t, q, "x", "g")
	require.Len(t, b.receive(t, q, 1), 1)
}

func TestDeadLetterAfterMaxReceives(t *testing.T) {
	t.Parallel()
	b := setup(t)
	dlq := b.create(t, "dlq", nil)
	policy := `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":2}`
	src := b.create(t, "src", map[string]string{"RedrivePolicy": policy, "VisibilityTimeout": "1"})
	sent := b.send(t, src, "poison")
	for range 2 {
		require.Len(t, b.receive(t, src, 1), 1)
		b.clk.Advance(time.Second)
	}
	require.Empty(t, b.receive(t, src, 1))
	got := b.receive(t, dlq, 1)
	require.Len(t, got, 1)
	require.Equal(t, sent.MessageID, got[0].MessageID)
	require.Equal(t, "arn:aws:sqs:us-east-1:000000000000:src", got[0].Attributes["DeadLetterQueueSourceArn"])
	require.Equal(t, "3", got[0].Attributes["ApproximateReceiveCount"])
}

func TestPurgeOncePerMinute(t *testing.T) {
	t.Parallel()
	b := setup(t)
	q := b.create(t, "q", nil)
	b.send(t, q, "m")
	require.NoError(t, b.svc.PurgeQueue(t.Context(), b.caller, q))
	err := b.svc.PurgeQueue(t.Context(), b.caller, q)
	require.True(t, queue.IsCode(err, queue.CodePurgeQueueInProgress), "%v", err)
	b.clk.Advance(time.Minute)
	require.NoError(t, b.svc.PurgeQueue(t.Context(), b.caller, q))
	require.Empty(t, b.receive(t, q, 10))
}

func TestQueueDeletedRecently(t *testing.T) {
	t.Parallel()
	b := setup(t)
	q := b.create(t, "q", nil)
	require.NoError(t, b.svc.DeleteQueue(t.Context(), b.caller, q))
	_, err := b.svc.CreateQueue(t.Context(), queue.CreateQueueInput{Caller: b.caller, Name: "q"})
	require.True(t, queue.IsCode(err, queue.CodeQueueDeletedRecently), "%v", err)
	b.clk.Advance(time.Minute)
	b.create(t, "q", nil)
}

func TestLongPollWakesOnSendAndOnVisibility(t *testing.T) {
	t.Parallel()
	b := setup(t)
	q := b.create(t, "q", map[string]string{"VisibilityTimeout": "5"})
	wait, one := int64(20), int64(1)
	got := make(chan []queue.ReceivedMessage, 1)
	go func() {
		msgs, _ := b.svc.ReceiveMessage(context.Background(), queue.ReceiveMessageInput{Caller: b.caller, Queue: q, MaxNumberOfMessages: &one, WaitTimeSeconds: &wait})
		got <- msgs
	}()
	b.send(t, q, "wake")
	require.Equal(t, []string{"wake"}, bodies(<-got))
	// Now the message is in flight; a poller must wake when it reappears,
	// driven only by the (fake) clock.
	go func() {
		msgs, _ := b.svc.ReceiveMessage(context.Background(), queue.ReceiveMessageInput{Caller: b.caller, Queue: q, MaxNumberOfMessages: &one, WaitTimeSeconds: &wait})
		got <- msgs
	}()
	require.Eventually(t, func() bool {
		b.clk.Advance(time.Second)
		select {
		case msgs := <-got:
			require.Equal(t, []string{"wake"}, bodies(msgs))
			return true
		default:
			return false
		}
	}, 5*time.Second, 10*time.Millisecond)
}

func TestStateSurvivesRestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	clk := clock.NewFake(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	st, err := sqlite.Open(path)
	require.NoError(t, err)
	svc := queue.New(queue.Config{Store: st, Clock: clk})
	require.NoError(t, svc.Start(t.Context()))
	c := queue.Caller{Account: "000000000000", Region: "us-east-1"}
	q, err := svc.CreateQueue(t.Context(), queue.CreateQueueInput{Caller: c, Name: "q.fifo", Attributes: map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true"}})
	require.NoError(t, err)
	g := "g"
	for _, body := range []string{"1", "2", "3"} {
		_, err := svc.SendMessage(t.Context(), queue.SendMessageInput{Caller: c, Queue: q, Body: body, GroupID: &g})
		require.NoError(t, err)
	}
	one, zero := int64(1), int64(0)
	msgs, err := svc.ReceiveMessage(t.Context(), queue.ReceiveMessageInput{Caller: c, Queue: q, MaxNumberOfMessages: &one, WaitTimeSeconds: &zero})
	require.NoError(t, err)
	require.NoError(t, svc.DeleteMessage(t.Context(), c, q, msgs[0].ReceiptHandle))
	svc.Stop()
	require.NoError(t, st.Close())

	b := setupAt(t, path, clk)
	require.Equal(t, []string{"2", "3"}, bodies(b.receive(t, q, 10)))
	// Content-based dedup still remembers "1".
	_, err = b.svc.SendMessage(t.Context(), queue.SendMessageInput{Caller: c, Queue: q, Body: "1", GroupID: &g})
	require.NoError(t, err)
	b.clk.Advance(time.Minute)
	// 2 and 3 reappear after their visibility timeout; the duplicate never does.
	require.Equal(t, []string{"2", "3"}, bodies(b.receive(t, q, 10)))
}

func TestMD5OfAttributesVectors(t *testing.T) {
	t.Parallel()
	s := func(v string) *string { return &v }
	cases := []struct {
		attrs map[string]queue.MessageAttribute
		want  string
	}{
		{map[string]queue.MessageAttribute{"attribName1": {DataType: "String", StringValue: s("attribValue 1")}}, "19e27d4e946b072f3f58da80d94fd778"},
		{map[string]queue.MessageAttribute{"customNumberTypeAttrib": {DataType: "Number.float", StringValue: s("4563442423554324324264524243.32543234")}}, "9fe1b90bbd9965bdf77bac517c7d2495"},
		{map[string]queue.MessageAttribute{"binaryAttribute": {DataType: "Binary", BinaryValue: []byte("Hello binary world!")}}, "31a92b15d92f8db860eda32aceb656c3"},
		{map[string]queue.MessageAttribute{"attr1": {DataType: "Number", StringValue: s("99.12")}}, "d302007e9aa062660afc85fd0a482472"},
		{map[string]queue.MessageAttribute{
			"WeeksOn": {DataType: "Number", StringValue: s("6")}, "Author": {DataType: "String", StringValue: s("John Grisham")},
			"Title": {DataType: "String", StringValue: s("The Whistler")},
		}, "d25a6aea97eb8f585bfa92d314504a92"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, queue.MD5OfAttributes(c.attrs))
	}
	require.Empty(t, queue.MD5OfAttributes(nil))
	require.Equal(t, "0cc175b9c0f1b6a831c399e269772661", queue.MD5OfBody([]byte("a")))
}

func TestDeliverCommitsExtraChangesAtomically(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	clk := clock.NewFake(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	b := setupAt(t, path, clk)
	q := b.create(t, "target", nil)
	outbox := store.Record{Kind: "test-outbox", Key: "d1", Data: []byte("x")}
	// The outbox entry exists first; the delivery removes it with the message.
	require.NoError(t, b.st.Apply(t.Context(), store.PutRecord{Record: outbox}))
	out, err := b.svc.Deliver(t.Context(), queue.DeliverInput{QueueArn: "arn:aws:sqs:us-east-1:000000000000:target", Body: "hi"},
		store.DeleteRecord{Kind: outbox.Kind, Key: outbox.Key})
	require.NoError(t, err)
	require.NotEmpty(t, out.MessageID)
	recs, err := b.st.LoadRecords(t.Context(), "test-outbox")
	require.NoError(t, err)
	require.Empty(t, recs)
	require.Equal(t, []string{"hi"}, bodies(b.receive(t, q, 1)))
	_, err = b.svc.Deliver(t.Context(), queue.DeliverInput{QueueArn: "arn:aws:sqs:us-east-1:000000000000:nope", Body: "x"})
	require.True(t, queue.IsCode(err, queue.CodeQueueDoesNotExist))
}
