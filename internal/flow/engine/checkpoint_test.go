package engine_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/flow/asl"
	"github.com/fogbank/fogbank/internal/flow/engine"
)

const callbackDef = `{
  "StartAt": "Pause",
  "States": {
    "Pause": {"Type": "Wait", "Seconds": 60, "Next": "Call"},
    "Call": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
             "Parameters": {"MessageBody.$": "$$.Task.Token"}, "TimeoutSeconds": 300, "End": true}
  }
}`

func newExec(t *testing.T, cfg engine.Config) *engine.Execution {
	t.Helper()
	sm, err := asl.Parse(callbackDef, asl.Options{})
	require.NoError(t, err)
	return engine.New(cfg, sm, engine.Start{
		ExecutionArn: "arn:aws:states:us-east-1:111111111111:execution:m:e", Name: "e",
		StateMachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:m", StateMachineName: "m",
		RoleArn: testRoleArn, Input: `{}`,
	})
}

// roundTrip stores and reloads events as a store would.
func roundTrip(t *testing.T, evs []engine.Event) []engine.Event {
	t.Helper()
	out := make([]engine.Event, 0, len(evs))
	for _, ev := range evs {
		b, err := json.Marshal(ev)
		require.NoError(t, err)
		var back engine.Event
		require.NoError(t, json.Unmarshal(b, &back))
		out = append(out, back)
	}
	return out
}

// TestCheckpointBeforeSideEffects: the events are handed out before the
// timer wait and before the task runs; a run whose context ends is
// interrupted without recording more; the resumed run knows the callback
// request was submitted and only waits, and no event repeats.
func TestCheckpointBeforeSideEffects(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	var durable []engine.Event
	cfg.Checkpoint = func(_ context.Context, evs []engine.Event) error {
		durable = append(durable, evs...)
		return nil
	}
	ctx, cancel := context.WithCancel(t.Context())
	cfg.Tasks = engine.TaskFunc(func(ctx context.Context, req engine.TaskRequest) (any, error) {
		require.Equal(t, []string{"ExecutionStarted", "WaitStateEntered", "WaitStateExited", "TaskStateEntered", "TaskScheduled", "TaskStarted"}, types(durable),
			"the scheduling is durable before the request goes out")
		require.False(t, req.Resumed)
		require.NotNil(t, req.Submit)
		require.NoError(t, req.Submit(map[string]any{"MessageId": "m1"}))
		require.Equal(t, "TaskSubmitted", durable[len(durable)-1].Type)
		cancel() // the process dies while the task waits for its token
		<-ctx.Done()
		return nil, ctx.Err()
	})
	res := newExec(t, cfg).Run(ctx)
	require.Equal(t, engine.StatusRunning, res.Status)
	require.ErrorIs(t, res.Interrupted, context.Canceled)
	require.Len(t, durable, 7)

	history := roundTrip(t, durable)
	cfg2 := testConfig()
	var more []engine.Event
	cfg2.Checkpoint = func(_ context.Context, evs []engine.Event) error {
		more = append(more, evs...)
		return nil
	}
	calls := 0
	cfg2.Tasks = engine.TaskFunc(func(_ context.Context, req engine.TaskRequest) (any, error) {
		calls++
		require.True(t, req.Resumed)
		require.True(t, req.Submitted, "TaskSubmitted was recorded: only wait for the token")
		require.Equal(t, durable[4].Details.(*engine.TaskScheduledDetails).Parameters, `{"MessageBody":"`+req.Token+`"}`,
			"the token is the one sent before the crash")
		return map[string]any{"answer": 1}, nil
	})
	ex := newExec(t, cfg2).Resume(history)
	res = ex.Run(t.Context())
	require.NoError(t, ex.Diverged())
	require.Equal(t, engine.StatusSucceeded, res.Status)
	require.Equal(t, 1, calls)
	require.Equal(t, []string{"TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"}, types(more), "only new events are checkpointed")
	require.Len(t, res.Events, 10)
}

// TestTaskTimeoutSeconds: a task that outlives TimeoutSeconds fails with
// States.Timeout in a TaskTimedOut event.
func TestTaskTimeoutSeconds(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.Tasks = engine.TaskFunc(func(ctx context.Context, _ engine.TaskRequest) (any, error) {
		<-ctx.Done()
		return nil, ctx.Err()
	})
	res := newExec(t, cfg).Run(t.Context())
	require.Equal(t, engine.StatusFailed, res.Status)
	require.Equal(t, engine.ErrTimeout, res.Error)
	require.Equal(t, "TaskTimedOut", res.Events[len(res.Events)-2].Type)
}
