package e2e

import (
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// schemas runs one `aws schemas` command (restJson1) against the CLI
// harness's fogbank and decodes its output.
func (c *cliEnv) schemas(wantExit int, args ...string) (map[string]any, string) {
	c.t.Helper()
	return c.cli("schemas", nil, wantExit, args...)
}

func TestCLISchemas(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	out, _ := c.schemas(0, "create-registry", "--registry-name", "cli", "--description", "from the CLI")
	require.Equal(t, "arn:aws:schemas:us-east-1:"+account+":registry/cli", out["RegistryArn"])
	_, stderr := c.schemas(254, "create-registry", "--registry-name", "cli")
	require.Contains(t, stderr, "An error occurred (ConflictException) when calling the CreateRegistry operation: Registry with name cli already exists.")

	out, _ = c.schemas(0, "create-schema", "--registry-name", "cli", "--schema-name", "shop@OrderPlaced", "--type", "OpenApi3", "--content", orderOpenAPI)
	require.Equal(t, "1", out["SchemaVersion"])
	_, stderr = c.schemas(254, "create-schema", "--registry-name", "cli", "--schema-name", "bad", "--type", "OpenApi3", "--content", "{")
	require.Contains(t, stderr, "An error occurred (BadRequestException) when calling the CreateSchema operation: Invalid OpenApi3 content: not valid JSON: unexpected EOF")

	out, _ = c.schemas(0, "describe-schema", "--registry-name", "cli", "--schema-name", "shop@OrderPlaced")
	require.Equal(t, orderOpenAPI, out["Content"])
	require.Equal(t, "OpenApi3", out["Type"])
	_, stderr = c.schemas(254, "describe-schema", "--registry-name", "cli", "--schema-name", "missing")
	require.Contains(t, stderr, "An error occurred (NotFoundException) when calling the DescribeSchema operation: Schema with name missing does not exist.")

	out, _ = c.schemas(0, "list-schemas", "--registry-name", "cli")
	list := list(t, out, "Schemas")
	require.Len(t, list, 1)
	require.Equal(t, "shop@OrderPlaced", list[0]["SchemaName"])
	require.Equal(t, float64(1), list[0]["VersionCount"])

	ev := `{"version":"0","id":"1","detail-type":"Order Placed","source":"shop","account":"` + account + `","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{"id":"o-1"}}`
	out, _ = c.schemas(0, "get-discovered-schema", "--type", "OpenApi3", "--events", ev)
	content, _ := out["Content"].(string)
	require.Contains(t, content, `"x-amazon-events-detail-type": "Order Placed"`)
	require.Contains(t, content, `"OrderPlaced": {`)
}

// The rest of the schemas commands through the CLI: registries,
// schema versions, search and export, discoverers, code bindings, tags and
// resource policies.
func TestCLISchemasAllOperations(t *testing.T) {
	t.Parallel()
	c := setupCLI(t)
	ok := func(args ...string) map[string]any {
		t.Helper()
		out, _ := c.schemas(0, args...)
		return out
	}

	// Registries.
	reg := ok("create-registry", "--registry-name", "all", "--tags", "team=shop")
	arn, _ := reg["RegistryArn"].(string)
	require.Equal(t, "from the CLI", ok("update-registry", "--registry-name", "all", "--description", "from the CLI")["Description"])
	require.Equal(t, "from the CLI", ok("describe-registry", "--registry-name", "all")["Description"])
	var names []any
	for _, r := range list(t, ok("list-registries", "--registry-name-prefix", "al"), "Registries") {
		names = append(names, r["RegistryName"])
	}
	require.Equal(t, []any{"all"}, names)

	// Schema versions, search and export.
	ok("create-schema", "--registry-name", "all", "--schema-name", "shop@OrderPlaced", "--type", "OpenApi3", "--content", orderOpenAPI)
	v2 := `{"openapi":"3.0.0","info":{"version":"1.0.0","title":"Order"},"paths":{},"components":{"schemas":{"AWSEvent":{"type":"object","x-amazon-events-source":"shop","x-amazon-events-detail-type":"Order Placed","properties":{"source":{"type":"string"},"shipped":{"type":"boolean"}}}}}}`
	require.Equal(t, "2", ok("update-schema", "--registry-name", "all", "--schema-name", "shop@OrderPlaced", "--type", "OpenApi3", "--content", v2)["SchemaVersion"])
	require.Len(t, list(t, ok("list-schema-versions", "--registry-name", "all", "--schema-name", "shop@OrderPlaced"), "SchemaVersions"), 2)
	found := list(t, ok("search-schemas", "--registry-name", "all", "--keywords", "shop"), "Schemas")
	require.Len(t, found, 1)
	require.Equal(t, "shop@OrderPlaced", found[0]["SchemaName"])
	exported := ok("export-schema", "--registry-name", "all", "--schema-name", "shop@OrderPlaced", "--type", "JSONSchemaDraft4")
	require.Contains(t, exported["Content"], `"$schema": "http://json-schema.org/draft-04/schema#"`)
	ok("delete-schema-version", "--registry-name", "all", "--schema-name", "shop@OrderPlaced", "--schema-version", "1")
	require.Len(t, list(t, ok("list-schema-versions", "--registry-name", "all", "--schema-name", "shop@OrderPlaced"), "SchemaVersions"), 1)

	// Code bindings.
	require.Equal(t, "CREATE_IN_PROGRESS", ok("put-code-binding", "--registry-name", "all", "--schema-name", "shop@OrderPlaced", "--language", "Go1")["Status"])
	require.Equal(t, "CREATE_COMPLETE", ok("describe-code-binding", "--registry-name", "all", "--schema-name", "shop@OrderPlaced", "--language", "Go1")["Status"])
	zipPath := t.TempDir() + "/binding.zip"
	ok("get-code-binding-source", "--registry-name", "all", "--schema-name", "shop@OrderPlaced", "--language", "Go1", zipPath)
	zipped, err := os.ReadFile(zipPath)
	require.NoError(t, err)
	require.Equal(t, "PK", string(zipped[:2]), "a zip archive")

	// Tags and resource policies.
	ok("tag-resource", "--resource-arn", arn, "--tags", "env=dev")
	require.Equal(t, map[string]any{"team": "shop", "env": "dev"}, ok("list-tags-for-resource", "--resource-arn", arn)["Tags"])
	ok("untag-resource", "--resource-arn", arn, "--tag-keys", "team")
	require.Equal(t, map[string]any{"env": "dev"}, ok("list-tags-for-resource", "--resource-arn", arn)["Tags"])
	policy := `{"Version":"2012-10-17","Statement":[{"Sid":"read","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"schemas:DescribeSchema","Resource":"` + arn + `"}]}`
	ok("put-resource-policy", "--registry-name", "all", "--policy", policy)
	require.Contains(t, ok("get-resource-policy", "--registry-name", "all")["Policy"], `"Sid":"read"`)
	ok("delete-resource-policy", "--registry-name", "all")
	_, stderr := c.schemas(254, "get-resource-policy", "--registry-name", "all")
	require.Contains(t, stderr, "NotFoundException")

	// Discoverers on the default bus.
	bus := "arn:aws:events:us-east-1:" + account + ":event-bus/default"
	d := ok("create-discoverer", "--source-arn", bus, "--description", "default bus")
	id, _ := d["DiscovererId"].(string)
	require.Equal(t, "STARTED", d["State"])
	require.Equal(t, "watching", ok("update-discoverer", "--discoverer-id", id, "--description", "watching")["Description"])
	require.Equal(t, "STOPPED", ok("stop-discoverer", "--discoverer-id", id)["State"])
	require.Equal(t, "STOPPED", ok("describe-discoverer", "--discoverer-id", id)["State"])
	require.Equal(t, "STARTED", ok("start-discoverer", "--discoverer-id", id)["State"])
	require.Len(t, list(t, ok("list-discoverers"), "Discoverers"), 1)
	ok("delete-discoverer", "--discoverer-id", id)
	_, stderr = c.schemas(254, "describe-discoverer", "--discoverer-id", id)
	require.Contains(t, stderr, "NotFoundException")

	// Deleting the schema, then the registry.
	ok("delete-schema", "--registry-name", "all", "--schema-name", "shop@OrderPlaced")
	require.Empty(t, list(t, ok("list-schemas", "--registry-name", "all"), "Schemas"))
	ok("delete-registry", "--registry-name", "all")
	_, stderr = c.schemas(254, "describe-registry", "--registry-name", "all")
	require.Contains(t, stderr, "NotFoundException")
}
