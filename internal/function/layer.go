package function

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/store"
)

// Store record kinds of layers: a layer name's version counter (versions
// are never renumbered, even after deletes) and each layer version.
const (
	RecordLayer        = "lambda-layer"
	RecordLayerVersion = "lambda-layer-version"
	// MaxLayers is how many layers a function may reference.
	MaxLayers = 5
)

// LayerVersion is one published layer version.
type LayerVersion struct {
	Account     string `json:"account"`
	Region      string `json:"region"`
	Name        string `json:"name"`
	Version     int64  `json:"version"`
	Description string `json:"description,omitempty"`
	LicenseInfo string `json:"licenseInfo,omitempty"`
	// CompatibleRuntimes and CompatibleArchitectures are nil when not
	// given (AWS then omits them) and empty when given empty.
	CompatibleRuntimes      []string         `json:"compatibleRuntimes"`
	CompatibleArchitectures []string         `json:"compatibleArchitectures"`
	CodeKey                 string           `json:"codeKey"`
	CodeSha256              string           `json:"codeSha256"`
	CodeSize                int64            `json:"codeSize"`
	CreatedDate             time.Time        `json:"createdDate"`
	Policy                  []LayerStatement `json:"policy,omitempty"`
	PolicyRevision          string           `json:"policyRevision,omitempty"`
}

// LayerStatement is one statement of a layer version's resource policy.
type LayerStatement struct {
	Sid            string `json:"sid"`
	Action         string `json:"action"`
	Principal      string `json:"principal"`
	OrganizationID string `json:"organizationId,omitempty"`
}

// LayerArn is the layer's ARN, without a version.
func (l *LayerVersion) LayerArn() string { return layerARN(l.Region, l.Account, l.Name) }

// Arn is the layer version's ARN.
func (l *LayerVersion) Arn() string { return l.LayerArn() + ":" + itoa(l.Version) }

func layerARN(region, account, name string) string {
	return arn.ARN{Partition: arn.Partition(region), Service: "lambda", Region: region, Account: account, Resource: "layer:" + name}.String()
}

type layerKey struct{ account, region, name string }

// layer is a layer name's versions and the last number handed out.
type layer struct {
	last     int64
	versions map[int64]*LayerVersion
}

// layerRegistry holds every layer. Its mu is taken after Service.mu when
// both are held.
type layerRegistry struct {
	mu     sync.Mutex
	byName map[layerKey]*layer
}

var (
	layerNameRE = regexp.MustCompile(`^((arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+)$`)
	layerArnRE  = regexp.MustCompile(`^((arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+))$`)
)

const (
	layerNamePattern = `(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+`
	layerArnPattern  = `(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)`
)

// layerRuntimes are the runtimes PublishLayerVersion accepts, in the order
// AWS lists them in its error message.
var layerRuntimes = []string{
	"nodejs20.x", "python3.14", "provided.al2023", "python3.12", "python3.13", "nodejs24.x", "nodejs22.x", "java25",
	"python3.10", "python3.11", "java21", "ruby3.3", "ruby3.4", "ruby3.2", "python3.8", "python3.9", "java17",
	"nodejs16.x", "dotnet10", "dotnet8", "java11", "dotnet6", "nodejs18.x", "provided.al2", "java8.al2",
}

// layerRuntime reports whether a layer can name a runtime as compatible:
// AWS accepts deprecated runtimes too, though its message lists only
// layerRuntimes.
func layerRuntime(r string) bool {
	return slices.Contains(layerRuntimes, r) || slices.Contains(deprecated, r)
}

// layerFilterRuntimes are the values ListLayers' CompatibleRuntime accepts.
var layerFilterRuntimes = []string{
	"ruby3.5", "ruby2.6", "dotnetcore1.0", "python3.7", "nodejs8.10", "nasa", "ruby2.7", "python2.7-greengrass",
	"dotnetcore2.0", "python3.8", "java21", "dotnet6", "dotnetcore2.1", "python3.9", "java11", "nodejs6.10",
	"provided", "dotnetcore3.1", "dotnet8", "java25", "java17", "nodejs", "nodejs4.3", "java8.al2", "go1.x",
	"dotnet10", "nodejs20.x", "go1.9", "byol", "nodejs10.x", "provided.al2023", "nodejs22.x", "python3.10",
	"java8", "nodejs12.x", "python3.11", "nodejs24.x", "nodejs8.x", "python3.12", "nodejs14.x", "nodejs8.9",
	"nodejs26.x", "python3.13", "python3.14", "nodejs16.x", "python3.15", "provided.al2", "nodejs4.3-edge",
	"nodejs18.x", "ruby3.2", "python3.4", "ruby3.3", "ruby3.4", "ruby2.5", "python3.6", "python2.7",
}

