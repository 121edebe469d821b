// Package runtimeapi serves the AWS Lambda Runtime API (version 2018-06-01)
// to one sandbox on a loopback port: the HTTP interface a runtime such as
// aws-lambda-go polls for invocations and answers through.
//
// # Endpoints
//
//	GET  /2018-06-01/runtime/invocation/next          blocks until an invocation
//	POST /2018-06-01/runtime/invocation/{id}/response the result (≤ 6 MB)
//	POST /2018-06-01/runtime/invocation/{id}/error    a function error
//	POST /2018-06-01/runtime/init/error               a failure before the first next
//
// router.go only wires routes; each endpoint has its own file; rendering.go
// renders every error. The platform side is Server.Invoke, which hands one
// invocation to the runtime and waits for its answer. A server carries one
// invocation at a time, as a Lambda execution environment does.
package runtimeapi
