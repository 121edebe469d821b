package e2e

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/schemas"
	stypes "github.com/aws/aws-sdk-go-v2/service/schemas/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/fogbanktest"
)

// schemasEnv is a Schemas test's fogbank with Schemas and EventBridge clients.
type schemasEnv struct {
	ebEnv
	s *schemas.Client
}

func setupSchemas(t *testing.T, opts ...fogbanktest.Option) schemasEnv {
	t.Helper()
	e := setupEvents(t, opts...)
	return schemasEnv{ebEnv: e, s: schemas.NewFromConfig(e.srv.AWSConfig())}
}

// requireSchemasError checks an error's code and message.
func requireSchemasError(t *testing.T, err error, code, message string) {
	t.Helper()
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "want %s, got %v", code, err)
	require.Equal(t, code, ae.ErrorCode())
	require.Equal(t, message, ae.ErrorMessage())
}

const orderOpenAPI = `{"openapi":"3.0.0","info":{"version":"1.0.0","title":"Order"},"paths":{},
 "components":{"schemas":{"AWSEvent":{"type":"object","required":["detail","source","detail-type"],
  "x-amazon-events-source":"shop","x-amazon-events-detail-type":"Order Placed",
  "properties":{"source":{"type":"string"},"detail-type":{"type":"string"},"detail":{"$ref":"#/components/schemas/Order"}}},
  "Order":{"type":"object","required":["id","total"],"properties":{"id":{"type":"string"},"total":{"type":"number","minimum":0}}}}}}`

func (e schemasEnv) createSchema(registry, name, content string) *schemas.CreateSchemaOutput {
	e.t.Helper()
	out, err := e.s.CreateSchema(e.ctx, &schemas.CreateSchemaInput{
		RegistryName: &registry, SchemaName: &name, Type: stypes.TypeOpenApi3, Content: &content,
	})
	require.NoError(e.t, err)
	return out
}

func TestSchemasRegistries(t *testing.T) {
	t.Parallel()
	e := setupSchemas(t)
	out, err := e.s.CreateRegistry(e.ctx, &schemas.CreateRegistryInput{
		RegistryName: aws.String("orders"), Description: aws.String("order events"), Tags: map[string]string{"team": "a"},
	})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:schemas:us-east-1:"+account+":registry/orders", *out.RegistryArn)
	require.Equal(t, map[string]string{"team": "a"}, out.Tags)
	_, err = e.s.CreateRegistry(e.ctx, &schemas.CreateRegistryInput{RegistryName: aws.String("orders")})
	requireSchemasError(t, err, "ConflictException", "Registry with name orders already exists.")
	_, err = e.s.CreateRegistry(e.ctx, &schemas.CreateRegistryInput{RegistryName: aws.String("bad name")})
	requireSchemasError(t, err, "BadRequestException", "RegistryName must match pattern ^[A-Za-z0-9._@-]{1,64}$.")

	d, err := e.s.DescribeRegistry(e.ctx, &schemas.DescribeRegistryInput{RegistryName: aws.String("orders")})
	require.NoError(t, err)
	require.Equal(t, "order events", *d.Description)
	_, err = e.s.DescribeRegistry(e.ctx, &schemas.DescribeRegistryInput{RegistryName: aws.String("nope")})
	requireSchemasError(t, err, "NotFoundException", "Registry with name nope does not exist.")
	u, err := e.s.UpdateRegistry(e.ctx, &schemas.UpdateRegistryInput{RegistryName: aws.String("orders"), Description: aws.String("v2")})
	require.NoError(t, err)
	require.Equal(t, "v2", *u.Description)
	_, err = e.s.UpdateRegistry(e.ctx, &schemas.UpdateRegistryInput{RegistryName: aws.String("orders"), Description: aws.String(strings.Repeat("x", 257))})
	requireSchemasError(t, err, "BadRequestException", "Description must be at most 256 characters long.")

	names := func(in *schemas.ListRegistriesInput) []string {
		out, err := e.s.ListRegistries(e.ctx, in)
		require.NoError(t, err)
		var n []string
		for _, r := range out.Registries {
			n = append(n, *r.RegistryName)
		}
		return n
	}
	require.Equal(t, []string{"aws.events", "discovered-schemas", "orders"}, names(&schemas.ListRegistriesInput{}))
	require.Equal(t, []string{"aws.events"}, names(&schemas.ListRegistriesInput{Scope: aws.String("AWS")}))
	require.Equal(t, []string{"discovered-schemas", "orders"}, names(&schemas.ListRegistriesInput{Scope: aws.String("LOCAL")}))
	require.Equal(t, []string{"orders"}, names(&schemas.ListRegistriesInput{RegistryNamePrefix: aws.String("ord")}))
	var paged []string
	p := schemas.NewListRegistriesPaginator(e.s, &schemas.ListRegistriesInput{Limit: aws.Int32(1)})
	for p.HasMorePages() {
		pg, err := p.NextPage(e.ctx)
		require.NoError(t, err)
		require.Len(t, pg.Registries, 1)
		paged = append(paged, *pg.Registries[0].RegistryName)
	}
	require.Equal(t, []string{"aws.events", "discovered-schemas", "orders"}, paged)
	_, err = e.s.ListRegistries(e.ctx, &schemas.ListRegistriesInput{NextToken: aws.String("garbage!")})
	requireSchemasError(t, err, "BadRequestException", "Invalid NextToken.")

	_, err = e.s.DeleteRegistry(e.ctx, &schemas.DeleteRegistryInput{RegistryName: aws.String("discovered-schemas")})
	requireSchemasError(t, err, "BadRequestException", "Registry discovered-schemas is a built-in registry and cannot be deleted.")
	_, err = e.s.DeleteRegistry(e.ctx, &schemas.DeleteRegistryInput{RegistryName: aws.String("orders")})
	require.NoError(t, err)
	_, err = e.s.DeleteRegistry(e.ctx, &schemas.DeleteRegistryInput{RegistryName: aws.String("orders")})
	requireSchemasError(t, err, "NotFoundException", "Registry with name orders does not exist.")
}