// PublishLayerInput is PublishLayerVersion's input.
type PublishLayerInput struct {
	Name                    string
	Description             string
	LicenseInfo             string
	CompatibleRuntimes      []string
	CompatibleArchitectures []string
	ZipFile                 []byte
	HasS3Code               bool
}

// layerName resolves a LayerName (a name or a layer ARN) for the caller.
func layerName(c Caller, s string) (string, error) {
	if s == "" || len(s) > 140 || !layerNameRE.MatchString(s) {
		return "", constraint(s, "layerName", "Member must satisfy regular expression pattern: "+layerNamePattern)
	}
	if a, err := arn.Parse(s); err == nil {
		if a.Account != c.Account || a.Region != c.Region {
			return "", errorf(CodeResourceNotFound, "The resource you requested does not exist.")
		}
		return strings.TrimPrefix(a.Resource, "layer:"), nil
	}
	return s, nil
}

func validatePublishLayer(in *PublishLayerInput) error {
	var errs []string
	if len(in.CompatibleRuntimes) > 15 {
		errs = append(errs, fmt.Sprintf("Value '[%s]' at 'compatibleRuntimes' failed to satisfy constraint: Member must have length less than or equal to 15", strings.Join(in.CompatibleRuntimes, ", ")))
	} else if slices.ContainsFunc(in.CompatibleRuntimes, func(r string) bool { return !layerRuntime(r) }) {
		errs = append(errs, fmt.Sprintf("Value '[%s]' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy enum value set: [%s]", strings.Join(in.CompatibleRuntimes, ", "), strings.Join(layerRuntimes, ", ")))
	}
	if slices.ContainsFunc(in.CompatibleArchitectures, func(a string) bool { return a != "x86_64" && a != "arm64" }) {
		errs = append(errs, fmt.Sprintf("Value '[%s]' at 'compatibleArchitectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]", strings.Join(in.CompatibleArchitectures, ", ")))
	} else if len(in.CompatibleArchitectures) > 2 {
		errs = append(errs, fmt.Sprintf("Value '[%s]' at 'compatibleArchitectures' failed to satisfy constraint: Member must have length less than or equal to 2", strings.Join(in.CompatibleArchitectures, ", ")))
	}
	if len(in.Description) > 256 {
		errs = append(errs, fmt.Sprintf("Value '%s' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256", in.Description))
	}
	if len(in.LicenseInfo) > 512 {
		errs = append(errs, fmt.Sprintf("Value '%s' at 'licenseInfo' failed to satisfy constraint: Member must have length less than or equal to 512", in.LicenseInfo))
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errorf(CodeValidation, "1 validation error detected: %s", errs[0])
	}
	return errorf(CodeValidation, "%d validation errors detected: %s", len(errs), strings.Join(errs, "; "))
}

// PublishLayerVersion stores a zip as the next version of a layer. It
// answers once the zip and the version are durable.
func (s *Service) PublishLayerVersion(ctx context.Context, c Caller, in PublishLayerInput) (LayerVersion, error) {
	name, err := layerName(c, in.Name)
	if err != nil {
		return LayerVersion{}, err
	}
	if err := validatePublishLayer(&in); err != nil {
		return LayerVersion{}, err
	}
	if in.HasS3Code {
		return LayerVersion{}, invalidParameter("fogbank accepts layer content as ZipFile only; S3Bucket/S3Key are not supported yet.")
	}
	if len(in.ZipFile) == 0 {
		return LayerVersion{}, invalidParameter("Please provide a source for the layer content.")
	}
	info, err := inspect(in.ZipFile)
	if err != nil {
		return LayerVersion{}, err
	}
	if err := s.code.save(info, in.ZipFile); err != nil {
		return LayerVersion{}, err
	}
	reg := &s.host.layers
	reg.mu.Lock()
	defer reg.mu.Unlock()
	k := layerKey{c.Account, c.Region, name}
	l := reg.byName[k]
	if l == nil {
		l = &layer{versions: map[int64]*LayerVersion{}}
	}
	v := LayerVersion{
		Account: c.Account, Region: c.Region, Name: name, Version: l.last + 1,
		Description: in.Description, LicenseInfo: in.LicenseInfo,
		CompatibleRuntimes: in.CompatibleRuntimes, CompatibleArchitectures: in.CompatibleArchitectures,
		CodeKey: info.key, CodeSha256: info.sha256, CodeSize: info.size, CreatedDate: s.clock.Now().UTC(),
	}
	if err := s.store.Apply(ctx, layerCounterRecord(k, v.Version), layerVersionRecord(&v)); err != nil {
		return LayerVersion{}, err
	}
	l.last = v.Version
	l.versions[v.Version] = &v
	reg.byName[k] = l
	return v, nil
}

