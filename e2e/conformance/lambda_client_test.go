package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// lambdaClient drives aws-sdk-go-v2's Lambda client (restJson1) and returns
// each response as the dict botocore would have produced.
type lambdaClient struct {
	sdk *lambda.Client
	rt  *captureTransport
}

func newLambdaClient(cfg aws.Config) *lambdaClient {
	rt := &captureTransport{extra: http.Header{}}
	cfg.HTTPClient = &http.Client{Transport: rt}
	cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
	return &lambdaClient{sdk: lambda.NewFromConfig(cfg), rt: rt}
}

type lambdaCall func(ctx context.Context, c *lambda.Client, raw []byte) error

func lambdaOp[I, O any](f func(*lambda.Client, context.Context, *I, ...func(*lambda.Options)) (*O, error)) lambdaCall {
	return func(ctx context.Context, c *lambda.Client, raw []byte) error {
		in := new(I)
		if err := json.Unmarshal(raw, in); err != nil {
			return fmt.Errorf("params: %w", err)
		}
		_, err := f(c, ctx, in)
		return err
	}
}

var lambdaOps = map[string]lambdaCall{
	"CreateFunction":                     lambdaOp((*lambda.Client).CreateFunction),
	"GetFunction":                        lambdaOp((*lambda.Client).GetFunction),
	"GetFunctionConfiguration":           lambdaOp((*lambda.Client).GetFunctionConfiguration),
	"DeleteFunction":                     lambdaOp((*lambda.Client).DeleteFunction),
	"ListFunctions":                      lambdaOp((*lambda.Client).ListFunctions),
	"UpdateFunctionCode":                 lambdaOp((*lambda.Client).UpdateFunctionCode),
	"UpdateFunctionConfiguration":        lambdaOp((*lambda.Client).UpdateFunctionConfiguration),
	"Invoke":                             lambdaOp((*lambda.Client).Invoke),
	"PublishVersion":                     lambdaOp((*lambda.Client).PublishVersion),
	"ListVersionsByFunction":             lambdaOp((*lambda.Client).ListVersionsByFunction),
	"CreateAlias":                        lambdaOp((*lambda.Client).CreateAlias),
	"GetAlias":                           lambdaOp((*lambda.Client).GetAlias),
	"UpdateAlias":                        lambdaOp((*lambda.Client).UpdateAlias),
	"DeleteAlias":                        lambdaOp((*lambda.Client).DeleteAlias),
	"ListAliases":                        lambdaOp((*lambda.Client).ListAliases),
	"PutFunctionConcurrency":             lambdaOp((*lambda.Client).PutFunctionConcurrency),
	"GetFunctionConcurrency":             lambdaOp((*lambda.Client).GetFunctionConcurrency),
	"DeleteFunctionConcurrency":          lambdaOp((*lambda.Client).DeleteFunctionConcurrency),
	"PutProvisionedConcurrencyConfig":    lambdaOp((*lambda.Client).PutProvisionedConcurrencyConfig),
	"GetProvisionedConcurrencyConfig":    lambdaOp((*lambda.Client).GetProvisionedConcurrencyConfig),
	"DeleteProvisionedConcurrencyConfig": lambdaOp((*lambda.Client).DeleteProvisionedConcurrencyConfig),
	"ListProvisionedConcurrencyConfigs":  lambdaOp((*lambda.Client).ListProvisionedConcurrencyConfigs),
	"GetAccountSettings":                 lambdaOp((*lambda.Client).GetAccountSettings),
	"AddPermission":                      lambdaOp((*lambda.Client).AddPermission),
	"RemovePermission":                   lambdaOp((*lambda.Client).RemovePermission),
	"GetPolicy":                          lambdaOp((*lambda.Client).GetPolicy),
	"TagResource":                        lambdaOp((*lambda.Client).TagResource),
	"UntagResource":                      lambdaOp((*lambda.Client).UntagResource),
	"ListTags":                           lambdaOp((*lambda.Client).ListTags),
	"PutFunctionEventInvokeConfig":       lambdaOp((*lambda.Client).PutFunctionEventInvokeConfig),
	"UpdateFunctionEventInvokeConfig":    lambdaOp((*lambda.Client).UpdateFunctionEventInvokeConfig),
	"GetFunctionEventInvokeConfig":       lambdaOp((*lambda.Client).GetFunctionEventInvokeConfig),
	"DeleteFunctionEventInvokeConfig":    lambdaOp((*lambda.Client).DeleteFunctionEventInvokeConfig),
	"ListFunctionEventInvokeConfigs":     lambdaOp((*lambda.Client).ListFunctionEventInvokeConfigs),
	"CreateEventSourceMapping":           lambdaOp((*lambda.Client).CreateEventSourceMapping),
	"GetEventSourceMapping":              lambdaOp((*lambda.Client).GetEventSourceMapping),
	"UpdateEventSourceMapping":           lambdaOp((*lambda.Client).UpdateEventSourceMapping),
	"DeleteEventSourceMapping":           lambdaOp((*lambda.Client).DeleteEventSourceMapping),
	"ListEventSourceMappings":            lambdaOp((*lambda.Client).ListEventSourceMappings),
	"PublishLayerVersion":                lambdaOp((*lambda.Client).PublishLayerVersion),
	"GetLayerVersion":                    lambdaOp((*lambda.Client).GetLayerVersion),
	"GetLayerVersionByArn":               lambdaOp((*lambda.Client).GetLayerVersionByArn),
	"ListLayerVersions":                  lambdaOp((*lambda.Client).ListLayerVersions),
	"ListLayers":                         lambdaOp((*lambda.Client).ListLayers),
	"DeleteLayerVersion":                 lambdaOp((*lambda.Client).DeleteLayerVersion),
	"AddLayerVersionPermission":          lambdaOp((*lambda.Client).AddLayerVersionPermission),
	"GetLayerVersionPolicy":              lambdaOp((*lambda.Client).GetLayerVersionPolicy),
	"RemoveLayerVersionPermission":       lambdaOp((*lambda.Client).RemoveLayerVersionPermission),
}

