package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/stretchr/testify/require"
)

// dlqPair creates a dead-letter queue and a source queue redriving to it
// after maxReceiveCount receives.
func (e sdkEnv) dlqPair(name string, maxReceiveCount int) (src, dlq string) {
	e.t.Helper()
	dlq = e.createQueue(name+"-dlq", nil)
	src = e.createQueue(name, map[string]string{
		"RedrivePolicy": fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":%d}`, e.arn(dlq), maxReceiveCount),
	})
	return src, dlq
}

// deadLetter receives a message maxReceiveCount times and returns it from the
// dead-letter queue.
func (e sdkEnv) deadLetter(src, dlq, body string, maxReceiveCount int) string {
	e.t.Helper()
	id := *e.send(src, body).MessageId
	for range maxReceiveCount {
		msgs := e.receive(src)
		require.Len(e.t, msgs, 1)
		// The SDK leaves a zero VisibilityTimeout out of ReceiveMessage, so
		// return the message with ChangeMessageVisibility.
		_, err := e.c.ChangeMessageVisibility(e.ctx, &sqs.ChangeMessageVisibilityInput{QueueUrl: &src, ReceiptHandle: msgs[0].ReceiptHandle, VisibilityTimeout: 0})
		require.NoError(e.t, err)
	}
	require.Empty(e.t, e.receive(src), "moved on the receive after maxReceiveCount")
	return id
}

func TestSQSDeadLetterRedrive(t *testing.T) {
	t.Parallel()
	e := setup(t)
	src, dlq := e.dlqPair("work", 2)
	id := e.deadLetter(src, dlq, "poison", 2)

	msgs := e.receive(dlq)
	require.Len(t, msgs, 1)
	require.Equal(t, id, *msgs[0].MessageId, "the MessageId is preserved")
	require.Equal(t, "poison", *msgs[0].Body)
	require.Equal(t, e.arn(src), msgs[0].Attributes["DeadLetterQueueSourceArn"])
	require.Equal(t, "3", msgs[0].Attributes["ApproximateReceiveCount"], "the count carries over, as AWS records")

	out, err := e.c.ListDeadLetterSourceQueues(e.ctx, &sqs.ListDeadLetterSourceQueuesInput{QueueUrl: &dlq})
	require.NoError(t, err)
	require.Equal(t, []string{src}, out.QueueUrls)
	out, err = e.c.ListDeadLetterSourceQueues(e.ctx, &sqs.ListDeadLetterSourceQueuesInput{QueueUrl: &src})
	require.NoError(t, err)
	require.Empty(t, out.QueueUrls)

	// maxReceiveCount may be a JSON string, as CloudFormation and the CLI send it.
	_, err = e.c.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("string-count"), Attributes: map[string]string{
		"RedrivePolicy": fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":"5"}`, e.arn(dlq)),
	}})
	require.NoError(t, err)

	_, err = e.c.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("bad-redrive"), Attributes: map[string]string{
		"RedrivePolicy": fmt.Sprintf(`{"deadLetterTargetArn":%q,"maxReceiveCount":0}`, e.arn(dlq)),
	}})
	require.Error(t, err)
	requireCode(t, err, "InvalidParameterValue")
}

func TestSQSMessageMoveTaskToSource(t *testing.T) {
	t.Parallel()
	e := setup(t)
	src, dlq := e.dlqPair("mv", 1)
	ids := map[string]bool{}
	for i := range 3 {
		ids[e.deadLetter(src, dlq, fmt.Sprint("m", i), 1)] = true
	}
	require.Equal(t, "3", e.attr(dlq, "ApproximateNumberOfMessages"))

	task, err := e.c.StartMessageMoveTask(e.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(e.arn(dlq))})
	require.NoError(t, err)
	require.NotEmpty(t, *task.TaskHandle)

	// The task runs in the background; a long poll on the source sees it.
	got := map[string]bool{}
	deadline := time.Now().Add(15 * time.Second)
	for len(got) < 3 && time.Now().Before(deadline) {
		for _, m := range e.receive(src, wait(1)) {
			got[*m.MessageId] = true
		}
	}
	require.Equal(t, ids, got)

	// The task records its progress just after its last move: wait for it.
	var list *sqs.ListMessageMoveTasksOutput
	require.Eventually(t, func() bool {
		var err error
		list, err = e.c.ListMessageMoveTasks(e.ctx, &sqs.ListMessageMoveTasksInput{SourceArn: aws.String(e.arn(dlq)), MaxResults: aws.Int32(10)})
		require.NoError(t, err)
		return len(list.Results) == 1 && *list.Results[0].Status == "COMPLETED"
	}, 10*time.Second, 10*time.Millisecond)
	r := list.Results[0]
	require.Equal(t, "COMPLETED", *r.Status)
	require.Equal(t, int64(3), r.ApproximateNumberOfMessagesMoved)
	require.Equal(t, e.arn(dlq), *r.SourceArn)
	require.Nil(t, r.TaskHandle, "only running tasks have a handle")

	_, err = e.c.CancelMessageMoveTask(e.ctx, &sqs.CancelMessageMoveTaskInput{TaskHandle: task.TaskHandle})
	requireAPIError(t, err, http.StatusNotFound, "ResourceNotFoundException", "Task does not exist.")
}