func layerCounterRecord(k layerKey, last int64) store.Change {
	return store.PutRecord{Record: store.Record{Kind: RecordLayer, Key: k.account + "/" + k.region + "/" + k.name, Data: []byte(itoa(last))}}
}

func layerVersionKey(v *LayerVersion) string {
	return v.Account + "/" + v.Region + "/" + v.Name + "/" + itoa(v.Version)
}

func layerVersionRecord(v *LayerVersion) store.Change {
	b, _ := json.Marshal(v)
	return store.PutRecord{Record: store.Record{Kind: RecordLayerVersion, Key: layerVersionKey(v), Data: b}}
}

// loadLayers loads every layer version and counter.
func (s *Service) loadLayers(ctx context.Context) error {
	reg := &s.host.layers
	reg.mu.Lock()
	defer reg.mu.Unlock()
	counters, err := s.store.LoadRecords(ctx, RecordLayer)
	if err != nil {
		return fmt.Errorf("function: load layers: %w", err)
	}
	for _, r := range counters {
		parts := strings.SplitN(r.Key, "/", 3)
		last, err := strconv.ParseInt(string(r.Data), 10, 64)
		if len(parts) != 3 || err != nil {
			return fmt.Errorf("function: layer record %s is malformed", r.Key)
		}
		reg.byName[layerKey{parts[0], parts[1], parts[2]}] = &layer{last: last, versions: map[int64]*LayerVersion{}}
	}
	versions, err := s.store.LoadRecords(ctx, RecordLayerVersion)
	if err != nil {
		return fmt.Errorf("function: load layer versions: %w", err)
	}
	for _, r := range versions {
		var v LayerVersion
		if err := json.Unmarshal(r.Data, &v); err != nil {
			return fmt.Errorf("function: layer version %s: %w", r.Key, err)
		}
		k := layerKey{v.Account, v.Region, v.Name}
		l := reg.byName[k]
		if l == nil {
			l = &layer{versions: map[int64]*LayerVersion{}}
			reg.byName[k] = l
		}
		l.last = max(l.last, v.Version)
		l.versions[v.Version] = &v
	}
	return nil
}

func errLayerNotFound() error {
	return errorf(CodeResourceNotFound, "The resource you requested does not exist.")
}

func checkLayerVersion(n int64) error {
	if n < 1 {
		return invalidParameter("Layer Version Cannot be less than 1")
	}
	return nil
}

// GetLayerVersion returns one layer version.
func (s *Service) GetLayerVersion(_ context.Context, c Caller, name string, n int64) (LayerVersion, error) {
	name, err := layerName(c, name)
	if err != nil {
		return LayerVersion{}, err
	}
	if err := checkLayerVersion(n); err != nil {
		return LayerVersion{}, err
	}
	reg := &s.host.layers
	reg.mu.Lock()
	defer reg.mu.Unlock()
	v := reg.get(layerKey{c.Account, c.Region, name}, n)
	if v == nil {
		return LayerVersion{}, errLayerNotFound()
	}
	return *v, nil
}

// get returns a version, or nil. Callers hold reg.mu.
func (reg *layerRegistry) get(k layerKey, n int64) *LayerVersion {
	if l := reg.byName[k]; l != nil {
		return l.versions[n]
	}
	return nil
}

