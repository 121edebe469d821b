package conformance

import (
	"fmt"
	"regexp"
)

func concurrencyCases() []lambdaCase {
	return []lambdaCase{
		oneLambda("TestLambdaReservedConcurrency::test_function_concurrency_exceptions", func(e *lambdaEnv) {
			e.match("put_function_concurrency_with_function_name_doesnotexist", e.fail("PutFunctionConcurrency", M{"FunctionName": "doesnotexist", "ReservedConcurrentExecutions": 1}))
			e.match("put_function_concurrency_with_function_name_doesnotexist_and_invalid_concurrency", e.fail("PutFunctionConcurrency", M{"FunctionName": "doesnotexist", "ReservedConcurrentExecutions": -1}))
			name := fnName("test-fn")
			e.create(name, nil)
			v := e.ok("PublishVersion", M{"FunctionName": name})
			e.match("put_function_concurrency_with_qualified_arn", e.fail("PutFunctionConcurrency", M{"FunctionName": v["FunctionArn"], "ReservedConcurrentExecutions": 1}))
		}),
		oneLambda("TestLambdaReservedConcurrency::test_function_concurrency", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.create(name, nil)
			e.match("put_function_concurrency_with_reserved_0", e.ok("PutFunctionConcurrency", M{"FunctionName": name, "ReservedConcurrentExecutions": 0}))
			e.match("put_function_concurrency_with_reserved_1", e.ok("PutFunctionConcurrency", M{"FunctionName": name, "ReservedConcurrentExecutions": 1}))
			e.match("get_function_concurrency", e.ok("GetFunctionConcurrency", M{"FunctionName": name}))
			e.match("delete_response", e.ok("DeleteFunctionConcurrency", M{"FunctionName": name}))
			e.match("get_function_concurrency_after_delete", e.ok("GetFunctionConcurrency", M{"FunctionName": name}))
		}),
		oneLambda("TestLambdaProvisionedConcurrency::test_provisioned_concurrency_exceptions", provisionedExceptions),
		oneLambda("TestLambdaProvisionedConcurrency::test_lambda_provisioned_lifecycle", provisionedLifecycle),
		oneLambda("TestLambdaAccountSettings::test_account_settings", func(e *lambdaEnv) {
			r := e.ok("GetAccountSettings", M{})
			r["AccountLimit"] = sortedKeyList(r["AccountLimit"])
			r["AccountUsage"] = sortedKeyList(r["AccountUsage"])
			e.match("acc_settings_modded", r)
		}),
	}
}

func sortedKeyList(v any) []any {
	m, _ := v.(M)
	keys := sortedKeys(m)
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = k
	}
	return out
}

