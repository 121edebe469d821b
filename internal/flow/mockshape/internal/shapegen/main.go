// Command shapegen writes shapes.json: the output shapes of the AWS
// operations whose results TestState validates mocks against, extracted
// from the botocore models (service-2.json.gz).
//
// It finds the models in -botocore, else $BOTOCORE_DATA, else through the
// python3 botocore package. When none is found it says so and leaves the
// committed file as it is, so `go generate ./...` works without Python.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// services are the botocore services whose operations are covered: those
// Step Functions integrates with as optimized integrations, the ones
// fogbank serves, and the aws-sdk services the conformance corpus names.
var services = []string{"dynamodb", "events", "kms", "lambda", "s3", "secretsmanager", "sns", "sqs", "stepfunctions"}

func main() {
	dir := flag.String("botocore", os.Getenv("BOTOCORE_DATA"), "botocore data directory (holds <service>/<version>/service-2.json.gz)")
	out := flag.String("out", "shapes.json", "file to write")
	flag.Parse()
	if err := run(*dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "shapegen:", err)
		os.Exit(1)
	}
}

func run(dir, out string) error {
	if dir == "" {
		dir = findBotocore()
	}
	if dir == "" {
		fmt.Fprintln(os.Stderr, "shapegen: botocore models not found (set BOTOCORE_DATA); "+out+" left as it is")
		return nil
	}
	doc := catalog{Botocore: botocoreVersion(dir), Services: map[string]service{}}
	for _, name := range services {
		m, err := readModel(dir, name)
		if err != nil {
			return err
		}
		if doc.Services[name], err = extract(m); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return os.WriteFile(out, render(doc), 0o644) //nolint:gosec // a generated source file, readable by all
}

// findBotocore asks the python3 botocore package where its models are.
func findBotocore() string {
	cmd := exec.Command("python3", "-c", "import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), 'data'))")
	b, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

var versionRe = regexp.MustCompile(`__version__ = ['"]([^'"]+)['"]`)

func botocoreVersion(dir string) string {
	b, err := fs.ReadFile(os.DirFS(filepath.Dir(filepath.Clean(dir))), "__init__.py")
	if m := versionRe.FindSubmatch(b); err == nil && m != nil {
		return string(m[1])
	}
	return "unknown"
}

// readModel reads the newest API version of a service's model.
func readModel(dir, name string) (*model, error) {
	fsys := os.DirFS(dir)
	versions, err := fs.Glob(fsys, name+"/*/service-2.json.gz")
	if err != nil || len(versions) == 0 {
		return nil, fmt.Errorf("no model for %s under %s", name, dir)
	}
	slices.Sort(versions)
	gz, err := fs.ReadFile(fsys, versions[len(versions)-1])
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	var m model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &m, nil
}

// model is the part of a botocore model the catalog needs.
type model struct {
	Operations map[string]struct {
		Output *struct {
			Shape string `json:"shape"`
		} `json:"output"`
	} `json:"operations"`
	Shapes map[string]rawShape `json:"shapes"`
}

type rawShape struct {
	Type        string       `json:"type"`
	Members     members      `json:"members"`
	Required    []string     `json:"required"`
	Member      *ref         `json:"member"`
	Value       *ref         `json:"value"`
	Enum        []string     `json:"enum"`
	Min         *json.Number `json:"min"`
	Max         *json.Number `json:"max"`
	Document    bool         `json:"document"`
	EventStream bool         `json:"eventstream"`
}

type ref struct {
	Shape string `json:"shape"`
}

// members keeps a structure's members in the model's order.
type members []member

type member struct{ name, shape string }

func (ms *members) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return errors.New("members: want an object")
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		var r ref
		if err := dec.Decode(&r); err != nil {
			return err
		}
		*ms = append(*ms, member{t.(string), r.Shape})
	}
	return nil
}

// catalog is shapes.json.
type catalog struct {
	Botocore string             `json:"botocore"`
	Services map[string]service `json:"services"`
}

type service struct {
	// Operations maps an operation to its output shape.
	Operations map[string]string `json:"operations"`
	Shapes     map[string]shape  `json:"shapes"`
}

