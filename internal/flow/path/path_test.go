package path_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/flow/intrinsic/lang"
	"github.com/fogbank/fogbank/internal/flow/path"
)

// load decodes a testdata file the way the engine decodes JSON (UseNumber).
func load(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	require.NoError(t, dec.Decode(v))
}

func decode(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v))
	return v
}

// requireJSON compares two values as JSON (object key order ignored).
func requireJSON(t *testing.T, want, got any) {
	t.Helper()
	require.Equal(t, lang.JSON(want), lang.JSON(got))
}

type pathCase struct {
	Path   string `json:"path"`
	Want   any    `json:"want"`
	Error  string `json:"error"`
	Syntax bool   `json:"syntax"`
}

type pathFile struct {
	Doc       any        `json:"doc"`
	Cases     []pathCase `json:"cases"`
	Reference []struct {
		Path string `json:"path"`
		OK   bool   `json:"ok"`
	} `json:"reference"`
}

func TestGet(t *testing.T) {
	t.Parallel()
	var f pathFile
	load(t, "paths.json", &f)
	for _, c := range f.Cases {
		t.Run(c.Path, func(t *testing.T) {
			t.Parallel()
			p, err := path.Parse(c.Path)
			if c.Syntax {
				require.ErrorIs(t, err, path.ErrSyntax)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.Path, p.String())
			got, err := path.Env{Input: f.Doc, Context: f.Doc}.Get(p)
			if c.Error != "" {
				require.ErrorIs(t, err, path.ErrNotFound)
				require.EqualError(t, err, c.Error)
				return
			}
			require.NoError(t, err)
			want := c.Want
			if want == "@doc" {
				want = f.Doc
			}
			requireJSON(t, want, got)
			_, isList := got.([]any)
			if !p.Definite() {
				require.True(t, isList, "an indefinite path yields a list")
			}
		})
	}
}

func TestParseReference(t *testing.T) {
	t.Parallel()
	var f pathFile
	load(t, "paths.json", &f)
	for _, c := range f.Reference {
		_, err := path.ParseReference(c.Path)
		if c.OK {
			require.NoError(t, err, c.Path)
		} else {
			require.ErrorIs(t, err, path.ErrSyntax, c.Path)
		}
	}
}

func TestRoots(t *testing.T) {
	t.Parallel()
	env := path.Env{
		Input:   decode(t, `{"a":1}`),
		Context: decode(t, `{"Execution":{"Name":"e1"}}`),
		Var: func(name string) (any, bool) {
			if name == "answer" {
				return decode(t, `{"x":[42]}`), true
			}
			return nil, false
		},
	}
	for expr, want := range map[string]string{
		"$.a":                  `1`,
		"$$.Execution.Name":    `"e1"`,
		"$answer":              `{"x":[42]}`,
		"$answer.x[0]":         `42`,
		"$$":                   `{"Execution":{"Name":"e1"}}`,
		"$answer.x[*]":         `[42]`,
		"$$['Execution'].Name": `"e1"`,
	} {
		got, err := env.Resolve(expr)
		require.NoError(t, err, expr)
		require.Equal(t, want, lang.JSON(got), expr)
	}
	_, err := env.Resolve("$missing")
	require.ErrorIs(t, err, path.ErrNotFound)
	require.EqualError(t, err, "Invalid path '$missing' : Undefined variable: missing")

	p, err := path.Parse("$answer.x")
	require.NoError(t, err)
	require.Equal(t, path.RootVariable, p.Root())
	require.Equal(t, "answer", p.Variable())
}

type setCase struct {
	Name  string `json:"name"`
	Doc   any    `json:"doc"`
	Ref   string `json:"ref"`
	Value any    `json:"value"`
	Want  any    `json:"want"`
	Error string `json:"error"`
}

func TestSet(t *testing.T) {
	t.Parallel()
	var cases []setCase
	load(t, "set.json", &cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			ref, err := path.ParseReference(c.Ref)
			require.NoError(t, err)
			before := lang.JSON(c.Doc)
			got, err := path.Set(c.Doc, ref, c.Value)
			require.Equal(t, before, lang.JSON(c.Doc), "Set must not modify its input")
			if c.Error != "" {
				require.ErrorIs(t, err, path.ErrResultPath)
				require.EqualError(t, err, c.Error)
				return
			}
			require.NoError(t, err)
			requireJSON(t, c.Want, got)
		})
	}
}
