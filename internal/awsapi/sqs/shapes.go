package sqs

import (
	"encoding/base64"
	"encoding/xml"
	"maps"
	"slices"
)

// The request and response shapes of the SQS API. json names follow the AWS
// JSON protocol; query tags give the flattened names of the query protocol;
// xml tags the query protocol's response elements.

type queueURLInput struct {
	QueueURL string `json:"QueueUrl"`
}

type createQueueInput struct {
	QueueName  string            `json:"QueueName"`
	Attributes map[string]string `json:"Attributes" query:"Attribute,Name,Value"`
	Tags       map[string]string `json:"tags" query:"Tag,Key,Value"`
}

type queueURLOutput struct {
	QueueURL string `json:"QueueUrl" xml:"QueueUrl"`
}

type getQueueURLInput struct {
	QueueName              string `json:"QueueName"`
	QueueOwnerAWSAccountID string `json:"QueueOwnerAWSAccountId"`
}

type listQueuesInput struct {
	QueueNamePrefix string `json:"QueueNamePrefix"`
	NextToken       string `json:"NextToken"`
	MaxResults      *int64 `json:"MaxResults"`
}

type listQueuesOutput struct {
	QueueUrls []string `json:"QueueUrls,omitempty" xml:"QueueUrl"`
	NextToken string   `json:"NextToken,omitempty" xml:"NextToken,omitempty"`
}

type listDLQSourcesInput struct {
	QueueURL   string `json:"QueueUrl"`
	NextToken  string `json:"NextToken"`
	MaxResults *int64 `json:"MaxResults"`
}

type listDLQSourcesOutput struct {
	QueueUrls []string `json:"queueUrls" xml:"QueueUrl"`
	NextToken string   `json:"NextToken,omitempty" xml:"NextToken,omitempty"`
}

type getQueueAttributesInput struct {
	QueueURL       string   `json:"QueueUrl"`
	AttributeNames []string `json:"AttributeNames" query:"AttributeName"`
}

type attributesOutput struct {
	Attributes attrMap `json:"Attributes,omitempty" xml:"Attribute,omitempty"`
}

type setQueueAttributesInput struct {
	QueueURL   string            `json:"QueueUrl"`
	Attributes map[string]string `json:"Attributes" query:"Attribute,Name,Value"`
}

type tagQueueInput struct {
	QueueURL string            `json:"QueueUrl"`
	Tags     map[string]string `json:"Tags" query:"Tag,Key,Value"`
}

type untagQueueInput struct {
	QueueURL string   `json:"QueueUrl"`
	TagKeys  []string `json:"TagKeys" query:"TagKey"`
}

type tagsOutput struct {
	Tags tagMap `json:"Tags,omitempty" xml:"Tag,omitempty"`
}

type addPermissionInput struct {
	QueueURL      string   `json:"QueueUrl"`
	Label         string   `json:"Label"`
	AWSAccountIDs []string `json:"AWSAccountIds" query:"AWSAccountId"`
	Actions       []string `json:"Actions" query:"ActionName"`
}

type removePermissionInput struct {
	QueueURL string `json:"QueueUrl"`
	Label    string `json:"Label"`
}

// messageAttributeValue is MessageAttributeValue; binary values are base64
// in both protocols.
type messageAttributeValue struct {
	StringValue      *string  `json:"StringValue,omitempty" xml:"StringValue,omitempty"`
	BinaryValue      blob     `json:"BinaryValue,omitempty" xml:"BinaryValue,omitempty"`
	StringListValues []string `json:"StringListValues,omitempty" query:"StringListValue" xml:"StringListValue,omitempty"`
	BinaryListValues []blob   `json:"BinaryListValues,omitempty" query:"BinaryListValue" xml:"BinaryListValue,omitempty"`
	DataType         string   `json:"DataType" xml:"DataType"`
}

type sendMessageInput struct {
	QueueURL                string                           `json:"QueueUrl"`
	MessageBody             string                           `json:"MessageBody"`
	DelaySeconds            *int64                           `json:"DelaySeconds"`
	MessageAttributes       map[string]messageAttributeValue `json:"MessageAttributes" query:"MessageAttribute,Name,Value"`
	MessageSystemAttributes map[string]messageAttributeValue `json:"MessageSystemAttributes" query:"MessageSystemAttribute,Name,Value"`
	MessageDeduplicationID  *string                          `json:"MessageDeduplicationId"`
	MessageGroupID          *string                          `json:"MessageGroupId"`
}

