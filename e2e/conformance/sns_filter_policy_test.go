package conformance

import (
	"strings"
	"testing"
)

// policyStep is one policy a validation case subscribes with, and the key
// the error is matched under.
type policyStep struct{ key, policy string }

func TestFilterPolicy(t *testing.T) {
	t.Parallel()
	var cases []snsCase
	for id, steps := range policyErrorCases {
		cases = append(cases, oneSNS(id, func(e *snsEnv) {
			// AWS appends the JSON parser's position to some messages; the
			// first line is compared (test_sns_filter_policy.py's _normalized),
			// except in test_policy_complexity, which matches the message.
			normalize := !strings.HasSuffix(id, "test_policy_complexity")
			if normalize {
				e.snap.skip("$..Error.Message")
			}
			arn := e.createTopic(nil)
			for _, s := range steps {
				r := e.fail(e.sns, "Subscribe", M{"TopicArn": arn, "Protocol": "sms", "Endpoint": "+123123123", "Attributes": map[string]string{"FilterPolicy": s.policy}})
				if normalize {
					er := r["Error"].(M)
					er["_normalized"], _, _ = strings.Cut(er["Message"].(string), "\n")
				}
				e.match(s.key, r)
			}
			if strings.HasSuffix(id, "nested_anything_but_operator") {
				sub := e.ok(e.sns, "Subscribe", M{"TopicArn": arn, "Protocol": "sms", "Endpoint": "+123123123", "Attributes": map[string]string{"FilterPolicy": `{"key": [{"anything-but": {"prefix": "test-"}}]}`}})["SubscriptionArn"].(string)
				if sub != "pending confirmation" {
					for _, p := range []string{`{"key": [{"anything-but": ["test", "test2"]}]}`, `{"key": [{"anything-but": "test"}]}`} {
						e.ok(e.sns, "SetSubscriptionAttributes", M{"SubscriptionArn": sub, "AttributeName": "FilterPolicy", "AttributeValue": p})
					}
				}
			}
		}))
	}
	setPolicy := func(e *snsEnv, sub, name, value string) M {
		return e.call(e.sns, "SetSubscriptionAttributes", M{"SubscriptionArn": sub, "AttributeName": name, "AttributeValue": value})
	}
	cases = append(cases,
		oneSNS("TestSNSFilterPolicyCrud::test_set_subscription_filter_policy_scope", func(e *snsEnv) {
			arn := e.createTopic(nil)
			sub := e.subscribe(arn, e.createQueue(nil), nil)
			attrs := func() M { return e.ok(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": sub}) }
			e.match("sub-attrs-default", attrs())
			setPolicy(e, sub, "FilterPolicyScope", "MessageBody")
			e.match("sub-attrs-filter-scope-body", attrs())
			e.match("sub-attrs-filter-scope-error", setPolicy(e, sub, "FilterPolicyScope", "RandomValue"))
			setPolicy(e, sub, "FilterPolicy", `{"attr": ["match-this"]}`)
			e.match("sub-attrs-after-setting-policy", attrs())
		}),
		oneSNS("TestSNSFilterPolicyCrud::test_sub_filter_policy_nested_property", func(e *snsEnv) {
			arn := e.createTopic(nil)
			sub := e.subscribe(arn, e.createQueue(nil), nil)
			nested := `{"object": {"key": [{"prefix": "auto-"}]}}`
			e.match("sub-filter-policy-nested-error", setPolicy(e, sub, "FilterPolicy", nested))
			setPolicy(e, sub, "FilterPolicyScope", "MessageBody")
			setPolicy(e, sub, "FilterPolicy", nested)
			e.match("sub-attrs-after-setting-nested-policy", e.ok(e.sns, "GetSubscriptionAttributes", M{"SubscriptionArn": sub}))
		}),
		oneSNS("TestSNSFilterPolicyCrud::test_sub_filter_policy_nested_property_constraints", func(e *snsEnv) {
			e.snap.skip("$.sub-filter-policy-rule-no-list.Error.Message")
			arn := e.createTopic(nil)
			sub := e.subscribe(arn, e.createQueue(nil), nil)
			setPolicy(e, sub, "FilterPolicyScope", "MessageBody")
			e.match("sub-filter-policy-nested-error-too-many-combinations", setPolicy(e, sub, "FilterPolicy",
				`{"key_a": {"key_b": {"key_c": ["value_one", "value_two", "value_three", "value_four"]}}, "key_d": {"key_e": ["value_one", "value_two", "value_three"]}, "key_f": ["value_one", "value_two", "value_three"]}`))
			e.match("sub-filter-policy-max-attr-keys", setPolicy(e, sub, "FilterPolicy",
				`{"key_a": ["value_one"], "key_b": ["value_two"], "key_c": ["value_three"], "key_d": ["value_four"], "key_e": ["value_five"], "key_f": ["value_six"]}`))
			r := setPolicy(e, sub, "FilterPolicy", `{"key_a": "value_one"}`)
			e.match("sub-filter-policy-rule-no-list", r)
			e.prefix(r, `Invalid parameter: FilterPolicy: "key_a" must be an object or an array`)
		}),
	)
	runSNSCases(t, "test_sns_filter_policy", cases)
}
