package path_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/flow/path"
)

type templateCase struct {
	Name     string         `json:"name"`
	Template any            `json:"template"`
	Input    any            `json:"input"`
	Context  any            `json:"context"`
	Vars     map[string]any `json:"vars"`
	Want     any            `json:"want"`
	Error    string         `json:"error"`
	Invalid  string         `json:"invalid"`
	Pointer  string         `json:"pointer"`
}

func (c templateCase) env() path.Env {
	return path.Env{Input: c.Input, Context: c.Context, Var: func(name string) (any, bool) {
		v, ok := c.Vars[name]
		return v, ok
	}}
}

func runTemplateCase(t *testing.T, c templateCase) {
	tmpl, err := path.CompileTemplate(c.Template)
	if c.Invalid != "" {
		var inv *path.InvalidFieldError
		require.ErrorAs(t, err, &inv)
		require.EqualError(t, err, c.Invalid)
		require.Equal(t, c.Pointer, inv.Pointer)
		require.Equal(t, err.Error(), path.ValidateTemplate(c.Template).Error())
		return
	}
	require.NoError(t, err)
	require.NoError(t, path.ValidateTemplate(c.Template))
	got, err := tmpl.Eval(c.env())
	if c.Error != "" {
		require.EqualError(t, err, c.Error)
		return
	}
	require.NoError(t, err)
	requireJSON(t, c.Want, got)
}

func TestTemplate(t *testing.T) {
	t.Parallel()
	var cases []templateCase
	load(t, "templates.json", &cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			runTemplateCase(t, c)
		})
	}
}

// TestCorpusTemplates runs the single-Pass-state executions of the
// AWS-recorded conformance corpus (testdata/corpus_templates.json, extracted
// from /work/shared/conformance/stepfunctions): template + input → the
// output AWS recorded.
func TestCorpusTemplates(t *testing.T) {
	t.Parallel()
	var cases []templateCase
	load(t, "corpus_templates.json", &cases)
	require.NotEmpty(t, cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			runTemplateCase(t, c)
		})
	}
}

func TestTemplateMissingPathIsNotFound(t *testing.T) {
	t.Parallel()
	tmpl, err := path.CompileTemplate(decode(t, `{"x.$":"$.a.b"}`))
	require.NoError(t, err)
	_, err = tmpl.Eval(path.Env{Input: decode(t, `{"a":{}}`)})
	require.ErrorIs(t, err, path.ErrNotFound)
	var fe *path.FieldError
	require.True(t, errors.As(err, &fe))
	require.Equal(t, "x.$", fe.Field)
	require.Equal(t, "$.a.b", fe.Path)
}
