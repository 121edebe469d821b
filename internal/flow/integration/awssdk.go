package integration

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/fogbank/fogbank/internal/bus"
	"github.com/fogbank/fogbank/internal/flow"
	"github.com/fogbank/fogbank/internal/flow/engine"
	"github.com/fogbank/fogbank/internal/function"
	"github.com/fogbank/fogbank/internal/queue"
	"github.com/fogbank/fogbank/internal/topic"
)

// sdkAction runs one aws-sdk action with PascalCase parameters and returns
// the response's fields under the model's member names.
type sdkAction func(t *Tasks, ctx context.Context, p map[string]any) (map[string]any, error)

// sdkActions are the aws-sdk actions fogbank serves, by service and action.
var sdkActions = map[string]sdkAction{
	"sqs:sendMessage":        (*Tasks).sdkSendMessage,
	"sqs:receiveMessage":     (*Tasks).sdkReceiveMessage,
	"sqs:deleteMessage":      (*Tasks).sdkDeleteMessage,
	"sqs:getQueueUrl":        (*Tasks).sdkGetQueueURL,
	"sqs:createQueue":        (*Tasks).sdkCreateQueue,
	"sqs:listQueues":         (*Tasks).sdkListQueues,
	"sqs:getQueueAttributes": (*Tasks).sdkGetQueueAttributes,
	"sqs:deleteQueue":        (*Tasks).sdkDeleteQueue,
	"sns:subscribe":          (*Tasks).sdkSubscribe,
	"sns:deleteTopic":        (*Tasks).sdkDeleteTopic,
	"sns:publish":            (*Tasks).sdkPublish,
	"sns:createTopic":        (*Tasks).sdkCreateTopic,
	"sns:listTopics":         (*Tasks).sdkListTopics,
	"eventbridge:putEvents":  (*Tasks).sdkPutEvents,
	"lambda:invoke":          (*Tasks).sdkInvoke,
	"lambda:getFunction":     (*Tasks).sdkGetFunction,
	"lambda:listFunctions":   (*Tasks).sdkListFunctions,
	"sfn:startExecution":     (*Tasks).sdkStartExecution,
	"sfn:stopExecution":      (*Tasks).sdkStopExecution,
	"sfn:describeExecution":  (*Tasks).sdkDescribeExecution,
	"sfn:sendTaskSuccess":    (*Tasks).sdkSendTaskSuccess,
	"sfn:sendTaskFailure":    (*Tasks).sdkSendTaskFailure,
	"sfn:sendTaskHeartbeat":  (*Tasks).sdkSendTaskHeartbeat,
}

// taskTokens and describer are the parts of the flow service beyond
// flow.Executions that aws-sdk:sfn actions use when it offers them.
type (
	taskTokens interface {
		SendTaskSuccess(ctx context.Context, token, output string) error
		SendTaskFailure(ctx context.Context, token, errName, cause string) error
		SendTaskHeartbeat(ctx context.Context, token string) error
	}
	describer interface {
		DescribeExecution(ctx context.Context, executionArn string) (flow.ExecutionDescription, error)
	}
)

// sqsShapes are the SQS model's error shapes by queue error code (the SDK
// names their classes with an Exception suffix); codes the model does not
// have are SqsException.
var sqsShapes = map[queue.Code]string{
	queue.CodeQueueDoesNotExist: "QueueDoesNotExist", queue.CodeQueueNameExists: "QueueNameExists",
	queue.CodeQueueDeletedRecently: "QueueDeletedRecently", queue.CodeInvalidAttributeName: "InvalidAttributeName",
	queue.CodeInvalidAttributeValue: "InvalidAttributeValue", queue.CodeReceiptHandleIsInvalid: "ReceiptHandleIsInvalid",
	queue.CodeMessageNotInflight: "MessageNotInflight", queue.CodePurgeQueueInProgress: "PurgeQueueInProgress",
	queue.CodeTooManyEntriesInBatchRequest: "TooManyEntriesInBatchRequest", queue.CodeEmptyBatchRequest: "EmptyBatchRequest",
	queue.CodeBatchEntryIdsNotDistinct: "BatchEntryIdsNotDistinct", queue.CodeInvalidBatchEntryID: "InvalidBatchEntryId",
	queue.CodeBatchRequestTooLong: "BatchRequestTooLong", queue.CodeInvalidMessageContents: "InvalidMessageContents",
	queue.CodeOverLimit: "OverLimit", queue.CodeResourceNotFound: "ResourceNotFound",
	queue.CodeUnsupportedOperation: "UnsupportedOperation", queue.CodeInvalidAddress: "InvalidAddress",
}

