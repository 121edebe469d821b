package crash

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Workload shape.
const (
	visibilityTimeout = 2  // seconds: un-deleted messages come back quickly
	groupsPerProducer = 3  // FIFO groups each producer owns
	skipDeletePercent = 3  // deliveries deliberately left to time out
	retryPercent      = 5  // FIFO sends and deletes issued twice at once
	bodyPadding       = 96 // bytes after the id, so bodies are not trivially small
)

// workload drives one queue: producers send unique bodies, consumers
// receive and delete them, and everything they are told goes to the ledger.
type workload struct {
	proc   *process
	client *sqs.Client
	led    *ledger
	url    string
	kind   string // "std" or "fifo"
	fifo   bool
	drain  atomic.Bool // consumers delete everything they receive
	errs   atomic.Int64
	server atomic.Int64 // 5xx answers
}

func (w *workload) body(producer, n int) string {
	return fmt.Sprintf("%s/p%02d/%07d/%s", w.kind, producer, n, strings.Repeat("x", bodyPadding))
}

// produce sends until ctx ends: one message at a time, or batches of up to
// ten, never more than one request in flight, so that the sends of a FIFO
// group are ordered.
func (w *workload) produce(ctx context.Context, id int) {
	rng := rand.New(rand.NewPCG(uint64(id), 7))
	for n := 0; ctx.Err() == nil; {
		size := 1
		if rng.IntN(3) == 0 {
			size = 1 + rng.IntN(10)
		}
		group := ""
		if w.fifo {
			group = fmt.Sprintf("%s/p%02d/g%d", w.kind, id, rng.IntN(groupsPerProducer))
		}
		bodies := make([]string, size)
		for i := range bodies {
			n++
			bodies[i] = w.body(id, n)
			w.led.attempt(bodies[i], group)
		}
		if size == 1 {
			w.sendOne(ctx, bodies[0], group, w.fifo && rng.IntN(100) < retryPercent)
		} else {
			w.sendBatch(ctx, bodies, group)
		}
	}
}

// sendOne sends one message; retried, it sends it twice at once, as a
// client retrying a slow request does: FIFO deduplication must not
// acknowledge the copy before the original is durable.
func (w *workload) sendOne(ctx context.Context, body, group string, retried bool) {
	in := &sqs.SendMessageInput{QueueUrl: &w.url, MessageBody: aws.String(body)}
	if w.fifo {
		in.MessageGroupId, in.MessageDeduplicationId = aws.String(group), aws.String(dedupID(body))
	}
	send := func() error {
		_, err := w.client.SendMessage(ctx, in)
		return err
	}
	if w.attempt(ctx, "SendMessage", send, retried) {
		w.led.acked(body)
	}
}

// attempt runs f, or twice at once when retried, and reports whether any
// run succeeded.
func (w *workload) attempt(ctx context.Context, op string, f func() error, retried bool) bool {
	runs := 1
	if retried {
		runs = 2
	}
	errs := make(chan error, runs)
	for range runs {
		go func() { errs <- f() }()
	}
	ok := false
	for range runs {
		if err := <-errs; err != nil {
			w.failed(ctx, op, err)
		} else {
			ok = true
		}
	}
	return ok
}

func (w *workload) sendBatch(ctx context.Context, bodies []string, group string) {
	entries := make([]types.SendMessageBatchRequestEntry, len(bodies))
	for i, b := range bodies {
		entries[i] = types.SendMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), MessageBody: aws.String(b)}
		if w.fifo {
			entries[i].MessageGroupId, entries[i].MessageDeduplicationId = aws.String(group), aws.String(dedupID(b))
		}
	}
	out, err := w.client.SendMessageBatch(ctx, &sqs.SendMessageBatchInput{QueueUrl: &w.url, Entries: entries})
	if err != nil {
		w.failed(ctx, "SendMessageBatch", err)
		return
	}
	for _, ok := range out.Successful {
		i, _ := strconv.Atoi(aws.ToString(ok.Id))
		w.led.acked(bodies[i])
	}
	for _, f := range out.Failed {
		w.led.apiError("SendMessageBatch entry", aws.ToString(f.Code))
	}
}

// dedupID is a body's FIFO deduplication id: its unique prefix.
func dedupID(body string) string { return strings.ReplaceAll(strings.TrimRight(body, "x/"), "/", "-") }

