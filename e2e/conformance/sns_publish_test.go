package conformance

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestPublishCrud(t *testing.T) {
	t.Parallel()
	cases := []snsCase{
		oneSNS("TestSNSPublishCrud::test_publish_wrong_arn_format", func(e *snsEnv) {
			msg := "Good news everyone!"
			e.match("invalid-topic-arn", e.fail(e.sns, "Publish", M{"Message": msg, "TopicArn": "randomstring"}))
			e.match("invalid-topic-arn-1", e.fail(e.sns, "Publish", M{"Message": msg, "TopicArn": "randomstring:1"}))
			e.match("empty-topic", e.fail(e.sns, "Publish", M{"Message": msg, "TopicArn": ""}))
		}),
		oneSNS("TestSNSPublishCrud::test_publish_message_by_target_arn", func(e *snsEnv) {
			arn := e.createTopic(nil)
			q := e.createQueue(nil)
			e.subscribe(arn, q, nil)
			e.ok(e.sns, "Publish", M{"TopicArn": arn, "Message": "test-msg-1"})
			e.match("receive-topic-arn", e.receive(q, 1, M{"MessageAttributeNames": []string{"All"}}))
			e.ok(e.sns, "Publish", M{"TargetArn": arn, "Message": "test-msg-2"})
			e.match("receive-target-arn", e.receive(q, 1, M{"MessageAttributeNames": []string{"All"}}))
		}),
		oneSNS("TestSNSPublishCrud::test_publish_message_before_subscribe_topic", func(e *snsEnv) {
			arn := e.createTopic(nil)
			q := e.createQueue(nil)
			e.match("publish-before-subscribing", e.ok(e.sns, "Publish", M{"TopicArn": arn, "Subject": "test-subject-before-sub", "Message": "test_message_before"}))
			e.subscribe(arn, q, nil)
			e.match("publish-after-subscribing", e.ok(e.sns, "Publish", M{"TopicArn": arn, "Subject": "test-subject-after-sub", "Message": "test_message_after"}))
			e.match("receive-messages", e.receive(q, 1, nil))
		}),
		oneSNS("TestSNSPublishCrud::test_unknown_topic_publish", func(e *snsEnv) {
			arn := e.createTopic(nil)
			msg := "This is a test message"
			e.match("success", e.ok(e.sns, "Publish", M{"TopicArn": arn, "Message": msg}))
			e.match("error", e.fail(e.sns, "Publish", M{"TopicArn": arn + "-fake", "Message": msg}))
		}),
		oneSNS("TestSNSPublishCrud::test_publish_non_existent_target", func(e *snsEnv) {
			e.createTopic(nil)
			e.match("non-existent-endpoint", e.fail(e.sns, "Publish", M{"TargetArn": "arn:aws:sns:us-east-1:" + account + ":endpoint/APNS/abcdef/0f7d5971-aa8b-4bd5-b585-0826e9f93a66", "Message": "This is a push notification"}))
		}),
		oneSNS("TestSNSPublishCrud::test_publish_with_empty_subject", func(e *snsEnv) {
			arn := e.createTopic(nil)
			body := `{"message": "test_publish"}`
			e.match("response-without-subject", e.ok(e.sns, "Publish", M{"TopicArn": arn, "Message": body}))
			e.match("response-with-empty-subject", e.fail(e.sns, "Publish", M{"TopicArn": arn, "Subject": "", "Message": body}))
		}),
		oneSNS("TestSNSPublishCrud::test_empty_sns_message", func(e *snsEnv) {
			arn := e.createTopic(nil)
			q := e.createQueue(nil)
			e.subscribe(arn, q, nil)
			e.match("empty-msg-error", e.fail(e.sns, "Publish", M{"Message": "", "TopicArn": arn}))
			e.match("queue-attrs", e.ok(e.sqs, "GetQueueAttributes", M{"QueueUrl": q, "AttributeNames": []string{"ApproximateNumberOfMessages"}}))
		}),
		oneSNS("TestSNSPublishCrud::test_publish_too_long_message", func(e *snsEnv) {
			arn := e.createTopic(nil)
			e.match("error", e.fail(e.sns, "Publish", M{"TopicArn": arn, "Message": strings.Repeat("This is a test message", 12000)}))
			attrs := M{"attr1": M{"DataType": "Number", "StringValue": "1"}}
			msg := strings.Repeat("a", 262144-len("attr1Number1")+1)
			e.match("error-with-attrs", e.fail(e.sns, "Publish", M{"TopicArn": arn, "Message": msg, "MessageAttributes": attrs}))
			e.ok(e.sns, "Publish", M{"TopicArn": arn, "Message": msg[1:], "MessageAttributes": attrs})
		}),
		oneSNS("TestSNSPublishCrud::test_publish_batch_too_long_message", func(e *snsEnv) {
			arn := e.createTopic(nil)
			const limit = 262144
			e.match("error-no-attrs", e.fail(e.sns, "PublishBatch", M{"TopicArn": arn, "PublishBatchRequestEntries": []M{
				{"Id": "1", "Message": strings.Repeat("a", limit/2)}, {"Id": "2", "Message": strings.Repeat("b", 1+limit/2)},
			}}))
			attrs := M{"attr1": M{"DataType": "Number", "StringValue": "1"}}
			msg := strings.Repeat("a", limit-len("attr1Number1"))
			e.match("error-with-attrs", e.fail(e.sns, "PublishBatch", M{"TopicArn": arn, "PublishBatchRequestEntries": []M{
				{"Id": "1", "Message": msg, "MessageAttributes": attrs}, {"Id": "2", "Message": "b"},
			}}))
			e.ok(e.sns, "PublishBatch", M{"TopicArn": arn, "PublishBatchRequestEntries": []M{
				{"Id": "1", "Message": msg[1:], "MessageAttributes": attrs}, {"Id": "2", "Message": "b"},
			}})
		}),
		oneSNS("TestSNSPublishCrud::test_publish_batch_invalid_entry_id", func(e *snsEnv) {
			arn := e.createTopic(nil)
			batch := func(id string) M {
				return M{"TopicArn": arn, "PublishBatchRequestEntries": []M{{"Id": id, "Message": "test message"}}}
			}
			e.match("invalid-char-dot", e.fail(e.sns, "PublishBatch", batch("message.id")))
			e.match("invalid-char-special", e.fail(e.sns, "PublishBatch", batch("msg@123#test")))
			e.match("id-too-long-81", e.fail(e.sns, "PublishBatch", batch(strings.Repeat("a", 81))))
			e.match("id-too-long-91", e.fail(e.sns, "PublishBatch", batch("myreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreallylongid")))
			e.match("valid-id-80-chars", e.ok(e.sns, "PublishBatch", batch(strings.Repeat("a", 80))))
			e.match("valid-id-with-hyphen-underscore", e.ok(e.sns, "PublishBatch", batch("valid-message_123")))
		}),
		oneSNS("TestSNSPublishCrud::test_message_structure_json_exc", func(e *snsEnv) {
			arn := e.createTopic(nil)
			pub := func(m string) M {
				return e.call(e.sns, "Publish", M{"TopicArn": arn, "Message": m, "MessageStructure": "json"})
			}
			b, _ := json.Marshal(M{"sqs": "Test message"})
			e.match("missing-default-key", pub(string(b)))
			e.match("invalid-json", pub(`{"default": "This is a default message"} }`))
			e.match("duplicate-json-keys", pub(`{"default": "This is a default message", "default": "Duplicate"}`))
			e.match("key-is-not-string", pub(`{"default": {"object": "test"}}`))
		}),
	}
	runSNSCases(t, "test_sns", cases)
}