// sdkPrefixes are the error name prefixes (the SDK's service names).
var sdkPrefixes = map[string]string{"sqs": "Sqs", "sns": "Sns", "eventbridge": "EventBridge", "lambda": "Lambda", "sfn": "Sfn"}

// awsSDK finds an aws-sdk action.
func (t *Tasks) awsSDK(service, action string) (runner, bool) {
	a := sdkActions[service+":"+action]
	if a == nil || !t.hasService(service) {
		return nil, false
	}
	return func(ctx context.Context, c call) (any, error) {
		out, err := a(t, ctx, c.params)
		if err != nil {
			return nil, sdkError(service, err, t.cfg.IDs.UUID())
		}
		return out, nil
	}, true
}

func (t *Tasks) hasService(service string) bool {
	switch service {
	case "sqs":
		return t.cfg.Queues != nil
	case "sns":
		return t.cfg.Topics != nil
	case "eventbridge":
		return t.cfg.Buses != nil
	case "lambda":
		return t.cfg.Functions != nil
	case "sfn":
		return t.cfg.Executions != nil
	}
	return false
}

// sdkError names a service error as the aws-sdk integration does:
// "<Service>.<Exception>", with the AWS SDK for Java 2's cause.
func sdkError(service string, err error, requestID string) error {
	prefix := sdkPrefixes[service]
	exception, status, msg := prefix+"Exception", 400, ""
	var (
		qe *queue.Error
		te *topic.Error
		fe *function.Error
		be *bus.Error
		se *flow.Error
	)
	switch {
	case errors.As(err, &qe):
		msg = qe.Message
		if n, ok := sqsShapes[qe.Code]; ok {
			exception = n + "Exception"
		}
	case errors.As(err, &te):
		msg = te.Message
		if c, ok := snsCodes[te.Code]; ok {
			exception, status = c.exception, c.status
		}
	case errors.As(err, &fe):
		msg = fe.Message
		if n, ok := lambdaErrorNames[fe.Code]; ok {
			exception = n
		}
		if s := lambdaStatus[fe.Code]; s != 0 {
			status = s
		}
	case errors.As(err, &be):
		msg = be.Message
		if n, ok := busCodes[be.Code]; ok {
			exception = n
		}
	case errors.As(err, &se):
		msg = se.Message
		if n, ok := sfnExceptions[se.Code]; ok {
			exception = n
		}
	default:
		return engine.NewTaskError(prefix+".SdkClientException", err.Error())
	}
	return engine.NewTaskError(prefix+"."+exception, msg+" (Service: "+prefix+", Status Code: "+itoa(status)+", Request ID: "+requestID+") (SDK Attempt Count: 1)")
}

func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func (t *Tasks) sdkSendMessage(ctx context.Context, p map[string]any) (map[string]any, error) {
	out, err := t.sendMessage(ctx, p)
	if err != nil {
		return nil, err
	}
	return sendResult(out), nil
}

func (t *Tasks) sdkReceiveMessage(ctx context.Context, p map[string]any) (map[string]any, error) {
	ref, err := t.queueRef(str(p, "QueueUrl"))
	if err != nil {
		return nil, err
	}
	in := queue.ReceiveMessageInput{Caller: t.queueCaller(), Queue: ref, AttemptID: str(p, "ReceiveRequestAttemptId")}
	for key, dst := range map[string]**int64{"MaxNumberOfMessages": &in.MaxNumberOfMessages, "VisibilityTimeout": &in.VisibilityTimeout, "WaitTimeSeconds": &in.WaitTimeSeconds} {
		if n, ok := number(p[key]); ok {
			*dst = &n
		}
	}
	in.SystemAttributeNames = append(strings1(p["AttributeNames"]), strings1(p["MessageSystemAttributeNames"])...)
	in.MessageAttributeNames = strings1(p["MessageAttributeNames"])
	msgs, err := t.cfg.Queues.ReceiveMessage(ctx, in)
	if err != nil {
		return nil, err
	}
	list := make([]any, len(msgs))
	for i, m := range msgs {
		e := map[string]any{"Body": m.Body, "MD5OfBody": m.MD5OfBody, "MessageId": m.MessageID, "ReceiptHandle": m.ReceiptHandle}
		if len(m.Attributes) > 0 {
			attrs := map[string]any{}
			for k, v := range m.Attributes {
				attrs[k] = v
			}
			e["Attributes"] = attrs
		}
		if len(m.MessageAttributes) > 0 {
			attrs := map[string]any{}
			for k, v := range m.MessageAttributes {
				a := map[string]any{"DataType": v.DataType}
				if v.StringValue != nil {
					a["StringValue"] = *v.StringValue
				}
				if v.BinaryValue != nil {
					a["BinaryValue"] = base64.StdEncoding.EncodeToString(v.BinaryValue)
				}
				attrs[k] = a
			}
			e["MessageAttributes"] = attrs
			e["MD5OfMessageAttributes"] = m.MD5OfAttrs
		}
		list[i] = e
	}
	return map[string]any{"Messages": list}, nil
}