func provisionedExceptions(e *lambdaEnv) {
	name := fnName("test-fn")
	e.create(name, nil)
	e.match("publish_version_result", e.ok("PublishVersion", M{"FunctionName": name}))
	q := func(fn, qualifier string) M { return M{"FunctionName": fn, "Qualifier": qualifier} }
	put := func(fn, qualifier string, n int) M {
		return M{"FunctionName": fn, "Qualifier": qualifier, "ProvisionedConcurrentExecutions": n}
	}
	e.match("get_provisioned_config_doesnotexist", e.fail("GetProvisionedConcurrencyConfig", q(name, "1")))
	e.match("get_provisioned_functionname_doesnotexist", e.fail("GetProvisionedConcurrencyConfig", q("doesnotexist", "noalias")))
	e.match("get_provisioned_qualifier_doesnotexist", e.fail("GetProvisionedConcurrencyConfig", q(name, "noalias")))
	e.match("get_provisioned_version_doesnotexist", e.fail("GetProvisionedConcurrencyConfig", q(name, "10")))
	e.match("get_provisioned_latest", e.fail("GetProvisionedConcurrencyConfig", q(name, "$LATEST")))
	e.match("list_provisioned_noconfigs", e.ok("ListProvisionedConcurrencyConfigs", M{"FunctionName": name}))
	e.match("list_provisioned_functionname_doesnotexist", e.fail("ListProvisionedConcurrencyConfigs", M{"FunctionName": "doesnotexist"}))
	e.match("delete_provisioned_functionname_doesnotexist", e.fail("DeleteProvisionedConcurrencyConfig", q("doesnotexist", "1")))
	e.match("delete_provisioned_qualifier_doesnotexist", e.fail("DeleteProvisionedConcurrencyConfig", q(name, "noalias")))
	e.match("delete_provisioned_version_doesnotexist", e.fail("DeleteProvisionedConcurrencyConfig", q(name, "10")))
	e.match("delete_provisioned_latest", e.fail("DeleteProvisionedConcurrencyConfig", q(name, "$LATEST")))
	e.match("delete_provisioned_config_doesnotexist", e.call("DeleteProvisionedConcurrencyConfig", q(name, "1")))
	e.match("put_provisioned_invalid_param_0", e.fail("PutProvisionedConcurrencyConfig", put(name, "1", 0)))
	e.match("put_provisioned_functionname_doesnotexist_alias", e.fail("PutProvisionedConcurrencyConfig", put("doesnotexist", "noalias", 1)))
	e.match("put_provisioned_functionname_doesnotexist_version", e.fail("PutProvisionedConcurrencyConfig", put("doesnotexist", "1", 1)))
	e.match("put_provisioned_qualifier_doesnotexist", e.fail("PutProvisionedConcurrencyConfig", put(name, "doesnotexist", 1)))
	e.match("put_provisioned_version_doesnotexist", e.fail("PutProvisionedConcurrencyConfig", put(name, "10", 1)))
	e.match("put_provisioned_latest", e.fail("PutProvisionedConcurrencyConfig", put(name, "$LATEST", 1)))
}

func provisionedLifecycle(e *lambdaEnv) {
	name := fnName("test-fn")
	alias := "alias-" + shortUID()
	e.snap.regex(0, regexp.QuoteMeta(alias), "<alias-name>")
	e.create(name, nil)
	e.match("publish_version_result", e.ok("PublishVersion", M{"FunctionName": name}))
	e.match("create_alias_result", e.ok("CreateAlias", M{"FunctionName": name, "Name": alias, "FunctionVersion": "1"}))
	put := func(qualifier string) M {
		return M{"FunctionName": name, "Qualifier": qualifier, "ProvisionedConcurrentExecutions": 1}
	}
	q := func(qualifier string) M { return M{"FunctionName": name, "Qualifier": qualifier} }
	e.match("put_provisioned_on_version", e.ok("PutProvisionedConcurrencyConfig", put("1")))
	e.match("put_provisioned_on_alias_versionconflict", e.fail("PutProvisionedConcurrencyConfig", put(alias)))
	e.match("delete_provisioned_version", e.ok("DeleteProvisionedConcurrencyConfig", q("1")))
	e.match("get_provisioned_version_postdelete", e.fail("GetProvisionedConcurrencyConfig", q("1")))
	e.match("put_provisioned_on_alias", e.ok("PutProvisionedConcurrencyConfig", put(alias)))
	e.match("put_provisioned_on_version_conflict", e.fail("PutProvisionedConcurrencyConfig", put("1")))
	e.match("delete_alias_result", e.ok("DeleteAlias", M{"FunctionName": name, "Name": alias}))
	e.match("get_provisioned_alias_postaliasdelete", e.fail("GetProvisionedConcurrencyConfig", q(alias)))
	e.match("list_response_postdeletes", e.ok("ListProvisionedConcurrencyConfigs", M{"FunctionName": name}))
}

