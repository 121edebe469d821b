package main

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// newClient returns an SQS client (JSON protocol) with retries off and a
// connection pool large enough for every client to keep its connection.
func newClient(addr string) *sqs.Client {
	// The SDK's default HTTP client, as users run it. (Hand-tuned transports
	// with large idle pools showed rare client-side "use of closed network
	// connection" failures on ReceiveMessage that a raw HTTP client and the
	// default client never showed against the same server.)
	hc := awshttp.NewBuildableClient()
	return sqs.NewFromConfig(aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("bench", "bench", ""),
		BaseEndpoint:     aws.String("http://" + addr),
		RetryMaxAttempts: 1,
		HTTPClient:       hc,
	})
}
