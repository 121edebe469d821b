package conformance

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/function/functiontest"
)

// lambdaCase is one recorded case of test_lambda_api.py: its pytest node id
// after "::" and the scenario.
type lambdaCase struct {
	id  string
	run func(e *lambdaEnv)
}

func oneLambda(id string, run func(e *lambdaEnv)) lambdaCase { return lambdaCase{id: id, run: run} }

// lambdaEnv is what a scenario needs: the Lambda client (aws_client.lambda_),
// the snapshot and the role functions are created with.
type lambdaEnv struct {
	t    *testing.T
	srv  *fogbanktest.Server
	c    *lambdaClient
	snap *snapshot
	role string
}

// lambdaRole is the execution role of every created function; the
// resource transformer turns its name into <resource:N>.
const lambdaRole = "arn:aws:iam::" + account + ":role/lambda-test-role"

func runLambdaCases(t *testing.T, file string, api func(*snapshot), cases []lambdaCase) {
	t.Helper()
	seen := map[string]bool{}
	for _, tc := range cases {
		require.False(t, seen[tc.id], "duplicate case %s", tc.id)
		seen[tc.id] = true
		t.Run(tc.id, func(t *testing.T) {
			t.Parallel()
			want := expandRuns(lambdaRecorded(t, file, tc.id))
			if why := lambdaGap(tc.id); why != "" {
				t.Skip("fogbank gap: " + why)
			}
			e := newLambdaEnv(t, api)
			tc.run(e)
			if !t.Failed() {
				e.snap.verify(t, want)
			}
		})
	}
}

