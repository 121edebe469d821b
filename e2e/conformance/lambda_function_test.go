package conformance

import (
	"regexp"
	"strings"
)

// createFixture is create_lambda_function's return value.
func createFixture(r M) M {
	return M{"CreateEventSourceMappingResponse": nil, "CreateFunctionResponse": r}
}

func functionCases() []lambdaCase {
	return []lambdaCase{
		oneLambda("TestLambdaFunction::test_function_lifecycle", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.match("create_response", createFixture(e.create(name, M{"MemorySize": 256, "Timeout": 5})))
			e.match("get_function_response", e.ok("GetFunction", M{"FunctionName": name}))
			e.match("update_func_conf_response", e.ok("UpdateFunctionConfiguration", M{
				"FunctionName": name, "Runtime": "python3.11", "Description": "Changed-Description",
				"MemorySize": 512, "Timeout": 10, "Environment": M{"Variables": M{"ENV_A": "a"}},
			}))
			e.match("get_function_response_postupdate", e.ok("GetFunction", M{"FunctionName": name}))
			e.match("update_code_response", e.ok("UpdateFunctionCode", M{"FunctionName": name, "ZipFile": e.zip("v2")}))
			e.match("get_function_response_postcodeupdate", e.ok("GetFunction", M{"FunctionName": name}))
			e.match("delete_response", e.ok("DeleteFunction", M{"FunctionName": name}))
			e.match("delete_postdelete", e.fail("DeleteFunction", M{"FunctionName": name}))
		}),
		oneLambda("TestLambdaFunction::test_redundant_updates", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.match("create_response", createFixture(e.create(name, M{"Description": "Initial description"})))
			update := M{"FunctionName": name, "Description": "1st update description"}
			e.match("first_update_result", e.ok("UpdateFunctionConfiguration", update))
			e.match("get_fn_config_result", e.ok("GetFunctionConfiguration", M{"FunctionName": name}))
			e.match("get_fn_result", e.ok("GetFunction", M{"FunctionName": name}))
			e.match("redundant_update_result", e.ok("UpdateFunctionConfiguration", update))
			e.match("get_fn_result_after_redundant_update", e.ok("GetFunction", M{"FunctionName": name}))
		}),
	}
}

// nonexistingCases are the not-found and qualifier-mismatch cases.
func nonexistingCases() []lambdaCase {
	var cs []lambdaCase
	ops := map[string]string{
		"delete_function": "DeleteFunction", "get_function": "GetFunction",
		"get_function_configuration": "GetFunctionConfiguration", "get_function_event_invoke_config": "GetFunctionEventInvokeConfig",
		"get_function_concurrency": "GetFunctionConcurrency",
	}
	for _, api := range []string{"delete_function", "get_function", "get_function_configuration", "get_function_event_invoke_config", "get_function_concurrency"} {
		cs = append(cs, oneLambda("TestLambdaFunction::test_ops_on_nonexisting_fn["+api+"]", func(e *lambdaEnv) {
			name := "i-dont-exist-" + shortUID()
			e.snap.regex(0, regexp.QuoteMeta(name), "<nonexisting-fn-name>")
			e.match("not_found_exception", e.fail(ops[api], M{"FunctionName": name}))
		}))
	}
	for _, api := range []string{"get_function", "get_function_configuration", "get_function_event_invoke_config"} {
		cs = append(cs, oneLambda("TestLambdaFunction::test_ops_on_nonexisting_version["+api+"]", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.snap.regex(0, regexp.QuoteMeta(name), "<fn-name>")
			e.create(name, nil)
			e.match("version_not_found_exception", e.fail(ops[api], M{"FunctionName": name, "Qualifier": "1221"}))
		}))
	}
	cs = append(cs, oneLambda("TestLambdaFunction::test_delete_on_nonexisting_version", func(e *lambdaEnv) {
		name := fnName("test-fn")
		e.snap.regex(0, regexp.QuoteMeta(name), "<fn-name>")
		e.create(name, nil)
		e.ok("DeleteFunction", M{"FunctionName": name})
		e.match("delete_function_response_non_existent", e.fail("DeleteFunction", M{"FunctionName": name}))
		e.match("delete_function_response_non_existent_with_qualifier", e.fail("DeleteFunction", M{"FunctionName": name, "Qualifier": "1221"}))
	}))
	for _, api := range []string{"delete_function", "get_function", "get_function_configuration"} {
		cs = append(cs, oneLambda("TestLambdaFunction::test_ops_with_arn_qualifier_mismatch["+api+"]", func(e *lambdaEnv) {
			arn := fnArn("some-function")
			e.match("not_match_exception", e.fail(ops[api], M{"FunctionName": arn + ":1", "Qualifier": "$LATEST"}))
			e.match("match_exception", e.fail(ops[api], M{"FunctionName": arn + ":$LATEST", "Qualifier": "$LATEST"}))
		}))
	}
	return cs
}

