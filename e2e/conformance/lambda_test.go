package conformance

import "testing"

// TestLambdaAPI replays test_lambda_api.py's AWS-recorded cases.
func TestLambdaAPI(t *testing.T) {
	t.Parallel()
	var cs []lambdaCase
	cs = append(cs, nameValidationCases()...)
	cs = append(cs, functionCases()...)
	cs = append(cs, nonexistingCases()...)
	cs = append(cs, concurrencyCases()...)
	cs = append(cs, tagCases()...)
	cs = append(cs, permissionCases()...)
	cs = append(cs, createErrorCases()...)
	cs = append(cs, eventInvokeConfigCases()...)
	cs = append(cs, layerCases()...)
	cs = append(cs, moreCases()...)
	cs = append(cs, aliasCases()...)
	cs = append(cs, versionCases()...)
	runLambdaCases(t, "test_lambda_api", lambdaAPI, cs)
}

// TestLambdaCommon replays test_lambda.py's AWS-recorded API cases.
func TestLambdaCommon(t *testing.T) {
	t.Parallel()
	runLambdaCases(t, "test_lambda", lambdaCommonAPI, commonCases())
}