// GetLayerVersionByArn returns the layer version an ARN names.
func (s *Service) GetLayerVersionByArn(ctx context.Context, c Caller, a string) (LayerVersion, error) {
	if len(a) > 140 || !layerArnRE.MatchString(a) {
		return LayerVersion{}, constraint(a, "arn", "Member must satisfy regular expression pattern: "+layerArnPattern)
	}
	k, n, ok := parseLayerVersionArn(a)
	if !ok || k.account != c.Account || k.region != c.Region {
		return LayerVersion{}, errLayerNotFound()
	}
	return s.GetLayerVersion(ctx, c, k.name, n)
}

// parseLayerVersionArn splits arn:…:layer:<name>:<version>.
func parseLayerVersionArn(s string) (layerKey, int64, bool) {
	a, err := arn.Parse(s)
	if err != nil {
		return layerKey{}, 0, false
	}
	rest, ok := strings.CutPrefix(a.Resource, "layer:")
	name, num, ok2 := strings.Cut(rest, ":")
	n, err := strconv.ParseInt(num, 10, 64)
	if !ok || !ok2 || err != nil {
		return layerKey{}, 0, false
	}
	return layerKey{a.Account, a.Region, name}, n, true
}

// LayerListing is one entry of ListLayers: a layer and its newest version
// that matches the filters.
type LayerListing struct {
	Name   string
	Arn    string
	Latest LayerVersion
}

// ListLayersInput filters and pages ListLayers and ListLayerVersions.
type ListLayersInput struct {
	Name                   string // ListLayerVersions only
	CompatibleRuntime      string
	CompatibleArchitecture string
	Marker                 string
	MaxItems               int
}

func validateLayerFilters(in *ListLayersInput) error {
	if in.CompatibleRuntime != "" && !slices.Contains(layerFilterRuntimes, in.CompatibleRuntime) {
		return constraint(in.CompatibleRuntime, "compatibleRuntime", "Member must satisfy enum value set: ["+strings.Join(layerFilterRuntimes, ", ")+"]")
	}
	if in.CompatibleArchitecture != "" && in.CompatibleArchitecture != "x86_64" && in.CompatibleArchitecture != "arm64" {
		return constraint(in.CompatibleArchitecture, "compatibleArchitecture", "Member must satisfy enum value set: [x86_64, arm64]")
	}
	if in.MaxItems < 0 || in.MaxItems > 50 {
		return constraint(in.MaxItems, "maxItems", "Member must have value less than or equal to 50")
	}
	return nil
}

func (in *ListLayersInput) matches(v *LayerVersion) bool {
	return (in.CompatibleRuntime == "" || slices.Contains(v.CompatibleRuntimes, in.CompatibleRuntime)) &&
		(in.CompatibleArchitecture == "" || slices.Contains(v.CompatibleArchitectures, in.CompatibleArchitecture))
}

// ListLayers lists the caller's layers by name with their newest matching
// version; the marker is the last name of the previous page.
func (s *Service) ListLayers(_ context.Context, c Caller, in ListLayersInput) ([]LayerListing, string, error) {
	if err := validateLayerFilters(&in); err != nil {
		return nil, "", err
	}
	reg := &s.host.layers
	reg.mu.Lock()
	var out []LayerListing
	for k, l := range reg.byName {
		if k.account != c.Account || k.region != c.Region || k.name <= in.Marker {
			continue
		}
		var best *LayerVersion
		for _, v := range l.versions {
			if in.matches(v) && (best == nil || v.Version > best.Version) {
				best = v
			}
		}
		if best != nil {
			out = append(out, LayerListing{Name: k.name, Arn: best.LayerArn(), Latest: *best})
		}
	}
	reg.mu.Unlock()
	slices.SortFunc(out, func(a, b LayerListing) int { return cmp.Compare(a.Name, b.Name) })
	limit := cmp.Or(in.MaxItems, 50)
	if len(out) > limit {
		return out[:limit], out[limit-1].Name, nil
	}
	return out, "", nil
}

