package schema

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

func compileOpenAPI(t *testing.T, content string) *Schema {
	t.Helper()
	root, err := compileDocument(TypeOpenAPI3, content)
	require.NoError(t, err)
	require.NotNil(t, root)
	return root
}

func TestValidateMessages(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/infer/order.openapi.json")
	require.NoError(t, err)
	root := compileOpenAPI(t, string(raw))
	good := `{"version":"0","id":"1","detail-type":"Order Placed","source":"shop.orders","account":"1","time":"2026-01-01T00:00:00Z","region":"r","resources":[],
		"detail":{"orderId":"o","total":1,"quantity":2,"paid":true,"placedAt":"2026-01-01T00:00:00Z","customer":{"id":"c","email":"e","address":{"city":"x","zip":"y"}},
		"items":[],"tags":[],"coupon":null}}`
	v, err := DecodeJSON([]byte(good))
	require.NoError(t, err)
	require.NoError(t, root.Validate(v))
	for _, c := range []struct{ patch, want string }{
		{`"total":"cheap"`, `$.detail.total: expected number, got string`},
		{`"quantity":2.5`, `$.detail.quantity: expected integer, got number`},
		{`"placedAt":"yesterday"`, `$.detail.placedAt: "yesterday" is not a date-time (RFC 3339)`},
		{`"items":[{"sku":"A"}]`, `$.detail.items[0]: required property "price" is missing`},
		{`"customer":{"id":"c","email":"e","address":{"city":7,"zip":"y"}}`, `$.detail.customer.address.city: expected string, got integer`},
	} {
		bad := replaceField(t, good, c.patch)
		v, err := DecodeJSON([]byte(bad))
		require.NoError(t, err)
		require.EqualError(t, root.Validate(v), c.want)
	}
}

// replaceField swaps the "key":value pair whose key the patch names.
func replaceField(t *testing.T, doc, patch string) string {
	t.Helper()
	v, err := DecodeJSON([]byte(doc))
	require.NoError(t, err)
	p, err := DecodeJSON([]byte("{" + patch + "}"))
	require.NoError(t, err)
	d := v.(map[string]any)["detail"].(map[string]any)
	for k, val := range p.(map[string]any) {
		d[k] = val
	}
	return render(v)
}

func TestValidateKeywords(t *testing.T) {
	t.Parallel()
	content := `{"$schema":"http://json-schema.org/draft-04/schema#","type":"object","required":["a"],"additionalProperties":false,
		"properties":{"a":{"type":"string","minLength":2,"maxLength":3,"pattern":"^[a-z]+$"},"n":{"type":"number","minimum":0,"maximum":10,"exclusiveMaximum":true},
		"e":{"enum":["x","y"]},"l":{"type":"array","minItems":1,"maxItems":2,"items":{"$ref":"#/definitions/Item"}},
		"o":{"oneOf":[{"type":"string"},{"type":"integer"}]},"z":{"not":{"type":"null"}}},
		"definitions":{"Item":{"type":"object","properties":{"next":{"$ref":"#/definitions/Item"}}}}}`
	root, err := compileDocument(TypeJSONSchema, content)
	require.NoError(t, err)
	for doc, want := range map[string]string{
		`{"a":"ab"}`:                           "",
		`{}`:                                   `$: required property "a" is missing`,
		`{"a":"ab","q":1}`:                     `$: property "q" is not allowed`,
		`{"a":"a"}`:                            `$.a: expected at least 2 characters, got 1`,
		`{"a":"abcd"}`:                         `$.a: expected at most 3 characters, got 4`,
		`{"a":"AB"}`:                           `$.a: "AB" does not match pattern ^[a-z]+$`,
		`{"a":"ab","n":10}`:                    `$.n: 10 is greater than the maximum 10`,
		`{"a":"ab","n":-1}`:                    `$.n: -1 is less than the minimum 0`,
		`{"a":"ab","e":"z"}`:                   `$.e: "z" is not one of ["x","y"]`,
		`{"a":"ab","l":[]}`:                    `$.l: expected at least 1 items, got 0`,
		`{"a":"ab","l":[{"next":{"next":1}}]}`: `$.l[0].next.next: expected object, got integer`,
		`{"a":"ab","o":true}`:                  `$.o: matches 0 of oneOf, expected exactly 1`,
		`{"a":"ab","z":null}`:                  `$.z: must not match the schema under not`,
	} {
		v, err := DecodeJSON([]byte(doc))
		require.NoError(t, err)
		if want == "" {
			require.NoError(t, root.Validate(v), doc)
		} else {
			require.EqualError(t, root.Validate(v), want, doc)
		}
	}
}

