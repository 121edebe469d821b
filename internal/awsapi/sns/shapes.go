package sns

// Inputs carry query tags for SNS's non-flattened lists (Name.member.N) and
// maps (Name.entry.N.key / .value); outputs carry xml tags.

type createTopicInput struct {
	Name       string            `query:"Name"`
	Attributes map[string]string `query:"Attributes,entry,key,value"`
	Tags       []tag             `query:"Tags,member"`
}

type tag struct {
	Key   string `query:"Key" xml:"Key"`
	Value string `query:"Value" xml:"Value"`
}

type topicArnInput struct {
	TopicArn string `query:"TopicArn"`
}

type topicArnOutput struct {
	TopicArn string `xml:"TopicArn"`
}

type attributesOutput struct {
	Attributes entries `xml:"Attributes"`
}

type entries struct {
	Entry []entry `xml:"entry"`
}

type entry struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

type setTopicAttributesInput struct {
	TopicArn       string  `query:"TopicArn"`
	AttributeName  string  `query:"AttributeName"`
	AttributeValue *string `query:"AttributeValue"`
}

type nextTokenInput struct {
	NextToken string `query:"NextToken"`
}

type listTopicsOutput struct {
	Topics    members `xml:"Topics"`
	NextToken string  `xml:"NextToken,omitempty"`
}

type members struct {
	Member []topicArnOutput `xml:"member"`
}

type subscribeInput struct {
	TopicArn              string            `query:"TopicArn"`
	Protocol              string            `query:"Protocol"`
	Endpoint              string            `query:"Endpoint"`
	Attributes            map[string]string `query:"Attributes,entry,key,value"`
	ReturnSubscriptionArn bool              `query:"ReturnSubscriptionArn"`
}

type subscriptionArnOutput struct {
	SubscriptionArn string `xml:"SubscriptionArn"`
}

type confirmSubscriptionInput struct {
	TopicArn                  string `query:"TopicArn"`
	Token                     string `query:"Token"`
	AuthenticateOnUnsubscribe string `query:"AuthenticateOnUnsubscribe"`
}

type subscriptionArnInput struct {
	SubscriptionArn string `query:"SubscriptionArn"`
}

type setSubscriptionAttributesInput struct {
	SubscriptionArn string  `query:"SubscriptionArn"`
	AttributeName   string  `query:"AttributeName"`
	AttributeValue  *string `query:"AttributeValue"`
}

type listSubscriptionsByTopicInput struct {
	TopicArn  string `query:"TopicArn"`
	NextToken string `query:"NextToken"`
}

type listSubscriptionsOutput struct {
	Subscriptions subscriptionMembers `xml:"Subscriptions"`
	NextToken     string              `xml:"NextToken,omitempty"`
}

type subscriptionMembers struct {
	Member []subscriptionXML `xml:"member"`
}

type subscriptionXML struct {
	SubscriptionArn string `xml:"SubscriptionArn"`
	Owner           string `xml:"Owner"`
	Protocol        string `xml:"Protocol"`
	Endpoint        string `xml:"Endpoint"`
	TopicArn        string `xml:"TopicArn"`
}

type messageAttributeValue struct {
	DataType    string  `query:"DataType"`
	StringValue *string `query:"StringValue"`
	BinaryValue *string `query:"BinaryValue"`
}

type publishInput struct {
	TopicArn               string                           `query:"TopicArn"`
	TargetArn              string                           `query:"TargetArn"`
	PhoneNumber            string                           `query:"PhoneNumber"`
	Message                string                           `query:"Message"`
	Subject                *string                          `query:"Subject"`
	MessageStructure       string                           `query:"MessageStructure"`
	MessageAttributes      map[string]messageAttributeValue `query:"MessageAttributes,entry,Name,Value"`
	MessageDeduplicationID string                           `query:"MessageDeduplicationId"`
	MessageGroupID         string                           `query:"MessageGroupId"`
}

type publishOutput struct {
	MessageID      string `xml:"MessageId"`
	SequenceNumber string `xml:"SequenceNumber,omitempty"`
}

type publishBatchInput struct {
	TopicArn string              `query:"TopicArn"`
	Entries  []publishBatchEntry `query:"PublishBatchRequestEntries,member"`
}

type publishBatchEntry struct {
	ID                     string                           `query:"Id"`
	Message                string                           `query:"Message"`
	Subject                *string                          `query:"Subject"`
	MessageStructure       string                           `query:"MessageStructure"`
	MessageAttributes      map[string]messageAttributeValue `query:"MessageAttributes,entry,Name,Value"`
	MessageDeduplicationID string                           `query:"MessageDeduplicationId"`
	MessageGroupID         string                           `query:"MessageGroupId"`
}

type publishBatchOutput struct {
	Successful batchSuccessMembers `xml:"Successful"`
	Failed     batchFailedMembers  `xml:"Failed"`
}

type batchSuccessMembers struct {
	Member []batchSuccess `xml:"member"`
}

type batchSuccess struct {
	ID             string `xml:"Id"`
	MessageID      string `xml:"MessageId"`
	SequenceNumber string `xml:"SequenceNumber,omitempty"`
}

type batchFailedMembers struct {
	Member []batchFailed `xml:"member"`
}

type batchFailed struct {
	ID          string `xml:"Id"`
	Code        string `xml:"Code"`
	Message     string `xml:"Message"`
	SenderFault bool   `xml:"SenderFault"`
}

type tagResourceInput struct {
	ResourceArn string `query:"ResourceArn"`
	Tags        []tag  `query:"Tags,member"`
}

type untagResourceInput struct {
	ResourceArn string   `query:"ResourceArn"`
	TagKeys     []string `query:"TagKeys,member"`
}

type resourceArnInput struct {
	ResourceArn string `query:"ResourceArn"`
}

type listTagsOutput struct {
	Tags tagMembers `xml:"Tags"`
}

type tagMembers struct {
	Member []tag `xml:"member"`
}

type addPermissionInput struct {
	TopicArn     string   `query:"TopicArn"`
	Label        string   `query:"Label"`
	AWSAccountID []string `query:"AWSAccountId,member"`
	ActionName   []string `query:"ActionName,member"`
}

type removePermissionInput struct {
	TopicArn string `query:"TopicArn"`
	Label    string `query:"Label"`
}

// empty is the result of operations without output: an empty Result element.
type empty struct{}
