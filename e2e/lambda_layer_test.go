package e2e

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/function/functiontest"
)

// publishLayer publishes a layer version holding files.
func (e lambdaEnv) publishLayer(name string, files map[string]string) *lambda.PublishLayerVersionOutput {
	e.t.Helper()
	out, err := e.l.PublishLayerVersion(e.ctx, &lambda.PublishLayerVersionInput{
		LayerName: &name, Content: &ltypes.LayerVersionContentInput{ZipFile: functiontest.Files(e.t, files)},
		CompatibleRuntimes: []ltypes.Runtime{ltypes.RuntimePython312}, CompatibleArchitectures: []ltypes.Architecture{ltypes.ArchitectureX8664},
		Description: aws.String("d-" + name), LicenseInfo: aws.String("MIT"),
	})
	require.NoError(e.t, err)
	return out
}

// requireAWSError checks an SDK error's code and message.
func requireAWSError(t *testing.T, err error, code, message string) {
	t.Helper()
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "%v", err)
	require.Equal(t, code, ae.ErrorCode())
	require.Equal(t, message, ae.ErrorMessage())
}

func TestLambdaLayerAPI(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	v1 := e.publishLayer("lib", map[string]string{"python/a.py": "A = 1\n"})
	require.Equal(t, int64(1), v1.Version)
	require.Equal(t, "arn:aws:lambda:us-east-1:000000000000:layer:lib", *v1.LayerArn)
	require.Equal(t, "arn:aws:lambda:us-east-1:000000000000:layer:lib:1", *v1.LayerVersionArn)
	require.Equal(t, []ltypes.Runtime{ltypes.RuntimePython312}, v1.CompatibleRuntimes)
	require.Equal(t, "MIT", *v1.LicenseInfo)
	require.NotEmpty(t, *v1.Content.CodeSha256)
	v2 := e.publishLayer("lib", map[string]string{"python/a.py": "A = 2\n"})
	require.Equal(t, int64(2), v2.Version)

	got, err := e.l.GetLayerVersion(e.ctx, &lambda.GetLayerVersionInput{LayerName: aws.String("lib"), VersionNumber: aws.Int64(1)})
	require.NoError(t, err)
	require.Equal(t, *v1.Content.CodeSha256, *got.Content.CodeSha256)
	byArn, err := e.l.GetLayerVersionByArn(e.ctx, &lambda.GetLayerVersionByArnInput{Arn: v2.LayerVersionArn})
	require.NoError(t, err)
	require.Equal(t, int64(2), byArn.Version)

	versions, err := e.l.ListLayerVersions(e.ctx, &lambda.ListLayerVersionsInput{LayerName: aws.String("lib")})
	require.NoError(t, err)
	require.Len(t, versions.LayerVersions, 2)
	require.Equal(t, int64(2), versions.LayerVersions[0].Version)
	layers, err := e.l.ListLayers(e.ctx, &lambda.ListLayersInput{CompatibleRuntime: ltypes.RuntimePython312})
	require.NoError(t, err)
	require.Len(t, layers.Layers, 1)
	require.Equal(t, int64(2), layers.Layers[0].LatestMatchingVersion.Version)
	layers, err = e.l.ListLayers(e.ctx, &lambda.ListLayersInput{CompatibleRuntime: ltypes.RuntimeNodejs20x})
	require.NoError(t, err)
	require.Empty(t, layers.Layers)

	_, err = e.l.GetLayerVersion(e.ctx, &lambda.GetLayerVersionInput{LayerName: aws.String("lib"), VersionNumber: aws.Int64(0)})
	requireAWSError(t, err, "InvalidParameterValueException", "Layer Version Cannot be less than 1")
	_, err = e.l.GetLayerVersion(e.ctx, &lambda.GetLayerVersionInput{LayerName: aws.String("lib"), VersionNumber: aws.Int64(9)})
	requireAWSError(t, err, "ResourceNotFoundException", "The resource you requested does not exist.")
	_, err = e.l.ListLayers(e.ctx, &lambda.ListLayersInput{CompatibleArchitecture: "archdoesnotexist"})
	requireAWSError(t, err, "ValidationException", "1 validation error detected: Value 'archdoesnotexist' at 'compatibleArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [x86_64, arm64]")
	_, err = e.l.PublishLayerVersion(e.ctx, &lambda.PublishLayerVersionInput{
		LayerName: aws.String("lib"), Content: &ltypes.LayerVersionContentInput{ZipFile: functiontest.Files(t, map[string]string{"a": "b"})},
		CompatibleRuntimes: []ltypes.Runtime{"invalidruntime"}, CompatibleArchitectures: []ltypes.Architecture{"invalidarch"},
	})
	require.ErrorContains(t, err, "2 validation errors detected: Value '[invalidruntime]' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy enum value set: [nodejs20.x, python3.14,")

	// Compatible lists not given are omitted; given empty, reported empty.
	bare, err := e.l.PublishLayerVersion(e.ctx, &lambda.PublishLayerVersionInput{
		LayerName: aws.String("bare"), Content: &ltypes.LayerVersionContentInput{ZipFile: functiontest.Files(t, map[string]string{"a": "b"})},
	})
	require.NoError(t, err)
	require.Nil(t, bare.CompatibleRuntimes)
	require.Nil(t, bare.CompatibleArchitectures)
	empty, err := e.l.PublishLayerVersion(e.ctx, &lambda.PublishLayerVersionInput{
		LayerName: aws.String("bare"), Content: &ltypes.LayerVersionContentInput{ZipFile: functiontest.Files(t, map[string]string{"a": "b"})},
		CompatibleRuntimes: []ltypes.Runtime{}, CompatibleArchitectures: []ltypes.Architecture{},
	})
	require.NoError(t, err)
	require.NotNil(t, empty.CompatibleRuntimes)
	require.Empty(t, empty.CompatibleRuntimes)

	// Policies.
	_, err = e.l.GetLayerVersionPolicy(e.ctx, &lambda.GetLayerVersionPolicyInput{LayerName: aws.String("lib"), VersionNumber: aws.Int64(1)})
	requireAWSError(t, err, "ResourceNotFoundException", "No policy is associated with the given resource.")
	added, err := e.l.AddLayerVersionPermission(e.ctx, &lambda.AddLayerVersionPermissionInput{
		LayerName: aws.String("lib"), VersionNumber: aws.Int64(1), StatementId: aws.String("s1"), Action: aws.String("lambda:GetLayerVersion"), Principal: aws.String("*"),
	})
	require.NoError(t, err)
	require.JSONEq(t, `{"Sid":"s1","Effect":"Allow","Principal":"*","Action":"lambda:GetLayerVersion","Resource":"arn:aws:lambda:us-east-1:000000000000:layer:lib:1"}`, *added.Statement)
	_, err = e.l.AddLayerVersionPermission(e.ctx, &lambda.AddLayerVersionPermissionInput{
		LayerName: aws.String("lib"), VersionNumber: aws.Int64(1), StatementId: aws.String("s1"), Action: aws.String("lambda:GetLayerVersion"), Principal: aws.String("*"),
	})
	requireAWSError(t, err, "ResourceConflictException", "The statement id (s1) provided already exists. Please provide a new statement id, or remove the existing statement.")
	_, err = e.l.AddLayerVersionPermission(e.ctx, &lambda.AddLayerVersionPermissionInput{
		LayerName: aws.String("lib"), VersionNumber: aws.Int64(1), StatementId: aws.String("s2"), Action: aws.String("lambda:GetLayerVersion"), Principal: aws.String("*"), RevisionId: aws.String("wrong"),
	})
	requireAWSError(t, err, "PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id")
	pol, err := e.l.GetLayerVersionPolicy(e.ctx, &lambda.GetLayerVersionPolicyInput{LayerName: aws.String("lib"), VersionNumber: aws.Int64(1)})
	require.NoError(t, err)
	require.Equal(t, *added.RevisionId, *pol.RevisionId)
	require.Contains(t, *pol.Policy, `"Id":"default"`)
	_, err = e.l.RemoveLayerVersionPermission(e.ctx, &lambda.RemoveLayerVersionPermissionInput{LayerName: aws.String("lib"), VersionNumber: aws.Int64(1), StatementId: aws.String("nope")})
	requireAWSError(t, err, "ResourceNotFoundException", "Statement nope is not found in resource policy.")
	_, err = e.l.RemoveLayerVersionPermission(e.ctx, &lambda.RemoveLayerVersionPermissionInput{LayerName: aws.String("lib"), VersionNumber: aws.Int64(1), StatementId: aws.String("s1")})
	require.NoError(t, err)
	_, err = e.l.AddLayerVersionPermission(e.ctx, &lambda.AddLayerVersionPermissionInput{
		LayerName: aws.String("lib"), VersionNumber: aws.Int64(7), StatementId: aws.String("s1"), Action: aws.String("lambda:GetLayerVersion"), Principal: aws.String("*"),
	})
	requireAWSError(t, err, "ResourceNotFoundException", "Layer version arn:aws:lambda:us-east-1:000000000000:layer:lib:7 does not exist.")

	// Function Layers: unknown versions, duplicates, the limit.
	create := func(layers ...string) error {
		_, err := e.l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
			FunctionName: aws.String("withlayers"), Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String(lambdaRole), Handler: aws.String("bootstrap"),
			Code: &ltypes.FunctionCode{ZipFile: functiontest.Zip(t, nil)}, Layers: layers,
		})
		return err
	}
	requireAWSError(t, create(*v1.LayerVersionArn, *v2.LayerVersionArn), "InvalidParameterValueException",
		"Two different versions of the same layer are not allowed to be referenced in the same function. "+*v1.LayerVersionArn+" and "+*v2.LayerVersionArn+" are versions of the same layer.")
	requireAWSError(t, create("arn:aws:lambda:us-east-1:000000000000:layer:doesnotexist:1"), "InvalidParameterValueException",
		"Layer version arn:aws:lambda:us-east-1:000000000000:layer:doesnotexist:1 does not exist.")
	requireAWSError(t, create(*v1.LayerVersionArn, "b", "c", "d", "e", "f"), "InvalidParameterValueException", "Cannot reference more than 5 layers.")
	err = create(*v1.LayerArn)
	require.ErrorContains(t, err, "ValidationException")
	require.NoError(t, create(*v2.LayerVersionArn))
	cfg, err := e.l.GetFunctionConfiguration(e.ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("withlayers")})
	require.NoError(t, err)
	require.Len(t, cfg.Layers, 1)
	require.Equal(t, *v2.LayerVersionArn, *cfg.Layers[0].Arn)
	require.Equal(t, v2.Content.CodeSize, cfg.Layers[0].CodeSize)

	// Deleting is idempotent; the function keeps its layer.
	for range 2 {
		_, err = e.l.DeleteLayerVersion(e.ctx, &lambda.DeleteLayerVersionInput{LayerName: aws.String("lib"), VersionNumber: aws.Int64(2)})
		require.NoError(t, err)
	}
	v3 := e.publishLayer("lib", map[string]string{"python/a.py": "A = 3\n"})
	require.Equal(t, int64(3), v3.Version, "version numbers are never reused")
	out := e.invoke("withlayers", map[string]any{"action": "echo"})
	require.Nil(t, out.FunctionError, string(out.Payload))
}

