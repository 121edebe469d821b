package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
	"github.com/stretchr/testify/require"
)

func TestSQSCreateGetDeleteQueue(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("orders", map[string]string{"VisibilityTimeout": "45"})
	require.Equal(t, e.srv.URL+"/"+account+"/orders", url)

	// Creating again with the same attributes is idempotent; different ones fail.
	again := e.createQueue("orders", map[string]string{"VisibilityTimeout": "45"})
	require.Equal(t, url, again)
	_, err := e.c.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("orders"), Attributes: map[string]string{"VisibilityTimeout": "46"}})
	requireAPIError(t, err, http.StatusBadRequest, "QueueAlreadyExists", "A queue already exists with the same name and a different value for attribute VisibilityTimeout")

	got, err := e.c.GetQueueUrl(e.ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("orders")})
	require.NoError(t, err)
	require.Equal(t, url, *got.QueueUrl)
	got, err = e.c.GetQueueUrl(e.ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("orders"), QueueOwnerAWSAccountId: aws.String(account)})
	require.NoError(t, err)
	require.Equal(t, url, *got.QueueUrl)

	_, err = e.c.DeleteQueue(e.ctx, &sqs.DeleteQueueInput{QueueUrl: &url})
	require.NoError(t, err)
	_, err = e.c.GetQueueUrl(e.ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("orders")})
	requireAPIError(t, err, http.StatusBadRequest, "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
	_, err = e.c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &url, MessageBody: aws.String("x")})
	requireAPIError(t, err, http.StatusBadRequest, "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
}

func TestSQSListQueuesPrefixAndPagination(t *testing.T) {
	t.Parallel()
	e := setup(t)
	var want []string
	for i := range 5 {
		want = append(want, e.createQueue(fmt.Sprintf("page-%d", i), nil))
	}
	e.createQueue("other", nil)

	out, err := e.c.ListQueues(e.ctx, &sqs.ListQueuesInput{QueueNamePrefix: aws.String("page-")})
	require.NoError(t, err)
	require.ElementsMatch(t, want, out.QueueUrls)
	require.Nil(t, out.NextToken, "no MaxResults, no NextToken")

	all, err := e.c.ListQueues(e.ctx, &sqs.ListQueuesInput{})
	require.NoError(t, err)
	require.Len(t, all.QueueUrls, 6)

	var seen []string
	pages := 0
	p := sqs.NewListQueuesPaginator(e.c, &sqs.ListQueuesInput{QueueNamePrefix: aws.String("page-"), MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(e.ctx)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.QueueUrls), 2)
		seen = append(seen, page.QueueUrls...)
		pages++
		require.Less(t, pages, 10, "pagination does not end")
	}
	require.Equal(t, 3, pages)
	require.ElementsMatch(t, want, seen)

	_, err = e.c.ListQueues(e.ctx, &sqs.ListQueuesInput{MaxResults: aws.Int32(1001)})
	requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterValue", "Value 1001 for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.")
}

func TestSQSQueueAttributes(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("attrs", map[string]string{"DelaySeconds": "1", "MaximumMessageSize": "2048"})
	out, err := e.c.GetQueueAttributes(e.ctx, &sqs.GetQueueAttributesInput{QueueUrl: &url, AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameAll}})
	require.NoError(t, err)
	a := out.Attributes
	require.Equal(t, "1", a["DelaySeconds"])
	require.Equal(t, "2048", a["MaximumMessageSize"])
	require.Equal(t, "30", a["VisibilityTimeout"])
	require.Equal(t, "345600", a["MessageRetentionPeriod"])
	require.Equal(t, "0", a["ReceiveMessageWaitTimeSeconds"])
	require.Equal(t, "arn:aws:sqs:us-east-1:"+account+":attrs", a["QueueArn"])
	require.Equal(t, "0", a["ApproximateNumberOfMessages"])
	require.NotEmpty(t, a["CreatedTimestamp"])
	require.NotContains(t, a, "FifoQueue")

	_, err = e.c.SetQueueAttributes(e.ctx, &sqs.SetQueueAttributesInput{QueueUrl: &url, Attributes: map[string]string{"VisibilityTimeout": "5", "DelaySeconds": "0"}})
	require.NoError(t, err)
	require.Equal(t, "5", e.attr(url, types.QueueAttributeNameVisibilityTimeout))
	require.Equal(t, "0", e.attr(url, types.QueueAttributeNameDelaySeconds))

	e.send(url, "one")
	e.send(url, "two")
	require.Equal(t, "2", e.attr(url, types.QueueAttributeNameApproximateNumberOfMessages))
	e.receive(url, maxMessages(1))
	require.Equal(t, "1", e.attr(url, types.QueueAttributeNameApproximateNumberOfMessagesNotVisible))

	_, err = e.c.SetQueueAttributes(e.ctx, &sqs.SetQueueAttributesInput{QueueUrl: &url, Attributes: map[string]string{"FifoQueue": "true"}})
	requireAPIError(t, err, http.StatusBadRequest, "InvalidAttributeName", "Unknown Attribute FifoQueue.")
	_, err = e.c.SetQueueAttributes(e.ctx, &sqs.SetQueueAttributesInput{QueueUrl: &url, Attributes: map[string]string{"VisibilityTimeout": "43201"}})
	requireAPIError(t, err, http.StatusBadRequest, "InvalidAttributeValue", "Invalid value for the parameter VisibilityTimeout.")
}

