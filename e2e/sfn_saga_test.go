package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/function/functiontest"
)

// sagaStep is one saga step's Task: it invokes the saga function with the
// action the input names for it ("notify" records the step, "error"
// fails it).
func sagaStep(step, next, catch string) string {
	s := `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
	  "Parameters":{"FunctionName":"saga","Payload":{"action.$":"$.actions.` + step + `","msg":"` + step + `","url.$":"$.url"}},
	  "ResultPath":null,"Next":"` + next + `"`
	if catch != "" {
		s += `,"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"` + catch + `"}]`
	}
	return s + `}`
}

// sagaMachine reserves, charges and ships; a failure runs the
// compensations of the steps done, in reverse, and fails with the cause.
// The Wait between charge and ship is where the restart tests stop
// fogbank.
var sagaMachine = `{"StartAt":"reserve","States":{
  "reserve":` + sagaStep("reserve", "charge", "ReserveFailed") + `,
  "charge":` + sagaStep("charge", "pause", "undo-reserve-then-fail-charge") + `,
  "pause":{"Type":"Wait","Seconds":100,"Next":"ship"},
  "ship":` + sagaStep("ship", "Shipped", "undo-charge") + `,
  "Shipped":{"Type":"Succeed"},
  "undo-charge":` + sagaStep("undo-charge", "undo-reserve", "") + `,
  "undo-reserve":` + sagaStep("undo-reserve", "ShipFailed", "") + `,
  "undo-reserve-then-fail-charge":` + sagaStep("undo-reserve", "ChargeFailed", "") + `,
  "ReserveFailed":{"Type":"Fail","Error":"ReserveFailed","CausePath":"$.error.Cause"},
  "ChargeFailed":{"Type":"Fail","Error":"ChargeFailed","CausePath":"$.error.Cause"},
  "ShipFailed":{"Type":"Fail","Error":"ShipFailed","CausePath":"$.error.Cause"}
}}`

// recorder collects the steps the saga function reports, by execution.
type recorder struct {
	mu    sync.Mutex
	steps []string
	srv   *httptest.Server
}

func newRecorder(t *testing.T) *recorder {
	r := &recorder{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		var ev struct{ Msg string }
		_ = json.Unmarshal(b, &ev)
		r.mu.Lock()
		r.steps = append(r.steps, ev.Msg)
		r.mu.Unlock()
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.steps
	r.steps = nil
	return out
}

func sagaInput(url, fail string) string {
	actions := map[string]string{"reserve": "notify", "charge": "notify", "ship": "notify", "undo-charge": "notify", "undo-reserve": "notify"}
	if fail != "" {
		actions[fail] = "error"
	}
	b, _ := json.Marshal(map[string]any{"url": url, "actions": actions})
	return string(b)
}

func (e sfnEnv) sagaFunction() {
	e.t.Helper()
	l := lambda.NewFromConfig(e.srv.AWSConfig())
	_, err := l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("saga"), Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String(lambdaRole),
		Handler: aws.String("bootstrap"), Code: &ltypes.FunctionCode{ZipFile: functiontest.GoLambdaZip(e.t)},
	})
	require.NoError(e.t, err)
}

var sagaCases = []struct {
	fail, status, errName string
	steps                 []string
}{
	{"", "SUCCEEDED", "", []string{"reserve", "charge", "ship"}},
	{"reserve", "FAILED", "ReserveFailed", nil},
	{"charge", "FAILED", "ChargeFailed", []string{"reserve", "undo-reserve"}},
	{"ship", "FAILED", "ShipFailed", []string{"reserve", "charge", "undo-charge", "undo-reserve"}},
}

func TestSFNSagaCompensates(t *testing.T) {
	t.Parallel()
	e := setupSFN(t)
	e.sagaFunction()
	rec := newRecorder(t)
	sm := e.machine("saga", sagaMachine, "")
	for _, c := range sagaCases {
		d := e.await(e.start(sm, "", sagaInput(rec.srv.URL, c.fail)))
		require.Equal(t, c.status, string(d.Status), "fail at %q", c.fail)
		if c.errName != "" {
			require.Equal(t, c.errName, *d.Error)
			require.Contains(t, *d.Cause, c.fail, "the cause is the failed step's error")
		}
		require.Equal(t, c.steps, rec.take(), "fail at %q", c.fail)
	}
}

// TestSFNSagaSurvivesRestart stops fogbank while each saga waits between
// charge and ship: after the restart the sagas resume, run their
// remaining steps and compensations, and no step runs twice.
func TestSFNSagaSurvivesRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := setupSFN(t, fogbanktest.WithDataDir(dir))
	e.sagaFunction()
	rec := newRecorder(t)
	sm := e.machine("saga", sagaMachine, "")
	execs := map[string]int{}
	for i, c := range sagaCases {
		if c.fail == "reserve" || c.fail == "charge" {
			continue // they end before the Wait
		}
		execs[e.start(sm, "", sagaInput(rec.srv.URL, c.fail))] = i
	}
	for x := range execs {
		require.Eventually(t, func() bool {
			evs := e.history(x)
			return len(evs) > 0 && evs[len(evs)-1].Type == sfntypes.HistoryEventTypeWaitStateEntered
		}, 20*time.Second, 5*time.Millisecond)
	}
	before := rec.take()
	require.ElementsMatch(t, []string{"reserve", "charge", "reserve", "charge"}, before)
	e.srv.Stop()

	e2 := setupSFN(t, fogbanktest.WithDataDir(dir))
	var after []string
	for x, i := range execs {
		d := e2.await(x)
		require.Equal(t, sagaCases[i].status, string(d.Status))
		types := eventTypes(e2.history(x))
		require.Equal(t, 1, count(types, "WaitStateEntered"))
		require.Equal(t, len(sagaCases[i].steps), count(types, "TaskSucceeded"), "one TaskSucceeded per step: %v", types)
		after = append(after, sagaCases[i].steps[2:]...)
	}
	require.ElementsMatch(t, after, rec.take(), "after the restart only the remaining steps ran")
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}
