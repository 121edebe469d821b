package e2e

import (
	"crypto/md5"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
)

// redriveEnv is a redrive test's fogbank: a Step Functions client, an SQS
// client, the "log" queue the first state writes to, and the URL of the
// "target" queue the second state sends to, which does not exist yet.
type redriveEnv struct {
	sfnEnv
	q         *sqs.Client
	logURL    string
	targetURL string
}

func setupRedrive(t *testing.T, opts ...fogbanktest.Option) redriveEnv {
	t.Helper()
	e := redriveEnv{sfnEnv: setupSFN(t, opts...)}
	e.q = sqs.NewFromConfig(e.srv.AWSConfig())
	out, err := e.q.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("redrive-log")})
	require.NoError(t, err)
	e.logURL = *out.QueueUrl
	e.targetURL = strings.Replace(e.logURL, "redrive-log", "redrive-target", 1)
	return e
}

// md5Hex is the MD5OfMessageBody SQS answers for body.
func md5Hex(body string) string {
	sum := md5.Sum([]byte(body)) //nolint:gosec // SQS's checksum, not a secret
	return hex.EncodeToString(sum[:])
}

// redriveMachine logs the input to the log queue, assigns a variable,
// sends to the target queue (which fails while the queue is missing),
// then optionally waits, and reports the variable and the redrive count.
func (e redriveEnv) redriveMachine(name string, pause bool) string {
	e.t.Helper()
	next := "Done"
	pauseState := ""
	if pause {
		next = "Pause"
		pauseState = `"Pause": {"Type": "Wait", "Seconds": 100, "Next": "Done"},`
	}
	return e.machine(name, `{
	  "StartAt": "Log",
	  "States": {
	    "Log": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
	      "Parameters": {"QueueUrl": "`+e.logURL+`", "MessageBody.$": "States.JsonToString($)"},
	      "Assign": {"logged.$": "$.MD5OfMessageBody"}, "ResultPath": null, "Next": "Send"},
	    "Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
	      "Parameters": {"QueueUrl": "`+e.targetURL+`", "MessageBody.$": "States.JsonToString($)"},
	      "ResultPath": null, "Next": "`+next+`"},
	    `+pauseState+`
	    "Done": {"Type": "Pass", "Parameters": {"n.$": "$.n", "logged.$": "$logged", "redrives.$": "$$.Execution.RedriveCount"}, "End": true}
	  }
	}`, "")
}

func (e redriveEnv) createTarget() {
	e.t.Helper()
	out, err := e.q.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("redrive-target")})
	require.NoError(e.t, err)
	require.Equal(e.t, e.targetURL, *out.QueueUrl)
}

// messages drains a queue and returns the bodies it held.
func (e redriveEnv) messages(url string) []string {
	e.t.Helper()
	var bodies []string
	for {
		out, err := e.q.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: 10})
		require.NoError(e.t, err)
		if len(out.Messages) == 0 {
			return bodies
		}
		for _, m := range out.Messages {
			bodies = append(bodies, *m.Body)
			_, err := e.q.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle})
			require.NoError(e.t, err)
		}
	}
}

func (e sfnEnv) redrive(execArn, token string) (*sfn.RedriveExecutionOutput, error) {
	in := &sfn.RedriveExecutionInput{ExecutionArn: aws.String(execArn)}
	if token != "" {
		in.ClientToken = aws.String(token)
	}
	return e.c.RedriveExecution(e.ctx, in)
}

func (e sfnEnv) listRedrive(machineArn string, filter sfntypes.ExecutionRedriveFilter) []sfntypes.ExecutionListItem {
	e.t.Helper()
	out, err := e.c.ListExecutions(e.ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(machineArn), RedriveFilter: filter})
	require.NoError(e.t, err)
	return out.Executions
}

// entered counts the StateEntered events of a state.
func entered(evs []sfntypes.HistoryEvent, state string) int {
	n := 0
	for _, ev := range evs {
		if d := ev.StateEnteredEventDetails; d != nil && *d.Name == state {
			n++
		}
	}
	return n
}

