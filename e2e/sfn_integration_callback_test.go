package e2e

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/function/functiontest"
)

// A Lambda task, then an SQS callback task answered through
// SendTaskSuccess, then a Lambda error caught by name: the integrations as
// a client drives them through a real fogbank.
const integrationMachine = `{
  "StartAt": "Double",
  "States": {
    "Double": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "double", "Payload.$": "$"},
      "ResultSelector": {"v.$": "$.Payload.v", "status.$": "$.StatusCode"}, "Next": "Ask"},
    "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters": {"QueueUrl.$": "$$.Execution.Input.queue", "MessageBody": {"token.$": "$$.Task.Token", "v.$": "$.v"}},
      "ResultPath": "$.answer", "Next": "Missing"},
    "Missing": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "absent"},
      "Catch": [{"ErrorEquals": ["Lambda.ResourceNotFoundException"], "ResultPath": "$.caught", "Next": "Done"}], "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}`

func TestSFNIntegrationLambdaAndCallback(t *testing.T) {
	t.Parallel()
	needInterpreter(t, "python3")
	e := setupSFN(t)
	cfg := e.srv.AWSConfig()
	lc, qc := lambda.NewFromConfig(cfg), sqs.NewFromConfig(cfg)
	_, err := lc.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("double"), Runtime: ltypes.RuntimePython312, Handler: aws.String("app.handler"),
		Role: aws.String("arn:aws:iam::000000000000:role/lambda"),
		Code: &ltypes.FunctionCode{ZipFile: functiontest.Files(t, map[string]string{"app.py": "def handler(event, context):\n    return {'v': event['v'] * 2}\n"})},
	})
	require.NoError(t, err)
	q, err := qc.CreateQueue(e.ctx, &sqs.CreateQueueInput{QueueName: aws.String("asks")})
	require.NoError(t, err)

	sm := e.machine("integrations", integrationMachine, sfntypes.StateMachineTypeStandard)
	in, _ := json.Marshal(map[string]any{"v": 21, "queue": *q.QueueUrl})
	execArn := e.start(sm, "", string(in))

	msgs, err := qc.ReceiveMessage(e.ctx, &sqs.ReceiveMessageInput{QueueUrl: q.QueueUrl, WaitTimeSeconds: 20})
	require.NoError(t, err)
	require.Len(t, msgs.Messages, 1)
	var body struct {
		Token string `json:"token"`
		V     int    `json:"v"`
	}
	require.NoError(t, json.Unmarshal([]byte(*msgs.Messages[0].Body), &body))
	require.Equal(t, 42, body.V)
	_, err = e.c.SendTaskSuccess(e.ctx, &sfn.SendTaskSuccessInput{TaskToken: &body.Token, Output: aws.String(`{"ok":true}`)})
	require.NoError(t, err)

	d := e.await(execArn)
	require.Equal(t, sfntypes.ExecutionStatusSucceeded, d.Status, aws.ToString(d.Cause))
	var out struct {
		V      int            `json:"v"`
		Status int            `json:"status"`
		Answer map[string]any `json:"answer"`
		Caught struct{ Error, Cause string }
	}
	require.NoError(t, json.Unmarshal([]byte(*d.Output), &out))
	require.Equal(t, 42, out.V)
	require.Equal(t, 200, out.Status)
	require.Equal(t, map[string]any{"ok": true}, out.Answer)
	require.Equal(t, "Lambda.ResourceNotFoundException", out.Caught.Error)
	require.Contains(t, out.Caught.Cause, "Function not found: arn:aws:lambda:us-east-1:000000000000:function:absent:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException;")
}
