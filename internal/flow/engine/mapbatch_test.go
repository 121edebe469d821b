package engine_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/flow/asl"
	"github.com/fogbank/fogbank/internal/flow/engine"
)

// batchDef is a Distributed Map over $.items whose children pass their
// input through; extra holds more Map fields.
func batchDef(ql, batcher, extra string) string {
	items := `"ItemsPath": "$.items"`
	if ql == asl.JSONata {
		items = `"Items": "{% $states.input.items %}"`
	}
	return fmt.Sprintf(`{
  "QueryLanguage": %q,
  "StartAt": "M",
  "States": {
    "M": {
      "Type": "Map", %s, %s
      "ItemBatcher": %s,
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}
      },
      "End": true
    }
  }
}`, ql, items, extra, batcher)
}

func TestItemBatcher(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", 300*1024)
	cases := []struct {
		name, ql, batcher, extra, input string
		want                            string // output JSON
		err, cause                      string // failure
	}{
		{
			name: "by count", ql: asl.JSONPath, batcher: `{"MaxItemsPerBatch": 2}`,
			input: `{"items": [1, 2, 3, 4, 5]}`,
			want:  `[{"Items":[1,2]},{"Items":[3,4]},{"Items":[5]}]`,
		},
		{
			name: "empty array", ql: asl.JSONPath, batcher: `{"MaxItemsPerBatch": 2}`,
			input: `{"items": []}`, want: `[]`,
		},
		{
			// {"Items":[]} is 12 bytes; "aaaa" adds 6, each further one 7.
			name: "by bytes", ql: asl.JSONPath, batcher: `{"MaxInputBytesPerBatch": 25}`,
			input: `{"items": ["aaaa", "bbbb", "cccc", "dddd"]}`,
			want:  `[{"Items":["aaaa","bbbb"]},{"Items":["cccc","dddd"]}]`,
		},
		{
			name: "bytes limit is exact", ql: asl.JSONPath, batcher: `{"MaxInputBytesPerBatch": 24}`,
			input: `{"items": ["aaaa", "bbbb", "cccc"]}`,
			want:  `[{"Items":["aaaa"]},{"Items":["bbbb"]},{"Items":["cccc"]}]`,
		},
		{
			name: "count and bytes", ql: asl.JSONPath, batcher: `{"MaxItemsPerBatch": 3, "MaxInputBytesPerBatch": 25}`,
			input: `{"items": ["aaaa", "bbbb", "c"]}`,
			want:  `[{"Items":["aaaa","bbbb"]},{"Items":["c"]}]`,
		},
		{
			name: "batch input template", ql: asl.JSONPath,
			batcher: `{"MaxItemsPerBatch": 2, "BatchInput": {"job.$": "$.job", "fixed": true}}`,
			input:   `{"job": "j1", "items": [1, 2, 3]}`,
			want:    `[{"BatchInput":{"fixed":true,"job":"j1"},"Items":[1,2]},{"BatchInput":{"fixed":true,"job":"j1"},"Items":[3]}]`,
		},
		{
			name: "item selector before batching", ql: asl.JSONPath, batcher: `{"MaxItemsPerBatch": 2}`,
			extra: `"ItemSelector": {"v.$": "$$.Map.Item.Value.n", "i.$": "$$.Map.Item.Index"},`,
			input: `{"items": [{"n": "a"}, {"n": "b"}, {"n": "c"}]}`,
			want:  `[{"Items":[{"i":0,"v":"a"},{"i":1,"v":"b"}]},{"Items":[{"i":2,"v":"c"}]}]`,
		},
		{
			name: "count path", ql: asl.JSONPath, batcher: `{"MaxItemsPerBatchPath": "$.size"}`,
			input: `{"size": 3, "items": [1, 2, 3, 4]}`,
			want:  `[{"Items":[1,2,3]},{"Items":[4]}]`,
		},
		{
			name: "count path as numeric string", ql: asl.JSONPath, batcher: `{"MaxItemsPerBatchPath": "$.size"}`,
			input: `{"size": "2", "items": [1, 2, 3]}`,
			want:  `[{"Items":[1,2]},{"Items":[3]}]`,
		},
		{
			name: "bytes path", ql: asl.JSONPath, batcher: `{"MaxInputBytesPerBatchPath": "$.bytes"}`,
			input: `{"bytes": 15, "items": [1, 2, 3]}`,
			want:  `[{"Items":[1,2]},{"Items":[3]}]`,
		},
		{
			name: "jsonata limits and batch input", ql: asl.JSONata,
			batcher: `{"MaxItemsPerBatch": "{% $states.input.n %}", "BatchInput": {"sum": "{% $sum($states.input.items) %}"}}`,
			input:   `{"n": 2, "items": [1, 2, 3]}`,
			want:    `[{"BatchInput":{"sum":6},"Items":[1,2]},{"BatchInput":{"sum":6},"Items":[3]}]`,
		},
		{
			name: "count path zero", ql: asl.JSONPath, batcher: `{"MaxItemsPerBatchPath": "$.size"}`,
			input: `{"size": 0, "items": [1]}`, err: "States.Runtime",
			cause: `The MaxItemsPerBatchPath field refers to value "0" which is not a positive integer: $.size`,
		},
		{
			name: "bytes path negative", ql: asl.JSONPath, batcher: `{"MaxInputBytesPerBatchPath": "$.b"}`,
			input: `{"b": -5, "items": [1]}`, err: "States.Runtime",
			cause: `The MaxInputBytesPerBatchPath field refers to value "-5" which is not a positive integer: $.b`,
		},
		{
			name: "count path missing", ql: asl.JSONPath, batcher: `{"MaxItemsPerBatchPath": "$.nope"}`,
			input: `{"items": [1]}`, err: "States.Runtime",
			cause: `The MaxItemsPerBatchPath field does not reference an input value: $.nope`,
		},
		{
			name: "count path not a number", ql: asl.JSONPath, batcher: `{"MaxItemsPerBatchPath": "$.size"}`,
			input: `{"size": "many", "items": [1]}`, err: "States.Runtime",
			cause: `The MaxItemsPerBatchPath field refers to value "many" which is not a valid integer: $.size`,
		},
		{
			name: "jsonata count zero", ql: asl.JSONata, batcher: `{"MaxItemsPerBatch": "{% 0 %}"}`,
			input: `{"items": [1]}`, err: "States.Runtime",
			cause: `The MaxItemsPerBatch field must be a positive integer, but was: 0`,
		},
		{
			name: "item larger than the byte limit", ql: asl.JSONPath, batcher: `{"MaxInputBytesPerBatch": 20}`,
			input: `{"items": ["ab", "abcdefghijklmnop"]}`, err: "States.Runtime",
			cause: `The size of an item exceeds the maximum input bytes per batch of 20 bytes.`,
		},
		{
			name: "item larger than 256 KiB", ql: asl.JSONPath, batcher: `{"MaxItemsPerBatch": 1}`,
			input: `{"items": ["` + big + `"]}`, err: "States.Runtime",
			cause: `The size of an item exceeds the maximum input bytes per batch of 262144 bytes.`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			_, res := b.run(t, batchDef(tc.ql, tc.batcher, tc.extra), tc.input)
			if tc.err != "" {
				require.Equal(t, engine.StatusFailed, res.Status)
				require.Equal(t, tc.err, res.Error)
				require.True(t, strings.HasSuffix(res.Cause, tc.cause), res.Cause)
				return
			}
			require.Equal(t, engine.StatusSucceeded, res.Status, res.Cause)
			require.JSONEq(t, tc.want, *res.Output)
		})
	}
}

