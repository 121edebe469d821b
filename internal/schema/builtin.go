package schema

import (
	"time"
)

// awsSample is an AWS service event, as documented, from which the
// aws.events registry's schema is inferred.
type awsSample struct {
	source, detailType string
	event              string
}

// awsSamples are the schemas fogbank ships in aws.events: a small set
// written from the documented shapes of these events, not AWS's catalogue.
var awsSamples = []awsSample{
	{"aws.events", "Scheduled Event", `{"detail":{}}`},
	{"aws.ec2", "EC2 Instance State-change Notification", `{"detail":{"instance-id":"i-abcd1111","state":"pending"}}`},
	{"aws.s3", "Object Created", `{"detail":{"version":"0","bucket":{"name":"example-bucket"},
		"object":{"key":"example-key","size":5,"etag":"b1946ac92492d2347c6235b4d2611184","version-id":"IYV3p45BT0ac8hjHg1houSdS1a.Mro8e","sequencer":"00617F08299329D189"},
		"request-id":"N4N7GDK58NMKJ12R","requester":"123456789012","source-ip-address":"1.2.3.4","reason":"PutObject"}}`},
	{"aws.states", "Step Functions Execution Status Change", `{"detail":{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:sm:run",
		"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:sm","name":"run","status":"SUCCEEDED",
		"startDate":1551225014968,"stopDate":1551225017576,"input":"{}","output":"{}"}}`},
}

// awsSchemasCreated is when the built-in schemas' first version is dated.
var awsSchemasCreated = time.Date(2019, 12, 1, 0, 0, 0, 0, time.UTC)

// builtinSchemas renders the aws.events schemas.
func builtinSchemas() map[string]version {
	out := make(map[string]version, len(awsSamples))
	for _, a := range awsSamples {
		v, err := DecodeJSON([]byte(a.event))
		if err != nil {
			panic("schema: built-in sample " + a.source + ": " + err.Error()) // a programming error, caught by tests
		}
		detail := infer(v.(map[string]any)["detail"])
		out[DiscoveredName(a.source, a.detailType)] = version{
			Version: "1", Type: TypeOpenAPI3, Content: renderOpenAPI(a.source, a.detailType, detail), Created: millis(awsSchemasCreated),
		}
	}
	return out
}

// awsEvents is the aws.events registry as the caller sees it.
func (s *Service) awsEvents(c Caller) *registry {
	r := &registry{rec: registryRecord{Account: c.Account, Region: c.Region, Name: AWSRegistry}, schemas: map[string]*schemaEntry{}, aws: true}
	for name, v := range s.builtin {
		r.schemas[name] = &schemaEntry{rec: schemaRecord{
			Account: c.Account, Region: c.Region, Registry: AWSRegistry, Name: name,
			Modified: v.Created, Next: 2, Versions: []version{v},
		}}
	}
	return r
}
