package e2e

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
	"github.com/fogbank/fogbank/internal/function/functiontest"
)

func (e lambdaEnv) policy(name, qualifier string) (map[string]any, string) {
	e.t.Helper()
	in := &lambda.GetPolicyInput{FunctionName: &name}
	if qualifier != "" {
		in.Qualifier = &qualifier
	}
	out, err := e.l.GetPolicy(e.ctx, in)
	require.NoError(e.t, err)
	var doc map[string]any
	require.NoError(e.t, json.Unmarshal([]byte(*out.Policy), &doc))
	return doc, *out.RevisionId
}

func TestLambdaPermissions(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("perm", 3, nil)

	add, err := e.l.AddPermission(e.ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("perm"), StatementId: aws.String("s3"), Action: aws.String("lambda:InvokeFunction"),
		Principal: aws.String("s3.amazonaws.com"), SourceArn: aws.String("arn:aws:s3:::bucket"),
	})
	require.NoError(t, err)
	want := map[string]any{
		"Sid": "s3", "Effect": "Allow", "Principal": map[string]any{"Service": "s3.amazonaws.com"},
		"Action": "lambda:InvokeFunction", "Resource": fnArn + "perm",
		"Condition": map[string]any{"ArnLike": map[string]any{"AWS:SourceArn": "arn:aws:s3:::bucket"}},
	}
	var st map[string]any
	require.NoError(t, json.Unmarshal([]byte(*add.Statement), &st))
	require.Equal(t, want, st)
	doc, rev := e.policy("perm", "")
	require.Equal(t, map[string]any{"Version": "2012-10-17", "Id": "default", "Statement": []any{want}}, doc)

	_, err = e.l.AddPermission(e.ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("perm"), StatementId: aws.String("acct"), Action: aws.String("lambda:InvokeFunction"),
		Principal: aws.String("111122223333"), RevisionId: aws.String("stale"),
	})
	requireFnError(t, err, "PreconditionFailedException", "The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id")
	_, err = e.l.AddPermission(e.ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("perm"), StatementId: aws.String("acct"), Action: aws.String("lambda:InvokeFunction"),
		Principal: aws.String("111122223333"), RevisionId: &rev,
	})
	require.NoError(t, err)
	doc, _ = e.policy("perm", "")
	require.Len(t, doc["Statement"], 2)
	require.Equal(t, map[string]any{"AWS": "arn:aws:iam::111122223333:root"}, doc["Statement"].([]any)[1].(map[string]any)["Principal"])

	_, err = e.l.AddPermission(e.ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("perm"), StatementId: aws.String("s3"), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com"),
	})
	requireFnError(t, err, "ResourceConflictException", "The statement id (s3) provided already exists. Please provide a new statement id, or remove the existing statement.")

	// A version has its own policy.
	e.publish("perm", "")
	_, err = e.l.GetPolicy(e.ctx, &lambda.GetPolicyInput{FunctionName: aws.String("perm"), Qualifier: aws.String("1")})
	requireFnError(t, err, "ResourceNotFoundException", "The resource you requested does not exist.")
	_, err = e.l.AddPermission(e.ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("perm"), Qualifier: aws.String("1"), StatementId: aws.String("s3"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com"),
	})
	require.NoError(t, err)
	doc, _ = e.policy("perm", "1")
	require.Equal(t, fnArn+"perm:1", doc["Statement"].([]any)[0].(map[string]any)["Resource"])

	_, err = e.l.RemovePermission(e.ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("perm"), StatementId: aws.String("non-existent")})
	requireFnError(t, err, "ResourceNotFoundException", "Statement non-existent is not found in resource policy.")
	for _, sid := range []string{"s3", "acct"} {
		_, err = e.l.RemovePermission(e.ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("perm"), StatementId: aws.String(sid)})
		require.NoError(t, err)
	}
	_, err = e.l.GetPolicy(e.ctx, &lambda.GetPolicyInput{FunctionName: aws.String("perm")})
	requireFnError(t, err, "ResourceNotFoundException", "The resource you requested does not exist.")
	_, err = e.l.RemovePermission(e.ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("perm"), StatementId: aws.String("s3")})
	requireFnError(t, err, "ResourceNotFoundException", "No policy is associated with the given resource.")
}

