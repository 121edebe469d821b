package mockshape

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func decode(t *testing.T, text string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v))
	return v
}

func TestCheck(t *testing.T) {
	t.Parallel()
	const (
		getObject    = "arn:aws:states:::aws-sdk:s3:getObject"
		getFunction  = "arn:aws:states:::aws-sdk:lambda:getFunction"
		startExec    = "arn:aws:states:::states:startExecution"
		putEvents    = "arn:aws:states:::events:putEvents"
		lambdaInvoke = "arn:aws:states:::lambda:invoke"
	)
	cases := []struct {
		name, resource, result string
		mode                   Mode
		want                   string // "" when the result fits
	}{
		{"long as string", getObject, `{"ContentLength": "9000"}`, Strict, "Field 'ContentLength' must be a number"},
		{"long", getObject, `{"ContentLength": 9000}`, Strict, ""},
		{"enum", getObject, `{"StorageClass": "Papyrus"}`, Present, "Field 'StorageClass' is not an expected value"},
		{"enum value", getObject, `{"StorageClass": "GLACIER"}`, Strict, ""},
		{"blob", "arn:aws:states:::aws-sdk:kms:encrypt", `{"CiphertextBlob": 123}`, Present, "Field 'CiphertextBlob' must be a string"},
		{"minimum", getFunction, `{"Configuration": {"MemorySize": 127}}`, Strict, "Field 'MemorySize' is less than the minimum value"},
		{"maximum", getFunction, `{"Configuration": {"MemorySize": 1e9}}`, Strict, "Field 'MemorySize' is greater than the maximum value"},
		{"in range", getFunction, `{"Configuration": {"MemorySize": 128}}`, Strict, ""},
		{"object", getFunction, `{"Configuration": []}`, Strict, "Field 'Configuration' must be an object"},
		{"boolean", "arn:aws:states:::aws-sdk:s3:headObject", `{"DeleteMarker": "yes"}`, Strict, "Field 'DeleteMarker' must be a boolean"},
		{"double", "arn:aws:states:::dynamodb:putItem", `{"ConsumedCapacity": {"CapacityUnits": "123.45"}}`, Strict, "Field 'CapacityUnits' must be a number"},
		{"map of structures", "arn:aws:states:::dynamodb:getItem", `{"Item": {"id": {"S": 1}}}`, Strict, "Field 'S' must be a string"},
		{"array", putEvents, `{"Entries": "x"}`, Strict, "Field 'Entries' must be an array"},
		{"array element", putEvents, `{"Entries": [{"EventId": "a"}, {"EventId": ["b"]}]}`, Present, "Field 'EventId' must be a string"},
		{"array of non-objects", putEvents, `{"Entries": [1]}`, Strict, "Field 'Entries' must be an object"},
		{"empty", putEvents, `{}`, Present, ""},
		{"required", startExec, `{"executionArn": "a", "startDate": "b"}`, Strict, "Required field 'ExecutionArn' is missing"},
		{"required null", startExec, `{"ExecutionArn": null, "StartDate": "b"}`, Strict, "Required field 'ExecutionArn' is missing"},
		{"required not in PRESENT", startExec, `{"executionArn": "a"}`, Present, ""},
		{"timestamp", startExec, `{"ExecutionArn": "a", "StartDate": 1764103483}`, Strict, "Field 'StartDate' must be a string"},
		{"timestamp bool", startExec, `{"StartDate": true}`, Present, "Field 'StartDate' must be a string"},
		{"NONE", startExec, `{"StartDate": true}`, None, ""},
		{"unknown members", lambdaInvoke, `{"pokemon": "pikachu"}`, Strict, ""},
		{"integer", lambdaInvoke, `{"StatusCode": "200"}`, Present, "Field 'StatusCode' must be a number"},
		{"Payload is JSON", lambdaInvoke, `{"Payload": {"a": 1}, "StatusCode": 200}`, Strict, ""},
		{"aws-sdk Payload is a blob", "arn:aws:states:::aws-sdk:lambda:invoke", `{"Payload": {"a": 1}}`, Strict, "Field 'Payload' must be a string"},
		{"sync", "arn:aws:states:::states:startExecution.sync", `{"Output": {}}`, Present, "Field 'Output' must be a string"},
		{"sync:2", "arn:aws:states:::states:startExecution.sync:2", `{"Output": {}, "Status": "DONE"}`, Present, "Field 'Status' is not an expected value"},
		{"sync required", "arn:aws:states:::states:startExecution.sync:2", `{"Output": {}}`, Strict, "Required field 'ExecutionArn' is missing"},
		{"aws-sdk sfn", "arn:aws:states:::aws-sdk:sfn:startExecution", `{"ExecutionArn": "a"}`, Strict, "Required field 'StartDate' is missing"},
		{"aws-sdk eventbridge", "arn:aws:states:::aws-sdk:eventbridge:putEvents", `{"FailedEntryCount": "0"}`, Strict, "Field 'FailedEntryCount' must be a number"},
		{"other partition", "arn:aws-cn:states:::sqs:sendMessage", `{"MessageId": 1}`, Strict, "Field 'MessageId' must be a string"},
		{"waitForTaskToken", "arn:aws:states:::sqs:sendMessage.waitForTaskToken", `{"MessageId": 1}`, Strict, ""},
		{"aws-sdk waitForTaskToken", "arn:aws:states:::aws-sdk:sqs:sendMessage.waitForTaskToken", `{"MessageId": 1}`, Strict, ""},
		{"unknown .sync", "arn:aws:states:::lambda:invoke.sync", `{"StatusCode": "x"}`, Strict, ""},
		{"unmodelled service", "arn:aws:states:::aws-sdk:pokedex:getPokemon", `{"A": 1}`, Strict, ""},
		{"unknown action", "arn:aws:states:::aws-sdk:s3:catchPokemon", `{"A": 1}`, Strict, ""},
		{"HTTP task", "arn:aws:states:::http:invoke", `{"StatusCode": "x"}`, Strict, ""},
		{"Lambda function", "arn:aws:lambda:us-east-1:111111111111:function:f", `{"StatusCode": "x"}`, Strict, ""},
		{"not an object", lambdaInvoke, `[1, 2]`, Strict, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := Check(tc.resource, decode(t, tc.result), tc.mode)
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			var se *Error
			require.ErrorAs(t, err, &se)
			require.Equal(t, tc.want, se.Message)
		})
	}
}

