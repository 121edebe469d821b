package engine_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/flow/asl"
	"github.com/fogbank/fogbank/internal/flow/engine"
)

const redriveDef = `{
  "StartAt": "First",
  "States": {
    "First": {"Type": "Pass", "Result": {"a": 1}, "ResultPath": "$.first", "Assign": {"v": "kept"}, "Next": "Both"},
    "Both": {"Type": "Parallel", "ResultPath": "$.both", "Next": "Last", "Branches": [
      {"StartAt": "L", "States": {"L": {"Type": "Pass", "Result": "left", "End": true}}},
      {"StartAt": "R", "States": {"R": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}
    ]},
    "Last": {"Type": "Pass", "Parameters": {"v.$": "$v", "first.$": "$.first", "count.$": "$$.Execution.RedriveCount"}, "End": true}
  }
}`

// redriven appends an ExecutionRedriven event as the flow service records
// it before a redrive.
func redriven(evs []engine.Event, count int) []engine.Event {
	last := evs[len(evs)-1]
	return append(evs, engine.Event{
		ID: last.ID + 1, PreviousEventID: last.ID, Timestamp: last.Timestamp, Type: engine.EventExecutionRedriven,
		Details: &engine.ExecutionRedrivenDetails{RedriveCount: count}, DetailsKey: "executionRedrivenEventDetails",
	})
}

func TestRedriveRestartsTheFailedTopLevelState(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.fail["arn:aws:states:::lambda:invoke"] = 1
	_, res := b.run(t, redriveDef, `{"in":true}`)
	require.Equal(t, engine.StatusFailed, res.Status)
	require.Len(t, b.calls, 1)

	history := redriven(roundTrip(t, res.Events), 1)
	sm, err := asl.Parse(redriveDef, asl.Options{})
	require.NoError(t, err)
	ex := engine.New(b.cfg, sm, engine.Start{
		ExecutionArn: "arn:aws:states:us-east-1:111111111111:execution:m:e", Name: "e",
		StateMachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:m", StateMachineName: "m",
		RoleArn: testRoleArn, Input: `{"in":true}`, RedriveCount: 1,
	}).Redrive(history)
	res2 := ex.Run(t.Context())
	require.NoError(t, ex.Diverged())
	require.Equal(t, engine.StatusSucceeded, res2.Status, res2.Cause)
	require.JSONEq(t, `{"v":"kept","first":{"a":1},"count":1}`, *res2.Output)
	require.Len(t, b.calls, 2)

	added := res2.Events[len(history):]
	require.Equal(t, "ParallelStateEntered", added[0].Type)
	require.Equal(t, history[len(history)-1].ID, added[0].PreviousEventID)
	require.JSONEq(t, `{"in":true,"first":{"a":1}}`, added[0].Details.(*engine.StateEnteredDetails).Input)
	for i, ev := range res2.Events {
		require.Equal(t, int64(i+1), ev.ID)
	}
	require.Equal(t, []string{"Both", "R", "Last"}, enteredNames(added), "the successful state and branch did not run again")
	require.JSONEq(t, `{"in":true,"first":{"a":1},"both":["left",{"echo":{"in":true,"first":{"a":1}}}]}`, added[len(added)-3].Details.(*engine.StateEnteredDetails).Input)

	// A restart during or after the redriven run replays it.
	again := engine.New(b.cfg, sm, engine.Start{
		ExecutionArn: "arn:aws:states:us-east-1:111111111111:execution:m:e", Name: "e",
		StateMachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:m", StateMachineName: "m",
		RoleArn: testRoleArn, Input: `{"in":true}`, RedriveCount: 1,
	}).Redrive(roundTrip(t, res2.Events[:len(res2.Events)-3]))
	res3 := again.Run(t.Context())
	require.NoError(t, again.Diverged())
	require.Equal(t, engine.StatusSucceeded, res3.Status)
	require.Equal(t, types(res2.Events), types(res3.Events))
	require.Len(t, b.calls, 2, "the replayed task did not run again")
}

func enteredNames(evs []engine.Event) []string {
	var out []string
	for _, ev := range evs {
		if d, ok := ev.Details.(*engine.StateEnteredDetails); ok {
			out = append(out, d.Name)
		}
	}
	return out
}

const redriveMapDef = `{
  "StartAt": "Each",
  "States": {
    "Each": {"Type": "Map", "ItemsPath": "$.items", "End": true,
      "ItemProcessor": {"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"x.$": "$"}, "OutputPath": "$.echo.x", "End": true}
      }}}
  }
}`

// TestRedriveInlineMapSkipsSucceededIterations: the iterations that
// succeeded before the failed one keep their results; the failed one and
// those never started run.
func TestRedriveInlineMapSkipsSucceededIterations(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	broken := true
	var calls []string
	cfg.Tasks = engine.TaskFunc(func(_ context.Context, req engine.TaskRequest) (any, error) {
		x := req.Input.(map[string]any)["x"]
		b, err := json.Marshal(x)
		require.NoError(t, err)
		calls = append(calls, string(b))
		if broken && string(b) == "2" {
			return nil, engine.NewTaskError("Boom", "two")
		}
		return map[string]any{"echo": req.Input}, nil
	})
	sm, err := asl.Parse(redriveMapDef, asl.Options{})
	require.NoError(t, err)
	start := engine.Start{
		ExecutionArn: "arn:aws:states:us-east-1:111111111111:execution:m:e", Name: "e",
		StateMachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:m", StateMachineName: "m",
		RoleArn: testRoleArn, Input: `{"items":[1,2,3]}`,
	}
	res := engine.New(cfg, sm, start).Run(t.Context())
	require.Equal(t, engine.StatusFailed, res.Status)
	require.Equal(t, []string{"1", "2"}, calls)

	broken = false
	start.RedriveCount = 1
	history := redriven(roundTrip(t, res.Events), 1)
	res2 := engine.New(cfg, sm, start).Redrive(history).Run(t.Context())
	require.Equal(t, engine.StatusSucceeded, res2.Status, res2.Cause)
	require.JSONEq(t, `[1,2,3]`, *res2.Output)
	require.Equal(t, []string{"1", "2", "2", "3"}, calls)
	var iterations []int
	for _, ev := range res2.Events[len(history):] {
		if ev.Type == "MapIterationStarted" {
			iterations = append(iterations, ev.Details.(*engine.MapIterationDetails).Index)
		}
	}
	require.Equal(t, []int{1, 2}, iterations)
}
