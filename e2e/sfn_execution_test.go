package e2e

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

const waitMachine = `{
  "StartAt": "Greet",
  "States": {
    "Greet": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('hello {}', $.who)"}, "Next": "Pause"},
    "Pause": {"Type": "Wait", "Seconds": 2, "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}`

func TestSFNStandardExecutionSucceeds(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	sm := e.machine("greeter", waitMachine, "")
	x := e.start(sm, "run-1", `{"who":"world"}`)
	require.Equal(t, "arn:aws:states:us-east-1:000000000000:execution:greeter:run-1", x)

	d := e.await(x)
	require.Equal(t, sfntypes.ExecutionStatusSucceeded, d.Status)
	require.JSONEq(t, `{"greeting":"hello world"}`, *d.Output)
	require.JSONEq(t, `{"who":"world"}`, *d.Input)
	require.Equal(t, sm, *d.StateMachineArn)
	require.Equal(t, "run-1", *d.Name)
	require.NotNil(t, d.StopDate)
	require.GreaterOrEqual(t, d.StopDate.Sub(*d.StartDate).Seconds(), 2.0, "the Wait state's 2 s show in the logical timestamps")

	evs := e.history(x)
	require.Equal(t, []string{
		"ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered", "WaitStateExited",
		"SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded",
	}, eventTypes(evs))
	require.Equal(t, d.StartDate.UnixMilli(), evs[0].Timestamp.UnixMilli())
	for i, ev := range evs {
		require.Equal(t, int64(i+1), ev.Id)
	}
	require.Equal(t, `{"who":"world"}`, *evs[0].ExecutionStartedEventDetails.Input)
	require.Equal(t, sfnRole, *evs[0].ExecutionStartedEventDetails.RoleArn)
}

func TestSFNHistoryPaginationAndOptions(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	sm := e.machine("pages", waitMachine, "")
	x := e.start(sm, "", `{"who":"you"}`)
	e.await(x)
	all := eventTypes(e.history(x))

	var got []string
	var token *string
	for {
		out, err := e.c.GetExecutionHistory(e.ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(x), MaxResults: 3, NextToken: token, ReverseOrder: true})
		require.NoError(t, err)
		require.LessOrEqual(t, len(out.Events), 3)
		got = append(got, eventTypes(out.Events)...)
		if out.NextToken == nil {
			break
		}
		token = out.NextToken
	}
	require.Len(t, got, len(all))
	for i := range all {
		require.Equal(t, all[i], got[len(got)-1-i])
	}

	out, err := e.c.GetExecutionHistory(e.ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(x), IncludeExecutionData: aws.Bool(false)})
	require.NoError(t, err)
	require.Nil(t, out.Events[0].ExecutionStartedEventDetails.Input)
	require.NotNil(t, out.Events[0].ExecutionStartedEventDetails.RoleArn)

	_, err = e.c.GetExecutionHistory(e.ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(x), NextToken: aws.String("garbage!")})
	requireSFNError(t, err, "InvalidToken", "")
	_, err = e.c.GetExecutionHistory(e.ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(x + "-nope")})
	requireSFNError(t, err, "ExecutionDoesNotExist", "Execution Does Not Exist: '"+x+"-nope'")
	_, err = e.c.GetExecutionHistory(e.ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(sm)})
	requireSFNError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: stateMachine'")
}

func TestSFNStartExecutionIdempotencyAndStop(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	sm := e.machine("sleeper", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100000,"End":true}}}`, "")
	x := e.start(sm, "same", `{"a":1}`)
	require.Equal(t, x, e.start(sm, "same", `{"a":1}`), "same name and input while running: same execution")
	_, err := e.c.StartExecution(e.ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Name: aws.String("same"), Input: aws.String(`{"a":2}`)})
	requireSFNError(t, err, "ExecutionAlreadyExists", "Execution Already Exists: '"+x+"'")

	list, err := e.c.ListExecutions(e.ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(sm), StatusFilter: sfntypes.ExecutionStatusRunning})
	require.NoError(t, err)
	require.Len(t, list.Executions, 1)

	stop, err := e.c.StopExecution(e.ctx, &sfn.StopExecutionInput{ExecutionArn: aws.String(x), Error: aws.String("Halt"), Cause: aws.String("enough")})
	require.NoError(t, err)
	require.NotNil(t, stop.StopDate)
	d, err := e.c.DescribeExecution(e.ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(x)})
	require.NoError(t, err)
	require.Equal(t, sfntypes.ExecutionStatusAborted, d.Status)
	require.Equal(t, "Halt", *d.Error)
	require.Equal(t, "enough", *d.Cause)
	evs := e.history(x)
	require.Equal(t, []string{"ExecutionStarted", "WaitStateEntered", "ExecutionAborted"}, eventTypes(evs))
	require.Equal(t, "Halt", *evs[2].ExecutionAbortedEventDetails.Error)

	_, err = e.c.StartExecution(e.ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Name: aws.String("same"), Input: aws.String(`{"a":1}`)})
	requireSFNError(t, err, "ExecutionAlreadyExists", "")

	list, err = e.c.ListExecutions(e.ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(sm), StatusFilter: sfntypes.ExecutionStatusRunning})
	require.NoError(t, err)
	require.Empty(t, list.Executions)
	list, err = e.c.ListExecutions(e.ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(sm), StatusFilter: sfntypes.ExecutionStatusAborted})
	require.NoError(t, err)
	require.Len(t, list.Executions, 1)
	require.Equal(t, x, *list.Executions[0].ExecutionArn)

	fe, err := e.c.DescribeStateMachineForExecution(e.ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: aws.String(x)})
	require.NoError(t, err)
	require.Equal(t, sm, *fe.StateMachineArn)
	require.Contains(t, *fe.Definition, `"Seconds":100000`)
}

func TestSFNExecutionFailsAndValidation(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	sm := e.machine("failer", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom","Cause":"it broke"}}}`, "")
	d := e.await(e.start(sm, "", ""))
	require.Equal(t, sfntypes.ExecutionStatusFailed, d.Status)
	require.Equal(t, "Boom", *d.Error)
	require.Equal(t, "it broke", *d.Cause)
	require.Nil(t, d.Output)
	require.JSONEq(t, `{}`, *d.Input)

	_, err := e.c.StartExecution(e.ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String(`{nope`)})
	requireSFNError(t, err, "InvalidExecutionInput", "")
	_, err = e.c.StartExecution(e.ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm), Name: aws.String("bad name")})
	requireSFNError(t, err, "InvalidName", "Invalid Name: 'bad name'")
	_, err = e.c.StartExecution(e.ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm + "x")})
	requireSFNError(t, err, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+sm+"x'")
	_, err = e.c.StartExecution(e.ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String("not-an-arn")})
	requireSFNError(t, err, "InvalidArn", "Invalid Arn: 'not-an-arn'")
	_, err = e.c.DescribeExecution(e.ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(sm)})
	requireSFNError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: stateMachine'")
	_, err = e.c.ListExecutions(e.ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(sm), StatusFilter: "NOPE"})
	requireSFNError(t, err, "ValidationException", "")
}

