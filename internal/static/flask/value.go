package flask

import (
	"strconv"

	"github.com/authprobe/authprobe/internal/static/python"
)

// ValueKind says what constant propagation learnt about an expression.
type ValueKind int

const (
	Unknown ValueKind = iota
	Str
	Int
	Bool
	None
	List // list, tuple or set literal; Items holds the elements
	Dict // dict literal; Keys and Items hold entries
	Env  // os.environ / os.getenv read; EnvName, and Items[0] the default if any
	Split
)

// Value is the result of evaluating an expression at analysis time.
type Value struct {
	Kind  ValueKind
	S     string
	I     int64
	B     bool
	Items []Value
	Keys  []Value
	// EnvName is the variable read by an Env value.
	EnvName string
	// Set is true for set literals (membership is a hash lookup).
	Set bool
	// Filtered is true for a comprehension with an if clause (Split values).
	Filtered bool
	// Path is true for a Str that is a file path from the analysed root,
	// built from a module's __file__ (filepaths.go).
	Path bool
	// Node is where the value was written (the literal, or the call).
	Node *python.Node
	// Origin is the node where a Split list was built.
	Origin *python.Node
}

// Known reports whether the value is a constant (or an env read).
func (v Value) Known() bool { return v.Kind != Unknown }

// Strings returns the string elements of a list or the string itself.
func (v Value) Strings() ([]string, bool) {
	switch v.Kind {
	case Str:
		return []string{v.S}, true
	case List:
		out := make([]string, 0, len(v.Items))
		for _, it := range v.Items {
			if it.Kind != Str {
				return nil, false
			}
			out = append(out, it.S)
		}
		return out, true
	}
	return nil, false
}

// Get returns the value of a string key of a Dict.
func (v Value) Get(key string) (Value, bool) {
	if v.Kind != Dict {
		return Value{}, false
	}
	for i, k := range v.Keys {
		if k.Kind == Str && k.S == key {
			return v.Items[i], true
		}
	}
	return Value{}, false
}

// Truthy returns Python truthiness of a constant.
func (v Value) Truthy() (bool, bool) {
	switch v.Kind {
	case Str:
		return v.S != "", true
	case Int:
		return v.I != 0, true
	case Bool:
		return v.B, true
	case None:
		return false, true
	case List, Dict:
		return len(v.Items) > 0, true
	}
	return false, false
}

// String is a short rendering for messages.
func (v Value) String() string {
	switch v.Kind {
	case Str:
		return "\"" + v.S + "\""
	case Int:
		return strconv.FormatInt(v.I, 10)
	case Bool:
		if v.B {
			return "True"
		}
		return "False"
	case None:
		return "None"
	case Env:
		return "os.environ[" + v.EnvName + "]"
	}
	if v.Node != nil {
		return v.Node.Text()
	}
	return "?"
}