// call sends op with params (botocore's parameter names) and returns
// botocore's response dict: the output or {"Error": ...}, plus
// ResponseMetadata.
func (c *lambdaClient) call(ctx context.Context, op string, params M) (M, error) {
	f, ok := lambdaOps[op]
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
	sdkErr := f(ctx, c.sdk, raw)
	c.rt.mu.Lock()
	status, header, body := c.rt.status, c.rt.header, c.rt.body
	c.rt.mu.Unlock()
	if status == 0 {
		return nil, fmt.Errorf("%s: no response: %w", op, sdkErr)
	}
	if status < 300 && sdkErr != nil {
		return nil, fmt.Errorf("%s: the SDK rejected a %d response: %w", op, status, sdkErr)
	}
	return botocoreREST(op, status, header, body)
}

// botocoreREST parses a restJson1 Lambda response the way botocore does.
func botocoreREST(op string, status int, header http.Header, body []byte) (M, error) {
	meta := M{"HTTPHeaders": M{}, "HTTPStatusCode": status}
	if status < 300 && op == "Invoke" {
		out := M{"StatusCode": status, "Payload": "<streaming-body>", "ResponseMetadata": meta}
		for h, k := range map[string]string{"X-Amz-Executed-Version": "ExecutedVersion", "X-Amz-Function-Error": "FunctionError", "X-Amz-Log-Result": "LogResult"} {
			if v := header.Get(h); v != "" {
				out[k] = v
			}
		}
		return out, nil
	}
	out := M{}
	if len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, &out); err != nil {
			return nil, fmt.Errorf("status %d, body %q: %w", status, body, err)
		}
	}
	if status < 300 {
		if op == "DeleteFunction" {
			out["StatusCode"] = status
		}
		markTimestamps(op, out)
		out["ResponseMetadata"] = meta
		return out, nil
	}
	code := header.Get("X-Amzn-ErrorType")
	code, _, _ = strings.Cut(code, ":")
	// body.get("message", body.get("Message", "")), as botocore reads it.
	var msg any = ""
	if v, ok := out["message"]; ok {
		msg = v
	} else if v, ok := out["Message"]; ok {
		msg = v
	}
	res := M{"Error": M{"Code": code, "Message": msg}, "ResponseMetadata": meta}
	// Modeled exceptions also carry their members at the top level.
	for _, m := range lambdaErrorMembers()[code] {
		if v, ok := out[m]; ok {
			res[m] = v
		}
	}
	return res, nil
}

var lambdaErrors = struct {
	once    sync.Once
	members map[string][]string
}{}

// lambdaErrorMembers reads each modeled exception's members from the Lambda
// model extract the awsapi package tests with.
func lambdaErrorMembers() map[string][]string {
	lambdaErrors.once.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "internal", "awsapi", "lambda", "testdata", "lambda-errors.json"))
		if err != nil {
			panic(err)
		}
		var model struct {
			Exceptions map[string]struct {
				Members []string `json:"members"`
			} `json:"exceptions"`
		}
		if err := json.Unmarshal(b, &model); err != nil {
			panic(err)
		}
		lambdaErrors.members = map[string][]string{}
		for name, e := range model.Exceptions {
			lambdaErrors.members[name] = e.Members
		}
	})
	return lambdaErrors.members
}

// timestampOps are the operations whose LastModified is a timestamp
// (an epoch number on the wire); botocore makes it a datetime, which the
// snapshot records as "datetime".
var timestampOps = map[string]bool{
	"PutFunctionEventInvokeConfig": true, "UpdateFunctionEventInvokeConfig": true,
	"GetFunctionEventInvokeConfig": true, "ListFunctionEventInvokeConfigs": true,
	"CreateEventSourceMapping": true, "GetEventSourceMapping": true, "UpdateEventSourceMapping": true,
	"DeleteEventSourceMapping": true, "ListEventSourceMappings": true,
}

func markTimestamps(op string, out M) {
	if !timestampOps[op] {
		return
	}
	walkDicts(out, func(d M) {
		if _, ok := d["LastModified"].(float64); ok {
			d["LastModified"] = "datetime"
		}
	})
}