func TestLambdaPermissionErrors(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	e.create("pex", 3, nil)
	add := func(name, qualifier, sid, principal string) error {
		in := &lambda.AddPermissionInput{FunctionName: aws.String(name), StatementId: aws.String(sid), Action: aws.String("lambda:InvokeFunction"), Principal: aws.String(principal)}
		if qualifier != "" {
			in.Qualifier = aws.String(qualifier)
		}
		_, err := e.l.AddPermission(e.ctx, in)
		return err
	}
	requireFnError(t, add("pex", "", "example.com", "s3.amazonaws.com"), "ValidationException", "1 validation error detected: Value 'example.com' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)")
	requireFnError(t, add(fnArn+"pex:1", "2", "s", "s3.amazonaws.com"), "InvalidParameterValueException", "The derived qualifier from the function name does not match the specified qualifier.")
	requireFnError(t, add("pex", "$LATEST", "s", "s3.amazonaws.com"), "InvalidParameterValueException", "We currently do not support adding policies for $LATEST.")
	requireFnError(t, add("pex", "", "s", "invalid.nonaws.org"), "InvalidParameterValueException", "The provided principal was invalid. Please check the principal and try again.")
	requireFnError(t, add("doesnotexist", "", "s", "s3.amazonaws.com"), "ResourceNotFoundException", "Function not found: "+fnArn+"doesnotexist")
	requireFnError(t, add("pex", "alias-doesnotexist", "s", "s3.amazonaws.com"), "ResourceNotFoundException", "Cannot find alias arn: "+fnArn+"pex:alias-doesnotexist")
	requireFnError(t, add("pex", "42", "s", "s3.amazonaws.com"), "ResourceNotFoundException", "Function not found: "+fnArn+"pex:42")
	requireFnError(t, add("pex", "invalid-qualifier-with-?-char", "s", "s3.amazonaws.com"), "ValidationException", "1 validation error detected: Value 'invalid-qualifier-with-?-char' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: \\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+")
	_, err := e.l.GetPolicy(e.ctx, &lambda.GetPolicyInput{FunctionName: aws.String("doesnotexist")})
	requireFnError(t, err, "ResourceNotFoundException", "The resource you requested does not exist.")
	_, err = e.l.RemovePermission(e.ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("doesnotexist"), StatementId: aws.String("s")})
	requireFnError(t, err, "ResourceNotFoundException", "No policy found for: "+fnArn+"doesnotexist")
}

func TestLambdaTags(t *testing.T) {
	t.Parallel()
	e := setupLambda(t)
	in := &lambda.CreateFunctionInput{
		FunctionName: aws.String("tg"), Runtime: ltypes.RuntimeProvidedal2023, Role: aws.String(lambdaRole),
		Handler: aws.String("bootstrap"), Tags: map[string]string{"team": "a"},
		Code: &ltypes.FunctionCode{ZipFile: e.zip()},
	}
	_, err := e.l.CreateFunction(e.ctx, in)
	require.NoError(t, err)
	arn := fnArn + "tg"
	tags := func() map[string]string {
		out, err := e.l.ListTags(e.ctx, &lambda.ListTagsInput{Resource: &arn})
		require.NoError(t, err)
		return out.Tags
	}
	require.Equal(t, map[string]string{"team": "a"}, tags())
	_, err = e.l.TagResource(e.ctx, &lambda.TagResourceInput{Resource: &arn, Tags: map[string]string{"env": "prod", "team": "b"}})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"team": "b", "env": "prod"}, tags())
	fn, err := e.l.GetFunction(e.ctx, &lambda.GetFunctionInput{FunctionName: aws.String("tg")})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"team": "b", "env": "prod"}, fn.Tags)
	_, err = e.l.UntagResource(e.ctx, &lambda.UntagResourceInput{Resource: &arn, TagKeys: []string{"team", "absent"}})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"env": "prod"}, tags())

	// Limits: 50 tags in all.
	many := map[string]string{}
	for i := range 50 {
		many[fmt.Sprintf("k%d", i)] = "v"
	}
	_, err = e.l.TagResource(e.ctx, &lambda.TagResourceInput{Resource: &arn, Tags: many})
	requireFnError(t, err, "InvalidParameterValueException", "Number of tags exceeds resource tag limit.")
	many["k0"], in.FunctionName = "v", aws.String("tg-many")
	many["k50"] = "v"
	in.Tags = many
	_, err = e.l.CreateFunction(e.ctx, in)
	requireFnError(t, err, "InvalidParameterValueException", "Number of tags exceeds resource tag limit.")

	_, err = e.l.TagResource(e.ctx, &lambda.TagResourceInput{Resource: aws.String(arn + ":1"), Tags: map[string]string{"a": "b"}})
	requireFnError(t, err, "InvalidParameterValueException", "Tags on function aliases and versions are not supported. Please specify a function ARN.")
	_, err = e.l.TagResource(e.ctx, &lambda.TagResourceInput{Resource: aws.String(fnArn + "doesnotexist"), Tags: map[string]string{"a": "b"}})
	requireFnError(t, err, "ResourceNotFoundException", "Function not found: "+fnArn+"doesnotexist")
	_, err = e.l.TagResource(e.ctx, &lambda.TagResourceInput{Resource: &arn, Tags: map[string]string{}})
	requireFnError(t, err, "InvalidParameterValueException", "An error occurred and the request cannot be processed.")
	_, err = e.l.ListTags(e.ctx, &lambda.ListTagsInput{Resource: aws.String("arn:aws:something")})
	var ve interface{ ErrorCode() string }
	require.ErrorAs(t, err, &ve)
	require.Equal(t, "ValidationException", ve.ErrorCode())
}

