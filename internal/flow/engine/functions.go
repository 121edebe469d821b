package engine

import (
	"crypto/md5"  //nolint:gosec // $hash offers MD5 as AWS does
	"crypto/sha1" //nolint:gosec // $hash offers SHA-1 as AWS does
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash"
	"math"
	"strings"

	"github.com/fogbank/fogbank/internal/flow/jsonata"
)

// functions returns the Step Functions additions to JSONata.
func (e *Execution) functions() map[string]any {
	return map[string]any{
		"partition": jsonata.Function(fnPartition),
		"range":     jsonata.Function(fnRange),
		"hash":      jsonata.Function(fnHash),
		"random":    jsonata.Function(e.fnRandom),
		"uuid":      jsonata.Function(func([]any) (any, error) { return e.cfg.NewID(), nil }),
		"parse":     jsonata.Function(fnParse),
	}
}

func fnPartition(args []any) (any, error) {
	if len(args) != 2 {
		return nil, errors.New("$partition takes an array and a size")
	}
	list, ok := args[0].([]any)
	n, ok2 := number(args[1])
	if !ok || !ok2 || n < 1 {
		return nil, errors.New("$partition: invalid arguments")
	}
	size := int(n)
	out := []any{}
	for i := 0; i < len(list); i += size {
		out = append(out, append([]any{}, list[i:min(i+size, len(list))]...))
	}
	return out, nil
}

func fnRange(args []any) (any, error) {
	if len(args) != 3 {
		return nil, errors.New("$range takes start, end and step")
	}
	a, ok1 := number(args[0])
	b, ok2 := number(args[1])
	s, ok3 := number(args[2])
	if !ok1 || !ok2 || !ok3 || s == 0 {
		return nil, errors.New("$range: invalid arguments")
	}
	out := []any{}
	for x := a; (s > 0 && x <= b) || (s < 0 && x >= b); x += s {
		out = append(out, json.Number(jsonata.FormatNumber(x)))
		if len(out) > 1000 {
			return nil, errors.New("$range: too many elements")
		}
	}
	if len(out) == 1 {
		// A one-element JSONata sequence is its element.
		return out[0], nil
	}
	return out, nil
}

func fnHash(args []any) (any, error) {
	if len(args) != 2 {
		return nil, errors.New("$hash takes a string and an algorithm")
	}
	s, ok1 := args[0].(string)
	alg, ok2 := args[1].(string)
	if !ok1 || !ok2 {
		return nil, errors.New("$hash: invalid arguments")
	}
	var h hash.Hash
	switch alg {
	case "MD5":
		h = md5.New() //nolint:gosec // requested algorithm
	case "SHA-1":
		h = sha1.New() //nolint:gosec // requested algorithm
	case "SHA-256":
		h = sha256.New()
	case "SHA-384":
		h = sha512.New384()
	case "SHA-512":
		h = sha512.New()
	default:
		return nil, errors.New("$hash: unsupported algorithm " + alg)
	}
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil)), nil
}

func (e *Execution) fnRandom(args []any) (any, error) {
	var bits uint64
	if len(args) == 1 {
		seed, ok := number(args[0])
		if !ok {
			return nil, errors.New("$random: seed must be a number")
		}
		x := math.Float64bits(seed) + 0x9e3779b97f4a7c15
		x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
		x = (x ^ (x >> 27)) * 0x94d049bb133111eb
		bits = x ^ (x >> 31)
	} else if e.cfg.Rand != nil {
		bits = e.cfg.Rand()
	}
	f := float64(bits>>11) / (1 << 53)
	return json.Number(jsonata.FormatNumber(f)), nil
}

func fnParse(args []any) (any, error) {
	if len(args) != 1 {
		return nil, errors.New("$parse takes one string")
	}
	s, ok := args[0].(string)
	if !ok {
		return nil, errors.New("$parse: argument must be a string")
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}