func TestSQSPurgeQueue(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("purge-me", nil)
	for i := range 3 {
		e.send(url, fmt.Sprint(i))
	}
	_, err := e.c.PurgeQueue(e.ctx, &sqs.PurgeQueueInput{QueueUrl: &url})
	require.NoError(t, err)
	require.Empty(t, e.receive(url))
	require.Equal(t, "0", e.attr(url, types.QueueAttributeNameApproximateNumberOfMessages))

	// Only one purge per 60 s, answered with HTTP 403.
	_, err = e.c.PurgeQueue(e.ctx, &sqs.PurgeQueueInput{QueueUrl: &url})
	requireAPIError(t, err, http.StatusForbidden, "AWS.SimpleQueueService.PurgeQueueInProgress", "Only one PurgeQueue operation on purge-me is allowed every 60 seconds.")

	// Messages sent after the purge are kept.
	e.send(url, "after")
	require.Equal(t, []string{"after"}, bodies(e.receive(url)))
}

func TestSQSTags(t *testing.T) {
	t.Parallel()
	e := setup(t)
	out, err := e.c.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("tagged"), Tags: map[string]string{"team": "a", "env": "dev"}})
	require.NoError(t, err)
	url := *out.QueueUrl

	tags, err := e.c.ListQueueTags(e.ctx, &sqs.ListQueueTagsInput{QueueUrl: &url})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"team": "a", "env": "dev"}, tags.Tags)

	_, err = e.c.TagQueue(e.ctx, &sqs.TagQueueInput{QueueUrl: &url, Tags: map[string]string{"team": "b", "cost": "42"}})
	require.NoError(t, err)
	_, err = e.c.UntagQueue(e.ctx, &sqs.UntagQueueInput{QueueUrl: &url, TagKeys: []string{"env", "missing"}})
	require.NoError(t, err)
	tags, err = e.c.ListQueueTags(e.ctx, &sqs.ListQueueTagsInput{QueueUrl: &url})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"team": "b", "cost": "42"}, tags.Tags)

	_, err = e.c.UntagQueue(e.ctx, &sqs.UntagQueueInput{QueueUrl: &url, TagKeys: []string{"team", "cost"}})
	require.NoError(t, err)
	tags, err = e.c.ListQueueTags(e.ctx, &sqs.ListQueueTagsInput{QueueUrl: &url})
	require.NoError(t, err)
	require.Empty(t, tags.Tags)
}

