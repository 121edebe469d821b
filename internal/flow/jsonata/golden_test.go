package jsonata

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// goldenCase is one line of testdata/golden.jsonl: an expression, its input
// and bindings as JSON text, and the outcome jsonata-js v2.0.6 produced for
// it (recorded with testdata/oracle.js).
type goldenCase struct {
	Expr      string `json:"expr"`
	Input     string `json:"input"`
	Dataset   string `json:"dataset"` // testdata/datasets/<name>.json, instead of input
	Bindings  string `json:"bindings"`
	Result    string `json:"result"`
	Undefined bool   `json:"undefined"`
	Function  bool   `json:"function"`
	Timeout   bool   `json:"timeout"`
	Error     *struct {
		Code     string `json:"code"`
		Message  string `json:"message"`
		Position int    `json:"position"`
	} `json:"error"`
}

func loadGolden(t testing.TB) []goldenCase {
	t.Helper()
	return loadGoldenFile(t, "testdata/golden.jsonl")
}

func loadGoldenFile(t testing.TB, path string) []goldenCase {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []goldenCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c goldenCase
		require.NoError(t, json.Unmarshal(sc.Bytes(), &c), sc.Text())
		if c.Dataset != "" {
			b, err := os.ReadFile(filepath.Join("testdata", "datasets", c.Dataset+".json"))
			require.NoError(t, err)
			c.Input = string(b)
		}
		out = append(out, c)
	}
	require.NoError(t, sc.Err())
	return out
}

// goldenEval evaluates a golden case; text is the JSON of the result.
func goldenEval(c goldenCase) (text string, defined bool, err error) {
	e, err := Compile(c.Expr)
	if err != nil {
		return "", false, err
	}
	input := Undefined
	if c.Input != "" {
		v, err := ParseJSON([]byte(c.Input))
		if err != nil {
			return "", false, err
		}
		input = v
	}
	bindings := map[string]any{}
	if c.Bindings != "" {
		v, err := ParseJSON([]byte(c.Bindings))
		if err != nil {
			return "", false, err
		}
		o := v.v.(*object)
		for _, k := range o.keys {
			bindings[k] = Value{v: o.m[k]}
		}
	}
	opts := EvalOptions{Now: time.UnixMilli(1510067557121).UTC(), Rand: func() float64 { return 0.25 }}
	return e.EvalString(input, bindings, opts)
}

func nondeterministic(expr string) bool {
	return strings.Contains(expr, "$now(") || strings.Contains(expr, "$millis(") || strings.Contains(expr, "$random(")
}

// TestGolden compares results, error codes and error messages with the
// recorded jsonata-js outcomes.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, c := range loadGolden(t) {
		t.Run(c.Expr, func(t *testing.T) {
			t.Parallel()
			got, defined, err := goldenEval(c)
			var je *Error
			if errors.As(err, &je) && je.Code == "S0303" {
				// JavaScript regex constructs RE2 lacks: a documented difference
				require.True(t, c.Error == nil || c.Error.Code == "", "jsonata-js failed too: %v", c.Error)
				return
			}
			if c.Error != nil && c.Error.Code == "" && strings.Contains(c.Error.Message, "call stack") {
				// JavaScript's own stack overflow is our U1001
				require.ErrorAs(t, err, &je)
				require.Equal(t, "U1001", je.Code)
				return
			}
			switch {
			case c.Timeout:
				var je *Error
				require.ErrorAs(t, err, &je)
				require.Contains(t, []string{"U1001", "U1002"}, je.Code)
			case c.Error != nil:
				var je *Error
				require.True(t, errors.As(err, &je), "want error %s %q, got %s %v", c.Error.Code, c.Error.Message, got, err)
				require.Equal(t, c.Error.Code, je.Code)
				require.Equal(t, c.Error.Message, je.Message)
				if c.Error.Position != 0 { // 0: jsonata-js reported no position
					require.Equal(t, c.Error.Position, je.Position, "position")
				}
			case c.Undefined:
				require.NoError(t, err)
				require.False(t, defined, "got %s", got)
			case c.Function:
				require.NoError(t, err)
			default:
				require.NoError(t, err)
				require.True(t, defined)
				if !nondeterministic(c.Expr) {
					require.Equal(t, c.Result, got)
				}
			}
		})
	}
}

// TestDifferential compares with a larger recorded set named by JSONATA_DIFF
// (e.g. random expressions recorded with testdata/oracle_run.py); it logs
// every difference.
func TestDifferential(t *testing.T) {
	path := os.Getenv("JSONATA_DIFF")
	if path == "" {
		t.Skip("JSONATA_DIFF not set")
	}
	bad := 0
	cases := loadGoldenFile(t, path)
	for _, c := range cases {
		got, defined, err := goldenEval(c)
		var je *Error
		isErr := errors.As(err, &je)
		switch {
		case c.Timeout || nondeterministic(c.Expr):
			continue
		case c.Error != nil:
			if os.Getenv("JSONATA_DIFF_ERRORS") == "" && isErr {
				continue // which error wins can differ (jsonata-js evaluates array items concurrently)
			}
			if !isErr || je.Code != c.Error.Code || je.Message != c.Error.Message {
				bad++
				t.Logf("%s\n  want error %s %s\n  got %s %v", c.Expr, c.Error.Code, c.Error.Message, got, err)
			}
		case c.Undefined:
			if err != nil || defined {
				bad++
				t.Logf("%s\n  want undefined\n  got %s %v", c.Expr, got, err)
			}
		case c.Function:
		default:
			if err != nil || got != c.Result {
				bad++
				t.Logf("%s\n  want %s\n  got  %s %v", c.Expr, c.Result, got, err)
			}
		}
	}
	t.Logf("%d/%d differ", bad, len(cases))
}