func TestSchemasSchemaVersions(t *testing.T) {
	t.Parallel()
	e := setupSchemas(t)
	_, err := e.s.CreateRegistry(e.ctx, &schemas.CreateRegistryInput{RegistryName: aws.String("orders")})
	require.NoError(t, err)
	c := e.createSchema("orders", "shop@OrderPlaced", orderOpenAPI)
	require.Equal(t, "1", *c.SchemaVersion)
	require.Equal(t, "arn:aws:schemas:us-east-1:"+account+":schema/orders/shop@OrderPlaced", *c.SchemaArn)
	require.NotNil(t, c.VersionCreatedDate)

	_, err = e.s.CreateSchema(e.ctx, &schemas.CreateSchemaInput{RegistryName: aws.String("orders"), SchemaName: aws.String("shop@OrderPlaced"), Type: stypes.TypeOpenApi3, Content: aws.String(orderOpenAPI)})
	requireSchemasError(t, err, "ConflictException", "Schema with name shop@OrderPlaced already exists.")
	_, err = e.s.CreateSchema(e.ctx, &schemas.CreateSchemaInput{RegistryName: aws.String("orders"), SchemaName: aws.String("x"), Type: stypes.TypeOpenApi3, Content: aws.String(`{"swagger":"2.0"}`)})
	requireSchemasError(t, err, "BadRequestException", "Invalid OpenApi3 content: openapi must be a 3.x.y version string")
	_, err = e.s.CreateSchema(e.ctx, &schemas.CreateSchemaInput{RegistryName: aws.String("orders"), SchemaName: aws.String("x"), Type: stypes.TypeJSONSchemaDraft4, Content: aws.String(`{"type":"objet"}`)})
	requireSchemasError(t, err, "BadRequestException", `Invalid JSONSchemaDraft4 content: #: unknown type "objet"`)
	_, err = e.s.CreateSchema(e.ctx, &schemas.CreateSchemaInput{RegistryName: aws.String("nope"), SchemaName: aws.String("x"), Type: stypes.TypeOpenApi3, Content: aws.String(orderOpenAPI)})
	requireSchemasError(t, err, "NotFoundException", "Registry with name nope does not exist.")
	_, err = e.s.CreateSchema(e.ctx, &schemas.CreateSchemaInput{RegistryName: aws.String("aws.events"), SchemaName: aws.String("x"), Type: stypes.TypeOpenApi3, Content: aws.String(orderOpenAPI)})
	requireSchemasError(t, err, "ForbiddenException", "Registry aws.events is managed by AWS and cannot be modified.")

	// The same content makes no new version; new content does.
	u, err := e.s.UpdateSchema(e.ctx, &schemas.UpdateSchemaInput{RegistryName: aws.String("orders"), SchemaName: aws.String("shop@OrderPlaced"), Content: aws.String(orderOpenAPI), Description: aws.String("orders")})
	require.NoError(t, err)
	require.Equal(t, "1", *u.SchemaVersion)
	v2 := strings.Replace(orderOpenAPI, `"minimum":0`, `"minimum":1`, 1)
	u, err = e.s.UpdateSchema(e.ctx, &schemas.UpdateSchemaInput{RegistryName: aws.String("orders"), SchemaName: aws.String("shop@OrderPlaced"), Content: &v2})
	require.NoError(t, err)
	require.Equal(t, "2", *u.SchemaVersion)
	_, err = e.s.UpdateSchema(e.ctx, &schemas.UpdateSchemaInput{RegistryName: aws.String("orders"), SchemaName: aws.String("nope"), Content: &v2})
	requireSchemasError(t, err, "NotFoundException", "Schema with name nope does not exist.")

	d, err := e.s.DescribeSchema(e.ctx, &schemas.DescribeSchemaInput{RegistryName: aws.String("orders"), SchemaName: aws.String("shop@OrderPlaced")})
	require.NoError(t, err)
	require.Equal(t, "2", *d.SchemaVersion)
	require.Equal(t, v2, *d.Content)
	require.Equal(t, "orders", *d.Description)
	d, err = e.s.DescribeSchema(e.ctx, &schemas.DescribeSchemaInput{RegistryName: aws.String("orders"), SchemaName: aws.String("shop@OrderPlaced"), SchemaVersion: aws.String("1")})
	require.NoError(t, err)
	require.Equal(t, orderOpenAPI, *d.Content)
	_, err = e.s.DescribeSchema(e.ctx, &schemas.DescribeSchemaInput{RegistryName: aws.String("orders"), SchemaName: aws.String("shop@OrderPlaced"), SchemaVersion: aws.String("9")})
	requireSchemasError(t, err, "NotFoundException", "Schema version 9 does not exist for schema shop@OrderPlaced.")

	e.createSchema("orders", "shop@OrderShipped", orderOpenAPI)
	ls, err := e.s.ListSchemas(e.ctx, &schemas.ListSchemasInput{RegistryName: aws.String("orders"), SchemaNamePrefix: aws.String("shop@OrderP")})
	require.NoError(t, err)
	require.Len(t, ls.Schemas, 1)
	require.Equal(t, int64(2), *ls.Schemas[0].VersionCount)
	lv, err := e.s.ListSchemaVersions(e.ctx, &schemas.ListSchemaVersionsInput{RegistryName: aws.String("orders"), SchemaName: aws.String("shop@OrderPlaced")})
	require.NoError(t, err)
	require.Len(t, lv.SchemaVersions, 2)
	require.Equal(t, "1", *lv.SchemaVersions[0].SchemaVersion)
	require.Equal(t, stypes.TypeOpenApi3, lv.SchemaVersions[1].Type)

	ss, err := e.s.SearchSchemas(e.ctx, &schemas.SearchSchemasInput{RegistryName: aws.String("orders"), Keywords: aws.String("shipped")})
	require.NoError(t, err)
	require.Len(t, ss.Schemas, 1)
	require.Equal(t, "shop@OrderShipped", *ss.Schemas[0].SchemaName)
	require.Len(t, ss.Schemas[0].SchemaVersions, 1)

	ex, err := e.s.ExportSchema(e.ctx, &schemas.ExportSchemaInput{RegistryName: aws.String("orders"), SchemaName: aws.String("shop@OrderPlaced"), Type: aws.String("JSONSchemaDraft4")})
	require.NoError(t, err)
	require.Equal(t, "JSONSchemaDraft4", *ex.Type)
	require.Contains(t, *ex.Content, `"$ref": "#/definitions/Order"`)
	require.Contains(t, *ex.Content, `"$schema": "http://json-schema.org/draft-04/schema#"`)
	_, err = e.s.ExportSchema(e.ctx, &schemas.ExportSchemaInput{RegistryName: aws.String("orders"), SchemaName: aws.String("shop@OrderPlaced"), Type: aws.String("OpenApi3")})
	requireSchemasError(t, err, "BadRequestException", "Type must be JSONSchemaDraft4.")

	_, err = e.s.DeleteSchemaVersion(e.ctx, &schemas.DeleteSchemaVersionInput{RegistryName: aws.String("orders"), SchemaName: aws.String("shop@OrderPlaced"), SchemaVersion: aws.String("1")})
	require.NoError(t, err)
	_, err = e.s.DeleteSchemaVersion(e.ctx, &schemas.DeleteSchemaVersionInput{RegistryName: aws.String("orders"), SchemaName: aws.String("shop@OrderPlaced"), SchemaVersion: aws.String("2")})
	requireSchemasError(t, err, "BadRequestException", "Schema shop@OrderPlaced has only version 2; delete the schema instead.")
	_, err = e.s.DeleteSchema(e.ctx, &schemas.DeleteSchemaInput{RegistryName: aws.String("orders"), SchemaName: aws.String("shop@OrderPlaced")})
	require.NoError(t, err)
	_, err = e.s.DeleteSchema(e.ctx, &schemas.DeleteSchemaInput{RegistryName: aws.String("orders"), SchemaName: aws.String("shop@OrderPlaced")})
	requireSchemasError(t, err, "NotFoundException", "Schema with name shop@OrderPlaced does not exist.")

	// AWS's schemas are there to read.
	aw, err := e.s.DescribeSchema(e.ctx, &schemas.DescribeSchemaInput{RegistryName: aws.String("aws.events"), SchemaName: aws.String("aws.ec2@EC2InstanceStateChangeNotification")})
	require.NoError(t, err)
	require.Contains(t, *aw.Content, `"x-amazon-events-detail-type": "EC2 Instance State-change Notification"`)
}

