package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// TestState checks a mocked result against the output shape of the API the
// Task calls, unless the mock's FieldValidationMode is NONE.
func TestSFNTestStateMockValidation(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	in := func(mode sfntypes.MockResponseValidationMode) *sfn.TestStateInput {
		return &sfn.TestStateInput{
			Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:getObject","Parameters":{"Bucket":"b","Key":"k"},"End":true}`),
			Input:      aws.String(`{}`), RoleArn: aws.String(sfnRole),
			Mock: &sfntypes.MockInput{Result: aws.String(`{"ContentLength":"9000"}`), FieldValidationMode: mode},
		}
	}
	_, err := e.c.TestState(e.ctx, in(""))
	requireSFNError(t, err, "ValidationException", "Mock result schema validation error: Field 'ContentLength' must be a number")
	_, err = e.c.TestState(e.ctx, in(sfntypes.MockResponseValidationModeStrict))
	requireSFNError(t, err, "ValidationException", "Mock result schema validation error: Field 'ContentLength' must be a number")

	out, err := e.c.TestState(e.ctx, in(sfntypes.MockResponseValidationModeNone))
	require.NoError(t, err)
	require.Equal(t, sfntypes.TestExecutionStatusSucceeded, out.Status)
	require.JSONEq(t, `{"ContentLength":"9000"}`, *out.Output)
}
