package crash

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/stretchr/testify/require"
)

// sfnClient is a Step Functions client of the process, retries off, with
// its own connections (made after the process's latest start).
func (p *process) sfnClient() *sfn.Client {
	return sfn.NewFromConfig(aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint:     aws.String("http://" + p.addr),
		RetryMaxAttempts: 1,
		HTTPClient:       &http.Client{Transport: &http.Transport{}, Timeout: 30 * time.Second},
	})
}

const sfnExecutions = 5

// TestSFNCrash kills fogbank with SIGKILL twice while STANDARD executions
// wait between two SQS sends: after each restart they resume from their
// stored histories, complete, record no event twice, and the send made
// before a kill is not made again.
func TestSFNCrash(t *testing.T) {
	bin := buildFogbank(t)
	p := newProcess(t, bin, []string{"--data-dir", t.TempDir(), "--sfn-time-scale", "0.01"})
	p.start()
	ctx := t.Context()
	q, c := p.client(), p.sfnClient()
	qout, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("steps")})
	require.NoError(t, err)
	url := *qout.QueueUrl
	send := func(step string) string {
		return `{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"QueueUrl":"` + url +
			`","MessageBody.$":"States.Format('{}:` + step + `', $$.Execution.Name)"},"ResultPath":null,`
	}
	def := `{"StartAt":"One","States":{
	  "One":` + send("one") + `"Next":"Pause1"},
	  "Pause1":{"Type":"Wait","Seconds":150,"Next":"Two"},
	  "Two":` + send("two") + `"Next":"Pause2"},
	  "Pause2":{"Type":"Wait","Seconds":150,"Next":"Done"},
	  "Done":{"Type":"Succeed"}}}`
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("crashy"), Definition: aws.String(def), RoleArn: aws.String("arn:aws:iam::000000000000:role/r")})
	require.NoError(t, err)
	var execs []string
	for i := range sfnExecutions {
		out, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String(fmt.Sprintf("x%d", i))})
		require.NoError(t, err)
		execs = append(execs, *out.ExecutionArn)
	}

	for _, waitState := range []string{"Pause1", "Pause2"} {
		for _, x := range execs {
			require.Eventually(t, func() bool { return lastEntered(ctx, t, c, x) == waitState }, 30*time.Second, 10*time.Millisecond)
		}
		p.kill()
		p.start()
		c = p.sfnClient()
	}

	for _, x := range execs {
		var d *sfn.DescribeExecutionOutput
		require.Eventually(t, func() bool {
			d, err = c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(x)})
			require.NoError(t, err)
			return d.Status != sfntypes.ExecutionStatusRunning
		}, 30*time.Second, 20*time.Millisecond)
		require.Equal(t, sfntypes.ExecutionStatusSucceeded, d.Status)
		h, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(x), MaxResults: 1000})
		require.NoError(t, err)
		var types []string
		for i, ev := range h.Events {
			require.Equal(t, int64(i+1), ev.Id)
			types = append(types, string(ev.Type))
		}
		require.Equal(t, []string{
			"ExecutionStarted",
			"TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
			"WaitStateEntered", "WaitStateExited",
			"TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
			"WaitStateEntered", "WaitStateExited",
			"SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded",
		}, types)
	}

	// Every send happened exactly once.
	seen := map[string]int{}
	for len(seen) < 2*sfnExecutions {
		out, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
		require.NoError(t, err)
		if len(out.Messages) == 0 {
			break
		}
		for _, m := range out.Messages {
			seen[*m.Body]++
			_, err := q.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle})
			require.NoError(t, err)
		}
	}
	out, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
	require.NoError(t, err)
	require.Empty(t, out.Messages, "a step ran twice")
	require.Len(t, seen, 2*sfnExecutions)
	for body, n := range seen {
		require.Equal(t, 1, n, "%s sent %d times", body, n)
	}
}

// lastEntered names the state whose *StateEntered is the execution's last
// event, or "".
func lastEntered(ctx context.Context, t *testing.T, c *sfn.Client, x string) string {
	t.Helper()
	h, err := c.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(x), ReverseOrder: true, MaxResults: 1})
	if err != nil || len(h.Events) == 0 || h.Events[0].StateEnteredEventDetails == nil {
		return ""
	}
	return *h.Events[0].StateEnteredEventDetails.Name
}
