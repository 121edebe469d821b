package conformance

import "strings"

func eventInvokeConfigCases() []lambdaCase {
	return []lambdaCase{
		oneLambda("TestLambdaEventInvokeConfig::test_lambda_eventinvokeconfig_exceptions", eventInvokeConfigExceptions),
		oneLambda("TestLambdaEventInvokeConfig::test_lambda_eventinvokeconfig_lifecycle", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.create(name, nil)
			fn := func(params M) M {
				params["FunctionName"] = name
				return params
			}
			e.match("put_invokeconfig_retries_0", e.ok("PutFunctionEventInvokeConfig", fn(M{"MaximumRetryAttempts": 0})))
			e.match("put_invokeconfig_eventage_60", e.ok("PutFunctionEventInvokeConfig", fn(M{"MaximumEventAgeInSeconds": 60})))
			e.match("update_invokeconfig_eventage_nochange", e.ok("UpdateFunctionEventInvokeConfig", fn(M{"MaximumEventAgeInSeconds": 60})))
			e.match("update_invokeconfig_retries", e.ok("UpdateFunctionEventInvokeConfig", fn(M{"MaximumRetryAttempts": 1})))
			e.match("get_invokeconfig", e.ok("GetFunctionEventInvokeConfig", fn(M{})))
			e.match("get_invokeconfig_latest", e.ok("GetFunctionEventInvokeConfig", fn(M{"Qualifier": "$LATEST"})))
			e.match("list_single_invokeconfig", e.ok("ListFunctionEventInvokeConfigs", fn(M{})))
			v := e.ok("PublishVersion", fn(M{}))
			e.match("publish_version_result", v)
			e.match("get_invokeconfig_postpublish", e.fail("GetFunctionEventInvokeConfig", fn(M{"Qualifier": v["Version"]})))
			e.match("put_published_invokeconfig", e.ok("PutFunctionEventInvokeConfig", fn(M{"Qualifier": v["Version"], "MaximumEventAgeInSeconds": 120})))
			e.match("get_published_invokeconfig", e.ok("GetFunctionEventInvokeConfig", fn(M{"Qualifier": v["Version"]})))
			e.ok("DeleteFunctionEventInvokeConfig", fn(M{}))
			e.match("list_paging_nolimit_postdelete", e.ok("ListFunctionEventInvokeConfigs", fn(M{})))
		}),
	}
}