func TestSchemasTagsAndPolicies(t *testing.T) {
	t.Parallel()
	e := setupSchemas(t)
	reg, err := e.s.CreateRegistry(e.ctx, &schemas.CreateRegistryInput{RegistryName: aws.String("orders")})
	require.NoError(t, err)
	sch := e.createSchema("orders", "s", orderOpenAPI)
	for _, arn := range []string{*reg.RegistryArn, *sch.SchemaArn} {
		_, err = e.s.TagResource(e.ctx, &schemas.TagResourceInput{ResourceArn: aws.String(arn), Tags: map[string]string{"a": "1", "b": "2"}})
		require.NoError(t, err)
		_, err = e.s.UntagResource(e.ctx, &schemas.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"a"}})
		require.NoError(t, err)
		tags, err := e.s.ListTagsForResource(e.ctx, &schemas.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
		require.NoError(t, err)
		require.Equal(t, map[string]string{"b": "2"}, tags.Tags)
	}
	missing := "arn:aws:schemas:us-east-1:" + account + ":registry/nope"
	_, err = e.s.ListTagsForResource(e.ctx, &schemas.ListTagsForResourceInput{ResourceArn: &missing})
	requireSchemasError(t, err, "NotFoundException", "Resource "+missing+" does not exist.")
	_, err = e.s.TagResource(e.ctx, &schemas.TagResourceInput{ResourceArn: aws.String("not-an-arn"), Tags: map[string]string{"a": "1"}})
	requireSchemasError(t, err, "BadRequestException", "Invalid ResourceArn not-an-arn.")

	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"schemas:DescribeSchema","Resource":"*"}]}`
	pp, err := e.s.PutResourcePolicy(e.ctx, &schemas.PutResourcePolicyInput{RegistryName: aws.String("orders"), Policy: &policy})
	require.NoError(t, err)
	require.NotEmpty(t, *pp.RevisionId)
	gp, err := e.s.GetResourcePolicy(e.ctx, &schemas.GetResourcePolicyInput{RegistryName: aws.String("orders")})
	require.NoError(t, err)
	require.JSONEq(t, policy, *gp.Policy)
	require.Equal(t, *pp.RevisionId, *gp.RevisionId)
	_, err = e.s.PutResourcePolicy(e.ctx, &schemas.PutResourcePolicyInput{RegistryName: aws.String("orders"), Policy: &policy, RevisionId: aws.String("stale")})
	requireSchemasError(t, err, "PreconditionFailedException", "The revision id stale does not match the policy's current revision.")
	_, err = e.s.PutResourcePolicy(e.ctx, &schemas.PutResourcePolicyInput{RegistryName: aws.String("nope"), Policy: &policy})
	requireSchemasError(t, err, "NotFoundException", "Registry with name nope does not exist.")
	_, err = e.s.DeleteResourcePolicy(e.ctx, &schemas.DeleteResourcePolicyInput{RegistryName: aws.String("orders")})
	require.NoError(t, err)
	_, err = e.s.GetResourcePolicy(e.ctx, &schemas.GetResourcePolicyInput{RegistryName: aws.String("orders")})
	requireSchemasError(t, err, "NotFoundException", "Resource policy for registry orders does not exist.")
}

func TestSchemasGetDiscoveredSchema(t *testing.T) {
	t.Parallel()
	e := setupSchemas(t)
	ev := `{"version":"0","id":"1","detail-type":"Order Placed","source":"shop","account":"` + account + `","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{"id":"o-1","total":3}}`
	out, err := e.s.GetDiscoveredSchema(e.ctx, &schemas.GetDiscoveredSchemaInput{Events: []string{ev, strings.Replace(ev, `"total":3`, `"total":3.5,"note":"x"`, 1)}, Type: stypes.TypeOpenApi3})
	require.NoError(t, err)
	require.Contains(t, *out.Content, `"x-amazon-events-source": "shop"`)
	require.Contains(t, *out.Content, `"$ref": "#/components/schemas/OrderPlaced"`)
	require.Contains(t, *out.Content, `"type": "number"`)
	js, err := e.s.GetDiscoveredSchema(e.ctx, &schemas.GetDiscoveredSchemaInput{Events: []string{ev}, Type: stypes.TypeJSONSchemaDraft4})
	require.NoError(t, err)
	require.Contains(t, *js.Content, `"#/definitions/OrderPlaced"`)
	_, err = e.s.GetDiscoveredSchema(e.ctx, &schemas.GetDiscoveredSchemaInput{Events: []string{"{"}, Type: stypes.TypeOpenApi3})
	requireSchemasError(t, err, "BadRequestException", "Event at index 0 is not valid JSON: unexpected EOF.")
	_, err = e.s.GetDiscoveredSchema(e.ctx, &schemas.GetDiscoveredSchemaInput{Events: make([]string, 11), Type: stypes.TypeOpenApi3})
	requireSchemasError(t, err, "BadRequestException", "Events must contain between 1 and 10 events.")
}