// TestLambdaLayerMerge runs a function whose bootstrap comes from a layer
// (AWS's /opt/bootstrap) and checks the merged /opt stand-in: later layers
// win, and PATH holds its bin/.
func TestLambdaLayerMerge(t *testing.T) {
	t.Parallel()
	dataDir := t.TempDir()
	e := setupLambda(t, fogbanktest.WithDataDir(dataDir))
	first := e.publishLayer("first", map[string]string{"bin/tool": "first", "shared.txt": "first"})
	// The bootstrap must be executable: zip it as the test bootstrap zip does.
	second, err := e.l.PublishLayerVersion(e.ctx, &lambda.PublishLayerVersionInput{
		LayerName: aws.String("second"), Content: &ltypes.LayerVersionContentInput{ZipFile: functiontest.Zip(t, map[string]string{"shared.txt": "second"})},
	})
	require.NoError(t, err)
	_, err = e.l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("fromopt"), Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String(lambdaRole), Handler: aws.String("x"),
		Code:   &ltypes.FunctionCode{ZipFile: functiontest.Files(t, map[string]string{"version.txt": "task"})},
		Layers: []string{*first.LayerVersionArn, *second.LayerVersionArn},
	})
	require.NoError(t, err)
	out := e.invoke("fromopt", map[string]any{"action": "context"})
	require.Nil(t, out.FunctionError, string(out.Payload))
	var c bootstrapContext
	require.NoError(t, json.Unmarshal(out.Payload, &c))
	require.Equal(t, "task", c.Version)
	path := c.Env["PATH"]
	optBin := path[strings.LastIndex(path, ":")+1:]
	require.Equal(t, "bin", filepath.Base(optBin))
	opt := filepath.Dir(optBin)
	shared, err := os.ReadFile(filepath.Join(opt, "shared.txt")) //nolint:gosec // the test's own data dir
	require.NoError(t, err)
	require.Equal(t, "second", string(shared), "a later layer wins")
	tool, err := os.ReadFile(filepath.Join(opt, "bin", "tool")) //nolint:gosec // the test's own data dir
	require.NoError(t, err)
	require.Equal(t, "first", string(tool))
	require.Contains(t, c.Env["LD_LIBRARY_PATH"], opt+"/lib")

	// Layers and the function's Layers survive a restart.
	e.srv.Stop()
	e2 := setupLambda(t, fogbanktest.WithDataDir(dataDir))
	got, err := e2.l.GetLayerVersion(e2.ctx, &lambda.GetLayerVersionInput{LayerName: aws.String("second"), VersionNumber: aws.Int64(1)})
	require.NoError(t, err)
	require.Equal(t, *second.Content.CodeSha256, *got.Content.CodeSha256)
	next := e2.publishLayer("second", map[string]string{"x": "y"})
	require.Equal(t, int64(2), next.Version)
	out = e2.invoke("fromopt", map[string]any{"action": "context"})
	require.Nil(t, out.FunctionError, string(out.Payload))
}

