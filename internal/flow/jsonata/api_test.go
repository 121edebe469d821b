package jsonata_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/flow/jsonata"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	require.NoError(t, d.Decode(&v))
	return v
}

func eval(t *testing.T, expr string, input any, bindings map[string]any) (any, error) {
	t.Helper()
	e, err := jsonata.Compile(expr)
	require.NoError(t, err)
	return e.Eval(input, bindings)
}

func TestEvalSharedValueModel(t *testing.T) {
	t.Parallel()
	states := decode(t, `{"input": {"items": [1, 2.5, 3], "name": "x"}, "context": {"Execution": {"Id": "e1"}}}`)
	got, err := eval(t, `{"sum": $sum($states.input.items), "n": $states.input.name, "id": $states.context.Execution.Id, "big": 1e21, "third": 1/3}`, nil, map[string]any{"states": states})
	require.NoError(t, err)
	require.Equal(t, map[string]any{
		"sum":   json.Number("6.5"),
		"n":     "x",
		"id":    "e1",
		"big":   json.Number("1e+21"),
		"third": json.Number("0.3333333333333333"),
	}, got)
}

func TestEvalUndefinedAndNull(t *testing.T) {
	t.Parallel()
	got, err := eval(t, `$doesNotExist`, nil, nil)
	require.NoError(t, err)
	require.Equal(t, jsonata.Undefined, got)
	got, err = eval(t, `null`, nil, nil)
	require.NoError(t, err)
	require.Nil(t, got)
	got, err = eval(t, `[1, $nothing, 2]`, nil, nil)
	require.NoError(t, err)
	require.Equal(t, []any{json.Number("1"), json.Number("2")}, got)
}

func TestEvalFunctionResult(t *testing.T) {
	t.Parallel()
	got, err := eval(t, `$fn := function($x){$x}`, nil, nil)
	require.NoError(t, err)
	require.True(t, jsonata.IsFunction(got))
	got, err = eval(t, `{"a": 1, "f": $uppercase}`, nil, nil)
	require.NoError(t, err)
	require.Equal(t, map[string]any{"a": json.Number("1")}, got)
}

func TestBoundFunction(t *testing.T) {
	t.Parallel()
	partition := jsonata.Function(func(args []any) (any, error) {
		arr, _ := args[0].([]any)
		return []any{arr[:1], arr[1:]}, nil
	})
	fail := jsonata.Function(func(args []any) (any, error) {
		return nil, &jsonata.Error{Code: "D3137", Message: "custom failure"}
	})
	got, err := eval(t, `$partition([1,2,3], 2)`, nil, map[string]any{"partition": partition})
	require.NoError(t, err)
	require.Equal(t, []any{[]any{json.Number("1")}, []any{json.Number("2"), json.Number("3")}}, got)
	_, err = eval(t, `$fail()`, nil, map[string]any{"fail": fail})
	require.EqualError(t, err, "custom failure")
}

func TestClockAndRandomAreInjected(t *testing.T) {
	t.Parallel()
	e, err := jsonata.Compile(`[$now(), $millis(), $millis() = $millis(), $random()]`)
	require.NoError(t, err)
	now := time.Date(2024, 11, 22, 10, 0, 0, 123e6, time.UTC)
	got, err := e.EvalWith(nil, nil, jsonata.EvalOptions{Now: now, Rand: func() float64 { return 0.75 }})
	require.NoError(t, err)
	require.Equal(t, []any{"2024-11-22T10:00:00.123Z", json.Number("1732269600123"), true, json.Number("0.75")}, got)
}

func TestErrorsCarryCodeMessagePosition(t *testing.T) {
	t.Parallel()
	_, err := jsonata.Compile(`1 +`)
	var je *jsonata.Error
	require.True(t, errors.As(err, &je))
	require.Equal(t, "S0207", je.Code)
	require.Equal(t, "Unexpected end of expression", je.Message)

	_, err = eval(t, `1 < "a"`, nil, nil)
	require.True(t, errors.As(err, &je))
	require.Equal(t, "T2009", je.Code)
	require.Equal(t, `The values 1 and "a" either side of operator "<" must be of the same data type`, je.Message)
	require.Equal(t, 3, je.Position)

	_, err = eval(t, `$eval("1")`, nil, nil)
	require.True(t, errors.As(err, &je))
	require.Equal(t, "T1006", je.Code)
}

func TestUnsupportedRegexIsAClearError(t *testing.T) {
	t.Parallel()
	_, err := jsonata.Compile(`$contains("ab", /a(?=b)/)`)
	var je *jsonata.Error
	require.True(t, errors.As(err, &je))
	require.Equal(t, "S0303", je.Code)
	require.Contains(t, je.Message, "lookahead")
}

func TestLimits(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ expr, code string }{
		{`( $f := function(){ $f() }; $f() )`, "U1002"},
		{`( $f := function($n){ 1 + $f($n) }; $f(1) )`, "U1001"},
		{`$pad("", 100000000)`, "U1003"},
		{`[1..10000001]`, "D2014"},
	} {
		_, err := eval(t, tc.expr, nil, nil)
		var je *jsonata.Error
		require.True(t, errors.As(err, &je), tc.expr)
		require.Equal(t, tc.code, je.Code, tc.expr)
	}
}

func TestOrderedInput(t *testing.T) {
	t.Parallel()
	in, err := jsonata.ParseJSON([]byte(`{"b": 1, "a": {"y": 2, "x": 3}, "10": 0, "2": 0}`))
	require.NoError(t, err)
	e, err := jsonata.Compile(`{"top": $keys($), "a": $keys(a), "s": $string($)}`)
	require.NoError(t, err)
	s, ok, err := e.EvalString(in, nil, jsonata.EvalOptions{})
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, `{"top":["2","10","b","a"],"a":["y","x"],"s":"{\"2\":0,\"10\":0,\"b\":1,\"a\":{\"y\":2,\"x\":3}}"}`, s)
}

func TestFormatNumber(t *testing.T) {
	t.Parallel()
	a, b := 0.1, 0.2
	require.Equal(t, "0.30000000000000004", jsonata.FormatNumber(a+b))
	for f, want := range map[float64]string{
		0: "0", 1: "1", -1.5: "-1.5", 1e21: "1e+21", 1e20: "100000000000000000000",
		1e-7: "1e-7", 1e-6: "0.000001", 123456789012345680000: "123456789012345680000", 5e-324: "5e-324",
		1.7976931348623157e308: "1.7976931348623157e+308", 3.0: "3", 2.5e-5: "0.000025",
	} {
		require.Equal(t, want, jsonata.FormatNumber(f), "%v", f)
	}
}

func TestConcurrentEvaluation(t *testing.T) {
	t.Parallel()
	in, err := jsonata.ParseJSON([]byte(`{"a": [[1, 2], [3]], "o": {"k": [1]}}`))
	require.NoError(t, err)
	e, err := jsonata.Compile(`{"x": a[0][], "y": o.k[], "z": $ ~> |o|{"n": 1}|, "s": $string(a)}`)
	require.NoError(t, err)
	done := make(chan string, 8)
	for range 8 {
		go func() {
			s, _, err := e.EvalString(in, map[string]any{"v": in}, jsonata.EvalOptions{})
			if err != nil {
				s = err.Error()
			}
			done <- s
		}()
	}
	for range 8 {
		require.Equal(t, `{"x":[1,2],"y":[1],"z":{"a":[[1,2],[3]],"o":{"k":[1],"n":1}},"s":"[[1,2],[3]]"}`, <-done)
	}
}
