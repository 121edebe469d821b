package conformance

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/function/functiontest"
)

// The Step Functions integration corpus: the AWS-recorded executions whose
// Task states call Lambda, SQS, SNS, EventBridge, nested executions or
// wait for task tokens, replayed against a real fogbank. Each case gets
// its own server, the resources its "resources" and "setupCalls" describe
// (Lambda behaviours as Python handlers), and compares status, output,
// error, cause and history after the corpus normalisation
// (sfn_integration_normalise_test.go). The cases that pass are listed in
// testdata/sfn_integration_passing.txt: a listed case that fails is a
// regression; FOGBANK_SFN_INTEGRATION_UPDATE=1 rewrites the list.

const (
	sfncPassingFile = "testdata/sfn_integration_passing.txt"
	sfncRole        = "arn:aws:iam::" + account + ":role/sfn-conformance"
)

// sfncCase is one recorded execution.
type sfncCase struct {
	ID               string            `json:"id"`
	Definition       json.RawMessage   `json:"definition"`
	DefinitionText   string            `json:"definitionText"`
	InputText        *string           `json:"inputText"`
	StateMachineType string            `json:"stateMachineType"`
	StartedVia       string            `json:"startedVia"`
	Needs            []string          `json:"needs"`
	Resources        map[string]sfcRes `json:"resources"`
	SetupCalls       []struct {
		Service string         `json:"service"`
		Op      string         `json:"op"`
		Args    map[string]any `json:"args"`
	} `json:"setupCalls"`
	Expect        map[string]any `json:"expect"`
	Recorded      string         `json:"recorded"`
	Normalisation struct {
		Transformers            []map[string]any `json:"transformers"`
		ParallelEventsUnordered bool             `json:"parallelEventsUnordered"`
		UnverifiedPaths         []string         `json:"unverifiedPaths"`
	} `json:"normalisation"`
}

type sfcRes struct {
	Kind       string          `json:"kind"`
	Handler    string          `json:"handler"`
	Definition json.RawMessage `json:"definition"`
	Type       string          `json:"type"`
	NameToken  string          `json:"nameToken"`
	FuncToken  string          `json:"functionNameToken"`
}

// sfncCategories are the needs this runner serves; a case needing anything
// else is not run.
var sfncCategories = []string{"lambda", "sqs", "sns", "events", "states", "callback", "aws-sdk"}

// sfncSDKServices are the aws-sdk services fogbank serves.
var sfncSDKServices = []string{"aws-sdk:sfn", "aws-sdk:sqs", "aws-sdk:sns", "aws-sdk:lambda", "aws-sdk:eventbridge"}

// category is a case's report group: its first need other than callback
// and sqs, which support the others.
func (c *sfncCase) category() string {
	cats := map[string]bool{}
	for _, n := range c.Needs {
		cats[needKind(n)] = true
	}
	for _, k := range []string{"aws-sdk", "states", "events", "sns", "callback", "sqs", "lambda"} {
		if cats[k] {
			return k
		}
	}
	return "none"
}

func needKind(n string) string {
	k, _, _ := strings.Cut(n, " ")
	k, _, _ = strings.Cut(k, ":")
	return k
}

// skipReason says why a case cannot run here, or "".
func (c *sfncCase) skipReason() string {
	for _, n := range c.Needs {
		k := needKind(n)
		switch {
		case k == "none":
			return "needs no integration"
		case !contains(sfncCategories, k), k == "aws-sdk" && !contains(sfncSDKServices, n):
			return "needs " + n
		}
	}
	for _, s := range c.SetupCalls {
		if s.Service != "sqs" && s.Service != "sns" {
			return "needs " + s.Service + " " + s.Op
		}
	}
	if c.callbackOnly() && !strings.Contains(string(mustJSON(c.Expect["history"])), "TaskTimedOut") {
		return "the recorded test answers the task token itself"
	}
	return ""
}

// callbackOnly reports a callback case with no responder described.
func (c *sfncCase) callbackOnly() bool {
	callback := false
	for _, n := range c.Needs {
		callback = callback || strings.HasPrefix(n, "callback:")
	}
	return callback && c.responder() == nil
}

