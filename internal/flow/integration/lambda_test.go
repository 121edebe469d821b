package integration_test

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// TestLambdaInvokePayloads follows the recorded lambda:invoke cases
// (services/test_lambda_task_service.py::test_invoke_json_values): a
// string Payload goes out as it is, and the function's answer comes back
// parsed.
func TestLambdaInvokePayloads(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.function("id")
	for _, tc := range []struct {
		payload any
		want    string
		length  string
	}{
		{nil, `{}`, "2"},
		{"0.0", `0.0`, "3"},
		{"0", `0`, "1"},
		{`"HelloWorld"`, `"HelloWorld"`, "12"},
		{"true", `true`, "4"},
		{"{}", `{}`, "2"},
		{"[]", `[]`, "2"},
		{map[string]any{"a": 1}, `{"a":1}`, "7"},
	} {
		for _, name := range []string{"id:$LATEST", "arn:aws:lambda:us-east-1:000000000000:function:id", "000000000000:function:id:$LATEST"} {
			out, f := e.invoke("arn:aws:states:::lambda:invoke", map[string]any{"FunctionName": name, "Payload": tc.payload})
			require.Nil(t, f, name)
			require.Equal(t, "$LATEST", out["ExecutedVersion"])
		}
		out, f := e.invoke("arn:aws:states:::lambda:invoke", map[string]any{"FunctionName": "id", "Payload": tc.payload})
		require.Nil(t, f)
		got, _ := json.Marshal(out["Payload"])
		require.JSONEq(t, tc.want, string(got), "payload %v", tc.payload)
		require.Equal(t, "$LATEST", out["ExecutedVersion"])
		require.Equal(t, json.Number("200"), out["StatusCode"])
		meta := out["SdkHttpMetadata"].(map[string]any)
		headers := meta["HttpHeaders"].(map[string]any)
		require.Equal(t, tc.length, headers["Content-Length"])
		require.Equal(t, "application/json", headers["Content-Type"])
		require.Equal(t, "$LATEST", headers["X-Amz-Executed-Version"])
		require.Equal(t, []any{tc.length}, meta["AllHttpHeaders"].(map[string]any)["Content-Length"])
		require.Equal(t, headers["x-amzn-RequestId"], out["SdkResponseMetadata"].(map[string]any)["RequestId"])
	}
}

func TestLambdaInvokeLogTail(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.function("id")
	out, f := e.invoke("arn:aws:states:::lambda:invoke", map[string]any{"FunctionName": "id", "Payload": nil, "LogType": "Tail"})
	require.Nil(t, f)
	require.NotEmpty(t, out["LogResult"])
	require.Equal(t, out["LogResult"], out["SdkHttpMetadata"].(map[string]any)["HttpHeaders"].(map[string]any)["X-Amz-Log-Result"])
}

// TestLambdaInvokeErrors: a missing function and a function error, as the
// recorded test_no_such_function and test_raise_exception report them.
func TestLambdaInvokeErrors(t *testing.T) {
	t.Parallel()
	e := setup(t)
	fn := e.function("fails")
	_, f := e.invoke("arn:aws:states:::lambda:invoke", map[string]any{"FunctionName": "no_such_fails", "Payload": nil})
	require.NotNil(t, f)
	require.Equal(t, "Lambda.ResourceNotFoundException", f.Error)
	require.Equal(t, "Function not found: arn:aws:lambda:us-east-1:000000000000:function:no_such_fails:$LATEST (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: <id>; Proxy: null)",
		uuidRE.ReplaceAllString(f.Cause, "<id>"))

	_, f = e.invoke("arn:aws:states:::lambda:invoke", map[string]any{"FunctionName": fn, "Payload": map[string]any{"action": "error", "msg": "boom"}})
	require.NotNil(t, f)
	require.Equal(t, "TestError", f.Error)
	require.JSONEq(t, `{"errorMessage":"boom","errorType":"TestError","stackTrace":[]}`, f.Cause)

	_, f = e.invoke("arn:aws:states:::lambda:invoke", map[string]any{"FunctionName": "fails", "Bogus": 1})
	require.Equal(t, "States.Runtime", f.Error)
	require.Equal(t, `The field "Bogus" is not supported by Step Functions`, f.Cause)
}

// TestLegacyLambda: a bare function ARN's result is the function's answer.
func TestLegacyLambda(t *testing.T) {
	t.Parallel()
	e := setup(t)
	fn := e.function("legacy")
	out, f := e.invoke(fn, map[string]any{"k": []any{1, "x"}})
	require.Nil(t, f)
	require.Equal(t, map[string]any{"k": []any{json.Number("1"), "x"}}, out)

	_, f = e.invoke(fn, map[string]any{"action": "error", "msg": "m"})
	require.Equal(t, "TestError", f.Error)

	_, f = e.invoke("arn:aws:lambda:us-east-1:000000000000:function:absent", map[string]any{})
	require.Equal(t, "Lambda.ResourceNotFoundException", f.Error)

	_, f = e.invoke(fn, map[string]any{"action": "big", "n": 300 * 1024})
	require.Equal(t, "States.DataLimitExceeded", f.Error)
	require.Equal(t, "The state/task '"+fn+"' returned a result with a size exceeding the maximum number of bytes service limit.", f.Cause)
}
