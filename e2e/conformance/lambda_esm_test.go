package conformance

import "testing"

// esmAPI is what the API cases of test_lambda_integration_sqs.py need
// of its fixture: the mapping's UUID as <uuid:N>, registered before the
// ARNs that contain it, and resource_name(); its timestamps were recorded
// as "<datetime>". (The fixture's SQS message transformers do not apply.)
func esmAPI(s *snapshot) {
	s.keyValue("UUID", "uuid")
	s.keyValueFn(0, resourceName, "resource")
	s.replaceValueIf(0, func(v any) bool { return v == "datetime" }, "<datetime>")
}

// TestLambdaSQSEventSourceMapping replays the API cases of
// event_source_mapping/test_lambda_integration_sqs.py.
func TestLambdaSQSEventSourceMapping(t *testing.T) {
	t.Parallel()
	runLambdaCases(t, "event_source_mapping/test_lambda_integration_sqs", esmAPI, esmCases())
}

func esmCases() []lambdaCase {
	cs := []lambdaCase{
		oneLambda("TestSQSEventSourceMapping::test_duplicate_event_source_mappings", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.create(name, nil)
			queue := e.queueArn()
			esm := M{"FunctionName": name, "EventSourceArn": queue}
			e.match("create", e.ok("CreateEventSourceMapping", esm))
			e.match("error", e.fail("CreateEventSourceMapping", esm))
		}),
		oneLambda("test_esm_with_not_existing_sqs_queue", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.create(name, nil)
			queue := "arn:aws:sqs:" + region + ":" + account + ":not-existing-queue-" + shortUID()
			e.match("error", e.fail("CreateEventSourceMapping", M{"FunctionName": name, "EventSourceArn": queue}))
		}),
		oneLambda("TestSQSEventSourceMapping::test_event_source_mapping_default_batch_size", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.create(name, nil)
			queue := e.queueArn()
			r := e.ok("CreateEventSourceMapping", M{"FunctionName": name, "EventSourceArn": queue})
			e.match("create-event-source-mapping", r)
			e.match("invalid-update-event-source-mapping", e.fail("UpdateEventSourceMapping", M{"UUID": r["UUID"], "BatchSize": 1000}))
			e.match("invalid-create-event-source-mapping", e.fail("CreateEventSourceMapping", M{"FunctionName": name, "EventSourceArn": e.queueArn(), "BatchSize": 1000}))
		}),
	}
	// The test sends json.dumps(filter) as the pattern.
	for id, pattern := range map[string]string{"None": "null", "simple string": `"simple string"`} {
		cs = append(cs, oneLambda("TestSQSEventSourceMapping::test_sqs_invalid_event_filter["+id+"]", func(e *lambdaEnv) {
			name := fnName("test-fn")
			e.create(name, nil)
			e.match("create_event_source_mapping_exception", e.fail("CreateEventSourceMapping", M{
				"FunctionName": name, "EventSourceArn": e.queueArn(),
				"FilterCriteria": M{"Filters": []M{{"Pattern": pattern}}},
			}))
		}))
	}
	return cs
}
