package conformance

import (
	"regexp"
	"testing"
)

const longToken = "51b2ff3edb475b7d91550e0ab6edf0c1de2a34e6ebaf6c2262a001bcb7e051c43aa00022ceecce70bd2a67b2042da8d8eb47fef7a4e4e942d23e7fa56146b9ee35da040b4b8af564cc4184a7391c834cb75d75c22981f776ad1ce8805e9bab29da2329985337bb8095627907b46c8577c8440556b6f86582a954758026f41fc62041c4b3f67b0f5921232b5dae5aaca1"

func TestSubscriptionCrud(t *testing.T) {
	t.Parallel()
	cases := []snsCase{
		oneSNS("TestSNSSubscriptionCrud::test_subscribe_with_invalid_protocol", func(e *snsEnv) {
			arn := e.createTopic(nil)
			e.match("exception", e.fail(e.sns, "Subscribe", M{"TopicArn": arn, "Protocol": "test-protocol", "Endpoint": "localstack@yopmail.com"}))
		}),
		oneSNS("TestSNSSubscriptionCrud::test_unsubscribe_from_non_existing_subscription", func(e *snsEnv) {
			arn := e.createTopic(nil)
			sub := e.subscribe(arn, e.createQueue(nil), nil)
			e.ok(e.sns, "Unsubscribe", M{"SubscriptionArn": sub})
			e.match("empty-unsubscribe", e.ok(e.sns, "Unsubscribe", M{"SubscriptionArn": sub}))
		}),
		oneSNS("TestSNSSubscriptionCrud::test_create_subscriptions_with_attributes", func(e *snsEnv) {
			arn := e.createTopic(nil)
			qarn := e.queueArn(e.createQueue(nil))
			p := func(raw string) M {
				attrs := map[string]string{"RawMessageDelivery": raw, "FilterPolicyScope": "MessageBody", "FilterPolicy": ""}
				return M{"TopicArn": arn, "Protocol": "sqs", "Endpoint": qarn, "ReturnSubscriptionArn": true, "Attributes": attrs}
			}
			e.match("subscribe-wrong-attr", e.fail(e.sns, "Subscribe", p("wrongvalue")))
			r := e.ok(e.sns, "Subscribe", p("TrUe"))
			e.match("subscribe", r)
			sub := r["SubscriptionArn"].(string)
			e.match("get-attrs", e.ok(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": sub}))
			e.match("get-attrs-nonexistent-sub", e.fail(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": sub[:len(sub)-8] + shortUID()}))
		}),
		oneSNS("TestSNSSubscriptionCrud::test_not_found_error_on_set_subscription_attributes", func(e *snsEnv) {
			arn := e.createTopic(nil)
			qarn := e.queueArn(e.createQueue(nil))
			r := e.ok(e.sns, "Subscribe", M{"TopicArn": arn, "Protocol": "sqs", "Endpoint": qarn})
			e.match("sub", r)
			sub := r["SubscriptionArn"].(string)
			e.match("sub-attrs", e.ok(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": sub}))
			e.match("subscriptions-for-topic-before-unsub", e.ok(e.sns, "ListSubscriptionsByTopic", M{"TopicArn": arn}))
			e.ok(e.sns, "Unsubscribe", M{"SubscriptionArn": sub})
			e.match("sub-not-found", e.fail(e.sns, "SetSubscriptionAttributes", M{"SubscriptionArn": sub, "AttributeName": "RawMessageDelivery", "AttributeValue": "true"}))
			e.match("subscriptions-for-topic-after-unsub", e.ok(e.sns, "ListSubscriptionsByTopic", M{"TopicArn": arn}))
		}),
		oneSNS("TestSNSSubscriptionCrud::test_validate_set_sub_attributes", func(e *snsEnv) {
			e.snap.skip("$.invalid-json-redrive-policy.Error.Message", "$.invalid-json-filter-policy.Error.Message")
			arn := e.createTopic(M{"Name": "topic-" + shortUID()})
			sub := e.subscribe(arn, e.createQueue(M{"QueueName": "queue-" + shortUID()}), nil)
			set := func(name, value string) M {
				return e.fail(e.sns, "SetSubscriptionAttributes", M{"SubscriptionArn": sub, "AttributeName": name, "AttributeValue": value})
			}
			e.match("fake-attribute", set("FakeAttribute", "test-value"))
			e.match("raw-message-wrong-value", set("RawMessageDelivery", "test-ValUe"))
			e.match("raw-message-empty-value", set("RawMessageDelivery", ""))
			e.match("fake-arn-redrive-policy", set("RedrivePolicy", `{"deadLetterTargetArn": "fake-arn"}`))
			r := set("RedrivePolicy", "{invalidjson}")
			e.match("invalid-json-redrive-policy", r)
			e.prefix(r, "Invalid parameter: RedrivePolicy: failed to parse JSON.")
			r = set("FilterPolicy", "{invalidjson}")
			e.match("invalid-json-filter-policy", r)
			e.prefix(r, "Invalid parameter: FilterPolicy: failed to parse JSON.")
		}),
		oneSNS("TestSNSSubscriptionCrud::test_sns_confirm_subscription_wrong_token", func(e *snsEnv) {
			arn := e.createTopic(nil)
			e.match("topic-not-exists", e.fail(e.sns, "ConfirmSubscription", M{"TopicArn": arn[:len(arn)-1] + "i", "Token": longToken}))
			e.match("invalid-token", e.fail(e.sns, "ConfirmSubscription", M{"TopicArn": arn, "Token": "randomtoken"}))
			e.match("token-not-exists", e.fail(e.sns, "ConfirmSubscription", M{"TopicArn": arn, "Token": longToken}))
		}),
		oneSNS("TestSNSSubscriptionCrud::test_list_subscriptions", func(e *snsEnv) {
			a1, a2 := e.createTopic(nil), e.createTopic(nil)
			for _, a := range []string{a1, a1, a1, a2, a2, a2} {
				e.subscribe(a, e.createQueue(nil), nil)
			}
			r := e.ok(e.sns, "ListSubscriptions", M{})
			if l, _ := r["Subscriptions"].([]any); len(l) != 6 {
				e.t.Fatalf("ListSubscriptions: %d subscriptions, want 6", len(l))
			}
		}),
		oneSNS("TestSNSSubscriptionCrud::test_subscribe_idempotency", func(e *snsEnv) {
			arn := e.createTopic(nil)
			qarn := e.queueArn(e.createQueue(nil))
			sub := func(attrs map[string]string) M {
				p := M{"TopicArn": arn, "Protocol": "sqs", "Endpoint": qarn, "ReturnSubscriptionArn": true}
				if attrs != nil {
					p["Attributes"] = attrs
				}
				return e.call(e.sns, "Subscribe", p)
			}
			r := sub(map[string]string{"RawMessageDelivery": "True"})
			e.match("subscribe", r)
			e.match("get-sub-attrs", e.ok(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": r["SubscriptionArn"]}))
			e.match("subscribe-exact-same-raw", sub(map[string]string{"RawMessageDelivery": "true"}))
			e.match("subscribe-idempotent", sub(map[string]string{"RawMessageDelivery": "true", "FilterPolicyScope": "MessageAttributes"}))
			e.match("subscribe-idempotent-no-attributes", sub(nil))
			e.match("subscribe-idempotent-empty-attributes", sub(map[string]string{}))
			e.match("subscribe-missing-attributes", sub(map[string]string{"FilterPolicyScope": "MessageAttributes"}))
			e.match("subscribe-diff-attributes", sub(map[string]string{"RawMessageDelivery": "false", "FilterPolicyScope": "MessageBody"}))
		}),
		oneSNS("TestSNSSubscriptionCrud::test_unsubscribe_idempotency", func(e *snsEnv) {
			arn := e.createTopic(M{"Name": "topic-" + shortUID()})
			sub := e.subscribe(arn, e.createQueue(M{"QueueName": "queue-" + shortUID()}), nil)
			e.match("unsubscribe-1", e.ok(e.sns, "Unsubscribe", M{"SubscriptionArn": sub}))
			e.match("unsubscribe-2", e.ok(e.sns, "Unsubscribe", M{"SubscriptionArn": sub}))
		}),
		oneSNS("TestSNSSubscriptionCrud::test_unsubscribe_wrong_arn_format", func(e *snsEnv) {
			e.match("invalid-unsubscribe-arn-1", e.fail(e.sns, "Unsubscribe", M{"SubscriptionArn": "randomstring"}))
			e.match("invalid-unsubscribe-arn-2", e.fail(e.sns, "Unsubscribe", M{"SubscriptionArn": "arn:aws:sns:us-east-1:random"}))
			e.match("invalid-unsubscribe-arn-3", e.fail(e.sns, "Unsubscribe", M{"SubscriptionArn": "arn:aws:sns:us-east-1:111111111111:random"}))
			e.match("invalid-unsubscribe-arn-4", e.fail(e.sns, "Unsubscribe", M{}))
		}),
		oneSNS("TestSNSSubscriptionCrud::test_subscribe_with_invalid_topic", func(e *snsEnv) {
			mail := M{"Protocol": "email", "Endpoint": "localstack@yopmail.com"}
			with := func(arn string) M {
				p := M{"TopicArn": arn}
				for k, v := range mail {
					p[k] = v
				}
				return p
			}
			e.match("invalid-subscribe-arn-1", e.fail(e.sns, "Subscribe", with("randomstring")))
			e.match("invalid-subscribe-arn-2", e.fail(e.sns, "Subscribe", with("arn:aws:sns:us-east-1:random")))
			arn := e.createTopic(nil)
			e.match("non-existent-topic", e.fail(e.sns, "Subscribe", with(arn+"aaa")))
		}),
		oneSNS("TestSNSSubscriptionCrudV2::test_subscribe_sms", func(e *snsEnv) {
			name := "test-topic-" + shortUID()
			e.snap.regex(0, regexp.QuoteMeta(name), "<topic>")
			arn := e.createTopic(M{"Name": name})
			e.match("subscribe-sms-1", e.ok(e.sns, "Subscribe", M{"TopicArn": arn, "Protocol": "sms", "Endpoint": "+1234567890"}))
		}),
		oneSNS("TestSNSSubscriptionCrudV2::test_subscribe_unknown_topic", func(e *snsEnv) {
			e.match("subscribe-unknown-topic", e.fail(e.sns, "Subscribe", M{"TopicArn": "arn:aws:sns:" + region + ":" + account + ":unknown-" + shortUID(), "Protocol": "sms", "Endpoint": "+1234567890"}))
		}),
		oneSNS("TestSNSSubscriptionCrudV2::test_subscribe_unknown_sqs_queue", func(e *snsEnv) {
			name := "test-topic-" + shortUID()
			e.snap.regex(0, regexp.QuoteMeta(name), "<topic>")
			arn := e.createTopic(M{"Name": name})
			e.match("subscribe-unknown-sqs", e.ok(e.sns, "Subscribe", M{"TopicArn": arn, "Protocol": "sqs", "Endpoint": "arn:aws:sqs:" + region + ":" + account + ":unknown-" + shortUID()}))
			e.match("subscribe-unknown-sqs-invalid_arn", e.fail(e.sns, "Subscribe", M{"TopicArn": arn, "Protocol": "sqs", "Endpoint": "unknown"}))
		}),
		oneSNS("TestSNSSubscriptionCrudV2::test_subscribe_sqs_queue_url", func(e *snsEnv) {
			arn := e.createTopic(M{"Name": "sqs-topic-" + shortUID()})
			url := e.createQueue(M{"QueueName": "queue-" + shortUID()})
			e.match("subscribe-sqs-via-url-error", e.fail(e.sns, "Subscribe", M{"TopicArn": arn, "Protocol": "sqs", "Endpoint": url}))
		}),
		oneSNS("TestSNSSubscriptionCrudV2::test_subscribe_invalid_sms", func(e *snsEnv) {
			arn := e.createTopic(M{"Name": "bad-sms-" + shortUID()})
			for _, n := range []string{"+15--551234567", "NAA+15551234567", "+15551234567.", "/+15551234567"} {
				e.match("subscribe-bad-sms-"+n, e.fail(e.sns, "Subscribe", M{"TopicArn": arn, "Protocol": "sms", "Endpoint": n}))
			}
		}),
		oneSNS("TestSNSSubscriptionCrudV2::test_creating_subscription", func(e *snsEnv) {
			arn := e.createTopic(M{"Name": "create-sub-" + shortUID()})
			e.match("create-subscription", e.ok(e.sns, "Subscribe", M{"TopicArn": arn, "Protocol": "http", "Endpoint": "http://example.com/"}))
		}),
		oneSNS("TestSNSSubscriptionCrudV2::test_unsubscribe_from_deleted_topic", func(e *snsEnv) {
			arn := e.createTopic(M{"Name": "del-topic-sub-" + shortUID()})
			sub := e.ok(e.sns, "Subscribe", M{"TopicArn": arn, "Protocol": "http", "Endpoint": "http://example.com/"})["SubscriptionArn"]
			e.ok(e.sns, "DeleteTopic", M{"TopicArn": arn})
			e.match("unsubscribe-deleted-topic", e.fail(e.sns, "Unsubscribe", M{"SubscriptionArn": sub}))
		}),
		oneSNS("TestSNSSubscriptionCrudV2::test_getting_subscriptions_by_topic", func(e *snsEnv) {
			arn := e.createTopic(M{"Name": "get-subs-" + shortUID()})
			e.ok(e.sns, "Subscribe", M{"TopicArn": arn, "Protocol": "sqs", "Endpoint": e.queueArn(e.createQueue(M{"QueueName": "queue-" + shortUID()}))})
			e.match("list-subscriptions-by-topic", e.ok(e.sns, "ListSubscriptionsByTopic", M{"TopicArn": arn}))
		}),
		oneSNS("TestSNSSubscriptionCrudV2::test_subscribe_attributes", func(e *snsEnv) {
			arn := e.createTopic(M{"Name": "get-subs-" + shortUID()})
			sub := e.subscribe(arn, e.createQueue(M{"QueueName": "queue-" + shortUID()}), nil)
			e.match("get-subscription-attributes", e.ok(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": sub}))
		}),
		oneSNS("TestSNSSubscriptionCrudV2::test_creating_subscription_with_attributes", func(e *snsEnv) {
			arn := e.createTopic(M{"Name": "get-subs-" + shortUID()})
			sub := e.subscribe(arn, e.createQueue(M{"QueueName": "queue-" + shortUID()}), map[string]string{"RawMessageDelivery": "true"})
			e.match("subscription-with-attributes", e.ok(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": sub}))
		}),
		oneSNS("TestSNSSubscriptionCrudV2::test_set_subscription_attributes", func(e *snsEnv) {
			arn := e.createTopic(M{"Name": "get-subs-" + shortUID()})
			sub := e.subscribe(arn, e.createQueue(M{"QueueName": "queue-" + shortUID()}), nil)
			e.ok(e.sns, "SetSubscriptionAttributes", M{"SubscriptionArn": sub, "AttributeName": "RawMessageDelivery", "AttributeValue": "true"})
			e.match("set-subscription-attributes", e.ok(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": sub}))
		}),
		oneSNS("TestSNSSubscriptionCrudV2::test_subscribe_invalid_filter_policy", func(e *snsEnv) {
			arn := e.createTopic(M{"Name": "filter-policy-" + shortUID()})
			e.match("subscribe-invalid-filter-policy", e.fail(e.sns, "Subscribe", M{"TopicArn": arn, "Protocol": "email", "Endpoint": "test@example.com", "Attributes": map[string]string{"FilterPolicy": "invalid-json"}}))
		}),
		oneSNS("TestSNSSubscriptionCrudV2::test_get_subscription_attributes_error_not_exists", func(e *snsEnv) {
			e.match("get-sub-attrs-nonexistent", e.fail(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": "arn:aws:sns:" + region + ":" + account + ":nonexistent:6f1a9c5e-2d1b-4c3a-9e8f-7a6b5c4d3e2f"}))
		}),
	}
	runSNSCases(t, "test_sns", cases)
}

// prefix requires an error message to start with p.
func (e *snsEnv) prefix(r M, p string) {
	e.t.Helper()
	msg, _ := r["Error"].(M)["Message"].(string)
	if len(msg) < len(p) || msg[:len(p)] != p {
		e.t.Errorf("message %q does not start with %q", msg, p)
	}
}
