package e2e

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/function/functiontest"
)

const fnArn = "arn:aws:lambda:us-east-1:000000000000:function:"

// publish publishes $LATEST and returns the version's number.
func (e lambdaEnv) publish(name, description string) string {
	e.t.Helper()
	out, err := e.l.PublishVersion(e.ctx, &lambda.PublishVersionInput{FunctionName: &name, Description: &description})
	require.NoError(e.t, err)
	return *out.Version
}

// invokeQualified invokes a version or alias and returns the executed
// version and what the function saw.
func (e lambdaEnv) invokeQualified(name, qualifier string) (string, bootstrapContext) {
	e.t.Helper()
	out, err := e.l.Invoke(e.ctx, &lambda.InvokeInput{
		FunctionName: &name, Qualifier: aws.String(qualifier), Payload: []byte(`{"action":"context"}`),
	})
	require.NoError(e.t, err)
	require.Nil(e.t, out.FunctionError, string(out.Payload))
	var c bootstrapContext
	require.NoError(e.t, json.Unmarshal(out.Payload, &c))
	return *out.ExecutedVersion, c
}

func (e lambdaEnv) updateCode(name, version string) *lambda.UpdateFunctionCodeOutput {
	e.t.Helper()
	out, err := e.l.UpdateFunctionCode(e.ctx, &lambda.UpdateFunctionCodeInput{
		FunctionName: &name, ZipFile: functiontest.Zip(e.t, map[string]string{"version.txt": version}),
	})
	require.NoError(e.t, err)
	return out
}

func TestLambdaVersionLifecycle(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	created := e.create("ver", 3, map[string]string{"STAGE": "one"})

	v1, err := e.l.PublishVersion(e.ctx, &lambda.PublishVersionInput{FunctionName: aws.String("ver"), Description: aws.String("first")})
	require.NoError(t, err)
	require.Equal(t, "1", *v1.Version)
	require.Equal(t, fnArn+"ver:1", *v1.FunctionArn)
	require.Equal(t, "first", *v1.Description)
	require.Equal(t, *created.CodeSha256, *v1.CodeSha256)
	require.NotEqual(t, *created.RevisionId, *v1.RevisionId)

	// Unchanged code and configuration: the latest version again.
	again, err := e.l.PublishVersion(e.ctx, &lambda.PublishVersionInput{FunctionName: aws.String("ver")})
	require.NoError(t, err)
	require.Equal(t, "1", *again.Version)
	require.Equal(t, *v1.RevisionId, *again.RevisionId)

	e.updateCode("ver", "v2")
	_, err = e.l.UpdateFunctionConfiguration(e.ctx, &lambda.UpdateFunctionConfigurationInput{
		FunctionName: aws.String("ver"), Environment: &ltypes.Environment{Variables: map[string]string{"STAGE": "two"}},
	})
	require.NoError(t, err)
	require.Equal(t, "2", e.publish("ver", ""))

	// Each version runs its own code and configuration.
	executed, c := e.invokeQualified("ver", "1")
	require.Equal(t, "1", executed)
	require.Equal(t, "v1", c.Version)
	require.Equal(t, "one", c.Env["STAGE"])
	require.Equal(t, "1", c.Env["AWS_LAMBDA_FUNCTION_VERSION"])
	require.Equal(t, fnArn+"ver:1", c.Headers["arn"])
	executed, c = e.invokeQualified(fnArn+"ver:2", "")
	require.Equal(t, "2", executed)
	require.Equal(t, "v2", c.Version)
	executed, _ = e.invokeQualified("ver", "$LATEST")
	require.Equal(t, "$LATEST", executed)

	got, err := e.l.GetFunction(e.ctx, &lambda.GetFunctionInput{FunctionName: aws.String("ver"), Qualifier: aws.String("1")})
	require.NoError(t, err)
	require.Equal(t, "1", *got.Configuration.Version)
	require.Equal(t, fnArn+"ver:1", *got.Configuration.FunctionArn)
	require.Equal(t, "one", got.Configuration.Environment.Variables["STAGE"])
	cfg, err := e.l.GetFunctionConfiguration(e.ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("ver:$LATEST")})
	require.NoError(t, err)
	require.Equal(t, fnArn+"ver:$LATEST", *cfg.FunctionArn)
	require.Equal(t, "two", cfg.Environment.Variables["STAGE"])

	// Pagination: $LATEST first, then by number.
	var seen []string
	var marker *string
	for {
		page, err := e.l.ListVersionsByFunction(e.ctx, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("ver"), Marker: marker, MaxItems: aws.Int32(2)})
		require.NoError(t, err)
		for _, v := range page.Versions {
			seen = append(seen, *v.Version)
		}
		if marker = page.NextMarker; marker == nil {
			break
		}
	}
	require.Equal(t, []string{"$LATEST", "1", "2"}, seen)

	// Version 1's code outlives $LATEST's update; deleting it leaves 2.
	_, err = e.l.DeleteFunction(e.ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("ver"), Qualifier: aws.String("1")})
	require.NoError(t, err)
	_, err = e.l.GetFunction(e.ctx, &lambda.GetFunctionInput{FunctionName: aws.String("ver"), Qualifier: aws.String("1")})
	requireFnError(t, err, "ResourceNotFoundException", "Function not found: "+fnArn+"ver:1")
	require.Equal(t, "2", e.publish("ver", "unchanged"), "unchanged: the latest version")
	e.updateCode("ver", "v3")
	require.Equal(t, "3", e.publish("ver", "after delete"), "numbers are not reused")
}

