package path_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/fogbank/fogbank/internal/flow/path"
)

// fuzzDoc is a document with every kind of value for the fuzzers to walk.
const fuzzDoc = `{"a":{"b":[1,2.5,{"c":"x","d":null}],"e":true},"items":[{"s":0,"t":"y"},{"s":1}],"n":-3,"s":"str"}`

// seedPaths returns the paths of the golden files and the corpus templates.
func seedPaths(f *testing.F) []string {
	var pf pathFile
	b, err := os.ReadFile("testdata/paths.json")
	if err != nil {
		f.Fatal(err)
	}
	if err := json.Unmarshal(b, &pf); err != nil {
		f.Fatal(err)
	}
	var seeds []string
	for _, c := range pf.Cases {
		seeds = append(seeds, c.Path)
	}
	for _, c := range pf.Reference {
		seeds = append(seeds, c.Path)
	}
	return seeds
}

func FuzzParse(f *testing.F) {
	for _, s := range seedPaths(f) {
		f.Add(s)
	}
	doc := mustDecode(fuzzDoc)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := path.Parse(s)
		if err != nil {
			return
		}
		if p.String() != s {
			t.Fatalf("String() = %q, want %q", p.String(), s)
		}
		env := path.Env{Input: doc, Context: doc, Var: func(string) (any, bool) { return doc, true }}
		v, err := env.Get(p)
		if !p.Definite() && (err != nil || v == nil) {
			t.Fatalf("indefinite path %q: %v, %v", s, v, err)
		}
		if ref, err := path.ParseReference(s); err == nil {
			if _, err := path.Set(doc, ref, "v"); err == nil && !ref.Definite() {
				t.Fatalf("reference %q is not definite", s)
			}
		}
	})
}

func FuzzTemplate(f *testing.F) {
	var cases []templateCase
	b, err := os.ReadFile("testdata/corpus_templates.json")
	if err != nil {
		f.Fatal(err)
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		f.Fatal(err)
	}
	var more []templateCase
	b, err = os.ReadFile("testdata/templates.json")
	if err != nil {
		f.Fatal(err)
	}
	if err := json.Unmarshal(b, &more); err != nil {
		f.Fatal(err)
	}
	for _, c := range append(cases, more...) {
		tb, _ := json.Marshal(c.Template)
		ib, _ := json.Marshal(c.Input)
		f.Add(string(tb), string(ib))
	}
	f.Fuzz(func(t *testing.T, tmplText, inputText string) {
		dec := json.NewDecoder(strings.NewReader(tmplText))
		dec.UseNumber()
		var tmplValue any
		if dec.Decode(&tmplValue) != nil {
			return
		}
		tmpl, err := path.CompileTemplate(tmplValue)
		if err != nil {
			return
		}
		dec = json.NewDecoder(strings.NewReader(inputText))
		dec.UseNumber()
		var input any
		if dec.Decode(&input) != nil {
			input = mustDecode(fuzzDoc)
		}
		_, _ = tmpl.Eval(path.Env{Input: input, Context: input, Rand: func() uint64 { return 1 }})
	})
}
