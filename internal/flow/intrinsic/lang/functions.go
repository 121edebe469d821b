package lang

import (
	"bytes"
	"crypto/md5" //nolint:gosec // States.Hash offers MD5 because AWS does
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // States.Hash offers SHA-1 because AWS does
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

type function struct {
	minArgs, maxArgs int // maxArgs < 0: no limit
	impl             func(args []any, rt Runtime) (any, error)
}

// lookup returns the function called name, or nil.
func lookup(name string) *function {
	switch name {
	case "States.Format":
		return &function{1, -1, format}
	case "States.StringToJson":
		return &function{1, 1, stringToJSON}
	case "States.JsonToString":
		return &function{1, 1, jsonToString}
	case "States.Array":
		return &function{0, -1, array}
	case "States.ArrayPartition":
		return &function{2, 2, arrayPartition}
	case "States.ArrayContains":
		return &function{2, 2, arrayContains}
	case "States.ArrayRange":
		return &function{3, 3, arrayRange}
	case "States.ArrayGetItem":
		return &function{2, 2, arrayGetItem}
	case "States.ArrayLength":
		return &function{1, 1, arrayLength}
	case "States.ArrayUnique":
		return &function{1, 1, arrayUnique}
	case "States.Base64Encode":
		return &function{1, 1, base64Encode}
	case "States.Base64Decode":
		return &function{1, 1, base64Decode}
	case "States.Hash":
		return &function{2, 2, hashFn}
	case "States.JsonMerge":
		return &function{3, 3, jsonMerge}
	case "States.MathRandom":
		return &function{2, 3, mathRandom}
	case "States.MathAdd":
		return &function{2, 2, mathAdd}
	case "States.StringSplit":
		return &function{2, 2, stringSplit}
	case "States.UUID":
		return &function{0, 0, uuid}
	}
	return nil
}

// maxChars is AWS's limit on the input of States.Base64Encode/Decode and
// States.Hash, counted in (Java) characters.
const maxChars = 10000

// maxRange is AWS's limit on the length of a States.ArrayRange result.
const maxRange = 1000

func array(args []any, _ Runtime) (any, error) {
	out := make([]any, len(args))
	copy(out, args)
	return out, nil
}

func stringToJSON(args []any, _ Runtime) (any, error) {
	s, ok := args[0].(string)
	if !ok {
		return nil, errInvalid
	}
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errInvalid
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errInvalid
	}
	return normalizeNumbers(v), nil
}

// normalizeNumbers rewrites numbers the way Jackson reads and prints them:
// integer "-0" as "0", a fraction or exponent as a Java double (1e2 → 100.0).
func normalizeNumbers(v any) any {
	switch t := v.(type) {
	case json.Number:
		return json.Number(JavaNumber(t))
	case []any:
		for i := range t {
			t[i] = normalizeNumbers(t[i])
		}
	case map[string]any:
		for k := range t {
			t[k] = normalizeNumbers(t[k])
		}
	}
	return v
}

func jsonToString(args []any, _ Runtime) (any, error) {
	return JSON(args[0]), nil
}

func arrayPartition(args []any, _ Runtime) (any, error) {
	arr, ok := args[0].([]any)
	size, ok2 := intArg(args[1])
	if !ok || !ok2 || size <= 0 {
		return nil, errInvalid
	}
	out := []any{}
	for i := 0; i < len(arr); i += int(size) {
		end := min(i+int(size), len(arr))
		chunk := make([]any, end-i)
		copy(chunk, arr[i:end])
		out = append(out, chunk)
	}
	return out, nil
}

func arrayContains(args []any, _ Runtime) (any, error) {
	arr, ok := args[0].([]any)
	if !ok {
		return nil, errInvalid
	}
	for _, v := range arr {
		if Equal(v, args[1]) {
			return true, nil
		}
	}
	return false, nil
}

func arrayRange(args []any, _ Runtime) (any, error) {
	start, ok1 := intArg(args[0])
	end, ok2 := intArg(args[1])
	step, ok3 := intArg(args[2])
	if !ok1 || !ok2 || !ok3 || step == 0 {
		return nil, errInvalid
	}
	var n int64
	if step > 0 && end >= start {
		n = (end-start)/step + 1
	} else if step < 0 && end <= start {
		n = (start-end)/(-step) + 1
	}
	if n > maxRange {
		return nil, errInvalid
	}
	out := make([]any, 0, n)
	for i := int64(0); i < n; i++ {
		out = append(out, json.Number(strconv.FormatInt(start+i*step, 10)))
	}
	return out, nil
}

func arrayGetItem(args []any, _ Runtime) (any, error) {
	arr, ok := args[0].([]any)
	idx, ok2 := intArg(args[1])
	if !ok || !ok2 {
		return nil, errInvalid
	}
	if len(arr) == 0 {
		return nil, nil // AWS answers null for any index into an empty array
	}
	if idx < 0 || idx >= int64(len(arr)) {
		return nil, errInvalid
	}
	return arr[idx], nil
}

func arrayLength(args []any, _ Runtime) (any, error) {
	arr, ok := args[0].([]any)
	if !ok {
		return nil, errInvalid
	}
	return json.Number(strconv.Itoa(len(arr))), nil
}