// ListLayerVersions lists a layer's matching versions, newest first; the
// marker is the last version number of the previous page.
func (s *Service) ListLayerVersions(_ context.Context, c Caller, in ListLayersInput) ([]LayerVersion, string, error) {
	name, err := layerName(c, in.Name)
	if err != nil {
		return nil, "", err
	}
	if err := validateLayerFilters(&in); err != nil {
		return nil, "", err
	}
	below := int64(-1)
	if in.Marker != "" {
		if below, err = strconv.ParseInt(in.Marker, 10, 64); err != nil {
			return nil, "", invalidParameter("Invalid marker: %s", in.Marker)
		}
	}
	reg := &s.host.layers
	reg.mu.Lock()
	var out []LayerVersion
	if l := reg.byName[layerKey{c.Account, c.Region, name}]; l != nil {
		for _, v := range l.versions {
			if in.matches(v) && (below < 0 || v.Version < below) {
				out = append(out, *v)
			}
		}
	}
	reg.mu.Unlock()
	slices.SortFunc(out, func(a, b LayerVersion) int { return cmp.Compare(b.Version, a.Version) })
	limit := cmp.Or(in.MaxItems, 50)
	if len(out) > limit {
		return out[:limit], itoa(out[limit-1].Version), nil
	}
	return out, "", nil
}

// DeleteLayerVersion deletes a layer version; deleting one that does not
// exist succeeds, as on AWS. Functions that use it keep its content.
func (s *Service) DeleteLayerVersion(ctx context.Context, c Caller, name string, n int64) error {
	name, err := layerName(c, name)
	if err != nil {
		return err
	}
	if err := checkLayerVersion(n); err != nil {
		return err
	}
	reg := &s.host.layers
	reg.mu.Lock()
	k := layerKey{c.Account, c.Region, name}
	v := reg.get(k, n)
	if v == nil {
		reg.mu.Unlock()
		return nil
	}
	if err := s.store.Apply(ctx, store.DeleteRecord{Kind: RecordLayerVersion, Key: layerVersionKey(v)}); err != nil {
		reg.mu.Unlock()
		return err
	}
	delete(reg.byName[k].versions, n)
	reg.mu.Unlock()
	s.removeLayerCode(v.CodeKey)
	return nil
}

// removeLayerCode deletes a layer zip no function, version or layer uses.
func (s *Service) removeLayerCode(key string) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.codeInUse(key) {
		s.code.remove(key)
	}
}

// layerVersionsUse reports whether a published layer version holds the
// code. Callers hold s.mu (lock order: Service.mu, then layers.mu).
func (s *Service) layerVersionsUse(key string) bool {
	s.host.layers.mu.Lock()
	defer s.host.layers.mu.Unlock()
	for _, l := range s.host.layers.byName {
		for _, v := range l.versions {
			if v.CodeKey == key {
				return true
			}
		}
	}
	return false
}

// layerCodeInUse reports whether a function's layers use the code. Callers
// hold s.mu.
func (s *Service) layerCodeInUse(key string) bool {
	uses := func(cfg *Function) bool {
		return slices.ContainsFunc(cfg.Layers, func(l FunctionLayer) bool { return l.CodeKey == key })
	}
	for _, f := range s.functions {
		if uses(&f.cfg) {
			return true
		}
		for _, v := range f.versions {
			if uses(&v.cfg) {
				return true
			}
		}
	}
	return false
}

// resolveLayers checks a function's Layers and returns them with their
// sizes and code.
func (s *Service) resolveLayers(c Caller, arns []string) ([]FunctionLayer, error) {
	if len(arns) > MaxLayers {
		return nil, invalidParameter("Cannot reference more than 5 layers.")
	}
	for _, a := range arns {
		if len(a) > 2048 || !layerArnRE.MatchString(a) {
			return nil, constraint("["+strings.Join(arns, ", ")+"]", "layers", "Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: "+layerArnPattern+", Member must not be null]")
		}
	}
	reg := &s.host.layers
	reg.mu.Lock()
	defer reg.mu.Unlock()
	seen := map[layerKey]string{}
	out := make([]FunctionLayer, 0, len(arns))
	for _, a := range arns {
		k, n, ok := parseLayerVersionArn(a)
		if prev, dup := seen[k]; ok && dup {
			return nil, invalidParameter("Two different versions of the same layer are not allowed to be referenced in the same function. %s and %s are versions of the same layer.", prev, a)
		}
		if ok && k.region != c.Region {
			return nil, invalidParameter("Layers are not in the same region as the function. Layers are expected to be in region %s.", c.Region)
		}
		var v *LayerVersion
		if ok && k.account == c.Account {
			v = reg.get(k, n)
		}
		if v == nil {
			return nil, invalidParameter("Layer version %s does not exist.", a)
		}
		seen[k] = a
		out = append(out, FunctionLayer{Arn: a, CodeSize: v.CodeSize, CodeKey: v.CodeKey})
	}
	return out, nil
}
