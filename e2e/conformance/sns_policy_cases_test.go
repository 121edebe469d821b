package conformance

// Generated from tests/aws/services/sns/test_sns_filter_policy.py: the
// filter policies each validation case subscribes with, and the key its
// error is matched under.
var policyErrorCases = map[string][]policyStep{
	"TestSNSFilterPolicyConditions::test_validate_policy": {
		{"error-condition-list", "{\"key\": [[\"value\"]]}"},
		{"error-condition-operator", "{\"key\": [{\"wrong-operator\": true}]}"},
		{"error-condition-two-operators", "{\"key\": [{\"suffix\": \"value\", \"prefix\": \"value2\"}]}"},
	},
	"TestSNSFilterPolicyConditions::test_validate_policy_string_operators": {
		{"error-condition-empty-array", "{\"key\": []}"},
		{"error-condition-is-numeric", "{\"key\": [{\"suffix\": 100}]}"},
		{"error-condition-is-none", "{\"key\": [{\"suffix\": null}]}"},
		{"error-condition-is-not-list-and-operator", "{\"key\": {\"suffix\": \"value\"}}"},
		{"error-condition-empty-list", "{\"key\": [{\"suffix\": []}]}"},
		{"error-condition-list-wrong-type", "{\"key\": [{\"suffix\": [\"test\", \"test2\"]}]}"},
		{"error-condition-is-not-list-two-ops", "{\"key\": {\"suffix\": \"value\", \"prefix\": \"value\"}}"},
		{"error-condition-is-not-list-and-no-operator", "{\"key\": {\"not-an-operator\": \"value\"}}"},
		{"error-condition-bad-type", "{\"key\": [{\"cidr\": [\"bad-filter\"]}]}"},
		{"error-condition-bad-cidr-str", "{\"key\": [{\"cidr\": \"bad-filter\"}]}"},
		{"error-condition-bad-cidr-str-slash", "{\"key\": [{\"cidr\": \"bad-filter/64\"}]}"},
		{"error-condition-bad-cidr-str-slash-2", "{\"key\": [{\"cidr\": \"bad-/64filter\"}]}"},
		{"error-condition-bad-cidr-v4", "{\"key\": [{\"cidr\": \"xx.11.xx/8\"}]}"},
		{"error-condition-bad-cidr-v6", "{\"key\": [{\"cidr\": \"xxxx:db8:1234:1a00::/64\"}]}"},
	},
	"TestSNSFilterPolicyConditions::test_validate_policy_numeric_operator": {
		{"error-numeric-empty", "{\"key\": [{\"numeric\": []}]}"},
		{"error-numeric-wrong-operator", "{\"key\": [{\"numeric\": [\"operator\"]}]}"},
		{"error-numeric-operator-order", "{\"key\": [{\"numeric\": [1, \"<=\"]}]}"},
		{"error-numeric-type", "{\"key\": [{\"numeric\": [\"=\", \"000\"]}]}"},
		{"error-numeric-missing-value", "{\"key\": [{\"numeric\": [\">=\"]}]}"},
		{"error-numeric-wrong-range-order", "{\"key\": [{\"numeric\": [\"<\", 100, \">\", 10]}]}"},
		{"error-numeric-wrong-range-operators", "{\"key\": [{\"numeric\": [\">=\", 1, \">\", 2]}]}"},
		{"error-numeric-wrong-value-order", "{\"key\": [{\"numeric\": [\">\", 3, \"<\", 1]}]}"},
		{"error-numeric-missing-range-value", "{\"key\": [{\"numeric\": [\">\", 20, \"<=\"]}]}"},
		{"error-numeric-missing-range-operator", "{\"key\": [{\"numeric\": [\">\", 20, 30]}]}"},
		{"error-numeric-wrong-second-range-operator", "{\"key\": [{\"numeric\": [\">\", 20, \"test\"]}]}"},
		{"error-numeric-wrong-range-value-1-type", "{\"key\": [{\"numeric\": [\">\", \"20\", \"<\", \"30\"]}]}"},
		{"error-numeric-wrong-range-value-2-type", "{\"key\": [{\"numeric\": [\">\", 20, \"<\", \"30\"]}]}"},
		{"error-numeric-too-many-range", "{\"key\": [{\"numeric\": [\">\", 20, \"<\", 30, \"<\", 50]}]}"},
	},
	"TestSNSFilterPolicyConditions::test_validate_policy_exists_operator": {
		{"error-condition-none", "{\"key\": [{\"exists\": null}]}"},
		{"error-condition-string", "{\"key\": [{\"exists\": \"no\"}]}"},
	},
	"TestSNSFilterPolicyConditions::test_validate_policy_nested_anything_but_operator": {
		{"error-condition-wrong-operator", "{\"key\": [{\"anything-but\": {\"wrong-operator\": null}}]}"},
		{"error-condition-anything-but-suffix", "{\"key\": [{\"anything-but\": {\"suffix\": \"test\"}}]}"},
		{"error-condition-anything-but-exists", "{\"key\": [{\"anything-but\": {\"exists\": false}}]}"},
		{"error-condition-anything-but-prefix-wrong-type", "{\"key\": [{\"anything-but\": {\"prefix\": false}}]}"},
	},
	"TestSNSFilterPolicyConditions::test_policy_complexity": {
		{"error-complexity-in-one-condition", "{\"key\": [\"value0\", \"value1\", \"value2\", \"value3\", \"value4\", \"value5\", \"value6\", \"value7\", \"value8\", \"value9\", \"value10\", \"value11\", \"value12\", \"value13\", \"value14\", \"value15\", \"value16\", \"value17\", \"value18\", \"value19\", \"value20\", \"value21\", \"value22\", \"value23\", \"value24\", \"value25\", \"value26\", \"value27\", \"value28\", \"value29\", \"value30\", \"value31\", \"value32\", \"value33\", \"value34\", \"value35\", \"value36\", \"value37\", \"value38\", \"value39\", \"value40\", \"value41\", \"value42\", \"value43\", \"value44\", \"value45\", \"value46\", \"value47\", \"value48\", \"value49\", \"value50\", \"value51\", \"value52\", \"value53\", \"value54\", \"value55\", \"value56\", \"value57\", \"value58\", \"value59\", \"value60\", \"value61\", \"value62\", \"value63\", \"value64\", \"value65\", \"value66\", \"value67\", \"value68\", \"value69\", \"value70\", \"value71\", \"value72\", \"value73\", \"value74\", \"value75\", \"value76\", \"value77\", \"value78\", \"value79\", \"value80\", \"value81\", \"value82\", \"value83\", \"value84\", \"value85\", \"value86\", \"value87\", \"value88\", \"value89\", \"value90\", \"value91\", \"value92\", \"value93\", \"value94\", \"value95\", \"value96\", \"value97\", \"value98\", \"value99\", \"value100\", \"value101\", \"value102\", \"value103\", \"value104\", \"value105\", \"value106\", \"value107\", \"value108\", \"value109\", \"value110\", \"value111\", \"value112\", \"value113\", \"value114\", \"value115\", \"value116\", \"value117\", \"value118\", \"value119\", \"value120\", \"value121\", \"value122\", \"value123\", \"value124\", \"value125\", \"value126\", \"value127\", \"value128\", \"value129\", \"value130\", \"value131\", \"value132\", \"value133\", \"value134\", \"value135\", \"value136\", \"value137\", \"value138\", \"value139\", \"value140\", \"value141\", \"value142\", \"value143\", \"value144\", \"value145\", \"value146\", \"value147\", \"value148\", \"value149\", \"value150\"]}"},
		{"error-complexity-in-two-conditions", "{\"key1\": [\"value0\", \"value1\", \"value2\", \"value3\", \"value4\", \"value5\", \"value6\", \"value7\", \"value8\", \"value9\", \"value10\", \"value11\", \"value12\", \"value13\", \"value14\", \"value15\", \"value16\", \"value17\", \"value18\", \"value19\", \"value20\", \"value21\", \"value22\", \"value23\", \"value24\", \"value25\", \"value26\", \"value27\", \"value28\", \"value29\", \"value30\", \"value31\", \"value32\", \"value33\", \"value34\", \"value35\", \"value36\", \"value37\", \"value38\", \"value39\", \"value40\", \"value41\", \"value42\", \"value43\", \"value44\", \"value45\", \"value46\", \"value47\", \"value48\", \"value49\", \"value50\", \"value51\", \"value52\", \"value53\", \"value54\", \"value55\", \"value56\", \"value57\", \"value58\", \"value59\", \"value60\", \"value61\", \"value62\", \"value63\", \"value64\", \"value65\", \"value66\", \"value67\", \"value68\", \"value69\", \"value70\", \"value71\", \"value72\", \"value73\", \"value74\", \"value75\", \"value76\", \"value77\", \"value78\", \"value79\", \"value80\", \"value81\", \"value82\", \"value83\", \"value84\", \"value85\", \"value86\", \"value87\", \"value88\", \"value89\", \"value90\", \"value91\", \"value92\", \"value93\", \"value94\", \"value95\", \"value96\", \"value97\", \"value98\", \"value99\"], \"key2\": [\"value0\", \"value1\", \"value2\", \"value3\", \"value4\", \"value5\", \"value6\", \"value7\", \"value8\", \"value9\", \"value10\", \"value11\", \"value12\", \"value13\", \"value14\", \"value15\", \"value16\", \"value17\", \"value18\", \"value19\", \"value20\", \"value21\", \"value22\", \"value23\", \"value24\", \"value25\", \"value26\", \"value27\", \"value28\", \"value29\", \"value30\", \"value31\", \"value32\", \"value33\", \"value34\", \"value35\", \"value36\", \"value37\", \"value38\", \"value39\", \"value40\", \"value41\", \"value42\", \"value43\", \"value44\", \"value45\", \"value46\", \"value47\", \"value48\", \"value49\", \"value50\"]}"},
		{"error-complexity-too-many-fields", "{\"key1\": [\"value1\"], \"key2\": [\"value2\"], \"key3\": [\"value3\"], \"key4\": [\"value4\"], \"key5\": [\"value5\"], \"key6\": [\"value6\"]}"},
	},
}
