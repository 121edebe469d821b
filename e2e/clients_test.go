package e2e

// The SDK clients the e2e tests of upcoming services use.
import (
	_ "github.com/aws/aws-sdk-go-v2/service/eventbridge"
	_ "github.com/aws/aws-sdk-go-v2/service/sns"
)
