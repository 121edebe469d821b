package conformance

import (
	"regexp"
	"strings"
)

// versionCases are the version, alias and revision lifecycles.
func versionCases() []lambdaCase {
	return []lambdaCase{
		oneLambda("TestLambdaVersions::test_version_lifecycle", versionLifecycle),
		oneLambda("TestLambdaVersions::test_publish_version_on_create", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.match("create_response", e.ok("CreateFunction", plainFunction(e, name, M{"Publish": true})))
			e.match("get_function_result", e.ok("GetFunction", M{"FunctionName": name}))
			e.match("get_function_version_result", e.ok("GetFunction", M{"FunctionName": name, "Qualifier": "1"}))
			e.match("get_function_latest_result", e.ok("GetFunction", M{"FunctionName": name, "Qualifier": "$LATEST"}))
			e.match("list_versions_result", e.ok("ListVersionsByFunction", M{"FunctionName": name}))
			e.match("repeated_publish_response", e.ok("PublishVersion", M{"FunctionName": name}))
			e.match("list_versions_result_after_publish", e.ok("ListVersionsByFunction", M{"FunctionName": name}))
		}),
		oneLambda("TestLambdaVersions::test_publish_with_wrong_sha256", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.match("create_response", e.ok("CreateFunction", plainFunction(e, name, nil)))
			get := e.ok("GetFunction", M{"FunctionName": name})
			e.match("get_fn_response", get)
			e.match("publish_wrong_sha256_exc", e.fail("PublishVersion", M{"FunctionName": name, "CodeSha256": "somenonexistentsha256"}))
			sha := get["Configuration"].(M)["CodeSha256"]
			e.match("publish_result", e.ok("PublishVersion", M{"FunctionName": name, "CodeSha256": sha}))
		}),
		oneLambda("TestLambdaVersions::test_publish_with_update", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.match("create_response", e.ok("CreateFunction", plainFunction(e, name, nil)))
			e.match("get_function_result", e.ok("GetFunction", M{"FunctionName": name}))
			e.match("update_function_code_result", e.ok("UpdateFunctionCode", M{"FunctionName": name, "ZipFile": e.zip("v2"), "Publish": true}))
			e.match("get_function_version_result", e.ok("GetFunction", M{"FunctionName": name, "Qualifier": "1"}))
			e.match("get_function_latest_result", e.ok("GetFunction", M{"FunctionName": name, "Qualifier": "$LATEST"}))
		}),
		oneLambda("TestLambdaAlias::test_alias_lifecycle", aliasLifecycle),
		oneLambda("TestLambdaLayer::test_layer_lifecycle", layerLifecycle),
		oneLambda("TestLambdaFunction::test_list_functions", listFunctions),
		oneLambda("TestLambdaFunction::test_function_arns", functionArns),
		oneLambda("TestLambdaFunction::test_lambda_concurrent_code_updates", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.match("create-function-response", e.ok("CreateFunction", plainFunction(e, name, nil)))
			e.ok("UpdateFunctionCode", M{"FunctionName": name, "ZipFile": e.zip("v2")})
			e.match("update-during-in-progress-update-exc", e.fail("UpdateFunctionCode", M{"FunctionName": name, "ZipFile": e.zip("v3")}))
		}),
		oneLambda("TestLambdaFunction::test_lambda_concurrent_config_updates", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.match("create-function-response", createFixture(e.create(name, nil)))
			e.ok("UpdateFunctionConfiguration", M{"FunctionName": name, "Description": "first"})
			e.match("update-during-in-progress-update-exc", e.fail("UpdateFunctionConfiguration", M{"FunctionName": name, "Description": "second"}))
		}),
		// The java and dotnet variants need runtimes fogbank does not run.
		snapStartUpdate("python3.12"),
		snapStartUpdate("python3.13"),
		oneLambda("TestLambdaAlias::test_notfound_and_invalid_routingconfigs", aliasRoutingErrors),
		oneLambda("TestLambdaRevisions::test_function_revisions_basic", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.match("create_function_response_rev1", createFixture(e.create(name, M{"Handler": "index.handler"})))
			rev2 := e.ok("GetFunction", M{"FunctionName": name})
			e.match("get_function_response_rev2", rev2)
			stale := "6e8e1f2a-1b3c-4d5e-8f90-a1b2c3d4e5f6"
			e.match("update_function_revision_exception", e.fail("UpdateFunctionCode", M{"FunctionName": name, "ZipFile": e.zip("v1"), "RevisionId": stale}))
			e.match("update_function_code_response_rev3", e.ok("UpdateFunctionCode", M{
				"FunctionName": name, "ZipFile": e.zip("v1"), "RevisionId": revisionOf(rev2),
			}))
			rev4 := e.ok("GetFunction", M{"FunctionName": name})
			e.match("get_function_response_rev4", rev4)
			e.match("update_function_configuration_revision_exception", e.fail("UpdateFunctionConfiguration", M{
				"FunctionName": name, "Runtime": "python3.8", "RevisionId": stale,
			}))
			e.match("update_function_configuration_response_rev5", e.ok("UpdateFunctionConfiguration", M{
				"FunctionName": name, "Runtime": "python3.8", "RevisionId": revisionOf(rev4),
			}))
			e.match("get_function_response_rev6", e.ok("GetFunction", M{"FunctionName": name}))
		}),
		oneLambda("TestLambdaRevisions::test_function_revisions_version_and_alias", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.match("create_function_response_rev1", createFixture(e.create(name, nil)))
			rev2 := e.ok("GetFunction", M{"FunctionName": name})
			e.match("get_function_active_rev2", rev2)
			stale := "6e8e1f2a-1b3c-4d5e-8f90-a1b2c3d4e5f6"
			e.match("publish_version_revision_exception", e.fail("PublishVersion", M{"FunctionName": name, "RevisionId": stale}))
			e.match("publish_version_response_rev_v1", e.ok("PublishVersion", M{"FunctionName": name, "RevisionId": revisionOf(rev2)}))
			e.match("get_function_published_version_rev_v2", e.ok("GetFunction", M{"FunctionName": name, "Qualifier": "1"}))
			e.match("get_function_latest_rev3", e.ok("GetFunction", M{"FunctionName": name}))
			alias := e.ok("CreateAlias", M{"FunctionName": name, "Name": "revision_alias", "FunctionVersion": "1"})
			e.match("create_alias_response_rev_a1", alias)
			e.match("get_function_latest_rev4", e.ok("GetFunction", M{"FunctionName": name}))
			e.match("get_function_published_version_rev_v3", e.ok("GetFunction", M{"FunctionName": name, "Qualifier": "1"}))
			e.match("update_alias_revision_exception", e.fail("UpdateAlias", M{
				"FunctionName": name, "Name": "revision_alias", "Description": "something", "RevisionId": stale,
			}))
			e.match("update_alias_response_rev_a2", e.ok("UpdateAlias", M{
				"FunctionName": name, "Name": "revision_alias", "Description": "something changed", "RevisionId": alias["RevisionId"],
			}))
		}),
		oneLambda("TestLambdaSizeLimits::test_lambda_envvars_near_limit_succeeds", func(e *lambdaEnv) {
			// {"LARGE_VAR":"x…"} is 4,096 bytes: at the limit.
			env := M{"LARGE_VAR": strings.Repeat("x", 4096-len(`{"LARGE_VAR":""}`))}
			name := fnName("test-fn")
			e.match("successful_create_fn_result", createFixture(e.create(name, M{"Environment": M{"Variables": env}})))
		}),
	}
}