func TestLambdaLayerPythonImport(t *testing.T) {
	t.Parallel()
	needInterpreter(t, "python3")
	e := setupLambda(t)
	a := e.publishLayer("liba", map[string]string{"python/mod_a.py": "NAME = 'a'\n", "python/shared.py": "WHO = 'a'\n"})
	b := e.publishLayer("libb", map[string]string{"python/shared.py": "WHO = 'b'\n"})
	_, err := e.l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("py"), Runtime: ltypes.RuntimePython313, Role: aws.String(lambdaRole), Handler: aws.String("app.handler"),
		Code: &ltypes.FunctionCode{ZipFile: functiontest.Files(t, map[string]string{
			"app.py": "import mod_a, shared\n\ndef handler(event, context):\n    return [mod_a.NAME, shared.WHO]\n",
		})},
		Layers: []string{*a.LayerVersionArn, *b.LayerVersionArn},
	})
	require.NoError(t, err)
	out := e.invoke("py", map[string]any{})
	require.Nil(t, out.FunctionError, string(out.Payload))
	require.JSONEq(t, `["a","b"]`, string(out.Payload))

	// Dropping the layers makes the import fail at the next cold start.
	_, err = e.l.UpdateFunctionConfiguration(e.ctx, &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("py"), Layers: []string{}})
	require.NoError(t, err)
	p := decodeError(t, e.invoke("py", map[string]any{}))
	require.Equal(t, "Runtime.ImportModuleError", p.ErrorType)
	require.Equal(t, "Unable to import module 'app': No module named 'mod_a'", p.ErrorMessage)
}