func tagCases() []lambdaCase {
	return []lambdaCase{
		oneLambda("TestLambdaTag::test_create_tag_on_fn_create", func(e *lambdaEnv) {
			value := "tag-value-" + shortUID()
			e.snap.regex(0, regexp.QuoteMeta(value), "<custom-tag>")
			name := fnName("test-fn")
			arn := e.create(name, M{"Tags": M{"testtag": value}})["FunctionArn"]
			e.match("get_function_result", e.ok("GetFunction", M{"FunctionName": name}))
			e.match("list_tags_result", e.ok("ListTags", M{"Resource": arn}))
		}),
		oneLambda("TestLambdaTag::test_tag_lifecycle[lambda_function]", func(e *lambdaEnv) {
			name := fnName("test-fn")
			arn := e.create(name, nil)["FunctionArn"]
			list := func() M { return e.ok("ListTags", M{"Resource": arn}) }
			steps := []struct {
				key  string
				op   string
				args M
			}{
				{"tag_single_response", "TagResource", M{"Tags": M{"A": "tag-a"}}},
				{"tag_multiple_response", "TagResource", M{"Tags": M{"B": "tag-b", "C": "tag-c"}}},
				{"tag_overlap_response", "TagResource", M{"Tags": M{"C": "tag-c-newsuffix", "D": "tag-d"}}},
				{"untag_single_response", "UntagResource", M{"TagKeys": []string{"A"}}},
				{"untag_multiple_response", "UntagResource", M{"TagKeys": []string{"B", "C"}}},
				{"untag_nonexisting_response", "UntagResource", M{"TagKeys": []string{"F"}}},
				{"untag_existing_and_nonexisting_response", "UntagResource", M{"TagKeys": []string{"D", "F"}}},
			}
			for _, st := range steps {
				st.args["Resource"] = arn
				e.match(st.key, e.ok(st.op, st.args))
				e.match(st.key+"_listtags", list())
			}
		}),
		oneLambda("TestLambdaTag::test_tag_exceptions[lambda_function]", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.snap.regex(0, regexp.QuoteMeta(name), "<resource-name>")
			arn := fnArn(name)
			e.match("not_found_exception_tag", e.fail("TagResource", M{"Resource": arn, "Tags": M{"A": "B"}}))
			e.match("not_found_exception_untag", e.fail("UntagResource", M{"Resource": arn, "TagKeys": []string{"A"}}))
			e.match("not_found_exception_list", e.fail("ListTags", M{"Resource": arn}))
			e.match("aliased_arn_exception", e.fail("TagResource", M{"Resource": arn + ":alias", "Tags": M{"A": "B"}}))
			bad := fmt.Sprintf("arn:aws:lambda:%s:%s:foobar:%s", region, account, name)
			e.match("invalid_arn_exception", e.fail("TagResource", M{"Resource": bad, "Tags": M{"A": "B"}}))
		}),
		oneLambda("TestLambdaTags::test_tag_exceptions", func(e *lambdaEnv) {
			name := fnName("test-fn")
			arn := e.create(name, nil)["FunctionArn"].(string)
			e.match("tag_lambda_invalidarn", e.fail("TagResource", M{"Resource": "arn:aws:something", "Tags": M{"key_a": "value_a"}}))
			e.match("tag_lambda_doesnotexist", e.fail("TagResource", M{"Resource": fnArn("doesnotexist"), "Tags": M{"key_a": "value_a"}}))
			e.match("tag_lambda_qualifier_doesnotexist", e.fail("TagResource", M{"Resource": arn + ":doesnotexist", "Tags": M{"key_a": "value_a"}}))
			e.match("list_tag_lambda_empty", e.ok("ListTags", M{"Resource": arn}))
			e.match("untag_nomatch", e.ok("UntagResource", M{"Resource": arn, "TagKeys": []string{"somekey"}}))
			e.match("untag_empty_keys", e.fail("UntagResource", M{"Resource": arn, "TagKeys": []string{}}))
			e.match("tag_empty_tags", e.fail("TagResource", M{"Resource": arn, "Tags": M{}}))
		}),
		oneLambda("TestLambdaTags::test_tag_versions", func(e *lambdaEnv) {
			name := fnName("test-fn")
			arn := e.create(name, nil)["FunctionArn"].(string)
			e.ok("PublishVersion", M{"FunctionName": name})
			e.match("tag_resource_exception", e.fail("TagResource", M{"Resource": arn + ":1", "Tags": M{"a_key": "a_value"}}))
			e.match("tag_resource_latest_exception", e.fail("TagResource", M{"Resource": arn + ":$LATEST", "Tags": M{"a_key": "a_value"}}))
		}),
		oneLambda("TestLambdaTags::test_tag_limits", func(e *lambdaEnv) {
			name := fnName("test-fn")
			arn := e.create(name, nil)["FunctionArn"].(string)
			tags := func(n int) M {
				t := M{}
				for i := range n {
					t[fmt.Sprintf("%d_key", i)] = fmt.Sprintf("%d_value", i)
				}
				return t
			}
			e.match("tag_lambda_too_many_tags", e.fail("TagResource", M{"Resource": arn, "Tags": tags(51)}))
			e.match("tag_response", e.ok("TagResource", M{"Resource": arn, "Tags": tags(50)}))
			e.match("list_tags_response", e.ok("ListTags", M{"Resource": arn}))
			e.match("get_fn_response", e.ok("GetFunction", M{"FunctionName": name}))
			e.match("tag_lambda_too_many_tags_additional", e.fail("TagResource", M{"Resource": arn, "Tags": M{"a_key": "a_value"}}))
			e.match("create_function_invalid_tags", e.fail("CreateFunction", e.createParams(fnName("test-fn"), M{"Tags": tags(51)})))
		}),
		oneLambda("TestLambdaTags::test_tag_lifecycle", func(e *lambdaEnv) {
			name := fnName("test-fn")
			arn := e.create(name, M{"Tags": M{"key_a": "value_a"}})["FunctionArn"].(string)
			check := func(suffix string) {
				e.match("list_tags_response_"+suffix, e.ok("ListTags", M{"Resource": arn}))
				e.match("get_fn_response_"+suffix, e.ok("GetFunction", M{"FunctionName": name}))
			}
			check("postfncreate")
			e.match("tag_resource_response", e.ok("TagResource", M{"Resource": arn, "Tags": M{"key_b": "value_b", "key_c": "value_c", "key_d": "value_d", "key_e": "value_e"}}))
			check("postaddtags")
			e.match("tag_resource_overwrite", e.ok("TagResource", M{"Resource": arn, "Tags": M{"key_c": "value_x"}}))
			e.match("list_tags_response_overwrite", e.ok("ListTags", M{"Resource": arn}))
			e.match("get_fn_response_overwrite", e.ok("GetFunction", M{"FunctionName": name}))
			e.ok("UntagResource", M{"Resource": arn, "TagKeys": []string{"key_c", "key_d"}})
			check("postuntag")
			e.ok("UntagResource", M{"Resource": arn, "TagKeys": []string{"key_a", "key_b", "key_e"}})
			check("postuntagall")
			e.ok("DeleteFunction", M{"FunctionName": name})
			e.match("list_tags_postdelete", e.fail("ListTags", M{"Resource": arn}))
		}),
		oneLambda("TestLambdaTag::test_tag_nonexisting_resource", func(e *lambdaEnv) {
			name := fnName("test-fn")
			arn := e.create(name, nil)["FunctionArn"].(string)
			e.match("pre_delete_get_function", e.ok("GetFunction", M{"FunctionName": name}))
			e.ok("DeleteFunction", M{"FunctionName": name})
			e.match("not_found_exception_tag", e.fail("TagResource", M{"Resource": arn, "Tags": M{"A": "B"}}))
			e.match("not_found_exception_untag", e.fail("UntagResource", M{"Resource": arn, "TagKeys": []string{"A"}}))
			e.match("not_found_exception_list", e.fail("ListTags", M{"Resource": arn}))
		}),
	}
}

