package schema

import (
	"archive/zip"
	"bytes"
	"context"
	"sort"
	"time"
)

// Code binding languages.
const (
	LangGo         = "Go1"
	LangTypeScript = "TypeScript3"
	LangJava       = "Java8"
	LangPython     = "Python36"
)

// Code binding statuses.
const (
	BindingInProgress = "CREATE_IN_PROGRESS"
	BindingComplete   = "CREATE_COMPLETE"
	BindingFailed     = "CREATE_FAILED"
)

// binding is a code binding asked for, as stored with its schema.
type binding struct {
	Language string `json:"language"`
	Version  string `json:"version"`
	Created  int64  `json:"created"`
	Failed   bool   `json:"failed,omitempty"`
}

// BindingInfo describes a code binding.
type BindingInfo struct {
	Version      string
	Status       string
	Created      time.Time
	LastModified time.Time
}

// BindingInput names a code binding.
type BindingInput struct {
	Caller
	Registry string
	Name     string
	Language string
	Version  string // "" for the latest
}

func checkLanguage(lang string) error {
	switch lang {
	case LangGo, LangTypeScript, LangPython:
		return nil
	case LangJava:
		return badRequest("Language %s is not supported by fogbank; supported languages are %s, %s and %s.", lang, LangGo, LangTypeScript, LangPython)
	}
	return badRequest("Language %s is not one of %s, %s, %s, %s.", lang, LangJava, LangPython, LangTypeScript, LangGo)
}

// PutCodeBinding generates a binding for a schema version. Generation is
// synchronous: a new binding answers CREATE_IN_PROGRESS (as AWS's first
// answer does) and is CREATE_COMPLETE (or CREATE_FAILED) from then on.
func (s *Service) PutCodeBinding(ctx context.Context, in BindingInput) (BindingInfo, error) {
	if err := checkLanguage(in.Language); err != nil {
		return BindingInfo{}, err
	}
	s.mu.Lock()
	e, err := s.findLocked(in.Caller, in.Registry, in.Name)
	if err != nil {
		s.mu.Unlock()
		return BindingInfo{}, err
	}
	v, ok := e.find(in.Version)
	if !ok {
		s.mu.Unlock()
		return BindingInfo{}, notFound("Schema version %s does not exist for schema %s.", in.Version, in.Name)
	}
	if b, ok := findBinding(e, in.Language, v.Version); ok {
		s.mu.Unlock()
		return bindingInfo(b), nil
	}
	_, genErr := generate(v, in.Name, in.Language)
	b := binding{Language: in.Language, Version: v.Version, Created: millis(s.clock.Now()), Failed: genErr != nil}
	if genErr != nil {
		s.log.Info("schema: code binding failed", "schema", in.Name, "language", in.Language, "err", genErr)
	}
	if in.Registry == AWSRegistry {
		s.mu.Unlock()
		info := bindingInfo(b)
		info.Status = BindingInProgress
		return info, nil // AWS's schemas are rebuilt per call; their bindings need no record
	}
	rec := e.rec
	rec.Bindings = append(append([]binding(nil), rec.Bindings...), b)
	e.rec = rec
	wait := s.commit(put(RecordSchema, e.rec.key(), e.rec))
	s.mu.Unlock()
	info := bindingInfo(b)
	info.Status = BindingInProgress
	return info, wait(ctx)
}

func findBinding(e *schemaEntry, lang, ver string) (binding, bool) {
	for _, b := range e.rec.Bindings {
		if b.Language == lang && b.Version == ver {
			return b, true
		}
	}
	return binding{}, false
}

func bindingInfo(b binding) BindingInfo {
	status := BindingComplete
	if b.Failed {
		status = BindingFailed
	}
	return BindingInfo{Version: b.Version, Status: status, Created: Time(b.Created), LastModified: Time(b.Created)}
}

// bindingLocked finds a binding that was put, with its schema version.
func (s *Service) bindingLocked(in BindingInput) (binding, version, error) {
	if err := checkLanguage(in.Language); err != nil {
		return binding{}, version{}, err
	}
	e, err := s.findLocked(in.Caller, in.Registry, in.Name)
	if err != nil {
		return binding{}, version{}, err
	}
	v, ok := e.find(in.Version)
	if !ok {
		return binding{}, version{}, notFound("Schema version %s does not exist for schema %s.", in.Version, in.Name)
	}
	b, ok := findBinding(e, in.Language, v.Version)
	if !ok && in.Registry == AWSRegistry {
		b, ok = binding{Language: in.Language, Version: v.Version, Created: v.Created}, true
	}
	if !ok {
		return binding{}, version{}, notFound("Code binding for language %s does not exist for schema %s version %s.", in.Language, in.Name, v.Version)
	}
	return b, v, nil
}

// DescribeCodeBinding describes a binding that was put.
func (s *Service) DescribeCodeBinding(_ context.Context, in BindingInput) (BindingInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, _, err := s.bindingLocked(in)
	if err != nil {
		return BindingInfo{}, err
	}
	return bindingInfo(b), nil
}

// GetCodeBindingSource returns the zip of a binding that was put.
func (s *Service) GetCodeBindingSource(_ context.Context, in BindingInput) ([]byte, error) {
	s.mu.RLock()
	b, v, err := s.bindingLocked(in)
	s.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	if b.Failed {
		return nil, badRequest("Code binding for language %s of schema %s version %s failed to generate.", in.Language, in.Name, v.Version)
	}
	return generate(v, in.Name, in.Language)
}

// generate builds a binding's zip.
func generate(v version, schemaName, lang string) ([]byte, error) {
	m, err := buildModel(v.Type, v.Content)
	if err != nil {
		return nil, err
	}
	var files map[string][]byte
	switch lang {
	case LangGo:
		files, err = goBinding(m, schemaName)
	case LangPython:
		files = pyBinding(m, schemaName)
	default:
		files = tsBinding(m, schemaName)
	}
	if err != nil {
		return nil, err
	}
	return zipFiles(files)
}

// zipFiles zips files by path, in order, with a fixed time (so a binding's
// zip is the same bytes each time).
func zipFiles(files map[string][]byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedKeys(files) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: awsSchemasCreated})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(files[name]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