// lambdaRecorded returns the recorded content of a validated case; the
// snapshot files keep LocalStack's folder name lambda_ in their keys.
func lambdaRecorded(t *testing.T, file, id string) M {
	t.Helper()
	r := loadRecording(t, "lambda", file)
	full := "tests/aws/services/lambda_/" + file + ".py::" + id
	if _, ok := r.validated[full]; !ok {
		t.Fatalf("%s is not validated against AWS", full)
	}
	raw, ok := r.cases[full]
	if !ok {
		t.Fatalf("%s has no snapshot", full)
	}
	var c struct {
		Content M `json:"recorded-content"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c.Content
}

var runToken = regexp.MustCompile(`<a:len\((\d+)\)>`)

// expandRuns undoes the recording test's "a"*N → <a:len(N)> transformers,
// which it applied in an order that varied between runs; comparing the
// plain strings is the same check.
func expandRuns(want M) M {
	s := runToken.ReplaceAllStringFunc(jsonString(want), func(tok string) string {
		n, _ := strconv.Atoi(runToken.FindStringSubmatch(tok)[1])
		return strings.Repeat("a", n)
	})
	var out M
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		panic(err)
	}
	return out
}

func newLambdaEnv(t *testing.T, api func(*snapshot)) *lambdaEnv {
	srv := fogbanktest.Start(t)
	return &lambdaEnv{
		t: t, srv: srv,
		c:    newLambdaClient(srv.AWSConfigFor(accessKey, "secret", region)),
		snap: newSnapshot(account, region, api),
		role: lambdaRole,
	}
}

// lambdaAPI is test_lambda_api.py's autouse fixture: lambda_api() and a
// reference transformer for CodeSha256 (priority 0).
func lambdaAPI(s *snapshot) {
	lambdaTransformers(s)
	s.keyValue("CodeSha256", "code-sha256")
}

// lambdaCommonAPI is test_lambda.py's: lambda_api() and CodeSha256
// replaced by the literal "code-sha256".
func lambdaCommonAPI(s *snapshot) {
	lambdaTransformers(s)
	s.replaceValue(func(path []string) bool { return last(path) == "CodeSha256" }, "code-sha256")
}

// lambdaTransformers is TransformerUtility.lambda_api().
func lambdaTransformers(s *snapshot) {
	s.keyValue("FunctionName", "function-name")
	s.replaceValue(func(path []string) bool { return last(path) == "CodeSize" }, "<code-size>")
	s.replaceValue(func(path []string) bool {
		return len(path) > 1 && last(path) == "Location" && path[len(path)-2] == "Code"
	}, "<location>")
	s.replaceValue(func(path []string) bool {
		return len(path) > 1 && last(path) == "Location" && path[len(path)-2] == "Content"
	}, "<layer-location>")
	s.keyValueFn(0, lambdaResourceName, "resource")
}

// lambdaResourceName is _resource_name_transformer with its Lambda
// branches: "function:NAME[:QUALIFIER]" gives NAME[:QUALIFIER] (without
// $LATEST), "layer:NAME[:VERSION]" gives NAME.
func lambdaResourceName(k string, v any) (string, bool) {
	str, ok := v.(string)
	if !ok {
		return "", false
	}
	m := patternARN.FindStringSubmatch(str)
	if m == nil {
		return resourceName(k, v)
	}
	res := m[5]
	switch {
	case strings.HasPrefix(res, "<") && strings.HasSuffix(res, ">"), strings.Contains(res, "/"):
		return resourceName(k, v)
	case strings.HasPrefix(res, "function:"):
		res = strings.TrimPrefix(res, "function:")
		if i := strings.Index(res, "$"); i >= 0 {
			res = strings.TrimRight(res[:i], ":")
		}
		return res, true
	case strings.HasPrefix(res, "layer:"):
		return strings.Split(res, ":")[1], true
	}
	return resourceName(k, v)
}

func last(path []string) string { return path[len(path)-1] }

// replaceValue replaces, in place, every non-empty value whose key path
// matches (TransformerUtility.key_value/jsonpath with
// reference_replacement=False).
func (s *snapshot) replaceValue(match func(path []string) bool, replacement string) {
	var walk func(v any, path []string)
	walk = func(v any, path []string) {
		switch x := v.(type) {
		case M:
			for k, c := range x {
				p := append(path[:len(path):len(path)], k)
				if c != nil && c != "" && match(p) {
					x[k] = replacement
					continue
				}
				walk(c, p)
			}
		case []any:
			for _, c := range x {
				walk(c, path)
			}
		}
	}
	s.add(0, func(_ *snapshot, st []*entry) {
		for _, e := range st {
			walk(e.value, []string{e.key})
		}
	})
}

// replaceValueIf replaces, in place, every string value match accepts.
func (s *snapshot) replaceValueIf(priority int, match func(any) bool, replacement string) {
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case M:
			for k, c := range x {
				if match(c) {
					x[k] = replacement
					continue
				}
				walk(c)
			}
		case []any:
			for i, c := range x {
				if match(c) {
					x[i] = replacement
					continue
				}
				walk(c)
			}
		}
	}
	s.add(priority, func(_ *snapshot, st []*entry) {
		for _, e := range st {
			walk(e.value)
		}
	})
}

// call sends op and returns botocore's response dict (success or error).
func (e *lambdaEnv) call(op string, params M) M {
	e.t.Helper()
	r, err := e.c.call(e.t.Context(), op, params)
	require.NoError(e.t, err, op)
	return r
}

// ok sends op and requires success.
func (e *lambdaEnv) ok(op string, params M) M {
	e.t.Helper()
	r := e.call(op, params)
	require.NotContains(e.t, r, "Error", "%s: %v", op, r["Error"])
	return r
}

// fail sends op and requires an error response.
func (e *lambdaEnv) fail(op string, params M) M {
	e.t.Helper()
	r := e.call(op, params)
	require.Contains(e.t, r, "Error", "%s succeeded: %v", op, r)
	return r
}

func (e *lambdaEnv) match(key string, v any) { e.snap.match(key, v) }

// zip is a deployment package: the test bootstrap and one file that makes
// each variant's CodeSha256 distinct.
func (e *lambdaEnv) zip(variant string) []byte {
	return functiontest.Zip(e.t, map[string]string{"variant.txt": variant})
}

// createParams are create_lambda_function's defaults (python3.12,
// handler.handler) with params on top; the runtime is only a name here.
func (e *lambdaEnv) createParams(name string, params M) M {
	p := M{
		"FunctionName": name, "Runtime": "python3.12", "Handler": "handler.handler", "Role": e.role,
		"Code": M{"ZipFile": e.zip("v1")}, "Timeout": 30, "Environment": M{"Variables": M{}},
	}
	for k, v := range params {
		p[k] = v
	}
	return p
}

// create creates a function with createParams and returns the response.
func (e *lambdaEnv) create(name string, params M) M {
	e.t.Helper()
	return e.ok("CreateFunction", e.createParams(name, params))
}

// fnName is a fresh function name like the tests' f"test-fn-{short_uid()}".
func fnName(prefix string) string { return prefix + "-" + shortUID() }

// fnArn is the function's (optionally qualified) ARN.
func fnArn(name string, qualifier ...string) string {
	arn := fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", region, account, name)
	for _, q := range qualifier {
		arn += ":" + q
	}
	return arn
}

// validationView is how test_function_name_and_qualifier_validation
// records an error: a "N validation error(s) detected: A; B" message as its
// count and parts, any other message as it is.
func validationView(r M) M {
	er := r["Error"].(M)
	msg := er["Message"].(string)
	m := regexp.MustCompile(`^(\d+) validation errors? detected: (.*)$`).FindStringSubmatch(msg)
	if m == nil {
		return M{"Code": er["Code"], "Message": msg}
	}
	n, _ := strconv.Atoi(m[1])
	parts := strings.Split(m[2], "; ")
	errs := make([]any, len(parts))
	for i, p := range parts {
		errs[i] = p
	}
	return M{"Code": er["Code"], "Count": n, "Errors": errs}
}