func permissionCases() []lambdaCase {
	return []lambdaCase{
		oneLambda("TestLambdaPermissions::test_remove_multi_permissions", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.create(name, nil)
			e.match("add_permission_1", e.ok("AddPermission", M{"FunctionName": name, "Action": "lambda:InvokeFunction", "StatementId": "s3", "Principal": "s3.amazonaws.com"}))
			e.match("add_permission_2", e.ok("AddPermission", M{
				"FunctionName": name, "Action": "lambda:InvokeFunction", "StatementId": "sqs", "Principal": "sqs.amazonaws.com",
				"SourceArn": "arn:aws:s3:::test-bucket-" + shortUID(),
			}))
			e.match("policy_after_2_add", e.ok("GetPolicy", M{"FunctionName": name}))
			e.match("remove_permission_exception_nonexisting_sid", e.fail("RemovePermission", M{"FunctionName": name, "StatementId": "non-existent"}))
			e.ok("RemovePermission", M{"FunctionName": name, "StatementId": "sqs"})
			e.match("policy_after_removal", e.ok("GetPolicy", M{"FunctionName": name}))
			e.fail("RemovePermission", M{"FunctionName": name, "StatementId": "sqs"})
			e.match("policy_after_removal_attempt", e.ok("GetPolicy", M{"FunctionName": name}))
			e.ok("RemovePermission", M{"FunctionName": name, "StatementId": "s3"})
			e.match("get_policy_exception_removed_all", e.fail("GetPolicy", M{"FunctionName": name}))
		}),
		oneLambda("TestLambdaPermissions::test_create_multiple_lambda_permissions", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.create(name, nil)
			e.match("add_permission_response_1", e.ok("AddPermission", M{"FunctionName": name, "Action": "lambda:InvokeFunction", "StatementId": "logs", "Principal": "logs.amazonaws.com"}))
			e.match("add_permission_response_2", e.ok("AddPermission", M{"FunctionName": name, "Action": "lambda:InvokeFunction", "StatementId": "kinesis", "Principal": "kinesis.amazonaws.com"}))
			e.match("policy_after_2_add", e.ok("GetPolicy", M{"FunctionName": name}))
		}),
		oneLambda("TestLambdaPermissions::test_permission_exceptions", permissionExceptions),
		oneLambda("TestLambdaPermissions::test_lambda_permission_fn_versioning", permissionVersioning),
		oneLambda("TestLambdaPermissions::test_add_lambda_permission_fields", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.create(name, nil)
			// The recording test's caller, an IAM user: replaced before the
			// resource transformer sees it.
			user := "arn:aws:iam::" + account + ":user/test-user"
			e.snap.replaceValueIf(-1, func(v any) bool { return v == user }, "<user_arn>")
			add := func(key string, params M) {
				params["FunctionName"] = name
				if _, ok := params["Action"]; !ok {
					params["Action"] = "lambda:InvokeFunction"
				}
				e.match(key, e.ok("AddPermission", params))
			}
			add("add_permission_principal_wildcard", M{"StatementId": "wilcard", "Principal": "*", "SourceAccount": account})
			add("add_permission_principal_service", M{"StatementId": "lambda", "Principal": "lambda.amazonaws.com", "SourceAccount": account})
			add("add_permission_principal_account", M{"StatementId": "account-id", "Principal": account})
			add("add_permission_principal_arn", M{"StatementId": "user-arn", "Principal": user, "SourceAccount": account})
			add("add_permission_optional_fields", M{
				"StatementId": "urlPermission", "Principal": "*", "Action": "lambda:InvokeFunctionUrl",
				"SourceArn": "arn:aws:s3:::test-bucket-" + shortUID(), "SourceAccount": account,
				"PrincipalOrgID": "o-1234567890", "FunctionUrlAuthType": "NONE",
			})
			add("add_permission_alexa_skill", M{
				"StatementId": "alexaSkill", "Principal": "*",
				"EventSourceToken": "amzn1.ask.skill.xxxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx",
			})
		}),
	}
}

