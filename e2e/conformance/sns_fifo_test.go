package conformance

import (
	"encoding/json"
	"testing"
)

func TestSubscriptionSQSFifo(t *testing.T) {
	t.Parallel()
	var cases []snsCase
	for _, cbd := range []bool{true, false} {
		suffix := "[False]"
		if cbd {
			suffix = "[True]"
		}
		publish := func(e *snsEnv, arn string) {
			p := M{"TopicArn": arn, "Message": "Test", "MessageGroupId": "message-group-id-1"}
			if !cbd {
				p["MessageDeduplicationId"] = "message-deduplication-id-1"
			}
			e.ok(e.sns, "Publish", p)
		}
		topicAttrs := func() map[string]string {
			a := map[string]string{"FifoTopic": "true"}
			if cbd {
				a["ContentBasedDeduplication"] = "true"
			}
			return a
		}
		cases = append(cases,
			oneSNS("TestSNSSubscriptionSQSFifo::test_message_to_fifo_sqs"+suffix, func(e *snsEnv) {
				arn := e.createTopic(M{"Name": "topic-" + shortUID() + ".fifo", "Attributes": topicAttrs()})
				qa := map[string]string{"FifoQueue": "true"}
				if cbd {
					qa["ContentBasedDeduplication"] = "true"
				}
				q := e.createQueue(M{"QueueName": "queue-" + shortUID() + ".fifo", "Attributes": qa})
				e.subscribe(arn, q, nil)
				publish(e, arn)
				e.match("messages", e.receive(q, 1, M{"AttributeNames": []string{"All"}}))
				publish(e, arn)
				e.match("dedup-messages", e.ok(e.sqs, "ReceiveMessage", M{"QueueUrl": q, "WaitTimeSeconds": 1, "AttributeNames": []string{"All"}}))
			}),
			oneSNS("TestSNSSubscriptionSQSFifo::test_fifo_topic_to_regular_sqs"+suffix, func(e *snsEnv) {
				e.snap.skip("$.dedup-messages.Messages")
				arn := e.createTopic(M{"Name": "topic-" + shortUID() + ".fifo", "Attributes": topicAttrs()})
				q := e.createQueue(M{"QueueName": "queue-" + shortUID()})
				e.subscribe(arn, q, nil)
				publish(e, arn)
				e.match("messages", e.receive(q, 1, M{"AttributeNames": []string{"All"}}))
				publish(e, arn)
				e.match("dedup-messages", e.ok(e.sqs, "ReceiveMessage", M{"QueueUrl": q, "WaitTimeSeconds": 1, "AttributeNames": []string{"All"}}))
			}),
		)
	}
	cases = append(cases, oneSNS("TestSNSSubscriptionSQSFifo::test_validations_for_fifo", func(e *snsEnv) {
		arn := e.createTopic(M{"Name": "topic-" + shortUID()})
		fifoArn := e.createTopic(M{"Name": "topic-" + shortUID() + ".fifo", "Attributes": map[string]string{"FifoTopic": "true"}})
		fifoQ := e.createQueue(M{"QueueName": "queue-" + shortUID() + ".fifo", "Attributes": map[string]string{"FifoQueue": "true"}})
		q := e.createQueue(M{"QueueName": "queue-" + shortUID()})
		dlq := e.createQueue(M{"QueueName": "queue-dlq-" + shortUID()})
		e.match("not-fifo-topic", e.fail(e.sns, "Subscribe", M{"TopicArn": arn, "Protocol": "sqs", "Endpoint": e.queueArn(fifoQ), "ReturnSubscriptionArn": true}))
		sub := e.subscribe(fifoArn, q, nil)
		e.match("not-fifo-queue", e.ok(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": sub})["Attributes"])
		redrive := func(dlqURL string) string {
			b, _ := json.Marshal(M{"deadLetterTargetArn": e.queueArn(dlqURL)})
			return string(b)
		}
		e.ok(e.sns, "SetSubscriptionAttributes", M{"SubscriptionArn": sub, "AttributeName": "RedrivePolicy", "AttributeValue": redrive(dlq)})
		fifoSub := e.subscribe(fifoArn, fifoQ, nil)
		e.match("regular-queue-for-dlq-of-fifo-topic", e.fail(e.sns, "SetSubscriptionAttributes", M{"SubscriptionArn": fifoSub, "AttributeName": "RedrivePolicy", "AttributeValue": redrive(q)}))
		e.match("no-msg-group-id", e.fail(e.sns, "Publish", M{"TopicArn": fifoArn, "Message": "test"}))
		e.match("no-dedup-policy", e.fail(e.sns, "Publish", M{"TopicArn": fifoArn, "Message": "test", "MessageGroupId": shortUID()}))
		e.match("no-msg-dedup-regular-topic", e.fail(e.sns, "Publish", M{"TopicArn": arn, "Message": "test", "MessageDeduplicationId": shortUID()}))
	}))
	runSNSCases(t, "test_sns", cases)
}
