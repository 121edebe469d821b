package conformance

import "fmt"

// moreCases are single-step exceptions of event source mappings, layers,
// revisions and SnapStart.
func moreCases() []lambdaCase {
	return []lambdaCase{
		oneLambda("TestLambdaEventSourceMappings::test_event_source_mapping_exceptions", func(e *lambdaEnv) {
			uuid := "5ee5e6d8-ab1b-4a3a-9d8c-1e3c2f8e9a10"
			e.match("get_unknown_uuid", e.fail("GetEventSourceMapping", M{"UUID": uuid}))
			e.match("delete_unknown_uuid", e.fail("DeleteEventSourceMapping", M{"UUID": uuid}))
			e.match("update_unknown_uuid", e.fail("UpdateEventSourceMapping", M{"UUID": uuid, "Enabled": true}))
			name := fnName("test-fn")
			e.create(name, nil)
			queue := e.queueArn()
			e.match("create_no_event_source_arn", e.fail("CreateEventSourceMapping", M{"FunctionName": name}))
			e.match("create_unknown_params", e.fail("CreateEventSourceMapping", M{"FunctionName": "doesnotexist", "EventSourceArn": queue}))
			e.match("destination_config_failure", e.fail("CreateEventSourceMapping", M{
				"FunctionName": name, "EventSourceArn": queue,
				"DestinationConfig": M{"OnFailure": M{"Destination": queue}},
			}))
		}),
		oneLambda("TestLambdaRevisions::test_function_revisions_permissions", func(e *lambdaEnv) {
			// This recording kept the raw HTTP headers, request id and
			// retry count of AWS's response, which no other server can
			// reproduce; the status code is still compared.
			e.snap.skip("$..ResponseMetadata.HTTPHeaders", "$..ResponseMetadata.RequestId", "$..ResponseMetadata.RetryAttempts")
			name := fnName("test-fn")
			e.create(name, nil)
			e.ok("AddPermission", M{"FunctionName": name, "Action": "lambda:InvokeFunction", "StatementId": "s1", "Principal": "s3.amazonaws.com"})
			e.match("add_permission_revision_exception", e.fail("AddPermission", M{
				"FunctionName": name, "Action": "lambda:InvokeFunction", "StatementId": "s2", "Principal": "s3.amazonaws.com",
				"RevisionId": "7b3a6f1e-0d4c-4f2a-9a51-3c2d1e0f9b87",
			}))
		}),
		oneLambda("TestLambdaLayer::test_layer_function_quota_exception", func(e *lambdaEnv) {
			layer := "testlayer-" + shortUID()
			var arns []string
			for i := range 6 {
				r := e.ok("PublishLayerVersion", M{"LayerName": layer, "Content": M{"ZipFile": e.zip(fmt.Sprint("layer", i))}})
				arns = append(arns, r["LayerVersionArn"].(string))
			}
			e.match("create_function_with_six_layers", e.fail("CreateFunction", e.createParams(fnName("test-fn"), M{"Layers": arns})))
		}),
		oneLambda("TestLambdaSnapStart::test_snapstart_exceptions", func(e *lambdaEnv) {
			e.match("create_function_invalid_snapstart_apply", e.fail("CreateFunction", e.createParams(fnName("test-fn"), M{
				"Runtime": "python3.12", "SnapStart": M{"ApplyOn": "invalidOption"},
			})))
		}),
	}
}

// queueArn creates an SQS queue and returns its ARN.
func (e *lambdaEnv) queueArn() string {
	e.t.Helper()
	sqs := newJSONClient(e.srv.AWSConfigFor(accessKey, "secret", region))
	r, err := sqs.call(e.t.Context(), "CreateQueue", M{"QueueName": "test-queue-" + shortUID()})
	if err != nil {
		e.t.Fatal(err)
	}
	url, _ := r["QueueUrl"].(string)
	r, err = sqs.call(e.t.Context(), "GetQueueAttributes", M{"QueueUrl": url, "AttributeNames": []string{"QueueArn"}})
	if err != nil {
		e.t.Fatal(err)
	}
	return r["Attributes"].(M)["QueueArn"].(string)
}

// commonCases are test_lambda.py's recorded API cases.
func commonCases() []lambdaCase {
	return []lambdaCase{
		oneLambda("TestLambdaConcurrency::test_lambda_concurrency_crud", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.create(name, nil)
			e.match("get_function_concurrency_default", e.ok("GetFunctionConcurrency", M{"FunctionName": name}))
			e.match("put_function_concurrency", e.ok("PutFunctionConcurrency", M{"FunctionName": name, "ReservedConcurrentExecutions": 0}))
			e.match("get_function_concurrency_updated", e.ok("GetFunctionConcurrency", M{"FunctionName": name}))
			e.ok("DeleteFunctionConcurrency", M{"FunctionName": name})
			e.match("get_function_concurrency_deleted", e.ok("GetFunctionConcurrency", M{"FunctionName": name}))
		}),
		oneLambda("TestLambdaConcurrency::test_lambda_concurrency_update", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.create(name, nil)
			e.match("put_function_concurrency", e.ok("PutFunctionConcurrency", M{"FunctionName": name, "ReservedConcurrentExecutions": 3}))
			e.match("get_function_concurrency_updated", e.ok("GetFunctionConcurrency", M{"FunctionName": name}))
			e.match("get_function_concurrency_info", e.ok("GetFunction", M{"FunctionName": name}))
			e.ok("DeleteFunctionConcurrency", M{"FunctionName": name})
			e.match("get_function_concurrency_deleted", e.ok("GetFunctionConcurrency", M{"FunctionName": name}))
		}),
		oneLambda("TestLambdaFeatures::test_invoke_exceptions", func(e *lambdaEnv) {
			e.match("invoke_function_doesnotexist", e.fail("Invoke", M{"FunctionName": "doesnotexist"}))
		}),
	}
}