func TestSQSPermissionsCrossAccount(t *testing.T) {
	t.Parallel()
	e := setup(t)
	url := e.createQueue("shared", nil)
	other := e.clientFor("111111111111", "us-east-1")

	// Without a grant the other account cannot use the queue.
	_, err := other.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &url, MessageBody: aws.String("x")})
	require.Error(t, err)
	requireCode(t, err, "AccessDenied")

	_, err = e.c.AddPermission(e.ctx, &sqs.AddPermissionInput{
		QueueUrl: &url, Label: aws.String("grant"),
		AWSAccountIds: []string{"111111111111"}, Actions: []string{"SendMessage", "GetQueueUrl", "ReceiveMessage"},
	})
	require.NoError(t, err)
	policy := e.attr(url, types.QueueAttributeNamePolicy)
	require.Contains(t, policy, `"Sid":"grant"`)
	require.Contains(t, policy, "arn:aws:iam::111111111111:root")
	require.Contains(t, policy, "SQS:SendMessage")

	_, err = e.c.AddPermission(e.ctx, &sqs.AddPermissionInput{
		QueueUrl: &url, Label: aws.String("grant"), AWSAccountIds: []string{"111111111111"}, Actions: []string{"SendMessage"},
	})
	requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterValue", "Value grant for parameter Label is invalid. Reason: Already exists.")

	got, err := other.GetQueueUrl(e.ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("shared"), QueueOwnerAWSAccountId: aws.String(account)})
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(*got.QueueUrl, "/"+account+"/shared"), *got.QueueUrl)
	_, err = other.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &url, MessageBody: aws.String("from 111111111111")})
	require.NoError(t, err)
	msgs := e.receive(url)
	require.Equal(t, []string{"from 111111111111"}, bodies(msgs))
	require.Equal(t, "111111111111", msgs[0].Attributes["SenderId"])

	_, err = e.c.RemovePermission(e.ctx, &sqs.RemovePermissionInput{QueueUrl: &url, Label: aws.String("grant")})
	require.NoError(t, err)
	_, err = other.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: &url, MessageBody: aws.String("x")})
	requireCode(t, err, "AccessDenied")
	_, err = e.c.RemovePermission(e.ctx, &sqs.RemovePermissionInput{QueueUrl: &url, Label: aws.String("grant")})
	requireAPIError(t, err, http.StatusBadRequest, "InvalidParameterValue", "Value grant for parameter Label is invalid. Reason: can't find label.")
}

func TestSQSAccountAndRegionIsolation(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.createQueue("iso", nil)
	otherAccount := e.clientFor("222222222222", "us-east-1")
	otherRegion := e.clientFor("test", "eu-west-1")

	for name, c := range map[string]*sqs.Client{"account": otherAccount, "region": otherRegion} {
		list, err := c.ListQueues(e.ctx, &sqs.ListQueuesInput{})
		require.NoError(t, err, name)
		require.Empty(t, list.QueueUrls, name)
		_, err = c.GetQueueUrl(e.ctx, &sqs.GetQueueUrlInput{QueueName: aws.String("iso")})
		requireAPIError(t, err, http.StatusBadRequest, "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.")
		// The same name can be used there, and is a different queue.
		q, err := c.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("iso")})
		require.NoError(t, err, name)
		_, err = c.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: q.QueueUrl, MessageBody: aws.String(name)})
		require.NoError(t, err, name)
	}

	arnOf := func(c *sqs.Client, url string) string {
		out, err := c.GetQueueAttributes(e.ctx, &sqs.GetQueueAttributesInput{QueueUrl: &url, AttributeNames: []types.QueueAttributeName{types.QueueAttributeNameQueueArn}})
		require.NoError(t, err)
		return out.Attributes["QueueArn"]
	}
	require.Equal(t, "arn:aws:sqs:eu-west-1:"+account+":iso", arnOf(otherRegion, e.srv.URL+"/"+account+"/iso"))
	require.Equal(t, "arn:aws:sqs:us-east-1:222222222222:iso", arnOf(otherAccount, e.srv.URL+"/222222222222/iso"))
	// The original queue holds none of their messages.
	require.Empty(t, e.receive(e.srv.URL+"/"+account+"/iso"))
	list, err := e.c.ListQueues(e.ctx, &sqs.ListQueuesInput{})
	require.NoError(t, err)
	require.Equal(t, []string{e.srv.URL + "/" + account + "/iso"}, list.QueueUrls)
}

func TestSQSQueueURLForms(t *testing.T) {
	t.Parallel()
	e := setup(t)
	plain := e.createQueue("forms", nil)
	port := e.srv.URL[strings.LastIndex(e.srv.URL, ":")+1:]
	require.Equal(t, "http://127.0.0.1:"+port+"/"+account+"/forms", plain)
	// The hostname form need not resolve: the SDK sends to its endpoint and
	// carries the URL in the request.
	named := "http://sqs.us-east-1.localhost:" + port + "/" + account + "/forms"

	e.send(named, "via named")
	require.Equal(t, []string{"via named"}, bodies(e.receive(plain)))
	e.send(plain, "via plain")
	msgs := e.receive(named)
	require.Equal(t, []string{"via plain"}, bodies(msgs))
	_, err := e.c.DeleteMessage(e.ctx, &sqs.DeleteMessageInput{QueueUrl: &named, ReceiptHandle: msgs[0].ReceiptHandle})
	require.NoError(t, err)
	require.Equal(t, "forms", strings.TrimPrefix(e.arn(named), "arn:aws:sqs:us-east-1:"+account+":"))
}