func revisionOf(get M) any { return get["Configuration"].(M)["RevisionId"] }

// plainFunction is a create_function call without the fixture: handler
// index.handler, the runtime's defaults.
func plainFunction(e *lambdaEnv, name string, params M) M {
	p := M{"FunctionName": name, "Runtime": "python3.12", "Handler": "index.handler", "Role": e.role, "Code": M{"ZipFile": e.zip("v1")}}
	for k, v := range params {
		p[k] = v
	}
	return p
}

func versionLifecycle(e *lambdaEnv) {
	name := fnName("test-fn")
	e.match("create_response", e.ok("CreateFunction", plainFunction(e, name, M{"Description": "No version :("})))
	e.match("get_function_result", e.ok("GetFunction", M{"FunctionName": name}))
	e.match("list_versions_result", e.ok("ListVersionsByFunction", M{"FunctionName": name}))
	e.match("first_update_response", e.ok("UpdateFunctionConfiguration", M{"FunctionName": name, "Description": "First version :)"}))
	e.match("first_update_get_function", e.ok("GetFunction", M{"FunctionName": name}))
	e.match("first_publish_response", e.ok("PublishVersion", M{"FunctionName": name, "Description": "First version description :)"}))
	e.match("first_publish_get_function", e.ok("GetFunction", M{"FunctionName": name, "Qualifier": "1"}))
	e.match("first_publish_get_function_config", e.ok("GetFunctionConfiguration", M{"FunctionName": name, "Qualifier": "1"}))
	e.match("second_update_response", e.ok("UpdateFunctionConfiguration", M{"FunctionName": name, "Description": "Second version :))"}))
	e.match("first_publish_get_function_after_update", e.ok("GetFunction", M{"FunctionName": name, "Qualifier": "1"}))
	e.match("second_publish_response", e.ok("PublishVersion", M{"FunctionName": name}))
	e.match("third_publish_response", e.ok("PublishVersion", M{"FunctionName": name}))
	e.match("list_versions_result_after_third_publish", e.ok("ListVersionsByFunction", M{"FunctionName": name}))
	e.ok("DeleteFunction", M{"FunctionName": name, "Qualifier": "1"})
	e.match("list_versions_result_after_deletion_of_first_version", e.ok("ListVersionsByFunction", M{"FunctionName": name}))
}

