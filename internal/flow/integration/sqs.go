package integration

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"strings"

	"github.com/fogbank/fogbank/internal/flow/engine"
	"github.com/fogbank/fogbank/internal/queue"
)

// sqsCodes are SQS's error codes (the query protocol's, which the AWS SDK
// for Java names in a cause) and HTTP statuses.
var sqsCodes = map[queue.Code]struct {
	code   string
	status int
}{
	queue.CodeInvalidParameterValue:        {"InvalidParameterValue", 400},
	queue.CodeMissingParameter:             {"MissingParameter", 400},
	queue.CodeQueueDoesNotExist:            {"AWS.SimpleQueueService.NonExistentQueue", 400},
	queue.CodeQueueNameExists:              {"QueueAlreadyExists", 400},
	queue.CodeQueueDeletedRecently:         {"AWS.SimpleQueueService.QueueDeletedRecently", 400},
	queue.CodeInvalidAttributeName:         {"InvalidAttributeName", 400},
	queue.CodeInvalidAttributeValue:        {"InvalidAttributeValue", 400},
	queue.CodeReceiptHandleIsInvalid:       {"ReceiptHandleIsInvalid", 400},
	queue.CodeMessageNotInflight:           {"AWS.SimpleQueueService.MessageNotInflight", 400},
	queue.CodePurgeQueueInProgress:         {"AWS.SimpleQueueService.PurgeQueueInProgress", 403},
	queue.CodeTooManyEntriesInBatchRequest: {"AWS.SimpleQueueService.TooManyEntriesInBatchRequest", 400},
	queue.CodeInvalidMessageContents:       {"InvalidMessageContents", 400},
	queue.CodeOverLimit:                    {"OverLimit", 403},
	queue.CodeUnsupportedOperation:         {"AWS.SimpleQueueService.UnsupportedOperation", 400},
	queue.CodeAccessDenied:                 {"AccessDenied", 403},
	queue.CodeInvalidAddress:               {"InvalidAddress", 404},
}

// sqsError renders a queue error as the optimized integration reports it:
// every service error is SQS.AmazonSQSException.
func sqsError(err error, requestID string) error {
	var qe *queue.Error
	if !errors.As(err, &qe) {
		return engine.NewTaskError("SQS.SdkClientException", err.Error())
	}
	c, ok := sqsCodes[qe.Code]
	if !ok {
		c.code, c.status = "InvalidParameterValue", 400
	}
	return serviceError("SQS.AmazonSQSException", qe.Message, "AmazonSQS", c.code, c.status, requestID)
}

func (t *Tasks) queueCaller() queue.Caller {
	return queue.Caller{Account: t.exec.Account, Region: t.exec.Region}
}

// queueRef reads the account and name from a queue URL (or a bare name).
func (t *Tasks) queueRef(raw string) (queue.QueueRef, error) {
	if raw == "" {
		return queue.QueueRef{}, &queue.Error{Code: queue.CodeMissingParameter, Message: "The request must contain the parameter QueueUrl."}
	}
	path := raw
	if u, err := url.Parse(raw); err == nil && u.Path != "" {
		path = u.Path
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) == 1 && !strings.Contains(raw, "://") {
		parts = []string{t.exec.Account, parts[0]}
	}
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return queue.QueueRef{}, &queue.Error{Code: queue.CodeQueueDoesNotExist, Message: "The specified queue does not exist."}
	}
	return queue.QueueRef{Account: parts[0], Name: parts[1]}, nil
}

func (t *Tasks) queueURL(ref queue.QueueRef) string {
	return strings.TrimSuffix(t.cfg.Endpoint(), "/") + "/" + ref.Account + "/" + ref.Name
}

// sqsSend runs arn:aws:states:::sqs:sendMessage.
func (t *Tasks) sqsSend(ctx context.Context, c call) (any, error) {
	if err := checkFields(c, "QueueUrl", "MessageBody", "DelaySeconds", "MessageAttributes", "MessageDeduplicationId", "MessageGroupId", "MessageSystemAttributes"); err != nil {
		return nil, err
	}
	out, err := t.sendMessage(ctx, c.params)
	if err != nil {
		return nil, sqsError(err, t.cfg.IDs.UUID())
	}
	res := sendResult(out)
	b, _ := json.Marshal(res)
	return t.sdkMetadata(res, "application/x-amz-json-1.0", len(b), t.cfg.IDs.UUID()), nil
}

func (t *Tasks) sendMessage(ctx context.Context, p map[string]any) (queue.SendMessageOutput, error) {
	ref, err := t.queueRef(str(p, "QueueUrl"))
	if err != nil {
		return queue.SendMessageOutput{}, err
	}
	in := queue.SendMessageInput{Caller: t.queueCaller(), Queue: ref}
	if b, ok := p["MessageBody"]; ok && b != nil {
		in.Body = text(b)
	}
	if d, ok := number(p["DelaySeconds"]); ok {
		in.DelaySeconds = &d
	}
	if s, ok := p["MessageGroupId"].(string); ok {
		in.GroupID = &s
	}
	if s, ok := p["MessageDeduplicationId"].(string); ok {
		in.DedupID = &s
	}
	in.Attributes = queueAttributes(p["MessageAttributes"])
	in.SystemAttributes = queueAttributes(p["MessageSystemAttributes"])
	return t.cfg.Queues.SendMessage(ctx, in)
}

// sendResult is SendMessageResult's fields.
func sendResult(out queue.SendMessageOutput) map[string]any {
	res := map[string]any{"MD5OfMessageBody": out.MD5OfBody, "MessageId": out.MessageID}
	if out.MD5OfAttrs != "" {
		res["MD5OfMessageAttributes"] = out.MD5OfAttrs
	}
	if out.MD5OfSysAttrs != "" {
		res["MD5OfMessageSystemAttributes"] = out.MD5OfSysAttrs
	}
	if out.SequenceNumber != "" {
		res["SequenceNumber"] = out.SequenceNumber
	}
	return res
}

// queueAttributes reads {"name": {"DataType", "StringValue",
// "BinaryValue"}} message attributes.
func queueAttributes(v any) map[string]queue.MessageAttribute {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return nil
	}
	attrs := make(map[string]queue.MessageAttribute, len(m))
	for k, raw := range m {
		a, _ := raw.(map[string]any)
		qa := queue.MessageAttribute{DataType: str(a, "DataType")}
		if s, ok := a["StringValue"].(string); ok {
			qa.StringValue = &s
		}
		if s, ok := a["BinaryValue"].(string); ok {
			qa.BinaryValue, _ = base64.StdEncoding.DecodeString(s)
		}
		attrs[k] = qa
	}
	return attrs
}

// number reads an integer parameter given as a number or a numeric string.
func number(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	case float64:
		return int64(n), true
	case int64:
		return n, true
	case int:
		return int64(n), true
	case string:
		i, err := json.Number(n).Int64()
		return i, err == nil
	}
	return 0, false
}
