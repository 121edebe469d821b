package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
)

// callbackMachine sends its task token to an SQS queue and waits for it.
func callbackMachine(queueURL string) string {
	return `{"StartAt":"Ask","States":{"Ask":{"Type":"Task",
	  "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
	  "Parameters":{"QueueUrl":"` + queueURL + `","MessageBody.$":"$$.Task.Token"},"End":true}}}`
}

// receiveTokens long-polls a queue for n task tokens.
func receiveTokens(t *testing.T, e sfnEnv, q *sqs.Client, url string, n int) []string {
	t.Helper()
	var tokens []string
	require.Eventually(t, func() bool {
		out, err := q.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		require.NoError(t, err)
		for _, m := range out.Messages {
			tokens = append(tokens, *m.Body)
			_, err := q.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle})
			require.NoError(t, err)
		}
		return len(tokens) >= n
	}, 20*time.Second, time.Millisecond)
	return tokens
}

// TestSFNCallbackTokenSurvivesRestart: a .waitForTaskToken task's token
// goes out once; fogbank restarts while the execution waits; the answer
// sent to the new process completes the execution, and the request is not
// sent again.
func TestSFNCallbackTokenSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := setupSFN(t, fogbanktest.WithDataDir(dir))
	q := sqs.NewFromConfig(e.srv.AWSConfig())
	qo, err := q.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("tokens")})
	require.NoError(t, err)
	sm := e.machine("asks", callbackMachine(*qo.QueueUrl), "")
	x := e.start(sm, "", `{}`)
	token := receiveTokens(t, e, q, *qo.QueueUrl, 1)[0]
	e.srv.Stop()

	e2 := setupSFN(t, fogbanktest.WithDataDir(dir))
	q2 := sqs.NewFromConfig(e2.srv.AWSConfig())
	_, err = e2.c.SendTaskSuccess(e2.ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{"approved":true}`)})
	require.NoError(t, err)
	d := e2.await(x)
	require.Equal(t, sfntypes.ExecutionStatusSucceeded, d.Status)
	require.JSONEq(t, `{"approved":true}`, *d.Output)
	out, err := q2.ReceiveMessage(e2.ctx, &sqs.ReceiveMessageInput{QueueUrl: qo.QueueUrl, WaitTimeSeconds: 1})
	require.NoError(t, err)
	require.Empty(t, out.Messages, "the resumed task did not send its request again")
	_, err = e2.c.SendTaskSuccess(e2.ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{}`)})
	requireSFNError(t, err, "TaskTimedOut", "")
}

// TestSFNStopWhileWaitingForToken: stopping an execution that waits for a
// token aborts it; the token is then dead.
func TestSFNStopWhileWaitingForToken(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	q := sqs.NewFromConfig(e.srv.AWSConfig())
	qo, err := q.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("tokens")})
	require.NoError(t, err)
	sm := e.machine("asks", callbackMachine(*qo.QueueUrl), "")
	x := e.start(sm, "", `{}`)
	token := receiveTokens(t, e, q, *qo.QueueUrl, 1)[0]
	_, err = e.c.SendTaskHeartbeat(e.ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(token)})
	require.NoError(t, err)
	_, err = e.c.StopExecution(e.ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(x)})
	require.NoError(t, err)
	d, err := e.c.DescribeExecution(e.ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(x)})
	require.NoError(t, err)
	require.Equal(t, sfntypes.ExecutionStatusAborted, d.Status)
	_, err = e.c.SendTaskSuccess(e.ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`{}`)})
	requireSFNError(t, err, "TaskTimedOut", "")
	_, err = e.c.SendTaskSuccess(e.ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`not json`)})
	requireSFNError(t, err, "InvalidOutput", "")
}