func permissionExceptions(e *lambdaEnv) {
	name := fnName("test-fn")
	e.snap.regex(0, regexp.QuoteMeta(name), "<function-name>")
	e.create(name, nil)
	add := func(fn string, params M) M {
		p := M{"FunctionName": fn, "Action": "lambda:InvokeFunction", "StatementId": "s3", "Principal": "s3.amazonaws.com"}
		for k, v := range params {
			p[k] = v
		}
		return p
	}
	e.match("add_permission_invalid_statement_id", e.fail("AddPermission", add(name, M{"StatementId": "example.com"})))
	e.match("add_permission_fn_qualifier_mismatch", e.fail("AddPermission", add(fnArn(name, "$LATEST"), M{"Qualifier": "1"})))
	e.match("add_permission_fn_qualifier_latest", e.fail("AddPermission", add(name, M{"Qualifier": "$LATEST"})))
	e.match("add_permission_principal_invalid", e.fail("AddPermission", add(name, M{"Principal": "invalid.nonaws.org"})))
	e.match("get_policy_fn_doesnotexist", e.fail("GetPolicy", M{"FunctionName": "doesnotexist"}))
	e.match("get_policy_fn_version_doesnotexist", e.fail("GetPolicy", M{"FunctionName": name, "Qualifier": "88"}))
	e.match("add_permission_fn_doesnotexist", e.fail("AddPermission", add("doesnotexist", nil)))
	e.match("remove_permission_policy_doesnotexist", e.fail("RemovePermission", M{"FunctionName": name, "StatementId": "s3"}))
	e.match("add_permission_fn_alias_doesnotexist", e.fail("AddPermission", add(name, M{"Qualifier": "alias-doesnotexist"})))
	e.match("add_permission_fn_version_doesnotexist", e.fail("AddPermission", add(name, M{"Qualifier": "42"})))
	e.match("add_permission_fn_qualifier_invalid", e.fail("AddPermission", add(name, M{"Qualifier": "invalid-qualifier-with-?-char"})))
	e.match("add_permission_fn_qualifier_valid_doesnotexist", e.fail("AddPermission", add(name, M{"Qualifier": "valid-with-$-but-doesnotexist"})))
	e.ok("AddPermission", add(name, nil))
	e.match("add_permission_conflicting_statement_id", e.fail("AddPermission", add(name, nil)))
	e.match("remove_permission_fn_doesnotexist", e.fail("RemovePermission", M{"FunctionName": "doesnotexist", "StatementId": "s3"}))
	e.match("remove_permission_fn_alias_doesnotexist", e.fail("RemovePermission", M{"FunctionName": name, "StatementId": "s3", "Qualifier": "alias-doesnotexist"}))
}

