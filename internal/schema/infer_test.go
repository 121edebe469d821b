package schema

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestInferGolden infers the discovered schema of each testdata/infer case
// (<name>.events.json → <name>.openapi.json).
func TestInferGolden(t *testing.T) {
	t.Parallel()
	cases, err := filepath.Glob("testdata/infer/*.events.json")
	require.NoError(t, err)
	require.NotEmpty(t, cases)
	for _, path := range cases {
		name := strings.TrimSuffix(filepath.Base(path), ".events.json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(path)
			require.NoError(t, err)
			var events []json.RawMessage
			require.NoError(t, json.Unmarshal(raw, &events))
			strs := make([]string, len(events))
			for i, e := range events {
				strs[i] = string(e)
			}
			got, err := DiscoverSchema(strs, TypeOpenAPI3)
			require.NoError(t, err)
			golden := filepath.Join("testdata/infer", name+".openapi.json")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got+"\n"), 0o600))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			require.Equal(t, strings.TrimSpace(string(want)), got)
			require.NoError(t, CheckContent(TypeOpenAPI3, got), "the discovered schema is a valid OpenApi3 document")
			root, err := compileDocument(TypeOpenAPI3, got)
			require.NoError(t, err)
			for i, e := range events {
				v, err := DecodeJSON(e)
				require.NoError(t, err)
				if m := v.(map[string]any); m["id"] != nil {
					require.NoErrorf(t, root.Validate(v), "event %d conforms to its discovered schema", i)
				}
			}
		})
	}
}

// TestDiscoveryVersions feeds an evolving stream through discovery: the
// same shape adds no version, a new field or a widened type does.
func TestDiscoveryVersions(t *testing.T) {
	t.Parallel()
	var known *shape
	var versions []string
	feed := func(detail string) {
		v, err := DecodeJSON([]byte(detail))
		require.NoError(t, err)
		known = merge(known, infer(v))
		content := renderOpenAPI("shop", "Order Placed", known)
		if len(versions) == 0 || versions[len(versions)-1] != content {
			versions = append(versions, content)
		}
	}
	feed(`{"id":"1","n":1}`)
	feed(`{"id":"2","n":5}`)
	require.Len(t, versions, 1, "same shape: no new version")
	feed(`{"id":"3","n":5,"extra":"x"}`)
	require.Len(t, versions, 2, "field added")
	feed(`{"id":"4","n":5,"extra":"y"}`)
	require.Len(t, versions, 2, "extra stays optional; same shape")
	feed(`{"id":"5","n":5.5,"extra":"y"}`)
	require.Len(t, versions, 3, "integer widened to number")
	require.Contains(t, versions[2], `"type": "number"`)
}

func TestPascal(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"EC2 Instance State-change Notification": "EC2InstanceStateChangeNotification",
		"Scheduled Event":                        "ScheduledEvent",
		"order.placed":                           "OrderPlaced",
		"":                                       "",
	} {
		require.Equal(t, want, Pascal(in), in)
	}
	require.Equal(t, "aws.ec2@EC2InstanceStateChangeNotification", DiscoveredName("aws.ec2", "EC2 Instance State-change Notification"))
}

func TestDiscoverSchemaErrors(t *testing.T) {
	t.Parallel()
	_, err := DiscoverSchema(nil, TypeOpenAPI3)
	require.True(t, IsCode(err, CodeBadRequest))
	_, err = DiscoverSchema([]string{`{"source":"a","detail-type":"b","detail":{}}`}, "Avro")
	require.True(t, IsCode(err, CodeBadRequest))
	_, err = DiscoverSchema([]string{`not json`}, TypeOpenAPI3)
	require.ErrorContains(t, err, "Event at index 0 is not valid JSON")
	_, err = DiscoverSchema([]string{`{"source":"a","detail-type":"b","detail":{}}`, `{"source":"a","detail-type":"c","detail":{}}`}, TypeOpenAPI3)
	require.ErrorContains(t, err, "share one source and detail-type")
	js, err := DiscoverSchema([]string{`{"source":"a","detail-type":"b","detail":{"x":1}}`}, TypeJSONSchema)
	require.NoError(t, err)
	require.NoError(t, CheckContent(TypeJSONSchema, js))
	require.Contains(t, js, `"#/definitions/B"`)
}