// requireFnError checks an API error's code and message.
func requireFnError(t *testing.T, err error, code, message string) {
	t.Helper()
	require.Error(t, err)
	var api interface {
		ErrorCode() string
		ErrorMessage() string
	}
	require.ErrorAs(t, err, &api)
	require.Equal(t, code, api.ErrorCode(), err.Error())
	require.Equal(t, message, api.ErrorMessage())
}

func TestLambdaVersionErrors(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	created := e.create("verr", 3, nil)

	_, err := e.l.PublishVersion(e.ctx, &lambda.PublishVersionInput{FunctionName: aws.String("verr"), RevisionId: aws.String("nope")})
	requireFnError(t, err, "PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	_, err = e.l.PublishVersion(e.ctx, &lambda.PublishVersionInput{FunctionName: aws.String("verr"), CodeSha256: aws.String("somenonexistentsha256")})
	requireFnError(t, err, "InvalidParameterValueException", "CodeSHA256 (somenonexistentsha256) is different from current CodeSHA256 in $LATEST ("+*created.CodeSha256+"). Please try again with the CodeSHA256 in $LATEST.")
	// The create's answer carries the revision before the function settled.
	_, err = e.l.PublishVersion(e.ctx, &lambda.PublishVersionInput{FunctionName: aws.String("verr"), RevisionId: created.RevisionId})
	requireFnError(t, err, "PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	settled, err := e.l.GetFunction(e.ctx, &lambda.GetFunctionInput{FunctionName: aws.String("verr")})
	require.NoError(t, err)
	_, err = e.l.PublishVersion(e.ctx, &lambda.PublishVersionInput{FunctionName: aws.String("verr"), CodeSha256: created.CodeSha256, RevisionId: settled.Configuration.RevisionId})
	require.NoError(t, err)
	_, err = e.l.PublishVersion(e.ctx, &lambda.PublishVersionInput{FunctionName: aws.String("missing")})
	requireFnError(t, err, "ResourceNotFoundException", "Function not found: "+fnArn+"missing")

	_, err = e.l.GetFunction(e.ctx, &lambda.GetFunctionInput{FunctionName: aws.String("verr"), Qualifier: aws.String("1221")})
	requireFnError(t, err, "ResourceNotFoundException", "Function not found: "+fnArn+"verr:1221")
	_, err = e.l.GetFunction(e.ctx, &lambda.GetFunctionInput{FunctionName: aws.String(fnArn + "verr:1"), Qualifier: aws.String("2")})
	requireFnError(t, err, "InvalidParameterValueException", "The derived qualifier from the function name does not match the specified qualifier.")
	_, err = e.l.DeleteFunction(e.ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(fnArn + "verr:$LATEST")})
	requireFnError(t, err, "InvalidParameterValueException", "$LATEST version cannot be deleted without deleting the function.")
	_, err = e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("verr"), Qualifier: aws.String("7")})
	requireFnError(t, err, "ResourceNotFoundException", "Function not found: "+fnArn+"verr:7")

	// Publish on create and on code update.
	pub, err := e.l.CreateFunction(e.ctx, &lambda.CreateFunctionInput{
		FunctionName: aws.String("pub"), Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String(lambdaRole),
		Handler: aws.String("bootstrap"), Publish: true, Code: &ltypes.FunctionCode{ZipFile: functiontest.Zip(t, map[string]string{"version.txt": "v1"})},
	})
	require.NoError(t, err)
	require.Equal(t, "1", *pub.Version)
	require.Equal(t, fnArn+"pub", *pub.FunctionArn)
	up, err := e.l.UpdateFunctionCode(e.ctx, &lambda.UpdateFunctionCodeInput{
		FunctionName: aws.String("pub"), Publish: true, ZipFile: functiontest.Zip(t, map[string]string{"version.txt": "v2"}),
	})
	require.NoError(t, err)
	require.Equal(t, "2", *up.Version)
	executed, c := e.invokeQualified("pub", "2")
	require.Equal(t, "2", executed)
	require.Equal(t, "v2", c.Version)
}