// sfncResponder is how a recorded test answered the task tokens its
// execution sent to the case's first queue.
type sfncResponder struct {
	// heartbeats is the number of SendTaskHeartbeat calls before the
	// outcome.
	heartbeats int
	// failure sends SendTaskFailure with errName and cause (nil: left
	// out); otherwise SendTaskSuccess with output(body).
	failure        bool
	errName, cause *string
	output         func(body string, msg map[string]any) string
}

// sfncResponders are the recorded tests' own responders (their token
// handlers in test_callback.py), by test function.
var sfncResponders = map[string]*sfncResponder{
	// _handle_sqs_task_token_with_heartbeats_and_success: ten heartbeats,
	// then success with the message body as it came.
	"test_multiple_executions_and_heartbeat_notifications": {heartbeats: 10, output: func(body string, _ map[string]any) string { return body }},
	// record_messages_and_send_task_success: success with {} for the token
	// in the SNS notification.
	"test_sns_publish_wait_for_task_token": {output: func(string, map[string]any) string { return "{}" }},
	// _empty_send_task_failure_on_sqs_message: a failure without error or
	// cause.
	"test_sqs_failure_in_wait_for_task_tok_no_error_field": {failure: true},
}

// responder is the case's token responder: one its needs describe
// ("callback responder: ... send_task_success/failure ..."), as the
// shared fixtures answered (success with the message's "Message", or the
// whole body; failure with the fixture's literal error and cause), or the
// recorded test's own; nil when the case has none.
func (c *sfncCase) responder() *sfncResponder {
	for _, n := range c.Needs {
		switch {
		case !strings.HasPrefix(n, "callback responder"):
		case strings.Contains(n, "send_task_failure"):
			return &sfncResponder{failure: true, errName: aws.String("Failure error"), cause: aws.String("Failure cause")}
		case strings.Contains(n, "send_task_success"):
			return &sfncResponder{output: func(_ string, msg map[string]any) string {
				if m, ok := msg["Message"]; ok {
					return string(mustJSON(m))
				}
				return string(mustJSON(msg))
			}}
		}
	}
	return sfncResponders[c.testName()]
}

// testName is the recorded test's function name.
func (c *sfncCase) testName() string {
	test := c.ID[strings.LastIndex(c.ID, "::")+2:]
	if i := strings.IndexAny(test, "[#"); i >= 0 {
		test = test[:i]
	}
	return test
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func loadSFNIntegrationCases(t *testing.T) []*sfncCase {
	t.Helper()
	dir := filepath.Join(conformanceDir(t), "stepfunctions", "execution")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	if len(files) == 0 {
		t.Skipf("Step Functions corpus not found at %s; set FOGBANK_CONFORMANCE_DIR", dir)
	}
	var cases []*sfncCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		var c sfncCase
		require.NoError(t, json.Unmarshal(b, &c), f)
		if c.category() != "none" {
			cases = append(cases, &c)
		}
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].ID < cases[j].ID })
	return cases
}

// TestSFNIntegrationCorpus runs the integration cases and ratchets the
// passing list.
func TestSFNIntegrationCorpus(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("the corpus' Lambda behaviours are Python handlers; python3 is not on PATH")
	}
	cases := loadSFNIntegrationCases(t)
	passing := readSFNPassing(t)
	var mu sync.Mutex
	results := map[string]bool{}
	t.Cleanup(func() { reportSFNIntegration(t, cases, results) })
	sem := make(chan struct{}, 4)
	for _, c := range cases {
		t.Run(c.ID, func(t *testing.T) {
			t.Parallel()
			if why := c.skipReason(); why != "" {
				t.Skip(why)
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			diff := runSFNCase(t, c)
			mu.Lock()
			results[c.ID] = diff == ""
			mu.Unlock()
			if diff != "" && passing[c.ID] {
				t.Errorf("regression: %s", diff)
			} else if diff != "" {
				t.Logf("fogbank gap: %s", diff)
			}
		})
	}
}

func readSFNPassing(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	b, err := os.ReadFile(sfncPassingFile)
	if err != nil {
		return out
	}
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out[l] = true
		}
	}
	return out
}