// discovered returns the versions of a discovered schema (nil if none).
func (e schemasEnv) discovered(name string) []string {
	e.t.Helper()
	out, err := e.s.ListSchemaVersions(e.ctx, &schemas.ListSchemaVersionsInput{RegistryName: aws.String("discovered-schemas"), SchemaName: &name})
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "NotFoundException" {
		return nil
	}
	require.NoError(e.t, err)
	var vs []string
	for _, v := range out.SchemaVersions {
		vs = append(vs, *v.SchemaVersion)
	}
	return vs
}

func (e schemasEnv) putDetail(bus, source, detailType, detail string) {
	e.t.Helper()
	out := e.put(ebtypes.PutEventsRequestEntry{EventBusName: &bus, Source: &source, DetailType: &detailType, Detail: &detail})
	require.Zero(e.t, out.FailedEntryCount)
}

// waitVersions waits until a discovered schema has the versions.
func (e schemasEnv) waitVersions(name string, want ...string) {
	e.t.Helper()
	require.Eventually(e.t, func() bool { return strings.Join(e.discovered(name), ",") == strings.Join(want, ",") }, 5*time.Second, 5*time.Millisecond,
		"%s: want versions %v, have %v", name, want, e.discovered(name))
}

func TestSchemasDiscovery(t *testing.T) {
	t.Parallel()
	e := setupSchemas(t)
	busArn := "arn:aws:events:us-east-1:" + account + ":event-bus/shop"
	_, err := e.eb.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("shop")})
	require.NoError(t, err)
	_, err = e.s.CreateDiscoverer(e.ctx, &schemas.CreateDiscovererInput{SourceArn: aws.String("arn:aws:events:us-east-1:" + account + ":event-bus/none")})
	requireSchemasError(t, err, "BadRequestException", "Event bus arn:aws:events:us-east-1:"+account+":event-bus/none does not exist.")
	d, err := e.s.CreateDiscoverer(e.ctx, &schemas.CreateDiscovererInput{SourceArn: &busArn, Description: aws.String("shop"), Tags: map[string]string{"k": "v"}})
	require.NoError(t, err)
	require.Equal(t, "events-event-bus-shop", *d.DiscovererId)
	require.Equal(t, stypes.DiscovererStateStarted, d.State)
	require.True(t, *d.CrossAccount)
	_, err = e.s.CreateDiscoverer(e.ctx, &schemas.CreateDiscovererInput{SourceArn: &busArn})
	requireSchemasError(t, err, "ConflictException", "Discoverer for event bus "+busArn+" already exists.")

	name := "shop.orders@OrderPlaced"
	e.putDetail("shop", "shop.orders", "Order Placed", `{"id":"o-1","total":3}`)
	e.waitVersions(name, "1")
	e.putDetail("shop", "shop.orders", "Order Placed", `{"id":"o-2","total":4}`)
	e.putDetail("shop", "shop.orders", "Order Placed", `{"id":"o-3","total":5,"coupon":"X"}`)
	e.waitVersions(name, "1", "2")
	e.putDetail("shop", "shop.orders", "Order Placed", `{"id":"o-4","total":5.5,"coupon":"Y"}`)
	e.waitVersions(name, "1", "2", "3")
	e.putDetail("shop", "shop.orders", "Order Placed", `{"id":"o-5","total":1.25,"coupon":"Z"}`)
	d3, err := e.s.DescribeSchema(e.ctx, &schemas.DescribeSchemaInput{RegistryName: aws.String("discovered-schemas"), SchemaName: &name})
	require.NoError(t, err)
	require.Contains(t, *d3.Content, `"x-amazon-events-detail-type": "Order Placed"`)
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]map[string]any `json:"properties"`
				Required   []string                  `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal([]byte(*d3.Content), &doc))
	placed := doc.Components.Schemas["OrderPlaced"]
	require.Equal(t, "number", placed.Properties["total"]["type"], "integer widened to number")
	require.Equal(t, []string{"id", "total"}, placed.Required, "coupon, added later, is optional")

	// Stopped: events pass undiscovered; started again: discovered. The
	// worker is FIFO, so once the later event is discovered the earlier
	// one would have been too.
	st, err := e.s.StopDiscoverer(e.ctx, &schemas.StopDiscovererInput{DiscovererId: d.DiscovererId})
	require.NoError(t, err)
	require.Equal(t, stypes.DiscovererStateStopped, st.State)
	e.putDetail("shop", "shop.orders", "Order Placed", `{"id":"o-6","total":1,"brand":"new"}`)
	_, err = e.s.StartDiscoverer(e.ctx, &schemas.StartDiscovererInput{DiscovererId: d.DiscovererId})
	require.NoError(t, err)
	e.putDetail("shop", "shop.orders", "Order Cancelled", `{"id":"o-1"}`)
	e.waitVersions("shop.orders@OrderCancelled", "1")
	require.Equal(t, []string{"1", "2", "3"}, e.discovered(name))

	u, err := e.s.UpdateDiscoverer(e.ctx, &schemas.UpdateDiscovererInput{DiscovererId: d.DiscovererId, Description: aws.String("d2"), CrossAccount: aws.Bool(false)})
	require.NoError(t, err)
	require.False(t, *u.CrossAccount)
	dd, err := e.s.DescribeDiscoverer(e.ctx, &schemas.DescribeDiscovererInput{DiscovererId: d.DiscovererId})
	require.NoError(t, err)
	require.Equal(t, "d2", *dd.Description)
	require.Equal(t, map[string]string{"k": "v"}, dd.Tags)
	ld, err := e.s.ListDiscoverers(e.ctx, &schemas.ListDiscoverersInput{SourceArnPrefix: aws.String("arn:aws:events:us-east-1:" + account + ":event-bus/sh")})
	require.NoError(t, err)
	require.Len(t, ld.Discoverers, 1)
	ld, err = e.s.ListDiscoverers(e.ctx, &schemas.ListDiscoverersInput{DiscovererIdPrefix: aws.String("other")})
	require.NoError(t, err)
	require.Empty(t, ld.Discoverers)
	_, err = e.s.DeleteDiscoverer(e.ctx, &schemas.DeleteDiscovererInput{DiscovererId: d.DiscovererId})
	require.NoError(t, err)
	_, err = e.s.DescribeDiscoverer(e.ctx, &schemas.DescribeDiscovererInput{DiscovererId: d.DiscovererId})
	requireSchemasError(t, err, "NotFoundException", "Discoverer with id events-event-bus-shop does not exist.")
	_, err = e.s.StartDiscoverer(e.ctx, &schemas.StartDiscovererInput{DiscovererId: d.DiscovererId})
	requireSchemasError(t, err, "NotFoundException", "Discoverer with id events-event-bus-shop does not exist.")
}

// TestSchemasDiscoveryFromAnotherBus: events a rule forwards from one bus
// to another are discovered on the second.
func TestSchemasDiscoveryFromAnotherBus(t *testing.T) {
	t.Parallel()
	e := setupSchemas(t)
	_, err := e.eb.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("inner")})
	require.NoError(t, err)
	inner := "arn:aws:events:us-east-1:" + account + ":event-bus/inner"
	_, err = e.s.CreateDiscoverer(e.ctx, &schemas.CreateDiscovererInput{SourceArn: &inner})
	require.NoError(t, err)
	e.rule("default", "fwd", `{"source":["fwd"]}`, ebtypes.Target{Id: aws.String("b"), Arn: &inner})
	e.putDetail("default", "fwd", "Hop", `{"n":1}`)
	e.waitVersions("fwd@Hop", "1")
}

func TestSchemasValidation(t *testing.T) {
	t.Parallel()
	e := setupSchemas(t)
	_, err := e.s.CreateRegistry(e.ctx, &schemas.CreateRegistryInput{RegistryName: aws.String("contracts")})
	require.NoError(t, err)
	e.createSchema("contracts", "orders", orderOpenAPI) // found by x-amazon-events-source / -detail-type
	_, err = e.eb.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("checked"), Tags: []ebtypes.Tag{{Key: aws.String("fogbank:validate-schemas"), Value: aws.String("contracts")}}})
	require.NoError(t, err)
	entry := func(busName, detailType, detail string) ebtypes.PutEventsRequestEntry {
		return ebtypes.PutEventsRequestEntry{EventBusName: aws.String(busName), Source: aws.String("shop"), DetailType: &detailType, Detail: &detail}
	}
	out := e.put(
		entry("checked", "Order Placed", `{"id":"o-1","total":3}`),
		entry("checked", "Order Placed", `{"id":"o-2","total":"three"}`),
		entry("checked", "Order Placed", `{"total":-1}`),
		entry("checked", "Other", `{"anything":true}`),
		entry("default", "Order Placed", `{"id":"o-3","total":"three"}`),
	)
	require.Equal(t, int32(2), out.FailedEntryCount)
	require.NotNil(t, out.Entries[0].EventId)
	require.Equal(t, "InvalidArgument", *out.Entries[1].ErrorCode)
	require.Equal(t, "Event does not conform to schema orders version 1 of registry contracts: $.detail.total: expected number, got string", *out.Entries[1].ErrorMessage)
	require.Equal(t, `Event does not conform to schema orders version 1 of registry contracts: $.detail: required property "id" is missing`, *out.Entries[2].ErrorMessage)
	require.NotNil(t, out.Entries[3].EventId, "no schema for the detail-type: not validated")
	require.NotNil(t, out.Entries[4].EventId, "a bus without the tag does not validate")

	// A new version of the schema is used at once.
	loose := strings.Replace(orderOpenAPI, `"total":{"type":"number","minimum":0}`, `"total":{}`, 1)
	_, err = e.s.UpdateSchema(e.ctx, &schemas.UpdateSchemaInput{RegistryName: aws.String("contracts"), SchemaName: aws.String("orders"), Content: &loose})
	require.NoError(t, err)
	out = e.put(entry("checked", "Order Placed", `{"id":"o-2","total":"three"}`))
	require.Zero(t, out.FailedEntryCount)
}

func TestSchemasCodeBindings(t *testing.T) {
	t.Parallel()
	e := setupSchemas(t)
	_, err := e.eb.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("shop")})
	require.NoError(t, err)
	_, err = e.s.CreateDiscoverer(e.ctx, &schemas.CreateDiscovererInput{SourceArn: aws.String("arn:aws:events:us-east-1:" + account + ":event-bus/shop")})
	require.NoError(t, err)
	detail := `{"orderId":"o-1","total":19.99,"quantity":2,"paid":true,"placedAt":"2026-01-01T00:00:00Z","customer":{"id":"c-1","address":{"city":"Paris"}},"items":[{"sku":"A","price":10}],"tags":["vip"]}`
	e.putDetail("shop", "shop.orders", "Order Placed", detail)
	name := "shop.orders@OrderPlaced"
	e.waitVersions(name, "1")
	in := func(lang string) (*string, *string, *string) {
		return aws.String("discovered-schemas"), aws.String(name), aws.String(lang)
	}

	reg, sch, lang := in("Go1")
	_, err = e.s.DescribeCodeBinding(e.ctx, &schemas.DescribeCodeBindingInput{RegistryName: reg, SchemaName: sch, Language: lang})
	requireSchemasError(t, err, "NotFoundException", "Code binding for language Go1 does not exist for schema "+name+" version 1.")
	put, err := e.s.PutCodeBinding(e.ctx, &schemas.PutCodeBindingInput{RegistryName: reg, SchemaName: sch, Language: lang})
	require.NoError(t, err)
	require.Equal(t, stypes.CodeGenerationStatusCreateInProgress, put.Status)
	desc, err := e.s.DescribeCodeBinding(e.ctx, &schemas.DescribeCodeBindingInput{RegistryName: reg, SchemaName: sch, Language: lang})
	require.NoError(t, err)
	require.Equal(t, stypes.CodeGenerationStatusCreateComplete, desc.Status)
	require.Equal(t, "1", *desc.SchemaVersion)
	src, err := e.s.GetCodeBindingSource(e.ctx, &schemas.GetCodeBindingSourceInput{RegistryName: reg, SchemaName: sch, Language: lang})
	require.NoError(t, err)

	// The Go package compiles and round-trips the event it was discovered from.
	events := e.receiveDiscovered(detail)
	dir := t.TempDir()
	unzipBinding(t, src.Body, dir)
	require.FileExists(t, filepath.Join(dir, "schema/shop/orders/orderplaced/marshaller.go"))
	writeBindingFile(t, filepath.Join(dir, "go.mod"), "module example.com/app\n\ngo 1.21\n")
	writeBindingFile(t, filepath.Join(dir, "event.json"), events)
	writeBindingFile(t, filepath.Join(dir, "main.go"), goBindingMain)
	cmd := exec.CommandContext(e.ctx, "go", "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	require.Equal(t, "round trip ok: Paris\n", string(out))

	reg, sch, lang = in("TypeScript3")
	_, err = e.s.PutCodeBinding(e.ctx, &schemas.PutCodeBindingInput{RegistryName: reg, SchemaName: sch, Language: lang})
	require.NoError(t, err)
	ts, err := e.s.GetCodeBindingSource(e.ctx, &schemas.GetCodeBindingSourceInput{RegistryName: reg, SchemaName: sch, Language: lang})
	require.NoError(t, err)
	compileTypeScript(t, ts.Body)

	reg, sch, lang = in("Python36")
	_, err = e.s.PutCodeBinding(e.ctx, &schemas.PutCodeBindingInput{RegistryName: reg, SchemaName: sch, Language: lang})
	require.NoError(t, err)
	py, err := e.s.GetCodeBindingSource(e.ctx, &schemas.GetCodeBindingSourceInput{RegistryName: reg, SchemaName: sch, Language: lang})
	require.NoError(t, err)
	runPython(t, py.Body, events)

	reg, sch, lang = in("Java8")
	_, err = e.s.PutCodeBinding(e.ctx, &schemas.PutCodeBindingInput{RegistryName: reg, SchemaName: sch, Language: lang})
	requireSchemasError(t, err, "BadRequestException", "Language Java8 is not supported by fogbank; supported languages are Go1, TypeScript3 and Python36.")
	reg, sch, lang = in("Cobol")
	_, err = e.s.PutCodeBinding(e.ctx, &schemas.PutCodeBindingInput{RegistryName: reg, SchemaName: sch, Language: lang})
	requireSchemasError(t, err, "BadRequestException", "Language Cobol is not one of Java8, Python36, TypeScript3, Go1.")
}

// receiveDiscovered builds the envelope of the discovered event as a target
// would receive it, through GetDiscoveredSchema's own input form.
func (e schemasEnv) receiveDiscovered(detail string) string {
	return `{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"Order Placed","source":"shop.orders","account":"` + account +
		`","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":` + detail + `}`
}