func TestCheckContent(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ typ, content, want string }{
		{TypeOpenAPI3, `{"openapi":"3.0.0","components":{"schemas":{"A":{"type":"object"}}}}`, ""},
		{TypeJSONSchema, `{"type":"object"}`, ""},
		{"Avro", `{}`, "Type must be one of OpenApi3, JSONSchemaDraft4."},
		{TypeOpenAPI3, ``, "Content must be between 1 and 100000 characters long."},
		{TypeOpenAPI3, `{`, "Invalid OpenApi3 content: not valid JSON: unexpected EOF"},
		{TypeOpenAPI3, `[]`, "Invalid OpenApi3 content: the document must be a JSON object"},
		{TypeOpenAPI3, `{"swagger":"2.0"}`, "Invalid OpenApi3 content: openapi must be a 3.x.y version string"},
		{TypeOpenAPI3, `{"openapi":"3.0.0","components":{"schemas":{"A":{"type":"thing"}}}}`, `Invalid OpenApi3 content: #/components/schemas/A: unknown type "thing"`},
		{TypeOpenAPI3, `{"openapi":"3.0.0","components":{"schemas":{"A":{"$ref":"#/components/schemas/B"}}}}`, `Invalid OpenApi3 content: #/components/schemas/A: $ref #/components/schemas/B: "B" not found`},
		{TypeJSONSchema, `{"$schema":"http://json-schema.org/draft-07/schema#"}`, "Invalid JSONSchemaDraft4 content: $schema must be http://json-schema.org/draft-04/schema#"},
		{TypeJSONSchema, `{"properties":{"a":{"pattern":"("}}}`, "Invalid JSONSchemaDraft4 content: #/properties/a: pattern: error parsing regexp: missing closing ): `(`"},
	} {
		err := CheckContent(c.typ, c.content)
		if c.want == "" {
			require.NoError(t, err, c.content)
			continue
		}
		var se *Error
		require.ErrorAs(t, err, &se, c.content)
		require.Equal(t, CodeBadRequest, se.Code, c.content)
		require.Equal(t, c.want, se.Message, c.content)
	}
}

func TestExportJSONSchema(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/infer/order.openapi.json")
	require.NoError(t, err)
	out, err := ToJSONSchema(string(raw))
	require.NoError(t, err)
	require.NoError(t, CheckContent(TypeJSONSchema, out))
	require.Contains(t, out, `"$schema": "http://json-schema.org/draft-04/schema#"`)
	require.Contains(t, out, `"title": "AWSEvent"`)
	require.Contains(t, out, `"$ref": "#/definitions/OrderPlaced"`)
	require.NotContains(t, out, "#/components/schemas")
}

// FuzzCompile: no schema document makes the compiler or the validator
// panic or loop, whatever the event.
func FuzzCompile(f *testing.F) {
	raw, err := os.ReadFile("testdata/infer/order.openapi.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(raw), `{"detail":{"total":"x"}}`)
	f.Add(`{"openapi":"3.0.0","components":{"schemas":{"A":{"$ref":"#/components/schemas/A"}}}}`, `{}`)
	f.Add(`{"openapi":"3.0.0","components":{"schemas":{"A":{"properties":{"a":{"$ref":"#/components/schemas/A"}}}}}}`, `{"a":{"a":{"a":1}}}`)
	f.Add(`{"openapi":"3.0.0","components":{"schemas":{"AWSEvent":{"allOf":[{"$ref":"#/components/schemas/AWSEvent"}]}}}}`, `1`)
	f.Fuzz(func(t *testing.T, content, event string) {
		for _, typ := range []string{TypeOpenAPI3, TypeJSONSchema} {
			root, err := compileDocument(typ, content)
			if err != nil || root == nil {
				continue
			}
			if v, err := DecodeJSON([]byte(event)); err == nil {
				_ = root.Validate(v)
			}
			if typ == TypeOpenAPI3 {
				_, _ = ToJSONSchema(content)
			}
			if m, err := buildModel(typ, content); err == nil {
				_, _ = goBinding(m, "fuzz")
				_ = tsBinding(m, "fuzz")
				_ = pyBinding(m, "fuzz")
			}
		}
	})
}

// FuzzInfer: any events discover a schema that compiles and that the
// events conform to.
func FuzzInfer(f *testing.F) {
	f.Add(`{"a":1,"b":[1,2.5],"c":{"d":null},"e":"2026-01-01T00:00:00Z"}`, `{"a":"x"}`)
	f.Add(`{"x":[[{"y":1}],[]]}`, `{"x":[]}`)
	f.Fuzz(func(t *testing.T, d1, d2 string) {
		var events []string
		for _, d := range []string{d1, d2} {
			events = append(events, `{"version":"0","id":"1","detail-type":"T","source":"s","account":"1","time":"2026-01-01T00:00:00Z","region":"r","resources":[],"detail":`+d+`}`)
		}
		content, err := DiscoverSchema(events, TypeOpenAPI3)
		if err != nil {
			return
		}
		root, err := compileDocument(TypeOpenAPI3, content)
		if err != nil {
			t.Fatalf("discovered schema does not compile: %v\n%s", err, content)
		}
		for i, e := range events {
			v, _ := DecodeJSON([]byte(e))
			if err := root.Validate(v); err != nil {
				t.Fatalf("event %d does not conform to its discovered schema: %v\n%s", i, err, content)
			}
		}
	})
}