// reportSFNIntegration logs the pass rate per category and rewrites the
// passing list when asked.
func reportSFNIntegration(t *testing.T, cases []*sfncCase, results map[string]bool) {
	type tally struct{ pass, run, total int }
	byCat := map[string]*tally{}
	var passed []string
	for _, c := range cases {
		k := c.category()
		if byCat[k] == nil {
			byCat[k] = &tally{}
		}
		byCat[k].total++
		if ok, ran := results[c.ID]; ran {
			byCat[k].run++
			if ok {
				byCat[k].pass++
				passed = append(passed, c.ID)
			}
		}
	}
	for _, k := range sfncCategories {
		if n := byCat[k]; n != nil {
			t.Logf("%-8s %3d passed of %3d run (%3d recorded)", k, n.pass, n.run, n.total)
		}
	}
	if os.Getenv("FOGBANK_SFN_INTEGRATION_UPDATE") == "1" {
		body := "# Step Functions integration cases that pass; FOGBANK_SFN_INTEGRATION_UPDATE=1 rewrites this list.\n" + strings.Join(passed, "\n") + "\n"
		require.NoError(t, os.WriteFile(sfncPassingFile, []byte(body), 0o600))
	}
}

// sfnRun is one case's fogbank, clients and token values.
type sfnRun struct {
	t       *testing.T
	ctx     context.Context
	c       *sfncCase
	sfn     *sfn.Client
	raw     *captureTransport
	lambda  *lambda.Client
	sqs     *sqs.Client
	sns     *sns.Client
	tokens  map[string]string
	queues  []string // queue URLs the responder consumes
	smNames []string // state machine names (normalised to <ArnPart_0idx>)
}

// sfncNoHostPrefix stops the SDK from prefixing StartSyncExecution's host
// with "sync-", which does not resolve for 127.0.0.1.
func sfncNoHostPrefix(o *sfn.Options) {
	o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
		return st.Initialize.Add(middleware.InitializeMiddlewareFunc("NoHostPrefix",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
			}), middleware.Before)
	})
}

// runSFNCase runs one case and returns "" or the first difference.
func runSFNCase(t *testing.T, c *sfncCase) string {
	srv := fogbanktest.Start(t, fogbanktest.WithSFNTimeScale(0.01))
	cfg := srv.AWSConfig()
	raw := &captureTransport{}
	r := &sfnRun{
		t: t, ctx: t.Context(), c: c, raw: raw,
		sfn:    sfn.NewFromConfig(cfg, sfncNoHostPrefix, func(o *sfn.Options) { o.HTTPClient = &http.Client{Transport: raw} }),
		lambda: lambda.NewFromConfig(cfg), sqs: sqs.NewFromConfig(cfg), sns: sns.NewFromConfig(cfg),
		tokens: map[string]string{"${AWS::Region}": region, "${AWS::AccountId}": account, "${RoleArn}": sfncRole},
	}
	r.setup()
	if left := sfncTokenRE.FindString(r.subst(string(c.Definition))); left != "" {
		t.Skipf("the definition names %s, which the case does not describe", left)
	}
	doc := r.execute()
	want := map[string]any{"status": c.Expect["status"]}
	for _, k := range []string{"output", "error", "cause", "history"} {
		if v, ok := c.Expect[k]; ok {
			want[k] = v
		}
	}
	if c.StartedVia == "start_sync_execution" {
		delete(want, "history")
		delete(doc, "history")
	}
	got := sfncNormalise(c, doc, r.tokens, r.smNames)
	return sfncCompare(c, want, got)
}

// subst replaces the case's tokens with this run's values, inventing
// names for ${...Name} and ${ShortUid} tokens on first use.
var sfncTokenRE = regexp.MustCompile(`\$\{[A-Za-z0-9:]+\}`)

func (r *sfnRun) subst(s string) string {
	return sfncTokenRE.ReplaceAllStringFunc(s, func(tok string) string {
		if v, ok := r.tokens[tok]; ok {
			return v
		}
		name := strings.Trim(tok, "${}")
		switch {
		case strings.HasPrefix(name, "ShortUid"), strings.HasSuffix(name, "Name"):
			v := strings.ToLower(strings.ReplaceAll(name, "Name", "")) + "-" + shortUID()
			r.tokens[tok] = v
			return v
		}
		return tok
	})
}

