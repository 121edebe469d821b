package intrinsic_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/flow/intrinsic"
	"github.com/fogbank/fogbank/internal/flow/intrinsic/lang"
	"github.com/fogbank/fogbank/internal/flow/path"
)

type evalCase struct {
	Expr    string         `json:"expr"`
	Input   any            `json:"input"`
	Context any            `json:"context"`
	Vars    map[string]any `json:"vars"`
	Want    any            `json:"want"`
	Cause   string         `json:"cause"`
}

func loadCases(t *testing.T) []evalCase {
	t.Helper()
	b, err := os.ReadFile("testdata/intrinsics.json")
	require.NoError(t, err)
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	var cases []evalCase
	require.NoError(t, dec.Decode(&cases))
	return cases
}

// fixedRand returns 7 forever: deterministic UUIDs and MathRandom.
func fixedRand() uint64 { return 7 }

func TestEval(t *testing.T) {
	t.Parallel()
	for _, c := range loadCases(t) {
		t.Run(c.Expr, func(t *testing.T) {
			t.Parallel()
			require.True(t, intrinsic.IsIntrinsic(c.Expr))
			call, err := intrinsic.Parse(c.Expr)
			require.NoError(t, err)
			require.Equal(t, c.Expr, call.String())
			env := path.Env{Input: c.Input, Context: c.Context, Rand: fixedRand, Var: func(n string) (any, bool) {
				v, ok := c.Vars[n]
				return v, ok
			}}
			got, err := call.Eval(env)
			if c.Cause != "" {
				var ie *intrinsic.Error
				require.True(t, errors.As(err, &ie), "error %v", err)
				require.Equal(t, "States.Runtime", ie.Name)
				require.Equal(t, c.Cause, ie.Cause)
				return
			}
			require.NoError(t, err)
			require.Equal(t, lang.JSON(c.Want), lang.JSON(got))
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{
		"States.StringToJson('{\"text\":\"An \\\"escaped\\\" here\"}')", // \" is not an escape
		"States.Format('a\\nb')",
		"States.Nope()",
		"States.Array(",
		"States.Array($.a) trailing",
		"States.Array([1,2])",
		"States.Array(1.)",
		"States.Array(.5)",
		"States.Array(01)",
		"States.ArrayGetItem($.arr, )",
		"States.ArrayGetItem($.arr)",
		"States.ArrayRange(1, 5, 1, 99)",
		"States.Hash('a', 'b', 'c')",
		"States.UUID(1)",
		"States.MathRandom(1)",
		"States.Array('unterminated)",
		"States.Array($.a[)",
		"States.Array(tru)",
		"States.Format",
		"States.",
		"$.a",
	} {
		_, err := intrinsic.Parse(expr)
		require.ErrorIs(t, err, lang.ErrSyntax, expr)
	}
}

func TestIsIntrinsic(t *testing.T) {
	t.Parallel()
	require.True(t, intrinsic.IsIntrinsic("States.UUID()"))
	require.False(t, intrinsic.IsIntrinsic("$.States"))
	require.False(t, intrinsic.IsIntrinsic(" States.UUID()"))
}

func TestUUIDFromRand(t *testing.T) {
	t.Parallel()
	call, err := intrinsic.Parse("States.UUID()")
	require.NoError(t, err)
	n := uint64(0)
	env := path.Env{Rand: func() uint64 { n++; return n * 0x0123456789abcdef }}
	a, err := call.Eval(env)
	require.NoError(t, err)
	b, err := call.Eval(env)
	require.NoError(t, err)
	require.NotEqual(t, a, b)
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, a)
	// Without a source, crypto/rand is used.
	c, err := call.Eval(path.Env{})
	require.NoError(t, err)
	require.Len(t, c, 36)
}
