package conformance

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// queryClient speaks SQS's query protocol: a signed form POST in, XML out.
type queryClient struct {
	endpoint string
	region   string
	creds    aws.Credentials
	http     *http.Client
	extra    http.Header
}

func newQueryClient(endpoint, akid, secret, region string) *queryClient {
	return &queryClient{
		endpoint: endpoint, region: region,
		creds: aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret},
		http:  &http.Client{Timeout: 30 * time.Second}, extra: http.Header{},
	}
}

func (c *queryClient) setHeader(name, value string) { c.extra.Set(name, value) }

// Query names of list and map members (the shapes' locationName).
var (
	queryListNames = map[string]string{
		"AttributeNames": "AttributeName", "MessageAttributeNames": "MessageAttributeName",
		"MessageSystemAttributeNames": "MessageSystemAttributeName", "TagKeys": "TagKey",
		"AWSAccountIds": "AWSAccountId", "Actions": "ActionName",
		"StringListValues": "StringListValue", "BinaryListValues": "BinaryListValue",
	}
	queryMapNames = map[string][3]string{
		"Attributes": {"Attribute", "Name", "Value"}, "tags": {"Tag", "Key", "Value"},
		"Tags": {"Tag", "Key", "Value"}, "MessageAttributes": {"MessageAttribute", "Name", "Value"},
		"MessageSystemAttributes": {"MessageSystemAttribute", "Name", "Value"},
	}
)