func TestSFNExpressExecutions(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	sm := e.machine("quick", `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"ok":true},"ResultPath":"$.r","End":true}}}`, sfntypes.StateMachineTypeExpress)

	out, err := e.c.StartSyncExecution(e.ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(sm), Name: aws.String("s1"), Input: aws.String(`{"n":1}`)})
	require.NoError(t, err)
	require.Equal(t, sfntypes.SyncExecutionStatusSucceeded, out.Status)
	require.JSONEq(t, `{"n":1,"r":{"ok":true}}`, *out.Output)
	require.Regexp(t, `^arn:aws:states:us-east-1:000000000000:express:quick:s1:[0-9a-f-]{36}$`, *out.ExecutionArn)
	require.Equal(t, int64(64), out.BillingDetails.BilledMemoryUsedInMB)
	require.GreaterOrEqual(t, out.BillingDetails.BilledDurationInMilliseconds, int64(100))

	meta, err := e.c.StartSyncExecution(e.ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String(`{}`), IncludedData: sfntypes.IncludedDataMetadataOnly})
	require.NoError(t, err)
	require.Nil(t, meta.Output)
	require.False(t, meta.OutputDetails.Included)

	fail := e.machine("quickfail", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}}`, sfntypes.StateMachineTypeExpress)
	out, err = e.c.StartSyncExecution(e.ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(fail)})
	require.NoError(t, err)
	require.Equal(t, sfntypes.SyncExecutionStatusFailed, out.Status)
	require.Equal(t, "E", *out.Error)

	async, err := e.c.StartExecution(e.ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err)
	require.Contains(t, *async.ExecutionArn, ":express:quick:")
	_, err = e.c.DescribeExecution(e.ctx, &sfn.DescribeExecutionInput{ExecutionArn: async.ExecutionArn})
	requireSFNError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'")
	_, err = e.c.GetExecutionHistory(e.ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: async.ExecutionArn})
	requireSFNError(t, err, "InvalidArn", "")
	_, err = e.c.ListExecutions(e.ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(sm)})
	requireSFNError(t, err, "StateMachineTypeNotSupported", "")

	// An EXPRESS execution may run 5 minutes (3 s at this time scale).
	long := e.machine("long", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1000,"End":true}}}`, sfntypes.StateMachineTypeExpress)
	out, err = e.c.StartSyncExecution(e.ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(long)})
	require.NoError(t, err)
	require.Equal(t, sfntypes.SyncExecutionStatusTimedOut, out.Status)
	require.Equal(t, "States.Timeout", *out.Error)
	require.Equal(t, 300.0, out.StopDate.Sub(*out.StartDate).Round(time.Second).Seconds())

	std := e.machine("std", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, "")
	_, err = e.c.StartSyncExecution(e.ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(std)})
	requireSFNError(t, err, "StateMachineTypeNotSupported", "")
}

func TestSFNStartSyncExecutionWithHostPrefix(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	sm := e.machine("prefixed", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, sfntypes.StateMachineTypeExpress)
	// Without the option the SDK calls sync-127.0.0.1, which does not
	// resolve: the error is the client's, before fogbank.
	plain := sfn.NewFromConfig(e.srv.AWSConfig())
	_, err := plain.StartSyncExecution(e.ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(sm)})
	require.ErrorContains(t, err, "sync-127.0.0.1")
	out, err := e.c.StartSyncExecution(e.ctx, &sfn.StartSyncExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String(`[1]`)})
	require.NoError(t, err)
	var v []int
	require.NoError(t, json.Unmarshal([]byte(*out.Output), &v))
	require.Equal(t, []int{1}, v)
}