func TestSQSMessageMoveTaskToDestinationAndCancel(t *testing.T) {
	t.Parallel()
	e := setup(t)
	src, dlq := e.dlqPair("mvd", 1)
	dest := e.createQueue("mvd-dest", nil)
	const n = 6 // at one message a second the task runs for ~6 s, far longer than the test needs
	for i := range n {
		e.deadLetter(src, dlq, fmt.Sprint("m", i), 1)
	}

	// Rate-limited to one message a second, so the task is still running
	// when it is cancelled, even on a loaded machine.
	slow, err := e.c.StartMessageMoveTask(e.ctx, &sqs.StartMessageMoveTaskInput{
		SourceArn: aws.String(e.arn(dlq)), DestinationArn: aws.String(e.arn(dest)), MaxNumberOfMessagesPerSecond: aws.Int32(1),
	})
	require.NoError(t, err)
	_, err = e.c.StartMessageMoveTask(e.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(e.arn(dlq))})
	requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterValue", "There is already a task running. Only one active task is allowed for a source queue arn at a given time.")

	list, err := e.c.ListMessageMoveTasks(e.ctx, &sqs.ListMessageMoveTasksInput{SourceArn: aws.String(e.arn(dlq))})
	require.NoError(t, err)
	require.Len(t, list.Results, 1)
	require.Equal(t, "RUNNING", *list.Results[0].Status)
	require.Equal(t, *slow.TaskHandle, *list.Results[0].TaskHandle)
	require.Equal(t, e.arn(dest), *list.Results[0].DestinationArn)
	require.Equal(t, int64(n), *list.Results[0].ApproximateNumberOfMessagesToMove)

	moved := e.receive(dest, wait(2))
	require.NotEmpty(t, moved, "the first batch goes to the explicit destination")
	cancel, err := e.c.CancelMessageMoveTask(e.ctx, &sqs.CancelMessageMoveTaskInput{TaskHandle: slow.TaskHandle})
	require.NoError(t, err)
	require.GreaterOrEqual(t, cancel.ApproximateNumberOfMessagesMoved, int64(1))
	require.Less(t, cancel.ApproximateNumberOfMessagesMoved, int64(n))

	list, err = e.c.ListMessageMoveTasks(e.ctx, &sqs.ListMessageMoveTasksInput{SourceArn: aws.String(e.arn(dlq))})
	require.NoError(t, err)
	require.Contains(t, []string{"CANCELLING", "CANCELLED"}, *list.Results[0].Status)
	require.Empty(t, e.receive(src), "nothing went back to the source")

	// A second task finishes the job.
	_, err = e.c.StartMessageMoveTask(e.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(e.arn(dlq)), DestinationArn: aws.String(e.arn(dest))})
	require.NoError(t, err)
	total := len(moved)
	deadline := time.Now().Add(15 * time.Second)
	for total < n && time.Now().Before(deadline) {
		total += len(e.receive(dest, wait(1)))
	}
	require.Equal(t, n, total)
}

func TestSQSMessageMoveTaskErrors(t *testing.T) {
	t.Parallel()
	e := setup(t)
	plain := e.createQueue("not-a-dlq", nil)
	_, err := e.c.StartMessageMoveTask(e.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String(e.arn(plain))})
	requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterValue", "Source queue must be configured as a Dead Letter Queue.")
	_, err = e.c.StartMessageMoveTask(e.ctx, &sqs.StartMessageMoveTaskInput{SourceArn: aws.String("arn:aws:sqs:us-east-1:" + account + ":missing")})
	requireAPIError(t, err, http.StatusNotFound, "ResourceNotFoundException", "The resource that you specified for the SourceArn parameter doesn't exist.")
	_, err = e.c.CancelMessageMoveTask(e.ctx, &sqs.CancelMessageMoveTaskInput{TaskHandle: aws.String("not-a-handle")})
	requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterValue", "Value for parameter TaskHandle is invalid.")
}