func (r *sfnRun) substValue(v any) any {
	var out any
	require.NoError(r.t, json.Unmarshal([]byte(r.subst(string(mustJSON(v)))), &out))
	return out
}

// setup creates the case's functions, queues, topics and child state
// machines.
func (r *sfnRun) setup() {
	for tok, res := range sfncExtraResources[r.c.testName()] {
		if r.c.Resources == nil {
			r.c.Resources = map[string]sfcRes{}
		}
		if _, ok := r.c.Resources[tok]; !ok {
			r.c.Resources[tok] = res
		}
	}
	keys := make([]string, 0, len(r.c.Resources))
	for k := range r.c.Resources {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, tok := range keys {
		if res := r.c.Resources[tok]; res.Kind == "lambda" {
			r.function(tok, res)
		}
	}
	for _, s := range r.c.SetupCalls {
		r.setupCall(s.Service, s.Op, r.substValue(s.Args).(map[string]any))
	}
	for _, tok := range keys {
		if res := r.c.Resources[tok]; res.Kind == "state_machine" {
			if left := sfncTokenRE.FindString(r.subst(string(res.Definition))); left != "" {
				r.t.Skipf("a child state machine names %s, which the case does not describe", left)
			}
			name := r.subst(res.NameToken)
			r.smNames = append(r.smNames, name)
			typ := sfntypes.StateMachineType(res.Type)
			out, err := r.sfn.CreateStateMachine(r.ctx, &sfn.CreateStateMachineInput{
				Name: aws.String(name), Definition: aws.String(r.subst(string(res.Definition))), RoleArn: aws.String(sfncRole), Type: typ,
			})
			require.NoError(r.t, err)
			r.tokens[tok] = *out.StateMachineArn
		}
	}
}

// sfncExtraResources are resources a recorded test created that its case
// leaves undescribed, by test function.
var sfncExtraResources = map[string]map[string]sfcRes{
	// The child state machine's Task calls a function made from
	// TimeoutTemplates.LAMBDA_WAIT_60_SECONDS.
	"test_start_execution_sync_delegate_timeout": {
		"${Lambda1Arn}": {Kind: "lambda", Handler: "wait_60_seconds.py", FuncToken: "${Lambda1Name}"},
	},
}

// sfncHandlers are the corpus' Lambda behaviours as Python handlers.
var sfncHandlers = map[string]string{
	"id_function.py":            "def handler(event, context):\n    return event\n",
	"echo_function.py":          "def handler(event, context):\n    return {\"Return\": \"HelloWorld\"}\n",
	"raise_exception.py":        "def handler(event, context):\n    raise Exception(\"Some exception was raised.\")\n",
	"raise_custom_exception.py": "class CustomException(Exception):\n    pass\n\n\n\n\n\ndef handler(event, context):\n    raise CustomException()\n",
	"return_bytes_str.py":       "def handler(event, context):\n    return b'\"HelloWorld!\"'\n",
	"large_output_string.py":    "def handler(event, context):\n    return b'a' * (257 * 1024)\n",
	"return_decorated_input.py": "def handler(event, context):\n    return \"input-event-\" + str(event)\n",
	// The executions' time runs 100 times faster (WithSFNTimeScale): their
	// TimeoutSeconds end the task long before the function returns.
	"wait_60_seconds.py": "import time\n\n\ndef handler(event, context):\n    time.sleep(60)\n    return event\n",
}

func (r *sfnRun) function(tok string, res sfcRes) {
	src, ok := sfncHandlers[res.Handler]
	if !ok {
		r.t.Skipf("no handler for %s", res.Handler)
	}
	nameTok := res.FuncToken
	if nameTok == "" {
		nameTok = strings.Replace(tok, "Arn}", "Name}", 1)
	}
	name := r.subst(nameTok)
	timeout := int32(30)
	if res.Handler == "wait_60_seconds.py" {
		timeout = 2 // the task times out first; the server's stop then waits for no more
	}
	out, err := r.lambda.CreateFunction(r.ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String(name), Runtime: ltypes.RuntimePython312, Handler: aws.String("handler.handler"),
		Role: aws.String("arn:aws:iam::" + account + ":role/lambda"), Timeout: aws.Int32(timeout),
		Code: &ltypes.FunctionCode{ZipFile: functiontest.Files(r.t, map[string]string{"handler.py": src})},
	})
	require.NoError(r.t, err)
	r.tokens[tok] = *out.FunctionArn
}

