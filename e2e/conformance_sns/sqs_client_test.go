package conformancesns

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// caller sends one SQS operation and returns botocore's view of the
// response: the parsed output or {"Error": ...}, plus ResponseMetadata.
type caller interface {
	call(ctx context.Context, op string, params M) (M, error)
	setHeader(name, value string) // added to every later request
}

// captureTransport keeps the last raw HTTP response so the JSON body can be
// given to the snapshot exactly as botocore parsed it.
type captureTransport struct {
	mu     sync.Mutex
	status int
	header http.Header
	body   []byte
	extra  http.Header
}

func (c *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	for k, v := range c.extra {
		req.Header[k] = v
	}
	c.mu.Unlock()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.status, c.header, c.body = resp.StatusCode, resp.Header, body
	c.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// jsonClient drives aws-sdk-go-v2's SQS client (AWS JSON 1.0).
type jsonClient struct {
	sdk *sqs.Client
	rt  *captureTransport
}

func newJSONClient(cfg aws.Config) *jsonClient {
	rt := &captureTransport{extra: http.Header{}}
	cfg.HTTPClient = &http.Client{Transport: rt}
	return &jsonClient{sdk: sqs.NewFromConfig(cfg), rt: rt}
}

func (c *jsonClient) setHeader(name, value string) {
	c.rt.mu.Lock()
	defer c.rt.mu.Unlock()
	c.rt.extra.Set(name, value)
}

type sdkCall func(ctx context.Context, c *sqs.Client, raw []byte, opt func(*sqs.Options)) error

func sdkOp[I, O any](f func(*sqs.Client, context.Context, *I, ...func(*sqs.Options)) (*O, error)) sdkCall {
	return func(ctx context.Context, c *sqs.Client, raw []byte, opt func(*sqs.Options)) error {
		in := new(I)
		if err := json.Unmarshal(raw, in); err != nil {
			return fmt.Errorf("params: %w", err)
		}
		_, err := f(c, ctx, in, opt)
		return err
	}
}

var sdkOps = map[string]sdkCall{
	"CreateQueue":                  sdkOp((*sqs.Client).CreateQueue),
	"DeleteQueue":                  sdkOp((*sqs.Client).DeleteQueue),
	"GetQueueUrl":                  sdkOp((*sqs.Client).GetQueueUrl),
	"ListQueues":                   sdkOp((*sqs.Client).ListQueues),
	"GetQueueAttributes":           sdkOp((*sqs.Client).GetQueueAttributes),
	"SetQueueAttributes":           sdkOp((*sqs.Client).SetQueueAttributes),
	"PurgeQueue":                   sdkOp((*sqs.Client).PurgeQueue),
	"TagQueue":                     sdkOp((*sqs.Client).TagQueue),
	"UntagQueue":                   sdkOp((*sqs.Client).UntagQueue),
	"ListQueueTags":                sdkOp((*sqs.Client).ListQueueTags),
	"AddPermission":                sdkOp((*sqs.Client).AddPermission),
	"RemovePermission":             sdkOp((*sqs.Client).RemovePermission),
	"ListDeadLetterSourceQueues":   sdkOp((*sqs.Client).ListDeadLetterSourceQueues),
	"SendMessage":                  sdkOp((*sqs.Client).SendMessage),
	"SendMessageBatch":             sdkOp((*sqs.Client).SendMessageBatch),
	"ReceiveMessage":               sdkOp((*sqs.Client).ReceiveMessage),
	"DeleteMessage":                sdkOp((*sqs.Client).DeleteMessage),
	"DeleteMessageBatch":           sdkOp((*sqs.Client).DeleteMessageBatch),
	"ChangeMessageVisibility":      sdkOp((*sqs.Client).ChangeMessageVisibility),
	"ChangeMessageVisibilityBatch": sdkOp((*sqs.Client).ChangeMessageVisibilityBatch),
	"StartMessageMoveTask":         sdkOp((*sqs.Client).StartMessageMoveTask),
	"CancelMessageMoveTask":        sdkOp((*sqs.Client).CancelMessageMoveTask),
	"ListMessageMoveTasks":         sdkOp((*sqs.Client).ListMessageMoveTasks),
}

func (c *jsonClient) call(ctx context.Context, op string, params M) (M, error) {
	f, ok := sdkOps[op]
	if !ok {
		return nil, fmt.Errorf("unknown operation %s", op)
	}
	raw, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	c.rt.mu.Lock()
	c.rt.status, c.rt.body = 0, nil
	c.rt.mu.Unlock()
	sdkErr := f(ctx, c.sdk, raw, keepZeroInts(params))
	c.rt.mu.Lock()
	status, header, body := c.rt.status, c.rt.header, c.rt.body
	c.rt.mu.Unlock()
	if status == 0 {
		return nil, fmt.Errorf("%s: no response: %w", op, sdkErr)
	}
	if status == http.StatusOK && sdkErr != nil {
		return nil, fmt.Errorf("%s: the SDK rejected a 200 response: %w", op, sdkErr)
	}
	return botocoreJSON(status, header, body)
}

// keepZeroInts puts explicit 0 integers back into the JSON body: the Go SDK
// drops them (non-pointer int32 members), botocore sends them.
func keepZeroInts(params M) func(*sqs.Options) {
	zeros := M{}
	for k, v := range params {
		if n, ok := v.(int); ok && n == 0 {
			zeros[k] = 0
		}
	}
	return func(o *sqs.Options) {
		if len(zeros) == 0 {
			return
		}
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			return st.Serialize.Add(middleware.SerializeMiddlewareFunc("keepZeroInts", func(ctx context.Context, in middleware.SerializeInput, next middleware.SerializeHandler) (middleware.SerializeOutput, middleware.Metadata, error) {
				req, ok := in.Request.(*smithyhttp.Request)
				if !ok {
					return next.HandleSerialize(ctx, in)
				}
				b, err := io.ReadAll(req.GetStream())
				if err != nil {
					return middleware.SerializeOutput{}, middleware.Metadata{}, err
				}
				body := M{}
				if err := json.Unmarshal(b, &body); err != nil {
					return middleware.SerializeOutput{}, middleware.Metadata{}, err
				}
				for k, v := range zeros {
					if _, ok := body[k]; !ok {
						body[k] = v
					}
				}
				b, _ = json.Marshal(body)
				req, err = req.SetStream(bytes.NewReader(b))
				if err != nil {
					return middleware.SerializeOutput{}, middleware.Metadata{}, err
				}
				in.Request = req
				return next.HandleSerialize(ctx, in)
			}), middleware.After)
		})
	}
}

