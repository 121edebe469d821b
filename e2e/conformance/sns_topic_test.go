package conformance

import (
	"sort"
	"strings"
	"testing"
)

func TestTopicCrud(t *testing.T) {
	t.Parallel()
	cases := []snsCase{
		oneSNS("TestSNSTopicCrud::test_create_topic_with_attributes", func(e *snsEnv) {
			arn := e.createTopic(M{"Name": "topictest.fifo", "Attributes": map[string]string{"DisplayName": "TestTopic", "SignatureVersion": "2", "FifoTopic": "true"}})
			e.match("get-topic-attrs", e.ok(e.sns, "GetTopicAttributes", M{"TopicArn": arn}))
			e.match("get-attrs-nonexistent-topic", e.fail(e.sns, "GetTopicAttributes", M{"TopicArn": arn[:len(arn)-8] + shortUID()}))
			e.match("get-attrs-malformed-topic", e.fail(e.sns, "GetTopicAttributes", M{"TopicArn": "test-topic"}))
		}),
		oneSNS("TestSNSTopicCrud::test_tags", func(e *snsEnv) {
			arn := e.createTopic(nil)
			e.match("duplicate-key-error", e.fail(e.sns, "TagResource", M{"ResourceArn": arn, "Tags": []M{{"Key": "k1", "Value": "v1"}, {"Key": "k2", "Value": "v2"}, {"Key": "k2", "Value": "v2"}}}))
			e.ok(e.sns, "TagResource", M{"ResourceArn": arn, "Tags": []M{{"Key": "k1", "Value": "v1"}, {"Key": "k2", "Value": "v2"}}})
			e.match("list-created-tags", sortTags(e.ok(e.sns, "ListTagsForResource", M{"ResourceArn": arn})))
			e.ok(e.sns, "UntagResource", M{"ResourceArn": arn, "TagKeys": []string{"k1"}})
			e.match("list-after-delete-tags", e.ok(e.sns, "ListTagsForResource", M{"ResourceArn": arn}))
			e.ok(e.sns, "TagResource", M{"ResourceArn": arn, "Tags": []M{{"Key": "k2", "Value": "v2b"}}})
			e.match("list-after-update-tags", e.ok(e.sns, "ListTagsForResource", M{"ResourceArn": arn}))
		}),
		oneSNS("TestSNSTopicCrud::test_tags_removed_after_deletion", func(e *snsEnv) {
			name := "topic-" + shortUID()
			arn := e.createTopic(M{"Name": name})
			e.ok(e.sns, "TagResource", M{"ResourceArn": arn, "Tags": []M{{"Key": "k1", "Value": "v1"}, {"Key": "k2", "Value": "v2"}}})
			e.match("list-created-tags", sortTags(e.ok(e.sns, "ListTagsForResource", M{"ResourceArn": arn})))
			e.ok(e.sns, "DeleteTopic", M{"TopicArn": arn})
			e.createTopic(M{"Name": name})
			e.match("list-empty-tags", e.ok(e.sns, "ListTagsForResource", M{"ResourceArn": arn}))
		}),
		oneSNS("TestSNSTopicCrud::test_create_topic_test_arn", func(e *snsEnv) {
			r := e.ok(e.sns, "CreateTopic", M{"Name": "topic-test-create"})
			e.match("create-topic", r)
			arn := r["TopicArn"].(string)
			e.match("get-topic-attrs", e.ok(e.sns, "GetTopicAttributes", M{"TopicArn": arn}))
			e.match("delete-topic", e.ok(e.sns, "DeleteTopic", M{"TopicArn": arn}))
			e.match("topic-not-exists", e.fail(e.sns, "GetTopicAttributes", M{"TopicArn": arn}))
		}),
		oneSNS("TestSNSTopicCrud::test_delete_topic_idempotency", func(e *snsEnv) {
			arn := e.createTopic(nil)
			e.match("delete-topic", e.ok(e.sns, "DeleteTopic", M{"TopicArn": arn}))
			e.fail(e.sns, "GetTopicAttributes", M{"TopicArn": arn})
			e.match("delete-topic-again", e.ok(e.sns, "DeleteTopic", M{"TopicArn": arn}))
		}),
		oneSNS("TestSNSTopicCrud::test_create_duplicate_topic_with_more_tags", func(e *snsEnv) {
			name := "test-duplicated-topic-more-tags"
			e.createTopic(M{"Name": name})
			e.match("exception-duplicate", e.fail(e.sns, "CreateTopic", M{"Name": name, "Tags": []M{{"Key": "key1", "Value": "value1"}}}))
		}),
		oneSNS("TestSNSTopicCrud::test_create_duplicate_topic_check_idempotency", func(e *snsEnv) {
			name := "test-" + shortUID()
			tags := []M{{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}}
			e.match("response-created", e.ok(e.sns, "CreateTopic", M{"Name": name, "Tags": tags}))
			for i, p := range []M{{"Tags": tags}, {"Tags": tags[:1]}, {"Tags": []M{}}} {
				p["Name"] = name
				e.match("response-same-arn-"+string(rune('0'+i)), e.ok(e.sns, "CreateTopic", p))
			}
		}),
		oneSNS("TestSNSTopicCrud::test_create_topic_after_delete_with_new_tags", func(e *snsEnv) {
			name := "test-" + shortUID()
			r := e.ok(e.sns, "CreateTopic", M{"Name": name, "Tags": []M{{"Key": "Name", "Value": "pqr"}}})
			e.match("topic-0", r)
			e.ok(e.sns, "DeleteTopic", M{"TopicArn": r["TopicArn"]})
			e.match("topic-1", e.ok(e.sns, "CreateTopic", M{"Name": name, "Tags": []M{{"Key": "Name", "Value": "abc"}}}))
		}),
		oneSNS("TestSNSTopicCrudV2::test_delete_non_existent_topic", func(e *snsEnv) {
			e.match("delete-non-existent-topic", e.ok(e.sns, "DeleteTopic", M{"TopicArn": "arn:aws:sns:" + region + ":" + account + ":non-existent-" + shortUID()}))
		}),
		oneSNS("TestSNSTopicCrudV2::test_create_topic_should_be_idempotent", func(e *snsEnv) {
			name := "test-idempotent-" + shortUID()
			arn := e.createTopic(M{"Name": name})
			e.ok(e.sns, "SetTopicAttributes", M{"TopicArn": arn, "AttributeName": "DisplayName", "AttributeValue": "AlreadySet"})
			e.match("topic-attrs-idempotent-1", e.ok(e.sns, "GetTopicAttributes", M{"TopicArn": arn}))
			arn2 := e.createTopic(M{"Name": name})
			e.match("topic-attrs-idempotent-2", e.ok(e.sns, "GetTopicAttributes", M{"TopicArn": arn2}))
		}),
		oneSNS("TestSNSTopicCrudV2::test_create_topic_different_attrs", func(e *snsEnv) {
			name := "test-idempotent-" + shortUID()
			r := e.ok(e.sns, "CreateTopic", M{"Name": name, "Attributes": map[string]string{"DisplayName": "Value1"}})
			e.match("create-topic", r)
			e.match("create-topic-no-attrs", e.ok(e.sns, "CreateTopic", M{"Name": name}))
			e.match("topic-attrs", e.ok(e.sns, "GetTopicAttributes", M{"TopicArn": r["TopicArn"]}))
			e.ok(e.sns, "CreateTopic", M{"Name": name, "Attributes": map[string]string{"DisplayName": "Value1"}})
			e.ok(e.sns, "CreateTopic", M{"Name": name, "Attributes": map[string]string{"FifoTopic": "false"}})
			e.match("create-topic-diff-attrs", e.fail(e.sns, "CreateTopic", M{"Name": name, "Attributes": map[string]string{"DisplayName": "Value2"}}))
			e.match("create-topic-new-attrs-fifo", e.fail(e.sns, "CreateTopic", M{"Name": name, "Attributes": map[string]string{"FifoTopic": "true"}}))
			e.match("create-topic-new-attrs", e.fail(e.sns, "CreateTopic", M{"Name": name, "Attributes": map[string]string{"SignatureVersion": "2"}}))
			e.match("create-topic-new-and-same-attrs", e.fail(e.sns, "CreateTopic", M{"Name": name, "Attributes": map[string]string{"SignatureVersion": "2", "DisplayName": "Value1"}}))
		}),
		oneSNS("TestSNSTopicCrudV2::test_create_topic_name_constraints", func(e *snsEnv) {
			e.match("valid-name-max-length", e.ok(e.sns, "CreateTopic", M{"Name": strings.Repeat("a", 256)}))
			e.match("name-too-short", e.fail(e.sns, "CreateTopic", M{"Name": ""}))
			e.match("name-too-long", e.fail(e.sns, "CreateTopic", M{"Name": strings.Repeat("a", 257)}))
			e.match("name-contains-fifo", e.fail(e.sns, "CreateTopic", M{"Name": "test.fifo"}))
			e.match("fifo-name-not-contains-fifo", e.fail(e.sns, "CreateTopic", M{"Name": "test", "Attributes": map[string]string{"FifoTopic": "true"}}))
			for i, c := range []string{":", ";", "!", "@", "|", "^", "%", " "} {
				e.match("name-invalid-char-"+string(rune('0'+i)), e.fail(e.sns, "CreateTopic", M{"Name": "bad" + c + "name"}))
			}
		}),
		oneSNS("TestSNSTopicCrudV2::test_topic_get_attributes_with_fifo_false", func(e *snsEnv) {
			arn := e.createTopic(M{"Name": "standard-topic-" + shortUID(), "Attributes": map[string]string{"FifoTopic": "false"}})
			e.match("get-attrs-standard-topic", e.ok(e.sns, "GetTopicAttributes", M{"TopicArn": arn}))
			e.match("set-fifo-false-after-creation", e.fail(e.sns, "SetTopicAttributes", M{"TopicArn": arn, "AttributeName": "FifoTopic", "AttributeValue": "false"}))
		}),
	}
	runSNSCases(t, "test_sns", cases)
}

func sortTags(r M) M {
	l, _ := r["Tags"].([]any)
	sort.Slice(l, func(i, j int) bool { return l[i].(M)["Key"].(string) < l[j].(M)["Key"].(string) })
	return r
}
