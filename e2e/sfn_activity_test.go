package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
)

func (e sfnEnv) activity(name string) string {
	e.t.Helper()
	out, err := e.c.CreateActivity(e.ctx, &sfn.CreateActivityInput{Name: aws.String(name)})
	require.NoError(e.t, err)
	return *out.ActivityArn
}

// poll long-polls an activity until a worker gets a task.
func (e sfnEnv) poll(act string) *sfn.GetActivityTaskOutput {
	e.t.Helper()
	for range 5 {
		out, err := e.c.GetActivityTask(e.ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(act), WorkerName: aws.String("w1")})
		require.NoError(e.t, err)
		if out.TaskToken != nil {
			return out
		}
	}
	e.t.Fatal("no activity task")
	return nil
}

func activityMachine(act string, extra string) string {
	return `{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"` + act + `"` + extra + `,"End":true}}}`
}

func TestSFNActivityWorkerSucceeds(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	act := e.activity("worker")
	d, err := e.c.DescribeActivity(e.ctx, &sfn.DescribeActivityInput{ActivityArn: aws.String(act)})
	require.NoError(t, err)
	require.Equal(t, "worker", *d.Name)
	sm := e.machine("uses-worker", activityMachine(act, ""), "")
	x := e.start(sm, "", `{"job":7}`)

	task := e.poll(act)
	require.JSONEq(t, `{"job":7}`, *task.Input)
	_, err = e.c.SendTaskSuccess(e.ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{"done":true}`)})
	require.NoError(t, err)
	out := e.await(x)
	require.Equal(t, sfntypes.ExecutionStatusSucceeded, out.Status)
	require.JSONEq(t, `{"done":true}`, *out.Output)
	require.Equal(t, []string{
		"ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded",
		"TaskStateExited", "ExecutionSucceeded",
	}, eventTypes(e.history(x)))

	_, err = e.c.SendTaskSuccess(e.ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{}`)})
	requireSFNError(t, err, "TaskTimedOut", "")
	_, err = e.c.SendTaskSuccess(e.ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String("no-such-token"), Output: aws.String(`{}`)})
	requireSFNError(t, err, "InvalidToken", "Invalid Token: 'Invalid token'")
	const unknown = "00000000-0000-4000-8000-000000000000" // well-formed, never issued
	_, err = e.c.SendTaskSuccess(e.ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(unknown), Output: aws.String(`{}`)})
	requireSFNError(t, err, "TaskDoesNotExist", "")
	_, err = e.c.SendTaskHeartbeat(e.ctx, &sfn.SendTaskHeartbeatInput{TaskToken: aws.String(unknown)})
	requireSFNError(t, err, "TaskDoesNotExist", "")

	list, err := e.c.ListActivities(e.ctx, &sfn.ListActivitiesInput{})
	require.NoError(t, err)
	require.Len(t, list.Activities, 1)
	_, err = e.c.DeleteActivity(e.ctx, &sfn.DeleteActivityInput{ActivityArn: aws.String(act)})
	require.NoError(t, err)
	_, err = e.c.DescribeActivity(e.ctx, &sfn.DescribeActivityInput{ActivityArn: aws.String(act)})
	requireSFNError(t, err, "ActivityDoesNotExist", "Activity Does Not Exist: '"+act+"'")
	_, err = e.c.GetActivityTask(e.ctx, &sfn.GetActivityTaskInput{ActivityArn: aws.String(sm)})
	requireSFNError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: stateMachine'")
}

func TestSFNActivityFailureIsCaught(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	act := e.activity("flaky")
	sm := e.machine("catches", `{"StartAt":"Work","States":{
	  "Work":{"Type":"Task","Resource":"`+act+`","Catch":[{"ErrorEquals":["Flaky.Error"],"ResultPath":"$.err","Next":"Recovered"}],"End":true},
	  "Recovered":{"Type":"Pass","End":true}}}`, "")
	x := e.start(sm, "", `{}`)
	task := e.poll(act)
	_, err := e.c.SendTaskFailure(e.ctx, &sfn.SendTaskFailureInput{TaskToken: task.TaskToken, Error: aws.String("Flaky.Error"), Cause: aws.String("try later")})
	require.NoError(t, err)
	out := e.await(x)
	require.Equal(t, sfntypes.ExecutionStatusSucceeded, out.Status)
	require.JSONEq(t, `{"err":{"Error":"Flaky.Error","Cause":"try later"}}`, *out.Output)
}

func TestSFNActivityHeartbeatTimeout(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	act := e.activity("slow")
	sm := e.machine("beats", activityMachine(act, `,"HeartbeatSeconds":50,"TimeoutSeconds":1000`), "")
	x := e.start(sm, "", `{}`)
	task := e.poll(act)
	// Heartbeats keep the task alive past one heartbeat interval.
	for range 3 {
		_, err := e.c.SendTaskHeartbeat(e.ctx, &sfn.SendTaskHeartbeatInput{TaskToken: task.TaskToken})
		require.NoError(t, err)
	}
	out := e.await(x)
	require.Equal(t, sfntypes.ExecutionStatusFailed, out.Status)
	require.Equal(t, "States.Timeout", *out.Error) // as AWS records a heartbeat timeout
	evs := e.history(x)
	require.Equal(t, "ActivityTimedOut", string(evs[len(evs)-2].Type))
	_, err := e.c.SendTaskSuccess(e.ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{}`)})
	requireSFNError(t, err, "TaskTimedOut", "")
}

func TestSFNTaskTimeout(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	act := e.activity("never")
	sm := e.machine("times-out", activityMachine(act, `,"TimeoutSeconds":30`), "")
	out := e.await(e.start(sm, "", `{}`))
	require.Equal(t, sfntypes.ExecutionStatusFailed, out.Status)
	require.Equal(t, "States.Timeout", *out.Error)
}

// TestSFNCallbackOutcomeSurvivesRestart: the worker's answer arrives while
// fogbank is down and up again; the resumed execution takes it.
func TestSFNCallbackOutcomeSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := setupSFN(t, fogbanktest.WithDataDir(dir))
	act := e.activity("durable-worker")
	sm := e.machine("waits-for-worker", activityMachine(act, ""), "")
	x := e.start(sm, "", `{"k":"v"}`)
	task := e.poll(act)
	e.srv.Stop()

	e2 := setupSFN(t, fogbanktest.WithDataDir(dir))
	_, err := e2.c.SendTaskSuccess(e2.ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{"answer":42}`)})
	require.NoError(t, err)
	out := e2.await(x)
	require.Equal(t, sfntypes.ExecutionStatusSucceeded, out.Status)
	require.JSONEq(t, `{"answer":42}`, *out.Output)
	types := eventTypes(e2.history(x))
	require.Equal(t, []string{
		"ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded",
		"TaskStateExited", "ExecutionSucceeded",
	}, types)
}
