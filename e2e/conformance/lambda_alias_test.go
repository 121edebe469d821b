package conformance

func aliasCases() []lambdaCase {
	return []lambdaCase{
		oneLambda("TestLambdaAlias::test_non_existent_alias_deletion", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.match("create_response", e.ok("CreateFunction", aliasFunction(e, name)))
			e.match("delete_alias_response", e.ok("DeleteAlias", M{"FunctionName": name, "Name": "non-existent"}))
		}),
		oneLambda("TestLambdaAlias::test_non_existent_alias_update", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.match("create_response", e.ok("CreateFunction", aliasFunction(e, name)))
			e.match("update_alias_response", e.fail("UpdateAlias", M{"FunctionName": name, "Name": "non-existent", "Description": "something"}))
		}),
		oneLambda("TestLambdaAlias::test_alias_naming", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.match("create_response", e.ok("CreateFunction", aliasFunction(e, name)))
			e.match("publish_v1", e.ok("PublishVersion", M{"FunctionName": name}))
			alias := M{"FunctionName": name, "Name": "2024-01-02", "FunctionVersion": "1", "Description": "custom-alias"}
			e.match("create_alias_date", e.ok("CreateAlias", alias))
			e.match("get_alias_date", e.ok("GetAlias", M{"FunctionName": name, "Name": "2024-01-02"}))
			alias["Name"] = "2024"
			e.match("create_alias_number_exception", e.fail("CreateAlias", alias))
		}),
	}
}

// aliasFunction is the TestLambdaAlias tests' create_function call: no
// fixture, handler index.handler, one environment variable.
func aliasFunction(e *lambdaEnv, name string) M {
	return M{
		"FunctionName": name, "Runtime": "python3.12", "Handler": "index.handler", "Role": e.role,
		"Code": M{"ZipFile": e.zip("v1")}, "Environment": M{"Variables": M{"testenv": "staging"}},
	}
}
