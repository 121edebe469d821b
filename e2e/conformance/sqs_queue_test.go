package conformance

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/stretchr/testify/require"
)

func queueCases() []sqsCase {
	var cs []sqsCase
	add := func(c ...sqsCase) { cs = append(cs, c...) }
	add(both("TestSqsProvider::test_tag_untag_queue", func(e *env) {
		q := e.createQueue(nil)
		e.ok(e.c, "TagQueue", M{"QueueUrl": q, "Tags": M{"tag1": "value1", "tag2": "value2", "tag3": ""}})
		e.match("get-tag-1", e.ok(e.c, "ListQueueTags", M{"QueueUrl": q}))
		e.ok(e.c, "UntagQueue", M{"QueueUrl": q, "TagKeys": []string{"tag1", "tag3"}})
		e.match("get-tag-2", e.ok(e.c, "ListQueueTags", M{"QueueUrl": q}))
		e.ok(e.c, "UntagQueue", M{"QueueUrl": q, "TagKeys": []string{"tag2"}})
		e.match("get-tag-after-untag", e.ok(e.c, "ListQueueTags", M{"QueueUrl": q}))
	})...)
	add(both("TestSqsProvider::test_create_fifo_queue_with_different_attributes_raises_error", func(e *env) {
		e.snap.skip("$..Error.Detail")
		name := "queue-" + shortUID() + ".fifo"
		e.createQueue(M{"QueueName": name, "Attributes": M{"FifoQueue": "true", "ContentBasedDeduplication": "true"}})
		e.match("queue-already-exists", e.fail(e.js, "CreateQueue", M{"QueueName": name, "Attributes": M{"FifoQueue": "true", "ContentBasedDeduplication": "false"}}))
	})...)
	add(both("TestSqsProvider::test_create_queue_with_different_attributes_raises_exception", func(e *env) {
		e.snap.skip("$..Error.Detail")
		name := "queue-" + shortUID()
		q := e.createQueue(M{"QueueName": name, "Attributes": M{"ReceiveMessageWaitTimeSeconds": "1", "DelaySeconds": "1"}})
		require.Equal(e.t, q, e.createQueue(M{"QueueName": name}))
		require.Equal(e.t, q, e.createQueue(M{"QueueName": name, "Attributes": M{"DelaySeconds": "1"}}))
		e.match("create_queue_01", e.fail(e.js, "CreateQueue", M{"QueueName": name, "Attributes": M{"ReceiveMessageWaitTimeSeconds": "1", "DelaySeconds": "2"}}))
		e.ok(e.c, "SetQueueAttributes", M{"QueueUrl": q, "Attributes": M{"DelaySeconds": "2"}})
		require.Equal(e.t, q, e.createQueue(M{"QueueName": name, "Attributes": M{"ReceiveMessageWaitTimeSeconds": "1", "DelaySeconds": "2"}}))
		e.match("create_queue_02", e.fail(e.js, "CreateQueue", M{"QueueName": name, "Attributes": M{"ReceiveMessageWaitTimeSeconds": "1", "DelaySeconds": "1"}}))
	})...)
	add(both("TestSqsProvider::test_create_and_update_queue_attributes", func(e *env) {
		q := e.createQueue(M{"Attributes": M{"MessageRetentionPeriod": "604800", "ReceiveMessageWaitTimeSeconds": "10", "VisibilityTimeout": "20"}})
		e.match("get_queue_attributes", e.ok(e.c, "GetQueueAttributes", M{"QueueUrl": q, "AttributeNames": []string{"All"}}))
		e.ok(e.c, "SetQueueAttributes", M{"QueueUrl": q, "Attributes": M{"MaximumMessageSize": "2048", "VisibilityTimeout": "69", "DelaySeconds": "420"}})
		e.match("get_updated_queue_attributes", e.ok(e.c, "GetQueueAttributes", M{"QueueUrl": q, "AttributeNames": []string{"All"}}))
	})...)
	add(both("TestSqsProvider::test_fifo_set_content_based_deduplication_strategy", func(e *env) {
		q := e.createQueue(M{"QueueName": "queue-" + shortUID() + ".fifo", "Attributes": M{"FifoQueue": "true", "SqsManagedSseEnabled": "true", "ContentBasedDeduplication": "true"}})
		e.match("before-update", e.ok(e.c, "GetQueueAttributes", M{"QueueUrl": q, "AttributeNames": []string{"All"}}))
		e.ok(e.c, "SetQueueAttributes", M{"QueueUrl": q, "Attributes": M{"ContentBasedDeduplication": "false"}})
		e.match("after-update", e.ok(e.c, "GetQueueAttributes", M{"QueueUrl": q, "AttributeNames": []string{"All"}}))
	})...)
	unsupported := func(fifo bool) func(e *env) {
		return func(e *env) {
			e.snap.skip("$..Error.Detail", "$..Error.Type")
			q := e.createQueue(M{"QueueName": "queue-" + shortUID()})
			e.match("invalid-attr-name-1", e.fail(e.c, "SetQueueAttributes", M{"QueueUrl": q, "Attributes": M{"FifoQueue": "true"}}))
			if !fifo {
				e.match("invalid-attr-name-2", e.fail(e.c, "SetQueueAttributes", M{"QueueUrl": q, "Attributes": M{"FifoQueue": "false"}}))
				return
			}
			fq := e.createQueue(M{"QueueName": "queue-" + shortUID() + ".fifo", "Attributes": M{"FifoQueue": "true"}})
			e.ok(e.c, "SetQueueAttributes", M{"QueueUrl": fq, "Attributes": M{"FifoQueue": "true"}})
			e.match("invalid-attr-name-2", e.fail(e.c, "SetQueueAttributes", M{"QueueUrl": fq, "Attributes": M{"FifoQueue": "false"}}))
		}
	}
	add(both("TestSqsProvider::test_set_unsupported_attribute_fifo", unsupported(true))...)
	add(both("TestSqsProvider::test_set_unsupported_attribute_standard", unsupported(false))...)
	add(both("TestSqsProvider::test_create_standard_queue_with_fifo_attribute_raises_error", func(e *env) {
		name := "queue-" + shortUID()
		for _, a := range [][3]string{
			{"invalid-attribute-fifo-queue", "FifoQueue", "false"},
			{"invalid-attribute-content-based-deduplication", "ContentBasedDeduplication", "false"},
			{"invalid-attribute-deduplication-scope", "DeduplicationScope", "queue"},
			{"invalid-attribute-throughput-limit", "FifoThroughputLimit", "perQueue"},
		} {
			e.match(a[0], e.fail(e.js, "CreateQueue", M{"QueueName": name, "Attributes": M{a[1]: a[2]}}))
		}
	})...)
	add(both("TestSqsProvider::test_successive_purge_calls_fail", func(e *env) {
		e.snap.skip("$..Error.Detail")
		name := "test-queue-" + shortUID()
		e.snap.regex(0, regexp.QuoteMeta(name), "<queue-name>")
		q := e.createQueue(M{"QueueName": name})
		e.ok(e.c, "PurgeQueue", M{"QueueUrl": q})
		e.match("purge_queue_error", e.fail(e.c, "PurgeQueue", M{"QueueUrl": q}))
	})...)
	add(both("TestSqsProvider::test_sse_queue_attributes", func(e *env) {
		names := []string{"KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled"}
		q := e.createQueue(nil)
		e.ok(e.c, "SetQueueAttributes", M{"QueueUrl": q, "Attributes": M{"KmsMasterKeyId": "testKeyId", "KmsDataKeyReusePeriodSeconds": "6000", "SqsManagedSseEnabled": "false"}})
		e.match("sse_kms_attributes", e.ok(e.c, "GetQueueAttributes", M{"QueueUrl": q, "AttributeNames": names}))
		q = e.createQueue(nil)
		e.ok(e.c, "SetQueueAttributes", M{"QueueUrl": q, "Attributes": M{"SqsManagedSseEnabled": "true"}})
		e.match("sse_sqs_attributes", e.ok(e.c, "GetQueueAttributes", M{"QueueUrl": q, "AttributeNames": names}))
	})...)
	add(both("TestSqsProvider::test_sse_kms_and_sqs_are_mutually_exclusive", func(e *env) {
		q := e.createQueue(nil)
		r := e.fail(e.c, "SetQueueAttributes", M{"QueueUrl": q, "Attributes": M{"KmsMasterKeyId": "testKeyId", "SqsManagedSseEnabled": "true"}})
		er := r["Error"].(M)
		// snapshot.match("error", e.value): str() of botocore's ClientError.
		e.match("error", fmt.Sprintf("An error occurred (%s) when calling the SetQueueAttributes operation: %s", er["Code"], er["Message"]))
	})...)
	add(both("TestSqsProvider::test_set_queue_attributes_default_values", func(e *env) {
		e.snap.skip("$..Attributes.SqsManagedSseEnabled")
		q := e.createQueue(nil)
		all := M{"QueueUrl": q, "AttributeNames": []string{"All"}}
		e.match("get-queue-attributes-initial-values", e.ok(e.c, "GetQueueAttributes", all))
		e.ok(e.c, "SetQueueAttributes", M{"QueueUrl": q, "Attributes": M{"KmsMasterKeyId": "testKeyId", "KmsDataKeyReusePeriodSeconds": "6000"}})
		e.match("get-queue-attributes-after-update", e.ok(e.c, "GetQueueAttributes", all))
		e.ok(e.c, "SetQueueAttributes", M{"QueueUrl": q, "Attributes": M{"KmsMasterKeyId": "", "KmsDataKeyReusePeriodSeconds": "300"}})
		e.match("get-queue-attributes-after-set-to-defaults", e.ok(e.c, "GetQueueAttributes", all))
	})...)
	add(both("TestSqsProvider::test_set_empty_redrive_policy", func(e *env) {
		name := "dl-queue-" + shortUID()
		dl := e.createQueue(M{"QueueName": name})
		arn := e.queueArn(dl)
		e.ok(e.c, "SetQueueAttributes", M{"QueueUrl": name, "Attributes": M{"RedrivePolicy": ""}})
		attrs := e.ok(e.c, "GetQueueAttributes", M{"QueueUrl": name, "AttributeNames": []string{"All"}})["Attributes"].(M)
		require.NotContains(e.t, attrs, "RedrivePolicy")
		policy, _ := json.Marshal(M{"deadLetterTargetArn": arn, "maxReceiveCount": "42"})
		e.ok(e.c, "SetQueueAttributes", M{"QueueUrl": dl, "Attributes": M{"RedrivePolicy": string(policy)}})
		attrs = e.ok(e.c, "GetQueueAttributes", M{"QueueUrl": dl, "AttributeNames": []string{"All"}})["Attributes"].(M)
		require.Contains(e.t, attrs["RedrivePolicy"], arn)
		e.ok(e.c, "SetQueueAttributes", M{"QueueUrl": dl, "Attributes": M{"RedrivePolicy": ""}})
		attrs = e.ok(e.c, "GetQueueAttributes", M{"QueueUrl": dl, "AttributeNames": []string{"All"}})["Attributes"].(M)
		require.NotContains(e.t, attrs, "RedrivePolicy")
	})...)
	add(both("TestSqsProvider::test_sqs_permission_lifecycle", permissionLifecycle)...)
	add(one("TestSqsProvider::test_non_existent_queue", func(e *env) {
		e.snap.skip("$..Error.Detail")
		name := "test-queue-" + shortUID()
		q := e.createQueue(M{"QueueName": name})
		e.ok(e.js, "DeleteQueue", M{"QueueUrl": q})
		e.match("queue-does-not-exist", e.fail(e.js, "GetQueueAttributes", M{"QueueUrl": q}))
		e.match("queue-does-not-exist-url", e.fail(e.js, "GetQueueUrl", M{"QueueName": name}))
		qc := newQueryClient(e.srv.URL, accessKey, "secret", region)
		e.match("queue-does-not-exist-query", e.fail(qc, "GetQueueAttributes", M{"QueueUrl": q}))
	}))
	add(one("TestSqsProvider::test_list_queues_pagination", func(e *env) {
		prefix := "7f7df0f5"
		for i := range 10 {
			name := fmt.Sprintf("%s-test-queue-%d", prefix, i)
			e.createQueue(M{"QueueName": name})
			require.True(e.t, strings.HasSuffix(e.ok(e.js, "GetQueueUrl", M{"QueueName": name})["QueueUrl"].(string), name))
		}
		all := e.ok(e.js, "ListQueues", M{"QueueNamePrefix": prefix})
		sortQueueURLs(all)
		e.match("list_all", all)
		two := e.ok(e.js, "ListQueues", M{"MaxResults": 2, "QueueNamePrefix": prefix})
		e.match("list_two_max", two)
		rest := e.ok(e.js, "ListQueues", M{"MaxResults": 10, "NextToken": two["NextToken"], "QueueNamePrefix": prefix})
		require.NotContains(e.t, rest, "NextToken")
		e.match("list_remaining", rest)
		// The test maps AWS's endpoint to LocalStack's; ours is the test server.
		e.snap.regex(0, regexp.QuoteMeta(e.srv.URL), "http://sqs."+region+".localhost.localstack.cloud:4566")
		url := "http://sqs.<region>.localhost.localstack.cloud:4566/111111111111/" + prefix + "-test-queue-1"
		e.snap.regex(0, `("NextToken":\s*")[^"]*(")`, `\1`+base64.StdEncoding.EncodeToString([]byte(url))+`\2`)
	}))
	add(one("TestSqsQueryApi::test_send_message_via_queue_url_with_json_protocol", func(e *env) {
		q := e.createQueue(nil)
		cfg := e.srv.AWSConfigFor(accessKey, "secret", region)
		cfg.BaseEndpoint = &q
		c := newJSONClient(cfg)
		e.match("receive-json-on-queue-url", e.ok(c, "ReceiveMessage", M{"QueueUrl": q, "WaitTimeSeconds": 1}))
	}))
	return cs
}