const goBindingMain = `package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"

	"example.com/app/schema/shop/orders/orderplaced"
)

func main() {
	in, err := os.ReadFile("event.json")
	if err != nil {
		panic(err)
	}
	ev, err := orderplaced.UnmarshalEvent(in)
	if err != nil {
		panic(err)
	}
	out, err := orderplaced.Marshal(ev)
	if err != nil {
		panic(err)
	}
	var a, b any
	_ = json.Unmarshal(in, &a)
	_ = json.Unmarshal(out, &b)
	if !reflect.DeepEqual(a, b) {
		panic("round trip differs:\n" + string(in) + "\n" + string(out))
	}
	fmt.Println("round trip ok: " + ev.Detail.Customer.Address.City)
}
`

func unzipBinding(t *testing.T, zipped []byte, dir string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	require.NoError(t, err)
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		var b bytes.Buffer
		_, err = b.ReadFrom(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		writeBindingFile(t, filepath.Join(dir, filepath.FromSlash(f.Name)), b.String())
	}
}

func writeBindingFile(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o750))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
}

// compileTypeScript compiles a TypeScript binding with tsc; without tsc the
// check is skipped, except under CI (where .ci/run installs it).
func compileTypeScript(t *testing.T, zipped []byte) {
	t.Helper()
	tsc, err := exec.LookPath("tsc")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("tsc is required under CI (.ci/run installs it)")
		}
		t.Log("tsc not installed (npm install -g typescript): TypeScript binding not compiled")
		return
	}
	dir := t.TempDir()
	unzipBinding(t, zipped, dir)
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.ts"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out, err := exec.CommandContext(t.Context(), tsc, append([]string{"--noEmit", "--strict", "--target", "es2017"}, files...)...).CombinedOutput()
	require.NoError(t, err, string(out))
}