func (r *sfnRun) setupCall(service, op string, args map[string]any) {
	s := func(k string) *string {
		v, _ := args[k].(string)
		return &v
	}
	switch service + ":" + op {
	case "sqs:create_queue":
		attrs := stringAttrs(args["Attributes"])
		r.fifoName(args, "QueueName", attrs["FifoQueue"] == "true")
		out, err := r.sqs.CreateQueue(r.ctx, &sqs.CreateQueueInput{QueueName: s("QueueName"), Attributes: attrs})
		require.NoError(r.t, err)
		for k, v := range r.tokens {
			if v == *s("QueueName") && strings.HasPrefix(k, "${SqsQueue") {
				r.tokens[strings.Replace(k, "Name}", "Url}", 1)] = *out.QueueUrl
			}
		}
		r.queues = append(r.queues, *out.QueueUrl)
	case "sqs:get_queue_attributes":
	case "sqs:receive_message":
		_, err := r.sqs.ReceiveMessage(r.ctx, &sqs.ReceiveMessageInput{QueueUrl: s("QueueUrl"), MaxNumberOfMessages: 1})
		require.NoError(r.t, err)
	case "sns:create_topic":
		attrs := stringAttrs(args["Attributes"])
		r.fifoName(args, "Name", attrs["FifoTopic"] == "true")
		out, err := r.sns.CreateTopic(r.ctx, &sns.CreateTopicInput{Name: s("Name"), Attributes: attrs})
		require.NoError(r.t, err)
		for k, v := range r.tokens {
			if v == *s("Name") && strings.HasPrefix(k, "${SnsTopic") {
				r.tokens[strings.Replace(k, "Name}", "Arn}", 1)] = *out.TopicArn
			}
		}
	case "sns:subscribe":
		_, err := r.sns.Subscribe(r.ctx, &sns.SubscribeInput{TopicArn: s("TopicArn"), Protocol: s("Protocol"), Endpoint: s("Endpoint")})
		require.NoError(r.t, err)
	default:
		r.t.Skipf("setup call %s %s is not supported", service, op)
	}
}

// fifoName gives a FIFO queue or topic's invented name the ".fifo" suffix
// AWS requires (the recorded tests named them so).
func (r *sfnRun) fifoName(args map[string]any, key string, fifo bool) {
	name, _ := args[key].(string)
	if !fifo || strings.HasSuffix(name, ".fifo") {
		return
	}
	for k, v := range r.tokens {
		if v == name {
			r.tokens[k] = name + ".fifo"
		}
	}
	args[key] = name + ".fifo"
}

func stringAttrs(v any) map[string]string {
	m, _ := v.(map[string]any)
	out := map[string]string{}
	for k, x := range m {
		out[k] = fmt.Sprint(x)
	}
	return out
}