func sortQueueURLs(r M) {
	l, _ := r["QueueUrls"].([]any)
	sort.Slice(l, func(i, j int) bool { return l[i].(string) < l[j].(string) })
}

func permissionLifecycle(e *env) {
	e.snap.skip("$..Error.Detail")
	q := e.createQueue(nil)
	perm := func(label string, accounts ...string) M {
		return M{"QueueUrl": q, "AWSAccountIds": accounts, "Actions": []string{"ReceiveMessage"}, "Label": label}
	}
	policy := M{"QueueUrl": q, "AttributeNames": []string{"Policy"}}
	e.match("add-permission-response", e.ok(e.c, "AddPermission", perm("crossaccountpermission", account, "668614515564")))
	r := e.ok(e.c, "GetQueueAttributes", policy)
	// The test sorts Principal.AWS with the foreign account first.
	var p M
	require.NoError(e.t, json.Unmarshal([]byte(r["Attributes"].(M)["Policy"].(string)), &p))
	st := p["Statement"].([]any)[0].(M)
	if l, ok := st["Principal"].(M)["AWS"].([]any); ok {
		sort.SliceStable(l, func(i, j int) bool {
			return strings.Contains(l[i].(string), "668614515564") && !strings.Contains(l[j].(string), "668614515564")
		})
	}
	b, _ := json.Marshal(p)
	r["Attributes"].(M)["Policy"] = string(b)
	e.match("get-queue-policy-attribute", r)
	e.match("remove-permission-response", e.ok(e.c, "RemovePermission", M{"QueueUrl": q, "Label": "crossaccountpermission"}))
	e.match("get-queue-policy-attribute-after-removal", e.ok(e.c, "GetQueueAttributes", policy))
	e.ok(e.c, "AddPermission", perm("crossaccountpermission", account))
	e.match("get-queue-policy-attribute-first-account-same-label", e.ok(e.c, "GetQueueAttributes", policy))
	e.match("get-queue-policy-attribute-second-account-same-label", e.fail(e.c, "AddPermission", perm("crossaccountpermission", "668614515564")))
	e.ok(e.c, "AddPermission", perm("crossaccountpermission2", account))
	e.match("get-queue-policy-attribute-second-account-different-label", e.ok(e.c, "GetQueueAttributes", policy))
	e.ok(e.c, "RemovePermission", M{"QueueUrl": q, "Label": "crossaccountpermission"})
	e.match("get-queue-policy-attribute-delete-first-permission", e.ok(e.c, "GetQueueAttributes", policy))
	e.ok(e.c, "RemovePermission", M{"QueueUrl": q, "Label": "crossaccountpermission2"})
	e.match("get-queue-policy-attribute-delete-second-permission", e.ok(e.c, "GetQueueAttributes", policy))
	e.match("get-queue-policy-attribute-delete-non-existent-label", e.fail(e.c, "RemovePermission", M{"QueueUrl": q, "Label": "crossaccountpermission2"}))
}
