package jsonata

import (
	"math"
	"strings"
	"unicode"
)

type implFn = func(*evaluator, []any, *callCtx) (any, error)

func def(name, sig string, n int, impl implFn) *native {
	s, err := parseSignature(sig)
	if err != nil {
		panic("jsonata: bad built-in signature " + sig) // programming error, caught by tests
	}
	return &native{name: name, sig: s, n: n, impl: impl}
}

// builtinTable holds the JSONata 2.0.6 built-in functions; it is never
// modified after package initialisation. $eval is absent, as in AWS.
var builtinTable = map[string]any{
	"sum":                def("sum", "<a<n>:n>", 1, fnSum),
	"count":              def("count", "<a:n>", 1, fnCount),
	"max":                def("max", "<a<n>:n>", 1, fnMax),
	"min":                def("min", "<a<n>:n>", 1, fnMin),
	"average":            def("average", "<a<n>:n>", 1, fnAverage),
	"string":             def("string", "<x-b?:s>", 1, fnString),
	"substring":          def("substring", "<s-nn?:s>", 3, fnSubstring),
	"substringBefore":    def("substringBefore", "<s-s:s>", 2, fnSubstringBefore),
	"substringAfter":     def("substringAfter", "<s-s:s>", 2, fnSubstringAfter),
	"lowercase":          def("lowercase", "<s-:s>", 1, strFn(jsLower)),
	"uppercase":          def("uppercase", "<s-:s>", 1, strFn(jsUpper)),
	"length":             def("length", "<s-:n>", 1, strFn(func(s string) (any, error) { return float64(len([]rune(s))), nil })),
	"trim":               def("trim", "<s-:s>", 1, strFn(fnTrim)),
	"pad":                def("pad", "<s-ns?:s>", 3, fnPad),
	"match":              def("match", "<s-f<s:o>n?:a<o>>", 3, fnMatch),
	"contains":           def("contains", "<s-(sf):b>", 2, fnContains),
	"replace":            def("replace", "<s-(sf)(sf)n?:s>", 4, fnReplace),
	"split":              def("split", "<s-(sf)n?:a<s>>", 3, fnSplit),
	"join":               def("join", "<a<s>s?:s>", 2, fnJoin),
	"formatNumber":       def("formatNumber", "<n-so?:s>", 3, fnFormatNumber),
	"formatBase":         def("formatBase", "<n-n?:s>", 2, fnFormatBase),
	"formatInteger":      def("formatInteger", "<n-s:s>", 2, fnFormatInteger),
	"parseInteger":       def("parseInteger", "<s-s:n>", 2, fnParseInteger),
	"number":             def("number", "<(nsb)-:n>", 1, fnNumber),
	"floor":              def("floor", "<n-:n>", 1, numFn(func(x float64) (any, error) { return math.Floor(x), nil })),
	"ceil":               def("ceil", "<n-:n>", 1, numFn(func(x float64) (any, error) { return math.Ceil(x), nil })),
	"round":              def("round", "<n-n?:n>", 2, fnRound),
	"abs":                def("abs", "<n-:n>", 1, numFn(func(x float64) (any, error) { return math.Abs(x), nil })),
	"sqrt":               def("sqrt", "<n-:n>", 1, numFn(fnSqrt)),
	"power":              def("power", "<n-n:n>", 2, fnPower),
	"random":             def("random", "<:n>", 0, func(ev *evaluator, _ []any, _ *callCtx) (any, error) { return ev.rand(), nil }),
	"boolean":            def("boolean", "<x-:b>", 1, fnBoolean),
	"not":                def("not", "<x-:b>", 1, fnNot),
	"map":                def("map", "<af>", 2, fnMap),
	"zip":                def("zip", "<a+>", 0, fnZip),
	"filter":             def("filter", "<af>", 2, fnFilter),
	"single":             def("single", "<af?>", 2, fnSingle),
	"reduce":             def("reduce", "<afj?:j>", 3, fnReduce),
	"sift":               def("sift", "<o-f?:o>", 2, fnSift),
	"keys":               def("keys", "<x-:a<s>>", 1, fnKeys),
	"lookup":             def("lookup", "<x-s:x>", 2, fnLookup),
	"append":             def("append", "<xx:a>", 2, fnAppend),
	"exists":             def("exists", "<x:b>", 1, fnExists),
	"spread":             def("spread", "<x-:a<o>>", 1, fnSpread),
	"merge":              def("merge", "<a<o>:o>", 1, fnMerge),
	"reverse":            def("reverse", "<a:a>", 1, fnReverse),
	"each":               def("each", "<o-f:a>", 2, fnEach),
	"error":              def("error", "<s?:x>", 1, fnError),
	"assert":             def("assert", "<bs?:x>", 2, fnAssert),
	"type":               def("type", "<x:s>", 1, fnType),
	"sort":               def("sort", "<af?:a>", 2, fnSort),
	"shuffle":            def("shuffle", "<a:a>", 1, fnShuffle),
	"distinct":           def("distinct", "<x:x>", 1, fnDistinct),
	"base64encode":       def("base64encode", "<s-:s>", 1, strFn(fnBase64Encode)),
	"base64decode":       def("base64decode", "<s-:s>", 1, strFn(fnBase64Decode)),
	"encodeUrlComponent": def("encodeUrlComponent", "<s-:s>", 1, strFn(func(s string) (any, error) { return encodeURI(s, uriUnreserved, "encodeUrlComponent") })),
	"encodeUrl":          def("encodeUrl", "<s-:s>", 1, strFn(func(s string) (any, error) { return encodeURI(s, uriUnreserved+";,/?:@&=+$#", "encodeUrl") })),
	"decodeUrlComponent": def("decodeUrlComponent", "<s-:s>", 1, strFn(func(s string) (any, error) { return decodeURI(s, "", "decodeUrlComponent") })),
	"decodeUrl":          def("decodeUrl", "<s-:s>", 1, strFn(func(s string) (any, error) { return decodeURI(s, ";/?:@&=+$,#", "decodeUrl") })),
	"toMillis":           def("toMillis", "<s-s?:n>", 2, fnToMillis),
	"fromMillis":         def("fromMillis", "<n-s?s?:s>", 3, fnFromMillis),
	"clone":              def("clone", "<(oa)-:o>", 1, fnClone),
}

