package conformance

import (
	"fmt"
	"strings"
	"testing"
)

const maxMessageSize = 1048576

func TestSQSConformance(t *testing.T) {
	t.Parallel()
	var cases []sqsCase
	for _, group := range [][]sqsCase{sendCases(), queueCases(), fifoCases(), receiveCases()} {
		cases = append(cases, group...)
	}
	runCases(t, "test_sqs", cases)
}

func msgAttr(v string) M { return M{"k": M{"DataType": "String", "StringValue": v}} }

func sendCases() []sqsCase {
	var cs []sqsCase
	add := func(c ...sqsCase) { cs = append(cs, c...) }
	add(both("TestSqsProvider::test_send_receive_max_number_of_messages", func(e *env) {
		e.snap.skip("$..Error.Detail")
		q := e.createQueue(nil)
		e.ok(e.c, "SendMessage", M{"QueueUrl": q, "MessageBody": "message"})
		e.match("send_max_number_of_messages", e.fail(e.c, "ReceiveMessage", M{"QueueUrl": q, "MaxNumberOfMessages": 11}))
	})...)
	add(both("TestSqsProvider::test_send_oversized_message", func(e *env) {
		e.snap.skip("$..Error.Detail")
		q := e.createQueue(nil)
		body := strings.Repeat("a", maxMessageSize-len("kStringx")+1)
		e.match("send_oversized_message", e.fail(e.c, "SendMessage", M{"QueueUrl": q, "MessageBody": body, "MessageAttributes": msgAttr("x")}))
	})...)
	add(both("TestSqsProvider::test_send_message_with_updated_maximum_message_size", func(e *env) {
		e.snap.skip("$..Error.Detail")
		q := e.createQueue(nil)
		e.ok(e.c, "SetQueueAttributes", M{"QueueUrl": q, "Attributes": M{"MaximumMessageSize": "1024"}})
		e.ok(e.c, "SendMessage", M{"QueueUrl": q, "MessageBody": strings.Repeat("a", 1024)})
		body := strings.Repeat("a", 1024-len("kStringx")+1)
		e.match("send_oversized_message", e.fail(e.c, "SendMessage", M{"QueueUrl": q, "MessageBody": body, "MessageAttributes": msgAttr("x")}))
	})...)
	add(both("TestSqsProvider::test_send_message_batch_with_oversized_contents", func(e *env) {
		e.snap.skip("$..Error.Detail")
		q := e.createQueue(nil)
		body := strings.Repeat("a", maxMessageSize-len("kStringx"))
		e.match("send_oversized_message_batch", e.fail(e.c, "SendMessageBatch", M{"QueueUrl": q, "Entries": []M{
			{"Id": "1", "MessageBody": body, "MessageAttributes": msgAttr("x")}, {"Id": "2", "MessageBody": "a"},
		}}))
	})...)
	add(both("TestSqsProvider::test_send_message_batch_with_oversized_contents_with_updated_maximum_message_size", func(e *env) {
		q := e.createQueue(nil)
		e.ok(e.c, "SetQueueAttributes", M{"QueueUrl": q, "Attributes": M{"MaximumMessageSize": "2048"}})
		body := strings.Repeat("a", 2048-len("kStringx"))
		e.match("send_oversized_message_batch", e.ok(e.c, "SendMessageBatch", M{"QueueUrl": q, "Entries": []M{
			{"Id": "1", "MessageBody": body, "MessageAttributes": msgAttr("x")}, {"Id": "2", "MessageBody": "a"},
		}}))
	})...)
	add(both("TestSqsProvider::test_too_many_entries_in_batch_request", func(e *env) {
		e.snap.skip("$..Error.Detail")
		q := e.createQueue(M{"QueueName": "queue-" + shortUID()})
		e.match("test_too_many_entries_in_batch_request", e.fail(e.c, "SendMessageBatch", M{"QueueUrl": q, "Entries": batchEntries(20)}))
	})...)
	add(both("TestSqsProvider::test_invalid_batch_id", func(e *env) {
		e.snap.skip("$..Error.Detail")
		q := e.createQueue(M{"QueueName": "queue-" + shortUID()})
		id := shortUID()
		e.match("test_invalid_batch_id", e.fail(e.c, "SendMessageBatch", M{"QueueUrl": q, "Entries": []M{{"Id": "message:" + id, "MessageBody": "messageBody-" + id}}}))
	})...)
	add(both("TestSqsProvider::test_send_batch_missing_deduplication_id_for_fifo_queue", func(e *env) {
		e.snap.skip("$..Error.Detail")
		q := e.createQueue(M{"QueueName": "queue-" + shortUID() + ".fifo", "Attributes": M{"FifoQueue": "true", "ContentBasedDeduplication": "false"}})
		e.match("test_missing_deduplication_id_for_fifo_queue", e.fail(e.c, "SendMessageBatch", M{"QueueUrl": q, "Entries": []M{
			{"Id": "message-" + shortUID(), "MessageBody": "messageBody", "MessageGroupId": "test-group", "MessageDeduplicationId": "dedup-" + shortUID()},
			{"Id": "message-" + shortUID(), "MessageBody": "messageBody", "MessageGroupId": "test-group"},
		}}))
	})...)
	add(both("TestSqsProvider::test_send_batch_missing_message_group_id_for_fifo_queue", func(e *env) {
		e.snap.skip("$..Error.Detail")
		q := e.createQueue(M{"QueueName": "queue-" + shortUID() + ".fifo", "Attributes": M{"FifoQueue": "true", "ContentBasedDeduplication": "false"}})
		e.match("test_missing_message_group_id_for_fifo_queue", e.fail(e.c, "SendMessageBatch", M{"QueueUrl": q, "Entries": []M{
			{"Id": "message-" + shortUID(), "MessageBody": "messageBody", "MessageGroupId": "test-group", "MessageDeduplicationId": "dedup-" + shortUID()},
			{"Id": "message-" + shortUID(), "MessageBody": "messageBody", "MessageDeduplicationId": "dedup-" + shortUID()},
		}}))
	})...)
	add(one("TestSqsProvider::test_send_batch_message_size", func(e *env) {
		e.snap.skip("$..Failed..Code", "$..Failed..Message")
		q := e.createQueue(M{"Attributes": M{"MaximumMessageSize": "1024"}})
		e.match("send-message-batch-result", e.ok(e.js, "SendMessageBatch", M{"QueueUrl": q, "Entries": []M{
			{"Id": "a4cff0d1-1961-44bd-ae53-c6d5ed71ed08", "MessageBody": strings.Repeat("a", 1024)},
			{"Id": "35b535ed-b76a-4ebd-b749-6eb35cdb55ee", "MessageBody": strings.Repeat("a", 1025)},
		}}))
	}))
	for _, p := range []struct{ id, v string }{{"", ""}, {"testLongIdtestLongIdtestLongIdtestLongIdtestLongIdtestLongIdtestLongIdtestLongIdtestLongIdtestLongId", "testLongIdtestLongIdtestLongIdtestLongIdtestLongIdtestLongIdtestLongIdtestLongIdtestLongIdtestLongId"}, {"invalid:id", "invalid:id"}} {
		run := func(e *env) {
			e.snap.dropErrorDetail()
			q := e.createQueue(M{"QueueName": "queue-" + shortUID()})
			e.match("error_response", e.fail(e.c, "DeleteMessageBatch", M{"QueueUrl": q, "Entries": []M{{"Id": p.v, "ReceiptHandle": "testHandle1"}}}))
		}
		add(sqsCase{id: "TestSqsProvider::test_delete_message_batch_invalid_msg_id[sqs-" + p.id + "]", proto: protoJSON, run: run},
			sqsCase{id: "TestSqsProvider::test_delete_message_batch_invalid_msg_id[sqs_query-" + p.id + "]", proto: protoQuery, run: run})
	}
	tooLarge := func(op string, entry func(i int, rh string) M) func(e *env) {
		return func(e *env) {
			e.snap.dropErrorDetail()
			q := e.createQueue(M{"QueueName": "queue-" + shortUID()})
			e.ok(e.c, "SendMessageBatch", M{"QueueUrl": q, "Entries": batchEntries(10)})
			e.ok(e.c, "SendMessageBatch", M{"QueueUrl": q, "Entries": batchEntries(10)})
			var entries []M
			for range 7 {
				r := e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q, "MaxNumberOfMessages": min(10, 20-len(entries))})
				for _, m := range messages(r) {
					entries = append(entries, entry(len(entries), m["ReceiptHandle"].(string)))
				}
				if len(entries) == 20 {
					break
				}
			}
			e.match("error_response", e.fail(e.c, op, M{"QueueUrl": q, "Entries": entries}))
		}
	}
	add(both("TestSqsProvider::test_delete_message_batch_with_too_large_batch", tooLarge("DeleteMessageBatch", func(i int, rh string) M {
		return M{"Id": fmt.Sprint(i), "ReceiptHandle": rh}
	}))...)
	add(both("TestSqsProvider::test_change_message_visibility_batch_with_too_large_batch", tooLarge("ChangeMessageVisibilityBatch", func(i int, rh string) M {
		return M{"Id": fmt.Sprint(i), "ReceiptHandle": rh, "VisibilityTimeout": 123}
	}))...)
	add(both("TestSqsProvider::test_send_message_with_binary_attributes", func(e *env) {
		q := e.createQueue(M{"QueueName": "queue-" + shortUID()})
		e.ok(e.c, "SendMessage", M{"QueueUrl": q, "MessageBody": "test", "MessageAttributes": M{"attr1": M{
			"BinaryValue": []byte("traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01"), "DataType": "Binary",
		}}})
		e.match("binary-attrs-msg", e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q, "MessageAttributeNames": []string{"All"}}))
	})...)
	add(both("TestSqsProvider::test_send_message_with_empty_string_attribute", func(e *env) {
		e.snap.skip("$..Error.Detail")
		q := e.createQueue(nil)
		e.match("empty-string-attr", e.fail(e.c, "SendMessage", M{"QueueUrl": q, "MessageBody": "test", "MessageAttributes": M{"ErrorDetails": M{"StringValue": "", "DataType": "String"}}}))
	})...)
	add(both("TestSqsProvider::test_send_empty_message", func(e *env) {
		e.snap.skip("$..Error.Detail")
		q := e.createQueue(nil)
		e.match("send_empty_message", e.fail(e.c, "SendMessage", M{"QueueUrl": q, "MessageBody": ""}))
	})...)
	for _, p := range []struct{ id, v string }{{"empty", ""}, {"too_long", strings.Repeat("a", 129)}, {"spaces", "group 123"}} {
		add(one("TestSqsProvider::test_send_message_to_standard_queue_with_invalid_message_group_id["+p.id+"]", func(e *env) {
			q := e.createQueue(nil)
			e.match("error-response", e.fail(e.js, "SendMessage", M{"QueueUrl": q, "MessageBody": "message", "MessageGroupId": p.v}))
		}))
		add(one("TestSqsProvider::test_message_deduplication_id_invalid["+p.id+"]", func(e *env) {
			q := e.createQueue(M{"QueueName": "queue-" + shortUID() + ".fifo", "Attributes": M{"FifoQueue": "true"}})
			e.match("error-response", e.fail(e.js, "SendMessage", M{"QueueUrl": q, "MessageBody": "Hello World!", "MessageGroupId": "test", "MessageDeduplicationId": p.v}))
		}))
	}
	add(one("TestSqsProvider::test_message_deduplication_id_success", func(e *env) {
		q := e.createQueue(M{"QueueName": "queue-" + shortUID() + ".fifo", "Attributes": M{"FifoQueue": "true"}})
		e.ok(e.js, "SendMessage", M{"QueueUrl": q, "MessageBody": "Hello World!", "MessageGroupId": "test", "MessageDeduplicationId": strings.Repeat("a", 128)})
	}))
	add(both("TestSqsProvider::test_aws_trace_header_propagation", func(e *env) {
		q := e.createQueue(nil)
		e.c.setHeader("X-Amzn-Trace-Id", "Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1")
		e.ok(e.c, "SendMessage", M{"QueueUrl": q, "MessageBody": "test", "MessageAttributes": M{"timestamp": M{"StringValue": "1493147359900", "DataType": "Number"}}})
		r := e.ok(e.c, "ReceiveMessage", M{
			"QueueUrl": q, "AttributeNames": []string{"SentTimestamp", "AWSTraceHeader"}, "MaxNumberOfMessages": 1,
			"MessageAttributeNames": []string{"All"}, "VisibilityTimeout": 2, "WaitTimeSeconds": 2,
		})
		e.match("xray-msg", messages(r)[0])
	})...)
	return cs
}

func batchEntries(n int) []M {
	out := make([]M, n)
	for i := range out {
		out[i] = M{"Id": fmt.Sprintf("message-%d", i), "MessageBody": fmt.Sprintf("messageBody-%d", i)}
	}
	return out
}
