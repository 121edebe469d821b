package conformance

import "strings"

// Reasons fogbank's Lambda differs from the recording; every case listed
// here is skipped with "fogbank gap:" and its reason.
const (
	gapLifecycle = "CreateFunction answers State Active (AWS: Pending, StateReason \"The function is being created.\"), " +
		"updates answer LastUpdateStatus Successful (AWS: InProgress) and RevisionId does not change when the state settles or on TagResource/UntagResource"
	gapCreateState  = "the CreateFunction response says State Active and LastUpdateStatus Successful (AWS: State Pending, StateReason \"The function is being created.\", StateReasonCode Creating, no LastUpdateStatus); the only difference in this case"
	gapCreateName   = "CreateFunction validates FunctionName with GetFunction's pattern and limits (AWS: length 140 first, then the create pattern without '.', then 64 as InvalidParameterValueException)"
	gapQualifier    = "the Qualifier parameter is not validated (AWS: length ≤ 128 and pattern \\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+, reported before functionName)"
	gapNameLength   = "GetFunction/DeleteFunction/Invoke reject names over 64 characters (AWS: ResourceNotFoundException)"
	gapInvokeLatest = "Invoke's not-found message of an unqualified name lacks the \":$LATEST\" AWS appends"
	gapDeleteAlias  = "DeleteFunction with an alias qualifier answers not found (AWS: InvalidParameterValueException \"Deletion of aliases is not currently supported.\")"
	gapWrongRegion  = "an ARN of another region answers \"Function not found: …\" (AWS: \"Functions from '<region>' are not reachable in this region ('<region>')\")"
	gapRuntimeEnum  = "an unknown runtime is a ValidationException \"1 validation error detected: …\" (AWS: InvalidParameterValueException \"Value X at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [...] or be a valid ARN\")"
	gapEnvSize      = "the 4 KB environment limit counts len(key)+len(value) and reports a number (AWS: the JSON text {\"K\":\"V\"} > 4096 bytes, quoted in the message)"
)

var lambdaGaps = map[string]string{
	"TestLambdaFunction::test_function_lifecycle":                                                           gapLifecycle,
	"TestLambdaFunction::test_redundant_updates":                                                            gapLifecycle,
	"TestLambdaAlias::test_non_existent_alias_deletion":                                                     gapCreateState,
	"TestLambdaAlias::test_non_existent_alias_update":                                                       gapCreateState,
	"TestLambdaAlias::test_alias_naming":                                                                    gapCreateState,
	"TestLambdaTags::test_tag_lifecycle":                                                                    gapLifecycle,
	"TestLambdaFunction::test_create_lambda_exceptions":                                                     gapRuntimeEnum + "; the architecture enum message lacks \", Member must not be null\"",
	"TestLambdaFunction::test_update_lambda_exceptions":                                                     gapRuntimeEnum,
	"TestRuntimeValidation::test_create_deprecated_function_runtime_with_validation_enabled[dotnetcore3.1]": "dotnetcore3.1 is not in the deprecated runtime list (a ValidationException enum error instead)",
	"TestLambdaSizeLimits::test_large_environment_fails_multiple_keys":                                      gapEnvSize,
	"TestLambdaSizeLimits::test_large_environment_variables_fails":                                          gapEnvSize,
	"TestLambdaSnapStart::test_snapstart_exceptions":                                                        "SnapStart.ApplyOn is not validated: CreateFunction succeeds (AWS: ValidationException, enum [PublishedVersions, None])",
	"TestLambdaLayer::test_layer_function_exceptions":                                                       "a layer version ARN of another region answers \"Layer version … does not exist.\" (AWS: \"Layers are not in the same region as the function. Layers are expected to be in region <region>.\"); the only difference in this case",
	"TestLambdaFeatures::test_invoke_exceptions":                                                            gapInvokeLatest,
	"TestLambdaProvisionedConcurrency::test_provisioned_concurrency_exceptions":                             "DeleteProvisionedConcurrencyConfig of a version without a config answers ProvisionedConcurrencyConfigNotFoundException (AWS: 204)",
}

// lambdaGap is the reason a case is skipped, or "".
func lambdaGap(id string) string {
	if why, ok := lambdaGaps[id]; ok {
		return why
	}
	if strings.HasPrefix(id, "TestLambdaLayer::test_layer_compatibilities[") {
		return "PublishLayerVersion checks CompatibleRuntimes against the runtimes CreateFunction accepts; AWS also accepts deprecated ones (nodejs12.x, python3.7, java8, go1.x, provided, dotnetcore3.1, ...)"
	}
	const wrongRegion = "TestLambdaFunction::test_get_function_wrong_region["
	if strings.HasPrefix(id, wrongRegion) {
		return gapWrongRegion
	}
	const validation = "TestLambdaFunction::test_function_name_and_qualifier_validation["
	if !strings.HasPrefix(id, validation) {
		return ""
	}
	variant := strings.TrimSuffix(strings.TrimPrefix(id, validation), "]")
	switch {
	case strings.HasSuffix(variant, "-create_function"):
		return gapCreateName
	case strings.HasPrefix(variant, "qualifier_too_long0-"), strings.HasPrefix(variant, "qualifier_too_long-"),
		strings.HasPrefix(variant, "invalid_characters_in_qualifier-"), strings.HasPrefix(variant, "full_arn_and_qualifier_too_long_and_invalid_region-"):
		return gapQualifier
	case strings.HasPrefix(variant, "function_name_too_long-"):
		return gapNameLength
	case variant == "incomplete_arn-invoke":
		return gapInvokeLatest
	case variant == "qualifier_too_long1-delete_function", variant == "function_name_and_qualifier_too_long-delete_function":
		return gapDeleteAlias
	}
	return ""
}