func aliasLifecycle(e *lambdaEnv) {
	name := fnName("test-fn")
	e.match("create_response", e.ok("CreateFunction", aliasFunction(e, name)))
	e.match("publish_v1", e.ok("PublishVersion", M{"FunctionName": name}))
	e.ok("UpdateFunctionConfiguration", M{"FunctionName": name, "Environment": M{"Variables": M{"testenv": "prod"}}})
	e.match("publish_v2", e.ok("PublishVersion", M{"FunctionName": name}))
	alias := func(key, aliasName, version string, params M) {
		p := M{"FunctionName": name, "Name": aliasName, "FunctionVersion": version}
		for k, v := range params {
			p[k] = v
		}
		e.match("create_"+key, e.ok("CreateAlias", p))
		e.match("get_"+key, e.ok("GetAlias", M{"FunctionName": name, "Name": aliasName}))
	}
	alias("alias_1_1", "aliasname1_1", "1", M{"Description": "custom-alias", "RoutingConfig": M{"AdditionalVersionWeights": M{"2": 0.2}}})
	e.match("get_function_alias_1_1", e.ok("GetFunction", M{"FunctionName": name, "Qualifier": "aliasname1_1"}))
	e.match("get_function_byarn_alias_1_1", e.ok("GetFunction", M{"FunctionName": fnArn(name, "aliasname1_1")}))
	e.match("get_function_alias_notfound_exc", e.fail("GetFunction", M{"FunctionName": name, "Qualifier": "aliasdoesnotexist"}))
	e.match("get_function_alias_byarn_notfound_exc", e.fail("GetFunction", M{"FunctionName": fnArn(name, "aliasdoesnotexist")}))
	alias("alias_1_2", "aliasname1_2", "1", M{"Description": "custom-alias"})
	alias("alias_1_3", "aliasname1_3", "1", nil)
	alias("alias_2", "aliasname2", "2", M{"Description": "custom-alias"})
	// The recording kept only the aliases of this call.
	e.match("list_aliases_for_fnname", M{"Aliases": e.ok("ListAliases", M{"FunctionName": name})["Aliases"]})
	noRouting := M{"AdditionalVersionWeights": M{}}
	e.match("update_alias_1_1", e.ok("UpdateAlias", M{"FunctionName": name, "Name": "aliasname1_1", "RoutingConfig": noRouting}))
	e.match("get_alias_1_1_after_update", e.ok("GetAlias", M{"FunctionName": name, "Name": "aliasname1_1"}))
	e.match("list_aliases_for_fnname_after_update", e.ok("ListAliases", M{"FunctionName": name}))
	e.match("update_alias_1_2", e.ok("UpdateAlias", M{"FunctionName": name, "Name": "aliasname1_2", "RoutingConfig": noRouting}))
	e.match("get_alias_1_2_after_update", e.ok("GetAlias", M{"FunctionName": name, "Name": "aliasname1_2"}))
	e.match("list_aliases_for_fnname_after_update_2", e.ok("ListAliases", M{"FunctionName": name}))
	e.match("list_aliases_for_version", e.ok("ListAliases", M{"FunctionName": name, "FunctionVersion": "1"}))
	e.match("delete_alias_response", e.ok("DeleteAlias", M{"FunctionName": name, "Name": "aliasname1_1"}))
	e.match("list_aliases_for_fnname_afterdelete", e.ok("ListAliases", M{"FunctionName": name}))
}

