package function

import (
	"bytes"
	"encoding/json"

	"github.com/fogbank/fogbank/internal/queue"
)

// sqsRecord is one record of the event Lambda builds from SQS messages.
// Its keys are lower camel case, unlike the SQS API's.
type sqsRecord struct {
	MessageID              string                      `json:"messageId"`
	ReceiptHandle          string                      `json:"receiptHandle"`
	Body                   string                      `json:"body"`
	Attributes             map[string]string           `json:"attributes"`
	MessageAttributes      map[string]sqsAttributeJSON `json:"messageAttributes"`
	MD5OfMessageAttributes *string                     `json:"md5OfMessageAttributes"` // null without attributes
	MD5OfBody              string                      `json:"md5OfBody"`
	EventSource            string                      `json:"eventSource"`
	EventSourceARN         string                      `json:"eventSourceARN"`
	AWSRegion              string                      `json:"awsRegion"`
}

type sqsAttributeJSON struct {
	StringValue      *string  `json:"stringValue,omitempty"`
	BinaryValue      []byte   `json:"binaryValue,omitempty"` // base64
	StringListValues []string `json:"stringListValues"`
	BinaryListValues [][]byte `json:"binaryListValues"`
	DataType         string   `json:"dataType"`
}

func toSQSRecord(m Mapping, msg queue.ReceivedMessage) sqsRecord {
	r := sqsRecord{
		MessageID: msg.MessageID, ReceiptHandle: msg.ReceiptHandle, Body: msg.Body,
		Attributes: map[string]string{}, MessageAttributes: map[string]sqsAttributeJSON{},
		MD5OfBody: msg.MD5OfBody, EventSource: "aws:sqs", EventSourceARN: m.EventSourceArn, AWSRegion: m.Region,
	}
	for k, v := range msg.Attributes {
		if k != queue.SysDeadLetterQueueSourceArn {
			r.Attributes[k] = v
		}
	}
	for k, a := range msg.MessageAttributes {
		r.MessageAttributes[k] = sqsAttributeJSON{
			StringValue: a.StringValue, BinaryValue: a.BinaryValue, DataType: a.DataType,
			StringListValues: emptyIfNil(a.StringListValues), BinaryListValues: emptyIfNil(a.BinaryListValues),
		}
	}
	if msg.MD5OfAttrs != "" {
		md5 := msg.MD5OfAttrs
		r.MD5OfMessageAttributes = &md5
	}
	return r
}

func emptyIfNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// sqsEvent is the event of one batch: {"Records":[...]}.
func sqsEvent(m Mapping, msgs []queue.ReceivedMessage) []byte {
	records := make([]sqsRecord, len(msgs))
	for i, msg := range msgs {
		records[i] = toSQSRecord(m, msg)
	}
	b, _ := json.Marshal(map[string][]sqsRecord{"Records": records})
	return b
}

// filterDocument is what FilterCriteria patterns are matched against: the
// record, with the body as JSON when it is a JSON object.
func filterDocument(m Mapping, msg queue.ReceivedMessage) []byte {
	r := toSQSRecord(m, msg)
	doc := map[string]any{
		"messageId": r.MessageID, "receiptHandle": r.ReceiptHandle, "body": r.Body, "attributes": r.Attributes,
		"messageAttributes": r.MessageAttributes, "md5OfBody": r.MD5OfBody, "eventSource": r.EventSource,
		"eventSourceARN": r.EventSourceARN, "awsRegion": r.AWSRegion,
	}
	if body := bytes.TrimSpace([]byte(msg.Body)); len(body) > 0 && body[0] == '{' && json.Valid(body) {
		doc["body"] = json.RawMessage(body)
	}
	b, _ := json.Marshal(doc)
	return b
}

// batchItemFailures parses a partial batch response. ok is false when the
// response fails the whole batch: not a JSON object, or an item whose
// itemIdentifier is missing, empty or not in the batch. An empty response,
// null, {} or an empty list is complete success.
func batchItemFailures(payload []byte, batch []queue.ReceivedMessage) (failed map[string]bool, ok bool) {
	payload = bytes.TrimSpace(payload)
	if len(payload) == 0 || string(payload) == "null" {
		return nil, true
	}
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(payload, &resp); err != nil {
		return nil, false
	}
	raw, present := resp["batchItemFailures"]
	if !present || string(raw) == "null" {
		return nil, true
	}
	var items []map[string]any
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, false
	}
	ids := map[string]bool{}
	for _, m := range batch {
		ids[m.MessageID] = true
	}
	failed = map[string]bool{}
	for _, it := range items {
		id, _ := it["itemIdentifier"].(string)
		if id == "" || !ids[id] {
			return nil, false
		}
		failed[id] = true
	}
	return failed, true
}