type sendMessageOutput struct {
	MD5OfMessageBody             string `json:"MD5OfMessageBody" xml:"MD5OfMessageBody"`
	MD5OfMessageAttributes       string `json:"MD5OfMessageAttributes,omitempty" xml:"MD5OfMessageAttributes,omitempty"`
	MD5OfMessageSystemAttributes string `json:"MD5OfMessageSystemAttributes,omitempty" xml:"MD5OfMessageSystemAttributes,omitempty"`
	MessageID                    string `json:"MessageId" xml:"MessageId"`
	SequenceNumber               string `json:"SequenceNumber,omitempty" xml:"SequenceNumber,omitempty"`
}

type sendMessageBatchEntry struct {
	ID string `json:"Id"`
	sendMessageInput
}

type sendMessageBatchInput struct {
	QueueURL string                  `json:"QueueUrl"`
	Entries  []sendMessageBatchEntry `json:"Entries" query:"SendMessageBatchRequestEntry"`
}

type sendMessageBatchResultEntry struct {
	ID string `json:"Id" xml:"Id"`
	sendMessageOutput
}

type batchResultErrorEntry struct {
	ID          string `json:"Id" xml:"Id"`
	SenderFault bool   `json:"SenderFault" xml:"SenderFault"`
	Code        string `json:"Code" xml:"Code"`
	Message     string `json:"Message,omitempty" xml:"Message,omitempty"`
}

type sendMessageBatchOutput struct {
	Successful []sendMessageBatchResultEntry `json:"Successful" xml:"SendMessageBatchResultEntry"`
	Failed     []batchResultErrorEntry       `json:"Failed,omitempty" xml:"BatchResultErrorEntry"`
}

type receiveMessageInput struct {
	QueueURL                    string   `json:"QueueUrl"`
	AttributeNames              []string `json:"AttributeNames" query:"AttributeName"`
	MessageSystemAttributeNames []string `json:"MessageSystemAttributeNames" query:"MessageSystemAttributeName"`
	MessageAttributeNames       []string `json:"MessageAttributeNames" query:"MessageAttributeName"`
	MaxNumberOfMessages         *int64   `json:"MaxNumberOfMessages"`
	VisibilityTimeout           *int64   `json:"VisibilityTimeout"`
	WaitTimeSeconds             *int64   `json:"WaitTimeSeconds"`
	ReceiveRequestAttemptID     string   `json:"ReceiveRequestAttemptId"`
}

type wireMessage struct {
	MessageID              string     `json:"MessageId" xml:"MessageId"`
	ReceiptHandle          string     `json:"ReceiptHandle" xml:"ReceiptHandle"`
	MD5OfBody              string     `json:"MD5OfBody" xml:"MD5OfBody"`
	Body                   string     `json:"Body" xml:"Body"`
	Attributes             attrMap    `json:"Attributes,omitempty" xml:"Attribute,omitempty"`
	MD5OfMessageAttributes string     `json:"MD5OfMessageAttributes,omitempty" xml:"MD5OfMessageAttributes,omitempty"`
	MessageAttributes      msgAttrMap `json:"MessageAttributes,omitempty" xml:"MessageAttribute,omitempty"`
}

type receiveMessageOutput struct {
	Messages []wireMessage `json:"Messages,omitempty" xml:"Message"`
}

type deleteMessageInput struct {
	QueueURL      string `json:"QueueUrl"`
	ReceiptHandle string `json:"ReceiptHandle"`
}

type deleteMessageBatchEntry struct {
	EntryID       string `json:"Id"`
	ReceiptHandle string `json:"ReceiptHandle"`
}

// ID returns the entry's batch id.
func (e deleteMessageBatchEntry) ID() string { return e.EntryID }

type deleteMessageBatchInput struct {
	QueueURL string                    `json:"QueueUrl"`
	Entries  []deleteMessageBatchEntry `json:"Entries" query:"DeleteMessageBatchRequestEntry"`
}

type batchIDEntry struct {
	ID string `json:"Id" xml:"Id"`
}

type deleteBatchOutput struct {
	Successful []batchIDEntry          `json:"Successful" xml:"DeleteMessageBatchResultEntry"`
	Failed     []batchResultErrorEntry `json:"Failed,omitempty" xml:"BatchResultErrorEntry"`
}

type changeVisibilityBatchOutput struct {
	Successful []batchIDEntry          `json:"Successful" xml:"ChangeMessageVisibilityBatchResultEntry"`
	Failed     []batchResultErrorEntry `json:"Failed,omitempty" xml:"BatchResultErrorEntry"`
}