func TestLambdaAliasLifecycle(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("al", 3, nil)
	e.publish("al", "")
	e.updateCode("al", "v2")
	e.publish("al", "")

	created, err := e.l.CreateAlias(e.ctx, &lambda.CreateAliasInput{
		FunctionName: aws.String("al"), Name: aws.String("live"), FunctionVersion: aws.String("1"), Description: aws.String("custom-alias"),
		RoutingConfig: &ltypes.AliasRoutingConfiguration{AdditionalVersionWeights: map[string]float64{"2": 0.2}},
	})
	require.NoError(t, err)
	require.Equal(t, fnArn+"al:live", *created.AliasArn)
	require.Equal(t, map[string]float64{"2": 0.2}, created.RoutingConfig.AdditionalVersionWeights)
	_, err = e.l.CreateAlias(e.ctx, &lambda.CreateAliasInput{FunctionName: aws.String("al"), Name: aws.String("other"), FunctionVersion: aws.String("2")})
	require.NoError(t, err)

	got, err := e.l.GetAlias(e.ctx, &lambda.GetAliasInput{FunctionName: aws.String("al"), Name: aws.String("live")})
	require.NoError(t, err)
	require.Equal(t, *created.RevisionId, *got.RevisionId)
	fn, err := e.l.GetFunction(e.ctx, &lambda.GetFunctionInput{FunctionName: aws.String(fnArn + "al:live")})
	require.NoError(t, err)
	require.Equal(t, "1", *fn.Configuration.Version)
	require.Equal(t, fnArn+"al:live", *fn.Configuration.FunctionArn)

	list, err := e.l.ListAliases(e.ctx, &lambda.ListAliasesInput{FunctionName: aws.String("al")})
	require.NoError(t, err)
	require.Len(t, list.Aliases, 2)
	list, err = e.l.ListAliases(e.ctx, &lambda.ListAliasesInput{FunctionName: aws.String("al"), FunctionVersion: aws.String("1")})
	require.NoError(t, err)
	require.Len(t, list.Aliases, 1)
	require.Equal(t, "live", *list.Aliases[0].Name)

	_, err = e.l.UpdateAlias(e.ctx, &lambda.UpdateAliasInput{FunctionName: aws.String("al"), Name: aws.String("live"), RevisionId: aws.String("stale")})
	requireFnError(t, err, "PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	upd, err := e.l.UpdateAlias(e.ctx, &lambda.UpdateAliasInput{
		FunctionName: aws.String("al"), Name: aws.String("live"), FunctionVersion: aws.String("2"),
		RoutingConfig: &ltypes.AliasRoutingConfiguration{}, RevisionId: got.RevisionId,
	})
	require.NoError(t, err)
	require.Equal(t, "2", *upd.FunctionVersion)
	require.Nil(t, upd.RoutingConfig)
	require.Equal(t, "custom-alias", *upd.Description)
	require.NotEqual(t, *got.RevisionId, *upd.RevisionId)
	executed, c := e.invokeQualified("al", "live")
	require.Equal(t, "2", executed)
	require.Equal(t, fnArn+"al:live", c.Headers["arn"])

	// A version an alias uses cannot go.
	_, err = e.l.DeleteFunction(e.ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String("al"), Qualifier: aws.String("2")})
	var conflict *ltypes.ResourceConflictException
	require.ErrorAs(t, err, &conflict)

	_, err = e.l.DeleteAlias(e.ctx, &lambda.DeleteAliasInput{FunctionName: aws.String("al"), Name: aws.String("live")})
	require.NoError(t, err)
	_, err = e.l.DeleteAlias(e.ctx, &lambda.DeleteAliasInput{FunctionName: aws.String("al"), Name: aws.String("live")})
	require.NoError(t, err, "deleting a missing alias succeeds")
	_, err = e.l.GetAlias(e.ctx, &lambda.GetAliasInput{FunctionName: aws.String("al"), Name: aws.String("live")})
	requireFnError(t, err, "ResourceNotFoundException", "Cannot find alias arn: "+fnArn+"al:live")
	_, err = e.l.GetFunction(e.ctx, &lambda.GetFunctionInput{FunctionName: aws.String("al"), Qualifier: aws.String("live")})
	requireFnError(t, err, "ResourceNotFoundException", "Function not found: "+fnArn+"al:live")
}

