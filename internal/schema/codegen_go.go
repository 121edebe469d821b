package schema

import (
	"bytes"
	"go/format"
	"path"
	"strconv"
	"strings"
	"unicode"
)

// goBinding generates Go1 code bindings: a package under
// schema/<source, by dot>/<detail type, lower case> with one file per type
// and marshaller.go (Marshal, UnmarshalEvent), as AWS's Go bindings lay
// them out.
func goBinding(m model, schemaName string) (map[string][]byte, error) {
	dir := goDir(m, schemaName)
	pkg := path.Base(dir)
	files := map[string][]byte{}
	for _, t := range m.types {
		src, err := goType(pkg, t)
		if err != nil {
			return nil, err
		}
		files[dir+"/"+strings.ToLower(t.name)+".go"] = src
	}
	marsh := "package " + pkg + `

import "encoding/json"

// Marshal encodes an event as JSON.
func Marshal(input ` + m.root + `) ([]byte, error) {
	return json.Marshal(input)
}

// UnmarshalEvent decodes an event from JSON.
func UnmarshalEvent(inputStream []byte) (` + m.root + `, error) {
	var e ` + m.root + `
	err := json.Unmarshal(inputStream, &e)
	return e, err
}
`
	src, err := format.Source([]byte(marsh))
	if err != nil {
		return nil, err
	}
	files[dir+"/marshaller.go"] = src
	return files, nil
}

// goDir is the binding's package directory.
func goDir(m model, schemaName string) string {
	parts := []string{"schema"}
	if m.source != "" && m.detailType != "" {
		for _, p := range strings.Split(m.source, ".") {
			parts = append(parts, goPackage(p))
		}
		return path.Join(append(parts, goPackage(m.detailType))...)
	}
	return path.Join(append(parts, goPackage(schemaName))...)
}

// goPackage is a package name made of the lower-case letters and digits of s.
func goPackage(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	out := b.String()
	if out == "" || out[0] >= '0' && out[0] <= '9' {
		out = "p" + out
	}
	return out
}

func goType(pkg string, t *objectType) ([]byte, error) {
	var b bytes.Buffer
	usesTime := false
	b.WriteString("type " + t.name + " struct {\n")
	names := map[string]bool{}
	for _, f := range t.fields {
		if strings.ContainsAny(f.json, "\"`,\\") || strings.ContainsFunc(f.json, unicode.IsControl) {
			continue // not expressible in a struct tag
		}
		name := Pascal(f.json)
		if name == "" || name[0] >= '0' && name[0] <= '9' {
			name = "X" + name
		}
		for base, i := name, 1; names[name]; i++ {
			name = base + strconv.Itoa(i)
		}
		names[name] = true
		typ := goTypeRef(f.typ)
		if f.typ.kind == "object" && f.typ.name == t.name {
			typ = "*" + typ // a type containing itself
		}
		usesTime = usesTime || strings.Contains(typ, "time.Time")
		tag := f.json
		if !f.required {
			if f.typ.kind != "array" && f.typ.kind != "any" && !strings.HasPrefix(typ, "*") {
				typ = "*" + typ
			}
			tag += ",omitempty"
		}
		b.WriteString("\t" + name + " " + typ + " `json:\"" + tag + "\"`\n")
	}
	b.WriteString("}\n")
	head := "package " + pkg + "\n\n"
	if usesTime {
		head += "import \"time\"\n\n"
	}
	head += "// " + t.name + " is generated from the schema.\n"
	return format.Source(append([]byte(head), b.Bytes()...))
}

func goTypeRef(t typeRef) string {
	switch t.kind {
	case "string":
		return "string"
	case "time":
		return "time.Time"
	case "integer":
		return "int64"
	case "number":
		return "float64"
	case "boolean":
		return "bool"
	case "array":
		return "[]" + goTypeRef(*t.elem)
	case "object":
		return t.name
	}
	return "interface{}"
}