func layerCases() []lambdaCase {
	var cs []lambdaCase
	compat := map[string][]string{
		"runtimes0": {"nodejs24.x", "nodejs22.x", "nodejs20.x", "nodejs18.x", "nodejs16.x", "nodejs14.x", "nodejs12.x", "python3.14", "python3.13", "python3.12", "python3.11", "python3.10", "python3.9", "python3.8", "python3.7"},
		"runtimes1": {"java25", "java21", "java17", "java11", "java8.al2", "java8", "dotnet10", "dotnet8", "dotnet6", "dotnetcore3.1", "go1.x", "ruby3.4", "ruby3.3", "ruby3.2", "ruby2.7"},
		"runtimes2": {"provided.al2023", "provided.al2", "provided"},
	}
	for _, id := range []string{"runtimes0", "runtimes1", "runtimes2"} {
		cs = append(cs, oneLambda("TestLambdaLayer::test_layer_compatibilities["+id+"]", func(e *lambdaEnv) {
			e.match("publish_result", e.ok("PublishLayerVersion", M{
				"LayerName": "testlayer-" + shortUID(), "CompatibleRuntimes": compat[id],
				"CompatibleArchitectures": []string{"arm64", "x86_64"}, "Content": M{"ZipFile": e.zip("layer")},
			}))
		}))
	}
	cs = append(cs, oneLambda("TestLambdaLayer::test_layer_exceptions", layerExceptions))
	cs = append(cs, oneLambda("TestLambdaLayer::test_layer_function_exceptions", layerFunctionExceptions))
	cs = append(cs, oneLambda("TestLambdaLayer::test_layer_policy_lifecycle", func(e *lambdaEnv) {
		layer := e.publishLayer()
		perm := func(sid string) M {
			return M{"LayerName": layer, "VersionNumber": 1, "StatementId": sid, "Action": "lambda:GetLayerVersion", "Principal": "*"}
		}
		get := M{"LayerName": layer, "VersionNumber": 1}
		e.match("add_policy_s1", e.ok("AddLayerVersionPermission", perm("s1")))
		e.match("get_layer_version_policy", e.ok("GetLayerVersionPolicy", get))
		e.match("add_policy_s2", e.ok("AddLayerVersionPermission", perm("s2")))
		e.match("get_layer_version_policy_postadd2", e.ok("GetLayerVersionPolicy", get))
		e.match("remove_s2", e.ok("RemoveLayerVersionPermission", M{"LayerName": layer, "VersionNumber": 1, "StatementId": "s2"}))
		e.match("get_layer_version_policy_postdeletes2", e.ok("GetLayerVersionPolicy", get))
	}))
	cs = append(cs, oneLambda("TestLambdaLayer::test_layer_policy_exceptions", func(e *lambdaEnv) {
		layer := e.publishLayer()
		perm := func(name string, version int, params M) M {
			p := M{"LayerName": name, "VersionNumber": version, "StatementId": "s1", "Action": "lambda:GetLayerVersion", "Principal": "*"}
			for k, v := range params {
				p[k] = v
			}
			return p
		}
		ref := func(name string, version int) M { return M{"LayerName": name, "VersionNumber": version} }
		e.match("layer_permission_nopolicy_get", e.fail("GetLayerVersionPolicy", ref(layer, 1)))
		e.match("add_layer_permission_result", e.ok("AddLayerVersionPermission", perm(layer, 1, nil)))
		e.match("layer_permission_action_invalid", e.fail("AddLayerVersionPermission", perm(layer, 1, M{"StatementId": "s2", "Action": "*"})))
		e.match("layer_permission_duplicate_statement", e.fail("AddLayerVersionPermission", perm(layer, 1, nil)))
		e.match("layer_permission_wrong_revision", e.fail("AddLayerVersionPermission", perm(layer, 1, M{"StatementId": "s2", "RevisionId": "wrong"})))
		missing := layer + "-doesnotexist"
		e.match("layer_permission_layername_doesnotexist_add", e.fail("AddLayerVersionPermission", perm(missing, 1, nil)))
		e.match("layer_permission_layername_doesnotexist_get", e.fail("GetLayerVersionPolicy", ref(missing, 1)))
		e.match("layer_permission_layername_doesnotexist_remove", e.fail("RemoveLayerVersionPermission", M{"LayerName": missing, "VersionNumber": 1, "StatementId": "s1"}))
		e.match("layer_permission_layerversion_doesnotexist_add", e.fail("AddLayerVersionPermission", perm(layer, 2, nil)))
		e.match("layer_permission_layerversion_doesnotexist_get", e.fail("GetLayerVersionPolicy", ref(layer, 2)))
		e.match("layer_permission_layerversion_doesnotexist_remove", e.fail("RemoveLayerVersionPermission", M{"LayerName": layer, "VersionNumber": 2, "StatementId": "s1"}))
		e.match("layer_permission_statementid_doesnotexist_remove", e.fail("RemoveLayerVersionPermission", M{"LayerName": layer, "VersionNumber": 1, "StatementId": "doesnotexist"}))
		e.match("layer_permission_wrong_revision_remove", e.fail("RemoveLayerVersionPermission", M{"LayerName": layer, "VersionNumber": 1, "StatementId": "s1", "RevisionId": "wrong"}))
	}))
	return cs
}

// publishLayer publishes version 1 of a fresh layer (python3.12, x86_64)
// and matches it as publish_result.
func (e *lambdaEnv) publishLayer() string {
	e.t.Helper()
	name := "testlayer-" + shortUID()
	e.match("publish_result", e.ok("PublishLayerVersion", M{
		"LayerName": name, "CompatibleRuntimes": []string{"python3.12"},
		"CompatibleArchitectures": []string{"x86_64"}, "Content": M{"ZipFile": e.zip("layer")},
	}))
	return name
}