func permissionVersioning(e *lambdaEnv) {
	name := fnName("test-fn")
	const alias = "permission-alias"
	e.create(name, nil)
	bucket := "arn:aws:s3:::test-bucket-" + shortUID()
	perm := func(sid, qualifier string, params M) M {
		p := M{"FunctionName": name, "Action": "lambda:InvokeFunction", "StatementId": sid, "Principal": "s3.amazonaws.com", "SourceArn": bucket}
		if qualifier != "" {
			p["Qualifier"] = qualifier
		}
		for k, v := range params {
			p[k] = v
		}
		return p
	}
	policy := func(qualifier string) M {
		p := M{"FunctionName": name}
		if qualifier != "" {
			p["Qualifier"] = qualifier
		}
		return p
	}
	e.match("add_permission", e.ok("AddPermission", perm("s3", "", nil)))
	e.match("get_policy", e.ok("GetPolicy", policy("")))
	e.match("publish_version_result", e.ok("PublishVersion", M{"FunctionName": name}))
	e.match("get_function_result_after_publishing", e.ok("GetFunction", M{"FunctionName": name}))
	e.match("get_policy_after_publishing_latest", e.ok("GetPolicy", policy("")))
	e.match("get_policy_after_publishing_new_version", e.fail("GetPolicy", policy("1")))
	e.ok("AddPermission", perm("s3", "1", nil))
	e.match("get_policy_version", e.ok("GetPolicy", policy("1")))
	a := e.ok("CreateAlias", M{"FunctionName": name, "Name": alias, "FunctionVersion": "1"})
	e.match("create_alias_response", a)
	e.match("get_alias", e.ok("GetAlias", M{"FunctionName": name, "Name": alias}))
	e.match("add_permission_alias_revision_exception", e.fail("AddPermission", perm("s3", alias, M{"RevisionId": a["RevisionId"]})))
	e.ok("AddPermission", perm("s3", alias, nil))
	e.match("get_policy_alias", e.ok("GetPolicy", policy(alias)))
	e.match("get_policy_after_adding_to_new_version", e.ok("GetPolicy", policy("")))
	e.ok("AddPermission", perm("s3_2", "", nil))
	e.match("get_policy_after_adding_2", e.ok("GetPolicy", policy("")))
}