// TestSFNRedriveExecution: the second state fails on a missing queue; the
// queue is created and the execution redriven; it restarts at the failed
// state with that state's input and the variables assigned before, and
// succeeds without the first state running again.
func TestSFNRedriveExecution(t *testing.T) {
	t.Parallel()
	e := setupRedrive(t)
	sm := e.redriveMachine("redrive", false)
	x := e.start(sm, "first", `{"n":7}`)
	d := e.await(x)
	require.Equal(t, sfntypes.ExecutionStatusFailed, d.Status)
	require.Equal(t, int32(0), *d.RedriveCount)
	require.Equal(t, sfntypes.ExecutionRedriveStatusRedrivable, d.RedriveStatus)
	require.Nil(t, d.RedriveStatusReason)
	require.Nil(t, d.RedriveDate)
	require.Len(t, e.listRedrive(sm, sfntypes.ExecutionRedriveFilterNotRedriven), 1)
	require.Empty(t, e.listRedrive(sm, sfntypes.ExecutionRedriveFilterRedriven))
	failedEvents := len(e.history(x))

	e.createTarget()
	out, err := e.redrive(x, "token-1")
	require.NoError(t, err)
	redriveDate := *out.RedriveDate
	again, err := e.redrive(x, "token-1")
	require.NoError(t, err, "a client token answers idempotently")
	require.True(t, redriveDate.Equal(*again.RedriveDate))

	d = e.await(x)
	require.Equal(t, sfntypes.ExecutionStatusSucceeded, d.Status)
	require.JSONEq(t, `{"n":7,"logged":"`+md5Hex(`{"n":7}`)+`","redrives":1}`, *d.Output)
	require.Equal(t, int32(1), *d.RedriveCount)
	require.True(t, redriveDate.Equal(*d.RedriveDate))
	require.Equal(t, sfntypes.ExecutionRedriveStatusNotRedrivable, d.RedriveStatus)
	require.Equal(t, "Execution is SUCCEEDED and cannot be redriven", *d.RedriveStatusReason)
	require.Nil(t, d.Error)

	require.Equal(t, []string{`{"n":7}`}, e.messages(e.logURL), "the first state ran once")
	require.Equal(t, []string{`{"n":7}`}, e.messages(e.targetURL))

	evs := e.history(x)
	require.Equal(t, "ExecutionFailed", string(evs[failedEvents-1].Type))
	redriven := evs[failedEvents]
	require.Equal(t, sfntypes.HistoryEventTypeExecutionRedriven, redriven.Type)
	require.Equal(t, int32(1), *redriven.ExecutionRedrivenEventDetails.RedriveCount)
	require.Equal(t, int64(failedEvents), redriven.PreviousEventId)
	restarted := evs[failedEvents+1]
	require.Equal(t, sfntypes.HistoryEventTypeTaskStateEntered, restarted.Type)
	require.Equal(t, "Send", *restarted.StateEnteredEventDetails.Name)
	require.JSONEq(t, `{"n":7}`, *restarted.StateEnteredEventDetails.Input)
	require.Equal(t, redriven.Id, restarted.PreviousEventId)
	require.Equal(t, "ExecutionSucceeded", string(evs[len(evs)-1].Type))
	require.Equal(t, 1, entered(evs, "Log"))
	require.Equal(t, 2, entered(evs, "Send"))
	for i, ev := range evs {
		require.Equal(t, int64(i+1), ev.Id)
	}

	items := e.listRedrive(sm, sfntypes.ExecutionRedriveFilterRedriven)
	require.Len(t, items, 1)
	require.Equal(t, x, *items[0].ExecutionArn)
	require.Equal(t, int32(1), *items[0].RedriveCount)
	require.True(t, redriveDate.Equal(*items[0].RedriveDate))
	require.Empty(t, e.listRedrive(sm, sfntypes.ExecutionRedriveFilterNotRedriven))

	_, err = e.redrive(x, "")
	requireSFNError(t, err, "ExecutionNotRedrivable", "Execution is SUCCEEDED and cannot be redriven")
}

// TestSFNRedriveAborted: a stopped execution is redriven from the state
// it was stopped in; while it runs again it is not redrivable.
func TestSFNRedriveAborted(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	sm := e.machine("stopped", `{
	  "StartAt": "First",
	  "States": {
	    "First": {"Type": "Pass", "Result": 1, "ResultPath": "$.first", "Next": "Hold"},
	    "Hold": {"Type": "Wait", "Seconds": 100000, "End": true}
	  }
	}`, "")
	x := e.start(sm, "", `{}`)
	require.Eventually(t, func() bool { return entered(e.history(x), "Hold") == 1 }, 10*time.Second, 5*time.Millisecond)
	_, err := e.c.StopExecution(e.ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(x), Error: aws.String("Halt")})
	require.NoError(t, err)
	d := e.await(x)
	require.Equal(t, sfntypes.ExecutionStatusAborted, d.Status)
	require.Equal(t, sfntypes.ExecutionRedriveStatusRedrivable, d.RedriveStatus)

	_, err = e.redrive(x, "")
	require.NoError(t, err)
	require.Eventually(t, func() bool { return entered(e.history(x), "Hold") == 2 }, 10*time.Second, 5*time.Millisecond)
	d, err = e.c.DescribeExecution(e.ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(x)})
	require.NoError(t, err)
	require.Equal(t, sfntypes.ExecutionStatusRunning, d.Status)
	require.Nil(t, d.StopDate)
	require.Nil(t, d.Error)
	require.Equal(t, sfntypes.ExecutionRedriveStatusNotRedrivable, d.RedriveStatus)
	require.Equal(t, "Execution is RUNNING and cannot be redriven", *d.RedriveStatusReason)
	_, err = e.redrive(x, "")
	requireSFNError(t, err, "ExecutionNotRedrivable", "Execution is RUNNING and cannot be redriven")
	require.Equal(t, 1, entered(e.history(x), "First"))

	// Stopped again, it can be redriven again: the count goes on.
	_, err = e.c.StopExecution(e.ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(x)})
	require.NoError(t, err)
	require.Equal(t, sfntypes.ExecutionStatusAborted, e.await(x).Status)
	_, err = e.redrive(x, "")
	require.NoError(t, err)
	require.Eventually(t, func() bool { return entered(e.history(x), "Hold") == 3 }, 10*time.Second, 5*time.Millisecond)
	d, err = e.c.DescribeExecution(e.ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(x)})
	require.NoError(t, err)
	require.Equal(t, int32(2), *d.RedriveCount)
}