func (e lambdaEnv) zip() []byte {
	return functiontest.Zip(e.t, map[string]string{"version.txt": "v1"})
}

// TestLambdaVersionsSurviveRestart checks that versions, aliases,
// concurrency settings, provisioned configurations, policies and tags are
// durable, and that provisioned sandboxes come back after a restart.
func TestLambdaVersionsSurviveRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := setupLambda(t, fogbanktest.WithDataDir(dir))
	e.create("keep", 3, nil)
	e.publish("keep", "one")
	e.updateCode("keep", "v2")
	e.publish("keep", "two")
	_, err := e.l.CreateAlias(e.ctx, &lambda.CreateAliasInput{
		FunctionName: aws.String("keep"), Name: aws.String("live"), FunctionVersion: aws.String("1"),
		RoutingConfig: &ltypes.AliasRoutingConfiguration{AdditionalVersionWeights: map[string]float64{"2": 0.25}},
	})
	require.NoError(t, err)
	_, err = e.l.PutFunctionConcurrency(e.ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("keep"), ReservedConcurrentExecutions: aws.Int32(7)})
	require.NoError(t, err)
	_, err = e.l.PutProvisionedConcurrencyConfig(e.ctx, &lambda.PutProvisionedConcurrencyConfigInput{
		FunctionName: aws.String("keep"), Qualifier: aws.String("2"), ProvisionedConcurrentExecutions: aws.Int32(1),
	})
	require.NoError(t, err)
	_, err = e.l.AddPermission(e.ctx, &lambda.AddPermissionInput{
		FunctionName: aws.String("keep"), Qualifier: aws.String("live"), StatementId: aws.String("sns"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("sns.amazonaws.com"),
	})
	require.NoError(t, err)
	_, err = e.l.TagResource(e.ctx, &lambda.TagResourceInput{Resource: aws.String(fnArn + "keep"), Tags: map[string]string{"k": "v"}})
	require.NoError(t, err)
	_, policyRev := e.policy("keep", "live")
	e.srv.Stop()

	e2 := setupLambda(t, fogbanktest.WithDataDir(dir))
	versions, err := e2.l.ListVersionsByFunction(e2.ctx, &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("keep")})
	require.NoError(t, err)
	require.Len(t, versions.Versions, 3)
	require.Equal(t, "two", *versions.Versions[2].Description)
	a, err := e2.l.GetAlias(e2.ctx, &lambda.GetAliasInput{FunctionName: aws.String("keep"), Name: aws.String("live")})
	require.NoError(t, err)
	require.Equal(t, map[string]float64{"2": 0.25}, a.RoutingConfig.AdditionalVersionWeights)
	rc, err := e2.l.GetFunctionConcurrency(e2.ctx, &lambda.GetFunctionConcurrencyInput{FunctionName: aws.String("keep")})
	require.NoError(t, err)
	require.Equal(t, int32(7), *rc.ReservedConcurrentExecutions)
	e2.waitProvisioned("keep", "2", 1)
	_, rev := e2.policy("keep", "live")
	require.Equal(t, policyRev, rev)
	tags, err := e2.l.ListTags(e2.ctx, &lambda.ListTagsInput{Resource: aws.String(fnArn + "keep")})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"k": "v"}, tags.Tags)
	executed, c := e2.invokeQualified("keep", "2")
	require.Equal(t, "2", executed)
	require.Equal(t, "v2", c.Version)
	e2.updateCode("keep", "v3")
	require.Equal(t, "3", e2.publish("keep", "three"), "the version counter survives")
}
