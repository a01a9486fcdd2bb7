package cli

import (
	"github.com/authprobe/authprobe/internal/fix"
	"github.com/authprobe/authprobe/internal/report"
	"github.com/authprobe/authprobe/internal/scan"
)

// fixReplayer configures the dynamic proof (internal/fix: logins, replay,
// rescan through scan.Run): the scan's config file and --identity flags,
// with the proof's --rate, --timeout, --crack-time and --allow-writes, as
// the scan command would set them; every other scan option keeps its
// default. Nil without --run.
func fixReplayer(f *fixFlags, served []report.Endpoint) (fix.Replayer, error) {
	if f.run == "" {
		return nil, nil
	}
	cfg := &Config{}
	if f.config != "" {
		var err error
		if cfg, err = LoadConfig(f.config); err != nil {
			return nil, usageErr("config: %v", err)
		}
	}
	if _, err := mergeIdentities(cfg.Identities, f.identities); err != nil {
		return nil, usageErr("%v", err)
	}
	sf := &scanFlags{config: f.config, identities: f.identities, rate: f.rate, timeout: f.timeout,
		crackTime: f.crackTime, allowWrites: f.allowWrites}
	d := fix.Dynamic{Served: served, Scan: func() (scan.Config, error) {
		sc, err := sf.scanConfig("", cfg, nil)
		return sc, err
	}}
	return d.Replayer(), nil
}