// botocoreJSON parses a JSON-protocol response the way botocore does for a
// service with the awsQueryCompatible trait.
func botocoreJSON(status int, header http.Header, body []byte) (M, error) {
	meta := M{"HTTPHeaders": M{}, "HTTPStatusCode": status}
	out := M{}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &out); err != nil {
			return nil, fmt.Errorf("status %d, body %q: %w", status, body, err)
		}
	}
	if status < 300 {
		convertBlobs(out)
		out["ResponseMetadata"] = meta
		return out, nil
	}
	typ, _ := out["__type"].(string)
	short := typ[strings.LastIndex(typ, "#")+1:]
	msg, ok := out["message"].(string)
	if !ok {
		msg, _ = out["Message"].(string)
	}
	e := M{"Code": short, "Message": msg}
	res := M{"Error": e, "ResponseMetadata": meta}
	if q := header.Get("x-amzn-query-error"); q != "" {
		code, fault, _ := strings.Cut(q, ";")
		e["QueryErrorCode"], e["Code"], e["Type"] = short, code, fault
	}
	// Modeled SQS exceptions whose query code is their own name also carry
	// their members (message) at the top level.
	if strings.HasPrefix(typ, "com.amazonaws.sqs#") && e["Code"] == short {
		res["message"] = msg
	}
	return res, nil
}

// convertBlobs replaces base64 blob members with Python's bytes repr, which
// is how the snapshots store them.
func convertBlobs(v any) {
	walkDicts(v, func(d M) {
		if s, ok := d["BinaryValue"].(string); ok {
			if b, err := base64.StdEncoding.DecodeString(s); err == nil {
				d["BinaryValue"] = pyBytes(b)
			}
		}
		if l, ok := d["BinaryListValues"].([]any); ok {
			for i, x := range l {
				if s, ok := x.(string); ok {
					if b, err := base64.StdEncoding.DecodeString(s); err == nil {
						l[i] = pyBytes(b)
					}
				}
			}
		}
	})
}

// pyBytes is Python's repr() of a bytes value.
func pyBytes(b []byte) string {
	quote := byte('\'')
	if bytes.IndexByte(b, '\'') >= 0 && bytes.IndexByte(b, '"') < 0 {
		quote = '"'
	}
	var sb strings.Builder
	sb.WriteString("b")
	sb.WriteByte(quote)
	for _, c := range b {
		switch {
		case c == quote || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c == '\t':
			sb.WriteString(`\t`)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\r':
			sb.WriteString(`\r`)
		case c < 32 || c >= 127:
			fmt.Fprintf(&sb, `\x%02x`, c)
		default:
			sb.WriteByte(c)
		}
	}
	sb.WriteByte(quote)
	return sb.String()
}
