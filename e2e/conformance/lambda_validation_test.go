package conformance

import (
	"strings"
)

// nameVariant is one parametrisation of
// test_function_name_and_qualifier_validation: the FunctionName and
// Qualifier sent (CreateFunction sends "name:qualifier" as its name).
type nameVariant struct {
	id, name, qualifier string
}

func nameVariants() []nameVariant {
	a := func(n int) string { return strings.Repeat("a", n) }
	arn := "arn:aws:lambda:" + region + ":" + account + ":function:"
	badRegion := "arn:aws:lambda:invalid-region:" + account + ":function:"
	return []nameVariant{
		{"function_name_is_single_invalid", "*", ""},
		{"invalid_characters_in_function_name", "my-function!", ""},
		{"invalid_characters_in_qualifier", "my-function", "invalid!"},
		{"qualifier_too_long", "my-function", a(129)},
		{"qualifier_too_long0", "my-function", a(129)},
		{"qualifier_too_long1", "my-function", a(65)},
		{"function_name_and_qualifier_too_long", "my-function", a(65)},
		{"invalid_account_id_in_partial_arn", "invalid-account:function:my-function", ""},
		{"invalid_region_in_arn", badRegion + "my-function", ""},
		{"non_lambda_arn", "arn:aws:ec2:" + region + ":" + account + ":instance:i-1234567890abcdef0", ""},
		{"function_name_too_long", a(65), ""},
		{"function_name_too_long_and_invalid_region", badRegion + "my-function" + a(170), ""},
		{"full_arn_and_qualifier_too_long_and_invalid_region", badRegion + "my-function-" + a(170), a(129)},
		{"full_arn_with_multiple_qualifiers", arn + "my-function:1:2", ""},
		{"incomplete_arn", "arn:aws:lambda:" + region + ":" + account + ":function", ""},
		{"partial_arn_with_extra_qualifier", "function:my-function:$LATEST:extra", ""},
		{"latest_version_with_additional_qualifier", arn + "my-function:$LATEST", "1"},
		{"lowercase_latest_qualifier", arn + "my-function", "$latest"},
		{"missing_region_in_arn", "arn:aws:lambda::" + account + ":function:my-function", ""},
		{"missing_account_id_in_arn", "arn:aws:lambda:" + region + "::function:my-function", ""},
		{"misspelled_latest_in_arn", arn + "my-function:$LATES", ""},
	}
}

// notRecorded are the CreateFunction variants LocalStack did not validate
// against AWS (their snapshot entries are empty).
var notRecorded = map[string]bool{
	"qualifier_too_long1-create_function":                  true,
	"incomplete_arn-create_function":                       true,
	"function_name_and_qualifier_too_long-create_function": true,
}

func nameValidationCases() []lambdaCase {
	var cs []lambdaCase
	for _, v := range nameVariants() {
		for _, api := range []string{"get_function", "delete_function", "invoke", "create_function"} {
			id := v.id + "-" + api
			if notRecorded[id] {
				continue
			}
			cs = append(cs, oneLambda("TestLambdaFunction::test_function_name_and_qualifier_validation["+id+"]", func(e *lambdaEnv) {
				params := M{"FunctionName": v.name}
				if v.qualifier != "" {
					params["Qualifier"] = v.qualifier
				}
				var op string
				switch api {
				case "get_function":
					op = "GetFunction"
				case "delete_function":
					op = "DeleteFunction"
				case "invoke":
					op = "Invoke"
				case "create_function":
					op = "CreateFunction"
					name := v.name
					if v.qualifier != "" {
						name += ":" + v.qualifier
					}
					params = e.createParams(name, nil)
				}
				e.match(api+"_exception", validationView(e.fail(op, params)))
			}))
		}
	}
	return cs
}
