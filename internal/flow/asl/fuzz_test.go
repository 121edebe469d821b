package asl_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/fogbank/fogbank/internal/flow/asl"
)

// corpusDefinitions returns the definitions of the conformance corpus, when
// it is present, as fuzz seeds.
func corpusDefinitions(f *testing.F) []string {
	f.Helper()
	dir := os.Getenv("FOGBANK_CONFORMANCE_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "conformance")
	}
	var out []string
	for _, kind := range []string{"execution", "validation"} {
		files, _ := filepath.Glob(filepath.Join(dir, "stepfunctions", kind, "*.json"))
		for _, file := range files {
			b, err := os.ReadFile(file)
			if err != nil {
				continue
			}
			var c struct {
				Definition     json.RawMessage `json:"definition"`
				DefinitionText *string         `json:"definitionText"`
			}
			if json.Unmarshal(b, &c) != nil {
				continue
			}
			if c.DefinitionText != nil {
				out = append(out, *c.DefinitionText)
			} else if len(c.Definition) > 0 {
				out = append(out, string(c.Definition))
			}
		}
	}
	return out
}

func FuzzParse(f *testing.F) {
	f.Add(`{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`)
	f.Add(`{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.x","IsPresent":true},"Next":"A"}]}}}`)
	f.Add(`{"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","Items":"{% [1] %}","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`)
	f.Add(`not json`)
	for _, d := range corpusDefinitions(f) {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, text string) {
		sm, err := asl.Parse(text, asl.Options{})
		if err == nil && sm == nil {
			t.Fatal("nil machine without error")
		}
		if err != nil {
			if msg := err.Error(); msg == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if _, ok := sm.States[sm.StartAt]; !ok {
			t.Fatalf("accepted a definition whose StartAt %q is not a state", sm.StartAt)
		}
	})
}
