package conformance

import (
	"sort"
	"testing"
)

func TestSubscriptionSQS(t *testing.T) {
	t.Parallel()
	recv := M{"MessageAttributeNames": []string{"All"}}
	cases := []snsCase{
		oneSNS("TestSNSSubscriptionSQS::test_subscribe_sqs_queue", func(e *snsEnv) {
			arn := e.createTopic(nil)
			q := e.createQueue(nil)
			sub := e.subscribe(arn, q, nil)
			e.ok(e.sns, "SetSubscriptionAttributes", M{"SubscriptionArn": sub, "AttributeName": "FilterPolicy", "AttributeValue": `{"attr1": [{"numeric": [">", 0, "<=", 100]}]}`})
			e.match("subscription-attributes", e.ok(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": sub}))
			e.ok(e.sns, "Publish", M{"TopicArn": arn, "Message": "This is a test message", "MessageAttributes": M{"attr1": M{"DataType": "Number", "StringValue": "99.12"}}})
			e.match("messages", e.receive(q, 1, recv))
		}),
		oneSNS("TestSNSSubscriptionSQS::test_publish_unicode_chars", func(e *snsEnv) {
			arn := e.createTopic(nil)
			q := e.createQueue(nil)
			e.subscribe(arn, q, nil)
			e.ok(e.sns, "Publish", M{"TopicArn": arn, "Message": `ö§a1"_!?,. £$-`})
			e.match("received-message", e.receive(q, 1, nil))
		}),
		oneSNS("TestSNSSubscriptionSQS::test_attribute_raw_subscribe", func(e *snsEnv) {
			e.snap.literal("MD5OfMessageAttributes", "<md5-hash>")
			arn := e.createTopic(nil)
			q := e.createQueue(nil)
			sub := e.subscribe(arn, q, map[string]string{"RawMessageDelivery": "true"})
			e.match("subscription-attributes", e.ok(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": sub}))
			e.ok(e.sns, "Publish", M{"TopicArn": arn, "Message": "This is a test message", "MessageAttributes": M{"store": M{"DataType": "Binary", "BinaryValue": []byte{2, 3, 4}}}})
			e.match("messages-response", e.receive(q, 1, recv))
		}),
		oneSNS("TestSNSSubscriptionSQS::test_sqs_topic_subscription_confirmation", func(e *snsEnv) {
			arn := e.createTopic(nil)
			sub := e.subscribe(arn, e.createQueue(nil), nil)
			e.match("subscription-attrs", e.ok(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": sub})["Attributes"])
		}),
		oneSNS("TestSNSSubscriptionSQS::test_publish_sqs_from_sns", func(e *snsEnv) {
			arn := e.createTopic(nil)
			q := e.createQueue(nil)
			sub := e.subscribe(arn, q, nil)
			e.ok(e.sns, "SetSubscriptionAttributes", M{"SubscriptionArn": sub, "AttributeName": "RawMessageDelivery", "AttributeValue": "true"})
			e.match("sub-attrs-raw-true", e.ok(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": sub}))
			e.ok(e.sns, "Publish", M{"TopicArn": arn, "Message": "Test msg", "MessageAttributes": M{"attr1": M{"DataType": "Number", "StringValue": "99.12"}}})
			e.match("message-raw-true", e.receive(q, 1, recv))
			e.ok(e.sns, "SetSubscriptionAttributes", M{"SubscriptionArn": sub, "AttributeName": "RawMessageDelivery", "AttributeValue": "false"})
			e.match("sub-attrs-raw-false", e.ok(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": sub}))
			e.ok(e.sns, "Publish", M{"TargetArn": arn, "Message": "Test msg", "MessageAttributes": M{"attr1": M{"DataType": "Number", "StringValue": "100.12"}}})
			e.match("message-raw-false", e.receive(q, 1, recv))
		}),
		oneSNS("TestSNSSubscriptionSQS::test_publish_batch_messages_from_sns_to_sqs", func(e *snsEnv) {
			arn := e.createTopic(nil)
			q := e.createQueue(nil)
			sub := e.subscribe(arn, q, nil)
			e.ok(e.sns, "SetSubscriptionAttributes", M{"SubscriptionArn": sub, "AttributeName": "RawMessageDelivery", "AttributeValue": "true"})
			e.match("sub-attrs-raw-true", e.ok(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": sub}))
			e.match("publish-batch", e.ok(e.sns, "PublishBatch", M{"TopicArn": arn, "PublishBatchRequestEntries": []M{
				{"Id": "1", "Message": "Test Message with two attributes", "Subject": "Subject", "MessageAttributes": M{
					"attr1": M{"DataType": "Number", "StringValue": "99.12"}, "attr2": M{"DataType": "Number", "StringValue": "109.12"},
				}},
				{"Id": "2", "Message": "Test Message with one attribute", "Subject": "Subject", "MessageAttributes": M{"attr1": M{"DataType": "Number", "StringValue": "19.12"}}},
				{"Id": "3", "Message": "Test Message without attribute", "Subject": "Subject"},
				{"Id": "4", "Message": "Test Message without subject"},
				{"Id": "5", "Message": `{"default": "test default", "sqs": "test sqs"}`, "MessageStructure": "json"},
			}}))
			msgs := e.receive(q, 5, M{"MessageAttributeNames": []string{"All"}, "AttributeNames": []string{"All"}})["Messages"].([]any)
			sort.Slice(msgs, func(i, j int) bool { return msgs[i].(M)["Body"].(string) < msgs[j].(M)["Body"].(string) })
			e.match("messages", M{"Messages": msgs})
			arn2 := e.createTopic(nil)
			e.fail(e.sns, "PublishBatch", M{"TopicArn": arn2 + "fake-topic", "PublishBatchRequestEntries": []M{{"Id": "1", "Message": "Test Message with two attributes", "Subject": "Subject"}}})
		}),
		oneSNS("TestSNSSubscriptionSQS::test_publish_batch_exceptions", func(e *snsEnv) {
			arn := e.createTopic(M{"Name": "topic-" + shortUID() + ".fifo", "Attributes": map[string]string{"FifoTopic": "true"}})
			batch := func(es []M) M {
				return e.fail(e.sns, "PublishBatch", M{"TopicArn": arn, "PublishBatchRequestEntries": es})
			}
			e.match("no-group-id", batch([]M{{"Id": "1", "Message": "Test message without Group ID"}}))
			var many []M
			for i := range 11 {
				many = append(many, M{"Id": "Id_" + string(rune('a'+i)), "Message": "Too many messages"})
			}
			e.match("too-many-msg", batch(many))
			e.match("same-msg-id", batch([]M{{"Id": "1", "Message": "Messages with the same ID"}, {"Id": "1", "Message": "Messages with the same ID"}}))
			e.match("no-dedup-id", batch([]M{{"Id": "1", "Message": "Test message without MessageDeduplicationId", "MessageGroupId": "msg1"}}))
			e.match("no-default-key-json", batch([]M{{"Id": "1", "Message": `{"sqs": "test sqs"}`, "MessageStructure": "json"}}))
		}),
		oneSNS("TestSNSSubscriptionSQS::test_subscribe_to_sqs_with_queue_url", func(e *snsEnv) {
			arn := e.createTopic(nil)
			e.match("sub-queue-url", e.fail(e.sns, "Subscribe", M{"TopicArn": arn, "Protocol": "sqs", "Endpoint": e.createQueue(nil)}))
		}),
		oneSNS("TestSNSSubscriptionSQS::test_publish_sqs_from_sns_with_xray_propagation", func(e *snsEnv) {
			arn := e.createTopic(nil)
			q := e.createQueue(nil)
			e.subscribe(arn, q, nil)
			e.sns.setHeader("X-Amzn-Trace-Id", "Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1")
			e.ok(e.sns, "Publish", M{"TargetArn": arn, "Message": "X-Ray propagation test msg"})
			r := e.receive(q, 1, M{"AttributeNames": []string{"SentTimestamp", "AWSTraceHeader"}, "MessageAttributeNames": []string{"All"}})
			e.match("xray-msg", r["Messages"].([]any)[0])
		}),
	}
	runSNSCases(t, "test_sns", cases)
}