// TestItemBatcherBytesAreTheChildInput checks the byte limit against the
// serialised input each child really receives.
func TestItemBatcherBytesAreTheChildInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	const limit = 100
	items := make([]string, 40)
	for i := range items {
		items[i] = fmt.Sprintf(`"item-%d"`, i*37)
	}
	in := `{"items": [` + strings.Join(items, ",") + `]}`
	_, res := b.run(t, batchDef(asl.JSONPath, `{"MaxInputBytesPerBatch": 100, "BatchInput": {"k": "v"}}`, ""), in)
	require.Equal(t, engine.StatusSucceeded, res.Status, res.Cause)
	var out []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(*res.Output), &out))
	total := 0
	for i, batch := range out {
		var parsed struct{ Items []any }
		require.NoError(t, json.Unmarshal(batch, &parsed))
		total += len(parsed.Items)
		require.LessOrEqual(t, len(batch), limit)
		if i+1 < len(out) {
			// The next batch's first item would not have fitted.
			var next struct{ Items []json.RawMessage }
			require.NoError(t, json.Unmarshal(out[i+1], &next))
			require.Greater(t, len(batch)+1+len(next.Items[0]), limit)
		}
	}
	require.Equal(t, len(items), total)
}

func TestItemBatcherValidation(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, def, msg string }{
		{
			name: "inline mode",
			def:  strings.Replace(batchDef(asl.JSONPath, `{"MaxItemsPerBatch": 2}`, ""), "DISTRIBUTED", "INLINE", 1),
			msg:  "SCHEMA_VALIDATION_FAILED: The field 'ItemBatcher' is only supported when the ProcessorConfig Mode is DISTRIBUTED at /States/M/ItemBatcher",
		},
		{
			name: "no limit", def: batchDef(asl.JSONPath, `{"BatchInput": {}}`, ""),
			msg: "SCHEMA_VALIDATION_FAILED: At least one of the fields 'MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch' or 'MaxInputBytesPerBatchPath' is required at /States/M/ItemBatcher",
		},
		{
			name: "zero items", def: batchDef(asl.JSONPath, `{"MaxItemsPerBatch": 0}`, ""),
			msg: "SCHEMA_VALIDATION_FAILED: The value for the field 'MaxItemsPerBatch' must be a positive integer at /States/M/ItemBatcher/MaxItemsPerBatch",
		},
		{
			name: "fractional items", def: batchDef(asl.JSONPath, `{"MaxItemsPerBatch": 1.5}`, ""),
			msg: "SCHEMA_VALIDATION_FAILED: The value for the field 'MaxItemsPerBatch' must be a positive integer at /States/M/ItemBatcher/MaxItemsPerBatch",
		},
		{
			name: "too many bytes", def: batchDef(asl.JSONPath, `{"MaxInputBytesPerBatch": 262145}`, ""),
			msg: "SCHEMA_VALIDATION_FAILED: The value for the field 'MaxInputBytesPerBatch' must be a positive integer no greater than 262144 at /States/M/ItemBatcher/MaxInputBytesPerBatch",
		},
		{
			name: "value and path", def: batchDef(asl.JSONPath, `{"MaxItemsPerBatch": 2, "MaxItemsPerBatchPath": "$.n"}`, ""),
			msg: "SCHEMA_VALIDATION_FAILED: The fields 'MaxItemsPerBatch' and 'MaxItemsPerBatchPath' are mutually exclusive at /States/M/ItemBatcher",
		},
		{
			name: "unknown field", def: batchDef(asl.JSONPath, `{"MaxItemsPerBatch": 2, "Size": 1}`, ""),
			msg: "SCHEMA_VALIDATION_FAILED: Field 'Size' is not supported at /States/M/ItemBatcher",
		},
		{
			name: "batch input not an object", def: batchDef(asl.JSONPath, `{"MaxItemsPerBatch": 2, "BatchInput": 3}`, ""),
			msg: "SCHEMA_VALIDATION_FAILED: The value for the field 'BatchInput' must be an OBJECT at /States/M/ItemBatcher/BatchInput",
		},
		{
			name: "not an object", def: batchDef(asl.JSONPath, `[]`, ""),
			msg: "SCHEMA_VALIDATION_FAILED: The value for the field 'ItemBatcher' must be an OBJECT at /States/M/ItemBatcher",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := asl.Parse(tc.def, asl.Options{})
			require.EqualError(t, err, "Invalid State Machine Definition: '"+tc.msg+"'")
		})
	}
}
