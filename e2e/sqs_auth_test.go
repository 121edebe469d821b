package e2e

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
)

func TestSQSStrictAuth(t *testing.T) {
	t.Parallel()
	e := setup(t, fogbanktest.WithStrictAuth("AKIDSTRICT:s3cr3t"))
	good := sqs.NewFromConfig(e.srv.AWSConfigFor("AKIDSTRICT", "s3cr3t", "us-east-1"))
	q, err := good.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("locked")})
	require.NoError(t, err)
	_, err = good.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: q.QueueUrl, MessageBody: aws.String("signed")})
	require.NoError(t, err)

	wrongSecret := sqs.NewFromConfig(e.srv.AWSConfigFor("AKIDSTRICT", "wrong", "us-east-1"))
	_, err = wrongSecret.ListQueues(e.ctx, &sqs.ListQueuesInput{})
	requireAPIError(t, err, http.StatusForbidden, "SignatureDoesNotMatch",
		"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")

	unknown := sqs.NewFromConfig(e.srv.AWSConfigFor("AKIDUNKNOWN", "s3cr3t", "us-east-1"))
	_, err = unknown.SendMessage(e.ctx, &sqs.SendMessageInput{QueueUrl: q.QueueUrl, MessageBody: aws.String("x")})
	requireAPIError(t, err, http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")

	out, err := good.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl})
	require.NoError(t, err)
	require.Equal(t, []string{"signed"}, bodies(out.Messages))
}