func layerLifecycle(e *lambdaEnv) {
	e.snap.replaceValue(func(path []string) bool { return last(path) == "LicenseInfo" }, "<license-info>")
	e.snap.replaceValue(func(path []string) bool { return last(path) == "Description" }, "<description>")
	name := fnName("test-fn")
	e.create(name, nil)
	e.match("get_fn_result", e.ok("GetFunction", M{"FunctionName": name}))
	e.match("get_fn_config_result", e.ok("GetFunctionConfiguration", M{"FunctionName": name}))
	layer := "testlayer-" + shortUID()
	publish := M{
		"LayerName": layer, "CompatibleRuntimes": []string{"python3.12"}, "CompatibleArchitectures": []string{"x86_64"},
		"Content": M{"ZipFile": e.zip("layer")}, "LicenseInfo": "MIT", "Description": "some description",
	}
	first := e.ok("PublishLayerVersion", publish)
	e.match("publish_result", first)
	e.match("publish_result_2", e.ok("PublishLayerVersion", publish))
	arn := first["LayerVersionArn"]
	e.match("update_fn_config", e.ok("UpdateFunctionConfiguration", M{"FunctionName": name, "Layers": []any{arn}}))
	e.match("get_fn_config", e.ok("GetFunctionConfiguration", M{"FunctionName": name}))
	e.match("get_layer_ver_result", e.ok("GetLayerVersion", M{"LayerName": layer, "VersionNumber": 1}))
	e.match("get_layer_by_arn_version", e.ok("GetLayerVersionByArn", M{"Arn": arn}))
	e.match("list_layer_versions_predelete", e.ok("ListLayerVersions", M{"LayerName": layer}))
	e.match("delete_layer_1", e.ok("DeleteLayerVersion", M{"LayerName": layer, "VersionNumber": 1}))
	e.match("get_fn_config_postdelete", e.ok("GetFunctionConfiguration", M{"FunctionName": name}))
	e.match("delete_layer_2", e.ok("DeleteLayerVersion", M{"LayerName": layer, "VersionNumber": 2}))
	e.match("list_layer_versions_postdelete", e.ok("ListLayerVersions", M{"LayerName": layer}))
	e.match("publish_result_3", e.ok("PublishLayerVersion", publish))
}

func aliasRoutingErrors(e *lambdaEnv) {
	name := fnName("test-fn")
	create := aliasFunction(e, name)
	create["Publish"] = true
	e.match("create_response", e.ok("CreateFunction", create))
	e.match("publish_v1", e.ok("PublishVersion", M{"FunctionName": name}))
	e.ok("UpdateFunctionConfiguration", M{"FunctionName": name, "Environment": M{"Variables": M{"testenv": "prod"}}})
	e.match("publish_v2", e.ok("PublishVersion", M{"FunctionName": name}))
	alias := func(fn, aliasName, version string, weights M) M {
		p := M{"FunctionName": fn, "Name": aliasName, "FunctionVersion": version}
		if weights != nil {
			p["RoutingConfig"] = M{"AdditionalVersionWeights": weights}
		}
		return p
	}
	e.match("routing_config_exc_toomany", e.fail("CreateAlias", alias(name, "custom", "1", M{"2": 0.5, "3": 0.5})))
	e.match("routing_config_exc_toohigh", e.fail("CreateAlias", alias(name, "custom", "1", M{"2": 2})))
	e.match("routing_config_exc_subzero", e.fail("CreateAlias", alias(name, "custom", "1", M{"2": -1})))
	e.match("routing_config_exc_sameversion", e.fail("CreateAlias", alias(name, "custom", "1", M{"1": 0.5})))
	e.match("target_version_doesnotexist", e.fail("CreateAlias", alias(name, "custom", "10", nil)))
	e.match("routing_config_exc_version_doesnotexist", e.fail("CreateAlias", alias(name, "custom", "1", M{"10": 0.5})))
	e.match("target_version_exc_version_latest", e.fail("CreateAlias", alias(name, "custom", "$LATEST", M{"1": 0.5})))
	e.match("routing_config_exc_version_latest", e.fail("CreateAlias", alias(name, "custom", "1", M{"$LATEST": 0.5})))
	e.match("create-alias-latest", e.ok("CreateAlias", alias(name, "custom-latest", "$LATEST", nil)))
	e.match("routing_config_exc_fn_doesnotexist", e.fail("CreateAlias", alias(name+"-unknown", "custom", "1", M{"2": 0.5})))
	e.match("create_alias_empty_routingconfig", e.ok("CreateAlias", alias(name, "custom-empty-routingconfig", "1", M{})))
	e.match("create_alias_response", e.ok("CreateAlias", alias(name, "custom", "1", M{"2": 0.5})))
	e.match("routing_config_exc_already_exist", e.fail("CreateAlias", alias(name, "custom", "1", M{"2": 0.5})))
	e.match("alias_does_not_exist_esc", e.fail("UpdateAlias", alias(name, "non-existent", "1", M{"2": 0.5})))
}

