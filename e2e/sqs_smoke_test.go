package e2e

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
)

func TestSQSSmoke(t *testing.T) {
	t.Parallel()
	srv := fogbanktest.Start(t)
	c := sqs.NewFromConfig(srv.AWSConfig())
	ctx := t.Context()
	q, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("smoke")})
	require.NoError(t, err)
	_, err = c.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: q.QueueUrl, MessageBody: aws.String("hi")})
	require.NoError(t, err)
	out, err := c.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, WaitTimeSeconds: 1})
	require.NoError(t, err)
	require.Len(t, out.Messages, 1)
	require.Equal(t, "hi", *out.Messages[0].Body)
}
