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
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// snsClient speaks SNS's query protocol like botocore: a signed form POST
// in, XML out, parsed into botocore's dict.
type snsClient struct {
	endpoint string
	region   string
	creds    aws.Credentials
	http     *http.Client
	extra    http.Header
}

func newSNSClient(endpoint, akid, secret, region string) *snsClient {
	return &snsClient{
		endpoint: endpoint, region: region,
		creds: aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret},
		http:  &http.Client{Timeout: 30 * time.Second}, extra: http.Header{},
	}
}

func (c *snsClient) setHeader(name, value string) { c.extra.Set(name, value) }

func (c *snsClient) call(ctx context.Context, op string, params M) (M, error) {
	form := url.Values{"Action": {op}, "Version": {"2010-03-31"}}
	for k, v := range params {
		flattenSNS(form, k, v)
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
	if err := v4.NewSigner().SignHTTP(ctx, c.creds, req, hex.EncodeToString(sum[:]), "sns", c.region, time.Now()); err != nil {
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
	return botocoreSNS(resp.StatusCode, raw)
}

// flattenSNS serialises one member the way botocore's query serializer does
// for SNS: lists as Name.member.N, maps as Name.entry.N.key/value
// (MessageAttributes: Name.entry.N.Name/Value).
func flattenSNS(form url.Values, key string, v any) {
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
			form.Set(fmt.Sprintf("%s.member.%d", key, i+1), s)
		}
	case []M:
		for i, e := range x {
			for k, ev := range e {
				flattenSNS(form, fmt.Sprintf("%s.member.%d.%s", key, i+1, k), ev)
			}
		}
	case map[string]string:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			form.Set(fmt.Sprintf("%s.entry.%d.key", key, i+1), k)
			form.Set(fmt.Sprintf("%s.entry.%d.value", key, i+1), x[k])
		}
	case M:
		if strings.HasSuffix(key, "MessageAttributes") {
			for i, k := range sortedKeys(x) {
				p := fmt.Sprintf("%s.entry.%d.", key, i+1)
				form.Set(p+"Name", k)
				for sk, sv := range x[k].(M) {
					flattenSNS(form, p+"Value."+sk, sv)
				}
			}
			return
		}
		for k, ev := range x {
			flattenSNS(form, key+"."+k, ev)
		}
	default:
		panic(fmt.Sprintf("query: cannot serialise %s=%T", key, v))
	}
}

// Output members that are lists or maps even when empty.
var (
	snsLists = map[string]bool{"Topics": true, "Subscriptions": true, "Tags": true, "Successful": true, "Failed": true, "phoneNumbers": true}
	snsMaps  = map[string]bool{"Attributes": true}
)

// botocoreSNS parses a query-protocol response into botocore's dict.
func botocoreSNS(status int, raw []byte) (M, error) {
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
				e[f.XMLName.Local] = f.Text
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
			out = snsStruct(k.Kids)
		}
	}
	out["ResponseMetadata"] = meta
	return out, nil
}

func snsStruct(kids []xmlNode) M {
	out := M{}
	for _, k := range kids {
		out[k.XMLName.Local] = snsValue(k)
	}
	return out
}

func snsValue(n xmlNode) any {
	name := n.XMLName.Local
	switch {
	case snsMaps[name] || (len(n.Kids) > 0 && n.Kids[0].XMLName.Local == "entry"):
		m := M{}
		for _, e := range n.Kids {
			var k, v string
			for _, f := range e.Kids {
				switch f.XMLName.Local {
				case "key":
					k = f.Text
				case "value":
					v = f.Text
				}
			}
			m[k] = v
		}
		return m
	case snsLists[name] || (len(n.Kids) > 0 && n.Kids[0].XMLName.Local == "member"):
		l := []any{}
		for _, m := range n.Kids {
			if len(m.Kids) == 0 {
				l = append(l, m.Text)
			} else {
				l = append(l, snsStruct(m.Kids))
			}
		}
		return l
	case len(n.Kids) > 0:
		return snsStruct(n.Kids)
	case name == "SenderFault":
		return n.Text == "true"
	}
	return n.Text
}