type changeVisibilityInput struct {
	QueueURL          string `json:"QueueUrl"`
	ReceiptHandle     string `json:"ReceiptHandle"`
	VisibilityTimeout *int64 `json:"VisibilityTimeout"`
}

type changeVisibilityBatchEntry struct {
	ID                string `json:"Id"`
	ReceiptHandle     string `json:"ReceiptHandle"`
	VisibilityTimeout *int64 `json:"VisibilityTimeout"`
}

type changeVisibilityBatchInput struct {
	QueueURL string                       `json:"QueueUrl"`
	Entries  []changeVisibilityBatchEntry `json:"Entries" query:"ChangeMessageVisibilityBatchRequestEntry"`
}

type startMoveTaskInput struct {
	SourceArn                    string `json:"SourceArn"`
	DestinationArn               string `json:"DestinationArn"`
	MaxNumberOfMessagesPerSecond *int64 `json:"MaxNumberOfMessagesPerSecond"`
}

type startMoveTaskOutput struct {
	TaskHandle string `json:"TaskHandle" xml:"TaskHandle"`
}

type cancelMoveTaskInput struct {
	TaskHandle string `json:"TaskHandle"`
}

type cancelMoveTaskOutput struct {
	ApproximateNumberOfMessagesMoved int64 `json:"ApproximateNumberOfMessagesMoved" xml:"ApproximateNumberOfMessagesMoved"`
}

type listMoveTasksInput struct {
	SourceArn  string `json:"SourceArn"`
	MaxResults *int64 `json:"MaxResults"`
}

type moveTaskEntry struct {
	TaskHandle                        string `json:"TaskHandle,omitempty" xml:"TaskHandle,omitempty"`
	Status                            string `json:"Status" xml:"Status"`
	SourceArn                         string `json:"SourceArn" xml:"SourceArn"`
	DestinationArn                    string `json:"DestinationArn,omitempty" xml:"DestinationArn,omitempty"`
	MaxNumberOfMessagesPerSecond      *int64 `json:"MaxNumberOfMessagesPerSecond,omitempty" xml:"MaxNumberOfMessagesPerSecond,omitempty"`
	ApproximateNumberOfMessagesMoved  int64  `json:"ApproximateNumberOfMessagesMoved" xml:"ApproximateNumberOfMessagesMoved"`
	ApproximateNumberOfMessagesToMove *int64 `json:"ApproximateNumberOfMessagesToMove,omitempty" xml:"ApproximateNumberOfMessagesToMove,omitempty"`
	FailureReason                     string `json:"FailureReason,omitempty" xml:"FailureReason,omitempty"`
	StartedTimestamp                  int64  `json:"StartedTimestamp" xml:"StartedTimestamp"`
}

type listMoveTasksOutput struct {
	Results []moveTaskEntry `json:"Results,omitempty" xml:"ListMessageMoveTasksResultEntry"`
}

// blob is a binary value, base64 on the wire.
type blob []byte

func (b blob) MarshalText() ([]byte, error) {
	out := make([]byte, base64.StdEncoding.EncodedLen(len(b)))
	base64.StdEncoding.Encode(out, b)
	return out, nil
}

func (b *blob) UnmarshalText(text []byte) error {
	out, err := base64.StdEncoding.DecodeString(string(text))
	if err != nil {
		return err
	}
	*b = out
	return nil
}

// attrMap is a string map; in XML a flattened list of Name/Value pairs.
type attrMap map[string]string

func (m attrMap) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if err := e.EncodeElement(struct {
			Name  string `xml:"Name"`
			Value string `xml:"Value"`
		}{k, m[k]}, start); err != nil {
			return err
		}
	}
	return nil
}

// tagMap is a string map; in XML a flattened list of Key/Value pairs.
type tagMap map[string]string

func (m tagMap) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if err := e.EncodeElement(struct {
			Key   string `xml:"Key"`
			Value string `xml:"Value"`
		}{k, m[k]}, start); err != nil {
			return err
		}
	}
	return nil
}

// msgAttrMap is a message attribute map; in XML flattened Name/Value pairs.
type msgAttrMap map[string]messageAttributeValue

func (m msgAttrMap) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if err := e.EncodeElement(struct {
			Name  string                `xml:"Name"`
			Value messageAttributeValue `xml:"Value"`
		}{k, m[k]}, start); err != nil {
			return err
		}
	}
	return nil
}
