package function

import (
	"time"

	"github.com/fogbank/fogbank/internal/arn"
)

// Caller is who calls an operation and where.
type Caller struct {
	Account string
	Region  string
}

// Defaults and limits, as AWS has them.
const (
	DefaultTimeout    = 3   // seconds
	DefaultMemorySize = 128 // MB
	MaxTimeout        = 900
	MinMemorySize     = 128
	MaxMemorySize     = 10240
	MaxZipSize        = 50 << 20 // a direct upload
	MaxSyncPayload    = 6 << 20  // 6291456 bytes
	MaxAsyncPayload   = 1 << 20
	maxEnvSize        = 4096
	latest            = "$LATEST"
)

// Function is a function's configuration as stored and as reported.
type Function struct {
	Account       string            `json:"account"`
	Region        string            `json:"region"`
	Name          string            `json:"name"`
	Runtime       string            `json:"runtime"`
	Role          string            `json:"role"`
	Handler       string            `json:"handler"`
	Description   string            `json:"description,omitempty"`
	Timeout       int               `json:"timeout"`
	MemorySize    int               `json:"memorySize"`
	Environment   map[string]string `json:"environment,omitempty"`
	Architectures []string          `json:"architectures"`
	Tags          map[string]string `json:"tags,omitempty"`
	CodeSha256    string            `json:"codeSha256"` // base64, as AWS reports it
	CodeSize      int64             `json:"codeSize"`
	CodeKey       string            `json:"codeKey"` // hex SHA-256: the code's file name
	LastModified  time.Time         `json:"lastModified"`
	RevisionID    string            `json:"revisionId"`
}

// ARN is the function's unqualified ARN.
func (f *Function) ARN() string { return functionARN(f.Region, f.Account, f.Name) }

// Version is the version the configuration describes; only $LATEST exists.
func (f *Function) Version() string { return latest }

// LogGroup is the function's CloudWatch log group name.
func (f *Function) LogGroup() string { return "/aws/lambda/" + f.Name }

func functionARN(region, account, name string) string {
	return arn.ARN{Partition: arn.Partition(region), Service: "lambda", Region: region, Account: account, Resource: "function:" + name}.String()
}

// CreateInput is CreateFunction's input.
type CreateInput struct {
	Name          string
	Runtime       string
	Role          *string
	Handler       string
	Description   string
	Timeout       *int
	MemorySize    *int
	Environment   map[string]string
	Architectures []string
	Tags          map[string]string
	PackageType   string
	ZipFile       []byte
	HasS3Code     bool // S3Bucket/S3Key or ImageUri given: not supported yet
}

// UpdateConfigInput is UpdateFunctionConfiguration's input; nil leaves a
// field unchanged.
type UpdateConfigInput struct {
	Name        string
	Runtime     *string
	Role        *string
	Handler     *string
	Description *string
	Timeout     *int
	MemorySize  *int
	Environment *map[string]string
	RevisionID  string
}

// UpdateCodeInput is UpdateFunctionCode's input.
type UpdateCodeInput struct {
	Name       string
	ZipFile    []byte
	RevisionID string
	HasS3Code  bool
}

// ListOutput is one page of ListFunctions.
type ListOutput struct {
	Functions  []Function
	NextMarker string
}