// consume receives and deletes until ctx ends. Even consumers delete one by
// one, odd ones in batches.
func (w *workload) consume(ctx context.Context, id int) {
	rng := rand.New(rand.NewPCG(uint64(id), 11))
	for ctx.Err() == nil {
		start := w.led.now()
		out, err := w.client.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl: &w.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: visibilityTimeout,
		})
		if err != nil {
			w.failed(ctx, "ReceiveMessage", err)
			continue
		}
		var keep []types.Message
		for _, m := range out.Messages {
			w.led.received(aws.ToString(m.Body), start)
			if w.drain.Load() || rng.IntN(100) >= skipDeletePercent {
				keep = append(keep, m)
			}
		}
		if id%2 == 0 {
			w.deleteEach(ctx, keep, rng)
		} else {
			w.deleteBatch(ctx, keep)
		}
	}
}

// deleteEach deletes messages one by one, a few of them twice at once: the
// second answer must not come before the first delete is durable.
func (w *workload) deleteEach(ctx context.Context, msgs []types.Message, rng *rand.Rand) {
	for _, m := range msgs {
		del := func() error {
			_, err := w.client.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: &w.url, ReceiptHandle: m.ReceiptHandle})
			return err
		}
		if w.attempt(ctx, "DeleteMessage", del, rng.IntN(100) < retryPercent) {
			w.led.deleted(aws.ToString(m.Body))
		}
	}
}

func (w *workload) deleteBatch(ctx context.Context, msgs []types.Message) {
	if len(msgs) == 0 {
		return
	}
	entries := make([]types.DeleteMessageBatchRequestEntry, len(msgs))
	for i, m := range msgs {
		entries[i] = types.DeleteMessageBatchRequestEntry{Id: aws.String(strconv.Itoa(i)), ReceiptHandle: m.ReceiptHandle}
	}
	out, err := w.client.DeleteMessageBatch(ctx, &sqs.DeleteMessageBatchInput{QueueUrl: &w.url, Entries: entries})
	if err != nil {
		w.failed(ctx, "DeleteMessageBatch", err)
		return
	}
	for _, ok := range out.Successful {
		i, _ := strconv.Atoi(aws.ToString(ok.Id))
		w.led.deleted(aws.ToString(msgs[i].Body))
	}
	for _, f := range out.Failed {
		w.led.apiError("DeleteMessageBatch entry", aws.ToString(f.Code))
	}
}

// failed handles a request that got no success. Without an HTTP answer the
// process is presumably down: wait for it. An answer that is an error is
// recorded; a 5xx one fails the test.
func (w *workload) failed(ctx context.Context, op string, err error) {
	w.errs.Add(1)
	var re *smithyhttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() == 0 {
		w.proc.waitUp(ctx)
		return
	}
	code := strconv.Itoa(re.HTTPStatusCode())
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code += " " + ae.ErrorCode()
	}
	if re.HTTPStatusCode() >= 500 {
		w.server.Add(1)
	}
	w.led.apiError(op, code)
}

// setupQueue creates the workload's queue.
func (w *workload) setupQueue(ctx context.Context) error {
	name := "crash-" + w.kind
	attrs := map[string]string{"VisibilityTimeout": strconv.Itoa(visibilityTimeout)}
	if w.fifo {
		name += ".fifo"
		attrs["FifoQueue"] = "true"
	}
	out, err := w.client.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: &name, Attributes: attrs})
	if err != nil {
		return err
	}
	w.url = aws.ToString(out.QueueUrl)
	return nil
}

// remaining returns how many messages the queue holds, visible or not.
func (w *workload) remaining(ctx context.Context) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, err := w.client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: &w.url,
		AttributeNames: []types.QueueAttributeName{
			types.QueueAttributeNameApproximateNumberOfMessages,
			types.QueueAttributeNameApproximateNumberOfMessagesNotVisible,
			types.QueueAttributeNameApproximateNumberOfMessagesDelayed,
		},
	})
	if err != nil {
		return 0, err
	}
	total := 0
	for _, v := range out.Attributes {
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, fmt.Errorf("attribute %q: %w", v, err)
		}
		total += n
	}
	return total, nil
}
