// Package conformance replays LocalStack's AWS-recorded SQS snapshot tests
// against an in-process fogbank and compares the normalised responses with
// what AWS returned. The recordings (Apache-2.0, LocalStack) are read from
// $FOGBANK_CONFORMANCE_DIR, by default ../shared/conformance next to the
// repository root; see raw-snapshots/sqs there.
//
// Every case is a subtest named by its pytest node id. "[sqs]" variants use
// aws-sdk-go-v2's SQS client (AWS JSON 1.0); "[sqs_query]" variants use a
// small signed query-protocol client in this package. Responses are turned
// into the dicts botocore would have produced and normalised the way
// localstack-snapshot does before the deep comparison.
package conformance
