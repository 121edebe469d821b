package integration_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/flow"
)

const childSM = "arn:aws:states:us-east-1:000000000000:stateMachine:child"

// TestStartExecution: the request-response output of the recorded
// states:startExecution case, and the nested execution's parent and input.
func TestStartExecution(t *testing.T) {
	t.Parallel()
	e := setup(t)
	out, f := e.invoke("arn:aws:states:::states:startExecution", map[string]any{
		"StateMachineArn": childSM, "Input": map[string]any{"Hello": "World"}, "Name": "TestStartTarget",
	})
	require.Nil(t, f)
	in := <-e.execs.startCh
	require.Equal(t, `{"Hello":"World"}`, in.Input)
	require.Equal(t, execArn, in.ParentExecutionArn)
	require.Equal(t, flow.Caller{Account: account, Region: region}, in.Caller)
	require.Equal(t, executionArn(childSM, "TestStartTarget"), out["ExecutionArn"])
	require.Equal(t, json.Number("1700000000123"), out["StartDate"])
	require.Contains(t, out, "SdkHttpMetadata")

	_, f = e.invoke("arn:aws:states:::states:startExecution", map[string]any{"StateMachineArn": "arn:aws:states:us-east-1:000000000000:activity:a"})
	require.Equal(t, "StepFunctions.InvalidArnException", f.Error)
}

// TestStartExecutionSync: .sync reports DescribeExecution's fields with
// Output as text, .sync:2 with Output as JSON, and a failed child fails the
// task with States.TaskFailed and the description as cause (the recorded
// test_start_execution_sync_delegate_failure).
func TestStartExecutionSync(t *testing.T) {
	t.Parallel()
	e := setup(t)
	start, stop := time.UnixMilli(1_700_000_000_123), time.UnixMilli(1_700_000_001_456)
	output := `{"Arg1":"argument1"}`
	e.execs.ends["ok"] = flow.ExecutionDescription{
		ExecutionArn: executionArn(childSM, "ok"), StateMachineArn: childSM, Name: "ok", Status: "SUCCEEDED",
		StartDate: start, StopDate: stop, Input: "{}", Output: &output,
	}
	e.execs.ends["bad"] = flow.ExecutionDescription{
		ExecutionArn: executionArn(childSM, "bad"), StateMachineArn: childSM, Name: "bad", Status: "FAILED",
		StartDate: start, StopDate: stop, Input: "{}", Error: "SomeFailure", Cause: "This state machines raises a 'SomeFailure' failure.",
	}
	var submitted []any
	run := e.tasks.For(integrationExecution(func(out any) { submitted = append(submitted, out) }))

	out, err := run.Invoke(t.Context(), taskReq(t, "arn:aws:states:::states:startExecution.sync", map[string]any{"StateMachineArn": childSM, "Input": nil, "Name": "ok"}))
	require.NoError(t, err)
	got, _ := json.Marshal(out)
	require.JSONEq(t, `{"ExecutionArn": "arn:aws:states:us-east-1:000000000000:execution:child:ok", "Input": "{}", "InputDetails": {"Included": true},
		"Name": "ok", "Output": "{\"Arg1\":\"argument1\"}", "OutputDetails": {"Included": true}, "RedriveCount": 0,
		"RedriveStatus": "NOT_REDRIVABLE", "RedriveStatusReason": "Execution is SUCCEEDED and cannot be redriven",
		"StartDate": 1700000000123, "StateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:child",
		"Status": "SUCCEEDED", "StopDate": 1700000001456}`, string(got))
	require.Len(t, submitted, 1)
	require.Equal(t, "{}", (<-e.execs.startCh).Input)

	out, err = run.Invoke(t.Context(), taskReq(t, "arn:aws:states:::states:startExecution.sync:2", map[string]any{"StateMachineArn": childSM, "Name": "ok"}))
	require.NoError(t, err)
	require.Equal(t, map[string]any{"Arg1": "argument1"}, out.(map[string]any)["Output"])

	_, err = run.Invoke(t.Context(), taskReq(t, "arn:aws:states:::states:startExecution.sync", map[string]any{"StateMachineArn": childSM, "Name": "bad"}))
	f := failureOf(t, err)
	require.Equal(t, "States.TaskFailed", f.Error)
	require.JSONEq(t, `{"Cause": "This state machines raises a 'SomeFailure' failure.", "Error": "SomeFailure",
		"ExecutionArn": "arn:aws:states:us-east-1:000000000000:execution:child:bad", "Input": "{}", "InputDetails": {"Included": true},
		"Name": "bad", "StartDate": 1700000000123, "StateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:child",
		"Status": "FAILED", "StopDate": 1700000001456}`, f.Cause)
}

// TestStartExecutionSyncTaskToken: a .sync task also ends with a
// SendTaskSuccess for its token, its output the callback's (the recorded
// test_sync_with_task_token), while the child still runs.
func TestStartExecutionSyncTaskToken(t *testing.T) {
	t.Parallel()
	e := setup(t)
	var submitted []any
	run := e.tasks.For(integrationExecution(func(out any) { submitted = append(submitted, out) }))
	req := taskReq(t, "arn:aws:states:::states:startExecution.sync", map[string]any{"StateMachineArn": childSM, "Name": "running"})
	req.Token = "tok"
	e.callbacks.ch("tok") <- outcome{output: "SQS_SEND_MESSAGE_AND_WAIT"}
	out, err := run.Invoke(t.Context(), req)
	require.NoError(t, err)
	require.Equal(t, "SQS_SEND_MESSAGE_AND_WAIT", out)
	require.Len(t, submitted, 1)
	require.Equal(t, executionArn(childSM, "running"), submitted[0].(map[string]any)["ExecutionArn"])
}
