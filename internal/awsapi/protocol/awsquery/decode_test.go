package awsquery

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

type attrValue struct {
	StringValue *string  `json:"StringValue"`
	DataType    string   `json:"DataType"`
	Strings     []string `json:"StringListValues" query:"StringListValue"`
}

type entry struct {
	ID   string `json:"Id"`
	Body string `json:"MessageBody"`
}

type sample struct {
	QueueURL string               `json:"QueueUrl"`
	Max      *int64               `json:"MaxNumberOfMessages"`
	Flag     bool                 `json:"Flag"`
	Names    []string             `json:"AttributeNames" query:"AttributeName"`
	Attrs    map[string]string    `json:"Attributes" query:"Attribute,Name,Value"`
	Tags     map[string]string    `json:"tags" query:"Tag,Key,Value"`
	MsgAttrs map[string]attrValue `json:"MessageAttributes" query:"MessageAttribute,Name,Value"`
	Entries  []entry              `json:"Entries" query:"Entry"`
	Skip     string               `json:"-" query:"-"`
}

func TestDecode(t *testing.T) {
	t.Parallel()
	form, err := url.ParseQuery(strings.Join([]string{
		"QueueUrl=http%3A%2F%2Fh%2F1%2Fq", "MaxNumberOfMessages=7", "Flag=true",
		"AttributeName.1=All", "AttributeName.2=Policy",
		"Attribute.1.Name=DelaySeconds", "Attribute.1.Value=5", "Attribute.2.Name=X", "Attribute.2.Value=",
		"Tag.1.Key=team", "Tag.1.Value=a",
		"MessageAttribute.1.Name=n", "MessageAttribute.1.Value.DataType=String", "MessageAttribute.1.Value.StringValue=v",
		"MessageAttribute.1.Value.StringListValue.1=x",
		"Entry.1.Id=a", "Entry.1.MessageBody=b", "Entry.2.Id=c",
	}, "&"))
	require.NoError(t, err)
	var s sample
	require.NoError(t, Decode(form, &s))
	require.Equal(t, "http://h/1/q", s.QueueURL)
	require.Equal(t, int64(7), *s.Max)
	require.True(t, s.Flag)
	require.Equal(t, []string{"All", "Policy"}, s.Names)
	require.Equal(t, map[string]string{"DelaySeconds": "5", "X": ""}, s.Attrs)
	require.Equal(t, map[string]string{"team": "a"}, s.Tags)
	require.Equal(t, "v", *s.MsgAttrs["n"].StringValue)
	require.Equal(t, []string{"x"}, s.MsgAttrs["n"].Strings)
	require.Equal(t, []entry{{"a", "b"}, {"c", ""}}, s.Entries)
}

func TestDecodeBadNumber(t *testing.T) {
	t.Parallel()
	var s sample
	err := Decode(url.Values{"MaxNumberOfMessages": {"ten"}}, &s)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	require.Equal(t, "MaxNumberOfMessages", de.Param)
}

func TestResponseEnvelope(t *testing.T) {
	t.Parallel()
	out := struct {
		QueueURL string `xml:"QueueUrl"`
	}{"http://h/1/q"}
	b, err := Response("http://queue.amazonaws.com/doc/2012-11-05/", "CreateQueue", out, "rid")
	require.NoError(t, err)
	require.Contains(t, string(b), `<CreateQueueResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><CreateQueueResult><QueueUrl>http://h/1/q</QueueUrl></CreateQueueResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></CreateQueueResponse>`)
	e := ErrorResponse("ns", "AWS.SimpleQueueService.NonExistentQueue", "gone <&>", true, "rid")
	require.Contains(t, string(e), `<Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>gone &lt;&amp;&gt;</Message><Detail></Detail></Error><RequestId>rid</RequestId>`)
}

type wrappedAttr struct {
	DataType    string `json:"DataType"`
	StringValue string `json:"StringValue"`
}

type wrappedEntry struct {
	ID       string                 `json:"Id"`
	MsgAttrs map[string]wrappedAttr `json:"MessageAttributes" query:"MessageAttributes,entry,Name,Value"`
}

// wrapped is an SNS-style input: non-flattened lists and maps.
type wrapped struct {
	Attrs   map[string]string `json:"Attributes" query:"Attributes,entry,key,value"`
	Tags    []wrappedTag      `json:"Tags" query:"Tags,member"`
	Keys    []string          `json:"TagKeys" query:"TagKeys,member"`
	Entries []wrappedEntry    `json:"PublishBatchRequestEntries" query:"PublishBatchRequestEntries,member"`
}

type wrappedTag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

func TestDecodeWrapped(t *testing.T) {
	t.Parallel()
	form, err := url.ParseQuery(strings.Join([]string{
		"Attributes.entry.1.key=DisplayName", "Attributes.entry.1.value=d", "Attributes.entry.2.key=FifoTopic", "Attributes.entry.2.value=true",
		"Tags.member.1.Key=k", "Tags.member.1.Value=v", "TagKeys.member.1=a", "TagKeys.member.2=b",
		"PublishBatchRequestEntries.member.1.Id=1",
		"PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Name=n",
		"PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.DataType=String",
		"PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.StringValue=x",
		"PublishBatchRequestEntries.member.2.Id=2",
	}, "&"))
	require.NoError(t, err)
	var w wrapped
	require.NoError(t, Decode(form, &w))
	require.Equal(t, map[string]string{"DisplayName": "d", "FifoTopic": "true"}, w.Attrs)
	require.Equal(t, []wrappedTag{{"k", "v"}}, w.Tags)
	require.Equal(t, []string{"a", "b"}, w.Keys)
	require.Len(t, w.Entries, 2)
	require.Equal(t, wrappedAttr{"String", "x"}, w.Entries[0].MsgAttrs["n"])
	require.Equal(t, "2", w.Entries[1].ID)
}

// FuzzDecode must never panic, whatever the form.
func FuzzDecode(f *testing.F) {
	f.Add("MessageAttribute.1.Name=n&MessageAttribute.1.Value.DataType=String&Entry.1.Id=a")
	f.Add("Attribute.3.Name=a&Attribute.1.Value=b&AttributeName.1000=x")
	f.Add("MaxNumberOfMessages=99999999999999999999&Flag=maybe")
	f.Add("Attributes.entry.1.key=a&Attributes.entry.1.value=b&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Name=n")
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		var s sample
		_ = Decode(form, &s)
		var w wrapped
		_ = Decode(form, &w)
	})
}