func TestLambdaAliasErrors(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("ae", 3, nil)
	e.publish("ae", "")
	e.updateCode("ae", "v2")
	e.publish("ae", "")
	alias := func(name, version string, weights map[string]float64) error {
		in := &lambda.CreateAliasInput{FunctionName: aws.String("ae"), Name: aws.String(name), FunctionVersion: aws.String(version)}
		if weights != nil {
			in.RoutingConfig = &ltypes.AliasRoutingConfiguration{AdditionalVersionWeights: weights}
		}
		_, err := e.l.CreateAlias(e.ctx, in)
		return err
	}
	requireFnError(t, alias("a", "1", map[string]float64{"2": 0.5, "3": 0.2}), "InvalidParameterValueException", "Number of items in AdditionalVersionWeights cannot be greater than 1")
	requireFnError(t, alias("a", "1", map[string]float64{"2": 2}), "ValidationException", "1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]")
	requireFnError(t, alias("a", "1", map[string]float64{"2": -1}), "ValidationException", "1 validation error detected: Value '{2=-1.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]")
	requireFnError(t, alias("a", "1", map[string]float64{"1": 0.5}), "InvalidParameterValueException", "Invalid function version 1. Function version 1 is already included in routing configuration.")
	requireFnError(t, alias("a", "10", nil), "ResourceNotFoundException", "Function not found: "+fnArn+"ae:10")
	requireFnError(t, alias("a", "1", map[string]float64{"10": 0.5}), "ResourceNotFoundException", "Function not found: "+fnArn+"ae:10")
	requireFnError(t, alias("a", "$LATEST", map[string]float64{"1": 0.5}), "InvalidParameterValueException", "$LATEST is not supported for an alias pointing to more than 1 version")
	requireFnError(t, alias("a", "1", map[string]float64{"$LATEST": 0.5}), "ValidationException", "1 validation error detected: Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]")
	requireFnError(t, alias("2024", "1", nil), "ValidationException", "1 validation error detected: Value '2024' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)")
	_, err := e.l.CreateAlias(e.ctx, &lambda.CreateAliasInput{FunctionName: aws.String("ae-unknown"), Name: aws.String("a"), FunctionVersion: aws.String("1")})
	requireFnError(t, err, "ResourceNotFoundException", "Function not found: "+fnArn+"ae-unknown:1")
	require.NoError(t, alias("custom", "1", nil))
	requireFnError(t, alias("custom", "1", nil), "ResourceConflictException", "Alias already exists: "+fnArn+"ae:custom")
	_, err = e.l.UpdateAlias(e.ctx, &lambda.UpdateAliasInput{FunctionName: aws.String("ae"), Name: aws.String("non-existent")})
	requireFnError(t, err, "ResourceNotFoundException", "Alias not found: "+fnArn+"ae:non-existent")
}

