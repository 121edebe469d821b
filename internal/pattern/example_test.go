package pattern_test

import (
	"errors"
	"fmt"

	"github.com/fogbank/fogbank/internal/pattern"
)

func Example() {
	m := pattern.NewMatcher()
	for id, raw := range map[string]string{
		"ec2-running": `{"source":["aws.ec2"],"detail":{"state":["running"]}}`,
		"big-orders":  `{"detail-type":["Order"],"detail":{"total":[{"numeric":[">=",100]}]}}`,
	} {
		p, err := pattern.Compile([]byte(raw))
		if err != nil {
			panic(err)
		}
		m.Add(id, p)
	}
	ids, err := m.MatchJSON([]byte(`{"source":"aws.ec2","detail":{"state":"running"}}`))
	fmt.Println(ids, err)
	// Output: [ec2-running] <nil>
}

func ExampleCompile() {
	_, err := pattern.Compile([]byte(`{"detail":{"state":"running"}}`))
	var e *pattern.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code)
		fmt.Println(e.Message)
	}
	// Output:
	// InvalidEventPatternException
	// Event pattern is not valid. Reason: "state" must be an object or an array
}

func ExampleTest() {
	ok, err := pattern.Test(
		[]byte(`{"number":[300]}`),
		[]byte(`{"id":"1","source":"s","detail-type":"t","account":"1","region":"r","time":"t","number":300.0}`),
	)
	fmt.Println(ok, err)
	// Output: true <nil>
}

func ExampleCompileFilterPolicy() {
	p, err := pattern.CompileFilterPolicy([]byte(`{"store":["example_corp"]}`), pattern.ScopeMessageAttributes)
	if err != nil {
		panic(err)
	}
	fmt.Println(p.MatchAttributes(map[string]pattern.Attribute{
		"store": {DataType: "String.Array", StringValue: `["example_corp","other"]`},
	}))
	// Output: true
}
