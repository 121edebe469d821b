package schema

import (
	"path"
	"strconv"
	"strings"
	"unicode"
)

// pyKeywords are Python's reserved words, which attribute names avoid.
var pyKeywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true, "async": true, "await": true,
	"break": true, "class": true, "continue": true, "def": true, "del": true, "elif": true, "else": true, "except": true,
	"finally": true, "for": true, "from": true, "global": true, "if": true, "import": true, "in": true, "is": true,
	"lambda": true, "nonlocal": true, "not": true, "or": true, "pass": true, "raise": true, "return": true, "try": true,
	"while": true, "with": true, "yield": true,
}

// pyBinding generates Python36 code bindings: a package at the same path as
// the Go binding's, one module per class (with _types, _attribute_map and
// _required) and marshaller.py (Marshaller.marshall / unmarshall).
func pyBinding(m model, schemaName string) map[string][]byte {
	dir := goDir(m, schemaName)
	files := map[string][]byte{}
	var init strings.Builder
	for i := range strings.Split(dir, "/") {
		if p := strings.Join(strings.Split(dir, "/")[:i], "/"); p != "" {
			files[p+"/__init__.py"] = nil
		}
	}
	for _, t := range m.types {
		files[dir+"/"+t.name+".py"] = []byte(pyClass(t))
		init.WriteString("from ." + t.name + " import " + t.name + "\n")
	}
	init.WriteString("from .marshaller import Marshaller\n")
	files[path.Join(dir, "__init__.py")] = []byte(init.String())
	files[dir+"/marshaller.py"] = []byte(pyMarshaller(m))
	return files
}

// pyName is a snake_case attribute name for a JSON property.
func pyName(json string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range json {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if unicode.IsUpper(r) && prevLower {
				b.WriteByte('_')
			}
			prevLower = unicode.IsLower(r) || unicode.IsDigit(r)
			b.WriteRune(unicode.ToLower(r))
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
				b.WriteByte('_')
			}
			prevLower = false
		}
	}
	out := strings.Trim(b.String(), "_")
	if out == "" || out[0] >= '0' && out[0] <= '9' {
		out = "x_" + out
	}
	if pyKeywords[out] {
		out += "_"
	}
	return out
}

func pyTypeRef(t typeRef) string {
	switch t.kind {
	case "string":
		return "str"
	case "time":
		return "datetime"
	case "integer":
		return "int"
	case "number":
		return "float"
	case "boolean":
		return "bool"
	case "array":
		return "list[" + pyTypeRef(*t.elem) + "]"
	case "object":
		return t.name
	}
	return "object"
}

func pyClass(t *objectType) string {
	var types, attrs, required, params, body strings.Builder
	taken := map[string]bool{"self": true}
	for _, f := range t.fields {
		name := pyName(f.json)
		for base, i := name, 1; taken[name]; i++ {
			name = base + "_" + strconv.Itoa(i)
		}
		taken[name] = true
		q := pyString(f.json)
		types.WriteString("        '" + name + "': '" + pyTypeRef(f.typ) + "',\n")
		attrs.WriteString("        '" + name + "': " + q + ",\n")
		if f.required {
			required.WriteString("'" + name + "', ")
		}
		params.WriteString(", " + name + "=None")
		body.WriteString("        self." + name + " = " + name + "\n")
	}
	if body.Len() == 0 {
		body.WriteString("        pass\n")
	}
	return "# " + t.name + " is generated from the schema.\n\n\nclass " + t.name + "(object):\n" +
		"    _types = {\n" + types.String() + "    }\n\n" +
		"    _attribute_map = {\n" + attrs.String() + "    }\n\n" +
		"    _required = [" + strings.TrimSuffix(required.String(), ", ") + "]\n\n" +
		"    def __init__(self" + params.String() + "):\n" + body.String()
}

// pyString is a Python string literal (Go's escapes are Python's).
func pyString(s string) string { return strconv.Quote(s) }

func pyMarshaller(m model) string {
	var imports, classes strings.Builder
	for _, t := range m.types {
		imports.WriteString("from ." + t.name + " import " + t.name + "\n")
		classes.WriteString("    '" + t.name + "': " + t.name + ",\n")
	}
	return `import datetime

` + imports.String() + `
_classes = {
` + classes.String() + `}

_primitives = ('str', 'int', 'float', 'bool', 'object')


class Marshaller(object):
    @staticmethod
    def marshall(obj):
        if obj is None or isinstance(obj, (str, int, float, bool)):
            return obj
        if isinstance(obj, datetime.datetime):
            return obj.isoformat().replace('+00:00', 'Z')
        if isinstance(obj, list):
            return [Marshaller.marshall(x) for x in obj]
        if isinstance(obj, dict):
            return dict((k, Marshaller.marshall(v)) for k, v in obj.items())
        out = {}
        for attr, key in obj._attribute_map.items():
            value = getattr(obj, attr)
            if value is not None or attr in obj._required:
                out[key] = Marshaller.marshall(value)
        return out

    @staticmethod
    def unmarshall(data, typ='` + m.root + `'):
        if data is None or typ in _primitives:
            return data
        if typ == 'datetime':
            return Marshaller._datetime(data)
        if typ.startswith('list['):
            return [Marshaller.unmarshall(x, typ[5:-1]) for x in data]
        cls = _classes[typ]
        obj = cls()
        for attr, key in cls._attribute_map.items():
            if key in data:
                setattr(obj, attr, Marshaller.unmarshall(data[key], cls._types[attr]))
        return obj

    @staticmethod
    def _datetime(text):
        value = text.replace('Z', '+0000')
        if len(value) > 5 and value[-3] == ':':
            value = value[:-3] + value[-2:]
        fmt = '%Y-%m-%dT%H:%M:%S.%f%z' if '.' in value else '%Y-%m-%dT%H:%M:%S%z'
        try:
            return datetime.datetime.strptime(value, fmt)
        except ValueError:
            return text
`
}
