package engine_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/flow/asl"
	"github.com/fogbank/fogbank/internal/flow/engine"
)

type bundle struct {
	cfg   engine.Config
	clock *fakeTime
	calls []engine.TaskRequest
	// fail lists, per resource, how many calls fail before one succeeds.
	fail map[string]int
}

func setup(t *testing.T) *bundle {
	t.Helper()
	b := &bundle{cfg: testConfig(), fail: map[string]int{}}
	b.clock = b.cfg.Clock.(*fakeTime)
	b.cfg.Tasks = engine.TaskFunc(func(_ context.Context, req engine.TaskRequest) (any, error) {
		b.calls = append(b.calls, req)
		if b.fail[req.Resource] > 0 {
			b.fail[req.Resource]--
			return nil, engine.NewTaskError("Boom", "it broke")
		}
		return map[string]any{"echo": req.Input}, nil
	})
	return b
}

func (b *bundle) run(t *testing.T, def, input string) (*engine.Execution, engine.Result) {
	t.Helper()
	sm, err := asl.Parse(def, asl.Options{})
	require.NoError(t, err)
	ex := engine.New(b.cfg, sm, engine.Start{
		ExecutionArn: "arn:aws:states:us-east-1:111111111111:execution:m:e", Name: "e",
		StateMachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:m", StateMachineName: "m",
		RoleArn: testRoleArn, Input: input,
	})
	return ex, ex.Run(t.Context())
}

func types(events []engine.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Type
	}
	return out
}

const retryDef = `{
  "StartAt": "Call",
  "States": {
    "Call": {
      "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"x.$": "$.x"},
      "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxDelaySeconds": 5, "MaxAttempts": 2}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Caught"}],
      "Next": "Done"
    },
    "Caught": {"Type": "Pass", "End": true},
    "Done": {"Type": "Succeed"}
  }
}`

func TestRetryBackoffIsCappedByMaxDelay(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.fail["arn:aws:states:::lambda:invoke"] = 2
	_, res := b.run(t, retryDef, `{"x": 1}`)
	require.Equal(t, engine.StatusSucceeded, res.Status)
	require.Len(t, b.calls, 3)
	var scheduled []time.Time
	for _, e := range res.Events {
		if e.Type == "TaskScheduled" {
			scheduled = append(scheduled, e.Timestamp)
		}
	}
	require.Len(t, scheduled, 3)
	require.Equal(t, 2*time.Second, scheduled[1].Sub(scheduled[0]))
	require.Equal(t, 5*time.Second, scheduled[2].Sub(scheduled[1]), "2*3=6s is capped at MaxDelaySeconds")
	require.JSONEq(t, `{"echo":{"x":1}}`, *res.Output)
}

func TestCatchAfterRetriesRunOut(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.fail["arn:aws:states:::lambda:invoke"] = 5
	_, res := b.run(t, retryDef, `{"x": 1}`)
	require.Equal(t, engine.StatusSucceeded, res.Status)
	require.Len(t, b.calls, 3, "one call and MaxAttempts retries")
	require.JSONEq(t, `{"x":1,"error":{"Error":"Boom","Cause":"it broke"}}`, *res.Output)
	require.Equal(t, []string{
		"ExecutionStarted", "TaskStateEntered",
		"TaskScheduled", "TaskStarted", "TaskFailed",
		"TaskScheduled", "TaskStarted", "TaskFailed",
		"TaskScheduled", "TaskStarted", "TaskFailed",
		"TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
	}, types(res.Events))
}

func TestRuntimeErrorsAreNotCaughtByStatesAll(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, res := b.run(t, `{
	  "StartAt": "Call",
	  "States": {
	    "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "InputPath": "$.missing",
	      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
	    "Caught": {"Type": "Pass", "End": true}
	  }
	}`, `{}`)
	require.Equal(t, engine.StatusFailed, res.Status)
	require.Equal(t, "States.Runtime", res.Error)
	require.Empty(t, b.calls)
}

const resumeDef = `{
  "StartAt": "First",
  "States": {
    "First": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": "$.first", "Next": "Nap"},
    "Nap": {"Type": "Wait", "Seconds": 3600, "Next": "Second"},
    "Second": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "ResultPath": "$.second", "Next": "Stamp"},
    "Stamp": {"Type": "Pass", "Parameters": {"entered.$": "$$.State.EnteredTime", "all.$": "$"}, "End": true}
  }
}`

// TestResumeReplaysWithoutSideEffects cuts a finished history at every
// event, as a crash would, and resumes from each prefix: the resumed run
// must end with the same history and call only the tasks the prefix had
// not recorded a result for.
func TestResumeReplaysWithoutSideEffects(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, full := b.run(t, resumeDef, `{"n": 1}`)
	require.Equal(t, engine.StatusSucceeded, full.Status)
	require.Len(t, b.calls, 2)
	for cut := 1; cut <= len(full.Events); cut++ {
		r := setup(t)
		r.clock.now = r.clock.now.Add(48 * time.Hour) // the restart happens later
		sm, err := asl.Parse(resumeDef, asl.Options{})
		require.NoError(t, err)
		ex := engine.New(r.cfg, sm, engine.Start{
			ExecutionArn: "arn:aws:states:us-east-1:111111111111:execution:m:e", Name: "e",
			StateMachineArn: "arn:aws:states:us-east-1:111111111111:stateMachine:m", StateMachineName: "m",
			RoleArn: testRoleArn, Input: `{"n": 1}`,
		}).Resume(full.Events[:cut])
		res := ex.Run(t.Context())
		require.NoError(t, ex.Diverged())
		require.Equal(t, engine.StatusSucceeded, res.Status, "cut %d", cut)
		wantCalls := 0
		for _, e := range full.Events[cut:] {
			if e.Type == "TaskSucceeded" {
				wantCalls++
			}
		}
		require.Len(t, r.calls, wantCalls, "cut %d", cut)
		for i := range cut {
			a, _ := json.Marshal(full.Events[i])
			c, _ := json.Marshal(res.Events[i])
			require.JSONEq(t, string(a), string(c), "cut %d event %d", cut, i+1)
		}
		if cut == len(full.Events) {
			require.Equal(t, *full.Output, *res.Output)
		}
	}
}

func TestVariablesDoNotLeaveMapIterations(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, res := b.run(t, `{
	  "QueryLanguage": "JSONata",
	  "StartAt": "Init",
	  "States": {
	    "Init": {"Type": "Pass", "Assign": {"x": 1}, "Next": "Each"},
	    "Each": {"Type": "Map", "Items": "{% [1, 2] %}",
	      "ItemProcessor": {"StartAt": "Inner", "States": {
	        "Inner": {"Type": "Pass", "Assign": {"x": "{% $x + $states.input %}"}, "Output": "{% $x + $states.input %}", "End": true}}},
	      "Next": "After"},
	    "After": {"Type": "Pass", "Output": "{% {'x': $x, 'map': $states.input} %}", "End": true}
	  }
	}`, `{}`)
	require.Equal(t, engine.StatusSucceeded, res.Status, res.Cause)
	require.JSONEq(t, `{"x":1,"map":[2,3]}`, *res.Output)
}
