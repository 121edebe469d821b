package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/config"
)

// A Step Functions Local mock config (--sfn-mock-config / SFN_MOCK_CONFIG)
// answers the Task states of executions started with "<arn>#<TestCase>";
// the function it names does not even exist.
func TestSFNMockConfig(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mocks.json")
	require.NoError(t, os.WriteFile(path, []byte(`{
	  "StateMachines": {"mocked": {"TestCases": {"HappyPath": {"Charge": "ChargeOK"}, "Declined": {"Charge": "ChargeDeclined"}}}},
	  "MockedResponses": {
	    "ChargeOK": {"0": {"Return": {"StatusCode": 200, "Payload": {"charged": 42}}}},
	    "ChargeDeclined": {"0": {"Throw": {"Error": "PaymentDeclined", "Cause": "card expired"}}}
	  }}`), 0o600))
	e := setupSFN(t, func(c *config.Config) { c.SFNMockConfig = path })
	arn := e.machine("mocked", `{"StartAt":"Charge","States":{"Charge":{"Type":"Task",
	  "Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"does-not-exist","Payload.$":"$"},
	  "OutputPath":"$.Payload","End":true}}}`, sfntypes.StateMachineTypeStandard)

	ok := e.await(e.start(arn+"#HappyPath", "", `{}`))
	require.Equal(t, sfntypes.ExecutionStatusSucceeded, ok.Status)
	require.JSONEq(t, `{"charged":42}`, *ok.Output)

	declined := e.await(e.start(arn+"#Declined", "", `{}`))
	require.Equal(t, sfntypes.ExecutionStatusFailed, declined.Status)
	require.Equal(t, "PaymentDeclined", *declined.Error)
	require.Equal(t, "card expired", *declined.Cause)

	// Without a test case the real integration runs, and the function is missing.
	real := e.await(e.start(arn, "", `{}`))
	require.Equal(t, sfntypes.ExecutionStatusFailed, real.Status)
	require.Equal(t, "Lambda.ResourceNotFoundException", *real.Error)
}

// An EventBridge rule whose target is a state machine starts an execution
// with the event as its input.
func TestSFNEventBridgeTarget(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	eb := eventbridge.NewFromConfig(e.srv.AWSConfig())
	arn := e.machine("from-bus", `{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}}`, sfntypes.StateMachineTypeStandard)
	_, err := eb.PutRule(e.ctx, &eventbridge.PutRuleInput{Name: aws.String("orders"), EventPattern: aws.String(`{"source":["shop"]}`)})
	require.NoError(t, err)
	_, err = eb.PutTargets(e.ctx, &eventbridge.PutTargetsInput{Rule: aws.String("orders"), Targets: []ebtypes.Target{{
		Id: aws.String("flow"), Arn: aws.String(arn), RoleArn: aws.String(sfnRole),
	}}})
	require.NoError(t, err)
	out, err := eb.PutEvents(e.ctx, &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{{
		Source: aws.String("shop"), DetailType: aws.String("OrderPlaced"), Detail: aws.String(`{"id":7}`),
	}}})
	require.NoError(t, err)
	require.Zero(t, out.FailedEntryCount)

	var execs []sfntypes.ExecutionListItem
	require.Eventually(t, func() bool {
		l, err := e.c.ListExecutions(e.ctx, &sfn.ListExecutionsInput{StateMachineArn: aws.String(arn)})
		require.NoError(t, err)
		execs = l.Executions
		return len(execs) == 1 && execs[0].Status == sfntypes.ExecutionStatusSucceeded
	}, 10*time.Second, 10*time.Millisecond)
	d := e.await(*execs[0].ExecutionArn)
	var ev map[string]any
	require.NoError(t, json.Unmarshal([]byte(*d.Input), &ev))
	require.Equal(t, "shop", ev["source"])
	require.Equal(t, "OrderPlaced", ev["detail-type"])
	require.Equal(t, map[string]any{"id": float64(7)}, ev["detail"])
}
