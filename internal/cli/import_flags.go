package cli

import (
	"github.com/spf13/pflag"

	"github.com/authprobe/authprobe/internal/static/exact"
)

// autoImport is --import given without a target: find the app.
const autoImport = "auto"

// importFlags are --import and --python (exact mode), shared by code and
// scan --source.
type importFlags struct {
	target  string
	python  string
	noStubs bool
}

func (f *importFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.target, "import", "", "exact mode: import the app with the real Flask (RUNS THE PROJECT'S CODE) and take its url_map as the routes; optional MODULE:APP_OR_FACTORY, else FLASK_APP, wsgi.py, app.py or create_app is found")
	fs.Lookup("import").NoOptDefVal = autoImport
	fs.StringVar(&f.python, "python", "python3", "Python interpreter for --import (the project's virtualenv python)")
	fs.BoolVar(&f.noStubs, "no-stubs", false, "with --import: fail on a missing third-party module instead of stubbing it (by default a module the interpreter lacks, never the project's own nor flask/werkzeug, is replaced by a permissive stand-in and the result says which)")
}

// options is nil without --import.
func (f *importFlags) options() *exact.Options {
	if f.target == "" {
		return nil
	}
	o := &exact.Options{Python: f.python, NoStubs: f.noStubs}
	if f.target != autoImport {
		o.Target = f.target
	}
	return o
}
