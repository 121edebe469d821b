package bus

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/clock"
	"github.com/fogbank/fogbank/internal/delivery"
	"github.com/fogbank/fogbank/internal/store"
	"github.com/fogbank/fogbank/internal/store/sqlite"
)

// fakeJobs collects the jobs the service accepts.
type fakeJobs struct{ woken chan delivery.Job }

func (fakeJobs) Jobs([]delivery.Job) []store.Change { return nil }
func (fakeJobs) Abandon([]delivery.Job)             {}
func (f fakeJobs) Wake(jobs []delivery.Job) {
	for _, j := range jobs {
		f.woken <- j
	}
}

type schedEnv struct {
	t     *testing.T
	clk   *clock.Fake
	st    store.Store
	jobs  fakeJobs
	armed chan time.Time
	svc   *Service
}

var me = Caller{Account: "000000000000", Region: "us-east-1"}

func setupSched(t *testing.T) *schedEnv {
	t.Helper()
	st, err := sqlite.Open(":memory:")
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	e := &schedEnv{t: t, clk: clock.NewFake(ts("2024-01-01T00:00:30Z")), st: st, jobs: fakeJobs{make(chan delivery.Job, 100)}}
	e.restart()
	return e
}

// restart starts a new service on the same store.
func (e *schedEnv) restart() {
	if e.svc != nil {
		e.svc.Stop()
	}
	e.armed = make(chan time.Time, 100)
	e.svc = New(Config{Store: e.st, Clock: e.clk, Jobs: e.jobs})
	armed := e.armed
	e.svc.sched.armed = func(at time.Time) { armed <- at }
	require.NoError(e.t, e.svc.Start(e.t.Context()))
	e.t.Cleanup(e.svc.Stop)
}

func (e *schedEnv) rule(name, expr string) string {
	e.t.Helper()
	a, err := e.svc.PutRule(e.t.Context(), PutRuleInput{Caller: me, Name: name, ScheduleExpression: &expr})
	require.NoError(e.t, err)
	_, err = e.svc.PutTargets(e.t.Context(), PutTargetsInput{Caller: me, Rule: name, Targets: []Target{{ID: "q", Arn: "arn:aws:sqs:us-east-1:000000000000:" + name}}})
	require.NoError(e.t, err)
	return a
}

// advanceTo waits until the scheduler sleeps until at, then moves the
// clock there.
func (e *schedEnv) advanceTo(at string) {
	e.t.Helper()
	want := ts(at)
	for got := range e.armed {
		if got.Equal(want) {
			break
		}
	}
	e.clk.Advance(want.Sub(e.clk.Now()))
}

func (e *schedEnv) fired(ruleArn, at string) {
	e.t.Helper()
	j := <-e.jobs.woken
	var ev map[string]any
	require.NoError(e.t, json.Unmarshal(j.Payload, &ev))
	require.Equal(e.t, "Scheduled Event", ev["detail-type"])
	require.Equal(e.t, "aws.events", ev["source"])
	require.Equal(e.t, []any{ruleArn}, ev["resources"])
	require.Equal(e.t, map[string]any{}, ev["detail"])
	require.Equal(e.t, at, ev["time"])
}

func (e *schedEnv) quiet() {
	e.t.Helper()
	select {
	case j := <-e.jobs.woken:
		e.t.Fatalf("unexpected fire: %s", j.Payload)
	default:
	}
}

func TestSchedulerRateFiresOnTheClock(t *testing.T) {
	t.Parallel()
	e := setupSched(t)
	a := e.rule("every5", "rate(5 minutes)")
	e.advanceTo("2024-01-01T00:05:30Z")
	e.fired(a, "2024-01-01T00:05:30Z")
	e.advanceTo("2024-01-01T00:10:30Z")
	e.fired(a, "2024-01-01T00:10:30Z")
	e.quiet()

	// Disabled: no fire; enabled again: next slot of the same cadence.
	require.NoError(t, e.svc.SetRuleState(t.Context(), me, "", "every5", false))
	e.clk.Advance(10 * time.Minute)
	e.quiet()
	require.NoError(t, e.svc.SetRuleState(t.Context(), me, "", "every5", true))
	e.advanceTo("2024-01-01T00:25:30Z")
	e.fired(a, "2024-01-01T00:25:30Z")
}

func TestSchedulerCronAndDelete(t *testing.T) {
	t.Parallel()
	e := setupSched(t)
	a := e.rule("quarter", "cron(0/15 * * * ? *)")
	e.advanceTo("2024-01-01T00:15:00Z")
	e.fired(a, "2024-01-01T00:15:00Z")
	_, err := e.svc.RemoveTargets(t.Context(), RemoveTargetsInput{Caller: me, Rule: "quarter", IDs: []string{"q"}})
	require.NoError(t, err)
	require.NoError(t, e.svc.DeleteRule(t.Context(), me, "", "quarter"))
	e.clk.Advance(time.Hour)
	e.quiet()
	recs, err := e.st.LoadRecords(t.Context(), RecordSchedule)
	require.NoError(t, err)
	require.Empty(t, recs)
}

func TestSchedulerRestartNeitherRepeatsNorFloods(t *testing.T) {
	t.Parallel()
	e := setupSched(t)
	a := e.rule("hourly", "cron(0 * * * ? *)")
	e.advanceTo("2024-01-01T01:00:00Z")
	e.fired(a, "2024-01-01T01:00:00Z")

	// A restart within the hour does not fire 01:00 again.
	e.clk.Advance(10 * time.Minute)
	e.restart()
	e.advanceTo("2024-01-01T02:00:00Z")
	e.fired(a, "2024-01-01T02:00:00Z")

	// Down for three hours: one catch-up fire at start, then on schedule.
	e.svc.Stop()
	e.clk.Advance(3*time.Hour + 30*time.Minute)
	e.restart()
	e.fired(a, "2024-01-01T03:00:00Z")
	e.advanceTo("2024-01-01T06:00:00Z")
	e.fired(a, "2024-01-01T06:00:00Z")
	e.quiet()
}