// shape is a compact shape: only what the mock validation checks. Member
// names are capitalised, as Step Functions returns them.
type shape struct {
	Type     string      `json:"type"`
	Members  [][2]string `json:"members,omitempty"`
	Required []string    `json:"required,omitempty"`
	Member   string      `json:"member,omitempty"`
	Value    string      `json:"value,omitempty"`
	Enum     []string    `json:"enum,omitempty"`
	Min      json.Number `json:"min,omitempty"`
	Max      json.Number `json:"max,omitempty"`
}

// builtin are the type names a reference may use instead of a shape name:
// a scalar shape without constraints is written as its type.
var builtin = []string{"any", "blob", "boolean", "double", "float", "integer", "long", "string", "timestamp"}

func extract(m *model) (service, error) {
	svc := service{Operations: map[string]string{}, Shapes: map[string]shape{}}
	x := &extractor{m: m}
	for op, o := range m.Operations {
		if o.Output != nil {
			svc.Operations[op] = x.ref(o.Output.Shape)
		}
	}
	for len(x.queue) > 0 {
		name := x.queue[0]
		x.queue = x.queue[1:]
		if slices.Contains(builtin, name) {
			return svc, fmt.Errorf("shape %q is written by name but has a built-in type's name", name)
		}
		if _, done := svc.Shapes[name]; !done {
			svc.Shapes[name] = x.compact(m.Shapes[name])
		}
	}
	return svc, nil
}

type extractor struct {
	m     *model
	queue []string
}

// ref returns how a reference to a shape is written, queueing the shape
// when it is written by name.
func (x *extractor) ref(name string) string {
	r := x.m.Shapes[name]
	switch {
	case r.Document || r.EventStream:
		return "any"
	case r.Type == "structure", r.Type == "list", r.Type == "map":
	case r.Type == "string" && len(r.Enum) > 0:
	case r.Type == "integer", r.Type == "long", r.Type == "float", r.Type == "double":
		if r.Min == nil && r.Max == nil {
			return r.Type
		}
	default:
		return r.Type
	}
	x.queue = append(x.queue, name)
	return name
}

func (x *extractor) compact(r rawShape) shape {
	s := shape{Type: r.Type}
	switch r.Type {
	case "structure":
		for _, mb := range r.Members {
			s.Members = append(s.Members, [2]string{capitalise(mb.name), x.ref(mb.shape)})
		}
		for _, q := range r.Required {
			s.Required = append(s.Required, capitalise(q))
		}
	case "list":
		s.Member = x.ref(r.Member.Shape)
	case "map":
		s.Value = x.ref(r.Value.Shape)
	case "string":
		s.Enum = r.Enum
	case "integer", "long", "float", "double":
		if r.Min != nil {
			s.Min = *r.Min
		}
		if r.Max != nil {
			s.Max = *r.Max
		}
	}
	return s
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// render writes the catalog with one operation or shape per line, in
// sorted order, so that a model update reads as a small diff.
func render(c catalog) []byte {
	var b bytes.Buffer
	line := func(indent, key string, v any, last bool) {
		j, _ := json.Marshal(v)
		b.WriteString(indent + quote(key) + ": " + string(j))
		if !last {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("{\n")
	line("  ", "botocore", c.Botocore, false)
	b.WriteString(`  "services": {` + "\n")
	names := sortedKeys(c.Services)
	for i, name := range names {
		svc := c.Services[name]
		b.WriteString("    " + quote(name) + ": {\n")
		b.WriteString(`      "operations": {` + "\n")
		ops := sortedKeys(svc.Operations)
		for j, op := range ops {
			line("        ", op, svc.Operations[op], j == len(ops)-1)
		}
		b.WriteString("      },\n")
		b.WriteString(`      "shapes": {` + "\n")
		shapes := sortedKeys(svc.Shapes)
		for j, sh := range shapes {
			line("        ", sh, svc.Shapes[sh], j == len(shapes)-1)
		}
		b.WriteString("      }\n    }")
		if i < len(names)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("  }\n}\n")
	return b.Bytes()
}

func quote(s string) string {
	j, _ := json.Marshal(s)
	return string(j)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
