package conformance

import (
	"encoding/json"
	"time"

	"github.com/stretchr/testify/require"
)

func fifoQueue(e *env, attrs M) string {
	return e.createQueue(M{"QueueName": "queue-" + shortUID() + ".fifo", "Attributes": attrs})
}

func fifoCases() []sqsCase {
	var cs []sqsCase
	add := func(c ...sqsCase) { cs = append(cs, c...) }
	add(both("TestSqsProvider::test_fifo_empty_message_groups_added_back_to_queue", func(e *env) {
		q := fifoQueue(e, M{"FifoQueue": "True"})
		e.ok(e.c, "SendMessage", M{"QueueUrl": q, "MessageDeduplicationId": "1", "MessageGroupId": "g1", "MessageBody": "Message 1"})
		r := e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q})
		e.match("inital-fifo-receive", r)
		e.ok(e.c, "DeleteMessage", M{"QueueUrl": q, "ReceiptHandle": e.receipt(r, 0)})
		e.match("empty-fifo-receive", e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q}))
		e.ok(e.c, "SendMessage", M{"QueueUrl": q, "MessageDeduplicationId": "2", "MessageGroupId": "g1", "MessageBody": "Message 2"})
		e.match("final-fifo-receive", e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q}))
	})...)
	add(both("TestSqsProvider::test_fifo_queue_send_message_with_delay_seconds_fails", func(e *env) {
		e.snap.skip("$..Error.Detail")
		q := fifoQueue(e, M{"FifoQueue": "true", "ContentBasedDeduplication": "true"})
		e.match("send_message", e.fail(e.c, "SendMessage", M{"QueueUrl": q, "MessageBody": "message-1", "MessageGroupId": "1", "DelaySeconds": 2}))
	})...)
	add(both("TestSqsProvider::test_fifo_message_attributes", func(e *env) {
		q := fifoQueue(e, M{"FifoQueue": "true", "ContentBasedDeduplication": "true", "VisibilityTimeout": "0", "DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"})
		e.match("send_message", e.ok(e.c, "SendMessage", M{"QueueUrl": q, "MessageBody": "message-body-1", "MessageGroupId": "group-1", "MessageDeduplicationId": "dedup-1"}))
		e.match("receive_message_0", e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q, "AttributeNames": []string{"All"}, "WaitTimeSeconds": 2}))
		e.match("receive_message_1", e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q, "AttributeNames": []string{"All"}, "WaitTimeSeconds": 2}))
	})...)
	for _, cbd := range []bool{true, false} {
		suffix := "-True]"
		if !cbd {
			suffix = "-False]"
		}
		setup := func(e *env) (string, M) {
			attrs := M{"FifoQueue": "true"}
			if cbd {
				attrs["ContentBasedDeduplication"] = "true"
			}
			q := e.createQueue(M{"QueueName": "test-queue-" + shortUID() + ".fifo", "Attributes": attrs})
			extra := M{}
			if !cbd {
				extra["MessageDeduplicationId"] = "dedup1"
			}
			return q, extra
		}
		send := func(e *env, q, group string, extra M) {
			p := M{"QueueUrl": q, "MessageBody": `{"foo": "bar"}`, "MessageGroupId": group}
			for k, v := range extra {
				p[k] = v
			}
			e.ok(e.c, "SendMessage", p)
		}
		afterDelete := func(e *env) {
			q, extra := setup(e)
			send(e, q, "group-1", extra)
			r := e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q, "WaitTimeSeconds": 2})
			e.match("get-messages", r)
			e.ok(e.c, "DeleteMessage", M{"QueueUrl": q, "ReceiptHandle": e.receipt(r, 0)})
			send(e, q, "group-1", extra)
			r = e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q, "WaitTimeSeconds": 1})
			require.Empty(e.t, messages(r))
			e.match("get-messages-duplicate", r)
		}
		notOnGroup := func(e *env) {
			q, extra := setup(e)
			send(e, q, "group-1", extra)
			send(e, q, "group-2", extra)
			r := e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q, "MaxNumberOfMessages": 1, "WaitTimeSeconds": 2})
			require.Len(e.t, messages(r), 1)
			e.match("get-messages", r)
			r = e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q, "MaxNumberOfMessages": 1, "WaitTimeSeconds": 1})
			require.Empty(e.t, messages(r))
			e.match("get-dedup-messages", r)
		}
		for _, p := range []struct {
			proto protocol
			name  string
		}{{protoJSON, "sqs"}, {protoQuery, "sqs_query"}} {
			add(sqsCase{id: "TestSqsProvider::test_fifo_deduplication_arrives_once_after_delete[" + p.name + suffix, proto: p.proto, run: afterDelete},
				sqsCase{id: "TestSqsProvider::test_fifo_deduplication_not_on_message_group_id[" + p.name + suffix, proto: p.proto, run: notOnGroup})
		}
	}
	add(both("TestSqsProvider::test_posting_to_fifo_requires_deduplicationid_group_id", func(e *env) {
		e.snap.skip("$..Error.Detail")
		q := e.createQueue(M{"QueueName": "queue-" + shortUID() + ".fifo", "Attributes": M{"FifoQueue": "true"}})
		body := "test" + shortUID()
		for _, c := range []struct {
			suffix string
			cl     caller
		}{{"", e.c}, {"-query", e.js}} {
			e.match("invalid-parameter-value"+c.suffix, e.fail(c.cl, "SendMessage", M{"QueueUrl": q, "MessageBody": body, "MessageGroupId": "fifo_group-" + shortUID()}))
			e.match("missing-parameter"+c.suffix, e.fail(c.cl, "SendMessage", M{"QueueUrl": q, "MessageBody": body, "MessageDeduplicationId": "fifo_dedup-" + shortUID()}))
		}
	})...)
	sendRecv := func(e *env, q, body, group, dedup string, key string, recv M) M {
		p := M{"QueueUrl": q, "MessageBody": body, "MessageGroupId": group}
		if dedup != "" {
			p["MessageDeduplicationId"] = dedup
		}
		e.ok(e.c, "SendMessage", p)
		if recv == nil {
			recv = M{}
		}
		recv["QueueUrl"] = q
		r := e.ok(e.c, "ReceiveMessage", recv)
		e.match(key, r)
		return r
	}
	add(both("TestSqsProvider::test_sqs_fifo_same_dedup_id_different_message_groups", func(e *env) {
		q := fifoQueue(e, M{"FifoQueue": "True", "ContentBasedDeduplication": "False"})
		r := sendRecv(e, q, "Test", "group1", "same-dedup", "same-dedup-different-grp-1", nil)
		e.ok(e.c, "DeleteMessage", M{"QueueUrl": q, "ReceiptHandle": e.receipt(r, 0)})
		sendRecv(e, q, "Test", "group2", "same-dedup", "same-dedup-different-grp-2", nil)
	})...)
	add(both("TestSqsProvider::test_fifo_high_throughput_ordering", func(e *env) {
		q := fifoQueue(e, M{"FifoQueue": "True", "ContentBasedDeduplication": "False", "DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"})
		r := sendRecv(e, q, "Test1", "group1", "same-dedup", "same-dedup-different-grp-1", nil)
		e.ok(e.c, "DeleteMessage", M{"QueueUrl": q, "ReceiptHandle": e.receipt(r, 0)})
		sendRecv(e, q, "Test2", "group2", "same-dedup", "same-dedup-different-grp-2", nil)
	})...)
	add(both("TestSqsProvider::test_sqs_fifo_message_group_scope_no_throughput_setting", func(e *env) {
		q := fifoQueue(e, M{"FifoQueue": "True", "ContentBasedDeduplication": "True", "DeduplicationScope": "messageGroup"})
		r := sendRecv(e, q, "Test", "group1", "", "same-dedup-different-grp-1", nil)
		e.ok(e.c, "DeleteMessage", M{"QueueUrl": q, "ReceiptHandle": e.receipt(r, 0)})
		sendRecv(e, q, "Test", "group2", "", "same-dedup-different-grp-2", nil)
	})...)
	add(gap("right after DeduplicationScope switches from queue to messageGroup, AWS still deduplicates across groups (even ids first seen after the switch); fogbank applies the new scope at once", both("TestSqsProvider::test_fifo_change_to_high_throughput_after_creation", func(e *env) {
		q := fifoQueue(e, M{"FifoQueue": "True", "ContentBasedDeduplication": "False", "DeduplicationScope": "queue"})
		r := sendRecv(e, q, "Test1", "group1", "same-dedup", "same-dedup-different-grp-1", nil)
		e.ok(e.c, "DeleteMessage", M{"QueueUrl": q, "ReceiptHandle": e.receipt(r, 0)})
		sendRecv(e, q, "Test2", "group2", "same-dedup", "same-dedup-different-grp-2", M{"VisibilityTimeout": 0})
		e.ok(e.c, "SetQueueAttributes", M{"QueueUrl": q, "Attributes": M{"DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"}})
		e.match("set-to-high-throughput", e.ok(e.c, "GetQueueAttributes", M{"QueueUrl": q, "AttributeNames": []string{"All"}}))
		e.match("same-dedup-different-grp-high-throughput", e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q}))
		sendRecv(e, q, "Test3", "group3", "same-dedup", "same-dedup-different-grp-high-throughput-2", nil)
		r = sendRecv(e, q, "Test4", "group4", "dedup_2", "new-dedup2-high-throughput", nil)
		e.ok(e.c, "DeleteMessage", M{"QueueUrl": q, "ReceiptHandle": e.receipt(r, 0)})
		sendRecv(e, q, "Test5", "group5", "dedup_2", "same-dedup2-high-throughput", nil)
	})...)...)
	add(both("TestSqsProvider::test_fifo_change_to_regular_throughput_after_creation", func(e *env) {
		q := fifoQueue(e, M{"FifoQueue": "True", "ContentBasedDeduplication": "False", "DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"})
		r := sendRecv(e, q, "Test1", "group1", "same-dedup", "same-dedup-different-grp-1", nil)
		e.ok(e.c, "DeleteMessage", M{"QueueUrl": q, "ReceiptHandle": e.receipt(r, 0)})
		r = sendRecv(e, q, "Test2", "group2", "same-dedup", "same-dedup-different-grp-2", nil)
		e.ok(e.c, "DeleteMessage", M{"QueueUrl": q, "ReceiptHandle": e.receipt(r, 0)})
		e.ok(e.c, "SetQueueAttributes", M{"QueueUrl": q, "Attributes": M{"DeduplicationScope": "queue", "FifoThroughputLimit": "perQueue"}})
		e.match("set-to-regular-throughput", e.ok(e.c, "GetQueueAttributes", M{"QueueUrl": q, "AttributeNames": []string{"All"}}))
		sendRecv(e, q, "Test3", "group3", "same-dedup", "same-dedup-different-grp-regular-throughput", nil)
	})...)
	add(both("TestSqsProvider::test_dead_letter_queue_with_fifo_and_content_based_deduplication", func(e *env) {
		dlq := e.createQueue(M{"QueueName": "test-dlq-" + shortUID() + ".fifo", "Attributes": M{"FifoQueue": "true", "ContentBasedDeduplication": "true", "MessageRetentionPeriod": "1209600"}})
		policy, _ := json.Marshal(M{"deadLetterTargetArn": e.queueArn(dlq), "maxReceiveCount": 2})
		q := e.createQueue(M{"QueueName": "test-queue-" + shortUID() + ".fifo", "Attributes": M{"FifoQueue": "true", "ContentBasedDeduplication": "true", "VisibilityTimeout": "60", "RedrivePolicy": string(policy)}})
		id1 := e.ok(e.c, "SendMessage", M{"QueueUrl": q, "MessageBody": "foobar", "MessageGroupId": "1"})["MessageId"]
		for range 3 {
			e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q, "WaitTimeSeconds": 1, "VisibilityTimeout": 0})
		}
		ms := messages(e.ok(e.c, "ReceiveMessage", M{"QueueUrl": dlq, "WaitTimeSeconds": 2}))
		require.Len(e.t, ms, 1)
		require.Equal(e.t, id1, ms[0]["MessageId"])
		require.Equal(e.t, "foobar", ms[0]["Body"])
		id2 := e.ok(e.c, "SendMessage", M{"QueueUrl": q, "MessageBody": "foobar2", "MessageGroupId": "1"})["MessageId"]
		ms = messages(e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q, "WaitTimeSeconds": 1}))
		require.NotEmpty(e.t, ms)
		require.Equal(e.t, id2, ms[0]["MessageId"])
	})...)
	add(both("TestSqsProvider::test_fifo_delete_after_visibility_timeout", func(e *env) {
		e.snap.skip("$..Error.Detail")
		q := e.createQueue(M{"QueueName": "test-" + shortUID() + ".fifo", "Attributes": M{"VisibilityTimeout": "1", "FifoQueue": "True", "ContentBasedDeduplication": "True"}})
		e.ok(e.c, "SendMessage", M{"QueueUrl": q, "MessageBody": "foobar", "MessageGroupId": "1"})
		r := e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q, "WaitTimeSeconds": 2})
		e.match("received_sqs_message", r)
		time.Sleep(time.Second) // the recorded test waits out the 1 s visibility timeout
		e.match("delete_after_timeout_fifo", e.fail(e.c, "DeleteMessage", M{"QueueUrl": q, "ReceiptHandle": e.receipt(r, 0)}))
	})...)
	add(both("TestSqsProvider::test_fifo_delete_after_visibility_timeout_extended", func(e *env) {
		q := e.createQueue(M{"QueueName": "test-" + shortUID() + ".fifo", "Attributes": M{"VisibilityTimeout": "1", "FifoQueue": "True", "ContentBasedDeduplication": "True"}})
		e.ok(e.c, "SendMessage", M{"QueueUrl": q, "MessageBody": "foobar", "MessageGroupId": "1"})
		r := e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q, "WaitTimeSeconds": 2})
		e.match("received_sqs_message", r)
		e.ok(e.c, "ChangeMessageVisibility", M{"QueueUrl": q, "ReceiptHandle": e.receipt(r, 0), "VisibilityTimeout": 5})
		time.Sleep(1500 * time.Millisecond) // past the original timeout, inside the extended one
		e.ok(e.c, "DeleteMessage", M{"QueueUrl": q, "ReceiptHandle": e.receipt(r, 0)})
		e.match("delete_after_timeout_fifo_extended", e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q}))
	})...)
	add(both("TestSqsProvider::test_fair_queue_with_message_group_id", func(e *env) {
		q := e.createQueue(nil)
		e.match("send_message", e.ok(e.c, "SendMessage", M{"QueueUrl": q, "MessageBody": "message", "MessageGroupId": "test"}))
		e.match("get-message-with-deduplication-id", e.ok(e.c, "ReceiveMessage", M{"QueueUrl": q, "WaitTimeSeconds": 2, "AttributeNames": []string{"All"}}))
	})...)
	return cs
}
