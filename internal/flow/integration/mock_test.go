package integration_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/flow/engine"
	"github.com/fogbank/fogbank/internal/flow/integration"
)

// TestMockConfigAnswersByInvocation: a test case's mocked states answer by
// invocation index ("0", "1-2", "3"), the last response repeats, and the
// states it does not name run for real.
func TestMockConfigAnswersByInvocation(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.function("real")
	cfg, err := integration.LoadMockConfig(filepath.Join("testdata", "mockconfig", "lambda_sqs.json"))
	require.NoError(t, err)
	tasks := integration.New(integration.Config{Functions: e.funcs, Account: account, Region: region, Mocks: cfg})
	sm, tc := integration.SplitTestCase("arn:aws:states:us-east-1:000000000000:stateMachine:parent#RetryPath")
	require.Equal(t, "RetryPath", tc)
	run := tasks.For(integration.Execution{Arn: execArn, StateMachineArn: sm, TestCase: tc})

	lambda := engine.TaskRequest{Resource: "arn:aws:states:::lambda:invoke", StateName: "LambdaState", Input: map[string]any{"FunctionName": "absent"}}
	for i, want := range []string{"Lambda.ResourceNotFoundException", "Lambda.TooManyRequestsException", "Lambda.TooManyRequestsException"} {
		_, err := run.Invoke(t.Context(), lambda)
		require.Equal(t, want, failureOf(t, err).Error, "invocation %d", i)
	}
	for range 2 {
		out, err := run.Invoke(t.Context(), lambda)
		require.NoError(t, err)
		require.Equal(t, map[string]any{"StatusCode": jsonNum("200"), "body": "Hello from Lambda!"}, out.(map[string]any)["Payload"])
	}
	out, err := run.Invoke(t.Context(), engine.TaskRequest{
		Resource: "arn:aws:states:::lambda:invoke", StateName: "Other", Input: map[string]any{"FunctionName": "real", "Payload": "{}"},
	})
	require.NoError(t, err)
	require.Equal(t, "$LATEST", out.(map[string]any)["ExecutedVersion"], "an unmocked state runs")

	unknown := tasks.For(integration.Execution{StateMachineArn: sm, TestCase: "NoSuchCase"})
	_, err = unknown.Invoke(t.Context(), lambda)
	require.Equal(t, "Lambda.ResourceNotFoundException", failureOf(t, err).Error)
	require.Contains(t, failureOf(t, err).Cause, "Function not found", "an unknown test case mocks nothing")
}

func TestParseMockConfigRejects(t *testing.T) {
	t.Parallel()
	for name, doc := range map[string]string{
		"both":         `{"MockedResponses": {"m": {"0": {"Return": 1, "Throw": {"Error": "e"}}}}}`,
		"neither":      `{"MockedResponses": {"m": {"0": {}}}}`,
		"gap":          `{"MockedResponses": {"m": {"0": {"Return": 1}, "2": {"Return": 2}}}}`,
		"overlap":      `{"MockedResponses": {"m": {"0-1": {"Return": 1}, "1": {"Return": 2}}}}`,
		"no zero":      `{"MockedResponses": {"m": {"1": {"Return": 1}}}}`,
		"bad key":      `{"MockedResponses": {"m": {"x": {"Return": 1}}}}`,
		"bad range":    `{"MockedResponses": {"m": {"2-1": {"Return": 1}}}}`,
		"unknown resp": `{"StateMachines": {"s": {"TestCases": {"c": {"S": "missing"}}}}, "MockedResponses": {}}`,
		"unknown key":  `{"StateMachine": {}}`,
		"empty":        `{"MockedResponses": {"m": {}}}`,
	} {
		_, err := integration.ParseMockConfig([]byte(doc))
		require.Error(t, err, name)
	}
}

// FuzzMockConfig: the parser never panics, and a configuration it accepts
// answers every invocation index of every test case.
func FuzzMockConfig(f *testing.F) {
	seed, err := os.ReadFile(filepath.Join("testdata", "mockconfig", "lambda_sqs.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(`{"StateMachines": {"s": {"TestCases": {"c": {"S": "m"}}}}, "MockedResponses": {"m": {"0-3": {"Throw": {"Error": "E", "Cause": "C"}}}}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		cfg, err := integration.ParseMockConfig(doc)
		if err != nil {
			return
		}
		tasks := integration.New(integration.Config{Mocks: cfg})
		for _, tc := range []string{"HappyPath", "RetryPath", "c"} {
			run := tasks.For(integration.Execution{StateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:s", TestCase: tc})
			for range 5 {
				_, _ = run.Invoke(t.Context(), engine.TaskRequest{Resource: "arn:aws:states:::dynamodb:getItem", StateName: "S"})
			}
		}
	})
}
