package asl_test

import (
	"fmt"

	"github.com/fogbank/fogbank/internal/flow/asl"
)

func ExampleParse() {
	sm, err := asl.Parse(`{
	  "StartAt": "Hello",
	  "States": {
	    "Hello": {"Type": "Pass", "Result": "world", "Next": "Done"},
	    "Done": {"Type": "Succeed"}
	  }
	}`, asl.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sm.StartAt, sm.Order, sm.States["Hello"].Type, sm.States["Hello"].QueryLanguage)
	// Output: Hello [Hello Done] Pass JSONPath
}

func ExampleParse_invalid() {
	_, err := asl.Parse(`{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}`, asl.Options{})
	fmt.Println(err)
	// Output: Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next'
}