// TestCLILambdaLayer publishes and reads a layer with the AWS CLI.
func TestCLILambdaLayer(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	zip := filepath.Join(t.TempDir(), "layer.zip")
	require.NoError(t, os.WriteFile(zip, functiontest.Files(t, map[string]string{"python/x.py": "X = 1\n"}), 0o600))
	v := c.lambda(0, "publish-layer-version", "--layer-name", "clilayer", "--zip-file", "fileb://"+zip,
		"--compatible-runtimes", "python3.12", "nodejs22.x", "--description", "from the cli")
	require.Equal(t, float64(1), v["Version"])
	require.Equal(t, "arn:aws:lambda:us-east-1:000000000000:layer:clilayer:1", v["LayerVersionArn"])
	require.Equal(t, "from the cli", v["Description"])
	list := c.lambda(0, "list-layer-versions", "--layer-name", "clilayer")
	require.Len(t, list["LayerVersions"], 1)
	got := c.lambda(0, "get-layer-version-by-arn", "--arn", "arn:aws:lambda:us-east-1:000000000000:layer:clilayer:1")
	require.Equal(t, []any{"python3.12", "nodejs22.x"}, got["CompatibleRuntimes"])
	failed := c.lambda(254, "get-layer-version", "--layer-name", "clilayer", "--version-number", "0")
	require.Contains(t, failed["stderr"], "An error occurred (InvalidParameterValueException) when calling the GetLayerVersion operation: Layer Version Cannot be less than 1")
}
