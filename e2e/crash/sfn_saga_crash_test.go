package crash

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/function/functiontest"
)

func sagaTask(step, next, catch string) string {
	s := `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
	  "Parameters":{"FunctionName":"saga","Payload":{"action.$":"$.actions.` + step + `","msg":"` + step + `","url.$":"$.url"}},
	  "ResultPath":null,"Next":"` + next + `"`
	if catch != "" {
		s += `,"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"` + catch + `"}]`
	}
	return s + `}`
}

// sagaDefinition reserves, charges and ships through a Lambda function,
// with a Wait (where the test kills fogbank) after each step; a failure
// compensates the steps done, in reverse.
var sagaDefinition = `{"StartAt":"reserve","States":{
  "reserve":` + sagaTask("reserve", "pause1", "ReserveFailed") + `,
  "pause1":{"Type":"Wait","Seconds":100,"Next":"charge"},
  "charge":` + sagaTask("charge", "pause2", "undo-reserve-then-fail-charge") + `,
  "pause2":{"Type":"Wait","Seconds":100,"Next":"ship"},
  "ship":` + sagaTask("ship", "Shipped", "undo-charge") + `,
  "Shipped":{"Type":"Succeed"},
  "undo-charge":` + sagaTask("undo-charge", "undo-reserve", "") + `,
  "undo-reserve":` + sagaTask("undo-reserve", "ShipFailed", "") + `,
  "undo-reserve-then-fail-charge":` + sagaTask("undo-reserve", "ChargeFailed", "") + `,
  "ReserveFailed":{"Type":"Fail","Error":"ReserveFailed","CausePath":"$.error.Cause"},
  "ChargeFailed":{"Type":"Fail","Error":"ChargeFailed","CausePath":"$.error.Cause"},
  "ShipFailed":{"Type":"Fail","Error":"ShipFailed","CausePath":"$.error.Cause"}
}}`

// TestSFNSagaCrash runs the saga with a failure injected at each step in
// turn while fogbank is killed with SIGKILL at each Wait: every execution
// resumes, ends as it would have without the kills, and the function
// records each step and compensation exactly once.
func TestSFNSagaCrash(t *testing.T) {
	bin := buildFogbank(t)
	p := newProcess(t, bin, []string{"--data-dir", t.TempDir(), "--sfn-time-scale", "0.01"})
	p.start()
	ctx := t.Context()

	var mu sync.Mutex
	steps := map[string][]string{} // by execution name
	rec := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		var ev struct{ Msg, Action string }
		_ = json.Unmarshal(b, &ev)
		mu.Lock()
		steps[req.URL.Path[1:]] = append(steps[req.URL.Path[1:]], ev.Msg)
		mu.Unlock()
	}))
	t.Cleanup(rec.Close)

	cfg := aws.Config{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String("http://" + p.addr), RetryMaxAttempts: 1,
	}
	_, err := lambda.NewFromConfig(cfg).CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("saga"), Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String("arn:aws:iam::000000000000:role/r"),
		Handler: aws.String("bootstrap"), Code: &ltypes.FunctionCode{ZipFile: functiontest.GoLambdaZip(t)},
	})
	require.NoError(t, err)
	c := p.sfnClient()
	sm, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("saga"), Definition: aws.String(sagaDefinition), RoleArn: aws.String("arn:aws:iam::000000000000:role/r")})
	require.NoError(t, err)

	cases := map[string]struct {
		status, errName string
		steps           []string
	}{
		"none":    {"SUCCEEDED", "", []string{"reserve", "charge", "ship"}},
		"reserve": {"FAILED", "ReserveFailed", nil},
		"charge":  {"FAILED", "ChargeFailed", []string{"reserve", "undo-reserve"}},
		"ship":    {"FAILED", "ShipFailed", []string{"reserve", "charge", "undo-charge", "undo-reserve"}},
	}
	execs := map[string]string{}
	for fail := range cases {
		actions := map[string]string{"reserve": "notify", "charge": "notify", "ship": "notify", "undo-charge": "notify", "undo-reserve": "notify"}
		if fail != "none" {
			actions[fail] = "error"
		}
		in, _ := json.Marshal(map[string]any{"url": rec.URL + "/" + fail, "actions": actions})
		out, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String(fail), Input: aws.String(string(in))})
		require.NoError(t, err)
		execs[fail] = *out.ExecutionArn
	}

	// Kill while the running sagas wait after reserve, then after charge.
	for _, pause := range []string{"pause1", "pause2"} {
		for fail, x := range execs {
			if (fail == "reserve") || (fail == "charge" && pause == "pause2") {
				continue // already failed before this pause
			}
			require.Eventually(t, func() bool { return lastEntered(ctx, t, c, x) == pause }, 30*time.Second, 10*time.Millisecond, "%s at %s", fail, pause)
		}
		p.kill()
		p.start()
		c = p.sfnClient()
	}

	for fail, x := range execs {
		want := cases[fail]
		var d *sfn.DescribeExecutionOutput
		require.Eventually(t, func() bool {
			d, err = c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(x)})
			return err == nil && d.Status != sfntypes.ExecutionStatusRunning
		}, 30*time.Second, 20*time.Millisecond)
		require.Equal(t, want.status, string(d.Status), fail)
		if want.errName != "" {
			require.Equal(t, want.errName, *d.Error)
			require.Contains(t, *d.Cause, fail)
		}
		mu.Lock()
		got := steps[fail]
		mu.Unlock()
		require.Equal(t, want.steps, got, "saga failing at %s: each step exactly once, compensations in reverse", fail)
	}
}