// runPython round-trips an event through a Python binding; without python3
// the check is skipped, except under CI.
func runPython(t *testing.T, zipped []byte, event string) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("python3 is required under CI")
		}
		t.Log("python3 not installed: Python binding not run")
		return
	}
	dir := t.TempDir()
	unzipBinding(t, zipped, dir)
	writeBindingFile(t, filepath.Join(dir, "event.json"), event)
	writeBindingFile(t, filepath.Join(dir, "main.py"), `import json
from schema.shop.orders.orderplaced import Marshaller
raw = json.load(open('event.json'))
ev = Marshaller.unmarshall(raw)
assert Marshaller.marshall(ev) == raw
print('round trip ok: ' + ev.detail.customer.address.city)
`)
	cmd := exec.CommandContext(t.Context(), py, "main.py")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
	require.Equal(t, "round trip ok: Paris\n", string(out))
}

func TestSchemasSurviveRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := setupSchemas(t, fogbanktest.WithDataDir(dir))
	_, err := e.s.CreateRegistry(e.ctx, &schemas.CreateRegistryInput{RegistryName: aws.String("orders"), Tags: map[string]string{"a": "b"}})
	require.NoError(t, err)
	e.createSchema("orders", "o", orderOpenAPI)
	v2 := strings.Replace(orderOpenAPI, `"minimum":0`, `"minimum":2`, 1)
	_, err = e.s.UpdateSchema(e.ctx, &schemas.UpdateSchemaInput{RegistryName: aws.String("orders"), SchemaName: aws.String("o"), Content: &v2})
	require.NoError(t, err)
	_, err = e.eb.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("shop")})
	require.NoError(t, err)
	_, err = e.s.CreateDiscoverer(e.ctx, &schemas.CreateDiscovererInput{SourceArn: aws.String("arn:aws:events:us-east-1:" + account + ":event-bus/shop")})
	require.NoError(t, err)
	e.putDetail("shop", "s", "T", `{"a":1}`)
	e.waitVersions("s@T", "1")
	e.srv.Stop()

	e = setupSchemas(t, fogbanktest.WithDataDir(dir))
	reg, err := e.s.DescribeRegistry(e.ctx, &schemas.DescribeRegistryInput{RegistryName: aws.String("orders")})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"a": "b"}, reg.Tags)
	d, err := e.s.DescribeSchema(e.ctx, &schemas.DescribeSchemaInput{RegistryName: aws.String("orders"), SchemaName: aws.String("o")})
	require.NoError(t, err)
	require.Equal(t, "2", *d.SchemaVersion)
	require.Equal(t, v2, *d.Content)
	require.Equal(t, []string{"1"}, e.discovered("s@T"))
	// The discoverer is still started and merges into what was found.
	e.putDetail("shop", "s", "T", `{"a":1,"b":true}`)
	e.waitVersions("s@T", "1", "2")
}