// TestSFNRedriveErrors covers the executions and requests that cannot be
// redriven.
func TestSFNRedriveErrors(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	sm := e.machine("holds", `{"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":100000,"End":true}}}`, "")
	running := e.start(sm, "running", `{}`)

	_, err := e.redrive(running, "")
	requireSFNError(t, err, "ExecutionNotRedrivable", "Execution is RUNNING and cannot be redriven")

	unknown := strings.Replace(running, ":running", ":nobody", 1)
	_, err = e.redrive(unknown, "")
	requireSFNError(t, err, "ExecutionDoesNotExist", "Execution Does Not Exist: '"+unknown+"'")

	_, err = e.redrive("not-an-arn", "")
	requireSFNError(t, err, "InvalidArn", "Invalid Arn: 'not-an-arn'")

	_, err = e.redrive(running, strings.Repeat("t", 65))
	requireSFNError(t, err, "ValidationException", "")

	ok := e.machine("passes", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, "")
	done := e.start(ok, "", `{}`)
	require.Equal(t, sfntypes.ExecutionStatusSucceeded, e.await(done).Status)
	_, err = e.redrive(done, "")
	requireSFNError(t, err, "ExecutionNotRedrivable", "Execution is SUCCEEDED and cannot be redriven")

	express := e.machine("fast", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E"}}}`, sfntypes.StateMachineTypeExpress)
	xo, err := e.c.StartExecution(e.ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(express)})
	require.NoError(t, err)
	_, err = e.redrive(*xo.ExecutionArn, "")
	requireSFNError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'")

	_, err = e.c.ListExecutions(e.ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(sm), RedriveFilter: "SOMETIMES"})
	requireSFNError(t, err, "ValidationException",
		"1 validation error detected: Value 'SOMETIMES' at 'redriveFilter' failed to satisfy constraint: Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]")
}

// TestSFNRedriveSurvivesRestart: a redriven execution is stopped with
// fogbank while it waits, and the restarted fogbank finishes it from its
// stored history without running a state again.
func TestSFNRedriveSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := setupRedrive(t, fogbanktest.WithDataDir(dir))
	sm := e.redriveMachine("durable-redrive", true)
	x := e.start(sm, "", `{"n":3}`)
	require.Equal(t, sfntypes.ExecutionStatusFailed, e.await(x).Status)
	e.createTarget()
	_, err := e.redrive(x, "")
	require.NoError(t, err)
	require.Eventually(t, func() bool { return entered(e.history(x), "Pause") == 1 }, 10*time.Second, 5*time.Millisecond)
	e.srv.Stop()

	e2 := redriveEnv{sfnEnv: setupSFN(t, fogbanktest.WithDataDir(dir))}
	e2.q = sqs.NewFromConfig(e2.srv.AWSConfig())
	d := e2.await(x)
	require.Equal(t, sfntypes.ExecutionStatusSucceeded, d.Status)
	require.JSONEq(t, `{"n":3,"logged":"`+md5Hex(`{"n":3}`)+`","redrives":1}`, *d.Output)
	require.Equal(t, int32(1), *d.RedriveCount)
	evs := e2.history(x)
	require.Equal(t, 1, entered(evs, "Log"))
	require.Equal(t, 2, entered(evs, "Send"))
	require.Equal(t, 1, entered(evs, "Pause"))
	for i, ev := range evs {
		require.Equal(t, int64(i+1), ev.Id)
	}
	logURL, err := e2.q.GetQueueUrl(e2.ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("redrive-log")})
	require.NoError(t, err)
	require.Len(t, e2.messages(*logURL.QueueUrl), 1, "the first state ran once")
	targetURL, err := e2.q.GetQueueUrl(e2.ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("redrive-target")})
	require.NoError(t, err)
	require.Len(t, e2.messages(*targetURL.QueueUrl), 1, "the resumed run did not send again")

	e2.srv.Stop()
	e3 := setupSFN(t, fogbanktest.WithDataDir(dir))
	d3, err := e3.c.DescribeExecution(e3.ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(x)})
	require.NoError(t, err)
	require.Equal(t, sfntypes.ExecutionStatusSucceeded, d3.Status)
	require.Equal(t, int32(1), *d3.RedriveCount)
	require.Len(t, e3.history(x), len(evs))
}
