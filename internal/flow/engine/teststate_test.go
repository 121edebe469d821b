package engine_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/flow/engine"
)

// TestTestStateMockValidation covers mock.fieldValidationMode beyond the
// recorded cases: the enum check, where validation applies, and that a
// mocked result that fits becomes the Task's result.
func TestTestStateMockValidation(t *testing.T) {
	t.Parallel()
	const startExec = `{"Type": "Task", "Resource": "arn:aws:states:::states:startExecution", "Parameters": {"StateMachineArn": "arn"}, "End": true}`
	cases := []struct {
		name, definition, result, mode string
		stateName                      string
		errorOutput                    bool
		wantErr, wantOutput            string
	}{
		{
			name: "bad mode", definition: startExec, result: `{}`, mode: "LAX",
			wantErr: "ValidationException: 1 validation error detected: Value 'LAX' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]",
		},
		{
			name: "bad mode with errorOutput", definition: startExec, errorOutput: true, mode: "strict",
			wantErr: "ValidationException: 1 validation error detected: Value 'strict' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]",
		},
		{
			name: "STRICT by default", definition: startExec, result: `{"StartDate": "2026-01-02T03:04:05Z"}`,
			wantErr: "ValidationException: Mock result schema validation error: Required field 'ExecutionArn' is missing",
		},
		{
			name: "fits", definition: startExec, result: `{"ExecutionArn": "arn:x", "StartDate": "2026-01-02T03:04:05Z"}`, mode: "STRICT",
			wantOutput: `{"ExecutionArn":"arn:x","StartDate":"2026-01-02T03:04:05Z"}`,
		},
		{name: "PRESENT", definition: startExec, result: `{"StartDate": "d"}`, mode: "PRESENT", wantOutput: `{"StartDate":"d"}`},
		{name: "errorOutput is not checked", definition: startExec, errorOutput: true},
		{
			name: "Task in a state machine", result: `{"ExecutionArn": 1, "StartDate": "d"}`, stateName: "B",
			definition: `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": ` + startExec + `}}`,
			wantErr:    "ValidationException: Mock result schema validation error: Field 'ExecutionArn' must be a string",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := engine.TestStateInput{Definition: tc.definition, Mock: &engine.TestMock{FieldValidationMode: tc.mode}}
			if tc.stateName != "" {
				in.StateName = &tc.stateName
			}
			if tc.errorOutput {
				in.Mock.ErrorOutput = &engine.MockError{Error: "E", Cause: "C"}
			} else {
				in.Mock.Result = &tc.result
			}
			out, err := engine.TestState(t.Context(), testConfig(), in)
			if tc.wantErr != "" {
				require.EqualError(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			if tc.errorOutput {
				require.Equal(t, engine.TestFailed, out.Status)
				return
			}
			require.Equal(t, engine.TestSucceeded, out.Status)
			require.JSONEq(t, tc.wantOutput, *out.Output)
		})
	}
}
