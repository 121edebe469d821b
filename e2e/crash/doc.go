// Package crash is fogbank's crash test: producers and consumers load a
// standard and a FIFO queue on a fogbank subprocess that is killed with
// SIGKILL at random points and restarted on the same data, once per store
// driver, and a ledger of what every client was told checks that no
// acknowledged write was lost or undone.
//
// # Invariants
//
//   - No acknowledged send is lost: every body whose SendMessage or
//     SendMessageBatch entry succeeded is received at least once.
//   - No acknowledged delete is undone: a body is never returned by a
//     receive that started after a DeleteMessage (or DeleteMessageBatch
//     entry) for it succeeded.
//   - Nothing is invented: every body received was sent (acknowledged or not).
//   - FIFO: within a message group, the first deliveries of acknowledged
//     sends follow the order they were sent in.
//   - Everything is eventually received: after the last restart the queues
//     drain to empty, and stay empty across one more kill.
//
// A send or delete that failed without an answer (the process died under
// it) is "unacknowledged": it may or may not have happened, and the ledger
// accepts either outcome.
package crash
