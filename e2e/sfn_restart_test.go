package e2e

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
)

// TestSFNStandardExecutionSurvivesRestart stops fogbank while an execution
// waits in a Wait state; the restarted fogbank resumes it from its stored
// history and it completes with no event recorded twice.
func TestSFNStandardExecutionSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := setupSFN(t, fogbanktest.WithDataDir(dir))
	sm := e.machine("durable", `{
	  "StartAt": "Before",
	  "States": {
	    "Before": {"Type": "Pass", "Result": "before", "ResultPath": "$.before", "Next": "Pause"},
	    "Pause": {"Type": "Wait", "Seconds": 100, "Next": "After"},
	    "After": {"Type": "Pass", "Result": "after", "ResultPath": "$.after", "End": true}
	  }
	}`, "")
	x := e.start(sm, "survivor", `{"n":1}`)
	require.Eventually(t, func() bool {
		evs := e.history(x)
		return len(evs) == 4 && evs[3].Type == sfntypes.HistoryEventTypeWaitStateEntered
	}, 10*time.Second, 5*time.Millisecond)
	e.srv.Stop()

	e2 := setupSFN(t, fogbanktest.WithDataDir(dir))
	d := e2.await(x)
	require.Equal(t, sfntypes.ExecutionStatusSucceeded, d.Status)
	require.JSONEq(t, `{"n":1,"before":"before","after":"after"}`, *d.Output)
	evs := e2.history(x)
	require.Equal(t, []string{
		"ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered", "WaitStateExited",
		"PassStateEntered", "PassStateExited", "ExecutionSucceeded",
	}, eventTypes(evs))
	for i, ev := range evs {
		require.Equal(t, int64(i+1), ev.Id)
		if i > 0 {
			require.False(t, ev.Timestamp.Before(*evs[i-1].Timestamp), "event %d goes back in time", ev.Id)
		}
	}
	require.GreaterOrEqual(t, evs[4].Timestamp.Sub(*evs[3].Timestamp), 100*time.Second)

	// A finished execution stays finished across another restart.
	e2.srv.Stop()
	e3 := setupSFN(t, fogbanktest.WithDataDir(dir))
	d3, err := e3.c.DescribeExecution(e3.ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(x)})
	require.NoError(t, err)
	require.Equal(t, sfntypes.ExecutionStatusSucceeded, d3.Status)
	require.Len(t, e3.history(x), len(evs))
}
