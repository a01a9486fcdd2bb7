// Package procgroup starts a child process in a process group of its own
// and stops the whole group: what the child spawns (a Flask reloader, a
// shell's children) ends with it. The labs the tests start and the patched
// copies fix starts both run through it.
package procgroup
