package mockshape

import (
	_ "embed"
	"encoding/json"
	"strings"
	"sync"
)

//go:embed shapes.json
var shapesJSON []byte

// catalog is shapes.json: per botocore service, each operation's output
// shape and the shapes it reaches.
type catalog struct {
	Botocore string              `json:"botocore"`
	Services map[string]*service `json:"services"`
}

type service struct {
	// Operations maps an operation (GetObject) to its output shape.
	Operations map[string]string `json:"operations"`
	Shapes     map[string]*shape `json:"shapes"`
}

// shape is a compact botocore shape. A reference to a shape is its name,
// or a built-in type name (string, long, timestamp, any, ...) for a
// scalar without constraints.
type shape struct {
	Type string `json:"type"`
	// Members are [name, reference] pairs in the model's order.
	Members  [][2]string  `json:"members"`
	Required []string     `json:"required"`
	Member   string       `json:"member"`
	Value    string       `json:"value"`
	Enum     []string     `json:"enum"`
	Min      *json.Number `json:"min"`
	Max      *json.Number `json:"max"`
}

// loadCatalog parses the embedded shapes once; it is read-only after.
var loadCatalog = sync.OnceValues(func() (*catalog, error) {
	var c catalog
	err := json.Unmarshal(shapesJSON, &c)
	return &c, err
})

// target is the output a Task resource returns.
type target struct {
	service, operation string
	// asJSON are top-level members the integration returns as JSON
	// rather than as the model's type.
	asJSON []string
}

// optimized maps an optimized integration's prefix to its botocore
// service; sdkServices maps the aws-sdk service names that differ from
// botocore's.
var (
	optimized   = map[string]string{"lambda": "lambda", "dynamodb": "dynamodb", "events": "events", "sqs": "sqs", "sns": "sns", "states": "stepfunctions"}
	sdkServices = map[string]string{"sfn": "stepfunctions", "eventbridge": "events"}
)

// targetOf finds the output shape a Task resource returns; false for
// resources whose output no model describes.
func targetOf(resource string) (target, bool) {
	parts := strings.SplitN(resource, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" || parts[2] != "states" || parts[3] != "" || parts[4] != "" {
		return target{}, false
	}
	rest := parts[5]
	if strings.HasSuffix(rest, ".waitForTaskToken") {
		return target{}, false
	}
	if sdk, ok := strings.CutPrefix(rest, "aws-sdk:"); ok {
		svc, action, _ := strings.Cut(sdk, ":")
		if s, ok := sdkServices[svc]; ok {
			svc = s
		}
		return target{service: svc, operation: upperFirst(action)}, action != ""
	}
	typ, action, _ := strings.Cut(rest, ":")
	svc, ok := optimized[typ]
	if !ok {
		return target{}, false
	}
	switch typ + ":" + action {
	case "lambda:invoke":
		return target{service: svc, operation: "Invoke", asJSON: []string{"Payload"}}, true
	case "states:startExecution.sync":
		return target{service: svc, operation: "DescribeExecution"}, true
	case "states:startExecution.sync:2":
		return target{service: svc, operation: "DescribeExecution", asJSON: []string{"Input", "Output"}}, true
	}
	if strings.Contains(action, ".") {
		return target{}, false
	}
	return target{service: svc, operation: upperFirst(action)}, true
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
