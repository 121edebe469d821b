package integration

import (
	"context"
	"encoding/base64"
	"errors"

	"github.com/fogbank/fogbank/internal/flow/engine"
	"github.com/fogbank/fogbank/internal/topic"
)

// snsCodes are SNS's error codes, the AWS SDK for Java's exception names
// and HTTP statuses.
var snsCodes = map[topic.Code]struct {
	code, exception string
	status          int
}{
	topic.CodeInvalidParameter:             {"InvalidParameter", "InvalidParameterException", 400},
	topic.CodeParameterValueInvalid:        {"ParameterValueInvalid", "InvalidParameterValueException", 400},
	topic.CodeNotFound:                     {"NotFound", "NotFoundException", 404},
	topic.CodeResourceNotFound:             {"ResourceNotFound", "ResourceNotFoundException", 404},
	topic.CodeAuthorizationError:           {"AuthorizationError", "AuthorizationErrorException", 403},
	topic.CodeTooManyEntriesInBatchRequest: {"TooManyEntriesInBatchRequest", "TooManyEntriesInBatchRequestException", 400},
	topic.CodeEmptyBatchRequest:            {"EmptyBatchRequest", "EmptyBatchRequestException", 400},
	topic.CodeBatchEntryIdsNotDistinct:     {"BatchEntryIdsNotDistinct", "BatchEntryIdsNotDistinctException", 400},
	topic.CodeInvalidBatchEntryID:          {"InvalidBatchEntryId", "InvalidBatchEntryIdException", 400},
	topic.CodeBatchRequestTooLong:          {"BatchRequestTooLong", "BatchRequestTooLongException", 400},
	topic.CodeTagLimitExceeded:             {"TagLimitExceeded", "TagLimitExceededException", 400},
	topic.CodeValidation:                   {"ValidationException", "ValidationException", 400},
}

// snsError renders a topic error as "SNS.<Exception>" with the SDK's cause.
func snsError(prefix string, err error, requestID string) error {
	var te *topic.Error
	if !errors.As(err, &te) {
		return engine.NewTaskError(prefix+".SdkClientException", err.Error())
	}
	c, ok := snsCodes[te.Code]
	if !ok {
		c.code, c.exception, c.status = "InvalidParameter", "InvalidParameterException", 400
	}
	return serviceError(prefix+"."+c.exception, te.Message, "AmazonSNS", c.code, c.status, requestID)
}

func (t *Tasks) topicCaller() topic.Caller {
	return topic.Caller{Account: t.exec.Account, Region: t.exec.Region, Endpoint: t.cfg.Endpoint()}
}

// snsPublish runs arn:aws:states:::sns:publish.
func (t *Tasks) snsPublish(ctx context.Context, c call) (any, error) {
	if err := checkFields(c, "TopicArn", "TargetArn", "PhoneNumber", "Message", "Subject", "MessageStructure",
		"MessageAttributes", "MessageDeduplicationId", "MessageGroupId"); err != nil {
		return nil, err
	}
	out, err := t.publish(ctx, c.params)
	if err != nil {
		return nil, snsError("SNS", err, t.cfg.IDs.UUID())
	}
	res := map[string]any{"MessageId": out.MessageID}
	if out.SequenceNumber != "" {
		res["SequenceNumber"] = out.SequenceNumber
	}
	id := t.cfg.IDs.UUID()
	return t.sdkMetadata(res, "text/xml", len(publishXML(out, id)), id), nil
}

func (t *Tasks) publish(ctx context.Context, p map[string]any) (topic.PublishOutput, error) {
	in := topic.PublishInput{Caller: t.topicCaller(), TopicArn: str(p, "TopicArn"), PhoneNumber: str(p, "PhoneNumber"), TraceHeader: t.exec.TraceHeader}
	if in.TopicArn == "" {
		in.TopicArn = str(p, "TargetArn")
	}
	if m, ok := p["Message"]; ok && m != nil {
		in.Message.Message = text(m)
	}
	if s, ok := p["Subject"].(string); ok {
		in.Subject = &s
	}
	in.MessageStructure = str(p, "MessageStructure")
	in.GroupID = str(p, "MessageGroupId")
	in.DedupID = str(p, "MessageDeduplicationId")
	if m, ok := p["MessageAttributes"].(map[string]any); ok && len(m) > 0 {
		in.Attributes = make(map[string]topic.MessageAttribute, len(m))
		for k, raw := range m {
			a, _ := raw.(map[string]any)
			ta := topic.MessageAttribute{DataType: str(a, "DataType")}
			if s, ok := a["StringValue"].(string); ok {
				ta.StringValue = &s
			}
			if s, ok := a["BinaryValue"].(string); ok {
				ta.BinaryValue, _ = base64.StdEncoding.DecodeString(s)
			}
			in.Attributes[k] = ta
		}
	}
	return t.cfg.Topics.Publish(ctx, in)
}

// publishXML is the query protocol's PublishResponse, whose length the
// SDK reports as Content-Length.
func publishXML(out topic.PublishOutput, requestID string) string {
	seq := ""
	if out.SequenceNumber != "" {
		seq = "\n    <SequenceNumber>" + out.SequenceNumber + "</SequenceNumber>"
	}
	return `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult>
    <MessageId>` + out.MessageID + `</MessageId>` + seq + `
  </PublishResult>
  <ResponseMetadata>
    <RequestId>` + requestID + `</RequestId>
  </ResponseMetadata>
</PublishResponse>
`
}