// upperSpecial are the unconditional one-to-many upper-case mappings of
// Unicode's SpecialCasing that JavaScript's toUpperCase applies.
var upperSpecial = strings.NewReplacer("ß", "SS", "ŉ", "ʼN", "ǰ", "J̌", "ΐ", "Ϊ́", "ΰ", "Ϋ́", "և", "ԵՒ",
	"ẖ", "H̱", "ẗ", "T̈", "ẘ", "W̊", "ẙ", "Y̊", "ẚ", "Aʾ", "ﬀ", "FF", "ﬁ", "FI", "ﬂ", "FL", "ﬃ", "FFI", "ﬄ", "FFL", "ﬅ", "ST", "ﬆ", "ST")

func jsUpper(s string) (any, error) {
	return strings.ToUpper(upperSpecial.Replace(s)), nil
}

// jsLower is JavaScript's toLowerCase: İ becomes i̇ and a final capital
// sigma becomes ς.
func jsLower(s string) (any, error) {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		switch {
		case r == 'İ':
			b.WriteString("i\u0307")
		case r == 'Σ' && i > 0 && unicode.IsLetter(rs[i-1]) && (i+1 == len(rs) || !unicode.IsLetter(rs[i+1])):
			b.WriteRune('ς')
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String(), nil
}

func (ev *evaluator) nowFn() *native {
	return def("now", "<s?s?:s>", 2, func(ev *evaluator, args []any, _ *callCtx) (any, error) {
		return fromMillisFormat(float64(ev.now.UnixMilli()), args[0], args[1])
	})
}

func (ev *evaluator) millisFn() *native {
	return def("millis", "<:n>", 0, func(ev *evaluator, _ []any, _ *callCtx) (any, error) {
		return float64(ev.now.UnixMilli()), nil
	})
}
