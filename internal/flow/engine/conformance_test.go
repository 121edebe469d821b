package engine_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fogbank/fogbank/internal/flow/asl"
	"github.com/fogbank/fogbank/internal/flow/engine"
)

var update = flag.Bool("update", false, "rewrite testdata/conformance_passing.txt with the cases that pass")

const passingFile = "testdata/conformance_passing.txt"

// fakeTime is the test clock: Wait states and retries move it forward at
// once.
type fakeTime struct {
	mu  sync.Mutex
	now time.Time
}

func (f *fakeTime) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeTime) WaitUntil(_ context.Context, until time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if until.After(f.now) {
		f.now = until
	}
	return nil
}

func testConfig() engine.Config {
	clk := &fakeTime{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	var n uint64
	var r uint64 = 0x2545F4914F6CDD1D
	return engine.Config{
		Clock:  clk,
		Timers: clk,
		NewID: func() string {
			n++
			return fmt.Sprintf("%08x-0000-4000-8000-%012x", n, n)
		},
		Rand: func() uint64 {
			r ^= r << 13
			r ^= r >> 7
			r ^= r << 17
			return r
		},
		Region:  testRegion,
		Account: testAccount,
	}
}

// runExecution runs an execution case and returns "" when it matches AWS.
func runExecution(c *corpusCase) string {
	execName := tokenValue(fmt.Sprintf("Execution%dName", c.execIndex()), "")
	express := c.StateMachineType == "EXPRESS"
	sm, err := asl.Parse(c.definitionText(), asl.Options{Express: express})
	if err != nil {
		return "definition rejected: " + err.Error()
	}
	smName := tokenValue("StateMachine1Name", "")
	smArn := tokenValue("StateMachine1Arn", "")
	ex := engine.New(testConfig(), sm, engine.Start{
		ExecutionArn:     strings.Replace(smArn, ":stateMachine:", ":execution:", 1) + ":" + execName,
		Name:             execName,
		StateMachineArn:  smArn,
		StateMachineName: smName,
		RoleArn:          testRoleArn,
		Input:            c.inputText(),
		Express:          express,
	})
	res := ex.Run(context.Background())
	doc := normalise(c, actualDoc(res), execName)
	return compareExecution(c, doc)
}

func compareExecution(c *corpusCase, doc map[string]any) string {
	exp := c.Expect
	if exp["status"] != doc["status"] {
		return fmt.Sprintf("status: want %v, got %v (error %v: %v)", exp["status"], doc["status"], doc["error"], doc["cause"])
	}
	if want, ok := exp["output"]; ok {
		got := doc["output"]
		if _, wantText := want.(string); !wantText {
			if s, ok := got.(string); ok {
				got, _ = decodeJSON(s)
			}
		}
		if s, ok := got.(string); ok && exp["outputRecordedAs"] == "object" {
			got, _ = decodeJSON(s)
		}
		if s, ok := got.(string); ok && !jsonEqual(want, got) {
			if d, err := decodeJSON(s); err == nil {
				got = d
			}
		}
		if !jsonEqual(want, got) && !unverified(c, "output") {
			return fmt.Sprintf("output:\n want %s\n got  %s", encodeJSON(want), encodeJSON(got))
		}
	}
	for _, k := range []string{"error", "cause"} {
		if want, ok := exp[k]; ok && !jsonEqual(want, doc[k]) && !unverified(c, k) {
			return fmt.Sprintf("%s:\n want %v\n got  %v", k, want, doc[k])
		}
	}
	wantH, ok := exp["history"]
	if !ok {
		return ""
	}
	we := snapshotEvents(wantH)
	ge := snapshotEvents(doc["history"])
	if c.Normalisation.ParallelEventsUnordered {
		ge = unorderParallel(ge)
	}
	wd := map[string]any{"events": we}
	gd := map[string]any{"events": ge}
	decodeTextFields(wd)
	decodeTextFields(gd)
	for _, p := range c.Normalisation.UnverifiedPaths {
		del := func(m map[string]any, k string) { delete(m, k) }
		applyPath(wd, p, del)
		applyPath(gd, p, del)
	}
	for i := 0; i < max(len(we), len(ge)); i++ {
		if i >= len(we) || i >= len(ge) {
			return fmt.Sprintf("history length: want %d, got %d; first extra/missing at %d: want %s got %s", len(we), len(ge), i, encodeAt(we, i), encodeAt(ge, i))
		}
		if !jsonEqual(we[i], ge[i]) {
			return fmt.Sprintf("history[%d]:\n want %s\n got  %s", i, encodeJSON(we[i]), encodeJSON(ge[i]))
		}
	}
	return ""
}

func encodeAt(l []any, i int) string {
	if i < len(l) {
		return encodeJSON(l[i])
	}
	return "-"
}

func unverified(c *corpusCase, key string) bool {
	for _, p := range c.Normalisation.UnverifiedPaths {
		if p == "$.."+key || p == "$."+key {
			return true
		}
	}
	return false
}

// runValidation checks a definition-validation case; skip reports cases
// that need the API layer (names, logging configuration, versions).
func runValidation(c *corpusCase) (msg string, skip bool) {
	text := c.definitionText()
	express := strings.Contains(string(c.Request), `"EXPRESS"`)
	_, err := asl.Parse(text, asl.Options{Express: express})
	var aerr *asl.Error
	errors.As(err, &aerr)
	if c.API == "ValidateStateMachineDefinition" {
		want, _ := c.Expect["result"].(string)
		got := "OK"
		diags := []any{}
		if aerr != nil {
			got = "FAIL"
			for _, d := range aerr.Diagnostics {
				m := map[string]any{"code": d.Code, "message": d.Message, "severity": "ERROR"}
				if d.Location != "" {
					m["location"] = d.Location
				}
				diags = append(diags, m)
			}
		}
		if want != got {
			return fmt.Sprintf("result: want %s, got %s (%v)", want, got, err), false
		}
		wd, _ := decodeJSON(encodeJSON(c.Expect["diagnostics"]))
		gd, _ := decodeJSON(encodeJSON(diags))
		if !jsonEqual(wd, gd) {
			return fmt.Sprintf("diagnostics:\n want %s\n got  %s", encodeJSON(wd), encodeJSON(gd)), false
		}
		return "", false
	}
	if c.Expect["errorCode"] != "InvalidDefinition" {
		return "needs the API layer", true
	}
	if aerr == nil {
		return "definition accepted; want " + fmt.Sprint(c.Expect["errorMessage"]), false
	}
	doc := normalise(c, map[string]any{"errorMessage": aerr.Error()}, "")
	if doc["errorMessage"] != c.Expect["errorMessage"] {
		return fmt.Sprintf("message:\n want %v\n got  %v", c.Expect["errorMessage"], doc["errorMessage"]), false
	}
	return "", false
}

type tally struct{ total, passed, skipped int }

func TestConformance(t *testing.T) {
	dir := corpusDir(t)
	listed := readPassing(t)
	results := map[string]bool{}
	stats := map[string]*tally{}
	var report strings.Builder
	record := func(c *corpusCase, cat, msg string, skip bool) {
		tl := stats[cat]
		if tl == nil {
			tl = &tally{}
			stats[cat] = tl
		}
		tl.total++
		switch {
		case skip:
			tl.skipped++
		case msg == "":
			tl.passed++
			results[c.ID] = true
		default:
			fmt.Fprintf(&report, "FAIL %s (%s)\n  %s\n", c.ID, filepath.Base(c.file), msg)
		}
	}
	for _, c := range loadCases(t, dir, "execution") {
		if !c.needsNone() {
			continue
		}
		record(c, "execution/"+c.category(), safeRun(func() string { return runExecution(c) }), false)
	}
	for _, c := range loadCases(t, dir, "test_state") {
		if !c.needsNone() {
			continue
		}
		var skip bool
		msg := safeRun(func() string {
			m, s := runTestState(c)
			skip = s
			return m
		})
		record(c, "test_state/"+c.category(), msg, skip)
	}
	for _, c := range loadCases(t, dir, "validation") {
		var skip bool
		msg := safeRun(func() string {
			m, s := runValidation(c)
			skip = s
			return m
		})
		record(c, "validation", msg, skip)
	}
	summarise(t, stats, report.String())
	ratchet(t, listed, results)
}

// safeRun turns a panic into a failure message, so one bad case does not
// hide the others.
func safeRun(fn func() string) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("panic: %v", r)
		}
	}()
	return fn()
}

