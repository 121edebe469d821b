package path_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/fogbank/fogbank/internal/flow/path"
)

func mustDecode(s string) any {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		panic(err)
	}
	return v
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// A definite path yields a value; an indefinite one (wildcard, slice,
// filter, deep scan) yields a list; a definite path that matches nothing
// fails with Jayway's reason, which AWS quotes.
func ExamplePath_Get() {
	doc := mustDecode(`{"users":[{"name":"ana","status":0},{"name":"bo","status":1}]}`)
	for _, expr := range []string{"$.users[0].name", "$.users[*].name", "$.users[?(@.status == 1)].name", "$.groups.admins"} {
		p, _ := path.Parse(expr)
		v, err := p.Get(doc)
		fmt.Println(expr, "→", show(v), err)
	}
	// Output:
	// $.users[0].name → "ana" <nil>
	// $.users[*].name → ["ana","bo"] <nil>
	// $.users[?(@.status == 1)].name → ["bo"] <nil>
	// $.groups.admins → null Invalid path '$.groups.admins' : Missing property in path $['groups']
}

// A payload template evaluates its ".$" keys: paths on the input ($), the
// context object ($$), variables ($name) and intrinsic functions.
func ExampleTemplate_Eval() {
	tmpl, err := path.CompileTemplate(mustDecode(`{
		"greeting.$": "States.Format('Hello {}!', $.name)",
		"execution.$": "$$.Execution.Name",
		"limit.$": "$limit",
		"static": "kept"
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := tmpl.Eval(path.Env{
		Input:   mustDecode(`{"name":"World"}`),
		Context: mustDecode(`{"Execution":{"Name":"run-1"}}`),
		Var: func(name string) (any, bool) {
			return json.Number("10"), name == "limit"
		},
	})
	fmt.Println(show(out), err)
	// Output:
	// {"execution":"run-1","greeting":"Hello World!","limit":10,"static":"kept"} <nil>
}

// Set applies ResultPath: it merges the result into the input, creating the
// objects on the way.
func ExampleSet() {
	ref, _ := path.ParseReference("$.result.payload")
	out, err := path.Set(mustDecode(`{"id":7}`), ref, mustDecode(`{"ok":true}`))
	fmt.Println(show(out), err)
	// Output:
	// {"id":7,"result":{"payload":{"ok":true}}} <nil>
}
