// Package awsquery implements the AWS query protocol: form-encoded requests
// (Action=Op&Param=...) decoded into Go structs, and XML responses.
//
// # Field mapping
//
// Input structs are the same ones the JSON protocol uses. A field's query name
// is its json name unless a `query` tag overrides it:
//
//	Attributes map[string]string `json:"Attributes" query:"Attribute,Name,Value"`
//	Names      []string          `json:"AttributeNames" query:"AttributeName"`
//
// Lists and maps are flattened by default, as SQS's model declares them: a
// list is Name.1, Name.2, ...; a map is Name.N.Key and Name.N.Value (the key
// and value names come from the tag, "Name" and "Value" by default); a struct
// nests with a dot.
//
// Non-flattened (wrapped) lists and maps, as SNS declares them, name their
// member element in the tag: a list tagged `query:"Entries,member"` is
// Entries.member.1, Entries.member.2, ...; a map tagged
// `query:"Attributes,entry,key,value"` is Attributes.entry.N.key and
// Attributes.entry.N.value.
package awsquery

import (
	"encoding"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
)

// DecodeError reports a parameter whose value has the wrong type.
type DecodeError struct {
	Param string
	Value string
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("Value %s for parameter %s is invalid.", e.Value, e.Param)
}

// maxIndex bounds list and map indexes so a request cannot make us loop.
const maxIndex = 1000

// Decode fills the struct pointed to by v from form values.
func Decode(form url.Values, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("awsquery: Decode needs a pointer to a struct, got %T", v)
	}
	return decodeStruct(form, "", rv.Elem())
}

func decodeStruct(form url.Values, prefix string, v reflect.Value) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			if err := decodeStruct(form, prefix, v.Field(i)); err != nil {
				return err
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		name, opts := fieldName(f)
		if name == "-" {
			continue
		}
		if err := decodeValue(form, prefix+name, opts, v.Field(i)); err != nil {
			return err
		}
	}
	return nil
}

// fieldName returns the query name of a field and the tag's options.
func fieldName(f reflect.StructField) (string, []string) {
	if q, ok := f.Tag.Lookup("query"); ok {
		parts := strings.Split(q, ",")
		return parts[0], parts[1:]
	}
	if j, ok := f.Tag.Lookup("json"); ok {
		n, _, _ := strings.Cut(j, ",")
		if n != "" {
			return n, nil
		}
	}
	return f.Name, nil
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

func decodeValue(form url.Values, key string, opts []string, v reflect.Value) error {
	if v.Kind() == reflect.Pointer {
		if !hasPrefix(form, key) {
			return nil
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return decodeValue(form, key, opts, v.Elem())
	}
	if reflect.PointerTo(v.Type()).Implements(textUnmarshaler) {
		s, ok := lookup(form, key)
		if !ok {
			return nil
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil { //nolint:forcetypeassert // checked above
			return &DecodeError{Param: key, Value: s}
		}
		return nil
	}
	switch v.Kind() {
	case reflect.Struct:
		return decodeStruct(form, key+".", v)
	case reflect.Slice:
		if len(opts) == 1 && v.Type().Elem().Kind() != reflect.Uint8 {
			key += "." + opts[0] // wrapped list: Name.member.N
		}
		return decodeList(form, key, v)
	case reflect.Map:
		return decodeMap(form, key, opts, v)
	default:
		s, ok := lookup(form, key)
		if !ok {
			return nil
		}
		return setScalar(key, s, v)
	}
}

func decodeList(form url.Values, key string, v reflect.Value) error {
	if v.Type().Elem().Kind() == reflect.Uint8 { // []byte: base64 text
		s, ok := lookup(form, key)
		if !ok {
			return nil
		}
		return setScalar(key, s, v)
	}
	out := reflect.MakeSlice(v.Type(), 0, 0)
	for i := 1; i <= maxIndex; i++ {
		k := key + "." + strconv.Itoa(i)
		if !hasPrefix(form, k) {
			break
		}
		e := reflect.New(v.Type().Elem()).Elem()
		if err := decodeValue(form, k, nil, e); err != nil {
			return err
		}
		out = reflect.Append(out, e)
	}
	if out.Len() > 0 {
		v.Set(out)
	}
	return nil
}

func decodeMap(form url.Values, key string, opts []string, v reflect.Value) error {
	keyName, valName := "Name", "Value"
	if len(opts) == 3 { // wrapped map: Name.entry.N.key
		key += "." + opts[0]
		opts = opts[1:]
	}
	if len(opts) == 2 {
		keyName, valName = opts[0], opts[1]
	}
	m := reflect.MakeMap(v.Type())
	for i := 1; i <= maxIndex; i++ {
		k := key + "." + strconv.Itoa(i)
		name, ok := lookup(form, k+"."+keyName)
		if !ok {
			if hasPrefix(form, k) {
				continue
			}
			break
		}
		e := reflect.New(v.Type().Elem()).Elem()
		if err := decodeValue(form, k+"."+valName, nil, e); err != nil {
			return err
		}
		m.SetMapIndex(reflect.ValueOf(name).Convert(v.Type().Key()), e)
	}
	if m.Len() > 0 {
		v.Set(m)
	}
	return nil
}

func setScalar(key, s string, v reflect.Value) error {
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Int, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return &DecodeError{Param: key, Value: s}
		}
		v.SetInt(n)
	case reflect.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return &DecodeError{Param: key, Value: s}
		}
		v.SetBool(b)
	case reflect.Slice: // []byte
		v.SetBytes([]byte(s))
	default:
		return fmt.Errorf("awsquery: unsupported field kind %s for %s", v.Kind(), key)
	}
	return nil
}

func lookup(form url.Values, key string) (string, bool) {
	vs, ok := form[key]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// hasPrefix reports whether any parameter is key itself or lies below it.
func hasPrefix(form url.Values, key string) bool {
	if _, ok := form[key]; ok {
		return true
	}
	p := key + "."
	for k := range form {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}