func strings1(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		out = append(out, text(x))
	}
	return out
}

func (t *Tasks) sdkDeleteMessage(ctx context.Context, p map[string]any) (map[string]any, error) {
	ref, err := t.queueRef(str(p, "QueueUrl"))
	if err != nil {
		return nil, err
	}
	if err := t.cfg.Queues.DeleteMessage(ctx, t.queueCaller(), ref, str(p, "ReceiptHandle")); err != nil {
		return nil, err
	}
	return map[string]any{}, nil
}

func (t *Tasks) sdkGetQueueURL(ctx context.Context, p map[string]any) (map[string]any, error) {
	ref, err := t.cfg.Queues.GetQueueURL(ctx, t.queueCaller(), str(p, "QueueName"), str(p, "QueueOwnerAWSAccountId"))
	if err != nil {
		return nil, err
	}
	return map[string]any{"QueueUrl": t.queueURL(ref)}, nil
}

func (t *Tasks) sdkCreateQueue(ctx context.Context, p map[string]any) (map[string]any, error) {
	in := queue.CreateQueueInput{Caller: t.queueCaller(), Name: str(p, "QueueName"), Attributes: stringMap(p["Attributes"]), Tags: stringMap(p["tags"])}
	if in.Tags == nil {
		in.Tags = stringMap(p["Tags"])
	}
	ref, err := t.cfg.Queues.CreateQueue(ctx, in)
	if err != nil {
		return nil, err
	}
	return map[string]any{"QueueUrl": t.queueURL(ref)}, nil
}

func stringMap(v any) map[string]string {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		out[k] = text(x)
	}
	return out
}

func (t *Tasks) sdkListQueues(ctx context.Context, p map[string]any) (map[string]any, error) {
	in := queue.ListQueuesInput{Caller: t.queueCaller(), Prefix: str(p, "QueueNamePrefix")}
	if n, ok := number(p["MaxResults"]); ok {
		in.MaxResults = &n
	}
	if tok := str(p, "NextToken"); tok != "" {
		b, err := base64.StdEncoding.DecodeString(tok)
		if err != nil {
			return nil, &queue.Error{Code: queue.CodeInvalidParameterValue, Message: "Invalid NextToken value."}
		}
		in.After = string(b)
	}
	out, err := t.cfg.Queues.ListQueues(ctx, in)
	if err != nil {
		return nil, err
	}
	urls := make([]any, len(out.Queues))
	for i, q := range out.Queues {
		urls[i] = t.queueURL(q)
	}
	res := map[string]any{"QueueUrls": urls}
	if out.More && len(out.Queues) > 0 {
		res["NextToken"] = base64.StdEncoding.EncodeToString([]byte(out.Queues[len(out.Queues)-1].Name))
	}
	return res, nil
}

func (t *Tasks) sdkGetQueueAttributes(ctx context.Context, p map[string]any) (map[string]any, error) {
	ref, err := t.queueRef(str(p, "QueueUrl"))
	if err != nil {
		return nil, err
	}
	attrs, err := t.cfg.Queues.GetQueueAttributes(ctx, t.queueCaller(), ref, strings1(p["AttributeNames"]))
	if err != nil {
		return nil, err
	}
	return map[string]any{"Attributes": stringsToAny(attrs)}, nil
}

func (t *Tasks) sdkDeleteQueue(ctx context.Context, p map[string]any) (map[string]any, error) {
	ref, err := t.queueRef(str(p, "QueueUrl"))
	if err != nil {
		return nil, err
	}
	return map[string]any{}, t.cfg.Queues.DeleteQueue(ctx, t.queueCaller(), ref)
}

