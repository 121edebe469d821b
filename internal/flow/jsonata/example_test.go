package jsonata_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/fogbank/fogbank/internal/flow/jsonata"
)

func Example() {
	// a Step Functions JSONata expression, with $states bound as the engine does
	expr, err := jsonata.Compile(`$states.input.orders[total > 100].{"id": id, "vat": $round(total * 0.2, 2)}`)
	if err != nil {
		panic(err)
	}
	d := json.NewDecoder(strings.NewReader(`{"orders": [{"id": "a", "total": 250.5}, {"id": "b", "total": 40}]}`))
	d.UseNumber()
	var input any
	if err := d.Decode(&input); err != nil {
		panic(err)
	}
	out, err := expr.Eval(nil, map[string]any{"states": map[string]any{"input": input}})
	fmt.Println(out, err)

	_, err = jsonata.Compile(`$states.input.total +`)
	fmt.Println(err)
	// Output:
	// map[id:a vat:50.1] <nil>
	// Unexpected end of expression
}