func arrayUnique(args []any, _ Runtime) (any, error) {
	arr, ok := args[0].([]any)
	if !ok {
		return nil, errInvalid
	}
	out := []any{}
	for _, v := range arr {
		dup := false
		for _, seen := range out {
			if Equal(seen, v) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out, nil
}

func base64Encode(args []any, _ Runtime) (any, error) {
	s, ok := args[0].(string)
	if !ok || javaLen(s) > maxChars {
		return nil, errInvalid
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

func base64Decode(args []any, _ Runtime) (any, error) {
	s, ok := args[0].(string)
	if !ok || javaLen(s) > maxChars {
		return nil, errInvalid
	}
	enc := base64.StdEncoding
	if !strings.HasSuffix(s, "=") {
		enc = base64.RawStdEncoding
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, errInvalid
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), nil
}

func hashFn(args []any, _ Runtime) (any, error) {
	data, ok := args[0].(string)
	if !ok {
		data = FormatValue(args[0])
	}
	alg, ok := args[1].(string)
	if !ok || javaLen(data) > maxChars {
		return nil, errInvalid
	}
	var h hash.Hash
	switch alg {
	case "MD5":
		h = md5.New() //nolint:gosec // AWS offers MD5
	case "SHA-1":
		h = sha1.New() //nolint:gosec // AWS offers SHA-1
	case "SHA-256":
		h = sha256.New()
	case "SHA-384":
		h = sha512.New384()
	case "SHA-512":
		h = sha512.New()
	default:
		return nil, errInvalid
	}
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// jsonMerge merges two objects shallowly: keys of the second win. AWS
// supports only the shallow mode; a deep merge (third argument true) fails.
func jsonMerge(args []any, _ Runtime) (any, error) {
	a, ok1 := args[0].(map[string]any)
	b, ok2 := args[1].(map[string]any)
	deep, ok3 := args[2].(bool)
	if !ok1 || !ok2 || !ok3 || deep {
		return nil, errInvalid
	}
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out, nil
}

func mathRandom(args []any, rt Runtime) (any, error) {
	start, ok1 := intArg(args[0])
	end, ok2 := intArg(args[1])
	if !ok1 || !ok2 || !isInt32(start) || !isInt32(end) || start >= end {
		return nil, errInvalid
	}
	bound := end - start
	var n int64
	if len(args) == 3 {
		seed, ok := intArg(args[2])
		if !ok {
			return nil, errInvalid
		}
		r := newJavaRandom(seed)
		if bound > math.MaxInt32 {
			return nil, errInvalid
		}
		n = int64(r.nextInt(int32(bound)))
	} else {
		n = int64(randBits(rt) % uint64(bound))
	}
	return json.Number(strconv.FormatInt(start+n, 10)), nil
}

func mathAdd(args []any, _ Runtime) (any, error) {
	a, ok1 := roundArg(args[0])
	b, ok2 := roundArg(args[1])
	if !ok1 || !ok2 || !isInt32(a) || !isInt32(b) || !isInt32(a+b) {
		return nil, errInvalid
	}
	return json.Number(strconv.FormatInt(a+b, 10)), nil
}

// stringSplit splits like Java's StringTokenizer: every character of the
// delimiter string separates, and empty tokens are dropped.
func stringSplit(args []any, _ Runtime) (any, error) {
	s, ok1 := args[0].(string)
	delims, ok2 := args[1].(string)
	if !ok1 || !ok2 {
		return nil, errInvalid
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) })
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}

func uuid(_ []any, rt Runtime) (any, error) {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], randBits(rt))
	binary.BigEndian.PutUint64(b[8:], randBits(rt))
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:]), nil
}

func randBits(rt Runtime) uint64 {
	if rt.Rand != nil {
		return rt.Rand()
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return binary.BigEndian.Uint64(b[:])
}

// javaLen is the length of s in UTF-16 code units, as Java counts characters.
func javaLen(s string) int {
	if len(s) <= maxChars/3 { // fast path: never over the limit
		return utf8.RuneCountInString(s)
	}
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// number returns v as a float64 when it is a JSON number.
func number(v any) (float64, bool) {
	switch t := v.(type) {
	case json.Number:
		f, err := t.Float64()
		return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
	case float64:
		return t, !math.IsInf(t, 0) && !math.IsNaN(t)
	case int:
		return float64(t), true
	case int64:
		return float64(t), true
	}
	return 0, false
}

// intArg truncates a number towards zero (Java's intValue on a double).
func intArg(v any) (int64, bool) {
	f, ok := number(v)
	if !ok || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// roundArg rounds a number half up (Java's Math.round).
func roundArg(v any) (int64, bool) {
	f, ok := number(v)
	if !ok || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(math.Floor(f + 0.5)), true
}

func isInt32(n int64) bool { return n >= math.MinInt32 && n <= math.MaxInt32 }

// JSON renders v as compact JSON the way AWS prints it: no HTML escaping,
// numbers as written, object keys sorted (Go maps have no order).
func JSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "null"
	}
	return strings.TrimSuffix(buf.String(), "\n")
}