func (c *queryClient) call(ctx context.Context, op string, params M) (M, error) {
	form := url.Values{"Action": {op}, "Version": {"2012-11-05"}}
	for k, v := range params {
		name := k
		if k == "Entries" {
			name = op + "RequestEntry"
		}
		flattenQuery(form, "", name, k, v)
	}
	body := form.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint+"/", strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	for k, v := range c.extra {
		req.Header[k] = v
	}
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(ctx, c.creds, req, hex.EncodeToString(sum[:]), "sqs", c.region, time.Now()); err != nil {
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return botocoreQuery(resp.StatusCode, raw)
}

// flattenQuery serialises one member: name is the wire name, member the
// shape's member name (which picks list/map naming).
func flattenQuery(form url.Values, prefix, name, member string, v any) {
	key := prefix + name
	switch x := v.(type) {
	case string:
		form.Set(key, x)
	case int:
		form.Set(key, strconv.Itoa(x))
	case bool:
		form.Set(key, strconv.FormatBool(x))
	case []byte:
		form.Set(key, base64.StdEncoding.EncodeToString(x))
	case []string:
		for i, s := range x {
			form.Set(fmt.Sprintf("%s%s.%d", prefix, listName(member), i+1), s)
		}
	case [][]byte:
		for i, s := range x {
			form.Set(fmt.Sprintf("%s%s.%d", prefix, listName(member), i+1), base64.StdEncoding.EncodeToString(s))
		}
	case []M:
		for i, e := range x {
			p := fmt.Sprintf("%s%s.%d.", prefix, name, i+1)
			for k, ev := range e {
				flattenQuery(form, p, k, k, ev)
			}
		}
	case map[string]string:
		m := M{}
		for k, s := range x {
			m[k] = s
		}
		flattenQuery(form, prefix, name, member, m)
	case M:
		names, ok := queryMapNames[member]
		if !ok { // a structure
			for k, ev := range x {
				flattenQuery(form, key+".", k, k, ev)
			}
			return
		}
		keys := sortedKeys(x)
		for i, k := range keys {
			p := fmt.Sprintf("%s%s.%d.", prefix, names[0], i+1)
			form.Set(p+names[1], k)
			if sub, ok := x[k].(M); ok {
				for sk, sv := range sub {
					flattenQuery(form, p+names[2]+".", sk, sk, sv)
				}
			} else {
				flattenQuery(form, p, names[2], names[2], x[k])
			}
		}
	default:
		panic(fmt.Sprintf("query: cannot serialise %s=%T", key, v))
	}
}

func listName(member string) string {
	if n, ok := queryListNames[member]; ok {
		return n
	}
	return member
}

// xmlNode is a generic XML element.
type xmlNode struct {
	XMLName xml.Name
	Text    string    `xml:",chardata"`
	Kids    []xmlNode `xml:",any"`
}

// botocoreQuery parses a query-protocol response into botocore's dict.
func botocoreQuery(status int, raw []byte) (M, error) {
	var root xmlNode
	if err := xml.Unmarshal(raw, &root); err != nil {
		return nil, fmt.Errorf("status %d, body %q: %w", status, raw, err)
	}
	meta := M{"HTTPHeaders": M{}, "HTTPStatusCode": status}
	if root.XMLName.Local == "ErrorResponse" {
		e := M{}
		for _, k := range root.Kids {
			if k.XMLName.Local != "Error" {
				continue
			}
			for _, f := range k.Kids {
				if f.Text == "" && len(f.Kids) == 0 {
					e[f.XMLName.Local] = nil
				} else {
					e[f.XMLName.Local] = f.Text
				}
			}
		}
		return M{"Error": e, "ResponseMetadata": meta}, nil
	}
	if status >= 300 {
		return nil, fmt.Errorf("status %d without ErrorResponse: %s", status, raw)
	}
	out := M{}
	for _, k := range root.Kids {
		if strings.HasSuffix(k.XMLName.Local, "Result") {
			out = queryStruct(k.XMLName.Local, k.Kids)
		}
	}
	convertBlobs(out)
	out["ResponseMetadata"] = meta
	return out, nil
}

// Flattened list members: element name -> output member.
var queryLists = map[string]string{
	"Message": "Messages", "SendMessageBatchResultEntry": "Successful",
	"DeleteMessageBatchResultEntry": "Successful", "ChangeMessageVisibilityBatchResultEntry": "Successful",
	"BatchResultErrorEntry": "Failed", "ListMessageMoveTasksResultEntry": "Results",
	"StringListValue": "StringListValues", "BinaryListValue": "BinaryListValues",
}

var queryInts = map[string]bool{
	"ApproximateNumberOfMessagesMoved": true, "ApproximateNumberOfMessagesToMove": true,
	"MaxNumberOfMessagesPerSecond": true, "StartedTimestamp": true,
}

func queryStruct(parent string, kids []xmlNode) M {
	out := M{}
	for _, k := range kids {
		name := k.XMLName.Local
		switch {
		case name == "QueueUrl" && (parent == "ListQueuesResult" || parent == "ListDeadLetterSourceQueuesResult"):
			member := "QueueUrls"
			if parent == "ListDeadLetterSourceQueuesResult" {
				member = "queueUrls"
			}
			l, _ := out[member].([]any)
			out[member] = append(l, k.Text)
		case name == "Attribute" || name == "Tag" || name == "MessageAttribute":
			member, keyName := map[string][2]string{"Attribute": {"Attributes", "Name"}, "Tag": {"Tags", "Key"}, "MessageAttribute": {"MessageAttributes", "Name"}}[name][0], map[string]string{"Attribute": "Name", "Tag": "Key", "MessageAttribute": "Name"}[name]
			m, _ := out[member].(M)
			if m == nil {
				m = M{}
			}
			var key string
			var val any
			for _, f := range k.Kids {
				switch f.XMLName.Local {
				case keyName:
					key = f.Text
				case "Value":
					if name == "MessageAttribute" {
						val = queryStruct("MessageAttributeValue", f.Kids)
					} else {
						val = f.Text
					}
				}
			}
			m[key] = val
			out[member] = m
		case queryLists[name] != "":
			member := queryLists[name]
			l, _ := out[member].([]any)
			if len(k.Kids) > 0 {
				out[member] = append(l, queryStruct(name, k.Kids))
			} else {
				out[member] = append(l, k.Text)
			}
		case name == "SenderFault":
			out[name] = k.Text == "true"
		case queryInts[name]:
			n, _ := strconv.Atoi(k.Text)
			out[name] = n
		default:
			out[name] = k.Text
		}
	}
	return out
}
