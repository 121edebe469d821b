package jsonata

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
)

// Value is a JSON document decoded by ParseJSON. It keeps the key order of
// its objects; Eval accepts it as input or as a binding value.
type Value struct{ v any }

// ParseJSON decodes JSON text into a Value that keeps object key order (as
// JavaScript's JSON.parse does), so $keys, $each, $string and wildcards see
// the keys in document order.
func ParseJSON(data []byte) (Value, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	v, err := decodeValue(d, 0)
	if err != nil {
		return Value{}, err
	}
	if _, err := d.Token(); err == nil {
		return Value{}, errors.New("jsonata: trailing data after JSON value")
	}
	return Value{v: v}, nil
}

func decodeValue(d *json.Decoder, depth int) (any, error) {
	if depth > MaxDepth {
		return nil, errors.New("jsonata: JSON nested too deeply")
	}
	tok, err := d.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := newObject(4)
			for d.More() {
				kt, err := d.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := decodeValue(d, depth+1)
				if err != nil {
					return nil, err
				}
				o.set(k, v)
			}
			if _, err := d.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			a := &array{}
			for d.More() {
				v, err := decodeValue(d, depth+1)
				if err != nil {
					return nil, err
				}
				a.push(v)
			}
			if _, err := d.Token(); err != nil {
				return nil, err
			}
			return a, nil
		}
		return nil, errors.New("jsonata: unexpected delimiter")
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			return nil, err
		}
		return f, nil
	default:
		return t, nil
	}
}
