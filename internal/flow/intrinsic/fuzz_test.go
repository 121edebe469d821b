package intrinsic_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/flow/intrinsic"
	"github.com/fogbank/fogbank/internal/flow/path"
)

func FuzzIntrinsic(f *testing.F) {
	b, err := os.ReadFile("testdata/intrinsics.json")
	if err != nil {
		f.Fatal(err)
	}
	var cases []struct {
		Expr  string `json:"expr"`
		Input any    `json:"input"`
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		f.Fatal(err)
	}
	for _, c := range cases {
		ib, _ := json.Marshal(c.Input)
		f.Add(c.Expr, string(ib))
	}
	f.Fuzz(func(t *testing.T, expr, inputText string) {
		call, err := intrinsic.Parse(expr)
		if err != nil {
			return
		}
		if call.String() != strings.TrimSpace(expr) {
			t.Fatalf("String() = %q for %q", call.String(), expr)
		}
		dec := json.NewDecoder(strings.NewReader(inputText))
		dec.UseNumber()
		var input any
		if dec.Decode(&input) != nil {
			input = map[string]any{"a": []any{json.Number("1"), "x"}, "s": "a,b"}
		}
		v, err := call.Eval(path.Env{Input: input, Context: input, Rand: func() uint64 { return 3 }})
		if err == nil {
			if _, merr := json.Marshal(v); merr != nil {
				t.Fatalf("result of %q does not marshal: %v", expr, merr)
			}
			return
		}
		if _, ok := err.(*intrinsic.Error); !ok { //nolint:errorlint // Eval returns *Error itself
			t.Fatalf("error of %q is %T, want *intrinsic.Error", expr, err)
		}
	})
}