// execute creates the state machine, runs the execution to its end and
// renders it in the corpus' expect shape.
func (r *sfnRun) execute() map[string]any {
	def := string(r.c.Definition)
	if r.c.DefinitionText != "" {
		def = r.c.DefinitionText
	}
	name := r.subst("${StateMachineMainName}")
	for i := 1; ; i++ {
		tok := fmt.Sprintf("${StateMachine%dName}", i)
		if _, used := r.tokens[tok]; !used {
			r.tokens[tok] = name
			break
		}
	}
	r.smNames = append(r.smNames, name)
	typ := sfntypes.StateMachineType(r.c.StateMachineType)
	sm, err := r.sfn.CreateStateMachine(r.ctx, &sfn.CreateStateMachineInput{
		Name: aws.String(name), Definition: aws.String(r.subst(def)), RoleArn: aws.String(sfncRole), Type: typ,
	})
	require.NoError(r.t, err)
	var input *string
	if r.c.InputText != nil {
		input = aws.String(r.subst(*r.c.InputText))
	}
	execName := r.subst("${Execution1Name}")
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	go r.respond(ctx)
	if r.c.StartedVia == "start_sync_execution" {
		out, err := r.sfn.StartSyncExecution(r.ctx, &sfn.StartSyncExecutionInput{StateMachineArn: sm.StateMachineArn, Input: input, Name: aws.String(execName)})
		require.NoError(r.t, err)
		return sfncResult(string(out.Status), out.Output, out.Error, out.Cause)
	}
	exec, err := r.sfn.StartExecution(r.ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: input, Name: aws.String(execName)})
	require.NoError(r.t, err)
	var d *sfn.DescribeExecutionOutput
	require.Eventually(r.t, func() bool {
		d, err = r.sfn.DescribeExecution(r.ctx, &sfn.DescribeExecutionInput{ExecutionArn: exec.ExecutionArn})
		require.NoError(r.t, err)
		return d.Status != sfntypes.ExecutionStatusRunning
	}, 2*time.Minute, 20*time.Millisecond)
	doc := sfncResult(string(d.Status), d.Output, d.Error, d.Cause)
	doc["history"] = r.history(exec.ExecutionArn)
	return doc
}

func sfncResult(status string, output, errName, cause *string) map[string]any {
	doc := map[string]any{"status": status}
	for k, v := range map[string]*string{"output": output, "error": errName, "cause": cause} {
		if v != nil && (k == "output" || *v != "") {
			doc[k] = *v
		}
	}
	return doc
}

// history reads GetExecutionHistory as AWS sent it (field names and all).
func (r *sfnRun) history(execArn *string) []any {
	var events []any
	var token *string
	for {
		_, err := r.sfn.GetExecutionHistory(r.ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: execArn, MaxResults: 1000, NextToken: token})
		require.NoError(r.t, err)
		r.raw.mu.Lock()
		body := r.raw.body
		r.raw.mu.Unlock()
		var page struct {
			Events    []map[string]any `json:"events"`
			NextToken *string          `json:"nextToken"`
		}
		d := json.NewDecoder(strings.NewReader(string(body)))
		d.UseNumber()
		require.NoError(r.t, d.Decode(&page))
		for _, ev := range page.Events {
			out := map[string]any{}
			for k, v := range ev {
				switch {
				case k == "timestamp":
				case strings.HasSuffix(k, "EventDetails"):
					out["detailsKey"], out["details"] = k, v
				default:
					out[k] = v
				}
			}
			events = append(events, out)
		}
		if page.NextToken == nil {
			return events
		}
		token = page.NextToken
	}
}

// respond answers the task tokens sent to the case's first queue with the
// case's responder, as the recorded test did. A token inside an SNS
// notification (the queue subscribed to a topic) is read from its Message.
func (r *sfnRun) respond(ctx context.Context) {
	resp := r.c.responder()
	if resp == nil || len(r.queues) == 0 {
		return
	}
	for ctx.Err() == nil {
		out, err := r.sqs.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: &r.queues[0], WaitTimeSeconds: 1, MaxNumberOfMessages: 10})
		if err != nil {
			continue
		}
		for _, m := range out.Messages {
			body := aws.ToString(m.Body)
			var msg map[string]any
			if json.Unmarshal([]byte(body), &msg) != nil {
				continue
			}
			if inner, ok := msg["Message"].(string); ok && msg["Type"] == "Notification" {
				if json.Unmarshal([]byte(inner), &msg) != nil {
					continue
				}
			}
			if tok, _ := msg["TaskToken"].(string); tok != "" {
				r.answer(ctx, resp, tok, body, msg)
			}
		}
	}
}

func (r *sfnRun) answer(ctx context.Context, resp *sfncResponder, tok, body string, msg map[string]any) {
	for range resp.heartbeats {
		_, _ = r.sfn.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: &tok})
	}
	if resp.failure {
		_, _ = r.sfn.SendTaskFailure(ctx, &sfn.SendTaskFailureInput{TaskToken: &tok, Error: resp.errName, Cause: resp.cause})
		return
	}
	_, _ = r.sfn.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: &tok, Output: aws.String(resp.output(body, msg))})
}