func TestParseMode(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Mode{"": Strict, "STRICT": Strict, "PRESENT": Present, "NONE": None} {
		got, ok := ParseMode(in)
		require.True(t, ok, in)
		require.Equal(t, want, got)
	}
	for _, in := range []string{"strict", "LAX"} {
		_, ok := ParseMode(in)
		require.False(t, ok, in)
	}
}

// TestCatalog checks the embedded shapes: every reference resolves, and
// every optimized integration's operation is there.
func TestCatalog(t *testing.T) {
	t.Parallel()
	cat, err := loadCatalog()
	require.NoError(t, err)
	require.NotEmpty(t, cat.Botocore)
	builtin := []string{"any", "blob", "boolean", "double", "float", "integer", "long", "string", "timestamp"}
	for name, svc := range cat.Services {
		resolves := func(ref string) bool { _, ok := svc.Shapes[ref]; return ok || slices.Contains(builtin, ref) }
		for op, ref := range svc.Operations {
			require.True(t, resolves(ref), "%s %s: %s", name, op, ref)
		}
		for sn, sh := range svc.Shapes {
			for _, m := range sh.Members {
				require.True(t, resolves(m[1]), "%s %s.%s: %s", name, sn, m[0], m[1])
			}
			for _, ref := range []string{sh.Member, sh.Value} {
				require.True(t, ref == "" || resolves(ref), "%s %s: %s", name, sn, ref)
			}
		}
	}
	for _, res := range []string{
		"lambda:invoke", "states:startExecution", "states:startExecution.sync", "states:startExecution.sync:2",
		"events:putEvents", "sqs:sendMessage", "sns:publish",
		"dynamodb:getItem", "dynamodb:putItem", "dynamodb:updateItem", "dynamodb:deleteItem",
		"aws-sdk:s3:getObject", "aws-sdk:kms:encrypt", "aws-sdk:secretsmanager:listSecrets", "aws-sdk:sfn:sendTaskSuccess",
	} {
		tg, ok := targetOf("arn:aws:states:::" + res)
		require.True(t, ok, res)
		svc := cat.Services[tg.service]
		require.NotNil(t, svc, res)
		require.Contains(t, svc.Operations, tg.operation, res)
	}
}