func TestLambdaAliasWeightedRouting(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("wr", 3, nil)
	e.publish("wr", "")
	e.updateCode("wr", "v2")
	e.publish("wr", "")
	route := func(weight float64, n int) map[string]int {
		_, err := e.l.UpdateAlias(e.ctx, &lambda.UpdateAliasInput{
			FunctionName: aws.String("wr"), Name: aws.String("canary"),
			RoutingConfig: &ltypes.AliasRoutingConfiguration{AdditionalVersionWeights: map[string]float64{"2": weight}},
		})
		require.NoError(t, err)
		counts := map[string]int{}
		for range n {
			out, err := e.l.Invoke(e.ctx, &lambda.InvokeInput{FunctionName: aws.String("wr:canary")})
			require.NoError(t, err)
			counts[*out.ExecutedVersion]++
		}
		return counts
	}
	_, err := e.l.CreateAlias(e.ctx, &lambda.CreateAliasInput{FunctionName: aws.String("wr"), Name: aws.String("canary"), FunctionVersion: aws.String("1")})
	require.NoError(t, err)
	require.Equal(t, map[string]int{"1": 20}, route(0, 20))
	require.Equal(t, map[string]int{"2": 20}, route(1, 20))
	half := route(0.5, 200)
	require.Equal(t, 200, half["1"]+half["2"])
	require.InDelta(t, 100, half["2"], 45, "version 2 got %d of 200 at weight 0.5", half["2"])
}

// TestLambdaCLIVersionsAliasesConcurrency drives publish-version,
// create-alias and put-function-concurrency through the AWS CLI.
func TestLambdaCLIVersionsAliasesConcurrency(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	zip := t.TempDir() + "/fn.zip"
	require.NoError(t, writeFile(zip, functiontest.Zip(t, map[string]string{"version.txt": "v1"})))
	lambdaCLI(c, 0, "create-function", "--function-name", "cli-fn", "--runtime", "provided.al2023", "--role", lambdaRole,
		"--handler", "bootstrap", "--zip-file", "fileb://"+zip)
	v, _ := lambdaCLI(c, 0, "publish-version", "--function-name", "cli-fn", "--description", "from the CLI")
	require.Equal(t, "1", v["Version"])
	require.Equal(t, fnArn+"cli-fn:1", v["FunctionArn"])
	a, _ := lambdaCLI(c, 0, "create-alias", "--function-name", "cli-fn", "--name", "prod", "--function-version", "1")
	require.Equal(t, fnArn+"cli-fn:prod", a["AliasArn"])
	_, stderr := lambdaCLI(c, 254, "create-alias", "--function-name", "cli-fn", "--name", "prod", "--function-version", "1")
	require.Contains(t, stderr, "An error occurred (ResourceConflictException) when calling the CreateAlias operation: Alias already exists: "+fnArn+"cli-fn:prod")
	r, _ := lambdaCLI(c, 0, "put-function-concurrency", "--function-name", "cli-fn", "--reserved-concurrent-executions", "5")
	require.InDelta(t, 5, r["ReservedConcurrentExecutions"], 0)
	_, stderr = lambdaCLI(c, 254, "put-function-concurrency", "--function-name", "cli-fn", "--reserved-concurrent-executions", "950")
	require.Contains(t, stderr, "(InvalidParameterValueException) when calling the PutFunctionConcurrency operation: Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].")
	out, _ := lambdaCLI(c, 0, "invoke", "--function-name", "cli-fn", "--qualifier", "prod", "--payload", base64.StdEncoding.EncodeToString([]byte(`{"k":1}`)), t.TempDir()+"/out.json")
	require.Equal(t, "1", out["ExecutedVersion"])
}

// lambdaCLI runs "aws lambda ..." against the harness's fogbank and decodes
// its JSON output; want is the expected exit code.
func lambdaCLI(c *cliEnv, want int, args ...string) (map[string]any, string) {
	c.t.Helper()
	return c.cli("lambda", nil, want, args...)
}

func writeFile(path string, data []byte) error { return os.WriteFile(path, data, 0o600) }