// TestSchemasDiscoveryCrossAccount: a discoverer with CrossAccount false
// ignores the events other accounts put on its bus.
func TestSchemasDiscoveryCrossAccount(t *testing.T) {
	t.Parallel()
	e := setupSchemas(t)
	_, err := e.eb.CreateEventBus(e.ctx, &eventbridge.CreateEventBusInput{Name: aws.String("shared")})
	require.NoError(t, err)
	busArn := "arn:aws:events:us-east-1:" + account + ":event-bus/shared"
	_, err = e.s.CreateDiscoverer(e.ctx, &schemas.CreateDiscovererInput{SourceArn: &busArn, CrossAccount: aws.Bool(false)})
	require.NoError(t, err)
	other := eventbridge.NewFromConfig(e.srv.AWSConfigFor("111111111111", "secret", "us-east-1"))
	out, err := other.PutEvents(e.ctx, &eventbridge.PutEventsInput{Entries: []ebtypes.PutEventsRequestEntry{{
		EventBusName: &busArn, Source: aws.String("partner"), DetailType: aws.String("Foreign"), Detail: aws.String(`{"a":1}`),
	}}})
	require.NoError(t, err)
	require.Zero(t, out.FailedEntryCount)
	e.putDetail("shared", "own", "Local", `{"a":1}`)
	e.waitVersions("own@Local", "1")
	require.Nil(t, e.discovered("partner@Foreign"), "events of other accounts are not discovered")
}