func listFunctions(e *lambdaEnv) {
	// Names in creation order, as the recording lists them.
	uid := shortUID()
	first, second := "test-fn-1-"+uid, "test-fn-2-"+uid
	e.match("create_response_1", createFixture(e.create(first, M{"Publish": true})))
	e.match("create_response_2", createFixture(e.create(second, M{"Code": M{"ZipFile": e.zip("v2")}})))
	e.match("list_functions_invalid_functionversion", e.fail("ListFunctions", M{"FunctionVersion": "invalid"}))
	// The recording kept only the functions of these calls.
	e.match("list_all", M{"Functions": e.ok("ListFunctions", M{"FunctionVersion": "ALL"})["Functions"]})
	e.match("list_default", M{"Functions": e.ok("ListFunctions", nil)["Functions"]})
}

func snapStartUpdate(runtime string) lambdaCase {
	return oneLambda("TestLambdaSnapStart::test_snapstart_update_function_configuration["+runtime+"]", func(e *lambdaEnv) {
		name := fnName("test-fn")
		e.match("create_function_response", e.ok("CreateFunction", M{
			"FunctionName": name, "Runtime": runtime, "Handler": "handler.handler", "Role": e.role,
			"Code": M{"ZipFile": e.zip("v1")}, "MemorySize": 1024, "Timeout": 5,
		}))
		e.match("update_function_response", e.ok("UpdateFunctionConfiguration", M{
			"FunctionName": name, "SnapStart": M{"ApplyOn": "PublishedVersions"},
		}))
	})
}

func functionArns(e *lambdaEnv) {
	arnName, partialName := fnName("test-fn"), fnName("test-fn")
	e.match("create-function-arn-response", createFixture(e.create(fnArn(arnName), nil)))
	e.match("create-function-partial-arn-response", createFixture(e.create(account+":function:"+partialName, M{"Code": M{"ZipFile": e.zip("v2")}})))
	e.match("invalid_function_name_exc", e.fail("CreateFunction", e.createParams("invalid:function:name", nil)))
	e.match("long_function_name_exc", e.fail("CreateFunction", e.createParams(strings.Repeat("a", 65), nil)))
	long := "test-fn-" + strings.Repeat("b", 141-len(fnArn("test-fn-")))
	e.snap.regex(0, regexp.QuoteMeta(long), "<function-name>")
	e.match("long_function_arn_exc", e.fail("CreateFunction", e.createParams(fnArn(long), nil)))
	otherRegion := strings.Replace(fnArn(fnName("test-fn")), region, "ap-southeast-1", 1)
	e.match("function_arn_other_region_exc", e.fail("CreateFunction", e.createParams(otherRegion, nil)))
	otherAccount := strings.Replace(fnArn(fnName("test-fn")), account, "123456789012", 1)
	e.match("function_arn_other_account_exc", e.fail("CreateFunction", e.createParams(otherAccount, nil)))
}