// createErrorCases are CreateFunction/UpdateFunctionConfiguration input
// errors and the calls that name a function fogbank cannot reach.
func createErrorCases() []lambdaCase {
	cs := []lambdaCase{
		oneLambda("TestLambdaFunction::test_create_lambda_exceptions", func(e *lambdaEnv) {
			// empty_architectures is botocore's client-side parameter
			// validation; no request reached AWS.
			e.snap.skip("$.empty_architectures")
			name := fnName("test-fn")
			create := func(params M) M { return e.fail("CreateFunction", e.createParams(name, params)) }
			e.match("invalid_role_arn_exc", create(M{"Role": "r1"}))
			e.match("invalid_runtime_exc", create(M{"Runtime": "non-existent-runtime"}))
			e.match("uppercase_runtime_exc", create(M{"Runtime": "PYTHON3.9"}))
			e.match("multiple_architectures", create(M{"Architectures": []string{"x86_64", "arm64"}}))
			e.match("uppercase_architecture", create(M{"Architectures": []string{"X86_64"}}))
			e.match("invalid_zip_exc", create(M{"Code": M{"ZipFile": []byte("this is not a zip file")}}))
		}),
		oneLambda("TestLambdaFunction::test_update_lambda_exceptions", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.create(name, nil)
			update := func(params M) M {
				params["FunctionName"] = name
				return e.fail("UpdateFunctionConfiguration", params)
			}
			e.match("invalid_role_arn_exc", update(M{"Role": "r1"}))
			e.match("invalid_runtime_exc", update(M{"Runtime": "non-existent-runtime"}))
			e.match("uppercase_runtime_exc", update(M{"Runtime": "PYTHON3.9"}))
		}),
		oneLambda("TestLambdaFunction::test_invalid_invoke", func(e *lambdaEnv) {
			e.match("invoke_function_name_pattern_exc", e.fail("Invoke", M{"FunctionName": "arn:aws:lambda:" + region + ":123400000000@function:myfn"}))
		}),
		oneLambda("TestLambdaSizeLimits::test_large_environment_variables_fails", func(e *lambdaEnv) {
			env := M{"LARGE_VAR": strings.Repeat("x", 4081)}
			e.match("failed_create_fn_result", e.fail("CreateFunction", e.createParams(fnName("test-fn"), M{"Environment": M{"Variables": env}})))
		}),
		oneLambda("TestLambdaSizeLimits::test_large_environment_fails_multiple_keys", func(e *lambdaEnv) {
			env := M{"SMALL_VAR": "ok", "LARGE_VAR": strings.Repeat("x", 4064)}
			e.match("failured_create_fn_result_multi_key", e.fail("CreateFunction", e.createParams(fnName("test-fn"), M{"Environment": M{"Variables": env}})))
		}),
	}
	for _, rt := range []string{"java8", "go1.x", "provided", "ruby2.7", "nodejs14.x", "python3.7", "dotnetcore3.1", "nodejs12.x"} {
		cs = append(cs, oneLambda("TestRuntimeValidation::test_create_deprecated_function_runtime_with_validation_enabled["+rt+"]", func(e *lambdaEnv) {
			e.match("deprecation_error", e.fail("CreateFunction", e.createParams(fnName("test-fn"), M{"Runtime": rt})))
		}))
	}
	ops := map[string]string{
		"get_function": "GetFunction", "get_function_configuration": "GetFunctionConfiguration",
		"get_function_event_invoke_config": "GetFunctionEventInvokeConfig", "get_function_concurrency": "GetFunctionConcurrency",
		"delete_function": "DeleteFunction", "invoke": "Invoke",
	}
	for _, api := range []string{"get_function", "get_function_configuration", "get_function_event_invoke_config", "get_function_concurrency", "delete_function", "invoke"} {
		cs = append(cs, oneLambda("TestLambdaFunction::test_get_function_wrong_region["+api+"]", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.create(name, nil)
			wrong := "ap-southeast-1"
			e.snap.regex(0, regexp.QuoteMeta(wrong), "<wrong-region>")
			arn := strings.Replace(fnArn(name), region, wrong, 1)
			e.match("wrong_region_exception", e.fail(ops[api], M{"FunctionName": arn}))
		}))
	}
	return cs
}