func (t *Tasks) sdkSubscribe(ctx context.Context, p map[string]any) (map[string]any, error) {
	ret, _ := p["ReturnSubscriptionArn"].(bool)
	a, err := t.cfg.Topics.Subscribe(ctx, topic.SubscribeInput{
		Caller: t.topicCaller(), TopicArn: str(p, "TopicArn"), Protocol: str(p, "Protocol"), Endpoint: str(p, "Endpoint"),
		Attributes: stringMap(p["Attributes"]), ReturnSubArn: ret,
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"SubscriptionArn": a}, nil
}

func (t *Tasks) sdkDeleteTopic(ctx context.Context, p map[string]any) (map[string]any, error) {
	return map[string]any{}, t.cfg.Topics.DeleteTopic(ctx, t.topicCaller(), str(p, "TopicArn"))
}

func (t *Tasks) sdkPublish(ctx context.Context, p map[string]any) (map[string]any, error) {
	out, err := t.publish(ctx, p)
	if err != nil {
		return nil, err
	}
	res := map[string]any{"MessageId": out.MessageID}
	if out.SequenceNumber != "" {
		res["SequenceNumber"] = out.SequenceNumber
	}
	return res, nil
}

func (t *Tasks) sdkCreateTopic(ctx context.Context, p map[string]any) (map[string]any, error) {
	a, err := t.cfg.Topics.CreateTopic(ctx, topic.CreateTopicInput{
		Caller: t.topicCaller(), Name: str(p, "Name"), Attributes: stringMap(p["Attributes"]), Tags: tagList(p["Tags"]),
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"TopicArn": a}, nil
}

// tagList reads [{"Key", "Value"}] tags.
func tagList(v any) map[string]string {
	list, ok := v.([]any)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(list))
	for _, x := range list {
		kv, _ := x.(map[string]any)
		out[str(kv, "Key")] = str(kv, "Value")
	}
	return out
}

func (t *Tasks) sdkListTopics(ctx context.Context, p map[string]any) (map[string]any, error) {
	out, err := t.cfg.Topics.ListTopics(ctx, t.topicCaller(), str(p, "NextToken"))
	if err != nil {
		return nil, err
	}
	list := make([]any, len(out.Arns))
	for i, a := range out.Arns {
		list[i] = map[string]any{"TopicArn": a}
	}
	res := map[string]any{"Topics": list}
	if out.NextToken != "" {
		res["NextToken"] = out.NextToken
	}
	return res, nil
}

func (t *Tasks) sdkPutEvents(ctx context.Context, p map[string]any) (map[string]any, error) {
	return t.putEntries(ctx, p, "")
}

func (t *Tasks) sdkInvoke(ctx context.Context, p map[string]any) (map[string]any, error) {
	in := function.InvokeInput{
		Name: str(p, "FunctionName"), Qualifier: str(p, "Qualifier"), Type: function.InvocationType(str(p, "InvocationType")),
		Payload: payloadOf(p["Payload"]), TraceID: t.exec.TraceHeader,
	}
	out, err := t.cfg.Functions.Invoke(ctx, t.caller(), in)
	if err != nil {
		return nil, err
	}
	res := map[string]any{"StatusCode": json.Number("200"), "Payload": string(out.Payload)}
	switch out.Type {
	case function.Event:
		res["StatusCode"] = json.Number("202")
	case function.DryRun:
		res["StatusCode"] = json.Number("204")
	default:
		res["ExecutedVersion"] = out.ExecutedVersion
	}
	if out.FunctionError != "" {
		res["FunctionError"] = out.FunctionError
	}
	return res, nil
}

func (t *Tasks) sdkGetFunction(ctx context.Context, p map[string]any) (map[string]any, error) {
	f, err := t.cfg.Functions.GetFunction(ctx, t.caller(), str(p, "FunctionName"), str(p, "Qualifier"))
	if err != nil {
		return nil, err
	}
	res := map[string]any{"Configuration": functionConfiguration(&f)}
	if len(f.Tags) > 0 {
		res["Tags"] = stringsToAny(f.Tags)
	}
	return res, nil
}

func (t *Tasks) sdkListFunctions(ctx context.Context, p map[string]any) (map[string]any, error) {
	maxItems := 0
	if n, ok := number(p["MaxItems"]); ok {
		maxItems = int(n)
	}
	out, err := t.cfg.Functions.ListFunctions(ctx, t.caller(), str(p, "Marker"), maxItems)
	if err != nil {
		return nil, err
	}
	list := make([]any, len(out.Functions))
	for i := range out.Functions {
		list[i] = functionConfiguration(&out.Functions[i])
	}
	res := map[string]any{"Functions": list}
	if out.NextMarker != "" {
		res["NextMarker"] = out.NextMarker
	}
	return res, nil
}

// functionConfiguration is FunctionConfiguration's main fields.
func functionConfiguration(f *function.Function) map[string]any {
	c := map[string]any{
		"FunctionName": f.Name, "FunctionArn": f.ARN(), "Runtime": f.Runtime, "Role": f.Role, "Handler": f.Handler,
		"CodeSize": json.Number(jsonNumber(f.CodeSize)), "Description": f.Description, "Timeout": json.Number(itoa(f.Timeout)),
		"MemorySize": json.Number(itoa(f.MemorySize)), "LastModified": f.LastModified.UTC().Format("2006-01-02T15:04:05.000-0700"),
		"CodeSha256": f.CodeSha256, "Version": f.Version(), "RevisionId": f.RevisionID, "PackageType": "Zip",
		"State": "Active", "LastUpdateStatus": "Successful",
	}
	archs := make([]any, len(f.Architectures))
	for i, a := range f.Architectures {
		archs[i] = a
	}
	c["Architectures"] = archs
	if len(f.Environment) > 0 {
		c["Environment"] = map[string]any{"Variables": stringsToAny(f.Environment)}
	}
	return c
}

func jsonNumber(n int64) string { return itoa(int(n)) }

func stringsToAny(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (t *Tasks) sdkStartExecution(ctx context.Context, p map[string]any) (map[string]any, error) {
	out, err := t.cfg.Executions.StartExecution(ctx, t.startInput(p))
	if err != nil {
		return nil, err
	}
	return map[string]any{"ExecutionArn": out.ExecutionArn, "StartDate": isoTime(out.StartDate)}, nil
}

func (t *Tasks) tokens() (taskTokens, error) {
	if tt, ok := t.cfg.Executions.(taskTokens); ok {
		return tt, nil
	}
	return nil, errors.New("the Step Functions service does not take task tokens here")
}

func (t *Tasks) sdkSendTaskSuccess(ctx context.Context, p map[string]any) (map[string]any, error) {
	tt, err := t.tokens()
	if err != nil {
		return nil, err
	}
	return map[string]any{}, tt.SendTaskSuccess(ctx, str(p, "TaskToken"), text(p["Output"]))
}

func (t *Tasks) sdkSendTaskFailure(ctx context.Context, p map[string]any) (map[string]any, error) {
	tt, err := t.tokens()
	if err != nil {
		return nil, err
	}
	return map[string]any{}, tt.SendTaskFailure(ctx, str(p, "TaskToken"), str(p, "Error"), str(p, "Cause"))
}

func (t *Tasks) sdkSendTaskHeartbeat(ctx context.Context, p map[string]any) (map[string]any, error) {
	tt, err := t.tokens()
	if err != nil {
		return nil, err
	}
	return map[string]any{}, tt.SendTaskHeartbeat(ctx, str(p, "TaskToken"))
}

// sdkDescribeExecution answers DescribeExecution's fields (dates as ISO
// text, as aws-sdk outputs carry them).
func (t *Tasks) sdkDescribeExecution(ctx context.Context, p map[string]any) (map[string]any, error) {
	d, ok := t.cfg.Executions.(describer)
	if !ok {
		return nil, errors.New("the Step Functions service does not describe executions here")
	}
	x, err := d.DescribeExecution(ctx, str(p, "ExecutionArn"))
	if err != nil {
		return nil, err
	}
	out := map[string]any{
		"ExecutionArn": x.ExecutionArn, "StateMachineArn": x.StateMachineArn, "Name": x.Name, "Status": x.Status,
		"StartDate": isoTime(x.StartDate), "Input": x.Input, "InputDetails": map[string]any{"Included": true},
		"RedriveCount": json.Number(itoa(x.RedriveCount)),
	}
	if !x.StopDate.IsZero() {
		out["StopDate"] = isoTime(x.StopDate)
	}
	if x.Output != nil {
		out["Output"], out["OutputDetails"] = *x.Output, map[string]any{"Included": true}
	}
	for k, v := range map[string]string{"Error": x.Error, "Cause": x.Cause, "RedriveStatus": x.RedriveStatus, "RedriveStatusReason": x.RedriveStatusReason, "TraceHeader": x.TraceHeader} {
		if v != "" {
			out[k] = v
		}
	}
	return out, nil
}

func (t *Tasks) sdkStopExecution(ctx context.Context, p map[string]any) (map[string]any, error) {
	if err := t.cfg.Executions.StopExecution(ctx, str(p, "ExecutionArn"), str(p, "Error"), str(p, "Cause")); err != nil {
		return nil, err
	}
	return map[string]any{"StopDate": isoTime(t.cfg.Clock.Now())}, nil
}
