package path_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/flow/path"
)

type passCase struct {
	Name  string         `json:"name"`
	State map[string]any `json:"state"`
	Input any            `json:"input"`
	Want  any            `json:"want"`
}

// runPass applies a JSONPath-mode Pass state's data flow: InputPath,
// Parameters (or Result), ResultPath, OutputPath.
func runPass(t *testing.T, st map[string]any, raw any) (any, error) {
	t.Helper()
	effective := raw
	if p, ok := st["InputPath"]; ok {
		if p == nil {
			effective = map[string]any{}
		} else {
			v, err := path.Env{Input: raw}.Resolve(p.(string))
			if err != nil {
				return nil, err
			}
			effective = v
		}
	}
	result := effective
	if tv, ok := st["Parameters"]; ok {
		tmpl, err := path.CompileTemplate(tv)
		require.NoError(t, err)
		if result, err = tmpl.Eval(path.Env{Input: effective}); err != nil {
			return nil, err
		}
	} else if r, ok := st["Result"]; ok {
		result = r
	}
	out := result
	if rp, ok := st["ResultPath"]; ok {
		if rp == nil {
			out = raw
		} else {
			ref, err := path.ParseReference(rp.(string))
			require.NoError(t, err)
			if out, err = path.Set(raw, ref, result); err != nil {
				return nil, err
			}
		}
	}
	if op, ok := st["OutputPath"]; ok {
		if op == nil {
			return map[string]any{}, nil
		}
		return path.Env{Input: out}.Resolve(op.(string))
	}
	return out, nil
}

// TestCorpusPassStates replays every JSONPath Pass state of the AWS-recorded
// corpus (testdata/corpus_pass_states.json: the state's fields, its recorded
// input and output, from the execution histories).
func TestCorpusPassStates(t *testing.T) {
	t.Parallel()
	var cases []passCase
	load(t, "corpus_pass_states.json", &cases)
	require.NotEmpty(t, cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			got, err := runPass(t, c.State, c.Input)
			require.NoError(t, err)
			requireJSON(t, c.Want, got)
		})
	}
}