func summarise(t *testing.T, stats map[string]*tally, report string) {
	t.Helper()
	cats := make([]string, 0, len(stats))
	for k := range stats {
		cats = append(cats, k)
	}
	sort.Strings(cats)
	var b strings.Builder
	var all tally
	fmt.Fprintf(&b, "\n%-45s %6s %6s %6s %7s\n", "category", "cases", "pass", "skip", "rate")
	for _, k := range cats {
		s := stats[k]
		all.total += s.total
		all.passed += s.passed
		all.skipped += s.skipped
		fmt.Fprintf(&b, "%-45s %6d %6d %6d %6.1f%%\n", k, s.total, s.passed, s.skipped, rate(s))
	}
	fmt.Fprintf(&b, "%-45s %6d %6d %6d %6.1f%%\n", "TOTAL", all.total, all.passed, all.skipped, rate(&all))
	t.Log(b.String())
	out := filepath.Join(t.TempDir(), "failures.txt")
	if err := os.WriteFile(out, []byte(report), 0o600); err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		t.Log(report)
	}
	if p := os.Getenv("FOGBANK_SFN_FAILURES"); p != "" {
		_ = os.WriteFile(p, []byte(report), 0o600)
	}
}

func rate(s *tally) float64 {
	n := s.total - s.skipped
	if n == 0 {
		return 0
	}
	return 100 * float64(s.passed) / float64(n)
}

func readPassing(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(passingFile)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out[l] = true
		}
	}
	return out
}

// ratchet fails on listed cases that no longer pass and logs new passes.
func ratchet(t *testing.T, listed, results map[string]bool) {
	t.Helper()
	var regressed, gained []string
	for id := range listed {
		if !results[id] {
			regressed = append(regressed, id)
		}
	}
	for id := range results {
		if !listed[id] {
			gained = append(gained, id)
		}
	}
	sort.Strings(regressed)
	sort.Strings(gained)
	if *update {
		ids := make([]string, 0, len(results))
		for id := range results {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		body := "# Conformance cases that pass; go test -run TestConformance -update rewrites this list.\n" + strings.Join(ids, "\n") + "\n"
		if err := os.WriteFile(passingFile, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	if len(gained) > 0 {
		t.Logf("%d newly passing cases (run with -update to record them)", len(gained))
	}
	for _, id := range regressed {
		t.Errorf("regression: %s no longer passes", id)
	}
}
