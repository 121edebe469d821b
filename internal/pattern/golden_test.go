package pattern

// Golden tests: testdata/*.txt hold cases in a line format.
//
//	# comment
//	pattern <EventBridge pattern JSON>
//	policy <MessageAttributes|MessageBody> <SNS filter policy JSON>
//	match <event JSON, SNS body, or attributes JSON {"name":{"DataType":..,"StringValue":..}}>
//	no-match <same>
//	error <expected Error.Message>
//
// Each "pattern" or "policy" line starts a case; the lines after it belong to
// it. Every match/no-match line of an EventBridge pattern is also checked
// against the reference evaluator.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

type goldenEvent struct {
	input string
	match bool
	line  int
}

type goldenCase struct {
	name    string // file:line
	pattern string
	scope   Scope // "" for an EventBridge pattern
	events  []goldenEvent
	err     string
}

func loadGolden(t testing.TB) []goldenCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	require.NoError(t, err)
	var out []goldenCase
	for _, f := range files {
		out = append(out, parseGoldenFile(t, f)...)
	}
	return out
}

func parseGoldenFile(t testing.TB, path string) []goldenCase {
	fh, err := os.Open(path)
	require.NoError(t, err)
	defer func() { _ = fh.Close() }()
	var out []goldenCase
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, rest, _ := strings.Cut(line, " ")
		switch word {
		case "pattern":
			out = append(out, goldenCase{name: fmt.Sprintf("%s:%d", filepath.Base(path), n), pattern: rest})
		case "policy":
			scope, raw, _ := strings.Cut(rest, " ")
			out = append(out, goldenCase{name: fmt.Sprintf("%s:%d", filepath.Base(path), n), pattern: raw, scope: Scope(scope)})
		case "match", "no-match":
			require.NotEmpty(t, out, "%s:%d: no case", path, n)
			c := &out[len(out)-1]
			c.events = append(c.events, goldenEvent{input: rest, match: word == "match", line: n})
		case "error":
			require.NotEmpty(t, out, "%s:%d: no case", path, n)
			out[len(out)-1].err = rest
		default:
			t.Fatalf("%s:%d: unknown line %q", path, n, line)
		}
	}
	require.NoError(t, sc.Err())
	return out
}

func TestGolden(t *testing.T) {
	t.Parallel()
	cases := loadGolden(t)
	require.NotEmpty(t, cases)
	for _, gc := range cases {
		t.Run(gc.name, func(t *testing.T) {
			t.Parallel()
			if gc.scope != "" {
				runGoldenPolicy(t, gc)
				return
			}
			runGoldenPattern(t, gc)
		})
	}
}

func runGoldenPattern(t *testing.T, gc goldenCase) {
	p, err := Compile([]byte(gc.pattern))
	if gc.err != "" {
		requireAWSError(t, err, CodeInvalidEventPattern, gc.err)
		return
	}
	require.NoError(t, err)
	mt := NewMatcher()
	mt.Add("p", p)
	for _, ev := range gc.events {
		got, err := p.MatchJSON([]byte(ev.input))
		require.NoError(t, err, "line %d", ev.line)
		require.Equal(t, ev.match, got, "line %d: %s", ev.line, ev.input)
		ids, err := mt.MatchJSON([]byte(ev.input))
		require.NoError(t, err)
		require.Equal(t, ev.match, len(ids) == 1, "matcher, line %d", ev.line)
		ref, err := refMatch(p, []byte(ev.input))
		require.NoError(t, err)
		require.Equal(t, ev.match, ref, "reference, line %d", ev.line)
	}
}

func runGoldenPolicy(t *testing.T, gc goldenCase) {
	p, err := CompileFilterPolicy([]byte(gc.pattern), gc.scope)
	if gc.err != "" {
		requireAWSError(t, err, CodeInvalidParameter, gc.err)
		return
	}
	require.NoError(t, err)
	for _, ev := range gc.events {
		var got bool
		if gc.scope == ScopeMessageBody {
			got = p.MatchBody([]byte(ev.input))
		} else {
			var attrs map[string]Attribute
			require.NoError(t, json.Unmarshal([]byte(ev.input), &attrs), "line %d", ev.line)
			got = p.MatchAttributes(attrs)
		}
		require.Equal(t, ev.match, got, "line %d: %s", ev.line, ev.input)
	}
}