func eventInvokeConfigExceptions(e *lambdaEnv) {
	name := fnName("test-fn")
	e.create(name, nil)
	arn := fnArn(name)
	const alias = "eventinvokealias"
	e.match("fn_version_result", e.ok("PublishVersion", M{"FunctionName": name}))
	e.match("fn_alias_result", e.ok("CreateAlias", M{"FunctionName": name, "Name": alias, "FunctionVersion": "1"}))
	put := func(fn string, params M) M {
		p := M{"FunctionName": fn}
		for k, v := range params {
			p[k] = v
		}
		return p
	}
	retry1 := M{"MaximumRetryAttempts": 1}
	onSuccess := func(dest string) M { return M{"DestinationConfig": M{"OnSuccess": M{"Destination": dest}}} }
	e.match("put_functionname_name_notfound", e.fail("PutFunctionEventInvokeConfig", put("doesnotexist", retry1)))
	e.match("put_functionname_arn_notfound", e.fail("PutFunctionEventInvokeConfig", put(fnArn("doesnotexist"), retry1)))
	e.match("put_functionname_nootherargs", e.fail("PutFunctionEventInvokeConfig", put(name, nil)))
	e.match("put_destination_lambda_doesntexist", e.fail("PutFunctionEventInvokeConfig", put(name, onSuccess(fnArn("doesnotexist")))))
	e.match("put_destination_recursive", e.fail("PutFunctionEventInvokeConfig", put(name, onSuccess(arn))))
	other := fnName("test-fn-other")
	e.create(other, nil)
	e.match("put_destination_other_lambda", e.ok("PutFunctionEventInvokeConfig", put(name, onSuccess(fnArn(other)))))
	e.match("put_destination_invalid_service_arn", e.fail("PutFunctionEventInvokeConfig", put(name, onSuccess(strings.Replace(arn, ":lambda:", ":iam:", 1)))))
	e.match("put_destination_success_no_destination_arn", e.ok("PutFunctionEventInvokeConfig", put(name, M{"DestinationConfig": M{"OnSuccess": M{}}})))
	e.match("put_destination_failure_no_destination_arn", e.ok("PutFunctionEventInvokeConfig", put(name, M{"DestinationConfig": M{"OnFailure": M{}}})))
	e.match("put_destination_invalid_arn_pattern", e.fail("PutFunctionEventInvokeConfig", put(name, M{
		"DestinationConfig": M{"OnFailure": M{"Destination": strings.Replace(arn, ":lambda:", ":_-/!lambda:", 1)}},
	})))
	e.match("put_destination_latest", e.ok("PutFunctionEventInvokeConfig", put(name, retry1)))
	e.match("put_destination_latest_explicit_qualifier", e.ok("PutFunctionEventInvokeConfig", put(name, M{"Qualifier": "$LATEST", "MaximumRetryAttempts": 1})))
	e.match("put_destination_version", e.ok("PutFunctionEventInvokeConfig", put(name, M{"Qualifier": "1", "MaximumRetryAttempts": 1})))
	e.match("put_alias_functionname_qualifier", e.ok("PutFunctionEventInvokeConfig", put(name, M{"Qualifier": alias, "MaximumRetryAttempts": 1})))
	e.match("put_alias_doesnotexist", e.fail("PutFunctionEventInvokeConfig", put(name, M{"Qualifier": "doesnotexist", "MaximumRetryAttempts": 1})))
	e.match("put_alias_qualifiedarn", e.ok("PutFunctionEventInvokeConfig", put(arn+":"+alias, retry1)))
	e.match("put_alias_qualifiedarn_qualifier", e.ok("PutFunctionEventInvokeConfig", put(arn+":"+alias, M{"Qualifier": alias, "MaximumRetryAttempts": 1})))
	e.match("put_alias_qualifiedarn_qualifierconflict", e.fail("PutFunctionEventInvokeConfig", put(arn+":"+alias, M{"Qualifier": "1", "MaximumRetryAttempts": 1})))
	e.match("put_alias_shorthand", e.ok("PutFunctionEventInvokeConfig", put(name+":"+alias, retry1)))
	e.match("put_alias_shorthand_qualifier", e.ok("PutFunctionEventInvokeConfig", put(name+":"+alias, M{"Qualifier": alias, "MaximumRetryAttempts": 1})))
	e.match("put_alias_shorthand_qualifierconflict", e.fail("PutFunctionEventInvokeConfig", put(name+":"+alias, M{"Qualifier": "1", "MaximumRetryAttempts": 1})))
	e.match("put_version_shorthand", e.ok("PutFunctionEventInvokeConfig", put(name+":1", retry1)))
	e.match("put_shorthand_qualifier_match", e.ok("PutFunctionEventInvokeConfig", put(name+":$LATEST", M{"Qualifier": "$LATEST", "MaximumRetryAttempts": 1})))
	e.match("put_shorthand_qualifier_mismatch_1", e.fail("PutFunctionEventInvokeConfig", put(name+":$LATEST", M{"Qualifier": "1", "MaximumRetryAttempts": 1})))
	e.match("put_shorthand_qualifier_mismatch_2", e.fail("PutFunctionEventInvokeConfig", put(name+":1", M{"Qualifier": "$LATEST", "MaximumRetryAttempts": 1})))
	e.match("put_shorthand_qualifier_mismatch_3", e.fail("PutFunctionEventInvokeConfig", put(name+":1", M{"Qualifier": alias, "MaximumRetryAttempts": 1})))
	e.match("put_maxevent_maxvalue_result", e.ok("PutFunctionEventInvokeConfig", put(name, M{"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 21600})))
	e.match("put_pre_overwrite", e.ok("PutFunctionEventInvokeConfig", put(name, M{"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 60})))
	e.match("put_post_overwrite", e.ok("PutFunctionEventInvokeConfig", put(name, M{"MaximumRetryAttempts": 0})))
	e.match("second_overwrite_existing_response", e.ok("PutFunctionEventInvokeConfig", put(name, M{"MaximumRetryAttempts": 0})))
	e.match("get_post_overwrite", e.ok("GetFunctionEventInvokeConfig", put(name, nil)))
	e.match("pre_update_response", e.ok("PutFunctionEventInvokeConfig", put(name, M{"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 60})))
	e.match("update_response", e.ok("UpdateFunctionEventInvokeConfig", put(name, M{"MaximumRetryAttempts": 0})))
	e.match("update_response_existing", e.ok("UpdateFunctionEventInvokeConfig", put(name, M{"MaximumRetryAttempts": 0})))
	e.match("list_configs", e.ok("ListFunctionEventInvokeConfigs", put(name, nil)))
	e.match("delete_latest", e.ok("DeleteFunctionEventInvokeConfig", put(name, nil)))
	e.match("delete_version", e.ok("DeleteFunctionEventInvokeConfig", put(name, M{"Qualifier": "1"})))
	e.match("delete_alias", e.ok("DeleteFunctionEventInvokeConfig", put(name, M{"Qualifier": alias})))
	e.match("list_configs_postdelete", e.ok("ListFunctionEventInvokeConfigs", put(name, nil)))
	e.match("delete_function_not_found", e.fail("DeleteFunctionEventInvokeConfig", put(name, nil)))
	e.match("delete_function_doesnotexist", e.fail("DeleteFunctionEventInvokeConfig", put("doesnotexist", nil)))
	e.match("list_function_doesnotexist", e.fail("ListFunctionEventInvokeConfigs", put("doesnotexist", nil)))
	e.match("get_function_doesnotexist", e.fail("GetFunctionEventInvokeConfig", put("doesnotexist", nil)))
	e.match("get_qualifier_doesnotexist", e.fail("GetFunctionEventInvokeConfig", put(name, M{"Qualifier": "doesnotexist"})))
	e.match("update_eventinvokeconfig_function_doesnotexist", e.fail("UpdateFunctionEventInvokeConfig", put("doesnotexist", retry1)))
	e.match("get_eventinvokeconfig_doesnotexist", e.fail("GetFunctionEventInvokeConfig", put(name, M{"Qualifier": alias})))
	e.match("update_eventinvokeconfig_config_doesnotexist_with_qualifier", e.fail("UpdateFunctionEventInvokeConfig", put(name, M{"Qualifier": alias, "MaximumRetryAttempts": 1})))
	e.match("update_eventinvokeconfig_config_doesnotexist_without_qualifier", e.fail("UpdateFunctionEventInvokeConfig", put(name, retry1)))
}

func layerExceptions(e *lambdaEnv) {
	layer := e.publishLayer()
	layerArn := "arn:aws:lambda:" + region + ":" + account + ":layer:" + layer
	v := func(name string, version int) M { return M{"LayerName": name, "VersionNumber": version} }
	e.match("list_layers_exc_compatibleruntime_invalid", e.fail("ListLayers", M{"CompatibleRuntime": "runtimedoesnotexist"}))
	e.match("list_layers_exc_compatiblearchitecture_invalid", e.fail("ListLayers", M{"CompatibleArchitecture": "archdoesnotexist"}))
	e.match("list_nonexistent_layer", e.ok("ListLayerVersions", M{"LayerName": "layerdoesnotexist"}))
	e.match("get_layer_version_exc_layer_doesnotexist", e.fail("GetLayerVersion", v("layerdoesnotexist", 1)))
	e.match("get_layer_version_exc_layer_version_doesnotexist_negative", e.fail("GetLayerVersion", v(layer, -1)))
	e.match("get_layer_version_exc_layer_version_doesnotexist_zero", e.fail("GetLayerVersion", v(layer, 0)))
	e.match("get_layer_version_exc_layer_version_doesnotexist_2", e.fail("GetLayerVersion", v(layer, 2)))
	e.match("get_layer_version_by_arn_exc_invalidarn", e.fail("GetLayerVersionByArn", M{"Arn": layerArn}))
	e.match("get_layer_version_by_arn_exc_nonexistentversion", e.fail("GetLayerVersionByArn", M{"Arn": layerArn + ":2"}))
	e.match("delete_nonexistent_response", e.ok("DeleteLayerVersion", v("layerdoesnotexist", 1)))
	e.match("delete_nonexistent_version_response", e.ok("DeleteLayerVersion", v(layer, 2)))
	e.match("delete_layer_response", e.ok("DeleteLayerVersion", v(layer, 1)))
	e.match("delete_layer_again_response", e.ok("DeleteLayerVersion", v(layer, 1)))
	e.match("delete_layer_version_exc_layerversion_invalid_version", e.fail("DeleteLayerVersion", v(layer, -1)))
	publish := func(runtimes, archs []string) M {
		return M{
			"LayerName": "testlayer-" + shortUID(), "CompatibleRuntimes": runtimes,
			"CompatibleArchitectures": archs, "Content": M{"ZipFile": e.zip("layer")},
		}
	}
	e.match("publish_empty_result", e.ok("PublishLayerVersion", publish([]string{}, []string{})))
	e.match("publish_layer_version_exc_invalid_runtime_arch", e.fail("PublishLayerVersion", publish([]string{"invalidruntime"}, []string{"invalidarch"})))
	e.match("publish_layer_version_exc_partially_invalid_values", e.fail("PublishLayerVersion", publish(
		[]string{"invalidruntime", "invalidruntime2", "nodejs20.x"}, []string{"invalidarch", "x86_64"})))
}

func layerFunctionExceptions(e *lambdaEnv) {
	layer := "testlayer-" + shortUID()
	var arns []string
	for _, key := range []string{"publish_result", "publish_result_2", "publish_result_3"} {
		r := e.ok("PublishLayerVersion", M{
			"LayerName": layer, "CompatibleRuntimes": []string{}, "CompatibleArchitectures": []string{"x86_64"},
			"Content": M{"ZipFile": e.zip("layer")},
		})
		e.match(key, r)
		arns = append(arns, r["LayerVersionArn"].(string))
	}
	name := fnName("test-fn")
	e.create(name, nil)
	e.match("get_fn_result", e.ok("GetFunction", M{"FunctionName": name}))
	layers := func(l ...string) M { return M{"FunctionName": name, "Layers": l} }
	layerArn := "arn:aws:lambda:" + region + ":" + account + ":layer:"
	e.match("two_layer_versions_single_function_exc", e.fail("UpdateFunctionConfiguration", layers(arns[0], arns[1])))
	e.match("three_layer_versions_single_function_exc", e.fail("UpdateFunctionConfiguration", layers(arns...)))
	e.match("two_identical_layer_versions_single_function_exc", e.fail("UpdateFunctionConfiguration", layers(arns[0], arns[0])))
	e.match("add_nonexistent_layer_exc", e.fail("UpdateFunctionConfiguration", layers(layerArn+"doesnotexist:1")))
	e.match("add_nonexistent_layer_version_exc", e.fail("UpdateFunctionConfiguration", layers(layerArn+layer+":9")))
	e.match("add_layer_arn_without_version_exc", e.fail("UpdateFunctionConfiguration", layers(layerArn+layer)))
	// A layer published in another region of the same account.
	west := newLambdaClient(e.srv.AWSConfigFor(accessKey, "secret", "eu-west-1"))
	r, err := west.call(e.t.Context(), "PublishLayerVersion", M{"LayerName": layer, "Content": M{"ZipFile": e.zip("layer")}})
	if err != nil || r["LayerVersionArn"] == nil {
		e.t.Fatalf("publish in eu-west-1: %v %v", err, r)
	}
	other := r["LayerVersionArn"].(string)
	e.match("create_function_with_layer_in_different_region", e.fail("CreateFunction", e.createParams(fnName("test-fn"), M{"Layers": []string{other}})))
}
